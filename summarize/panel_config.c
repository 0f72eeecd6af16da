#include "summarize/panel.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/file.h"
#include "common/hash.h"
#include "common/xalloc.h"
#include "summarize/panel_impl.h"

/* The panel's configuration: [judge.NAME], [panel], [budget] and
 * [categories]. */

/* The judge prompt shipped in templates/prompts/judge.txt, embedded at
 * build time (Makefile). */
extern const char panel_judge_prompt[];
/* templates/prompts/verify.txt, the same way. */
extern const char verify_prompt_text[];

#define PANEL_MAX_JUDGES 32
#define PANEL_PROMPT_BYTES ((size_t)1 << 20)

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

static struct panel_judge *panel_judge_find(struct panel_config *c,
                                            const char *name)
{
	struct panel_judge *j;
	size_t i;

	for (i = 0; i < c->njudges; i++)
		if (strcmp(c->judges[i].name, name) == 0)
			return &c->judges[i];
	if (c->njudges == PANEL_MAX_JUDGES)
		return NULL;
	c->judges = xreallocarray(c->judges, c->njudges + 1, sizeof *c->judges);
	j = &c->judges[c->njudges++];
	memset(j, 0, sizeof *j);
	j->name = xstrdup(name);
	j->weight = 1.0;
	j->llm.ep.timeout = 60;
	j->llm.ep.provider = LLM_OPENAI;
	return j;
}

/* A judge's key: its provider (an LLM's or "heuristic"), its weight, or
 * one of the endpoint keys every LLM takes. */
static int panel_judge_key(struct panel_judge *j, const struct ini_entry *e,
                           const char *file, struct buf *err)
{
	int rc;

	if (strcmp(e->key, "provider") == 0) {
		if (strcmp(e->value, "heuristic") == 0) {
			j->type = PANEL_JUDGE_HEURISTIC;
			return 0;
		}
		if (llm_provider_parse(e->value, &j->llm.ep.provider) != 0) {
			buf_printf(err,
			           "%s:%d: [%s] provider is openai, anthropic "
			           "or heuristic, not '%s'\n",
			           file, e->line, e->section, e->value);
			return ERR_PARSE;
		}
		j->type = PANEL_JUDGE_LLM;
		return 0;
	}
	if (strcmp(e->key, "weight") == 0)
		return ini_number(e, file, 1e-6, 1e6, &j->weight, err);
	rc = llm_profile_key(&j->llm, e, file, err);
	if (rc == ERR_NOT_FOUND)
		buf_printf(err, "%s:%d: [%s] has no key '%s'\n", file, e->line,
		           e->section, e->key);
	return rc;
}

enum panel_number_type { PANEL_SIZE, PANEL_UNSIGNED, PANEL_REAL };

/* The numbers of [panel], each with its range. */
static const struct {
	const char *key;
	enum panel_number_type type;
	size_t offset; /* into struct panel_config */
	double min, max;
} panel_number_keys[] = {
        {"batch", PANEL_SIZE, offsetof(struct panel_config, batch), 1, 200},
        {"candidates", PANEL_SIZE, offsetof(struct panel_config, candidates), 1,
         100000},
        {"top", PANEL_SIZE, offsetof(struct panel_config, top), 1, 1000},
        {"text_max", PANEL_SIZE, offsetof(struct panel_config, text_max), 50,
         100000},
        {"seed", PANEL_UNSIGNED, offsetof(struct panel_config, seed), 0, 1e9},
        {"quota", PANEL_REAL, offsetof(struct panel_config, quota), 0.05, 1},
        {"reference_price_in", PANEL_REAL,
         offsetof(struct panel_config, reference_price_in), 0, 1e6},
        {"reference_price_out", PANEL_REAL,
         offsetof(struct panel_config, reference_price_out), 0, 1e6},
};

/* A number of [panel] into its field: 0, ERR_PARSE (out of its range,
 * err says which), or ERR_NOT_FOUND when e->key is none of them. */
static int panel_number_key(struct panel_config *c, const struct ini_entry *e,
                            const char *file, struct buf *err)
{
	size_t i, n = sizeof panel_number_keys / sizeof *panel_number_keys;
	char *field;
	double v;

	for (i = 0; i < n && strcmp(panel_number_keys[i].key, e->key); i++)
		;
	if (i == n)
		return ERR_NOT_FOUND;
	if (ini_number(e, file, panel_number_keys[i].min,
	               panel_number_keys[i].max, &v, err) != 0)
		return ERR_PARSE;
	field = (char *)c + panel_number_keys[i].offset;
	switch (panel_number_keys[i].type) {
	case PANEL_SIZE:
		*(size_t *)field = (size_t)v;
		break;
	case PANEL_UNSIGNED:
		*(unsigned *)field = (unsigned)v;
		break;
	case PANEL_REAL:
		*(double *)field = v;
		break;
	}
	return 0;
}

static int panel_panel_key(struct panel_config *c, const struct ini_entry *e,
                           const char *file, struct buf *err)
{
	bool ok;
	int rc;

	if (strcmp(e->key, "pooling") == 0) {
		c->pooling = pool_method_parse(e->value, &ok);
		if (!ok) {
			buf_printf(err,
			           "%s:%d: [panel] pooling is zmean, median, "
			           "vote or borda, not '%s'\n",
			           file, e->line, e->value);
			return ERR_PARSE;
		}
		return 0;
	}
	if (strcmp(e->key, "weights") == 0) {
		if (strcmp(e->value, "config") == 0)
			c->weights = PANEL_WEIGHTS_CONFIG;
		else if (strcmp(e->value, "editor") == 0)
			c->weights = PANEL_WEIGHTS_EDITOR;
		else {
			buf_printf(err,
			           "%s:%d: [panel] weights is config or "
			           "editor, not '%s'\n",
			           file, e->line, e->value);
			return ERR_PARSE;
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
		if (strcmp(e->value, "yes") == 0 ||
		    strcmp(e->value, "true") == 0)
			c->verify = true;
		else if (strcmp(e->value, "no") == 0 ||
		         strcmp(e->value, "false") == 0)
			c->verify = false;
		else {
			buf_printf(err,
			           "%s:%d: [panel] verify is yes or no, "
			           "not '%s'\n",
			           file, e->line, e->value);
			return ERR_PARSE;
		}
		return 0;
	}
	rc = panel_number_key(c, e, file, err);
	if (rc == ERR_NOT_FOUND)
		buf_printf(err, "%s:%d: [panel] has no key '%s'\n", file,
		           e->line, e->key);
	return rc;
}

static void panel_add_category(struct panel_config *c, const char *id,
                               const char *label, struct pattern *re)
{
	c->categories = xreallocarray(c->categories, c->ncategories + 1,
	                              sizeof *c->categories);
	c->categories[c->ncategories].id = xstrdup(id);
	c->categories[c->ncategories].label = xstrdup(label);
	c->categories[c->ncategories].re = re;
	c->ncategories++;
}

/* [categories]: `id = Label | pattern` */
static int panel_category_key(struct panel_config *c, const struct ini_entry *e,
                              const char *file, struct buf *err)
{
	const char *bar = strchr(e->value, '|');
	struct pattern *re = NULL;
	char *label;
	size_t n;

	n = bar ? (size_t)(bar - e->value) : strlen(e->value);
	while (n && (e->value[n - 1] == ' ' || e->value[n - 1] == '\t'))
		n--;
	label = xstrndup(e->value, n);
	if (bar) {
		bar++;
		while (*bar == ' ' || *bar == '\t')
			bar++;
		if (*bar) {
			struct buf why = BUF_INIT(512);

			if (pattern_compile(bar, &re, &why) != 0) {
				buf_printf(err, "%s:%d: [categories] %s: %s\n",
				           file, e->line, e->key,
				           buf_cstr(&why));
				buf_free(&why);
				free(label);
				return ERR_PARSE;
			}
			buf_free(&why);
		}
	}
	panel_add_category(c, e->key, *label ? label : e->key, re);
	free(label);
	return 0;
}

/* A prompt file whole (up to 1 MiB); NULL and why in err. */
static char *panel_read_prompt(const char *path, struct buf *err)
{
	struct buf why = BUF_INIT(256);
	char *text = file_read_text(path, PANEL_PROMPT_BYTES, &why);

	if (!text)
		buf_printf(err, "%s: cannot read the prompt (%s)\n", path,
		           buf_cstr(&why));
	buf_free(&why);
	return text;
}

/* The prompt with {categories} filled, and its version: a hash of what
 * shapes a judge's request besides the stories and the LLM (the prompt,
 * the schema, how much of a story's text is sent). */
static void panel_finish_prompt(struct panel_config *c, char *template)
{
	struct buf b = BUF_INIT(0), list = BUF_INIT(0);
	const char *p = template, *mark;
	char text_max[32];
	uint64_t h;
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
	snprintf(text_max, sizeof text_max, "%zu", c->text_max);
	h = hash_fnv1a_field(HASH_FNV_OFFSET, c->prompt);
	h = hash_fnv1a_field(h, panel_schema_text);
	h = hash_fnv1a_field(h, text_max);
	snprintf(c->prompt_version, sizeof c->prompt_version, "judge-%012llx",
	         (unsigned long long)(h & 0xFFFFFFFFFFFFULL));
	buf_free(&list);
}

/* Judges: a model is needed; keys come from the environment, and a
 * judge whose variable is unset is left out with a notice. Returns the
 * number of errors. */
static int panel_finish_judges(struct panel_config *c, const char *file,
                               struct buf *err, struct buf *notices)
{
	size_t i, keep;
	int bad = 0;

	for (i = 0, keep = 0; i < c->njudges; i++) {
		struct panel_judge *j = &c->judges[i];
		const char *model = j->llm.ep.model;

		if (j->type == PANEL_JUDGE_HEURISTIC) {
			if (!model || !heuristic_parse(model, &j->heuristic)) {
				buf_printf(
				        err,
				        "%s: [judge.%s] model names a built-in "
				        "judge: recency, source, "
				        "corroboration, "
				        "engagement or topic\n",
				        file, j->name);
				bad++;
			}
		} else if (!model) {
			buf_printf(err, "%s: [judge.%s] needs a model\n", file,
			           j->name);
			bad++;
		}
		if (j->type == PANEL_JUDGE_LLM &&
		    llm_profile_finish(&j->llm) != 0) {
			buf_printf(notices,
			           "judge %s skipped: $%s is not set\n",
			           j->name, j->llm.api_key_env);
			free(j->name);
			llm_profile_free(&j->llm);
			continue;
		}
		c->judges[keep++] = *j;
	}
	c->njudges = keep;
	return bad;
}

/* A built-in category's pattern, which compiles (the tests hold it). */
static struct pattern *panel_builtin_pattern(const char *src)
{
	struct pattern *re = NULL;
	struct buf why = BUF_INIT(512);

	if (pattern_compile(src, &re, &why) != 0) {
		fprintf(stderr, "aidigest: built-in category: %s\n",
		        buf_cstr(&why));
		abort();
	}
	buf_free(&why);
	return re;
}

int panel_config_load(const struct ini *ini, const char *file,
                      struct panel_config *out, struct buf *err,
                      struct buf *notices)
{
	struct panel_config *c = out;
	size_t i;
	int bad = 0;
	char *template;

	memset(c, 0, sizeof *c);
	c->pooling = POOL_ROBUST;
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

		if (strcmp(e->section, "judge.") == 0) {
			/* once for the section, at its first key */
			if (i == 0 || strcmp(ini->v[i - 1].section, "judge."))
				buf_printf(err,
				           "%s:%d: [judge.] needs a name\n",
				           file, e->line);
			bad++;
		} else if (strncmp(e->section, "judge.", 6) == 0) {
			j = panel_judge_find(c, e->section + 6);
			if (!j) {
				buf_printf(err, "%s:%d: more than %d judges\n",
				           file, e->line, PANEL_MAX_JUDGES);
				bad++;
			} else if (panel_judge_key(j, e, file, err) != 0) {
				bad++;
			}
		} else if (strcmp(e->section, "panel") == 0) {
			bad += panel_panel_key(c, e, file, err) != 0;
		} else if (strcmp(e->section, "budget") == 0) {
			if (strcmp(e->key, "max_usd") == 0) {
				if (ini_number(e, file, 0, 1e6, &v, err) == 0)
					c->max_usd = v;
				else
					bad++;
			} else {
				buf_printf(err,
				           "%s:%d: [budget] has no key '%s'\n",
				           file, e->line, e->key);
				bad++;
			}
		} else if (strcmp(e->section, "categories") == 0) {
			bad += panel_category_key(c, e, file, err) != 0;
		}
	}
	bad += panel_finish_judges(c, file, err, notices);
	if (c->ncategories == 0)
		for (i = 0; i < sizeof panel_default_categories /
		                        sizeof *panel_default_categories;
		     i++)
			panel_add_category(
			        c, panel_default_categories[i].id,
			        panel_default_categories[i].label,
			        panel_builtin_pattern(
			                panel_default_categories[i].pattern));
	template = c->prompt ? panel_read_prompt(c->prompt, err)
	                     : xstrdup(panel_judge_prompt);
	if (!template) {
		template = xstrdup(panel_judge_prompt);
		bad++;
	}
	panel_finish_prompt(c, template);
	free(template);
	template = c->verify_prompt ? panel_read_prompt(c->verify_prompt, err)
	                            : xstrdup(verify_prompt_text);
	if (!template) {
		template = xstrdup(verify_prompt_text);
		bad++;
	}
	free(c->verify_prompt);
	c->verify_prompt = template;
	return bad ? ERR_PARSE : 0;
}

void panel_config_free(struct panel_config *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->njudges; i++) {
		free(c->judges[i].name);
		llm_profile_free(&c->judges[i].llm);
	}
	free(c->judges);
	for (i = 0; i < c->ncategories; i++) {
		free(c->categories[i].id);
		free(c->categories[i].label);
		pattern_free(c->categories[i].re);
	}
	free(c->categories);
	free(c->prompt);
	free(c->verify_prompt);
	memset(c, 0, sizeof *c);
}
