#!/bin/sh
# bench_parallel.sh NFRACE OUT.csv - wall time of `nfrace matrix scenarios/*.yaml`
# with -j 1 and -j 2 (same bytes checked), best of 3 each.  Run from the source dir.
set -eu
NFRACE=$1
OUT=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
best() { # J
	b=""
	for i in 1 2 3; do
		s=$(date +%s.%N)
		LC_ALL=C "$NFRACE" matrix scenarios/*.yaml -j "$1" --json "$TMP/j$1.json" >/dev/null
		e=$(date +%s.%N)
		t=$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }')
		if [ -z "$b" ] || awk -v t="$t" -v b="$b" 'BEGIN { exit !(t < b) }'; then b=$t; fi
	done
	echo "$b"
}
t1=$(best 1)
t2=$(best 2)
cmp "$TMP/j1.json" "$TMP/j2.json"
printf 'command,jobs,seconds,speedup,same_bytes\nmatrix scenarios/*.yaml,1,%.3f,1.00,true\nmatrix scenarios/*.yaml,2,%.3f,%.2f,true\n' \
	"$t1" "$t2" "$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.2f", a / b }')" >"$OUT"
cat "$OUT"
