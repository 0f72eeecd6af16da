#ifndef AIDIGEST_POOL_IMPL_H
#define AIDIGEST_POOL_IMPL_H

#include <stddef.h>

#include "summarize/pool.h"

/* Shared by the pool module's files (pool.c, pool_robust.c,
 * pool_stats.c); no other module includes it. */

/* qsort's comparison of doubles, ascending (no NAN). */
int pool_double_asc(const void *pa, const void *pb);

/* The weighted mean of the z-scores z each story has into out; -INFINITY
 * where none. */
void pool_zmean(const struct pool_input *in, const double *z, double *out);

/* POOL_ROBUST's weights into w (pool_robust_weights' contract) from the
 * z-scores z; dist may be NULL. */
void pool_robust_from(const struct pool_input *in, const double *z, double *w,
                      double *dist);

/* Leave-one-out residuals of the z-scores z into res (pool.h's
 * struct pool_diagnostics). */
void pool_residuals(const struct pool_input *in, const double *z, double *res);

/* The correlation of two judges' residuals ra and rb (the contract of
 * struct pool_diagnostics' corr), the stories they share into *shared. */
double pool_residual_corr(const double *ra, const double *rb, size_t n,
                          size_t *shared);

#endif
