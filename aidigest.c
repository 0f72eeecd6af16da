/* aidigest: the command line's entry. The table of commands, the global
 * options, main; the only file with process-wide state (the global
 * options, read once here and handed to the command). */

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#ifndef AIDIGEST_VERSION
#define AIDIGEST_VERSION "dev"
#endif

static int cmd_help(struct cli_call *call, int argc, char **argv);

static const struct cli_command commands[] = {
        {"run", cli_cmd_run, "[--date D] [--dry-run] [--force]",
         "fetch, rank, write, verify, render and publish a day's post"},
        {"fetch", cli_cmd_fetch, "[--format text|json]",
         "fetch every source of the feeds file into the state database"},
        {"items", cli_cmd_items, "[--date D] [--format tsv|json]",
         "a day's stories with their items, from the state database"},
        {"rank", cli_cmd_rank,
         "[--date D] [--format table|json] [--explain ID]",
         "the judge panel's ranking of a day's stories"},
        {"preview", cli_cmd_preview, "[--date D] [--html]",
         "a day's post on stdout; publishes nothing"},
        {"verify", cli_cmd_verify, "[--date D] [--format table|json]",
         "how the panel checked a day's texts against their sources"},
        {"pick", cli_cmd_pick,
         "[--date D] [--drop ID]... [--pin ID]... [--clear]",
         "the editor's last word: stories dropped from or pinned into a "
         "day's digest"},
        {"jury", cli_cmd_jury, "[--date D] [--days N] [--format table|json]",
         "each judge's agreement with the editor's final selection over "
         "the recorded days"},
        {"feeds", cli_cmd_feeds,
         "check [--format table|json]\nimport FILE.opml\nexport",
         "the sources: their health, and OPML in and out"},
        {"parse", cli_cmd_parse,
         "[--fields] [--header 'Name: value']... [--tz +HH:MM] [--url URL] "
         "[--max-bytes N] [--max-entries N] FILE...\n"
         "--date STRING [--tz +HH:MM]",
         "parse feed files, or print a date as UTC"},
        {"render", cli_cmd_render,
         "[--escape html|markdown|yaml|none] [--partials DIR] TEMPLATE "
         "DATA.json",
         "render a Mustache template with JSON data to stdout"},
        {"help", cmd_help, "[COMMAND]", "this text, or a command's help"},
};

#define NCOMMANDS (sizeof commands / sizeof *commands)

static const struct cli_option global_options[] = {
        {"--config", "-c", CLI_OPT_VALUE, offsetof(struct cli_globals, config),
         0, "FILE",
         "the configuration (else $AIDIGEST_CONFIG, else "
         "~/.config/aidigest/aidigest.conf, else built-in defaults)"},
        {"--feeds", NULL, CLI_OPT_VALUE, offsetof(struct cli_globals, feeds), 0,
         "FILE", "the sources (else [digest] feeds, else ./feeds.txt)"},
        {"--db", NULL, CLI_OPT_VALUE, offsetof(struct cli_globals, db), 0,
         "FILE",
         "the state database (else [digest] db, else "
         "~/.local/share/aidigest/aidigest.db)"},
        {"--out", NULL, CLI_OPT_VALUE, offsetof(struct cli_globals, out), 0,
         "DIR",
         "the blog folder to publish into (else [digest] out, else the "
         "current folder)"},
        {"--quiet", "-q", CLI_OPT_SET, offsetof(struct cli_globals, verbosity),
         -1, NULL, "fewer messages"},
        {"--verbose", "-v", CLI_OPT_COUNT,
         offsetof(struct cli_globals, verbosity), 0, NULL,
         "more messages (again: still more)"},
        {NULL, NULL, CLI_OPT_FLAG, 0, 0, NULL, NULL},
};

/* What only comes before a command. */
struct main_options {
	bool version;
};

static const struct cli_option main_options[] = {
        {"--version", NULL, CLI_OPT_FLAG,
         offsetof(struct main_options, version), 0, NULL, "the version"},
        {NULL, NULL, CLI_OPT_FLAG, 0, 0, NULL, NULL},
};

static const struct cli_command *find_command(const char *name)
{
	size_t k;

	for (k = 0; k < NCOMMANDS; k++)
		if (strcmp(commands[k].name, name) == 0)
			return &commands[k];
	return NULL;
}

static void print_main_help(FILE *fp)
{
	const char *form, *nl;
	size_t k;

	fputs("usage: aidigest [global options] COMMAND [options]\n"
	      "\n"
	      "A daily AI-news digest generator: it reads the day's feeds, "
	      "lets "
	      "a\npanel of judges rank the stories and publishes one Korean "
	      "markdown\npost.\n"
	      "\n"
	      "Commands:\n",
	      fp);
	for (k = 0; k < NCOMMANDS; k++) {
		for (form = commands[k].usage; form;
		     form = nl ? nl + 1 : NULL) {
			nl = strchr(form, '\n');
			cli_print_form(fp, "  ", commands[k].name, form,
			               nl ? (size_t)(nl - form) : strlen(form),
			               8);
		}
		cli_print_wrapped(fp, commands[k].summary, 6, 0);
	}
	fputs("\nGlobal options (before or after the command):\n", fp);
	cli_print_options(fp, global_options);
	cli_print_options(fp, main_options);
	fputs("  -h, --help            this text\n"
	      "\n"
	      "'aidigest COMMAND --help' or 'aidigest help COMMAND': a "
	      "command's options,\nwhat it prints, and the day it works on.\n"
	      "\n"
	      "D is YYYY-MM-DD, today or yesterday, in the digest's time zone; "
	      "without\n--date a day command takes the last complete day "
	      "(yesterday).\n"
	      "\n"
	      "Exit status: 0 all well, 1 error, 2 done but some inputs "
	      "failed, 64 usage\nerror.\n",
	      fp);
}

/* `aidigest help [COMMAND]`: the global help, or the command's (as
 * `aidigest COMMAND --help` prints it). */
static int cmd_help(struct cli_call *call, int argc, char **argv)
{
	static const struct cli_option none[] = {
	        {NULL, NULL, CLI_OPT_FLAG, 0, 0, NULL, NULL},
	};
	static const struct cli_spec spec = {
	        none, 1,
	        "Without COMMAND, the list of commands and the global "
	        "options; with one, that command's help, the same as "
	        "'aidigest COMMAND --help'."};
	static char help_flag[] = "--help";
	char *help_argv[] = {help_flag, NULL};
	struct cli_call sub = *call;
	int rc, nargs;

	rc = cli_parse(call, &spec, NULL, argc, argv, &nargs);
	if (rc != CLI_PARSED)
		return rc;
	if (nargs == 0) {
		print_main_help(stdout);
		return cli_flush(NULL);
	}
	sub.command = find_command(argv[0]);
	if (!sub.command)
		return cli_usage(NULL, "help: unknown command '%s'", argv[0]);
	return sub.command->run(&sub, 1, help_argv);
}

int main(int argc, char **argv)
{
	struct cli_globals g;
	struct main_options mo;
	struct cli_option_set sets[2];
	struct cli_call call;
	int rc, at = 0;

	memset(&g, 0, sizeof g);
	memset(&mo, 0, sizeof mo);
	sets[0].options = global_options;
	sets[0].base = &g;
	sets[1].options = main_options;
	sets[1].base = &mo;
	rc = cli_options_parse(NULL, sets, 2, -1, true, argc - 1, argv + 1,
	                       &at);
	if (rc == CLI_WANTS_HELP) {
		print_main_help(stdout);
		return cli_flush(NULL);
	}
	if (rc != 0)
		return rc;
	if (mo.version) {
		printf("aidigest %s\n", AIDIGEST_VERSION);
		return cli_flush(NULL);
	}
	if (at >= argc - 1)
		return cli_usage(NULL, "a command is needed");
	call.command = find_command(argv[1 + at]);
	if (!call.command)
		return cli_usage(NULL, "unknown command '%s'", argv[1 + at]);
	call.g = &g;
	call.global_options = global_options;
	return call.command->run(&call, argc - at - 2, argv + at + 2);
}
