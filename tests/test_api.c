#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/timeutil.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "fetch/api.h"
#include "fetch/feed.h"
#include "fetch/feed_impl.h"
#include "fetch/sources.h"
#include "tests/check.h"
#include "tests/test_api.h"
#include "tests/tests.h"

static struct feed *api_parse_file(enum source_format format, const char *path,
                                   const struct feed_options *opt,
                                   struct buf *err, int *ret)
{
	struct buf data = BUF_INIT(0);
	struct feed *feed = NULL;

	buf_reset(err);
	if (!check_read_file(path, &data)) {
		fprintf(stderr, "cannot read %s\n", path);
		*ret = -1;
	} else {
		*ret = api_parse(format, buf_cstr(&data), data.len, opt, &feed,
		                 err);
	}
	buf_free(&data);
	return feed;
}

/* Parse a fixture of tests/fixtures/api; NULL when it fails (err, ret). */
struct feed *test_api_fixture(enum source_format format, const char *name,
                              const struct feed_options *opt, struct buf *err,
                              int *ret)
{
	char path[256];

	snprintf(path, sizeof path, API_FIXTURES "%s", name);
	return api_parse_file(format, path, opt, err, ret);
}

static struct feed *api_string(enum source_format format, const char *s,
                               const struct feed_options *opt, struct buf *err,
                               int *ret)
{
	struct feed *feed = NULL;

	buf_reset(err);
	*ret = api_parse(format, s, strlen(s), opt, &feed, err);
	return feed;
}

static const char *api_utc(const struct feed_date *d)
{
	static char s[TIME_UTC_LEN];

	if (!d->known)
		return "unknown";
	time_format_utc(d->time, s);
	return s;
}

bool test_api_valid_utf8(const char *s)
{
	return s && utf8_valid_prefix(s, strlen(s)) == strlen(s);
}

static void test_x_timeline(void)
{
	struct buf err = BUF_INIT(0);
	const struct feed_entry *e;
	struct feed *f;
	int ret;

	f = test_api_fixture(SOURCE_FORMAT_X_API, "x_timeline.json", NULL, &err,
	                     &ret);
	if (!CHECK(f != NULL)) {
		fprintf(stderr, "    %s\n", buf_cstr(&err));
		buf_free(&err);
		return;
	}
	CHECK_INT(ret, ERR_OK);
	CHECK(!f->recovered);
	CHECK_STR(f->title.text, "X");
	/* "not an object" is skipped; the object with wrong types is kept */
	CHECK_INT(f->nentries, 6);

	e = &f->entries[0];
	CHECK_STR(e->id, "1790000000000000001");
	CHECK_STR(e->link, "https://x.com/OpenAI/status/1790000000000000001");
	CHECK_STR(e->title.raw,
	          "Say hello to GPT-4o \xF0\x9F\x9A\x80 our new flagship "
	          "model & it's free in ChatGPT.\n\n"
	          "https://openai.com/index/hello-gpt-4o/?utm_source=twitter"
	          "\n\nLive demo <today> "
	          "https://x.com/OpenAI/status/1790000000000000001/video/1");
	CHECK_STR(e->title.text,
	          "Say hello to GPT-4o \xF0\x9F\x9A\x80 our new flagship "
	          "model & it's free in ChatGPT. "
	          "https://openai.com/index/hello-gpt-4o/?utm_source=twitter "
	          "Live demo <today> "
	          "https://x.com/OpenAI/status/1790000000000000001/video/1");
	CHECK_INT(e->title.type, FEED_TEXT_TEXT);
	CHECK_STR(e->summary.text, e->title.text);
	CHECK_STR(e->author.full, "@OpenAI");
	CHECK_STR(e->author.name, "OpenAI");
	CHECK_STR(api_utc(&e->published), "2024-05-13T17:02:11Z");
	CHECK_STR(e->published.raw, "2024-05-13T17:02:11.000Z");
	CHECK_INT(e->likes, 88123);
	CHECK_INT(e->reposts, 12034);
	CHECK_INT(e->comments, 5210);
	CHECK_INT(e->points, -1);
	CHECK_INT(e->stars, -1);

	/* a retweet: the repeated post, whole, from includes.tweets */
	e = &f->entries[1];
	CHECK_STR(e->title.text,
	          "RT @sama: we are launching a new model today. it is our "
	          "best yet, and it is free for everyone who uses ChatGPT. "
	          "thank you to the team that made it happen "
	          "\xE2\x9D\xA4\xEF\xB8\x8F "
	          "https://openai.com/index/spring-update/");
	CHECK_STR(e->author.full, "@OpenAI");
	CHECK_INT(e->likes, 0);
	CHECK_INT(e->reposts, 700);

	/* an author not in includes: the i/web link, no author; counts of
	 * the wrong type or sign are absent, a string of digits counts, a
	 * huge one is clamped */
	e = &f->entries[2];
	CHECK_STR(e->link, "https://x.com/i/web/status/1790000000000000003");
	CHECK_STR(e->author.full, NULL);
	CHECK(strncmp(e->title.text, "\xF0\x9F\xA5\x81 a post", 9) == 0);
	CHECK(strstr(e->title.text, "https://t.co/NoExpand1 and") != NULL);
	CHECK_STR(api_utc(&e->published), "2024-05-14T02:30:00Z");
	CHECK_INT(e->reposts, 17);
	CHECK_INT(e->comments, -1);
	CHECK_INT(e->likes, LLONG_MAX);

	/* a long post: note_tweet's text and entities */
	e = &f->entries[3];
	CHECK_STR(e->title.text,
	          "A long post, cut here in the text field but whole in the "
	          "note: https://example.org/note more words follow");
	CHECK_INT(e->likes, 3);

	/* a t.co prefix is no match; an escape is decoded once; a link
	 * expanding to a non-http URL is not expanded */
	e = &f->entries[4];
	CHECK_STR(e->title.text,
	          "no date, and a t.co prefix that is not the link "
	          "https://t.co/AbCdEf12345 plus &amp; and &lt;b&gt;");
	CHECK_STR(api_utc(&e->published), "unknown");
	CHECK_STR(e->published.raw, NULL);
	CHECK_INT(e->likes, -1);

	/* wrong types: no id, no title, no link */
	e = &f->entries[5];
	CHECK_STR(e->id, NULL);
	CHECK_STR(e->link, NULL);
	CHECK_STR(e->title.raw, NULL);
	feed_free(f);
	buf_free(&err);
}

static void test_x_others(void)
{
	static const struct {
		const char *file, *message; /* message NULL: a feed */
	} errors[] = {
	        {"x_error_unauthorized.json",
	         "not a feed: X API error: Unauthorized"},
	        {"x_error_invalid.json",
	         "not a feed: X API error: The `id` query parameter value "
	         "[abc] is not valid"},
	        {"x_error_ratelimit.json",
	         "not a feed: X API error: Too Many Requests"},
	        {"x_not_object.json",
	         "not a feed: X API error: the response is no JSON object"},
	};
	struct buf err = BUF_INIT(0);
	struct feed *f;
	size_t i;
	int ret;

	for (i = 0; i < sizeof errors / sizeof *errors; i++) {
		f = test_api_fixture(SOURCE_FORMAT_X_API, errors[i].file, NULL,
		                     &err, &ret);
		CHECK(f == NULL);
		CHECK_INT(ret, ERR_NOT_FEED);
		CHECK_STR(buf_cstr(&err), errors[i].message);
		feed_free(f);
	}

	f = test_api_fixture(SOURCE_FORMAT_X_API, "x_empty.json", NULL, &err,
	                     &ret);
	if (CHECK(f != NULL))
		CHECK_INT(f->nentries, 0);
	feed_free(f);

	/* errors beside data: the posts, and a note */
	f = test_api_fixture(SOURCE_FORMAT_X_API, "x_partial.json", NULL, &err,
	                     &ret);
	if (CHECK(f != NULL) && CHECK_INT(f->nentries, 1)) {
		CHECK_STR(f->entries[0].link, "https://x.com/jack/status/20");
		CHECK_STR(f->entries[0].title.text, "just setting up my twttr");
		CHECK_STR(api_utc(&f->entries[0].published),
		          "2006-03-21T20:50:14Z");
		CHECK(strstr(buf_cstr(&f->notes),
		             "Could not find tweet with ids: [1].") != NULL);
		CHECK(!f->recovered);
		CHECK_STR(buf_cstr(&err), "");
	}
	feed_free(f);

	/* one post looked up: data is an object */
	f = test_api_fixture(SOURCE_FORMAT_X_API, "x_single.json", NULL, &err,
	                     &ret);
	if (CHECK(f != NULL) && CHECK_INT(f->nentries, 1)) {
		CHECK_STR(
		        f->entries[0].link,
		        "https://x.com/TwitterDev/status/1460323737035677698");
		CHECK_STR(f->entries[0].title.text,
		          "Introducing a new era for the Twitter Developer "
		          "Platform! \xF0\x9F\x93\xA3The Twitter API v2 is now "
		          "the primary API");
	}
	feed_free(f);
	buf_free(&err);
}

/* The captures of ../shared/fixtures/real: default fields only (id, text,
 * edit_history_tweet_ids), no includes, emoji as surrogate pairs. */
static void test_x_real(void)
{
	static const struct {
		const char *file;
		size_t count;
	} captures[] = {
	        {"twitter_v2_tweets_lookup.json", 2},
	        {"twitter_v2_users_783214_tweets.json", 2},
	        {"twitter_v2_home_timeline_reverse_chronological.json", 98},
	};
	const char *shared = check_shared_dir();
	struct buf err = BUF_INIT(0);
	char path[4096];
	struct feed *f;
	size_t i, j;
	int ret;

	if (!shared) {
		printf("api: ../shared is absent; the real X captures are "
		       "skipped\n");
		return;
	}
	for (i = 0; i < sizeof captures / sizeof *captures; i++) {
		snprintf(path, sizeof path, "%s/fixtures/real/%s", shared,
		         captures[i].file);
		f = api_parse_file(SOURCE_FORMAT_X_API, path, NULL, &err, &ret);
		if (ret == -1) {
			printf("api: %s is absent; skipped\n", path);
			continue;
		}
		if (!CHECK(f != NULL)) {
			fprintf(stderr, "    %s: %s\n", path, buf_cstr(&err));
			continue;
		}
		CHECK_INT(f->nentries, captures[i].count);
		for (j = 0; j < f->nentries; j++) {
			const struct feed_entry *e = &f->entries[j];
			char want[128];

			snprintf(want, sizeof want,
			         "https://x.com/i/web/status/%s",
			         e->id ? e->id : "");
			CHECK_STR(e->link, want);
			CHECK(e->title.text && *e->title.text);
			CHECK(test_api_valid_utf8(e->title.text));
			CHECK(!strchr(e->title.text, '\n'));
			CHECK(!strstr(e->title.text, "&amp;"));
			CHECK(!strstr(e->title.text, "&lt;"));
			CHECK(!e->published.known);
			CHECK_INT(e->likes, -1);
		}
		if (i == 0 && f->nentries == 2) {
			/* U+1F941 DRUM from \uD83E\uDD41 */
			CHECK(strstr(f->entries[0].title.text,
			             "here! \xF0\x9F\xA5\x81 Say") != NULL);
			CHECK_STR(f->entries[0].id, "1293593516040269825");
		}
		for (j = 0; i == 2 && j < f->nentries; j++) {
			const struct feed_entry *e = &f->entries[j];

			if (strcmp(e->id, "1578414851688480769") == 0)
				CHECK_STR(e->title.text,
				          "honesty hour: what is the hardest "
				          "part about being a developer? "
				          "\xF0\x9F\x97\xAF");
			if (strcmp(e->id, "1578341223664062465") == 0)
				CHECK(strstr(e->title.text,
				             "via @Twitter < great") != NULL);
			if (strcmp(e->id, "1578095129495482369") == 0)
				CHECK(strstr(e->title.text,
				             "@snowman & I are") != NULL);
		}
		feed_free(f);
	}
	buf_free(&err);
}

static void test_github(void)
{
	struct buf err = BUF_INIT(0);
	const struct feed_entry *e;
	struct feed *f;
	int ret;

	f = test_api_fixture(SOURCE_FORMAT_GITHUB_SEARCH, "github_search.json",
	                     NULL, &err, &ret);
	if (!CHECK(f != NULL)) {
		fprintf(stderr, "    %s\n", buf_cstr(&err));
		buf_free(&err);
		return;
	}
	CHECK_INT(f->nentries, 4);
	CHECK(strstr(buf_cstr(&f->notes), "incomplete") != NULL);
	e = &f->entries[0];
	CHECK_STR(e->title.text,
	          "GeeeekExplorer/nano-vllm: Nano vLLM \xE2\x80\x94 a "
	          "lightweight vLLM implementation built from scratch "
	          "\xF0\x9F\x9A\x80");
	CHECK_STR(e->summary.text,
	          "Nano vLLM \xE2\x80\x94 a lightweight vLLM implementation "
	          "built from scratch \xF0\x9F\x9A\x80");
	CHECK_STR(e->link, "https://github.com/GeeeekExplorer/nano-vllm");
	CHECK_STR(e->id, "https://github.com/GeeeekExplorer/nano-vllm");
	CHECK_STR(e->author.name, "GeeeekExplorer");
	CHECK_STR(api_utc(&e->published), "2025-06-09T14:20:31Z");
	CHECK_STR(api_utc(&e->updated), "2025-06-23T22:10:00Z");
	CHECK_INT(e->stars, 5432);
	CHECK_INT(e->likes, -1);

	/* description null: the name alone */
	e = &f->entries[1];
	CHECK_STR(e->title.text, "example-org/agent-kit");
	CHECK_STR(e->summary.raw, NULL);
	CHECK_INT(e->stars, 0);

	/* wrong types: no link for a javascript: URL, no date from a number,
	 * no stars from a word, white space collapsed */
	e = &f->entries[2];
	CHECK_STR(e->title.text, "weird/types: Line one line two with a tab");
	CHECK_STR(e->link, NULL);
	CHECK_STR(e->author.full, NULL);
	CHECK(!e->published.known);
	CHECK_INT(e->stars, -1);

	e = &f->entries[3];
	CHECK_INT(e->stars, LLONG_MAX);
	CHECK(!e->published.known);
	CHECK_STR(e->published.raw, "not a date");
	feed_free(f);

	f = test_api_fixture(SOURCE_FORMAT_GITHUB_SEARCH,
	                     "github_error_ratelimit.json", NULL, &err, &ret);
	CHECK(f == NULL);
	CHECK_INT(ret, ERR_NOT_FEED);
	CHECK(strncmp(buf_cstr(&err),
	              "not a feed: GitHub API error: API rate limit exceeded "
	              "for 203.0.113.7.",
	              70) == 0);
	/* a long message is quoted cut */
	CHECK(err.len < 260);

	f = test_api_fixture(SOURCE_FORMAT_GITHUB_SEARCH,
	                     "github_error_validation.json", NULL, &err, &ret);
	CHECK(f == NULL);
	CHECK_STR(buf_cstr(&err), "not a feed: GitHub API error: Validation "
	                          "Failed");

	f = test_api_fixture(SOURCE_FORMAT_GITHUB_SEARCH, "github_empty.json",
	                     NULL, &err, &ret);
	if (CHECK(f != NULL))
		CHECK_INT(f->nentries, 0);
	CHECK_STR(buf_cstr(&f->notes), "");
	feed_free(f);
	buf_free(&err);
}

static void test_hf_papers(void)
{
	struct buf err = BUF_INIT(0);
	const struct feed_entry *e;
	struct feed *f;
	int ret;

	f = test_api_fixture(SOURCE_FORMAT_HF_PAPERS, "hf_daily_papers.json",
	                     NULL, &err, &ret);
	if (!CHECK(f != NULL)) {
		fprintf(stderr, "    %s\n", buf_cstr(&err));
		buf_free(&err);
		return;
	}
	CHECK_INT(f->nentries, 4);
	e = &f->entries[0];
	CHECK_STR(e->title.text, "Scaling Test-Time Compute for Small Models");
	CHECK_STR(e->link, "https://huggingface.co/papers/2406.12345");
	CHECK_STR(e->id, "https://arxiv.org/abs/2406.12345");
	CHECK_STR(e->summary.text,
	          "We study how small models can use more compute at "
	          "inference. Our results show that\xC2\xA0"
	          "a 1B model matches a 14B one.");
	CHECK_STR(e->author.full,
	          "Jane Doe, Kim Min-jun, Li Wei, A. String Author");
	CHECK_STR(e->author.name, e->author.full);
	CHECK_STR(api_utc(&e->published), "2024-06-18T01:23:45Z");
	CHECK_INT(e->likes, 87);
	CHECK_INT(e->comments, 3);

	/* a version in the id; the paper's own title; huge and negative
	 * counts; no authors; no daily date: publishedAt */
	e = &f->entries[1];
	CHECK_STR(e->title.text, "Emoji \xF0\x9F\xA4\x97 in a Title");
	CHECK_STR(e->link, "https://huggingface.co/papers/2406.00001v2");
	CHECK_STR(e->id, "https://arxiv.org/abs/2406.00001");
	CHECK_STR(e->author.full, NULL);
	CHECK_STR(api_utc(&e->published), "2024-06-01T00:00:00Z");
	CHECK_INT(e->likes, LLONG_MAX);
	CHECK_INT(e->comments, -1);

	/* an id that is no arXiv id and no safe path: no link, no id */
	e = &f->entries[2];
	CHECK_STR(e->title.text, "Odd id");
	CHECK_STR(e->link, NULL);
	CHECK_STR(e->id, NULL);
	CHECK_INT(e->likes, 12);
	CHECK_INT(e->comments, -1);

	/* no paper object: the element itself */
	e = &f->entries[3];
	CHECK_STR(e->link, "https://huggingface.co/papers/hep-th/9901001");
	CHECK_STR(e->id, "https://arxiv.org/abs/hep-th/9901001");
	CHECK_STR(api_utc(&e->published), "1999-01-04T00:00:00Z");
	feed_free(f);

	f = test_api_fixture(SOURCE_FORMAT_HF_PAPERS, "hf_error.json", NULL,
	                     &err, &ret);
	CHECK(f == NULL);
	CHECK_INT(ret, ERR_NOT_FEED);
	CHECK_STR(buf_cstr(&err), "not a feed: Hugging Face API error: "
	                          "Invalid date format. Expected YYYY-MM-DD");
	f = test_api_fixture(SOURCE_FORMAT_HF_PAPERS, "hf_error_object.json",
	                     NULL, &err, &ret);
	CHECK(f == NULL);
	CHECK_STR(buf_cstr(&err), "not a feed: Hugging Face API error: Rate "
	                          "limit reached");
	f = test_api_fixture(SOURCE_FORMAT_HF_PAPERS, "github_search.json",
	                     NULL, &err, &ret);
	CHECK(f == NULL);
	CHECK_STR(buf_cstr(&err), "not a feed: Hugging Face API error: the "
	                          "response is no JSON array");
	f = test_api_fixture(SOURCE_FORMAT_HF_PAPERS, "hf_empty.json", NULL,
	                     &err, &ret);
	if (CHECK(f != NULL))
		CHECK_INT(f->nentries, 0);
	feed_free(f);
	buf_free(&err);
}

static void test_hn_algolia(void)
{
	struct buf err = BUF_INIT(0);
	const struct feed_entry *e;
	struct feed *f;
	int ret;

	f = test_api_fixture(SOURCE_FORMAT_HN_ALGOLIA, "hn_algolia.json", NULL,
	                     &err, &ret);
	if (!CHECK(f != NULL)) {
		fprintf(stderr, "    %s\n", buf_cstr(&err));
		buf_free(&err);
		return;
	}
	CHECK_INT(f->nentries, 5);
	e = &f->entries[0];
	CHECK_STR(e->title.text, "GPT-4o: OpenAI's new flagship model");
	CHECK_STR(e->link, "https://openai.com/index/hello-gpt-4o/");
	CHECK_STR(e->id, "https://news.ycombinator.com/item?id=40123456");
	CHECK_STR(e->author.name, "jsmith");
	CHECK_STR(api_utc(&e->published), "2024-05-13T18:01:02Z");
	CHECK_STR(e->published.raw, "1715623262");
	CHECK_INT(e->points, 1234);
	CHECK_INT(e->comments, 412);
	CHECK_INT(e->likes, -1);
	CHECK_STR(e->summary.raw, NULL);

	/* Ask HN: url null, the item as the link, story_text as HTML */
	e = &f->entries[1];
	CHECK_STR(e->link, "https://news.ycombinator.com/item?id=40123999");
	CHECK_STR(e->id, e->link);
	CHECK_INT(e->summary.type, FEED_TEXT_HTML);
	CHECK_STR(e->summary.text,
	          "I have been running Llama 3 locally & wondered: What's your "
	          "setup? See https://example.com/x");
	CHECK_INT(e->points, 310);

	/* url "", objectID a number, no created_at_i, a huge count */
	e = &f->entries[2];
	CHECK_STR(e->link, "https://news.ycombinator.com/item?id=40124000");
	CHECK_STR(api_utc(&e->published), "2024-05-13T20:00:00Z");
	CHECK_INT(e->points, LLONG_MAX);
	CHECK_INT(e->comments, 0);

	/* wrong types: no HN id, an ftp: url is no link, a string
	 * created_at_i falls back to created_at, negative and null counts */
	e = &f->entries[3];
	CHECK_STR(e->id, NULL);
	CHECK_STR(e->link, NULL);
	CHECK_STR(api_utc(&e->published), "2024-05-13T21:00:00Z");
	CHECK_INT(e->points, -1);
	CHECK_INT(e->comments, -1);

	/* a comment hit: its story's title, its text */
	e = &f->entries[4];
	CHECK_STR(e->title.text, "The story it belongs to");
	CHECK_STR(e->summary.text, "A comment > its story");
	feed_free(f);

	f = test_api_fixture(SOURCE_FORMAT_HN_ALGOLIA, "hn_error.json", NULL,
	                     &err, &ret);
	CHECK(f == NULL);
	CHECK_INT(ret, ERR_NOT_FEED);
	CHECK_STR(buf_cstr(&err),
	          "not a feed: Algolia API error: invalid numericFilters: "
	          "unexpected token 'created_at_i>' at col 13");
	f = test_api_fixture(SOURCE_FORMAT_HN_ALGOLIA, "hf_empty.json", NULL,
	                     &err, &ret);
	CHECK(f == NULL);
	CHECK_STR(buf_cstr(&err), "not a feed: Algolia API error: no \"hits\" "
	                          "array in the response");
	buf_free(&err);
}

static int api_count_entry(void *ctx, const struct feed *feed,
                           const struct feed_entry *entry)
{
	size_t *n = ctx;

	(void)feed;
	(void)entry;
	return ++*n == 3;
}

static void test_api_bounds(void)
{
	struct feed_options opt;
	struct buf err = BUF_INIT(0), deep = BUF_INIT(0);
	struct feed *f;
	size_t i, seen = 0;
	int ret;

	/* entries capped */
	memset(&opt, 0, sizeof opt);
	opt.max_entries = 2;
	f = test_api_fixture(SOURCE_FORMAT_X_API, "x_timeline.json", &opt, &err,
	                     &ret);
	if (CHECK(f != NULL)) {
		CHECK_INT(f->nentries, 2);
		CHECK(strstr(buf_cstr(&f->notes), "cut: more than 2") != NULL);
	}
	feed_free(f);

	/* texts capped on a character boundary: 22 bytes end inside the
	 * rocket emoji at bytes 20..23 */
	memset(&opt, 0, sizeof opt);
	opt.max_text = 22;
	f = test_api_fixture(SOURCE_FORMAT_X_API, "x_timeline.json", &opt, &err,
	                     &ret);
	if (CHECK(f != NULL))
		for (i = 0; i < f->nentries; i++) {
			const char *t = f->entries[i].title.raw;

			CHECK(!t ||
			      (strlen(t) <= 22 && test_api_valid_utf8(t)));
		}
	feed_free(f);
	f = test_api_fixture(SOURCE_FORMAT_HF_PAPERS, "hf_daily_papers.json",
	                     &opt, &err, &ret);
	if (CHECK(f != NULL) && CHECK(f->nentries > 1)) {
		CHECK(strlen(f->entries[0].summary.raw) <= 22);
		CHECK_STR(f->entries[1].title.raw,
		          "Emoji \xF0\x9F\xA4\x97 in a Title");
		CHECK(strstr(buf_cstr(&f->notes), "cut: a field") != NULL);
	}
	feed_free(f);

	/* a run without '&' or 'h' past the cap is cut, not dropped; a
	 * t.co link repeated is expanded only up to the cap */
	opt.max_text = 50;
	buf_reset(&deep);
	buf_puts(&deep, "{\"data\":[{\"id\":\"1\",\"text\":\"");
	for (i = 0; i < 100; i++)
		buf_puts(&deep, "\xED\x95\x9C");
	buf_puts(&deep, "\"},{\"id\":\"2\",\"text\":\"");
	for (i = 0; i < 1000; i++)
		buf_puts(&deep, "https://t.co/x ");
	buf_puts(&deep, "\",\"entities\":{\"urls\":[{\"url\":"
	                "\"https://t.co/x\",\"expanded_url\":"
	                "\"https://example.org/a-long-expanded-url\"}]}}]}");
	f = api_string(SOURCE_FORMAT_X_API, buf_cstr(&deep), &opt, &err, &ret);
	if (CHECK(f != NULL) && CHECK_INT(f->nentries, 2)) {
		CHECK_INT(strlen(f->entries[0].title.raw), 48);
		CHECK(test_api_valid_utf8(f->entries[0].title.raw));
		CHECK_STR(f->entries[1].title.raw,
		          "https://example.org/a-long-expanded-url "
		          "https://ex");
	}
	feed_free(f);

	/* streamed: the callback sees each entry and may stop */
	memset(&opt, 0, sizeof opt);
	opt.on_entry = api_count_entry;
	opt.ctx = &seen;
	f = test_api_fixture(SOURCE_FORMAT_HN_ALGOLIA, "hn_algolia.json", &opt,
	                     &err, &ret);
	if (CHECK(f != NULL)) {
		CHECK_INT(seen, 3);
		CHECK_INT(f->nentries, 3);
		CHECK(f->entries == NULL);
	}
	feed_free(f);

	/* bytes capped */
	memset(&opt, 0, sizeof opt);
	opt.max_bytes = 10;
	f = test_api_fixture(SOURCE_FORMAT_HN_ALGOLIA, "hn_algolia.json", &opt,
	                     &err, &ret);
	CHECK(f == NULL);
	CHECK_INT(ret, ERR_LIMIT);

	/* nesting past jansson's limit is broken JSON, not a crash */
	for (i = 0; i < 100000; i++)
		buf_putc(&deep, '[');
	f = api_string(SOURCE_FORMAT_HN_ALGOLIA, buf_cstr(&deep), NULL, &err,
	               &ret);
	CHECK(f == NULL);
	CHECK_INT(ret, ERR_NOT_FEED);
	CHECK(strncmp(buf_cstr(&err), "not a feed: broken JSON", 23) == 0);
	buf_free(&deep);

	/* a number past the range of a double */
	f = api_string(SOURCE_FORMAT_HN_ALGOLIA,
	               "{\"hits\":[{\"objectID\":\"1\",\"points\":1e400}]}",
	               NULL, &err, &ret);
	CHECK(f == NULL);
	CHECK_INT(ret, ERR_NOT_FEED);
	buf_free(&err);
}

static void test_api_documents(void)
{
	static const struct {
		const char *body, *message;
	} bad[] = {
	        {"", "not a feed: the document is empty"},
	        {" \r\n\t", "not a feed: the document is empty"},
	        {"<!DOCTYPE html><html></html>",
	         "not a feed: an HTML or XML page where a JSON API response "
	         "was expected"},
	        {"{\"hits\": [", "not a feed: broken JSON at line 1: "},
	        {"{\"hits\": [{\"title\": \"a\\u0000b\"}]", NULL},
	};
	struct buf err = BUF_INIT(0), data = BUF_INIT(0);
	struct feed *f;
	size_t i;
	int ret;

	for (i = 0; i < sizeof bad / sizeof *bad; i++) {
		f = api_string(SOURCE_FORMAT_HN_ALGOLIA, bad[i].body, NULL,
		               &err, &ret);
		CHECK(f == NULL);
		CHECK_INT(ret, ERR_NOT_FEED);
		if (bad[i].message)
			CHECK(strncmp(buf_cstr(&err), bad[i].message,
			              strlen(bad[i].message)) == 0);
	}
	f = test_api_fixture(SOURCE_FORMAT_HN_ALGOLIA, "broken.json", NULL,
	                     &err, &ret);
	CHECK(f == NULL);
	CHECK(strncmp(buf_cstr(&err), "not a feed: broken JSON", 23) == 0);
	f = test_api_fixture(SOURCE_FORMAT_GITHUB_SEARCH, "not_json.html", NULL,
	                     &err, &ret);
	CHECK(f == NULL);
	CHECK_INT(ret, ERR_NOT_FEED);

	/* a BOM, a NUL escape, invalid UTF-8 (replaced and noted) */
	f = api_string(SOURCE_FORMAT_HN_ALGOLIA,
	               "\xEF\xBB\xBF{\"hits\":[{\"objectID\":\"7\","
	               "\"title\":\"caf\xE9 \xF0\x9F\x98\x80 a\\u0000b\"}]}",
	               NULL, &err, &ret);
	if (CHECK(f != NULL) && CHECK_INT(f->nentries, 1)) {
		CHECK(f->recovered);
		CHECK_STR(f->entries[0].title.text,
		          "caf\xEF\xBF\xBD \xF0\x9F\x98\x80 a");
		CHECK(strstr(buf_cstr(&f->notes), "1 invalid UTF-8") != NULL);
		CHECK_STR(f->encoding, "utf-8");
	}
	feed_free(f);

	/* a feed format goes to feed_parse; an unknown one is refused */
	buf_reset(&err);
	if (CHECK(check_read_file(API_FIXTURES "rsshub_twitter.xml", &data))) {
		ret = api_parse(SOURCE_FORMAT_FEED, buf_cstr(&data), data.len,
		                NULL, &f, &err);
		CHECK_INT(ret, ERR_OK);
		if (CHECK(f != NULL))
			CHECK_INT(f->format, FEED_FORMAT_RSS20);
		feed_free(f);
	}
	ret = api_parse((enum source_format)99, "{}", 2, NULL, &f, &err);
	CHECK_INT(ret, ERR_USAGE);
	CHECK(f == NULL);
	buf_free(&data);
	buf_free(&err);
}

void test_api(void)
{
	test_x_timeline();
	test_x_others();
	test_x_real();
	test_github();
	test_hf_papers();
	test_hn_algolia();
	test_api_bounds();
	test_api_documents();
	test_api_tweets();
}
