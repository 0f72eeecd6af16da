#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/utf8.h"
#include "common/ini.h"

/* libFuzzer target for ini_parse (the configuration's syntax); the whole
 * input is the file. Each malformed line is one message line; keys and
 * values are trimmed as ini.h says; ini_find gives the last entry of a
 * key; and the entries, written back as INI (sections in brackets, every
 * value quoted and escaped), read back the same. Any broken invariant
 * aborts. */

#define INI_LINE_MAX 8192 /* common/ini.c's bound on a line */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ini_fail(const char *fmt, ...)
        __attribute__((format(printf, 1, 2)));

static void ini_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz_ini: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static bool ini_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static size_t ini_count_lines(const char *s, size_t n)
{
	size_t i, count = n > 0;

	for (i = 0; i < n; i++)
		count += s[i] == '\n' && i + 1 < n;
	return count;
}

/* What ini.h promises of one entry of a file of nlines lines. */
static void ini_check_entry(const struct ini *ini, size_t i, size_t nlines)
{
	const struct ini_entry *e = &ini->v[i], *last;
	size_t klen = strlen(e->key);

	if (e->line < 1 || (size_t)e->line > nlines ||
	    (i > 0 && e->line <= ini->v[i - 1].line))
		ini_fail("entry %zu: line %d of %zu, out of order", i, e->line,
		         nlines);
	if (klen == 0 || ini_is_blank(e->key[0]) ||
	    ini_is_blank(e->key[klen - 1]) || strchr(e->key, '=') ||
	    e->key[0] == '#' || e->key[0] == ';' || e->key[0] == '[')
		ini_fail("line %d: key '%s' is not trimmed or holds '='",
		         e->line, e->key);
	if (e->section[0] && (ini_is_blank(e->section[0]) ||
	                      ini_is_blank(e->section[strlen(e->section) - 1])))
		ini_fail("line %d: section '%s' is not trimmed", e->line,
		         e->section);
	last = ini_find(ini, e->section, e->key);
	if (!last || last < e || strcmp(last->section, e->section) != 0 ||
	    strcmp(last->key, e->key) != 0)
		ini_fail("line %d: ini_find does not give the last '%s'",
		         e->line, e->key);
	if (ini_get(ini, e->section, e->key) != last->value)
		ini_fail("line %d: ini_get and ini_find differ", e->line);
}

/* The value as a quoted INI value. */
static void ini_put_quoted(struct buf *out, const char *v)
{
	buf_putc(out, '"');
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			buf_putc(out, '\\');
		if (*v == '\n')
			buf_puts(out, "\\n");
		else if (*v == '\t')
			buf_puts(out, "\\t");
		else
			buf_putc(out, *v);
	}
	buf_putc(out, '"');
}

/* The entries written back as a file; false when a line would be over
 * the line bound (the file then says nothing). */
static bool ini_write(const struct ini *ini, struct buf *out)
{
	const char *section = "";
	size_t i, start;

	for (i = 0; i < ini->n; i++) {
		const struct ini_entry *e = &ini->v[i];

		if (strcmp(e->section, section) != 0) {
			section = e->section;
			buf_printf(out, "[%s]\n", *section ? section : " ");
		}
		start = out->len;
		buf_printf(out, "%s = ", e->key);
		ini_put_quoted(out, e->value);
		if (out->len - start > INI_LINE_MAX)
			return false;
		buf_putc(out, '\n');
	}
	return true;
}

static void ini_check_same(const struct ini *a, const struct ini *b)
{
	size_t i;

	if (a->n != b->n)
		ini_fail("written back: %zu entries, not %zu", b->n, a->n);
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].section, b->v[i].section) != 0 ||
		    strcmp(a->v[i].key, b->v[i].key) != 0 ||
		    strcmp(a->v[i].value, b->v[i].value) != 0)
			ini_fail("written back, entry %zu is [%s] %s = '%s', "
			         "not [%s] %s = '%s'",
			         i, b->v[i].section, b->v[i].key, b->v[i].value,
			         a->v[i].section, a->v[i].key, a->v[i].value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct buf err = BUF_INIT(0), again = BUF_INIT(0);
	struct ini ini, back;
	size_t i, lines = 0;
	int bad;

	bad = ini_parse(text, size, "f.ini", &ini, &err);
	for (i = 0; i < err.len; i++)
		lines += err.data[i] == '\n';
	if (bad < 0 || (size_t)bad != lines ||
	    (err.len && err.data[err.len - 1] != '\n'))
		ini_fail("%d bad lines, %zu message lines", bad, lines);
	if (utf8_valid_prefix(buf_cstr(&err), err.len) != err.len)
		ini_fail("a message is not valid UTF-8");
	for (i = 0; i < ini.n; i++)
		ini_check_entry(&ini, i, ini_count_lines(text, size));
	if (ini_write(&ini, &again)) {
		buf_reset(&err);
		if (ini_parse(buf_cstr(&again), again.len, "again.ini", &back,
		              &err) != 0)
			ini_fail("written back, it does not parse: %s",
			         buf_cstr(&err));
		ini_check_same(&ini, &back);
		ini_free(&back);
	}
	ini_free(&ini);
	buf_free(&err);
	buf_free(&again);
	return 0;
}
