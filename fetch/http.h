#ifndef AIDIGEST_HTTP_H
#define AIDIGEST_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "common/err.h"

/* Many HTTP(S) requests at once over libcurl's multi interface (GETs, and
 * POSTs with a body): a pool of transfers, a per-host limit, timeouts,
 * capped redirects and bodies, compressed transfer, conditional GET, and
 * retries that honour retry-after-ms and Retry-After. One bad server never
 * holds up the others past the deadline. Proxies come from the environment
 * (http_proxy, https_proxy, no_proxy), as libcurl reads them. */

enum http_error {
	HTTP_OK = 0,        /* a response came (any status) */
	HTTP_ERR_TIMEOUT,   /* no complete response in time */
	HTTP_ERR_CONNECT,   /* DNS, refused, TLS */
	HTTP_ERR_TOO_LARGE, /* body over max_bytes */
	HTTP_ERR_REDIRECTS, /* more than max_redirects */
	HTTP_ERR_PROTOCOL,  /* scheme not allowed, malformed URL, broken
	                     * response, truncated body, a redirect to a
	                     * scheme other than http(s) */
	HTTP_ERR_DEADLINE,  /* the whole fetch's deadline passed first */
	HTTP_ERR_OTHER,     /* libcurl could not set up or run it */
	HTTP_ERR_SKIPPED    /* may_start said no before an attempt */
};

/* Extra headers go along on redirects, except Authorization and Cookie,
 * which libcurl keeps from any host but the first: put secrets there.
 * A request with a body is a POST and follows no redirect (a 3xx is its
 * answer): a key in any header stays with the host it was meant for, and
 * the body is never dropped on the way. The body is sent as is, also on
 * each retry; its Content-Type comes from headers (libcurl's default is a
 * form). What the fields point to must live until http_fetch_all
 * returns. */
struct http_request {
	const char *url;
	const char *etag;           /* sent as If-None-Match, or NULL */
	const char *last_modified;  /* sent as If-Modified-Since, or NULL */
	const char *const *headers; /* extra "Name: value", NULL-ended; no
	                             * line breaks inside */
	const char *body;           /* POST these bytes; NULL: a GET */
	size_t body_len;            /* bytes of body (it may hold NULs) */
	long timeout;               /* seconds per attempt; 0: the options' */
	/* Requests of one group share the group's limit of transfers at
	 * once instead of their server's (an LLM judge: its concurrency,
	 * whatever the provider's host); NULL: the server's max_per_host. */
	const char *group;
	int group_limit; /* with group: 0 means max_per_host */
};

struct http_response {
	enum http_error error;
	long status;        /* final HTTP status; 0 without a response;
	                     * a file:// URL read whole reports 200 */
	char message[256];  /* why it failed, for a person: "HTTP 404"
	                     * (error still HTTP_OK), "timed out after
	                     * 30 s", "no connection after 10 s", "body
	                     * over the cap of 16777216 bytes", "more than
	                     * 5 redirects", "truncated body", "stopped at
	                     * the fetch deadline of 150 s"; "" on 2xx/304 */
	struct buf body;    /* decoded body (gzip, deflate, br); empty
	                     * unless error is HTTP_OK (a 4xx/5xx keeps
	                     * its error page) */
	char *content_type; /* headers of the final response, or NULL */
	char *etag;         /* on a 304 that repeats no validator, the
	                     * request's own: what to send next time */
	char *last_modified;
	char *effective_url; /* after redirects (the request's URL when
	                      * no transfer started) */
	bool not_modified;   /* 304: body empty, nothing to parse */
	int attempts;        /* 1 + retries; 0 when none started (URL
	                      * refused, deadline first) */
	double seconds;      /* from first attempt to completion */
	size_t wire_bytes;   /* bytes received on the wire, all attempts */
};

struct http_progress {
	size_t done, total, failed;
	size_t bytes; /* wire bytes so far */
};

/* Called exactly once for each request as it completes (success or not),
 * in completion order, with the index of the request, from
 * http_fetch_all's own loop (never inside libcurl). The response is freed
 * after the call returns: keep nothing from it (copy what is needed). No
 * transfer moves while it runs, and the deadline cannot stop it: a
 * callback whose work has no small bound watches the deadline itself. */
typedef void (*http_done_fn)(void *ctx, size_t index,
                             const struct http_response *resp);
typedef void (*http_progress_fn)(void *ctx, const struct http_progress *p);
typedef bool (*http_may_start_fn)(void *ctx, size_t index);

#define HTTP_DEFAULT_DEADLINE 150 /* seconds */

/* Retries: after a timeout, a connection error, an empty reply, an HTTP/2
 * stream error, a 5xx (529 too), a 408, a 409 or a 429; never after
 * another 4xx. Such a response with retry-after-ms (milliseconds, first)
 * or Retry-After (seconds or HTTP-date) waits that long, and is not
 * retried when that is over retry_after_cap; the rest wait backoff_base *
 * 2^k times a random factor in [0.5, 1.5). No attempt starts past the
 * deadline; other transfers go on while one waits. */
struct http_options {
	int max_transfers;      /* 0: 16 */
	int max_per_host;       /* 0: 2; per server (host name and port) of
	                         * the request URL, counted before redirects */
	long connect_timeout;   /* seconds; 0: 10 */
	long timeout;           /* seconds per attempt; 0: 30 */
	long deadline;          /* seconds for the whole fetch, from the call
	                         * of http_fetch_all; 0:
	                         * HTTP_DEFAULT_DEADLINE */
	int max_redirects;      /* 0: 5 */
	size_t max_bytes;       /* per body; 0: 16 MiB */
	int max_retries;        /* -1: none; 0: 2 */
	long retry_after_cap;   /* longest wait a server may ask for, s (over
	                         * it: no retry); 0: 60 */
	double backoff_base;    /* first backoff, s, doubled, with jitter;
	                         * 0: 1.0 */
	const char *user_agent; /* NULL: "aidigest/VERSION (+url)" */
	bool allow_file;        /* file:// URLs too (local sources); a
	                         * redirect never leads to one */
	unsigned seed;          /* for the jitter; 0: from the clock */
	/* Asked right before each attempt of a request (the first and every
	 * retry), from http_fetch_all's loop; false ends the request with
	 * HTTP_ERR_SKIPPED (status: the last attempt's, or 0), while the
	 * transfers already running go on. NULL: always start. */
	http_may_start_fn may_start;
	http_done_fn done;
	http_progress_fn progress; /* at most five times a second, and once
	                            * more when all are done */
	void *ctx;
};

/* Fetch every request; calls opt->done once per request. opt NULL: all
 * defaults. When the deadline passes, every request still open ends with
 * HTTP_ERR_DEADLINE and the call returns. Returns 0, or ERR_NET (and no
 * done() call) when libcurl itself could not start (err, if not NULL, says
 * why). */
MUST_CHECK int http_fetch_all(const struct http_request *reqs, size_t n,
                              const struct http_options *opt, struct buf *err);

/* Once per process, before any thread: load libcurl (it is not linked, so
 * commands without network start faster) and run its global init. Returns
 * 0, or ERR_NET when libcurl cannot start: http_global_error() then says
 * why ("cannot load libcurl.so.4 ... (Debian package libcurl4): ..."). */
MUST_CHECK int http_global_init(void);
/* Why the last http_global_init failed; "" when it did not. Static
 * storage, valid until the next http_global_init. */
const char *http_global_error(void);
void http_global_cleanup(void);

#endif
