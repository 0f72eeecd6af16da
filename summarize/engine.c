#include "summarize/engine.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/hash.h"
#include "common/xalloc.h"
#include "store/store.h"

#define ENGINE_BATCH 20

void llm_usage_add(struct llm_usage *to, const struct llm_usage *from)
{
	to->requests += from->requests;
	to->cached += from->cached;
	to->tokens_in += from->tokens_in;
	to->tokens_out += from->tokens_out;
	to->usd += from->usd;
}

void engine_ledger_init(struct engine_ledger *l, double max_usd)
{
	memset(l, 0, sizeof *l);
	l->max_usd = max_usd > 0 ? max_usd : 0;
}

bool engine_ledger_reserve(struct engine_ledger *l, double estimate)
{
	if (l->max_usd > 0 && l->spent + l->reserved + estimate > l->max_usd) {
		l->hit = true;
		return false;
	}
	l->reserved += estimate;
	return true;
}

void engine_ledger_settle(struct engine_ledger *l, double reserved, double usd)
{
	l->reserved -= reserved;
	if (l->reserved < 0)
		l->reserved = 0;
	l->spent += usd;
}

double engine_ledger_left(const struct engine_ledger *l)
{
	double left;

	if (l->max_usd <= 0)
		return INFINITY;
	left = l->max_usd - l->spent - l->reserved;
	return left > 0 ? left : 0;
}

void engine_cache_version(const struct llm_profile *llm, const char *version,
                          char out[ENGINE_VERSION_MAX])
{
	char id[HASH_HEX_LEN];

	hash_hex(llm_profile_identity(llm), id);
	snprintf(out, ENGINE_VERSION_MAX, "%s@%s", version ? version : "", id);
}

/* The usage of one finished call. */
static void engine_account(const struct llm_profile *p,
                           const struct llm_result *lr, struct llm_usage *use,
                           double *usd)
{
	*usd = llm_profile_cost(p, lr->tokens_in, lr->tokens_out);
	if (lr->error != LLM_ERR_BUDGET && lr->attempts > 0)
		use->requests++;
	use->tokens_in += lr->tokens_in;
	use->tokens_out += lr->tokens_out;
	use->usd += *usd;
}

static double engine_estimate(const struct llm_profile *p, const char *system,
                              const char *user, double out_tokens)
{
	double in = (double)(strlen(system ? system : "") + strlen(user)) / 4.0;

	return (in * p->price_in + out_tokens * p->price_out) / 1e6;
}

void engine_match_ids(json_t *arr, const char *const *ids, size_t n, bool *seen,
                      int (*fn)(void *ctx, size_t k, json_t *answer), void *ctx)
{
	json_t *it;
	size_t i, k;

	json_array_foreach(arr, i, it)
	{
		const char *id = json_string_value(json_object_get(it, "id"));

		if (!id)
			continue;
		for (k = 0; k < n && (seen[k] || strcmp(ids[k], id) != 0); k++)
			;
		if (k < n && fn(ctx, k, it) == 0)
			seen[k] = true;
	}
}

/* A batched task */

struct engine_batch {
	size_t job;    /* which job */
	size_t k;      /* which LLM of its job */
	size_t *items; /* in the order sent */
	size_t n;
	char *user;
	int max_tokens;
	double estimate;
	bool reserved; /* the estimate is held in the ledger */
	bool roomier;  /* the retry of a reply cut at max_tokens */
};

/* A job's state beyond what the caller gave. */
struct engine_job_state {
	size_t **missing; /* per LLM: items a reply left out */
	size_t *nmissing;
};

struct engine_state {
	const struct engine_job *jobs;
	struct engine_job_state *js;
	size_t njobs;
	const struct engine_run *run;
	struct engine_batch *batches;
	size_t nbatches;
	struct engine_batch *cut; /* to send again with more room */
	size_t ncut;
	size_t done, failed;
	/* the batch being taken, for engine_take_one */
	struct engine_batch *cur;
	struct engine_share share;
};

static void engine_fail(struct engine_report *r, const char *why)
{
	if (!r->failed) {
		r->failed = true;
		snprintf(r->reason, sizeof r->reason, "%s", why);
	}
}

static const struct engine_task *engine_task_of(const struct engine_state *s,
                                                const struct engine_batch *b)
{
	return s->jobs[b->job].task;
}

static bool engine_may_send(void *ctx, size_t index)
{
	struct engine_state *s = ctx;
	struct engine_batch *b = &s->batches[index];
	struct engine_ledger *l = s->run->ledger;
	bool ok;

	if (!l)
		return true;
	if (b->reserved) /* a retry: its estimate is held already */
		ok = l->max_usd <= 0 || l->spent + l->reserved <= l->max_usd;
	else
		ok = b->reserved = engine_ledger_reserve(l, b->estimate);
	if (!ok) {
		l->hit = true;
		*s->jobs[b->job].budget_hit = true;
	}
	return ok;
}

static int engine_take_one(void *ctx, size_t k, json_t *answer)
{
	struct engine_state *s = ctx;
	const struct engine_task *t = engine_task_of(s, s->cur);

	s->share.place = k;
	return t->take(t->ctx, s->cur->k, s->cur->items[k], answer, &s->share);
}

static void engine_missing_add(struct engine_job_state *js, size_t k,
                               size_t item)
{
	js->missing[k] = xreallocarray(js->missing[k], js->nmissing[k] + 1,
	                               sizeof *js->missing[k]);
	js->missing[k][js->nmissing[k]++] = item;
}

static void engine_take_reply(struct engine_state *s, struct engine_batch *b,
                              const struct llm_result *lr)
{
	const struct engine_job *job = &s->jobs[b->job];
	const struct engine_task *t = job->task;
	json_t *root = json_loads(lr->json, 0, NULL), *arr;
	const char **ids = xcalloc(b->n + 1, sizeof *ids);
	bool *seen = xcalloc(b->n + 1, sizeof *seen);
	size_t i;

	arr = json_is_object(root) ? json_object_get(root, t->array) : NULL;
	if (!json_is_array(arr)) {
		char why[96];

		snprintf(why, sizeof why, "a reply without a %s array",
		         t->array);
		engine_fail(&job->reports[b->k], why);
		goto out;
	}
	for (i = 0; i < b->n; i++)
		ids[i] = t->id(t->ctx, b->items[i]);
	s->cur = b;
	s->share.raw = lr->raw;
	s->share.tokens_in = lr->tokens_in / (long)b->n;
	s->share.tokens_out = lr->tokens_out / (long)b->n;
	s->share.usd = llm_profile_cost(job->llms[b->k], s->share.tokens_in,
	                                s->share.tokens_out);
	engine_match_ids(arr, ids, b->n, seen, engine_take_one, s);
	for (i = 0; i < b->n; i++)
		if (!seen[i])
			engine_missing_add(&s->js[b->job], b->k, b->items[i]);
out:
	free(ids);
	free(seen);
	json_decref(root);
}

/* b's reply was cut at max_tokens: its items go again, alone, with twice
 * the room, their estimate the whole of that room (it will be long). */
static void engine_again_roomier(struct engine_state *s, struct engine_batch *b)
{
	struct engine_batch *again;

	s->cut = xreallocarray(s->cut, s->ncut + 1, sizeof *s->cut);
	again = &s->cut[s->ncut++];
	memset(again, 0, sizeof *again);
	again->job = b->job;
	again->k = b->k;
	again->items = b->items;
	again->n = b->n;
	again->user = b->user;
	again->max_tokens =
	        b->max_tokens > INT_MAX / 2 ? INT_MAX : 2 * b->max_tokens;
	again->estimate = engine_estimate(s->jobs[b->job].llms[b->k],
	                                  engine_task_of(s, b)->system, b->user,
	                                  again->max_tokens);
	again->roomier = true;
	b->items = NULL;
	b->user = NULL;
}

static void engine_done(void *ctx, size_t index, const struct llm_result *lr)
{
	struct engine_state *s = ctx;
	struct engine_batch *b = &s->batches[index];
	const struct engine_job *job = &s->jobs[b->job];
	struct engine_report *rep = &job->reports[b->k];
	const struct engine_task *t0 = s->jobs[0].task;
	double usd;

	s->done++;
	engine_account(job->llms[b->k], lr, &rep->use, &usd);
	if (s->run->ledger)
		engine_ledger_settle(s->run->ledger,
		                     b->reserved ? b->estimate : 0, usd);
	b->reserved = false;
	if (lr->error == LLM_ERR_BUDGET) {
		*job->budget_hit = true;
	} else if (lr->error == LLM_ERR_CUT && !b->roomier &&
	           !lr->cut_by_window) {
		engine_again_roomier(s, b);
	} else if (lr->error != LLM_OK) {
		s->failed++;
		engine_fail(rep, lr->message);
	} else {
		engine_take_reply(s, b, lr);
	}
	if (t0->progress)
		fprintf(stderr,
		        "\raidigest: %s: %zu/%zu requests, %zu failed\033[K",
		        t0->stage, s->done, s->nbatches, s->failed);
}

/* splitmix64: the engine's own PRNG, seeded, no global state */
static uint64_t engine_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static void engine_shuffle(size_t *v, size_t n, uint64_t seed)
{
	uint64_t st = seed;
	size_t i, k, tmp;

	for (i = n; i > 1; i--) {
		k = (size_t)(engine_rand(&st) % i);
		tmp = v[i - 1];
		v[i - 1] = v[k];
		v[k] = tmp;
	}
}

/* Batches of the items LLM k of job j is to answer, in its own order. */
static void engine_plan_llm(struct engine_state *s, size_t j, size_t k,
                            size_t *todo, size_t ntodo)
{
	const struct engine_task *t = s->jobs[j].task;
	size_t batch = t->batch ? t->batch : ENGINE_BATCH, off, m;

	if (t->shuffle)
		engine_shuffle(todo, ntodo,
		               (t->seed << 8) ^ (uint64_t)(k + 1) * 0x9E37);
	for (off = 0; off < ntodo; off += m) {
		struct engine_batch *b;

		m = ntodo - off < batch ? ntodo - off : batch;
		s->batches = xreallocarray(s->batches, s->nbatches + 1,
		                           sizeof *s->batches);
		b = &s->batches[s->nbatches++];
		memset(b, 0, sizeof *b);
		b->job = j;
		b->k = k;
		b->n = m;
		b->items = xcalloc(m, sizeof *b->items);
		memcpy(b->items, todo + off, m * sizeof *b->items);
		b->user = t->message(t->ctx, b->items, m);
		b->max_tokens = t->max_base + (int)m * t->max_per_item;
		b->estimate = engine_estimate(
		        s->jobs[j].llms[k], t->system, b->user,
		        t->est_base + (double)m * t->est_per_item);
	}
}

/* The first round: what the cache does not have; a retry: what the
 * replies left out (for the jobs that ask again). */
static void engine_plan(struct engine_state *s, size_t j, bool retry)
{
	const struct engine_job *job = &s->jobs[j];
	const struct engine_task *t = job->task;
	struct engine_job_state *js = &s->js[j];
	size_t *todo = xcalloc(job->nitems + 1, sizeof *todo), ntodo, k, i;

	for (k = 0; k < job->nllms; k++) {
		if (!job->llms[k] || job->reports[k].failed ||
		    (retry && !t->retry_missing))
			continue;
		ntodo = 0;
		if (retry) {
			for (i = 0; i < js->nmissing[k] && ntodo < job->nitems;
			     i++)
				todo[ntodo++] = js->missing[k][i];
			js->nmissing[k] = 0;
		} else {
			for (i = 0; i < job->nitems; i++) {
				if (t->cached &&
				    t->cached(t->ctx, k, job->items[i])) {
					job->reports[k].use.cached++;
					continue;
				}
				todo[ntodo++] = job->items[i];
			}
		}
		engine_plan_llm(s, j, k, todo, ntodo);
	}
	free(todo);
}

static void engine_batches_free(struct engine_state *s)
{
	size_t i;

	for (i = 0; i < s->nbatches; i++) {
		free(s->batches[i].items);
		free(s->batches[i].user);
	}
	free(s->batches);
	s->batches = NULL;
	s->nbatches = 0;
	s->done = s->failed = 0;
}

static int engine_send(struct engine_state *s, struct buf *err)
{
	const struct engine_task *t0 = s->jobs[0].task;
	struct llm_call *calls = xcalloc(s->nbatches + 1, sizeof *calls);
	struct llm_options opt;
	size_t i;
	int rc = 0;

	for (i = 0; i < s->nbatches; i++) {
		const struct engine_batch *b = &s->batches[i];
		const struct engine_task *t = engine_task_of(s, b);

		calls[i].ep = &s->jobs[b->job].llms[b->k]->ep;
		calls[i].system = t->system;
		calls[i].user = b->user;
		calls[i].schema_name = t->schema_name;
		calls[i].schema_json = t->schema_json;
		calls[i].max_tokens = b->max_tokens;
	}
	memset(&opt, 0, sizeof opt);
	opt.seed = t0->jitter;
	opt.may_send = engine_may_send;
	opt.done = engine_done;
	opt.ctx = s;
	if (s->nbatches && llm_call_all(calls, s->nbatches, &opt, err) != 0)
		rc = ERR_USAGE;
	if (t0->progress && s->nbatches)
		fputs("\r\033[K", stderr);
	free(calls);
	return rc;
}

/* One round of every job at once, then the cut replies with more room. */
static int engine_round(struct engine_state *s, bool retry, struct buf *err)
{
	size_t j;
	int rc;

	for (j = 0; j < s->njobs; j++)
		engine_plan(s, j, retry);
	rc = engine_send(s, err);
	engine_batches_free(s);
	s->batches = s->cut;
	s->nbatches = s->ncut;
	s->cut = NULL;
	s->ncut = 0;
	if (rc == 0)
		rc = engine_send(s, err);
	engine_batches_free(s);
	return rc;
}

int engine_ask_all(const struct engine_job *jobs, size_t njobs,
                   const struct engine_run *run, struct buf *err)
{
	struct engine_state s;
	size_t j, k;
	int rc;

	if (njobs == 0)
		return 0;
	memset(&s, 0, sizeof s);
	s.jobs = jobs;
	s.njobs = njobs;
	s.run = run;
	s.js = xcalloc(njobs, sizeof *s.js);
	for (j = 0; j < njobs; j++) {
		s.js[j].missing = xcalloc(jobs[j].nllms + 1, sizeof(size_t *));
		s.js[j].nmissing = xcalloc(jobs[j].nllms + 1, sizeof(size_t));
	}
	rc = engine_round(&s, false, err);
	if (rc == 0)
		rc = engine_round(&s, true, err);
	for (j = 0; j < njobs; j++) {
		for (k = 0; k < jobs[j].nllms; k++)
			free(s.js[j].missing[k]);
		free(s.js[j].missing);
		free(s.js[j].nmissing);
	}
	free(s.js);
	return rc;
}

int engine_ask(const struct engine_task *t,
               const struct llm_profile *const *llms, size_t n,
               const size_t *items, size_t nitems, const struct engine_run *run,
               struct engine_report *reports, bool *budget_hit, struct buf *err)
{
	struct engine_job job;

	job.task = t;
	job.llms = llms;
	job.nllms = n;
	job.items = items;
	job.nitems = nitems;
	job.reports = reports;
	job.budget_hit = budget_hit;
	return engine_ask_all(&job, 1, run, err);
}

/* One call */

/* The last reply of a call, and the tokens of every request it took. */
struct engine_reply {
	bool done;
	enum llm_error error;
	bool cut_by_window;
	char message[256];
	char *json, *raw;
	long tokens_in, tokens_out; /* all its requests' */
	int attempts;
};

static void engine_one_done(void *ctx, size_t index,
                            const struct llm_result *lr)
{
	struct engine_reply *rep = ctx;

	(void)index;
	rep->done = true;
	rep->error = lr->error;
	rep->cut_by_window = lr->cut_by_window;
	snprintf(rep->message, sizeof rep->message, "%s", lr->message);
	free(rep->json);
	free(rep->raw);
	rep->json = lr->json ? xstrdup(lr->json) : NULL;
	rep->raw = lr->raw ? xstrdup(lr->raw) : NULL;
	rep->tokens_in += lr->tokens_in;
	rep->tokens_out += lr->tokens_out;
	rep->attempts = lr->attempts;
}

/* Send call within the budget, its estimate counting out_tokens of
 * output, and account for it: false when it was not sent (why in note;
 * after a cut reply, cut is that reply's message). */
static bool engine_one_send(const struct engine_call *c,
                            const struct llm_call *call,
                            const struct engine_run *run, double out_tokens,
                            const char *cut, struct llm_usage *use,
                            struct engine_reply *rep, struct buf *note)
{
	struct llm_options opt;
	struct buf err = BUF_INIT(1024);
	long tin = rep->tokens_in, tout = rep->tokens_out;
	double estimate, left, usd;
	bool sent = false;

	estimate =
	        engine_estimate(c->llm, call->system, call->user, out_tokens);
	left = run->ledger ? engine_ledger_left(run->ledger) : 0;
	if (run->ledger && !engine_ledger_reserve(run->ledger, estimate)) {
		if (cut)
			buf_printf(
			        note,
			        "the LLM %s failed (%s); the budget has "
			        "$%.4f left, less than a call with more room "
			        "may cost ($%.4f)",
			        c->name, cut, left, estimate);
		else
			buf_printf(note,
			           "the budget has $%.4f left, less than the "
			           "%s's call may cost ($%.4f)",
			           left, c->name, estimate);
		goto out;
	}
	memset(&opt, 0, sizeof opt);
	opt.done = engine_one_done;
	opt.ctx = rep;
	rep->done = false;
	if (llm_call_all(call, 1, &opt, &err) != 0 || !rep->done) {
		buf_printf(note, "the LLM %s could not start (%s)", c->name,
		           buf_cstr(&err));
		if (run->ledger)
			engine_ledger_settle(run->ledger, estimate, 0);
		goto out;
	}
	usd = llm_profile_cost(c->llm, rep->tokens_in - tin,
	                       rep->tokens_out - tout);
	if (rep->attempts > 0)
		use->requests++;
	use->tokens_in += rep->tokens_in - tin;
	use->tokens_out += rep->tokens_out - tout;
	use->usd += usd;
	if (run->ledger)
		engine_ledger_settle(run->ledger, estimate, usd);
	sent = true;
out:
	buf_free(&err);
	return sent;
}

/* The max_tokens of a second call after a reply cut at c's first (twice
 * it, up to c's cap); 0 when that is no more room. */
static int engine_more_room(const struct engine_call *c, int first)
{
	int room = first > INT_MAX / 2 ? INT_MAX : 2 * first;

	if (c->max_tokens_cap > 0 && room > c->max_tokens_cap)
		room = c->max_tokens_cap;
	return room > first ? room : 0;
}

/* The cache key: who answers (the LLM's identity), and everything the
 * call sends that shapes the reply. */
static void engine_cache_key(const struct engine_call *c,
                             char key[HASH_HEX_LEN])
{
	char version[ENGINE_VERSION_MAX], n[32];
	uint64_t h = HASH_FNV_OFFSET;

	engine_cache_version(c->llm, c->version, version);
	snprintf(n, sizeof n, "%d", c->call.max_tokens);
	h = hash_fnv1a_field(h, n);
	h = hash_fnv1a_field(h, c->name);
	h = hash_fnv1a_field(h, version);
	h = hash_fnv1a_field(h, c->call.schema_name);
	h = hash_fnv1a_field(h, c->call.system);
	h = hash_fnv1a_field(h, c->call.user);
	hash_hex(h, key);
}

/* The reply, if its JSON is an object with the array `want`; else NULL. */
static json_t *engine_parse(const char *text, const char *want)
{
	json_t *root = text ? json_loads(text, 0, NULL) : NULL;

	if (json_is_object(root) && json_is_array(json_object_get(root, want)))
		return root;
	json_decref(root);
	return NULL;
}

static void engine_trouble(struct buf *trouble, const char *what,
                           struct store *st)
{
	buf_printf(trouble, "%sthe %s's cache could not be %s (%s)",
	           trouble->len ? "; " : "", "writer", what, store_error(st));
}

static json_t *engine_cached(const struct engine_call *c, struct store *st,
                             const char *key, struct buf *trouble)
{
	json_t *root = NULL;
	char *text = NULL;
	int rc = store_writing_get(st, key, &text);

	if (rc == 0)
		root = engine_parse(text, c->want);
	else if (rc != ERR_NOT_FOUND)
		engine_trouble(trouble, "read", st);
	free(text);
	return root;
}

static void engine_keep(const struct engine_call *c, struct store *st,
                        const char *key, const struct engine_reply *rep,
                        struct buf *trouble)
{
	struct store_writing w;

	memset(&w, 0, sizeof w);
	w.key = key;
	w.writer = c->name;
	w.prompt_version = c->version;
	w.reply = rep->json;
	w.raw = rep->raw;
	w.tokens_in = rep->tokens_in;
	w.tokens_out = rep->tokens_out;
	w.usd = llm_profile_cost(c->llm, rep->tokens_in, rep->tokens_out);
	w.at = (int64_t)time(NULL);
	if (store_writing_put(st, &w) != 0)
		engine_trouble(trouble, "written", st);
}

json_t *engine_call_one(const struct engine_call *c,
                        const struct engine_run *run, struct llm_usage *use,
                        bool *cached, struct buf *note, struct buf *trouble)
{
	struct engine_reply rep;
	struct llm_call call = c->call;
	json_t *root = NULL;
	char key[HASH_HEX_LEN], cut[sizeof rep.message];
	int room;

	static const struct engine_run none = {NULL, NULL};

	if (!run)
		run = &none;
	*cached = false;
	memset(&rep, 0, sizeof rep);
	call.ep = &c->llm->ep;
	if (call.max_tokens <= 0)
		call.max_tokens = LLM_MAX_TOKENS_DEFAULT;
	engine_cache_key(c, key);
	if (run->cache && (root = engine_cached(c, run->cache, key, trouble))) {
		*cached = true;
		use->cached++;
		goto out;
	}
	if (!engine_one_send(c, &call, run, c->est_out_tokens, NULL, use, &rep,
	                     note))
		goto out;
	/* cut at max_tokens: once more with more room, if there is any */
	if (rep.error == LLM_ERR_CUT && !rep.cut_by_window &&
	    (room = engine_more_room(c, call.max_tokens)) > 0) {
		snprintf(cut, sizeof cut, "%s", rep.message);
		call.max_tokens = room;
		if (!engine_one_send(c, &call, run, room, cut, use, &rep, note))
			goto out;
	}
	if (rep.error != LLM_OK) {
		buf_printf(note, "the LLM %s failed (%s)", c->name,
		           rep.message);
		goto out;
	}
	root = engine_parse(rep.json, c->want);
	if (!root) {
		buf_printf(note, "the LLM %s's reply has no %s", c->name,
		           c->want);
		goto out;
	}
	if (run->cache)
		engine_keep(c, run->cache, key, &rep, trouble);
out:
	free(rep.json);
	free(rep.raw);
	return root;
}
