#include "render/post.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "render/escape.h"
#include "render/frontmatter.h"
#include "render/mustache.h"

/* The reading speed of the reading figures: 238 words a minute, the
 * mean of silent reading of English non-fiction in Brysbaert's
 * meta-analysis (2019); a Korean eojeol counts as a word. */
#define POST_WORDS_PER_MINUTE 238

const char *const post_sections[] = {"## Today's Preview", "### AI Viewpoint",
                                     "## Today's Overview", NULL};

static const struct {
	const char *name;
	const char *output;
} post_presets[] = {
        [POST_HOODIE] = {"hoodie", "content/posts/{date}-ai-news/index.md"},
        [POST_HUGO] = {"hugo", "content/posts/{date}-ai-news.md"},
        [POST_JEKYLL] = {"jekyll", "_posts/{date}-ai-news.md"},
};

int post_preset_parse(const char *name, enum post_preset *out)
{
	size_t i;

	for (i = 0; name && i < sizeof post_presets / sizeof *post_presets; i++)
		if (strcmp(post_presets[i].name, name) == 0) {
			*out = (enum post_preset)i;
			return ERR_OK;
		}
	return ERR_NOT_FOUND;
}

const char *post_default_output(enum post_preset p)
{
	return post_presets[p].output;
}

/* A value written as a YAML scalar. */
static json_t *post_yaml(const char *s)
{
	struct buf b = BUF_INIT(0);
	json_t *v;

	escape_yaml(&b, s ? s : "", s ? strlen(s) : 0);
	v = json_string(buf_cstr(&b));
	buf_free(&b);
	return v;
}

static json_t *post_url(const char *url)
{
	struct buf b = BUF_INIT(0);
	json_t *v;

	if (!url || escape_url(&b, url) != 0) {
		buf_free(&b);
		return json_string("");
	}
	v = json_string(buf_cstr(&b));
	buf_free(&b);
	return v;
}

static const char *post_heading(const struct post_spec *spec, int c)
{
	const struct writer_output *w = spec->w;

	if (c < 0)
		return "기타";
	if ((size_t)c < w->nheadings && w->headings[c] && *w->headings[c])
		return w->headings[c];
	return spec->cats[c].label;
}

static json_t *post_front_matter(const struct post_spec *spec)
{
	const struct writer_output *w = spec->w;
	json_t *fm = json_object(), *tags = json_array();
	size_t i;

	json_object_set_new(fm, "title", post_yaml(w->title));
	json_object_set_new(fm, "description", post_yaml(w->description));
	json_object_set_new(fm, "date", json_string(spec->first_date));
	json_object_set_new(fm, "update", json_string(spec->update));
	for (i = 0; i < w->ntags; i++)
		json_array_append_new(tags, post_yaml(w->tags[i]));
	json_object_set_new(fm, "tags", tags);
	if (spec->series && *spec->series)
		json_object_set_new(fm, "series", post_yaml(spec->series));
	return fm;
}

size_t post_count_words(const char *s)
{
	size_t n = 0;
	bool in_word = false;

	for (; s && *s; s++) {
		bool space = *s == ' ' || (*s >= '\t' && *s <= '\r');

		n += !space && !in_word;
		in_word = !space;
	}
	return n;
}

/* The words of the writer's text the post carries. */
static size_t post_words(const struct post_spec *spec)
{
	const struct writer_output *w = spec->w;
	size_t n, i;

	n = post_count_words(w->title) + post_count_words(w->description) +
	    post_count_words(w->intro) + post_count_words(w->viewpoint) +
	    post_count_words(w->overview_title);
	for (i = 0; i < spec->nitems; i++) {
		const struct writer_piece *p = spec->items[i].piece;

		n += post_count_words(p && p->title && *p->title
		                              ? p->title
		                              : spec->items[i].title);
		if (p)
			n += post_count_words(p->oneliner) +
			     post_count_words(p->summary);
	}
	return n;
}

/* The model: the day's items as the feeds give them (each title and
 * text, read at the speed above) are what a reader would read without
 * the post; the post's own text is what they read instead. The feeds'
 * texts are abstracts and the pages behind them longer, so the time
 * saved is a floor. Minutes are rounded to the nearest; never below 0. */
void post_reading_minutes(const struct post_spec *spec, size_t *read,
                          size_t *saved)
{
	size_t wpm = POST_WORDS_PER_MINUTE, own = post_words(spec);
	size_t all = spec->reading.words;

	*read = (all + wpm / 2) / wpm;
	*saved = all > own ? (all - own + wpm / 2) / wpm : 0;
}

/* Minutes in Korean: "45분", "2시간", "2시간 5분". */
static json_t *post_korean_minutes(size_t minutes)
{
	char text[64];

	if (minutes < 60)
		snprintf(text, sizeof text, "%zu분", minutes);
	else if (minutes % 60 == 0)
		snprintf(text, sizeof text, "%zu시간", minutes / 60);
	else
		snprintf(text, sizeof text, "%zu시간 %zu분", minutes / 60,
		         minutes % 60);
	return json_string(text);
}

static json_t *post_reading_data(const struct post_spec *spec)
{
	const struct post_reading *r = &spec->reading;
	json_t *o = json_object();
	size_t read, saved;

	post_reading_minutes(spec, &read, &saved);
	json_object_set_new(o, "sources", json_integer((json_int_t)r->sources));
	json_object_set_new(o, "items", json_integer((json_int_t)r->items));
	json_object_set_new(o, "stories", json_integer((json_int_t)r->stories));
	json_object_set_new(o, "selected",
	                    json_integer((json_int_t)r->selected));
	json_object_set_new(o, "words", json_integer((json_int_t)r->words));
	json_object_set_new(o, "minutes_read", json_integer((json_int_t)read));
	json_object_set_new(o, "minutes_saved",
	                    json_integer((json_int_t)saved));
	json_object_set_new(o, "time_read", post_korean_minutes(read));
	json_object_set_new(o, "time_saved", post_korean_minutes(saved));
	json_object_set_new(o, "saves_time", json_boolean(saved > 0));
	return o;
}

json_t *post_data(const struct post_spec *spec)
{
	const struct writer_output *w = spec->w;
	json_t *root = json_object(), *cats = json_array();
	bool *done = xcalloc(spec->nitems + 1, sizeof *done);
	size_t j, k, number = 0;

	json_object_set_new(root, post_presets[spec->preset].name, json_true());
	json_object_set_new(root, "fm", post_front_matter(spec));
	json_object_set_new(root, "date", json_string(spec->date));
	json_object_set_new(root, "intro",
	                    json_string(w->intro ? w->intro : ""));
	json_object_set_new(root, "viewpoint",
	                    json_string(w->viewpoint ? w->viewpoint : ""));
	json_object_set_new(
	        root, "overview_title",
	        json_string(w->overview_title ? w->overview_title : ""));
	json_object_set_new(root, "reading", post_reading_data(spec));
	/* categories in the order their best story ranks; the stories
	 * without one ("기타") last, after every named category */
	for (j = 0; j < 2 * spec->nitems; j++) {
		size_t i = j % spec->nitems;
		int c = spec->items[i].category;
		json_t *cat, *stories;

		if (done[i] || (c < 0) != (j >= spec->nitems))
			continue;
		cat = json_object();
		stories = json_array();
		json_object_set_new(cat, "number",
		                    json_integer((json_int_t)++number));
		json_object_set_new(cat, "heading",
		                    json_string(post_heading(spec, c)));
		for (k = i; k < spec->nitems; k++) {
			const struct post_item *it = &spec->items[k];
			const struct writer_piece *p = it->piece;
			json_t *s;

			if (done[k] || it->category != c)
				continue;
			done[k] = true;
			s = json_object();
			json_object_set_new(
			        s, "title",
			        json_string(p && p->title && *p->title
			                            ? p->title
			                    : it->title ? it->title
			                                : ""));
			json_object_set_new(s, "oneliner",
			                    json_string(p && p->oneliner
			                                        ? p->oneliner
			                                        : ""));
			json_object_set_new(
			        s, "summary",
			        json_string(p && p->summary ? p->summary : ""));
			json_object_set_new(
			        s, "source",
			        json_string(it->source ? it->source : ""));
			json_object_set_new(s, "url", post_url(it->url));
			json_array_append_new(stories, s);
		}
		json_object_set_new(cat, "stories", stories);
		json_array_append_new(cats, cat);
	}
	json_object_set_new(root, "categories", cats);
	free(done);
	return root;
}

int post_render(const char *tmpl, size_t n, const struct post_spec *spec,
                struct buf *out, struct buf *err)
{
	struct mustache_options mo;
	json_t *data = post_data(spec);
	int rc;

	memset(&mo, 0, sizeof mo);
	mo.escape = escape_markdown;
	rc = mustache_render(tmpl, n, data, &mo, out, err);
	json_decref(data);
	return rc;
}

static void post_field(struct publish_field **v, size_t *n, const char *key,
                       const char *value)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[*n].key = xstrdup(key);
	(*v)[*n].value = xstrdup(value ? value : "");
	(*n)++;
}

struct publish_field *post_fields(const struct post_spec *spec, size_t *n)
{
	const struct writer_output *w = spec->w;
	struct publish_field *v = NULL;
	size_t i;

	*n = 0;
	if (spec->preset == POST_JEKYLL) {
		post_field(&v, n, "layout", "post");
		post_field(&v, n, "title", w->title);
		post_field(&v, n, "date", spec->first_date);
		post_field(&v, n, "last_modified_at", spec->update);
	} else {
		post_field(&v, n, "title", w->title);
		post_field(&v, n, "description", w->description);
		post_field(&v, n, "date", spec->first_date);
		post_field(&v, n,
		           spec->preset == POST_HUGO ? "lastmod" : "update",
		           spec->update);
	}
	for (i = 0; i < w->ntags; i++)
		post_field(&v, n, "tags", w->tags[i]);
	if (spec->preset == POST_HOODIE && spec->series && *spec->series)
		post_field(&v, n, "series", spec->series);
	if (spec->preset == POST_HUGO)
		post_field(&v, n, "draft", "false");
	return v;
}

int post_front_matter_read(const char *post, size_t n,
                           struct publish_field **fields, size_t *nfields,
                           size_t *body)
{
	struct frontmatter fm = FRONTMATTER_INIT;
	const char *why;
	size_t fm_end, line, k, at;
	int rc;

	*fields = NULL;
	*nfields = 0;
	*body = 0;
	rc = frontmatter_bounds(post, n, &fm_end, body);
	if (rc != 0) {
		*body = 0;
		return rc;
	}
	if (frontmatter_parse(&fm, post + 4, fm_end - 4, 2, &line, &why) != 0) {
		frontmatter_free(&fm);
		return ERR_PARSE;
	}
	for (k = 0; k < fm.nkeys; k++)
		for (at = fm.keys[k].first;
		     at < fm.keys[k].first + fm.keys[k].count; at++)
			post_field(fields, nfields,
			           frontmatter_string(&fm, fm.keys[k].key),
			           frontmatter_string(&fm, fm.values[at]));
	frontmatter_free(&fm);
	return ERR_OK;
}

void post_fields_free(struct publish_field *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free((char *)f[i].key);
		free((char *)f[i].value);
	}
	free(f);
}

char **post_allowed_urls(const struct post_spec *spec)
{
	char **v = xcalloc(spec->nitems + 1, sizeof *v);
	size_t i, k = 0;

	for (i = 0; i < spec->nitems; i++) {
		struct buf b = BUF_INIT(0);

		if (spec->items[i].url &&
		    escape_url(&b, spec->items[i].url) == 0)
			v[k++] = buf_detach(&b);
		buf_free(&b);
	}
	return v;
}

void post_urls_free(char **urls)
{
	size_t i;

	for (i = 0; urls && urls[i]; i++)
		free(urls[i]);
	free(urls);
}
