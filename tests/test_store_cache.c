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

struct store_judgment tstore_judgment(const char *hash, const char *judge,
                                      const char *version, double score)
{
	struct store_judgment j;

	memset(&j, 0, sizeof j);
	j.story_hash = hash;
	j.judge = judge;
	j.prompt_version = version;
	j.score = score;
	j.place = -1;
	return j;
}

void test_store_judgments(struct store *st)
{
	struct store_judgment j;
	struct store_judgment_row row;
	struct buf big = BUF_INIT(0);
	size_t i, len;

	memset(&row, 0x5a, sizeof row);
	CHECK_INT(store_judgment_get(st, "00000000000000aa", "gpt", "v1", &row),
	          ERR_NOT_FOUND);
	CHECK(row.category == NULL && row.raw == NULL && row.score == 0);

	j = tstore_judgment("00000000000000aa", "gpt", "v1", 7.5);
	j.category = "model";
	j.raw = "{\"scores\":[{\"id\":\"1\",\"score\":7.5}]}";
	j.tokens_in = 1200;
	j.tokens_out = 80;
	j.usd = 0.0042;
	j.at = 1767225600;
	j.place = 13;
	CHECK_INT(store_judgment_put(st, &j), 0);
	CHECK_INT(store_judgment_get(st, "00000000000000aa", "gpt", "v1", &row),
	          0);
	CHECK(row.score == 7.5);
	CHECK_STR(row.category, "model");
	CHECK_STR(row.raw, j.raw);
	CHECK_INT(row.tokens_in, 1200);
	CHECK_INT(row.tokens_out, 80);
	CHECK(row.usd == 0.0042);
	CHECK_INT(row.at, 1767225600);
	CHECK_INT(row.place, 13);
	store_judgment_clear(&row);
	CHECK(row.category == NULL && row.raw == NULL);
	store_judgment_clear(&row);
	store_judgment_clear(NULL);

	/* the key is all three; a put replaces, and NULLs stay NULL */
	j = tstore_judgment("00000000000000aa", "gpt", "v1", 3);
	CHECK_INT(store_judgment_put(st, &j), 0);
	j = tstore_judgment("00000000000000aa", "gpt", "v2", 9);
	CHECK_INT(store_judgment_put(st, &j), 0);
	j = tstore_judgment("00000000000000aa", "claude", "v1", 1);
	CHECK_INT(store_judgment_put(st, &j), 0);
	CHECK_INT(store_judgment_get(st, "00000000000000aa", "gpt", "v1", &row),
	          0);
	CHECK(row.score == 3);
	CHECK(row.category == NULL && row.raw == NULL);
	CHECK_INT(row.place, -1); /* unknown stays unknown */
	CHECK_INT(row.tokens_in, 0);
	store_judgment_clear(&row);
	CHECK_INT(store_judgment_get(st, "00000000000000aa", "gpt", "v2", &row),
	          0);
	CHECK(row.score == 9);
	store_judgment_clear(&row);
	CHECK_INT(store_judgment_get(st, "00000000000000aa", "claude", "v1",
	                             &row),
	          0);
	CHECK(row.score == 1);
	store_judgment_clear(&row);
	CHECK_INT(store_judgment_get(st, "00000000000000ab", "gpt", "v1", &row),
	          ERR_NOT_FOUND);

	/* a raw reply past the cap is cut on a character boundary */
	for (i = 0; i < 30000; i++)
		buf_puts(&big, "\xEA\xB0\x80"); /* 가 */
	j = tstore_judgment("00000000000000bb", "gpt", "v1", 5);
	j.raw = buf_cstr(&big);
	CHECK_INT(store_judgment_put(st, &j), 0);
	CHECK_INT(store_judgment_get(st, "00000000000000bb", "gpt", "v1", &row),
	          0);
	if (CHECK(row.raw != NULL)) {
		len = strlen(row.raw);
		CHECK(len <= STORE_RAW_MAX && len > STORE_RAW_MAX - 4);
		CHECK_INT(len % 3, 0);
		CHECK_INT(utf8_valid_prefix(row.raw, len), len);
	}
	store_judgment_clear(&row);
	buf_free(&big);

	/* bad input is refused and changes nothing */
	j = tstore_judgment(NULL, "gpt", "v1", 5);
	CHECK_INT(store_judgment_put(st, &j), ERR_USAGE);
	CHECK(strstr(store_error(st), "story hash") != NULL);
	j = tstore_judgment("00000000000000aa", "", "v1", 5);
	CHECK_INT(store_judgment_put(st, &j), ERR_USAGE);
	j = tstore_judgment("00000000000000aa", "gpt", NULL, 5);
	CHECK_INT(store_judgment_put(st, &j), ERR_USAGE);
	j = tstore_judgment("00000000000000aa", "gpt", "v1", NAN);
	CHECK_INT(store_judgment_put(st, &j), ERR_USAGE);
	j = tstore_judgment("00000000000000aa", "gpt", "v1", 5);
	j.usd = INFINITY;
	CHECK_INT(store_judgment_put(st, &j), ERR_USAGE);
	CHECK_INT(store_judgment_get(st, NULL, "gpt", "v1", &row), ERR_USAGE);
	CHECK_INT(store_judgment_get(st, "00000000000000aa", "gpt", "v1", &row),
	          0);
	CHECK(row.score == 3);
	store_judgment_clear(&row);
}

/* The writer's replies (migration 4): whole or refused, never cut. */
void test_store_writings(void)
{
	struct buf err = BUF_INIT(0), big = BUF_INIT(0);
	struct store *st = NULL;
	struct store_writing w = {"k1",
	                          "writer",
	                          "writer-abc",
	                          "{\"title\":\"\xEC\x98\xA4\xEB\x8A\x98\"}",
	                          "{\"choices\":[]}",
	                          1200,
	                          900,
	                          0.0123,
	                          100};
	char *reply = (char *)"unchanged";

	CHECK_INT(store_open(":memory:", &st, &err), 0);
	if (!st)
		return;
	CHECK_INT(store_writing_get(st, "k1", &reply), ERR_NOT_FOUND);
	CHECK(reply == NULL);
	CHECK_INT(store_writing_put(st, &w), 0);
	CHECK_INT(store_writing_get(st, "k1", &reply), 0);
	CHECK_STR(reply, w.reply);
	free(reply);
	/* a put replaces */
	w.reply = "{\"title\":\"b\"}";
	w.raw = NULL;
	CHECK_INT(store_writing_put(st, &w), 0);
	CHECK_INT(store_writing_get(st, "k1", &reply), 0);
	CHECK_STR(reply, "{\"title\":\"b\"}");
	free(reply);
	CHECK_INT(store_writing_get(st, "k2", &reply), ERR_NOT_FOUND);
	/* bad input is refused */
	CHECK_INT(store_writing_get(st, "", &reply), ERR_USAGE);
	w.key = NULL;
	CHECK_INT(store_writing_put(st, &w), ERR_USAGE);
	CHECK(strstr(store_error(st), "key") != NULL);
	w.key = "k3";
	w.reply = "";
	CHECK_INT(store_writing_put(st, &w), ERR_USAGE);
	w.reply = "{}";
	w.usd = NAN;
	CHECK_INT(store_writing_put(st, &w), ERR_USAGE);
	w.usd = 0;
	/* a reply too big to keep whole is refused, not cut into bad JSON */
	while (big.len <= STORE_REPLY_MAX)
		buf_puts(&big,
		         "\xEA\xB0\x80\xEA\xB0\x80\xEA\xB0\x80\xEA\xB0\x80");
	w.reply = buf_cstr(&big);
	CHECK_INT(store_writing_put(st, &w), ERR_LIMIT);
	CHECK(strstr(store_error(st), "over") != NULL);
	CHECK_INT(store_writing_get(st, "k3", &reply), ERR_NOT_FOUND);
	store_close(st);
	buf_free(&big);
	buf_free(&err);
}

/* The panel's verdicts (migration 5). */
void test_store_verdicts(void)
{
	struct buf err = BUF_INIT(0);
	struct store *st = NULL;
	struct store_verdict v = {"00000000000000aa",
	                          "gpt",
	                          "verify-1",
	                          false,
	                          "원문에 없는 수치: 73.4",
	                          "{}",
	                          10,
	                          5,
	                          0.001,
	                          100};
	bool ok = true;
	char *problem = (char *)"unchanged";

	CHECK_INT(store_open(":memory:", &st, &err), 0);
	if (!st)
		return;
	CHECK_INT(store_verdict_get(st, v.text_hash, "gpt", "verify-1", &ok,
	                            &problem),
	          ERR_NOT_FOUND);
	CHECK(!ok && problem == NULL);
	CHECK_INT(store_verdict_put(st, &v), 0);
	CHECK_INT(store_verdict_get(st, v.text_hash, "gpt", "verify-1", &ok,
	                            &problem),
	          0);
	CHECK(!ok);
	CHECK_STR(problem, "원문에 없는 수치: 73.4");
	free(problem);
	/* the key is all three; a put replaces; a NULL problem stays NULL */
	v.supported = true;
	v.problem = NULL;
	CHECK_INT(store_verdict_put(st, &v), 0);
	v.judge = "claude";
	v.supported = false;
	CHECK_INT(store_verdict_put(st, &v), 0);
	CHECK_INT(store_verdict_get(st, v.text_hash, "gpt", "verify-1", &ok,
	                            &problem),
	          0);
	CHECK(ok && problem == NULL);
	CHECK_INT(store_verdict_get(st, v.text_hash, "claude", "verify-1", &ok,
	                            NULL),
	          0);
	CHECK(!ok);
	CHECK_INT(store_verdict_get(st, v.text_hash, "gpt", "verify-2", &ok,
	                            NULL),
	          ERR_NOT_FOUND);
	/* bad input is refused */
	v.judge = "";
	CHECK_INT(store_verdict_put(st, &v), ERR_USAGE);
	CHECK(strstr(store_error(st), "judge") != NULL);
	v.judge = "gpt";
	v.usd = NAN;
	CHECK_INT(store_verdict_put(st, &v), ERR_USAGE);
	CHECK_INT(store_verdict_get(st, NULL, "gpt", "verify-1", &ok, NULL),
	          ERR_USAGE);
	store_close(st);
	buf_free(&err);
}

/* One cache as the shared-path tests drive it: every put has tokens 11
 * and 22 and time 777, and a key of its own part (the others fixed). */
struct cache_case {
	const char *table; /* its SQL table */
	const char *name;  /* as messages say it */
	int (*put)(struct store *st, const char *key, const char *raw,
	           double usd);
	int (*get)(struct store *st, const char *key);
};

static int put_judgment(struct store *st, const char *key, const char *raw,
                        double usd)
{
	struct store_judgment j = tstore_judgment(key, "gpt", "v1", 4);

	j.raw = raw;
	j.tokens_in = 11;
	j.tokens_out = 22;
	j.usd = usd;
	j.at = 777;
	return store_judgment_put(st, &j);
}

static int get_judgment(struct store *st, const char *key)
{
	struct store_judgment_row row;
	int err = store_judgment_get(st, key, "gpt", "v1", &row);

	store_judgment_clear(&row);
	return err;
}

static int put_verdict(struct store *st, const char *key, const char *raw,
                       double usd)
{
	struct store_verdict v = {key, "gpt", "v1", true, NULL,
	                          raw, 11,    22,   usd,  777};

	return store_verdict_put(st, &v);
}

static int get_verdict(struct store *st, const char *key)
{
	bool ok;

	return store_verdict_get(st, key, "gpt", "v1", &ok, NULL);
}

static int put_writing(struct store *st, const char *key, const char *raw,
                       double usd)
{
	struct store_writing w = {key, "writer", "v1", "{}", raw,
	                          11,  22,       usd,  777};

	return store_writing_put(st, &w);
}

static int get_writing(struct store *st, const char *key)
{
	char *reply = NULL;
	int err = store_writing_get(st, key, &reply);

	free(reply);
	return err;
}

static const struct cache_case cache_cases[] = {
        {"judgments", "judgment", put_judgment, get_judgment},
        {"verdicts", "verdict", put_verdict, get_verdict},
        {"writings", "writing", put_writing, get_writing},
};

/* The shared columns of the one row of table, as "raw-ok tokens_in
 * tokens_out usd at" (raw-ok: cut on a character boundary just under
 * STORE_RAW_MAX bytes). */
static void cache_columns(const char *path, const char *table, struct buf *out)
{
	struct buf sql = BUF_INIT(0);

	buf_printf(&sql,
	           "SELECT (length(CAST(raw AS BLOB)) BETWEEN %zu AND %zu"
	           " AND length(CAST(raw AS BLOB)) %% 3 = 0) || ' ' ||"
	           " tokens_in || ' ' || tokens_out || ' ' || usd || ' ' ||"
	           " at FROM %s",
	           STORE_RAW_MAX - 3, STORE_RAW_MAX, table);
	tstore_raw_pragma(path, buf_cstr(&sql), out);
	buf_free(&sql);
}

/* Judgments, verdicts and writings go through one path: the same
 * refusals, the same not-found, the shared columns stored alike. */
void test_store_cache_shared(void)
{
	char path[64], sql[128];
	struct buf big = BUF_INIT(0), out = BUF_INIT(0);
	struct store *st;
	size_t i;

	if (!CHECK(tstore_temp_db(path, sizeof path)))
		return;
	st = tstore_open(path);
	if (!st)
		goto out;
	for (i = 0; i < 30000; i++)
		buf_puts(&big, "\xEA\xB0\x80"); /* 가 */
	for (i = 0; i < sizeof cache_cases / sizeof cache_cases[0]; i++) {
		const struct cache_case *c = &cache_cases[i];

		CHECK_INT(c->get(st, "k-shared"), ERR_NOT_FOUND);
		CHECK(strstr(store_error(st), c->name) != NULL);
		CHECK_INT(c->get(st, ""), ERR_USAGE);
		CHECK_INT(c->get(st, NULL), ERR_USAGE);
		CHECK_INT(c->put(st, NULL, NULL, 0), ERR_USAGE);
		CHECK(strstr(store_error(st), c->name) != NULL);
		CHECK_INT(c->put(st, "", NULL, 0), ERR_USAGE);
		CHECK_INT(c->put(st, "k-shared", NULL, NAN), ERR_USAGE);
		CHECK(strstr(store_error(st), "cost") != NULL);
		CHECK_INT(c->put(st, "k-shared", NULL, INFINITY), ERR_USAGE);
		CHECK_INT(c->get(st, "k-shared"), ERR_NOT_FOUND);

		CHECK_INT(c->put(st, "k-shared", buf_cstr(&big), 0.5), 0);
		CHECK_INT(c->get(st, "k-shared"), 0);
		cache_columns(path, c->table, &out);
		CHECK_STR(buf_cstr(&out), "1 11 22 0.5 777");
		/* a put replaces the row, and a NULL raw stays NULL */
		CHECK_INT(c->put(st, "k-shared", NULL, 0.25), 0);
		snprintf(sql, sizeof sql,
		         "SELECT count(*) || ' ' || (raw IS NULL) || ' ' || usd"
		         " FROM %s",
		         c->table);
		tstore_raw_pragma(path, sql, &out);
		CHECK_STR(buf_cstr(&out), "1 1 0.25");
	}
	store_close(st);
out:
	buf_free(&big);
	buf_free(&out);
	tstore_remove_db(path);
}

void test_store_picks(void)
{
	struct store *st = tstore_open(":memory:");
	struct store_pick_row *v = NULL;
	size_t n = 0;

	if (!st)
		return;
	CHECK_INT(store_picks_get(st, "2026-11-20", &v, &n), 0);
	CHECK_INT(n, 0);
	CHECK_INT(store_pick_set(st, "2026-11-20", 7, STORE_PICK_DROP, 100), 0);
	CHECK_INT(store_pick_set(st, "2026-11-20", 3, STORE_PICK_PIN, 101), 0);
	CHECK_INT(store_pick_set(st, "2026-11-21", 9, STORE_PICK_PIN, 102), 0);
	/* a second pick of a story replaces the first */
	CHECK_INT(store_pick_set(st, "2026-11-20", 7, STORE_PICK_PIN, 103), 0);
	CHECK_INT(store_picks_get(st, "2026-11-20", &v, &n), 0);
	if (CHECK_INT(n, 2)) {
		CHECK_INT(v[0].story_id, 3);
		CHECK_INT(v[0].action, STORE_PICK_PIN);
		CHECK_INT(v[1].story_id, 7);
		CHECK_INT(v[1].action, STORE_PICK_PIN);
		CHECK_INT(v[1].at, 103);
	}
	free(v);
	CHECK_INT(store_pick_set(st, "", 1, STORE_PICK_PIN, 0), ERR_USAGE);
	CHECK_INT(store_pick_set(st, "2026-11-20", 1, (enum store_pick)9, 0),
	          ERR_USAGE);
	/* clearing a day leaves the others */
	CHECK_INT(store_picks_clear(st, "2026-11-20"), 0);
	CHECK_INT(store_picks_get(st, "2026-11-20", &v, &n), 0);
	CHECK_INT(n, 0);
	CHECK_INT(store_picks_get(st, "2026-11-21", &v, &n), 0);
	CHECK_INT(n, 1);
	free(v);
	store_close(st);
}
