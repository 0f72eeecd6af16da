#ifndef AIDIGEST_POOL_H
#define AIDIGEST_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The panel's arithmetic (PoLL, Verga et al. 2024): pooling judges'
 * scores into one ranking, their agreement, and the selection of the
 * day's stories. Pure functions over arrays; no I/O. */

enum pool_method {
	POOL_ZMEAN = 0, /* per-judge z-scores, weighted mean (default) */
	POOL_MEDIAN,    /* weighted median of the z-scores (the midpoint
	                 * when the weight splits evenly) */
	POOL_VOTE,      /* weighted share of judges whose score reaches
	                 * their own ceil(m/3)-th best of m (ties vote);
	                 * ties by a z-mean term smaller than any share gap */
	POOL_BORDA      /* weighted mean of (m - rank) / (m - 1) over each
	                 * judge's m stories, tied ranks averaged; m = 1:
	                 * 0.5 */
};

/* scores[j * nstories + i]: judge j's score of story i (1-10, any real),
 * NAN when judge j did not score story i. weights[j] > 0 and finite.
 * ids[i] breaks ties in pool_order (smaller first); the pooling itself
 * does not read it. */
struct pool_input {
	size_t njudges, nstories;
	const double *scores;
	const double *weights;
	const int64_t *ids;
};

/* Pool into pooled[nstories] (higher is better). Weights are taken over
 * the judges that scored a story: a judge that did not neither helps nor
 * hurts it. Stories no judge scored get -INFINITY; no value is NAN.
 * Returns 0, or -1 for a bad input (no judges, a weight <= 0 or not
 * finite, an infinite score, NULL arrays, njudges * nstories overflows,
 * an unknown method), pooled untouched. */
int pool_scores(const struct pool_input *in, enum pool_method method,
                double *pooled);

/* order[0..n) = story indices by pooled score, best first, ties by id
 * (ascending), then by index; -INFINITY and then NAN come last. ids may
 * be NULL (ties by index). Deterministic: a total order. */
void pool_order(const double *pooled, const int64_t *ids, size_t n,
                size_t *order);

/* Each judge's z-scores of the stories it scored (NAN elsewhere) into
 * z[njudges * nstories], with the population sd (divide by m: the batch
 * is all of the judge's scores, not a sample); a judge whose scores are
 * all equal gets 0 for each. Non-finite scores count as not scored. */
void pool_zscores(const struct pool_input *in, double *z);

/* Kendall's W (coefficient of concordance, with the tie correction:
 * 12 S / (k^2 (n^3 - n) - k sum(t^3 - t))) over the k judges, unweighted,
 * on the n stories every judge scored, ranks averaged over ties; NAN when
 * fewer than two judges or two such stories, or when every judge ties
 * all of them. O(k n log n). */
double pool_kendall_w(const struct pool_input *in);

/* Kendall's tau-b between two score vectors over the indices where both
 * are not NAN (infinities are ordinary values); NAN when fewer than two
 * such indices or when either vector is constant over them. O(n log n)
 * time (Knight's merge count), O(n) memory. */
double pool_kendall_tau(const double *a, const double *b, size_t n);

/* Why a story is or is not in the selection. */
enum pool_reason {
	POOL_SELECTED = 0,
	POOL_NOT_REACHED, /* the top was full before its turn */
	POOL_QUOTA,       /* its category's quota was full */
	POOL_SAME_EVENT,  /* the same event as a story selected before it */
	POOL_BELOW_FLOOR, /* ranked below the floor: no filler */
	POOL_PUBLISHED,   /* an earlier day's digest carried it */
	POOL_EXCLUDED,    /* not a candidate, or repeated in the order */
	POOL_DROPPED,     /* the editor dropped it */
	POOL_PINNED       /* the editor pinned it: selected */
};

/* The editor's word on a story. */
enum pool_pick { POOL_PICK_NONE = 0, POOL_PICK_DROP, POOL_PICK_PIN };

/* The rules of a selection. */
struct pool_rules {
	const int *category; /* per story, -1: none; NULL: no categories */
	const size_t *quota; /* per category, the most it may have */
	size_t ncategories;
	size_t top;            /* the most stories */
	size_t floor;          /* stories at rank >= floor (0-based) are never
	                        * taken: fewer stories beat filler */
	const bool *published; /* per story, or NULL */
	const unsigned char *pick; /* per story enum pool_pick, or NULL */
	/* Whether stories a and b tell the same event (they must match each
	 * other: nothing chains through a third); NULL: never. */
	bool (*same_event)(void *ctx, size_t a, size_t b);
	void *ctx;
};

/* What the selection says of a story. */
struct pool_choice {
	enum pool_reason reason;
	size_t same_as; /* POOL_SAME_EVENT: the selected story, else -1 */
};

/* Choose stories from the candidates order[0..n) (story indices below
 * nstories, best first) by the rules: the editor's pinned stories first,
 * whatever else holds, each taking a slot from the bottom; then a story
 * is taken unless the editor dropped it, it was published before, is
 * below the floor, its category's quota is full, or it tells the same
 * event as one already taken; at most top (more only when more are
 * pinned).
 * selected[0..nstories) and, when given, why[0..nstories) are set for
 * every story (those not among the candidates: POOL_EXCLUDED); the rules'
 * arrays are indexed by story too. Returns how many were taken. O(n * top)
 * calls of same_event at most. */
size_t pool_select(const size_t *order, size_t n, size_t nstories,
                   const struct pool_rules *r, bool *selected,
                   struct pool_choice *why);

/* The name of a reason for people and JSON ("selected", "quota", ...). */
const char *pool_reason_name(enum pool_reason reason);

/* "zmean" "median" "vote" "borda" (exact); otherwise POOL_ZMEAN and
 * *ok = false. ok may be NULL. */
enum pool_method pool_method_parse(const char *name, bool *ok);
/* The name pool_method_parse reads; NULL for a value outside the enum. */
const char *pool_method_name(enum pool_method m);

#endif
