/* aidigest: the command line. Options, subcommands, exit codes; the only
 * file with process-wide state. */

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/config.h"
#include "common/err.h"
#include "common/timeutil.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "common/date.h"
#include "fetch/feed.h"
#include "fetch/fetcher.h"
#include "fetch/http.h"
#include "fetch/sources.h"
#include "render/escape.h"
#include "render/mustache.h"
#include "store/store.h"
#include "render/escape.h"
#include "render/post.h"
#include "render/publish.h"
#include "summarize/panel.h"
#include "summarize/verify.h"
#include "summarize/writer.h"
#include <cmark.h>
#include "summarize/stories.h"

#include <math.h>

#include <jansson.h>
#include <time.h>

#ifndef AIDIGEST_VERSION
#define AIDIGEST_VERSION "dev"
#endif

enum {
	EXIT_OK = 0,
	EXIT_ERROR = 1,    /* nothing done */
	EXIT_DEGRADED = 2, /* done, but some inputs failed */
	EXIT_USAGE = 64
};

#define MAX_HEADERS 32

/* Options shared by every subcommand. */
struct globals {
	const char *config;
	const char *feeds;
	const char *db;
	const char *out;
	int verbosity; /* -1 quiet, 0 normal, 1+ verbose */
};

struct parse_args {
	bool fields;
	const char *date;
	const char *url;
	const char *headers[MAX_HEADERS];
	size_t nheaders;
	int tz_offset_sec;
	size_t max_bytes;
	size_t max_entries;
	const char **files;
	size_t nfiles;
};

static struct globals g;

static const char usage_text[] =
        "usage: aidigest [global options] COMMAND [options]\n"
        "\n"
        "A daily AI-news digest generator: it reads the day's feeds, lets a\n"
        "panel of judges rank the stories and publishes one Korean markdown\n"
        "post.\n"
        "\n"
        "Commands:\n"
        "  fetch [--format text|json]\n"
        "                      fetch every source of the feeds file into the\n"
        "                      state database; exit 2 when some failed; json:\n"
        "                      the report on stdout\n"
        "  items [--date YYYY-MM-DD] [--format tsv|json]\n"
        "                      the stories of a day (in the digest's zone)\n"
        "                      with their items, from the database\n"
        "  feeds check [--format table|json]\n"
        "                      every source's health: last success, status,\n"
        "                      items, failures, stale or not a feed\n"
        "  feeds import FILE.opml   print feeds.txt lines for an OPML file\n"
        "  feeds export        print the feeds file as OPML 2.0\n"
        "  parse [--fields] [--header 'Name: value']... [--tz +HH:MM]\n"
        "        [--url URL] [--max-bytes N] [--max-entries N] FILE...\n"
        "                      parse feed files (RSS, RDF, Atom, JSON Feed);\n"
        "                      print one entry a line, or with --fields the\n"
        "                      neutral field<TAB>value lines; FILE - is stdin\n"
        "  parse --date STRING [--tz +HH:MM]\n"
        "                      print a date as UTC YYYY-MM-DDTHH:MM:SSZ\n"
        "\n"
        "  rank [--date YYYY-MM-DD] [--format table|json] [--explain ID]\n"
        "                      the judge panel's ranking of a day's stories;\n"
        "                      exit 2 when a judge failed or the budget ran out\n"
        "\n"
        "  render [--escape html|markdown|yaml|none] [--partials DIR]\n"
        "         TEMPLATE DATA.json\n"
        "                      render a Mustache template with JSON data to\n"
        "                      stdout (escaping: html by default); partial\n"
        "                      NAME is DIR/NAME.mustache; - is stdin\n"
        "\n"
        "  run [--date YYYY-MM-DD] [--dry-run] [--force]\n"
        "                      fetch, rank, write, verify, render and\n"
        "                      publish the day's post into --out\n"
        "                      (atomically, under a lock); prints its path;\n"
        "                      --dry-run writes nothing; --force rewrites an\n"
        "                      unchanged post\n"
        "  verify [--date YYYY-MM-DD] [--format table|json]\n"
        "                      how the panel checked the day's texts against\n"
        "                      their sources: votes, problems, rewritten or\n"
        "                      replaced (cached votes cost nothing; it\n"
        "                      publishes nothing)\n"
        "  preview [--date YYYY-MM-DD] [--html]\n"
        "                      the day's post from the store, on stdout;\n"
        "                      publishes nothing; --html: a standalone page\n"
        "\n"
        "Global options (before or after the command):\n"
        "  -c FILE        configuration (else $AIDIGEST_CONFIG, else\n"
        "                 ~/.config/aidigest/aidigest.conf, else defaults)\n"
        "  --feeds FILE   sources (else [digest] feeds, else ./feeds.txt)\n"
        "  --db FILE      state database (else [digest] db, else\n"
        "                 ~/.local/share/aidigest/aidigest.db)\n"
        "  --out DIR      blog folder to publish into (else [digest] out,\n"
        "                 else the current folder)\n"
        "  -q, -v         fewer or more messages\n"
        "  --help         this text\n"
        "  --version      the version\n"
        "\n"
        "Exit status: 0 all well, 1 error, 2 done but some inputs failed,\n"
        "64 usage error.\n";

static void msg(const char *context, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void msg(const char *context, const char *fmt, ...)
{
	va_list ap;

	fputs("aidigest: ", stderr);
	if (context)
		fprintf(stderr, "%s: ", context);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int usage_error(const char *fmt, ...)
        __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("aidigest: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\ntry 'aidigest --help'\n", stderr);
	return EXIT_USAGE;
}

/* --format's value: NULL (the first choice) or one of the choices
 * (a NULL-ended list of two); the index, or -1 after a usage error. */
static const char *const text_json[] = {"text", "json", NULL};
static const char *const tsv_json[] = {"tsv", "json", NULL};
static const char *const table_json[] = {"table", "json", NULL};

static int format_choice(const char *cmd, const char *given,
                         const char *const *choices)
{
	int i;

	if (!given)
		return 0;
	for (i = 0; choices[i]; i++)
		if (strcmp(given, choices[i]) == 0)
			return i;
	usage_error("%s: --format is %s or %s, not '%s'", cmd, choices[0],
	            choices[1], given);
	return -1;
}

static int parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	if (*end == 'k' || *end == 'K')
		v <<= 10, end++;
	else if (*end == 'M')
		v <<= 20, end++;
	if (*end || v == 0 || v > SIZE_MAX / 2)
		return -1;
	*out = (size_t)v;
	return 0;
}

/* A global option at argv[*i]: 1 if it was one (consumed), 0 if not, or
 * EXIT_USAGE negated when its argument is missing. */
static int take_global(int argc, char **argv, int *i)
{
	static const struct {
		const char *name;
		const char **slot;
	} with_arg[] = {
	        {"-c", &g.config},     {"--config", &g.config},
	        {"--feeds", &g.feeds}, {"--db", &g.db},
	        {"--out", &g.out},
	};
	const char *a = argv[*i];
	size_t k, n;

	if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
		g.verbosity = -1;
		return 1;
	}
	if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
		g.verbosity++;
		return 1;
	}
	for (k = 0; k < sizeof with_arg / sizeof *with_arg; k++) {
		n = strlen(with_arg[k].name);
		if (strncmp(a, with_arg[k].name, n) != 0)
			continue;
		if (a[n] == '=' && a[1] == '-') {
			*with_arg[k].slot = a + n + 1;
			return 1;
		}
		if (a[n] != '\0')
			continue;
		if (*i + 1 >= argc)
			return -EXIT_USAGE;
		*with_arg[k].slot = argv[++*i];
		return 1;
	}
	return 0;
}

/* The value of option `name` at argv[*i], as "--name VALUE" or
 * "--name=VALUE"; NULL when argv[*i] is another option. Sets *missing when
 * the value is absent. */
static const char *opt_value(int argc, char **argv, int *i, const char *name,
                             bool *missing)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) != 0)
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

/* The bytes of a file, or of standard input for "-", at most max of them:
 * a regular file is mapped, anything else read. */
struct input {
	const char *data;
	size_t len;
	void *map;
	struct buf buf;
};

static void input_free(struct input *in)
{
	if (in->map)
		munmap(in->map, in->len);
	buf_free(&in->buf);
	memset(in, 0, sizeof *in);
}

static int input_read(struct input *in, const char *path, size_t max,
                      struct buf *err)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY);
	struct stat st;
	char *dst;
	ssize_t got;
	int ret = ERR_OK;

	memset(in, 0, sizeof *in);
	buf_init(&in->buf, max + 1);
	if (fd < 0) {
		buf_printf(err, "%s", strerror(errno));
		return ERR_IO;
	}
	if (fstat(fd, &st) != 0) {
		buf_printf(err, "%s", strerror(errno));
		ret = ERR_IO;
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		buf_puts(err, "is a directory");
		ret = ERR_IO;
		goto out;
	}
	if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max) {
		buf_printf(err,
		           "%lld bytes, over the cap of %zu bytes "
		           "(--max-bytes)",
		           (long long)st.st_size, max);
		ret = ERR_LIMIT;
		goto out;
	}
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		in->map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
		               fd, 0);
		if (in->map != MAP_FAILED) {
			in->data = in->map;
			in->len = (size_t)st.st_size;
			goto out;
		}
		in->map = NULL;
	}
	for (;;) {
		dst = buf_reserve(&in->buf, 65536);
		if (!dst)
			dst = buf_reserve(&in->buf, in->buf.max - in->buf.len);
		if (!dst || in->buf.len > max) {
			buf_printf(err,
			           "over the cap of %zu bytes (--max-bytes)",
			           max);
			ret = ERR_LIMIT;
			goto out;
		}
		got = read(fd, dst, in->buf.cap - in->buf.len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			buf_printf(err, "%s", strerror(errno));
			ret = ERR_IO;
			goto out;
		}
		if (got == 0)
			break;
		buf_commit(&in->buf, (size_t)got);
	}
	in->data = buf_cstr(&in->buf);
	in->len = in->buf.len;
out:
	if (fd != STDIN_FILENO)
		close(fd);
	return ret;
}

static int print_entry_tsv(void *ctx, const struct feed *feed,
                           const struct feed_entry *entry)
{
	(void)ctx;
	return feed_print_tsv(stdout, feed, entry) != ERR_OK;
}

static void print_notes(const char *file, const struct feed *feed)
{
	const char *p = buf_cstr(&feed->notes), *nl;

	if (g.verbosity < 0)
		return;
	while ((nl = strchr(p, '\n')) != NULL) {
		fprintf(stderr, "aidigest: %s: %.*s\n", file, (int)(nl - p), p);
		p = nl + 1;
	}
}

static int parse_one(const struct parse_args *pa, const char *file)
{
	struct buf err = BUF_INIT(4096);
	struct input in;
	struct feed_options opt;
	struct feed *feed = NULL;
	const char *content_type = NULL;
	size_t i;
	int rc;

	memset(&opt, 0, sizeof opt);
	for (i = 0; i < pa->nheaders; i++) {
		const char *h = pa->headers[i];

		if (strncasecmp(h, "content-type:", 13) == 0) {
			content_type = h + 13;
			while (*content_type == ' ' || *content_type == '\t')
				content_type++;
		}
	}
	opt.url = pa->url;
	opt.content_type = content_type;
	opt.tz_offset_sec = pa->tz_offset_sec;
	opt.max_bytes = pa->max_bytes;
	opt.max_entries = pa->max_entries;
	if (!pa->fields) {
		opt.on_entry = print_entry_tsv;
		opt.summary_text_only = true;
	}

	rc = input_read(&in, file, pa->max_bytes, &err);
	if (rc == ERR_OK)
		rc = feed_parse(in.data ? in.data : "", in.len, &opt, &feed,
		                &err);
	if (rc != ERR_OK) {
		msg("parse", "%s: %s", file, buf_cstr(&err));
	} else {
		if (pa->fields)
			feed_print_fields(stdout, feed);
		print_notes(file, feed);
	}
	feed_free(feed);
	input_free(&in);
	buf_free(&err);
	return rc;
}

static int cmd_parse(int argc, char **argv)
{
	struct parse_args pa;
	const char *v;
	bool missing = false;
	int i, failed = 0;
	size_t k;
	int64_t t;

	memset(&pa, 0, sizeof pa);
	pa.max_bytes = FEED_DEFAULT_MAX_BYTES;
	pa.max_entries = FEED_DEFAULT_MAX_ENTRIES;
	pa.files = xcalloc((size_t)argc, sizeof *pa.files);
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		int gl = take_global(argc, argv, &i);

		if (gl < 0) {
			free(pa.files);
			return usage_error("option '%s' needs a value", a);
		}
		if (gl > 0)
			continue;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage_text, stdout);
			free(pa.files);
			return EXIT_OK;
		}
		if (strcmp(a, "--fields") == 0) {
			pa.fields = true;
		} else if ((v = opt_value(argc, argv, &i, "--date",
		                          &missing))) {
			pa.date = v;
		} else if ((v = opt_value(argc, argv, &i, "--url", &missing))) {
			pa.url = v;
		} else if ((v = opt_value(argc, argv, &i, "--header",
		                          &missing))) {
			if (pa.nheaders == MAX_HEADERS || !strchr(v, ':')) {
				free(pa.files);
				return usage_error(
				        "--header wants 'Name: value' "
				        "(at most 32): '%s'",
				        v);
			}
			pa.headers[pa.nheaders++] = v;
		} else if ((v = opt_value(argc, argv, &i, "--tz", &missing))) {
			if (date_parse_offset(v, &pa.tz_offset_sec) != 0) {
				free(pa.files);
				return usage_error(
				        "--tz wants an offset such as "
				        "+09:00, not '%s'",
				        v);
			}
		} else if ((v = opt_value(argc, argv, &i, "--max-bytes",
		                          &missing))) {
			if (parse_size(v, &pa.max_bytes) != 0) {
				free(pa.files);
				return usage_error(
				        "--max-bytes wants a positive "
				        "size, not '%s'",
				        v);
			}
		} else if ((v = opt_value(argc, argv, &i, "--max-entries",
		                          &missing))) {
			if (parse_size(v, &pa.max_entries) != 0) {
				free(pa.files);
				return usage_error(
				        "--max-entries wants a positive "
				        "number, not '%s'",
				        v);
			}
		} else if (missing) {
			free(pa.files);
			return usage_error("option '%s' needs a value", a);
		} else if (a[0] == '-' && a[1] != '\0') {
			free(pa.files);
			return usage_error("parse: unknown option '%s'", a);
		} else {
			pa.files[pa.nfiles++] = a;
		}
	}

	if (pa.date) {
		char utc[TIME_UTC_LEN];

		free(pa.files);
		if (pa.nfiles)
			return usage_error("parse --date takes no FILE");
		if (date_parse(pa.date, pa.tz_offset_sec, &t) != 0) {
			msg("parse", "not a date: '%s'", pa.date);
			return EXIT_ERROR;
		}
		time_format_utc(t, utc);
		puts(utc);
		return fflush(stdout) == 0 ? EXIT_OK : EXIT_ERROR;
	}
	if (pa.nfiles == 0) {
		free(pa.files);
		return usage_error("parse needs a FILE (or --date STRING)");
	}
	if (pa.fields && pa.nfiles > 1) {
		free(pa.files);
		return usage_error("parse --fields takes one FILE");
	}
	for (k = 0; k < pa.nfiles; k++)
		if (parse_one(&pa, pa.files[k]) != ERR_OK)
			failed++;
	free(pa.files);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		msg("parse", "cannot write the output: %s", strerror(errno));
		return EXIT_ERROR;
	}
	if (failed == 0)
		return EXIT_OK;
	return (size_t)failed == pa.nfiles ? EXIT_ERROR : EXIT_DEGRADED;
}

/* What the commands that use the configuration, the feeds file and the
 * state database share. */
struct context {
	struct config config;
	struct source_list sources;
	struct store *store;
	char *feeds_path;
	char *db_path;
};

static void context_free(struct context *cx)
{
	sources_free(&cx->sources);
	store_close(cx->store);
	config_free(&cx->config);
	free(cx->feeds_path);
	free(cx->db_path);
	memset(cx, 0, sizeof *cx);
}

static void print_lines(const char *context, const char *text)
{
	const char *nl;

	while (*text && (nl = strchr(text, '\n')) != NULL) {
		msg(context, "%.*s", (int)(nl - text), text);
		text = nl + 1;
	}
	if (*text)
		msg(context, "%s", text);
}

enum { NEED_FEEDS = 1, NEED_STORE = 2 };

/* Load what a command needs; prints why and returns EXIT_ERROR when it
 * cannot. */
static int context_open(struct context *cx, const char *command, int need)
{
	struct buf err = BUF_INIT(0), warn = BUF_INIT(0);
	int ret = EXIT_OK, bad;

	memset(cx, 0, sizeof *cx);
	if (config_load(g.config, &cx->config, &err, &warn) != 0) {
		print_lines(command, buf_cstr(&err));
		ret = EXIT_ERROR;
		goto out;
	}
	if (g.verbosity >= 0)
		print_lines(command, buf_cstr(&warn));
	if (need & NEED_FEEDS) {
		cx->feeds_path = config_expand_path(
		        g.feeds ? g.feeds
		                : cx->config.feeds ? cx->config.feeds : "feeds.txt");
		buf_reset(&err);
		bad = sources_load(cx->feeds_path, &cx->sources, &err);
		if (bad < 0) {
			print_lines(command, buf_cstr(&err));
			ret = EXIT_ERROR;
			goto out;
		}
		/* bad lines and skipped lines are reported; the rest load */
		if (g.verbosity >= 0 || bad > 0)
			print_lines(command, buf_cstr(&err));
	}
	if (need & NEED_STORE) {
		cx->db_path = g.db ? config_expand_path(g.db)
		              : cx->config.db ? xstrdup(cx->config.db)
		                              : config_default_db();
		if (!cx->db_path) {
			msg(command, "no state database: give --db FILE");
			ret = EXIT_ERROR;
			goto out;
		}
		buf_reset(&err);
		if (store_open(cx->db_path, &cx->store, &err) != 0) {
			msg(command, "%s: %s", cx->db_path, buf_cstr(&err));
			ret = EXIT_ERROR;
		}
	}
out:
	buf_free(&err);
	buf_free(&warn);
	if (ret != EXIT_OK)
		context_free(cx);
	return ret;
}

/* Options of a command that takes only globals, --help and the ones in
 * `names` (each with a value, stored in values[]). Positional arguments
 * go to pos (at most maxpos). */
static int take_options(int argc, char **argv, const char *const *names,
                        const char **values, const char **pos, int maxpos,
                        int *npos, const char *command)
{
	bool missing = false;
	const char *v = NULL;
	int i, k;

	*npos = 0;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		int gl = take_global(argc, argv, &i);

		if (gl < 0)
			return usage_error("option '%s' needs a value", a);
		if (gl > 0)
			continue;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage_text, stdout);
			return -1;
		}
		for (k = 0; names && names[k]; k++)
			if ((v = opt_value(argc, argv, &i, names[k], &missing)))
				break;
		if (names && names[k]) {
			values[k] = v;
			continue;
		}
		if (missing)
			return usage_error("option '%s' needs a value", a);
		if (a[0] == '-' && a[1] != '\0')
			return usage_error("%s: unknown option '%s'", command, a);
		if (*npos == maxpos)
			return usage_error("%s: unexpected argument '%s'", command,
			                   a);
		pos[(*npos)++] = a;
	}
	return 0;
}

static int64_t now_utc(void)
{
	return (int64_t)time(NULL);
}

/* The fetch settings from the configuration. */
static void fetch_settings_init(struct fetch_settings *fs,
                                const struct context *cx)
{
	memset(fs, 0, sizeof *fs);
	fs->sources = &cx->sources;
	fs->now = now_utc();
	fs->tz_offset_sec = cx->config.tz_offset_sec;
	fs->stale_days = cx->config.stale_days;
	fs->http.max_transfers = cx->config.transfers;
	fs->http.max_per_host = cx->config.per_host;
	fs->http.connect_timeout = cx->config.connect_timeout;
	fs->http.timeout = cx->config.timeout;
	fs->http.deadline = cx->config.deadline;
	fs->http.max_bytes = cx->config.max_bytes;
	fs->http.max_retries = cx->config.retries ? cx->config.retries : -1;
	fs->http.user_agent = cx->config.user_agent;
	fs->http.allow_file = true;
	fs->progress = g.verbosity >= 0 && isatty(STDERR_FILENO);
}

/* The fetch report as JSON, for scripts. */
static void fetch_report_json(const struct fetch_report *rep)
{
	json_t *root = json_object(), *arr = json_array();
	size_t i;

	json_object_set_new(root, "sources", json_integer((json_int_t)rep->sources));
	json_object_set_new(root, "ok", json_integer((json_int_t)rep->ok));
	json_object_set_new(root, "not_modified",
	                    json_integer((json_int_t)rep->not_modified));
	json_object_set_new(root, "failed", json_integer((json_int_t)rep->failed));
	json_object_set_new(root, "skipped", json_integer((json_int_t)rep->skipped));
	json_object_set_new(root, "items", json_integer(rep->items));
	json_object_set_new(root, "new_items", json_integer(rep->new_items));
	json_object_set_new(root, "bytes", json_integer((json_int_t)rep->bytes));
	json_object_set_new(root, "seconds", json_real(rep->seconds));
	for (i = 0; i < rep->sources; i++) {
		const struct fetch_source_report *p = &rep->per[i];
		json_t *o = json_object();

		json_object_set_new(o, "name", json_string(p->name));
		json_object_set_new(o, "ok", json_boolean(p->ok));
		json_object_set_new(o, "skipped", json_boolean(p->skipped));
		json_object_set_new(o, "not_modified", json_boolean(p->not_modified));
		json_object_set_new(o, "status", json_integer(p->status));
		json_object_set_new(o, "items", json_integer(p->items));
		json_object_set_new(o, "new_items", json_integer(p->new_items));
		json_object_set_new(o, "bytes", json_integer((json_int_t)p->bytes));
		json_object_set_new(o, "reason",
		                    p->ok ? json_null() : json_string(p->reason));
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "per_source", arr);
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(root);
}

/* Each failed or skipped source with its reason, then the summary. */
static void print_fetch_report(const char *command,
                               const struct fetch_report *rep)
{
	size_t i;

	for (i = 0; i < rep->sources; i++) {
		const struct fetch_source_report *p = &rep->per[i];

		if (!p->ok && !p->skipped)
			msg(command, "%s: %s", p->name, p->reason);
		else if (p->skipped && g.verbosity >= 0)
			msg(command, "%s: %s", p->name, p->reason);
		else if (g.verbosity > 0)
			msg(command, "%s: %s%ld items, %ld new", p->name,
			    p->not_modified ? "not modified, " : "", p->items,
			    p->new_items);
	}
	msg(command,
	    "%zu sources: %zu ok (%zu not modified), %zu failed, %zu "
	    "skipped; %ld items, %ld new; %.1f MB in %.1f s",
	    rep->sources, rep->ok, rep->not_modified, rep->failed,
	    rep->skipped, rep->items, rep->new_items, rep->bytes / 1e6,
	    rep->seconds);
}

static int cmd_fetch(int argc, char **argv)
{
	static const char *const names[] = {"--format", NULL};
	const char *values[1] = {NULL};
	struct context cx;
	struct fetch_settings fs;
	struct fetch_report rep;
	struct buf err = BUF_INIT(4096);
	const char *pos[1];
	int npos, rc, ret;

	rc = take_options(argc, argv, names, values, pos, 0, &npos, "fetch");
	if (rc != 0)
		return rc < 0 ? EXIT_OK : rc;
	if (format_choice("fetch", values[0], text_json) < 0)
		return EXIT_USAGE;
	ret = context_open(&cx, "fetch", NEED_FEEDS | NEED_STORE);
	if (ret != EXIT_OK)
		return ret;
	if (http_global_init() != 0) {
		msg("fetch", "cannot start libcurl");
		context_free(&cx);
		return EXIT_ERROR;
	}
	fetch_settings_init(&fs, &cx);
	if (fetch_run(cx.store, &fs, &rep, &err) != 0) {
		msg("fetch", "%s", buf_cstr(&err));
		ret = EXIT_ERROR;
	}
	print_fetch_report("fetch", &rep);
	if (values[0] && strcmp(values[0], "json") == 0)
		fetch_report_json(&rep);
	if (fflush(stdout) != 0 || ferror(stdout))
		ret = EXIT_ERROR;
	if (ret == EXIT_OK && rep.failed)
		ret = EXIT_DEGRADED;
	fetch_report_free(&rep);
	http_global_cleanup();
	context_free(&cx);
	buf_free(&err);
	return ret;
}

/* [from, to) of the day "YYYY-MM-DD" in the zone offset. */
static int day_window(const char *date, int offset, int64_t *from,
                      int64_t *to)
{
	struct civil_time c;
	char *end;

	memset(&c, 0, sizeof c);
	if (strlen(date) != 10 || date[4] != '-' || date[7] != '-')
		return -1;
	c.year = (int)strtol(date, &end, 10);
	if (end != date + 4)
		return -1;
	c.month = (int)strtol(date + 5, &end, 10);
	if (end != date + 7)
		return -1;
	c.day = (int)strtol(date + 8, &end, 10);
	if (end != date + 10 || c.year < 1970 || c.month < 1 || c.month > 12 ||
	    c.day < 1 || c.day > time_days_in_month(c.year, c.month))
		return -1;
	*from = time_from_civil(&c) - offset;
	*to = *from + 86400;
	return 0;
}

static void today(int offset, char out[11])
{
	char utc[TIME_UTC_LEN];

	time_format_utc(now_utc() + offset, utc);
	memcpy(out, utc, 10);
	out[10] = '\0';
}

/* The day a command works on: --date (given) or today in the digest's
 * zone, and its window. 0, or EXIT_USAGE after saying why. */
static int command_day(const struct context *cx, const char *cmd,
                       const char *given, char date[11], int64_t *from,
                       int64_t *to)
{
	if (given)
		snprintf(date, 11, "%s", given);
	else
		today(cx->config.tz_offset_sec, date);
	if ((given && strlen(given) != 10) ||
	    day_window(date, cx->config.tz_offset_sec, from, to) != 0)
		return usage_error("%s: --date wants YYYY-MM-DD, not '%s'", cmd,
		                   given ? given : date);
	return 0;
}

static void put_tsv_field(const char *s)
{
	feed_tsv_escape(stdout, s ? s : "");
}

static json_t *json_str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static void json_set_count(json_t *o, const char *key, long long v)
{
	if (v >= 0)
		json_object_set_new(o, key, json_integer(v));
}

static json_t *item_json(const struct store_item_row *it)
{
	char utc[TIME_UTC_LEN];
	json_t *o = json_object();

	time_format_utc(it->time, utc);
	json_object_set_new(o, "source", json_string(it->feed_name));
	json_object_set_new(o, "kind", json_str_or_null(it->kind));
	json_object_set_new(o, "title", json_str_or_null(it->title));
	json_object_set_new(o, "url", json_str_or_null(it->url));
	json_object_set_new(o, "canonical_url", json_str_or_null(it->canonical_url));
	json_object_set_new(o, "time", json_string(utc));
	json_object_set_new(o, "author", json_str_or_null(it->author));
	json_object_set_new(o, "summary", json_str_or_null(it->summary));
	json_set_count(o, "likes", it->likes);
	json_set_count(o, "reposts", it->reposts);
	json_set_count(o, "points", it->points);
	json_set_count(o, "stars", it->stars);
	json_set_count(o, "comments", it->comments);
	return o;
}

static int cmd_items(int argc, char **argv)
{
	static const char *const names[] = {"--date", "--format", NULL};
	const char *values[2] = {NULL, NULL}, *pos[1];
	struct context cx;
	struct store_story *stories = NULL;
	size_t nstories = 0, i, j;
	char date[11], utc[TIME_UTC_LEN], tz[16];
	int64_t from, to;
	int npos, rc, ret;
	bool json;

	rc = take_options(argc, argv, names, values, pos, 0, &npos, "items");
	if (rc != 0)
		return rc < 0 ? EXIT_OK : rc;
	if ((rc = format_choice("items", values[1], tsv_json)) < 0)
		return EXIT_USAGE;
	json = rc == 1;
	ret = context_open(&cx, "items", NEED_STORE);
	if (ret != EXIT_OK)
		return ret;
	if ((rc = command_day(&cx, "items", values[0], date, &from, &to)) != 0) {
		context_free(&cx);
		return rc;
	}
	/* stories are built at fetch time for the last days; a day asked
	 * for later (or earlier) is built now */
	if (stories_rebuild(cx.store, from, to) != 0 ||
	    store_stories_window(cx.store, from, to, &stories, &nstories) != 0) {
		msg("items", "%s", store_error(cx.store));
		context_free(&cx);
		return EXIT_ERROR;
	}
	snprintf(tz, sizeof tz, "%c%02d:%02d",
	         cx.config.tz_offset_sec < 0 ? '-' : '+',
	         abs(cx.config.tz_offset_sec) / 3600,
	         abs(cx.config.tz_offset_sec) / 60 % 60);
	if (json) {
		json_t *root = json_object(), *arr = json_array();

		json_object_set_new(root, "date", json_string(date));
		json_object_set_new(root, "timezone", json_string(tz));
		for (i = 0; i < nstories; i++) {
			json_t *so = json_object(), *items = json_array();

			time_format_utc(stories[i].time, utc);
			json_object_set_new(so, "id", json_integer(stories[i].id));
			json_object_set_new(so, "title",
			                    json_str_or_null(stories[i].title));
			json_object_set_new(so, "url",
			                    json_str_or_null(stories[i].canonical_url));
			json_object_set_new(so, "time", json_string(utc));
			json_object_set_new(so, "corroboration",
			                    json_integer(stories[i].corroboration));
			for (j = 0; j < stories[i].nitems; j++)
				json_array_append_new(items,
				                      item_json(&stories[i].items[j]));
			json_object_set_new(so, "items", items);
			json_array_append_new(arr, so);
		}
		json_object_set_new(root, "stories", arr);
		json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(root);
	} else {
		for (i = 0; i < nstories; i++)
			for (j = 0; j < stories[i].nitems; j++) {
				const struct store_item_row *it = &stories[i].items[j];

				time_format_utc(it->time, utc);
				printf("%lld\t%d\t%s\t", (long long)stories[i].id,
				       stories[i].corroboration, utc);
				put_tsv_field(it->feed_name);
				fputc('\t', stdout);
				put_tsv_field(it->title);
				fputc('\t', stdout);
				put_tsv_field(it->url);
				fputc('\n', stdout);
			}
	}
	store_stories_free(stories, nstories);
	context_free(&cx);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		msg("items", "cannot write the output: %s", strerror(errno));
		return EXIT_ERROR;
	}
	return EXIT_OK;
}

/* A source's health now: what the last fetch said, and stale when it
 * answers but nothing new came for stale_days. */
static const char *feed_health_now(const struct store_feed *f, int stale_days,
                                   int64_t now)
{
	int64_t last_new = f->last_new_item ? f->last_new_item : f->last_success;

	if (!f->last_attempt)
		return "never fetched";
	if (f->last_error)
		return f->health ? f->health : "failing";
	if (last_new && now - last_new > (int64_t)stale_days * 86400)
		return "stale";
	return f->health ? f->health : "ok";
}

static int cmd_feeds_check(struct context *cx, bool json)
{
	struct store_feed f;
	char when[TIME_UTC_LEN];
	int64_t now = now_utc();
	json_t *arr = json ? json_array() : NULL;
	size_t i;
	int unhealthy = 0;

	if (!json)
		printf("%-24s %-20s %6s %6s %5s  %-13s %s\n", "SOURCE",
		       "LAST SUCCESS", "STATUS", "ITEMS", "FAILS", "HEALTH",
		       "REASON");
	for (i = 0; i < cx->sources.n; i++) {
		const char *name = cx->sources.v[i].name, *health;
		int found = store_feed_get(cx->store, name, &f);

		if (found != 0)
			memset(&f, 0, sizeof f);
		health = feed_health_now(&f, cx->config.stale_days, now);
		unhealthy += strcmp(health, "ok") != 0;
		if (f.last_success)
			time_format_utc(f.last_success, when);
		else
			snprintf(when, sizeof when, "never");
		if (json) {
			json_t *o = json_object();

			json_object_set_new(o, "source", json_string(name));
			json_object_set_new(o, "last_success",
			                    f.last_success ? json_string(when)
			                                   : json_null());
			json_object_set_new(o, "status", json_integer(f.last_status));
			json_object_set_new(o, "items", json_integer(f.last_items));
			json_object_set_new(o, "items_total",
			                    json_integer(f.items_total));
			json_object_set_new(o, "consecutive_failures",
			                    json_integer(f.consecutive_failures));
			json_object_set_new(o, "health", json_string(health));
			json_object_set_new(o, "reason", json_str_or_null(f.last_error));
			json_array_append_new(arr, o);
		} else {
			printf("%-24s %-20s %6ld %6ld %5d  %-13s %s\n", name, when,
			       f.last_status, f.last_items, f.consecutive_failures,
			       health, f.last_error ? f.last_error : "");
		}
		store_feed_clear(&f);
	}
	if (json) {
		json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(arr);
	}
	return unhealthy ? EXIT_DEGRADED : EXIT_OK;
}

static int cmd_feeds(int argc, char **argv)
{
	static const char *const names[] = {"--format", NULL};
	const char *values[1] = {NULL}, *pos[2];
	struct context cx;
	struct input in;
	struct buf err = BUF_INIT(4096);
	int npos, rc, ret;

	rc = take_options(argc, argv, names, values, pos, 2, &npos, "feeds");
	if (rc != 0)
		return rc < 0 ? EXIT_OK : rc;
	if (npos == 0)
		return usage_error("feeds: check, import FILE.opml or export");
	if (strcmp(pos[0], "import") == 0) {
		if (npos != 2)
			return usage_error("feeds import takes one FILE.opml");
		if (input_read(&in, pos[1], (size_t)16 << 20, &err) != ERR_OK) {
			msg("feeds", "%s: %s", pos[1], buf_cstr(&err));
			ret = EXIT_ERROR;
		} else if (sources_import_opml(in.data ? in.data : "", in.len,
		                               stdout, &err) != 0) {
			print_lines("feeds", buf_cstr(&err));
			ret = EXIT_ERROR;
		} else {
			/* outlines it skipped, and why */
			if (g.verbosity >= 0)
				print_lines("feeds", buf_cstr(&err));
			ret = fflush(stdout) == 0 ? EXIT_OK : EXIT_ERROR;
		}
		input_free(&in);
		buf_free(&err);
		return ret;
	}
	buf_free(&err);
	if (npos != 1 || (strcmp(pos[0], "check") != 0 &&
	                  strcmp(pos[0], "export") != 0))
		return usage_error("feeds: check, import FILE.opml or export, "
		                   "not '%s'",
		                   pos[0]);
	if (format_choice("feeds check", values[0], table_json) < 0)
		return EXIT_USAGE;
	ret = context_open(&cx, "feeds",
	                   strcmp(pos[0], "check") == 0 ? NEED_FEEDS | NEED_STORE
	                                                : NEED_FEEDS);
	if (ret != EXIT_OK)
		return ret;
	if (strcmp(pos[0], "check") == 0)
		ret = cmd_feeds_check(&cx, values[0] &&
		                                   strcmp(values[0], "json") == 0);
	else
		ret = sources_export_opml(&cx.sources, stdout) == 0 ? EXIT_OK
		                                                    : EXIT_ERROR;
	context_free(&cx);
	if (fflush(stdout) != 0 || ferror(stdout))
		return EXIT_ERROR;
	return ret;
}

/* The panel's view of the stories of a window; strings point into
 * stories[], which must outlive it. */
struct rank_input {
	struct panel_story *ps;
	char **hashes;
	const char ***links;
	size_t n;
};

static void rank_input_free(struct rank_input *ri)
{
	size_t i;

	for (i = 0; i < ri->n; i++) {
		free(ri->hashes[i]);
		free(ri->links[i]);
	}
	free(ri->ps);
	free(ri->hashes);
	free(ri->links);
	memset(ri, 0, sizeof *ri);
}

static long long max_count(long long a, long long b)
{
	return a > b ? a : b;
}

static void rank_input_build(struct rank_input *ri, struct store_story *st,
                             size_t n)
{
	size_t i, k;

	ri->n = n;
	ri->ps = xcalloc(n ? n : 1, sizeof *ri->ps);
	ri->hashes = xcalloc(n ? n : 1, sizeof *ri->hashes);
	ri->links = xcalloc(n ? n : 1, sizeof *ri->links);
	for (i = 0; i < n; i++) {
		struct panel_story *p = &ri->ps[i];
		struct heuristic_story *h = &p->h;

		ri->hashes[i] = store_story_hash(&st[i]);
		ri->links[i] = xcalloc(st[i].nitems + 1, sizeof **ri->links);
		p->id = st[i].id;
		p->title = st[i].title;
		p->hash = ri->hashes[i];
		p->links = ri->links[i];
		h->title = st[i].title;
		h->time = st[i].time;
		h->corroboration = st[i].corroboration;
		h->best_weight = 0;
		h->likes = h->reposts = h->points = h->stars = h->comments = -1;
		for (k = 0; k < st[i].nitems; k++) {
			const struct store_item_row *it = &st[i].items[k];

			ri->links[i][k] = it->url;
			if (k == 0) {
				p->source = it->feed_name;
				p->text = it->summary;
				h->text = it->summary;
				h->kinds = it->kind;
			}
			if (it->weight > h->best_weight)
				h->best_weight = it->weight;
			h->likes = max_count(h->likes, it->likes);
			h->reposts = max_count(h->reposts, it->reposts);
			h->points = max_count(h->points, it->points);
			h->stars = max_count(h->stars, it->stars);
			h->comments = max_count(h->comments, it->comments);
		}
		if (h->best_weight <= 0)
			h->best_weight = 1.0;
	}
}

static json_t *rank_judges_json(const struct panel_config *pc,
                                const struct panel_result *res)
{
	json_t *arr = json_array();
	size_t j;

	for (j = 0; j < res->nreports; j++) {
		const struct panel_judge_report *r = &res->judges[j];
		json_t *o = json_object();
		const struct panel_judge *cj = j < pc->njudges ? &pc->judges[j] : NULL;

		json_object_set_new(o, "name", json_string(r->name));
		json_object_set_new(
		        o, "provider",
		        json_string(!cj ? "heuristic"
		                    : cj->type == PANEL_JUDGE_HEURISTIC ? "heuristic"
		                    : cj->llm.ep.provider == LLM_ANTHROPIC ? "anthropic"
		                                                     : "openai"));
		json_object_set_new(o, "model",
		                    json_string(cj && cj->llm.ep.model ? cj->llm.ep.model : r->name));
		json_object_set_new(o, "weight", json_real(cj ? cj->weight : 1.0));
		json_object_set_new(o, "status",
		                    json_string(r->failed ? "failed" : "ok"));
		json_object_set_new(o, "reason",
		                    r->failed ? json_string(r->reason) : json_null());
		json_object_set_new(o, "requests", json_integer(r->use.requests));
		json_object_set_new(o, "cached", json_integer(r->use.cached));
		json_object_set_new(o, "tokens_in", json_integer(r->use.tokens_in));
		json_object_set_new(o, "tokens_out", json_integer(r->use.tokens_out));
		json_object_set_new(o, "usd", json_real(r->use.usd));
		json_object_set_new(o, "tau",
		                    isnan(r->tau) ? json_null() : json_real(r->tau));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *rank_cost_json(const struct panel_result *res)
{
	json_t *o = json_object();

	json_object_set_new(o, "usd", json_real(res->use.usd));
	json_object_set_new(o, "reference_usd", json_real(res->reference_usd));
	json_object_set_new(o, "requests", json_integer(res->use.requests));
	json_object_set_new(o, "tokens_in", json_integer(res->use.tokens_in));
	json_object_set_new(o, "tokens_out", json_integer(res->use.tokens_out));
	return o;
}

static void rank_print_json(const struct panel_config *pc,
                            const struct panel_result *res,
                            const struct rank_input *ri)
{
	json_t *root = json_object(), *stories = json_array(), *ag = json_object();
	size_t r, k, i;

	json_object_set_new(root, "judges", rank_judges_json(pc, res));
	json_object_set_new(ag, "kendall_w", isnan(res->kendall_w)
	                                             ? json_null()
	                                             : json_real(res->kendall_w));
	json_object_set_new(root, "agreement", ag);
	json_object_set_new(root, "cost", rank_cost_json(res));
	json_object_set_new(root, "degraded", json_boolean(res->degraded));
	if (res->note[0])
		json_object_set_new(root, "note", json_string(res->note));
	for (r = 0; r < res->norder; r++) {
		const struct panel_story *s = &ri->ps[res->order[r]];
		json_t *o = json_object(), *js = json_object(), *links = json_array();
		int c = res->category[res->order[r]];

		json_object_set_new(o, "rank", json_integer((json_int_t)r + 1));
		json_object_set_new(o, "id", json_integer(s->id));
		json_object_set_new(o, "title", json_string(s->title ? s->title : ""));
		json_object_set_new(o, "category",
		                    c >= 0 ? json_string(pc->categories[c].id)
		                           : json_null());
		json_object_set_new(o, "score", json_real(res->pooled[res->order[r]]));
		json_object_set_new(o, "selected",
		                    json_boolean(res->selected[res->order[r]]));
		for (k = 0; k < res->njudges; k++) {
			double v = res->scores[k * res->nstories + res->order[r]];

			json_object_set_new(js, res->pool_names[k],
			                    isnan(v) ? json_null() : json_real(v));
		}
		json_object_set_new(o, "judges", js);
		for (i = 0; s->links && s->links[i]; i++)
			json_array_append_new(links, json_string(s->links[i]));
		json_object_set_new(o, "links", links);
		json_array_append_new(stories, o);
	}
	json_object_set_new(root, "stories", stories);
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(root);
}

static void rank_print_table(const struct panel_config *pc,
                             const struct panel_result *res,
                             const struct rank_input *ri)
{
	size_t r, k, j;

	printf("%4s %7s %3s %-10s %-50s", "RANK", "SCORE", "SEL", "CATEGORY",
	       "TITLE");
	for (k = 0; k < res->njudges; k++)
		printf(" %8.8s", res->pool_names[k]);
	putchar('\n');
	for (r = 0; r < res->norder; r++) {
		size_t i = res->order[r];
		const char *title = ri->ps[i].title ? ri->ps[i].title : "";
		int c = res->category[i];

		printf("%4zu %7.3f %3s %-10.10s %-50.*s", r + 1, res->pooled[i],
		       res->selected[i] ? "*" : "", c >= 0 ? pc->categories[c].id : "-",
		       (int)utf8_prefix_bytes(title, 50), title);
		for (k = 0; k < res->njudges; k++) {
			double v = res->scores[k * res->nstories + i];

			if (isnan(v))
				printf(" %8s", "-");
			else
				printf(" %8.1f", v);
		}
		putchar('\n');
	}
	printf("judges:");
	for (j = 0; j < res->nreports; j++) {
		const struct panel_judge_report *p = &res->judges[j];

		if (p->failed)
			printf(" %s (failed: %s)", p->name, p->reason);
		else if (!isnan(p->tau))
			printf(" %s (tau %.2f)", p->name, p->tau);
	}
	printf("\nagreement: Kendall's W %.3f\n", res->kendall_w);
	printf("cost: $%.4f for %ld requests (%ld tokens in, %ld out); one "
	       "reference judge: $%.4f",
	       res->use.usd, res->use.requests, res->use.tokens_in, res->use.tokens_out,
	       res->reference_usd);
	if (res->use.usd > 0 && res->reference_usd > 0)
		printf(" (%.1fx the panel)", res->reference_usd / res->use.usd);
	putchar('\n');
	if (res->note[0])
		printf("note: %s\n", res->note);
}

static int rank_explain(const struct panel_result *res,
                        const struct rank_input *ri, const char *idstr)
{
	struct pool_input pin;
	double *z, *w;
	int64_t *ids;
	char *end;
	long long id = strtoll(idstr, &end, 10);
	size_t i, k, at = (size_t)-1;

	if (*end || end == idstr)
		return usage_error("rank: --explain wants a story id, not '%s'",
		                   idstr);
	for (i = 0; i < ri->n; i++)
		if (ri->ps[i].id == id)
			at = i;
	if (at == (size_t)-1 || isinf(res->pooled[at])) {
		msg("rank", "story %lld is not a candidate of this window", id);
		return EXIT_ERROR;
	}
	z = xcalloc(res->njudges * res->nstories + 1, sizeof *z);
	w = xcalloc(res->njudges + 1, sizeof *w);
	ids = xcalloc(res->nstories + 1, sizeof *ids);
	for (k = 0; k < res->njudges; k++)
		w[k] = 1.0;
	for (i = 0; i < res->nstories; i++)
		ids[i] = ri->ps[i].id;
	pin.njudges = res->njudges;
	pin.nstories = res->nstories;
	pin.scores = res->scores;
	pin.weights = w;
	pin.ids = ids;
	pool_zscores(&pin, z);
	printf("story %lld: %s\n", id, ri->ps[at].title ? ri->ps[at].title : "");
	for (k = 0; k < res->njudges; k++) {
		double v = res->scores[k * res->nstories + at];

		if (isnan(v))
			printf("  %-16s raw -     normalized -\n", res->pool_names[k]);
		else
			printf("  %-16s raw %4.1f  normalized %+.3f\n", res->pool_names[k],
			       v, z[k * res->nstories + at]);
	}
	printf("  pooled %.3f, %s\n", res->pooled[at],
	       res->selected[at] ? "selected" : "not selected");
	free(z);
	free(w);
	free(ids);
	return EXIT_OK;
}

static char *rank_details(const struct panel_config *pc,
                          const struct panel_result *res)
{
	json_t *o = json_object();
	char *s;

	json_object_set_new(o, "judges", rank_judges_json(pc, res));
	json_object_set_new(o, "pooling", json_string(pool_method_name(pc->pooling)));
	json_object_set_new(o, "prompt_version", json_string(pc->prompt_version));
	if (res->note[0])
		json_object_set_new(o, "note", json_string(res->note));
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

static int cmd_rank(int argc, char **argv)
{
	static const char *const names[] = {"--date", "--format", "--explain",
	                                    NULL};
	const char *values[3] = {NULL, NULL, NULL}, *pos[1];
	struct context cx;
	struct panel_config pc;
	struct panel_result res;
	struct engine_ledger ledger;
	struct engine_run lr;
	struct panel_options po;
	struct rank_input ri;
	struct store_story *stories = NULL;
	struct store_run run;
	struct buf err = BUF_INIT(4096), notes = BUF_INIT(4096);
	size_t nstories = 0;
	char date[11], *details;
	int64_t from, to, started = now_utc();
	int npos, rc, ret;
	bool json;

	rc = take_options(argc, argv, names, values, pos, 0, &npos, "rank");
	if (rc != 0)
		return rc < 0 ? EXIT_OK : rc;
	if ((rc = format_choice("rank", values[1], table_json)) < 0)
		return EXIT_USAGE;
	json = rc == 1;
	ret = context_open(&cx, "rank", NEED_STORE);
	if (ret != EXIT_OK)
		return ret;
	if (panel_config_load(&cx.config.ini, cx.config.path, &pc, &err,
	                      &notes) != 0) {
		print_lines("rank", buf_cstr(&err));
		panel_config_free(&pc);
		context_free(&cx);
		return EXIT_ERROR;
	}
	if (g.verbosity >= 0)
		print_lines("rank", buf_cstr(&notes));
	if ((rc = command_day(&cx, "rank", values[0], date, &from, &to)) != 0) {
		panel_config_free(&pc);
		context_free(&cx);
		return rc;
	}
	if (stories_rebuild(cx.store, from, to) != 0 ||
	    store_stories_window(cx.store, from, to, &stories, &nstories) != 0) {
		msg("rank", "%s", store_error(cx.store));
		panel_config_free(&pc);
		context_free(&cx);
		return EXIT_ERROR;
	}
	rank_input_build(&ri, stories, nstories);
	memset(&po, 0, sizeof po);
	po.window_end = to;
	po.progress = g.verbosity >= 0 && isatty(STDERR_FILENO);
	http_global_init();
	buf_reset(&err);
	engine_ledger_init(&ledger, pc.max_usd);
	lr.cache = cx.store;
	lr.ledger = &ledger;
	if (panel_rank(&lr, &pc, ri.ps, ri.n, &po, &res, &err) != 0) {
		msg("rank", "%s", buf_cstr(&err));
		ret = EXIT_ERROR;
	} else {
		if (values[2])
			ret = rank_explain(&res, &ri, values[2]);
		else if (json)
			rank_print_json(&pc, &res, &ri);
		else
			rank_print_table(&pc, &res, &ri);
		for (size_t j = 0; j < res.nreports; j++)
			if (res.judges[j].failed)
				msg("rank", "judge %s failed: %s", res.judges[j].name,
				    res.judges[j].reason);
		if (res.note[0])
			msg("rank", "%s", res.note);
		memset(&run, 0, sizeof run);
		details = rank_details(&pc, &res);
		run.command = "rank";
		run.date = date;
		run.started = started;
		run.finished = now_utc();
		run.usd = res.use.usd;
		run.reference_usd = res.reference_usd;
		run.requests = res.use.requests;
		run.tokens_in = res.use.tokens_in;
		run.tokens_out = res.use.tokens_out;
		run.kendall_w = res.kendall_w;
		run.status = res.degraded ? "degraded" : "ok";
		run.details = details;
		if (store_run_add(cx.store, &run, NULL) != 0)
			msg("rank", "cannot record the run: %s", store_error(cx.store));
		free(details);
		if (ret == EXIT_OK && res.degraded)
			ret = EXIT_DEGRADED;
	}
	http_global_cleanup();
	panel_result_free(&res);
	rank_input_free(&ri);
	store_stories_free(stories, nstories);
	panel_config_free(&pc);
	context_free(&cx);
	buf_free(&err);
	buf_free(&notes);
	if (fflush(stdout) != 0 || ferror(stdout))
		return EXIT_ERROR;
	return ret;
}

/* Templates, data and partials of `aidigest render`: at most this many
 * bytes each. */
#define RENDER_MAX_INPUT ((size_t)16 << 20)

/* A whole file (or stdin for "-") into out, within out's cap. Sets
 * *missing when the file does not exist. */
static int render_read(const char *path, struct buf *out, struct buf *err,
                       bool *missing)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char chunk[65536];
	size_t got;
	int ret = 0;

	if (!fp) {
		if (missing)
			*missing = errno == ENOENT;
		buf_printf(err, "%s", strerror(errno));
		return -1;
	}
	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (buf_append(out, chunk, got) != 0) {
			buf_printf(err, "over %zu bytes", out->max);
			ret = -1;
			break;
		}
	if (ret == 0 && ferror(fp)) {
		buf_printf(err, "%s", strerror(errno));
		ret = -1;
	}
	if (fp != stdin)
		fclose(fp);
	return ret;
}

/* Partials of `aidigest render`: NAME is DIR/NAME.mustache. A missing
 * one renders as nothing (as the spec says), with a notice; a name that
 * would leave DIR, or a file that cannot be read, fails the render. */
struct render_partials {
	const char *dir;
	bool failed;
	struct buf err;
};

static char *render_partial(void *ctx, const char *name)
{
	struct render_partials *rp = ctx;
	struct buf path = BUF_INIT(0), text = BUF_INIT(RENDER_MAX_INPUT);
	struct buf err = BUF_INIT(4096);
	bool missing = false;
	char *ret = NULL;

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
		if (g.verbosity >= 0)
			msg("render",
			    "partial '%s' rendered as nothing (no "
			    "--partials DIR)",
			    name);
		goto out;
	}
	buf_printf(&path, "%s/%s.mustache", rp->dir, name);
	if (render_read(buf_cstr(&path), &text, &err, &missing) != 0) {
		if (missing) {
			if (g.verbosity >= 0)
				msg("render",
				    "partial '%s' rendered as "
				    "nothing: no file %s",
				    name, buf_cstr(&path));
			goto out;
		}
		buf_printf(&rp->err, "%s: %s", buf_cstr(&path), buf_cstr(&err));
		rp->failed = true;
		goto out;
	}
	ret = buf_detach(&text);
out:
	buf_free(&path);
	buf_free(&text);
	buf_free(&err);
	return ret;
}

static int cmd_render(int argc, char **argv)
{
	static const char *const names[] = {"--escape", "--partials", NULL};
	static const struct {
		const char *name;
		mustache_escape_fn fn;
	} escapes[] = {
	        {"html", escape_html},
	        {"markdown", escape_markdown},
	        {"yaml", escape_yaml},
	        {"none", escape_none},
	};
	const char *values[2] = {NULL, NULL}, *pos[2];
	struct render_partials rp;
	struct mustache_options opt;
	struct buf tmpl = BUF_INIT(RENDER_MAX_INPUT);
	struct buf text = BUF_INIT(RENDER_MAX_INPUT);
	struct buf out = BUF_INIT(0), err = BUF_INIT(4096);
	json_t *data = NULL;
	json_error_t jerr;
	struct stat st;
	int npos, rc, ret = EXIT_ERROR;
	size_t k;

	rc = take_options(argc, argv, names, values, pos, 2, &npos, "render");
	if (rc != 0)
		return rc < 0 ? EXIT_OK : rc;
	if (npos != 2)
		return usage_error("render needs TEMPLATE and DATA.json");
	if (strcmp(pos[0], "-") == 0 && strcmp(pos[1], "-") == 0)
		return usage_error("render: TEMPLATE and DATA.json cannot both "
		                   "be stdin");
	memset(&opt, 0, sizeof opt);
	opt.escape = escape_html;
	for (k = 0; values[0] && k < sizeof escapes / sizeof *escapes; k++)
		if (strcmp(values[0], escapes[k].name) == 0)
			break;
	if (values[0] && k == sizeof escapes / sizeof *escapes)
		return usage_error(
		        "render: --escape is html, markdown, yaml or "
		        "none, not '%s'",
		        values[0]);
	if (values[0])
		opt.escape = escapes[k].fn;
	memset(&rp, 0, sizeof rp);
	rp.dir = values[1];
	buf_init(&rp.err, 4096);
	opt.partial = render_partial;
	opt.ctx = &rp;

	if (rp.dir && (stat(rp.dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
		msg("render", "--partials %s: not a directory", rp.dir);
		goto out;
	}
	if (render_read(pos[0], &tmpl, &err, NULL) != 0) {
		msg("render", "%s: %s", pos[0], buf_cstr(&err));
		goto out;
	}
	if (render_read(pos[1], &text, &err, NULL) != 0) {
		msg("render", "%s: %s", pos[1], buf_cstr(&err));
		goto out;
	}
	data = json_loadb(buf_cstr(&text), text.len, JSON_DECODE_ANY, &jerr);
	if (!data) {
		msg("render", "%s: line %d: %s", pos[1], jerr.line, jerr.text);
		goto out;
	}
	rc = mustache_render(buf_cstr(&tmpl), tmpl.len, data, &opt, &out, &err);
	if (rp.failed) {
		msg("render", "%s", buf_cstr(&rp.err));
		goto out;
	}
	if (rc != 0) {
		msg("render", "%s: %s", pos[0], buf_cstr(&err));
		goto out;
	}
	if (fwrite(buf_cstr(&out), 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		msg("render", "cannot write the output: %s", strerror(errno));
		goto out;
	}
	ret = EXIT_OK;
out:
	json_decref(data);
	buf_free(&tmpl);
	buf_free(&text);
	buf_free(&out);
	buf_free(&err);
	buf_free(&rp.err);
	return ret;
}

/* The built-in post template (templates/post.md.mustache). */
extern const char post_template_text[];

/* One day's digest, built from the store: what run publishes and preview
 * prints. */
struct digest {
	char date[11], update[11], first_date[11];
	struct panel_config pc;
	struct writer_config wc;
	struct panel_result pr;
	struct writer_output wo;
	struct verify_result vr;
	struct store_story *stories;
	size_t nstories;
	struct rank_input ri;
	struct post_item *items;
	struct writer_story *ws;
	struct writer_category *wcats;
	size_t nitems, fresh;
	char *path;       /* where it goes (run) */
	struct buf post;  /* the rendered post */
	bool panel_ok, writer_ok;
	enum post_preset preset;
	struct engine_ledger ledger; /* [budget]: every stage's spending */
	struct engine_run run;       /* the store's caches and the ledger */
};

static void digest_free(struct digest *d)
{
	if (d->panel_ok)
		panel_result_free(&d->pr);
	if (d->writer_ok)
		writer_output_free(&d->wo);
	verify_result_free(&d->vr);
	rank_input_free(&d->ri);
	store_stories_free(d->stories, d->nstories);
	panel_config_free(&d->pc);
	writer_config_free(&d->wc);
	free(d->items);
	free(d->ws);
	free(d->wcats);
	free(d->path);
	buf_free(&d->post);
	memset(d, 0, sizeof *d);
}

/* Whether any of a story's items went out in an earlier day's digest. */
static bool digest_published_before(struct store *st, const char *date,
                                    const struct store_story *s)
{
	size_t k;

	for (k = 0; k < s->nitems; k++) {
		const char *url = s->items[k].canonical_url ? s->items[k].canonical_url
		                                            : s->items[k].url;

		if (url && store_published_before(st, date, url, NULL, 0) == 0)
			return true;
	}
	return false;
}

static char *read_text_file(const char *path, struct buf *err)
{
	struct input in;
	char *text;

	if (input_read(&in, path, (size_t)1 << 20, err) != ERR_OK)
		return NULL;
	text = xstrndup(in.data ? in.data : "", in.len);
	input_free(&in);
	return text;
}

/* Rank, write and render the day: d->post holds the post. Messages go to
 * stderr under `command`. Returns EXIT_OK, EXIT_DEGRADED (judges or the
 * writer fell back) or EXIT_ERROR. */
static int digest_build(struct context *cx, const char *command,
                        const char *date, struct digest *d)
{
	struct buf err = BUF_INIT(4096), notes = BUF_INIT(4096);
	struct panel_options po;
	struct post_spec spec;
	struct publish_field *fields = NULL;
	char **allowed = NULL, *tmpl = NULL;
	size_t nfields = 0, i, k;
	int64_t from, to;
	int ret = EXIT_OK, preset;

	buf_init(&d->post, 0);
	snprintf(d->date, sizeof d->date, "%s", date);
	today(cx->config.tz_offset_sec, d->update);
	preset = post_preset_parse(cx->config.preset ? cx->config.preset
	                                             : "hoodie");
	if (preset < 0) {
		msg(command, "[digest] preset is hoodie, hugo or jekyll, not '%s'",
		    cx->config.preset);
		ret = EXIT_ERROR;
		goto out;
	}
	d->preset = (enum post_preset)preset;
	if (panel_config_load(&cx->config.ini, cx->config.path, &d->pc, &err,
	                      &notes) != 0 ||
	    writer_config_load(&cx->config.ini, cx->config.path, &d->wc, &err,
	                       &notes) != 0) {
		print_lines(command, buf_cstr(&err));
		ret = EXIT_ERROR;
		goto out;
	}
	if (g.verbosity >= 0)
		print_lines(command, buf_cstr(&notes));
	if (day_window(date, cx->config.tz_offset_sec, &from, &to) != 0 ||
	    stories_rebuild(cx->store, from, to) != 0 ||
	    store_stories_window(cx->store, from, to, &d->stories,
	                         &d->nstories) != 0) {
		msg(command, "%s", store_error(cx->store));
		ret = EXIT_ERROR;
		goto out;
	}
	/* stories an earlier day's digest carried are not repeated: they
	 * move behind the fresh ones (and are freed with them) */
	for (i = 0, k = 0; i < d->nstories; i++) {
		if (digest_published_before(cx->store, date, &d->stories[i]))
			continue;
		if (k != i) {
			struct store_story t = d->stories[k];

			d->stories[k] = d->stories[i];
			d->stories[i] = t;
		}
		k++;
	}
	d->fresh = k;
	if (d->fresh == 0) {
		msg(command, "no new stories for %s: fetch first, or check the "
		             "date and [digest] timezone",
		    date);
		ret = EXIT_ERROR;
		goto out;
	}
	rank_input_build(&d->ri, d->stories, d->fresh);
	memset(&po, 0, sizeof po);
	po.window_end = to;
	po.progress = g.verbosity >= 0 && isatty(STDERR_FILENO);
	buf_reset(&err);
	engine_ledger_init(&d->ledger, d->pc.max_usd);
	d->run.cache = cx->store;
	d->run.ledger = &d->ledger;
	if (panel_rank(&d->run, &d->pc, d->ri.ps, d->ri.n, &po, &d->pr, &err) !=
	    0) {
		msg(command, "%s", buf_cstr(&err));
		ret = EXIT_ERROR;
		goto out;
	}
	d->panel_ok = true;
	for (i = 0; i < d->pr.nreports; i++)
		if (d->pr.judges[i].failed)
			msg(command, "judge %s failed: %s", d->pr.judges[i].name,
			    d->pr.judges[i].reason);
	if (d->pr.note[0])
		msg(command, "%s", d->pr.note);
	if (d->pr.degraded)
		ret = EXIT_DEGRADED;

	/* the selected stories, best first, with links from the store */
	d->items = xcalloc(d->pr.norder + 1, sizeof *d->items);
	d->ws = xcalloc(d->pr.norder + 1, sizeof *d->ws);
	d->wcats = xcalloc(d->pc.ncategories + 1, sizeof *d->wcats);
	for (i = 0; i < d->pc.ncategories; i++) {
		d->wcats[i].id = d->pc.categories[i].id;
		d->wcats[i].label = d->pc.categories[i].label;
	}
	for (i = 0; i < d->pr.norder; i++) {
		size_t s = d->pr.order[i];
		const struct store_story *st = &d->stories[s];
		const char *url = NULL;
		int c = d->pr.category[s];
		struct buf probe = BUF_INIT(0);

		if (!d->pr.selected[s])
			continue;
		for (k = 0; k < st->nitems && !url; k++)
			if (st->items[k].url && escape_url(&probe, st->items[k].url) == 0)
				url = st->items[k].url;
		buf_free(&probe);
		if (!url)
			continue; /* a story without an http(s) link is not posted */
		d->ws[d->nitems].id = st->id;
		d->ws[d->nitems].title = d->ri.ps[s].title;
		d->ws[d->nitems].source = d->ri.ps[s].source;
		d->ws[d->nitems].text = d->ri.ps[s].text;
		d->ws[d->nitems].category = c >= 0 ? d->pc.categories[c].id : NULL;
		d->items[d->nitems].title = d->ri.ps[s].title;
		d->items[d->nitems].url = url;
		d->items[d->nitems].source = d->ri.ps[s].source;
		d->items[d->nitems].category = c;
		d->nitems++;
	}
	/* the writer uses the judges' cache and is paid from their budget */
	buf_reset(&err);
	if (writer_write(&d->wc, &d->run, d->ws, d->nitems, d->wcats,
	                 d->pc.ncategories, &d->wo, &err) != 0) {
		msg(command, "the writer failed: %s", buf_cstr(&err));
		ret = EXIT_ERROR;
		goto out;
	}
	d->writer_ok = true;
	/* a slot the LLM got wrong has the extractive writer's text (and
	 * verification may send it back): a notice; an LLM writer that
	 * wrote nothing degrades the run */
	if (d->wo.note[0]) {
		msg(command, "writer: %s", d->wo.note);
		if (d->wc.llm && !d->wo.by_llm && ret == EXIT_OK)
			ret = EXIT_DEGRADED;
	}

	/* the panel checks what the LLM wrote; what it cannot trust
	 * becomes the extractive writer's text */
	{
		struct writer_output ex;
		struct verify_input vin;

		buf_reset(&err);
		writer_write(NULL, NULL, d->ws, d->nitems, d->wcats,
		             d->pc.ncategories, &ex, &err);
		memset(&vin, 0, sizeof vin);
		vin.pc = &d->pc;
		vin.pr = &d->pr;
		vin.wc = &d->wc;
		vin.stories = d->ws;
		vin.n = d->nitems;
		vin.ex = &ex;
		if (verify_digest(&d->run, &vin, &d->wo, &d->vr, &err) != 0) {
			msg(command, "verification failed: %s", buf_cstr(&err));
			writer_output_free(&ex);
			ret = EXIT_ERROR;
			goto out;
		}
		writer_output_free(&ex);
		if (d->vr.ran && d->vr.note[0])
			msg(command, "verification: %s", d->vr.note);
		if (d->vr.degraded && ret == EXIT_OK)
			ret = EXIT_DEGRADED;
	}
	for (i = 0; i < d->nitems && i < d->wo.npieces; i++)
		d->items[i].piece = &d->wo.pieces[i];

	/* the first date of the day's post is kept on a re-run */
	snprintf(d->first_date, sizeof d->first_date, "%s", date);
	{
		struct store_digest_row row;

		if (store_digest_get(cx->store, date, &row) == 0) {
			if (row.first_date && strlen(row.first_date) >= 10)
				snprintf(d->first_date, sizeof d->first_date, "%.10s",
				         row.first_date);
			store_digest_clear(&row);
		}
	}
	memset(&spec, 0, sizeof spec);
	spec.date = d->date;
	spec.first_date = d->first_date;
	spec.update = d->update;
	spec.preset = d->preset;
	spec.series = cx->config.series;
	spec.tz_offset_sec = cx->config.tz_offset_sec;
	spec.w = &d->wo;
	spec.cats = d->wcats;
	spec.ncats = d->pc.ncategories;
	spec.items = d->items;
	spec.nitems = d->nitems;
	buf_reset(&err);
	tmpl = cx->config.template_path
	               ? read_text_file(cx->config.template_path, &err)
	               : xstrdup(post_template_text);
	if (!tmpl) {
		msg(command, "%s: %s", cx->config.template_path, buf_cstr(&err));
		ret = EXIT_ERROR;
		goto out;
	}
	if (post_render(tmpl, strlen(tmpl), &spec, &d->post, &err) != 0) {
		msg(command, "the template failed: %s", buf_cstr(&err));
		ret = EXIT_ERROR;
		goto out;
	}
	/* nothing is published that does not pass */
	fields = post_fields(&spec, &nfields);
	allowed = post_allowed_urls(&spec);
	buf_reset(&err);
	if (publish_validate(d->post.data, d->post.len, fields, nfields,
	                     post_sections, (const char *const *)allowed,
	                     &err) != 0) {
		msg(command, "the post is not valid; nothing is published:");
		print_lines(command, buf_cstr(&err));
		ret = EXIT_ERROR;
	}
out:
	post_fields_free(fields, nfields);
	post_urls_free(allowed);
	free(tmpl);
	buf_free(&err);
	buf_free(&notes);
	return ret;
}

/* The run's record in the store. */
/* The votes of one round as JSON. */
static json_t *verify_votes_json(const struct verify_result *vr,
                                 const struct verify_unit *u, int round)
{
	json_t *a = json_array();
	size_t j;

	for (j = 0; u->votes[round] && j < vr->njudges; j++) {
		const struct verify_vote *v = &u->votes[round][j];
		json_t *o = json_object();

		json_object_set_new(o, "judge", json_string(vr->judges[j].name));
		json_object_set_new(o, "supported",
		                    v->supported < 0 ? json_null()
		                                     : json_boolean(v->supported));
		json_object_set_new(o, "problem",
		                    v->problem ? json_string(v->problem)
		                               : json_null());
		json_object_set_new(o, "cached", json_boolean(v->cached));
		json_array_append_new(a, o);
	}
	return a;
}

/* The verification of a day's texts: counts, judges, and with full each
 * text's votes and fate. */
static json_t *verify_json(const struct digest *d, bool full)
{
	const struct verify_result *vr = &d->vr;
	json_t *o = json_object(), *judges = json_array(), *units;
	double total = d->pr.use.usd + d->wo.use.usd + vr->use.usd;
	size_t i, j;

	json_object_set_new(o, "date", json_string(d->date));
	json_object_set_new(o, "verified", json_boolean(vr->ran));
	json_object_set_new(o, "note", json_string(vr->note));
	json_object_set_new(o, "prompt_version",
	                    json_string(vr->prompt_version));
	json_object_set_new(o, "checked", json_integer((json_int_t)vr->checked));
	json_object_set_new(o, "supported_first",
	                    json_integer((json_int_t)vr->supported_first));
	json_object_set_new(o, "rewritten",
	                    json_integer((json_int_t)vr->rewritten));
	json_object_set_new(o, "replaced", json_integer((json_int_t)vr->replaced));
	json_object_set_new(o, "unverified",
	                    json_integer((json_int_t)vr->unverified));
	json_object_set_new(o, "fleiss_kappa",
	                    isfinite(vr->kappa) ? json_real(vr->kappa)
	                                        : json_null());
	json_object_set_new(o, "requests", json_integer(vr->use.requests));
	json_object_set_new(o, "tokens_in", json_integer(vr->use.tokens_in));
	json_object_set_new(o, "tokens_out", json_integer(vr->use.tokens_out));
	json_object_set_new(o, "usd", json_real(vr->use.usd));
	json_object_set_new(o, "rewrite_requests",
	                    json_integer(vr->rewrite.requests));
	json_object_set_new(o, "rewrite_usd", json_real(vr->rewrite.usd));
	json_object_set_new(o, "share_of_cost",
	                    total > 0 ? json_real((vr->use.usd + vr->rewrite.usd) /
	                                          total)
	                              : json_null());
	json_object_set_new(o, "seconds", json_real(vr->seconds));
	json_object_set_new(o, "budget_hit", json_boolean(vr->budget_hit));
	for (j = 0; j < vr->njudges; j++) {
		const struct verify_judge_report *r = &vr->judges[j];
		json_t *jo = json_object();

		json_object_set_new(jo, "name", json_string(r->name));
		json_object_set_new(jo, "requests", json_integer(r->use.requests));
		json_object_set_new(jo, "cached", json_integer(r->use.cached));
		json_object_set_new(jo, "tokens_in", json_integer(r->use.tokens_in));
		json_object_set_new(jo, "tokens_out", json_integer(r->use.tokens_out));
		json_object_set_new(jo, "usd", json_real(r->use.usd));
		json_object_set_new(jo, "failed", json_boolean(r->failed));
		json_object_set_new(jo, "reason",
		                    r->failed ? json_string(r->reason)
		                              : json_null());
		json_array_append_new(judges, jo);
	}
	json_object_set_new(o, "judges", judges);
	if (!full)
		return o;
	units = json_array();
	for (i = 0; i < vr->nunits; i++) {
		const struct verify_unit *u = &vr->units[i];
		json_t *uo = json_object();

		json_object_set_new(uo, "id", json_string(u->id));
		json_object_set_new(
		        uo, "kind",
		        json_string(u->kind == WRITER_FIX_STORY   ? "story"
		                    : u->kind == WRITER_FIX_INTRO ? "intro"
		                                                  : "viewpoint"));
		json_object_set_new(
		        uo, "title",
		        u->kind == WRITER_FIX_STORY && u->index < d->nitems
		                ? json_string(d->ws[u->index].title
		                                      ? d->ws[u->index].title
		                                      : "")
		                : json_null());
		json_object_set_new(uo, "outcome",
		                    json_string(verify_outcome_name(u->outcome)));
		json_object_set_new(uo, "sent_back", json_boolean(u->sent_back));
		json_object_set_new(uo, "glossary",
		                    u->lost_term ? json_string(u->lost_term)
		                                 : json_null());
		json_object_set_new(uo, "votes", verify_votes_json(vr, u, 0));
		json_object_set_new(uo, "rewrite_votes",
		                    verify_votes_json(vr, u, 1));
		json_array_append_new(units, uo);
	}
	json_object_set_new(o, "summaries", units);
	return o;
}

/* The run summary's words on verification. */
static void verify_summary(const struct verify_result *vr, struct buf *b)
{
	if (!vr->ran) {
		buf_puts(b, "not verified");
		return;
	}
	buf_printf(b,
	           "%zu checked, %zu supported first time, %zu rewritten, "
	           "%zu replaced",
	           vr->checked, vr->supported_first, vr->rewritten,
	           vr->replaced + vr->unverified);
	if (vr->unverified)
		buf_printf(b, " (%zu unverified)", vr->unverified);
	if (isfinite(vr->kappa))
		buf_printf(b, ", Fleiss' kappa %.3f", vr->kappa);
	else
		buf_puts(b, ", Fleiss' kappa n/a");
	buf_printf(b, ", $%.4f in %.1f s", vr->use.usd + vr->rewrite.usd,
	           vr->seconds);
}

static void digest_record(struct context *cx, const struct digest *d,
                          int64_t started, const char *status)
{
	struct store_run run;
	char *details = rank_details(&d->pc, &d->pr);
	json_t *dj = details ? json_loads(details, 0, NULL) : NULL;

	if (json_is_object(dj)) {
		json_object_set_new(dj, "verify", verify_json(d, false));
		free(details);
		details = json_dumps(dj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	}
	json_decref(dj);

	memset(&run, 0, sizeof run);
	run.command = "run";
	run.date = d->date;
	run.started = started;
	run.finished = now_utc();
	run.usd = d->pr.use.usd + d->wo.use.usd + d->vr.use.usd;
	run.reference_usd = d->pr.reference_usd;
	run.requests = d->pr.use.requests + d->wo.use.requests + d->vr.use.requests;
	run.tokens_in = d->pr.use.tokens_in + d->wo.use.tokens_in + d->vr.use.tokens_in;
	run.tokens_out = d->pr.use.tokens_out + d->wo.use.tokens_out + d->vr.use.tokens_out;
	run.kendall_w = d->pr.kendall_w;
	run.status = status;
	run.details = details;
	if (store_run_add(cx->store, &run, NULL) != 0)
		msg("run", "cannot record the run: %s", store_error(cx->store));
	free(details);
}

static int cmd_run(int argc, char **argv)
{
	static const char *const names[] = {"--date", NULL};
	const char *values[1] = {NULL}, *pos[1];
	struct context cx;
	struct digest d;
	struct fetch_settings fs;
	struct fetch_report rep;
	struct buf err = BUF_INIT(4096);
	const char *out_dir;
	bool dry_run = false, force = false;
	char date[11];
	int64_t started = now_utc(), from, to;
	int npos, rc, ret, lock = -1, i, j;
	size_t k, answered = 0;
	char **margv = xcalloc((size_t)argc + 1, sizeof *margv);

	/* flags without a value first */
	for (i = 0, j = 0; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0)
			dry_run = true;
		else if (strcmp(argv[i], "--force") == 0)
			force = true;
		else
			margv[j++] = argv[i];
	}
	rc = take_options(j, margv, names, values, pos, 0, &npos, "run");
	free(margv);
	if (rc != 0)
		return rc < 0 ? EXIT_OK : rc;
	ret = context_open(&cx, "run", NEED_FEEDS | NEED_STORE);
	if (ret != EXIT_OK)
		return ret;
	if ((rc = command_day(&cx, "run", values[0], date, &from, &to)) != 0) {
		context_free(&cx);
		return rc;
	}
	out_dir = g.out ? g.out : cx.config.out ? cx.config.out : ".";
	/* one run at a time: the lock is held from the fetch to the end */
	if (!dry_run && (lock = publish_lock(out_dir, &err)) < 0) {
		msg("run", "%s", buf_cstr(&err));
		context_free(&cx);
		buf_free(&err);
		return EXIT_ERROR;
	}
	http_global_init();
	fetch_settings_init(&fs, &cx);
	if (fetch_run(cx.store, &fs, &rep, &err) != 0)
		msg("run", "fetch: %s", buf_cstr(&err));
	print_fetch_report("run", &rep);

	memset(&d, 0, sizeof d);
	ret = digest_build(&cx, "run", date, &d);
	if (ret != EXIT_ERROR) {
		const char *pattern =
		        cx.config.output ? cx.config.output
		                         : post_default_output(d.preset);

		buf_reset(&err);
		d.path = publish_path(out_dir, pattern, date, "ai-news", &err);
		if (!d.path) {
			msg("run", "[digest] output: %s", buf_cstr(&err));
			ret = EXIT_ERROR;
		}
	}
	if (ret != EXIT_ERROR && !dry_run) {
		struct store_digest_row prev;
		bool same = false;
		char hash[17];
		uint64_t h = 0xCBF29CE484222325ULL;

		for (k = 0; k < d.post.len; k++) {
			h ^= (unsigned char)d.post.data[k];
			h *= 0x100000001B3ULL;
		}
		snprintf(hash, sizeof hash, "%016llx", (unsigned long long)h);
		if (store_digest_get(cx.store, date, &prev) == 0) {
			same = prev.hash && strcmp(prev.hash, hash) == 0 &&
			       prev.path && strcmp(prev.path, d.path) == 0;
			store_digest_clear(&prev);
		}
		buf_reset(&err);
		if (same && !force) {
			msg("run", "%s: unchanged, not written again (--force "
			           "writes it)",
			    d.path);
		} else if (publish_write(d.path, d.post.data, d.post.len, &err) !=
		           0) {
			msg("run", "%s", buf_cstr(&err));
			ret = EXIT_ERROR;
		}
		if (ret != EXIT_ERROR) {
			struct store_digest sd = {date, d.path, d.first_date, d.update,
			                          hash, now_utc()};
			const char **urls = NULL;
			size_t nurls = 0, m;

			/* what the post carried, as the store keys items, so
			 * later days do not repeat it */
			for (k = 0; k < d.pr.norder; k++) {
				size_t s = d.pr.order[k];

				if (!d.pr.selected[s])
					continue;
				for (m = 0; m < d.stories[s].nitems; m++) {
					const struct store_item_row *it =
					        &d.stories[s].items[m];

					urls = xreallocarray(urls, nurls + 1, sizeof *urls);
					urls[nurls++] = it->canonical_url ? it->canonical_url
					                                  : it->url;
				}
			}
			if (store_published_set(cx.store, date, urls, nurls) != 0)
				msg("run", "cannot record what was published: %s",
				    store_error(cx.store));
			if (store_digest_put(cx.store, &sd) != 0)
				msg("run", "cannot record the digest: %s",
				    store_error(cx.store));
			free(urls);
		}
	}
	if (d.panel_ok) {
		for (k = 0; k < d.pr.nreports; k++)
			answered += d.pr.judges[k].llm && !d.pr.judges[k].failed &&
			            d.pr.judges[k].use.requests + d.pr.judges[k].use.cached > 0;
		digest_record(&cx, &d, started,
		              ret == EXIT_ERROR ? "failed"
		              : ret == EXIT_DEGRADED || rep.failed ? "degraded"
		                                                    : "ok");
		buf_reset(&err);
		verify_summary(&d.vr, &err);
		msg("run",
		    "%zu stories (%zu new to the digest), %zu selected; judges: %zu "
		    "(%zu LLM answered), Kendall's W %.3f; writer: %s; "
		    "verification: %s; cost $%.4f (one reference judge: $%.4f)",
		    d.nstories, d.fresh, d.nitems, d.pr.njudges, answered,
		    d.pr.kendall_w,
		    d.writer_ok ? (d.wo.by_llm ? (d.wo.use.cached ? "LLM (cached)" : "LLM")
		                                 : "extractive") : "-",
		    d.writer_ok ? buf_cstr(&err) : "-",
		    d.pr.use.usd + d.wo.use.usd + d.vr.use.usd, d.pr.reference_usd);
	}
	if (ret != EXIT_ERROR) {
		if (dry_run)
			msg("run", "dry run: %s not written", d.path);
		else
			puts(d.path);
	}
	if (ret == EXIT_OK && rep.failed)
		ret = EXIT_DEGRADED;
	fetch_report_free(&rep);
	digest_free(&d);
	http_global_cleanup();
	publish_unlock(lock);
	context_free(&cx);
	buf_free(&err);
	if (fflush(stdout) != 0 || ferror(stdout))
		return EXIT_ERROR;
	return ret;
}

/* A standalone HTML page of the post, through cmark (raw HTML in the
 * markdown is not passed through). */
static void preview_html(const char *post)
{
	const char *body = post, *title_at;
	struct buf title = BUF_INIT(4096), esc = BUF_INIT(0);
	char *html;

	if (strncmp(post, "---\n", 4) == 0) {
		const char *end = strstr(post + 4, "\n---\n");

		if (end)
			body = end + 5;
		title_at = strstr(post, "\ntitle: ");
		if (title_at && (!end || title_at < end)) {
			title_at += 8;
			buf_append(&title, title_at, strcspn(title_at, "\n"));
		}
	}
	escape_html(&esc, buf_cstr(&title), title.len);
	html = cmark_markdown_to_html(body, strlen(body), CMARK_OPT_DEFAULT);
	printf("<!DOCTYPE html>\n<html lang=\"ko\">\n<head>\n"
	       "<meta charset=\"utf-8\">\n<title>%s</title>\n"
	       "<style>body{max-width:46em;margin:2em auto;padding:0 1em;"
	       "font:16px/1.7 system-ui,sans-serif}blockquote{border-left:4px "
	       "solid #ccc;margin-left:0;padding-left:1em;color:#444}"
	       "a{color:#0645ad}</style>\n</head>\n<body>\n%s</body>\n</html>\n",
	       buf_cstr(&esc), html ? html : "");
	free(html);
	buf_free(&title);
	buf_free(&esc);
}

static int cmd_preview(int argc, char **argv)
{
	static const char *const names[] = {"--date", NULL};
	const char *values[1] = {NULL}, *pos[1];
	struct context cx;
	struct digest d;
	char date[11];
	int64_t from, to;
	int npos, rc, ret, i, j;
	bool html = false;
	char **margv = xcalloc((size_t)argc + 1, sizeof *margv);

	for (i = 0, j = 0; i < argc; i++) {
		if (strcmp(argv[i], "--html") == 0)
			html = true;
		else
			margv[j++] = argv[i];
	}
	rc = take_options(j, margv, names, values, pos, 0, &npos, "preview");
	free(margv);
	if (rc != 0)
		return rc < 0 ? EXIT_OK : rc;
	ret = context_open(&cx, "preview", NEED_STORE);
	if (ret != EXIT_OK)
		return ret;
	if ((rc = command_day(&cx, "preview", values[0], date, &from, &to)) !=
	    0) {
		context_free(&cx);
		return rc;
	}
	http_global_init();
	memset(&d, 0, sizeof d);
	ret = digest_build(&cx, "preview", date, &d);
	if (ret != EXIT_ERROR) {
		if (html)
			preview_html(buf_cstr(&d.post));
		else
			fwrite(d.post.data, 1, d.post.len, stdout);
	}
	digest_free(&d);
	http_global_cleanup();
	context_free(&cx);
	if (fflush(stdout) != 0 || ferror(stdout))
		return EXIT_ERROR;
	return ret;
}

static void verify_print_table(const struct digest *d)
{
	const struct verify_result *vr = &d->vr;
	struct buf line = BUF_INIT(0);
	double total = d->pr.use.usd + d->wo.use.usd + vr->use.usd;
	size_t i, j;
	int r;

	verify_summary(vr, &line);
	printf("verification of %s: %s\n", d->date, buf_cstr(&line));
	if (!vr->ran) {
		if (vr->note[0])
			printf("%s\n", vr->note);
		buf_free(&line);
		return;
	}
	printf("cost: $%.4f for votes (%ld requests), $%.4f for rewrites "
	       "(%ld requests): %.1f%% of the run's $%.4f\n",
	       vr->use.usd, vr->use.requests, vr->rewrite.usd, vr->rewrite.requests,
	       total > 0 ? 100 * (vr->use.usd + vr->rewrite.usd) / total : 0.0,
	       total);
	for (j = 0; j < vr->njudges; j++) {
		const struct verify_judge_report *jr = &vr->judges[j];

		if (jr->failed)
			printf("judge %s: failed: %s\n", jr->name, jr->reason);
		else
			printf("judge %s: %ld requests, %ld cached, $%.4f\n",
			       jr->name, jr->use.requests, jr->use.cached, jr->use.usd);
	}
	if (vr->note[0])
		printf("note: %s\n", vr->note);
	printf("\n%-12s %-9s %-10s %-6s %-6s %s\n", "ID", "KIND", "OUTCOME",
	       "VOTES", "AGAIN", "TITLE");
	for (i = 0; i < vr->nunits; i++) {
		const struct verify_unit *u = &vr->units[i];
		char first[16] = "-", again[16] = "-";

		if (u->text[0])
			snprintf(first, sizeof first, "%d/%d", u->yes[0],
			         u->yes[0] + u->no[0]);
		if (u->text[1])
			snprintf(again, sizeof again, "%d/%d", u->yes[1],
			         u->yes[1] + u->no[1]);
		printf("%-12s %-9s %-10s %-6s %-6s %s\n", u->id,
		       u->kind == WRITER_FIX_STORY   ? "story"
		       : u->kind == WRITER_FIX_INTRO ? "intro"
		                                     : "viewpoint",
		       verify_outcome_name(u->outcome), first, again,
		       u->kind == WRITER_FIX_STORY && d->ws[u->index].title
		               ? d->ws[u->index].title
		               : "");
		if (u->lost_term)
			printf("    %s\n", u->lost_term);
		for (r = 0; r < VERIFY_ROUNDS; r++)
			for (j = 0; u->votes[r] && j < vr->njudges; j++)
				if (u->votes[r][j].supported == 0)
					printf("    %s%s: %s\n",
					       r ? "again, " : "",
					       vr->judges[j].name,
					       u->votes[r][j].problem
					               ? u->votes[r][j].problem
					               : "(no reason given)");
	}
	buf_free(&line);
}

static int cmd_verify(int argc, char **argv)
{
	static const char *const names[] = {"--date", "--format", NULL};
	const char *values[2] = {NULL, NULL}, *pos[1];
	struct context cx;
	struct digest d;
	char date[11];
	int64_t from, to;
	int npos, rc, ret;
	bool json;

	rc = take_options(argc, argv, names, values, pos, 0, &npos, "verify");
	if (rc != 0)
		return rc < 0 ? EXIT_OK : rc;
	if ((rc = format_choice("verify", values[1], table_json)) < 0)
		return EXIT_USAGE;
	json = rc == 1;
	ret = context_open(&cx, "verify", NEED_STORE);
	if (ret != EXIT_OK)
		return ret;
	if ((rc = command_day(&cx, "verify", values[0], date, &from, &to)) !=
	    0) {
		context_free(&cx);
		return rc;
	}
	http_global_init();
	memset(&d, 0, sizeof d);
	ret = digest_build(&cx, "verify", date, &d);
	if (ret != EXIT_ERROR) {
		if (json) {
			json_t *o = verify_json(&d, true);

			json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			fputc('\n', stdout);
			json_decref(o);
		} else {
			verify_print_table(&d);
		}
	}
	digest_free(&d);
	http_global_cleanup();
	context_free(&cx);
	if (fflush(stdout) != 0 || ferror(stdout))
		return EXIT_ERROR;
	return ret;
}

int main(int argc, char **argv)
{
	const char *cmd = NULL;
	int i, gl;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		gl = take_global(argc, argv, &i);
		if (gl < 0)
			return usage_error("option '%s' needs a value", a);
		if (gl > 0)
			continue;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage_text, stdout);
			return fflush(stdout) == 0 ? EXIT_OK : EXIT_ERROR;
		}
		if (strcmp(a, "--version") == 0) {
			printf("aidigest %s\n", AIDIGEST_VERSION);
			return fflush(stdout) == 0 ? EXIT_OK : EXIT_ERROR;
		}
		if (a[0] == '-')
			return usage_error("unknown option '%s'", a);
		cmd = a;
		break;
	}
	if (!cmd)
		return usage_error("a command is needed");
	if (strcmp(cmd, "parse") == 0)
		return cmd_parse(argc - i - 1, argv + i + 1);
	if (strcmp(cmd, "fetch") == 0)
		return cmd_fetch(argc - i - 1, argv + i + 1);
	if (strcmp(cmd, "items") == 0)
		return cmd_items(argc - i - 1, argv + i + 1);
	if (strcmp(cmd, "feeds") == 0)
		return cmd_feeds(argc - i - 1, argv + i + 1);
	if (strcmp(cmd, "rank") == 0)
		return cmd_rank(argc - i - 1, argv + i + 1);
	if (strcmp(cmd, "run") == 0)
		return cmd_run(argc - i - 1, argv + i + 1);
	if (strcmp(cmd, "verify") == 0)
		return cmd_verify(argc - i - 1, argv + i + 1);
	if (strcmp(cmd, "preview") == 0)
		return cmd_preview(argc - i - 1, argv + i + 1);
	if (strcmp(cmd, "render") == 0)
		return cmd_render(argc - i - 1, argv + i + 1);
	return usage_error("unknown command '%s'", cmd);
}
