#ifndef AIDIGEST_STORE_IMPL_H
#define AIDIGEST_STORE_IMPL_H

/* What the files of store/ share, and nothing outside store/ includes:
 * the handle, its cache of prepared statements, errors, binding and
 * stepping, transactions of the store's own, and the item columns that
 * items.c and stories.c both read. */

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"
#include "store/store.h"

/* One slot per statement in a handle's cache, grouped by the file that
 * runs it. */
enum store_sql_id {
	STORE_SQL_BEGIN, /* db.c */
	STORE_SQL_COMMIT,
	STORE_SQL_ROLLBACK,
	STORE_SQL_USER_VERSION,
	STORE_SQL_FEED_ENSURE, /* feeds.c */
	STORE_SQL_FEED_RECORD,
	STORE_SQL_FEED_WEIGHT,
	STORE_SQL_FEED_DISPLAY_NAME,
	STORE_SQL_FEED_DELETE,
	STORE_SQL_STORIES_DELETE_EMPTY,
	STORE_SQL_FEED_GET,
	STORE_SQL_FEED_LIST,
	STORE_SQL_FEED_ID, /* items.c */
	STORE_SQL_ITEM_INSERT,
	STORE_SQL_ITEM_UPDATE,
	STORE_SQL_ITEMS_WINDOW,
	STORE_SQL_ITEM_STORY, /* stories.c */
	STORE_SQL_STORY_INSERT,
	STORE_SQL_ITEM_SET_STORY,
	STORE_SQL_STORY_REFRESH,
	STORE_SQL_STORY_DELETE_IF_EMPTY,
	STORE_SQL_STORIES_WINDOW,
	STORE_SQL_JUDGMENT_GET, /* cache.c */
	STORE_SQL_JUDGMENT_PUT,
	STORE_SQL_VERDICT_GET,
	STORE_SQL_VERDICT_PUT,
	STORE_SQL_WRITING_GET,
	STORE_SQL_WRITING_PUT,
	STORE_SQL_RUN_ADD, /* runs.c */
	STORE_SQL_RUN_LATEST,
	STORE_SQL_DIGEST_PUT, /* digests.c */
	STORE_SQL_DIGEST_GET,
	STORE_SQL_PUBLISHED_CLEAR,
	STORE_SQL_PUBLISHED_ADD,
	STORE_SQL_PUBLISHED_BEFORE,
	STORE_SQL_PICK_SET, /* picks.c */
	STORE_SQL_PICKS_CLEAR,
	STORE_SQL_PICKS_GET,
	STORE_SQL_JURY_DELETE, /* jury.c */
	STORE_SQL_JURY_DAY,
	STORE_SQL_JURY_JUDGE,
	STORE_SQL_JURY_STORY,
	STORE_SQL_JURY_SCORE,
	STORE_SQL_JURY_GET_DAY,
	STORE_SQL_JURY_GET_JUDGES,
	STORE_SQL_JURY_GET_STORIES,
	STORE_SQL_JURY_GET_SCORES,
	STORE_SQL_JURY_DATES,
	STORE_SQL_COUNT
};

/* A statement: its slot and its text, defined once as a static const in
 * the file that runs it; prepared on first use and kept. */
struct store_sql {
	enum store_sql_id id;
	const char *text;
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[STORE_SQL_COUNT];
	struct buf err; /* the last failure's message */
};

/* "what: SQLite's message" as the last error; returns ERR_DB. */
int store_fail(struct store *st, const char *what);
/* A message of the store's own as the last error; returns code. */
int store_failf(struct store *st, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* "store: what name" as the last error, name cut at 200 bytes (names come
 * from feeds and callers); returns code. */
int store_fail_named(struct store *st, int code, const char *what,
                     const char *name);

/* One use of a cached statement. Binding is sticky: the first failure is
 * kept and later binds do nothing, so a caller binds every parameter and
 * checks once, when it steps. */
struct store_call {
	struct store *st;
	sqlite3_stmt *s; /* NULL when it could not be prepared */
	int err;         /* 0, or the first failure (ERR_DB) */
};

/* Take statement q from the cache, reset and with no bindings. */
void store_call_start(struct store_call *c, struct store *st,
                      const struct store_sql *q);
/* Text as valid UTF-8 of at most max bytes: invalid sequences become
 * U+FFFD, a longer one is cut on a character boundary; NULL binds NULL. */
void store_bind_text(struct store_call *c, const char *name, const char *v,
                     size_t max);
void store_bind_int(struct store_call *c, const char *name, int64_t v);
void store_bind_double(struct store_call *c, const char *name, double v);
void store_bind_null(struct store_call *c, const char *name);
/* Run a statement that returns no rows; reset either way. 0 or ERR_DB. */
MUST_CHECK int store_call_exec(struct store_call *c, const char *what);
/* Step a query: 0 with a row to read in c->s; ERR_NOT_FOUND at the end
 * (no message, statement reset); ERR_DB (statement reset). */
MUST_CHECK int store_call_row(struct store_call *c, const char *what);
/* Reset the statement after the rows read: a statement left stepping
 * keeps the database's read transaction open. */
void store_call_end(struct store_call *c);

/* Run SQL text (one statement or several) outside the cache; 0 or ERR_DB
 * with "what: SQLite's message". */
MUST_CHECK int store_exec(struct store *st, const char *sql, const char *what);

/* A column's text as a new string (caller frees), NULL for NULL. */
char *store_column_text(sqlite3_stmt *s, int col);

/* A write transaction of the store's own when the caller has none open;
 * *own says whether one was begun. store_own_end commits it when err is
 * 0 and rolls it back otherwise (keeping err's message); it returns err,
 * or the commit's failure. Without one of its own it returns err. */
MUST_CHECK int store_own_begin(struct store *st, bool *own);
MUST_CHECK int store_own_end(struct store *st, bool own, int err);

/* Apply the migrations the database lacks (schema.c). */
MUST_CHECK int store_migrate(struct store *st);

/* A key or name a caller must give: not NULL and not empty. */
static inline bool store_given(const char *s)
{
	return s && *s;
}

/* The columns of an item row with its feed (items i, feeds f), read by
 * store_item_read; items.c and stories.c select them. */
#define STORE_ITEM_COLUMNS                                                     \
	"i.id, f.name, f.kind, i.key, i.guid, i.url, i.canonical_url, "        \
	"i.title, i.summary, i.author, i.published, i.first_seen, i.time, "    \
	"i.likes, i.reposts, i.points, i.stars, i.comments, f.weight, "        \
	"i.story_id, "                                                         \
	"coalesce(nullif(f.display_name, ''), nullif(f.title, ''), f.name)"

/* Read the STORE_ITEM_COLUMNS that start at column col into *r (owned
 * strings). */
void store_item_read(sqlite3_stmt *s, int col, struct store_item_row *r);

#endif
