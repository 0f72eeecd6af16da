#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/timeutil.h"
#include "common/utf8.h"
#include "tests/check.h"
#include "tests/tests.h"

static void test_buf(void)
{
	struct buf b = BUF_INIT(8);
	char *s;

	CHECK_STR(buf_cstr(&b), "");
	CHECK_INT(buf_puts(&b, "abcd"), BUF_OK);
	CHECK_INT(buf_printf(&b, "%d", 123), BUF_OK);
	CHECK_STR(buf_cstr(&b), "abcd123");
	/* over the cap: nothing is appended */
	CHECK_INT(buf_puts(&b, "xy"), BUF_ERR_CAP);
	CHECK_STR(buf_cstr(&b), "abcd123");
	CHECK_INT(buf_putc(&b, 'z'), BUF_OK);
	CHECK_INT(buf_putc(&b, 'z'), BUF_ERR_CAP);
	CHECK_INT(b.len, 8);
	buf_truncate(&b, 2);
	CHECK_STR(buf_cstr(&b), "ab");
	buf_truncate(&b, 5);
	CHECK_STR(buf_cstr(&b), "ab");
	s = buf_detach(&b);
	CHECK_STR(s, "ab");
	CHECK(b.data == NULL && b.len == 0);
	free(s);

	buf_init(&b, 0);
	for (int i = 0; i < 10000; i++)
		buf_putc(&b, 'a' + i % 26);
	CHECK_INT(b.len, 10000);
	CHECK_INT(strlen(buf_cstr(&b)), 10000);
	buf_reset(&b);
	CHECK_STR(buf_cstr(&b), "");
	buf_free(&b);
	buf_free(&b);
	s = buf_detach(&b);
	CHECK_STR(s, "");
	free(s);
}

static void test_utf8(void)
{
	char out[4];
	uint32_t cp;
	struct buf b = BUF_INIT(0);

	CHECK_INT(utf8_encode('A', out), 1);
	CHECK_INT(utf8_encode(0xB144, out), 3); /* 년 */
	CHECK(memcmp(out, "\xEB\x85\x84", 3) == 0);
	CHECK_INT(utf8_encode(0x1F916, out), 4);
	CHECK_INT(utf8_encode(0xD800, out), 3); /* surrogate -> U+FFFD */
	CHECK(memcmp(out, "\xEF\xBF\xBD", 3) == 0);

	CHECK_INT(utf8_decode("\xEB\x85\x84", 3, &cp), 3);
	CHECK_INT(cp, 0xB144);
	CHECK_INT(utf8_decode("\xC0\xAF", 2, &cp), 1); /* overlong */
	CHECK_INT(cp, UTF8_REPLACEMENT);
	CHECK_INT(utf8_decode("\xED\xA0\x80", 3, &cp), 1); /* surrogate */
	CHECK_INT(cp, UTF8_REPLACEMENT);
	CHECK_INT(utf8_decode("\xEB\x85", 2, &cp), 1); /* truncated */
	CHECK_INT(cp, UTF8_REPLACEMENT);
	CHECK_INT(utf8_decode("\xF4\x90\x80\x80", 4, &cp), 1); /* > 10FFFF */

	CHECK_INT(utf8_valid_prefix("ab\xEB\x85\x84"
	                            "c",
	                            6),
	          6);
	CHECK_INT(utf8_valid_prefix("ab\xFF"
	                            "c",
	                            4),
	          2);
	CHECK_INT(utf8_valid_prefix("ab\xEB\x85", 4), 2);

	CHECK_INT(utf8_sanitize_append(&b,
	                               "a\xFF"
	                               "b\xEB\x85",
	                               5),
	          3);
	CHECK_STR(buf_cstr(&b), "a\xEF\xBF\xBD"
	                        "b\xEF\xBF\xBD\xEF\xBF\xBD");
	buf_free(&b);

	/* quoting input in a message: valid, and cut between characters */
	buf_init(&b, 0);
	CHECK_INT(utf8_append_cut(&b, "한국어", 7), 0);
	CHECK_STR(buf_cstr(&b), "한국");
	buf_reset(&b);
	utf8_append_cut(&b,
	                "a\xFF"
	                "b",
	                10);
	CHECK_STR(buf_cstr(&b), "a\xEF\xBF\xBD"
	                        "b");
	buf_reset(&b);
	utf8_append_cut(&b, "abc", 2);
	CHECK_STR(buf_cstr(&b), "ab");
	buf_free(&b);

	/* cutting Korean by code point, never inside a character */
	CHECK_INT(utf8_prefix_bytes("한국어", 2), 6);
	CHECK_INT(utf8_prefix_bytes("한국어", 10), 9);
	CHECK_INT(utf8_prefix_bytes("ab", 0), 0);
	CHECK_INT(utf8_count("한국어 AI", 12), 6);
}

static void test_time(void)
{
	struct civil_time c = {2024, 2, 29, 23, 59, 59};
	char s[TIME_UTC_LEN];
	int64_t t;

	CHECK(time_is_leap_year(2000));
	CHECK(!time_is_leap_year(1900));
	CHECK(time_is_leap_year(2024));
	CHECK_INT(time_days_in_month(2023, 2), 28);
	CHECK_INT(time_days_in_month(2024, 2), 29);
	CHECK_INT(time_days_in_month(2024, 13), 0);
	CHECK_INT(time_days_from_civil(1970, 1, 1), 0);
	CHECK_INT(time_days_from_civil(1969, 12, 31), -1);

	t = time_from_civil(&c);
	CHECK_INT(t, 1709251199);
	time_format_utc(t, s);
	CHECK_STR(s, "2024-02-29T23:59:59Z");
	time_to_civil(t + 1, &c);
	CHECK_INT(c.month, 3);
	CHECK_INT(c.day, 1);

	time_format_utc(-1, s);
	CHECK_STR(s, "1969-12-31T23:59:59Z");
	c = (struct civil_time){99, 12, 31, 23, 0, 1};
	time_format_utc(time_from_civil(&c), s);
	CHECK_STR(s, "0099-12-31T23:00:01Z");
	time_format_utc(INT64_C(400000000000), s); /* past year 9999 */
	CHECK_STR(s, "9999-12-31T23:59:59Z");
}

void test_common(void)
{
	test_buf();
	test_utf8();
	test_time();
}
