#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/xalloc.h"
#include "fetch/html.h"
#include "tests/check.h"
#include "tests/tests.h"

struct html_case {
	const char *in;
	const char *want;
};

static const struct html_case html_cases[] = {
        /* block elements separate words, inline ones do not */
        {"<p>a</p><p>b</p>", "a b"},
        {"a<b>c</b>d", "acd"},
        {"a<br>b", "a b"},
        {"a<br/>b", "a b"},
        {"a<BR />b", "a b"},
        {"a</P>b", "a b"},
        {"<div>x</div>", "x"},
        {"a<span class=\"k\">b</span>c", "abc"},
        {"<ul><li>one</li><li>two</li></ul>", "one two"},
        {"a<h1>T</h1>b<h6>U</h6>", "a T b U"},
        {"<table><tr><td>1</td><td>2</td></tr></table>", "1 2"},
        {"a<img src=x.png>b", "ab"},
        {"a <b>c</b> d", "a c d"},
        {"a<pre>b</pre>c", "a b c"},
        {"a<blockquotes>b", "ab"},
        {"a<custom-tag>b</custom-tag>c", "abc"},
        {"<p></p><p></p>", ""},
        {"<p> </p>x<p> </p>", "x"},
        /* attributes, quoted '>' included */
        {"<a href=\"x>y\">link</a>", "link"},
        {"<a title='a>b' href=x>t</a>", "t"},
        {"<a b = \"c>d\">e</a>", "e"},
        {"<a href=x\"y>z", "z"},
        {"<a b=\"1\"c='>'>d", "d"},
        {"<a title>b\">c", "b\">c"},
        {"<p class=\"x\"/>y", "y"},
        /* unclosed tags at the end are dropped */
        {"text <a href=\"foo", "text"},
        {"abc<p", "abc"},
        {"abc<div class='x>y", "abc"},
        {"abc</div", "abc"},
        /* '<' that does not start a tag is text */
        {"a < b", "a < b"},
        {"1<2", "1<2"},
        {"I <3 it", "I <3 it"},
        {"x<", "x<"},
        {"<<<", "<<<"},
        {"a<\xea\xb0\x80", "a<\xea\xb0\x80"},
        {"a </", "a </"},
        {"a<>b", "a<>b"},
        /* bogus comments and declarations are dropped */
        {"a</>b", "ab"},
        {"a</ b>c", "ac"},
        {"a</3>c", "ac"},
        {"<!DOCTYPE html>a", "a"},
        {"a<?xml version=\"1.0\"?>b", "ab"},
        {"a<!>b", "ab"},
        {"a<!-x>b", "ab"},
        {"a<!", "a<!"},
        {"a<!DOCTYPE ", "a<!DOCTYPE"},
        {" <!DOCTYPE ", "<!DOCTYPE"},
        {"a<!-x", "a<!-x"},
        {"a</ b", "a</ b"},
        {"a<!x &amp; y", "a<!x & y"},
        {"a<!x <!y <p>z", "az"},
        {"a<!x <!y <p", "a<!x <!y"},
        {"a<?php echo 1", "a<?php echo 1"},
        /* script and style content */
        {"a<script>var x = '<p>';</script>b", "ab"},
        {"a<SCRIPT type=text/javascript>x</ScRiPt>b", "ab"},
        {"a<style>p { color: red }</style >b", "ab"},
        {"a<script>if (a</scriptx) {}</script>b", "ab"},
        {"a<script>x</script foo=\">\">b", "ab"},
        {"a<script>never closed", "a"},
        {"a<script>x</script", "a"},
        {"a<script/>b</script>c", "ac"},
        {"a</script>b", "ab"},
        {"a<scripts>b</scripts>", "ab"},
        {"a<style><!-- p{} --></style>b<p>c", "ab c"},
        /* comments */
        {"a<!-- c -->b", "ab"},
        {"a<!-- <p>x</p> -->b", "ab"},
        {"a<!-->b", "ab"},
        {"a<!--->b", "ab"},
        {"a<!---->b", "ab"},
        {"a<!-- x --!>b", "ab"},
        {"a<!--!>b-->c", "ac"},
        {"a<!-- x -- y -->b", "ab"},
        {"a<!--x->y-->b", "ab"},
        {"a<!-- unterminated", "a"},
        {"a<!--", "a"},
        {"a <!-- c --> b", "a b"},
        /* CDATA content is text, not markup */
        {"a<![CDATA[<b>x &amp; y</b>]]>c", "a<b>x &amp; y</b>c"},
        {"a<![CDATA[ x \n y ]]>b", "a x y b"},
        {"a<![CDATA[]]>b", "ab"},
        {"a<![CDATA[x]>]]>b", "ax]>b"},
        {"<![CDATA[open", "open"},
        {"a<![cdata[x]]>b", "ab"},
        /* named references */
        {"&amp;", "&"},
        {"&lt;p&gt;", "<p>"},
        {"&quot;x&quot;", "\"x\""},
        {"&apos;", "'"},
        {"caf&eacute;", "caf\xc3\xa9"},
        {"&Eacute;", "\xc3\x89"},
        {"&AMP;", "&"},
        {"&Amp;", "&Amp;"},
        {"&hellip;", "\xe2\x80\xa6"},
        {"&nLt;", "\xe2\x89\xaa\xe2\x83\x92"},
        {"&Afr;", "\xf0\x9d\x94\x84"},
        {"&CounterClockwiseContourIntegral;", "\xe2\x88\xb3"},
        {"&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"},
        {"&amp;lt;", "&lt;"},
        {"a&nbsp;b", "a\xc2\xa0"
                     "b"},
        {"&nbsp;x&nbsp;", "\xc2\xa0x\xc2\xa0"},
        {"a&Tab;&NewLine;b", "a b"},
        {"a&#32;&#32;b", "a b"},
        /* legacy names without ';', also as a prefix of more letters */
        {"&amp", "&"},
        {"AT&amp;T &amp T", "AT&T & T"},
        {"&copy 2024", "\xc2\xa9 2024"},
        {"&copy2024", "\xc2\xa9"
                      "2024"},
        {"&ampx", "&x"},
        {"&eacute", "\xc3\xa9"},
        {"&lt", "<"},
        {"&gtfoo", ">foo"},
        {"&notit;", "\xc2\xacit;"},
        {"&notin;", "\xe2\x88\x89"},
        {"&notin", "\xc2\xacin"},
        {"&hellip", "&hellip"},
        {"&ldquo", "&ldquo"},
        /* invalid references stay as text */
        {"AT&T", "AT&T"},
        {"&foo;", "&foo;"},
        {"& x", "& x"},
        {"&;", "&;"},
        {"a&&b", "a&&b"},
        {"&", "&"},
        {"x &", "x &"},
        {"&\xea\xb0\x80;", "&\xea\xb0\x80;"},
        {"&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;",
         "&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;"},
        /* numeric references */
        {"&#65;", "A"},
        {"&#x41;", "A"},
        {"&#X41;", "A"},
        {"&#65", "A"},
        {"&#65b", "Ab"},
        {"&#x41g", "Ag"},
        {"&#0065;", "A"},
        {"&#x1F600;", "\xf0\x9f\x98\x80"},
        {"&#xac00;", "\xea\xb0\x80"},
        {"&#160;", "\xc2\xa0"},
        {"&#10;x&#13;", "x"},
        /* 0x80-0x9F are windows-1252 */
        {"don&#146;t", "don\xe2\x80\x99t"},
        {"&#x92;", "\xe2\x80\x99"},
        {"&#128;", "\xe2\x82\xac"},
        {"&#147;q&#148;", "\xe2\x80\x9cq\xe2\x80\x9d"},
        {"&#x9F;", "\xc5\xb8"},
        {"&#x81;", "\xc2\x81"},
        /* out of range */
        {"&#0;", "\xef\xbf\xbd"},
        {"&#xD800;", "\xef\xbf\xbd"},
        {"&#xDFFF;", "\xef\xbf\xbd"},
        {"&#x110000;", "\xef\xbf\xbd"},
        {"&#x10FFFF;", "\xf4\x8f\xbf\xbf"},
        {"&#99999999999999999999999;", "\xef\xbf\xbd"},
        {"&#xFFFFFFFFFFFFFFFF41;", "\xef\xbf\xbd"},
        {"&#;", "&#;"},
        {"&#x;", "&#x;"},
        {"&#xg;", "&#xg;"},
        {"&#", "&#"},
        {"&#a;", "&#a;"},
        /* whitespace */
        {"", ""},
        {"   ", ""},
        {"  a \t\n\r\f\v b  ", "a b"},
        {"a\n\nb", "a b"},
        {"a\xc2\xa0 b", "a\xc2\xa0 b"},
        {"\xc2\xa0", "\xc2\xa0"},
        {" <p> a </p> <p> b </p> ", "a b"},
        /* Korean passes through */
        {"\xec\x9d\xb8\xea\xb3\xb5\xec\xa7\x80\xeb\x8a\xa5 "
         "\xeb\xaa\xa8\xeb\x8d\xb8",
         "\xec\x9d\xb8\xea\xb3\xb5\xec\xa7\x80\xeb\x8a\xa5 "
         "\xeb\xaa\xa8\xeb\x8d\xb8"},
        {"<p>\xec\x98\xa4\xeb\x8a\x98\xec\x9d\x98 AI "
         "\xeb\x89\xb4\xec\x8a\xa4</p>"
         "<p>\xed\x95\x9c&nbsp;\xea\xb5\xad</p>",
         "\xec\x98\xa4\xeb\x8a\x98\xec\x9d\x98 AI \xeb\x89\xb4\xec\x8a\xa4 "
         "\xed\x95\x9c\xc2\xa0\xea\xb5\xad"},
        /* an RSS description as feeds send it */
        {"<p>OpenAI released <a href=\"https://example.com/?a=1&amp;b=2\">a "
         "new model</a>&#8230;</p>\n<p>It&#8217;s <em>fast</em>.</p>",
         "OpenAI released a new model\xe2\x80\xa6 It\xe2\x80\x99s fast."},
};

static const struct html_case collapse_cases[] = {
        {"", ""},
        {"  ", ""},
        {" a  b ", "a b"},
        {"\ta\r\n\f\vb\n", "a b"},
        {"<p>a &amp; b</p>", "<p>a &amp; b</p>"},
        {"a\xc2\xa0\xc2\xa0 b", "a\xc2\xa0\xc2\xa0 b"},
        {"\xed\x95\x9c  \xea\xb5\xad", "\xed\x95\x9c \xea\xb5\xad"},
};

static void test_html_cases(void)
{
	struct buf out = BUF_INIT(0);
	size_t i;

	for (i = 0; i < sizeof html_cases / sizeof html_cases[0]; i++) {
		buf_reset(&out);
		CHECK_INT(html_to_text(html_cases[i].in,
		                       strlen(html_cases[i].in), &out),
		          BUF_OK);
		if (!CHECK_STR(buf_cstr(&out), html_cases[i].want))
			fprintf(stderr, "    input: \"%s\"\n",
			        html_cases[i].in);
	}
	for (i = 0; i < sizeof collapse_cases / sizeof collapse_cases[0]; i++) {
		buf_reset(&out);
		CHECK_INT(text_collapse_space(collapse_cases[i].in,
		                              strlen(collapse_cases[i].in),
		                              &out),
		          BUF_OK);
		if (!CHECK_STR(buf_cstr(&out), collapse_cases[i].want))
			fprintf(stderr, "    input: \"%s\"\n",
			        collapse_cases[i].in);
	}

	/* NUL bytes are dropped; the length, not a NUL, ends the input */
	buf_reset(&out);
	CHECK_INT(html_to_text("a\0b <p>c", 8, &out), BUF_OK);
	CHECK_STR(buf_cstr(&out), "ab c");
	buf_reset(&out);
	CHECK_INT(text_collapse_space("a\0 b\0", 5, &out), BUF_OK);
	CHECK_STR(buf_cstr(&out), "a b");

	/* a NUL inside a tag name is part of the name, not its end */
	buf_reset(&out);
	CHECK_INT(html_to_text("a<s\0>b<p\0>c<s\0", 15, &out), BUF_OK);
	CHECK_STR(buf_cstr(&out), "abc");
	CHECK(!html_looks_like("<s\0>", 4));
	CHECK(!html_looks_like("&amp\0;", 6));
	CHECK(html_entity_lookup("lt\0", 3) == NULL);

	/* output is appended to what the buffer holds */
	buf_reset(&out);
	buf_puts(&out, "X:");
	CHECK_INT(html_to_text("<p> y </p>", 10, &out), BUF_OK);
	CHECK_STR(buf_cstr(&out), "X:y");
	CHECK_INT(out.len, 3);

	/* nothing to write leaves an untouched buffer empty */
	buf_free(&out);
	CHECK_INT(html_to_text("<p> </p>", 8, &out), BUF_OK);
	CHECK_STR(buf_cstr(&out), "");
	CHECK_INT(out.len, 0);
	buf_free(&out);
}

/* Runs of every length up to past a few 8-byte words, ending in each way a
 * run can end: the word-at-a-time scan must stop exactly where it should. */
static void test_html_run_ends(void)
{
	static const char prefix[] =
	        "abc de fghij k lmnopq rs t uvw xy \xed\x95\x9c z";
	static const struct {
		const char *suffix, *want;
		bool plain; /* also a case for text_collapse_space */
	} ends[] = {
	        {"", "", true},
	        {" ", "", true},
	        {"  ", "", true},
	        {" x", " x", true},
	        {"  x", " x", true},
	        {"\tx", " x", true},
	        {" \n x", " x", true},
	        {" \v", "", true},
	        {" </p>", "", false},
	        {"</p> ", "", false},
	        {" <b>x", " x", false},
	        {" <p>x", " x", false},
	        {"<p> x", " x", false},
	        {"<b>x", "x", false},
	        {" &amp;", " &", false},
	        {"&amp; ", "&", false},
	        {"&lt;&gt; x", "<> x", false},
	};
	static const char *const gaps[] = {"  ", " \t", "\n ", "   "};
	static const char tail[] = "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy";
	struct buf in = BUF_INIT(0), out = BUF_INIT(0), want = BUF_INIT(0);
	size_t k, e, i;

	for (k = 1; k < sizeof prefix - 1; k++) {
		if (prefix[k - 1] == ' ' || (prefix[k] & 0xC0) == 0x80)
			continue;
		for (e = 0; e < sizeof ends / sizeof ends[0]; e++) {
			buf_reset(&in);
			buf_append(&in, prefix, k);
			buf_puts(&in, ends[e].suffix);
			buf_reset(&want);
			buf_append(&want, prefix, k);
			buf_puts(&want, ends[e].want);
			buf_reset(&out);
			html_to_text(in.data, in.len, &out);
			if (!CHECK_STR(buf_cstr(&out), want.data))
				fprintf(stderr, "    input: \"%s\"\n", in.data);
			if (!ends[e].plain)
				continue;
			buf_reset(&out);
			text_collapse_space(in.data, in.len, &out);
			if (!CHECK_STR(buf_cstr(&out), want.data))
				fprintf(stderr, "    input: \"%s\"\n", in.data);
		}
	}
	/* whitespace inside a long run, at every offset across the blocks */
	for (k = 1; k < 48; k++) {
		for (e = 0; e < sizeof gaps / sizeof gaps[0]; e++) {
			buf_reset(&in);
			buf_reset(&want);
			for (i = 0; i < k; i++) {
				buf_putc(&in, 'x');
				buf_putc(&want, 'x');
			}
			buf_puts(&in, gaps[e]);
			buf_puts(&in, tail);
			buf_putc(&want, ' ');
			buf_puts(&want, tail);
			buf_reset(&out);
			html_to_text(in.data, in.len, &out);
			if (!CHECK_STR(buf_cstr(&out), want.data))
				fprintf(stderr, "    offset %zu\n", k);
			buf_reset(&out);
			text_collapse_space(in.data, in.len, &out);
			CHECK_STR(buf_cstr(&out), want.data);
		}
	}
	buf_free(&in);
	buf_free(&out);
	buf_free(&want);
}

/* Every element the header names as a block must separate words, in start
 * and end tags and in any case; the others must not. */
static void test_html_elements(void)
{
	static const char *const blocks[] = {
	        "address", "article", "aside", "blockquote", "br",     "dd",
	        "div",     "dl",      "dt",    "figcaption", "figure", "footer",
	        "form",    "h1",      "h2",    "h3",         "h4",     "h5",
	        "h6",      "header",  "hr",    "li",         "main",   "nav",
	        "ol",      "p",       "pre",   "section",    "table",  "tbody",
	        "td",      "tfoot",   "th",    "thead",      "tr",     "ul",
	};
	static const char *const inlines[] = {
	        "a",      "abbr", "acronym", "b",    "big",   "cite", "code",
	        "del",    "dfn",  "em",      "font", "i",     "img",  "ins",
	        "kbd",    "q",    "s",       "samp", "small", "span", "strike",
	        "strong", "sub",  "sup",     "tt",   "u",     "var",
	};
	struct buf out = BUF_INIT(0), in = BUF_INIT(0);
	size_t i;

	for (i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
		buf_reset(&in);
		buf_printf(&in, "a<%s>b</%s>c<%s/>d", blocks[i], blocks[i],
		           blocks[i]);
		buf_reset(&out);
		html_to_text(in.data, in.len, &out);
		if (!CHECK_STR(buf_cstr(&out), "a b c d"))
			fprintf(stderr, "    input: \"%s\"\n", in.data);
		CHECK(html_looks_like(in.data, in.len));
	}
	for (i = 0; i < sizeof inlines / sizeof inlines[0]; i++) {
		buf_reset(&in);
		buf_printf(&in, "a<%s>b</%s>c", inlines[i], inlines[i]);
		buf_reset(&out);
		html_to_text(in.data, in.len, &out);
		if (!CHECK_STR(buf_cstr(&out), "abc"))
			fprintf(stderr, "    input: \"%s\"\n", in.data);
		CHECK(html_looks_like(in.data, in.len));
		buf_reset(&in);
		buf_printf(&in, "x <%s title=y>", inlines[i]);
		CHECK(html_looks_like(in.data, in.len));
		buf_reset(&in);
		buf_printf(&in, "x </%s>", inlines[i]);
		CHECK(html_looks_like(in.data, in.len));
	}
	buf_reset(&out);
	html_to_text("A<DIV>B</Div>C<H2>D", 19, &out);
	CHECK_STR(buf_cstr(&out), "A B C D");
	buf_free(&in);
	buf_free(&out);
}

static void test_html_entity_lookup(void)
{
	CHECK_STR(html_entity_lookup("amp", 3), "&");
	CHECK_STR(html_entity_lookup("AMP", 3), "&");
	CHECK_STR(html_entity_lookup("eacute", 6), "\xc3\xa9");
	CHECK_STR(html_entity_lookup("Eacute", 6), "\xc3\x89");
	CHECK_STR(html_entity_lookup("AElig", 5), "\xc3\x86");
	CHECK_STR(html_entity_lookup("zwnj", 4), "\xe2\x80\x8c");
	CHECK_STR(html_entity_lookup("nbsp", 4), "\xc2\xa0");
	CHECK_STR(html_entity_lookup("hellip", 6), "\xe2\x80\xa6");
	CHECK_STR(html_entity_lookup("rsquo", 5), "\xe2\x80\x99");
	CHECK_STR(html_entity_lookup("bsol", 4), "\\");
	CHECK_STR(html_entity_lookup("Tab", 3), "\t");
	CHECK_STR(html_entity_lookup("fjlig", 5), "fj");
	CHECK_STR(html_entity_lookup("NotEqualTilde", 13),
	          "\xe2\x89\x82\xcc\xb8");
	CHECK_STR(html_entity_lookup("CounterClockwiseContourIntegral", 31),
	          "\xe2\x88\xb3");
	/* n bounds the name: "amp" inside a longer string */
	CHECK_STR(html_entity_lookup("ampersand", 3), "&");
	CHECK(html_entity_lookup("ampersand", 9) == NULL);
	CHECK(html_entity_lookup("amp;", 4) == NULL);
	CHECK(html_entity_lookup("&amp", 4) == NULL);
	CHECK(html_entity_lookup("EACUTE", 6) == NULL);
	CHECK(html_entity_lookup("am", 2) == NULL);
	CHECK(html_entity_lookup("", 0) == NULL);
	CHECK(html_entity_lookup("amp\0", 4) == NULL);
	CHECK(html_entity_lookup("\xc3\xa9", 2) == NULL);
	CHECK(html_entity_lookup("CounterClockwiseContourIntegralX", 32) ==
	      NULL);
	CHECK(html_entity_lookup("zzzz", 4) == NULL);
	CHECK(html_entity_lookup("A", 1) == NULL);
}

static void test_html_looks_like(void)
{
	static const char *const yes[] = {
	        "<p>x",
	        "a<br/>b",
	        "<br>",
	        "x</b>",
	        "<a href=\"x\">y</a>",
	        "<B>bold</B>",
	        "<BR\t/>",
	        "a <em>b</em>",
	        "<img src=x>",
	        "<h1>",
	        "AT&amp;T",
	        "it&#39;s",
	        "it&#x27;s",
	        "caf&eacute;",
	        "&CounterClockwiseContourIntegral;",
	        "\xed\x95\x9c<br>\xea\xb5\xad",
	};
	static const char *const no[] = {
	        "",
	        "plain text",
	        "a < b",
	        "x<y",
	        "List<T>",
	        "Vec<u8>",
	        "AT&T",
	        "&amp",
	        "&foo;",
	        "&#;",
	        "&#x;",
	        "&#12",
	        "I <3 AI",
	        "</>",
	        "<p",
	        "</b",
	        "<bx>",
	        "<notatag>",
	        "a<>b",
	        "1 & 2",
	        "</p/>",
	        "<blockquotes>",
	        "&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;",
	        "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4",
	};
	size_t i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (!CHECK(html_looks_like(yes[i], strlen(yes[i]))))
			fprintf(stderr, "    input: \"%s\"\n", yes[i]);
	for (i = 0; i < sizeof no / sizeof no[0]; i++)
		if (!CHECK(!html_looks_like(no[i], strlen(no[i]))))
			fprintf(stderr, "    input: \"%s\"\n", no[i]);
	/* the length bounds the scan */
	CHECK(!html_looks_like("ab<p>", 3));
	CHECK(!html_looks_like("ab&amp;", 6));
}

/* A small cap stops the output: BUF_ERR_CAP, never more than the cap, and
 * what was written is a prefix of the full text. */
static void test_html_cap(void)
{
	struct buf out = BUF_INIT(5), full = BUF_INIT(0);
	char *big;
	size_t i, n = 100000;

	CHECK_INT(html_to_text("<p>hello world</p>", 18, &out), BUF_ERR_CAP);
	CHECK(out.len <= 5);
	CHECK(strncmp(buf_cstr(&out), "hello", out.len) == 0);
	buf_free(&out);

	CHECK_INT(html_to_text("<p>hello</p> ", 13, &out), BUF_OK);
	CHECK_STR(buf_cstr(&out), "hello");
	buf_free(&out);

	out.max = 6;
	CHECK_INT(html_to_text("&nLt;", 5, &out), BUF_OK);
	CHECK_INT(out.len, 6);
	buf_free(&out);
	out.max = 5;
	CHECK_INT(html_to_text("&nLt;", 5, &out), BUF_ERR_CAP);
	CHECK_INT(out.len, 0);
	buf_free(&out);

	CHECK_INT(text_collapse_space(" hello  world ", 14, &out), BUF_ERR_CAP);
	CHECK(out.len <= 5);
	buf_free(&out);

	/* a long input against a cap in the middle */
	big = xmalloc(n);
	for (i = 0; i < n; i++)
		big[i] = "ab &amp;<p>"[i % 11];
	CHECK_INT(html_to_text(big, n, &full), BUF_OK);
	out.max = 1000;
	CHECK_INT(html_to_text(big, n, &out), BUF_ERR_CAP);
	CHECK(out.len <= 1000);
	CHECK(out.len > 900);
	CHECK(memcmp(out.data, full.data, out.len) == 0);
	CHECK_INT(strlen(buf_cstr(&out)), out.len);
	buf_free(&out);
	out.max = full.len;
	CHECK_INT(html_to_text(big, n, &out), BUF_OK);
	CHECK_STR(buf_cstr(&out), buf_cstr(&full));
	buf_free(&out);
	free(big);
	buf_free(&full);
}

/* About a megabyte: prefix, then pattern repeated. The output must be the
 * input itself when want_unit is NULL, else want_unit want_count times
 * (HOSTILE_ALL: once per pattern). */
#define HOSTILE_ALL ((size_t)-1)

static void check_hostile(const char *prefix, const char *pattern,
                          const char *want_unit, size_t want_count)
{
	size_t pre = strlen(prefix), plen = strlen(pattern);
	size_t count = ((size_t)1 << 20) / plen, n = pre + count * plen;
	size_t wlen, i;
	struct buf out = BUF_INIT(0);
	char *s = xmalloc(n);
	bool same = true;

	memcpy(s, prefix, pre);
	for (i = 0; i < count; i++)
		memcpy(s + pre + i * plen, pattern, plen);
	CHECK_INT(html_to_text(s, n, &out), BUF_OK);
	if (!want_unit) {
		same = out.len == n && memcmp(out.data, s, n) == 0;
	} else {
		wlen = strlen(want_unit);
		if (want_count == HOSTILE_ALL)
			want_count = count;
		same = out.len == wlen * want_count;
		for (i = 0; i < out.len && same; i++)
			same = out.data[i] == want_unit[i % wlen];
	}
	if (!CHECK(same))
		fprintf(stderr, "    input: \"%s\" + \"%s\"...\n", prefix,
		        pattern);
	buf_free(&out);
	free(s);
}

static void test_html_hostile(void)
{
	check_hostile("", "<", NULL, 0);
	check_hostile("", "&", NULL, 0);
	check_hostile("", "&&&&&&&#", NULL, 0);
	check_hostile("", "&#", NULL, 0);
	check_hostile("", "&#x", NULL, 0);
	check_hostile("", "&a", NULL, 0);
	check_hostile("", "&x;", NULL, 0);
	check_hostile("&", "a", NULL, 0);
	check_hostile("", "-->", NULL, 0);
	check_hostile("", "]]>", NULL, 0);
	check_hostile("", "\xea\xb0\x80", NULL, 0);
	check_hostile("", "&amp", "&", HOSTILE_ALL);
	check_hostile("", "&amp;", "&", HOSTILE_ALL);
	check_hostile("", "&nLt;", "\xe2\x89\xaa\xe2\x83\x92", HOSTILE_ALL);
	check_hostile("", "a<b>", "a", HOSTILE_ALL);
	check_hostile("", "<!--", "", 0);
	check_hostile("", "<!", NULL, 0);
	check_hostile("", "</", NULL, 0);
	check_hostile("", "<?", NULL, 0);
	check_hostile("", "<!x&amp;", "<!x&", HOSTILE_ALL);
	check_hostile("", "<p>", "", 0);
	check_hostile("", "<a b=\"", "", 0);
	check_hostile("", "<a =", "", 0);
	check_hostile("", " ", "", 0);
	check_hostile("<!--", "-", "", 0);
	check_hostile("<!--", "-!", "", 0);
	check_hostile("<a title=\"", "x", "", 0);
	check_hostile("<a ", "x", "", 0);
	check_hostile("<", "a", "", 0);
	check_hostile("<script>", "<", "", 0);
	check_hostile("<script>", "</scrip", "", 0);
	check_hostile("<style>", "</style", "", 0);
	check_hostile("<![CDATA[", "]", "]", HOSTILE_ALL);
	check_hostile("<![CDATA[", "<![CDATA[", "<![CDATA[", HOSTILE_ALL);
	check_hostile("&#", "9", "\xef\xbf\xbd", 1);
	check_hostile("&#x", "F", "\xef\xbf\xbd", 1);
}

/* The tail of a megabyte of "<p>a": spaces between the words. */
static void test_html_hostile_blocks(void)
{
	size_t n = (size_t)1 << 20, i;
	struct buf out = BUF_INIT(0);
	char *s = xmalloc(n);

	for (i = 0; i < n; i++)
		s[i] = "<p>a"[i % 4];
	CHECK_INT(html_to_text(s, n, &out), BUF_OK);
	CHECK_INT(out.len, n / 4 * 2 - 1);
	CHECK(strncmp(out.data, "a a a", 5) == 0);
	buf_free(&out);
	free(s);
}

void test_html(void)
{
	test_html_cases();
	test_html_run_ends();
	test_html_elements();
	test_html_entity_lookup();
	test_html_looks_like();
	test_html_cap();
	test_html_hostile();
	test_html_hostile_blocks();
}
