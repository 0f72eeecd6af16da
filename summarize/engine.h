#ifndef AIDIGEST_ENGINE_H
#define AIDIGEST_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/buf.h"
#include "common/err.h"
#include "summarize/llm.h"

/* The one engine every LLM stage (ranking, writing, verification) sends
 * its calls through: it plans batches, sends them all at once within the
 * run's budget, matches replies to what was asked by id, accounts tokens
 * and cost, and consults the stage's cache. One ledger per run holds the
 * budget every stage draws from and the run's total cost. */

struct store;

/* Requests, tokens and cost of a judge, a writer, a stage. */
struct llm_usage {
	long requests; /* sent (a call refused by the budget is not) */
	long cached;   /* answers taken from the cache instead */
	long tokens_in, tokens_out;
	double usd;
};

void llm_usage_add(struct llm_usage *to, const struct llm_usage *from);

/* The run's budget and spending. */
struct engine_ledger {
	double max_usd;  /* 0: no budget */
	double spent;    /* USD billed by every call of the run */
	double reserved; /* estimates of the calls in flight */
	bool hit;        /* a call was not sent for the budget */
};

void engine_ledger_init(struct engine_ledger *l, double max_usd);
/* Reserve a call's estimate: true when it fits what is left (always,
 * without a budget); false sets hit. */
bool engine_ledger_reserve(struct engine_ledger *l, double estimate);
/* A call ended: its reservation (0 if none) released, usd spent. */
void engine_ledger_settle(struct engine_ledger *l, double reserved, double usd);
/* What may still be spent; INFINITY without a budget. */
double engine_ledger_left(const struct engine_ledger *l);

/* The version a stage keeps LLM llm's answers under in its cache:
 * "VERSION@IDENTITY", the stage's prompt version and the LLM's identity
 * (llm_profile_identity) in 16 hex digits. The caches key on (what was
 * asked about, who asked, this): another model, endpoint or reasoning
 * setting under the same name is asked again, and the name stays a
 * name. */
#define ENGINE_VERSION_MAX 64
void engine_cache_version(const struct llm_profile *llm, const char *version,
                          char out[ENGINE_VERSION_MAX]);

/* What one run's stages share: the store for their caches (NULL: no
 * cache) and the ledger. */
struct engine_run {
	struct store *cache;
	struct engine_ledger *ledger; /* NULL: no budget, nothing totalled */
};

/* An item's share of the request that answered it, for its cache row. */
struct engine_share {
	const char *raw; /* the whole reply body */
	long tokens_in, tokens_out;
	double usd;
	size_t place; /* the item's place in the batch it was sent in,
	               * 0 first (a judge's position bias) */
};

/* One stage's question, put to several LLMs about many items (stories,
 * texts): each LLM gets the items it has no cached answer for, in batches,
 * in its own seeded order; the reply is {"ARRAY": [{"id": ...}, ...]}. */
struct engine_task {
	const char *stage;       /* "rank": the progress line's name */
	const char *system;      /* the prompt */
	const char *schema_name; /* the reply's JSON schema */
	const char *schema_json;
	const char *array; /* the reply's key of the answers */
	size_t batch;      /* items a request; 0: 20 */
	/* output tokens: max_tokens = max_base + n * max_per_item; the
	 * estimate counts est_base + n * est_per_item at the output price
	 * and the prompt's bytes / 4 at the input price */
	int max_base, max_per_item, est_base, est_per_item;
	bool shuffle; /* each LLM its own order, from seed */
	uint64_t seed;
	unsigned jitter;    /* the client's retry jitter seed; 0: clock */
	bool retry_missing; /* ask once more for items a reply left out */
	bool progress;      /* a progress line on stderr */
	void *ctx;
	/* The user message of a batch (a new string). */
	char *(*message)(void *ctx, const size_t *items, size_t n);
	/* An item's id as sent. */
	const char *(*id)(void *ctx, size_t item);
	/* Whether LLM k's answer on item is in the cache (the stage has
	 * taken it); NULL: no cache. */
	bool (*cached)(void *ctx, size_t k, size_t item);
	/* LLM k's answer on item: 0 when taken, nonzero when it cannot
	 * stand (then the item counts as unanswered). */
	int (*take)(void *ctx, size_t k, size_t item, json_t *answer,
	            const struct engine_share *share);
};

/* How each LLM of a task fared. */
struct engine_report {
	struct llm_usage use;
	bool failed;      /* a call failed or its reply had no answers */
	char reason[256]; /* the first failure's, for a person */
};

/* Put t to the LLMs llms[0..n) (a NULL entry, or one whose report says
 * failed, is left out) about items[0..nitems), with reports[0..n) updated.
 * A batch whose reply was cut at max_tokens is sent once more with twice
 * the room, that call's estimate (all of its room) reserved like any; a
 * reply cut again, or by the context window, fails its LLM.
 * Sets *budget_hit when a call was not sent for the budget. Returns 0, or
 * ERR_USAGE (err) when the calls could not start. */
MUST_CHECK int engine_ask(const struct engine_task *t,
                          const struct llm_profile *const *llms, size_t n,
                          const size_t *items, size_t nitems,
                          const struct engine_run *run,
                          struct engine_report *reports, bool *budget_hit,
                          struct buf *err);

/* One task put to its LLMs about its items, as engine_ask takes them. */
struct engine_job {
	const struct engine_task *task;
	const struct llm_profile *const *llms;
	size_t nllms;
	const size_t *items;
	size_t nitems;
	struct engine_report *reports;
	bool *budget_hit;
};

/* Several tasks at once, their requests all in flight together (the
 * ranking and the same-event vote overlap); each as engine_ask. The
 * first task's stage and progress name the line. Returns 0, or ERR_USAGE
 * (err) when the calls could not start. */
MUST_CHECK int engine_ask_all(const struct engine_job *jobs, size_t njobs,
                              const struct engine_run *run, struct buf *err);

/* One call whose whole reply is the answer (the writer's). */
struct engine_call {
	const struct llm_profile *llm;
	const char *name;      /* who asks: part of the cache key */
	const char *version;   /* the prompt's version: part of it too */
	struct llm_call call;  /* ep is set from llm */
	const char *want;      /* the reply's array that must be there */
	double est_out_tokens; /* for the estimate */
	int max_tokens_cap;    /* the most max_tokens a second call after a
	                        * cut reply asks for; 0: no cap */
};

/* Ask c (run NULL: no cache, no budget), or take its answer from run->cache
 * when the same call was answered before (*cached); the key is c's name, the
 * LLM's identity (engine_cache_version), the prompt's version and what the
 * call sends. A reply cut at max_tokens is asked once more with twice the
 * room (up to max_tokens_cap), that call reserved in the ledger like the
 * first. Returns the reply's JSON object (json_decref it), or NULL with why in
 * note: the budget, a failure, a reply without `want`. Usage goes to use;
 * trouble with the cache (never fatal) to trouble. */
json_t *engine_call_one(const struct engine_call *c,
                        const struct engine_run *run, struct llm_usage *use,
                        bool *cached, struct buf *note, struct buf *trouble);

/* For each answer in arr ({"id": ...} objects) whose id is ids[k] and
 * was not matched before: fn(ctx, k, answer), and seen[k] set when fn
 * took it (returned 0). Unknown ids are dropped; a repeated id keeps
 * its first answer that stood. */
void engine_match_ids(json_t *arr, const char *const *ids, size_t n, bool *seen,
                      int (*fn)(void *ctx, size_t k, json_t *answer),
                      void *ctx);

#endif
