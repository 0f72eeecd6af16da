#include "summarize/verify.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "common/xalloc.h"
#include "store/store.h"

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

static uint64_t verify_fnv(uint64_t h, const char *s)
{
	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001B3ULL;
	}
	return h;
}

/* The cache key of a text: its kind, its source and itself. */
static void verify_hash(const struct verify_unit *u, const char *text,
                        char out[17])
{
	uint64_t h = 0xcbf29ce484222325ULL;

	h = verify_fnv(h, verify_kinds[u->kind]);
	h = verify_fnv(h, "\x1f");
	h = verify_fnv(h, u->source_title);
	h = verify_fnv(h, "\x1f");
	h = verify_fnv(h, u->source_text);
	h = verify_fnv(h, "\x1f");
	h = verify_fnv(h, text);
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static double verify_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A run */

struct verify_call {
	size_t judge;    /* index in res->judges */
	size_t *units;   /* unit indices in the batch, in the order sent */
	size_t n;
	char *user;
	double estimate;
};

struct verify_ctx {
	struct store *st;
	const struct panel_config *pc;
	struct verify_result *res;
	int round;
	struct verify_call *calls;
	size_t ncalls;
	double budget_left; /* negative: none */
	double spent, reserved;
};

static bool verify_may_send(void *ctx, size_t index)
{
	struct verify_ctx *c = ctx;
	struct verify_call *call = &c->calls[index];

	if (c->budget_left < 0)
		return true;
	if (c->spent + c->reserved + call->estimate > c->budget_left) {
		c->res->budget_hit = true;
		return false;
	}
	c->reserved += call->estimate;
	return true;
}

static void verify_judge_fail(struct verify_judge_report *j, const char *why)
{
	if (!j->failed) {
		j->failed = true;
		snprintf(j->reason, sizeof j->reason, "%s", why);
	}
}

static void verify_take_reply(struct verify_ctx *c, struct verify_call *call,
                              const struct llm_result *lr)
{
	struct verify_judge_report *j = &c->res->judges[call->judge];
	const struct panel_judge *pj = &c->pc->judges[j->config_index];
	json_t *root = json_loads(lr->json, 0, NULL), *arr, *it;
	size_t i, k;

	arr = json_is_object(root) ? json_object_get(root, "verdicts") : NULL;
	if (!json_is_array(arr)) {
		verify_judge_fail(j, "a reply without a verdicts array");
		goto out;
	}
	json_array_foreach(arr, i, it)
	{
		const char *id = json_string_value(json_object_get(it, "id"));
		json_t *sv = json_object_get(it, "supported");
		const char *problem =
		        json_string_value(json_object_get(it, "problem"));
		struct verify_unit *u = NULL;
		struct verify_vote *v;
		struct store_verdict sv_row;

		if (!id || !json_is_boolean(sv))
			continue;
		for (k = 0; k < call->n; k++)
			if (strcmp(c->res->units[call->units[k]].id, id) == 0) {
				u = &c->res->units[call->units[k]];
				break;
			}
		/* unknown ids are dropped; a repeated id keeps its first */
		if (!u || u->votes[c->round][call->judge].supported >= 0)
			continue;
		v = &u->votes[c->round][call->judge];
		v->supported = json_is_true(sv) ? 1 : 0;
		free(v->problem);
		v->problem = problem && *problem
		                     ? panel_clean_text(problem, VERIFY_PROBLEM_CP)
		                     : NULL;
		memset(&sv_row, 0, sizeof sv_row);
		sv_row.text_hash = u->hash[c->round];
		sv_row.judge = j->name;
		sv_row.prompt_version = c->res->prompt_version;
		sv_row.supported = v->supported == 1;
		sv_row.problem = v->problem;
		sv_row.raw = lr->raw;
		sv_row.tokens_in = lr->tokens_in / (long)call->n;
		sv_row.tokens_out = lr->tokens_out / (long)call->n;
		sv_row.usd = (sv_row.tokens_in * pj->price_in +
		              sv_row.tokens_out * pj->price_out) /
		             1e6;
		sv_row.at = (int64_t)time(NULL);
		if (c->st)
			store_verdict_put(c->st, &sv_row);
	}
out:
	json_decref(root);
}

static void verify_call_done(void *ctx, size_t index,
                             const struct llm_result *lr)
{
	struct verify_ctx *c = ctx;
	struct verify_call *call = &c->calls[index];
	struct verify_judge_report *j = &c->res->judges[call->judge];
	const struct panel_judge *pj = &c->pc->judges[j->config_index];
	double usd = (lr->tokens_in * pj->price_in +
	              lr->tokens_out * pj->price_out) /
	             1e6;

	if (lr->error != LLM_ERR_BUDGET && c->budget_left >= 0)
		c->reserved -= call->estimate;
	if (lr->error != LLM_ERR_BUDGET && lr->attempts > 0) {
		j->requests++;
		c->res->requests++;
	}
	j->tokens_in += lr->tokens_in;
	j->tokens_out += lr->tokens_out;
	j->usd += usd;
	c->res->tokens_in += lr->tokens_in;
	c->res->tokens_out += lr->tokens_out;
	c->res->usd += usd;
	c->spent += usd;
	if (lr->error == LLM_ERR_BUDGET)
		c->res->budget_hit = true;
	else if (lr->error != LLM_OK)
		verify_judge_fail(j, lr->message);
	else
		verify_take_reply(c, call, lr);
}

static char *verify_user_message(const struct verify_result *res,
                                 const size_t *units, size_t n, int round)
{
	json_t *arr = json_array();
	struct buf b = BUF_INIT(0);
	char *dump;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct verify_unit *u = &res->units[units[i]];
		json_t *o = json_object();

		json_object_set_new(o, "id", json_string(u->id));
		json_object_set_new(o, "kind", json_string(verify_kinds[u->kind]));
		json_object_set_new(o, "source_title",
		                    json_string(u->source_title));
		json_object_set_new(o, "source_text", json_string(u->source_text));
		json_object_set_new(o, "summary", json_string(u->text[round]));
		json_array_append_new(arr, o);
	}
	dump = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
	buf_printf(&b, "Check these %zu texts against their sources:\n%s", n,
	           dump ? dump : "[]");
	free(dump);
	json_decref(arr);
	return buf_detach(&b);
}

/* One round of votes on the units whose text[round] is set: the cache,
 * then every judge that has not failed, in batches, all at once. */
static void verify_round(struct verify_ctx *c, int round)
{
	struct verify_result *res = c->res;
	const struct panel_config *pc = c->pc;
	size_t batch = pc->batch ? pc->batch : 20;
	size_t *pending = xcalloc(res->nunits + 1, sizeof *pending);
	struct llm_call *lc = NULL;
	struct llm_options opt;
	size_t i, j, k, np, cap = 0;

	c->round = round;
	c->ncalls = 0;
	for (i = 0; i < res->nunits; i++)
		if (res->units[i].text[round]) {
			res->units[i].votes[round] = xcalloc(
			        res->njudges + 1, sizeof *res->units[i].votes[round]);
			for (j = 0; j < res->njudges; j++)
				res->units[i].votes[round][j].supported = -1;
		}
	for (j = 0; j < res->njudges; j++) {
		struct verify_judge_report *jr = &res->judges[j];

		if (jr->failed)
			continue;
		np = 0;
		for (i = 0; i < res->nunits; i++) {
			struct verify_unit *u = &res->units[i];
			bool ok;
			char *problem = NULL;

			if (!u->text[round])
				continue;
			if (c->st &&
			    store_verdict_get(c->st, u->hash[round], jr->name,
			                      res->prompt_version, &ok,
			                      &problem) == 0) {
				u->votes[round][j].supported = ok ? 1 : 0;
				u->votes[round][j].cached = true;
				u->votes[round][j].problem = problem;
				jr->cached++;
				continue;
			}
			pending[np++] = i;
		}
		for (i = 0; i < np; i += batch) {
			struct verify_call *call;
			size_t m = np - i < batch ? np - i : batch;

			if (c->ncalls == cap) {
				cap = cap ? cap * 2 : 8;
				c->calls = xrealloc(c->calls, cap * sizeof *c->calls);
			}
			call = &c->calls[c->ncalls++];
			memset(call, 0, sizeof *call);
			call->judge = j;
			call->n = m;
			call->units = xcalloc(m, sizeof *call->units);
			memcpy(call->units, pending + i, m * sizeof *pending);
			call->user = verify_user_message(res, call->units, m, round);
			call->estimate =
			        ((strlen(pc->verify_prompt) + strlen(call->user)) /
			                 4.0 * pc->judges[jr->config_index].price_in +
			         (VERIFY_OUT_TOKENS_BASE +
			          (double)m * VERIFY_OUT_TOKENS_PER_UNIT) *
			                 pc->judges[jr->config_index].price_out) /
			        1e6;
		}
	}
	if (c->ncalls) {
		struct buf err = BUF_INIT(1024);

		lc = xcalloc(c->ncalls, sizeof *lc);
		for (k = 0; k < c->ncalls; k++) {
			const struct panel_judge *pj =
			        &pc->judges[res->judges[c->calls[k].judge]
			                            .config_index];
			struct llm_endpoint *ep = xcalloc(1, sizeof *ep);

			ep->provider = pj->provider;
			ep->base_url = pj->base_url;
			ep->model = pj->model;
			ep->api_key = pj->api_key;
			ep->timeout = pj->timeout;
			ep->reasoning = pj->reasoning;
			ep->reasoning_effort = pj->reasoning_effort;
			lc[k].ep = ep;
			lc[k].system = pc->verify_prompt;
			lc[k].user = c->calls[k].user;
			lc[k].schema_name = "digest_verify";
			lc[k].schema_json = verify_schema;
			lc[k].max_tokens =
			        (int)(VERIFY_OUT_TOKENS_BASE +
			              c->calls[k].n * 2 * VERIFY_OUT_TOKENS_PER_UNIT);
		}
		memset(&opt, 0, sizeof opt);
		opt.may_send = verify_may_send;
		opt.done = verify_call_done;
		opt.ctx = c;
		if (llm_call_all(lc, c->ncalls, &opt, &err) != 0) {
			for (j = 0; j < res->njudges; j++)
				verify_judge_fail(&res->judges[j], buf_cstr(&err));
		}
		for (k = 0; k < c->ncalls; k++)
			free((void *)lc[k].ep);
		free(lc);
		buf_free(&err);
	}
	for (k = 0; k < c->ncalls; k++) {
		free(c->calls[k].units);
		free(c->calls[k].user);
	}
	c->ncalls = 0;

	/* the tally */
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
		t = panel_clean_text(s[i].title ? s[i].title : "",
		                     VERIFY_TITLE_CP);
		buf_printf(&b, "%s%zu. %s", i ? "\n" : "", i + 1, t);
		free(t);
		t = panel_clean_text(s[i].text ? s[i].text : "",
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
	uint64_t h = 0xcbf29ce484222325ULL;

	h = verify_fnv(h, pc->verify_prompt);
	h = verify_fnv(h, verify_schema);
	snprintf(res->prompt_version, sizeof res->prompt_version,
	         "verify-%012llx", (unsigned long long)(h & 0xFFFFFFFFFFFFULL));
}

int verify_digest(struct store *st, const struct panel_config *pc,
                  const struct panel_result *pr,
                  const struct writer_config *wc,
                  const struct writer_story *stories, size_t n,
                  const struct writer_output *ex, struct writer_output *o,
                  double budget_left, struct verify_result *res,
                  struct buf *err)
{
	struct verify_ctx c;
	struct writer_config wcopy;
	struct writer_fix *fixes = NULL;
	struct buf note = BUF_INIT(sizeof res->note - 1),
	           wnote = BUF_INIT(1024);
	char *day = NULL;
	const char ***probs = NULL;
	size_t i, j, nfix = 0;
	double start = verify_now(), usd_before;
	long req_before;
	int *y = NULL, *no = NULL;
	size_t nk = 0, m = 0;

	memset(&c, 0, sizeof c);
	if (res)
		memset(res, 0, sizeof *res);
	if (!res || !pc || !o || !ex || (n && !stories) || o->npieces != n ||
	    ex->npieces != n) {
		buf_puts(err, "verify: no stories, texts or results given");
		return -1;
	}
	res->kappa = NAN;
	verify_version(res, pc);

	/* the judges: the LLM judges that did not fail in ranking */
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

	/* the units: every LLM text, and every text that lost a term */
	res->units = xcalloc(n + 3, sizeof *res->units);
	for (i = 0; i < n; i++)
		if (o->pieces[i].llm || o->pieces[i].lost_term) {
			char id[32];

			snprintf(id, sizeof id, "%lld",
			         (long long)stories[i].id);
			verify_add(res, WRITER_FIX_STORY, i, id);
		}
	if (o->intro_llm || o->intro_lost_term)
		verify_add(res, WRITER_FIX_INTRO, 0, "intro");
	if (o->viewpoint_llm)
		verify_add(res, WRITER_FIX_VIEWPOINT, 0, "viewpoint");
	if (!pc->verify) {
		buf_puts(&note, "not verified: [panel] verify = no");
		goto keep;
	}
	if (res->nunits == 0) {
		buf_puts(&note, "not verified: nothing the LLM wrote (the "
		                "extractive writer's text is the sources' own)");
		goto keep;
	}
	if (res->njudges == 0) {
		buf_puts(&note, "not verified: no LLM judges");
		goto keep;
	}
	res->ran = true;
	res->checked = res->nunits;
	day = verify_day_source(stories, n, pc->text_max ? pc->text_max : 1200);
	for (i = 0; i < res->nunits; i++) {
		struct verify_unit *u = &res->units[i];
		char title[96];

		if (u->kind == WRITER_FIX_STORY) {
			u->source_title = panel_clean_text(
			        stories[u->index].title ? stories[u->index].title
			                                : "",
			        VERIFY_TITLE_CP);
			u->source_text = panel_clean_text(
			        stories[u->index].text ? stories[u->index].text
			                               : "",
			        pc->text_max ? pc->text_max : 1200);
			if (o->pieces[u->index].lost_term)
				u->lost_term =
				        xstrdup(o->pieces[u->index].lost_term);
		} else {
			snprintf(title, sizeof title,
			         "Today's digest: %zu stories, the headline first",
			         n);
			u->source_title = xstrdup(title);
			u->source_text = xstrdup(day);
			if (u->kind == WRITER_FIX_INTRO && o->intro_lost_term)
				u->lost_term = xstrdup(o->intro_lost_term);
		}
		/* a text that lost a term goes back without a vote */
		if (!u->lost_term)
			verify_set_text(u, 0, o);
	}

	/* round 1 */
	c.st = st;
	c.pc = pc;
	c.res = res;
	c.budget_left = budget_left;
	verify_round(&c, 0);

	/* the verdicts; the texts voted down go back to the writer */
	fixes = xcalloc(res->nunits + 1, sizeof *fixes);
	probs = xcalloc(res->nunits + 1, sizeof *probs);
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
		f = &fixes[nfix];
		f->kind = u->kind;
		f->index = u->index;
		f->source_title = u->source_title;
		f->source_text = u->source_text;
		probs[nfix] = xcalloc(res->njudges + 2, sizeof *probs[nfix]);
		f->nproblems = verify_problems(res, u, 0, probs[nfix],
		                               res->njudges + 1);
		f->problems = probs[nfix];
		nfix++;
	}

	/* the rewrite, then round 2 on what it mended */
	if (nfix) {
		wcopy = *wc;
		if (budget_left >= 0)
			wcopy.budget_left = budget_left - c.spent + o->usd;
		usd_before = o->usd;
		req_before = o->requests;
		if (writer_rewrite(&wcopy, stories, n, fixes, nfix, o, &wnote) !=
		    0) {
			buf_printf(err, "%s", buf_cstr(&wnote));
			goto fail;
		}
		res->rewrite_usd = o->usd - usd_before;
		res->rewrite_requests = o->requests - req_before;
		if (wnote.len)
			buf_printf(&note, "the rewrite: %s", buf_cstr(&wnote));
		nfix = 0;
		for (i = 0; i < res->nunits; i++) {
			struct verify_unit *u = &res->units[i];

			if (!u->sent_back)
				continue;
			if (fixes[nfix].fixed) {
				u->rewritten_ok = true;
				verify_set_text(u, 1, o);
			}
			nfix++;
		}
		if (budget_left >= 0)
			c.budget_left = budget_left - res->rewrite_usd;
		verify_round(&c, 1);
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
	}

	/* what cannot be trusted is not published */
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

	/* agreement on the first votes: the units every answering judge
	 * voted on */
	y = xcalloc(res->nunits + 1, sizeof *y);
	no = xcalloc(res->nunits + 1, sizeof *no);
	for (i = 0; i < res->nunits; i++)
		if (res->units[i].text[0] &&
		    (size_t)(res->units[i].yes[0] + res->units[i].no[0]) > m)
			m = (size_t)(res->units[i].yes[0] + res->units[i].no[0]);
	for (i = 0; i < res->nunits; i++)
		if (res->units[i].text[0] &&
		    (size_t)(res->units[i].yes[0] + res->units[i].no[0]) == m) {
			y[nk] = res->units[i].yes[0];
			no[nk] = res->units[i].no[0];
			nk++;
		}
	res->kappa = verify_fleiss_kappa(y, no, nk);

	for (j = 0; j < res->njudges; j++)
		if (res->judges[j].failed) {
			res->degraded = true;
			buf_printf(&note, "%sjudge %s failed verification: %s",
			           note.len ? "; " : "", res->judges[j].name,
			           res->judges[j].reason);
		}
	if (res->budget_hit) {
		res->degraded = true;
		buf_printf(&note,
		           "%sthe budget stopped verification: texts no judge "
		           "checked are the extractive writer's",
		           note.len ? "; " : "");
	}
	if (res->unverified)
		res->degraded = true;
	goto keep;
fail:
	for (i = 0; i < res->nunits; i++)
		free(probs[i]);
	free(probs);
	free(fixes);
	free(day);
	free(c.calls);
	buf_free(&note);
	buf_free(&wnote);
	return -1;
keep:
	res->seconds = verify_now() - start;
	snprintf(res->note, sizeof res->note, "%s", buf_cstr(&note));
	for (i = 0; probs && i < res->nunits; i++)
		free(probs[i]);
	free(probs);
	free(fixes);
	free(day);
	free(y);
	free(no);
	free(c.calls);
	buf_free(&note);
	buf_free(&wnote);
	return 0;
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
