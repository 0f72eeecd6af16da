#ifndef AIDIGEST_FEED_IMPL_H
#define AIDIGEST_FEED_IMPL_H

/* Internal to fetch/: what feed.c shares with the format parsers
 * (feed_xml.c, feed_json.c). Not a public header. */

#include "fetch/feed.h"

/* The state shared by the parsers of one document. */
struct feed_builder {
	struct feed *feed;
	const struct feed_options *opt;
	size_t max_entries, max_depth, max_text;
	struct feed_entry *entry;  /* the entry being read, or NULL */
	struct feed_entry scratch; /* the entry when entries are streamed */
	bool stopped;              /* the callback or a cap ended the parse */
};

/* Set fb up for a document of n bytes under opt's caps (NULL: defaults)
 * with a new, empty fb->feed (the caller frees it). Returns ERR_OK, or
 * ERR_LIMIT when n is over the byte cap (err says so; nothing to free). */
MUST_CHECK int feed_builder_init(struct feed_builder *fb,
                                 const struct feed_options *opt, size_t n,
                                 struct buf *err);
/* Start an entry; returns it (owned by the builder). */
struct feed_entry *feed_builder_begin_entry(struct feed_builder *fb);
/* Complete the current entry: stream it or keep it. */
void feed_builder_end_entry(struct feed_builder *fb);
/* Add a note ("recovered: ...") to the feed, at most a few of each. */
void feed_builder_note(struct feed_builder *fb, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* Put the line note before the notes taken so far (the cap on their
 * number keeps the first ones). */
void feed_builder_note_first(struct feed_builder *fb, const char *note);

/* Set *dst to a copy of s[0..n) unless it is already set (first wins). */
void feed_set_str(char **dst, const char *s, size_t n);
/* Set a date from its raw string (first wins). */
void feed_set_date(struct feed_date *d, const char *s, int tz_offset_sec);
/* Split an author string into name and email ("Jo (jo@x.org)"). */
void feed_person_parse(struct feed_person *p, const char *s);
/* Set a text field not set before from s[0..n) (n 0: ""), cut on a
 * character boundary to the builder's max_text with a note. */
void feed_builder_set_text(struct feed_builder *fb, struct feed_text *t,
                           const char *s, size_t n, enum feed_text_type type);
void feed_text_clear(struct feed_text *t);
void feed_entry_clear(struct feed_entry *e);
struct feed_enclosure *feed_entry_add_enclosure(struct feed_entry *e);
struct feed_text *feed_entry_add_content(struct feed_entry *e);
/* Fill t->text from t->raw and t->type. */
void feed_text_finish(struct feed_text *t, size_t max_text);

/* What feed_xml_prepare did. */
struct feed_xml_prep {
	long cdata;    /* text runs decoded (as CDATA sections or taken) */
	long bare_amp; /* '&' that began no reference, escaped */
	long bare_lt;  /* '<' in text that began no markup, escaped */
};

/* Receives the rewritten document in order, in pieces; nonzero stops. */
typedef int (*feed_xml_sink)(void *ctx, const char *s, size_t n);

/* Offered the characters of a run of content (escaped text with its
 * references decoded, or a CDATA section's) once everything before it has
 * gone to the sink: returns 1 when it took them as the parser's character
 * data, 0 to have them written into the document instead. */
typedef int (*feed_xml_text_fn)(void *ctx, const char *s, size_t n);

/* Rewrite an XML document for libxml2 (fetch/feed_xmlprep.c): escaped
 * text as CDATA, bare '&' and '<' escaped; the result goes to sink.
 * Returns 0, or 1 when the sink stopped it. */
int feed_xml_prepare(const char *data, size_t n, feed_xml_sink sink, void *ctx,
                     struct feed_xml_prep *res);

/* The same pass fed in pieces: what a piece leaves unfinished (a tag, a
 * text run) waits for the next. take_text (may be NULL) is offered the
 * text runs and CDATA sections; what it takes leaves the document (an
 * empty comment keeps its line breaks). ctx goes to sink and take_text. */
struct feed_xml_prepper *
feed_xml_prepper_new(feed_xml_sink sink, feed_xml_text_fn take_text, void *ctx);
/* Rewrite data[0..n), the document's next piece. Returns 0, or 1 once the
 * sink stopped it (later pieces are then ignored). */
int feed_xml_prepper_push(struct feed_xml_prepper *p, const char *data,
                          size_t n);
/* The document ended: rewrite what waits and report in res. Returns as
 * feed_xml_prepper_push. */
int feed_xml_prepper_finish(struct feed_xml_prepper *p,
                            struct feed_xml_prep *res);
void feed_xml_prepper_free(struct feed_xml_prepper *p);

/* The XML parse fed in pieces (fetch/feed_xml.c): begin, push the UTF-8
 * document in any pieces, end. feed_xml_begin returns NULL (err says why)
 * when libxml2 cannot start; feed_xml_end returns as feed_xml_parse and
 * frees the state. */
struct xml_state;
struct xml_state *feed_xml_begin(struct feed_builder *fb, struct buf *err);
void feed_xml_push(struct xml_state *st, const char *data, size_t n);
MUST_CHECK int feed_xml_end(struct xml_state *st, struct buf *err);
/* Free st without ending the document (no entry is completed). */
void feed_xml_free(struct xml_state *st);

/* The format parsers: the document into fb's feed. ERR_OK, or an ERR_*
 * code with err saying why, as feed_parse returns. */
MUST_CHECK int feed_xml_parse(struct feed_builder *fb, const char *data,
                              size_t n, struct buf *err);
MUST_CHECK int feed_json_parse(struct feed_builder *fb, const char *data,
                               size_t n, struct buf *err);

#endif
