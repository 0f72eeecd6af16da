#include "fetch/sources.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <pcre2.h>

#include "common/timeutil.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "common/date.h"

enum {
	LINE_MAX_BYTES = 8192,
	SOURCES_MAX = 10000,
	FILE_MAX_BYTES = 16 << 20,
	FIELDS_MAX = 32,
	NAME_MAX_BYTES = 100,
	QUOTE_MAX = 60, /* bytes of input quoted in a message */
	MAX_ITEMS = 100000,
	OPML_MAX_BYTES = 8 << 20,
	OPML_NAME_CHARS = 32,
	OPML_NAME_BYTES = 64,
	OPML_URL_MAX = 2048,
	OPML_NOTICES_MAX = 100
};

/* Bounds for one pattern match: hostile patterns such as (a+)+$ stop here
 * instead of backtracking for hours. */
enum {
	MATCH_LIMIT = 1000000,
	MATCH_DEPTH_LIMIT = 10000,
	MATCH_HEAP_LIMIT_KIB = 20000
};

#ifdef PCRE2_MATCH_INVALID_UTF
#define PATTERN_INVALID_UTF PCRE2_MATCH_INVALID_UTF
#else
#define PATTERN_INVALID_UTF 0
#endif
#define PATTERN_OPTIONS                                                        \
	(PCRE2_UTF | PCRE2_CASELESS | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C |    \
	 PATTERN_INVALID_UTF)

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

/* Append s to b in single quotes, cut on a character boundary. */
static void put_quoted(struct buf *b, const char *s)
{
	buf_putc(b, '\'');
	utf8_append_cut(b, s, QUOTE_MAX);
	if (strlen(s) > QUOTE_MAX)
		buf_puts(b, "...");
	buf_putc(b, '\'');
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_var_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_var_char(char c)
{
	return is_var_start(c) || (c >= '0' && c <= '9');
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

/* Names seen so far: an open-addressing hash set of copies, with the line
 * each came from. */
struct name_slot {
	char *name;
	int line;
};

struct name_set {
	struct name_slot *slots;
	size_t cap, n; /* cap is 0 or a power of two */
};

static uint64_t name_hash(const char *s)
{
	uint64_t h = 14695981039346656037u;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211u;
	}
	return h;
}

static struct name_slot *name_set_slot(const struct name_set *set,
                                       const char *name)
{
	size_t mask = set->cap - 1, i = (size_t)name_hash(name) & mask;

	while (set->slots[i].name && strcmp(set->slots[i].name, name) != 0)
		i = (i + 1) & mask;
	return &set->slots[i];
}

/* The slot holding name, or NULL when it is new. The pointer lasts until
 * the next name_set_add. */
static struct name_slot *name_set_get(const struct name_set *set,
                                      const char *name)
{
	struct name_slot *slot;

	if (set->cap == 0)
		return NULL;
	slot = name_set_slot(set, name);
	return slot->name ? slot : NULL;
}

/* Add name (copied) with a number the caller chooses, unless it is there;
 * returns its slot either way. */
static struct name_slot *name_set_add(struct name_set *set, const char *name,
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

static void name_set_free(struct name_set *set)
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
	free(s->token_env);
	pcre2_code_free(s->include);
	pcre2_code_free(s->exclude);
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
	list->v = NULL;
	list->n = 0;
}

/* Options. A parser sets fields of s from value and returns 0, or returns
 * -1 with the reason in why, or -1 with why left empty for the generic
 * "bad value for KEY 'VALUE': want HINT". */
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
	if (!((v[0] >= '0' && v[0] <= '9') || v[0] == '.') ||
	    v[strspn(v, "0123456789.eE+-")] != '\0')
		return -1;
	errno = 0;
	w = strtod(v, &end);
	if (errno || *end || !isfinite(w) || w <= 0 || w > 1000)
		return -1;
	a->s->weight = w;
	return 0;
}

static int opt_max(const struct option_arg *a)
{
	const char *v = a->value;
	long n = 0;
	size_t i;

	for (i = 0; v[i]; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		n = n * 10 + (v[i] - '0');
		if (n > MAX_ITEMS)
			return -1;
	}
	if (n < 1)
		return -1;
	a->s->max = (int)n;
	return 0;
}

static int opt_tags(const struct option_arg *a)
{
	const char *v = a->value;
	size_t i, n = strlen(v);

	if (v[0] == ',' || v[n - 1] == ',' || strstr(v, ",,"))
		return -1;
	for (i = 0; i < n; i++)
		if (is_blank(v[i]))
			return -1;
	a->s->tags = xstrdup(v);
	return 0;
}

static int opt_tz(const struct option_arg *a)
{
	return date_parse_offset(a->value, &a->s->tz_offset_sec) == 0 ? 0 : -1;
}

static int opt_token_env(const struct option_arg *a)
{
	if (!is_var_name(a->value, strlen(a->value)))
		return -1;
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
	return -1;
}

static int opt_pattern(const struct option_arg *a)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE offset;
	pcre2_code *re;
	int code;

	re = pcre2_compile((PCRE2_SPTR)a->value, PCRE2_ZERO_TERMINATED,
	                   PATTERN_OPTIONS, &code, &offset, NULL);
	if (!re) {
		if (pcre2_get_error_message(code, msg, sizeof msg) < 0)
			buf_printf(a->why,
			           "bad %s pattern: error %d at offset %zu",
			           a->key, code, (size_t)offset);
		else
			buf_printf(a->why, "bad %s pattern: %s at offset %zu",
			           a->key, (const char *)msg, (size_t)offset);
		return -1;
	}
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
		return -1;
	return 0;
}

enum option_id {
	OPT_WEIGHT,
	OPT_MAX,
	OPT_TAGS,
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
	size_t alloc;
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

		while (i < len && is_blank(line[i]))
			i++;
		if (i == len || line[i] == '#')
			return 0;
		if (p->nfields == FIELDS_MAX) {
			buf_printf(&p->why, "more than %d fields", FIELDS_MAX);
			return -1;
		}
		p->raw_off[p->nfields++] = p->raw.len;
		for (; i < len && (quoted || !is_blank(line[i])); i++) {
			if (line[i] == '"')
				quoted = !quoted;
			else
				buf_putc(&p->raw, line[i]);
		}
		if (quoted) {
			buf_puts(&p->why, "unterminated quote");
			return -1;
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
		return -1;
	}
	if (n > NAME_MAX_BYTES) {
		buf_puts(why, "name ");
		put_quoted(why, name);
		buf_printf(why, " is longer than %d bytes", NAME_MAX_BYTES);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (is_blank(name[i])) {
			buf_puts(why, "name ");
			put_quoted(why, name);
			buf_puts(why, " has a space in it");
			return -1;
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

/* Length of a "{UPPER_CASE}" at s, or 0 when s does not start one. */
static size_t braced_word_len(const char *s)
{
	size_t i = 1;

	if (s[0] != '{')
		return 0;
	while ((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_')
		i++;
	return i > 1 && s[i] == '}' ? i + 1 : 0;
}

static int check_url(const char *url, struct buf *why)
{
	size_t i, n = 0;
	bool needs_host = false;

	for (i = 0; i < COUNT(url_schemes); i++)
		if (strncasecmp(url, url_schemes[i].prefix,
		                strlen(url_schemes[i].prefix)) == 0) {
			n = strlen(url_schemes[i].prefix);
			needs_host = url_schemes[i].needs_host;
		}
	if (n == 0) {
		buf_puts(why, "url ");
		put_quoted(why, url);
		buf_puts(why, " is not http://, https:// or file://");
		return -1;
	}
	if (url[n] == '\0' || (needs_host && url[n] == '/')) {
		buf_puts(why, "url ");
		put_quoted(why, url);
		buf_puts(why, needs_host ? " has no host" : " has no path");
		return -1;
	}
	for (i = 0; url[i]; i++) {
		size_t w = braced_word_len(url + i);

		if (is_blank(url[i])) {
			buf_puts(why, "url ");
			put_quoted(why, url);
			buf_puts(why, " has a space in it");
			return -1;
		}
		if (w && placeholder_at(url + i) < 0) {
			char *word = xstrndup(url + i, w);

			buf_printf(why, "unknown placeholder %s in url", word);
			free(word);
			return -1;
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
		put_quoted(why, key);
		free(key);
		return -1;
	}
	i = (size_t)(opt - source_options);
	if (*seen & (1u << i)) {
		buf_printf(why, "option '%s' given twice", opt->key);
		return -1;
	}
	*seen |= 1u << i;
	if (!eq || eq[1] == '\0') {
		buf_printf(why, "empty value for %s", opt->key);
		return -1;
	}
	arg.s = s;
	arg.key = opt->key;
	arg.value = eq + 1;
	arg.why = why;
	if (opt->parse(&arg) < 0) {
		if (why->len == 0) {
			buf_printf(why, "bad value for %s ", opt->key);
			put_quoted(why, eq + 1);
			buf_printf(why, ": want %s", opt->want);
		}
		return -1;
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
	return -1;
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

	while (i < len && is_blank(line[i]))
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
	if (split_fields(p, line, len) < 0)
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

	if (kind_from_name(f[0], &s.kind) < 0) {
		buf_puts(&p->why, "unknown kind ");
		put_quoted(&p->why, f[0]);
		goto out;
	}
	if (p->nfields < 3) {
		buf_puts(&p->why, p->nfields == 1 ? "missing name and url"
		                                  : "missing url");
		goto out;
	}
	if (check_name(f[1], &p->why) < 0 || check_url(f[2], &p->why) < 0)
		goto out;
	s.name = xstrdup(f[1]);
	s.url = xstrdup(f[2]);
	s.url_raw = xstrdup(p->raw.data + p->raw_off[2]);
	s.weight = 1.0;
	s.line = lineno;
	for (i = 3; i < p->nfields; i++)
		if (parse_option(&s, f[i], &seen, &p->why) < 0)
			goto out;
	if (!(seen & (1u << OPT_COLLAPSE)))
		s.collapse_daily = s.kind == SOURCE_RELEASE;
	if (s.format == SOURCE_FORMAT_X_API && !s.token_env)
		s.token_env = xstrdup("X_BEARER_TOKEN");
	first = name_set_get(&p->names, s.name);
	if (first) {
		buf_puts(&p->why, "duplicate name ");
		put_quoted(&p->why, s.name);
		buf_printf(&p->why, " (first kept, line %d)", first->line);
		goto out;
	}
	name_set_add(&p->names, s.name, lineno);
	parser_add(p, &s);
	ret = LINE_SOURCE;
out:
	source_clear(&s);
	return ret;
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
	out->v = NULL;
	out->n = 0;
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
			break;
		case LINE_EMPTY:
		case LINE_SOURCE:
			break;
		}
	}
	name_set_free(&p.names);
	buf_free(&p.raw);
	buf_free(&p.field);
	buf_free(&p.why);
	return bad;
}

int sources_load(const char *path, struct source_list *out,
                 struct buf *messages)
{
	struct buf data = BUF_INIT(FILE_MAX_BYTES);
	char chunk[65536];
	FILE *fp;
	size_t got;
	int ret = -1;

	out->v = NULL;
	out->n = 0;
	fp = fopen(path, "rb");
	if (!fp) {
		if (messages)
			buf_printf(messages, "%s: %s\n", path, strerror(errno));
		goto out;
	}
	while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
		if (buf_append(&data, chunk, got) != BUF_OK) {
			if (messages)
				buf_printf(messages, "%s: larger than %d MiB\n",
				           path, FILE_MAX_BYTES >> 20);
			goto out;
		}
	if (ferror(fp)) {
		if (messages)
			buf_printf(messages, "%s: %s\n", path,
			           errno ? strerror(errno) : "read error");
		goto out;
	}
	ret = sources_parse(buf_cstr(&data), data.len, path, out, messages);
out:
	if (fp)
		fclose(fp);
	buf_free(&data);
	return ret;
}

/* 1 when the pattern matches s, 0 when not or when a limit stopped it. */
static int pattern_matches(const pcre2_code *re, const char *s,
                           pcre2_match_data *md, pcre2_match_context *mc)
{
	if (!s)
		s = "";
	return pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, mc) >= 0;
}

bool source_accepts(const struct source *s, const char *title, const char *text)
{
	pcre2_match_context *mc;
	pcre2_match_data *md;
	bool ok = true;

	if (!s->include && !s->exclude)
		return true;
	mc = pcre2_match_context_create(NULL);
	/* one pair of ovector slots is enough: only yes or no is used */
	md = pcre2_match_data_create(1, NULL);
	if (!mc || !md) {
		fputs("aidigest: out of memory (pcre2 match data)\n", stderr);
		abort();
	}
	pcre2_set_match_limit(mc, MATCH_LIMIT);
	pcre2_set_depth_limit(mc, MATCH_DEPTH_LIMIT);
	pcre2_set_heap_limit(mc, MATCH_HEAP_LIMIT_KIB);
	if (s->include && !pattern_matches(s->include, title, md, mc) &&
	    !pattern_matches(s->include, text, md, mc))
		ok = false;
	if (ok && s->exclude &&
	    (pattern_matches(s->exclude, title, md, mc) ||
	     pattern_matches(s->exclude, text, md, mc)))
		ok = false;
	pcre2_match_data_free(md);
	pcre2_match_context_free(mc);
	return ok;
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

/* Words in an OPML category's text or title that name a kind; lowercase,
 * matched against whole words. */
static const struct {
	const char *word;
	enum source_kind kind;
} opml_kind_words[] = {
        {"tweet", SOURCE_TWEET},         {"tweets", SOURCE_TWEET},
        {"twitter", SOURCE_TWEET},       {"x", SOURCE_TWEET},
        {"트위터", SOURCE_TWEET},        {"blog", SOURCE_BLOG},
        {"blogs", SOURCE_BLOG},          {"블로그", SOURCE_BLOG},
        {"paper", SOURCE_PAPER},         {"papers", SOURCE_PAPER},
        {"arxiv", SOURCE_PAPER},         {"논문", SOURCE_PAPER},
        {"release", SOURCE_RELEASE},     {"releases", SOURCE_RELEASE},
        {"github", SOURCE_RELEASE},      {"릴리스", SOURCE_RELEASE},
        {"community", SOURCE_COMMUNITY}, {"hacker", SOURCE_COMMUNITY},
        {"hn", SOURCE_COMMUNITY},        {"reddit", SOURCE_COMMUNITY},
        {"커뮤니티", SOURCE_COMMUNITY},  {"news", SOURCE_NEWS},
        {"뉴스", SOURCE_NEWS},
};

/* Code points that separate words in a name: spaces other than ASCII,
 * as [first, last] ranges. */
static const uint32_t name_space_ranges[][2] = {
        {0x0080, 0x00A0}, {0x1680, 0x1680}, {0x2000, 0x200A}, {0x2028, 0x2029},
        {0x202F, 0x202F}, {0x205F, 0x205F}, {0x3000, 0x3000}, {0xFFFD, 0xFFFD},
};

/* Invisible code points dropped from names. */
static const uint32_t name_drop_ranges[][2] = {
        {0x00AD, 0x00AD}, {0x200B, 0x200F}, {0x2060, 0x2064},
        {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF},
};

/* XML escapes for export; other control characters are not XML 1.0. */
static const struct {
	char c;
	const char *text;
} xml_escapes[] = {
        {'&', "&amp;"},   {'<', "&lt;"},  {'>', "&gt;"},   {'"', "&quot;"},
        {'\'', "&apos;"}, {'\t', "&#9;"}, {'\n', "&#10;"}, {'\r', "&#13;"},
};

static bool in_ranges(uint32_t cp, const uint32_t (*r)[2], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (cp >= r[i][0] && cp <= r[i][1])
			return true;
	return false;
}

static bool is_ascii_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static bool is_xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* ASCII punctuation kept in names made from titles. */
static bool is_name_punct(char c)
{
	return c == '.' || c == '_' || c == '@' || c == '+';
}

static bool is_word_byte(char c)
{
	return is_ascii_alnum(c) || (unsigned char)c >= 0x80;
}

/* The kind the first kind word of s names; -1 when none does. */
static int kind_from_words(const char *s, enum source_kind *kind)
{
	char word[32];
	size_t i, n;

	while (*s) {
		while (*s && !is_word_byte(*s))
			s++;
		for (n = 0; *s && is_word_byte(*s); s++, n++)
			if (n < sizeof word - 1)
				word[n] = (*s >= 'A' && *s <= 'Z')
				                  ? (char)(*s - 'A' + 'a')
				                  : *s;
		if (n == 0 || n >= sizeof word)
			continue;
		word[n] = '\0';
		for (i = 0; i < COUNT(opml_kind_words); i++)
			if (strcmp(word, opml_kind_words[i].word) == 0) {
				*kind = opml_kind_words[i].kind;
				return 0;
			}
	}
	return -1;
}

static bool is_element(const xmlNode *node, const char *name)
{
	return node->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)node->name, name) == 0;
}

/* The attribute `name` of node (ASCII case ignored) into out, read from
 * its text nodes alone, so that no entity reference is ever expanded;
 * surrounding whitespace trimmed. 0, or -1 when it is absent or empty. */
static int opml_attr(const xmlNode *node, const char *name, struct buf *out)
{
	const xmlAttr *a;
	const xmlNode *t;
	size_t start = 0, end;

	buf_reset(out);
	for (a = node->properties; a; a = a->next)
		if (strcasecmp((const char *)a->name, name) == 0)
			break;
	if (!a)
		return -1;
	for (t = a->children; t; t = t->next)
		if (t->type == XML_TEXT_NODE && t->content)
			buf_puts(out, (const char *)t->content);
	end = out->len;
	while (start < end && is_xml_space(out->data[start]))
		start++;
	while (end > start && is_xml_space(out->data[end - 1]))
		end--;
	if (start == end)
		return -1;
	memmove(out->data, out->data + start, end - start);
	buf_truncate(out, end - start);
	return 0;
}

/* A feeds.txt name from a title: letters, digits and "._@+" kept,
 * everything else a '-' between words; at most OPML_NAME_CHARS code
 * points and OPML_NAME_BYTES bytes. out is empty when nothing is left. */
static void opml_name_from(const char *s, struct buf *out)
{
	size_t i = 0, n = strlen(s), chars = 0, k;
	bool gap = false;

	buf_reset(out);
	while (i < n) {
		uint32_t cp;

		k = utf8_decode(s + i, n - i, &cp);
		if (cp < 0x80 ? !(is_ascii_alnum((char)cp) ||
		                  is_name_punct((char)cp))
		              : in_ranges(cp, name_space_ranges,
		                          COUNT(name_space_ranges))) {
			gap = true;
			i += k;
			continue;
		}
		if (in_ranges(cp, name_drop_ranges, COUNT(name_drop_ranges))) {
			i += k;
			continue;
		}
		if (chars + (gap && out->len) >= OPML_NAME_CHARS ||
		    out->len + (gap && out->len) + k > OPML_NAME_BYTES)
			break;
		if (gap && out->len) {
			buf_putc(out, '-');
			chars++;
		}
		gap = false;
		buf_append(out, s + i, k);
		chars++;
		i += k;
	}
}

/* The host of an http(s) URL, for a name when an outline has no title. */
static void opml_name_from_url(const char *url, struct buf *tmp,
                               struct buf *out)
{
	const char *host = strstr(url, "://");

	buf_reset(tmp);
	if (host) {
		host += 3;
		buf_append(tmp, host, strcspn(host, "/?#:"));
	}
	opml_name_from(buf_cstr(tmp), out);
}

/* Append an xmlUrl as a feeds.txt field: spaces, quotes, controls and
 * non-ASCII bytes percent-encoded; braces too, except the placeholders
 * source_url_for_window fills; "${" never survives (no environment
 * variable is read for a downloaded file). */
static void opml_put_url(struct buf *out, const char *url)
{
	const char *p;

	for (p = url; *p; p++) {
		unsigned char c = (unsigned char)*p;
		int ph = c == '{' ? placeholder_at(p) : -1;

		if (ph >= 0) {
			buf_puts(out, placeholders[ph].text);
			p += strlen(placeholders[ph].text) - 1;
		} else if (c <= 0x20 || c >= 0x7f || c == '"' || c == '{' ||
		           c == '}' || (c == '$' && p[1] == '{'))
			buf_printf(out, "%%%02X", c);
		else
			buf_putc(out, (char)c);
	}
}

struct opml_import {
	FILE *out;
	struct buf *err;
	const xmlNode *body;
	struct name_set names;
	size_t feeds;
	size_t notices; /* outlines skipped */
	struct buf url, label, name, unique, tmp;
};

static void opml_notice(struct opml_import *im, const char *why)
{
	if (++im->notices > OPML_NOTICES_MAX)
		return;
	buf_puts(im->err, "outline ");
	put_quoted(im->err, im->label.len ? buf_cstr(&im->label) : "");
	buf_printf(im->err, " skipped: %s\n", why);
}

static enum source_kind opml_kind(struct opml_import *im, const xmlNode *node)
{
	enum source_kind kind;
	const xmlNode *p;

	for (p = node->parent; p && p != im->body; p = p->parent) {
		if (!is_element(p, "outline"))
			continue;
		if ((opml_attr(p, "text", &im->tmp) == 0 &&
		     kind_from_words(buf_cstr(&im->tmp), &kind) == 0) ||
		    (opml_attr(p, "title", &im->tmp) == 0 &&
		     kind_from_words(buf_cstr(&im->tmp), &kind) == 0))
			return kind;
	}
	return SOURCE_BLOG;
}

static bool has_element_child(const xmlNode *node)
{
	const xmlNode *c;

	for (c = node->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return true;
	return false;
}

/* Print the feeds.txt line of one outline, if it is a feed. */
static int opml_outline(struct opml_import *im, const xmlNode *node)
{
	struct name_slot *taken;
	enum source_kind kind;
	const char *url;
	int k;

	if (opml_attr(node, "title", &im->label) < 0)
		opml_attr(node, "text", &im->label);
	if (opml_attr(node, "xmlUrl", &im->url) < 0) {
		if (!has_element_child(node))
			opml_notice(im, "no xmlUrl");
		return 0;
	}
	url = buf_cstr(&im->url);
	if (strncasecmp(url, "http://", 7) != 0 &&
	    strncasecmp(url, "https://", 8) != 0) {
		opml_notice(im, "xmlUrl is not http:// or https://");
		return 0;
	}
	if (im->url.len > OPML_URL_MAX) {
		opml_notice(im, "xmlUrl is longer than 2048 bytes");
		return 0;
	}
	if (im->feeds == SOURCES_MAX) {
		buf_printf(im->err, "more than %d feeds\n", SOURCES_MAX);
		return -1;
	}
	kind = opml_kind(im, node);
	opml_name_from(buf_cstr(&im->label), &im->name);
	if (im->name.len == 0)
		opml_name_from_url(url, &im->tmp, &im->name);
	if (im->name.len == 0)
		buf_puts(&im->name, "feed");
	/* a taken name gets the first free -K; each name remembers the K
	 * to try next, so that many equal titles cost no quadratic time */
	buf_reset(&im->unique);
	buf_puts(&im->unique, buf_cstr(&im->name));
	taken = name_set_get(&im->names, buf_cstr(&im->name));
	if (taken) {
		k = taken->line;
		do {
			buf_reset(&im->unique);
			buf_printf(&im->unique, "%s-%d", buf_cstr(&im->name),
			           k++);
		} while (name_set_get(&im->names, buf_cstr(&im->unique)));
		taken->line = k;
	}
	name_set_add(&im->names, buf_cstr(&im->unique), 2);
	im->feeds++;
	buf_reset(&im->tmp);
	buf_printf(&im->tmp, "%s %s ", source_kind_name(kind),
	           buf_cstr(&im->unique));
	opml_put_url(&im->tmp, url);
	fprintf(im->out, "%s\n", buf_cstr(&im->tmp));
	return 0;
}

static void opml_xml_error(xmlParserCtxtPtr ctxt, struct buf *err)
{
	xmlErrorPtr e = xmlCtxtGetLastError(ctxt);
	size_t start = err->len;

	buf_puts(err, "not well-formed XML");
	if (e && e->message) {
		buf_printf(err, " (line %d): ", e->line);
		utf8_append_cut(err, e->message, 200);
		while (err->len > start &&
		       is_xml_space(err->data[err->len - 1]))
			buf_truncate(err, err->len - 1);
	}
	buf_putc(err, '\n');
}

int sources_import_opml(const char *data, size_t n, FILE *out, struct buf *err)
{
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	const xmlNode *root, *cur;
	struct opml_import im;
	int ret = -1;

	memset(&im, 0, sizeof im);
	im.out = out;
	im.err = err;
	buf_init(&im.url, 64 * 1024);
	buf_init(&im.label, 64 * 1024);
	buf_init(&im.name, 1024);
	buf_init(&im.unique, 1024);
	buf_init(&im.tmp, 64 * 1024);
	if (n > OPML_MAX_BYTES) {
		buf_printf(err, "larger than %d MiB\n", OPML_MAX_BYTES >> 20);
		goto out;
	}
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		buf_puts(err, "cannot create an XML parser\n");
		goto out;
	}
	/* no NOENT, DTDLOAD or HUGE: entities stay references, nothing is
	 * loaded, libxml2's amplification limits hold */
	doc = xmlCtxtReadMemory(ctxt, data, (int)n, NULL, NULL,
	                        XML_PARSE_NONET | XML_PARSE_NOERROR |
	                                XML_PARSE_NOWARNING);
	if (!doc) {
		opml_xml_error(ctxt, err);
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || !is_element(root, "opml")) {
		buf_puts(err, "not an OPML document: the root element is <");
		utf8_append_cut(err, root ? (const char *)root->name : "",
		                QUOTE_MAX);
		buf_puts(err, ">\n");
		goto out;
	}
	for (cur = root->children; cur; cur = cur->next)
		if (is_element(cur, "body"))
			break;
	if (!cur) {
		buf_puts(err, "not an OPML document: no <body>\n");
		goto out;
	}
	im.body = cur;
	/* depth first through the outlines, without recursion */
	cur = im.body->children;
	while (cur) {
		if (is_element(cur, "outline")) {
			if (opml_outline(&im, cur) < 0)
				goto out;
			if (cur->children) {
				cur = cur->children;
				continue;
			}
		}
		while (cur != im.body && !cur->next)
			cur = cur->parent;
		if (cur == im.body)
			break;
		cur = cur->next;
	}
	if (im.notices > OPML_NOTICES_MAX)
		buf_printf(err, "%zu more outlines skipped\n",
		           im.notices - OPML_NOTICES_MAX);
	if (ferror(out)) {
		buf_puts(err, "cannot write the feeds\n");
		goto out;
	}
	ret = 0;
out:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	name_set_free(&im.names);
	buf_free(&im.url);
	buf_free(&im.label);
	buf_free(&im.name);
	buf_free(&im.unique);
	buf_free(&im.tmp);
	return ret;
}

/* Write s escaped for an XML attribute or text: the five markup
 * characters, tab and line ends as references; other controls and
 * non-characters dropped; invalid UTF-8 as U+FFFD. */
static void xml_put_escaped(FILE *out, const char *s)
{
	size_t i = 0, n = strlen(s), k, j;

	while (i < n) {
		uint32_t cp;

		k = utf8_decode(s + i, n - i, &cp);
		if (cp < 0x80) {
			for (j = 0; j < COUNT(xml_escapes); j++)
				if (xml_escapes[j].c == (char)cp)
					break;
			if (j < COUNT(xml_escapes))
				fputs(xml_escapes[j].text, out);
			else if (cp >= 0x20)
				fputc((int)cp, out);
		} else if (cp == UTF8_REPLACEMENT) {
			fputs("\xEF\xBF\xBD", out);
		} else if (cp != 0xFFFE && cp != 0xFFFF) {
			fwrite(s + i, 1, k, out);
		}
		i += k;
	}
}

int sources_export_opml(const struct source_list *list, FILE *out)
{
	size_t k, i;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<opml version=\"2.0\">\n"
	      "  <head>\n"
	      "    <title>aidigest feeds</title>\n"
	      "  </head>\n"
	      "  <body>\n",
	      out);
	for (k = 0; k < COUNT(kind_names); k++) {
		bool open = false;

		for (i = 0; i < list->n; i++) {
			const struct source *s = &list->v[i];

			if ((size_t)s->kind != k)
				continue;
			if (!open) {
				fprintf(out,
				        "    <outline text=\"%s\" "
				        "title=\"%s\">\n",
				        kind_names[k], kind_names[k]);
				open = true;
			}
			fputs("      <outline type=\"rss\" text=\"", out);
			xml_put_escaped(out, s->name);
			fputs("\" title=\"", out);
			xml_put_escaped(out, s->name);
			fputs("\" xmlUrl=\"", out);
			xml_put_escaped(out, s->url_raw ? s->url_raw : s->url);
			fputs("\"/>\n", out);
		}
		if (open)
			fputs("    </outline>\n", out);
	}
	fputs("  </body>\n</opml>\n", out);
	return ferror(out) ? -1 : 0;
}
