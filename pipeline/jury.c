#include "pipeline/jury.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"

/* Whether pool member k is an LLM judge: its report's word (the report
 * and the pool share the name's pointer; a name alone when not). */
static bool jury_member_llm(const struct panel_result *res, size_t k)
{
	size_t j;

	for (j = 0; j < res->nreports; j++)
		if (res->judges[j].name == res->pool_names[k])
			return res->judges[j].llm;
	for (j = 0; j < res->nreports; j++)
		if (strcmp(res->judges[j].name, res->pool_names[k]) == 0)
			return res->judges[j].llm;
	return false;
}

int jury_keep(struct store *st, const char *date, int64_t at,
              const struct panel_result *res, const struct panel_story *stories)
{
	size_t n = res->norder, nj = res->njudges, i, k;
	struct store_jury j;
	int64_t *ids = xcalloc(n + 1, sizeof *ids);
	double *scores = xcalloc(nj * n + 1, sizeof *scores);
	double *pooled = xcalloc(n + 1, sizeof *pooled);
	bool *selected = xcalloc(n + 1, sizeof *selected);
	bool *llm = xcalloc(nj + 1, sizeof *llm);
	unsigned char *pick = xcalloc(n + 1, sizeof *pick);
	int rc;

	for (i = 0; i < n; i++) {
		size_t s = res->order[i];

		ids[i] = stories[s].id;
		pooled[i] = res->pooled[s];
		selected[i] = res->selected[s];
		pick[i] = stories[s].pick == POOL_PICK_DROP  ? STORE_PICK_DROP
		          : stories[s].pick == POOL_PICK_PIN ? STORE_PICK_PIN
		                                             : 0;
		for (k = 0; k < nj; k++)
			scores[k * n + i] = res->scores[k * res->nstories + s];
	}
	for (k = 0; k < nj; k++)
		llm[k] = jury_member_llm(res, k);
	memset(&j, 0, sizeof j);
	j.date = date;
	j.at = at;
	j.njudges = nj;
	j.nstories = n;
	j.names = res->pool_names;
	j.llm = llm;
	j.story_ids = ids;
	j.scores = scores;
	j.pooled = pooled;
	j.selected = selected;
	j.pick = pick;
	rc = store_jury_put(st, &j);
	free(ids);
	free(scores);
	free(pooled);
	free(selected);
	free(llm);
	free(pick);
	return rc;
}

int jury_day_shift(const char *date, long days, char out[DATE_DAY_LEN])
{
	int64_t from, to;

	if (date_day_window(date, 0, &from, &to) != 0)
		return ERR_USAGE;
	date_format_day(from + (int64_t)days * 86400, 0, out);
	return 0;
}

/* The report's judge of that name, added (with llm) when it is new. */
static struct jury_judge *jury_judge_of(struct jury_report *r, const char *name,
                                        bool llm)
{
	size_t k;

	for (k = 0; k < r->njudges; k++)
		if (strcmp(r->judges[k].name, name) == 0)
			return &r->judges[k];
	r->judges = xreallocarray(r->judges, r->njudges + 1, sizeof *r->judges);
	memset(&r->judges[r->njudges], 0, sizeof *r->judges);
	r->judges[r->njudges].name = xstrdup(name);
	r->judges[r->njudges].llm = llm;
	return &r->judges[r->njudges++];
}

/* One day's record into the tables. */
static void jury_add_day(struct jury_report *r, const struct store_jury_row *d)
{
	size_t n = d->nstories, m = 0, i, k;
	bool *own = xcalloc(n + 1, sizeof *own);
	bool *scored = xcalloc(n + 1, sizeof *scored);
	bool picked = false;

	for (i = 0; i < n; i++) {
		m += d->selected[i];
		r->drops += d->pick[i] == STORE_PICK_DROP;
		r->pins += d->pick[i] == STORE_PICK_PIN;
		picked = picked || d->pick[i] != 0;
	}
	r->days++;
	r->stories += n;
	r->days_picked += picked;
	pool_select_top(d->pooled, d->story_ids, n, m, own);
	pool_kappa_count(own, d->selected, NULL, n, &r->pool);
	for (k = 0; k < d->njudges; k++) {
		const double *sc = d->scores + k * n;
		struct jury_judge *jj;
		size_t count = 0;

		for (i = 0; i < n; i++) {
			scored[i] = !isnan(sc[i]);
			count += scored[i];
		}
		jj = jury_judge_of(r, d->names[k], d->llm[k]);
		if (count == 0)
			continue;
		jj->days++;
		jj->stories += count;
		pool_select_top(sc, d->story_ids, n, m, own);
		pool_kappa_count(own, d->selected, scored, n, &jj->table);
	}
	free(own);
	free(scored);
}

/* The editor weights of the LLM judges; the others keep 1. */
static void jury_weigh(struct jury_report *r)
{
	double *kappa = xcalloc(r->njudges + 1, sizeof *kappa);
	double *w = xcalloc(r->njudges + 1, sizeof *w);
	size_t *days = xcalloc(r->njudges + 1, sizeof *days);
	size_t *at = xcalloc(r->njudges + 1, sizeof *at);
	size_t k, nllm = 0;

	for (k = 0; k < r->njudges; k++) {
		r->judges[k].weight = 1;
		if (!r->judges[k].llm)
			continue;
		kappa[nllm] = r->judges[k].kappa;
		days[nllm] = r->judges[k].days;
		if (days[nllm] > r->llm_days)
			r->llm_days = days[nllm];
		at[nllm++] = k;
	}
	r->weights_status = pool_editor_weights(kappa, days, nllm, w);
	for (k = 0; k < nllm; k++)
		r->judges[at[k]].weight = w[k];
	free(kappa);
	free(w);
	free(days);
	free(at);
}

int jury_measure(struct store *st, const char *to, size_t ndays,
                 struct jury_report *out, struct buf *err)
{
	struct store_jury_row row;
	char **dates = NULL;
	size_t n = 0, i, k;
	int rc;

	memset(out, 0, sizeof *out);
	out->pool_kappa = NAN;
	if (ndays == 0 || ndays > 100000 ||
	    jury_day_shift(to, -(long)(ndays - 1), out->from) != 0) {
		buf_printf(err, "not a day: '%s'", to);
		return ERR_USAGE;
	}
	snprintf(out->to, sizeof out->to, "%s", to);
	rc = store_jury_dates(st, out->from, out->to, &dates, &n);
	/* the latest day first: its members lead the list */
	for (i = n; rc == 0 && i-- > 0;) {
		rc = store_jury_get(st, dates[i], &row);
		if (rc == 0 && row.nstories > 0)
			jury_add_day(out, &row);
		store_jury_clear(&row);
	}
	store_strings_free(dates, n);
	if (rc != 0) {
		buf_printf(err, "cannot read the jury's days: %s",
		           store_error(st));
		return rc;
	}
	for (k = 0; k < out->njudges; k++)
		out->judges[k].kappa = pool_cohen_kappa(&out->judges[k].table);
	out->pool_kappa = pool_cohen_kappa(&out->pool);
	jury_weigh(out);
	return 0;
}

void jury_report_free(struct jury_report *r)
{
	size_t k;

	if (!r)
		return;
	for (k = 0; k < r->njudges; k++)
		free(r->judges[k].name);
	free(r->judges);
	memset(r, 0, sizeof *r);
}

void jury_judge_factors(const struct jury_report *r,
                        const struct panel_config *pc, double *w)
{
	size_t j, k;

	for (j = 0; j < pc->njudges; j++) {
		w[j] = 1;
		if (pc->judges[j].type != PANEL_JUDGE_LLM)
			continue;
		for (k = 0; k < r->njudges; k++)
			if (r->judges[k].llm &&
			    strcmp(r->judges[k].name, pc->judges[j].name) == 0)
				w[j] = r->judges[k].weight;
	}
}
