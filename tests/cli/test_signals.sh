#!/bin/sh
# test_signals.sh NFRACE - SIGINT, SIGTERM and SIGHUP at several moments of
# run -j, matrix -j, report -j, check -j and an events timeline: the command
# exits 3 (or, when it had already finished, as usual with its whole
# output), leaves no process (workers included), no temporary file and no
# half-written output; an events timeline stops within a second.  Run from
# the source directory.
set -u
NFRACE=$1
. "$(dirname "$0")/testlib.sh"

now_ms() { date +%s%3N; }

# The processes whose command line names dir $1 (a run's own directory).
procs_of() { ps -e -o pid= -o args= | grep -F -- "$1/" | grep -v grep | awk '{print $1}'; }

# trial NAME SIGNAL DELAY REF CMD... - CMD (whose outputs are all under $D)
# gets SIGNAL after DELAY seconds; REF is the directory of its uninterrupted
# outputs ("" when it cannot finish that soon).
trial() {
	name=$1; sig=$2; delay=$3; ref=$4; shift 4
	"$@" >"$D/stdout" 2>"$D/stderr" &
	pid=$!
	sleep "$delay"
	t0=$(now_ms)
	kill -s "$sig" "$pid" 2>/dev/null
	wait "$pid"
	st=$?
	took=$(( $(now_ms) - t0 ))
	left=$(procs_of "$D")
	if [ -n "$left" ]; then
		bad "$name: $sig after ${delay}s left processes: $left"
		kill -9 $left 2>/dev/null
	else ok; fi
	if ls -a "$D" "$D/report" 2>/dev/null | grep -q '\.tmp\.'; then bad "$name: $sig after ${delay}s left a temporary file"; else ok; fi
	if [ "$st" -eq 3 ]; then
		if ls "$D" | grep -qv '^std\(out\|err\)$'; then bad "$name: $sig after ${delay}s: exit 3 but wrote $(ls "$D")"; else ok; fi
		[ "$took" -lt 2000 ] && ok || bad "$name: $sig after ${delay}s: took ${took} ms to stop"
	elif [ -n "$ref" ] && [ "$st" -eq "$(cat "$ref/status")" ]; then
		for f in "$ref"/*; do
			b=$(basename "$f")
			[ "$b" = status ] && continue
			cmp -s "$f" "$D/$b" && ok || bad "$name: $sig after ${delay}s: finished (exit $st) but $b differs"
		done
	else
		bad "$name: $sig after ${delay}s: exit $st"
		cat "$D/stderr"
	fi
}

n=0
fresh() { n=$((n + 1)); D="$TMP/t$n"; mkdir -p "$D"; }

# dpor throughout: every -j below then runs workers (a state-caching run keeps one process).
M="scenarios/conntrack-only.yaml scenarios/dns-a-aaaa-one-backend.yaml scenarios/dns-a-aaaa-two-backends.yaml \
scenarios/reverse-new-both-ends.yaml scenarios/snat-two-pods-same-port.yaml scenarios/nat-null-binding.yaml"

# Uninterrupted outputs to compare with when a signal comes after the end.
mkdir -p "$TMP/ref-matrix"
"$NFRACE" matrix $M -j 2 --explore dpor --json "$TMP/ref-matrix/m.json" --csv "$TMP/ref-matrix/m.csv" >/dev/null 2>&1
echo $? >"$TMP/ref-matrix/status"
mkdir -p "$TMP/ref-run"
"$NFRACE" run scenarios/snat-two-pods-random-fully.yaml --json "$TMP/ref-run/w.json" >"$TMP/ref-run/stdout" 2>/dev/null
echo $? >"$TMP/ref-run/status"

# An events timeline that takes a few seconds (within the memory allowed).
cat >"$TMP/long-events.yaml" <<EOF
name: long-events
kernel: v5.19
events:
  duration_ms: 43200000
  nf_conntrack_max: 65536
  flows: {rate_per_s: 50, arrival: poisson, replies: true}
  listeners:
    - {name: conntrackd, kind: conntrackd, reliable: true, rcvbuf: 212992, drain_per_s: 5000}
EOF

for sig in INT TERM HUP; do
	for delay in 0.05 0.6 1.3; do
		fresh; trial "run -j 2" $sig $delay "" "$NFRACE" run tests/data/bench/udpclash-burst5.yaml --explore dpor -j 2 --json "$D/r.json"
		fresh; trial "matrix -j 2" $sig $delay "$TMP/ref-matrix" "$NFRACE" matrix $M -j 2 --explore dpor --json "$D/m.json" --csv "$D/m.csv"
		fresh; trial "report -j 2" $sig $delay "" "$NFRACE" report scenarios/*.yaml -j 2 --explore dpor -o "$D/report"
		fresh; trial "check -j 2" $sig $delay "" "$NFRACE" check scenarios/*.yaml -j 2 --explore dpor --junit "$D/j.xml"
	done
	fresh; trial "events timeline" $sig 0.5 "" "$NFRACE" run "$TMP/long-events.yaml" --json "$D/e.json"
	for delay in 0.1 0.2; do # exploring, then minimising the witnesses (0.3 s in all)
		fresh; trial "run" $sig $delay "$TMP/ref-run" "$NFRACE" run scenarios/snat-two-pods-random-fully.yaml --json "$D/w.json"
	done
done

# A report that finished writes its page; one interrupted writes none.
fresh
"$NFRACE" report scenarios/conntrack-only.yaml -o "$D/report" >/dev/null 2>&1 && [ -s "$D/report/index.html" ] && ok ||
	bad "an uninterrupted report wrote no page"

finish "signals"
