#ifndef AIDIGEST_DATE_H
#define AIDIGEST_DATE_H

#include <stdint.h>

#include "common/err.h"

/* The one date parser: every form feeds and APIs write dates in.
 *
 * Accepted: RFC 822/1123/2822 in real-world forms (day names optional,
 * zone names such as EST/PDT/MET/MEST/AT/ET/Etc/GMT/GMT-01:01, 2-digit years,
 * missing seconds, no time at all, extra spaces and commas); asctime; RFC 3339
 * / W3CDTF / ISO 8601 (fractional seconds, year-only and year-month, basic and
 * truncated 2-digit-year forms such as 031231, -0312, 03335, ordinal days);
 * Korean CMS forms (2024-05-01 09:00:00, 2004년 05월 28일 01:31:15, 오전/오후);
 * Greek day and month names; 2006/09/15-style dates; Hungarian month names;
 * Unix seconds written as 9 or more digits.
 *
 * tz_offset_sec is the zone (seconds east of UTC) of a date written without
 * one; Korean-format dates (년/월/일, 오전/오후) without a zone are KST.
 * 2-digit years 00-49 are 20xx, 50-99 19xx; second 60 reads as 59; five
 * digits are YYDDD only with a leading 0 (03335), else a too-long year.
 * Strings over 256 bytes are rejected.
 * Returns 0 and sets *out to UTC seconds within 0000-01-01..9999-12-31, or
 * ERR_PARSE when s is not a date (out of range fields, garbage, empty): an
 * unknown date stays unknown. */
MUST_CHECK int date_parse(const char *s, int tz_offset_sec, int64_t *out);

/* Parse a zone offset as "+09:00", "-0500", "+9", "Z", "UTC", "GMT" or
 * another zone name date_parse knows, into seconds east of UTC. Returns 0,
 * or ERR_PARSE when s is not an offset. */
MUST_CHECK int date_parse_offset(const char *s, int *out);

/* Days: a calendar date YYYY-MM-DD read in a zone (seconds east of UTC),
 * as the digest's day is. */
#define DATE_DAY_LEN 11 /* "YYYY-MM-DD" and its NUL */

/* The day UTC time t falls on in the zone, as YYYY-MM-DD (years outside
 * 0000-9999 clamped as time_format_utc does). */
void date_format_day(int64_t t, int tz_offset_sec, char out[DATE_DAY_LEN]);

/* The window of the day `day` in the zone: [*from, *to) in UTC seconds,
 * 86400 seconds long. day is exactly ten characters, YYYY-MM-DD with
 * digits only, a real date from 1970 on. Returns 0, or ERR_PARSE (nothing
 * set) when day is not such a date. */
MUST_CHECK int date_day_window(const char *day, int tz_offset_sec,
                               int64_t *from, int64_t *to);

#endif
