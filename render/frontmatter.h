#ifndef AIDIGEST_FRONTMATTER_H
#define AIDIGEST_FRONTMATTER_H

#include <stddef.h>

#include "common/buf.h"
#include "common/err.h"

/* Internal to render/: a post's YAML front-matter as the project writes
 * it, read for validation (validate.c) and for publish_existing_dates.
 * Callers outside render/ use render/publish.h. */

/* Where the front-matter's lines lie in s[0..n): 0 with *fm_end (the
 * start of the closing "---" line) and *body (just after it);
 * ERR_NOT_FOUND when s does not start with "---\n"; ERR_PARSE when no
 * "---" line closes it. */
MUST_CHECK int frontmatter_bounds(const char *s, size_t n, size_t *fm_end,
                                  size_t *body);

/* One key: its name and its values as offsets into the strings, the
 * values being values[first .. first + count). */
struct frontmatter_key {
	size_t key, first, count;
	size_t line; /* where the key is, for messages */
};

/* A parsed front-matter; every string in strings is NUL-terminated. */
struct frontmatter {
	struct buf strings;
	size_t *values, nvalues, values_cap;
	struct frontmatter_key *keys;
	size_t nkeys, keys_cap;
};

#define FRONTMATTER_INIT                                                       \
	{                                                                      \
		BUF_INIT(0), NULL, 0, 0, NULL, 0, 0                            \
	}

/* Parse the lines s[0..n), the first numbered first_line, with the YAML
 * subset the project writes: `key: "quoted"`, `key: plain`, and `key:`
 * with `  - item` lines under it; empty lines are skipped; no key twice.
 * Returns 0, or ERR_PARSE with the reason in *why and its line in *line. */
MUST_CHECK int frontmatter_parse(struct frontmatter *fm, const char *s,
                                 size_t n, size_t first_line, size_t *line,
                                 const char **why);
/* The string at offset off of fm's strings (a key or a value). */
const char *frontmatter_string(const struct frontmatter *fm, size_t off);
void frontmatter_free(struct frontmatter *fm);

#endif
