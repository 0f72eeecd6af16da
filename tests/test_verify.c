#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/ini.h"
#include "fetch/http.h"
#include "store/store.h"
#include "summarize/panel.h"
#include "summarize/verify.h"
#include "summarize/writer.h"
#include "tests/check.h"
#include "tests/server_child.h"
#include "tests/tests.h"

#define VERIFY_TEST_KEY_VAR "AIDIGEST_TEST_VERIFY_KEY"

/* The rules: majority, ties, agreement */

static void test_verify_rules(void)
{
	/* hand-computed: 4 texts, 3 judges; P-bar 2/3, P_e 1/2 */
	static const int y1[] = {3, 0, 2, 1}, n1[] = {0, 3, 1, 2};
	/* 7 texts: 3 unanimous yes, 4 with one yes and two no:
	 * P-bar 13/21, P_e 233/441, kappa 40/208 */
	static const int y2[] = {3, 3, 3, 1, 1, 1, 1},
	                 n2[] = {0, 0, 0, 2, 2, 2, 2};
	static const int y3[] = {3, 0}, n3[] = {0, 3};
	static const int y4[] = {3, 3, 3}, n4[] = {0, 0, 0};
	static const int y5[] = {2, 1}, n5[] = {1, 1};
	static const int y6[] = {1, 0}, n6[] = {0, 1};

	CHECK(verify_majority(2, 1));
	CHECK(verify_majority(3, 0));
	CHECK(verify_majority(1, 0));
	CHECK(!verify_majority(1, 1)); /* a tie is unsupported */
	CHECK(!verify_majority(2, 2));
	CHECK(!verify_majority(1, 2));
	CHECK(!verify_majority(0, 0));

	CHECK(fabs(verify_fleiss_kappa(y1, n1, 4) - 1.0 / 3) < 1e-12);
	CHECK(fabs(verify_fleiss_kappa(y2, n2, 7) - 40.0 / 208) < 1e-12);
	CHECK(fabs(verify_fleiss_kappa(y3, n3, 2) - 1.0) < 1e-12);
	/* undefined: all alike, unequal raters, one rater, one text */
	CHECK(isnan(verify_fleiss_kappa(y4, n4, 3)));
	CHECK(isnan(verify_fleiss_kappa(y5, n5, 2)));
	CHECK(isnan(verify_fleiss_kappa(y6, n6, 2)));
	CHECK(isnan(verify_fleiss_kappa(y1, n1, 1)));

	/* the warning: under 0.4, of a verification that ran */
	{
		struct verify_result vr;
		struct buf w = BUF_INIT(0);

		memset(&vr, 0, sizeof vr);
		vr.ran = true;
		vr.kappa = 40.0 / 208; /* 0.19 */
		CHECK(verify_kappa_warning(&vr, "warning: ", &w));
		CHECK(strstr(buf_cstr(&w), "warning: the judges agree little "
		                           "on the Korean texts (Fleiss' kappa "
		                           "0.19, under 0.4)") != NULL);
		buf_reset(&w);
		vr.kappa = 0.4;
		CHECK(!verify_kappa_warning(&vr, "", &w));
		vr.kappa = NAN;
		CHECK(!verify_kappa_warning(&vr, "", &w));
		vr.kappa = 0.1;
		vr.ran = false;
		CHECK(!verify_kappa_warning(&vr, "", &w));
		CHECK_INT(w.len, 0);
		buf_free(&w);
	}

	CHECK_STR(verify_outcome_name(VERIFY_SUPPORTED), "supported");
	CHECK_STR(verify_outcome_name(VERIFY_REWRITTEN), "rewritten");
	CHECK_STR(verify_outcome_name(VERIFY_REPLACED), "replaced");
	CHECK_STR(verify_outcome_name(VERIFY_UNVERIFIED), "unverified");
}

/* Against the fake server */

static const struct writer_story verify_test_stories[] = {
        {101, "Northwind releases a 7B open model", "northwind",
         "Northwind released a 7B open-weights model with a 256K context.",
         NULL},
        {102, "A faster Transformer kernel", "lab",
         "The Transformer kernel halves attention memory on long inputs.",
         NULL},
        {103, "Meridian Vision 2 reads charts", "meridian",
         "Meridian Vision 2 answers questions about charts for $0.40 per "
         "million tokens.",
         NULL},
        {104, "Reward models overfit after two epochs", "arxiv",
         "Across 40 datasets, reward models lose 6 to 11 points of "
         "agreement.",
         NULL},
        {105, "A Korean tokenizer library", "geeknews",
         "It splits Hangul syllables for LLM training.", NULL},
};
#define VERIFY_TEST_N 5

struct verify_test {
	int port;
	struct store *st;
	struct panel_config pc;
	struct writer_config wc;
	struct writer_output o, ex;
	struct verify_result res;
	struct buf err;
};

/* Load judges (models, alternating APIs) and a writer, write the five
 * stories, and verify with a budget (negative: none). */
static bool verify_test_run(struct verify_test *t, const char *writer,
                            const char *const *judges, size_t njudges,
                            const char *extra, double budget)
{
	struct buf conf = BUF_INIT(0), notices = BUF_INIT(0);
	struct engine_ledger ledger;
	struct engine_run run;
	struct verify_input in;
	struct ini ini;
	size_t i;
	bool ok = true;

	for (i = 0; i < njudges; i++)
		buf_printf(&conf,
		           "[judge.j%zu]\nprovider = %s\nbase_url = "
		           "http://127.0.0.1:%d/v1\nmodel = %s\napi_key_env = "
		           "%s\nprice_in = 1\nprice_out = 2\ntimeout = 10\n",
		           i + 1, i % 2 ? "anthropic" : "openai", t->port,
		           judges[i], VERIFY_TEST_KEY_VAR);
	if (writer)
		buf_printf(&conf,
		           "[writer]\nprovider = openai\nbase_url = "
		           "http://127.0.0.1:%d/v1\nmodel = %s\napi_key_env = "
		           "%s\nprice_in = 2\nprice_out = 8\ntimeout = 10\n",
		           t->port, writer, VERIFY_TEST_KEY_VAR);
	buf_puts(&conf, extra ? extra : "");
	buf_reset(&t->err);
	ini_parse(conf.data ? conf.data : "", conf.len, "test.conf", &ini,
	          &t->err);
	ok &= CHECK_INT(
	        panel_config_load(&ini, "test.conf", &t->pc, &t->err, &notices),
	        0);
	ok &= CHECK_INT(writer_config_load(&ini, "test.conf", &t->wc, &t->err,
	                                   &notices),
	                0);
	ini_free(&ini);
	/* the writer writes before the budget is set: what it spent does not
	 * count against verification's share here */
	engine_ledger_init(&ledger, 0);
	run.cache = t->st;
	run.ledger = &ledger;
	ok &= CHECK_INT(writer_write(&t->wc, &run, verify_test_stories,
	                             VERIFY_TEST_N, NULL, 0, &t->o, &t->err),
	                0);
	ok &= CHECK_INT(writer_write(NULL, NULL, verify_test_stories,
	                             VERIFY_TEST_N, NULL, 0, &t->ex, &t->err),
	                0);
	engine_ledger_init(&ledger, budget > 0 ? budget : 0);
	if (budget == 0)
		ledger.max_usd = 1e-12; /* nothing may be spent */
	memset(&in, 0, sizeof in);
	in.pc = &t->pc;
	in.wc = &t->wc;
	in.stories = verify_test_stories;
	in.n = VERIFY_TEST_N;
	in.ex = &t->ex;
	ok &= CHECK_INT(verify_digest(&run, &in, &t->o, &t->res, &t->err), 0);
	buf_free(&conf);
	buf_free(&notices);
	return ok;
}

static void verify_test_done(struct verify_test *t)
{
	verify_result_free(&t->res);
	writer_output_free(&t->o);
	writer_output_free(&t->ex);
	panel_config_free(&t->pc);
	writer_config_free(&t->wc);
}

/* Whether any slot of the post still carries a planted claim. */
static bool verify_test_planted(const struct writer_output *o)
{
	static const char *const plants[] = {"73.4", "9876", "4321"};
	size_t i, k;

	for (k = 0; k < 3; k++) {
		if (strstr(o->intro, plants[k]) ||
		    strstr(o->viewpoint, plants[k]))
			return true;
		for (i = 0; i < o->npieces; i++)
			if (strstr(o->pieces[i].oneliner, plants[k]) ||
			    strstr(o->pieces[i].summary, plants[k]))
				return true;
	}
	return false;
}

/* A verdict is the answer of one LLM: the same judge with another model
 * or endpoint votes again, the others' votes stay cached (issue 10,
 * defect 8). */
static void test_verify_cache_identity(struct verify_test *t)
{
	static const char *const other_model[] = {"fair-v2", "position",
	                                          "fair-vmiss"};
	static const char *const catch2miss1[] = {"fair", "position",
	                                          "fair-vmiss"};
	char extra[128];

	if (verify_test_run(t, "writer-planted", other_model, 3, NULL, -1)) {
		CHECK_INT(t->res.judges[0].use.requests, 2);
		CHECK_INT(t->res.judges[1].use.requests, 0);
		CHECK_INT(t->res.judges[2].use.requests, 0);
		CHECK_INT(t->res.rewritten, 4);
	}
	verify_test_done(t);
	snprintf(extra, sizeof extra,
	         "[judge.j2]\nbase_url = http://127.0.0.1:%d/proxy/v1\n",
	         t->port);
	if (verify_test_run(t, "writer-planted", catch2miss1, 3, extra, -1)) {
		CHECK_INT(t->res.judges[0].use.requests, 0);
		CHECK_INT(t->res.judges[1].use.requests, 2);
		CHECK_INT(t->res.judges[2].use.requests, 0);
	}
	verify_test_done(t);
	if (verify_test_run(t, "writer-planted", catch2miss1, 3, extra, -1))
		CHECK_INT(t->res.use.requests, 0);
	verify_test_done(t);
}

/* Runs that verify nothing, and the cache of verdicts. */
static void test_verify_skips_and_cache(struct verify_test *t)
{
	static const char *const catch2miss1[] = {"fair", "position",
	                                          "fair-vmiss"};
	static const char *const two[] = {"fair", "position"};
	char path[64];
	int fd;

	/* not verified: no LLM judges; [panel] verify = no; nothing the LLM
	 * wrote */
	if (verify_test_run(t, "writer-planted", NULL, 0, NULL, -1)) {
		CHECK(!t->res.ran);
		CHECK_STR(t->res.note, "not verified: no LLM judges");
		CHECK(verify_test_planted(&t->o)); /* said, not hidden */
	}
	verify_test_done(t);
	if (verify_test_run(t, "writer-planted", two, 2,
	                    "[panel]\nverify = no\n", -1)) {
		CHECK(!t->res.ran);
		CHECK_STR(t->res.note, "not verified: [panel] verify = no");
		CHECK_INT(t->res.use.requests, 0);
	}
	verify_test_done(t);
	if (verify_test_run(t, NULL, two, 2, NULL, -1)) {
		CHECK(!t->res.ran);
		CHECK(strstr(t->res.note, "nothing the LLM wrote") != NULL);
	}
	verify_test_done(t);

	/* the cache: the same texts cost nothing the second time */
	snprintf(path, sizeof path, "/tmp/aidigest-verify-XXXXXX");
	fd = mkstemp(path);
	if (CHECK(fd >= 0)) {
		close(fd);
		buf_reset(&t->err);
		if (CHECK_INT(store_open(path, &t->st, &t->err), 0)) {
			if (verify_test_run(t, "writer-planted", catch2miss1, 3,
			                    NULL, -1))
				CHECK_INT(t->res.use.requests, 6);
			verify_test_done(t);
			if (verify_test_run(t, "writer-planted", catch2miss1, 3,
			                    NULL, -1)) {
				CHECK_INT(t->res.use.requests, 0);
				CHECK_INT(t->res.rewrite.requests, 0);
				CHECK_INT(t->res.judges[0].use.cached, 7 + 4);
				CHECK_INT(t->res.rewritten, 4);
				CHECK(t->res.units[1].votes[0][0].cached);
				CHECK(!verify_test_planted(&t->o));
			}
			verify_test_done(t);
			test_verify_cache_identity(t);
			store_close(t->st);
			t->st = NULL;
		}
		unlink(path);
		strcat(path, "-wal");
		unlink(path);
		path[strlen(path) - 4] = '\0';
		strcat(path, "-shm");
		unlink(path);
	}
}

static void test_verify_server(int port)
{
	static const char *const catch2miss1[] = {"fair", "position",
	                                          "fair-vmiss"};
	static const char *const catch1miss2[] = {"fair", "fair-vmiss",
	                                          "position-vmiss"};
	static const char *const tie[] = {"fair", "fair-vmiss"};
	static const char *const failing[] = {"fair", "position-vfail",
	                                      "fair-vmiss"};
	static const char *const two[] = {"fair", "position"};
	static const char *const truncated[] = {"fair-truncated", "position",
	                                        "fair-vmiss"};
	struct verify_test t;
	size_t i;

	memset(&t, 0, sizeof t);
	t.port = port;
	buf_init(&t.err, 0);
	setenv(VERIFY_TEST_KEY_VAR, "test-key", 1);

	/* two judges catch the invented figures, one misses them: the four
	 * planted texts are sent back, rewritten and then supported */
	if (verify_test_run(&t, "writer-planted", catch2miss1, 3, NULL, -1)) {
		CHECK(verify_test_planted(&t.ex) == false);
		CHECK(t.res.ran);
		CHECK_INT(t.res.checked, 7);
		CHECK_INT(t.res.supported_first, 3);
		CHECK_INT(t.res.rewritten, 4);
		CHECK_INT(t.res.replaced, 0);
		CHECK_INT(t.res.unverified, 0);
		CHECK_INT(t.res.use.requests, 6); /* 3 judges x 2 rounds */
		CHECK_INT(t.res.rewrite.requests, 1);
		CHECK(t.res.use.usd > 0 && t.res.rewrite.usd > 0);
		CHECK(fabs(t.res.kappa - 40.0 / 208) < 1e-9);
		CHECK(!verify_test_planted(&t.o));
		CHECK(!t.res.degraded);
		CHECK_STR(t.res.note, "");
		for (i = 0; i < t.res.nunits; i++) {
			const struct verify_unit *u = &t.res.units[i];

			if (u->outcome != VERIFY_REWRITTEN)
				continue;
			CHECK_INT(u->yes[0], 1);
			CHECK_INT(u->no[0], 2);
			CHECK_INT(u->yes[1], 3);
			CHECK(u->votes[0][0].supported == 0 &&
			      u->votes[0][0].problem &&
			      strstr(u->votes[0][0].problem,
			             "원문에 없는 수치"));
		}
		CHECK_STR(t.res.units[5].id, "intro");
		CHECK_INT(t.res.units[5].outcome, VERIFY_REWRITTEN);
		CHECK_STR(t.res.units[6].id, "viewpoint");
		CHECK(strstr(t.o.intro, "원문에 있는 내용대로") != NULL);
	}
	verify_test_done(&t);

	/* a majority that misses a claim lets it through: the rule is the
	 * panel's vote, not any one judge's */
	if (verify_test_run(&t, "writer-planted", catch1miss2, 3, NULL, -1)) {
		CHECK_INT(t.res.supported_first, 7);
		CHECK_INT(t.res.rewritten, 0);
		CHECK(verify_test_planted(&t.o));
	}
	verify_test_done(&t);

	/* a judge's reply cut at max_tokens is asked again with more room,
	 * in both rounds: its votes count (issue 10, defect 12) */
	if (verify_test_run(&t, "writer-planted", truncated, 3, NULL, -1)) {
		CHECK(!t.res.judges[0].failed);
		CHECK_INT(t.res.judges[0].use.requests, 4);
		CHECK_INT(t.res.rewritten, 4);
		CHECK(!t.res.degraded);
	}
	verify_test_done(&t);

	/* one against one is a tie: unsupported, sent back */
	if (verify_test_run(&t, "writer-planted", tie, 2, NULL, -1)) {
		CHECK_INT(t.res.supported_first, 3);
		CHECK_INT(t.res.rewritten, 4);
		CHECK(!verify_test_planted(&t.o));
	}
	verify_test_done(&t);

	/* a judge that fails verification is dropped, named, and the run is
	 * degraded; the other two tie on the planted texts */
	if (verify_test_run(&t, "writer-planted", failing, 3, NULL, -1)) {
		CHECK(t.res.degraded);
		CHECK(t.res.judges[1].failed);
		CHECK(strstr(t.res.note, "judge j2 failed verification") !=
		      NULL);
		CHECK_INT(t.res.rewritten, 4);
		CHECK(!verify_test_planted(&t.o));
		CHECK_INT(t.res.units[0].yes[0] + t.res.units[0].no[0], 2);
	}
	verify_test_done(&t);

	/* a story the rewrite does not mend gets the extractive text */
	if (verify_test_run(&t, "writer-stubborn", catch2miss1, 3, NULL, -1)) {
		CHECK_INT(t.res.rewritten, 3);
		CHECK_INT(t.res.replaced, 1);
		CHECK(!verify_test_planted(&t.o));
		CHECK_INT(t.res.units[1].outcome, VERIFY_REPLACED);
		CHECK_STR(t.o.pieces[1].oneliner, t.ex.pieces[1].oneliner);
		CHECK_STR(t.o.pieces[1].summary, t.ex.pieces[1].summary);
		CHECK(!t.o.pieces[1].llm);
	}
	verify_test_done(&t);

	/* a summary that lost a glossary term goes back without a vote */
	if (verify_test_run(&t, "writer-glossary", two, 2,
	                    "[glossary]\nterms = Transformer\n", -1)) {
		CHECK_INT(t.res.rewritten, 1);
		CHECK_INT(t.res.replaced, 0);
		CHECK(t.res.units[1].text[0] == NULL);
		CHECK(t.res.units[1].lost_term &&
		      strstr(t.res.units[1].lost_term, "'Transformer'"));
		CHECK(strstr(t.o.pieces[1].summary, "Transformer") != NULL);
		CHECK(strstr(t.o.pieces[1].summary, "변환기") == NULL);
		CHECK(t.o.pieces[1].lost_term == NULL);
	}
	verify_test_done(&t);

	/* the budget: nothing is sent, nothing unchecked is published */
	if (verify_test_run(&t, "writer-planted", catch2miss1, 3, NULL, 1e-7)) {
		CHECK(t.res.budget_hit && t.res.degraded);
		CHECK_INT(t.res.use.requests, 0);
		CHECK_INT(t.res.unverified, 7);
		CHECK(strstr(t.res.note, "budget") != NULL);
		for (i = 0; i < VERIFY_TEST_N; i++)
			CHECK_STR(t.o.pieces[i].summary,
			          t.ex.pieces[i].summary);
		CHECK_STR(t.o.intro, t.ex.intro);
		CHECK_STR(t.o.viewpoint, t.ex.viewpoint);
		CHECK_STR(t.o.title, t.ex.title);
	}
	verify_test_done(&t);

	test_verify_skips_and_cache(&t);

	/* bad arguments */
	buf_reset(&t.err);
	CHECK_INT(verify_digest(NULL, NULL, NULL, &t.res, &t.err), ERR_USAGE);
	CHECK(strstr(buf_cstr(&t.err), "verify:") != NULL);
	buf_free(&t.err);
}

void test_verify(void)
{
	struct server_child server = {-1, -1, -1, 0};

	test_verify_rules();
	if (!server_child_python3()) {
		printf("verify: server tests skipped (python3 absent)\n");
		return;
	}
	if (!CHECK_INT(http_global_init(), 0))
		return;
	setenv("no_proxy", "127.0.0.1,localhost", 1);
	if (CHECK(server_child_start(&server, "tests/llm_server.py")))
		test_verify_server(server.port);
	server_child_stop(&server);
	http_global_cleanup();
}
