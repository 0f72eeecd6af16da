#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/err.h"
#include "fetch/charset.h"
#include "fetch/feed.h"
#include "fetch/feed_impl.h"
#include "tests/check.h"
#include "tests/tests.h"

/* A document fed in pieces gives what it gives whole: the UTF-8 cleaning,
 * the pre-pass, the parser and feed_parse_file, piece sizes from one byte
 * up; and the pre-pass's runs handed straight to the parser. */

#define FIXTURES "tests/fixtures/feeds/"

static const size_t piece_sizes[] = {1, 2, 3, 5, 7, 64, 4095, 4096, 65536};
#define NSIZES (sizeof piece_sizes / sizeof *piece_sizes)

static void emit_to_buf(void *ctx, const char *s, size_t n)
{
	buf_append(ctx, s, n);
}

/* charset_utf8_push in pieces against charset_to_utf8 whole. */
static void test_utf8_pieces(void)
{
	static const struct {
		const char *s;
		size_t n;
	} docs[] = {
#define DOC(s) {s, sizeof s - 1}
	        DOC("ab\xEA\xB0\x80"
	            "cd\xEA\xB0\x80\xEA\xB0\x80"
	            "e\xF0\x9F\x98\x80"
	            "f"),
	        DOC("a\xE3\x80"), /* cut at the end of the document */
	        DOC("\xE3\x80"
	            "a\xF0\x9F\x98"),
	        DOC("\xC0\xAF\xED\xA0\x80\xF4\x90\x80\x80\xE0\x9F\xBF"),
	        DOC("a\x01"
	            "b\x0C\tc\r\n\x00"
	            "d"),
	        DOC("a\xEF\xBF\xBE"
	            "b\xEF\xBF\xBF\xEF\xBF\xBD\xEF\xBF"),
	        DOC("0123456789abcdef\x1F"
	            "0123456789abcdef\xC3\xA9\x80\xC3"),
#undef DOC
	};
	struct buf whole = BUF_INIT(0), out = BUF_INIT(0);
	struct charset_utf8_stream u;
	const char *text;
	size_t d, k, i, len, step;
	long replaced;

	check_group("feed stream: UTF-8 in pieces");
	for (d = 0; d < sizeof docs / sizeof *docs; d++) {
		if (!CHECK_INT(charset_to_utf8(docs[d].s, docs[d].n, "utf-8",
		                               &whole, &text, &len, &replaced),
		               CHARSET_OK))
			continue;
		for (k = 0; k < NSIZES; k++) {
			step = piece_sizes[k];
			memset(&u, 0, sizeof u);
			buf_reset(&out);
			for (i = 0; i < docs[d].n; i += step)
				charset_utf8_push(&u, docs[d].s + i,
				                  docs[d].n - i < step
				                          ? docs[d].n - i
				                          : step,
				                  false, emit_to_buf, &out);
			charset_utf8_push(&u, "", 0, true, emit_to_buf, &out);
			if (!CHECK_INT(out.len, len) ||
			    !CHECK(memcmp(buf_cstr(&out), text, len) == 0) ||
			    !CHECK_INT(u.replaced, replaced))
				fprintf(stderr,
				        "    document %zu, pieces of %zu\n", d,
				        step);
		}
	}
	buf_free(&whole);
	buf_free(&out);
}

static int sink_to_buf(void *ctx, const char *s, size_t n)
{
	return buf_append(ctx, s, n) != BUF_OK;
}

/* The pre-pass in pieces against the pre-pass whole. */
static void test_prep_pieces(void)
{
	static const char *const docs[] = {
	        "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY e \"x>y & z\">"
	        "<!-- ]> -->]><a t=\"1>2&3\">x &lt;b&gt; y<!-- & < -->"
	        "<![CDATA[&]]>AT&T 1 < 2 &#X41;<?pi ?>\r\n&lt;\r</a>",
	        "<a>unclosed &lt",
	        "<a><b t='x",
	        "<a><!-- unclosed",
	        "<a>&lt;x&gt;<!---->]]&gt;<![CDATA[]]></a><",
	};
	struct buf whole = BUF_INIT(0), out = BUF_INIT(0), big = BUF_INIT(0);
	struct feed_xml_prep want, got;
	struct feed_xml_prepper *pp;
	const char *doc;
	size_t d, k, i, n, step;
	int stopped;

	check_group("feed stream: the pre-pass in pieces");
	for (i = 0; i < 3000; i++)
		buf_printf(&big,
		           "<i n=\"%zu&\">t&amp;%zu<![CDATA[c]]><!-- x -->"
		           "</i>\n",
		           i, i);
	for (d = 0; d <= sizeof docs / sizeof *docs; d++) {
		doc = d < sizeof docs / sizeof *docs ? docs[d] : big.data;
		n = strlen(doc);
		buf_reset(&whole);
		CHECK_INT(feed_xml_prepare(doc, n, sink_to_buf, &whole, &want),
		          0);
		for (k = 0; k < NSIZES; k++) {
			step = piece_sizes[k];
			buf_reset(&out);
			pp = feed_xml_prepper_new(sink_to_buf, NULL, &out);
			stopped = 0;
			for (i = 0; i < n; i += step)
				stopped |= feed_xml_prepper_push(
				        pp, doc + i,
				        n - i < step ? n - i : step);
			CHECK_INT(stopped, 0);
			CHECK_INT(feed_xml_prepper_finish(pp, &got), 0);
			feed_xml_prepper_free(pp);
			if (!CHECK_INT(out.len, whole.len) ||
			    !CHECK(strcmp(buf_cstr(&out), buf_cstr(&whole)) ==
			           0) ||
			    !CHECK_INT(got.cdata, want.cdata) ||
			    !CHECK_INT(got.bare_amp, want.bare_amp) ||
			    !CHECK_INT(got.bare_lt, want.bare_lt))
				fprintf(stderr,
				        "    document %zu, pieces of %zu\n", d,
				        step);
		}
	}
	buf_free(&whole);
	buf_free(&out);
	buf_free(&big);
}

/* What a take_text saw, and whether it takes. */
struct taker {
	struct buf markup, texts;
	bool takes;
};

static int taker_sink(void *ctx, const char *s, size_t n)
{
	struct taker *t = ctx;

	return buf_append(&t->markup, s, n) != BUF_OK;
}

static int taker_take(void *ctx, const char *s, size_t n)
{
	struct taker *t = ctx;

	/* everything before the run has reached the sink */
	buf_puts(&t->texts, "[");
	buf_append(&t->texts, s, n);
	buf_printf(&t->texts, "|%zu]", t->markup.len);
	return t->takes;
}

/* Runs offered to take_text leave the document, their line breaks but;
 * runs it refuses are written in as without it. */
static void test_prep_take(void)
{
	static const char doc[] = "<a>x\n&lt;y&gt;</a><b><![CDATA[p\nq]]></b>"
	                          "<c>plain</c><d>\r&amp;</d><e>]]&gt;</e>";
	struct taker t = {BUF_INIT(0), BUF_INIT(0), true};
	struct buf whole = BUF_INIT(0);
	struct feed_xml_prepper *pp;
	struct feed_xml_prep res;

	check_group("feed stream: runs taken by the parser");
	pp = feed_xml_prepper_new(taker_sink, taker_take, &t);
	CHECK_INT(feed_xml_prepper_push(pp, doc, sizeof doc - 1), 0);
	CHECK_INT(feed_xml_prepper_finish(pp, &res), 0);
	feed_xml_prepper_free(pp);
	CHECK_STR(buf_cstr(&t.markup),
	          "<a><!--\n--></a><b><!--\n--></b><c>plain</c>"
	          "<d>\r&amp;</d><e></e>");
	CHECK_STR(buf_cstr(&t.texts), "[x\n<y>|3][p\nq|18][]]>|58]");
	CHECK_INT(res.cdata, 2);

	buf_reset(&t.markup);
	buf_reset(&t.texts);
	t.takes = false;
	pp = feed_xml_prepper_new(taker_sink, taker_take, &t);
	CHECK_INT(feed_xml_prepper_push(pp, doc, sizeof doc - 1), 0);
	CHECK_INT(feed_xml_prepper_finish(pp, &res), 0);
	feed_xml_prepper_free(pp);
	CHECK_INT(feed_xml_prepare(doc, sizeof doc - 1, sink_to_buf, &whole,
	                           &res),
	          0);
	CHECK_STR(buf_cstr(&t.markup), buf_cstr(&whole));
	buf_free(&t.markup);
	buf_free(&t.texts);
	buf_free(&whole);
}

/* A run longer than any piece is read again only as it doubles. */
static void test_prep_long_run(void)
{
	struct buf doc = BUF_INIT(0), out = BUF_INIT(0);
	struct feed_xml_prepper *pp;
	struct feed_xml_prep res;
	struct timespec t0;
	size_t i;
	int stopped = 0;

	check_group("feed stream: a long run in small pieces");
	buf_puts(&doc, "<a>");
	for (i = 0; i < 1000000; i++)
		buf_puts(&doc, "&lt;b");
	buf_puts(&doc, "</a>");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pp = feed_xml_prepper_new(sink_to_buf, NULL, &out);
	for (i = 0; i < doc.len; i += 1024)
		stopped |= feed_xml_prepper_push(
		        pp, doc.data + i,
		        doc.len - i < 1024 ? doc.len - i : 1024);
	CHECK_INT(stopped, 0);
	CHECK_INT(feed_xml_prepper_finish(pp, &res), 0);
	feed_xml_prepper_free(pp);
	CHECK(check_seconds_since(&t0) < 2.0);
	CHECK_INT(out.len, 3 + 9 + 2000000 + 3 + 4);
	CHECK_INT(res.cdata, 1);
	buf_free(&doc);
	buf_free(&out);
}

void test_feed_outcome(int rc, const struct feed *f, const struct buf *err,
                       struct buf *out)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	buf_printf(out, "rc %d err %s\n", rc, buf_cstr(err));
	if (!f)
		return;
	fp = open_memstream(&text, &len);
	if (!fp)
		return;
	if (feed_print_fields(fp, f) != ERR_OK)
		buf_puts(out, "print failed\n");
	fclose(fp);
	buf_append(out, text, len);
	buf_printf(out, "notes\n%s", buf_cstr(&f->notes));
	free(text);
}

/* The parser in pieces of every size against feed_parse, on doc. */
static void check_parser_pieces(const char *name, const char *doc, size_t n,
                                const struct feed_options *opt)
{
	struct buf want = BUF_INIT(0), got = BUF_INIT(0), err = BUF_INIT(0);
	struct feed_parser *p;
	struct feed *f;
	size_t k, i, step;
	int rc;

	rc = feed_parse(doc, n, opt, &f, &err);
	test_feed_outcome(rc, f, &err, &want);
	feed_free(f);
	for (k = 0; k < NSIZES; k++) {
		step = piece_sizes[k];
		if (step < 64 && n > 100000)
			continue;
		buf_reset(&got);
		buf_reset(&err);
		p = feed_parser_new(opt);
		for (i = 0; i < n; i += step)
			feed_parser_push(p, doc + i,
			                 n - i < step ? n - i : step);
		rc = feed_parser_finish(p, &f, &err);
		feed_parser_free(p);
		test_feed_outcome(rc, f, &err, &got);
		feed_free(f);
		if (!CHECK_STR(buf_cstr(&got), buf_cstr(&want)))
			fprintf(stderr, "    %s, pieces of %zu\n", name, step);
	}
	buf_free(&want);
	buf_free(&got);
	buf_free(&err);
}

static void test_parser_pieces(void)
{
	struct feed_options opt = {0};
	struct buf doc = BUF_INIT(0), path = BUF_INIT(0);
	struct dirent *de;
	DIR *dir;
	size_t i;

	check_group("feed stream: the parser in pieces");
	dir = opendir(FIXTURES);
	if (!CHECK(dir != NULL))
		return;
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		buf_reset(&path);
		buf_printf(&path, FIXTURES "%s", de->d_name);
		if (CHECK(check_read_file(buf_cstr(&path), &doc)))
			check_parser_pieces(de->d_name, buf_cstr(&doc), doc.len,
			                    NULL);
	}
	closedir(dir);
	/* a long UTF-8 document, invalid bytes across the pieces' ends */
	buf_reset(&doc);
	buf_puts(&doc, "\xEF\xBB\xBF  \n<rss><channel><title>t</title>");
	for (i = 0; i < 3000; i++)
		buf_printf(&doc,
		           "<item><title>\xEA\xB0\x80%zu\xFF\x01</title>"
		           "<description>&lt;p&gt;%zu &amp; \xF0\x9F\x98\x80"
		           "&lt;/p&gt;</description></item>\n",
		           i, i);
	buf_puts(&doc, "</channel></rss>");
	check_parser_pieces("long", doc.data, doc.len, NULL);
	opt.content_type = "text/html; charset=utf-8";
	opt.max_entries = 5;
	check_parser_pieces("long, capped", doc.data, doc.len, &opt);
	opt.max_bytes = 1000;
	check_parser_pieces("long, over the cap", doc.data, doc.len, &opt);
	/* JSON, another encoding, HTML and blanks decide late */
	buf_reset(&doc);
	for (i = 0; i < 5000; i++)
		buf_putc(&doc, ' ');
	buf_puts(&doc, "<!DOCTYPE html><html></html>");
	check_parser_pieces("html", doc.data, doc.len, NULL);
	check_parser_pieces("blank", doc.data, 5000, NULL);
	buf_reset(&doc);
	buf_puts(&doc, "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss>"
	               "<channel><item><title>caf\xE9</title></item>");
	for (i = 0; i < 500; i++)
		buf_puts(&doc, "<!-- padding, padding, padding -->");
	buf_puts(&doc, "</channel></rss>");
	check_parser_pieces("latin-1", doc.data, doc.len, NULL);
	buf_free(&doc);
	buf_free(&path);
}

/* feed_parse_file reads as feed_parse parses, and fails as file_view_open
 * does. */
static void test_parse_file(void)
{
	struct buf doc = BUF_INIT(0), err = BUF_INIT(0);
	struct buf want = BUF_INIT(0), got = BUF_INIT(0);
	struct feed_options opt = {0};
	struct feed *f;
	char path[] = "/tmp/aidigest-feed-XXXXXX";
	size_t i;
	int fd, rc;
	FILE *fp;

	check_group("feed stream: feed_parse_file");
	fd = mkstemp(path);
	if (!CHECK(fd >= 0))
		return;
	fp = fdopen(fd, "w");
	buf_puts(&doc, "<rss><channel>");
	for (i = 0; i < 20000; i++)
		buf_printf(&doc,
		           "<item><title>%zu</title><description>&lt;b&gt;x"
		           "</description></item>",
		           i);
	buf_puts(&doc, "</channel></rss>");
	if (!CHECK(fp && fwrite(doc.data, 1, doc.len, fp) == doc.len) ||
	    !CHECK_INT(fclose(fp), 0))
		goto out;
	opt.max_entries = 100000;
	rc = feed_parse(doc.data, doc.len, &opt, &f, &err);
	test_feed_outcome(rc, f, &err, &want);
	feed_free(f);
	buf_reset(&err);
	rc = feed_parse_file(path, &opt, &f, &err);
	test_feed_outcome(rc, f, &err, &got);
	feed_free(f);
	CHECK_STR(buf_cstr(&got), buf_cstr(&want));

	opt.max_bytes = 1000;
	buf_reset(&err);
	CHECK_INT(feed_parse_file(path, &opt, &f, &err), ERR_LIMIT);
	CHECK(f == NULL);
	buf_reset(&want);
	buf_printf(&want, "%zu bytes, over the cap of 1000 bytes", doc.len);
	CHECK_STR(buf_cstr(&err), buf_cstr(&want));
	buf_reset(&err);
	CHECK_INT(feed_parse_file("/nonexistent/feed.xml", NULL, &f, &err),
	          ERR_NOT_FOUND);
	CHECK_STR(buf_cstr(&err), "No such file or directory");
	buf_reset(&err);
	CHECK_INT(feed_parse_file("/tmp", NULL, &f, &err), ERR_IO);
	CHECK_STR(buf_cstr(&err), "is a directory");
out:
	unlink(path);
	buf_free(&doc);
	buf_free(&err);
	buf_free(&want);
	buf_free(&got);
}

void test_feed_stream(void)
{
	test_utf8_pieces();
	test_prep_pieces();
	test_prep_take();
	test_prep_long_run();
	test_parser_pieces();
	test_parse_file();
	test_feed_xhtml();
}
