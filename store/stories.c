#include <stdlib.h>
#include <string.h>

#include "common/hash.h"
#include "common/xalloc.h"
#include "store/store_impl.h"

static const struct store_sql sql_item_story = {
        STORE_SQL_ITEM_STORY, "SELECT story_id FROM items WHERE id = :id"};

static const struct store_sql sql_story_insert = {
        STORE_SQL_STORY_INSERT, "INSERT INTO stories DEFAULT VALUES"};

static const struct store_sql sql_item_set_story = {
        STORE_SQL_ITEM_SET_STORY,
        "UPDATE items SET story_id = :story WHERE id = :id"};

static const struct store_sql sql_story_refresh = {
        STORE_SQL_STORY_REFRESH,
        "UPDATE stories SET"
        " title = coalesce((SELECT title FROM items"
        "  WHERE story_id = :id ORDER BY time, url, title, id LIMIT 1),"
        "  ''),"
        " canonical_url = (SELECT canonical_url FROM items"
        "  WHERE story_id = :id AND canonical_url <> ''"
        "  ORDER BY time, canonical_url, id LIMIT 1),"
        " time = coalesce((SELECT min(time) FROM items"
        "  WHERE story_id = :id), 0),"
        " corroboration = (SELECT count(DISTINCT feed_id) FROM items"
        "  WHERE story_id = :id)"
        " WHERE id = :id"};

static const struct store_sql sql_story_delete_if_empty = {
        STORE_SQL_STORY_DELETE_IF_EMPTY,
        "DELETE FROM stories WHERE id = :id AND NOT EXISTS"
        " (SELECT 1 FROM items WHERE story_id = :id)"};

static const struct store_sql sql_stories_window = {
        STORE_SQL_STORIES_WINDOW,
        "SELECT s.id, s.title, s.canonical_url, s.time,"
        " s.corroboration, " STORE_ITEM_COLUMNS " FROM stories s"
        " JOIN items i ON i.story_id = s.id"
        " JOIN feeds f ON f.id = i.feed_id"
        " WHERE s.id IN (SELECT story_id FROM items"
        "  WHERE time >= :from AND time < :to"
        "  AND story_id IS NOT NULL)"
        " ORDER BY s.time, s.id, i.time, i.url, i.title, i.id"};

/* The story columns before the item columns in sql_stories_window. */
#define STORY_NCOLUMNS 5

static int store_cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The story each listed item had before, into old[] (0 for none); an
 * unknown item id is ERR_USAGE. */
static int store_old_stories(struct store *st, const int64_t *item_ids,
                             size_t n, int64_t *old)
{
	struct store_call c;
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		store_call_start(&c, st, &sql_item_story);
		store_bind_int(&c, ":id", item_ids[i]);
		err = store_call_row(&c, "item story");
		if (err == ERR_NOT_FOUND)
			return store_failf(st, ERR_USAGE,
			                   "store: no item with id %lld",
			                   (long long)item_ids[i]);
		if (err)
			return err;
		old[i] = sqlite3_column_int64(c.s, 0);
		store_call_end(&c);
	}
	return 0;
}

/* Run statement q with story as its :id. */
static int store_story_exec(struct store *st, const struct store_sql *q,
                            int64_t story, const char *what)
{
	struct store_call c;

	store_call_start(&c, st, q);
	store_bind_int(&c, ":id", story);
	return store_call_exec(&c, what);
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

/* Give story c an id (reused, else new) and move its items to it. */
static int store_assign_story(struct store *st, struct store_assign *a,
                              const int64_t *item_ids, size_t c)
{
	struct store_call call;
	int64_t id = store_assign_reuse(a, c);
	size_t k, i;
	int err;

	if (!id) {
		store_call_start(&call, st, &sql_story_insert);
		err = store_call_exec(&call, "story insert");
		if (err)
			return err;
		id = sqlite3_last_insert_rowid(st->db);
	}
	for (k = a->start[c]; k < a->start[c + 1]; k++) {
		i = a->order[k];
		if (a->old[i] == id)
			continue;
		store_call_start(&call, st, &sql_item_set_story);
		store_bind_int(&call, ":story", id);
		store_bind_int(&call, ":id", item_ids[i]);
		err = store_call_exec(&call, "item story");
		if (err)
			return err;
	}
	a->ids[c] = id;
	return 0;
}

/* The assignment's writes, inside the caller's transaction: stories
 * given ids, refreshed, and the old ones left empty deleted. */
static int store_assign_write(struct store *st, struct store_assign *a,
                              const int64_t *item_ids, const size_t *story_of,
                              size_t n)
{
	size_t i, c;
	int err;

	a->old = xcalloc(n, sizeof *a->old);
	err = store_old_stories(st, item_ids, n, a->old);
	if (err)
		return err;
	store_assign_group(a, story_of, n);
	store_assign_olds(a, n);
	a->ids = xcalloc(a->nstories, sizeof *a->ids);
	for (c = 0; c < a->nstories && !err; c++)
		if (a->start[c] < a->start[c + 1])
			err = store_assign_story(st, a, item_ids, c);
	for (c = 0; c < a->nstories && !err; c++)
		if (a->ids[c])
			err = store_story_exec(st, &sql_story_refresh,
			                       a->ids[c], "story refresh");
	for (i = 0; i < a->nolds && !err; i++)
		if (!a->claimed[i])
			err = store_story_exec(st, &sql_story_delete_if_empty,
			                       a->olds[i], "story delete");
	return err;
}

int store_stories_assign(struct store *st, const int64_t *item_ids,
                         const size_t *story_of, size_t n)
{
	struct store_assign a = {0};
	size_t i;
	bool own = false;
	int err;

	for (i = 0; i < n; i++) {
		if (story_of[i] >= n)
			return store_failf(st, ERR_USAGE,
			                   "store: story index %zu of item "
			                   "%zu out of range",
			                   story_of[i], i);
		if (story_of[i] + 1 > a.nstories)
			a.nstories = story_of[i] + 1;
	}
	if (n == 0)
		return 0;
	err = store_own_begin(st, &own);
	if (err)
		return err;
	err = store_assign_write(st, &a, item_ids, story_of, n);
	err = store_own_end(st, own, err);
	store_assign_free(&a);
	return err;
}

static void store_story_clear(struct store_story *s)
{
	free(s->title);
	free(s->canonical_url);
	store_item_rows_free(s->items, s->nitems);
}

/* A new story in *v from the story columns of the row at s. */
static struct store_story *store_story_add(sqlite3_stmt *s,
                                           struct store_story **v, size_t *len,
                                           size_t *cap)
{
	struct store_story *cur;

	if (*len == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	cur = &(*v)[(*len)++];
	memset(cur, 0, sizeof *cur);
	cur->id = sqlite3_column_int64(s, 0);
	cur->title = store_column_text(s, 1);
	cur->canonical_url = store_column_text(s, 2);
	cur->time = sqlite3_column_int64(s, 3);
	cur->corroboration = sqlite3_column_int(s, 4);
	return cur;
}

int store_stories_window(struct store *st, int64_t from, int64_t to,
                         struct store_story **out, size_t *n)
{
	struct store_call c;
	struct store_story *v = NULL, *cur = NULL;
	size_t len = 0, cap = 0, icap = 0;
	int err;

	*out = NULL;
	*n = 0;
	store_call_start(&c, st, &sql_stories_window);
	store_bind_int(&c, ":from", from);
	store_bind_int(&c, ":to", to);
	while ((err = store_call_row(&c, "stories window")) == 0) {
		if (!cur || cur->id != sqlite3_column_int64(c.s, 0)) {
			cur = store_story_add(c.s, &v, &len, &cap);
			icap = 0;
		}
		if (cur->nitems == icap) {
			icap = icap ? icap * 2 : 4;
			cur->items = xreallocarray(cur->items, icap,
			                           sizeof *cur->items);
		}
		store_item_read(c.s, STORY_NCOLUMNS,
		                &cur->items[cur->nitems++]);
	}
	if (err != ERR_NOT_FOUND) {
		store_stories_free(v, len);
		return err;
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
	char hex[HASH_HEX_LEN];
	uint64_t h;
	size_t i;

	order = xcalloc(s->nitems ? s->nitems : 1, sizeof *order);
	for (i = 0; i < s->nitems; i++)
		order[i] = &s->items[i];
	qsort(order, s->nitems, sizeof *order, store_cmp_item_content);
	h = hash_fnv1a_field(HASH_FNV_OFFSET, s->title);
	for (i = 0; i < s->nitems; i++) {
		h = hash_fnv1a_field(h, order[i]->title);
		h = hash_fnv1a_field(h, order[i]->summary);
	}
	free(order);
	hash_hex(h, hex);
	return xstrdup(hex);
}
