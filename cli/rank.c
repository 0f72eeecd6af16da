#include "cli/cli.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cli/print.h"
#include "pipeline/digest.h"

struct rank_opts {
	const char *date;
	const char *format;
	const char *explain;
};

static const struct cli_option rank_options[] = {
        CLI_OPTION_DATE(struct rank_opts),
        {"--format", NULL, CLI_OPT_VALUE, offsetof(struct rank_opts, format), 0,
         "table|json",
         "table (the default): rank, pooled score, selected, category, "
         "title and each judge's score, then the judges, Kendall's W and "
         "the cost; json: the same for scripts, with each story's links"},
        {"--explain", NULL, CLI_OPT_VALUE, offsetof(struct rank_opts, explain),
         0, "ID",
         "instead of the table, how story ID (an id of the table) was "
         "scored: each judge's raw and normalized score, and the pool's"},
        {NULL, NULL, CLI_OPT_FLAG, 0, 0, NULL, NULL},
};

static const struct cli_spec rank_spec = {
        rank_options, 0,
        "The judge panel ([judge.*] sections; the heuristic judges without "
        "them) scores every story of the day's window, pools the scores "
        "and selects the top stories, as a run would, but over all the "
        "window's stories, also those an earlier digest carried. "
        "Judgments are cached in the state database, and the run is "
        "recorded there. Publishes nothing. Exit 2 when a judge failed or "
        "the budget ran out."};

/* --explain's story id; 0, or CLI_EXIT_USAGE after saying why. */
static int rank_explain_id(const struct cli_call *call, const char *s,
                           int64_t *id)
{
	char *end;

	*id = strtoll(s, &end, 10);
	if (*end || end == s)
		return cli_usage(
		        call, "rank: --explain wants a story id, not '%s'", s);
	return 0;
}

/* Rank the day and print; the exit status. */
/* What rank_day needs of the command line. */
struct rank_ask {
	const struct rank_opts *o;
	int64_t id;
};

static int rank_day(const struct cli_call *call, struct cli_context *cx,
                    const char *date, const void *arg)
{
	const struct rank_opts *o = ((const struct rank_ask *)arg)->o;
	int64_t id = ((const struct rank_ask *)arg)->id;
	struct digest_env env;
	struct digest d;
	struct buf err = BUF_INIT(4096);
	int64_t started = cli_now();
	int ret = CLI_EXIT_OK;

	cli_digest_env(call, cx, &env);
	if (digest_open(&d, &env, DIGEST_RANKING, date, &err) != 0 ||
	    digest_select(&d, &err) != 0 || digest_rank(&d, &err) != 0) {
		cli_msg_lines("rank", buf_cstr(&err));
		ret = CLI_EXIT_ERROR;
		goto out;
	}
	if (o->explain) {
		FILE *out = cli_visible_stream(stdout);
		int found = cli_print_rank_explain(out, &d, id);

		fclose(out);
		if (found != 0) {
			cli_msg("rank",
			        "story %lld is not a candidate of this window",
			        (long long)id);
			ret = CLI_EXIT_ERROR;
		}
	} else if (o->format && strcmp(o->format, "json") == 0) {
		cli_print_rank_json(stdout, &d);
	} else {
		FILE *out = cli_visible_stream(stdout);

		cli_print_rank_table(out, &d);
		fclose(out);
	}
	buf_reset(&err);
	if (digest_record(&d, "rank", d.pr.degraded ? "degraded" : "ok",
	                  started, cli_now(), &err) != 0)
		cli_msg("rank", "%s", buf_cstr(&err));
	if (ret == CLI_EXIT_OK && d.pr.degraded)
		ret = CLI_EXIT_DEGRADED;
out:
	digest_free(&d);
	buf_free(&err);
	return ret;
}

int cli_cmd_rank(struct cli_call *call, int argc, char **argv)
{
	static const char *const formats[] = {"table", "json", NULL};
	struct rank_opts o;
	struct rank_ask ask;
	int nargs, ret;

	memset(&o, 0, sizeof o);
	ret = cli_parse(call, &rank_spec, &o, argc, argv, &nargs);
	if (ret != CLI_PARSED)
		return ret;
	if (cli_choice(call, "rank", "--format", o.format, formats) < 0)
		return CLI_EXIT_USAGE;
	ask.o = &o;
	ask.id = 0;
	if (o.explain && rank_explain_id(call, o.explain, &ask.id) != 0)
		return CLI_EXIT_USAGE;
	return cli_panel_day(call, "rank", o.date, rank_day, &ask);
}
