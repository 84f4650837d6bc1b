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
