#ifndef AIDIGEST_MUSTACHE_H
#define AIDIGEST_MUSTACHE_H

#include <stddef.h>

#include <jansson.h>

#include "common/buf.h"

/* Mustache templates (https://mustache.github.io/mustache.5.html, the
 * spec's core: variables, sections, inverted sections, comments,
 * partials, set delimiters, standalone lines), rendered against jansson
 * data. Bounded: output size, nesting depth and partial depth are capped,
 * and nothing recurses on input-shaped data without a bound. */

/* Escapes a value for the place it lands: append s[0..n) to out.
 * Returns 0, or BUF_ERR_CAP. */
typedef int (*mustache_escape_fn)(struct buf *out, const char *s, size_t n);

/* The text of partial `name` (caller of the engine frees it with free()),
 * or NULL when there is none (it then renders as nothing). */
typedef char *(*mustache_partial_fn)(void *ctx, const char *name);

struct mustache_options {
	mustache_escape_fn escape; /* NULL: HTML, as the spec says */
	mustache_partial_fn partial;
	void *ctx;
	size_t max_output; /* bytes; 0: 16 MiB */
	size_t max_depth;  /* nested sections and partials; 0: 64 */
};

/* Render tmpl[0..n) with data into out (appended). Returns 0, or -1 with
 * the reason and the line in err ("line 3: unclosed section 'items'"). */
int mustache_render(const char *tmpl, size_t n, const json_t *data,
		    const struct mustache_options *opt, struct buf *out,
		    struct buf *err);

#endif
