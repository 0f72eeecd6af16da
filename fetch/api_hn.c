#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "common/err.h"
#include "common/xalloc.h"
#include "fetch/api_impl.h"

/* Hacker News through Algolia: {hits:[{objectID, title, url, author,
 * points, num_comments, created_at, created_at_i, story_text}]}, a story
 * (or a comment) an entry. */

#define API_MAX_UNIX 253402300799LL /* 9999-12-31T23:59:59Z */

/* Unix seconds (HN's created_at_i) as a date; false when v is none. */
static bool api_set_unix_date(struct feed_date *d, const json_t *v)
{
	char num[32];
	long long t;

	if (d->raw || !json_is_number(v))
		return false;
	t = api_count(v);
	if (t < 0 || t > API_MAX_UNIX)
		return false;
	snprintf(num, sizeof num, "%lld", t);
	d->raw = xstrdup(num);
	d->time = t;
	d->known = true;
	return true;
}

static void hn_hit(struct feed_builder *fb, const json_t *hit)
{
	struct feed_entry *e = feed_builder_begin_entry(fb);
	char *id = api_id(json_object_get(hit, "objectID"));
	const char *title = api_str(hit, "title"),
	           *text = api_str(hit, "story_text"),
	           *author = api_str(hit, "author");

	if (!title)
		title = api_str(hit, "story_title");
	if (!text)
		text = api_str(hit, "comment_text");
	api_set_text_str(fb, &e->title, title, FEED_TEXT_TEXT);
	api_set_text_str(fb, &e->summary, text, FEED_TEXT_HTML);
	if (id && api_is_digits(id, 20)) {
		struct buf item = BUF_INIT(0);

		buf_printf(&item, "https://news.ycombinator.com/item?id=%s",
		           id);
		e->id = buf_detach(&item);
	}
	api_set_link(e, api_str(hit, "url"));
	if (!e->link && e->id)
		e->link = xstrdup(e->id);
	api_set_author(&e->author, author, author);
	if (!api_set_unix_date(&e->published,
	                       json_object_get(hit, "created_at_i")))
		api_set_date(fb, &e->published, api_str(hit, "created_at"));
	e->points = api_count(json_object_get(hit, "points"));
	e->comments = api_count(json_object_get(hit, "num_comments"));
	free(id);
	feed_builder_end_entry(fb);
}

int api_hn_parse(struct feed_builder *fb, const json_t *root, struct buf *err)
{
	const json_t *hits = json_object_get(root, "hits"), *hit;
	size_t i;

	if (!json_is_array(hits)) {
		if (api_str(root, "message"))
			return api_error(err, "Algolia API",
			                 api_str(root, "message"));
		return api_error(err, "Algolia API",
		                 "no \"hits\" array in the response");
	}
	json_array_foreach(hits, i, hit)
	{
		if (fb->stopped)
			break;
		if (json_is_object(hit))
			hn_hit(fb, hit);
	}
	return ERR_OK;
}
