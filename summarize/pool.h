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
	POOL_BORDA,     /* weighted mean of (m - rank) / (m - 1) over each
	                 * judge's m stories, tied ranks averaged; m = 1:
	                 * 0.5 */
	POOL_ROBUST     /* z-mean with the weights of
	                 * pool_robust_weights: judges far from the panel's
	                 * geometric median count for less, copies once */
};

/* The distance (RMS of z-score differences) from the geometric median
 * within which a judge counts in full under POOL_ROBUST, at least.
 * Honest judges that agree at Pearson r lie about sqrt((1 - r)(k - 1) /
 * k) from it: 0.52 for r = 0.6 and k = 3 (0.40 to 0.50 in the
 * simulation); one that answers at random about 1.1. */
#define POOL_ROBUST_NEAR 0.6

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

/* Whether in meets pool_scores' contract (pooled aside). */
bool pool_input_valid(const struct pool_input *in);

/* POOL_ROBUST's weights into weights[njudges], in three steps.
 * 1. Judges that vote as one share their vote: judge j's weight over
 *    1 + sum r^2, r its residual's correlation (as in pool_diagnose)
 *    with each other judge's where positive (two copies: half each).
 * 2. The geometric median of the judges' z-score vectors with those
 *    weights, by Weiszfeld's iteration (at most 500 rounds) from their
 *    z-mean; a judge's distance d is the RMS over the stories it scored
 *    (into distance[njudges] when given; NAN for a judge that scored
 *    nothing). A judge at the median is taken as 1e-9 from it.
 * 3. Each weight times min(1, (near / d)^2), near the larger of
 *    POOL_ROBUST_NEAR and the lower median of the distances: inverse
 *    variance, d^2 estimating how far the judge strays from what the
 *    panel agrees on, and no judge loses weight for being as far as
 *    the panel's typical judge. Under three judges with a distance no
 *    majority tells who strayed: this step is skipped.
 * Returns 0, or -1 for a bad input (as pool_scores). */
int pool_robust_weights(const struct pool_input *in, double *weights,
                        double *distance);

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

/* "zmean" "median" "vote" "borda" "robust" (exact); otherwise
 * POOL_ZMEAN and *ok = false. ok may be NULL. */
enum pool_method pool_method_parse(const char *name, bool *ok);
/* The name pool_method_parse reads; NULL for a value outside the enum. */
const char *pool_method_name(enum pool_method m);

/* The diagnostics of a panel (issue 14). A judge's residual is its
 * z-score minus the weighted z-mean of the other judges that scored the
 * story (leave-one-out: the judge's own bias is not in the yardstick).
 * With k judges of independent errors the residuals correlate at about
 * -1 / (k - 1), not 0: each is measured against the others. */

/* Residuals that correlate at least this much over at least
 * POOL_REDUNDANT_MIN shared stories vote as one: each says more than
 * half (r^2 >= 0.49) of what the other says beyond the panel. By chance
 * (baseline r <= 0), 0.7 on 20 stories is 3.6 standard errors of
 * Fisher's z away. */
#define POOL_REDUNDANT_R 0.7
#define POOL_REDUNDANT_MIN 20
/* A bias is notable when |r| >= POOL_BIAS_R (it explains 9% or more of
 * the judge's disagreement: a medium effect) and atanh|r| sqrt(n - 3) >=
 * POOL_BIAS_Z (about p < 0.003 two-sided: rare by chance on any day). */
#define POOL_BIAS_R 0.3
#define POOL_BIAS_Z 3.0

/* A judge's residual against x, a property of the story, with the trend
 * in x of the others' pool replaced by the median judge's trend (each
 * judge's z-scores regressed on x): one judge's bias is not read as the
 * opposite bias of the others, and a trend all judges share (long texts
 * may be better) is nobody's bias. NAN where undefined (fewer than 3
 * stories, or x or the residual constant). */
struct pool_bias {
	double r;     /* Pearson's r */
	double slope; /* least squares: residual (in sd) per unit of x */
	size_t n;     /* the stories it rests on */
	bool notable; /* by POOL_BIAS_R and POOL_BIAS_Z */
};

struct pool_judge_diagnostics {
	size_t n;                  /* stories with a residual */
	double rms;                /* the residual's RMS; NAN when n == 0 */
	struct pool_bias position; /* against its place in its batch */
	struct pool_bias length;   /* against log2 of the text's length:
	                            * the slope is per doubling */
};

/* Two judges that vote as one (a < b). */
struct pool_redundant {
	size_t a, b;
	double r;
	size_t shared;
};

/* Owned by the struct: pool_diagnostics_free. */
struct pool_diagnostics {
	size_t njudges, nstories;
	double *residual; /* njudges x nstories; NAN where the judge did not
	                   * score or no other judge did */
	double *corr;     /* njudges x njudges: Pearson's r of the residuals
	                   * over the stories both have; NAN under 3 such
	                   * stories or a constant residual, except that two
	                   * residuals both zero there correlate at 1 (both
	                   * judges gave what the rest gave) */
	size_t *shared;   /* njudges x njudges: those stories */
	struct pool_judge_diagnostics *judges; /* njudges */
	struct pool_redundant *redundant;      /* by a, then b */
	size_t nredundant;
	double effective_judges; /* pool_effective_judges of the judges
	                          * with a residual not all zero (a pair
	                          * under 3 shared stories: r = 0); 1 when
	                          * every residual is zero; NAN when no
	                          * judge has one */
};

/* Diagnose a panel: residuals, their correlations, redundant pairs, the
 * effective number of judges, and each judge's biases. position
 * [njudges x nstories]: the story's place (0 = first) in the batch the
 * judge was sent, NAN when unknown (a heuristic judge); length
 * [nstories]: the text's length (> 0, say in code points), NAN or <= 0
 * unknown. Either may be NULL (those biases NAN). Returns 0, or -1 for a
 * bad input (as pool_scores; out zeroed). O(k^2 n + k^3). */
int pool_diagnose(const struct pool_input *in, const double *position,
                  const double *length, struct pool_diagnostics *out);
void pool_diagnostics_free(struct pool_diagnostics *d);

/* Pearson's r of x and y over the indices where both are finite (their
 * number into *used when given); NAN under 3 or when either is constant
 * there. */
double pool_pearson(const double *x, const double *y, size_t n, size_t *used);

/* The eigenvalues of the symmetric k x k matrix a (row-major, destroyed)
 * into lambda[k], largest first, by cyclic Jacobi rotations (at most 64
 * sweeps; k up to a few dozen). Returns 0, or -1 when a holds a value
 * that is not finite or the sweeps did not converge. */
int pool_symmetric_eigenvalues(double *a, size_t k, double *lambda);

/* The effective number of independent judges from the k x k correlation
 * matrix of their residuals (NAN off the diagonal read as 0):
 * 1 + (sum l)^2 / sum l^2 over its eigenvalues l, negative ones (a
 * matrix of pairwise correlations need not be positive semidefinite)
 * taken as 0, and at most k. The 1 is the dimension the residuals lose
 * by being measured against each other: k independent judges (r = -1 /
 * (k - 1) each) give k, copies of one judge and another 2. NAN for
 * k == 0 or a bad matrix. */
double pool_effective_judges(const double *corr, size_t k);

/* Two raters' yes/no on the same stories, counted. */
struct pool_kappa_table {
	size_t both, first_only, second_only, neither;
};

/* Add the stories where among[i] (all when NULL) to t: first[i] and
 * second[i] are each rater's selected-or-not. Days add up in one table. */
void pool_kappa_count(const bool *first, const bool *second, const bool *among,
                      size_t n, struct pool_kappa_table *t);

/* Cohen's kappa, (po - pe) / (1 - pe); NAN when t is empty or both raters
 * put every story in the same one class (pe = 1). */
double pool_cohen_kappa(const struct pool_kappa_table *t);

/* A judge's own selection: selected[i] for the m best of scores[0..n) by
 * pool_order (ids may be NULL); NAN and -INFINITY never. Returns how many
 * were selected. */
size_t pool_select_top(const double *scores, const int64_t *ids, size_t n,
                       size_t m, bool *selected);

/* Editor weights: a judge's kappa with the editor over the panel's mean,
 * bounded to [POOL_EDITOR_WEIGHT_MIN, POOL_EDITOR_WEIGHT_MAX], from
 * POOL_EDITOR_MIN_DAYS days on. Over 14 days of 10 picks in 150 stories
 * a kappa of 0.5 has a standard error of 0.042 (a week: 0.060; 30
 * days: 0.029), so a weight is known to about 0.1, and every weekday
 * has come twice. */
#define POOL_EDITOR_MIN_DAYS 14
#define POOL_EDITOR_WEIGHT_MIN 0.5
#define POOL_EDITOR_WEIGHT_MAX 2.0
#define POOL_EDITOR_FEW_DAYS 1  /* no judge has the days: all 1 */
#define POOL_EDITOR_NO_SIGNAL 2 /* the panel's mean kappa <= 0: all 1 */

/* weights[j] = kappa[j] / mean, bounded (kappa <= 0: the minimum), for
 * the judges with days[j] >= POOL_EDITOR_MIN_DAYS and a kappa; the
 * mean is over those judges; every other judge 1. Returns 0, a
 * POOL_EDITOR_* above, or -1 for NULL arrays. */
int pool_editor_weights(const double *kappa, const size_t *days, size_t njudges,
                        double *weights);

#endif
