#ifndef AIDIGEST_ESCAPE_H
#define AIDIGEST_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "common/err.h"

/* Escaping by construction: one function per place text can land. Each
 * appends s[0..n) to out and returns 0, or BUF_ERR_CAP with out left as
 * it was. Each fits mustache_escape_fn. */

/* HTML text and attribute values: & < > " ' (the Mustache spec's set). */
int escape_html(struct buf *out, const char *s, size_t n);

/* Markdown inline text (CommonMark, and GFM's tables and strikethrough):
 * backslash-escape the ASCII punctuation that can start or end markup
 * (\\ ` * _ { } [ ] < > ( ) # + - . ! | ~ & =), so feed text renders
 * through cmark as itself: no emphasis, links, HTML, entities, headings,
 * setext lines, quotes or list items. Whitespace (newlines too) becomes
 * spaces and is trimmed at both ends, so no line break or code block can
 * start; other bytes, Korean included, are kept. */
int escape_markdown(struct buf *out, const char *s, size_t n);

/* A YAML scalar: always one double-quoted line, with \\ \" \n \t \r, other
 * C0 controls and DEL as \xHH, NEL, LS and PS as \uXXXX, invalid UTF-8
 * as \uFFFD, so no value can end the scalar, the document ("---") or add
 * a key. Other UTF-8 is kept. */
int escape_yaml(struct buf *out, const char *s, size_t n);

/* No escaping. */
int escape_none(struct buf *out, const char *s, size_t n);

/* A link target for markdown: only absolute http(s) URLs with a host
 * (scheme in any case); space, ( ) < > " ' ` \\, control characters and
 * non-ASCII bytes percent-encoded (an existing %XX is kept). Returns 0;
 * ERR_PARSE (appending nothing) for any other URL, NULL, relative,
 * javascript: or data:; ERR_LIMIT (appending nothing) over out's cap. */
MUST_CHECK int escape_url(struct buf *out, const char *url);

#endif
