#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/utf8.h"
#include "store/store.h"
#include "summarize/stories.h"
#include "summarize/stories_impl.h"
#include "tests/check.h"
#include "tests/tests.h"

#define STORIES_FIXTURES "tests/fixtures/stories/"
#define DAY 86400

static void test_stories_simhash(void)
{
	/* golden values: they pin the normalization (the hashes are not
	 * stored); the Korean one reads 오픈AI, 미니, 터보 and 저렴 through
	 * the lexicon */
	CHECK(stories_simhash("OpenAI releases GPT-4o mini, a cheaper model") ==
	      UINT64_C(0xc35deabb1a2f4a0c));
	CHECK(stories_simhash("오픈AI, 'GPT-4o 미니' 출시…GPT-3.5 터보보다 60% "
	                      "저렴") == UINT64_C(0x73dcdbfbda27ea8a));
	CHECK(stories_simhash("") == 0);
	CHECK(stories_simhash(NULL) == 0);
	CHECK(stories_simhash("the of and") == 0); /* stop words only */
	/* case, punctuation, symbols, URLs and fullwidth forms fold away */
	CHECK(stories_simhash("OpenAI releases GPT-4o mini, a cheaper model") ==
	      stories_simhash("openai RELEASES gpt 4o Mini — a cheaper "
	                      "model!! 🚀 https://t.co/abc"));
	CHECK(stories_simhash("ＧＰＴ４ ｍｉｎｉ") ==
	      stories_simhash("GPT4 mini"));
	CHECK(stories_simhash("Anthropic's models") ==
	      stories_simhash("anthropic model"));
	CHECK(stories_simhash("vLLM v0.6.1") != stories_simhash("vLLM v0.6.2"));
	CHECK(stories_simhash("Claude 3.5 Sonnet") !=
	      stories_simhash("Claude 35 Sonnet"));
	/* invalid UTF-8 is read, not trusted */
	CHECK(stories_simhash("bad \xC3 byte \xF0\x9F") ==
	      stories_simhash("bad byte"));
}

/* Titles that read as the same tokens: figures with their units and
 * magnitudes in both languages, the lexicon's names with particles. */
static const struct {
	const char *a, *b;
} stories_same_tokens[] = {
        {"Acme raises $4 billion", "Acme raises $4B"},
        {"Acme raises $4 billion", "Acme raises 40억달러"},
        {"Acme raises $4 billion", "Acme raises 40억 달러"},
        {"Acme raises $500 billion", "Acme raises 5000억 달러"},
        {"Acme 1.2T parameters", "Acme 1.2조 파라미터"},
        {"Northwind 256K token context", "Northwind 25만6천 토큰 문맥"},
        {"Northwind 7B parameter model", "Northwind 70억 파라미터 모델"},
        {"Acme 9,000 layoffs", "Acme 9000명 감원"},
        {"Acme glasses $799", "Acme 안경 799달러"},
        {"Acme 10x", "Acme 10배"},
        {"Acme 2 MB library", "Acme 2MB 라이브러리"},
        {"Acme 60%", "Acme 60%"},
        {"OpenAI Google NVIDIA Samsung", "오픈AI가 구글과 엔비디아의 삼성전자"},
        {"ChatGPT Claude Gemini", "챗GPT 클로드 제미나이"},
        {"SK Telecom A.X 4.0", "SK텔레콤 에이닷엑스 4.0"},
};

static void test_stories_tokens(void)
{
	size_t i, entries, variants, bad;

	for (i = 0;
	     i < sizeof stories_same_tokens / sizeof stories_same_tokens[0];
	     i++)
		if (!CHECK(stories_simhash(stories_same_tokens[i].a) ==
		           stories_simhash(stories_same_tokens[i].b)))
			fprintf(stderr, "    \"%s\" / \"%s\"\n",
			        stories_same_tokens[i].a,
			        stories_same_tokens[i].b);
	/* numbers too long for a figure are cut, not overflowed */
	CHECK(stories_simhash("Acme raises $9999999999999999999999999999999999"
	                      "99999999999999999999999999 billion") != 0);
	CHECK(stories_simhash("Acme 99999999999999999999999999999999999999999"
	                      "999999999999999999x 9999999999999999999999999"
	                      "9999조원") != 0);
	/* the year stays a year, a version a version */
	CHECK(stories_simhash("Acme 2026") != stories_simhash("Acme 2.026k"));
	CHECK(stories_simhash("메타버스 애플리케이션") !=
	      stories_simhash("메타 애플"));
	/* every line of the lexicon read, none for two entries */
	stories_lexicon_stats(stories_lexicon_get(), &entries, &variants, &bad);
	CHECK(entries >= 250);
	CHECK(variants >= 600);
	CHECK_INT(bad, 0);
}

static const struct {
	const char *a, *b;
	int same;
} stories_match_cases[] = {
        /* two launches of one template are two stories: each is about a
         * name the other does not have */
        {"Introducing LotusLM 8: a fast 8x22B model with a 1M context "
         "window",
         "Introducing Cobalt-R 8: a reasoning 8x22B model with a 1M "
         "context window",
         0},
        {"[AI 뉴스] 로터스베이AI 'LotusLM 8' 모델 공개",
         "[AI 뉴스] 코발트리서치 'Cobalt-R 8' 모델 공개", 0},
        /* one names the other's subject: still one */
        {"Introducing Orrery-8: a small 120B model with a 128K context "
         "window",
         "오러리, 120B 오픈 모델 'Orrery-8' 공개", 1},
        /* the same title from two places */
        {"Introducing Claude 3.5 Sonnet", "Claude 3.5 Sonnet", 1},
        {"OpenAI launches o3-mini, its latest reasoning model",
         "OpenAI launches o3-mini, its latest 'reasoning' model | TechCrunch",
         1},
        {"[R] Byte Latent Transformer: Patches Scale Better Than Tokens",
         "Byte Latent Transformer: patches scale better than tokens", 1},
        {"SmolLM - blazingly fast and remarkably powerful",
         "SmolLM: Blazingly Fast and Remarkably Powerful", 1},
        /* units and announcement verbs do not matter */
        {"OpenAI raises $6.6 billion at $157 billion valuation",
         "OpenAI raises $6.6B at a $157B valuation", 1},
        {"Google launches Gemma 2 in 9B and 27B sizes",
         "Google releases Gemma 2 in 9B and 27B sizes", 1},
        /* Korean particles and endings */
        {"네이버, 하이퍼클로바X 신규 모델 공개…추론 능력 강화",
         "네이버, 추론 능력 강화한 하이퍼클로바X 신규 모델 공개", 1},
        {"오픈AI가 GPT-5를 공개했다", "오픈AI, GPT-5 공개", 1},
        /* Chinese and Japanese titles have no spaces: bigrams */
        {"深度求索发布推理模型", "深度求索发布新推理模型", 1},
        /* versions: each side has a number the other lacks */
        {"vLLM v0.6.1", "vLLM v0.6.2", 0},
        {"Meta releases Llama 3.1 with a 405B model",
         "Meta releases Llama 3.2 with a 90B vision model", 0},
        {"Midjourney V6 is here", "Midjourney V6.1 is here", 0},
        {"Last Week in AI #180", "Last Week in AI #181", 0},
        {"OpenAI releases o1-mini", "OpenAI releases o3-mini", 0},
        /* one slot swapped is another story */
        {"The Nobel Prize in Physics 2024", "The Nobel Prize in Chemistry 2024",
         0},
        {"NVIDIA Announces Financial Results for Second Quarter Fiscal 2025",
         "NVIDIA Announces Financial Results for Third Quarter Fiscal 2025", 0},
        {"Introducing ChatGPT Enterprise", "Introducing ChatGPT Edu", 0},
        /* a version alone names no project */
        {"v0.3.0", "v0.3.0", 0},
        {"b3600", "b3600", 0},
        /* shared words, different stories */
        {"OpenAI releases Sora, its video generator",
         "OpenAI releases ChatGPT search to all users", 0},
        {"Scaling Laws for Neural Language Models",
         "Scaling Laws for Precision", 0},
        {"", "", 0},
        /* Korean and English: a shared versioned name, the company and
         * two launches; figures in both languages' units */
        {"오픈AI, 'GPT-4o 미니' 출시", "OpenAI launches GPT-4o mini", 1},
        {"OpenAI releases o3-pro for ChatGPT Pro users",
         "오픈AI, 'o3-프로' 출시…프로 사용자부터", 1},
        {"SK Telecom unveils A.X 4.0, a Korean LLM",
         "SK텔레콤, 'A.X 4.0' 공개…한국어 특화 모델", 1},
        {"Microsoft releases Phi-4-mini for phones",
         "마이크로소프트, 소형 모델 'Phi-4-mini' 공개", 1},
        {"Mistral releases Mixtral 8x22B under Apache 2.0",
         "미스트랄, 'Mixtral 8x22B' 오픈소스로 공개", 1},
        {"Northwind-7: open-weights 7B model with 256K context",
         "노스윈드, 25만6천 토큰 문맥 지원하는 70억 파라미터 공개 모델 출시",
         1},
        {"Amazon invests another $4 billion in Anthropic",
         "아마존, 앤트로픽에 40억달러 추가 투자", 1},
        /* the same company, another event */
        {"OpenAI raises $40 billion at a $300 billion valuation",
         "오픈AI, 'o3-프로' 출시…프로 사용자부터", 0},
        {"Anthropic releases Claude Opus 5", "앤트로픽, 300억달러 투자 유치",
         0},
        {"Naver signs a deal for 60,000 GPUs",
         "네이버, 하이퍼클로바X 신규 모델 공개", 0},
        /* the same model in other news; another model of one family */
        {"OpenAI cuts o3-pro prices by 80%", "오픈AI, 'o3-프로' 출시", 0},
        {"Gemini 3 Flash suffers an hours-long outage",
         "Google releases Gemini 3 Flash", 0},
        {"OpenAI releases GPT-5 mini", "오픈AI, 'GPT-5' 출시", 0},
        {"Anthropic releases Claude Sonnet 5",
         "앤트로픽, '클로드 오퍼스 5' 출시", 0},
        /* what a title is compared with is not its subject */
        {"Acme releases Nimbus 2, a model that beats GPT-5",
         "오픈AI, 'GPT-5' 출시", 0},
        {"Acme's Nimbus 2 beats GPT-5 on coding",
         "Acme releases Nimbus 2, which rivals GPT-5", 1},
};

/* A shared name without the rest: the panel's question. */
static const struct {
	const char *a, *b;
} stories_unsure_cases[] = {
        {"OpenAI cuts o3-pro prices by 80%", "오픈AI, 'o3-프로' 출시"},
        {"Introducing Claude Sonnet 5",
         "Claude Sonnet 5 tops the LMArena coding leaderboard this week"},
        {"OpenAI o4-pro", "OpenAI releases o4-pro, a version of its reasoning "
                          "model that thinks longer"},
};

static void test_stories_match(void)
{
	size_t i;

	for (i = 0;
	     i < sizeof stories_match_cases / sizeof stories_match_cases[0];
	     i++) {
		int got = stories_titles_match(stories_match_cases[i].a,
		                               stories_match_cases[i].b);
		int back = stories_titles_match(stories_match_cases[i].b,
		                                stories_match_cases[i].a);

		if (!CHECK_INT(got, stories_match_cases[i].same))
			fprintf(stderr, "    \"%s\" / \"%s\"\n",
			        stories_match_cases[i].a,
			        stories_match_cases[i].b);
		CHECK_INT(back, got);
	}
	for (i = 0;
	     i < sizeof stories_unsure_cases / sizeof stories_unsure_cases[0];
	     i++)
		if (!CHECK_INT(
		            stories_titles_compare(stories_unsure_cases[i].a,
		                                   stories_unsure_cases[i].b),
		            STORIES_UNSURE))
			fprintf(stderr, "    \"%s\" / \"%s\"\n",
			        stories_unsure_cases[i].a,
			        stories_unsure_cases[i].b);
	/* one versioned subject: one event for a day's selection, not one
	 * story; other subjects, or none, are not */
	CHECK(stories_titles_same_subject(
	        "What Kestrel 5 means for the rest of us",
	        "Introducing Kestrel 5: an efficient 120B model with a 128K "
	        "context window"));
	/* one event for the selection: a match, or one versioned subject */
	CHECK(stories_titles_one_event("Introducing Claude 3.5 Sonnet",
	                               "Claude 3.5 Sonnet"));
	CHECK(stories_titles_one_event(
	        "What Kestrel 5 means for the rest of us",
	        "Introducing Kestrel 5: an efficient 120B model with a 128K "
	        "context window"));
	CHECK(!stories_titles_one_event("Llama 3.1 is out",
	                                "Llama 3.2 is out"));
	/* in Title Case, a hyphenated name with its version */
	CHECK(stories_titles_same_subject(
	        "Notes on Beacon-Med 5",
	        "Introducing Beacon-Med 5: a multilingual 8x22B model with a "
	        "256K context window"));
	/* a name first in its title: known by the version that follows */
	CHECK(stories_titles_same_subject(
	        "Corvid-3: first impressions",
	        "Introducing Corvid-3: a multilingual 8x22B model with a 1M "
	        "context window"));
	CHECK(!stories_titles_same_subject(
	        "Introducing LotusLM 8: a fast 8x22B model with a 1M context "
	        "window",
	        "Introducing Cobalt-R 8: a reasoning 8x22B model with a 1M "
	        "context window"));
	CHECK(!stories_titles_same_subject("OpenAI raises $40 billion",
	                                   "OpenAI launches o5"));
	CHECK(!stories_titles_same_subject("Llama 3.1 is out",
	                                   "Llama 3.2 is out"));
	/* a figure and a word would do, but the companies differ */
	CHECK_INT(stories_titles_compare("OpenAI raises $40 billion",
	                                 "Anthropic raises $40 billion"),
	          STORIES_DIFFERENT);
	CHECK_INT(stories_titles_compare("OpenAI raises $40 billion",
	                                 "오픈AI, 400억달러 투자 유치"),
	          STORIES_SAME);
	CHECK_INT(stories_titles_compare("OpenAI launches o5",
	                                 "OpenAI raises $40 billion"),
	          STORIES_DIFFERENT);
}

static void test_stories_cluster_small(void)
{
	static const struct story_input in[] = {
	        /* 0, 1: one URL, unrelated titles */
	        {"Introducing Operator", "https://openai.com/index/operator/",
	         0},
	        {"A browser agent from OpenAI",
	         "https://openai.com/index/operator/", 100},
	        /* 2: the title of 3, the URL of 1: joins both */
	        {"Kimi K2 is out: 1T total, 32B active, open weights",
	         "https://openai.com/index/operator/", 200},
	        {"Kimi K2 is out: 1T total / 32B active, open weights", NULL,
	         300},
	        /* 4 - 6: a chain of titles; 4 and 6 alone would not match */
	        {"Veo 2 video model from Google DeepMind", NULL, 0},
	        {"Veo 2 video model from Google DeepMind rivals Sora and "
	         "Runway",
	         "", 0},
	        {"Veo 2 rivals Sora and Runway in video quality tests", "", 0},
	        /* 7: the title of 4, ten days later: another story */
	        {"Veo 2 video model from Google DeepMind", NULL, 10 * DAY},
	        /* 8, 9: one URL, ten days apart: one story */
	        {"Paper A", "https://arxiv.org/abs/2501.00001", 0},
	        {"Paper A, revised", "https://arxiv.org/abs/2501.00001",
	         10 * DAY},
	};
	size_t of[sizeof in / sizeof in[0]], n = sizeof in / sizeof in[0];

	CHECK(!stories_titles_match(in[4].title, in[6].title));
	CHECK_INT(stories_cluster(in, n, of), 4);
	CHECK_INT(of[0], 0); /* numbered in order of first appearance */
	CHECK_INT(of[1], 0);
	CHECK_INT(of[2], 0);
	CHECK_INT(of[3], 0);
	CHECK_INT(of[4], 1);
	CHECK_INT(of[5], 1);
	CHECK_INT(of[6], 1);
	CHECK_INT(of[7], 2);
	CHECK_INT(of[8], 3);
	CHECK_INT(of[9], 3);
	CHECK_INT(stories_cluster(in, 0, of), 0);
	CHECK_INT(stories_cluster(in, 1, of), 1);
}

/* One labelled title of the fixture set. */
struct labelled {
	size_t group;
	const char *url, *title;
	bool hangul;
};

static bool has_hangul(const char *s)
{
	size_t i = 0, n = strlen(s), k;
	uint32_t cp;

	while (i < n) {
		k = utf8_decode(s + i, n - i, &cp);
		if (cp >= 0xAC00 && cp <= 0xD7A3)
			return true;
		i += k;
	}
	return false;
}

/* Split the fixture text (modified in place) into rows: group, URL,
 * title, tab-separated; '#' lines are comments. Returns the row count. */
static size_t read_labelled(char *text, struct labelled *rows, size_t max)
{
	const char *groups[1024];
	size_t ngroups = 0, n = 0, g;
	char *line = text, *end, *tab1, *tab2;

	while (*line && n < max) {
		end = strchr(line, '\n');
		if (end)
			*end = '\0';
		tab1 = strchr(line, '\t');
		tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
		if (line[0] != '#' && tab2) {
			*tab1 = *tab2 = '\0';
			for (g = 0; g < ngroups; g++)
				if (strcmp(groups[g], line) == 0)
					break;
			if (g == ngroups && ngroups < 1024)
				groups[ngroups++] = line;
			rows[n].group = g;
			rows[n].url = tab1 + 1;
			rows[n].title = tab2 + 1;
			rows[n].hangul = has_hangul(tab2 + 1);
			n++;
		}
		if (!end)
			break;
		line = end + 1;
	}
	return n;
}

/* Pairs of titles: true and false positives, false negatives, of all
 * pairs and of Korean-English pairs; true positives and false negatives
 * of pairs in one language. */
struct pair_counts {
	long tp, fp, fn, tp_cross, fp_cross, fn_cross, tp_same, fn_same;
};

static void count_pairs(const struct labelled *rows, const size_t *of, size_t n,
                        struct pair_counts *c)
{
	size_t i, j;
	bool same, got, cross;

	memset(c, 0, sizeof *c);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			same = rows[i].group == rows[j].group;
			got = of[i] == of[j];
			cross = rows[i].hangul != rows[j].hangul;
			if (same && got) {
				c->tp++;
				c->tp_cross += cross;
				c->tp_same += !cross;
			} else if (same) {
				c->fn++;
				c->fn_cross += cross;
				c->fn_same += !cross;
			} else if (got) {
				c->fp++;
				c->fp_cross += cross;
			}
		}
}

static double ratio(long a, long b)
{
	return b ? (double)a / (double)b : 1.0;
}

/* What a labelled set must reach: pairwise precision and recall of all
 * pairs, and of Korean-English pairs (0 for no floor). */
struct floors {
	double precision, recall, cross_precision, cross_recall;
};

/* Pairwise precision and recall of stories_cluster on one labelled file,
 * of all pairs and of Korean-English pairs; recall of pairs in one
 * language, and of URLs alone. One line a set, read by bench/merge.sh. */
static void test_stories_labelled(const char *name, struct floors f)
{
	struct buf text = BUF_INIT(0), path = BUF_INIT(0);
	struct labelled rows[512];
	struct story_input in[512];
	size_t of[512], n, i;
	struct pair_counts c, u;
	double p, r, xp, xr;

	buf_printf(&path, STORIES_FIXTURES "%s", name);
	if (!CHECK(check_read_file(buf_cstr(&path), &text)))
		goto out;
	n = read_labelled(text.data, rows, 512);
	CHECK(n >= 100);
	for (i = 0; i < n; i++) {
		in[i].title = rows[i].title;
		in[i].canonical_url = rows[i].url;
		in[i].time = (int64_t)(i % 24) * 3600;
	}
	stories_cluster(in, n, of);
	count_pairs(rows, of, n, &c);
	for (i = 0; i < n; i++)
		in[i].title = "";
	stories_cluster(in, n, of);
	count_pairs(rows, of, n, &u);

	p = ratio(c.tp, c.tp + c.fp);
	r = ratio(c.tp, c.tp + c.fn);
	xp = ratio(c.tp_cross, c.tp_cross + c.fp_cross);
	xr = ratio(c.tp_cross, c.tp_cross + c.fn_cross);
	printf("stories: %s: %zu titles; all pairs: precision %.3f recall "
	       "%.3f of %ld; Korean-English: precision %.3f recall %.3f of "
	       "%ld; one language: recall %.3f of %ld; URLs alone: recall "
	       "%.3f; false pairs %ld\n",
	       name, n, p, r, c.tp + c.fn, xp, xr, c.tp_cross + c.fn_cross,
	       ratio(c.tp_same, c.tp_same + c.fn_same), c.tp_same + c.fn_same,
	       ratio(u.tp, u.tp + u.fn), c.fp);
	CHECK(p >= f.precision);
	CHECK(r >= f.recall);
	CHECK(xp >= f.cross_precision);
	CHECK(xr >= f.cross_recall);
	CHECK(c.tp > u.tp); /* titles add to what URLs find */
out:
	buf_free(&text);
	buf_free(&path);
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* 100,000 synthetic titles: every fifth repeats the one before with other
 * punctuation; the rest are random. Prints the time; the work is
 * near-linear (sorted indexes, a bounded number of neighbours). */
/* The size of the largest story of n items. */
static size_t largest_story(const size_t *of, size_t n)
{
	size_t *count = calloc(n + 1, sizeof *count), i, top = 0;

	if (!CHECK(count))
		return n;
	for (i = 0; i < n; i++)
		if (++count[of[i]] > top)
			top = count[of[i]];
	free(count);
	return top;
}

/* Cluster n synthetic titles, print the time and the largest story (the
 * line bench/merge.sh reads). Returns the number of stories. */
static size_t cluster_synthetic(const char *name, const struct story_input *in,
                                size_t n, size_t *of)
{
	clock_t t0 = clock();
	size_t nstories = stories_cluster(in, n, of);

	printf("stories: %s: %zu synthetic titles in %.2f s, %zu stories, "
	       "largest %zu\n",
	       name, n, (double)(clock() - t0) / CLOCKS_PER_SEC, nstories,
	       largest_story(of, n));
	return nstories;
}

static void test_stories_many(void)
{
	static const char *const words[] = {
	        "openai",    "google",  "meta",     "model",     "agent",
	        "reasoning", "open",    "source",   "benchmark", "gpu",
	        "nvidia",    "chip",    "llama",    "gemini",    "claude",
	        "training",  "data",    "paper",    "research",  "safety",
	        "policy",    "startup", "funding",  "video",     "image",
	        "voice",     "code",    "search",   "robot",     "cloud",
	        "한국",      "반도체",  "인공지능", "데이터",    "스타트업",
	};
	enum { N = 100000, W = sizeof words / sizeof words[0] };
	struct story_input *in = calloc(N, sizeof *in);
	size_t *of = calloc(N, sizeof *of), i, k, nstories, merged = 0;
	struct buf *titles = calloc(N, sizeof *titles);
	uint64_t seed = UINT64_C(88172645463325252);

	if (!CHECK(in && of && titles))
		goto out;
	for (i = 0; i < N; i++) {
		buf_init(&titles[i], 512);
		if (i % 5 == 4) {
			buf_printf(&titles[i], "[N] %s!",
			           buf_cstr(&titles[i - 1]));
		} else {
			for (k = 0; k < 6 + xorshift(&seed) % 6; k++)
				buf_printf(&titles[i], "%s ",
				           words[xorshift(&seed) % W]);
			buf_printf(&titles[i], "%llu",
			           (unsigned long long)(xorshift(&seed) %
			                                1000000));
		}
		in[i].title = buf_cstr(&titles[i]);
		in[i].time = (int64_t)i;
	}
	nstories = cluster_synthetic("random words", in, N, of);
	for (i = 4; i < N; i += 5)
		merged += of[i] == of[i - 1];
	CHECK_INT(merged, N / 5);
	CHECK(nstories <= N - N / 5);
	CHECK(nstories > N / 2);
	CHECK(largest_story(of, N) <= 16);
out:
	for (i = 0; titles && i < N; i++)
		buf_free(&titles[i]);
	free(titles);
	free(in);
	free(of);
}

/* 100,000 synthetic headlines in two languages over two days, from few
 * companies, products and amounts: launches ("Google releases Gemini 3.4
 * mini, ..." and "구글, '제미나이 3.4 미니' 출시…"), funding ("$12 billion"
 * and "120억달러") and offices. Every name, figure and company is shared
 * by many titles: matches must stay among titles of one name (or one
 * company and amount), never chain into a giant story. */
static void test_stories_many_news(void)
{
	static const char *const company[][2] = {
	        {"OpenAI", "오픈AI"},
	        {"Google", "구글"},
	        {"Anthropic", "앤트로픽"},
	        {"NVIDIA", "엔비디아"},
	        {"Naver", "네이버"},
	        {"Meta", "메타"},
	        {"Microsoft", "마이크로소프트"},
	        {"Apple", "애플"},
	        {"Samsung", "삼성전자"},
	        {"Kakao", "카카오"},
	        {"Upstage", "업스테이지"},
	        {"DeepSeek", "딥시크"},
	};
	static const char *const product[][2] = {
	        {"Gemini", "제미나이"}, {"Claude", "클로드"},
	        {"Llama", "라마"},      {"Grok", "그록"},
	        {"Qwen", "큐웬"},       {"Solar", "솔라"},
	        {"Kanana", "카나나"},   {"EXAONE", "엑사원"},
	        {"Sora", "소라"},       {"HyperCLOVA X", "하이퍼클로바X"},
	};
	static const char *const tier[][2] = {
	        {"", ""},
	        {" mini", " 미니"},
	        {" Pro", " 프로"},
	        {" Flash", " 플래시"},
	};
	static const char *const word[][2] = {
	        {"reasoning", "추론"},
	        {"coding", "코딩"},
	        {"agents", "에이전트"},
	        {"benchmarks", "벤치마크"},
	        {"video", "동영상"},
	        {"search", "검색"},
	        {"lower prices", "가격 인하"},
	        {"open source", "오픈소스"},
	        {"Seoul", "서울"},
	        {"Tokyo", "도쿄"},
	};
	enum { N = 100000, C = 12, P = 10, T = 4, W = 10 };
	struct story_input *in = calloc(N, sizeof *in);
	size_t *of = calloc(N, sizeof *of), i, c, p, t, w, v, ko;
	struct buf *titles = calloc(N, sizeof *titles);
	uint64_t seed = UINT64_C(0x9E3779B97F4A7C15);

	if (!CHECK(in && of && titles))
		goto out;
	for (i = 0; i < N; i++) {
		c = xorshift(&seed) % C;
		p = xorshift(&seed) % P;
		t = xorshift(&seed) % T;
		w = xorshift(&seed) % W;
		v = xorshift(&seed) % 90 + 10;
		ko = xorshift(&seed) % 2;
		buf_init(&titles[i], 256);
		switch (xorshift(&seed) % 4) {
		case 0:
			buf_printf(&titles[i],
			           ko ? "%s, %zu0억달러 투자 유치"
			              : "%s raises $%zu billion",
			           company[c][ko], v % 50 + 1);
			break;
		case 1:
			if (ko)
				buf_printf(&titles[i],
				           "%s, %s에 %zu명 규모 사무소 개소",
				           company[c][1], word[8 + w % 2][1],
				           v * 9);
			else
				buf_printf(&titles[i],
				           "%s opens an office for %zu in %s",
				           company[c][0], v * 9,
				           word[8 + w % 2][0]);
			break;
		default:
			buf_printf(
			        &titles[i],
			        ko ? "%s, '%s %zu.%zu%s' 출시…%s 강화"
			           : "%s releases %s %zu.%zu%s with better %s",
			        company[c][ko], product[p][ko], v / 10, v % 10,
			        tier[t][ko], word[w % 8][ko]);
		}
		in[i].title = buf_cstr(&titles[i]);
		in[i].time = (int64_t)i * 2;
	}
	cluster_synthetic("news in two languages", in, N, of);
	CHECK(largest_story(of, N) <= N / 100);
out:
	for (i = 0; titles && i < N; i++)
		buf_free(&titles[i]);
	free(titles);
	free(in);
	free(of);
}

static void add_item(struct store *st, const char *feed, const char *key,
                     const char *url, const char *title, int64_t t)
{
	struct store_item it;
	bool is_new;

	memset(&it, 0, sizeof it);
	it.feed_name = feed;
	it.key = key;
	it.url = url;
	it.canonical_url = url;
	it.title = title;
	it.has_published = true;
	it.published = t;
	it.seen_at = t;
	it.likes = it.reposts = it.points = it.stars = it.comments = -1;
	if (!CHECK_INT(store_item_upsert(st, &it, &is_new), 0))
		fprintf(stderr, "    %s\n", store_error(st));
}

static void test_stories_rebuild(void)
{
	struct buf err = BUF_INIT(0);
	struct store *st = NULL;
	struct store_story *v = NULL;
	size_t n = 0;
	int64_t day = 20000 * (int64_t)DAY, first;

	if (!CHECK_INT(store_open(":memory:", &st, &err), 0))
		goto out;
	CHECK_INT(store_feed_ensure(st, "lab", "https://lab.example/feed",
	                            "blog"),
	          0);
	CHECK_INT(
	        store_feed_ensure(st, "hn", "https://hn.example/", "community"),
	        0);
	CHECK_INT(store_feed_ensure(st, "news", "https://news.example/rss",
	                            "news"),
	          0);
	add_item(st, "lab", "l1", "https://lab.example/kimi-k2",
	         "Kimi K2: Open Agentic Intelligence", day + 3600);
	add_item(st, "hn", "h1", "https://lab.example/kimi-k2",
	         "Kimi K2: Open Agentic Intelligence", day + 7200);
	add_item(st, "news", "n1", "https://news.example/a1",
	         "Kimi K2: open agentic intelligence, explained", day + 9000);
	add_item(st, "news", "n2", "https://news.example/a2",
	         "Something else entirely happened today", day + 9500);
	/* the evening before: inside the day-before margin */
	add_item(st, "hn", "h0", NULL, "Kimi K2 open agentic intelligence",
	         day - 3600);
	/* two days before: outside, keeps no story */
	add_item(st, "lab", "l0", "https://lab.example/kimi-k2-preview",
	         "Kimi K2: Open Agentic Intelligence preview", day - 2 * DAY);

	CHECK_INT(stories_rebuild(st, day, day + DAY), 0);
	CHECK_INT(store_stories_window(st, day, day + DAY, &v, &n), 0);
	if (CHECK_INT(n, 2)) {
		CHECK_INT(v[0].nitems, 4);
		CHECK_INT(v[0].corroboration, 3);
		CHECK_INT(v[0].time, day - 3600);
		CHECK_STR(v[0].title, "Kimi K2 open agentic intelligence");
		CHECK_STR(v[0].canonical_url, "https://lab.example/kimi-k2");
		CHECK_INT(v[1].nitems, 1);
		CHECK_INT(v[1].corroboration, 1);
	}
	first = n ? v[0].id : 0;
	store_stories_free(v, n);
	CHECK_INT(store_stories_window(st, day - 3 * DAY, day - DAY, &v, &n),
	          0);
	CHECK_INT(n, 0);
	store_stories_free(v, n);

	/* a rebuild keeps the story ids */
	CHECK_INT(stories_rebuild(st, day, day + DAY), 0);
	CHECK_INT(store_stories_window(st, day, day + DAY, &v, &n), 0);
	if (CHECK_INT(n, 2))
		CHECK_INT(v[0].id, first);
	store_stories_free(v, n);
	/* an empty window is fine */
	CHECK_INT(stories_rebuild(st, 0, DAY), 0);
out:
	store_close(st);
	buf_free(&err);
}

/* The face of a story: weight, then the shared canonical URL, then an
 * official source, then the earliest. */
static void test_stories_trust(void)
{
	struct store_item_row it[5];
	struct store_story st;
	size_t order[5];

	memset(it, 0, sizeof it);
	memset(&st, 0, sizeof st);
	st.items = it;
	st.nitems = 5;
	/* 0: the earliest, a copycat at low weight */
	it[0].weight = 0.1, it[0].kind = "blog", it[0].time = 100;
	it[0].canonical_url = "https://phish.example/x";
	/* 1 and 2 share a canonical URL; 1 is community, 2 a blog */
	it[1].weight = 1.0, it[1].kind = "community", it[1].time = 200;
	it[1].canonical_url = "https://lab.example/post";
	it[2].weight = 1.0, it[2].kind = "blog", it[2].time = 300;
	it[2].canonical_url = "https://lab.example/post";
	/* 3: a news site of the same weight with its own URL, earlier */
	it[3].weight = 1.0, it[3].kind = "news", it[3].time = 150;
	it[3].canonical_url = "https://news.example/a";
	/* 4: the most trusted source */
	it[4].weight = 2.0, it[4].kind = "tweet", it[4].time = 400;
	stories_trust_order(&st, order);
	CHECK_INT(order[0], 4); /* weight first */
	CHECK_INT(order[1], 2); /* the shared URL, from a blog */
	CHECK_INT(order[2], 1); /* the shared URL, from the community */
	CHECK_INT(order[3], 3); /* its own URL, though earlier */
	CHECK_INT(order[4], 0); /* the copycat last */
	/* no weights or URLs to tell: official before community, then time */
	it[4].weight = 1.0;
	it[0].weight = 1.0;
	it[1].canonical_url = it[2].canonical_url = NULL;
	stories_trust_order(&st, order);
	CHECK_INT(order[0], 0);
	CHECK_INT(order[1], 2);
	CHECK_INT(order[2], 3);
	CHECK_INT(order[3], 1);
	CHECK_INT(order[4], 4);
}

void test_stories(void)
{
	test_stories_trust();
	test_stories_simhash();
	test_stories_tokens();
	test_stories_match();
	test_stories_cluster_small();
	/* titles.tsv (one language, some Korean-English pairs) and
	 * crosslang_dev.tsv are the sets the matcher was tuned on;
	 * heldout.tsv and crosslang_heldout.tsv were never tuned on. The
	 * floors are a little below what it reaches (bench/merge.sh checks
	 * the goals): 0.993/0.645 on titles.tsv, 0.959/0.420 on heldout.tsv
	 * (0.952/0.260 and 0.913/0.188 before Korean-English matching);
	 * Korean-English pairs 1.000/0.746 on crosslang_dev.tsv, 0.970/0.762
	 * on crosslang_heldout.tsv (0.943/0.713 of all its pairs). */
	test_stories_labelled("titles.tsv",
	                      (struct floors){0.97, 0.62, 0.95, 0.60});
	test_stories_labelled("heldout.tsv", (struct floors){0.93, 0.40, 0, 0});
	test_stories_labelled("crosslang_dev.tsv",
	                      (struct floors){0.97, 0.68, 0.97, 0.72});
	test_stories_labelled("crosslang_heldout.tsv",
	                      (struct floors){0.92, 0.68, 0.95, 0.72});
	test_stories_many();
	test_stories_many_news();
	test_stories_rebuild();
}
