#!/bin/sh
# `aidigest run` and `preview` end to end: the demo day served by the
# loopback feed server (tests/http_server.py), judges and the writer from
# the fake LLM server (tests/llm_server.py). Ends with "N passed, N failed".
suite=run
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
test_seconds=120
suite_needs_python3

# The day: the demo's feeds, one feed whose title tries to break the
# front-matter, and a second day that links a story of the first again.
mkdir -p "$tmp/feeds"
cp tests/fixtures/demo/*.xml tests/fixtures/demo/*.json tests/fixtures/demo/*.atom "$tmp/feeds/"
cat >"$tmp/feeds/inject.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Injector</title><link>https://inject.example/</link><description>x</description>
<item><title>LLM model release: a "quote"&#10;---&#10;title: pwned</title><link>https://inject.example/post</link>
<pubDate>Thu, 20 Nov 2026 04:00:00 GMT</pubDate>
<description>A new LLM model with open weights and a benchmark of agents. ![x](javascript:alert(1)) &lt;script&gt;alert(1)&lt;/script&gt; https://evil.example/</description></item>
</channel></rss>
EOF
cat >"$tmp/feeds/day2.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Day two</title><link>https://day2.example/</link><description>x</description>
<item><title>Northwind-7 one day later: first impressions</title><link>https://northwind.example.ai/blog/northwind-7</link>
<guid>day2-1</guid><pubDate>Fri, 21 Nov 2026 02:00:00 GMT</pubDate><description>Users compare the model.</description></item>
<item><title>A new tokenizer library for Korean text</title><link>https://day2.example/tokenizer</link>
<guid>day2-2</guid><pubDate>Fri, 21 Nov 2026 03:00:00 GMT</pubDate><description>It splits Hangul syllables for LLM training.</description></item>
</channel></rss>
EOF

start_server feeds tests/http_server.py AIDIGEST_FEEDS_DIR="$tmp/feeds"
start_server llm tests/llm_server.py
wait_servers feeds llm
feeds="$(server_url feeds)/feed"
llm="$(server_url llm)/v1"
export AIDIGEST_TEST_LLM_KEY=test-key

cat >"$tmp/feeds.txt" <<EOF
blog northwind $feeds/lab-blog.xml weight=1.5
blog meridian $feeds/deep-lab.xml weight=1.5
paper arxiv $feeds/arxiv-cs-cl.xml
paper hf-papers $feeds/hf-papers.json format=hf-papers
release fastserve $feeds/releases.atom
community hnrss $feeds/hn.xml
community hn-algolia $feeds/hn-algolia.json format=hn-algolia
news aitimes $feeds/aitimes.xml tz=+09:00
news geeknews $feeds/geeknews.xml
tweet northwind-x $feeds/tweets.xml
blog injector $feeds/inject.xml weight=5
blog day2 $feeds/day2.xml
EOF
base_conf='[digest]
timezone = +09:00
[panel]
top = 8'
printf '%s\n' "$base_conf" >"$tmp/heuristic.conf"

# run WANT DESCRIPTION CONF DB BLOG -- ARGS...: aidigest with
# $tmp/CONF.conf, $tmp/DB.db and --out $tmp/BLOG exits WANT
run() {
	want=$1 what=$2 conf=$3 db=$4 blog=$5
	shift 6
	expect_aidigest "$want" "$what" "$conf" "$db" -- --out "$tmp/$blog" "$@"
}

# 1. heuristic panel and extractive writer: the whole run
run 0 "run with the heuristic panel" heuristic h blog -- run --date 2026-11-20
post=$(cat "$tmp/out")
case $post in "$tmp"/blog/content/posts/2026-11-20-ai-news/index.md) ok ;; *) bad "the post's path: '$post'" ;; esac
expect_grep "$tmp/err" "writer: extractive" "the run summary names the writer"
expect_grep "$tmp/err" "selected; judges: 5" "the run summary names the judges"
store_links heuristic h 2026-11-20
check_post "$post" "the post's structure, Korean text, links and front-matter"
expect_grep "$post" 'quote' "the injector's story is in the post"
cp "$post" "$tmp/first.md"
expect_grep "$post" "^update: 2026-11-20$" "the first publication's update is its date"

# the injector's story as the headline: its title goes into the
# front-matter, and stays one scalar there
echo "blog injector $feeds/inject.xml" >"$tmp/inject.txt"
expect_exit 0 "run with the injector alone" -- "$bin" -c "$tmp/heuristic.conf" --feeds "$tmp/inject.txt" \
	--db "$tmp/inj.db" --out "$tmp/injblog" run --date 2026-11-20
if python3 - "$(cat "$tmp/out")" <<'EOF'; then ok; else bad "the front-matter kept an injected title as one scalar"; fi
import sys
fm = open(sys.argv[1], encoding="utf-8").read()[4:].split("\n---\n", 1)[0]
lines = fm.splitlines()
titles = [l for l in lines if l.startswith("title:")]
assert len(titles) == 1, lines
# the feed's newlines are gone by now (plain text); the quotes are escaped
assert '\\"quote\\"' in titles[0] and "title: pwned" in titles[0], titles[0]
assert not any(l.startswith("title: pwned") for l in lines)
EOF

# 1a. the demo day (make demo) as a reader sees it: one story per event in
# any language, no hiring post, no arXiv boilerplate, sources by name
sed "s#@DEMO@#$PWD/tests/fixtures/demo#g" tests/fixtures/demo/feeds.txt.in >"$tmp/demo-feeds.txt"
expect_exit 0 "the demo day" -- "$bin" -c tests/fixtures/demo/aidigest.conf --feeds "$tmp/demo-feeds.txt" \
	--db "$tmp/demo.db" --out "$tmp/demoblog" run --date 2026-11-20
demo=$(cat "$tmp/out")
n=$(grep -c '^- \*\*.*\(KoLegalBench\|Korean Legal Reasoning\|한국어 법률 추론\)' "$demo")
if [ "$n" -eq 1 ]; then ok; else bad "the demo day: KoLegalBench is in the Overview $n times"; fi
n=$(grep -c '^- \*\*.*\(Northwind-7\|노스윈드\)' "$demo")
if [ "$n" -eq 1 ]; then ok; else bad "the demo day: Northwind-7 is in the Overview $n times"; fi
expect_no_grep "$demo" "hiring" "the demo day: no hiring post"
expect_no_grep "$demo" "Announce Type" "the demo day: no arXiv boilerplate"
expect_grep "$demo" "(\[Northwind AI Blog\](https://northwind" "the demo day: a link's text is its source's name"
expect_no_grep "$demo" "(\[northwind\](" "the demo day: no feed slug as a link's text"

# 2. a re-run of the same day: unchanged, then forced: the same bytes
run 0 "a re-run" heuristic h blog -- run --date 2026-11-20
expect_grep "$tmp/err" "unchanged, not written again" "an unchanged post is left alone"
run 0 "a forced re-run" heuristic h blog -- run --date 2026-11-20 --force
expect_same "$post" "$tmp/first.md" "a forced re-run of the same day"
# the first date is kept when a day is published again
python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE digests SET first_date = ? WHERE date = ?", ("2026-11-19", "2026-11-20"))
db.commit()' "$tmp/h.db"
run 0 "a re-run after the first date" heuristic h blog -- run --date 2026-11-20 --force
expect_grep "$post" "^date: 2026-11-19$" "date kept from the first publication"
today=$(TZ=Asia/Seoul date +%Y-%m-%d)
expect_grep "$post" "^update: $today$" "a later publication's update is the day it was written"

# 3. stories an earlier day carried are not repeated
run 0 "the next day" heuristic h blog -- run --date 2026-11-21
post2=$(cat "$tmp/out")
expect_grep "$post2" "tokenizer" "the next day's new story"
expect_no_grep "$post2" "northwind.example.ai/blog/northwind-7" "a story of the day before is repeated"
run 0 "rank of the next day" heuristic h blog -- rank --date 2026-11-21 --format json
expect_json "rank says which story an earlier day published" '
w = {s["title"]: s["why"] for s in r["stories"]}
t = [k for k in w if "Northwind-7" in k]
assert t and all(w[k] == "published before" for k in t), w'

# 4. the lock keeps a second run out
python3 -c '
import fcntl, os, sys, time
fd = os.open(sys.argv[1] + "/.aidigest.lock", os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
os.write(fd, b"99999\n")
open(sys.argv[1] + "/.held", "w").close()
time.sleep(10)' "$tmp" &
holder=$!
tries=0
while [ ! -e "$tmp/.held" ] && [ $tries -lt 50 ]; do sleep 0.1; tries=$((tries + 1)); done
run 1 "a second run while one holds the lock" heuristic h blog -- run --date 2026-11-20 --force
expect_grep "$tmp/err" "another aidigest run holds the lock in $tmp" "the lock's message names the state's folder"
if [ -e "$tmp/blog/.aidigest.lock" ]; then bad "the lock is left in the blog"; else ok; fi
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

# 5. --dry-run writes nothing; preview publishes nothing
run 0 "a dry run" heuristic h dry -- run --date 2026-11-20 --dry-run
if [ -e "$tmp/dry/content" ]; then bad "--dry-run wrote a post"; else ok; fi
run 0 "preview" heuristic h none -- preview --date 2026-11-20
expect_grep "$tmp/out" "^## Today's Overview" "preview prints the post"
if [ -e "$tmp/none" ]; then bad "preview wrote into --out"; else ok; fi
run 0 "preview --html" heuristic h none -- preview --date 2026-11-20 --html
expect_grep "$tmp/out" "<h2>Today's Preview</h2>" "an HTML page"
expect_no_grep "$tmp/out" "<script>" "raw HTML from a feed in the page"

# 6. presets
printf '[digest]\ntimezone = +09:00\npreset = hugo\n[panel]\ntop = 8\n' >"$tmp/hugo.conf"
run 0 "hugo" hugo h hugo -- run --date 2026-11-20
expect_grep "$tmp/out" "content/posts/2026-11-20-ai-news.md$" "hugo's path"
expect_grep "$(cat "$tmp/out")" "^draft: false$" "hugo's front-matter"
expect_grep "$(cat "$tmp/out")" "^lastmod: " "hugo's lastmod"
printf '[digest]\ntimezone = +09:00\npreset = jekyll\n[panel]\ntop = 8\n' >"$tmp/jekyll.conf"
run 0 "jekyll" jekyll h jekyll -- run --date 2026-11-20
expect_grep "$tmp/out" "_posts/2026-11-20-ai-news.md$" "jekyll's file name"
expect_grep "$(cat "$tmp/out")" "^layout: post$" "jekyll's layout"
expect_grep "$(cat "$tmp/out")" "^date: 2026-11-19$" "jekyll's date, a day (the first date, kept)"

# 7. LLM judges and an LLM writer that puts URLs into its text
cat >"$tmp/llm.conf" <<EOF
$base_conf
[judge.a]
provider = openai
base_url = $llm
model = fair-noise1
api_key_env = AIDIGEST_TEST_LLM_KEY
[judge.b]
provider = anthropic
base_url = $llm
model = position-noise1
api_key_env = AIDIGEST_TEST_LLM_KEY
[writer]
provider = openai
base_url = $llm
model = writer-urls
api_key_env = AIDIGEST_TEST_LLM_KEY
EOF
run 0 "run with LLM judges and writer" llm l llmblog -- run --date 2026-11-20
expect_grep "$tmp/err" "writer: LLM" "the LLM wrote"
llmpost=$(cat "$tmp/out")
cp "$llmpost" "$tmp/llm-first.md"
store_links llm l 2026-11-20
check_post "$llmpost" "the LLM-written post"
if python3 -c '
import re, sys
body = open(sys.argv[1], encoding="utf-8").read().split("\n---\n", 1)[1]
# every URL in the text is a link target from the store, none from the writer
text = re.sub(r"\]\([^)]*\)", "]", body)
assert "http" not in text and "www." not in text, [l for l in text.splitlines() if "http" in l or "www." in l][:3]
' "$llmpost"; then ok; else bad "a URL from the writer's text reached the post"; fi

# 7a. a re-run pays for neither the judging nor the writing again
writer_calls() {
	server_stats llm 'd["by_model"].get("writer-urls", 0)' 'd["requests"]'
}
before=$(writer_calls)
run 0 "re-run with LLM judges and writer" llm l llmblog -- run --date 2026-11-20 --force
after=$(writer_calls)
if [ "$before" = "$after" ]; then ok; else bad "the re-run called the LLM server again: before $before, after $after (writer calls, all calls)"; fi
expect_grep "$tmp/err" "writer: LLM (cached)" "the run says the writing came from the cache"
# shellcheck disable=SC2016 # a $ in the pattern, escaped for grep
expect_grep "$tmp/err" 'cost \$0.0000' "the re-run cost nothing"
grep -v '^update:' "$llmpost" >"$tmp/llm-again.body"
grep -v '^update:' "$tmp/llm-first.md" >"$tmp/llm-first.body"
expect_same "$tmp/llm-again.body" "$tmp/llm-first.body" "the cached writing"

# 7b. judges that spend the budget leave the writing to the extractive writer
sed 's/^\(model = .*noise1\|model = writer-urls\)$/\1\nprice_in = 0.15\nprice_out = 0.60/' "$tmp/llm.conf" >"$tmp/llmbudget.conf"
printf '[budget]\nmax_usd = 0.0000001\n' >>"$tmp/llmbudget.conf"
run 2 "run over budget" llmbudget lb lbblog -- run --date 2026-11-20
expect_grep "$tmp/err" "writer: the budget has .* left, less than the writer's call may cost" "the run says why the writer is extractive"
expect_grep "$tmp/err" "writer: extractive" "the extractive writer wrote"
lbpost=$(cat "$tmp/out")
if [ -f "$lbpost" ]; then check_post "$lbpost" "the post written over budget"; else bad "no post over budget: $lbpost"; fi

# 8. publishing killed at random moments leaves the post whole
cp "$post" "$tmp/ref.md"
i=0
while [ $i -lt 20 ]; do
	"$bin" -q -c "$tmp/heuristic.conf" --feeds "$tmp/feeds.txt" --db "$tmp/h.db" \
		--out "$tmp/blog" run --date 2026-11-20 --force >/dev/null 2>&1 &
	victim=$!
	sleep "0.$(awk -v s=$i 'BEGIN { srand(s + 7); printf "%03d", int(rand() * 250) }')"
	kill -9 "$victim" 2>/dev/null
	wait "$victim" 2>/dev/null
	if ! cmp -s "$post" "$tmp/ref.md"; then
		bad "kill -9 number $((i + 1)) left the post different or partial"
		break
	fi
	i=$((i + 1))
done
[ $i -eq 20 ] && ok

# 9. the panel checks the writer's texts against their sources
# kinds: the LLM server's requests so far, by kind: "VERIFY REWRITE WRITE RANK"
kinds() {
	server_stats llm 'd["by_kind"]["verify"]' 'd["by_kind"]["rewrite"]' 'd["by_kind"]["write"]' 'd["by_kind"]["rank"]'
}
# vconf NAME WRITER JUDGE-MODEL... : judges j1, j2, ... on alternating APIs
vconf() {
	name=$1
	writer=$2
	shift 2
	{
		printf '%s\n' "$base_conf"
		n=0
		for m in "$@"; do
			n=$((n + 1))
			if [ $((n % 2)) -eq 0 ]; then p=anthropic; else p=openai; fi
			printf '[judge.j%d]\nprovider = %s\nbase_url = %s\nmodel = %s\napi_key_env = AIDIGEST_TEST_LLM_KEY\n' "$n" "$p" "$llm" "$m"
		done
		printf '[writer]\nprovider = openai\nbase_url = %s\nmodel = %s\napi_key_env = AIDIGEST_TEST_LLM_KEY\n' "$llm" "$writer"
	} >"$tmp/$name.conf"
}
no_plants() {
	if grep -q -e '73\.4' -e '9876' -e '4321' "$1"; then
		bad "$2: a planted claim was published: $(grep -e '73\.4' -e '9876' -e '4321' "$1" | head -3)"
	else ok; fi
}

# 9a. invented figures in two summaries, the intro and the viewpoint;
# two judges catch them, one misses: rewritten, then supported
vconf v1 writer-planted fair-noise1 position-noise1 fair-vmiss
before=$(kinds)
run 0 "run with a writer that invents facts" v1 v1 v1blog -- run --date 2026-11-20
after=$(kinds)
v1post=$(cat "$tmp/out")
expect_grep "$tmp/err" "verification: 10 checked, 6 supported first time, 4 rewritten, 0 replaced" "the run counts what was checked, rewritten and replaced"
if [ -f "$v1post" ]; then
	no_plants "$v1post" "writer-planted"
	check_post "$v1post" "the verified post"
	expect_grep "$v1post" '원문 요약' "the rewritten summaries in the post"
else bad "no post: $v1post"; fi
# shellcheck disable=SC2086 # split into its counts
set -- $before
b_verify=$1 b_rewrite=$2
# shellcheck disable=SC2086
set -- $after
# one batch per judge, then one more per judge for the four rewrites
if [ $(($1 - b_verify)) -eq 6 ] && [ $(($2 - b_rewrite)) -eq 1 ]; then ok; else bad "verification requests: $(($1 - b_verify)) votes and $(($2 - b_rewrite)) rewrites, want 6 and 1"; fi
"$bin" -c "$tmp/v1.conf" --db "$tmp/v1.db" verify --date 2026-11-20 --format json >"$tmp/v1.json" 2>"$tmp/v1.err"
if python3 - "$tmp/v1.json" <<'PY'; then ok; else bad "verify --format json: $(head -c 600 "$tmp/v1.json")"; fi
import json, sys
d = json.load(open(sys.argv[1]))
assert d["verified"] is True
assert (d["checked"], d["supported_first"], d["rewritten"], d["replaced"]) == (10, 6, 4, 0), d
assert d["requests"] == 0, "verify re-asked the judges: %r" % d["requests"]
out = {s["id"]: s for s in d["summaries"]}
assert out["intro"]["outcome"] == "rewritten" and out["viewpoint"]["outcome"] == "rewritten"
re = [s for s in d["summaries"] if s["outcome"] == "rewritten"]
for s in re:
    no = [v for v in s["votes"] if v["supported"] is False]
    assert len(no) == 2 and all(v["problem"] for v in no), s
    assert [v["supported"] for v in s["rewrite_votes"]] == [True] * 3, s
assert all(v["cached"] for s in d["summaries"] for v in s["votes"])
PY
"$bin" -c "$tmp/v1.conf" --db "$tmp/v1.db" verify --date 2026-11-20 >"$tmp/v1.txt" 2>&1
expect_grep "$tmp/v1.txt" "^verification of 2026-11-20: 10 checked" "verify prints the counts"
expect_grep "$tmp/v1.txt" "j1: 원문에 없는 수치: 73.4" "verify prints the judges' problems"

# 9b. a re-run pays for no vote and no rewrite again
before=$(kinds)
run 0 "re-run of the verified day" v1 v1 v1blog -- run --date 2026-11-20 --force
after=$(kinds)
if [ "$before" = "$after" ]; then ok; else bad "the re-run asked the LLM server again: $before -> $after"; fi
expect_grep "$tmp/err" "4 rewritten, 0 replaced" "the re-run comes to the same verdicts"

# 9c. a writer that never fixes one story: that story falls back
vconf v2 writer-stubborn fair-noise1 position-noise1 fair-vmiss
run 0 "run with a stubborn writer" v2 v2 v2blog -- run --date 2026-11-20
expect_grep "$tmp/err" "6 supported first time, 3 rewritten, 1 replaced" "the story whose rewrite still invents is replaced"
v2post=$(cat "$tmp/out")
[ -f "$v2post" ] && no_plants "$v2post" "writer-stubborn"

# 9d. a tie is unsupported; a judge that fails verification is named
vconf v3 writer-planted fair-noise1 fair-vmiss position-noise1-vfail
run 2 "run with a judge failing verification" v3 v3 v3blog -- run --date 2026-11-20
expect_grep "$tmp/err" "judge j3 failed verification" "the failing judge is named"
expect_grep "$tmp/err" "6 supported first time, 4 rewritten, 0 replaced" "one against one is a tie, sent back"
v3post=$(cat "$tmp/out")
[ -f "$v3post" ] && no_plants "$v3post" "a tie"

# 9e. a summary that translates a glossary term goes back like a false one
cat >"$tmp/feeds/glossary.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Glossary lab</title><link>https://glossary.example/</link><description>x</description>
<item><title>A faster Transformer kernel for long contexts</title><link>https://glossary.example/kernel</link>
<pubDate>Thu, 20 Nov 2026 05:00:00 GMT</pubDate>
<description>The Transformer kernel halves attention memory on long contexts. [q=10]</description></item>
</channel></rss>
XML
{ cat "$tmp/feeds.txt"; echo "blog glossary $feeds/glossary.xml weight=5"; } >"$tmp/feeds-g.txt"
vconf v4 writer-glossary fair-noise1 position-noise1
printf '[glossary]\nterms = Transformer\n' >>"$tmp/v4.conf"
expect_exit 0 "glossary run" -- "$bin" -c "$tmp/v4.conf" --feeds "$tmp/feeds-g.txt" --db "$tmp/v4.db" \
	--out "$tmp/v4blog" run --date 2026-11-20
expect_grep "$tmp/err" "1 rewritten, 0 replaced" "the summary that lost a term was rewritten"
v4post=$(cat "$tmp/out")
if [ -f "$v4post" ]; then
	expect_no_grep "$v4post" '변환기' "the translated term was published"
	expect_grep "$v4post" 'Transformer kernel halves' "the rewritten summary in the post"
else bad "no glossary post: $v4post"; fi
"$bin" -c "$tmp/v4.conf" --db "$tmp/v4.db" verify --date 2026-11-20 >"$tmp/v4.txt" 2>&1
expect_grep "$tmp/v4.txt" "the \[glossary\] term 'Transformer' is not kept as written" "verify names the lost term"

# 9f. the budget stops verification cleanly: what no judge checked is
# the extractive writer's, never published unchecked
vconf v5 writer-planted fair-noise1 position-noise1 fair-vmiss
sed -i 's/^\(model = \(fair\|position\).*\)$/\1\nprice_in = 0.15\nprice_out = 0.60/' "$tmp/v5.conf"
printf 'Check the texts. Answer {"verdicts": []}.\n' >"$tmp/verify2.txt"
printf '[panel]\nverify_prompt = %s\n[budget]\nmax_usd = 0.000001\n' "$tmp/verify2.txt" >>"$tmp/v5.conf"
cp "$tmp/v1.db" "$tmp/v5.db"
before=$(kinds)
run 2 "verification over budget" v5 v5 v5blog -- run --date 2026-11-20 --force
after=$(kinds)
# shellcheck disable=SC2086
set -- $before
b_verify=$1
# shellcheck disable=SC2086
set -- $after
if [ "$1" -eq "$b_verify" ]; then ok; else bad "over budget, $(($1 - b_verify)) verification requests were sent"; fi
expect_grep "$tmp/err" "0 supported first time, 0 rewritten, 10 replaced (10 unverified)" "unverified texts are replaced"
expect_grep "$tmp/err" "the budget stopped verification" "the run says the budget stopped verification"
v5post=$(cat "$tmp/out")
[ -f "$v5post" ] && no_plants "$v5post" "verification over budget"

# 9g. the heuristic panel cannot verify, and says so
run 0 "heuristic run" heuristic h2 h2blog -- run --date 2026-11-20
expect_grep "$tmp/err" "verification: not verified" "the heuristic run says it is not verified"

# 10. the day: without --date, the last complete day in the digest's zone
# (a cron run at 06:30 in Seoul publishes the day that just ended);
# today and yesterday by name; a date that is not a calendar day is
# refused before anything is fetched, asked or recorded
if command -v faketime >/dev/null 2>&1; then
	# at_0630 COMMAND...: at 2026-11-21 06:30 +09:00, the clock running on
	printf '#!/bin/sh\nASAN_OPTIONS=verify_asan_link_order=0${ASAN_OPTIONS:+:$ASAN_OPTIONS} TZ=UTC FAKETIME_DONT_FAKE_MONOTONIC=1 exec faketime -f "@2026-11-20 21:30:00" "$@"\n' >"$tmp/at_0630"
	chmod +x "$tmp/at_0630"
	expect_exit 0 "run without --date at 06:30" -- "$tmp/at_0630" "$bin" -c "$tmp/heuristic.conf" \
		--feeds "$tmp/feeds.txt" --db "$tmp/clock.db" --out "$tmp/clockblog" run
	expect_grep "$tmp/out" "2026-11-20-ai-news/index.md$" "run at 06:30 publishes the day that ended"
	expect_exit 0 "preview without --date at 06:30" -- "$tmp/at_0630" "$bin" -c "$tmp/heuristic.conf" \
		--db "$tmp/clock.db" preview
	expect_grep "$tmp/out" "^date: 2026-11-20" "preview at 06:30 shows the day that ended"
	expect_exit 0 "items --date yesterday" -- "$tmp/at_0630" "$bin" -c "$tmp/heuristic.conf" \
		--db "$tmp/clock.db" items --date yesterday --format json
	expect_json "items --date yesterday is the 20th" 'assert r["date"] == "2026-11-20", r["date"]'
	expect_exit 0 "items --date today" -- "$tmp/at_0630" "$bin" -c "$tmp/heuristic.conf" \
		--db "$tmp/clock.db" items --date today --format json
	expect_json "items --date today is the 21st" 'assert r["date"] == "2026-11-21", r["date"]'
else
	echo "run: the fake clock checks skipped (faketime absent: make deps installs it)"
fi
before=$(kinds)
for d in 2026-+1-20 '2026- 1-20' 2026-02-30 2026-11-20x 20261120; do
	run 64 "run --date '$d'" llm bad badblog -- run --date "$d"
	expect_grep "$tmp/err" "--date wants YYYY-MM-DD, today or yesterday" "run --date '$d' says what a date is"
done
after=$(kinds)
if [ "$before" = "$after" ]; then ok; else bad "a refused date still asked the LLM server ($before, then $after)"; fi
if [ -e "$tmp/badblog" ]; then bad "a refused date published"; else ok; fi
runs=$(python3 -c 'import sqlite3, sys, os
p = sys.argv[1]
print(sqlite3.connect(p).execute("select count(*) from runs").fetchone()[0] if os.path.exists(p) else 0)' "$tmp/bad.db")
if [ "$runs" = 0 ]; then ok; else bad "a refused date recorded $runs runs"; fi

# 11. a post deleted by hand is written again by a re-run; a run that
# published but could not record it says so and exits 2
run 0 "a day to delete" heuristic del delblog -- run --date 2026-11-20
delpost=$(cat "$tmp/out")
rm -f "$delpost"
run 0 "a re-run after the post was deleted" heuristic del delblog -- run --date 2026-11-20
if [ -f "$delpost" ]; then ok; else bad "the deleted post was not written again"; fi
expect_no_grep "$tmp/err" "unchanged, not written again" "a deleted post is not 'unchanged'"
printf 'edited by hand\n' >"$delpost"
run 0 "a re-run after the post was edited" heuristic del delblog -- run --date 2026-11-20
expect_no_grep "$delpost" "edited by hand" "a re-run writes the day's post over a changed file"
expect_aidigest 0 "fetch before a store that refuses the record" heuristic norec -- fetch
python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("create trigger refuse_digest before insert on digests begin select raise(abort, \"database is locked\"); end")
db.commit()' "$tmp/norec.db"
run 2 "published but not recorded" heuristic norec norecblog -- run --date 2026-11-20
expect_grep "$tmp/err" "cannot record the digest: .*database is locked" "the run says the record failed"
if [ -f "$(cat "$tmp/out")" ]; then ok; else bad "the post was not published"; fi

# 12. a story's face is its most trusted item: a feed at weight 0.1 that
# copies the big story's title a minute earlier with its own link does not
# become the story's link or text
cat >"$tmp/feeds/phish.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Phish</title><link>https://phish.example/</link><description>x</description>
<item><title>Introducing Northwind-7: an open-weights model for long documents</title><link>https://phish.example/northwind-7-download</link>
<guid>phish-1</guid><pubDate>Thu, 20 Nov 2026 00:59:00 GMT</pubDate><description>Download the weights from our mirror now.</description></item>
</channel></rss>
EOF
{ cat "$tmp/feeds.txt"; echo "blog phish $feeds/phish.xml weight=0.1"; } >"$tmp/feeds-phish.txt"
expect_exit 0 "a run with a copycat feed" -- "$bin" -c "$tmp/heuristic.conf" --feeds "$tmp/feeds-phish.txt" \
	--db "$tmp/phish.db" --out "$tmp/phishblog" run --date 2026-11-20
phishpost=$(cat "$tmp/out")
expect_no_grep "$phishpost" "phish.example" "the copycat's link is not the story's"
expect_no_grep "$phishpost" "our mirror" "the copycat's text is not the story's"
expect_grep "$phishpost" "northwind.example.ai/blog/northwind-7" "the story keeps its own link"

# 13. the editor's picks: drop, pin (a story past the top), a wrong id,
# a re-run that publishes the change, clear
run 0 "a day before picks" heuristic pk pkblog -- run --date 2026-11-20
pkpost=$(cat "$tmp/out")
run 0 "rank before picks" heuristic pk pkblog -- rank --date 2026-11-20 --format json
cp "$tmp/out" "$tmp/pk0.json"
ids=$(python3 -c 'import json,sys
ss = json.load(open(sys.argv[1]))["stories"]
sel = [s for s in ss if s["selected"]]
out = [s for s in ss if not s["selected"]]
print(sel[0]["id"], out[-1]["id"], len(sel), sel[0]["links"][0], out[-1]["links"][0])' "$tmp/pk0.json")
set -- $ids
drop_id=$1 pin_id=$2 nsel=$3 drop_link=$4 pin_link=$5
run 0 "pick --drop and --pin" heuristic pk pkblog -- pick --date 2026-11-20 --drop "$drop_id" --pin "$pin_id"
run 0 "pick lists the day's picks" heuristic pk pkblog -- pick --date 2026-11-20
expect_grep "$tmp/out" "^$drop_id	drop	" "the list names the drop"
expect_grep "$tmp/out" "^$pin_id	pin	" "the list names the pin"
run 0 "rank after picks" heuristic pk pkblog -- rank --date 2026-11-20 --format json
expect_json "rank honours the picks" "
w = {s['id']: s for s in r['stories']}
assert w[$drop_id]['why'] == 'dropped by the editor' and not w[$drop_id]['selected']
assert w[$pin_id]['why'] == 'pinned by the editor' and w[$pin_id]['selected']
n = sum(s['selected'] for s in r['stories'])
assert n <= max($nsel, 8), 'the pin takes a slot: %d selected, %d before' % (n, $nsel)"
run 0 "rank --explain of a dropped story" heuristic pk pkblog -- rank --date 2026-11-20 --explain "$drop_id"
expect_grep "$tmp/out" "dropped by the editor" "--explain says the editor dropped it"
run 64 "pick of a story that is not the day's" heuristic pk pkblog -- pick --date 2026-11-20 --drop 999999
expect_grep "$tmp/err" "pick: --drop 999999: no such story on that day" "a wrong id is named"
run 64 "pick of a word" heuristic pk pkblog -- pick --date 2026-11-20 --pin first
run 0 "a re-run after the picks" heuristic pk pkblog -- run --date 2026-11-20
expect_no_grep "$pkpost" "($drop_link)" "the dropped story is gone from the post"
expect_grep "$pkpost" "($pin_link)" "the pinned story is in the post"
expect_grep "$pkpost" "^update: $(TZ=Asia/Seoul date +%Y-%m-%d)$" "the re-published post carries its update"
run 0 "pick --clear" heuristic pk pkblog -- pick --date 2026-11-20 --clear
run 0 "no picks left" heuristic pk pkblog -- pick --date 2026-11-20
expect_empty "$tmp/out" "pick --clear forgets the day's picks"
run 0 "rank after clear" heuristic pk pkblog -- rank --date 2026-11-20 --format json
expect_json "the panel's selection is back" "
w = {s['id']: s for s in r['stories']}
assert w[$drop_id]['selected'] and not w[$pin_id]['selected']"

suite_end
