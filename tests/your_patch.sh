#!/bin/sh
# your_patch.sh SRC DIR - follow docs/your-patch.md in a scratch copy: copy
# the source tree SRC to DIR, apply the patch the page shows (its ```diff
# blocks, in order, with patch -p1), and build nfrace there with warnings as
# errors.  Prints the path of the patched nfrace; exit 1 (with the reason) if
# the patch does not apply or the tree does not build.  Used by the
# your_patch test and by tests/gen_docs.sh for the page's outputs.
set -eu
src=$(cd "$1" && pwd)
dir=$2
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
(cd "$src" && tar -cf - CMakeLists.txt README.md model sim scenarios tests docs) | (cd "$dir" && tar -xf -)
awk '/^```diff$/ { p = 1; next } /^```$/ { p = 0 } p' "$src/docs/your-patch.md" >"$dir/your-patch.diff"
if ! (cd "$dir" && patch -p1 --no-backup-if-mismatch --quiet <your-patch.diff) >"$dir/patch.log" 2>&1; then
	echo "your_patch.sh: the patch of docs/your-patch.md does not apply:" >&2
	cat "$dir/patch.log" >&2
	exit 1
fi
if ! { cmake -S "$dir" -B "$dir/build" -DBUILD_TESTING=OFF -DNFRACE_WERROR=ON &&
	cmake --build "$dir/build" -j2 --target nfrace; } >"$dir/build.log" 2>&1; then
	echo "your_patch.sh: the patched tree does not build:" >&2
	tail -20 "$dir/build.log" >&2
	exit 1
fi
echo "$dir/build/nfrace"
