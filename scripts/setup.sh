#!/usr/bin/env bash
# Installs what building and testing need, idempotently: quick when everything is there.
#   scripts/setup.sh          toolchain, cargo-leptos, wasm-bindgen, wasm-opt
#   scripts/setup.sh test     also Chromium, Playwright and the test databases
# Toolchain: path A is rustup's wasm32 target on the pinned toolchain (the ordinary way);
# path B, used only when A fails, is Debian's Rust with std built for wasm32 (docs/toolchain.md).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

CARGO_LEPTOS_VERSION=0.3.10
CARGO_LEPTOS_VERSION_B=0.3.11
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)
BINARYEN_VERSION=132.0.0
TOOLCHAIN=$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)
mkdir -p "$MAILBOXEN_CACHE"

say() { echo "[setup] $*"; }

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "apt-get install ${missing[*]}"
  if [ ! -f "$MAILBOXEN_CACHE/apt-updated" ]; then apt-get update -qq && touch "$MAILBOXEN_CACHE/apt-updated"; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

toolchain_path_a() {
  command -v rustup >/dev/null || return 1
  rustup toolchain list | grep -q "^$TOOLCHAIN" \
    || rustup toolchain install "$TOOLCHAIN" --profile minimal -c rustfmt,clippy || return 1
  rustup component add --toolchain "$TOOLCHAIN" rustfmt clippy >/dev/null 2>&1 || return 1
  rustup target list --installed --toolchain "$TOOLCHAIN" | grep -q wasm32-unknown-unknown \
    || rustup target add --toolchain "$TOOLCHAIN" wasm32-unknown-unknown || return 1
}

toolchain_path_b() {
  apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22 rustfmt-web rust-web-clippy
  rustup toolchain list | grep -q '^debian' || rustup toolchain link debian /usr
  # build-std needs nightly features on Debian's stable compiler; always set so the cache
  # is never invalidated by toggling it.
  cat > "$MAILBOXEN_CACHE/toolchain.env" <<ENV
export RUSTUP_TOOLCHAIN=debian
export RUSTC_BOOTSTRAP=1
LEPTOS_BUILD_ARGS="--lib-cargo-args=-Zbuild-std=std,panic_abort"
ENV
}

if [ -f "$MAILBOXEN_CACHE/toolchain.env" ] && grep -q debian "$MAILBOXEN_CACHE/toolchain.env"; then
  say "toolchain: path B (Debian Rust, std built for wasm32), chosen earlier"
  toolchain_path_b
elif toolchain_path_a; then
  say "toolchain: path A (rustup $TOOLCHAIN + wasm32-unknown-unknown target)"
  : > "$MAILBOXEN_CACHE/toolchain.env"
else
  say "toolchain: path A failed; using path B (Debian Rust, std built for wasm32)"
  toolchain_path_b
fi
. scripts/env.sh

installed_version() { "$1" --version 2>/dev/null | awk '{print $2}'; }

if [ "$(installed_version wasm-bindgen)" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
  CARGO_TARGET_DIR="$MAILBOXEN_CACHE/install-target" \
    cargo install --locked --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
leptos_version=$CARGO_LEPTOS_VERSION
[ "${RUSTUP_TOOLCHAIN:-}" = debian ] && leptos_version=$CARGO_LEPTOS_VERSION_B
if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$leptos_version" ]; then
  say "installing cargo-leptos $leptos_version without downloads (about 12 minutes)"
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_TARGET_DIR="$MAILBOXEN_CACHE/install-target" \
    cargo install --locked --force cargo-leptos --version "$leptos_version" --features no_downloads
fi
# Debian's binaryen breaks hydration (docs/toolchain.md); npm's is the one to use.
if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  say "installing wasm-opt (binaryen $BINARYEN_VERSION from npm)"
  npm install -g --silent "binaryen@$BINARYEN_VERSION"
fi

if [ "${1:-}" = test ]; then
  apt_install chromium sqlite3
  if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "npm ci in end2end/"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund)
  fi
  scripts/databases.sh
fi
say "ready"
