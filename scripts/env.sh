# Sourced by every script: one target directory outside the clone (reused by later runs and
# fresh clones alike) and the toolchain choice that scripts/setup.sh recorded.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/mailboxen/target}"
export PATH="$HOME/.cargo/bin:$PATH"
# CI builds each fresh clone once: incremental caches (gigabytes per clone) only fill the
# shared disk there.
if [ "${CI:-}" = true ]; then export CARGO_INCREMENTAL=0; fi
MAILBOXEN_CACHE="${MAILBOXEN_CACHE:-$HOME/.cache/mailboxen}"
export MAILBOXEN_CACHE
LEPTOS_BUILD_ARGS=""
if [ -f "$MAILBOXEN_CACHE/toolchain.env" ]; then
  # shellcheck disable=SC1091
  . "$MAILBOXEN_CACHE/toolchain.env"
fi
export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/mailboxen_test}"
export TEST_MYSQL_URL="${TEST_MYSQL_URL:-mysql://root@127.0.0.1:3306/mailboxen_test}"
