#ifndef AIDIGEST_PANEL_IMPL_H
#define AIDIGEST_PANEL_IMPL_H

/* What the panel's files share (summarize/panel*.c); not for others. */

#include <stdbool.h>
#include <stddef.h>

#include "summarize/engine.h"
#include "summarize/panel.h"

/* The reply every judge must give (JSON Schema), in panel.c. */
extern const char panel_schema_text[];

/* A run of the panel (panel.c), as its steps share it. */
struct panel_run {
	const struct engine_run *run;
	const struct panel_config *cfg;
	const struct panel_story *stories;
	size_t n;
	const struct panel_options *opt;
	struct panel_result *res;
	char (*idstr)[24]; /* each story's id as sent */
	int64_t *ids;      /* tie keys: the stories' content (panel_tie_key) */
	size_t *cand;      /* the heuristic pre-ranking, best first */
	size_t ncand;      /* the first ncand go to the judges */
	double *judge_scores; /* cfg->njudges x n, NAN */
	double *judge_place;  /* cfg->njudges x n: the story's place in the
	                       * batch the judge saw it in; NAN unknown */
	int *judge_category;  /* cfg->njudges x n, -1 */
	/* the pool: configured judges, or heuristic stand-ins ((size_t)-1) */
	size_t npool;
	size_t *pool_judge;
	enum heuristic_kind *pool_kind;
	bool *pool_is_heuristic;
	double *weights;
	char (*versions)[ENGINE_VERSION_MAX]; /* each judge's cache version */
	long cache_errors;
	char cache_error[128];
	/* the pairs the matcher was unsure of, and the judges' vote */
	size_t (*pairs)[2];
	bool *pair_same;
	size_t npairs;
	struct panel_pairs_ctx *pairs_ctx; /* while the vote runs */
};

/* Among the best candidates of the pre-ranking, the pairs of stories the
 * matcher was unsure of (a shared name or figure, not enough) go to the
 * LLM judges, titles only, batched: the job to send with the scores
 * (false: no pairs, or fewer than two LLM judges: nothing to ask). Cached
 * as verdicts, within the run's budget. */
bool panel_pairs_job(struct panel_run *r, struct engine_job *job);

/* After the job: a majority of the judges that answered the ranking
 * (two at least) says "the same event" (a tie says not); the vote's
 * usage goes to each judge's. */
void panel_pairs_done(struct panel_run *r);

/* Whether stories a and b were voted the same event. */
bool panel_pairs_same(const struct panel_run *r, size_t a, size_t b);

void panel_pairs_free(struct panel_run *r);

/* After pooling: the LLM members' diagnostics into r->res (two at least;
 * panel_diag.c). */
void panel_diagnose(struct panel_run *r);

#endif
