#include "cli/cli.h"

#include <stddef.h>
#include <string.h>

#include "cli/print.h"
#include "pipeline/digest.h"

struct verify_opts {
	const char *date;
	const char *format;
};

static const struct cli_option verify_options[] = {
        CLI_OPTION_DATE(struct verify_opts),
        {"--format", NULL, CLI_OPT_VALUE, offsetof(struct verify_opts, format),
         0, "table|json",
         "table (the default): the counts, the cost, each judge, then each "
         "text with its votes and the judges' problems; json: the same for "
         "scripts"},
        {NULL, NULL, CLI_OPT_FLAG, 0, 0, NULL, NULL},
};

static const struct cli_spec verify_spec = {
        verify_options, 0,
        "Builds the day's post as preview does and shows how the panel's "
        "LLM judges checked each text the writer wrote against its "
        "sources: supported the first time, rewritten, or replaced by "
        "extractive text. Cached votes cost nothing; it publishes nothing. "
        "Without LLM judges nothing is verified, and it says so. Exit 2 "
        "when judges or the writer fell back."};

static void verify_show(const struct digest *d, const void *arg)
{
	if (*(const bool *)arg)
		cli_print_verify_json(stdout, d);
	else {
		FILE *out = cli_visible_stream(stdout);

		cli_print_verify_table(out, d);
		fclose(out);
	}
}

/* Build the day's post and print the votes; the exit status. */
static int verify_day(const struct cli_call *call, struct cli_context *cx,
                      const char *date, const void *arg)
{
	return cli_show_post(call, cx, "verify", date, verify_show, arg);
}

int cli_cmd_verify(struct cli_call *call, int argc, char **argv)
{
	static const char *const formats[] = {"table", "json", NULL};
	struct verify_opts o;
	int nargs, ret, format;
	bool json;

	memset(&o, 0, sizeof o);
	ret = cli_parse(call, &verify_spec, &o, argc, argv, &nargs);
	if (ret != CLI_PARSED)
		return ret;
	format = cli_choice(call, "verify", "--format", o.format, formats);
	if (format < 0)
		return CLI_EXIT_USAGE;
	json = format == 1;
	return cli_panel_day(call, "verify", o.date, verify_day, &json);
}
