#include "summarize/writer_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "summarize/text.h"

/* Rewrites: the texts the panel sent back, in one call. */

/* The reply a rewrite must give: every key of every object present
 * (strict structured outputs), "" where a kind has no such slot. */
const char writer_rewrite_schema[] =
        "{\"type\":\"object\",\"additionalProperties\":false,"
        "\"required\":[\"rewrites\"],"
        "\"properties\":{"
        "\"rewrites\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
        "\"additionalProperties\":false,"
        "\"required\":[\"id\",\"oneliner\",\"summary\",\"text\"],"
        "\"properties\":{\"id\":{\"type\":\"string\"},"
        "\"oneliner\":{\"type\":\"string\"},"
        "\"summary\":{\"type\":\"string\"},"
        "\"text\":{\"type\":\"string\"}}}}}}";
static const char *const writer_fix_kinds[] = {"story", "intro", "viewpoint"};

static const char *writer_fix_id(const struct writer_run *r,
                                 const struct writer_fix *f)
{
	return f->kind == WRITER_FIX_STORY ? r->s[f->index].id
	                                   : writer_fix_kinds[f->kind];
}

/* The draft the reviewers saw: the LLM's text as written. */
static char *writer_fix_draft(const struct writer_output *o,
                              const struct writer_fix *f)
{
	const struct writer_piece *p;

	switch (f->kind) {
	case WRITER_FIX_STORY:
		p = &o->pieces[f->index];
		return p->draft ? xstrdup(p->draft)
		                : writer_join(p->oneliner, p->summary);
	case WRITER_FIX_INTRO:
		return xstrdup(o->intro_draft ? o->intro_draft : o->intro);
	default:
		return xstrdup(o->viewpoint);
	}
}

static char *writer_rewrite_message(const struct writer_run *r,
                                    const struct writer_fix *fixes, size_t nfix,
                                    const struct writer_output *o)
{
	json_t *arr = json_array(), *probs;
	struct buf b = BUF_INIT(0);
	char *dump, *draft, *clean;
	size_t i, k;

	for (i = 0; i < nfix; i++) {
		const struct writer_fix *f = &fixes[i];
		json_t *obj = json_object();

		json_object_set_new(obj, "id",
		                    json_string(writer_fix_id(r, f)));
		json_object_set_new(obj, "kind",
		                    json_string(writer_fix_kinds[f->kind]));
		clean = text_tidy(f->source_title ? f->source_title : "",
		                  WRITER_SENT_TITLE_CP);
		json_object_set_new(obj, "source_title", json_string(clean));
		free(clean);
		clean = text_tidy(f->source_text ? f->source_text : "",
		                  r->cfg->text_max ? r->cfg->text_max * 4
		                                   : 6000);
		json_object_set_new(obj, "source_text", json_string(clean));
		free(clean);
		draft = writer_fix_draft(o, f);
		clean = text_tidy(draft, WRITER_CLEAN_CP);
		json_object_set_new(obj, "draft", json_string(clean));
		free(clean);
		free(draft);
		probs = json_array();
		for (k = 0; k < f->nproblems; k++) {
			clean = text_tidy(f->problems[k] ? f->problems[k] : "",
			                  300);
			if (*clean)
				json_array_append_new(probs,
				                      json_string(clean));
			free(clean);
		}
		json_object_set_new(obj, "problems", probs);
		json_array_append_new(arr, obj);
	}
	dump = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
	buf_printf(&b, "Revise these %zu texts:\n%s", nfix, dump ? dump : "[]");
	free(dump);
	json_decref(arr);
	return buf_detach(&b);
}

/* Take one rewrite into its slots when it can stand: Korean, present,
 * keeping the glossary terms of its sources. */
static bool writer_take_fix(const struct writer_run *r, struct writer_fix *f,
                            json_t *v, struct writer_output *o)
{
	const struct writer_config *cfg = r->cfg;
	struct writer_tally t = {0, 0, 0};
	struct writer_slot_info a[2];
	char *one = NULL, *sum = NULL, *text = NULL;
	bool ok = false;

	memset(a, 0, sizeof a);
	if (f->kind == WRITER_FIX_STORY) {
		struct writer_piece *p = &o->pieces[f->index];
		const struct writer_story_text *s = &r->s[f->index];

		one = xstrdup("");
		sum = xstrdup("");
		writer_take(cfg, &t, json_object_get(v, "oneliner"),
		            WRITER_ONELINER_CP, s->title, "", &one, &a[0]);
		writer_take(cfg, &t, json_object_get(v, "summary"),
		            WRITER_SUMMARY_CP, s->title, s->text, &sum, &a[1]);
		if (a[0].llm && a[1].llm) {
			free(p->oneliner);
			free(p->summary);
			p->oneliner = one;
			p->summary = sum;
			one = sum = NULL;
			p->llm = true;
			free(p->lost_term);
			free(p->draft);
			p->lost_term = p->draft = NULL;
			ok = true;
		} else {
			f->lost_term = a[0].lost_term ? a[0].lost_term
			                              : a[1].lost_term;
		}
	} else {
		text = xstrdup("");
		writer_take(cfg, &t, json_object_get(v, "text"),
		            WRITER_PARAGRAPH_CP,
		            f->kind == WRITER_FIX_INTRO ? r->s[0].title : NULL,
		            f->kind == WRITER_FIX_INTRO ? "" : NULL, &text,
		            &a[0]);
		if (a[0].llm) {
			char **slot = f->kind == WRITER_FIX_INTRO
			                      ? &o->intro
			                      : &o->viewpoint;

			free(*slot);
			*slot = text;
			text = NULL;
			if (f->kind == WRITER_FIX_INTRO) {
				o->intro_llm = true;
				free(o->intro_lost_term);
				free(o->intro_draft);
				o->intro_lost_term = o->intro_draft = NULL;
			} else {
				o->viewpoint_llm = true;
			}
			ok = true;
		} else {
			f->lost_term = a[0].lost_term;
		}
	}
	free(a[0].rejected);
	free(a[1].rejected);
	free(one);
	free(sum);
	free(text);
	return ok;
}

int writer_rewrite(const struct writer_config *cfg,
                   const struct engine_run *run,
                   const struct writer_story *stories, size_t n,
                   struct writer_fix *fixes, size_t nfix,
                   struct writer_output *o, struct buf *note)
{
	struct writer_run r;
	struct engine_call c;
	struct buf trouble = BUF_INIT(1024);
	json_t *root = NULL, *arr, *v;
	char *user = NULL;
	bool cached = false;
	size_t i, k, max_tokens;

	for (i = 0; i < nfix; i++) {
		fixes[i].fixed = false;
		fixes[i].lost_term = NULL;
		if (fixes[i].kind > WRITER_FIX_VIEWPOINT ||
		    (fixes[i].kind == WRITER_FIX_STORY &&
		     fixes[i].index >= n) ||
		    (fixes[i].kind == WRITER_FIX_STORY &&
		     fixes[i].index >= o->npieces)) {
			buf_puts(note,
			         "writer: a rewrite of a story that is not "
			         "there");
			return ERR_USAGE;
		}
	}
	if (!cfg || !cfg->llm || nfix == 0)
		return 0;
	memset(&r, 0, sizeof r);
	r.cfg = cfg;
	r.stories = stories;
	r.n = n;
	writer_run_init(&r);
	user = writer_rewrite_message(&r, fixes, nfix, o);
	writer_call_init(cfg, &c, cfg->rewrite_version, "digest_rewrite",
	                 writer_rewrite_schema, "rewrites", nfix);
	c.call.system = cfg->rewrite_prompt;
	c.call.user = user;
	max_tokens = 1024 + 450 * nfix;
	c.call.max_tokens = (int)(max_tokens < (size_t)writer_max_tokens(cfg)
	                                  ? max_tokens
	                                  : (size_t)writer_max_tokens(cfg));
	root = engine_call_one(&c, run, &o->use, &cached, note, &trouble);
	if (root) {
		o->rewrite_calls++;
		arr = json_object_get(root, "rewrites");
		for (i = 0; i < nfix; i++) {
			const char *want = writer_fix_id(&r, &fixes[i]);

			json_array_foreach(arr, k, v)
			{
				const char *id = json_string_value(
				        json_object_get(v, "id"));

				if (id && strcmp(id, want) == 0) {
					fixes[i].fixed = writer_take_fix(
					        &r, &fixes[i], v, o);
					break;
				}
			}
		}
	}
	if (trouble.len)
		buf_printf(note, "%s%s", note->len ? "; " : "",
		           buf_cstr(&trouble));
	json_decref(root);
	free(user);
	buf_free(&trouble);
	writer_run_free(&r);
	return 0;
}
