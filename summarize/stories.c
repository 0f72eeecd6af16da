#include "summarize/stories.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/utf8.h"
#include "common/xalloc.h"
#include "store/store.h"

/* Token sets must overlap by at least NUM / DEN (Jaccard). */
#define STORIES_JACCARD_NUM 1
#define STORIES_JACCARD_DEN 2
/* Titles longer than this are read up to here: a title is a line. */
#define STORIES_TITLE_MAX 1024
/* Tokens kept of one title (the rest are ignored). */
#define STORIES_MAX_TOKENS 64
/* A token's bytes (longer ones are cut on a character boundary). */
#define STORIES_TOKEN_MAX 64
/* Title matches need this many tokens on each side: "v0.3.0" alone names
 * a version, not a project, and two such titles are not one story. */
#define STORIES_MIN_TOKENS 2
/* Title matches within this many seconds (a story is news for a day or
 * two; weekly newsletters repeat their titles). URLs match at any gap. */
#define STORIES_MAX_GAP (3 * 86400)
/* A bucket of equal keys is compared with at most this many neighbours
 * per item, so a flood of identical titles stays linear. */
#define STORIES_NEIGHBOURS 48

/* Words that say nothing about which story a title is: English function
 * words and announcement verbs (every story is an announcement), Korean
 * announcement verbs by their two-syllable stem. Sorted for bsearch. */
static const char *const stories_stopwords[] = {
        "about",     "after",     "all",          "an",         "and",
        "announce",  "announced", "announcement", "announces",  "announcing",
        "are",       "as",        "at",           "be",         "been",
        "but",       "by",        "can",          "could",      "debut",
        "debuts",    "do",        "does",         "for",        "from",
        "has",       "have",      "here",         "how",        "in",
        "into",      "introduce", "introduced",   "introduces", "introducing",
        "is",        "it",        "its",          "just",       "launch",
        "launched",  "launches",  "launching",    "meet",       "more",
        "now",       "of",        "on",           "or",         "our",
        "out",       "over",      "release",      "released",   "releases",
        "releasing", "say",       "says",         "than",       "that",
        "the",       "their",     "this",         "to",         "unveil",
        "unveiled",  "unveils",   "up",           "via",        "vs",
        "was",       "we",        "what",         "when",       "which",
        "who",       "why",       "will",         "with",       "you",
        "your",      "공개",      "내놔",         "발표",       "선보",
        "출시",
};

enum stories_class { SC_SPACE, SC_WORD, SC_DIGIT, SC_HANGUL, SC_CJK };

/* A title as tokens: their hashes in title order (for shingles), as a
 * sorted set (for overlap), and those with a digit as a sorted set (for
 * version checks). The last token is kept while parsing so "6.6 billion"
 * can become 6.6b. */
struct stories_title {
	uint64_t seq[STORIES_MAX_TOKENS];
	bool seq_num[STORIES_MAX_TOKENS];
	size_t nseq;
	uint64_t set[STORIES_MAX_TOKENS];
	size_t nset;
	uint64_t num[STORIES_MAX_TOKENS];
	size_t nnum;
	char last[STORIES_TOKEN_MAX + 4];
	size_t last_len;
};

/* The token sets of a parsed title, wherever they are kept. */
struct stories_view {
	const uint64_t *set, *num;
	size_t nset, nnum;
};

/* Magnitude words that join the number before them: $6.6 billion is
 * $6.6B. */
static const struct {
	const char *word, *suffix;
} stories_magnitudes[] = {
        {"billion", "b"}, {"bn", "b"},       {"million", "m"},
        {"mn", "m"},      {"trillion", "t"}, {"thousand", "k"},
};

static uint64_t stories_fnv1a(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

/* A bit mixer (the SplitMix64 finalizer): FNV-1a's high bits barely
 * depend on a short string's last bytes, and SimHash uses every bit. */
static uint64_t stories_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	return x;
}

static int stories_cmp_str(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static int stories_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static bool stories_is_hangul(uint32_t cp)
{
	return (cp >= 0xAC00 && cp <= 0xD7A3) ||
	       (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3130 && cp <= 0x318F);
}

static bool stories_is_cjk(uint32_t cp)
{
	return (cp >= 0x3040 && cp <= 0x30FF) ||
	       (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF);
}

/* Punctuation, symbols, spaces and emoji outside ASCII: word breaks. */
static bool stories_is_break(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
	       (cp >= 0x2000 && cp <= 0x2BFF) ||
	       (cp >= 0x3000 && cp <= 0x303F) ||
	       (cp >= 0xFE00 && cp <= 0xFE6F) ||
	       (cp >= 0xFF00 && cp <= 0xFF0F) ||
	       (cp >= 0xFF1A && cp <= 0xFF20) ||
	       (cp >= 0xFF3B && cp <= 0xFF40) ||
	       (cp >= 0xFF5B && cp <= 0xFF65) ||
	       (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == UTF8_REPLACEMENT;
}

static enum stories_class stories_classify(uint32_t cp)
{
	if (cp < 0x80) {
		if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
			return SC_WORD;
		if (cp >= '0' && cp <= '9')
			return SC_DIGIT;
		return SC_SPACE;
	}
	if (stories_is_hangul(cp))
		return SC_HANGUL;
	if (stories_is_cjk(cp))
		return SC_CJK;
	if (stories_is_break(cp))
		return SC_SPACE;
	return SC_WORD;
}

/* Fullwidth ASCII (Ａ, ０) as ASCII; ASCII letters lower-cased. */
static uint32_t stories_fold(uint32_t cp)
{
	if (cp >= 0xFF10 && cp <= 0xFF5A &&
	    stories_classify(cp - 0xFEE0) != SC_SPACE)
		cp -= 0xFEE0;
	if (cp >= 'A' && cp <= 'Z')
		cp += 'a' - 'A';
	return cp;
}

/* The scanner over one title. */
struct stories_scan {
	const char *s;
	size_t len, pos;
};

static uint32_t stories_peek(const struct stories_scan *sc, size_t at,
                             size_t *bytes)
{
	uint32_t cp;

	if (at >= sc->len) {
		*bytes = 0;
		return 0;
	}
	*bytes = utf8_decode(sc->s + at, sc->len - at, &cp);
	return stories_fold(cp);
}

/* Whether a URL starts at pos ("http://", "https://"): tweets carry them
 * in their text, and they are noise to a title. */
static bool stories_at_url(const struct stories_scan *sc, size_t pos)
{
	const char *p = sc->s + pos;
	size_t left = sc->len - pos;

	return (left >= 7 && strncasecmp(p, "http://", 7) == 0) ||
	       (left >= 8 && strncasecmp(p, "https://", 8) == 0);
}

/* The token being built. */
struct stories_token {
	char b[STORIES_TOKEN_MAX + 4];
	size_t len;
	size_t chars;
	enum stories_class cls;
	bool digit;
};

static void stories_token_put(struct stories_token *t, uint32_t cp)
{
	char enc[4];
	size_t n = utf8_encode(cp, enc);

	if (t->len + n > STORIES_TOKEN_MAX)
		return;
	memcpy(t->b + t->len, enc, n);
	t->len += n;
	t->chars++;
}

static void stories_title_add(struct stories_title *ti, const char *p, size_t n,
                              bool digit)
{
	ti->last_len = 0;
	if (ti->nseq == STORIES_MAX_TOKENS)
		return;
	ti->seq[ti->nseq] = stories_mix(stories_fnv1a(p, n));
	ti->seq_num[ti->nseq] = digit;
	ti->nseq++;
	if (digit && n <= STORIES_TOKEN_MAX) {
		memcpy(ti->last, p, n);
		ti->last_len = n;
	}
}

static bool stories_is_stopword(const char *p, size_t n)
{
	char key[STORIES_TOKEN_MAX + 4];

	memcpy(key, p, n);
	key[n] = '\0';
	return bsearch(key, stories_stopwords,
	               sizeof stories_stopwords / sizeof stories_stopwords[0],
	               sizeof stories_stopwords[0], stories_cmp_str) != NULL;
}

/* A magnitude word right after a number joins it: the number's token is
 * replaced by number + suffix. */
static bool stories_join_magnitude(struct stories_title *ti, const char *p,
                                   size_t n)
{
	size_t i;

	if (ti->last_len == 0)
		return false;
	for (i = 0;
	     i < sizeof stories_magnitudes / sizeof stories_magnitudes[0];
	     i++) {
		if (strlen(stories_magnitudes[i].word) != n ||
		    memcmp(stories_magnitudes[i].word, p, n) != 0)
			continue;
		ti->last[ti->last_len++] = stories_magnitudes[i].suffix[0];
		ti->nseq--;
		stories_title_add(ti, ti->last, ti->last_len, true);
		ti->last_len = 0;
		return true;
	}
	return false;
}

/* Add the finished token t: stop words and single letters go; "v1.2" is
 * "1.2"; an English plural loses its s; a Hangul word is its first two
 * syllables (Korean particles and endings are suffixes: 오픈AI가,
 * 공개했다); a run of Han or kana becomes its character bigrams. */
static void stories_token_end(struct stories_title *ti, struct stories_token *t)
{
	const char *p = t->b;
	size_t n = t->len, i, a, b;

	if (n == 0)
		return;
	if (t->cls == SC_HANGUL) {
		if (t->chars < 2)
			goto drop;
		n = utf8_prefix_bytes(t->b, 2);
	} else if (t->cls == SC_CJK) {
		if (t->chars == 1)
			stories_title_add(ti, p, n, false);
		for (a = 0; t->chars > 1 && a < n; a = b) {
			b = a + utf8_prefix_bytes(p + a, 1);
			if (b >= n)
				break;
			i = utf8_prefix_bytes(p + b, 1);
			stories_title_add(ti, p + a, b - a + i, false);
		}
		goto out;
	} else if (t->digit) {
		if (p[0] == 'v' && p[1] >= '0' && p[1] <= '9') {
			p++;
			n--;
		}
	} else {
		if (n == 1 || stories_join_magnitude(ti, p, n))
			goto drop;
		if (n >= 4 && p[n - 1] == 's' && t->chars == n &&
		    !strchr("sui", p[n - 2]) && !stories_is_stopword(p, n))
			n--;
	}
	if (stories_is_stopword(p, n))
		goto drop;
	stories_title_add(ti, p, n, t->digit);
	goto out;
drop:
	ti->last_len = 0;
out:
	t->len = t->chars = 0;
	t->digit = false;
	t->cls = SC_SPACE;
}

/* Normalize and tokenize a title: ASCII case folded, punctuation and
 * symbols as spaces, tokens split where the script changes (오픈AI가 is
 * 오픈 AI 가) and where letters run into digits (gpt4o is gpt 4o; a single
 * letter stays: o1, r1, v6), dots and commas kept between digits (3.5). */
static void stories_title_parse(const char *title, struct stories_title *ti)
{
	struct stories_scan sc;
	struct stories_token t;
	enum stories_class cls;
	uint32_t cp, next;
	size_t k, k2, i;

	memset(ti, 0, sizeof *ti);
	memset(&t, 0, sizeof t);
	if (!title)
		return;
	sc.s = title;
	sc.len = strnlen(title, STORIES_TITLE_MAX);
	sc.pos = 0;
	while (sc.pos < sc.len) {
		if (t.len == 0 && stories_at_url(&sc, sc.pos)) {
			while (sc.pos < sc.len &&
			       (unsigned char)sc.s[sc.pos] > ' ')
				sc.pos++;
			continue;
		}
		cp = stories_peek(&sc, sc.pos, &k);
		cls = stories_classify(cp);
		if ((cp == '\'' || cp == 0x2019) && t.cls == SC_WORD) {
			/* the possessive 's */
			next = stories_peek(&sc, sc.pos + k, &k2);
			if (next == 's' &&
			    stories_classify(stories_peek(&sc, sc.pos + k + k2,
			                                  &i)) == SC_SPACE) {
				sc.pos += k + k2;
				continue;
			}
		}
		if ((cp == '.' || cp == ',') && t.cls == SC_DIGIT) {
			next = stories_peek(&sc, sc.pos + k, &k2);
			if (next >= '0' && next <= '9') {
				stories_token_put(&t, cp);
				sc.pos += k;
				continue;
			}
		}
		if (cls == SC_DIGIT && t.cls == SC_WORD && t.len == 1)
			t.cls = SC_DIGIT; /* o1, r1, v6: one token */
		else if (cls == SC_WORD && t.cls == SC_DIGIT && cp < 0x80)
			cls = SC_DIGIT; /* 4o, 405b, 3e: one token */
		if (cls != t.cls || cls == SC_SPACE) {
			stories_token_end(ti, &t);
			t.cls = cls;
		}
		if (cls != SC_SPACE) {
			stories_token_put(&t, cp);
			if (cp >= '0' && cp <= '9')
				t.digit = true;
		}
		sc.pos += k;
	}
	stories_token_end(ti, &t);
	for (i = 0; i < ti->nseq; i++)
		if (ti->seq_num[i])
			ti->num[ti->nnum++] = ti->seq[i];
	memcpy(ti->set, ti->seq, ti->nseq * sizeof ti->seq[0]);
	qsort(ti->set, ti->nseq, sizeof ti->set[0], stories_cmp_u64);
	for (i = 0; i < ti->nseq; i++)
		if (ti->nset == 0 || ti->set[ti->nset - 1] != ti->set[i])
			ti->set[ti->nset++] = ti->set[i];
	qsort(ti->num, ti->nnum, sizeof ti->num[0], stories_cmp_u64);
	for (i = 0, k = 0; i < ti->nnum; i++)
		if (k == 0 || ti->num[k - 1] != ti->num[i])
			ti->num[k++] = ti->num[i];
	ti->nnum = k;
}

static void stories_simhash_add(int v[64], uint64_t feature)
{
	int b;

	for (b = 0; b < 64; b++)
		v[b] += (feature >> b) & 1 ? 1 : -1;
}

/* SimHash over the shingles of a title: each token, and each pair of
 * neighbouring tokens (so word order counts a little). */
static uint64_t stories_simhash_of(const struct stories_title *ti)
{
	int v[64] = {0}, b;
	uint64_t h = 0;
	size_t i;

	for (i = 0; i < ti->nseq; i++) {
		stories_simhash_add(v, ti->seq[i]);
		if (i + 1 < ti->nseq)
			stories_simhash_add(v, stories_mix(ti->seq[i] * 31 +
			                                   ti->seq[i + 1]));
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

static int stories_popcount(uint64_t x)
{
	int n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

/* Size of the intersection of two sorted sets. */
static size_t stories_common(const uint64_t *a, size_t na, const uint64_t *b,
                             size_t nb)
{
	size_t i = 0, j = 0, n = 0;

	while (i < na && j < nb) {
		if (a[i] < b[j]) {
			i++;
		} else if (a[i] > b[j]) {
			j++;
		} else {
			n++;
			i++;
			j++;
		}
	}
	return n;
}

static struct stories_view stories_view_of(const struct stories_title *ti)
{
	struct stories_view v = {ti->set, ti->num, ti->nset, ti->nnum};

	return v;
}

/* Whether two titles are one story: enough tokens each; no number on
 * each side that the other lacks (vLLM v0.6.1 is not v0.6.2, Llama 3.1
 * not 3.2); not one token swapped for another (the Nobel Prize in
 * Physics is not the one in Chemistry); token sets that overlap by
 * STORIES_JACCARD_NUM / STORIES_JACCARD_DEN (Jaccard). */
static bool stories_match(const struct stories_view *a,
                          const struct stories_view *b)
{
	size_t common;

	if (a->nset < STORIES_MIN_TOKENS || b->nset < STORIES_MIN_TOKENS)
		return false;
	common = stories_common(a->num, a->nnum, b->num, b->nnum);
	if (common < a->nnum && common < b->nnum)
		return false;
	common = stories_common(a->set, a->nset, b->set, b->nset);
	if (a->nset == common + 1 && b->nset == common + 1)
		return false;
	/* common / (na + nb - common) >= num / den, in integers */
	return common * STORIES_JACCARD_DEN >=
	       (a->nset + b->nset - common) * STORIES_JACCARD_NUM;
}

int stories_titles_match(const char *a, const char *b)
{
	struct stories_title ta, tb;
	struct stories_view va, vb;

	stories_title_parse(a, &ta);
	stories_title_parse(b, &tb);
	va = stories_view_of(&ta);
	vb = stories_view_of(&tb);
	return stories_match(&va, &vb);
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

/* Where one item's token sets are in the pool. */
struct stories_ref {
	size_t set, nset, num, nnum;
};

/* Everything stories_cluster works on. */
struct stories_ctx {
	const struct story_input *in;
	size_t n;
	uint64_t *pool; /* every item's token sets, one after another */
	size_t npool, pool_cap;
	struct stories_ref *refs;
	uint64_t *simhash;
	struct stories_sets u;
};

static struct stories_view stories_view_at(const struct stories_ctx *c,
                                           size_t i)
{
	const struct stories_ref *r = &c->refs[i];
	struct stories_view v = {c->pool + r->set, c->pool + r->num, r->nset,
	                         r->nnum};

	return v;
}

static size_t stories_pool_put(struct stories_ctx *c, const uint64_t *v,
                               size_t n)
{
	size_t at = c->npool;

	if (n == 0)
		return at;
	if (c->npool + n > c->pool_cap) {
		c->pool_cap = c->pool_cap ? c->pool_cap * 2 : 4096;
		if (c->pool_cap < c->npool + n)
			c->pool_cap = c->npool + n;
		c->pool = xreallocarray(c->pool, c->pool_cap, sizeof *c->pool);
	}
	memcpy(c->pool + c->npool, v, n * sizeof *v);
	c->npool += n;
	return at;
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

/* Compare two items' titles and join them when they match. */
static void stories_try(struct stories_ctx *c, size_t a, size_t b)
{
	struct stories_view va, vb;

	if (stories_find(&c->u, a) == stories_find(&c->u, b) ||
	    !stories_close_in_time(c->in[a].time, c->in[b].time))
		return;
	va = stories_view_at(c, a);
	vb = stories_view_at(c, b);
	if (stories_match(&va, &vb))
		stories_union(&c->u, a, b);
}

/* Sort an index and compare each entry with the few before it that have
 * the same key. */
static void stories_probe(struct stories_ctx *c, struct stories_entry *e,
                          size_t n, bool near_hashes)
{
	size_t i, j;

	if (n < 2)
		return;
	qsort(e, n, sizeof *e, stories_cmp_entry);
	for (i = 1; i < n; i++)
		for (j = i; j-- > 0 && i - j <= STORIES_NEIGHBOURS;) {
			if (e[j].key != e[i].key)
				break;
			if (near_hashes &&
			    stories_popcount(c->simhash[e[i].item] ^
			                     c->simhash[e[j].item]) >
			            STORIES_MAX_DISTANCE)
				continue;
			stories_try(c, e[j].item, e[i].item);
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
		stories_probe(c, e, c->n, true);
	}
	free(e);
}

static int stories_cmp_key(const void *a, const void *b)
{
	const struct stories_entry *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

/* How many titles have each token: a sorted array of entries (key: token
 * hash, order: count). */
static struct stories_entry *stories_df(const struct stories_ctx *c,
                                        size_t *nout)
{
	struct stories_entry *df;
	uint64_t *all = xcalloc(c->npool + 1, sizeof *all);
	size_t total = 0, i, n = 0;

	for (i = 0; i < c->n; i++) {
		if (c->refs[i].nset == 0)
			continue;
		memcpy(all + total, c->pool + c->refs[i].set,
		       c->refs[i].nset * sizeof *all);
		total += c->refs[i].nset;
	}
	qsort(all, total, sizeof *all, stories_cmp_u64);
	df = xcalloc(total + 1, sizeof *df);
	for (i = 0; i < total; i++) {
		if (n && df[n - 1].key == all[i]) {
			df[n - 1].order++;
			continue;
		}
		df[n].key = all[i];
		df[n].order = 1;
		n++;
	}
	free(all);
	*nout = n;
	return df;
}

static int stories_cmp_rarity(const void *a, const void *b)
{
	const struct stories_entry *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return (x->key > y->key) - (x->key < y->key);
}

/* Prefix filtering (the AllPairs method): with each title's tokens
 * ordered rarest first, two titles whose sets reach Jaccard t share a
 * token among the first |x| - ceil(t |x|) + 1 of each. Index those
 * prefix tokens and compare the titles that share one: the keys are rare
 * tokens (names, versions), so buckets stay small. */
static void stories_by_tokens(struct stories_ctx *c)
{
	struct stories_entry *df, tok[STORIES_MAX_TOKENS], *hit, *e = NULL;
	struct stories_view v;
	size_t ndf, i, j, p, ne = 0, cap = 0;

	df = stories_df(c, &ndf);
	for (i = 0; i < c->n; i++) {
		v = stories_view_at(c, i);
		if (v.nset < STORIES_MIN_TOKENS)
			continue;
		for (j = 0; j < v.nset; j++) {
			tok[j].key = v.set[j];
			hit = bsearch(&tok[j], df, ndf, sizeof *df,
			              stories_cmp_key);
			tok[j].order = hit ? hit->order : 1;
		}
		qsort(tok, v.nset, sizeof *tok, stories_cmp_rarity);
		p = v.nset -
		    (v.nset * STORIES_JACCARD_NUM + STORIES_JACCARD_DEN - 1) /
		            STORIES_JACCARD_DEN +
		    1;
		if (ne + p > cap) {
			cap = cap ? cap * 2 : 1024;
			if (cap < ne + p)
				cap = ne + p;
			e = xreallocarray(e, cap, sizeof *e);
		}
		for (j = 0; j < p && j < v.nset; j++) {
			e[ne].key = tok[j].key;
			/* neighbours in time first (the sign bit flipped
			 * so negative times sort first) */
			e[ne].order =
			        (uint64_t)c->in[i].time ^ ((uint64_t)1 << 63);
			e[ne].item = i;
			ne++;
		}
	}
	stories_probe(c, e, ne, false);
	free(e);
	free(df);
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
	size_t i, r, next = 0, *label;

	if (n == 0)
		return 0;
	memset(&c, 0, sizeof c);
	c.in = items;
	c.n = n;
	c.refs = xcalloc(n, sizeof *c.refs);
	c.simhash = xcalloc(n, sizeof *c.simhash);
	c.u.parent = xcalloc(n, sizeof *c.u.parent);
	c.u.size = xcalloc(n, sizeof *c.u.size);
	for (i = 0; i < n; i++) {
		stories_title_parse(items[i].title, &ti);
		c.simhash[i] = stories_simhash_of(&ti);
		c.refs[i].nset = ti.nset;
		c.refs[i].set = stories_pool_put(&c, ti.set, ti.nset);
		c.refs[i].nnum = ti.nnum;
		c.refs[i].num = stories_pool_put(&c, ti.num, ti.nnum);
		c.u.parent[i] = i;
		c.u.size[i] = 1;
	}
	stories_by_url(&c);
	stories_by_bands(&c);
	stories_by_tokens(&c);

	label = c.u.size; /* reused: the sizes are not needed any more */
	for (i = 0; i < n; i++)
		label[i] = SIZE_MAX;
	for (i = 0; i < n; i++) {
		r = stories_find(&c.u, i);
		if (label[r] == SIZE_MAX)
			label[r] = next++;
		story_of[i] = label[r];
	}
	free(c.pool);
	free(c.refs);
	free(c.simhash);
	free(c.u.parent);
	free(c.u.size);
	return next;
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
