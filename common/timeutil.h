#ifndef AIDIGEST_TIMEUTIL_H
#define AIDIGEST_TIMEUTIL_H

#include <stdbool.h>
#include <stdint.h>

/* Proleptic Gregorian calendar arithmetic in UTC seconds, with no libc time
 * zone state (no TZ, no mktime). */

#define TIME_UTC_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" and its NUL */

struct civil_time {
	int year, month, day; /* month 1-12, day 1-31 */
	int hour, minute, second;
};

bool time_is_leap_year(int year);
int time_days_in_month(int year, int month);
/* Days since 1970-01-01 of a valid date. */
int64_t time_days_from_civil(int year, int month, int day);
/* UTC seconds of a civil time (fields must be in range). */
int64_t time_from_civil(const struct civil_time *c);
void time_to_civil(int64_t t, struct civil_time *c);
/* Write t as "YYYY-MM-DDTHH:MM:SSZ"; years outside 0-9999 are clamped. */
void time_format_utc(int64_t t, char out[TIME_UTC_LEN]);

#endif
