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

/* Markdown inline text, as CommonMark, Hugo's goldmark, Jekyll's kramdown
 * and Gatsby's remark read it: { } @ & as character references (&#123;
 * &#125; &#64; &amp;: template code runs before Markdown, and "@" makes
 * an e-mail link); a backslash before \\ ` * _ [ ] < > | ~, before
 * # + - = at the start, the "." or ")" of "1." or "1)", the ":" of "://"
 * and the "." of "www." (links made by themselves). Whitespace
 * becomes spaces, trimmed at both ends; other bytes, Korean included,
 * are kept. So the text renders as itself, no markup and no link. */
int escape_markdown(struct buf *out, const char *s, size_t n);

/* A YAML scalar: always one double-quoted line, with \\ \" \n \t \r, other
 * C0 controls and DEL as \xHH, NEL, LS and PS as \uXXXX, invalid UTF-8
 * as \uFFFD, so no value can end the scalar, the document ("---") or add
 * a key. Other UTF-8 is kept. */
int escape_yaml(struct buf *out, const char *s, size_t n);

/* No escaping. */
int escape_none(struct buf *out, const char *s, size_t n);

/* A link target for markdown: only absolute http(s) URLs with a host
 * (scheme in any case); space, ( ) < > " ' ` \\ { }, control characters,
 * non-ASCII bytes and a "%" that starts no %XX percent-encoded (an
 * existing %XX is kept; braces would be template code to Hugo and
 * Liquid). Returns 0; ERR_PARSE (appending nothing) for any other URL,
 * NULL, relative, javascript: or data:; ERR_LIMIT (appending nothing)
 * over out's cap. */
MUST_CHECK int escape_url(struct buf *out, const char *url);

#endif
