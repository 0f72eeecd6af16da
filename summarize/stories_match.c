#include "summarize/stories_impl.h"

/* Whether two titles report one event (stories.h says the rules). Titles
 * in one language that share half their tokens are one story, as they
 * always were. Otherwise evidence is counted in halves of a proof
 * (STORIES_WEIGHT_*): a shared name (one run of name tokens equal in
 * both: GPT-4o mini, not GPT-4o), a shared figure, a shared company,
 * person or word. Two proofs with a name or a figure among them make a
 * match; one shared name alone, or a company, never does. */

/* Evidence, in halves, for a match with a name or a figure (two proofs),
 * and for one with a figure, or with a versioned name that is the
 * subject of two launches (a proof and a half). */
#define STORIES_PROOF 4
#define STORIES_PROOF_FIGURE 3
#define STORIES_PROOF_LAUNCH 3

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

/* common / (na + nb - common) >= NUM / DEN, in integers */
static bool stories_jaccard(size_t common, size_t na, size_t nb)
{
	return common * STORIES_JACCARD_DEN >=
	       (na + nb - common) * STORIES_JACCARD_NUM;
}

/* What two titles share. */
struct stories_shared {
	unsigned halves;    /* evidence, in halves of a proof */
	unsigned names;     /* shared names worth a proof */
	unsigned figures;   /* shared figures */
	unsigned words;     /* shared words among the units */
	unsigned companies; /* shared companies among the units */
	unsigned units;     /* shared units */
	bool conflict;      /* a family with two versions */
};

static bool stories_has_run(const struct stories_view *v, uint64_t all)
{
	size_t i;

	for (i = 0; i < v->nrun; i++)
		if (v->run[i].all == all)
			return true;
	return false;
}

/* Names: each shared one counts once; two names of one family with
 * other versions or tiers (GPT-4o and GPT-4o mini, Claude 3.5 Sonnet and
 * Haiku), outside comparisons, are a conflict unless each title also has
 * the other's. */
static void stories_share_names(const struct stories_view *a,
                                const struct stories_view *b,
                                struct stories_shared *sh)
{
	const struct stories_run *x, *y;
	size_t i, j, k;
	bool seen;

	for (i = 0; i < a->nrun; i++) {
		x = &a->run[i];
		for (j = 0; j < b->nrun; j++) {
			y = &b->run[j];
			if (x->all == y->all || x->base == 0 ||
			    x->base != y->base || x->key == y->key ||
			    ((x->flags | y->flags) & SR_CONTEXT))
				continue;
			if (!stories_has_run(b, x->all) &&
			    !stories_has_run(a, y->all))
				sh->conflict = true;
		}
		if (!x->weight || !stories_has_run(b, x->all))
			continue;
		for (seen = false, k = 0; k < i && !seen; k++)
			seen = a->run[k].all == x->all;
		if (seen)
			continue;
		sh->halves += x->weight;
		sh->names += x->weight == STORIES_WEIGHT_FULL;
	}
}

/* Tokens outside names: a figure (the same side of a comparison in
 * both) is a proof; a company, a person or a word half of one. */
static void stories_share_tokens(const struct stories_view *a,
                                 const struct stories_view *b,
                                 struct stories_shared *sh)
{
	uint16_t x, y;
	size_t i = 0, j = 0;

	while (i < a->nset && j < b->nset) {
		if (a->set[i] < b->set[j]) {
			i++;
			continue;
		}
		if (a->set[i] > b->set[j]) {
			j++;
			continue;
		}
		x = a->attr[i++];
		y = b->attr[j++];
		if (STORIES_KIND(x) == SK_FIGURE) {
			if ((x & ST_CONTEXT) != (y & ST_CONTEXT))
				continue;
			sh->halves += 2;
			sh->figures++;
		} else if (STORIES_KIND(x) != SK_NAME) {
			sh->halves++;
		}
	}
}

/* Units both languages read: how many are shared, how many words. */
static void stories_share_units(const struct stories_view *a,
                                const struct stories_view *b,
                                struct stories_shared *sh)
{
	size_t i = 0, j = 0;

	while (i < a->nunit && j < b->nunit) {
		if (a->unit[i] < b->unit[j]) {
			i++;
		} else if (a->unit[i] > b->unit[j]) {
			j++;
		} else {
			sh->units++;
			sh->words += a->unit_kind[i] == SK_WORD;
			sh->companies += a->unit_kind[i] == SK_COMPANY;
			i++;
			j++;
		}
	}
}

/* The subject of both (their first name outside comparisons) is the
 * same versioned name, and both announce a launch. */
static bool stories_same_launch(const struct stories_view *a,
                                const struct stories_view *b)
{
	return a->launch && b->launch && a->subject >= 0 && b->subject >= 0 &&
	       a->run[a->subject].all == b->run[b->subject].all &&
	       (a->run[a->subject].flags & SR_VERSION);
}

/* An organization a title is about (not one it is compared with, not a
 * person). */
static bool stories_is_company(uint16_t attr)
{
	return STORIES_KIND(attr) == SK_COMPANY && !(attr & ST_CONTEXT);
}

/* Whether both titles name companies and none of them is the same
 * (OpenAI raises $40 billion, Anthropic raises $40 billion). */
static bool stories_other_companies(const struct stories_view *a,
                                    const struct stories_view *b)
{
	size_t i = 0, j = 0, na = 0, nb = 0;

	for (i = 0; i < a->nset; i++)
		na += stories_is_company(a->attr[i]);
	for (j = 0; j < b->nset; j++)
		nb += stories_is_company(b->attr[j]);
	if (na == 0 || nb == 0)
		return false;
	for (i = 0, j = 0; i < a->nset && j < b->nset;) {
		if (a->set[i] < b->set[j]) {
			i++;
		} else if (a->set[i] > b->set[j]) {
			j++;
		} else {
			if (stories_is_company(a->attr[i]) &&
			    stories_is_company(b->attr[j]))
				return false;
			i++;
			j++;
		}
	}
	return true;
}

/* Whether both titles are about a name (their subject: the first name
 * outside comparisons) and neither names the other's (Introducing
 * LotusLM 8 ... 8x22B, Introducing Cobalt-R 8 ... 8x22B: two launches of
 * one template, not one). */
static bool stories_other_subjects(const struct stories_view *a,
                                   const struct stories_view *b)
{
	uint64_t x, y;

	if (a->subject < 0 || b->subject < 0)
		return false;
	x = a->run[a->subject].all;
	y = b->run[b->subject].all;
	return x != y && !stories_has_run(b, x) && !stories_has_run(a, y);
}

/* The kind of the one token of v that w lacks (v has exactly one). */
static uint8_t stories_lone_kind(const struct stories_view *v,
                                 const struct stories_view *w)
{
	size_t i, j = 0;

	for (i = 0; i < v->nset; i++) {
		while (j < w->nset && w->set[j] < v->set[i])
			j++;
		if (j == w->nset || w->set[j] != v->set[i])
			return STORIES_KIND(v->attr[i]);
	}
	return SK_WORD;
}

/* Never one story: each has a number the other lacks (vLLM v0.6.1 and
 * v0.6.2, Llama 3.1 and 3.2); each is about companies the other does not
 * name; in one language, one token swapped for another of its kind (the
 * Nobel Prize in Physics and in Chemistry). */
static bool stories_vetoed(const struct stories_view *a,
                           const struct stories_view *b)
{
	size_t common = stories_common(a->num, a->nnum, b->num, b->nnum);

	if ((common < a->nnum && common < b->nnum) ||
	    stories_other_companies(a, b) || stories_other_subjects(a, b))
		return true;
	if (a->korean != b->korean)
		return false;
	common = stories_common(a->set, a->nset, b->set, b->nset);
	return a->nset == common + 1 && b->nset == common + 1 &&
	       stories_lone_kind(a, b) == stories_lone_kind(b, a);
}

bool stories_same_subject(const struct stories_view *a,
                          const struct stories_view *b)
{
	return a->subject >= 0 && b->subject >= 0 &&
	       a->run[a->subject].all == b->run[b->subject].all &&
	       (a->run[a->subject].flags & SR_VERSION);
}

enum stories_verdict stories_compare(const struct stories_view *a,
                                     const struct stories_view *b)
{
	struct stories_shared sh = {0};
	size_t common;
	bool proof;

	if (stories_vetoed(a, b))
		return STORIES_DIFFERENT;
	stories_share_names(a, b, &sh);
	if (sh.conflict)
		return STORIES_DIFFERENT;
	if (a->korean == b->korean && a->nset >= STORIES_MIN_TOKENS &&
	    b->nset >= STORIES_MIN_TOKENS) {
		common = stories_common(a->set, a->nset, b->set, b->nset);
		if (stories_jaccard(common, a->nset, b->nset))
			return STORIES_SAME;
	}
	stories_share_tokens(a, b, &sh);
	proof = sh.names + sh.figures > 0;
	if (a->korean != b->korean) {
		stories_share_units(a, b, &sh);
		if (sh.units >= STORIES_MIN_UNITS &&
		    stories_jaccard(sh.units, a->nunit, b->nunit) &&
		    (sh.words >= 2 || sh.companies >= 2 || proof))
			return STORIES_SAME;
	}
	if ((proof && sh.halves >= STORIES_PROOF) ||
	    (sh.figures && sh.halves >= STORIES_PROOF_FIGURE) ||
	    (stories_same_launch(a, b) && sh.halves >= STORIES_PROOF_LAUNCH))
		return STORIES_SAME;
	return proof ? STORIES_UNSURE : STORIES_DIFFERENT;
}
