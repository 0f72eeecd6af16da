#ifndef AIDIGEST_SOURCES_H
#define AIDIGEST_SOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/buf.h"

/* feeds.txt: one source a line, `kind name url [key=value ...]`, `#`
 * comments, blank lines. DESIGN.md and ../shared/reference/sources.md. */

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
	SOURCE_FORMAT_FEED = 0,
	SOURCE_FORMAT_X_API,         /* format=x-api */
	SOURCE_FORMAT_HF_PAPERS,     /* format=hf-papers */
	SOURCE_FORMAT_HN_ALGOLIA,    /* format=hn-algolia */
	SOURCE_FORMAT_GITHUB_SEARCH  /* format=github-search */
};

struct source {
	enum source_kind kind;
	enum source_format format;
	char *name;      /* unique in the file */
	char *url;       /* ${VAR} expanded; {DATE} {SINCE_DATE} {SINCE_UNIX}
			  * are left for source_url_for_window */
	double weight;   /* weight=, default 1.0 */
	int max;         /* max= items kept per fetch, 0 for no limit */
	char *tags;      /* tags=a,b,c or NULL */
	int tz_offset_sec; /* tz=+09:00: zone of dates written without one */
	char *token_env; /* token_env=, default X_BEARER_TOKEN for x-api */
	void *include;   /* pcre2_code * of include=, or NULL */
	void *exclude;   /* pcre2_code * of exclude=, or NULL */
	char *include_src, *exclude_src;
	bool collapse_daily; /* collapse automated builds (bNNNN) per day:
			      * set for release sources (off: collapse=no) */
	int line;        /* line number in the file */
};

struct source_list {
	struct source *v;
	size_t n;
};

/* Parse the text of a feeds file. A bad line (unknown kind, missing url,
 * unknown option, bad pattern, duplicate name) is reported into messages
 * as "FILE:LINE: reason" and skipped; a line whose ${VAR} is unset is
 * skipped with a notice "FILE:LINE: skipped: ${VAR} is not set". The rest
 * load. Returns the number of bad lines (0 when all is well). */
int sources_parse(const char *text, size_t n, const char *filename,
		  struct source_list *out, struct buf *messages);
/* Read and parse a feeds file; -1 when it cannot be read (messages says
 * why). */
int sources_load(const char *path, struct source_list *out,
		 struct buf *messages);
void sources_free(struct source_list *list);

const char *source_kind_name(enum source_kind kind);

/* Whether an item passes the line's include= and exclude= patterns, run
 * on its title and text. */
bool source_accepts(const struct source *s, const char *title,
		    const char *text);

/* The URL with {DATE} and {SINCE_DATE} (YYYY-MM-DD) and {SINCE_UNIX}
 * filled for a window starting at since (UTC seconds) and the digest day
 * `date` ("YYYY-MM-DD"). Caller frees. */
char *source_url_for_window(const struct source *s, const char *date,
			    int64_t since);

/* OPML: print the outlines of an OPML document as feeds.txt lines (kind
 * blog unless a category says otherwise; names made unique and without
 * spaces); print a list as OPML 2.0. Return 0, or -1 (err says why). */
int sources_import_opml(const char *data, size_t n, FILE *out,
			struct buf *err);
int sources_export_opml(const struct source_list *list, FILE *out);

#endif
