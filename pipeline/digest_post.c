#include "pipeline/digest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/date.h"
#include "common/file.h"
#include "common/hash.h"
#include "common/xalloc.h"
#include "pipeline/digest_impl.h"
#include "pipeline/jury.h"
#include "render/publish.h"

/* The built-in post template (templates/post.md.mustache). */
extern const char post_template_text[];

/* A template file ([digest] template) is read up to this many bytes. */
#define DIGEST_TEMPLATE_MAX ((size_t)1 << 20)

/* What the store says of the day's publication: its first date (kept on
 * a re-run), its update and its hash. prev_update and prev_hash are ""
 * before the first publication. */
struct digest_prev {
	char update[DATE_DAY_LEN];
	char hash[HASH_HEX_LEN];
};

static int digest_previous(struct digest *d, struct digest_prev *prev,
                           struct buf *err)
{
	struct store_digest_row row;
	int rc = store_digest_get(d->env->store, d->date, &row);

	memset(prev, 0, sizeof *prev);
	if (rc == ERR_NOT_FOUND)
		return ERR_OK;
	if (rc != 0) {
		buf_puts(err, store_error(d->env->store));
		return ERR_DB;
	}
	if (row.first_date && strlen(row.first_date) >= 10)
		snprintf(d->first_date, sizeof d->first_date, "%.10s",
		         row.first_date);
	snprintf(prev->update, sizeof prev->update, "%.10s",
	         row.updated ? row.updated : "");
	snprintf(prev->hash, sizeof prev->hash, "%s", row.hash ? row.hash : "");
	store_digest_clear(&row);
	return ERR_OK;
}

/* The post with the spec as it is. */
static int digest_fill(struct digest *d, const char *tmpl, struct buf *err)
{
	struct buf why = BUF_INIT(4096);
	int ret = ERR_OK;

	buf_reset(&d->post);
	if (post_render(tmpl, strlen(tmpl), &d->spec, &d->post, &why) != 0) {
		buf_printf(err, "the template failed: %s", buf_cstr(&why));
		ret = ERR_PARSE;
	}
	buf_free(&why);
	return ret;
}

/* Whether the post is the one published before, to the byte. */
static bool digest_post_is(const struct digest *d, const char *hash)
{
	char now[HASH_HEX_LEN];

	hash_hex(hash_fnv1a(HASH_FNV_OFFSET, buf_cstr(&d->post), d->post.len),
	         now);
	return *hash && strcmp(now, hash) == 0;
}

static int digest_name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The reading figures: the items of the day's window (a story's items
 * outside it are not counted), their sources and words, the stories the
 * panel considered (the new ones) and the stories posted. */
static void digest_reading(const struct digest *d, struct post_reading *r)
{
	const char **names = NULL;
	size_t i, k, n = 0;

	memset(r, 0, sizeof *r);
	for (i = 0; i < d->nstories; i++)
		for (k = 0; k < d->stories[i].nitems; k++) {
			const struct store_item_row *it =
			        &d->stories[i].items[k];

			if (it->time < d->from || it->time >= d->to)
				continue;
			names = xreallocarray(names, n + 1, sizeof *names);
			names[n++] = it->feed_name ? it->feed_name : "";
			r->words += post_count_words(it->title) +
			            post_count_words(it->summary);
		}
	r->items = n;
	if (n)
		qsort(names, n, sizeof *names, digest_name_cmp);
	for (i = 0; i < n; i++)
		r->sources += i == 0 || strcmp(names[i - 1], names[i]) != 0;
	r->stories = d->fresh;
	r->selected = d->nitems;
	free(names);
}

int digest_render(struct digest *d, struct buf *err)
{
	const struct config *cfg = d->env->config;
	struct post_spec *spec = &d->spec;
	struct buf why = BUF_INIT(4096);
	struct digest_prev prev;
	char *tmpl = NULL;
	size_t i;
	int ret;

	ret = digest_previous(d, &prev, err);
	if (ret != ERR_OK)
		return ret;
	for (i = 0; i < d->nitems && i < d->wo.npieces; i++)
		d->items[i].piece = &d->wo.pieces[i];
	memset(spec, 0, sizeof *spec);
	spec->date = d->date;
	spec->first_date = d->first_date;
	spec->update = d->update;
	spec->preset = d->preset;
	spec->series = cfg->series;
	spec->w = &d->wo;
	spec->cats = d->wcats;
	spec->ncats = d->pc.ncategories;
	spec->items = d->items;
	spec->nitems = d->nitems;
	digest_reading(d, &spec->reading);
	if (cfg->template_path) {
		tmpl = file_read_text(cfg->template_path, DIGEST_TEMPLATE_MAX,
		                      &why);
		if (!tmpl) {
			buf_printf(err, "%s: %s", cfg->template_path,
			           buf_cstr(&why));
			ret = ERR_IO;
			goto out;
		}
	}
	/* the first publication's update is its date; a later one keeps
	 * the update it had when nothing else changed, else it is the day
	 * it is written */
	if (!*prev.update)
		snprintf(d->update, sizeof d->update, "%s", d->date);
	else {
		char today[DATE_DAY_LEN];

		memcpy(today, d->update, sizeof today);
		memcpy(d->update, prev.update, sizeof d->update);
		ret = digest_fill(d, tmpl ? tmpl : post_template_text, err);
		if (ret != ERR_OK || digest_post_is(d, prev.hash))
			goto out;
		memcpy(d->update, today, sizeof d->update);
	}
	ret = digest_fill(d, tmpl ? tmpl : post_template_text, err);
out:
	free(tmpl);
	buf_free(&why);
	return ret;
}

int digest_validate(struct digest *d, struct buf *err)
{
	struct buf why = BUF_INIT(0);
	struct publish_field *fields;
	char **allowed;
	size_t nfields = 0;
	int ret = ERR_OK;

	fields = post_fields(&d->spec, &nfields);
	allowed = post_allowed_urls(&d->spec);
	if (publish_validate(buf_cstr(&d->post), d->post.len, fields, nfields,
	                     post_sections, (const char *const *)allowed,
	                     &why) != 0) {
		buf_printf(err,
		           "the post is not valid; nothing is published:\n%s",
		           buf_cstr(&why));
		ret = ERR_PARSE;
	}
	post_fields_free(fields, nfields);
	post_urls_free(allowed);
	buf_free(&why);
	return ret;
}

int digest_place(struct digest *d, const char *out_dir, struct buf *err)
{
	const struct config *cfg = d->env->config;
	const char *pattern =
	        cfg->output ? cfg->output : post_default_output(d->preset);
	struct buf why = BUF_INIT(4096);

	free(d->path);
	d->path = publish_path(out_dir, pattern, d->date, "ai-news", &why);
	if (!d->path)
		buf_printf(err, "[digest] output: %s", buf_cstr(&why));
	buf_free(&why);
	return d->path ? ERR_OK : ERR_PARSE;
}

/* Whether the file at d->path holds this very post now. */
static bool digest_file_holds_post(const struct digest *d)
{
	struct buf text = BUF_INIT(0), why = BUF_INIT(256);
	bool same;

	same = file_read(d->path, d->post.len, &text, &why) == 0 &&
	       text.len == d->post.len &&
	       memcmp(buf_cstr(&text), buf_cstr(&d->post), text.len) == 0;
	buf_free(&text);
	buf_free(&why);
	return same;
}

/* Whether this very post was published at d->path and is still there, as
 * it was (a store that cannot say, a file deleted or edited: no, and the
 * post is written). */
static bool digest_same_as_published(const struct digest *d)
{
	struct store_digest_row prev;
	bool same = false;

	if (store_digest_get(d->env->store, d->date, &prev) == 0) {
		same = prev.hash && strcmp(prev.hash, d->hash) == 0 &&
		       prev.path && strcmp(prev.path, d->path) == 0;
		store_digest_clear(&prev);
	}
	return same && digest_file_holds_post(d);
}

/* What the post carried, as the store keys items (canonical URL, else
 * URL), so later days do not repeat it; and the day's row. */
static void digest_keep(struct digest *d)
{
	struct store *st = d->env->store;
	struct store_digest sd = {d->date,   d->path, d->first_date,
	                          d->update, d->hash, d->env->now};
	const char **urls = NULL;
	size_t nurls = 0, k, m;

	for (k = 0; k < d->pr.norder; k++) {
		const struct store_story *s = &d->stories[d->pr.order[k]];

		if (!d->pr.selected[d->pr.order[k]])
			continue;
		urls = xreallocarray(urls, nurls + s->nitems + 1, sizeof *urls);
		for (m = 0; m < s->nitems; m++)
			urls[nurls++] = s->items[m].canonical_url
			                        ? s->items[m].canonical_url
			                        : s->items[m].url;
	}
	/* published but not recorded: later days could repeat its stories,
	 * and a re-run would not know the post; the run is degraded */
	if (store_published_set(st, d->date, urls, nurls) != 0) {
		digest_say(d, DIGEST_NOTE,
		           "cannot record what was published: %s",
		           store_error(st));
		d->degraded = true;
	}
	if (store_digest_put(st, &sd) != 0) {
		digest_say(d, DIGEST_NOTE, "cannot record the digest: %s",
		           store_error(st));
		d->degraded = true;
	}
	/* the jury's record: without it the day does not count */
	if (jury_keep(st, d->date, d->env->now, &d->pr, d->cands) != 0) {
		digest_say(d, DIGEST_NOTE,
		           "cannot record the panel for the jury: %s",
		           store_error(st));
		d->degraded = true;
	}
	free(urls);
}

int digest_publish(struct digest *d, bool force, struct buf *err)
{
	uint64_t h;

	h = hash_fnv1a(HASH_FNV_OFFSET, buf_cstr(&d->post), d->post.len);
	hash_hex(h, d->hash);
	d->unchanged = !force && digest_same_as_published(d);
	if (!d->unchanged &&
	    publish_write(d->path, buf_cstr(&d->post), d->post.len, err) != 0)
		return ERR_IO;
	digest_keep(d);
	return ERR_OK;
}
