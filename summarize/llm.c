#include "summarize/llm.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "common/xalloc.h"
#include "fetch/http.h"

#define LLM_TIMEOUT_DEFAULT 60
/* Output tokens a reasoning model may spend thinking, on top of the
 * answer's own (a cap, not a cost). */
#define LLM_REASONING_ROOM 8192
#define LLM_MAX_REPLY_DEFAULT ((size_t)1 << 20)
#define LLM_RAW_MAX ((size_t)64 << 10)
#define LLM_SCHEMA_NAME_MAX 64
#define LLM_PROVIDER_TEXT_MAX 160 /* bytes of a server's error message */
#define LLM_TOKENS_MAX 1000000000L
#define LLM_REDACTED "[redacted]"
#define LLM_TOOL_DESCRIPTION                                                   \
	"Record the answer. Its input is the whole reply and must follow "     \
	"the schema."

/* What differs between the two APIs, request and reply. */
static const struct llm_api {
	enum llm_provider provider;
	const char *name;
	const char *path;        /* appended to base_url */
	const char *auth_prefix; /* the key follows */
	const char *extra_header;
	const char *tokens_in, *tokens_out; /* fields of "usage" */
} llm_apis[] = {
        {LLM_OPENAI, "openai", "/chat/completions", "Authorization: Bearer ",
         NULL, "prompt_tokens", "completion_tokens"},
        {LLM_ANTHROPIC, "anthropic", "/messages", "x-api-key: ",
         "anthropic-version: 2023-06-01", "input_tokens", "output_tokens"},
};

/* One call's request, as handed to the pool. */
struct llm_job {
	char *url;
	char *body;
	char *headers[4]; /* NULL-ended */
	bool refused;     /* not sent: the key cannot be a header */
	char group[32];   /* the endpoint's concurrency group */
};

struct llm_run {
	const struct llm_call *calls;
	struct llm_options opt; /* defaults filled in */
	size_t *call_of;        /* pool request -> call index */
};

static const struct llm_api *llm_api_of(enum llm_provider p)
{
	size_t i;

	for (i = 0; i < sizeof llm_apis / sizeof llm_apis[0]; i++)
		if (llm_apis[i].provider == p)
			return &llm_apis[i];
	return NULL;
}

/* A JSON string of s, invalid UTF-8 replaced (feed text may carry it). */
static json_t *llm_json_text(const char *s)
{
	struct buf b = BUF_INIT(0);
	json_t *v;

	utf8_sanitize_append(&b, s, strlen(s));
	v = json_stringn(buf_cstr(&b), b.len);
	buf_free(&b);
	return v;
}

static bool llm_schema_name_ok(const char *name)
{
	size_t i, n;

	if (!name)
		return false;
	n = strlen(name);
	if (n == 0 || n > LLM_SCHEMA_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* Why a call cannot be made at all, or NULL; *schema gets the parsed
 * schema when it is fine (the caller owns it). */
static const char *llm_call_problem(const struct llm_call *call,
                                    json_t **schema)
{
	*schema = NULL;
	if (!call || !call->ep)
		return "no endpoint";
	if (!llm_api_of(call->ep->provider))
		return "unknown provider";
	if (!call->ep->base_url || !*call->ep->base_url)
		return "no base_url";
	if (!call->ep->model || !*call->ep->model)
		return "no model";
	if (!call->user)
		return "no user message";
	if (!llm_schema_name_ok(call->schema_name))
		return "schema_name is not 1-64 of [A-Za-z0-9_-]";
	if (!call->schema_json)
		return "no schema_json";
	*schema = json_loads(call->schema_json, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(*schema)) {
		json_decref(*schema);
		*schema = NULL;
		return "schema_json is not a JSON object";
	}
	return NULL;
}

static int llm_max_tokens(const struct llm_call *call)
{
	return call->max_tokens > 0 ? call->max_tokens : LLM_MAX_TOKENS_DEFAULT;
}

static json_t *llm_message(const char *role, const char *text)
{
	return json_pack("{s:s, s:o}", "role", role, "content",
	                 llm_json_text(text));
}

int llm_reasoning_parse(const char *value, enum llm_reasoning *out)
{
	if (strcmp(value, "auto") == 0)
		*out = LLM_REASONING_AUTO;
	else if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0)
		*out = LLM_REASONING_YES;
	else if (strcmp(value, "no") == 0 || strcmp(value, "false") == 0)
		*out = LLM_REASONING_NO;
	else
		return -1;
	return 0;
}

int llm_effort_check(const char *value)
{
	static const char *const efforts[] = {"minimal", "low", "medium",
	                                      "high"};
	size_t i;

	for (i = 0; i < sizeof efforts / sizeof *efforts; i++)
		if (strcmp(value, efforts[i]) == 0)
			return 0;
	return -1;
}

bool llm_is_reasoning(const struct llm_endpoint *ep)
{
	static const char *const prefixes[] = {"o1", "o3", "o4", "gpt-5"};
	const char *m = ep->model ? ep->model : "";
	size_t i, n;

	if (ep->provider != LLM_OPENAI || ep->reasoning == LLM_REASONING_NO)
		return false;
	if (ep->reasoning == LLM_REASONING_YES)
		return true;
	/* a provider's prefix ("openai/o3-mini") does not hide the model */
	if (strrchr(m, '/'))
		m = strrchr(m, '/') + 1;
	for (i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
		n = strlen(prefixes[i]);
		if (strncmp(m, prefixes[i], n) == 0 &&
		    (m[n] == '\0' || m[n] == '-' || m[n] == '.'))
			return true;
	}
	return false;
}

/* OpenAI: the schema as a strict json_schema response format. A
 * reasoning model gets max_completion_tokens with room for its
 * reasoning, and no temperature (it takes only the default). */
static json_t *llm_body_openai(const struct llm_call *call, json_t *schema)
{
	json_t *messages = json_array(), *root;

	if (call->system && *call->system)
		json_array_append_new(messages,
		                      llm_message("system", call->system));
	json_array_append_new(messages, llm_message("user", call->user));
	root = json_pack("{s:o, s:o, s:{s:s, s:{s:s, s:o, s:b}}}", "model",
	                 llm_json_text(call->ep->model), "messages", messages,
	                 "response_format", "type", "json_schema",
	                 "json_schema", "name", call->schema_name, "schema",
	                 schema, "strict", 1);
	if (!root)
		return NULL;
	if (llm_is_reasoning(call->ep)) {
		json_object_set_new(root, "max_completion_tokens",
		                    json_integer(llm_max_tokens(call) +
		                                 LLM_REASONING_ROOM));
		if (call->ep->reasoning_effort)
			json_object_set_new(
			        root, "reasoning_effort",
			        json_string(call->ep->reasoning_effort));
	} else {
		json_object_set_new(root, "max_tokens",
		                    json_integer(llm_max_tokens(call)));
		json_object_set_new(root, "temperature", json_real(0.0));
	}
	return root;
}

/* Anthropic: the schema as the input of one tool the model must use, in
 * one block (no parallel tool use). */
static json_t *llm_body_anthropic(const struct llm_call *call, json_t *schema)
{
	json_t *root, *messages = json_array();

	json_array_append_new(messages, llm_message("user", call->user));
	root = json_pack("{s:o, s:i, s:f, s:o, s:[{s:s, s:s, s:o}], "
	                 "s:{s:s, s:s, s:b}}",
	                 "model", llm_json_text(call->ep->model), "max_tokens",
	                 llm_max_tokens(call), "temperature", 0.0, "messages",
	                 messages, "tools", "name", call->schema_name,
	                 "description", LLM_TOOL_DESCRIPTION, "input_schema",
	                 schema, "tool_choice", "type", "tool", "name",
	                 call->schema_name, "disable_parallel_tool_use", 1);
	if (root && call->system && *call->system)
		json_object_set_new(root, "system",
		                    llm_json_text(call->system));
	return root;
}

char *llm_request_body(const struct llm_call *call)
{
	json_t *schema, *root;
	char *text = NULL, *out = NULL;

	if (llm_call_problem(call, &schema))
		return NULL;
	/* json_pack's "o" hands the schema's reference to the body */
	if (call->ep->provider == LLM_ANTHROPIC)
		root = llm_body_anthropic(call, schema);
	else
		root = llm_body_openai(call, schema);
	if (root)
		text = json_dumps(root, JSON_COMPACT);
	if (text)
		out = xstrdup(text);
	free(text);
	json_decref(root);
	return out;
}

/* s[0..n) (a span from '{' to '}') is the text of a JSON object. Most
 * braces in prose ("{id}") fail the first look, before jansson. A NUL is
 * refused: jansson reads it between tokens, and the span is returned as
 * a C string. */
static bool llm_is_json_object(const char *s, size_t n)
{
	size_t i = 1;
	json_t *v;
	bool ok;

	while (i < n &&
	       (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	if (i >= n || (s[i] != '"' && s[i] != '}') || memchr(s, '\0', n))
		return false;
	v = json_loadb(s, n, 0, NULL);
	ok = json_is_object(v);
	json_decref(v);
	return ok;
}

/* Candidates are the top-level {...} spans: from a '{' outside any span to
 * its matching '}', braces inside strings skipped; one pass, each byte
 * looked at once and each span parsed once. An object inside a span that
 * never closes is not taken: a reply cut short must not pass for one of
 * its parts. */
char *llm_extract_json(const char *text, size_t n)
{
	size_t i = 0, start, depth;
	const char *p;
	bool in_string, escaped;

	if (!text)
		return NULL;
	while (i < n && (p = memchr(text + i, '{', n - i))) {
		start = (size_t)(p - text);
		depth = 0;
		in_string = escaped = false;
		for (i = start; i < n; i++) {
			char c = text[i];

			if (in_string) {
				if (escaped)
					escaped = false;
				else if (c == '\\')
					escaped = true;
				else if (c == '"')
					in_string = false;
			} else if (c == '"') {
				in_string = true;
			} else if (c == '{') {
				depth++;
			} else if (c == '}' && --depth == 0) {
				break;
			}
		}
		if (i >= n)
			return NULL;
		if (llm_is_json_object(text + start, i - start + 1))
			return xstrndup(text + start, i - start + 1);
		i++;
	}
	return NULL;
}

/* s with every occurrence of key replaced, as a new string. */
static char *llm_redact(const char *s, size_t n, const char *key)
{
	struct buf out = BUF_INIT(0);
	size_t klen = key ? strlen(key) : 0, i = 0;

	while (i < n) {
		const char *hit = klen ? memmem(s + i, n - i, key, klen) : NULL;
		size_t upto = hit ? (size_t)(hit - s) : n;

		buf_append(&out, s + i, upto - i);
		if (!hit)
			break;
		buf_puts(&out, LLM_REDACTED);
		i = upto + klen;
	}
	return buf_detach(&out);
}

/* Set r->message from a format, with the key taken out before it is cut
 * to size (a cut must not leave part of a key behind). */
static void llm_set_message(struct llm_result *r, const char *key,
                            const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void llm_set_message(struct llm_result *r, const char *key,
                            const char *fmt, ...)
{
	struct buf full = BUF_INIT(0), cut = BUF_INIT(0);
	char *clean;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&full, fmt, ap);
	va_end(ap);
	clean = llm_redact(buf_cstr(&full), full.len, key);
	utf8_append_cut(&cut, clean ? clean : "", sizeof r->message - 1);
	snprintf(r->message, sizeof r->message, "%s", buf_cstr(&cut));
	free(clean);
	buf_free(&full);
	buf_free(&cut);
}

/* A server's words for a person: the key taken out, then the first bytes
 * of the text, one line, control characters as spaces. Caller frees. */
static char *llm_quote(const char *s, const char *key)
{
	struct buf b = BUF_INIT(0);
	char *clean = llm_redact(s, strlen(s), key), *p;

	utf8_append_cut(&b, clean, LLM_PROVIDER_TEXT_MAX);
	for (p = b.data; p && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	free(clean);
	return buf_detach(&b);
}

/* error.message of both APIs' error bodies, or NULL; a root that is an
 * array (Gemini's OpenAI-compatible endpoint: [{"error": {...}}]) by its
 * first element. */
static const char *llm_error_text(json_t *root)
{
	if (json_is_array(root))
		root = json_array_get(root, 0);
	return json_string_value(
	        json_object_get(json_object_get(root, "error"), "message"));
}

static long llm_tokens(json_t *usage, const char *field)
{
	json_t *v = json_object_get(usage, field);
	json_int_t t;

	if (!json_is_integer(v))
		return 0;
	t = json_integer_value(v);
	if (t < 0)
		return 0;
	return t > LLM_TOKENS_MAX ? LLM_TOKENS_MAX : (long)t;
}

/* The text of an OpenAI content: a string, or the text of its parts. */
static void llm_openai_content(json_t *content, struct buf *out)
{
	size_t i;
	json_t *part;

	if (json_is_string(content)) {
		buf_append(out, json_string_value(content),
		           json_string_length(content));
		return;
	}
	json_array_foreach(content, i, part)
	{
		json_t *text = json_object_get(part, "text");

		if (json_is_string(text))
			buf_append(out, json_string_value(text),
			           json_string_length(text));
	}
}

/* The finish_reason (OpenAI) and stop_reason (Anthropic) values of a
 * reply that stopped before its end. OpenAI's "length" is the output
 * limit or the context window: it does not say which. */
static const struct {
	const char *reason;
	bool window; /* the context window: more max_tokens cannot help */
} llm_cut_reasons[] = {
        {"length", false},
        {"max_tokens", false},
        {"model_context_window_exceeded", true},
};

/* Whether reason says the reply was cut: then an error, whatever JSON
 * it has, as no part of it can be told whole (field names the reason's
 * field in the message). */
static bool llm_is_cut(struct llm_result *r, const struct llm_call *call,
                       const char *field, const char *reason)
{
	const char *key = call->ep->api_key;
	bool reasoning = llm_is_reasoning(call->ep), window;
	size_t i, n = sizeof llm_cut_reasons / sizeof *llm_cut_reasons;

	for (i = 0; reason && i < n; i++)
		if (strcmp(reason, llm_cut_reasons[i].reason) == 0)
			break;
	if (!reason || i == n)
		return false;
	window = llm_cut_reasons[i].window;
	r->error = LLM_ERR_CUT;
	r->cut_by_window = window;
	if (window)
		llm_set_message(r, key,
		                "the reply was cut short by the context window "
		                "(%s %s)",
		                field, reason);
	else
		llm_set_message(
		        r, key, "the reply was cut short at %s %d (%s %s)",
		        reasoning ? "max_completion_tokens" : "max_tokens",
		        llm_max_tokens(call) +
		                (reasoning ? LLM_REASONING_ROOM : 0),
		        field, reason);
	return true;
}

static void llm_read_openai(const struct llm_call *call, json_t *root,
                            struct llm_result *r)
{
	json_t *choice = json_array_get(json_object_get(root, "choices"), 0);
	json_t *message = json_object_get(choice, "message");
	const char *refusal =
	        json_string_value(json_object_get(message, "refusal"));
	const char *finish =
	        json_string_value(json_object_get(choice, "finish_reason"));
	const char *key = call->ep->api_key;
	struct buf text = BUF_INIT(0);
	char *quoted;

	if (!json_is_object(message)) {
		r->error = LLM_ERR_REPLY;
		llm_set_message(r, key, "no choices[0].message in the reply");
		goto out;
	}
	if (refusal && *refusal) {
		quoted = llm_quote(refusal, key);
		r->error = LLM_ERR_REPLY;
		llm_set_message(r, key, "refused: %s", quoted);
		free(quoted);
		goto out;
	}
	if (llm_is_cut(r, call, "finish_reason", finish))
		goto out;
	llm_openai_content(json_object_get(message, "content"), &text);
	r->json = llm_extract_json(buf_cstr(&text), text.len);
	if (!r->json) {
		quoted = llm_quote(finish ? finish : "none", key);
		r->error = LLM_ERR_REPLY;
		llm_set_message(
		        r, key,
		        "no JSON object in the reply (finish_reason %s)",
		        quoted);
		free(quoted);
	}
out:
	buf_free(&text);
}

/* The forced tool's input (the first block of the tool named
 * schema_name, else the first tool_use), else a JSON object in the text
 * blocks. A reply cut at max_tokens or by the context window is none. */
static void llm_read_anthropic(const struct llm_call *call, json_t *root,
                               struct llm_result *r)
{
	json_t *content = json_object_get(root, "content"), *block;
	json_t *input = NULL;
	const char *stop =
	        json_string_value(json_object_get(root, "stop_reason"));
	const char *key = call->ep->api_key;
	struct buf text = BUF_INIT(0);
	char *dumped, *quoted;
	bool named = false;
	size_t i;

	if (stop && strcmp(stop, "refusal") == 0) {
		r->error = LLM_ERR_REPLY;
		llm_set_message(r, key, "refused (stop_reason refusal)");
		return;
	}
	if (llm_is_cut(r, call, "stop_reason", stop))
		return;
	json_array_foreach(content, i, block)
	{
		const char *type =
		        json_string_value(json_object_get(block, "type"));
		const char *name =
		        json_string_value(json_object_get(block, "name"));
		json_t *in = json_object_get(block, "input");
		bool ours = name && strcmp(name, call->schema_name) == 0;

		if (!type)
			continue;
		if (strcmp(type, "tool_use") == 0 && json_is_object(in) &&
		    !named && (!input || ours)) {
			input = in;
			named = ours;
		}
		if (strcmp(type, "text") == 0) {
			json_t *t = json_object_get(block, "text");

			if (json_is_string(t))
				buf_append(&text, json_string_value(t),
				           json_string_length(t));
		}
	}
	if (input) {
		dumped = json_dumps(input, JSON_COMPACT);
		if (dumped)
			r->json = xstrdup(dumped);
		free(dumped);
	} else {
		r->json = llm_extract_json(buf_cstr(&text), text.len);
	}
	if (!r->json) {
		quoted = llm_quote(stop ? stop : "none", key);
		r->error = LLM_ERR_REPLY;
		llm_set_message(r, key,
		                "no JSON object in the reply (stop_reason %s)",
		                quoted);
		free(quoted);
	}
	buf_free(&text);
}

/* A response came: its status, usage and JSON into r. */
static void llm_read_response(const struct llm_call *call,
                              const struct http_response *resp,
                              struct llm_result *r)
{
	const struct llm_api *api = llm_api_of(call->ep->provider);
	const char *key = call->ep->api_key;
	long status = resp->status;
	json_t *root, *usage;
	const char *said;
	char *quoted = NULL;

	root = json_loadb(buf_cstr(&resp->body), resp->body.len, 0, NULL);
	if (status < 200 || status > 299) {
		said = llm_error_text(root);
		quoted = said ? llm_quote(said, key) : NULL;
		r->error = status == 401 || status == 403 ? LLM_ERR_AUTH
		                                          : LLM_ERR_HTTP;
		if (status >= 300 && status < 400)
			llm_set_message(r, key,
			                "HTTP %ld: redirects are not followed "
			                "(check base_url)",
			                status);
		else if (quoted)
			llm_set_message(r, key, "HTTP %ld: %s", status, quoted);
		else
			llm_set_message(r, key, "HTTP %ld", status);
		goto out;
	}
	if (!json_is_object(root)) {
		r->error = LLM_ERR_REPLY;
		llm_set_message(r, key, "the reply is not a JSON object");
		goto out;
	}
	usage = json_object_get(root, "usage");
	r->tokens_in = llm_tokens(usage, api->tokens_in);
	r->tokens_out = llm_tokens(usage, api->tokens_out);
	if (call->ep->provider == LLM_ANTHROPIC)
		llm_read_anthropic(call, root, r);
	else
		llm_read_openai(call, root, r);
out:
	free(quoted);
	json_decref(root);
}

/* The body as received, key taken out, cut to LLM_RAW_MAX on a character
 * boundary. */
static char *llm_raw(const struct buf *body, const char *key)
{
	char *clean = llm_redact(buf_cstr(body), body->len, key);
	size_t n = strlen(clean);

	if (n > LLM_RAW_MAX) {
		n = LLM_RAW_MAX;
		while (n > 0 && ((unsigned char)clean[n] & 0xC0) == 0x80)
			n--;
		clean[n] = '\0';
	}
	return clean;
}

static void llm_deliver(struct llm_run *run, size_t index, struct llm_result *r)
{
	if (run->opt.done)
		run->opt.done(run->opt.ctx, index, r);
	free(r->json);
	free(r->raw);
}

static void llm_on_done(void *ctx, size_t pool_index,
                        const struct http_response *resp)
{
	struct llm_run *run = ctx;
	size_t index = run->call_of[pool_index];
	const struct llm_call *call = &run->calls[index];
	const char *key = call->ep->api_key;
	struct llm_result r;

	memset(&r, 0, sizeof r);
	r.status = resp->status;
	r.attempts = resp->attempts;
	r.seconds = resp->seconds;
	switch (resp->error) {
	case HTTP_OK:
		r.raw = llm_raw(&resp->body, key);
		llm_read_response(call, resp, &r);
		break;
	case HTTP_ERR_SKIPPED:
		r.error = LLM_ERR_BUDGET;
		if (resp->attempts == 0)
			llm_set_message(&r, key,
			                "not sent: the budget was spent");
		else
			llm_set_message(&r, key, "%s: the budget was spent",
			                resp->message);
		break;
	case HTTP_ERR_TOO_LARGE:
		r.error = LLM_ERR_REPLY;
		llm_set_message(&r, key, "reply over the cap of %zu bytes",
		                run->opt.max_reply);
		break;
	default:
		r.error = LLM_ERR_TRANSPORT;
		llm_set_message(&r, key, "%s", resp->message);
		break;
	}
	llm_deliver(run, index, &r);
}

static bool llm_may_start(void *ctx, size_t pool_index)
{
	struct llm_run *run = ctx;

	return run->opt.may_send(run->opt.ctx, run->call_of[pool_index]);
}

/* A key goes into a header line: printable ASCII without spaces only. */
static bool llm_key_ok(const char *key)
{
	const unsigned char *p;

	for (p = (const unsigned char *)key; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return false;
	return true;
}

static char *llm_header(const char *prefix, const char *value)
{
	struct buf b = BUF_INIT(0);

	buf_puts(&b, prefix);
	buf_puts(&b, value);
	return buf_detach(&b);
}

/* URL, body and headers of a call that passed llm_call_problem. */
static void llm_job_build(struct llm_job *job, const struct llm_call *call)
{
	const struct llm_endpoint *ep = call->ep;
	const struct llm_api *api = llm_api_of(ep->provider);
	size_t len = strlen(ep->base_url), h = 0;
	struct buf url = BUF_INIT(0);

	while (len > 0 && ep->base_url[len - 1] == '/')
		len--;
	buf_append(&url, ep->base_url, len);
	buf_puts(&url, api->path);
	job->url = buf_detach(&url);
	job->body = llm_request_body(call);
	if (!job->body) {
		/* only jansson running out of memory gets here */
		fputs("aidigest: out of memory building an LLM request\n",
		      stderr);
		abort();
	}
	job->headers[h++] = xstrdup("Content-Type: application/json");
	if (ep->api_key && *ep->api_key) {
		if (llm_key_ok(ep->api_key))
			job->headers[h++] =
			        llm_header(api->auth_prefix, ep->api_key);
		else
			job->refused = true;
	}
	if (api->extra_header)
		job->headers[h++] = xstrdup(api->extra_header);
	job->headers[h] = NULL;
}

static void llm_job_free(struct llm_job *job)
{
	size_t i;

	free(job->url);
	free(job->body);
	for (i = 0; job->headers[i]; i++) {
		/* the key leaves memory with the request */
		explicit_bzero(job->headers[i], strlen(job->headers[i]));
		free(job->headers[i]);
	}
}

/* Calls in flight at once, all endpoints; and one endpoint's default. */
#define LLM_MAX_TRANSFERS 64
#define LLM_CONCURRENCY 16

static void llm_resolve_options(const struct llm_options *in,
                                struct llm_options *o)
{
	*o = *in;
	if (o->max_transfers <= 0)
		o->max_transfers = LLM_MAX_TRANSFERS;
	if (o->max_per_host <= 0)
		o->max_per_host = 8;
	if (o->deadline <= 0)
		o->deadline = 300;
	if (o->max_reply == 0)
		o->max_reply = LLM_MAX_REPLY_DEFAULT;
	if (!(o->backoff_base > 0))
		o->backoff_base = 1.0;
}

int llm_call_all(const struct llm_call *calls, size_t n,
                 const struct llm_options *opt, struct buf *err)
{
	static const struct llm_options defaults;
	struct http_options hopt;
	struct http_request *reqs = NULL;
	struct llm_job *jobs = NULL;
	struct llm_run run;
	size_t i, m = 0;
	int rc = -1;

	memset(&run, 0, sizeof run);
	llm_resolve_options(opt ? opt : &defaults, &run.opt);
	run.calls = calls;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		json_t *schema;
		const char *problem = llm_call_problem(&calls[i], &schema);

		json_decref(schema);
		if (problem) {
			if (err)
				buf_printf(err, "LLM call %zu: %s", i, problem);
			return -1;
		}
	}
	jobs = xcalloc(n, sizeof *jobs);
	reqs = xcalloc(n, sizeof *reqs);
	run.call_of = xcalloc(n, sizeof *run.call_of);
	for (i = 0; i < n; i++) {
		struct llm_job *job = &jobs[i];
		long timeout = calls[i].ep->timeout;

		llm_job_build(job, &calls[i]);
		if (job->refused)
			continue;
		reqs[m].url = job->url;
		reqs[m].headers = (const char *const *)job->headers;
		reqs[m].body = job->body;
		reqs[m].body_len = strlen(job->body);
		reqs[m].timeout = timeout > 0 ? timeout : LLM_TIMEOUT_DEFAULT;
		/* each endpoint is its own group: a provider's host does not
		 * throttle the judges that share it */
		snprintf(job->group, sizeof job->group, "llm %p",
		         (const void *)calls[i].ep);
		reqs[m].group = job->group;
		reqs[m].group_limit = calls[i].ep->concurrency > 0
		                              ? calls[i].ep->concurrency
		                              : LLM_CONCURRENCY;
		run.call_of[m++] = i;
	}
	memset(&hopt, 0, sizeof hopt);
	hopt.max_transfers = run.opt.max_transfers;
	hopt.max_per_host = run.opt.max_per_host;
	hopt.timeout = LLM_TIMEOUT_DEFAULT;
	hopt.deadline = run.opt.deadline;
	hopt.max_bytes = run.opt.max_reply;
	hopt.max_retries = run.opt.max_retries;
	hopt.backoff_base = run.opt.backoff_base;
	hopt.seed = run.opt.seed;
	hopt.may_start = run.opt.may_send ? llm_may_start : NULL;
	hopt.done = llm_on_done;
	hopt.ctx = &run;
	if (http_fetch_all(reqs, m, &hopt, err) != 0)
		goto out;
	rc = 0;
	for (i = 0; i < n; i++) {
		struct llm_result r;

		if (!jobs[i].refused)
			continue;
		memset(&r, 0, sizeof r);
		r.error = LLM_ERR_AUTH;
		snprintf(r.message, sizeof r.message,
		         "not sent: the API key has a space or a control "
		         "character");
		llm_deliver(&run, i, &r);
	}
out:
	for (i = 0; i < n; i++)
		llm_job_free(&jobs[i]);
	free(jobs);
	free(reqs);
	free(run.call_of);
	return rc;
}
