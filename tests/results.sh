#!/bin/sh
# results.sh NFRACE OUT - write every curated result into OUT: the fix
# matrix (matrix.{json,csv,md}), P(drop) against the send gap
# (timing/*.csv), predicted timeouts per hour (timing/timeouts-per-hour.csv),
# and the event figures against the receive buffer (events/*.csv).  Their
# figures are drawn from these files by `nfrace plots` (the results target
# runs it next).
# The `results` target runs it on results/; the results_current test runs it
# on a temporary directory and compares, so both use the same commands.
set -eu
nfrace=$1
out=$2
export LC_ALL=C
mkdir -p "$out/timing" "$out/events"
"$nfrace" matrix scenarios/*.yaml --json "$out/matrix.json" --csv "$out/matrix.csv" --md "$out/matrix.md" >/dev/null
for s in dns-a-aaaa-one-backend dns-a-aaaa-two-backends; do
	"$nfrace" curve scenarios/$s.yaml --gap 0:12000:500 --executions 1000 --seed 1 \
		--csv "$out/timing/$s.csv" >/dev/null
done
"$nfrace" curve scenarios/dns-load-timeouts.yaml --gap 5000:5000:1 --executions 20000 --seed 1 \
	--csv "$out/timing/timeouts-per-hour.csv" >/dev/null
for s in ctnetlink-flush-reliable ctnetlink-flush-unreliable; do
	"$nfrace" curve scenarios/$s.yaml --rcvbuf 1024:1048576:4 --kernels v2.6.30,v2.6.31,v4.5,v4.19,v5.19,mainline \
		--csv "$out/events/$s.csv" >/dev/null
done
for k in v2.6.30 v2.6.31 v4.19 v5.19; do
	"$nfrace" run scenarios/ctnetlink-stuck-listener-table-full.yaml --kernel $k --json - 2>/dev/null
done >"$out/events/stuck-listener.json.tmp" && mv "$out/events/stuck-listener.json.tmp" "$out/events/stuck-listener.json"
