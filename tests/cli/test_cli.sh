#!/bin/sh
# test_cli.sh NFRACE - the command line's contract: exit statuses, errors
# located as file:line:col with the key, nothing half-written on bad input,
# byte-identical output for identical runs.  Run from the source directory.
set -u
NFRACE=$1
. "$(dirname "$0")/testlib.sh"

S=scenarios/dns-a-aaaa-one-backend.yaml

expect_status "bad yaml" 2 "$NFRACE" run tests/data/bad/duplicate-key.yaml --json "$TMP/x.json"
expect_grep "bad yaml located" "$TMP/err" "tests/data/bad/duplicate-key.yaml:[0-9]*:[0-9]*: "
[ ! -e "$TMP/x.json" ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: json written on bad input"; }
ls "$TMP" | grep -q tmp && { failed=$((failed + 1)); echo "FAIL: temporary file left"; } || passed=$((passed + 1))

expect_status "unknown preset" 2 "$NFRACE" run "$S" --kernel v9.9
expect_grep "unknown preset named" "$TMP/err" "v9.9"
expect_status "unknown fix" 2 "$NFRACE" run "$S" --fix nosuchfix
expect_status "unknown option" 2 "$NFRACE" run "$S" --frobnicate 1
expect_status "unknown command" 2 "$NFRACE" frobnicate
expect_status "missing file" 2 "$NFRACE" run nosuch.yaml
expect_grep "missing file located" "$TMP/err" "nosuch.yaml:0:0"

expect_status "fix by commit prefix" 0 "$NFRACE" run "$S" --kernel v4.15 --fix ed07d9a021df --fix 4e35c1cb9460
expect_grep "fix by commit prefix verdict" "$TMP/out" "verdict: ok"
expect_status "run drop exits 0" 0 "$NFRACE" run "$S" --kernel v4.15
expect_grep "seed printed first" "$TMP/out" "^nfrace .* seed 0"
head -1 "$TMP/out" | grep -q seed && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: seed not first"; }
expect_grep "coverage line" "$TMP/out" "^coverage: dpor, no bound hit, .* complete"
token=$(grep -o 'nfr1-[0-9a-f]*-[0-9a-z_]*' "$TMP/out" | tail -1)

expect_status "replay" 0 "$NFRACE" replay "$S" --kernel v4.15 --schedule "$token"
expect_grep "replay verdict" "$TMP/out" "^verdict: "
expect_grep "replay kernel vocabulary" "$TMP/out" "__nf_conntrack_confirm"
expect_status "replay as markdown" 0 "$NFRACE" replay "$S" --kernel v4.15 --schedule "$token" --format md
expect_grep "markdown verdict" "$TMP/out" '^\*\*verdict:\*\*'
expect_status "stale token" 2 "$NFRACE" replay "$S" --kernel v5.0 --schedule "$token"
expect_grep "stale token explained" "$TMP/err" "stale schedule token"
expect_status "malformed token" 2 "$NFRACE" replay "$S" --kernel v4.15 --schedule garbage

expect_status "bound gives incomplete" 3 "$NFRACE" run "$S" --kernel v5.0 --max-executions 3
expect_grep "incomplete reported" "$TMP/out" "INCOMPLETE"

sed 's/v5.0: ok/v5.0: drop/' "$S" >"$TMP/wrong.yaml"
expect_status "failed expectation" 1 "$NFRACE" check "$TMP/wrong.yaml"
expect_grep "failure with witness line" "$TMP/out" "FAIL .*v5.0"

expect_status "json run" 0 "$NFRACE" run "$S" --kernel v4.15 --json "$TMP/run.json"
expect_grep "json key order" "$TMP/run.json" '"scenario": "dns-a-aaaa-one-backend"'
expect_grep "json drop_executions" "$TMP/run.json" '"drop_executions": '

expect_status "matrix 1" 0 "$NFRACE" matrix scenarios/conntrack-only.yaml scenarios/nat-null-binding.yaml --json "$TMP/m1.json" --csv "$TMP/m1.csv"
expect_status "matrix 2" 0 "$NFRACE" matrix scenarios/conntrack-only.yaml scenarios/nat-null-binding.yaml --json "$TMP/m2.json" --csv "$TMP/m2.csv"
cmp -s "$TMP/m1.json" "$TMP/m2.json" && cmp -s "$TMP/m1.csv" "$TMP/m2.csv" && passed=$((passed + 1)) ||
	{ failed=$((failed + 1)); echo "FAIL: matrix output differs between two identical runs"; }

expect_status "list kernels" 0 "$NFRACE" list kernels
expect_grep "list kernels" "$TMP/out" "bionic-sru"
expect_status "list fixes" 0 "$NFRACE" list fixes
expect_grep "list fixes" "$TMP/out" "6a757c07e51f"
expect_status "list scenarios" 0 "$NFRACE" list scenarios

# Testing the tester: a planted lock-order bug must be found, with a witness that replays.
R=scenarios/reverse-new-both-ends.yaml
expect_status "planted lock-order bug found" 4 "$NFRACE" run "$R" --plant lock-order
expect_grep "planted bug reported as deadlock" "$TMP/err" "DEADLOCK in reverse-new-both-ends"
wtoken=$(grep -o 'nfr1-[0-9a-f]*-[0-9a-z_]*' "$TMP/err" | head -1)
expect_status "planted bug witness replays" 4 "$NFRACE" replay "$R" --kernel v6.12 --plant lock-order --schedule "$wtoken"
expect_grep "planted bug replay shows the deadlock" "$TMP/out" "^DEADLOCK"
expect_status "without the plant no deadlock" 0 "$NFRACE" run "$R"

# A crash while exploring (a planted abort() at the first clash) prints the
# schedule prefix of the execution that crashed and a replay that crashes the
# same way; the process still dies of the signal.
expect_status "planted crash dies of SIGABRT" 134 "$NFRACE" run "$S" --kernel v4.15 --plant abort
expect_grep "crash reported" "$TMP/err" "^nfrace: CRASH (SIGABRT) while exploring"
ctoken=$(grep -o 'schedule prefix: nfr1-[0-9a-f]*-[0-9a-z_]*' "$TMP/err" | sed 's/schedule prefix: //')
expect_grep "crash replay command" "$TMP/err" "replay (crashes the same way; run it under a debugger): nfrace replay $S --kernel v4.15 --plant abort --schedule $ctoken"
expect_status "crash prefix replays to the crash" 134 "$NFRACE" replay "$S" --kernel v4.15 --plant abort --schedule "$ctoken"
expect_grep "crash replay reports the same prefix" "$TMP/err" "schedule prefix: $ctoken\$"
expect_status "planted crash under random sampling" 134 "$NFRACE" run "$S" --kernel v4.15 --plant abort --explore random --executions 50
expect_grep "sampled crash reported" "$TMP/err" "schedule prefix: nfr1-"
expect_status "random sampling of an events scenario" 3 "$NFRACE" run scenarios/ctnetlink-flush-reliable.yaml --explore random --executions 2
expect_status "pct sampling of an events scenario" 3 "$NFRACE" run scenarios/ctnetlink-flush-reliable.yaml --explore pct --executions 2
expect_status "no state caching for events scenarios" 2 "$NFRACE" run scenarios/ctnetlink-flush-reliable.yaml --explore stateful
expect_status "no crash report outside an exploration" 2 "$NFRACE" run nosuch.yaml
grep -q CRASH "$TMP/err" && { failed=$((failed + 1)); echo "FAIL: crash text without a crash"; } || passed=$((passed + 1))

# SIGINT: the run stops, says it is incomplete, and writes no file.
"$NFRACE" run "$S" --kernel v4.15 --explore dfs --json "$TMP/int.json" >"$TMP/int.out" 2>&1 &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
st=$?
[ "$st" -eq 3 ] && [ ! -e "$TMP/int.json" ] && ! ls "$TMP" | grep -q 'int.json.tmp' && passed=$((passed + 1)) ||
	{ failed=$((failed + 1)); echo "FAIL: SIGINT gave exit $st or left a file"; cat "$TMP/int.out"; }

expect_status "determinism self-check" 0 "$NFRACE" run "$S" --kernel v5.6 --check-determinism

# Reviewer outputs: a regression proof, a differential replay, JUnit XML.
expect_status "prove holds" 0 "$NFRACE" prove "$S" --kernel v4.19 --fix 4e35c1cb9460
expect_grep "prove names the fix" "$TMP/out" "4e35c1cb9460"
expect_grep "prove: none with the fix" "$TMP/out" "^with same-origin: none of the"
ptoken=$(grep -o 'nfr1-[0-9a-f]*-[0-9a-z_]*' "$TMP/out" | head -1)
expect_status "prove witness replays" 0 "$NFRACE" replay "$S" --kernel v4.19 --schedule "$ptoken"
expect_grep "prove witness drops" "$TMP/out" "^verdict: dropped"
expect_status "prove fails for a fix that is not the cure" 1 "$NFRACE" prove "$S" --kernel v4.15 --fix no-rover
expect_status "diff" 0 "$NFRACE" diff "$S" --kernel v4.19 --vs v5.0 --schedule "$ptoken"
expect_grep "diff shows the changed branch" "$TMP/out" "same origin: not taken"
expect_status "junit" 0 "$NFRACE" check scenarios/conntrack-only.yaml --junit "$TMP/junit.xml"
expect_grep "junit test cases" "$TMP/junit.xml" '<testcase classname="conntrack-only" name="v4.15"'
expect_status "junit failure" 1 "$NFRACE" check "$TMP/wrong.yaml" --junit "$TMP/junit2.xml"
expect_grep "junit failure carries the witness" "$TMP/junit2.xml" '<failure message="expected drop, got ok">'

# Sampling: PCT and random give a drop fraction with a confidence interval,
# never claim completeness, reproduce from the seed, and their witnesses replay.
expect_status "pct sampling is incomplete" 3 "$NFRACE" run "$S" --kernel v4.15 --explore pct --executions 2000 --seed 11
expect_grep "pct guarantee printed" "$TMP/out" "^pct: depth 2, 2 CPUs"
expect_grep "drop fraction with CI" "$TMP/out" "95% CI"
cp "$TMP/out" "$TMP/pct1"
stoken=$(grep -o 'nfr1-[0-9a-f]*-[0-9a-z_]*' "$TMP/out" | tail -1)
expect_status "pct again" 3 "$NFRACE" run "$S" --kernel v4.15 --explore pct --executions 2000 --seed 11
cmp -s "$TMP/pct1" "$TMP/out" && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: pct not reproducible from its seed"; }
expect_status "sampled witness replays" 0 "$NFRACE" replay "$S" --kernel v4.15 --schedule "$stoken"
expect_status "random needs --executions" 2 "$NFRACE" run "$S" --explore random

# -j and sharding: same bytes as one process, and shards merge into the unsharded JSON.
M="scenarios/conntrack-only.yaml scenarios/nat-null-binding.yaml scenarios/reverse-new-both-ends.yaml"
expect_status "matrix -j 1" 0 "$NFRACE" matrix $M --json "$TMP/p1.json" --csv "$TMP/p1.csv"
cp "$TMP/out" "$TMP/p1.out"
expect_status "matrix -j 2" 0 "$NFRACE" matrix $M -j 2 --json "$TMP/p2.json" --csv "$TMP/p2.csv"
cmp -s "$TMP/p1.json" "$TMP/p2.json" && cmp -s "$TMP/p1.csv" "$TMP/p2.csv" && cmp -s "$TMP/p1.out" "$TMP/out" &&
	passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: -j 2 output differs from -j 1"; }
expect_status "shard 1/3" 0 "$NFRACE" matrix $M --shard 1/3 --json "$TMP/sh1"
expect_status "shard 2/3" 0 "$NFRACE" matrix $M --shard 2/3 --json "$TMP/sh2"
expect_status "shard 3/3" 0 "$NFRACE" matrix $M --shard 3/3 -j 2 --json "$TMP/sh3"
expect_status "merge" 0 "$NFRACE" merge "$TMP/sh3" "$TMP/sh1" "$TMP/sh2" --json "$TMP/merged.json"
cmp -s "$TMP/merged.json" "$TMP/p1.json" && passed=$((passed + 1)) ||
	{ failed=$((failed + 1)); echo "FAIL: merged shards differ from the unsharded matrix"; }
expect_status "merge with a shard missing" 2 "$NFRACE" merge "$TMP/sh1" "$TMP/sh2"
expect_grep "missing shard named" "$TMP/err" "shard [0-9]/3 is missing"
expect_status "bad shard spec" 2 "$NFRACE" matrix $M --shard 4/3

# report: one HTML page; bad input writes nothing, two runs give the same bytes,
# a missing gnuplot skips the figure with a message and still writes the page.
expect_status "report of a bad scenario" 2 "$NFRACE" report tests/data/bad/duplicate-key.yaml -o "$TMP/rep0"
expect_grep "report bad scenario located" "$TMP/err" "tests/data/bad/duplicate-key.yaml:[0-9]*:[0-9]*: "
[ ! -e "$TMP/rep0" ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: report wrote on bad input"; }
expect_status "report with an unknown preset" 2 "$NFRACE" report "$S" --kernels v4.15,v9.9 -o "$TMP/rep0"
[ ! -e "$TMP/rep0" ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: report wrote on a bad preset"; }
expect_status "report without -o" 2 "$NFRACE" report "$S"
: >"$TMP/afile"
expect_status "report -o onto a file" 2 "$NFRACE" report "$S" -o "$TMP/afile"
expect_status "report 1" 0 "$NFRACE" report "$S" scenarios/conntrack-only.yaml --kernels v4.15,v5.6 -o "$TMP/repa"
expect_grep "report names its page" "$TMP/out" "wrote $TMP/repa/index.html"
expect_status "report 2" 0 "$NFRACE" report "$S" scenarios/conntrack-only.yaml --kernels v4.15,v5.6 -o "$TMP/repb"
cmp -s "$TMP/repa/index.html" "$TMP/repb/index.html" && passed=$((passed + 1)) ||
	{ failed=$((failed + 1)); echo "FAIL: report differs between two identical runs"; }
expect_status "report -j 2" 0 "$NFRACE" report "$S" scenarios/conntrack-only.yaml --kernels v4.15,v5.6 -o "$TMP/repj" -j 2
cmp -s "$TMP/repa/index.html" "$TMP/repj/index.html" && passed=$((passed + 1)) ||
	{ failed=$((failed + 1)); echo "FAIL: report -j 2 differs from one process"; }
expect_status "report refuses matrix-only outputs" 2 "$NFRACE" report "$S" -o "$TMP/rep0" --csv "$TMP/x.csv"
[ ! -e "$TMP/rep0" ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: report wrote with a refused option"; }
expect_grep "report matrix drop cell links its witness" "$TMP/repa/index.html" \
	'<td class="drop"><a href="#step=dns-a-aaaa-one-backend/v4.15/0">drop</a></td>'
expect_grep "report matrix ok cell" "$TMP/repa/index.html" '<td class="ok">ok</td>'
expect_grep "report embeds the table state" "$TMP/repa/index.html" '"buckets":\[{"bucket":'
ls "$TMP/repa" | grep -q tmp && { failed=$((failed + 1)); echo "FAIL: report left a temporary file"; } || passed=$((passed + 1))
NFRACE_GNUPLOT=/nonexistent "$NFRACE" report "$S" --kernels v4.15 -o "$TMP/repc" >"$TMP/out" 2>"$TMP/err"
st=$?
[ "$st" -eq 0 ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: report without gnuplot exit $st"; cat "$TMP/err"; }
expect_grep "plot skipped message" "$TMP/err" "^nfrace: plot skipped (gnuplot not found): $TMP/repc/dpor.svg$"
expect_grep "page says the plot was skipped" "$TMP/repc/index.html" "plot skipped (gnuplot not found)"
[ ! -e "$TMP/repc/dpor.svg" ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: an svg without gnuplot"; }

# Timed runs and curves (docs/timing.md).
expect_status "timed needs --executions" 2 "$NFRACE" run "$S" --explore timed
expect_status "timed run" 3 "$NFRACE" run "$S" --kernel v4.15 --explore timed --executions 200 --gap 0
expect_grep "timed run samples" "$TMP/out" "^sampled: timed, seed 0: 200 of 200 executions drop"
ttoken=$(grep -o 'nfr1-[0-9a-f]*-[0-9a-z_]*' "$TMP/out" | head -1)
expect_status "a timeline replays" 0 "$NFRACE" replay "$S" --kernel v4.15 --schedule "$ttoken"
expect_status "timed finds no drop: incomplete, not ok" 3 "$NFRACE" run "$S" --kernel v5.0 --explore timed --executions 50
expect_grep "timed no-drop verdict" "$TMP/out" "^verdict: incomplete"
expect_status "bad gap" 2 "$NFRACE" run "$S" --explore timed --executions 1 --gap -5
expect_status "curve bad range" 2 "$NFRACE" curve "$S" --gap 10:5:1 --executions 10
"$NFRACE" curve "$S" --gap 0:9000:3000 --executions 100 --kernels v4.15,v4.19 --csv "$TMP/c1.csv" >/dev/null 2>&1
"$NFRACE" curve "$S" --gap 0:9000:3000 --executions 100 --kernels v4.15,v4.19 --csv "$TMP/c2.csv" >/dev/null 2>&1
cmp -s "$TMP/c1.csv" "$TMP/c2.csv" && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: curve not deterministic"; }
expect_grep "curve csv header" "$TMP/c1.csv" "^scenario,kernel,gap_ns,executions,drops,p_drop,ci_low,ci_high$"
expect_grep "curve v4.15 drops at gap 0" "$TMP/c1.csv" "^dns-a-aaaa-one-backend,v4.15,0,100,100,1.000000,"
expect_grep "curve v4.19 clean at gap 0" "$TMP/c1.csv" "^dns-a-aaaa-one-backend,v4.19,0,100,0,0.000000,"
NFRACE_GNUPLOT=/nonexistent "$NFRACE" curve "$S" --gap 0:0:1 --executions 10 --kernels v4.15 --csv "$TMP/c3.csv" \
	--plot "$TMP/c3" >"$TMP/out" 2>"$TMP/err"
expect_grep "curve says the plot was skipped" "$TMP/err" "plot skipped (gnuplot not found): $TMP/c3.svg"
[ -s "$TMP/c3.csv" ] && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: curve CSV missing without gnuplot"; }
"$NFRACE" curve scenarios/dns-load-timeouts.yaml --gap 5000:5000:1 --executions 100 --kernels v4.15 --csv - 2>/dev/null >"$TMP/tph"
expect_grep "timeouts per hour column" "$TMP/tph" "^dns-load-timeouts,v4.15,5000,100,100,1.000000,.*,72000.0,"

# Events scenarios (docs/events.md).
E=scenarios/ctnetlink-flush-reliable.yaml
expect_status "events run" 0 "$NFRACE" run "$E" --kernel v2.6.30 --json "$TMP/e.json"
expect_grep "events verdict" "$TMP/out" "^verdict: packets ok, DESTROY events lost"
expect_grep "events json" "$TMP/e.json" '"events": {"timelines": 1, "flows": 2000, '
expect_grep "events json verdict" "$TMP/e.json" '"verdict": {"packets": "ok", "destroy": "lost"}'
expect_status "events run reliable" 0 "$NFRACE" run "$E" --kernel v5.19 --json "$TMP/e2.json"
expect_grep "events delivered" "$TMP/e2.json" '"destroy_lost": 0, "destroy_pending": 0'
"$NFRACE" run "$E" --kernel v2.6.31 --seed 5 --json "$TMP/e3.json" >/dev/null 2>&1
"$NFRACE" run "$E" --kernel v2.6.31 --seed 5 --json "$TMP/e4.json" >/dev/null 2>&1
cmp -s "$TMP/e3.json" "$TMP/e4.json" && passed=$((passed + 1)) || { failed=$((failed + 1)); echo "FAIL: events run not deterministic"; }
expect_status "event-path preset in a race matrix is n/a" 0 "$NFRACE" matrix "$S" --kernels v2.6.30,v4.15 --md "$TMP/m.md"
expect_grep "n/a cell" "$TMP/m.md" "| dns-a-aaaa-one-backend | n/a | drop |"
expect_status "curve rcvbuf sweep" 0 "$NFRACE" curve "$E" --rcvbuf 2048:8192:2 --kernels v2.6.30 --csv "$TMP/sw.csv"
expect_grep "sweep rows" "$TMP/sw.csv" "^ctnetlink-flush-reliable,v2.6.30,8192,1,2000,"
expect_status "sweep needs --rcvbuf" 2 "$NFRACE" curve "$E"
expect_status "report with an events scenario" 0 "$NFRACE" report "$E" "$S" --kernels v2.6.30,v5.19 -o "$TMP/repe"
expect_grep "report event-path table" "$TMP/repe/index.html" \
	'<tr><th>ctnetlink-flush-reliable</th><td>v2.6.30</td><td>ok</td><td>lost</td><td>'
expect_grep "report: an events matrix of its own" "$TMP/repe/index.html" '<table class="matrix" id="matrix-events">'

# One exploration split: run -j N and merged run shards give the bytes of one process.
T2=scenarios/dns-a-aaaa-two-backends.yaml
for k in v4.15 v5.6; do
	expect_status "run $k" 0 "$NFRACE" run "$T2" --kernel "$k" --json "$TMP/r1.json"
	cp "$TMP/out" "$TMP/r1.out"
	expect_status "run $k -j 1" 0 "$NFRACE" run "$T2" --kernel "$k" -j 1 --json "$TMP/rj1.json"
	cmp -s "$TMP/r1.out" "$TMP/out" && cmp -s "$TMP/r1.json" "$TMP/rj1.json" && passed=$((passed + 1)) ||
		{ failed=$((failed + 1)); echo "FAIL: run -j 1 differs from run ($k)"; }
	expect_status "run $k -j 2" 0 "$NFRACE" run "$T2" --kernel "$k" -j 2 --json "$TMP/rj2.json"
	cmp -s "$TMP/r1.out" "$TMP/out" && cmp -s "$TMP/r1.json" "$TMP/rj2.json" && passed=$((passed + 1)) ||
		{ failed=$((failed + 1)); echo "FAIL: run -j 2 differs from run -j 1 ($k)"; }
	for s in 1 2 3; do
		expect_status "run shard $s/3" 0 "$NFRACE" run "$T2" --kernel "$k" --shard $s/3 --json "$TMP/rs$s"
	done
	expect_status "merge run shards" 0 "$NFRACE" merge "$TMP/rs2" "$TMP/rs3" "$TMP/rs1" --json "$TMP/rm.json"
	cmp -s "$TMP/r1.out" "$TMP/out" && cmp -s "$TMP/r1.json" "$TMP/rm.json" && passed=$((passed + 1)) ||
		{ failed=$((failed + 1)); echo "FAIL: merged run shards differ from the unsharded run ($k)"; diff "$TMP/r1.out" "$TMP/out"; }
done
expect_grep "run shards split the work" "$TMP/rs2" "^result [1-9]"
expect_status "merge run shards with one missing" 2 "$NFRACE" merge "$TMP/rs1" "$TMP/rs3"
expect_grep "missing run shard named" "$TMP/err" "shard 2/3 is missing"
expect_status "merge run shards of two runs" 2 "$NFRACE" merge "$TMP/rs1" "$TMP/rs2" "$TMP/sh1"
expect_status "run shard needs --json" 2 "$NFRACE" run "$T2" --shard 1/2
expect_status "run -j with --shard" 2 "$NFRACE" run "$T2" -j 2 --shard 1/2 --json "$TMP/x"

# Optimal DPOR: the outcomes of DPOR, no execution abandoned on the burst; never split.
expect_status "run odpor" 0 "$NFRACE" run tests/data/bench/udpclash-burst4.yaml --explore odpor --count-classes
expect_grep "odpor coverage" "$TMP/out" "^coverage: odpor, no bound hit, 10176 executions (0 pruned as equivalent), complete"
expect_grep "odpor one execution per class" "$TMP/out" "^trace classes: 10176 distinct among the 10176 executions"
expect_status "run odpor -j" 2 "$NFRACE" run "$T2" --explore odpor -j 2
expect_grep "odpor -j refused" "$TMP/err" "split dpor and dfs explorations only"
expect_status "run odpor --shard" 2 "$NFRACE" run "$T2" --explore odpor --shard 1/2 --json "$TMP/x"

# SIGINT to run -j: passed on to the workers; incomplete, nothing written.
"$NFRACE" run tests/data/bench/udpclash-burst5.yaml --explore dpor -j 2 --json "$TMP/jint.json" >"$TMP/jint.out" 2>&1 &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
st=$?
[ "$st" -eq 3 ] && [ ! -e "$TMP/jint.json" ] && grep -q "^interrupted" "$TMP/jint.out" && passed=$((passed + 1)) ||
	{ failed=$((failed + 1)); echo "FAIL: SIGINT to run -j gave exit $st or left a file"; cat "$TMP/jint.out"; }

finish "cli"
