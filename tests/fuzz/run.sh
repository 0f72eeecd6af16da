#!/bin/sh
# Run one libFuzzer target for a time and print one line: its runs,
# coverage and "clean", or the crash and where its input was written.
# Exit 0 when clean, 1 on a crash, timeout, out-of-memory or other failure.
# usage: run.sh NAME BINARY CORPUS_DIR MAX_LEN DICT SECONDS
if [ $# -ne 6 ]; then
	echo "usage: run.sh NAME BINARY CORPUS_DIR MAX_LEN DICT SECONDS" >&2
	exit 64
fi
name=$1
bin=$2
corpus=$3
max_len=$4
dict=$5
seconds=$6
dir=$(dirname "$bin")
log=$dir/$name.log
artifacts=$dir/artifacts

mkdir -p "$artifacts" "$corpus"
start=$(date +%s)
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
ASAN_OPTIONS=detect_leaks=1 \
	"$bin" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
	-rss_limit_mb=2048 -dict="$dict" -print_final_stats=1 \
	-artifact_prefix="$artifacts/$name-" "$corpus" >"$log" 2>&1
rc=$?
elapsed=$(($(date +%s) - start))

# The last status line: "#1234 DONE cov: 812 ft: 3456 corp: 210/77Kb ...".
last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
[ -n "$runs" ] || runs=$(echo "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p')
stats="${runs:-0} runs in ${elapsed}s, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}"

if [ "$rc" -eq 0 ]; then
	echo "$name: $stats: clean"
	exit 0
fi
what=$(grep -m 1 -E '^fuzz_[a-z]+: |^SUMMARY: |==ERROR: |ERROR: libFuzzer' "$log")
input=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
echo "$name: $stats: FAILED (exit $rc): ${what:-see the log}"
echo "$name: input ${input:-none written}; log $log"
exit 1
