#include "summarize/stories_impl.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The lexicon: names and words that Korean and English titles spell
 * differently, in three texts built into the program (the Makefile's
 * EMBED list: summarize/stories_{companies,names,words}.txt, as a C
 * string may not pass 4,095 bytes). One entry a line:
 *
 *     KIND CANONICAL = VARIANT, VARIANT, ...
 *
 * A title's words that spell a variant, or the canonical words, are read
 * as the canonical words: 오픈AI가 and OpenAI's are both "openai". Variants
 * are read as titles are (stories_scan: case folded, split where the
 * script changes, so 챗GPT is 챗 + gpt); the last word of a variant may
 * carry a Korean particle (엔비디아의) or a plural s; the longest variant
 * wins. What sharing a word of each KIND proves (stories_match.c):
 *
 *   company, person  an organization or a person: little alone (a lab's
 *                    launch and its funding are two stories)
 *   name             a product, a model family, a project: with a
 *                    version (Gemini 3.5) it names one release
 *   tier             a part of a model's name (mini, pro, flash): GPT-5
 *                    and GPT-5 mini are two models
 *   word             an ordinary word of AI news (weak)
 *   compare          English: the names after it are what the story is
 *                    compared with (beats GPT-5), not its subject
 *   compared         Korean: the names before it are (GPT-5 능가, o1급)
 *
 * Lines starting with # are comments. */
extern const char stories_companies_text[];
extern const char stories_names_text[];
extern const char stories_words_text[];

/* Entries and variants the lexicon holds at most: the text has a few
 * hundred; more are ignored (the unit test checks there is room). */
#define STORIES_LEX_ENTRIES 1024
#define STORIES_LEX_VARIANTS 4096
/* Words of one variant at most ("Ministry of Science and ICT"). */
#define STORIES_LEX_WORDS 6

struct stories_lex_variant {
	uint64_t word[STORIES_LEX_WORDS]; /* hashes of its words */
	uint16_t entry;
	uint8_t nwords;
};

struct stories_lexicon {
	struct stories_lex_entry entries[STORIES_LEX_ENTRIES];
	struct stories_lex_variant variants[STORIES_LEX_VARIANTS];
	size_t nentries, nvariants;
	size_t nbad; /* lines and variants not read, variants of two entries */
};

static const struct {
	const char *name;
	enum stories_lex_kind kind;
} stories_lex_kinds[] = {
        {"company", SL_COMPANY},   {"person", SL_PERSON},
        {"name", SL_NAME},         {"tier", SL_TIER},
        {"word", SL_WORD},         {"compare", SL_COMPARE},
        {"compared", SL_COMPARED},
};

/* Built once from the text, read-only after: a constant of the program
 * that is cheaper to read than to write out in C. */
static struct stories_lexicon stories_lex;
static pthread_once_t stories_lex_once = PTHREAD_ONCE_INIT;

/* Sorted by first word, then longest first: the longest variant that
 * matches is the first one found. */
static int stories_cmp_variant(const void *a, const void *b)
{
	const struct stories_lex_variant *x = a, *y = b;

	if (x->word[0] != y->word[0])
		return x->word[0] < y->word[0] ? -1 : 1;
	if (x->nwords != y->nwords)
		return x->nwords > y->nwords ? -1 : 1;
	return (x->entry > y->entry) - (x->entry < y->entry);
}

/* Add p[0..n) as a variant of entry e (its words as the scanner reads
 * them). */
static void stories_lex_add_variant(struct stories_lexicon *lx, size_t e,
                                    const char *p, size_t n)
{
	struct stories_raw raw[STORIES_LEX_WORDS + 1];
	struct stories_lex_variant *v;
	char text[STORIES_TITLE_MAX];
	size_t i, nw;

	if (n == 0 || n >= sizeof text ||
	    lx->nvariants == STORIES_LEX_VARIANTS) {
		lx->nbad++;
		return;
	}
	memcpy(text, p, n);
	text[n] = '\0';
	nw = stories_scan(text, raw, STORIES_LEX_WORDS + 1);
	if (nw == 0 || nw > STORIES_LEX_WORDS) {
		lx->nbad++;
		return;
	}
	v = &lx->variants[lx->nvariants++];
	memset(v, 0, sizeof *v);
	for (i = 0; i < nw; i++)
		v->word[i] = stories_word_hash(raw[i].text, raw[i].len);
	v->nwords = (uint8_t)nw;
	v->entry = (uint16_t)e;
}

static const char *stories_trim(const char *p, const char *end,
                                const char **trim_end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p &&
	       (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	*trim_end = end;
	return p;
}

/* One line: KIND CANONICAL = VARIANT, VARIANT, ... */
static void stories_lex_line(struct stories_lexicon *lx, const char *p,
                             const char *end)
{
	struct stories_raw raw[STORIES_LEX_OUT + 1];
	struct stories_lex_entry *e;
	const char *eq, *sp, *q, *comma, *qe;
	char canon[STORIES_TITLE_MAX];
	size_t i, k, n;

	p = stories_trim(p, end, &end);
	if (p == end || *p == '#')
		return;
	lx->nbad++; /* until the line is read */
	if (lx->nentries == STORIES_LEX_ENTRIES)
		return;
	sp = memchr(p, ' ', (size_t)(end - p));
	eq = memchr(p, '=', (size_t)(end - p));
	if (!eq)
		eq = end;
	if (!sp || eq < sp)
		return;
	for (k = 0; k < sizeof stories_lex_kinds / sizeof stories_lex_kinds[0];
	     k++)
		if (strlen(stories_lex_kinds[k].name) == (size_t)(sp - p) &&
		    memcmp(stories_lex_kinds[k].name, p, (size_t)(sp - p)) == 0)
			break;
	if (k == sizeof stories_lex_kinds / sizeof stories_lex_kinds[0])
		return;
	q = stories_trim(sp, eq, &qe);
	n = (size_t)(qe - q);
	if (n == 0 || n >= sizeof canon)
		return;
	memcpy(canon, q, n);
	canon[n] = '\0';
	e = &lx->entries[lx->nentries];
	memset(e, 0, sizeof *e);
	e->kind = (uint8_t)stories_lex_kinds[k].kind;
	n = stories_scan(canon, raw, STORIES_LEX_OUT + 1);
	for (i = 0; i < n && i < STORIES_LEX_OUT; i++)
		e->out[e->nout++] = stories_word_hash(raw[i].text, raw[i].len);
	stories_lex_add_variant(lx, lx->nentries, canon, strlen(canon));
	for (q = eq + 1; q < end; q = comma + 1) {
		comma = memchr(q, ',', (size_t)(end - q));
		if (!comma)
			comma = end;
		q = stories_trim(q, comma, &qe);
		stories_lex_add_variant(lx, lx->nentries, q, (size_t)(qe - q));
	}
	lx->nentries++;
	lx->nbad--;
}

static void stories_lex_build(void)
{
	const char *const texts[] = {stories_companies_text, stories_names_text,
	                             stories_words_text};
	struct stories_lexicon *lx = &stories_lex;
	const char *p, *nl;
	size_t t;

	for (t = 0; t < sizeof texts / sizeof texts[0]; t++)
		for (p = texts[t]; *p; p = *nl ? nl + 1 : nl) {
			nl = strchr(p, '\n');
			if (!nl)
				nl = p + strlen(p);
			stories_lex_line(lx, p, nl);
		}
	qsort(lx->variants, lx->nvariants, sizeof lx->variants[0],
	      stories_cmp_variant);
	for (t = 1; t < lx->nvariants; t++)
		if (lx->variants[t].entry != lx->variants[t - 1].entry &&
		    lx->variants[t].nwords == lx->variants[t - 1].nwords &&
		    memcmp(lx->variants[t].word, lx->variants[t - 1].word,
		           sizeof lx->variants[t].word) == 0)
			lx->nbad++;
}

const struct stories_lexicon *stories_lexicon_get(void)
{
	pthread_once(&stories_lex_once, stories_lex_build);
	return &stories_lex;
}

void stories_lexicon_stats(const struct stories_lexicon *lx, size_t *entries,
                           size_t *variants, size_t *bad)
{
	*entries = lx->nentries;
	*variants = lx->nvariants;
	*bad = lx->nbad;
}

/* The hashes a word may be looked up by: as written; without a plural s
 * (models) or a Korean particle (엔비디아의). Returns how many; the first
 * is the word as written; *ending is how the second one ends. */
static size_t stories_lex_keys(const struct stories_raw *r, uint64_t key[2],
                               enum stories_ending *ending)
{
	size_t n = 0, p;
	bool than;

	*ending = STORIES_END_NONE;
	key[n++] = stories_word_hash(r->text, r->len);
	if (r->cls == SC_WORD && r->len >= 4 && r->text[r->len - 1] == 's') {
		key[n++] = stories_word_hash(r->text, r->len - 1);
	} else if (r->cls == SC_HANGUL &&
	           (p = stories_particle_len(r->text, r->len, &than))) {
		key[n++] = stories_word_hash(r->text, r->len - p);
		*ending = than ? STORIES_END_THAN : STORIES_END_PARTICLE;
	}
	return n;
}

/* Whether variant v matches the words raw[i..n): the words after the
 * first as written, the last one also with a particle or a plural s;
 * none across a phrase's end. *ending: how the last word ends. */
static bool stories_lex_rest(const struct stories_lex_variant *v,
                             const struct stories_raw *raw, size_t n, size_t i,
                             enum stories_ending *ending)
{
	uint64_t key[2];
	size_t w, k, nk;
	enum stories_ending end = STORIES_END_NONE;
	bool hit;

	if (i + v->nwords > n)
		return false;
	for (w = 1; w < v->nwords; w++) {
		if (raw[i + w].flags & STORIES_RAW_CLAUSE)
			return false;
		nk = stories_lex_keys(&raw[i + w], key, &end);
		if (w + 1 < v->nwords)
			nk = 1;
		for (hit = false, k = 0; k < nk && !hit; k++)
			hit = key[k] == v->word[w];
		if (!hit)
			return false;
		if (k == 1)
			end = STORIES_END_NONE;
	}
	*ending = end;
	return true;
}

size_t stories_lexicon_match(const struct stories_lexicon *lx,
                             const struct stories_raw *raw, size_t n, size_t i,
                             const struct stories_lex_entry **entry,
                             enum stories_ending *ending)
{
	const struct stories_lex_variant *v, *best = NULL;
	uint64_t key[2];
	size_t nk, k, lo, hi, mid;
	enum stories_ending first, rest, end;

	*entry = NULL;
	*ending = STORIES_END_NONE;
	nk = stories_lex_keys(&raw[i], key, &first);
	for (k = 0; k < nk; k++) {
		lo = 0;
		hi = lx->nvariants;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (lx->variants[mid].word[0] < key[k])
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < lx->nvariants && lx->variants[lo].word[0] == key[k];
		     lo++) {
			v = &lx->variants[lo];
			/* a particle or a plural only on the last word */
			if (k > 0 && v->nwords > 1)
				continue;
			if (!stories_lex_rest(v, raw, n, i, &rest))
				continue;
			end = v->nwords > 1 ? rest
			      : k > 0       ? first
			                    : STORIES_END_NONE;
			if (!best || v->nwords > best->nwords) {
				best = v;
				*ending = end;
			}
			break; /* longest first within one key */
		}
	}
	if (!best)
		return 0;
	*entry = &lx->entries[best->entry];
	return best->nwords;
}
