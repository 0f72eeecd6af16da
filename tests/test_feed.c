#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/timeutil.h"
#include "fetch/feed.h"
#include "fetch/feed_impl.h"
#include "tests/check.h"
#include "tests/tests.h"

#define FIXTURES "tests/fixtures/feeds/"

static int load(const char *name, struct buf *out)
{
	char path[256];

	snprintf(path, sizeof path, FIXTURES "%s", name);
	if (check_read_file(path, out))
		return 0;
	fprintf(stderr, "cannot read %s\n", path);
	return -1;
}

/* Parse a fixture; returns the feed or NULL (err then says why). */
static struct feed *
parse_fixture(const char *name, const struct feed_options *opt, struct buf *err)
{
	struct buf data = BUF_INIT(0);
	struct feed *feed = NULL;

	buf_reset(err);
	if (load(name, &data) == 0 &&
	    feed_parse(buf_cstr(&data), data.len, opt, &feed, err) != ERR_OK)
		feed = NULL;
	buf_free(&data);
	return feed;
}

static const char *utc(const struct feed_date *d)
{
	static char s[TIME_UTC_LEN];

	if (!d->known)
		return "unknown";
	time_format_utc(d->time, s);
	return s;
}

static void test_rss20(void)
{
	struct buf err = BUF_INIT(0);
	struct feed *f = parse_fixture("rss20.xml", NULL, &err);
	const struct feed_entry *e;

	if (!CHECK(f != NULL))
		return;
	CHECK_INT(f->format, FEED_FORMAT_RSS20);
	CHECK_STR(f->encoding, "utf-8");
	CHECK(!f->recovered);
	CHECK_STR(f->title.text, "Lab Notes & Releases");
	CHECK_STR(f->link, "https://lab.example.org/");
	CHECK_STR(f->subtitle.text, "What the lab shipped");
	CHECK_STR(utc(&f->updated), "2024-01-02T09:30:00Z");
	CHECK_STR(f->author.name, "Lab Editor");
	CHECK_STR(f->author.email, "editor@lab.example.org");
	CHECK_INT(f->nentries, 2);

	e = &f->entries[0];
	CHECK_STR(e->title.raw, "Model <b>7B</b> released");
	CHECK_STR(e->title.text, "Model 7B released");
	CHECK_INT(e->title.type, FEED_TEXT_HTML);
	CHECK_STR(e->link,
	          "https://lab.example.org/posts/model-7b?utm_source=rss");
	CHECK_STR(e->id, "lab-2024-001");
	CHECK_STR(utc(&e->published), "2024-01-01T12:00:00Z");
	CHECK_STR(e->published.raw, "Mon, 01 Jan 2024 12:00:00 GMT");
	CHECK_STR(e->author.full, "Kim Jiwoo");
	CHECK_STR(e->summary.text, "We release a 7B model. Weights are open.");
	CHECK_INT(e->ncontent, 1);
	CHECK_STR(e->content[0].text, "Details Trained on 2T tokens.");
	CHECK_INT(e->nenclosures, 1);
	CHECK_STR(e->enclosures[0].url, "https://lab.example.org/paper.pdf");
	CHECK_STR(e->enclosures[0].type, "application/pdf");
	CHECK_STR(e->enclosures[0].length, "12345");

	e = &f->entries[1];
	/* a guid without isPermaLink="false" doubles as the link */
	CHECK_STR(e->link, "https://lab.example.org/posts/guid-link");
	CHECK_STR(utc(&e->published), "2024-01-02T13:15:00Z");
	CHECK_STR(e->author.name, "Jane Park");
	CHECK_STR(e->author.email, "jane@lab.example.org");
	CHECK_STR(e->summary.text, "Plain text with a tab and spaces");
	feed_free(f);
	buf_free(&err);
}

static void test_atom(void)
{
	struct buf err = BUF_INIT(0);
	struct feed *f = parse_fixture("atom10.xml", NULL, &err);
	const struct feed_entry *e;

	if (!CHECK(f != NULL))
		return;
	CHECK_INT(f->format, FEED_FORMAT_ATOM10);
	CHECK_STR(f->title.text, "Agents Weekly");
	CHECK_STR(f->subtitle.raw, "<em>Notes</em> on agents");
	CHECK_STR(f->subtitle.text, "Notes on agents");
	CHECK_INT(f->subtitle.type, FEED_TEXT_HTML);
	CHECK_STR(f->link, "https://blog.example.com/");
	CHECK_STR(f->id, "tag:blog.example.com,2024:feed");
	CHECK_STR(utc(&f->updated), "2024-03-05T01:00:00Z");
	CHECK_STR(f->author.name, "Lee Minho");
	CHECK_STR(f->author.email, "minho@blog.example.com");
	CHECK_INT(f->nentries, 2);

	e = &f->entries[0];
	CHECK_STR(e->title.raw, "Tool use &amp; planning");
	CHECK_STR(e->title.text, "Tool use & planning");
	CHECK_STR(e->link, "https://blog.example.com/posts/tool-use");
	CHECK_STR(utc(&e->published), "2024-03-04T14:30:00Z");
	CHECK_STR(utc(&e->updated), "2024-03-05T01:00:00Z");
	CHECK_STR(e->summary.text, "Short summary");
	CHECK_INT(e->content[0].type, FEED_TEXT_XHTML);
	CHECK_STR(e->content[0].text, "Agents plan with tools & memory.");
	CHECK_INT(e->nenclosures, 1);
	CHECK_STR(e->enclosures[0].url,
	          "https://blog.example.com/media/talk.mp3");

	e = &f->entries[1];
	/* xml:base on the entry replaces the feed's */
	CHECK_STR(e->link, "https://other.example.net/dir/page.html");
	CHECK_STR(utc(&e->updated), "2024-03-03T00:00:00Z");
	CHECK_INT(e->content[0].type, FEED_TEXT_TEXT);
	CHECK_STR(e->content[0].text, "1 < 2 is plain text");
	feed_free(f);

	f = parse_fixture("atom03.xml", NULL, &err);
	if (CHECK(f != NULL)) {
		CHECK_INT(f->format, FEED_FORMAT_ATOM03);
		CHECK_STR(f->title.text, "Old Atom");
		CHECK_STR(f->subtitle.text, "Pre-standard");
		CHECK_STR(utc(&f->updated), "2004-01-01T00:00:00Z");
		CHECK_STR(utc(&f->entries[0].published),
		          "2003-12-31T18:14:55Z");
		CHECK_STR(f->entries[0].content[0].text, "Inline XHTML");
	}
	feed_free(f);
	buf_free(&err);
}

static void test_rdf_and_rss091(void)
{
	struct buf err = BUF_INIT(0);
	struct feed *f = parse_fixture("rdf.xml", NULL, &err);

	if (CHECK(f != NULL)) {
		CHECK_INT(f->format, FEED_FORMAT_RSS10);
		CHECK_STR(f->title.text, "Paper Feed");
		CHECK_STR(utc(&f->updated), "2024-05-01T00:00:00Z");
		CHECK_INT(f->nentries, 1);
		CHECK_STR(f->entries[0].id, "https://papers.example.org/1");
		CHECK_STR(f->entries[0].author.full, "A. Author, B. Author");
		CHECK_STR(utc(&f->entries[0].updated), "2024-04-30T22:00:00Z");
	}
	feed_free(f);

	/* HTML entities with a DTD that is never loaded */
	f = parse_fixture("rss091.xml", NULL, &err);
	if (CHECK(f != NULL)) {
		CHECK_INT(f->format, FEED_FORMAT_RSS091);
		CHECK_STR(f->encoding, "iso-8859-1");
		CHECK_STR(f->title.text, "Caf\xC3\xA9 \xE2\x80\x94 news");
		CHECK_STR(f->entries[0].title.text,
		          "Cr\xC3\xA8me br\xC3\xBBl\xC3\xA9"
		          "e & more");
		CHECK(strstr(f->entries[0].summary.text, "\xC2\xA9 2001") !=
		      NULL);
	}
	feed_free(f);
	buf_free(&err);
}

static void test_json_feed(void)
{
	struct buf err = BUF_INIT(0);
	struct feed_options opt = {0};
	struct feed *f = parse_fixture("jsonfeed.json", NULL, &err);
	const struct feed_entry *e;

	if (!CHECK(f != NULL))
		return;
	CHECK_INT(f->format, FEED_FORMAT_JSON11);
	CHECK_STR(f->title.text, "JSON AI Feed");
	CHECK_STR(f->link, "https://json.example.com/");
	CHECK_STR(f->author.name, "Feed Author");
	CHECK_INT(f->nentries, 2);
	e = &f->entries[0];
	/* surrogate pairs decoded */
	CHECK_STR(e->title.text, "Emoji \xF0\x9F\xA4\x96 and Hangul "
	                         "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4");
	CHECK_STR(e->content[0].text, "Hello world");
	CHECK_STR(utc(&e->published), "2024-05-31T23:00:00Z");
	CHECK_STR(e->author.name, "Item Author");
	CHECK_STR(e->enclosures[0].length, "42");
	e = &f->entries[1];
	CHECK_STR(e->id, "2");
	CHECK_STR(e->link, "https://elsewhere.example.com/x");
	CHECK_STR(e->content[0].text, "Only text");
	feed_free(f);

	/* the same document with a hint that says XML: still JSON */
	opt.content_type = "application/rss+xml";
	f = parse_fixture("jsonfeed.json", &opt, &err);
	CHECK(f != NULL && f->format == FEED_FORMAT_JSON11);
	feed_free(f);
	buf_free(&err);
}

static void test_not_feeds(void)
{
	static const struct {
		const char *file;
		const char *message;
	} cases[] = {
	        {"not-feed.html", "not a feed: looks like an HTML page"},
	        {"error-body.json",
	         "not a feed: a JSON error body: rate limited: slow down"},
	        {"empty.xml", "not a feed: the document is empty"},
	};
	static const struct {
		const char *doc;
		const char *message;
	} inline_cases[] = {
	        {"<html><body>x</body></html>",
	         "not a feed: looks like an HTML page"},
	        {"<?xml version=\"1.0\"?><svg/>",
	         "not a feed: the root element is <svg>"},
	        {"   \n\t ", "not a feed: the document is empty"},
	        {"Service Unavailable", "not a feed: neither XML nor JSON"},
	        {"[1,2,3]", "not a feed: JSON without a JSON Feed object"},
	        {"{\"items\": []}",
	         "not a feed: JSON without a JSON Feed version"},
	        {"{\"version\": ", "not a feed: broken JSON"},
	};
	struct buf err = BUF_INIT(0);
	struct feed *f;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		f = parse_fixture(cases[i].file, NULL, &err);
		CHECK(f == NULL);
		CHECK_STR(buf_cstr(&err), cases[i].message);
		feed_free(f);
	}
	for (i = 0; i < sizeof inline_cases / sizeof *inline_cases; i++) {
		const char *doc = inline_cases[i].doc;

		buf_reset(&err);
		f = NULL;
		CHECK_INT(feed_parse(doc, strlen(doc), NULL, &f, &err),
		          ERR_NOT_FEED);
		CHECK(f == NULL);
		CHECK(strncmp(buf_cstr(&err), inline_cases[i].message,
		              strlen(inline_cases[i].message)) == 0);
	}
	buf_free(&err);
}

static void test_encodings(void)
{
	struct buf err = BUF_INIT(0);
	struct feed_options opt = {0};
	struct feed *f;

	f = parse_fixture("euc-kr.xml", NULL, &err);
	if (CHECK(f != NULL)) {
		CHECK_STR(f->encoding, "euc-kr");
		CHECK_STR(f->title.text, "한국");
		/* 똠 exists only in CP949, the superset servers really send */
		CHECK_STR(f->entries[0].title.text, "년 똠방각하");
		CHECK_STR(f->entries[0].summary.text, "인공지능");
	}
	feed_free(f);

	f = parse_fixture("cp1252.xml", NULL, &err);
	if (CHECK(f != NULL))
		CHECK_STR(f->title.text, "\xE2\x80\x9CSmart\xE2\x80\x9D quotes "
		                         "\xE2\x80\x93 dash \xE2\x82\xAC");
	feed_free(f);

	/* BOM skipped, invalid bytes as U+FFFD, a C0 control dropped */
	f = parse_fixture("bom-invalid.xml", NULL, &err);
	if (CHECK(f != NULL)) {
		CHECK(f->recovered);
		CHECK_STR(f->title.text,
		          "BOM and bad bytes \xEF\xBF\xBD\xEF\xBF\xBD here");
		CHECK_STR(f->entries[0].title.text, "okctl");
	}
	feed_free(f);

	/* an HTTP charset overrides the document's declaration */
	opt.content_type = "application/rss+xml; charset=windows-1252";
	f = parse_fixture("euc-kr.xml", &opt, &err);
	if (CHECK(f != NULL))
		CHECK_STR(f->encoding, "windows-1252");
	feed_free(f);
	buf_free(&err);
}

static void test_recovery(void)
{
	struct buf err = BUF_INIT(0);
	struct feed *f;

	f = parse_fixture("broken-amp.xml", NULL, &err);
	if (CHECK(f != NULL)) {
		CHECK(f->recovered);
		CHECK_STR(f->title.text, "Q&A & more");
		CHECK_STR(f->entries[0].title.text,
		          "AT&T buys R&D lab \xC3\xA9t\xC3\xA9");
		CHECK_STR(f->entries[0].link, "http://example.com/a?x=1&y=2");
		CHECK_STR(f->entries[0].summary.text, "Escaped & fine");
		CHECK(strstr(buf_cstr(&f->notes), "bare '&'") != NULL);
	}
	feed_free(f);

	/* a file cut in the middle of an item keeps what was read */
	f = parse_fixture("truncated.xml", NULL, &err);
	if (CHECK(f != NULL)) {
		CHECK(f->recovered);
		CHECK(strstr(buf_cstr(&f->notes), "truncated") != NULL);
		CHECK_INT(f->nentries, 1);
		CHECK_STR(f->entries[0].title.text, "Model 7B released");
	}
	feed_free(f);

	/* a '<' that starts no markup is text */
	{
		const char *doc = "<rss><channel><item><title>1 < 2 & 3 > 0"
		                  "</title></item></channel></rss>";

		CHECK_INT(feed_parse(doc, strlen(doc), NULL, &f, &err), ERR_OK);
		if (f) {
			CHECK_STR(f->entries[0].title.text, "1 < 2 & 3 > 0");
			CHECK(f->recovered);
		}
		feed_free(f);
	}

	/* a CDATA section keeps its '&' as data */
	{
		const char *doc =
		        "<rss><channel><item><title><![CDATA[R&D]]> & "
		        "Q&amp;A</title></item></channel></rss>";

		CHECK_INT(feed_parse(doc, strlen(doc), NULL, &f, &err), ERR_OK);
		if (f)
			CHECK_STR(f->entries[0].title.text, "R&D & Q&A");
		feed_free(f);
	}
	buf_free(&err);
}

static void test_hostile(void)
{
	struct buf err = BUF_INIT(0), doc = BUF_INIT(0);
	struct feed_options opt = {0};
	struct feed *f;
	FILE *fp;
	char host[256] = "";
	size_t i;
	clock_t t0;

	/* billion laughs: entities that refer to entities are never kept */
	t0 = clock();
	f = parse_fixture("billion-laughs.xml", NULL, &err);
	if (CHECK(f != NULL)) {
		CHECK_STR(f->entries[0].title.text, "&lol9;");
		CHECK(strlen(f->entries[0].title.raw) < 64);
	}
	CHECK((clock() - t0) < CLOCKS_PER_SEC);
	feed_free(f);

	/* XXE: an external entity is never read */
	fp = fopen("/etc/hostname", "r");
	if (fp) {
		if (!fgets(host, sizeof host, fp))
			host[0] = '\0';
		host[strcspn(host, "\n")] = '\0';
		fclose(fp);
	}
	f = parse_fixture("xxe.xml", NULL, &err);
	if (CHECK(f != NULL)) {
		CHECK_STR(f->entries[0].title.text, "secret:&xxe;:end");
		CHECK(!*host || strstr(f->entries[0].title.raw, host) == NULL);
	}
	feed_free(f);
	f = parse_fixture("xxe-dtd.xml", NULL, &err);
	if (CHECK(f != NULL))
		CHECK_STR(f->entries[0].title.text, "ok");
	feed_free(f);

	/* deep nesting is cut with a note */
	buf_puts(&doc, "<rss><channel><item><title>deep</title><description>");
	for (i = 0; i < 100000; i++)
		buf_puts(&doc, "<b>");
	buf_puts(&doc, "x");
	t0 = clock();
	CHECK_INT(feed_parse(doc.data, doc.len, NULL, &f, &err), ERR_OK);
	CHECK((clock() - t0) < CLOCKS_PER_SEC);
	if (CHECK(f != NULL)) {
		CHECK(f->recovered);
		CHECK(strstr(buf_cstr(&f->notes), "nested deeper") != NULL);
	}
	feed_free(f);

	/* entries per feed are capped */
	buf_reset(&doc);
	buf_puts(&doc, "<rss><channel>");
	for (i = 0; i < 50; i++)
		buf_printf(&doc, "<item><title>t%zu</title></item>", i);
	buf_puts(&doc, "</channel></rss>");
	opt.max_entries = 7;
	CHECK_INT(feed_parse(doc.data, doc.len, &opt, &f, &err), ERR_OK);
	if (CHECK(f != NULL)) {
		CHECK_INT(f->nentries, 7);
		CHECK_STR(f->entries[6].title.text, "t6");
		CHECK(strstr(buf_cstr(&f->notes), "more than 7 entries") !=
		      NULL);
	}
	feed_free(f);

	/* the size cap refuses before parsing */
	opt.max_entries = 0;
	opt.max_bytes = 100;
	buf_reset(&err);
	CHECK_INT(feed_parse(doc.data, doc.len, &opt, &f, &err), ERR_LIMIT);
	CHECK(f == NULL);
	CHECK(strstr(buf_cstr(&err), "over the cap of 100 bytes") != NULL);

	/* a field over its cap is cut on a character boundary */
	buf_reset(&doc);
	buf_puts(&doc, "<rss><channel><item><description>");
	for (i = 0; i < 1000; i++)
		buf_puts(&doc, "한");
	buf_puts(&doc, "</description></item></channel></rss>");
	opt.max_bytes = 0;
	opt.max_text = 100;
	CHECK_INT(feed_parse(doc.data, doc.len, &opt, &f, &err), ERR_OK);
	if (CHECK(f != NULL)) {
		CHECK(strlen(f->entries[0].summary.raw) <= 100);
		CHECK_INT(strlen(f->entries[0].summary.raw) % 3, 0);
		CHECK(strstr(buf_cstr(&f->notes), "truncated") != NULL);
	}
	feed_free(f);
	buf_free(&doc);
	buf_free(&err);
}

struct stream_ctx {
	int seen;
	int stop_after;
	char first_title[64];
	int content_text_filled; /* entries whose content[0].text is there */
	int content_entries;
};

static int on_entry(void *ctx, const struct feed *feed,
                    const struct feed_entry *entry)
{
	struct stream_ctx *sc = ctx;

	(void)feed;
	if (sc->seen++ == 0)
		snprintf(sc->first_title, sizeof sc->first_title, "%s",
		         entry->title.text ? entry->title.text : "");
	if (entry->ncontent) {
		sc->content_entries++;
		sc->content_text_filled += entry->content[0].text != NULL;
	}
	return sc->seen >= sc->stop_after;
}

static void test_streaming(void)
{
	struct buf err = BUF_INIT(0);
	struct stream_ctx sc = {0, 1, "", 0, 0};
	struct feed_options opt = {0};
	struct feed *f;

	opt.on_entry = on_entry;
	opt.ctx = &sc;
	f = parse_fixture("rss20.xml", &opt, &err);
	if (CHECK(f != NULL)) {
		CHECK_INT(sc.seen, 1); /* the callback asked to stop */
		CHECK(f->entries == NULL);
		CHECK_STR(sc.first_title, "Model 7B released");
	}
	feed_free(f);

	/* summary_text_only: content text only where there is no summary */
	{
		const char *doc = "<rss><channel>"
		                  "<item><description>s</"
		                  "description><content:encoded xmlns:content="
		                  "\"http://purl.org/rss/1.0/modules/content/"
		                  "\">&lt;p&gt;c&lt;/p&gt;"
		                  "</content:encoded></item>"
		                  "<item><content:encoded xmlns:content="
		                  "\"http://purl.org/rss/1.0/modules/content/"
		                  "\">&lt;p&gt;only&lt;/p&gt;"
		                  "</content:encoded></item></channel></rss>";

		memset(&sc, 0, sizeof sc);
		sc.stop_after = 100;
		opt.summary_text_only = true;
		CHECK_INT(feed_parse(doc, strlen(doc), &opt, &f, &err), ERR_OK);
		CHECK_INT(sc.content_entries, 2);
		CHECK_INT(sc.content_text_filled, 1);
		feed_free(f);
		memset(&sc, 0, sizeof sc);
		sc.stop_after = 100;
		opt.summary_text_only = false;
		CHECK_INT(feed_parse(doc, strlen(doc), &opt, &f, &err), ERR_OK);
		CHECK_INT(sc.content_text_filled, 2);
		feed_free(f);
	}
	buf_free(&err);
}

static void test_dates_and_links(void)
{
	struct buf err = BUF_INIT(0);
	struct feed_options opt = {0};
	struct feed *f;

	/* a CMS date without a zone is in the source's zone */
	f = parse_fixture("korean-tz.xml", NULL, &err);
	if (CHECK(f != NULL)) {
		CHECK_STR(utc(&f->entries[0].published),
		          "2024-05-01T09:00:00Z");
		/* 오후: Korean forms are KST without a zone */
		CHECK_STR(utc(&f->entries[1].published),
		          "2024-05-01T06:30:00Z");
		CHECK_STR(f->entries[0].summary.text, "한국어 요약입니다.");
	}
	feed_free(f);
	opt.tz_offset_sec = 9 * 3600;
	f = parse_fixture("korean-tz.xml", &opt, &err);
	if (CHECK(f != NULL)) {
		CHECK_STR(utc(&f->entries[0].published),
		          "2024-05-01T00:00:00Z");
		CHECK_STR(utc(&f->entries[1].published),
		          "2024-05-01T06:30:00Z");
	}
	feed_free(f);

	/* relative links resolve against the document URL */
	{
		const char *doc = "<rss><channel><link>/</link><item><link>"
		                  "../posts/1</link></item></channel></rss>";

		opt.url = "https://example.com/blog/feed.xml";
		CHECK_INT(feed_parse(doc, strlen(doc), &opt, &f, &err), ERR_OK);
		if (f) {
			CHECK_STR(f->link, "https://example.com/");
			CHECK_STR(f->entries[0].link,
			          "https://example.com/posts/1");
		}
		feed_free(f);
	}
	/* libxml2 decodes %DD in a host while it resolves: a link stays
	 * valid UTF-8 */
	{
		const char *doc =
		        "<feed xmlns=\"http://www.w3.org/2005/Atom\">"
		        "<entry xml:base=\"https://ab%DDcd.example/d/\">"
		        "<link href=\"p.html\"/></entry></feed>";

		CHECK_INT(feed_parse(doc, strlen(doc), &opt, &f, &err), ERR_OK);
		if (f && CHECK_INT(f->nentries, 1))
			CHECK_STR(f->entries[0].link,
			          "https://ab%DDcd.example/d/p.html");
		feed_free(f);
	}
	buf_free(&err);
}

static void test_output(void)
{
	struct buf err = BUF_INIT(0);
	struct feed *f = parse_fixture("rss20.xml", NULL, &err);
	char *text = NULL;
	size_t len = 0;
	FILE *mem;

	if (!CHECK(f != NULL))
		return;
	mem = open_memstream(&text, &len);
	CHECK_INT(feed_print_tsv(mem, f, &f->entries[1]), ERR_OK);
	CHECK_INT(feed_print_fields(mem, f), ERR_OK);
	fclose(mem);
	{
		static const char want[] =
		        "2024-01-02T13:15:00Z\tGuid doubles as link\t"
		        "https://lab.example.org/posts/guid-link\t"
		        "https://lab.example.org/posts/guid-link\t"
		        "jane@lab.example.org (Jane Park)\t"
		        "Plain text with a tab and spaces\n";

		CHECK(strncmp(text, want, sizeof want - 1) == 0);
	}
	CHECK(strstr(text,
	             "\nentries[0].title.raw\tModel <b>7B</b> released\n") !=
	      NULL);
	CHECK(strstr(text, "\nentries[0].published\t2024-01-01T12:00:00Z\n") !=
	      NULL);
	CHECK(strstr(text, "\nentries.count\t2\n") != NULL);
	CHECK(strstr(text, "\nfeed.author.email\teditor@lab.example.org\n") !=
	      NULL);
	free(text);
	feed_free(f);

	/* tabs, newlines and backslashes are escaped in TSV output */
	{
		const char *doc = "<rss><channel><item><title>a\\b</title>"
		                  "<description>&lt;pre&gt;x&#9;y&lt;/pre&gt;"
		                  "</description></item></channel></rss>";

		CHECK_INT(feed_parse(doc, strlen(doc), NULL, &f, &err), ERR_OK);
		text = NULL;
		mem = open_memstream(&text, &len);
		CHECK_INT(feed_print_tsv(mem, f, &f->entries[0]), ERR_OK);
		fclose(mem);
		CHECK_STR(text, "\ta\\\\b\t\t\t\tx y\n");
		free(text);
		feed_free(f);
	}
	buf_free(&err);
}

static int sink_to_buf(void *ctx, const char *s, size_t n)
{
	return buf_append(ctx, s, n) != BUF_OK;
}

/* The pass before libxml2: escaped text as CDATA, repairs, nothing else */
static void test_xml_prepare(void)
{
	static const struct {
		const char *in, *out; /* out NULL: unchanged */
		long cdata, bare_amp, bare_lt;
	} cases[] = {
	        {"<a>x &lt;b&gt; y</a>", "<a><![CDATA[x <b> y]]></a>", 1, 0, 0},
	        {"<a>AT&T &amp; co</a>", "<a><![CDATA[AT&T & co]]></a>", 1, 1,
	         0},
	        {"<a>caf&eacute;</a>", NULL, 0, 0, 0},
	        {"<a>AT&T &eacute;</a>", "<a>AT&amp;T &eacute;</a>", 0, 1, 0},
	        {"<a href=\"?a=1&b=2\">x</a>", "<a href=\"?a=1&amp;b=2\">x</a>",
	         0, 1, 0},
	        {"<a href='&amp;'>x</a>", NULL, 0, 0, 0},
	        {"<a>1 < 2</a>", "<a>1 &lt; 2</a>", 0, 0, 1},
	        {"<a>1 < 2 &amp; 3</a>", "<a><![CDATA[1 < 2 & 3]]></a>", 1, 0,
	         0},
	        {"<a>]]&gt;</a>", NULL, 0, 0, 0},
	        {"<a><![CDATA[&]]></a>", NULL, 0, 0, 0},
	        {"<a><!-- & < --></a>", NULL, 0, 0, 0},
	        {"<?xml version=\"1.0\"?><a>&amp;</a>",
	         "<?xml version=\"1.0\"?><a><![CDATA[&]]></a>", 1, 0, 0},
	        {"<!DOCTYPE a [<!ENTITY e \"x>y & z\">]><a>&e;</a>", NULL, 0, 0,
	         0},
	        {"<a>&#X41;&#x42;&#67;</a>", "<a><![CDATA[ABC]]></a>", 1, 0, 0},
	        {"<a>&#13;</a>", NULL, 0, 0, 0},
	        {"<a>&#10;</a>", NULL, 0, 0, 0}, /* keeps the line count */
	        {"<a>&#X41; &eacute;</a>", "<a>&#x41; &eacute;</a>", 0, 1, 0},
	        {"<a>x\n&amp;\ny</a>", "<a><![CDATA[x\n&\ny]]></a>", 1, 0, 0},
	        {"<a t=\"1>2\">&lt;</a>", "<a t=\"1>2\"><![CDATA[<]]></a>", 1,
	         0, 0},
	        {"<a>&#8217;</a>", "<a><![CDATA[\xE2\x80\x99]]></a>", 1, 0, 0},
	        {"<a>unclosed &lt", "<a><![CDATA[unclosed &lt]]>", 1, 1, 0},
	        /* XML reads CRLF and a lone CR as LF; libxml2 keeps the
	         * CRs of a CDATA section */
	        {"<a>&lt;\r\nx\r\n</a>", "<a><![CDATA[<\nx\n]]></a>", 1, 0, 0},
	        {"<a>&lt;\r</a>", NULL, 0, 0, 0},
	        {"<a>\r&amp;\r\n</a>", NULL, 0, 0, 0},
	};
	struct buf out = BUF_INIT(0), big = BUF_INIT(0), want = BUF_INIT(0);
	struct feed_xml_prep res;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		buf_reset(&out);
		CHECK_INT(feed_xml_prepare(cases[i].in, strlen(cases[i].in),
		                           sink_to_buf, &out, &res),
		          0);
		CHECK_STR(buf_cstr(&out),
		          cases[i].out ? cases[i].out : cases[i].in);
		CHECK_INT(res.cdata, cases[i].cdata);
		CHECK_INT(res.bare_amp, cases[i].bare_amp);
		CHECK_INT(res.bare_lt, cases[i].bare_lt);
	}
	/* a document of many pieces comes out whole, in order */
	for (i = 0; i < 20000; i++) {
		buf_printf(&big, "<i n=\"%zu\">t&amp;%zu</i>\n", i, i);
		buf_printf(&want, "<i n=\"%zu\"><![CDATA[t&%zu]]></i>\n", i, i);
	}
	buf_reset(&out);
	CHECK_INT(feed_xml_prepare(big.data, big.len, sink_to_buf, &out, &res),
	          0);
	CHECK_INT(out.len, want.len);
	CHECK(strcmp(buf_cstr(&out), buf_cstr(&want)) == 0);
	CHECK_INT(res.cdata, 20000);
	/* a sink that stops, stops it */
	out.max = 10;
	buf_reset(&out);
	CHECK_INT(feed_xml_prepare(big.data, big.len, sink_to_buf, &out, &res),
	          1);
	buf_free(&out);
	buf_free(&big);
	buf_free(&want);
}

static void test_summary_start(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	        {"arXiv:2611.04302v1 Announce Type: new Abstract: We replace "
	         "dense attention.",
	         "We replace dense attention."},
	        {"  arXiv:2611.04302v2  Announce Type: cross\nAbstract:  Text",
	         "Text"},
	        {"arxiv:2611.04302 announce type: replace abstract: Lower",
	         "Lower"},
	        /* not the boilerplate: kept whole */
	        {"arXiv:2611.04302v1 is out", "arXiv:2611.04302v1 is out"},
	        {"arXiv: a preprint server", "arXiv: a preprint server"},
	        {"arXiv:2611.04302v1 Announce Type: new Abstract:",
	         "arXiv:2611.04302v1 Announce Type: new Abstract:"},
	        {"Plain text", "Plain text"},
	        {"", ""},
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++)
		CHECK_STR(feed_summary_start(cases[i].in), cases[i].want);
	CHECK(feed_summary_start(NULL) == NULL);
}

void test_feed(void)
{
	test_summary_start();
	test_rss20();
	test_atom();
	test_rdf_and_rss091();
	test_json_feed();
	test_not_feeds();
	test_encodings();
	test_recovery();
	test_hostile();
	test_streaming();
	test_dates_and_links();
	test_output();
	test_xml_prepare();
	test_feed_stream();
	/* tests/unit.c has no suite for it yet */
}
