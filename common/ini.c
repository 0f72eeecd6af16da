#include "common/ini.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"
#include "common/xalloc.h"

#define INI_MAX_LINE 8192

static const char *ini_skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static const char *ini_trim_end(const char *p, const char *end)
{
	while (end > p &&
	       (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	return end;
}

static void ini_add(struct ini *ini, const char *section, const char *key,
                    size_t keylen, char *value, int line)
{
	struct ini_entry *e;

	ini->v = xreallocarray(ini->v, ini->n + 1, sizeof *ini->v);
	e = &ini->v[ini->n++];
	e->section = xstrdup(section);
	e->key = xstrndup(key, keylen);
	e->value = value;
	e->line = line;
}

/* A quoted value at p (past the opening quote): its text, or NULL when
 * the closing quote is missing or something follows it. */
static char *ini_quoted(const char *p, const char *end)
{
	struct buf v = BUF_INIT(INI_MAX_LINE);

	for (; p < end && *p != '"'; p++) {
		if (*p == '\\' && p + 1 < end) {
			p++;
			buf_putc(&v, *p == 'n' ? '\n' : *p == 't' ? '\t' : *p);
		} else {
			buf_putc(&v, *p);
		}
	}
	if (p >= end || ini_skip_space(p + 1, end) != end) {
		buf_free(&v);
		return NULL;
	}
	return buf_detach(&v);
}

int ini_parse(const char *text, size_t n, const char *name, struct ini *out,
              struct buf *err)
{
	const char *p = text, *end = text + n, *eol, *e, *eq, *k;
	char *section = xstrdup(""), *value;
	int line = 0, bad = 0;

	memset(out, 0, sizeof *out);
	for (; p < end; p = eol < end ? eol + 1 : end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		line++;
		e = ini_trim_end(p, eol);
		p = ini_skip_space(p, e);
		if (p == e || *p == '#' || *p == ';')
			continue;
		if (e - p > INI_MAX_LINE) {
			buf_printf(err, "%s:%d: line too long\n", name, line);
			bad++;
			continue;
		}
		/* a key or value would end at it, silently */
		if (memchr(p, '\0', (size_t)(e - p))) {
			buf_printf(err, "%s:%d: a NUL byte in the line\n", name,
			           line);
			bad++;
			continue;
		}
		if (*p == '[') {
			if (e[-1] != ']' || e - p < 3) {
				buf_printf(err,
				           "%s:%d: malformed section header\n",
				           name, line);
				bad++;
				continue;
			}
			free(section);
			p = ini_skip_space(p + 1, e - 1);
			section = xstrndup(
			        p, (size_t)(ini_trim_end(p, e - 1) - p));
			continue;
		}
		eq = memchr(p, '=', (size_t)(e - p));
		if (!eq) {
			buf_printf(err, "%s:%d: expected key = value\n", name,
			           line);
			bad++;
			continue;
		}
		k = p;
		p = ini_skip_space(eq + 1, e);
		if (ini_trim_end(k, eq) == k) {
			buf_printf(err, "%s:%d: a key is missing before '='\n",
			           name, line);
			bad++;
			continue;
		}
		if (p < e && *p == '"') {
			value = ini_quoted(p + 1, e);
			if (!value) {
				buf_printf(err,
				           "%s:%d: unterminated quoted value\n",
				           name, line);
				bad++;
				continue;
			}
		} else {
			value = xstrndup(p, (size_t)(e - p));
		}
		ini_add(out, section, k, (size_t)(ini_trim_end(k, eq) - k),
		        value, line);
	}
	free(section);
	return bad;
}

void ini_free(struct ini *ini)
{
	size_t i;

	if (!ini)
		return;
	for (i = 0; i < ini->n; i++) {
		free(ini->v[i].section);
		free(ini->v[i].key);
		free(ini->v[i].value);
	}
	free(ini->v);
	memset(ini, 0, sizeof *ini);
}

const struct ini_entry *ini_find(const struct ini *ini, const char *section,
                                 const char *key)
{
	size_t i;

	for (i = ini->n; i-- > 0;)
		if (strcmp(ini->v[i].section, section) == 0 &&
		    strcmp(ini->v[i].key, key) == 0)
			return &ini->v[i];
	return NULL;
}

const char *ini_get(const struct ini *ini, const char *section, const char *key)
{
	const struct ini_entry *e = ini_find(ini, section, key);

	return e ? e->value : NULL;
}

int ini_number(const struct ini_entry *e, const char *file, double min,
               double max, double *out, struct buf *err)
{
	char *end;
	double v = strtod(e->value, &end);

	if (end == e->value || *end || !(v >= min && v <= max)) {
		buf_printf(err,
		           "%s:%d: [%s] %s wants a number from %g to %g, "
		           "not '%s'\n",
		           file, e->line, e->section, e->key, min, max,
		           e->value);
		return ERR_PARSE;
	}
	*out = v;
	return 0;
}
