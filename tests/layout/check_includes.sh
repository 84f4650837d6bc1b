#!/bin/sh
# check_includes.sh - the include rule of the layers (README "Layout",
# docs/model.md): every #include "..." in sim/ and model/ names a header of
# the file's own layer or of a lower one, in the order
#     engine < model < scenario < job < report < cli
# (sim/engine, model, sim/scenario, sim/job, sim/report, sim/cli), and
#   - model/ includes of the engine only its public headers for a model:
#     sim.h (yields, choices, accesses) and the value types prng.h,
#     clock.h and token.h;
#   - a layer's private headers (explore_impl.h, sampling.h: the engine's
#     strategies; scenario_yaml.h, scenario_load_time.h: the loader's parts)
#     are included only inside their own folder.
# A quoted include that is in no layer's folder is an error too, so a new
# folder cannot slip past the rule.
#
# usage: sh tests/layout/check_includes.sh [SOURCE_DIR]; exit 0 when every
# include keeps the rule, 1 (each offending line printed) otherwise.
set -u
cd "${1:-.}" || exit 2

layers="sim/engine model sim/scenario sim/job sim/report sim/cli"
model_may="sim.h prng.h clock.h token.h"
private="explore_impl.h sampling.h scenario_yaml.h scenario_load_time.h"

rank_of_dir() {
	r=0
	for d in $layers; do
		[ "$d" = "$1" ] && { echo "$r"; return; }
		r=$((r + 1))
	done
	echo -1
}

# The folder of layer header $1, or nothing.
dir_of_header() {
	for d in $layers; do
		[ -f "$d/$1" ] && { echo "$d"; return; }
	done
}

contains() {
	for w in $2; do
		[ "$w" = "$1" ] && return 0
	done
	return 1
}

bad=0
for dir in $layers; do
	[ -d "$dir" ] || { echo "$dir: layer folder missing"; bad=1; continue; }
	rank=$(rank_of_dir "$dir")
	for f in "$dir"/*.c "$dir"/*.h; do
		[ -f "$f" ] || continue
		# "line:header" for every quoted include
		for inc in $(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
			     sed 's/^\([0-9]*\):.*"\([^"]*\)".*/\1:\2/'); do
			line=${inc%%:*}
			h=${inc#*:}
			hdir=$(dir_of_header "$h")
			if [ -z "$hdir" ]; then
				echo "$f:$line: includes \"$h\", which is in no layer's folder"
				bad=1
				continue
			fi
			hrank=$(rank_of_dir "$hdir")
			if [ "$hrank" -gt "$rank" ]; then
				echo "$f:$line: includes \"$h\" of $hdir, a higher layer than $dir"
				bad=1
			elif [ "$dir" = model ] && [ "$hdir" = sim/engine ] && ! contains "$h" "$model_may"; then
				echo "$f:$line: includes \"$h\" of the engine; the model may include only: $model_may"
				bad=1
			elif [ "$hdir" != "$dir" ] && contains "$h" "$private"; then
				echo "$f:$line: includes \"$h\", private to $hdir"
				bad=1
			fi
		done
	done
done
if [ "$bad" -ne 0 ]; then
	echo "include rule broken (see README, Layout: a file's folder tells what it may include)"
	exit 1
fi
echo "include rule kept: engine < model < scenario < job < report < cli"
exit 0
