#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/utf8.h"
#include "fetch/charset.h"
#include "tests/fuzz/clean_ref.h"

/* Differential target for the UTF-8 cleaning of fetch/charset.c (sixteen
 * bytes at a time in fetch/charset_blocks.c where the CPU can): the text
 * charset_to_utf8 makes of any bytes read as UTF-8 must be what a
 * character-at-a-time reference makes, every invalid sequence a U+FFFD and
 * every character XML forbids gone; else it aborts. */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out = BUF_INIT(0), want = BUF_INIT(0);
	const char *text;
	size_t len;
	long replaced;

	/* a BOM or UTF-16 pattern would choose another decoder */
	if (size >= 2 && (data[0] == 0xFE || data[0] == 0xFF || data[0] == 0 ||
	                  data[1] == 0 || data[0] == 0xEF))
		return 0;
	clean_ref_utf8((const char *)data, size, &want);
	if (charset_to_utf8((const char *)data, size, "utf-8", &out, &text,
	                    &len, &replaced) != CHARSET_OK ||
	    len != want.len || memcmp(text, buf_cstr(&want), len) != 0) {
		fprintf(stderr, "fuzz_charset: cleaned otherwise\n");
		abort();
	}
	buf_free(&out);
	buf_free(&want);
	return 0;
}
