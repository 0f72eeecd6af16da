#include "summarize/panel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <jansson.h>
#include <pcre2.h>

#include "common/utf8.h"
#include "common/xalloc.h"
#include "store/store.h"
#include "summarize/stories.h"

/* The judge prompt shipped in templates/prompts/judge.txt, embedded at
 * build time (Makefile). */
extern const char panel_judge_prompt[];
/* templates/prompts/verify.txt, the same way. */
extern const char verify_prompt_text[];

#define PANEL_MAX_JUDGES 32
#define PANEL_OUT_TOKENS_PER_STORY 30

/* The reply every judge must give. */
static const char panel_schema[] =
        "{\"type\":\"object\",\"additionalProperties\":false,"
        "\"required\":[\"scores\"],\"properties\":{\"scores\":{"
        "\"type\":\"array\",\"items\":{\"type\":\"object\","
        "\"additionalProperties\":false,"
        "\"required\":[\"id\",\"score\",\"category\"],\"properties\":{"
        "\"id\":{\"type\":\"string\"},"
        "\"score\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":10},"
        "\"category\":{\"type\":\"string\"}}}}}}";

/* Categories when [categories] gives none: id, label, pattern. */
static const struct {
	const char *id, *label, *pattern;
} panel_default_categories[] = {
        {"models", "모델",
         "\\b(model|models|GPT|Claude|Gemini|Llama|Mistral|Qwen|DeepSeek|"
         "weights|checkpoint)\\b|모델"},
        {"research", "연구",
         "\\b(paper|arXiv|research|study|benchmark|dataset)\\b|논문|연구"},
        {"tools", "도구·오픈소스",
         "\\b(release|released|library|framework|SDK|API|open.source|"
         "GitHub|tool|v\\d+\\.\\d+)\\b|오픈소스|출시"},
        {"industry", "산업·비즈니스",
         "\\b(funding|raises|acquires|acquisition|startup|revenue|"
         "partnership|billion|layoffs?)\\b|투자|인수|기업"},
        {"policy", "정책·안전",
         "\\b(regulation|law|policy|safety|EU AI Act|copyright|lawsuit|"
         "government)\\b|규제|정책|안전"},
};

/* Feed text that talks to the judges instead of about its subject. */
static const char panel_injection_pattern[] =
        "ignore (all |any )?(the )?(previous|prior|above) "
        "(instructions|rules)|disregard (the |all )?(previous|prior|above)|"
        "(score|rate|give) (this|it|the story) (a |an )?(10|ten)\\b|"
        "you (must|should) (score|rate)|system prompt|"
        "이전 지시|점수를 10";

/* splitmix64: the panel's own PRNG, seeded, no global state */
static uint64_t panel_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static uint64_t panel_fnv(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001B3ULL;
	}
	return h;
}

/* Configuration */

static void *panel_compile(const char *pattern, struct buf *err,
                           const char *what)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile(
	        (PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	        PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF,
	        &code, &off, NULL);

	if (!re) {
		PCRE2_UCHAR msg[160];

		pcre2_get_error_message(code, msg, sizeof msg);
		buf_printf(err, "%s: bad pattern: %s at offset %zu\n", what,
		           (const char *)msg, (size_t)off);
	}
	return re;
}

static bool panel_matches(void *re, const char *s)
{
	pcre2_match_data *md;
	pcre2_match_context *mc;
	int rc;

	if (!re || !s)
		return false;
	md = pcre2_match_data_create_from_pattern(re, NULL);
	mc = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(mc, 100000);
	pcre2_set_depth_limit(mc, 1000);
	rc = pcre2_match(re, (PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED, 0, 0, md, mc);
	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
	return rc >= 0;
}

static int panel_number(const struct ini_entry *e, const char *file,
                        double min, double max, double *out, struct buf *err)
{
	char *end;
	double v = strtod(e->value, &end);

	if (end == e->value || *end || !(v >= min && v <= max)) {
		buf_printf(err, "%s:%d: [%s] %s wants a number from %g to %g, "
		                "not '%s'\n",
		           file, e->line, e->section, e->key, min, max, e->value);
		return -1;
	}
	*out = v;
	return 0;
}

static struct panel_judge *panel_judge_find(struct panel_config *c,
                                            const char *name)
{
	size_t i;

	for (i = 0; i < c->njudges; i++)
		if (strcmp(c->judges[i].name, name) == 0)
			return &c->judges[i];
	if (c->njudges == PANEL_MAX_JUDGES)
		return NULL;
	c->judges = xreallocarray(c->judges, c->njudges + 1, sizeof *c->judges);
	memset(&c->judges[c->njudges], 0, sizeof *c->judges);
	c->judges[c->njudges].name = xstrdup(name);
	c->judges[c->njudges].weight = 1.0;
	c->judges[c->njudges].timeout = 60;
	c->judges[c->njudges].provider = LLM_OPENAI;
	return &c->judges[c->njudges++];
}

static int panel_judge_key(struct panel_judge *j, const struct ini_entry *e,
                           const char *file, struct buf *err)
{
	double v;

	if (strcmp(e->key, "provider") == 0) {
		if (strcmp(e->value, "openai") == 0) {
			j->type = PANEL_JUDGE_LLM;
			j->provider = LLM_OPENAI;
		} else if (strcmp(e->value, "anthropic") == 0) {
			j->type = PANEL_JUDGE_LLM;
			j->provider = LLM_ANTHROPIC;
		} else if (strcmp(e->value, "heuristic") == 0) {
			j->type = PANEL_JUDGE_HEURISTIC;
		} else {
			buf_printf(err, "%s:%d: [%s] provider is openai, anthropic "
			                "or heuristic, not '%s'\n",
			           file, e->line, e->section, e->value);
			return -1;
		}
	} else if (strcmp(e->key, "base_url") == 0) {
		free(j->base_url);
		j->base_url = xstrdup(e->value);
	} else if (strcmp(e->key, "model") == 0) {
		free(j->model);
		j->model = xstrdup(e->value);
	} else if (strcmp(e->key, "api_key_env") == 0) {
		free(j->api_key_env);
		j->api_key_env = xstrdup(e->value);
	} else if (strcmp(e->key, "weight") == 0) {
		if (panel_number(e, file, 1e-6, 1e6, &j->weight, err))
			return -1;
	} else if (strcmp(e->key, "price_in") == 0) {
		if (panel_number(e, file, 0, 1e6, &j->price_in, err))
			return -1;
	} else if (strcmp(e->key, "price_out") == 0) {
		if (panel_number(e, file, 0, 1e6, &j->price_out, err))
			return -1;
	} else if (strcmp(e->key, "timeout") == 0) {
		if (panel_number(e, file, 1, 3600, &v, err))
			return -1;
		j->timeout = (long)v;
	} else if (strcmp(e->key, "reasoning") == 0) {
		if (llm_reasoning_parse(e->value, &j->reasoning) != 0) {
			buf_printf(err, "%s:%d: [%s] reasoning is auto, yes or "
			                "no, not '%s'\n",
			           file, e->line, e->section, e->value);
			return -1;
		}
	} else if (strcmp(e->key, "reasoning_effort") == 0) {
		if (llm_effort_check(e->value) != 0) {
			buf_printf(err, "%s:%d: [%s] reasoning_effort is minimal, "
			                "low, medium or high, not '%s'\n",
			           file, e->line, e->section, e->value);
			return -1;
		}
		free(j->reasoning_effort);
		j->reasoning_effort = xstrdup(e->value);
	} else {
		buf_printf(err, "%s:%d: [%s] has no key '%s'\n", file, e->line,
		           e->section, e->key);
		return -1;
	}
	return 0;
}

static int panel_panel_key(struct panel_config *c, const struct ini_entry *e,
                           const char *file, struct buf *err)
{
	double v;
	bool ok;

	if (strcmp(e->key, "pooling") == 0) {
		c->pooling = pool_method_parse(e->value, &ok);
		if (!ok) {
			buf_printf(err, "%s:%d: [panel] pooling is zmean, median, "
			                "vote or borda, not '%s'\n",
			           file, e->line, e->value);
			return -1;
		}
		return 0;
	}
	if (strcmp(e->key, "prompt") == 0) {
		free(c->prompt);
		c->prompt = xstrdup(e->value); /* a path, read later */
		return 0;
	}
	if (strcmp(e->key, "verify_prompt") == 0) {
		free(c->verify_prompt);
		c->verify_prompt = xstrdup(e->value); /* a path, read later */
		return 0;
	}
	if (strcmp(e->key, "verify") == 0) {
		if (strcmp(e->value, "yes") == 0 || strcmp(e->value, "true") == 0)
			c->verify = true;
		else if (strcmp(e->value, "no") == 0 ||
		         strcmp(e->value, "false") == 0)
			c->verify = false;
		else {
			buf_printf(err, "%s:%d: [panel] verify is yes or no, "
			                "not '%s'\n",
			           file, e->line, e->value);
			return -1;
		}
		return 0;
	}
	if (strcmp(e->key, "reference_price_in") == 0)
		return panel_number(e, file, 0, 1e6, &c->reference_price_in, err);
	if (strcmp(e->key, "reference_price_out") == 0)
		return panel_number(e, file, 0, 1e6, &c->reference_price_out, err);
	if (strcmp(e->key, "quota") == 0)
		return panel_number(e, file, 0.05, 1, &c->quota, err);
	if (panel_number(e, file, 0, 1e9, &v, err) != 0)
		return -1;
	if (strcmp(e->key, "batch") == 0 && v >= 1 && v <= 200)
		c->batch = (size_t)v;
	else if (strcmp(e->key, "candidates") == 0 && v >= 1)
		c->candidates = (size_t)v;
	else if (strcmp(e->key, "top") == 0 && v >= 1 && v <= 1000)
		c->top = (size_t)v;
	else if (strcmp(e->key, "seed") == 0)
		c->seed = (unsigned)v;
	else if (strcmp(e->key, "text_max") == 0 && v >= 50)
		c->text_max = (size_t)v;
	else {
		buf_printf(err, "%s:%d: [panel] %s = %s is not a setting this "
		                "version knows\n",
		           file, e->line, e->key, e->value);
		return -1;
	}
	return 0;
}

static void panel_add_category(struct panel_config *c, const char *id,
                               const char *label, void *re)
{
	c->categories = xreallocarray(c->categories, c->ncategories + 1,
	                              sizeof *c->categories);
	c->categories[c->ncategories].id = xstrdup(id);
	c->categories[c->ncategories].label = xstrdup(label);
	c->categories[c->ncategories].re = re;
	c->ncategories++;
}

/* [categories]: `id = Label | pattern` */
static int panel_category_key(struct panel_config *c,
                              const struct ini_entry *e, const char *file,
                              struct buf *err)
{
	const char *bar = strchr(e->value, '|');
	char *label, *where;
	void *re = NULL;
	size_t n;

	n = bar ? (size_t)(bar - e->value) : strlen(e->value);
	while (n && (e->value[n - 1] == ' ' || e->value[n - 1] == '\t'))
		n--;
	label = xstrndup(e->value, n);
	if (bar) {
		bar++;
		while (*bar == ' ' || *bar == '\t')
			bar++;
		where = xstrdup(e->key);
		if (*bar) {
			struct buf b = BUF_INIT(0);

			buf_printf(&b, "%s:%d: [categories] %s", file, e->line, where);
			re = panel_compile(bar, err, buf_cstr(&b));
			buf_free(&b);
			if (!re) {
				free(where);
				free(label);
				return -1;
			}
		}
		free(where);
	}
	panel_add_category(c, e->key, *label ? label : e->key, re);
	free(label);
	return 0;
}

static char *panel_read_file(const char *path, struct buf *err)
{
	struct buf b = BUF_INIT((size_t)1 << 20);
	char chunk[8192];
	size_t got;
	FILE *fp = fopen(path, "r");

	if (!fp) {
		buf_printf(err, "%s: cannot read the prompt\n", path);
		return NULL;
	}
	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (buf_append(&b, chunk, got) != BUF_OK)
			break;
	fclose(fp);
	return buf_detach(&b);
}

/* The prompt with {categories} filled, and its version. */
static void panel_finish_prompt(struct panel_config *c, char *template)
{
	struct buf b = BUF_INIT(0), list = BUF_INIT(0);
	const char *p = template, *mark;
	uint64_t h = 0xCBF29CE484222325ULL;
	size_t i;

	for (i = 0; i < c->ncategories; i++)
		buf_printf(&list, "%s%s", i ? ", " : "", c->categories[i].id);
	while ((mark = strstr(p, "{categories}")) != NULL) {
		buf_append(&b, p, (size_t)(mark - p));
		buf_puts(&b, buf_cstr(&list));
		p = mark + strlen("{categories}");
	}
	buf_puts(&b, p);
	free(c->prompt);
	c->prompt = buf_detach(&b);
	h = panel_fnv(h, c->prompt);
	h = panel_fnv(h, panel_schema);
	snprintf(c->prompt_version, sizeof c->prompt_version, "judge-%012llx",
	         (unsigned long long)(h & 0xFFFFFFFFFFFFULL));
	buf_free(&list);
}

int panel_config_load(const struct ini *ini, const char *file,
                      struct panel_config *out, struct buf *err,
                      struct buf *notices)
{
	struct panel_config *c = out;
	size_t i, keep;
	int bad = 0;
	char *template;

	memset(c, 0, sizeof *c);
	c->pooling = POOL_ZMEAN;
	c->batch = 20;
	c->verify = true;
	c->candidates = 150;
	c->top = 10;
	c->quota = 0.4;
	c->text_max = 1200;
	c->seed = 1;
	if (!file)
		file = "aidigest.conf";
	for (i = 0; ini && i < ini->n; i++) {
		const struct ini_entry *e = &ini->v[i];
		struct panel_judge *j;
		double v;

		if (strncmp(e->section, "judge.", 6) == 0 && e->section[6]) {
			j = panel_judge_find(c, e->section + 6);
			if (!j) {
				buf_printf(err, "%s:%d: more than %d judges\n", file,
				           e->line, PANEL_MAX_JUDGES);
				bad++;
			} else if (panel_judge_key(j, e, file, err) != 0) {
				bad++;
			}
		} else if (strcmp(e->section, "panel") == 0) {
			bad += panel_panel_key(c, e, file, err) != 0;
		} else if (strcmp(e->section, "budget") == 0) {
			if (strcmp(e->key, "max_usd") == 0) {
				if (panel_number(e, file, 0, 1e6, &v, err) == 0)
					c->max_usd = v;
				else
					bad++;
			} else {
				buf_printf(err, "%s:%d: [budget] has no key '%s'\n",
				           file, e->line, e->key);
				bad++;
			}
		} else if (strcmp(e->section, "categories") == 0) {
			bad += panel_category_key(c, e, file, err) != 0;
		}
	}
	/* judges: a model is needed; keys come from the environment */
	for (i = 0, keep = 0; i < c->njudges; i++) {
		struct panel_judge *j = &c->judges[i];
		const char *key;

		if (j->type == PANEL_JUDGE_HEURISTIC) {
			if (!j->model || !heuristic_parse(j->model, &j->heuristic)) {
				buf_printf(err, "%s: [judge.%s] model names a built-in "
				                "judge: recency, source, corroboration, "
				                "engagement or topic\n",
				           file, j->name);
				bad++;
			}
		} else if (!j->model) {
			buf_printf(err, "%s: [judge.%s] needs a model\n", file,
			           j->name);
			bad++;
		}
		if (j->type == PANEL_JUDGE_LLM && !j->base_url)
			j->base_url = xstrdup(j->provider == LLM_ANTHROPIC
			                              ? "https://api.anthropic.com/v1"
			                              : "https://api.openai.com/v1");
		if (j->type == PANEL_JUDGE_LLM && j->api_key_env) {
			key = getenv(j->api_key_env);
			if (!key || !*key) {
				buf_printf(notices, "judge %s skipped: $%s is not set\n",
				           j->name, j->api_key_env);
				free(j->name);
				free(j->base_url);
				free(j->model);
				free(j->api_key_env);
				free(j->reasoning_effort);
				continue;
			}
			j->api_key = xstrdup(key);
		}
		c->judges[keep++] = *j;
	}
	c->njudges = keep;
	if (c->ncategories == 0)
		for (i = 0; i < sizeof panel_default_categories /
		                        sizeof *panel_default_categories;
		     i++)
			panel_add_category(
			        c, panel_default_categories[i].id,
			        panel_default_categories[i].label,
			        panel_compile(panel_default_categories[i].pattern, err,
			                      "built-in category"));
	template = c->prompt ? panel_read_file(c->prompt, err)
	                     : xstrdup(panel_judge_prompt);
	if (!template) {
		template = xstrdup(panel_judge_prompt);
		bad++;
	}
	panel_finish_prompt(c, template);
	free(template);
	template = c->verify_prompt ? panel_read_file(c->verify_prompt, err)
	                            : xstrdup(verify_prompt_text);
	if (!template) {
		template = xstrdup(verify_prompt_text);
		bad++;
	}
	free(c->verify_prompt);
	c->verify_prompt = template;
	return bad ? -1 : 0;
}

void panel_config_free(struct panel_config *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->njudges; i++) {
		free(c->judges[i].name);
		free(c->judges[i].base_url);
		free(c->judges[i].model);
		free(c->judges[i].api_key_env);
		free(c->judges[i].reasoning_effort);
		if (c->judges[i].api_key) {
			explicit_bzero(c->judges[i].api_key,
			               strlen(c->judges[i].api_key));
			free(c->judges[i].api_key);
		}
	}
	free(c->judges);
	for (i = 0; i < c->ncategories; i++) {
		free(c->categories[i].id);
		free(c->categories[i].label);
		pcre2_code_free(c->categories[i].re);
	}
	free(c->categories);
	free(c->prompt);
	free(c->verify_prompt);
	memset(c, 0, sizeof *c);
}

/* Text */

static bool panel_invisible(uint32_t cp)
{
	return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF || cp == 0x00AD ||
	       cp == 0x061C || (cp >= 0xE0000 && cp <= 0xE007F) ||
	       (cp < 0x20 && cp != '\n' && cp != '\t');
}

char *panel_clean_text(const char *text, size_t max_cp)
{
	struct buf b = BUF_INIT(0);
	size_t n = text ? strlen(text) : 0, i = 0, count = 0, k;
	uint32_t cp;
	char enc[4];

	while (i < n && count < max_cp) {
		k = utf8_decode(text + i, n - i, &cp);
		i += k;
		if (panel_invisible(cp))
			continue;
		buf_append(&b, enc, utf8_encode(cp, enc));
		count++;
	}
	return buf_detach(&b);
}

/* A run */

struct panel_call {
	size_t judge;    /* index in cfg->judges */
	size_t *stories; /* story indices in this batch, in the order sent */
	size_t n;
	char *user;
	double estimate; /* USD reserved while in flight */
};

struct panel_run {
	struct store *st;
	const struct panel_config *cfg;
	const struct panel_story *stories;
	size_t n;
	const struct panel_options *opt;
	struct panel_result *res;
	struct panel_call *calls;
	size_t ncalls;
	/* scores of the configured judges: cfg->njudges x n */
	double *judge_scores;
	int *judge_category; /* cfg->njudges x n, -1 */
	bool *missing;       /* cfg->njudges x n: asked, not answered */
	double spent, reserved;
	size_t done, failed;
};

static int panel_category_index(const struct panel_config *c, const char *id)
{
	size_t i;

	for (i = 0; id && i < c->ncategories; i++)
		if (strcasecmp(c->categories[i].id, id) == 0)
			return (int)i;
	return -1;
}

static double panel_estimate(const struct panel_judge *j, const char *system,
                             const char *user, size_t nstories)
{
	double in = (strlen(system) + strlen(user)) / 4.0;
	double out = (double)nstories * PANEL_OUT_TOKENS_PER_STORY;

	return (in * j->price_in + out * j->price_out) / 1e6;
}

static bool panel_may_send(void *ctx, size_t index)
{
	struct panel_run *r = ctx;
	struct panel_call *c = &r->calls[index];

	if (r->cfg->max_usd <= 0)
		return true;
	if (r->spent + r->reserved + c->estimate > r->cfg->max_usd) {
		r->res->budget_hit = true;
		return false;
	}
	r->reserved += c->estimate;
	return true;
}

static void panel_judge_fail(struct panel_run *r, size_t judge,
                             const char *why)
{
	struct panel_judge_report *rep = &r->res->judges[judge];

	if (!rep->failed) {
		rep->failed = true;
		snprintf(rep->reason, sizeof rep->reason, "%s", why);
	}
}

/* Read one judge's reply to one batch; store what it said. */
static void panel_take_reply(struct panel_run *r, struct panel_call *c,
                             const struct llm_result *lr)
{
	const struct panel_judge *j = &r->cfg->judges[c->judge];
	json_error_t jerr;
	json_t *root = json_loads(lr->json, 0, &jerr), *scores, *it;
	bool *answered = xcalloc(c->n, sizeof *answered);
	size_t i, k, nanswered = 0;

	scores = json_is_object(root) ? json_object_get(root, "scores") : NULL;
	if (!json_is_array(scores)) {
		panel_judge_fail(r, c->judge, "a reply without a scores array");
		goto out;
	}
	json_array_foreach(scores, i, it) {
		const char *id = json_string_value(json_object_get(it, "id"));
		json_t *sc = json_object_get(it, "score");
		double v = json_is_number(sc) ? json_number_value(sc) : NAN;
		struct store_judgment jd;
		char idbuf[32];

		if (!id)
			continue;
		for (k = 0; k < c->n; k++) {
			snprintf(idbuf, sizeof idbuf, "%lld",
			         (long long)r->stories[c->stories[k]].id);
			if (strcmp(idbuf, id) == 0)
				break;
		}
		/* unknown ids are dropped; out-of-range scores rejected */
		if (k == c->n || answered[k] || !(v >= 1 && v <= 10))
			continue;
		answered[k] = true;
		nanswered++;
		r->judge_scores[c->judge * r->n + c->stories[k]] = v;
		r->judge_category[c->judge * r->n + c->stories[k]] =
		        panel_category_index(
		                r->cfg,
		                json_string_value(json_object_get(it, "category")));
		memset(&jd, 0, sizeof jd);
		jd.story_hash = r->stories[c->stories[k]].hash;
		jd.judge = j->name;
		jd.prompt_version = r->cfg->prompt_version;
		jd.score = v;
		jd.category = json_string_value(json_object_get(it, "category"));
		jd.raw = lr->raw;
		jd.tokens_in = lr->tokens_in / (long)c->n;
		jd.tokens_out = lr->tokens_out / (long)c->n;
		jd.usd = (jd.tokens_in * j->price_in + jd.tokens_out * j->price_out) /
		         1e6;
		jd.at = r->opt->window_end;
		store_judgment_put(r->st, &jd);
	}
	for (k = 0; k < c->n; k++)
		if (!answered[k])
			r->missing[c->judge * r->n + c->stories[k]] = true;
out:
	free(answered);
	json_decref(root);
}

static void panel_call_done(void *ctx, size_t index, const struct llm_result *lr)
{
	struct panel_run *r = ctx;
	struct panel_call *c = &r->calls[index];
	const struct panel_judge *j = &r->cfg->judges[c->judge];
	struct panel_judge_report *rep = &r->res->judges[c->judge];
	double usd = (lr->tokens_in * j->price_in + lr->tokens_out * j->price_out) /
	             1e6;

	r->done++;
	if (lr->error != LLM_ERR_BUDGET && r->cfg->max_usd > 0)
		r->reserved -= c->estimate;
	if (lr->error != LLM_ERR_BUDGET) {
		rep->requests += lr->attempts > 0 ? 1 : 0;
		r->res->requests += lr->attempts > 0 ? 1 : 0;
	}
	rep->tokens_in += lr->tokens_in;
	rep->tokens_out += lr->tokens_out;
	rep->usd += usd;
	r->spent += usd;
	if (lr->error == LLM_ERR_BUDGET) {
		r->res->budget_hit = true;
	} else if (lr->error != LLM_OK) {
		r->failed++;
		panel_judge_fail(r, c->judge, lr->message);
	} else {
		panel_take_reply(r, c, lr);
	}
	if (r->opt->progress) {
		fprintf(stderr, "\raidigest: rank: %zu/%zu requests, %zu failed\033[K",
		        r->done, r->ncalls, r->failed);
	}
}

/* Build the user message of a batch: the stories as a JSON array. */
static char *panel_user_message(const struct panel_run *r, const size_t *idx,
                                size_t n)
{
	json_t *arr = json_array();
	struct buf b = BUF_INIT(0);
	char id[32], *text, *title, *dump;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct panel_story *s = &r->stories[idx[i]];
		json_t *o = json_object();

		snprintf(id, sizeof id, "%lld", (long long)s->id);
		title = panel_clean_text(s->title ? s->title : "", 300);
		text = panel_clean_text(s->text ? s->text : "", r->cfg->text_max);
		json_object_set_new(o, "id", json_string(id));
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

static void panel_shuffle(size_t *v, size_t n, uint64_t seed)
{
	uint64_t st = seed;
	size_t i, k, t;

	for (i = n; i > 1; i--) {
		k = (size_t)(panel_rand(&st) % i);
		t = v[i - 1];
		v[i - 1] = v[k];
		v[k] = t;
	}
}

/* Batches of the stories a judge still has to score, in its own order. */
static void panel_plan_judge(struct panel_run *r, size_t judge,
                             const size_t *todo, size_t ntodo)
{
	const struct panel_config *cfg = r->cfg;
	size_t *order = xcalloc(ntodo ? ntodo : 1, sizeof *order), off, k;
	unsigned seed = r->opt->seed ? r->opt->seed : cfg->seed;

	memcpy(order, todo, ntodo * sizeof *order);
	panel_shuffle(order, ntodo, ((uint64_t)seed << 8) ^ (judge + 1) * 0x9E37);
	for (off = 0; off < ntodo; off += k) {
		struct panel_call *c;

		k = ntodo - off < cfg->batch ? ntodo - off : cfg->batch;
		r->calls = xreallocarray(r->calls, r->ncalls + 1, sizeof *r->calls);
		c = &r->calls[r->ncalls++];
		c->judge = judge;
		c->n = k;
		c->stories = xcalloc(k, sizeof *c->stories);
		memcpy(c->stories, order + off, k * sizeof *c->stories);
		c->user = panel_user_message(r, c->stories, k);
		c->estimate = panel_estimate(&cfg->judges[judge], cfg->prompt,
		                             c->user, k);
	}
	free(order);
}

static void panel_calls_free(struct panel_run *r)
{
	size_t i;

	for (i = 0; i < r->ncalls; i++) {
		free(r->calls[i].stories);
		free(r->calls[i].user);
	}
	free(r->calls);
	r->calls = NULL;
	r->ncalls = 0;
}

static int panel_send(struct panel_run *r, struct buf *err)
{
	const struct panel_config *cfg = r->cfg;
	struct llm_endpoint *eps = xcalloc(cfg->njudges + 1, sizeof *eps);
	struct llm_call *lc = xcalloc(r->ncalls + 1, sizeof *lc);
	struct llm_options lo;
	size_t i;
	int rc;

	for (i = 0; i < cfg->njudges; i++) {
		eps[i].provider = cfg->judges[i].provider;
		eps[i].base_url = cfg->judges[i].base_url;
		eps[i].model = cfg->judges[i].model;
		eps[i].api_key = cfg->judges[i].api_key;
		eps[i].timeout = cfg->judges[i].timeout;
		eps[i].reasoning = cfg->judges[i].reasoning;
		eps[i].reasoning_effort = cfg->judges[i].reasoning_effort;
	}
	for (i = 0; i < r->ncalls; i++) {
		lc[i].ep = &eps[r->calls[i].judge];
		lc[i].system = cfg->prompt;
		lc[i].user = r->calls[i].user;
		lc[i].schema_name = "judge_scores";
		lc[i].schema_json = panel_schema;
		lc[i].max_tokens = (int)(r->calls[i].n * PANEL_OUT_TOKENS_PER_STORY +
		                         256);
	}
	memset(&lo, 0, sizeof lo);
	lo.seed = r->opt->seed ? r->opt->seed : cfg->seed;
	lo.may_send = panel_may_send;
	lo.done = panel_call_done;
	lo.ctx = r;
	rc = r->ncalls ? llm_call_all(lc, r->ncalls, &lo, err) : 0;
	if (r->opt->progress && r->ncalls)
		fputs("\r\033[K", stderr);
	free(lc);
	free(eps);
	return rc;
}

/* Cached judgments first; what is left is planned as batches. */
static void panel_plan(struct panel_run *r, const size_t *cand, size_t ncand,
                       bool retry)
{
	const struct panel_config *cfg = r->cfg;
	size_t *todo = xcalloc(ncand ? ncand : 1, sizeof *todo), ntodo, j, i;

	for (j = 0; j < cfg->njudges; j++) {
		struct panel_judge_report *rep = &r->res->judges[j];

		if (cfg->judges[j].type != PANEL_JUDGE_LLM || rep->failed)
			continue;
		ntodo = 0;
		for (i = 0; i < ncand; i++) {
			size_t s = cand[i];
			struct store_judgment_row row;

			if (retry) {
				if (r->missing[j * r->n + s]) {
					r->missing[j * r->n + s] = false;
					todo[ntodo++] = s;
				}
				continue;
			}
			if (store_judgment_get(r->st, r->stories[s].hash,
			                       cfg->judges[j].name,
			                       cfg->prompt_version, &row) == 0) {
				r->judge_scores[j * r->n + s] = row.score;
				r->judge_category[j * r->n + s] =
				        panel_category_index(cfg, row.category);
				rep->cached++;
				store_judgment_clear(&row);
				continue;
			}
			todo[ntodo++] = s;
		}
		panel_plan_judge(r, j, todo, ntodo);
	}
	free(todo);
}

static double panel_heuristic_score(const struct panel_story *s,
                                    enum heuristic_kind k, int64_t end)
{
	return heuristic_score(k, &s->h, end);
}

int panel_rank(struct store *st, const struct panel_config *cfg,
               const struct panel_story *stories, size_t n,
               const struct panel_options *opt, struct panel_result *res,
               struct buf *err)
{
	struct panel_run r;
	struct pool_input pin;
	double *pre = NULL, *mat = NULL, *weights = NULL;
	int64_t *ids = NULL;
	size_t *cand = NULL, ncand, j, i, k, npool = 0, nllm = 0, answered = 0;
	size_t pool_judge[PANEL_MAX_JUDGES + HEURISTIC_COUNT];
	bool pool_is_heuristic[PANEL_MAX_JUDGES + HEURISTIC_COUNT];
	enum heuristic_kind pool_kind[PANEL_MAX_JUDGES + HEURISTIC_COUNT];
	int *cluster = NULL;
	size_t *quota = NULL;
	void *inj = NULL;
	int ret = 0;

	memset(res, 0, sizeof *res);
	memset(&r, 0, sizeof r);
	r.st = st;
	r.cfg = cfg;
	r.stories = stories;
	r.n = n;
	r.opt = opt;
	r.res = res;
	res->nstories = n;
	res->kendall_w = NAN;
	res->nreports = cfg->njudges;
	res->judges = xcalloc(cfg->njudges + HEURISTIC_COUNT, sizeof *res->judges);
	res->pooled = xcalloc(n ? n : 1, sizeof *res->pooled);
	res->order = xcalloc(n ? n : 1, sizeof *res->order);
	res->selected = xcalloc(n ? n : 1, sizeof *res->selected);
	res->category = xcalloc(n ? n : 1, sizeof *res->category);
	for (j = 0; j < cfg->njudges; j++) {
		res->judges[j].name = cfg->judges[j].name;
		res->judges[j].llm = cfg->judges[j].type == PANEL_JUDGE_LLM;
		res->judges[j].tau = NAN;
		nllm += res->judges[j].llm;
	}
	for (i = 0; i < n; i++)
		res->pooled[i] = -INFINITY;

	/* 1. the heuristic pre-ranking picks the candidates */
	pre = xcalloc(n ? n : 1, sizeof *pre);
	ids = xcalloc(n ? n : 1, sizeof *ids);
	for (i = 0; i < n; i++) {
		pre[i] = heuristic_prerank(&stories[i].h, opt->window_end);
		ids[i] = stories[i].id;
	}
	cand = xcalloc(n ? n : 1, sizeof *cand);
	pool_order(pre, ids, n, cand);
	ncand = n < cfg->candidates ? n : cfg->candidates;

	/* 2. the LLM judges: cache, then batches, then the missing once */
	r.judge_scores = xcalloc(cfg->njudges * n + 1, sizeof *r.judge_scores);
	r.judge_category = xcalloc(cfg->njudges * n + 1, sizeof *r.judge_category);
	r.missing = xcalloc(cfg->njudges * n + 1, sizeof *r.missing);
	for (i = 0; i < cfg->njudges * n; i++) {
		r.judge_scores[i] = NAN;
		r.judge_category[i] = -1;
	}
	if (nllm) {
		panel_plan(&r, cand, ncand, false);
		if (panel_send(&r, err) != 0) {
			ret = -1;
			goto out;
		}
		panel_calls_free(&r);
		panel_plan(&r, cand, ncand, true);
		if (panel_send(&r, err) != 0) {
			ret = -1;
			goto out;
		}
		panel_calls_free(&r);
	}

	/* 3. the pool: the configured judges that answered; else the
	 * heuristics alone */
	for (j = 0; j < cfg->njudges; j++) {
		if (cfg->judges[j].type == PANEL_JUDGE_LLM) {
			bool any = false;

			if (res->judges[j].failed) {
				res->degraded = true;
				continue;
			}
			for (i = 0; i < ncand && !any; i++)
				any = !isnan(r.judge_scores[j * n + cand[i]]);
			if (!any)
				continue;
			answered++;
		}
		pool_judge[npool] = j;
		pool_is_heuristic[npool] = cfg->judges[j].type == PANEL_JUDGE_HEURISTIC;
		pool_kind[npool] = cfg->judges[j].heuristic;
		npool++;
	}
	if (cfg->njudges == 0 || (nllm > 0 && answered < 2)) {
		if (nllm > 0) {
			res->degraded = true;
			snprintf(res->note, sizeof res->note,
			         "%zu of %zu LLM judges answered: the heuristic judges "
			         "ranked alone",
			         answered, nllm);
		}
		npool = 0;
		for (k = 0; k < HEURISTIC_COUNT; k++) {
			struct panel_judge_report *rep = &res->judges[res->nreports++];

			rep->name = heuristic_name((enum heuristic_kind)k);
			rep->tau = NAN;
			pool_judge[npool] = (size_t)-1;
			pool_is_heuristic[npool] = true;
			pool_kind[npool] = (enum heuristic_kind)k;
			npool++;
		}
	} else if (res->degraded) {
		snprintf(res->note, sizeof res->note, "a judge failed and was left out");
	}
	res->njudges = npool;
	res->pool_names = xcalloc(npool + 1, sizeof *res->pool_names);
	mat = xcalloc(npool * n + 1, sizeof *mat);
	weights = xcalloc(npool + 1, sizeof *weights);
	for (k = 0; k < npool; k++) {
		j = pool_judge[k];
		res->pool_names[k] = j == (size_t)-1 ? heuristic_name(pool_kind[k])
		                                     : cfg->judges[j].name;
		weights[k] = j == (size_t)-1 ? 1.0 : cfg->judges[j].weight;
		for (i = 0; i < n; i++)
			mat[k * n + i] = NAN;
		for (i = 0; i < ncand; i++) {
			size_t s = cand[i];

			mat[k * n + s] = pool_is_heuristic[k]
			                         ? panel_heuristic_score(&stories[s],
			                                                 pool_kind[k],
			                                                 opt->window_end)
			                         : r.judge_scores[j * n + s];
		}
	}
	res->scores = mat;
	mat = NULL;

	/* 4. pooling, with one defence: a story whose text talks to the
	 * judges is held to its least favourable judge */
	memset(&pin, 0, sizeof pin);
	pin.njudges = npool;
	pin.nstories = n;
	pin.scores = res->scores;
	pin.weights = weights;
	pin.ids = ids;
	if (pool_scores(&pin, cfg->pooling, res->pooled) != 0) {
		buf_puts(err, "pooling failed: no judges");
		ret = -1;
		goto out;
	}
	inj = panel_compile(panel_injection_pattern, err, "injection pattern");
	if (inj) {
		double *z = xcalloc(npool * n + 1, sizeof *z);

		pool_zscores(&pin, z);
		for (i = 0; i < ncand; i++) {
			size_t s = cand[i];
			double lo = INFINITY;

			if (!panel_matches(inj, stories[s].title) &&
			    !panel_matches(inj, stories[s].text))
				continue;
			for (k = 0; k < npool; k++)
				if (!isnan(z[k * n + s]) && z[k * n + s] < lo)
					lo = z[k * n + s];
			if (lo < res->pooled[s] && cfg->pooling == POOL_ZMEAN)
				res->pooled[s] = lo;
		}
		free(z);
		pcre2_code_free(inj);
	}
	for (i = 0; i < n; i++)
		if (i >= ncand)
			res->pooled[cand[i]] = -INFINITY;
	pool_order(res->pooled, ids, n, res->order);
	res->norder = ncand;
	res->kendall_w = pool_kendall_w(&pin);
	for (k = 0; k < npool; k++) {
		double t = pool_kendall_tau(res->scores + k * n, res->pooled, n);
		struct panel_judge_report *rep = NULL;

		if (pool_judge[k] != (size_t)-1)
			rep = &res->judges[pool_judge[k]];
		else
			for (j = cfg->njudges; j < res->nreports; j++)
				if (strcmp(res->judges[j].name, res->pool_names[k]) == 0)
					rep = &res->judges[j];
		if (rep)
			rep->tau = t;
	}

	/* 5. categories (the judges' majority, else the patterns), clusters,
	 * selection */
	cluster = xcalloc(n ? n : 1, sizeof *cluster);
	for (i = 0; i < n; i++) {
		int votes[64] = {0}, best = -1;

		cluster[i] = -1;
		for (j = 0; j < cfg->njudges; j++) {
			int c = r.judge_category[j * n + i];

			if (c >= 0 && c < 64 && !res->judges[j].failed)
				votes[c]++;
		}
		for (k = 0; k < cfg->ncategories && k < 64; k++)
			if (votes[k] > 0 && (best < 0 || votes[k] > votes[best]))
				best = (int)k;
		for (k = 0; best < 0 && k < cfg->ncategories; k++)
			if (panel_matches(cfg->categories[k].re, stories[i].title) ||
			    panel_matches(cfg->categories[k].re, stories[i].text))
				best = (int)k;
		res->category[i] = best;
	}
	for (i = 0; i < ncand; i++)
		for (k = 0; k < i; k++)
			if (cluster[res->order[i]] < 0 &&
			    stories_titles_match(stories[res->order[i]].title
			                                 ? stories[res->order[i]].title
			                                 : "",
			                         stories[res->order[k]].title
			                                 ? stories[res->order[k]].title
			                                 : "")) {
				if (cluster[res->order[k]] < 0)
					cluster[res->order[k]] = (int)res->order[k];
				cluster[res->order[i]] = cluster[res->order[k]];
			}
	quota = xcalloc(cfg->ncategories + 1, sizeof *quota);
	for (k = 0; k < cfg->ncategories; k++)
		quota[k] = (size_t)ceil(cfg->quota * (double)cfg->top);
	pool_select(res->order, ncand, res->category, cluster, quota,
	            cfg->ncategories, cfg->top, res->selected);

	/* 6. cost: the panel's, and one reference judge on the same prompts */
	{
		double tin = 0, tout = 0;
		size_t nl = 0;

		for (j = 0; j < cfg->njudges; j++) {
			res->usd += res->judges[j].usd;
			res->tokens_in += res->judges[j].tokens_in;
			res->tokens_out += res->judges[j].tokens_out;
			if (res->judges[j].llm && res->judges[j].requests) {
				tin += (double)res->judges[j].tokens_in;
				tout += (double)res->judges[j].tokens_out;
				nl++;
			}
		}
		if (nl)
			res->reference_usd = (tin / (double)nl * cfg->reference_price_in +
			                      tout / (double)nl * cfg->reference_price_out) /
			                     1e6;
	}
	if (res->budget_hit) {
		struct buf note = BUF_INIT(sizeof res->note - 1);

		res->degraded = true;
		buf_printf(&note, "the budget of $%g was reached: calls not made",
		           cfg->max_usd);
		if (res->note[0]) {
			buf_puts(&note, "; ");
			buf_append(&note, res->note,
			           utf8_prefix_bytes(res->note, sizeof res->note -
			                                                1 - note.len));
		}
		snprintf(res->note, sizeof res->note, "%s", buf_cstr(&note));
		buf_free(&note);
	}
out:
	panel_calls_free(&r);
	free(r.judge_scores);
	free(r.judge_category);
	free(r.missing);
	free(pre);
	free(ids);
	free(cand);
	free(mat);
	free(weights);
	free(cluster);
	free(quota);
	return ret;
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
	free(res->category);
	free(res->pool_names);
	memset(res, 0, sizeof *res);
}
