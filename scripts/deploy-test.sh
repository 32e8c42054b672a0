#!/usr/bin/env bash
# `make test-deploy` (and the last step of `make test`): the app tested as it will run
# (issue 20, DEPLOY.md). Packages the debug build `make test` made as the tarball `make dist`
# makes (DIST_PROFILE=debug: nothing is compiled), unpacks it into a temporary directory and
# starts, from Debian's packages, nginx with a self-signed certificate and the shipped
# nginx site, PostgreSQL (a fresh database per run), the fake Microsoft and two server
# instances configured from the shipped example environment file. Then one function per
# check; each failure says what went wrong and where the logs are. Everything listens on
# loopback and is stopped on exit.
#
# Ports: DEPLOY_TEST_PORT (default 3440) and the next ones: +1 and +2 the two instances,
# +3 nginx's https, +4 the instance of the migration check, +5 nginx's http, +50 the fake.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
export PGOPTIONS="--client-min-messages=warning"

say() { echo "[deploy-test] $*"; }
# Also from inside $(…): the marker, not a variable, keeps the logs.
fail() {
  echo "[deploy-test] FAILED: $*" >&2
  echo "[deploy-test] logs: $work/*.log" >&2
  touch "$work/failed"
  exit 1
}

base=${DEPLOY_TEST_PORT:-3440}
port_a=$((base + 1)) port_b=$((base + 2)) port_https=$((base + 3)) port_c=$((base + 4))
port_http=$((base + 5)) port_fake=$((base + 50))
public="https://127.0.0.1:$port_https"
pg=postgres://postgres@127.0.0.1:5432
db=mailboxen_deploy
db_migrate=mailboxen_deploy_migrate
admin_email=beheerder@example.org
admin_password=Deploy-beheerder-wachtwoord-2026

work="$(mktemp -d /tmp/mailboxen-deploy.XXXXXX)"
declare -A pids=()

# Stops every process this script started (SIGTERM, then waits for each).
stop_all() {
  for name in "${!pids[@]}"; do
    kill "${pids[$name]}" 2>/dev/null || true
  done
  for name in "${!pids[@]}"; do
    wait "${pids[$name]}" 2>/dev/null || true
    unset "pids[$name]"
  done
}
# On any exit: the processes, then the files (kept after a failure, for the logs).
cleanup() {
  stop_all
  if [ ! -e "$work/failed" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
# Killed (a CI timeout, Ctrl-C): still through cleanup.
trap 'exit 143' TERM INT

# --- Setting up --------------------------------------------------------------------------

ensure_nginx() {
  if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    say "installing nginx"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
    # Debian starts the packaged site on port 80; this test runs its own nginx only.
    if [ -f /run/nginx.pid ]; then /usr/sbin/nginx -s quit 2>/dev/null || true; fi
  fi
  PATH="$PATH:/usr/sbin"
}

# Prints the first of this test's ports that something listens on.
port_taken() {
  for port in $port_a $port_b $port_https $port_c $port_http $port_fake; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
}

ports_free() {
  local port
  port=$(port_taken)
  [ -z "$port" ] || fail "port $port is taken (DEPLOY_TEST_PORT=$base): another run, or set DEPLOY_TEST_PORT"
}

fresh_database() {
  psql -q "$pg/postgres" -c "drop database if exists $1 with (force)" -c "create database $1" >/dev/null
}

unpack_tarball() {
  say "packaging the debug build as \`make dist\` does (DIST_PROFILE=debug)"
  DIST_PROFILE=debug DIST_DIR="$work/dist" scripts/dist.sh >/dev/null
  local tarball
  tarball="$(ls "$work"/dist/*.tar.gz)"
  tar -C "$work" -xzf "$tarball"
  app="$(ls -d "$work"/mailboxen-*/)"
  app="${app%/}"
  rm -rf "$work/dist"
  for file in bin/server site/pkg mailboxen.env.example nginx-mailboxen.conf mailboxen.service DEPLOY.md; do
    [ -e "$app/$file" ] || fail "the tarball lacks $file"
  done
}

# Sets KEY=value in an environment file: the example's line (commented or not), else appended.
set_env() {
  local file=$1 key=$2 value=$3
  if grep -q "^#\?$key=" "$file"; then
    sed -i "s|^#\?$key=.*|$key=$value|" "$file"
  else
    echo "$key=$value" >>"$file"
  fi
}

# The example environment file, filled in for one instance.
instance_env() {
  local name=$1 port=$2 database=$3 file="$work/$1.env"
  cp "$app/mailboxen.env.example" "$file"
  set_env "$file" PUBLIC_BASE_URL "$public"
  set_env "$file" ENCRYPTION_KEY "$encryption_key"
  set_env "$file" DATABASE_URL "$pg/$database"
  set_env "$file" DATABASE_MAX_CONNECTIONS 5
  set_env "$file" LEPTOS_SITE_ADDR "127.0.0.1:$port"
  set_env "$file" LEPTOS_SITE_ROOT "$app/site"
  set_env "$file" TRUSTED_PROXIES 127.0.0.1
  set_env "$file" MICROSOFT_LOGIN_URL "http://127.0.0.1:$port_fake"
  set_env "$file" MICROSOFT_GRAPH_URL "http://127.0.0.1:$port_fake"
  set_env "$file" BOOTSTRAP_ADMIN_EMAIL "$admin_email"
  set_env "$file" BOOTSTRAP_ADMIN_PASSWORD "$admin_password"
  set_env "$file" RUST_LOG info,sqlx=warn
  # Periodic sync every 2 s: in (e) the surviving instance takes the mailbox over by itself.
  set_env "$file" MAIL_SYNC_INTERVAL_SECS 2
  set_env "$file" MAIL_PAGE_SIZE 3
  set_env "$file" MAIL_SYNC_START_DATE 2026-01-01
  echo "$file"
}

# Starts `server ARGS` with an environment file, as systemd's EnvironmentFile would.
start_server() {
  local name=$1 env=$2
  shift 2
  (
    cd "$app"
    set -a
    # shellcheck disable=SC1090
    . "$env"
    set +a
    exec "$app/bin/server" "$@"
  ) >>"$work/$name.log" 2>&1 &
  pids[$name]=$!
}

# The instances' logs, without the terminal colours.
instance_logs() { sed 's/\x1b\[[0-9;]*m//g' "$work"/instance-[ab].log; }

status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" || true; }

# Waits until URL answers 200 (up to 180 s: a debug build migrating); fails when the
# process named dies first. Further arguments go to curl.
wait_ready() {
  local name=$1 url=$2
  shift 2
  for _ in $(seq 1 360); do
    [ "$(status_of "$@" "$url")" = 200 ] && return 0
    kill -0 "${pids[$name]}" 2>/dev/null || fail "$name exited before $url answered 200 (see $work/$name.log)"
    sleep 0.5
  done
  fail "$url did not answer 200 within 180 s"
}

start_fake() {
  sed "s|http://127.0.0.1:3100/|$public/|g" fake-microsoft/fixtures/e2e.json >"$work/fixture.json"
  "$CARGO_TARGET_DIR/debug/fake-microsoft" --port "$port_fake" --fixture "$work/fixture.json" \
    >"$work/fake.log" 2>&1 &
  pids[fake]=$!
  local url="http://127.0.0.1:$port_fake/energiedemo.onmicrosoft.com/v2.0/.well-known/openid-configuration"
  for _ in $(seq 1 60); do
    [ "$(status_of "$url")" = 200 ] && return 0
    sleep 0.5
  done
  fail "the fake Microsoft did not start (see $work/fake.log)"
}

# The shipped nginx site as scripts/nginx-conf.sh templates it (ports, paths, the
# certificate), in nginx's own process with its prefix, pid and logs in $work.
start_nginx() {
  scripts/nginx-conf.sh "$app/nginx-mailboxen.conf" "$work" "$port_https" "$port_http" "$port_a" "$port_b"
  nginx -t -p "$work" -c "$work/nginx.conf" >"$work/nginx-t.log" 2>&1 \
    || fail "nginx refuses the shipped site: $(cat "$work/nginx-t.log")"
  nginx -p "$work" -c "$work/nginx.conf" -g 'daemon off;' >>"$work/nginx-error.log" 2>&1 &
  pids[nginx]=$!
}

# curl through nginx, as a browser on ADDRESS would come (the self-signed certificate
# is checked against itself).
through_nginx() {
  local address=$1
  shift
  curl -s --max-time 20 --cacert "$work/fullchain.pem" --interface "$address" "$@"
}

# --- The checks --------------------------------------------------------------------------

# (a) Both instances started at once against the empty database both become ready: the
# migrations run under the lock, once.
check_start_together() {
  say "(a) two instances started at once against an empty database"
  start_server instance-a "$(instance_env instance-a "$port_a" "$db")" serve
  start_server instance-b "$(instance_env instance-b "$port_b" "$db")" serve
  wait_ready instance-a "http://127.0.0.1:$port_a/readyz"
  wait_ready instance-b "http://127.0.0.1:$port_b/readyz"
  local admins
  admins=$(psql -tA "$pg/$db" -c "select count(*) from users where email = '$admin_email'")
  [ "$admins" = 1 ] || fail "(a) expected one bootstrap administrator, found $admins"
  say "(a) ok: both ready, one administrator"
}

# Prints "BODY CODE" of a GET (the body's newlines dropped).
answer_of() { curl -s --max-time 10 -w ' %{http_code}' "$@" | tr -d '\n' || true; }

# Asserts instance-c is up but not ready for REASON: /healthz 200, /readyz 503 REASON, a
# page 503 with the plain "starting" text (not an error page).
assert_up_not_ready() {
  local reason=$1 url="http://127.0.0.1:$port_c" code
  kill -0 "${pids[instance-c]}" 2>/dev/null || fail "(b) instance-c exited (see $work/instance-c.log)"
  code=$(status_of "$url/healthz")
  [ "$code" = 200 ] || fail "(b) /healthz answered $code while waiting for the schema"
  code=$(answer_of "$url/readyz")
  [ "$code" = "$reason 503" ] || fail "(b) /readyz answered '$code', not '$reason 503'"
  code=$(answer_of "$url/inloggen")
  case "$code" in
    "Mailboxen start nog"*" 503") ;;
    *) fail "(b) the sign-in page answered '$code' while not ready, not the 503 text" ;;
  esac
}

# The migration lock's key (server/src/db.rs, MIGRATION_LOCK_KEY).
migration_lock_key=30789041832683378

# (b) /readyz and migrations: an instance with MIGRATE_AT_START=false on an unmigrated
# database stays up but not ready (/readyz 503 "migrations pending", pages 503) and serves
# by itself once `server migrate`, another process, has run; a ready instance answers 503
# "database newer than this binary" while the database holds a migration it does not know
# (a newer version's, during an upgrade) and 200 once it does not. Then an instance that
# migrates at start while another session holds the migration lock is not ready until the
# lock is free and it has migrated.
check_readiness_and_migrations() {
  say "(b) readiness and migrations"
  fresh_database "$db_migrate"
  local env code
  env="$(instance_env instance-c "$port_c" "$db_migrate")"
  set_env "$env" MIGRATE_AT_START false
  start_server instance-c "$env" serve
  wait_ready instance-c "http://127.0.0.1:$port_c/healthz"
  assert_up_not_ready "migrations pending"
  # Still waiting a recheck later (server/src/probes.rs, SCHEMA_RECHECK: 5 s).
  sleep 6
  assert_up_not_ready "migrations pending"
  start_server migrate "$env" migrate
  wait "${pids[migrate]}" || fail "(b) \`server migrate\` failed (see $work/migrate.log)"
  unset 'pids[migrate]'
  wait_ready instance-c "http://127.0.0.1:$port_c/readyz"
  code=$(status_of "http://127.0.0.1:$port_c/inloggen")
  [ "$code" = 200 ] || fail "(b) the sign-in page answered $code once ready"
  local newer=m99991231_000001_from_a_newer_version
  psql -q "$pg/$db_migrate" -c "insert into seaql_migrations (version, applied_at) values ('$newer', 0)"
  code=$(answer_of "http://127.0.0.1:$port_c/readyz")
  [ "$code" = "database newer than this binary 503" ] \
    || fail "(b) /readyz answered '$code' with a newer version's migration in the database"
  psql -q "$pg/$db_migrate" -c "delete from seaql_migrations where version = '$newer'"
  code=$(status_of "http://127.0.0.1:$port_c/readyz")
  [ "$code" = 200 ] || fail "(b) /readyz answered $code once the database was current again"
  kill "${pids[instance-c]}"
  wait "${pids[instance-c]}" || true
  unset 'pids[instance-c]'

  fresh_database "$db_migrate"
  # Another session holds the lock, as an instance or `server migrate` in the middle of
  # migrations would.
  psql -q "$pg/$db_migrate" -c "select pg_advisory_lock($migration_lock_key)" \
    -c "select pg_sleep(300)" >"$work/lock-holder.log" 2>&1 &
  pids[lock-holder]=$!
  local held="from pg_locks where locktype = 'advisory' and granted
    and database = (select oid from pg_database where datname = current_database())"
  for _ in $(seq 1 40); do
    code=$(psql -tA "$pg/$db_migrate" -c "select count(*) $held")
    [ "$code" = 1 ] && break
    sleep 0.25
  done
  [ "$code" = 1 ] || fail "(b) the lock holder did not get the migration lock"
  set_env "$env" MIGRATE_AT_START true
  start_server instance-c "$env" serve
  wait_ready instance-c "http://127.0.0.1:$port_c/healthz"
  assert_up_not_ready "migrations pending"
  sleep 2
  assert_up_not_ready "migrations pending"
  # Its session ends (PostgreSQL would not notice a killed psql inside pg_sleep).
  psql -q "$pg/$db_migrate" -c "select pg_terminate_backend(pid) $held" >/dev/null
  wait "${pids[lock-holder]}" 2>/dev/null || true
  unset 'pids[lock-holder]'
  wait_ready instance-c "http://127.0.0.1:$port_c/readyz"
  kill "${pids[instance-c]}"
  wait "${pids[instance-c]}" || true
  unset 'pids[instance-c]'
  say "(b) ok: 503 until \`server migrate\` ran, then ready by itself; 503 with a newer migration;"
  say "(b) ok: 503 while another held the migration lock, ready once it let go"
}

# POSTs the sign-in form through nginx from ADDRESS; prints where it redirects.
sign_in_from() {
  local address=$1 password=$2
  through_nginx "$address" -o /dev/null -w '%{redirect_url}' -c "$work/cookies-$address.txt" \
    -H "Origin: $public" \
    --data-urlencode "email=$admin_email" --data-urlencode "password=$password" \
    "$public/inloggen"
}

# (c) Sign-ins through nginx carry the real client address: five bad sign-ins for the
# administrator from 127.0.0.2 lock that address, not the administrator at 127.0.0.3;
# the instances' request logs and the throttle's rows name the real addresses.
check_client_address() {
  say "(c) sign-ins through nginx from 127.0.0.2 and 127.0.0.3"
  # One owner of HSTS (the app; the shipped site leaves it out): one header, not two.
  local hsts
  hsts=$(through_nginx 127.0.0.3 -D - -o /dev/null "$public/inloggen" | grep -ci '^strict-transport-security:' || true)
  [ "$hsts" = 1 ] || fail "(c) $hsts Strict-Transport-Security headers arrived through nginx, not 1"
  local target
  for attempt in 1 2 3 4 5; do
    target=$(sign_in_from 127.0.0.2 "wrong-password-$attempt")
    case "$target" in
      */inloggen\?*) ;;
      *) fail "(c) bad sign-in $attempt from 127.0.0.2 was not sent back to /inloggen (got '$target')" ;;
    esac
  done
  # Five failures from anywhere make the account wait 1 s after the latest
  # (ThrottlePolicy::account_delay); the lock at 127.0.0.2 lasts SIGN_IN_WINDOW_MINUTES.
  sleep 2
  target=$(sign_in_from 127.0.0.3 "$admin_password")
  case "$target" in
    */inloggen*) fail "(c) the administrator at 127.0.0.3 was locked out by 127.0.0.2's failures ($target)" ;;
    "$public"/*) ;;
    *) fail "(c) the right password from 127.0.0.3 gave '$target'" ;;
  esac
  target=$(sign_in_from 127.0.0.2 "$admin_password")
  case "$target" in
    */inloggen\?*) ;;
    *) fail "(c) 127.0.0.2 was not locked after five failures (got '$target')" ;;
  esac
  local seen
  seen=$(psql -tA "$pg/$db" -c "select count(*) from sign_in_failures where scope = 'pair' and subject = '127.0.0.2 $admin_email'")
  [ "$seen" -ge 5 ] || fail "(c) the throttle counted $seen failures for 127.0.0.2, not 5"
  seen=$(psql -tA "$pg/$db" -c "select count(*) from sign_in_failures where subject like '127.0.0.1%'")
  [ "$seen" = 0 ] || fail "(c) the throttle counted nginx's address 127.0.0.1"
  instance_logs >"$work/instances.txt"
  grep -q 'client=127.0.0.2 method=POST path="/inloggen"' "$work/instances.txt" \
    || fail "(c) no request log line names client 127.0.0.2"
  grep -q 'client=127.0.0.3 method=POST path="/inloggen"' "$work/instances.txt" \
    || fail "(c) no request log line names client 127.0.0.3"
  if grep 'path="/inloggen"' "$work/instances.txt" | grep -q 'client=127.0.0.1 '; then
    fail "(c) a sign-in's request log line names nginx (127.0.0.1), not the client"
  fi
  # nginx's request id is the instance's: one request followed through both logs.
  local id
  id=$(sed -n 's/^127.0.0.3 .*"POST \/inloggen" 303 .* id=\([0-9a-f]*\)$/\1/p' "$work/mailboxen.access.log" | tail -1)
  [ -n "$id" ] || fail "(c) nginx's log has no sign-in from 127.0.0.3"
  grep -q "id=\"$id\" client=127.0.0.3" "$work/instances.txt" \
    || fail "(c) nginx's request id $id is not in the instances' logs"
  say "(c) ok: 127.0.0.2 locked, the administrator at 127.0.0.3 signed in; logs and throttle name both; one HSTS header"
}

# The instance (instance-a or instance-b) whose log has request id ID.
instance_with_request() {
  local id=$1
  for name in instance-a instance-b; do
    if grep -q "$id" "$work/$name.log"; then echo "$name"; return 0; fi
  done
  fail "no instance logged request $id"
}

port_of() { if [ "$1" = instance-a ]; then echo "$port_a"; else echo "$port_b"; fi; }
other_than() { if [ "$1" = instance-a ]; then echo instance-b; else echo instance-a; fi; }

# The administrator's session (signed in at 127.0.0.3 in check (c)).
session_cookie() { awk '$6 == "sessie" { print $7 }' "$work/cookies-127.0.0.3.txt"; }

# A server function through nginx, as the administrator at 127.0.0.3; the answer's body
# in $work/$1.json, its headers in $work/$1.headers.
call_function() {
  local name=$1
  shift
  through_nginx 127.0.0.3 -b "$work/cookies-127.0.0.3.txt" -H "Origin: $public" \
    -D "$work/$name.headers" -o "$work/$name.json" "$@" "$public/api/$name"
}

request_id_of() { sed -n 's/^x-request-id: *\([0-9a-f]*\).*/\1/ip' "$work/$1.headers" | head -1; }

json_field() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); exec("print(d" + sys.argv[2] + ")")' "$@"; }

fake_admin() {
  local method=$1 path=$2
  shift 2
  curl -sf --max-time 10 -X "$method" -H 'content-type: application/json' "$@" \
    "http://127.0.0.1:$port_fake/admin$path"
}

# (d) The connect flow across instances: the mailbox is saved (and the sign-in started)
# through nginx, on whichever instance nginx picked; Microsoft's redirect is then delivered
# to the *other* instance, addressed directly, because nginx's round robin cannot be steered
# without changing the shipped site. The attempt's state is in the database, so the other
# instance completes it.
check_connect_across_instances() {
  say "(d) the connect flow's callback on the other instance"
  call_function save_mailbox \
    --data-urlencode version=0 --data-urlencode name=Info \
    --data-urlencode email=info@energiedemo.onmicrosoft.com --data-urlencode is_active=on \
    --data-urlencode incoming_type=ms-oauth --data-urlencode outgoing_type=ms-oauth \
    --data-urlencode client_id=80aef83a-368f-4a54-a387-8c794cf71106 \
    --data-urlencode tenant_id=8c10395e-14fe-46db-a8b6-699ac4a65109 \
    --data-urlencode 'client_secret=dr48Q~7NZM5JoQtqE93R~3NHLi7~M.SmMSM0FvQF' \
    --data-urlencode connection_method=delegated \
    --data-urlencode object_id=1d00a927-92e1-4f8f-bcee-77a5d6ad3bf5
  local connect_url started
  connect_url=$(json_field "$work/save_mailbox.json" '["Saved"]["connect_url"]' 2>/dev/null) \
    || fail "(d) saving the mailbox gave no sign-in URL: $(head -c 300 "$work/save_mailbox.json")"
  mailbox_id=$(json_field "$work/save_mailbox.json" '["Saved"]["id"]')
  started=$(instance_with_request "$(request_id_of save_mailbox)")
  # The fake Microsoft's sign-in page, as a browser would post it.
  curl -s -c "$work/fake-cookies.txt" -b "$work/fake-cookies.txt" -o "$work/ms-login.html" "$connect_url"
  local action redirect
  action=$(sed -n 's/.*<form method="post" action="\([^"]*\/password\)".*/\1/p' "$work/ms-login.html" | head -1)
  [ -n "$action" ] || fail "(d) the fake Microsoft showed no sign-in form (see $work/ms-login.html)"
  redirect=$(curl -s -c "$work/fake-cookies.txt" -b "$work/fake-cookies.txt" -o /dev/null \
    -w '%{redirect_url}' --data-urlencode login=info@energiedemo.onmicrosoft.com \
    --data-urlencode passwd=Zonnepaneel-2026 "$action")
  case "$redirect" in
    "$public/api/oauth/ms-azure/callback?"*) ;;
    *) fail "(d) Microsoft did not send the browser to the callback (got '$redirect')" ;;
  esac
  local other code
  other=$(other_than "$started")
  code=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -H "Cookie: sessie=$(session_cookie)" \
    "http://127.0.0.1:$(port_of "$other")${redirect#"$public"}")
  [ "$code" = "303 http://127.0.0.1:$(port_of "$other")/instellingen/mailboxen/$mailbox_id" ] \
    || fail "(d) the callback on $other answered '$code', not a 303 to the mailbox page"
  local outcome tokens
  outcome=$(psql -tA "$pg/$db" -c "select outcome from connection_attempts where mailbox_id = $mailbox_id and kind = 'connect'")
  [ "$outcome" = success ] || fail "(d) the connect attempt's outcome is '$outcome', not success"
  tokens=$(psql -tA "$pg/$db" -c "select count(*) from mailbox_tokens where mailbox_id = $mailbox_id")
  [ "$tokens" = 1 ] || fail "(d) $tokens token rows for the mailbox, not 1"
  say "(d) ok: started on $started (through nginx), completed on $other"
}

messages_stored() { psql -tA "$pg/$db" -c "select count(*) from mail_messages where mailbox_id = $mailbox_id"; }

sync_lease() { psql -tA "$pg/$db" -c "select coalesce(lease_holder, '') from mail_sync_states where mailbox_id = $mailbox_id"; }

# The instance whose process holds the mailbox's sync lease (its holder is
# host:pid:random, backend::mail::lease::new_holder), "" when nobody does.
lease_instance() {
  local holder pid name
  holder=$(sync_lease)
  [ -n "$holder" ] || return 0
  pid=$(echo "$holder" | awk -F: '{ print $(NF - 1) }')
  for name in instance-a instance-b; do
    if [ "${pids[$name]:-}" = "$pid" ]; then echo "$name"; return 0; fi
  done
  echo "another process ($holder)"
}

# (e) A periodic sync running while its instance gets SIGTERM: the instance stops after the
# page it is storing and gives the mailbox back, due at once; the other instance's
# scheduler takes it over by itself (MAIL_SYNC_INTERVAL_SECS=2, no "Nu ophalen") and goes
# on from the stored page. In the end PostgreSQL holds every message of the fake mailbox
# once.
check_sync_survives_sigterm() {
  say "(e) a periodic sync while its instance gets SIGTERM"
  local upn=info@energiedemo.onmicrosoft.com stored=0 before
  # The first sync after connecting (d) done, so the next one is the one to interrupt.
  for _ in $(seq 1 240); do
    [ "$(psql -tA "$pg/$db" -c "select count(*) from mail_sync_states where mailbox_id = $mailbox_id
      and last_success_at is not null and lease_holder is null")" = 1 ] && break
    sleep 0.25
  done
  before=$(messages_stored)
  # Each delta page takes a while, so the sync is still running when the signal comes.
  fake_admin POST /faults -o /dev/null --data '{"endpoint": "graph_delta", "kind": "latency", "millis": 400}'
  for n in $(seq 1 45); do
    fake_admin POST "/users/$upn/messages" -o /dev/null --data "{\"subject\": \"Deploy-test $n\",
      \"from\": {\"name\": \"Test\", \"address\": \"test@example.nl\"},
      \"to\": [{\"name\": \"Info\", \"address\": \"$upn\"}],
      \"received_at\": \"2026-06-01T10:$(printf %02d $((n % 60))):00Z\",
      \"body\": {\"content_type\": \"text\", \"content\": \"Bericht $n\"}}" \
      || fail "(e) the fake Microsoft refused message $n"
  done
  local expected
  expected=$(fake_admin GET /directory | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(sum(len(u.get("messages", [])) for t in d["tenants"] for u in t["users"] if u["user_principal_name"] == sys.argv[1]))' "$upn")
  local syncing=""
  for _ in $(seq 1 240); do
    stored=$(messages_stored)
    syncing=$(lease_instance)
    [ "$stored" -gt "$before" ] && [ -n "$syncing" ] && break
    sleep 0.25
  done
  case "$syncing" in
    instance-a | instance-b) ;;
    *) fail "(e) expected a periodic sync under way, found $stored of $expected messages, lease: '$syncing'" ;;
  esac
  [ "$stored" -lt "$expected" ] || fail "(e) the sync on $syncing finished before SIGTERM"
  kill -TERM "${pids[$syncing]}"
  wait "${pids[$syncing]}" || fail "(e) $syncing did not stop cleanly on SIGTERM (see $work/$syncing.log)"
  local stopped_pid=${pids[$syncing]}
  unset "pids[$syncing]"
  local at_stop holder survivor
  at_stop=$(messages_stored)
  survivor=$(other_than "$syncing")
  holder=$(sync_lease)
  case "$holder" in
    *":$stopped_pid:"*) fail "(e) $syncing stopped but still holds the mailbox's lease ($holder)" ;;
  esac
  [ "$at_stop" -lt "$expected" ] || fail "(e) the sync finished before SIGTERM; nothing was taken over"
  # No click: the survivor's scheduler finds the mailbox due and claims it.
  local taken=""
  for _ in $(seq 1 120); do
    [ "$(lease_instance)" = "$survivor" ] && { taken=yes; break; }
    [ "$(messages_stored)" -gt "$at_stop" ] && { taken=yes; break; }
    sleep 0.25
  done
  [ -n "$taken" ] || fail "(e) $survivor did not take the mailbox over within 30 s (lease: '$(sync_lease)')"
  fake_admin DELETE /faults -o /dev/null
  for _ in $(seq 1 240); do
    stored=$(messages_stored)
    holder=$(sync_lease)
    [ "$stored" -ge "$expected" ] && [ -z "$holder" ] && break
    sleep 0.25
  done
  local distinct
  distinct=$(psql -tA "$pg/$db" -c "select count(distinct graph_id) from mail_messages where mailbox_id = $mailbox_id")
  [ "$stored" = "$expected" ] && [ "$distinct" = "$expected" ] \
    || fail "(e) PostgreSQL holds $stored messages ($distinct distinct), the fake mailbox $expected"
  say "(e) ok: $syncing stopped at $at_stop of $expected, $survivor took over by itself; $expected rows, none twice"
}

# (f) Everything stops: nginx, the instances and the fake end on SIGTERM, and nothing of
# this test listens any more.
check_everything_stops() {
  say "(f) stopping everything"
  stop_all
  local port
  port=$(port_taken)
  [ -z "$port" ] || fail "(f) port $port still answers after everything was stopped"
  say "(f) ok: nothing listens on the test's ports"
}

main() {
  ensure_nginx
  ports_free
  scripts/databases.sh >/dev/null
  fresh_database "$db"
  encryption_key="$(openssl rand -base64 32)"
  unpack_tarball
  start_fake
  check_start_together
  start_nginx
  wait_ready instance-a "$public/readyz" --cacert "$work/fullchain.pem"
  check_readiness_and_migrations
  check_client_address
  check_connect_across_instances
  check_sync_survives_sigterm
  check_everything_stops
  say "all checks passed"
}

started=$SECONDS
main
say "done in $((SECONDS - started)) s"
