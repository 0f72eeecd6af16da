#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "summarize/pool.h"
#include "tests/test_pool.h"

#define SIM_NOISE 1.5
/* The shortest text; the longest is 8 times as long. */
#define SIM_SHORTEST 200.0

uint64_t pool_sim_next(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

double pool_sim_unit(uint64_t *s)
{
	return (double)(pool_sim_next(s) >> 11) * 0x1.0p-53;
}

/* Box-Muller, one of the pair. */
double pool_sim_normal(uint64_t *s)
{
	double u = 1 - pool_sim_unit(s), v = pool_sim_unit(s);

	return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static const char *const pool_sim_names[POOL_SIM_PANELS] = {
        [POOL_SIM_HONEST] = "honest", [POOL_SIM_NOISY] = "noisy",
        [POOL_SIM_UNEVEN] = "uneven", [POOL_SIM_RANDOM] = "random",
        [POOL_SIM_LENGTH] = "length", [POOL_SIM_COPY] = "copy",
};

const char *pool_sim_panel_name(enum pool_sim_panel panel)
{
	return (unsigned)panel < POOL_SIM_PANELS ? pool_sim_names[panel] : "?";
}

static double sim_clamp_score(double x)
{
	x = round(x);
	return x < 1 ? 1 : x > 10 ? 10 : x;
}

/* The stories: what the judges see of them, and the truth. */
struct sim_day {
	double q[POOL_SIM_STORIES];   /* true quality, 1 to 10 */
	double len[POOL_SIM_STORIES]; /* log8 of length / SIM_SHORTEST */
	double length[POOL_SIM_STORIES];
	bool from_s[POOL_SIM_STORIES]; /* a quarter from source S */
	int64_t ids[POOL_SIM_STORIES];
};

/* Judge j's place for each story: its own order (Fisher-Yates), cut
 * into batches. */
static void sim_positions(uint64_t *s, double *pos)
{
	size_t perm[POOL_SIM_STORIES], i, k;

	for (i = 0; i < POOL_SIM_STORIES; i++)
		perm[i] = i;
	for (i = POOL_SIM_STORIES - 1; i > 0; i--) {
		size_t r = (size_t)(pool_sim_next(s) % (i + 1)), t = perm[i];

		perm[i] = perm[r];
		perm[r] = t;
	}
	for (k = 0; k < POOL_SIM_STORIES; k++)
		pos[perm[k]] = (double)(k % POOL_SIM_BATCH);
}

/* Judge j's score of story i on panel's day. */
static double sim_score(enum pool_sim_panel panel, size_t j, size_t i,
                        const struct sim_day *d, double pos, uint64_t *s)
{
	double bias = 0, noise = SIM_NOISE * pool_sim_normal(s);

	if (panel == POOL_SIM_NOISY || (panel == POOL_SIM_UNEVEN && j == 2))
		noise *= 2;

	if (j == 2 && panel == POOL_SIM_RANDOM)
		return (double)(1 + pool_sim_next(s) % 10);
	if (j == 1 && panel == POOL_SIM_LENGTH)
		return sim_clamp_score(d->q[i] + 9 * d->len[i] + noise);
	if (j == 0 && d->from_s[i])
		bias = 2; /* favours source S */
	else if (j == 1)
		bias = 3 * d->len[i]; /* favours long texts */
	else if (j == 2)              /* favours the top of each batch */
		bias = 3 * (1 - pos / (POOL_SIM_BATCH - 1));
	return sim_clamp_score(d->q[i] + bias + noise);
}

/* The diagnostics' part of the result. */
static int sim_diagnose(const struct pool_input *in, const double *position,
                        const double *length, struct pool_sim_result *out)
{
	struct pool_diagnostics dg;
	size_t j;

	if (pool_diagnose(in, position, length, &dg) != 0)
		return -1;
	out->effective_judges = dg.effective_judges;
	out->nredundant = dg.nredundant;
	out->redundant_a = dg.nredundant ? dg.redundant[0].a : (size_t)-1;
	out->redundant_b = dg.nredundant ? dg.redundant[0].b : (size_t)-1;
	for (j = 0; j < POOL_SIM_JUDGES; j++) {
		out->position[j] = dg.judges[j].position;
		out->length[j] = dg.judges[j].length;
	}
	pool_diagnostics_free(&dg);
	return 0;
}

int pool_sim_run(enum pool_sim_panel panel, unsigned seed,
                 struct pool_sim_result *out)
{
	struct sim_day d;
	double scores[POOL_SIM_JUDGES * POOL_SIM_STORIES];
	double pos[POOL_SIM_JUDGES * POOL_SIM_STORIES];
	double w[POOL_SIM_JUDGES] = {1, 1, 1}, p[POOL_SIM_STORIES], sum = 0;
	struct pool_input in = {POOL_SIM_JUDGES, POOL_SIM_STORIES, scores, w,
	                        d.ids};
	uint64_t s = UINT64_C(0x5EED0000) + seed;
	size_t i, j, k;

	memset(out, 0, sizeof *out);
	for (i = 0; i < POOL_SIM_STORIES; i++) {
		d.q[i] = 1 + 9 * pool_sim_unit(&s);
		d.from_s[i] = pool_sim_unit(&s) < 0.25;
		d.len[i] = pool_sim_unit(&s);
		d.length[i] = SIM_SHORTEST * exp2(3 * d.len[i]);
		d.ids[i] = (int64_t)i;
	}
	for (j = 0; j < POOL_SIM_JUDGES; j++) {
		sim_positions(&s, pos + j * POOL_SIM_STORIES);
		for (i = 0; i < POOL_SIM_STORIES; i++)
			scores[j * POOL_SIM_STORIES + i] =
			        j == 2 && panel == POOL_SIM_COPY
			                ? scores[i]
			                : sim_score(
			                          panel, j, i, &d,
			                          pos[j * POOL_SIM_STORIES + i],
			                          &s);
		out->judge_tau[j] = pool_kendall_tau(
		        scores + j * POOL_SIM_STORIES, d.q, POOL_SIM_STORIES);
	}
	for (k = 0; k < POOL_SIM_METHODS; k++) {
		if (pool_scores(&in, (enum pool_method)k, p) != 0)
			return -1;
		out->tau[k] = pool_kendall_tau(p, d.q, POOL_SIM_STORIES);
	}
	if (pool_robust_weights(&in, out->robust_weight, out->distance) != 0)
		return -1;
	for (j = 0; j < POOL_SIM_JUDGES; j++)
		sum += out->robust_weight[j];
	for (j = 0; j < POOL_SIM_JUDGES; j++)
		out->robust_weight[j] /= sum;
	return sim_diagnose(&in, pos, d.length, out);
}
