#!/bin/sh
# test_your_patch.sh NFRACE - follow docs/your-patch.md (issue 17, item 1):
# in a scratch copy of the source tree, apply the page's patch (one NF_FIX
# line in model/fixes.def, one guarded branch in model/confirm.c), build,
# and check what the page says: the flag is listed as unmerged and belongs
# to no preset, the unpatched tree does not know it, `nfrace prove` on the
# two-endpoint scenario fails because the drops became lost replies, and
# every output the page shows is what the patched build prints now
# (tests/gen_docs.sh --check on that page).  Run from the source directory.
set -u
NFRACE=$1
. "$(dirname "$0")/testlib.sh"

P=$(sh tests/your_patch.sh . "$TMP/scratch") || { echo "FAIL: following docs/your-patch.md"; exit 1; }
ok
T2=scenarios/dns-a-aaaa-two-backends.yaml

"$P" list fixes >"$TMP/fixes"
grep -q '^merge-original  *unmerged unmerged netfilter: conntrack: merge a NATed clash' "$TMP/fixes" && ok ||
	{ bad "the patched tree does not list merge-original as unmerged"; cat "$TMP/fixes"; }
"$P" list kernels | grep -q merge-original && bad "a preset carries the unmerged flag" || ok
"$NFRACE" prove "$T2" --kernel v5.0 --fix merge-original >"$TMP/out" 2>&1
[ $? -eq 2 ] && grep -q "unknown or ambiguous fix 'merge-original'" "$TMP/out" && ok ||
	bad "the tree without the patch accepts --fix merge-original"

# The flag off: the patched build gives the unpatched matrix, byte for byte.
"$NFRACE" matrix "$T2" scenarios/dns-a-aaaa-one-backend.yaml --json "$TMP/m0.json" >/dev/null 2>&1
"$P" matrix "$T2" scenarios/dns-a-aaaa-one-backend.yaml --json "$TMP/m1.json" >/dev/null 2>&1
cmp -s "$TMP/m0.json" "$TMP/m1.json" && ok || bad "the patch changes a preset's results with its flag off"

"$P" prove "$T2" --kernel v5.0 --fix merge-original >"$TMP/prove" 2>&1
st=$?
[ "$st" -eq 1 ] && ok || bad "prove with the patch: exit $st, wanted 1 (the proof does not hold)"
grep -q '^  outcome 1: reply lost for A ' "$TMP/prove" && grep -q '^  outcome 2: reply lost for AAAA ' "$TMP/prove" && ok ||
	{ bad "the surviving outcomes are not the lost replies"; cat "$TMP/prove"; }
sed -n '/^with merge-original/,$p' "$TMP/prove" | grep -q 'outcome [0-9]*: dropped' && bad "a drop survives the patch" || ok
"$P" prove "$T2" --kernel v5.0 --fix nat-clash-insert >/dev/null 2>&1 && ok || bad "6a757c07e51f no longer proves on the page's scenario"

# Every output on the page is current.
out=$(NFRACE_PATCHED=$P sh tests/gen_docs.sh "$NFRACE" --check 2>&1) && ok ||
	{ bad "a page is stale or a command fails"; echo "$out" | head -30; }

finish "your patch"
