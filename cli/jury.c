#include "cli/cli.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pipeline/jury.h"
#include "summarize/panel.h"

/* `aidigest jury`: each judge's agreement with the editor's final
 * selection over the recorded days (pipeline/jury.h). */

#define JURY_DAYS_MAX 3650

struct jury_opts {
	const char *date;
	const char *days;
	const char *format;
};

static const struct cli_option jury_options[] = {
        {"--date", NULL, CLI_OPT_VALUE, offsetof(struct jury_opts, date), 0,
         "D",
         "the last day of the span, YYYY-MM-DD, today or yesterday, in the "
         "digest's time zone; without --date, the last complete day there"},
        {"--days", NULL, CLI_OPT_VALUE, offsetof(struct jury_opts, days), 0,
         "N", "the span's length in days, 1 to 3650 (30)"},
        {"--format", NULL, CLI_OPT_VALUE, offsetof(struct jury_opts, format), 0,
         "table|json",
         "table (the default): each judge's agreement in plain words; json: "
         "the same for scripts"},
        {NULL, NULL, CLI_OPT_FLAG, 0, 0, NULL, NULL},
};

static const struct cli_spec jury_spec = {
        jury_options, 0,
        "Holds each judge of the panel, and the pooled ranking, against the "
        "editor's final selection over the last N days that a run "
        "published (a run keeps the panel of each day it publishes; a "
        "re-run after 'aidigest pick' replaces it). On a day with m "
        "stories finally selected, a judge's own selection is its m best "
        "among the candidates it scored, the pool's the m best by pooled "
        "score; Cohen's kappa on selected or not is taken over all the "
        "days' candidates at once (1: the editor's choice exactly, 0: no "
        "better than chance). It says on how many days and stories each "
        "figure rests, on how many days the editor dropped or pinned "
        "stories, and the weights [panel] weights = editor gives the LLM "
        "judges: kappa over the LLM judges' mean, bounded to 0.5..2, once "
        "a judge has 14 recorded days (two of each weekday; a kappa of 0.5 "
        "is then known to about 0.04); before that, and when the judges "
        "agree with the editor no better than chance, every weight is 1."};

static json_t *jury_json_kappa(double k)
{
	return isfinite(k) ? json_real(k) : json_null();
}

static const char *jury_status_name(int status)
{
	return status == POOL_EDITOR_FEW_DAYS    ? "few_days"
	       : status == POOL_EDITOR_NO_SIGNAL ? "no_signal"
	                                         : "ok";
}

static void jury_print_json(FILE *fp, const struct jury_report *r, bool applied)
{
	json_t *root = json_object(), *judges = json_array(), *o;
	size_t k;

	json_object_set_new(root, "days", json_integer((json_int_t)r->days));
	json_object_set_new(root, "stories",
	                    json_integer((json_int_t)r->stories));
	json_object_set_new(root, "from", json_string(r->from));
	json_object_set_new(root, "to", json_string(r->to));
	for (k = 0; k < r->njudges; k++) {
		const struct jury_judge *j = &r->judges[k];

		o = json_object();
		json_object_set_new(o, "name", json_string(j->name));
		json_object_set_new(o, "llm", json_boolean(j->llm));
		json_object_set_new(o, "days",
		                    json_integer((json_int_t)j->days));
		json_object_set_new(o, "stories",
		                    json_integer((json_int_t)j->stories));
		json_object_set_new(o, "editor_kappa",
		                    jury_json_kappa(j->kappa));
		json_object_set_new(o, "weight", json_real(j->weight));
		json_array_append_new(judges, o);
	}
	json_object_set_new(root, "judges", judges);
	o = json_object();
	json_object_set_new(o, "editor_kappa", jury_json_kappa(r->pool_kappa));
	json_object_set_new(root, "pool", o);
	o = json_object();
	json_object_set_new(o, "status",
	                    json_string(jury_status_name(r->weights_status)));
	json_object_set_new(o, "min_days", json_integer(POOL_EDITOR_MIN_DAYS));
	json_object_set_new(o, "days", json_integer((json_int_t)r->llm_days));
	json_object_set_new(o, "applied", json_boolean(applied));
	json_object_set_new(root, "weights", o);
	o = json_object();
	json_object_set_new(o, "days_picked",
	                    json_integer((json_int_t)r->days_picked));
	json_object_set_new(
	        o, "days_let_stand",
	        json_integer((json_int_t)(r->days - r->days_picked)));
	json_object_set_new(o, "drops", json_integer((json_int_t)r->drops));
	json_object_set_new(o, "pins", json_integer((json_int_t)r->pins));
	json_object_set_new(root, "editor", o);
	json_dumpf(root, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', fp);
	json_decref(root);
}

static void jury_print_kappa(FILE *fp, double k)
{
	if (isfinite(k))
		fprintf(fp, "  %6.2f", k);
	else
		fprintf(fp, "  %6s", "-");
}

/* What [panel] weights = editor does with the report, in words. */
static void jury_print_weights(FILE *fp, const struct jury_report *r,
                               bool applied)
{
	const char *use =
	        applied ? "" : " ([panel] weights = config: not used)";

	if (r->weights_status == POOL_EDITOR_FEW_DAYS) {
		size_t more = POOL_EDITOR_MIN_DAYS - r->llm_days;

		if (r->llm_days == 0)
			fprintf(fp,
			        "No LLM judge has a recorded day: weights = "
			        "editor needs %d.%s\n",
			        POOL_EDITOR_MIN_DAYS, use);
		else
			fprintf(fp,
			        "%zu more day%s before weights = editor takes "
			        "effect (%d needed, %zu recorded): every "
			        "weight "
			        "is 1 until then.%s\n",
			        more, more == 1 ? "" : "s",
			        POOL_EDITOR_MIN_DAYS, r->llm_days, use);
	} else if (r->weights_status == POOL_EDITOR_NO_SIGNAL)
		fprintf(fp,
		        "The LLM judges agree with the editor no better than "
		        "chance: weights = editor leaves every weight at "
		        "1.%s\n",
		        use);
	else
		fprintf(fp,
		        "weights = editor multiplies each LLM judge's "
		        "configured weight by the weight above.%s\n",
		        use);
}

static void jury_print_table(FILE *fp, const struct jury_report *r,
                             bool applied)
{
	size_t k, let = r->days - r->days_picked;

	fprintf(fp, "Jury from %s to %s: %zu day%s recorded, %zu candidates.\n",
	        r->from, r->to, r->days, r->days == 1 ? "" : "s", r->stories);
	if (r->days == 0) {
		fprintf(fp,
		        "No day recorded: a run keeps the panel of each day "
		        "it publishes.\n");
		return;
	}
	fprintf(fp,
	        "The editor dropped or pinned stories on %zu day%s (%zu "
	        "drop%s, %zu pin%s) and let %zu day%s stand.\n\n",
	        r->days_picked, r->days_picked == 1 ? "" : "s", r->drops,
	        r->drops == 1 ? "" : "s", r->pins, r->pins == 1 ? "" : "s", let,
	        let == 1 ? "" : "s");
	fprintf(fp, "%-20s %-9s %5s %8s  %6s  %6s\n", "judge", "kind", "days",
	        "stories", "kappa", "weight");
	for (k = 0; k < r->njudges; k++) {
		const struct jury_judge *j = &r->judges[k];

		fprintf(fp, "%-20.20s %-9s %5zu %8zu", j->name,
		        j->llm ? "LLM" : "heuristic", j->days, j->stories);
		jury_print_kappa(fp, j->kappa);
		fprintf(fp, "  %6.2f\n", j->weight);
	}
	fprintf(fp, "%-20s %-9s %5zu %8zu", "(pool)", "", r->days, r->stories);
	jury_print_kappa(fp, r->pool_kappa);
	fprintf(fp, "\n\nkappa: agreement with the editor's final selection "
	            "(1 the same, 0 chance, '-' undefined).\n");
	jury_print_weights(fp, r, applied);
}

/* --days: 0 and *n, or a usage error. */
static int jury_days(const struct cli_call *call, const char *s, size_t *n)
{
	char *end;
	long v;

	*n = 30;
	if (!s)
		return 0;
	v = strtol(s, &end, 10);
	if (end == s || *end || v < 1 || v > JURY_DAYS_MAX)
		return cli_usage(call,
		                 "jury: --days wants a number from 1 to %d, "
		                 "not '%s'",
		                 JURY_DAYS_MAX, s);
	*n = (size_t)v;
	return 0;
}

/* Whether the configuration says [panel] weights = editor; -1 after
 * saying why it cannot be read. */
static int jury_applied(const struct cli_context *cx)
{
	struct panel_config pc;
	struct buf err = BUF_INIT(4096), notes = BUF_INIT(4096);
	int applied = -1;

	if (panel_config_load(&cx->config.ini, cx->config.path, &pc, &err,
	                      &notes) == 0)
		applied = pc.weights == PANEL_WEIGHTS_EDITOR;
	else
		cli_msg_lines("jury", buf_cstr(&err));
	panel_config_free(&pc);
	buf_free(&err);
	buf_free(&notes);
	return applied;
}

int cli_cmd_jury(struct cli_call *call, int argc, char **argv)
{
	static const char *const formats[] = {"table", "json", NULL};
	struct jury_opts o;
	struct cli_context cx;
	struct jury_report r;
	struct buf err = BUF_INIT(4096);
	char date[DATE_DAY_LEN];
	int64_t from, to;
	size_t ndays;
	int nargs, ret, format, applied;
	FILE *out;

	memset(&o, 0, sizeof o);
	memset(&r, 0, sizeof r);
	ret = cli_parse(call, &jury_spec, &o, argc, argv, &nargs);
	if (ret != CLI_PARSED)
		return ret;
	format = cli_choice(call, "jury", "--format", o.format, formats);
	if (format < 0 || jury_days(call, o.days, &ndays) != 0)
		return CLI_EXIT_USAGE;
	ret = cli_context_open(call, &cx, CLI_NEED_STORE);
	if (ret != CLI_EXIT_OK)
		return ret;
	ret = cli_day(call, &cx, o.date, date, &from, &to);
	if (ret != 0)
		goto out;
	applied = jury_applied(&cx);
	if (applied < 0) {
		ret = CLI_EXIT_ERROR;
		goto out;
	}
	if (jury_measure(cx.store, date, ndays, &r, &err) != 0) {
		cli_msg("jury", "%s", buf_cstr(&err));
		ret = CLI_EXIT_ERROR;
		goto out;
	}
	if (format == 1)
		jury_print_json(stdout, &r, applied);
	else {
		out = cli_visible_stream(stdout);
		jury_print_table(out, &r, applied);
		fclose(out);
	}
	ret = cli_flush("jury");
out:
	jury_report_free(&r);
	cli_context_free(&cx);
	buf_free(&err);
	return ret;
}
