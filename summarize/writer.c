#include "summarize/writer_impl.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ascii.h"
#include "common/file.h"
#include "common/hash.h"
#include "common/utf8.h"
#include "common/xalloc.h"

/* The keys of [writer] beyond the endpoint's (llm_profile_key). */
static const struct {
	const char *key;
	size_t offset; /* into struct writer_config */
	double min, max;
} writer_number_keys[] = {
        {"max_tokens", offsetof(struct writer_config, max_tokens), 1024,
         1000000},
        {"text_max", offsetof(struct writer_config, text_max), 50, 100000},
};

/* What [writer] says beyond the endpoint: prompt files, their lines. */
struct writer_settings {
	const struct ini_entry *first, *prompt, *rewrite_prompt;
};

static int writer_number(struct writer_config *c, const struct ini_entry *e,
                         const char *file, size_t i, struct buf *err)
{
	char *field = (char *)c + writer_number_keys[i].offset;
	double v;

	if (ini_number(e, file, writer_number_keys[i].min,
	               writer_number_keys[i].max, &v, err) != 0)
		return ERR_PARSE;
	if (writer_number_keys[i].offset ==
	    offsetof(struct writer_config, max_tokens))
		*(int *)field = (int)v;
	else
		*(size_t *)field = (size_t)v;
	return 0;
}

static int writer_setting(struct writer_config *c, struct writer_settings *st,
                          const struct ini_entry *e, const char *file,
                          struct buf *err)
{
	size_t i, n = sizeof writer_number_keys / sizeof *writer_number_keys;
	int rc;

	if (!st->first)
		st->first = e;
	if (strcmp(e->key, "prompt") == 0) {
		st->prompt = e;
		return 0;
	}
	if (strcmp(e->key, "rewrite_prompt") == 0) {
		st->rewrite_prompt = e;
		return 0;
	}
	for (i = 0; i < n; i++)
		if (strcmp(writer_number_keys[i].key, e->key) == 0)
			return writer_number(c, e, file, i, err);
	rc = llm_profile_key(&c->profile, e, file, err);
	if (rc == ERR_NOT_FOUND)
		buf_printf(err, "%s:%d: [writer] has no key '%s'\n", file,
		           e->line, e->key);
	return rc;
}

static int writer_add_term(struct writer_config *c, const char *term, size_t n,
                           const char *file, int line, struct buf *err)
{
	size_t i;
	char *t;

	while (n > 0 && (*term == ' ' || *term == '\t')) {
		term++;
		n--;
	}
	while (n > 0 && (term[n - 1] == ' ' || term[n - 1] == '\t'))
		n--;
	if (n == 0)
		return 0;
	if (n > WRITER_TERM_BYTES || utf8_valid_prefix(term, n) != n ||
	    memchr(term, '\0', n)) {
		buf_printf(err,
		           "%s:%d: [glossary] a term is valid UTF-8 of at "
		           "most %d bytes\n",
		           file, line, WRITER_TERM_BYTES);
		return ERR_PARSE;
	}
	t = xstrndup(term, n);
	for (i = 0; i < c->nglossary; i++)
		if (ascii_casecmp(c->glossary[i], t) == 0) {
			free(t);
			return 0;
		}
	if (c->nglossary == WRITER_MAX_TERMS) {
		buf_printf(err, "%s:%d: [glossary] has more than %d terms\n",
		           file, line, WRITER_MAX_TERMS);
		free(t);
		return ERR_PARSE;
	}
	c->glossary = xreallocarray(c->glossary, c->nglossary + 1,
	                            sizeof *c->glossary);
	c->glossary[c->nglossary++] = t;
	return 0;
}

/* [glossary]: `terms = a, b, c`, or `TERM =` with no value. */
static int writer_glossary_key(struct writer_config *c,
                               const struct ini_entry *e, const char *file,
                               struct buf *err)
{
	const char *p, *comma;
	int bad = 0;

	if (strcmp(e->key, "terms") != 0) {
		if (*e->value) {
			buf_printf(err,
			           "%s:%d: [glossary] '%s' takes no value: "
			           "list terms as `terms = a, b` or one "
			           "`TERM =` a line\n",
			           file, e->line, e->key);
			return ERR_PARSE;
		}
		return writer_add_term(c, e->key, strlen(e->key), file, e->line,
		                       err);
	}
	for (p = e->value;; p = comma + 1) {
		comma = strchr(p, ',');
		if (writer_add_term(c, p,
		                    comma ? (size_t)(comma - p) : strlen(p),
		                    file, e->line, err) != 0)
			bad++;
		if (!comma)
			break;
	}
	return bad ? ERR_PARSE : 0;
}

/* A prompt file given as [writer] KEY (at e), else the built-in text,
 * with {glossary} filled; NULL after an error in err. */
static char *writer_prompt(const struct ini_entry *e, const char *builtin,
                           const char *glossary, const char *file,
                           struct buf *err)
{
	struct buf text = BUF_INIT(0), why = BUF_INIT(256);
	char *filled = NULL;

	if (!e) {
		filled = writer_fill(builtin, "{glossary}", glossary);
	} else if (file_read(e->value, WRITER_PROMPT_BYTES, &text, &why) != 0) {
		buf_printf(err, "%s:%d: [writer] %s: cannot read '%s' (%s)\n",
		           file, e->line, e->key, e->value, buf_cstr(&why));
	} else if (utf8_valid_prefix(buf_cstr(&text), text.len) != text.len) {
		buf_printf(err,
		           "%s:%d: [writer] %s: '%s' is not UTF-8 text "
		           "of at most 1 MiB\n",
		           file, e->line, e->key, e->value);
	} else {
		filled = writer_fill(buf_cstr(&text), "{glossary}", glossary);
	}
	buf_free(&text);
	buf_free(&why);
	return filled;
}

/* template with every `name` replaced by value; a new string. */
char *writer_fill(const char *template, const char *name, const char *value)
{
	struct buf b = BUF_INIT(0);
	const char *p = template, *mark;

	while ((mark = strstr(p, name)) != NULL) {
		buf_append(&b, p, (size_t)(mark - p));
		buf_puts(&b, value);
		p = mark + strlen(name);
	}
	buf_puts(&b, p);
	return buf_detach(&b);
}

/* "writer-" or "rewrite-" and a hash of the prompt and the schema. */
static void writer_version(char *out, size_t size, const char *kind,
                           const char *prompt, const char *schema)
{
	uint64_t h = hash_fnv1a_str(HASH_FNV_OFFSET, prompt);

	h = hash_fnv1a_str(h, schema);
	snprintf(out, size, "%s-%012llx", kind,
	         (unsigned long long)(h & 0xFFFFFFFFFFFFULL));
}

/* The prompts with the glossary, and their versions. */
static int writer_prompts(struct writer_config *c,
                          const struct writer_settings *st, const char *file,
                          struct buf *err)
{
	struct buf terms = BUF_INIT(0);
	const char *list;
	size_t i;
	int bad = 0;

	for (i = 0; i < c->nglossary; i++)
		buf_printf(&terms, "%s%s", i ? ", " : "", c->glossary[i]);
	list = c->nglossary ? buf_cstr(&terms) : "(none given)";
	c->prompt =
	        writer_prompt(st->prompt, writer_prompt_text, list, file, err);
	if (!c->prompt) {
		bad++;
		c->prompt = writer_fill(writer_prompt_text, "{glossary}", list);
	}
	c->rewrite_prompt =
	        writer_prompt(st->rewrite_prompt, writer_rewrite_prompt_text,
	                      list, file, err);
	if (!c->rewrite_prompt) {
		bad++;
		c->rewrite_prompt = writer_fill(writer_rewrite_prompt_text,
		                                "{glossary}", list);
	}
	writer_version(c->prompt_version, sizeof c->prompt_version, "writer",
	               c->prompt, writer_schema);
	writer_version(c->rewrite_version, sizeof c->rewrite_version, "rewrite",
	               c->rewrite_prompt, writer_rewrite_schema);
	buf_free(&terms);
	return bad ? ERR_PARSE : 0;
}

int writer_config_load(const struct ini *ini, const char *file,
                       struct writer_config *out, struct buf *err,
                       struct buf *notices)
{
	struct writer_settings st;
	size_t i;
	int bad = 0;

	memset(out, 0, sizeof *out);
	memset(&st, 0, sizeof st);
	out->profile.ep.timeout = 120;
	out->text_max = 1500;
	out->max_tokens = WRITER_MAX_TOKENS;
	out->name = xstrdup("writer");
	if (!file)
		file = "aidigest.conf";
	for (i = 0; ini && i < ini->n; i++) {
		const struct ini_entry *e = &ini->v[i];

		if (strcmp(e->section, "writer") == 0)
			bad += writer_setting(out, &st, e, file, err) != 0;
		else if (strcmp(e->section, "glossary") == 0)
			bad += writer_glossary_key(out, e, file, err) != 0;
	}
	if (st.first && (!out->profile.ep.model || !*out->profile.ep.model)) {
		buf_printf(err,
		           "%s:%d: [writer] needs a model (leave [writer] "
		           "out for the extractive writer)\n",
		           file, st.first->line);
		bad++;
	}
	bad += writer_prompts(out, &st, file, err) != 0;
	if (st.first && !bad) {
		out->llm = true;
		if (llm_profile_finish(&out->profile) != 0) {
			buf_printf(notices, "writer skipped: $%s is not set\n",
			           out->profile.api_key_env);
			out->llm = false;
		}
	}
	return bad ? ERR_PARSE : 0;
}

void writer_config_free(struct writer_config *c)
{
	size_t i;

	if (!c)
		return;
	llm_profile_free(&c->profile);
	free(c->name);
	free(c->prompt);
	free(c->rewrite_prompt);
	for (i = 0; i < c->nglossary; i++)
		free(c->glossary[i]);
	free(c->glossary);
	memset(c, 0, sizeof *c);
}

int writer_write(const struct writer_config *cfg, const struct engine_run *run,
                 const struct writer_story *stories, size_t n,
                 const struct writer_category *cats, size_t ncats,
                 struct writer_output *out, struct buf *err)
{
	struct writer_run r;

	if (out)
		memset(out, 0, sizeof *out);
	if (!out || (n && !stories) || (ncats && !cats)) {
		buf_puts(err, "writer: no stories or categories given");
		return ERR_USAGE;
	}
	memset(&r, 0, sizeof r);
	r.cfg = cfg;
	r.stories = stories;
	r.n = n;
	r.cats = cats;
	r.ncats = ncats;
	writer_run_init(&r);
	writer_extractive(&r, out);
	if (cfg && cfg->llm && n > 0)
		writer_llm(&r, run, out);
	writer_run_free(&r);
	return 0;
}

void writer_output_free(struct writer_output *o)
{
	size_t i;

	if (!o)
		return;
	free(o->title);
	free(o->description);
	for (i = 0; i < o->ntags; i++)
		free(o->tags[i]);
	free(o->tags);
	free(o->intro);
	free(o->viewpoint);
	free(o->overview_title);
	for (i = 0; i < o->nheadings; i++)
		free(o->headings[i]);
	free(o->headings);
	for (i = 0; i < o->npieces; i++) {
		free(o->pieces[i].oneliner);
		free(o->pieces[i].summary);
		free(o->pieces[i].title);
		free(o->pieces[i].lost_term);
		free(o->pieces[i].draft);
	}
	free(o->intro_lost_term);
	free(o->intro_draft);
	free(o->pieces);
	memset(o, 0, sizeof *o);
}
