#ifndef AIDIGEST_CONFIG_H
#define AIDIGEST_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/ini.h"

/* aidigest.conf. Read from -c FILE, else $AIDIGEST_CONFIG, else
 * ~/.config/aidigest/aidigest.conf when it exists, else built-in defaults;
 * never from the current folder. Sections and keys this version reads
 * are validated (a bad value is an error with its line); later sections
 * ([judge.*], [panel], [writer], ...) are kept in `ini` for the modules
 * that read them. */

struct config {
	struct ini ini;
	char *path; /* the file read, or NULL for built-in defaults */

	/* [digest] */
	int tz_offset_sec;   /* timezone = +09:00: the digest's day */
	char *feeds;         /* feeds = PATH (NULL: feeds.txt) */
	char *db;            /* db = PATH (NULL: the default state file) */
	int stale_days;      /* stale_days = 3: a source that answers with
	                      * nothing new for this long is "stale" */
	char *out;           /* out = DIR: the blog (NULL: --out or ".") */
	char *output;        /* output = the post's path pattern under out
	                      * (NULL: the preset's default) */
	char *preset;        /* hoodie (default), hugo or jekyll */
	char *series;        /* hoodie's series, or NULL */
	char *template_path; /* template = PATH (NULL: the built-in one) */

	/* [fetch] */
	int transfers;        /* 16 */
	int per_host;         /* 2 */
	long connect_timeout; /* 10 s */
	long timeout;         /* 30 s per attempt */
	long deadline;        /* 150 s for a whole fetch */
	size_t max_bytes;     /* 16 MiB per body */
	int retries;          /* 2 */
	char *user_agent;     /* NULL: the built-in one */
};

/* Load the configuration (see above). explicit_path is -c's value or NULL.
 * Returns 0; ERR_NOT_FOUND or ERR_IO when a named file cannot be read,
 * ERR_LIMIT when it is over 1 MiB, ERR_PARSE when a line or a value is
 * wrong (err says "FILE:LINE: ..."). Warnings (unknown keys) go to
 * warnings. */
MUST_CHECK int config_load(const char *explicit_path, struct config *out,
                           struct buf *err, struct buf *warnings);
void config_free(struct config *c);

/* "~/x" with $HOME; other paths as they are. Caller frees. */
char *config_expand_path(const char *path);

/* The default state database: $XDG_DATA_HOME/aidigest/aidigest.db, else
 * ~/.local/share/aidigest/aidigest.db; its folder is created. Caller
 * frees; NULL when there is no home folder. */
char *config_default_db(void);

#endif
