#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/xalloc.h"
#include "fetch/http.h"
#include "fetch/http_lib.h"
#include "tests/check.h"
#include "tests/server_child.h"
#include "tests/tests.h"

#define FIXTURES "tests/fixtures/feeds/"
#define URL_MAX 512

/* What one done() call saw, copied (the response is freed after it). */
struct test_got {
	int calls;
	int order;
	enum http_error error;
	long status;
	char message[256];
	struct buf body;
	char *content_type, *etag, *last_modified, *effective_url;
	bool not_modified;
	int attempts;
	double seconds;
	size_t wire_bytes;
};

struct test_run {
	struct test_got *got;
	size_t n;
	int order;
	int progress_calls;
	bool progress_backwards;
	struct http_progress last;
};

static int test_port;

static const char *test_url(char *out, const char *host, const char *path)
{
	int n = snprintf(out, URL_MAX, "http://%s:%d%s", host, test_port, path);

	CHECK(n > 0 && n < URL_MAX);
	return out;
}

/* A file:// URL of a fixture; false when it does not fit. */
static bool test_file_url(char *out, const char *fixture)
{
	char cwd[PATH_MAX];
	int n;

	if (!getcwd(cwd, sizeof cwd))
		return false;
	n = snprintf(out, URL_MAX, "file://%s/" FIXTURES "%s", cwd, fixture);
	return n > 0 && n < URL_MAX;
}

static char *test_dup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void test_on_done(void *ctx, size_t i, const struct http_response *r)
{
	struct test_run *run = ctx;
	struct test_got *g;

	if (!CHECK(i < run->n))
		return;
	g = &run->got[i];
	if (++g->calls > 1)
		return;
	g->order = run->order++;
	g->error = r->error;
	g->status = r->status;
	snprintf(g->message, sizeof g->message, "%s", r->message);
	buf_init(&g->body, 0);
	buf_append(&g->body, buf_cstr(&r->body), r->body.len);
	g->content_type = test_dup(r->content_type);
	g->etag = test_dup(r->etag);
	g->last_modified = test_dup(r->last_modified);
	g->effective_url = test_dup(r->effective_url);
	g->not_modified = r->not_modified;
	g->attempts = r->attempts;
	g->seconds = r->seconds;
	g->wire_bytes = r->wire_bytes;
}

static void test_on_progress(void *ctx, const struct http_progress *p)
{
	struct test_run *run = ctx;

	if (p->done < run->last.done || p->bytes < run->last.bytes)
		run->progress_backwards = true;
	run->last = *p;
	run->progress_calls++;
}

static void test_run_free(struct test_run *run)
{
	size_t i;

	for (i = 0; run->got && i < run->n; i++) {
		struct test_got *g = &run->got[i];

		buf_free(&g->body);
		free(g->content_type);
		free(g->etag);
		free(g->last_modified);
		free(g->effective_url);
	}
	free(run->got);
	run->got = NULL;
}

/* Fetch reqs with opt into run; checks the calls every fetch must make:
 * done() once per request, and a final progress call that adds up. */
static void test_fetch(const struct http_request *reqs, size_t n,
                       struct http_options *opt, struct test_run *run)
{
	struct buf err = BUF_INIT(0);
	size_t i, failed = 0;

	memset(run, 0, sizeof *run);
	run->n = n;
	run->got = xcalloc(n, sizeof *run->got);
	opt->done = test_on_done;
	opt->progress = test_on_progress;
	opt->ctx = run;
	CHECK_INT(http_fetch_all(reqs, n, opt, &err), 0);
	CHECK_STR(buf_cstr(&err), "");
	for (i = 0; i < n; i++) {
		const struct test_got *g = &run->got[i];

		if (!CHECK_INT(g->calls, 1))
			fprintf(stderr, "    request %zu: %s\n", i,
			        reqs[i].url);
		if (g->error != HTTP_OK ||
		    !((g->status >= 200 && g->status < 300) ||
		      g->status == 304))
			failed++;
	}
	CHECK(run->progress_calls >= 1);
	CHECK(!run->progress_backwards);
	CHECK_INT(run->last.done, n);
	CHECK_INT(run->last.total, n);
	CHECK_INT(run->last.failed, failed);
	buf_free(&err);
}

static void test_options(struct http_options *opt)
{
	memset(opt, 0, sizeof *opt);
	opt->connect_timeout = 2;
	opt->timeout = 2;
	opt->deadline = 20;
	opt->backoff_base = 0.05;
	opt->seed = 42;
}

static bool test_body_is(const struct test_got *g, const char *fixture)
{
	struct buf want = BUF_INIT(0);
	char path[256];
	bool same;

	snprintf(path, sizeof path, FIXTURES "%s", fixture);
	same = check_read_file(path, &want) && want.len == g->body.len &&
	       memcmp(buf_cstr(&want), buf_cstr(&g->body), want.len) == 0;
	buf_free(&want);
	return same;
}

static bool test_ends_with(const char *s, const char *suffix)
{
	size_t n = s ? strlen(s) : 0, m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* The server's /stats, parsed; NULL when it cannot be read. */
static json_t *test_stats(void)
{
	struct http_request req = {0};
	struct http_options opt;
	struct test_run run;
	char url[URL_MAX];
	json_t *root = NULL;

	test_options(&opt);
	req.url = test_url(url, "127.0.0.1", "/stats");
	test_fetch(&req, 1, &opt, &run);
	if (CHECK_INT(run.got[0].status, 200))
		root = json_loadb(buf_cstr(&run.got[0].body),
		                  run.got[0].body.len, 0, NULL);
	CHECK(root != NULL);
	test_run_free(&run);
	return root;
}

static long long test_stat(json_t *root, const char *table, const char *key)
{
	return json_integer_value(
	        json_object_get(json_object_get(root, table), key));
}

enum {
	A_FEED,
	A_GZIP,
	A_REDIRECT,
	A_LOOP,
	A_429,
	A_429_OVER_CAP,
	A_503_DATE,
	A_408,
	A_500,
	A_404,
	A_SLOW,
	A_TRUNCATED,
	A_BIG,
	A_BIG_CHUNKED,
	A_REFUSED,
	A_HTML,
	A_INVALID_UTF8,
	A_ECHO,
	A_FILE_OFF,
	A_FTP,
	A_BAD_URL,
	A_COUNT
};

static const char *const test_paths[A_COUNT] = {
        [A_FEED] = "/feed/rss20.xml",
        [A_GZIP] = "/gzip/atom10.xml",
        [A_REDIRECT] = "/redirect/3/rss091.xml",
        [A_LOOP] = "/loop",
        [A_429] = "/status/429/a?retry_after=1",
        [A_429_OVER_CAP] = "/status/429/b?retry_after=100",
        [A_503_DATE] = "/status/503/c?retry_after_date=2",
        [A_408] = "/status/408/d",
        [A_500] = "/status/500",
        [A_404] = "/status/404",
        [A_SLOW] = "/slow?seconds=5",
        [A_TRUNCATED] = "/truncated",
        [A_BIG] = "/big",
        [A_BIG_CHUNKED] = "/big?chunked=1",
        [A_HTML] = "/html",
        [A_INVALID_UTF8] = "/invalid-utf8",
        [A_ECHO] = "/echo",
};

/* Every behaviour of one fetch at once; the slowest (three timed-out
 * attempts of 2 s) sets the time. Returns the run for the 304 checks. */
/* The failures of test_http_behaviours' requests: time-outs, bodies cut
 * or over the cap, refused connections and URLs, and what passes through
 * as it came (HTML, invalid UTF-8, the request's own headers). */
static void check_behaviour_failures(const struct test_run *run)
{
	const struct test_got *g;

	g = &run->got[A_SLOW];
	CHECK_INT(g->error, HTTP_ERR_TIMEOUT);
	CHECK_STR(g->message, "timed out after 2 s");
	CHECK_INT(g->attempts, 3);
	CHECK(g->seconds >= 6.0);

	g = &run->got[A_TRUNCATED];
	CHECK_INT(g->error, HTTP_ERR_PROTOCOL);
	CHECK_STR(g->message, "truncated body");
	CHECK_INT(g->body.len, 0);

	g = &run->got[A_BIG];
	CHECK_INT(g->error, HTTP_ERR_TOO_LARGE);
	CHECK_STR(g->message, "body over the cap of 16777216 bytes");
	CHECK(g->seconds < 5.0);
	CHECK_INT(g->body.len, 0);

	g = &run->got[A_BIG_CHUNKED];
	CHECK_INT(g->error, HTTP_ERR_TOO_LARGE);
	CHECK_STR(g->message, "body over the cap of 16777216 bytes");
	CHECK(g->seconds < 5.0);
	CHECK(g->wire_bytes >= (size_t)15 << 20);

	g = &run->got[A_REFUSED];
	CHECK_INT(g->error, HTTP_ERR_CONNECT);
	CHECK_INT(g->status, 0);
	CHECK_INT(g->attempts, 3);

	g = &run->got[A_HTML];
	CHECK_STR(g->content_type, "text/html; charset=utf-8");
	CHECK(test_body_is(g, "not-feed.html"));

	g = &run->got[A_INVALID_UTF8];
	CHECK_INT(g->status, 200);
	CHECK(strstr(buf_cstr(&g->body), "bad \xff\xfe \xc3\x28 bytes"));

	g = &run->got[A_ECHO];
	CHECK(strstr(buf_cstr(&g->body), "User-Agent: aidigest/"));
	CHECK(strstr(buf_cstr(&g->body), "X-Aidigest-Test: yes"));
	CHECK(strstr(buf_cstr(&g->body), "gzip"));

	g = &run->got[A_FILE_OFF];
	CHECK_INT(g->error, HTTP_ERR_PROTOCOL);
	CHECK_STR(g->message, "URL scheme not allowed: file");
	CHECK_INT(g->attempts, 0);

	g = &run->got[A_FTP];
	CHECK_INT(g->error, HTTP_ERR_PROTOCOL);
	CHECK_STR(g->message, "URL scheme not allowed: ftp");

	g = &run->got[A_BAD_URL];
	CHECK_INT(g->error, HTTP_ERR_PROTOCOL);
	CHECK_STR(g->message, "malformed URL");
}

static void test_http_behaviours(struct test_run *run)
{
	static const char *const extra[] = {"X-Aidigest-Test: yes", NULL};
	static char urls[A_COUNT][URL_MAX];
	struct http_request reqs[A_COUNT];
	struct http_options opt;
	struct timespec t0;
	const struct test_got *g = NULL;
	json_t *stats;
	double took;
	size_t i;

	memset(reqs, 0, sizeof reqs);
	for (i = 0; i < A_COUNT; i++) {
		reqs[i].url = urls[i];
		if (test_paths[i])
			test_url(urls[i], "127.0.0.1", test_paths[i]);
	}
	snprintf(urls[A_REFUSED], URL_MAX, "http://127.0.0.1:%d/feed",
	         server_child_closed_port());
	CHECK(test_file_url(urls[A_FILE_OFF], "rss20.xml"));
	snprintf(urls[A_FTP], URL_MAX, "ftp://127.0.0.1:%d/x", test_port);
	snprintf(urls[A_BAD_URL], URL_MAX, "not a url");
	reqs[A_ECHO].headers = extra;

	test_options(&opt);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	test_fetch(reqs, A_COUNT, &opt, run);
	took = check_seconds_since(&t0);
	/* Three 2 s attempts of /slow, and no more than a little over. */
	CHECK(took >= 6.0 && took < 12.0);
	CHECK(run->progress_calls <= (int)(took * 5) + 2);

	g = &run->got[A_FEED];
	CHECK_INT(g->error, HTTP_OK);
	CHECK_INT(g->status, 200);
	CHECK_STR(g->message, "");
	CHECK(test_body_is(g, "rss20.xml"));
	CHECK(g->etag && g->etag[0] == '"');
	CHECK(g->last_modified != NULL);
	CHECK_STR(g->content_type, "application/rss+xml");
	CHECK_STR(g->effective_url, urls[A_FEED]);
	CHECK(!g->not_modified);
	CHECK_INT(g->attempts, 1);
	CHECK(g->wire_bytes > g->body.len);

	g = &run->got[A_GZIP];
	CHECK_INT(g->status, 200);
	CHECK(test_body_is(g, "atom10.xml"));
	CHECK(g->wire_bytes < g->body.len); /* 596 gzip bytes and headers */

	g = &run->got[A_REDIRECT];
	CHECK_INT(g->error, HTTP_OK);
	CHECK_INT(g->status, 200);
	CHECK(test_body_is(g, "rss091.xml"));
	CHECK(test_ends_with(g->effective_url, "/feed/rss091.xml"));

	g = &run->got[A_LOOP];
	CHECK_INT(g->error, HTTP_ERR_REDIRECTS);
	CHECK_STR(g->message, "more than 5 redirects");
	CHECK_INT(g->attempts, 1);

	g = &run->got[A_429];
	CHECK_INT(g->error, HTTP_OK);
	CHECK_INT(g->status, 200);
	CHECK_INT(g->attempts, 2);
	CHECK(g->seconds >= 0.9);
	CHECK(test_body_is(g, "rss20.xml"));

	g = &run->got[A_429_OVER_CAP];
	CHECK_INT(g->error, HTTP_OK);
	CHECK_INT(g->status, 429);
	CHECK_STR(g->message, "HTTP 429");
	CHECK_INT(g->attempts, 1);

	g = &run->got[A_503_DATE];
	CHECK_INT(g->status, 200);
	CHECK_INT(g->attempts, 2);
	CHECK(g->seconds >= 0.9);

	g = &run->got[A_408];
	CHECK_INT(g->status, 200);
	CHECK_INT(g->attempts, 2);

	g = &run->got[A_500];
	CHECK_INT(g->error, HTTP_OK);
	CHECK_INT(g->status, 500);
	CHECK_STR(g->message, "HTTP 500");
	CHECK_INT(g->attempts, 3);

	g = &run->got[A_404];
	CHECK_INT(g->error, HTTP_OK);
	CHECK_INT(g->status, 404);
	CHECK_STR(g->message, "HTTP 404");
	CHECK_INT(g->attempts, 1);

	check_behaviour_failures(run);

	stats = test_stats();
	CHECK_INT(test_stat(stats, "gzip", "/gzip/atom10.xml"), 1);
	CHECK_INT(test_stat(stats, "requests", "/redirect/2/rss091.xml"), 1);
	CHECK_INT(test_stat(stats, "requests", "/status/429/a"), 2);
	CHECK_INT(test_stat(stats, "requests", "/status/429/b"), 1);
	CHECK_INT(test_stat(stats, "requests", "/status/500"), 3);
	CHECK_INT(test_stat(stats, "requests", "/status/404"), 1);
	CHECK_INT(test_stat(stats, "requests", "/slow"), 3);
	CHECK_INT(test_stat(stats, "requests", "/truncated"), 1);
	CHECK_INT(test_stat(stats, "requests", "/loop"), 6);
	json_decref(stats);
}

/* Validators from the first fetch make the second a 304. */
static void test_http_conditional(const struct test_got *first)
{
	static char urls[3][URL_MAX];
	struct http_request reqs[3];
	struct http_options opt;
	struct test_run run;
	json_t *stats;
	size_t i;

	memset(reqs, 0, sizeof reqs);
	for (i = 0; i < 3; i++)
		reqs[i].url = test_url(urls[i], "127.0.0.1", "/feed/rss20.xml");
	reqs[0].etag = first->etag;
	reqs[1].last_modified = first->last_modified;
	reqs[2].etag = "\"stale\"";
	test_options(&opt);
	test_fetch(reqs, 3, &opt, &run);

	CHECK_INT(run.got[0].error, HTTP_OK);
	CHECK_INT(run.got[0].status, 304);
	CHECK(run.got[0].not_modified);
	CHECK_INT(run.got[0].body.len, 0);
	CHECK_STR(run.got[0].etag, first->etag);
	CHECK_STR(run.got[0].message, "");
	CHECK_INT(run.got[1].status, 304);
	CHECK(run.got[1].not_modified);
	CHECK_STR(run.got[1].last_modified, first->last_modified);
	CHECK_INT(run.got[2].status, 200);
	CHECK(!run.got[2].not_modified);
	CHECK(test_body_is(&run.got[2], "rss20.xml"));
	CHECK_INT(run.last.failed, 0);
	test_run_free(&run);

	stats = test_stats();
	CHECK_INT(test_stat(stats, "not_modified", "/feed/rss20.xml"), 2);
	json_decref(stats);
}

/* 40 requests to one host and 10 to another: never more than 2 at once
 * per host, never more than the pool's 3 in all. */
static void test_http_per_host(void)
{
	enum { ONE = 40, OTHER = 10, N = ONE + OTHER };
	static char urls[N][URL_MAX];
	struct http_request reqs[N];
	struct http_options opt;
	struct test_run run;
	json_t *stats;
	size_t i, ok = 0;

	memset(reqs, 0, sizeof reqs);
	for (i = 0; i < N; i++)
		reqs[i].url =
		        test_url(urls[i], i < ONE ? "127.0.0.1" : "localhost",
		                 i < ONE ? "/latency/rss20.xml?ms=50"
		                         : "/latency/atom10.xml?ms=50");
	test_options(&opt);
	opt.max_transfers = 3;
	opt.max_per_host = 2;
	test_fetch(reqs, N, &opt, &run);
	for (i = 0; i < N; i++)
		ok += run.got[i].error == HTTP_OK && run.got[i].status == 200;
	CHECK_INT(ok, N);
	test_run_free(&run);

	stats = test_stats();
	CHECK_INT(test_stat(stats, "requests", "/latency/rss20.xml"), ONE);
	CHECK_INT(test_stat(stats, "requests", "/latency/atom10.xml"), OTHER);
	CHECK_INT(test_stat(stats, "max_concurrent", "127.0.0.1/latency"), 2);
	CHECK(test_stat(stats, "max_concurrent", "localhost/latency") >= 1);
	CHECK(test_stat(stats, "max_concurrent", "localhost/latency") <= 2);
	CHECK(test_stat(stats, "max_concurrent", "*/latency") >= 2);
	CHECK(test_stat(stats, "max_concurrent", "*/latency") <= 3);
	json_decref(stats);
}

/* The deadline ends a slow transfer and one still queued, on time; a
 * retry that would start past it is not made. */
static void test_http_deadline(void)
{
	static char urls[3][URL_MAX];
	struct http_request reqs[3];
	struct http_options opt;
	struct test_run run;
	struct timespec t0;
	double took;

	memset(reqs, 0, sizeof reqs);
	reqs[0].url = test_url(urls[0], "127.0.0.1", "/slow?seconds=10");
	reqs[1].url = test_url(urls[1], "127.0.0.1", "/slow?seconds=10&b=1");
	reqs[2].url =
	        test_url(urls[2], "localhost", "/status/503/e?retry_after=5");
	test_options(&opt);
	opt.deadline = 2;
	opt.timeout = 30;
	opt.max_per_host = 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	test_fetch(reqs, 3, &opt, &run);
	took = check_seconds_since(&t0);
	CHECK(took >= 1.9 && took < 4.0);

	CHECK_INT(run.got[0].error, HTTP_ERR_DEADLINE);
	CHECK_STR(run.got[0].message, "stopped at the fetch deadline of 2 s");
	CHECK_INT(run.got[0].attempts, 1);
	CHECK(run.got[0].seconds >= 1.9 && run.got[0].seconds < 4.0);
	CHECK_INT(run.got[1].error, HTTP_ERR_DEADLINE);
	CHECK_INT(run.got[1].attempts, 0);
	CHECK_INT(run.got[2].error, HTTP_OK);
	CHECK_INT(run.got[2].status, 503);
	CHECK_STR(run.got[2].message, "HTTP 503");
	CHECK_INT(run.got[2].attempts, 1);
	CHECK_INT(run.got[2].order, 0);
	CHECK(run.got[2].seconds < 1.0);
	test_run_free(&run);
}

/* file:// only when allowed, and a server never redirects to one. */
static void test_http_file(void)
{
	static char urls[3][URL_MAX];
	struct http_request reqs[3];
	struct http_options opt;
	struct test_run run;
	char path[URL_MAX];
	int n;

	memset(reqs, 0, sizeof reqs);
	if (!CHECK(test_file_url(urls[0], "rss20.xml")) ||
	    !CHECK(test_file_url(urls[2], "absent.xml")))
		return;
	n = snprintf(path, sizeof path, "/redirect-to?url=%s", urls[0]);
	if (!CHECK(n > 0 && n < URL_MAX))
		return;
	reqs[0].url = urls[0];
	reqs[1].url = test_url(urls[1], "127.0.0.1", path);
	reqs[2].url = urls[2];
	test_options(&opt);
	opt.allow_file = true;
	test_fetch(reqs, 3, &opt, &run);
	CHECK_INT(run.got[0].error, HTTP_OK);
	CHECK_INT(run.got[0].status, 200);
	CHECK(test_body_is(&run.got[0], "rss20.xml"));
	CHECK_INT(run.got[1].error, HTTP_ERR_PROTOCOL);
	CHECK_INT(run.got[1].body.len, 0);
	CHECK(run.got[2].error != HTTP_OK);
	test_run_free(&run);
}

/* What /echo-post saw, parsed; NULL when the body is not its JSON. */
static json_t *test_echoed(const struct test_got *g)
{
	return json_loadb(buf_cstr(&g->body), g->body.len, JSON_ALLOW_NUL,
	                  NULL);
}

static const char *test_echoed_str(json_t *echo, const char *key)
{
	return json_string_value(json_object_get(echo, key));
}

static const char *test_echoed_header(json_t *echo, const char *name)
{
	return json_string_value(
	        json_object_get(json_object_get(echo, "headers"), name));
}

enum {
	P_ECHO,
	P_EMPTY,
	P_RETRY,
	P_REDIRECT,
	P_LARGE,
	P_TIMEOUT,
	P_409,
	P_409_ALWAYS,
	P_529,
	P_MS,
	P_MS_OVER_CAP,
	P_MS_FRACTION,
	P_500_RETRY_AFTER,
	P_COUNT
};

static const char *const test_post_paths[P_COUNT] = {
        [P_ECHO] = "/echo-post/a",
        [P_EMPTY] = "/echo-post/e",
        [P_RETRY] = "/echo-post/b?status=503",
        [P_REDIRECT] = "/redirect-to?url=/echo-post/c",
        [P_LARGE] = "/echo-post/d",
        [P_TIMEOUT] = "/slow?seconds=5",
        [P_409] = "/status/409/f?times=1",
        [P_409_ALWAYS] = "/status/409/l",
        [P_529] = "/status/529/g?times=1",
        [P_MS] = "/status/429/h?retry_after_ms=300&retry_after=100",
        [P_MS_OVER_CAP] = "/status/429/i?retry_after_ms=100000",
        [P_MS_FRACTION] = "/status/503/k?retry_after_ms=200.5",
        [P_500_RETRY_AFTER] = "/status/500/j?retry_after=1&times=1",
};

/* POST bodies (cut at body_len, sent again on a retry, never redirected),
 * a request's own timeout, and the retry rules for 409, 529,
 * retry-after-ms and a Retry-After on any retried status. */
static void test_http_post_and_retries(void)
{
	static const char *const json_type[] = {
	        "Content-Type: application/json", NULL};
	static char urls[P_COUNT][URL_MAX];
	struct http_request reqs[P_COUNT];
	struct http_options opt;
	struct test_run run;
	struct buf large = BUF_INIT(0);
	const struct test_got *g;
	json_t *echo, *stats;
	size_t i;

	memset(reqs, 0, sizeof reqs);
	for (i = 0; i < P_COUNT; i++)
		reqs[i].url =
		        test_url(urls[i], "127.0.0.1", test_post_paths[i]);
	for (i = 0; i < 20000; i++)
		buf_puts(&large, "0123456789");
	reqs[P_ECHO].body = "{\"a\":\"w\xc3\xb6rld\"}tail";
	reqs[P_ECHO].body_len = 14;
	reqs[P_ECHO].headers = json_type;
	reqs[P_EMPTY].body = "";
	reqs[P_RETRY].body = "again";
	reqs[P_RETRY].body_len = 5;
	reqs[P_REDIRECT].body = "x";
	reqs[P_REDIRECT].body_len = 1;
	reqs[P_LARGE].body = buf_cstr(&large);
	reqs[P_LARGE].body_len = large.len;
	reqs[P_TIMEOUT].timeout = 1;
	test_options(&opt);
	opt.timeout = 30;
	opt.max_per_host = 16;
	test_fetch(reqs, P_COUNT, &opt, &run);

	g = &run.got[P_ECHO];
	CHECK_INT(g->status, 200);
	echo = test_echoed(g);
	CHECK_STR(test_echoed_str(echo, "method"), "POST");
	CHECK_STR(test_echoed_str(echo, "body"), "{\"a\":\"w\xc3\xb6rld\"}");
	CHECK_STR(test_echoed_header(echo, "Content-Type"), "application/json");
	CHECK(test_echoed_header(echo, "Expect") == NULL);
	CHECK_INT(g->attempts, 1);
	json_decref(echo);

	g = &run.got[P_EMPTY];
	echo = test_echoed(g);
	CHECK_STR(test_echoed_str(echo, "method"), "POST");
	CHECK_INT(json_integer_value(json_object_get(echo, "length")), 0);
	json_decref(echo);

	g = &run.got[P_RETRY];
	CHECK_INT(g->status, 200);
	CHECK_INT(g->attempts, 2);
	echo = test_echoed(g);
	CHECK_STR(test_echoed_str(echo, "body"), "again");
	json_decref(echo);

	g = &run.got[P_REDIRECT];
	CHECK_INT(g->error, HTTP_OK);
	CHECK_INT(g->status, 302);
	CHECK_INT(g->attempts, 1);
	CHECK(test_ends_with(g->effective_url,
	                     "/redirect-to?url=/echo-post/c"));

	g = &run.got[P_LARGE];
	CHECK_INT(g->status, 200);
	echo = test_echoed(g);
	CHECK_INT(json_integer_value(json_object_get(echo, "length")),
	          large.len);
	CHECK_STR(test_echoed_str(echo, "body"), buf_cstr(&large));
	json_decref(echo);

	g = &run.got[P_TIMEOUT];
	CHECK_INT(g->error, HTTP_ERR_TIMEOUT);
	CHECK_STR(g->message, "timed out after 1 s");
	CHECK_INT(g->attempts, 3);
	CHECK(g->seconds >= 3.0 && g->seconds < 6.0);

	g = &run.got[P_409];
	CHECK_INT(g->status, 200);
	CHECK_INT(g->attempts, 2);
	g = &run.got[P_409_ALWAYS];
	CHECK_INT(g->status, 409);
	CHECK_STR(g->message, "HTTP 409");
	CHECK_INT(g->attempts, 3);
	g = &run.got[P_529];
	CHECK_INT(g->status, 200);
	CHECK_INT(g->attempts, 2);

	/* retry-after-ms wins over a Retry-After that is over the cap */
	g = &run.got[P_MS];
	CHECK_INT(g->status, 200);
	CHECK_INT(g->attempts, 2);
	CHECK(g->seconds >= 0.29 && g->seconds < 1.5);
	g = &run.got[P_MS_OVER_CAP];
	CHECK_INT(g->status, 429);
	CHECK_INT(g->attempts, 1);
	g = &run.got[P_MS_FRACTION];
	CHECK_INT(g->status, 200);
	CHECK_INT(g->attempts, 2);
	CHECK(g->seconds >= 0.19);
	g = &run.got[P_500_RETRY_AFTER];
	CHECK_INT(g->status, 200);
	CHECK_INT(g->attempts, 2);
	CHECK(g->seconds >= 0.9);
	test_run_free(&run);
	buf_free(&large);

	stats = test_stats();
	CHECK_INT(test_stat(stats, "requests", "/echo-post/c"), 0);
	CHECK_INT(test_stat(stats, "requests", "/echo-post/b"), 2);
	CHECK_INT(test_stat(stats, "requests", "/status/409/l"), 3);
	json_decref(stats);
}

static int test_asked[3];

/* Request 1 may never start; request 2 may start once, not retry. */
static bool test_may_start(void *ctx, size_t index)
{
	(void)ctx;
	if (index >= 3)
		return false;
	test_asked[index]++;
	return index == 0 || (index == 2 && test_asked[2] == 1);
}

/* may_start stops new attempts; what runs finishes. */
static void test_http_may_start(void)
{
	static char urls[3][URL_MAX];
	struct http_request reqs[3];
	struct http_options opt;
	struct test_run run;
	json_t *stats;

	memset(reqs, 0, sizeof reqs);
	reqs[0].url = test_url(urls[0], "127.0.0.1", "/feed/rss20.xml");
	reqs[1].url = test_url(urls[1], "127.0.0.1", "/echo-post/m");
	reqs[1].body = "never";
	reqs[1].body_len = 5;
	reqs[2].url =
	        test_url(urls[2], "127.0.0.1", "/status/429/n?retry_after=0");
	test_options(&opt);
	opt.may_start = test_may_start;
	memset(test_asked, 0, sizeof test_asked);
	test_fetch(reqs, 3, &opt, &run);
	CHECK_INT(run.got[0].status, 200);
	CHECK_INT(run.got[1].error, HTTP_ERR_SKIPPED);
	CHECK_INT(run.got[1].status, 0);
	CHECK_INT(run.got[1].attempts, 0);
	CHECK_STR(run.got[1].message, "not started");
	CHECK_INT(run.got[2].error, HTTP_ERR_SKIPPED);
	CHECK_INT(run.got[2].status, 429);
	CHECK_INT(run.got[2].attempts, 1);
	CHECK_STR(run.got[2].message, "HTTP 429; no retry started");
	CHECK_INT(run.last.failed, 2);
	CHECK_INT(test_asked[0], 1);
	CHECK_INT(test_asked[1], 1);
	CHECK_INT(test_asked[2], 2);
	test_run_free(&run);

	stats = test_stats();
	CHECK_INT(test_stat(stats, "requests", "/echo-post/m"), 0);
	CHECK_INT(test_stat(stats, "requests", "/status/429/n"), 1);
	json_decref(stats);
}

static void test_http_empty(void)
{
	struct http_options opt;
	struct test_run run;

	test_options(&opt);
	memset(&run, 0, sizeof run);
	opt.done = test_on_done;
	opt.progress = test_on_progress;
	opt.ctx = &run;
	CHECK_INT(http_fetch_all(NULL, 0, &opt, NULL), 0);
	CHECK_INT(run.progress_calls, 0);
	CHECK_INT(run.order, 0);
}

/* libcurl is loaded, not linked: a library that is missing or is not
 * libcurl is an error that names it; the real one loads. */
static void test_http_lib_load(void)
{
	struct buf err = BUF_INIT(1024);

	check_group("http: loading libcurl");
	CHECK_INT(http_lib_load("libaidigest-none.so.0", &err), ERR_NET);
	CHECK(strstr(buf_cstr(&err),
	             "cannot load libaidigest-none.so.0, which the network "
	             "needs (Debian package libcurl4): ") != NULL);
	buf_reset(&err);
	CHECK_INT(http_lib_load("libm.so.6", &err), ERR_NET);
	CHECK_STR(buf_cstr(&err), "libm.so.6 has no curl_global_init");
	buf_reset(&err);
	CHECK_INT(http_lib_load(HTTP_LIB_SONAME, &err), ERR_OK);
	CHECK_STR(buf_cstr(&err), "");
	CHECK(http_lib.easy_init != NULL && http_lib.free != NULL);
	CHECK_INT(http_global_init(), 0);
	CHECK_STR(http_global_error(), "");
	http_global_cleanup();
	buf_free(&err);
}

void test_http(void)
{
	struct server_child server = {-1, -1, -1, 0};
	struct test_run run = {0};

	test_http_lib_load();
	if (!server_child_python3()) {
		printf("http: skipped (python3 absent)\n");
		return;
	}
	if (!CHECK_INT(http_global_init(), 0))
		return;
	/* A proxy from the environment must not see loopback requests. */
	setenv("no_proxy", "127.0.0.1,localhost", 1);
	test_http_empty();
	if (!CHECK(server_child_start(&server, "tests/http_server.py")))
		goto out;
	test_port = server.port;
	test_http_behaviours(&run);
	test_http_conditional(&run.got[A_FEED]);
	test_http_per_host();
	test_http_deadline();
	test_http_file();
	test_http_post_and_retries();
	test_http_may_start();
out:
	test_run_free(&run);
	server_child_stop(&server);
	http_global_cleanup();
}
