#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/utf8.h"
#include "common/xalloc.h"
#include "fetch/http.h"
#include "pipeline/digest.h"

/* Write text to fp without the control characters people must not
 * get raw (feed titles and server messages end up in messages). */
static void cli_put_visible(FILE *fp, const struct buf *text)
{
	struct buf clean = BUF_INIT(0);

	(void)utf8_append_visible(&clean, buf_cstr(text), text->len);
	fwrite(buf_cstr(&clean), 1, clean.len, fp);
	buf_free(&clean);
}

void cli_msg(const char *context, const char *fmt, ...)
{
	struct buf line = BUF_INIT(0);
	va_list ap;

	buf_puts(&line, "aidigest: ");
	if (context)
		buf_printf(&line, "%s: ", context);
	va_start(ap, fmt);
	buf_vprintf(&line, fmt, ap);
	va_end(ap);
	buf_putc(&line, '\n');
	cli_put_visible(stderr, &line);
	buf_free(&line);
}

void cli_msg_lines(const char *context, const char *text)
{
	const char *nl;

	while (*text && (nl = strchr(text, '\n')) != NULL) {
		cli_msg(context, "%.*s", (int)(nl - text), text);
		text = nl + 1;
	}
	if (*text)
		cli_msg(context, "%s", text);
}

int cli_usage(const struct cli_call *call, const char *fmt, ...)
{
	struct buf line = BUF_INIT(0);
	va_list ap;

	buf_puts(&line, "aidigest: ");
	va_start(ap, fmt);
	buf_vprintf(&line, fmt, ap);
	va_end(ap);
	cli_put_visible(stderr, &line);
	buf_free(&line);
	if (call)
		fprintf(stderr, "\ntry 'aidigest %s --help'\n",
		        call->command->name);
	else
		fputs("\ntry 'aidigest --help'\n", stderr);
	return CLI_EXIT_USAGE;
}

int cli_choice(const struct cli_call *call, const char *context,
               const char *option, const char *given,
               const char *const *choices)
{
	struct buf list = BUF_INIT(0);
	int i;

	if (!given)
		return 0;
	for (i = 0; choices[i]; i++)
		if (strcmp(given, choices[i]) == 0)
			return i;
	for (i = 0; choices[i]; i++)
		buf_printf(&list, "%s%s",
		           i == 0           ? ""
		           : choices[i + 1] ? ", "
		                            : " or ",
		           choices[i]);
	cli_usage(call, "%s: %s is %s, not '%s'", context, option,
	          buf_cstr(&list), given);
	buf_free(&list);
	return -1;
}

int cli_flush(const char *context)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (context)
			cli_msg(context, "cannot write the output: %s",
			        strerror(errno));
		return CLI_EXIT_ERROR;
	}
	return CLI_EXIT_OK;
}

int64_t cli_now(void)
{
	return (int64_t)time(NULL);
}

bool cli_progress(const struct cli_call *call)
{
	return call->g->verbosity >= 0 && isatty(STDERR_FILENO);
}

void cli_context_free(struct cli_context *cx)
{
	sources_free(&cx->sources);
	store_close(cx->store);
	config_free(&cx->config);
	free(cx->feeds_path);
	free(cx->db_path);
	memset(cx, 0, sizeof *cx);
}

/* The feeds file: --feeds, else [digest] feeds, else ./feeds.txt. Bad
 * lines and skipped lines are said; the rest load. */
static int cli_context_feeds(const struct cli_call *call,
                             struct cli_context *cx, struct buf *err)
{
	const char *cmd = call->command->name;
	const struct cli_globals *g = call->g;
	int bad = 0;

	cx->feeds_path =
	        config_expand_path(g->feeds           ? g->feeds
	                           : cx->config.feeds ? cx->config.feeds
	                                              : "feeds.txt");
	buf_reset(err);
	if (sources_load(cx->feeds_path, &cx->sources, &bad, err) != ERR_OK) {
		cli_msg_lines(cmd, buf_cstr(err));
		return CLI_EXIT_ERROR;
	}
	if (g->verbosity >= 0 || bad > 0)
		cli_msg_lines(cmd, buf_cstr(err));
	return CLI_EXIT_OK;
}

/* The state database: --db, else [digest] db, else the default file. */
static int cli_context_store(const struct cli_call *call,
                             struct cli_context *cx, struct buf *err)
{
	const char *cmd = call->command->name;
	const struct cli_globals *g = call->g;

	cx->db_path = g->db           ? config_expand_path(g->db)
	              : cx->config.db ? xstrdup(cx->config.db)
	                              : config_default_db();
	if (!cx->db_path) {
		cli_msg(cmd, "no state database: give --db FILE");
		return CLI_EXIT_ERROR;
	}
	buf_reset(err);
	if (store_open(cx->db_path, &cx->store, err) != 0) {
		cli_msg(cmd, "%s",
		        buf_cstr(err)); /* the store names the path */
		return CLI_EXIT_ERROR;
	}
	return CLI_EXIT_OK;
}

int cli_context_open(const struct cli_call *call, struct cli_context *cx,
                     int need)
{
	const char *cmd = call->command->name;
	struct buf err = BUF_INIT(0), warn = BUF_INIT(0);
	int ret = CLI_EXIT_OK;

	memset(cx, 0, sizeof *cx);
	if (config_load(call->g->config, &cx->config, &err, &warn) != 0) {
		cli_msg_lines(cmd, buf_cstr(&err));
		ret = CLI_EXIT_ERROR;
		goto out;
	}
	if (call->g->verbosity >= 0)
		cli_msg_lines(cmd, buf_cstr(&warn));
	if (need & CLI_NEED_FEEDS)
		ret = cli_context_feeds(call, cx, &err);
	if (ret == CLI_EXIT_OK && (need & CLI_NEED_STORE))
		ret = cli_context_store(call, cx, &err);
out:
	buf_free(&err);
	buf_free(&warn);
	if (ret != CLI_EXIT_OK)
		cli_context_free(cx);
	return ret;
}

int cli_day(const struct cli_call *call, const struct cli_context *cx,
            const char *given, char date[DATE_DAY_LEN], int64_t *from,
            int64_t *to)
{
	int offset = cx->config.tz_offset_sec;
	int64_t now = cli_now();

	/* the last complete day, what a nightly run publishes; today is
	 * the day so far */
	if (!given || strcmp(given, "yesterday") == 0)
		date_format_day(now - 86400, offset, date);
	else if (strcmp(given, "today") == 0)
		date_format_day(now, offset, date);
	else
		snprintf(date, DATE_DAY_LEN, "%s", given);
	if ((given && strcmp(given, "today") && strcmp(given, "yesterday") &&
	     strlen(given) != DATE_DAY_LEN - 1) ||
	    date_day_window(date, offset, from, to) != 0)
		return cli_usage(call,
		                 "%s: --date wants YYYY-MM-DD, today or "
		                 "yesterday, not '%s'",
		                 call->command->name, given ? given : date);
	return 0;
}

static void cli_notice(void *ctx, enum digest_notice level, const char *text)
{
	const struct cli_call *call = ctx;

	if (level == DIGEST_INFO && call->g->verbosity < 0)
		return;
	cli_msg(call->command->name, "%s", text);
}

void cli_digest_env(const struct cli_call *call, struct cli_context *cx,
                    struct digest_env *env)
{
	memset(env, 0, sizeof *env);
	env->config = &cx->config;
	env->store = cx->store;
	env->now = cli_now();
	env->progress = cli_progress(call);
	env->notice = cli_notice;
	env->ctx = (void *)call;
}

int cli_panel_day(const struct cli_call *call, const char *cmd,
                  const char *given, cli_day_fn fn, const void *arg)
{
	struct cli_context cx;
	char date[DATE_DAY_LEN];
	int64_t from, to;
	int ret;

	ret = cli_context_open(call, &cx, CLI_NEED_STORE);
	if (ret != CLI_EXIT_OK)
		return ret;
	ret = cli_day(call, &cx, given, date, &from, &to);
	if (ret == 0 && http_global_init() != 0) {
		cli_msg(cmd, "cannot start libcurl: %s", http_global_error());
		ret = CLI_EXIT_ERROR;
	} else if (ret == 0) {
		ret = fn(call, &cx, date, arg);
		http_global_cleanup();
	}
	cli_context_free(&cx);
	if (cli_flush(cmd) != CLI_EXIT_OK)
		return CLI_EXIT_ERROR;
	return ret;
}

int cli_show_post(const struct cli_call *call, struct cli_context *cx,
                  const char *cmd, const char *date,
                  void (*show)(const struct digest *d, const void *arg),
                  const void *arg)
{
	struct digest_env env;
	struct digest d;
	struct buf err = BUF_INIT(4096);
	int ret = CLI_EXIT_OK;

	cli_digest_env(call, cx, &env);
	if (digest_open(&d, &env, DIGEST_POST, date, &err) != 0 ||
	    digest_build(&d, &err) != 0) {
		cli_msg_lines(cmd, buf_cstr(&err));
		ret = CLI_EXIT_ERROR;
	} else {
		show(&d, arg);
		if (d.degraded)
			ret = CLI_EXIT_DEGRADED;
	}
	digest_free(&d);
	buf_free(&err);
	return ret;
}

/* A stream onto another that drops control characters (a 0xC2 that ends
 * a write waits for the next one: it may start a C1 character). */
struct cli_visible {
	FILE *to;
	bool pending_c2;
};

static ssize_t cli_visible_write(void *cookie, const char *data, size_t n)
{
	struct cli_visible *v = cookie;
	struct buf clean = BUF_INIT(0);
	size_t start = 0;

	if (v->pending_c2) {
		v->pending_c2 = false;
		if (n > 0 && (unsigned char)data[0] >= 0x80 &&
		    (unsigned char)data[0] <= 0x9F)
			start = 1; /* a C1 character: both bytes go */
		else
			buf_putc(&clean, 0xC2);
	}
	if (n > start && (unsigned char)data[n - 1] == 0xC2 &&
	    utf8_control_len(data + n - 1, 1) == 0) {
		v->pending_c2 = true;
		n--;
	}
	if (n > start)
		(void)utf8_append_visible(&clean, data + start, n - start);
	fwrite(buf_cstr(&clean), 1, clean.len, v->to);
	buf_free(&clean);
	return (ssize_t)(n + (v->pending_c2 ? 1 : 0));
}

static int cli_visible_close(void *cookie)
{
	struct cli_visible *v = cookie;

	if (v->pending_c2)
		fputc(0xC2, v->to);
	free(v);
	return 0;
}

FILE *cli_visible_stream(FILE *to)
{
	static const cookie_io_functions_t io = {NULL, cli_visible_write, NULL,
	                                         cli_visible_close};
	struct cli_visible *v = xcalloc(1, sizeof *v);
	FILE *fp;

	v->to = to;
	fp = fopencookie(v, "w", io);
	if (!fp)
		xalloc_die(sizeof *v);
	return fp;
}
