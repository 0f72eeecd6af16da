#ifndef AIDIGEST_CLI_PRINT_H
#define AIDIGEST_CLI_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/buf.h"
#include "pipeline/digest.h"
#include "pipeline/ingest.h"
#include "store/store.h"

/* The commands' outputs: tables and TSV for people and scripts, JSON
 * (two-space indent, keys in a fixed order) for scripts. They write to
 * fp and leave flushing and its errors to the caller. */

/* Each failed or skipped source with its reason (a skipped one unless
 * quiet, and unless the feeds file's reader said so already; each other
 * one with its counts when verbose), then the summary line, as messages
 * under context. */
void cli_print_fetch_messages(const char *context, int verbosity,
                              const struct ingest_report *rep);
void cli_print_fetch_json(FILE *fp, const struct ingest_report *rep);

/* A day's stories (items: TSV, one item a line: story id,
 * corroboration, time, source, title, link; JSON: the day, the zone and
 * each story with its items). */
void cli_print_items_tsv(FILE *fp, const struct store_story *stories, size_t n);
void cli_print_items_json(FILE *fp, const char *date, int tz_offset_sec,
                          const struct store_story *stories, size_t n);

/* A source's health as `feeds check` shows it. */
struct cli_feed_health {
	const char *name;
	struct store_feed f; /* zeroed when the store has none */
	const char *health;  /* "ok", "stale", "never fetched", "skipped" */
	const char *skipped; /* why the source is skipped ("${RSSHUB} is
	                      * not set"), or NULL */
};
void cli_print_feeds_table(FILE *fp, const struct cli_feed_health *v, size_t n);
void cli_print_feeds_json(FILE *fp, const struct cli_feed_health *v, size_t n);

/* The ranking of a digest (after digest_rank): a table with each judge's
 * score, the judges, agreement and cost; or the same as JSON. */
void cli_print_rank_table(FILE *fp, const struct digest *d);
void cli_print_rank_json(FILE *fp, const struct digest *d);
/* One candidate's raw and normalized score per judge and its pooled
 * score: 0, or ERR_NOT_FOUND (nothing printed) when id is no candidate
 * of the window. */
MUST_CHECK int cli_print_rank_explain(FILE *fp, const struct digest *d,
                                      int64_t id);

/* Verification of a digest (after digest_verify): counts, cost, judges
 * and each text's votes, as a table or JSON. */
void cli_print_verify_table(FILE *fp, const struct digest *d);
void cli_print_verify_json(FILE *fp, const struct digest *d);
/* Verification in a few words: "10 checked, 6 supported first time, ...". */
void cli_verify_summary(const struct verify_result *vr, struct buf *out);

/* The line a run ends with: stories, judges, writer, verification,
 * cost; a message under context. */
void cli_print_run_summary(const char *context, const struct digest *d);
/* The panel's diagnostics as messages: the effective number of LLM
 * judges, the pairs that vote as one, a judge's biases, and judges that
 * agree little on the verification. */
void cli_print_panel_warnings(const char *context, const struct digest *d);

/* The editor's page of a built day (cli/page.c): one standalone HTML
 * file, no script and nothing from the network: the post as the blog
 * shows it (cmark, raw HTML left out), the reading figures, the judges
 * and their agreement, every candidate with each judge's score, why it is
 * in or out and its pick command, verification's verdicts, the cost. */
void cli_print_page(FILE *fp, const struct digest *d);
/* The page's section on the jury of the days before the day (cli/page_jury.c).
 */
void cli_page_jury(FILE *fp, const struct digest *d);

#endif
