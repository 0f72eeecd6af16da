#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "summarize/llm.h"
#include "tests/check.h"
#include "tests/test_llm.h"

/* Replies that must not pass for whole ones (issue 10, defect 12): cut at
 * max_tokens or by the context window, the answer among several tool
 * blocks, and the words of an error body whose root is an array. */

#define CUT_TEST_URL_MAX 128

static const char cut_test_schema[] =
        "{\"type\":\"object\",\"additionalProperties\":false,"
        "\"required\":[\"scores\"],\"properties\":{\"scores\":{\"type\":"
        "\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"id\":"
        "{\"type\":\"string\"},\"score\":{\"type\":\"integer\"},"
        "\"category\":{\"type\":\"string\"}}}}}}";

static const char cut_test_user[] = "Score these stories:\n"
                                    "[{\"id\":\"s0\",\"title\":\"A\","
                                    "\"source\":\"lab\",\"text\":\"[q=5]\"},"
                                    "{\"id\":\"s1\",\"title\":\"B\",\"source\":"
                                    "\"blog\",\"text\":\"[q=6]\"},"
                                    "{\"id\":\"s2\",\"title\":\"C\",\"source\":"
                                    "\"news\",\"text\":\"[q=7]\"},"
                                    "{\"id\":\"s3\",\"title\":\"D\",\"source\":"
                                    "\"news\",\"text\":\"[q=8]\"}]";

/* What a call ended with, copied from its result. */
struct cut_test_got {
	enum llm_error error;
	bool window;
	char message[256];
	char *json;
	long tokens_out;
};

static void cut_test_done(void *ctx, size_t i, const struct llm_result *r)
{
	struct cut_test_got *g = (struct cut_test_got *)ctx + i;

	g->error = r->error;
	g->window = r->cut_by_window;
	snprintf(g->message, sizeof g->message, "%s", r->message);
	g->json = r->json ? xstrdup(r->json) : NULL;
	g->tokens_out = r->tokens_out;
}

static size_t cut_test_scores(const char *json)
{
	json_t *root = json ? json_loads(json, 0, NULL) : NULL;
	size_t n = json_array_size(json_object_get(root, "scores"));

	json_decref(root);
	return n;
}

static const struct {
	enum llm_provider provider;
	const char *model;
	enum llm_error error;
	bool window; /* cut by the context window */
	const char *message;
	size_t scores; /* in the JSON taken */
} cut_test_cases[] = {
        {LLM_OPENAI, "fair-truncated", LLM_ERR_CUT, false,
         "the reply was cut short at max_tokens 300 (finish_reason "
         "length)",
         0},
        {LLM_ANTHROPIC, "position-truncated", LLM_ERR_CUT, false,
         "the reply was cut short at max_tokens 300 (stop_reason "
         "max_tokens)",
         0},
        {LLM_ANTHROPIC, "fair-overflow", LLM_ERR_CUT, true,
         "the reply was cut short by the context window (stop_reason "
         "model_context_window_exceeded)",
         0},
        /* the answer is the first block of the forced tool, not a tool
         * of another name before it nor a second block after it */
        {LLM_ANTHROPIC, "fair-multitool", LLM_OK, false, "", 4},
        /* Gemini's OpenAI-compatible endpoint: [{"error": {...}}] */
        {LLM_OPENAI, "fair-arrayerror", LLM_ERR_HTTP, false,
         "HTTP 400: Request contains an invalid argument.", 0},
};

#define CUT_TEST_N (sizeof cut_test_cases / sizeof *cut_test_cases)

void test_llm_cut(int port)
{
	struct llm_endpoint eps[CUT_TEST_N];
	struct llm_call calls[CUT_TEST_N];
	struct cut_test_got got[CUT_TEST_N];
	struct llm_options opt;
	struct buf err = BUF_INIT(0);
	char url[CUT_TEST_URL_MAX];
	json_t *stats;
	size_t i;

	json_decref(llm_test_server_get(port, "/reset"));
	snprintf(url, sizeof url, "http://127.0.0.1:%d/v1", port);
	memset(got, 0, sizeof got);
	memset(eps, 0, sizeof eps);
	memset(calls, 0, sizeof calls);
	for (i = 0; i < CUT_TEST_N; i++) {
		eps[i].provider = cut_test_cases[i].provider;
		eps[i].base_url = url;
		eps[i].model = cut_test_cases[i].model;
		eps[i].api_key = "test-key";
		eps[i].timeout = 5;
		calls[i].ep = &eps[i];
		calls[i].user = cut_test_user;
		calls[i].schema_name = "judge_scores";
		calls[i].schema_json = cut_test_schema;
		calls[i].max_tokens = 300;
	}
	memset(&opt, 0, sizeof opt);
	opt.max_retries = -1;
	opt.deadline = 20;
	opt.done = cut_test_done;
	opt.ctx = got;
	CHECK_INT(llm_call_all(calls, CUT_TEST_N, &opt, &err), 0);
	for (i = 0; i < CUT_TEST_N; i++) {
		const struct cut_test_got *g = &got[i];

		check_group(cut_test_cases[i].model);
		CHECK_INT(g->error, cut_test_cases[i].error);
		CHECK_STR(g->message, cut_test_cases[i].message);
		CHECK(g->window == cut_test_cases[i].window);
		CHECK_INT(cut_test_scores(g->json), cut_test_cases[i].scores);
		if (cut_test_cases[i].error == LLM_ERR_CUT) {
			/* no part of a cut reply passes, and it is billed */
			CHECK(g->json == NULL);
			CHECK_INT(g->tokens_out, 300);
		}
		free(g->json);
	}
	check_group("llm");
	/* what each cut call asked for: one request, 300 tokens */
	stats = llm_test_server_get(port, "/stats");
	CHECK_INT(json_integer_value(json_array_get(
	                  json_object_get(json_object_get(stats, "max_tokens"),
	                                  "fair-truncated"),
	                  0)),
	          300);
	CHECK_INT(json_integer_value(
	                  json_object_get(json_object_get(stats, "by_model"),
	                                  "position-truncated")),
	          1);
	json_decref(stats);
	buf_free(&err);
}
