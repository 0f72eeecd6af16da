#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_impl.h"

/* The three caches of LLM replies (judgments, verdicts, writings) share a
 * shape: a key of up to three parts, the raw reply as received, tokens,
 * cost and time, written and looked up through one path below; each adds
 * its own columns. */

static const struct store_sql sql_judgment_get = {
        STORE_SQL_JUDGMENT_GET,
        "SELECT score, category, raw, tokens_in, tokens_out, usd, at,"
        " place FROM judgments WHERE story_hash = :hash AND judge = :judge"
        " AND prompt_version = :version"};

static const struct store_sql sql_judgment_put = {
        STORE_SQL_JUDGMENT_PUT,
        "INSERT OR REPLACE INTO judgments (story_hash, judge,"
        " prompt_version, score, category, raw, tokens_in,"
        " tokens_out, usd, at, place) VALUES (:hash, :judge, :version,"
        " :score, :category, :raw, :tokens_in, :tokens_out, :usd,"
        " :at, :place)"};

static const struct store_sql sql_verdict_get = {
        STORE_SQL_VERDICT_GET, "SELECT supported, problem FROM verdicts"
                               " WHERE text_hash = :hash AND judge = :judge"
                               " AND prompt_version = :version"};

static const struct store_sql sql_verdict_put = {
        STORE_SQL_VERDICT_PUT,
        "INSERT OR REPLACE INTO verdicts (text_hash, judge,"
        " prompt_version, supported, problem, raw, tokens_in,"
        " tokens_out, usd, at) VALUES (:hash, :judge, :version,"
        " :supported, :problem, :raw, :tokens_in, :tokens_out, :usd,"
        " :at)"};

static const struct store_sql sql_writing_get = {
        STORE_SQL_WRITING_GET, "SELECT reply FROM writings WHERE key = :key"};

static const struct store_sql sql_writing_put = {
        STORE_SQL_WRITING_PUT,
        "INSERT OR REPLACE INTO writings (key, writer,"
        " prompt_version, reply, raw, tokens_in, tokens_out, usd, at)"
        " VALUES (:key, :writer, :version, :reply, :raw, :tokens_in,"
        " :tokens_out, :usd, :at)"};

#define STORE_CACHE_PARTS 3

/* One cache table: its statements, the parameters of its identifying
 * parts (a lookup uses the first nkey of them, a put all three) and what
 * a message says is missing. */
struct store_cache {
	const char *name;
	const char *what_get, *what_put; /* for SQLite's messages */
	const struct store_sql *get, *put;
	const char *param[STORE_CACHE_PARTS];
	size_t nkey;
	const char *needs_key;   /* for a lookup */
	const char *needs_parts; /* for a put */
};

enum store_cache_kind {
	STORE_CACHE_JUDGMENT,
	STORE_CACHE_VERDICT,
	STORE_CACHE_WRITING
};

static const struct store_cache store_caches[] = {
        [STORE_CACHE_JUDGMENT] =
                {
                        .name = "judgment",
                        .what_get = "judgment get",
                        .what_put = "judgment put",
                        .get = &sql_judgment_get,
                        .put = &sql_judgment_put,
                        .param = {":hash", ":judge", ":version"},
                        .nkey = 3,
                        .needs_key = "a story hash, a judge and a prompt "
                                     "version",
                        .needs_parts = "a story hash, a judge and a prompt "
                                       "version",
                },
        [STORE_CACHE_VERDICT] =
                {
                        .name = "verdict",
                        .what_get = "verdict get",
                        .what_put = "verdict put",
                        .get = &sql_verdict_get,
                        .put = &sql_verdict_put,
                        .param = {":hash", ":judge", ":version"},
                        .nkey = 3,
                        .needs_key = "a text hash, a judge and a prompt "
                                     "version",
                        .needs_parts = "a text hash, a judge and a prompt "
                                       "version",
                },
        [STORE_CACHE_WRITING] =
                {
                        .name = "writing",
                        .what_get = "writing get",
                        .what_put = "writing put",
                        .get = &sql_writing_get,
                        .put = &sql_writing_put,
                        .param = {":key", ":writer", ":version"},
                        .nkey = 1,
                        .needs_key = "a key",
                        .needs_parts = "a key, a writer and a prompt version",
                },
};

/* The columns every cache row has. */
struct store_cache_row {
	const char *part[STORE_CACHE_PARTS];
	const char *raw; /* cut at STORE_RAW_MAX; may be NULL */
	long tokens_in, tokens_out;
	double usd;
	int64_t at;
};

/* Look a row up by its key: 0 with c on the row (the caller reads its own
 * columns, then store_call_end), ERR_NOT_FOUND, ERR_USAGE for a missing
 * key part, or ERR_DB. */
static int store_cache_find(struct store *st, enum store_cache_kind kind,
                            const char *const *key, struct store_call *c)
{
	const struct store_cache *t = &store_caches[kind];
	size_t i;
	int err;

	for (i = 0; i < t->nkey; i++)
		if (!store_given(key[i]))
			return store_failf(st, ERR_USAGE,
			                   "store: a %s needs %s", t->name,
			                   t->needs_key);
	store_call_start(c, st, t->get);
	for (i = 0; i < t->nkey; i++)
		store_bind_text(c, t->param[i], key[i], STORE_TEXT_MAX);
	err = store_call_row(c, t->what_get);
	if (err == ERR_NOT_FOUND)
		return store_failf(st, err, "store: no %s with that key",
		                   t->name);
	return err;
}

/* Insert or replace a row: the shared columns checked and bound here,
 * the table's own by bind_own(c, own) (the caller checks them first). */
static int store_cache_put(struct store *st, enum store_cache_kind kind,
                           const struct store_cache_row *row,
                           void (*bind_own)(struct store_call *c,
                                            const void *own),
                           const void *own)
{
	const struct store_cache *t = &store_caches[kind];
	struct store_call c;
	size_t i;

	for (i = 0; i < STORE_CACHE_PARTS; i++)
		if (!store_given(row->part[i]))
			return store_failf(st, ERR_USAGE,
			                   "store: a %s needs %s", t->name,
			                   t->needs_parts);
	if (!isfinite(row->usd))
		return store_failf(st, ERR_USAGE,
		                   "store: %s cost %g is not a number", t->name,
		                   row->usd);
	store_call_start(&c, st, t->put);
	for (i = 0; i < STORE_CACHE_PARTS; i++)
		store_bind_text(&c, t->param[i], row->part[i], STORE_TEXT_MAX);
	store_bind_text(&c, ":raw", row->raw, STORE_RAW_MAX);
	store_bind_int(&c, ":tokens_in", row->tokens_in);
	store_bind_int(&c, ":tokens_out", row->tokens_out);
	store_bind_double(&c, ":usd", row->usd);
	store_bind_int(&c, ":at", row->at);
	bind_own(&c, own);
	return store_call_exec(&c, t->what_put);
}

int store_judgment_get(struct store *st, const char *story_hash,
                       const char *judge, const char *prompt_version,
                       struct store_judgment_row *out)
{
	const char *key[] = {story_hash, judge, prompt_version};
	struct store_call c;
	int err;

	memset(out, 0, sizeof *out);
	err = store_cache_find(st, STORE_CACHE_JUDGMENT, key, &c);
	if (err)
		return err;
	out->score = sqlite3_column_double(c.s, 0);
	out->category = store_column_text(c.s, 1);
	out->raw = store_column_text(c.s, 2);
	out->tokens_in = (long)sqlite3_column_int64(c.s, 3);
	out->tokens_out = (long)sqlite3_column_int64(c.s, 4);
	out->usd = sqlite3_column_double(c.s, 5);
	out->at = sqlite3_column_int64(c.s, 6);
	out->place = sqlite3_column_type(c.s, 7) == SQLITE_INTEGER
	                     ? (int)sqlite3_column_int64(c.s, 7)
	                     : -1;
	store_call_end(&c);
	return 0;
}

static void store_judgment_bind(struct store_call *c, const void *own)
{
	const struct store_judgment *j = own;

	store_bind_double(c, ":score", j->score);
	store_bind_text(c, ":category", j->category, STORE_TEXT_MAX);
	if (j->place >= 0)
		store_bind_int(c, ":place", j->place);
	else
		store_bind_null(c, ":place");
}

int store_judgment_put(struct store *st, const struct store_judgment *j)
{
	const struct store_cache_row row = {
	        {j->story_hash, j->judge, j->prompt_version},
	        j->raw,
	        j->tokens_in,
	        j->tokens_out,
	        j->usd,
	        j->at};

	if (!isfinite(j->score))
		return store_failf(st, ERR_USAGE,
		                   "store: judgment score %g is not a number",
		                   j->score);
	return store_cache_put(st, STORE_CACHE_JUDGMENT, &row,
	                       store_judgment_bind, j);
}

void store_judgment_clear(struct store_judgment_row *row)
{
	if (!row)
		return;
	free(row->category);
	free(row->raw);
	memset(row, 0, sizeof *row);
}

int store_verdict_get(struct store *st, const char *text_hash,
                      const char *judge, const char *prompt_version,
                      bool *supported, char **problem)
{
	const char *key[] = {text_hash, judge, prompt_version};
	struct store_call c;
	int err;

	*supported = false;
	if (problem)
		*problem = NULL;
	err = store_cache_find(st, STORE_CACHE_VERDICT, key, &c);
	if (err)
		return err;
	*supported = sqlite3_column_int(c.s, 0) != 0;
	if (problem)
		*problem = store_column_text(c.s, 1);
	store_call_end(&c);
	return 0;
}

static void store_verdict_bind(struct store_call *c, const void *own)
{
	const struct store_verdict *v = own;

	store_bind_int(c, ":supported", v->supported ? 1 : 0);
	store_bind_text(c, ":problem", v->problem, STORE_TEXT_MAX);
}

int store_verdict_put(struct store *st, const struct store_verdict *v)
{
	const struct store_cache_row row = {
	        {v->text_hash, v->judge, v->prompt_version},
	        v->raw,
	        v->tokens_in,
	        v->tokens_out,
	        v->usd,
	        v->at};

	return store_cache_put(st, STORE_CACHE_VERDICT, &row,
	                       store_verdict_bind, v);
}

int store_writing_get(struct store *st, const char *key, char **reply)
{
	const char *parts[] = {key};
	struct store_call c;
	int err;

	*reply = NULL;
	err = store_cache_find(st, STORE_CACHE_WRITING, parts, &c);
	if (err)
		return err;
	*reply = store_column_text(c.s, 0);
	store_call_end(&c);
	if (!*reply)
		return store_failf(st, ERR_NOT_FOUND,
		                   "store: no writing with that key");
	return 0;
}

static void store_writing_bind(struct store_call *c, const void *own)
{
	const struct store_writing *w = own;

	store_bind_text(c, ":reply", w->reply, STORE_REPLY_MAX);
}

int store_writing_put(struct store *st, const struct store_writing *w)
{
	const struct store_cache_row row = {
	        {w->key, w->writer, w->prompt_version},
	        w->raw,
	        w->tokens_in,
	        w->tokens_out,
	        w->usd,
	        w->at};
	size_t len;

	if (!store_given(w->reply))
		return store_failf(st, ERR_USAGE,
		                   "store: a writing needs a reply");
	len = strlen(w->reply);
	if (len > STORE_REPLY_MAX)
		return store_failf(st, ERR_LIMIT,
		                   "store: a writer's reply of %zu bytes is "
		                   "over %zu",
		                   len, STORE_REPLY_MAX);
	return store_cache_put(st, STORE_CACHE_WRITING, &row,
	                       store_writing_bind, w);
}
