#include "cli/cli.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/ascii.h"
#include "common/err.h"
#include "common/timeutil.h"
#include "fetch/feed.h"

struct parse_opts {
	bool fields;
	const char *date;
	const char *url;
	struct cli_list headers;
	const char *tz;
	const char *max_bytes;
	const char *max_entries;
};

static const struct cli_option parse_options[] = {
        {"--fields", NULL, CLI_OPT_FLAG, offsetof(struct parse_opts, fields), 0,
         NULL,
         "print the neutral field<TAB>value lines of the conformance "
         "corpus (feed.title.text, entries[0].link, ...) instead of one "
         "entry a line; one FILE only"},
        {"--header", NULL, CLI_OPT_LIST, offsetof(struct parse_opts, headers),
         0, "'Name: value'",
         "an HTTP header the body came with (Content-Type tells the "
         "charset and the format); up to 32"},
        {"--tz", NULL, CLI_OPT_VALUE, offsetof(struct parse_opts, tz), 0,
         "+HH:MM", "the zone of dates written without one (UTC unless set)"},
        {"--url", NULL, CLI_OPT_VALUE, offsetof(struct parse_opts, url), 0,
         "URL", "the document's address, to resolve relative links"},
        {"--max-bytes", NULL, CLI_OPT_VALUE,
         offsetof(struct parse_opts, max_bytes), 0, "N",
         "refuse a FILE over N bytes (k and M suffixes; 16M unless set)"},
        {"--max-entries", NULL, CLI_OPT_VALUE,
         offsetof(struct parse_opts, max_entries), 0, "N",
         "read at most N entries a file (10000 unless set)"},
        {"--date", NULL, CLI_OPT_VALUE, offsetof(struct parse_opts, date), 0,
         "STRING",
         "parse STRING as a feed's date and print it as UTC "
         "YYYY-MM-DDTHH:MM:SSZ (no FILE then)"},
        {NULL, NULL, CLI_OPT_FLAG, 0, 0, NULL, NULL},
};

static const struct cli_spec parse_spec = {
        parse_options, -1,
        "Parses feed files (RSS 0.9x/2.0, RSS 1.0, Atom 0.3/1.0, JSON Feed) "
        "as the fetch reads them and prints one entry a line: UTC time, "
        "title, link, id, author, summary, TAB-separated with \\, TAB and "
        "line breaks escaped (docs/parse-format.md). FILE - is stdin. A "
        "file that cannot be read or parsed is named on stderr; exit 2 "
        "when some of several failed, 1 when all did."};

/* The settings of one parse, checked. */
struct parse_args {
	struct parse_opts o;
	int tz_offset_sec;
	size_t max_bytes, max_entries;
	const char *content_type; /* from a Content-Type header */
};

/* A size: digits, then K/k or M; 0 and *out, or ERR_PARSE. */
static int parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-')
		return ERR_PARSE;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return ERR_PARSE;
	if (*end == 'k' || *end == 'K') {
		v <<= 10;
		end++;
	} else if (*end == 'M') {
		v <<= 20;
		end++;
	}
	if (*end || v == 0 || v > SIZE_MAX / 2)
		return ERR_PARSE;
	*out = (size_t)v;
	return 0;
}

/* Check the options' values; 0 or CLI_EXIT_USAGE after saying why. */
static int parse_check(const struct cli_call *call, struct parse_args *pa)
{
	size_t i;

	pa->max_bytes = FEED_DEFAULT_MAX_BYTES;
	pa->max_entries = FEED_DEFAULT_MAX_ENTRIES;
	for (i = 0; i < pa->o.headers.n; i++) {
		const char *h = pa->o.headers.v[i];

		if (!strchr(h, ':'))
			return cli_usage(
			        call,
			        "--header wants 'Name: value' (at most "
			        "32): '%s'",
			        h);
		if (ascii_ncasecmp(h, "content-type:", 13) == 0) {
			pa->content_type = h + 13;
			while (ascii_isblank((unsigned char)*pa->content_type))
				pa->content_type++;
		}
	}
	if (pa->o.tz && date_parse_offset(pa->o.tz, &pa->tz_offset_sec) != 0)
		return cli_usage(
		        call, "--tz wants an offset such as +09:00, not '%s'",
		        pa->o.tz);
	if (pa->o.max_bytes && parse_size(pa->o.max_bytes, &pa->max_bytes) != 0)
		return cli_usage(call,
		                 "--max-bytes wants a positive size, not '%s'",
		                 pa->o.max_bytes);
	if (pa->o.max_entries &&
	    parse_size(pa->o.max_entries, &pa->max_entries) != 0)
		return cli_usage(
		        call, "--max-entries wants a positive number, not '%s'",
		        pa->o.max_entries);
	return 0;
}

static int parse_print_tsv(void *ctx, const struct feed *feed,
                           const struct feed_entry *entry)
{
	(void)ctx;
	return feed_print_tsv(stdout, feed, entry) != ERR_OK;
}

/* The parser's notes on a recovered document, unless quiet. */
static void parse_print_notes(const struct cli_call *call, const char *file,
                              const struct feed *feed)
{
	const char *p = buf_cstr(&feed->notes), *nl;

	if (call->g->verbosity < 0)
		return;
	while ((nl = strchr(p, '\n')) != NULL) {
		cli_msg(file, "%.*s", (int)(nl - p), p);
		p = nl + 1;
	}
}

static int parse_file(const struct cli_call *call, const struct parse_args *pa,
                      const char *file)
{
	struct buf err = BUF_INIT(4096);
	struct feed_options opt;
	struct feed *feed = NULL;
	int rc;

	memset(&opt, 0, sizeof opt);
	opt.url = pa->o.url;
	opt.content_type = pa->content_type;
	opt.tz_offset_sec = pa->tz_offset_sec;
	opt.max_bytes = pa->max_bytes;
	opt.max_entries = pa->max_entries;
	if (!pa->o.fields) {
		opt.on_entry = parse_print_tsv;
		opt.summary_text_only = true;
	}
	/* a regular file is read in pieces: memory does not grow with it */
	rc = feed_parse_file(file, &opt, &feed, &err);
	if (rc == ERR_LIMIT)
		buf_puts(&err, " (--max-bytes)");
	if (rc != ERR_OK) {
		cli_msg("parse", "%s: %s", file, buf_cstr(&err));
	} else {
		/* a write error is said once, by cli_flush */
		if (pa->o.fields && feed_print_fields(stdout, feed) != ERR_OK)
			rc = ERR_IO;
		parse_print_notes(call, file, feed);
	}
	feed_free(feed);
	buf_free(&err);
	return rc;
}

/* `parse --date STRING`: the date as UTC. */
static int parse_date(const struct parse_args *pa)
{
	char utc[TIME_UTC_LEN];
	int64_t t;

	if (date_parse(pa->o.date, pa->tz_offset_sec, &t) != 0) {
		cli_msg("parse", "not a date: '%s'", pa->o.date);
		return CLI_EXIT_ERROR;
	}
	time_format_utc(t, utc);
	puts(utc);
	return cli_flush("parse");
}

int cli_cmd_parse(struct cli_call *call, int argc, char **argv)
{
	struct parse_args pa;
	int nargs, ret, i, failed = 0;

	memset(&pa, 0, sizeof pa);
	ret = cli_parse(call, &parse_spec, &pa.o, argc, argv, &nargs);
	if (ret != CLI_PARSED)
		return ret;
	if (parse_check(call, &pa) != 0)
		return CLI_EXIT_USAGE;
	if (pa.o.date) {
		if (nargs)
			return cli_usage(call, "parse --date takes no FILE");
		return parse_date(&pa);
	}
	if (nargs == 0)
		return cli_usage(call, "parse needs a FILE (or --date STRING)");
	if (pa.o.fields && nargs > 1)
		return cli_usage(call, "parse --fields takes one FILE");
	for (i = 0; i < nargs; i++)
		if (parse_file(call, &pa, argv[i]) != ERR_OK)
			failed++;
	ret = cli_flush("parse");
	if (ret != CLI_EXIT_OK || failed == 0)
		return ret;
	return failed == nargs ? CLI_EXIT_ERROR : CLI_EXIT_DEGRADED;
}
