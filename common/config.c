#include "common/config.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/date.h"
#include "common/file.h"
#include "common/xalloc.h"

/* The most a configuration file may hold. */
#define CONFIG_MAX_BYTES ((size_t)1 << 20)

enum config_type { CT_INT, CT_LONG, CT_SIZE, CT_TZ, CT_PATH, CT_STRING };

/* The keys this version reads: section, key, type, bounds, where. */
static const struct config_key {
	const char *section, *key;
	enum config_type type;
	long long min, max;
	size_t offset;
} config_keys[] = {
        {"digest", "timezone", CT_TZ, 0, 0,
         offsetof(struct config, tz_offset_sec)},
        {"digest", "feeds", CT_PATH, 0, 0, offsetof(struct config, feeds)},
        {"digest", "db", CT_PATH, 0, 0, offsetof(struct config, db)},
        {"digest", "stale_days", CT_INT, 1, 365,
         offsetof(struct config, stale_days)},
        {"digest", "out", CT_PATH, 0, 0, offsetof(struct config, out)},
        {"digest", "output", CT_STRING, 0, 0, offsetof(struct config, output)},
        {"digest", "preset", CT_STRING, 0, 0, offsetof(struct config, preset)},
        {"digest", "series", CT_STRING, 0, 0, offsetof(struct config, series)},
        {"digest", "template", CT_PATH, 0, 0,
         offsetof(struct config, template_path)},
        {"fetch", "transfers", CT_INT, 1, 256,
         offsetof(struct config, transfers)},
        {"fetch", "per_host", CT_INT, 1, 64, offsetof(struct config, per_host)},
        {"fetch", "connect_timeout", CT_LONG, 1, 600,
         offsetof(struct config, connect_timeout)},
        {"fetch", "timeout", CT_LONG, 1, 3600,
         offsetof(struct config, timeout)},
        {"fetch", "deadline", CT_LONG, 1, 86400,
         offsetof(struct config, deadline)},
        {"fetch", "max_bytes", CT_SIZE, 1024, (long long)1 << 30,
         offsetof(struct config, max_bytes)},
        {"fetch", "retries", CT_INT, 0, 10, offsetof(struct config, retries)},
        {"fetch", "user_agent", CT_STRING, 0, 0,
         offsetof(struct config, user_agent)},
};

/* Sections later issues read; accepted as they are for now. */
static const char *const config_other_sections[] = {
        "panel", "budget", "writer", "categories", "glossary", "judge.",
};

static void config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->tz_offset_sec = 9 * 3600;
	c->stale_days = 3;
	c->transfers = 16;
	c->per_host = 2;
	c->connect_timeout = 10;
	c->timeout = 30;
	c->deadline = 150;
	c->max_bytes = (size_t)16 << 20;
	c->retries = 2;
}

char *config_expand_path(const char *path)
{
	const char *home = getenv("HOME");
	struct buf b = BUF_INIT(PATH_MAX);

	if (path[0] == '~' && path[1] == '/' && home && *home) {
		buf_printf(&b, "%s%s", home, path + 1);
		return buf_detach(&b);
	}
	return xstrdup(path);
}

/* mkdir -p of path's folders (0700). 0, or ERR_IO. */
static int config_mkdirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			*p = '/';
			return ERR_IO;
		}
		*p = '/';
	}
	return 0;
}

char *config_default_db(void)
{
	const char *data = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	struct buf b = BUF_INIT(PATH_MAX);

	if (data && *data == '/')
		buf_printf(&b, "%s/aidigest/aidigest.db", data);
	else if (home && *home)
		buf_printf(&b, "%s/.local/share/aidigest/aidigest.db", home);
	else
		return NULL;
	/* not fatal here: a folder that cannot be made is said, with its
	 * reason, when the store cannot create its file there */
	(void)config_mkdirs(b.data);
	return buf_detach(&b);
}

static int config_parse_number(const char *s, long long min, long long max,
                               bool size_suffix, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s)
		return ERR_PARSE;
	if (size_suffix && (*end == 'K' || *end == 'k') && v < LLONG_MAX >> 10)
		v <<= 10, end++;
	else if (size_suffix && *end == 'M' && v < LLONG_MAX >> 20)
		v <<= 20, end++;
	if (*end || v < min || v > max)
		return ERR_PARSE;
	*out = v;
	return 0;
}

static int config_apply(struct config *c, const struct config_key *k,
                        const struct ini_entry *e, const char *name,
                        struct buf *err)
{
	char *slot = (char *)c + k->offset;
	long long v = 0;
	int tz;

	switch (k->type) {
	case CT_INT:
	case CT_LONG:
	case CT_SIZE:
		if (config_parse_number(e->value, k->min, k->max,
		                        k->type == CT_SIZE, &v) != 0) {
			buf_printf(err,
			           "%s:%d: %s.%s wants a number from %lld "
			           "to %lld, not '%s'\n",
			           name, e->line, k->section, k->key, k->min,
			           k->max, e->value);
			return ERR_PARSE;
		}
		if (k->type == CT_INT)
			*(int *)(void *)slot = (int)v;
		else if (k->type == CT_LONG)
			*(long *)(void *)slot = (long)v;
		else
			*(size_t *)(void *)slot = (size_t)v;
		return 0;
	case CT_TZ:
		if (date_parse_offset(e->value, &tz) != 0) {
			buf_printf(err,
			           "%s:%d: %s.%s wants an offset such as "
			           "+09:00, not '%s'\n",
			           name, e->line, k->section, k->key, e->value);
			return ERR_PARSE;
		}
		*(int *)(void *)slot = tz;
		return 0;
	case CT_PATH:
		free(*(char **)(void *)slot);
		*(char **)(void *)slot = config_expand_path(e->value);
		return 0;
	case CT_STRING:
		free(*(char **)(void *)slot);
		*(char **)(void *)slot = xstrdup(e->value);
		return 0;
	}
	return ERR_PARSE;
}

static bool config_section_known(const char *section)
{
	size_t i, n;

	for (i = 0; i < sizeof config_keys / sizeof *config_keys; i++)
		if (strcmp(config_keys[i].section, section) == 0)
			return true;
	for (i = 0;
	     i < sizeof config_other_sections / sizeof *config_other_sections;
	     i++) {
		n = strlen(config_other_sections[i]);
		if (config_other_sections[i][n - 1] == '.'
		            ? strncmp(section, config_other_sections[i], n) == 0
		            : strcmp(section, config_other_sections[i]) == 0)
			return true;
	}
	return false;
}

static int config_read(struct config *c, const char *path, struct buf *err,
                       struct buf *warnings)
{
	struct buf text = BUF_INIT(0), why = BUF_INIT(256);
	size_t i, k;
	int bad = 0, rc;

	/* a directory or an unreadable file is an error, never an empty
	 * configuration */
	rc = file_read(path, CONFIG_MAX_BYTES, &text, &why);
	if (rc != 0) {
		buf_printf(err, "%s: %s\n", path, buf_cstr(&why));
		buf_free(&why);
		buf_free(&text);
		return rc;
	}
	buf_free(&why);
	bad = ini_parse(buf_cstr(&text), text.len, path, &c->ini, err);
	buf_free(&text);
	for (i = 0; i < c->ini.n; i++) {
		const struct ini_entry *e = &c->ini.v[i];

		if (!config_section_known(e->section)) {
			buf_printf(warnings, "%s:%d: unknown section [%s]\n",
			           path, e->line, e->section);
			continue;
		}
		for (k = 0; k < sizeof config_keys / sizeof *config_keys; k++)
			if (strcmp(config_keys[k].section, e->section) == 0 &&
			    strcmp(config_keys[k].key, e->key) == 0)
				break;
		if (k < sizeof config_keys / sizeof *config_keys) {
			if (config_apply(c, &config_keys[k], e, path, err) != 0)
				bad++;
		} else if (strcmp(e->section, "digest") == 0 ||
		           strcmp(e->section, "fetch") == 0) {
			buf_printf(warnings,
			           "%s:%d: unknown key '%s' in [%s]\n", path,
			           e->line, e->key, e->section);
		}
	}
	return bad ? ERR_PARSE : ERR_OK;
}

int config_load(const char *explicit_path, struct config *out, struct buf *err,
                struct buf *warnings)
{
	const char *env = getenv("AIDIGEST_CONFIG");
	char *path = NULL;
	struct stat st;
	int rc = 0;

	config_defaults(out);
	if (explicit_path) {
		path = xstrdup(explicit_path);
	} else if (env && *env) {
		path = xstrdup(env);
	} else {
		path = config_expand_path("~/.config/aidigest/aidigest.conf");
		if (stat(path, &st) != 0) {
			free(path);
			return 0; /* built-in defaults */
		}
	}
	out->path = path;
	rc = config_read(out, path, err, warnings);
	return rc;
}

void config_free(struct config *c)
{
	if (!c)
		return;
	ini_free(&c->ini);
	free(c->path);
	free(c->feeds);
	free(c->db);
	free(c->user_agent);
	free(c->out);
	free(c->output);
	free(c->preset);
	free(c->series);
	free(c->template_path);
	memset(c, 0, sizeof *c);
}
