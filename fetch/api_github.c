#include <jansson.h>

#include "common/err.h"
#include "common/xalloc.h"
#include "fetch/api_impl.h"

/* GitHub repository search: {total_count, incomplete_results, items}, a
 * repository an entry. */

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

int api_github_parse(struct feed_builder *fb, const json_t *root,
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
