#ifndef AIDIGEST_CLI_H
#define AIDIGEST_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/config.h"
#include "common/date.h"
#include "common/err.h"
#include "fetch/sources.h"
#include "store/store.h"

/* The command line: the commands of aidigest.c's table, one option
 * parser for all of them, the configuration, feeds file and store a
 * command opens, the day it works on, and messages. Data goes to stdout,
 * messages to stderr as "aidigest: CONTEXT: message". At this layer the
 * ERR_* codes have become exit statuses (docs/errors.md): a function here
 * that can fail returns an enum cli_exit after saying why. */

/* Exit status (docs/aidigest.1). */
enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_ERROR = 1,    /* nothing done, or nothing published */
	CLI_EXIT_DEGRADED = 2, /* done, but some inputs or judges failed */
	CLI_EXIT_USAGE = 64
};

/* The global options, given before the command or after it. */
struct cli_globals {
	const char *config; /* -c FILE */
	const char *feeds;  /* --feeds FILE */
	const char *db;     /* --db FILE */
	const char *out;    /* --out DIR */
	int verbosity;      /* -1 quiet, 0 normal, 1+ verbose */
};

/* How an option takes its value; the field at `offset` in the struct the
 * parser fills has the type named here. */
enum cli_option_kind {
	CLI_OPT_FLAG,  /* bool, set to true */
	CLI_OPT_VALUE, /* const char *: "--name VALUE" or "--name=VALUE" */
	CLI_OPT_LIST,  /* struct cli_list: the option may repeat */
	CLI_OPT_COUNT, /* int, one up each time */
	CLI_OPT_SET    /* int, set to `value` */
};

#define CLI_LIST_MAX 32

/* The values of a repeated option, in order; they point into argv. */
struct cli_list {
	const char *v[CLI_LIST_MAX];
	size_t n;
};

struct cli_option {
	const char *name;  /* "--date"; NULL ends a table */
	const char *alias; /* "-c", or NULL */
	enum cli_option_kind kind;
	size_t offset;    /* offsetof the field it fills */
	int value;        /* CLI_OPT_SET's */
	const char *arg;  /* the value's name in help ("YYYY-MM-DD"), or NULL */
	const char *help; /* what it does, one sentence or two */
};

/* The --date option of the day commands (items, rank, preview, verify,
 * run), with the one text that says which day it defaults to. */
#define CLI_DATE_HELP                                                          \
	"the day, YYYY-MM-DD, today or yesterday, in the digest's time zone "  \
	"([digest] timezone, +09:00 unless set); without --date, the last "    \
	"complete day there (yesterday: what the nightly run publishes)"
#define CLI_OPTION_DATE(type)                                                  \
	{                                                                      \
		"--date", NULL, CLI_OPT_VALUE, offsetof(type, date), 0, "D",   \
		        CLI_DATE_HELP                                          \
	}

struct cli_call;

/* A command of the table: argv holds its arguments (after its name). It
 * returns an exit status. */
struct cli_command {
	const char *name;
	int (*run)(struct cli_call *call, int argc, char **argv);
	const char *usage;   /* its forms after the name, one a line:
	                      * "[--date YYYY-MM-DD] [--format tsv|json]" */
	const char *summary; /* what it does, one line */
};

/* One command being run, with what aidigest.c hands it. */
struct cli_call {
	const struct cli_command *command;
	struct cli_globals *g;                   /* filled further by it */
	const struct cli_option *global_options; /* into g */
};

/* What a command accepts beyond the global options. */
struct cli_spec {
	const struct cli_option *options; /* its own, NULL-name-ended */
	int max_args;      /* positional arguments at most; -1: any number */
	const char *about; /* its help: what it does, its output, what
	                    * --date means when it has one, exit status */
};

/* The sets of options one parse accepts: a table and the struct its
 * offsets point into. */
struct cli_option_set {
	const struct cli_option *options;
	void *base;
};

#define CLI_WANTS_HELP (-2)

/* Parse argv[0..argc) against the sets. Options take "--name VALUE" or
 * "--name=VALUE" (long names only), anywhere among the arguments; "-"
 * alone is an argument. Arguments are moved to argv[0..*nargs) in order.
 * With stop_at_arg, parsing stops at the first argument instead (its
 * index in *nargs). Messages name call's command (call NULL: before
 * any). Returns 0; CLI_WANTS_HELP for -h or --help (nothing printed); or
 * CLI_EXIT_USAGE after saying why (an unknown option, a value missing,
 * a repeated option given too often, more than max_args arguments, where
 * max_args >= 0). */
MUST_CHECK int cli_options_parse(const struct cli_call *call,
                                 const struct cli_option_set *sets,
                                 size_t nsets, int max_args, bool stop_at_arg,
                                 int argc, char **argv, int *nargs);

/* A command's arguments: its own options into opts, the global ones
 * into call->g, positional arguments to argv[0..*nargs). Returns
 * CLI_PARSED to go on, or the exit status to return now: after --help
 * (the command's help printed on stdout) or a usage error. */
#define CLI_PARSED (-1)
MUST_CHECK int cli_parse(struct cli_call *call, const struct cli_spec *spec,
                         void *opts, int argc, char **argv, int *nargs);

/* The command's help: usage, summary, about, its options, the global
 * ones. */
void cli_print_command_help(FILE *fp, const struct cli_call *call,
                            const struct cli_spec *spec);
/* One form of a command's usage: lead, the command's name, the form
 * (len bytes), wrapped between its bracketed parts, later lines indented
 * by indent; and a newline. */
void cli_print_form(FILE *fp, const char *lead, const char *name,
                    const char *form, size_t len, int indent);
/* An options table as help: "  -c, --config FILE   what it does",
 * wrapped at 80 columns. */
void cli_print_options(FILE *fp, const struct cli_option *options);
/* Text wrapped at 80 columns, each line indented by indent spaces, and a
 * newline; the output is at column col when it starts (0: a fresh
 * line). A newline in text starts a line. */
void cli_print_wrapped(FILE *fp, const char *text, int indent, int col);

/* "aidigest: CONTEXT: message" on stderr (context NULL: none). */
void cli_msg(const char *context, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* Each line of text as a message. */
void cli_msg_lines(const char *context, const char *text);
/* A usage error: the message and how to get help; returns
 * CLI_EXIT_USAGE. call NULL: before any command. */
int cli_usage(const struct cli_call *call, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
/* given among choices (NULL-ended): its index, 0 when given is NULL, or
 * -1 after the usage error "CONTEXT: OPTION is a, b or c, not 'x'". */
MUST_CHECK int cli_choice(const struct cli_call *call, const char *context,
                          const char *option, const char *given,
                          const char *const *choices);
/* Flush stdout: CLI_EXIT_OK, or CLI_EXIT_ERROR after saying why. */
MUST_CHECK int cli_flush(const char *context);

/* UTC seconds now. */
int64_t cli_now(void);
/* Whether a progress line goes to stderr: a terminal, not -q. */
bool cli_progress(const struct cli_call *call);

/* What the commands that read the configuration, the feeds file and the
 * state database open. */
struct cli_context {
	struct config config;
	struct source_list sources; /* with CLI_NEED_FEEDS */
	struct store *store;        /* with CLI_NEED_STORE */
	char *feeds_path;
	char *db_path;
};

enum { CLI_NEED_FEEDS = 1, CLI_NEED_STORE = 2 };

/* Load the configuration (-c, else $AIDIGEST_CONFIG, ...) and what need
 * asks for. Returns CLI_EXIT_OK, or CLI_EXIT_ERROR after saying why
 * (then nothing is left to free). */
MUST_CHECK int cli_context_open(const struct cli_call *call,
                                struct cli_context *cx, int need);
void cli_context_free(struct cli_context *cx);

/* The fetch's settings from the configuration (cli/fetch.c): now, the
 * feeds, the [fetch] limits; a progress line when cli_progress. */
struct ingest_settings;
void cli_ingest_settings(const struct cli_call *call,
                         const struct cli_context *cx,
                         struct ingest_settings *s);

/* The digest pipeline's environment for a command (pipeline/digest.h):
 * the context's configuration and store, now, a progress line when
 * cli_progress, and notices as messages under the command's name (the
 * configuration's notes not when quiet). */
struct digest_env;
struct digest;
void cli_digest_env(const struct cli_call *call, struct cli_context *cx,
                    struct digest_env *env);

/* The day a command works on in the digest's zone: given (--date:
 * YYYY-MM-DD, today or yesterday), else the last complete day; its window
 * in *from, *to. 0, or CLI_EXIT_USAGE after "CMD: --date wants
 * YYYY-MM-DD, today or yesterday, not '...'". */
MUST_CHECK int cli_day(const struct cli_call *call,
                       const struct cli_context *cx, const char *given,
                       char date[DATE_DAY_LEN], int64_t *from, int64_t *to);

/* What a panel command does with its day: an exit status. */
typedef int (*cli_day_fn)(const struct cli_call *call, struct cli_context *cx,
                          const char *date, const void *arg);

/* The frame of the commands that ask the panel about a day (rank,
 * preview, verify): the store opened, the day from --date (given), the
 * network ready for the LLM judges, fn, and stdout flushed. Returns
 * fn's exit status, or the frame's own error's. */
int cli_panel_day(const struct cli_call *call, const char *cmd,
                  const char *given, cli_day_fn fn, const void *arg);

/* Build the day's post (the pipeline's digest_build) and show it with
 * show(d, arg); "CMD: ..." and CLI_EXIT_ERROR when it cannot be built,
 * CLI_EXIT_DEGRADED when judges or the writer fell back. */
int cli_show_post(const struct cli_call *call, struct cli_context *cx,
                  const char *cmd, const char *date,
                  void (*show)(const struct digest *d, const void *arg),
                  const void *arg);

/* A stream for people (tables, explanations) onto to: control
 * characters from feeds and servers are dropped on the way. fclose it;
 * that does not close to. */
FILE *cli_visible_stream(FILE *to);

/* The commands (cli/CMD.c). */
int cli_cmd_fetch(struct cli_call *call, int argc, char **argv);
int cli_cmd_items(struct cli_call *call, int argc, char **argv);
int cli_cmd_feeds(struct cli_call *call, int argc, char **argv);
int cli_cmd_parse(struct cli_call *call, int argc, char **argv);
int cli_cmd_rank(struct cli_call *call, int argc, char **argv);
int cli_cmd_render(struct cli_call *call, int argc, char **argv);
int cli_cmd_run(struct cli_call *call, int argc, char **argv);
int cli_cmd_preview(struct cli_call *call, int argc, char **argv);
int cli_cmd_pick(struct cli_call *call, int argc, char **argv);
int cli_cmd_jury(struct cli_call *call, int argc, char **argv);
int cli_cmd_verify(struct cli_call *call, int argc, char **argv);

#endif
