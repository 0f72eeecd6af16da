#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/ini.h"
#include "fetch/http.h"
#include "store/store.h"
#include "summarize/panel.h"
#include "summarize/stories.h"
#include "summarize/text.h"
#include "tests/check.h"
#include "tests/server_child.h"
#include "tests/test_llm.h"
#include "tests/tests.h"

#define PANEL_TEST_KEY_VAR "AIDIGEST_TEST_PANEL_KEY"

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

/* Configurations the panel refuses, and what it says. */
static const struct {
	const char *conf, *want;
} panel_test_bad[] = {
        {"[judge.]\nprovider = openai\nmodel = m\n",
         "test.conf:2: [judge.] needs a name\n"},
        {"[panel]\ntop = 0\n",
         "test.conf:2: [panel] top wants a number from 1 to 1000, not "
         "'0'\n"},
        {"[panel]\ntop = 1001\n",
         "test.conf:2: [panel] top wants a number from 1 to 1000, not "
         "'1001'\n"},
        {"[panel]\nbatch = 0\n",
         "test.conf:2: [panel] batch wants a number from 1 to 200, not "
         "'0'\n"},
        {"[panel]\ncandidates = 0\n",
         "test.conf:2: [panel] candidates wants a number from 1 to "
         "100000, not '0'\n"},
        {"[panel]\ntext_max = 10\n",
         "test.conf:2: [panel] text_max wants a number from 50 to "
         "100000, not '10'\n"},
        {"[panel]\nseed = -1\n",
         "test.conf:2: [panel] seed wants a number from 0 to 1e+09, not "
         "'-1'\n"},
        {"[panel]\nquota = 2\n",
         "test.conf:2: [panel] quota wants a number from 0.05 to 1, not "
         "'2'\n"},
        {"[panel]\nweights = judges\n",
         "test.conf:2: [panel] weights is config or editor, not 'judges'\n"},
        {"[panel]\ncolour = blue\n",
         "test.conf:2: [panel] has no key 'colour'\n"},
};

static void test_panel_config(void)
{
	struct panel_config pc;
	struct buf err = BUF_INIT(0), notes = BUF_INIT(0);
	size_t i;

	/* defaults: no judges, the built-in categories, a prompt version */
	CHECK_INT(load("", &pc, &err, &notes), 0);
	CHECK_INT(pc.njudges, 0);
	CHECK_INT(pc.pooling, POOL_ROBUST);
	CHECK_INT(pc.weights, PANEL_WEIGHTS_CONFIG);
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
	               "weights = editor\n"
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
	CHECK_INT(pc.weights, PANEL_WEIGHTS_EDITOR);
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
	for (i = 0; i < sizeof panel_test_bad / sizeof *panel_test_bad; i++) {
		CHECK_INT(load(panel_test_bad[i].conf, &pc, &err, &notes),
		          ERR_PARSE);
		if (!CHECK_STR(buf_cstr(&err), panel_test_bad[i].want))
			fprintf(stderr, "    for '%s'\n",
			        panel_test_bad[i].conf);
		panel_config_free(&pc);
	}
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
/* Without the judges' votes a story's category is the pattern that
 * matches it best: more matches in the title first, then in the text;
 * not the first pattern in the file that matches at all. */
static void test_panel_categories(void)
{
	static const struct {
		const char *title, *text, *want;
	} cases[] = {
	        /* research matches once (연구개발), policy twice */
	        {"과기정통부, 내년 AI 반도체 연구개발에 정부 예산 1200억원 "
	         "투입",
	         "", "policy"},
	        /* a title match beats text matches */
	        {"A new benchmark for agents", "government government policy",
	         "research"},
	        /* tied in the title: the text decides */
	        {"Benchmark and regulation", "a government policy", "policy"},
	        {"Cooking pasta", "", NULL},
	};
	struct panel_config pc;
	struct panel_result res;
	struct panel_options po;
	struct panel_story ps[4];
	struct buf err = BUF_INIT(0), notes = BUF_INIT(0);
	char hashes[4][17];
	size_t i;

	CHECK_INT(load("[categories]\n"
	               "research = 연구 | \\b(benchmark|paper)\\b|연구\n"
	               "policy = 정책 | \\b(government|policy|regulation)\\b|"
	               "정부|투입\n",
	               &pc, &err, &notes),
	          0);
	memset(ps, 0, sizeof ps);
	for (i = 0; i < 4; i++) {
		snprintf(hashes[i], sizeof hashes[i], "%016zx", i + 1);
		ps[i].id = (int64_t)i + 1;
		ps[i].title = ps[i].h.title = cases[i].title;
		ps[i].text = ps[i].h.text = cases[i].text;
		ps[i].hash = hashes[i];
		ps[i].h.time = 1700000000;
		ps[i].h.corroboration = 1;
		ps[i].h.best_weight = 1.0;
		ps[i].h.likes = ps[i].h.reposts = ps[i].h.points = -1;
		ps[i].h.stars = ps[i].h.comments = -1;
	}
	memset(&po, 0, sizeof po);
	po.window_end = 1700000000 + 3600;
	if (CHECK_INT(panel_rank(NULL, &pc, ps, 4, &po, &res, &err), 0)) {
		for (i = 0; i < 4; i++) {
			int c = res.category[i];

			if (!CHECK_STR(c >= 0 ? pc.categories[c].id : NULL,
			               cases[i].want))
				fprintf(stderr, "    %s\n", cases[i].title);
		}
		panel_result_free(&res);
	}
	panel_config_free(&pc);
	buf_free(&err);
	buf_free(&notes);
}

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

/* Against the fake server */

#define PANEL_TEST_N 8

struct panel_test {
	int port;
	struct store *st; /* the judgments' cache, or NULL */
	struct engine_ledger ledger;
	struct panel_story ps[PANEL_TEST_N];
	char titles[PANEL_TEST_N][96], texts[PANEL_TEST_N][64];
	char hashes[PANEL_TEST_N][17];
	struct panel_result res;
};

static void panel_test_stories(struct panel_test *t)
{
	size_t i;

	memset(t->ps, 0, sizeof t->ps);
	for (i = 0; i < PANEL_TEST_N; i++) {
		snprintf(t->titles[i], sizeof t->titles[i], "Model %zu ships",
		         i);
		snprintf(t->texts[i], sizeof t->texts[i], "[q=%zu] news %zu",
		         i % 9 + 1, i);
		snprintf(t->hashes[i], sizeof t->hashes[i], "%016zx", i + 1);
		t->ps[i].id = (int64_t)i + 1;
		t->ps[i].title = t->titles[i];
		t->ps[i].source = "lab";
		t->ps[i].text = t->texts[i];
		t->ps[i].hash = t->hashes[i];
		t->ps[i].h.title = t->titles[i];
		t->ps[i].h.time = 1700000000 - (int64_t)i * 3600;
		t->ps[i].h.corroboration = 1;
		t->ps[i].h.best_weight = 1.0;
		t->ps[i].h.likes = t->ps[i].h.reposts = t->ps[i].h.points = -1;
		t->ps[i].h.stars = t->ps[i].h.comments = -1;
	}
}

/* A judge section on the fake server: NAME, PROVIDER, MODEL, then any
 * more keys (each line ending in a newline). */
static void panel_test_judge(struct buf *conf, int port, const char *name,
                             const char *provider, const char *model,
                             const char *more)
{
	buf_printf(conf,
	           "[judge.%s]\nprovider = %s\nbase_url = "
	           "http://127.0.0.1:%d/v1\nmodel = %s\napi_key_env = %s\n"
	           "price_in = 1\nprice_out = 2\ntimeout = 10\n%s",
	           name, provider, port, model, PANEL_TEST_KEY_VAR,
	           more ? more : "");
}

/* Rank the stories with the configuration conf (a budget > 0 set);
 * res is t->res (panel_result_free it). */
static bool panel_test_rank(struct panel_test *t, const char *conf,
                            double budget)
{
	struct panel_config pc;
	struct panel_options po;
	struct engine_run run;
	struct buf err = BUF_INIT(0), notes = BUF_INIT(0);
	bool ok;

	memset(&po, 0, sizeof po);
	po.window_end = 1700000000 + 3600;
	engine_ledger_init(&t->ledger, budget);
	run.cache = t->st;
	run.ledger = &t->ledger;
	ok = CHECK_INT(load(conf, &pc, &err, &notes), 0);
	ok = ok && CHECK_INT(panel_rank(&run, &pc, t->ps, PANEL_TEST_N, &po,
	                                &t->res, &err),
	                     0);
	if (!ok)
		fprintf(stderr, "    %s\n", buf_cstr(&err));
	panel_config_free(&pc);
	buf_free(&err);
	buf_free(&notes);
	return ok;
}

/* Judge a's and judge b's requests in one ranking with a's extra keys
 * a_more and the [panel] keys panel_more. */
static void panel_test_cached(struct panel_test *t, const char *a_model,
                              const char *a_more, const char *panel_more,
                              long want_a, long want_b)
{
	struct buf conf = BUF_INIT(0);

	panel_test_judge(&conf, t->port, "a", "openai", a_model, a_more);
	panel_test_judge(&conf, t->port, "b", "anthropic", "position", NULL);
	buf_printf(&conf, "[panel]\n%s", panel_more ? panel_more : "");
	if (panel_test_rank(t, buf_cstr(&conf), 0)) {
		if (!CHECK_INT(t->res.judges[0].use.requests, want_a) ||
		    !CHECK_INT(t->res.judges[1].use.requests, want_b))
			fprintf(stderr, "    for %s%s%s\n", a_model,
			        a_more ? " " : "", a_more ? a_more : "");
		CHECK_INT(t->res.judges[0].use.cached,
		          want_a ? 0 : PANEL_TEST_N);
		CHECK(!t->res.degraded);
	}
	panel_result_free(&t->res);
	buf_free(&conf);
}

/* A judgment is the answer of one LLM to one prompt: another model,
 * endpoint, reasoning setting or prompt is asked again; the same
 * configuration pays nothing twice (issue 10, defect 8). */
static void test_panel_cache_identity(struct panel_test *t)
{
	struct buf err = BUF_INIT(0);
	char proxy[96];

	snprintf(proxy, sizeof proxy,
	         "base_url = http://127.0.0.1:%d/proxy/v1/\n", t->port);
	if (!CHECK_INT(store_open(":memory:", &t->st, &err), 0))
		goto out;
	panel_test_cached(t, "fair", NULL, NULL, 1, 1);
	panel_test_cached(t, "fair", NULL, NULL, 0, 0);
	panel_test_cached(t, "fair-v2", NULL, NULL, 1, 0);
	panel_test_cached(t, "fair-v2", NULL, NULL, 0, 0);
	/* the same model behind another endpoint; a trailing '/' is the
	 * same endpoint */
	panel_test_cached(t, "fair-v2", proxy, NULL, 1, 0);
	proxy[strlen(proxy) - 2] = '\n';
	proxy[strlen(proxy) - 1] = '\0';
	panel_test_cached(t, "fair-v2", proxy, NULL, 0, 0);
	panel_test_cached(t, "fair", "reasoning = yes\n", NULL, 1, 0);
	panel_test_cached(t, "fair", "reasoning = yes\n", NULL, 0, 0);
	panel_test_cached(t, "fair",
	                  "reasoning = yes\nreasoning_effort = low\n", NULL, 1,
	                  0);
	/* what a story's text is cut to is part of the prompt */
	panel_test_cached(t, "fair", NULL, "text_max = 600\n", 1, 1);
	/* a new key of the same model is the same LLM */
	panel_test_cached(t, "fair", "timeout = 20\nprice_in = 3\n", NULL, 0,
	                  0);
	store_close(t->st);
out:
	t->st = NULL;
	buf_free(&err);
}

/* The max_tokens of the fake server's requests for model, in order. */
static json_t *panel_test_asked(int port, const char *model)
{
	json_t *stats = llm_test_server_get(port, "/stats");
	json_t *asked =
	        json_object_get(json_object_get(stats, "max_tokens"), model);

	json_incref(asked);
	json_decref(stats);
	return asked;
}

/* A judge whose reply is cut at max_tokens is asked once more with
 * twice the room, when the budget allows; one cut by the context window
 * fails: no part of a cut reply is taken (issue 10, defect 12). */
static void test_panel_cut(struct panel_test *t)
{
	struct buf conf = BUF_INIT(0);
	json_t *asked;
	size_t i;

	json_decref(llm_test_server_get(t->port, "/reset"));
	panel_test_judge(&conf, t->port, "a", "openai", "fair", NULL);
	panel_test_judge(&conf, t->port, "c", "anthropic", "fair-truncated",
	                 NULL);
	panel_test_judge(&conf, t->port, "d", "openai", "position-truncated",
	                 NULL);
	panel_test_judge(&conf, t->port, "e", "anthropic", "fair-overflow",
	                 NULL);
	if (panel_test_rank(t, buf_cstr(&conf), 0)) {
		for (i = 1; i <= 2; i++) {
			CHECK(!t->res.judges[i].failed);
			CHECK_INT(t->res.judges[i].use.requests, 2);
		}
		/* the scores are the whole reply's: c ranks as a does */
		for (i = 0; i < PANEL_TEST_N; i++)
			CHECK(t->res.scores[1 * PANEL_TEST_N + i] ==
			      t->res.scores[0 * PANEL_TEST_N + i]);
		CHECK(t->res.judges[3].failed);
		CHECK_STR(t->res.judges[3].reason,
		          "the reply was cut short by the context window "
		          "(stop_reason model_context_window_exceeded)");
		CHECK_INT(t->res.judges[3].use.requests, 1);
		CHECK(t->res.judges[3].use.tokens_out > 0);
		CHECK(t->res.degraded);
	}
	panel_result_free(&t->res);
	/* 256 + 30 a story, then twice that */
	asked = panel_test_asked(t->port, "fair-truncated");
	CHECK_INT(json_array_size(asked), 2);
	CHECK_INT(json_integer_value(json_array_get(asked, 0)), 496);
	CHECK_INT(json_integer_value(json_array_get(asked, 1)), 992);
	json_decref(asked);

	/* the retry is reserved like any call: a budget that holds the
	 * first call and not the second sends one */
	buf_reset(&conf);
	panel_test_judge(&conf, t->port, "a", "openai", "fair-truncated-2",
	                 NULL);
	if (panel_test_rank(t, buf_cstr(&conf), 0.003)) {
		CHECK_INT(t->res.judges[0].use.requests, 1);
		CHECK(t->res.budget_hit);
		CHECK(t->ledger.spent > 0.001 && t->ledger.spent < 0.003);
		CHECK(t->ledger.reserved == 0);
	}
	panel_result_free(&t->res);
	buf_free(&conf);
}

/* The fake server's scripted judges of issue 14: "copy-fair" answers as
 * "fair" does; "random" answers with scores that have nothing to do with
 * the stories, the same again for the same request. */
static void test_panel_scripted_judges(struct panel_test *t)
{
	struct buf conf = BUF_INIT(0);
	double first[PANEL_TEST_N];
	size_t i, differ = 0, same = 0;
	bool ranked;

	panel_test_judge(&conf, t->port, "a", "openai", "fair", NULL);
	panel_test_judge(&conf, t->port, "b", "anthropic", "copy-fair", NULL);
	panel_test_judge(&conf, t->port, "c", "openai", "random", NULL);
	ranked = panel_test_rank(t, buf_cstr(&conf), 0);
	if (ranked && CHECK_INT(t->res.njudges, 3)) {
		for (i = 0; i < PANEL_TEST_N; i++) {
			double fair = t->res.scores[0 * PANEL_TEST_N + i];
			double rnd = t->res.scores[2 * PANEL_TEST_N + i];

			CHECK(t->res.scores[1 * PANEL_TEST_N + i] == fair);
			CHECK(rnd >= 1 && rnd <= 10);
			differ += rnd != fair;
			first[i] = rnd;
		}
		/* fair scores the [q=N] markers 1..8; chance agrees on a
		 * story one time in ten */
		CHECK(differ >= PANEL_TEST_N / 2);
	}
	panel_result_free(&t->res);
	/* no cache: asked again, answered the same */
	ranked = ranked && panel_test_rank(t, buf_cstr(&conf), 0);
	if (ranked && t->res.njudges == 3) {
		for (i = 0; i < PANEL_TEST_N; i++)
			same += t->res.scores[2 * PANEL_TEST_N + i] == first[i];
		CHECK_INT(same, PANEL_TEST_N);
	}
	panel_result_free(&t->res);
	buf_free(&conf);
}

/* Two headlines of one event the matcher is unsure of: the judges vote
 * them the same event, only one is selected, and the vote is cached. */
static void test_panel_pairs(struct panel_test *t)
{
	struct buf conf = BUF_INIT(0);
	long before;
	size_t a, b;

	panel_test_stories(t);
	snprintf(t->titles[0], sizeof t->titles[0],
	         "Introducing Fathom 3: a fast 8x22B model with a 256K "
	         "context window");
	snprintf(t->titles[1], sizeof t->titles[1],
	         "Worth a look. Fathom Labs releases Fathom 3, a 8x22B "
	         "open-weights model");
	snprintf(t->texts[0], sizeof t->texts[0], "[q=9] a launch");
	snprintf(t->texts[1], sizeof t->texts[1], "[q=9] the same launch");
	if (!CHECK_INT(stories_titles_compare(t->titles[0], t->titles[1]),
	               STORIES_UNSURE))
		goto out;
	t->st = NULL;
	if (!CHECK_INT(store_open(":memory:", &t->st, &conf), 0))
		goto out;
	panel_test_judge(&conf, t->port, "a", "openai", "fair", NULL);
	panel_test_judge(&conf, t->port, "b", "anthropic", "fair", NULL);
	buf_puts(&conf, "[panel]\ntop = 4\n");
	if (panel_test_rank(t, buf_cstr(&conf), 0)) {
		CHECK(t->res.pairs_asked >= 1);
		CHECK(t->res.pairs_same >= 1);
		CHECK(!(t->res.selected[0] && t->res.selected[1]));
		a = t->res.selected[0] ? 0 : 1;
		b = 1 - a;
		if (CHECK(t->res.selected[a]))
			CHECK_INT(t->res.why[b].reason, POOL_SAME_EVENT);
		before = t->res.use.requests;
		CHECK(before > 0);
	}
	panel_result_free(&t->res);
	/* again: the scores and the votes come from the cache */
	if (panel_test_rank(t, buf_cstr(&conf), 0)) {
		CHECK_INT(t->res.use.requests, 0);
		CHECK(t->res.pairs_same >= 1);
	}
	panel_result_free(&t->res);
	store_close(t->st);
	t->st = NULL;
out:
	buf_free(&conf);
	panel_test_stories(t);
}

static void test_panel_server(int port)
{
	struct panel_test t;

	memset(&t, 0, sizeof t);
	t.port = port;
	setenv(PANEL_TEST_KEY_VAR, "test-key", 1);
	panel_test_stories(&t);
	test_panel_cache_identity(&t);
	test_panel_cut(&t);
	test_panel_scripted_judges(&t);
	test_panel_pairs(&t);
}

void test_panel(void)
{
	struct server_child server = {-1, -1, -1, 0};

	test_panel_config();
	test_panel_clean_text();
	test_panel_heuristics();
	test_panel_categories();
	if (!server_child_python3()) {
		printf("panel: server tests skipped (python3 absent)\n");
		return;
	}
	if (!CHECK_INT(http_global_init(), 0))
		return;
	setenv("no_proxy", "127.0.0.1,localhost", 1);
	if (CHECK(server_child_start(&server, "tests/llm_server.py")))
		test_panel_server(server.port);
	server_child_stop(&server);
	http_global_cleanup();
}
