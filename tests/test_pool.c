#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summarize/pool.h"
#include "tests/check.h"
#include "tests/test_pool.h"
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
	static const enum pool_method all[] = {
	        POOL_ZMEAN, POOL_MEDIAN, POOL_VOTE, POOL_BORDA, POOL_ROBUST};
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
			a[i] = (double)(pool_sim_next(&seed) % 6);
			b[i] = (double)(pool_sim_next(&seed) % 4);
			if (pool_sim_next(&seed) % 10 == 0)
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
	static const char *const names[] = {"zmean", "median", "vote", "borda",
	                                    "robust"};
	bool ok = false;
	size_t k;

	for (k = 0; k < 5; k++) {
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

/* Robust pooling by hand: two stories, so each judge's z-scores are
 * (1, -1) or (-1, 1), and under 3 stories no residuals correlate (no
 * vote is shared). A and B at (1, -1) hold 2 of the 3 weights: the
 * geometric median is their point. C's RMS distance from it is
 * sqrt((2^2 + 2^2) / 2) = 2; the lower median of the distances 0 0 2 is
 * 0, so the near distance is POOL_ROBUST_NEAR = 0.6 and C weighs
 * (0.6 / 2)^2 = 0.09. Pooled: (1 + 1 - 0.09) / 2.09 = 1.91 / 2.09. */
static void test_pool_robust(void)
{
	static const double scores[6] = {9, 2, 9, 2, 2, 9};
	static const double w1[3] = {1, 1, 1};
	static const double both[4] = {4, 8, 1, 10};
	static const enum pool_method all[] = {
	        POOL_ZMEAN, POOL_MEDIAN, POOL_VOTE, POOL_BORDA, POOL_ROBUST};
	struct pool_input in = {3, 2, scores, w1, NULL};
	struct pool_input small = small_input();
	struct pool_input agree = {2, 2, both, w1, NULL};
	double w[3], d[3], p[5];
	size_t k;

	CHECK_INT(pool_robust_weights(&in, w, d), 0);
	CHECK(fabs(w[0] - 1) < 1e-9 && fabs(w[1] - 1) < 1e-9);
	CHECK(fabs(w[2] - 0.09) < 1e-9);
	CHECK(d[0] < 1e-6 && d[1] < 1e-6);
	CHECK(fabs(d[2] - 2) < 1e-6);
	CHECK_INT(pool_scores(&in, POOL_ROBUST, p), 0);
	CHECK(fabs(p[0] - 1.91 / 2.09) < 1e-9);
	CHECK(fabs(p[1] + 1.91 / 2.09) < 1e-9);
	/* judges who agree (z (-1, 1) both): robust is the z-mean */
	CHECK_INT(pool_robust_weights(&agree, w, d), 0);
	CHECK_NEAR(w[0], 1);
	CHECK_NEAR(w[1], 1);
	CHECK_INT(pool_scores(&agree, POOL_ROBUST, p), 0);
	CHECK_NEAR(p[0], -1);
	CHECK_NEAR(p[1], 1);
	/* two judges who disagree, one weighing twice the other: the
	 * median sits on the heavier (2 of 3), yet with no third judge
	 * nobody is outvoted: weights as given, robust is zmean */
	agree.scores = scores + 2;
	agree.weights = small_weights;
	CHECK_INT(pool_robust_weights(&agree, w, d), 0);
	CHECK_NEAR(w[0], 2);
	CHECK_NEAR(w[1], 1);
	CHECK(d[0] < 1e-6 && fabs(d[1] - 2) < 1e-6);
	/* the small panel: weights in (0, w], the unscored story stays
	 * out, the judge with no spread lies farthest */
	CHECK_INT(pool_robust_weights(&small, w, d), 0);
	for (k = 0; k < 3; k++)
		CHECK(w[k] > 0 && w[k] <= small_weights[k] && d[k] >= 0);
	CHECK_INT(pool_scores(&small, POOL_ROBUST, p), 0);
	for (k = 0; k < 5; k++)
		CHECK(isfinite(p[k]));
	/* every method takes this panel; bad input */
	for (k = 0; k < sizeof all / sizeof all[0]; k++)
		CHECK_INT(pool_scores(&in, all[k], p), 0);
	CHECK_INT(pool_robust_weights(NULL, w, d), -1);
	CHECK_INT(pool_robust_weights(&in, NULL, d), -1);
	in.nstories = 0;
	CHECK_INT(pool_robust_weights(&in, w, d), 0);
	CHECK(w[2] == 1 && isnan(d[2]));
}

/* A copy shares its original's vote. Four stories:
 *   A scores 3 3 1 1 -> z  1  1 -1 -1;  B the same;  C 3 1 3 1 -> z
 *   1 -1 1 -1.
 * Leave-one-out residuals: A - (B + C) / 2 = (A - C) / 2 = 0 1 -1 0 for
 * A and B; C - (A + B) / 2 = C - A = 0 -2 2 0 for C. A and B correlate
 * at 1, each at -1 with C: A and B weigh 1 / (1 + 1^2) = 0.5, C 1. The
 * median of A (0.5 + 0.5) and C (1) starts and stays at their middle,
 * (A + C) / 2 = 1 0 0 -1, each sqrt((0 + 1 + 1 + 0) / 4) = 1/sqrt(2)
 * from it: the lower median of the distances 0.707 is above 0.6, so all
 * count in full. Pooled (0.5 A + 0.5 B + C) / 2 = (A + C) / 2, where
 * zmean gives A two votes: (2A + C) / 3 = 1 1/3 -1/3 -1. */
static void test_pool_robust_copies(void)
{
	static const double scores[12] = {3, 3, 1, 1, 3, 3, 1, 1, 3, 1, 3, 1};
	static const double w1[3] = {1, 1, 1};
	static const double want[4] = {1, 0, 0, -1};
	struct pool_input in = {3, 4, scores, w1, NULL};
	double w[3], d[3], p[4];
	size_t k;

	CHECK_INT(pool_robust_weights(&in, w, d), 0);
	CHECK_NEAR(w[0], 0.5);
	CHECK_NEAR(w[1], 0.5);
	CHECK_NEAR(w[2], 1);
	for (k = 0; k < 3; k++)
		CHECK(fabs(d[k] - sqrt(0.5)) < 1e-9);
	CHECK_INT(pool_scores(&in, POOL_ROBUST, p), 0);
	for (k = 0; k < 4; k++)
		CHECK(fabs(p[k] - want[k]) < 1e-9);
	CHECK_INT(pool_scores(&in, POOL_ZMEAN, p), 0);
	CHECK_NEAR(p[1], 1.0 / 3);
}

/* How many seeds of a panel meet a condition on a run. */
struct sim_tally {
	int robust_wins, pooled_wins, pair_found, no_pair, position[3],
	        length[3], broken_lightest;
	double worst, mean, effective_lo, effective_hi;
};

static void sim_tally(enum pool_sim_panel panel, size_t broken,
                      struct sim_tally *t)
{
	struct pool_sim_result r;
	unsigned seed;
	size_t j;

	memset(t, 0, sizeof *t);
	t->worst = t->effective_lo = INFINITY;
	t->effective_hi = -INFINITY;
	for (seed = 1; seed <= POOL_SIM_SEEDS; seed++) {
		double diff, best = -INFINITY;

		if (!CHECK_INT(pool_sim_run(panel, seed, &r), 0))
			return;
		diff = r.tau[POOL_ROBUST] - r.tau[POOL_ZMEAN];
		t->robust_wins += diff > 0;
		t->worst = diff < t->worst ? diff : t->worst;
		t->mean += diff / POOL_SIM_SEEDS;
		for (j = 0; j < POOL_SIM_JUDGES; j++) {
			best = r.judge_tau[j] > best ? r.judge_tau[j] : best;
			t->position[j] +=
			        r.position[j].notable && r.position[j].r < 0;
			t->length[j] += r.length[j].notable;
		}
		t->pooled_wins += r.tau[POOL_ZMEAN] > best;
		t->pair_found += r.nredundant == 1 && r.redundant_a == 0 &&
		                 r.redundant_b == 2;
		t->no_pair += r.nredundant == 0;
		t->broken_lightest +=
		        broken < POOL_SIM_JUDGES &&
		        r.robust_weight[broken] <
		                r.robust_weight[(broken + 1) % 3] &&
		        r.robust_weight[broken] <
		                r.robust_weight[(broken + 2) % 3];
		if (r.effective_judges < t->effective_lo)
			t->effective_lo = r.effective_judges;
		if (r.effective_judges > t->effective_hi)
			t->effective_hi = r.effective_judges;
	}
}

/* Within the noise of zmean: POOL_SIM_SEED_MARGIN, POOL_SIM_MEAN_MARGIN. */
static bool sim_close(const struct sim_tally *t)
{
	return t->worst >= -POOL_SIM_SEED_MARGIN &&
	       t->mean >= -POOL_SIM_MEAN_MARGIN;
}

/* The simulation (tests/test_pool_sim.c; bench/pool.sh prints it):
 * pooling beats every judge; robust beats zmean on every seed when a
 * judge answers at random or rates length, and is within noise of it
 * otherwise; the diagnostics name the copy and the biased judges and
 * nobody else. */
static void test_pool_simulation(void)
{
	struct sim_tally t;

	sim_tally(POOL_SIM_HONEST, 3, &t);
	CHECK_INT(t.pooled_wins, POOL_SIM_SEEDS);
	CHECK(sim_close(&t));
	CHECK_INT(t.no_pair, POOL_SIM_SEEDS);
	CHECK(t.effective_lo > 2.8 && t.effective_hi <= 3 + 1e-9);
	/* judge 3 favours the top of its batch, judge 2 long texts */
	CHECK(t.position[2] >= 7 && t.position[0] == 0 && t.position[1] == 0);
	CHECK(t.length[1] >= 7 && t.length[0] == 0 && t.length[2] == 0);
	printf("pool simulation, honest: robust - zmean %+.3f (worst %+.3f)",
	       t.mean, t.worst);
	sim_tally(POOL_SIM_NOISY, 3, &t);
	CHECK(sim_close(&t));
	printf("; noisy %+.3f (%+.3f)", t.mean, t.worst);
	sim_tally(POOL_SIM_UNEVEN, 2, &t);
	CHECK(sim_close(&t));
	sim_tally(POOL_SIM_RANDOM, 2, &t);
	CHECK_INT(t.robust_wins, POOL_SIM_SEEDS);
	CHECK_INT(t.broken_lightest, POOL_SIM_SEEDS);
	CHECK_INT(t.no_pair, POOL_SIM_SEEDS);
	printf("; random %+.3f (%+.3f)", t.mean, t.worst);
	sim_tally(POOL_SIM_LENGTH, 1, &t);
	CHECK_INT(t.robust_wins, POOL_SIM_SEEDS);
	CHECK_INT(t.broken_lightest, POOL_SIM_SEEDS);
	CHECK(t.length[1] == POOL_SIM_SEEDS && t.length[0] == 0 &&
	      t.length[2] == 0);
	printf("; length %+.3f (%+.3f)", t.mean, t.worst);
	sim_tally(POOL_SIM_COPY, 3, &t);
	CHECK(sim_close(&t));
	CHECK_INT(t.pair_found, POOL_SIM_SEEDS);
	CHECK(t.effective_lo > 1.9 && t.effective_hi < 2.1);
	printf("; copy %+.3f (%+.3f)\n", t.mean, t.worst);
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
	test_pool_robust();
	test_pool_robust_copies();
	test_pool_simulation();
	test_pool_stats();
}
