#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/utf8.h"
#include "fetch/html.h"

/* libFuzzer target for html_to_text and text_collapse_space; the whole
 * input is the fragment. Both are held to a plain byte-at-a-time model of
 * whitespace collapsing, which the block-scanning code must agree with.
 * Any broken invariant aborts. */

#define HTML_NAME_PROBE_MAX 40

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void html_fail(const char *fmt, ...)
        __attribute__((format(printf, 1, 2)));

static void html_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz_html: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* The whitespace html.h means: SPACE TAB LF VT FF CR. */
static bool html_is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The definition of collapsing: NUL bytes dropped, each whitespace run
 * one space, none at either end. */
static void model_collapse(const char *s, size_t n, struct buf *out)
{
	bool owed = false;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\0')
			continue;
		if (html_is_space(c)) {
			owed = true;
			continue;
		}
		if (owed && out->len)
			buf_putc(out, ' ');
		owed = false;
		buf_putc(out, (char)c);
	}
}

static bool same_bytes(const struct buf *a, const struct buf *b)
{
	return a->len == b->len &&
	       (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* Output of either function: collapsing it again changes nothing (no
 * NUL, no whitespace but single inner spaces), and valid UTF-8 in gives
 * valid UTF-8 out. */
static void check_output(const char *who, const struct buf *out,
                         bool input_valid)
{
	struct buf again = BUF_INIT(0);
	const char *text = buf_cstr(out);

	model_collapse(text, out->len, &again);
	if (!same_bytes(out, &again))
		html_fail("%s: output of %zu bytes is not collapsed (%zu "
		          "bytes once collapsed)",
		          who, out->len, again.len);
	if (input_valid && utf8_valid_prefix(text, out->len) != out->len)
		html_fail("%s: valid UTF-8 in, invalid out at byte %zu", who,
		          utf8_valid_prefix(text, out->len));
	buf_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *expansion;
	/* References expand at most 5 bytes into 6, a block tag is at least
	 * 3 bytes for one space: 4n is room enough. */
	struct buf full = BUF_INIT(4 * size + 64);
	struct buf cut = BUF_INIT(0), plain = BUF_INIT(4 * size + 64);
	struct buf model = BUF_INIT(0);
	bool valid = utf8_valid_prefix(s, size) == size;
	size_t len;
	int r;

	r = html_to_text(s, size, &full);
	if (r != BUF_OK)
		html_fail("html_to_text returned %d with room for %zu bytes", r,
		          full.max);
	check_output("html_to_text", &full, valid);

	/* Under a cap, the output is the part of the full one that fit:
	 * a prefix, and an error exactly when something did not fit. */
	buf_init(&cut, full.len / 2);
	if (cut.max == 0)
		cut.max = 1;
	r = html_to_text(s, size, &cut);
	if (r != (full.len > cut.max ? BUF_ERR_CAP : BUF_OK))
		html_fail("html_to_text returned %d for %zu bytes under a cap "
		          "of %zu",
		          r, full.len, cut.max);
	if (cut.len > cut.max || cut.len > full.len ||
	    (cut.len && memcmp(cut.data, full.data, cut.len) != 0))
		html_fail("under a cap of %zu, %zu bytes that are not a prefix "
		          "of the %zu",
		          cut.max, cut.len, full.len);

	r = text_collapse_space(s, size, &plain);
	if (r != BUF_OK)
		html_fail("text_collapse_space returned %d", r);
	check_output("text_collapse_space", &plain, valid);
	model_collapse(s, size, &model);
	if (!same_bytes(&plain, &model))
		html_fail("text_collapse_space gives %zu bytes, the model %zu",
		          plain.len, model.len);
	/* Without markup or references there is no HTML in it. */
	if (!memchr(s, '<', size) && !memchr(s, '&', size) &&
	    !same_bytes(&plain, &full))
		html_fail("plain text: html_to_text gives %zu bytes, "
		          "text_collapse_space %zu",
		          full.len, plain.len);

	(void)html_looks_like(s, size);
	len = size < HTML_NAME_PROBE_MAX ? size : HTML_NAME_PROBE_MAX;
	expansion = html_entity_lookup(s, len);
	if (expansion &&
	    (!*expansion || utf8_valid_prefix(expansion, strlen(expansion)) !=
	                            strlen(expansion)))
		html_fail("entity \"%.*s\" expands to invalid text", (int)len,
		          s);

	buf_free(&full);
	buf_free(&cut);
	buf_free(&plain);
	buf_free(&model);
	return 0;
}
