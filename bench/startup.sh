#!/bin/sh
# Start-up of aidigest against sfeed: `aidigest parse` of a feed with no
# entries, whole process, next to `sfeed` on the same file, in the same
# run (bench/README.md). Exit status: 0 the target met, 1 missed, 2 the
# benchmark could not run.
#
# Environment: AIDIGEST (./aidigest), CC (cc), STARTUP_RUNS (runs a batch,
# 20), STARTUP_BATCHES (batches of each tool, taken in turn, 7),
# HYPERFINE (a hyperfine that has --input: used instead of the loop; set
# it empty to keep the loop).

set -eu

bench_name=bench-startup
OUT=bench/out/startup
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
RUNS=${STARTUP_RUNS:-20}
BATCHES=${STARTUP_BATCHES:-7}

# The target: aidigest starts within this many times sfeed's whole run.
MAX_RATIO=4.0

case $RUNS$BATCHES in
*[!0-9]*) die "STARTUP_RUNS and STARTUP_BATCHES are numbers" ;;
esac
if [ "$RUNS" -lt 1 ] || [ "$BATCHES" -lt 1 ]; then
	die "STARTUP_RUNS and STARTUP_BATCHES must be at least 1"
fi
bench_need_aidigest
command -v sfeed >/dev/null 2>&1 || die "sfeed not found (make deps-bench)"
if [ -z "${HYPERFINE+set}" ]; then
	HYPERFINE=$(command -v hyperfine 2>/dev/null || true)
fi
# hyperfine runs the commands without a shell only when it can give them
# their input (--input, hyperfine 1.16): a shell's start would be most of
# a 2 ms run.
if [ -n "$HYPERFINE" ] && ! "$HYPERFINE" --help 2>/dev/null |
	grep -q -e '--input'; then
	HYPERFINE=
fi

mkdir -p "$OUT"
bench_build walltime
FEED=$OUT/empty.xml
cat >"$FEED" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>empty</title></channel></rss>
EOF

# The mean wall time in microseconds of one batch of $RUNS runs of tool $1.
batch_us() {
	if [ -n "$HYPERFINE" ]; then
		case $1 in
		aidigest) set -- "$BIN parse $FEED" ;;
		sfeed) set -- sfeed ;;
		esac
		"$HYPERFINE" -N --input "$FEED" --output null --style none \
			--runs "$RUNS" --export-json "$OUT/hf.json" "$1" \
			>/dev/null 2>&1 || die "hyperfine failed on $1"
		$PY -c 'import json, sys
print(round(json.load(open(sys.argv[1]))["results"][0]["mean"] * 1e6))' \
			"$OUT/hf.json"
		return
	fi
	total=0
	k=0
	while [ "$k" -lt "$RUNS" ]; do
		case $1 in
		aidigest) us=$("$OUT/walltime" -o /dev/null "$BIN" parse "$FEED") ;;
		sfeed) us=$("$OUT/walltime" -i "$FEED" -o /dev/null sfeed) ;;
		esac || die "$1 failed on $FEED"
		total=$((total + us))
		k=$((k + 1))
	done
	echo $((total / RUNS))
}

min() {
	if [ -z "$1" ] || [ "$2" -lt "$1" ]; then echo "$2"; else echo "$1"; fi
}

max() {
	if [ -z "$1" ] || [ "$2" -gt "$1" ]; then echo "$2"; else echo "$1"; fi
}

libs=$(ldd "$BIN" 2>/dev/null | grep -c '=>' || true)
echo "aidigest: $("$BIN" --version 2>&1 | head -n 1) ($BIN, $libs shared libraries)"
echo "sfeed: $(dpkg-query -W -f '${Version}' sfeed 2>/dev/null || echo '?')"
if [ -n "$HYPERFINE" ]; then
	echo "wall: $BATCHES batches of $RUNS runs each ($HYPERFINE), in turn;" \
		"the best batch's mean"
else
	echo "wall: $BATCHES batches of $RUNS runs each (bench/walltime.c), in" \
		"turn; the best batch's mean"
fi
echo

a_best=
s_best=
a_worst=
s_worst=
i=0
while [ "$i" -lt "$BATCHES" ]; do
	us=$(batch_us aidigest)
	a_best=$(min "$a_best" "$us")
	a_worst=$(max "$a_worst" "$us")
	us=$(batch_us sfeed)
	s_best=$(min "$s_best" "$us")
	s_worst=$(max "$s_worst" "$us")
	i=$((i + 1))
done

ratio=$(awk -v a="$a_best" -v s="$s_best" 'BEGIN { printf "%.2f", a / s }')
printf '%-12s %10s %10s %10s\n' command best_ms worst_ms ratio
printf '%-12s %10s %10s %10s\n' "aidigest" \
	"$(awk -v u="$a_best" 'BEGIN { printf "%.2f", u / 1000 }')" \
	"$(awk -v u="$a_worst" 'BEGIN { printf "%.2f", u / 1000 }')" "$ratio"
printf '%-12s %10s %10s %10s\n' "sfeed" \
	"$(awk -v u="$s_best" 'BEGIN { printf "%.2f", u / 1000 }')" \
	"$(awk -v u="$s_worst" 'BEGIN { printf "%.2f", u / 1000 }')" "1.00"
echo
if awk -v r="$ratio" -v m="$MAX_RATIO" 'BEGIN { exit !(r + 0 <= m + 0) }'; then
	echo "start PASS ratio aidigest/sfeed $ratio <= $MAX_RATIO"
	echo "startup: all targets met"
	exit 0
fi
echo "start FAIL ratio aidigest/sfeed $ratio <= $MAX_RATIO"
echo "startup: 1 check(s) failed"
exit 1
