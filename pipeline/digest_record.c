#include "pipeline/digest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "summarize/pool.h"

void digest_cost(const struct digest *d, struct digest_cost *out)
{
	struct llm_usage all;

	memset(out, 0, sizeof *out);
	if (!d->ranked)
		return;
	/* the writer's usage holds its rewrites; the ledger every call */
	all = d->pr.use;
	llm_usage_add(&all, &d->wo.use);
	llm_usage_add(&all, &d->vr.use);
	out->usd = d->ledger.spent;
	out->reference_usd = d->pr.reference_usd;
	out->requests = all.requests;
	out->tokens_in = all.tokens_in;
	out->tokens_out = all.tokens_out;
}

static const char *digest_judge_provider(const struct panel_judge *cj)
{
	if (!cj || cj->type == PANEL_JUDGE_HEURISTIC)
		return "heuristic";
	return cj->llm.ep.provider == LLM_ANTHROPIC ? "anthropic" : "openai";
}

static json_t *digest_real_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* A diagnosed judge's biases: Pearson's r of its disagreement with the
 * others against the story's place in its batch and the text's length
 * (null where undefined), their slopes, and whether each is notable;
 * null for a judge not diagnosed (a heuristic one). */
static json_t *digest_bias_json(const struct panel_judge_report *r)
{
	json_t *o;

	if (!r->diagnosed)
		return json_null();
	o = json_object();
	json_object_set_new(o, "position", digest_real_or_null(r->position.r));
	json_object_set_new(o, "length", digest_real_or_null(r->length.r));
	json_object_set_new(o, "position_slope",
	                    digest_real_or_null(r->position.slope));
	json_object_set_new(o, "length_slope",
	                    digest_real_or_null(r->length.slope));
	json_object_set_new(o, "position_notable",
	                    json_boolean(r->position.notable));
	json_object_set_new(o, "length_notable",
	                    json_boolean(r->length.notable));
	json_object_set_new(o, "residual_rms",
	                    digest_real_or_null(r->residual_rms));
	return o;
}

json_t *digest_agreement_json(const struct digest *d)
{
	const struct panel_result *res = &d->pr;
	json_t *ag = json_object(), *red = json_array(), *warn = json_array();
	struct buf w = BUF_INIT(0);
	const char *p, *nl;
	size_t k;

	json_object_set_new(ag, "kendall_w",
	                    digest_real_or_null(res->kendall_w));
	json_object_set_new(ag, "effective_judges",
	                    digest_real_or_null(res->effective_judges));
	json_object_set_new(ag, "diagnosed",
	                    json_integer((json_int_t)res->diagnosed));
	for (k = 0; k < res->nredundant; k++) {
		json_t *pair = json_array();

		json_array_append_new(pair, json_string(res->redundant[k].a));
		json_array_append_new(pair, json_string(res->redundant[k].b));
		json_array_append_new(red, pair);
	}
	json_object_set_new(ag, "redundant", red);
	panel_warnings(res, "", &w);
	for (p = buf_cstr(&w); *p; p = nl + 1) {
		nl = strchr(p, '\n');
		json_array_append_new(warn, json_stringn(p, (size_t)(nl - p)));
	}
	json_object_set_new(ag, "warnings", warn);
	buf_free(&w);
	return ag;
}

json_t *digest_judges_json(const struct digest *d)
{
	const struct panel_config *pc = &d->pc;
	const struct panel_result *res = &d->pr;
	json_t *arr = json_array();
	size_t j;

	for (j = 0; d->ranked && j < res->nreports; j++) {
		const struct panel_judge_report *r = &res->judges[j];
		const struct panel_judge *cj =
		        j < pc->njudges ? &pc->judges[j] : NULL;
		json_t *o = json_object();

		json_object_set_new(o, "name", json_string(r->name));
		json_object_set_new(o, "provider",
		                    json_string(digest_judge_provider(cj)));
		json_object_set_new(o, "model",
		                    json_string(cj && cj->llm.ep.model
		                                        ? cj->llm.ep.model
		                                        : r->name));
		json_object_set_new(o, "weight",
		                    json_real(cj ? cj->weight : 1.0));
		/* [panel] weights = editor: the factor on weight */
		json_object_set_new(
		        o, "editor_weight",
		        d->judge_factors
		                ? json_real(cj ? d->judge_factors[j] : 1.0)
		                : json_null());
		json_object_set_new(o, "status",
		                    json_string(r->failed ? "failed" : "ok"));
		json_object_set_new(o, "reason",
		                    r->failed ? json_string(r->reason)
		                              : json_null());
		json_object_set_new(o, "requests",
		                    json_integer(r->use.requests));
		json_object_set_new(o, "cached", json_integer(r->use.cached));
		json_object_set_new(o, "tokens_in",
		                    json_integer(r->use.tokens_in));
		json_object_set_new(o, "tokens_out",
		                    json_integer(r->use.tokens_out));
		json_object_set_new(o, "usd", json_real(r->use.usd));
		json_object_set_new(o, "tau",
		                    isnan(r->tau) ? json_null()
		                                  : json_real(r->tau));
		json_object_set_new(o, "bias", digest_bias_json(r));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *digest_verify_judges_json(const struct verify_result *vr)
{
	json_t *judges = json_array();
	size_t j;

	for (j = 0; j < vr->njudges; j++) {
		const struct verify_judge_report *r = &vr->judges[j];
		json_t *jo = json_object();

		json_object_set_new(jo, "name", json_string(r->name));
		json_object_set_new(jo, "requests",
		                    json_integer(r->use.requests));
		json_object_set_new(jo, "cached", json_integer(r->use.cached));
		json_object_set_new(jo, "tokens_in",
		                    json_integer(r->use.tokens_in));
		json_object_set_new(jo, "tokens_out",
		                    json_integer(r->use.tokens_out));
		json_object_set_new(jo, "usd", json_real(r->use.usd));
		json_object_set_new(jo, "failed", json_boolean(r->failed));
		json_object_set_new(jo, "reason",
		                    r->failed ? json_string(r->reason)
		                              : json_null());
		json_array_append_new(judges, jo);
	}
	return judges;
}

json_t *digest_verify_json(const struct digest *d)
{
	const struct verify_result *vr = &d->vr;
	struct digest_cost cost;
	json_t *o = json_object();
	double spent = vr->use.usd + vr->rewrite.usd;

	digest_cost(d, &cost);
	json_object_set_new(o, "date", json_string(d->date));
	json_object_set_new(o, "verified", json_boolean(vr->ran));
	json_object_set_new(o, "note", json_string(vr->note));
	json_object_set_new(o, "prompt_version",
	                    json_string(vr->prompt_version));
	json_object_set_new(o, "checked",
	                    json_integer((json_int_t)vr->checked));
	json_object_set_new(o, "supported_first",
	                    json_integer((json_int_t)vr->supported_first));
	json_object_set_new(o, "rewritten",
	                    json_integer((json_int_t)vr->rewritten));
	json_object_set_new(o, "replaced",
	                    json_integer((json_int_t)vr->replaced));
	json_object_set_new(o, "unverified",
	                    json_integer((json_int_t)vr->unverified));
	json_object_set_new(o, "fleiss_kappa",
	                    isfinite(vr->kappa) ? json_real(vr->kappa)
	                                        : json_null());
	json_object_set_new(o, "kappa_low",
	                    json_boolean(vr->ran && isfinite(vr->kappa) &&
	                                 vr->kappa < VERIFY_KAPPA_LOW));
	json_object_set_new(o, "requests", json_integer(vr->use.requests));
	json_object_set_new(o, "tokens_in", json_integer(vr->use.tokens_in));
	json_object_set_new(o, "tokens_out", json_integer(vr->use.tokens_out));
	json_object_set_new(o, "usd", json_real(vr->use.usd));
	json_object_set_new(o, "rewrite_requests",
	                    json_integer(vr->rewrite.requests));
	json_object_set_new(o, "rewrite_usd", json_real(vr->rewrite.usd));
	json_object_set_new(o, "share_of_cost",
	                    cost.usd > 0 ? json_real(spent / cost.usd)
	                                 : json_null());
	json_object_set_new(o, "seconds", json_real(vr->seconds));
	json_object_set_new(o, "budget_hit", json_boolean(vr->budget_hit));
	json_object_set_new(o, "judges", digest_verify_judges_json(vr));
	return o;
}

/* The run's details as compact JSON; caller frees. */
static char *digest_details(const struct digest *d)
{
	json_t *o = json_object();
	char *s;

	json_object_set_new(o, "judges", digest_judges_json(d));
	json_object_set_new(o, "agreement", digest_agreement_json(d));
	json_object_set_new(o, "pooling",
	                    json_string(pool_method_name(d->pc.pooling)));
	json_object_set_new(o, "prompt_version",
	                    json_string(d->pc.prompt_version));
	if (d->pr.note[0])
		json_object_set_new(o, "note", json_string(d->pr.note));
	if (d->goal == DIGEST_POST)
		json_object_set_new(o, "verify", digest_verify_json(d));
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

int digest_record(const struct digest *d, const char *command,
                  const char *status, int64_t started, int64_t finished,
                  struct buf *err)
{
	struct store_run run;
	struct digest_cost cost;
	char *details = digest_details(d);
	int ret = ERR_OK;

	digest_cost(d, &cost);
	memset(&run, 0, sizeof run);
	run.command = command;
	run.date = d->date;
	run.started = started;
	run.finished = finished;
	run.usd = cost.usd;
	run.reference_usd = cost.reference_usd;
	run.requests = cost.requests;
	run.tokens_in = cost.tokens_in;
	run.tokens_out = cost.tokens_out;
	run.kendall_w = d->pr.kendall_w;
	run.status = status;
	run.details = details;
	if (store_run_add(d->env->store, &run, NULL) != 0) {
		buf_printf(err, "cannot record the run: %s",
		           store_error(d->env->store));
		ret = ERR_DB;
	}
	free(details);
	return ret;
}
