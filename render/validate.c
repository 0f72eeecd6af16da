#include "render/publish.h"

#include <cmark.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "common/xalloc.h"
#include "render/frontmatter.h"

/* publish_validate: the front-matter read back and compared with the
 * fields the post was made from; the body walked with cmark for the
 * required sections, the links and images allowed, and raw HTML. */

enum {
	FRONT_MATTER_MAX = 64 * 1024, /* bytes of front-matter validated */
	POST_MAX = 16 * 1024 * 1024,  /* bytes in a post to validate */
	FAILURES_MAX = 100,           /* failures listed by validation */
	QUOTE_MAX = 160               /* bytes of a value in a message */
};

/* A value for a message: at most QUOTE_MAX bytes of valid UTF-8, with
 * \ " and control characters escaped as in YAML (one line, unambiguous). */
static void append_shown(struct buf *out, const char *s)
{
	struct buf cut = BUF_INIT(0);
	const char *p;

	utf8_append_cut(&cut, s, QUOTE_MAX);
	for (p = buf_cstr(&cut); *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(out, "\\%c", *p);
		else if (*p == '\n')
			buf_puts(out, "\\n");
		else if (*p == '\t')
			buf_puts(out, "\\t");
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			buf_printf(out, "\\x%02x", (unsigned)(unsigned char)*p);
		else
			buf_putc(out, *p);
	}
	if (strlen(s) > cut.len)
		buf_puts(out, "...");
	buf_free(&cut);
}

/* Validation failures, one line each, at most FAILURES_MAX listed. */
struct failures {
	struct buf *err;
	size_t count;
};

static void fail(struct failures *f, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void fail(struct failures *f, const char *fmt, ...)
{
	va_list ap;

	f->count++;
	if (f->count > FAILURES_MAX)
		return;
	va_start(ap, fmt);
	buf_vprintf(f->err, fmt, ap);
	va_end(ap);
	buf_putc(f->err, '\n');
}

/* A failure whose message ends with a value shown by append_shown. */
static void fail_with(struct failures *f, const char *what, const char *value)
{
	struct buf shown = BUF_INIT(0);

	append_shown(&shown, value);
	fail(f, "%s%s", what, buf_cstr(&shown));
	buf_free(&shown);
}

/* Compare the parsed front-matter with the expected fields, by key; a
 * key's values (one, or a list's items) in order. */
static void fm_compare(const struct frontmatter *fm,
                       const struct publish_field *fields, size_t nfields,
                       struct failures *f)
{
	const struct frontmatter_key *key;
	struct buf msg = BUF_INIT(0);
	size_t i, j, k, want, at;
	bool seen;

	for (i = 0; i < nfields; i++) {
		for (j = 0, seen = false; j < i && !seen; j++)
			seen = strcmp(fields[j].key, fields[i].key) == 0;
		if (seen)
			continue;
		for (k = 0, key = NULL; k < fm->nkeys && !key; k++)
			if (strcmp(frontmatter_string(fm, fm->keys[k].key),
			           fields[i].key) == 0)
				key = &fm->keys[k];
		if (!key) {
			fail(f, "front-matter: %s is missing", fields[i].key);
			continue;
		}
		for (j = i, want = 0; j < nfields; j++)
			want += strcmp(fields[j].key, fields[i].key) == 0;
		if (want != key->count) {
			fail(f,
			     "front-matter: %s has %zu value(s), expected %zu",
			     fields[i].key, key->count, want);
			continue;
		}
		for (j = i, at = key->first; j < nfields; j++) {
			if (strcmp(fields[j].key, fields[i].key) != 0)
				continue;
			if (strcmp(frontmatter_string(fm, fm->values[at]),
			           fields[j].value) != 0) {
				buf_reset(&msg);
				append_shown(&msg, frontmatter_string(
				                           fm, fm->values[at]));
				buf_puts(&msg, "\", expected \"");
				append_shown(&msg, fields[j].value);
				fail(f, "front-matter: %s is \"%s\"",
				     fields[i].key, buf_cstr(&msg));
				break;
			}
			at++;
		}
	}
	for (k = 0; k < fm->nkeys; k++) {
		for (i = 0; i < nfields; i++)
			if (strcmp(frontmatter_string(fm, fm->keys[k].key),
			           fields[i].key) == 0)
				break;
		if (i == nfields)
			fail(f, "front-matter: %s is not expected",
			     frontmatter_string(fm, fm->keys[k].key));
	}
	buf_free(&msg);
}

struct heading {
	int level;
	char *text;
};

/* What the walk over the body collects. */
struct body_walk {
	struct heading *headings;
	size_t nheadings, cap;
	struct buf text; /* the heading being read */
	int level;       /* its level; 0 outside headings */
};

/* The post's line of a node (cmark counts from the body's first line);
 * inline nodes without a position take their block's. */
static size_t node_line(cmark_node *node, size_t body_line)
{
	int line = 0;

	for (; node && (line = cmark_node_get_start_line(node)) <= 0;
	     node = cmark_node_parent(node))
		;
	return line > 0 ? (size_t)line + body_line - 1 : body_line;
}

static bool is_allowed(const char *url, const char *const *allowed)
{
	for (; allowed && *allowed; allowed++)
		if (strcmp(url, *allowed) == 0)
			return true;
	return false;
}

static void walk_enter(struct body_walk *w, cmark_node *node,
                       const char *const *allowed, size_t body_line,
                       struct failures *f)
{
	const char *url, *literal;

	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_HEADING:
		w->level = cmark_node_get_heading_level(node);
		buf_reset(&w->text);
		break;
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
		literal = cmark_node_get_literal(node);
		if (w->level && literal)
			buf_puts(&w->text, literal);
		break;
	case CMARK_NODE_SOFTBREAK:
	case CMARK_NODE_LINEBREAK:
		if (w->level)
			buf_putc(&w->text, ' ');
		break;
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE:
		url = cmark_node_get_url(node);
		if (!is_allowed(url ? url : "", allowed))
			fail_with(
			        f,
			        cmark_node_get_type(node) == CMARK_NODE_LINK
			                ? "a link not from a fetched item: "
			                : "an image not from a fetched item: ",
			        url ? url : "");
		break;
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_HTML_INLINE:
		fail(f, "raw HTML in the post (line %zu)",
		     node_line(node, body_line));
		break;
	default:
		break;
	}
}

static void walk_exit_heading(struct body_walk *w)
{
	if (w->nheadings == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 16;
		w->headings = xreallocarray(w->headings, w->cap,
		                            sizeof w->headings[0]);
	}
	w->headings[w->nheadings].level = w->level;
	w->headings[w->nheadings].text = xstrdup(buf_cstr(&w->text));
	w->nheadings++;
	w->level = 0;
}

/* The first heading at index from or later that matches the required
 * section (level, text prefix), or nheadings. */
static size_t find_section(const struct body_walk *w, size_t from, int level,
                           const char *prefix)
{
	size_t i;

	for (i = from; i < w->nheadings; i++)
		if (w->headings[i].level == level &&
		    strncmp(w->headings[i].text, prefix, strlen(prefix)) == 0)
			return i;
	return w->nheadings;
}

/* Each required section ("## Text") must head a section after the one
 * before it; one that is only found earlier is out of order. */
static void check_sections(const struct body_walk *w,
                           const char *const *sections, struct failures *f)
{
	size_t next = 0, at;
	const char *s;
	int level;

	for (; sections && *sections; sections++) {
		s = *sections;
		for (level = 0; s[level] == '#'; level++)
			;
		if (level < 1 || level > 6 || s[level] != ' ' ||
		    !s[level + 1]) {
			fail(f, "a required section that is not \"# text\": %s",
			     s);
			continue;
		}
		at = find_section(w, next, level, s + level + 1);
		if (at < w->nheadings)
			next = at + 1;
		else if (find_section(w, 0, level, s + level + 1) <
		         w->nheadings)
			fail(f, "a section out of order: %s", s);
		else
			fail(f, "a missing section: %s", s);
	}
}

static void check_body(const char *body, size_t n, size_t body_line,
                       const char *const *sections, const char *const *allowed,
                       struct failures *f)
{
	struct body_walk w = {NULL, 0, 0, BUF_INIT(0), 0};
	cmark_node *doc = cmark_parse_document(body, n, CMARK_OPT_DEFAULT);
	cmark_iter *it;
	cmark_event_type ev;
	cmark_node *node;
	size_t i;

	if (!doc) {
		fail(f, "cmark could not parse the post");
		return;
	}
	cmark_consolidate_text_nodes(doc);
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		node = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER)
			walk_enter(&w, node, allowed, body_line, f);
		else if (cmark_node_get_type(node) == CMARK_NODE_HEADING)
			walk_exit_heading(&w);
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	check_sections(&w, sections, f);
	for (i = 0; i < w.nheadings; i++)
		free(w.headings[i].text);
	free(w.headings);
	buf_free(&w.text);
}

static size_t count_lines(const char *s, size_t n)
{
	size_t lines = 0;
	const char *p = s, *end = s + n;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		lines++;
		p++;
	}
	return lines;
}

int publish_validate(const char *post, size_t n,
                     const struct publish_field *fields, size_t nfields,
                     const char *const *sections, const char *const *allowed,
                     struct buf *err)
{
	struct failures f = {err, 0};
	struct frontmatter fm = FRONTMATTER_INIT;
	size_t fm_end = 0, body = 0, bad, line;
	const char *why;

	if (!post)
		post = "";
	if (n > POST_MAX) {
		fail(&f, "the post is larger than %d MiB", POST_MAX >> 20);
		return ERR_LIMIT;
	}
	if (memchr(post, '\0', n))
		fail(&f, "a NUL byte in the post");
	if ((bad = utf8_valid_prefix(post, n)) < n)
		fail(&f, "the post is not valid UTF-8 (byte %zu)", bad);
	switch (frontmatter_bounds(post, n, &fm_end, &body)) {
	case ERR_NOT_FOUND:
		fail(&f, "front-matter: the post does not start with a "
		         "\"---\" line");
		break;
	case ERR_PARSE:
		/* Without its end there is no body to check either. */
		fail(&f, "front-matter: no \"---\" line closes it");
		goto out;
	default:
		if (fm_end > FRONT_MATTER_MAX)
			fail(&f, "front-matter: longer than %d KiB",
			     FRONT_MATTER_MAX >> 10);
		else if (frontmatter_parse(&fm, post + 4, fm_end - 4, 2, &line,
		                           &why) != 0)
			fail(&f, "front-matter line %zu: %s", line, why);
		else
			fm_compare(&fm, fields, nfields, &f);
	}
	check_body(post + body, n - body, count_lines(post, body) + 1, sections,
	           allowed, &f);
out:
	if (f.count > FAILURES_MAX)
		buf_printf(err, "and %zu more failures\n",
		           f.count - FAILURES_MAX);
	frontmatter_free(&fm);
	return f.count ? ERR_PARSE : ERR_OK;
}
