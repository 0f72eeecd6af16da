#ifndef AIDIGEST_FUZZ_SOURCES_H
#define AIDIGEST_FUZZ_SOURCES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ascii.h"
#include "common/buf.h"
#include "fetch/sources.h"

/* What fuzz_sources.c and fuzz_opml.c both check: the lines an OPML
 * import prints are feeds.txt lines that load, and a list exported as
 * OPML and imported again keeps its kinds and plain URLs. */

static inline void sources_fuzz_fail(const char *fmt, ...)
        __attribute__((format(printf, 1, 2)));

static inline void sources_fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz_sources: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* What f printed (into out), closed. */
static inline void sources_fuzz_take(FILE *f, char **text, size_t *len,
                                     struct buf *out)
{
	if (fclose(f) != 0)
		sources_fuzz_fail("a memory stream failed");
	buf_append(out, *text, *len);
	free(*text);
}

/* sources_import_opml into lines; its result. */
static inline int sources_fuzz_import(const char *doc, size_t n,
                                      struct buf *lines, struct buf *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int ret;

	if (!f)
		abort();
	ret = sources_import_opml(doc, n, f, err);
	sources_fuzz_take(f, &text, &len, lines);
	return ret;
}

/* The lines an import printed load as feeds.txt: every line a source,
 * none bad, each URL http(s). The sources into list. */
static inline void sources_fuzz_check_import(const struct buf *lines,
                                             struct source_list *list)
{
	struct buf messages = BUF_INIT(0);
	size_t i, n = 0;
	int bad;

	for (i = 0; i < lines->len; i++)
		n += lines->data[i] == '\n';
	bad = sources_parse(buf_cstr(lines), lines->len, "imported", list,
	                    &messages);
	if (bad != 0 || list->n != n)
		sources_fuzz_fail("the import printed %zu lines, of which %d "
		                  "bad:\n%s%s",
		                  n, bad, buf_cstr(&messages), buf_cstr(lines));
	for (i = 0; i < list->n; i++)
		if (!ascii_has_prefix_ci(list->v[i].url, "http://") &&
		    !ascii_has_prefix_ci(list->v[i].url, "https://"))
			sources_fuzz_fail("imported a url '%s'",
			                  list->v[i].url);
	buf_free(&messages);
}

/* A URL the import copies as it is: printable ASCII, no quote, brace or
 * '$'. */
static inline bool sources_fuzz_plain_url(const char *url)
{
	for (; *url; url++)
		if (*url <= ' ' || *url >= 0x7F || strchr("\"{}$", *url))
			return false;
	return true;
}

/* Export list, import it, load what the import printed: the http(s)
 * sources come back in the export's order (kind by kind), each with its
 * kind, and a plain URL as it was. */
static inline void sources_fuzz_check_round_trip(const struct source_list *list)
{
	struct buf doc = BUF_INIT(0), lines = BUF_INIT(0), err = BUF_INIT(0);
	struct source_list back;
	const struct source *s;
	char *text = NULL;
	size_t len = 0, i, j = 0;
	int k;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		abort();
	if (sources_export_opml(list, f) != 0)
		sources_fuzz_fail("the export failed");
	sources_fuzz_take(f, &text, &len, &doc);
	if (sources_fuzz_import(doc.data, doc.len, &lines, &err) != 0)
		sources_fuzz_fail("the export does not import: %s\n%s",
		                  buf_cstr(&err), buf_cstr(&doc));
	sources_fuzz_check_import(&lines, &back);
	for (k = SOURCE_TWEET; k <= SOURCE_NEWS; k++)
		for (i = 0; i < list->n; i++) {
			s = &list->v[i];
			if ((int)s->kind != k || strlen(s->url_raw) > 2048 ||
			    (!ascii_has_prefix_ci(s->url_raw, "http://") &&
			     !ascii_has_prefix_ci(s->url_raw, "https://")))
				continue;
			if (j >= back.n || back.v[j].kind != s->kind ||
			    (sources_fuzz_plain_url(s->url_raw) &&
			     strcmp(back.v[j].url, s->url_raw) != 0))
				sources_fuzz_fail("line %d ('%s') did not "
				                  "come back as it was:\n%s",
				                  s->line, s->url_raw,
				                  buf_cstr(&lines));
			j++;
		}
	if (j != back.n)
		sources_fuzz_fail("%zu sources came back, not %zu", back.n, j);
	sources_free(&back);
	buf_free(&doc);
	buf_free(&lines);
	buf_free(&err);
}

#endif
