#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "common/xalloc.h"
#include "summarize/panel_impl.h"

/* The panel's diagnostics (issue 14): whether its LLM judges' errors are
 * as independent as pooling assumes (redundant pairs, the effective
 * number of judges), and whether a judge rewards where a story stood in
 * its batch or how long its text was. The heuristic judges are rules,
 * not opinions: they are neither diagnosed nor the yardstick. */

/* The length a judge saw: the text's code points, cut as it was sent. */
static double panel_diag_length(const struct panel_run *r, size_t i)
{
	const char *t = r->stories[i].text ? r->stories[i].text : "";
	size_t cp = utf8_count(t, strlen(t));

	if (r->cfg->text_max && cp > r->cfg->text_max)
		cp = r->cfg->text_max;
	return cp ? (double)cp : NAN;
}

static void panel_diag_take(struct panel_run *r, const size_t *member,
                            const struct pool_diagnostics *d)
{
	struct panel_result *res = r->res;
	size_t m, k;

	for (m = 0; m < d->njudges; m++) {
		struct panel_judge_report *rep =
		        &res->judges[r->pool_judge[member[m]]];

		rep->diagnosed = true;
		rep->residual_rms = d->judges[m].rms;
		rep->position = d->judges[m].position;
		rep->length = d->judges[m].length;
	}
	res->effective_judges = d->effective_judges;
	res->diagnosed = d->njudges;
	res->redundant = xcalloc(d->nredundant + 1, sizeof *res->redundant);
	for (k = 0; k < d->nredundant; k++) {
		const struct pool_redundant *p = &d->redundant[k];

		res->redundant[k].a = res->pool_names[member[p->a]];
		res->redundant[k].b = res->pool_names[member[p->b]];
		res->redundant[k].r = p->r;
		res->redundant[k].shared = p->shared;
	}
	res->nredundant = d->nredundant;
}

void panel_diagnose(struct panel_run *r)
{
	struct panel_result *res = r->res;
	size_t n = r->n, m = 0, k, i, c;
	size_t *member = xcalloc(r->npool + 1, sizeof *member);
	double *scores, *weights, *place, *length;
	struct pool_input in;
	struct pool_diagnostics d;

	for (k = 0; k < r->npool; k++)
		if (!r->pool_is_heuristic[k])
			member[m++] = k;
	if (m < 2) { /* one judge has nobody to be measured against */
		free(member);
		return;
	}
	scores = xcalloc(m * n + 1, sizeof *scores);
	weights = xcalloc(m + 1, sizeof *weights);
	place = xcalloc(m * n + 1, sizeof *place);
	length = xcalloc(n + 1, sizeof *length);
	for (i = 0; i < n; i++)
		length[i] = NAN;
	for (c = 0; c < r->ncand; c++)
		length[r->cand[c]] = panel_diag_length(r, r->cand[c]);
	for (k = 0; k < m; k++) {
		size_t j = r->pool_judge[member[k]];

		weights[k] = r->weights[member[k]];
		memcpy(scores + k * n, res->scores + member[k] * n,
		       n * sizeof *scores);
		memcpy(place + k * n, r->judge_place + j * n,
		       n * sizeof *place);
	}
	memset(&in, 0, sizeof in);
	in.njudges = m;
	in.nstories = n;
	in.scores = scores;
	in.weights = weights;
	in.ids = r->ids;
	if (pool_diagnose(&in, place, length, &d) == 0)
		panel_diag_take(r, member, &d);
	pool_diagnostics_free(&d);
	free(scores);
	free(weights);
	free(place);
	free(length);
	free(member);
}

size_t panel_warnings(const struct panel_result *res, const char *prefix,
                      struct buf *out)
{
	size_t j, k, count = 0;

	for (k = 0; k < res->nredundant; k++, count++)
		buf_printf(out,
		           "%s%s and %s vote as one (their disagreements with "
		           "the rest correlate at %.2f over %zu stories)\n",
		           prefix, res->redundant[k].a, res->redundant[k].b,
		           res->redundant[k].r, res->redundant[k].shared);
	for (j = 0; j < res->nreports; j++) {
		const struct panel_judge_report *p = &res->judges[j];

		if (!p->diagnosed || p->failed)
			continue;
		if (p->length.notable) {
			buf_printf(out,
			           "%s%s favours %s texts (r %.2f with the "
			           "text's length, over %zu stories)\n",
			           prefix, p->name,
			           p->length.r > 0 ? "long" : "short",
			           p->length.r, p->length.n);
			count++;
		}
		if (p->position.notable) {
			buf_printf(out,
			           "%s%s favours the stories shown %s in its "
			           "batch (r %.2f with the place, over %zu "
			           "stories)\n",
			           prefix, p->name,
			           p->position.r < 0 ? "early" : "late",
			           p->position.r, p->position.n);
			count++;
		}
	}
	return count;
}
