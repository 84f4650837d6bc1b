# testlib.sh - what the CLI test scripts share (sourced, after NFRACE=$1):
# a temporary directory $TMP removed on exit, the counters, ok/bad, and
# finish NAME, which prints the tally and exits 1 on any failure.
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }
finish() {
	echo "$1: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

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
