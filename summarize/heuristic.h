#ifndef AIDIGEST_HEURISTIC_H
#define AIDIGEST_HEURISTIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The built-in judges: no network, no cost, deterministic. They pre-rank
 * the candidates for the LLM judges and stand in when the LLM quorum
 * fails; listed as [judge.NAME] provider = heuristic, model = one of the
 * names below, they join the pool like any judge. Each scores a story
 * 1-10 (a real number). */

enum heuristic_kind {
	HEURISTIC_RECENCY = 0, /* newer within the window scores higher */
	HEURISTIC_SOURCE,      /* the best weight= among its sources */
	HEURISTIC_CORROBORATION, /* how many distinct sources carry it */
	HEURISTIC_ENGAGEMENT,  /* points, likes, stars, comments (log) */
	HEURISTIC_TOPIC,       /* matches of the AI-topic patterns */
	HEURISTIC_COUNT
};

/* What the heuristics see of a story. */
struct heuristic_story {
	const char *title;
	const char *text;       /* summary of its first item, may be NULL */
	int64_t time;           /* earliest item time */
	int corroboration;      /* distinct sources */
	double best_weight;     /* max source weight (1.0 default) */
	long long likes, reposts, points, stars, comments; /* max; -1 none */
	const char *kinds;      /* its sources' kinds, comma separated */
};

/* Parse a name ("recency", ...); false when unknown. */
bool heuristic_parse(const char *name, enum heuristic_kind *out);
const char *heuristic_name(enum heuristic_kind k);

/* Score a story for a window ending at window_end (UTC seconds). */
double heuristic_score(enum heuristic_kind k, const struct heuristic_story *s,
		       int64_t window_end);

/* The sum of every heuristic's score, the pre-ranking of candidates. */
double heuristic_prerank(const struct heuristic_story *s, int64_t window_end);

#endif
