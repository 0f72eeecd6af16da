#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

static const struct store_sql sql_digest_put = {
        STORE_SQL_DIGEST_PUT,
        "INSERT INTO digests (date, path, first_date, updated, hash, at)"
        " VALUES (:date, :path, :first, :updated, :hash, :at)"
        " ON CONFLICT (date) DO UPDATE SET path = excluded.path,"
        " updated = excluded.updated, hash = excluded.hash,"
        " at = excluded.at"};

static const struct store_sql sql_digest_get = {
        STORE_SQL_DIGEST_GET, "SELECT path, first_date, updated, hash, at"
                              " FROM digests WHERE date = :date"};

static const struct store_sql sql_published_clear = {
        STORE_SQL_PUBLISHED_CLEAR, "DELETE FROM published WHERE date = :date"};

static const struct store_sql sql_published_add = {
        STORE_SQL_PUBLISHED_ADD, "INSERT OR IGNORE INTO published (url, date)"
                                 " VALUES (:url, :date)"};

static const struct store_sql sql_published_before = {
        STORE_SQL_PUBLISHED_BEFORE, "SELECT min(date) FROM published"
                                    " WHERE url = :url AND date < :date"};

int store_digest_put(struct store *st, const struct store_digest *d)
{
	struct store_call c;

	if (!store_given(d->date) || !store_given(d->path) ||
	    !store_given(d->first_date) || !store_given(d->updated))
		return store_failf(st, ERR_USAGE,
		                   "store: a digest needs a date, a path, "
		                   "its first date and its update");
	store_call_start(&c, st, &sql_digest_put);
	store_bind_text(&c, ":date", d->date, STORE_TEXT_MAX);
	store_bind_text(&c, ":path", d->path, STORE_TEXT_MAX);
	store_bind_text(&c, ":first", d->first_date, STORE_TEXT_MAX);
	store_bind_text(&c, ":updated", d->updated, STORE_TEXT_MAX);
	store_bind_text(&c, ":hash", d->hash, STORE_TEXT_MAX);
	store_bind_int(&c, ":at", d->at);
	return store_call_exec(&c, "digest put");
}

int store_digest_get(struct store *st, const char *date,
                     struct store_digest_row *out)
{
	struct store_call c;
	int err;

	memset(out, 0, sizeof *out);
	store_call_start(&c, st, &sql_digest_get);
	store_bind_text(&c, ":date", date, STORE_TEXT_MAX);
	err = store_call_row(&c, "digest get");
	if (err == ERR_NOT_FOUND)
		return store_fail_named(st, err, "no digest on", date);
	if (err)
		return err;
	out->path = store_column_text(c.s, 0);
	out->first_date = store_column_text(c.s, 1);
	out->updated = store_column_text(c.s, 2);
	out->hash = store_column_text(c.s, 3);
	out->at = sqlite3_column_int64(c.s, 4);
	store_call_end(&c);
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

/* The day's list replaced, inside the caller's transaction. */
static int store_published_write(struct store *st, const char *date,
                                 const char *const *urls, size_t n)
{
	struct store_call c;
	size_t i;
	int err;

	store_call_start(&c, st, &sql_published_clear);
	store_bind_text(&c, ":date", date, STORE_TEXT_MAX);
	err = store_call_exec(&c, "published clear");
	for (i = 0; i < n && !err; i++) {
		if (!store_given(urls[i]))
			continue;
		store_call_start(&c, st, &sql_published_add);
		store_bind_text(&c, ":url", urls[i], STORE_TEXT_MAX);
		store_bind_text(&c, ":date", date, STORE_TEXT_MAX);
		err = store_call_exec(&c, "published add");
	}
	return err;
}

int store_published_set(struct store *st, const char *date,
                        const char *const *urls, size_t n)
{
	bool own;
	int err;

	err = store_own_begin(st, &own);
	if (err)
		return err;
	err = store_published_write(st, date, urls, n);
	return store_own_end(st, own, err);
}

int store_published_before(struct store *st, const char *date, const char *url,
                           char *first, size_t size)
{
	struct store_call c;
	const unsigned char *v;
	bool found = false;
	int err;

	if (first && size)
		first[0] = '\0';
	store_call_start(&c, st, &sql_published_before);
	store_bind_text(&c, ":url", url, STORE_TEXT_MAX);
	store_bind_text(&c, ":date", date, STORE_TEXT_MAX);
	err = store_call_row(&c, "published before");
	if (!err) {
		/* min() gives one row, NULL when url was never published */
		v = sqlite3_column_text(c.s, 0);
		found = v != NULL;
		if (v && first && size)
			snprintf(first, size, "%s", (const char *)v);
		store_call_end(&c);
	}
	if (err == ERR_NOT_FOUND || (!err && !found))
		return store_fail_named(st, ERR_NOT_FOUND,
		                        "not published before", date);
	return err;
}
