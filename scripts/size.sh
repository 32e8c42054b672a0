#!/usr/bin/env bash
# `make size`: gzip bytes of the release WASM, JS and CSS that /instellingen/mailboxen loads.
#   scripts/size.sh --no-build   measures the bundle already built (`make bench` row 1)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != --no-build ]; then
  scripts/setup.sh >/dev/null
  . scripts/env.sh
  # shellcheck disable=SC2086
  cargo leptos build --release --frontend-only $LEPTOS_BUILD_ARGS >&2
fi
pkg=target/site/pkg
total=0
printf '%-28s %12s %12s\n' file bytes gzip-bytes
# With `hash-files = true` the names carry a hash (mailboxen.<hash>.wasm): the newest of each
# kind is the bundle just built.
for ext in wasm js css; do
  file=$(ls -t "$pkg"/mailboxen*."$ext" 2>/dev/null | head -n 1 || true)
  [ -n "$file" ] && [ -f "$file" ] || continue
  raw=$(stat -c %s "$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  total=$((total + gz))
  printf '%-28s %12d %12d\n' "$(basename "$file")" "$raw" "$gz"
done
printf '%-28s %12s %12d\n' total "" "$total"
