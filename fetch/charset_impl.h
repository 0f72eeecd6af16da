#ifndef AIDIGEST_CHARSET_IMPL_H
#define AIDIGEST_CHARSET_IMPL_H

/* Internal to fetch/charset*.c. Not a public header. */

#include <stddef.h>

/* Bytes at the start of s[0..n), ending on a character's start, checked
 * sixteen at a time to be valid UTF-8 of XML's characters
 * (fetch/charset_blocks.c); 0 where the CPU cannot, or at once. What
 * follows is for a byte-at-a-time check to read. */
size_t charset_clean_blocks(const unsigned char *s, size_t n);

#endif
