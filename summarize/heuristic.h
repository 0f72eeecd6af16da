#ifndef AIDIGEST_HEURISTIC_H
#define AIDIGEST_HEURISTIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The built-in judges: no network, no cost, deterministic. They pre-rank
 * the candidates for the LLM judges and stand in when the LLM quorum
 * fails; listed as [judge.NAME] provider = heuristic, model = one of the
 * names below, they join the pool like any judge. Each scores a story
 * 1-10 (a real number) from the fields below alone. */

enum heuristic_kind {
	/* age at window_end, falling linearly from 10 (age 0, or a time
	 * after window_end) to 1 at 48 h and older */
	HEURISTIC_RECENCY = 0,
	/* best_weight, piecewise linear: 0 -> 1, 0.5 -> 3, 1 -> 5,
	 * 2 and more -> 10; NAN reads as 1.0 */
	HEURISTIC_SOURCE,
	/* distinct sources: 1 -> 3, 2 -> 6, 3 -> 8, 4 -> 9, 5+ -> 10;
	 * fewer than 1 reads as 1 */
	HEURISTIC_CORROBORATION,
	/* the strongest count on a log curve per signal (HN points:
	 * 100 -> 6, 500 -> 9); no counts, or only zeros -> 4 */
	HEURISTIC_ENGAGEMENT,
	/* English and Korean term tables over the title and the text's
	 * first 4 KiB: AI terms raise it, releases of AI things more,
	 * off-topic terms (crypto, sports, celebrities) lower it; 3 when
	 * nothing matches */
	HEURISTIC_TOPIC,
	HEURISTIC_COUNT
};

/* What the heuristics see of a story. */
struct heuristic_story {
	const char *title;  /* may be NULL */
	const char *text;   /* summary of its first item, may be NULL */
	int64_t time;       /* earliest item time */
	int corroboration;  /* distinct sources */
	double best_weight; /* max source weight (1.0 default) */
	long long likes, reposts, points, stars, comments; /* max; < 0 none */
	const char *kinds; /* its sources' kinds, comma separated, may
	                    * be NULL: likes are read as Hugging Face
	                    * upvotes when one is "paper" and none is
	                    * "tweet", else as X likes */
};

/* Parse a name ("recency", ...: exact, lower case); false when unknown
 * or NULL, and *out is left alone. */
bool heuristic_parse(const char *name, enum heuristic_kind *out);
/* The name of a kind (static), NULL for a value out of range. */
const char *heuristic_name(enum heuristic_kind k);

/* Score a story for a window ending at window_end (UTC seconds): in
 * [1, 10] for any field values; NAN when s is NULL or k out of range.
 * Deterministic, no allocation, no state. */
double heuristic_score(enum heuristic_kind k, const struct heuristic_story *s,
                       int64_t window_end);

/* The unweighted sum of the five scores, in [5, 50]: the pre-ranking of
 * candidates. NAN when s is NULL. */
double heuristic_prerank(const struct heuristic_story *s, int64_t window_end);

#endif
