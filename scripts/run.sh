#!/usr/bin/env bash
# `make run`: builds, then serves http://127.0.0.1:3000 on an embedded SQLite database, beside
# the fake Microsoft server (demo mode) unless MICROSOFT_LOGIN_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
# shellcheck disable=SC2086
cargo leptos build $LEPTOS_BUILD_ARGS
export APP_ENV="${APP_ENV:-development}"
export DATABASE_URL="${DATABASE_URL:-sqlite://data/mailboxen.db?mode=rwc}"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
# The first administrator of a fresh database (ignored once accounts exist).
export BOOTSTRAP_ADMIN_EMAIL="${BOOTSTRAP_ADMIN_EMAIL:-beheerder@example.org}"
export BOOTSTRAP_ADMIN_PASSWORD="${BOOTSTRAP_ADMIN_PASSWORD:-Demo-beheerder-2026}"
if [ -z "${MICROSOFT_LOGIN_URL:-}" ]; then
  cargo build -p fake-microsoft
  fake_port="${FAKE_MICROSOFT_PORT:-9000}"
  "$CARGO_TARGET_DIR/debug/fake-microsoft" --port "$fake_port" --fixture fake-microsoft/fixtures/demo.json &
  fake_pid=$!
  trap 'kill $fake_pid 2>/dev/null || true' EXIT
  export MICROSOFT_LOGIN_URL="http://127.0.0.1:$fake_port" MICROSOFT_GRAPH_URL="http://127.0.0.1:$fake_port"
  cat <<TXT

  Demo mode: Microsoft is the fake server at $MICROSOFT_LOGIN_URL (fake-microsoft/README.md).
  Demo tenant energiedemo.onmicrosoft.com; mailbox users info@energiedemo.onmicrosoft.com
  (password Zonnepaneel-2026) and ledenadministratie@energiedemo.onmicrosoft.com (Windmolen-2026).
  For real Microsoft: MICROSOFT_LOGIN_URL=https://login.microsoftonline.com make run

TXT
fi
echo "  Mailboxen: http://127.0.0.1:3000/instellingen/mailboxen"
echo "  Sign in as $BOOTSTRAP_ADMIN_EMAIL with password $BOOTSTRAP_ADMIN_PASSWORD (demo account;"
echo "  created only when the database has no accounts yet)."
"$CARGO_TARGET_DIR/debug/server"
