#ifndef AIDIGEST_WRITER_IMPL_H
#define AIDIGEST_WRITER_IMPL_H

/* What the writer's files share (summarize/writer*.c); not for others. */

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "common/buf.h"
#include "summarize/engine.h"
#include "summarize/writer.h"

#define WRITER_MAX_TERMS 256
#define WRITER_TERM_BYTES 100
#define WRITER_PROMPT_BYTES ((size_t)1 << 20)
#define WRITER_CLEAN_CP 20000 /* any input is cut to this before tidying */
#define WRITER_SENT_TITLE_CP 300
#define WRITER_STORY_TITLE_CP 200
#define WRITER_QUOTE_CP 100 /* a story's title quoted in a sentence */
#define WRITER_SOURCE_CP 40
#define WRITER_CATEGORY_CP 40
#define WRITER_TITLE_CP 120
#define WRITER_DESCRIPTION_CP 200
#define WRITER_TAG_CP 30
#define WRITER_TAGS_MIN 3
#define WRITER_TAGS_MAX 6
#define WRITER_HEADING_CP 40
#define WRITER_ONELINER_CP 200
#define WRITER_SUMMARY_CP 600
#define WRITER_PARAGRAPH_CP 1200
#define WRITER_LEAD_CP 300
#define WRITER_MAX_TOKENS 8192 /* [writer] max_tokens' default */

/* The replies' JSON schemas (writer_llm.c, writer_rewrite.c). */
extern const char writer_schema[];
extern const char writer_rewrite_schema[];
/* templates/prompts/writer.txt and rewrite.txt, embedded at build time. */
extern const char writer_prompt_text[];
extern const char writer_rewrite_prompt_text[];

struct writer_story_text {
	char id[24];
	char *title;  /* tidied, as sent */
	char *quote;  /* the title cut for a sentence */
	char *source; /* tidied, may be "" */
	char *text;   /* tidied, cut to text_max, as sent */
	char *lead;   /* its first sentence or two, may be "" */
	int cat;      /* index into cats, or -1 */
};

struct writer_run {
	const struct writer_config *cfg;
	const struct writer_story *stories;
	size_t n;
	const struct writer_category *cats;
	size_t ncats;
	struct writer_story_text *s;
	size_t *count; /* stories per category */
};

/* Why LLM slots were replaced by extractive text. */
struct writer_tally {
	int missing, not_korean, glossary;
};

/* What became of one LLM slot: taken, or rejected for a lost glossary
 * term (the LLM's text kept for a rewrite). */
struct writer_slot_info {
	bool llm;
	const char *lost_term; /* the config's string */
	char *rejected;        /* owned */
};

/* A category's heading: its label, else its id. */
const char *writer_label(const struct writer_category *c);
/* The stories tidied as the LLM and the extractive writer read them. */
void writer_run_init(struct writer_run *r);
void writer_run_free(struct writer_run *r);
/* Add a tag unless it is empty or there already (ASCII case aside). */
void writer_add_tag(struct writer_output *o, const char *tag);
/* Every slot by the extractive writer. */
void writer_extractive(const struct writer_run *r, struct writer_output *o);
/* template with every `name` replaced by value; a new string. */
char *writer_fill(const char *template, const char *name, const char *value);
/* The LLM's text for a slot in place of *slot when it can stand (see
 * writer_llm.c); info, when given, says what became of it. */
void writer_take(const struct writer_config *cfg, struct writer_tally *t,
                 json_t *v, size_t max_cp, const char *src1, const char *src2,
                 char **slot, struct writer_slot_info *info);
/* a, a newline and b, as one new string */
char *writer_join(const char *a, const char *b);
/* The most output tokens a call may ask for: [writer] max_tokens. */
int writer_max_tokens(const struct writer_config *cfg);
/* c set for a call of the writer (its LLM, name, version, schema, the
 * reply's array `want`, the estimate for nout stories); the caller sets
 * c->call's system, user and max_tokens. */
void writer_call_init(const struct writer_config *cfg, struct engine_call *c,
                      const char *version, const char *schema_name,
                      const char *schema_json, const char *want, size_t nout);
/* The LLM writer over the extractive text in o. */
void writer_llm(const struct writer_run *r, const struct engine_run *run,
                struct writer_output *o);

#endif
