#!/usr/bin/env bash
# `make fuzz`: runs each fuzz target (fuzz/fuzz_targets/) for FUZZ_SECONDS, one after another,
# and prints each one's executions. Knobs: FUZZ_SECONDS (default 600), FUZZ_TARGETS (default
# all, space-separated), FUZZ_SANITIZER (default address; `none` runs about twice as fast).
#
# cargo-fuzz passes nightly-only flags (-Zsanitizer, sanitizer coverage) to rustc; the pinned
# stable toolchain accepts them with RUSTC_BOOTSTRAP=1, so no nightly is needed.
# Seeds are committed in fuzz/corpus/<target>/ and only read; what libFuzzer adds goes to a
# corpus outside the clone (kept between runs, so a later run starts where this one stopped).
# A crash stops that target, leaves its input in fuzz/artifacts/<target>/ and makes the script
# fail after the other targets ran.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
say() { echo "[fuzz] $*" >&2; }

CARGO_FUZZ_VERSION=0.13.2
FUZZ_SECONDS="${FUZZ_SECONDS:-600}"
FUZZ_SANITIZER="${FUZZ_SANITIZER:-address}"
FUZZ_TARGET_DIR="${FUZZ_TARGET_DIR:-$MAILBOXEN_CACHE/fuzz-target}"
FUZZ_WORK_DIR="${FUZZ_WORK_DIR:-$MAILBOXEN_CACHE/fuzz}"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version 2>/dev/null | grep -q " $CARGO_FUZZ_VERSION$"; then
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install --locked --force cargo-fuzz --version "$CARGO_FUZZ_VERSION" >&2
fi

cd fuzz
targets="${FUZZ_TARGETS:-$(cargo fuzz list)}"
fuzz=(cargo fuzz)
build_args=(--sanitizer "$FUZZ_SANITIZER" --target-dir "$FUZZ_TARGET_DIR")
say "building: $(echo $targets) (sanitizer $FUZZ_SANITIZER)"
for target in $targets; do
  "${fuzz[@]}" build "${build_args[@]}" "$target" >&2
done

mkdir -p "$FUZZ_WORK_DIR"
summary=""
failed=0
for target in $targets; do
  corpus="$FUZZ_WORK_DIR/corpus/$target"
  log="$FUZZ_WORK_DIR/$target.log"
  mkdir -p "$corpus"
  say "$target: ${FUZZ_SECONDS}s (log $log)"
  status=0
  "${fuzz[@]}" run "${build_args[@]}" "$target" "$corpus" "corpus/$target" -- \
    -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 -timeout=10 \
    -dict="dict/$target.dict" >"$log" 2>&1 || status=$?
  # libFuzzer's own figures: seconds spent fuzzing (not building), executions, their rate.
  seconds=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  # libFuzzer's last status line: coverage and the corpus it kept (units/bytes).
  corp=$(grep -o 'corp: [0-9]*/[0-9a-zA-Z]*' "$log" | tail -n 1 | cut -d' ' -f2)
  outcome="ok"
  if [ "$status" -ne 0 ]; then
    outcome="CRASH (exit $status): see $log and fuzz/artifacts/$target/"
    failed=1
  fi
  line="$target: ${execs:-?} executions in ${seconds:-?}s (${rate:-?}/s), corpus ${corp:-?} (units/bytes), $outcome"
  say "$line"
  summary="$summary$line"$'\n'
done
printf '\n%s' "$summary"
exit "$failed"
