#include "summarize/pool.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "summarize/pool_impl.h"

/* A residual whose RMS is under this is zero: the judge gave what the
 * others gave, to rounding. */
#define POOL_ZERO_RMS 1e-9
/* Jacobi sweeps before giving up, and the off-diagonal mass, relative to
 * the whole matrix's, at which the matrix counts as diagonal. */
#define POOL_JACOBI_SWEEPS 64
#define POOL_JACOBI_TOL 1e-26
/* Below this, x or y counts as constant: sxx <= this * sum x^2 is
 * rounding left by the mean. */
#define POOL_CONSTANT_EPS 1e-20

/* The sums Pearson's r and the slope are made of, over the indices where
 * x and y are both finite: their number, sxx, syy and sxy about the
 * means, and sum x^2 and y^2 (to tell a constant from rounding). */
struct pool_moments {
	size_t n;
	double sxx, syy, sxy, xx, yy;
};

static struct pool_moments pool_moments_of(const double *x, const double *y,
                                           size_t n)
{
	struct pool_moments m;
	double mx = 0, my = 0;
	size_t i;

	memset(&m, 0, sizeof m);
	for (i = 0; i < n; i++) {
		if (!isfinite(x[i]) || !isfinite(y[i]))
			continue;
		mx += x[i];
		my += y[i];
		m.n++;
	}
	if (m.n == 0)
		return m;
	mx /= (double)m.n;
	my /= (double)m.n;
	for (i = 0; i < n; i++) {
		if (!isfinite(x[i]) || !isfinite(y[i]))
			continue;
		m.sxx += (x[i] - mx) * (x[i] - mx);
		m.syy += (y[i] - my) * (y[i] - my);
		m.sxy += (x[i] - mx) * (y[i] - my);
		m.xx += x[i] * x[i];
		m.yy += y[i] * y[i];
	}
	return m;
}

static bool pool_constant(double s, double sumsq)
{
	return !(s > POOL_CONSTANT_EPS * sumsq);
}

/* Pearson's r from m: NAN under 3 or when x or y is constant. */
static double pool_r_of(const struct pool_moments *m)
{
	double r;

	if (m->n < 3 || pool_constant(m->sxx, m->xx) ||
	    pool_constant(m->syy, m->yy))
		return NAN;
	r = m->sxy / sqrt(m->sxx * m->syy);
	return r > 1 ? 1 : r < -1 ? -1 : r;
}

double pool_pearson(const double *x, const double *y, size_t n, size_t *used)
{
	struct pool_moments m;

	if (used)
		*used = 0;
	if (!x || !y)
		return NAN;
	m = pool_moments_of(x, y, n);
	if (used)
		*used = m.n;
	return pool_r_of(&m);
}

/* A residual res against x (either may hold NAN); a residual of zero
 * (the judge gave what the others gave) has no bias. */
static struct pool_bias pool_bias_of(const double *res, const double *x,
                                     size_t n)
{
	struct pool_bias b = {NAN, NAN, 0, false};
	struct pool_moments m;

	if (!x)
		return b;
	m = pool_moments_of(x, res, n);
	b.n = m.n;
	b.r = pool_r_of(&m);
	if (isnan(b.r) || sqrt(m.syy / (double)m.n) < POOL_ZERO_RMS) {
		b.r = NAN;
		return b;
	}
	b.slope = m.sxy / m.sxx;
	b.notable = m.n > 3 && fabs(b.r) >= POOL_BIAS_R &&
	            atanh(fabs(b.r)) * sqrt((double)(m.n - 3)) >= POOL_BIAS_Z;
	return b;
}

/* The least-squares slope of y on x over the indices where both are
 * finite; NAN under 3 or when x is constant there. */
static double pool_slope(const double *x, const double *y, size_t n)
{
	struct pool_moments m = pool_moments_of(x, y, n);

	if (m.n < 3 || pool_constant(m.sxx, m.xx))
		return NAN;
	return m.sxy / m.sxx;
}

/* The median of v[0..m) (sorted in place), NAN for m == 0. */
static double pool_median_of(double *v, size_t m)
{
	if (m == 0)
		return NAN;
	qsort(v, m, sizeof *v, pool_double_asc);
	return m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
}

/* Judge j's bias against x[n] (NULL: none): its residual res, with the
 * trend in x of the others' pool (z_j - res) replaced by the median of
 * every judge's own trend in x, so one judge's bias is not read as the
 * opposite bias of the others. adj[n] and slopes[k] are scratch. */
static struct pool_bias pool_judge_bias(const double *z, size_t k, size_t n,
                                        size_t j, const double *res,
                                        const double *x, double *adj,
                                        double *slopes)
{
	struct pool_bias none = {NAN, NAN, 0, false};
	double med, trend, xbar = 0;
	size_t i, l, m = 0, used = 0;

	if (!x)
		return none;
	for (l = 0; l < k; l++) {
		double s = pool_slope(x, z + l * n, n);

		if (!isnan(s))
			slopes[m++] = s;
	}
	med = pool_median_of(slopes, m);
	for (i = 0; i < n; i++) {
		adj[i] = NAN;
		if (isnan(res[i]) || !isfinite(x[i]))
			continue;
		adj[i] = z[j * n + i] - res[i];
		xbar += x[i];
		used++;
	}
	trend = pool_slope(x, adj, n);
	xbar = used ? xbar / (double)used : 0;
	for (i = 0; i < n; i++) {
		if (isnan(adj[i]))
			continue;
		adj[i] = res[i];
		if (!isnan(med) && !isnan(trend))
			adj[i] += (trend - med) * (x[i] - xbar);
	}
	return pool_bias_of(adj, x, n);
}

/* One Jacobi rotation in the (p, q) plane that zeroes a[p][q]. */
static void pool_jacobi_rotate(double *a, size_t k, size_t p, size_t q)
{
	double apq = a[p * k + q], theta, t, c, s;
	size_t r;

	if (apq == 0)
		return;
	theta = (a[q * k + q] - a[p * k + p]) / (2 * apq);
	/* t = tan of the angle, the smaller root of t^2 + 2 theta t = 1 */
	if (fabs(theta) > 1e100)
		t = 0.5 / theta;
	else
		t = (theta < 0 ? -1 : 1) /
		    (fabs(theta) + sqrt(theta * theta + 1));
	c = 1 / sqrt(t * t + 1);
	s = t * c;
	for (r = 0; r < k; r++) {
		double arp = a[r * k + p], arq = a[r * k + q];

		if (r == p || r == q)
			continue;
		a[r * k + p] = a[p * k + r] = c * arp - s * arq;
		a[r * k + q] = a[q * k + r] = s * arp + c * arq;
	}
	a[p * k + p] -= t * apq;
	a[q * k + q] += t * apq;
	a[p * k + q] = a[q * k + p] = 0;
}

static int pool_double_desc(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a < b) - (a > b);
}

int pool_symmetric_eigenvalues(double *a, size_t k, double *lambda)
{
	double total = 0;
	size_t p, q, sweep;

	if (k == 0)
		return 0;
	if (!a || !lambda)
		return -1;
	for (p = 0; p < k * k; p++) {
		if (!isfinite(a[p]))
			return -1;
		total += a[p] * a[p];
	}
	for (sweep = 0;; sweep++) {
		double off = 0;

		for (p = 0; p < k; p++)
			for (q = p + 1; q < k; q++)
				off += 2 * a[p * k + q] * a[p * k + q];
		if (off <= POOL_JACOBI_TOL * total)
			break;
		if (sweep == POOL_JACOBI_SWEEPS)
			return -1;
		for (p = 0; p < k; p++)
			for (q = p + 1; q < k; q++)
				pool_jacobi_rotate(a, k, p, q);
	}
	for (p = 0; p < k; p++)
		lambda[p] = a[p * k + p];
	qsort(lambda, k, sizeof *lambda, pool_double_desc);
	return 0;
}

double pool_effective_judges(const double *corr, size_t k)
{
	double *a, *lambda, s1 = 0, s2 = 0, e;
	size_t p, q;
	int rc;

	if (k == 0 || !corr)
		return NAN;
	a = xcalloc(k * k, sizeof *a);
	lambda = xcalloc(k, sizeof *lambda);
	for (p = 0; p < k; p++)
		for (q = 0; q < k; q++) {
			double v = corr[p * k + q];

			/* symmetric by construction: the mean of both sides */
			if (p != q && (isnan(v) || isnan(corr[q * k + p])))
				v = 0;
			else if (p != q)
				v = (v + corr[q * k + p]) / 2;
			a[p * k + q] = v;
		}
	rc = pool_symmetric_eigenvalues(a, k, lambda);
	for (p = 0; rc == 0 && p < k; p++) {
		double l = lambda[p] > 0 ? lambda[p] : 0;

		s1 += l;
		s2 += l * l;
	}
	free(a);
	free(lambda);
	if (rc != 0 || !(s2 > 0))
		return NAN;
	e = 1 + s1 * s1 / s2;
	return e < (double)k ? e : (double)k;
}

/* z[j][i] minus the weighted mean of z[l][i] over the other judges l
 * that scored story i; NAN where judge j did not score it or nobody else
 * did. */
void pool_residuals(const struct pool_input *in, const double *z, double *res)
{
	size_t i, j, l, n = in->nstories, k = in->njudges;

	for (j = 0; j < k; j++)
		for (i = 0; i < n; i++) {
			double num = 0, den = 0;

			res[j * n + i] = NAN;
			if (isnan(z[j * n + i]))
				continue;
			for (l = 0; l < k; l++) {
				if (l == j || isnan(z[l * n + i]))
					continue;
				num += in->weights[l] * z[l * n + i];
				den += in->weights[l];
			}
			if (den > 0)
				res[j * n + i] = z[j * n + i] - num / den;
		}
}

double pool_residual_corr(const double *ra, const double *rb, size_t n,
                          size_t *shared)
{
	double ssa = 0, ssb = 0;
	size_t i, m = 0;
	bool zero_a, zero_b;

	for (i = 0; i < n; i++) {
		if (isnan(ra[i]) || isnan(rb[i]))
			continue;
		ssa += ra[i] * ra[i];
		ssb += rb[i] * rb[i];
		m++;
	}
	*shared = m;
	if (m < 3)
		return NAN;
	zero_a = sqrt(ssa / (double)m) < POOL_ZERO_RMS;
	zero_b = sqrt(ssb / (double)m) < POOL_ZERO_RMS;
	if (zero_a || zero_b)
		return zero_a && zero_b ? 1 : NAN;
	return pool_pearson(ra, rb, n, NULL);
}

/* The residuals' correlations, the redundant pairs. */
static void pool_diagnose_pairs(struct pool_diagnostics *d)
{
	size_t a, b, k = d->njudges, n = d->nstories, cap = 0;

	for (a = 0; a < k; a++)
		for (b = a; b < k; b++) {
			size_t sh;
			double r =
			        pool_residual_corr(d->residual + a * n,
			                           d->residual + b * n, n, &sh);

			d->corr[a * k + b] = d->corr[b * k + a] = r;
			d->shared[a * k + b] = d->shared[b * k + a] = sh;
			if (a == b || !(r >= POOL_REDUNDANT_R) ||
			    sh < POOL_REDUNDANT_MIN)
				continue;
			if (d->nredundant == cap) {
				cap = cap ? 2 * cap : 4;
				d->redundant =
				        xreallocarray(d->redundant, cap,
				                      sizeof *d->redundant);
			}
			d->redundant[d->nredundant].a = a;
			d->redundant[d->nredundant].b = b;
			d->redundant[d->nredundant].r = r;
			d->redundant[d->nredundant].shared = sh;
			d->nredundant++;
		}
}

/* The effective judges over those whose residual is there and not all
 * zero (the contract in pool.h). */
static double pool_diagnose_effective(const struct pool_diagnostics *d)
{
	size_t j, l, k = d->njudges, m = 0, with = 0;
	size_t *keep = xcalloc(k + 1, sizeof *keep);
	double *sub, e;

	for (j = 0; j < k; j++) {
		with += d->judges[j].n > 0;
		if (d->judges[j].n >= 3 &&
		    !(d->judges[j].rms < POOL_ZERO_RMS) &&
		    !isnan(d->corr[j * k + j]))
			keep[m++] = j;
	}
	if (m == 0) {
		free(keep);
		return with > 0 ? 1 : NAN;
	}
	sub = xcalloc(m * m, sizeof *sub);
	for (j = 0; j < m; j++)
		for (l = 0; l < m; l++)
			sub[j * m + l] = d->corr[keep[j] * k + keep[l]];
	e = pool_effective_judges(sub, m);
	free(sub);
	free(keep);
	return e;
}

int pool_diagnose(const struct pool_input *in, const double *position,
                  const double *length, struct pool_diagnostics *out)
{
	size_t i, j, k, n;
	double *z, *loglen = NULL, *adj, *slopes;

	if (!out)
		return -1;
	memset(out, 0, sizeof *out);
	if (!pool_input_valid(in))
		return -1;
	k = in->njudges;
	n = in->nstories;
	if (k > SIZE_MAX / k / sizeof(double))
		return -1;
	out->njudges = k;
	out->nstories = n;
	out->residual = xcalloc(k * n + 1, sizeof *out->residual);
	out->corr = xcalloc(k * k, sizeof *out->corr);
	out->shared = xcalloc(k * k, sizeof *out->shared);
	out->judges = xcalloc(k, sizeof *out->judges);
	z = xcalloc(k * n + 1, sizeof *z);
	adj = xcalloc(n + 1, sizeof *adj);
	slopes = xcalloc(k, sizeof *slopes);
	pool_zscores(in, z);
	pool_residuals(in, z, out->residual);
	if (length) {
		loglen = xcalloc(n + 1, sizeof *loglen);
		for (i = 0; i < n; i++)
			loglen[i] = length[i] > 0 && isfinite(length[i])
			                    ? log2(length[i])
			                    : NAN;
	}
	for (j = 0; j < k; j++) {
		struct pool_judge_diagnostics *jd = &out->judges[j];
		const double *res = out->residual + j * n;
		double ss = 0;

		for (i = 0; i < n; i++)
			if (!isnan(res[i])) {
				ss += res[i] * res[i];
				jd->n++;
			}
		jd->rms = jd->n ? sqrt(ss / (double)jd->n) : NAN;
		jd->position = pool_judge_bias(
		        z, k, n, j, res, position ? position + j * n : NULL,
		        adj, slopes);
		jd->length =
		        pool_judge_bias(z, k, n, j, res, loglen, adj, slopes);
	}
	pool_diagnose_pairs(out);
	out->effective_judges = pool_diagnose_effective(out);
	free(z);
	free(adj);
	free(slopes);
	free(loglen);
	return 0;
}

void pool_diagnostics_free(struct pool_diagnostics *d)
{
	if (!d)
		return;
	free(d->residual);
	free(d->corr);
	free(d->shared);
	free(d->judges);
	free(d->redundant);
	memset(d, 0, sizeof *d);
}

void pool_kappa_count(const bool *first, const bool *second, const bool *among,
                      size_t n, struct pool_kappa_table *t)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (among && !among[i])
			continue;
		if (first[i] && second[i])
			t->both++;
		else if (first[i])
			t->first_only++;
		else if (second[i])
			t->second_only++;
		else
			t->neither++;
	}
}

double pool_cohen_kappa(const struct pool_kappa_table *t)
{
	double total, po, pa, pb, pe;

	if (!t)
		return NAN;
	total = (double)t->both + (double)t->first_only +
	        (double)t->second_only + (double)t->neither;
	if (!(total > 0))
		return NAN;
	po = ((double)t->both + (double)t->neither) / total;
	pa = ((double)t->both + (double)t->first_only) / total;
	pb = ((double)t->both + (double)t->second_only) / total;
	pe = pa * pb + (1 - pa) * (1 - pb);
	if (!(pe < 1))
		return NAN;
	return (po - pe) / (1 - pe);
}

size_t pool_select_top(const double *scores, const int64_t *ids, size_t n,
                       size_t m, bool *selected)
{
	size_t *order, k, got = 0;

	if (n == 0)
		return 0;
	order = xcalloc(n, sizeof *order);
	pool_order(scores, ids, n, order);
	for (k = 0; k < n; k++)
		selected[k] = false;
	for (k = 0; k < n && got < m; k++) {
		double s = scores[order[k]];

		if (isnan(s) || s == -INFINITY)
			break;
		selected[order[k]] = true;
		got++;
	}
	free(order);
	return got;
}

int pool_editor_weights(const double *kappa, const size_t *days, size_t njudges,
                        double *weights)
{
	double sum = 0, mean;
	size_t j, count = 0;

	if (njudges > 0 && (!kappa || !days || !weights))
		return -1;
	for (j = 0; j < njudges; j++) {
		weights[j] = 1;
		if (days[j] >= POOL_EDITOR_MIN_DAYS && isfinite(kappa[j])) {
			sum += kappa[j];
			count++;
		}
	}
	if (count == 0)
		return POOL_EDITOR_FEW_DAYS;
	mean = sum / (double)count;
	if (!(mean > 0))
		return POOL_EDITOR_NO_SIGNAL;
	for (j = 0; j < njudges; j++) {
		double w;

		if (days[j] < POOL_EDITOR_MIN_DAYS || !isfinite(kappa[j]))
			continue;
		w = kappa[j] / mean;
		if (w < POOL_EDITOR_WEIGHT_MIN)
			w = POOL_EDITOR_WEIGHT_MIN;
		if (w > POOL_EDITOR_WEIGHT_MAX)
			w = POOL_EDITOR_WEIGHT_MAX;
		weights[j] = w;
	}
	return 0;
}
