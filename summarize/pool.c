#include "summarize/pool.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "summarize/pool_impl.h"

/* Vote shares closer than this are one share: two sets of voters with
 * equal weight may sum to values a rounding error apart. */
#define POOL_SHARE_EPS 1e-9
/* A weighted median falls between two values when the weight below is
 * half the total within this relative error. */
#define POOL_HALF_EPS 1e-12

static const struct {
	const char *name;
	enum pool_method method;
} pool_methods[] = {
        {"zmean", POOL_ZMEAN}, {"median", POOL_MEDIAN}, {"vote", POOL_VOTE},
        {"borda", POOL_BORDA}, {"robust", POOL_ROBUST},
};

/* A value and the story it belongs to, for sorting. */
struct pool_key {
	double v;
	size_t i;
};

/* Descending by value, then ascending by index: a total order. */
static int pool_key_desc(const void *pa, const void *pb)
{
	const struct pool_key *a = pa, *b = pb;

	if (a->v > b->v)
		return -1;
	if (a->v < b->v)
		return 1;
	return (a->i > b->i) - (a->i < b->i);
}

/* A z-score and its judge's weight, for the weighted median. */
struct pool_zw {
	double z, w;
};

static int pool_zw_asc(const void *pa, const void *pb)
{
	const struct pool_zw *a = pa, *b = pb;

	if (a->z != b->z)
		return a->z < b->z ? -1 : 1;
	return (a->w > b->w) - (a->w < b->w);
}

/* The finite values of row[0..n) (where only[i] too, when only is
 * given) into keys, best first; returns how many. */
static size_t pool_collect(const double *row, size_t n, const bool *only,
                           struct pool_key *keys)
{
	size_t i, m = 0;

	for (i = 0; i < n; i++) {
		if (!isfinite(row[i]) || (only && !only[i]))
			continue;
		keys[m].v = row[i];
		keys[m].i = i;
		m++;
	}
	qsort(keys, m, sizeof *keys, pool_key_desc);
	return m;
}

/* Ranks of sorted keys[0..m) (1 = best, the average rank for a run of
 * equal values) into rank[keys[k].i]; returns the tie term sum(t^3 - t)
 * over the runs of t equal values. */
static double pool_avg_ranks(const struct pool_key *keys, size_t m,
                             double *rank)
{
	double ties = 0;
	size_t lo = 0, hi, k;

	while (lo < m) {
		double avg, t;

		hi = lo + 1;
		while (hi < m && keys[hi].v == keys[lo].v)
			hi++;
		/* positions lo..hi-1 hold ranks lo+1..hi */
		avg = ((double)(lo + 1) + (double)hi) / 2;
		for (k = lo; k < hi; k++)
			rank[keys[k].i] = avg;
		t = (double)(hi - lo);
		ties += t * t * t - t;
		lo = hi;
	}
	return ties;
}

void pool_zscores(const struct pool_input *in, double *z)
{
	size_t j, i, n = in->nstories;

	for (j = 0; j < in->njudges; j++) {
		const double *row = in->scores + j * n;
		double *zr = z + j * n;
		double sum = 0, ss = 0, mean, sd, lo = INFINITY, hi = -INFINITY;
		size_t m = 0;

		for (i = 0; i < n; i++) {
			zr[i] = NAN;
			if (!isfinite(row[i]))
				continue;
			sum += row[i];
			lo = row[i] < lo ? row[i] : lo;
			hi = row[i] > hi ? row[i] : hi;
			m++;
		}
		if (m == 0)
			continue;
		if (lo == hi) {
			for (i = 0; i < n; i++)
				if (isfinite(row[i]))
					zr[i] = 0;
			continue;
		}
		mean = sum / (double)m;
		for (i = 0; i < n; i++)
			if (isfinite(row[i]))
				ss += (row[i] - mean) * (row[i] - mean);
		sd = sqrt(ss / (double)m);
		for (i = 0; i < n; i++)
			if (isfinite(row[i]))
				zr[i] = (row[i] - mean) / sd;
	}
}

void pool_zmean(const struct pool_input *in, const double *z, double *out)
{
	size_t i, j, n = in->nstories;

	for (i = 0; i < n; i++) {
		double num = 0, den = 0;

		for (j = 0; j < in->njudges; j++) {
			if (isnan(z[j * n + i]))
				continue;
			num += in->weights[j] * z[j * n + i];
			den += in->weights[j];
		}
		out[i] = den > 0 ? num / den : -INFINITY;
	}
}

/* Weighted median of the z-scores each story has: the smallest value
 * whose weight at or below it reaches half the total, the midpoint of
 * two values when it is exactly half (the ordinary median for equal
 * weights); -INFINITY for none. */
static void pool_median(const struct pool_input *in, const double *z,
                        double *out)
{
	size_t i, j, k, m, n = in->nstories;
	struct pool_zw *zw = xcalloc(in->njudges, sizeof *zw);

	for (i = 0; i < n; i++) {
		double total = 0, cum = 0;

		m = 0;
		for (j = 0; j < in->njudges; j++) {
			if (isnan(z[j * n + i]))
				continue;
			zw[m].z = z[j * n + i];
			zw[m].w = in->weights[j];
			total += zw[m].w;
			m++;
		}
		out[i] = -INFINITY;
		if (m == 0)
			continue;
		qsort(zw, m, sizeof *zw, pool_zw_asc);
		for (k = 0; k < m; k++) {
			cum += zw[k].w;
			if (fabs(2 * cum - total) <= POOL_HALF_EPS * total &&
			    k + 1 < m) {
				out[i] = (zw[k].z + zw[k + 1].z) / 2;
				break;
			}
			if (2 * cum >= total) {
				out[i] = zw[k].z;
				break;
			}
		}
	}
	free(zw);
}

int pool_double_asc(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

/* Majority vote: judge j votes for the stories whose score reaches its
 * ceil(m/3)-th best of the m it scored (ties at that score all vote).
 * A story's share is the weight of its voters over the weight of its
 * scorers; pooled = share + g/4 * zm/(1 + |zm|), zm its z-mean and g the
 * smallest gap between distinct shares (1 when there is none), so the
 * tie-break moves a story by less than g/4 and never past another
 * share. */
static void pool_vote(const struct pool_input *in, const double *zm,
                      double *out)
{
	size_t i, j, k, m, n = in->nstories;
	struct pool_key *keys = xcalloc(n, sizeof *keys);
	double *voted = xcalloc(n, sizeof *voted);
	double *scored = xcalloc(n, sizeof *scored);
	double *shares = xcalloc(n, sizeof *shares);
	double gap = 1;
	size_t nshares = 0;

	for (j = 0; j < in->njudges; j++) {
		m = pool_collect(in->scores + j * n, n, NULL, keys);
		if (m == 0)
			continue;
		/* keys[(m + 2) / 3 - 1] is the ceil(m/3)-th best score */
		for (k = 0; k < m; k++) {
			scored[keys[k].i] += in->weights[j];
			if (keys[k].v >= keys[(m + 2) / 3 - 1].v)
				voted[keys[k].i] += in->weights[j];
		}
	}
	for (i = 0; i < n; i++) {
		if (scored[i] > 0)
			shares[nshares++] = voted[i] / scored[i];
	}
	qsort(shares, nshares, sizeof *shares, pool_double_asc);
	for (k = 1; k < nshares; k++) {
		double d = shares[k] - shares[k - 1];

		if (d > POOL_SHARE_EPS && d < gap)
			gap = d;
	}
	for (i = 0; i < n; i++) {
		if (scored[i] > 0)
			out[i] = voted[i] / scored[i] +
			         gap / 4 * zm[i] / (1 + fabs(zm[i]));
		else
			out[i] = -INFINITY;
	}
	free(keys);
	free(voted);
	free(scored);
	free(shares);
}

/* Borda count: judge j's m stories get (m - rank) / (m - 1) points,
 * rank 1 the best and tied stories their average rank (one story, or
 * all tied: 0.5 each); a story's points are the weighted mean over the
 * judges that scored it. */
static void pool_borda(const struct pool_input *in, double *out)
{
	size_t i, j, k, m, n = in->nstories;
	struct pool_key *keys = xcalloc(n, sizeof *keys);
	double *rank = xcalloc(n, sizeof *rank);
	double *num = xcalloc(n, sizeof *num);
	double *den = xcalloc(n, sizeof *den);

	for (j = 0; j < in->njudges; j++) {
		m = pool_collect(in->scores + j * n, n, NULL, keys);
		if (m == 0)
			continue;
		pool_avg_ranks(keys, m, rank);
		for (k = 0; k < m; k++) {
			double pts = 0.5;

			i = keys[k].i;
			if (m > 1)
				pts = ((double)m - rank[i]) / (double)(m - 1);
			num[i] += in->weights[j] * pts;
			den[i] += in->weights[j];
		}
	}
	for (i = 0; i < n; i++)
		out[i] = den[i] > 0 ? num[i] / den[i] : -INFINITY;
	free(keys);
	free(rank);
	free(num);
	free(den);
}

bool pool_input_valid(const struct pool_input *in)
{
	size_t i, j, n;

	if (!in || in->njudges == 0 || !in->weights)
		return false;
	n = in->nstories;
	if (n > 0 && (!in->scores || in->njudges > SIZE_MAX / n))
		return false;
	for (j = 0; j < in->njudges; j++)
		if (!(in->weights[j] > 0) || !isfinite(in->weights[j]))
			return false;
	for (i = 0; i < in->njudges * n; i++)
		if (isinf(in->scores[i]))
			return false;
	return true;
}

int pool_scores(const struct pool_input *in, enum pool_method method,
                double *pooled)
{
	size_t n;
	double *z, *zm, *rw;
	struct pool_input robust;

	if (!pool_input_valid(in) || (in->nstories > 0 && !pooled))
		return -1;
	if ((unsigned)method > (unsigned)POOL_ROBUST)
		return -1;
	n = in->nstories;
	if (n == 0)
		return 0;
	z = xreallocarray(NULL, in->njudges * n, sizeof *z);
	zm = xreallocarray(NULL, n, sizeof *zm);
	pool_zscores(in, z);
	pool_zmean(in, z, zm);
	switch (method) {
	case POOL_ZMEAN:
		memcpy(pooled, zm, n * sizeof *pooled);
		break;
	case POOL_MEDIAN:
		pool_median(in, z, pooled);
		break;
	case POOL_VOTE:
		pool_vote(in, zm, pooled);
		break;
	case POOL_BORDA:
		pool_borda(in, pooled);
		break;
	case POOL_ROBUST:
		rw = xcalloc(in->njudges, sizeof *rw);
		pool_robust_from(in, z, rw, NULL);
		robust = *in;
		robust.weights = rw;
		pool_zmean(&robust, z, pooled);
		free(rw);
		break;
	}
	free(z);
	free(zm);
	return 0;
}

/* A story in the final order: its pooled score, id and index. */
struct pool_place {
	double p;
	int64_t id;
	size_t i;
};

/* Best first: higher score (NAN below everything), smaller id, smaller
 * index. */
static int pool_place_cmp(const void *pa, const void *pb)
{
	const struct pool_place *a = pa, *b = pb;
	int an = isnan(a->p), bn = isnan(b->p);

	if (an != bn)
		return an - bn;
	if (!an && a->p != b->p)
		return a->p > b->p ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

void pool_order(const double *pooled, const int64_t *ids, size_t n,
                size_t *order)
{
	struct pool_place *pl;
	size_t i;

	if (n == 0)
		return;
	pl = xcalloc(n, sizeof *pl);
	for (i = 0; i < n; i++) {
		pl[i].p = pooled[i];
		pl[i].id = ids ? ids[i] : 0;
		pl[i].i = i;
	}
	qsort(pl, n, sizeof *pl, pool_place_cmp);
	for (i = 0; i < n; i++)
		order[i] = pl[i].i;
	free(pl);
}

double pool_kendall_w(const struct pool_input *in)
{
	size_t i, j, n, m = 0;
	bool *common;
	struct pool_key *keys;
	double *rank, *sum, ties = 0, s = 0, mean, denom, k, nn;

	if (!in || in->njudges < 2 || in->nstories < 2 || !in->scores)
		return NAN;
	n = in->nstories;
	common = xcalloc(n, sizeof *common);
	for (i = 0; i < n; i++) {
		common[i] = true;
		for (j = 0; j < in->njudges; j++)
			if (!isfinite(in->scores[j * n + i]))
				common[i] = false;
		m += common[i];
	}
	if (m < 2) {
		free(common);
		return NAN;
	}
	keys = xcalloc(n, sizeof *keys);
	rank = xcalloc(n, sizeof *rank);
	sum = xcalloc(n, sizeof *sum);
	for (j = 0; j < in->njudges; j++) {
		size_t got = pool_collect(in->scores + j * n, n, common, keys);

		ties += pool_avg_ranks(keys, got, rank);
		for (i = 0; i < n; i++)
			if (common[i])
				sum[i] += rank[i];
	}
	k = (double)in->njudges;
	nn = (double)m;
	mean = k * (nn + 1) / 2;
	for (i = 0; i < n; i++)
		if (common[i])
			s += (sum[i] - mean) * (sum[i] - mean);
	denom = k * k * (nn * nn * nn - nn) - k * ties;
	free(common);
	free(keys);
	free(rank);
	free(sum);
	/* zero when every judge ties every common story */
	if (!(denom > 0))
		return NAN;
	return 12 * s / denom;
}

/* A pair of scores, sorted by a then b. */
struct pool_pair {
	double a, b;
};

static int pool_pair_asc(const void *pa, const void *pb)
{
	const struct pool_pair *x = pa, *y = pb;

	if (x->a != y->a)
		return x->a < y->a ? -1 : 1;
	return (x->b > y->b) - (x->b < y->b);
}

/* Sort v[0..n) ascending by bottom-up merges (no recursion), counting
 * the pairs i < j with v[i] > v[j] strictly: equal values never count,
 * since the left run wins a tie. */
static uint64_t pool_count_inversions(double *v, double *tmp, size_t n)
{
	uint64_t inv = 0;
	size_t width, lo;

	for (width = 1; width<n; width = width> n / 2 ? n : width * 2) {
		for (lo = 0; lo + width < n; lo += 2 * width) {
			size_t mid = lo + width;
			size_t hi = n - mid > width ? mid + width : n;
			size_t a = lo, b = mid, o = lo;

			while (a < mid && b < hi) {
				if (v[a] <= v[b]) {
					tmp[o++] = v[a++];
				} else {
					inv += mid - a;
					tmp[o++] = v[b++];
				}
			}
			while (a < mid)
				tmp[o++] = v[a++];
			while (b < hi)
				tmp[o++] = v[b++];
			memcpy(v + lo, tmp + lo, (hi - lo) * sizeof *v);
		}
	}
	return inv;
}

/* Pairs among t equal values. */
static uint64_t pool_pairs(uint64_t t)
{
	return t * (t - 1) / 2;
}

/* Knight's method: sort by (a, b), count ties in a and in both on the
 * way, then the discordant pairs are the strict inversions of b. */
double pool_kendall_tau(const double *a, const double *b, size_t n)
{
	struct pool_pair *p;
	double *v, *tmp, tau;
	uint64_t n0, n1 = 0, n2 = 0, n3 = 0, nd, ta = 1, tab = 1, tb = 1;
	size_t i, m = 0;

	if (!a || !b)
		return NAN;
	for (i = 0; i < n; i++)
		m += !isnan(a[i]) && !isnan(b[i]);
	if (m < 2)
		return NAN;
	p = xcalloc(m, sizeof *p);
	v = xcalloc(m, sizeof *v);
	tmp = xcalloc(m, sizeof *tmp);
	m = 0;
	for (i = 0; i < n; i++) {
		if (isnan(a[i]) || isnan(b[i]))
			continue;
		p[m].a = a[i];
		p[m].b = b[i];
		m++;
	}
	qsort(p, m, sizeof *p, pool_pair_asc);
	for (i = 1; i <= m; i++) {
		bool same_a = i < m && p[i].a == p[i - 1].a;
		bool same_ab = same_a && p[i].b == p[i - 1].b;

		if (same_a) {
			ta++;
		} else {
			n1 += pool_pairs(ta);
			ta = 1;
		}
		if (same_ab) {
			tab++;
		} else {
			n3 += pool_pairs(tab);
			tab = 1;
		}
	}
	for (i = 0; i < m; i++)
		v[i] = p[i].b;
	nd = pool_count_inversions(v, tmp, m);
	for (i = 1; i <= m; i++) {
		if (i < m && v[i] == v[i - 1]) {
			tb++;
		} else {
			n2 += pool_pairs(tb);
			tb = 1;
		}
	}
	free(p);
	free(v);
	free(tmp);
	n0 = pool_pairs(m);
	if (n1 == n0 || n2 == n0)
		return NAN; /* a or b is constant */
	/* concordant + discordant = n0 - n1 - n2 + n3 */
	tau = ((double)(n0 - n1 + n3 - n2) - 2 * (double)nd) /
	      (sqrt((double)(n0 - n1)) * sqrt((double)(n0 - n2)));
	if (tau > 1)
		tau = 1;
	if (tau < -1)
		tau = -1;
	return tau;
}

static const char *const pool_reasons[] = {
        [POOL_SELECTED] = "selected",
        [POOL_NOT_REACHED] = "not reached",
        [POOL_QUOTA] = "quota",
        [POOL_SAME_EVENT] = "same event",
        [POOL_BELOW_FLOOR] = "below the floor",
        [POOL_PUBLISHED] = "published before",
        [POOL_EXCLUDED] = "not a candidate",
        [POOL_DROPPED] = "dropped by the editor",
        [POOL_PINNED] = "pinned by the editor",
};

const char *pool_reason_name(enum pool_reason reason)
{
	return (unsigned)reason < sizeof pool_reasons / sizeof *pool_reasons
	               ? pool_reasons[reason]
	               : "?";
}

/* Why story i at rank k cannot be taken now, or POOL_SELECTED. */
static enum pool_reason pool_refuse(const struct pool_rules *r, size_t i,
                                    size_t k, const size_t *taken,
                                    const size_t *chosen, size_t nchosen,
                                    size_t *same_as)
{
	int cat = r->category ? r->category[i] : -1;
	size_t c;

	if (r->pick && r->pick[i] == POOL_PICK_DROP)
		return POOL_DROPPED;
	if (r->published && r->published[i])
		return POOL_PUBLISHED;
	if (k >= r->floor)
		return POOL_BELOW_FLOOR;
	if (cat >= 0 && (size_t)cat < r->ncategories && r->quota &&
	    taken[cat] >= r->quota[cat])
		return POOL_QUOTA;
	for (c = 0; r->same_event && c < nchosen; c++)
		if (r->same_event(r->ctx, i, chosen[c])) {
			*same_as = chosen[c];
			return POOL_SAME_EVENT;
		}
	return POOL_SELECTED;
}

/* The editor's pinned stories among the candidates, taken first. */
static size_t pool_take_pinned(const size_t *order, size_t n, size_t nstories,
                               const struct pool_rules *r, bool *selected,
                               struct pool_choice *why, size_t *chosen,
                               size_t *taken, bool *seen)
{
	size_t k, nchosen = 0;
	int cat;

	for (k = 0; r->pick && k < n; k++) {
		size_t i = order[k];

		if (i >= nstories || seen[i] || r->pick[i] != POOL_PICK_PIN)
			continue;
		seen[i] = selected[i] = true;
		if (why)
			why[i].reason = POOL_PINNED;
		chosen[nchosen++] = i;
		cat = r->category ? r->category[i] : -1;
		if (cat >= 0 && (size_t)cat < r->ncategories)
			taken[cat]++;
	}
	return nchosen;
}

size_t pool_select(const size_t *order, size_t n, size_t nstories,
                   const struct pool_rules *r, bool *selected,
                   struct pool_choice *why)
{
	size_t *taken = xcalloc(r->ncategories + 1, sizeof *taken);
	size_t *chosen = xcalloc(r->top + n + 1, sizeof *chosen);
	bool *seen = xcalloc(nstories + 1, sizeof *seen);
	size_t k, nchosen, npinned;

	for (k = 0; k < nstories; k++) {
		selected[k] = false;
		if (why) {
			why[k].reason = POOL_EXCLUDED;
			why[k].same_as = (size_t)-1;
		}
	}
	nchosen = npinned = pool_take_pinned(order, n, nstories, r, selected,
	                                     why, chosen, taken, seen);
	for (k = 0; k < n; k++) {
		size_t i = order[k], same_as = (size_t)-1;
		enum pool_reason reason;
		int cat;

		if (i >= nstories || seen[i])
			continue;
		seen[i] = true;
		reason = pool_refuse(r, i, k, taken, chosen, nchosen, &same_as);
		if (reason == POOL_SELECTED && nchosen >= r->top)
			reason = POOL_NOT_REACHED;
		if (why) {
			why[i].reason = reason;
			why[i].same_as = same_as;
		}
		if (reason != POOL_SELECTED)
			continue;
		selected[i] = true;
		chosen[nchosen++] = i;
		cat = r->category ? r->category[i] : -1;
		if (cat >= 0 && (size_t)cat < r->ncategories)
			taken[cat]++;
	}
	free(taken);
	free(chosen);
	free(seen);
	return nchosen;
}

enum pool_method pool_method_parse(const char *name, bool *ok)
{
	size_t k;

	for (k = 0; name && k < sizeof pool_methods / sizeof pool_methods[0];
	     k++) {
		if (strcmp(name, pool_methods[k].name) == 0) {
			if (ok)
				*ok = true;
			return pool_methods[k].method;
		}
	}
	if (ok)
		*ok = false;
	return POOL_ZMEAN;
}

const char *pool_method_name(enum pool_method m)
{
	size_t k;

	for (k = 0; k < sizeof pool_methods / sizeof pool_methods[0]; k++)
		if (pool_methods[k].method == m)
			return pool_methods[k].name;
	return NULL;
}
