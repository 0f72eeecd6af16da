#include "fetch/sources.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/ascii.h"
#include "common/date.h"
#include "common/file.h"
#include "common/hash.h"
#include "common/pattern.h"
#include "common/timeutil.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "fetch/sources_impl.h"

/* feeds.txt (fetch/sources.h); the OPML import and export are in opml.c. */

enum {
	LINE_MAX_BYTES = 8192,
	FILE_MAX_BYTES = 16 << 20,
	FIELDS_MAX = 32,
	NAME_MAX_BYTES = 100,
	QUOTE_MAX = SOURCES_QUOTE_MAX,
	MAX_ITEMS = 100000
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const kind_names[] = {
        [SOURCE_TWEET] = "tweet",         [SOURCE_BLOG] = "blog",
        [SOURCE_PAPER] = "paper",         [SOURCE_RELEASE] = "release",
        [SOURCE_COMMUNITY] = "community", [SOURCE_NEWS] = "news",
};

static const struct {
	const char *name;
	enum source_format format;
} format_names[] = {
        {"feed", SOURCE_FORMAT_FEED},
        {"x-api", SOURCE_FORMAT_X_API},
        {"hf-papers", SOURCE_FORMAT_HF_PAPERS},
        {"hn-algolia", SOURCE_FORMAT_HN_ALGOLIA},
        {"github-search", SOURCE_FORMAT_GITHUB_SEARCH},
};

enum placeholder { PH_DATE, PH_SINCE_DATE, PH_SINCE_UNIX };

/* The URL placeholders source_url_for_window fills. */
static const struct {
	const char *text;
	enum placeholder which;
} placeholders[] = {
        {"{DATE}", PH_DATE},
        {"{SINCE_DATE}", PH_SINCE_DATE},
        {"{SINCE_UNIX}", PH_SINCE_UNIX},
};

static const struct {
	const char *prefix;
	bool needs_host;
} url_schemes[] = {
        {"http://", true},
        {"https://", true},
        {"file://", false},
};

const char *source_kind_name(enum source_kind kind)
{
	if ((size_t)kind < COUNT(kind_names))
		return kind_names[kind];
	return "unknown";
}

void sources_put_quoted(struct buf *b, const char *s)
{
	buf_putc(b, '\'');
	utf8_append_cut(b, s, QUOTE_MAX);
	if (strlen(s) > QUOTE_MAX)
		buf_puts(b, "...");
	buf_putc(b, '\'');
}

static bool is_var_start(char c)
{
	return ascii_isalpha(c) || c == '_';
}

static bool is_var_char(char c)
{
	return is_var_start(c) || ascii_isdigit(c);
}

/* An environment variable name: [A-Za-z_][A-Za-z0-9_]*. */
static bool is_var_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !is_var_start(s[0]))
		return false;
	for (i = 1; i < n; i++)
		if (!is_var_char(s[i]))
			return false;
	return true;
}

/* UTF-8 text without control characters other than tab. */
static bool is_clean_text(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return utf8_valid_prefix(s, n) == n;
}

static struct name_slot *name_set_slot(const struct name_set *set,
                                       const char *name)
{
	size_t mask = set->cap - 1;
	size_t i = (size_t)hash_fnv1a_str(HASH_FNV_OFFSET, name) & mask;

	while (set->slots[i].name && strcmp(set->slots[i].name, name) != 0)
		i = (i + 1) & mask;
	return &set->slots[i];
}

struct name_slot *sources_name_get(const struct name_set *set, const char *name)
{
	struct name_slot *slot;

	if (set->cap == 0)
		return NULL;
	slot = name_set_slot(set, name);
	return slot->name ? slot : NULL;
}

struct name_slot *sources_name_add(struct name_set *set, const char *name,
                                   int line)
{
	struct name_slot *slot;

	if ((set->n + 1) * 2 > set->cap) {
		struct name_set grown;
		size_t i;

		grown.cap = set->cap ? set->cap * 2 : 64;
		grown.n = set->n;
		grown.slots = xcalloc(grown.cap, sizeof *grown.slots);
		for (i = 0; i < set->cap; i++)
			if (set->slots[i].name)
				*name_set_slot(&grown, set->slots[i].name) =
				        set->slots[i];
		free(set->slots);
		*set = grown;
	}
	slot = name_set_slot(set, name);
	if (!slot->name) {
		slot->name = xstrdup(name);
		slot->line = line;
		set->n++;
	}
	return slot;
}

void sources_names_free(struct name_set *set)
{
	size_t i;

	for (i = 0; i < set->cap; i++)
		free(set->slots[i].name);
	free(set->slots);
	set->slots = NULL;
	set->cap = set->n = 0;
}

static void source_clear(struct source *s)
{
	free(s->name);
	free(s->url);
	free(s->url_raw);
	free(s->tags);
	free(s->title);
	free(s->token_env);
	pattern_free(s->include);
	pattern_free(s->exclude);
	free(s->include_src);
	free(s->exclude_src);
	memset(s, 0, sizeof *s);
}

void sources_free(struct source_list *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->n; i++)
		source_clear(&list->v[i]);
	free(list->v);
	for (i = 0; i < list->nskipped; i++) {
		free(list->skipped[i].name);
		free(list->skipped[i].reason);
	}
	free(list->skipped);
	memset(list, 0, sizeof *list);
}

/* Options. A parser sets fields of s from value and returns 0, or returns
 * ERR_PARSE with the reason in why, or with why left empty for the
 * generic "bad value for KEY 'VALUE': want HINT". */
struct option_arg {
	struct source *s;
	const char *key, *value;
	struct buf *why;
};

static int opt_weight(const struct option_arg *a)
{
	const char *v = a->value;
	char *end;
	double w;

	/* strtod also reads hex, inf, nan and leading spaces: decimal only */
	if (!(ascii_isdigit(v[0]) || v[0] == '.') ||
	    v[strspn(v, "0123456789.eE+-")] != '\0')
		return ERR_PARSE;
	errno = 0;
	w = strtod(v, &end);
	if (errno || *end || !isfinite(w) || w <= 0 || w > 1000)
		return ERR_PARSE;
	a->s->weight = w;
	return 0;
}

static int opt_max(const struct option_arg *a)
{
	const char *v = a->value;
	long n = 0;
	size_t i;

	for (i = 0; v[i]; i++) {
		if (!ascii_isdigit(v[i]))
			return ERR_PARSE;
		n = n * 10 + (v[i] - '0');
		if (n > MAX_ITEMS)
			return ERR_PARSE;
	}
	if (n < 1)
		return ERR_PARSE;
	a->s->max = (int)n;
	return 0;
}

static int opt_tags(const struct option_arg *a)
{
	const char *v = a->value;
	size_t i, n = strlen(v);

	if (v[0] == ',' || v[n - 1] == ',' || strstr(v, ",,"))
		return ERR_PARSE;
	for (i = 0; i < n; i++)
		if (ascii_isblank(v[i]))
			return ERR_PARSE;
	a->s->tags = xstrdup(v);
	return 0;
}

/* title="Google DeepMind": a name for people, so no tab (TSV output)
 * and no spaces around it. */
static int opt_title(const struct option_arg *a)
{
	const char *v = a->value;
	size_t n = strlen(v);

	if (n > SOURCE_TITLE_MAX) {
		buf_printf(a->why, "title longer than %d bytes",
		           SOURCE_TITLE_MAX);
		return ERR_PARSE;
	}
	if (strchr(v, '\t') || ascii_isblank(v[0]) || ascii_isblank(v[n - 1]))
		return ERR_PARSE;
	a->s->title = xstrdup(v);
	return 0;
}

static int opt_tz(const struct option_arg *a)
{
	return date_parse_offset(a->value, &a->s->tz_offset_sec) == 0
	               ? ERR_OK
	               : ERR_PARSE;
}

static int opt_token_env(const struct option_arg *a)
{
	if (!is_var_name(a->value, strlen(a->value)))
		return ERR_PARSE;
	a->s->token_env = xstrdup(a->value);
	return 0;
}

static int opt_format(const struct option_arg *a)
{
	size_t i;

	for (i = 0; i < COUNT(format_names); i++)
		if (strcmp(a->value, format_names[i].name) == 0) {
			a->s->format = format_names[i].format;
			return 0;
		}
	return ERR_PARSE;
}

static int opt_pattern(const struct option_arg *a)
{
	struct buf msg = BUF_INIT(0);
	struct pattern *re;
	const char *m;

	if (pattern_compile(a->value, &re, &msg) != 0) {
		/* "bad pattern: ..." named after the option: "bad include
		 * pattern: ..." */
		m = buf_cstr(&msg);
		if (strncmp(m, "bad ", 4) == 0)
			m += 4;
		buf_printf(a->why, "bad %s %s", a->key, m);
		buf_free(&msg);
		return ERR_PARSE;
	}
	buf_free(&msg);
	if (strcmp(a->key, "include") == 0) {
		a->s->include = re;
		a->s->include_src = xstrdup(a->value);
	} else {
		a->s->exclude = re;
		a->s->exclude_src = xstrdup(a->value);
	}
	return 0;
}

static int opt_collapse(const struct option_arg *a)
{
	if (strcmp(a->value, "yes") == 0)
		a->s->collapse_daily = true;
	else if (strcmp(a->value, "no") == 0)
		a->s->collapse_daily = false;
	else
		return ERR_PARSE;
	return 0;
}

enum option_id {
	OPT_WEIGHT,
	OPT_MAX,
	OPT_TAGS,
	OPT_TITLE,
	OPT_TZ,
	OPT_TOKEN_ENV,
	OPT_FORMAT,
	OPT_INCLUDE,
	OPT_EXCLUDE,
	OPT_COLLAPSE
};

static const struct source_option {
	const char *key;
	int (*parse)(const struct option_arg *a);
	const char *want; /* for "bad value" messages */
} source_options[] = {
        [OPT_WEIGHT] = {"weight", opt_weight, "a number above 0, at most 1000"},
        [OPT_MAX] = {"max", opt_max, "a whole number from 1 to 100000"},
        [OPT_TAGS] = {"tags", opt_tags, "words separated by commas"},
        [OPT_TITLE] = {"title", opt_title,
                       "text without tabs or spaces around it"},
        [OPT_TZ] = {"tz", opt_tz, "an offset such as +09:00"},
        [OPT_TOKEN_ENV] = {"token_env", opt_token_env, "a variable name"},
        [OPT_FORMAT] = {"format", opt_format,
                        "feed, x-api, hf-papers, hn-algolia or github-search"},
        [OPT_INCLUDE] = {"include", opt_pattern, "a pattern"},
        [OPT_EXCLUDE] = {"exclude", opt_pattern, "a pattern"},
        [OPT_COLLAPSE] = {"collapse", opt_collapse, "yes or no"},
};

/* The state of one sources_parse call. */
struct parser {
	const char *filename;
	struct source_list *out;
	size_t alloc, skip_alloc;
	struct buf *messages;
	struct name_set names;
	struct buf raw;   /* the line's fields as written, each NUL-ended */
	struct buf field; /* the same with ${VAR} expanded */
	size_t raw_off[FIELDS_MAX], field_off[FIELDS_MAX];
	size_t nfields;
	struct buf why; /* the reason a line is bad or skipped */
};

enum line_result { LINE_EMPTY, LINE_SOURCE, LINE_BAD, LINE_SKIPPED };

enum expand_result { EXPAND_OK, EXPAND_BAD, EXPAND_UNSET };

/* Split a line into fields at spaces and tabs outside double quotes, up
 * to a `#` that starts a field (a comment). The quotes are dropped. */
static int split_fields(struct parser *p, const char *line, size_t len)
{
	size_t i = 0;

	buf_reset(&p->raw);
	p->nfields = 0;
	for (;;) {
		bool quoted = false;

		while (i < len && ascii_isblank(line[i]))
			i++;
		if (i == len || line[i] == '#')
			return 0;
		if (p->nfields == FIELDS_MAX) {
			buf_printf(&p->why, "more than %d fields", FIELDS_MAX);
			return ERR_PARSE;
		}
		p->raw_off[p->nfields++] = p->raw.len;
		for (; i < len && (quoted || !ascii_isblank(line[i])); i++) {
			if (line[i] == '"')
				quoted = !quoted;
			else
				buf_putc(&p->raw, line[i]);
		}
		if (quoted) {
			buf_puts(&p->why, "unterminated quote");
			return ERR_PARSE;
		}
		buf_putc(&p->raw, '\0');
	}
}

/* Append s to p->field, NUL-ended, with every ${VAR} replaced by its
 * value. An unset or empty variable makes the line skipped. */
static enum expand_result expand_field(struct parser *p, const char *s)
{
	enum expand_result ret = EXPAND_BAD;
	const char *open, *close, *value;
	char *name = NULL;

	while ((open = strstr(s, "${")) != NULL) {
		if (buf_append(&p->field, s, (size_t)(open - s)) != BUF_OK)
			goto too_long;
		close = strchr(open + 2, '}');
		if (!close) {
			buf_puts(&p->why, "${ without }");
			goto out;
		}
		free(name);
		name = xstrndup(open + 2, (size_t)(close - open - 2));
		if (!is_var_name(name, strlen(name))) {
			buf_puts(&p->why, "bad variable name in ${");
			utf8_append_cut(&p->why, name, QUOTE_MAX);
			buf_putc(&p->why, '}');
			goto out;
		}
		value = getenv(name);
		if (!value || !*value) {
			buf_printf(&p->why, "${%s} is not set", name);
			ret = EXPAND_UNSET;
			goto out;
		}
		if (!is_clean_text(value, strlen(value))) {
			buf_printf(&p->why,
			           "${%s} holds control characters or invalid "
			           "UTF-8",
			           name);
			goto out;
		}
		if (buf_puts(&p->field, value) != BUF_OK)
			goto too_long;
		s = close + 1;
	}
	if (buf_append(&p->field, s, strlen(s) + 1) != BUF_OK)
		goto too_long;
	ret = EXPAND_OK;
	goto out;
too_long:
	buf_printf(&p->why, "line longer than %d bytes with variables expanded",
	           LINE_MAX_BYTES);
out:
	free(name);
	return ret;
}

static int check_name(const char *name, struct buf *why)
{
	size_t i, n = strlen(name);

	if (n == 0) {
		buf_puts(why, "empty name");
		return ERR_PARSE;
	}
	if (n > NAME_MAX_BYTES) {
		buf_puts(why, "name ");
		sources_put_quoted(why, name);
		buf_printf(why, " is longer than %d bytes", NAME_MAX_BYTES);
		return ERR_PARSE;
	}
	for (i = 0; i < n; i++)
		if (ascii_isblank(name[i])) {
			buf_puts(why, "name ");
			sources_put_quoted(why, name);
			buf_puts(why, " has a space in it");
			return ERR_PARSE;
		}
	return 0;
}

/* The placeholder at s ("{DATE}" ...), or -1 when there is none. */
static int placeholder_at(const char *s)
{
	size_t i;

	for (i = 0; i < COUNT(placeholders); i++)
		if (strncmp(s, placeholders[i].text,
		            strlen(placeholders[i].text)) == 0)
			return (int)i;
	return -1;
}

size_t sources_placeholder_len(const char *s)
{
	int ph = placeholder_at(s);

	return ph < 0 ? 0 : strlen(placeholders[ph].text);
}

/* Length of a "{UPPER_CASE}" at s, or 0 when s does not start one. */
static size_t braced_word_len(const char *s)
{
	size_t i = 1;

	if (s[0] != '{')
		return 0;
	while (ascii_isupper(s[i]) || s[i] == '_')
		i++;
	return i > 1 && s[i] == '}' ? i + 1 : 0;
}

int sources_check_url(const char *url, struct buf *why)
{
	size_t i, n = 0;
	bool needs_host = false;

	for (i = 0; i < COUNT(url_schemes); i++)
		if (ascii_has_prefix_ci(url, url_schemes[i].prefix)) {
			n = strlen(url_schemes[i].prefix);
			needs_host = url_schemes[i].needs_host;
		}
	if (n == 0) {
		buf_puts(why, "url ");
		sources_put_quoted(why, url);
		buf_puts(why, " is not http://, https:// or file://");
		return ERR_PARSE;
	}
	if (url[n] == '\0' || (needs_host && url[n] == '/')) {
		buf_puts(why, "url ");
		sources_put_quoted(why, url);
		buf_puts(why, needs_host ? " has no host" : " has no path");
		return ERR_PARSE;
	}
	for (i = 0; url[i]; i++) {
		size_t w = braced_word_len(url + i);

		if (ascii_isblank(url[i])) {
			buf_puts(why, "url ");
			sources_put_quoted(why, url);
			buf_puts(why, " has a space in it");
			return ERR_PARSE;
		}
		if (w && placeholder_at(url + i) < 0) {
			char *word = xstrndup(url + i, w);

			buf_printf(why, "unknown placeholder %s in url", word);
			free(word);
			return ERR_PARSE;
		}
	}
	return 0;
}

static int parse_option(struct source *s, const char *field, unsigned *seen,
                        struct buf *why)
{
	const char *eq = strchr(field, '=');
	size_t i, klen = eq ? (size_t)(eq - field) : strlen(field);
	const struct source_option *opt = NULL;
	struct option_arg arg;

	for (i = 0; i < COUNT(source_options); i++)
		if (strlen(source_options[i].key) == klen &&
		    memcmp(source_options[i].key, field, klen) == 0)
			opt = &source_options[i];
	if (!opt) {
		char *key = xstrndup(field, klen);

		buf_puts(why, "unknown option ");
		sources_put_quoted(why, key);
		free(key);
		return ERR_PARSE;
	}
	i = (size_t)(opt - source_options);
	if (*seen & (1u << i)) {
		buf_printf(why, "option '%s' given twice", opt->key);
		return ERR_PARSE;
	}
	*seen |= 1u << i;
	if (!eq || eq[1] == '\0') {
		buf_printf(why, "empty value for %s", opt->key);
		return ERR_PARSE;
	}
	arg.s = s;
	arg.key = opt->key;
	arg.value = eq + 1;
	arg.why = why;
	if (opt->parse(&arg) != 0) {
		if (why->len == 0) {
			buf_printf(why, "bad value for %s ", opt->key);
			sources_put_quoted(why, eq + 1);
			buf_printf(why, ": want %s", opt->want);
		}
		return ERR_PARSE;
	}
	return 0;
}

static int kind_from_name(const char *name, enum source_kind *kind)
{
	size_t i;

	for (i = 0; i < COUNT(kind_names); i++)
		if (strcmp(name, kind_names[i]) == 0) {
			*kind = (enum source_kind)i;
			return 0;
		}
	return ERR_NOT_FOUND;
}

static void parser_add(struct parser *p, struct source *s)
{
	if (p->out->n == p->alloc) {
		p->alloc = p->alloc ? p->alloc * 2 : 32;
		p->out->v = xreallocarray(p->out->v, p->alloc, sizeof *s);
	}
	p->out->v[p->out->n++] = *s;
	memset(s, 0, sizeof *s);
}

/* The first byte of a line that is not a space or tab, or '\0'. */
static char first_char(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && ascii_isblank(line[i]))
		i++;
	return i < len ? line[i] : '\0';
}

static enum line_result parse_line(struct parser *p, const char *line,
                                   size_t len, int lineno)
{
	enum line_result ret = LINE_BAD;
	const struct name_slot *first;
	const char *f[FIELDS_MAX];
	struct source s;
	unsigned seen = 0;
	size_t i;

	memset(&s, 0, sizeof s);
	buf_reset(&p->why);
	if (first_char(line, len) == '#' || first_char(line, len) == '\0') {
		if (len <= LINE_MAX_BYTES)
			ret = LINE_EMPTY;
		else
			buf_printf(&p->why, "line longer than %d bytes",
			           LINE_MAX_BYTES);
		goto out;
	}
	if (len > LINE_MAX_BYTES) {
		buf_printf(&p->why, "line longer than %d bytes",
		           LINE_MAX_BYTES);
		goto out;
	}
	if (!is_clean_text(line, len)) {
		buf_puts(&p->why, memchr(line, '\0', len)
		                          ? "NUL byte in the line"
		                          : "control character or invalid "
		                            "UTF-8 in the line");
		goto out;
	}
	if (split_fields(p, line, len) != 0)
		goto out;
	if (p->nfields == 0) {
		ret = LINE_EMPTY;
		goto out;
	}
	buf_reset(&p->field);
	for (i = 0; i < p->nfields; i++) {
		enum expand_result e;

		p->field_off[i] = p->field.len;
		e = expand_field(p, p->raw.data + p->raw_off[i]);
		if (e == EXPAND_UNSET)
			ret = LINE_SKIPPED;
		if (e != EXPAND_OK)
			goto out;
	}
	for (i = 0; i < p->nfields; i++)
		f[i] = p->field.data + p->field_off[i];

	if (kind_from_name(f[0], &s.kind) != 0) {
		buf_puts(&p->why, "unknown kind ");
		sources_put_quoted(&p->why, f[0]);
		goto out;
	}
	if (p->nfields < 3) {
		buf_puts(&p->why, p->nfields == 1 ? "missing name and url"
		                                  : "missing url");
		goto out;
	}
	if (check_name(f[1], &p->why) != 0 ||
	    sources_check_url(f[2], &p->why) != 0)
		goto out;
	s.name = xstrdup(f[1]);
	s.url = xstrdup(f[2]);
	s.url_raw = xstrdup(p->raw.data + p->raw_off[2]);
	s.weight = 1.0;
	s.line = lineno;
	for (i = 3; i < p->nfields; i++)
		if (parse_option(&s, f[i], &seen, &p->why) != 0)
			goto out;
	if (!(seen & (1u << OPT_COLLAPSE)))
		s.collapse_daily = s.kind == SOURCE_RELEASE;
	first = sources_name_get(&p->names, s.name);
	if (first) {
		buf_puts(&p->why, "duplicate name ");
		sources_put_quoted(&p->why, s.name);
		buf_printf(&p->why, " (first kept, line %d)", first->line);
		goto out;
	}
	sources_name_add(&p->names, s.name, lineno);
	parser_add(p, &s);
	ret = LINE_SOURCE;
out:
	source_clear(&s);
	return ret;
}

/* Remember a line skipped for an unset variable (p->raw holds its fields
 * as written, p->why the reason). */
static void parser_skip(struct parser *p, int lineno)
{
	struct source_list *out = p->out;
	struct source_skip *k;
	char name[32];

	if (out->nskipped == p->skip_alloc) {
		p->skip_alloc = p->skip_alloc ? p->skip_alloc * 2 : 16;
		out->skipped = xreallocarray(out->skipped, p->skip_alloc,
		                             sizeof *out->skipped);
	}
	k = &out->skipped[out->nskipped++];
	snprintf(name, sizeof name, "line %d", lineno);
	k->name = xstrdup(p->nfields >= 2 ? p->raw.data + p->raw_off[1] : name);
	k->reason = xstrdup(buf_cstr(&p->why));
	k->line = lineno;
}

static void report(struct parser *p, int lineno, const char *what)
{
	if (p->messages)
		buf_printf(p->messages, "%s:%d: %s%s\n", p->filename, lineno,
		           what, buf_cstr(&p->why));
}

int sources_parse(const char *text, size_t n, const char *filename,
                  struct source_list *out, struct buf *messages)
{
	struct parser p;
	size_t pos = 0;
	int lineno = 0, bad = 0;

	memset(&p, 0, sizeof p);
	p.filename = filename ? filename : "feeds.txt";
	p.out = out;
	p.messages = messages;
	buf_init(&p.raw, LINE_MAX_BYTES + FIELDS_MAX);
	buf_init(&p.field, LINE_MAX_BYTES + FIELDS_MAX);
	buf_init(&p.why, 1024);
	memset(out, 0, sizeof *out);
	if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < n) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', n - pos);
		size_t len = nl ? (size_t)(nl - line) : n - pos;

		pos += len + (nl != NULL);
		lineno++;
		if (len > 0 && line[len - 1] == '\r')
			len--;
		if (out->n == SOURCES_MAX && first_char(line, len) != '#' &&
		    first_char(line, len) != '\0') {
			buf_reset(&p.why);
			buf_printf(&p.why,
			           "more than %d sources: this line and the "
			           "rest are ignored",
			           SOURCES_MAX);
			report(&p, lineno, "");
			bad++;
			break;
		}
		switch (parse_line(&p, line, len, lineno)) {
		case LINE_BAD:
			report(&p, lineno, "");
			bad++;
			break;
		case LINE_SKIPPED:
			report(&p, lineno, "skipped: ");
			parser_skip(&p, lineno);
			break;
		case LINE_EMPTY:
		case LINE_SOURCE:
			break;
		}
	}
	sources_names_free(&p.names);
	buf_free(&p.raw);
	buf_free(&p.field);
	buf_free(&p.why);
	return bad;
}

int sources_load(const char *path, struct source_list *out, int *bad,
                 struct buf *messages)
{
	struct buf data = BUF_INIT(0), why = BUF_INIT(0);
	int ret, nbad = 0;

	memset(out, 0, sizeof *out);
	ret = file_read(path, FILE_MAX_BYTES, &data, &why);
	if (ret != ERR_OK) {
		if (messages)
			buf_printf(messages, "%s: %s\n", path, buf_cstr(&why));
		goto out;
	}
	nbad = sources_parse(buf_cstr(&data), data.len, path, out, messages);
out:
	if (bad)
		*bad = nbad;
	buf_free(&data);
	buf_free(&why);
	return ret;
}

bool source_accepts(const struct source *s, const char *title, const char *text)
{
	if (s->include && !pattern_matches(s->include, title) &&
	    !pattern_matches(s->include, text))
		return false;
	if (s->exclude && (pattern_matches(s->exclude, title) ||
	                   pattern_matches(s->exclude, text)))
		return false;
	return true;
}

static void format_date(int64_t t, char out[32])
{
	struct civil_time c;

	time_to_civil(t, &c);
	snprintf(out, 32, "%04d-%02d-%02d", c.year, c.month, c.day);
}

char *source_url_for_window(const struct source *s, const char *date,
                            int64_t since)
{
	struct buf url = BUF_INIT(0);
	char since_date[32], since_unix[24];
	const char *p;

	format_date(since, since_date);
	snprintf(since_unix, sizeof since_unix, "%lld", (long long)since);
	for (p = s->url; *p;) {
		int ph = *p == '{' ? placeholder_at(p) : -1;

		if (ph < 0) {
			buf_putc(&url, *p++);
			continue;
		}
		switch (placeholders[ph].which) {
		case PH_DATE:
			buf_puts(&url, date ? date : since_date);
			break;
		case PH_SINCE_DATE:
			buf_puts(&url, since_date);
			break;
		case PH_SINCE_UNIX:
			buf_puts(&url, since_unix);
			break;
		}
		p += strlen(placeholders[ph].text);
	}
	return buf_detach(&url);
}
