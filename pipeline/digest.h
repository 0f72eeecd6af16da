#ifndef AIDIGEST_DIGEST_H
#define AIDIGEST_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/buf.h"
#include "common/config.h"
#include "common/date.h"
#include "common/err.h"
#include "common/hash.h"
#include "render/post.h"
#include "store/store.h"
#include "summarize/engine.h"
#include "summarize/panel.h"
#include "summarize/verify.h"
#include "summarize/writer.h"

/* One day's digest from the store, as steps the commands call in order:
 *
 *   digest_open      the day and the configuration the goal needs
 *   digest_select    the window's stories, rebuilt; for a post, those no
 *                    earlier day's digest carried
 *   digest_rank      the panel's ranking and selection
 *   digest_write     the writer's Korean text for the selected stories
 *   digest_verify    the panel checks that text against the sources
 *   digest_render    the post from the template
 *   digest_validate  the checks a post passes before it is published
 *   digest_place     the post's path in the blog folder
 *   digest_publish   the post written (atomically), what it carried kept
 *   digest_record    the run's row: cost, agreement, status, details
 *
 * digest_build runs select to validate. A step returns 0 or an ERR_*
 * code with the reason in err, one line or more (the code is the step's
 * best guess at the kind; callers need only "not 0"); after a failure
 * only digest_record and digest_free are called. A step that worked but
 * fell back (a judge failed, the LLM writer's text was not used,
 * verification was incomplete) sets `degraded` and says why through the
 * environment's notice function. The steps hold no state of their own
 * beyond the struct digest. */

/* What the digest is for. */
enum digest_goal {
	DIGEST_RANKING, /* the ranking only: every story of the window is a
	                 * candidate; only the panel's configuration is
	                 * read */
	DIGEST_POST     /* the post: stories an earlier day's digest carried
	                 * are no candidates; preset, panel and writer
	                 * configuration are read */
};

enum digest_notice {
	DIGEST_INFO, /* the configuration's notes: a quiet caller drops them */
	DIGEST_NOTE  /* what happened on the way: judges, writer, publishing */
};

/* What the steps work with. The pointers are the caller's and outlive
 * the digest. */
struct digest_env {
	const struct config *config;
	struct store *store;
	int64_t now;   /* UTC seconds: the post's update day */
	bool progress; /* progress lines on stderr while the panel works */
	/* one line (no newline) to say; NULL: nothing is said */
	void (*notice)(void *ctx, enum digest_notice level, const char *text);
	void *ctx;
};

/* One day's digest. The fields are read by the caller (printers) and
 * written by the steps only. */
struct digest {
	const struct digest_env *env;
	enum digest_goal goal;
	char date[DATE_DAY_LEN];       /* the day, YYYY-MM-DD */
	char update[DATE_DAY_LEN];     /* today in the digest's zone */
	char first_date[DATE_DAY_LEN]; /* the day's first publication (kept
	                                * on a re-run), set by render */
	int64_t from, to;              /* the day's window, UTC seconds */
	enum post_preset preset;
	struct panel_config pc;
	struct writer_config wc;
	/* select: every story of the window; the first `fresh` of them are
	 * the candidates, seen by the panel as cands[0..fresh) */
	struct store_story *stories;
	size_t nstories, fresh;
	struct panel_story *cands;
	char **cand_hashes;       /* private: what cands point to */
	const char ***cand_links; /* private */
	/* rank */
	struct panel_result pr;
	bool ranked;
	double *judge_factors; /* [panel] weights = editor: per configured
	                        * judge, the factor on its weight; NULL
	                        * under weights = config */
	/* write: the selected stories that have an http(s) link, best
	 * first, as the writer and the post see them */
	struct writer_category *wcats; /* pc.ncategories */
	struct writer_story *ws;
	struct post_item *items;
	size_t nitems;
	struct writer_output wo;
	bool written;
	/* verify */
	struct verify_result vr;
	/* render */
	struct post_spec spec;
	struct buf post;
	/* place and publish */
	char *path;
	char hash[HASH_HEX_LEN]; /* of the post, once published */
	bool unchanged;          /* publish left an identical post alone */
	bool degraded;
	/* [budget]: one ledger every LLM stage (rank, write, verify) draws
	 * on; its spent is the run's cost */
	struct engine_ledger ledger;
};

/* Start the digest of day `date` (YYYY-MM-DD in the configuration's
 * zone): read the configuration the goal needs (notes said as
 * DIGEST_INFO). 0, ERR_USAGE for a date that is no day, or ERR_PARSE for
 * a configuration value that is wrong ("FILE:LINE: ..." in err). Free
 * with digest_free either way. */
int digest_open(struct digest *d, const struct digest_env *env,
                enum digest_goal goal, const char *date,
                struct buf *err) MUST_CHECK;
void digest_free(struct digest *d);

/* The window's stories (rebuilt first); for DIGEST_POST those an earlier
 * day published go behind the others, and none left is ERR_NOT_FOUND. */
int digest_select(struct digest *d, struct buf *err) MUST_CHECK;
/* The panel ranks the candidates (judgments cached in the store); each
 * failed judge and the panel's note are said. Under [panel] weights =
 * editor the LLM judges' weights first take their factors from the jury
 * of the JURY_WEIGHT_DAYS days before the day (pipeline/jury.h), and
 * what was done is said. */
int digest_rank(struct digest *d, struct buf *err) MUST_CHECK;
/* The writer writes for the selected stories, paid from the panel's
 * budget and cached in the store. A story without an http(s) link is
 * not posted. */
int digest_write(struct digest *d, struct buf *err) MUST_CHECK;
/* The panel checks the writer's text; what it cannot trust becomes the
 * extractive writer's. */
int digest_verify(struct digest *d, struct buf *err) MUST_CHECK;
/* The post from [digest] template, else the built-in template, into
 * d->post. */
int digest_render(struct digest *d, struct buf *err) MUST_CHECK;
/* The post's front-matter, sections and links checked: ERR_PARSE and
 * every problem, one a line, when it may not be published. */
int digest_validate(struct digest *d, struct buf *err) MUST_CHECK;
/* digest_select to digest_validate, stopping at the first failure. */
int digest_build(struct digest *d, struct buf *err) MUST_CHECK;

/* d->path: out_dir and [digest] output (else the preset's pattern) for
 * the day. ERR_PARSE ("[digest] output: ..." in err) for a bad pattern. */
int digest_place(struct digest *d, const char *out_dir,
                 struct buf *err) MUST_CHECK;
/* Write the post to d->path (atomically; hold publish_lock) unless the
 * store says the same post is already there and force is false (then
 * d->unchanged, and it is said). Then the day's row and the URLs of the
 * stories it carried are kept in the store, so later days do not repeat
 * them, and the panel as it stood for the jury (jury_keep); a failure
 * there is said and degrades the run, not returned. ERR_IO when the post
 * cannot be written. */
int digest_publish(struct digest *d, bool force, struct buf *err) MUST_CHECK;

/* What the digest's calls cost so far: the panel, the writer (rewrites
 * too) and verification. */
struct digest_cost {
	double usd, reference_usd; /* reference: one frontier judge */
	long requests, tokens_in, tokens_out;
};
void digest_cost(const struct digest *d, struct digest_cost *out);

/* The run's row in the store under `command` ("rank", "run") with its
 * status ("ok", "degraded", "failed"): cost, agreement, and as details
 * the judges, the pooling, the prompt version, the panel's note and, for
 * a post, verification's counts. Call after digest_rank worked. 0, or
 * ERR_DB ("cannot record the run: ..." in err). */
int digest_record(const struct digest *d, const char *command,
                  const char *status, int64_t started, int64_t finished,
                  struct buf *err) MUST_CHECK;

/* The judges of the ranking as JSON (name, provider, model, weight,
 * status, reason, requests, cached, tokens, usd, tau): an array the
 * caller json_decref()s. */
json_t *digest_judges_json(const struct digest *d);
/* The panel's agreement: Kendall's W, the effective number of LLM judges,
 * the pairs that vote as one, the warnings in plain words. */
json_t *digest_agreement_json(const struct digest *d);
/* Verification's counts, cost and judges as a JSON object the caller
 * json_decref()s (the printers add each text's votes). */
json_t *digest_verify_json(const struct digest *d);

#endif
