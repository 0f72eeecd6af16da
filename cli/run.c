#include "cli/cli.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cli/print.h"
#include "common/xalloc.h"
#include "fetch/http.h"
#include "pipeline/digest.h"
#include "pipeline/ingest.h"
#include "render/publish.h"

struct run_opts {
	const char *date;
	bool dry_run;
	bool force;
};

static const struct cli_option run_options[] = {
        CLI_OPTION_DATE(struct run_opts),
        {"--dry-run", NULL, CLI_OPT_FLAG, offsetof(struct run_opts, dry_run), 0,
         NULL,
         "do everything but write the post (and take no lock); its path is "
         "said on stderr"},
        {"--force", NULL, CLI_OPT_FLAG, offsetof(struct run_opts, force), 0,
         NULL, "write the post even when the same post is already there"},
        {NULL, NULL, CLI_OPT_FLAG, 0, 0, NULL, NULL},
};

static const struct cli_spec run_spec = {
        run_options, 0,
        "The night's job: fetch every source, then for the day select the "
        "stories no earlier digest carried, rank them with the panel, let "
        "the writer write the Korean text, let the panel verify it, render "
        "the post, check it, and publish it atomically into --out (the "
        "path from [digest] output or the preset), holding a lock beside "
        "the state database so that a second run waits its turn. A re-run "
        "of a day keeps its date and sets its update. Prints the post's "
        "path; a summary goes to stderr and the run is recorded in the "
        "state database. Exit 2 when sources, judges or the writer failed "
        "but the post was published; 1 when nothing was."};

/* What one run needs beyond its options. */
struct run_state {
	const char *date;
	const char *out_dir;
	int64_t started;
	bool fetch_failed;
};

static const char *run_status(int ret, bool fetch_failed)
{
	if (ret == CLI_EXIT_ERROR)
		return "failed";
	if (ret == CLI_EXIT_DEGRADED || fetch_failed)
		return "degraded";
	return "ok";
}

/* Place and publish a built digest; the exit status. */
static int run_publish(const struct run_opts *o, const struct run_state *rs,
                       struct digest *d, struct buf *err)
{
	buf_reset(err);
	if (digest_place(d, rs->out_dir, err) != 0) {
		cli_msg_lines("run", buf_cstr(err));
		return CLI_EXIT_ERROR;
	}
	if (o->dry_run)
		return CLI_EXIT_OK;
	if (digest_publish(d, o->force, err) != 0) {
		cli_msg_lines("run", buf_cstr(err));
		return CLI_EXIT_ERROR;
	}
	if (d->unchanged)
		cli_msg("run",
		        "%s: unchanged, not written again (--force writes it)",
		        d->path);
	return CLI_EXIT_OK;
}

/* The day's digest after the fetch: built, published, recorded. */
static int run_digest(const struct cli_call *call, struct cli_context *cx,
                      const struct run_opts *o, const struct run_state *rs)
{
	struct digest_env env;
	struct digest d;
	struct buf err = BUF_INIT(4096);
	int ret = CLI_EXIT_OK;

	cli_digest_env(call, cx, &env);
	if (digest_open(&d, &env, DIGEST_POST, rs->date, &err) != 0 ||
	    digest_build(&d, &err) != 0) {
		cli_msg_lines("run", buf_cstr(&err));
		ret = CLI_EXIT_ERROR;
	}
	if (ret == CLI_EXIT_OK) {
		ret = run_publish(o, rs, &d, &err);
		if (ret == CLI_EXIT_OK && d.degraded)
			ret = CLI_EXIT_DEGRADED;
	}
	if (d.ranked) {
		buf_reset(&err);
		if (digest_record(&d, "run", run_status(ret, rs->fetch_failed),
		                  rs->started, cli_now(), &err) != 0) {
			cli_msg("run", "%s", buf_cstr(&err));
			if (ret == CLI_EXIT_OK)
				ret = CLI_EXIT_DEGRADED;
		}
		cli_print_run_summary("run", &d);
	}
	if (ret != CLI_EXIT_ERROR) {
		if (o->dry_run)
			cli_msg("run", "dry run: %s not written", d.path);
		else
			puts(d.path);
	}
	if (ret == CLI_EXIT_OK && rs->fetch_failed)
		ret = CLI_EXIT_DEGRADED;
	digest_free(&d);
	buf_free(&err);
	return ret;
}

/* The folder of the run's lock: the state database's (the blog's for a
 * database in memory). Caller frees. */
static char *run_lock_dir(const char *db_path, const char *out_dir)
{
	const char *slash = strrchr(db_path, '/');

	if (strcmp(db_path, ":memory:") == 0)
		return xstrdup(out_dir);
	if (!slash)
		return xstrdup(".");
	return slash == db_path ? xstrdup("/")
	                        : xstrndup(db_path, (size_t)(slash - db_path));
}

/* Fetch, then the digest, holding the lock (unless a dry run). */
static int run_locked(const struct cli_call *call, struct cli_context *cx,
                      const struct run_opts *o, struct run_state *rs)
{
	struct ingest_settings s;
	struct ingest_report rep;
	struct buf err = BUF_INIT(4096);
	int ret;

	if (http_global_init() != 0) {
		cli_msg("run", "cannot start libcurl: %s", http_global_error());
		buf_free(&err);
		return CLI_EXIT_ERROR;
	}
	cli_ingest_settings(call, cx, &s);
	if (ingest_run(cx->store, &s, &rep, &err) != 0)
		cli_msg("run", "fetch: %s", buf_cstr(&err));
	cli_print_fetch_messages("run", call->g->verbosity, &rep);
	rs->fetch_failed = rep.failed > 0;
	ret = run_digest(call, cx, o, rs);
	ingest_report_free(&rep);
	http_global_cleanup();
	buf_free(&err);
	return ret;
}

int cli_cmd_run(struct cli_call *call, int argc, char **argv)
{
	struct run_opts o;
	struct run_state rs;
	struct cli_context cx;
	struct buf err = BUF_INIT(4096);
	char date[DATE_DAY_LEN];
	int64_t from, to;
	int nargs, ret, lock = -1;
	char *lock_dir = NULL;

	memset(&o, 0, sizeof o);
	memset(&rs, 0, sizeof rs);
	rs.started = cli_now();
	ret = cli_parse(call, &run_spec, &o, argc, argv, &nargs);
	if (ret != CLI_PARSED)
		return ret;
	ret = cli_context_open(call, &cx, CLI_NEED_FEEDS | CLI_NEED_STORE);
	if (ret != CLI_EXIT_OK)
		return ret;
	ret = cli_day(call, &cx, o.date, date, &from, &to);
	if (ret != 0)
		goto out;
	rs.date = date;
	rs.out_dir = call->g->out    ? call->g->out
	             : cx.config.out ? cx.config.out
	                             : ".";
	/* one run a state at a time: the lock, beside the state database,
	 * is held from the fetch to the end */
	lock_dir = run_lock_dir(cx.db_path, rs.out_dir);
	if (!o.dry_run && publish_lock(lock_dir, &lock, &err) != ERR_OK) {
		cli_msg("run", "%s", buf_cstr(&err));
		ret = CLI_EXIT_ERROR;
		goto out;
	}
	ret = run_locked(call, &cx, &o, &rs);
	publish_unlock(lock);
	if (cli_flush("run") != CLI_EXIT_OK)
		ret = CLI_EXIT_ERROR;
out:
	free(lock_dir);
	cli_context_free(&cx);
	buf_free(&err);
	return ret;
}
