#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summarize/heuristic.h"
#include "tests/check.h"
#include "tests/tests.h"

#define END ((int64_t)1767225600) /* 2026-01-01T00:00:00Z */
#define HOUR ((int64_t)3600)

static struct heuristic_story story(const char *title, const char *text)
{
	struct heuristic_story s;

	memset(&s, 0, sizeof s);
	s.title = title;
	s.text = text;
	s.time = END - HOUR;
	s.corroboration = 1;
	s.best_weight = 1.0;
	s.likes = s.reposts = s.points = s.stars = s.comments = -1;
	s.kinds = "blog";
	return s;
}

static bool near(double got, double want, double tol)
{
	if (fabs(got - want) <= tol)
		return true;
	fprintf(stderr, "    got %.4f, want %.4f (+-%.3f)\n", got, want, tol);
	return false;
}

static bool in_range(double v)
{
	if (v >= 1.0 && v <= 10.0)
		return true;
	fprintf(stderr, "    score %g out of [1, 10]\n", v);
	return false;
}

static double score(enum heuristic_kind k, const struct heuristic_story *s)
{
	return heuristic_score(k, s, END);
}

static void test_heuristic_names(void)
{
	enum heuristic_kind k, got;
	static const char *const bad[] = {"", "Recency", "recency ", "topics",
	                                  "heuristic"};
	size_t i;

	for (k = 0; k < HEURISTIC_COUNT; k++) {
		got = HEURISTIC_COUNT;
		CHECK(heuristic_name(k) != NULL);
		CHECK(heuristic_parse(heuristic_name(k), &got));
		CHECK_INT(got, k);
	}
	CHECK_STR(heuristic_name(HEURISTIC_RECENCY), "recency");
	CHECK_STR(heuristic_name(HEURISTIC_SOURCE), "source");
	CHECK_STR(heuristic_name(HEURISTIC_CORROBORATION), "corroboration");
	CHECK_STR(heuristic_name(HEURISTIC_ENGAGEMENT), "engagement");
	CHECK_STR(heuristic_name(HEURISTIC_TOPIC), "topic");
	CHECK(heuristic_name(HEURISTIC_COUNT) == NULL);
	CHECK(heuristic_name((enum heuristic_kind) - 1) == NULL);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		got = HEURISTIC_TOPIC;
		CHECK(!heuristic_parse(bad[i], &got));
		CHECK_INT(got, HEURISTIC_TOPIC); /* left alone */
	}
	CHECK(!heuristic_parse(NULL, &got));
}

static void test_heuristic_recency(void)
{
	struct heuristic_story s = story("t", NULL);
	double prev = 11, v = 0;
	int64_t age;

	s.time = END;
	CHECK(near(score(HEURISTIC_RECENCY, &s), 10, 1e-9));
	s.time = END + 5 * HOUR; /* from the future: as new */
	CHECK(near(score(HEURISTIC_RECENCY, &s), 10, 1e-9));
	s.time = END - 24 * HOUR;
	CHECK(near(score(HEURISTIC_RECENCY, &s), 5.5, 1e-9));
	s.time = END - 12 * HOUR;
	CHECK(near(score(HEURISTIC_RECENCY, &s), 7.75, 1e-9));
	s.time = END - 48 * HOUR;
	CHECK(near(score(HEURISTIC_RECENCY, &s), 1, 1e-9));
	s.time = END - 400 * 24 * HOUR;
	CHECK(near(score(HEURISTIC_RECENCY, &s), 1, 1e-9));
	s.time = 0; /* unknown reads as very old */
	CHECK(near(score(HEURISTIC_RECENCY, &s), 1, 1e-9));

	/* never rises with age */
	for (age = -HOUR; age <= 60 * HOUR; age += 600) {
		s.time = END - age;
		v = score(HEURISTIC_RECENCY, &s);
		if (!CHECK(v <= prev))
			break;
		prev = v;
	}
	CHECK(v == 1.0);

	/* extreme times neither overflow nor leave the range */
	s.time = INT64_MIN;
	CHECK(near(heuristic_score(HEURISTIC_RECENCY, &s, INT64_MAX), 1, 0));
	s.time = INT64_MAX;
	CHECK(near(heuristic_score(HEURISTIC_RECENCY, &s, INT64_MIN), 10, 0));
	s.time = INT64_MIN + 1;
	CHECK(in_range(heuristic_score(HEURISTIC_RECENCY, &s, INT64_MIN)));
}

static void test_heuristic_source(void)
{
	static const struct {
		double weight, want;
	} cases[] = {
	        {1.0, 5},       {2.0, 10},      {0.5, 3},  {0.0, 1},
	        {1.5, 7.5},     {3.0, 10},      {-2.0, 1}, {1e308, 10},
	        {INFINITY, 10}, {-INFINITY, 1}, {NAN, 5},
	};
	struct heuristic_story s = story("t", NULL);
	double prev = 0, v, w;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s.best_weight = cases[i].weight;
		if (!CHECK(near(score(HEURISTIC_SOURCE, &s), cases[i].want,
		                1e-9)))
			fprintf(stderr, "    weight %g\n", cases[i].weight);
	}
	for (w = -1; w <= 4; w += 0.05) {
		s.best_weight = w;
		v = score(HEURISTIC_SOURCE, &s);
		if (!CHECK(v >= prev && in_range(v)))
			break;
		prev = v;
	}
}

static void test_heuristic_corroboration(void)
{
	static const struct {
		int n;
		double want;
	} cases[] = {
	        {1, 3},  {2, 6},        {3, 8},       {4, 9},
	        {5, 10}, {6, 10},       {1000, 10},   {0, 3},
	        {-7, 3}, {INT_MAX, 10}, {INT_MIN, 3},
	};
	struct heuristic_story s = story("t", NULL);
	double prev = 0, v;
	size_t i;
	int n;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s.corroboration = cases[i].n;
		if (!CHECK(near(score(HEURISTIC_CORROBORATION, &s),
		                cases[i].want, 0)))
			fprintf(stderr, "    %d sources\n", cases[i].n);
	}
	for (n = 1; n <= 10; n++) {
		s.corroboration = n;
		v = score(HEURISTIC_CORROBORATION, &s);
		CHECK(v >= prev);
		CHECK(n == 1 || v > prev || v == 10);
		prev = v;
	}
}

static long long *signal_field(struct heuristic_story *s, int which)
{
	long long *fields[] = {&s->likes, &s->reposts, &s->points, &s->stars,
	                       &s->comments};

	return fields[which];
}

static void test_heuristic_engagement(void)
{
	struct heuristic_story s = story("t", NULL);
	static const char *const kinds[] = {"blog", "tweet", "paper",
	                                    "paper,tweet", NULL};
	double prev, v, paper, tweet;
	long long c;
	size_t k;
	int which;

	/* nothing measured, and only zeros, are neutral */
	CHECK(near(score(HEURISTIC_ENGAGEMENT, &s), 4, 0));
	s.likes = s.reposts = s.points = s.stars = s.comments = 0;
	CHECK(near(score(HEURISTIC_ENGAGEMENT, &s), 4, 1e-9));

	/* Hacker News points */
	s = story("t", NULL);
	s.kinds = "community";
	s.points = 100;
	CHECK(near(score(HEURISTIC_ENGAGEMENT, &s), 6, 0.05));
	s.points = 500;
	CHECK(near(score(HEURISTIC_ENGAGEMENT, &s), 9, 0.05));
	s.points = 10;
	CHECK(near(score(HEURISTIC_ENGAGEMENT, &s), 4.28, 0.05));
	s.points = 2000;
	CHECK(near(score(HEURISTIC_ENGAGEMENT, &s), 10, 0));
	/* the strongest signal counts */
	s.comments = 3000;
	s.points = 5;
	CHECK(near(score(HEURISTIC_ENGAGEMENT, &s), 10, 0));

	/* likes: Hugging Face upvotes are rarer than X likes; with both
	 * kinds the larger scale counts */
	s = story("t", NULL);
	s.likes = 30;
	s.kinds = "paper";
	paper = score(HEURISTIC_ENGAGEMENT, &s);
	CHECK(near(paper, 6, 0.01));
	s.kinds = "blog, paper";
	CHECK(near(score(HEURISTIC_ENGAGEMENT, &s), paper, 0));
	s.kinds = "tweet";
	tweet = score(HEURISTIC_ENGAGEMENT, &s);
	CHECK(tweet < paper);
	s.kinds = "paper,tweet";
	CHECK(near(score(HEURISTIC_ENGAGEMENT, &s), tweet, 0));
	s.kinds = NULL;
	CHECK(near(score(HEURISTIC_ENGAGEMENT, &s), tweet, 0));
	s.kinds = "papers"; /* a whole element, not a prefix */
	CHECK(near(score(HEURISTIC_ENGAGEMENT, &s), tweet, 0));
	s.kinds = ",,paper,";
	CHECK(near(score(HEURISTIC_ENGAGEMENT, &s), paper, 0));

	/* monotone in each signal, for each kind; bounded for any count */
	for (which = 0; which < 5; which++) {
		for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
			s = story("t", NULL);
			s.kinds = kinds[k];
			prev = 0;
			for (c = 0; c < 100000000; c = c * 3 / 2 + 1) {
				*signal_field(&s, which) = c;
				v = score(HEURISTIC_ENGAGEMENT, &s);
				if (!CHECK(v >= prev && in_range(v))) {
					fprintf(stderr,
					        "    signal %d at %lld\n",
					        which, c);
					break;
				}
				prev = v;
			}
			CHECK(near(prev, 10, 0));
			*signal_field(&s, which) = LLONG_MAX;
			CHECK(near(score(HEURISTIC_ENGAGEMENT, &s), 10, 0));
			*signal_field(&s, which) = LLONG_MIN;
			CHECK(near(score(HEURISTIC_ENGAGEMENT, &s), 4, 0));
			*signal_field(&s, which) = -5;
			CHECK(near(score(HEURISTIC_ENGAGEMENT, &s), 4, 0));
		}
	}
}

static void test_heuristic_topic_cases(void)
{
	static const struct {
		const char *title, *text;
		double want;
	} cases[] = {
	        /* openai 2 + gpt 2, release 3 */
	        {"OpenAI releases GPT-5", NULL, 10},
	        /* anthropic, claude, benchmark: 6 points, capped at 5 */
	        {"Anthropic's Claude tops a new benchmark", NULL, 8},
	        {"RAG pipelines in production", NULL, 5},
	        {"Raging bulls and fragments", NULL, 3},
	        {"He said it rained", NULL, 3},
	        {"My favourite pasta recipe", "Boil water. Add salt.", 3},
	        /* a release of something that is not AI */
	        {"Apple launches a new iPhone", NULL, 3},
	        {"Bitcoin price hits a record", NULL, 1},
	        {"An AI trading bot for crypto", NULL, 3},
	        /* text counts half */
	        {"Weekly notes", "We tried an LLM on our logs.", 4},
	        /* fine tun 1, language model 1, model 0.5, open weight 1 */
	        {"Weekly notes", "Fine-tuning a language model, open-weights.",
	         6.5},
	        {"fine-tuned models", NULL, 6},
	        {"새로운 딥러닝 논문", NULL, 5},
	        {"오픈AI, 새 언어모델 출시", NULL, 10},
	        {"LLM을 활용한 에이전트", NULL, 7},
	        {"프로야구 개막전 결과", NULL, 1},
	        {"비트코인 시세", NULL, 1},
	        {"오늘의 날씨", NULL, 3},
	        {"", "", 3},
	        {NULL, NULL, 3},
	        /* a word's prefix: agents, agentic; WHOLE terms are not */
	        {"Agentic workflows", NULL, 5},
	        {"Grokking a codebase", NULL, 3},
	        /* noise: build notes, hiring, sponsored, webinars, events,
	         * however much AI they name */
	        {"ci: fix arm build", "ci: fix arm build", 1},
	        {"b5121", "ggml: faster LLM kernels", 1},
	        {"v0.9.1-nightly", NULL, 1},
	        {"We are hiring inference engineers for our LLM team", NULL, 1},
	        {"Sponsored: the best GPU cloud for LLM training", NULL, 1},
	        {"Webinar: fine-tuning LLMs with our platform", NULL, 1},
	        {"AI 스타트업 채용 공고: LLM 엔지니어", NULL, 1},
	        {"생성형 AI 웨비나 참가 신청 안내", NULL, 1},
	        /* one weak noise word alone is not noise */
	        {"GitHub CI gets an LLM agent", NULL, 7},
	        {"생성형 AI 광고 시장 급성장", NULL, 7},
	        {"Llama 3 release notes", NULL, 8},
	};
	struct heuristic_story s;
	double v;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = story(cases[i].title, cases[i].text);
		v = score(HEURISTIC_TOPIC, &s);
		if (!CHECK(near(v, cases[i].want, 1e-9)))
			fprintf(stderr, "    title %s\n",
			        cases[i].title ? cases[i].title : "(null)");
	}
}

static void test_heuristic_topic_monotone(void)
{
	/* each row's second title adds to the first: AI terms never lower
	 * the score, off-topic terms never raise it */
	static const struct {
		const char *less, *more;
	} ai[] =
	        {
	                {"A new tool", "A new AI tool"},
	                {"A new AI tool", "A new AI agent tool"},
	                {"Crypto news", "Crypto news about LLM agents"},
	                {"Company launches product",
	                 "Company launches LLM product"},
	                {"새 기능", "새 인공지능 기능"},
	        },
	  off[] = {
	          {"An LLM benchmark", "An LLM benchmark for football"},
	          {"A paper", "A paper on bitcoin"},
	          {"인공지능 뉴스", "인공지능 축구 뉴스"},
	  };
	struct heuristic_story a, b;
	size_t i;

	for (i = 0; i < sizeof ai / sizeof ai[0]; i++) {
		a = story(ai[i].less, NULL);
		b = story(ai[i].more, NULL);
		if (!CHECK(score(HEURISTIC_TOPIC, &b) >
		           score(HEURISTIC_TOPIC, &a)))
			fprintf(stderr, "    %s\n", ai[i].more);
	}
	for (i = 0; i < sizeof off / sizeof off[0]; i++) {
		a = story(off[i].less, NULL);
		b = story(off[i].more, NULL);
		if (!CHECK(score(HEURISTIC_TOPIC, &b) <
		           score(HEURISTIC_TOPIC, &a)))
			fprintf(stderr, "    %s\n", off[i].more);
	}
	/* the same term scores more in the title than in the text */
	a = story("Notes", "Claude");
	b = story("Claude", "Notes");
	CHECK(score(HEURISTIC_TOPIC, &b) > score(HEURISTIC_TOPIC, &a));
}

/* Every judge stays in [1, 10] on hostile stories. */
static void test_heuristic_hostile(void)
{
	static const char *const fills[] = {"a",  "ai ",  "\xED\x95\x9C",
	                                    "--", "\xFF", "LLM 비트코인 "};
	const size_t mb = (size_t)1 << 20;
	struct heuristic_story s;
	char *big = malloc(mb + 1);
	size_t f, i, len;
	enum heuristic_kind k;
	double v, sum;

	if (!CHECK(big != NULL))
		return;
	for (f = 0; f < sizeof fills / sizeof fills[0]; f++) {
		len = strlen(fills[f]);
		for (i = 0; i < mb; i++)
			big[i] = fills[f][i % len];
		big[mb] = '\0';
		s = story(big, big);
		s.time = f % 2 ? INT64_MIN : INT64_MAX;
		s.corroboration = f % 2 ? INT_MIN : INT_MAX;
		s.best_weight = f % 2 ? -HUGE_VAL : NAN;
		s.likes = s.points = f % 2 ? LLONG_MIN : LLONG_MAX;
		s.reposts = s.stars = s.comments = f % 2 ? -1 : LLONG_MAX;
		s.kinds = f % 2 ? "" : big;
		sum = 0;
		for (k = 0; k < HEURISTIC_COUNT; k++) {
			v = score(k, &s);
			if (!CHECK(in_range(v)))
				fprintf(stderr, "    %s, fill %zu\n",
				        heuristic_name(k), f);
			sum += v;
		}
		CHECK(near(heuristic_prerank(&s, END), sum, 1e-9));
	}
	free(big);

	s = story(NULL, NULL);
	s.kinds = NULL;
	for (k = 0; k < HEURISTIC_COUNT; k++)
		CHECK(in_range(score(k, &s)));
	CHECK(isnan(heuristic_score(HEURISTIC_COUNT, &s, END)));
	CHECK(isnan(heuristic_score(HEURISTIC_TOPIC, NULL, END)));
	CHECK(isnan(heuristic_prerank(NULL, END)));
}

static void test_heuristic_prerank(void)
{
	struct heuristic_story hot = story("OpenAI releases GPT-5", NULL),
	                       cold = story("My favourite pasta recipe", NULL);
	double v;

	hot.time = END - HOUR;
	hot.corroboration = 5;
	hot.best_weight = 2.0;
	hot.points = 1500;
	hot.kinds = "community,blog";
	/* 9.8125 + 10 + 10 + 10 + 10 */
	v = heuristic_prerank(&hot, END);
	CHECK(near(v, 49.8125, 1e-9));
	CHECK(near(heuristic_prerank(&hot, END), v, 0)); /* deterministic */

	cold.time = END - 48 * HOUR;
	cold.best_weight = 0.5;
	/* 1 + 3 + 3 + 4 + 3 */
	CHECK(near(heuristic_prerank(&cold, END), 14, 1e-9));
	CHECK(heuristic_prerank(&hot, END) > heuristic_prerank(&cold, END));
}

void test_heuristic(void)
{
	test_heuristic_names();
	test_heuristic_recency();
	test_heuristic_source();
	test_heuristic_corroboration();
	test_heuristic_engagement();
	test_heuristic_topic_cases();
	test_heuristic_topic_monotone();
	test_heuristic_hostile();
	test_heuristic_prerank();
}
