#ifndef AIDIGEST_WRITER_H
#define AIDIGEST_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/ini.h"
#include "summarize/engine.h"
#include "summarize/llm.h"

struct store;

/* The Korean writer. With [writer] configured (provider, base_url, model,
 * api_key_env, price_in, price_out, timeout, as a judge), an LLM writes
 * every slot of the post from the selected stories (given as the judges
 * get them: a JSON array of {"id","title","source","text"} in the last
 * user message; json_schema output whose per-story objects carry "id");
 * otherwise an extractive writer fills the same slots from the stories'
 * own titles and first sentences with Korean connecting text. The writer
 * never writes a URL: links are the store's, and URLs in its text are
 * removed. [glossary] terms stay as written: the LLM is told, and any
 * slot that loses one is replaced by extractive text. */

struct writer_config {
	bool llm;                   /* false: extractive */
	struct llm_profile profile; /* the endpoint and prices; timeout
	                             * 120 s */
	char *name;                 /* "writer" */
	char *prompt;               /* [writer] prompt's file, else the built-in
	                             * templates/prompts/writer.txt, with
	                             * {glossary} filled; {categories} is filled
	                             * per call ("id: label, ...") */
	char prompt_version[32]; /* "writer-" and a hash of prompt and schema */
	char *rewrite_prompt;    /* [writer] rewrite_prompt's file, else the
	                          * built-in templates/prompts/rewrite.txt,
	                          * with {glossary} filled */
	char rewrite_version[32]; /* "rewrite-" and a hash, the same way */
	char **glossary;          /* terms kept as written, deduplicated */
	size_t nglossary;
	size_t text_max; /* code points of text per story: 1500 */
	int max_tokens;  /* the most output tokens a call asks for
	                  * (1536 + 450 a story below it): 8192 */
};

/* Read [writer] and [glossary] ([glossary] is `terms = a, b, c` and/or
 * one `TERM =` line per term). A [writer] with any key needs a model;
 * one whose api_key_env variable is unset is left out with the notice
 * "writer skipped: $VAR is not set" (the extractive writer then writes).
 * Bad values are errors "FILE:LINE: ..." in err. Returns 0 or -1; free
 * with writer_config_free either way. */
MUST_CHECK int writer_config_load(const struct ini *ini, const char *file,
                                  struct writer_config *out, struct buf *err,
                                  struct buf *notices);
void writer_config_free(struct writer_config *c);

/* A selected story as the writer gets it; the caller owns the strings
 * (any bytes: invalid UTF-8 and invisible characters are cleaned). */
struct writer_story {
	int64_t id;
	const char *title;
	const char *source;
	const char *text;
	const char *category; /* the panel's category id, or NULL */
};

/* A category heading: the id and the Korean label from [categories]. */
struct writer_category {
	const char *id;
	const char *label;
};

struct writer_piece {
	int64_t id;
	char *oneliner;  /* Korean, one sentence, for Today's Preview */
	char *summary;   /* Korean, two or three sentences, for the Overview */
	char *title;     /* the item's title for the Overview (as written,
	                  * URLs removed, cut to 200 code points) */
	bool llm;        /* the one-liner or the summary is the LLM's */
	char *lost_term; /* a [glossary] term the LLM's text lost (that slot
	                  * then extractive), or NULL */
	char *draft;     /* with lost_term: the LLM's one-liner, a newline and
	                  * its summary as written, for a rewrite; else NULL */
};

struct writer_output {
	char *title;       /* the post's Korean title */
	char *description; /* one line */
	char **tags;
	size_t ntags;
	char *intro;     /* a paragraph on the headline story */
	char *viewpoint; /* the AI Viewpoint: opinion, labelled so */
	bool intro_llm, viewpoint_llm; /* those are the LLM's text */
	char *intro_lost_term; /* as a piece's lost_term, for the intro */
	char *intro_draft;
	char *overview_title;        /* the Overview's ### title */
	char **headings;             /* Korean heading per category, in order */
	size_t nheadings;            /* = ncategories given */
	struct writer_piece *pieces; /* one per story, in the given order */
	size_t npieces;
	bool by_llm;          /* the LLM's reply was used (else extractive) */
	bool cached;          /* that reply came from the cache: nothing paid */
	int replaced;         /* LLM slots replaced by extractive text */
	struct llm_usage use; /* also of a failed call; rewrites' added */
	long rewrite_calls;   /* rewrites answered (from the LLM or cache) */
	char note[256];       /* why LLM text was not used, if so; else "" */
};

/* Write every slot for the stories (the first is the headline); every
 * slot is valid UTF-8 without URLs, bounded, and Korean (tags may be
 * names). cfg NULL or !cfg->llm: extractive. The LLM writer (one call,
 * the stories as a JSON array of {"id","title","source","text"} and the
 * story's "category" when given) falls back to extractive text slot by
 * slot when its text is missing, has no Hangul, or loses a glossary term
 * its source has (one-liner: the title's; summary: the title's and the
 * text's; intro: the headline's title); a failed call or a reply without
 * stories falls back entirely (the reason in note). The call goes
 * through the engine with run (NULL: no cache, no budget): a call the
 * cache has (the same writer, model, prompt, stories and categories) is
 * not sent, and a reply used is kept there; a cache that fails to read or
 * write costs a note, never the writing; a call whose estimate (prompt
 * bytes / 4 tokens in, 300 tokens out per story and 800 more) passes
 * what the run's ledger has left is not sent, and the note says so.
 * Returns 0; ERR_USAGE (err) only when n or ncats is given without its
 * array or out is NULL. */
MUST_CHECK int writer_write(const struct writer_config *cfg,
                            const struct engine_run *run,
                            const struct writer_story *stories, size_t n,
                            const struct writer_category *cats, size_t ncats,
                            struct writer_output *out, struct buf *err);
void writer_output_free(struct writer_output *o);

/* A text the panel sent back: a story's one-liner and summary, the
 * intro or the AI Viewpoint, with what it must stand on and the
 * reviewers' problems. */
enum writer_fix_kind {
	WRITER_FIX_STORY = 0,
	WRITER_FIX_INTRO,
	WRITER_FIX_VIEWPOINT
};

struct writer_fix {
	enum writer_fix_kind kind;
	size_t index;             /* the story, for WRITER_FIX_STORY */
	const char *source_title; /* what the text must stand on */
	const char *source_text;
	const char *const *problems;
	size_t nproblems;
	bool fixed;            /* out: the slots hold the rewrite */
	const char *lost_term; /* out: the rewrite lost this term */
};

/* One call to the LLM writer with the rejected texts (their drafts: the
 * LLM's text as written), the rewrite prompt and a json_schema reply
 * {"rewrites": [{"id", "oneliner", "summary", "text"}]}. A rewrite that
 * can stand (Korean, URLs removed, glossary terms kept; for a story both
 * slots) replaces the text in o and sets fixed; the others stay as they
 * are. Cache, budget and cost as writer_write (cost added to o). Why
 * nothing was rewritten, if so, goes to note. Returns 0, or ERR_USAGE (note)
 * when a fix names a story that is not there. */
MUST_CHECK int writer_rewrite(const struct writer_config *cfg,
                              const struct engine_run *run,
                              const struct writer_story *stories, size_t n,
                              struct writer_fix *fixes, size_t nfix,
                              struct writer_output *o, struct buf *note);

#endif
