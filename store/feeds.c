#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "store/store_impl.h"

#define FEED_COLUMNS                                                           \
	"name, url, kind, etag, last_modified, last_attempt, last_success, "   \
	"last_new_item, last_status, last_error, consecutive_failures, "       \
	"(SELECT COUNT(*) FROM items WHERE items.feed_id = feeds.id), "        \
	"last_items, health, weight, title, display_name"

static const struct store_sql sql_feed_ensure = {
        STORE_SQL_FEED_ENSURE,
        "INSERT INTO feeds (name, url, kind) VALUES (:name, :url, :kind)"
        " ON CONFLICT (name) DO UPDATE SET"
        " url = coalesce(excluded.url, url),"
        " kind = coalesce(excluded.kind, kind)"};

static const struct store_sql sql_feed_record = {
        STORE_SQL_FEED_RECORD,
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
        " health = :health,"
        " title = CASE WHEN :ok AND NOT :not_modified"
        "  AND coalesce(:title, '') <> '' THEN :title ELSE title END"
        " WHERE name = :name"};

static const struct store_sql sql_feed_weight = {
        STORE_SQL_FEED_WEIGHT,
        "UPDATE feeds SET weight = :weight WHERE name = :name"};

static const struct store_sql sql_feed_display_name = {
        STORE_SQL_FEED_DISPLAY_NAME,
        "UPDATE feeds SET display_name = :display_name WHERE name = :name"};

static const struct store_sql sql_feed_delete = {
        STORE_SQL_FEED_DELETE, "DELETE FROM feeds WHERE name = :name"};

static const struct store_sql sql_stories_delete_empty = {
        STORE_SQL_STORIES_DELETE_EMPTY,
        "DELETE FROM stories WHERE NOT EXISTS"
        " (SELECT 1 FROM items WHERE items.story_id = stories.id)"};

static const struct store_sql sql_feed_get = {STORE_SQL_FEED_GET,
                                              "SELECT " FEED_COLUMNS
                                              " FROM feeds WHERE name = :name"};

static const struct store_sql sql_feed_list = {STORE_SQL_FEED_LIST,
                                               "SELECT " FEED_COLUMNS
                                               " FROM feeds ORDER BY name"};

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
	f->title = store_column_text(s, 15);
	f->display_name = store_column_text(s, 16);
}

int store_feed_get(struct store *st, const char *name, struct store_feed *out)
{
	struct store_call c;
	int err;

	memset(out, 0, sizeof *out);
	store_call_start(&c, st, &sql_feed_get);
	store_bind_text(&c, ":name", name, STORE_TEXT_MAX);
	err = store_call_row(&c, "feed get");
	if (err == ERR_NOT_FOUND)
		return store_fail_named(st, err, "no feed named", name);
	if (err)
		return err;
	store_feed_read(c.s, out);
	store_call_end(&c);
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
	free(f->title);
	free(f->display_name);
	memset(f, 0, sizeof *f);
}

int store_feed_list(struct store *st, struct store_feed **out, size_t *n)
{
	struct store_call c;
	struct store_feed *v = NULL;
	size_t len = 0, cap = 0;
	int err;

	*out = NULL;
	*n = 0;
	store_call_start(&c, st, &sql_feed_list);
	while ((err = store_call_row(&c, "feed list")) == 0) {
		if (len == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof *v);
		}
		store_feed_read(c.s, &v[len++]);
	}
	if (err != ERR_NOT_FOUND) {
		store_feed_list_free(v, len);
		return err;
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
	struct store_call c;

	if (!store_given(name))
		return store_failf(st, ERR_USAGE, "store: a feed needs a name");
	store_call_start(&c, st, &sql_feed_ensure);
	store_bind_text(&c, ":name", name, STORE_TEXT_MAX);
	store_bind_text(&c, ":url", url, STORE_TEXT_MAX);
	store_bind_text(&c, ":kind", kind, STORE_TEXT_MAX);
	return store_call_exec(&c, "feed ensure");
}

int store_feed_record(struct store *st, const struct store_fetch_result *r)
{
	struct store_call c;
	const char *health = r->health ? r->health : r->ok ? "ok" : "failing";
	const char *error = r->error ? r->error : "failed";
	bool own;
	int err;

	err = store_own_begin(st, &own);
	if (err)
		return err;
	err = store_feed_ensure(st, r->name, r->url, r->kind);
	if (!err) {
		store_call_start(&c, st, &sql_feed_record);
		store_bind_text(&c, ":name", r->name, STORE_TEXT_MAX);
		store_bind_int(&c, ":at", r->at);
		store_bind_int(&c, ":status", r->status);
		store_bind_int(&c, ":ok", r->ok);
		store_bind_int(&c, ":not_modified", r->not_modified);
		store_bind_text(&c, ":error", error, STORE_TEXT_MAX);
		store_bind_text(&c, ":etag", r->etag, STORE_TEXT_MAX);
		store_bind_text(&c, ":last_modified", r->last_modified,
		                STORE_TEXT_MAX);
		store_bind_int(&c, ":items_seen", r->items_seen);
		store_bind_int(&c, ":new_items", r->new_items);
		store_bind_text(&c, ":health", health, STORE_TEXT_MAX);
		store_bind_text(&c, ":title", r->title, STORE_TITLE_MAX);
		err = store_call_exec(&c, "feed record");
	}
	return store_own_end(st, own, err);
}

int store_feed_set_weight(struct store *st, const char *name, double weight)
{
	struct store_call c;
	int err;

	if (!isfinite(weight) || weight < 0)
		return store_failf(st, ERR_USAGE,
		                   "store: weight %g out of range", weight);
	store_call_start(&c, st, &sql_feed_weight);
	store_bind_text(&c, ":name", name, STORE_TEXT_MAX);
	store_bind_double(&c, ":weight", weight);
	err = store_call_exec(&c, "feed weight");
	if (!err && sqlite3_changes(st->db) == 0)
		err = store_fail_named(st, ERR_NOT_FOUND, "no feed named",
		                       name);
	return err;
}

int store_feed_set_display_name(struct store *st, const char *name,
                                const char *display_name)
{
	struct store_call c;
	int err;

	store_call_start(&c, st, &sql_feed_display_name);
	store_bind_text(&c, ":name", name, STORE_TEXT_MAX);
	store_bind_text(&c, ":display_name",
	                display_name && *display_name ? display_name : NULL,
	                STORE_TITLE_MAX);
	err = store_call_exec(&c, "feed display name");
	if (!err && sqlite3_changes(st->db) == 0)
		err = store_fail_named(st, ERR_NOT_FOUND, "no feed named",
		                       name);
	return err;
}

int store_feed_delete(struct store *st, const char *name)
{
	struct store_call c;
	bool own;
	int err, changed = 0;

	err = store_own_begin(st, &own);
	if (err)
		return err;
	store_call_start(&c, st, &sql_feed_delete);
	store_bind_text(&c, ":name", name, STORE_TEXT_MAX);
	err = store_call_exec(&c, "feed delete");
	if (!err)
		changed = sqlite3_changes(st->db);
	if (!err && changed) {
		store_call_start(&c, st, &sql_stories_delete_empty);
		err = store_call_exec(&c, "delete empty stories");
	}
	err = store_own_end(st, own, err);
	if (!err && !changed)
		err = store_fail_named(st, ERR_NOT_FOUND, "no feed named",
		                       name);
	return err;
}
