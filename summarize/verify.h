#ifndef AIDIGEST_VERIFY_H
#define AIDIGEST_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "common/err.h"
#include "summarize/panel.h"
#include "summarize/writer.h"

/* The panel checks the writer's texts against their sources (PoLL's
 * first question: "is this supported?", by a majority of judges from
 * different families). Every LLM text of the post is a unit: each
 * story's one-liner and summary (against the story), the intro with the
 * post's title and description (against the day's stories, the headline
 * first), and the AI Viewpoint (the same; opinion is allowed, invented
 * facts are not). Each LLM judge of the panel gets the units in batches
 * ({"id","kind","source_title","source_text","summary"} in the last user
 * message, templates/prompts/verify.txt, a json_schema reply
 * {"verdicts":[{"id","supported","problem"}]}); a unit is supported when
 * more judges that answered say so than not (a tie is unsupported). A
 * unit voted down, or one whose LLM text lost a [glossary] term, goes
 * back to the writer once with the judges' problems; the rewrite is voted
 * again. Still unsupported, or never voted on (no judge answered: a
 * failure or the budget), its text becomes the extractive writer's. */

enum verify_outcome {
	VERIFY_SUPPORTED = 0, /* supported the first time */
	VERIFY_REWRITTEN,     /* sent back, and the rewrite was supported */
	VERIFY_REPLACED,      /* still unsupported: extractive text now */
	VERIFY_UNVERIFIED     /* no judge answered: extractive text now */
};

#define VERIFY_ROUNDS 2

/* One judge's vote on a unit in a round. */
struct verify_vote {
	signed char supported; /* 1, 0, or -1: no answer */
	bool cached;
	char *problem; /* owned, may be NULL */
};

struct verify_unit {
	enum writer_fix_kind kind;
	size_t index; /* the story, for WRITER_FIX_STORY */
	char id[32];  /* the story's id, "intro" or "viewpoint" */
	char *source_title, *source_text;
	char *text[VERIFY_ROUNDS]; /* what was voted on; NULL: not voted */
	char hash[VERIFY_ROUNDS][17];
	struct verify_vote *votes[VERIFY_ROUNDS]; /* one per judge used */
	int yes[VERIFY_ROUNDS], no[VERIFY_ROUNDS];
	char *lost_term; /* sent back for this [glossary] term */
	bool sent_back, rewritten_ok;
	enum verify_outcome outcome;
};

struct verify_judge_report {
	const char *name; /* the config's */
	size_t config_index;
	struct llm_usage use;
	bool failed;
	char reason[256];
};

struct verify_result {
	bool ran; /* false: not verified (why in note) */
	char prompt_version[32];
	struct verify_unit *units;
	size_t nunits;
	struct verify_judge_report *judges; /* the LLM judges used */
	size_t njudges;
	size_t checked, supported_first, rewritten, replaced, unverified;
	double kappa;             /* Fleiss' kappa of the first votes; NAN */
	struct llm_usage use;     /* the judges' */
	struct llm_usage rewrite; /* the writer's, for rewrites */
	double seconds;
	bool budget_hit, degraded;
	char note[512]; /* why not run, or what went wrong */
};

/* What verification checks and against what. */
struct verify_input {
	const struct panel_config *pc;
	const struct panel_result *pr;  /* the ranking: its failed judges are
	                                 * left out; NULL: all LLM judges */
	const struct writer_config *wc; /* the writer that rewrites */
	const struct writer_story *stories;
	size_t n;
	const struct writer_output *ex; /* the extractive writer's output for
	                                 * the same stories */
};

/* Check o's LLM texts and mend them (in place), as described above,
 * through the engine with run (verdicts cached in run->cache, calls and
 * the rewrite within run->ledger; NULL: no cache, no budget). Returns 0
 * (what happened is in res), or ERR_USAGE (err) for bad arguments. */
MUST_CHECK int verify_digest(const struct engine_run *run,
                             const struct verify_input *in,
                             struct writer_output *o, struct verify_result *res,
                             struct buf *err);
void verify_result_free(struct verify_result *res);

const char *verify_outcome_name(enum verify_outcome v);

/* A unit is supported when more judges say yes than no. */
bool verify_majority(int yes, int no);

/* Fleiss' kappa for yes/no ratings of n items by the same number of
 * raters m >= 2 each (yes[i] + no[i] == m); NAN when undefined (fewer
 * than 2 raters or items, unequal counts, or every rating the same). */
double verify_fleiss_kappa(const int *yes, const int *no, size_t n);

/* Below this Fleiss' kappa the judges' first votes on the Korean texts
 * agree only "fairly" (Landis and Koch's scale: 0.21-0.40) or less:
 * judges are known to agree less outside English (about 0.3 across 25
 * languages), and a verdict then says little more than chance. */
#define VERIFY_KAPPA_LOW 0.4

/* A warning in plain words when res->kappa is below VERIFY_KAPPA_LOW
 * (appended to out, one line, started with prefix); false when it is
 * not (or undefined). */
bool verify_kappa_warning(const struct verify_result *res, const char *prefix,
                          struct buf *out);

#endif
