#include "summarize/panel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/ascii.h"
#include "common/err.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "store/store.h"
#include "summarize/panel_impl.h"
#include "summarize/stories.h"
#include "summarize/text.h"

/* A run of the panel: the candidates, the judges' scores through the
 * engine, the pool, the selection. */

#define PANEL_OUT_TOKENS_PER_STORY 30
#define PANEL_TITLE_CP 300

/* The reply every judge must give. */
const char panel_schema_text[] =
        "{\"type\":\"object\",\"additionalProperties\":false,"
        "\"required\":[\"scores\"],\"properties\":{\"scores\":{"
        "\"type\":\"array\",\"items\":{\"type\":\"object\","
        "\"additionalProperties\":false,"
        "\"required\":[\"id\",\"score\",\"category\"],\"properties\":{"
        "\"id\":{\"type\":\"string\"},"
        "\"score\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10},"
        "\"category\":{\"type\":\"string\"}}}}}}";

/* Feed text that talks to the judges instead of about its subject. */
static const char panel_injection_pattern[] =
        "ignore (all |any )?(the )?(previous|prior|above) "
        "(instructions|rules)|disregard (the |all )?(previous|prior|above)|"
        "(score|rate|give) (this|it|the story) (a |an )?(10|ten)\\b|"
        "you (must|should) (score|rate)|system prompt|"
        "이전 지시|점수를 10";

static int panel_category_index(const struct panel_config *c, const char *id)
{
	size_t i;

	for (i = 0; id && i < c->ncategories; i++)
		if (strcasecmp(c->categories[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* The engine's side of the judges' task */

static char *panel_message(void *ctx, const size_t *idx, size_t n)
{
	const struct panel_run *r = ctx;
	json_t *arr = json_array();
	struct buf b = BUF_INIT(0);
	char *text, *title, *dump;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct panel_story *s = &r->stories[idx[i]];
		json_t *o = json_object();

		title = text_clean(s->title, PANEL_TITLE_CP);
		text = text_clean(s->text, r->cfg->text_max);
		json_object_set_new(o, "id", json_string(r->idstr[idx[i]]));
		json_object_set_new(o, "title", json_string(title));
		json_object_set_new(o, "source",
		                    json_string(s->source ? s->source : ""));
		json_object_set_new(o, "text", json_string(text));
		json_array_append_new(arr, o);
		free(title);
		free(text);
	}
	dump = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
	buf_printf(&b, "Score each of these %zu stories:\n%s", n, dump);
	free(dump);
	json_decref(arr);
	return buf_detach(&b);
}

static const char *panel_id(void *ctx, size_t item)
{
	const struct panel_run *r = ctx;

	return r->idstr[item];
}

static bool panel_cached(void *ctx, size_t k, size_t item)
{
	struct panel_run *r = ctx;
	const struct panel_config *cfg = r->cfg;
	struct store_judgment_row row;

	if (!r->run->cache ||
	    store_judgment_get(r->run->cache, r->stories[item].hash,
	                       cfg->judges[k].name, r->versions[k], &row) != 0)
		return false;
	r->judge_scores[k * r->n + item] = row.score;
	r->judge_category[k * r->n + item] =
	        panel_category_index(cfg, row.category);
	r->judge_place[k * r->n + item] = row.place >= 0 ? row.place : NAN;
	store_judgment_clear(&row);
	return true;
}

/* One judge's score of one story: in range, kept, and cached. */
static int panel_take(void *ctx, size_t k, size_t item, json_t *answer,
                      const struct engine_share *share)
{
	struct panel_run *r = ctx;
	json_t *sc = json_object_get(answer, "score");
	const char *category =
	        json_string_value(json_object_get(answer, "category"));
	double v = json_is_number(sc) ? json_number_value(sc) : NAN;
	struct store_judgment jd;

	if (!(v >= 1 && v <= 10))
		return ERR_PARSE; /* out of range: rejected */
	r->judge_scores[k * r->n + item] = v;
	r->judge_category[k * r->n + item] =
	        panel_category_index(r->cfg, category);
	r->judge_place[k * r->n + item] = (double)share->place;
	if (!r->run->cache)
		return 0;
	memset(&jd, 0, sizeof jd);
	jd.story_hash = r->stories[item].hash;
	jd.judge = r->cfg->judges[k].name;
	jd.prompt_version = r->versions[k];
	jd.score = v;
	jd.category = category;
	jd.raw = share->raw;
	jd.tokens_in = share->tokens_in;
	jd.tokens_out = share->tokens_out;
	jd.usd = share->usd;
	jd.at = r->opt->window_end;
	jd.place = (int)share->place;
	if (store_judgment_put(r->run->cache, &jd) != 0 &&
	    r->cache_errors++ == 0)
		snprintf(r->cache_error, sizeof r->cache_error, "%s",
		         store_error(r->run->cache));
	return 0;
}

/* The steps */

/* The editor's pinned stories are candidates whatever their pre-rank:
 * each one past the cut takes the place of the last candidate that is
 * not pinned. */
static void panel_candidates_pinned(struct panel_run *r)
{
	size_t k, last = r->ncand, t;

	for (k = r->ncand; k < r->n; k++) {
		if (r->stories[r->cand[k]].pick != POOL_PICK_PIN)
			continue;
		while (last > 0 &&
		       r->stories[r->cand[last - 1]].pick == POOL_PICK_PIN)
			last--;
		if (last == 0) { /* every candidate is pinned: one more */
			t = r->cand[r->ncand];
			r->cand[r->ncand] = r->cand[k];
			r->cand[k] = t;
			r->ncand++;
			continue;
		}
		last--;
		t = r->cand[last];
		r->cand[last] = r->cand[k];
		r->cand[k] = t;
	}
}

/* What breaks a tie between two stories of equal score: their content
 * (the cache's hash), not their ids, which follow the order the fetch
 * stored them in: the same day gives the same post however it arrived. */
static int64_t panel_tie_key(const struct panel_story *s)
{
	uint64_t v = 0;
	const char *h = s->hash ? s->hash : "";
	size_t k;

	for (k = 0; k < 15 && ascii_isxdigit((unsigned char)h[k]); k++)
		v = v << 4 | (uint64_t)ascii_hexval((unsigned char)h[k]);
	return k ? (int64_t)v : s->id;
}

/* The ids the judges see: ten hex digits of the story's content hash
 * (its tie key), not its store id, which follows the order the fetch
 * stored it in: the same story is sent the same way however the night
 * arrived and whatever else the day holds (a judge at temperature 0
 * answers the same; a provider's prompt cache holds). Two stories whose
 * digits collide (about 1 in 200,000 on a day of 2,000) are told apart
 * by their store ids. */
static void panel_sent_ids(struct panel_run *r)
{
	size_t i, k;

	for (i = 0; i < r->n; i++) {
		snprintf(r->idstr[i], sizeof r->idstr[i], "%010llx",
		         (unsigned long long)r->ids[i] & 0xffffffffffULL);
		for (k = 0; k < i; k++)
			if (r->ids[k] == r->ids[i] ||
			    strcmp(r->idstr[k], r->idstr[i]) == 0)
				break;
		if (k < i) /* not unique: the store id tells */
			snprintf(r->idstr[i], sizeof r->idstr[i], "%lld",
			         (long long)r->stories[i].id);
	}
}

/* 1. the heuristic pre-ranking picks the candidates */
static void panel_candidates(struct panel_run *r)
{
	double *pre = xcalloc(r->n + 1, sizeof *pre);
	size_t i;

	for (i = 0; i < r->n; i++) {
		pre[i] =
		        heuristic_prerank(&r->stories[i].h, r->opt->window_end);
		r->ids[i] = panel_tie_key(&r->stories[i]);
	}
	panel_sent_ids(r);
	pool_order(pre, r->ids, r->n, r->cand);
	r->ncand = r->n < r->cfg->candidates ? r->n : r->cfg->candidates;
	panel_candidates_pinned(r);
	free(pre);
}

/* 2. the LLM judges: cache, then batches, then the missing once */
static int panel_ask(struct panel_run *r, struct buf *err)
{
	const struct panel_config *cfg = r->cfg;
	const struct llm_profile **llms =
	        xcalloc(cfg->njudges + 1, sizeof *llms);
	struct engine_report *reps = xcalloc(cfg->njudges + 1, sizeof *reps);
	unsigned seed = r->opt->seed ? r->opt->seed : cfg->seed;
	struct engine_task t;
	struct engine_job jobs[2];
	size_t j;
	int rc;

	for (j = 0; j < cfg->njudges; j++)
		if (cfg->judges[j].type == PANEL_JUDGE_LLM)
			llms[j] = &cfg->judges[j].llm;
	memset(&t, 0, sizeof t);
	t.stage = "rank";
	t.system = cfg->prompt;
	t.schema_name = "judge_scores";
	t.schema_json = panel_schema_text;
	t.array = "scores";
	t.batch = cfg->batch;
	t.max_base = 256;
	t.max_per_item = PANEL_OUT_TOKENS_PER_STORY;
	t.est_per_item = PANEL_OUT_TOKENS_PER_STORY;
	t.shuffle = true;
	t.seed = seed;
	t.jitter = seed;
	t.retry_missing = true;
	t.progress = r->opt->progress;
	t.ctx = r;
	t.message = panel_message;
	t.id = panel_id;
	t.cached = panel_cached;
	t.take = panel_take;
	jobs[0].task = &t;
	jobs[0].llms = llms;
	jobs[0].nllms = cfg->njudges;
	jobs[0].items = r->cand;
	jobs[0].nitems = r->ncand;
	jobs[0].reports = reps;
	jobs[0].budget_hit = &r->res->budget_hit;
	/* the same-event vote on the unsure pairs goes with the scores */
	rc = engine_ask_all(jobs, panel_pairs_job(r, &jobs[1]) ? 2 : 1, r->run,
	                    err);
	for (j = 0; j < cfg->njudges; j++) {
		struct panel_judge_report *rep = &r->res->judges[j];

		rep->use = reps[j].use;
		rep->failed = reps[j].failed;
		memcpy(rep->reason, reps[j].reason, sizeof rep->reason);
	}
	panel_pairs_done(r);
	free(llms);
	free(reps);
	return rc;
}

static void panel_add_member(struct panel_run *r, size_t judge, bool heur,
                             enum heuristic_kind kind)
{
	r->pool_judge[r->npool] = judge;
	r->pool_is_heuristic[r->npool] = heur;
	r->pool_kind[r->npool] = kind;
	r->npool++;
}

/* 3. the pool: the configured judges that answered; else the heuristics
 * alone */
/* The built-in heuristic judges as members of the pool. */
static void panel_add_heuristics(struct panel_run *r)
{
	struct panel_result *res = r->res;
	size_t k;

	for (k = 0; k < HEURISTIC_COUNT; k++) {
		struct panel_judge_report *rep = &res->judges[res->nreports++];

		rep->name = heuristic_name((enum heuristic_kind)k);
		rep->tau = NAN;
		panel_add_member(r, (size_t)-1, true, (enum heuristic_kind)k);
	}
}

static void panel_members(struct panel_run *r)
{
	const struct panel_config *cfg = r->cfg;
	struct panel_result *res = r->res;
	size_t j, i, nllm = 0, answered = 0, nheur = 0;

	for (j = 0; j < cfg->njudges; j++) {
		bool any = false;

		if (cfg->judges[j].type == PANEL_JUDGE_LLM) {
			nllm++;
			if (res->judges[j].failed) {
				res->degraded = true;
				continue;
			}
			for (i = 0; i < r->ncand && !any; i++)
				any = !isnan(
				        r->judge_scores[j * r->n + r->cand[i]]);
			if (!any)
				continue;
			answered++;
		} else {
			nheur++;
		}
		panel_add_member(r, j,
		                 cfg->judges[j].type == PANEL_JUDGE_HEURISTIC,
		                 cfg->judges[j].heuristic);
	}
	if (cfg->njudges == 0 || (nllm > 0 && answered == 0)) {
		if (nllm > 0) {
			res->degraded = true;
			snprintf(res->note, sizeof res->note,
			         "0 of %zu LLM judges answered: the heuristic "
			         "judges ranked alone",
			         nllm);
		}
		r->npool = 0;
		panel_add_heuristics(r);
	} else if (answered == 1) {
		/* one LLM judge, by choice (one key) or because the others
		 * failed: its paid scores count, pooled with the heuristic
		 * judges (the configured ones, else the built-in five) */
		if (nheur == 0)
			panel_add_heuristics(r);
		snprintf(res->note, sizeof res->note,
		         "%s LLM judge answered: pooled with the heuristic "
		         "judges",
		         nllm == 1 ? "one" : "only one");
	} else if (res->degraded) {
		snprintf(res->note, sizeof res->note,
		         "a judge failed and was left out");
	}
}

/* The pool's score matrix: every member's scores of the candidates. */
static void panel_matrix(struct panel_run *r)
{
	const struct panel_config *cfg = r->cfg;
	struct panel_result *res = r->res;
	size_t k, i, j, n = r->n;

	res->njudges = r->npool;
	res->pool_names = xcalloc(r->npool + 1, sizeof *res->pool_names);
	res->scores = xcalloc(r->npool * n + 1, sizeof *res->scores);
	r->weights = xcalloc(r->npool + 1, sizeof *r->weights);
	for (k = 0; k < r->npool; k++) {
		j = r->pool_judge[k];
		res->pool_names[k] = j == (size_t)-1
		                             ? heuristic_name(r->pool_kind[k])
		                             : cfg->judges[j].name;
		r->weights[k] =
		        j == (size_t)-1
		                ? 1.0
		                : cfg->judges[j].weight *
		                          (r->opt->judge_weights
		                                   ? r->opt->judge_weights[j]
		                                   : 1.0);
		for (i = 0; i < n; i++)
			res->scores[k * n + i] = NAN;
		for (i = 0; i < r->ncand; i++) {
			size_t s = r->cand[i];

			res->scores[k * n + s] =
			        r->pool_is_heuristic[k]
			                ? heuristic_score(r->pool_kind[k],
			                                  &r->stories[s].h,
			                                  r->opt->window_end)
			                : r->judge_scores[j * n + s];
		}
	}
}

/* A story whose text talks to the judges is held to its least favourable
 * judge. */
static void panel_injection_defence(struct panel_run *r,
                                    const struct pool_input *pin)
{
	struct pattern *inj = NULL;
	struct buf why = BUF_INIT(256);
	double *z;
	size_t i, k, n = r->n;

	if ((r->cfg->pooling != POOL_ZMEAN && r->cfg->pooling != POOL_ROBUST) ||
	    pattern_compile(panel_injection_pattern, &inj, &why) != 0) {
		buf_free(&why);
		return;
	}
	z = xcalloc(r->npool * n + 1, sizeof *z);
	pool_zscores(pin, z);
	for (i = 0; i < r->ncand; i++) {
		size_t s = r->cand[i];
		double lo = INFINITY;

		if (!pattern_matches(inj, r->stories[s].title) &&
		    !pattern_matches(inj, r->stories[s].text))
			continue;
		for (k = 0; k < r->npool; k++)
			if (!isnan(z[k * n + s]) && z[k * n + s] < lo)
				lo = z[k * n + s];
		if (lo < r->res->pooled[s])
			r->res->pooled[s] = lo;
	}
	free(z);
	pattern_free(inj);
	buf_free(&why);
}

/* 4. pooling, the defence, the order, agreement */
static int panel_pool(struct panel_run *r, struct buf *err)
{
	struct panel_result *res = r->res;
	struct pool_input pin;
	size_t i, k, j, n = r->n;

	panel_matrix(r);
	memset(&pin, 0, sizeof pin);
	pin.njudges = r->npool;
	pin.nstories = n;
	pin.scores = res->scores;
	pin.weights = r->weights;
	pin.ids = r->ids;
	if (pool_scores(&pin, r->cfg->pooling, res->pooled) != 0) {
		buf_puts(err, "pooling failed: no judges");
		return ERR_USAGE;
	}
	panel_injection_defence(r, &pin);
	for (i = r->ncand; i < n; i++)
		res->pooled[r->cand[i]] = -INFINITY;
	pool_order(res->pooled, r->ids, n, res->order);
	res->norder = r->ncand;
	res->kendall_w = pool_kendall_w(&pin);
	for (k = 0; k < r->npool; k++) {
		double t =
		        pool_kendall_tau(res->scores + k * n, res->pooled, n);
		struct panel_judge_report *rep = NULL;

		if (r->pool_judge[k] != (size_t)-1)
			rep = &res->judges[r->pool_judge[k]];
		else
			for (j = r->cfg->njudges; j < res->nreports; j++)
				if (strcmp(res->judges[j].name,
				           res->pool_names[k]) == 0)
					rep = &res->judges[j];
		if (rep)
			rep->tau = t;
	}
	panel_diagnose(r);
	return 0;
}

/* The category whose pattern matches a story best: more matches in the
 * title first, then more in the text; -1 when none matches. */
static int panel_pattern_category(const struct panel_config *cfg,
                                  const struct panel_story *s)
{
	size_t k, t, x, best_t = 0, best_x = 0;
	int best = -1;

	for (k = 0; k < cfg->ncategories; k++) {
		t = pattern_count(cfg->categories[k].re, s->title, 64);
		x = pattern_count(cfg->categories[k].re, s->text, 64);
		if (t + x == 0)
			continue;
		if (best < 0 || t > best_t || (t == best_t && x > best_x)) {
			best = (int)k;
			best_t = t;
			best_x = x;
		}
	}
	return best;
}

/* A story's category: the judges' majority, else the best pattern. */
static int panel_category_of(const struct panel_run *r, size_t i)
{
	const struct panel_config *cfg = r->cfg;
	int votes[64] = {0}, best = -1, c;
	size_t j, k;

	for (j = 0; j < cfg->njudges; j++) {
		c = r->judge_category[j * r->n + i];
		if (c >= 0 && c < 64 && !r->res->judges[j].failed)
			votes[c]++;
	}
	for (k = 0; k < cfg->ncategories && k < 64; k++)
		if (votes[k] > 0 && (best < 0 || votes[k] > votes[best]))
			best = (int)k;
	return best >= 0 ? best : panel_pattern_category(cfg, &r->stories[i]);
}

/* Whether two stories tell the same event for the day's selection: their
 * titles match each other, or are about one versioned name (a launch and
 * a first look at it), or the judges voted them one. */
static bool panel_same_event(void *ctx, size_t a, size_t b)
{
	const struct panel_run *r = ctx;
	const char *ta = r->stories[a].title, *tb = r->stories[b].title;

	ta = ta ? ta : "";
	tb = tb ? tb : "";
	return stories_titles_one_event(ta, tb) || panel_pairs_same(r, a, b);
}

/* 5. categories, then the selection: quotas, one story per event, no
 * filler below the floor (the better half of the candidates, or the top
 * when that is more), nothing published before */
static void panel_select(struct panel_run *r)
{
	const struct panel_config *cfg = r->cfg;
	struct panel_result *res = r->res;
	size_t *quota = xcalloc(cfg->ncategories + 1, sizeof *quota);
	bool *published = xcalloc(r->n + 1, sizeof *published);
	unsigned char *pick = xcalloc(r->n + 1, sizeof *pick);
	struct pool_rules rules;
	size_t i, k;

	for (i = 0; i < r->n; i++) {
		res->category[i] = panel_category_of(r, i);
		published[i] = r->stories[i].published;
		pick[i] = (unsigned char)r->stories[i].pick;
	}
	for (k = 0; k < cfg->ncategories; k++)
		quota[k] = (size_t)ceil(cfg->quota * (double)cfg->top);
	memset(&rules, 0, sizeof rules);
	rules.category = res->category;
	rules.quota = quota;
	rules.ncategories = cfg->ncategories;
	rules.top = cfg->top;
	rules.floor =
	        (r->ncand + 1) / 2 > cfg->top ? (r->ncand + 1) / 2 : cfg->top;
	rules.published = published;
	rules.pick = pick;
	rules.same_event = panel_same_event;
	rules.ctx = r;
	pool_select(res->order, r->ncand, r->n, &rules, res->selected,
	            res->why);
	free(quota);
	free(published);
	free(pick);
}

/* 6. cost: the panel's, and one reference judge on the same prompts */
static void panel_cost(struct panel_run *r)
{
	const struct panel_config *cfg = r->cfg;
	struct panel_result *res = r->res;
	double tin = 0, tout = 0;
	size_t j, nl = 0;

	for (j = 0; j < cfg->njudges; j++) {
		const struct llm_usage *u = &res->judges[j].use;

		llm_usage_add(&res->use, u);
		if (res->judges[j].llm && u->requests) {
			tin += (double)u->tokens_in;
			tout += (double)u->tokens_out;
			nl++;
		}
	}
	if (nl)
		res->reference_usd =
		        (tin / (double)nl * cfg->reference_price_in +
		         tout / (double)nl * cfg->reference_price_out) /
		        1e6;
}

/* What went wrong, for a person: the budget first. */
static void panel_notes(struct panel_run *r)
{
	struct panel_result *res = r->res;
	struct buf note = BUF_INIT(sizeof res->note - 1);

	if (res->budget_hit) {
		res->degraded = true;
		buf_printf(&note,
		           "the budget of $%g was reached: calls not made",
		           r->cfg->max_usd);
	}
	if (res->note[0])
		buf_printf(&note, "%s%s", note.len ? "; " : "", res->note);
	if (r->cache_errors)
		buf_printf(&note, "%s%ld judgments not cached (%s)",
		           note.len ? "; " : "", r->cache_errors,
		           r->cache_error);
	if (note.len)
		snprintf(res->note, sizeof res->note, "%s", buf_cstr(&note));
	buf_free(&note);
}

static void panel_run_init(struct panel_run *r, struct panel_result *res,
                           size_t n)
{
	size_t i, nj = r->cfg->njudges;

	memset(res, 0, sizeof *res);
	r->res = res;
	res->nstories = n;
	res->kendall_w = NAN;
	res->effective_judges = NAN;
	res->nreports = nj;
	res->judges = xcalloc(nj + HEURISTIC_COUNT, sizeof *res->judges);
	res->pooled = xcalloc(n + 1, sizeof *res->pooled);
	res->order = xcalloc(n + 1, sizeof *res->order);
	res->selected = xcalloc(n + 1, sizeof *res->selected);
	res->why = xcalloc(n + 1, sizeof *res->why);
	res->category = xcalloc(n + 1, sizeof *res->category);
	for (i = 0; i < nj; i++) {
		res->judges[i].name = r->cfg->judges[i].name;
		res->judges[i].llm = r->cfg->judges[i].type == PANEL_JUDGE_LLM;
		res->judges[i].tau = NAN;
	}
	for (i = 0; i < n; i++)
		res->pooled[i] = -INFINITY;
	r->idstr = xcalloc(n + 1, sizeof *r->idstr);
	r->ids = xcalloc(n + 1, sizeof *r->ids);
	r->cand = xcalloc(n + 1, sizeof *r->cand);
	r->judge_scores = xcalloc(nj * n + 1, sizeof *r->judge_scores);
	r->judge_category = xcalloc(nj * n + 1, sizeof *r->judge_category);
	r->judge_place = xcalloc(nj * n + 1, sizeof *r->judge_place);
	for (i = 0; i < nj * n; i++) {
		r->judge_scores[i] = NAN;
		r->judge_place[i] = NAN;
		r->judge_category[i] = -1;
	}
	r->pool_judge = xcalloc(nj + HEURISTIC_COUNT, sizeof *r->pool_judge);
	r->pool_kind = xcalloc(nj + HEURISTIC_COUNT, sizeof *r->pool_kind);
	r->pool_is_heuristic =
	        xcalloc(nj + HEURISTIC_COUNT, sizeof *r->pool_is_heuristic);
	r->versions = xcalloc(nj + 1, sizeof *r->versions);
	for (i = 0; i < nj; i++)
		engine_cache_version(&r->cfg->judges[i].llm,
		                     r->cfg->prompt_version, r->versions[i]);
}

static void panel_run_free(struct panel_run *r)
{
	free(r->idstr);
	free(r->ids);
	free(r->cand);
	free(r->judge_scores);
	free(r->judge_category);
	free(r->judge_place);
	free(r->pool_judge);
	free(r->pool_kind);
	free(r->pool_is_heuristic);
	free(r->weights);
	free(r->versions);
}

int panel_rank(const struct engine_run *run, const struct panel_config *cfg,
               const struct panel_story *stories, size_t n,
               const struct panel_options *opt, struct panel_result *res,
               struct buf *err)
{
	static const struct engine_run none = {NULL, NULL};
	struct panel_run r;
	int rc = 0;

	memset(&r, 0, sizeof r);
	r.run = run ? run : &none;
	r.cfg = cfg;
	r.stories = stories;
	r.n = n;
	r.opt = opt;
	panel_run_init(&r, res, n);
	panel_candidates(&r);
	rc = panel_ask(&r, err);
	if (rc == 0) {
		panel_members(&r);
		rc = panel_pool(&r, err);
	}
	if (rc == 0) {
		panel_select(&r);
		panel_cost(&r);
		panel_notes(&r);
	}
	panel_pairs_free(&r);
	panel_run_free(&r);
	return rc;
}

void panel_result_free(struct panel_result *res)
{
	if (!res)
		return;
	free(res->judges);
	free(res->scores);
	free(res->pooled);
	free(res->order);
	free(res->selected);
	free(res->why);
	free(res->category);
	free(res->pool_names);
	free(res->redundant);
	memset(res, 0, sizeof *res);
}
