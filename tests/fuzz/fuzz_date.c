#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/timeutil.h"
#include "common/date.h"

/* libFuzzer target for date_parse and date_parse_offset. The first two
 * input bytes choose the zone of dates written without one; the rest,
 * NUL-terminated, is the string. Any broken invariant aborts. */

#define DATE_TZ_BYTES 2
#define DATE_MAX_INPUT 256 /* date_parse rejects longer strings */
#define MINUTE 60
#define DAY 86400
/* The widest offset date_parse_offset can return: GMT-23:59. */
#define DATE_MAX_OFFSET (23 * 3600 + 59 * MINUTE)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int64_t date_min_utc, date_max_utc;

static void date_fail(const char *s, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void date_fail(const char *s, const char *fmt, ...)
{
	va_list ap;

	fputs("fuzz_date: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n  input: \"%s\"\n", s);
	abort();
}

/* Seconds east of UTC from two big-endian bytes read as a signed count of
 * minutes, folded into what date_parse_offset can return; 0x0000 is UTC
 * and 0x021C is KST. */
static int date_tz_from(const uint8_t *p)
{
	int v = p[0] << 8 | p[1];

	if (v >= 0x8000)
		v -= 0x10000;
	return v % (24 * 60) * MINUTE;
}

/* A time date_parse returned: inside 0000..9999, written by
 * time_format_utc without clamping, and read back as the same instant. */
static void date_check_time(const char *s, int tz, int64_t t)
{
	struct civil_time c;
	char utc[TIME_UTC_LEN], *end;
	int64_t back;
	long year;

	if (t < date_min_utc || t > date_max_utc)
		date_fail(s, "time %lld (tz %d) is outside 0000..9999",
		          (long long)t, tz);
	time_to_civil(t, &c);
	if (c.year < 0 || c.year > 9999)
		date_fail(s, "time %lld has year %d", (long long)t, c.year);
	time_format_utc(t, utc);
	year = strtol(utc, &end, 10);
	if (end != utc + 4 || year != c.year)
		date_fail(s, "time %lld is written as %s, year %d",
		          (long long)t, utc, c.year);
	if (date_parse(utc, tz, &back) != 0 || back != t)
		date_fail(s,
		          "time %lld is written as %s, which does not read "
		          "back (tz %d)",
		          (long long)t, utc, tz);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const struct civil_time lo = {0, 1, 1, 0, 0, 0};
	const struct civil_time hi = {9999, 12, 31, 23, 59, 59};

	(void)argc;
	(void)argv;
	date_min_utc = time_from_civil(&lo);
	date_max_utc = time_from_civil(&hi);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t t = 0, t_utc = 0, again = 0, near;
	int tz, r, r_utc, offset = 0;
	size_t len;
	char *s;

	if (size < DATE_TZ_BYTES)
		return 0;
	tz = date_tz_from(data);
	len = size - DATE_TZ_BYTES;
	s = malloc(len + 1);
	if (!s)
		abort();
	memcpy(s, data + DATE_TZ_BYTES, len);
	s[len] = '\0';

	r = date_parse(s, tz, &t);
	if (r != 0 && r != ERR_PARSE)
		date_fail(s, "date_parse returned %d", r);
	if (r == 0 && strlen(s) > DATE_MAX_INPUT)
		date_fail(s, "a string of %zu bytes was read as a date",
		          strlen(s));
	if (r == 0)
		date_check_time(s, tz, t);
	if (date_parse(s, tz, &again) != r || (r == 0 && again != t))
		date_fail(s, "two parses disagree");

	/* The zone given for dates without one moves the result by exactly
	 * that zone, or (the date names its own) not at all. It decides
	 * whether a date is valid only within a day of the range ends. */
	r_utc = date_parse(s, 0, &t_utc);
	if (r_utc == 0)
		date_check_time(s, 0, t_utc);
	if (r == 0 && r_utc == 0 && t_utc != t && t_utc - t != tz)
		date_fail(s, "tz %d moved %lld to %lld", tz, (long long)t_utc,
		          (long long)t);
	if ((r == 0) != (r_utc == 0)) {
		near = r == 0 ? t : t_utc;
		if (near - date_min_utc > DAY && date_max_utc - near > DAY)
			date_fail(s, "valid with tz %d: %s, with tz 0: %s", tz,
			          r == 0 ? "yes" : "no",
			          r_utc == 0 ? "yes" : "no");
	}

	r = date_parse_offset(s, &offset);
	if (r != 0 && r != ERR_PARSE)
		date_fail(s, "date_parse_offset returned %d", r);
	if (r == 0 && (offset % MINUTE != 0 || offset < -DATE_MAX_OFFSET ||
	               offset > DATE_MAX_OFFSET))
		date_fail(s, "offset %d is not whole minutes within a day",
		          offset);
	free(s);
	return 0;
}
