#include "summarize/verify.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "common/err.h"
#include "common/hash.h"
#include "common/xalloc.h"
#include "store/store.h"
#include "summarize/text.h"

/* The reply each judge must give. */
static const char verify_schema[] =
        "{\"type\":\"object\",\"additionalProperties\":false,"
        "\"required\":[\"verdicts\"],"
        "\"properties\":{"
        "\"verdicts\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
        "\"additionalProperties\":false,"
        "\"required\":[\"id\",\"supported\",\"problem\"],"
        "\"properties\":{\"id\":{\"type\":\"string\"},"
        "\"supported\":{\"type\":\"boolean\"},"
        "\"problem\":{\"type\":\"string\"}}}}}}";

#define VERIFY_OUT_TOKENS_PER_UNIT 60
#define VERIFY_OUT_TOKENS_BASE 100
#define VERIFY_PROBLEM_CP 300
#define VERIFY_LIST_TEXT_CP 300 /* a story's text in the intro's source */
#define VERIFY_TITLE_CP 300

static const char *const verify_kinds[] = {"story", "intro", "viewpoint"};

static const char *const verify_outcomes[] = {"supported", "rewritten",
                                              "replaced", "unverified"};

const char *verify_outcome_name(enum verify_outcome v)
{
	return (unsigned)v < sizeof verify_outcomes / sizeof *verify_outcomes
	               ? verify_outcomes[v]
	               : "?";
}

bool verify_majority(int yes, int no)
{
	return yes > no;
}

bool verify_kappa_warning(const struct verify_result *res, const char *prefix,
                          struct buf *out)
{
	if (!res->ran || !isfinite(res->kappa) ||
	    res->kappa >= VERIFY_KAPPA_LOW)
		return false;
	buf_printf(out,
	           "%sthe judges agree little on the Korean texts (Fleiss' "
	           "kappa %.2f, under %.1f): a verdict says little more than "
	           "chance; read the rewritten and replaced stories\n",
	           prefix, res->kappa, VERIFY_KAPPA_LOW);
	return true;
}

double verify_fleiss_kappa(const int *yes, const int *no, size_t n)
{
	double pbar = 0, pyes = 0, pe, m;
	size_t i;

	if (n < 2 || yes[0] + no[0] < 2)
		return NAN;
	m = yes[0] + no[0];
	for (i = 0; i < n; i++) {
		if (yes[i] < 0 || no[i] < 0 || yes[i] + no[i] != (int)m)
			return NAN;
		pbar += ((double)yes[i] * yes[i] + (double)no[i] * no[i] - m) /
		        (m * (m - 1));
		pyes += yes[i];
	}
	pbar /= (double)n;
	pyes /= (double)n * m;
	pe = pyes * pyes + (1 - pyes) * (1 - pyes);
	if (pe >= 1 - 1e-12)
		return NAN;
	return (pbar - pe) / (1 - pe);
}

/* The cache key of a text: its kind, its source and itself. */
static void verify_hash(const struct verify_unit *u, const char *text,
                        char out[HASH_HEX_LEN])
{
	uint64_t h = HASH_FNV_OFFSET;

	h = hash_fnv1a_str(h, verify_kinds[u->kind]);
	h = hash_fnv1a_str(h, "\x1f");
	h = hash_fnv1a_str(h, u->source_title);
	h = hash_fnv1a_str(h, "\x1f");
	h = hash_fnv1a_str(h, u->source_text);
	h = hash_fnv1a_str(h, "\x1f");
	h = hash_fnv1a_str(h, text);
	hash_hex(h, out);
}

static double verify_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A run */

struct verify_ctx {
	const struct engine_run *run;
	const struct verify_input *in;
	struct verify_result *res;
	char (*versions)[ENGINE_VERSION_MAX]; /* each judge's cache version */
	int round;
	long cache_errors;
	char cache_error[128];
};

static void verify_judge_fail(struct verify_judge_report *j, const char *why)
{
	if (!j->failed) {
		j->failed = true;
		snprintf(j->reason, sizeof j->reason, "%s", why);
	}
}

static char *verify_message(void *ctx, const size_t *units, size_t n)
{
	const struct verify_ctx *c = ctx;
	json_t *arr = json_array();
	struct buf b = BUF_INIT(0);
	char *dump;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct verify_unit *u = &c->res->units[units[i]];
		json_t *o = json_object();

		json_object_set_new(o, "id", json_string(u->id));
		json_object_set_new(o, "kind",
		                    json_string(verify_kinds[u->kind]));
		json_object_set_new(o, "source_title",
		                    json_string(u->source_title));
		json_object_set_new(o, "source_text",
		                    json_string(u->source_text));
		json_object_set_new(o, "summary",
		                    json_string(u->text[c->round]));
		json_array_append_new(arr, o);
	}
	dump = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
	buf_printf(&b, "Check these %zu texts against their sources:\n%s", n,
	           dump ? dump : "[]");
	free(dump);
	json_decref(arr);
	return buf_detach(&b);
}

static const char *verify_id(void *ctx, size_t unit)
{
	const struct verify_ctx *c = ctx;

	return c->res->units[unit].id;
}

static bool verify_cached(void *ctx, size_t k, size_t unit)
{
	struct verify_ctx *c = ctx;
	struct verify_unit *u = &c->res->units[unit];
	struct verify_vote *v = &u->votes[c->round][k];
	bool ok;
	char *problem = NULL;

	if (!c->run->cache ||
	    store_verdict_get(c->run->cache, u->hash[c->round],
	                      c->res->judges[k].name, c->versions[k], &ok,
	                      &problem) != 0)
		return false;
	v->supported = ok ? 1 : 0;
	v->cached = true;
	v->problem = problem;
	return true;
}

/* One judge's vote on one text: kept, and cached. */
static int verify_take(void *ctx, size_t k, size_t unit, json_t *answer,
                       const struct engine_share *share)
{
	struct verify_ctx *c = ctx;
	struct verify_unit *u = &c->res->units[unit];
	struct verify_vote *v = &u->votes[c->round][k];
	json_t *sv = json_object_get(answer, "supported");
	const char *problem =
	        json_string_value(json_object_get(answer, "problem"));
	struct store_verdict row;

	if (!json_is_boolean(sv))
		return ERR_PARSE;
	v->supported = json_is_true(sv) ? 1 : 0;
	free(v->problem);
	v->problem = problem && *problem
	                     ? text_clean(problem, VERIFY_PROBLEM_CP)
	                     : NULL;
	if (!c->run->cache)
		return 0;
	memset(&row, 0, sizeof row);
	row.text_hash = u->hash[c->round];
	row.judge = c->res->judges[k].name;
	row.prompt_version = c->versions[k];
	row.supported = v->supported == 1;
	row.problem = v->problem;
	row.raw = share->raw;
	row.tokens_in = share->tokens_in;
	row.tokens_out = share->tokens_out;
	row.usd = share->usd;
	row.at = (int64_t)time(NULL);
	if (store_verdict_put(c->run->cache, &row) != 0 &&
	    c->cache_errors++ == 0)
		snprintf(c->cache_error, sizeof c->cache_error, "%s",
		         store_error(c->run->cache));
	return 0;
}

/* Each unit's yes and no votes of a round. */
static void verify_tally(struct verify_result *res, int round)
{
	size_t i, j;

	for (i = 0; i < res->nunits; i++) {
		struct verify_unit *u = &res->units[i];

		if (!u->text[round])
			continue;
		u->yes[round] = u->no[round] = 0;
		for (j = 0; j < res->njudges; j++) {
			if (u->votes[round][j].supported == 1)
				u->yes[round]++;
			else if (u->votes[round][j].supported == 0)
				u->no[round]++;
		}
	}
}

/* One round of votes on the units whose text[round] is set: the cache,
 * then every judge that has not failed, in batches, all at once. */
static void verify_round(struct verify_ctx *c, int round)
{
	struct verify_result *res = c->res;
	const struct panel_config *pc = c->in->pc;
	size_t nj = res->njudges, i, j, np = 0;
	size_t *pending = xcalloc(res->nunits + 1, sizeof *pending);
	const struct llm_profile **llms = xcalloc(nj + 1, sizeof *llms);
	struct engine_report *reps = xcalloc(nj + 1, sizeof *reps);
	struct buf err = BUF_INIT(1024);
	struct engine_task t;

	c->round = round;
	for (i = 0; i < res->nunits; i++) {
		struct verify_unit *u = &res->units[i];

		if (!u->text[round])
			continue;
		u->votes[round] = xcalloc(nj + 1, sizeof *u->votes[round]);
		for (j = 0; j < nj; j++)
			u->votes[round][j].supported = -1;
		pending[np++] = i;
	}
	for (j = 0; j < nj; j++) {
		llms[j] = &pc->judges[res->judges[j].config_index].llm;
		reps[j].failed = res->judges[j].failed;
	}
	memset(&t, 0, sizeof t);
	t.stage = "verify";
	t.system = pc->verify_prompt;
	t.schema_name = "digest_verify";
	t.schema_json = verify_schema;
	t.array = "verdicts";
	t.batch = pc->batch;
	t.max_base = VERIFY_OUT_TOKENS_BASE;
	t.max_per_item = 2 * VERIFY_OUT_TOKENS_PER_UNIT;
	t.est_base = VERIFY_OUT_TOKENS_BASE;
	t.est_per_item = VERIFY_OUT_TOKENS_PER_UNIT;
	t.ctx = c;
	t.message = verify_message;
	t.id = verify_id;
	t.cached = verify_cached;
	t.take = verify_take;
	if (engine_ask(&t, llms, nj, pending, np, c->run, reps,
	               &res->budget_hit, &err) != 0)
		for (j = 0; j < nj; j++)
			verify_judge_fail(&res->judges[j], buf_cstr(&err));
	for (j = 0; j < nj; j++) {
		struct verify_judge_report *jr = &res->judges[j];

		llm_usage_add(&jr->use, &reps[j].use);
		llm_usage_add(&res->use, &reps[j].use);
		if (reps[j].failed)
			verify_judge_fail(jr, reps[j].reason);
	}
	verify_tally(res, round);
	buf_free(&err);
	free(reps);
	free(llms);
	free(pending);
}

/* Units */

/* The day's stories as the intro's and the viewpoint's source: the
 * headline's text whole (as the judges get a story's), the others' titles
 * with the start of their text. */
static char *verify_day_source(const struct writer_story *s, size_t n,
                               size_t text_max)
{
	struct buf b = BUF_INIT(0);
	char *t;
	size_t i;

	for (i = 0; i < n; i++) {
		t = text_clean(s[i].title ? s[i].title : "", VERIFY_TITLE_CP);
		buf_printf(&b, "%s%zu. %s", i ? "\n" : "", i + 1, t);
		free(t);
		t = text_clean(s[i].text ? s[i].text : "",
		               i == 0 ? text_max : VERIFY_LIST_TEXT_CP);
		if (*t)
			buf_printf(&b, ": %s", t);
		free(t);
	}
	return buf_detach(&b);
}

static struct verify_unit *verify_add(struct verify_result *res,
                                      enum writer_fix_kind kind, size_t index,
                                      const char *id)
{
	struct verify_unit *u = &res->units[res->nunits++];

	memset(u, 0, sizeof *u);
	u->kind = kind;
	u->index = index;
	snprintf(u->id, sizeof u->id, "%s", id);
	return u;
}

/* The text a unit is voted on, as the post will show it. */
static char *verify_text_of(const struct verify_unit *u,
                            const struct writer_output *o)
{
	struct buf b = BUF_INIT(0);

	switch (u->kind) {
	case WRITER_FIX_STORY:
		buf_printf(&b, "%s\n%s", o->pieces[u->index].oneliner,
		           o->pieces[u->index].summary);
		break;
	case WRITER_FIX_INTRO:
		buf_printf(&b, "%s\n%s\n%s", o->title ? o->title : "",
		           o->description ? o->description : "",
		           o->intro ? o->intro : "");
		break;
	default:
		buf_puts(&b, o->viewpoint ? o->viewpoint : "");
	}
	return buf_detach(&b);
}

static void verify_set_text(struct verify_unit *u, int round,
                            const struct writer_output *o)
{
	u->text[round] = verify_text_of(u, o);
	verify_hash(u, u->text[round], u->hash[round]);
}

static void verify_swap(char **slot, const char *with)
{
	free(*slot);
	*slot = xstrdup(with ? with : "");
}

/* The extractive writer's text in place of the unit's. */
static void verify_use_extractive(const struct verify_unit *u,
                                  const struct writer_output *ex,
                                  struct writer_output *o)
{
	struct writer_piece *p;

	switch (u->kind) {
	case WRITER_FIX_STORY:
		p = &o->pieces[u->index];
		verify_swap(&p->oneliner, ex->pieces[u->index].oneliner);
		verify_swap(&p->summary, ex->pieces[u->index].summary);
		p->llm = false;
		break;
	case WRITER_FIX_INTRO:
		verify_swap(&o->title, ex->title);
		verify_swap(&o->description, ex->description);
		verify_swap(&o->intro, ex->intro);
		o->intro_llm = false;
		break;
	default:
		verify_swap(&o->viewpoint, ex->viewpoint);
		o->viewpoint_llm = false;
	}
}

/* The problems the judges that voted no gave in a round. */
static size_t verify_problems(const struct verify_result *res,
                              const struct verify_unit *u, int round,
                              const char **out, size_t max)
{
	size_t j, n = 0;

	if (u->lost_term && n < max)
		out[n++] = u->lost_term;
	if (!u->votes[round])
		return n;
	for (j = 0; j < res->njudges && n < max; j++)
		if (u->votes[round][j].supported == 0 &&
		    u->votes[round][j].problem)
			out[n++] = u->votes[round][j].problem;
	return n;
}

static void verify_version(struct verify_result *res,
                           const struct panel_config *pc)
{
	uint64_t h = hash_fnv1a_str(HASH_FNV_OFFSET, pc->verify_prompt);

	h = hash_fnv1a_str(h, verify_schema);
	snprintf(res->prompt_version, sizeof res->prompt_version,
	         "verify-%012llx", (unsigned long long)(h & 0xFFFFFFFFFFFFULL));
}

/* The judges (the LLM judges that did not fail in ranking) and the
 * units (every LLM text, and every text that lost a term). */
static void verify_setup(struct verify_result *res,
                         const struct verify_input *in,
                         const struct writer_output *o)
{
	const struct panel_config *pc = in->pc;
	const struct panel_result *pr = in->pr;
	size_t i;
	char id[32];

	res->judges = xcalloc(pc->njudges + 1, sizeof *res->judges);
	for (i = 0; i < pc->njudges; i++) {
		if (pc->judges[i].type != PANEL_JUDGE_LLM)
			continue;
		if (pr && i < pr->nreports && pr->judges[i].failed)
			continue;
		res->judges[res->njudges].name = pc->judges[i].name;
		res->judges[res->njudges].config_index = i;
		res->njudges++;
	}
	res->units = xcalloc(in->n + 3, sizeof *res->units);
	for (i = 0; i < in->n; i++)
		if (o->pieces[i].llm || o->pieces[i].lost_term) {
			snprintf(id, sizeof id, "%lld",
			         (long long)in->stories[i].id);
			verify_add(res, WRITER_FIX_STORY, i, id);
		}
	if (o->intro_llm || o->intro_lost_term)
		verify_add(res, WRITER_FIX_INTRO, 0, "intro");
	if (o->viewpoint_llm)
		verify_add(res, WRITER_FIX_VIEWPOINT, 0, "viewpoint");
}

/* What each unit must stand on, and the text voted on first. */
static void verify_sources(struct verify_result *res,
                           const struct verify_input *in,
                           const struct writer_output *o)
{
	size_t text_max = in->pc->text_max ? in->pc->text_max : 1200, i;
	char *day = verify_day_source(in->stories, in->n, text_max);
	char title[96];

	snprintf(title, sizeof title,
	         "Today's digest: %zu stories, the headline first", in->n);
	for (i = 0; i < res->nunits; i++) {
		struct verify_unit *u = &res->units[i];
		const struct writer_story *st = &in->stories[u->index];

		if (u->kind == WRITER_FIX_STORY) {
			u->source_title =
			        text_clean(st->title, VERIFY_TITLE_CP);
			u->source_text = text_clean(st->text, text_max);
			if (o->pieces[u->index].lost_term)
				u->lost_term =
				        xstrdup(o->pieces[u->index].lost_term);
		} else {
			u->source_title = xstrdup(title);
			u->source_text = xstrdup(day);
			if (u->kind == WRITER_FIX_INTRO && o->intro_lost_term)
				u->lost_term = xstrdup(o->intro_lost_term);
		}
		/* a text that lost a term goes back without a vote */
		if (!u->lost_term)
			verify_set_text(u, 0, o);
	}
	free(day);
}

/* The texts to send back to the writer after the first votes. */
struct verify_fixes {
	struct writer_fix *v;
	const char ***problems;
	size_t n;
};

static void verify_fixes_free(struct verify_fixes *f, size_t nunits)
{
	size_t i;

	for (i = 0; f->problems && i < nunits; i++)
		free(f->problems[i]);
	free(f->problems);
	free(f->v);
}

/* The verdicts of round 1: supported, unverified, or sent back. */
static void verify_judge_first(struct verify_result *res,
                               struct verify_fixes *fx)
{
	size_t i;

	fx->v = xcalloc(res->nunits + 1, sizeof *fx->v);
	fx->problems = xcalloc(res->nunits + 1, sizeof *fx->problems);
	for (i = 0; i < res->nunits; i++) {
		struct verify_unit *u = &res->units[i];
		struct writer_fix *f;

		if (!u->lost_term) {
			if (u->yes[0] + u->no[0] == 0) {
				u->outcome = VERIFY_UNVERIFIED;
				continue;
			}
			if (verify_majority(u->yes[0], u->no[0])) {
				u->outcome = VERIFY_SUPPORTED;
				continue;
			}
		} else {
			struct buf b = BUF_INIT(0);

			buf_printf(&b,
			           "the [glossary] term '%s' is not kept as "
			           "written",
			           u->lost_term);
			free(u->lost_term);
			u->lost_term = buf_detach(&b);
		}
		u->sent_back = true;
		u->outcome = VERIFY_REPLACED; /* until its rewrite stands */
		f = &fx->v[fx->n];
		f->kind = u->kind;
		f->index = u->index;
		f->source_title = u->source_title;
		f->source_text = u->source_text;
		fx->problems[fx->n] =
		        xcalloc(res->njudges + 2, sizeof *fx->problems[fx->n]);
		f->nproblems = verify_problems(res, u, 0, fx->problems[fx->n],
		                               res->njudges + 1);
		f->problems = fx->problems[fx->n];
		fx->n++;
	}
}

/* The rewrite, then round 2 on what it mended. Returns 0, or ERR_USAGE
 * (err) when the writer was asked for what is not there. */
static int verify_rewrite(struct verify_ctx *c, struct verify_fixes *fx,
                          struct writer_output *o, struct buf *note,
                          struct buf *err)
{
	struct verify_result *res = c->res;
	const struct verify_input *in = c->in;
	struct llm_usage before = o->use;
	struct buf wnote = BUF_INIT(1024);
	size_t i, k = 0;

	if (writer_rewrite(in->wc, c->run, in->stories, in->n, fx->v, fx->n, o,
	                   &wnote) != 0) {
		buf_printf(err, "%s", buf_cstr(&wnote));
		buf_free(&wnote);
		return ERR_USAGE;
	}
	res->rewrite.requests = o->use.requests - before.requests;
	res->rewrite.tokens_in = o->use.tokens_in - before.tokens_in;
	res->rewrite.tokens_out = o->use.tokens_out - before.tokens_out;
	res->rewrite.usd = o->use.usd - before.usd;
	if (wnote.len)
		buf_printf(note, "the rewrite: %s", buf_cstr(&wnote));
	buf_free(&wnote);
	for (i = 0; i < res->nunits; i++) {
		struct verify_unit *u = &res->units[i];

		if (!u->sent_back)
			continue;
		if (fx->v[k++].fixed) {
			u->rewritten_ok = true;
			verify_set_text(u, 1, o);
		}
	}
	verify_round(c, 1);
	for (i = 0; i < res->nunits; i++) {
		struct verify_unit *u = &res->units[i];

		if (!u->sent_back || !u->rewritten_ok)
			continue;
		if (u->yes[1] + u->no[1] == 0)
			u->outcome = VERIFY_UNVERIFIED;
		else if (verify_majority(u->yes[1], u->no[1]))
			u->outcome = VERIFY_REWRITTEN;
		else
			u->outcome = VERIFY_REPLACED;
	}
	return 0;
}

/* What cannot be trusted is not published: counts, and the extractive
 * text where a unit was not supported. */
static void verify_apply(struct verify_result *res,
                         const struct writer_output *ex,
                         struct writer_output *o)
{
	size_t i;

	for (i = 0; i < res->nunits; i++) {
		struct verify_unit *u = &res->units[i];

		switch (u->outcome) {
		case VERIFY_SUPPORTED:
			res->supported_first++;
			break;
		case VERIFY_REWRITTEN:
			res->rewritten++;
			break;
		case VERIFY_REPLACED:
			res->replaced++;
			verify_use_extractive(u, ex, o);
			break;
		case VERIFY_UNVERIFIED:
			res->unverified++;
			verify_use_extractive(u, ex, o);
			break;
		}
	}
}

/* Agreement on the first votes: the units every answering judge voted
 * on. */
static void verify_agreement(struct verify_result *res)
{
	int *y = xcalloc(res->nunits + 1, sizeof *y);
	int *no = xcalloc(res->nunits + 1, sizeof *no);
	size_t i, nk = 0, m = 0, votes;

	for (i = 0; i < res->nunits; i++) {
		votes = (size_t)(res->units[i].yes[0] + res->units[i].no[0]);
		if (res->units[i].text[0] && votes > m)
			m = votes;
	}
	for (i = 0; i < res->nunits; i++) {
		votes = (size_t)(res->units[i].yes[0] + res->units[i].no[0]);
		if (res->units[i].text[0] && votes == m) {
			y[nk] = res->units[i].yes[0];
			no[nk] = res->units[i].no[0];
			nk++;
		}
	}
	res->kappa = verify_fleiss_kappa(y, no, nk);
	free(y);
	free(no);
}

static void verify_notes(struct verify_ctx *c, struct buf *note)
{
	struct verify_result *res = c->res;
	size_t j;

	for (j = 0; j < res->njudges; j++)
		if (res->judges[j].failed) {
			res->degraded = true;
			buf_printf(note, "%sjudge %s failed verification: %s",
			           note->len ? "; " : "", res->judges[j].name,
			           res->judges[j].reason);
		}
	if (res->budget_hit) {
		res->degraded = true;
		buf_printf(note,
		           "%sthe budget stopped verification: texts no judge "
		           "checked are the extractive writer's",
		           note->len ? "; " : "");
	}
	if (c->cache_errors)
		buf_printf(note, "%s%ld verdicts not cached (%s)",
		           note->len ? "; " : "", c->cache_errors,
		           c->cache_error);
	if (res->unverified)
		res->degraded = true;
}

/* Why nothing is voted on, or NULL when the vote can go ahead. */
static const char *verify_skip(const struct verify_result *res,
                               const struct panel_config *pc)
{
	if (!pc->verify)
		return "not verified: [panel] verify = no";
	if (res->nunits == 0)
		return "not verified: nothing the LLM wrote (the extractive "
		       "writer's text is the sources' own)";
	if (res->njudges == 0)
		return "not verified: no LLM judges";
	return NULL;
}

int verify_digest(const struct engine_run *run, const struct verify_input *in,
                  struct writer_output *o, struct verify_result *res,
                  struct buf *err)
{
	static const struct engine_run none = {NULL, NULL};
	struct verify_ctx c;
	struct verify_fixes fx;
	struct buf note = BUF_INIT(sizeof res->note - 1);
	const char *skip;
	double start = verify_now();
	size_t i;
	int rc = 0;

	if (res)
		memset(res, 0, sizeof *res);
	if (!res || !in || !in->pc || !o || !in->ex ||
	    (in->n && !in->stories) || o->npieces != in->n ||
	    in->ex->npieces != in->n) {
		buf_puts(err, "verify: no stories, texts or results given");
		return ERR_USAGE;
	}
	memset(&c, 0, sizeof c);
	memset(&fx, 0, sizeof fx);
	c.run = run ? run : &none;
	c.in = in;
	c.res = res;
	res->kappa = NAN;
	verify_version(res, in->pc);
	verify_setup(res, in, o);
	c.versions = xcalloc(res->njudges + 1, sizeof *c.versions);
	for (i = 0; i < res->njudges; i++)
		engine_cache_version(
		        &in->pc->judges[res->judges[i].config_index].llm,
		        res->prompt_version, c.versions[i]);
	skip = verify_skip(res, in->pc);
	if (skip) {
		buf_puts(&note, skip);
		goto out;
	}
	res->ran = true;
	res->checked = res->nunits;
	verify_sources(res, in, o);
	verify_round(&c, 0);
	verify_judge_first(res, &fx);
	if (fx.n && (rc = verify_rewrite(&c, &fx, o, &note, err)) != 0)
		goto out;
	verify_apply(res, in->ex, o);
	verify_agreement(res);
	verify_notes(&c, &note);
out:
	res->seconds = verify_now() - start;
	snprintf(res->note, sizeof res->note, "%s", buf_cstr(&note));
	verify_fixes_free(&fx, res->nunits);
	free(c.versions);
	buf_free(&note);
	return rc;
}

void verify_result_free(struct verify_result *res)
{
	size_t i, j;
	int r;

	if (!res)
		return;
	for (i = 0; i < res->nunits; i++) {
		struct verify_unit *u = &res->units[i];

		free(u->source_title);
		free(u->source_text);
		free(u->lost_term);
		for (r = 0; r < VERIFY_ROUNDS; r++) {
			free(u->text[r]);
			for (j = 0; u->votes[r] && j < res->njudges; j++)
				free(u->votes[r][j].problem);
			free(u->votes[r]);
		}
	}
	free(res->units);
	free(res->judges);
	memset(res, 0, sizeof *res);
}
