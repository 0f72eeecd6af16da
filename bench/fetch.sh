#!/bin/sh
# Fetch benchmark (bench/README.md): BENCH_FEEDS feeds (300) behind
# BENCH_PORTS loopback servers (10) that answer each request after
# BENCH_LATENCY_MS (200 ms). Measures, in one session:
#   - `aidigest fetch` against `sfeed_update` with 16 jobs on the same feeds
#     (wall time ratio, target at most 0.25);
#   - a second aidigest fetch with nothing changed (304s at least 95% of
#     its requests, bytes at most 5% of the first run's);
#   - aidigest's peak memory over the first fetch (at most 64 MiB).
# Exit status: 0 all targets met, 1 a target missed, 2 could not run.
set -eu

bench_name=bench-fetch
OUT=bench/out/fetch
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
N=${BENCH_FEEDS:-300}
PORTS=${BENCH_PORTS:-10}
MS=${BENCH_LATENCY_MS:-200}

MAX_RATIO=0.25
MIN_304_SHARE=0.95
MAX_BYTES_SHARE=0.05
MAX_PEAK_MIB=64

command -v sfeed_update >/dev/null 2>&1 || die "sfeed_update is missing (apt-get install sfeed)"
bench_need_python3
bench_need_time
bench_need_aidigest

rm -rf "$OUT"
mkdir -p "$OUT/feeds" "$OUT/sfeed"
bench_build gen_feed walltime

# Feeds of about 20 KB, each with its own ids and links.
"$OUT/gen_feed" rss 20000 >"$OUT/base.xml"
i=1
while [ "$i" -le "$N" ]; do
	sed -e "s#<guid\([^>]*\)>#<guid\1>f$i-#g" \
	    -e "s#<link>https://#<link>https://f$i.#g" \
	    "$OUT/base.xml" >"$OUT/feeds/f$i.xml"
	i=$((i + 1))
done

bench_start_servers "$PORTS" tests/http_server.py AIDIGEST_FEEDS_DIR="$OUT/feeds"

# The same feeds for both tools, spread over the ports.
{
	echo "maxjobs=16"
	echo "sfeedpath=\"$PWD/$OUT/sfeed\""
	echo "feeds() {"
} >"$OUT/sfeedrc"
: >"$OUT/feeds.txt"
i=1
while [ "$i" -le "$N" ]; do
	p=$(((i - 1) % PORTS + 1))
	url="$(bench_url "$p")/latency/f$i.xml?ms=$MS"
	echo "blog f$i $url" >>"$OUT/feeds.txt"
	echo "	feed \"f$i\" \"$url\"" >>"$OUT/sfeedrc"
	i=$((i + 1))
done
echo "}" >>"$OUT/sfeedrc"
cat >"$OUT/aidigest.conf" <<EOF
[fetch]
transfers = 16
per_host = 2
EOF

# stats: requests and 304s on /latency/ over all servers: "REQ NM"
stats() {
	bench_stats | $PY -c '
import json, sys
req = nm = 0
for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    d = json.loads(line)
    req += sum(v for k, v in d["requests"].items() if k.startswith("/latency/"))
    nm += sum(v for k, v in d["not_modified"].items() if k.startswith("/latency/"))
print(req, nm)'
}

json_field() {
	$PY -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"
}

# 1. aidigest, first fetch, with its peak memory
# (exit 2, some sources failed, still gives a report)
us1=$("$OUT/walltime" -o "$OUT/run1.json" "$TIME" -f '%M' -o "$OUT/time1.txt" \
	"$BIN" -q -c "$OUT/aidigest.conf" --feeds "$OUT/feeds.txt" \
	--db "$OUT/state.db" fetch --format json) || true
[ -s "$OUT/run1.json" ] || die "aidigest fetch failed (first run)"
peak_kib=$(tail -n 1 "$OUT/time1.txt")
bytes1=$(json_field "$OUT/run1.json" bytes)
ok1=$(json_field "$OUT/run1.json" ok)

# 2. sfeed_update with 16 jobs
us_sfeed=$("$OUT/walltime" -o "$OUT/sfeed.log" sfeed_update "$OUT/sfeedrc") ||
	echo "bench-fetch: note: sfeed_update reported failures" >&2
[ -n "$us_sfeed" ] || die "sfeed_update did not run"
sfeed_files=$(find "$OUT/sfeed" -type f | wc -l)

# 3. aidigest again, nothing changed
s1=$(stats)
us2=$("$OUT/walltime" -o "$OUT/run2.json" "$BIN" -q -c "$OUT/aidigest.conf" \
	--feeds "$OUT/feeds.txt" --db "$OUT/state.db" fetch --format json) || true
[ -s "$OUT/run2.json" ] || die "aidigest fetch failed (second run)"
s2=$(stats)
bytes2=$(json_field "$OUT/run2.json" bytes)
nm2=$(json_field "$OUT/run2.json" not_modified)

# shellcheck disable=SC2086 # split into REQ and NM
set -- $s1
req_before=$1
nm_before=$2
# shellcheck disable=SC2086 # split into REQ and NM
set -- $s2
req2=$(($1 - req_before))
nm_srv2=$(($2 - nm_before))

$PY - "$N" "$PORTS" "$MS" "$us1" "$us_sfeed" "$us2" "$peak_kib" "$bytes1" "$bytes2" \
	"$req2" "$nm_srv2" "$nm2" "$ok1" "$sfeed_files" \
	"$MAX_RATIO" "$MIN_304_SHARE" "$MAX_BYTES_SHARE" "$MAX_PEAK_MIB" <<'EOF'
import sys
(n, ports, ms, us1, us_sfeed, us2, peak, b1, b2, req2, nm_srv2, nm2, ok1,
 sfeed_files, max_ratio, min_304, max_bytes, max_peak) = sys.argv[1:]
n, ports, ms = int(n), int(ports), int(ms)
t1, ts, t2 = int(us1) / 1e6, int(us_sfeed) / 1e6, int(us2) / 1e6
peak_mib = int(peak) / 1024
b1, b2, req2, nm_srv2, nm2 = int(b1), int(b2), int(req2), int(nm_srv2), int(nm2)
ratio = t1 / ts
share304 = nm_srv2 / req2 if req2 else 0.0
bytes_share = b2 / b1 if b1 else 1.0
bound = n / 16 * ms / 1000
print("feeds %d on %d ports, %d ms latency; latency bound %d/16 x %.1f s = %.1f s"
      % (n, ports, ms, n, ms / 1000, bound))
print("aidigest fetch   %6.2f s  (%s of %d sources ok, %d bytes, peak %.1f MiB)"
      % (t1, ok1, n, b1, peak_mib))
print("sfeed_update -j16 %5.2f s  (%s feed files written)" % (ts, sfeed_files))
print("second fetch     %6.2f s  (%d requests, %d answered 304 by the servers,"
      " %d not modified by aidigest's count, %d bytes)" % (t2, req2, nm_srv2, nm2, b2))
ok = True
def check(name, good, detail):
    global ok
    ok = ok and good
    print("%s %s: %s" % ("PASS" if good else "FAIL", name, detail))
check("ratio aidigest/sfeed_update", ratio <= float(max_ratio),
      "%.3f <= %s" % (ratio, max_ratio))
check("second run 304 share", share304 >= float(min_304),
      "%.1f%% >= %.0f%%" % (share304 * 100, float(min_304) * 100))
check("second run bytes", bytes_share <= float(max_bytes),
      "%.2f%% of the first run's <= %.0f%%" % (bytes_share * 100, float(max_bytes) * 100))
check("peak memory", peak_mib <= float(max_peak),
      "%.1f MiB <= %s MiB" % (peak_mib, max_peak))
sys.exit(0 if ok else 1)
EOF
