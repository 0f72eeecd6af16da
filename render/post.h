#ifndef AIDIGEST_POST_H
#define AIDIGEST_POST_H

#include <stddef.h>

#include <jansson.h>

#include "common/buf.h"
#include "common/err.h"
#include "render/publish.h"
#include "summarize/writer.h"

/* The post: the template's data from the writer's text and the selected
 * stories, the rendering (markdown escaping for every value; front-matter
 * values written as YAML by escape_yaml, dates as days), and what the post
 * must contain to be published (front-matter fields, sections, the
 * allowed links). */

enum post_preset { POST_HOODIE = 0, POST_HUGO, POST_JEKYLL };

/* A selected story, in rank order. */
struct post_item {
	const char *title;  /* as written, for the Overview when the writer
	                     * gives none */
	const char *url;    /* the item's link (http or https) */
	const char *source; /* its source's name */
	int category;       /* index into the categories, or -1 */
	const struct writer_piece *piece; /* the writer's text for it */
};

/* What was read for the post: the reading figures the template shows
 * ({{reading.sources}} and the rest). */
struct post_reading {
	size_t sources;  /* distinct sources of the day's items */
	size_t items;    /* the items of the day's window */
	size_t stories;  /* the stories they make that the panel considered */
	size_t selected; /* the stories in the post */
	size_t words;    /* in those items' titles and texts */
};

struct post_spec {
	const char *date;       /* the digest's day, YYYY-MM-DD */
	const char *first_date; /* the day it was first published (kept) */
	const char *update;     /* today, YYYY-MM-DD */
	enum post_preset preset;
	const char *series; /* hoodie's series, or NULL */
	const struct writer_output *w;
	const struct writer_category *cats;
	size_t ncats;
	const struct post_item *items;
	size_t nitems;
	struct post_reading reading;
};

/* "hoodie", "hugo", "jekyll" into *out: 0, or ERR_NOT_FOUND (*out
 * untouched) for another name or NULL. */
MUST_CHECK int post_preset_parse(const char *name, enum post_preset *out);
/* The default output pattern of a preset. */
const char *post_default_output(enum post_preset p);

/* Words in s: runs of bytes other than ASCII white space (a Korean
 * eojeol is one word). NULL has none. */
size_t post_count_words(const char *s);

/* The reading time of the day's items and what the post saves of it, in
 * whole minutes (the model is in post.c). */
void post_reading_minutes(const struct post_spec *spec, size_t *read,
                          size_t *saved);

/* The template's data: fm (the front-matter's values as YAML), date,
 * intro, viewpoint, overview_title, categories with their stories, and
 * reading (sources, items, stories, selected, words, minutes_read,
 * minutes_saved, time_read and time_saved: the minutes in Korean, "1시간
 * 5분", and saves_time: minutes_saved > 0). Caller json_decref()s it.
 */
json_t *post_data(const struct post_spec *spec);

/* Render tmpl with the spec's data into out. 0, or mustache_render's
 * ERR_PARSE or ERR_LIMIT (err says why). */
MUST_CHECK int post_render(const char *tmpl, size_t n,
                           const struct post_spec *spec, struct buf *out,
                           struct buf *err);

/* What the front-matter must parse back to (strings owned by the
 * returned array; free with post_fields_free). */
struct publish_field *post_fields(const struct post_spec *spec, size_t *n);
void post_fields_free(struct publish_field *f, size_t n);

/* The links the post may carry: the items' URLs as escape_url writes
 * them, NULL-ended; free with post_urls_free. */
char **post_allowed_urls(const struct post_spec *spec);
void post_urls_free(char **urls);

/* A post's front-matter read back with render's reader (the YAML subset
 * the project writes; quoted values unescaped): 0 with one field a value
 * (a list's items one each, in order; free with post_fields_free) and
 * the body's offset in *body; ERR_NOT_FOUND (*body 0) when the post has
 * no front-matter; ERR_PARSE when it does not read. */
MUST_CHECK int post_front_matter_read(const char *post, size_t n,
                                      struct publish_field **fields,
                                      size_t *nfields, size_t *body);

/* The headings the post must have, in order, NULL-ended. */
extern const char *const post_sections[];

#endif
