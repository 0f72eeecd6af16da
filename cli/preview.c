#include "cli/cli.h"

#include <stddef.h>
#include <string.h>

#include "cli/print.h"
#include "fetch/http.h"
#include "pipeline/digest.h"

struct preview_opts {
	const char *date;
	bool html;
};

static const struct cli_option preview_options[] = {
        CLI_OPTION_DATE(struct preview_opts),
        {"--html", NULL, CLI_OPT_FLAG, offsetof(struct preview_opts, html), 0,
         NULL,
         "a standalone HTML page of the post (through cmark) instead of "
         "its markdown"},
        {NULL, NULL, CLI_OPT_FLAG, 0, 0, NULL, NULL},
};

static const struct cli_spec preview_spec = {
        preview_options, 0,
        "Builds the day's post from the state database as run would (rank, "
        "write, verify, render, check) and prints it on stdout. Fetches "
        "nothing and publishes nothing; the panel's and the writer's "
        "calls are cached, so a run after it pays for nothing twice. Exit "
        "2 when judges or the writer fell back."};

/* Build the day's post and print it; the exit status. */
static int preview_day(const struct cli_call *call, struct cli_context *cx,
                       const struct preview_opts *o, const char *date)
{
	struct digest_env env;
	struct digest d;
	struct buf err = BUF_INIT(4096);
	int ret = CLI_EXIT_OK;

	cli_digest_env(call, cx, &env);
	if (digest_open(&d, &env, DIGEST_POST, date, &err) != 0 ||
	    digest_build(&d, &err) != 0) {
		cli_msg_lines("preview", buf_cstr(&err));
		ret = CLI_EXIT_ERROR;
	} else {
		if (o->html)
			cli_print_post_html(stdout, buf_cstr(&d.post));
		else
			fwrite(buf_cstr(&d.post), 1, d.post.len, stdout);
		if (d.degraded)
			ret = CLI_EXIT_DEGRADED;
	}
	digest_free(&d);
	buf_free(&err);
	return ret;
}

int cli_cmd_preview(struct cli_call *call, int argc, char **argv)
{
	struct preview_opts o;
	struct cli_context cx;
	char date[DATE_DAY_LEN];
	int64_t from, to;
	int nargs, ret;

	memset(&o, 0, sizeof o);
	ret = cli_parse(call, &preview_spec, &o, argc, argv, &nargs);
	if (ret != CLI_PARSED)
		return ret;
	ret = cli_context_open(call, &cx, CLI_NEED_STORE);
	if (ret != CLI_EXIT_OK)
		return ret;
	ret = cli_day(call, &cx, o.date, date, &from, &to);
	if (ret == 0 && http_global_init() != 0) {
		cli_msg("preview", "cannot start libcurl");
		ret = CLI_EXIT_ERROR;
	} else if (ret == 0) {
		ret = preview_day(call, &cx, &o, date);
		http_global_cleanup();
	}
	cli_context_free(&cx);
	if (cli_flush("preview") != CLI_EXIT_OK)
		return CLI_EXIT_ERROR;
	return ret;
}
