#include "cli/cli.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "common/err.h"
#include "common/file.h"
#include "common/xalloc.h"
#include "render/escape.h"
#include "render/mustache.h"

/* Templates, data and partials are read up to this many bytes each. */
#define RENDER_MAX_INPUT ((size_t)16 << 20)

struct render_opts {
	const char *escape;
	const char *partials;
};

static const struct cli_option render_options[] = {
        {"--escape", NULL, CLI_OPT_VALUE, offsetof(struct render_opts, escape),
         0, "html|markdown|yaml|none",
         "how {{name}} escapes its value: html (the default, as the "
         "Mustache spec says), markdown, yaml (a quoted scalar) or none"},
        {"--partials", NULL, CLI_OPT_VALUE,
         offsetof(struct render_opts, partials), 0, "DIR",
         "partial {{> NAME}} is DIR/NAME.mustache; without DIR, or with no "
         "such file, a partial renders as nothing (with a notice)"},
        {NULL, NULL, CLI_OPT_FLAG, 0, 0, NULL, NULL},
};

static const struct cli_spec render_spec = {
        render_options, 2,
        "Renders TEMPLATE with the JSON in DATA.json to stdout, as the post "
        "is rendered. Either may be - for stdin (not both). Each input is "
        "read up to 16 MiB."};

/* The partials of a render: a missing one renders as nothing (as the
 * spec says), with a notice; a name that would leave DIR, or a file that
 * cannot be read, fails the render. */
struct render_partials {
	const char *dir;
	bool quiet;
	bool failed;
	struct buf err;
};

static char *render_partial(void *ctx, const char *name)
{
	struct render_partials *rp = ctx;
	struct buf path = BUF_INIT(0), text = BUF_INIT(RENDER_MAX_INPUT);
	struct buf err = BUF_INIT(4096);
	char *ret = NULL;
	int rc;

	if (rp->failed)
		goto out;
	if (strchr(name, '/') || name[0] == '.') {
		buf_printf(&rp->err,
		           "partial '%s' refused: a name has no '/' and does "
		           "not start with '.'",
		           name);
		rp->failed = true;
		goto out;
	}
	if (!rp->dir) {
		if (!rp->quiet)
			cli_msg("render",
			        "partial '%s' rendered as nothing (no "
			        "--partials "
			        "DIR)",
			        name);
		goto out;
	}
	buf_printf(&path, "%s/%s.mustache", rp->dir, name);
	rc = file_read(buf_cstr(&path), RENDER_MAX_INPUT, &text, &err);
	if (rc == ERR_NOT_FOUND) {
		if (!rp->quiet)
			cli_msg("render",
			        "partial '%s' rendered as nothing: no file %s",
			        name, buf_cstr(&path));
		goto out;
	}
	if (rc != ERR_OK) {
		buf_printf(&rp->err, "%s: %s", buf_cstr(&path), buf_cstr(&err));
		rp->failed = true;
		goto out;
	}
	ret = text.data ? buf_detach(&text) : xstrdup("");
out:
	buf_free(&path);
	buf_free(&text);
	buf_free(&err);
	return ret;
}

/* Template and data into tmpl and data; 0, or file_read's code or
 * ERR_PARSE (data that is not JSON) after saying why. */
static int render_inputs(char **argv, struct buf *tmpl, json_t **data)
{
	struct buf text = BUF_INIT(RENDER_MAX_INPUT), err = BUF_INIT(4096);
	json_error_t jerr;
	int ret;

	ret = file_read(argv[0], RENDER_MAX_INPUT, tmpl, &err);
	if (ret != ERR_OK) {
		cli_msg("render", "%s: %s", argv[0], buf_cstr(&err));
		goto out;
	}
	ret = file_read(argv[1], RENDER_MAX_INPUT, &text, &err);
	if (ret != ERR_OK) {
		cli_msg("render", "%s: %s", argv[1], buf_cstr(&err));
		goto out;
	}
	*data = json_loadb(buf_cstr(&text), text.len, JSON_DECODE_ANY, &jerr);
	if (!*data) {
		cli_msg("render", "%s: line %d: %s", argv[1], jerr.line,
		        jerr.text);
		ret = ERR_PARSE;
	}
out:
	buf_free(&text);
	buf_free(&err);
	return ret;
}

int cli_cmd_render(struct cli_call *call, int argc, char **argv)
{
	static const char *const names[] = {"html", "markdown", "yaml", "none",
	                                    NULL};
	static const mustache_escape_fn fns[] = {escape_html, escape_markdown,
	                                         escape_yaml, escape_none};
	struct render_opts o;
	struct render_partials rp;
	struct mustache_options opt;
	struct buf tmpl = BUF_INIT(RENDER_MAX_INPUT);
	struct buf out = BUF_INIT(0), err = BUF_INIT(4096);
	json_t *data = NULL;
	struct stat st;
	int nargs, rc, ret = CLI_EXIT_ERROR, escape;

	memset(&o, 0, sizeof o);
	rc = cli_parse(call, &render_spec, &o, argc, argv, &nargs);
	if (rc != CLI_PARSED)
		return rc;
	if (nargs != 2)
		return cli_usage(call, "render needs TEMPLATE and DATA.json");
	if (strcmp(argv[0], "-") == 0 && strcmp(argv[1], "-") == 0)
		return cli_usage(call, "render: TEMPLATE and DATA.json cannot "
		                       "both be stdin");
	escape = cli_choice(call, "render", "--escape", o.escape, names);
	if (escape < 0)
		return CLI_EXIT_USAGE;
	memset(&opt, 0, sizeof opt);
	memset(&rp, 0, sizeof rp);
	opt.escape = fns[escape];
	opt.partial = render_partial;
	opt.ctx = &rp;
	rp.dir = o.partials;
	rp.quiet = call->g->verbosity < 0;
	buf_init(&rp.err, 4096);

	if (rp.dir && (stat(rp.dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
		cli_msg("render", "--partials %s: not a directory", rp.dir);
		goto out;
	}
	if (render_inputs(argv, &tmpl, &data) != 0)
		goto out;
	rc = mustache_render(buf_cstr(&tmpl), tmpl.len, data, &opt, &out, &err);
	if (rp.failed) {
		cli_msg("render", "%s", buf_cstr(&rp.err));
		goto out;
	}
	if (rc != 0) {
		cli_msg("render", "%s: %s", argv[0], buf_cstr(&err));
		goto out;
	}
	if (fwrite(buf_cstr(&out), 1, out.len, stdout) != out.len) {
		cli_msg("render", "cannot write the output: %s",
		        strerror(errno));
		goto out;
	}
	ret = cli_flush("render");
out:
	json_decref(data);
	buf_free(&tmpl);
	buf_free(&out);
	buf_free(&err);
	buf_free(&rp.err);
	return ret;
}
