#include "fetch/http.h"

#include <curl/curl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "common/ascii.h"
#include "common/date.h"
#include "common/xalloc.h"
#include "fetch/http_lib.h"

#ifndef AIDIGEST_VERSION
#define AIDIGEST_VERSION "dev"
#endif

#define HTTP_PROJECT_URL "https://github.com/aidigest/aidigest"
#define HTTP_USER_AGENT "aidigest/" AIDIGEST_VERSION " (+" HTTP_PROJECT_URL ")"
#define HTTP_HEADER_VALUE_MAX 2048 /* longer header values are ignored */
#define HTTP_PROGRESS_MS 200       /* at most five progress calls a second */
#define HTTP_POLL_MAX_MS 1000      /* look at the clock at least this often */
#define HTTP_RETRY_AFTER_MAX 1000000000L
#define HTTP_BACKOFF_MAX_SHIFT 20

/* Why http_global_init failed, for http_global_error; with libcurl's own
 * global state, the process's. */
static struct buf http_global_err = BUF_INIT(512);

enum xfer_state { XFER_QUEUED, XFER_RUNNING, XFER_WAITING, XFER_DONE };

/* One request across all its attempts. */
struct http_xfer {
	size_t index;
	enum xfer_state state;
	int host; /* slot in fetch->hosts, or -1: no per-host limit */
	CURL *easy;
	struct curl_slist *headers;
	struct http_response resp;
	long retry_after;    /* seconds Retry-After asked for, or -1 */
	long retry_after_ms; /* ms retry-after-ms asked for, or -1 */
	bool too_large;      /* the write callback stopped the body */
	int64_t first_ms;    /* start of the first attempt */
	int64_t due_ms;      /* start of the next attempt when waiting */
	char errbuf[CURL_ERROR_SIZE];
};

struct http_host {
	char *name;
	int running;
	int limit; /* transfers at once: max_per_host, or a group's */
};

struct http_fetch {
	const struct http_request *reqs;
	size_t n;
	struct http_options opt; /* defaults filled in */
	CURLM *multi;
	struct http_xfer *xfers;
	struct http_host *hosts;
	size_t nhosts;
	int running;
	size_t done, failed;
	size_t wire_done;   /* wire bytes of attempts that ended */
	size_t bytes_shown; /* the last progress report's bytes */
	int64_t deadline_ms, progress_ms;
	uint64_t rng;
};

enum http_field {
	FIELD_CONTENT_TYPE,
	FIELD_ETAG,
	FIELD_LAST_MODIFIED,
	FIELD_RETRY_AFTER,
	FIELD_RETRY_AFTER_MS
};

static const struct {
	const char *name;
	enum http_field field;
} http_fields[] = {
        {"Content-Type", FIELD_CONTENT_TYPE},
        {"ETag", FIELD_ETAG},
        {"Last-Modified", FIELD_LAST_MODIFIED},
        {"Retry-After", FIELD_RETRY_AFTER},
        {"retry-after-ms", FIELD_RETRY_AFTER_MS},
};

/* What a libcurl failure means here. retry: a later attempt may succeed.
 * message NULL: libcurl's own words, or a text with the option's number. */
static const struct {
	CURLcode code;
	enum http_error error;
	bool retry;
	const char *message;
} http_curl_errors[] = {
        {CURLE_OPERATION_TIMEDOUT, HTTP_ERR_TIMEOUT, true, NULL},
        {CURLE_COULDNT_RESOLVE_HOST, HTTP_ERR_CONNECT, true, NULL},
        {CURLE_COULDNT_RESOLVE_PROXY, HTTP_ERR_CONNECT, true, NULL},
        {CURLE_COULDNT_CONNECT, HTTP_ERR_CONNECT, true, NULL},
        {CURLE_SEND_ERROR, HTTP_ERR_CONNECT, true, NULL},
        {CURLE_RECV_ERROR, HTTP_ERR_CONNECT, true, NULL},
        {CURLE_SSL_CONNECT_ERROR, HTTP_ERR_CONNECT, false, NULL},
        {CURLE_PEER_FAILED_VERIFICATION, HTTP_ERR_CONNECT, false, NULL},
        {CURLE_SSL_CERTPROBLEM, HTTP_ERR_CONNECT, false, NULL},
        {CURLE_SSL_CACERT_BADFILE, HTTP_ERR_CONNECT, false, NULL},
        {CURLE_GOT_NOTHING, HTTP_ERR_PROTOCOL, true, "empty reply"},
        {CURLE_PARTIAL_FILE, HTTP_ERR_PROTOCOL, false, "truncated body"},
        {CURLE_UNSUPPORTED_PROTOCOL, HTTP_ERR_PROTOCOL, false, NULL},
        {CURLE_URL_MALFORMAT, HTTP_ERR_PROTOCOL, false, NULL},
        {CURLE_WEIRD_SERVER_REPLY, HTTP_ERR_PROTOCOL, false, NULL},
        {CURLE_BAD_CONTENT_ENCODING, HTTP_ERR_PROTOCOL, false, NULL},
        {CURLE_HTTP2, HTTP_ERR_PROTOCOL, true, NULL},
        {CURLE_HTTP2_STREAM, HTTP_ERR_PROTOCOL, true, NULL},
        {CURLE_TOO_MANY_REDIRECTS, HTTP_ERR_REDIRECTS, false, NULL},
        {CURLE_FILESIZE_EXCEEDED, HTTP_ERR_TOO_LARGE, false, NULL},
};

static int64_t http_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* splitmix64: a small PRNG whose whole state is one word in the fetch. */
static uint64_t http_rand_next(uint64_t *state)
{
	uint64_t z;

	*state += UINT64_C(0x9e3779b97f4a7c15);
	z = *state;
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* A uniform double in [0, 1). */
static double http_rand_unit(uint64_t *state)
{
	return (double)(http_rand_next(state) >> 11) / 9007199254740992.0;
}

static void http_resolve_options(const struct http_options *in,
                                 struct http_options *o)
{
	*o = *in;
	if (o->max_transfers <= 0)
		o->max_transfers = 16;
	if (o->max_per_host <= 0)
		o->max_per_host = 2;
	if (o->connect_timeout <= 0)
		o->connect_timeout = 10;
	if (o->timeout <= 0)
		o->timeout = 30;
	if (o->deadline <= 0)
		o->deadline = HTTP_DEFAULT_DEADLINE;
	if (o->max_redirects <= 0)
		o->max_redirects = 5;
	if (o->max_bytes == 0)
		o->max_bytes = (size_t)16 << 20;
	if (o->max_retries == 0)
		o->max_retries = 2;
	else if (o->max_retries < 0)
		o->max_retries = 0;
	if (o->retry_after_cap <= 0)
		o->retry_after_cap = 60;
	if (!(o->backoff_base > 0))
		o->backoff_base = 1.0;
	if (!o->user_agent)
		o->user_agent = HTTP_USER_AGENT;
}

static void xfer_set_message(struct http_xfer *x, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void xfer_set_message(struct http_xfer *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->resp.message, sizeof x->resp.message, fmt, ap);
	va_end(ap);
}

static void xfer_clear_headers(struct http_xfer *x)
{
	free(x->resp.content_type);
	free(x->resp.etag);
	free(x->resp.last_modified);
	x->resp.content_type = x->resp.etag = x->resp.last_modified = NULL;
	x->retry_after = -1;
	x->retry_after_ms = -1;
}

/* Retry-After is delay-seconds or an HTTP-date; returns seconds from now,
 * or -1 when the value is neither. */
static long http_parse_retry_after(const char *s, size_t n)
{
	char date[128];
	int64_t t, now;
	long secs = 0;
	size_t i;

	if (n == 0)
		return -1;
	for (i = 0; i < n && ascii_isdigit(s[i]); i++)
		if (secs < HTTP_RETRY_AFTER_MAX)
			secs = secs * 10 + (s[i] - '0');
	if (i == n)
		return secs < HTTP_RETRY_AFTER_MAX ? secs
		                                   : HTTP_RETRY_AFTER_MAX;
	if (n >= sizeof date)
		return -1;
	memcpy(date, s, n);
	date[n] = '\0';
	if (date_parse(date, 0, &t) != 0)
		return -1;
	now = (int64_t)time(NULL);
	if (t <= now)
		return 0;
	return t - now < HTTP_RETRY_AFTER_MAX ? (long)(t - now)
	                                      : HTTP_RETRY_AFTER_MAX;
}

/* retry-after-ms is a count of milliseconds, perhaps with a fraction
 * (dropped); returns it, or -1 when the value is not one. */
static long http_parse_retry_after_ms(const char *s, size_t n)
{
	long ms = 0;
	size_t i;

	for (i = 0; i < n && ascii_isdigit(s[i]); i++)
		if (ms < HTTP_RETRY_AFTER_MAX)
			ms = ms * 10 + (s[i] - '0');
	if (i == 0)
		return -1;
	if (i < n && s[i] == '.')
		for (i++; i < n && ascii_isdigit(s[i]); i++)
			;
	if (i != n)
		return -1;
	return ms < HTTP_RETRY_AFTER_MAX ? ms : HTTP_RETRY_AFTER_MAX;
}

static void xfer_set_field(struct http_xfer *x, enum http_field field,
                           const char *v, size_t n)
{
	char **dst = NULL;

	switch (field) {
	case FIELD_CONTENT_TYPE:
		dst = &x->resp.content_type;
		break;
	case FIELD_ETAG:
		dst = &x->resp.etag;
		break;
	case FIELD_LAST_MODIFIED:
		dst = &x->resp.last_modified;
		break;
	case FIELD_RETRY_AFTER:
		x->retry_after = http_parse_retry_after(v, n);
		return;
	case FIELD_RETRY_AFTER_MS:
		x->retry_after_ms = http_parse_retry_after_ms(v, n);
		return;
	}
	free(*dst);
	*dst = n ? xstrndup(v, n) : NULL;
}

/* libcurl hands over one header line at a time, of every response on the
 * way (redirects, 1xx); a status line starts a new set. */
static size_t xfer_on_header(char *p, size_t size, size_t nitems, void *ud)
{
	struct http_xfer *x = ud;
	size_t len = size * nitems, name_len, i;
	const char *colon, *v, *end;

	if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		xfer_clear_headers(x);
		return len;
	}
	colon = memchr(p, ':', len);
	if (!colon)
		return len;
	name_len = (size_t)(colon - p);
	v = colon + 1;
	end = p + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' ||
	                   end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end - v > HTTP_HEADER_VALUE_MAX)
		return len;
	for (i = 0; i < sizeof http_fields / sizeof http_fields[0]; i++)
		if (strlen(http_fields[i].name) == name_len &&
		    strncasecmp(p, http_fields[i].name, name_len) == 0) {
			xfer_set_field(x, http_fields[i].field, v,
			               (size_t)(end - v));
			break;
		}
	return len;
}

/* Returning less than was given makes libcurl end the transfer with
 * CURLE_WRITE_ERROR: that is how a body over the cap stops. */
static size_t xfer_on_body(char *p, size_t size, size_t nmemb, void *ud)
{
	struct http_xfer *x = ud;
	size_t len = size * nmemb;

	if (buf_append(&x->resp.body, p, len) != BUF_OK) {
		x->too_large = true;
		return 0;
	}
	return len;
}

static int fetch_host_slot(struct http_fetch *f, const char *host, int limit)
{
	size_t i;
	char *name;

	for (i = 0; i < f->nhosts; i++)
		if (strcasecmp(f->hosts[i].name, host) == 0)
			return (int)i;
	name = xstrdup(host);
	f->hosts = xreallocarray(f->hosts, f->nhosts + 1, sizeof *f->hosts);
	f->hosts[f->nhosts].name = name;
	f->hosts[f->nhosts].running = 0;
	f->hosts[f->nhosts].limit = limit > 0 ? limit : f->opt.max_per_host;
	return (int)f->nhosts++;
}

static bool http_scheme_allowed(const char *scheme, bool allow_file)
{
	return strcasecmp(scheme, "http") == 0 ||
	       strcasecmp(scheme, "https") == 0 ||
	       (allow_file && strcasecmp(scheme, "file") == 0);
}

/* Check the URL before any transfer and find its host's slot. Returns
 * HTTP_OK, or an error with x's message set. */
static enum http_error xfer_check_url(struct http_fetch *f, struct http_xfer *x)
{
	const char *url = f->reqs[x->index].url;
	enum http_error error = HTTP_OK;
	char *scheme = NULL, *host = NULL, *port = NULL, key[512];
	CURLU *u = http_lib.url();

	x->host = -1;
	if (!u) {
		xfer_set_message(x, "libcurl: out of memory");
		error = HTTP_ERR_OTHER;
		goto out;
	}
	if (!url ||
	    http_lib.url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) !=
	            CURLUE_OK ||
	    http_lib.url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
		xfer_set_message(x, "malformed URL");
		error = HTTP_ERR_PROTOCOL;
		goto out;
	}
	if (!http_scheme_allowed(scheme, f->opt.allow_file)) {
		xfer_set_message(x, "URL scheme not allowed: %.32s", scheme);
		error = HTTP_ERR_PROTOCOL;
		goto out;
	}
	/* a group has its own limit; a host is a server: name and port */
	if (f->reqs[x->index].group) {
		snprintf(key, sizeof key, "group %.400s",
		         f->reqs[x->index].group);
		x->host =
		        fetch_host_slot(f, key, f->reqs[x->index].group_limit);
	} else if (strcasecmp(scheme, "file") != 0 &&
	           http_lib.url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	           http_lib.url_get(u, CURLUPART_PORT, &port,
	                            CURLU_DEFAULT_PORT) == CURLUE_OK) {
		snprintf(key, sizeof key, "%.400s:%.16s", host, port);
		x->host = fetch_host_slot(f, key, 0);
	}
out:
	http_lib.free(scheme);
	http_lib.free(host);
	http_lib.free(port);
	http_lib.url_cleanup(u);
	return error;
}

static struct curl_slist *http_add_header(struct curl_slist *list,
                                          const char *name, const char *value,
                                          bool *bad)
{
	struct buf line = BUF_INIT(0);
	struct curl_slist *next;

	/* A stored validator with a line break would smuggle in a header. */
	if (strpbrk(value, "\r\n"))
		return list;
	if (buf_printf(&line, "%s: %s", name, value) != BUF_OK) {
		*bad = true;
		return list;
	}
	next = http_lib.slist_append(list, buf_cstr(&line));
	buf_free(&line);
	if (!next) {
		*bad = true;
		return list;
	}
	return next;
}

/* The request's own timeout, else the options'. */
static long xfer_timeout(const struct http_fetch *f, const struct http_xfer *x)
{
	long t = f->reqs[x->index].timeout;

	return t > 0 ? t : f->opt.timeout;
}

/* Create x's easy handle with every option; returns 0 or ERR_NET. */
static int xfer_setup(struct http_fetch *f, struct http_xfer *x)
{
	const struct http_request *req = &f->reqs[x->index];
	const struct http_options *o = &f->opt;
	const char *const *h;
	bool bad = false;
	CURL *e;

	e = http_lib.easy_init();
	if (!e)
		return ERR_NET;
	x->easy = e;
	/* No "Expect: 100-continue" wait before a body: APIs answer at once. */
	if (req->body) {
		x->headers = http_lib.slist_append(NULL, "Expect:");
		if (!x->headers)
			return ERR_NET;
	}
	for (h = req->headers; h && *h; h++) {
		struct curl_slist *next = http_lib.slist_append(x->headers, *h);

		if (!next)
			return ERR_NET;
		x->headers = next;
	}
	if (req->etag && *req->etag)
		x->headers = http_add_header(x->headers, "If-None-Match",
		                             req->etag, &bad);
	if (req->last_modified && *req->last_modified)
		x->headers = http_add_header(x->headers, "If-Modified-Since",
		                             req->last_modified, &bad);
	bad |= http_lib.easy_setopt(e, CURLOPT_URL, req->url) != CURLE_OK;
	bad |= http_lib.easy_setopt(e, CURLOPT_PRIVATE, x) != CURLE_OK;
	bad |= http_lib.easy_setopt(e, CURLOPT_WRITEFUNCTION, xfer_on_body) !=
	       CURLE_OK;
	bad |= http_lib.easy_setopt(e, CURLOPT_WRITEDATA, x) != CURLE_OK;
	bad |= http_lib.easy_setopt(e, CURLOPT_HEADERFUNCTION,
	                            xfer_on_header) != CURLE_OK;
	bad |= http_lib.easy_setopt(e, CURLOPT_HEADERDATA, x) != CURLE_OK;
	bad |= http_lib.easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf) !=
	       CURLE_OK;
	bad |= http_lib.easy_setopt(e, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
	bad |= http_lib.easy_setopt(e, CURLOPT_CONNECTTIMEOUT,
	                            o->connect_timeout) != CURLE_OK;
	bad |= http_lib.easy_setopt(e, CURLOPT_TIMEOUT, xfer_timeout(f, x)) !=
	       CURLE_OK;
	bad |= http_lib.easy_setopt(e, CURLOPT_FOLLOWLOCATION,
	                            req->body ? 0L : 1L) != CURLE_OK;
	if (req->body) {
		bad |= http_lib.easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		                            (curl_off_t)req->body_len) !=
		       CURLE_OK;
		bad |= http_lib.easy_setopt(e, CURLOPT_POSTFIELDS, req->body) !=
		       CURLE_OK;
	}
	bad |= http_lib.easy_setopt(e, CURLOPT_MAXREDIRS,
	                            (long)o->max_redirects) != CURLE_OK;
	bad |= http_lib.easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "") != CURLE_OK;
	bad |= http_lib.easy_setopt(e, CURLOPT_PROTOCOLS_STR,
	                            o->allow_file ? "http,https,file"
	                                          : "http,https") != CURLE_OK;
	/* A server never sends us to a local file, even when they are on. */
	bad |= http_lib.easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR,
	                            "http,https") != CURLE_OK;
	bad |= http_lib.easy_setopt(e, CURLOPT_USERAGENT, o->user_agent) !=
	       CURLE_OK;
	bad |= http_lib.easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	                            (curl_off_t)o->max_bytes) != CURLE_OK;
	if (x->headers)
		bad |= http_lib.easy_setopt(e, CURLOPT_HTTPHEADER,
		                            x->headers) != CURLE_OK;
	return bad ? ERR_NET : ERR_OK;
}

/* Free what x holds once its done() call returned. */
static void xfer_release(struct http_xfer *x)
{
	xfer_clear_headers(x);
	free(x->resp.effective_url);
	x->resp.effective_url = NULL;
	buf_free(&x->resp.body);
	if (x->easy)
		http_lib.easy_cleanup(x->easy);
	x->easy = NULL;
	http_lib.slist_free_all(x->headers);
	x->headers = NULL;
}

static bool http_response_failed(const struct http_response *r)
{
	return r->error != HTTP_OK ||
	       !((r->status >= 200 && r->status < 300) || r->status == 304);
}

/* End x for good: fill in the rest of its response, call done(), free. */
static void xfer_finish(struct http_fetch *f, struct http_xfer *x,
                        enum http_error error, int64_t now)
{
	const struct http_request *req = &f->reqs[x->index];
	struct http_response *r = &x->resp;
	char *url = NULL;

	r->error = error;
	if (x->easy &&
	    http_lib.easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &url) ==
	            CURLE_OK &&
	    url)
		r->effective_url = xstrdup(url);
	else if (req->url)
		r->effective_url = xstrdup(req->url);
	if (error != HTTP_OK) {
		buf_free(&r->body);
	} else if (r->status == 304) {
		r->not_modified = true;
		buf_free(&r->body);
		if (!r->etag && req->etag && *req->etag)
			r->etag = xstrdup(req->etag);
		if (!r->last_modified && req->last_modified &&
		    *req->last_modified)
			r->last_modified = xstrdup(req->last_modified);
	}
	r->seconds = r->attempts ? (double)(now - x->first_ms) / 1000.0 : 0.0;
	x->state = XFER_DONE;
	f->done++;
	if (http_response_failed(r))
		f->failed++;
	if (f->opt.done)
		f->opt.done(f->opt.ctx, x->index, r);
	xfer_release(x);
}

static void xfer_take_slot(struct http_fetch *f, struct http_xfer *x)
{
	f->running++;
	if (x->host >= 0)
		f->hosts[x->host].running++;
}

static void xfer_drop_slot(struct http_fetch *f, struct http_xfer *x)
{
	f->running--;
	if (x->host >= 0)
		f->hosts[x->host].running--;
}

/* Bytes this attempt has received so far, headers included. */
static size_t xfer_wire_bytes(struct http_xfer *x)
{
	curl_off_t body = 0;
	long head = 0;
	size_t n = 0;

	if (http_lib.easy_getinfo(x->easy, CURLINFO_SIZE_DOWNLOAD_T, &body) ==
	            CURLE_OK &&
	    body > 0)
		n += (size_t)body;
	if (http_lib.easy_getinfo(x->easy, CURLINFO_HEADER_SIZE, &head) ==
	            CURLE_OK &&
	    head > 0)
		n += (size_t)head;
	return n;
}

/* Take x out of the multi handle after an attempt; count its bytes. */
static void xfer_detach(struct http_fetch *f, struct http_xfer *x)
{
	size_t wire;

	http_lib.multi_remove_handle(f->multi, x->easy);
	xfer_drop_slot(f, x);
	wire = xfer_wire_bytes(x);
	x->resp.wire_bytes += wire;
	f->wire_done += wire;
}

static void xfer_start(struct http_fetch *f, struct http_xfer *x, int64_t now)
{
	CURLMcode mc;

	if (!x->easy && xfer_setup(f, x) != 0) {
		xfer_set_message(x, "libcurl could not set up the transfer");
		xfer_finish(f, x, HTTP_ERR_OTHER, now);
		return;
	}
	if (x->resp.attempts == 0)
		x->first_ms = now;
	x->resp.attempts++;
	x->resp.status = 0;
	x->resp.message[0] = '\0';
	x->errbuf[0] = '\0';
	x->too_large = false;
	xfer_clear_headers(x);
	buf_reset(&x->resp.body);
	mc = http_lib.multi_add_handle(f->multi, x->easy);
	if (mc != CURLM_OK) {
		xfer_set_message(x, "libcurl: %s", http_lib.multi_strerror(mc));
		xfer_finish(f, x, HTTP_ERR_OTHER, now);
		return;
	}
	x->state = XFER_RUNNING;
	xfer_take_slot(f, x);
}

/* The wait before the next attempt, or false when there is none: retries
 * used up, a server's wait over the cap, or a start past the deadline.
 * A response (answered) waits what retry-after-ms or else Retry-After
 * says; the rest back off exponentially, scaled by a random factor in
 * [0.5, 1.5). */
static bool xfer_retry_delay(struct http_fetch *f, struct http_xfer *x,
                             bool answered, int64_t now, int64_t *delay_ms)
{
	const struct http_options *o = &f->opt;
	int shift = x->resp.attempts - 1;
	int64_t asked = -1;
	double d;

	if (x->resp.attempts > o->max_retries)
		return false;
	if (answered && x->retry_after_ms >= 0)
		asked = x->retry_after_ms;
	else if (answered && x->retry_after >= 0)
		asked = (int64_t)x->retry_after * 1000;
	if (asked >= 0) {
		if (asked > (int64_t)o->retry_after_cap * 1000)
			return false;
		*delay_ms = asked;
	} else {
		if (shift > HTTP_BACKOFF_MAX_SHIFT)
			shift = HTTP_BACKOFF_MAX_SHIFT;
		d = ldexp(o->backoff_base, shift) *
		    (0.5 + http_rand_unit(&f->rng));
		if (d > (double)o->deadline)
			return false;
		*delay_ms = (int64_t)(d * 1000.0);
	}
	return now + *delay_ms < f->deadline_ms;
}

/* Turn what libcurl said into an error, a message and whether to retry. */
static enum http_error xfer_classify(struct http_fetch *f, struct http_xfer *x,
                                     CURLcode rc, bool *retry)
{
	const struct http_options *o = &f->opt;
	const char *fixed = NULL;
	enum http_error error = HTTP_ERR_OTHER;
	curl_off_t sent = 0;
	long status = x->resp.status;
	size_t i;

	*retry = false;
	if (rc == CURLE_OK) {
		if (status == 0) /* file:// has no status line */
			status = x->resp.status = 200;
		*retry = status >= 500 || status == 408 || status == 409 ||
		         status == 429;
		if (!((status >= 200 && status < 300) || status == 304))
			xfer_set_message(x, "HTTP %ld", status);
		return HTTP_OK;
	}
	if (rc == CURLE_WRITE_ERROR && x->too_large)
		rc = CURLE_FILESIZE_EXCEEDED;
	for (i = 0; i < sizeof http_curl_errors / sizeof http_curl_errors[0];
	     i++)
		if (http_curl_errors[i].code == rc) {
			error = http_curl_errors[i].error;
			*retry = http_curl_errors[i].retry;
			fixed = http_curl_errors[i].message;
			break;
		}
	switch (error) {
	case HTTP_ERR_TIMEOUT:
		/* Not CONNECT_TIME: it stays 0 on a reused connection. */
		http_lib.easy_getinfo(x->easy, CURLINFO_PRETRANSFER_TIME_T,
		                      &sent);
		if (sent > 0)
			xfer_set_message(x, "timed out after %ld s",
			                 xfer_timeout(f, x));
		else
			xfer_set_message(x, "no connection after %ld s",
			                 o->connect_timeout);
		break;
	case HTTP_ERR_TOO_LARGE:
		xfer_set_message(x, "body over the cap of %zu bytes",
		                 o->max_bytes);
		break;
	case HTTP_ERR_REDIRECTS:
		xfer_set_message(x, "more than %d redirects", o->max_redirects);
		break;
	default:
		xfer_set_message(x, "%s",
		                 fixed          ? fixed
		                 : x->errbuf[0] ? x->errbuf
		                                : http_lib.easy_strerror(rc));
		break;
	}
	return error;
}

/* An attempt ended: retry it later, or finish the request. */
static void xfer_complete(struct http_fetch *f, struct http_xfer *x,
                          CURLcode rc, int64_t now)
{
	enum http_error error;
	int64_t delay_ms = 0;
	long status = 0;
	bool retry;

	xfer_detach(f, x);
	if (http_lib.easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status) ==
	    CURLE_OK)
		x->resp.status = status;
	error = xfer_classify(f, x, rc, &retry);
	if (retry && xfer_retry_delay(f, x, rc == CURLE_OK, now, &delay_ms)) {
		x->state = XFER_WAITING;
		x->due_ms = now + delay_ms;
		buf_free(&x->resp.body);
		return;
	}
	xfer_finish(f, x, error, now);
}

/* End every request still open with the same error. */
static void fetch_stop_all(struct http_fetch *f, enum http_error error,
                           const char *message, int64_t now)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		struct http_xfer *x = &f->xfers[i];

		if (x->state == XFER_DONE)
			continue;
		if (x->state == XFER_RUNNING)
			xfer_detach(f, x);
		x->resp.status = 0;
		xfer_set_message(x, "%s", message);
		xfer_finish(f, x, error, now);
	}
}

/* The caller said no to x's next attempt: end it, saying what came last. */
static void xfer_skip(struct http_fetch *f, struct http_xfer *x, int64_t now)
{
	char last[sizeof x->resp.message];

	if (x->resp.attempts == 0) {
		xfer_set_message(x, "not started");
	} else {
		memcpy(last, x->resp.message, sizeof last);
		xfer_set_message(x, "%s; no retry started", last);
	}
	xfer_finish(f, x, HTTP_ERR_SKIPPED, now);
}

/* Start queued requests and due retries while the pool and their hosts
 * have room, in request order. */
static void fetch_start_ready(struct http_fetch *f, int64_t now)
{
	size_t i;

	for (i = 0; i < f->n && f->running < f->opt.max_transfers; i++) {
		struct http_xfer *x = &f->xfers[i];

		if (x->state != XFER_QUEUED &&
		    !(x->state == XFER_WAITING && x->due_ms <= now))
			continue;
		if (x->host >= 0 &&
		    f->hosts[x->host].running >= f->hosts[x->host].limit)
			continue;
		if (f->opt.may_start &&
		    !f->opt.may_start(f->opt.ctx, x->index)) {
			xfer_skip(f, x, now);
			continue;
		}
		xfer_start(f, x, now);
	}
}

/* Handle the attempts libcurl finished; returns how many. */
static size_t fetch_collect(struct http_fetch *f)
{
	CURLMsg *msg;
	size_t ended = 0;
	int left;

	while ((msg = http_lib.multi_info_read(f->multi, &left))) {
		struct http_xfer *x;
		char *priv = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		http_lib.easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
		                      &priv);
		if (!priv)
			continue;
		x = (struct http_xfer *)(void *)priv;
		/* msg is invalid once the handle leaves the multi handle. */
		xfer_complete(f, x, msg->data.result, http_now_ms());
		ended++;
	}
	return ended;
}

static void fetch_report(struct http_fetch *f, int64_t now, bool last)
{
	struct http_progress p;
	size_t i;

	if (!f->opt.progress)
		return;
	if (!last && now - f->progress_ms < HTTP_PROGRESS_MS)
		return;
	f->progress_ms = now;
	p.done = f->done;
	p.total = f->n;
	p.failed = f->failed;
	p.bytes = f->wire_done;
	for (i = 0; i < f->n && !last; i++)
		if (f->xfers[i].state == XFER_RUNNING)
			p.bytes += xfer_wire_bytes(&f->xfers[i]);
	/* A redirect restarts libcurl's count of a transfer's body bytes. */
	if (p.bytes < f->bytes_shown)
		p.bytes = f->bytes_shown;
	f->bytes_shown = p.bytes;
	f->opt.progress(f->opt.ctx, &p);
}

/* How long to wait for network events: until the deadline, the next retry
 * that is not yet due, or the next progress report. libcurl shortens it
 * for its own timers. */
static int fetch_poll_timeout(const struct http_fetch *f, int64_t now)
{
	int64_t until = f->deadline_ms, wait;
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->xfers[i].state == XFER_WAITING &&
		    f->xfers[i].due_ms > now && f->xfers[i].due_ms < until)
			until = f->xfers[i].due_ms;
	if (f->opt.progress && f->progress_ms + HTTP_PROGRESS_MS < until)
		until = f->progress_ms + HTTP_PROGRESS_MS;
	wait = until - now;
	if (wait < 0)
		wait = 0;
	if (wait > HTTP_POLL_MAX_MS)
		wait = HTTP_POLL_MAX_MS;
	return (int)wait;
}

static uint64_t http_seed(unsigned seed)
{
	struct timespec ts;

	if (seed)
		return seed;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * UINT64_C(1000000007) ^
	       (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
}

int http_fetch_all(const struct http_request *reqs, size_t n,
                   const struct http_options *opt, struct buf *err)
{
	static const struct http_options defaults;
	struct http_fetch f;
	char message[128];
	CURLMcode mc = CURLM_OK;
	int64_t now;
	size_t i;
	int rc = ERR_NET;

	memset(&f, 0, sizeof f);
	http_resolve_options(opt ? opt : &defaults, &f.opt);
	f.reqs = reqs;
	f.n = n;
	if (n == 0)
		return 0;
	f.multi = http_lib.multi_init();
	if (!f.multi) {
		if (err)
			buf_puts(err, "libcurl: cannot create a multi handle");
		goto out;
	}
	rc = 0;
	f.xfers = xcalloc(n, sizeof *f.xfers);
	now = http_now_ms();
	f.deadline_ms = now + (int64_t)f.opt.deadline * 1000;
	f.progress_ms = now - HTTP_PROGRESS_MS;
	f.rng = http_seed(f.opt.seed);
	for (i = 0; i < n; i++) {
		struct http_xfer *x = &f.xfers[i];

		x->index = i;
		x->retry_after = -1;
		x->retry_after_ms = -1;
		buf_init(&x->resp.body, f.opt.max_bytes);
	}
	for (i = 0; i < n; i++) {
		enum http_error error = xfer_check_url(&f, &f.xfers[i]);

		if (error != HTTP_OK)
			xfer_finish(&f, &f.xfers[i], error, now);
	}
	while (f.done < n) {
		size_t ended;
		int still;

		now = http_now_ms();
		if (now >= f.deadline_ms) {
			snprintf(message, sizeof message,
			         "stopped at the fetch deadline of %ld s",
			         f.opt.deadline);
			fetch_stop_all(&f, HTTP_ERR_DEADLINE, message, now);
			break;
		}
		fetch_start_ready(&f, now);
		mc = http_lib.multi_perform(f.multi, &still);
		if (mc != CURLM_OK)
			break;
		ended = fetch_collect(&f);
		now = http_now_ms();
		fetch_report(&f, now, false);
		if (ended > 0)
			continue;
		mc = http_lib.multi_poll(f.multi, NULL, 0,
		                         fetch_poll_timeout(&f, now), NULL);
		if (mc != CURLM_OK)
			break;
	}
	if (mc != CURLM_OK) {
		snprintf(message, sizeof message, "libcurl: %s",
		         http_lib.multi_strerror(mc));
		fetch_stop_all(&f, HTTP_ERR_OTHER, message, http_now_ms());
	}
	fetch_report(&f, http_now_ms(), true);
out:
	for (i = 0; f.xfers && i < n; i++)
		xfer_release(&f.xfers[i]);
	for (i = 0; i < f.nhosts; i++)
		free(f.hosts[i].name);
	free(f.hosts);
	free(f.xfers);
	if (f.multi)
		http_lib.multi_cleanup(f.multi);
	return rc;
}

int http_global_init(void)
{
	buf_reset(&http_global_err);
	if (http_lib_load(HTTP_LIB_SONAME, &http_global_err) != ERR_OK)
		return ERR_NET;
	if (http_lib.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		buf_puts(&http_global_err, "libcurl: global init failed");
		return ERR_NET;
	}
	return ERR_OK;
}

const char *http_global_error(void)
{
	return buf_cstr(&http_global_err);
}

void http_global_cleanup(void)
{
	if (http_lib.global_cleanup)
		http_lib.global_cleanup();
}
