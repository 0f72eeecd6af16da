#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "store/store_impl.h"

static const struct store_sql sql_feed_id = {
        STORE_SQL_FEED_ID, "SELECT id FROM feeds WHERE name = :name"};

static const struct store_sql sql_item_insert = {
        STORE_SQL_ITEM_INSERT,
        "INSERT INTO items (feed_id, key, guid, url, canonical_url,"
        " title, summary, author, published, first_seen, time,"
        " likes, reposts, points, stars, comments)"
        " VALUES (:feed, :key, :guid, :url, :canonical_url,"
        " coalesce(:title, ''), :summary, :author, :published,"
        " :seen, coalesce(:published, :seen),"
        " :likes, :reposts, :points, :stars, :comments)"
        " ON CONFLICT (feed_id, key) DO NOTHING"};

static const struct store_sql sql_item_update = {
        STORE_SQL_ITEM_UPDATE,
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
        " WHERE feed_id = :feed AND key = :key"};

static const struct store_sql sql_items_window = {
        STORE_SQL_ITEMS_WINDOW, "SELECT " STORE_ITEM_COLUMNS
                                " FROM items i JOIN feeds f ON f.id = i.feed_id"
                                " WHERE i.time >= :from AND i.time < :to"
                                /* content, not the order the fetch
                                 * stored them in: the same stories
                                 * however the night arrived */
                                " ORDER BY i.time, i.canonical_url,"
                                " i.title, f.name, i.id"};

/* An engagement number as stored: -1 when absent. */
static int64_t store_count(long long v)
{
	return v < 0 ? -1 : v;
}

/* The parameters the insert and the update share. */
static void store_bind_item(struct store_call *c, int64_t feed,
                            const struct store_item *it)
{
	store_bind_int(c, ":feed", feed);
	store_bind_text(c, ":key", it->key, STORE_TEXT_MAX);
	store_bind_text(c, ":url", it->url, STORE_TEXT_MAX);
	store_bind_text(c, ":canonical_url", it->canonical_url, STORE_TEXT_MAX);
	store_bind_text(c, ":title", it->title, STORE_TEXT_MAX);
	store_bind_text(c, ":summary", it->summary, STORE_SUMMARY_MAX);
	store_bind_text(c, ":author", it->author, STORE_TEXT_MAX);
	store_bind_int(c, ":likes", store_count(it->likes));
	store_bind_int(c, ":reposts", store_count(it->reposts));
	store_bind_int(c, ":points", store_count(it->points));
	store_bind_int(c, ":stars", store_count(it->stars));
	store_bind_int(c, ":comments", store_count(it->comments));
	if (it->has_published)
		store_bind_int(c, ":published", it->published);
	else
		store_bind_null(c, ":published");
}

/* The row id of the feed named name: ERR_USAGE when there is none (an
 * item's feed must be recorded first). */
static int store_feed_id(struct store *st, const char *name, int64_t *id)
{
	struct store_call c;
	int err;

	store_call_start(&c, st, &sql_feed_id);
	store_bind_text(&c, ":name", name, STORE_TEXT_MAX);
	err = store_call_row(&c, "item feed");
	if (err == ERR_NOT_FOUND)
		return store_fail_named(st, ERR_USAGE, "no feed named", name);
	if (err)
		return err;
	*id = sqlite3_column_int64(c.s, 0);
	store_call_end(&c);
	return 0;
}

int store_item_upsert(struct store *st, const struct store_item *it,
                      bool *is_new)
{
	struct store_call c;
	int64_t feed = 0;
	int err;

	*is_new = false;
	if (!it->feed_name || !store_given(it->key))
		return store_failf(st, ERR_USAGE,
		                   "store: an item needs a feed and a key");
	err = store_feed_id(st, it->feed_name, &feed);
	if (err)
		return err;
	store_call_start(&c, st, &sql_item_insert);
	store_bind_item(&c, feed, it);
	store_bind_text(&c, ":guid", it->guid, STORE_TEXT_MAX);
	store_bind_int(&c, ":seen", it->seen_at);
	err = store_call_exec(&c, "item insert");
	if (err)
		return err;
	if (sqlite3_changes(st->db) == 1) {
		*is_new = true;
		return 0;
	}
	store_call_start(&c, st, &sql_item_update);
	store_bind_item(&c, feed, it);
	return store_call_exec(&c, "item update");
}

void store_item_read(sqlite3_stmt *s, int col, struct store_item_row *r)
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
	r->feed_title = store_column_text(s, col + 20);
}

static void store_item_row_clear(struct store_item_row *r)
{
	free(r->feed_name);
	free(r->feed_title);
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
	struct store_call c;
	struct store_item_row *v = NULL;
	size_t len = 0, cap = 0;
	int err;

	*out = NULL;
	*n = 0;
	store_call_start(&c, st, &sql_items_window);
	store_bind_int(&c, ":from", from);
	store_bind_int(&c, ":to", to);
	while ((err = store_call_row(&c, "items window")) == 0) {
		if (len == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof *v);
		}
		store_item_read(c.s, 0, &v[len++]);
	}
	if (err != ERR_NOT_FOUND) {
		store_item_rows_free(v, len);
		return err;
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
