#!/bin/sh
# test_outputs.sh NFRACE - output options never destroy anything (outfile.h):
# a symlink is followed and stays a symlink, a regular file keeps its mode
# (and as root its owner), a device and a FIFO are written in place, the file
# standard output goes to is written through it, an output that is an input
# is refused, and of several outputs none is written when one is refused.
# Every special file is made in a temporary directory, never in /dev (the
# device case is skipped where mknod is not allowed).  Run from the source
# directory.
set -u
NFRACE=$1
. "$(dirname "$0")/testlib.sh"

no_temporaries() { # NAME DIR
	if ls -a "$2" | grep -q '\.tmp\.'; then bad "$1: a temporary file was left in $2"; ls -a "$2"; else ok; fi
}

S=scenarios/conntrack-only.yaml
cp "$S" "$TMP/s.yaml"
"$NFRACE" check "$TMP/s.yaml" --junit "$TMP/ref.xml" >/dev/null 2>&1
sed 's/ time="[^"]*"//g' "$TMP/ref.xml" >"$TMP/ref.notime"

# A symlink to a regular file: the file gets the bytes, the link stays a link.
echo old >"$TMP/target.xml"
ln -s target.xml "$TMP/link.xml"
expect_status "junit through a symlink" 0 "$NFRACE" check "$TMP/s.yaml" --junit "$TMP/link.xml"
[ -L "$TMP/link.xml" ] && ok || bad "the symlink was replaced by a file"
grep -q '<testsuite' "$TMP/target.xml" && ok || bad "the symlink's target did not get the JUnit file"

# A dangling symlink: the file it names is created.
ln -s made.json "$TMP/dangling.json"
expect_status "json through a dangling symlink" 0 "$NFRACE" run "$TMP/s.yaml" --kernel v5.6 --json "$TMP/dangling.json"
[ -L "$TMP/dangling.json" ] && [ -s "$TMP/made.json" ] && ok || bad "a dangling symlink was not followed"

# A regular file keeps its mode (and, as root, its owner).
echo old >"$TMP/mode.csv"
chmod 640 "$TMP/mode.csv"
owner_test=no
if [ "$(id -u)" -eq 0 ] && chown 65534:65534 "$TMP/mode.csv" 2>/dev/null; then owner_test=yes; fi
expect_status "csv over a 0640 file" 0 "$NFRACE" matrix "$TMP/s.yaml" --kernels v5.6 --csv "$TMP/mode.csv"
[ "$(stat -c %a "$TMP/mode.csv")" = 640 ] && ok || bad "the mode became $(stat -c %a "$TMP/mode.csv")"
grep -q '^scenario,kernel' "$TMP/mode.csv" && ok || bad "the csv was not written"
if [ "$owner_test" = yes ]; then
	[ "$(stat -c %u:%g "$TMP/mode.csv")" = 65534:65534 ] && ok || bad "the owner became $(stat -c %u:%g "$TMP/mode.csv")"
fi

# A FIFO is written in place: its reader gets the bytes, it stays a FIFO.
mkfifo "$TMP/fifo"
timeout 20 cat "$TMP/fifo" >"$TMP/fifo.got" &
reader=$!
expect_status "junit into a FIFO" 0 "$NFRACE" check "$TMP/s.yaml" --junit "$TMP/fifo"
wait "$reader"
[ -p "$TMP/fifo" ] && ok || bad "the FIFO was replaced"
sed 's/ time="[^"]*"//g' "$TMP/fifo.got" | cmp -s - "$TMP/ref.notime" && ok || bad "the FIFO's reader did not get the JUnit file"

# A character device (made here, not in /dev) is written in place, never replaced.
if mknod "$TMP/null" c 1 3 2>/dev/null; then
	expect_status "json into a device" 0 "$NFRACE" run "$TMP/s.yaml" --kernel v5.6 --json "$TMP/null"
	[ -c "$TMP/null" ] && ok || bad "the device node became a $(stat -c %F "$TMP/null")"
	expect_status "two outputs into one device" 0 "$NFRACE" matrix "$TMP/s.yaml" --kernels v5.6 --json "$TMP/null" --csv "$TMP/null"
	[ -c "$TMP/null" ] && ok || bad "the device node was replaced by matrix"
else
	echo "note: mknod not allowed here; the device case is skipped"
fi

# A name of the file standard output goes to (what /dev/stdout is): written through it, after the summary.
ln -s /proc/self/fd/1 "$TMP/stdout"
"$NFRACE" check "$TMP/s.yaml" --junit "$TMP/stdout" >"$TMP/captured" 2>"$TMP/err"
st=$?
[ "$st" -eq 0 ] && [ -L "$TMP/stdout" ] && [ "$(readlink "$TMP/stdout")" = /proc/self/fd/1 ] && ok ||
	bad "--junit through a /dev/stdout-like link: exit $st or the link replaced"
grep -q '^[0-9]* passed, 0 failed$' "$TMP/captured" && grep -q '<testsuite' "$TMP/captured" && ok ||
	bad "standard output lost the summary or the JUnit file"; 
awk '/passed, 0 failed/ { s = NR } /<testsuite/ { j = NR } END { exit !(s && j && s < j) }' "$TMP/captured" && ok ||
	bad "the JUnit file came before the summary printed earlier"

# A directory and a socket are refused.
mkdir "$TMP/dir"
expect_status "json onto a directory" 2 "$NFRACE" run "$TMP/s.yaml" --kernel v5.6 --json "$TMP/dir"
grep -q "is a directory" "$TMP/err" && ok || bad "directory not named"
expect_status "json into a missing directory" 2 "$NFRACE" run "$TMP/s.yaml" --kernel v5.6 --json "$TMP/nodir/x.json"

# An output that is an input is refused, by any name; the input is untouched.
expect_status "json over the scenario" 2 "$NFRACE" run "$TMP/s.yaml" --json "$TMP/s.yaml"
grep -q "would replace the input file" "$TMP/err" && ok || bad "input overwrite not explained"
cmp -s "$S" "$TMP/s.yaml" && ok || bad "the scenario was overwritten"
ln -s s.yaml "$TMP/s-link.yaml"
ln "$TMP/s.yaml" "$TMP/s-hard.yaml"
expect_status "json over the scenario through a symlink" 2 "$NFRACE" run "$TMP/s.yaml" --json "$TMP/s-link.yaml"
expect_status "csv over the scenario through a hard link" 2 "$NFRACE" matrix "$TMP/s.yaml" --csv "$TMP/s-hard.yaml"
expect_status "junit over the scenario" 2 "$NFRACE" check "$TMP/s.yaml" --junit "$TMP/s.yaml"
cmp -s "$S" "$TMP/s.yaml" && ok || bad "the scenario was overwritten"
"$NFRACE" matrix "$TMP/s.yaml" --kernels v5.6 --shard 1/1 --json "$TMP/shard" >/dev/null 2>&1
expect_status "merge over its shard" 2 "$NFRACE" merge "$TMP/shard" --json "$TMP/shard"
expect_status "two outputs to one file" 2 "$NFRACE" matrix "$TMP/s.yaml" --json "$TMP/same" --csv "$TMP/./same"
[ ! -e "$TMP/same" ] && ok || bad "two outputs to one file wrote it"

# Several outputs: all or none.  A refused --csv leaves --json as it was.
echo keep >"$TMP/ok.json"
expect_status "matrix with a bad --csv" 2 "$NFRACE" matrix "$TMP/s.yaml" --kernels v5.6 --json "$TMP/ok.json" --csv "$TMP/nodir/x.csv"
[ "$(cat "$TMP/ok.json")" = keep ] && ok || bad "--json was replaced before --csv failed"

no_temporaries "outputs" "$TMP"
finish "outputs"
