#include "cli/cli.h"

#include <stddef.h>
#include <string.h>

#include "cli/print.h"
#include "fetch/http.h"
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

/* Build the day's post and print its verification; the exit status. */
static int verify_day(const struct cli_call *call, struct cli_context *cx,
                      bool json, const char *date)
{
	struct digest_env env;
	struct digest d;
	struct buf err = BUF_INIT(4096);
	int ret = CLI_EXIT_OK;

	cli_digest_env(call, cx, &env);
	if (digest_open(&d, &env, DIGEST_POST, date, &err) != 0 ||
	    digest_build(&d, &err) != 0) {
		cli_msg_lines("verify", buf_cstr(&err));
		ret = CLI_EXIT_ERROR;
	} else {
		if (json)
			cli_print_verify_json(stdout, &d);
		else
			cli_print_verify_table(stdout, &d);
		if (d.degraded)
			ret = CLI_EXIT_DEGRADED;
	}
	digest_free(&d);
	buf_free(&err);
	return ret;
}

int cli_cmd_verify(struct cli_call *call, int argc, char **argv)
{
	static const char *const formats[] = {"table", "json", NULL};
	struct verify_opts o;
	struct cli_context cx;
	char date[DATE_DAY_LEN];
	int64_t from, to;
	int nargs, ret, format;

	memset(&o, 0, sizeof o);
	ret = cli_parse(call, &verify_spec, &o, argc, argv, &nargs);
	if (ret != CLI_PARSED)
		return ret;
	format = cli_choice(call, "verify", "--format", o.format, formats);
	if (format < 0)
		return CLI_EXIT_USAGE;
	ret = cli_context_open(call, &cx, CLI_NEED_STORE);
	if (ret != CLI_EXIT_OK)
		return ret;
	ret = cli_day(call, &cx, o.date, date, &from, &to);
	if (ret == 0 && http_global_init() != 0) {
		cli_msg("verify", "cannot start libcurl");
		ret = CLI_EXIT_ERROR;
	} else if (ret == 0) {
		ret = verify_day(call, &cx, format == 1, date);
		http_global_cleanup();
	}
	cli_context_free(&cx);
	if (cli_flush("verify") != CLI_EXIT_OK)
		return CLI_EXIT_ERROR;
	return ret;
}
