#ifndef AIDIGEST_API_H
#define AIDIGEST_API_H

#include <stddef.h>

#include "common/buf.h"
#include "fetch/feed.h"
#include "fetch/sources.h"

/* The JSON APIs that have no feed, read into the feed model so that the
 * rest of the pipeline sees one shape (fetch/feed.h): X API v2 posts
 * (SOURCE_FORMAT_X_API), GitHub repository search, Hugging Face daily
 * papers, Hacker News Algolia search; SOURCE_FORMAT_FEED goes to
 * feed_parse. Engagement numbers go to likes, reposts, points, stars,
 * comments (-1 when absent, negative or not a number; clamped to
 * LLONG_MAX). Bounded like feed_parse (opt's bytes, entries, text caps;
 * texts cut on a character boundary); invalid UTF-8 is replaced and the
 * feed marked recovered. The feed's title names the API, its format is
 * FEED_FORMAT_UNKNOWN. Returns ERR_OK and *out (feed_free), or ERR_LIMIT,
 * ERR_USAGE (an unknown format) or ERR_NOT_FEED with err saying why: an
 * API error body is "not a feed: X API error: MESSAGE" with the API's
 * own message. docs: ../shared/reference/sources.md. */
MUST_CHECK int api_parse(enum source_format format, const char *data, size_t n,
                         const struct feed_options *opt, struct feed **out,
                         struct buf *err);

/* The request headers a source needs beyond its URL, "Name: value"
 * strings in a NULL-ended array the caller frees with api_headers_free
 * (which wipes them). github-search: Accept and X-GitHub-Api-Version.
 * A bearer token: from the variable token_env names, required, to the
 * line's host whatever it is, for a source of any format (a feed too); without
 * token_env, from the format's own variable and only when the URL is https on
 * its API's host (x-api: X_BEARER_TOKEN, required, for api.x.com and
 * api.twitter.com; github-search: GITHUB_TOKEN when set, for api.github.com);
 * to any other host none. NULL when none are needed. When a required variable
 * is unset, empty or holds what a header line cannot (control characters,
 * spaces), returns NULL and sets *missing (if missing is not NULL) to the
 * variable's name, which lives as long as s; else *missing is NULL. A
 * token is never copied anywhere else. */
char **api_headers(const struct source *s, const char **missing);
void api_headers_free(char **headers);

/* A post from X, or from RSSHub's or a Nitter's Twitter routes, normalized
 * in place: the title (raw and text, plain text) is the post on one line,
 * taken from the description when the title is empty or was cut ("…")
 * and the description goes on from it, cut to 280 code points (279 and
 * "…"); a status link /USER/status/ID on any host becomes
 * https://x.com/USER/status/ID; the author becomes "@USER" (name "USER")
 * from that link, else from feed_title ("Twitter @OpenAI"). Idempotent. */
void api_normalize_tweet(struct feed_entry *e, const char *feed_title);

#endif
