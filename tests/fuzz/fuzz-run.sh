#!/bin/sh
# fuzz-run.sh TARGET CORPUS CRASHDIR [DICT]: runs a libFuzzer target for
# $FUZZ_SECONDS (default 30) over a copy of its seed corpus, so that the
# corpus in the repository is never modified. Crashes go to CRASHDIR.
set -eu

target=$1
corpus=$2
crashes=$3
dict=${4:-}
seconds=${FUZZ_SECONDS:-30}

work=$(mktemp -d "${TMPDIR:-/tmp}/cw-fuzz-corpus.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
cp -R "$corpus/." "$work/"
mkdir -p "$crashes"

set -- -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$crashes/"
if [ -n "$dict" ]; then
  set -- "$@" -dict="$dict"
fi

status=0
"$target" "$@" "$work" || status=$?
if [ "$status" -ne 0 ]; then
  echo "fuzz-run: $(basename "$target") failed (exit $status); the input is in $crashes" >&2
fi
exit "$status"
