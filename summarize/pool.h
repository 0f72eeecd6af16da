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
	POOL_MEDIAN,    /* weighted median of the z-scores */
	POOL_VOTE,      /* weighted count of judges whose score is in their
			 * own top third; ties by the z-mean */
	POOL_BORDA      /* weighted Borda count over each judge's ranking */
};

/* scores[j * nstories + i]: judge j's score of story i (1-10), NAN when
 * judge j did not score story i. weights[j] > 0. ids[i] breaks ties
 * (smaller first). */
struct pool_input {
	size_t njudges, nstories;
	const double *scores;
	const double *weights;
	const int64_t *ids;
};

/* Pool into pooled[nstories] (higher is better; stories no judge scored
 * get -INFINITY). A judge whose scores do not vary contributes 0 to the
 * z-mean for every story. Returns 0, or -1 for a bad input (no judges,
 * a weight <= 0). */
int pool_scores(const struct pool_input *in, enum pool_method method,
		double *pooled);

/* order[0..n) = story indices by pooled score, best first, ties by id. */
void pool_order(const double *pooled, const int64_t *ids, size_t n,
		size_t *order);

/* Each judge's z-scores of the stories it scored (NAN elsewhere) into
 * z[njudges * nstories]. */
void pool_zscores(const struct pool_input *in, double *z);

/* Kendall's W (coefficient of concordance, with the tie correction) over
 * the judges, on the stories every judge scored; NAN when fewer than two
 * judges or two such stories. */
double pool_kendall_w(const struct pool_input *in);

/* Kendall's tau-b between two score vectors over the indices where both
 * are not NAN; NAN when fewer than two such indices. */
double pool_kendall_tau(const double *a, const double *b, size_t n);

/* Choose `top` stories from order[0..n): best first, at most quota[c]
 * stories of category c (category[i] in 0..ncategories-1, or -1 for
 * none: no quota), never two stories with the same cluster[i] (cluster
 * -1: alone). selected[i] is set for the chosen; returns how many. */
size_t pool_select(const size_t *order, size_t n, const int *category,
		   const int *cluster, const size_t *quota,
		   size_t ncategories, size_t top, bool *selected);

enum pool_method pool_method_parse(const char *name, bool *ok);
const char *pool_method_name(enum pool_method m);

#endif
