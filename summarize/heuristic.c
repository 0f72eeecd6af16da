#include "summarize/heuristic.h"

#include "common/ascii.h"

#include <math.h>
#include <string.h>

#define HEURISTIC_MIN 1.0
#define HEURISTIC_MAX 10.0

/* Recency falls linearly from 10 (age 0) to 1 at this age and stays. */
#define RECENCY_SPAN (48.0 * 3600.0)

/* Engagement without any counts, or with every count 0. */
#define ENGAGEMENT_NEUTRAL 4.0
/* One curve for every signal, in units of the signal's count at 6:
 * 4 + A ln(1 + r / K) with r = count / at6 gives 4 at r = 0, 6 at r = 1,
 * 9 at r = 5 and 10 from r = 7.9 on. K solves ln(1 + 5/K) = 2.5 ln(1 + 1/K),
 * and A = 2 / ln(1 + 1/K). */
#define ENGAGEMENT_K 0.877024
#define ENGAGEMENT_A 2.628436

/* The topic judge reads this much of a title and of a text (bytes). */
#define TOPIC_TITLE_MAX 1024
#define TOPIC_TEXT_MAX 4096
/* A story matching nothing; what each class can add or take away. */
#define TOPIC_BASE 3.0
#define TOPIC_AI_CAP 5.0
#define TOPIC_RELEASE_CAP 3.0
#define TOPIC_OFF_CAP 4.0
/* noise points that make a story noise (one hiring phrase in a title, or
 * two build words) */
#define TOPIC_NOISE_NEEDS 3.0
#define TOPIC_NOISE_CAP 6.0
/* A release counts only for a story with this much AI in it. */
#define TOPIC_RELEASE_NEEDS 1.0
/* A term found only in the text counts this fraction of its weight. */
#define TOPIC_TEXT_FACTOR 0.5
#define TOPIC_BUCKETS 1024

static const char *const heuristic_names[HEURISTIC_COUNT] = {
        [HEURISTIC_RECENCY] = "recency",
        [HEURISTIC_SOURCE] = "source",
        [HEURISTIC_CORROBORATION] = "corroboration",
        [HEURISTIC_ENGAGEMENT] = "engagement",
        [HEURISTIC_TOPIC] = "topic",
};

/* Corroboration by distinct sources; from the last row on, the last score. */
static const double corroboration_scores[] = {
        3.0, /* 1 source */
        6.0, /* 2 */
        8.0, /* 3 */
        9.0, /* 4 */
        10.0 /* 5 or more */
};

enum engagement_signal {
	SIGNAL_LIKES,
	SIGNAL_REPOSTS,
	SIGNAL_POINTS,
	SIGNAL_STARS,
	SIGNAL_COMMENTS
};

/* The count of each signal that scores 6 (five times it scores 9). A row
 * naming a kind applies when the story has a source of that kind; a
 * signal's row without a kind applies when none of its named rows does.
 * When several apply, the lowest score counts: the largest count may
 * come from either source. */
static const struct engagement_scale {
	enum engagement_signal signal;
	const char *kind;
	double at6;
} engagement_scales[] = {
        {SIGNAL_LIKES, "paper", 30},   /* Hugging Face upvotes */
        {SIGNAL_LIKES, "tweet", 1000}, /* X likes */
        {SIGNAL_LIKES, NULL, 1000},    {SIGNAL_REPOSTS, NULL, 200},
        {SIGNAL_POINTS, NULL, 100}, /* Hacker News: 500 scores 9 */
        {SIGNAL_STARS, NULL, 300},  /* GitHub */
        {SIGNAL_COMMENTS, NULL, 60},
};

enum topic_class {
	TOPIC_AI,
	TOPIC_RELEASE,
	TOPIC_OFF,
	TOPIC_NOISE, /* what a reader of the digest does not want however
	              * much it mentions AI: build notes, hiring, sponsored
	              * posts, webinars, event listings */
	TOPIC_NCLASSES
};

/* The term must end where a word ends (else it is a word's prefix). */
#define TOPIC_WHOLE 1u

/* Topic terms as the matcher sees text: ASCII lower case, every run of
 * other ASCII bytes (spaces, punctuation) one space. An ASCII term starts
 * where a word starts (after a byte that is not an ASCII letter or digit,
 * so "GPT는" and "오픈AI" match); a Hangul term matches anywhere (Korean
 * particles and compounds attach to it). weight is its points in a
 * title. Every term has at least two bytes. */
static const struct topic_term {
	const char *term;
	unsigned char cls;
	unsigned char weight;
	unsigned char flags;
} topic_terms[] = {
        {"ai", TOPIC_AI, 2, TOPIC_WHOLE},
        {"artificial intelligence", TOPIC_AI, 2, 0},
        {"genai", TOPIC_AI, 2, TOPIC_WHOLE},
        {"generative", TOPIC_AI, 2, 0},
        {"llm", TOPIC_AI, 2, 0},
        {"large language model", TOPIC_AI, 2, 0},
        {"language model", TOPIC_AI, 2, 0},
        {"foundation model", TOPIC_AI, 2, 0},
        {"model", TOPIC_AI, 1, 0},
        {"gpt", TOPIC_AI, 2, 0},
        {"chatgpt", TOPIC_AI, 2, 0},
        {"openai", TOPIC_AI, 2, 0},
        {"anthropic", TOPIC_AI, 2, 0},
        {"claude", TOPIC_AI, 2, 0},
        {"gemini", TOPIC_AI, 2, 0},
        {"gemma", TOPIC_AI, 2, 0},
        {"deepmind", TOPIC_AI, 2, 0},
        {"llama", TOPIC_AI, 2, 0},
        {"mistral", TOPIC_AI, 2, 0},
        {"mixtral", TOPIC_AI, 2, 0},
        {"qwen", TOPIC_AI, 2, 0},
        {"deepseek", TOPIC_AI, 2, 0},
        {"grok", TOPIC_AI, 2, TOPIC_WHOLE},
        {"copilot", TOPIC_AI, 2, 0},
        {"hugging face", TOPIC_AI, 2, 0},
        {"huggingface", TOPIC_AI, 2, 0},
        {"transformer", TOPIC_AI, 2, 0},
        {"diffusion", TOPIC_AI, 2, 0},
        {"agent", TOPIC_AI, 2, 0},
        {"rag", TOPIC_AI, 2, TOPIC_WHOLE},
        {"retrieval augmented", TOPIC_AI, 2, 0},
        {"fine tun", TOPIC_AI, 2, 0},
        {"finetun", TOPIC_AI, 2, 0},
        {"rlhf", TOPIC_AI, 2, TOPIC_WHOLE},
        {"benchmark", TOPIC_AI, 2, 0},
        {"open weight", TOPIC_AI, 2, 0},
        {"inference", TOPIC_AI, 2, 0},
        {"reasoning", TOPIC_AI, 2, 0},
        {"machine learning", TOPIC_AI, 2, 0},
        {"deep learning", TOPIC_AI, 2, 0},
        {"reinforcement learning", TOPIC_AI, 2, 0},
        {"neural", TOPIC_AI, 1, 0},
        {"multimodal", TOPIC_AI, 2, 0},
        {"embedding", TOPIC_AI, 1, 0},
        {"chatbot", TOPIC_AI, 2, 0},
        {"prompt", TOPIC_AI, 1, 0},
        {"vlm", TOPIC_AI, 2, TOPIC_WHOLE},
        {"text to image", TOPIC_AI, 2, 0},
        {"gpu", TOPIC_AI, 1, 0},
        {"인공지능", TOPIC_AI, 2, 0},
        {"생성형", TOPIC_AI, 2, 0},
        {"언어모델", TOPIC_AI, 2, 0},
        {"언어 모델", TOPIC_AI, 2, 0},
        {"모델", TOPIC_AI, 1, 0},
        {"에이전트", TOPIC_AI, 2, 0},
        {"챗봇", TOPIC_AI, 2, 0},
        {"딥러닝", TOPIC_AI, 2, 0},
        {"머신러닝", TOPIC_AI, 2, 0},
        {"기계학습", TOPIC_AI, 2, 0},
        {"강화학습", TOPIC_AI, 2, 0},
        {"신경망", TOPIC_AI, 2, 0},
        {"추론", TOPIC_AI, 2, 0},
        {"파인튜닝", TOPIC_AI, 2, 0},
        {"미세조정", TOPIC_AI, 2, 0},
        {"벤치마크", TOPIC_AI, 2, 0},
        {"멀티모달", TOPIC_AI, 2, 0},
        {"트랜스포머", TOPIC_AI, 2, 0},
        {"오픈ai", TOPIC_AI, 2, 0},
        {"앤트로픽", TOPIC_AI, 2, 0},
        {"딥마인드", TOPIC_AI, 2, 0},
        {"클로드", TOPIC_AI, 2, 0},
        {"제미나이", TOPIC_AI, 2, 0},
        {"허깅페이스", TOPIC_AI, 2, 0},
        {"프롬프트", TOPIC_AI, 1, 0},
        {"release", TOPIC_RELEASE, 3, 0},
        {"launch", TOPIC_RELEASE, 3, 0},
        {"introduc", TOPIC_RELEASE, 3, 0},
        {"announc", TOPIC_RELEASE, 3, 0},
        {"unveil", TOPIC_RELEASE, 3, 0},
        {"now available", TOPIC_RELEASE, 3, 0},
        {"available now", TOPIC_RELEASE, 3, 0},
        {"open source", TOPIC_RELEASE, 3, 0},
        {"rolls out", TOPIC_RELEASE, 3, 0},
        {"rolling out", TOPIC_RELEASE, 3, 0},
        {"debut", TOPIC_RELEASE, 3, 0},
        {"출시", TOPIC_RELEASE, 3, 0},
        {"공개", TOPIC_RELEASE, 3, 0},
        {"발표", TOPIC_RELEASE, 3, 0},
        {"선보", TOPIC_RELEASE, 3, 0},
        {"릴리스", TOPIC_RELEASE, 3, 0},
        {"오픈소스", TOPIC_RELEASE, 3, 0},
        {"crypto", TOPIC_OFF, 2, 0},
        {"bitcoin", TOPIC_OFF, 2, 0},
        {"ethereum", TOPIC_OFF, 2, 0},
        {"blockchain", TOPIC_OFF, 2, 0},
        {"nft", TOPIC_OFF, 2, TOPIC_WHOLE},
        {"web3", TOPIC_OFF, 2, TOPIC_WHOLE},
        {"memecoin", TOPIC_OFF, 2, 0},
        {"celebrit", TOPIC_OFF, 2, 0},
        {"kardashian", TOPIC_OFF, 2, 0},
        {"football", TOPIC_OFF, 2, 0},
        {"soccer", TOPIC_OFF, 2, 0},
        {"baseball", TOPIC_OFF, 2, 0},
        {"basketball", TOPIC_OFF, 2, 0},
        {"nba", TOPIC_OFF, 2, TOPIC_WHOLE},
        {"nfl", TOPIC_OFF, 2, TOPIC_WHOLE},
        {"super bowl", TOPIC_OFF, 2, 0},
        {"world cup", TOPIC_OFF, 2, 0},
        {"olympic", TOPIC_OFF, 2, 0},
        {"horoscope", TOPIC_OFF, 2, 0},
        {"암호화폐", TOPIC_OFF, 2, 0},
        {"가상화폐", TOPIC_OFF, 2, 0},
        {"비트코인", TOPIC_OFF, 2, 0},
        {"이더리움", TOPIC_OFF, 2, 0},
        {"블록체인", TOPIC_OFF, 2, 0},
        {"연예", TOPIC_OFF, 2, 0},
        {"아이돌", TOPIC_OFF, 2, 0},
        {"열애", TOPIC_OFF, 2, 0},
        {"축구", TOPIC_OFF, 2, 0},
        {"야구", TOPIC_OFF, 2, 0},
        {"농구", TOPIC_OFF, 2, 0},
        {"스포츠", TOPIC_OFF, 2, 0},
        {"올림픽", TOPIC_OFF, 2, 0},
        {"월드컵", TOPIC_OFF, 2, 0},
        {"운세", TOPIC_OFF, 2, 0},
        /* automated build notes */
        {"ci", TOPIC_NOISE, 2, TOPIC_WHOLE},
        {"fix build", TOPIC_NOISE, 3, 0},
        {"arm build", TOPIC_NOISE, 3, 0},
        {"nightly build", TOPIC_NOISE, 3, 0},
        {"bump version", TOPIC_NOISE, 3, 0},
        {"bump deps", TOPIC_NOISE, 3, 0},
        {"merge pull request", TOPIC_NOISE, 3, 0},
        {"chore", TOPIC_NOISE, 3, TOPIC_WHOLE},
        {"dependabot", TOPIC_NOISE, 3, 0},
        /* hiring */
        {"we are hiring", TOPIC_NOISE, 4, 0},
        {"we re hiring", TOPIC_NOISE, 4, 0},
        {"now hiring", TOPIC_NOISE, 4, 0},
        {"join our team", TOPIC_NOISE, 4, 0},
        {"job opening", TOPIC_NOISE, 4, 0},
        {"apply now", TOPIC_NOISE, 3, 0},
        {"채용", TOPIC_NOISE, 4, 0},
        {"인재 모집", TOPIC_NOISE, 4, 0},
        /* sponsored */
        {"sponsored", TOPIC_NOISE, 4, 0},
        {"advertorial", TOPIC_NOISE, 4, 0},
        {"partner content", TOPIC_NOISE, 4, 0},
        {"paid partnership", TOPIC_NOISE, 4, 0},
        {"광고", TOPIC_NOISE, 2, 0},
        {"협찬", TOPIC_NOISE, 4, 0},
        /* webinars and event listings */
        {"webinar", TOPIC_NOISE, 4, 0},
        {"register now", TOPIC_NOISE, 4, 0},
        {"register today", TOPIC_NOISE, 4, 0},
        {"save the date", TOPIC_NOISE, 4, 0},
        {"join us at", TOPIC_NOISE, 3, 0},
        {"meetup", TOPIC_NOISE, 3, 0},
        {"livestream", TOPIC_NOISE, 2, 0},
        {"웨비나", TOPIC_NOISE, 4, 0},
        {"참가 신청", TOPIC_NOISE, 4, 0},
        {"사전 등록", TOPIC_NOISE, 4, 0},
        {"행사 안내", TOPIC_NOISE, 4, 0},
};

#define TOPIC_NTERMS (sizeof topic_terms / sizeof topic_terms[0])

/* The terms chained by a hash of their first two bytes, built on the
 * stack per call (a few hundred stores; no state outlives a call): a text
 * is scanned once, and at each place only the terms that start with its
 * two bytes are compared. */
struct topic_index {
	short head[TOPIC_BUCKETS];
	short next[TOPIC_NTERMS];
	unsigned char len[TOPIC_NTERMS];
};

static double heuristic_clamp(double v)
{
	if (!(v >= HEURISTIC_MIN)) /* NAN too */
		return HEURISTIC_MIN;
	return v > HEURISTIC_MAX ? HEURISTIC_MAX : v;
}

bool heuristic_parse(const char *name, enum heuristic_kind *out)
{
	size_t i;

	for (i = 0; name && i < HEURISTIC_COUNT; i++) {
		if (strcmp(name, heuristic_names[i]) == 0) {
			*out = (enum heuristic_kind)i;
			return true;
		}
	}
	return false;
}

const char *heuristic_name(enum heuristic_kind k)
{
	if ((unsigned)k >= HEURISTIC_COUNT)
		return NULL;
	return heuristic_names[k];
}

static double heuristic_recency(int64_t time, int64_t window_end)
{
	double age;

	if (time >= window_end)
		return HEURISTIC_MAX;
	/* in double: the difference of two int64 may overflow */
	age = (double)window_end - (double)time;
	return heuristic_clamp(HEURISTIC_MAX - (HEURISTIC_MAX - HEURISTIC_MIN) *
	                                               age / RECENCY_SPAN);
}

/* Linear through (0, 1), (1, 5) and (2, 10). */
static double heuristic_source(double w)
{
	if (isnan(w))
		w = 1.0;
	if (w <= 1.0)
		return heuristic_clamp(1.0 + 4.0 * w);
	return heuristic_clamp(5.0 + 5.0 * (w - 1.0));
}

static double heuristic_corroboration(int n)
{
	size_t last =
	        sizeof corroboration_scores / sizeof corroboration_scores[0] -
	        1;

	if (n < 1)
		n = 1;
	if ((size_t)n - 1 >= last)
		return corroboration_scores[last];
	return corroboration_scores[n - 1];
}

/* Whether the comma-separated list has the element kind. */
static bool heuristic_has_kind(const char *kinds, const char *kind)
{
	size_t n = strlen(kind);
	const char *p = kinds, *end;

	while (p && *p) {
		end = strchr(p, ',');
		if (!end)
			end = p + strlen(p);
		while (p < end && *p == ' ')
			p++;
		if ((size_t)(end - p) >= n && strncmp(p, kind, n) == 0) {
			const char *q = p + n;

			while (q < end && *q == ' ')
				q++;
			if (q == end)
				return true;
		}
		p = *end ? end + 1 : end;
	}
	return false;
}

static long long heuristic_signal(const struct heuristic_story *s,
                                  enum engagement_signal sig)
{
	switch (sig) {
	case SIGNAL_LIKES:
		return s->likes;
	case SIGNAL_REPOSTS:
		return s->reposts;
	case SIGNAL_POINTS:
		return s->points;
	case SIGNAL_STARS:
		return s->stars;
	case SIGNAL_COMMENTS:
		return s->comments;
	}
	return -1;
}

static double engagement_curve(long long count, double at6)
{
	double r = (double)count / at6;

	return heuristic_clamp(ENGAGEMENT_NEUTRAL +
	                       ENGAGEMENT_A * log1p(r / ENGAGEMENT_K));
}

/* One signal's score by the rows that apply to the story, or -1 when the
 * story has no count of it. */
static double engagement_signal_score(const struct heuristic_story *s,
                                      enum engagement_signal sig)
{
	const struct engagement_scale *e;
	long long count = heuristic_signal(s, sig);
	double best = -1, v;
	size_t i;
	bool named = false;

	if (count < 0)
		return -1;
	for (i = 0; i < sizeof engagement_scales / sizeof engagement_scales[0];
	     i++) {
		e = &engagement_scales[i];
		if (e->signal != sig || !e->kind ||
		    !heuristic_has_kind(s->kinds, e->kind))
			continue;
		v = engagement_curve(count, e->at6);
		if (!named || v < best)
			best = v;
		named = true;
	}
	for (i = 0; !named &&
	            i < sizeof engagement_scales / sizeof engagement_scales[0];
	     i++) {
		e = &engagement_scales[i];
		if (e->signal == sig && !e->kind)
			return engagement_curve(count, e->at6);
	}
	return best;
}

static double heuristic_engagement(const struct heuristic_story *s)
{
	static const enum engagement_signal signals[] = {
	        SIGNAL_LIKES, SIGNAL_REPOSTS, SIGNAL_POINTS, SIGNAL_STARS,
	        SIGNAL_COMMENTS};
	double best = ENGAGEMENT_NEUTRAL, v;
	size_t i;

	for (i = 0; i < sizeof signals / sizeof signals[0]; i++) {
		v = engagement_signal_score(s, signals[i]);
		if (v > best)
			best = v;
	}
	return best;
}

static unsigned topic_bucket(unsigned char a, unsigned char b)
{
	return (((unsigned)a << 5) ^ b) % TOPIC_BUCKETS;
}

static void topic_index_build(struct topic_index *ix)
{
	const unsigned char *t;
	size_t i;
	unsigned h;

	memset(ix->head, 0xff, sizeof ix->head); /* -1: empty */
	for (i = TOPIC_NTERMS; i-- > 0;) {
		t = (const unsigned char *)topic_terms[i].term;
		h = topic_bucket(t[0], t[1]);
		ix->len[i] = (unsigned char)strlen(topic_terms[i].term);
		ix->next[i] = ix->head[h];
		ix->head[h] = (short)i;
	}
}

/* Read at most max bytes of s (NULL reads as "") into out as the terms
 * are written: ASCII letters in lower case, each run of other ASCII bytes
 * one space, other bytes as they are. Returns the length (out is not
 * terminated). */
static size_t topic_normalize(const char *s, char *out, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, n = 0;

	for (i = 0; p && i < max && p[i]; i++) {
		if (p[i] >= 0x80 || ascii_isalnum(p[i]))
			out[n++] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32
			                                             : p[i]);
		else if (n > 0 && out[n - 1] != ' ')
			out[n++] = ' ';
	}
	return n;
}

/* Raise got[t] to points(t) * factor for each term t found in s[0..n). */
static void topic_scan(const struct topic_index *ix, const char *s, size_t n,
                       double factor, double *got)
{
	const unsigned char *u = (const unsigned char *)s;
	const struct topic_term *t;
	size_t i, end;
	short k;

	for (i = 0; i + 1 < n; i++) {
		if (u[i] < 0x80) {
			/* ASCII terms start where a word starts */
			if (!ascii_isalnum(u[i]) ||
			    (i > 0 && ascii_isalnum(u[i - 1])))
				continue;
		} else if (u[i] < 0xC0) {
			continue; /* inside a character */
		}
		for (k = ix->head[topic_bucket(u[i], u[i + 1])]; k >= 0;
		     k = ix->next[k]) {
			t = &topic_terms[k];
			end = i + ix->len[k];
			if (end > n || memcmp(s + i, t->term, ix->len[k]) != 0)
				continue;
			if ((t->flags & TOPIC_WHOLE) && end < n &&
			    ascii_isalnum(u[end]))
				continue;
			if (t->weight * factor > got[k])
				got[k] = t->weight * factor;
		}
	}
}

/* Whether a title is a bare build or version tag: a letter or none, then
 * digits and dots, and at most a short suffix (b5121, v1.2.3, 0.9.0-rc1,
 * build 4312). */
static bool topic_build_tag(const char *t)
{
	const char *p = t ? t : "";
	size_t digits = 0, rest;

	while (*p == ' ')
		p++;
	if (strncmp(p, "build ", 6) == 0)
		p += 6;
	else if (*p == 'b' || *p == 'v' || *p == 'r')
		p++;
	for (; ascii_isdigit((unsigned char)*p) || *p == '.'; p++)
		digits += ascii_isdigit((unsigned char)*p);
	for (rest = 0; p[rest] && p[rest] != ' '; rest++)
		if (!ascii_isalnum((unsigned char)p[rest]) && p[rest] != '-')
			return false;
	while (p[rest] == ' ')
		rest++;
	return digits > 0 && p[rest] == '\0' && rest <= 12;
}

static double heuristic_topic(const struct heuristic_story *s)
{
	struct topic_index ix;
	char title[TOPIC_TITLE_MAX], text[TOPIC_TEXT_MAX];
	double got[TOPIC_NTERMS] = {0}, pts[TOPIC_NCLASSES] = {0}, v;
	size_t i, n;

	topic_index_build(&ix);
	n = topic_normalize(s->title, title, sizeof title);
	topic_scan(&ix, title, n, 1.0, got);
	n = topic_normalize(s->text, text, sizeof text);
	topic_scan(&ix, text, n, TOPIC_TEXT_FACTOR, got);
	for (i = 0; i < TOPIC_NTERMS; i++)
		pts[topic_terms[i].cls] += got[i];
	/* a title that is only a build tag (b5121, v0.9.1-nightly) is a
	 * build note whatever it mentions */
	if (topic_build_tag(s->title))
		pts[TOPIC_NOISE] += TOPIC_NOISE_CAP;
	if (pts[TOPIC_NOISE] >= TOPIC_NOISE_NEEDS)
		return HEURISTIC_MIN;
	v = TOPIC_BASE + fmin(pts[TOPIC_AI], TOPIC_AI_CAP);
	if (pts[TOPIC_AI] >= TOPIC_RELEASE_NEEDS)
		v += fmin(pts[TOPIC_RELEASE], TOPIC_RELEASE_CAP);
	v -= fmin(pts[TOPIC_OFF], TOPIC_OFF_CAP);
	return heuristic_clamp(v);
}

double heuristic_score(enum heuristic_kind k, const struct heuristic_story *s,
                       int64_t window_end)
{
	if (!s)
		return NAN;
	switch (k) {
	case HEURISTIC_RECENCY:
		return heuristic_recency(s->time, window_end);
	case HEURISTIC_SOURCE:
		return heuristic_source(s->best_weight);
	case HEURISTIC_CORROBORATION:
		return heuristic_corroboration(s->corroboration);
	case HEURISTIC_ENGAGEMENT:
		return heuristic_engagement(s);
	case HEURISTIC_TOPIC:
		return heuristic_topic(s);
	case HEURISTIC_COUNT:
		break;
	}
	return NAN;
}

double heuristic_prerank(const struct heuristic_story *s, int64_t window_end)
{
	double sum = 0;
	size_t k;

	if (!s)
		return NAN;
	for (k = 0; k < HEURISTIC_COUNT; k++)
		sum += heuristic_score((enum heuristic_kind)k, s, window_end);
	return sum;
}
