#include "fetch/http_lib.h"

#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

/* libcurl is opened with dlopen by its SONAME rather than linked: a
 * program linked with it pays for loading it and its dependencies on
 * every start (14.5 ms here, seven times a whole `parse` of a small feed),
 * which only the commands that fetch need. The functions are looked up by
 * name into one table; a process loads it at most once and never unloads
 * it (libcurl's global state lives until exit, as when linked). */

struct http_lib http_lib;

/* The oldest libcurl with everything http.c uses (CURLOPT_PROTOCOLS_STR). */
#define HTTP_LIB_MIN_VERSION 0x075500
#define HTTP_LIB_MIN_TEXT "7.85.0"

/* Each function: its name and where its address goes. */
#define HTTP_LIB_FN(name)                                                      \
	{                                                                      \
		"curl_" #name, &http_lib.name, sizeof http_lib.name            \
	}

static const struct {
	const char *name;
	void *slot;
	size_t size;
} http_lib_fns[] = {
        HTTP_LIB_FN(global_init),
        HTTP_LIB_FN(global_cleanup),
        HTTP_LIB_FN(version_info),
        HTTP_LIB_FN(easy_init),
        HTTP_LIB_FN(easy_setopt),
        HTTP_LIB_FN(easy_getinfo),
        HTTP_LIB_FN(easy_cleanup),
        HTTP_LIB_FN(easy_strerror),
        HTTP_LIB_FN(multi_init),
        HTTP_LIB_FN(multi_add_handle),
        HTTP_LIB_FN(multi_remove_handle),
        HTTP_LIB_FN(multi_perform),
        HTTP_LIB_FN(multi_poll),
        HTTP_LIB_FN(multi_info_read),
        HTTP_LIB_FN(multi_cleanup),
        HTTP_LIB_FN(multi_strerror),
        HTTP_LIB_FN(slist_append),
        HTTP_LIB_FN(slist_free_all),
        HTTP_LIB_FN(url),
        HTTP_LIB_FN(url_set),
        HTTP_LIB_FN(url_get),
        HTTP_LIB_FN(url_cleanup),
        HTTP_LIB_FN(free),
};

static void *http_lib_handle;

int http_lib_load(const char *soname, struct buf *err)
{
	const curl_version_info_data *v;
	void *h, *sym;
	const char *why;
	size_t i;

	if (http_lib_handle)
		return ERR_OK;
	h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		why = dlerror();
		if (err)
			buf_printf(err,
			           "cannot load %s, which the network needs "
			           "(Debian package libcurl4): %s",
			           soname, why ? why : "not found");
		return ERR_NET;
	}
	for (i = 0; i < sizeof http_lib_fns / sizeof *http_lib_fns; i++) {
		sym = dlsym(h, http_lib_fns[i].name);
		if (!sym || http_lib_fns[i].size != sizeof sym) {
			if (err)
				buf_printf(err, "%s has no %s", soname,
				           http_lib_fns[i].name);
			goto fail;
		}
		/* POSIX makes a function's address a void *: copied whole. */
		memcpy(http_lib_fns[i].slot, &sym, sizeof sym);
	}
	v = http_lib.version_info(CURLVERSION_NOW);
	if (!v || v->version_num < HTTP_LIB_MIN_VERSION) {
		if (err)
			buf_printf(err,
			           "%s is libcurl %s; %s or newer is needed",
			           soname, v ? v->version : "?",
			           HTTP_LIB_MIN_TEXT);
		goto fail;
	}
	http_lib_handle = h;
	return ERR_OK;
fail:
	memset(&http_lib, 0, sizeof http_lib);
	dlclose(h);
	return ERR_NET;
}
