# The scaffolding of the command-line suites (tests/cli*.sh). A suite
# sets its name, then sources this file, from the project's root:
#
#	suite=fetch
#	. "$(dirname "$0")/lib.sh"
#
# It then has $bin (the binary under test), $tmp (a folder removed at
# exit), the checks below, and loopback servers that end with it; its last
# line is suite_end, whose "N passed, N failed" tests/run.sh reads.
# shellcheck shell=sh

# shellcheck disable=SC2034 # the suites use it
bin=${AIDIGEST_BIN:-./aidigest}
passed=0
failed=0
# how long expect_exit lets a command run, in seconds
test_seconds=10
server_pids=""
fifo_held=""
tmp=$(mktemp -d) || exit 1

ok() { passed=$((passed + 1)); }

# shellcheck disable=SC2154 # $suite is the suite's
bad() {
	failed=$((failed + 1))
	echo "FAIL [$suite] $*" >&2
}

# suite_end: the counts, then exit: 0 when nothing failed, else 1.
suite_end() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ] || exit 1
	exit 0
}

suite_cleanup() {
	exec 3>&-
	for pid in $server_pids; do kill "$pid" 2>/dev/null; done
	rm -rf "$tmp"
}
trap suite_cleanup EXIT
# a signal ends the suite (and so runs the cleanup), it does not resume it
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# suite_needs_python3: without python3 (the servers, the JSON checks) the
# suite is skipped, and says so.
suite_needs_python3() {
	command -v python3 >/dev/null 2>&1 && return 0
	echo "$suite: skipped (python3 absent: make deps installs it)"
	suite_end
}

# expect_exit WANT WHAT -- COMMAND...: COMMAND, bounded by $test_seconds,
# stdout to $tmp/out and stderr to $tmp/err, exits WANT.
expect_exit() {
	want=$1
	what=$2
	shift 3
	timeout "$test_seconds" "$@" >"$tmp/out" 2>"$tmp/err" 3>&-
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else
		bad "$what: exit $got, want $want: $(head -c 800 "$tmp/err")"; fi
}

# expect_aidigest WANT WHAT CONF DB -- ARGS...: aidigest with
# $tmp/CONF.conf, $tmp/feeds.txt and $tmp/DB.db, then ARGS, exits WANT.
expect_aidigest() {
	want=$1 what=$2 conf=$3 db=$4
	shift 5
	expect_exit "$want" "$what" -- "$bin" -c "$tmp/$conf.conf" --feeds "$tmp/feeds.txt" \
		--db "$tmp/$db.db" "$@"
}

# expect_grep FILE PATTERN WHAT: a line of FILE matches PATTERN (grep).
expect_grep() {
	if grep -q -e "$2" "$1"; then ok; else bad "$3: '$2' not in: $(head -c 600 "$1")"; fi
}

# expect_no_grep FILE PATTERN WHAT: no line of FILE matches PATTERN.
expect_no_grep() {
	if grep -q -e "$2" "$1"; then bad "$3: '$2' found"; else ok; fi
}

# expect_same FILE GOLDEN WHAT: FILE holds the bytes of GOLDEN.
expect_same() {
	if cmp -s "$1" "$2"; then ok; else
		bad "$3: output differs from $2"
		diff "$2" "$1" | head -20 >&2
	fi
}

# expect_empty FILE WHAT: FILE is empty.
expect_empty() {
	if [ -s "$1" ]; then bad "$2: $1 is not empty: $(head -c 300 "$1")"; else ok; fi
}

# expect_lines FILE N WHAT: FILE has N lines.
expect_lines() {
	lines=$(wc -l <"$1")
	if [ "$lines" -eq "$2" ]; then ok; else bad "$3: $lines lines, want $2"; fi
}

# expect_json WHAT PYTHON: PYTHON (assertions) holds of r, the JSON
# document in $tmp/out.
expect_json() {
	if python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
$2
" "$tmp/out" 2>"$tmp/py.err"; then ok; else bad "$1: $(tail -n 3 "$tmp/py.err")"; fi
}

# start_server NAME SCRIPT [VAR=VALUE...]: python3 SCRIPT (a loopback
# server of tests/testserver.py) in the background, with those variables;
# its port goes to $tmp/NAME.port, its stderr to $tmp/NAME.err. Its stdin
# is a fifo only this shell writes, so it exits with the suite, even a
# killed one. Then wait_servers.
start_server() {
	server_name=$1
	server_script=$2
	shift 2
	[ -p "$tmp/fifo" ] || mkfifo "$tmp/fifo"
	env "$@" python3 "$server_script" "$tmp/$server_name.port" \
		<"$tmp/fifo" >/dev/null 2>"$tmp/$server_name.err" 3>&- &
	server_pids="$server_pids $!"
}

# wait_servers NAME...: hold the servers' fifo open (fd 3), then wait up to
# 10 s for each one's port; one that does not come ends the suite, failed.
wait_servers() {
	if [ -z "$fifo_held" ]; then
		exec 3>"$tmp/fifo"
		fifo_held=yes
	fi
	for server_name in "$@"; do
		server_tries=0
		while [ ! -s "$tmp/$server_name.port" ]; do
			server_tries=$((server_tries + 1))
			if [ "$server_tries" -gt 100 ]; then
				bad "the $server_name server did not start: $(cat "$tmp/$server_name.err")"
				suite_end
			fi
			sleep 0.1
		done
	done
}

# server_url NAME: the address of a started server, http://127.0.0.1:PORT.
server_url() {
	echo "http://127.0.0.1:$(cat "$tmp/$1.port")"
}

# server_stats NAME EXPR...: the server's /stats JSON as d, each Python
# EXPR of it printed on one line, separated by spaces.
server_stats() {
	server_name=$1
	shift
	python3 -c '
import json, sys, urllib.request
d = json.load(urllib.request.urlopen(sys.argv[1] + "/stats"))
print(*(eval(e, {"d": d}) for e in sys.argv[2:]))' "$(server_url "$server_name")" "$@"
}

# store_links CONF DB DATE: the links of DATE's items in $tmp/DB.db,
# escaped as a post writes them, into $tmp/links.txt (check_post's list);
# the items themselves in $tmp/items.json
store_links() {
	"$bin" -q -c "$tmp/$1.conf" --db "$tmp/$2.db" items --date "$3" --format json >"$tmp/items.json"
	python3 -c '
import json, sys
from urllib.parse import quote
d = json.load(open(sys.argv[1]))
for s in d["stories"]:
    for i in s["items"]:
        print(quote(i["url"], safe=":/?&=#%+,;@!*$~-._"))' "$tmp/items.json" >"$tmp/links.txt"
}

# check_post FILE DESCRIPTION: the structure of a published post: the
# front-matter's keys, the sections and their Korean text, every link one
# of $tmp/links.txt (store_links), nothing a feed injected
check_post() {
	if python3 - "$1" "$tmp/links.txt" 2>"$tmp/py.err" <<'EOF'; then ok; else bad "$2: $(tail -n 2 "$tmp/py.err")"; fi
import re, sys
post = open(sys.argv[1], encoding="utf-8").read()
allowed = set(open(sys.argv[2]).read().split())
assert post.startswith("---\n"), "front-matter"
fm, body = post[4:].split("\n---\n", 1)
keys = [l.split(":", 1)[0] for l in fm.splitlines() if l and not l.startswith(" ")]
assert keys[:4] == ["title", "description", "date", "update"], keys
assert keys.count("title") == 1 and "pwned" not in keys, keys
heads = [l for l in body.splitlines() if l.startswith("#")]
assert heads == ["## Today's Preview", "### AI Viewpoint 🤖", "## Today's Overview", heads[3]], heads
assert heads[3].startswith("### ")
hangul = re.compile("[\uac00-\ud7a3]")
intro = body.strip().split("\n\n")[0]
assert hangul.search(intro), "intro"
view = [l for l in body.splitlines() if l.startswith("> ")]
assert len(view) == 1 and hangul.search(view[0]), "viewpoint"
bullets = [l for l in body.splitlines() if l.startswith("  - ")]
assert bullets and all(hangul.search(b) and "[자세히 보기](" in b for b in bullets), "preview bullets"
items = [l for l in body.splitlines() if l.startswith("- **")]
assert len(items) == len(bullets), (len(items), len(bullets))
assert re.search(r"^\*\*1\. ", body, re.M), "numbered bold categories"
links = re.findall(r"\]\(([^)\s]+)\)", body)
assert links and all(l in allowed for l in links), [l for l in links if l not in allowed]
assert "javascript:" not in body.replace("javascript:alert", "") or "](javascript" not in body
assert "<script>" not in body and "evil.example" not in " ".join(links)
EOF
}
