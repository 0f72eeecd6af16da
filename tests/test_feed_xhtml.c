#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "fetch/feed.h"
#include "tests/check.h"
#include "tests/tests.h"

/* Inline XHTML read directly (fetch/feed_xhtml.c) must give what libxml2's
 * events of it give: every field, note and the recovered flag, whole and
 * in pieces. The cases the reader should take are checked to be taken
 * (else the test would hold nothing), and the ones it must leave to
 * libxml2 to be left. */

/* The documents a content goes into: %s is the content. */
static const struct xhtml_context {
	const char *name;
	const char *doc;
	int count; /* contents of the kind in the document */
} xhtml_contexts[] = {
        {"atom content",
         "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
         "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
         "<title>T</title><id>urn:f</id>\n"
         "<entry><title>E</title><id>urn:e</id>\n"
         "<content type=\"xhtml\">%s</content></entry>\n"
         "<entry><title>Next</title><id>urn:n</id></entry>\n</feed>\n",
         1},
        {"atom title and summary",
         "<?xml version=\"1.0\"?>\n"
         "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>T</title>\n"
         "<entry><title type=\"xhtml\">%s</title><id>urn:e</id>\n"
         "<summary type=\"xhtml\">%s</summary></entry></feed>\n",
         2},
        {"rss xhtml:body",
         "<rss version=\"2.0\" "
         "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"><channel>\n"
         "<title>T</title><item><title>I</title>\n"
         "<xhtml:body>%s</xhtml:body></item></channel></rss>\n",
         1},
};

/* Contents, and whether the reader takes them. */
static const struct xhtml_case {
	const char *content;
	bool taken;
} xhtml_cases[] = {
        {"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Hello <b>world</b>"
         "</p></div>",
         true},
        {"\n  <div xmlns=\"http://www.w3.org/1999/xhtml\">\n"
         "<a href=\"https://e.com/?a=1&amp;b=2\" title='say \"hi\" &lt;3'>"
         "x</a> &gt; y\n  </div>\n",
         true},
        {"<div>&amp; &lt; &gt; &quot; &apos; &#8217; &#x2014; &nbsp; &copy; "
         "&lang; &unknown; &a-very-long-name-of-more-than-fifty-bytes-in-all-"
         "indeed; AT&T 1 &gt; 0 &#38;#38; &#65</div>",
         true},
        {"<div><br/><img src=\"a.png\" alt=\"\" /><hr\n/></div>", true},
        {"<div><!-- a comment --><![CDATA[<b>x</b> & y]]>z<!----></div>", true},
        {"<x:div xmlns:x=\"http://www.w3.org/1999/xhtml\"><x:p x:class=\"c\" "
         "id=\"i\">t</x:p></x:div>",
         true},
        {"<div><p xml:lang=\"ko\">\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4 "
         "\xF0\x9F\x98\x80</p></div>",
         true},
        {"<p>a</p><p>b</p>", true},
        {"lead <div>in</div> tail", true},
        {"<div><a\n href=\"x\"\n\ttitle=\"a\tb\nc\">y</a ></div>", true},
        {"<div>a]]b ]] > c</div>", true},
        {"<div><ul><li><p><em><strong><code>deep</code></strong></em></p>"
         "</li></ul></div>",
         true},
        {"<div><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\">"
         "<path d=\"M0 0\"/></svg></div>",
         true},
        /* left to libxml2 */
        {"<div><p>a\r\nb</p></div>", false},
        {"<div><p><b>x</p></b></div>", false},
        {"<div><x:p>t</x:p></div>", false},
        {"<div><p a=\"1\" a=\"2\">t</p></div>", false},
        {"<div><p x:a=\"1\" xmlns:x=\"urn:x\" y:a=\"2\" "
         "xmlns:y=\"urn:y\">t</p></div>",
         false},
        {"<div><?pi x?></div>", false},
        {"<div><p xmlns:x=\"urn:x\" x:1=\"a\">t</p></div>", false},
        {"<div>&#1;</div>", false},
        {"<div>1 < 2</div>", false},
        /* the charset pass has made these valid before the parser */
        {"<div>\xFF \x01</div>", true},
        {"<div><p><p><p><p><p><p><p><p><p><p>deep</p></p></p></p></p></p></p>"
         "</p></p></p></div>",
         false},
        {"<div><p a=1>t</p></div>", false},
        {"<div><a title=\"&nbsp;\">t</a></div>", false},
        {"<div><!-- a -- b --></div>", false},
        {"<div>a ]]> b</div>", false},
        {"<div>&#X41;</div>", false},
        {"<div xmlns:x=\"not a uri\">t</div>", false},
        {"<div xmlns=\"http://www.w3http://www.w3.org/2005/Atom.org/\">t</div>",
         false},
        {"<div><a title=\"a&#10;b\">t</a></div>", false},
        {"<div><p>unclosed</div>", false},
        {"<div><p a=\"<\">t</p></div>", false},
        {"<div><\xC3\xA9>t</\xC3\xA9></div>", false},
        {"<div><!DOCTYPE x></div>", false},
};

#define NCASES (sizeof xhtml_cases / sizeof *xhtml_cases)
#define NCONTEXTS (sizeof xhtml_contexts / sizeof *xhtml_contexts)

/* tmpl with each %s replaced by content. */
static void xhtml_fill(struct buf *doc, const char *tmpl, const char *content)
{
	const char *hole;

	buf_reset(doc);
	for (; (hole = strstr(tmpl, "%s")) != NULL; tmpl = hole + 2) {
		buf_append(doc, tmpl, (size_t)(hole - tmpl));
		buf_puts(doc, content);
	}
	buf_puts(doc, tmpl);
}

static const size_t xhtml_pieces[] = {1, 3, 7, 64, 4096};

/* What a parse of doc tells; *direct: the contents read directly. */
static void xhtml_outcome(const char *doc, size_t n, bool by_libxml2,
                          size_t piece, struct buf *out, long *direct)
{
	struct feed_options opt = {0};
	struct buf err = BUF_INIT(0);
	struct feed_parser *p;
	struct feed *f = NULL;
	size_t i;
	int rc;

	opt.xhtml_by_libxml2 = by_libxml2;
	opt.xhtml_direct = direct;
	opt.max_depth = 12;
	*direct = 0;
	buf_reset(out);
	if (piece == 0) {
		rc = feed_parse(doc, n, &opt, &f, &err);
	} else {
		p = feed_parser_new(&opt);
		for (i = 0; i < n; i += piece)
			feed_parser_push(p, doc + i,
			                 n - i < piece ? n - i : piece);
		rc = feed_parser_finish(p, &f, &err);
		feed_parser_free(p);
	}
	test_feed_outcome(rc, f, &err, out);
	feed_free(f);
	buf_free(&err);
}

/* doc read directly, whole and in pieces, against libxml2 whole; returns
 * the contents read directly, whole (-1 when some reading differs). */
static long xhtml_compare(const char *name, const char *doc, size_t n)
{
	struct buf want = BUF_INIT(0), got = BUF_INIT(0);
	long direct, whole, ret;
	size_t k;

	xhtml_outcome(doc, n, true, 0, &want, &direct);
	ret = direct == 0 ? 0 : -1; /* libxml2 alone reads none directly */
	xhtml_outcome(doc, n, false, 0, &got, &whole);
	if (strcmp(buf_cstr(&got), buf_cstr(&want)) != 0)
		ret = -1;
	for (k = 0; ret >= 0 && k < sizeof xhtml_pieces / sizeof *xhtml_pieces;
	     k++) {
		xhtml_outcome(doc, n, false, xhtml_pieces[k], &got, &direct);
		if (strcmp(buf_cstr(&got), buf_cstr(&want)) != 0 ||
		    direct != whole)
			ret = -1;
	}
	if (ret < 0)
		fprintf(stderr,
		        "    %s: read directly otherwise\n--- libxml2:\n%s\n"
		        "--- direct:\n%s\n",
		        name, buf_cstr(&want), buf_cstr(&got));
	else
		ret = whole;
	buf_free(&want);
	buf_free(&got);
	return ret;
}

static void test_xhtml_cases(void)
{
	struct buf doc = BUF_INIT(0);
	char name[64];
	size_t i, k;
	long direct;

	for (k = 0; k < NCONTEXTS; k++)
		for (i = 0; i < NCASES; i++) {
			const char *c = xhtml_cases[i].content;

			xhtml_fill(&doc, xhtml_contexts[k].doc, c);
			snprintf(name, sizeof name, "%s, case %zu",
			         xhtml_contexts[k].name, i);
			direct = xhtml_compare(name, buf_cstr(&doc), doc.len);
			CHECK(direct >= 0);
			if (direct >= 0 &&
			    !CHECK_INT(direct, xhtml_cases[i].taken
			                               ? xhtml_contexts[k].count
			                               : 0))
				fprintf(stderr, "    %s\n", name);
		}
	buf_free(&doc);
}

/* A seeded generator of contents: mostly what feeds write, now and then
 * what libxml2 reports or reads its own way. */
struct xhtml_rng {
	unsigned long long s;
};

static unsigned xhtml_next(struct xhtml_rng *r, unsigned n)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return (unsigned)((r->s * 2685821657736338717ULL) >> 33) % n;
}

static const char *const xhtml_words[] = {
        "model",   "agent",     "\xEB\xAA\xA8\xEB\x8D\xB8",
        "a&amp;b", "&lt;x&gt;", "&#8217;",
        "&nbsp;",  "AT&T",      "\"q\"",
        " ",       "\n",        "\t",
        "1 > 0",   "]]",        "&#x1F600;",
        "&bogus;", "x\r\ny",    "&#0;",
        "\x01",    "1 < 2",     "&#X41;",
        "]]>",     "\xC3",      "&#10;",
        "&",
};

static const char *const xhtml_attrs[] = {
        " class=\"c\"",       " href=\"https://e.com/?a=1&amp;b=2\"",
        " title='\"x\"'",     " alt=\"\"",
        " xml:lang=\"en\"",   " data-x=\"a\tb\"",
        " v=\"&lt;&#38;\"",   " t=\"&nbsp;\"",
        " u=\"<\"",           " w=\"a&b\"",
        " xmlns:m=\"urn:m\"", " m:k=\"1\"",
        " class=\"d\"",       " n=\"a\r\nb\"",
};

static const char *const xhtml_elements[] = {"p",   "b",    "a",  "em",
                                             "m:x", "span", "q:y"};

static void xhtml_generate(struct xhtml_rng *r, struct buf *out)
{
	const char *open[12];
	size_t depth = 0, i, steps = 5 + xhtml_next(r, 40);
	unsigned k;

	for (i = 0; i < steps; i++) {
		k = xhtml_next(r, 10);
		if (k < 4) {
			unsigned w = xhtml_next(r, 100);

			/* one word in 40 is an odd one */
			w = w < 97 ? w % 15 : 15 + xhtml_next(r, 10);
			buf_puts(out, xhtml_words[w]);
		} else if (k < 7 && depth < 12) {
			const char *el = xhtml_elements[xhtml_next(r, 6)];
			unsigned na = xhtml_next(r, 3), j;

			if (xhtml_next(r, 30) == 0) /* a prefix not declared */
				el = xhtml_elements[6];
			buf_printf(out, "<%s", el);
			for (j = 0; j < na; j++) {
				unsigned a = xhtml_next(r, 100);

				a = a < 96 ? a % 7 : 7 + xhtml_next(r, 7);
				buf_puts(out, xhtml_attrs[a]);
			}
			if (xhtml_next(r, 6) == 0) {
				buf_puts(out, "/>");
			} else {
				buf_putc(out, '>');
				open[depth++] = el;
			}
		} else if (k < 9 && depth > 0) {
			/* now and then the wrong element closes */
			const char *el =
			        xhtml_next(r, 40) == 0 ? "zz" : open[depth - 1];

			buf_printf(out, "</%s>", el);
			depth--;
		} else if (xhtml_next(r, 4) == 0) {
			buf_puts(out, xhtml_next(r, 2) ? "<!-- c -->"
			                               : "<![CDATA[a<b&c]]>");
		}
	}
	while (depth > 0 && xhtml_next(r, 30) != 0)
		buf_printf(out, "</%s>", open[--depth]);
}

static void test_xhtml_generated(void)
{
	struct xhtml_rng r = {0x9E3779B97F4A7C15ULL};
	struct buf content = BUF_INIT(0), doc = BUF_INIT(0);
	long direct, taken = 0, differ = 0, total = 600;
	char name[64];
	long i;

	for (i = 0; i < total; i++) {
		buf_reset(&content);
		buf_puts(&content, "<div xmlns=\"http://www.w3.org/1999/xhtml\""
		                   " xmlns:m=\"urn:m\">");
		xhtml_generate(&r, &content);
		buf_puts(&content, "</div>");
		xhtml_fill(&doc, xhtml_contexts[i % NCONTEXTS].doc,
		           buf_cstr(&content));
		snprintf(name, sizeof name, "generated %ld", i);
		direct = xhtml_compare(name, buf_cstr(&doc), doc.len);
		if (direct < 0)
			differ++;
		else if (direct > 0)
			taken++;
	}
	CHECK_INT(differ, 0);
	/* both kinds are there in numbers, or the test holds little */
	CHECK(taken >= total / 4);
	CHECK(taken <= total * 3 / 4);
	printf("xhtml read directly: %ld of %ld generated documents, the rest "
	       "by libxml2; %ld read otherwise\n",
	       taken, total, differ);
	buf_free(&content);
	buf_free(&doc);
}

void test_feed_xhtml(void)
{
	test_xhtml_cases();
	test_xhtml_generated();
}
