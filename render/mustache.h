#ifndef AIDIGEST_MUSTACHE_H
#define AIDIGEST_MUSTACHE_H

#include <stddef.h>

#include <jansson.h>

#include "common/buf.h"
#include "common/err.h"

/* Mustache templates (https://mustache.github.io/mustache.5.html, the
 * spec's core: variables, sections, inverted sections, comments,
 * partials, set delimiters, standalone lines), rendered against jansson
 * data. A template is parsed into a flat token list and rendered with an
 * explicit stack: nothing recurses on the template or the data. */

/* Escapes a value for the place it lands: append s[0..n) to out.
 * Returns 0, or BUF_ERR_CAP (the render then fails as over its cap). */
typedef int (*mustache_escape_fn)(struct buf *out, const char *s, size_t n);

/* The text of partial `name`: a NUL-terminated string from malloc() that
 * the engine frees, or NULL when there is none (it renders as nothing).
 * Called at most once per name and indentation in a render. */
typedef char *(*mustache_partial_fn)(void *ctx, const char *name);

struct mustache_options {
	mustache_escape_fn escape;   /* {{x}}; NULL: HTML, as the spec says */
	mustache_partial_fn partial; /* NULL: every partial is empty */
	void *ctx;                   /* passed to partial */
	size_t max_output;           /* bytes; 0: 16 MiB */
	size_t max_depth;            /* nested sections and partials; 0: 64 */
};

/* Render tmpl[0..n) with data (NULL: null) into out, appended whole or
 * not at all. Sections skip false, null, [] and missing values ("" and 0
 * are true); reals print shortest (1.5); objects and arrays as nothing.
 * Work is capped at max(2^20, 8 * max_output) steps, partials at 64 MiB.
 * Returns 0; ERR_PARSE for a template that does not parse, ERR_LIMIT when
 * a bound stopped it (output, steps, depth, partials' bytes); either with
 * the reason appended to err, with its line where one applies ("line 3:
 * unclosed section 'items'", "partial 'row': line 1: ...", "output over
 * 100 bytes"). */
MUST_CHECK int mustache_render(const char *tmpl, size_t n, const json_t *data,
                               const struct mustache_options *opt,
                               struct buf *out, struct buf *err);

#endif
