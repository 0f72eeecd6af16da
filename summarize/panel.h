#ifndef AIDIGEST_PANEL_H
#define AIDIGEST_PANEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/ini.h"
#include "common/pattern.h"
#include "summarize/heuristic.h"
#include "summarize/engine.h"
#include "summarize/llm.h"
#include "summarize/pool.h"

/* The panel (PoLL): several judges score every candidate story, their
 * scores are pooled into one ranking, agreement and cost are recorded.
 * Configured by [judge.NAME], [panel], [budget] and [categories] of
 * aidigest.conf (DESIGN.md, issue 4); with no judge sections the panel is
 * the built-in heuristic judges. */

enum panel_judge_type { PANEL_JUDGE_LLM = 0, PANEL_JUDGE_HEURISTIC };

struct panel_judge {
	char *name; /* the section's NAME */
	enum panel_judge_type type;
	struct llm_profile llm; /* endpoint, key, prices (timeout 60 s);
	                         * for a heuristic judge only model, which
	                         * names it */
	enum heuristic_kind heuristic;
	double weight; /* 1 */
};

struct panel_category {
	char *id;           /* "models" */
	char *label;        /* the Korean heading */
	struct pattern *re; /* or NULL */
};

/* Where the judges' weights come from ([panel] weights). */
enum panel_weights {
	PANEL_WEIGHTS_CONFIG = 0, /* each [judge.NAME] weight */
	PANEL_WEIGHTS_EDITOR      /* that times the judge's agreement with
	                           * the editor (pipeline/jury.h), LLM judges
	                           * from POOL_EDITOR_MIN_DAYS recorded days
	                           * on */
};

struct panel_config {
	struct panel_judge *judges; /* the [judge.*] sections in file order */
	size_t njudges;
	enum pool_method pooling; /* zmean */
	size_t batch;             /* 20 stories a request */
	size_t candidates;        /* 150 go to the LLM judges */
	size_t top;               /* 10 selected */
	double quota;             /* a category's share of top: 0.4 */
	double reference_price_in, reference_price_out;
	unsigned seed;
	double max_usd; /* 0: no budget */
	struct panel_category *categories;
	size_t ncategories;
	char *prompt;            /* the judge prompt's text */
	char prompt_version[32]; /* changes when the prompt, the schema
	                          * or text_max do */
	size_t text_max;         /* code points of text per story: 1200 */
	bool verify;             /* the LLM judges check the writer's
	                          * texts (summarize/verify.h): yes */
	char *verify_prompt;     /* its text: [panel] verify_prompt's
	                          * file, else templates/prompts/verify.txt */

	/* [panel] weights: config */
	enum panel_weights weights;
};

/* Read the panel's sections from a parsed configuration. A judge whose
 * key variable is unset is left out with a notice (not an error); a bad
 * value is an error "FILE:LINE: ..." in err. Returns 0 or ERR_PARSE. */
MUST_CHECK int panel_config_load(const struct ini *ini, const char *file,
                                 struct panel_config *out, struct buf *err,
                                 struct buf *notices);
void panel_config_free(struct panel_config *c);

/* A story as the panel sees it. The caller owns the strings. */
struct panel_story {
	int64_t id;
	const char *title;
	const char *source; /* its first item's source */
	const char *text;
	const char *hash; /* content hash: the judgments' cache key */
	struct heuristic_story h;
	const char *const *links; /* every item's URL, NULL-ended */
	bool published;           /* an earlier day's digest carried it:
	                           * ranked, never selected */
	enum pool_pick pick;      /* the editor's: dropped is never
	                           * selected, pinned always is (and is a
	                           * candidate whatever its pre-rank) */
};

/* One judge's part in a run. */
struct panel_judge_report {
	const char *name;
	bool llm;
	bool failed, skipped; /* failed: dropped with reason */
	char reason[256];
	struct llm_usage use;
	double tau; /* against the pooled ranking; NAN */
	/* the diagnostics (issue 14), for an LLM judge of a panel with two
	 * answering at least; diagnosed false: none (a heuristic judge) */
	bool diagnosed;
	double residual_rms;       /* its disagreement with the others */
	struct pool_bias position; /* against its place in its batch */
	struct pool_bias length;   /* against log2 of the text's length */
};

/* Two LLM judges whose disagreements with the rest move together: they
 * vote as one. */
struct panel_redundant {
	const char *a, *b; /* judge names, owned by the config */
	double r;          /* their residuals' correlation */
	size_t shared;     /* the stories it rests on */
};

/* The ranking of one window. Arrays are indexed by story as given. */
struct panel_result {
	size_t nstories;
	size_t njudges;                    /* the pool: judges that took part */
	struct panel_judge_report *judges; /* every configured judge, then
	                                    * the heuristic stand-ins */
	size_t nreports;
	double *scores; /* njudges x nstories raw scores, NAN */
	double *pooled; /* nstories; -INFINITY: not a candidate */
	size_t *order;  /* story indices, best first */
	size_t norder;  /* the candidates */
	bool *selected;
	struct pool_choice *why; /* nstories: why each is in or out */
	int *category;           /* index into config categories, -1:
	                          * none (the judges' majority, else the
	                          * pattern that matches best) */
	const char **pool_names; /* njudges names, owned by config */
	double kendall_w;
	struct llm_usage use; /* every judge's */
	double reference_usd; /* one frontier judge on the same prompts */
	bool degraded;        /* a judge failed, or heuristics stood in */
	size_t pairs_asked;   /* unsure pairs put to the judges' vote */
	size_t pairs_same;    /* of those, voted the same event */
	bool budget_hit;
	char note[256]; /* why degraded, for a person */
	/* the LLM judges' diagnostics (summarize/pool.h: pool_diagnose),
	 * when two or more answered: the effective number of independent
	 * judges among them (NAN: not diagnosed) and the pairs that vote as
	 * one */
	double effective_judges;
	size_t diagnosed; /* the LLM judges diagnosed */
	struct panel_redundant *redundant;
	size_t nredundant;
};

struct panel_options {
	bool progress; /* a progress line on stderr */
	int64_t window_end;
	unsigned seed; /* 0: the config's */
	/* per configured judge, a factor on its weight (> 0, finite);
	 * NULL: 1 each */
	const double *judge_weights;
};

/* Rank the stories: heuristic pre-ranking, the LLM judges on the best
 * `candidates` through the engine (judgments cached in run->cache and
 * reused, the rest asked in batches, each judge in its own seeded order,
 * missing ids asked once more, within run->ledger), quorum, pooling,
 * agreement, selection, cost. Returns 0 (degradation is in res), or an
 * ERR_* code (err says why). */
MUST_CHECK int panel_rank(const struct engine_run *run,
                          const struct panel_config *cfg,
                          const struct panel_story *stories, size_t n,
                          const struct panel_options *opt,
                          struct panel_result *res, struct buf *err);
void panel_result_free(struct panel_result *res);

/* The diagnostics in plain words, one warning a line ("judge-x and
 * judge-y vote as one", "judge-z favours long texts"), each line started
 * with prefix; nothing when all is well. Returns how many. */
size_t panel_warnings(const struct panel_result *res, const char *prefix,
                      struct buf *out);

#endif
