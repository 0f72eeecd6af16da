#ifndef AIDIGEST_TEXT_H
#define AIDIGEST_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Feed and LLM text made fit for the judges, the writer and the post.
 * Inputs are any bytes (NULL reads as "" where noted); results are new
 * strings the caller frees, valid UTF-8, cut by code point. */

/* text cut to max_cp code points, invisible and bidirectional control
 * characters removed (NULL: ""). */
char *text_clean(const char *text, size_t max_cp);

/* Cleaned as text_clean, URLs removed, white space squeezed, cut to
 * max_cp (NULL: ""). */
char *text_tidy(const char *s, size_t max_cp);

/* s (valid UTF-8) cut to at most max_cp code points: after a sentence in
 * the last half when there is one, else at a space there (or mid-word)
 * with "…". */
char *text_cut(const char *s, size_t max_cp);

/* The first sentence of text, with the second when the first is short;
 * cut to max_cp. "" for no text. */
char *text_lead(const char *text, size_t max_cp);

/* text without a leading copy of the title (tweets repeat it), when the
 * title ends where a sentence does and enough text follows; a pointer
 * into text. */
const char *text_after_title(const char *text, const char *title);

/* Remove URLs from text, in place: markdown links and images keep their
 * label, <autolinks> go whole, bare http://, https:// and www. addresses
 * go up to their end (sentence punctuation stays); after a removal, the
 * brackets left empty and the doubled spaces are tidied. */
void text_strip_urls(char *text);

/* Whether term occurs in text, ASCII case-insensitively, not inside a
 * longer ASCII word ("AI" is not in "said"; "Transformer" is in
 * "Transformer를"). */
bool text_has_term(const char *text, const char *term);

/* Whether s has a Hangul syllable or jamo. */
bool text_has_hangul(const char *s);

#endif
