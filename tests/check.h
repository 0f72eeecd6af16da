#ifndef AIDIGEST_CHECK_H
#define AIDIGEST_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "common/buf.h"

/* A minimal test harness: every CHECK counts as one pass or one failure;
 * a failure prints the file, line and what differed. */

bool check_true(bool ok, const char *expr, const char *file, int line);
bool check_str(const char *got, const char *want, const char *expr,
               const char *file, int line);
bool check_int(long long got, long long want, const char *expr,
               const char *file, int line);
/* Start a named group; failures print it. */
void check_group(const char *name);
/* Print "N passed, N failed" and return the process exit status. */
int check_summary(void);
/* Read the file at path into out (emptied first); false when it cannot
 * be read whole or passes out's cap. */
bool check_read_file(const char *path, struct buf *out);
/* Directory of ../shared seen from the project root, or NULL when absent
 * (conformance suites then skip themselves with a notice). */
const char *check_shared_dir(void);

#define CHECK(cond) check_true((cond), #cond, __FILE__, __LINE__)
#define CHECK_STR(got, want) check_str((got), (want), #got, __FILE__, __LINE__)
#define CHECK_INT(got, want)                                                   \
	check_int((long long)(got), (long long)(want), #got, __FILE__, __LINE__)

/* Seconds since t0 on the monotonic clock (for bounds on pathological
 * inputs, never a benchmark). */
double check_seconds_since(const struct timespec *t0);

#endif
