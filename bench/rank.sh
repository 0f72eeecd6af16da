#!/bin/sh
# Panel benchmark (bench/README.md): BENCH_STORIES stories (200) ranked by
# three LLM judges behind fake servers (tests/llm_server.py) that answer
# every request after BENCH_LLM_LATENCY_MS (1000 ms), with the example
# configuration's prices. Targets: at most 30 requests (not one per story
# and judge: 600) and at most 4 s of wall time; a re-run makes 0 requests.
# Exit status: 0 all targets met, 1 a target missed, 2 could not run.
set -eu

cd "$(dirname "$0")/.."

BIN=${AIDIGEST:-./aidigest}
OUT=bench/out/rank
N=${BENCH_STORIES:-200}
MS=${BENCH_LLM_LATENCY_MS:-1000}
CC=${CC:-cc}
PY=python3
MAX_REQUESTS=30
MAX_SECONDS=4

die() {
	echo "bench-rank: $*" >&2
	exit 2
}

command -v $PY >/dev/null 2>&1 || die "python3 is missing"
[ -x "$BIN" ] || die "$BIN is missing: run make first"
rm -rf "$OUT"
mkdir -p "$OUT"
$CC -O2 -o "$OUT/walltime" bench/walltime.c || die "cannot build walltime"

# A day of N stories of known quality ([q=N] markers), from 20 sources.
$PY - "$N" >"$OUT/day.xml" <<'EOF'
import random, sys
n = int(sys.argv[1])
rnd = random.Random(11)
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
          '<description>%s</description></item>' % (title, i, i, 1 + i // 60, i % 60, text))
print('</channel></rss>')
EOF

# Three servers, one per judge, as three providers would be.
mkfifo "$OUT/fifo"
pids=""
for k in 1 2 3; do
	LLM_SERVER_LATENCY_MS=$MS $PY tests/llm_server.py "$OUT/port$k" \
		<"$OUT/fifo" >/dev/null &
	pids="$pids $!"
done
exec 3>"$OUT/fifo"
cleanup() {
	exec 3>&-
	for pid in $pids; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM
for k in 1 2 3; do
	tries=0
	while [ ! -s "$OUT/port$k" ]; do
		tries=$((tries + 1))
		[ "$tries" -lt 100 ] || die "server $k did not start"
		sleep 0.1
	done
done

echo "blog day file://$PWD/$OUT/day.xml" >"$OUT/feeds.txt"
# The judges and prices of aidigest.conf.example, pointed at the servers.
cat >"$OUT/aidigest.conf" <<EOF
[digest]
timezone = +09:00
[judge.gpt-mini]
provider = openai
base_url = http://127.0.0.1:$(cat "$OUT/port1")/v1
model = fair-noise2
api_key_env = BENCH_LLM_KEY
price_in = 0.15
price_out = 0.60
[judge.haiku]
provider = anthropic
base_url = http://127.0.0.1:$(cat "$OUT/port2")/v1
model = source-lover-noise2
api_key_env = BENCH_LLM_KEY
price_in = 0.80
price_out = 4.00
[judge.gemini-flash]
provider = openai
base_url = http://127.0.0.1:$(cat "$OUT/port3")/v1
model = position-noise2
api_key_env = BENCH_LLM_KEY
price_in = 0.10
price_out = 0.40
[panel]
reference_price_in = 2.50
reference_price_out = 10.00
EOF
export BENCH_LLM_KEY=test-key

"$BIN" -q -c "$OUT/aidigest.conf" --feeds "$OUT/feeds.txt" --db "$OUT/state.db" fetch \
	>/dev/null 2>&1 || die "fetch failed"

stats() {
	for k in 1 2 3; do
		curl -s "http://127.0.0.1:$(cat "$OUT/port$k")/stats" 2>/dev/null ||
			$PY -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())' \
				"http://127.0.0.1:$(cat "$OUT/port$k")/stats"
		echo
	done | $PY -c '
import json, sys
print(sum(json.loads(l)["requests"] for l in sys.stdin if l.strip()))'
}

s0=$(stats)
us1=$("$OUT/walltime" -o "$OUT/rank1.json" "$BIN" -q -c "$OUT/aidigest.conf" \
	--feeds "$OUT/feeds.txt" --db "$OUT/state.db" rank --date 2025-03-10 --format json) || true
[ -s "$OUT/rank1.json" ] || die "rank failed"
s1=$(stats)
us2=$("$OUT/walltime" -o "$OUT/rank2.json" "$BIN" -q -c "$OUT/aidigest.conf" \
	--feeds "$OUT/feeds.txt" --db "$OUT/state.db" rank --date 2025-03-10 --format json) || true
s2=$(stats)

$PY - "$OUT/rank1.json" "$us1" "$us2" "$((s1 - s0))" "$((s2 - s1))" "$N" "$MS" \
	"$MAX_REQUESTS" "$MAX_SECONDS" <<'EOF'
import json, sys
path, us1, us2, req1, req2, n, ms, max_req, max_s = sys.argv[1:]
r = json.load(open(path))
t1, t2 = int(us1) / 1e6, int(us2) / 1e6
req1, req2, n = int(req1), int(req2), int(n)
c = r["cost"]
cand = len(r["stories"])
print("%d stories, %d candidates, 3 LLM judges, %s ms per request" % (n, cand, ms))
print("first rank   %5.2f s, %d requests (one per story and judge would be %d)"
      % (t1, req1, 3 * n))
print("re-rank      %5.2f s, %d requests" % (t2, req2))
print("agreement    Kendall's W %.3f; judges' tau against the pool: %s" % (
    r["agreement"]["kendall_w"] or float("nan"),
    ", ".join("%s %.2f" % (j["name"], j["tau"]) for j in r["judges"] if j["tau"] is not None)))
print("cost         panel $%.4f (%d tokens in, %d out) against one reference "
      "judge $%.4f: %.1fx cheaper" % (c["usd"], c["tokens_in"], c["tokens_out"],
      c["reference_usd"], c["reference_usd"] / c["usd"] if c["usd"] else 0))
ok = True
def check(name, good, detail):
    global ok
    ok = ok and good
    print("%s %s: %s" % ("PASS" if good else "FAIL", name, detail))
check("requests", req1 <= int(max_req), "%d <= %s" % (req1, max_req))
check("wall time", t1 <= float(max_s), "%.2f s <= %s s" % (t1, max_s))
check("re-run requests", req2 == 0, "%d == 0" % req2)
sys.exit(0 if ok else 1)
EOF
