#!/usr/bin/env bash
# `make test`: formatting, lints (server and browser builds), Rust tests on SQLite,
# PostgreSQL and MariaDB, then Playwright in Chromium against the built server, then the
# deploy test (the tarball behind nginx, two instances on PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
. scripts/env.sh
step() { echo; echo "==> $*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy, server build (ssr) and tests"
cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
step "clippy, browser build (hydrate, wasm32)"
cargo clippy -p rules -p app -p frontend --target wasm32-unknown-unknown --features app/hydrate -- -D warnings

step "cargo leptos build (server + WASM bundle)"
# shellcheck disable=SC2086
cargo leptos build $LEPTOS_BUILD_ARGS
cargo build -p fake-microsoft

step "Dovecot and Postfix on loopback for the IMAP/SMTP tests (stopped on exit)"
scripts/mailservers.sh start
trap 'scripts/mailservers.sh stop' EXIT
eval "$(scripts/mailservers.sh env)"

step "Rust tests on SQLite, PostgreSQL ($TEST_POSTGRES_URL) and MariaDB ($TEST_MYSQL_URL)"
REQUIRE_ALL_DATABASES=1 cargo test --workspace --exclude frontend

step "the validation rules' tests again in the browser build (wasm32, run by Node)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p rules --lib --target wasm32-unknown-unknown --features browser -- validation

step "Playwright in Chromium"
# Screenshots of the list, mailbox and message pages at 1280 and 375 px, for a reviewer.
rm -rf end2end/screenshots
(cd end2end && npx playwright test)
echo "Screenshots: end2end/screenshots/ ($(ls end2end/screenshots 2>/dev/null | wc -l) files)"

step "deploy test: the tarball behind nginx with TLS, two instances on PostgreSQL"
scripts/deploy-test.sh
