#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/buf.h"
#include "common/utf8.h"
#include "summarize/llm.h"

/* libFuzzer target for the LLM reply reader, llm_extract_json (a
 * provider's body is read inside llm_call_all only, over HTTP), and for
 * the request body llm_request_body makes of untrusted text. The whole
 * input is the reply, and the user message.
 *
 * The object found is a piece of the reply that jansson reads as an
 * object; a reply that is one object gives it back whole, also between
 * prose and a code fence; the same reply cut before its last '}' gives
 * none. The request body is a JSON object whose user message is the text
 * (invalid UTF-8 as U+FFFD). Any broken invariant aborts. */

#define LLM_FENCE_BEFORE "Here is the result:\n```json\n"
#define LLM_FENCE_AFTER "\n```\nLet me know if you need more."

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void llm_fail(const char *fmt, ...)
        __attribute__((format(printf, 1, 2)));

static void llm_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz_llm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static bool llm_json_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* What llm_extract_json promises of a result found in text[0..n). */
static void llm_check_found(const char *text, size_t n, const char *found)
{
	size_t len = strlen(found);
	json_t *v;

	if (len < 2 || found[0] != '{' || found[len - 1] != '}' ||
	    !memmem(text, n, found, len))
		llm_fail("'%s' is not a {...} piece of the reply", found);
	v = json_loads(found, 0, NULL);
	if (!json_is_object(v))
		llm_fail("'%s' is not a JSON object", found);
	json_decref(v);
}

/* text[0..n), read by jansson as one object with space around it: the
 * object, trimmed, must come back whole, alone or in prose; cut before
 * its last byte, it must not come back at all. */
static void llm_check_whole(const char *text, size_t n)
{
	struct buf wrapped = BUF_INIT(0);
	size_t start = 0, end = n;
	json_t *v;
	char *found;
	bool object;

	/* jansson 2.14 reads {"x":1<NUL>} as an object (its stream takes a
	 * NUL byte for "nothing buffered"): JSON allows no NUL there, and the
	 * extractor rightly refuses it, so jansson is no oracle for it */
	if (memchr(text, '\0', n))
		return;
	v = json_loadb(text, n, 0, NULL);
	object = json_is_object(v);
	json_decref(v);
	if (!object)
		return;
	while (start < end && llm_json_space(text[start]))
		start++;
	while (end > start && llm_json_space(text[end - 1]))
		end--;
	found = llm_extract_json(text, n);
	if (!found || strlen(found) != end - start ||
	    memcmp(found, text + start, end - start) != 0)
		llm_fail("the reply is one object, the result '%s'",
		         found ? found : "(none)");
	free(found);
	buf_puts(&wrapped, LLM_FENCE_BEFORE);
	buf_append(&wrapped, text + start, end - start);
	buf_puts(&wrapped, LLM_FENCE_AFTER);
	found = llm_extract_json(wrapped.data, wrapped.len);
	if (!found || strlen(found) != end - start ||
	    memcmp(found, text + start, end - start) != 0)
		llm_fail("the object in prose, the result '%s'",
		         found ? found : "(none)");
	free(found);
	found = llm_extract_json(text + start, end - start - 1);
	if (found)
		llm_fail("the object cut short, the result '%s'", found);
	buf_free(&wrapped);
}

/* The user message in a request body: Anthropic's, or OpenAI's after its
 * system message. */
static const char *llm_user_text(json_t *body)
{
	json_t *messages = json_object_get(body, "messages");
	json_t *last = json_array_get(messages, json_array_size(messages) - 1);
	const char *role = json_string_value(json_object_get(last, "role"));

	if (!json_is_string(json_object_get(last, "content")) || !role ||
	    strcmp(role, "user") != 0)
		llm_fail("no user message in the request body");
	return json_string_value(json_object_get(last, "content"));
}

static void llm_check_request(const char *text, size_t n,
                              enum llm_provider provider)
{
	struct llm_endpoint ep = {
	        provider, "https://api.example.com/v1", "model-1", NULL,
	        0,        LLM_REASONING_AUTO,           NULL,      0};
	struct llm_call call = {&ep,      "You judge news.",       text,
	                        "scores", "{\"type\":\"object\"}", 0};
	char *body = llm_request_body(&call);
	json_t *v = body ? json_loads(body, 0, NULL) : NULL;
	const char *user;

	if (!json_is_object(v))
		llm_fail("the request body is not a JSON object: %s",
		         body ? body : "(none)");
	user = llm_user_text(v);
	if (utf8_valid_prefix(text, n) == n && strcmp(user, text) != 0)
		llm_fail("the user message changed");
	json_decref(v);
	free(body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	char *found, *user;

	found = llm_extract_json(text, size);
	if (found)
		llm_check_found(text, size, found);
	free(found);
	llm_check_whole(text, size);
	/* the text up to a NUL, as a C string */
	user = strndup(text, size);
	llm_check_request(user, strlen(user), LLM_OPENAI);
	llm_check_request(user, strlen(user), LLM_ANTHROPIC);
	free(user);
	return 0;
}
