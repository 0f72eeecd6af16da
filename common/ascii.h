#ifndef AIDIGEST_ASCII_H
#define AIDIGEST_ASCII_H

#include <stdbool.h>
#include <stddef.h>

/* ASCII character classes, independent of the locale (ctype's answers
 * change with setlocale and take only unsigned char values). Bytes >= 0x80
 * are in no class: UTF-8 text passes through untouched. */

static inline bool ascii_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static inline bool ascii_isupper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static inline bool ascii_islower(int c)
{
	return c >= 'a' && c <= 'z';
}

static inline bool ascii_isalpha(int c)
{
	return ascii_isupper(c) || ascii_islower(c);
}

static inline bool ascii_isalnum(int c)
{
	return ascii_isalpha(c) || ascii_isdigit(c);
}

static inline bool ascii_isxdigit(int c)
{
	return ascii_isdigit(c) || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/* Space and tab. */
static inline bool ascii_isblank(int c)
{
	return c == ' ' || c == '\t';
}

/* Space, tab, and the line and page breaks \n \v \f \r. */
static inline bool ascii_isspace(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* XML's white space: space, tab, CR and LF. */
static inline bool ascii_isxmlspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline int ascii_tolower(int c)
{
	return ascii_isupper(c) ? c + ('a' - 'A') : c;
}

static inline int ascii_toupper(int c)
{
	return ascii_islower(c) ? c - ('a' - 'A') : c;
}

/* The value of a hex digit, or -1. */
static inline int ascii_hexval(int c)
{
	if (ascii_isdigit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* strcasecmp and strncasecmp for ASCII letters only. */
int ascii_casecmp(const char *a, const char *b);
int ascii_ncasecmp(const char *a, const char *b, size_t n);
/* Whether s starts with prefix, ASCII case ignored. */
bool ascii_has_prefix_ci(const char *s, const char *prefix);

#endif
