#ifndef AIDIGEST_STORIES_H
#define AIDIGEST_STORIES_H

#include <stddef.h>
#include <stdint.h>

/* Stories: items from different sources about the same thing, merged.
 * Two items are one story when they share a canonical URL, or when their
 * titles are near-duplicates (SimHash of word shingles of the normalized
 * title, Hamming distance at most STORIES_MAX_DISTANCE, checked against
 * the token overlap so short titles do not merge by chance). The test
 * suite measures precision and recall on a labelled fixture set
 * (tests/fixtures/stories/). */

#define STORIES_MAX_DISTANCE 3

struct story_input {
	const char *title;
	const char *canonical_url; /* may be NULL */
	int64_t time;
};

/* 64-bit SimHash of a title (case, punctuation and accents folded;
 * Hangul kept as it is). */
uint64_t stories_simhash(const char *title);

/* Whether two titles read as the same story. */
int stories_titles_match(const char *a, const char *b);

/* Cluster items into stories: story_of[i] is the story of item i, numbered
 * from 0 in order of first appearance. Returns the number of stories.
 * O(n log n)-ish; n up to 100,000. */
size_t stories_cluster(const struct story_input *items, size_t n,
		       size_t *story_of);

struct store;

/* Rebuild the stories of the items whose time is in [from, to) (plus the
 * day before, so a story that began then keeps its items): load them,
 * cluster them, store the assignment. 0, or -1 (store_error says why). */
int stories_rebuild(struct store *st, int64_t from, int64_t to);

#endif
