#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

static const struct store_sql sql_run_add = {
        STORE_SQL_RUN_ADD,
        "INSERT INTO runs (command, date, started, finished, usd,"
        " reference_usd, requests, tokens_in, tokens_out, kendall_w,"
        " status, details) VALUES (:command, :date, :started,"
        " :finished, :usd, :reference_usd, :requests, :tokens_in,"
        " :tokens_out, :kendall_w, :status, :details)"};

static const struct store_sql sql_run_latest = {
        STORE_SQL_RUN_LATEST,
        "SELECT id, command, date, status, details, started,"
        " finished, usd, reference_usd, kendall_w, requests,"
        " tokens_in, tokens_out FROM runs"
        " WHERE command = :command AND date = :date"
        " ORDER BY id DESC LIMIT 1"};

/* Why run cannot be recorded: ERR_USAGE or ERR_LIMIT with the message
 * set, 0 when it can. */
static int store_run_check(struct store *st, const struct store_run *run)
{
	if (!store_given(run->command) || !store_given(run->date) ||
	    !store_given(run->status))
		return store_failf(st, ERR_USAGE,
		                   "store: a run needs a command, a date "
		                   "and a status");
	if (!isfinite(run->usd) || !isfinite(run->reference_usd) ||
	    (!isnan(run->kendall_w) && !isfinite(run->kendall_w)))
		return store_failf(st, ERR_USAGE,
		                   "store: a run's cost or agreement is "
		                   "not a number");
	if (run->details && strlen(run->details) > STORE_RAW_MAX)
		return store_failf(st, ERR_LIMIT,
		                   "store: run details over %zu bytes",
		                   STORE_RAW_MAX);
	return 0;
}

int store_run_add(struct store *st, const struct store_run *run, int64_t *id)
{
	struct store_call c;
	int err;

	if (id)
		*id = 0;
	err = store_run_check(st, run);
	if (err)
		return err;
	store_call_start(&c, st, &sql_run_add);
	store_bind_text(&c, ":command", run->command, STORE_TEXT_MAX);
	store_bind_text(&c, ":date", run->date, STORE_TEXT_MAX);
	store_bind_int(&c, ":started", run->started);
	store_bind_int(&c, ":finished", run->finished);
	store_bind_double(&c, ":usd", run->usd);
	store_bind_double(&c, ":reference_usd", run->reference_usd);
	store_bind_int(&c, ":requests", run->requests);
	store_bind_int(&c, ":tokens_in", run->tokens_in);
	store_bind_int(&c, ":tokens_out", run->tokens_out);
	if (isnan(run->kendall_w))
		store_bind_null(&c, ":kendall_w");
	else
		store_bind_double(&c, ":kendall_w", run->kendall_w);
	store_bind_text(&c, ":status", run->status, STORE_TEXT_MAX);
	store_bind_text(&c, ":details", run->details, STORE_RAW_MAX);
	err = store_call_exec(&c, "run add");
	if (!err && id)
		*id = sqlite3_last_insert_rowid(st->db);
	return err;
}

int store_run_latest(struct store *st, const char *command, const char *date,
                     struct store_run_row *out)
{
	struct store_call c;
	int err;

	memset(out, 0, sizeof *out);
	out->kendall_w = NAN;
	store_call_start(&c, st, &sql_run_latest);
	store_bind_text(&c, ":command", command, STORE_TEXT_MAX);
	store_bind_text(&c, ":date", date, STORE_TEXT_MAX);
	err = store_call_row(&c, "run latest");
	if (err == ERR_NOT_FOUND)
		return store_fail_named(st, err, "no run on", date);
	if (err)
		return err;
	out->id = sqlite3_column_int64(c.s, 0);
	out->command = store_column_text(c.s, 1);
	out->date = store_column_text(c.s, 2);
	out->status = store_column_text(c.s, 3);
	out->details = store_column_text(c.s, 4);
	out->started = sqlite3_column_int64(c.s, 5);
	out->finished = sqlite3_column_int64(c.s, 6);
	out->usd = sqlite3_column_double(c.s, 7);
	out->reference_usd = sqlite3_column_double(c.s, 8);
	if (sqlite3_column_type(c.s, 9) != SQLITE_NULL)
		out->kendall_w = sqlite3_column_double(c.s, 9);
	out->requests = (long)sqlite3_column_int64(c.s, 10);
	out->tokens_in = (long)sqlite3_column_int64(c.s, 11);
	out->tokens_out = (long)sqlite3_column_int64(c.s, 12);
	store_call_end(&c);
	return 0;
}

void store_run_clear(struct store_run_row *row)
{
	if (!row)
		return;
	free(row->command);
	free(row->date);
	free(row->status);
	free(row->details);
	memset(row, 0, sizeof *row);
	row->kendall_w = NAN;
}
