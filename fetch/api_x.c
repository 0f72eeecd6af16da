#include "fetch/api.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/ascii.h"
#include "common/err.h"
#include "common/utf8.h"
#include "common/xalloc.h"
#include "fetch/api_impl.h"
#include "fetch/html.h"

/* X: the API v2's posts, {data:[post], includes:{users,tweets}, meta,
 * errors} (api_x_parse), and posts that came through RSS normalized into
 * the same shape (api_normalize_tweet). */

#define API_MAX_TCO 64 /* entities.urls looked at per post */
#define API_TWEET_CODE_POINTS 280

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
		if (ascii_isalnum(next))
			continue;
		best = n;
		*to = exp;
	}
	return best;
}

/* Append s[0..n), or as much of it as out's cap leaves room for, cut on
 * a character boundary; BUF_ERR_CAP when it was cut. */
static int api_append_cut(struct buf *out, const char *s, size_t n)
{
	size_t room;

	if (buf_append(out, s, n) == BUF_OK)
		return 0;
	room = out->max > out->len ? out->max - out->len : 0;
	buf_append(out, s, utf8_valid_prefix(s, n < room ? n : room));
	return BUF_ERR_CAP;
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

int api_x_parse(struct feed_builder *fb, const json_t *root, struct buf *err)
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

/* Posts from RSS (RSSHub, Nitter): api_normalize_tweet. */

/* A post's link: http(s)://HOST/USER/status/ID or /i/web/status/ID on any
 * host (x.com, twitter.com, a Nitter). The handle ("i/web" for the
 * latter) and the id, or false. */
static bool tweet_link_parts(const char *link, const char **user,
                             size_t *user_len, const char **id, size_t *id_len)
{
	const char *p = link ? strstr(link, "://") : NULL;
	size_t n, k;

	if (!p || !ascii_has_prefix_ci(link, "http"))
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
	for (k = 0; ascii_isdigit(p[k]); k++)
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
