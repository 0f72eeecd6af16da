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
#include "common/utf8.h"
#include "store/store.h"
#include "tests/check.h"
#include "tests/tests.h"

/* A fresh database file under /tmp; path receives its name. */
static bool temp_db(char *path, size_t size)
{
	int fd;

	snprintf(path, size, "/tmp/aidigest-store-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static void remove_db(const char *path)
{
	char side[300];

	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

static struct store *open_ok(const char *path)
{
	struct buf err = BUF_INIT(0);
	struct store *st = NULL;

	if (!CHECK_INT(store_open(path, &st, &err), 0))
		fprintf(stderr, "    %s\n", buf_cstr(&err));
	buf_free(&err);
	return st;
}

/* A text pragma read through a connection of the test's own. */
static void raw_pragma(const char *path, const char *sql, struct buf *out)
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

static struct store_item item(const char *feed, const char *key,
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

static void upsert(struct store *st, const struct store_item *it, bool *is_new)
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
	          -1);
	CHECK(st == NULL);
	CHECK(strstr(buf_cstr(&err), "/nonexistent-aidigest-dir/state.db: ") ==
	      buf_cstr(&err));
	CHECK(strstr(buf_cstr(&err), "unable to open") != NULL);

	/* a folder is not a database */
	buf_reset(&err);
	CHECK_INT(store_open("/tmp", &st, &err), -1);
	CHECK(st == NULL);
	CHECK(strncmp(buf_cstr(&err), "/tmp: ", 6) == 0);

	buf_reset(&err);
	CHECK_INT(store_open("", &st, &err), -1);
	CHECK(err.len > 0);

	/* a file that is not SQLite */
	if (temp_db(path, sizeof path)) {
		FILE *fp = fopen(path, "w");

		if (fp) {
			fputs("this is not a database, just some text that is "
			      "long enough to fill a header of one hundred "
			      "bytes or so, surely\n",
			      fp);
			fclose(fp);
		}
		buf_reset(&err);
		CHECK_INT(store_open(path, &st, &err), -1);
		CHECK(strstr(buf_cstr(&err), "not a database") != NULL);
		remove_db(path);
	}

	/* a schema newer than this program */
	if (temp_db(path, sizeof path)) {
		st = open_ok(path);
		store_close(st);
		if (sqlite3_open(path, &db) == SQLITE_OK)
			sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL,
			             NULL);
		sqlite3_close(db);
		buf_reset(&err);
		CHECK_INT(store_open(path, &st, &err), -1);
		CHECK(strstr(buf_cstr(&err), "version 99 is newer") != NULL);
		remove_db(path);
	}

	/* a read-only file (root writes anyway, so only as another user) */
	if (geteuid() != 0 && temp_db(path, sizeof path)) {
		st = open_ok(path);
		store_close(st);
		chmod(path, 0444);
		buf_reset(&err);
		CHECK_INT(store_open(path, &st, &err), -1);
		CHECK(strstr(buf_cstr(&err), "read-only") != NULL ||
		      strstr(buf_cstr(&err), "readonly") != NULL);
		remove_db(path);
	}
	buf_free(&err);
}

static void test_store_feeds(struct store *st)
{
	struct store_fetch_result r;
	struct store_feed f = {0}, *list = NULL;
	size_t n = 0;

	memset(&r, 0, sizeof r);
	r.name = "lab-blog";
	r.url = "https://example.com/feed.xml";
	r.kind = "blog";
	r.at = 1000;
	r.ok = true;
	r.status = 200;
	r.etag = "\"e1\"";
	r.last_modified = "Mon, 01 Jan 2024 00:00:00 GMT";
	r.items_seen = 10;
	r.new_items = 10;
	CHECK_INT(store_feed_record(st, &r), 0);
	CHECK_INT(store_feed_get(st, "lab-blog", &f), 0);
	CHECK_STR(f.name, "lab-blog");
	CHECK_STR(f.url, "https://example.com/feed.xml");
	CHECK_STR(f.kind, "blog");
	CHECK_STR(f.etag, "\"e1\"");
	CHECK_STR(f.last_modified, "Mon, 01 Jan 2024 00:00:00 GMT");
	CHECK_INT(f.last_attempt, 1000);
	CHECK_INT(f.last_success, 1000);
	CHECK_INT(f.last_new_item, 1000);
	CHECK_INT(f.last_status, 200);
	CHECK(f.last_error == NULL);
	CHECK_INT(f.consecutive_failures, 0);
	CHECK_INT(f.last_items, 10);
	CHECK_STR(f.health, "ok");
	CHECK(f.weight == 1.0);
	store_feed_clear(&f);

	/* failures keep the validators and count up */
	memset(&r, 0, sizeof r);
	r.name = "lab-blog";
	r.at = 2000;
	r.status = 503;
	r.error = "HTTP 503";
	CHECK_INT(store_feed_record(st, &r), 0);
	r.at = 3000;
	r.status = 0;
	r.error = NULL;
	r.health = "unreachable";
	CHECK_INT(store_feed_record(st, &r), 0);
	CHECK_INT(store_feed_get(st, "lab-blog", &f), 0);
	CHECK_STR(f.url, "https://example.com/feed.xml"); /* NULL kept it */
	CHECK_STR(f.etag, "\"e1\"");
	CHECK_STR(f.last_modified, "Mon, 01 Jan 2024 00:00:00 GMT");
	CHECK_INT(f.consecutive_failures, 2);
	CHECK_STR(f.last_error, "failed");
	CHECK_STR(f.health, "unreachable");
	CHECK_INT(f.last_attempt, 3000);
	CHECK_INT(f.last_success, 1000);
	CHECK_INT(f.last_status, 0);
	CHECK_INT(f.last_items, 10);
	store_feed_clear(&f);

	/* a 304 resets the count, keeps validators and last_items */
	memset(&r, 0, sizeof r);
	r.name = "lab-blog";
	r.at = 4000;
	r.ok = true;
	r.not_modified = true;
	r.status = 304;
	CHECK_INT(store_feed_record(st, &r), 0);
	CHECK_INT(store_feed_get(st, "lab-blog", &f), 0);
	CHECK_INT(f.consecutive_failures, 0);
	CHECK(f.last_error == NULL);
	CHECK_STR(f.etag, "\"e1\"");
	CHECK_INT(f.last_items, 10);
	CHECK_INT(f.last_success, 4000);
	CHECK_INT(f.last_new_item, 1000);
	CHECK_STR(f.health, "ok");
	store_feed_clear(&f);
	/* ... and takes a new validator when one comes */
	r.etag = "\"e2\"";
	CHECK_INT(store_feed_record(st, &r), 0);
	CHECK_INT(store_feed_get(st, "lab-blog", &f), 0);
	CHECK_STR(f.etag, "\"e2\"");
	CHECK_STR(f.last_modified, "Mon, 01 Jan 2024 00:00:00 GMT");
	store_feed_clear(&f);
	/* a 200 stores exactly the validators it came with */
	r.not_modified = false;
	r.status = 200;
	r.etag = NULL;
	r.last_modified = "Tue, 02 Jan 2024 00:00:00 GMT";
	r.items_seen = 7;
	r.new_items = 2;
	r.at = 5000;
	CHECK_INT(store_feed_record(st, &r), 0);
	CHECK_INT(store_feed_get(st, "lab-blog", &f), 0);
	CHECK(f.etag == NULL);
	CHECK_STR(f.last_modified, "Tue, 02 Jan 2024 00:00:00 GMT");
	CHECK_INT(f.last_items, 7);
	CHECK_INT(f.last_new_item, 5000);
	store_feed_clear(&f);

	CHECK_INT(store_feed_get(st, "no-such-feed", &f), 1);
	CHECK(f.name == NULL);
	CHECK_INT(
	        store_feed_ensure(st, "hn", "https://hn.example/", "community"),
	        0);
	CHECK_INT(store_feed_ensure(st, "hn", NULL, NULL), 0);
	CHECK_INT(store_feed_ensure(st, "", NULL, NULL), -1);

	CHECK_INT(store_feed_set_weight(st, "hn", 2.5), 0);
	CHECK_INT(store_feed_set_weight(st, "no-such-feed", 2.0), 1);
	CHECK_INT(store_feed_set_weight(st, "hn", NAN), -1);
	CHECK_INT(store_feed_set_weight(st, "hn", -1), -1);
	CHECK(strstr(store_error(st), "out of range") != NULL);

	CHECK_INT(store_feed_list(st, &list, &n), 0);
	if (CHECK_INT(n, 2)) {
		CHECK_STR(list[0].name, "hn");
		CHECK_STR(list[0].kind, "community");
		CHECK_STR(list[0].url, "https://hn.example/");
		CHECK(list[0].weight == 2.5);
		CHECK_INT(list[0].consecutive_failures, 0);
		CHECK(list[0].health == NULL);
		CHECK_STR(list[1].name, "lab-blog");
		CHECK_STR(list[1].etag, NULL);
	}
	store_feed_list_free(list, n);
}

static void test_store_items(struct store *st)
{
	struct store_item it;
	struct store_item_row *rows = NULL;
	struct store_feed f = {0};
	struct buf big = BUF_INIT(0);
	size_t n = 0, i;
	bool is_new = false;

	it = item("lab-blog", "https://example.com/a", "First title", 10000);
	it.summary = "Summary one";
	it.likes = 5;
	upsert(st, &it, &is_new);
	CHECK(is_new);
	/* again: an update; empty and NULL fields keep what is there */
	it.title = "";
	it.summary = NULL;
	it.likes = -1;
	it.points = 40;
	it.seen_at = 20000;
	upsert(st, &it, &is_new);
	CHECK(!is_new);
	it.title = "Second title";
	it.likes = 3;
	it.has_published = true;
	it.published = 9000;
	upsert(st, &it, &is_new);
	CHECK(!is_new);
	/* a later published time does not move the item */
	it.published = 50000;
	upsert(st, &it, &is_new);
	/* the same key in another feed is another item */
	it = item("hn", "https://example.com/a", "First title (HN)", 11000);
	upsert(st, &it, &is_new);
	CHECK(is_new);

	CHECK_INT(store_items_window(st, 0, 100000, &rows, &n), 0);
	if (CHECK_INT(n, 2)) {
		CHECK_STR(rows[0].feed_name, "lab-blog");
		CHECK_STR(rows[0].kind, "blog");
		CHECK_STR(rows[0].title, "Second title");
		CHECK_STR(rows[0].summary, "Summary one");
		CHECK_INT(rows[0].first_seen, 10000);
		CHECK_INT(rows[0].published, 9000);
		CHECK_INT(rows[0].time, 9000);
		CHECK_INT(rows[0].likes, 3);
		CHECK_INT(rows[0].points, 40);
		CHECK_INT(rows[0].stars, -1);
		CHECK(rows[0].weight == 1.0);
		CHECK_INT(rows[0].story_id, 0);
		CHECK_STR(rows[1].feed_name, "hn");
		CHECK_INT(rows[1].published, 0);
		CHECK_INT(rows[1].time, 11000);
		CHECK(rows[1].weight == 2.5);
		CHECK(rows[1].guid == NULL);
	}
	store_item_rows_free(rows, n);

	/* windows are [from, to) */
	CHECK_INT(store_items_window(st, 9000, 11000, &rows, &n), 0);
	CHECK_INT(n, 1);
	store_item_rows_free(rows, n);
	CHECK_INT(store_items_window(st, 9001, 11001, &rows, &n), 0);
	if (CHECK_INT(n, 1))
		CHECK_STR(rows[0].feed_name, "hn");
	store_item_rows_free(rows, n);
	CHECK_INT(store_items_window(st, 20000, 30000, &rows, &n), 0);
	CHECK_INT(n, 0);
	CHECK(rows == NULL);

	CHECK_INT(store_feed_get(st, "lab-blog", &f), 0);
	CHECK_INT(f.items_total, 1);
	store_feed_clear(&f);

	/* a summary past the cap is cut on a character boundary; invalid
	 * UTF-8 is repaired */
	for (i = 0; i < 40000; i++)
		buf_puts(&big, "\xED\x95\x9C"); /* 한, 3 bytes */
	it = item("hn", "big", "bad \xC3 byte", 12000);
	it.summary = buf_cstr(&big);
	upsert(st, &it, &is_new);
	CHECK_INT(store_items_window(st, 12000, 12001, &rows, &n), 0);
	if (CHECK_INT(n, 1)) {
		size_t len = strlen(rows[0].summary);

		CHECK(len <= STORE_SUMMARY_MAX);
		CHECK(len > STORE_SUMMARY_MAX - 4);
		CHECK_INT(len % 3, 0);
		CHECK_INT(utf8_valid_prefix(rows[0].summary, len), len);
		CHECK_STR(rows[0].title, "bad \xEF\xBF\xBD byte");
	}
	store_item_rows_free(rows, n);
	buf_free(&big);

	it = item("no-such-feed", "k", "t", 1);
	CHECK_INT(store_item_upsert(st, &it, &is_new), -1);
	CHECK(strstr(store_error(st), "no feed named no-such-feed") != NULL);
	it = item("hn", "", "t", 1);
	CHECK_INT(store_item_upsert(st, &it, &is_new), -1);
}

/* Item ids of the window [from, to), in window order, into ids. */
static size_t window_ids(struct store *st, int64_t from, int64_t to,
                         int64_t *ids, size_t max)
{
	struct store_item_row *rows = NULL;
	size_t n = 0, i;

	if (store_items_window(st, from, to, &rows, &n))
		return 0;
	for (i = 0; i < n && i < max; i++)
		ids[i] = rows[i].id;
	store_item_rows_free(rows, n);
	return n < max ? n : max;
}

static void test_store_stories(struct store *st)
{
	struct store_item it;
	struct store_story *v = NULL;
	struct store_item_row *rows = NULL;
	int64_t ids[8], bad[2], s0, s1;
	size_t of[8], n = 0, k;

	CHECK_INT(store_feed_ensure(st, "x", NULL, "tweet"), 0);
	/* a: lab-blog 100, b: hn 50 (no URL), c: lab-blog 200, d: x 300 */
	it = item("lab-blog", "s-a", "Story A from the blog", 100);
	upsert(st, &it, NULL);
	it = item("hn", "s-b", "Story A on HN", 50);
	it.canonical_url = NULL;
	upsert(st, &it, NULL);
	it = item("lab-blog", "s-c", "Story A follow-up", 200);
	upsert(st, &it, NULL);
	it = item("x", "s-d", "Story B tweet", 300);
	upsert(st, &it, NULL);
	k = window_ids(st, 0, 1000, ids, 8);
	if (!CHECK_INT(k, 4))
		return;
	/* window order: b (50), a (100), c (200), d (300) */
	of[0] = 0;
	of[1] = 0;
	of[2] = 0;
	of[3] = 1;
	CHECK_INT(store_stories_assign(st, ids, of, 4), 0);
	CHECK_INT(store_stories_window(st, 0, 1000, &v, &n), 0);
	if (!CHECK_INT(n, 2))
		goto out;
	CHECK_STR(v[0].title, "Story A on HN");
	CHECK_STR(v[0].canonical_url, "s-a"); /* b has none */
	CHECK_INT(v[0].time, 50);
	CHECK_INT(v[0].corroboration, 2);
	CHECK_INT(v[0].nitems, 3);
	CHECK_INT(v[0].items[0].time, 50);
	CHECK_INT(v[0].items[2].time, 200);
	CHECK_INT(v[0].items[0].story_id, v[0].id);
	CHECK_STR(v[1].title, "Story B tweet");
	CHECK_STR(v[1].items[0].kind, "tweet");
	CHECK_INT(v[1].corroboration, 1);
	s0 = v[0].id;
	s1 = v[1].id;
	store_stories_free(v, n);

	/* a story with an item in the window comes with all its items */
	CHECK_INT(store_stories_window(st, 150, 250, &v, &n), 0);
	if (CHECK_INT(n, 1))
		CHECK_INT(v[0].nitems, 3);
	store_stories_free(v, n);

	/* split: ids are reused first come, first served */
	of[0] = 0;
	of[1] = 1;
	of[2] = 1;
	of[3] = 1;
	CHECK_INT(store_stories_assign(st, ids, of, 4), 0);
	CHECK_INT(store_stories_window(st, 0, 1000, &v, &n), 0);
	if (CHECK_INT(n, 2)) {
		CHECK_INT(v[0].id, s0);
		CHECK_INT(v[0].nitems, 1);
		CHECK_INT(v[0].corroboration, 1);
		CHECK_INT(v[1].id, s1);
		CHECK_INT(v[1].time, 100);
		CHECK_STR(v[1].title, "Story A from the blog");
		CHECK_INT(v[1].corroboration, 2);
		CHECK_INT(v[1].nitems, 3);
	}
	store_stories_free(v, n);

	/* merge all: one story is left, the other is deleted */
	memset(of, 0, sizeof of);
	of[0] = 3; /* indexes need not be dense */
	of[1] = 3;
	of[2] = 3;
	of[3] = 3;
	CHECK_INT(store_stories_assign(st, ids, of, 4), 0);
	CHECK_INT(store_stories_window(st, 0, 1000, &v, &n), 0);
	if (CHECK_INT(n, 1)) {
		CHECK_INT(v[0].id, s0);
		CHECK_INT(v[0].corroboration, 3);
		CHECK_INT(v[0].nitems, 4);
	}
	store_stories_free(v, n);

	/* errors change nothing */
	bad[0] = ids[0];
	bad[1] = 987654;
	of[0] = 0;
	of[1] = 1;
	CHECK_INT(store_stories_assign(st, bad, of, 2), -1);
	CHECK(strstr(store_error(st), "no item with id 987654") != NULL);
	of[1] = 2;
	CHECK_INT(store_stories_assign(st, ids, of, 2), -1);
	CHECK_INT(store_stories_window(st, 0, 1000, &v, &n), 0);
	CHECK_INT(n, 1);
	store_stories_free(v, n);
	CHECK_INT(store_stories_assign(st, ids, of, 0), 0);

	/* foreign keys: a deleted feed takes its items along */
	CHECK_INT(store_feed_delete(st, "x"), 0);
	CHECK_INT(store_feed_delete(st, "x"), 1);
	CHECK_INT(store_items_window(st, 0, 1000, &rows, &n), 0);
	CHECK_INT(n, 3);
	store_item_rows_free(rows, n);
	CHECK_INT(store_stories_window(st, 0, 1000, &v, &n), 0);
	if (CHECK_INT(n, 1))
		CHECK_INT(v[0].nitems, 3);
	store_stories_free(v, n);
	return;
out:
	store_stories_free(v, n);
}

static void test_store_memory(void)
{
	struct store *st = open_ok(":memory:");

	if (!st)
		return;
	CHECK_INT(store_schema_version(st), 1);
	CHECK_STR(store_error(st), "");
	test_store_feeds(st);
	test_store_items(st);
	test_store_stories(st);

	/* transactions */
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_feed_ensure(st, "rolled-back", NULL, NULL), 0);
	CHECK_INT(store_rollback(st), 0);
	CHECK_INT(store_begin(st), 0);
	CHECK_INT(store_feed_ensure(st, "kept", NULL, NULL), 0);
	CHECK_INT(store_commit(st), 0);
	{
		struct store_feed f = {0};

		CHECK_INT(store_feed_get(st, "rolled-back", &f), 1);
		CHECK_INT(store_feed_get(st, "kept", &f), 0);
		store_feed_clear(&f);
	}
	CHECK_INT(store_commit(st), -1);
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

	if (!CHECK(temp_db(path, sizeof path)))
		return;
	a = open_ok(path);
	if (!a)
		goto out;
	CHECK_INT(store_schema_version(a), 1);
	raw_pragma(path, "PRAGMA journal_mode", &mode);
	CHECK_STR(buf_cstr(&mode), "wal");
	raw_pragma(path, "PRAGMA user_version", &mode);
	CHECK_STR(buf_cstr(&mode), "1");
	CHECK_INT(
	        store_feed_ensure(a, "persisted", "https://p.example/", "blog"),
	        0);
	it = item("persisted", "k1", "A title", 100);
	upsert(a, &it, NULL);
	store_close(a);

	/* reopening migrates nothing and keeps the data */
	a = open_ok(path);
	if (!a)
		goto out;
	CHECK_INT(store_schema_version(a), 1);
	CHECK_INT(store_feed_get(a, "persisted", &f), 0);
	CHECK_INT(f.items_total, 1);
	store_feed_clear(&f);

	/* two handles: b reads while a writes, and waits for a's commit
	 * (busy timeout) instead of failing */
	b = open_ok(path);
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
	remove_db(path);
}

void test_store(void)
{
	test_store_open_errors();
	test_store_memory();
	test_store_file();
}
