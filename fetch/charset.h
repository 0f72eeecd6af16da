#ifndef AIDIGEST_CHARSET_H
#define AIDIGEST_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "common/err.h"

#define CHARSET_NAME_MAX 40

/* charset_to_utf8's answers: CHARSET_UNKNOWN is no failure (the text was
 * read as UTF-8, and is there); CHARSET_ERR_CAP is ERR_LIMIT. */
enum { CHARSET_OK = ERR_OK, CHARSET_UNKNOWN = 1, CHARSET_ERR_CAP = ERR_LIMIT };

/* What is known of a document's character encoding. */
struct charset_info {
	/* The encoding, lower-case, as feedparser names it: "utf-8",
	 * "us-ascii", "iso-8859-1", "windows-1252", "gb18030" (for gb2312),
	 * "big5", "euc-kr", "utf-16be", "utf-32le", ... */
	char name[CHARSET_NAME_MAX];
	/* Where it came from: "http", "bom", "xml", "default", "sniff". */
	const char *source;
	/* The HTTP media type was given and is not an XML type (text/plain,
	 * text/html): feedparser flags this document as bozo. */
	bool media_type_not_xml;
};

/* Decide the encoding of the feed document data[0..n) as feedparser does
 * (RFC 3023). content_type is the HTTP Content-Type value, or NULL. With
 * an application/ XML type (xml, xml-*, *+xml) its charset parameter wins,
 * else the document decides; with a text/ XML type the charset wins, else
 * "us-ascii"; with any other type media_type_not_xml is set and the charset
 * wins, else the document decides. The document: a byte order mark, the
 * UTF-16/32 byte pattern of "<", the XML declaration's encoding, "utf-8". */
void charset_detect(const char *data, size_t n, const char *content_type,
                    struct charset_info *ci);

/* Convert data[0..n) to clean UTF-8 that libxml2 takes as it is: the BOM
 * dropped, invalid or truncated sequences as U+FFFD, characters XML forbids
 * (C0 controls but TAB LF CR, U+FFFE, U+FFFF) removed. encoding is any name
 * charset_detect gives or a label servers send: euc-kr is read as its
 * superset cp949, gb2312 as gb18030, iso-8859-1 as windows-1252, us-ascii
 * as UTF-8 when valid, else windows-1252; a BOM or UTF-16/32 pattern in the
 * data beats the label. *text, *text_len get the result: a pointer into
 * data when it was clean already (no copy), else into out (reset first;
 * it needs up to 3 bytes per input byte). *replaced (may be NULL) counts
 * replacements and removals. Returns CHARSET_OK; CHARSET_UNKNOWN when the
 * encoding is unknown (read as UTF-8); CHARSET_ERR_CAP at out's cap, with
 * *text NULL. */
MUST_CHECK int charset_to_utf8(const char *data, size_t n, const char *encoding,
                               struct buf *out, const char **text,
                               size_t *text_len, long *replaced);

/* Whether charset_to_utf8 reads a document beginning with data[0..n)
 * (its first CHARSET_DECL_MAX bytes or more, or all of it) in `encoding`
 * as UTF-8, cleaning it without deciding anything from later bytes: then
 * charset_utf8_push gives the same text piece by piece. *bom gets the
 * length of the byte order mark to skip. */
bool charset_reads_as_utf8(const char *data, size_t n, const char *encoding,
                           size_t *bom);

/* UTF-8 cleaned as charset_to_utf8 cleans it, fed in pieces. */
struct charset_utf8_stream {
	char pending[4]; /* a character the last piece cut, so far */
	size_t npending;
	long replaced; /* replacements and removals so far */
};

/* Receives clean UTF-8 in runs, in order. */
typedef void (*charset_emit_fn)(void *ctx, const char *s, size_t n);

/* Clean the next piece s[0..n) (last: no piece follows) and hand it to
 * emit: runs of the piece itself where it is clean, U+FFFD where it is
 * invalid. A character cut at the piece's end waits for the next. u
 * starts zeroed. */
void charset_utf8_push(struct charset_utf8_stream *u, const char *s, size_t n,
                       bool last, charset_emit_fn emit, void *ctx);

#endif
