#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "common/err.h"
#include "common/hash.h"
#include "common/xalloc.h"
#include "store/store.h"
#include "summarize/engine.h"
#include "summarize/panel_impl.h"
#include "summarize/stories.h"
#include "summarize/text.h"

/* The panel's vote on the pairs the matcher was unsure of. */

/* templates/prompts/pairs.txt, embedded at build time (Makefile). */
extern const char panel_pairs_prompt[];

static const char panel_pairs_schema[] =
        "{\"type\":\"object\",\"additionalProperties\":false,"
        "\"required\":[\"pairs\"],\"properties\":{\"pairs\":{"
        "\"type\":\"array\",\"items\":{\"type\":\"object\","
        "\"additionalProperties\":false,\"required\":[\"id\",\"same\"],"
        "\"properties\":{\"id\":{\"type\":\"string\"},"
        "\"same\":{\"type\":\"boolean\"}}}}}}";

/* At most how many pairs a day, the best candidates' first. */
#define PANEL_PAIRS_MAX 60
#define PANEL_PAIRS_TITLE_CP 200

struct panel_pairs_ctx {
	struct panel_run *r;
	char (*ids)[24];
	char (*hashes)[HASH_HEX_LEN];
	signed char *votes; /* judges x pairs: 1 same, 0 not, -1 none */
	char (*versions)[ENGINE_VERSION_MAX];
	size_t njudges;
	struct engine_task task;
	const struct llm_profile **llms;
	struct engine_report *reps;
	size_t *items;
};

static const char *panel_pairs_title(const struct panel_run *r, size_t s)
{
	return r->stories[s].title ? r->stories[s].title : "";
}

/* The unsure pairs among the candidates, the pre-ranking's best first
 * (the vote goes out with the judges' scores, before the pooled order). */
static void panel_pairs_find(struct panel_run *r)
{
	size_t span = r->ncand, i, j, a, b;

	for (i = 0; i < span && r->npairs < PANEL_PAIRS_MAX; i++)
		for (j = i + 1; j < span && r->npairs < PANEL_PAIRS_MAX; j++) {
			a = r->cand[i];
			b = r->cand[j];
			if (stories_titles_compare(panel_pairs_title(r, a),
			                           panel_pairs_title(r, b)) !=
			    STORIES_UNSURE)
				continue;
			r->pairs = xreallocarray(r->pairs, r->npairs + 1,
			                         sizeof *r->pairs);
			r->pairs[r->npairs][0] = a;
			r->pairs[r->npairs][1] = b;
			r->npairs++;
		}
	r->pair_same = xcalloc(r->npairs + 1, sizeof *r->pair_same);
}

static char *panel_pairs_message(void *ctx, const size_t *idx, size_t n)
{
	const struct panel_pairs_ctx *c = ctx;
	json_t *arr = json_array();
	struct buf b = BUF_INIT(0);
	char *dump, *t;
	size_t i, k;

	for (i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_string(c->ids[idx[i]]));
		for (k = 0; k < 2; k++) {
			t = text_clean(
			        panel_pairs_title(c->r, c->r->pairs[idx[i]][k]),
			        PANEL_PAIRS_TITLE_CP);
			json_object_set_new(o, k ? "b" : "a", json_string(t));
			free(t);
		}
		json_array_append_new(arr, o);
	}
	dump = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
	buf_printf(&b,
	           "Do these %zu pairs of headlines report the same "
	           "event?\n%s",
	           n, dump ? dump : "[]");
	free(dump);
	json_decref(arr);
	return buf_detach(&b);
}

static const char *panel_pairs_id(void *ctx, size_t item)
{
	const struct panel_pairs_ctx *c = ctx;

	return c->ids[item];
}

static bool panel_pairs_cached(void *ctx, size_t k, size_t item)
{
	struct panel_pairs_ctx *c = ctx;
	const struct panel_run *r = c->r;
	bool same;

	if (!r->run->cache ||
	    store_verdict_get(r->run->cache, c->hashes[item],
	                      r->cfg->judges[k].name, c->versions[k], &same,
	                      NULL) != 0)
		return false;
	c->votes[k * r->npairs + item] = same ? 1 : 0;
	return true;
}

static int panel_pairs_take(void *ctx, size_t k, size_t item, json_t *answer,
                            const struct engine_share *share)
{
	struct panel_pairs_ctx *c = ctx;
	struct panel_run *r = c->r;
	json_t *v = json_object_get(answer, "same");
	struct store_verdict row;

	if (!json_is_boolean(v))
		return ERR_PARSE;
	c->votes[k * r->npairs + item] = json_is_true(v) ? 1 : 0;
	if (!r->run->cache)
		return 0;
	memset(&row, 0, sizeof row);
	row.text_hash = c->hashes[item];
	row.judge = r->cfg->judges[k].name;
	row.prompt_version = c->versions[k];
	row.supported = json_is_true(v);
	row.raw = share->raw;
	row.tokens_in = share->tokens_in;
	row.tokens_out = share->tokens_out;
	row.usd = share->usd;
	row.at = (int64_t)time(NULL);
	if (store_verdict_put(r->run->cache, &row) != 0 &&
	    r->cache_errors++ == 0)
		snprintf(r->cache_error, sizeof r->cache_error, "%s",
		         store_error(r->run->cache));
	return 0;
}

/* Each pair's id and cache key: its titles in a fixed order. */
static void panel_pairs_keys(struct panel_pairs_ctx *c)
{
	const struct panel_run *r = c->r;
	const char *a, *b, *t;
	uint64_t h;
	size_t i;

	for (i = 0; i < r->npairs; i++) {
		snprintf(c->ids[i], sizeof c->ids[i], "p%zu", i + 1);
		a = panel_pairs_title(r, r->pairs[i][0]);
		b = panel_pairs_title(r, r->pairs[i][1]);
		if (strcmp(a, b) > 0) {
			t = a;
			a = b;
			b = t;
		}
		h = hash_fnv1a_field(HASH_FNV_OFFSET, "pair");
		h = hash_fnv1a_field(h, a);
		h = hash_fnv1a_field(h, b);
		hash_hex(h, c->hashes[i]);
	}
}

static void panel_pairs_tally(struct panel_pairs_ctx *c)
{
	struct panel_run *r = c->r;
	size_t i, j;
	int yes, no;

	for (i = 0; i < r->npairs; i++) {
		yes = no = 0;
		for (j = 0; j < c->njudges; j++) {
			signed char v = c->votes[j * r->npairs + i];

			yes += v == 1;
			no += v == 0;
		}
		r->pair_same[i] = yes > no;
		r->res->pairs_same += r->pair_same[i];
	}
}

bool panel_pairs_job(struct panel_run *r, struct engine_job *job)
{
	const struct panel_config *cfg = r->cfg;
	size_t nj = cfg->njudges, i, j, nllm = 0;
	struct panel_pairs_ctx *c;
	struct engine_task *t;
	char version[ENGINE_VERSION_MAX];
	uint64_t h;

	panel_pairs_find(r);
	for (j = 0; j < nj; j++)
		nllm += cfg->judges[j].type == PANEL_JUDGE_LLM;
	if (r->npairs == 0 || nllm < 2)
		return false;
	c = r->pairs_ctx = xcalloc(1, sizeof *c);
	c->r = r;
	c->njudges = nj;
	c->ids = xcalloc(r->npairs, sizeof *c->ids);
	c->hashes = xcalloc(r->npairs, sizeof *c->hashes);
	c->votes = xcalloc(nj * r->npairs + 1, sizeof *c->votes);
	memset(c->votes, -1, nj * r->npairs);
	c->versions = xcalloc(nj + 1, sizeof *c->versions);
	c->llms = xcalloc(nj + 1, sizeof *c->llms);
	c->reps = xcalloc(nj + 1, sizeof *c->reps);
	c->items = xcalloc(r->npairs, sizeof *c->items);
	h = hash_fnv1a_str(HASH_FNV_OFFSET, panel_pairs_prompt);
	h = hash_fnv1a_str(h, panel_pairs_schema);
	snprintf(version, sizeof version, "pairs-%012llx",
	         (unsigned long long)(h & 0xFFFFFFFFFFFFULL));
	for (j = 0; j < nj; j++)
		if (cfg->judges[j].type == PANEL_JUDGE_LLM) {
			c->llms[j] = &cfg->judges[j].llm;
			engine_cache_version(c->llms[j], version,
			                     c->versions[j]);
		}
	panel_pairs_keys(c);
	for (i = 0; i < r->npairs; i++)
		c->items[i] = i;
	t = &c->task;
	t->stage = "rank";
	t->system = panel_pairs_prompt;
	t->schema_name = "same_event";
	t->schema_json = panel_pairs_schema;
	t->array = "pairs";
	t->batch = cfg->batch;
	t->max_base = 128;
	t->max_per_item = 20;
	t->est_per_item = 12;
	t->ctx = c;
	t->message = panel_pairs_message;
	t->id = panel_pairs_id;
	t->cached = panel_pairs_cached;
	t->take = panel_pairs_take;
	memset(job, 0, sizeof *job);
	job->task = t;
	job->llms = c->llms;
	job->nllms = nj;
	job->items = c->items;
	job->nitems = r->npairs;
	job->reports = c->reps;
	job->budget_hit = &r->res->budget_hit;
	return true;
}

void panel_pairs_done(struct panel_run *r)
{
	struct panel_pairs_ctx *c = r->pairs_ctx;
	size_t j, answered = 0;

	if (!c)
		return;
	for (j = 0; j < c->njudges; j++) {
		const struct panel_judge_report *jr = &r->res->judges[j];

		if (!c->llms[j])
			continue;
		llm_usage_add(&r->res->judges[j].use, &c->reps[j].use);
		/* a vote counts from a judge that answered the ranking */
		if (jr->failed || c->reps[j].failed ||
		    jr->use.requests + jr->use.cached == 0)
			memset(&c->votes[j * r->npairs], -1, r->npairs);
		else
			answered++;
	}
	r->res->pairs_asked = r->npairs;
	if (answered >= 2)
		panel_pairs_tally(c);
	free(c->ids);
	free(c->hashes);
	free(c->votes);
	free(c->versions);
	free(c->llms);
	free(c->reps);
	free(c->items);
	free(c);
	r->pairs_ctx = NULL;
}

bool panel_pairs_same(const struct panel_run *r, size_t a, size_t b)
{
	size_t i;

	for (i = 0; i < r->npairs; i++)
		if (r->pair_same[i] &&
		    ((r->pairs[i][0] == a && r->pairs[i][1] == b) ||
		     (r->pairs[i][0] == b && r->pairs[i][1] == a)))
			return true;
	return false;
}

void panel_pairs_free(struct panel_run *r)
{
	free(r->pairs);
	free(r->pair_same);
	r->pairs = NULL;
	r->pair_same = NULL;
	r->npairs = 0;
}
