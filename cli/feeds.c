#include "cli/cli.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cli/print.h"
#include "common/err.h"
#include "common/file.h"
#include "common/xalloc.h"
#include "fetch/api.h"

/* An OPML file is read up to this many bytes. */
#define FEEDS_OPML_MAX ((size_t)16 << 20)

struct feeds_opts {
	const char *format;
};

static const struct cli_option feeds_options[] = {
        {"--format", NULL, CLI_OPT_VALUE, offsetof(struct feeds_opts, format),
         0, "table|json",
         "for check: table (the default), or json for scripts"},
        {NULL, NULL, CLI_OPT_FLAG, 0, 0, NULL, NULL},
};

static const struct cli_spec feeds_spec = {
        feeds_options, 2,
        "check: every source of the feeds file with its health from the "
        "state database (last success, HTTP status, items, failures in a "
        "row; stale when it answers but has had nothing new for [digest] "
        "stale_days), and each source a fetch would skip (a ${VAR} on its "
        "line, or its token variable, unset) as skipped; exit 2 when any "
        "is neither ok nor skipped.\n"
        "import FILE.opml: print feeds.txt lines for the outlines of an "
        "OPML file (- is stdin), saying which it skipped and why.\n"
        "export: print the feeds file as OPML 2.0."};

/* A source's health now: what the last fetch said, and stale when it
 * answers but nothing new came for stale_days. */
static const char *feeds_health_now(const struct store_feed *f, int stale_days,
                                    int64_t now)
{
	int64_t last_new =
	        f->last_new_item ? f->last_new_item : f->last_success;

	if (!f->last_attempt)
		return "never fetched";
	if (f->last_error)
		return f->health ? f->health : "failing";
	if (last_new && now - last_new > (int64_t)stale_days * 86400)
		return "stale";
	return f->health ? f->health : "ok";
}

/* One source's row: its health from the store, or skipped when a fetch
 * would skip it for want of its token (why holds the reason). */
static void feeds_check_source(struct cli_context *cx, const struct source *s,
                               struct cli_feed_health *h, char *why,
                               size_t why_len, int64_t now)
{
	const char *missing = NULL;

	h->name = s->name;
	if (store_feed_get(cx->store, s->name, &h->f) != 0)
		memset(&h->f, 0, sizeof h->f);
	api_headers_free(api_headers(s, &missing));
	if (missing) {
		snprintf(why, why_len, "$%s is not set", missing);
		h->skipped = why;
		h->health = "skipped";
		return;
	}
	h->health = feeds_health_now(&h->f, cx->config.stale_days, now);
}

static int feeds_check(struct cli_context *cx, bool json)
{
	const struct source_list *l = &cx->sources;
	struct cli_feed_health *v;
	int64_t now = cli_now();
	size_t i = 0, k = 0, at = 0, n = l->n + l->nskipped;
	char(*why)[128];
	int unhealthy = 0, ret = CLI_EXIT_OK;

	v = xcalloc(n + 1, sizeof *v);
	why = xcalloc(n + 1, sizeof *why);
	/* in file order: the sources, and the lines skipped for an unset
	 * ${VAR} (no source, so nothing in the store either) */
	for (at = 0; at < n; at++) {
		if (k == l->nskipped ||
		    (i < l->n && l->v[i].line < l->skipped[k].line)) {
			feeds_check_source(cx, &l->v[i++], &v[at], why[at],
			                   sizeof why[at], now);
		} else {
			v[at].name = l->skipped[k].name;
			v[at].skipped = l->skipped[k++].reason;
			v[at].health = "skipped";
		}
		unhealthy += strcmp(v[at].health, "ok") != 0 && !v[at].skipped;
	}
	if (json)
		cli_print_feeds_json(stdout, v, n);
	else {
		FILE *out = cli_visible_stream(stdout);

		cli_print_feeds_table(out, v, n);
		fclose(out);
	}
	for (i = 0; i < n; i++)
		store_feed_clear(&v[i].f);
	free(v);
	free(why);
	if (unhealthy)
		ret = CLI_EXIT_DEGRADED;
	return ret;
}

static int feeds_import(const struct cli_call *call, const char *path)
{
	struct file_view in;
	struct buf err = BUF_INIT(4096);
	int ret = CLI_EXIT_OK;

	if (file_view_open(&in, path, FEEDS_OPML_MAX, &err) != ERR_OK) {
		cli_msg("feeds", "%s: %s", path, buf_cstr(&err));
		ret = CLI_EXIT_ERROR;
	} else if (sources_import_opml(in.data ? in.data : "", in.len, stdout,
	                               &err) != 0) {
		cli_msg_lines("feeds", buf_cstr(&err));
		ret = CLI_EXIT_ERROR;
	} else {
		/* outlines it skipped, and why */
		if (call->g->verbosity >= 0)
			cli_msg_lines("feeds", buf_cstr(&err));
		ret = cli_flush("feeds");
	}
	file_view_close(&in);
	buf_free(&err);
	return ret;
}

int cli_cmd_feeds(struct cli_call *call, int argc, char **argv)
{
	static const char *const formats[] = {"table", "json", NULL};
	struct feeds_opts o;
	struct cli_context cx;
	bool check;
	int nargs, ret, format;

	memset(&o, 0, sizeof o);
	ret = cli_parse(call, &feeds_spec, &o, argc, argv, &nargs);
	if (ret != CLI_PARSED)
		return ret;
	if (nargs == 0)
		return cli_usage(call,
		                 "feeds: check, import FILE.opml or export");
	if (strcmp(argv[0], "import") == 0) {
		if (nargs != 2)
			return cli_usage(call,
			                 "feeds import takes one FILE.opml");
		return feeds_import(call, argv[1]);
	}
	check = strcmp(argv[0], "check") == 0;
	if (nargs != 1 || (!check && strcmp(argv[0], "export") != 0))
		return cli_usage(
		        call,
		        "feeds: check, import FILE.opml or export, not "
		        "'%s'",
		        argv[0]);
	format = cli_choice(call, "feeds check", "--format", o.format, formats);
	if (format < 0)
		return CLI_EXIT_USAGE;
	ret = cli_context_open(call, &cx,
	                       check ? CLI_NEED_FEEDS | CLI_NEED_STORE
	                             : CLI_NEED_FEEDS);
	if (ret != CLI_EXIT_OK)
		return ret;
	if (check)
		ret = feeds_check(&cx, format == 1);
	else if (sources_export_opml(&cx.sources, stdout) != 0)
		ret = CLI_EXIT_ERROR;
	cli_context_free(&cx);
	if (cli_flush("feeds") != CLI_EXIT_OK)
		return CLI_EXIT_ERROR;
	return ret;
}
