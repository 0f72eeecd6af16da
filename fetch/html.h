#ifndef AIDIGEST_HTML_H
#define AIDIGEST_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"

/* Append the plain text of the HTML fragment html[0..n) to out: tags
 * removed, block elements (address article aside blockquote br dd div dl dt
 * figcaption figure footer form h1-h6 header hr li main nav ol p pre section
 * table tbody td tfoot th thead tr ul) as a space, script and style content
 * and comments dropped, character references decoded as HTML5 does (named,
 * decimal, hex; &#146; is U+2019 by the windows-1252 rule; invalid ones kept
 * as text), whitespace runs collapsed to one space, leading and trailing
 * whitespace removed. Input must be UTF-8. Returns 0, or BUF_ERR_CAP. */
int html_to_text(const char *html, size_t n, struct buf *out);

/* Append text[0..n) with whitespace runs collapsed to one space and the ends
 * trimmed (for plain-text values). Returns 0, or BUF_ERR_CAP. */
int text_collapse_space(const char *text, size_t n, struct buf *out);

/* The UTF-8 expansion of an HTML5 named character reference, name without
 * '&' and ';' (e.g. "eacute"), or NULL when there is none. Static storage. */
const char *html_entity_lookup(const char *name, size_t n);

/* Whether s[0..n) looks like HTML rather than plain text: it contains a
 * known HTML element tag (<p>, </b>, <br/>, ...) or a character reference
 * (&amp; &#39; &eacute;). Used to guess the type of RSS text. */
bool html_looks_like(const char *s, size_t n);

#endif
