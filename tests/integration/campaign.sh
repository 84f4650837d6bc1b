#!/bin/sh
# campaign.sh NFRACE [EXECUTIONS] [MINUTES] - the sampling campaign: random
# and PCT sampling of every bundled scenario and of generated variants with 3
# and 4 packets, under every kernel preset (random: EXECUTIONS per run, PCT:
# as many at bug depth 3 or 4 by seed); a finding is any run that exits 4
# (a broken model invariant, a deadlock, a use of a freed conntrack) or dies
# of a signal (a crash: its report carries the schedule prefix), or exits 2
# (the generator wrote a scenario the loader refuses).
#
# Variants: 3 or 4 packets, each on its own CPU; DNAT to one or two
# endpoints (`statistic`), SNAT of two sources to one address, both, or no
# rule (null bindings only); replies on and off; queries forwarded
# (prerouting) or from local sockets (output, so NEW answers meet the INPUT
# chain).  DNAT variants send one flow from one socket, SNAT variants one
# flow per source with equal source ports.
#
# With MINUTES 0 (the CTest case) every run is made once with seed 0's
# schedule stream per run index.  With MINUTES > 0 (the long campaign) the
# whole set is repeated with fresh seeds until MINUTES have passed, and the
# figures are printed after each round.  Run from the source directory.
set -u
NFRACE=$1
EXECUTIONS=${2:-1000}
MINUTES=${3:-0}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
runs=0
executions=0
findings=0
round=0

# variant NAME PACKETS NAT REPLIES HOOK: a scenario file in $TMP.
variant() {
	name=$1; npkt=$2; nat=$3; replies=$4; hook=$5
	f="$TMP/$name.yaml"
	dst=10.0.0.10:53
	{
		echo "name: $name"
		case $nat in
		none) echo "nat: {rules: []}" ;;
		dnat1) echo "nat: {rules: [{hook: $hook, match: {proto: udp, dst: $dst}, dnat: [10.1.0.2:53]}]}" ;;
		dnat2) echo "nat: {rules: [{hook: $hook, match: {proto: udp, dst: $dst}, dnat: [10.1.0.2:53, 10.1.0.3:53]}]}" ;;
		snat) echo "nat: {rules: [{hook: postrouting, match: {proto: udp, src: 172.17.0.0/16}, snat: {to: 192.168.1.10}}]}" ;;
		both) echo "nat: {rules: [{hook: $hook, match: {proto: udp, dst: $dst}, dnat: [10.1.0.2:53, 10.1.0.3:53]}," \
			"{hook: postrouting, match: {proto: udp, src: 172.17.0.0/16}, snat: {to: 192.168.1.10}}]}" ;;
		esac
		echo "packets:"
		k=0
		while [ "$k" -lt "$npkt" ]; do
			case $nat in
			snat|both) src="172.17.0.$((k % 2 + 2)):40000" ;; # two pods, equal source ports
			*) src="172.17.0.2:40000" ;;                      # one socket
			esac
			echo "  - {name: p$k, cpu: $k, hook: $hook, proto: udp, src: $src, dst: $dst}"
			k=$((k + 1))
		done
		echo "replies: $replies"
	} >"$f"
	echo "$f"
}

# one SCENARIO KERNEL STRATEGY SEED EXECUTIONS [OPTION]: a sampling run; counts it and its findings.
# --witness-bound 0: a sampled drop's witness is minimised over schedules
# without preemptions only (a deeper minimisation costs up to 2,000,000 more
# executions per run and finds nothing the campaign counts).
one() {
	"$NFRACE" run "$1" --kernel "$2" --explore "$3" --executions "$5" --seed "$4" --witness-bound 0 $6 \
		>"$TMP/out" 2>"$TMP/err"
	st=$?
	runs=$((runs + 1))
	n=$(sed -n 's/^coverage: [a-z]*, [^0-9]*\([0-9][0-9]*\) \(executions\|timeline\).*/\1/p' "$TMP/out" | head -1)
	executions=$((executions + ${n:-0}))
	case $st in
	0|1|3) ;;
	*)
		findings=$((findings + 1))
		echo "FINDING (exit $st): $NFRACE run $1 --kernel $2 --explore $3 --executions $5 --seed $4 $6"
		tail -5 "$TMP/err"
		[ -f "$1" ] && case $1 in "$TMP"/*) cp "$1" "${CAMPAIGN_KEEP:-$TMP}/" 2>/dev/null ;; esac ;;
	esac
}

# every preset for events scenarios; packets scenarios only under race presets
# (an event-path preset refuses them, exit 2)
presets=$("$NFRACE" list kernels | awk '$1 ~ /^(v[0-9]|bionic|mainline)/ {print $1}')
race_presets=$("$NFRACE" list kernels | awk '$1 ~ /^(v[0-9]|bionic|mainline)/ && !/events scenarios only/ {print $1}')
[ -n "$presets" ] && [ -n "$race_presets" ] || { echo "campaign: no presets listed"; exit 1; }

files=""
for npkt in 3 4; do
	for nat in none dnat1 dnat2 snat both; do
		for replies in true false; do
			for hook in prerouting output; do
				files="$files $(variant "v$npkt-$nat-$replies-$hook" "$npkt" "$nat" "$replies" "$hook")"
			done
		done
	done
done

start=$(date +%s)
while :; do
	idx=0
	for f in scenarios/*.yaml $files; do
		kernels=$race_presets
		grep -q '^events:' "$f" && kernels=$presets
		for k in $kernels; do
			seed=$((round * 1000003 + idx))
			idx=$((idx + 1))
			if grep -q '^events:' "$f"; then
				# thousands of flows each: two executions per run (time is
				# ignored by random and pct, so they reorder kernel and readers)
				for x in timed random pct; do one "$f" "$k" "$x" "$seed" 2 ""; done
			else
				one "$f" "$k" random "$seed" "$EXECUTIONS" ""
				one "$f" "$k" pct "$seed" "$EXECUTIONS" "--depth $((3 + seed % 2))"
			fi
		done
	done
	round=$((round + 1))
	now=$(date +%s)
	echo "campaign: round $round, $runs runs, $executions executions, $findings findings, $((now - start)) s"
	[ "$MINUTES" -gt 0 ] && [ $((now - start)) -lt $((MINUTES * 60)) ] || break
done
[ "$findings" -eq 0 ]
