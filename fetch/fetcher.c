#include "fetch/fetcher.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"
#include "common/timeutil.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "fetch/api.h"
#include "fetch/feed.h"
#include "fetch/urlnorm.h"
#include "store/store.h"
#include "summarize/stories.h"

/* How much of an item's text the store keeps: enough for the judges and
 * the writer, who cut it further. */
#define FETCH_SUMMARY_CP 4000
/* Days of automated builds told apart within one body. */
#define FETCH_MAX_BUILD_DAYS 64
/* Stories are rebuilt over the items of the last days. */
#define FETCH_STORY_DAYS 3

struct fetch_job {
	const struct source *src;
	struct fetch_source_report *rep;
	char *url;
	char **headers;
	struct store_feed state; /* validators and health before the fetch */
};

struct fetch_ctx {
	struct store *st;
	const struct fetch_settings *s;
	struct fetch_report *rep;
	struct fetch_job *jobs;   /* those that are fetched */
	size_t njobs;
	/* the source being read, while its body is parsed */
	struct fetch_job *job;
	long kept;                /* entries kept from it (max=) */
	/* its automated builds: the newest of each day, as they go by */
	struct fetch_build_day {
		char day[11];
		int64_t newest;
	} builds[FETCH_MAX_BUILD_DAYS];
	size_t nbuilds;
	int64_t now;
	bool progress_shown;
};

static double fetch_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *fetch_text(const struct feed_text *t)
{
	return t->text && *t->text ? t->text : NULL;
}

/* The text an item is judged and summarized from. */
static const char *fetch_entry_text(const struct feed_entry *e)
{
	size_t i;

	if (fetch_text(&e->summary))
		return e->summary.text;
	for (i = 0; i < e->ncontent; i++)
		if (fetch_text(&e->content[i]))
			return e->content[i].text;
	return NULL;
}

/* "YYYY-MM-DD" of t in the zone offset. */
static void fetch_day(int64_t t, int offset, char out[11])
{
	char utc[TIME_UTC_LEN];

	time_format_utc(t + offset, utc);
	memcpy(out, utc, 10);
	out[10] = '\0';
}

/* Whether a build made at t is the newest of its day seen in this body
 * so far (then it is remembered as such). */
static bool fetch_newest_build(struct fetch_ctx *fc, const char *day,
			       int64_t t)
{
	size_t i;

	for (i = 0; i < fc->nbuilds; i++) {
		if (strcmp(fc->builds[i].day, day) != 0)
			continue;
		if (t <= fc->builds[i].newest)
			return false;
		fc->builds[i].newest = t;
		return true;
	}
	if (fc->nbuilds < FETCH_MAX_BUILD_DAYS) {
		memcpy(fc->builds[fc->nbuilds].day, day, 11);
		fc->builds[fc->nbuilds].newest = t;
		fc->nbuilds++;
	}
	return true;
}

static int fetch_store_entry(struct fetch_ctx *fc, struct feed_entry *e)
{
	const struct source *src = fc->job->src;
	const char *text = fetch_entry_text(e), *title;
	struct store_item it;
	char *canonical = NULL, *summary = NULL, *key = NULL;
	char day[11];
	struct buf b = BUF_INIT(0);
	bool is_new = false;
	int rc;

	if (src->kind == SOURCE_TWEET)
		api_normalize_tweet(e, NULL);
	title = fetch_text(&e->title);
	if (!title && !e->link)
		return 0;
	if (!source_accepts(src, title ? title : "", text ? text : ""))
		return 0;
	if (src->max > 0 && fc->kept >= src->max)
		return 0;
	fc->kept++;

	memset(&it, 0, sizeof it);
	canonical = e->link ? url_canonical(e->link) : NULL;
	if (!canonical && e->id)
		canonical = url_canonical(e->id);
	if (src->kind == SOURCE_RELEASE && src->collapse_daily && title &&
	    url_is_automated_build(title)) {
		/* llama.cpp's bNNNN: one item per repository per day, the
		 * day's newest build */
		int64_t t = e->published.known ? e->published.time
			    : e->updated.known ? e->updated.time : fc->now;

		fetch_day(t, fc->s->tz_offset_sec, day);
		if (!fetch_newest_build(fc, day, t)) {
			free(canonical);
			return 0;
		}
		buf_printf(&b, "builds:%s", day);
		key = buf_detach(&b);
	} else if (e->id && *e->id) {
		key = xstrdup(e->id);
	} else if (canonical || e->link) {
		key = xstrdup(canonical ? canonical : e->link);
	} else {
		key = xstrndup(title, utf8_prefix_bytes(title, 200));
	}
	if (text)
		summary = xstrndup(text, utf8_prefix_bytes(text, FETCH_SUMMARY_CP));

	it.feed_name = src->name;
	it.key = key;
	it.guid = e->id;
	it.url = e->link;
	it.canonical_url = canonical;
	it.title = title ? title : e->link;
	it.summary = summary;
	it.author = e->author.full ? e->author.full : e->author.name;
	it.has_published = e->published.known || e->updated.known;
	it.published = e->published.known ? e->published.time : e->updated.time;
	it.seen_at = fc->now;
	it.likes = e->likes;
	it.reposts = e->reposts;
	it.points = e->points;
	it.stars = e->stars;
	it.comments = e->comments;
	rc = store_item_upsert(fc->st, &it, &is_new);
	if (rc == 0) {
		fc->job->rep->items++;
		fc->job->rep->new_items += is_new;
	}
	free(canonical);
	free(summary);
	free(key);
	return rc;
}

static int fetch_on_entry(void *ctx, const struct feed *feed,
			  const struct feed_entry *entry)
{
	struct fetch_ctx *fc = ctx;

	(void)feed;
	/* the entry is the parser's until we return; normalizing a tweet
	 * rewrites it in place, which the parser allows for the callback */
	fetch_store_entry(fc, (struct feed_entry *)entry);
	return 0;
}

static const char *fetch_health(const struct fetch_ctx *fc,
				const struct fetch_job *job, bool ok,
				const char *failure)
{
	int64_t last_new = job->state.last_new_item;

	if (!ok)
		return failure;
	if (job->rep->new_items > 0)
		return "ok";
	if (!last_new)
		last_new = job->state.last_success ? job->state.last_success
						   : fc->now;
	if (fc->now - last_new > (int64_t)fc->s->stale_days * 86400)
		return "stale";
	return "ok";
}

/* Parse a body and store its items; returns 0, or an ERR_* code with the
 * reason in job->rep->reason. */
static int fetch_read_body(struct fetch_ctx *fc, struct fetch_job *job,
			   const struct http_response *r)
{
	const struct source *src = job->src;
	struct feed_options opt;
	struct feed *feed = NULL;
	struct buf err = BUF_INIT(512);
	size_t i;
	int rc;

	memset(&opt, 0, sizeof opt);
	opt.url = r->effective_url ? r->effective_url : job->url;
	opt.content_type = r->content_type;
	opt.tz_offset_sec = src->tz_offset_sec;
	opt.max_bytes = fc->s->http.max_bytes;
	fc->job = job;
	fc->kept = 0;
	fc->nbuilds = 0;
	if (src->format == SOURCE_FORMAT_FEED) {
		opt.on_entry = fetch_on_entry;
		opt.ctx = fc;
		rc = feed_parse(buf_cstr(&r->body), r->body.len, &opt, &feed, &err);
	} else {
		rc = api_parse(src->format, buf_cstr(&r->body), r->body.len, &opt,
			       &feed, &err);
		for (i = 0; rc == ERR_OK && i < feed->nentries; i++)
			fetch_store_entry(fc, &feed->entries[i]);
	}
	if (rc != ERR_OK)
		snprintf(job->rep->reason, sizeof job->rep->reason, "%s",
			 buf_cstr(&err));
	feed_free(feed);
	buf_free(&err);
	fc->job = NULL;
	return rc;
}

static void fetch_done(void *ctx, size_t index, const struct http_response *r)
{
	struct fetch_ctx *fc = ctx;
	struct fetch_job *job = &fc->jobs[index];
	struct fetch_source_report *rep = job->rep;
	struct store_fetch_result res;
	const char *failure = "failing";
	int rc = ERR_OK;

	rep->status = r->status;
	rep->bytes = r->wire_bytes;
	if (r->error != HTTP_OK) {
		snprintf(rep->reason, sizeof rep->reason, "%s", r->message);
		rc = -1;
	} else if (r->not_modified) {
		rep->not_modified = true;
	} else if (r->status < 200 || r->status >= 300) {
		snprintf(rep->reason, sizeof rep->reason, "HTTP %ld", r->status);
		rc = -1;
	} else {
		store_begin(fc->st);
		rc = fetch_read_body(fc, job, r);
		if (rc == ERR_NOT_FEED)
			failure = "not a feed";
		if (rc == ERR_OK)
			store_commit(fc->st);
		else
			store_rollback(fc->st);
		if (rc != ERR_OK)
			rep->items = rep->new_items = 0;
	}
	rep->ok = rc == ERR_OK;

	memset(&res, 0, sizeof res);
	res.name = job->src->name;
	res.url = job->src->url;
	res.kind = source_kind_name(job->src->kind);
	res.at = fc->now;
	res.ok = rep->ok;
	res.not_modified = rep->not_modified;
	res.status = r->status;
	res.error = rep->ok ? NULL : rep->reason;
	res.health = fetch_health(fc, job, rep->ok, failure);
	res.etag = r->etag;
	res.last_modified = r->last_modified;
	res.items_seen = rep->items;
	res.new_items = rep->new_items;
	store_feed_record(fc->st, &res);
}

static void fetch_progress(void *ctx, const struct http_progress *p)
{
	struct fetch_ctx *fc = ctx;

	fprintf(stderr, "\raidigest: fetch: %zu/%zu done, %.1f MB, %zu failed\033[K",
		p->done, p->total, p->bytes / 1e6, p->failed);
	fc->progress_shown = true;
}

/* Build the jobs: URL for the window, headers, validators; sources whose
 * token is missing are skipped with a reason. */
static void fetch_prepare(struct fetch_ctx *fc, struct http_request *reqs)
{
	const struct fetch_settings *s = fc->s;
	char date[11];
	size_t i;

	fetch_day(s->now, s->tz_offset_sec, date);
	for (i = 0; i < s->sources->n; i++) {
		const struct source *src = &s->sources->v[i];
		struct fetch_source_report *rep = &fc->rep->per[i];
		struct fetch_job *job = &fc->jobs[fc->njobs];
		const char *missing = NULL;
		char **headers;

		rep->name = src->name;
		headers = api_headers(src, &missing);
		if (missing) {
			rep->skipped = true;
			snprintf(rep->reason, sizeof rep->reason,
				 "skipped: $%s is not set", missing);
			continue;
		}
		memset(job, 0, sizeof *job);
		job->src = src;
		job->rep = rep;
		job->headers = headers;
		job->url = source_url_for_window(src, date,
						 s->now - 2 * 86400);
		store_feed_ensure(fc->st, src->name, src->url,
				  source_kind_name(src->kind));
		store_feed_set_weight(fc->st, src->name, src->weight);
		if (store_feed_get(fc->st, src->name, &job->state) != 0)
			memset(&job->state, 0, sizeof job->state);
		reqs[fc->njobs].url = job->url;
		reqs[fc->njobs].etag = job->state.etag;
		reqs[fc->njobs].last_modified = job->state.last_modified;
		reqs[fc->njobs].headers = (const char *const *)job->headers;
		fc->njobs++;
	}
}

int fetch_run(struct store *st, const struct fetch_settings *s,
	      struct fetch_report *rep, struct buf *err)
{
	struct fetch_ctx fc;
	struct http_request *reqs;
	struct http_options hopt = s->http;
	double t0 = fetch_clock();
	size_t i;
	int rc;

	memset(rep, 0, sizeof *rep);
	memset(&fc, 0, sizeof fc);
	fc.st = st;
	fc.s = s;
	fc.rep = rep;
	fc.now = s->now;
	rep->sources = s->sources->n;
	rep->per = xcalloc(s->sources->n, sizeof *rep->per);
	fc.jobs = xcalloc(s->sources->n, sizeof *fc.jobs);
	reqs = xcalloc(s->sources->n, sizeof *reqs);

	/* one transaction for the sources' rows, not one each */
	store_begin(st);
	fetch_prepare(&fc, reqs);
	store_commit(st);
	hopt.done = fetch_done;
	hopt.progress = s->progress ? fetch_progress : NULL;
	hopt.ctx = &fc;
	rc = http_fetch_all(reqs, fc.njobs, &hopt, err);
	if (fc.progress_shown)
		fputs("\r\033[K", stderr);

	if (rc == 0 && stories_rebuild(st, s->now - FETCH_STORY_DAYS * 86400,
				       s->now + 86400) != 0) {
		buf_printf(err, "cannot build stories: %s", store_error(st));
		rc = -1;
	}
	for (i = 0; i < s->sources->n; i++) {
		const struct fetch_source_report *p = &rep->per[i];

		if (p->skipped)
			rep->skipped++;
		else if (p->ok)
			rep->ok++;
		else
			rep->failed++;
		rep->not_modified += p->not_modified;
		rep->items += p->items;
		rep->new_items += p->new_items;
		rep->bytes += p->bytes;
	}
	for (i = 0; i < fc.njobs; i++) {
		free(fc.jobs[i].url);
		api_headers_free(fc.jobs[i].headers);
		store_feed_clear(&fc.jobs[i].state);
	}
	free(fc.jobs);
	free(reqs);
	rep->seconds = fetch_clock() - t0;
	return rc;
}

void fetch_report_free(struct fetch_report *rep)
{
	if (!rep)
		return;
	free(rep->per);
	memset(rep, 0, sizeof *rep);
}
