#include "summarize/writer_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "common/xalloc.h"
#include "summarize/text.h"

/* The LLM writer: one call with every story; its text replaces the
 * extractive writer's slot by slot where it can stand. */

/* The reply the LLM writer must give. */
const char writer_schema[] =
        "{\"type\":\"object\",\"additionalProperties\":false,"
        "\"required\":[\"title\",\"description\",\"tags\",\"intro\","
        "\"viewpoint\",\"overview_title\",\"headings\",\"stories\"],"
        "\"properties\":{"
        "\"title\":{\"type\":\"string\"},"
        "\"description\":{\"type\":\"string\"},"
        "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
        "\"intro\":{\"type\":\"string\"},"
        "\"viewpoint\":{\"type\":\"string\"},"
        "\"overview_title\":{\"type\":\"string\"},"
        "\"headings\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
        "\"additionalProperties\":false,\"required\":[\"id\",\"heading\"],"
        "\"properties\":{\"id\":{\"type\":\"string\"},"
        "\"heading\":{\"type\":\"string\"}}}},"
        "\"stories\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
        "\"additionalProperties\":false,"
        "\"required\":[\"id\",\"oneliner\",\"summary\"],"
        "\"properties\":{\"id\":{\"type\":\"string\"},"
        "\"oneliner\":{\"type\":\"string\"},"
        "\"summary\":{\"type\":\"string\"}}}}}}";

/* The first glossary term one of the sources has and slot lost, or
 * NULL. */
static const char *writer_lost_term(const struct writer_config *cfg,
                                    const char *src1, const char *src2,
                                    const char *slot)
{
	size_t k;

	for (k = 0; k < cfg->nglossary; k++) {
		const char *term = cfg->glossary[k];

		if ((text_has_term(src1, term) || text_has_term(src2, term)) &&
		    !text_has_term(slot, term))
			return term;
	}
	return NULL;
}

/* Put the LLM's text for a slot in place of the extractive text when it
 * can stand: present, not empty, Korean, and keeping the glossary terms
 * of its sources; otherwise the extractive text stays and is counted.
 * info, when given, says which. */
void writer_take(const struct writer_config *cfg, struct writer_tally *t,
                 json_t *v, size_t max_cp, const char *src1, const char *src2,
                 char **slot, struct writer_slot_info *info)
{
	const char *s = json_string_value(v), *lost = NULL;
	char *c;

	if (!s) {
		t->missing++;
		return;
	}
	c = text_tidy(s, max_cp);
	if (!*c)
		t->missing++;
	else if (!text_has_hangul(c))
		t->not_korean++;
	else if ((src1 || src2) &&
	         (lost = writer_lost_term(cfg, src1, src2, c)) != NULL) {
		t->glossary++;
		if (info) {
			info->lost_term = lost;
			free(info->rejected);
			info->rejected = c;
			return;
		}
	} else {
		free(*slot);
		*slot = c;
		if (info)
			info->llm = true;
		return;
	}
	free(c);
}

/* a, a newline and b, as one new string */
char *writer_join(const char *a, const char *b)
{
	struct buf j = BUF_INIT(0);

	buf_printf(&j, "%s\n%s", a ? a : "", b ? b : "");
	return buf_detach(&j);
}

static void writer_take_tags(struct writer_tally *t, json_t *tags,
                             struct writer_output *o)
{
	struct writer_output fresh;
	json_t *v;
	size_t i;

	memset(&fresh, 0, sizeof fresh);
	json_array_foreach(tags, i, v)
	{
		if (json_is_string(v))
			writer_add_tag(&fresh, json_string_value(v));
	}
	if (fresh.ntags == 0) {
		t->missing++;
		return;
	}
	/* fewer than three: the extractive tags fill up */
	for (i = 0; fresh.ntags < WRITER_TAGS_MIN && i < o->ntags; i++)
		writer_add_tag(&fresh, o->tags[i]);
	for (i = 0; i < o->ntags; i++)
		free(o->tags[i]);
	free(o->tags);
	o->tags = fresh.tags;
	o->ntags = fresh.ntags;
}

static void writer_take_headings(const struct writer_run *r,
                                 struct writer_tally *t, json_t *headings,
                                 struct writer_output *o)
{
	json_t *v, *found;
	size_t i, k;

	for (k = 0; k < r->ncats; k++) {
		found = NULL;
		json_array_foreach(headings, i, v)
		{
			const char *id =
			        json_string_value(json_object_get(v, "id"));

			if (id && r->cats[k].id &&
			    strcmp(id, r->cats[k].id) == 0) {
				found = json_object_get(v, "heading");
				break;
			}
		}
		writer_take(r->cfg, t, found, WRITER_HEADING_CP, NULL, NULL,
		            &o->headings[k], NULL);
	}
}

static void writer_take_stories(const struct writer_run *r,
                                struct writer_tally *t, json_t *stories,
                                struct writer_output *o)
{
	json_t **entry = xcalloc(r->n + 1, sizeof *entry), *v;
	struct writer_slot_info a[2];
	size_t i, k;

	json_array_foreach(stories, i, v)
	{
		const char *id = json_string_value(json_object_get(v, "id"));

		if (!id)
			continue;
		/* unknown ids are dropped; a repeated id keeps its first */
		for (k = 0; k < r->n; k++)
			if (!entry[k] && strcmp(r->s[k].id, id) == 0) {
				entry[k] = v;
				break;
			}
	}
	for (k = 0; k < r->n; k++) {
		if (!entry[k]) {
			t->missing += 2;
			continue;
		}
		/* the one-liner keeps the title's terms; the summary the
		 * title's and the text's */
		memset(a, 0, sizeof a);
		writer_take(r->cfg, t, json_object_get(entry[k], "oneliner"),
		            WRITER_ONELINER_CP, r->s[k].title, "",
		            &o->pieces[k].oneliner, &a[0]);
		writer_take(r->cfg, t, json_object_get(entry[k], "summary"),
		            WRITER_SUMMARY_CP, r->s[k].title, r->s[k].text,
		            &o->pieces[k].summary, &a[1]);
		o->pieces[k].llm = a[0].llm || a[1].llm;
		if (a[0].lost_term || a[1].lost_term) {
			o->pieces[k].lost_term =
			        xstrdup(a[0].lost_term ? a[0].lost_term
			                               : a[1].lost_term);
			o->pieces[k].draft = writer_join(
			        a[0].rejected ? a[0].rejected
			                      : o->pieces[k].oneliner,
			        a[1].rejected ? a[1].rejected
			                      : o->pieces[k].summary);
		}
		free(a[0].rejected);
		free(a[1].rejected);
	}
	free(entry);
}

static void writer_note(struct writer_output *o, const char *text)
{
	size_t n = strlen(text);

	if (n > sizeof o->note - 1)
		n = utf8_valid_prefix(text, sizeof o->note - 1);
	memcpy(o->note, text, n);
	o->note[n] = '\0';
}

static char *writer_user_message(const struct writer_run *r)
{
	json_t *arr = json_array();
	struct buf b = BUF_INIT(0);
	char *dump, *cat;
	size_t i;

	for (i = 0; i < r->n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "id", json_string(r->s[i].id));
		json_object_set_new(o, "title", json_string(r->s[i].title));
		json_object_set_new(o, "source", json_string(r->s[i].source));
		json_object_set_new(o, "text", json_string(r->s[i].text));
		if (r->stories[i].category) {
			cat = text_tidy(r->stories[i].category,
			                WRITER_CATEGORY_CP);
			json_object_set_new(o, "category", json_string(cat));
			free(cat);
		}
		json_array_append_new(arr, o);
	}
	dump = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
	buf_printf(&b,
	           "Write today's digest from these %zu stories; the first is "
	           "the headline:\n%s",
	           r->n, dump ? dump : "[]");
	free(dump);
	json_decref(arr);
	return buf_detach(&b);
}

static char *writer_system_prompt(const struct writer_run *r)
{
	struct buf list = BUF_INIT(0);
	char *system;
	size_t k;

	for (k = 0; k < r->ncats; k++)
		buf_printf(&list, "%s%s: %s", k ? ", " : "",
		           r->cats[k].id ? r->cats[k].id : "",
		           writer_label(&r->cats[k]));
	system = writer_fill(r->cfg->prompt ? r->cfg->prompt : "",
	                     "{categories}",
	                     r->ncats ? buf_cstr(&list) : "(none)");
	buf_free(&list);
	return system;
}

int writer_max_tokens(const struct writer_config *cfg)
{
	return cfg->max_tokens > 0 ? cfg->max_tokens : WRITER_MAX_TOKENS;
}

#define WRITER_OUT_TOKENS_PER_STORY 300
#define WRITER_OUT_TOKENS_BASE 800

void writer_call_init(const struct writer_config *cfg, struct engine_call *c,
                      const char *version, const char *schema_name,
                      const char *schema_json, const char *want, size_t nout)
{
	memset(c, 0, sizeof *c);
	c->llm = &cfg->profile;
	c->name = cfg->name ? cfg->name : "writer";
	c->version = version;
	c->call.schema_name = schema_name;
	c->call.schema_json = schema_json;
	c->want = want;
	c->est_out_tokens = WRITER_OUT_TOKENS_BASE +
	                    (double)nout * WRITER_OUT_TOKENS_PER_STORY;
	c->max_tokens_cap = writer_max_tokens(cfg);
}

void writer_llm(const struct writer_run *r, const struct engine_run *run,
                struct writer_output *o)
{
	const struct writer_config *cfg = r->cfg;
	struct writer_tally t = {0, 0, 0};
	struct writer_slot_info info;
	struct engine_call c;
	struct buf note = BUF_INIT(1024), trouble = BUF_INIT(1024);
	json_t *root;
	char *system = writer_system_prompt(r), *user = writer_user_message(r);
	size_t max_tokens = 1536 + 450 * r->n;

	writer_call_init(cfg, &c, cfg->prompt_version, "digest_writer",
	                 writer_schema, "stories", r->n);
	c.call.system = system;
	c.call.user = user;
	c.call.max_tokens = (int)(max_tokens < (size_t)writer_max_tokens(cfg)
	                                  ? max_tokens
	                                  : (size_t)writer_max_tokens(cfg));
	root = engine_call_one(&c, run, &o->use, &o->cached, &note, &trouble);
	if (!root) {
		buf_puts(&note, ": the extractive writer wrote every slot");
		goto out;
	}

	/* the reply into the slots */
	o->by_llm = true;
	writer_take_stories(r, &t, json_object_get(root, "stories"), o);
	writer_take_headings(r, &t, json_object_get(root, "headings"), o);
	writer_take_tags(&t, json_object_get(root, "tags"), o);
	writer_take(cfg, &t, json_object_get(root, "title"), WRITER_TITLE_CP,
	            NULL, NULL, &o->title, NULL);
	writer_take(cfg, &t, json_object_get(root, "description"),
	            WRITER_DESCRIPTION_CP, NULL, NULL, &o->description, NULL);
	memset(&info, 0, sizeof info);
	writer_take(cfg, &t, json_object_get(root, "intro"),
	            WRITER_PARAGRAPH_CP, r->s[0].title, "", &o->intro, &info);
	o->intro_llm = info.llm;
	if (info.lost_term) {
		o->intro_lost_term = xstrdup(info.lost_term);
		o->intro_draft = info.rejected;
		info.rejected = NULL;
	}
	memset(&info, 0, sizeof info);
	writer_take(cfg, &t, json_object_get(root, "viewpoint"),
	            WRITER_PARAGRAPH_CP, NULL, NULL, &o->viewpoint, &info);
	o->viewpoint_llm = info.llm;
	writer_take(cfg, &t, json_object_get(root, "overview_title"),
	            WRITER_TITLE_CP, NULL, NULL, &o->overview_title, NULL);
	o->replaced = t.missing + t.not_korean + t.glossary;
	if (o->replaced)
		buf_printf(&note,
		           "%d LLM slot%s replaced by extractive text "
		           "(missing %d, not Korean %d, glossary term "
		           "lost %d)",
		           o->replaced, o->replaced == 1 ? "" : "s", t.missing,
		           t.not_korean, t.glossary);
out:
	if (trouble.len)
		buf_printf(&note, "%s%s", note.len ? "; " : "",
		           buf_cstr(&trouble));
	writer_note(o, buf_cstr(&note));
	json_decref(root);
	free(system);
	free(user);
	buf_free(&note);
	buf_free(&trouble);
}
