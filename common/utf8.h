#ifndef AIDIGEST_UTF8_H
#define AIDIGEST_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

#define UTF8_REPLACEMENT 0xFFFDu

/* Encode one code point (surrogates and values past U+10FFFF become U+FFFD);
 * returns the bytes written to out (1-4). */
size_t utf8_encode(uint32_t cp, char out[4]);

/* Decode the sequence at s (n > 0 bytes available). Returns the bytes it
 * takes (>= 1); *cp is U+FFFD for an invalid or truncated sequence, which
 * then takes one byte (overlong forms and surrogates are invalid). */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Length of the longest valid UTF-8 prefix of s[0..n). */
size_t utf8_valid_prefix(const char *s, size_t n);

/* Append s[0..n) to out with every invalid sequence replaced by U+FFFD.
 * Returns the number of replacements, or -1 when out's cap was reached. */
long utf8_sanitize_append(struct buf *out, const char *s, size_t n);

/* Append at most max bytes of s (NUL-terminated, any bytes) to out as
 * valid UTF-8, cut on a character boundary: for quoting input in messages.
 * Returns 0, or BUF_ERR_CAP (nothing appended) when out's cap was reached,
 * as the buf_ appends do. */
int utf8_append_cut(struct buf *out, const char *s, size_t max);

/* Bytes in the first max_cp code points of the NUL-terminated valid UTF-8
 * string s: the place to cut it without splitting a character. */
size_t utf8_prefix_bytes(const char *s, size_t max_cp);

/* Number of code points in valid UTF-8 s[0..n). */
size_t utf8_count(const char *s, size_t n);

/* The bytes of a control character at s[0..n) that people must not get
 * raw (it could move a terminal's cursor, set its title, hide text): C0
 * but tab and line feed, DEL, and C1 (U+0080-U+009F); 0 when s starts
 * with none. A lone 0xC2 at the end of s is not one yet. */
size_t utf8_control_len(const char *s, size_t n);

/* Append s[0..n) to out without those control characters. Returns 0, or
 * BUF_ERR_CAP when out's cap was reached. */
int utf8_append_visible(struct buf *out, const char *s, size_t n);

#endif
