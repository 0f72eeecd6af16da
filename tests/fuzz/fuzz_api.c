#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/utf8.h"
#include "fetch/api.h"
#include "fetch/urlnorm.h"

/* libFuzzer target for the JSON API readers and URL canonicalization. The
 * first byte picks the API; the rest is the body. Every string handed out
 * must be valid UTF-8, counts -1 or more; every link's canonical form must
 * be its own canonical form (idempotent). */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void api_fail(const char *what)
{
	fprintf(stderr, "fuzz_api: %s\n", what);
	abort();
}

static void api_check_str(const char *s, const char *what)
{
	if (s && utf8_valid_prefix(s, strlen(s)) != strlen(s))
		api_fail(what);
}

static void api_check_url(const char *url)
{
	char *a, *b;

	if (!url)
		return;
	a = url_canonical(url);
	if (!a)
		return;
	b = url_canonical(a);
	if (!b || strcmp(a, b) != 0)
		api_fail("url_canonical is not idempotent");
	free(a);
	free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum source_format formats[4] = {
	        SOURCE_FORMAT_X_API, SOURCE_FORMAT_HF_PAPERS,
	        SOURCE_FORMAT_HN_ALGOLIA, SOURCE_FORMAT_GITHUB_SEARCH};
	struct buf err = BUF_INIT(4096);
	struct feed_options opt;
	struct feed *feed = NULL;
	size_t i;

	if (size < 1)
		return 0;
	memset(&opt, 0, sizeof opt);
	opt.max_entries = 50;
	if (api_parse(formats[data[0] & 3], (const char *)data + 1, size - 1,
	              &opt, &feed, &err) == 0) {
		for (i = 0; i < feed->nentries; i++) {
			struct feed_entry *e = &feed->entries[i];

			api_check_str(e->title.raw, "title.raw");
			api_check_str(e->title.text, "title.text");
			api_check_str(e->summary.text, "summary.text");
			api_check_str(e->link, "link");
			api_check_str(e->id, "id");
			api_check_str(e->author.full, "author");
			if (e->likes < -1 || e->points < -1 || e->stars < -1 ||
			    e->comments < -1 || e->reposts < -1)
				api_fail("a count below -1");
			api_check_url(e->link);
			api_check_url(e->id);
			api_normalize_tweet(e, NULL);
			api_check_str(e->title.text, "normalized title");
		}
		if (feed->nentries > 50)
			api_fail("more entries than the cap");
	}
	api_check_str(buf_cstr(&err), "error message");
	feed_free(feed);
	buf_free(&err);
	return 0;
}
