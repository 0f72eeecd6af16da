#ifndef AIDIGEST_STORIES_H
#define AIDIGEST_STORIES_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/* Stories: items from different sources about the same thing, merged.
 * Two items are one story when they share a canonical URL (at any time
 * apart), or when their titles match (stories_titles_match) and their
 * times are at most three days apart; matches join transitively. Pairs
 * to compare come from SimHash bands (near-identical titles) and from an
 * index of each title's rarest tokens (prefix filtering: every pair over
 * the token-overlap threshold shares one), never from all pairs. Titles
 * are compared by words, so a Korean and an English title of one story
 * do not match. The test suite measures pairwise precision and recall on
 * labelled sets (tests/fixtures/stories/); paraphrased headlines are
 * mostly missed: precision comes first. */

/* The Hamming distance within which SimHash bands (four of 16 bits, so
 * every such pair shares one) propose a pair for the title test. */
#define STORIES_MAX_DISTANCE 3

struct story_input {
	const char *title;         /* may be NULL */
	const char *canonical_url; /* may be NULL or "" */
	int64_t time;
};

/* 64-bit SimHash of a title's shingles (its tokens, as below, and pairs
 * of neighbouring tokens), features hashed with FNV-1a and a mixer. Equal
 * for titles that differ only in case, punctuation, symbols, URLs or stop
 * words; 0 for a title without tokens. Stable across runs and hosts. */
uint64_t stories_simhash(const char *title);

/* Whether two titles read as the same story. Both are normalized: ASCII
 * lower-cased, fullwidth forms as ASCII, punctuation, symbols, emoji and
 * URLs as spaces, tokens split where the script changes; stop words and
 * announcement verbs dropped, a possessive 's and an English plural s
 * dropped, "v1.2" read as "1.2" and "$4 billion" as "$4b", a Hangul word
 * cut to its first two syllables (particles and endings), Han and kana
 * runs read as character bigrams; other text kept as is (no Unicode
 * normalization, no accent folding). They match when each has at least
 * two tokens, neither has a number token the other lacks while the other
 * has one it lacks (v0.6.1 against v0.6.2), they do not differ in exactly
 * one token each (Physics against Chemistry), and their token sets have a
 * Jaccard index of at least 1/2. */
int stories_titles_match(const char *a, const char *b);

/* Cluster items into stories: story_of[i] is the story of item i, numbered
 * from 0 in order of first appearance. Returns the number of stories.
 * Near-linear in n (sorted indexes, a bounded number of neighbours per
 * bucket); 100,000 titles take about a second. */
size_t stories_cluster(const struct story_input *items, size_t n,
                       size_t *story_of);

struct store;
struct store_story;

/* A story's items, most trusted first, into order[0..s->nitems): the
 * highest source weight first; then items whose canonical URL is the one
 * most of the story's items share; then official sources (blog, release,
 * paper) before community, news and tweets; then the earliest. The first
 * is the story's face (its link, title and text in the post): a feed that
 * copies a big story's title with an earlier date and its own link does
 * not take the story over. */
void stories_trust_order(const struct store_story *s, size_t *order);

/* Rebuild the stories of the items whose time is in [from, to) (plus the
 * day before, so a story that began then keeps its items): load them,
 * cluster them, store the assignment (store_stories_assign: story ids are
 * reused where they can be). 0, or an ERR_* code (store_error says why). */
MUST_CHECK int stories_rebuild(struct store *st, int64_t from, int64_t to);

#endif
