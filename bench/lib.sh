# What the benchmarks (bench/*.sh) share. A benchmark sets its name and
# its output folder, then sources this file:
#
#	bench_name=bench-rank
#	OUT=bench/out/rank
#	. "$(dirname "$0")/lib.sh"
#
# which moves to the project's root and gives the tools ($BIN, $CC, $PY,
# $TIME), die, and loopback servers of tests/ that end with the benchmark.
# A benchmark exits 0 when all targets are met, 1 when one is missed and 2
# (die) when it could not run.
# shellcheck shell=sh

cd "$(dirname "$0")/.." || exit 2

# shellcheck disable=SC2034 # the benchmarks use them
BIN=${AIDIGEST:-./aidigest}
CC=${CC:-cc}
PY=python3
TIME=/usr/bin/time
bench_pids=""
bench_servers=0

# shellcheck disable=SC2154 # $bench_name is the benchmark's
die() {
	echo "$bench_name: $*" >&2
	exit 2
}

bench_cleanup() {
	exec 3>&-
	for pid in $bench_pids; do kill "$pid" 2>/dev/null || true; done
}
trap bench_cleanup EXIT
# a signal ends the benchmark (and so runs the cleanup), it does not resume it
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

bench_need_aidigest() {
	[ -x "$BIN" ] || die "$BIN is missing: run make first"
}

bench_need_python3() {
	command -v $PY >/dev/null 2>&1 || die "python3 is missing"
}

bench_need_time() {
	[ -x "$TIME" ] || die "$TIME is missing (Debian package time)"
}

# bench_build PROG...: bench/PROG.c built into $OUT/PROG.
bench_build() {
	for prog in "$@"; do
		$CC -O2 -Wall -Wextra -o "$OUT/$prog" "bench/$prog.c" ||
			die "cannot build bench/$prog.c"
	done
}

# bench_start_servers N SCRIPT [VAR=VALUE...]: N copies of python3 SCRIPT
# (a loopback server of tests/testserver.py) with those variables; server K
# writes its port to $OUT/portK. They read a fifo only this shell writes
# (fd 3), so they exit with the benchmark, even a killed one. Returns when
# every port is known (10 s at most each).
bench_start_servers() {
	bench_servers=$1
	bench_script=$2
	shift 2
	mkfifo "$OUT/fifo"
	k=1
	while [ "$k" -le "$bench_servers" ]; do
		env "$@" $PY "$bench_script" "$OUT/port$k" <"$OUT/fifo" >/dev/null 3>&- &
		bench_pids="$bench_pids $!"
		k=$((k + 1))
	done
	exec 3>"$OUT/fifo"
	k=1
	while [ "$k" -le "$bench_servers" ]; do
		tries=0
		while [ ! -s "$OUT/port$k" ]; do
			tries=$((tries + 1))
			[ "$tries" -lt 100 ] || die "server $k did not start"
			sleep 0.1
		done
		k=$((k + 1))
	done
}

# bench_url K: the address of server K, http://127.0.0.1:PORT.
bench_url() {
	echo "http://127.0.0.1:$(cat "$OUT/port$1")"
}

# bench_stats: the /stats JSON of every server, one a line.
bench_stats() {
	k=1
	while [ "$k" -le "$bench_servers" ]; do
		bench_url "$k"
		k=$((k + 1))
	done | $PY -c '
import sys, urllib.request
for url in sys.stdin.read().split():
    print(urllib.request.urlopen(url + "/stats").read().decode())'
}

# bench_day N SEED PER_HOUR: an RSS day of N stories of known quality
# ([q=N] markers, from a generator seeded with SEED), PER_HOUR of them
# published each hour of 2025-03-10 from 01:00 UTC.
bench_day() {
	$PY - "$@" <<'EOF'
import random, sys
n, seed, per_hour = (int(a) for a in sys.argv[1:])
rnd = random.Random(seed)
words = ("model agent benchmark release weights inference kernel dataset "
         "reasoning vision speech robot safety eval tokenizer compiler "
         "retrieval memory planner sparse").split()
print('<?xml version="1.0" encoding="UTF-8"?>')
print('<rss version="2.0"><channel><title>bench day</title>'
      '<link>https://bench.example.org/</link><description>d</description>')
for i in range(n):
    q = rnd.randint(1, 10)
    title = " ".join(rnd.choice(words) for _ in range(6)) + " %d" % i
    text = "[q=%d] " % q + " ".join(rnd.choice(words) for _ in range(60))
    print('<item><title>%s</title><link>https://bench.example.org/p/%d</link>'
          '<guid>b-%d</guid><pubDate>Mon, 10 Mar 2025 %02d:%02d:00 GMT</pubDate>'
          '<description>%s</description></item>'
          % (title, i, i, 1 + i // per_hour, i % 60, text))
print('</channel></rss>')
EOF
}

# bench_fetch_day: $OUT/day.xml, the one feed of $OUT/feeds.txt, fetched
# into $OUT/state.db with $OUT/aidigest.conf.
bench_fetch_day() {
	echo "blog day file://$PWD/$OUT/day.xml" >"$OUT/feeds.txt"
	"$BIN" -q -c "$OUT/aidigest.conf" --feeds "$OUT/feeds.txt" --db "$OUT/state.db" fetch \
		>/dev/null 2>&1 || die "fetch failed"
}

# the key the fake LLM servers take
export BENCH_LLM_KEY=test-key

# bench_endpoint SECTION PROVIDER K MODEL PRICE_IN PRICE_OUT: the
# configuration of an LLM endpoint (a judge or the writer) behind server K;
# its key is $BENCH_LLM_KEY.
bench_endpoint() {
	cat <<EOF
[$1]
provider = $2
base_url = $(bench_url "$3")/v1
model = $4
api_key_env = BENCH_LLM_KEY
price_in = $5
price_out = $6
EOF
}

# bench_judges MODEL1 MODEL2 MODEL3: the three judges of
# aidigest.conf.example, with its prices, on servers 1, 2 and 3, each
# answering as the fake model given (tests/llm_server.py).
bench_judges() {
	bench_endpoint judge.gpt-mini openai 1 "$1" 0.15 0.60
	bench_endpoint judge.haiku anthropic 2 "$2" 0.80 4.00
	bench_endpoint judge.gemini-flash openai 3 "$3" 0.10 0.40
}
