#!/bin/sh
# test_review.sh NFRACE - the reviewer's outputs (issue 17, items 2, 3, 12):
# prove lists what survives a fix with commands that run; prove --all
# tabulates fixed, still dropping and newly dropping cells; --format mail
# keeps prove, replay and diff within 80 columns without splitting a token,
# names each step's kernel function with its file at the preset's release;
# diff labels its sides by preset and fix set, takes --fix for the side it
# follows, and keeps the references out of the hunks; a drop that needs a
# random port collision carries its probability; a long run's progress line
# says what to reduce.  Run from the source directory.
set -u
NFRACE=$1
. "$(dirname "$0")/testlib.sh"
run() { # NAME WANT CMD...: run, keep stdout in $TMP/out, check the exit status
	name=$1; want=$2; shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	[ "$got" -eq "$want" ] && ok || { bad "$name: exit $got, wanted $want"; cat "$TMP/err"; }
}
has() { grep -q -- "$2" "$TMP/out" && ok || { bad "$1: '$2' not in the output"; cat "$TMP/out"; }; }
tokens() { grep -o 'nfr1-[0-9a-f]*-[0-9a-z_]*' "$1"; }
narrow() { # NAME FILE: no line is wider than 80 columns
	w=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$2")
	[ "$w" -le 80 ] && ok || { bad "$1: a line of $w columns"; awk 'length($0) > 80' "$2"; }
}

S=scenarios/dns-a-aaaa-one-backend.yaml
T2=scenarios/dns-a-aaaa-two-backends.yaml
RF=scenarios/snat-two-pods-random-fully.yaml

# prove that holds: text and mail carry the same tokens, mail fits 80 columns.
run "prove holds" 0 "$NFRACE" prove "$S" --kernel v4.19 --fix same-origin
tokens "$TMP/out" >"$TMP/tok.text"
run "prove holds, mail" 0 "$NFRACE" prove "$S" --kernel v4.19 --fix same-origin --format mail
narrow "prove mail" "$TMP/out"
tokens "$TMP/out" >"$TMP/tok.mail"
[ -s "$TMP/tok.text" ] && cmp -s "$TMP/tok.text" "$TMP/tok.mail" && ok || bad "mail prove splits or loses a token"
has "prove names the diff" "nfrace diff $S --kernel v4.19"

# prove that fails: every surviving outcome with a replay that drops and a diff that runs.
run "prove fails" 1 "$NFRACE" prove "$S" --kernel v4.15 --fix no-rover
cp "$TMP/out" "$TMP/fail"
has "surviving outcomes listed" "^  outcome 1: dropped"
has "class counts" "trace classes\]"
grep -c '^    replay: ' "$TMP/fail" >"$TMP/n"
[ "$(cat "$TMP/n")" -ge 3 ] && ok || bad "fewer than three replay commands in a failed proof"
listed() { # KIND PATTERN: run every "KIND: nfrace ..." command of the failed proof; its output must match PATTERN
	want=$2
	grep "^    $1: " "$TMP/fail" | sed "s/^    $1: *//" | while read -r cmd; do
		# shellcheck disable=SC2086
		set -- $cmd
		shift
		"$NFRACE" "$@" >"$TMP/listed.out" 2>&1 || echo "failed: $cmd"
		grep -q "$want" "$TMP/listed.out" || echo "no '$want' from: $cmd"
	done >"$TMP/listed"
	[ ! -s "$TMP/listed" ] && ok || { bad "listed $1 commands"; cat "$TMP/listed"; }
}
listed replay '^verdict: dropped'
listed diff '^B = v4.15 + no-rover: dropped'
run "prove fails, mail" 1 "$NFRACE" prove "$S" --kernel v4.15 --fix no-rover --format mail
narrow "failed prove mail" "$TMP/out"

# prove --all: a fix that cures some cells, and 590b52e10d41 that breaks one.
run "prove --all" 0 "$NFRACE" prove --all --fix same-origin "$S" --kernels v4.15,v4.19,v5.0
has "fixed row" "^dns-a-aaaa-one-backend  *v4.19  *drop  *ok  *fixed"
has "still dropping row" "^dns-a-aaaa-one-backend  *v4.15  *drop  *drop  *still drops"
has "summary" "^summary: 2 fixed, 1 still drop, 0 newly drop"
run "prove --all regression" 1 "$NFRACE" prove --all --fix clash-nat-done scenarios/reverse-new-both-ends.yaml --kernels v4.15
has "newly dropping row" "^reverse-new-both-ends  *v4.15  *ok  *drop  *NEW DROP"
cmd=$(grep '^  nfrace replay ' "$TMP/out" | head -1)
# shellcheck disable=SC2086
set -- $cmd
shift
"$NFRACE" "$@" >"$TMP/r" 2>&1 && grep -q '^verdict: dropped' "$TMP/r" && ok || bad "the regression's replay does not drop: $cmd"

# replay --format mail: one line per step, file:function at the preset's release.
token=$(tokens "$TMP/tok.text" | head -1)
run "replay text" 0 "$NFRACE" replay "$S" --kernel v4.19 --schedule "$token"
steps=$(grep -c '^ *[0-9][0-9]* ' "$TMP/out")
run "replay mail" 0 "$NFRACE" replay "$S" --kernel v4.19 --schedule "$token" --format mail
narrow "replay mail" "$TMP/out"
[ "$(grep -c '^ *[0-9][0-9]* cpu[0-9]: ' "$TMP/out")" -eq "$steps" ] && ok || bad "mail replay: not one line per step"
has "step with file:function" "^ *[0-9]* cpu[01]: nf_conntrack_core.c:__nf_conntrack_confirm: scan ORIGINAL bucket"
has "v4.19 port search file" "nf_nat_proto_common.c:nf_nat_l4proto_unique_tuple:"
has "references at the release" "^kernel source at v4.19:"
for k in v5.0 mainline; do
	"$NFRACE" run "$RF" --kernel $k >"$TMP/rf.$k"
	rtoken=$(tokens "$TMP/rf.$k" | tail -1)
	run "replay mail $k" 0 "$NFRACE" replay "$RF" --kernel $k --schedule "$rtoken" --format mail
	cp "$TMP/out" "$TMP/rf.$k"
done
grep -q '^ *[0-9]* cpu[01]: random32.c:prandom_u32: port draw' "$TMP/rf.v5.0" && ok || bad "v5.0: the draw not in lib/random32.c"
grep -q '^ *[0-9]* cpu[01]: random.c:prandom_u32: port draw' "$TMP/rf.mainline" && ok || bad "mainline: the draw not in drivers/char/random.c"
grep -q '^kernel source at the latest mainline:' "$TMP/rf.mainline" && ok || bad "mainline references"

# diff: labels, --fix follows its side, either side owns the token, references after the hunks.
run "diff --fix for B" 0 "$NFRACE" diff "$S" --kernel v4.19 --schedule "$token" --vs v4.19 --fix same-origin --format mail
has "A label" "^--- A = v4.19: dropped"
has "B label" "^+++ B = v4.19 + same-origin: every query answered"
has "hunk" "^@@ A step [0-9]*, B step [0-9]* @@"
narrow "diff mail" "$TMP/out"
sed -n '/^kernel source at/,$p' "$TMP/out" >"$TMP/after"
[ -s "$TMP/after" ] && ! grep -q '^[-+@]' "$TMP/after" && ok || bad "references inside the diff"
run "diff --fix for A" 0 "$NFRACE" diff "$S" --kernel v4.19 --fix same-origin --schedule "$token" --vs v4.19
has "A label with its fix" "^A = v4.19 + same-origin: every query answered"
has "B owns the token" "^B = v4.19: dropped"
run "diff --no-fix for B" 0 "$NFRACE" diff "$S" --kernel v4.19 --schedule "$token" --vs v5.0 --no-fix same-origin
has "minus label" "^B = v5.0 - same-origin"
run "diff of a token neither side owns" 2 "$NFRACE" diff "$S" --kernel v5.6 --schedule "$token" --vs v6.12

# probability of a drop that needs a port collision: derived, in text, JSON, matrix and CSV.
run "run random-fully" 0 "$NFRACE" run "$RF" --kernel mainline --json "$TMP/rf.json"
has "probability line" "^probability: p = 1/64,512 per run"
grep -q '"drop_probability": 1.5501e-05,' "$TMP/rf.json" && ok || bad "JSON drop_probability"
run "matrix random-fully" 0 "$NFRACE" matrix "$RF" "$T2" --kernels v4.15,v5.0,mainline --csv "$TMP/m.csv" --md "$TMP/m.md"
grep -q '| snat-two-pods-random-fully | drop p=1/64,512 | drop p=1/64,512 | drop p=1/64,512 |' "$TMP/m.md" && ok ||
	{ bad "matrix cell without p"; cat "$TMP/m.md"; }
grep -q '| dns-a-aaaa-two-backends | drop | drop p=1/2 | ok |' "$TMP/m.md" && ok || { bad "two backends: p = 1/2 under v5.0 only"; cat "$TMP/m.md"; }
grep -q '^snat-two-pods-random-fully,mainline,drop,true,[0-9]*,[0-9]*,[0-9]*,1.5501e-05$' "$TMP/m.csv" && ok || { bad "CSV probability"; cat "$TMP/m.csv"; }
run "matrix -j 2 with p" 0 "$NFRACE" matrix "$RF" "$T2" --kernels v4.15,v5.0,mainline -j 2 --md "$TMP/m2.md"
cmp -s "$TMP/m.md" "$TMP/m2.md" && ok || bad "matrix -j 2 differs with probabilities"
run "report with p" 0 "$NFRACE" report "$RF" --kernels v5.0 -o "$TMP/rp1"
run "report -j 2 with p" 0 "$NFRACE" report "$RF" "$T2" --kernels v5.0 -o "$TMP/rp2" -j 2
grep -q '<td class="drop"><a href="#step=snat-two-pods-random-fully/v5.0/0">drop p=1/64,512</a></td>' "$TMP/rp2/index.html" &&
	ok || bad "the report's cell has no probability"
"$NFRACE" report "$RF" "$T2" --kernels v5.0 -o "$TMP/rp3" >/dev/null 2>&1
cmp -s "$TMP/rp2/index.html" "$TMP/rp3/index.html" && ok || bad "report -j 2 differs with probabilities"
run "one backend: no p" 0 "$NFRACE" run "$S" --kernel v4.15
grep -q '^probability:' "$TMP/out" && bad "a drop that needs no draw says p" || ok

# A run that will take long says, once, what in its scenario costs and what to reduce.
"$NFRACE" run tests/data/good/three-cpus-replies.yaml --explore dpor --time-limit 7 >/dev/null 2>"$TMP/progress"
st=$?
[ "$st" -eq 3 ] && ok || bad "a run stopped by --time-limit: exit $st, wanted 3"
[ "$(grep -c '^hint: to explore less' "$TMP/progress")" -eq 1 ] && ok || { bad "no cost hint (or more than one)"; tail -3 "$TMP/progress"; }
grep -q '^hint: .*3 packets on 3 CPUs .*replies: true' "$TMP/progress" && ok || bad "the hint does not name the packets and replies"

finish "review"
