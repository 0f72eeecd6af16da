#ifndef AIDIGEST_TEST_API_H
#define AIDIGEST_TEST_API_H

#include <stdbool.h>

#include "common/buf.h"
#include "fetch/feed.h"
#include "fetch/sources.h"

/* The api suite's parts in other files; test_api() runs them. */

#define API_FIXTURES "tests/fixtures/api/"

/* Parse the fixture tests/fixtures/api/NAME as format; NULL when it
 * fails (err says why, *ret is api_parse's result or -1). */
struct feed *test_api_fixture(enum source_format format, const char *name,
                              const struct feed_options *opt, struct buf *err,
                              int *ret);
/* Whether s is set and valid UTF-8. */
bool test_api_valid_utf8(const char *s);

/* api_headers and api_normalize_tweet (tests/test_api_tweets.c). */
void test_api_tweets(void);

#endif
