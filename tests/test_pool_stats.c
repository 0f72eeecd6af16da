#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "summarize/pool.h"
#include "tests/check.h"
#include "tests/test_pool.h"

#define EPS 1e-9

#define CHECK_CLOSE(got, want) CHECK(fabs((got) - (want)) <= EPS)

static void test_pool_pearson(void)
{
	/* x 1 2 3 4 5, y 2 4 5 4 5: means 3 and 4, deviations
	 * dx -2 -1 0 1 2, dy -2 0 1 0 1: sxy = 4 + 0 + 0 + 0 + 2 = 6,
	 * sxx = 10, syy = 4 + 0 + 1 + 0 + 1 = 6: r = 6 / sqrt(60) */
	static const double x[5] = {1, 2, 3, 4, 5};
	static const double y[5] = {2, 4, 5, 4, 5};
	/* the same pairs with a NAN and an infinity between: left out */
	static const double xg[7] = {1, 2, NAN, 3, 4, 9, 5};
	static const double yg[7] = {2, 4, 7, 5, 4, INFINITY, 5};
	static const double flat[5] = {3, 3, 3, 3, 3};
	size_t used = 0;

	CHECK_CLOSE(pool_pearson(x, y, 5, &used), 6 / sqrt(60));
	CHECK_INT(used, 5);
	CHECK_CLOSE(pool_pearson(xg, yg, 7, &used), 6 / sqrt(60));
	CHECK_INT(used, 5);
	CHECK_CLOSE(pool_pearson(x, x, 5, NULL), 1);
	CHECK(isnan(pool_pearson(x, flat, 5, NULL)));
	CHECK(isnan(pool_pearson(x, y, 2, &used)));
	CHECK_INT(used, 2);
	CHECK(isnan(pool_pearson(NULL, y, 5, NULL)));
}

/* Eigenvalues by hand, then the invariants on random matrices: their sum
 * is the trace and the sum of their squares the squared Frobenius norm. */
static void test_pool_eigenvalues(void)
{
	/* [[2 1] [1 2]]: (2 - l)^2 = 1, l = 3 and 1 */
	double two[4] = {2, 1, 1, 2};
	/* the second difference matrix: 2 - 2 cos(k pi / 4), k = 1 2 3 */
	double tri[9] = {2, -1, 0, -1, 2, -1, 0, -1, 2};
	double bad[4] = {1, NAN, NAN, 1};
	double a[64], keep[64], l[8];
	uint64_t seed = 11;
	size_t round, i, j, k, n;
	int bad_rounds = 0;

	CHECK_INT(pool_symmetric_eigenvalues(two, 2, l), 0);
	CHECK_CLOSE(l[0], 3);
	CHECK_CLOSE(l[1], 1);
	CHECK_INT(pool_symmetric_eigenvalues(tri, 3, l), 0);
	CHECK_CLOSE(l[0], 2 + sqrt(2));
	CHECK_CLOSE(l[1], 2);
	CHECK_CLOSE(l[2], 2 - sqrt(2));
	CHECK_INT(pool_symmetric_eigenvalues(bad, 2, l), -1);
	CHECK_INT(pool_symmetric_eigenvalues(NULL, 0, NULL), 0);
	for (round = 0; round < 20; round++) {
		double trace = 0, frob = 0, s1 = 0, s2 = 0;

		n = 1 + round % 8;
		for (i = 0; i < n; i++)
			for (j = i; j < n; j++)
				a[i * n + j] = a[j * n + i] =
				        2 * pool_sim_unit(&seed) - 1;
		memcpy(keep, a, n * n * sizeof *a);
		for (k = 0; k < n * n; k++)
			frob += keep[k] * keep[k];
		for (i = 0; i < n; i++)
			trace += keep[i * n + i];
		if (pool_symmetric_eigenvalues(a, n, l) != 0) {
			bad_rounds++;
			continue;
		}
		for (i = 0; i < n; i++) {
			s1 += l[i];
			s2 += l[i] * l[i];
			if (i > 0 && l[i] > l[i - 1])
				bad_rounds++;
		}
		if (fabs(s1 - trace) > 1e-9 || fabs(s2 - frob) > 1e-9)
			bad_rounds++;
	}
	CHECK_INT(bad_rounds, 0);
}

static void test_pool_effective(void)
{
	/* k independent judges: residuals at -1 / (k - 1) = -0.5; the
	 * eigenvalues 1.5 1.5 0: (3)^2 / (2 * 2.25) = 2, plus 1: 3 */
	static const double indep[9] = {1,    -0.5, -0.5, -0.5, 1,
	                                -0.5, -0.5, -0.5, 1};
	/* A, its copy, C: rank 1 (eigenvalues 3 0 0): 9 / 9 + 1 = 2 */
	static const double copy[9] = {1, 1, -1, 1, 1, -1, -1, -1, 1};
	/* r12 = 0.5, r13 = r23 = -0.75: eigenvalues 1 - 0.5 and
	 * (2.5 +- sqrt(0.25 + 8 * 0.5625)) / 2, all positive (0.5, 2.340,
	 * 0.160); the sum of their squares is the squared Frobenius norm
	 * 3 + 2 * 0.25 + 4 * 0.5625 = 5.75: 1 + 9 / 5.75 */
	static const double shared[9] = {1,     0.5,   -0.75, 0.5, 1,
	                                 -0.75, -0.75, -0.75, 1};
	/* not positive semidefinite: eigenvalues 1.9 (on 1 0 -1), and on
	 * u = 1 0 1, v = 0 1 0 the roots of l^2 - 1.1 l - 1.52, 1.9 and
	 * -0.8. Clamped: 3.8^2 / (2 * 1.9^2) = 2, plus 1: 3 (unclamped it
	 * would be 1 + 9 / 7.86) */
	static const double odd[9] = {1, 0.9, -0.9, 0.9, 1, 0.9, -0.9, 0.9, 1};
	/* pairs with too few stories (NAN) read as 0: the identity, capped
	 * at k */
	static const double unknown[4] = {1, NAN, NAN, 1};
	static const double nodiag[4] = {NAN, 0, 0, 1};
	double l[3], m[9];

	CHECK_CLOSE(pool_effective_judges(indep, 3), 3);
	CHECK_CLOSE(pool_effective_judges(copy, 3), 2);
	CHECK_CLOSE(pool_effective_judges(shared, 3), 1 + 9 / 5.75);
	memcpy(m, shared, sizeof m);
	CHECK_INT(pool_symmetric_eigenvalues(m, 3, l), 0);
	CHECK_CLOSE(l[0], (2.5 + sqrt(4.75)) / 2);
	CHECK_CLOSE(l[1], 0.5);
	CHECK_CLOSE(l[2], (2.5 - sqrt(4.75)) / 2);
	CHECK_CLOSE(pool_effective_judges(odd, 3), 3);
	memcpy(m, odd, sizeof m);
	CHECK_INT(pool_symmetric_eigenvalues(m, 3, l), 0);
	CHECK_CLOSE(l[0], 1.9);
	CHECK_CLOSE(l[1], 1.9);
	CHECK_CLOSE(l[2], -0.8);
	CHECK_CLOSE(pool_effective_judges(unknown, 2), 2);
	CHECK(isnan(pool_effective_judges(nodiag, 2)));
	CHECK(isnan(pool_effective_judges(indep, 0)));
}

/* The panel the diagnostics are computed on by hand: three judges over
 * REPS copies of eight stories; each judge gives four of the eight 7
 * and four 3, so its z-scores are +1 and -1:
 *   A  + + + + - - - -
 *   B  + + + - + - - -
 *   C  + - + - + - + -
 * Repeating the eight changes no mean, sd or correlation, only n. */
#define DIAG_REPS 6
#define DIAG_N (8 * DIAG_REPS)

static const int diag_sign[3][8] = {
        {1, 1, 1, 1, -1, -1, -1, -1},
        {1, 1, 1, -1, 1, -1, -1, -1},
        {1, -1, 1, -1, 1, -1, 1, -1},
};

static void diag_panel(size_t n, double *scores, double *position,
                       double *length)
{
	/* long texts (1024) where x = 1 1 -1 1 -1 -1 1 -1, short (256)
	 * elsewhere: log2 9 + x, orthogonal to B, C and the constant */
	static const int x[8] = {1, 1, -1, 1, -1, -1, 1, -1};
	size_t j, i;

	for (j = 0; j < 3; j++)
		for (i = 0; i < n; i++) {
			scores[j * n + i] = diag_sign[j][i % 8] > 0 ? 7 : 3;
			/* A was sent the long texts first in each batch;
			 * B and C are heuristic: no place */
			position[j * n + i] =
			        j == 0 ? (1 - x[i % 8]) / 2.0 : NAN;
		}
	for (i = 0; i < n; i++)
		length[i] = x[i % 8] > 0 ? 1024 : 256;
}

/* Leave-one-out residuals (equal weights), by hand:
 *   (B + C) / 2 = 1 0 1 -1 1 -1 0 -1, so A's is  0  1 0  2 -2 0 -1 0
 *   (A + C) / 2 = 1 0 1 0 0 -1 0 -1,  so B's is  0  1 0 -1  1 0 -1 0
 *   (A + B) / 2 = 1 1 1 0 0 -1 -1 -1, so C's is  0 -2 0 -1  1 0  2 0
 * Each sums to 0; squares 10, 4, 10 (RMS sqrt(10 / 8), sqrt(4 / 8));
 * products A.B = 1 - 2 - 2 + 1 = -2, A.C = -2 - 2 - 2 - 2 = -8,
 * B.C = -2 + 1 + 1 - 2 = -2: r(A, B) = r(B, C) = -2 / sqrt(40),
 * r(A, C) = -8 / 10. No pair votes as one. Effective judges: the
 * residuals sum to 0, so the matrix is positive semidefinite of rank 2
 * and sum l^2 is its squared Frobenius norm 3 + 4 * 0.1 + 2 * 0.64 =
 * 4.68: 1 + 9 / 4.68 = 114 / 39.
 * Length: x = +-1 (sxx = 8 over eight). A's residual . x = 1 + 2 + 2 -
 * 1 = 4: slope 0.5, r = 4 / sqrt(8 * 10). The judges' own slopes (z on
 * x) are A 4 / 8, B 0, C 0: median 0. For A the others' pool (B + C) / 2
 * has slope 0, so nothing moves. For B the others' pool (A + C) / 2 has
 * slope 0.25 and B's residual -0.25: with the pool's trend replaced by
 * the median's (0) it is 0 - B favours nothing; C likewise.
 * Position (A only): place = (1 - x) / 2, so every slope doubles with
 * the other sign: A's bias slope -1, r = -4 / sqrt(80). Over 48 stories
 * |r| = 0.447 is notable: atanh(0.447) sqrt(45) = 3.23 >= 3. */
static void test_pool_diagnose(void)
{
	static double scores[3 * DIAG_N], position[3 * DIAG_N], length[DIAG_N];
	static const double res[3][8] = {
	        {0, 1, 0, 2, -2, 0, -1, 0},
	        {0, 1, 0, -1, 1, 0, -1, 0},
	        {0, -2, 0, -1, 1, 0, 2, 0},
	};
	static const double w[3] = {1, 1, 1};
	struct pool_input in = {3, DIAG_N, scores, w, NULL};
	struct pool_diagnostics d;
	size_t j, i;
	int off = 0;

	diag_panel(DIAG_N, scores, position, length);
	if (!CHECK_INT(pool_diagnose(&in, position, length, &d), 0))
		return;
	for (j = 0; j < 3; j++)
		for (i = 0; i < DIAG_N; i++)
			off += fabs(d.residual[j * DIAG_N + i] -
			            res[j][i % 8]) > EPS;
	CHECK_INT(off, 0);
	CHECK_CLOSE(d.judges[0].rms, sqrt(10.0 / 8));
	CHECK_CLOSE(d.judges[1].rms, sqrt(4.0 / 8));
	CHECK_INT(d.judges[1].n, DIAG_N);
	CHECK_CLOSE(d.corr[0 * 3 + 1], -2 / sqrt(40));
	CHECK_CLOSE(d.corr[1 * 3 + 2], -2 / sqrt(40));
	CHECK_CLOSE(d.corr[0 * 3 + 2], -0.8);
	CHECK_CLOSE(d.corr[2 * 3 + 0], -0.8);
	CHECK_CLOSE(d.corr[1 * 3 + 1], 1);
	CHECK_INT(d.shared[0 * 3 + 2], DIAG_N);
	CHECK_INT(d.nredundant, 0);
	CHECK_CLOSE(d.effective_judges, 114.0 / 39);
	CHECK_CLOSE(d.judges[0].length.slope, 0.5);
	CHECK_CLOSE(d.judges[0].length.r, 4 / sqrt(80));
	CHECK_INT(d.judges[0].length.n, DIAG_N);
	CHECK(d.judges[0].length.notable);
	CHECK_CLOSE(d.judges[1].length.slope, 0);
	CHECK_CLOSE(d.judges[1].length.r, 0);
	CHECK(!d.judges[1].length.notable);
	CHECK_CLOSE(d.judges[2].length.r, 0);
	CHECK_CLOSE(d.judges[0].position.slope, -1);
	CHECK_CLOSE(d.judges[0].position.r, -4 / sqrt(80));
	CHECK(d.judges[0].position.notable);
	CHECK(isnan(d.judges[1].position.r) && d.judges[1].position.n == 0);
	pool_diagnostics_free(&d);
	/* over eight stories the same r is not notable: atanh(0.447)
	 * sqrt(5) = 1.08 < 3 */
	in.nstories = 8;
	diag_panel(8, scores, position, length);
	CHECK_INT(pool_diagnose(&in, NULL, length, &d), 0);
	CHECK_CLOSE(d.judges[0].length.r, 4 / sqrt(80));
	CHECK(!d.judges[0].length.notable);
	CHECK(isnan(d.judges[0].position.r));
	pool_diagnostics_free(&d);
}

/* A judge and its copy with a third: residuals (A - C) / 2 for both, so
 * they correlate at 1; they vote as one from POOL_REDUNDANT_MIN shared
 * stories on. The correlations 1, -1, -1 have rank 1: 2 effective
 * judges. Two judges that gave the same scores: both residuals 0,
 * correlated at 1 by convention, one effective judge. */
static void test_pool_redundant(void)
{
	static double scores[3 * 24];
	static const double w[3] = {1, 1, 1};
	struct pool_input in = {3, 24, scores, w, NULL};
	struct pool_diagnostics d;
	size_t i;

	for (i = 0; i < 24; i++) {
		scores[i] = scores[24 + i] = diag_sign[0][i % 8] > 0 ? 7 : 3;
		scores[48 + i] = diag_sign[2][i % 8] > 0 ? 9 : 1;
	}
	CHECK_INT(pool_diagnose(&in, NULL, NULL, &d), 0);
	CHECK_INT(d.nredundant, 1);
	if (d.nredundant == 1) {
		CHECK_INT(d.redundant[0].a, 0);
		CHECK_INT(d.redundant[0].b, 1);
		CHECK_CLOSE(d.redundant[0].r, 1);
		CHECK_INT(d.redundant[0].shared, 24);
	}
	CHECK_CLOSE(d.corr[0 * 3 + 2], -1);
	CHECK_CLOSE(d.effective_judges, 2);
	CHECK(isnan(d.judges[0].length.r));
	pool_diagnostics_free(&d);
	/* 16 stories (under POOL_REDUNDANT_MIN): correlated, not named */
	for (i = 0; i < 16; i++) {
		scores[i] = scores[16 + i] = diag_sign[0][i % 8] > 0 ? 7 : 3;
		scores[32 + i] = diag_sign[2][i % 8] > 0 ? 9 : 1;
	}
	in.nstories = 16;
	CHECK_INT(pool_diagnose(&in, NULL, NULL, &d), 0);
	CHECK_CLOSE(d.corr[0 * 3 + 1], 1);
	CHECK_INT(d.nredundant, 0);
	pool_diagnostics_free(&d);
	/* two judges, the same scores */
	in.njudges = 2;
	for (i = 0; i < 16; i++)
		scores[16 + i] = scores[i];
	CHECK_INT(pool_diagnose(&in, NULL, NULL, &d), 0);
	CHECK_CLOSE(d.corr[0 * 2 + 1], 1);
	CHECK_CLOSE(d.judges[0].rms, 0);
	CHECK_CLOSE(d.effective_judges, 1);
	pool_diagnostics_free(&d);
	/* one judge: no residual, nothing defined */
	in.njudges = 1;
	CHECK_INT(pool_diagnose(&in, NULL, NULL, &d), 0);
	CHECK(isnan(d.effective_judges) && isnan(d.corr[0]));
	CHECK_INT(d.judges[0].n, 0);
	pool_diagnostics_free(&d);
	in.njudges = 0;
	CHECK_INT(pool_diagnose(&in, NULL, NULL, &d), -1);
	CHECK(d.residual == NULL);
	pool_diagnostics_free(&d);
	pool_diagnostics_free(NULL);
}

static void test_pool_kappa(void)
{
	/* ten stories: the editor took 0 1 2 3, the judge 0 1 2 4.
	 * both 3, editor only 1, judge only 1, neither 5: po = 0.8;
	 * each took 0.4: pe = 0.4 * 0.4 + 0.6 * 0.6 = 0.52;
	 * kappa = (0.8 - 0.52) / 0.48 = 7/12 */
	static const bool editor[10] = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
	static const bool judge[10] = {1, 1, 1, 0, 1, 0, 0, 0, 0, 0};
	static const bool among[10] = {1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
	struct pool_kappa_table t = {0, 0, 0, 0};
	/* Wikipedia's example: 50 proposals, both yes 20, only the first
	 * 5, only the second 10, both no 15: po = 0.7, pe = 0.5 * 0.6 +
	 * 0.5 * 0.4 = 0.5, kappa = 0.4 */
	struct pool_kappa_table wiki = {20, 5, 10, 15};
	struct pool_kappa_table none = {0, 0, 0, 0};
	struct pool_kappa_table all_no = {0, 0, 0, 9};
	struct pool_kappa_table apart = {0, 5, 5, 0};

	pool_kappa_count(editor, judge, NULL, 10, &t);
	CHECK_INT(t.both, 3);
	CHECK_INT(t.first_only, 1);
	CHECK_INT(t.second_only, 1);
	CHECK_INT(t.neither, 5);
	CHECK_CLOSE(pool_cohen_kappa(&t), 7.0 / 12);
	CHECK_CLOSE(pool_cohen_kappa(&wiki), 0.4);
	/* a second day, the same picks: the table doubles, kappa stays */
	pool_kappa_count(editor, judge, NULL, 10, &t);
	CHECK_INT(t.neither, 10);
	CHECK_CLOSE(pool_cohen_kappa(&t), 7.0 / 12);
	/* only the eight candidates: neither 3: po = 6/8, pa = pb = 0.5,
	 * pe = 0.5, kappa = 0.25 / 0.5 = 0.5 */
	memset(&t, 0, sizeof t);
	pool_kappa_count(editor, judge, among, 10, &t);
	CHECK_CLOSE(pool_cohen_kappa(&t), 0.5);
	CHECK(isnan(pool_cohen_kappa(&none)));
	CHECK(isnan(pool_cohen_kappa(&all_no)));
	CHECK(isnan(pool_cohen_kappa(NULL)));
	/* opposite halves: po = 0, pe = 0.5: -1 */
	CHECK_CLOSE(pool_cohen_kappa(&apart), -1);
}

static void test_pool_select_top(void)
{
	static const double s[5] = {0.5, NAN, 2, -INFINITY, 1};
	static const int64_t ids[5] = {5, 4, 3, 2, 1};
	static const double tie[3] = {1, 1, 0};
	bool sel[5];

	CHECK_INT(pool_select_top(s, NULL, 5, 2, sel), 2);
	CHECK(sel[2] && sel[4] && !sel[0] && !sel[1] && !sel[3]);
	/* never NAN or -INFINITY, however many are asked for */
	CHECK_INT(pool_select_top(s, NULL, 5, 5, sel), 3);
	CHECK(sel[0] && sel[2] && sel[4] && !sel[1] && !sel[3]);
	/* a tie goes to the smaller id */
	CHECK_INT(pool_select_top(tie, ids, 3, 1, sel), 1);
	CHECK(!sel[0] && sel[1]);
	CHECK_INT(pool_select_top(s, NULL, 0, 3, sel), 0);
}

static void test_pool_editor_weights(void)
{
	/* mean of the four with days and a kappa: (0.6 + 0.4 + 0.1 - 0.2) /
	 * 4 = 0.225; 0.6 / 0.225 = 2.67 -> 2; 0.4 / 0.225 = 16/9; 0.1 /
	 * 0.225 = 0.44 -> 0.5; -0.2 -> 0.5; no kappa: 1 */
	static const double kappa[5] = {0.6, 0.4, 0.1, -0.2, NAN};
	static const size_t days[5] = {20, 20, 14, 30, 20};
	static const size_t few[5] = {13, 13, 13, 13, 13};
	/* judge 0 is new (10 days): 1, and out of the mean (0.3) */
	static const double kappa2[3] = {0.9, 0.3, 0.3};
	static const size_t days2[3] = {10, 20, 20};
	static const double gloomy[2] = {0.1, -0.3};
	static const size_t days3[2] = {20, 20};
	double w[5];

	CHECK_INT(pool_editor_weights(kappa, days, 5, w), 0);
	CHECK_CLOSE(w[0], POOL_EDITOR_WEIGHT_MAX);
	CHECK_CLOSE(w[1], 16.0 / 9);
	CHECK_CLOSE(w[2], POOL_EDITOR_WEIGHT_MIN);
	CHECK_CLOSE(w[3], POOL_EDITOR_WEIGHT_MIN);
	CHECK_CLOSE(w[4], 1);
	CHECK_INT(pool_editor_weights(kappa, few, 5, w), POOL_EDITOR_FEW_DAYS);
	CHECK(w[0] == 1 && w[3] == 1);
	CHECK_INT(pool_editor_weights(kappa2, days2, 3, w), 0);
	CHECK(w[0] == 1 && w[1] == 1 && w[2] == 1);
	CHECK_INT(pool_editor_weights(gloomy, days3, 2, w),
	          POOL_EDITOR_NO_SIGNAL);
	CHECK(w[0] == 1 && w[1] == 1);
	CHECK_INT(pool_editor_weights(NULL, days3, 2, w), -1);
	CHECK_INT(pool_editor_weights(NULL, NULL, 0, NULL),
	          POOL_EDITOR_FEW_DAYS);
}

void test_pool_stats(void)
{
	test_pool_pearson();
	test_pool_eigenvalues();
	test_pool_effective();
	test_pool_diagnose();
	test_pool_redundant();
	test_pool_kappa();
	test_pool_select_top();
	test_pool_editor_weights();
}
