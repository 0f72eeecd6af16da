#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "common/xalloc.h"
#include "store/store_impl.h"

#define STORE_BUSY_TIMEOUT_MS 5000
#define STORE_ERROR_MAX 1024
/* a name quoted in a message is cut here */
#define STORE_NAME_QUOTE_MAX 200

/* Set once per connection at open, before anything reads the file. */
static const char *const store_pragmas[] = {
        "PRAGMA foreign_keys = ON",
        "PRAGMA synchronous = NORMAL",
};

static const struct store_sql sql_begin = {STORE_SQL_BEGIN, "BEGIN IMMEDIATE"};
static const struct store_sql sql_commit = {STORE_SQL_COMMIT, "COMMIT"};
static const struct store_sql sql_rollback = {STORE_SQL_ROLLBACK, "ROLLBACK"};
static const struct store_sql sql_user_version = {STORE_SQL_USER_VERSION,
                                                  "PRAGMA user_version"};

int store_fail(struct store *st, const char *what)
{
	buf_reset(&st->err);
	buf_printf(&st->err, "%s: %s", what, sqlite3_errmsg(st->db));
	return ERR_DB;
}

int store_failf(struct store *st, int code, const char *fmt, ...)
{
	va_list ap;

	buf_reset(&st->err);
	va_start(ap, fmt);
	buf_vprintf(&st->err, fmt, ap);
	va_end(ap);
	return code;
}

int store_fail_named(struct store *st, int code, const char *what,
                     const char *name)
{
	buf_reset(&st->err);
	buf_printf(&st->err, "store: %s ", what);
	utf8_append_cut(&st->err, name ? name : "", STORE_NAME_QUOTE_MAX);
	return code;
}

/* The cached statement q, reset and with no bindings; NULL (and the error
 * recorded) when it cannot be prepared. */
static sqlite3_stmt *store_stmt(struct store *st, const struct store_sql *q)
{
	sqlite3_stmt *s = st->stmt[q->id];

	if (s) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return s;
	}
	if (sqlite3_prepare_v3(st->db, q->text, -1, SQLITE_PREPARE_PERSISTENT,
	                       &s, NULL) != SQLITE_OK) {
		store_fail(st, "prepare");
		sqlite3_finalize(s);
		return NULL;
	}
	st->stmt[q->id] = s;
	return s;
}

void store_call_start(struct store_call *c, struct store *st,
                      const struct store_sql *q)
{
	c->st = st;
	c->s = store_stmt(st, q);
	c->err = c->s ? 0 : ERR_DB;
}

/* The index of parameter name, or 0 when the call has already failed or
 * the statement has no such parameter (a defect of the store: recorded). */
static int store_param(struct store_call *c, const char *name)
{
	int i;

	if (c->err)
		return 0;
	i = sqlite3_bind_parameter_index(c->s, name);
	if (i == 0)
		c->err = store_failf(c->st, ERR_DB,
		                     "store: no parameter %s in: %s", name,
		                     sqlite3_sql(c->s));
	return i;
}

static void store_bind_check(struct store_call *c, int rc)
{
	if (rc != SQLITE_OK)
		c->err = store_fail(c->st, "bind");
}

void store_bind_text(struct store_call *c, const char *name, const char *v,
                     size_t max)
{
	struct buf clean = BUF_INIT(0);
	size_t n;
	int i = store_param(c, name);

	if (i == 0)
		return;
	if (!v) {
		store_bind_check(c, sqlite3_bind_null(c->s, i));
	} else if ((n = strnlen(v, max + 1)) <= max &&
	           utf8_valid_prefix(v, n) == n) {
		store_bind_check(c, sqlite3_bind_text(c->s, i, v, (int)n,
		                                      SQLITE_STATIC));
	} else {
		utf8_append_cut(&clean, v, max);
		store_bind_check(c, sqlite3_bind_text(c->s, i, buf_cstr(&clean),
		                                      (int)clean.len,
		                                      SQLITE_TRANSIENT));
		buf_free(&clean);
	}
}

void store_bind_int(struct store_call *c, const char *name, int64_t v)
{
	int i = store_param(c, name);

	if (i != 0)
		store_bind_check(c, sqlite3_bind_int64(c->s, i, v));
}

void store_bind_double(struct store_call *c, const char *name, double v)
{
	int i = store_param(c, name);

	if (i != 0)
		store_bind_check(c, sqlite3_bind_double(c->s, i, v));
}

void store_bind_null(struct store_call *c, const char *name)
{
	int i = store_param(c, name);

	if (i != 0)
		store_bind_check(c, sqlite3_bind_null(c->s, i));
}

int store_call_exec(struct store_call *c, const char *what)
{
	int rc;

	if (c->err)
		return c->err;
	rc = sqlite3_step(c->s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		c->err = store_fail(c->st, what);
	sqlite3_reset(c->s);
	return c->err;
}

int store_call_row(struct store_call *c, const char *what)
{
	int rc;

	if (c->err)
		return c->err;
	rc = sqlite3_step(c->s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		c->err = store_fail(c->st, what);
	sqlite3_reset(c->s);
	return c->err ? c->err : ERR_NOT_FOUND;
}

void store_call_end(struct store_call *c)
{
	if (c->s)
		sqlite3_reset(c->s);
}

char *store_column_text(sqlite3_stmt *s, int col)
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
	int rc, err = ERR_DB;

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
	err = 0;
out:
	sqlite3_finalize(s);
	return err;
}

int store_exec(struct store *st, const char *sql, const char *what)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, what);
	return 0;
}

/* Connection settings: busy timeout first (the rest may wait for a lock),
 * WAL for files, then the per-connection pragmas. */
static int store_configure(struct store *st, bool memory)
{
	struct buf mode = BUF_INIT(64);
	size_t i;
	int err = ERR_DB;

	if (sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS) != SQLITE_OK) {
		store_fail(st, "busy timeout");
		goto out;
	}
	if (sqlite3_db_readonly(st->db, "main") == 1) {
		store_failf(st, ERR_DB, "the database is read-only");
		goto out;
	}
	if (!memory) {
		if (store_query_text(st, "PRAGMA journal_mode = WAL", &mode))
			goto out;
		if (strcmp(buf_cstr(&mode), "wal") != 0) {
			store_failf(st, ERR_DB,
			            "cannot use WAL mode (journal mode %s)",
			            buf_cstr(&mode));
			goto out;
		}
	}
	for (i = 0; i < sizeof store_pragmas / sizeof store_pragmas[0]; i++)
		if (store_exec(st, store_pragmas[i], "exec"))
			goto out;
	if (store_query_text(st, "PRAGMA foreign_keys", &mode))
		goto out;
	if (strcmp(buf_cstr(&mode), "1") != 0) {
		store_failf(st, ERR_DB,
		            "this SQLite does not enforce foreign keys");
		goto out;
	}
	err = 0;
out:
	buf_free(&mode);
	return err;
}

int store_open(const char *path, struct store **out, struct buf *err)
{
	struct store *st;
	int rc, ret = ERR_DB;

	*out = NULL;
	if (!path || !*path) {
		buf_puts(err, "store: no database path");
		return ERR_USAGE;
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
	ret = store_configure(st, strcmp(path, ":memory:") == 0);
	if (!ret)
		ret = store_migrate(st);
	if (ret)
		goto out;
	*out = st;
	st = NULL;
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
	for (i = 0; i < STORE_SQL_COUNT; i++)
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

int store_schema_version(struct store *st, int *version)
{
	struct store_call c;
	int err;

	*version = 0;
	store_call_start(&c, st, &sql_user_version);
	err = store_call_row(&c, "user_version");
	if (err == ERR_NOT_FOUND)
		err = store_failf(st, ERR_DB, "user_version: no row");
	if (err)
		return err;
	*version = sqlite3_column_int(c.s, 0);
	store_call_end(&c);
	return 0;
}

/* A statement of no parameters, run. */
static int store_exec_sql(struct store *st, const struct store_sql *q,
                          const char *what)
{
	struct store_call c;

	store_call_start(&c, st, q);
	return store_call_exec(&c, what);
}

int store_begin(struct store *st)
{
	return store_exec_sql(st, &sql_begin, "begin");
}

int store_commit(struct store *st)
{
	return store_exec_sql(st, &sql_commit, "commit");
}

int store_rollback(struct store *st)
{
	/* after a full disk or an I/O error SQLite may have ended the
	 * transaction itself: then there is nothing left to undo */
	if (sqlite3_get_autocommit(st->db))
		return 0;
	return store_exec_sql(st, &sql_rollback, "rollback");
}

int store_own_begin(struct store *st, bool *own)
{
	*own = sqlite3_get_autocommit(st->db) != 0;
	return *own ? store_begin(st) : 0;
}

int store_own_end(struct store *st, bool own, int err)
{
	if (!own)
		return err;
	if (!err)
		return store_commit(st);
	/* keep the first error's message */
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return err;
}
