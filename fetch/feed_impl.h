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

/* uri resolved against base (NULL or "": uri as it is), as a new string
 * of valid UTF-8: bytes that make none are written %XX. */
char *feed_resolve_uri(const char *uri, const char *base);

/* What feed_xml_prepare did. */
struct feed_xml_prep {
	long cdata;    /* text runs decoded (as CDATA sections or taken) */
	long bare_amp; /* '&' that began no reference, escaped */
	long bare_lt;  /* '<' in text that began no markup, escaped */
	long markup;   /* element contents taken by take_markup */
};

/* Receives the rewritten document in order, in pieces; nonzero stops. */
typedef int (*feed_xml_sink)(void *ctx, const char *s, size_t n);

/* Offered the characters of a run of content (escaped text with its
 * references decoded, or a CDATA section's) once everything before it has
 * gone to the sink: returns 1 when it took them as the parser's character
 * data, 0 to have them written into the document instead. */
typedef int (*feed_xml_text_fn)(void *ctx, const char *s, size_t n);

/* Offered, after a start tag that names xhtml, the element's content:
 * s[0..n) is what the pass holds from there (final: up to the document's
 * end), and everything before it has gone to the sink. Returns the bytes
 * it took (the content up to the end tag that closes the element), 0 to
 * leave them to the parser, -1 when s[0..n) ends before the content does
 * (asked again with more); adds to *bare_amp the bare '&' it read. */
typedef long (*feed_xml_markup_fn)(void *ctx, const char *s, size_t n,
                                   bool final, long *bare_amp);

/* The reference at s (in [s, end)) as the pre-pass reads it: its length, 0
 * for a '&' that begins none; *cp its character for a predefined entity
 * or a numeric reference to a character XML allows but CR and LF, else
 * 0 (a named reference, or one to no such character). */
size_t feed_xml_reference(const char *s, const char *end, uint32_t *cp);

/* Reading inline XHTML without libxml2 (fetch/feed_xhtml.c). */
struct feed_xhtml_opts {
	bool skip_top;    /* the elements at depth 1 are not written (Atom's
	                   * wrapper div): their content is */
	size_t max_depth; /* deeper nesting is refused */
	size_t out_max;   /* writing stops past this many bytes of out */
	/* The text of the named reference `name`: never NULL. */
	const char *(*entity)(void *ctx, const char *name);
	void *ctx;
};

enum feed_xhtml_status {
	FEED_XHTML_TAKEN,   /* the content is in out; *used its bytes */
	FEED_XHTML_REFUSED, /* libxml2 must read it */
	FEED_XHTML_MORE     /* s[0..n) ends inside it (and final is false) */
};

/* Read s[0..n), an element's content up to the end tag that closes it
 * (valid UTF-8 of XML's characters, as fetch/charset.c leaves a document),
 * into out as HTML, as fetch/feed_xml.c writes libxml2's events of it;
 * refused at anything libxml2 would report or read otherwise. Adds the
 * bare '&' read to *bare_amp when taken. */
enum feed_xhtml_status feed_xhtml_read(const char *s, size_t n, bool final,
                                       const struct feed_xhtml_opts *o,
                                       struct buf *out, size_t *used,
                                       long *bare_amp);

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
/* Offer take to the contents of elements that may be inline XHTML; what
 * it takes leaves the document as take_text's runs do. */
void feed_xml_prepper_take_markup(struct feed_xml_prepper *p,
                                  feed_xml_markup_fn take);

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
