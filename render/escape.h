#ifndef AIDIGEST_ESCAPE_H
#define AIDIGEST_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"

/* Escaping by construction: one function per place text can land. Each
 * appends s[0..n) to out and returns 0, or BUF_ERR_CAP. */

/* HTML text and attribute values: & < > " ' (the Mustache spec's set). */
int escape_html(struct buf *out, const char *s, size_t n);

/* Markdown inline text (CommonMark): backslash-escape the ASCII
 * punctuation that can start or end markup (\ ` * _ { } [ ] < > ( ) # +
 * - . ! | ~), so a feed's text renders as itself: no emphasis, links,
 * HTML, headings, quotes or list items. Newlines become spaces. */
int escape_markdown(struct buf *out, const char *s, size_t n);

/* A YAML scalar: always one double-quoted line, with \\ \" and control
 * characters escaped (\n, \t, \uXXXX), so no value can end the scalar,
 * the document ("---") or add a key. */
int escape_yaml(struct buf *out, const char *s, size_t n);

/* No escaping. */
int escape_none(struct buf *out, const char *s, size_t n);

/* A link target for markdown: only absolute http(s) URLs; spaces,
 * parentheses, < > and control characters percent-encoded. Appends it and
 * returns 0; returns -1 (appending nothing) for anything else. */
int escape_url(struct buf *out, const char *url);

#endif
