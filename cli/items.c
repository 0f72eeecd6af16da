#include "cli/cli.h"

#include <stddef.h>
#include <string.h>

#include "cli/print.h"
#include "pipeline/ingest.h"

struct items_opts {
	const char *date;
	const char *format;
};

static const struct cli_option items_options[] = {
        CLI_OPTION_DATE(struct items_opts),
        {"--format", NULL, CLI_OPT_VALUE, offsetof(struct items_opts, format),
         0, "tsv|json",
         "tsv (the default): one item a line: story id, corroboration, "
         "UTC time, source, title, link; json: the day, the zone and each "
         "story with all its items"},
        {NULL, NULL, CLI_OPT_FLAG, 0, 0, NULL, NULL},
};

static const struct cli_spec items_spec = {
        items_options, 0,
        "Reads the stories of the day's window from the state database, "
        "each with every item that belongs to it (also items outside the "
        "window), earliest first. The stories are rebuilt for that window "
        "first, so a day fetched long ago is current. Fetches nothing."};

int cli_cmd_items(struct cli_call *call, int argc, char **argv)
{
	static const char *const formats[] = {"tsv", "json", NULL};
	struct items_opts o;
	struct cli_context cx;
	struct store_story *stories = NULL;
	size_t nstories = 0;
	char date[DATE_DAY_LEN];
	int64_t from, to;
	int nargs, ret, format;

	memset(&o, 0, sizeof o);
	ret = cli_parse(call, &items_spec, &o, argc, argv, &nargs);
	if (ret != CLI_PARSED)
		return ret;
	format = cli_choice(call, "items", "--format", o.format, formats);
	if (format < 0)
		return CLI_EXIT_USAGE;
	ret = cli_context_open(call, &cx, CLI_NEED_STORE);
	if (ret != CLI_EXIT_OK)
		return ret;
	ret = cli_day(call, &cx, o.date, date, &from, &to);
	if (ret != 0)
		goto out;
	if (ingest_stories_load(cx.store, from, to, &stories, &nstories) != 0) {
		cli_msg("items", "%s", store_error(cx.store));
		ret = CLI_EXIT_ERROR;
		goto out;
	}
	if (format == 1)
		cli_print_items_json(stdout, date, cx.config.tz_offset_sec,
		                     stories, nstories);
	else
		cli_print_items_tsv(stdout, stories, nstories);
	ret = cli_flush("items");
out:
	store_stories_free(stories, nstories);
	cli_context_free(&cx);
	return ret;
}
