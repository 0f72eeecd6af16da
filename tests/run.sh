#!/bin/sh
# Run every test program, show its output, and end with the sum of their
# "N passed, N failed" lines. Exit 1 if any failed or any program crashed.
# AIDIGEST_BIN: the aidigest binary; AIDIGEST_BUILD: where the test programs are.
bin=${AIDIGEST_BIN:-./aidigest}
build=${AIDIGEST_BUILD:-build}
passed=0
failed=0
status=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT INT TERM

run() {
	name=$1
	shift
	echo "== $name"
	"$@" >"$out" 2>&1
	rc=$?
	cat "$out"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
	if [ -z "$line" ]; then
		echo "$name: no result line (exit $rc)"
		failed=$((failed + 1))
		status=1
		return
	fi
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed}
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$name: exit $rc"
		failed=$((failed + 1))
	fi
	[ "$rc" -eq 0 ] || status=1
}

run unit "$build/tests/unit"
run conformance "$build/tests/conformance"
run cli env AIDIGEST_BIN="$bin" sh tests/cli.sh
run fetch env AIDIGEST_BIN="$bin" sh tests/cli_fetch.sh
run rank env AIDIGEST_BIN="$bin" sh tests/cli_rank.sh
run run env AIDIGEST_BIN="$bin" sh tests/cli_run.sh
run page env AIDIGEST_BIN="$bin" sh tests/cli_page.sh
run night env AIDIGEST_BIN="$bin" sh tests/cli_night.sh
run jury env AIDIGEST_BIN="$bin" sh tests/cli_jury.sh
run help env AIDIGEST_BIN="$bin" sh tests/cli_help.sh
run engines env AIDIGEST_BIN="$bin" sh tests/cli_engines.sh
run diag env AIDIGEST_BIN="$bin" sh tests/cli_diag.sh
run layers sh tests/layers.sh
run sizes sh tests/sizes.sh

echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
