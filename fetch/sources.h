#ifndef AIDIGEST_SOURCES_H
#define AIDIGEST_SOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/pattern.h"

/* feeds.txt: one source a line, `kind name url [key=value ...]`, fields
 * split by spaces or tabs, `#` comments, blank lines, "double quotes"
 * around a value with spaces, ${VAR} from the environment. The options are
 * explained at the top of the default feeds.txt; real sources and their
 * quirks are in ../shared/reference/sources.md. */

enum source_kind {
	SOURCE_TWEET = 0,
	SOURCE_BLOG,
	SOURCE_PAPER,
	SOURCE_RELEASE,
	SOURCE_COMMUNITY,
	SOURCE_NEWS
};

/* How the body is read: sniffed feeds (RSS, Atom, RDF, JSON Feed) or one
 * of the JSON APIs that have no feed (format= on the line). */
enum source_format {
	SOURCE_FORMAT_FEED = 0,     /* format=feed, the default */
	SOURCE_FORMAT_X_API,        /* format=x-api */
	SOURCE_FORMAT_HF_PAPERS,    /* format=hf-papers */
	SOURCE_FORMAT_HN_ALGOLIA,   /* format=hn-algolia */
	SOURCE_FORMAT_GITHUB_SEARCH /* format=github-search */
};

/* One line of the file. Strings are UTF-8, owned by the struct (free()d
 * by sources_free); NULL means the option was not given. */
struct source {
	enum source_kind kind;
	enum source_format format;
	char *name;    /* unique in the file, no spaces, at most 100 bytes */
	char *url;     /* ${VAR} expanded; {DATE} {SINCE_DATE} {SINCE_UNIX}
	                * are left for source_url_for_window */
	char *url_raw; /* the url as written, ${VAR} not expanded: what
	                * may be shown or exported (no secrets) */
	double weight; /* weight=, default 1.0, in (0, 1000] */
	int max;       /* max= items kept per fetch (1..100000), 0 for no
	                * limit */
	char *tags;    /* tags=a,b,c or NULL */
	char *title;   /* title=: the name a post shows for the source (at
	                * most SOURCE_TITLE_MAX bytes, no tabs), or NULL:
	                * then the feed's own title, else the name */
	int tz_offset_sec; /* tz=+09:00: zone of dates written without one */
	char *token_env;   /* token_env=, or NULL: the format's own variable,
	                    * for its API's host only (api_headers) */
	struct pattern *include;         /* include=, or NULL */
	struct pattern *exclude;         /* exclude=, or NULL */
	char *include_src, *exclude_src; /* the patterns as written */
	bool collapse_daily; /* collapse automated builds (bNNNN) per day:
	                      * set for release sources (off: collapse=no) */
	int line;            /* line number in the file */
};

/* A line skipped because a ${VAR} on it is unset or empty: it is no
 * source, but `feeds check` and the fetch report still list it. */
struct source_skip {
	char *name;   /* the line's name as written (${VAR} not expanded);
	               * "line N" when it has none */
	char *reason; /* "${VAR} is not set" */
	int line;
};

struct source_list {
	struct source *v;
	size_t n;
	struct source_skip *skipped; /* in file order */
	size_t nskipped;
};

/* The longest title= value, in bytes. */
#define SOURCE_TITLE_MAX 200

/* Parse the text of a feeds file into *out (overwritten, not freed: free
 * it with sources_free whatever the result). A bad line (unknown kind,
 * missing url, unknown option, bad value, bad pattern, duplicate name: the
 * first is kept) is reported into messages as "FILE:LINE: reason\n" and
 * skipped; a line whose ${VAR} is unset or empty is skipped with the
 * notice "FILE:LINE: skipped: ${VAR} is not set\n" and listed in
 * out->skipped. The rest load. Lines are at most 8 KiB, sources at most
 * 10,000; messages may be NULL.
 * Returns the number of bad lines (0 when all is well; notices are not
 * counted). */
int sources_parse(const char *text, size_t n, const char *filename,
                  struct source_list *out, struct buf *messages);
/* Read (file_read: at most 16 MiB, "-" is standard input) and parse a
 * feeds file. Returns 0 with the number of bad lines sources_parse found
 * in *bad (bad may be NULL), or file_read's ERR_NOT_FOUND, ERR_LIMIT or
 * ERR_IO when it cannot be read whole ("PATH: reason\n" into messages;
 * *bad 0). */
MUST_CHECK int sources_load(const char *path, struct source_list *out, int *bad,
                            struct buf *messages);
void sources_free(struct source_list *list);

/* "tweet", "blog", ...: the word feeds.txt uses; static storage. */
const char *source_kind_name(enum source_kind kind);

/* Whether an item passes the line's patterns: include= must match the
 * title or the text when set, exclude= must match neither. NULL reads as
 * "". Matched as common/pattern.h says: around invalid UTF-8, within the
 * same bounds (a match a bound stops counts as no match). */
bool source_accepts(const struct source *s, const char *title,
                    const char *text);

/* The URL with {DATE} (the digest day `date`, "YYYY-MM-DD"; the UTC date
 * of since when date is NULL), {SINCE_DATE} (the UTC date of since,
 * YYYY-MM-DD) and {SINCE_UNIX} (since in UTC seconds) filled. Caller
 * frees. */
char *source_url_for_window(const struct source *s, const char *date,
                            int64_t since);

/* Print one feeds.txt line per OPML outline with an http(s) xmlUrl that
 * names a host, nested ones too. The kind comes from the nearest enclosing
 * outline whose text or title names one ("papers", "arxiv", "GitHub", "news",
 * "Twitter", "Hacker News", "뉴스" ...), else blog; names from title or
 * text, spaces as '-', at most 32 characters, made unique with -2, -3.
 * No DTD, entity or network loads; at most 8 MiB and 10,000 feeds.
 * Returns 0; ERR_PARSE when the document is not OPML, ERR_LIMIT when it
 * passes a bound, ERR_IO when out reports a write error. err gets a
 * "\n"-ended line per outline skipped (100, then a count) and, on an
 * error, the reason. */
MUST_CHECK int sources_import_opml(const char *data, size_t n, FILE *out,
                                   struct buf *err);
/* Print the list as an OPML 2.0 document: one category outline per kind,
 * holding its sources (text and title the name, xmlUrl the url as
 * written). Returns 0, or ERR_IO when out reports a write error. */
MUST_CHECK int sources_export_opml(const struct source_list *list, FILE *out);

#endif
