#!/bin/sh
# make_merge_corpus.sh NFRACE [DIR] - the seed corpus of fuzz_merge (default
# tests/fuzz/corpus/merge): real shard files of the fuzzer's scenario
# (tests/data/good/dns-a-aaaa-one-backend.yaml) - run shards under two
# presets and fix sets, matrix shards, check shards - so that the fuzzer
# starts from inputs that pass every check and reach the replays and the
# merge.  Run from the source directory; rerun when the model version
# changes (the shards' program hashes go stale).
set -eu
NFRACE=$1
DIR=${2:-tests/fuzz/corpus/merge}
S=tests/data/good/dns-a-aaaa-one-backend.yaml
mkdir -p "$DIR"
rm -f "$DIR"/*
for k in 1 2; do
	"$NFRACE" run "$S" --kernel v4.15 --shard $k/2 --json "$DIR/run-v4.15-$k-of-2" >/dev/null
	"$NFRACE" run "$S" --kernel v5.0 --no-fix same-origin --shard $k/2 --json "$DIR/run-v5.0-nosameorigin-$k-of-2" >/dev/null
	"$NFRACE" matrix "$S" scenarios/conntrack-only.yaml --kernels v4.15,v5.0 --shard $k/2 --json "$DIR/matrix-$k-of-2" >/dev/null
	"$NFRACE" check "$S" tests/data/bad/duplicate-key.yaml --shard $k/2 --junit "$DIR/check-$k-of-2" >/dev/null || true
done
"$NFRACE" run "$S" --kernel v4.15 --plant lock-order --explore dfs --shard 1/1 --json "$DIR/run-dfs-plant-1-of-1" >/dev/null || true
"$NFRACE" matrix "$S" --kernels v4.15 --shard 1/1 --json "$DIR/matrix-1-of-1" >/dev/null
ls "$DIR"
