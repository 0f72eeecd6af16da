#include "render/frontmatter.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/ascii.h"
#include "common/err.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "render/publish.h"

enum {
	EXISTING_MAX = 64 * 1024 /* bytes read of an existing post */
};

int frontmatter_bounds(const char *s, size_t n, size_t *fm_end, size_t *body)
{
	size_t pos = 4, len;
	const char *nl;

	if (n < 4 || memcmp(s, "---\n", 4) != 0)
		return ERR_NOT_FOUND;
	while (pos < n) {
		nl = memchr(s + pos, '\n', n - pos);
		if (!nl)
			return ERR_PARSE;
		len = (size_t)(nl - (s + pos));
		if (len == 3 && memcmp(s + pos, "---", 3) == 0) {
			*fm_end = pos;
			*body = pos + 4;
			return 0;
		}
		pos += len + 1;
	}
	return ERR_PARSE;
}

/* The one-character escapes of a double-quoted scalar. */
static const struct {
	char name, value;
} yaml_escapes[] = {
        {'"', '"'}, {'\\', '\\'}, {'n', '\n'}, {'t', '\t'}, {'r', '\r'}};

/* Read the double-quoted scalar at s[0] == '"' within a line of n bytes
 * into out; 0 with *used (through the closing quote), or ERR_PARSE with
 * *why.
 * Escapes: \" \\ \n \t \r \uXXXX \xHH, all those escape_yaml writes; a
 * raw control character other than a tab, a NUL and a surrogate are
 * refused. */
static int yaml_read_quoted(const char *s, size_t n, struct buf *out,
                            size_t *used, const char **why)
{
	size_t i = 1, k, digits;
	uint32_t cp;
	char utf8[4];
	int h;

	while (i < n) {
		if (s[i] == '"') {
			*used = i + 1;
			return 0;
		}
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t') {
			*why = "a control character in a quoted value";
			return ERR_PARSE;
		}
		if (s[i] != '\\') {
			buf_putc(out, s[i++]);
			continue;
		}
		if (i + 1 >= n) {
			*why = "a '\\' at the end of the line";
			return ERR_PARSE;
		}
		for (k = 0; k < sizeof yaml_escapes / sizeof yaml_escapes[0];
		     k++)
			if (yaml_escapes[k].name == s[i + 1])
				break;
		if (k < sizeof yaml_escapes / sizeof yaml_escapes[0]) {
			buf_putc(out, yaml_escapes[k].value);
			i += 2;
			continue;
		}
		if (s[i + 1] != 'u' && s[i + 1] != 'x') {
			*why = "an unknown escape in a quoted value";
			return ERR_PARSE;
		}
		digits = s[i + 1] == 'u' ? 4 : 2;
		cp = 0;
		for (k = 0; k < digits; k++) {
			h = i + 2 + k < n
			            ? ascii_hexval((unsigned char)s[i + 2 + k])
			            : -1;
			if (h < 0) {
				*why = "a \\u or \\x escape without its hex "
				       "digits";
				return ERR_PARSE;
			}
			cp = cp * 16 + (uint32_t)h;
		}
		if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
			*why = "a NUL or surrogate escape";
			return ERR_PARSE;
		}
		buf_append(out, utf8, utf8_encode(cp, utf8));
		i += 2 + digits;
	}
	*why = "a quoted value that does not end on its line";
	return ERR_PARSE;
}

/* A plain scalar as the project writes them: dates, times, numbers,
 * true/false, words; no YAML indicator that could change its meaning. */
static bool yaml_plain_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || s[n - 1] == ' ' || s[0] == ' ' || s[0] == ':' ||
	    (s[0] == '-' && (n == 1 || s[1] == ' ')))
		return false;
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] >= 0x80 || ascii_isalnum(s[i]))
			continue;
		if (!strchr(" -+._:/", s[i]) || s[i] == '\0')
			return false;
		if (s[i] == ':' && (i + 1 == n || s[i + 1] == ' '))
			return false;
	}
	return true;
}

static bool is_key_char(char c, bool first)
{
	return ascii_isalpha(c) || c == '_' ||
	       (!first && (ascii_isdigit(c) || c == '-'));
}

/* The length of the `key:` at the start of line, or 0. */
static size_t yaml_key_length(const char *line, size_t n)
{
	size_t i = 0;

	while (i < n && is_key_char(line[i], i == 0))
		i++;
	return i > 0 && i < n && line[i] == ':' ? i : 0;
}

/* A value of an existing post as any YAML writer may have put it:
 * "double", 'single' or plain (a " #" comment cut off); 0, or ERR_PARSE
 * for a double-quoted value this reader refuses. */
static int read_value_leniently(const char *v, size_t n, struct buf *out)
{
	const char *why;
	size_t i;

	while (n && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n && strchr(" \t\r", v[n - 1]))
		n--;
	if (n && *v == '"')
		return yaml_read_quoted(v, n, out, &i, &why);
	if (n && *v == '\'') {
		for (i = 1; i < n; i++) {
			if (v[i] == '\'') {
				if (i + 1 >= n || v[i + 1] != '\'')
					break;
				i++; /* '' is one quote */
			}
			buf_putc(out, v[i]);
		}
		return 0;
	}
	for (i = 0; i < n && !(v[i] == '#' && i && v[i - 1] == ' '); i++)
		;
	while (i && v[i - 1] == ' ')
		i--;
	buf_append(out, v, i);
	return 0;
}

/* Read the first bytes of fd, up to text's cap, into text: the head of
 * a post, where its front-matter is (not the whole file, which may be
 * longer than the cap: file_read would refuse it). 0, or ERR_IO. */
static int read_head(int fd, struct buf *text)
{
	size_t room = text->max - text->len;
	ssize_t got;

	while (room > 0) {
		got = read(fd, buf_reserve(text, room), room);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return ERR_IO;
		if (got == 0)
			break;
		buf_commit(text, (size_t)got);
		room -= (size_t)got;
	}
	return 0;
}

/* value into dst: 0, or ERR_LIMIT when it does not fit in size bytes. */
static int copy_out(char *dst, size_t size, const struct buf *value)
{
	if (value->len >= size)
		return ERR_LIMIT;
	memcpy(dst, buf_cstr(value), value->len + 1);
	return 0;
}

int publish_existing_dates(const char *path, char *date, size_t dsize,
                           char *update, size_t usize)
{
	/* date, then the update: update, else lastmod (hugo), else
	 * last_modified_at (jekyll) */
	static const char *const keys[] = {"date", "update", "lastmod",
	                                   "last_modified_at"};
	enum { NKEYS = sizeof keys / sizeof *keys };
	struct buf text = BUF_INIT(EXISTING_MAX), value = BUF_INIT(0);
	bool found[NKEYS] = {false};
	const char *s, *line, *nl;
	size_t fm_end, body, n, klen, k, update_key = NKEYS;
	int fd, ret;

	if (date && dsize)
		date[0] = '\0';
	if (update && usize)
		update[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? ERR_NOT_FOUND : ERR_IO;
	ret = read_head(fd, &text);
	if (ret != ERR_OK)
		goto out;
	s = buf_cstr(&text);
	ret = frontmatter_bounds(s, text.len, &fm_end, &body);
	if (ret == ERR_NOT_FOUND) {
		ret = ERR_OK; /* no front-matter: no dates */
		goto out;
	}
	if (ret != ERR_OK)
		goto out;
	for (line = s + 4; line < s + fm_end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(s + fm_end - line));
		n = (size_t)(nl - line);
		klen = yaml_key_length(line, n);
		for (k = 0; klen && k < NKEYS; k++)
			if (strlen(keys[k]) == klen &&
			    memcmp(line, keys[k], klen) == 0)
				break;
		if (!klen || k == NKEYS || found[k])
			continue;
		found[k] = true;
		buf_reset(&value);
		ret = read_value_leniently(line + klen + 1, n - klen - 1,
		                           &value);
		if (ret == ERR_OK && k == 0 && date)
			ret = copy_out(date, dsize, &value);
		if (ret == ERR_OK && k > 0 && k < update_key && update) {
			ret = copy_out(update, usize, &value);
			update_key = k;
		}
		if (ret != ERR_OK)
			goto out;
	}
out:
	close(fd);
	buf_free(&text);
	buf_free(&value);
	return ret;
}

void frontmatter_free(struct frontmatter *fm)
{
	buf_free(&fm->strings);
	free(fm->values);
	free(fm->keys);
}

const char *frontmatter_string(const struct frontmatter *fm, size_t off)
{
	return fm->strings.data + off;
}

static void fm_add_key(struct frontmatter *fm, const char *key, size_t n,
                       size_t line)
{
	if (fm->nkeys == fm->keys_cap) {
		fm->keys_cap = fm->keys_cap ? 2 * fm->keys_cap : 16;
		fm->keys = xreallocarray(fm->keys, fm->keys_cap,
		                         sizeof fm->keys[0]);
	}
	fm->keys[fm->nkeys].key = fm->strings.len;
	fm->keys[fm->nkeys].first = fm->nvalues;
	fm->keys[fm->nkeys].count = 0;
	fm->keys[fm->nkeys].line = line;
	fm->nkeys++;
	buf_append(&fm->strings, key, n);
	buf_putc(&fm->strings, '\0');
}

/* Start a value of the last key; its text is appended to strings next. */
static void fm_add_value(struct frontmatter *fm)
{
	if (fm->nvalues == fm->values_cap) {
		fm->values_cap = fm->values_cap ? 2 * fm->values_cap : 16;
		fm->values = xreallocarray(fm->values, fm->values_cap,
		                           sizeof fm->values[0]);
	}
	fm->values[fm->nvalues++] = fm->strings.len;
	fm->keys[fm->nkeys - 1].count++;
}

static bool fm_has_key(const struct frontmatter *fm, const char *key, size_t n)
{
	size_t i;

	for (i = 0; i < fm->nkeys; i++)
		if (strlen(frontmatter_string(fm, fm->keys[i].key)) == n &&
		    memcmp(frontmatter_string(fm, fm->keys[i].key), key, n) ==
		            0)
			return true;
	return false;
}

/* One scalar (quoted or plain) that fills line[0..n) as the last key's
 * new value; NULL or why not. */
static const char *fm_read_value(struct frontmatter *fm, const char *s,
                                 size_t n)
{
	const char *why = NULL;
	size_t used;

	fm_add_value(fm);
	if (n && s[0] == '"') {
		if (yaml_read_quoted(s, n, &fm->strings, &used, &why))
			return why;
		if (used != n)
			return "text after a quoted value";
	} else if (yaml_plain_ok(s, n)) {
		buf_append(&fm->strings, s, n);
	} else {
		return "a value that is neither \"quoted\" nor plain";
	}
	buf_putc(&fm->strings, '\0');
	return NULL;
}

int frontmatter_parse(struct frontmatter *fm, const char *s, size_t n,
                      size_t first_line, size_t *line_out, const char **why_out)
{
	const char *line = s, *nl, *why = NULL;
	size_t len, klen, lineno = first_line;
	bool in_list = false;

	for (; line < s + n; line = nl + 1, lineno++) {
		nl = memchr(line, '\n', (size_t)(s + n - line));
		len = (size_t)(nl - line);
		if (len == 0)
			continue;
		if (len >= 4 && memcmp(line, "  - ", 4) == 0) {
			if (!in_list) {
				why = "a list item that follows no `key:`";
				break;
			}
			if ((why = fm_read_value(fm, line + 4, len - 4)))
				break;
			continue;
		}
		if ((len >= 3 && (memcmp(line, "---", 3) == 0 ||
		                  memcmp(line, "...", 3) == 0))) {
			why = "a document marker inside the front-matter";
			break;
		}
		if (line[0] == ' ' || line[0] == '\t') {
			why = "an indentation other than `  - ` for list items";
			break;
		}
		klen = yaml_key_length(line, len);
		if (!klen) {
			why = "not a `key: value` line";
			break;
		}
		if (fm->nkeys && fm->keys[fm->nkeys - 1].count == 0)
			break;
		if (fm_has_key(fm, line, klen)) {
			why = "a key that appears twice";
			break;
		}
		fm_add_key(fm, line, klen, lineno);
		in_list = klen + 1 == len;
		if (in_list)
			continue;
		if (line[klen + 1] != ' ' || klen + 2 == len ||
		    line[klen + 2] == ' ') {
			why = "not one space between `key:` and its value";
			break;
		}
		if ((why = fm_read_value(fm, line + klen + 2, len - klen - 2)))
			break;
	}
	if (!why && fm->nkeys && fm->keys[fm->nkeys - 1].count == 0) {
		why = "a `key:` with neither a value nor list items";
		lineno = fm->keys[fm->nkeys - 1].line;
	}
	if (why) {
		*line_out = lineno;
		*why_out = why;
		return ERR_PARSE;
	}
	return 0;
}
