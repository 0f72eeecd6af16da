#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/utf8.h"
#include "store/store.h"
#include "tests/check.h"
#include "tests/test_store.h"

void test_store_feeds(struct store *st)
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

	CHECK_INT(store_feed_get(st, "no-such-feed", &f), ERR_NOT_FOUND);
	CHECK(f.name == NULL);
	CHECK_INT(
	        store_feed_ensure(st, "hn", "https://hn.example/", "community"),
	        0);
	CHECK_INT(store_feed_ensure(st, "hn", NULL, NULL), 0);
	CHECK_INT(store_feed_ensure(st, "", NULL, NULL), ERR_USAGE);

	CHECK_INT(store_feed_set_weight(st, "hn", 2.5), 0);
	CHECK_INT(store_feed_set_weight(st, "no-such-feed", 2.0),
	          ERR_NOT_FOUND);
	CHECK_INT(store_feed_set_weight(st, "hn", NAN), ERR_USAGE);
	CHECK_INT(store_feed_set_weight(st, "hn", -1), ERR_USAGE);
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

void test_store_items(struct store *st)
{
	struct store_item it;
	struct store_item_row *rows = NULL;
	struct store_feed f = {0};
	struct buf big = BUF_INIT(0);
	size_t n = 0, i;
	bool is_new = false;

	it = tstore_item("lab-blog", "https://example.com/a", "First title",
	                 10000);
	it.summary = "Summary one";
	it.likes = 5;
	tstore_upsert(st, &it, &is_new);
	CHECK(is_new);
	/* again: an update; empty and NULL fields keep what is there */
	it.title = "";
	it.summary = NULL;
	it.likes = -1;
	it.points = 40;
	it.seen_at = 20000;
	tstore_upsert(st, &it, &is_new);
	CHECK(!is_new);
	it.title = "Second title";
	it.likes = 3;
	it.has_published = true;
	it.published = 9000;
	tstore_upsert(st, &it, &is_new);
	CHECK(!is_new);
	/* a later published time does not move the item */
	it.published = 50000;
	tstore_upsert(st, &it, &is_new);
	/* the same key in another feed is another item */
	it = tstore_item("hn", "https://example.com/a", "First title (HN)",
	                 11000);
	tstore_upsert(st, &it, &is_new);
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
	it = tstore_item("hn", "big", "bad \xC3 byte", 12000);
	it.summary = buf_cstr(&big);
	tstore_upsert(st, &it, &is_new);
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

	it = tstore_item("no-such-feed", "k", "t", 1);
	CHECK_INT(store_item_upsert(st, &it, &is_new), ERR_USAGE);
	CHECK(strstr(store_error(st), "no feed named no-such-feed") != NULL);
	it = tstore_item("hn", "", "t", 1);
	CHECK_INT(store_item_upsert(st, &it, &is_new), ERR_USAGE);
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

void test_store_stories(struct store *st)
{
	struct store_item it;
	struct store_story *v = NULL;
	struct store_item_row *rows = NULL;
	int64_t ids[8], bad[2], s0, s1;
	size_t of[8], n = 0, k;

	CHECK_INT(store_feed_ensure(st, "x", NULL, "tweet"), 0);
	/* a: lab-blog 100, b: hn 50 (no URL), c: lab-blog 200, d: x 300 */
	it = tstore_item("lab-blog", "s-a", "Story A from the blog", 100);
	tstore_upsert(st, &it, NULL);
	it = tstore_item("hn", "s-b", "Story A on HN", 50);
	it.canonical_url = NULL;
	tstore_upsert(st, &it, NULL);
	it = tstore_item("lab-blog", "s-c", "Story A follow-up", 200);
	tstore_upsert(st, &it, NULL);
	it = tstore_item("x", "s-d", "Story B tweet", 300);
	tstore_upsert(st, &it, NULL);
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
	CHECK_INT(store_stories_assign(st, bad, of, 2), ERR_USAGE);
	CHECK(strstr(store_error(st), "no item with id 987654") != NULL);
	of[1] = 2;
	CHECK_INT(store_stories_assign(st, ids, of, 2), ERR_USAGE);
	CHECK_INT(store_stories_window(st, 0, 1000, &v, &n), 0);
	CHECK_INT(n, 1);
	store_stories_free(v, n);
	CHECK_INT(store_stories_assign(st, ids, of, 0), 0);

	/* foreign keys: a deleted feed takes its items along */
	CHECK_INT(store_feed_delete(st, "x"), 0);
	CHECK_INT(store_feed_delete(st, "x"), ERR_NOT_FOUND);
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

static struct store_run run_of(const char *command, const char *date,
                               int64_t started)
{
	struct store_run r;

	memset(&r, 0, sizeof r);
	r.command = command;
	r.date = date;
	r.started = started;
	r.finished = started + 60;
	r.kendall_w = NAN;
	r.status = "ok";
	return r;
}

void test_store_runs(struct store *st)
{
	struct store_run r;
	struct store_run_row row;
	struct buf big = BUF_INIT(0);
	int64_t id1 = -1, id2 = -1, id3 = -1;

	memset(&row, 0x5a, sizeof row);
	CHECK_INT(store_run_latest(st, "rank", "2026-01-01", &row),
	          ERR_NOT_FOUND);
	CHECK(row.command == NULL && row.details == NULL);
	CHECK(isnan(row.kendall_w));

	r = run_of("rank", "2026-01-01", 1000);
	r.usd = 0.25;
	r.reference_usd = 1.75;
	r.requests = 12;
	r.tokens_in = 50000;
	r.tokens_out = 3000;
	r.kendall_w = 0.625;
	r.status = "degraded";
	r.details = "{\"judges\":[{\"name\":\"gpt\",\"tau\":0.5}]}";
	CHECK_INT(store_run_add(st, &r, &id1), 0);
	CHECK(id1 > 0);
	CHECK_INT(store_run_latest(st, "rank", "2026-01-01", &row), 0);
	CHECK_INT(row.id, id1);
	CHECK_STR(row.command, "rank");
	CHECK_STR(row.date, "2026-01-01");
	CHECK_STR(row.status, "degraded");
	CHECK_STR(row.details, r.details);
	CHECK_INT(row.started, 1000);
	CHECK_INT(row.finished, 1060);
	CHECK(row.usd == 0.25);
	CHECK(row.reference_usd == 1.75);
	CHECK(row.kendall_w == 0.625);
	CHECK_INT(row.requests, 12);
	CHECK_INT(row.tokens_in, 50000);
	CHECK_INT(row.tokens_out, 3000);
	store_run_clear(&row);
	CHECK(row.command == NULL && isnan(row.kendall_w));
	store_run_clear(&row);
	store_run_clear(NULL);

	/* the one recorded last wins; W not computed reads back as NAN;
	 * other commands and days are apart */
	r = run_of("rank", "2026-01-01", 900);
	CHECK_INT(store_run_add(st, &r, &id2), 0);
	CHECK(id2 > id1);
	r = run_of("run", "2026-01-01", 2000);
	CHECK_INT(store_run_add(st, &r, &id3), 0);
	r = run_of("rank", "2026-01-02", 3000);
	CHECK_INT(store_run_add(st, &r, NULL), 0);
	CHECK_INT(store_run_latest(st, "rank", "2026-01-01", &row), 0);
	CHECK_INT(row.id, id2);
	CHECK(isnan(row.kendall_w));
	CHECK(row.details == NULL);
	CHECK_STR(row.status, "ok");
	store_run_clear(&row);
	CHECK_INT(store_run_latest(st, "run", "2026-01-01", &row), 0);
	CHECK_INT(row.id, id3);
	store_run_clear(&row);
	CHECK_INT(store_run_latest(st, "run", "2026-01-02", &row),
	          ERR_NOT_FOUND);
	store_run_clear(&row);

	/* bad input is refused */
	r = run_of(NULL, "2026-01-01", 1);
	CHECK_INT(store_run_add(st, &r, &id1), ERR_USAGE);
	CHECK_INT(id1, 0);
	r = run_of("rank", "", 1);
	CHECK_INT(store_run_add(st, &r, NULL), ERR_USAGE);
	r = run_of("rank", "2026-01-01", 1);
	r.status = NULL;
	CHECK_INT(store_run_add(st, &r, NULL), ERR_USAGE);
	r = run_of("rank", "2026-01-01", 1);
	r.usd = NAN;
	CHECK_INT(store_run_add(st, &r, NULL), ERR_USAGE);
	r = run_of("rank", "2026-01-01", 1);
	r.kendall_w = INFINITY;
	CHECK_INT(store_run_add(st, &r, NULL), ERR_USAGE);
	while (big.len <= STORE_RAW_MAX)
		buf_puts(&big, "{\"judge\":\"x\"},");
	r = run_of("rank", "2026-01-01", 1);
	r.details = buf_cstr(&big);
	CHECK_INT(store_run_add(st, &r, NULL), ERR_LIMIT);
	CHECK(strstr(store_error(st), "details over") != NULL);
	buf_free(&big);
	CHECK_INT(store_run_latest(st, "rank", "2026-01-01", &row), 0);
	CHECK_INT(row.id, id2);
	store_run_clear(&row);
}

static struct store_item_row hash_item(int64_t id, const char *url,
                                       const char *title, const char *summary)
{
	struct store_item_row r;

	memset(&r, 0, sizeof r);
	r.id = id;
	r.url = (char *)url;
	r.canonical_url = (char *)url;
	r.title = (char *)title;
	r.summary = (char *)summary;
	r.likes = r.reposts = r.points = r.stars = r.comments = -1;
	r.weight = 1.0;
	return r;
}

/* Whether the hash of s is want. */
static bool hash_is(const struct store_story *s, const char *want)
{
	char *h = store_story_hash(s);
	bool ok = h && CHECK_STR(h, want);

	free(h);
	return ok;
}

static bool hash_differs(const struct store_story *s, const char *other)
{
	char *h = store_story_hash(s);
	bool ok = CHECK(h && strcmp(h, other) != 0);

	free(h);
	return ok;
}

void test_store_story_hash(void)
{
	struct store_item_row items[3], swapped[3];
	struct store_story s;
	char *base, *one;
	size_t i;

	items[0] = hash_item(1, "https://a.example/x", "A title", "A summary");
	items[1] = hash_item(2, "https://b.example/y", "B title", NULL);
	items[2] = hash_item(3, NULL, "C title", "C summary");
	items[2].url = (char *)"https://c.example/z";
	memset(&s, 0, sizeof s);
	s.id = 10;
	s.title = (char *)"A title";
	s.items = items;
	s.nitems = 3;
	base = store_story_hash(&s);
	if (!CHECK(base != NULL))
		return;
	CHECK_INT(strlen(base), 16);
	CHECK_INT(strspn(base, "0123456789abcdef"), 16);

	/* a golden value: stable across runs, hosts and releases (a change
	 * invalidates every stored judgment) */
	s.nitems = 1;
	s.items = items;
	hash_is(&s, "855319c50a9a51a1");
	s.nitems = 0;
	hash_is(&s, "121c9ceb7c7bd7d7");
	s.nitems = 3;

	/* ids, engagement, times, feeds and order do not count */
	s.id = 99;
	s.corroboration = 3;
	s.time = 12345;
	for (i = 0; i < 3; i++) {
		swapped[i] = items[2 - i];
		swapped[i].id += 100;
		swapped[i].likes = 1000;
		swapped[i].points = 7;
		swapped[i].time = 42;
		swapped[i].story_id = 5;
		swapped[i].feed_name = (char *)"another-feed";
	}
	s.items = swapped;
	hash_is(&s, base);
	/* NULL and "" hash alike */
	swapped[1].summary = (char *)"";
	hash_is(&s, base);

	/* content does count */
	swapped[1].summary = (char *)"B summary, edited";
	hash_differs(&s, base);
	swapped[1].summary = NULL;
	swapped[0].title = (char *)"C title, edited";
	hash_differs(&s, base);
	swapped[0].title = (char *)"C title";
	s.title = (char *)"B title";
	hash_differs(&s, base);
	s.title = (char *)"A title";
	s.nitems = 2;
	hash_differs(&s, base);
	s.nitems = 3;
	hash_is(&s, base);

	/* fields do not run together */
	s.nitems = 1;
	s.items = items;
	one = store_story_hash(&s);
	items[0].title = (char *)"A titleA summary";
	items[0].summary = NULL;
	if (one)
		hash_differs(&s, one);
	free(one);
	free(base);
}

/* Digests and the stories they carried (migration 3). */
void test_store_digests(void)
{
	struct buf err = BUF_INIT(0);
	struct store *st = NULL;
	struct store_digest d = {"2025-03-10", "/blog/a.md", "2025-03-10",
	                         "2025-03-10", "abc",        100};
	struct store_digest_row row;
	const char *urls[] = {"https://a.example/1", "https://a.example/2"};
	char first[16];

	CHECK_INT(store_open(":memory:", &st, &err), 0);
	if (!st)
		return;
	CHECK_INT(store_digest_get(st, "2025-03-10", &row), ERR_NOT_FOUND);
	CHECK_INT(store_digest_put(st, &d), 0);
	d.updated = "2025-03-11";
	d.first_date = "2099-01-01"; /* a re-run keeps the first date */
	d.hash = "def";
	CHECK_INT(store_digest_put(st, &d), 0);
	CHECK_INT(store_digest_get(st, "2025-03-10", &row), 0);
	CHECK_STR(row.path, "/blog/a.md");
	CHECK_STR(row.first_date, "2025-03-10");
	CHECK_STR(row.updated, "2025-03-11");
	CHECK_STR(row.hash, "def");
	store_digest_clear(&row);
	d.path = NULL;
	CHECK_INT(store_digest_put(st, &d), ERR_USAGE);

	CHECK_INT(store_published_set(st, "2025-03-10", urls, 2), 0);
	CHECK_INT(store_published_before(st, "2025-03-11", urls[0], first,
	                                 sizeof first),
	          0);
	CHECK_STR(first, "2025-03-10");
	/* the same day is not "before" itself: a re-run may carry it again */
	CHECK_INT(store_published_before(st, "2025-03-10", urls[0], first,
	                                 sizeof first),
	          ERR_NOT_FOUND);
	CHECK_INT(store_published_before(st, "2025-03-11", "https://b.example/",
	                                 first, sizeof first),
	          ERR_NOT_FOUND);
	/* a re-run of a day replaces its list */
	CHECK_INT(store_published_set(st, "2025-03-10", urls + 1, 1), 0);
	CHECK_INT(store_published_before(st, "2025-03-11", urls[0], NULL, 0),
	          ERR_NOT_FOUND);
	CHECK_INT(store_published_before(st, "2025-03-11", urls[1], NULL, 0),
	          0);
	store_close(st);
	buf_free(&err);
}

/* The feed_title of the one item of the window [0, 1000). */
static void titles_item(struct store *st, const char *want)
{
	struct store_item_row *rows = NULL;
	size_t n = 0;

	if (!CHECK_INT(store_items_window(st, 0, 1000, &rows, &n), 0))
		return;
	if (CHECK_INT(n, 1))
		CHECK_STR(rows[0].feed_title, want);
	store_item_rows_free(rows, n);
}

/* A source's names for people (migration 7): the feed's own title comes
 * with a fetch that read a body, and stays through failures, 304s and
 * fetches without one; title= from feeds.txt goes before it; the name
 * when neither is known. Items carry the result as feed_title, in
 * stories too. */
void test_store_feed_titles(void)
{
	struct store *st = tstore_open(":memory:");
	struct store_fetch_result r;
	struct store_feed f = {0};
	struct store_item it = tstore_item("lab", "k1", "Model 7B", 100);
	struct store_story *stories = NULL;
	size_t n = 0;
	int64_t id = 0;
	size_t zero = 0;
	char long_title[400];

	if (!st)
		return;
	CHECK_INT(store_feed_ensure(st, "lab", "https://lab.example/f", "blog"),
	          0);
	tstore_upsert(st, &it, NULL);
	titles_item(st, "lab"); /* nothing known: the name */

	memset(&r, 0, sizeof r);
	r.name = "lab";
	r.at = 1000;
	r.ok = true;
	r.status = 200;
	r.title = "Lab News";
	CHECK_INT(store_feed_record(st, &r), 0);
	titles_item(st, "Lab News");

	/* a failure, a 304, an empty title and none keep it */
	r.ok = false;
	r.title = "Error page";
	CHECK_INT(store_feed_record(st, &r), 0);
	r.ok = true;
	r.not_modified = true;
	r.title = "Not this";
	CHECK_INT(store_feed_record(st, &r), 0);
	r.not_modified = false;
	r.title = "";
	CHECK_INT(store_feed_record(st, &r), 0);
	r.title = NULL;
	CHECK_INT(store_feed_record(st, &r), 0);
	CHECK_INT(store_feed_get(st, "lab", &f), 0);
	CHECK_STR(f.title, "Lab News");
	CHECK(f.display_name == NULL);
	store_feed_clear(&f);

	/* title= goes first; clearing it brings the feed's own back */
	CHECK_INT(store_feed_set_display_name(st, "lab", "연구소 블로그"), 0);
	titles_item(st, "연구소 블로그");
	CHECK_INT(store_feed_get(st, "lab", &f), 0);
	CHECK_STR(f.display_name, "연구소 블로그");
	store_feed_clear(&f);
	CHECK_INT(store_feed_set_display_name(st, "lab", ""), 0);
	titles_item(st, "Lab News");
	CHECK_INT(store_feed_set_display_name(st, "lab", "Lab"), 0);
	CHECK_INT(store_feed_set_display_name(st, "lab", NULL), 0);
	titles_item(st, "Lab News");
	CHECK_INT(store_feed_set_display_name(st, "nobody", "X"),
	          ERR_NOT_FOUND);

	/* titles are cut at STORE_TITLE_MAX bytes */
	memset(long_title, 'a', sizeof long_title - 1);
	long_title[sizeof long_title - 1] = '\0';
	r.title = long_title;
	CHECK_INT(store_feed_record(st, &r), 0);
	CHECK_INT(store_feed_get(st, "lab", &f), 0);
	CHECK_INT(f.title ? strlen(f.title) : 0, STORE_TITLE_MAX);
	store_feed_clear(&f);

	/* stories read the same column */
	CHECK_INT(store_feed_set_display_name(st, "lab", "Lab"), 0);
	{
		struct store_item_row *rows = NULL;

		if (CHECK_INT(store_items_window(st, 0, 1000, &rows, &n), 0) &&
		    n == 1)
			id = rows[0].id;
		store_item_rows_free(rows, n);
	}
	CHECK_INT(store_stories_assign(st, &id, &zero, 1), 0);
	if (CHECK_INT(store_stories_window(st, 0, 1000, &stories, &n), 0) &&
	    CHECK_INT(n, 1) && CHECK_INT(stories[0].nitems, 1))
		CHECK_STR(stories[0].items[0].feed_title, "Lab");
	store_stories_free(stories, n);
	store_close(st);
}
