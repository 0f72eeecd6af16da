#include "fetch/sources.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "common/ascii.h"
#include "common/utf8.h"
#include "fetch/sources_impl.h"

/* OPML: sources_import_opml and sources_export_opml (fetch/sources.h). */

enum {
	OPML_MAX_BYTES = 8 << 20,
	OPML_NAME_CHARS = 32,
	OPML_NAME_BYTES = 64,
	OPML_URL_MAX = 2048,
	OPML_NOTICES_MAX = 100
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Words in an OPML category's text or title that name a kind; lowercase,
 * matched against whole words. */
static const struct {
	const char *word;
	enum source_kind kind;
} opml_kind_words[] = {
        {"tweet", SOURCE_TWEET},         {"tweets", SOURCE_TWEET},
        {"twitter", SOURCE_TWEET},       {"x", SOURCE_TWEET},
        {"트위터", SOURCE_TWEET},        {"blog", SOURCE_BLOG},
        {"blogs", SOURCE_BLOG},          {"블로그", SOURCE_BLOG},
        {"paper", SOURCE_PAPER},         {"papers", SOURCE_PAPER},
        {"arxiv", SOURCE_PAPER},         {"논문", SOURCE_PAPER},
        {"release", SOURCE_RELEASE},     {"releases", SOURCE_RELEASE},
        {"github", SOURCE_RELEASE},      {"릴리스", SOURCE_RELEASE},
        {"community", SOURCE_COMMUNITY}, {"hacker", SOURCE_COMMUNITY},
        {"hn", SOURCE_COMMUNITY},        {"reddit", SOURCE_COMMUNITY},
        {"커뮤니티", SOURCE_COMMUNITY},  {"news", SOURCE_NEWS},
        {"뉴스", SOURCE_NEWS},
};

/* Code points that separate words in a name: spaces other than ASCII,
 * as [first, last] ranges. */
static const uint32_t name_space_ranges[][2] = {
        {0x0080, 0x00A0}, {0x1680, 0x1680}, {0x2000, 0x200A}, {0x2028, 0x2029},
        {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000}, {0xFFFD, 0xFFFD},
};

/* Invisible code points dropped from names. */
static const uint32_t name_drop_ranges[][2] = {
        {0x00AD, 0x00AD}, {0x200B, 0x200F}, {0x2060, 0x2064},
        {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF},
};

/* XML escapes for export; other control characters are not XML 1.0. */
static const struct {
	char c;
	const char *text;
} xml_escapes[] = {
        {'&', "&amp;"},   {'<', "&lt;"},  {'>', "&gt;"},   {'"', "&quot;"},
        {'\'', "&apos;"}, {'\t', "&#9;"}, {'\n', "&#10;"}, {'\r', "&#13;"},
};

static bool in_ranges(uint32_t cp, const uint32_t (*r)[2], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cp >= r[i][0] && cp <= r[i][1])
			return true;
	return false;
}

/* ASCII punctuation kept in names made from titles. */
static bool is_name_punct(char c)
{
	return c == '.' || c == '_' || c == '@' || c == '+';
}

static bool is_word_byte(char c)
{
	return ascii_isalnum(c) || (unsigned char)c >= 0x80;
}

/* The kind the first kind word of s names; ERR_NOT_FOUND when none
 * does. */
static int kind_from_words(const char *s, enum source_kind *kind)
{
	char word[32];
	size_t i, n;

	while (*s) {
		while (*s && !is_word_byte(*s))
			s++;
		for (n = 0; *s && is_word_byte(*s); s++, n++)
			if (n < sizeof word - 1)
				word[n] = (char)ascii_tolower(*s);
		if (n == 0 || n >= sizeof word)
			continue;
		word[n] = '\0';
		for (i = 0; i < COUNT(opml_kind_words); i++)
			if (strcmp(word, opml_kind_words[i].word) == 0) {
				*kind = opml_kind_words[i].kind;
				return 0;
			}
	}
	return ERR_NOT_FOUND;
}

static bool is_element(const xmlNode *node, const char *name)
{
	return node->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)node->name, name) == 0;
}

/* The attribute `name` of node (ASCII case ignored) into out, read from
 * its text nodes alone, so that no entity reference is ever expanded;
 * surrounding whitespace trimmed. 0, or ERR_NOT_FOUND when it is absent
 * or empty. */
static int opml_attr(const xmlNode *node, const char *name, struct buf *out)
{
	const xmlAttr *a;
	const xmlNode *t;
	size_t start = 0, end;

	buf_reset(out);
	for (a = node->properties; a; a = a->next)
		if (ascii_casecmp((const char *)a->name, name) == 0)
			break;
	if (!a)
		return ERR_NOT_FOUND;
	for (t = a->children; t; t = t->next)
		if (t->type == XML_TEXT_NODE && t->content)
			buf_puts(out, (const char *)t->content);
	end = out->len;
	while (start < end && ascii_isxmlspace(out->data[start]))
		start++;
	while (end > start && ascii_isxmlspace(out->data[end - 1]))
		end--;
	if (start == end)
		return ERR_NOT_FOUND;
	memmove(out->data, out->data + start, end - start);
	buf_truncate(out, end - start);
	return 0;
}

/* A feeds.txt name from a title: letters, digits and "._@+" kept,
 * everything else a '-' between words; at most OPML_NAME_CHARS code
 * points and OPML_NAME_BYTES bytes. out is empty when nothing is left. */
static void opml_name_from(const char *s, struct buf *out)
{
	size_t i = 0, n = strlen(s), chars = 0, k;
	bool gap = false;

	buf_reset(out);
	while (i < n) {
		uint32_t cp;

		k = utf8_decode(s + i, n - i, &cp);
		if (cp < 0x80 ? !(ascii_isalnum((char)cp) ||
		                  is_name_punct((char)cp))
		              : in_ranges(cp, name_space_ranges,
		                          COUNT(name_space_ranges))) {
			gap = true;
			i += k;
			continue;
		}
		if (in_ranges(cp, name_drop_ranges, COUNT(name_drop_ranges))) {
			i += k;
			continue;
		}
		if (chars + (gap && out->len) >= OPML_NAME_CHARS ||
		    out->len + (gap && out->len) + k > OPML_NAME_BYTES)
			break;
		if (gap && out->len) {
			buf_putc(out, '-');
			chars++;
		}
		gap = false;
		buf_append(out, s + i, k);
		chars++;
		i += k;
	}
}

/* The host of an http(s) URL, for a name when an outline has no title. */
static void opml_name_from_url(const char *url, struct buf *tmp,
                               struct buf *out)
{
	const char *host = strstr(url, "://");

	buf_reset(tmp);
	if (host) {
		host += 3;
		buf_append(tmp, host, strcspn(host, "/?#:"));
	}
	opml_name_from(buf_cstr(tmp), out);
}

/* Append an xmlUrl as a feeds.txt field: spaces, quotes, controls and
 * non-ASCII bytes percent-encoded; braces too, except the placeholders
 * source_url_for_window fills; "${" never survives (no environment
 * variable is read for a downloaded file). */
static void opml_put_url(struct buf *out, const char *url)
{
	const char *p;

	for (p = url; *p; p++) {
		unsigned char c = (unsigned char)*p;
		size_t ph = c == '{' ? sources_placeholder_len(p) : 0;

		if (ph > 0) {
			buf_append(out, p, ph);
			p += ph - 1;
		} else if (c <= 0x20 || c >= 0x7f || c == '"' || c == '{' ||
		           c == '}' || (c == '$' && p[1] == '{'))
			buf_printf(out, "%%%02X", c);
		else
			buf_putc(out, (char)c);
	}
}

struct opml_import {
	FILE *out;
	struct buf *err;
	const xmlNode *body;
	struct name_set names;
	size_t feeds;
	size_t notices; /* outlines skipped */
	struct buf url, label, name, unique, tmp;
	struct buf line_url; /* url as the feeds.txt line has it */
	struct buf why;
};

static void opml_notice(struct opml_import *im, const char *why)
{
	if (++im->notices > OPML_NOTICES_MAX)
		return;
	buf_puts(im->err, "outline ");
	sources_put_quoted(im->err, im->label.len ? buf_cstr(&im->label) : "");
	buf_printf(im->err, " skipped: %s\n", why);
}

static enum source_kind opml_kind(struct opml_import *im, const xmlNode *node)
{
	enum source_kind kind;
	const xmlNode *p;

	for (p = node->parent; p && p != im->body; p = p->parent) {
		if (!is_element(p, "outline"))
			continue;
		if ((opml_attr(p, "text", &im->tmp) == 0 &&
		     kind_from_words(buf_cstr(&im->tmp), &kind) == 0) ||
		    (opml_attr(p, "title", &im->tmp) == 0 &&
		     kind_from_words(buf_cstr(&im->tmp), &kind) == 0))
			return kind;
	}
	return SOURCE_BLOG;
}

static bool has_element_child(const xmlNode *node)
{
	const xmlNode *c;

	for (c = node->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return true;
	return false;
}

/* Print the feeds.txt line of one outline, if it is a feed. 0, or
 * ERR_LIMIT past SOURCES_MAX feeds (err says so). */
static int opml_outline(struct opml_import *im, const xmlNode *node)
{
	struct name_slot *taken;
	enum source_kind kind;
	const char *url;
	int k;

	/* the label: title, else text (without either, none) */
	if (opml_attr(node, "title", &im->label) != 0)
		(void)opml_attr(node, "text", &im->label);
	if (opml_attr(node, "xmlUrl", &im->url) != 0) {
		if (!has_element_child(node))
			opml_notice(im, "no xmlUrl");
		return 0;
	}
	url = buf_cstr(&im->url);
	if (!ascii_has_prefix_ci(url, "http://") &&
	    !ascii_has_prefix_ci(url, "https://")) {
		opml_notice(im, "xmlUrl is not http:// or https://");
		return 0;
	}
	if (im->url.len > OPML_URL_MAX) {
		opml_notice(im, "xmlUrl is longer than 2048 bytes");
		return 0;
	}
	/* no line that feeds.txt would refuse ("http:///x": no host) */
	buf_reset(&im->line_url);
	opml_put_url(&im->line_url, url);
	buf_reset(&im->why);
	if (sources_check_url(buf_cstr(&im->line_url), &im->why) != 0) {
		opml_notice(im, buf_cstr(&im->why));
		return 0;
	}
	if (im->feeds == SOURCES_MAX) {
		buf_printf(im->err, "more than %d feeds\n", SOURCES_MAX);
		return ERR_LIMIT;
	}
	kind = opml_kind(im, node);
	opml_name_from(buf_cstr(&im->label), &im->name);
	if (im->name.len == 0)
		opml_name_from_url(url, &im->tmp, &im->name);
	if (im->name.len == 0)
		buf_puts(&im->name, "feed");
	/* a taken name gets the first free -K; each name remembers the K
	 * to try next, so that many equal titles cost no quadratic time */
	buf_reset(&im->unique);
	buf_puts(&im->unique, buf_cstr(&im->name));
	taken = sources_name_get(&im->names, buf_cstr(&im->name));
	if (taken) {
		k = taken->line;
		do {
			buf_reset(&im->unique);
			buf_printf(&im->unique, "%s-%d", buf_cstr(&im->name),
			           k++);
		} while (sources_name_get(&im->names, buf_cstr(&im->unique)));
		taken->line = k;
	}
	sources_name_add(&im->names, buf_cstr(&im->unique), 2);
	im->feeds++;
	buf_reset(&im->tmp);
	buf_printf(&im->tmp, "%s %s %s", source_kind_name(kind),
	           buf_cstr(&im->unique), buf_cstr(&im->line_url));
	fprintf(im->out, "%s\n", buf_cstr(&im->tmp));
	return 0;
}

static void opml_xml_error(xmlParserCtxtPtr ctxt, struct buf *err)
{
	xmlErrorPtr e = xmlCtxtGetLastError(ctxt);
	size_t start = err->len;

	buf_puts(err, "not well-formed XML");
	if (e && e->message) {
		buf_printf(err, " (line %d): ", e->line);
		utf8_append_cut(err, e->message, 200);
		while (err->len > start &&
		       ascii_isxmlspace(err->data[err->len - 1]))
			buf_truncate(err, err->len - 1);
	}
	buf_putc(err, '\n');
}

int sources_import_opml(const char *data, size_t n, FILE *out, struct buf *err)
{
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	const xmlNode *root, *cur;
	struct opml_import im;
	int ret = ERR_LIMIT;

	memset(&im, 0, sizeof im);
	im.out = out;
	im.err = err;
	buf_init(&im.url, 64 * 1024);
	buf_init(&im.label, 64 * 1024);
	buf_init(&im.name, 1024);
	buf_init(&im.unique, 1024);
	buf_init(&im.tmp, 64 * 1024);
	buf_init(&im.line_url, 64 * 1024);
	buf_init(&im.why, 1024);
	if (n > OPML_MAX_BYTES) {
		buf_printf(err, "larger than %d MiB\n", OPML_MAX_BYTES >> 20);
		goto out;
	}
	ret = ERR_PARSE;
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		buf_puts(err, "cannot create an XML parser\n");
		goto out;
	}
	/* no NOENT, DTDLOAD or HUGE: entities stay references, nothing is
	 * loaded, libxml2's amplification limits hold */
	doc = xmlCtxtReadMemory(ctxt, data, (int)n, NULL, NULL,
	                        XML_PARSE_NONET | XML_PARSE_NOERROR |
	                                XML_PARSE_NOWARNING);
	if (!doc) {
		opml_xml_error(ctxt, err);
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || !is_element(root, "opml")) {
		buf_puts(err, "not an OPML document: the root element is <");
		utf8_append_cut(err, root ? (const char *)root->name : "",
		                SOURCES_QUOTE_MAX);
		buf_puts(err, ">\n");
		goto out;
	}
	for (cur = root->children; cur; cur = cur->next)
		if (is_element(cur, "body"))
			break;
	if (!cur) {
		buf_puts(err, "not an OPML document: no <body>\n");
		goto out;
	}
	im.body = cur;
	/* depth first through the outlines, without recursion */
	cur = im.body->children;
	while (cur) {
		if (is_element(cur, "outline")) {
			ret = opml_outline(&im, cur);
			if (ret != ERR_OK)
				goto out;
			if (cur->children) {
				cur = cur->children;
				continue;
			}
		}
		while (cur != im.body && !cur->next)
			cur = cur->parent;
		if (cur == im.body)
			break;
		cur = cur->next;
	}
	if (im.notices > OPML_NOTICES_MAX)
		buf_printf(err, "%zu more outlines skipped\n",
		           im.notices - OPML_NOTICES_MAX);
	if (ferror(out)) {
		buf_puts(err, "cannot write the feeds\n");
		ret = ERR_IO;
		goto out;
	}
	ret = ERR_OK;
out:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	sources_names_free(&im.names);
	buf_free(&im.url);
	buf_free(&im.label);
	buf_free(&im.name);
	buf_free(&im.unique);
	buf_free(&im.tmp);
	buf_free(&im.line_url);
	buf_free(&im.why);
	return ret;
}

/* Write s escaped for an XML attribute or text: the five markup
 * characters, tab and line ends as references; other controls and
 * non-characters dropped; invalid UTF-8 as U+FFFD. */
static void xml_put_escaped(FILE *out, const char *s)
{
	size_t i = 0, n = strlen(s), k, j;

	while (i < n) {
		uint32_t cp;

		k = utf8_decode(s + i, n - i, &cp);
		if (cp < 0x80) {
			for (j = 0; j < COUNT(xml_escapes); j++)
				if (xml_escapes[j].c == (char)cp)
					break;
			if (j < COUNT(xml_escapes))
				fputs(xml_escapes[j].text, out);
			else if (cp >= 0x20)
				fputc((int)cp, out);
		} else if (cp == UTF8_REPLACEMENT) {
			fputs("\xEF\xBF\xBD", out);
		} else if (cp != 0xFFFE && cp != 0xFFFF) {
			fwrite(s + i, 1, k, out);
		}
		i += k;
	}
}

int sources_export_opml(const struct source_list *list, FILE *out)
{
	size_t k, i;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<opml version=\"2.0\">\n"
	      "  <head>\n"
	      "    <title>aidigest feeds</title>\n"
	      "  </head>\n"
	      "  <body>\n",
	      out);
	for (k = 0; k < SOURCE_KIND_COUNT; k++) {
		bool open = false;

		for (i = 0; i < list->n; i++) {
			const struct source *s = &list->v[i];

			if ((size_t)s->kind != k)
				continue;
			if (!open) {
				fprintf(out,
				        "    <outline text=\"%s\" "
				        "title=\"%s\">\n",
				        source_kind_name((enum source_kind)k),
				        source_kind_name((enum source_kind)k));
				open = true;
			}
			fputs("      <outline type=\"rss\" text=\"", out);
			xml_put_escaped(out, s->name);
			fputs("\" title=\"", out);
			xml_put_escaped(out, s->name);
			fputs("\" xmlUrl=\"", out);
			xml_put_escaped(out, s->url_raw ? s->url_raw : s->url);
			fputs("\"/>\n", out);
		}
		if (open)
			fputs("    </outline>\n", out);
	}
	fputs("  </body>\n</opml>\n", out);
	return ferror(out) ? ERR_IO : ERR_OK;
}
