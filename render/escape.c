#include "render/escape.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/ascii.h"
#include "common/utf8.h"

/* Each escaper appends runs of bytes that need nothing in one go, and on
 * BUF_ERR_CAP puts the buffer back as it was. */

static int undo(struct buf *out, size_t len)
{
	buf_truncate(out, len);
	return BUF_ERR_CAP;
}

int escape_html(struct buf *out, const char *s, size_t n)
{
	static const struct {
		char c;
		const char *entity;
	} table[] = {
	        {'&', "&amp;"},  {'<', "&lt;"},   {'>', "&gt;"},
	        {'"', "&quot;"}, {'\'', "&#39;"},
	};
	size_t start = out->len, run = 0, i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < sizeof table / sizeof *table; k++)
			if (s[i] == table[k].c)
				break;
		if (k == sizeof table / sizeof *table)
			continue;
		if (buf_append(out, s + run, i - run) != 0 ||
		    buf_puts(out, table[k].entity) != 0)
			return undo(out, start);
		run = i + 1;
	}
	if (buf_append(out, s + run, n - run) != 0)
		return undo(out, start);
	return 0;
}

/* ASCII punctuation that can start or end CommonMark (and GFM) inline
 * markup anywhere on a line: escapes, code, emphasis, links and images,
 * autolinks and HTML, tables, strikethrough. */
static const char markdown_inline[] = "\\`*_[]<>|~";

/* What a backslash does not make safe in every engine, written as a
 * character reference (shown as the character, never markup): braces
 * start template code that runs before Markdown is read (Hugo's
 * shortcodes, Liquid, kramdown's {: } and {:: }); "@" makes a bare
 * e-mail address a link (goldmark's linkify, GFM); kramdown shows "\&"
 * and "\@" with their backslash. "&" also starts an entity. */
static const struct {
	char c;
	const char *ref;
} markdown_refs[] = {
        {'{', "&#123;"},
        {'}', "&#125;"},
        {'@', "&#64;"},
        {'&', "&amp;"},
};

/* The character reference for c, or NULL. */
static const char *markdown_ref(char c)
{
	size_t k;

	for (k = 0; k < sizeof markdown_refs / sizeof *markdown_refs; k++)
		if (markdown_refs[k].c == c)
			return markdown_refs[k].ref;
	return NULL;
}
/* What matters only where a line starts (the value may start one):
 * headings, quotes, list items, thematic breaks, setext underlines. */
static const char markdown_line_start[] = "#+-=";

/* Whether s[i] must be escaped: inline markup anywhere; block markers at
 * the value's start (an ordered list's "1." or "1)" too); and the parts
 * of what GFM turns into links by itself ("://", "www."). */
static bool markdown_needs_escape(const char *s, size_t n, size_t i)
{
	size_t k;

	if (strchr(markdown_inline, s[i]))
		return true;
	if (i == 0 && strchr(markdown_line_start, s[i]))
		return true;
	if ((s[i] == '.' || s[i] == ')') &&
	    (i + 1 == n || ascii_isspace(s[i + 1]))) {
		for (k = 0; k < i && ascii_isdigit(s[k]); k++)
			;
		if (k == i && i > 0)
			return true;
	}
	if (s[i] == ':' && i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/')
		return true;
	/* whatever stands before it: goldmark links a "www." after a
	 * quote, remark after a bracket */
	if (s[i] == '.' && i >= 3 && (s[i - 1] | 0x20) == 'w' &&
	    (s[i - 2] | 0x20) == 'w' && (s[i - 3] | 0x20) == 'w')
		return true;
	return false;
}

int escape_markdown(struct buf *out, const char *s, size_t n)
{
	size_t start = out->len, i;
	char pair[2] = {'\\', 0};
	const char *ref;
	int err = 0;

	/* surrounding whitespace would indent (a code block) or break the
	 * line (two trailing spaces) */
	while (n > 0 && ascii_isspace(s[0]))
		s++, n--;
	while (n > 0 && ascii_isspace(s[n - 1]))
		n--;
	for (i = 0; i < n && !err; i++) {
		if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
			continue;
		if (ascii_isspace(s[i])) {
			err = buf_putc(out, ' ');
		} else if ((ref = markdown_ref(s[i])) != NULL) {
			err = buf_puts(out, ref);
		} else if (s[i] != '\0' && markdown_needs_escape(s, n, i)) {
			pair[1] = s[i];
			err = buf_append(out, pair, 2);
		} else {
			err = buf_append(out, s + i, 1);
		}
	}
	return err ? undo(out, start) : 0;
}

int escape_yaml(struct buf *out, const char *s, size_t n)
{
	static const struct {
		char c;
		const char *escaped;
	} table[] = {
	        {'\\', "\\\\"}, {'"', "\\\""}, {'\n', "\\n"},
	        {'\t', "\\t"},  {'\r', "\\r"},
	};
	size_t start = out->len, i = 0, len, k;
	unsigned char c;
	uint32_t cp;
	int err = buf_putc(out, '"');

	while (i < n && !err) {
		c = (unsigned char)s[i];
		if (c >= 0x80) {
			/* YAML 1.1 reads NEL, LS and PS as line breaks */
			len = utf8_decode(s + i, n - i, &cp);
			if (cp == UTF8_REPLACEMENT && len == 1)
				err = buf_puts(out, "\\uFFFD");
			else if (cp == 0x85 || cp == 0x2028 || cp == 0x2029)
				err = buf_printf(out, "\\u%04X", (unsigned)cp);
			else
				err = buf_append(out, s + i, len);
			i += len;
			continue;
		}
		for (k = 0; k < sizeof table / sizeof *table; k++)
			if (s[i] == table[k].c)
				break;
		if (k < sizeof table / sizeof *table)
			err = buf_puts(out, table[k].escaped);
		else if (c < 0x20 || c == 0x7F)
			err = buf_printf(out, "\\x%02X", c);
		else
			err = buf_putc(out, c);
		i++;
	}
	if (!err)
		err = buf_putc(out, '"');
	return err ? undo(out, start) : 0;
}

int escape_none(struct buf *out, const char *s, size_t n)
{
	return buf_append(out, s, n);
}

/* Whether p[0] is percent-encoded: controls, space, non-ASCII, what
 * ends or breaks a markdown link target, braces (template code, which
 * Hugo and Liquid run before Markdown), and a "%" that starts no %XX. */
static bool url_encoded(const char *p)
{
	unsigned char c = (unsigned char)*p;

	if (c == '%')
		return ascii_hexval((unsigned char)p[1]) < 0 ||
		       ascii_hexval((unsigned char)p[2]) < 0;
	return c <= 0x20 || c >= 0x7F || strchr("()<>\"'`\\{}", c);
}

int escape_url(struct buf *out, const char *url)
{
	static const char *const schemes[] = {"http://", "https://"};
	const char *rest = NULL, *p;
	size_t start = out->len, k;
	int err = 0;

	if (!url)
		return ERR_PARSE;
	for (k = 0; k < sizeof schemes / sizeof *schemes && !rest; k++)
		if (ascii_has_prefix_ci(url, schemes[k]))
			rest = url + strlen(schemes[k]);
	/* a host is needed: "http:///x" and "http://?q" are not links */
	if (!rest || *rest == '\0' || strchr("/?#", *rest))
		return ERR_PARSE;
	for (p = url; *p && !err; p++) {
		if (url_encoded(p))
			err = buf_printf(out, "%%%02X", (unsigned char)*p);
		else
			err = buf_putc(out, *p);
	}
	if (err) {
		undo(out, start);
		return ERR_LIMIT;
	}
	return 0;
}
