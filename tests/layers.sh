#!/bin/sh
# The layer check (docs/layers.md): every #include "DIR/..." in the
# program's sources points to its own folder or to a folder of a lower
# layer. fetch/ and store/ share a layer and include neither the other,
# so the folders' include graph has no circles. One check per source file;
# each include that points up or sideways is printed as FILE:LINE.
cd "$(dirname "$0")/.." || exit 1

# layer of a folder (the root's aidigest.c is the command line's)
rank() {
	case $1 in
	common) echo 0 ;;
	fetch | store) echo 1 ;;
	summarize) echo 2 ;;
	render) echo 3 ;;
	pipeline) echo 4 ;;
	cli | .) echo 5 ;;
	*) echo "" ;;
	esac
}

passed=0
failed=0
for f in aidigest.c $(ls common/*.[ch] fetch/*.[ch] store/*.[ch] \
	summarize/*.[ch] render/*.[ch] pipeline/*.[ch] cli/*.[ch] \
	2>/dev/null); do
	dir=$(dirname "$f")
	# the root's aidigest.c (main, the table of commands) and cli/ are
	# one module: the command line
	[ "$dir" = . ] && dir=cli
	own=$(rank "$dir")
	bad=0
	# "line dir" for every quoted include with a folder
	for inc in $(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"/]*/' "$f" |
		sed 's/^\([0-9]*\):[^"]*"\([^"/]*\)\/.*/\1:\2/'); do
		line=${inc%%:*}
		to=${inc#*:}
		[ "$to" = "$dir" ] && continue
		r=$(rank "$to")
		if [ -z "$r" ]; then
			echo "$f:$line: includes from $to/, which is no layer"
			bad=1
		elif [ "$r" -ge "$own" ]; then
			echo "$f:$line: $dir/ (layer $own) includes from $to/ (layer $r)"
			bad=1
		fi
	done
	if [ "$bad" -eq 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done
echo "layers: every include of $passed of $((passed + failed)) files points down"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
