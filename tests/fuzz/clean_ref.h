#ifndef AIDIGEST_TESTS_CLEAN_REF_H
#define AIDIGEST_TESTS_CLEAN_REF_H

/* The reference the UTF-8 cleaning of fetch/charset.c is held to, a
 * character at a time (tests/test_charset.c, tests/fuzz/fuzz_charset.c):
 * every invalid sequence a U+FFFD, every character XML forbids gone. */

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/utf8.h"

static inline void clean_ref_utf8(const char *s, size_t n, struct buf *out)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		k = utf8_decode(s + i, n - i, &cp);
		if (cp == UTF8_REPLACEMENT && k == 1)
			buf_puts(out, "\xEF\xBF\xBD");
		else if (cp == 0x9 || cp == 0xA || cp == 0xD ||
		         (cp >= 0x20 && cp <= 0xD7FF) ||
		         (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000)
			buf_append(out, s + i, k);
		i += k;
	}
}

#endif
