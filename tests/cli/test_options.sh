#!/bin/sh
# test_options.sh NFRACE - the option contract: --help for every subcommand,
# --version, an option a subcommand does not take refused (exit 2), an
# unknown one called unknown, strict decimal numbers (no octal, hex, sign or
# overflow), --kernels and --fix/--no-fix lists checked.  Run from the
# source directory.
set -u
NFRACE=$1
. "$(dirname "$0")/testlib.sh"

S=scenarios/dns-a-aaaa-one-backend.yaml

# --help for every subcommand, on stdout, exit 0, naming the subcommand's options only.
for c in run matrix check replay list prove diff merge curve report plots; do
	expect_status "$c --help" 0 "$NFRACE" $c --help
	expect_grep "$c --help usage" "$TMP/out" "^usage: nfrace $c "
done
"$NFRACE" run --help >"$TMP/run.help"
expect_grep "run --help lists --witness-bound" "$TMP/run.help" "^  --witness-bound K "
grep -q -- "--csv" "$TMP/run.help" && { failed=$((failed + 1)); echo "FAIL: run --help lists --csv"; } || passed=$((passed + 1))
expect_status "help run" 0 "$NFRACE" help run
cmp -s "$TMP/out" "$TMP/run.help" && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: help run differs from run --help"; }
expect_status "-h" 0 "$NFRACE" check -h
expect_grep "-h is --help" "$TMP/out" "^usage: nfrace check"
expect_status "--version" 0 "$NFRACE" --version
expect_grep "--version" "$TMP/out" "^nfrace [0-9][0-9.]* (nfrace-model-"
expect_status "usage without a command" 2 "$NFRACE"

# Options a subcommand does not take are refused and named; unknown ones are called unknown.
expect_status "matrix --witness-bound" 2 "$NFRACE" matrix "$S" --witness-bound 2
expect_grep "not an option of matrix" "$TMP/err" "nfrace matrix: --witness-bound is not an option of matrix"
expect_status "check --json" 2 "$NFRACE" check "$S" --json "$TMP/x.json"
expect_grep "not an option of check" "$TMP/err" "is not an option of check"
[ ! -e "$TMP/x.json" ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: refused option wrote a file"; }
expect_status "replay --explore" 2 "$NFRACE" replay "$S" --schedule x --explore dfs
expect_status "curve --explore" 2 "$NFRACE" curve "$S" --gap 0:0:1 --executions 1 --explore dfs
expect_status "list --json" 2 "$NFRACE" list kernels --json x
expect_status "plots --kernels" 2 "$NFRACE" plots --kernels all
expect_status "unknown option" 2 "$NFRACE" run "$S" --frobnicate 1
expect_grep "unknown option named unknown" "$TMP/err" "unknown option --frobnicate"
expect_status "unknown short option" 2 "$NFRACE" run "$S" -x
expect_grep "unknown short option named" "$TMP/err" "unknown option -x"
expect_status "an option given twice" 2 "$NFRACE" run "$S" --kernel v4.15 --kernel v5.0
expect_grep "given twice" "$TMP/err" "--kernel given twice"
expect_status "--executions and --max-executions are one option" 2 "$NFRACE" run "$S" --executions 5 --max-executions 6
expect_status "a missing value" 2 "$NFRACE" run "$S" --kernel
expect_grep "missing value named" "$TMP/err" "option --kernel needs a value"
expect_status "an empty value" 2 "$NFRACE" run "$S" --json ""
expect_status "-- ends the options" 2 "$NFRACE" run -- "$S" --kernel
expect_grep "-- makes --kernel a file" "$TMP/err" "give exactly one scenario"

# Numbers: decimal only, in range, no overflow.
expect_status "-j octal" 2 "$NFRACE" run "$S" -j 010
expect_grep "-j octal message" "$TMP/err" "decimal number"
expect_status "-j hex" 2 "$NFRACE" run "$S" -j 0x10
expect_status "-j 0" 2 "$NFRACE" matrix "$S" -j 0
expect_status "-j 65" 2 "$NFRACE" matrix "$S" -j 65
expect_status "-j sign" 2 "$NFRACE" matrix "$S" -j +2
expect_status "-j space" 2 "$NFRACE" matrix "$S" -j " 2"
expect_status "--seed overflow" 2 "$NFRACE" run "$S" --seed 18446744073709551616
expect_status "--seed max" 0 "$NFRACE" run "$S" --kernel v5.6 --seed 18446744073709551615
expect_status "--time-limit overflow" 2 "$NFRACE" run "$S" --time-limit 18446744073709552
expect_grep "--time-limit range named" "$TMP/err" "--time-limit is 1 to 31536000"
expect_status "--time-limit 0" 2 "$NFRACE" run "$S" --time-limit 0
expect_status "--max-executions 0" 2 "$NFRACE" run "$S" --max-executions 0
expect_status "--shard wraps" 2 "$NFRACE" matrix "$S" --shard 4294967297/3 --json "$TMP/s"
expect_status "--shard 1/3x" 2 "$NFRACE" matrix "$S" --shard 1/3x --json "$TMP/s"
expect_status "--shard 01/3" 2 "$NFRACE" matrix "$S" --shard 01/3 --json "$TMP/s"
expect_status "--gap hex" 2 "$NFRACE" run "$S" --explore timed --executions 1 --gap 0x10
expect_status "curve --gap negative" 2 "$NFRACE" curve "$S" --gap -5:10:1 --executions 1
expect_status "curve --gap extra field" 2 "$NFRACE" curve "$S" --gap 0:10:1:1 --executions 1
[ ! -e "$TMP/s" ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: a refused shard wrote"; }

# --kernels: not empty, no empty item, no preset twice.
expect_status "--kernels empty" 2 "$NFRACE" matrix "$S" --kernels ''
expect_status "--kernels empty item" 2 "$NFRACE" matrix "$S" --kernels v4.15,,v5.0
expect_status "--kernels trailing comma" 2 "$NFRACE" matrix "$S" --kernels v4.15,
expect_status "--kernels duplicate" 2 "$NFRACE" matrix "$S" --kernels v4.15,v5.0,v4.15
expect_grep "--kernels duplicate named" "$TMP/err" "names v4.15 twice"
expect_status "--kernels two" 0 "$NFRACE" matrix "$S" --kernels v4.15,v5.0
expect_grep "--kernels two columns" "$TMP/out" "^scenario  *v4.15  *v5.0 *$"

# --fix/--no-fix: the same fix both ways refused (by name or commit id); the 33rd named clearly.
expect_status "--fix X --no-fix X" 2 "$NFRACE" run "$S" --kernel v4.15 --fix same-origin --no-fix same-origin
expect_grep "--fix/--no-fix named" "$TMP/err" "name the same fix (same-origin)"
expect_status "--fix by name --no-fix by commit" 2 "$NFRACE" run "$S" --kernel v4.15 --fix same-origin --no-fix 4e35c1cb9460
fixes=""
i=0
while [ $i -lt 33 ]; do fixes="$fixes --fix same-origin"; i=$((i + 1)); done
expect_status "33 --fix" 2 "$NFRACE" run "$S" --kernel v4.15 $fixes
expect_grep "33rd --fix message" "$TMP/err" "at most 32 --fix options"

# A packets scenario is not run under an event-path preset (matrix shows n/a).
expect_status "run under an event-path preset" 2 "$NFRACE" run "$S" --kernel v2.6.30
expect_grep "event-path preset refused" "$TMP/err" "v2.6.30 is an event-path preset"

finish "options"
