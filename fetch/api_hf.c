#include <stdbool.h>
#include <string.h>

#include <jansson.h>

#include "common/ascii.h"
#include "common/err.h"
#include "common/xalloc.h"
#include "fetch/api_impl.h"
#include "fetch/html.h"
#include "fetch/urlnorm.h"

/* Hugging Face daily papers: [{paper:{id, title, summary, authors,
 * publishedAt, submittedOnDailyAt, upvotes}, title, numComments}], a
 * paper an entry. */

#define API_MAX_AUTHORS 65536 /* bytes of a joined author list */

/* An id that can be a path: letters, digits, "._-/", no "..", no '/'
 * first. */
static bool hf_is_safe_id(const char *s)
{
	size_t i;

	if (s[0] == '/' || strstr(s, ".."))
		return false;
	for (i = 0; s[i]; i++)
		if (!ascii_isalnum(s[i]) && !strchr("._-/", s[i]))
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

int api_hf_parse(struct feed_builder *fb, const json_t *root, struct buf *err)
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
