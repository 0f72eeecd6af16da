#ifndef AIDIGEST_PUBLISH_H
#define AIDIGEST_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "common/err.h"

/* Putting a post into the blog safely: the path from a pattern, a lock
 * against a second run, atomic replacement (a temporary file in the same
 * folder, fsync, rename, fsync of the folder), and the checks a post must
 * pass before anything is written. */

/* The post's path: out_dir, "/", then pattern with {date} (YYYY-MM-DD),
 * {year}, {month}, {day} and {slug} (only [a-z0-9-]; NULL or "" when there
 * is none) filled, runs of "/" made one. Caller frees. NULL (err) for an
 * absolute pattern, a "." or ".." segment, a trailing "/", an unknown
 * placeholder, a control character, a bad date or slug. */
char *publish_path(const char *out_dir, const char *pattern, const char *date,
                   const char *slug, struct buf *err);

/* Hold a run's lock (flock on `.aidigest.lock` in dir, the state
 * database's folder: one run a state at a time; created, folders and all,
 * and left in place): 0 and its descriptor in *fd; else *fd is -1 and the
 * result ERR_IO, with "another aidigest run holds the lock in DIR (pid
 * N)" in err when a run holds it (without the
 * pid part when it has not written it yet), "PATH: why" when the lock
 * cannot be made; ERR_USAGE for an empty dir. */
MUST_CHECK int publish_lock(const char *dir, int *fd, struct buf *err);
/* Release it (fd < 0 is ignored); the file stays, emptied. Nothing to
 * report: the descriptor is closed whatever happens. */
void publish_unlock(int fd);

/* Replace path with data atomically, creating its folders (0755): a
 * temporary `.NAME.XXXXXX` beside it, fsync, mode 0644, rename, fsync of
 * the folder. A crash at any moment leaves either the old file whole or
 * the new one whole; temporaries a killed call left are removed by the
 * next call for the same NAME (hold publish_lock: no other writer's file
 * is among them). Returns 0; ERR_USAGE when path names no file (an empty
 * name, "." or ".."); ERR_IO with "PATH: what: errno text" in err. The
 * old file is then untouched unless only the folder's fsync failed. */
MUST_CHECK int publish_write(const char *path, const char *data, size_t n,
                             struct buf *err);

/* The front-matter's `date` and `update` (or, without it, `lastmod`,
 * then `last_modified_at`) of an existing post, to keep its date when a day is
 * published again. Reads at most 64 KiB. 0 and the values as written (quotes
 * removed; "" for a key that is absent or a post without front-matter) into
 * date/update (either may be NULL); ERR_NOT_FOUND when there is no such file;
 * ERR_IO when it cannot be read; ERR_PARSE when its front-matter does not end
 * (within the 64 KiB) or a quoted value does not read; ERR_LIMIT when a
 * value does not fit in its room. */
MUST_CHECK int publish_existing_dates(const char *path, char *date,
                                      size_t dsize, char *update, size_t usize);

/* A key/value of a post's front-matter. */
struct publish_field {
	const char *key;
	const char *value; /* a scalar; for lists, one field per element
	                    * with the same key */
};

/* The checks before publishing: the post starts with a "---" line and a
 * "---" line ends the front-matter, which parses (the YAML subset the
 * project writes: `key: "quoted"`, `key: plain`, `key:` with `  - item`
 * lines; no duplicate keys) back to exactly `fields` (compared per key,
 * list items in order); cmark parses the body; the required headings
 * appear in this order (`sections`, NULL-ended: "## Today's Preview"
 * matches a level-2 heading whose text starts "Today's Preview"); every
 * link and image target is one of `allowed` (NULL-ended), byte for byte
 * as cmark reads it (backslash escapes and entities resolved, percent
 * encoding kept: pass the targets as escape_url wrote them); no raw HTML.
 * Returns 0; ERR_PARSE with every failure (up to 100), one per line, in
 * err; ERR_LIMIT for a post over 16 MiB. */
MUST_CHECK int publish_validate(const char *post, size_t n,
                                const struct publish_field *fields,
                                size_t nfields, const char *const *sections,
                                const char *const *allowed, struct buf *err);

#endif
