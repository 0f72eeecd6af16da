/* api_headers (tokens from the environment, refused when a header line
 * cannot carry them) and api_normalize_tweet (posts from RSSHub, Nitter
 * and the X API in one shape). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "fetch/api.h"
#include "fetch/feed.h"
#include "fetch/feed_impl.h"
#include "fetch/sources.h"
#include "tests/check.h"
#include "tests/test_api.h"

/* Save, set or unset an environment variable; restore it afterwards. */
struct api_env {
	const char *name;
	char *saved;
};

static void api_env_set(struct api_env *v, const char *name, const char *value)
{
	const char *old = getenv(name);

	v->name = name;
	v->saved = old ? xstrdup(old) : NULL;
	if (value)
		setenv(name, value, 1);
	else
		unsetenv(name);
}

static void api_env_restore(struct api_env *v)
{
	if (v->saved)
		setenv(v->name, v->saved, 1);
	else
		unsetenv(v->name);
	free(v->saved);
}

static bool api_headers_have(char **h, const char *line)
{
	size_t i;

	for (i = 0; h && h[i]; i++)
		if (strcmp(h[i], line) == 0)
			return true;
	return false;
}

static size_t api_headers_count(char **h)
{
	size_t n = 0;

	while (h && h[n])
		n++;
	return n;
}

/* s's headers: its token alone, none missing. */
static void check_bearer_only(const struct source *s)
{
	const char *missing = "unchanged";
	char **h = api_headers(s, &missing);

	CHECK(missing == NULL);
	CHECK_INT(api_headers_count(h), 1);
	CHECK(api_headers_have(h, "Authorization: Bearer "
	                          "sekrit-Tok3n.value_123"));
	api_headers_free(h);
}

static void test_api_headers(void)
{
	static const char token[] = "sekrit-Tok3n.value_123";
	struct source s;
	struct api_env tv, gh, xb;
	const char *missing = "unchanged";
	char **h;

	memset(&s, 0, sizeof s);
	s.name = "test";
	s.url = "https://api.x.com/2/users/783214/tweets";
	s.format = SOURCE_FORMAT_X_API;
	s.token_env = "AIDIGEST_TEST_API_TOKEN";

	api_env_set(&tv, "AIDIGEST_TEST_API_TOKEN", token);
	check_bearer_only(&s);

	/* unset, empty, or unfit for a header line: missing, named, and the
	 * token appears nowhere */
	unsetenv("AIDIGEST_TEST_API_TOKEN");
	h = api_headers(&s, &missing);
	CHECK(h == NULL);
	CHECK_STR(missing, "AIDIGEST_TEST_API_TOKEN");
	setenv("AIDIGEST_TEST_API_TOKEN", "", 1);
	missing = NULL;
	CHECK(api_headers(&s, &missing) == NULL);
	CHECK_STR(missing, "AIDIGEST_TEST_API_TOKEN");
	setenv("AIDIGEST_TEST_API_TOKEN", "abc\r\nX-Evil: 1", 1);
	missing = NULL;
	CHECK(api_headers(&s, &missing) == NULL);
	CHECK_STR(missing, "AIDIGEST_TEST_API_TOKEN");
	CHECK(!strstr(missing, "abc"));
	CHECK(api_headers(&s, NULL) == NULL);
	api_env_restore(&tv);

	/* the default variable of x-api */
	s.token_env = NULL;
	api_env_set(&xb, "X_BEARER_TOKEN", NULL);
	h = api_headers(&s, &missing);
	CHECK(h == NULL);
	CHECK_STR(missing, "X_BEARER_TOKEN");
	setenv("X_BEARER_TOKEN", token, 1);
	h = api_headers(&s, &missing);
	CHECK(missing == NULL);
	CHECK(api_headers_have(h, "Authorization: Bearer "
	                          "sekrit-Tok3n.value_123"));
	api_headers_free(h);
	api_env_restore(&xb);

	/* GitHub: Accept and the API version; the token when it is set */
	s.format = SOURCE_FORMAT_GITHUB_SEARCH;
	s.url = "https://api.github.com/search/repositories?q=llm";
	s.token_env = NULL;
	api_env_set(&gh, "GITHUB_TOKEN", NULL);
	h = api_headers(&s, &missing);
	CHECK(missing == NULL);
	CHECK_INT(api_headers_count(h), 2);
	CHECK(api_headers_have(h, "Accept: application/vnd.github+json"));
	CHECK(api_headers_have(h, "X-GitHub-Api-Version: 2022-11-28"));
	api_headers_free(h);
	setenv("GITHUB_TOKEN", token, 1);
	h = api_headers(&s, &missing);
	CHECK_INT(api_headers_count(h), 3);
	CHECK(api_headers_have(h, "Authorization: Bearer "
	                          "sekrit-Tok3n.value_123"));
	api_headers_free(h);
	api_env_restore(&gh);
	/* a variable the line names is required */
	s.token_env = "AIDIGEST_TEST_API_TOKEN";
	api_env_set(&tv, "AIDIGEST_TEST_API_TOKEN", NULL);
	CHECK(api_headers(&s, &missing) == NULL);
	CHECK_STR(missing, "AIDIGEST_TEST_API_TOKEN");
	api_env_restore(&tv);

	/* the others need nothing of their own */
	s.token_env = NULL;
	s.format = SOURCE_FORMAT_HF_PAPERS;
	CHECK(api_headers(&s, &missing) == NULL);
	CHECK(missing == NULL);
	s.format = SOURCE_FORMAT_HN_ALGOLIA;
	CHECK(api_headers(&s, &missing) == NULL);
	s.format = SOURCE_FORMAT_FEED;
	CHECK(api_headers(&s, &missing) == NULL);
	CHECK(missing == NULL);
	CHECK(api_headers(NULL, &missing) == NULL);
	api_headers_free(NULL);

	/* a feed whose line names a variable (a private feed): its token,
	 * to the line's host; unset, the source is skipped */
	s.url = "http://127.0.0.1:8080/private/feed.xml";
	s.token_env = "AIDIGEST_TEST_API_TOKEN";
	api_env_set(&tv, "AIDIGEST_TEST_API_TOKEN", token);
	check_bearer_only(&s);
	unsetenv("AIDIGEST_TEST_API_TOKEN");
	CHECK(api_headers(&s, &missing) == NULL);
	CHECK_STR(missing, "AIDIGEST_TEST_API_TOKEN");
	api_env_restore(&tv);
}

/* Which host gets which token: a variable the line names (token_env=)
 * goes wherever the line says; the implicit one only to its own API's
 * host, over https. */
static const struct token_case {
	enum source_format format;
	const char *url;
	const char *token_env; /* as on the line, NULL when not given */
	const char *want;      /* the token sent, or NULL */
	const char *missing;   /* the variable the source lacks, or NULL */
} token_cases[] = {
        {SOURCE_FORMAT_GITHUB_SEARCH,
         "https://api.github.com/search/repositories?q=llm", NULL, "gh", NULL},
        {SOURCE_FORMAT_GITHUB_SEARCH, "https://API.GitHub.com:443/search", NULL,
         "gh", NULL},
        {SOURCE_FORMAT_GITHUB_SEARCH, "http://api.github.com/search", NULL,
         NULL, NULL},
        {SOURCE_FORMAT_GITHUB_SEARCH, "http://127.0.0.1:8080/github", NULL,
         NULL, NULL},
        {SOURCE_FORMAT_GITHUB_SEARCH, "https://api.github.com.evil.example/",
         NULL, NULL, NULL},
        {SOURCE_FORMAT_GITHUB_SEARCH, "https://api.github.com@evil.example/",
         NULL, NULL, NULL},
        {SOURCE_FORMAT_GITHUB_SEARCH, "https://evil.example/@api.github.com",
         NULL, NULL, NULL},
        {SOURCE_FORMAT_GITHUB_SEARCH, "https://evil.example#api.github.com",
         NULL, NULL, NULL},
        {SOURCE_FORMAT_GITHUB_SEARCH, "https://evil.example?api.github.com",
         NULL, NULL, NULL},
        {SOURCE_FORMAT_GITHUB_SEARCH, "https://api.github.com:x@evil.example",
         NULL, NULL, NULL},
        {SOURCE_FORMAT_GITHUB_SEARCH, "https://api.github.com./search", NULL,
         NULL, NULL},
        {SOURCE_FORMAT_GITHUB_SEARCH, "https://api.x.com/2/search", NULL, NULL,
         NULL},
        {SOURCE_FORMAT_GITHUB_SEARCH, "file:///api.github.com/search", NULL,
         NULL, NULL},
        {SOURCE_FORMAT_GITHUB_SEARCH, "http://127.0.0.1:8080/github",
         "AIDIGEST_TEST_API_TOKEN", "named", NULL},
        {SOURCE_FORMAT_GITHUB_SEARCH, "https://api.github.com/search",
         "AIDIGEST_TEST_API_TOKEN", "named", NULL},
        {SOURCE_FORMAT_GITHUB_SEARCH, "https://api.github.com/search",
         "AIDIGEST_TEST_UNSET_TOKEN", NULL, "AIDIGEST_TEST_UNSET_TOKEN"},
        {SOURCE_FORMAT_X_API, "https://api.x.com/2/users/1/tweets", NULL, "x",
         NULL},
        {SOURCE_FORMAT_X_API, "https://api.twitter.com/2/users/1/tweets", NULL,
         "x", NULL},
        {SOURCE_FORMAT_X_API, "http://127.0.0.1:8080/x", NULL, NULL, NULL},
        {SOURCE_FORMAT_X_API, "https://api.github.com/search", NULL, NULL,
         NULL},
        {SOURCE_FORMAT_X_API, "http://127.0.0.1:8080/x",
         "AIDIGEST_TEST_API_TOKEN", "named", NULL},
        {SOURCE_FORMAT_HN_ALGOLIA, "https://api.github.com/search",
         "AIDIGEST_TEST_API_TOKEN", "named", NULL},
        {SOURCE_FORMAT_HN_ALGOLIA, "https://hn.algolia.com/api/v1/search", NULL,
         NULL, NULL},
        {SOURCE_FORMAT_FEED, "https://example.com/private.xml",
         "AIDIGEST_TEST_API_TOKEN", "named", NULL},
        {SOURCE_FORMAT_FEED, "https://example.com/private.xml",
         "AIDIGEST_TEST_UNSET_TOKEN", NULL, "AIDIGEST_TEST_UNSET_TOKEN"},
        {SOURCE_FORMAT_FEED, "https://api.github.com/feed.xml", NULL, NULL,
         NULL},
};

static void test_api_token_hosts(void)
{
	struct api_env gh, xb, named, unset;
	struct buf got = BUF_INIT(0), want = BUF_INIT(0);
	size_t i, j;

	api_env_set(&gh, "GITHUB_TOKEN", "gh");
	api_env_set(&xb, "X_BEARER_TOKEN", "x");
	api_env_set(&named, "AIDIGEST_TEST_API_TOKEN", "named");
	api_env_set(&unset, "AIDIGEST_TEST_UNSET_TOKEN", NULL);
	for (i = 0; i < sizeof token_cases / sizeof *token_cases; i++) {
		const struct token_case *c = &token_cases[i];
		const char *missing = "unchanged";
		struct source s;
		char **h;

		memset(&s, 0, sizeof s);
		s.name = "test";
		s.format = c->format;
		s.url = (char *)c->url;
		s.token_env = (char *)c->token_env;
		h = api_headers(&s, &missing);
		/* "URL: the Authorization headers sent" */
		buf_reset(&got);
		buf_printf(&got, "%s:", c->url);
		for (j = 0; h && h[j]; j++)
			if (strncmp(h[j], "Authorization:", 14) == 0)
				buf_printf(&got, " %s", h[j]);
		buf_reset(&want);
		buf_printf(&want, "%s:", c->url);
		if (c->want)
			buf_printf(&want, " Authorization: Bearer %s", c->want);
		CHECK_STR(buf_cstr(&got), buf_cstr(&want));
		CHECK_STR(missing, c->missing);
		api_headers_free(h);
	}
	api_env_restore(&unset);
	api_env_restore(&named);
	api_env_restore(&xb);
	api_env_restore(&gh);
	buf_free(&got);
	buf_free(&want);
}

static void test_normalize_rsshub(void)
{
	struct buf data = BUF_INIT(0), err = BUF_INIT(0);
	struct feed *f = NULL;
	struct feed_entry *e;
	size_t i;

	if (!CHECK(check_read_file(API_FIXTURES "rsshub_twitter.xml", &data)) ||
	    !CHECK_INT(feed_parse(buf_cstr(&data), data.len, NULL, &f, &err),
	               ERR_OK) ||
	    !CHECK_INT(f->nentries, 4)) {
		feed_free(f);
		buf_free(&data);
		buf_free(&err);
		return;
	}
	for (i = 0; i < f->nentries; i++)
		api_normalize_tweet(&f->entries[i], f->title.text);

	/* a cut title: the description's text, cut to 280 code points */
	e = &f->entries[0];
	CHECK(strncmp(e->title.text, "We\xE2\x80\x99re opening up access",
	              25) == 0);
	CHECK(strstr(e->title.text, "desktop app and next-generation voi"
	                            "\xE2\x80\xA6") != NULL);
	CHECK(strstr(e->summary.text, "voice and video capabilities.") != NULL);
	CHECK_INT(utf8_count(e->title.text, strlen(e->title.text)), 280);
	CHECK(test_api_valid_utf8(e->title.text));
	CHECK(strcmp(e->title.text + strlen(e->title.text) - 3,
	             "\xE2\x80\xA6") == 0);
	CHECK_STR(e->title.raw, e->title.text);
	CHECK_STR(e->author.full, "@OpenAI");
	CHECK_STR(e->author.name, "OpenAI");
	CHECK_STR(e->link, "https://x.com/OpenAI/status/1790072174117613963");

	/* a cut retweet whose description says something else: the title;
	 * twitter.com, ?s= and #m gone */
	e = &f->entries[1];
	CHECK_STR(e->title.text,
	          "RT @sama: our new model: GPT-4o, is our best model ever. "
	          "it is smart, it is fast,it is natively multimodal (!), "
	          "and\xE2\x80\xA6");
	CHECK_STR(e->author.full, "@sama");
	CHECK_STR(e->link, "https://x.com/sama/status/1790075827666796666");

	/* a Nitter link; lines joined, escapes decoded */
	e = &f->entries[2];
	CHECK_STR(e->title.text, "Line one line <two> & three");
	CHECK_STR(e->link, "https://x.com/OpenAI/status/1790080000000000000");

	/* an empty title: the description; a link that is no status kept;
	 * the handle from the feed's title */
	e = &f->entries[3];
	CHECK_STR(e->title.text, "Only a description \xF0\x9F\x9A\x80");
	CHECK_STR(e->link, "https://rsshub.example.org/some/other/page");
	CHECK_STR(e->author.full, "@OpenAI");

	/* normalizing twice changes nothing */
	for (i = 0; i < f->nentries; i++) {
		char *title = xstrdup(f->entries[i].title.text);
		char *link = xstrdup(f->entries[i].link);

		api_normalize_tweet(&f->entries[i], f->title.text);
		CHECK_STR(f->entries[i].title.text, title);
		CHECK_STR(f->entries[i].link, link);
		free(title);
		free(link);
	}
	feed_free(f);
	buf_free(&data);
	buf_free(&err);
}

static void test_normalize_cases(void)
{
	struct feed_entry e;
	struct buf long_text = BUF_INIT(0);
	size_t i;

	/* 300 Hangul syllables (3 bytes each) cut to 279 and an ellipsis */
	for (i = 0; i < 300; i++)
		buf_puts(&long_text, "\xED\x95\x9C");
	memset(&e, 0, sizeof e);
	e.title.raw = xstrdup(buf_cstr(&long_text));
	e.link = xstrdup("https://mobile.twitter.com/i/web/status/42?s=19");
	api_normalize_tweet(&e, "Twitter @karpathy");
	CHECK_INT(utf8_count(e.title.text, strlen(e.title.text)), 280);
	CHECK_INT(strlen(e.title.text), 279 * 3 + 3);
	CHECK(test_api_valid_utf8(e.title.text));
	CHECK_STR(e.link, "https://x.com/i/web/status/42");
	CHECK_STR(e.author.full, "@karpathy");
	feed_entry_clear(&e);

	/* exactly 280: kept whole; HTML in the title is read as HTML */
	buf_truncate(&long_text, 280 * 3);
	memset(&e, 0, sizeof e);
	e.title.raw = xstrdup(buf_cstr(&long_text));
	api_normalize_tweet(&e, NULL);
	CHECK_STR(e.title.text, buf_cstr(&long_text));
	CHECK_STR(e.author.full, NULL);
	feed_entry_clear(&e);

	memset(&e, 0, sizeof e);
	e.title.raw = xstrdup("<p>Hello &amp; <b>world</b></p>");
	e.title.type = FEED_TEXT_HTML;
	e.author.full = xstrdup("Display Name");
	e.link = xstrdup("http://nitter.net/Some_User/status/123#m");
	api_normalize_tweet(&e, "Twitter @other");
	CHECK_STR(e.title.text, "Hello & world");
	CHECK_INT(e.title.type, FEED_TEXT_TEXT);
	CHECK_STR(e.author.full, "@Some_User");
	CHECK_STR(e.author.name, "Some_User");
	CHECK_STR(e.link, "https://x.com/Some_User/status/123");
	feed_entry_clear(&e);

	/* nothing to go on: left alone */
	memset(&e, 0, sizeof e);
	api_normalize_tweet(&e, NULL);
	CHECK_STR(e.title.raw, NULL);
	CHECK_STR(e.link, NULL);
	feed_entry_clear(&e);
	api_normalize_tweet(NULL, NULL);
	buf_free(&long_text);
}

/* What X gives, normalized as a tweet source's entries are. */
static void test_normalize_x_api(void)
{
	struct buf err = BUF_INIT(0);
	struct feed *f;
	int ret;

	f = test_api_fixture(SOURCE_FORMAT_X_API, "x_timeline.json", NULL, &err,
	                     &ret);
	if (CHECK(f != NULL) && CHECK(f->nentries > 1)) {
		char *before = xstrdup(f->entries[0].title.text);

		api_normalize_tweet(&f->entries[0], f->title.text);
		CHECK_STR(f->entries[0].title.text, before);
		CHECK_STR(f->entries[0].link,
		          "https://x.com/OpenAI/status/1790000000000000001");
		CHECK_STR(f->entries[0].author.full, "@OpenAI");
		free(before);
	}
	feed_free(f);
	buf_free(&err);
}

void test_api_tweets(void)
{
	test_api_headers();
	test_api_token_hosts();
	test_normalize_rsshub();
	test_normalize_cases();
	test_normalize_x_api();
}
