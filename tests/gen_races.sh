#!/bin/sh
# gen_races.sh NFRACE - write docs/races.md to stdout: for every packet-race
# scenario, its description, its row of the fix matrix, and the minimal
# witness of its first dropping outcome under the newest preset that drops,
# as `nfrace replay --format md` prints it.  Regenerate the page with
#   sh tests/gen_races.sh build/nfrace > docs/races.md
set -eu
nfrace=$1
export LC_ALL=C
md=$(mktemp)
trap 'rm -f "$md"' EXIT
cat <<'HEAD'
# How each race happens

One section per bundled packet-race scenario: what it models, which presets drop, and
the minimal witness (fewest preemptions, then fewest steps) under the newest preset that
drops, traced in the kernel's vocabulary.  Everything below is generated:
`sh tests/gen_races.sh build/nfrace > docs/races.md`.  How to read a trace:
[trace-format.md](trace-format.md); the walkthrough of the first case:
[walkthrough.md](walkthrough.md).
HEAD
for f in scenarios/*.yaml; do
	grep -q '^events:' "$f" && continue
	name=$(sed -n 's/^name: //p' "$f")
	desc=$(sed -n 's/^description: //p' "$f" | sed 's/^"//; s/"$//')
	"$nfrace" matrix "$f" --kernels v4.5,v4.15,bionic-sru,v4.19,v5.0,v5.6,v5.10,v6.12,mainline --md "$md" >/dev/null 2>&1
	row=$(sed -n 3p "$md")
	head=$(sed -n 1,2p "$md")
	printf '\n## %s\n\n%s\n\n%s\n%s\n' "$name" "$desc" "$head" "$row"
	kernel=""
	for k in mainline v6.12 v5.10 v5.6 v5.0 v4.19 bionic-sru v4.15 v4.5; do # newest first
		if "$nfrace" run "$f" --kernel "$k" 2>/dev/null | grep -q '^verdict: drop'; then kernel=$k; break; fi
	done
	if [ -z "$kernel" ]; then
		printf '\nNo preset drops: every interleaving of every preset answers every query.\n'
		continue
	fi
	token=$("$nfrace" run "$f" --kernel "$kernel" --json - 2>/dev/null |
		grep -o '"dropped": \[[^]]*\], "lost_replies": \[[^]]*\], [^}]*}, "executions": [0-9]*, "schedule": "[^"]*"' |
		grep -v '"dropped": \[\], "lost_replies": \[\]' | head -1 | sed 's/.*"schedule": "\([^"]*\)"/\1/')
	printf '\nMinimal witness under %s (`nfrace replay %s --kernel %s --schedule %s --format md`):\n\n' \
		"$kernel" "$f" "$kernel" "$token"
	"$nfrace" replay "$f" --kernel "$kernel" --schedule "$token" --format md
done
