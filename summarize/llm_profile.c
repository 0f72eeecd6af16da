#include "summarize/llm.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "common/ascii.h"
#include "common/err.h"
#include "common/hash.h"
#include "common/xalloc.h"

enum llm_key_type {
	LLM_KEY_PROVIDER,
	LLM_KEY_URL,
	LLM_KEY_STRING,
	LLM_KEY_PRICE,
	LLM_KEY_TIMEOUT,
	LLM_KEY_CONCURRENCY,
	LLM_KEY_REASONING,
	LLM_KEY_EFFORT
};

/* The endpoint keys every [judge.NAME] and [writer] section takes. */
static const struct {
	const char *key;
	enum llm_key_type type;
	size_t offset; /* into struct llm_profile, for strings and prices */
} llm_profile_keys[] = {
        {"provider", LLM_KEY_PROVIDER, 0},
        {"base_url", LLM_KEY_URL, offsetof(struct llm_profile, ep.base_url)},
        {"model", LLM_KEY_STRING, offsetof(struct llm_profile, ep.model)},
        {"api_key_env", LLM_KEY_STRING,
         offsetof(struct llm_profile, api_key_env)},
        {"price_in", LLM_KEY_PRICE, offsetof(struct llm_profile, price_in)},
        {"price_out", LLM_KEY_PRICE, offsetof(struct llm_profile, price_out)},
        {"timeout", LLM_KEY_TIMEOUT, 0},
        {"concurrency", LLM_KEY_CONCURRENCY, 0},
        {"reasoning", LLM_KEY_REASONING, 0},
        {"reasoning_effort", LLM_KEY_EFFORT,
         offsetof(struct llm_profile, ep.reasoning_effort)},
};

int llm_provider_parse(const char *value, enum llm_provider *out)
{
	if (strcmp(value, "openai") == 0)
		*out = LLM_OPENAI;
	else if (strcmp(value, "anthropic") == 0)
		*out = LLM_ANTHROPIC;
	else
		return -1;
	return 0;
}

static int llm_key_bad(const struct ini_entry *e, const char *file,
                       const char *what, struct buf *err)
{
	buf_printf(err, "%s:%d: [%s] %s is %s, not '%s'\n", file, e->line,
	           e->section, e->key, what, e->value);
	return ERR_PARSE;
}

static void llm_key_set(char **slot, const char *value)
{
	free(*slot);
	*slot = xstrdup(value);
}

int llm_profile_key(struct llm_profile *p, const struct ini_entry *e,
                    const char *file, struct buf *err)
{
	size_t i, n = sizeof llm_profile_keys / sizeof *llm_profile_keys;
	char *base = (char *)p;
	double v;

	for (i = 0; i < n && strcmp(llm_profile_keys[i].key, e->key); i++)
		;
	if (i == n)
		return ERR_NOT_FOUND;
	switch (llm_profile_keys[i].type) {
	case LLM_KEY_PROVIDER:
		if (llm_provider_parse(e->value, &p->ep.provider) != 0)
			return llm_key_bad(e, file, "openai or anthropic", err);
		return 0;
	case LLM_KEY_URL:
		if (!ascii_has_prefix_ci(e->value, "http://") &&
		    !ascii_has_prefix_ci(e->value, "https://"))
			return llm_key_bad(e, file, "an http(s) URL", err);
		break;
	case LLM_KEY_STRING:
		break;
	case LLM_KEY_PRICE:
		return ini_number(e, file, 0, 1e6,
		                  (double *)(base + llm_profile_keys[i].offset),
		                  err);
	case LLM_KEY_TIMEOUT:
		if (ini_number(e, file, 1, 3600, &v, err) != 0)
			return ERR_PARSE;
		p->ep.timeout = (long)v;
		return 0;
	case LLM_KEY_CONCURRENCY:
		if (ini_number(e, file, 1, 256, &v, err) != 0)
			return ERR_PARSE;
		p->ep.concurrency = (int)v;
		return 0;
	case LLM_KEY_REASONING:
		if (llm_reasoning_parse(e->value, &p->ep.reasoning) != 0)
			return llm_key_bad(e, file, "auto, yes or no", err);
		return 0;
	case LLM_KEY_EFFORT:
		if (llm_effort_check(e->value) != 0)
			return llm_key_bad(e, file,
			                   "minimal, low, medium or high", err);
		break;
	}
	llm_key_set((char **)(base + llm_profile_keys[i].offset), e->value);
	return 0;
}

int llm_profile_finish(struct llm_profile *p)
{
	const char *key;

	if (!p->ep.base_url)
		p->ep.base_url =
		        xstrdup(p->ep.provider == LLM_ANTHROPIC
		                        ? "https://api.anthropic.com/v1"
		                        : "https://api.openai.com/v1");
	if (!p->api_key_env || !*p->api_key_env)
		return 0;
	key = getenv(p->api_key_env);
	if (!key || !*key)
		return ERR_NOT_FOUND;
	llm_key_set((char **)&p->ep.api_key, key);
	return 0;
}

void llm_profile_free(struct llm_profile *p)
{
	if (!p)
		return;
	free((char *)p->ep.base_url);
	free((char *)p->ep.model);
	free((char *)p->ep.reasoning_effort);
	if (p->ep.api_key) {
		explicit_bzero((char *)p->ep.api_key, strlen(p->ep.api_key));
		free((char *)p->ep.api_key);
	}
	free(p->api_key_env);
	memset(p, 0, sizeof *p);
}

uint64_t llm_profile_identity(const struct llm_profile *p)
{
	const struct llm_endpoint *ep = &p->ep;
	const char *url = ep->base_url ? ep->base_url : "";
	size_t n = strlen(url);
	bool reasoning = llm_is_reasoning(ep);
	uint64_t h;

	while (n > 0 && url[n - 1] == '/')
		n--;
	h = hash_fnv1a_field(HASH_FNV_OFFSET, ep->provider == LLM_ANTHROPIC
	                                              ? "anthropic"
	                                              : "openai");
	h = hash_fnv1a(h, url, n);
	h = hash_fnv1a_field(h, "");
	h = hash_fnv1a_field(h, ep->model);
	h = hash_fnv1a_field(h, reasoning ? "reasoning" : "");
	return hash_fnv1a_field(h, reasoning ? ep->reasoning_effort : NULL);
}

double llm_profile_cost(const struct llm_profile *p, long tokens_in,
                        long tokens_out)
{
	return ((double)tokens_in * p->price_in +
	        (double)tokens_out * p->price_out) /
	       1e6;
}
