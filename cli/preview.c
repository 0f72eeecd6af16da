#include "cli/cli.h"

#include <stddef.h>
#include <string.h>

#include "cli/print.h"
#include "pipeline/digest.h"

struct preview_opts {
	const char *date;
	bool html;
};

static const struct cli_option preview_options[] = {
        CLI_OPTION_DATE(struct preview_opts),
        {"--html", NULL, CLI_OPT_FLAG, offsetof(struct preview_opts, html), 0,
         NULL,
         "the editor's page instead of the markdown: the post as the "
         "blog shows it, beside it the panel's report (each judge's "
         "scores, why each story is in or out, verification, cost, "
         "the pick commands); one HTML file, nothing from the "
         "network"},
        {NULL, NULL, CLI_OPT_FLAG, 0, 0, NULL, NULL},
};

static const struct cli_spec preview_spec = {
        preview_options, 0,
        "Builds the day's post from the state database as run would (rank, "
        "write, verify, render, check) and prints it on stdout. Fetches "
        "nothing and publishes nothing; the panel's and the writer's "
        "calls are cached, so a run after it pays for nothing twice. Exit "
        "2 when judges or the writer fell back."};

static void preview_show(const struct digest *d, const void *arg)
{
	const struct preview_opts *o = arg;

	if (o->html) {
		/* control characters from feeds and LLMs do not reach a
		 * terminal the page is printed on */
		FILE *out = cli_visible_stream(stdout);

		cli_print_page(out, d);
		fclose(out);
	} else
		fwrite(buf_cstr(&d->post), 1, d->post.len, stdout);
	cli_print_panel_warnings("preview", d);
}

/* Build the day's post and print it; the exit status. */
static int preview_day(const struct cli_call *call, struct cli_context *cx,
                       const char *date, const void *arg)
{
	return cli_show_post(call, cx, "preview", date, preview_show, arg);
}

int cli_cmd_preview(struct cli_call *call, int argc, char **argv)
{
	struct preview_opts o;
	int nargs, ret;

	memset(&o, 0, sizeof o);
	ret = cli_parse(call, &preview_spec, &o, argc, argv, &nargs);
	if (ret != CLI_PARSED)
		return ret;
	return cli_panel_day(call, "preview", o.date, preview_day, &o);
}
