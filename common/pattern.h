#ifndef AIDIGEST_PATTERN_H
#define AIDIGEST_PATTERN_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "common/err.h"

/* Regular expressions from configuration (feeds.txt include= and exclude=,
 * [categories]) and built-in tables: PCRE2, UTF-8 with Unicode classes,
 * case ignored, \C refused; invalid UTF-8 in a subject is matched, not
 * an error. Every match has the same bounds (steps, depth, heap), so a
 * hostile pattern such as (a+)+$ stops instead of backtracking for hours;
 * a match stopped by a bound counts as no match. */

#define PATTERN_MATCH_LIMIT 1000000
#define PATTERN_DEPTH_LIMIT 10000
#define PATTERN_HEAP_LIMIT_KIB 20000

struct pattern;

/* Compile src. Returns 0, or ERR_PARSE with "bad pattern: MESSAGE at
 * offset N" in err. */
MUST_CHECK int pattern_compile(const char *src, struct pattern **out,
                               struct buf *err);
void pattern_free(struct pattern *p);

/* 1 when p matches s[0..n), 0 when not, -1 when a bound stopped it: an
 * answer of three values, not a success or a failure. */
int pattern_match(struct pattern *p, const char *s, size_t n);

/* Whether p matches the NUL-terminated s (NULL reads as ""); false for
 * NULL p and for a match a bound stopped. */
bool pattern_matches(struct pattern *p, const char *s);

/* How many times p matches in s, without overlaps, up to max. */
size_t pattern_count(struct pattern *p, const char *s, size_t max);

/* The source text the pattern was compiled from. */
const char *pattern_source(const struct pattern *p);

#endif
