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
#include "common/err.h"
#include "common/timeutil.h"
#include "common/xalloc.h"
#include "fetch/date.h"
#include "fetch/feed.h"

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
        "  parse [--fields] [--header 'Name: value']... [--tz +HH:MM]\n"
        "        [--url URL] [--max-bytes N] [--max-entries N] FILE...\n"
        "                      parse feed files (RSS, RDF, Atom, JSON Feed);\n"
        "                      print one entry a line, or with --fields the\n"
        "                      neutral field<TAB>value lines; FILE - is stdin\n"
        "  parse --date STRING [--tz +HH:MM]\n"
        "                      print a date as UTC YYYY-MM-DDTHH:MM:SSZ\n"
        "\n"
        "  run, fetch, items, rank, preview, render and feeds are planned\n"
        "  (see README.md) and not available in this version.\n"
        "\n"
        "Global options (before or after the command):\n"
        "  -c FILE        configuration file\n"
        "  --feeds FILE   sources file (default feeds.txt)\n"
        "  --db FILE      state database\n"
        "  --out DIR      blog folder to publish into\n"
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

int main(int argc, char **argv)
{
	static const char *const planned[] = {
	        "run", "fetch", "items", "rank", "preview", "render", "feeds"};
	const char *cmd = NULL;
	int i, gl;
	size_t k;

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
	for (k = 0; k < sizeof planned / sizeof *planned; k++)
		if (strcmp(cmd, planned[k]) == 0) {
			msg(cmd, "not available in this version yet");
			return EXIT_USAGE;
		}
	return usage_error("unknown command '%s'", cmd);
}
