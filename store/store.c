#include "store/store.h"

#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "common/utf8.h"
#include "common/xalloc.h"

#define STORE_BUSY_TIMEOUT_MS 5000
#define STORE_ERROR_MAX 1024

/* Migration i takes the schema from version i to i + 1. Append new ones;
 * never edit one that has shipped. Times are UTC seconds; published is
 * NULL when unknown; engagement numbers are -1 when absent. */
static const char *const store_migrations[] = {
        "CREATE TABLE feeds ("
        " id INTEGER PRIMARY KEY,"
        " name TEXT NOT NULL UNIQUE,"
        " url TEXT,"
        " kind TEXT,"
        " etag TEXT,"
        " last_modified TEXT,"
        " last_attempt INTEGER NOT NULL DEFAULT 0,"
        " last_success INTEGER NOT NULL DEFAULT 0,"
        " last_new_item INTEGER NOT NULL DEFAULT 0,"
        " last_status INTEGER NOT NULL DEFAULT 0,"
        " last_error TEXT,"
        " consecutive_failures INTEGER NOT NULL DEFAULT 0,"
        " last_items INTEGER NOT NULL DEFAULT 0,"
        " health TEXT,"
        " weight REAL NOT NULL DEFAULT 1.0);"
        "CREATE TABLE stories ("
        " id INTEGER PRIMARY KEY,"
        " title TEXT NOT NULL DEFAULT '',"
        " canonical_url TEXT,"
        " time INTEGER NOT NULL DEFAULT 0,"
        " corroboration INTEGER NOT NULL DEFAULT 0,"
        " simhash INTEGER);"
        "CREATE INDEX stories_time ON stories(time);"
        "CREATE TABLE items ("
        " id INTEGER PRIMARY KEY,"
        " feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
        " key TEXT NOT NULL,"
        " guid TEXT,"
        " url TEXT,"
        " canonical_url TEXT,"
        " title TEXT NOT NULL DEFAULT '',"
        " summary TEXT,"
        " author TEXT,"
        " published INTEGER,"
        " first_seen INTEGER NOT NULL,"
        " time INTEGER NOT NULL,"
        " likes INTEGER NOT NULL DEFAULT -1,"
        " reposts INTEGER NOT NULL DEFAULT -1,"
        " points INTEGER NOT NULL DEFAULT -1,"
        " stars INTEGER NOT NULL DEFAULT -1,"
        " comments INTEGER NOT NULL DEFAULT -1,"
        " story_id INTEGER REFERENCES stories(id) ON DELETE SET NULL,"
        " UNIQUE (feed_id, key));"
        "CREATE INDEX items_time ON items(time);"
        "CREATE INDEX items_canonical_url ON items(canonical_url);"
        "CREATE INDEX items_story ON items(story_id);",
        /* 2: judgments, keyed by story content; runs of rank and run.
         * kendall_w is NULL when it was not computed. */
        "CREATE TABLE judgments ("
        " story_hash TEXT NOT NULL,"
        " judge TEXT NOT NULL,"
        " prompt_version TEXT NOT NULL,"
        " score REAL NOT NULL,"
        " category TEXT,"
        " raw TEXT,"
        " tokens_in INTEGER NOT NULL DEFAULT 0,"
        " tokens_out INTEGER NOT NULL DEFAULT 0,"
        " usd REAL NOT NULL DEFAULT 0,"
        " at INTEGER NOT NULL DEFAULT 0,"
        " PRIMARY KEY (story_hash, judge, prompt_version));"
        "CREATE TABLE runs ("
        " id INTEGER PRIMARY KEY,"
        " command TEXT NOT NULL,"
        " date TEXT NOT NULL,"
        " started INTEGER NOT NULL DEFAULT 0,"
        " finished INTEGER NOT NULL DEFAULT 0,"
        " usd REAL NOT NULL DEFAULT 0,"
        " reference_usd REAL NOT NULL DEFAULT 0,"
        " requests INTEGER NOT NULL DEFAULT 0,"
        " tokens_in INTEGER NOT NULL DEFAULT 0,"
        " tokens_out INTEGER NOT NULL DEFAULT 0,"
        " kendall_w REAL,"
        " status TEXT NOT NULL,"
        " details TEXT);"
        "CREATE INDEX runs_command_date ON runs(command, date);",
        /* 3: published digests, and the stories each one carried, so a
         * later day does not repeat them */
        "CREATE TABLE digests ("
        " date TEXT PRIMARY KEY,"
        " path TEXT NOT NULL,"
        " first_date TEXT NOT NULL,"
        " updated TEXT NOT NULL,"
        " hash TEXT,"
        " at INTEGER NOT NULL DEFAULT 0);"
        "CREATE TABLE published ("
        " url TEXT NOT NULL,"
        " date TEXT NOT NULL,"
        " PRIMARY KEY (url, date));",
        /* 4: the writer's replies, keyed by a hash of everything its call
         * sends, so a re-run of a day pays for the writing once */
        "CREATE TABLE writings ("
        " key TEXT PRIMARY KEY,"
        " writer TEXT NOT NULL,"
        " prompt_version TEXT NOT NULL,"
        " reply TEXT NOT NULL,"
        " raw TEXT,"
        " tokens_in INTEGER NOT NULL DEFAULT 0,"
        " tokens_out INTEGER NOT NULL DEFAULT 0,"
        " usd REAL NOT NULL DEFAULT 0,"
        " at INTEGER NOT NULL DEFAULT 0);",
        /* 5: the panel's verdicts on the writer's texts, keyed by a hash
         * of the text and its source, the judge and the prompt version */
        "CREATE TABLE verdicts ("
        " text_hash TEXT NOT NULL,"
        " judge TEXT NOT NULL,"
        " prompt_version TEXT NOT NULL,"
        " supported INTEGER NOT NULL,"
        " problem TEXT,"
        " raw TEXT,"
        " tokens_in INTEGER NOT NULL DEFAULT 0,"
        " tokens_out INTEGER NOT NULL DEFAULT 0,"
        " usd REAL NOT NULL DEFAULT 0,"
        " at INTEGER NOT NULL DEFAULT 0,"
        " PRIMARY KEY (text_hash, judge, prompt_version));",
        /* 6: stories are matched from their items' titles at every
         * rebuild (summarize/stories.c); the simhash column was never
         * filled */
        "ALTER TABLE stories DROP COLUMN simhash;",
};

#define STORE_SCHEMA_VERSION                                                   \
	((int)(sizeof store_migrations / sizeof store_migrations[0]))

/* Set once per connection at open, before anything reads the file. */
static const char *const store_pragmas[] = {
        "PRAGMA foreign_keys = ON",
        "PRAGMA synchronous = NORMAL",
};

#define FEED_COLUMNS                                                           \
	"name, url, kind, etag, last_modified, last_attempt, last_success, "   \
	"last_new_item, last_status, last_error, consecutive_failures, "       \
	"(SELECT COUNT(*) FROM items WHERE items.feed_id = feeds.id), "        \
	"last_items, health, weight"

#define ITEM_COLUMNS                                                           \
	"i.id, f.name, f.kind, i.key, i.guid, i.url, i.canonical_url, "        \
	"i.title, i.summary, i.author, i.published, i.first_seen, i.time, "    \
	"i.likes, i.reposts, i.points, i.stars, i.comments, f.weight, "        \
	"i.story_id"

enum store_sql_id {
	SQL_BEGIN,
	SQL_COMMIT,
	SQL_ROLLBACK,
	SQL_USER_VERSION,
	SQL_FEED_ENSURE,
	SQL_FEED_RECORD,
	SQL_FEED_WEIGHT,
	SQL_FEED_DELETE,
	SQL_STORIES_DELETE_EMPTY,
	SQL_FEED_GET,
	SQL_FEED_LIST,
	SQL_FEED_ID,
	SQL_ITEM_INSERT,
	SQL_ITEM_UPDATE,
	SQL_ITEMS_WINDOW,
	SQL_ITEM_STORY,
	SQL_STORY_INSERT,
	SQL_ITEM_SET_STORY,
	SQL_STORY_REFRESH,
	SQL_STORY_DELETE_IF_EMPTY,
	SQL_STORIES_WINDOW,
	SQL_JUDGMENT_GET,
	SQL_JUDGMENT_PUT,
	SQL_RUN_ADD,
	SQL_RUN_LATEST,
	SQL_DIGEST_PUT,
	SQL_DIGEST_GET,
	SQL_PUBLISHED_CLEAR,
	SQL_PUBLISHED_ADD,
	SQL_PUBLISHED_BEFORE,
	SQL_WRITING_GET,
	SQL_WRITING_PUT,
	SQL_VERDICT_GET,
	SQL_VERDICT_PUT,
	SQL_COUNT
};

/* Every statement the store runs, prepared on first use and kept. */
static const char *const store_sql[SQL_COUNT] = {
        [SQL_BEGIN] = "BEGIN IMMEDIATE",
        [SQL_COMMIT] = "COMMIT",
        [SQL_ROLLBACK] = "ROLLBACK",
        [SQL_USER_VERSION] = "PRAGMA user_version",
        [SQL_FEED_ENSURE] = "INSERT INTO feeds (name, url, kind) VALUES "
                            "(:name, :url, :kind)"
                            " ON CONFLICT (name) DO UPDATE SET"
                            " url = coalesce(excluded.url, url),"
                            " kind = coalesce(excluded.kind, kind)",
        [SQL_FEED_RECORD] =
                "UPDATE feeds SET last_attempt = :at, last_status = :status,"
                " last_success = CASE WHEN :ok THEN :at ELSE last_success END,"
                " consecutive_failures = CASE WHEN :ok THEN 0"
                "  ELSE consecutive_failures + 1 END,"
                " last_error = CASE WHEN :ok THEN NULL ELSE :error END,"
                " etag = CASE WHEN NOT :ok THEN etag"
                "  WHEN :not_modified THEN coalesce(:etag, etag)"
                "  ELSE :etag END,"
                " last_modified = CASE WHEN NOT :ok THEN last_modified"
                "  WHEN :not_modified THEN"
                "  coalesce(:last_modified, last_modified)"
                "  ELSE :last_modified END,"
                " last_items = CASE WHEN :ok AND NOT :not_modified"
                "  THEN :items_seen ELSE last_items END,"
                " last_new_item = CASE WHEN :new_items > 0 THEN :at"
                "  ELSE last_new_item END,"
                " health = :health"
                " WHERE name = :name",
        [SQL_FEED_WEIGHT] = "UPDATE feeds SET weight = :weight"
                            " WHERE name = :name",
        [SQL_FEED_DELETE] = "DELETE FROM feeds WHERE name = :name",
        [SQL_STORIES_DELETE_EMPTY] =
                "DELETE FROM stories WHERE NOT EXISTS"
                " (SELECT 1 FROM items WHERE items.story_id = stories.id)",
        [SQL_FEED_GET] =
                "SELECT " FEED_COLUMNS " FROM feeds WHERE name = :name",
        [SQL_FEED_LIST] = "SELECT " FEED_COLUMNS " FROM feeds ORDER BY name",
        [SQL_FEED_ID] = "SELECT id FROM feeds WHERE name = :name",
        [SQL_ITEM_INSERT] =
                "INSERT INTO items (feed_id, key, guid, url, canonical_url,"
                " title, summary, author, published, first_seen, time,"
                " likes, reposts, points, stars, comments)"
                " VALUES (:feed, :key, :guid, :url, :canonical_url,"
                " coalesce(:title, ''), :summary, :author, :published,"
                " :seen, coalesce(:published, :seen),"
                " :likes, :reposts, :points, :stars, :comments)"
                " ON CONFLICT (feed_id, key) DO NOTHING",
        [SQL_ITEM_UPDATE] =
                "UPDATE items SET"
                " url = coalesce(nullif(:url, ''), url),"
                " canonical_url = coalesce(nullif(:canonical_url, ''),"
                "  canonical_url),"
                " title = coalesce(nullif(:title, ''), title),"
                " summary = coalesce(nullif(:summary, ''), summary),"
                " author = coalesce(nullif(:author, ''), author),"
                " published = coalesce(published, :published),"
                " time = coalesce(published, :published, first_seen),"
                " likes = CASE WHEN :likes >= 0 THEN :likes ELSE likes END,"
                " reposts = CASE WHEN :reposts >= 0 THEN :reposts"
                "  ELSE reposts END,"
                " points = CASE WHEN :points >= 0 THEN :points"
                "  ELSE points END,"
                " stars = CASE WHEN :stars >= 0 THEN :stars ELSE stars END,"
                " comments = CASE WHEN :comments >= 0 THEN :comments"
                "  ELSE comments END"
                " WHERE feed_id = :feed AND key = :key",
        [SQL_ITEMS_WINDOW] = "SELECT " ITEM_COLUMNS
                             " FROM items i JOIN feeds f ON f.id = i.feed_id"
                             " WHERE i.time >= :from AND i.time < :to"
                             " ORDER BY i.time, i.id",
        [SQL_ITEM_STORY] = "SELECT story_id FROM items WHERE id = :id",
        [SQL_STORY_INSERT] = "INSERT INTO stories DEFAULT VALUES",
        [SQL_ITEM_SET_STORY] = "UPDATE items SET story_id = :story"
                               " WHERE id = :id",
        [SQL_STORY_REFRESH] =
                "UPDATE stories SET"
                " title = coalesce((SELECT title FROM items"
                "  WHERE story_id = :id ORDER BY time, id LIMIT 1), ''),"
                " canonical_url = (SELECT canonical_url FROM items"
                "  WHERE story_id = :id AND canonical_url <> ''"
                "  ORDER BY time, id LIMIT 1),"
                " time = coalesce((SELECT min(time) FROM items"
                "  WHERE story_id = :id), 0),"
                " corroboration = (SELECT count(DISTINCT feed_id) FROM items"
                "  WHERE story_id = :id)"
                " WHERE id = :id",
        [SQL_STORY_DELETE_IF_EMPTY] =
                "DELETE FROM stories WHERE id = :id AND NOT EXISTS"
                " (SELECT 1 FROM items WHERE story_id = :id)",
        [SQL_STORIES_WINDOW] =
                "SELECT s.id, s.title, s.canonical_url, s.time,"
                " s.corroboration, " ITEM_COLUMNS " FROM stories s"
                " JOIN items i ON i.story_id = s.id"
                " JOIN feeds f ON f.id = i.feed_id"
                " WHERE s.id IN (SELECT story_id FROM items"
                "  WHERE time >= :from AND time < :to"
                "  AND story_id IS NOT NULL)"
                " ORDER BY s.time, s.id, i.time, i.id",
        [SQL_JUDGMENT_GET] =
                "SELECT score, category, raw, tokens_in, tokens_out, usd, at"
                " FROM judgments WHERE story_hash = :hash AND judge = :judge"
                " AND prompt_version = :version",
        [SQL_JUDGMENT_PUT] =
                "INSERT OR REPLACE INTO judgments (story_hash, judge,"
                " prompt_version, score, category, raw, tokens_in,"
                " tokens_out, usd, at) VALUES (:hash, :judge, :version,"
                " :score, :category, :raw, :tokens_in, :tokens_out, :usd,"
                " :at)",
        [SQL_RUN_ADD] =
                "INSERT INTO runs (command, date, started, finished, usd,"
                " reference_usd, requests, tokens_in, tokens_out, kendall_w,"
                " status, details) VALUES (:command, :date, :started,"
                " :finished, :usd, :reference_usd, :requests, :tokens_in,"
                " :tokens_out, :kendall_w, :status, :details)",
        [SQL_RUN_LATEST] = "SELECT id, command, date, status, details, started,"
                           " finished, usd, reference_usd, kendall_w, requests,"
                           " tokens_in, tokens_out FROM runs"
                           " WHERE command = :command AND date = :date"
                           " ORDER BY id DESC LIMIT 1",
        [SQL_DIGEST_PUT] =
                "INSERT INTO digests (date, path, first_date, updated, hash, at)"
                " VALUES (:date, :path, :first, :updated, :hash, :at)"
                " ON CONFLICT (date) DO UPDATE SET path = excluded.path,"
                " updated = excluded.updated, hash = excluded.hash,"
                " at = excluded.at",
        [SQL_DIGEST_GET] = "SELECT path, first_date, updated, hash, at"
                           " FROM digests WHERE date = :date",
        [SQL_PUBLISHED_CLEAR] = "DELETE FROM published WHERE date = :date",
        [SQL_PUBLISHED_ADD] = "INSERT OR IGNORE INTO published (url, date)"
                              " VALUES (:url, :date)",
        [SQL_PUBLISHED_BEFORE] = "SELECT min(date) FROM published"
                                 " WHERE url = :url AND date < :date",
        [SQL_WRITING_GET] = "SELECT reply FROM writings WHERE key = :key",
        [SQL_WRITING_PUT] =
                "INSERT OR REPLACE INTO writings (key, writer,"
                " prompt_version, reply, raw, tokens_in, tokens_out, usd, at)"
                " VALUES (:key, :writer, :version, :reply, :raw, :tokens_in,"
                " :tokens_out, :usd, :at)",
        [SQL_VERDICT_GET] = "SELECT supported, problem FROM verdicts"
                            " WHERE text_hash = :hash AND judge = :judge"
                            " AND prompt_version = :version",
        [SQL_VERDICT_PUT] =
                "INSERT OR REPLACE INTO verdicts (text_hash, judge,"
                " prompt_version, supported, problem, raw, tokens_in,"
                " tokens_out, usd, at) VALUES (:hash, :judge, :version,"
                " :supported, :problem, :raw, :tokens_in, :tokens_out, :usd,"
                " :at)",
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[SQL_COUNT];
	struct buf err;
};

/* Record "what: SQLite's message" as the last error; returns -1. */
static int store_fail(struct store *st, const char *what)
{
	buf_reset(&st->err);
	buf_printf(&st->err, "%s: %s", what, sqlite3_errmsg(st->db));
	return -1;
}

/* Record a message of the store's own; returns -1. */
static int store_failf(struct store *st, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static int store_failf(struct store *st, const char *fmt, ...)
{
	va_list ap;

	buf_reset(&st->err);
	va_start(ap, fmt);
	buf_vprintf(&st->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* The cached statement id, reset and with no bindings; NULL (and the
 * error recorded) when it cannot be prepared. */
static sqlite3_stmt *store_stmt(struct store *st, enum store_sql_id id)
{
	sqlite3_stmt *s = st->stmt[id];

	if (s) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return s;
	}
	if (sqlite3_prepare_v3(st->db, store_sql[id], -1,
	                       SQLITE_PREPARE_PERSISTENT, &s,
	                       NULL) != SQLITE_OK) {
		store_fail(st, "prepare");
		sqlite3_finalize(s);
		return NULL;
	}
	st->stmt[id] = s;
	return s;
}

static int store_param(struct store *st, sqlite3_stmt *s, const char *name)
{
	int i = sqlite3_bind_parameter_index(s, name);

	if (i == 0)
		store_failf(st, "store: no parameter %s in: %s", name,
		            sqlite3_sql(s));
	return i;
}

/* Bind text as valid UTF-8 of at most max bytes: the caller's string as it
 * is when it already is, else a repaired, cut copy. NULL binds NULL. */
static int store_bind_text(struct store *st, sqlite3_stmt *s, const char *name,
                           const char *v, size_t max)
{
	struct buf clean = BUF_INIT(0);
	size_t n;
	int i = store_param(st, s, name), rc;

	if (i == 0)
		return -1;
	if (!v) {
		rc = sqlite3_bind_null(s, i);
	} else if ((n = strnlen(v, max + 1)) <= max &&
	           utf8_valid_prefix(v, n) == n) {
		rc = sqlite3_bind_text(s, i, v, (int)n, SQLITE_STATIC);
	} else {
		utf8_append_cut(&clean, v, max);
		rc = sqlite3_bind_text(s, i, buf_cstr(&clean), (int)clean.len,
		                       SQLITE_TRANSIENT);
		buf_free(&clean);
	}
	return rc == SQLITE_OK ? 0 : store_fail(st, "bind");
}

static int store_bind_int(struct store *st, sqlite3_stmt *s, const char *name,
                          int64_t v)
{
	int i = store_param(st, s, name);

	if (i == 0)
		return -1;
	if (sqlite3_bind_int64(s, i, v) != SQLITE_OK)
		return store_fail(st, "bind");
	return 0;
}

static int store_bind_double(struct store *st, sqlite3_stmt *s,
                             const char *name, double v)
{
	int i = store_param(st, s, name);

	if (i == 0)
		return -1;
	if (sqlite3_bind_double(s, i, v) != SQLITE_OK)
		return store_fail(st, "bind");
	return 0;
}

static int store_bind_null(struct store *st, sqlite3_stmt *s, const char *name)
{
	int i = store_param(st, s, name);

	if (i == 0)
		return -1;
	if (sqlite3_bind_null(s, i) != SQLITE_OK)
		return store_fail(st, "bind");
	return 0;
}

/* Step a statement that returns no rows to the end, then reset it. */
static int store_run(struct store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_fail(st, what);
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	return 0;
}

/* Step a query: 1 with a row, 0 at the end (statement reset), -1 error
 * (statement reset). */
static int store_row(struct store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		store_fail(st, what);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int store_exec_id(struct store *st, enum store_sql_id id,
                         const char *what)
{
	sqlite3_stmt *s = store_stmt(st, id);

	return s ? store_run(st, s, what) : -1;
}

static char *store_column_text(sqlite3_stmt *s, int col)
{
	const unsigned char *t;

	if (sqlite3_column_type(s, col) == SQLITE_NULL)
		return NULL;
	t = sqlite3_column_text(s, col);
	return t ? xstrdup((const char *)t) : NULL;
}

/* One text result of a pragma or query run outside the cache, into out. */
static int store_query_text(struct store *st, const char *sql, struct buf *out)
{
	sqlite3_stmt *s = NULL;
	const unsigned char *t;
	int rc, ret = -1;

	buf_reset(out);
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		store_fail(st, sql);
		goto out;
	}
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, sql);
		goto out;
	}
	if (rc == SQLITE_ROW && (t = sqlite3_column_text(s, 0)))
		buf_puts(out, (const char *)t);
	ret = 0;
out:
	sqlite3_finalize(s);
	return ret;
}

static int store_exec(struct store *st, const char *sql)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, "exec");
	return 0;
}

/* Apply the migrations the database lacks, one transaction each. The
 * version is read again under the write lock: another process may have
 * migrated meanwhile. */
static int store_migrate(struct store *st)
{
	struct buf sql = BUF_INIT(0);
	int v, ret = -1;

	for (;;) {
		if (store_exec(st, "BEGIN IMMEDIATE"))
			goto out;
		v = store_schema_version(st);
		if (v < 0)
			goto fail;
		if (v > STORE_SCHEMA_VERSION) {
			store_failf(st,
			            "database schema version %d is newer than "
			            "this program's (%d)",
			            v, STORE_SCHEMA_VERSION);
			goto fail;
		}
		if (v == STORE_SCHEMA_VERSION)
			break;
		buf_reset(&sql);
		buf_printf(&sql, "%s;PRAGMA user_version = %d;",
		           store_migrations[v], v + 1);
		if (sqlite3_exec(st->db, buf_cstr(&sql), NULL, NULL, NULL) !=
		    SQLITE_OK) {
			buf_reset(&sql);
			buf_printf(&sql, "migration to version %d", v + 1);
			store_fail(st, buf_cstr(&sql));
			goto fail;
		}
		if (store_exec(st, "COMMIT"))
			goto fail;
	}
	if (store_exec(st, "COMMIT"))
		goto fail;
	ret = 0;
	goto out;
fail:
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
out:
	buf_free(&sql);
	return ret;
}

/* Connection settings: busy timeout first (the rest may wait for a lock),
 * WAL for files, then the per-connection pragmas. */
static int store_configure(struct store *st, bool memory)
{
	struct buf mode = BUF_INIT(64);
	size_t i;
	int ret = -1;

	if (sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS) != SQLITE_OK) {
		store_fail(st, "busy timeout");
		goto out;
	}
	if (sqlite3_db_readonly(st->db, "main") == 1) {
		store_failf(st, "the database is read-only");
		goto out;
	}
	if (!memory) {
		if (store_query_text(st, "PRAGMA journal_mode = WAL", &mode))
			goto out;
		if (strcmp(buf_cstr(&mode), "wal") != 0) {
			store_failf(st, "cannot use WAL mode (journal mode %s)",
			            buf_cstr(&mode));
			goto out;
		}
	}
	for (i = 0; i < sizeof store_pragmas / sizeof store_pragmas[0]; i++)
		if (store_exec(st, store_pragmas[i]))
			goto out;
	if (store_query_text(st, "PRAGMA foreign_keys", &mode))
		goto out;
	if (strcmp(buf_cstr(&mode), "1") != 0) {
		store_failf(st, "this SQLite does not enforce foreign keys");
		goto out;
	}
	ret = 0;
out:
	buf_free(&mode);
	return ret;
}

int store_open(const char *path, struct store **out, struct buf *err)
{
	struct store *st;
	int rc, ret = -1;

	*out = NULL;
	if (!path || !*path) {
		buf_puts(err, "store: no database path");
		return -1;
	}
	st = xcalloc(1, sizeof *st);
	buf_init(&st->err, STORE_ERROR_MAX);
	rc = sqlite3_open_v2(path, &st->db,
	                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                             SQLITE_OPEN_NOMUTEX,
	                     NULL);
	if (rc != SQLITE_OK) {
		buf_puts(&st->err,
		         st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		goto out;
	}
	sqlite3_extended_result_codes(st->db, 1);
	if (store_configure(st, strcmp(path, ":memory:") == 0))
		goto out;
	if (store_migrate(st))
		goto out;
	*out = st;
	st = NULL;
	ret = 0;
out:
	if (st) {
		utf8_append_cut(err, path, 512);
		buf_printf(err, ": %s", buf_cstr(&st->err));
		if (st->db && sqlite3_system_errno(st->db) != 0)
			buf_printf(err, " (%s)",
			           strerror(sqlite3_system_errno(st->db)));
		store_close(st);
	}
	return ret;
}

void store_close(struct store *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < SQL_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->db && !sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(st->db);
	buf_free(&st->err);
	free(st);
}

const char *store_error(const struct store *st)
{
	return buf_cstr(&st->err);
}

int store_schema_version(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st, SQL_USER_VERSION);
	int v;

	if (!s || store_row(st, s, "user_version") != 1)
		return -1;
	v = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return v;
}

int store_begin(struct store *st)
{
	return store_exec_id(st, SQL_BEGIN, "begin");
}

int store_commit(struct store *st)
{
	return store_exec_id(st, SQL_COMMIT, "commit");
}

int store_rollback(struct store *st)
{
	return store_exec_id(st, SQL_ROLLBACK, "rollback");
}

/* A transaction of the store's own when the caller has none open; *own
 * says whether one was begun (then store_end finishes it). */
static int store_begin_own(struct store *st, bool *own)
{
	*own = sqlite3_get_autocommit(st->db) != 0;
	return *own ? store_begin(st) : 0;
}

static int store_end_own(struct store *st, bool own, int ret)
{
	if (!own)
		return ret;
	if (ret == 0)
		return store_commit(st);
	/* keep the first error's message */
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return ret;
}

static void store_feed_read(sqlite3_stmt *s, struct store_feed *f)
{
	f->name = store_column_text(s, 0);
	f->url = store_column_text(s, 1);
	f->kind = store_column_text(s, 2);
	f->etag = store_column_text(s, 3);
	f->last_modified = store_column_text(s, 4);
	f->last_attempt = sqlite3_column_int64(s, 5);
	f->last_success = sqlite3_column_int64(s, 6);
	f->last_new_item = sqlite3_column_int64(s, 7);
	f->last_status = (long)sqlite3_column_int64(s, 8);
	f->last_error = store_column_text(s, 9);
	f->consecutive_failures = sqlite3_column_int(s, 10);
	f->items_total = (long)sqlite3_column_int64(s, 11);
	f->last_items = (long)sqlite3_column_int64(s, 12);
	f->health = store_column_text(s, 13);
	f->weight = sqlite3_column_double(s, 14);
}

int store_feed_get(struct store *st, const char *name, struct store_feed *out)
{
	sqlite3_stmt *s = store_stmt(st, SQL_FEED_GET);
	int rc;

	memset(out, 0, sizeof *out);
	if (!s || store_bind_text(st, s, ":name", name, STORE_TEXT_MAX))
		return -1;
	rc = store_row(st, s, "feed get");
	if (rc != 1)
		return rc < 0 ? -1 : 1;
	store_feed_read(s, out);
	sqlite3_reset(s);
	return 0;
}

void store_feed_clear(struct store_feed *f)
{
	if (!f)
		return;
	free(f->name);
	free(f->url);
	free(f->kind);
	free(f->etag);
	free(f->last_modified);
	free(f->last_error);
	free(f->health);
	memset(f, 0, sizeof *f);
}

int store_feed_list(struct store *st, struct store_feed **out, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st, SQL_FEED_LIST);
	struct store_feed *v = NULL;
	size_t len = 0, cap = 0;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (!s)
		return -1;
	while ((rc = store_row(st, s, "feed list")) == 1) {
		if (len == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof *v);
		}
		store_feed_read(s, &v[len++]);
	}
	if (rc < 0) {
		store_feed_list_free(v, len);
		return -1;
	}
	*out = v;
	*n = len;
	return 0;
}

void store_feed_list_free(struct store_feed *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		store_feed_clear(&v[i]);
	free(v);
}

int store_feed_ensure(struct store *st, const char *name, const char *url,
                      const char *kind)
{
	sqlite3_stmt *s;

	if (!name || !*name)
		return store_failf(st, "store: a feed needs a name");
	s = store_stmt(st, SQL_FEED_ENSURE);
	if (!s || store_bind_text(st, s, ":name", name, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":url", url, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":kind", kind, STORE_TEXT_MAX))
		return -1;
	return store_run(st, s, "feed ensure");
}

int store_feed_record(struct store *st, const struct store_fetch_result *r)
{
	sqlite3_stmt *s;
	const char *health = r->health ? r->health : r->ok ? "ok" : "failing";
	const char *error = r->error ? r->error : "failed";
	bool own;
	int ret = -1;

	if (store_begin_own(st, &own))
		return -1;
	if (store_feed_ensure(st, r->name, r->url, r->kind))
		goto out;
	s = store_stmt(st, SQL_FEED_RECORD);
	if (!s || store_bind_text(st, s, ":name", r->name, STORE_TEXT_MAX) ||
	    store_bind_int(st, s, ":at", r->at) ||
	    store_bind_int(st, s, ":status", r->status) ||
	    store_bind_int(st, s, ":ok", r->ok) ||
	    store_bind_int(st, s, ":not_modified", r->not_modified) ||
	    store_bind_text(st, s, ":error", error, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":etag", r->etag, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":last_modified", r->last_modified,
	                    STORE_TEXT_MAX) ||
	    store_bind_int(st, s, ":items_seen", r->items_seen) ||
	    store_bind_int(st, s, ":new_items", r->new_items) ||
	    store_bind_text(st, s, ":health", health, STORE_TEXT_MAX) ||
	    store_run(st, s, "feed record"))
		goto out;
	ret = 0;
out:
	return store_end_own(st, own, ret);
}

int store_feed_set_weight(struct store *st, const char *name, double weight)
{
	sqlite3_stmt *s;

	if (!isfinite(weight) || weight < 0)
		return store_failf(st, "store: weight %g out of range", weight);
	s = store_stmt(st, SQL_FEED_WEIGHT);
	if (!s || store_bind_text(st, s, ":name", name, STORE_TEXT_MAX) ||
	    store_bind_double(st, s, ":weight", weight) ||
	    store_run(st, s, "feed weight"))
		return -1;
	return sqlite3_changes(st->db) > 0 ? 0 : 1;
}

int store_feed_delete(struct store *st, const char *name)
{
	sqlite3_stmt *s;
	bool own;
	int ret = -1, changed = 0;

	if (store_begin_own(st, &own))
		return -1;
	s = store_stmt(st, SQL_FEED_DELETE);
	if (!s || store_bind_text(st, s, ":name", name, STORE_TEXT_MAX) ||
	    store_run(st, s, "feed delete"))
		goto out;
	changed = sqlite3_changes(st->db);
	if (changed &&
	    store_exec_id(st, SQL_STORIES_DELETE_EMPTY, "delete empty stories"))
		goto out;
	ret = 0;
out:
	ret = store_end_own(st, own, ret);
	return ret == 0 && !changed ? 1 : ret;
}

static int store_bind_item(struct store *st, sqlite3_stmt *s, int64_t feed,
                           const struct store_item *it)
{
	if (store_bind_int(st, s, ":feed", feed) ||
	    store_bind_text(st, s, ":key", it->key, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":url", it->url, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":canonical_url", it->canonical_url,
	                    STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":title", it->title, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":summary", it->summary,
	                    STORE_SUMMARY_MAX) ||
	    store_bind_text(st, s, ":author", it->author, STORE_TEXT_MAX) ||
	    store_bind_int(st, s, ":likes", it->likes < 0 ? -1 : it->likes) ||
	    store_bind_int(st, s, ":reposts",
	                   it->reposts < 0 ? -1 : it->reposts) ||
	    store_bind_int(st, s, ":points",
	                   it->points < 0 ? -1 : it->points) ||
	    store_bind_int(st, s, ":stars", it->stars < 0 ? -1 : it->stars) ||
	    store_bind_int(st, s, ":comments",
	                   it->comments < 0 ? -1 : it->comments))
		return -1;
	if (it->has_published)
		return store_bind_int(st, s, ":published", it->published);
	return store_bind_null(st, s, ":published");
}

int store_item_upsert(struct store *st, const struct store_item *it,
                      bool *is_new)
{
	sqlite3_stmt *s;
	int64_t feed;
	int rc;

	*is_new = false;
	if (!it->feed_name || !it->key || !*it->key)
		return store_failf(st, "store: an item needs a feed and a key");
	s = store_stmt(st, SQL_FEED_ID);
	if (!s ||
	    store_bind_text(st, s, ":name", it->feed_name, STORE_TEXT_MAX))
		return -1;
	rc = store_row(st, s, "item feed");
	if (rc == 0) {
		store_failf(st, "store: no feed named ");
		utf8_append_cut(&st->err, it->feed_name, 200);
	}
	if (rc != 1)
		return -1;
	feed = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);

	s = store_stmt(st, SQL_ITEM_INSERT);
	if (!s || store_bind_item(st, s, feed, it) ||
	    store_bind_text(st, s, ":guid", it->guid, STORE_TEXT_MAX) ||
	    store_bind_int(st, s, ":seen", it->seen_at) ||
	    store_run(st, s, "item insert"))
		return -1;
	if (sqlite3_changes(st->db) == 1) {
		*is_new = true;
		return 0;
	}
	s = store_stmt(st, SQL_ITEM_UPDATE);
	if (!s || store_bind_item(st, s, feed, it))
		return -1;
	return store_run(st, s, "item update");
}

/* Read the item columns that start at column col. */
static void store_item_read(sqlite3_stmt *s, int col, struct store_item_row *r)
{
	r->id = sqlite3_column_int64(s, col + 0);
	r->feed_name = store_column_text(s, col + 1);
	r->kind = store_column_text(s, col + 2);
	r->key = store_column_text(s, col + 3);
	r->guid = store_column_text(s, col + 4);
	r->url = store_column_text(s, col + 5);
	r->canonical_url = store_column_text(s, col + 6);
	r->title = store_column_text(s, col + 7);
	r->summary = store_column_text(s, col + 8);
	r->author = store_column_text(s, col + 9);
	r->published = sqlite3_column_int64(s, col + 10);
	r->first_seen = sqlite3_column_int64(s, col + 11);
	r->time = sqlite3_column_int64(s, col + 12);
	r->likes = sqlite3_column_int64(s, col + 13);
	r->reposts = sqlite3_column_int64(s, col + 14);
	r->points = sqlite3_column_int64(s, col + 15);
	r->stars = sqlite3_column_int64(s, col + 16);
	r->comments = sqlite3_column_int64(s, col + 17);
	r->weight = sqlite3_column_double(s, col + 18);
	r->story_id = sqlite3_column_int64(s, col + 19);
}

static void store_item_row_clear(struct store_item_row *r)
{
	free(r->feed_name);
	free(r->kind);
	free(r->key);
	free(r->guid);
	free(r->url);
	free(r->canonical_url);
	free(r->title);
	free(r->summary);
	free(r->author);
}

int store_items_window(struct store *st, int64_t from, int64_t to,
                       struct store_item_row **out, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st, SQL_ITEMS_WINDOW);
	struct store_item_row *v = NULL;
	size_t len = 0, cap = 0;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (!s || store_bind_int(st, s, ":from", from) ||
	    store_bind_int(st, s, ":to", to))
		return -1;
	while ((rc = store_row(st, s, "items window")) == 1) {
		if (len == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof *v);
		}
		store_item_read(s, 0, &v[len++]);
	}
	if (rc < 0) {
		store_item_rows_free(v, len);
		return -1;
	}
	*out = v;
	*n = len;
	return 0;
}

void store_item_rows_free(struct store_item_row *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		store_item_row_clear(&v[i]);
	free(v);
}

static int store_cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The story each listed item had before, into old[] (0 for none). */
static int store_old_stories(struct store *st, const int64_t *item_ids,
                             size_t n, int64_t *old)
{
	sqlite3_stmt *s;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		s = store_stmt(st, SQL_ITEM_STORY);
		if (!s || store_bind_int(st, s, ":id", item_ids[i]))
			return -1;
		rc = store_row(st, s, "item story");
		if (rc == 0)
			return store_failf(st, "store: no item with id %lld",
			                   (long long)item_ids[i]);
		if (rc < 0)
			return -1;
		old[i] = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
	}
	return 0;
}

static int store_story_exec(struct store *st, enum store_sql_id id,
                            int64_t story, const char *what)
{
	sqlite3_stmt *s = store_stmt(st, id);

	if (!s || store_bind_int(st, s, ":id", story))
		return -1;
	return store_run(st, s, what);
}

/* The state of one store_stories_assign call. */
struct store_assign {
	size_t nstories;
	size_t *order; /* item indexes grouped by story, stable */
	size_t *start; /* story c's items: order[start[c]..start[c + 1]) */
	int64_t *old;  /* each item's story before */
	int64_t *olds; /* those story ids, sorted, unique */
	bool *claimed; /* olds[j] already reused */
	size_t nolds;
	int64_t *ids; /* each new story's id, 0 for an empty one */
};

static void store_assign_free(struct store_assign *a)
{
	free(a->order);
	free(a->start);
	free(a->old);
	free(a->olds);
	free(a->claimed);
	free(a->ids);
}

/* Group the items by story with a counting sort. */
static void store_assign_group(struct store_assign *a, const size_t *story_of,
                               size_t n)
{
	size_t i, c, *next;

	a->start = xcalloc(a->nstories + 1, sizeof *a->start);
	a->order = xcalloc(n, sizeof *a->order);
	for (i = 0; i < n; i++)
		a->start[story_of[i] + 1]++;
	for (c = 0; c < a->nstories; c++)
		a->start[c + 1] += a->start[c];
	next = xmalloc(a->nstories * sizeof *next);
	memcpy(next, a->start, a->nstories * sizeof *next);
	for (i = 0; i < n; i++)
		a->order[next[story_of[i]]++] = i;
	free(next);
}

/* The old story ids, sorted and unique, so reuse can be claimed once. */
static void store_assign_olds(struct store_assign *a, size_t n)
{
	size_t i, k = 0;

	a->olds = xcalloc(n, sizeof *a->olds);
	for (i = 0; i < n; i++)
		if (a->old[i])
			a->olds[k++] = a->old[i];
	qsort(a->olds, k, sizeof *a->olds, store_cmp_id);
	for (i = 0; i < k; i++)
		if (a->nolds == 0 || a->olds[a->nolds - 1] != a->olds[i])
			a->olds[a->nolds++] = a->olds[i];
	a->claimed = xcalloc(a->nolds ? a->nolds : 1, sizeof *a->claimed);
}

/* The first old story of story c's items not yet reused, claimed; 0 when
 * there is none. */
static int64_t store_assign_reuse(struct store_assign *a, size_t c)
{
	size_t k;
	int64_t *hit;

	for (k = a->start[c]; k < a->start[c + 1]; k++) {
		if (!a->old[a->order[k]])
			continue;
		hit = bsearch(&a->old[a->order[k]], a->olds, a->nolds,
		              sizeof *a->olds, store_cmp_id);
		if (hit && !a->claimed[hit - a->olds]) {
			a->claimed[hit - a->olds] = true;
			return *hit;
		}
	}
	return 0;
}

static int store_assign_story(struct store *st, struct store_assign *a,
                              const int64_t *item_ids, size_t c)
{
	sqlite3_stmt *s;
	int64_t id = store_assign_reuse(a, c);
	size_t k, i;

	if (!id) {
		if (store_exec_id(st, SQL_STORY_INSERT, "story insert"))
			return -1;
		id = sqlite3_last_insert_rowid(st->db);
	}
	for (k = a->start[c]; k < a->start[c + 1]; k++) {
		i = a->order[k];
		if (a->old[i] == id)
			continue;
		s = store_stmt(st, SQL_ITEM_SET_STORY);
		if (!s || store_bind_int(st, s, ":story", id) ||
		    store_bind_int(st, s, ":id", item_ids[i]) ||
		    store_run(st, s, "item story"))
			return -1;
	}
	a->ids[c] = id;
	return 0;
}

int store_stories_assign(struct store *st, const int64_t *item_ids,
                         const size_t *story_of, size_t n)
{
	struct store_assign a = {0};
	size_t i, c;
	bool own = false;
	int ret = -1;

	for (i = 0; i < n; i++) {
		if (story_of[i] >= n)
			return store_failf(st,
			                   "store: story index %zu of item "
			                   "%zu out of range",
			                   story_of[i], i);
		if (story_of[i] + 1 > a.nstories)
			a.nstories = story_of[i] + 1;
	}
	if (n == 0)
		return 0;
	if (store_begin_own(st, &own))
		return -1;
	a.old = xcalloc(n, sizeof *a.old);
	if (store_old_stories(st, item_ids, n, a.old))
		goto out;
	store_assign_group(&a, story_of, n);
	store_assign_olds(&a, n);
	a.ids = xcalloc(a.nstories, sizeof *a.ids);
	for (c = 0; c < a.nstories; c++)
		if (a.start[c] < a.start[c + 1] &&
		    store_assign_story(st, &a, item_ids, c))
			goto out;
	for (c = 0; c < a.nstories; c++)
		if (a.ids[c] && store_story_exec(st, SQL_STORY_REFRESH,
		                                 a.ids[c], "story refresh"))
			goto out;
	for (i = 0; i < a.nolds; i++)
		if (!a.claimed[i] &&
		    store_story_exec(st, SQL_STORY_DELETE_IF_EMPTY, a.olds[i],
		                     "story delete"))
			goto out;
	ret = 0;
out:
	ret = store_end_own(st, own, ret);
	store_assign_free(&a);
	return ret;
}

static void store_story_clear(struct store_story *s)
{
	free(s->title);
	free(s->canonical_url);
	store_item_rows_free(s->items, s->nitems);
}

int store_stories_window(struct store *st, int64_t from, int64_t to,
                         struct store_story **out, size_t *n)
{
	sqlite3_stmt *s = store_stmt(st, SQL_STORIES_WINDOW);
	struct store_story *v = NULL, *cur = NULL;
	size_t len = 0, cap = 0, icap = 0;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (!s || store_bind_int(st, s, ":from", from) ||
	    store_bind_int(st, s, ":to", to))
		return -1;
	while ((rc = store_row(st, s, "stories window")) == 1) {
		if (!cur || cur->id != sqlite3_column_int64(s, 0)) {
			if (len == cap) {
				cap = cap ? cap * 2 : 16;
				v = xreallocarray(v, cap, sizeof *v);
			}
			cur = &v[len++];
			memset(cur, 0, sizeof *cur);
			icap = 0;
			cur->id = sqlite3_column_int64(s, 0);
			cur->title = store_column_text(s, 1);
			cur->canonical_url = store_column_text(s, 2);
			cur->time = sqlite3_column_int64(s, 3);
			cur->corroboration = sqlite3_column_int(s, 4);
		}
		if (cur->nitems == icap) {
			icap = icap ? icap * 2 : 4;
			cur->items = xreallocarray(cur->items, icap,
			                           sizeof *cur->items);
		}
		store_item_read(s, 5, &cur->items[cur->nitems++]);
	}
	if (rc < 0) {
		store_stories_free(v, len);
		return -1;
	}
	*out = v;
	*n = len;
	return 0;
}

void store_stories_free(struct store_story *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		store_story_clear(&v[i]);
	free(v);
}

/* A key or name the caller must give: non-NULL and not empty. */
static bool store_given(const char *s)
{
	return s && *s;
}

int store_judgment_get(struct store *st, const char *story_hash,
                       const char *judge, const char *prompt_version,
                       struct store_judgment_row *out)
{
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof *out);
	if (!store_given(story_hash) || !store_given(judge) ||
	    !store_given(prompt_version))
		return store_failf(st, "store: a judgment needs a story hash, "
		                       "a judge and a prompt version");
	s = store_stmt(st, SQL_JUDGMENT_GET);
	if (!s || store_bind_text(st, s, ":hash", story_hash, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":judge", judge, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":version", prompt_version, STORE_TEXT_MAX))
		return -1;
	rc = store_row(st, s, "judgment get");
	if (rc != 1)
		return rc < 0 ? -1 : 1;
	out->score = sqlite3_column_double(s, 0);
	out->category = store_column_text(s, 1);
	out->raw = store_column_text(s, 2);
	out->tokens_in = (long)sqlite3_column_int64(s, 3);
	out->tokens_out = (long)sqlite3_column_int64(s, 4);
	out->usd = sqlite3_column_double(s, 5);
	out->at = sqlite3_column_int64(s, 6);
	sqlite3_reset(s);
	return 0;
}

int store_judgment_put(struct store *st, const struct store_judgment *j)
{
	sqlite3_stmt *s;

	if (!store_given(j->story_hash) || !store_given(j->judge) ||
	    !store_given(j->prompt_version))
		return store_failf(st, "store: a judgment needs a story hash, "
		                       "a judge and a prompt version");
	if (!isfinite(j->score) || !isfinite(j->usd))
		return store_failf(st,
		                   "store: judgment score %g or cost %g "
		                   "is not a number",
		                   j->score, j->usd);
	s = store_stmt(st, SQL_JUDGMENT_PUT);
	if (!s ||
	    store_bind_text(st, s, ":hash", j->story_hash, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":judge", j->judge, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":version", j->prompt_version,
	                    STORE_TEXT_MAX) ||
	    store_bind_double(st, s, ":score", j->score) ||
	    store_bind_text(st, s, ":category", j->category, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":raw", j->raw, STORE_RAW_MAX) ||
	    store_bind_int(st, s, ":tokens_in", j->tokens_in) ||
	    store_bind_int(st, s, ":tokens_out", j->tokens_out) ||
	    store_bind_double(st, s, ":usd", j->usd) ||
	    store_bind_int(st, s, ":at", j->at))
		return -1;
	return store_run(st, s, "judgment put");
}

void store_judgment_clear(struct store_judgment_row *row)
{
	if (!row)
		return;
	free(row->category);
	free(row->raw);
	memset(row, 0, sizeof *row);
}

int store_run_add(struct store *st, const struct store_run *run, int64_t *id)
{
	sqlite3_stmt *s;

	if (id)
		*id = 0;
	if (!store_given(run->command) || !store_given(run->date) ||
	    !store_given(run->status))
		return store_failf(st, "store: a run needs a command, a date "
		                       "and a status");
	if (!isfinite(run->usd) || !isfinite(run->reference_usd) ||
	    (!isnan(run->kendall_w) && !isfinite(run->kendall_w)))
		return store_failf(st, "store: a run's cost or agreement is "
		                       "not a number");
	if (run->details && strlen(run->details) > STORE_RAW_MAX)
		return store_failf(st, "store: run details over %zu bytes",
		                   STORE_RAW_MAX);
	s = store_stmt(st, SQL_RUN_ADD);
	if (!s ||
	    store_bind_text(st, s, ":command", run->command, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":date", run->date, STORE_TEXT_MAX) ||
	    store_bind_int(st, s, ":started", run->started) ||
	    store_bind_int(st, s, ":finished", run->finished) ||
	    store_bind_double(st, s, ":usd", run->usd) ||
	    store_bind_double(st, s, ":reference_usd", run->reference_usd) ||
	    store_bind_int(st, s, ":requests", run->requests) ||
	    store_bind_int(st, s, ":tokens_in", run->tokens_in) ||
	    store_bind_int(st, s, ":tokens_out", run->tokens_out) ||
	    (isnan(run->kendall_w) ? store_bind_null(st, s, ":kendall_w")
	                           : store_bind_double(st, s, ":kendall_w",
	                                               run->kendall_w)) ||
	    store_bind_text(st, s, ":status", run->status, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":details", run->details, STORE_RAW_MAX) ||
	    store_run(st, s, "run add"))
		return -1;
	if (id)
		*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int store_run_latest(struct store *st, const char *command, const char *date,
                     struct store_run_row *out)
{
	sqlite3_stmt *s = store_stmt(st, SQL_RUN_LATEST);
	int rc;

	memset(out, 0, sizeof *out);
	out->kendall_w = NAN;
	if (!s || store_bind_text(st, s, ":command", command, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":date", date, STORE_TEXT_MAX))
		return -1;
	rc = store_row(st, s, "run latest");
	if (rc != 1)
		return rc < 0 ? -1 : 1;
	out->id = sqlite3_column_int64(s, 0);
	out->command = store_column_text(s, 1);
	out->date = store_column_text(s, 2);
	out->status = store_column_text(s, 3);
	out->details = store_column_text(s, 4);
	out->started = sqlite3_column_int64(s, 5);
	out->finished = sqlite3_column_int64(s, 6);
	out->usd = sqlite3_column_double(s, 7);
	out->reference_usd = sqlite3_column_double(s, 8);
	if (sqlite3_column_type(s, 9) != SQLITE_NULL)
		out->kendall_w = sqlite3_column_double(s, 9);
	out->requests = (long)sqlite3_column_int64(s, 10);
	out->tokens_in = (long)sqlite3_column_int64(s, 11);
	out->tokens_out = (long)sqlite3_column_int64(s, 12);
	sqlite3_reset(s);
	return 0;
}

void store_run_clear(struct store_run_row *row)
{
	if (!row)
		return;
	free(row->command);
	free(row->date);
	free(row->status);
	free(row->details);
	memset(row, 0, sizeof *row);
	row->kendall_w = NAN;
}

#define STORE_FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define STORE_FNV_PRIME UINT64_C(0x100000001b3)

/* FNV-1a over a field (NULL reads as "") and then a 0xFF byte, which
 * stored text (valid UTF-8) never holds: fields cannot run together. */
static uint64_t store_hash_field(uint64_t h, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	for (; *p; p++) {
		h ^= *p;
		h *= STORE_FNV_PRIME;
	}
	h ^= 0xFF;
	return h * STORE_FNV_PRIME;
}

static const char *store_item_link(const struct store_item_row *r)
{
	if (r->canonical_url && *r->canonical_url)
		return r->canonical_url;
	return r->url ? r->url : "";
}

static int store_strcmp_null(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* Items in content order: by link, then title, then summary. */
static int store_cmp_item_content(const void *a, const void *b)
{
	const struct store_item_row *x =
	        *(const struct store_item_row *const *)a;
	const struct store_item_row *y =
	        *(const struct store_item_row *const *)b;
	int c = strcmp(store_item_link(x), store_item_link(y));

	if (c == 0)
		c = store_strcmp_null(x->title, y->title);
	if (c == 0)
		c = store_strcmp_null(x->summary, y->summary);
	return c;
}

char *store_story_hash(const struct store_story *s)
{
	const struct store_item_row **order;
	struct buf out = BUF_INIT(0);
	uint64_t h = STORE_FNV_OFFSET;
	size_t i;

	order = xcalloc(s->nitems ? s->nitems : 1, sizeof *order);
	for (i = 0; i < s->nitems; i++)
		order[i] = &s->items[i];
	qsort(order, s->nitems, sizeof *order, store_cmp_item_content);
	h = store_hash_field(h, s->title);
	for (i = 0; i < s->nitems; i++) {
		h = store_hash_field(h, order[i]->title);
		h = store_hash_field(h, order[i]->summary);
	}
	free(order);
	buf_printf(&out, "%016llx", (unsigned long long)h);
	return buf_detach(&out);
}

int store_digest_put(struct store *st, const struct store_digest *d)
{
	sqlite3_stmt *s;

	if (!store_given(d->date) || !store_given(d->path) ||
	    !store_given(d->first_date) || !store_given(d->updated))
		return store_failf(st, "store: a digest needs a date, a path, "
		                       "its first date and its update");
	s = store_stmt(st, SQL_DIGEST_PUT);
	if (!s || store_bind_text(st, s, ":date", d->date, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":path", d->path, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":first", d->first_date, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":updated", d->updated, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":hash", d->hash, STORE_TEXT_MAX) ||
	    store_bind_int(st, s, ":at", d->at) || store_run(st, s, "digest put"))
		return -1;
	return 0;
}

int store_digest_get(struct store *st, const char *date,
                     struct store_digest_row *out)
{
	sqlite3_stmt *s = store_stmt(st, SQL_DIGEST_GET);
	int rc;

	memset(out, 0, sizeof *out);
	if (!s || store_bind_text(st, s, ":date", date, STORE_TEXT_MAX))
		return -1;
	rc = store_row(st, s, "digest get");
	if (rc != 1)
		return rc < 0 ? -1 : 1;
	out->path = store_column_text(s, 0);
	out->first_date = store_column_text(s, 1);
	out->updated = store_column_text(s, 2);
	out->hash = store_column_text(s, 3);
	out->at = sqlite3_column_int64(s, 4);
	sqlite3_reset(s);
	return 0;
}

void store_digest_clear(struct store_digest_row *row)
{
	if (!row)
		return;
	free(row->path);
	free(row->first_date);
	free(row->updated);
	free(row->hash);
	memset(row, 0, sizeof *row);
}

int store_published_set(struct store *st, const char *date,
                        const char *const *urls, size_t n)
{
	sqlite3_stmt *s;
	bool own;
	size_t i;

	if (store_begin_own(st, &own))
		return -1;
	s = store_stmt(st, SQL_PUBLISHED_CLEAR);
	if (!s || store_bind_text(st, s, ":date", date, STORE_TEXT_MAX) ||
	    store_run(st, s, "published clear"))
		goto fail;
	for (i = 0; i < n; i++) {
		if (!urls[i] || !*urls[i])
			continue;
		s = store_stmt(st, SQL_PUBLISHED_ADD);
		if (!s || store_bind_text(st, s, ":url", urls[i], STORE_TEXT_MAX) ||
		    store_bind_text(st, s, ":date", date, STORE_TEXT_MAX) ||
		    store_run(st, s, "published add"))
			goto fail;
	}
	return own ? store_commit(st) : 0;
fail:
	if (own)
		store_rollback(st);
	return -1;
}

int store_published_before(struct store *st, const char *date,
                           const char *url, char *first, size_t size)
{
	sqlite3_stmt *s = store_stmt(st, SQL_PUBLISHED_BEFORE);
	const unsigned char *v;
	int rc;

	if (first && size)
		first[0] = '\0';
	if (!s || store_bind_text(st, s, ":url", url, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":date", date, STORE_TEXT_MAX))
		return -1;
	rc = store_row(st, s, "published before");
	if (rc != 1)
		return rc < 0 ? -1 : 0;
	v = sqlite3_column_text(s, 0);
	rc = v != NULL;
	if (v && first && size)
		snprintf(first, size, "%s", (const char *)v);
	sqlite3_reset(s);
	return rc;
}

int store_writing_get(struct store *st, const char *key, char **reply)
{
	sqlite3_stmt *s;
	int rc;

	*reply = NULL;
	if (!store_given(key))
		return store_failf(st, "store: a writing needs a key");
	s = store_stmt(st, SQL_WRITING_GET);
	if (!s || store_bind_text(st, s, ":key", key, STORE_TEXT_MAX))
		return -1;
	rc = store_row(st, s, "writing get");
	if (rc != 1)
		return rc < 0 ? -1 : 1;
	*reply = store_column_text(s, 0);
	sqlite3_reset(s);
	return *reply ? 0 : 1;
}

int store_writing_put(struct store *st, const struct store_writing *w)
{
	sqlite3_stmt *s;

	if (!store_given(w->key) || !store_given(w->writer) ||
	    !store_given(w->prompt_version) || !store_given(w->reply))
		return store_failf(st, "store: a writing needs a key, a writer, "
		                       "a prompt version and a reply");
	if (strlen(w->reply) > STORE_REPLY_MAX)
		return store_failf(st, "store: a writer's reply of %zu bytes "
		                       "is over %zu",
		                   strlen(w->reply), STORE_REPLY_MAX);
	if (!isfinite(w->usd))
		return store_failf(st, "store: writing cost %g is not a number",
		                   w->usd);
	s = store_stmt(st, SQL_WRITING_PUT);
	if (!s || store_bind_text(st, s, ":key", w->key, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":writer", w->writer, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":version", w->prompt_version,
	                    STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":reply", w->reply, STORE_REPLY_MAX) ||
	    store_bind_text(st, s, ":raw", w->raw, STORE_RAW_MAX) ||
	    store_bind_int(st, s, ":tokens_in", w->tokens_in) ||
	    store_bind_int(st, s, ":tokens_out", w->tokens_out) ||
	    store_bind_double(st, s, ":usd", w->usd) ||
	    store_bind_int(st, s, ":at", w->at))
		return -1;
	return store_run(st, s, "writing put");
}

int store_verdict_get(struct store *st, const char *text_hash,
                      const char *judge, const char *prompt_version,
                      bool *supported, char **problem)
{
	sqlite3_stmt *s;
	int rc;

	*supported = false;
	if (problem)
		*problem = NULL;
	if (!store_given(text_hash) || !store_given(judge) ||
	    !store_given(prompt_version))
		return store_failf(st, "store: a verdict needs a text hash, a "
		                       "judge and a prompt version");
	s = store_stmt(st, SQL_VERDICT_GET);
	if (!s || store_bind_text(st, s, ":hash", text_hash, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":judge", judge, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":version", prompt_version, STORE_TEXT_MAX))
		return -1;
	rc = store_row(st, s, "verdict get");
	if (rc != 1)
		return rc < 0 ? -1 : 1;
	*supported = sqlite3_column_int(s, 0) != 0;
	if (problem)
		*problem = store_column_text(s, 1);
	sqlite3_reset(s);
	return 0;
}

int store_verdict_put(struct store *st, const struct store_verdict *v)
{
	sqlite3_stmt *s;

	if (!store_given(v->text_hash) || !store_given(v->judge) ||
	    !store_given(v->prompt_version))
		return store_failf(st, "store: a verdict needs a text hash, a "
		                       "judge and a prompt version");
	if (!isfinite(v->usd))
		return store_failf(st, "store: verdict cost %g is not a number",
		                   v->usd);
	s = store_stmt(st, SQL_VERDICT_PUT);
	if (!s || store_bind_text(st, s, ":hash", v->text_hash, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":judge", v->judge, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":version", v->prompt_version,
	                    STORE_TEXT_MAX) ||
	    store_bind_int(st, s, ":supported", v->supported ? 1 : 0) ||
	    store_bind_text(st, s, ":problem", v->problem, STORE_TEXT_MAX) ||
	    store_bind_text(st, s, ":raw", v->raw, STORE_RAW_MAX) ||
	    store_bind_int(st, s, ":tokens_in", v->tokens_in) ||
	    store_bind_int(st, s, ":tokens_out", v->tokens_out) ||
	    store_bind_double(st, s, ":usd", v->usd) ||
	    store_bind_int(st, s, ":at", v->at))
		return -1;
	return store_run(st, s, "verdict put");
}
