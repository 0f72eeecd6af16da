#include "common/utf8.h"

#include <string.h>

size_t utf8_encode(uint32_t cp, char out[4])
{
	unsigned char *o = (unsigned char *)out;

	if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		cp = UTF8_REPLACEMENT;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c = u[0], min;
	size_t len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		c &= 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		c &= 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		*cp = UTF8_REPLACEMENT;
		return 1;
	}
	if (n < len) {
		*cp = UTF8_REPLACEMENT;
		return 1;
	}
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*cp = UTF8_REPLACEMENT;
			return 1;
		}
		c = (c << 6) | (u[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
		*cp = UTF8_REPLACEMENT;
		return 1;
	}
	*cp = c;
	return len;
}

size_t utf8_valid_prefix(const char *s, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;
	uint64_t w;

	while (i < n) {
		/* ASCII eight bytes at a time */
		if (n - i >= 8) {
			memcpy(&w, s + i, 8);
			if ((w & UINT64_C(0x8080808080808080)) == 0) {
				i += 8;
				continue;
			}
		}
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		k = utf8_decode(s + i, n - i, &cp);
		if (cp == UTF8_REPLACEMENT && k == 1)
			break;
		i += k;
	}
	return i;
}

long utf8_sanitize_append(struct buf *out, const char *s, size_t n)
{
	static const char repl[] = "\xEF\xBF\xBD";
	long replaced = 0;
	size_t i = 0, ok;

	while (i < n) {
		ok = utf8_valid_prefix(s + i, n - i);
		if (buf_append(out, s + i, ok))
			return -1;
		i += ok;
		if (i < n) {
			if (buf_append(out, repl, 3))
				return -1;
			replaced++;
			i++;
		}
	}
	return replaced;
}

int utf8_append_cut(struct buf *out, const char *s, size_t max)
{
	struct buf clean = BUF_INIT(0);
	size_t n;
	int err = 0;

	/* sanitize a little more than needed, then cut what it gave */
	utf8_sanitize_append(&clean, s, strnlen(s, max + 4));
	n = utf8_valid_prefix(buf_cstr(&clean),
	                      clean.len < max ? clean.len : max);
	if (buf_append(out, buf_cstr(&clean), n) != BUF_OK)
		err = BUF_ERR_CAP;
	buf_free(&clean);
	return err;
}

size_t utf8_prefix_bytes(const char *s, size_t max_cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n = 0;

	while (u[i] && n < max_cp) {
		i++;
		while ((u[i] & 0xC0) == 0x80)
			i++;
		n++;
	}
	return i;
}

size_t utf8_count(const char *s, size_t n)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

size_t utf8_control_len(const char *s, size_t n)
{
	unsigned char c = (unsigned char)s[0];

	if (n == 0)
		return 0;
	if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F)
		return 1;
	if (c == 0xC2 && n > 1 && (unsigned char)s[1] >= 0x80 &&
	    (unsigned char)s[1] <= 0x9F)
		return 2;
	return 0;
}

int utf8_append_visible(struct buf *out, const char *s, size_t n)
{
	size_t i = 0, run = 0, k;

	while (i + run < n) {
		k = utf8_control_len(s + i + run, n - i - run);
		if (k == 0) {
			run++;
			continue;
		}
		if (buf_append(out, s + i, run) != BUF_OK)
			return BUF_ERR_CAP;
		i += run + k;
		run = 0;
	}
	return buf_append(out, s + i, run);
}
