#include "cli/cli.h"

#include <stddef.h>
#include <string.h>

#include "cli/print.h"
#include "fetch/http.h"
#include "pipeline/ingest.h"

struct fetch_opts {
	const char *format;
};

static const struct cli_option fetch_options[] = {
        {"--format", NULL, CLI_OPT_VALUE, offsetof(struct fetch_opts, format),
         0, "text|json",
         "text (the default): each failed or skipped source and a summary "
         "line on stderr; json: also the whole report on stdout"},
        {NULL, NULL, CLI_OPT_FLAG, 0, 0, NULL, NULL},
};

static const struct cli_spec fetch_spec = {
        fetch_options, 0,
        "Fetches every source of the feeds file at once (conditional GET, "
        "retries, size and time caps), reads its feed or API answer and "
        "puts the items into the state database with each source's "
        "health; then rebuilds the stories of the last three days. Exit "
        "2 when some sources failed."};

void cli_ingest_settings(const struct cli_call *call,
                         const struct cli_context *cx,
                         struct ingest_settings *s)
{
	const struct config *c = &cx->config;

	memset(s, 0, sizeof *s);
	s->sources = &cx->sources;
	s->now = cli_now();
	s->tz_offset_sec = c->tz_offset_sec;
	s->stale_days = c->stale_days;
	s->http.max_transfers = c->transfers;
	s->http.max_per_host = c->per_host;
	s->http.connect_timeout = c->connect_timeout;
	s->http.timeout = c->timeout;
	s->http.deadline = c->deadline;
	s->http.max_bytes = c->max_bytes;
	s->http.max_retries = c->retries ? c->retries : -1;
	s->http.user_agent = c->user_agent;
	s->http.allow_file = true;
	s->progress = cli_progress(call);
}

int cli_cmd_fetch(struct cli_call *call, int argc, char **argv)
{
	static const char *const formats[] = {"text", "json", NULL};
	struct fetch_opts o;
	struct cli_context cx;
	struct ingest_settings s;
	struct ingest_report rep;
	struct buf err = BUF_INIT(4096);
	int nargs, ret, format;

	memset(&o, 0, sizeof o);
	ret = cli_parse(call, &fetch_spec, &o, argc, argv, &nargs);
	if (ret != CLI_PARSED)
		return ret;
	format = cli_choice(call, "fetch", "--format", o.format, formats);
	if (format < 0)
		return CLI_EXIT_USAGE;
	ret = cli_context_open(call, &cx, CLI_NEED_FEEDS | CLI_NEED_STORE);
	if (ret != CLI_EXIT_OK)
		return ret;
	if (http_global_init() != 0) {
		cli_msg("fetch", "cannot start libcurl: %s",
		        http_global_error());
		cli_context_free(&cx);
		return CLI_EXIT_ERROR;
	}
	cli_ingest_settings(call, &cx, &s);
	if (ingest_run(cx.store, &s, &rep, &err) != 0) {
		cli_msg("fetch", "%s", buf_cstr(&err));
		ret = CLI_EXIT_ERROR;
	}
	cli_print_fetch_messages("fetch", call->g->verbosity, &rep);
	if (format == 1)
		cli_print_fetch_json(stdout, &rep);
	if (cli_flush("fetch") != CLI_EXIT_OK)
		ret = CLI_EXIT_ERROR;
	if (ret == CLI_EXIT_OK && rep.failed)
		ret = CLI_EXIT_DEGRADED;
	ingest_report_free(&rep);
	http_global_cleanup();
	cli_context_free(&cx);
	buf_free(&err);
	return ret;
}
