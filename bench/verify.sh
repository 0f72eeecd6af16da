#!/bin/sh
# Verification benchmark (bench/README.md): a day whose 10 selected
# stories are written by a fake LLM writer that invents figures in two
# summaries, the intro and the viewpoint, then checked by three LLM judges
# (two catch invented figures, one misses them) behind fake servers
# (tests/llm_server.py) that answer every request after
# BENCH_LLM_LATENCY_MS (1000 ms). Reports the verification's requests, its
# wall time and its share of the run's cost. Targets: at most
# 3 x ceil(10/20) vote requests plus 3 per batch of 20 rewrites (the
# re-votes), sent concurrently: the verification within (rounds + the
# rewrite) x latency + 1 s; no invented figure in the post.
# Exit status: 0 all targets met, 1 a target missed, 2 could not run.
set -eu

bench_name=bench-verify
OUT=bench/out/verify
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
MS=${BENCH_LLM_LATENCY_MS:-1000}

bench_need_python3
bench_need_aidigest
rm -rf "$OUT"
mkdir -p "$OUT/blog"
bench_build walltime

# A day of 30 stories of known quality ([q=N] markers), 10 an hour.
bench_day 30 7 10 >"$OUT/day.xml"

# Four servers: three judges and the writer, as four providers would be.
bench_start_servers 4 tests/llm_server.py LLM_SERVER_LATENCY_MS="$MS"

# The example's judges, and a GPT-4o-priced writer.
{
	printf '[digest]\ntimezone = +00:00\n'
	bench_judges fair-noise2 source-lover-noise2 position-noise2-vmiss
	bench_endpoint writer openai 4 writer-planted 2.50 10.00
	printf '[panel]\ntop = 10\n'
} >"$OUT/aidigest.conf"
bench_fetch_day

# kinds: the LLM requests all servers have answered, by kind:
# "RANK WRITE VERIFY REWRITE"
kinds() {
	bench_stats | $PY -c '
import json, sys
t = {}
for l in sys.stdin:
    if l.strip():
        for k, v in json.loads(l)["by_kind"].items():
            t[k] = t.get(k, 0) + v
print(t["rank"], t["write"], t["verify"], t["rewrite"])'
}

k0=$(kinds)
us=$("$OUT/walltime" -o "$OUT/path.txt" "$BIN" -c "$OUT/aidigest.conf" \
	--feeds "$OUT/feeds.txt" --db "$OUT/state.db" --out "$OUT/blog" \
	run --date 2025-03-10 2>"$OUT/run.err") || true
[ -s "$OUT/path.txt" ] || die "run failed: $(cat "$OUT/run.err")"
k1=$(kinds)

$PY - "$OUT/state.db" "$(cat "$OUT/path.txt")" "$us" "$k0" "$k1" "$MS" <<'EOF'
import json, math, sqlite3, sys
db, post, us, k0, k1, ms = sys.argv[1:]
row = sqlite3.connect(db).execute(
    "SELECT usd, details FROM runs WHERE command = 'run' ORDER BY id DESC LIMIT 1").fetchone()
total, v = row[0], json.loads(row[1])["verify"]
k0, k1 = [int(x) for x in k0.split()], [int(x) for x in k1.split()]
rank, write, votes, rewrites = [b - a for a, b in zip(k0, k1)]
sent_back = v["rewritten"] + v["replaced"]
latency = int(ms) / 1000.0
rounds = 2 if sent_back else 1
print("%d texts checked (10 stories, the intro, the viewpoint) by 3 LLM judges, "
      "%s ms per request" % (v["checked"], ms))
print("requests     rank %d, write %d, verify %d, rewrite %d" % (rank, write, votes, rewrites))
print("outcome      %d supported first time, %d rewritten, %d replaced; "
      "Fleiss' kappa %s" % (v["supported_first"], v["rewritten"], v["replaced"],
      "%.3f" % v["fleiss_kappa"] if v["fleiss_kappa"] is not None else "n/a"))
print("time         verification %.2f s of a %.2f s run" % (v["seconds"], int(us) / 1e6))
share = (v["usd"] + v["rewrite_usd"]) / total if total else 0
print("cost         verification $%.5f (votes $%.5f, rewrite $%.5f) of the "
      "run's $%.5f: %.1f%%" % (v["usd"] + v["rewrite_usd"], v["usd"],
      v["rewrite_usd"], total, 100 * share))
text = open(post, encoding="utf-8").read()
ok = True
def check(name, good, detail):
    global ok
    ok = ok and good
    print("%s %s: %s" % ("PASS" if good else "FAIL", name, detail))
allowed = 3 * math.ceil(10 / 20) + 3 * math.ceil(sent_back / 20)
check("vote requests", votes <= allowed,
      "%d <= 3 x ceil(10/20) + 3 x ceil(%d/20) = %d" % (votes, sent_back, allowed))
limit = (rounds + (1 if sent_back else 0)) * latency + 1
check("concurrent", v["seconds"] <= limit,
      "%.2f s <= %d rounds and %d rewrite x %.1f s + 1 s = %.1f s" % (
      v["seconds"], rounds, 1 if sent_back else 0, latency, limit))
check("no invented figure published",
      not any(p in text for p in ("73.4", "9876", "4321")), post)
sys.exit(0 if ok else 1)
EOF
