#include "tests/tests.h"

#include "common/timeutil.h"
#include "common/date.h"
#include "tests/check.h"

#include <stdio.h>
#include <string.h>

#define HOUR 3600
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct date_case {
	const char *input;
	int tz_offset_sec; /* the zone of a date written without one */
	const char *want;  /* UTC, or NULL when the input must be rejected */
};

static const struct date_case date_cases[] = {
        /* RFC 822 / 2822 */
        {"Thu, 01 Jan 2004 19:48:21 GMT", 0, "2004-01-01T19:48:21Z"},
        {"Thu, 01 Jan 04 19:48:21 GMT", 0, "2004-01-01T19:48:21Z"},
        {"Fri, 01 Jan 99 19:48:21 GMT", 0, "1999-01-01T19:48:21Z"},
        {"Sat, 01 Jan 50 00:00:00 GMT", 0, "1950-01-01T00:00:00Z"},
        {"Sat, 01 Jan 49 00:00:00 GMT", 0, "2049-01-01T00:00:00Z"},
        {"Thu,  5 Apr 2012 10:00:00 GMT", 0, "2012-04-05T10:00:00Z"},
        {"5 Apr 2012 10:00:00 +0000", 0, "2012-04-05T10:00:00Z"},
        {"Thu, 01 Jan 2004 00:00 GMT", 0, "2004-01-01T00:00:00Z"},
        {"Thu, 01 Jan 2004", 0, "2004-01-01T00:00:00Z"},
        {"Thu, 01 Jan 2004", 2 * HOUR, "2003-12-31T22:00:00Z"},
        {"  Thu,   01  Jan   2004   10:00:00   UT  ", 0,
         "2004-01-01T10:00:00Z"},
        {"Mon, 13 Feb, 2012 06:28:00 UTC", 0, "2012-02-13T06:28:00Z"},
        {"Mon, 26 January 2004 16:31:00 EST", 0, "2004-01-26T21:31:00Z"},
        {"Mon, 26 Jan 2004 16:31:00 EDT", 0, "2004-01-26T20:31:00Z"},
        {"Mon, 26 Jan 2004 16:31:00 CST", 0, "2004-01-26T22:31:00Z"},
        {"Mon, 26 Jan 2004 16:31:00 CDT", 0, "2004-01-26T21:31:00Z"},
        {"Mon, 26 Jan 2004 16:31:00 MST", 0, "2004-01-26T23:31:00Z"},
        {"Mon, 26 Jan 2004 16:31:00 MDT", 0, "2004-01-26T22:31:00Z"},
        {"Mon, 26 Jan 2004 16:31:00 PST", 0, "2004-01-27T00:31:00Z"},
        {"Mon, 26 Jan 2004 16:31:00 pdt", 0, "2004-01-26T23:31:00Z"},
        {"Mon, 26 Jan 2004 16:31:00 AT", 0, "2004-01-26T20:31:00Z"},
        {"Mon, 26 Jan 2004 16:31:00 ET", 0, "2004-01-26T21:31:00Z"},
        {"Mon, 26 Jan 2004 16:31:00 CT", 0, "2004-01-26T22:31:00Z"},
        {"Mon, 26 Jan 2004 16:31:00 MT", 0, "2004-01-26T23:31:00Z"},
        {"Mon, 26 Jan 2004 16:31:00 PT", 0, "2004-01-27T00:31:00Z"},
        {"Thu, 30 Apr 2015 08:57:00 MET", 0, "2015-04-30T07:57:00Z"},
        {"Thu, 30 Apr 2015 08:57:00 MEST", 0, "2015-04-30T06:57:00Z"},
        {"Thu, 30 Apr 2015 08:57:00 KST", 0, "2015-04-29T23:57:00Z"},
        {"Wed, 19 Aug 2009 18:28:00 Etc/GMT", 0, "2009-08-19T18:28:00Z"},
        {"Wed, 19 Feb 2012 22:40:00 GMT-01:01", 0, "2012-02-19T23:41:00Z"},
        {"Wed, 19 Feb 2012 22:40:00 GMT+9", 0, "2012-02-19T13:40:00Z"},
        {"Wed, 19 Feb 2012 22:40:00 UTC+09:00", 0, "2012-02-19T13:40:00Z"},
        {"Wed, 19 Feb 2012 22:40:00 -01:01", 0, "2012-02-19T23:41:00Z"},
        {"Wed, 19 Feb 2012 22:40:00 +0530", 0, "2012-02-19T17:10:00Z"},
        {"Tue, 10 Jun 2003 04:00:00 +0000 (UTC)", 0, "2003-06-10T04:00:00Z"},
        {"Tue, 10 Jun 2003 04:00:00 Z", 5 * HOUR, "2003-06-10T04:00:00Z"},
        {"Thu, 01 Jan 0100 00:00:01 +0100", 0, "0099-12-31T23:00:01Z"},
        {"Sunday, 06-Nov-94 08:49:37 GMT", 0, "1994-11-06T08:49:37Z"},
        {"Tue, 1 Sept. 2015 7:05:09 GMT", 0, "2015-09-01T07:05:09Z"},
        {"Thu, 01 Jan 2004 12:00:00 AM", 0, "2004-01-01T00:00:00Z"},
        {"Thu, 01 Jan 2004 12:30:00 PM", 0, "2004-01-01T12:30:00Z"},
        {"Thu, 01 Jan 2004 1:30pm GMT", 0, "2004-01-01T13:30:00Z"},
        /* asctime and JavaScript-like forms */
        {"Sun Jan  4 16:29:06 2004", 0, "2004-01-04T16:29:06Z"},
        {"Sun Jan  4 16:29:06 2004", -5 * HOUR, "2004-01-04T21:29:06Z"},
        {"Sun Jul 15 01:16:00 +0000 2012", 0, "2012-07-15T01:16:00Z"},
        {"Thu Aug 30 2012 17:26:16 +0200", 0, "2012-08-30T15:26:16Z"},
        {"Thu Aug 30 2012 17:26:16 GMT+0200 (Central European Summer Time)", 0,
         "2012-08-30T15:26:16Z"},
        /* RFC 3339 / W3CDTF / ISO 8601 */
        {"2003-12-31T10:14:55Z", 0, "2003-12-31T10:14:55Z"},
        {"2003-12-31t10:14:55z", 0, "2003-12-31T10:14:55Z"},
        {"2003-12-31T10:14:55-08:00", 0, "2003-12-31T18:14:55Z"},
        {"2003-12-31T18:14:55+08:00", 0, "2003-12-31T10:14:55Z"},
        {"2003-12-31T10:14:55.1234Z", 0, "2003-12-31T10:14:55Z"},
        {"2007-04-23T23:25:47.538+10:00", 0, "2007-04-23T13:25:47Z"},
        {"2003-12-31T10:14:55", 3 * HOUR, "2003-12-31T07:14:55Z"},
        {"2003-12-31T10:14Z", 0, "2003-12-31T10:14:00Z"},
        {"2003-12-31", 0, "2003-12-31T00:00:00Z"},
        {"2003-12", 0, "2003-12-01T00:00:00Z"},
        {"2003", 0, "2003-01-01T00:00:00Z"},
        {"2003", -9 * HOUR, "2003-01-01T09:00:00Z"},
        {"2003-335", 0, "2003-12-01T00:00:00Z"},
        {"2004-366", 0, "2004-12-31T00:00:00Z"},
        {"20031231T101455Z", 0, "2003-12-31T10:14:55Z"},
        {"20031231T1014+0100", 0, "2003-12-31T09:14:00Z"},
        {"20031231", 0, "2003-12-31T00:00:00Z"},
        {"2003335", 0, "2003-12-01T00:00:00Z"},
        {"2004-02-28T18:14:55-08:00", 0, "2004-02-29T02:14:55Z"},
        {"2003-02-28T18:14:55-08:00", 0, "2003-03-01T02:14:55Z"},
        {"2000-02-28T18:14:55-08:00", 0, "2000-02-29T02:14:55Z"},
        {"2004-07-08 23:56:58 -00:20", 0, "2004-07-09T00:16:58Z"},
        {"2004-07-08 23:56:58", 0, "2004-07-08T23:56:58Z"},
        {"2004-07-08 23:56:58.0", 0, "2004-07-08T23:56:58Z"},
        {"2004-07-08 23:56:58,5 +01:00", 0, "2004-07-08T22:56:58Z"},
        {"2003-12-31T23:59:60Z", 0, "2003-12-31T23:59:59Z"},
        {"2003-12-31T24:00:00Z", 0, "2004-01-01T00:00:00Z"},
        {"2003-012-31T10:14:55+00:00", 0, "2003-12-31T10:14:55Z"},
        {"031231", 0, "2003-12-31T00:00:00Z"},
        {"03-12-31", 0, "2003-12-31T00:00:00Z"},
        {"-0312", 0, "2003-12-01T00:00:00Z"},
        {"-03-12", 0, "2003-12-01T00:00:00Z"},
        {"03335", 0, "2003-12-01T00:00:00Z"},
        {"2004-július-13T9:15-05:00", 0, "2004-07-13T14:15:00Z"},
        /* Korean CMS forms: KST without a zone, whatever the default */
        {"2024-05-01 09:00:00", 0, "2024-05-01T09:00:00Z"},
        {"2024-05-01 09:00:00", 9 * HOUR, "2024-05-01T00:00:00Z"},
        {"2004년 05월 28일  01:31:15", 0, "2004-05-27T16:31:15Z"},
        {"2004년 05월 28일  01:31:15", -5 * HOUR, "2004-05-27T16:31:15Z"},
        {"2004년 05월 28일  01:31:15 +0000", 0, "2004-05-28T01:31:15Z"},
        {"2004년5월28일", 0, "2004-05-27T15:00:00Z"},
        {"2004-05-25 오후 11:23:17", 0, "2004-05-25T14:23:17Z"},
        {"2004-05-25 오후 11:23:17", 3 * HOUR, "2004-05-25T14:23:17Z"},
        {"2004-05-25 오전 11:23:17", 0, "2004-05-25T02:23:17Z"},
        {"2004-05-25 오전 12:23:17", 0, "2004-05-24T15:23:17Z"},
        {"2004-05-25 오후 11:23:17 UTC", 0, "2004-05-25T23:23:17Z"},
        {"2024년 5월 1일 (수) 오후 3시 20분", 0, "2024-05-01T06:20:00Z"},
        /* Greek, Perforce, slashes and dots */
        {"Κυρ, 11 Ιούλ 2004 12:00:00 EST", 0, "2004-07-11T17:00:00Z"},
        {"Τρι, 03 Φεβ 2004 12:00:00 GMT", 0, "2004-02-03T12:00:00Z"},
        {"Fri, 2006/09/15 08:19:53 EDT", 0, "2006-09-15T12:19:53Z"},
        {"2020/1/10 14:33:00", 0, "2020-01-10T14:33:00Z"},
        {"2020/1/10 14:33:00", 1 * HOUR, "2020-01-10T13:33:00Z"},
        {"2024.05.01 09:00", 0, "2024-05-01T09:00:00Z"},
        {"15.09.2006 08:19", 0, "2006-09-15T08:19:00Z"},
        /* Unix seconds */
        {"123456789", 0, "1973-11-29T21:33:09Z"},
        {"1700000000", 9 * HOUR, "2023-11-14T22:13:20Z"},
        {"253402300799", 0, "9999-12-31T23:59:59Z"},
        {"253402300800", 0, NULL},
        {"1700000000000", 0, NULL},
        /* rejections */
        {"", 0, NULL},
        {"   ", 0, NULL},
        {"013", 0, NULL},
        {"22013", 0, NULL},
        {"22013T10:00:00Z", 0, NULL},
        {"2013-01-27-01", 0, NULL},
        {"2013-01-28T11:30:00-06:00Textra", 0, NULL},
        {"2013-xx-27", 0, NULL},
        {"2013-01-28T09:xx:00Z", 0, NULL},
        {"2013-01-28T09:00:00+00:xx", 0, NULL},
        {"2003-12-31T25:14:55Z", 0, NULL},
        {"2003-12-31T10:61:55Z", 0, NULL},
        {"2003-12-31T10:14:61Z", 0, NULL},
        {"2003-12-31T24:00:01Z", 0, NULL},
        {"2003-02-29", 0, NULL},
        {"2003-13-01", 0, NULL},
        {"2003-00-10", 0, NULL},
        {"2003-366", 0, NULL},
        {"2003-000", 0, NULL},
        {"9999-12-31T23:59:59-99:99", 0, NULL},
        {"9999-12-31T23:59:59-01:00", 0, NULL},
        {"10000-01-01", 0, NULL},
        {"Sun, 31 Dec 9999 23:59:59 -9999", 0, NULL},
        {"Sun, 16 Dec 2012 1:2:3:4 GMT", 0, NULL},
        {"Sun, 16 zzz 2012 11:47:32 GMT", 0, NULL},
        {"Sun, Dec x 2012 11:47:32 GMT", 0, NULL},
        {"Sun, 16 Dec zz 11:47:32 GMT", 0, NULL},
        {"Sun, 16 Dec 2012 11:47:32 +zz:00", 0, NULL},
        {"Sun, 16 Dec 2012 11:47:32 +00:zz", 0, NULL},
        {"Sun, 16 Dec 2012 11:47:32 +2400", 0, NULL},
        {"Sun, 16 Dec 2012 11:47:32 IST", 0, NULL},
        {"Sun, 16 Dec 2012 11:47:32 EST EST", 0, NULL},
        {"Sun, 16 Dec 2012 11:47:32 Etc/GMT+5", 0, NULL},
        {"Sun, 99 Jun 2009 12:00:00 GMT", 0, NULL},
        {"Sun, 16 Dec 2012 13:00:00 PM", 0, NULL},
        {"Sun, 16 Dec 2012 PM", 0, NULL},
        {"Sun, 16 Dec 2012 11:47:32 (GMT", 0, NULL},
        {"16 Dec", 0, NULL},
        {"Dec 2012", 0, NULL},
        {"12/16/2012", 0, NULL},
        {"2012-12-16 2012-12-17", 0, NULL},
        {"2012-12-16 10:00 11:00", 0, NULL},
        {"2004-05-25 오후", 0, NULL},
        {"2004년 13월 01일", 0, NULL},
        {"20분", 0, NULL},
        {"yesterday", 0, NULL},
        {"\xff\xfe\x80 2004", 0, NULL},
        {"2003-12-31T10:14:55Z\xc3", 0, NULL},
};

/* The parse result as a UTC string, or "" when the input was rejected. */
static void date_result(const char *input, int tz_offset_sec,
                        char out[TIME_UTC_LEN])
{
	int64_t t;

	if (date_parse(input, tz_offset_sec, &t))
		out[0] = '\0';
	else
		time_format_utc(t, out);
}

static void test_date_cases(void)
{
	char got[TIME_UTC_LEN];
	size_t i;

	check_group("date cases");
	for (i = 0; i < COUNT(date_cases); i++) {
		const struct date_case *c = &date_cases[i];

		date_result(c->input, c->tz_offset_sec, got);
		check_str(got, c->want ? c->want : "", c->input, __FILE__,
		          __LINE__);
	}
}

struct offset_case {
	const char *input;
	int ok;
	int want;
};

static const struct offset_case offset_cases[] = {
        {"+09:00", 1, 9 * HOUR},
        {"-0500", 1, -5 * HOUR},
        {"+9", 1, 9 * HOUR},
        {"+0900", 1, 9 * HOUR},
        {"-03:30", 1, -(3 * HOUR + 1800)},
        {" +05:45 ", 1, 5 * HOUR + 2700},
        {"Z", 1, 0},
        {"UTC", 1, 0},
        {"GMT", 1, 0},
        {"KST", 1, 9 * HOUR},
        {"UTC+9", 1, 9 * HOUR},
        {"", 0, 0},
        {"+", 0, 0},
        {"09:00", 0, 0},
        {"+24:00", 0, 0},
        {"+09:60", 0, 0},
        {"+090", 0, 0},
        {"+09:0", 0, 0},
        {"EST+1", 0, 0},
        {"Mars", 0, 0},
};

static void test_date_offsets(void)
{
	size_t i;

	check_group("date_parse_offset");
	for (i = 0; i < COUNT(offset_cases); i++) {
		const struct offset_case *c = &offset_cases[i];
		int got = -12345;
		int err = date_parse_offset(c->input, &got);

		check_int(err == 0, c->ok, c->input, __FILE__, __LINE__);
		if (c->ok)
			check_int(got, c->want, c->input, __FILE__, __LINE__);
	}
}

/* Long, binary and random inputs: rejected or in range, never a crash. */
static void test_date_hostile(void)
{
	char s[1024];
	static const char alphabet[] = "0123456789-+:.,/TZ ()JanMonGMT\xea\xb0";
	uint32_t seed = 12345;
	int64_t t;
	int i, j, n, in_range = 1;

	check_group("date hostile");
	memset(s, ' ', sizeof s - 1);
	s[sizeof s - 1] = '\0';
	memcpy(s + sizeof s - 30, "Thu, 01 Jan 2004 19:48:21 GMT", 29);
	CHECK(date_parse(s, 0, &t) != 0);
	memset(s, '9', sizeof s - 1);
	CHECK(date_parse(s, 0, &t) != 0);
	memset(s, '(', sizeof s - 1);
	s[200] = '\0';
	CHECK(date_parse(s, 0, &t) != 0);
	CHECK(date_parse(NULL, 0, &t) != 0);
	for (i = 1; i < 256; i++) {
		s[0] = (char)i;
		s[1] = '\0';
		if (date_parse(s, 0, &t) == 0)
			break;
	}
	CHECK_INT(i, 256);
	for (i = 0; i < 50000; i++) {
		seed = seed * 1103515245u + 12345u;
		n = (int)(seed >> 16) % 40;
		for (j = 0; j < n; j++) {
			seed = seed * 1103515245u + 12345u;
			s[j] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		s[n] = '\0';
		if (date_parse(s, 14 * HOUR, &t) == 0 &&
		    (t < -62167219200LL || t > 253402300799LL))
			in_range = 0;
	}
	CHECK(in_range);
}

/* Undoes the corpus escapes \\ \t \n \r in place. */
static void tsv_unescape(char *s)
{
	char *w = s;

	for (; *s != '\0'; s++) {
		if (*s == '\\' && s[1] != '\0') {
			s++;
			if (*s == 't')
				*w++ = '\t';
			else if (*s == 'n')
				*w++ = '\n';
			else if (*s == 'r')
				*w++ = '\r';
			else
				*w++ = *s;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

/* Splits line at TABs into at most max fields; returns their number. */
static int tsv_split(char *line, char **fields, int max)
{
	int n = 0;
	char *tab;

	fields[n++] = line;
	while (n < max && (tab = strchr(line, '\t')) != NULL) {
		*tab = '\0';
		line = tab + 1;
		fields[n++] = line;
	}
	return n;
}

enum { TIER_MAIN, TIER_ODD, TIER_FORMAT, TIERS };

static void test_date_tsv(void)
{
	static const char *const tier_names[TIERS] = {"main", "odd",
	                                              "format-specific"};
	const char *shared = check_shared_dir();
	int passed[TIERS] = {0}, total[TIERS] = {0};
	char path[4096], line[2048], got[TIME_UTC_LEN];
	char *field[5];
	FILE *fp;
	int tier, lineno = 0;

	check_group("dates.tsv");
	if (shared == NULL) {
		printf("dates.tsv: skipped (../shared absent)\n");
		return;
	}
	snprintf(path, sizeof path, "%s/conformance/feedparser/dates.tsv",
	         shared);
	fp = fopen(path, "r");
	if (!CHECK(fp != NULL))
		return;
	while (fgets(line, sizeof line, fp)) {
		size_t len = strlen(line);

		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(fp))
			CHECK(!"dates.tsv line too long");
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (lineno == 1 || len == 0)
			continue;
		if (!CHECK(tsv_split(line, field, 5) >= 3))
			continue;
		for (tier = 0; tier < TIERS; tier++) {
			if (strcmp(field[2], tier_names[tier]) == 0)
				break;
		}
		if (!CHECK(tier < TIERS))
			continue;
		tsv_unescape(field[0]);
		tsv_unescape(field[1]);
		date_result(field[0], 0, got);
		total[tier]++;
		if (strcmp(got, field[1]) == 0)
			passed[tier]++;
		/* Format-specific rows are reported, not checked: the case
		 * table holds what this parser promises for them. */
		if (tier != TIER_FORMAT)
			check_str(got, field[1], field[0], __FILE__, __LINE__);
	}
	fclose(fp);
	CHECK(total[TIER_MAIN] > 0 && total[TIER_ODD] > 0);
	printf("dates.tsv: main %d/%d, odd %d/%d, format-specific %d/%d\n",
	       passed[TIER_MAIN], total[TIER_MAIN], passed[TIER_ODD],
	       total[TIER_ODD], passed[TIER_FORMAT], total[TIER_FORMAT]);
}

/* date_format_day and date_day_window: the digest's day in its zone. */
struct date_day_case {
	const char *day;
	int tz_offset_sec;
	const char *from; /* UTC start of the window, or NULL: rejected */
};

static const struct date_day_case date_day_cases[] = {
        {"2026-11-20", 9 * HOUR, "2026-11-19T15:00:00Z"},
        {"2026-11-20", 0, "2026-11-20T00:00:00Z"},
        {"2026-11-20", -5 * HOUR, "2026-11-20T05:00:00Z"},
        {"2024-02-29", 9 * HOUR, "2024-02-28T15:00:00Z"},
        {"1970-01-01", 0, "1970-01-01T00:00:00Z"},
        {"2026-12-31", 14 * HOUR, "2026-12-30T10:00:00Z"},
        {"2023-02-29", 0, NULL},
        {"2026-02-30", 9 * HOUR, NULL},
        {"2026-13-01", 0, NULL},
        {"2026-00-10", 0, NULL},
        {"2026-11-00", 0, NULL},
        {"1969-12-31", 0, NULL},
        {"2026-11-200", 0, NULL},
        {"2026-11-2", 0, NULL},
        {"2026-+1-20", 0, NULL},
        {"2026-1x-20", 0, NULL},
        {"2026/11/20", 0, NULL},
        {"+2026-11-2", 0, NULL},
        {"tomorrow", 0, NULL},
        {"", 0, NULL},
};

static void test_date_days(void)
{
	char got[TIME_UTC_LEN], day[DATE_DAY_LEN];
	int64_t from, to;
	size_t i;

	check_group("date_day_window");
	for (i = 0; i < COUNT(date_day_cases); i++) {
		const struct date_day_case *c = &date_day_cases[i];
		int rc = date_day_window(c->day, c->tz_offset_sec, &from, &to);

		if (!c->from) {
			check_int(rc, ERR_PARSE, c->day, __FILE__, __LINE__);
			continue;
		}
		if (!check_int(rc, 0, c->day, __FILE__, __LINE__))
			continue;
		time_format_utc(from, got);
		check_str(got, c->from, c->day, __FILE__, __LINE__);
		CHECK_INT(to - from, 86400);
		/* the window's first and last second are on that day */
		date_format_day(from, c->tz_offset_sec, day);
		check_str(day, c->day, c->day, __FILE__, __LINE__);
		date_format_day(to - 1, c->tz_offset_sec, day);
		check_str(day, c->day, c->day, __FILE__, __LINE__);
		date_format_day(to, c->tz_offset_sec, day);
		CHECK(strcmp(day, c->day) != 0);
	}
	CHECK_INT(date_day_window(NULL, 0, &from, &to), ERR_PARSE);

	check_group("date_format_day");
	date_format_day(0, 0, day);
	CHECK_STR(day, "1970-01-01");
	/* 2026-11-20T15:00:00Z is the 21st in Seoul, the 20th in London
	 * and in New York */
	CHECK(date_parse("2026-11-20T15:00:00Z", 0, &from) == 0);
	date_format_day(from, 9 * HOUR, day);
	CHECK_STR(day, "2026-11-21");
	date_format_day(from, 0, day);
	CHECK_STR(day, "2026-11-20");
	date_format_day(from, -5 * HOUR, day);
	CHECK_STR(day, "2026-11-20");
	date_format_day(from - 15 * HOUR - 1, -5 * HOUR, day);
	CHECK_STR(day, "2026-11-19");
}

void test_date(void)
{
	test_date_cases();
	test_date_offsets();
	test_date_hostile();
	test_date_tsv();
	test_date_days();
}
