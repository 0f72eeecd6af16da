#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/ini.h"
#include "store/store.h"
#include "summarize/panel.h"
#include "summarize/text.h"
#include "tests/check.h"
#include "tests/tests.h"

static int load(const char *text, struct panel_config *pc, struct buf *err,
                struct buf *notes)
{
	struct ini ini;
	int rc;

	buf_reset(err);
	buf_reset(notes);
	ini_parse(text, strlen(text), "test.conf", &ini, err);
	rc = panel_config_load(&ini, "test.conf", pc, err, notes);
	ini_free(&ini);
	return rc;
}

static void test_panel_config(void)
{
	struct panel_config pc;
	struct buf err = BUF_INIT(0), notes = BUF_INIT(0);

	/* defaults: no judges, the built-in categories, a prompt version */
	CHECK_INT(load("", &pc, &err, &notes), 0);
	CHECK_INT(pc.njudges, 0);
	CHECK_INT(pc.pooling, POOL_ZMEAN);
	CHECK_INT(pc.batch, 20);
	CHECK_INT(pc.candidates, 150);
	CHECK(pc.ncategories >= 5);
	CHECK(strncmp(pc.prompt_version, "judge-", 6) == 0);
	CHECK(strstr(pc.prompt, "models, research") != NULL);
	CHECK(strstr(pc.prompt, "{categories}") == NULL);
	panel_config_free(&pc);

	setenv("AIDIGEST_TEST_KEY", "sk-secret-123", 1);
	unsetenv("AIDIGEST_TEST_NOKEY");
	CHECK_INT(load("[judge.a]\nprovider = openai\nmodel = m1\n"
	               "api_key_env = AIDIGEST_TEST_KEY\nprice_in = 0.15\n"
	               "price_out = 0.6\nweight = 2\n"
	               "[judge.b]\nprovider = anthropic\nmodel = m2\n"
	               "api_key_env = AIDIGEST_TEST_NOKEY\n"
	               "[judge.c]\nprovider = heuristic\nmodel = recency\n"
	               "[panel]\npooling = borda\nbatch = 5\ntop = 3\n"
	               "reference_price_in = 2.5\n"
	               "[budget]\nmax_usd = 0.25\n"
	               "[categories]\nx = 엑스 | \\bfoo\\b\ny = 와이\n",
	               &pc, &err, &notes),
	          0);
	/* b is skipped: its key variable is not set */
	CHECK_INT(pc.njudges, 2);
	CHECK(strstr(buf_cstr(&notes), "judge b skipped: $AIDIGEST_TEST_NOKEY "
	                               "is not set") != NULL);
	CHECK_STR(pc.judges[0].name, "a");
	CHECK_STR(pc.judges[0].llm.ep.api_key, "sk-secret-123");
	CHECK_STR(pc.judges[0].llm.ep.base_url, "https://api.openai.com/v1");
	CHECK(fabs(pc.judges[0].weight - 2.0) < 1e-9);
	CHECK_INT(pc.judges[1].type, PANEL_JUDGE_HEURISTIC);
	CHECK_INT(pc.judges[1].heuristic, HEURISTIC_RECENCY);
	CHECK_INT(pc.pooling, POOL_BORDA);
	CHECK_INT(pc.batch, 5);
	CHECK_INT(pc.top, 3);
	CHECK(fabs(pc.max_usd - 0.25) < 1e-9);
	CHECK_INT(pc.ncategories, 2);
	CHECK_STR(pc.categories[0].label, "엑스");
	CHECK(pc.categories[0].re != NULL);
	CHECK(pc.categories[1].re == NULL);
	CHECK(strstr(pc.prompt, "x, y") != NULL);
	/* the key never reaches a message */
	CHECK(strstr(buf_cstr(&notes), "sk-secret") == NULL);
	panel_config_free(&pc);

	/* errors, with their lines */
	CHECK_INT(load("[judge.a]\nprovider = llama\nmodel = m\n", &pc, &err,
	               &notes),
	          ERR_PARSE);
	CHECK(strstr(buf_cstr(&err), "test.conf:2: [judge.a] provider is "
	                             "openai, anthropic or heuristic") != NULL);
	panel_config_free(&pc);
	CHECK_INT(load("[judge.a]\nprovider = heuristic\nmodel = vibes\n", &pc,
	               &err, &notes),
	          ERR_PARSE);
	CHECK(strstr(buf_cstr(&err), "model names a built-in judge") != NULL);
	panel_config_free(&pc);
	CHECK_INT(load("[panel]\npooling = average\n", &pc, &err, &notes),
	          ERR_PARSE);
	panel_config_free(&pc);
	CHECK_INT(load("[budget]\nmax_usd = -1\n", &pc, &err, &notes),
	          ERR_PARSE);
	panel_config_free(&pc);
	CHECK_INT(
	        load("[categories]\nbad = X | (unclosed\n", &pc, &err, &notes),
	        ERR_PARSE);
	CHECK(strstr(buf_cstr(&err), "bad pattern") != NULL);
	panel_config_free(&pc);
	buf_free(&err);
	buf_free(&notes);
}

static void test_panel_clean_text(void)
{
	char *s;

	/* bidirectional overrides, zero widths, a BOM: gone */
	s = text_clean("a\xE2\x80\xAE"
	               "b\xE2\x80\x8B"
	               "c\xEF\xBB\xBF"
	               "d",
	               100);
	CHECK_STR(s, "abcd");
	free(s);
	/* cut by code point, never inside a character */
	s = text_clean("한국어 텍스트", 3);
	CHECK_STR(s, "한국어");
	free(s);
	s = text_clean(NULL, 10);
	CHECK_STR(s, "");
	free(s);
}

/* With no judge sections the heuristic judges rank alone. */
static void test_panel_heuristics(void)
{
	struct panel_config pc;
	struct panel_result res;
	struct panel_options po;
	struct engine_run run = {NULL, NULL};
	struct panel_story ps[12];
	struct buf err = BUF_INIT(0), notes = BUF_INIT(0);
	struct store *st = NULL;
	char titles[12][64], hashes[12][17];
	size_t i, nsel = 0;

	CHECK_INT(store_open(":memory:", &st, &err), 0);
	CHECK_INT(
	        load("[panel]\ntop = 4\ncandidates = 10\n", &pc, &err, &notes),
	        0);
	memset(ps, 0, sizeof ps);
	for (i = 0; i < 12; i++) {
		snprintf(titles[i], sizeof titles[i],
		         "Story %zu about topic %zu", i, i * 7);
		snprintf(hashes[i], sizeof hashes[i], "%016zx", i + 1);
		ps[i].id = (int64_t)i + 1;
		ps[i].title = titles[i];
		ps[i].source = "lab";
		ps[i].hash = hashes[i];
		ps[i].h.title = titles[i];
		ps[i].h.time = 1700000000 - (int64_t)i * 3600;
		ps[i].h.corroboration = (int)(i % 3) + 1;
		ps[i].h.best_weight = 1.0;
		ps[i].h.likes = ps[i].h.reposts = ps[i].h.points = -1;
		ps[i].h.stars = ps[i].h.comments = -1;
	}
	memset(&po, 0, sizeof po);
	po.window_end = 1700000000 + 3600;
	run.cache = st;
	CHECK_INT(panel_rank(&run, &pc, ps, 12, &po, &res, &err), 0);
	CHECK(!res.degraded);
	CHECK_INT(res.njudges, HEURISTIC_COUNT);
	CHECK_INT(res.norder, 10);
	CHECK_INT(res.use.requests, 0);
	for (i = 0; i < 12; i++)
		nsel += res.selected[i];
	CHECK_INT(nsel, 4);
	/* best first */
	for (i = 1; i < res.norder; i++)
		CHECK(res.pooled[res.order[i - 1]] >= res.pooled[res.order[i]]);
	/* the two stories outside the candidates are not ranked */
	CHECK(isinf(res.pooled[res.order[11]]));
	panel_result_free(&res);
	panel_config_free(&pc);
	store_close(st);
	buf_free(&err);
	buf_free(&notes);
}

void test_panel(void)
{
	test_panel_config();
	test_panel_clean_text();
	test_panel_heuristics();
}
