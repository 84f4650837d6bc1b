#!/bin/sh
# test_plots.sh NFRACE - `nfrace plots` and plot_write: two runs give the same
# SVG and PNG bytes, the SVG holds the data's series, a missing gnuplot skips
# with the promised message and writes nothing, a bad CSV is an error naming
# file and line with nothing written.  Exits 77 (CTest SKIPPED) when gnuplot
# is not installed.  Run from the source directory.
set -u
if ! command -v gnuplot >/dev/null 2>&1; then
	echo "SKIP: no gnuplot (apt-get install -y gnuplot-nox)"
	exit 77
fi
NFRACE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/testlib.sh"

"$NFRACE" plots -o "$TMP/a" >"$TMP/out" 2>&1 || { bad "plots a"; cat "$TMP/out"; }
"$NFRACE" plots -o "$TMP/b" >"$TMP/out" 2>&1 || { bad "plots b"; cat "$TMP/out"; }
cmp -s "$TMP/a/dpor.svg" "$TMP/b/dpor.svg" && ok || bad "two runs give different SVG"
cmp -s "$TMP/a/dpor.png" "$TMP/b/dpor.png" && ok || bad "two runs give different PNG"
grep -q '<svg' "$TMP/a/dpor.svg" && ok || bad "no <svg> in dpor.svg"
grep -q 'naive executions (stopped at its bound: a lower bound)' "$TMP/a/dpor.svg" && ok || bad "series title missing"
[ "$(head -c 4 "$TMP/a/dpor.png" | tail -c 3)" = PNG ] && ok || bad "dpor.png is not a PNG"
ls "$TMP/a" | grep -q tmp && bad "temporary file left" || ok

# Every figure of results/ is redrawn: the DPOR figure, P(drop) against the gap, events against the buffer.
for f in pdrop-dns-a-aaaa-one-backend pdrop-dns-a-aaaa-two-backends events-ctnetlink-flush-reliable; do
	[ -s "$TMP/a/$f.svg" ] && [ -s "$TMP/a/$f.png" ] && ok || bad "nfrace plots did not draw $f"
done

# The scripts gnuplot gets (a stand-in gnuplot keeps them): the DPOR rows by
# scenario name and as points (no line across unrelated rows), the gap axis
# from 0, every legend inside its plot, a colour and a marker of its own for
# every series of a figure.
cat >"$TMP/keep-gnuplot" <<EOS
#!/bin/sh
cp "\$1" "$TMP/scripts/\$(basename "\$1" | sed 's/\\.gp\\.tmp.*//')"
sed -n "s/^set output '\\(.*\\)'\$/\\1/p" "\$1" | while read -r out; do : >"\$out"; done
EOS
chmod +x "$TMP/keep-gnuplot"
mkdir -p "$TMP/scripts"
NFRACE_GNUPLOT="$TMP/keep-gnuplot" "$NFRACE" plots -o "$TMP/k" >"$TMP/out" 2>&1 || { bad "plots with a stand-in gnuplot"; cat "$TMP/out"; }
D="$TMP/scripts/dpor"
grep -q "set xtics rotate by .*'conntrack-only v4.15' 1" "$D" && ok || bad "DPOR rows not labelled by scenario and kernel"
grep '^plot \|^     \$d' "$D" | grep -q 'linespoints' && bad "DPOR rows joined by a line" || ok
grep -q 'set xrange \[0:\*\]' "$TMP/scripts/pdrop-dns-a-aaaa-one-backend" && ok || bad "the gap axis does not start at 0"
for g in "$TMP"/scripts/*; do
	grep -q '^set key inside ' "$g" || echo "$(basename "$g"): legend outside the plot"
	series=$(grep -c " ps [0-9.]* title '" "$g")
	[ "$(grep -o "lc rgb '#[0-9a-f]*'" "$g" | sort -u | wc -l)" -eq "$series" ] || echo "$(basename "$g"): colours repeat"
	[ "$(grep -o " pt [0-9]*" "$g" | sort -u | wc -l)" -eq "$series" ] || echo "$(basename "$g"): markers repeat"
done >"$TMP/style"
[ "$(ls "$TMP/scripts" | wc -l)" -ge 5 ] && [ ! -s "$TMP/style" ] && ok || { bad "figure style"; cat "$TMP/style"; ls "$TMP/scripts"; }

# gnuplot absent: the message, exit 0, no file.
NFRACE_GNUPLOT=/nonexistent "$NFRACE" plots -o "$TMP/c" >"$TMP/out" 2>"$TMP/err"; st=$?
[ "$st" -eq 0 ] && ok || bad "absent gnuplot: exit $st"
grep -qx "nfrace: plot skipped (gnuplot not found): $TMP/c/dpor.svg" "$TMP/err" && ok || { bad "skip message"; cat "$TMP/err"; }
[ ! -e "$TMP/c/dpor.svg" ] && [ ! -e "$TMP/c/dpor.png" ] && ok || bad "files written without gnuplot"

# A gnuplot that fails: an error, nothing renamed into place.
printf '#!/bin/sh\nexit 3\n' >"$TMP/failing-gnuplot"
chmod +x "$TMP/failing-gnuplot"
NFRACE_GNUPLOT="$TMP/failing-gnuplot" "$NFRACE" plots -o "$TMP/d" >"$TMP/out" 2>"$TMP/err"; st=$?
[ "$st" -eq 2 ] && ok || bad "failing gnuplot: exit $st, wanted 2"
[ ! -e "$TMP/d/dpor.svg" ] && ! ls "$TMP/d" | grep -q tmp && ok || bad "failing gnuplot left files"

# A bad CSV: file:line in the message, exit 2, nothing written.
mkdir -p "$TMP/w/results/bench"
printf 'scenario,kernel,dpor_executions,dpor_classes,dpor_seconds,naive_executions,naive_classes,naive_complete\nx,v4.15,1,1,0,2,1,true\ny,v4.15,many,1,0,2,1,true\n' >"$TMP/w/results/bench/dpor.csv"
(cd "$TMP/w" && "$NFRACE" plots -o out) >"$TMP/out" 2>"$TMP/err"; st=$?
[ "$st" -eq 2 ] && ok || bad "bad CSV: exit $st, wanted 2"
grep -q '^results/bench/dpor.csv:3: ' "$TMP/err" && ok || { bad "bad CSV not located"; cat "$TMP/err"; }
[ ! -e "$TMP/w/out" ] && ok || bad "bad CSV: output written"

finish plots
