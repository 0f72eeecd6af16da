#ifndef AIDIGEST_STORIES_IMPL_H
#define AIDIGEST_STORIES_IMPL_H

/* What the story files share (summarize/stories*.c); not for others.
 * stories_tokens.c reads a title into tokens, stories_lexicon.c reads the
 * lexicon of names and words (stories_lexicon.txt), stories_match.c says
 * whether two titles are one story, stories_cluster.c groups many. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "summarize/stories.h"

/* Titles longer than this are read up to here: a title is a line. */
#define STORIES_TITLE_MAX 1024
/* Tokens kept of one title (the rest are ignored). */
#define STORIES_MAX_TOKENS 64
/* Words the scanner keeps of one title, before normalization. */
#define STORIES_MAX_RAW 128
/* A token's bytes (longer ones are cut on a character boundary). */
#define STORIES_TOKEN_MAX 64

/* Token sets must overlap by at least NUM / DEN (Jaccard), in one
 * language; so must the units of titles in two (stories_match.c, and the
 * indexes of stories_cluster.c that propose every such pair). */
#define STORIES_JACCARD_NUM 1
#define STORIES_JACCARD_DEN 2
/* Title overlaps need this many tokens on each side: "v0.3.0" alone names
 * a version, not a project, and two such titles are not one story. */
#define STORIES_MIN_TOKENS 2
/* Across languages, units that overlap must share this many. */
#define STORIES_MIN_UNITS 3

enum stories_class { SC_SPACE, SC_WORD, SC_DIGIT, SC_HANGUL, SC_CJK };

/* What the scanner saw before a word. */
enum {
	STORIES_RAW_GAP = 1,    /* a space or a symbol, not a script change */
	STORIES_RAW_CLAUSE = 2, /* punctuation that ends a phrase: , : ( ' … */
	STORIES_RAW_UPPER = 4,  /* the word starts with an ASCII capital */
	STORIES_RAW_INNER = 8,  /* a capital after a small letter: OpenAI */
	STORIES_RAW_CAPS = 16,  /* two or more letters, all capitals: NVIDIA */
	STORIES_RAW_MONEY = 32,  /* a currency sign before it: $799, €2 */
	STORIES_RAW_HYPHEN = 64, /* joined to the word before by a hyphen
	                          * alone: Beacon-Med */
};

/* A word of a title as written: ASCII lower-cased, fullwidth forms as
 * ASCII, cut where the script changes (오픈AI가 is 오픈, ai, 가). */
struct stories_raw {
	char text[STORIES_TOKEN_MAX + 4];
	uint8_t len, chars, cls, flags;
};

/* Read title (up to STORIES_TITLE_MAX bytes) into at most max words;
 * returns their number. URLs are skipped, a possessive 's dropped, digits
 * keep their decimal points and commas (3.5, 260,000) and a % after them;
 * a letter next to digits joins them (o1, 4o, 405b). */
size_t stories_scan(const char *title, struct stories_raw *raw, size_t max);

/* The bytes of a Korean particle or ending that closes the Hangul word
 * p[0..n) (은, 의, 에서, 보다), leaving at least two syllables; 0 when
 * none. *comparative is set when it is 보다 ("than"). */
size_t stories_particle_len(const char *p, size_t n, bool *comparative);

/* The hash of one normalized word: FNV-1a and a bit mixer. */
uint64_t stories_word_hash(const char *p, size_t n);

/* A bit mixer (the SplitMix64 finalizer). */
uint64_t stories_mix(uint64_t x);

/* What a token is evidence of. */
enum stories_kind {
	SK_WORD,   /* an ordinary word */
	SK_NAME,   /* a product, model or project: Gemini, o5, 3.5, Northwind */
	SK_FIGURE, /* a quantity: 7b, 256k, 60%, $6.6b */
	SK_COMPANY, /* an organization: openai, 구글 */
	SK_PERSON,  /* a person: altman, 젠슨 황 */
	SK_FOREIGN, /* Hangul or Han text the lexicon does not know */
};

enum {
	ST_NUM = 1,     /* has a digit */
	ST_TIER = 2,    /* a part of a model's name: mini, pro, flash */
	ST_CONTEXT = 4, /* what the story is compared with (beats GPT-5) */
	ST_CROSS = 8,   /* readable in both languages: a name, a figure, a
	                 * word of the lexicon */
	ST_ADJ = 16,    /* right after the token before it: no word dropped
	                 * and no phrase's end between (GPT-4o mini) */
	ST_LEX = 32,    /* read from the lexicon */
	ST_BARE = 64,   /* digits and dots only: 3.5, 2026 */
};

struct stories_tok {
	uint64_t hash;
	uint8_t kind, flags;
};

/* Names a title holds at most (the rest are ignored). */
#define STORIES_MAX_RUNS 16

/* A name: a run of adjacent name tokens (GPT-4o mini, Claude Opus 5),
 * as sums of its tokens' hashes: all of them, its family (the tokens
 * without a digit or a tier: gpt, claude) and its version (4o mini). */
struct stories_run {
	uint64_t all, base, key;
	uint8_t weight; /* STORIES_WEIGHT_*: what sharing it proves */
	uint8_t flags;  /* SR_* */
};

enum {
	SR_CONTEXT = 1, /* what the story is compared with */
	SR_VERSION =
	        2, /* a family with a version: Gemini 3.5, o5, DeepSeek-V4 */
};

/* Evidence in halves: a company, a word or a lone capitalized word is
 * half a proof; a versioned name, a product of the lexicon, a figure or
 * a name of two capitalized words is one. */
enum { STORIES_WEIGHT_NONE, STORIES_WEIGHT_HALF, STORIES_WEIGHT_FULL };

/* A title as tokens: in title order (seq); as a sorted set of hashes
 * (set) with each one's kind and flags (attr, same order: kind << 8 |
 * flags, the flags of all its places but ST_CONTEXT, which it has only if
 * every place has it); those with a digit outside a comparison, sorted
 * (num); its names (run) and the first of them outside a comparison
 * (subject, -1 for none); the units a reader of either language can see
 * (names, and tokens with ST_CROSS in no name), sorted (unit), with their
 * kinds (unit_kind). korean: it has Hangul words; launch: it announces a
 * release (introducing, 출시). */
struct stories_title {
	struct stories_tok seq[STORIES_MAX_TOKENS];
	size_t nseq;
	uint64_t set[STORIES_MAX_TOKENS];
	uint16_t attr[STORIES_MAX_TOKENS];
	size_t nset;
	uint64_t num[STORIES_MAX_TOKENS];
	size_t nnum;
	uint64_t unit[STORIES_MAX_TOKENS];
	uint8_t unit_kind[STORIES_MAX_TOKENS];
	size_t nunit;
	struct stories_run run[STORIES_MAX_RUNS];
	size_t nrun;
	int subject;
	bool korean, launch;
};

#define STORIES_KIND(attr) ((uint8_t)((attr) >> 8))
#define STORIES_FLAGS(attr) ((uint8_t)((attr)&0xFF))

/* Read a title (stories_tokens.c). */
void stories_title_parse(const char *title, struct stories_title *ti);

/* Fill the sets, names and units of a title from its seq
 * (stories_title.c). */
void stories_title_finish(struct stories_title *ti);

/* 64-bit SimHash of a parsed title (stories_simhash). */
uint64_t stories_simhash_of(const struct stories_title *ti);

/* A parsed title wherever it is kept (a struct stories_title, or the
 * clusterer's pool); the same fields, without seq. */
struct stories_view {
	const uint64_t *set, *num, *unit;
	const uint16_t *attr;
	const uint8_t *unit_kind;
	const struct stories_run *run;
	size_t nset, nnum, nunit, nrun;
	int subject;
	bool korean, launch;
};

struct stories_view stories_view_of(const struct stories_title *ti);

/* Whether both parsed titles have one versioned name as their subject
 * (stories_match.c); stories_titles_same_subject adds "not vetoed". */
bool stories_same_subject(const struct stories_view *a,
                          const struct stories_view *b);

/* Whether two titles are one story (stories_match.c). */
enum stories_verdict stories_compare(const struct stories_view *a,
                                     const struct stories_view *b);

/* Lexicon */

enum stories_lex_kind {
	SL_COMPANY,
	SL_PERSON,
	SL_NAME,
	SL_TIER,
	SL_WORD,
	SL_COMPARE,  /* English: what follows is compared with */
	SL_COMPARED, /* Korean: what precedes is compared with */
};

/* Canonical words an entry stands for, at most this many. */
#define STORIES_LEX_OUT 4

struct stories_lex_entry {
	uint64_t out[STORIES_LEX_OUT]; /* word hashes */
	uint8_t nout, kind;
};

struct stories_lexicon;

/* The lexicon built into the program, read on first use and shared
 * (read-only) after that. */
const struct stories_lexicon *stories_lexicon_get(void);

/* How many entries and variants the lexicon holds, and how many lines
 * or variants it could not read or read for two entries (for the tests:
 * a typo in the texts is not silent). */
void stories_lexicon_stats(const struct stories_lexicon *lx, size_t *entries,
                           size_t *variants, size_t *bad);

/* How the last word of a lexicon match ends: as written (or with a
 * plural s), with a Korean particle (it closes a phrase: 카카오톡에 챗GPT
 * are two names), or with 보다 ("than": it is a comparison). */
enum stories_ending {
	STORIES_END_NONE,
	STORIES_END_PARTICLE,
	STORIES_END_THAN,
};

/* The longest variant that starts at raw[i] (of n): returns how many words
 * it takes, 0 when none does, its entry, and how it ends. */
size_t stories_lexicon_match(const struct stories_lexicon *lx,
                             const struct stories_raw *raw, size_t n, size_t i,
                             const struct stories_lex_entry **entry,
                             enum stories_ending *ending);

#endif
