#ifndef AIDIGEST_FETCHER_H
#define AIDIGEST_FETCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "fetch/http.h"
#include "fetch/sources.h"

struct store;

/* `aidigest fetch`: every source of a feeds file fetched at once (fetch/
 * http.h), read (feeds and JSON APIs), normalized (canonical URLs, tweets,
 * automated builds collapsed), filtered (include=, exclude=, max=) and
 * stored, each source's outcome and health recorded; then the stories of
 * the last days rebuilt. */

struct fetch_settings {
	const struct source_list *sources;
	int64_t now;          /* UTC seconds: the fetch time */
	int tz_offset_sec;    /* the digest's zone, for {DATE} */
	int stale_days;       /* nothing new this long: "stale" */
	struct http_options http; /* done/ctx are set by fetch_run */
	bool progress;        /* a progress line on stderr */
};

/* One source's outcome. */
struct fetch_source_report {
	const char *name;     /* the source's, not a copy */
	bool ok, skipped, not_modified;
	long status;
	char reason[256];     /* why it failed or was skipped */
	long items, new_items;
	size_t bytes;
};

struct fetch_report {
	struct fetch_source_report *per; /* one per source, in file order */
	size_t sources, ok, failed, skipped, not_modified;
	long items, new_items;
	size_t bytes;
	double seconds;
};

/* Run a fetch into the store. Returns 0 (per-source failures are in the
 * report), or -1 when it could not run at all (err says why). */
int fetch_run(struct store *st, const struct fetch_settings *s,
	      struct fetch_report *rep, struct buf *err);
void fetch_report_free(struct fetch_report *rep);

#endif
