#include "summarize/pool.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "summarize/pool_impl.h"

/* Weiszfeld's iteration stops after this many rounds, or once no
 * coordinate of the median moves by more than POOL_WEISZFELD_TOL. */
#define POOL_WEISZFELD_ROUNDS 500
#define POOL_WEISZFELD_TOL 1e-10
/* A judge closer than this to the median is at it: its distance is
 * taken as this, so the iteration never divides by zero. */
#define POOL_WEISZFELD_EPS 1e-9

/* Judge j's RMS distance from med over the m stories it scored (the
 * count into *m); NAN when it scored none. med is finite wherever some
 * judge scored. */
static double pool_distance(const double *zr, const double *med, size_t n,
                            size_t *m)
{
	double ss = 0;
	size_t i;

	*m = 0;
	for (i = 0; i < n; i++) {
		if (isnan(zr[i]))
			continue;
		ss += (zr[i] - med[i]) * (zr[i] - med[i]);
		(*m)++;
	}
	return *m ? sqrt(ss / (double)*m) : NAN;
}

/* The geometric median of the judges' z-score vectors, judge j weighing
 * w[j], into med[nstories], by Weiszfeld's iteration from their z-mean
 * with those weights (where two points tie, the middle of them).
 * The distance is the RMS over the stories a judge scored, so a judge
 * that missed some is not the nearer for it (none missed: the ordinary
 * geometric median); med is -INFINITY where nobody scored. Each round
 * minimises the quadratic bound of sum_j w_j d_j: the z-mean with
 * weights w_j / (m_j d_j). */
static void pool_geometric_median(const struct pool_input *in, const double *w,
                                  const double *z, double *med)
{
	size_t i, j, m, round, n = in->nstories, k = in->njudges;
	double *c = xcalloc(k, sizeof *c);
	double *num = xcalloc(n, sizeof *num);
	double *den = xcalloc(n, sizeof *den);
	struct pool_input start = *in;

	start.weights = w;
	pool_zmean(&start, z, med);
	for (round = 0; round < POOL_WEISZFELD_ROUNDS; round++) {
		double step = 0;

		for (j = 0; j < k; j++) {
			double d = pool_distance(z + j * n, med, n, &m);

			c[j] = 0;
			if (m > 0)
				c[j] = w[j] / ((double)m *
				               fmax(d, POOL_WEISZFELD_EPS));
		}
		memset(num, 0, n * sizeof *num);
		memset(den, 0, n * sizeof *den);
		for (j = 0; j < k; j++)
			for (i = 0; i < n; i++)
				if (!isnan(z[j * n + i])) {
					num[i] += c[j] * z[j * n + i];
					den[i] += c[j];
				}
		for (i = 0; i < n; i++) {
			if (!(den[i] > 0))
				continue;
			step = fmax(step, fabs(num[i] / den[i] - med[i]));
			med[i] = num[i] / den[i];
		}
		if (step <= POOL_WEISZFELD_TOL)
			break;
	}
	free(c);
	free(num);
	free(den);
}

/* Judges that vote as one share their vote: judge j's weight over
 * 1 + sum r^2, r its leave-one-out residual's correlation with each
 * other judge's where positive. Two copies count once; independent
 * judges (r about -1 / (k - 1)) keep their weight. */
static void pool_share_votes(const struct pool_input *in, const double *z,
                             double *w)
{
	size_t j, l, shared, n = in->nstories, k = in->njudges;
	double *res = xreallocarray(NULL, k * n, sizeof *res);

	pool_residuals(in, z, res);
	for (j = 0; j < k; j++) {
		double share = 1;

		for (l = 0; l < k; l++) {
			double r;

			if (l == j)
				continue;
			r = pool_residual_corr(res + j * n, res + l * n, n,
			                       &shared);
			if (r > 0)
				share += r * r;
		}
		w[j] = in->weights[j] / share;
	}
	free(res);
}

/* The distance within which a judge counts in full: POOL_ROBUST_NEAR,
 * or the lower median of the distances d[0..k) when that is larger (a
 * panel whose honest judges agree less), NAN ones left out; INFINITY
 * under three judges, where no majority tells who strayed. */
static double pool_near(const double *d, size_t k)
{
	double *sorted = xcalloc(k + 1, sizeof *sorted), near;
	size_t j, m = 0;

	for (j = 0; j < k; j++)
		if (!isnan(d[j]))
			sorted[m++] = d[j];
	qsort(sorted, m, sizeof *sorted, pool_double_asc);
	near = m >= 3 ? sorted[(m - 1) / 2] : INFINITY;
	free(sorted);
	return near > POOL_ROBUST_NEAR ? near : POOL_ROBUST_NEAR;
}

void pool_robust_from(const struct pool_input *in, const double *z, double *w,
                      double *dist)
{
	size_t j, m, n = in->nstories, k = in->njudges;
	double *med = xreallocarray(NULL, n, sizeof *med);
	double *shared = xcalloc(k, sizeof *shared);
	double *d = xcalloc(k, sizeof *d), near;

	pool_share_votes(in, z, shared);
	pool_geometric_median(in, shared, z, med);
	for (j = 0; j < k; j++)
		d[j] = pool_distance(z + j * n, med, n, &m);
	near = pool_near(d, k);
	for (j = 0; j < k; j++) {
		w[j] = shared[j];
		if (d[j] > near)
			w[j] *= (near / d[j]) * (near / d[j]);
		if (dist)
			dist[j] = d[j];
	}
	free(med);
	free(shared);
	free(d);
}

int pool_robust_weights(const struct pool_input *in, double *weights,
                        double *distance)
{
	size_t j, n;
	double *z;

	if (!pool_input_valid(in) || !weights)
		return -1;
	n = in->nstories;
	if (n == 0) {
		for (j = 0; j < in->njudges; j++) {
			weights[j] = in->weights[j];
			if (distance)
				distance[j] = NAN;
		}
		return 0;
	}
	z = xreallocarray(NULL, in->njudges * n, sizeof *z);
	pool_zscores(in, z);
	pool_robust_from(in, z, weights, distance);
	free(z);
	return 0;
}
