/* The pooling benchmark (bench/pool.sh): the simulation of
 * tests/test_pool_sim.c over POOL_SIM_SEEDS seeds for each panel, each
 * pooling method's Kendall's tau against the true quality, the
 * diagnostics, and robust's goals. Exit 0 when every goal is met, 1
 * when one is missed, 2 when the simulation failed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summarize/pool.h"
#include "tests/test_pool.h"

static const char *const bench_methods[POOL_SIM_METHODS] = {
        "zmean", "median", "vote", "borda", "robust"};

/* What a panel's seeds add up to. */
struct bench_panel {
	struct pool_sim_result run[POOL_SIM_SEEDS];
	double mean[POOL_SIM_METHODS], judges[POOL_SIM_JUDGES];
	double lo, hi, mean_diff; /* robust - zmean over the seeds */
	double weight[POOL_SIM_JUDGES], effective;
	int found_pair, pos_flags[POOL_SIM_JUDGES], len_flags[POOL_SIM_JUDGES];
};

static int bench_run(enum pool_sim_panel panel, struct bench_panel *b)
{
	unsigned seed;
	size_t k, j;

	b->lo = INFINITY;
	b->hi = -INFINITY;
	for (seed = 1; seed <= POOL_SIM_SEEDS; seed++) {
		struct pool_sim_result *r = &b->run[seed - 1];
		double diff;

		if (pool_sim_run(panel, seed, r) != 0)
			return -1;
		for (k = 0; k < POOL_SIM_METHODS; k++)
			b->mean[k] += r->tau[k] / POOL_SIM_SEEDS;
		for (j = 0; j < POOL_SIM_JUDGES; j++) {
			b->judges[j] += r->judge_tau[j] / POOL_SIM_SEEDS;
			b->pos_flags[j] += r->position[j].notable;
			b->len_flags[j] += r->length[j].notable;
		}
		diff = r->tau[POOL_ROBUST] - r->tau[POOL_ZMEAN];
		b->lo = diff < b->lo ? diff : b->lo;
		b->hi = diff > b->hi ? diff : b->hi;
		b->mean_diff += diff / POOL_SIM_SEEDS;
		for (j = 0; j < POOL_SIM_JUDGES; j++)
			b->weight[j] += r->robust_weight[j] / POOL_SIM_SEEDS;
		b->effective += r->effective_judges / POOL_SIM_SEEDS;
		b->found_pair += r->nredundant == 1 && r->redundant_a == 0 &&
		                 r->redundant_b == 2;
	}
	return 0;
}

static void bench_print(enum pool_sim_panel panel, const struct bench_panel *b)
{
	unsigned seed;
	size_t k;

	printf("\n%s panel: judges' tau %.3f %.3f %.3f\n",
	       pool_sim_panel_name(panel), b->judges[0], b->judges[1],
	       b->judges[2]);
	printf("seed");
	for (k = 0; k < POOL_SIM_METHODS; k++)
		printf(" %7s", bench_methods[k]);
	printf("  robust-zmean  robust's weights\n");
	for (seed = 1; seed <= POOL_SIM_SEEDS; seed++) {
		const struct pool_sim_result *r = &b->run[seed - 1];

		printf("%4u", seed);
		for (k = 0; k < POOL_SIM_METHODS; k++)
			printf(" %7.3f", r->tau[k]);
		printf("  %+12.3f  %.2f %.2f %.2f\n",
		       r->tau[POOL_ROBUST] - r->tau[POOL_ZMEAN],
		       r->robust_weight[0], r->robust_weight[1],
		       r->robust_weight[2]);
	}
	printf("mean");
	for (k = 0; k < POOL_SIM_METHODS; k++)
		printf(" %7.3f", b->mean[k]);
	printf("  %+12.3f  %.2f %.2f %.2f\n", b->mean_diff, b->weight[0],
	       b->weight[1], b->weight[2]);
	printf("diagnostics: effective judges %.2f; judges 1 and 3 vote as one "
	       "on %d of %d seeds; position bias flagged %d %d %d, length "
	       "bias %d %d %d (seeds, judges 1 2 3)\n",
	       b->effective, b->found_pair, POOL_SIM_SEEDS, b->pos_flags[0],
	       b->pos_flags[1], b->pos_flags[2], b->len_flags[0],
	       b->len_flags[1], b->len_flags[2]);
}

static int bench_check(const char *name, int good, const char *detail)
{
	printf("%s %s: %s\n", good ? "PASS" : "FAIL", name, detail);
	return good;
}

/* Robust's goal on panel p: beat zmean on every seed (broken), or stay
 * within the margins of it. */
static int bench_goal(enum pool_sim_panel p, const struct bench_panel *b,
                      int broken)
{
	char name[96], detail[160];

	snprintf(name, sizeof name, "%s panel: robust %s",
	         pool_sim_panel_name(p),
	         broken ? "beats zmean on every seed"
	                : "within noise of zmean");
	snprintf(detail, sizeof detail,
	         "robust - zmean from %+.3f to %+.3f, mean %+.3f%s", b->lo,
	         b->hi, b->mean_diff,
	         broken ? "" : " (at least -0.010 and -0.005)");
	if (broken)
		return bench_check(name, b->lo > 0, detail);
	return bench_check(name,
	                   b->lo >= -POOL_SIM_SEED_MARGIN &&
	                           b->mean_diff >= -POOL_SIM_MEAN_MARGIN,
	                   detail);
}

int main(void)
{
	static struct bench_panel b[POOL_SIM_PANELS];
	char detail[160];
	int ok = 1, p;

	for (p = 0; p < POOL_SIM_PANELS; p++) {
		if (bench_run((enum pool_sim_panel)p, &b[p]) != 0) {
			fprintf(stderr, "bench-pool: the simulation failed\n");
			return 2;
		}
	}
	printf("%d stories of known quality, %d judges (judge 1 favours a "
	       "source, 2 long texts, 3 the top of its batch; noise sd 1.5), "
	       "%d seeds: Kendall's tau of each pooling against the truth\n",
	       POOL_SIM_STORIES, POOL_SIM_JUDGES, POOL_SIM_SEEDS);
	printf("panels: honest; noisy (noise sd 3 for all); uneven (sd 3 for "
	       "judge 3); random (judge 3 answers at random); length (judge 2 "
	       "rates length as much as quality); copy (judge 3 copies judge "
	       "1)\n");
	for (p = 0; p < POOL_SIM_PANELS; p++)
		bench_print((enum pool_sim_panel)p, &b[p]);
	printf("\n");
	ok &= bench_goal(POOL_SIM_RANDOM, &b[POOL_SIM_RANDOM], 1);
	ok &= bench_goal(POOL_SIM_LENGTH, &b[POOL_SIM_LENGTH], 1);
	ok &= bench_goal(POOL_SIM_HONEST, &b[POOL_SIM_HONEST], 0);
	ok &= bench_goal(POOL_SIM_NOISY, &b[POOL_SIM_NOISY], 0);
	ok &= bench_goal(POOL_SIM_UNEVEN, &b[POOL_SIM_UNEVEN], 0);
	ok &= bench_goal(POOL_SIM_COPY, &b[POOL_SIM_COPY], 0);
	snprintf(detail, sizeof detail, "on %d of %d seeds",
	         b[POOL_SIM_COPY].found_pair, POOL_SIM_SEEDS);
	ok &= bench_check("copy panel: judges 1 and 3 named as one vote",
	                  b[POOL_SIM_COPY].found_pair == POOL_SIM_SEEDS,
	                  detail);
	return ok ? 0 : 1;
}
