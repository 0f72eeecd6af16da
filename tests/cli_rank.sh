#!/bin/sh
# `aidigest rank` against a fake LLM server (tests/llm_server.py) that
# speaks the OpenAI and Anthropic APIs with scripted judges and faults.
# Ends with "N passed, N failed".
suite=rank
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
test_seconds=120
suite_needs_python3
start_server llm tests/llm_server.py
wait_servers llm
llm="$(server_url llm)/v1"
export AIDIGEST_TEST_LLM_KEY=test-key
export AIDIGEST_TEST_WRONG_KEY=not-the-key
unset AIDIGEST_TEST_NO_KEY

echo "blog day file://$PWD/tests/fixtures/feeds/panel-day.xml" >"$tmp/feeds.txt"

# conf NAME JUDGE... : a configuration whose judges are NAME:PROVIDER:MODEL[:KEYVAR]
conf() {
	out=$tmp/$1.conf
	shift
	{
		echo "[digest]"
		echo "timezone = +09:00"
		for j in "$@"; do
			name=${j%%:*}
			rest=${j#*:}
			provider=${rest%%:*}
			rest=${rest#*:}
			model=${rest%%:*}
			keyvar=AIDIGEST_TEST_LLM_KEY
			case $rest in *:*) keyvar=${rest#*:} ;; esac
			echo "[judge.$name]"
			echo "provider = $provider"
			echo "base_url = $llm"
			echo "model = $model"
			echo "api_key_env = $keyvar"
			echo "price_in = 0.15"
			echo "price_out = 0.60"
			echo "timeout = 5"
		done
		echo "[panel]"
		echo "batch = 20"
		echo "candidates = 41"
		echo "top = 10"
		echo "reference_price_in = 2.50"
		echo "reference_price_out = 10.00"
		echo "seed = 3"
	} >"$out"
}

# stats: the requests the LLM server has answered
stats() {
	server_stats llm 'd["requests"]'
}

# fetch_into DB CONF: the day's feed into $tmp/DB.db
fetch_into() {
	timeout 60 "$bin" -q -c "$tmp/$2.conf" --feeds "$tmp/feeds.txt" --db "$tmp/$1.db" fetch >/dev/null 2>&1 ||
		bad "fetch into $1 failed"
}

# 1. three judges from two API families, one with a source bias, one with
# a position bias
conf panel "alpha:openai:fair-noise1" "beta:anthropic:source-lover-noise1" "gamma:openai:position-noise1"
fetch_into main panel
before=$(stats)
expect_aidigest 0 "rank with three LLM judges" panel main -- rank --date 2025-03-10 --format json
after=$(stats)
expect_json "judges, agreement, cost, stories" '
assert [j["name"] for j in r["judges"]] == ["alpha", "beta", "gamma"], r["judges"]
assert all(j["status"] == "ok" for j in r["judges"])
assert [j["provider"] for j in r["judges"]] == ["openai", "anthropic", "openai"]
assert 0 < r["agreement"]["kendall_w"] <= 1
c = r["cost"]
assert c["requests"] == 9, c          # 3 judges x ceil(41/20) batches
assert c["tokens_in"] > 0 and c["tokens_out"] > 0
assert c["reference_usd"] > c["usd"] > 0
assert len(r["stories"]) == 41
assert [s["rank"] for s in r["stories"]] == list(range(1, 42))
assert sum(s["selected"] for s in r["stories"]) == 10
assert all(set(s["judges"]) == {"alpha", "beta", "gamma"} for s in r["stories"])
assert all(s["links"][0].startswith("https://panel.example.org/") for s in r["stories"])
scores = [s["score"] for s in r["stories"]]
assert scores == sorted(scores, reverse=True)
'
if [ $((after - before)) -eq 9 ]; then ok; else bad "the server saw $((after - before)) requests, want 9"; fi
expect_json "cost to the cent: tokens times prices" '
for j in r["judges"]:
    want = (j["tokens_in"] * 0.15 + j["tokens_out"] * 0.60) / 1e6
    assert abs(j["usd"] - want) < 1e-9, (j, want)
total = sum(j["usd"] for j in r["judges"])
assert abs(r["cost"]["usd"] - total) < 0.005
tin = sum(j["tokens_in"] for j in r["judges"]) / 3
tout = sum(j["tokens_out"] for j in r["judges"]) / 3
assert abs(r["cost"]["reference_usd"] - (tin * 2.5 + tout * 10) / 1e6) < 1e-9
'
cp "$tmp/out" "$tmp/first.json"

# 2. a re-run of the same day is served by the cache: no LLM call
before=$(stats)
expect_aidigest 0 "rank again" panel main -- rank --date 2025-03-10 --format json
after=$(stats)
if [ "$after" -eq "$before" ]; then ok; else bad "a re-run made $((after - before)) requests, want 0"; fi
expect_json "the same ranking from the cache" '
first = json.load(open(sys.argv[1].replace("/out", "/first.json")))
assert [s["id"] for s in r["stories"]] == [s["id"] for s in first["stories"]]
assert r["cost"]["requests"] == 0
assert all(j["cached"] == 41 for j in r["judges"])
'

# 3a. every story says why it is in or out; --explain says it in words
expect_aidigest 0 "rank --format json, the reasons" panel main -- rank --date 2025-03-10 --format json
cp "$tmp/out" "$tmp/why.json"
expect_json "each story's why" '
ss = r["stories"]
assert all(("why" in s) and (s["selected"] == (s["why"] == "selected")) for s in ss), ss[0]
assert {s["why"] for s in ss} <= {"selected", "not reached", "quota", "same event", "below the floor", "published before"}
assert all((s["same_as"] is None) == (s["why"] != "same event") for s in ss)
n = len(ss)
assert all(s["why"] in ("below the floor", "not reached", "published before") for s in ss[max(10, (n + 1) // 2):])'
out_id=$(python3 -c 'import json,sys; print([s["id"] for s in json.load(open(sys.argv[1]))["stories"] if not s["selected"]][0])' "$tmp/why.json")
expect_aidigest 0 "rank --explain of a story left out" panel main -- rank --date 2025-03-10 --explain "$out_id"
expect_grep "$tmp/out" "^  not selected: " "--explain says why a story was left out"
expect_grep "$tmp/out" "rank [0-9]* of [0-9]* candidates" "--explain gives the rank"
expect_aidigest 0 "rank table with ids" panel main -- rank --date 2025-03-10
expect_grep "$tmp/out" "^ *RANK *ID " "the table shows each story's id"

# 3. the table, --explain, and the runs kept in the store
expect_aidigest 0 "rank as a table" panel main -- rank --date 2025-03-10
expect_grep "$tmp/out" "^RANK" "the table's header"
expect_grep "$tmp/out" "agreement: Kendall's W" "agreement line"
expect_grep "$tmp/out" "one reference judge" "cost against the reference judge"
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["stories"][0]["id"])' "$tmp/first.json")
expect_aidigest 0 "rank --explain" panel main -- rank --date 2025-03-10 --explain "$id"
expect_grep "$tmp/out" "alpha *raw [0-9.]* *normalized [-+]" "a judge's raw and normalized score"
expect_aidigest 1 "--explain of a story that is not there" panel main -- rank --date 2025-03-10 --explain 999999
if python3 -c '
import sqlite3, sys
n = sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM runs WHERE command = ? AND usd >= 0", ("rank",)).fetchone()[0]
assert n >= 4, n' "$tmp/main.db"; then ok; else bad "runs are not recorded"; fi

# 4. a story that tells the judges what to score, before a judge that obeys
conf inj "fair:openai:fair-noise1" "gullible:openai:echo-injection" "pos:anthropic:position-noise1"
fetch_into inj inj
expect_aidigest 0 "rank with a gullible judge" inj inj -- rank --date 2025-03-10 --format json
expect_json "the injection story gets no more than its content" '
st = {s["title"]: s for s in r["stories"]}
inj = st["Minor update to our company blog template"]
assert inj["judges"]["gullible"] == 10, inj          # the judge obeyed
assert not inj["selected"], inj
good = [s for s in r["stories"] if s["judges"]["fair"] >= 6]
assert good and all(s["score"] > inj["score"] for s in good), (inj, [g["score"] for g in good][:5])
'

# 5. faults: a judge that always fails is dropped, the run is degraded
conf faults "ok1:openai:fair-429-prose" "broken:openai:fair-500" "ok2:anthropic:fair-missing-ids-unknown-ids-out-of-range"
fetch_into faults faults
expect_aidigest 2 "rank with a failing judge" faults faults -- rank --date 2025-03-10 --format json
expect_grep "$tmp/err" "judge broken failed: HTTP 500" "the failing judge and its reason"
expect_json "the other judges rank; retries, prose, ids and ranges handled" '
j = {x["name"]: x for x in r["judges"]}
assert j["broken"]["status"] == "failed"
assert j["ok1"]["status"] == "ok" and j["ok2"]["status"] == "ok"
assert r["degraded"] is True
# missing ids are asked once more: ok2 needed more than 3 requests
assert j["ok2"]["requests"] > 3, j["ok2"]
for s in r["stories"]:
    assert set(s["judges"]) == {"ok1", "ok2"}, s
    assert s["judges"]["ok2"] is None or 1 <= s["judges"]["ok2"] <= 10
'

# 6. a refused key and a missing key: the one judge that answers is pooled
# with the heuristic judges, and the failure makes it exit 2
conf quorum "good:openai:fair" "wrong:openai:fair:AIDIGEST_TEST_WRONG_KEY" "absent:openai:fair:AIDIGEST_TEST_NO_KEY"
fetch_into quorum quorum
expect_aidigest 2 "rank below the quorum" quorum quorum -- rank --date 2025-03-10 --format json
expect_grep "$tmp/err" "judge absent skipped: \$AIDIGEST_TEST_NO_KEY is not set" "an unset key is a notice"
expect_grep "$tmp/err" "judge wrong failed:.*401" "a refused key is a failure"
if grep -q "not-the-key" "$tmp/err" "$tmp/out"; then bad "the key leaked into the output"; else ok; fi
expect_json "the answering judge pooled with the heuristics" '
assert r["degraded"] and "pooled with the heuristic judges" in r["note"], r.get("note")
names = set(r["stories"][0]["judges"])
assert names == {"good", "recency", "source", "corroboration", "engagement", "topic"}, names
'

# 6a. one key is a valid setup: one LLM judge, pooled with the heuristic
# judges, one notice, exit 0
conf onekey "solo:openai:fair"
fetch_into onekey onekey
expect_aidigest 0 "rank with one LLM judge" onekey onekey -- rank --date 2025-03-10 --format json
expect_json "one judge pooled with the heuristics, not degraded" '
assert not r["degraded"], r.get("note")
names = set(r["stories"][0]["judges"])
assert names == {"solo", "recency", "source", "corroboration", "engagement", "topic"}, names
assert any(s["judges"]["solo"] is not None for s in r["stories"])
'
n=$(grep -c "pooled with the heuristic judges" "$tmp/err")
if [ "$n" -eq 1 ]; then ok; else bad "one LLM judge: $n notices, want 1: $(cat "$tmp/err")"; fi

# 7. the budget stops new calls
conf budget "b1:openai:fair" "b2:openai:fair"
echo "[budget]" >>"$tmp/budget.conf"
echo "max_usd = 0.0000001" >>"$tmp/budget.conf"
fetch_into budget budget
before=$(stats)
expect_aidigest 2 "rank over budget" budget budget -- rank --date 2025-03-10 --format json
after=$(stats)
if [ "$after" -eq "$before" ]; then ok; else bad "over budget, $((after - before)) calls were made"; fi
expect_grep "$tmp/err" "budget" "the run says the budget stopped it"

# 8. no judges at all: the heuristic panel, no network, exit 0
conf none
fetch_into none none
expect_aidigest 0 "rank with no judges" none none -- rank --date 2025-03-10 --format json
expect_json "the heuristic panel" '
assert not r["degraded"]
assert r["cost"]["requests"] == 0
assert sum(s["selected"] for s in r["stories"]) == 10
'
expect_aidigest 64 "rank with a bad date" panel main -- rank --date tomorrow
expect_aidigest 64 "rank with a bad format" panel main -- rank --format xml

# OpenAI reasoning models get max_completion_tokens and no temperature:
# known by name, or by `reasoning = yes`; `reasoning = no` sends the old
# parameters, which such a model refuses
conf reason "r1:openai:o3-mini" "r2:openai:gpt-5-mini"
fetch_into reason reason
expect_aidigest 0 "rank with two reasoning models" reason reason -- rank --date 2025-03-10 --format json
expect_json "both reasoning judges answered" '
llm = [j for j in r["judges"] if j["name"] in ("r1", "r2")]
assert [j["status"] for j in llm] == ["ok", "ok"], r["judges"]
assert r["cost"]["requests"] >= 2, r["cost"]'
sed 's/^model = o3-mini$/model = o3-mini\nreasoning = no/' "$tmp/reason.conf" >"$tmp/reason-no.conf"
fetch_into reason-no reason-no
expect_aidigest 2 "a reasoning model sent max_tokens" reason-no reason-no -- rank --date 2025-03-10
expect_grep "$tmp/err" "judge r1 failed: HTTP 400: Unsupported parameter: 'max_tokens'" "the refusal is named"
sed 's/^model = o3-mini$/model = o3-mini\nreasoning = sometimes/' "$tmp/reason.conf" >"$tmp/reason-bad.conf"
expect_aidigest 1 "a bad reasoning value" reason-bad reason -- rank --date 2025-03-10
expect_grep "$tmp/err" "reasoning is auto, yes or no, not 'sometimes'" "the bad value is named"

# the progress line: on a terminal only
if command -v script >/dev/null 2>&1; then
	conf progress "p1:openai:fair" "p2:anthropic:fair"
	fetch_into progress progress
	script -qec "timeout 120 '$bin' -c '$tmp/progress.conf' --feeds '$tmp/feeds.txt' --db '$tmp/progress.db' rank --date 2025-03-10" \
		/dev/null >"$tmp/tty.out" 2>&1 </dev/null
	if tr '\r' '\n' <"$tmp/tty.out" | grep -q '^aidigest: rank: [0-9]*/[0-9]* requests, 0 failed'; then ok; else
		bad "no rank progress line on a terminal: $(head -c 300 "$tmp/tty.out")"; fi
	fetch_into progress2 progress
	before=$(stats)
	timeout 120 "$bin" -c "$tmp/progress.conf" --feeds "$tmp/feeds.txt" --db "$tmp/progress2.db" \
		rank --date 2025-03-10 >/dev/null 2>"$tmp/err"
	after=$(stats)
	# it asked the judges, and said nothing of it on a file
	if [ "$after" -gt "$before" ]; then ok; else bad "the rank without a terminal made no requests"; fi
	expect_no_grep "$tmp/err" 'requests, 0 failed' "a rank progress line when stderr is not a terminal"
else
	echo "rank: the progress test skipped (script(1) absent)"
fi

# terminal escapes in a feed never reach people raw: a title that sets
# the terminal's title and rings its bell, and a C1 control
cat >"$tmp/esc.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Esc</title><link>https://esc.example/</link><description>x</description>
<item><title>LLM release &#x1b;]0;PWNED&#x07; with &#x9b;31m colour</title><link>https://esc.example/1</link>
<guid>esc-1</guid><pubDate>Mon, 10 Mar 2025 05:00:00 GMT</pubDate><description>A model &#x1b;[2J wiped the screen.</description></item>
</channel></rss>
EOF
echo "blog esc file://$tmp/esc.xml" >"$tmp/esc-feeds.txt"
printf '[digest]\ntimezone = +09:00\n' >"$tmp/esc.conf"
timeout 60 "$bin" -q -c "$tmp/esc.conf" --feeds "$tmp/esc-feeds.txt" --db "$tmp/esc.db" fetch >/dev/null 2>&1
# raw_controls FILE: the lines with an ESC, BEL or CSI (C2 9B) byte
raw_controls() {
	LC_ALL=C grep -c -e "$(printf '\033')" -e "$(printf '\007')" -e "$(printf '\302\233')" "$1"
}
for form in "items --date 2025-03-10" "rank --date 2025-03-10"; do
	# shellcheck disable=SC2086 # the command's words
	expect_exit 0 "$form with escapes in a title" -- "$bin" -c "$tmp/esc.conf" --db "$tmp/esc.db" $form
	n=$(raw_controls "$tmp/out")
	if [ "$n" = 0 ]; then ok; else bad "$form printed $n lines with raw control characters"; fi
	expect_grep "$tmp/out" "PWNED" "$form keeps the visible text"
done
id=$("$bin" -c "$tmp/esc.conf" --db "$tmp/esc.db" items --date 2025-03-10 | head -1 | cut -f1)
expect_exit 0 "rank --explain with escapes" -- "$bin" -c "$tmp/esc.conf" --db "$tmp/esc.db" rank --date 2025-03-10 --explain "$id"
n=$(raw_controls "$tmp/out")
if [ "$n" = 0 ]; then ok; else bad "rank --explain printed raw control characters"; fi
expect_exit 0 "parse with escapes" -- "$bin" parse "$tmp/esc.xml"
n=$(raw_controls "$tmp/out")
if [ "$n" = 0 ]; then ok; else bad "parse printed raw control characters"; fi

suite_end
