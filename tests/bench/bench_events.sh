#!/bin/sh
# bench_events.sh NFRACE OUT.csv - virtual time against wall time on the event
# path: one hour of a DNS workload (tests/data/bench/events-hour.yaml) per
# preset family, timed with the shell's clock (wall time is the figure here,
# so it is the one output allowed to vary between runs).
set -eu
nfrace=$1
out=$2
tmp="$out.tmp.$$"
echo "scenario,kernel,virtual_s,flows,wall_s,virtual_per_wall" >"$tmp"
for k in v2.6.31 v4.19 v5.19; do
	t0=$(date +%s%N)
	flows=$("$nfrace" run tests/data/bench/events-hour.yaml --kernel "$k" | sed -n 's/.*flows started: \([0-9]*\).*/\1/p')
	t1=$(date +%s%N)
	awk -v k="$k" -v f="$flows" -v ns=$((t1 - t0)) \
		'BEGIN { w = ns / 1e9; printf "events-hour,%s,3600,%s,%.3f,%.0f\n", k, f, w, 3600 / w }' >>"$tmp"
done
mv "$tmp" "$out"
