#include "summarize/stories.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "summarize/stories_impl.h"

/* Title matches within this many seconds (a story is news for a day or
 * two; weekly newsletters repeat their titles). URLs match at any gap. */
#define STORIES_MAX_GAP (3 * 86400)
/* A bucket of equal keys is compared with at most this many neighbours
 * per item, so a flood of identical titles stays linear. */
#define STORIES_NEIGHBOURS 48
static int stories_popcount(uint64_t x)
{
	int n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

/* Union-find over item indexes, with path halving and union by size. */
struct stories_sets {
	size_t *parent, *size;
};

static size_t stories_find(struct stories_sets *u, size_t x)
{
	while (u->parent[x] != x) {
		u->parent[x] = u->parent[u->parent[x]];
		x = u->parent[x];
	}
	return x;
}

static void stories_union(struct stories_sets *u, size_t a, size_t b)
{
	size_t t;

	a = stories_find(u, a);
	b = stories_find(u, b);
	if (a == b)
		return;
	if (u->size[a] < u->size[b]) {
		t = a;
		a = b;
		b = t;
	}
	u->parent[b] = a;
	u->size[a] += u->size[b];
}

/* A growable array of fixed-size elements. */
struct stories_pool {
	unsigned char *data;
	size_t n, cap, size;
};

/* Make room for n elements in all (a guess: the pool grows past it). */
static void stories_pool_reserve(struct stories_pool *p, size_t n)
{
	p->data = xreallocarray(p->data, n, p->size);
	p->cap = n;
}

/* Append n elements; returns the index of the first. */
static size_t stories_pool_put(struct stories_pool *p, const void *v, size_t n)
{
	size_t at = p->n;

	if (n == 0)
		return at;
	if (p->n + n > p->cap) {
		p->cap = p->cap ? p->cap * 2 : 4096;
		if (p->cap < p->n + n)
			p->cap = p->n + n;
		p->data = xreallocarray(p->data, p->cap, p->size);
	}
	memcpy(p->data + p->n * p->size, v, n * p->size);
	p->n += n;
	return at;
}

/* Where one item's parsed title is in the pools. */
struct stories_ref {
	uint64_t numsig; /* a bit for each number (stories_try) */
	size_t set, num, attr, unit, unit_kind, run;
	uint8_t nset, nnum, nunit, nrun;
	int8_t subject;
	bool korean, launch;
};

/* Everything stories_cluster works on. */
struct stories_ctx {
	const struct story_input *in;
	size_t n;
	struct stories_pool u64s, u16s, u8s, runs;
	struct stories_ref *refs;
	uint64_t *simhash;
	struct stories_sets u;
};

static struct stories_view stories_view_at(const struct stories_ctx *c,
                                           size_t i)
{
	const struct stories_ref *r = &c->refs[i];
	const uint64_t *u64s = (const uint64_t *)c->u64s.data;
	struct stories_view v;

	v.set = u64s + r->set;
	v.num = u64s + r->num;
	v.unit = u64s + r->unit;
	v.attr = (const uint16_t *)c->u16s.data + r->attr;
	v.unit_kind = c->u8s.data + r->unit_kind;
	v.run = (const struct stories_run *)c->runs.data + r->run;
	v.nset = r->nset;
	v.nnum = r->nnum;
	v.nunit = r->nunit;
	v.nrun = r->nrun;
	v.subject = r->subject;
	v.korean = r->korean;
	v.launch = r->launch;
	return v;
}

static void stories_keep(struct stories_ctx *c, size_t i,
                         const struct stories_title *ti)
{
	struct stories_ref *r = &c->refs[i];
	size_t k;

	r->set = stories_pool_put(&c->u64s, ti->set, ti->nset);
	r->num = stories_pool_put(&c->u64s, ti->num, ti->nnum);
	r->attr = stories_pool_put(&c->u16s, ti->attr, ti->nset);
	r->unit = stories_pool_put(&c->u64s, ti->unit, ti->nunit);
	r->unit_kind = stories_pool_put(&c->u8s, ti->unit_kind, ti->nunit);
	r->run = stories_pool_put(&c->runs, ti->run, ti->nrun);
	for (k = 0; k < ti->nnum; k++)
		r->numsig |= (uint64_t)1 << (ti->num[k] & 63);
	r->nset = (uint8_t)ti->nset;
	r->nnum = (uint8_t)ti->nnum;
	r->nunit = (uint8_t)ti->nunit;
	r->nrun = (uint8_t)ti->nrun;
	r->subject = (int8_t)ti->subject;
	r->korean = ti->korean;
	r->launch = ti->launch;
}

/* An entry of a sorted index: items with equal keys are candidates. */
struct stories_entry {
	uint64_t key, order;
	size_t item;
};

static int stories_cmp_entry(const void *a, const void *b)
{
	const struct stories_entry *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return (x->item > y->item) - (x->item < y->item);
}

static bool stories_close_in_time(int64_t a, int64_t b)
{
	return (a > b ? (uint64_t)a - (uint64_t)b
	              : (uint64_t)b - (uint64_t)a) <= STORIES_MAX_GAP;
}

/* Compare two items' titles and join them when they match. Numbers are
 * screened first: when each title has a number whose bit the other's
 * signature lacks, each has a number the other lacks, a veto. */
static void stories_try(struct stories_ctx *c, size_t a, size_t b)
{
	uint64_t sa = c->refs[a].numsig, sb = c->refs[b].numsig;

	struct stories_view va, vb;

	if ((sa & ~sb) && (sb & ~sa))
		return;
	if (!stories_close_in_time(c->in[a].time, c->in[b].time) ||
	    stories_find(&c->u, a) == stories_find(&c->u, b))
		return;
	va = stories_view_at(c, a);
	vb = stories_view_at(c, b);
	if (stories_compare(&va, &vb) == STORIES_SAME)
		stories_union(&c->u, a, b);
}

/* Which pairs of a bucket an index compares. */
enum stories_probe {
	STORIES_PROBE_ALL,
	STORIES_PROBE_NEAR,  /* SimHashes within STORIES_MAX_DISTANCE */
	STORIES_PROBE_CROSS, /* one Korean title, one not */
};

/* Sort an index and compare each entry with the few before it that have
 * the same key. */
static void stories_probe(struct stories_ctx *c, struct stories_entry *e,
                          size_t n, enum stories_probe which)
{
	size_t i, j, a, b;

	if (n < 2)
		return;
	qsort(e, n, sizeof *e, stories_cmp_entry);
	for (i = 1; i < n; i++)
		for (j = i; j-- > 0 && i - j <= STORIES_NEIGHBOURS;) {
			if (e[j].key != e[i].key)
				break;
			a = e[j].item;
			b = e[i].item;
			if (which == STORIES_PROBE_NEAR &&
			    stories_popcount(c->simhash[a] ^ c->simhash[b]) >
			            STORIES_MAX_DISTANCE)
				continue;
			if (which == STORIES_PROBE_CROSS &&
			    c->refs[a].korean == c->refs[b].korean)
				continue;
			stories_try(c, a, b);
		}
}

/* SimHash bands: titles within STORIES_MAX_DISTANCE bits agree on at
 * least one of four 16-bit bands (pigeonhole), so comparing within each
 * band's buckets finds them all. Inside a bucket the entries are sorted by
 * the whole hash, so equal titles are neighbours however many there are. */
static void stories_by_bands(struct stories_ctx *c)
{
	struct stories_entry *e = xcalloc(c->n, sizeof *e);
	size_t i;
	int band;

	for (band = 0; band < 4; band++) {
		for (i = 0; i < c->n; i++) {
			e[i].key = (c->simhash[i] >> (band * 16)) & 0xFFFF;
			e[i].order = c->simhash[i];
			e[i].item = i;
		}
		stories_probe(c, e, c->n, STORIES_PROBE_NEAR);
	}
	free(e);
}

/* The keys prefix filtering works on: an item's tokens, or its units. */
static size_t stories_keys(const struct stories_ctx *c, size_t i, bool units,
                           uint64_t *out)
{
	struct stories_view v = stories_view_at(c, i);

	if (!units) {
		memcpy(out, v.set, v.nset * sizeof *out);
		return v.nset;
	}
	memcpy(out, v.unit, v.nunit * sizeof *out);
	return v.nunit;
}

/* How many items have each token or unit: an open-addressing table of
 * keys (0 stands for an empty slot, and key 0 is counted as 1) that
 * doubles at half load. Any one order of the keys serves prefix
 * filtering; the rarest first keeps its buckets small. */
struct stories_counts {
	uint64_t *key;
	uint32_t *count;
	size_t mask, n;
};

static size_t stories_counts_slot(const struct stories_counts *t, uint64_t k)
{
	size_t i = (size_t)k & t->mask;

	while (t->key[i] != 0 && t->key[i] != k)
		i = (i + 1) & t->mask;
	return i;
}

static void stories_counts_init(struct stories_counts *t, size_t cap)
{
	t->key = xcalloc(cap, sizeof *t->key);
	t->count = xcalloc(cap, sizeof *t->count);
	t->mask = cap - 1;
	t->n = 0;
}

static void stories_counts_add(struct stories_counts *t, uint64_t k)
{
	struct stories_counts old;
	size_t i, j;

	k += k == 0;
	if (2 * (t->n + 1) > t->mask + 1) {
		old = *t;
		stories_counts_init(t, (old.mask + 1) * 2);
		for (i = 0; i <= old.mask; i++) {
			if (old.key[i] == 0)
				continue;
			j = stories_counts_slot(t, old.key[i]);
			t->key[j] = old.key[i];
			t->count[j] = old.count[i];
			t->n++;
		}
		free(old.key);
		free(old.count);
	}
	i = stories_counts_slot(t, k);
	if (t->key[i] == 0) {
		t->key[i] = k;
		t->n++;
	}
	t->count[i]++;
}

static uint32_t stories_counts_get(const struct stories_counts *t, uint64_t k)
{
	k += k == 0;
	return t->count[stories_counts_slot(t, k)];
}

static void stories_counts_free(struct stories_counts *t)
{
	free(t->key);
	free(t->count);
}

static void stories_df(const struct stories_ctx *c, struct stories_counts *df)
{
	uint64_t keys[STORIES_MAX_TOKENS];
	size_t i, k, n;
	int units;

	stories_counts_init(df, 4096);
	for (i = 0; i < c->n; i++)
		for (units = 0; units < 2; units++) {
			n = stories_keys(c, i, units, keys);
			for (k = 0; k < n; k++)
				stories_counts_add(df, keys[k]);
		}
}

static int stories_cmp_rarity(const void *a, const void *b)
{
	const struct stories_entry *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return (x->key > y->key) - (x->key < y->key);
}

/* Append an index entry of item i under key. */
static void stories_index_put(const struct stories_ctx *c,
                              struct stories_pool *e, uint64_t key, size_t i)
{
	struct stories_entry x;

	x.key = key;
	/* neighbours in time first (the sign bit flipped so negative
	 * times sort first) */
	x.order = (uint64_t)c->in[i].time ^ ((uint64_t)1 << 63);
	x.item = i;
	stories_pool_put(e, &x, 1);
}

/* Prefix filtering (the AllPairs method): with each item's keys ordered
 * rarest first, two items whose sets reach Jaccard t share a key among
 * the first |x| - ceil(t |x|) + 1 of each. Index those prefix keys and
 * compare the items that share one: the keys are rare (names, versions),
 * so buckets stay small. Over tokens for titles in one language, over
 * units (stories_title) for titles in two. */
static void stories_by_prefix(struct stories_ctx *c,
                              const struct stories_counts *df, bool units)
{
	struct stories_entry tok[STORIES_MAX_TOKENS];
	struct stories_pool e = {NULL, 0, 0, sizeof(struct stories_entry)};
	uint64_t keys[STORIES_MAX_TOKENS];
	size_t i, j, p, nk;

	for (i = 0; i < c->n; i++) {
		nk = stories_keys(c, i, units, keys);
		if (nk < (units ? STORIES_MIN_UNITS : STORIES_MIN_TOKENS))
			continue;
		for (j = 0; j < nk; j++) {
			tok[j].key = keys[j];
			tok[j].order = stories_counts_get(df, keys[j]);
		}
		qsort(tok, nk, sizeof *tok, stories_cmp_rarity);
		p = nk -
		    (nk * STORIES_JACCARD_NUM + STORIES_JACCARD_DEN - 1) /
		            STORIES_JACCARD_DEN +
		    1;
		for (j = 0; j < p && j < nk; j++)
			stories_index_put(c, &e, tok[j].key, i);
	}
	stories_probe(c, (struct stories_entry *)e.data, e.n,
	              units ? STORIES_PROBE_CROSS : STORIES_PROBE_ALL);
	free(e.data);
}

/* Anchors: every match that is not an overlap of half the tokens or
 * units shares a name worth a proof or a figure (stories_match.c), so
 * the items that share one are compared. */
static void stories_by_anchors(struct stories_ctx *c)
{
	struct stories_pool e = {NULL, 0, 0, sizeof(struct stories_entry)};
	struct stories_view v;
	size_t i, k;

	for (i = 0; i < c->n; i++) {
		v = stories_view_at(c, i);
		for (k = 0; k < v.nrun; k++)
			if (v.run[k].weight == STORIES_WEIGHT_FULL)
				stories_index_put(c, &e, v.run[k].all, i);
		for (k = 0; k < v.nset; k++)
			if (STORIES_KIND(v.attr[k]) == SK_FIGURE)
				stories_index_put(c, &e, v.set[k], i);
	}
	stories_probe(c, (struct stories_entry *)e.data, e.n,
	              STORIES_PROBE_ALL);
	free(e.data);
}

static int stories_cmp_url(const void *a, const void *b)
{
	const struct story_input *const *x = a, *const *y = b;

	return strcmp((*x)->canonical_url, (*y)->canonical_url);
}

/* Items with the same canonical URL are one story, whatever their
 * titles and times. */
static void stories_by_url(struct stories_ctx *c)
{
	const struct story_input **v = xcalloc(c->n, sizeof *v);
	size_t i, n = 0;

	for (i = 0; i < c->n; i++)
		if (c->in[i].canonical_url && *c->in[i].canonical_url)
			v[n++] = &c->in[i];
	qsort(v, n, sizeof *v, stories_cmp_url);
	for (i = 1; i < n; i++)
		if (strcmp(v[i - 1]->canonical_url, v[i]->canonical_url) == 0)
			stories_union(&c->u, (size_t)(v[i - 1] - c->in),
			              (size_t)(v[i] - c->in));
	free(v);
}

size_t stories_cluster(const struct story_input *items, size_t n,
                       size_t *story_of)
{
	struct stories_ctx c;
	struct stories_title ti;
	struct stories_counts df;
	size_t i, r, next = 0, *label;

	if (n == 0)
		return 0;
	memset(&c, 0, sizeof c);
	c.in = items;
	c.n = n;
	c.u64s.size = sizeof(uint64_t);
	c.u16s.size = sizeof(uint16_t);
	c.u8s.size = 1;
	c.runs.size = sizeof(struct stories_run);
	stories_pool_reserve(&c.u64s, n * 24);
	stories_pool_reserve(&c.u16s, n * 12);
	stories_pool_reserve(&c.u8s, n * 12);
	stories_pool_reserve(&c.runs, n * 2);
	c.refs = xcalloc(n, sizeof *c.refs);
	c.simhash = xcalloc(n, sizeof *c.simhash);
	c.u.parent = xcalloc(n, sizeof *c.u.parent);
	c.u.size = xcalloc(n, sizeof *c.u.size);
	for (i = 0; i < n; i++) {
		stories_title_parse(items[i].title, &ti);
		c.simhash[i] = stories_simhash_of(&ti);
		stories_keep(&c, i, &ti);
		c.u.parent[i] = i;
		c.u.size[i] = 1;
	}
	stories_by_url(&c);
	stories_by_bands(&c);
	stories_df(&c, &df);
	stories_by_prefix(&c, &df, false);
	stories_by_prefix(&c, &df, true);
	stories_counts_free(&df);
	stories_by_anchors(&c);

	label = c.u.size; /* reused: the sizes are not needed any more */
	for (i = 0; i < n; i++)
		label[i] = SIZE_MAX;
	for (i = 0; i < n; i++) {
		r = stories_find(&c.u, i);
		if (label[r] == SIZE_MAX)
			label[r] = next++;
		story_of[i] = label[r];
	}
	free(c.u64s.data);
	free(c.u16s.data);
	free(c.u8s.data);
	free(c.runs.data);
	free(c.refs);
	free(c.simhash);
	free(c.u.parent);
	free(c.u.size);
	return next;
}
