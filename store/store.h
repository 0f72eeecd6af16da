#ifndef AIDIGEST_STORE_H
#define AIDIGEST_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

/* The state database (SQLite): WAL mode, foreign keys on, a schema
 * version with migrations applied in order at open. Tables: feeds (per
 * source: validators, last attempt and success, status, consecutive
 * failures, health), items (unique per feed by key: guid or canonical
 * URL; first seen; engagement), stories (items about the same thing, with
 * a corroboration count). Later issues add judgments, runs, digests. One
 * writer at a time (busy timeout). Every function returns 0, or -1 with
 * the SQLite message in the store's last error (store_error). */

struct store;

/* Open or create the database at path (":memory:" works), migrate it.
 * On failure *out is NULL and err says why. */
int store_open(const char *path, struct store **out, struct buf *err);
void store_close(struct store *st);
const char *store_error(const struct store *st);
int store_schema_version(struct store *st);

int store_begin(struct store *st);
int store_commit(struct store *st);
int store_rollback(struct store *st);

/* What the store knows of one source. Strings are owned (free with
 * store_feed_clear); NULL when unknown. Times are UTC seconds, 0 never. */
struct store_feed {
	char *name, *url, *kind;
	char *etag, *last_modified;
	int64_t last_attempt, last_success, last_new_item;
	long last_status;   /* HTTP status of the last attempt, 0 none */
	char *last_error;   /* NULL when the last attempt succeeded */
	int consecutive_failures;
	long items_total;   /* items stored from it */
	long last_items;    /* items in its last successful body */
	char *health;       /* "ok", "failing", "not a feed", "stale", ... */
};

/* 0 and *out filled, 1 when the store has no such feed, -1 error. */
int store_feed_get(struct store *st, const char *name, struct store_feed *out);
void store_feed_clear(struct store_feed *f);
/* Every feed, by name. */
int store_feed_list(struct store *st, struct store_feed **out, size_t *n);
void store_feed_list_free(struct store_feed *v, size_t n);

/* The outcome of one fetch of one source. ok: a body was read (or 304).
 * Failures add one to consecutive_failures and keep the validators;
 * success resets it and stores the new validators (a 304 keeps the old
 * ones unless new ones come). new_items > 0 moves last_new_item. */
struct store_fetch_result {
	const char *name, *url, *kind;
	int64_t at;
	bool ok;
	bool not_modified;
	long status;
	const char *error;  /* reason when !ok */
	const char *health; /* what feeds check shows */
	const char *etag, *last_modified;
	long items_seen;    /* entries in the body */
	long new_items;
};
int store_feed_record(struct store *st, const struct store_fetch_result *r);

/* An item as the fetcher hands it over. */
struct store_item {
	const char *feed_name; /* must have been recorded with
				* store_feed_record or store_feed_ensure */
	const char *key;       /* unique per feed: guid, else canonical URL */
	const char *guid, *url, *canonical_url;
	const char *title, *summary, *author;
	int64_t published;     /* valid when has_published */
	bool has_published;
	int64_t seen_at;       /* fetch time */
	long long likes, reposts, points, stars, comments; /* -1 absent */
};

/* Make sure a feed row exists (name, url, kind). */
int store_feed_ensure(struct store *st, const char *name, const char *url,
		      const char *kind);
/* Insert or update (title, summary, engagement: the newer wins; first
 * seen kept). *is_new says whether it was new. */
int store_item_upsert(struct store *st, const struct store_item *it,
		      bool *is_new);

/* An item read back, with its source. Owned strings. */
struct store_item_row {
	int64_t id;
	char *feed_name, *kind;
	char *key, *guid, *url, *canonical_url, *title, *summary, *author;
	int64_t published; /* 0 when unknown */
	int64_t first_seen;
	int64_t time;      /* published, else first seen: what windows use */
	long long likes, reposts, points, stars, comments;
	double weight;     /* the source's weight= (1.0 unless set) */
	int64_t story_id;  /* 0 before stories are built */
};

/* Items whose time is in [from, to), oldest first. */
int store_items_window(struct store *st, int64_t from, int64_t to,
		       struct store_item_row **out, size_t *n);
void store_item_rows_free(struct store_item_row *v, size_t n);

/* Replace the stories of the items with ids item_ids[0..n): items with
 * the same story_of[i] (0..nstories-1) form one story; stories left
 * without items are deleted. The story's title and canonical URL are
 * those of its first item; corroboration is its count of distinct
 * feeds. */
int store_stories_assign(struct store *st, const int64_t *item_ids,
			 const size_t *story_of, size_t n);

struct store_story {
	int64_t id;
	char *title, *canonical_url;
	int64_t time;       /* earliest item time */
	int corroboration;  /* distinct sources */
	struct store_item_row *items;
	size_t nitems;
};

/* The stories with an item in [from, to), earliest first, each with all
 * its items. */
int store_stories_window(struct store *st, int64_t from, int64_t to,
			 struct store_story **out, size_t *n);
void store_stories_free(struct store_story *v, size_t n);

#endif
