#!/bin/sh
# A whole night at full size: a generated day of 300 feeds x 20 items
# (tests/gen_day.py: the same event in many sources and both languages,
# near-duplicates, noise) served by three loopback feed servers, ranked
# by three LLM judges on both APIs, written by an LLM writer that invents
# figures and verified by the judges (tests/llm_server.py), [panel]
# top = 10. The post must pass check_post, carry at least 8 stories, no
# page twice and no invented figure. What it
# shows of the day besides (noise, one event told twice, events missed)
# is printed as "night: finding: ...", not failed on.
# Ends with "N passed, N failed".
suite=night
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
test_seconds=60
suite_needs_python3

day=2026-11-26
if ! python3 tests/gen_day.py --seed 9 --date "$day" "$tmp/day" 2>"$tmp/gen.err"; then
	bad "tests/gen_day.py failed: $(tail -n 3 "$tmp/gen.err")"
	suite_end
fi
ok

start_server feeds1 tests/http_server.py AIDIGEST_FEEDS_DIR="$tmp/day/feeds"
start_server feeds2 tests/http_server.py AIDIGEST_FEEDS_DIR="$tmp/day/feeds"
start_server feeds3 tests/http_server.py AIDIGEST_FEEDS_DIR="$tmp/day/feeds"
start_server llm tests/llm_server.py
wait_servers feeds1 feeds2 feeds3 llm
llm="$(server_url llm)/v1"
export AIDIGEST_TEST_LLM_KEY=test-key

# the sources, spread over the three servers
url1=$(server_url feeds1)
url2=$(server_url feeds2)
url3=$(server_url feeds3)
k=0
while read -r kind name file options; do
	k=$((k % 3 + 1))
	case $k in 1) url=$url1 ;; 2) url=$url2 ;; *) url=$url3 ;; esac
	echo "$kind $name $url/feed/$file $options"
done <"$tmp/day/sources.txt" >"$tmp/feeds.txt"
expect_lines "$tmp/feeds.txt" 300 "the day's sources"

# three judges from three model families, on both APIs, and a writer
# whose first draft invents figures (the judges send them back)
{
	printf '[digest]\ntimezone = +09:00\n[panel]\ntop = 10\nverify = yes\n'
	n=0
	for spec in openai:fair-noise1 anthropic:source-lover-noise1 openai:position-noise1 openai:writer-planted; do
		n=$((n + 1))
		if [ "$n" -eq 4 ]; then section=writer; else section=judge.j$n; fi
		printf '[%s]\nprovider = %s\nbase_url = %s\nmodel = %s\napi_key_env = AIDIGEST_TEST_LLM_KEY\n' \
			"$section" "${spec%%:*}" "$llm" "${spec#*:}"
	done
} >"$tmp/night.conf"

expect_aidigest 0 "the night's run" night night -- --out "$tmp/blog" run --date "$day"
post=$(cat "$tmp/out")
cp "$tmp/err" "$tmp/run.err"
expect_grep "$tmp/run.err" "300 sources: 300 ok" "every source was read"
expect_grep "$tmp/run.err" "judges: 3 (3 LLM answered)" "the three LLM judges ranked"
expect_grep "$tmp/run.err" "writer: LLM" "the LLM writer wrote"
expect_no_grep "$tmp/run.err" "verification: not verified" "the judges verified the texts"
kinds=$(server_stats llm 'd["by_kind"]["rank"]' 'd["by_kind"]["write"]' 'd["by_kind"]["verify"]' 'd["by_kind"]["rewrite"]')
echo "night: requests by kind (rank write verify rewrite): $kinds"
# shellcheck disable=SC2086 # split into its counts
set -- $kinds
if [ "$1" -gt 0 ] && [ "$2" -eq 1 ] && [ "$3" -gt 0 ] && [ "$4" -gt 0 ]; then ok; else
	bad "requests by kind (rank write verify rewrite): $kinds; want ranking, one writing, votes and a rewrite"
fi
echo "night: $(grep -o '[0-9]* stories ([0-9]* new to the digest), [0-9]* selected' "$tmp/run.err")"

if [ ! -f "$post" ]; then
	bad "no post: '$post'"
	suite_end
fi
store_links night night "$day"
check_post "$post" "the night's post"
# the reading figures: the post names the sources and items of the day's
# window as the store has them (items.json, from store_links above)
if python3 - "$post" "$tmp/items.json" "$day" 2>"$tmp/py.err" <<'EOF'; then ok; else bad "the reading figures: $(tail -n 3 "$tmp/py.err")"; fi
import datetime, json, re, sys
post = open(sys.argv[1], encoding="utf-8").read()
stories = json.load(open(sys.argv[2]))["stories"]
kst = datetime.timezone(datetime.timedelta(hours=9))
start = datetime.datetime.fromisoformat(sys.argv[3]).replace(tzinfo=kst)
end = start + datetime.timedelta(days=1)
inside = [i for s in stories for i in s["items"]
          if start <= datetime.datetime.fromisoformat(i["time"].replace("Z", "+00:00")) < end]
m = re.search(r"^\*오늘은 (\d+)개 소스의 글 (\d+)건과 이야기 (\d+)개를 읽고 (\d+)개를 골랐습니다\.", post, re.M)
assert m, "no reading line in the post"
got = (int(m.group(1)), int(m.group(2)))
want = (len({i["source"] for i in inside}), len(inside))
assert got == want, "the post says %r sources and items, the store %r" % (got, want)
assert want[0] >= 250 and want[1] >= 4000, want
print("night: %s" % post[m.start():post.index("\n", m.start())])
EOF
for planted in '처리 속도가 73.4%' '9876억 원' '4321명'; do
	expect_no_grep "$post" "$planted" "an invented figure was published"
done

# what the post carries of the day
if python3 tests/gen_day.py --check "$post" --items "$tmp/items.json" "$tmp/day" >"$tmp/check.txt" 2>"$tmp/py.err"; then ok; else
	bad "gen_day.py --check: $(tail -n 3 "$tmp/py.err")"
fi
stories=$(sed -n 's/^stories //p' "$tmp/check.txt")
repeated=$(sed -n 's/^repeated_links //p' "$tmp/check.txt")
sed -n 's/^finding: /night: finding: /p' "$tmp/check.txt"
if [ "${stories:-0}" -ge 8 ]; then ok; else
	bad "the post carries ${stories:-no} stories, want at least 8 of top = 10"
fi
if [ "${repeated:-1}" -eq 0 ]; then ok; else
	bad "the post links ${repeated:-?} pages more than once: $(grep 'the same page' "$tmp/check.txt" | head -3)"
fi

suite_end
