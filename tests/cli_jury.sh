#!/bin/sh
# `aidigest jury` and [panel] weights = editor end to end: a feed of
# sixteen small days, a panel of three LLM judges from the fake LLM server
# (tests/llm_server.py: a fair judge, a copy of it, one that answers at
# random) and a heuristic one; runs publish the days, the editor drops and
# pins on some, and the jury's figures are held against kappas computed
# here from each day's `rank --format json`. Ends with "N passed, N failed".
suite=jury
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
test_seconds=60
suite_needs_python3
start_server llm tests/llm_server.py
wait_servers llm
llm="$(server_url llm)/v1"
export AIDIGEST_TEST_LLM_KEY=test-key

# The feed: ten items a day from 2026-10-01 to 2026-10-16 (12:00 to 21:00
# KST), titles of made-up words (no two tell the same event), each with
# its true value for the fair judges.
python3 - "$tmp/days.xml" <<'EOF'
import hashlib, sys
syl = ["ka", "ro", "mi", "te", "su", "la", "no", "pi", "ve", "zu",
       "do", "ha", "ne", "qi", "bo", "fa", "ly", "xe", "wu", "go"]
def word(i):
    h = hashlib.sha256(str(i).encode()).digest()
    return "".join(syl[b % len(syl)] for b in h[:3]).capitalize()
out = ['<?xml version="1.0" encoding="UTF-8"?>',
       '<rss version="2.0"><channel><title>Days</title>'
       '<link>https://days.example/</link><description>x</description>']
k = 0
for d in range(16):
    for i in range(10):
        k += 1
        title = " ".join(word(k * 10 + j) for j in range(4)) + " model"
        text = ("A report on " + " ".join(word(k * 10 + 5 + j) for j in range(6))
                + " for LLM agents. [q=%d]" % ((k * 7) % 10 + 1))
        out.append('<item><title>%s</title><link>https://days.example/%d</link>'
                   '<guid>d%d</guid><pubDate>%02d Oct 2026 %02d:00:00 GMT</pubDate>'
                   '<description>%s</description></item>'
                   % (title, k, k, d + 1, 3 + i, text))
out.append("</channel></rss>")
open(sys.argv[1], "w").write("\n".join(out) + "\n")
EOF
echo "blog days file://$tmp/days.xml" >"$tmp/feeds.txt"

# conf NAME [LINE...]: the panel, with the lines added to [panel]
conf() {
	out=$tmp/$1.conf
	shift
	{
		printf '[digest]\ntimezone = +09:00\n'
		for j in fair:fair echo:copy-fair dice:random; do
			printf '[judge.%s]\nprovider = openai\nbase_url = %s\n' "${j%%:*}" "$llm"
			printf 'model = %s\napi_key_env = AIDIGEST_TEST_LLM_KEY\ntimeout = 5\n' "${j#*:}"
		done
		printf '[judge.recency]\nprovider = heuristic\nmodel = recency\n'
		printf '[panel]\ntop = 4\nquota = 1\nverify = no\nseed = 3\n'
		for l in "$@"; do echo "$l"; done
	} >"$out"
}
conf jury
conf editor "weights = editor"

# day N: 2026-10-0N or 2026-10-NN
day() {
	printf '2026-10-%02d' "$1"
}

# publish N [CONF]: run the day, then keep its ranking as $tmp/rank-N.json
publish() {
	expect_aidigest 0 "run $(day "$1")" "${2:-jury}" j -- --out "$tmp/blog" run --date "$(day "$1")"
	cp "$tmp/err" "$tmp/run-$1.err"
	expect_aidigest 0 "rank $(day "$1")" "${2:-jury}" j -- rank --date "$(day "$1")" --format json
	cp "$tmp/out" "$tmp/rank-$1.json"
}

# story WHICH N: a story id of day N's ranking: the best selected one
# ("selected") or the worst not selected ("left")
story() {
	python3 -c '
import json, sys
ss = json.load(open(sys.argv[1]))["stories"]
if sys.argv[2] == "selected":
    print([s["id"] for s in ss if s["selected"]][0])
else:
    print([s["id"] for s in ss if not s["selected"]][-1])' "$tmp/rank-$2.json" "$1"
}

# expect_jury WHAT FIRST LAST [PYTHON]: the jury's JSON in $tmp/out against
# the kappas of the days FIRST..LAST computed here from their rankings
# (each judge's m best, ties by id, against the final selection), and the
# weights as pool_editor_weights gives them; then PYTHON, with w the
# weights computed here by name
expect_jury() {
	if python3 - "$tmp" "$2" "$3" "$tmp/out" 2>"$tmp/py.err" <<EOF; then ok; else bad "$1: $(tail -n 3 "$tmp/py.err")"; fi
import json, math, sys
tmp, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
r = json.load(open(sys.argv[4]))

def top(scores, m):
    ranked = sorted((-v, i) for i, v in scores.items() if v is not None)
    return {i for _, i in ranked[:m]}

def kappa(t):
    n = sum(t)
    if n == 0:
        return None
    both, first_only, second_only, neither = t
    po = (both + neither) / n
    pa, pb = (both + first_only) / n, (both + second_only) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return None if pe >= 1 else (po - pe) / (1 - pe)

def count(t, mine, editor, among):
    for i in among:
        a, b = i in mine, i in editor
        t[0 if a and b else 1 if a else 2 if b else 3] += 1

tables, days, stories, llm = {}, {}, {}, {}
pool, ndays, nstories, picked = [0, 0, 0, 0], 0, 0, 0
for d in range(first, last + 1):
    rk = json.load(open("%s/rank-%d.json" % (tmp, d)))
    ss = rk["stories"]
    editor = {s["id"] for s in ss if s["selected"]}
    m = len(editor)
    ndays += 1
    nstories += len(ss)
    picked += any(s["why"] in ("dropped by the editor", "pinned by the editor") for s in ss)
    count(pool, top({s["id"]: s["score"] for s in ss}, m), editor,
          [s["id"] for s in ss])
    for j in rk["judges"]:
        name = j["name"]
        llm[name] = j["provider"] != "heuristic"
        sc = {s["id"]: s["judges"].get(name) for s in ss}
        among = [i for i, v in sc.items() if v is not None]
        if not among:
            continue
        t = tables.setdefault(name, [0, 0, 0, 0])
        days[name] = days.get(name, 0) + 1
        stories[name] = stories.get(name, 0) + len(among)
        count(t, top(sc, m), editor, among)

def near(a, b):
    return (a is None and b is None) or (
        a is not None and b is not None and abs(a - b) < 1e-9)

ks = {n: kappa(t) for n, t in tables.items()}
w = {n: 1.0 for n in tables}
counted = [n for n in tables if llm[n] and days[n] >= 14 and ks[n] is not None]
status = "few_days"
if counted:
    mean = sum(ks[n] for n in counted) / len(counted)
    status = "ok" if mean > 0 else "no_signal"
    if mean > 0:
        for n in counted:
            w[n] = min(2.0, max(0.5, ks[n] / mean))

assert r["days"] == ndays, (r["days"], ndays)
assert r["stories"] == nstories, (r["stories"], nstories)
assert r["to"] == "2026-10-%02d" % last, r["to"]
assert sorted(j["name"] for j in r["judges"]) == sorted(tables), r["judges"]
for j in r["judges"]:
    n = j["name"]
    assert j["llm"] == llm[n], j
    assert j["days"] == days[n] and j["stories"] == stories[n], (j, days[n], stories[n])
    assert near(j["editor_kappa"], ks[n]), (j, ks[n])
    assert near(j["weight"], w[n]), (j, w[n])
assert near(r["pool"]["editor_kappa"], kappa(pool)), (r["pool"], kappa(pool))
assert r["weights"]["status"] == status, (r["weights"], status)
assert r["weights"]["min_days"] == 14
assert r["editor"]["days_picked"] == picked, (r["editor"], picked)
assert r["editor"]["days_let_stand"] == ndays - picked, r["editor"]
$4
EOF
}

# 1. five days published, the editor's word on two of them, each re-run
for n in 1 2 3 4 5; do publish "$n"; done
expect_aidigest 0 "pick: drop on day 2" jury j -- pick --date "$(day 2)" --drop "$(story selected 2)"
expect_aidigest 0 "pick: pin on day 4" jury j -- pick --date "$(day 4)" --pin "$(story left 4)"
publish 2
publish 4
# a re-run without picks replaces the day's record with the same
publish 3
python3 -c '
import json, sys
t = sys.argv[1]
assert any(s["why"] == "dropped by the editor" for s in json.load(open(t + "/rank-2.json"))["stories"])
assert any(s["why"] == "pinned by the editor" for s in json.load(open(t + "/rank-4.json"))["stories"])
' "$tmp" 2>"$tmp/py.err" && ok || bad "the picks are not in the rankings: $(tail -n 2 "$tmp/py.err")"

expect_aidigest 0 "jury over five days" jury j -- jury --date "$(day 5)" --format json
expect_jury "jury over five days, as computed from the rankings" 1 5 '
assert r["from"] == "2026-09-06", r["from"]
assert r["weights"]["days"] == 5 and not r["weights"]["applied"], r["weights"]
assert r["editor"] == {"days_picked": 2, "days_let_stand": 3, "drops": 1, "pins": 1}, r["editor"]
assert all(j["weight"] == 1 for j in r["judges"])
'
expect_aidigest 0 "jury --days 2" jury j -- jury --date "$(day 5)" --days 2 --format json
expect_jury "jury over the last two days" 4 5 '
assert r["from"] == "2026-10-04", r["from"]
'
expect_aidigest 0 "jury as a table" jury j -- jury --date "$(day 5)"
expect_grep "$tmp/out" "9 more days before weights = editor takes effect" "the table: days still missing"
expect_grep "$tmp/out" "on 2 days (1 drop, 1 pin) and let 3 days stand" "the table: the editor's days"
expect_grep "$tmp/out" "^dice  *LLM  *5  *50 " "the table: a judge's days and stories"
expect_grep "$tmp/out" "^recency  *heuristic" "the table: the heuristic judge"
expect_aidigest 0 "jury before any record" jury j -- jury --date 2026-09-30 --format json
expect_json "no day, no kappa" '
assert r["days"] == 0 and r["stories"] == 0 and r["judges"] == [], r
assert r["pool"]["editor_kappa"] is None
assert r["weights"]["status"] == "few_days"
'

# 2. weights = editor under 14 days: every factor 1, and it says why
publish 6 editor
expect_grep "$tmp/run-6.err" "weights = editor: 5 of 14 days recorded, judges weighted as configured" \
	"the run says why the weights are as configured"
expect_json "the factors before the minimum" '
assert [j["editor_weight"] for j in r["judges"]] == [1, 1, 1, 1], r["judges"]
'
expect_aidigest 0 "rank with weights = config" jury j -- rank --date "$(day 6)" --format json
expect_json "editor_weight is null under weights = config" '
assert all(j["editor_weight"] is None for j in r["judges"]), r["judges"]
'

# 3. fifteen days: the weights take effect
for n in 7 8 9 10 11 12 13 14 15; do publish "$n"; done
expect_aidigest 0 "jury over fifteen days" editor j -- jury --date "$(day 15)" --format json
cp "$tmp/out" "$tmp/jury-15.json"
expect_jury "jury over fifteen days, as computed from the rankings" 1 15 '
assert r["weights"] == {"status": "ok", "min_days": 14, "days": 15, "applied": True}, r["weights"]
# the fair judge and its copy agree with the editor; the random one not
assert w["fair"] > 1 > w["dice"], w
assert w["recency"] == 1
'
expect_aidigest 0 "jury table, weights in effect" editor j -- jury --date "$(day 15)"
expect_grep "$tmp/out" "multiplies each LLM judge's configured weight" "the table: the weights in effect"

# the next day ranked under weights = editor: the factors are the jury's
# of the days before it, and the pooled scores move
expect_aidigest 0 "rank day 16, weights = config" jury j -- rank --date "$(day 16)" --format json
cp "$tmp/out" "$tmp/config-16.json"
expect_aidigest 0 "rank day 16, weights = editor" editor j -- rank --date "$(day 16)" --format json
expect_grep "$tmp/err" "weights = editor: over 15 days with the editor: fair x" "rank says the weights it took"
expect_json "the factors are the jury's" '
jury = {j["name"]: j["weight"] for j in json.load(open(sys.argv[1].replace("/out", "/jury-15.json")))["judges"]}
got = {j["name"]: j["editor_weight"] for j in r["judges"]}
assert got == jury, (got, jury)
assert [j["weight"] for j in r["judges"]] == [1, 1, 1, 1]
before = {s["id"]: s["score"] for s in json.load(open(sys.argv[1].replace("/out", "/config-16.json")))["stories"]}
after = {s["id"]: s["score"] for s in r["stories"]}
assert before.keys() == after.keys()
assert any(abs(before[i] - after[i]) > 1e-6 for i in before), "the pooled scores did not move"
'

# the editor's page shows the same jury, with the weights in use
expect_aidigest 0 "the editor's page of day 16" editor j -- preview --date "$(day 16)" --html
expect_grep "$tmp/out" 'id="jury-days">15<' "the page: the days the jury rests on"
if python3 - "$tmp/out" "$tmp/jury-15.json" <<'PY'; then ok; else bad "the page's jury differs from jury --format json"; fi
import json, re, sys
page = open(sys.argv[1]).read()
jury = json.load(open(sys.argv[2]))
sec = page[page.index('<section id="jury">'):]
sec = sec[:sec.index("</section>")]
for j in jury["judges"]:
    k = "-" if j["editor_kappa"] is None else "%.2f" % j["editor_kappa"]
    row = re.search(r'<td class="judge">%s</td><td>[^<]*</td><td class="n">%d</td><td class="n">%s</td><td class="n">%.2f' % (re.escape(j["name"]), j["days"], re.escape(k), j["weight"]), sec)
    assert row, (j, sec)
PY

# 4. usage errors
expect_aidigest 64 "jury --days 0" jury j -- jury --days 0
expect_grep "$tmp/err" "jury: --days wants a number from 1 to 3650, not '0'" "--days 0 says why"
expect_aidigest 64 "jury --format csv" jury j -- jury --format csv
expect_aidigest 64 "jury --date nonsense" jury j -- jury --date nonsense
printf '[panel]\nweights = judges\n' >"$tmp/bad.conf"
expect_aidigest 1 "a bad [panel] weights" bad j -- jury
expect_grep "$tmp/err" "bad.conf:2: \[panel\] weights is config or editor, not 'judges'" "the bad value's line"

suite_end
