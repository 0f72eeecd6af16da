#include "cli/cli.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/ingest.h"
#include "store/store.h"

/* `aidigest pick`: the editor's last word on a day's stories. */

struct pick_opts {
	const char *date;
	struct cli_list drop, pin;
	bool clear;
};

static const struct cli_option pick_options[] = {
        CLI_OPTION_DATE(struct pick_opts),
        {"--drop", NULL, CLI_OPT_LIST, offsetof(struct pick_opts, drop), 0,
         "ID",
         "keep story ID out of the day's digest (rank shows its id); may "
         "be given again"},
        {"--pin", NULL, CLI_OPT_LIST, offsetof(struct pick_opts, pin), 0, "ID",
         "put story ID into the day's digest whatever the panel says; it "
         "takes a slot from the bottom of the selection; may be given "
         "again"},
        {"--clear", NULL, CLI_OPT_FLAG, offsetof(struct pick_opts, clear), 0,
         NULL,
         "forget the day's picks first (with no --drop or --pin: forget "
         "them all)"},
        {NULL, NULL, CLI_OPT_FLAG, 0, 0, NULL, NULL},
};

static const struct cli_spec pick_spec = {
        pick_options, 0,
        "Keeps the editor's picks for a day in the state database: stories "
        "dropped from its digest and stories pinned into it. rank, preview "
        "and run honour them (rank and rank --explain say 'dropped by the "
        "editor' or 'pinned by the editor'); a run after a pick publishes "
        "the day again with the change. An ID must be a story of that "
        "day, as rank and items show it. Without --drop, --pin or --clear "
        "it lists the day's picks: story id, pick, title."};

/* A story id of the day, or a usage error. */
static int pick_id(const struct cli_call *call, const char *opt, const char *s,
                   const struct store_story *v, size_t n, int64_t *id)
{
	char *end;
	size_t i;

	*id = strtoll(s, &end, 10);
	if (*end || end == s)
		return cli_usage(call, "pick: %s wants a story id, not '%s'",
		                 opt, s);
	for (i = 0; i < n; i++)
		if (v[i].id == *id)
			return 0;
	return cli_usage(call,
	                 "pick: %s %s: no such story on that day (see "
	                 "'aidigest rank' or 'aidigest items')",
	                 opt, s);
}

static const char *pick_title(const struct store_story *v, size_t n, int64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].id == id)
			return v[i].title ? v[i].title : "";
	return "(not a story of the day now)";
}

/* Check every id, then write the picks in one transaction. */
static int pick_apply(const struct cli_call *call, struct cli_context *cx,
                      const struct pick_opts *o, const char *date,
                      const struct store_story *v, size_t n)
{
	int64_t ids[2][CLI_LIST_MAX];
	const struct cli_list *lists[2] = {&o->drop, &o->pin};
	static const char *const names[2] = {"--drop", "--pin"};
	static const enum store_pick acts[2] = {STORE_PICK_DROP,
	                                        STORE_PICK_PIN};
	size_t l, k;
	int rc = 0;

	for (l = 0; l < 2; l++)
		for (k = 0; k < lists[l]->n; k++)
			if (pick_id(call, names[l], lists[l]->v[k], v, n,
			            &ids[l][k]) != 0)
				return CLI_EXIT_USAGE;
	if (store_begin(cx->store) != 0)
		goto fail;
	if (o->clear)
		rc = store_picks_clear(cx->store, date);
	for (l = 0; l < 2 && rc == 0; l++)
		for (k = 0; k < lists[l]->n && rc == 0; k++)
			rc = store_pick_set(cx->store, date, ids[l][k], acts[l],
			                    cli_now());
	if (rc == 0 && store_commit(cx->store) == 0)
		return CLI_EXIT_OK;
fail:
	cli_msg("pick", "%s", store_error(cx->store));
	if (store_rollback(cx->store) != 0)
		cli_msg("pick", "%s", store_error(cx->store));
	return CLI_EXIT_ERROR;
}

static int pick_list(struct cli_context *cx, const char *date,
                     const struct store_story *v, size_t n)
{
	struct store_pick_row *p = NULL;
	size_t np = 0, k;
	FILE *out;

	if (store_picks_get(cx->store, date, &p, &np) != 0) {
		cli_msg("pick", "%s", store_error(cx->store));
		return CLI_EXIT_ERROR;
	}
	out = cli_visible_stream(stdout);
	for (k = 0; k < np; k++)
		fprintf(out, "%lld\t%s\t%s\n", (long long)p[k].story_id,
		        p[k].action == STORE_PICK_PIN ? "pin" : "drop",
		        pick_title(v, n, p[k].story_id));
	fclose(out);
	free(p);
	return cli_flush("pick");
}

int cli_cmd_pick(struct cli_call *call, int argc, char **argv)
{
	struct pick_opts o;
	struct cli_context cx;
	struct store_story *v = NULL;
	size_t n = 0;
	char date[DATE_DAY_LEN];
	int64_t from, to;
	int nargs, ret;

	memset(&o, 0, sizeof o);
	ret = cli_parse(call, &pick_spec, &o, argc, argv, &nargs);
	if (ret != CLI_PARSED)
		return ret;
	ret = cli_context_open(call, &cx, CLI_NEED_STORE);
	if (ret != CLI_EXIT_OK)
		return ret;
	ret = cli_day(call, &cx, o.date, date, &from, &to);
	if (ret != 0)
		goto out;
	if (ingest_stories_load(cx.store, from, to, &v, &n) != 0) {
		cli_msg("pick", "%s", store_error(cx.store));
		ret = CLI_EXIT_ERROR;
		goto out;
	}
	if (o.clear || o.drop.n || o.pin.n)
		ret = pick_apply(call, &cx, &o, date, v, n);
	else
		ret = pick_list(&cx, date, v, n);
out:
	store_stories_free(v, n);
	cli_context_free(&cx);
	return ret;
}
