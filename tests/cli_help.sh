#!/bin/sh
# Each command's own help: `aidigest CMD --help` and `aidigest help CMD`
# print that command's usage with its own options (stdout, exit 0), the
# same text both ways; unknown commands are usage errors (exit 64).
# Ends with "N passed, N failed".
suite=help
. "$(dirname "$0")/lib.sh"

# check WHAT WANT_EXIT COMMAND...: stdout in $tmp/out, stderr in $tmp/err
check() {
	what=$1
	want=$2
	shift 2
	expect_exit "$want" "$what" -- "$@"
}

# holds FILE PATTERN WHAT / lacks FILE PATTERN WHAT (fixed strings)
holds() {
	if grep -q -F -e "$2" "$1"; then ok; else bad "$3: no '$2'"; fi
}
lacks() {
	if grep -q -F -e "$2" "$1"; then bad "$3: '$2' should not be there"; else ok; fi
}

# Every command and the options its help must name. Commands that take
# a day must also say what --date defaults to.
commands="run fetch items rank preview verify pick jury feeds parse render help"
options_of() {
	case $1 in
	run) echo "--date --dry-run --force" ;;
	fetch) echo "--format text|json" ;;
	items) echo "--date --format tsv|json" ;;
	rank) echo "--date --format table|json --explain" ;;
	preview) echo "--date --html" ;;
	verify) echo "--date --format table|json" ;;
	pick) echo "--date --drop --pin --clear" ;;
	jury) echo "--date --days --format table|json" ;;
	feeds) echo "check import export --format" ;;
	parse) echo "--fields --header --tz --url --max-bytes --max-entries --date" ;;
	render) echo "--escape --partials TEMPLATE DATA.json" ;;
	help) echo "COMMAND" ;;
	esac
}
takes_day() {
	case $1 in
	run | items | rank | preview | verify | pick | jury) return 0 ;;
	esac
	return 1
}

# No configuration, feeds file or database is read for help: point them
# all at nothing.
noconf="env AIDIGEST_CONFIG=$tmp/none.conf HOME=$tmp/home"

for c in $commands; do
	check "$c --help" 0 $noconf "$bin" "$c" --help
	cp "$tmp/out" "$tmp/$c.help"
	if [ -s "$tmp/err" ]; then bad "$c --help wrote to stderr: $(head -c 200 "$tmp/err")"; else ok; fi
	if grep -q "^usage: aidigest .*\<$c\>" "$tmp/$c.help"; then ok; else bad "$c --help: no usage line naming $c"; fi
	for o in $(options_of "$c"); do
		holds "$tmp/$c.help" "$o" "$c --help"
	done
	# its own help, not the list of every command
	lacks "$tmp/$c.help" "Commands:" "$c --help"
	holds "$tmp/$c.help" "--help" "$c --help names --help"
	holds "$tmp/$c.help" "Global options" "$c --help names the global options"
	if takes_day "$c"; then
		holds "$tmp/$c.help" "without --date" "$c --help says what --date defaults to"
	fi
	# at most 80 columns a line
	if awk 'length > 80 { exit 1 }' "$tmp/$c.help"; then ok; else bad "$c --help has lines over 80 columns"; fi

	check "help $c" 0 $noconf "$bin" help "$c"
	if cmp -s "$tmp/out" "$tmp/$c.help"; then ok; else bad "help $c differs from $c --help"; fi
	check "$c -h" 0 $noconf "$bin" "$c" -h
	if cmp -s "$tmp/out" "$tmp/$c.help"; then ok; else bad "$c -h differs from $c --help"; fi
	check "global options, then $c --help" 0 $noconf "$bin" -q --db "$tmp/x.db" "$c" --help
	if cmp -s "$tmp/out" "$tmp/$c.help"; then ok; else bad "-q --db X $c --help differs from $c --help"; fi
done

# each command's help names no option that only another command has
lacks "$tmp/fetch.help" "--explain" "fetch --help"
lacks "$tmp/items.help" "--partials" "items --help"
lacks "$tmp/rank.help" "--dry-run" "rank --help"
lacks "$tmp/render.help" "--date" "render --help"
lacks "$tmp/preview.help" "--format" "preview --help"
lacks "$tmp/jury.help" "--drop" "jury --help"

# the global help lists exactly the commands above
check "--help" 0 "$bin" --help
cp "$tmp/out" "$tmp/main.help"
holds "$tmp/main.help" "usage: aidigest" "--help"
holds "$tmp/main.help" "Commands:" "--help lists the commands"
sed -n '/^Commands:/,/^$/p' "$tmp/main.help" |
	sed -n 's/^  \([a-z][a-z]*\)\( .*\)\{0,1\}$/\1/p' | sort -u >"$tmp/listed"
printf '%s\n' $commands | sort -u >"$tmp/known"
if cmp -s "$tmp/listed" "$tmp/known"; then ok; else bad "--help lists $(tr '\n' ' ' <"$tmp/listed"), the test knows $(tr '\n' ' ' <"$tmp/known")"; fi
check "help" 0 "$bin" help
if cmp -s "$tmp/out" "$tmp/main.help"; then ok; else bad "help differs from --help"; fi

# unknown commands and help for them
check "unknown command" 64 "$bin" frobnicate
holds "$tmp/err" "unknown command 'frobnicate'" "unknown command"
if [ -s "$tmp/out" ]; then bad "unknown command wrote to stdout"; else ok; fi
check "unknown command with --help" 64 "$bin" frobnicate --help
check "help for an unknown command" 64 "$bin" help frobnicate
holds "$tmp/err" "unknown command 'frobnicate'" "help frobnicate"
if [ -s "$tmp/out" ]; then bad "help frobnicate wrote to stdout"; else ok; fi
check "help with two commands" 64 "$bin" help run fetch
check "an unknown option names its command's help" 64 "$bin" rank --bogus
holds "$tmp/err" "try 'aidigest rank --help'" "rank --bogus"

suite_end
