#ifndef AIDIGEST_INI_H
#define AIDIGEST_INI_H

#include <stddef.h>

#include "common/buf.h"

/* INI files: `[section]`, `key = value`, `#` or `;` comments on their own
 * lines, values optionally in double quotes (then \" \\ \n \t escapes),
 * keys case-sensitive. A key given twice: the last wins. */

struct ini_entry {
	char *section; /* "" before any section */
	char *key;
	char *value;
	int line;
};

struct ini {
	struct ini_entry *v;
	size_t n;
};

/* Parse text; each malformed line (a line with a NUL byte too) is
 * reported as "NAME:LINE: reason" in err and skipped. Returns the number
 * of malformed lines. */
int ini_parse(const char *text, size_t n, const char *name, struct ini *out,
              struct buf *err);
void ini_free(struct ini *ini);

/* The value of section.key (the last one given), or NULL. */
const char *ini_get(const struct ini *ini, const char *section,
                    const char *key);
/* The entry of section.key, or NULL (for its line number). */
const struct ini_entry *ini_find(const struct ini *ini, const char *section,
                                 const char *key);

/* The value of e as a number from min to max into *out: 0, or ERR_PARSE
 * with "FILE:LINE: [SECTION] KEY wants a number from MIN to MAX, not
 * 'VALUE'" in err. */
int ini_number(const struct ini_entry *e, const char *file, double min,
               double max, double *out, struct buf *err);

#endif
