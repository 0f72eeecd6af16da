#ifndef AIDIGEST_API_H
#define AIDIGEST_API_H

#include <stddef.h>

#include "common/buf.h"
#include "fetch/feed.h"
#include "fetch/sources.h"

/* The JSON APIs that have no feed, read into the feed model so that the
 * rest of the pipeline sees one shape (fetch/feed.h): X API v2 user
 * timelines, GitHub repository search, Hugging Face daily papers, Hacker
 * News Algolia search. Engagement numbers go to feed_entry's likes,
 * reposts, points, stars, comments. Bounded like feed_parse (opt caps).
 * Returns ERR_OK and *out, or an ERR_* code and a message in err (an API
 * error body is "not a feed: ..." with the API's own message). */
int api_parse(enum source_format format, const char *data, size_t n,
	      const struct feed_options *opt, struct feed **out,
	      struct buf *err);

/* The request a source needs beyond its URL: extra headers (X's bearer
 * token from the variable token_env names, GitHub's Accept and API
 * version), as a NULL-ended array of strings the caller frees with
 * api_headers_free. Returns NULL when none are needed; sets *missing to
 * the variable's name when a token variable is unset (the source is then
 * skipped with a notice). */
char **api_headers(const struct source *s, const char **missing);
void api_headers_free(char **headers);

/* Tweets: an entry from X or from RSSHub's Twitter routes normalized in
 * place: the text as the title (one line, cut by code point to 280), the
 * author's handle, the status link on x.com. */
void api_normalize_tweet(struct feed_entry *e, const char *feed_title);

#endif
