#ifndef AIDIGEST_HTML_H
#define AIDIGEST_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"

/* Append the plain text of the HTML fragment html[0..n) to out: tags
 * removed, block elements (address article aside blockquote br dd div dl dt
 * figcaption figure footer form h1-h6 header hr li main nav ol p pre section
 * table tbody td tfoot th thead tr ul) as a space, script and style content
 * and comments dropped, CDATA content kept as text, character references
 * decoded as HTML5 does in text (named, the legacy ones such as "&copy" also
 * without ';'; decimal, hex; &#146; is U+2019 by the windows-1252 rule; 0,
 * surrogates and values past U+10FFFF are U+FFFD; invalid ones kept as
 * text), a '<' that opens no tag kept (so is a "<!x" or "<?x" that never
 * closes), NUL bytes dropped, runs of SPACE TAB LF CR FF VT collapsed to one
 * space, leading and trailing whitespace removed. Input must be UTF-8. One
 * pass, linear in n. Returns 0, or BUF_ERR_CAP: out then holds the part of
 * the text that fit. */
int html_to_text(const char *html, size_t n, struct buf *out);

/* Append text[0..n) with whitespace runs collapsed to one space, the ends
 * trimmed and NUL bytes dropped (for plain-text values). Returns 0, or
 * BUF_ERR_CAP with the part that fit appended. */
int text_collapse_space(const char *text, size_t n, struct buf *out);

/* The UTF-8 expansion of an HTML5 named character reference, name[0..n)
 * without '&' and ';' (e.g. "eacute"; case matters), or NULL when there is
 * none. Static storage. Binary search over fetch/html_entities.inc. */
const char *html_entity_lookup(const char *name, size_t n);

/* Whether s[0..n) looks like HTML rather than plain text: it contains a
 * tag of a known HTML element (<p>, </b>, <br/>, <a href=...>) or a
 * character reference (&amp; &#39; &#x27; &eacute;). Used to guess the type
 * of RSS text; "a < b", "AT&T" and "List<T>" are text. */
bool html_looks_like(const char *s, size_t n);

#endif
