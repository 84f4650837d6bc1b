#!/bin/sh
# test_ci_docs.sh NFRACE CI_STEPS - the CI examples of docs/ci-integration.md
# work as written: CI_STEPS (ci_steps.c) parses the GitHub Actions and GitLab
# blocks and lists their steps; here every shell step runs as the CI system
# would run it - each matrix value or parallel index in a directory of its
# own with its variables set, uploaded artifacts handed to the later job -
# and the merge job's JUnit file must be the unsharded check's (times
# aside).  The install and build steps (apt-get, cmake) are not run: the
# nfrace under test stands in for ./build/nfrace.  Run from the source
# directory.
set -u
NFRACE=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
STEPS=$2
. "$(dirname "$0")/testlib.sh"

if ! "$STEPS" docs/ci-integration.md >"$TMP/steps"; then
	echo "FAIL the CI examples do not parse"
	exit 1
fi
ok

# The reference: the unsharded check of the same scenarios.
"$NFRACE" check scenarios/*.yaml --junit "$TMP/ref.xml" >/dev/null 2>&1
sed 's/ time="[^"]*"//' "$TMP/ref.xml" >"$TMP/ref.notime"

# A job's directory: what actions/checkout or a GitLab clone gives, with the built nfrace.
job_dir() {
	mkdir -p "$1/build"
	cp -r scenarios "$1/"
	ln -s "$NFRACE" "$1/build/nfrace"
}

# run_step DIR COMMAND [ENV] - one shell step (after the assignments ENV);
# install and build steps are skipped.
run_step() {
	case "$2" in
	*apt-get\ *install*) echo "skipped (install): $2" >>"$TMP/skipped"; return ;;
	cmake\ *) echo "skipped (build): $2" >>"$TMP/skipped"; return ;;
	esac
	if (cd "$1" && sh -e -c "${3:-}$2") >"$TMP/step.out" 2>&1; then ok; else
		bad "the step '$2' failed in $1"
		cat "$TMP/step.out"
	fi
}

check_junit() { # NAME FILE
	if [ -s "$2" ] && sed 's/ time="[^"]*"//' "$2" | cmp -s - "$TMP/ref.notime"; then ok; else
		bad "$1: $2 is not the unsharded check's JUnit file"
	fi
}

# ---- GitHub Actions ------------------------------------------------------------
gh_job() { # NAME KEY VALUE - run the steps of job NAME, the matrix variable KEY set to VALUE
	d="$TMP/gh-$1${3:+-$3}"
	job_dir "$d"
	awk -v j="$1" '$1 ~ /-job$/ { cur = ($1 == "github-job" && $2 == j) } cur && $1 != "github-job" && $1 != "matrix"' \
		"$TMP/steps" >"$TMP/job.steps"
	while IFS= read -r line; do
		what=${line%% *}
		rest=$(printf '%s' "${line#* }" | sed "s/\${{ matrix\.$2 }}/$3/g")
		case $what in
		run) run_step "$d" "$rest" ;;
		upload)
			name=${rest%% *}
			mkdir -p "$TMP/artifacts/$name"
			(cd "$d" && cp ${rest#* } "$TMP/artifacts/$name/") && ok || bad "upload $rest: no such file" ;;
		download)
			for a in "$TMP"/artifacts/$rest; do cp "$a"/* "$d/"; done
			ok ;;
		junit) check_junit "GitHub job $1" "$d/$rest" ;;
		esac
	done <"$TMP/job.steps"
}

grep '^github-job ' "$TMP/steps" | while read -r _ job _; do
	matrix=$(awk -v j="$job" '$1 ~ /-job$/ { cur = ($1 == "github-job" && $2 == j) } cur && $1 == "matrix"' "$TMP/steps")
	if [ -n "$matrix" ]; then
		set -- $matrix
		key=$2
		shift 2
		for v in "$@"; do gh_job "$job" "$key" "$v"; done
	else
		gh_job "$job" "" ""
	fi
	echo "$passed $failed" >"$TMP/counts"
done
read -r passed failed <"$TMP/counts"
grep -q '^junit ' "$TMP/steps" && ok || bad "the GitHub example reports no JUnit file"

# ---- GitLab CI -------------------------------------------------------------------
gl_job() { # NAME INDEX TOTAL
	d="$TMP/gl-$1-$2"
	job_dir "$d"
	[ -d "$TMP/gl-artifacts" ] && cp "$TMP"/gl-artifacts/* "$d/" 2>/dev/null # earlier stages' artifacts
	awk -v j="$1" '$1 ~ /-job$/ { cur = ($1 == "gitlab-job" && $2 == j) } cur && $1 != "gitlab-job"' "$TMP/steps" >"$TMP/job.steps"
	while IFS= read -r line; do
		what=${line%% *}
		rest=${line#* }
		case $what in
		run) run_step "$d" "$rest" "CI_NODE_INDEX=$2 CI_NODE_TOTAL=$3; " ;;
		artifacts)
			mkdir -p "$TMP/gl-artifacts"
			(cd "$d" && cp $rest "$TMP/gl-artifacts/") && ok || bad "artifacts $rest: no such file" ;;
		junit) check_junit "GitLab job $1" "$d/$rest" ;;
		esac
	done <"$TMP/job.steps"
}

passed0=$passed
grep '^gitlab-job ' "$TMP/steps" | while read -r _ job stage parallel; do
	if [ "$parallel" -gt 0 ]; then
		i=1
		while [ $i -le "$parallel" ]; do gl_job "$job" $i "$parallel"; i=$((i + 1)); done
	else
		gl_job "$job" 1 1
	fi
	echo "$passed $failed" >"$TMP/counts"
done
read -r passed failed <"$TMP/counts"
[ "$passed" -gt "$passed0" ] && ok || bad "the GitLab example ran no step"

# Only install and build steps were left out.
sort -u "$TMP/skipped"
[ "$(grep -c . "$TMP/skipped")" -gt 0 ] && ok || bad "no install or build step found"

finish "ci docs"
