#include "summarize/stories.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "store/store.h"
#include "summarize/stories_impl.h"

static void stories_simhash_add(int v[64], uint64_t feature)
{
	int b;

	for (b = 0; b < 64; b++)
		v[b] += (feature >> b) & 1 ? 1 : -1;
}

/* SimHash over the shingles of a title: each token, and each pair of
 * neighbouring tokens (so word order counts a little). */
uint64_t stories_simhash_of(const struct stories_title *ti)
{
	int v[64] = {0}, b;
	uint64_t h = 0;
	size_t i;

	for (i = 0; i < ti->nseq; i++) {
		stories_simhash_add(v, ti->seq[i].hash);
		if (i + 1 < ti->nseq)
			stories_simhash_add(v,
			                    stories_mix(ti->seq[i].hash * 31 +
			                                ti->seq[i + 1].hash));
	}
	for (b = 0; b < 64; b++)
		if (v[b] > 0)
			h |= (uint64_t)1 << b;
	return h;
}

uint64_t stories_simhash(const char *title)
{
	struct stories_title ti;

	stories_title_parse(title, &ti);
	return stories_simhash_of(&ti);
}

/* Two titles compared: the verdict, and whether they are about one
 * versioned name (same_subject may be NULL). */
static enum stories_verdict stories_titles_judge(const char *a, const char *b,
                                                 bool *same_subject)
{
	struct stories_title ta, tb;
	struct stories_view va, vb;
	enum stories_verdict v;

	stories_title_parse(a, &ta);
	stories_title_parse(b, &tb);
	va = stories_view_of(&ta);
	vb = stories_view_of(&tb);
	v = stories_compare(&va, &vb);
	if (same_subject)
		*same_subject = v != STORIES_DIFFERENT &&
		                stories_same_subject(&va, &vb);
	return v;
}

enum stories_verdict stories_titles_compare(const char *a, const char *b)
{
	return stories_titles_judge(a, b, NULL);
}

bool stories_titles_same_subject(const char *a, const char *b)
{
	bool same;

	stories_titles_judge(a, b, &same);
	return same;
}

bool stories_titles_one_event(const char *a, const char *b)
{
	bool same;

	return stories_titles_judge(a, b, &same) == STORIES_SAME || same;
}

int stories_titles_match(const char *a, const char *b)
{
	return stories_titles_compare(a, b) == STORIES_SAME;
}

int stories_rebuild(struct store *st, int64_t from, int64_t to)
{
	struct store_item_row *rows = NULL;
	struct story_input *in = NULL;
	int64_t *ids = NULL;
	size_t n = 0, i, *story_of = NULL;
	int ret;

	ret = store_items_window(st, from - 86400, to, &rows, &n);
	if (ret != 0)
		goto out;
	in = xcalloc(n + 1, sizeof *in);
	ids = xcalloc(n + 1, sizeof *ids);
	story_of = xcalloc(n + 1, sizeof *story_of);
	for (i = 0; i < n; i++) {
		in[i].title = rows[i].title;
		in[i].canonical_url = rows[i].canonical_url;
		in[i].time = rows[i].time;
		ids[i] = rows[i].id;
	}
	stories_cluster(in, n, story_of);
	ret = store_stories_assign(st, ids, story_of, n);
out:
	free(in);
	free(ids);
	free(story_of);
	store_item_rows_free(rows, n);
	return ret;
}

/* Trust */

static bool stories_official(const char *kind)
{
	return kind &&
	       (strcmp(kind, "blog") == 0 || strcmp(kind, "release") == 0 ||
	        strcmp(kind, "paper") == 0);
}

static int stories_cmp_nullstr(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

struct stories_trust {
	const struct store_story *s;
	const char *canonical; /* the one most items share, or NULL */
};

/* a before b: -1; the order of stories_trust_order */
static int stories_trust_cmp(const struct stories_trust *t, size_t a, size_t b)
{
	const struct store_item_row *x = &t->s->items[a], *y = &t->s->items[b];
	bool cx, cy, ox = stories_official(x->kind),
	             oy = stories_official(y->kind);
	int c;

	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	cx = t->canonical &&
	     stories_cmp_nullstr(x->canonical_url, t->canonical) == 0;
	cy = t->canonical &&
	     stories_cmp_nullstr(y->canonical_url, t->canonical) == 0;
	if (cx != cy)
		return cx ? -1 : 1;
	if (ox != oy)
		return ox ? -1 : 1;
	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	/* then content, not the order the fetch stored the items in */
	c = stories_cmp_nullstr(x->url, y->url);
	if (c == 0)
		c = stories_cmp_nullstr(x->title, y->title);
	if (c == 0)
		c = stories_cmp_nullstr(x->feed_name, y->feed_name);
	if (c)
		return c < 0 ? -1 : 1;
	return a < b ? -1 : a > b;
}

static int stories_cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The canonical URL most items share (two at least), else NULL. */
static const char *stories_shared_canonical(const struct store_story *s)
{
	const char **v = xcalloc(s->nitems + 1, sizeof *v), *best = NULL;
	size_t i, n = 0, run, top = 1;

	for (i = 0; i < s->nitems; i++)
		if (s->items[i].canonical_url && *s->items[i].canonical_url)
			v[n++] = s->items[i].canonical_url;
	qsort(v, n, sizeof *v, stories_cmp_strp);
	for (i = 0; i < n; i += run) {
		for (run = 1; i + run < n && strcmp(v[i], v[i + run]) == 0;
		     run++)
			;
		if (run > top) {
			top = run;
			best = v[i];
		}
	}
	free(v);
	return best;
}

static int stories_trust_qsort(const void *a, const void *b, void *ctx)
{
	return stories_trust_cmp(ctx, *(const size_t *)a, *(const size_t *)b);
}

void stories_trust_order(const struct store_story *s, size_t *order)
{
	struct stories_trust t = {s, stories_shared_canonical(s)};
	size_t i;

	for (i = 0; i < s->nitems; i++)
		order[i] = i;
	qsort_r(order, s->nitems, sizeof *order, stories_trust_qsort, &t);
}
