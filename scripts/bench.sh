#!/usr/bin/env bash
# `make bench`: builds the release bundle and binaries, then runs the benchmark (`bench/`),
# which prints one table and, when every row ran, writes it into bench/RESULTS.md and
# README.md.   ROWS=2,6 make bench   runs rows 2 and 6 only.
# Knobs (defaults as issue 9 states them): BENCH_WRK_SECONDS=10, BENCH_CALLBACKS=1000,
# BENCH_REFRESH_MAILBOXES=10000, BENCH_SYNC_MESSAGES=100000, BENCH_ATTACHMENT_MESSAGES=100 (row 7).
# Row 9 runs Debian's nginx with the shipped site (scripts/nginx-conf.sh), installed when missing.
# Row 10 fetches from the test Dovecot (scripts/mailservers.sh), started here and stopped after.
# BENCH_IMAP_MESSAGES=20000 (row 10).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
. scripts/env.sh
say() { echo "[bench] $*" >&2; }

if ! command -v wrk >/dev/null; then
  say "installing wrk (Debian), the load generator of row 2"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  say "installing nginx (Debian), the proxy of row 9"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  # Debian starts the packaged site on port 80; row 9 runs its own nginx only.
  if [ -f /run/nginx.pid ]; then /usr/sbin/nginx -s quit 2>/dev/null || true; fi
fi
say "release bundle: cargo leptos build --release --frontend-only"
# shellcheck disable=SC2086
cargo leptos build --release --frontend-only $LEPTOS_BUILD_ARGS >&2
say "release binaries: server, fake-microsoft, bench"
cargo build --release -p server -p fake-microsoft -p bench >&2

scripts/mailservers.sh start >&2
trap 'scripts/mailservers.sh stop >&2' EXIT
eval "$(scripts/mailservers.sh env)"

BENCH_REPO="$PWD" \
BENCH_BIN_DIR="$CARGO_TARGET_DIR/release" \
BENCH_SITE_ROOT="$PWD/target/site" \
BENCH_WORK_DIR="$CARGO_TARGET_DIR/bench" \
  "$CARGO_TARGET_DIR/release/bench"
