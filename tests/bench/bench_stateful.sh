#!/bin/sh
# bench_stateful.sh NFRACE OUTDIR - state caching on the scenarios of issue 14
# and the one-socket burst, against dpor (docs/performance.md).
#
#   OUTDIR/stateful.csv  the 3- and 4-packet DNS scenarios, one row per preset:
#                        the exit status, states, transitions, end states, the
#                        tables' peak bytes, seconds and peak RSS
#                        of `run --explore stateful` (no witness search: the
#                        exploration alone), and the executions dpor explores
#                        in DPOR_SECONDS (complete or not);
#   OUTDIR/stateful-burst.csv  the burst of N = 2..8 packets (v5.10, no
#                        replies), the same columns, one row per N.
#
# PARTS=scale or PARTS=burst runs one table.  Seconds and RSS come from /usr/bin/time (GNU time, Debian package `time`):
# one run each, on whatever else the machine does (say so with the figures).
# A stateful run is bounded by STATEFUL_SECONDS and 2 GiB; one that stops is
# reported incomplete, never as a result.  Run from the source directory.
set -eu
NFRACE=$1
OUT=$2
DPOR_SECONDS=${DPOR_SECONDS:-30}
STATEFUL_SECONDS=${STATEFUL_SECONDS:-600}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"
[ -x /usr/bin/time ] || { echo "bench_stateful: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

json_field() { # FILE KEY -> the number after "KEY":
	sed -n "s/^ *\"$2\": \([0-9]*\),*$/\1/p" "$1" | head -n 1
}

# ROW NAME FILE PRESET: one CSV row.
row() {
	name=$1 file=$2 preset=$3
	set +e
	/usr/bin/time -f '%e %M' -o "$TMP/time" "$NFRACE" run "$file" --kernel "$preset" --explore stateful \
		--witness-bound 0 --max-memory 2G --time-limit "$STATEFUL_SECONDS" --json "$TMP/s.json" >/dev/null 2>&1
	st=$?
	"$NFRACE" run "$file" --kernel "$preset" --explore dpor --witness-bound 0 --time-limit "$DPOR_SECONDS" \
		--json "$TMP/d.json" >/dev/null 2>&1
	set -e
	read -r secs rss <<EOF
$(tail -n 1 "$TMP/time")
EOF
	complete=$(grep -q '"complete": true' "$TMP/s.json" && echo true || echo false)
	dcomplete=$(grep -q '"complete": true' "$TMP/d.json" && echo true || echo false)
	printf '%s,%s,%s,%s,%s,%s,%s,%s,%.2f,%s,%s,%s\n' "$name" "$preset" "$st" "$complete" \
		"$(json_field "$TMP/s.json" states)" "$(json_field "$TMP/s.json" transitions)" \
		"$(json_field "$TMP/s.json" executions)" "$(json_field "$TMP/s.json" memory_peak)" "$secs" "$rss" \
		"$(json_field "$TMP/d.json" executions)" "$dcomplete"
}

PARTS=${PARTS:-scale burst} # either table alone: PARTS=burst
HEAD=scenario,kernel,exit,complete,states,transitions,end_states,table_bytes,seconds,peak_rss_kb,dpor_executions,dpor_complete
case " $PARTS " in *" scale "*)
{
	echo "$HEAD"
	for s in dns-three-datagrams-two-endpoints dns-four-queries-one-endpoint dns-two-pods-a-aaaa-two-endpoints; do
		for k in $("$NFRACE" list kernels | awk '/^[a-z0-9]/ && $0 !~ /events scenarios only/ {print $1}'); do
			row "$s" "scenarios/scale/$s.yaml" "$k"
		done
	done
} >"$OUT/stateful.csv"
cat "$OUT/stateful.csv"
;; esac
case " $PARTS " in *" burst "*)
{
	echo "$HEAD" | sed 's/^scenario,/packets,/'
	for n in 2 3 4 5 6 7 8; do
		row "$n" "tests/data/bench/udpclash-burst$n.yaml" v5.10
	done
} >"$OUT/stateful-burst.csv"
cat "$OUT/stateful-burst.csv"
;; esac
