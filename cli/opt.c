#include "cli/cli.h"

#include <stdbool.h>
#include <string.h>

/* Help is wrapped to this many columns; option names take the first
 * CLI_HELP_COLUMN of them. */
#define CLI_WIDTH 79
#define CLI_HELP_COLUMN 24

/* The option that a names in the sets, or NULL; *base gets its set's
 * struct and *inline_value what follows "--name=" (NULL without). */
static const struct cli_option *cli_find(const struct cli_option_set *sets,
                                         size_t nsets, const char *a,
                                         void **base, const char **inline_value)
{
	const struct cli_option *o;
	size_t k, n;

	for (k = 0; k < nsets; k++)
		for (o = sets[k].options; o && o->name; o++) {
			n = strlen(o->name);
			*base = sets[k].base;
			*inline_value = NULL;
			if (strcmp(a, o->name) == 0 ||
			    (o->alias && strcmp(a, o->alias) == 0))
				return o;
			if (o->name[1] == '-' && strncmp(a, o->name, n) == 0 &&
			    a[n] == '=') {
				*inline_value = a + n + 1;
				return o;
			}
		}
	return NULL;
}

static const char *cli_context_name(const struct cli_call *call)
{
	return call ? call->command->name : NULL;
}

/* Store what option o at argv[*i] says into its field; the value (if it
 * takes one) is inline_value or the next argument. 0 or CLI_EXIT_USAGE. */
static int cli_take(const struct cli_call *call, const struct cli_option *o,
                    void *base, const char *inline_value, int argc, char **argv,
                    int *i)
{
	const char *a = argv[*i], *value = inline_value;
	char *field = (char *)base + o->offset;
	const char *cmd = cli_context_name(call);
	struct cli_list *list;

	if (o->kind != CLI_OPT_VALUE && o->kind != CLI_OPT_LIST) {
		if (inline_value)
			return cli_usage(call, "%s%soption '%s' takes no value",
			                 cmd ? cmd : "", cmd ? ": " : "",
			                 o->name);
		if (o->kind == CLI_OPT_FLAG)
			*(bool *)(void *)field = true;
		else if (o->kind == CLI_OPT_COUNT)
			(*(int *)(void *)field)++;
		else
			*(int *)(void *)field = o->value;
		return 0;
	}
	if (!value) {
		if (*i + 1 >= argc)
			return cli_usage(call, "option '%s' needs a value", a);
		value = argv[++*i];
	}
	if (o->kind == CLI_OPT_VALUE) {
		*(const char **)(void *)field = value;
		return 0;
	}
	list = (struct cli_list *)(void *)field;
	if (list->n == CLI_LIST_MAX)
		return cli_usage(
		        call, "%s%soption '%s' is given more than %d times",
		        cmd ? cmd : "", cmd ? ": " : "", o->name, CLI_LIST_MAX);
	list->v[list->n++] = value;
	return 0;
}

int cli_options_parse(const struct cli_call *call,
                      const struct cli_option_set *sets, size_t nsets,
                      int max_args, bool stop_at_arg, int argc, char **argv,
                      int *nargs)
{
	const struct cli_option *o;
	const char *cmd = cli_context_name(call), *inline_value;
	void *base;
	int i, n = 0, rc;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			return CLI_WANTS_HELP;
		o = cli_find(sets, nsets, a, &base, &inline_value);
		if (o) {
			rc = cli_take(call, o, base, inline_value, argc, argv,
			              &i);
			if (rc != 0)
				return rc;
			continue;
		}
		if (a[0] == '-' && a[1] != '\0') {
			if (cmd)
				return cli_usage(call,
				                 "%s: unknown option '%s'", cmd,
				                 a);
			return cli_usage(call, "unknown option '%s'", a);
		}
		if (stop_at_arg) {
			*nargs = i;
			return 0;
		}
		if (max_args >= 0 && n >= max_args)
			return cli_usage(call, "%s: unexpected argument '%s'",
			                 cmd ? cmd : "aidigest", a);
		argv[n++] = argv[i];
	}
	*nargs = stop_at_arg ? argc : n;
	return 0;
}

int cli_parse(struct cli_call *call, const struct cli_spec *spec, void *opts,
              int argc, char **argv, int *nargs)
{
	struct cli_option_set sets[2];
	int rc;

	sets[0].options = spec->options;
	sets[0].base = opts;
	sets[1].options = call->global_options;
	sets[1].base = call->g;
	rc = cli_options_parse(call, sets, 2, spec->max_args, false, argc, argv,
	                       nargs);
	if (rc == 0)
		return CLI_PARSED;
	if (rc != CLI_WANTS_HELP)
		return rc;
	cli_print_command_help(stdout, call, spec);
	return cli_flush(NULL);
}

void cli_print_wrapped(FILE *fp, const char *text, int indent, int col)
{
	const char *p = text;
	size_t len;

	while (*p) {
		if (*p == '\n' || *p == ' ') {
			if (*p == '\n') {
				fputc('\n', fp);
				col = 0;
			}
			p++;
			continue;
		}
		len = strcspn(p, " \n");
		if (col > indent && col + 1 + (int)len > CLI_WIDTH) {
			fputc('\n', fp);
			col = 0;
		}
		if (col > indent) {
			fputc(' ', fp);
			col++;
		} else if (col < indent) {
			fprintf(fp, "%*s", indent - col, "");
			col = indent;
		}
		fwrite(p, 1, len, fp);
		col += (int)len;
		p += len;
	}
	fputc('\n', fp);
}

void cli_print_options(FILE *fp, const struct cli_option *options)
{
	const struct cli_option *o;
	int col;

	for (o = options; o && o->name; o++) {
		col = fprintf(fp, "  %s%s%s%s%s", o->alias ? o->alias : "",
		              o->alias ? ", " : "", o->name, o->arg ? " " : "",
		              o->arg ? o->arg : "");
		if (col > CLI_HELP_COLUMN - 2) {
			fputc('\n', fp);
			col = 0;
		}
		cli_print_wrapped(fp, o->help, CLI_HELP_COLUMN, col);
	}
}

void cli_print_form(FILE *fp, const char *lead, const char *name,
                    const char *form, size_t len, int indent)
{
	const char *p = form, *end = form + len, *q;
	int col, depth;

	col = fprintf(fp, "%s%s", lead, name);
	while (p < end) {
		while (p < end && *p == ' ')
			p++;
		for (q = p, depth = 0; q < end && (*q != ' ' || depth > 0); q++)
			depth += *q == '[' ? 1 : *q == ']' ? -1 : 0;
		if (q == p)
			break;
		if (col + 1 + (q - p) > CLI_WIDTH) {
			fprintf(fp, "\n%*s", indent - 1, "");
			col = indent - 1;
		}
		col += fprintf(fp, " %.*s", (int)(q - p), p);
		p = q;
	}
	fputc('\n', fp);
}

void cli_print_command_help(FILE *fp, const struct cli_call *call,
                            const struct cli_spec *spec)
{
	static const struct cli_option help_option[] = {
	        {"--help", "-h", CLI_OPT_FLAG, 0, 0, NULL, "this text"},
	        {NULL, NULL, CLI_OPT_FLAG, 0, 0, NULL, NULL},
	};
	const struct cli_command *c = call->command;
	const char *form = c->usage, *nl;
	const char *lead = "usage: aidigest [global options] ";

	do {
		nl = strchr(form, '\n');
		cli_print_form(fp, lead, c->name, form,
		               nl ? (size_t)(nl - form) : strlen(form), 16);
		lead = "       aidigest [global options] ";
		form = nl ? nl + 1 : NULL;
	} while (form);
	fputc('\n', fp);
	cli_print_wrapped(fp, c->summary, 0, 0);
	if (spec->about) {
		fputc('\n', fp);
		cli_print_wrapped(fp, spec->about, 0, 0);
	}
	fputs("\nOptions:\n", fp);
	cli_print_options(fp, spec->options);
	cli_print_options(fp, help_option);
	fputs("\nGlobal options (before or after the command):\n", fp);
	cli_print_options(fp, call->global_options);
	fputs("\nExit status: 0 all well, 1 error, 2 done but some inputs "
	      "failed, 64 usage\nerror.\n",
	      fp);
}
