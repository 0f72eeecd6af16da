/* The Mustache engine against the specification's core modules
 * (../shared/conformance/mustache), its bounds and messages; the escapers,
 * markdown checked through cmark and YAML read back. */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark.h>
#include <jansson.h>

#include "common/buf.h"
#include "common/xalloc.h"
#include "render/escape.h"
#include "render/mustache.h"
#include "tests/check.h"
#include "tests/tests.h"

#define SPEC_TESTS 136

/* Partials from a JSON object of name: text. */
static char *partial_from_object(void *ctx, const char *name)
{
	const json_t *v = json_object_get(ctx, name);

	return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

static int json_files_only(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

/* One spec file: every test renders, and the passes are counted. */
static void spec_file(const char *path, int *passed, int *total)
{
	struct mustache_options opt;
	struct buf out = BUF_INIT(0), err = BUF_INIT(0);
	json_error_t jerr;
	json_t *root = json_load_file(path, 0, &jerr), *t;
	const char *tmpl, *want, *name;
	size_t i;

	if (!CHECK(root != NULL)) {
		printf("%s: line %d: %s\n", path, jerr.line, jerr.text);
		return;
	}
	json_array_foreach(json_object_get(root, "tests"), i, t)
	{
		tmpl = json_string_value(json_object_get(t, "template"));
		want = json_string_value(json_object_get(t, "expected"));
		name = json_string_value(json_object_get(t, "name"));
		if (!tmpl || !want)
			continue;
		memset(&opt, 0, sizeof opt);
		opt.partial = partial_from_object;
		opt.ctx = json_object_get(t, "partials");
		buf_reset(&out);
		buf_reset(&err);
		(*total)++;
		if (mustache_render(tmpl, strlen(tmpl),
		                    json_object_get(t, "data"), &opt, &out,
		                    &err) == 0 &&
		    strcmp(buf_cstr(&out), want) == 0) {
			(*passed)++;
			continue;
		}
		printf("mustache spec: %s: %s: got \"%s\" (%s), want \"%s\"\n",
		       path, name ? name : "?", buf_cstr(&out), buf_cstr(&err),
		       want);
	}
	json_decref(root);
	buf_free(&out);
	buf_free(&err);
}

static void test_spec(void)
{
	const char *shared = check_shared_dir();
	struct dirent **names = NULL;
	char dir[4200], path[4500];
	int passed = 0, total = 0, n, i;

	if (!shared) {
		printf("mustache spec: skipped (../shared absent)\n");
		return;
	}
	snprintf(dir, sizeof dir, "%s/conformance/mustache", shared);
	n = scandir(dir, &names, json_files_only, alphasort);
	if (!CHECK(n > 0)) {
		printf("mustache spec: no JSON files in %s\n", dir);
		free(names);
		return;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		spec_file(path, &passed, &total);
		free(names[i]);
	}
	free(names);
	printf("mustache spec: %d/%d passed\n", passed, total);
	CHECK_INT(total, SPEC_TESTS);
	CHECK_INT(passed, total);
}

/* Render with options; the output, or "ERROR: " and the message. */
static char *render_opt(const char *tmpl, const char *data,
                        const struct mustache_options *opt)
{
	struct buf out = BUF_INIT(0), err = BUF_INIT(0);
	json_t *d = json_loads(data, JSON_DECODE_ANY, NULL);
	char *s;

	CHECK(d != NULL);
	if (mustache_render(tmpl, strlen(tmpl), d, opt, &out, &err) != 0) {
		buf_reset(&out);
		buf_printf(&out, "ERROR: %s", buf_cstr(&err));
	}
	json_decref(d);
	buf_free(&err);
	s = buf_detach(&out);
	return s;
}

static char *render(const char *tmpl, const char *data)
{
	return render_opt(tmpl, data, NULL);
}

#define CHECK_RENDER(tmpl, data, want)                                         \
	do {                                                                   \
		char *got_ = render((tmpl), (data));                           \
		CHECK_STR(got_, (want));                                       \
		free(got_);                                                    \
	} while (0)

static void test_values(void)
{
	static const struct {
		const char *data, *want;
	} cases[] = {
	        {"{\"x\": 1.5}", "1.5"},
	        {"{\"x\": 100000.0}", "100000"},
	        {"{\"x\": 3.0}", "3"},
	        {"{\"x\": 0.1}", "0.1"},
	        {"{\"x\": -2.25}", "-2.25"},
	        {"{\"x\": 0.000001}", "0.000001"},
	        {"{\"x\": 1e-8}", "1e-08"},
	        {"{\"x\": 1e21}", "1e+21"},
	        {"{\"x\": 123456789.125}", "123456789.125"},
	        {"{\"x\": 0.30000000000000004}", "0.30000000000000004"},
	        {"{\"x\": -9007199254740993}", "-9007199254740993"},
	        {"{\"x\": true}", "true"},
	        {"{\"x\": false}", "false"},
	        {"{\"x\": null}", ""},
	        {"{\"x\": {\"a\": 1}}", ""},
	        {"{\"x\": [1, 2]}", ""},
	        {"{\"x\": \"\\ud55c\\uad6d\"}", "한국"},
	        {"{}", ""},
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++)
		CHECK_RENDER("{{x}}", cases[i].data, cases[i].want);
	/* "" and 0 are truthy: only false, null, [] and missing are not */
	CHECK_RENDER("{{#s}}[{{s}}]{{/s}}{{#z}}<{{z}}>{{/z}}{{^e}}no{{/e}}",
	             "{\"s\": \"\", \"z\": 0, \"e\": []}", "[]<0>no");
	CHECK_RENDER("{{#.}}x{{/.}}", "null", "");
	CHECK_RENDER("a{{.}}b", "null", "ab");
	CHECK_RENDER("{{#a}}{{#b}}{{c}}{{/b}}{{/a}}",
	             "{\"a\": {\"b\": [{\"c\": 1}, {}]}, \"c\": 2}", "12");
	CHECK_RENDER("{{=<% %>=}}<%{x}%> <%&x%> <%x%>", "{\"x\": \"<\"}",
	             "< < &lt;");
	CHECK_RENDER("{{x}}'", "{\"x\": \"'\"}", "&#39;'");
	/* a NULL data is null */
	{
		struct buf out = BUF_INIT(0), err = BUF_INIT(0);

		CHECK_INT(mustache_render("a{{b}}c", 7, NULL, NULL, &out, &err),
		          0);
		CHECK_STR(buf_cstr(&out), "ac");
		buf_free(&out);
		buf_free(&err);
	}
}

static int partial_calls;

static char *partial_counted(void *ctx, const char *name)
{
	(void)ctx;
	partial_calls++;
	if (strcmp(name, "row") == 0)
		return xstrdup("- {{.}}\n");
	if (strcmp(name, "self") == 0)
		return xstrdup("x{{>self}}");
	if (strcmp(name, "indented") == 0)
		return xstrdup("a\n  {{>row}}\nb\n");
	if (strcmp(name, "broken") == 0)
		return xstrdup("ok\n{{#a}}\n");
	return NULL;
}

static void test_partials(void)
{
	struct mustache_options opt;
	char *s;

	memset(&opt, 0, sizeof opt);
	opt.partial = partial_counted;
	partial_calls = 0;
	s = render_opt("{{#l}}{{>row}}{{/l}}", "{\"l\": [1, 2, 3]}", &opt);
	CHECK_STR(s, "- 1\n- 2\n- 3\n");
	CHECK_INT(partial_calls, 1); /* loaded once, kept */
	free(s);
	/* indentation adds up through nested standalone partials */
	s = render_opt("  {{>indented}}\n", "7", &opt);
	CHECK_STR(s, "  a\n    - 7\n  b\n");
	free(s);
	s = render_opt("[{{>missing}}]", "{}", &opt);
	CHECK_STR(s, "[]");
	free(s);
	/* errors in a partial say which */
	s = render_opt("{{>broken}}", "{}", &opt);
	CHECK_STR(s, "ERROR: partial 'broken': line 2: unclosed section 'a'");
	free(s);
	/* no partial function: every partial is empty */
	CHECK_RENDER("[{{>row}}]", "{}", "[]");
}

static void test_errors(void)
{
	static const struct {
		const char *tmpl, *want;
	} cases[] = {
	        {"a\nb\n{{#items}}\nc", "line 3: unclosed section 'items'"},
	        {"{{#a}}\n{{#b}}\n{{/a}}",
	         "line 3: mismatched close tag 'a' (section 'b' opened on "
	         "line 2)"},
	        {"x\n{{/a}}", "line 2: close tag 'a' without an open section"},
	        {"a\n\nb {{name", "line 3: unclosed tag (no '}}' after '{{')"},
	        {"{{{name}}", "line 1: unclosed tag (no '}}}' after '{{')"},
	        {"{{=<% %>=}}\n<%x",
	         "line 2: unclosed tag (no '%>' after '<%')"},
	        {"\n{{=<%>=}}",
	         "line 2: bad delimiter set '<%>' (want two "
	         "delimiters of 1 to 16 characters, no spaces or "
	         "'=')"},
	        {"{{=a b c=}}",
	         "line 1: bad delimiter set 'a b c' (want two "
	         "delimiters of 1 to 16 characters, no spaces or "
	         "'=')"},
	        {"{{=<% %>}}",
	         "line 1: bad delimiter set (no '=' before '}}')"},
	        {"{{ }}", "line 1: empty tag"},
	        {"{{a..b}}", "line 1: bad name 'a..b'"},
	        {"{{#.a}}{{/.a}}", "line 1: bad name '.a'"},
	        {"{{>}}", "line 1: empty tag"},
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = render(cases[i].tmpl, "{}");

		if (strncmp(got, "ERROR: ", 7) == 0)
			CHECK_STR(got + 7, cases[i].want);
		else
			CHECK_STR(got, cases[i].want);
		free(got);
	}
}

static void test_bounds(void)
{
	struct mustache_options opt;
	struct buf tmpl = BUF_INIT(0), out = BUF_INIT(0), err = BUF_INIT(0);
	json_t *data;
	char *s;
	int i, rc;

	/* sections: 64 deep render, 65 do not parse */
	for (i = 0; i < 64; i++)
		buf_puts(&tmpl, "{{#a}}");
	buf_puts(&tmpl, "{{x}}");
	for (i = 0; i < 64; i++)
		buf_puts(&tmpl, "{{/a}}");
	CHECK_RENDER(buf_cstr(&tmpl), "{\"a\": true, \"x\": \"deep\"}", "deep");
	buf_reset(&tmpl);
	for (i = 0; i < 65; i++)
		buf_puts(&tmpl, "{{#a}}\n");
	CHECK_RENDER(buf_cstr(&tmpl), "{}",
	             "ERROR: line 65: sections nested deeper than 64");

	/* a partial that includes itself stops at the depth bound */
	memset(&opt, 0, sizeof opt);
	opt.partial = partial_counted;
	s = render_opt("{{>self}}", "{}", &opt);
	CHECK_STR(s, "ERROR: partial 'self': line 1: 'self' nested deeper "
	             "than 64 (sections and partials)");
	free(s);
	opt.max_depth = 3;
	s = render_opt("{{#a}}{{>self}}{{/a}}", "{\"a\": 1}", &opt);
	CHECK_STR(s, "ERROR: partial 'self': line 1: 'self' nested deeper "
	             "than 3 (sections and partials)");
	free(s);

	/* 1 MB of "{{": one unclosed tag, found at once */
	buf_reset(&tmpl);
	for (i = 0; i < 1 << 19; i++)
		buf_puts(&tmpl, "{{");
	CHECK_RENDER(buf_cstr(&tmpl), "{}",
	             "ERROR: line 1: unclosed tag (no '}}}' after '{{')");
	/* 1 MB of tags renders */
	buf_reset(&tmpl);
	for (i = 0; i < 1 << 17; i++)
		buf_puts(&tmpl, "{{x}}\n\n");
	data = json_pack("{s:s}", "x", "y");
	rc = mustache_render(tmpl.data, tmpl.len, data, NULL, &out, &err);
	CHECK_INT(rc, 0);
	CHECK_INT(out.len, 3 << 17);

	/* the output cap; out is left as it was */
	memset(&opt, 0, sizeof opt);
	opt.max_output = 100;
	buf_reset(&out);
	buf_reset(&err);
	buf_puts(&out, "kept");
	rc = mustache_render(tmpl.data, tmpl.len, data, &opt, &out, &err);
	CHECK_INT(rc, ERR_LIMIT);
	CHECK_STR(buf_cstr(&err), "output over 100 bytes");
	CHECK_STR(buf_cstr(&out), "kept");
	json_decref(data);
	/* the same through an escaper */
	buf_reset(&err);
	data = json_pack("{s:s}", "x", "&&&&&&&&&&&&&&&&&&&&");
	rc = mustache_render("{{x}}{{x}}", 10, data, &opt, &out, &err);
	CHECK_INT(rc, ERR_LIMIT);
	CHECK_STR(buf_cstr(&err), "output over 100 bytes");
	json_decref(data);

	/* work without output is bounded too: 1000^4 empty loops */
	data = json_pack("{s:[]}", "a");
	for (i = 0; i < 1000; i++)
		json_array_append_new(json_object_get(data, "a"),
		                      json_integer(i));
	buf_reset(&err);
	rc = mustache_render("{{#a}}{{#a}}{{#a}}{{#a}}{{/a}}{{/a}}{{/a}}{{/a}}",
	                     48, data, &opt, &out, &err);
	CHECK_INT(rc, ERR_LIMIT);
	CHECK(strstr(buf_cstr(&err), "steps of rendering") != NULL);
	json_decref(data);

	buf_free(&tmpl);
	buf_free(&out);
	buf_free(&err);
}

/* What cmark shows for text: & < > " as entities (as its HTML writer
 * does), whitespace runs from the escaper's rules. */
static void html_text(struct buf *out, const char *s)
{
	const char *end = s + strlen(s);

	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\n' ||
	                   end[-1] == '\t' || end[-1] == '\r'))
		end--;
	for (; s < end; s++) {
		if (*s == '&')
			buf_puts(out, "&amp;");
		else if (*s == '<')
			buf_puts(out, "&lt;");
		else if (*s == '>')
			buf_puts(out, "&gt;");
		else if (*s == '"')
			buf_puts(out, "&quot;");
		else if (*s == '\r' && s[1] == '\n')
			continue;
		else if (*s == '\n' || *s == '\t' || *s == '\r')
			buf_putc(out, ' ');
		else
			buf_putc(out, *s);
	}
}

/* The escaped text in three places (a paragraph, after a paragraph's
 * line, a list item) renders through cmark as exactly the text. */
static void check_markdown(const char *text)
{
	static const struct {
		const char *before, *html_before, *html_after;
	} places[] = {
	        {"", "<p>", "</p>\n"},
	        {"para\n", "<p>para\n", "</p>\n"},
	        {"- ", "<ul>\n<li>", "</li>\n</ul>\n"},
	};
	struct buf md = BUF_INIT(0), want = BUF_INIT(0);
	char *html;
	size_t k;

	for (k = 0; k < sizeof places / sizeof *places; k++) {
		buf_reset(&md);
		buf_reset(&want);
		buf_puts(&md, places[k].before);
		CHECK_INT(escape_markdown(&md, text, strlen(text)), 0);
		buf_puts(&md, "\n");
		buf_puts(&want, places[k].html_before);
		html_text(&want, text);
		buf_puts(&want, places[k].html_after);
		html = cmark_markdown_to_html(md.data, md.len,
		                              CMARK_OPT_DEFAULT);
		if (!CHECK_STR(html, buf_cstr(&want)))
			printf("  markdown was: %s", buf_cstr(&md));
		free(html);
	}
	buf_free(&md);
	buf_free(&want);
}

static void test_escape_markdown(void)
{
	static const char *const hostile[] = {
	        "[x](javascript:alert(1))",
	        "<script>alert(1)</script>",
	        "**bold**",
	        "# heading",
	        "> quote",
	        "1. item",
	        "2) item",
	        "`code`",
	        "```js",
	        "~~~",
	        "![img](u)",
	        "a\nb",
	        "a\r\nb",
	        "_x_",
	        "a_b_c",
	        "~~s~~",
	        "| table |",
	        "| a | b |\n|---|---|",
	        "&amp;",
	        "&#x41; &copy;",
	        "- item",
	        "+ item",
	        "* item",
	        "---",
	        "===",
	        "***",
	        "___",
	        "<http://example.com>",
	        "[ref]: http://example.com",
	        "[ref]",
	        "\\*not\\*",
	        "ends with \\",
	        "line  \nbreak",
	        "    code",
	        "\tcode",
	        "trailing  ",
	        "<!-- comment -->",
	        "<a href=\"x\">y</a>",
	        "{{x}} {x}",
	        "https://example.com/a_b*c*",
	        "한국어 **강조** [링크](http://x) `코드`",
	        "x <= y && z >= w",
	        "\"quoted\" 'single'",
	        "{{% param \"secret\" %}} {{< x >}} {{ .Site.Params.x }}",
	        "{% include x.html %} {{ site.secret }} {: .c} {::comment}",
	        "mail press@hostile.example or a.b+c@d.example",
	        "100% {%raw%} a & b &amp; c ~ d",
	};
	static const struct {
		const char *text, *want;
	} engines[] = {
	        {"{{% param \"secret\" %}}",
	         "&#123;&#123;% param \"secret\" %&#125;&#125;"},
	        {"{{< x >}}", "&#123;&#123;\\< x \\>&#125;&#125;"},
	        {"{% include x.html %}", "&#123;% include x.html %&#125;"},
	        {"a@b.example", "a&#64;b.example"},
	        {"R&D", "R&amp;D"},
	        {"&amp;", "&amp;amp;"},
	        /* goldmark links a "www." after a quote too (typographer) */
	        {"\"www.q.example\" [www.b.example] 뉴스WWW.k.example",
	         "\"www\\.q.example\" \\[www\\.b.example\\] "
	         "뉴스WWW\\.k.example"},
	};
	struct buf b = BUF_INIT(0);
	size_t i;

	for (i = 0; i < sizeof hostile / sizeof *hostile; i++)
		check_markdown(hostile[i]);
	/* Korean and plain text stay as they are */
	CHECK_INT(escape_markdown(&b, "한국어 뉴스", strlen("한국어 뉴스")), 0);
	CHECK_STR(buf_cstr(&b), "한국어 뉴스");
	buf_reset(&b);
	escape_markdown(&b, "# a\nb", 5);
	CHECK_STR(buf_cstr(&b), "\\# a b");
	buf_reset(&b);
	escape_markdown(&b, "1. [x](y) & z", 13);
	CHECK_STR(buf_cstr(&b), "1\\. \\[x\\](y) &amp; z");
	/* only what can start markup where it stands is escaped */
	buf_reset(&b);
	escape_markdown(&b, "v1.5 - a-b (c) 2. x", 19);
	CHECK_STR(buf_cstr(&b), "v1.5 - a-b (c) 2. x");
	buf_reset(&b);
	escape_markdown(&b, "see https://x.y and www.z.org", 29);
	CHECK_STR(buf_cstr(&b), "see https\\://x.y and www\\.z.org");
	/* what blog engines read before Markdown (Hugo's shortcodes,
	 * Liquid, kramdown's {: }), and what they turn into links by
	 * themselves or show with its backslash (kramdown: \& \@), as
	 * character references */
	for (i = 0; i < sizeof engines / sizeof *engines; i++) {
		buf_reset(&b);
		CHECK_INT(escape_markdown(&b, engines[i].text,
		                          strlen(engines[i].text)),
		          0);
		CHECK_STR(buf_cstr(&b), engines[i].want);
	}
	/* the cap: nothing appended */
	buf_free(&b);
	buf_init(&b, 6);
	buf_puts(&b, "ab");
	CHECK_INT(escape_markdown(&b, "***", 3), BUF_ERR_CAP);
	CHECK_STR(buf_cstr(&b), "ab");
	buf_free(&b);
}

/* Read back one double-quoted YAML scalar that must be the whole of s,
 * on one line; the value into out. False when it is not. */
static bool yaml_read_scalar(const char *s, struct buf *out)
{
	unsigned long v;
	char hex[9], *end;
	size_t len;

	if (*s++ != '"')
		return false;
	for (; *s && *s != '"'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			return false;
		if (*s != '\\') {
			buf_putc(out, *s);
			continue;
		}
		s++;
		len = *s == 'x' ? 2 : *s == 'u' ? 4 : 0;
		if (len) {
			if (strlen(s + 1) < len)
				return false;
			memcpy(hex, s + 1, len);
			hex[len] = '\0';
			v = strtoul(hex, &end, 16);
			if (*end)
				return false;
			if (v < 0x80) {
				buf_putc(out, (int)v);
			} else if (v < 0x800) {
				buf_putc(out, (int)(0xC0 | v >> 6));
				buf_putc(out, (int)(0x80 | (v & 0x3F)));
			} else {
				buf_putc(out, (int)(0xE0 | v >> 12));
				buf_putc(out, (int)(0x80 | (v >> 6 & 0x3F)));
				buf_putc(out, (int)(0x80 | (v & 0x3F)));
			}
			s += len;
		} else if (*s == 'n' || *s == 't' || *s == 'r') {
			buf_putc(out, *s == 'n'   ? '\n'
			              : *s == 't' ? '\t'
			                          : '\r');
		} else if (*s == '\\' || *s == '"') {
			buf_putc(out, *s);
		} else {
			return false;
		}
	}
	return s[0] == '"' && s[1] == '\0';
}

static void test_escape_yaml(void)
{
	static const char *const values[] = {
	        "a \"quote\"\n---\ntitle: pwned",
	        "plain",
	        "",
	        "back\\slash \\\" \\n",
	        "tab\tcr\rbell\a del\x7F esc\x1B",
	        "key: value # comment",
	        "- item",
	        "'single' & *anchor !tag %dir @at `tick`",
	        "한국어 제목: 오늘의 AI",
	        "line\xE2\x80\xA8sep \xC2\x85nel",
	};
	struct buf b = BUF_INIT(0), back = BUF_INIT(0);
	size_t i;

	for (i = 0; i < sizeof values / sizeof *values; i++) {
		buf_reset(&b);
		buf_reset(&back);
		CHECK_INT(escape_yaml(&b, values[i], strlen(values[i])), 0);
		CHECK(strchr(buf_cstr(&b), '\n') == NULL);
		if (CHECK(yaml_read_scalar(buf_cstr(&b), &back)))
			CHECK_STR(buf_cstr(&back), values[i]);
	}
	buf_reset(&b);
	escape_yaml(&b, "a \"quote\"\n---\ntitle: pwned", 26);
	CHECK_STR(buf_cstr(&b), "\"a \\\"quote\\\"\\n---\\ntitle: pwned\"");
	buf_reset(&b);
	escape_yaml(&b, "\x01\x7F\xE2\x80\xA8\xFF", 6);
	CHECK_STR(buf_cstr(&b), "\"\\x01\\x7F\\u2028\\uFFFD\"");
	buf_reset(&b);
	escape_yaml(&b, "한국", strlen("한국"));
	CHECK_STR(buf_cstr(&b), "\"한국\"");
	buf_free(&b);
	buf_free(&back);
}

static void test_escape_url(void)
{
	static const struct {
		const char *url, *want; /* want NULL: refused */
	} cases[] = {
	        {"https://example.com/a", "https://example.com/a"},
	        {"http://example.com/a b(c)<d>\"e'f`g",
	         "http://example.com/a%20b%28c%29%3Cd%3E%22e%27f%60g"},
	        {"HTTPS://Example.com/x?q=1&r=2#frag",
	         "HTTPS://Example.com/x?q=1&r=2#frag"},
	        {"https://ko.wikipedia.org/wiki/한국",
	         "https://ko.wikipedia.org/wiki/%ED%95%9C%EA%B5%AD"},
	        {"https://e.com/\x01\x7F\\", "https://e.com/%01%7F%5C"},
	        {"https://e.com/a%20b", "https://e.com/a%20b"},
	        /* template code stays out of the target (Hugo and Liquid read
	         * it before Markdown); a bare % is encoded too */
	        {"https://e.com/{{site.x}}/{% include x %}/100%",
	         "https://e.com/%7B%7Bsite.x%7D%7D/"
	         "%7B%25%20include%20x%20%25%7D/"
	         "100%25"},
	        {"https://e.com/a%2g%A", "https://e.com/a%252g%25A"},
	        {"javascript:alert(1)", NULL},
	        {"JavaScript:alert(1)//http://x", NULL},
	        {"data:text/html,<script>", NULL},
	        {"/relative/path", NULL},
	        {"relative", NULL},
	        {"//example.com/x", NULL},
	        {"", NULL},
	        {"http://", NULL},
	        {"http:///x", NULL},
	        {"https://?q", NULL},
	        {"http:example.com", NULL},
	        {"ftp://example.com", NULL},
	        {" https://example.com", NULL},
	};
	struct buf b = BUF_INIT(0), md = BUF_INIT(0), want = BUF_INIT(0);
	char *html;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		buf_reset(&b);
		buf_puts(&b, "[");
		if (!cases[i].want) {
			CHECK_INT(escape_url(&b, cases[i].url), ERR_PARSE);
			CHECK_STR(buf_cstr(&b), "[");
			continue;
		}
		CHECK_INT(escape_url(&b, cases[i].url), 0);
		CHECK_STR(buf_cstr(&b) + 1, cases[i].want);
		/* as a link target, cmark reads it whole */
		buf_reset(&md);
		buf_printf(&md, "[x](%s)\n", buf_cstr(&b) + 1);
		buf_reset(&want);
		buf_printf(&want, "<p><a href=\"%s\">x</a></p>\n",
		           cases[i].want);
		html = cmark_markdown_to_html(md.data, md.len,
		                              CMARK_OPT_DEFAULT);
		if (strchr(cases[i].want, '&') == NULL)
			CHECK_STR(html, buf_cstr(&want));
		free(html);
	}
	CHECK_INT(escape_url(&b, NULL), ERR_PARSE);
	buf_free(&b);
	buf_free(&md);
	buf_free(&want);
}

static void test_escape_html(void)
{
	struct buf b = BUF_INIT(0);
	const char *s;

	s = "a & \"b\" <c> 'd' 한";
	CHECK_INT(escape_html(&b, s, strlen(s)), 0);
	CHECK_STR(buf_cstr(&b),
	          "a &amp; &quot;b&quot; &lt;c&gt; &#39;d&#39; 한");
	buf_reset(&b);
	CHECK_INT(escape_none(&b, "<&>", 3), 0);
	CHECK_STR(buf_cstr(&b), "<&>");
	buf_free(&b);
	buf_init(&b, 4);
	CHECK_INT(escape_html(&b, "a&", 2), BUF_ERR_CAP);
	CHECK_STR(buf_cstr(&b), "");
	buf_free(&b);
}

static void test_markdown_hook(void)
{
	struct mustache_options opt;
	char *s;

	memset(&opt, 0, sizeof opt);
	opt.escape = escape_markdown;
	s = render_opt("- **{{title}}**: {{{raw}}} ({{n}})\n",
	               "{\"title\": \"[pwn](javascript:x) *GPT-5*\", "
	               "\"raw\": \"**kept**\", \"n\": 1.5}",
	               &opt);
	CHECK_STR(s, "- **\\[pwn\\](javascript:x) \\*GPT-5\\***: "
	             "**kept** (1.5)\n");
	free(s);
	opt.escape = escape_yaml;
	s = render_opt("title: {{t}}\n", "{\"t\": \"a\\n---\\nx: y\"}", &opt);
	CHECK_STR(s, "title: \"a\\n---\\nx: y\"\n");
	free(s);
}

void test_mustache(void)
{
	test_spec();
	test_values();
	test_partials();
	test_errors();
	test_bounds();
	test_escape_html();
	test_escape_markdown();
	test_escape_yaml();
	test_escape_url();
	test_markdown_hook();
}
