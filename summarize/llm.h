#ifndef AIDIGEST_LLM_H
#define AIDIGEST_LLM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/ini.h"

/* LLM calls with structured (JSON schema) output, many at once over the
 * fetcher's HTTP pool (fetch/http.h, POST): OpenAI-compatible
 * `POST {base_url}/chat/completions` (Authorization: Bearer; response_format
 * json_schema, strict; max_tokens, which every compatible server takes,
 * not max_completion_tokens; temperature 0) and Anthropic
 * `POST {base_url}/messages` (x-api-key, anthropic-version 2023-06-01; the
 * schema as the input_schema of one tool that tool_choice forces, without
 * parallel tool use; the first block of that tool is the answer;
 * temperature 0). Replies are untrusted: size-capped, the JSON object
 * found even in prose or code fences, usage tokens read; a reply cut at
 * its output limit or the context window is an error, never part of an
 * answer. Keys never reach a message, a raw reply or a log; redirects are
 * not followed. */

enum llm_provider { LLM_OPENAI = 0, LLM_ANTHROPIC };

enum llm_error {
	LLM_OK = 0,
	LLM_ERR_AUTH,      /* 401/403: the key was refused (no retry); or
	                    * not sent: the key has a space or a control
	                    * character */
	LLM_ERR_HTTP,      /* another non-2xx status after the retries (a 3xx
	                    * too: redirects are not followed) */
	LLM_ERR_TRANSPORT, /* timeout, connection, deadline (fetch/http.h) */
	LLM_ERR_REPLY,     /* no JSON object in the reply, a refusal, a body
	                    * that is not JSON, or one over max_reply */
	LLM_ERR_BUDGET,    /* may_send said no: not sent, or not retried */
	LLM_ERR_CUT        /* the reply stopped at its output limit or the
	                    * context window (finish_reason length,
	                    * stop_reason max_tokens or
	                    * model_context_window_exceeded): no part of it
	                    * is taken; its tokens are billed */
};

/* OpenAI reasoning models (o1, o3, o4, gpt-5...) take
 * max_completion_tokens (with room for their reasoning) and no
 * temperature; auto: by the model's name. Other providers ignore it. */
enum llm_reasoning {
	LLM_REASONING_AUTO = 0,
	LLM_REASONING_YES,
	LLM_REASONING_NO
};

struct llm_endpoint {
	enum llm_provider provider;
	const char *base_url; /* e.g. https://api.openai.com/v1; the API's
	                       * path is appended (trailing '/' dropped) */
	const char *model;
	const char *api_key; /* NULL or "" for servers that need none
	                      * (Ollama) */
	long timeout;        /* seconds per attempt; 0: 60 */
	enum llm_reasoning reasoning;
	const char *reasoning_effort; /* minimal, low, medium, high; NULL:
	                               * the model's default */
	int concurrency; /* requests in flight at once for this endpoint,
	                  * whatever else shares its host; 0: 16 */
};

/* A configuration value of `reasoning` (auto, yes, no) or
 * `reasoning_effort` (minimal, low, medium, high); 0, or -1 when it is
 * none of those. */
int llm_reasoning_parse(const char *value, enum llm_reasoning *out);
int llm_effort_check(const char *value);
/* Whether the endpoint gets the reasoning models' request. */
bool llm_is_reasoning(const struct llm_endpoint *ep);

/* A configured LLM, as a [judge.NAME] or [writer] section gives it: the
 * endpoint, where its key comes from, and its prices. Strings owned. */
struct llm_profile {
	struct llm_endpoint ep;     /* base_url, model, api_key and
	                             * reasoning_effort are owned */
	char *api_key_env;          /* the variable holding the key, or NULL */
	double price_in, price_out; /* USD per million tokens */
};

/* "openai" or "anthropic"; 0, or -1 for anything else. */
int llm_provider_parse(const char *value, enum llm_provider *out);

/* The one table of endpoint keys: provider, base_url (http or https),
 * model, api_key_env, price_in, price_out, timeout (1-3600 s),
 * concurrency (1-256 requests in flight), reasoning, reasoning_effort. Sets the
 * key of e->section on p. Returns 0; ERR_NOT_FOUND when e->key is not one of
 * them (the caller may know it); ERR_PARSE with "FILE:LINE: [SECTION] ..." in
 * err for a bad value. */
MUST_CHECK int llm_profile_key(struct llm_profile *p, const struct ini_entry *e,
                               const char *file, struct buf *err);

/* After the keys: the provider's base URL when none was given, and the
 * key from $api_key_env. Returns 0, or ERR_NOT_FOUND when that variable
 * is unset or empty (the caller leaves the LLM out with a notice). */
MUST_CHECK int llm_profile_finish(struct llm_profile *p);

/* Free the strings (the key wiped first); p is zeroed. */
void llm_profile_free(struct llm_profile *p);

/* Who answers for p, as a hash (common/hash.h) for every cache key of an
 * LLM's answers: the provider, base_url (trailing '/' dropped), model and
 * the reasoning settings that change the request (llm_is_reasoning, and
 * then reasoning_effort). Not the key, the prices or the timeout, which
 * change no answer. Another model or endpoint is another LLM. */
uint64_t llm_profile_identity(const struct llm_profile *p);

/* What tokens_in and tokens_out cost at p's prices, in USD. */
double llm_profile_cost(const struct llm_profile *p, long tokens_in,
                        long tokens_out);

#define LLM_MAX_TOKENS_DEFAULT 4096

/* One request: a system prompt, a user message, and the JSON schema the
 * reply must follow (schema_json is a JSON Schema object as text). ep,
 * base_url, model, user, schema_name (1-64 of [A-Za-z0-9_-]: the name of
 * the response format or the tool) and schema_json are required. Text
 * that is not valid UTF-8 is sent with U+FFFD in its place. */
struct llm_call {
	const struct llm_endpoint *ep;
	const char *system; /* NULL or "": none */
	const char *user;
	const char *schema_name;
	const char *schema_json;
	int max_tokens; /* 0: LLM_MAX_TOKENS_DEFAULT */
};

/* Strings are owned by the library and freed after done() returns. */
struct llm_result {
	enum llm_error error;
	long status;       /* HTTP status of the last attempt, 0 without
	                    * a response */
	char message[256]; /* why it failed, for a person ("HTTP 500:
	                    * Internal server error", "timed out after
	                    * 60 s"); "" on LLM_OK */
	char *json;        /* the reply's JSON object (text), non-NULL
	                    * exactly on LLM_OK; from Anthropic the
	                    * tool's input, serialized compactly */
	char *raw;         /* the last response body as received, the key
	                    * taken out, cut to 64 KiB; NULL without one */
	long tokens_in, tokens_out; /* usage as the server reported it (also
	                             * on LLM_ERR_REPLY and LLM_ERR_CUT: they
	                             * are billed); absent or negative: 0; at
	                             * most 1e9 */
	int attempts;               /* attempts sent (0: none) */
	double seconds;
	bool cut_by_window; /* LLM_ERR_CUT by the context window: a larger
	                     * max_tokens cannot help */
};

/* Called once per call as it completes; the result is freed after. */
typedef void (*llm_done_fn)(void *ctx, size_t index,
                            const struct llm_result *r);

struct llm_options {
	int max_transfers;   /* 0: every call at once, up to 64; each
	                      * endpoint still at most its concurrency */
	int max_per_host;    /* unused: an endpoint's concurrency limits its
	                      * calls, not the host it shares with others */
	long deadline;       /* s for all calls; 0: 300 */
	int max_retries;     /* 0: 2, -1: none; on 408, 409, 429, 5xx and
	                      * 529, waiting retry-after-ms or Retry-After
	                      * (up to 60 s) or backing off; never on 401 */
	size_t max_reply;    /* bytes; 0: 1 MiB */
	double backoff_base; /* s; 0: 1.0 */
	unsigned seed;       /* jitter; 0: from the clock */
	/* Right before each attempt of a call (the first and each retry) is
	 * handed to the pool, from llm_call_all's loop: return false to not
	 * send it (the call then completes with LLM_ERR_BUDGET); calls
	 * already running finish. NULL: always send. */
	bool (*may_send)(void *ctx, size_t index);
	llm_done_fn done;
	void *ctx;
};

/* Run the calls concurrently; opt->done once per call, in completion
 * order, from this thread. opt NULL: all defaults. Returns 0, or -1 and
 * no done() call when nothing could start: a call lacks a required field
 * or its schema_json is not a JSON object ("LLM call 3: no model"), or
 * libcurl failed (err, if not NULL, says why). */
MUST_CHECK int llm_call_all(const struct llm_call *calls, size_t n,
                            const struct llm_options *opt, struct buf *err);

/* The first complete JSON object in text[0..n) (prose, ```json fences and
 * leading/trailing chatter tolerated) as a new string (free() it); NULL
 * when none. The candidates are the top-level {...} spans, braces in
 * strings skipped, each checked with jansson; an object inside a span
 * that never closes (a reply cut short) is not taken. Linear in n. */
char *llm_extract_json(const char *text, size_t n);

/* The request body llm_call_all sends for a call (for tests and for
 * estimating tokens), without the key; caller frees; NULL when a required
 * field is missing or schema_json is not a JSON object. */
char *llm_request_body(const struct llm_call *call);

#endif
