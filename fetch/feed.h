#ifndef AIDIGEST_FEED_H
#define AIDIGEST_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/buf.h"
#include "common/err.h"

/* The feed model and parser: RSS 0.90-2.0, RSS 1.0 (RDF), Atom 0.3 and 1.0,
 * JSON Feed 1.0/1.1, told apart by the document, not the file name. Every
 * string is UTF-8, NUL-terminated and owned by the struct it is in; NULL
 * means absent. */

enum feed_format {
	FEED_FORMAT_UNKNOWN = 0,
	FEED_FORMAT_RSS090,
	FEED_FORMAT_RSS091,
	FEED_FORMAT_RSS092,
	FEED_FORMAT_RSS093,
	FEED_FORMAT_RSS094,
	FEED_FORMAT_RSS20,
	FEED_FORMAT_RSS, /* an <rss> without a version */
	FEED_FORMAT_RSS10,
	FEED_FORMAT_ATOM03,
	FEED_FORMAT_ATOM10,
	FEED_FORMAT_JSON10,
	FEED_FORMAT_JSON11
};

enum feed_text_type { FEED_TEXT_TEXT = 0, FEED_TEXT_HTML, FEED_TEXT_XHTML };

/* A text construct: title, subtitle, summary, content. */
struct feed_text {
	char *raw;  /* as written, after XML decoding (HTML markup kept) */
	char *text; /* plain text: HTML removed, whitespace collapsed */
	enum feed_text_type type;
	bool type_explicit; /* the document said which type (Atom type=) */
};

struct feed_person {
	char *full; /* as written: "Jane (jane@example.com)", dc:creator */
	char *name; /* its parts, when they can be told apart */
	char *email;
};

struct feed_enclosure {
	char *url;
	char *type;
	char *length;
};

struct feed_date {
	char *raw;    /* the string as written */
	int64_t time; /* UTC seconds, valid when known */
	bool known;
};

struct feed_entry {
	struct feed_text title;
	struct feed_text summary;
	struct feed_text *content; /* ncontent of them, document order */
	size_t ncontent;
	char *link; /* absolute where a base was known */
	char *id;
	struct feed_date published;
	struct feed_date updated;
	struct feed_person author;
	struct feed_enclosure *enclosures;
	size_t nenclosures;
	/* Engagement numbers some sources give; -1 when absent: likes
	 * (X likes, HF upvotes), reposts (X), points (HN), stars (GitHub),
	 * comments (slash:comments, HN, X replies). */
	long long likes, reposts, points, stars, comments;
};

struct feed {
	enum feed_format format;
	char encoding[40]; /* of the bytes, as detected (feedparser names) */
	struct feed_text title;
	struct feed_text subtitle;
	char *link;
	char *id;
	struct feed_date published;
	struct feed_date updated;
	struct feed_person author;
	struct feed_entry *entries; /* nentries, document order */
	size_t nentries;
	size_t entries_cap;
	/* The document was broken and what could be read was recovered
	 * (feedparser's "bozo"); notes says what happened, one per line. */
	bool recovered;
	struct buf notes;
};

/* Streaming: called for each entry once it is complete. Return 0 to go
 * on, nonzero to stop the parse (feed_parse then returns ERR_OK). The
 * callee may keep nothing: the entry is freed when it returns. */
typedef int (*feed_entry_fn)(void *ctx, const struct feed *feed,
                             const struct feed_entry *entry);

struct feed_options {
	const char *url;          /* the document's URL, to resolve links */
	const char *content_type; /* the HTTP Content-Type header, if any */
	int tz_offset_sec;        /* zone of dates written without one */
	size_t max_bytes;         /* 0: FEED_DEFAULT_MAX_BYTES */
	size_t max_entries;       /* 0: FEED_DEFAULT_MAX_ENTRIES */
	size_t max_depth;         /* 0: FEED_DEFAULT_MAX_DEPTH */
	size_t max_text;        /* bytes per field; 0: FEED_DEFAULT_MAX_TEXT */
	feed_entry_fn on_entry; /* NULL: entries are kept in feed->entries */
	void *ctx;
	/* Fill content[].text only for entries without a summary: all that a
	 * one-line listing shows (.raw is always there). */
	bool summary_text_only;
	/* For tests: read inline XHTML through libxml2 alone, the reading
	 * that the direct one (fetch/feed_xhtml.c) must match; and, when not
	 * NULL, add there the contents read directly. */
	bool xhtml_by_libxml2;
	long *xhtml_direct;
};

#define FEED_DEFAULT_MAX_BYTES ((size_t)16 << 20)
#define FEED_DEFAULT_MAX_ENTRIES 10000
#define FEED_DEFAULT_MAX_DEPTH 256
#define FEED_DEFAULT_MAX_TEXT ((size_t)4 << 20)

/* Parse the document data[0..n). On success returns ERR_OK and *out holds
 * the feed (free it with feed_free); a recovered document is a success with
 * feed->recovered set. On failure returns an ERR_* code, *out is NULL and
 * err says why ("not a feed: looks like an HTML page"). Reads no file and
 * no network; entity declarations are never expanded. */
MUST_CHECK int feed_parse(const char *data, size_t n,
                          const struct feed_options *opt, struct feed **out,
                          struct buf *err);

void feed_free(struct feed *feed);

/* A document parsed as it arrives, in pieces of any size, with the result
 * feed_parse gives for the whole: UTF-8 XML is read as it comes (memory
 * does not grow with the document), other encodings and JSON Feed at the
 * end. Entries reach opt->on_entry as they are read. opt (NULL: the
 * defaults) and what it points to must live until feed_parser_free. */
struct feed_parser;
struct feed_parser *feed_parser_new(const struct feed_options *opt);
/* The document's next data[0..n). */
void feed_parser_push(struct feed_parser *p, const char *data, size_t n);
/* The document ended: as feed_parse, *out and err. Call once. */
MUST_CHECK int feed_parser_finish(struct feed_parser *p, struct feed **out,
                                  struct buf *err);
void feed_parser_free(struct feed_parser *p);

/* feed_parse of the file at path ("-": standard input); a regular file is
 * read in pieces through a feed_parser. Failures to read it return as
 * file_view_open's (ERR_LIMIT: "N bytes, over the cap of M bytes"). */
MUST_CHECK int feed_parse_file(const char *path, const struct feed_options *opt,
                               struct feed **out, struct buf *err);

const char *feed_format_name(enum feed_format format);

/* Print the neutral `field<TAB>value` lines of the conformance corpus
 * (feed.title.raw, entries[0].link, ...) for feed; escapes \\ \t \n \r.
 * Returns 0, or ERR_IO when fp reports a write error. */
MUST_CHECK int feed_print_fields(FILE *fp, const struct feed *feed);

/* Where a summary's own text starts: past boilerplate a feed puts in
 * front of every entry (arXiv's "arXiv:2611.04302v1 Announce Type: new
 * Abstract: "); text itself when there is none. */
const char *feed_summary_start(const char *text);

/* Write s with \\ \t \n \r escaped and other control characters (C0,
 * DEL, C1) left out (the TSV outputs' one escape). */
void feed_tsv_escape(FILE *fp, const char *s);

/* Print one entry as a TAB-separated line: UTC time, title, link, id,
 * author, summary text (docs/parse-format.md). Returns 0, or ERR_IO when
 * fp reports a write error. */
MUST_CHECK int feed_print_tsv(FILE *fp, const struct feed *feed,
                              const struct feed_entry *entry);

#endif
