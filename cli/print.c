#include "cli/print.h"

#include <stdlib.h>

#include <jansson.h>

#include "cli/cli.h"
#include "common/timeutil.h"
#include "fetch/feed.h"

static void print_json(FILE *fp, json_t *root)
{
	json_dumpf(root, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', fp);
	json_decref(root);
}

static json_t *json_str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *json_size(size_t v)
{
	return json_integer((json_int_t)v);
}

void cli_print_fetch_messages(const char *context, int verbosity,
                              const struct ingest_report *rep)
{
	size_t i;

	for (i = 0; i < rep->sources; i++) {
		const struct ingest_source_report *p = &rep->per[i];

		if (!p->ok && !p->skipped)
			cli_msg(context, "%s: %s", p->name, p->reason);
		else if (p->skipped && p->noticed)
			; /* said when the feeds file was read */
		else if (p->skipped && verbosity >= 0)
			cli_msg(context, "%s: %s", p->name, p->reason);
		else if (verbosity > 0)
			cli_msg(context, "%s: %s%ld items, %ld new", p->name,
			        p->not_modified ? "not modified, " : "",
			        p->items, p->new_items);
	}
	cli_msg(context,
	        "%zu sources: %zu ok (%zu not modified), %zu failed, %zu "
	        "skipped; %ld items, %ld new; %.1f MB in %.1f s",
	        rep->sources, rep->ok, rep->not_modified, rep->failed,
	        rep->skipped, rep->items, rep->new_items, rep->bytes / 1e6,
	        rep->seconds);
}

static json_t *fetch_source_json(const struct ingest_source_report *p)
{
	json_t *o = json_object();

	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "ok", json_boolean(p->ok));
	json_object_set_new(o, "skipped", json_boolean(p->skipped));
	json_object_set_new(o, "not_modified", json_boolean(p->not_modified));
	json_object_set_new(o, "status", json_integer(p->status));
	json_object_set_new(o, "items", json_integer(p->items));
	json_object_set_new(o, "new_items", json_integer(p->new_items));
	json_object_set_new(o, "bytes", json_size(p->bytes));
	json_object_set_new(o, "reason",
	                    p->ok ? json_null() : json_string(p->reason));
	return o;
}

void cli_print_fetch_json(FILE *fp, const struct ingest_report *rep)
{
	json_t *root = json_object(), *arr = json_array();
	size_t i;

	json_object_set_new(root, "sources", json_size(rep->sources));
	json_object_set_new(root, "ok", json_size(rep->ok));
	json_object_set_new(root, "not_modified", json_size(rep->not_modified));
	json_object_set_new(root, "failed", json_size(rep->failed));
	json_object_set_new(root, "skipped", json_size(rep->skipped));
	json_object_set_new(root, "items", json_integer(rep->items));
	json_object_set_new(root, "new_items", json_integer(rep->new_items));
	json_object_set_new(root, "bytes", json_size(rep->bytes));
	json_object_set_new(root, "seconds", json_real(rep->seconds));
	for (i = 0; i < rep->sources; i++)
		json_array_append_new(arr, fetch_source_json(&rep->per[i]));
	json_object_set_new(root, "per_source", arr);
	print_json(fp, root);
}

static void put_tsv_field(FILE *fp, const char *s)
{
	feed_tsv_escape(fp, s ? s : "");
}

void cli_print_items_tsv(FILE *fp, const struct store_story *stories, size_t n)
{
	char utc[TIME_UTC_LEN];
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < stories[i].nitems; j++) {
			const struct store_item_row *it = &stories[i].items[j];

			time_format_utc(it->time, utc);
			fprintf(fp, "%lld\t%d\t%s\t", (long long)stories[i].id,
			        stories[i].corroboration, utc);
			put_tsv_field(fp, it->feed_name);
			fputc('\t', fp);
			put_tsv_field(fp, it->title);
			fputc('\t', fp);
			put_tsv_field(fp, it->url);
			fputc('\n', fp);
		}
}

/* An engagement count, left out when the source gives none (< 0). */
static void json_set_count(json_t *o, const char *key, long long v)
{
	if (v >= 0)
		json_object_set_new(o, key, json_integer(v));
}

static json_t *item_json(const struct store_item_row *it)
{
	char utc[TIME_UTC_LEN];
	json_t *o = json_object();

	time_format_utc(it->time, utc);
	json_object_set_new(o, "source", json_string(it->feed_name));
	json_object_set_new(
	        o, "source_title",
	        json_string(it->feed_title ? it->feed_title : it->feed_name));
	json_object_set_new(o, "kind", json_str_or_null(it->kind));
	json_object_set_new(o, "title", json_str_or_null(it->title));
	json_object_set_new(o, "url", json_str_or_null(it->url));
	json_object_set_new(o, "canonical_url",
	                    json_str_or_null(it->canonical_url));
	json_object_set_new(o, "time", json_string(utc));
	json_object_set_new(o, "author", json_str_or_null(it->author));
	json_object_set_new(o, "summary", json_str_or_null(it->summary));
	json_set_count(o, "likes", it->likes);
	json_set_count(o, "reposts", it->reposts);
	json_set_count(o, "points", it->points);
	json_set_count(o, "stars", it->stars);
	json_set_count(o, "comments", it->comments);
	return o;
}

static json_t *story_json(const struct store_story *s)
{
	char utc[TIME_UTC_LEN];
	json_t *o = json_object(), *items = json_array();
	size_t j;

	time_format_utc(s->time, utc);
	json_object_set_new(o, "id", json_integer(s->id));
	json_object_set_new(o, "title", json_str_or_null(s->title));
	json_object_set_new(o, "url", json_str_or_null(s->canonical_url));
	json_object_set_new(o, "time", json_string(utc));
	json_object_set_new(o, "corroboration", json_integer(s->corroboration));
	for (j = 0; j < s->nitems; j++)
		json_array_append_new(items, item_json(&s->items[j]));
	json_object_set_new(o, "items", items);
	return o;
}

void cli_print_items_json(FILE *fp, const char *date, int tz_offset_sec,
                          const struct store_story *stories, size_t n)
{
	json_t *root = json_object(), *arr = json_array();
	char tz[16];
	size_t i;

	snprintf(tz, sizeof tz, "%c%02d:%02d", tz_offset_sec < 0 ? '-' : '+',
	         abs(tz_offset_sec) / 3600, abs(tz_offset_sec) / 60 % 60);
	json_object_set_new(root, "date", json_string(date));
	json_object_set_new(root, "timezone", json_string(tz));
	for (i = 0; i < n; i++)
		json_array_append_new(arr, story_json(&stories[i]));
	json_object_set_new(root, "stories", arr);
	print_json(fp, root);
}

static void feed_last_success(const struct store_feed *f,
                              char when[TIME_UTC_LEN])
{
	if (f->last_success)
		time_format_utc(f->last_success, when);
	else
		snprintf(when, TIME_UTC_LEN, "never");
}

/* Why a source is in the state check shows: its skip, else its last
 * error. */
static const char *feed_reason(const struct cli_feed_health *h)
{
	if (h->skipped)
		return h->skipped;
	return h->f.last_error;
}

void cli_print_feeds_table(FILE *fp, const struct cli_feed_health *v, size_t n)
{
	char when[TIME_UTC_LEN];
	size_t i;

	fprintf(fp, "%-24s %-20s %6s %6s %5s  %-13s %s\n", "SOURCE",
	        "LAST SUCCESS", "STATUS", "ITEMS", "FAILS", "HEALTH", "REASON");
	for (i = 0; i < n; i++) {
		const struct store_feed *f = &v[i].f;
		const char *reason = feed_reason(&v[i]);

		feed_last_success(f, when);
		fprintf(fp, "%-24s %-20s %6ld %6ld %5d  %-13s %s\n", v[i].name,
		        when, f->last_status, f->last_items,
		        f->consecutive_failures, v[i].health,
		        reason ? reason : "");
	}
}

void cli_print_feeds_json(FILE *fp, const struct cli_feed_health *v, size_t n)
{
	json_t *arr = json_array();
	char when[TIME_UTC_LEN];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct store_feed *f = &v[i].f;
		json_t *o = json_object();

		feed_last_success(f, when);
		json_object_set_new(o, "source", json_string(v[i].name));
		json_object_set_new(o, "last_success",
		                    f->last_success ? json_string(when)
		                                    : json_null());
		json_object_set_new(o, "status", json_integer(f->last_status));
		json_object_set_new(o, "items", json_integer(f->last_items));
		json_object_set_new(o, "items_total",
		                    json_integer(f->items_total));
		json_object_set_new(o, "consecutive_failures",
		                    json_integer(f->consecutive_failures));
		json_object_set_new(o, "health", json_string(v[i].health));
		json_object_set_new(o, "reason",
		                    json_str_or_null(feed_reason(&v[i])));
		json_array_append_new(arr, o);
	}
	print_json(fp, arr);
}
