#!/bin/sh
# `aidigest fetch`, `items` and `feeds` against a real loopback HTTP server
# (tests/http_server.py, started and stopped here) serving the project's
# fixtures and its faults. Ends with "N passed, N failed".
suite=fetch
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
test_seconds=60
suite_needs_python3
start_server feeds tests/http_server.py
wait_servers feeds
base=$(server_url feeds)

cat >"$tmp/aidigest.conf" <<EOF
[digest]
timezone = +09:00
[fetch]
connect_timeout = 2
timeout = 2
deadline = 30
retries = 1
max_bytes = 1M
EOF
cat >"$tmp/feeds.txt" <<EOF
# good ones
blog good $base/feed/rss20.xml
blog atom $base/feed/atom10.xml title="Atom Lab"
blog zipped $base/gzip/rdf.xml
blog moved $base/redirect/3/rss091.xml
news kr $base/feed/korean-tz.xml tz=+09:00
blog local file://$PWD/tests/fixtures/feeds/jsonfeed.json
blog limited $base/status/429/a?retry_after=1
blog badutf $base/invalid-utf8
release builds file://$PWD/tests/fixtures/feeds/releases-builds.atom
community hn file://$PWD/tests/fixtures/api/hn_algolia.json format=hn-algolia
# bad ones
blog looping $base/loop
blog broken $base/status/500
blog missing $base/status/404
blog slow $base/slow?seconds=10
blog cut $base/truncated
blog huge $base/big
blog page $base/html
# skipped: the variable is not set, on the line or as its token
tweet someone \${AIDIGEST_TEST_UNSET_VARIABLE}/twitter/user/someone
community needs-token $base/github/needs-token format=github-search token_env=AIDIGEST_TEST_UNSET_TOKEN
EOF
unset AIDIGEST_TEST_UNSET_VARIABLE AIDIGEST_TEST_UNSET_TOKEN

# run WANT DESCRIPTION -- ARGS...: aidigest with the test's config, feeds
# and database exits WANT
run() {
	want=$1 what=$2
	shift 3
	expect_aidigest "$want" "$what" aidigest state -- "$@"
}

# 1. the first fetch: the good land, each bad one named with its reason
start=$(date +%s)
run 2 "first fetch (some sources fail)" -- fetch
elapsed=$(($(date +%s) - start))
if [ "$elapsed" -le 30 ]; then ok; else bad "first fetch took ${elapsed}s"; fi
expect_grep "$tmp/err" "looping: more than 5 redirects" "redirect loop reason"
expect_grep "$tmp/err" "broken: HTTP 500" "500 reason"
expect_grep "$tmp/err" "missing: HTTP 404" "404 reason"
expect_grep "$tmp/err" "slow: timed out" "timeout reason"
expect_grep "$tmp/err" "cut: truncated" "truncated body reason"
expect_grep "$tmp/err" "huge: body over the cap" "size cap reason"
expect_grep "$tmp/err" "page: not a feed: looks like an HTML page" "HTML page reason"
expect_grep "$tmp/err" "AIDIGEST_TEST_UNSET_VARIABLE} is not set" "unset variable notice"
expect_grep "$tmp/err" 'needs-token: skipped: [$]AIDIGEST_TEST_UNSET_TOKEN is not set' "unset token notice"
# both skipped sources count, and the line's is said once, by the reader
expect_grep "$tmp/err" "fetch: 19 sources: .*, 2 skipped;" "the summary counts the skipped sources"
expect_no_grep "$tmp/err" "fetch: someone:" "the skipped line is not said twice"
expect_grep "$tmp/err" "fetch: [0-9]* sources: [0-9]* ok" "summary line"
expect_no_grep "$tmp/err" "good:" "a good source is not reported as failing"
expect_no_grep "$tmp/err" "limited:" "429 with Retry-After recovered"
expect_no_grep "$tmp/err" "badutf:" "invalid UTF-8 is recovered, not failed"

# 2. what landed, by day in the digest's zone (+09:00)
run 0 "items of 2024-01-01 as JSON" -- items --date 2024-01-01 --format json
expect_grep "$tmp/out" '"title": "Model 7B released"' "an RSS item is in the store"
expect_grep "$tmp/out" '"source": "good"' "its source"
expect_grep "$tmp/out" '"source_title": "Lab Notes & Releases"' "named by the feed's own title"
expect_grep "$tmp/out" '"date": "2024-01-01"' "the window's day"
run 0 "items of 2024-03-04 (title=)" -- items --date 2024-03-04 --format json
expect_grep "$tmp/out" '"source_title": "Atom Lab"' "title= goes before the feed's own title"
expect_no_grep "$tmp/out" '"source_title": "Agents Weekly"' "the Atom feed's own title is not shown"
run 0 "items of 2024-05-14 (a JSON API)" -- items --date 2024-05-14 --format json
expect_grep "$tmp/out" '"source_title": "hn"' "a JSON API source is named by its line"
run 0 "items of 2024-05-01" -- items --date 2024-05-01
expect_grep "$tmp/out" "국내 AI 모델 공개" "a Korean item, its zone-less date read as KST"
expect_grep "$tmp/out" "kr" "its source"
run 0 "items of 2024-03-04" -- items --date 2024-03-04 --format json
expect_grep "$tmp/out" "Tool use & planning" "an Atom entry (2024-03-04T23:30+09:00)"
run 0 "items of 2024-06-01" -- items --date 2024-06-01 --format tsv
expect_grep "$tmp/out" "Emoji" "a JSON Feed item from a file:// source"
run 0 "items of 2024-07-02" -- items --date 2024-07-02 --format json
expect_json "automated builds collapse to one item a day" '
items = [i for s in r["stories"] for i in s["items"] if i["source"] == "builds"]
titles = sorted(i["title"] for i in items)
# three automated builds of one day are one item (the latest); the
# real release is its own
assert len(items) == 2, titles
assert "llama.cpp 1.0.0" in titles and "b3301" in titles, titles
'
run 0 "items of 2024-05-14 (an HN Algolia story)" -- items --date 2024-05-14 --format json
expect_grep "$tmp/out" "GPT-4o: OpenAI" "a JSON API source lands"
expect_grep "$tmp/out" '"points": 1234' "with its engagement"
expect_grep "$tmp/out" '"comments": 412' "and comments"
run 64 "items with a bad date" -- items --date 2024-13-45
run 64 "items with a bad format" -- items --format xml

# 3. health
run 2 "feeds check (some unhealthy)" -- feeds check
expect_grep "$tmp/out" "^SOURCE" "the table header"
expect_grep "$tmp/out" "^page .*not a feed" "not a feed"
expect_grep "$tmp/out" "^broken .*500 .*failing" "failing with its status"
expect_grep "$tmp/out" "^good .* ok" "a healthy source"
expect_grep "$tmp/out" '^someone .* never .* skipped .*AIDIGEST_TEST_UNSET_VARIABLE} is not set' "a line skipped for its variable is listed"
expect_grep "$tmp/out" '^needs-token .* skipped .*AIDIGEST_TEST_UNSET_TOKEN is not set' "a source skipped for its token is listed"
run 2 "feeds check as JSON" -- feeds check --format json
expect_grep "$tmp/out" '"health": "not a feed"' "JSON health"
# shellcheck disable=SC2016 # ${VAR} is the program's, not the shell's
expect_json "feeds check lists the skipped sources in file order" '
names = [s["source"] for s in r]
assert names[-2:] == ["someone", "needs-token"], names
someone = r[-2]
assert someone["health"] == "skipped" and someone["last_success"] is None, someone
assert someone["reason"] == "${AIDIGEST_TEST_UNSET_VARIABLE} is not set", someone
'

# a source that answers but has had nothing new for longer than stale_days
python3 -c '
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
old = int(time.time()) - 10 * 86400
db.execute("UPDATE feeds SET last_new_item = ? WHERE name = ?", (old, "atom"))
db.commit()' "$tmp/state.db"
run 2 "feeds check after ten quiet days" -- feeds check
expect_grep "$tmp/out" "^atom .* stale" "stale after stale_days without anything new"
expect_grep "$tmp/out" "^good .* ok" "a source with new items stays ok"

# 4. the second fetch sends the validators back: 304s, no parse
rss20_stats() {
	server_stats feeds 'd["not_modified"].get("/feed/rss20.xml", 0)' 'd["requests"].get("/feed/rss20.xml", 0)'
}
before=$(rss20_stats)
run 2 "second fetch" -- fetch --format json
after=$(rss20_stats)
# shellcheck disable=SC2086 # split into its two counts
set -- $before
nm_before=$1
req_before=$2
# shellcheck disable=SC2086
set -- $after
if [ "$1" -eq $((nm_before + 1)) ] && [ "$2" -eq $((req_before + 1)) ]; then ok; else
	bad "second fetch: rss20.xml 304s $nm_before -> $1, requests $req_before -> $2"; fi
expect_grep "$tmp/out" '"not_modified": [1-9]' "the report counts not-modified sources"
expect_json "second fetch: 'good' is a 304 without items" '
good = [p for p in r["per_source"] if p["name"] == "good"][0]
assert good["ok"] and good["not_modified"] and good["items"] == 0, good
'

# 5. a feeds file whose sources are all good exits 0; a bad line is named
cat >"$tmp/feeds2.txt" <<EOF
blog good $base/feed/rss20.xml
blgo typo $base/feed/rss20.xml
blog nourl
EOF
expect_exit 0 "good-only fetch" -- "$bin" -c "$tmp/aidigest.conf" --feeds "$tmp/feeds2.txt" --db "$tmp/state2.db" fetch
expect_grep "$tmp/err" "feeds2.txt:2: unknown kind 'blgo'" "bad kind reported with its line"
expect_grep "$tmp/err" "feeds2.txt:3:" "missing url reported with its line"
# a skipped source is listed, and alone it is no reason for exit 2
cat >"$tmp/feeds2.txt" <<EOF
tweet first \${AIDIGEST_TEST_UNSET_VARIABLE}/twitter/user/first
blog good $base/feed/rss20.xml
tweet last \${AIDIGEST_TEST_UNSET_VARIABLE}/twitter/user/last
EOF
expect_exit 0 "fetch of a good source and two skipped lines" -- "$bin" -c "$tmp/aidigest.conf" \
	--feeds "$tmp/feeds2.txt" --db "$tmp/state2.db" fetch --format json
# shellcheck disable=SC2016 # ${VAR} is the program's, not the shell's
expect_json "the report lists the skipped lines in file order" '
assert [p["name"] for p in r["per_source"]] == ["first", "good", "last"], r["per_source"]
assert r["sources"] == 3 and r["skipped"] == 2 and r["ok"] == 1, r
first = r["per_source"][0]
assert first["skipped"] and not first["ok"], first
assert first["reason"] == "skipped: ${AIDIGEST_TEST_UNSET_VARIABLE} is not set", first
'
expect_exit 0 "feeds check with skipped sources" -- "$bin" -c "$tmp/aidigest.conf" \
	--feeds "$tmp/feeds2.txt" --db "$tmp/state2.db" feeds check
expect_grep "$tmp/out" "^first .* skipped" "the first line is listed as skipped"
expect_grep "$tmp/out" "^last .* skipped" "the last line is listed as skipped"
expect_grep "$tmp/out" "^good .* ok" "between them, the good source"
# the night's run counts them in its fetch summary too, and says each
# once (the reader's notice)
expect_exit 0 "a dry run with skipped sources" -- "$bin" -c "$tmp/aidigest.conf" \
	--feeds "$tmp/feeds2.txt" --db "$tmp/state2.db" run --dry-run --date 2024-01-01
expect_grep "$tmp/err" "run: 3 sources: 1 ok (1 not modified), 0 failed, 2 skipped;" "the run's summary counts the skipped lines"
expect_grep "$tmp/err" "run: .*feeds2.txt:3: skipped: [$][{]AIDIGEST_TEST_UNSET_VARIABLE[}] is not set" "the reader's notice"
expect_no_grep "$tmp/err" "run: last:" "no second message for a skipped line"

# 6. missing files and usage
run 1 "a missing feeds file" -- fetch --feeds "$tmp/none.txt"
expect_grep "$tmp/err" "none.txt" "names the file"
run 64 "fetch with an argument" -- fetch extra
expect_exit 1 "a missing -c file" -- "$bin" -c "$tmp/none.conf" fetch
expect_grep "$tmp/err" "none.conf" "names the config"

# 7. OPML round trip
run 0 "feeds export" -- feeds export
expect_grep "$tmp/out" "<opml version=\"2.0\">" "OPML 2.0"
cp "$tmp/out" "$tmp/export.opml"
run 0 "feeds import" -- feeds import "$tmp/export.opml"
expect_grep "$tmp/out" "good $base/feed/rss20.xml" "a source comes back"
run 1 "feeds import of a non-OPML file" -- feeds import tests/fixtures/feeds/rss20.xml
run 64 "feeds with no subcommand" -- feeds

# 8. the progress line: on a terminal only, and the summary always
if command -v script >/dev/null 2>&1; then
	printf 'blog good %s/feed/rss20.xml\nblog atom %s/feed/atom10.xml\n' "$base" "$base" >"$tmp/feeds3.txt"
	script -qec "timeout 60 '$bin' -c '$tmp/aidigest.conf' --feeds '$tmp/feeds3.txt' --db '$tmp/state3.db' fetch" \
		/dev/null >"$tmp/tty.out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -eq 0 ]; then ok; else bad "fetch on a terminal: exit $rc: $(head -c 400 "$tmp/tty.out")"; fi
	if tr '\r' '\n' <"$tmp/tty.out" | grep -q '^aidigest: fetch: [0-9]*/2 done, [0-9.]* MB, 0 failed'; then ok; else
		bad "no progress line on a terminal: $(head -c 400 "$tmp/tty.out" | od -c | head -5)"; fi
	if tr '\r' '\n' <"$tmp/tty.out" | grep -q '^aidigest: fetch: 2/2 done'; then ok; else bad "the progress line never reached 2/2"; fi
	expect_grep "$tmp/tty.out" "2 sources: 2 ok" "the summary on a terminal"
	timeout 60 "$bin" -c "$tmp/aidigest.conf" --feeds "$tmp/feeds3.txt" --db "$tmp/state4.db" fetch >"$tmp/out" 2>"$tmp/err"
	expect_no_grep "$tmp/err" "done, .* MB" "a progress line when stderr is not a terminal"
	expect_grep "$tmp/err" "2 sources: 2 ok" "the summary when stderr is not a terminal"
	script -qec "timeout 60 '$bin' -q -c '$tmp/aidigest.conf' --feeds '$tmp/feeds3.txt' --db '$tmp/state5.db' fetch" \
		/dev/null >"$tmp/tty.out" 2>&1 </dev/null
	expect_no_grep "$tmp/tty.out" "done, .* MB" "a progress line with -q"
else
	echo "fetch: the progress test skipped (script(1) absent)"
fi

# 9. a full file system during the fetch: the source fails, says the store
# could not be written, counts no item and keeps no validator; the next
# fetch with room gets the body again, and every item arrives
cat >"$tmp/big.conf" <<EOF
[fetch]
connect_timeout = 2
timeout = 10
deadline = 30
retries = 1
max_bytes = 16M
EOF
# 400 items of 12 KB of text: about 5 MB to store
printf 'blog bulk %s/generated/bulk?items=400&pad=4000\n' "$base" >"$tmp/feeds-bulk.txt"
# fetch_bulk: fetch the bulk feed into $tmp/bulk.db, as JSON
fetch_bulk() {
	timeout 60 "$bin" -c "$tmp/big.conf" --feeds "$tmp/feeds-bulk.txt" --db "$tmp/bulk.db" \
		fetch --format json >"$tmp/out" 2>"$tmp/err" 3>&-
}
# No file may grow past 2,048 blocks (1 MiB in dash's 512-byte blocks,
# 2 MiB in bash's): room for the database, not for the items. SIGXFSZ is
# ignored, so a write past the limit fails with EFBIG as on a full disk.
(
	trap '' XFSZ
	ulimit -f 2048 || exit 99
	fetch_bulk
)
rc=$?
if [ "$rc" -eq 2 ]; then ok; else bad "fetch on a full disk: exit $rc, want 2: $(head -c 600 "$tmp/err")"; fi
# the reason is the write that failed, not what came after it
disk_error='cannot write the store: [a-z ]*: \(disk I/O error\|database or disk is full\)'
expect_grep "$tmp/err" "^aidigest: fetch: bulk: $disk_error" "the source says the store could not be written"
expect_grep "$tmp/err" "0 ok .*, 1 failed, 0 skipped; 0 items, 0 new" "the summary counts no unstored item"
expect_json "the report of a full disk" '
bulk = r["per_source"][0]
assert not bulk["ok"] and bulk["items"] == 0 and bulk["new_items"] == 0, bulk
assert r["items"] == 0 and r["new_items"] == 0 and r["failed"] == 1, r
'
# bulk_db: the items stored, whether the source has no ETag and no
# Last-Modified, and its health
bulk_db() {
	python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT count(*) FROM items").fetchone()[0],
      *db.execute("SELECT etag IS NULL, last_modified IS NULL, health FROM feeds"
                  " WHERE name = ?", ("bulk",)).fetchone())' "$tmp/bulk.db"
}
got=$(bulk_db)
if [ "$got" = "0 1 1 failing" ]; then ok; else bad "after a full disk: items, no etag, no last-modified, health: $got"; fi
expect_exit 2 "feeds check after a full disk" -- "$bin" -c "$tmp/big.conf" --feeds "$tmp/feeds-bulk.txt" \
	--db "$tmp/bulk.db" feeds check
expect_grep "$tmp/out" "^bulk .*failing .*$disk_error" "feeds check: failing, and why"
fetch_bulk
rc=$?
if [ "$rc" -eq 0 ]; then ok; else bad "fetch with room: exit $rc: $(head -c 600 "$tmp/err")"; fi
expect_json "with room, every item arrives" '
assert r["ok"] == 1 and r["not_modified"] == 0, r
assert r["items"] == 400 and r["new_items"] == 400, r
'
got=$(bulk_db)
if [ "$got" = "400 0 0 ok" ]; then ok; else bad "after the fetch with room: $got"; fi
got=$(server_stats feeds 'd["requests"].get("/generated/bulk")' 'd["not_modified"].get("/generated/bulk", 0)')
if [ "$got" = "2 0" ]; then ok; else bad "the bulk feed's requests and 304s: $got, want 2 0"; fi

# the same before any transfer: the sources' rows do not fit; the fetch
# cannot run (exit 1, the store's reason once) and no source is left
# without a reason
i=0
while [ "$i" -lt 200 ]; do
	i=$((i + 1))
	printf 'blog row-%d http://127.0.0.1:9/%s?n=%d\n' "$i" "$(printf '%02000d' 0)" "$i"
done >"$tmp/feeds-rows.txt"
expect_exit 0 "a database made with room" -- "$bin" -c "$tmp/big.conf" --feeds "$tmp/feeds-rows.txt" \
	--db "$tmp/rows.db" items --date 2024-01-01
(
	trap '' XFSZ
	ulimit -f 256 || exit 99
	exec timeout 60 "$bin" -c "$tmp/big.conf" --feeds "$tmp/feeds-rows.txt" --db "$tmp/rows.db" fetch \
		>"$tmp/out" 2>"$tmp/err" 3>&-
)
rc=$?
if [ "$rc" -eq 1 ]; then ok; else bad "fetch whose rows do not fit: exit $rc, want 1: $(head -c 600 "$tmp/err")"; fi
expect_grep "$tmp/err" "^aidigest: fetch: $disk_error" "the fetch says the store could not be written"
expect_no_grep "$tmp/err" ": $" "a source without a reason"

# 10. the deadline holds while entries are read: 2,000 titles on which
# include= backtracks to its bound, under a deadline of 3 s
cat >"$tmp/short.conf" <<EOF
[fetch]
connect_timeout = 2
timeout = 10
deadline = 3
retries = 1
max_bytes = 16M
EOF
printf 'blog backtrack %s/generated/backtrack?items=2000&title=%s include="(a+)+$"\n' \
	"$base" aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa! >"$tmp/feeds-backtrack.txt"
start=$(date +%s)
test_seconds=30
expect_exit 2 "a fetch whose patterns pass the deadline" -- "$bin" -c "$tmp/short.conf" \
	--feeds "$tmp/feeds-backtrack.txt" --db "$tmp/backtrack.db" fetch
test_seconds=60
elapsed=$(($(date +%s) - start))
if [ "$elapsed" -le 6 ]; then ok; else bad "a fetch with a deadline of 3 s took ${elapsed}s"; fi
expect_grep "$tmp/err" "^aidigest: fetch: backtrack: cut short at the fetch deadline of 3 s" "the source cut short says so"

# 11. an implicit token goes to its API's host only; token_env= sends one
# where the line says (a private feed's line too), and a redirect to
# another host (localhost is not 127.0.0.1 by name) does not take it along
cat >"$tmp/feeds-token.txt" <<EOF
community gh-implicit $base/github/implicit format=github-search
community gh-named $base/github/named format=github-search token_env=AIDIGEST_TEST_TOKEN
tweet x-implicit $base/github/x-implicit format=x-api
community gh-moved $base/redirect-to?url=http://localhost:$(cat "$tmp/feeds.port")/github/moved format=github-search token_env=AIDIGEST_TEST_TOKEN
blog private-feed $base/feed/atom10.xml token_env=AIDIGEST_TEST_TOKEN
blog public-feed $base/feed/rss20.xml
EOF
expect_exit 2 "fetch with tokens in the environment" -- env GITHUB_TOKEN=gh-secret X_BEARER_TOKEN=x-secret \
	AIDIGEST_TEST_TOKEN=named-secret "$bin" -c "$tmp/aidigest.conf" --feeds "$tmp/feeds-token.txt" \
	--db "$tmp/token.db" fetch
got=$(server_stats feeds 'd["authorization"].get("/github/implicit")' 'd["authorization"].get("/github/named")' \
	'd["authorization"].get("/github/x-implicit")' 'd["authorization"].get("/github/moved")')
if [ "$got" = "[None] ['Bearer named-secret'] [None] [None]" ]; then ok; else
	bad "Authorization headers (implicit GitHub, token_env=, implicit X, redirected): $got"; fi
# (the last request of each path: other sections read these feeds too)
got=$(server_stats feeds 'd["authorization"]["/feed/atom10.xml"][-1]' 'd["authorization"]["/feed/rss20.xml"][-1]')
if [ "$got" = "Bearer named-secret None" ]; then ok; else
	bad "Authorization headers (a feed with token_env=, one without): $got"; fi
expect_no_grep "$tmp/err" "private-feed:" "the private feed is read with its token"
expect_no_grep "$tmp/err" "gh-moved:" "the redirected source is read"
expect_grep "$tmp/err" "x-implicit: not a feed" "the X line went without a token (and got GitHub's answer)"

# 12. aidigest.conf.example: every key in it, and in each of its recipes
# uncommented, is one the program takes (with the keys' variables set,
# no judge or writer is skipped, and nothing is reported but the empty day)
example_env="OPENAI_API_KEY=sk-test ANTHROPIC_API_KEY=sk-ant-test GEMINI_API_KEY=g-test DEEPSEEK_API_KEY=d-test"
# shellcheck disable=SC2016 # ${VAR} is the program's, not the shell's
printf 'tweet later ${AIDIGEST_TEST_UNSET_VARIABLE}/twitter/user/later\n' >"$tmp/feeds-example.txt"
# shellcheck disable=SC2086 # the variables, one a word
expect_exit 0 "feeds check with aidigest.conf.example" -- env $example_env "$bin" -c aidigest.conf.example \
	--feeds "$tmp/feeds-example.txt" --db "$tmp/example.db" feeds check
expect_no_grep "$tmp/err" "aidigest.conf.example" "the example's keys are all known to the loader"
expect_grep "$tmp/out" "^later .* skipped" "feeds check lists the skipped line"
# example_check WHAT CONF: preview of an empty day with CONF reads every
# section and reports nothing else
example_check() {
	# shellcheck disable=SC2086 # the variables, one a word
	expect_exit 1 "preview with $1" -- env $example_env "$bin" -c "$2" \
		--feeds "$tmp/feeds-example.txt" --db "$tmp/example.db" preview --date 2024-01-01
	expect_grep "$tmp/err" "no new stories for 2024-01-01" "$1: the configuration loads"
	expect_no_grep "$tmp/err" "conf.*:[0-9]*:\|skipped: [$]\|unknown\|not '" "$1: no bad or unknown key, nothing skipped"
}
example_check "aidigest.conf.example" aidigest.conf.example
# recipe START: the commented block from the line START to the next blank
# line, its section and key lines uncommented
recipe() {
	awk -v start="$1" '$0 == start { f = 1 } f && /^$/ { exit } f' aidigest.conf.example |
		sed -n 's/^# \(\[[a-z.-]*\]\|[a-z_]* = .*\)$/\1/p'
}
for r in "# --- writer: Anthropic ---" "# --- writer: Ollama ---" "# --- writer: OpenAI ---" \
	"# [judge.deepseek]" "# [judge.local]" "# [judge.recency]"; do
	{
		cat aidigest.conf.example
		recipe "$r"
	} >"$tmp/recipe.conf"
	if grep -q '^\[' "$tmp/recipe.conf" && [ "$(recipe "$r" | grep -c ' = ')" -ge 2 ]; then ok; else
		bad "recipe '$r' has no keys"; fi
	example_check "the recipe '$r'" "$tmp/recipe.conf"
done
# the one-key recipe: its judge alone, no other [judge.*]
{
	awk '/^\[judge\./ { skip = 1 } skip && /^$/ { skip = 0 } !skip' aidigest.conf.example
	recipe "# --- recipe: one key ---"
} >"$tmp/one-key.conf"
got=$(grep -c '^\[judge\.' "$tmp/one-key.conf")
if [ "$got" -eq 1 ]; then ok; else bad "the one-key recipe has $got judges"; fi
example_check "the one-key recipe" "$tmp/one-key.conf"
# contrib's environment file is a shell script and a systemd
# EnvironmentFile at once, and holds every variable the example names
if sh -n contrib/aidigest.env.example &&
	! grep -v '^#' contrib/aidigest.env.example | grep -v '^$' | grep -qv '^[A-Z_][A-Z0-9_]*=[^ "]*$'; then ok; else
	bad "contrib/aidigest.env.example: not VAR=value lines"; fi
for v in $(sed -n 's/^#* *api_key_env = //p' aidigest.conf.example | sort -u) RSSHUB; do
	if grep -q "^#* *$v=" contrib/aidigest.env.example; then ok; else
		bad "contrib/aidigest.env.example lacks $v"; fi
done
if grep -q '^[^#].*\. /etc/aidigest.env' contrib/aidigest.cron &&
	grep -q '^EnvironmentFile=-/etc/aidigest.env$' contrib/aidigest.service; then ok; else
	bad "cron and systemd do not read /etc/aidigest.env"; fi

suite_end
