#include "fetch/api.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/ascii.h"
#include "common/err.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "fetch/api_impl.h"

/* The JSON APIs without a feed (fetch/api.h): what their readers share,
 * the body loaded as JSON, the reader chosen by format, and the request
 * headers. Each API is read by one function (api_x.c, api_github.c,
 * api_hf.c, api_hn.c) from the parsed document into the feed builder the
 * feed parsers use; ../shared/reference/sources.md describes the APIs. */

const char *api_str(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_string(v) && json_string_length(v) ? json_string_value(v)
	                                                  : NULL;
}

/* All numbers are read as reals (JSON_DECODE_INT_AS_REAL): huge ones
 * load. */
long long api_count(const json_t *v)
{
	double d;

	if (json_is_integer(v))
		return json_integer_value(v) < 0 ? -1 : json_integer_value(v);
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		long long n = 0;
		size_t i;

		for (i = 0; s[i]; i++) {
			if (!ascii_isdigit(s[i]))
				return -1;
			n = n > (LLONG_MAX - 9) / 10 ? LLONG_MAX
			                             : n * 10 + (s[i] - '0');
		}
		return i ? n : -1;
	}
	if (!json_is_real(v))
		return -1;
	d = json_real_value(v);
	if (!(d >= 0))
		return -1;
	/* 2^63 is the first double past LLONG_MAX */
	return d >= 9223372036854775808.0 ? LLONG_MAX : (long long)d;
}

char *api_id(const json_t *v)
{
	char num[32];
	double d;

	if (json_is_string(v) && json_string_length(v) &&
	    json_string_length(v) <= API_MAX_URL)
		return xstrdup(json_string_value(v));
	if (!json_is_real(v) && !json_is_integer(v))
		return NULL;
	d = json_number_value(v);
	if (!(d >= 0 && d <= 9007199254740992.0) || d != (double)(long long)d)
		return NULL;
	snprintf(num, sizeof num, "%lld", (long long)d);
	return xstrdup(num);
}

bool api_is_digits(const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!ascii_isdigit(s[i]) || i >= max)
			return false;
	return i > 0;
}

/* X allows 15 characters for new accounts, 50 for old ones. */
size_t api_handle_len(const char *s)
{
	size_t i = 0;

	while (ascii_isalnum(s[i]) || s[i] == '_')
		i++;
	return i <= 50 ? i : 0;
}

bool api_is_handle(const char *s)
{
	size_t n = api_handle_len(s);

	return n > 0 && s[n] == '\0';
}

bool api_is_http_url(const char *s)
{
	size_t i;

	if (!s || (!ascii_has_prefix_ci(s, "https://") &&
	           !ascii_has_prefix_ci(s, "http://")))
		return false;
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7F ||
		    i >= API_MAX_URL)
			return false;
	return true;
}

void api_set_text(struct feed_builder *fb, struct feed_text *t, const char *s,
                  size_t n, enum feed_text_type type)
{
	if (n)
		feed_builder_set_text(fb, t, s, n, type);
}

void api_set_text_str(struct feed_builder *fb, struct feed_text *t,
                      const char *s, enum feed_text_type type)
{
	if (s)
		api_set_text(fb, t, s, strlen(s), type);
}

void api_set_link(struct feed_entry *e, const char *url)
{
	if (!e->link && api_is_http_url(url))
		e->link = xstrdup(url);
}

void api_set_author(struct feed_person *p, const char *full, const char *name)
{
	if (p->full || !full || !name)
		return;
	p->full = xstrndup(full, utf8_valid_prefix(full, strnlen(full, 1024)));
	p->name = xstrndup(name, utf8_valid_prefix(name, strnlen(name, 1024)));
}

void api_set_handle(struct feed_person *p, const char *handle, size_t n)
{
	free(p->full);
	free(p->name);
	free(p->email);
	p->email = NULL;
	p->name = xstrndup(handle, n);
	p->full = xmalloc(n + 2);
	p->full[0] = '@';
	memcpy(p->full + 1, handle, n);
	p->full[n + 1] = '\0';
}

void api_set_date(struct feed_builder *fb, struct feed_date *d, const char *s)
{
	if (s && strlen(s) <= 256)
		feed_set_date(d, s, fb->opt->tz_offset_sec);
}

int api_error(struct buf *err, const char *who, const char *message)
{
	buf_printf(err, "not a feed: %s error: ", who);
	utf8_append_cut(err, message, API_MAX_MESSAGE);
	return ERR_NOT_FEED;
}

static const struct api_kind {
	enum source_format format;
	const char *title; /* the feed's title */
	int (*parse)(struct feed_builder *fb, const json_t *root,
	             struct buf *err);
} api_kinds[] = {
        {SOURCE_FORMAT_X_API, "X", api_x_parse},
        {SOURCE_FORMAT_GITHUB_SEARCH, "GitHub search", api_github_parse},
        {SOURCE_FORMAT_HF_PAPERS, "Hugging Face daily papers", api_hf_parse},
        {SOURCE_FORMAT_HN_ALGOLIA, "Hacker News", api_hn_parse},
};

/* Load the body as JSON: a BOM skipped, invalid UTF-8 replaced (noted),
 * numbers as reals so that no count is too big to load. */
static int api_load(struct feed_builder *fb, const char *data, size_t n,
                    struct buf *clean, json_t **root, struct buf *err)
{
	json_error_t jerr;
	size_t i = 0, valid;
	long replaced;

	if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		n -= 3;
	}
	while (i < n && ascii_isxmlspace(data[i]))
		i++;
	if (i == n) {
		buf_puts(err, "not a feed: the document is empty");
		return ERR_NOT_FEED;
	}
	if (data[i] == '<') {
		buf_puts(err, "not a feed: an HTML or XML page where a JSON "
		              "API response was expected");
		return ERR_NOT_FEED;
	}
	valid = utf8_valid_prefix(data, n);
	if (valid < n) {
		clean->max = 3 * n + 64;
		replaced = utf8_sanitize_append(clean, data, n);
		fb->feed->recovered = true;
		feed_builder_note(fb,
		                  "recovered: %ld invalid UTF-8 sequences "
		                  "replaced",
		                  replaced);
		data = buf_cstr(clean);
		n = clean->len;
	}
	*root = json_loadb(data, n, JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL,
	                   &jerr);
	if (!*root) {
		buf_printf(err,
		           "not a feed: broken JSON at line %d: ", jerr.line);
		utf8_append_cut(err, jerr.text, sizeof jerr.text);
		return ERR_NOT_FEED;
	}
	return ERR_OK;
}

int api_parse(enum source_format format, const char *data, size_t n,
              const struct feed_options *opt, struct feed **out,
              struct buf *err)
{
	const struct api_kind *kind = NULL;
	struct buf clean = BUF_INIT(0);
	struct feed_builder fb;
	json_t *root = NULL;
	size_t i;
	int ret;

	*out = NULL;
	if (format == SOURCE_FORMAT_FEED)
		return feed_parse(data, n, opt, out, err);
	for (i = 0; i < sizeof api_kinds / sizeof *api_kinds; i++)
		if (api_kinds[i].format == format)
			kind = &api_kinds[i];
	if (!kind) {
		buf_printf(err, "unknown source format %d", (int)format);
		return ERR_USAGE;
	}
	ret = feed_builder_init(&fb, opt, n, err);
	if (ret != ERR_OK)
		return ret;
	snprintf(fb.feed->encoding, sizeof fb.feed->encoding, "utf-8");
	ret = api_load(&fb, data, n, &clean, &root, err);
	if (ret != ERR_OK)
		goto out;
	api_set_text_str(&fb, &fb.feed->title, kind->title, FEED_TEXT_TEXT);
	ret = kind->parse(&fb, root, err);
out:
	json_decref(root);
	buf_free(&clean);
	if (ret != ERR_OK) {
		if (fb.entry)
			feed_entry_clear(fb.entry);
		feed_free(fb.feed);
		return ret;
	}
	feed_text_finish(&fb.feed->title, fb.max_text);
	*out = fb.feed;
	return ERR_OK;
}

/* The token a format sends when its line names no token_env=, and the
 * only hosts it goes to: a token belongs to its API. */
static const struct api_auth {
	enum source_format format;
	const char *token_env;
	bool required;          /* without it the source is skipped */
	const char *hosts[3];   /* NULL-ended */
	const char *headers[3]; /* sent always, NULL-ended */
} api_auths[] = {
        {SOURCE_FORMAT_X_API,
         "X_BEARER_TOKEN",
         true,
         {"api.x.com", "api.twitter.com", NULL},
         {NULL}},
        {SOURCE_FORMAT_GITHUB_SEARCH,
         "GITHUB_TOKEN",
         false,
         {"api.github.com", NULL},
         {"Accept: application/vnd.github+json",
          "X-GitHub-Api-Version: 2022-11-28", NULL}},
};

/* Whether url is https://HOST[:PORT] then "/", "?", "#" or its end, HOST
 * one of hosts (any case): no user info, no other host that starts with
 * the same letters. */
static bool api_url_at(const char *url, const char *const *hosts)
{
	const char *p;
	size_t i, n;

	if (!url || !ascii_has_prefix_ci(url, "https://"))
		return false;
	url += strlen("https://");
	for (i = 0; hosts[i]; i++) {
		n = strlen(hosts[i]);
		if (ascii_ncasecmp(url, hosts[i], n) != 0)
			continue;
		p = url + n;
		if (*p == ':' && ascii_isdigit(p[1]))
			for (p++; ascii_isdigit(*p); p++)
				;
		if (*p == '\0' || *p == '/' || *p == '?' || *p == '#')
			return true;
	}
	return false;
}

/* The token in the variable name: set, not empty, and nothing a header
 * line cannot carry (control characters, spaces); else NULL. */
static const char *api_token(const char *name)
{
	const char *t = name ? getenv(name) : NULL;
	size_t i;

	if (!t || !*t)
		return NULL;
	for (i = 0; t[i]; i++)
		if ((unsigned char)t[i] <= ' ' || t[i] == 0x7F)
			return NULL;
	return t;
}

static char *api_bearer(const char *token)
{
	size_t n = strlen(token);
	char *h = xmalloc(sizeof "Authorization: Bearer " + n);

	memcpy(h, "Authorization: Bearer ", sizeof "Authorization: Bearer ");
	memcpy(h + sizeof "Authorization: Bearer " - 1, token, n + 1);
	return h;
}

char **api_headers(const struct source *s, const char **missing)
{
	const struct api_auth *auth = NULL;
	const char *name = NULL, *token = NULL;
	char **h;
	size_t i, n = 0;

	if (missing)
		*missing = NULL;
	if (!s)
		return NULL;
	for (i = 0; i < sizeof api_auths / sizeof *api_auths; i++)
		if (api_auths[i].format == s->format)
			auth = &api_auths[i];
	/* a variable the line names is required and goes where the line
	 * says, whatever the format (a private feed too); the implicit one
	 * of an API only to that API's own host */
	if (s->token_env)
		name = s->token_env;
	else if (auth && api_url_at(s->url, auth->hosts))
		name = auth->token_env;
	else if (!auth)
		return NULL;
	token = api_token(name);
	if (!token && name && (s->token_env || auth->required)) {
		if (missing)
			*missing = name;
		return NULL;
	}
	h = xcalloc(sizeof api_auths[0].headers / sizeof *api_auths[0].headers +
	                    1,
	            sizeof *h);
	for (i = 0; auth && auth->headers[i]; i++)
		h[n++] = xstrdup(auth->headers[i]);
	if (token)
		h[n++] = api_bearer(token);
	if (n == 0) {
		free(h);
		return NULL;
	}
	return h;
}

void api_headers_free(char **headers)
{
	size_t i;

	if (!headers)
		return;
	for (i = 0; headers[i]; i++) {
		/* a token does not outlive its use in freed memory */
		explicit_bzero(headers[i], strlen(headers[i]));
		free(headers[i]);
	}
	free(headers);
}
