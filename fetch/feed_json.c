#include <inttypes.h>
#include <string.h>

#include <jansson.h>
#include <libxml/uri.h>

#include "common/err.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "fetch/feed_impl.h"
#include "fetch/html.h"

/* JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1). */

static const char *json_str(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_string(v) && json_string_length(v) ? json_string_value(v)
	                                                  : NULL;
}

static char *json_resolve(const struct feed_builder *fb, const char *uri)
{
	return feed_resolve_uri(uri, fb->opt->url);
}

/* JSON Feed's plain-text fields often carry HTML entities ("&#8211;")
 * from the CMS that wrote them: those are read as HTML. */
static void json_set_text(struct feed_builder *fb, struct feed_text *t,
                          const char *s, enum feed_text_type type)
{
	if (!s || t->raw)
		return;
	feed_builder_set_text(fb, t, s, strlen(s), type);
	if (t->raw && type == FEED_TEXT_TEXT && html_looks_like(s, strlen(s)))
		t->type = FEED_TEXT_HTML;
}

/* JSON Feed 1.1 "authors", 1.0 "author": the first one. */
static void json_author(struct feed_person *p, const json_t *obj)
{
	const json_t *authors = json_object_get(obj, "authors");
	const json_t *a = json_is_array(authors)
	                          ? json_array_get(authors, 0)
	                          : json_object_get(obj, "author");
	const char *name;

	if (!json_is_object(a) || p->full)
		return;
	name = json_str(a, "name");
	if (name) {
		p->full = xstrdup(name);
		p->name = xstrdup(name);
	}
}

static void json_item(struct feed_builder *fb, const json_t *item)
{
	struct feed_entry *e = feed_builder_begin_entry(fb);
	const json_t *id = json_object_get(item, "id");
	const json_t *atts = json_object_get(item, "attachments");
	const char *url = json_str(item, "url");
	const json_t *att;
	size_t i;

	if (json_is_string(id))
		e->id = xstrdup(json_string_value(id));
	else if (json_is_integer(id)) {
		char num[32];

		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
		         json_integer_value(id));
		e->id = xstrdup(num);
	}
	if (!url)
		url = json_str(item, "external_url");
	if (url)
		e->link = json_resolve(fb, url);
	json_set_text(fb, &e->title, json_str(item, "title"), FEED_TEXT_TEXT);
	json_set_text(fb, &e->summary, json_str(item, "summary"),
	              FEED_TEXT_TEXT);
	if (json_str(item, "content_html"))
		json_set_text(fb, feed_entry_add_content(e),
		              json_str(item, "content_html"), FEED_TEXT_HTML);
	if (json_str(item, "content_text"))
		json_set_text(fb, feed_entry_add_content(e),
		              json_str(item, "content_text"), FEED_TEXT_TEXT);
	if (json_str(item, "date_published"))
		feed_set_date(&e->published, json_str(item, "date_published"),
		              fb->opt->tz_offset_sec);
	if (json_str(item, "date_modified"))
		feed_set_date(&e->updated, json_str(item, "date_modified"),
		              fb->opt->tz_offset_sec);
	json_author(&e->author, item);
	json_array_foreach(atts, i, att)
	{
		struct feed_enclosure *enc;
		const json_t *size;

		if (!json_is_object(att) || !json_str(att, "url"))
			continue;
		enc = feed_entry_add_enclosure(e);
		enc->url = json_resolve(fb, json_str(att, "url"));
		if (json_str(att, "mime_type"))
			enc->type = xstrdup(json_str(att, "mime_type"));
		size = json_object_get(att, "size_in_bytes");
		if (json_is_integer(size)) {
			char num[32];

			snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
			         json_integer_value(size));
			enc->length = xstrdup(num);
		}
	}
	feed_builder_end_entry(fb);
}

/* Why a JSON document is not a feed, as an error message. */
static void json_not_feed(const json_t *root, struct buf *err)
{
	const char *m = NULL;
	const json_t *e;

	if (!json_is_object(root)) {
		buf_puts(err, "not a feed: JSON without a JSON Feed object");
		return;
	}
	e = json_object_get(root, "error");
	if (json_is_object(e))
		m = json_str(e, "message");
	else if (json_is_string(e))
		m = json_string_value(e);
	if (!m)
		m = json_str(root, "message");
	if (m) {
		buf_puts(err, "not a feed: a JSON error body: ");
		utf8_append_cut(err, m, 200);
	} else
		buf_puts(err, "not a feed: JSON without a JSON Feed version");
}

int feed_json_parse(struct feed_builder *fb, const char *data, size_t n,
                    struct buf *err)
{
	struct feed *feed = fb->feed;
	json_error_t jerr;
	json_t *root, *items, *item;
	const char *version;
	size_t i;

	root = json_loadb(data, n, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		buf_printf(err,
		           "not a feed: broken JSON at line %d: ", jerr.line);
		utf8_append_cut(err, jerr.text, sizeof jerr.text);
		return ERR_NOT_FEED;
	}
	version = json_is_object(root) ? json_str(root, "version") : NULL;
	if (!version ||
	    strncmp(version, "https://jsonfeed.org/version/", 29) != 0) {
		json_not_feed(root, err);
		json_decref(root);
		return ERR_NOT_FEED;
	}
	feed->format = strcmp(version + 29, "1") == 0 ? FEED_FORMAT_JSON10
	                                              : FEED_FORMAT_JSON11;
	json_set_text(fb, &feed->title, json_str(root, "title"),
	              FEED_TEXT_TEXT);
	json_set_text(fb, &feed->subtitle, json_str(root, "description"),
	              FEED_TEXT_TEXT);
	if (json_str(root, "home_page_url"))
		feed->link = json_resolve(fb, json_str(root, "home_page_url"));
	if (json_str(root, "feed_url"))
		feed->id = xstrdup(json_str(root, "feed_url"));
	json_author(&feed->author, root);
	items = json_object_get(root, "items");
	json_array_foreach(items, i, item)
	{
		if (fb->stopped)
			break;
		if (json_is_object(item))
			json_item(fb, item);
	}
	json_decref(root);
	return ERR_OK;
}
