#ifndef AIDIGEST_STORIES_H
#define AIDIGEST_STORIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/* Stories: items from different sources about the same thing, merged.
 * Two items are one story when they share a canonical URL (at any time
 * apart), or when their titles match (stories_titles_compare) and their
 * times are at most three days apart; matches join transitively. Pairs
 * to compare come from SimHash bands (near-identical titles), from an
 * index of each title's rarest tokens and of its rarest units (prefix
 * filtering: every pair over the overlap thresholds shares one) and from
 * an index of names and figures, never from all pairs. Korean and English
 * titles of one story match through what they share: names of models and
 * products (o3-pro, Mixtral 8x22B), figures with units (70억 = 7B) and a
 * lexicon of companies, names and words (오픈AI = OpenAI; built into the
 * program from summarize/stories_*.txt). Precision comes first: one
 * shared company or name is not enough. The test suite measures pairwise
 * precision and recall on labelled sets (tests/fixtures/stories/). */

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

/* What the matcher says of two titles. */
enum stories_verdict {
	STORIES_DIFFERENT,
	STORIES_UNSURE, /* a shared name or figure, not enough: one for the
	                 * panel's vote */
	STORIES_SAME,
};

/* Whether two titles report one event. Titles are read into tokens:
 * case, punctuation, URLs, stop words, possessives and plurals dropped;
 * the lexicon's words as their canonical words (구글은 is google); figures
 * with their units ($4 billion, 40억달러 and 4B are 4b; 25만6천 is 256k);
 * other Hangul words by their first two syllables, Han by bigrams. Names
 * are runs of adjacent name tokens (GPT-4o mini); those after "beats" or
 * before 능가 are comparisons. Never the same: each has a number the
 * other lacks; each is about companies the other does not name; a name of
 * one family with another version or tier (GPT-4o, GPT-4o mini); in one
 * language, one token swapped for another of its kind. The same: in one
 * language, half their tokens shared (Jaccard); across languages, half
 * the names, figures and lexicon words both can read, three at least;
 * or enough evidence with a shared name or figure (stories_match.c: a
 * shared name or figure alone is not enough). Unsure: a shared name or
 * figure without the rest, the pairs an LLM vote could settle. */
enum stories_verdict stories_titles_compare(const char *a, const char *b);

/* stories_titles_compare(a, b) == STORIES_SAME. */
int stories_titles_match(const char *a, const char *b);

/* Whether both titles are about one versioned name, their subject (the
 * first name outside comparisons: "Introducing Corvid-3: ..." and
 * "Corvid-3: first impressions"), and the two are not told apart by a
 * veto. Not one story (a launch and a review of it are two), but one
 * event for a day's selection: a reader gets one of them. */
bool stories_titles_same_subject(const char *a, const char *b);

/* One event for a day's selection: the titles match, or are about one
 * versioned name; each title parsed once. */
bool stories_titles_one_event(const char *a, const char *b);

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
