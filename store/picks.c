#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "store/store_impl.h"

/* The editor's picks: one row a day and story. */

static const struct store_sql sql_pick_set = {
        STORE_SQL_PICK_SET, "INSERT INTO picks (date, story_id, action, at)"
                            " VALUES (:date, :story, :action, :at)"
                            " ON CONFLICT (date, story_id) DO UPDATE SET"
                            " action = excluded.action, at = excluded.at"};

static const struct store_sql sql_picks_clear = {
        STORE_SQL_PICKS_CLEAR, "DELETE FROM picks WHERE date = :date"};

static const struct store_sql sql_picks_get = {
        STORE_SQL_PICKS_GET, "SELECT story_id, action, at FROM picks"
                             " WHERE date = :date ORDER BY story_id"};

static const char *store_pick_name(enum store_pick action)
{
	return action == STORE_PICK_DROP  ? "drop"
	       : action == STORE_PICK_PIN ? "pin"
	                                  : NULL;
}

int store_pick_set(struct store *st, const char *date, int64_t story_id,
                   enum store_pick action, int64_t at)
{
	struct store_call c;
	const char *name = store_pick_name(action);

	if (!store_given(date) || !name)
		return store_failf(st, ERR_USAGE,
		                   "store: a pick needs a date and an action");
	store_call_start(&c, st, &sql_pick_set);
	store_bind_text(&c, ":date", date, STORE_TEXT_MAX);
	store_bind_int(&c, ":story", story_id);
	store_bind_text(&c, ":action", name, STORE_TEXT_MAX);
	store_bind_int(&c, ":at", at);
	return store_call_exec(&c, "pick set");
}

int store_picks_clear(struct store *st, const char *date)
{
	struct store_call c;

	store_call_start(&c, st, &sql_picks_clear);
	store_bind_text(&c, ":date", date, STORE_TEXT_MAX);
	return store_call_exec(&c, "picks clear");
}

int store_picks_get(struct store *st, const char *date,
                    struct store_pick_row **out, size_t *n)
{
	struct store_call c;
	struct store_pick_row *v = NULL;
	size_t len = 0;
	int err;

	*out = NULL;
	*n = 0;
	store_call_start(&c, st, &sql_picks_get);
	store_bind_text(&c, ":date", date, STORE_TEXT_MAX);
	while ((err = store_call_row(&c, "picks get")) == 0) {
		const char *a = (const char *)sqlite3_column_text(c.s, 1);

		v = xreallocarray(v, len + 1, sizeof *v);
		v[len].story_id = sqlite3_column_int64(c.s, 0);
		v[len].action = a && strcmp(a, "pin") == 0 ? STORE_PICK_PIN
		                                           : STORE_PICK_DROP;
		v[len].at = sqlite3_column_int64(c.s, 2);
		len++;
	}
	if (err != ERR_NOT_FOUND) {
		free(v);
		return err;
	}
	*out = v;
	*n = len;
	return 0;
}
