#!/bin/sh
# test_report_browser.sh NFRACE - open the page `nfrace report` writes in
# headless Chromium and check what a reader sees: the step named in the URL
# fragment is shown (step number, CPU lane, kernel function) and agrees with
# `nfrace replay` of the same witness; next/previous buttons and the arrow
# keys move it; the conntrack table and counters follow the step; a
# "</script>" in the data cannot break the page.  With chromedriver present,
# the same is done with real clicks and key presses through its W3C HTTP API
# (curl only).  Needs only sh, grep, sed and curl; exits 77 (CTest SKIPPED)
# when no Chromium is installed.  Run from the source directory.
set -u
NFRACE=$1
CHROMIUM=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$CHROMIUM" ]; then
	echo "SKIP: no chromium (apt-get install -y chromium)"
	exit 77
fi
TMP=$(mktemp -d)
DRIVER_PID=
sid=
cleanup() {
	[ -n "$sid" ] && curl -s -X DELETE "$U/session/$sid" >/dev/null # closes its Chromium
	[ -n "$DRIVER_PID" ] && kill "$DRIVER_PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }

S=scenarios/dns-a-aaaa-one-backend.yaml
W=dns-a-aaaa-one-backend/v4.15
"$NFRACE" report "$S" --kernels v4.15,v5.6 -o "$TMP/r" >"$TMP/out" 2>&1 || { cat "$TMP/out"; echo "FAIL: report"; exit 1; }
PAGE="file://$TMP/r/index.html"

# The witness as `nfrace replay` prints it: the reference for the page.
token=$(grep -o 'nfr1-[0-9a-f]*-[0-9a-z_]*' "$TMP/r/index.html" | head -1)
"$NFRACE" replay "$S" --kernel v4.15 --schedule "$token" >"$TMP/replay" || bad "replay of the page's witness"

dom() { # FRAGMENT OUT: the DOM after the page's script ran with that fragment
	"$CHROMIUM" --headless=new --disable-gpu --no-sandbox --disable-dev-shm-usage --no-first-run --user-data-dir="$TMP/profile" \
		--virtual-time-budget=5000 --dump-dom "$PAGE#$1" >"$2" 2>"$TMP/chromium.err"
	grep -q 'id="cur-step"' "$2" || { echo "chromium gave no page:"; tail -5 "$TMP/chromium.err"; }
}
field() { # FILE ID: the text of the element with that id
	grep -o "id=\"$2\"[^>]*>[^<]*<" "$1" | head -1 | sed 's/^[^>]*>//; s/<$//'
}
# Step N of the replay trace: "CPU FUNCTION" (the column that holds the step's label).
replay_step() {
	awk -v n="$1" '
		/^ step / { line = substr($0, 7); nh = split(line, head, / \| /); next }
		head[1] != "" && substr($0, 1, 6) ~ "^ *" n " $" {
			line = substr($0, 7); nf = split(line, col, / \| /)
			for (i = 1; i <= nf; i++) if (col[i] ~ /[^ ]/) { sub(/^ +/, "", col[i]); sub(/:.*/, "", col[i]); sub(/ +$/, "", col[i]); sub(/ +$/, "", head[i]); print head[i], col[i]; exit }
		}' "$TMP/replay"
}
expect_step() { # NAME DOMFILE STEP: the page shows step STEP as the replay has it
	got="$(field "$2" cur-step) $(field "$2" cur-cpu) $(field "$2" cur-fn)"
	want="$3 $(replay_step "$3")"
	[ "$got" = "$want" ] && ok || bad "$1: page shows '$got', replay has '$want'"
}

# 1. A fragment opens a step; next, next, previous, then the right arrow key.
dom "step=$W/5&do=nnpr" "$TMP/d1"
expect_step "fragment then n n p ->" "$TMP/d1" 7
nav() { grep -o 'data-nav="[^"]*"' "$1" | sed 's/data-nav="//; s/"$//'; }
[ "$(nav "$TMP/d1")" = "5 6 7 6 7" ] && ok || bad "navigation log '$(nav "$TMP/d1")', wanted '5 6 7 6 7'"
grep -q 'navigation:' "$TMP/d1" && bad "the debug navigation line is on the page" || ok
grep -q '<tr data-step="7" class="current">' "$TMP/d1" && ok || bad "row of step 7 not highlighted"
[ "$(grep -c 'class="current"' "$TMP/d1")" -eq 1 ] && ok || bad "more than one current row"

# 2. Arrow keys alone, and previous stops at step 0.
dom "step=$W/0&do=rrlpp" "$TMP/d2"
expect_step "keys r r l, then p p at the start" "$TMP/d2" 0
[ "$(nav "$TMP/d2")" = "0 1 2 1 0 0" ] && ok || bad "keys: navigation log '$(nav "$TMP/d2")'"

# 3. Before anything is confirmed the table is empty; at the last step it
#    holds CONFIRMED entries and the counters are the replay's counters.
grep -q 'id="table-state"><p>(empty: no conntrack hashed)</p>' "$TMP/d2" && ok || bad "step 0: table not empty"
last=$(field "$TMP/d2" step-last)
dom "step=$W/$last" "$TMP/d3"
expect_step "last step" "$TMP/d3" "$last"
grep -o 'id="table-state">.*' "$TMP/d3" | grep -q 'class="bit bit-CONFIRMED">CONFIRMED<' && ok || bad "last step: no CONFIRMED entry in the table"
grep -q 'bucket [0-9]' "$TMP/d3" && ok || bad "last step: no bucket shown"
for kv in $(sed -n 's/^counters: //p' "$TMP/replay"); do
	grep -q "<td>${kv%=*}</td><td>${kv#*=}</td>" "$TMP/d3" && ok || bad "last step: counter $kv not shown"
done
grep -q '<td>cpu0</td><td>' "$TMP/d3" && ok || bad "no per-CPU skb_ct"

# Step counters agree: "step i of 0 to N" is the replay's numbering, and the
# header's count of scheduled steps is run's count for that witness.
steps=$("$NFRACE" run "$S" --kernel v4.15 --json - 2>/dev/null | grep -o "\"schedule\": \"$token\", \"preemptions\": [0-9]*, \"steps\": [0-9]*" | sed 's/.*"steps": //')
lastrow=$(grep -c '^ *[0-9][0-9]* ' "$TMP/replay")
[ "$last" -eq "$((lastrow - 1))" ] && ok || bad "last step $last, the replay numbers 0 to $((lastrow - 1))"
grep -q "steps 0 to $last as nfrace replay numbers them: 2 CPU starts, then the $steps scheduled steps nfrace run counts" "$TMP/d3" &&
	ok || bad "step counts disagree with run ($steps steps)"

# 4. A step past the end is clamped; an unknown witness leaves the first one shown.
dom "step=$W/100000" "$TMP/d4"
[ "$(field "$TMP/d4" cur-step)" = "$last" ] && ok || bad "step past the end not clamped to $last"
dom "step=no-such-scenario/v4.15/3" "$TMP/d6"
expect_step "unknown witness: the first one at step 0" "$TMP/d6" 0
grep -q '<p>dns-a-aaaa-one-backend under v4.15: ' "$TMP/d6" && ok || bad "unknown witness: the first witness is not shown"

# 4b. Without a fragment the page opens on the DNS witness, though another
#     scenario comes first; the packet and event matrices are separate tables;
#     an events cell whose DESTROY events were lost is not green; captions are
#     sentences; each step links its kernel source at the preset's release.
"$NFRACE" report scenarios/conntrack-only.yaml "$S" scenarios/ctnetlink-flush-reliable.yaml --kernels v2.6.30,v4.5,v4.15 \
	-o "$TMP/r2" >"$TMP/out" 2>&1 || { cat "$TMP/out"; bad "report of three scenarios"; }
PAGE="file://$TMP/r2/index.html"
dom "" "$TMP/d7"
grep -q '<p>dns-a-aaaa-one-backend under v4.15: ' "$TMP/d7" && ok || bad "the page does not open on the DNS witness"
grep -q 'id="matrix">' "$TMP/d7" && grep -q 'id="matrix-events">' "$TMP/d7" && ok || bad "no separate packet and event matrices"
sed -n '/id="matrix">/,/<\/table>/p' "$TMP/d7" | grep -q 'v2.6.30' && bad "an event-path preset is a column of the packet matrix" || ok
grep -q '<td class="lost">ok,<wbr>lost</td>' "$TMP/d7" && ok || bad "an ok,lost cell is not marked lost"
grep -q '<td class="ok">ok,<wbr>lost' "$TMP/d7" && bad "an ok,lost cell is green" || ok
n=$(grep -c '<figcaption>' "$TMP/d7")
m=$(grep -c '<figcaption>Figure [0-9]*\. [A-Z][^<]*\.</figcaption>' "$TMP/d7")
[ "$n" -gt 0 ] && [ "$n" -eq "$m" ] && ok || bad "$((n - m)) of $n figure captions are not numbered sentences"
dom "step=$W/31" "$TMP/d8"
grep -q 'id="cur-src" href="https://elixir.bootlin.com/linux/v4.15/source/net/netfilter/nf_conntrack_core.c">net/netfilter/nf_conntrack_core.c at v4.15<' "$TMP/d8" &&
	ok || bad "step 31 does not link __nf_conntrack_confirm's source at v4.15"
PAGE="file://$TMP/r/index.html"

# 5. "</script>" in the data (here in the scenario's path) cannot end the script.
mkdir -p "$TMP/x</script><b id=\"injected\">"
cp "$S" "$TMP/x</script><b id=\"injected\">/s.yaml"
"$NFRACE" report "$TMP/x</script><b id=\"injected\">/s.yaml" --kernels v4.15 -o "$TMP/r" >"$TMP/out" 2>&1 || bad "report of the odd path"
grep -q '</script><b' "$TMP/r/index.html" && bad "raw </script> in the page"
dom "step=$W/3" "$TMP/d5"
grep -q '<b id="injected"' "$TMP/d5" && bad "injected element in the DOM" || ok
[ "$(field "$TMP/d5" cur-step)" = "3" ] && ok || bad "page with odd data does not run"

# 6. Real clicks and key presses through chromedriver's W3C API, when installed.
DRIVER=$(command -v chromedriver || true)
if [ -n "$DRIVER" ] && command -v curl >/dev/null 2>&1; then
	"$NFRACE" report "$S" --kernels v4.15 -o "$TMP/r" >/dev/null 2>&1
	"$DRIVER" --port=0 >"$TMP/driver.log" 2>&1 & # port 0: it takes a free one and says which
	DRIVER_PID=$!
	i=0
	PORT=
	until [ -n "$PORT" ] || [ $i -ge 50 ]; do
		sleep 0.2
		i=$((i + 1))
		PORT=$(sed -n 's/.*started successfully on port \([0-9]*\).*/\1/p' "$TMP/driver.log")
	done
	U="http://127.0.0.1:$PORT"
	post() { curl -s -X POST -H 'Content-Type: application/json' -d "$2" "$U$1"; }
	caps='{"capabilities":{"alwaysMatch":{"goog:chromeOptions":{"binary":"'"$CHROMIUM"'","args":["--headless=new","--no-sandbox","--disable-gpu","--disable-dev-shm-usage","--window-size=1400,1000","--user-data-dir='"$TMP"'/profile2"]}}}}'
	sid=$(post /session "$caps" | grep -o '"sessionId":"[^"]*"' | sed 's/.*:"//; s/"//')
	if [ -z "$sid" ]; then
		bad "chromedriver: no session"; tail -5 "$TMP/driver.log"
	else
		post "/session/$sid/url" '{"url":"'"$PAGE#step=$W/5"'"}' >/dev/null
		elem() { post "/session/$sid/element" '{"using":"css selector","value":"'"$1"'"}' | grep -o '"element-6066-11e4-a52e-4f735466cecf":"[^"]*"' | sed 's/.*:"//; s/"//'; }
		text() { curl -s "$U/session/$sid/element/$(elem "$1")/text" | sed 's/.*"value":"//; s/".*//'; }
		click() { post "/session/$sid/element/$(elem "$1")/click" '{}' >/dev/null; }
		key() { post "/session/$sid/actions" '{"actions":[{"type":"key","id":"k","actions":[{"type":"keyDown","value":"'"$1"'"},{"type":"keyUp","value":"'"$1"'"}]}]}' >/dev/null; }
		[ "$(text '#cur-step')" = 5 ] && ok || bad "driver: fragment step 5 not shown"
		click '#next'; click '#next'; click '#prev'
		[ "$(text '#cur-step')" = 6 ] && ok || bad "driver: next next prev did not give step 6"
		key '\uE014'; key '\uE014'; key '\uE012'
		[ "$(text '#cur-step')" = 7 ] && ok || bad "driver: right right left did not give step 7"
		want=$(replay_step 7)
		[ "$(text '#cur-cpu') $(text '#cur-fn')" = "$want" ] && ok || bad "driver: step 7 shows '$(text '#cur-cpu') $(text '#cur-fn')', replay has '$want'"
		click '#lanes tr[data-step=\"2\"] td'
		[ "$(text '#cur-step')" = 2 ] && ok || bad "driver: a click on the row of step 2 did not select it"
		js() { post "/session/$sid/execute/sync" '{"script":"'"$1"'","args":[]}' | sed 's/.*"value"://; s/}$//'; }
		# every scenario under every preset: the matrices fit the 1400 px window
		"$NFRACE" report scenarios/*.yaml -o "$TMP/all" >/dev/null 2>&1
		post "/session/$sid/url" '{"url":"'"file://$TMP/all/index.html"'"}' >/dev/null
		[ "$(js 'return window.scrollY')" = 0 ] && ok || bad "driver: the page does not open at its top"
		[ "$(js 'return document.documentElement.scrollWidth <= window.innerWidth')" = true ] && ok ||
			bad "driver: the page is $(js 'return document.documentElement.scrollWidth') px wide in a 1400 px window"
		# a drop cell scrolls to its witness
		click '#matrix a[href=\"#step=dns-a-aaaa-two-backends/v5.0/0\"]'
		[ "$(js 'return document.getElementById(\"witness-select\").value')" = '"dns-a-aaaa-two-backends/v5.0"' ] && ok ||
			bad "driver: a drop cell does not open its witness"
		[ "$(js 'var r=document.getElementById(\"timeline\").getBoundingClientRect();return window.scrollY>0&&r.top>-2&&r.top<window.innerHeight')" = true ] &&
			ok || bad "driver: a drop cell does not scroll to its witness"
	fi
else
	echo "note: chromedriver or curl not installed; real clicks not tested"
fi

echo "report browser: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
