#ifndef AIDIGEST_TEST_POOL_H
#define AIDIGEST_TEST_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "summarize/pool.h"

/* The pool suite, in three files: test_pool.c (pooling, agreement,
 * selection, the simulation's goals), test_pool_stats.c (diagnostics,
 * Cohen's kappa, editor weights) and test_pool_sim.c (the simulation,
 * which bench/pool.c runs too: it uses no check). */

void test_pool_stats(void);

/* splitmix64: a seeded stream; uniform in [0, 1); standard normal. */
uint64_t pool_sim_next(uint64_t *s);
double pool_sim_unit(uint64_t *s);
double pool_sim_normal(uint64_t *s);

/* The simulation: SIM stories of known quality, three judges with noise
 * and each its own bias (favours a source, long texts, the top of its
 * batch); one judge replaced by a broken one in the other panels. */
enum pool_sim_panel {
	POOL_SIM_HONEST = 0, /* the three as they are */
	POOL_SIM_NOISY,      /* the three with twice the noise */
	POOL_SIM_UNEVEN,     /* the third with twice the noise */
	POOL_SIM_RANDOM,     /* the third answers at random */
	POOL_SIM_LENGTH,     /* the third rates length as much as quality */
	POOL_SIM_COPY,       /* the third copies the first */
	POOL_SIM_PANELS
};
#define POOL_SIM_STORIES 200
#define POOL_SIM_JUDGES 3
#define POOL_SIM_SEEDS 10
#define POOL_SIM_BATCH 20
#define POOL_SIM_METHODS 5 /* zmean, median, vote, borda, robust */
/* Robust's goals. With no broken judge it may trail zmean by this much
 * on a seed, and by POOL_SIM_MEAN_MARGIN over the seeds: zmean's own
 * tau varies by 0.014 (sd) from seed to seed on the honest panel, and
 * median gives away 0.018 against it there. */
#define POOL_SIM_SEED_MARGIN 0.010
#define POOL_SIM_MEAN_MARGIN 0.005

struct pool_sim_result {
	double judge_tau[POOL_SIM_JUDGES]; /* each judge against the truth */
	double tau[POOL_SIM_METHODS];      /* by enum pool_method */
	double robust_weight[POOL_SIM_JUDGES]; /* summing to 1 */
	double distance[POOL_SIM_JUDGES];      /* from the geometric median */
	double effective_judges;
	size_t nredundant;
	size_t redundant_a, redundant_b; /* the first pair, else -1 */
	struct pool_bias position[POOL_SIM_JUDGES], length[POOL_SIM_JUDGES];
};

/* One run of panel with the simulation's seed number seed (1, 2, ...);
 * 0, or -1 when pooling or diagnosing failed. */
int pool_sim_run(enum pool_sim_panel panel, unsigned seed,
                 struct pool_sim_result *out);
const char *pool_sim_panel_name(enum pool_sim_panel panel);

#endif
