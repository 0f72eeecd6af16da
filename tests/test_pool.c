#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summarize/pool.h"
#include "tests/check.h"
#include "tests/tests.h"

#define EPS 1e-12

static bool near(double got, double want)
{
	if (isnan(want))
		return isnan(got);
	if (isinf(want))
		return got == want;
	return fabs(got - want) <= EPS * (1 + fabs(want));
}

#define CHECK_NEAR(got, want) CHECK(near((got), (want)))

/* The small panel most cases below use: 3 judges x 5 stories, weights
 * 2, 1, 1, judge 1 missed story 1, judge 2 missed story 4 and gave the
 * other four the same score.
 *          s0  s1  s2  s3  s4
 *   J0 (2)  8   2   5   6   4
 *   J1 (1)  7   -   3   7   3
 *   J2 (1)  6   6   6   6   -                                         */
static const double small_scores[15] = {
        8, 2, 5, 6, 4, 7, NAN, 3, 7, 3, 6, 6, 6, 6, NAN,
};
static const double small_weights[3] = {2, 1, 1};
static const int64_t small_ids[5] = {50, 40, 30, 20, 10};

static struct pool_input small_input(void)
{
	struct pool_input in = {3, 5, small_scores, small_weights, small_ids};

	return in;
}

static void test_pool_zscores(void)
{
	struct pool_input in = small_input();
	double z[15];
	/* J0: mean 25/5 = 5, deviations 3 -3 0 1 -1, sum of squares 20,
	 * population variance 20/5 = 4, sd 2.
	 * J1: 7 3 7 3, mean 5, deviations +-2, variance 4, sd 2.
	 * J2: no variance, 0 for each story it scored. */
	static const double want[15] = {
	        1.5, -1.5, 0, 0.5, -0.5, 1, NAN, -1, 1, -1, 0, 0, 0, 0, NAN,
	};
	size_t k;

	pool_zscores(&in, z);
	for (k = 0; k < 15; k++)
		CHECK_NEAR(z[k], want[k]);
}

static void test_pool_zmean(void)
{
	struct pool_input in = small_input();
	double p[5];
	size_t order[5];
	/* weights over the judges that scored the story:
	 * s0 (2*1.5 + 1 + 0) / 4 = 1      s1 (2*-1.5 + 0) / 3 = -1
	 * s2 (0 - 1 + 0) / 4 = -0.25      s3 (2*0.5 + 1 + 0) / 4 = 0.5
	 * s4 (2*-0.5 - 1) / 3 = -2/3 */
	static const double want[5] = {1, -1, -0.25, 0.5, -2.0 / 3};
	static const size_t want_order[5] = {0, 3, 2, 4, 1};
	size_t k;

	CHECK_INT(pool_scores(&in, POOL_ZMEAN, p), 0);
	for (k = 0; k < 5; k++)
		CHECK_NEAR(p[k], want[k]);
	pool_order(p, in.ids, 5, order);
	for (k = 0; k < 5; k++)
		CHECK_INT(order[k], want_order[k]);
}

static void test_pool_median(void)
{
	struct pool_input in = small_input();
	double p[5];
	/* (z, weight) sorted by z; the first whose cumulative weight
	 * reaches half the total, the midpoint when exactly half:
	 * s0 (0,1) (1,1) (1.5,2): total 4, cum 2 = half at 1 -> 1.25
	 * s1 (-1.5,2) (0,1): total 3, cum 2 > 1.5 -> -1.5
	 * s2 (-1,1) (0,2) (0,1): total 4, cum 1, then 3 -> 0
	 * s3 (0,1) (0.5,2) (1,1): total 4, cum 1, then 3 -> 0.5
	 * s4 (-1,1) (-0.5,2): total 3, cum 1, then 3 -> -0.5 */
	static const double want[5] = {1.25, -1.5, 0, 0.5, -0.5};
	size_t k;

	CHECK_INT(pool_scores(&in, POOL_MEDIAN, p), 0);
	for (k = 0; k < 5; k++)
		CHECK_NEAR(p[k], want[k]);
}

static void test_pool_vote(void)
{
	struct pool_input in = small_input();
	double p[5];
	size_t order[5];
	/* top third: the ceil(m/3)-th best score and all at or above it.
	 * J0 m=5: 2nd best of 8 6 5 4 2 is 6 -> votes s0 s3.
	 * J1 m=4: 2nd best of 7 7 3 3 is 7 -> votes s0 s3.
	 * J2 m=4: 2nd best of 6 6 6 6 is 6 -> votes s0 s1 s2 s3.
	 * shares (voters' weight / scorers' weight):
	 * s0 4/4 = 1, s1 1/3, s2 1/4, s3 4/4 = 1, s4 0/3 = 0.
	 * distinct shares 0 1/4 1/3 1: smallest gap g = 1/12, so the
	 * tie-break is g/4 * zm / (1 + |zm|) = zm / (1 + |zm|) / 48:
	 * s0 zm 1 -> +1/96        s1 zm -1 -> -1/96
	 * s2 zm -1/4 -> -1/240     s3 zm 1/2 -> +1/144
	 * s4 zm -2/3 -> -1/120 */
	static const double want[5] = {
	        1 + 1.0 / 96,  1.0 / 3 - 1.0 / 96, 0.25 - 1.0 / 240,
	        1 + 1.0 / 144, -1.0 / 120,
	};
	/* votes dominate: s1 (zm -1) stays above s2 (zm -0.25) */
	static const size_t want_order[5] = {0, 3, 1, 2, 4};
	size_t k;

	CHECK_INT(pool_scores(&in, POOL_VOTE, p), 0);
	for (k = 0; k < 5; k++)
		CHECK_NEAR(p[k], want[k]);
	pool_order(p, in.ids, 5, order);
	for (k = 0; k < 5; k++)
		CHECK_INT(order[k], want_order[k]);
}

static void test_pool_borda(void)
{
	struct pool_input in = small_input();
	double p[5];
	size_t order[5];
	/* points (m - rank) / (m - 1), tied ranks averaged:
	 * J0 m=5 ranks s0 1, s1 5, s2 3, s3 2, s4 4
	 *    -> 4/4 0/4 2/4 3/4 1/4
	 * J1 m=4: 7 7 take ranks 1,2 -> 1.5 -> 2.5/3 = 5/6;
	 *    3 3 take 3,4 -> 3.5 -> 0.5/3 = 1/6
	 * J2 m=4 all tied: rank 2.5 -> 1.5/3 = 1/2
	 * weighted mean over the judges that scored the story:
	 * s0 (2*1 + 5/6 + 1/2) / 4 = (20/6) / 4 = 5/6
	 * s1 (2*0 + 1/2) / 3 = 1/6
	 * s2 (2*1/2 + 1/6 + 1/2) / 4 = (10/6) / 4 = 5/12
	 * s3 (2*3/4 + 5/6 + 1/2) / 4 = (17/6) / 4 = 17/24
	 * s4 (2*1/4 + 1/6) / 3 = (2/3) / 3 = 2/9 */
	static const double want[5] = {5.0 / 6, 1.0 / 6, 5.0 / 12, 17.0 / 24,
	                               2.0 / 9};
	static const size_t want_order[5] = {0, 3, 2, 4, 1};
	size_t k;

	CHECK_INT(pool_scores(&in, POOL_BORDA, p), 0);
	for (k = 0; k < 5; k++)
		CHECK_NEAR(p[k], want[k]);
	pool_order(p, in.ids, 5, order);
	for (k = 0; k < 5; k++)
		CHECK_INT(order[k], want_order[k]);
}

static void test_pool_weights(void)
{
	/* two judges who disagree: z = (1, -1) and (-1, 1) */
	static const double scores[4] = {10, 1, 1, 10};
	double w[2] = {2, 1}, p[2];
	size_t order[2];
	int64_t ids[2] = {7, 3};
	struct pool_input in = {2, 2, scores, w, ids};

	/* zmean (2*1 + 1*-1) / 3 = 1/3 and (2*-1 + 1*1) / 3 = -1/3 */
	CHECK_INT(pool_scores(&in, POOL_ZMEAN, p), 0);
	CHECK_NEAR(p[0], 1.0 / 3);
	CHECK_NEAR(p[1], -1.0 / 3);
	/* median: s0 (-1,1) (1,2): cum 1 < 1.5, then 3 -> 1 */
	CHECK_INT(pool_scores(&in, POOL_MEDIAN, p), 0);
	CHECK_NEAR(p[0], 1);
	CHECK_NEAR(p[1], -1);
	/* the heavier judge wins either way round */
	w[0] = 1;
	w[1] = 2;
	CHECK_INT(pool_scores(&in, POOL_ZMEAN, p), 0);
	pool_order(p, ids, 2, order);
	CHECK_INT(order[0], 1);
	/* equal weights: a tie at 0, broken by id (3 < 7) */
	w[1] = 1;
	CHECK_INT(pool_scores(&in, POOL_ZMEAN, p), 0);
	CHECK_NEAR(p[0], 0);
	CHECK_NEAR(p[1], 0);
	pool_order(p, ids, 2, order);
	CHECK_INT(order[0], 1);
	CHECK_INT(order[1], 0);
	/* median of two equal weights: the midpoint (1 + -1) / 2 = 0 */
	CHECK_INT(pool_scores(&in, POOL_MEDIAN, p), 0);
	CHECK_NEAR(p[0], 0);
	/* vote: each judge votes its best of two (ceil(2/3) = 1): shares
	 * 1/2 and 1/2, zmean 0: a tie */
	CHECK_INT(pool_scores(&in, POOL_VOTE, p), 0);
	CHECK_NEAR(p[0], 0.5);
	CHECK_NEAR(p[1], 0.5);
}

static void test_pool_unscored(void)
{
	/* story 1 scored by nobody; story 2 by one judge only */
	static const double scores[6] = {3, NAN, 9, 5, NAN, NAN};
	static const double w[2] = {1, 1};
	static const int64_t ids[3] = {1, 2, 3};
	struct pool_input in = {2, 3, scores, w, ids};
	static const enum pool_method all[] = {POOL_ZMEAN, POOL_MEDIAN,
	                                       POOL_VOTE, POOL_BORDA};
	double p[3];
	size_t order[3], k;

	for (k = 0; k < sizeof all / sizeof all[0]; k++) {
		CHECK_INT(pool_scores(&in, all[k], p), 0);
		CHECK(p[1] == -INFINITY);
		CHECK(isfinite(p[0]) && isfinite(p[2]));
		pool_order(p, ids, 3, order);
		CHECK_INT(order[2], 1);
	}
	/* J0 z: 3 and 9 about 6, sd 3 -> -1, 1; J1 one story: 0.
	 * zmean s0 (-1 + 0) / 2 = -0.5; s2 1 / 1 = 1 */
	CHECK_INT(pool_scores(&in, POOL_ZMEAN, p), 0);
	CHECK_NEAR(p[0], -0.5);
	CHECK_NEAR(p[2], 1);
	/* borda: J0 gives 1 to s2 and 0 to s0; J1 one story: 0.5.
	 * s0 (0 + 0.5) / 2 = 0.25; s2 1 */
	CHECK_INT(pool_scores(&in, POOL_BORDA, p), 0);
	CHECK_NEAR(p[0], 0.25);
	CHECK_NEAR(p[2], 1);
}

static void test_pool_bad_input(void)
{
	static const double scores[2] = {1, 2};
	static const double inf_scores[2] = {1, INFINITY};
	double w[1] = {1}, p[2] = {42, 42};
	struct pool_input in = {1, 2, scores, w, NULL};
	struct pool_input none = {0, 2, scores, w, NULL};
	struct pool_input empty = {1, 0, NULL, w, NULL};
	struct pool_input inf = {1, 2, inf_scores, w, NULL};

	CHECK_INT(pool_scores(&none, POOL_ZMEAN, p), -1);
	CHECK_INT(pool_scores(NULL, POOL_ZMEAN, p), -1);
	CHECK_INT(pool_scores(&inf, POOL_ZMEAN, p), -1);
	CHECK_INT(pool_scores(&in, (enum pool_method)9, p), -1);
	w[0] = 0;
	CHECK_INT(pool_scores(&in, POOL_ZMEAN, p), -1);
	w[0] = -1;
	CHECK_INT(pool_scores(&in, POOL_ZMEAN, p), -1);
	w[0] = NAN;
	CHECK_INT(pool_scores(&in, POOL_ZMEAN, p), -1);
	w[0] = INFINITY;
	CHECK_INT(pool_scores(&in, POOL_ZMEAN, p), -1);
	CHECK(p[0] == 42 && p[1] == 42); /* untouched */
	w[0] = 1;
	CHECK_INT(pool_scores(&empty, POOL_ZMEAN, NULL), 0);
	/* one judge, two stories: z -1 and 1 */
	CHECK_INT(pool_scores(&in, POOL_ZMEAN, p), 0);
	CHECK_NEAR(p[0], -1);
	CHECK_NEAR(p[1], 1);
}

static void test_pool_order(void)
{
	const double p[6] = {0.5, -INFINITY, 0.5, NAN, 2, 0.5};
	static const int64_t ids[6] = {9, 1, 4, 0, 5, 4};
	size_t order[6];

	/* 2 first; the three 0.5 by id 4 (index 2), 4 (index 5), 9;
	 * then -INFINITY, then NAN */
	pool_order(p, ids, 6, order);
	CHECK_INT(order[0], 4);
	CHECK_INT(order[1], 2);
	CHECK_INT(order[2], 5);
	CHECK_INT(order[3], 0);
	CHECK_INT(order[4], 1);
	CHECK_INT(order[5], 3);
	/* without ids the ties go by index */
	pool_order(p, NULL, 6, order);
	CHECK_INT(order[1], 0);
	CHECK_INT(order[2], 2);
	CHECK_INT(order[3], 5);
}

static void test_pool_kendall_w(void)
{
	struct pool_input in = small_input();
	/* Influential Points, "Kendall coefficient of concordance": four
	 * raters rank strawberries from eight farms (1 = best). Rank sums
	 * 31 12 12 15 22 5 22 25, mean 18, S = 500,
	 * W = 12 * 500 / (4^2 * (8^3 - 8)) = 6000 / 8064 = 0.744 */
	static const double farms[32] = {
	        8, 4, 2, 3, 5, 1, 6, 7, 7, 3, 1, 4, 5, 2, 6, 8,
	        8, 2, 5, 6, 7, 1, 4, 3, 8, 3, 4, 2, 5, 1, 6, 7,
	};
	static const double same[12] = {3, 1, 4, 1, 3, 1, 4, 1, 3, 1, 4, 1};
	static const double opposite[8] = {1, 2, 3, 4, 4, 3, 2, 1};
	static const double flat[6] = {5, 5, 5, 7, 7, 7};
	static const double w[4] = {1, 1, 1, 1};
	struct pool_input f = {4, 8, farms, w, NULL};
	struct pool_input s = {3, 4, same, w, NULL};
	struct pool_input o = {2, 4, opposite, w, NULL};
	struct pool_input one = {1, 4, same, w, NULL};
	struct pool_input ties = {2, 3, flat, w, NULL};
	/* J0 1 2 -, J1 3 - 4: only s0 has both */
	static const double gappy[6] = {1, 2, NAN, 3, NAN, 4};
	struct pool_input lone = {2, 3, gappy, w, NULL};

	CHECK_NEAR(pool_kendall_w(&f), 6000.0 / 8064);
	CHECK(fabs(pool_kendall_w(&f) - 0.744) < 0.0005);
	/* identical rankings, with a tie: 1 */
	CHECK_NEAR(pool_kendall_w(&s), 1);
	/* two judges in opposite order: every rank sum is 5, S = 0 */
	CHECK_NEAR(pool_kendall_w(&o), 0);
	CHECK(isnan(pool_kendall_w(&one)));
	/* every judge ties everything: 0 / 0 */
	CHECK(isnan(pool_kendall_w(&ties)));
	/* the small panel on s0 s2 s3, the stories all three scored
	 * (ranks 1 = best, ties averaged):
	 *   J0 8 5 6 -> 1 3 2        T = 0
	 *   J1 7 3 7 -> 1.5 3 1.5    T = 2^3 - 2 = 6
	 *   J2 6 6 6 -> 2 2 2        T = 3^3 - 3 = 24
	 * rank sums 4.5 8 5.5, mean 3 * 4 / 2 = 6,
	 * S = 1.5^2 + 2^2 + 0.5^2 = 6.5,
	 * W = 12 * 6.5 / (9 * (27 - 3) - 3 * 30) = 78 / 126 = 13/21 */
	CHECK_NEAR(pool_kendall_w(&in), 13.0 / 21);
	/* one story in common is not enough */
	CHECK(isnan(pool_kendall_w(&lone)));
}

/* Kendall's tau-b from its definition, pair by pair. */
static double brute_tau(const double *a, const double *b, size_t n)
{
	double c = 0, d = 0, ta = 0, tb = 0, n0 = 0;
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (isnan(a[i]) || isnan(b[i]))
			continue;
		for (j = i + 1; j < n; j++) {
			double s;

			if (isnan(a[j]) || isnan(b[j]))
				continue;
			n0++;
			ta += a[i] == a[j];
			tb += b[i] == b[j];
			s = (a[i] - a[j]) * (b[i] - b[j]);
			c += s > 0;
			d += s < 0;
		}
	}
	if (n0 == ta || n0 == tb)
		return NAN;
	return (c - d) / sqrt((n0 - ta) * (n0 - tb));
}

/* splitmix64: a seeded stream for the tests. */
static uint64_t mix_next(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double mix_unit(uint64_t *s)
{
	return (double)(mix_next(s) >> 11) * 0x1.0p-53;
}

/* Standard normal (Box-Muller, one of the pair). */
static double mix_normal(uint64_t *s)
{
	double u = 1 - mix_unit(s), v = mix_unit(s);

	return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static void test_pool_kendall_tau(void)
{
	/* scipy.stats.kendalltau's documented example:
	 * x 12 2 1 12 2, y 1 4 7 1 0. Of the 10 pairs, (0,3) is tied in
	 * both, (1,4) in x only; concordant (0,4) (3,4); the other 6 are
	 * discordant. n1 = 2 (x ties), n2 = 1 (y ties):
	 * tau-b = (2 - 6) / sqrt((10 - 2) * (10 - 1)) = -4 / sqrt(72) */
	static const double x[5] = {12, 2, 1, 12, 2};
	static const double y[5] = {1, 4, 7, 1, 0};
	static const double up[4] = {1, 2, 3, 4};
	static const double down[4] = {8, 6, 4, 2};
	static const double flat[4] = {5, 5, 5, 5};
	static const double gaps[5] = {1, NAN, 2, 3, NAN};
	static const double other[5] = {10, 20, 30, NAN, 50};
	double a[300], b[300];
	uint64_t seed = 7;
	size_t round, n, i;
	int bad = 0;

	CHECK_NEAR(pool_kendall_tau(x, y, 5), -4 / sqrt(72));
	CHECK(fabs(pool_kendall_tau(x, y, 5) - -0.47140452079103173) < 1e-12);
	CHECK_NEAR(pool_kendall_tau(up, up, 4), 1);
	CHECK_NEAR(pool_kendall_tau(up, down, 4), -1);
	CHECK(isnan(pool_kendall_tau(up, flat, 4)));
	CHECK(isnan(pool_kendall_tau(up, up, 1)));
	/* only indices 0 and 2 are in both: (1, 10) (2, 30) -> 1 */
	CHECK_NEAR(pool_kendall_tau(gaps, other, 5), 1);
	CHECK(isnan(pool_kendall_tau(gaps, other, 2)));
	/* the merge count against the pair-by-pair definition, on random
	 * vectors with many ties and some NANs, every size 0..40 and 300 */
	for (round = 0; round < 42; round++) {
		n = round < 41 ? round : 300;
		for (i = 0; i < n; i++) {
			a[i] = (double)(mix_next(&seed) % 6);
			b[i] = (double)(mix_next(&seed) % 4);
			if (mix_next(&seed) % 10 == 0)
				b[i] = NAN;
		}
		if (!near(pool_kendall_tau(a, b, n), brute_tau(a, b, n)))
			bad++;
	}
	CHECK_INT(bad, 0);
}

/* Same event when both are in the same group of a table, for the tests:
 * group[i] -1 is alone. */
static bool pool_test_same(void *ctx, size_t a, size_t b)
{
	const int *group = ctx;

	return group[a] >= 0 && group[a] == group[b];
}

/* Same event by a table of direct matches: a matches b, b matches c,
 * but a does not match c. */
static bool pool_test_pairs(void *ctx, size_t a, size_t b)
{
	const bool(*m)[4] = ctx;

	return m[a][b];
}

static void test_pool_select(void)
{
	static const size_t order[8] = {0, 1, 2, 3, 4, 5, 6, 7};
	static const int category[8] = {0, 0, 0, 1, -1, 1, -1, 1};
	static const int group[8] = {-1, 7, 9, 7, -1, -1, 9, 3};
	static const size_t quota[2] = {2, 1};
	static const size_t no_models[2] = {0, 8};
	static const size_t dup[3] = {1, 1, 0};
	struct pool_rules r = {
	        category,       quota,        2, 10, 8, NULL, NULL,
	        pool_test_same, (void *)group};
	struct pool_choice why[8];
	bool sel[8];
	size_t k;

	/* s0 (cat 0: 1 of 2), s1 (cat 0: 2 of 2, group 7), s2 cat 0 is
	 * full, s3 the same event as s1, s4 no category, s5 (cat 1: 1 of 1),
	 * s6 group 9 (s2 was not taken, so nothing of 9 is), s7 cat 1 full */
	for (k = 0; k < 8; k++)
		sel[k] = true; /* cleared by the call */
	CHECK_INT(pool_select(order, 8, 8, &r, sel, why), 5);
	CHECK(sel[0] && sel[1] && !sel[2] && !sel[3]);
	CHECK(sel[4] && sel[5] && sel[6] && !sel[7]);
	CHECK_INT(why[2].reason, POOL_QUOTA);
	CHECK_INT(why[3].reason, POOL_SAME_EVENT);
	CHECK_INT(why[3].same_as, 1);
	CHECK_INT(why[7].reason, POOL_QUOTA);
	CHECK_STR(pool_reason_name(why[3].reason), "same event");
	/* top 4 stops after s5; the rest were not reached */
	r.top = 4;
	CHECK_INT(pool_select(order, 8, 8, &r, sel, why), 4);
	CHECK(sel[0] && sel[1] && sel[4] && sel[5] && !sel[6]);
	CHECK_INT(why[6].reason, POOL_NOT_REACHED);
	/* a zero quota shuts a category out: s3 s4 s5 s6 */
	r.quota = no_models;
	CHECK_INT(pool_select(order, 8, 8, &r, sel, why), 4);
	CHECK(!sel[0] && !sel[1] && !sel[2] && sel[3] && sel[4] && sel[5] &&
	      sel[6] && !sel[7]);
	/* the floor: no story ranked at 3 or below it fills a slot */
	r.quota = quota;
	r.floor = 3;
	CHECK_INT(pool_select(order, 8, 8, &r, sel, why), 2);
	CHECK(sel[0] && sel[1] && !sel[2]);
	CHECK_INT(why[2].reason, POOL_QUOTA);
	CHECK_INT(why[4].reason, POOL_BELOW_FLOOR);
	CHECK_INT(why[5].reason, POOL_BELOW_FLOOR);
	/* no rules but the top: the first three of the order */
	memset(&r, 0, sizeof r);
	r.top = 3;
	r.floor = 8;
	CHECK_INT(pool_select(order, 8, 8, &r, sel, NULL), 3);
	CHECK(sel[0] && sel[1] && sel[2] && !sel[3]);
	/* a story that comes twice is chosen once */
	CHECK_INT(pool_select(dup, 3, 3, &r, sel, why), 2);
	CHECK(sel[0] && sel[1] && !sel[2]);
	CHECK_INT(why[2].reason, POOL_EXCLUDED);
	r.top = 0;
	CHECK_INT(pool_select(order, 8, 8, &r, sel, NULL), 0);
}

/* The candidates are any stories of the day, not the first n: a day of
 * ten stories whose three best are 9, 5 and 7 selects those three (the
 * panel's order holds indices of all the day's stories). */
static void test_pool_select_indices(void)
{
	static const size_t order[3] = {9, 5, 7};
	struct pool_rules r;
	struct pool_choice why[10];
	bool sel[10];

	memset(&r, 0, sizeof r);
	r.top = 2;
	r.floor = 3;
	CHECK_INT(pool_select(order, 3, 10, &r, sel, why), 2);
	CHECK(sel[9] && sel[5] && !sel[7] && !sel[0]);
	CHECK_INT(why[7].reason, POOL_NOT_REACHED);
	CHECK_INT(why[0].reason, POOL_EXCLUDED);
	CHECK_INT(why[9].reason, POOL_SELECTED);
}

/* The editor's word: a dropped story never, a pinned one always, taking
 * the bottom slot; a pinned story below the floor or over a full quota
 * still goes in, and it blocks the same event after it. */
static void test_pool_select_picks(void)
{
	static const size_t order[6] = {0, 1, 2, 3, 4, 5};
	static const int group[6] = {-1, -1, 3, -1, -1, 3};
	static const unsigned char pick[6] = {POOL_PICK_DROP, 0, 0, 0, 0,
	                                      POOL_PICK_PIN};
	struct pool_rules r;
	struct pool_choice why[6];
	bool sel[6];

	memset(&r, 0, sizeof r);
	r.top = 3;
	r.floor = 4;
	r.pick = pick;
	r.same_event = pool_test_same;
	r.ctx = (void *)group;
	CHECK_INT(pool_select(order, 6, 6, &r, sel, why), 3);
	CHECK(!sel[0] && sel[1] && !sel[2] && sel[3] && !sel[4] && sel[5]);
	CHECK_INT(why[0].reason, POOL_DROPPED);
	CHECK_INT(why[5].reason, POOL_PINNED);
	CHECK_INT(why[2].reason, POOL_SAME_EVENT); /* as the pinned 5 */
	CHECK_INT(why[2].same_as, 5);
	CHECK_INT(why[4].reason, POOL_BELOW_FLOOR);
	CHECK_STR(pool_reason_name(POOL_PINNED), "pinned by the editor");
	CHECK_STR(pool_reason_name(POOL_DROPPED), "dropped by the editor");
}

/* Nothing chains: a matches b and b matches c, but c is not the same
 * event as a; with b taken, a and c are out; with b out, both are in. */
static void test_pool_select_no_chain(void)
{
	static const bool m[4][4] = {{false, true, false, false},
	                             {true, false, true, false},
	                             {false, true, false, false},
	                             {false, false, false, false}};
	static const size_t b_first[4] = {1, 0, 2, 3};
	static const size_t a_first[4] = {0, 2, 1, 3};
	static const bool b_published[4] = {false, true, false, false};
	struct pool_rules r = {
	        NULL, NULL, 0, 4, 4, NULL, NULL, pool_test_pairs, (void *)m};
	struct pool_choice why[4];
	bool sel[4];

	CHECK_INT(pool_select(b_first, 4, 4, &r, sel, why), 2);
	CHECK(sel[1] && !sel[0] && !sel[2] && sel[3]);
	CHECK_INT(why[2].same_as, 1);
	/* a, then c (it does not match a), then b matches a: out */
	CHECK_INT(pool_select(a_first, 4, 4, &r, sel, why), 3);
	CHECK(sel[0] && sel[2] && !sel[1] && sel[3]);
	CHECK_INT(why[1].reason, POOL_SAME_EVENT);
	CHECK_INT(why[1].same_as, 0);
	/* published before: never taken, and it blocks nothing */
	r.published = b_published;
	CHECK_INT(pool_select(b_first, 4, 4, &r, sel, why), 3);
	CHECK(!sel[1] && sel[0] && sel[2] && sel[3]);
	CHECK_INT(why[1].reason, POOL_PUBLISHED);
}

static void test_pool_method_names(void)
{
	static const char *const names[] = {"zmean", "median", "vote", "borda"};
	bool ok = false;
	size_t k;

	for (k = 0; k < 4; k++) {
		enum pool_method m = pool_method_parse(names[k], &ok);

		CHECK(ok);
		CHECK_INT(m, k);
		CHECK_STR(pool_method_name(m), names[k]);
	}
	CHECK_INT(pool_method_parse("Median", &ok), POOL_ZMEAN);
	CHECK(!ok);
	ok = true;
	pool_method_parse(NULL, &ok);
	CHECK(!ok);
	CHECK(pool_method_name((enum pool_method)17) == NULL);
}

/* The simulation: stories of known quality, three judges with noise and
 * each its own bias; pooling should rank closer to the truth than any
 * one judge. */
#define SIM_STORIES 200
#define SIM_JUDGES 3
#define SIM_SEEDS 10
#define SIM_BATCH 20
#define SIM_NOISE 1.5

static double sim_clamp_score(double x)
{
	x = round(x);
	return x < 1 ? 1 : x > 10 ? 10 : x;
}

/* One seed: fills tau[0..3) for the judges and tau[3..7) for zmean,
 * median, vote and borda. */
static void sim_run(uint64_t seed, double *tau)
{
	static const enum pool_method methods[] = {POOL_ZMEAN, POOL_MEDIAN,
	                                           POOL_VOTE, POOL_BORDA};
	double q[SIM_STORIES], len[SIM_STORIES], p[SIM_STORIES];
	double scores[SIM_JUDGES * SIM_STORIES];
	double w[SIM_JUDGES] = {1, 1, 1};
	size_t pos[SIM_STORIES], perm[SIM_STORIES];
	bool from_s[SIM_STORIES];
	int64_t ids[SIM_STORIES];
	struct pool_input in = {SIM_JUDGES, SIM_STORIES, scores, w, ids};
	uint64_t s = seed;
	size_t i, j, k;

	for (i = 0; i < SIM_STORIES; i++) {
		q[i] = 1 + 9 * mix_unit(&s);     /* true quality */
		from_s[i] = mix_unit(&s) < 0.25; /* a quarter from source S */
		len[i] = mix_unit(&s);           /* text length / the longest */
		ids[i] = (int64_t)i;
	}
	for (j = 0; j < SIM_JUDGES; j++) {
		/* the judge's own presented order (Fisher-Yates) */
		for (i = 0; i < SIM_STORIES; i++)
			perm[i] = i;
		for (i = SIM_STORIES - 1; i > 0; i--) {
			size_t r = (size_t)(mix_next(&s) % (i + 1)),
			       t = perm[i];

			perm[i] = perm[r];
			perm[r] = t;
		}
		for (k = 0; k < SIM_STORIES; k++)
			pos[perm[k]] = k;
		for (i = 0; i < SIM_STORIES; i++) {
			double bias = 0;

			if (j == 0 && from_s[i])
				bias = 2; /* favours source S */
			else if (j == 1)
				bias = 3 * len[i]; /* favours long texts */
			else if (j == 2) /* favours the top of each batch */
				bias = 3 * (1 - (double)(pos[i] % SIM_BATCH) /
				                        (SIM_BATCH - 1));
			scores[j * SIM_STORIES + i] = sim_clamp_score(
			        q[i] + bias + SIM_NOISE * mix_normal(&s));
		}
		tau[j] = pool_kendall_tau(scores + j * SIM_STORIES, q,
		                          SIM_STORIES);
	}
	for (k = 0; k < 4; k++) {
		if (pool_scores(&in, methods[k], p) != 0) {
			tau[SIM_JUDGES + k] = NAN;
			continue;
		}
		tau[SIM_JUDGES + k] = pool_kendall_tau(p, q, SIM_STORIES);
	}
}

static void test_pool_simulation(void)
{
	double tau[SIM_JUDGES + 4], sum[SIM_JUDGES + 4] = {0};
	double worst_margin = INFINITY;
	size_t seed, k;
	int beaten = 0;

	for (seed = 1; seed <= SIM_SEEDS; seed++) {
		double best = -INFINITY;

		sim_run(UINT64_C(0x5EED0000) + seed, tau);
		for (k = 0; k < SIM_JUDGES + 4; k++) {
			CHECK(tau[k] > 0 && tau[k] <= 1);
			sum[k] += tau[k];
		}
		for (k = 0; k < SIM_JUDGES; k++)
			best = tau[k] > best ? tau[k] : best;
		beaten += tau[SIM_JUDGES] > best;
		if (tau[SIM_JUDGES] - best < worst_margin)
			worst_margin = tau[SIM_JUDGES] - best;
	}
	/* the pooled (zmean) ranking beats every judge, for every seed */
	CHECK_INT(beaten, SIM_SEEDS);
	printf("pool simulation: pooled tau %.3f vs judges %.3f %.3f %.3f "
	       "(%d seeds, smallest margin %.3f); median %.3f vote %.3f "
	       "borda %.3f\n",
	       sum[3] / SIM_SEEDS, sum[0] / SIM_SEEDS, sum[1] / SIM_SEEDS,
	       sum[2] / SIM_SEEDS, SIM_SEEDS, worst_margin, sum[4] / SIM_SEEDS,
	       sum[5] / SIM_SEEDS, sum[6] / SIM_SEEDS);
}

void test_pool(void)
{
	test_pool_zscores();
	test_pool_zmean();
	test_pool_median();
	test_pool_vote();
	test_pool_borda();
	test_pool_weights();
	test_pool_unscored();
	test_pool_bad_input();
	test_pool_order();
	test_pool_kendall_w();
	test_pool_kendall_tau();
	test_pool_select();
	test_pool_select_no_chain();
	test_pool_select_indices();
	test_pool_select_picks();
	test_pool_method_names();
	test_pool_simulation();
}
