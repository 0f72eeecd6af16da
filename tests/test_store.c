#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/err.h"
#include "store/store.h"
#include "tests/check.h"
#include "tests/test_store.h"
#include "tests/tests.h"

bool tstore_temp_db(char *path, size_t size)
{
	int fd;

	snprintf(path, size, "/tmp/aidigest-store-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

void tstore_remove_db(const char *path)
{
	char side[300];

	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

struct store *tstore_open(const char *path)
{
	struct buf err = BUF_INIT(0);
	struct store *st = NULL;

	if (!CHECK_INT(store_open(path, &st, &err), 0))
		fprintf(stderr, "    %s\n", buf_cstr(&err));
	buf_free(&err);
	return st;
}

void tstore_raw_pragma(const char *path, const char *sql, struct buf *out)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;

	buf_reset(out);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) ==
	            SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		buf_puts(out, (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

int tstore_version(struct store *st)
{
	int v = -1;

	return store_schema_version(st, &v) == 0 ? v : -1;
}

struct store_item tstore_item(const char *feed, const char *key,
                              const char *title, int64_t seen)
{
	struct store_item it;

	memset(&it, 0, sizeof it);
	it.feed_name = feed;
	it.key = key;
	it.title = title;
	it.url = key;
	it.canonical_url = key;
	it.seen_at = seen;
	it.likes = it.reposts = it.points = it.stars = it.comments = -1;
	return it;
}

void tstore_upsert(struct store *st, const struct store_item *it, bool *is_new)
{
	bool dummy;

	if (!CHECK_INT(store_item_upsert(st, it, is_new ? is_new : &dummy), 0))
		fprintf(stderr, "    %s\n", store_error(st));
}

static void test_store_open_errors(void)
{
	struct buf err = BUF_INIT(0);
	struct store *st = (struct store *)&err;
	char path[64];
	sqlite3 *db = NULL;

	CHECK_INT(store_open("/nonexistent-aidigest-dir/state.db", &st, &err),
	          ERR_DB);
	CHECK(st == NULL);
	CHECK(strstr(buf_cstr(&err), "/nonexistent-aidigest-dir/state.db: ") ==
	      buf_cstr(&err));
	CHECK(strstr(buf_cstr(&err), "unable to open") != NULL);

	/* a folder is not a database */
	buf_reset(&err);
	CHECK_INT(store_open("/tmp", &st, &err), ERR_DB);
	CHECK(st == NULL);
	CHECK(strncmp(buf_cstr(&err), "/tmp: ", 6) == 0);

	buf_reset(&err);
	CHECK_INT(store_open("", &st, &err), ERR_USAGE);
	CHECK(err.len > 0);

	/* a file that is not SQLite */
	if (tstore_temp_db(path, sizeof path)) {
		FILE *fp = fopen(path, "w");

		if (fp) {
			fputs("this is not a database, just some text that is "
			      "long enough to fill a header of one hundred "
			      "bytes or so, surely\n",
			      fp);
			fclose(fp);
		}
		buf_reset(&err);
		CHECK_INT(store_open(path, &st, &err), ERR_DB);
		CHECK(strstr(buf_cstr(&err), "not a database") != NULL);
		tstore_remove_db(path);
	}

	/* a schema newer than this program */
	if (tstore_temp_db(path, sizeof path)) {
		st = tstore_open(path);
		store_close(st);
		if (sqlite3_open(path, &db) == SQLITE_OK)
			sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL,
			             NULL);
		sqlite3_close(db);
		buf_reset(&err);
		CHECK_INT(store_open(path, &st, &err), ERR_DB);
		CHECK(strstr(buf_cstr(&err), "version 99 is newer") != NULL);
		tstore_remove_db(path);
	}

	/* a read-only file (root writes anyway, so only as another user) */
	if (geteuid() != 0 && tstore_temp_db(path, sizeof path)) {
		st = tstore_open(path);
		store_close(st);
		chmod(path, 0444);
		buf_reset(&err);
		CHECK_INT(store_open(path, &st, &err), ERR_DB);
		CHECK(strstr(buf_cstr(&err), "read-only") != NULL ||
		      strstr(buf_cstr(&err), "readonly") != NULL);
		tstore_remove_db(path);
	}
	buf_free(&err);
}

static void test_store_memory(void)
{
	struct store *st = tstore_open(":memory:");

	if (!st)
		return;
	CHECK_INT(tstore_version(st), 10);
	CHECK_STR(store_error(st), "");
	test_store_feeds(st);
	test_store_items(st);
	test_store_stories(st);
	test_store_judgments(st);
	test_store_runs(st);

	/* transactions */
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_feed_ensure(st, "rolled-back", NULL, NULL), 0);
	CHECK_INT(store_rollback(st), 0);
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_feed_ensure(st, "kept", NULL, NULL), 0);
	CHECK_INT(store_commit(st), 0);
	{
		struct store_feed f = {0};

		CHECK_INT(store_feed_get(st, "rolled-back", &f), ERR_NOT_FOUND);
		CHECK_INT(store_feed_get(st, "kept", &f), 0);
		store_feed_clear(&f);
	}
	CHECK_INT(store_commit(st), ERR_DB);
	CHECK(strstr(store_error(st), "no transaction") != NULL);
	store_close(st);
	store_close(NULL);
}

struct committer {
	struct store *st;
	int rc;
};

static void *commit_later(void *arg)
{
	struct committer *c = arg;
	struct timespec ts = {0, 300 * 1000 * 1000};

	nanosleep(&ts, NULL);
	c->rc = store_commit(c->st);
	return NULL;
}

static void test_store_file(void)
{
	char path[64];
	struct buf mode = BUF_INIT(0);
	struct store *a, *b;
	struct store_feed f = {0}, *list = NULL;
	struct store_item it;
	struct committer c;
	pthread_t th;
	size_t n = 0;

	if (!CHECK(tstore_temp_db(path, sizeof path)))
		return;
	a = tstore_open(path);
	if (!a)
		goto out;
	CHECK_INT(tstore_version(a), 10);
	tstore_raw_pragma(path, "PRAGMA journal_mode", &mode);
	CHECK_STR(buf_cstr(&mode), "wal");
	tstore_raw_pragma(path, "PRAGMA user_version", &mode);
	CHECK_STR(buf_cstr(&mode), "10");
	CHECK_INT(
	        store_feed_ensure(a, "persisted", "https://p.example/", "blog"),
	        0);
	it = tstore_item("persisted", "k1", "A title", 100);
	tstore_upsert(a, &it, NULL);
	store_close(a);

	/* reopening migrates nothing and keeps the data */
	a = tstore_open(path);
	if (!a)
		goto out;
	CHECK_INT(tstore_version(a), 10);
	CHECK_INT(store_feed_get(a, "persisted", &f), 0);
	CHECK_INT(f.items_total, 1);
	store_feed_clear(&f);

	/* two handles: b reads while a writes, and waits for a's commit
	 * (busy timeout) instead of failing */
	b = tstore_open(path);
	if (!b) {
		store_close(a);
		goto out;
	}
	CHECK_INT(store_begin(a), 0);
	CHECK_INT(store_feed_ensure(a, "from-a", NULL, NULL), 0);
	CHECK_INT(store_feed_list(b, &list, &n), 0);
	CHECK_INT(n, 1); /* a's write is not visible yet */
	store_feed_list_free(list, n);
	c.st = a;
	c.rc = -1;
	if (CHECK_INT(pthread_create(&th, NULL, commit_later, &c), 0)) {
		CHECK_INT(store_feed_ensure(b, "from-b", NULL, NULL), 0);
		pthread_join(th, NULL);
		CHECK_INT(c.rc, 0);
	}
	CHECK_INT(store_feed_get(b, "from-a", &f), 0);
	store_feed_clear(&f);
	CHECK_INT(store_feed_get(a, "from-b", &f), 0);
	store_feed_clear(&f);
	store_close(b);
	store_close(a);
out:
	buf_free(&mode);
	tstore_remove_db(path);
}

/* A database at version 1 (the v2 tables dropped, the version set back)
 * is migrated again at open, and keeps its data. */
static void test_store_migrate(void)
{
	char path[64];
	struct buf out = BUF_INIT(0);
	struct store *st;
	struct store_judgment j;
	struct store_judgment_row row;
	struct store_feed f = {0};
	sqlite3 *db = NULL;

	if (!CHECK(tstore_temp_db(path, sizeof path)))
		return;
	st = tstore_open(path);
	if (!st)
		goto out;
	CHECK_INT(store_feed_ensure(st, "old-feed", "https://o.example/", NULL),
	          0);
	j = tstore_judgment("00000000000000cc", "gpt", "v1", 6);
	CHECK_INT(store_judgment_put(st, &j), 0);
	store_close(st);

	if (!CHECK_INT(sqlite3_open(path, &db), SQLITE_OK))
		goto out;
	CHECK_INT(
	        sqlite3_exec(db,
	                     "DROP TABLE judgments; DROP TABLE runs; DROP "
	                     "TABLE digests;"
	                     " DROP TABLE published; DROP TABLE writings;"
	                     " DROP TABLE verdicts;"
	                     " ALTER TABLE stories ADD COLUMN simhash INTEGER;"
	                     " ALTER TABLE feeds DROP COLUMN title;"
	                     " ALTER TABLE feeds DROP COLUMN display_name;"
	                     " DROP TABLE picks;"
	                     " DROP TABLE jury_scores; DROP TABLE jury_stories;"
	                     " DROP TABLE jury_judges; DROP TABLE jury_days;"
	                     " PRAGMA user_version = 1;",
	                     NULL, NULL, NULL),
	        SQLITE_OK);
	sqlite3_close(db);
	tstore_raw_pragma(path, "PRAGMA user_version", &out);
	CHECK_STR(buf_cstr(&out), "1");

	st = tstore_open(path);
	if (!st)
		goto out;
	CHECK_INT(tstore_version(st), 10);
	CHECK_INT(store_feed_get(st, "old-feed", &f), 0);
	store_feed_clear(&f);
	CHECK_INT(store_judgment_get(st, "00000000000000cc", "gpt", "v1", &row),
	          ERR_NOT_FOUND);
	CHECK_INT(store_judgment_put(st, &j), 0);
	CHECK_INT(store_judgment_get(st, "00000000000000cc", "gpt", "v1", &row),
	          0);
	store_judgment_clear(&row);
	store_close(st);
	tstore_raw_pragma(
	        path,
	        "SELECT count(*) FROM sqlite_master WHERE name IN"
	        " ('judgments', 'runs', 'runs_command_date', 'digests',"
	        " 'published', 'writings', 'verdicts', 'jury_days',"
	        " 'jury_judges', 'jury_stories', 'jury_scores')",
	        &out);
	CHECK_STR(buf_cstr(&out), "11");
	tstore_raw_pragma(path,
	                  "SELECT count(*) FROM pragma_table_info('stories')"
	                  " WHERE name = 'simhash'",
	                  &out);
	CHECK_STR(buf_cstr(&out), "0");
	/* migration 7 gave feeds their titles back, empty */
	tstore_raw_pragma(path,
	                  "SELECT count(*) FROM pragma_table_info('feeds')"
	                  " WHERE name IN ('title', 'display_name')",
	                  &out);
	CHECK_STR(buf_cstr(&out), "2");
	tstore_raw_pragma(path,
	                  "SELECT coalesce(title, display_name, 'none') FROM"
	                  " feeds WHERE name = 'old-feed'",
	                  &out);
	CHECK_STR(buf_cstr(&out), "none");
out:
	buf_free(&out);
	tstore_remove_db(path);
}

/* A database that fails under the store gives ERR_DB with SQLite's
 * message: writes it refuses (triggers of the test's own stand for a
 * read-only file, which root would write anyway) and tables gone, for
 * lookups too (a failed lookup is not ERR_NOT_FOUND). */
static void test_store_db_errors(void)
{
	static const char *const tables[] = {"feeds", "items", "judgments",
	                                     "runs", "published"};
	const char *urls[] = {"https://a.example/1"};
	char path[64];
	struct buf sql = BUF_INIT(0);
	struct store *st;
	struct store_feed f = {0};
	struct store_fetch_result r;
	struct store_item it = tstore_item("kept", "k", "t", 1);
	struct store_judgment j =
	        tstore_judgment("00000000000000dd", "gpt", "v1", 5);
	struct store_judgment_row row;
	struct store_digest d = {"2025-03-10", "/blog/a.md", "2025-03-10",
	                         "2025-03-10", "abc",        100};
	struct store_digest_row drow;
	struct store_verdict v = {
	        "00000000000000dd", "gpt", "v1", true, NULL, NULL, 0, 0, 0, 0};
	struct store_run run;
	sqlite3 *db = NULL;
	int64_t id = -1;
	bool ok = true, is_new = true;
	size_t i;

	if (!CHECK(tstore_temp_db(path, sizeof path)))
		return;
	st = tstore_open(path);
	if (!st)
		goto out;
	CHECK_INT(store_feed_ensure(st, "kept", NULL, NULL), 0);
	for (i = 0; i < sizeof tables / sizeof tables[0]; i++)
		buf_printf(&sql,
		           "CREATE TRIGGER no_insert_%s BEFORE INSERT ON %s"
		           " BEGIN SELECT RAISE(ABORT, 'refused'); END;"
		           "CREATE TRIGGER no_update_%s BEFORE UPDATE ON %s"
		           " BEGIN SELECT RAISE(ABORT, 'refused'); END;",
		           tables[i], tables[i], tables[i], tables[i]);
	buf_puts(&sql, "DROP TABLE digests; DROP TABLE verdicts;");
	if (CHECK_INT(sqlite3_open(path, &db), SQLITE_OK))
		CHECK_INT(sqlite3_exec(db, buf_cstr(&sql), NULL, NULL, NULL),
		          SQLITE_OK);
	sqlite3_close(db);

	CHECK_INT(store_feed_ensure(st, "new-feed", NULL, NULL), ERR_DB);
	CHECK(strstr(store_error(st), "refused") != NULL);
	memset(&r, 0, sizeof r);
	r.name = "kept";
	r.ok = true;
	CHECK_INT(store_feed_record(st, &r), ERR_DB);
	CHECK(strstr(store_error(st), "refused") != NULL);
	/* its own transaction was rolled back, not left open */
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_rollback(st), 0);
	CHECK_INT(store_feed_set_weight(st, "kept", 2), ERR_DB);
	CHECK_INT(store_item_upsert(st, &it, &is_new), ERR_DB);
	CHECK(!is_new);
	CHECK_INT(store_judgment_put(st, &j), ERR_DB);
	CHECK(strstr(store_error(st), "judgment put: refused") != NULL);
	run = (struct store_run){"rank", "2026-01-01", 1,    2,   0, 0, 0, 0,
	                         0,      NAN,          "ok", NULL};
	CHECK_INT(store_run_add(st, &run, &id), ERR_DB);
	CHECK_INT(id, 0);
	CHECK_INT(store_published_set(st, "2025-03-10", urls, 1), ERR_DB);
	CHECK_INT(store_digest_put(st, &d), ERR_DB);
	CHECK(strstr(store_error(st), "no such table") != NULL);
	CHECK_INT(store_digest_get(st, "2025-03-10", &drow), ERR_DB);
	CHECK_INT(store_verdict_put(st, &v), ERR_DB);
	CHECK_INT(store_verdict_get(st, v.text_hash, "gpt", "v1", &ok, NULL),
	          ERR_DB);
	CHECK(!ok);
	CHECK(strstr(store_error(st), "no such table: verdicts") != NULL);

	/* reads of what is there still work */
	CHECK_INT(store_judgment_get(st, j.story_hash, "gpt", "v1", &row),
	          ERR_NOT_FOUND);
	CHECK_INT(store_published_before(st, "2025-03-11", urls[0], NULL, 0),
	          ERR_NOT_FOUND);
	CHECK_INT(store_feed_get(st, "kept", &f), 0);
	CHECK(f.weight == 1.0);
	store_feed_clear(&f);
	CHECK_INT(store_feed_get(st, "new-feed", &f), ERR_NOT_FOUND);
	CHECK(strstr(store_error(st), "no feed named new-feed") != NULL);
	store_close(st);
out:
	buf_free(&sql);
	tstore_remove_db(path);
}

void test_store(void)
{
	test_store_verdicts();
	test_store_writings();
	test_store_digests();
	test_store_picks();
	test_store_jury();
	test_store_feed_titles();
	test_store_open_errors();
	test_store_memory();
	test_store_file();
	test_store_migrate();
	test_store_story_hash();
	test_store_cache_shared();
	test_store_db_errors();
}
