#!/bin/sh
# gen_docs.sh NFRACE [--check] - regenerate every nfrace output the pages in
# docs/ show, so that no schedule token or trace there goes stale when the
# model changes (a new model version changes every token):
#
#   sh tests/gen_docs.sh build/nfrace            rewrite docs/ in place
#   sh tests/gen_docs.sh build/nfrace --check    change nothing; exit 1 and
#                                                name every stale page
#
# A generated block is a marker line followed by a fenced code block:
#
#   <!-- nfrace: nfrace replay scenarios/X.yaml --kernel v4.15 --schedule @witness -->
#   ```
#   $ nfrace replay scenarios/X.yaml --kernel v4.15 --schedule nfr1-...
#   (the command's output)
#   ```
#
# The fenced block is rewritten with the command and its output.  In the
# command, @witness is the minimal witness of the first outcome that drops a
# packet or loses a reply in `nfrace run` of the same scenario and fix
# options (before --vs), @prev:N the N-th token the page's previous block
# printed.  A marker "nfrace(patched):" runs the nfrace built by following
# docs/your-patch.md in a scratch copy (tests/your_patch.sh; or the one
# named by $NFRACE_PATCHED, already built).  A token that
# changes is replaced everywhere else in the pages too (the examples in the
# prose).  docs/races.md is written by tests/gen_races.sh.
#
# --check also runs every nfrace command with a token that the pages quote
# in running text (`nfrace replay ... --schedule nfr1-...`), and fails on a
# token that no generated block or quoted command accounts for, and on an
# evidence citation by private look-up number ("ref 7422692380").  Run from
# the source directory.
set -eu
nfrace=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
mode=${2:-write}
export LC_ALL=C
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
out=$TMP/docs
mkdir -p "$out"
: >"$TMP/map"
: >"$TMP/generated-tokens"

tokens() { grep -o 'nfr1-[0-9a-f]*-[0-9a-z_]*' "$@" || true; }

patched=${NFRACE_PATCHED:-}
if [ -z "$patched" ] && grep -q '^<!-- nfrace(patched): ' docs/*.md; then
	patched=$(sh tests/your_patch.sh . "$TMP/patched")
fi

# witness BIN WORD...: the token of the first dropping outcome of `run` with
# the scenario and the fix options of the command WORD... (nfrace SUB ...).
witness() {
	bin=$1
	shift 2 # the binary, and "nfrace"
	shift   # the subcommand
	scen=""
	opts=""
	while [ $# -gt 0 ]; do
		case $1 in
		--vs) break ;;
		--kernel | --fix | --no-fix | --plant) opts="$opts $1 $2"; shift 2 ;;
		--all | --check-determinism | --count-classes) shift ;;
		-*) shift 2 ;;
		*) [ -z "$scen" ] && scen=$1; shift ;;
		esac
	done
	# shellcheck disable=SC2086
	"$bin" run "$scen" $opts 2>/dev/null |
		awk '/^  outcome [0-9]+: (dropped|reply lost)/ { f = 1; next }
		     f && /^    replay: / { sub(/.*--schedule /, ""); sub(/ .*/, ""); print; exit }'
}

# run_block BIN COMMAND PREV: the block's text (the command, then its output) to stdout.
run_block() {
	bin=$1
	cmd=$2
	prev=$3
	resolved=""
	for w in $cmd; do
		case $w in
		@witness)
			# shellcheck disable=SC2086
			w=$(witness "$bin" $cmd)
			[ -n "$w" ] || { echo "gen_docs.sh: no dropping outcome for: $cmd" >&2; exit 1; } ;;
		@prev:*)
			w=$(tokens "$prev" | sed -n "${w#@prev:}p")
			[ -n "$w" ] || { echo "gen_docs.sh: the previous block has no token ${w#@prev:}: $cmd" >&2; exit 1; } ;;
		esac
		resolved="$resolved${resolved:+ }$w"
	done
	# shellcheck disable=SC2086
	set -- $resolved
	shift # "nfrace"
	st=0
	"$bin" "$@" >"$TMP/block.out" 2>"$TMP/block.err" || st=$?
	if [ "$st" -ge 2 ]; then
		echo "gen_docs.sh: '$resolved' exited $st:" >&2
		cat "$TMP/block.err" >&2
		exit 1
	fi
	echo "\$ $resolved"
	cat "$TMP/block.out"
}

# gen_page IN OUT: OUT is IN with every generated block run again.
gen_page() {
	: >"$2"
	: >"$TMP/prev"
	state=text
	while IFS= read -r line || [ -n "$line" ]; do
		case $state in
		text)
			printf '%s\n' "$line" >>"$2"
			case $line in
			'<!-- nfrace: '*' -->') bin=$nfrace ;;
			'<!-- nfrace(patched): '*' -->') bin=$patched ;;
			*) continue ;;
			esac
			cmd=${line#*: }
			cmd=${cmd% -->}
			state=open ;;
		open)
			case $line in
			'```'*) printf '%s\n' "$line" >>"$2"; : >"$TMP/old"; state=skip ;;
			*) echo "gen_docs.sh: $1: a marker must be followed by a fenced block: $line" >&2; exit 1 ;;
			esac ;;
		skip)
			if [ "$line" = '```' ]; then
				run_block "$bin" "$cmd" "$TMP/prev" >"$TMP/new"
				cat "$TMP/new" >>"$2"
				printf '%s\n' "$line" >>"$2"
				tokens "$TMP/old" >"$TMP/old.t"
				tokens "$TMP/new" >"$TMP/new.t"
				cat "$TMP/new.t" >>"$TMP/generated-tokens"
				if [ "$(wc -l <"$TMP/old.t")" -eq "$(wc -l <"$TMP/new.t")" ]; then
					paste -d ' ' "$TMP/old.t" "$TMP/new.t" >>"$TMP/map"
				fi
				cp "$TMP/new" "$TMP/prev"
				state=text
			else
				printf '%s\n' "$line" >>"$TMP/old"
			fi ;;
		esac
	done <"$1"
	[ "$state" = text ] || { echo "gen_docs.sh: $1: a generated block is not closed" >&2; exit 1; }
}

for f in docs/*.md; do
	name=$(basename "$f")
	[ "$name" = races.md ] && continue
	gen_page "$f" "$out/$name"
done
# A token that changed in a block changes in the prose of every page too.
sort -u "$TMP/map" | while read -r old new; do
	[ "$old" = "$new" ] && continue
	for g in "$out"/*.md; do
		sed "s/$old/$new/g" "$g" >"$g.tmp" && mv "$g.tmp" "$g"
	done
done
sh tests/gen_races.sh "$nfrace" >"$out/races.md"

if [ "$mode" != --check ]; then
	for g in "$out"/*.md; do
		cmp -s "$g" "docs/$(basename "$g")" || { cp "$g" "docs/$(basename "$g")"; echo "wrote docs/$(basename "$g")"; }
	done
	exit 0
fi

# --check: every page as generated, every quoted command with a token runs,
# and every token is accounted for.
bad=0
for g in "$out"/*.md; do
	cmp -s "$g" "docs/$(basename "$g")" || {
		echo "stale: docs/$(basename "$g") (regenerate: sh tests/gen_docs.sh build/nfrace)"
		diff "docs/$(basename "$g")" "$g" | head -20
		bad=1
	}
done
tokens "$out/races.md" >>"$TMP/generated-tokens"
: >"$TMP/quoted-tokens"
for f in docs/*.md; do
	grep -q '^<!-- nfrace(patched): ' "$f" && continue # tokens of the patched build: the your_patch test
	grep -o '`nfrace [a-z]* [^`]*nfr1-[0-9a-f]*-[0-9a-z_]*[^`]*`' "$f" | tr -d '`' | sort -u >"$TMP/quoted" || true
	while read -r cmd; do
		# shellcheck disable=SC2086
		set -- $cmd
		shift
		st=0
		"$nfrace" "$@" >"$TMP/q.out" 2>"$TMP/q.err" || st=$?
		if [ "$st" -ge 2 ] || { [ "$1" != prove ] && [ "$st" -ne 0 ]; }; then
			echo "$f: '$cmd' exited $st: $(head -1 "$TMP/q.err")"
			bad=1
		fi
		echo "$cmd" | tokens >>"$TMP/quoted-tokens"
	done <"$TMP/quoted"
	for t in $(tokens "$f" | sort -u); do
		grep -qx "$t" "$TMP/generated-tokens" "$TMP/quoted-tokens" ||
			{ echo "$f: token $t is neither in a generated block nor in a command that runs"; bad=1; }
	done
done
# Evidence is cited by commit, mail subject or release, never by a look-up
# number of a private index ("ref 7422692380") that no reader can resolve.
if grep -n -E '\b[Rr]efs? [0-9]{5,}' docs/*.md README.md; then
	echo "docs: cite a commit id, a mail subject or a release instead of these look-up numbers"
	bad=1
fi
[ "$bad" -eq 0 ] && echo "docs: every generated block current, every quoted command runs"
exit "$bad"
