#!/bin/sh
# Whole-night benchmark (bench/README.md, issue 13): `aidigest run` on the
# day of tests/gen_day.py (300 feeds x 20 items) served by BENCH_PORTS (10)
# loopback feed servers that answer each request after BENCH_LATENCY_MS
# (200 ms); three LLM judges and a writer on four fake servers
# (tests/llm_server.py) that answer after BENCH_LLM_LATENCY_MS (1000 ms);
# verification on (the writer invents figures, so one rewrite and its
# re-vote happen); [fetch] transfers = 16; [panel] top = 10.
# Prints the wall time, the peak memory, the requests of each stage and
# the stories published, and the floor: the fetch at 16 transfers
# (feeds / 16 x the measured feed latency) plus one measured LLM latency
# per LLM stage that ran (rank, write, verify, rewrite, the rewrite's
# re-vote, any other kind the server counts but the same-event vote,
# which goes out with the ranking), as if every batch of a stage were in
# flight at once.
# Targets: wall time <= 10 s, wall / floor <= 1.25, peak <= 64 MiB, at
# least 8 stories (issue 9),
# no invented figure published, and the same post as a run of the same
# night without latency (the post does not depend on timing).
# Exit status: 0 all targets met, 1 a target missed, 2 could not run.
set -eu

bench_name=bench-night
OUT=bench/out/night
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
PORTS=${BENCH_PORTS:-10}
MS=${BENCH_LATENCY_MS:-200}
LLM_MS=${BENCH_LLM_LATENCY_MS:-1000}
DAY=2026-11-26
TRANSFERS=16
MAX_SECONDS=10
MAX_PEAK_MIB=64
MIN_STORIES=8

bench_need_python3
bench_need_time
bench_need_aidigest
rm -rf "$OUT"
mkdir -p "$OUT"
bench_build walltime
$PY tests/gen_day.py --seed 9 --date "$DAY" "$OUT/day" 2>"$OUT/gen.txt" ||
	die "tests/gen_day.py failed: $(cat "$OUT/gen.txt")"

# Servers 1 to 4: the judges and the writer, as four providers would be
# (bench_judges takes 1 to 3). Then the feed servers, on the same fifo:
# their ports in $OUT/feedK.
bench_start_servers 4 tests/llm_server.py LLM_SERVER_LATENCY_MS="$LLM_MS"
k=1
while [ "$k" -le "$PORTS" ]; do
	env AIDIGEST_FEEDS_DIR="$OUT/day/feeds" $PY tests/http_server.py "$OUT/feed$k" \
		<"$OUT/fifo" >/dev/null 3>&- &
	bench_pids="$bench_pids $!"
	k=$((k + 1))
done
feed_urls=""
k=1
while [ "$k" -le "$PORTS" ]; do
	tries=0
	while [ ! -s "$OUT/feed$k" ]; do
		tries=$((tries + 1))
		[ "$tries" -lt 100 ] || die "feed server $k did not start"
		sleep 0.1
	done
	feed_urls="$feed_urls http://127.0.0.1:$(cat "$OUT/feed$k")"
	k=$((k + 1))
done

# feeds LATENCY_MS: the day's sources spread over the feed servers, each
# answering after LATENCY_MS
feeds() {
	awk -v urls="$feed_urls" -v ms="$1" '
	BEGIN { n = split(urls, url, " ") }
	{
		options = ""
		for (i = 4; i <= NF; i++) options = options " " $i
		printf "%s %s %s/latency/%s?ms=%s%s\n", $1, $2, url[(NR - 1) % n + 1], $3, ms, options
	}' "$OUT/day/sources.txt"
}

# conf NAME LLM_PREFIX: the night's configuration; LLM_PREFIX goes before
# /v1 in every LLM base_url (/latency-ms/0 for a night without latency)
conf() {
	{
		printf '[digest]\ntimezone = +09:00\n[fetch]\ntransfers = %d\n' "$TRANSFERS"
		bench_judges fair-noise1 source-lover-noise1 position-noise1
		bench_endpoint writer openai 4 writer-planted 2.50 10.00
		printf '[panel]\ntop = 10\nverify = yes\n'
	} | sed "s#^\(base_url = .*\)/v1\$#\1$2/v1#" >"$OUT/$1.conf"
}

# kinds: the LLM requests all four servers have answered, by kind, as
# "KIND=N ..." in a fixed order (rank write verify rewrite, then others)
kinds() {
	bench_stats | $PY -c '
import json, sys
t = {"rank": 0, "write": 0, "verify": 0, "rewrite": 0}
for l in sys.stdin:
    if l.strip():
        for k, v in json.loads(l)["by_kind"].items():
            t[k] = t.get(k, 0) + v
print(" ".join("%s=%d" % kv for kv in t.items()))'
}

# feed_requests: the requests all feed servers have answered on /latency/
feed_requests() {
	for url in $feed_urls; do echo "$url"; done | $PY -c '
import json, sys, urllib.request
n = 0
for url in sys.stdin.read().split():
    d = json.load(urllib.request.urlopen(url + "/stats"))
    n += sum(v for k, v in d["requests"].items() if k.startswith("/latency/"))
print(n)'
}

# The latencies the floor is made of, measured: a feed (best of 3) and a
# judge's request (best of 3), before the night and outside its counts.
# shellcheck disable=SC2086 # the list of addresses, split
set -- $feed_urls
file=$(sed -n '1s/^[^ ]* [^ ]* \([^ ]*\).*/\1/p' "$OUT/day/sources.txt")
latencies=$($PY - "$1/latency/$file?ms=$MS" "$(bench_url 1)/v1/chat/completions" <<'EOF'
import json, sys, time, urllib.request
feed, llm = sys.argv[1:]
body = json.dumps({"model": "fair", "messages": [
    {"role": "user", "content": '[{"id": "1", "title": "t", "text": "x"}]'}]}).encode()
def best(make):
    out = []
    for _ in range(3):
        t = time.monotonic()
        urllib.request.urlopen(make()).read()
        out.append(time.monotonic() - t)
    return min(out)
print("%.4f %.4f" % (
    best(lambda: feed),
    best(lambda: urllib.request.Request(llm, body, {
        "Authorization": "Bearer test-key", "Content-Type": "application/json"}))))
EOF
) || die "cannot measure the servers' latencies"

# 1. the night, timed, with its peak memory
feeds "$MS" >"$OUT/feeds.txt"
conf night ""
f0=$(feed_requests)
k0=$(kinds)
us=$("$OUT/walltime" -o "$OUT/path.txt" "$TIME" -f '%M' -o "$OUT/time.txt" \
	"$BIN" -c "$OUT/night.conf" --feeds "$OUT/feeds.txt" --db "$OUT/night.db" \
	--out "$OUT/blog" run --date "$DAY" 2>"$OUT/run.err") || true
[ -s "$OUT/path.txt" ] || die "the night's run failed: $(tail -n 5 "$OUT/run.err")"
post=$(cat "$OUT/path.txt")
f1=$(feed_requests)
k1=$(kinds)
peak_kib=$(tail -n 1 "$OUT/time.txt")
"$BIN" -q -c "$OUT/night.conf" --db "$OUT/night.db" items --date "$DAY" --format json \
	>"$OUT/items.json" || die "aidigest items failed"
$PY tests/gen_day.py --check "$post" --items "$OUT/items.json" "$OUT/day" >"$OUT/check.txt" ||
	die "gen_day.py --check failed"

# 2. the same night without latency, for the post to compare
feeds 0 >"$OUT/feeds0.txt"
conf fast /latency-ms/0
"$BIN" -q -c "$OUT/fast.conf" --feeds "$OUT/feeds0.txt" --db "$OUT/fast.db" \
	--out "$OUT/fastblog" run --date "$DAY" >"$OUT/fastpath.txt" 2>"$OUT/fast.err" || true
[ -s "$OUT/fastpath.txt" ] || die "the night without latency failed: $(tail -n 5 "$OUT/fast.err")"

$PY - "$us" "$peak_kib" "$latencies" "$k0" "$k1" "$((f1 - f0))" "$MS" "$LLM_MS" "$PORTS" \
	"$TRANSFERS" "$OUT/check.txt" "$OUT/run.err" "$OUT/night.db" "$post" \
	"$(cat "$OUT/fastpath.txt")" "$MAX_SECONDS" "$MAX_PEAK_MIB" "$MIN_STORIES" <<'EOF'
import json, re, sqlite3, sys
(us, peak, lat, k0, k1, feed_req, ms, llm_ms, ports, transfers, check, err,
 db, post, fast_post, max_s, max_peak, min_stories) = sys.argv[1:]
wall, peak_mib = int(us) / 1e6, int(peak) / 1024
feed_lat, llm_lat = (float(x) for x in lat.split())
before = dict(kv.split("=") for kv in k0.split())
after = dict(kv.split("=") for kv in k1.split())
kinds = {k: int(v) - int(before.get(k, 0)) for k, v in after.items()}
facts = dict(l.split(" ", 1) for l in open(check) if not l.startswith("finding"))
stories = int(facts["stories"])
errs = open(err, encoding="utf-8").read()
row = sqlite3.connect(db).execute(
    "SELECT details FROM runs WHERE command = 'run' ORDER BY id DESC LIMIT 1").fetchone()
v = json.loads(row[0]).get("verify", {}) if row else {}
m = re.search(r"([0-9.]+) MB in ([0-9.]+) s", errs)
fetch_s = float(m.group(2)) if m else None
m = re.search(r"(\d+) stories \(\d+ new to the digest\), (\d+) selected", errs)

# the floor: the fetch at full parallelism, then one round per LLM stage
feeds = int(feed_req)
fetch_floor = feeds / int(transfers) * feed_lat
stages = [k for k in ("rank", "write", "verify", "rewrite") if kinds.get(k)]
# the same-event vote ("pairs") goes out with the ranking: no stage of
# its own
stages += sorted(k for k in kinds if k not in ("rank", "write", "verify",
                                               "rewrite", "pairs") and kinds[k])
if kinds.get("rewrite"):
    stages.append("re-vote")
floor = fetch_floor + len(stages) * llm_lat

print("night: %s feeds on %s servers at %s ms, LLM servers at %s ms, "
      "verification on" % (feeds, ports, ms, llm_ms))
print("wall         %.2f s" % wall)
print("peak         %.1f MiB" % peak_mib)
print("fetch        %d requests%s" % (
    feeds, ", %.2f s by the run's count" % fetch_s if fetch_s is not None else ""))
print("requests     %s" % ", ".join("%s %d" % kv for kv in kinds.items()))
print("verify       %s checked, %s supported first time, %s rewritten, %s "
      "replaced, %.2f s" % (v.get("checked"), v.get("supported_first"),
                            v.get("rewritten"), v.get("replaced"),
                            v.get("seconds") or 0))
print("stories      %s in the day, %s selected, %d published" % (
    m.group(1) if m else "?", m.group(2) if m else "?", stories))
print("latency      feed %.3f s, LLM %.3f s (measured, best of 3)" % (
    feed_lat, llm_lat))
print("floor        %.2f s = fetch %d / %s x %.3f s + %d LLM stages (%s) x "
      "%.3f s" % (floor, feeds, transfers, feed_lat, len(stages),
                  ", ".join(stages), llm_lat))
print("ratio        wall / floor %.2f" % (wall / floor))
for line in open(check, encoding="utf-8"):
    if line.startswith("finding: "):
        print("finding      " + line[len("finding: "):].rstrip())

ok = True
def check(name, good, detail):
    global ok
    ok = ok and good
    print("%s %s: %s" % ("PASS" if good else "FAIL", name, detail))
check("wall time", wall <= float(max_s), "%.2f s <= %s s" % (wall, max_s))
check("near the floor", wall / floor <= 1.25,
      "wall / floor %.2f <= 1.25 (the stages' latencies in sequence, the "
      "fetch at full parallelism)" % (wall / floor))
check("peak memory", peak_mib <= float(max_peak),
      "%.1f MiB <= %s MiB" % (peak_mib, max_peak))
check("stories", stories >= int(min_stories),
      "%d published >= %s (top = 10)" % (stories, min_stories))
text = open(post, encoding="utf-8").read()
plants = [p for p in ("처리 속도가 73.4%", "9876억 원", "4321명") if p in text]
check("no invented figure published", not plants, ", ".join(plants) or post)
def body(path):
    return [l for l in open(path, encoding="utf-8") if not l.startswith("update:")]
same = body(post) == body(fast_post)
check("the same post without latency", same,
      "identical" if same else "differs from %s" % fast_post)
sys.exit(0 if ok else 1)
EOF
