#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "store/store_impl.h"

/* The panel at each day's publication: a day row, its members, its
 * candidates and the members' scores, indexed by their place in the
 * panel's arrays. Deleting the day row deletes the rest (foreign keys). */

static const struct store_sql sql_jury_delete = {
        STORE_SQL_JURY_DELETE, "DELETE FROM jury_days WHERE date = :date"};

static const struct store_sql sql_jury_day = {
        STORE_SQL_JURY_DAY,
        "INSERT INTO jury_days (date, at) VALUES (:date, :at)"};

static const struct store_sql sql_jury_judge = {
        STORE_SQL_JURY_JUDGE, "INSERT INTO jury_judges (date, judge, name, llm)"
                              " VALUES (:date, :judge, :name, :llm)"};

static const struct store_sql sql_jury_story = {
        STORE_SQL_JURY_STORY,
        "INSERT INTO jury_stories (date, story, story_id, pooled, selected,"
        " pick) VALUES (:date, :story, :id, :pooled, :selected, :pick)"};

static const struct store_sql sql_jury_score = {
        STORE_SQL_JURY_SCORE, "INSERT INTO jury_scores (date, judge, story,"
                              " score) VALUES (:date, :judge, :story, :score)"};

static const struct store_sql sql_jury_get_day = {
        STORE_SQL_JURY_GET_DAY, "SELECT at FROM jury_days WHERE date = :date"};

static const struct store_sql sql_jury_get_judges = {
        STORE_SQL_JURY_GET_JUDGES, "SELECT judge, name, llm FROM jury_judges"
                                   " WHERE date = :date ORDER BY judge"};

static const struct store_sql sql_jury_get_stories = {
        STORE_SQL_JURY_GET_STORIES,
        "SELECT story, story_id, pooled, selected, pick FROM jury_stories"
        " WHERE date = :date ORDER BY story"};

static const struct store_sql sql_jury_get_scores = {
        STORE_SQL_JURY_GET_SCORES, "SELECT judge, story, score FROM jury_scores"
                                   " WHERE date = :date"};

static const struct store_sql sql_jury_dates = {
        STORE_SQL_JURY_DATES, "SELECT date FROM jury_days WHERE date >= :from"
                              " AND date <= :to ORDER BY date"};

/* Why j cannot be recorded: ERR_USAGE or ERR_LIMIT with the message set,
 * 0 when it can. */
static int store_jury_check(struct store *st, const struct store_jury *j)
{
	size_t k;

	if (!store_given(j->date) || (j->njudges && (!j->names || !j->llm)) ||
	    (j->nstories && (!j->story_ids || !j->pooled || !j->selected)) ||
	    (j->njudges && j->nstories && !j->scores))
		return store_failf(st, ERR_USAGE,
		                   "store: a jury record needs a date and "
		                   "its arrays");
	if (j->njudges > STORE_JURY_MAX_JUDGES ||
	    j->nstories > STORE_JURY_MAX_STORIES)
		return store_failf(st, ERR_LIMIT,
		                   "store: a jury record of %zu judges and %zu "
		                   "stories (at most %zu and %zu)",
		                   j->njudges, j->nstories,
		                   STORE_JURY_MAX_JUDGES,
		                   STORE_JURY_MAX_STORIES);
	for (k = 0; k < j->njudges; k++)
		if (!store_given(j->names[k]))
			return store_failf(st, ERR_USAGE,
			                   "store: a jury record's judge %zu "
			                   "has no name",
			                   k);
	return 0;
}

static int store_jury_put_judges(struct store *st, const struct store_jury *j)
{
	struct store_call c;
	size_t k;
	int err = 0;

	for (k = 0; k < j->njudges && !err; k++) {
		store_call_start(&c, st, &sql_jury_judge);
		store_bind_text(&c, ":date", j->date, STORE_TEXT_MAX);
		store_bind_int(&c, ":judge", (int64_t)k);
		store_bind_text(&c, ":name", j->names[k], STORE_TITLE_MAX);
		store_bind_int(&c, ":llm", j->llm[k]);
		err = store_call_exec(&c, "jury judge");
	}
	return err;
}

static const char *store_jury_pick_name(const struct store_jury *j, size_t i)
{
	if (!j->pick)
		return NULL;
	return j->pick[i] == STORE_PICK_DROP  ? "drop"
	       : j->pick[i] == STORE_PICK_PIN ? "pin"
	                                      : NULL;
}

static int store_jury_put_stories(struct store *st, const struct store_jury *j)
{
	struct store_call c;
	const char *pick;
	size_t i;
	int err = 0;

	for (i = 0; i < j->nstories && !err; i++) {
		store_call_start(&c, st, &sql_jury_story);
		store_bind_text(&c, ":date", j->date, STORE_TEXT_MAX);
		store_bind_int(&c, ":story", (int64_t)i);
		store_bind_int(&c, ":id", j->story_ids[i]);
		if (isfinite(j->pooled[i]))
			store_bind_double(&c, ":pooled", j->pooled[i]);
		else
			store_bind_null(&c, ":pooled");
		store_bind_int(&c, ":selected", j->selected[i]);
		pick = store_jury_pick_name(j, i);
		if (pick)
			store_bind_text(&c, ":pick", pick, STORE_TEXT_MAX);
		else
			store_bind_null(&c, ":pick");
		err = store_call_exec(&c, "jury story");
	}
	return err;
}

static int store_jury_put_scores(struct store *st, const struct store_jury *j)
{
	struct store_call c;
	size_t k, i;
	int err = 0;

	for (k = 0; k < j->njudges && !err; k++)
		for (i = 0; i < j->nstories && !err; i++) {
			double v = j->scores[k * j->nstories + i];

			if (!isfinite(v))
				continue;
			store_call_start(&c, st, &sql_jury_score);
			store_bind_text(&c, ":date", j->date, STORE_TEXT_MAX);
			store_bind_int(&c, ":judge", (int64_t)k);
			store_bind_int(&c, ":story", (int64_t)i);
			store_bind_double(&c, ":score", v);
			err = store_call_exec(&c, "jury score");
		}
	return err;
}

int store_jury_put(struct store *st, const struct store_jury *j)
{
	struct store_call c;
	bool own;
	int err;

	err = store_jury_check(st, j);
	if (err)
		return err;
	err = store_own_begin(st, &own);
	if (err)
		return err;
	store_call_start(&c, st, &sql_jury_delete);
	store_bind_text(&c, ":date", j->date, STORE_TEXT_MAX);
	err = store_call_exec(&c, "jury delete");
	if (!err) {
		store_call_start(&c, st, &sql_jury_day);
		store_bind_text(&c, ":date", j->date, STORE_TEXT_MAX);
		store_bind_int(&c, ":at", j->at);
		err = store_call_exec(&c, "jury day");
	}
	if (!err)
		err = store_jury_put_judges(st, j);
	if (!err)
		err = store_jury_put_stories(st, j);
	if (!err)
		err = store_jury_put_scores(st, j);
	return store_own_end(st, own, err);
}

/* A record whose indices do not run 0, 1, 2, ...: another program wrote
 * it, or the file is damaged. */
static int store_jury_broken(struct store *st, struct store_call *c,
                             const char *date)
{
	store_call_end(c);
	return store_fail_named(st, ERR_DB, "a broken jury record on", date);
}

static int store_jury_get_judges(struct store *st, const char *date,
                                 struct store_jury_row *out)
{
	struct store_call c;
	int err;

	store_call_start(&c, st, &sql_jury_get_judges);
	store_bind_text(&c, ":date", date, STORE_TEXT_MAX);
	while ((err = store_call_row(&c, "jury judges")) == 0) {
		size_t k = out->njudges;

		if (sqlite3_column_int64(c.s, 0) != (int64_t)k ||
		    k >= STORE_JURY_MAX_JUDGES)
			return store_jury_broken(st, &c, date);
		out->names =
		        xreallocarray(out->names, k + 1, sizeof *out->names);
		out->llm = xreallocarray(out->llm, k + 1, sizeof *out->llm);
		out->names[k] = store_column_text(c.s, 1);
		if (!out->names[k])
			out->names[k] = xstrdup("");
		out->llm[k] = sqlite3_column_int(c.s, 2) != 0;
		out->njudges++;
	}
	return err == ERR_NOT_FOUND ? 0 : err;
}

static int store_jury_get_stories(struct store *st, const char *date,
                                  struct store_jury_row *out)
{
	struct store_call c;
	const char *pick;
	int err;

	store_call_start(&c, st, &sql_jury_get_stories);
	store_bind_text(&c, ":date", date, STORE_TEXT_MAX);
	while ((err = store_call_row(&c, "jury stories")) == 0) {
		size_t i = out->nstories;

		if (sqlite3_column_int64(c.s, 0) != (int64_t)i ||
		    i >= STORE_JURY_MAX_STORIES)
			return store_jury_broken(st, &c, date);
		out->story_ids = xreallocarray(out->story_ids, i + 1,
		                               sizeof *out->story_ids);
		out->pooled =
		        xreallocarray(out->pooled, i + 1, sizeof *out->pooled);
		out->selected = xreallocarray(out->selected, i + 1,
		                              sizeof *out->selected);
		out->pick = xreallocarray(out->pick, i + 1, sizeof *out->pick);
		out->story_ids[i] = sqlite3_column_int64(c.s, 1);
		out->pooled[i] = sqlite3_column_type(c.s, 2) == SQLITE_NULL
		                         ? -INFINITY
		                         : sqlite3_column_double(c.s, 2);
		out->selected[i] = sqlite3_column_int(c.s, 3) != 0;
		pick = (const char *)sqlite3_column_text(c.s, 4);
		out->pick[i] = !pick                      ? 0
		               : strcmp(pick, "pin") == 0 ? STORE_PICK_PIN
		                                          : STORE_PICK_DROP;
		out->nstories++;
	}
	return err == ERR_NOT_FOUND ? 0 : err;
}

static int store_jury_get_scores(struct store *st, const char *date,
                                 struct store_jury_row *out)
{
	struct store_call c;
	size_t i, n = out->njudges * out->nstories;
	int err;

	out->scores = xcalloc(n + 1, sizeof *out->scores);
	for (i = 0; i < n; i++)
		out->scores[i] = NAN;
	store_call_start(&c, st, &sql_jury_get_scores);
	store_bind_text(&c, ":date", date, STORE_TEXT_MAX);
	while ((err = store_call_row(&c, "jury scores")) == 0) {
		int64_t k = sqlite3_column_int64(c.s, 0);
		int64_t s = sqlite3_column_int64(c.s, 1);

		if (k < 0 || s < 0 || (uint64_t)k >= out->njudges ||
		    (uint64_t)s >= out->nstories)
			return store_jury_broken(st, &c, date);
		out->scores[(size_t)k * out->nstories + (size_t)s] =
		        sqlite3_column_double(c.s, 2);
	}
	return err == ERR_NOT_FOUND ? 0 : err;
}

int store_jury_get(struct store *st, const char *date,
                   struct store_jury_row *out)
{
	struct store_call c;
	int err;

	memset(out, 0, sizeof *out);
	store_call_start(&c, st, &sql_jury_get_day);
	store_bind_text(&c, ":date", date, STORE_TEXT_MAX);
	err = store_call_row(&c, "jury day");
	if (err == ERR_NOT_FOUND)
		return store_fail_named(st, err, "no jury record on", date);
	if (err)
		return err;
	out->at = sqlite3_column_int64(c.s, 0);
	store_call_end(&c);
	snprintf(out->date, sizeof out->date, "%s", date);
	err = store_jury_get_judges(st, date, out);
	if (!err)
		err = store_jury_get_stories(st, date, out);
	if (!err)
		err = store_jury_get_scores(st, date, out);
	if (err)
		store_jury_clear(out);
	return err;
}

void store_jury_clear(struct store_jury_row *row)
{
	if (!row)
		return;
	store_strings_free(row->names, row->njudges);
	free(row->llm);
	free(row->story_ids);
	free(row->scores);
	free(row->pooled);
	free(row->selected);
	free(row->pick);
	memset(row, 0, sizeof *row);
}

int store_jury_dates(struct store *st, const char *from, const char *to,
                     char ***out, size_t *n)
{
	struct store_call c;
	char **v = NULL;
	size_t len = 0;
	int err;

	*out = NULL;
	*n = 0;
	store_call_start(&c, st, &sql_jury_dates);
	store_bind_text(&c, ":from", from, STORE_TEXT_MAX);
	store_bind_text(&c, ":to", to, STORE_TEXT_MAX);
	while ((err = store_call_row(&c, "jury dates")) == 0) {
		char *d = store_column_text(c.s, 0);

		if (!d)
			continue;
		v = xreallocarray(v, len + 1, sizeof *v);
		v[len++] = d;
	}
	if (err != ERR_NOT_FOUND) {
		store_strings_free(v, len);
		return err;
	}
	*out = v;
	*n = len;
	return 0;
}

void store_strings_free(char **v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
