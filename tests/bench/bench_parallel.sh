#!/bin/sh
# bench_parallel.sh NFRACE OUT.csv - wall time with -j 1 and -j 2 (same bytes
# checked) of
#   the fix matrix, `nfrace matrix scenarios/*.yaml` (split by task), best of 3;
#   one big exploration, `nfrace run tests/data/bench/udpclash-burst5.yaml
#   --explore dpor` (one DPOR tree split by subtree; state caching, the
#   default for five packets, keeps one process), best of 2.
# Run from the source dir.  The machine's other load is not controlled: the
# two settings alternate so that both see the same conditions.
set -eu
NFRACE=$1
OUT=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
secs() { # CMD... -> wall seconds of one run
	s=$(date +%s.%N)
	LC_ALL=C "$@" >/dev/null
	e=$(date +%s.%N)
	awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }'
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
best_pair() { # REPS TAG NAME CMD... (the command gets -j N --json FILE appended)
	reps=$1; tag=$2; name=$3; shift 3
	b1=""; b2=""
	for i in $(seq "$reps"); do
		b1=$(min "$b1" "$(secs "$@" -j 1 --json "$TMP/$tag.1.json")")
		b2=$(min "$b2" "$(secs "$@" -j 2 --json "$TMP/$tag.2.json")")
	done
	cmp "$TMP/$tag.1.json" "$TMP/$tag.2.json"
	printf '%s,1,%.3f,1.00,true\n%s,2,%.3f,%.2f,true\n' "$name" "$b1" "$name" "$b2" \
		"$(awk -v a="$b1" -v b="$b2" 'BEGIN { printf "%.2f", a / b }')"
}
{
	echo "command,jobs,seconds,speedup,same_bytes"
	best_pair 3 matrix "matrix scenarios/*.yaml" "$NFRACE" matrix scenarios/*.yaml
	best_pair 2 burst5 "run tests/data/bench/udpclash-burst5.yaml --explore dpor" "$NFRACE" run \
		tests/data/bench/udpclash-burst5.yaml --explore dpor
} >"$OUT"
cat "$OUT"
