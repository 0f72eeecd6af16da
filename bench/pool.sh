#!/bin/sh
# Pooling benchmark (bench/README.md): the simulation of
# tests/test_pool_sim.c, 200 stories of known quality scored by three
# judges over 10 seeds, for six panels (honest; all noisier; one noisier;
# one answering at random; one rating length as much as quality; one
# copying another). Prints each seed's Kendall's tau against the truth for
# zmean, median, vote, borda and robust, robust's weights and the
# diagnostics. Targets: with the random or the length-biased judge robust
# beats zmean on every seed; with no broken judge (and with the copy)
# robust trails zmean by at most 0.010 on a seed and 0.005 on average;
# the copy is named as one vote with its original on every seed.
# Exit status: 0 all targets met, 1 a target missed, 2 could not run.
set -eu

bench_name=bench-pool
OUT=bench/out/pool
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

rm -rf "$OUT"
mkdir -p "$OUT"
# The pool module and the simulation, built with the program: no
# libraries, no ./aidigest needed.
$CC -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -I. -o "$OUT/pool" bench/pool.c \
	tests/test_pool_sim.c summarize/pool.c summarize/pool_robust.c \
	summarize/pool_stats.c common/xalloc.c -lm ||
	die "cannot build bench/pool.c"
status=0
"$OUT/pool" || status=$?
[ "$status" -le 1 ] || die "the simulation failed"
exit "$status"
