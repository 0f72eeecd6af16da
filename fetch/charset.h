#ifndef AIDIGEST_CHARSET_H
#define AIDIGEST_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"

#define CHARSET_NAME_MAX 40

enum { CHARSET_OK = 0, CHARSET_UNKNOWN = 1, CHARSET_ERR_CAP = -1 };

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

/* Decide the encoding of the feed document data[0..n), from (in order of
 * precedence): the charset parameter of the HTTP Content-Type header value
 * content_type (NULL when there is none; only for XML and text media
 * types), a byte order mark, the XML declaration's encoding, byte patterns
 * of UTF-16/32 without a BOM; else the RFC 3023 default: "us-ascii" for
 * text/ XML media types given without a charset, "utf-8" otherwise. */
void charset_detect(const char *data, size_t n, const char *content_type,
		    struct charset_info *ci);

/* Convert data[0..n), in the encoding named (any name charset_detect gives,
 * or any label real servers send: euc-kr is decoded as its superset cp949,
 * gb2312 as gb18030, iso-8859-1 and us-ascii as windows-1252/utf-8 as
 * browsers do), to clean UTF-8: the BOM dropped, invalid or truncated
 * sequences as U+FFFD, characters XML forbids (C0 controls but TAB LF CR,
 * U+FFFE, U+FFFF) removed. *text and *text_len are set to the result: a
 * pointer into data itself when it was already clean UTF-8 (nothing is
 * copied), else into out. *replaced counts the U+FFFD substitutions and
 * removals. Returns CHARSET_OK; CHARSET_UNKNOWN when the encoding is not
 * known (the data was then decoded as UTF-8; the caller notes it); or
 * CHARSET_ERR_CAP when out's cap was reached. */
int charset_to_utf8(const char *data, size_t n, const char *encoding,
		    struct buf *out, const char **text, size_t *text_len,
		    long *replaced);

#endif
