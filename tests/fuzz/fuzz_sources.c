#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "fetch/sources.h"
#include "tests/fuzz/fuzz_sources.h"

/* libFuzzer target for sources_parse (feeds.txt); the whole input is the
 * file. Every bad line is one message, every source what sources.h
 * promises (a name without spaces, unique, at most 100 bytes; an http,
 * https or file URL; weight and max in range; clean UTF-8), the URL
 * placeholders all filled, and the list survives an OPML export and
 * import (fuzz_sources.h). ${VAR}s read the variables set below. Any
 * broken invariant aborts. */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("FUZZ_URL", "https://example.com/feed?a=1&b={DATE}", 1);
	setenv("FUZZ_HOST", "example.org", 1);
	setenv("FUZZ_SPACE", "a b", 1);
	setenv("FUZZ_CTRL", "x\x01y", 1);
	setenv("FUZZ_EMPTY", "", 1);
	unsetenv("FUZZ_UNSET");
	return 0;
}

/* UTF-8 without control characters but tab (NULL passes). */
static bool sources_clean(const char *s)
{
	size_t i, n;

	if (!s)
		return true;
	n = strlen(s);
	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') ||
		    s[i] == 0x7F)
			return false;
	return utf8_valid_prefix(s, n) == n;
}

static int sources_by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sources_check_one(const struct source *s)
{
	static const char *const schemes[] = {"http://", "https://", "file://"};
	char *url;
	size_t i;
	bool scheme = false;

	if (!s->name[0] || strlen(s->name) > 100 || strpbrk(s->name, " \t"))
		sources_fuzz_fail("line %d: name '%s'", s->line, s->name);
	for (i = 0; i < sizeof schemes / sizeof *schemes; i++)
		scheme = scheme || ascii_has_prefix_ci(s->url, schemes[i]);
	if (!scheme || strpbrk(s->url, " \t"))
		sources_fuzz_fail("line %d: url '%s'", s->line, s->url);
	if (!(s->weight > 0 && s->weight <= 1000) || !isfinite(s->weight) ||
	    s->max < 0 || s->max > 100000)
		sources_fuzz_fail("line %d: weight %g, max %d", s->line,
		                  s->weight, s->max);
	if (!sources_clean(s->name) || !sources_clean(s->url) ||
	    !sources_clean(s->url_raw) || !sources_clean(s->tags) ||
	    !sources_clean(s->token_env) || !sources_clean(s->include_src) ||
	    !sources_clean(s->exclude_src))
		sources_fuzz_fail("line %d: a control character or invalid "
		                  "UTF-8",
		                  s->line);
	if (!s->include != !s->include_src || !s->exclude != !s->exclude_src)
		sources_fuzz_fail("line %d: a pattern without its text",
		                  s->line);
	url = source_url_for_window(s, "2026-11-20", 1700000000);
	if (strstr(url, "{DATE}") || strstr(url, "{SINCE_DATE}") ||
	    strstr(url, "{SINCE_UNIX}"))
		sources_fuzz_fail("line %d: a placeholder left in '%s'",
		                  s->line, url);
	free(url);
	(void)source_accepts(s, "A title", "some text");
}

/* Messages are "FILE:LINE: reason" lines, one per bad line besides the
 * skipped-line notices. */
static void sources_check_messages(const struct buf *m, int bad)
{
	const char *line = buf_cstr(m), *nl;
	int count = 0;

	if (utf8_valid_prefix(line, m->len) != m->len ||
	    (m->len && m->data[m->len - 1] != '\n'))
		sources_fuzz_fail("messages not UTF-8 lines");
	for (; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		const char *why = strstr(line, ": ");

		if (strncmp(line, "in.txt:", 7) != 0 || !why || why > nl)
			sources_fuzz_fail("a message '%.*s'", (int)(nl - line),
			                  line);
		count += strncmp(why, ": skipped: ", 11) != 0;
	}
	if (count != bad)
		sources_fuzz_fail("%d bad lines, %d messages", bad, count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf messages = BUF_INIT(0);
	struct source_list list;
	char **names;
	size_t i;
	int bad;

	bad = sources_parse((const char *)data, size, "in.txt", &list,
	                    &messages);
	sources_check_messages(&messages, bad);
	names = xcalloc(list.n + 1, sizeof *names);
	for (i = 0; i < list.n; i++) {
		sources_check_one(&list.v[i]);
		if (i > 0 && list.v[i].line <= list.v[i - 1].line)
			sources_fuzz_fail("line %d after line %d",
			                  list.v[i].line, list.v[i - 1].line);
		names[i] = list.v[i].name;
	}
	qsort(names, list.n, sizeof *names, sources_by_name);
	for (i = 1; i < list.n; i++)
		if (strcmp(names[i - 1], names[i]) == 0)
			sources_fuzz_fail("name '%s' twice", names[i]);
	free(names);
	sources_fuzz_check_round_trip(&list);
	sources_free(&list);
	buf_free(&messages);
	return 0;
}
