#ifndef AIDIGEST_STORE_H
#define AIDIGEST_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"

/* The state database (SQLite): WAL mode (files only), foreign keys on,
 * synchronous=NORMAL, a busy timeout of 5 s, and a schema version in
 * PRAGMA user_version raised by migrations applied in order at open, each
 * in its own transaction. Tables: feeds (per source: validators, last
 * attempt and success, status, consecutive failures, health, weight),
 * items (unique per feed by key: guid or canonical URL; first seen;
 * engagement), stories (items about the same thing, with a corroboration
 * count), judgments and runs (migration 2), digests and their stories'
 * URLs (migration 3), the writer's replies (migration 4), the panel's
 * verdicts on them (migration 5), the feeds' titles (migration 7), the
 * editor's picks (migration 8), the panel at each day's publication
 * (migration 9).
 * One writer at a time; a handle is used by one thread at a time.
 * Errors (common/err.h): a function returns 0 or an ERR_* code, and
 * store_error() then says why. ERR_DB: SQLite failed. ERR_USAGE: an
 * argument is invalid (a key or name missing, a number not finite, a row
 * referred to that is not there). ERR_LIMIT: a value passed its bound.
 * ERR_NOT_FOUND: a lookup found nothing, or the row named to change or
 * delete is not there. Text is stored as UTF-8: invalid sequences become
 * U+FFFD, and a field is cut on a character boundary at STORE_TEXT_MAX
 * bytes (a summary at STORE_SUMMARY_MAX, a raw reply at STORE_RAW_MAX). */

#define STORE_TEXT_MAX ((size_t)16 << 10)
#define STORE_SUMMARY_MAX ((size_t)64 << 10)
/* A source's title (its own, or title= from feeds.txt) is cut here. */
#define STORE_TITLE_MAX ((size_t)200)
/* A judge's raw reply is cut here, a run's details refused past it. */
#define STORE_RAW_MAX ((size_t)64 << 10)

struct store;

/* Open or create the database at path (":memory:" works; a file gets WAL
 * mode) and migrate it. 0, ERR_USAGE for no path, else ERR_DB with *out
 * NULL and err saying why as "PATH: reason" (a missing folder, a
 * read-only file, a schema newer than this program). */
MUST_CHECK int store_open(const char *path, struct store **out,
                          struct buf *err);
/* Accepts NULL. Rolls back a transaction left open. */
void store_close(struct store *st);
/* The message of the last failure ("" when none yet); owned by the
 * handle, kept until the next failure. */
const char *store_error(const struct store *st);
/* The schema version (PRAGMA user_version) into *version. */
MUST_CHECK int store_schema_version(struct store *st, int *version);

/* An explicit write transaction (BEGIN IMMEDIATE: the write lock is taken
 * now, waiting up to the busy timeout). The functions below work inside
 * one or on their own; batches of upserts are much faster inside one.
 * store_rollback after a failed write is 0 also when SQLite has rolled
 * the transaction back itself (a full disk, an I/O error). */
MUST_CHECK int store_begin(struct store *st);
MUST_CHECK int store_commit(struct store *st);
MUST_CHECK int store_rollback(struct store *st);

/* What the store knows of one source. Strings are owned (free with
 * store_feed_clear); NULL when unknown. Times are UTC seconds, 0 never. */
struct store_feed {
	char *name, *url, *kind;
	char *etag, *last_modified;
	int64_t last_attempt, last_success, last_new_item;
	long last_status; /* HTTP status of the last attempt, 0 none */
	char *last_error; /* NULL when the last attempt succeeded */
	int consecutive_failures;
	long items_total;   /* items stored from it */
	long last_items;    /* items in its last successful body */
	char *health;       /* "ok", "failing", "not a feed", "stale", ... */
	double weight;      /* weight= from feeds.txt, 1.0 unless set */
	char *title;        /* the feed's own title, as last read */
	char *display_name; /* title= from feeds.txt */
};

/* 0 and *out filled; ERR_NOT_FOUND (*out zeroed) when the store has no
 * such feed. */
MUST_CHECK int store_feed_get(struct store *st, const char *name,
                              struct store_feed *out);
/* Frees the strings and zeroes *f; accepts a zeroed struct. */
void store_feed_clear(struct store_feed *f);
/* Every feed, by name; *out is owned by the caller (NULL when n is 0). */
MUST_CHECK int store_feed_list(struct store *st, struct store_feed **out,
                               size_t *n);
void store_feed_list_free(struct store_feed *v, size_t n);

/* The outcome of one fetch of one source. ok: a body was read (or 304).
 * Failures add one to consecutive_failures, set last_error (error, else
 * "failed") and keep the validators and last_items; success resets the
 * count, clears last_error, stores the new validators (a NULL one is
 * cleared) and last_items = items_seen; a 304 keeps the old validators
 * unless new ones come, and keeps last_items. new_items > 0 moves
 * last_new_item to at. health NULL means "ok" on success, "failing" on
 * failure. The feed row is created when missing (url, kind: NULL keeps
 * what is stored). */
struct store_fetch_result {
	const char *name, *url, *kind;
	int64_t at;
	bool ok;
	bool not_modified;
	long status;
	const char *error;  /* reason when !ok */
	const char *health; /* what feeds check shows */
	const char *etag, *last_modified;
	long items_seen; /* entries in the body */
	long new_items;
	const char *title; /* the feed's own title: kept when NULL or empty,
	                    * and on a failure or a 304 */
};
MUST_CHECK int store_feed_record(struct store *st,
                                 const struct store_fetch_result *r);

/* Make sure a feed row exists (name, url, kind; NULL url or kind keeps
 * what is stored). ERR_USAGE without a name. */
MUST_CHECK int store_feed_ensure(struct store *st, const char *name,
                                 const char *url, const char *kind);
/* Set a source's weight (finite, >= 0, else ERR_USAGE). ERR_NOT_FOUND when
 * there is no such feed. */
MUST_CHECK int store_feed_set_weight(struct store *st, const char *name,
                                     double weight);
/* Set a source's title= from feeds.txt (NULL or "" clears it), cut on a
 * character boundary at STORE_TITLE_MAX bytes. ERR_NOT_FOUND when there
 * is no such feed. */
MUST_CHECK int store_feed_set_display_name(struct store *st, const char *name,
                                           const char *display_name);
/* Forget a source and all its items (a story left without items goes too).
 * ERR_NOT_FOUND when there is no such feed. */
MUST_CHECK int store_feed_delete(struct store *st, const char *name);

/* An item as the fetcher hands it over. */
struct store_item {
	const char *feed_name; /* must have been recorded with
	                        * store_feed_record or store_feed_ensure */
	const char *key;       /* unique per feed: guid, else canonical URL */
	const char *guid, *url, *canonical_url;
	const char *title, *summary, *author;
	int64_t published; /* valid when has_published */
	bool has_published;
	int64_t seen_at;                                   /* fetch time */
	long long likes, reposts, points, stars, comments; /* -1 absent */
};

/* Insert or update one item; *is_new says whether it was new. An update
 * keeps first_seen, guid and the first known published time (so an item
 * does not move to a later day when a feed edits it); title, summary,
 * url, canonical_url and author take the new value unless it is NULL or
 * empty; each engagement number takes the new value unless it is < 0.
 * ERR_USAGE without a key, or when the feed was not recorded. */
MUST_CHECK int store_item_upsert(struct store *st, const struct store_item *it,
                                 bool *is_new);

/* An item read back, with its source. Owned strings, NULL when absent. */
struct store_item_row {
	int64_t id;
	char *feed_name, *kind;
	char *key, *guid, *url, *canonical_url, *title, *summary, *author;
	int64_t published; /* 0 when unknown */
	int64_t first_seen;
	int64_t time; /* published, else first seen: what windows use */
	long long likes, reposts, points, stars, comments; /* -1 absent */
	double weight;    /* the source's weight= (1.0 unless set) */
	int64_t story_id; /* 0 before stories are built */
	char *feed_title; /* the source's name for people: its title= in
	                   * feeds.txt, else the feed's own title, else
	                   * feed_name; never NULL when read from the
	                   * store */
};

/* Items whose time is in [from, to), oldest first (ties by canonical URL,
 * title, source, then id: content before arrival). *out is
 * owned by the caller (NULL when n is 0). */
MUST_CHECK int store_items_window(struct store *st, int64_t from, int64_t to,
                                  struct store_item_row **out, size_t *n);
void store_item_rows_free(struct store_item_row *v, size_t n);

/* Replace the stories of the items with ids item_ids[0..n): items with
 * the same story_of[i] (each < n) form one story, in one transaction. A
 * new story reuses the id of a story its items had before when it can
 * (first come, first served), so ids stay stable across rebuilds; stories
 * left without items are deleted; items not listed keep their story. A
 * story's title is that of its earliest item, its canonical URL that of
 * its earliest item that has one, its time the earliest item time, and
 * its corroboration the count of distinct feeds among its items. An
 * unknown item id or a story_of[i] >= n is ERR_USAGE and changes
 * nothing. */
MUST_CHECK int store_stories_assign(struct store *st, const int64_t *item_ids,
                                    const size_t *story_of, size_t n);

struct store_story {
	int64_t id;
	char *title, *canonical_url;
	int64_t time;                 /* earliest item time */
	int corroboration;            /* distinct sources */
	struct store_item_row *items; /* oldest first */
	size_t nitems;
};

/* The stories with an item in [from, to), earliest first (ties by id),
 * each with all its items, also those outside the window. *out is owned
 * by the caller (NULL when n is 0). */
MUST_CHECK int store_stories_window(struct store *st, int64_t from, int64_t to,
                                    struct store_story **out, size_t *n);
void store_stories_free(struct store_story *v, size_t n);

/* A story's content hash, the key of its judgments: 64-bit FNV-1a of its
 * title and of each item's title and summary, the items taken by canonical
 * URL (else URL), then title, then summary; as 16 lower-case hex digits.
 * Engagement, ids, times, feeds and the items' order do not change it;
 * NULL and "" hash alike. Stable across runs and hosts (common/hash.h);
 * caller frees. */
char *store_story_hash(const struct store_story *s);

/* Judgments (migration 2): one judge's score of one story's content,
 * keyed by (story content hash, judge name, prompt version) so a re-run
 * pays nothing twice. raw is the judge's reply as received, cut on a
 * character boundary at STORE_RAW_MAX bytes. */
struct store_judgment {
	const char *story_hash;
	const char *judge;
	const char *prompt_version;
	double score;
	const char *category; /* may be NULL */
	const char *raw;      /* may be NULL */
	long tokens_in, tokens_out;
	double usd;
	int64_t at;
	int place; /* the story's place in the batch the judge saw it in,
	            * 0 first; -1 unknown */
};

/* A judgment read back; owned strings (free with store_judgment_clear). */
struct store_judgment_row {
	double score;
	char *category;
	char *raw;
	long tokens_in, tokens_out;
	double usd;
	int64_t at;
	int place; /* -1: unknown (recorded before migration 10) */
};

/* 0 and *out filled; ERR_NOT_FOUND when there is none, ERR_USAGE for a
 * NULL or empty key part (*out zeroed either way). */
MUST_CHECK int store_judgment_get(struct store *st, const char *story_hash,
                                  const char *judge, const char *prompt_version,
                                  struct store_judgment_row *out);
/* Insert or replace. ERR_USAGE for a NULL or empty key part, or a score or
 * usd that is not finite (the caller clamps scores). */
MUST_CHECK int store_judgment_put(struct store *st,
                                  const struct store_judgment *j);
/* Frees the strings and zeroes *row; accepts NULL and a zeroed row. */
void store_judgment_clear(struct store_judgment_row *row);

/* A run of a command (rank, run): when, what it cost, how the judges
 * agreed, how it ended; details is a JSON text (per judge: requests,
 * tokens, cost, failures, tau). */
struct store_run {
	const char *command; /* "rank", "run" */
	const char *date;    /* the digest day, YYYY-MM-DD */
	int64_t started, finished;
	double usd, reference_usd;
	long requests, tokens_in, tokens_out;
	double kendall_w;    /* NAN when not computed */
	const char *status;  /* "ok", "degraded", "failed" */
	const char *details; /* JSON, may be NULL */
};

/* Record a run; *id (may be NULL) gets its row id. ERR_USAGE when
 * command, date or status is NULL or empty, usd or reference_usd is not
 * finite or kendall_w is infinite; ERR_LIMIT when details pass
 * STORE_RAW_MAX bytes. */
MUST_CHECK int store_run_add(struct store *st, const struct store_run *run,
                             int64_t *id);

/* The run of a command for a day recorded last: 0 and *out (owned
 * strings, free with store_run_clear; kendall_w NAN when not computed),
 * ERR_NOT_FOUND when none. */
struct store_run_row {
	int64_t id;
	char *command, *date, *status, *details;
	int64_t started, finished;
	double usd, reference_usd, kendall_w;
	long requests, tokens_in, tokens_out;
};
MUST_CHECK int store_run_latest(struct store *st, const char *command,
                                const char *date, struct store_run_row *out);
/* Frees the strings and zeroes *row (kendall_w NAN); accepts NULL. */
void store_run_clear(struct store_run_row *row);

/* Published digests (migration 3): one row per day, with the path, the
 * day it was first published (kept on a re-run), its last update and a
 * content hash. */
struct store_digest {
	const char *date, *path, *first_date, *updated, *hash;
	int64_t at;
};

struct store_digest_row {
	char *path, *first_date, *updated, *hash;
	int64_t at;
};

/* Insert or update the day's row (first_date kept). ERR_USAGE when date,
 * path, first_date or updated is NULL or empty. */
MUST_CHECK int store_digest_put(struct store *st, const struct store_digest *d);
/* 0 and *out (owned strings, free with store_digest_clear), ERR_NOT_FOUND
 * when the day has none. */
MUST_CHECK int store_digest_get(struct store *st, const char *date,
                                struct store_digest_row *out);
void store_digest_clear(struct store_digest_row *row);

/* The stories' URLs a day's digest carried (replacing that day's list;
 * NULL and empty URLs are skipped). */
MUST_CHECK int store_published_set(struct store *st, const char *date,
                                   const char *const *urls, size_t n);
/* 0 when url was published on a day before date (the first such day into
 * first, when first is not NULL), ERR_NOT_FOUND when not. */
MUST_CHECK int store_published_before(struct store *st, const char *date,
                                      const char *url, char *first,
                                      size_t size);

/* The writer's replies (migration 4), keyed by a hash of everything its
 * call sent (writer, model, prompt, stories), so a re-run of a day pays
 * for its writing once. reply is the reply's JSON, whole (a reply over
 * STORE_REPLY_MAX is refused, never cut); raw is the response body as
 * received, cut at STORE_RAW_MAX. */
#define STORE_REPLY_MAX ((size_t)1 << 20)

struct store_writing {
	const char *key, *writer, *prompt_version;
	const char *reply;
	const char *raw; /* may be NULL */
	long tokens_in, tokens_out;
	double usd;
	int64_t at;
};

/* 0 and *reply (caller frees); ERR_NOT_FOUND when there is none,
 * ERR_USAGE for a NULL or empty key (*reply NULL either way). */
MUST_CHECK int store_writing_get(struct store *st, const char *key,
                                 char **reply);
/* Insert or replace. ERR_USAGE for a NULL or empty key, writer, prompt
 * version or reply, or a usd that is not finite; ERR_LIMIT for a reply
 * over STORE_REPLY_MAX. */
MUST_CHECK int store_writing_put(struct store *st,
                                 const struct store_writing *w);

/* The panel's verdicts on the writer's texts (migration 5): one judge's
 * vote on one text against its source, keyed by (text hash, judge,
 * prompt version) so a re-run pays nothing twice. */
struct store_verdict {
	const char *text_hash, *judge, *prompt_version;
	bool supported;
	const char *problem; /* may be NULL */
	const char *raw;     /* the reply as received, may be NULL */
	long tokens_in, tokens_out;
	double usd;
	int64_t at;
};

/* 0 with *supported and *problem (owned, may be NULL; problem may be
 * NULL to skip it); ERR_NOT_FOUND when there is none, ERR_USAGE for a
 * NULL or empty key part. */
MUST_CHECK int store_verdict_get(struct store *st, const char *text_hash,
                                 const char *judge, const char *prompt_version,
                                 bool *supported, char **problem);
/* Insert or replace. ERR_USAGE for a NULL or empty key part or a usd that
 * is not finite. */
MUST_CHECK int store_verdict_put(struct store *st,
                                 const struct store_verdict *v);

/* The editor's picks (migration 8): per day, stories dropped from the
 * digest or pinned into it. A story has at most one pick a day; setting
 * one replaces the other. */
enum store_pick { STORE_PICK_DROP = 1, STORE_PICK_PIN };

struct store_pick_row {
	int64_t story_id;
	enum store_pick action;
	int64_t at; /* UTC seconds it was made */
};

/* Drop or pin story_id on date (YYYY-MM-DD). ERR_USAGE for a bad date or
 * action. */
MUST_CHECK int store_pick_set(struct store *st, const char *date,
                              int64_t story_id, enum store_pick action,
                              int64_t at);
/* Forget every pick of date. */
MUST_CHECK int store_picks_clear(struct store *st, const char *date);
/* The picks of date, by story id; *out owned by the caller (free()), NULL
 * when n is 0. */
MUST_CHECK int store_picks_get(struct store *st, const char *date,
                               struct store_pick_row **out, size_t *n);

/* The panel as it stood when a day was published (migration 9), what
 * `aidigest jury` holds against the editor's final selection: the pool's
 * members (by name, LLM or heuristic), the candidates (story ids) with
 * the pooled score, whether each was finally selected and the editor's
 * pick on it, and each member's scores. One record a day: a put replaces
 * the day's record whole. */
#define STORE_JURY_MAX_JUDGES ((size_t)64)
#define STORE_JURY_MAX_STORIES ((size_t)4096)

struct store_jury {
	const char *date; /* YYYY-MM-DD */
	int64_t at;       /* UTC seconds of the publication */
	size_t njudges, nstories;
	const char *const *names;  /* njudges, each given */
	const bool *llm;           /* njudges */
	const int64_t *story_ids;  /* nstories */
	const double *scores;      /* njudges x nstories; a value that is not
	                            * finite: not scored */
	const double *pooled;      /* nstories; not finite: none */
	const bool *selected;      /* nstories */
	const unsigned char *pick; /* nstories enum store_pick, 0: none; NULL:
	                            * no picks */
};

/* The day's record, as put (owned arrays: store_jury_clear). */
struct store_jury_row {
	char date[16];
	int64_t at;
	size_t njudges, nstories;
	char **names;
	bool *llm;
	int64_t *story_ids;
	double *scores; /* NAN: not scored */
	double *pooled; /* -INFINITY: none */
	bool *selected;
	unsigned char *pick;
};

/* Replace the day's record, in one transaction (the caller's, else its
 * own). ERR_USAGE for no date, a name missing or a NULL array; ERR_LIMIT
 * over STORE_JURY_MAX_JUDGES judges or STORE_JURY_MAX_STORIES stories. */
MUST_CHECK int store_jury_put(struct store *st, const struct store_jury *j);
/* 0 and *out; ERR_NOT_FOUND (*out zeroed) when the day has no record. */
MUST_CHECK int store_jury_get(struct store *st, const char *date,
                              struct store_jury_row *out);
/* Frees the arrays and zeroes *row; accepts NULL and a zeroed row. */
void store_jury_clear(struct store_jury_row *row);
/* The days from `from` to `to` (both YYYY-MM-DD, inclusive) that have a
 * record, oldest first: *out an array of n owned strings
 * (store_strings_free), NULL when n is 0. */
MUST_CHECK int store_jury_dates(struct store *st, const char *from,
                                const char *to, char ***out, size_t *n);
/* Frees v[0..n) and v; accepts NULL. */
void store_strings_free(char **v, size_t n);

#endif
