#include "fetch/api.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "common/err.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "fetch/feed_impl.h"
#include "fetch/html.h"
#include "fetch/urlnorm.h"

/* The JSON APIs without a feed (fetch/api.h). Each is read by one
 * function from the parsed document into the feed builder the feed
 * parsers use; ../shared/reference/sources.md describes the APIs. */

#define API_MAX_URL 8192      /* longer links and ids are dropped */
#define API_MAX_TCO 64        /* entities.urls looked at per post */
#define API_MAX_AUTHORS 65536 /* bytes of a joined author list */
#define API_MAX_MESSAGE 200   /* bytes of an API's error message quoted */
#define API_TWEET_CODE_POINTS 280
#define API_MAX_UNIX 253402300799LL /* 9999-12-31T23:59:59Z */

/* Whether v is a non-empty JSON string; its value or NULL. */
static const char *api_str(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_string(v) && json_string_length(v) ? json_string_value(v)
	                                                  : NULL;
}

/* A count (likes, points, ...): a JSON number or a string of digits, as a
 * non-negative integer clamped to LLONG_MAX; -1 for anything else. All
 * numbers are read as reals (JSON_DECODE_INT_AS_REAL): huge ones load. */
static long long api_count(const json_t *v)
{
	double d;

	if (json_is_integer(v))
		return json_integer_value(v) < 0 ? -1 : json_integer_value(v);
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		long long n = 0;
		size_t i;

		for (i = 0; s[i]; i++) {
			if (s[i] < '0' || s[i] > '9')
				return -1;
			n = n > (LLONG_MAX - 9) / 10 ? LLONG_MAX
			                             : n * 10 + (s[i] - '0');
		}
		return i ? n : -1;
	}
	if (!json_is_real(v))
		return -1;
	d = json_real_value(v);
	if (!(d >= 0))
		return -1;
	/* 2^63 is the first double past LLONG_MAX */
	return d >= 9223372036854775808.0 ? LLONG_MAX : (long long)d;
}

/* An identifier: a non-empty string, or a whole number within the exact
 * range of a double. Caller frees; NULL when there is none. */
static char *api_id(const json_t *v)
{
	char num[32];
	double d;

	if (json_is_string(v) && json_string_length(v) &&
	    json_string_length(v) <= API_MAX_URL)
		return xstrdup(json_string_value(v));
	if (!json_is_real(v) && !json_is_integer(v))
		return NULL;
	d = json_number_value(v);
	if (!(d >= 0 && d <= 9007199254740992.0) || d != (double)(long long)d)
		return NULL;
	snprintf(num, sizeof num, "%lld", (long long)d);
	return xstrdup(num);
}

static bool api_is_digits(const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (s[i] < '0' || s[i] > '9' || i >= max)
			return false;
	return i > 0;
}

/* An X handle: 1 to 50 letters, digits or '_' (15 for new accounts). */
static size_t api_handle_len(const char *s)
{
	size_t i = 0;

	while (((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') ||
	       (s[i] >= '0' && s[i] <= '9') || s[i] == '_')
		i++;
	return i <= 50 ? i : 0;
}

static bool api_is_handle(const char *s)
{
	size_t n = api_handle_len(s);

	return n > 0 && s[n] == '\0';
}

/* An absolute http(s) URL of a bounded length without spaces or control
 * characters: what a link may be. */
static bool api_is_http_url(const char *s)
{
	size_t i;

	if (!s || (strncasecmp(s, "https://", 8) != 0 &&
	           strncasecmp(s, "http://", 7) != 0))
		return false;
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7F ||
		    i >= API_MAX_URL)
			return false;
	return true;
}

/* Set a text from s[0..n), cut on a character boundary at the text cap
 * (first wins). */
static void api_set_text(struct feed_builder *fb, struct feed_text *t,
                         const char *s, size_t n, enum feed_text_type type)
{
	if (!s || !n || t->raw)
		return;
	if (n > fb->max_text) {
		n = utf8_valid_prefix(s, fb->max_text);
		feed_builder_note(fb,
		                  "cut: a field longer than %zu bytes was "
		                  "truncated",
		                  fb->max_text);
	}
	t->raw = xstrndup(s, n);
	t->type = type;
}

static void api_set_text_str(struct feed_builder *fb, struct feed_text *t,
                             const char *s, enum feed_text_type type)
{
	if (s)
		api_set_text(fb, t, s, strlen(s), type);
}

static void api_set_link(struct feed_entry *e, const char *url)
{
	if (!e->link && api_is_http_url(url))
		e->link = xstrdup(url);
}

static void api_set_author(struct feed_person *p, const char *full,
                           const char *name)
{
	if (p->full || !full || !name)
		return;
	p->full = xstrndup(full, utf8_valid_prefix(full, strnlen(full, 1024)));
	p->name = xstrndup(name, utf8_valid_prefix(name, strnlen(name, 1024)));
}

/* An X handle as the author: "@handle", name "handle". */
static void api_set_handle(struct feed_person *p, const char *handle, size_t n)
{
	free(p->full);
	free(p->name);
	free(p->email);
	p->email = NULL;
	p->name = xstrndup(handle, n);
	p->full = xmalloc(n + 2);
	p->full[0] = '@';
	memcpy(p->full + 1, handle, n);
	p->full[n + 1] = '\0';
}

static void api_set_date(struct feed_builder *fb, struct feed_date *d,
                         const char *s)
{
	if (s && strlen(s) <= 256)
		feed_set_date(d, s, fb->opt->tz_offset_sec);
}

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

/* The error message of an API error body, "not a feed: WHO error: ...". */
static int api_error(struct buf *err, const char *who, const char *message)
{
	buf_printf(err, "not a feed: %s error: ", who);
	utf8_append_cut(err, message, API_MAX_MESSAGE);
	return ERR_NOT_FEED;
}

/* X API v2: {data:[post], includes:{users,tweets}, meta, errors}. */

static const struct {
	const char *ref;
	char c;
} x_entities[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}};

/* The length of the t.co link at p that urls (entities.urls) expands,
 * and its expansion in *to; 0 when there is none. Matched on the t.co
 * string: start and end count UTF-16 units, not bytes. */
static size_t x_tco_at(const char *p, const json_t *urls, const char **to)
{
	size_t i, n, best = 0;
	const json_t *u;

	json_array_foreach(urls, i, u)
	{
		const char *tco = api_str(u, "url"),
		           *exp = api_str(u, "expanded_url");
		char next;

		if (i >= API_MAX_TCO)
			break;
		if (!api_is_http_url(tco) || !api_is_http_url(exp))
			continue;
		n = strlen(tco);
		if (n <= best || strncmp(p, tco, n) != 0)
			continue;
		next = p[n];
		if ((next >= '0' && next <= '9') ||
		    ((next | 0x20) >= 'a' && (next | 0x20) <= 'z'))
			continue;
		best = n;
		*to = exp;
	}
	return best;
}

/* Append s[0..n), or as much of it as out's cap leaves room for, cut on
 * a character boundary; -1 when it was cut. */
static int api_append_cut(struct buf *out, const char *s, size_t n)
{
	size_t room;

	if (buf_append(out, s, n) == BUF_OK)
		return 0;
	room = out->max > out->len ? out->max - out->len : 0;
	buf_append(out, s, utf8_valid_prefix(s, n < room ? n : room));
	return -1;
}

/* The length of the escape at p and its character in *c; 0 when p
 * begins none of X's escapes. */
static size_t x_entity_at(const char *p, char *c)
{
	size_t i, n;

	for (i = 0; i < sizeof x_entities / sizeof *x_entities; i++) {
		n = strlen(x_entities[i].ref);
		if (strncmp(p, x_entities[i].ref, n) == 0) {
			*c = x_entities[i].c;
			return n;
		}
	}
	return 0;
}

/* Append a post's text with its t.co links expanded and X's three HTML
 * escapes decoded, in one pass (so "&amp;lt;" stays "&lt;"). Stops at
 * out's cap (which must be set: expansions multiply the length). */
static void x_expand(const char *text, const json_t *entities, struct buf *out)
{
	const json_t *urls = json_object_get(entities, "urls");
	const char *p = text, *to = NULL;
	size_t run, k;
	char c;

	while (*p) {
		run = strcspn(p, "&h");
		if (api_append_cut(out, p, run) != 0)
			return;
		p += run;
		if (!*p)
			break;
		k = 0;
		if (*p == 'h' && (k = x_tco_at(p, urls, &to)) > 0) {
			if (api_append_cut(out, to, strlen(to)) != 0)
				return;
			p += k;
			continue;
		}
		c = *p;
		k = *p == '&' ? x_entity_at(p, &c) : 0;
		if (buf_putc(out, c) != BUF_OK)
			return;
		p += k ? k : 1;
	}
}

/* A post's full text and its entities: a long post's note_tweet, else
 * text. */
static const char *x_post_text(const json_t *tw, const json_t **entities)
{
	const json_t *note = json_object_get(tw, "note_tweet");

	if (api_str(note, "text")) {
		*entities = json_object_get(note, "entities");
		return api_str(note, "text");
	}
	*entities = json_object_get(tw, "entities");
	return api_str(tw, "text");
}

/* The post a retweet repeats, from includes.tweets; NULL when it is no
 * retweet or the post was not included. */
static const json_t *x_retweeted(const json_t *tw, const json_t *tweets)
{
	const json_t *refs = json_object_get(tw, "referenced_tweets"), *r;
	const char *type, *id;
	size_t i;

	json_array_foreach(refs, i, r)
	{
		type = api_str(r, "type");
		id = api_str(r, "id");
		if (type && id && strcmp(type, "retweeted") == 0)
			return json_object_get(tweets, id);
	}
	return NULL;
}

/* The text of a post as a reader sees it. X cuts a retweet's text
 * ("RT @user: ...…"); the repeated post, when included, gives it whole. */
static void x_text(const json_t *tw, const json_t *tweets, struct buf *out)
{
	const json_t *entities, *orig = x_retweeted(tw, tweets), *oent;
	const char *text = x_post_text(tw, &entities), *otext, *colon;
	size_t handle;

	if (!text)
		return;
	if (orig && (otext = x_post_text(orig, &oent)) != NULL &&
	    strncmp(text, "RT @", 4) == 0 &&
	    (handle = api_handle_len(text + 4)) > 0 &&
	    strncmp(text + 4 + handle, ": ", 2) == 0) {
		colon = text + 4 + handle + 2;
		buf_append(out, text, (size_t)(colon - text));
		x_expand(otext, oent, out);
		return;
	}
	x_expand(text, entities, out);
}

static void x_post(struct feed_builder *fb, const json_t *tw,
                   const json_t *users, const json_t *tweets)
{
	struct feed_entry *e = feed_builder_begin_entry(fb);
	const json_t *metrics = json_object_get(tw, "public_metrics");
	const char *author_id = api_str(tw, "author_id"), *username = NULL;
	struct buf text = BUF_INIT(fb->max_text), link = BUF_INIT(0);
	char *id = api_id(json_object_get(tw, "id"));

	if (author_id)
		username =
		        api_str(json_object_get(users, author_id), "username");
	if (username && !api_is_handle(username))
		username = NULL;
	e->id = id;
	if (id && api_is_digits(id, 20)) {
		buf_printf(&link, "https://x.com/%s/status/%s",
		           username ? username : "i/web", id);
		e->link = buf_detach(&link);
	}
	if (username)
		api_set_handle(&e->author, username, strlen(username));
	x_text(tw, tweets, &text);
	/* the title is the post; the summary keeps it whole should the
	 * title be cut (api_normalize_tweet) */
	api_set_text(fb, &e->title, buf_cstr(&text), text.len, FEED_TEXT_TEXT);
	api_set_text(fb, &e->summary, buf_cstr(&text), text.len,
	             FEED_TEXT_TEXT);
	api_set_date(fb, &e->published, api_str(tw, "created_at"));
	e->likes = api_count(json_object_get(metrics, "like_count"));
	e->reposts = api_count(json_object_get(metrics, "retweet_count"));
	e->comments = api_count(json_object_get(metrics, "reply_count"));
	buf_free(&text);
	feed_builder_end_entry(fb);
}

/* The message of an X error body: errors[0].message or .detail, else the
 * problem's detail or title; NULL when there is none. */
static const char *x_error_message(const json_t *root)
{
	const json_t *e = json_array_get(json_object_get(root, "errors"), 0);
	const char *m = api_str(e, "message");

	if (!m)
		m = api_str(e, "detail");
	if (!m)
		m = api_str(root, "detail");
	if (!m)
		m = api_str(root, "title");
	return m;
}

/* An object of the array includes.KEY by its "id". */
static json_t *x_index(const json_t *root, const char *key)
{
	const json_t *list = json_object_get(json_object_get(root, "includes"),
	                                     key),
	             *v;
	json_t *index = json_object();
	size_t i;

	json_array_foreach(list, i, v)
	{
		const char *id = api_str(v, "id");

		if (id && json_is_object(v))
			json_object_set(index, id, (json_t *)v);
	}
	return index;
}

static int x_parse(struct feed_builder *fb, const json_t *root, struct buf *err)
{
	const json_t *data = json_object_get(root, "data"), *tw;
	json_t *users, *tweets;
	const char *m = x_error_message(root);
	size_t i;

	if (!json_is_object(root))
		return api_error(err, "X API",
		                 "the response is no JSON object");
	if (!json_is_array(data) && !json_is_object(data)) {
		if (m)
			return api_error(err, "X API", m);
		/* a timeline without posts has only meta */
		if (json_is_object(json_object_get(root, "meta")))
			return ERR_OK;
		return api_error(err, "X API", "no \"data\" in the response");
	}
	if (m) {
		struct buf quoted = BUF_INIT(0);

		utf8_append_cut(&quoted, m, API_MAX_MESSAGE);
		feed_builder_note(fb, "partial: the X API reported: %s",
		                  buf_cstr(&quoted));
		buf_free(&quoted);
	}
	users = x_index(root, "users");
	tweets = x_index(root, "tweets");
	if (json_is_object(data)) {
		x_post(fb, data, users, tweets);
	} else {
		json_array_foreach(data, i, tw)
		{
			if (fb->stopped)
				break;
			if (json_is_object(tw))
				x_post(fb, tw, users, tweets);
		}
	}
	json_decref(users);
	json_decref(tweets);
	return ERR_OK;
}

/* GitHub repository search: {total_count, incomplete_results, items}. */

static void github_repo(struct feed_builder *fb, const json_t *repo)
{
	struct feed_entry *e = feed_builder_begin_entry(fb);
	const char *name = api_str(repo, "full_name"),
	           *desc = api_str(repo, "description"),
	           *url = api_str(repo, "html_url"),
	           *login = api_str(json_object_get(repo, "owner"), "login");
	struct buf title = BUF_INIT(0); /* bounded by the document */

	if (name)
		buf_puts(&title, name);
	if (name && desc)
		buf_puts(&title, ": ");
	if (desc)
		buf_puts(&title, desc);
	api_set_text(fb, &e->title, buf_cstr(&title), title.len,
	             FEED_TEXT_TEXT);
	api_set_text_str(fb, &e->summary, desc, FEED_TEXT_TEXT);
	api_set_link(e, url);
	if (e->link)
		e->id = xstrdup(e->link);
	api_set_author(&e->author, login, login);
	api_set_date(fb, &e->published, api_str(repo, "created_at"));
	api_set_date(fb, &e->updated, api_str(repo, "pushed_at"));
	e->stars = api_count(json_object_get(repo, "stargazers_count"));
	buf_free(&title);
	feed_builder_end_entry(fb);
}

static int github_parse(struct feed_builder *fb, const json_t *root,
                        struct buf *err)
{
	const json_t *items = json_object_get(root, "items"), *repo;
	size_t i;

	if (!json_is_array(items)) {
		if (api_str(root, "message"))
			return api_error(err, "GitHub API",
			                 api_str(root, "message"));
		return api_error(err, "GitHub API",
		                 "no \"items\" array in the response");
	}
	if (json_is_true(json_object_get(root, "incomplete_results")))
		feed_builder_note(fb, "partial: the search timed out on "
		                      "GitHub's side; results are incomplete");
	json_array_foreach(items, i, repo)
	{
		if (fb->stopped)
			break;
		if (json_is_object(repo))
			github_repo(fb, repo);
	}
	return ERR_OK;
}

/* Hugging Face daily papers: [{paper:{id, title, summary, authors,
 * publishedAt, submittedOnDailyAt, upvotes}, title, numComments}]. */

/* An id that can be a path: letters, digits, "._-/", no "..", no '/'
 * first. */
static bool hf_is_safe_id(const char *s)
{
	size_t i;

	if (s[0] == '/' || strstr(s, ".."))
		return false;
	for (i = 0; s[i]; i++)
		if (!((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z') &&
		    !(s[i] >= '0' && s[i] <= '9') && !strchr("._-/", s[i]))
			return false;
	return i > 0 && i <= 64;
}

static void hf_authors(const json_t *paper, struct feed_person *p)
{
	const json_t *authors = json_object_get(paper, "authors"), *a;
	struct buf names = BUF_INIT(API_MAX_AUTHORS);
	const char *name;
	size_t i, mark;

	json_array_foreach(authors, i, a)
	{
		name = json_is_string(a) ? json_string_value(a)
		                         : api_str(a, "name");
		if (!name)
			continue;
		mark = names.len;
		if ((names.len && buf_puts(&names, ", ") != BUF_OK) ||
		    text_collapse_space(name, strlen(name), &names) != 0) {
			buf_truncate(&names, mark);
			break;
		}
		if (names.len == mark || names.len == mark + 2)
			buf_truncate(&names, mark); /* a name of spaces */
	}
	if (names.len)
		api_set_author(p, buf_cstr(&names), buf_cstr(&names));
	buf_free(&names);
}

static void hf_paper(struct feed_builder *fb, const json_t *item)
{
	struct feed_entry *e = feed_builder_begin_entry(fb);
	const json_t *paper = json_object_get(item, "paper");
	const char *id, *title, *summary, *date;
	char arxiv[40];
	struct buf url = BUF_INIT(API_MAX_URL);

	if (!json_is_object(paper))
		paper = item;
	id = api_str(paper, "id");
	title = api_str(item, "title") ? api_str(item, "title")
	                               : api_str(paper, "title");
	summary = api_str(paper, "summary") ? api_str(paper, "summary")
	                                    : api_str(item, "summary");
	api_set_text_str(fb, &e->title, title, FEED_TEXT_TEXT);
	api_set_text_str(fb, &e->summary, summary, FEED_TEXT_TEXT);
	if (id && hf_is_safe_id(id)) {
		buf_printf(&url, "https://huggingface.co/papers/%s", id);
		e->link = buf_detach(&url);
	}
	/* the arXiv abstract as the id ties the paper to arXiv's own items */
	if (id && url_arxiv_id(id, arxiv, sizeof arxiv)) {
		buf_printf(&url, "https://arxiv.org/abs/%s", arxiv);
		e->id = buf_detach(&url);
	} else if (e->link) {
		e->id = xstrdup(e->link);
	}
	hf_authors(paper, &e->author);
	/* the day the paper made the list, which is the day of this feed;
	 * publishedAt is its arXiv date, often days before */
	date = api_str(paper, "submittedOnDailyAt");
	if (!date)
		date = api_str(item, "submittedOnDailyAt");
	if (!date)
		date = api_str(paper, "publishedAt");
	if (!date)
		date = api_str(item, "publishedAt");
	api_set_date(fb, &e->published, date);
	e->likes = api_count(json_object_get(paper, "upvotes"));
	e->comments = api_count(json_object_get(item, "numComments"));
	buf_free(&url);
	feed_builder_end_entry(fb);
}

static int hf_parse(struct feed_builder *fb, const json_t *root,
                    struct buf *err)
{
	const json_t *item, *e = json_object_get(root, "error");
	size_t i;

	if (!json_is_array(root)) {
		if (json_is_string(e) && json_string_length(e))
			return api_error(err, "Hugging Face API",
			                 json_string_value(e));
		if (api_str(e, "message"))
			return api_error(err, "Hugging Face API",
			                 api_str(e, "message"));
		return api_error(err, "Hugging Face API",
		                 "the response is no JSON array");
	}
	json_array_foreach(root, i, item)
	{
		if (fb->stopped)
			break;
		if (json_is_object(item))
			hf_paper(fb, item);
	}
	return ERR_OK;
}

/* Hacker News through Algolia: {hits:[{objectID, title, url, author,
 * points, num_comments, created_at, created_at_i, story_text}]}. */

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

static int hn_parse(struct feed_builder *fb, const json_t *root,
                    struct buf *err)
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

static const struct api_kind {
	enum source_format format;
	const char *title; /* the feed's title */
	int (*parse)(struct feed_builder *fb, const json_t *root,
	             struct buf *err);
} api_kinds[] = {
        {SOURCE_FORMAT_X_API, "X", x_parse},
        {SOURCE_FORMAT_GITHUB_SEARCH, "GitHub search", github_parse},
        {SOURCE_FORMAT_HF_PAPERS, "Hugging Face daily papers", hf_parse},
        {SOURCE_FORMAT_HN_ALGOLIA, "Hacker News", hn_parse},
};

/* Load the body as JSON: a BOM skipped, invalid UTF-8 replaced (noted),
 * numbers as reals so that no count is too big to load. */
static int api_load(struct feed_builder *fb, const char *data, size_t n,
                    struct buf *clean, json_t **root, struct buf *err)
{
	json_error_t jerr;
	size_t i = 0, valid;
	long replaced;

	if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		n -= 3;
	}
	while (i < n && strchr(" \t\r\n", data[i]) && data[i])
		i++;
	if (i == n) {
		buf_puts(err, "not a feed: the document is empty");
		return ERR_NOT_FEED;
	}
	if (data[i] == '<') {
		buf_puts(err, "not a feed: an HTML or XML page where a JSON "
		              "API response was expected");
		return ERR_NOT_FEED;
	}
	valid = utf8_valid_prefix(data, n);
	if (valid < n) {
		clean->max = 3 * n + 64;
		replaced = utf8_sanitize_append(clean, data, n);
		fb->feed->recovered = true;
		feed_builder_note(fb,
		                  "recovered: %ld invalid UTF-8 sequences "
		                  "replaced",
		                  replaced);
		data = buf_cstr(clean);
		n = clean->len;
	}
	*root = json_loadb(data, n, JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL,
	                   &jerr);
	if (!*root) {
		buf_printf(err,
		           "not a feed: broken JSON at line %d: ", jerr.line);
		utf8_append_cut(err, jerr.text, sizeof jerr.text);
		return ERR_NOT_FEED;
	}
	return ERR_OK;
}

int api_parse(enum source_format format, const char *data, size_t n,
              const struct feed_options *opt, struct feed **out,
              struct buf *err)
{
	const struct api_kind *kind = NULL;
	struct buf clean = BUF_INIT(0);
	struct feed_builder fb;
	json_t *root = NULL;
	size_t i;
	int ret;

	*out = NULL;
	if (format == SOURCE_FORMAT_FEED)
		return feed_parse(data, n, opt, out, err);
	for (i = 0; i < sizeof api_kinds / sizeof *api_kinds; i++)
		if (api_kinds[i].format == format)
			kind = &api_kinds[i];
	if (!kind) {
		buf_printf(err, "unknown source format %d", (int)format);
		return ERR_USAGE;
	}
	ret = feed_builder_init(&fb, opt, n, err);
	if (ret != ERR_OK)
		return ret;
	snprintf(fb.feed->encoding, sizeof fb.feed->encoding, "utf-8");
	ret = api_load(&fb, data, n, &clean, &root, err);
	if (ret != ERR_OK)
		goto out;
	api_set_text_str(&fb, &fb.feed->title, kind->title, FEED_TEXT_TEXT);
	ret = kind->parse(&fb, root, err);
out:
	json_decref(root);
	buf_free(&clean);
	if (ret != ERR_OK) {
		if (fb.entry)
			feed_entry_clear(fb.entry);
		feed_free(fb.feed);
		return ret;
	}
	feed_text_finish(&fb.feed->title, fb.max_text);
	*out = fb.feed;
	return ERR_OK;
}

/* Request headers */

/* "NAME: VALUE" as a new string. */
static char *api_header(const char *name, const char *value)
{
	size_t a = strlen(name), b = strlen(value);
	char *h = xmalloc(a + 2 + b + 1);

	memcpy(h, name, a);
	memcpy(h + a, ": ", 2);
	memcpy(h + a + 2, value, b + 1);
	return h;
}

/* The token in the variable name: set, not empty, and nothing a header
 * line cannot carry (control characters, spaces); else NULL. */
static const char *api_token(const char *name)
{
	const char *t = name ? getenv(name) : NULL;
	size_t i;

	if (!t || !*t)
		return NULL;
	for (i = 0; t[i]; i++)
		if ((unsigned char)t[i] <= ' ' || t[i] == 0x7F)
			return NULL;
	return t;
}

static char *api_bearer(const char *token)
{
	size_t n = strlen(token);
	char *h = xmalloc(sizeof "Authorization: Bearer " + n);

	memcpy(h, "Authorization: Bearer ", sizeof "Authorization: Bearer ");
	memcpy(h + sizeof "Authorization: Bearer " - 1, token, n + 1);
	return h;
}

char **api_headers(const struct source *s, const char **missing)
{
	const char *name, *token;
	char **h = NULL;
	size_t n = 0;

	if (missing)
		*missing = NULL;
	if (!s)
		return NULL;
	switch (s->format) {
	case SOURCE_FORMAT_X_API:
		name = s->token_env ? s->token_env : "X_BEARER_TOKEN";
		token = api_token(name);
		if (!token) {
			if (missing)
				*missing = name;
			return NULL;
		}
		h = xcalloc(2, sizeof *h);
		h[n++] = api_bearer(token);
		break;
	case SOURCE_FORMAT_GITHUB_SEARCH:
		name = s->token_env ? s->token_env : "GITHUB_TOKEN";
		token = api_token(name);
		/* GitHub's token is optional, unless the line names one */
		if (!token && s->token_env) {
			if (missing)
				*missing = name;
			return NULL;
		}
		h = xcalloc(4, sizeof *h);
		h[n++] = api_header("Accept", "application/vnd.github+json");
		h[n++] = api_header("X-GitHub-Api-Version", "2022-11-28");
		if (token)
			h[n++] = api_bearer(token);
		break;
	default:
		break;
	}
	return h;
}

void api_headers_free(char **headers)
{
	size_t i;

	if (!headers)
		return;
	for (i = 0; headers[i]; i++) {
		/* a token does not outlive its use in freed memory */
		explicit_bzero(headers[i], strlen(headers[i]));
		free(headers[i]);
	}
	free(headers);
}

/* Tweets from RSS (RSSHub, Nitter) */

/* A post's link: http(s)://HOST/USER/status/ID or /i/web/status/ID on any
 * host (x.com, twitter.com, a Nitter). The handle ("i/web" for the
 * latter) and the id, or false. */
static bool tweet_link_parts(const char *link, const char **user,
                             size_t *user_len, const char **id, size_t *id_len)
{
	const char *p = link ? strstr(link, "://") : NULL;
	size_t n, k;

	if (!p || strncasecmp(link, "http", 4) != 0)
		return false;
	p += 3 + strcspn(p + 3, "/?#");
	if (*p != '/')
		return false;
	p++;
	*user = p;
	if (strncmp(p, "i/web/", 6) == 0) {
		*user_len = 5;
		p += 6;
	} else {
		n = api_handle_len(p);
		if (n == 0 || p[n] != '/')
			return false;
		*user_len = n;
		p += n + 1;
	}
	if (strncmp(p, "status/", 7) == 0)
		p += 7;
	else if (strncmp(p, "statuses/", 9) == 0)
		p += 9;
	else
		return false;
	for (k = 0; p[k] >= '0' && p[k] <= '9'; k++)
		;
	if (k == 0 || k > 20 || !strchr("/?#", p[k]))
		return false;
	*id = p;
	*id_len = k;
	return true;
}

/* The handle a feed title names: "Twitter @OpenAI" -> OpenAI. */
static bool tweet_title_handle(const char *title, const char **h, size_t *n)
{
	const char *at = title ? strchr(title, '@') : NULL;

	while (at) {
		*n = api_handle_len(at + 1);
		if (*n) {
			*h = at + 1;
			return true;
		}
		at = strchr(at + 1, '@');
	}
	return false;
}

/* Bytes of t before a trailing ellipsis ("…" or "..."), or 0 when t has
 * none: the title was cut. */
static size_t tweet_cut_at(const char *t)
{
	size_t n = strlen(t);

	if (n >= 3 && strcmp(t + n - 3, "\xE2\x80\xA6") == 0)
		return n - 3;
	if (n >= 3 && strcmp(t + n - 3, "...") == 0)
		return n - 3;
	return 0;
}

/* The plain text of the post: the title's, or the description's when the
 * title is empty or was cut and the description goes on from it. */
static const char *tweet_text(struct feed_entry *e)
{
	const char *t = e->title.text, *d = e->summary.text;
	size_t keep, probe;

	if ((!d || !*d) && e->ncontent)
		d = e->content[0].text;
	if (!t || !*t)
		return d;
	keep = tweet_cut_at(t);
	if (!keep || !d || strlen(d) <= keep)
		return t;
	probe = utf8_valid_prefix(t, keep < 32 ? keep : 32);
	return probe && memmem(d, strlen(d), t, probe) ? d : t;
}

void api_normalize_tweet(struct feed_entry *e, const char *feed_title)
{
	const char *user = NULL, *id, *text;
	size_t user_len = 0, id_len, n;
	struct buf b = BUF_INIT(0);

	if (!e)
		return;
	feed_text_finish(&e->title, FEED_DEFAULT_MAX_TEXT);
	feed_text_finish(&e->summary, FEED_DEFAULT_MAX_TEXT);
	if (tweet_link_parts(e->link, &user, &user_len, &id, &id_len)) {
		buf_puts(&b, "https://x.com/");
		buf_append(&b, user, user_len);
		buf_puts(&b, "/status/");
		buf_append(&b, id, id_len);
		if (user_len == 5 && strncmp(user, "i/web", 5) == 0)
			user = NULL;
		if (user)
			api_set_handle(&e->author, user, user_len);
		free(e->link);
		e->link = buf_detach(&b);
	} else {
		user = NULL;
	}
	if (!user && tweet_title_handle(feed_title, &user, &user_len))
		api_set_handle(&e->author, user, user_len);

	text = tweet_text(e);
	if (!text)
		return;
	text_collapse_space(text, strlen(text), &b);
	if (utf8_count(b.data ? b.data : "", b.len) > API_TWEET_CODE_POINTS) {
		n = utf8_prefix_bytes(buf_cstr(&b), API_TWEET_CODE_POINTS - 1);
		while (n && b.data[n - 1] == ' ')
			n--;
		buf_truncate(&b, n);
		buf_puts(&b, "\xE2\x80\xA6");
	}
	feed_text_clear(&e->title);
	e->title.type = FEED_TEXT_TEXT;
	e->title.text = xstrdup(buf_cstr(&b));
	e->title.raw = buf_detach(&b);
	buf_free(&b);
}
