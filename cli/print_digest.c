#include "cli/print.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "summarize/pool.h"

static void print_json(FILE *fp, json_t *root)
{
	json_dumpf(root, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', fp);
	json_decref(root);
}

static json_t *json_real_or_null(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

/* The category id of candidate i, or NULL. */
static const char *rank_category(const struct digest *d, size_t i)
{
	int c = d->pr.category[i];

	return c >= 0 ? d->pc.categories[c].id : NULL;
}

/* The rank (0-based) of candidate at in the pooled order. */
static size_t rank_of(const struct panel_result *res, size_t at)
{
	size_t r;

	for (r = 0; r < res->norder && res->order[r] != at; r++)
		;
	return r;
}

/* Why story at is in or out, in plain words. */
static void rank_why(FILE *fp, const struct digest *d, size_t at)
{
	const struct panel_result *res = &d->pr;
	const struct pool_choice *w = &res->why[at];
	const char *cat = rank_category(d, at);

	switch (w->reason) {
	case POOL_SELECTED:
		fprintf(fp, "  selected\n");
		break;
	case POOL_NOT_REACHED:
		fprintf(fp,
		        "  not selected: the top %zu were chosen before its "
		        "turn\n",
		        d->pc.top);
		break;
	case POOL_QUOTA:
		fprintf(fp, "  not selected: the quota of %s is full\n",
		        cat ? cat : "its category");
		break;
	case POOL_SAME_EVENT:
		fprintf(fp, "  not selected: the same event as story %lld\n",
		        (long long)d->cands[w->same_as].id);
		break;
	case POOL_BELOW_FLOOR:
		fprintf(fp,
		        "  not selected: below the floor (the better half "
		        "of the candidates, or the top %zu): no filler\n",
		        d->pc.top);
		break;
	case POOL_PUBLISHED:
		fprintf(fp, "  not selected: published on an earlier day\n");
		break;
	case POOL_DROPPED:
		fprintf(fp, "  not selected: dropped by the editor\n");
		break;
	case POOL_PINNED:
		fprintf(fp, "  selected: pinned by the editor\n");
		break;
	default:
		fprintf(fp, "  not selected: not a candidate\n");
	}
}

static void rank_why_json(json_t *o, const struct digest *d, size_t at)
{
	const struct pool_choice *w = &d->pr.why[at];

	json_object_set_new(o, "why", json_string(pool_reason_name(w->reason)));
	json_object_set_new(o, "same_as",
	                    w->reason == POOL_SAME_EVENT
	                            ? json_integer(d->cands[w->same_as].id)
	                            : json_null());
}

static json_t *rank_story_json(const struct digest *d, size_t r)
{
	const struct panel_result *res = &d->pr;
	size_t at = res->order[r], k;
	const struct panel_story *s = &d->cands[at];
	const char *cat = rank_category(d, at);
	json_t *o = json_object(), *js = json_object(), *links = json_array();

	json_object_set_new(o, "rank", json_integer((json_int_t)r + 1));
	json_object_set_new(o, "id", json_integer(s->id));
	json_object_set_new(o, "title", json_string(s->title ? s->title : ""));
	json_object_set_new(o, "category",
	                    cat ? json_string(cat) : json_null());
	json_object_set_new(o, "score", json_real(res->pooled[at]));
	json_object_set_new(o, "selected", json_boolean(res->selected[at]));
	rank_why_json(o, d, at);
	for (k = 0; k < res->njudges; k++)
		json_object_set_new(
		        js, res->pool_names[k],
		        json_real_or_null(res->scores[k * res->nstories + at]));
	json_object_set_new(o, "judges", js);
	for (k = 0; s->links && s->links[k]; k++)
		json_array_append_new(links, json_string(s->links[k]));
	json_object_set_new(o, "links", links);
	return o;
}

void cli_print_rank_json(FILE *fp, const struct digest *d)
{
	const struct panel_result *res = &d->pr;
	json_t *root = json_object(), *stories = json_array();
	json_t *cost = json_object();
	size_t r;

	json_object_set_new(root, "judges", digest_judges_json(d));
	json_object_set_new(root, "agreement", digest_agreement_json(d));
	json_object_set_new(cost, "usd", json_real(res->use.usd));
	json_object_set_new(cost, "reference_usd",
	                    json_real(res->reference_usd));
	json_object_set_new(cost, "requests", json_integer(res->use.requests));
	json_object_set_new(cost, "tokens_in",
	                    json_integer(res->use.tokens_in));
	json_object_set_new(cost, "tokens_out",
	                    json_integer(res->use.tokens_out));
	json_object_set_new(root, "cost", cost);
	json_object_set_new(root, "degraded", json_boolean(res->degraded));
	if (res->note[0])
		json_object_set_new(root, "note", json_string(res->note));
	for (r = 0; r < res->norder; r++)
		json_array_append_new(stories, rank_story_json(d, r));
	json_object_set_new(root, "stories", stories);
	print_json(fp, root);
}

/* The table's last lines: each judge's failure or agreement with the
 * pool, Kendall's W, the cost against one reference judge, the note. */
static void rank_print_footer(FILE *fp, const struct panel_result *res)
{
	struct buf warn = BUF_INIT(0);
	size_t j;

	fprintf(fp, "judges:");
	for (j = 0; j < res->nreports; j++) {
		const struct panel_judge_report *p = &res->judges[j];

		if (p->failed)
			fprintf(fp, " %s (failed: %s)", p->name, p->reason);
		else if (!isnan(p->tau))
			fprintf(fp, " %s (tau %.2f)", p->name, p->tau);
	}
	fprintf(fp, "\nagreement: Kendall's W %.3f", res->kendall_w);
	if (res->diagnosed >= 2 && !isnan(res->effective_judges))
		fprintf(fp, "; the %zu LLM judges count as %.1f independent",
		        res->diagnosed, res->effective_judges);
	fputc('\n', fp);
	panel_warnings(res, "warning: ", &warn);
	fputs(buf_cstr(&warn), fp);
	buf_free(&warn);
	fprintf(fp,
	        "cost: $%.4f for %ld requests (%ld tokens in, %ld out); one "
	        "reference judge: $%.4f",
	        res->use.usd, res->use.requests, res->use.tokens_in,
	        res->use.tokens_out, res->reference_usd);
	if (res->use.usd > 0 && res->reference_usd > 0)
		fprintf(fp, " (%.1fx the panel)",
		        res->reference_usd / res->use.usd);
	fputc('\n', fp);
	if (res->note[0])
		fprintf(fp, "note: %s\n", res->note);
}

void cli_print_rank_table(FILE *fp, const struct digest *d)
{
	const struct panel_result *res = &d->pr;
	const char *cat;
	size_t r, k;

	fprintf(fp, "%4s %8s %7s %3s %-10s %-50s", "RANK", "ID", "SCORE", "SEL",
	        "CATEGORY", "TITLE");
	for (k = 0; k < res->njudges; k++)
		fprintf(fp, " %8.8s", res->pool_names[k]);
	fputc('\n', fp);
	for (r = 0; r < res->norder; r++) {
		size_t i = res->order[r];
		const char *title = d->cands[i].title ? d->cands[i].title : "";

		cat = rank_category(d, i);
		fprintf(fp, "%4zu %8lld %7.3f %3s %-10.10s %-50.*s", r + 1,
		        (long long)d->cands[i].id, res->pooled[i],
		        res->selected[i] ? "*" : "", cat ? cat : "-",
		        (int)utf8_prefix_bytes(title, 50), title);
		for (k = 0; k < res->njudges; k++) {
			double v = res->scores[k * res->nstories + i];

			if (isnan(v))
				fprintf(fp, " %8s", "-");
			else
				fprintf(fp, " %8.1f", v);
		}
		fputc('\n', fp);
	}
	rank_print_footer(fp, res);
}

int cli_print_rank_explain(FILE *fp, const struct digest *d, int64_t id)
{
	const struct panel_result *res = &d->pr;
	struct pool_input pin;
	double *z, *w;
	int64_t *ids;
	size_t i, k, at = (size_t)-1;

	for (i = 0; i < d->fresh; i++)
		if (d->cands[i].id == id)
			at = i;
	if (at == (size_t)-1 || isinf(res->pooled[at]))
		return ERR_NOT_FOUND;
	z = xcalloc(res->njudges * res->nstories + 1, sizeof *z);
	w = xcalloc(res->njudges + 1, sizeof *w);
	ids = xcalloc(res->nstories + 1, sizeof *ids);
	for (k = 0; k < res->njudges; k++)
		w[k] = 1.0;
	for (i = 0; i < res->nstories; i++)
		ids[i] = d->cands[i].id;
	pin.njudges = res->njudges;
	pin.nstories = res->nstories;
	pin.scores = res->scores;
	pin.weights = w;
	pin.ids = ids;
	pool_zscores(&pin, z);
	fprintf(fp, "story %lld: %s\n", (long long)id,
	        d->cands[at].title ? d->cands[at].title : "");
	for (k = 0; k < res->njudges; k++) {
		double v = res->scores[k * res->nstories + at];

		if (isnan(v))
			fprintf(fp, "  %-16s raw -     normalized -\n",
			        res->pool_names[k]);
		else
			fprintf(fp, "  %-16s raw %4.1f  normalized %+.3f\n",
			        res->pool_names[k], v,
			        z[k * res->nstories + at]);
	}
	fprintf(fp, "  pooled %.3f, rank %zu of %zu candidates\n",
	        res->pooled[at], rank_of(res, at) + 1, res->norder);
	rank_why(fp, d, at);
	free(z);
	free(w);
	free(ids);
	return 0;
}

void cli_verify_summary(const struct verify_result *vr, struct buf *b)
{
	if (!vr->ran) {
		buf_puts(b, "not verified");
		return;
	}
	buf_printf(b,
	           "%zu checked, %zu supported first time, %zu rewritten, "
	           "%zu replaced",
	           vr->checked, vr->supported_first, vr->rewritten,
	           vr->replaced + vr->unverified);
	if (vr->unverified)
		buf_printf(b, " (%zu unverified)", vr->unverified);
	if (isfinite(vr->kappa))
		buf_printf(b, ", Fleiss' kappa %.3f", vr->kappa);
	else
		buf_puts(b, ", Fleiss' kappa n/a");
	buf_printf(b, ", $%.4f in %.1f s", vr->use.usd + vr->rewrite.usd,
	           vr->seconds);
}

static const char *verify_kind_name(enum writer_fix_kind kind)
{
	return kind == WRITER_FIX_STORY   ? "story"
	       : kind == WRITER_FIX_INTRO ? "intro"
	                                  : "viewpoint";
}

/* The title of the story a unit is about, or NULL. */
static const char *verify_unit_title(const struct digest *d,
                                     const struct verify_unit *u)
{
	if (u->kind != WRITER_FIX_STORY || u->index >= d->nitems)
		return NULL;
	return d->ws[u->index].title ? d->ws[u->index].title : "";
}

/* The votes of one round as JSON. */
static json_t *verify_votes_json(const struct verify_result *vr,
                                 const struct verify_unit *u, int round)
{
	json_t *a = json_array();
	size_t j;

	for (j = 0; u->votes[round] && j < vr->njudges; j++) {
		const struct verify_vote *v = &u->votes[round][j];
		json_t *o = json_object();

		json_object_set_new(o, "judge",
		                    json_string(vr->judges[j].name));
		json_object_set_new(o, "supported",
		                    v->supported < 0
		                            ? json_null()
		                            : json_boolean(v->supported));
		json_object_set_new(o, "problem",
		                    v->problem ? json_string(v->problem)
		                               : json_null());
		json_object_set_new(o, "cached", json_boolean(v->cached));
		json_array_append_new(a, o);
	}
	return a;
}

void cli_print_verify_json(FILE *fp, const struct digest *d)
{
	const struct verify_result *vr = &d->vr;
	json_t *o = digest_verify_json(d), *units = json_array();
	size_t i;

	for (i = 0; i < vr->nunits; i++) {
		const struct verify_unit *u = &vr->units[i];
		const char *title = verify_unit_title(d, u);
		json_t *uo = json_object();

		json_object_set_new(uo, "id", json_string(u->id));
		json_object_set_new(uo, "kind",
		                    json_string(verify_kind_name(u->kind)));
		json_object_set_new(uo, "title",
		                    title ? json_string(title) : json_null());
		json_object_set_new(
		        uo, "outcome",
		        json_string(verify_outcome_name(u->outcome)));
		json_object_set_new(uo, "sent_back",
		                    json_boolean(u->sent_back));
		json_object_set_new(uo, "glossary",
		                    u->lost_term ? json_string(u->lost_term)
		                                 : json_null());
		json_object_set_new(uo, "votes", verify_votes_json(vr, u, 0));
		json_object_set_new(uo, "rewrite_votes",
		                    verify_votes_json(vr, u, 1));
		json_array_append_new(units, uo);
	}
	json_object_set_new(o, "summaries", units);
	print_json(fp, o);
}

/* One text's line of the table, then the term it lost and each judge's
 * problem with it. */
static void verify_print_unit(FILE *fp, const struct digest *d,
                              const struct verify_unit *u)
{
	const struct verify_result *vr = &d->vr;
	const char *title = verify_unit_title(d, u);
	char first[16] = "-", again[16] = "-";
	size_t j;
	int r;

	if (u->text[0])
		snprintf(first, sizeof first, "%d/%d", u->yes[0],
		         u->yes[0] + u->no[0]);
	if (u->text[1])
		snprintf(again, sizeof again, "%d/%d", u->yes[1],
		         u->yes[1] + u->no[1]);
	fprintf(fp, "%-12s %-9s %-10s %-6s %-6s %s\n", u->id,
	        verify_kind_name(u->kind), verify_outcome_name(u->outcome),
	        first, again, title ? title : "");
	if (u->lost_term)
		fprintf(fp, "    %s\n", u->lost_term);
	for (r = 0; r < VERIFY_ROUNDS; r++)
		for (j = 0; u->votes[r] && j < vr->njudges; j++)
			if (u->votes[r][j].supported == 0)
				fprintf(fp, "    %s%s: %s\n",
				        r ? "again, " : "", vr->judges[j].name,
				        u->votes[r][j].problem
				                ? u->votes[r][j].problem
				                : "(no reason given)");
}

void cli_print_verify_table(FILE *fp, const struct digest *d)
{
	const struct verify_result *vr = &d->vr;
	struct buf line = BUF_INIT(0);
	struct digest_cost cost;
	double spent = vr->use.usd + vr->rewrite.usd;
	size_t i, j;

	digest_cost(d, &cost);
	cli_verify_summary(vr, &line);
	fprintf(fp, "verification of %s: %s\n", d->date, buf_cstr(&line));
	buf_reset(&line);
	if (verify_kappa_warning(vr, "warning: ", &line))
		fputs(buf_cstr(&line), fp);
	buf_free(&line);
	if (!vr->ran) {
		if (vr->note[0])
			fprintf(fp, "%s\n", vr->note);
		return;
	}
	fprintf(fp,
	        "cost: $%.4f for votes (%ld requests), $%.4f for rewrites "
	        "(%ld requests): %.1f%% of the run's $%.4f\n",
	        vr->use.usd, vr->use.requests, vr->rewrite.usd,
	        vr->rewrite.requests,
	        cost.usd > 0 ? 100 * spent / cost.usd : 0.0, cost.usd);
	for (j = 0; j < vr->njudges; j++) {
		const struct verify_judge_report *jr = &vr->judges[j];

		if (jr->failed)
			fprintf(fp, "judge %s: failed: %s\n", jr->name,
			        jr->reason);
		else
			fprintf(fp,
			        "judge %s: %ld requests, %ld cached, $%.4f\n",
			        jr->name, jr->use.requests, jr->use.cached,
			        jr->use.usd);
	}
	if (vr->note[0])
		fprintf(fp, "note: %s\n", vr->note);
	fprintf(fp, "\n%-12s %-9s %-10s %-6s %-6s %s\n", "ID", "KIND",
	        "OUTCOME", "VOTES", "AGAIN", "TITLE");
	for (i = 0; i < vr->nunits; i++)
		verify_print_unit(fp, d, &vr->units[i]);
}

static const char *run_writer_name(const struct digest *d)
{
	if (!d->written)
		return "-";
	if (!d->wo.by_llm)
		return "extractive";
	return d->wo.use.cached ? "LLM (cached)" : "LLM";
}

void cli_print_panel_warnings(const char *context, const struct digest *d)
{
	struct buf w = BUF_INIT(0);

	if (d->pr.diagnosed >= 2 && !isnan(d->pr.effective_judges))
		cli_msg(context, "the %zu LLM judges count as %.1f independent",
		        d->pr.diagnosed, d->pr.effective_judges);
	panel_warnings(&d->pr, "warning: ", &w);
	if (d->written)
		verify_kappa_warning(&d->vr, "warning: ", &w);
	if (w.len) {
		buf_truncate(&w, w.len - 1); /* the last newline */
		cli_msg_lines(context, buf_cstr(&w));
	}
	buf_free(&w);
}

void cli_print_run_summary(const char *context, const struct digest *d)
{
	struct buf verified = BUF_INIT(0);
	struct digest_cost cost;
	size_t k, answered = 0;

	for (k = 0; k < d->pr.nreports; k++)
		answered += d->pr.judges[k].llm && !d->pr.judges[k].failed &&
		            d->pr.judges[k].use.requests +
		                            d->pr.judges[k].use.cached >
		                    0;
	digest_cost(d, &cost);
	cli_verify_summary(&d->vr, &verified);
	cli_msg(context,
	        "%zu stories (%zu new to the digest), %zu selected; judges: "
	        "%zu (%zu LLM answered), Kendall's W %.3f; writer: %s; "
	        "verification: %s; cost $%.4f (one reference judge: $%.4f)",
	        d->nstories, d->fresh, d->nitems, d->pr.njudges, answered,
	        d->pr.kendall_w, run_writer_name(d),
	        d->written ? buf_cstr(&verified) : "-", cost.usd,
	        cost.reference_usd);
	buf_free(&verified);
	cli_print_panel_warnings(context, d);
}
