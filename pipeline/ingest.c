#include "pipeline/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/date.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "fetch/api.h"
#include "fetch/feed.h"
#include "fetch/urlnorm.h"
#include "summarize/stories.h"

/* How much of an item's text the store keeps: enough for the judges and
 * the writer, who cut it further. */
#define INGEST_SUMMARY_CP 4000
/* Days of automated builds told apart within one body. */
#define INGEST_MAX_BUILD_DAYS 64
/* A feed's own title is kept up to this many code points. */
#define INGEST_TITLE_CP 100

struct ingest_job {
	const struct source *src;
	struct ingest_source_report *rep;
	char *url;
	char **headers;
	struct store_feed state; /* validators and health before the fetch */
	char *feed_title;        /* the feed's own title, from its body */
};

struct ingest_ctx {
	struct store *st;
	const struct ingest_settings *s;
	struct ingest_report *rep;
	struct ingest_job *jobs; /* those that are fetched */
	size_t njobs;
	size_t *slot; /* each source's place in rep->per (file order) */
	/* the fetch's deadline (ingest_clock), which bounds the reading of
	 * bodies too: patterns may take a while on each entry */
	double deadline;
	long deadline_s;
	/* the source being read, while its body is parsed */
	struct ingest_job *job;
	long entries;      /* entries of it seen */
	long kept;         /* entries kept from it (max=) */
	bool store_failed; /* an item could not be stored: the body fails */
	bool cut;          /* the deadline came before its last entry */
	/* its automated builds: the newest of each day, as they go by */
	struct ingest_build_day {
		char day[DATE_DAY_LEN];
		int64_t newest;
	} builds[INGEST_MAX_BUILD_DAYS];
	size_t nbuilds;
	bool progress_shown;
};

static double ingest_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *ingest_text(const struct feed_text *t)
{
	return t->text && *t->text ? t->text : NULL;
}

/* The text an item is judged and summarized from. */
static const char *ingest_entry_text(const struct feed_entry *e)
{
	size_t i;

	if (ingest_text(&e->summary))
		return e->summary.text;
	for (i = 0; i < e->ncontent; i++)
		if (ingest_text(&e->content[i]))
			return e->content[i].text;
	return NULL;
}

/* Whether a build made at t is the newest of its day seen in this body
 * so far (then it is remembered as such). */
static bool ingest_newest_build(struct ingest_ctx *ic, const char *day,
                                int64_t t)
{
	size_t i;

	for (i = 0; i < ic->nbuilds; i++) {
		if (strcmp(ic->builds[i].day, day) != 0)
			continue;
		if (t <= ic->builds[i].newest)
			return false;
		ic->builds[i].newest = t;
		return true;
	}
	if (ic->nbuilds < INGEST_MAX_BUILD_DAYS) {
		memcpy(ic->builds[ic->nbuilds].day, day, DATE_DAY_LEN);
		ic->builds[ic->nbuilds].newest = t;
		ic->nbuilds++;
	}
	return true;
}

/* The item's key in its feed: one a day for automated builds (NULL when
 * this build is not the day's newest so far), else its id, its link, or
 * its title. Caller frees. */
static char *ingest_entry_key(struct ingest_ctx *ic, const struct feed_entry *e,
                              const char *title, const char *canonical)
{
	const struct source *src = ic->job->src;
	char day[DATE_DAY_LEN];
	struct buf b = BUF_INIT(0);

	if (src->kind == SOURCE_RELEASE && src->collapse_daily && title &&
	    url_is_automated_build(title)) {
		/* llama.cpp's bNNNN: one item per repository per day, the
		 * day's newest build */
		int64_t t = e->published.known ? e->published.time
		            : e->updated.known ? e->updated.time
		                               : ic->s->now;

		date_format_day(t, ic->s->tz_offset_sec, day);
		if (!ingest_newest_build(ic, day, t))
			return NULL;
		buf_printf(&b, "builds:%s", day);
		return buf_detach(&b);
	}
	if (e->id && *e->id)
		return xstrdup(e->id);
	if (canonical || e->link)
		return xstrdup(canonical ? canonical : e->link);
	return xstrndup(title, utf8_prefix_bytes(title, 200));
}

/* Store one entry of the source being read, unless its filters or its
 * max= leave it out. 0; ERR_DB (the reason in the source's report); or
 * ERR_LIMIT when the fetch's deadline has passed (ic->cut), to stop. */
static int ingest_store_entry(struct ingest_ctx *ic, struct feed_entry *e)
{
	const struct source *src = ic->job->src;
	const char *text = ingest_entry_text(e), *title;
	struct store_item it;
	char *canonical = NULL, *summary = NULL, *key;
	bool is_new = false;
	int ret = ERR_OK;

	if (ingest_clock() >= ic->deadline) {
		ic->cut = true;
		return ERR_LIMIT;
	}
	ic->entries++;
	if (src->kind == SOURCE_TWEET)
		api_normalize_tweet(e, NULL);
	title = ingest_text(&e->title);
	if (!title && !e->link)
		return ERR_OK;
	if (!source_accepts(src, title ? title : "", text ? text : ""))
		return ERR_OK;
	if (src->max > 0 && ic->kept >= src->max)
		return ERR_OK;
	ic->kept++;

	canonical = e->link ? url_canonical(e->link) : NULL;
	if (!canonical && e->id)
		canonical = url_canonical(e->id);
	key = ingest_entry_key(ic, e, title, canonical);
	if (!key) {
		free(canonical);
		return ERR_OK;
	}
	if (text) {
		text = feed_summary_start(text);
		summary = xstrndup(text,
		                   utf8_prefix_bytes(text, INGEST_SUMMARY_CP));
	}

	memset(&it, 0, sizeof it);
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
	it.seen_at = ic->s->now;
	it.likes = e->likes;
	it.reposts = e->reposts;
	it.points = e->points;
	it.stars = e->stars;
	it.comments = e->comments;
	if (store_item_upsert(ic->st, &it, &is_new) == 0) {
		ic->job->rep->items++;
		ic->job->rep->new_items += is_new;
	} else {
		snprintf(ic->job->rep->reason, sizeof ic->job->rep->reason,
		         "cannot write the store: %s", store_error(ic->st));
		ic->store_failed = true;
		ret = ERR_DB;
	}
	free(canonical);
	free(summary);
	free(key);
	return ret;
}

static int ingest_on_entry(void *ctx, const struct feed *feed,
                           const struct feed_entry *entry)
{
	struct ingest_ctx *ic = ctx;

	(void)feed;
	/* the entry is the parser's until we return; normalizing a tweet
	 * rewrites it in place, which the parser allows for the callback;
	 * a store failure or the deadline stops the parse */
	return ingest_store_entry(ic, (struct feed_entry *)entry) != ERR_OK;
}

static const char *ingest_health(const struct ingest_ctx *ic,
                                 const struct ingest_job *job, bool ok,
                                 const char *failure)
{
	int64_t last_new = job->state.last_new_item;

	if (!ok)
		return failure;
	if (job->rep->new_items > 0)
		return "ok";
	if (!last_new)
		last_new = job->state.last_success ? job->state.last_success
		                                   : ic->s->now;
	if (ic->s->now - last_new > (int64_t)ic->s->stale_days * 86400)
		return "stale";
	return "ok";
}

/* Parse a body and store its items; returns 0, or an ERR_* code with the
 * reason in job->rep->reason: ERR_LIMIT with ic->cut when the deadline
 * came first (the items before it are stored). */
static int ingest_read_body(struct ingest_ctx *ic, struct ingest_job *job,
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
	opt.max_bytes = ic->s->http.max_bytes;
	ic->job = job;
	ic->entries = ic->kept = 0;
	ic->nbuilds = 0;
	ic->store_failed = ic->cut = false;
	if (src->format == SOURCE_FORMAT_FEED) {
		opt.on_entry = ingest_on_entry;
		opt.ctx = ic;
		rc = feed_parse(buf_cstr(&r->body), r->body.len, &opt, &feed,
		                &err);
	} else {
		rc = api_parse(src->format, buf_cstr(&r->body), r->body.len,
		               &opt, &feed, &err);
		for (i = 0; rc == ERR_OK && i < feed->nentries; i++)
			rc = ingest_store_entry(ic, &feed->entries[i]);
	}
	if (ic->store_failed) {
		rc = ERR_DB;
	} else if (ic->cut) {
		rc = ERR_LIMIT;
		snprintf(job->rep->reason, sizeof job->rep->reason,
		         "cut short at the fetch deadline of %ld s after %ld "
		         "entries",
		         ic->deadline_s, ic->entries);
	} else if (rc != ERR_OK) {
		snprintf(job->rep->reason, sizeof job->rep->reason, "%s",
		         buf_cstr(&err));
	}
	/* the feed's own title names the source where feeds.txt gives no
	 * title=; the JSON APIs have none of their own */
	if (rc == ERR_OK && src->format == SOURCE_FORMAT_FEED && feed &&
	    ingest_text(&feed->title)) {
		free(job->feed_title);
		job->feed_title = xstrndup(
		        feed->title.text,
		        utf8_prefix_bytes(feed->title.text, INGEST_TITLE_CP));
	}
	feed_free(feed);
	buf_free(&err);
	ic->job = NULL;
	return rc;
}

/* A body read in one transaction: all its items, or none; or, when the
 * deadline cut it short, the items read before it, while the source
 * fails (its validators are not kept: the next fetch reads it again). */
static int ingest_store_body(struct ingest_ctx *ic, struct ingest_job *job,
                             const struct http_response *r)
{
	struct ingest_source_report *rep = job->rep;
	bool keep;
	int rc;

	if (ingest_clock() >= ic->deadline) {
		snprintf(rep->reason, sizeof rep->reason,
		         "cut short at the fetch deadline of %ld s before its "
		         "entries were read",
		         ic->deadline_s);
		return ERR_LIMIT;
	}
	if (store_begin(ic->st) != 0) {
		snprintf(rep->reason, sizeof rep->reason,
		         "cannot write the store: %s", store_error(ic->st));
		return ERR_DB;
	}
	rc = ingest_read_body(ic, job, r);
	keep = rc == ERR_OK || ic->cut;
	if (keep && store_commit(ic->st) != 0) {
		snprintf(rep->reason, sizeof rep->reason,
		         "cannot write the store: %s", store_error(ic->st));
		rc = ERR_DB;
		keep = false;
	}
	if (!keep) {
		if (store_rollback(ic->st) != 0) {
			snprintf(rep->reason, sizeof rep->reason,
			         "cannot write the store: %s",
			         store_error(ic->st));
			rc = ERR_DB;
		}
		rep->items = rep->new_items = 0;
	}
	return rc;
}

static void ingest_done(void *ctx, size_t index, const struct http_response *r)
{
	struct ingest_ctx *ic = ctx;
	struct ingest_job *job = &ic->jobs[index];
	struct ingest_source_report *rep = job->rep;
	struct store_fetch_result res;
	const char *failure = "failing";
	int rc = ERR_OK;

	rep->status = r->status;
	rep->bytes = r->wire_bytes;
	if (r->error != HTTP_OK) {
		snprintf(rep->reason, sizeof rep->reason, "%s", r->message);
		rc = ERR_NET;
	} else if (r->not_modified) {
		rep->not_modified = true;
	} else if (r->status < 200 || r->status >= 300) {
		snprintf(rep->reason, sizeof rep->reason, "HTTP %ld",
		         r->status);
		rc = ERR_NET;
	} else {
		rc = ingest_store_body(ic, job, r);
		if (rc == ERR_NOT_FEED)
			failure = "not a feed";
	}
	rep->ok = rc == ERR_OK;

	memset(&res, 0, sizeof res);
	res.name = job->src->name;
	res.url = job->src->url;
	res.kind = source_kind_name(job->src->kind);
	res.at = ic->s->now;
	res.ok = rep->ok;
	res.not_modified = rep->not_modified;
	res.status = r->status;
	res.error = rep->ok ? NULL : rep->reason;
	res.health = ingest_health(ic, job, rep->ok, failure);
	res.etag = r->etag;
	res.last_modified = r->last_modified;
	res.items_seen = rep->items;
	res.new_items = rep->new_items;
	res.title = job->feed_title;
	if (store_feed_record(ic->st, &res) != 0) {
		/* a failure's first reason is the one to see */
		if (rep->ok)
			snprintf(rep->reason, sizeof rep->reason,
			         "cannot write the store: %s",
			         store_error(ic->st));
		rep->ok = false;
	}
}

static void ingest_progress(void *ctx, const struct http_progress *p)
{
	struct ingest_ctx *ic = ctx;

	fprintf(stderr,
	        "\raidigest: fetch: %zu/%zu done, %.1f MB, %zu failed\033[K",
	        p->done, p->total, p->bytes / 1e6, p->failed);
	ic->progress_shown = true;
}

/* The source's row in the store, made and read before its fetch; 0, or
 * the store's error (store_error says why). */
static int ingest_feed_state(struct ingest_ctx *ic, const struct source *src,
                             struct ingest_job *job)
{
	int rc;

	rc = store_feed_ensure(ic->st, src->name, src->url,
	                       source_kind_name(src->kind));
	if (rc == ERR_OK)
		rc = store_feed_set_weight(ic->st, src->name, src->weight);
	if (rc == ERR_OK)
		rc = store_feed_set_display_name(ic->st, src->name, src->title);
	if (rc == ERR_OK)
		rc = store_feed_get(ic->st, src->name, &job->state);
	return rc;
}

/* Build the jobs: URL for the window, headers, validators; sources whose
 * token is missing are skipped with a reason. 0, or ERR_DB at the first
 * source the store cannot take (err says why): a store that cannot take
 * the sources' rows cannot take their items, and SQLite may have ended
 * the transaction already. */
static int ingest_prepare(struct ingest_ctx *ic, struct http_request *reqs,
                          struct buf *err)
{
	const struct ingest_settings *s = ic->s;
	char date[DATE_DAY_LEN];
	size_t i;

	date_format_day(s->now, s->tz_offset_sec, date);
	for (i = 0; i < s->sources->n; i++) {
		const struct source *src = &s->sources->v[i];
		struct ingest_source_report *rep = &ic->rep->per[ic->slot[i]];
		struct ingest_job *job = &ic->jobs[ic->njobs];
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
		if (ingest_feed_state(ic, src, job) != ERR_OK) {
			buf_printf(err, "cannot write the store: %s",
			           store_error(ic->st));
			api_headers_free(headers);
			store_feed_clear(&job->state);
			return ERR_DB;
		}
		job->headers = headers;
		job->url = source_url_for_window(src, date, s->now - 2 * 86400);
		reqs[ic->njobs].url = job->url;
		reqs[ic->njobs].etag = job->state.etag;
		reqs[ic->njobs].last_modified = job->state.last_modified;
		reqs[ic->njobs].headers = (const char *const *)job->headers;
		ic->njobs++;
	}
	return ERR_OK;
}

/* Place the sources and the lines skipped for an unset ${VAR} in
 * rep->per in file order (ic->slot says where each source goes); the
 * skipped ones are done: skipped, with the parser's reason. */
static void ingest_place(struct ingest_ctx *ic, const struct source_list *l)
{
	size_t i = 0, k = 0, at = 0;

	while (i < l->n || k < l->nskipped) {
		struct ingest_source_report *p = &ic->rep->per[at];

		if (k == l->nskipped ||
		    (i < l->n && l->v[i].line < l->skipped[k].line)) {
			ic->slot[i++] = at++;
			continue;
		}
		p->name = l->skipped[k].name;
		p->skipped = true;
		p->noticed = true;
		snprintf(p->reason, sizeof p->reason, "skipped: %s",
		         l->skipped[k].reason);
		k++;
		at++;
	}
}

/* The totals; a source left without an outcome (the fetch could not run)
 * is failed and says so. */
static void ingest_count(struct ingest_report *rep)
{
	size_t i;

	for (i = 0; i < rep->sources; i++) {
		struct ingest_source_report *p = &rep->per[i];

		if (!p->ok && !p->skipped && !p->reason[0])
			snprintf(p->reason, sizeof p->reason,
			         "not fetched: the fetch could not run");
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
}

/* The fetch itself: every source into the store, the report filled. */
static int ingest_fetch(struct store *st, const struct ingest_settings *s,
                        struct ingest_report *rep, struct buf *err)
{
	struct ingest_ctx ic;
	struct http_request *reqs;
	struct http_options hopt = s->http;
	size_t i, n = s->sources->n;
	int rc = ERR_OK;

	memset(&ic, 0, sizeof ic);
	ic.st = st;
	ic.s = s;
	ic.rep = rep;
	rep->sources = n + s->sources->nskipped;
	rep->per = xcalloc(rep->sources + 1, sizeof *rep->per);
	ic.jobs = xcalloc(n ? n : 1, sizeof *ic.jobs);
	ic.slot = xcalloc(n ? n : 1, sizeof *ic.slot);
	reqs = xcalloc(n ? n : 1, sizeof *reqs);
	ingest_place(&ic, s->sources);

	/* one transaction for the sources' rows, not one each */
	if (store_begin(st) != 0) {
		buf_printf(err, "cannot write the store: %s", store_error(st));
		rc = ERR_DB;
		goto out;
	}
	rc = ingest_prepare(&ic, reqs, err);
	if (rc == ERR_OK && store_commit(st) != 0) {
		buf_printf(err, "cannot write the store: %s", store_error(st));
		rc = ERR_DB;
	}
	if (rc != ERR_OK) {
		if (store_rollback(st) != 0)
			buf_printf(err, "; then %s", store_error(st));
		goto out;
	}
	hopt.done = ingest_done;
	hopt.progress = s->progress ? ingest_progress : NULL;
	hopt.ctx = &ic;
	ic.deadline_s =
	        hopt.deadline > 0 ? hopt.deadline : HTTP_DEFAULT_DEADLINE;
	ic.deadline = ingest_clock() + (double)ic.deadline_s;
	if (http_fetch_all(reqs, ic.njobs, &hopt, err) != 0)
		rc = ERR_NET;
	if (ic.progress_shown)
		fputs("\r\033[K", stderr);
out:
	ingest_count(rep);
	for (i = 0; i < ic.njobs; i++) {
		free(ic.jobs[i].url);
		api_headers_free(ic.jobs[i].headers);
		store_feed_clear(&ic.jobs[i].state);
		free(ic.jobs[i].feed_title);
	}
	free(ic.jobs);
	free(ic.slot);
	free(reqs);
	return rc;
}

int ingest_run(struct store *st, const struct ingest_settings *s,
               struct ingest_report *rep, struct buf *err)
{
	double t0 = ingest_clock();
	int rc;

	memset(rep, 0, sizeof *rep);
	rc = ingest_fetch(st, s, rep, err);
	if (rc == ERR_OK &&
	    ingest_stories_rebuild(st, s->now - INGEST_STORY_DAYS * 86400,
	                           s->now + 86400) != ERR_OK) {
		buf_printf(err, "cannot build stories: %s", store_error(st));
		rc = ERR_DB;
	}
	rep->seconds = ingest_clock() - t0;
	return rc;
}

void ingest_report_free(struct ingest_report *rep)
{
	if (!rep)
		return;
	free(rep->per);
	memset(rep, 0, sizeof *rep);
}

int ingest_stories_rebuild(struct store *st, int64_t from, int64_t to)
{
	return stories_rebuild(st, from, to) == 0 ? ERR_OK : ERR_DB;
}

int ingest_stories_load(struct store *st, int64_t from, int64_t to,
                        struct store_story **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (ingest_stories_rebuild(st, from, to) != ERR_OK ||
	    store_stories_window(st, from, to, out, n) != 0)
		return ERR_DB;
	return ERR_OK;
}
