#ifndef AIDIGEST_LLM_H
#define AIDIGEST_LLM_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"

/* LLM calls with structured (JSON schema) output, many at once over the
 * fetcher's HTTP pool (fetch/http.h, POST): OpenAI-compatible
 * `POST {base_url}/chat/completions` (Authorization: Bearer; response_format
 * json_schema) and Anthropic `POST {base_url}/messages` (x-api-key,
 * anthropic-version; the schema as a forced tool). Replies are untrusted:
 * size-capped, the JSON object found even in prose or code fences,
 * usage tokens read. Keys never reach a message or a log. */

enum llm_provider { LLM_OPENAI = 0, LLM_ANTHROPIC };

enum llm_error {
	LLM_OK = 0,
	LLM_ERR_AUTH,      /* 401/403: the key was refused */
	LLM_ERR_HTTP,      /* another non-2xx status after the retries */
	LLM_ERR_TRANSPORT, /* timeout, connection, deadline (fetch/http.h) */
	LLM_ERR_REPLY,     /* no JSON object in the reply, or refused */
	LLM_ERR_BUDGET     /* not sent: the budget was spent */
};

struct llm_endpoint {
	enum llm_provider provider;
	const char *base_url; /* e.g. https://api.openai.com/v1 */
	const char *model;
	const char *api_key;  /* NULL for servers that need none (Ollama) */
	long timeout;         /* seconds per attempt; 0: 60 */
};

/* One request: a system prompt, a user message, and the JSON schema the
 * reply must follow (schema_json is a JSON Schema object as text). */
struct llm_call {
	const struct llm_endpoint *ep;
	const char *system;
	const char *user;
	const char *schema_name;
	const char *schema_json;
	int max_tokens;       /* 0: 4096 */
};

struct llm_result {
	enum llm_error error;
	long status;          /* HTTP status, 0 without a response */
	char message[256];    /* why it failed, for a person */
	char *json;           /* the reply's JSON object (text), or NULL */
	char *raw;            /* the reply body as received (capped) */
	long tokens_in, tokens_out;
	int attempts;
	double seconds;
};

/* Called once per call as it completes; the result is freed after. */
typedef void (*llm_done_fn)(void *ctx, size_t index,
			    const struct llm_result *r);

struct llm_options {
	int max_transfers;    /* 0: 16 */
	int max_per_host;     /* 0: 8 (an API takes many at once) */
	long deadline;        /* s for all calls; 0: 300 */
	int max_retries;      /* 0: 2; on 408, 409, 429, 5xx, 529 */
	size_t max_reply;     /* bytes; 0: 1 MiB */
	double backoff_base;  /* s; 0: 1.0 */
	unsigned seed;        /* jitter */
	/* Before each call is sent: return false to not send it (it then
	 * completes with LLM_ERR_BUDGET). */
	bool (*may_send)(void *ctx, size_t index);
	llm_done_fn done;
	void *ctx;
};

/* Run the calls concurrently; opt->done once per call. Returns 0, or -1
 * when nothing could start (err says why). */
int llm_call_all(const struct llm_call *calls, size_t n,
		 const struct llm_options *opt, struct buf *err);

/* The first complete JSON object in text (prose, ```json fences and
 * leading/trailing chatter tolerated), as a new string; NULL when none. */
char *llm_extract_json(const char *text, size_t n);

/* The request body llm_call_all sends for a call (for tests and for
 * estimating tokens); caller frees. */
char *llm_request_body(const struct llm_call *call);

#endif
