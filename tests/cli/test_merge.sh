#!/bin/sh
# test_merge.sh NFRACE - merge reads shard files as untrusted input
# (job_shard.h): a corrupt, crafted or foreign shard is exit 2 with
# file:line:col, never a crash, an impossible result or exit 4; shards of
# different work are refused; check shards join into one report and JUnit
# file (the bytes of the unsharded check but for the JUnit times); check
# honours -j, --shard and --kernels, reports a scenario that does not load as
# an errored case and the others still run, and annotates failures for
# GitHub at their expect: line.  Run from the source directory.
set -u
NFRACE=$1
. "$(dirname "$0")/testlib.sh"

# fnv FILE BYTES - FNV-1a 64 of the first BYTES bytes of FILE, as the end line writes it
fnv() {
	h=-3750763034362895579
	for b in $(head -c "$2" "$1" | od -An -v -tu1); do
		h=$(( (h ^ b) * 1099511628211 ))
	done
	printf '%016x' "$h"
}

# reseal FILE - recompute the checksum of the end line (a forger's last step)
reseal() {
	body=$(($(wc -c <"$1") - 21))
	head -c "$body" "$1" >"$1.body"
	{ cat "$1.body"; printf 'end %s\n' "$(fnv "$1.body" "$body")"; } >"$1"
	rm -f "$1.body"
}

# refused NAME FILE... - merge of the files is exit 2 with a located message (no crash)
refused() {
	name=$1; shift
	expect_status "$name" 2 "$NFRACE" merge "$@" --json "$TMP/never.json"
	grep -Eq ':[0-9]+:[0-9]+: |nfrace merge: ' "$TMP/err" && ok || { bad "$name: no located message"; cat "$TMP/err"; }
	[ ! -e "$TMP/never.json" ] && ok || bad "$name: wrote the merged file"
	rm -f "$TMP/never.json"
}

A=scenarios/conntrack-only.yaml
B=scenarios/nat-null-binding.yaml

# ---- matrix shards -------------------------------------------------------------
"$NFRACE" matrix $A $B --kernels v4.15,v5.0 --json "$TMP/m.json" >/dev/null 2>&1
for k in 1 2; do "$NFRACE" matrix $A $B --kernels v4.15,v5.0 --shard $k/2 --json "$TMP/ms$k" >/dev/null 2>&1; done
expect_status "merge matrix shards" 0 "$NFRACE" merge "$TMP/ms2" "$TMP/ms1" --json "$TMP/mm.json"
cmp -s "$TMP/m.json" "$TMP/mm.json" && ok || bad "merged matrix differs from the unsharded one"
expect_grep "a matrix shard carries its identity" "$TMP/ms1" "^scenario $A [0-9a-f]*$"

sed 's/^task 0 [0-9]*$/task 0 -1/' "$TMP/ms1" >"$TMP/neg"
refused "task length -1 (was a heap overflow)" "$TMP/neg" "$TMP/ms2"
expect_grep "task length -1 located" "$TMP/err" "neg:[0-9]*:8: task length: not a decimal number"
sed 's/^task 0 [0-9]*$/task 0 18446744073709551615/' "$TMP/ms1" >"$TMP/huge"
refused "task length 2^64-1" "$TMP/huge" "$TMP/ms2"
sed 's/^task 0 [0-9]*$/task 0 999999/' "$TMP/ms1" >"$TMP/long"
refused "task length past the end" "$TMP/long" "$TMP/ms2"
expect_grep "task length past the end named" "$TMP/err" "bytes announced"
head -c 300 "$TMP/ms1" >"$TMP/cut"
refused "a cut shard" "$TMP/cut" "$TMP/ms2"
sed 's/"conntrack-only"/"conntrack-onlx"/' "$TMP/ms1" >"$TMP/flip"
refused "a changed byte" "$TMP/flip" "$TMP/ms2"
expect_grep "checksum named" "$TMP/err" "checksum mismatch"
sed '1s/^nfrace-shard 2 /nfrace-shard 1 /' "$TMP/ms1" >"$TMP/v1"
refused "an old format" "$TMP/v1" "$TMP/ms2"
expect_grep "old format named" "$TMP/err" "v1:1:14: format version 1"
sed 's/^task 2 /task 4 /' "$TMP/ms1" >"$TMP/idx"
reseal "$TMP/idx"
refused "a task out of place" "$TMP/idx" "$TMP/ms2"
refused "a shard given twice" "$TMP/ms1" "$TMP/ms1" "$TMP/ms2"
expect_grep "twice named" "$TMP/err" "given twice"
refused "a shard missing" "$TMP/ms1"
expect_grep "missing named" "$TMP/err" "shard 2/2 is missing"
# shards of other work: other presets, scenarios, options, N
"$NFRACE" matrix $A $B --kernels v4.15,v5.6 --shard 2/2 --json "$TMP/other-k" >/dev/null 2>&1
refused "other presets" "$TMP/ms1" "$TMP/other-k"
expect_grep "other presets named" "$TMP/err" "another matrix"
"$NFRACE" matrix $A $A --kernels v4.15,v5.0 --shard 2/2 --json "$TMP/other-s" >/dev/null 2>&1
refused "other scenarios" "$TMP/ms1" "$TMP/other-s"
"$NFRACE" matrix $A $B --kernels v4.15,v5.0 --seed 7 --shard 2/2 --json "$TMP/other-o" >/dev/null 2>&1
refused "other options" "$TMP/ms1" "$TMP/other-o"
"$NFRACE" matrix $A $B --kernels v4.15,v5.0 --shard 2/3 --json "$TMP/other-n" >/dev/null 2>&1
refused "other N" "$TMP/ms1" "$TMP/other-n"

# ---- run shards ------------------------------------------------------------------
T2=scenarios/dns-a-aaaa-two-backends.yaml
"$NFRACE" run "$T2" --kernel v4.15 --json "$TMP/r.json" >"$TMP/r.out" 2>/dev/null
for k in 1 2 3; do "$NFRACE" run "$T2" --kernel v4.15 --shard $k/3 --json "$TMP/rs$k" >/dev/null 2>&1; done
expect_status "merge run shards" 0 "$NFRACE" merge "$TMP/rs1" "$TMP/rs2" "$TMP/rs3" --json "$TMP/rm.json"
cmp -s "$TMP/r.json" "$TMP/rm.json" && cmp -s "$TMP/r.out" "$TMP/out" && ok || bad "merged run differs from one process"
# a shard through a FIFO (read once: the kind is told from what was read)
mkfifo "$TMP/fifo-rs1" "$TMP/fifo-ms1"
cat "$TMP/rs1" >"$TMP/fifo-rs1" &
expect_status "merge a run shard from a FIFO" 0 timeout 60 "$NFRACE" merge "$TMP/fifo-rs1" "$TMP/rs2" "$TMP/rs3" --json "$TMP/rf.json"
cmp -s "$TMP/r.json" "$TMP/rf.json" && ok || bad "a run shard from a FIFO merged into other bytes"
cat "$TMP/ms1" >"$TMP/fifo-ms1" &
expect_status "merge a matrix shard from a FIFO" 0 timeout 60 "$NFRACE" merge "$TMP/fifo-ms1" "$TMP/ms2" --json "$TMP/mf.json"
cmp -s "$TMP/m.json" "$TMP/mf.json" && ok || bad "a matrix shard from a FIFO merged into other bytes"
wait

# field N of the first (craft) or last (craft_last) line starting with WORD
# set to VALUE, then resealed (a crafted file with a valid checksum)
craft() { # IN OUT WORD FIELD VALUE
	awk -v w="$3" -v f="$4" -v v="$5" '$1 == w && !done { $f = v; done = 1 } { print }' "$1" >"$2"
	reseal "$2"
}
craft_last() { # IN OUT WORD FIELD VALUE
	last=$(awk -v w="$3" '$1 == w { n = NR } END { print n }' "$1")
	awk -v n="$last" -v f="$4" -v v="$5" 'NR == n { $f = v } { print }' "$1" >"$2"
	reseal "$2"
}
craft "$TMP/rs1" "$TMP/strategy" job 4 9
refused "strategy out of range (was SIGSEGV)" "$TMP/strategy" "$TMP/rs2" "$TMP/rs3"
expect_grep "strategy located" "$TMP/err" "strategy:[0-9]*:[0-9]*: strategy (dfs or dpor): out of range"
craft "$TMP/rs1" "$TMP/why" result 12 99
refused "reason out of range (was SIGSEGV)" "$TMP/why" "$TMP/rs2" "$TMP/rs3"
expect_grep "reason located" "$TMP/err" "why:[0-9]*:[0-9]*: why incomplete: out of range"
craft "$TMP/rs1" "$TMP/outcome" outcome 2 4294967295
refused "outcome 4294967295 (was an impossible outcome)" "$TMP/outcome" "$TMP/rs2" "$TMP/rs3"
craft_last "$TMP/rs1" "$TMP/outcome2" outcome 2 128
refused "an outcome of a packet the scenario lacks" "$TMP/outcome2" "$TMP/rs2" "$TMP/rs3"
expect_grep "packets the scenario lacks named" "$TMP/err" "packets the scenario does not have"
craft "$TMP/rs1" "$TMP/counter" outcome 4 7
refused "an outcome its witness does not give" "$TMP/counter" "$TMP/rs2" "$TMP/rs3"
craft "$TMP/rs1" "$TMP/execs" result 2 0
refused "counts that do not add up" "$TMP/execs" "$TMP/rs2" "$TMP/rs3"
craft "$TMP/rs1" "$TMP/hash" job 12 0123456789abcdef
refused "another program hash" "$TMP/hash" "$TMP/rs2" "$TMP/rs3"
sed '1s/ 1 3$/ 1 1/' "$TMP/rs1" >"$TMP/one"
refused "header 1/3 made 1/1" "$TMP/one"
expect_grep "header change caught by the checksum" "$TMP/err" "checksum mismatch"
reseal "$TMP/one"
refused "header 1/3 made 1/1, resealed (was exit 4)" "$TMP/one"
expect_grep "forged header named" "$TMP/err" "subtrees of the exploration"
refused "run shards of two runs" "$TMP/rs1" "$TMP/rs2" "$TMP/ms1"
"$NFRACE" run "$T2" --kernel v5.6 --shard 2/3 --json "$TMP/rs2-v56" >/dev/null 2>&1
refused "run shards of two presets" "$TMP/rs1" "$TMP/rs2-v56" "$TMP/rs3"
expect_grep "other preset named" "$TMP/err" "rs2-v56:4:8: kernel: another preset"
printf 'nfrace-run-shard 2 1 1\npath 99999\n' >"$TMP/short"
refused "a path longer than the file" "$TMP/short"
: >"$TMP/empty"
refused "an empty file" "$TMP/empty"

# ---- check: -j, --shard, --kernels, errored cases, annotations, merge --junit ------------
cp "$A" "$TMP/a.yaml"
sed 's/v5.0: ok/v5.0: drop/' scenarios/dns-a-aaaa-one-backend.yaml >"$TMP/wrong.yaml"
C="$TMP/a.yaml tests/data/bad/duplicate-key.yaml $TMP/wrong.yaml"
expect_status "check with a scenario that does not load" 2 "$NFRACE" check $C --junit "$TMP/c.xml"
cp "$TMP/out" "$TMP/c.out"
expect_grep "the others still run" "$TMP/c.out" "^PASS  *conntrack-only  *v4.15"
expect_grep "the failing one too" "$TMP/c.out" "^FAIL  *dns-a-aaaa-one-backend  *v5.0"
expect_grep "the load error reported" "$TMP/c.out" "^ERROR  *tests/data/bad/duplicate-key.yaml$"
expect_grep "the summary counts it" "$TMP/c.out" "passed, 1 failed, 1 errors$"
expect_grep "an errored JUnit case" "$TMP/c.xml" '<testcase classname="tests/data/bad/duplicate-key.yaml" name="load"'
expect_grep "its error element" "$TMP/c.xml" '<error message="tests/data/bad/duplicate-key.yaml:4:1: name: duplicate key'
expect_grep "the suite counts" "$TMP/c.xml" 'failures="1" errors="1"'
expect_grep "JUnit cases carry their time" "$TMP/c.xml" '<testcase classname="conntrack-only" name="v4.15" time="[0-9]*\.[0-9][0-9][0-9]"'
sed 's/ time="[^"]*"//' "$TMP/c.xml" >"$TMP/c.notime"
expect_status "check -j 2" 2 "$NFRACE" check $C --junit "$TMP/cj.xml" -j 2
cmp -s "$TMP/out" "$TMP/c.out" && sed 's/ time="[^"]*"//' "$TMP/cj.xml" | cmp -s - "$TMP/c.notime" && ok ||
	bad "check -j 2 differs from one process"
for k in 1 2 3; do
	"$NFRACE" check $C --shard $k/3 --junit "$TMP/cs$k" >/dev/null 2>&1
done
expect_status "merge check shards" 2 "$NFRACE" merge "$TMP/cs3" "$TMP/cs1" "$TMP/cs2" --junit "$TMP/cm.xml"
cmp -s "$TMP/out" "$TMP/c.out" && ok || { bad "merged check report differs from the unsharded one"; diff "$TMP/out" "$TMP/c.out"; }
sed 's/ time="[^"]*"//' "$TMP/cm.xml" | cmp -s - "$TMP/c.notime" && ok || bad "merged JUnit differs from the unsharded one"
expect_status "check shards need all parts" 2 "$NFRACE" merge "$TMP/cs1" "$TMP/cs2" --junit "$TMP/never.xml"
expect_status "a check shard needs --junit" 2 "$NFRACE" check $C --shard 1/2
expect_status "check --kernels" 1 "$NFRACE" check "$TMP/a.yaml" "$TMP/wrong.yaml" --kernels v5.0,v5.6
expect_grep "only those presets" "$TMP/out" "^3 passed, 1 failed$"
grep -q "v4.15" "$TMP/out" && bad "check --kernels ran another preset" || ok
expect_status "check --kernels with nothing to check" 2 "$NFRACE" check "$TMP/a.yaml" --kernels v2.6.30
expect_status "check --annotate github" 1 "$NFRACE" check "$TMP/wrong.yaml" --annotate github
line=$(grep -n '^  v5.0: drop' "$TMP/wrong.yaml" | cut -d: -f1)
expect_grep "annotation at the expect: line" "$TMP/out" "^::error file=$TMP/wrong.yaml,line=$line,col=3,title=nfrace check::dns-a-aaaa-one-backend under v5.0: expected drop, got ok$"
expect_status "check --annotate github, a load error" 2 "$NFRACE" check tests/data/bad/duplicate-key.yaml --annotate github
expect_grep "annotation at the load error" "$TMP/out" "^::error file=tests/data/bad/duplicate-key.yaml,line=4,col=1,"
expect_status "merge --annotate github" 2 "$NFRACE" merge "$TMP/cs1" "$TMP/cs2" "$TMP/cs3" --annotate github
expect_grep "merged annotations" "$TMP/out" "^::error file=$TMP/wrong.yaml,line=$line,col=3,"
craft "$TMP/cs1" "$TMP/cs1bad" task 3 999
expect_status "a check shard with a bad task" 2 "$NFRACE" merge "$TMP/cs1bad" "$TMP/cs2" "$TMP/cs3" --junit "$TMP/never.xml"
[ ! -e "$TMP/never.xml" ] && ok || bad "a bad check shard wrote the JUnit file"

finish "merge"
