#ifndef AIDIGEST_HTTP_LIB_H
#define AIDIGEST_HTTP_LIB_H

/* Internal to fetch/: libcurl, loaded when a command first needs the
 * network (http_global_init), so that the commands that never do (parse,
 * render, items, feeds) start without it and the 20 libraries it brings
 * (TLS, Kerberos, LDAP, SSH). Not a public header. */

#include <curl/curl.h>

#include "common/buf.h"
#include "common/err.h"

/* The SONAME the program was built against: libcurl's ABI since 7.16. */
#define HTTP_LIB_SONAME "libcurl.so.4"

/* The libcurl functions fetch/http.c calls, by their names less "curl_". */
struct http_lib {
	CURLcode (*global_init)(long flags);
	void (*global_cleanup)(void);
	curl_version_info_data *(*version_info)(CURLversion age);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *e, CURLoption opt, ...);
	CURLcode (*easy_getinfo)(CURL *e, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *e);
	const char *(*easy_strerror)(CURLcode code);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_add_handle)(CURLM *m, CURL *e);
	CURLMcode (*multi_remove_handle)(CURLM *m, CURL *e);
	CURLMcode (*multi_perform)(CURLM *m, int *running);
	CURLMcode (*multi_poll)(CURLM *m, struct curl_waitfd *fds,
	                        unsigned int nfds, int timeout_ms, int *ret);
	CURLMsg *(*multi_info_read)(CURLM *m, int *left);
	CURLMcode (*multi_cleanup)(CURLM *m);
	const char *(*multi_strerror)(CURLMcode code);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
	CURLU *(*url)(void);
	CURLUcode (*url_set)(CURLU *u, CURLUPart part, const char *s,
	                     unsigned int flags);
	CURLUcode (*url_get)(const CURLU *u, CURLUPart part, char **s,
	                     unsigned int flags);
	void (*url_cleanup)(CURLU *u);
	void (*free)(void *p);
};

/* The loaded functions; valid after http_lib_load returned 0. */
extern struct http_lib http_lib;

/* Load libcurl from the library soname (HTTP_LIB_SONAME but in tests) once
 * per process: once loaded, later calls return 0 at once. Returns 0, or
 * ERR_NET with err (if not NULL) saying what is missing: the library, a
 * function, or a version new enough (7.85); http_lib is then untouched.
 * Not thread-safe: called from http_global_init, before any thread. */
MUST_CHECK int http_lib_load(const char *soname, struct buf *err);

#endif
