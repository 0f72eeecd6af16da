#!/bin/sh
# The tree's shape (issue 11): no hand-written .c file over 1,000 lines
# and no function over 150 lines. Generated files (fetch/html_entities.inc)
# are not .c files. A function is counted from the line that opens it at
# the left margin to its closing brace at the left margin.
cd "$(dirname "$0")/.." || exit 1
max_file=1000
max_fn=150
passed=0
failed=0
for f in aidigest.c $(ls common/*.c fetch/*.c store/*.c summarize/*.c \
	render/*.c pipeline/*.c cli/*.c tests/*.c tests/fuzz/*.c bench/*.c \
	2>/dev/null); do
	bad=0
	lines=$(wc -l <"$f")
	if [ "$lines" -gt "$max_file" ]; then
		echo "$f: $lines lines (at most $max_file)"
		bad=1
	fi
	long=$(awk -v max="$max_fn" '
		/^[A-Za-z_].*\(/ && !/;[[:space:]]*$/ { start = NR; name = $0 }
		/^}/ && start { if (NR - start + 1 > max)
			printf "%s:%d: a function of %d lines: %s\n", FILENAME,
			       start, NR - start + 1, name; start = 0 }' "$f")
	if [ -n "$long" ]; then
		echo "$long"
		bad=1
	fi
	if [ "$bad" -eq 0 ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done
echo "sizes: $passed of $((passed + failed)) files within $max_file lines and functions within $max_fn"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
