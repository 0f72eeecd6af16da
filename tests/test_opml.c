/* OPML: the import's names, kinds, escapes and refusals (entities, DTDs,
 * documents that are no OPML), its bounds, and the export read back. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "fetch/sources.h"
#include "tests/check.h"
#include "tests/test_sources.h"

#define OPML "tests/fixtures/opml/"

/* Import an OPML fixture; returns what sources_import_opml returns, the
 * printed lines in out and the notices in err. */
static int import_file(const char *name, struct buf *out, struct buf *err)
{
	struct buf data = BUF_INIT(0);
	char path[256];
	char *text = NULL;
	size_t len = 0;
	FILE *fp;
	int ret = -2;

	buf_reset(out);
	buf_reset(err);
	snprintf(path, sizeof path, OPML "%s", name);
	if (!check_read_file(path, &data)) {
		fprintf(stderr, "cannot read %s\n", path);
		goto out;
	}
	fp = open_memstream(&text, &len);
	if (!fp)
		goto out;
	ret = sources_import_opml(buf_cstr(&data), data.len, fp, err);
	fclose(fp);
	buf_append(out, text, len);
out:
	free(text);
	buf_free(&data);
	return ret;
}

static void test_opml_import(void)
{
	struct source_list list = {0};
	struct buf out = BUF_INIT(0), err = BUF_INIT(0), msg = BUF_INIT(0);
	struct timespec t0;

	CHECK_INT(import_file("nested.opml", &out, &err), 0);
	CHECK_STR(buf_cstr(&out),
	          "blog OpenAI-News https://openai.com/news/rss.xml\n"
	          "blog Google-DeepMind https://deepmind.google/blog/rss.xml\n"
	          "blog OpenAI-News-2 https://openai.com/blog/rss.xml\n"
	          "blog OpenAI-News-3 https://example.com/third.xml\n"
	          "paper arXiv-cs.CL https://rss.arxiv.org/rss/cs.CL\n"
	          "paper Daily https://huggingface.co/api/daily_papers?date="
	          "{DATE}&limit=100\n"
	          "release llama.cpp-releases https://github.com/ggml-org/"
	          "llama.cpp/releases.atom\n"
	          "community HN-LLM-100+-points https://hnrss.org/newest?q=LLM&"
	          "points=100\n"
	          "news AI타임스-전체기사 https://www.aitimes.com/rss/"
	          "allArticle.xml\n"
	          "tweet @karpathy https://rsshub.example.org/twitter/user/"
	          "karpathy\n"
	          "blog A-very-long-title-that-goes-on-a https://example.com/"
	          "long.xml\n"
	          "blog blog.example.net https://blog.example.net/feed\n"
	          "blog Odd-URL https://example.com/a%20b/%22q%22/%7Bx%7D/"
	          "%24%7BHOME%7D\n");
	CHECK_STR(buf_cstr(&err),
	          "outline 'A note without a feed' skipped: no xmlUrl\n"
	          "outline 'FTP' skipped: xmlUrl is not http:// or https://\n"
	          "outline 'Local file' skipped: xmlUrl is not http:// or "
	          "https://\n"
	          "outline 'Empty' skipped: no xmlUrl\n");
	/* what import prints is a feeds file without bad lines */
	CHECK_INT(test_sources_parse(buf_cstr(&out), &list, &msg), 0);
	CHECK_STR(buf_cstr(&msg), "");
	CHECK_INT(list.n, 13);
	sources_free(&list);

	/* entities: the predefined and character references are text; the
	 * DTD's own entities are never expanded */
	CHECK_INT(import_file("entities.opml", &out, &err), 0);
	CHECK_STR(buf_cstr(&out),
	          "blog R-D-Lab-가나 https://example.com/rd.xml?a=1&b=2\n"
	          "blog Blog https://example.com/co.xml\n"
	          "blog company.example.com https://company.example.com/"
	          "feed.xml\n");
	CHECK_STR(buf_cstr(&err), "");

	CHECK_INT(import_file("latin1.opml", &out, &err), 0);
	CHECK_STR(buf_cstr(&out),
	          "blog Café-Crème https://example.com/cafe.xml\n");

	/* billion laughs: refused quickly, nothing expanded */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(import_file("billion-laughs.opml", &out, &err), ERR_PARSE);
	CHECK(check_seconds_since(&t0) < 5.0);
	CHECK(strstr(buf_cstr(&out), "lollol") == NULL);
	CHECK(out.len < 4096);
	CHECK(strncmp(buf_cstr(&err), "not well-formed XML (line ", 26) == 0);

	/* an external entity is never loaded */
	CHECK_INT(import_file("xxe.opml", &out, &err), ERR_PARSE);
	CHECK(strstr(buf_cstr(&out), "root:") == NULL);
	CHECK(strstr(buf_cstr(&err), "root:") == NULL);

	CHECK_INT(import_file("not-opml.xml", &out, &err), ERR_PARSE);
	CHECK_STR(buf_cstr(&err),
	          "not an OPML document: the root element is <rss>\n");
	CHECK_STR(buf_cstr(&out), "");
	CHECK_INT(import_file("no-body.opml", &out, &err), ERR_PARSE);
	CHECK_STR(buf_cstr(&err), "not an OPML document: no <body>\n");
	CHECK_INT(import_file("broken.opml", &out, &err), ERR_PARSE);
	CHECK(strncmp(buf_cstr(&err), "not well-formed XML (line ", 26) == 0);
	CHECK_STR(buf_cstr(&out), "");

	buf_reset(&err);
	CHECK_INT(sources_import_opml("", 0, stdout, &err), ERR_PARSE);
	CHECK(strncmp(buf_cstr(&err), "not well-formed XML", 19) == 0);

	buf_free(&out);
	buf_free(&err);
	buf_free(&msg);
}

/* Export a list to a string. */
static int export_list(const struct source_list *list, struct buf *out)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	int ret;

	buf_reset(out);
	if (!fp)
		return -2;
	ret = sources_export_opml(list, fp);
	fclose(fp);
	buf_append(out, text, len);
	free(text);
	return ret;
}

/* Import an OPML string; lines into out. */
static int import_text(const struct buf *opml, struct buf *out, struct buf *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	int ret;

	buf_reset(out);
	buf_reset(err);
	if (!fp)
		return -2;
	ret = sources_import_opml(buf_cstr(opml), opml->len, fp, err);
	fclose(fp);
	buf_append(out, text, len);
	free(text);
	return ret;
}

/* Many equal titles, many skipped outlines, too many feeds. */
static void test_opml_bounds(void)
{
	struct buf opml = BUF_INIT(0), out = BUF_INIT(0), err = BUF_INIT(0);
	struct timespec t0;
	int i;

	buf_puts(&opml, "<opml version=\"2.0\"><body>");
	for (i = 0; i < 150; i++)
		buf_puts(&opml, "<outline text=\"note\"/>");
	for (i = 0; i < 3; i++)
		buf_puts(&opml,
		         "<outline text=\"f\" xmlUrl=\"https://x.org/\"/>");
	buf_puts(&opml, "<outline text=\"f-2\" xmlUrl=\"https://x.org/\"/>");
	buf_puts(&opml, "</body></opml>");
	CHECK_INT(import_text(&opml, &out, &err), 0);
	CHECK_STR(buf_cstr(&out), "blog f https://x.org/\n"
	                          "blog f-2 https://x.org/\n"
	                          "blog f-3 https://x.org/\n"
	                          "blog f-2-2 https://x.org/\n");
	CHECK(strstr(buf_cstr(&err), "outline 'note' skipped: no xmlUrl\n") ==
	      buf_cstr(&err));
	CHECK(strstr(buf_cstr(&err), "\n50 more outlines skipped\n") != NULL);

	buf_reset(&opml);
	buf_puts(&opml, "<opml version=\"2.0\"><body>");
	for (i = 0; i < 10001; i++)
		buf_puts(&opml,
		         "<outline text=\"f\" xmlUrl=\"https://x.org/\"/>");
	buf_puts(&opml, "</body></opml>");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_INT(import_text(&opml, &out, &err), ERR_LIMIT);
	CHECK(check_seconds_since(&t0) < 10.0);
	CHECK_STR(buf_cstr(&err), "more than 10000 feeds\n");
	CHECK(strstr(buf_cstr(&out), "\nblog f-10000 https://x.org/\n") !=
	      NULL);

	buf_free(&opml);
	buf_free(&out);
	buf_free(&err);
}

static void test_opml_export(void)
{
	static const char feeds[] =
	        "blog openai https://openai.com/news/rss.xml weight=2\n"
	        "news aitimes https://www.aitimes.com/rss/allArticle.xml\n"
	        "blog r&d<1>'s https://x.org/?a=1&b=<2>\n"
	        "tweet x-h ${AIDIGEST_TEST_HOST}/twitter/user/h\n";
	static const char round[] =
	        "tweet x-openai "
	        "https://rsshub.example.org/twitter/user/OpenAI\n"
	        "blog openai https://openai.com/news/rss.xml\n"
	        "paper hf-papers https://huggingface.co/api/daily_papers?"
	        "date={DATE}&limit=100 format=hf-papers\n"
	        "paper arxiv-cs.CL https://rss.arxiv.org/rss/cs.CL\n"
	        "release llama.cpp https://github.com/ggml-org/llama.cpp/"
	        "releases.atom\n"
	        "community hn-top https://hn.algolia.com/api/v1/search_by_date?"
	        "tags=story&numericFilters=points%3E100,created_at_i%3E"
	        "{SINCE_UNIX}\n"
	        "news 인공지능신문 https://www.aitimes.kr/rss/allArticle.xml\n"
	        "blog deepmind https://deepmind.google/blog/rss.xml\n";
	struct source_list list = {0}, back = {0};
	struct buf msg = BUF_INIT(0), opml = BUF_INIT(0), out = BUF_INIT(0),
	           err = BUF_INIT(0);
	size_t i;

	CHECK_INT(test_sources_parse(feeds, &list, &msg), 0);
	CHECK_INT(export_list(&list, &opml), 0);
	CHECK_STR(
	        buf_cstr(&opml),
	        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	        "<opml version=\"2.0\">\n"
	        "  <head>\n"
	        "    <title>aidigest feeds</title>\n"
	        "  </head>\n"
	        "  <body>\n"
	        "    <outline text=\"tweet\" title=\"tweet\">\n"
	        "      <outline type=\"rss\" text=\"x-h\" title=\"x-h\" "
	        "xmlUrl=\"${AIDIGEST_TEST_HOST}/twitter/user/h\"/>\n"
	        "    </outline>\n"
	        "    <outline text=\"blog\" title=\"blog\">\n"
	        "      <outline type=\"rss\" text=\"openai\" title=\"openai\" "
	        "xmlUrl=\"https://openai.com/news/rss.xml\"/>\n"
	        "      <outline type=\"rss\" text=\"r&amp;d&lt;1&gt;&apos;s\" "
	        "title=\"r&amp;d&lt;1&gt;&apos;s\" "
	        "xmlUrl=\"https://x.org/?a=1&amp;b=&lt;2&gt;\"/>\n"
	        "    </outline>\n"
	        "    <outline text=\"news\" title=\"news\">\n"
	        "      <outline type=\"rss\" text=\"aitimes\" "
	        "title=\"aitimes\" "
	        "xmlUrl=\"https://www.aitimes.com/rss/allArticle.xml\"/>\n"
	        "    </outline>\n"
	        "  </body>\n"
	        "</opml>\n");
	/* no secret from the environment in the file */
	CHECK(strstr(buf_cstr(&opml), TEST_HOST_VALUE) == NULL);
	/* read back: escapes decoded, the unexpanded url refused */
	CHECK_INT(import_text(&opml, &out, &err), 0);
	CHECK_STR(buf_cstr(&out),
	          "blog openai https://openai.com/news/rss.xml\n"
	          "blog r-d-1-s https://x.org/?a=1&b=<2>\n"
	          "news aitimes https://www.aitimes.com/rss/allArticle.xml\n");
	CHECK_STR(buf_cstr(&err),
	          "outline 'x-h' skipped: xmlUrl is not http:// or https://\n");
	sources_free(&list);

	/* round trip: kinds, names and urls come back as they were */
	CHECK_INT(test_sources_parse(round, &list, &msg), 0);
	CHECK_INT(export_list(&list, &opml), 0);
	CHECK_INT(import_text(&opml, &out, &err), 0);
	CHECK_STR(buf_cstr(&err), "");
	CHECK_INT(test_sources_parse(buf_cstr(&out), &back, &msg), 0);
	if (CHECK_INT(back.n, list.n))
		for (i = 0; i < list.n; i++) {
			size_t j;

			for (j = 0; j < back.n; j++)
				if (strcmp(back.v[j].name, list.v[i].name) == 0)
					break;
			if (!CHECK(j < back.n)) {
				fprintf(stderr, "    lost %s\n",
				        list.v[i].name);
				continue;
			}
			CHECK_INT(back.v[j].kind, list.v[i].kind);
			CHECK_STR(back.v[j].url, list.v[i].url);
		}
	sources_free(&back);
	sources_free(&list);

	/* an empty list is still a document */
	CHECK_INT(export_list(&list, &opml), 0);
	CHECK_INT(import_text(&opml, &out, &err), 0);
	CHECK_STR(buf_cstr(&out), "");

	buf_free(&msg);
	buf_free(&opml);
	buf_free(&out);
	buf_free(&err);
}

void test_sources_opml(void)
{
	test_opml_import();
	test_opml_bounds();
	test_opml_export();
}
