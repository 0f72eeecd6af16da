#include "common/timeutil.h"

bool time_is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int time_days_in_month(int year, int month)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30,
	                             31, 31, 30, 31, 30, 31};

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && time_is_leap_year(year))
		return 29;
	return days[month - 1];
}

/* Howard Hinnant's days_from_civil algorithm (public domain description). */
int64_t time_days_from_civil(int year, int month, int day)
{
	int64_t y = (int64_t)year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = (month + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

int64_t time_from_civil(const struct civil_time *c)
{
	return time_days_from_civil(c->year, c->month, c->day) * 86400 +
	       c->hour * 3600 + c->minute * 60 + c->second;
}

void time_to_civil(int64_t t, struct civil_time *c)
{
	int64_t days = t / 86400, secs = t % 86400;
	int64_t z, era, doe, yoe, y, doy, mp;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	c->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	c->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	c->year = (int)(y + (c->month <= 2));
	c->hour = (int)(secs / 3600);
	c->minute = (int)(secs / 60 % 60);
	c->second = (int)(secs % 60);
}

static void put_digits(char *out, int v, int width)
{
	while (width-- > 0) {
		out[width] = (char)('0' + v % 10);
		v /= 10;
	}
}

void time_format_utc(int64_t t, char out[TIME_UTC_LEN])
{
	struct civil_time c;

	time_to_civil(t, &c);
	if (c.year < 0)
		c = (struct civil_time){0, 1, 1, 0, 0, 0};
	else if (c.year > 9999)
		c = (struct civil_time){9999, 12, 31, 23, 59, 59};
	/* by hand: snprintf costs more than the rest of an entry's output */
	put_digits(out, c.year, 4);
	out[4] = '-';
	put_digits(out + 5, c.month, 2);
	out[7] = '-';
	put_digits(out + 8, c.day, 2);
	out[10] = 'T';
	put_digits(out + 11, c.hour, 2);
	out[13] = ':';
	put_digits(out + 14, c.minute, 2);
	out[16] = ':';
	put_digits(out + 17, c.second, 2);
	out[19] = 'Z';
	out[20] = '\0';
}
