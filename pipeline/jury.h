#ifndef AIDIGEST_JURY_H
#define AIDIGEST_JURY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/date.h"
#include "common/err.h"
#include "store/store.h"
#include "summarize/panel.h"
#include "summarize/pool.h"

/* The editor as the gold standard (issue 14): every published day keeps
 * the panel as it stood (store_jury_put), and the days add up to each
 * judge's agreement with the editor's final selection. On a day with m
 * stories finally selected, a judge's own selection is its m best by its
 * scores among the candidates it scored (pool_select_top), the pool's the
 * m best by pooled score; Cohen's kappa on selected-or-not is taken over
 * one table per judge that every day adds to (pool_kappa_count). */

/* The days before a run's day whose records give [panel] weights =
 * editor its weights. */
#define JURY_WEIGHT_DAYS 30

/* Keep the day's panel: the candidates (res->order[0..norder)), each
 * pool member's scores on them, the pooled scores, the final selection
 * (res->selected, after the editor's picks) and the picks (stories[i].pick);
 * a member is LLM when its report says so. Replaces the day's record.
 * 0, or the store's ERR_* (store_error says why). */
MUST_CHECK int jury_keep(struct store *st, const char *date, int64_t at,
                         const struct panel_result *res,
                         const struct panel_story *stories);

/* One judge over the days. */
struct jury_judge {
	char *name;
	bool llm;       /* as its latest day recorded it */
	size_t days;    /* days it scored a candidate on */
	size_t stories; /* candidates it scored, over those days */
	struct pool_kappa_table table;
	double kappa;  /* with the editor; NAN when undefined */
	double weight; /* pool_editor_weights over the LLM judges; 1 for
	                * the others and before the days are there */
};

/* The jury over the days from `from` to `to` that have a record. Owned
 * by the struct: jury_report_free. */
struct jury_report {
	char from[DATE_DAY_LEN], to[DATE_DAY_LEN];
	size_t days;        /* days with a record and a candidate */
	size_t stories;     /* candidates over those days */
	size_t days_picked; /* days the editor dropped or pinned a candidate */
	size_t drops, pins;
	struct jury_judge *judges; /* the latest day's members first, in
	                            * its order, then older ones */
	size_t njudges;
	struct pool_kappa_table pool;
	double pool_kappa;  /* NAN when undefined */
	int weights_status; /* 0, POOL_EDITOR_FEW_DAYS or
	                     * POOL_EDITOR_NO_SIGNAL */
	size_t llm_days;    /* the most days an LLM judge has */
};

/* The report over the `ndays` days (>= 1) that end at `to` (YYYY-MM-DD,
 * inclusive). 0, ERR_USAGE for a day that is not one (err says so), or
 * the store's ERR_* ("cannot read the jury's days: ..." in err). Free
 * with jury_report_free either way. */
MUST_CHECK int jury_measure(struct store *st, const char *to, size_t ndays,
                            struct jury_report *out, struct buf *err);
void jury_report_free(struct jury_report *r);

/* The day `days` before `date` (YYYY-MM-DD; days may be negative) into
 * out. 0, or ERR_USAGE when date is not a day. */
MUST_CHECK int jury_day_shift(const char *date, long days,
                              char out[DATE_DAY_LEN]);

/* Per configured judge of pc, the factor on its weight that [panel]
 * weights = editor gives: the report's weight for an LLM judge of that
 * name, 1 otherwise. w has pc->njudges places. */
void jury_judge_factors(const struct jury_report *r,
                        const struct panel_config *pc, double *w);

#endif
