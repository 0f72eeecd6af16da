#ifndef AIDIGEST_API_IMPL_H
#define AIDIGEST_API_IMPL_H

/* Internal to fetch/: the reading api.c shares with the readers of each
 * JSON API (api_x.c, api_github.c, api_hf.c, api_hn.c). Not a public
 * header. */

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "common/buf.h"
#include "fetch/feed_impl.h"

#define API_MAX_URL 8192    /* longer links and ids are dropped */
#define API_MAX_MESSAGE 200 /* bytes of an API's error message quoted */

/* The value of obj's member key when it is a non-empty JSON string, else
 * NULL; owned by obj. */
const char *api_str(const json_t *obj, const char *key);
/* A count (likes, points, ...): a JSON number or a string of digits, as a
 * non-negative integer clamped to LLONG_MAX; -1 for anything else. */
long long api_count(const json_t *v);
/* An identifier: a non-empty string, or a whole number within the exact
 * range of a double. Caller frees; NULL when there is none. */
char *api_id(const json_t *v);
/* Whether s is 1 to max ASCII digits. */
bool api_is_digits(const char *s, size_t max);
/* The length of the X handle (1 to 50 letters, digits or '_') s starts
 * with, or 0. */
size_t api_handle_len(const char *s);
/* Whether s is an X handle and nothing else. */
bool api_is_handle(const char *s);
/* Whether s is an absolute http(s) URL of at most API_MAX_URL bytes
 * without spaces or control characters: what a link may be. */
bool api_is_http_url(const char *s);

/* Set a text from s[0..n) unless it is set (first wins), cut on a
 * character boundary at the builder's text cap (noted). */
void api_set_text(struct feed_builder *fb, struct feed_text *t, const char *s,
                  size_t n, enum feed_text_type type);
/* The same for a NUL-terminated s; NULL sets nothing. */
void api_set_text_str(struct feed_builder *fb, struct feed_text *t,
                      const char *s, enum feed_text_type type);
/* The entry's link, when it has none and url may be one. */
void api_set_link(struct feed_entry *e, const char *url);
/* An author from full and name (each cut to valid UTF-8 within 1 KiB),
 * when p has none and both are given. */
void api_set_author(struct feed_person *p, const char *full, const char *name);
/* An X handle handle[0..n) as the author: "@handle", name "handle". */
void api_set_handle(struct feed_person *p, const char *handle, size_t n);
/* A date from its text (first wins); NULL or over 256 bytes sets none. */
void api_set_date(struct feed_builder *fb, struct feed_date *d, const char *s);
/* Put "not a feed: WHO error: MESSAGE" (the message cut) into err;
 * returns ERR_NOT_FEED. */
int api_error(struct buf *err, const char *who, const char *message);

/* The readers, one per API: root into fb's feed. ERR_OK, or an error
 * with err saying why (an API's error body, a document of another
 * shape). */
MUST_CHECK int api_x_parse(struct feed_builder *fb, const json_t *root,
                           struct buf *err);
MUST_CHECK int api_github_parse(struct feed_builder *fb, const json_t *root,
                                struct buf *err);
MUST_CHECK int api_hf_parse(struct feed_builder *fb, const json_t *root,
                            struct buf *err);
MUST_CHECK int api_hn_parse(struct feed_builder *fb, const json_t *root,
                            struct buf *err);

#endif
