#!/bin/sh
# test_limits.sh NFRACE SECONDS - bounds, inputs and messages: a bound on
# executions means the same with any -j (-j and --shard refuse it); printed
# replay commands carry --fix/--no-fix and replay; --time-limit stops an
# events timeline; an events run's memory is bounded; a scenario of exactly
# 1 MiB loads; a FIFO without a writer is given up; any adversarial YAML file
# within the size limit answers within SECONDS (1 in a normal build); YAML
# text reaches the terminal escaped.  Run from the source directory.
set -u
NFRACE=$1
LIMIT=${2:-1}
. "$(dirname "$0")/testlib.sh"

now_ms() { date +%s%3N; }

S=scenarios/dns-a-aaaa-one-backend.yaml
T2=scenarios/dns-a-aaaa-two-backends.yaml

# Item 5: a bound on executions is not split (its cut would depend on timing).
expect_status "bounded run -j refused" 2 "$NFRACE" run "$T2" --kernel v4.15 --max-executions 50 -j 2
expect_grep "bounded run -j explained" "$TMP/err" "max-executions is not split"
expect_status "bounded run --shard refused" 2 "$NFRACE" run "$T2" --kernel v4.15 --max-executions 50 --shard 1/2 --json "$TMP/x"
expect_status "bounded run, one process" 3 "$NFRACE" run "$T2" --kernel v4.15 --max-executions 50
cp "$TMP/out" "$TMP/b1"
expect_status "bounded run -j 1 is one process" 3 "$NFRACE" run "$T2" --kernel v4.15 --max-executions 50 -j 1
cmp -s "$TMP/out" "$TMP/b1" && ok || bad "bounded run -j 1 differs from one process"
for i in 1 2 3 4 5; do
	"$NFRACE" run "$T2" --kernel v5.6 -j 2 --json "$TMP/j$i.json" >"$TMP/j$i.out" 2>/dev/null
done
for i in 2 3 4 5; do
	cmp -s "$TMP/j1.out" "$TMP/j$i.out" && cmp -s "$TMP/j1.json" "$TMP/j$i.json" && ok || bad "run -j 2 gave other bytes in run $i"
done

# Item 6: printed replay commands carry the fix set, and replay.
"$NFRACE" run "$S" --kernel v5.0 --no-fix same-origin --fix clash-resolve-stat >"$TMP/fx.out" 2>&1
cmd=$(grep '^    replay: ' "$TMP/fx.out" | tail -1 | sed 's/^    replay: nfrace //')
case "$cmd" in
*"--no-fix same-origin"*"--fix clash-resolve-stat"*) ok ;;
*) bad "the replay line lacks the fix options: $cmd" ;;
esac
expect_status "the printed replay command replays" 0 "$NFRACE" $cmd
expect_grep "and shows the drop" "$TMP/out" "^verdict: dropped"
R=scenarios/reverse-new-both-ends.yaml
expect_status "a deadlock under a fix set" 4 "$NFRACE" run "$R" --plant lock-order --no-fix reverse-clash
cmd=$(grep -m1 '  replay: ' "$TMP/err" | sed 's/^  replay: nfrace //')
case "$cmd" in *"--no-fix reverse-clash"*"--plant lock-order"*) ok ;; *) bad "the deadlock replay line lacks the options: $cmd" ;; esac
expect_status "the deadlock replay command replays" 4 "$NFRACE" $cmd
expect_grep "and deadlocks" "$TMP/out" "^DEADLOCK"
sed 's/v5.0: ok/v5.0: drop/; s/v4.15: drop/v4.15: ok/' "$S" >"$TMP/wrong.yaml"
expect_status "check under a fix set" 1 "$NFRACE" check "$TMP/wrong.yaml" --kernels v4.15 --fix no-rover
cmd=$(grep -m1 'replay: ' "$TMP/out" | sed 's/^.*replay: nfrace //')
case "$cmd" in *"--fix no-rover"*) ok ;; *) bad "check's replay line lacks --fix: $cmd" ;; esac
expect_status "check's replay command replays" 0 "$NFRACE" $cmd

# Item 9: --time-limit stops an events timeline; an events run's memory is bounded.
cat >"$TMP/day.yaml" <<EOF
name: one-day
kernel: v5.19
events:
  duration_ms: 86400000
  nf_conntrack_max: 100000
  flows: {rate_per_s: 50}
  listeners:
    - {name: conntrackd, kind: conntrackd, reliable: true, rcvbuf: 212992, drain_per_s: 1000}
EOF
t0=$(now_ms)
expect_status "--time-limit in an events timeline" 3 "$NFRACE" run "$TMP/day.yaml" --time-limit 1
took=$(( $(now_ms) - t0 ))
[ "$took" -lt 3000 ] && ok || bad "--time-limit 1 took ${took} ms"
expect_grep "reported incomplete" "$TMP/out" "INCOMPLETE: time bound"
expect_grep "no verdict from a cut timeline" "$TMP/out" "^verdict: packets incomplete"
sed 's/rate_per_s: 50/rate_per_s: 100/' "$TMP/day.yaml" >"$TMP/day2.yaml"
expect_status "an events run over the memory bound" 2 "$NFRACE" run "$TMP/day2.yaml"
expect_grep "memory bound explained" "$TMP/err" "would need [0-9]* MiB"

# Item 10: the docs allow 1 MiB: a scenario of exactly 1048576 bytes loads, one more byte does not.
{ cat "$S"; printf '#'; } >"$TMP/big.yaml"
size=$(wc -c <"$TMP/big.yaml")
head -c $((1048576 - size - 1)) /dev/zero | tr '\0' 'x' >>"$TMP/big.yaml"
echo >>"$TMP/big.yaml"
[ "$(wc -c <"$TMP/big.yaml")" -eq 1048576 ] && ok || bad "the 1 MiB fixture is $(wc -c <"$TMP/big.yaml") bytes"
expect_status "a scenario of exactly 1 MiB" 0 "$NFRACE" run "$TMP/big.yaml" --kernel v5.6
echo >>"$TMP/big.yaml"
expect_status "a scenario of 1 MiB and a byte" 2 "$NFRACE" run "$TMP/big.yaml" --kernel v5.6
expect_grep "over 1 MiB named" "$TMP/err" "larger than 1 MiB"

# Item 9: a FIFO that no writer opens is given up; one that a writer fills is read.
mkfifo "$TMP/fifo"
t0=$(now_ms)
expect_status "a FIFO without a writer" 2 timeout 30 "$NFRACE" run "$TMP/fifo"
took=$(( $(now_ms) - t0 ))
[ "$took" -lt 15000 ] && ok || bad "a FIFO without a writer took ${took} ms"
expect_grep "no writer named" "$TMP/err" "no writer"
(sleep 1; cat "$S" >"$TMP/fifo") &
expect_status "a FIFO with a late writer" 0 "$NFRACE" run "$TMP/fifo" --kernel v5.6
wait

# Item 8: any file within the size limit answers within LIMIT seconds.
shape() { # NAME - a 1 MiB adversarial YAML file in $TMP/NAME.yaml
	case $1 in
	flow) { printf 'foo: '; head -c 524000 /dev/zero | tr '\0' '['; head -c 524000 /dev/zero | tr '\0' ']'; } ;;
	flowmap) { printf 'foo: '; awk 'BEGIN { for (i = 0; i < 200000; i++) printf "{a: " }'; } ;;
	block) awk 'BEGIN { for (i = 0; i < 1400; i++) printf "%*sk:\n", i, "" }' ;;
	anchors) { echo 'x:'; awk 'BEGIN { for (i = 0; i < 75000; i++) printf "  - &a%d v\n", i }'; } ;;
	aliases) { printf 'x: &a v\ny:\n'; awk 'BEGIN { for (i = 0; i < 140000; i++) print "  - *a" }'; } ;;
	keys) awk 'BEGIN { for (i = 0; i < 100000; i++) printf "k%d: v\n", i }' ;;
	list) { printf 'packets: ['; awk 'BEGIN { for (i = 0; i < 520000; i++) printf "1," }'; echo '1]'; } ;;
	docs) awk 'BEGIN { for (i = 0; i < 262000; i++) print "---" }' ;;
	simplekeys) { printf '['; awk 'BEGIN { for (i = 0; i < 1000; i++) printf "%1000s: b, ", "a" }'; echo ']'; } ;;
	scalar) { printf 'name: '; head -c 1048000 /dev/zero | tr '\0' 'a'; echo; } ;;
	esac >"$TMP/$1.yaml"
}
for s in flow flowmap block anchors aliases keys list docs simplekeys scalar; do
	shape $s
	[ "$(wc -c <"$TMP/$s.yaml")" -le 1048576 ] || bad "shape $s is over 1 MiB"
	t0=$(now_ms)
	expect_status "adversarial YAML: $s" 2 "$NFRACE" run "$TMP/$s.yaml"
	took=$(( $(now_ms) - t0 ))
	[ "$took" -lt $((LIMIT * 1000)) ] && ok || bad "adversarial YAML $s took ${took} ms (limit ${LIMIT} s)"
	grep -q "^$TMP/$s.yaml:[0-9]*:[0-9]*: " "$TMP/err" && ok || { bad "adversarial YAML $s: no located error"; cat "$TMP/err"; }
done
"$NFRACE" run "$TMP/flow.yaml" 2>"$TMP/err"
expect_grep "deep nesting refused at its level" "$TMP/err" "flow.yaml:1:37: nested deeper than 32 levels"

# Item 11: YAML keys and values reach the terminal escaped: no forged line, no escape sequence.
printf 'name: x\n"evil\\nscenarios/x.yaml:1:1: all good\\e]0;pwned\\a\\e[2J": 1\n' >"$TMP/evil.yaml"
expect_status "a key with a newline and escapes" 2 "$NFRACE" run "$TMP/evil.yaml"
[ "$(wc -l <"$TMP/err")" -eq 1 ] && ok || { bad "the message has $(wc -l <"$TMP/err") lines"; cat "$TMP/err"; }
grep -q "$(printf '\033')" "$TMP/err" && bad "an escape character reached the terminal" || ok
expect_grep "escaped as text" "$TMP/err" 'evil\\nscenarios/x.yaml:1:1: all good\\x1b\]0;pwned\\x07\\x1b\[2J: unknown key'
printf 'name: x\ndescription: "a\\e[31mred\\nline"\npackets:\n  - {name: A, cpu: 0, hook: prerouting, proto: udp, src: 10.0.0.1:1000, dst: 10.0.0.2:53}\n' \
	>"$TMP/desc.yaml"
expect_status "a value with escapes in a later error" 2 "$NFRACE" run "$TMP/desc.yaml"
grep -q "$(printf '\033')" "$TMP/err" && bad "an escape character reached the terminal" || ok
mkdir -p "$TMP/ls/scenarios"
cp "$TMP/desc.yaml" "$TMP/ls/scenarios/"
(cd "$TMP/ls" && "$NFRACE" list scenarios) >"$TMP/out" 2>&1
[ "$(wc -l <"$TMP/out")" -eq 1 ] && ! grep -q "$(printf '\033')" "$TMP/out" && ok ||
	{ bad "list scenarios printed the description unescaped"; cat "$TMP/out"; }

finish "limits"
