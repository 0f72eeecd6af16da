#ifndef AIDIGEST_INGEST_H
#define AIDIGEST_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"
#include "fetch/http.h"
#include "fetch/sources.h"
#include "store/store.h"

/* The ingest step of a night's job: every source of a feeds file fetched
 * at once (fetch/http.h), read (feeds and JSON APIs, fetch/feed.h and
 * fetch/api.h), normalized (canonical URLs, tweets, automated builds
 * collapsed to one a day), filtered (include=, exclude=, max=) and put
 * into the store with each source's outcome and health; then the stories
 * of the last days rebuilt from the items (summarize/stories.h). */

struct ingest_settings {
	const struct source_list *sources;
	int64_t now;              /* UTC seconds: the fetch time */
	int tz_offset_sec;        /* the digest's zone, for {DATE} */
	int stale_days;           /* nothing new this long: "stale" */
	struct http_options http; /* done, progress and ctx are ingest's */
	bool progress;            /* a progress line on stderr */
};

/* One source's outcome. */
struct ingest_source_report {
	const char *name; /* the source's, not a copy */
	bool ok, skipped, not_modified;
	bool noticed;     /* skipped for an unset ${VAR}: the feeds file's
	                   * reader said so already */
	long status;      /* the HTTP status, 0 without an answer */
	char reason[256]; /* why it failed or was skipped */
	long items, new_items;
	size_t bytes; /* as they came over the wire */
};

struct ingest_report {
	/* one per source, and one per line skipped for an unset ${VAR}
	 * (struct source_list's skipped), in file order */
	struct ingest_source_report *per;
	size_t sources, ok, failed, skipped, not_modified;
	long items, new_items;
	size_t bytes;
	double seconds;
};

/* Stories are rebuilt after a fetch over the items of this many days
 * before it (and the day it runs). */
#define INGEST_STORY_DAYS 3

/* Fetch every source of s->sources into st, then rebuild the stories of
 * the last INGEST_STORY_DAYS days. Returns 0 (a source that failed is
 * normal: its reason is in the report), or an ERR_* code when the fetch
 * could not run or the stories could not be rebuilt (err says why; the
 * report then holds what was done). Free rep with ingest_report_free
 * either way. Needs http_global_init. */
int ingest_run(struct store *st, const struct ingest_settings *s,
               struct ingest_report *rep, struct buf *err) MUST_CHECK;
/* Accepts NULL. */
void ingest_report_free(struct ingest_report *rep);

/* Rebuild the stories of the items whose time is in [from, to). 0, or
 * ERR_DB (store_error says why). */
int ingest_stories_rebuild(struct store *st, int64_t from,
                           int64_t to) MUST_CHECK;

/* The stories of [from, to) with their items, rebuilt first: a day asked
 * for long after (or before) its fetch is current. *out is the caller's
 * (store_stories_free). 0, or ERR_DB (store_error says why; *out NULL). */
int ingest_stories_load(struct store *st, int64_t from, int64_t to,
                        struct store_story **out, size_t *n) MUST_CHECK;

#endif
