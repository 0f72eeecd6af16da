#include "common/date.h"

#include "common/ascii.h"
#include "common/timeutil.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Longer strings are not dates; the bound keeps hostile input cheap. */
#define DATE_MAX_LEN 256
/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: what time_format_utc
 * can write without clamping. */
#define DATE_MIN_UTC (-62167219200LL)
#define DATE_MAX_UTC 253402300799LL
/* Korea has kept UTC+9 without daylight saving since 1988. */
#define DATE_KST (9 * 3600)
#define DATE_COUNT(a) (sizeof(a) / sizeof((a)[0]))

enum date_field {
	DATE_YEAR,
	DATE_MONTH,
	DATE_DAY,
	DATE_HOUR,
	DATE_MINUTE,
	DATE_SECOND,
	DATE_FIELDS
};

enum date_meridian { DATE_NO_MERIDIAN, DATE_AM, DATE_PM };

/* What the tokens of one string said; every field is set at most once. */
struct date_fields {
	int field[DATE_FIELDS]; /* -1 until set */
	int zone;               /* seconds east of UTC, when has_zone */
	enum date_meridian meridian;
	bool has_zone, has_weekday;
	bool korean; /* 년/월/일 or 오전/오후: no zone means KST */
};

struct date_name {
	const char *name;
	int value;
};

/* English, Hungarian and Greek month names; English names that Hungarian
 * shares are listed once. A trailing '.' of a token is ignored. */
static const struct date_name date_months[] = {
        {"Jan", 1},      {"January", 1},   {"Feb", 2},        {"February", 2},
        {"Mar", 3},      {"March", 3},     {"Apr", 4},        {"April", 4},
        {"May", 5},      {"Jun", 6},       {"June", 6},       {"Jul", 7},
        {"July", 7},     {"Aug", 8},       {"August", 8},     {"Sep", 9},
        {"Sept", 9},     {"September", 9}, {"Oct", 10},       {"October", 10},
        {"Nov", 11},     {"November", 11}, {"Dec", 12},       {"December", 12},
        {"január", 1},   {"február", 2},   {"febr", 2},       {"március", 3},
        {"márc", 3},     {"április", 4},   {"ápr", 4},        {"május", 5},
        {"máj", 5},      {"június", 6},    {"jún", 6},        {"július", 7},
        {"júl", 7},      {"augusztus", 8}, {"szeptember", 9}, {"szept", 9},
        {"október", 10}, {"okt", 10},      {"Ιαν", 1},        {"Φεβ", 2},
        {"Μάρ", 3},      {"Μαρ", 3},       {"Απρ", 4},        {"Μάι", 5},
        {"Μαΐ", 5},      {"Μαι", 5},       {"Ιούν", 6},       {"Ιουν", 6},
        {"Ιούλ", 7},     {"Ιουλ", 7},      {"Αύγ", 8},        {"Αυγ", 8},
        {"Σεπ", 9},      {"Οκτ", 10},      {"Νοέ", 11},       {"Νοε", 11},
        {"Δεκ", 12},
};

/* Day names are skipped, never checked against the date. */
static const struct date_name date_weekdays[] = {
        {"Mon", 1},     {"Monday", 1}, {"Tue", 2},       {"Tues", 2},
        {"Tuesday", 2}, {"Wed", 3},    {"Wednesday", 3}, {"Thu", 4},
        {"Thur", 4},    {"Thurs", 4},  {"Thursday", 4},  {"Fri", 5},
        {"Friday", 5},  {"Sat", 6},    {"Saturday", 6},  {"Sun", 7},
        {"Sunday", 7},  {"Δευ", 1},    {"Τρι", 2},       {"Τετ", 3},
        {"Πεμ", 4},     {"Πέμ", 4},    {"Παρ", 5},       {"Σαβ", 6},
        {"Σάβ", 6},     {"Κυρ", 7},
};

struct date_meridian_name {
	const char *name;
	enum date_meridian meridian;
	bool korean;
};

static const struct date_meridian_name date_meridians[] = {
        {"AM", DATE_AM, false},   {"PM", DATE_PM, false},
        {"a.m.", DATE_AM, false}, {"p.m.", DATE_PM, false},
        {"오전", DATE_AM, true},  {"오후", DATE_PM, true},
};

struct date_zone {
	const char *name;
	int offset;        /* seconds east of UTC */
	bool takes_offset; /* may be followed by one: "GMT-01:01" */
};

/* RFC 822 names, the obsolete 2-letter US names (AT is Atlantic time) and
 * common unambiguous abbreviations; ambiguous ones such as IST are left
 * out, so a date in them stays unknown. */
static const struct date_zone date_zones[] = {
        {"UT", 0, true},
        {"UTC", 0, true},
        {"GMT", 0, true},
        {"Z", 0, false},
        {"Etc/GMT", 0, false},
        {"Etc/UTC", 0, false},
        {"EST", -5 * 3600, false},
        {"EDT", -4 * 3600, false},
        {"CST", -6 * 3600, false},
        {"CDT", -5 * 3600, false},
        {"MST", -7 * 3600, false},
        {"MDT", -6 * 3600, false},
        {"PST", -8 * 3600, false},
        {"PDT", -7 * 3600, false},
        {"AT", -4 * 3600, false},
        {"ET", -5 * 3600, false},
        {"CT", -6 * 3600, false},
        {"MT", -7 * 3600, false},
        {"PT", -8 * 3600, false},
        {"AKST", -9 * 3600, false},
        {"AKDT", -8 * 3600, false},
        {"HST", -10 * 3600, false},
        {"WET", 0, false},
        {"WEST", 1 * 3600, false},
        {"BST", 1 * 3600, false},
        {"CET", 1 * 3600, false},
        {"CEST", 2 * 3600, false},
        {"MET", 1 * 3600, false},
        {"MEST", 2 * 3600, false},
        {"EET", 2 * 3600, false},
        {"EEST", 3 * 3600, false},
        {"MSK", 3 * 3600, false},
        {"HKT", 8 * 3600, false},
        {"SGT", 8 * 3600, false},
        {"AWST", 8 * 3600, false},
        {"KST", 9 * 3600, false},
        {"JST", 9 * 3600, false},
        {"ACST", 9 * 3600 + 1800, false},
        {"AEST", 10 * 3600, false},
        {"AEDT", 11 * 3600, false},
        {"NZST", 12 * 3600, false},
        {"NZDT", 13 * 3600, false},
};

struct date_unit {
	const char *suffix;
	enum date_field field;
};

/* Korean numbers with units: "2004년 05월 28일", "15시 20분". */
static const struct date_unit date_korean_units[] = {
        {"년", DATE_YEAR}, {"월", DATE_MONTH},  {"일", DATE_DAY},
        {"시", DATE_HOUR}, {"분", DATE_MINUTE}, {"초", DATE_SECOND},
};

/* Shapes of a date written with digits and separators, tried in order; the
 * whole token must match. Y 4-digit year, y 2-digit year, z 2-digit year
 * 00-09, M/D 1-2 digit month/day, m/d 2-digit month/day, O 3-digit day of
 * the year, N month name; any other character stands for itself. */
static const char *const date_shapes[] = {
        "Y-M-D",  /* 2003-12-31, 2004-7-8 */
        "Y-0m-D", /* 2003-012-31 */
        "Y-N-D",  /* 2004-július-13 */
        "Y-M",    /* 2003-12 */
        "Y-O",    /* 2003-335 */
        "y-m-d",  /* 03-12-31 */
        "y-O",    /* 03-335 */
        "-ym",    /* -0312 */
        "-y-m",   /* -03-12 */
        "D-N-Y",  /* 06-Nov-1994 */
        "D-N-y",  /* 06-Nov-94 */
        "Y/M/D",  /* 2006/09/15, 2020/1/10 */
        "Y.M.D",  /* 2024.05.01 */
        "D.M.Y",  /* 15.09.2006 */
        "Ymd",    /* 20031231 */
        "YO",     /* 2003335 */
        "ymd",    /* 031231 */
        "zO",     /* 03335; 22013 would be the year 22013 */
        "Y",      /* 2003 */
};

/* True when [p, end) is name, ASCII letters compared without case. */
static bool date_name_equal(const char *p, const char *end, const char *name)
{
	for (; p < end; p++, name++) {
		if (*name == '\0' ||
		    ascii_tolower((unsigned char)*p) !=
		            ascii_tolower((unsigned char)*name))
			return false;
	}
	return *name == '\0';
}

/* The value of [p, end) in a name table, or 0. */
static int date_lookup(const struct date_name *table, size_t n, const char *p,
                       const char *end)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (date_name_equal(p, end, table[i].name))
			return table[i].value;
	}
	return 0;
}

/* Where [p, end) continues after prefix, or NULL when it does not start
 * with it. */
static const char *date_skip_prefix(const char *p, const char *end,
                                    const char *prefix)
{
	for (; *prefix != '\0'; p++, prefix++) {
		if (p == end || *p != *prefix)
			return NULL;
	}
	return p;
}

/* Reads a run of digits at *pp; returns its length and, when that is at
 * most 9, its value in *v. */
static int date_digits(const char **pp, const char *end, int *v)
{
	const char *p = *pp;
	int n = 0, val = 0;

	while (p < end && ascii_isdigit(*p)) {
		if (n < 9)
			val = val * 10 + (*p - '0');
		n++;
		p++;
	}
	*pp = p;
	*v = val;
	return n;
}

/* Reads between min and max digits at *pp (as many as there are, up to
 * max); false when there are fewer than min. */
static bool date_fixed_digits(const char **pp, const char *end, int min,
                              int max, int *v)
{
	const char *p = *pp;
	int n = 0, val = 0;

	while (n < max && p < end && ascii_isdigit(*p)) {
		val = val * 10 + (*p - '0');
		n++;
		p++;
	}
	if (n < min)
		return false;
	*pp = p;
	*v = val;
	return true;
}

/* RFC 2822: 00-49 are 2000-2049, 50-99 are 1950-1999. */
static int date_two_digit_year(int yy)
{
	return yy < 50 ? 2000 + yy : 1900 + yy;
}

static void date_fields_init(struct date_fields *f)
{
	int i;

	for (i = 0; i < DATE_FIELDS; i++)
		f->field[i] = -1;
	f->zone = 0;
	f->meridian = DATE_NO_MERIDIAN;
	f->has_zone = false;
	f->has_weekday = false;
	f->korean = false;
}

static int date_set(struct date_fields *f, enum date_field which, int v)
{
	if (f->field[which] >= 0)
		return -1;
	f->field[which] = v;
	return 0;
}

static int date_set_zone(struct date_fields *f, int offset)
{
	if (f->has_zone)
		return -1;
	f->has_zone = true;
	f->zone = offset;
	return 0;
}

/* "+hh:mm", "+hhmm", "+hh" or "+h" (or with '-') as seconds east of UTC. */
static int date_offset(const char *p, const char *end, int *out)
{
	int sign, n, h, m = 0;

	if (p == end || (*p != '+' && *p != '-'))
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	n = date_digits(&p, end, &h);
	if (n == 4) {
		m = h % 100;
		h /= 100;
	} else if (n == 1 || n == 2) {
		if (p < end && *p == ':') {
			p++;
			if (date_digits(&p, end, &m) != 2)
				return -1;
		}
	} else {
		return -1;
	}
	if (p != end || h > 23 || m > 59)
		return -1;
	*out = sign * (h * 3600 + m * 60);
	return 0;
}

/* A name from date_zones; UT, UTC and GMT may carry an offset. */
static int date_zone_name(const char *p, const char *end, int *out)
{
	const char *q = p;
	size_t i;
	int offset;

	while (q < end && *q != '+' && *q != '-')
		q++;
	for (i = 0; i < DATE_COUNT(date_zones); i++) {
		if (!date_name_equal(p, q, date_zones[i].name))
			continue;
		if (q == end) {
			*out = date_zones[i].offset;
			return 0;
		}
		if (!date_zones[i].takes_offset || date_offset(q, end, &offset))
			return -1;
		*out = date_zones[i].offset + offset;
		return 0;
	}
	return -1;
}

/* A zone as a numeric offset or a name. */
static int date_zone_token(struct date_fields *f, const char *p,
                           const char *end)
{
	int offset;

	if (*p == '+' || *p == '-') {
		if (date_offset(p, end, &offset))
			return -1;
	} else if (date_zone_name(p, end, &offset)) {
		return -1;
	}
	return date_set_zone(f, offset);
}

static const struct date_meridian_name *date_find_meridian(const char *p,
                                                           const char *end)
{
	size_t i;

	for (i = 0; i < DATE_COUNT(date_meridians); i++) {
		if (date_name_equal(p, end, date_meridians[i].name))
			return &date_meridians[i];
	}
	return NULL;
}

static int date_set_meridian(struct date_fields *f,
                             const struct date_meridian_name *m)
{
	if (f->meridian != DATE_NO_MERIDIAN)
		return -1;
	f->meridian = m->meridian;
	if (m->korean)
		f->korean = true;
	return 0;
}

struct date_ymd {
	int year, month, day;
	int yday; /* day of the year from the shape, or -1 */
};

static bool date_match_shape(const char *shape, const char *p, const char *end,
                             struct date_ymd *d)
{
	const char *q;
	int v;

	*d = (struct date_ymd){-1, 1, 1, -1};
	for (; *shape != '\0'; shape++) {
		switch (*shape) {
		case 'Y':
			if (!date_fixed_digits(&p, end, 4, 4, &d->year))
				return false;
			break;
		case 'y':
			if (!date_fixed_digits(&p, end, 2, 2, &v))
				return false;
			d->year = date_two_digit_year(v);
			break;
		case 'z':
			if (p == end || *p != '0' ||
			    !date_fixed_digits(&p, end, 2, 2, &v))
				return false;
			d->year = 2000 + v;
			break;
		case 'M':
			if (!date_fixed_digits(&p, end, 1, 2, &d->month))
				return false;
			break;
		case 'm':
			if (!date_fixed_digits(&p, end, 2, 2, &d->month))
				return false;
			break;
		case 'D':
			if (!date_fixed_digits(&p, end, 1, 2, &d->day))
				return false;
			break;
		case 'd':
			if (!date_fixed_digits(&p, end, 2, 2, &d->day))
				return false;
			break;
		case 'O':
			if (!date_fixed_digits(&p, end, 3, 3, &d->yday))
				return false;
			break;
		case 'N':
			q = p;
			while (q < end && !ascii_isdigit(*q) && *q != '-' &&
			       *q != '/' && *q != '.')
				q++;
			d->month = date_lookup(date_months,
			                       DATE_COUNT(date_months), p, q);
			if (d->month == 0)
				return false;
			p = q;
			break;
		default:
			if (p == end || *p != *shape)
				return false;
			p++;
		}
	}
	return p == end;
}

/* Turns a day of the year into month and day; false when out of range. */
static bool date_from_yday(struct date_ymd *d)
{
	int left = d->yday, month = 1, days;

	if (left < 1 || left > (time_is_leap_year(d->year) ? 366 : 365))
		return false;
	while (left > (days = time_days_in_month(d->year, month))) {
		left -= days;
		month++;
	}
	d->month = month;
	d->day = left;
	return true;
}

/* A date token: one of date_shapes. */
static int date_ymd_token(struct date_fields *f, const char *p, const char *end)
{
	struct date_ymd d;
	size_t i;

	for (i = 0; i < DATE_COUNT(date_shapes); i++) {
		if (date_match_shape(date_shapes[i], p, end, &d))
			break;
	}
	if (i == DATE_COUNT(date_shapes))
		return -1;
	if (d.yday >= 0 && !date_from_yday(&d))
		return -1;
	if (date_set(f, DATE_YEAR, d.year) ||
	    date_set(f, DATE_MONTH, d.month) || date_set(f, DATE_DAY, d.day))
		return -1;
	return 0;
}

/* A time: h:mm[:ss[.frac]], or with basic set also hh, hhmm, hhmmss[.frac]
 * (after an ISO 'T'); then optionally a zone or AM/PM. */
static int date_time_token(struct date_fields *f, const char *p,
                           const char *end, bool basic)
{
	int n, v, h, m = 0, s = 0;
	bool has_seconds = false;
	const struct date_meridian_name *mer;

	n = date_digits(&p, end, &h);
	if (p < end && *p == ':') {
		if (n < 1 || n > 2)
			return -1;
		p++;
		n = date_digits(&p, end, &m);
		if (n < 1 || n > 2)
			return -1;
		if (p < end && *p == ':') {
			p++;
			n = date_digits(&p, end, &s);
			if (n < 1 || n > 2)
				return -1;
			has_seconds = true;
		}
	} else if (basic && (n == 2 || n == 4 || n == 6)) {
		v = h;
		if (n == 6) {
			s = v % 100;
			v /= 100;
			has_seconds = true;
		}
		if (n >= 4) {
			m = v % 100;
			v /= 100;
		}
		h = v;
	} else {
		return -1;
	}
	if (has_seconds && p < end && (*p == '.' || *p == ',')) {
		p++;
		if (date_digits(&p, end, &v) < 1)
			return -1;
	}
	if (date_set(f, DATE_HOUR, h) || date_set(f, DATE_MINUTE, m) ||
	    date_set(f, DATE_SECOND, s))
		return -1;
	if (p == end)
		return 0;
	mer = date_find_meridian(p, end);
	if (mer)
		return date_set_meridian(f, mer);
	return date_zone_token(f, p, end);
}

/* Numbers with Korean units, one or more: "2004년", "05월28일". */
static int date_korean_token(struct date_fields *f, const char *p,
                             const char *end)
{
	const char *rest = NULL;
	int n, v;
	size_t i;

	while (p < end) {
		n = date_digits(&p, end, &v);
		if (n < 1 || n > 4)
			return -1;
		for (i = 0; i < DATE_COUNT(date_korean_units); i++) {
			rest = date_skip_prefix(p, end,
			                        date_korean_units[i].suffix);
			if (rest)
				break;
		}
		if (i == DATE_COUNT(date_korean_units))
			return -1;
		if (date_korean_units[i].field == DATE_YEAR) {
			if (n == 2)
				v = date_two_digit_year(v);
			else if (n != 4)
				return -1;
		} else if (n > 2) {
			return -1;
		}
		if (date_set(f, date_korean_units[i].field, v))
			return -1;
		f->korean = true;
		p = rest;
	}
	return 0;
}

/* A bare number: the day when it has 1-2 digits and no day is known yet,
 * else a 2- or 4-digit year. */
static int date_number(struct date_fields *f, int n, int v)
{
	if (n <= 2 && f->field[DATE_DAY] < 0)
		return date_set(f, DATE_DAY, v);
	if (n == 2)
		return date_set(f, DATE_YEAR, date_two_digit_year(v));
	if (n == 4)
		return date_set(f, DATE_YEAR, v);
	return -1;
}

static int date_numeric_token(struct date_fields *f, const char *p,
                              const char *end)
{
	const char *q = p, *t;
	int n, v;

	n = date_digits(&q, end, &v);
	if (q == end)
		return date_number(f, n, v);
	for (t = p + 1; t + 1 < end; t++) {
		if ((*t == 'T' || *t == 't') && ascii_isdigit(t[-1]) &&
		    ascii_isdigit(t[1])) {
			if (date_ymd_token(f, p, t) ||
			    date_time_token(f, t + 1, end, true))
				return -1;
			return 0;
		}
	}
	if (*q == ':')
		return date_time_token(f, p, end, false);
	if (*q == '-' || *q == '/' || *q == '.')
		return date_ymd_token(f, p, end);
	return date_korean_token(f, p, end);
}

/* A name: AM/PM, month, day of the week, or (after the time) a zone. */
static int date_word_token(struct date_fields *f, const char *p,
                           const char *end)
{
	const struct date_meridian_name *mer;
	int v;

	mer = date_find_meridian(p, end);
	if (mer)
		return date_set_meridian(f, mer);
	if (end - p > 1 && end[-1] == '.')
		end--;
	v = date_lookup(date_months, DATE_COUNT(date_months), p, end);
	if (v > 0)
		return date_set(f, DATE_MONTH, v);
	if (date_lookup(date_weekdays, DATE_COUNT(date_weekdays), p, end)) {
		if (f->has_weekday)
			return -1;
		f->has_weekday = true;
		return 0;
	}
	if (f->field[DATE_HOUR] >= 0)
		return date_zone_token(f, p, end);
	return -1;
}

static int date_token(struct date_fields *f, const char *p, const char *end)
{
	if (ascii_isdigit(*p))
		return date_numeric_token(f, p, end);
	if (*p == '+' || *p == '-') {
		/* After a time a sign starts a zone, before it a date
		 * (-0312). */
		if (f->field[DATE_HOUR] >= 0)
			return date_zone_token(f, p, end);
		return date_ymd_token(f, p, end);
	}
	return date_word_token(f, p, end);
}

/* The next token of [*pp, end): tokens are separated by white space and
 * commas (a comma in a time is a decimal comma), and parenthesised
 * comments are skipped. Returns 1 and sets [*tok, *tok_end), 0 at the end,
 * or -1 for an unclosed comment. */
static int date_next_token(const char **pp, const char *end, const char **tok,
                           const char **tok_end)
{
	const char *p = *pp;
	bool in_time = false;

	for (;;) {
		while (p < end && (ascii_isspace(*p) || *p == ','))
			p++;
		if (p == end)
			return 0;
		if (*p != '(')
			break;
		p = memchr(p, ')', (size_t)(end - p));
		if (p == NULL)
			return -1;
		p++;
	}
	*tok = p;
	while (p < end && !ascii_isspace(*p) && *p != '(') {
		if (*p == ',' &&
		    !(in_time && p + 1 < end && ascii_isdigit(p[1])))
			break;
		if (*p == ':')
			in_time = true;
		p++;
	}
	*tok_end = p;
	*pp = p;
	return 1;
}

static int date_finish(const struct date_fields *f, int tz_offset_sec,
                       int64_t *out)
{
	const int *v = f->field;
	struct civil_time c;
	int64_t t;
	int offset;

	if (v[DATE_YEAR] < 0 || v[DATE_MONTH] < 0 || v[DATE_DAY] < 0)
		return -1;
	if (v[DATE_HOUR] < 0 && (v[DATE_MINUTE] >= 0 || v[DATE_SECOND] >= 0 ||
	                         f->meridian != DATE_NO_MERIDIAN))
		return -1;
	c.year = v[DATE_YEAR];
	c.month = v[DATE_MONTH];
	c.day = v[DATE_DAY];
	c.hour = v[DATE_HOUR] < 0 ? 0 : v[DATE_HOUR];
	c.minute = v[DATE_MINUTE] < 0 ? 0 : v[DATE_MINUTE];
	c.second = v[DATE_SECOND] < 0 ? 0 : v[DATE_SECOND];
	if (c.year > 9999 || c.month < 1 || c.month > 12 || c.day < 1 ||
	    c.day > time_days_in_month(c.year, c.month))
		return -1;
	if (f->meridian != DATE_NO_MERIDIAN) {
		if (c.hour > 12)
			return -1;
		if (f->meridian == DATE_PM && c.hour < 12)
			c.hour += 12;
		else if (f->meridian == DATE_AM && c.hour == 12)
			c.hour = 0;
	}
	/* 24:00:00 is the end of the day; second 60 is a leap second. */
	if (c.hour > 24 || (c.hour == 24 && (c.minute != 0 || c.second != 0)))
		return -1;
	if (c.minute > 59 || c.second > 60)
		return -1;
	if (c.second == 60)
		c.second = 59;
	if (f->has_zone)
		offset = f->zone;
	else
		offset = f->korean ? DATE_KST : tz_offset_sec;
	t = time_from_civil(&c) - offset;
	if (t < DATE_MIN_UTC || t > DATE_MAX_UTC)
		return -1;
	*out = t;
	return 0;
}

/* Unix seconds; 12 digits already pass 9999-12-31. */
static int date_unix_seconds(const char *p, const char *end, int64_t *out)
{
	int64_t t = 0;

	if (end - p > 12)
		return -1;
	for (; p < end; p++)
		t = t * 10 + (*p - '0');
	if (t > DATE_MAX_UTC)
		return -1;
	*out = t;
	return 0;
}

static void date_trim(const char **p, const char **end)
{
	while (*p < *end && ascii_isspace(**p))
		(*p)++;
	while (*end > *p && ascii_isspace((*end)[-1]))
		(*end)--;
}

/* Exactly n digits at p (within end), as a number; -1 otherwise. */
static int date_exact_digits(const char *p, const char *end, int n)
{
	int v = 0;

	if (end - p < n)
		return -1;
	for (; n > 0; n--, p++) {
		if (!ascii_isdigit(*p))
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v;
}

/* A numeric zone "+hh:mm", "+hhmm", or "Z", "GMT", "UT", "UTC", ending
 * exactly at end; -1 when [p, end) is none of these. */
static int date_fast_zone(const char *p, const char *end, int *zone)
{
	int h, m;
	size_t n = (size_t)(end - p);

	if ((n == 1 && *p == 'Z') || (n == 3 && memcmp(p, "GMT", 3) == 0) ||
	    (n == 2 && memcmp(p, "UT", 2) == 0) ||
	    (n == 3 && memcmp(p, "UTC", 3) == 0)) {
		*zone = 0;
		return 0;
	}
	if ((n != 5 && n != 6) || (*p != '+' && *p != '-'))
		return -1;
	h = date_exact_digits(p + 1, end, 2);
	m = date_exact_digits(p + (n == 6 ? 4 : 3), end, 2);
	if (h < 0 || m < 0 || (n == 6 && p[3] != ':') || h > 23 || m > 59)
		return -1;
	*zone = (*p == '-' ? -1 : 1) * (h * 3600 + m * 60);
	return 0;
}

/* The two forms nearly every feed writes, read without tokenizing:
 * RFC 3339 "2024-05-01T09:00:00(.123)?(Z|+09:00)" and RFC 1123 "Wed, 01
 * May 2024 09:00(:00)? (+0900|GMT)". Returns 1 when [p, end) is exactly
 * one of them (f is then filled), 0 to leave it to the general parser. */
static int date_fast(const char *p, const char *end, struct date_fields *f)
{
	const char *q;
	int v[6], month = 0, k;

	if (end - p >= 20 && p[4] == '-' && p[7] == '-' &&
	    (p[10] == 'T' || p[10] == ' ') && p[13] == ':' && p[16] == ':') {
		v[0] = date_exact_digits(p, end, 4);
		v[1] = date_exact_digits(p + 5, end, 2);
		v[2] = date_exact_digits(p + 8, end, 2);
		v[3] = date_exact_digits(p + 11, end, 2);
		v[4] = date_exact_digits(p + 14, end, 2);
		v[5] = date_exact_digits(p + 17, end, 2);
		q = p + 19;
		if (q < end && *q == '.')
			for (q++; q < end && ascii_isdigit(*q); q++)
				;
	} else if (end - p >= 22 && p[3] == ',' && p[4] == ' ' &&
	           date_lookup(date_weekdays, 17, p, p + 3)) {
		q = p + 5;
		k = ascii_isdigit(q[1]) ? 2 : 1;
		v[2] = date_exact_digits(q, end, k);
		q += k;
		if (end - q < 17 || *q != ' ' || q[4] != ' ' || q[9] != ' ')
			return 0;
		month = date_lookup(date_months, 24, q + 1, q + 4);
		v[1] = month ? month : -1;
		v[0] = date_exact_digits(q + 5, end, 4);
		v[3] = date_exact_digits(q + 10, end, 2);
		v[4] = q[12] == ':' ? date_exact_digits(q + 13, end, 2) : -1;
		q += 15;
		v[5] = 0;
		if (q < end && *q == ':') {
			v[5] = date_exact_digits(q + 1, end, 2);
			q += 3;
		}
		if (q >= end || *q != ' ')
			return 0;
		q++;
	} else {
		return 0;
	}
	for (k = 0; k < 6; k++)
		if (v[k] < 0)
			return 0;
	if (date_fast_zone(q, end, &f->zone) != 0)
		return 0;
	f->has_zone = true;
	for (k = 0; k < 6; k++)
		f->field[k] = v[k];
	return 1;
}

/* date_parse's work: 0, or -1 when s is not a date. */
static int date_read(const char *s, int tz_offset_sec, int64_t *out)
{
	struct date_fields f;
	const char *p, *end, *tok, *tok_end, *q;
	size_t len;
	int r, n, v;

	if (s == NULL || out == NULL)
		return -1;
	len = strnlen(s, DATE_MAX_LEN + 1);
	if (len > DATE_MAX_LEN)
		return -1;
	p = s;
	end = s + len;
	date_trim(&p, &end);
	if (p == end)
		return -1;
	date_fields_init(&f);
	if (date_fast(p, end, &f))
		return date_finish(&f, tz_offset_sec, out);
	q = p;
	n = date_digits(&q, end, &v);
	if (q == end) {
		/* Only digits: Unix seconds or a basic ISO 8601 date. */
		if (n >= 9)
			return date_unix_seconds(p, end, out);
		if (date_ymd_token(&f, p, end))
			return -1;
		return date_finish(&f, tz_offset_sec, out);
	}
	while ((r = date_next_token(&p, end, &tok, &tok_end)) > 0) {
		if (date_token(&f, tok, tok_end))
			return -1;
	}
	if (r < 0)
		return -1;
	return date_finish(&f, tz_offset_sec, out);
}

int date_parse(const char *s, int tz_offset_sec, int64_t *out)
{
	return date_read(s, tz_offset_sec, out) == 0 ? ERR_OK : ERR_PARSE;
}

/* date_parse_offset's work: 0, or -1 when s is not an offset. */
static int date_read_offset(const char *s, int *out)
{
	const char *p, *end;

	if (s == NULL || out == NULL)
		return -1;
	p = s;
	end = s + strnlen(s, DATE_MAX_LEN + 1);
	date_trim(&p, &end);
	if (p == end || end - p > 32)
		return -1;
	if (*p == '+' || *p == '-')
		return date_offset(p, end, out);
	return date_zone_name(p, end, out);
}

int date_parse_offset(const char *s, int *out)
{
	return date_read_offset(s, out) == 0 ? ERR_OK : ERR_PARSE;
}

void date_format_day(int64_t t, int tz_offset_sec, char out[DATE_DAY_LEN])
{
	char utc[TIME_UTC_LEN];

	time_format_utc(t + tz_offset_sec, utc);
	memcpy(out, utc, DATE_DAY_LEN - 1);
	out[DATE_DAY_LEN - 1] = '\0';
}

/* The number written by the n digits at p, or -1 when one is not a
 * digit. */
static int date_day_number(const char *p, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

int date_day_window(const char *day, int tz_offset_sec, int64_t *from,
                    int64_t *to)
{
	struct civil_time c;

	if (day == NULL || strnlen(day, DATE_DAY_LEN) != DATE_DAY_LEN - 1 ||
	    day[4] != '-' || day[7] != '-')
		return ERR_PARSE;
	memset(&c, 0, sizeof c);
	c.year = date_day_number(day, 4);
	c.month = date_day_number(day + 5, 2);
	c.day = date_day_number(day + 8, 2);
	if (c.year < 1970 || c.month < 1 || c.month > 12 || c.day < 1 ||
	    c.day > time_days_in_month(c.year, c.month))
		return ERR_PARSE;
	*from = time_from_civil(&c) - tz_offset_sec;
	*to = *from + 86400;
	return 0;
}
