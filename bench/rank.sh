#!/bin/sh
# Panel benchmark (bench/README.md): BENCH_STORIES stories (200) ranked by
# three LLM judges behind fake servers (tests/llm_server.py) that answer
# every request after BENCH_LLM_LATENCY_MS (1000 ms), with the example
# configuration's prices. Targets: at most 30 requests (not one per story
# and judge: 600) and at most 4 s of wall time; a re-run makes 0 requests.
# Exit status: 0 all targets met, 1 a target missed, 2 could not run.
set -eu

bench_name=bench-rank
OUT=bench/out/rank
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
N=${BENCH_STORIES:-200}
MS=${BENCH_LLM_LATENCY_MS:-1000}
MAX_REQUESTS=30
MAX_SECONDS=4

bench_need_python3
bench_need_aidigest
rm -rf "$OUT"
mkdir -p "$OUT"
bench_build walltime

# A day of N stories of known quality ([q=N] markers), 60 an hour.
bench_day "$N" 11 60 >"$OUT/day.xml"

# Three servers, one per judge, as three providers would be.
bench_start_servers 3 tests/llm_server.py LLM_SERVER_LATENCY_MS="$MS"

{
	printf '[digest]\ntimezone = +09:00\n'
	bench_judges fair-noise2 source-lover-noise2 position-noise2
	printf '[panel]\nreference_price_in = 2.50\nreference_price_out = 10.00\n'
} >"$OUT/aidigest.conf"
bench_fetch_day

# stats: the LLM requests all servers have answered
stats() {
	bench_stats | $PY -c '
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
