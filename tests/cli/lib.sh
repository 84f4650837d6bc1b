# lib.sh - what the CLI test scripts share (sourced, after NFRACE is set):
# a temporary directory $TMP removed at exit, the pass and fail counts, the
# checks, and the summary line that decides the script's exit status.
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }

# expect_status NAME WANT CMD... - CMD exits WANT (its output in $TMP/out and $TMP/err)
expect_status() {
	name=$1; want=$2; shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else bad "$name: exit $got, wanted $want"; cat "$TMP/err"; fi
}

# expect_grep NAME FILE PATTERN - FILE has a line matching PATTERN
expect_grep() {
	if grep -q -- "$3" "$2"; then ok; else bad "$1: '$3' not in $2"; cat "$2"; fi
}

# finish NAME - print the counts; succeed when nothing failed
finish() {
	echo "$1: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
