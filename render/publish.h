#ifndef AIDIGEST_PUBLISH_H
#define AIDIGEST_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"

/* Putting a post into the blog safely: the path from a pattern, a lock
 * against a second run, atomic replacement (a temporary file in the same
 * folder, fsync, rename, fsync of the folder), and the checks a post must
 * pass before anything is written. */

/* The post's path: pattern with {date} (YYYY-MM-DD), {year}, {month},
 * {day} and {slug} filled, under out_dir. Caller frees; NULL (err) when
 * the result would leave out_dir (".." parts, an absolute pattern). */
char *publish_path(const char *out_dir, const char *pattern,
		   const char *date, const char *slug, struct buf *err);

/* Hold the blog's lock (a file `.aidigest.lock` in dir, flock): returns a
 * descriptor, or -1 with "another aidigest run is publishing into DIR
 * (pid N)" when a run holds it. */
int publish_lock(const char *dir, struct buf *err);
void publish_unlock(int fd);

/* Replace path with data atomically, creating its folders. A crash at
 * any moment leaves either the old file whole or the new one whole.
 * Returns 0, or -1 (err). */
int publish_write(const char *path, const char *data, size_t n,
		  struct buf *err);

/* The front-matter's `date` (and `update`) of an existing post, to keep
 * its date when a day is published again; 0 and the values (10 or more
 * characters, as written) into date/update (may be NULL), 1 when there is
 * no such file, -1 when it cannot be read. */
int publish_existing_dates(const char *path, char *date, size_t dsize,
			   char *update, size_t usize);

/* A key/value of a post's front-matter. */
struct publish_field {
	const char *key;
	const char *value; /* a scalar; for lists, one field per element
			    * with the same key */
};

/* The checks before publishing: the front-matter (between --- lines)
 * parses back to exactly `fields` (n of them); cmark parses the body; the
 * required headings appear in this order (`sections`, NULL-ended, e.g.
 * "## Today's Preview", "### AI Viewpoint", "## Today's Overview"); every
 * link target in the body is one of the allowed URLs (NULL-ended).
 * Returns 0, or -1 with every failure, one per line, in err. */
int publish_validate(const char *post, size_t n,
		     const struct publish_field *fields, size_t nfields,
		     const char *const *sections, const char *const *allowed,
		     struct buf *err);

#endif
