#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/ascii.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "render/escape.h"
#include "render/frontmatter.h"
#include "render/publish.h"

/* libFuzzer target for the front-matter readers: the strict one the
 * checks before publishing use (frontmatter_bounds, frontmatter_parse)
 * and the lenient one that keeps an existing post's dates
 * (publish_existing_dates, reading the input from a memory file).
 *
 * The whole input is a post: what parses has well-formed keys, each with
 * its values; the lenient reader gives the values the strict one read.
 * The input up to a NUL is also a value: escape_yaml's form of it, in a
 * post, reads back as that value (invalid UTF-8 as U+FFFD) with both
 * readers. Any broken invariant aborts. */

#define FM_ROOM 32         /* bytes for a date read from the post */
#define FM_BIG_ROOM 262144 /* bytes for the value written as YAML */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fm_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fm_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz_frontmatter: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* publish_existing_dates over text[0..n) as the file; its result. */
static int fm_existing(const char *text, size_t n, char *date, size_t dsize,
                       char *update, size_t usize)
{
	static int fd = -1;
	char path[64];

	if (fd < 0)
		fd = memfd_create("post", 0);
	if (fd < 0 || ftruncate(fd, 0) != 0 ||
	    pwrite(fd, text, n, 0) != (ssize_t)n)
		fm_fail("the memory file failed");
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	return publish_existing_dates(path, date, dsize, update, usize);
}

/* The only value of key, or NULL (absent, a list of another length). */
static const char *fm_value(const struct frontmatter *fm, const char *key)
{
	size_t i;

	for (i = 0; i < fm->nkeys; i++)
		if (strcmp(frontmatter_string(fm, fm->keys[i].key), key) == 0)
			return fm->keys[i].count == 1
			               ? frontmatter_string(
			                         fm,
			                         fm->values[fm->keys[i].first])
			               : NULL;
	return NULL;
}

static void fm_check_parsed(const struct frontmatter *fm)
{
	size_t i, j, next = 0;
	const char *k;

	for (i = 0; i < fm->nkeys; i++) {
		k = frontmatter_string(fm, fm->keys[i].key);
		if (!(ascii_isalpha(k[0]) || k[0] == '_') ||
		    k[strspn(k, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS"
		                "TUVWXYZ0123456789_-")] != '\0')
			fm_fail("a key '%s'", k);
		for (j = 0; j < i; j++)
			if (!strcmp(k, frontmatter_string(fm, fm->keys[j].key)))
				fm_fail("key '%s' twice", k);
		if (fm->keys[i].first != next || fm->keys[i].count == 0)
			fm_fail("key '%s': values from %zu, %zu of them", k,
			        fm->keys[i].first, fm->keys[i].count);
		next += fm->keys[i].count;
	}
	if (next != fm->nvalues)
		fm_fail("%zu values, the keys have %zu", fm->nvalues, next);
	for (i = 0; i < fm->nvalues; i++)
		if (fm->values[i] >= fm->strings.len)
			fm_fail("value %zu past the strings", i);
}

/* The lenient reader agrees with the strict one on a post both read. */
static void fm_check_lenient(const char *s, size_t n,
                             const struct frontmatter *fm)
{
	const char *date = fm_value(fm, "date"),
	           *update = fm_value(fm, "update");
	char got_date[FM_ROOM], got_update[FM_ROOM];
	int ret;

	if (!fm_value(fm, "update") && !fm_value(fm, "lastmod"))
		update = NULL;
	else if (!update)
		update = fm_value(fm, "lastmod");
	ret = fm_existing(s, n, got_date, sizeof got_date, got_update,
	                  sizeof got_update);
	if (ret == ERR_LIMIT)
		return; /* a value of one of them does not fit */
	if (ret != 0)
		fm_fail("the strict reader reads it, the lenient says %d", ret);
	if ((got_date[0] && (!date || strcmp(got_date, date) != 0)) ||
	    (got_update[0] && (!update || strcmp(got_update, update) != 0)))
		fm_fail("the lenient reader read date '%s' update '%s'",
		        got_date, got_update);
}

/* The input as a post, read strictly and leniently. */
static void fm_check_post(const char *s, size_t n)
{
	struct frontmatter fm = FRONTMATTER_INIT;
	size_t fm_end = 0, body = 0, line = 0, i, lines = 0;
	const char *why = NULL;
	int ret = frontmatter_bounds(s, n, &fm_end, &body);

	if ((ret == ERR_NOT_FOUND) != (n < 4 || memcmp(s, "---\n", 4) != 0))
		fm_fail("bounds: %d", ret);
	if (ret != 0)
		return;
	if (fm_end < 4 || body != fm_end + 4 || body > n ||
	    memcmp(s + fm_end, "---\n", 4) != 0 || s[fm_end - 1] != '\n')
		fm_fail("bounds: end %zu, body %zu of %zu", fm_end, body, n);
	for (i = 4; i < fm_end; i++)
		lines += s[i] == '\n';
	ret = frontmatter_parse(&fm, s + 4, fm_end - 4, 2, &line, &why);
	if (ret == 0)
		fm_check_parsed(&fm);
	else if (ret != ERR_PARSE || !why || line < 2 || line >= 2 + lines)
		fm_fail("parse: %d at line %zu of %zu", ret, line, lines);
	if (ret == 0)
		fm_check_lenient(s, n, &fm);
	frontmatter_free(&fm);
}

/* Whether got is what value reads back as: itself, or UTF-8 when value
 * is not (escape_yaml writes U+FFFD in place of a broken character). */
static bool fm_same_value(const char *got, const char *value)
{
	size_t n = strlen(value);

	if (utf8_valid_prefix(value, n) == n)
		return strcmp(got, value) == 0;
	return utf8_valid_prefix(got, strlen(got)) == strlen(got);
}

/* value as escape_yaml writes it, in a post: both readers give it back. */
static void fm_check_value(const char *value)
{
	struct buf post = BUF_INIT(0);
	struct frontmatter fm = FRONTMATTER_INIT;
	size_t fm_end, body, line;
	const char *why = "", *got;
	static char date[FM_BIG_ROOM];

	buf_puts(&post, "---\ntitle: ");
	(void)escape_yaml(&post, value, strlen(value));
	buf_puts(&post, "\ndate: ");
	(void)escape_yaml(&post, value, strlen(value));
	buf_puts(&post, "\n---\nThe body.\n");
	if (frontmatter_bounds(post.data, post.len, &fm_end, &body) != 0 ||
	    frontmatter_parse(&fm, post.data + 4, fm_end - 4, 2, &line, &why) !=
	            0)
		fm_fail("escape_yaml's value does not parse: %s\n%s", why,
		        buf_cstr(&post));
	got = fm_value(&fm, "title");
	if (!got || !fm_same_value(got, value))
		fm_fail("escape_yaml's value reads back as '%s'", got);
	if (fm_existing(post.data, post.len, date, FM_BIG_ROOM, NULL, 0) != 0 ||
	    !fm_same_value(date, value))
		fm_fail("escape_yaml's date reads back as '%s'", date);
	frontmatter_free(&fm);
	buf_free(&post);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *value;

	fm_check_post((const char *)data, size);
	value = xstrndup((const char *)data, size);
	fm_check_value(value);
	free(value);
	return 0;
}
