#!/bin/sh
# Command-line tests: exit codes, messages, and golden outputs of `parse`.
# Ends with "N passed, N failed".
suite=cli
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
fx=tests/fixtures/feeds
golden=tests/fixtures/golden

# usage and help
expect_exit 0 "--help" -- "$bin" --help
expect_grep "$tmp/out" "^usage: aidigest" "--help on stdout"
expect_grep "$tmp/out" "parse --date STRING" "--help lists parse --date"
expect_exit 0 "parse --help" -- "$bin" parse --help
expect_exit 0 "--version" -- "$bin" --version
expect_grep "$tmp/out" "^aidigest [0-9]" "--version output"
expect_exit 64 "no command" -- "$bin"
expect_exit 64 "unknown command" -- "$bin" frobnicate
expect_grep "$tmp/err" "unknown command 'frobnicate'" "unknown command message"
expect_exit 64 "unknown global option" -- "$bin" --bogus parse x
expect_exit 64 "unknown parse option" -- "$bin" parse --bogus x
expect_exit 64 "parse without FILE" -- "$bin" parse
# a day's commands: the date whole and valid, the format one of two
for c in items rank preview verify; do
	expect_exit 64 "$c --date too long" -- "$bin" --db "$tmp/dates.db" $c --date 2026-11-200
	expect_grep "$tmp/err" "$c: --date wants YYYY-MM-DD, today or yesterday, not '2026-11-200'" "$c names the bad date"
	expect_exit 64 "$c --date not a day" -- "$bin" --db "$tmp/dates.db" $c --date 2026-02-30
done
for c in items rank verify fetch; do
	expect_exit 64 "$c --format unknown" -- "$bin" --db "$tmp/dates.db" --feeds /dev/null $c --format xml
	expect_grep "$tmp/err" "$c: --format is .* or json, not 'xml'" "$c names the bad format"
done
expect_exit 64 "-c without a value" -- "$bin" parse "$fx/rss20.xml" -c
expect_exit 64 "bad --tz" -- "$bin" parse --tz 9am "$fx/rss20.xml"
expect_exit 64 "bad --max-bytes" -- "$bin" parse --max-bytes -5 "$fx/rss20.xml"
expect_exit 64 "bad --header" -- "$bin" parse --header nocolon "$fx/rss20.xml"
expect_exit 64 "--fields with two files" -- "$bin" parse --fields "$fx/rss20.xml" "$fx/rdf.xml"
expect_exit 0 "global options before and after" -- "$bin" -q parse "$fx/rss20.xml" -v

# dates
expect_exit 0 "parse --date RFC 822" -- "$bin" parse --date "Mon, 01 Jan 2024 12:00:00 +0900"
expect_grep "$tmp/out" "^2024-01-01T03:00:00Z$" "parse --date output"
expect_exit 0 "parse --date with --tz" -- "$bin" parse --date "2024-05-01 09:00:00" --tz +09:00
expect_grep "$tmp/out" "^2024-05-01T00:00:00Z$" "--tz applies to a zone-less date"
expect_exit 0 "parse --date Korean" -- "$bin" parse --date "2004년 05월 28일  01:31:15"
expect_grep "$tmp/out" "^2004-05-27T16:31:15Z$" "Korean date is KST"
expect_exit 0 "parse --date Unix seconds" -- "$bin" parse --date 1700000000
expect_grep "$tmp/out" "^2023-11-14T22:13:20Z$" "Unix seconds"
expect_exit 1 "parse --date garbage" -- "$bin" parse --date "not a date"
expect_grep "$tmp/err" "not a date" "not a date message"

# golden outputs
for f in rss20.xml atom10.xml atom03.xml rdf.xml rss091.xml jsonfeed.json euc-kr.xml korean-tz.xml broken-amp.xml; do
	name=${f%.*}
	expect_exit 0 "parse $f" -- "$bin" parse "$fx/$f"
	expect_same "$tmp/out" "$golden/$name.tsv" "parse $f"
	expect_exit 0 "parse --fields $f" -- "$bin" parse --fields "$fx/$f"
	expect_same "$tmp/out" "$golden/$name.fields" "parse --fields $f"
done

# stdin, several files, failures
expect_exit 0 "parse from stdin" -- sh -c "\"$bin\" parse - < $fx/rss20.xml"
expect_same "$tmp/out" "$golden/rss20.tsv" "parse -"
expect_exit 1 "parse an HTML page" -- "$bin" parse "$fx/not-feed.html"
expect_grep "$tmp/err" "not a feed: looks like an HTML page" "HTML page message"
expect_exit 1 "parse an empty file" -- "$bin" parse "$fx/empty.xml"
expect_grep "$tmp/err" "not a feed: the document is empty" "empty message"
expect_exit 1 "parse a JSON error body" -- "$bin" parse "$fx/error-body.json"
expect_grep "$tmp/err" "JSON error body" "JSON error message"
expect_exit 1 "parse a missing file" -- "$bin" parse "$tmp/nope.xml"
expect_grep "$tmp/err" "No such file" "missing file message"
expect_exit 1 "parse a directory" -- "$bin" parse "$fx"
expect_exit 2 "one bad file of two" -- "$bin" parse "$fx/rss20.xml" "$fx/not-feed.html"
expect_same "$tmp/out" "$golden/rss20.tsv" "good file still printed"
expect_exit 0 "a recovered document exits 0" -- "$bin" parse "$fx/truncated.xml"
expect_grep "$tmp/err" "recovered" "recovery is noted on stderr"
expect_grep "$tmp/out" "Model 7B released" "partial entry kept"
expect_exit 0 "-q silences notes" -- "$bin" -q parse "$fx/truncated.xml"
expect_empty "$tmp/err" "-q: stderr"

# limits and hostile input, each within the 10 s bound (and far less)
expect_exit 1 "--max-bytes refuses a large file" -- "$bin" parse --max-bytes 100 "$fx/rss20.xml"
expect_grep "$tmp/err" "over the cap of 100 bytes" "size cap message"
expect_exit 1 "--max-bytes on stdin" -- sh -c "\"$bin\" parse --max-bytes 100 - < $fx/rss20.xml"
expect_exit 0 "--max-entries" -- "$bin" parse --max-entries 1 "$fx/rss20.xml"
expect_lines "$tmp/out" 1 "--max-entries 1"
expect_grep "$tmp/err" "more than 1 entries" "entries cap note"
expect_exit 0 "billion laughs" -- "$bin" parse "$fx/billion-laughs.xml"
expect_grep "$tmp/out" "&lol9;" "entity left unexpanded"
expect_exit 0 "XXE" -- "$bin" parse --fields "$fx/xxe.xml"
if [ -r /etc/hostname ] && [ -s /etc/hostname ] && grep -qF "$(head -n 1 /etc/hostname)" "$tmp/out"; then
	bad "XXE: a local file was read"
else
	ok
fi

# an HTTP header's charset
expect_exit 0 "--header charset" -- "$bin" parse --fields --header "Content-Type: text/xml; charset=windows-1252" "$fx/cp1252.xml"
expect_grep "$tmp/out" "^encoding	windows-1252$" "header charset wins"
expect_exit 0 "--header text/xml default" -- "$bin" parse --fields --header "Content-Type: text/xml" "$fx/euc-kr.xml"
expect_grep "$tmp/out" "^encoding	us-ascii$" "RFC 3023 default reported"
expect_grep "$tmp/out" "년 똠방각하" "but the document's own encoding read"

# a large generated feed parses and streams
awk 'BEGIN { print "<rss version=\"2.0\"><channel><title>big</title>";
	for (i = 0; i < 20000; i++) printf "<item><title>t%d &amp; x</title><link>http://e.com/%d</link><description>&lt;p&gt;%d&lt;/p&gt;</description></item>\n", i, i, i;
	print "</channel></rss>" }' > "$tmp/big.xml"
expect_exit 0 "20000 items with the default cap" -- "$bin" parse --max-entries 20000 "$tmp/big.xml"
expect_lines "$tmp/out" 20000 "big feed"
expect_exit 0 "default entry cap of 10000" -- "$bin" parse "$tmp/big.xml"
expect_lines "$tmp/out" 10000 "entry cap"

# render: Mustache templates with JSON data
rx=tests/fixtures/render
expect_exit 0 "render html" -- "$bin" render --partials "$rx/partials" "$rx/digest.mustache" "$rx/digest.json"
expect_same "$tmp/out" "$rx/digest.html.out" "render html"
expect_exit 0 "render markdown" -- "$bin" render --escape markdown --partials "$rx/partials" "$rx/digest.mustache" "$rx/digest.json"
expect_same "$tmp/out" "$rx/digest.md.out" "render markdown"
expect_grep "$tmp/out" '\\\[links\\\](javascript' "markdown: a link in the data is escaped"
expect_grep "$tmp/out" '^  - \*\*GPT-5 출시\*\*: 1\\\. first # second$' "markdown: one line, a list marker at its start escaped"
expect_exit 0 "render yaml" -- "$bin" render --escape=yaml "$rx/front.mustache" "$rx/front.json"
expect_same "$tmp/out" "$rx/front.yaml.out" "render yaml"
if [ "$(grep -c '^---$' "$tmp/out")" -eq 2 ] && [ "$(grep -c '^title:' "$tmp/out")" -eq 1 ]; then ok; else bad "yaml: the injected title left its scalar"; fi
expect_exit 0 "render none, data on stdin" -- sh -c "\"$bin\" render --escape none --partials $rx/partials $rx/digest.mustache - < $rx/digest.json"
expect_grep "$tmp/out" '^# AI 뉴스 <오늘>$' "none: unescaped"
expect_exit 0 "render set delimiters" -- "$bin" render "$rx/delims.mustache" "$rx/digest.json"
expect_grep "$tmp/out" '^AI 뉴스 &lt;오늘&gt; {{not a tag}}$' "delimiters changed and back"
expect_exit 0 "render a missing partial" -- "$bin" render --partials "$rx/partials" "$rx/missing.mustache" "$rx/digest.json"
expect_grep "$tmp/out" '^\[\]$' "a missing partial is empty"
expect_grep "$tmp/err" "partial 'nothere' rendered as nothing" "a missing partial is noted"
expect_exit 0 "render -q" -- "$bin" -q render "$rx/missing.mustache" "$rx/digest.json"
expect_empty "$tmp/err" "render -q: stderr"
expect_exit 0 "render --help" -- "$bin" render --help
expect_grep "$tmp/out" "render \[--escape html|markdown|yaml|none\]" "--help lists render"
expect_exit 64 "render without DATA" -- "$bin" render "$rx/digest.mustache"
expect_exit 64 "render with three arguments" -- "$bin" render "$rx/digest.mustache" "$rx/digest.json" x
expect_exit 64 "render --escape latex" -- "$bin" render --escape latex "$rx/digest.mustache" "$rx/digest.json"
expect_grep "$tmp/err" "html, markdown, yaml or none" "--escape message"
expect_exit 64 "render - -" -- "$bin" render - -
expect_exit 64 "render --partials without DIR" -- "$bin" render "$rx/digest.mustache" "$rx/digest.json" --partials
expect_exit 1 "render unclosed section" -- "$bin" render "$rx/unclosed.mustache" "$rx/digest.json"
expect_grep "$tmp/err" "unclosed.mustache: line 2: unclosed section 'stories'" "unclosed section message"
expect_empty "$tmp/out" "render error: stdout"
expect_exit 1 "render mismatched close" -- "$bin" render "$rx/mismatch.mustache" "$rx/digest.json"
expect_grep "$tmp/err" "line 3: mismatched close tag 'a' (section 'b' opened on line 2)" "mismatched close message"
expect_exit 1 "render broken JSON" -- "$bin" render "$rx/digest.mustache" "$rx/broken.json"
expect_grep "$tmp/err" "broken.json: line 3: " "JSON error with its line"
expect_exit 1 "render missing template" -- "$bin" render "$tmp/none.mustache" "$rx/digest.json"
expect_grep "$tmp/err" "none.mustache: No such file" "missing template message"
expect_exit 1 "render --partials not a folder" -- "$bin" render --partials "$rx/digest.json" "$rx/digest.mustache" "$rx/digest.json"
expect_exit 1 "render a self-including partial" -- "$bin" render --partials "$rx/partials" "$rx/self.mustache" "$rx/digest.json"
expect_grep "$tmp/err" "nested deeper than 64" "self-including partial stops at the depth bound"
expect_exit 1 "render partial ../" -- "$bin" render --partials "$rx/partials" "$rx/escape-dir.mustache" "$rx/digest.json"
expect_grep "$tmp/err" "partial '../digest' refused" "a partial name with / is refused"
expect_exit 1 "render partial .hidden" -- "$bin" render --partials "$rx/partials" "$rx/hidden.mustache" "$rx/digest.json"
expect_grep "$tmp/err" "partial '.hidden' refused" "a partial name with a leading dot is refused"
awk 'BEGIN { for (i = 0; i < 300000; i++) printf "{{x}}"; }' > "$tmp/big.mustache"
echo '{"x": "0123456789012345678901234567890123456789012345678901234567890"}' > "$tmp/big.json"
expect_exit 1 "render over the output cap" -- "$bin" render "$tmp/big.mustache" "$tmp/big.json"
expect_grep "$tmp/err" "output over 16777216 bytes" "output cap message"
awk 'BEGIN { for (i = 0; i < 524288; i++) printf "{{"; }' > "$tmp/open.mustache"
expect_exit 1 "render 1 MB of {{" -- "$bin" render "$tmp/open.mustache" "$rx/digest.json"
expect_grep "$tmp/err" "line 1: unclosed tag" "unclosed tag message"

# a store that cannot be opened is named once
expect_exit 1 "a folder as the database" -- "$bin" --db "$tmp" items --date 2026-11-20
n=$(grep -o "$tmp:" "$tmp/err" | wc -l)
if [ "$n" -eq 1 ]; then ok; else bad "the database's path is named $n times: $(cat "$tmp/err")"; fi

suite_end
