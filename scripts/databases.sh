#!/usr/bin/env bash
# Makes sure PostgreSQL and MariaDB run on 127.0.0.1 and have the test databases that
# TEST_POSTGRES_URL and TEST_MYSQL_URL name. Installs the servers where a machine lacks them.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
say() { echo "[databases] $*"; }

wait_for() { for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done; return 1; }
pg_ready() { psql -h 127.0.0.1 -U postgres -d postgres -tAc 'select 1'; }
my_ready() { mariadb -h 127.0.0.1 -u root -e 'select 1'; }

if ! pg_ready >/dev/null 2>&1; then
  if ! command -v pg_ctlcluster >/dev/null; then
    say "installing PostgreSQL"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /etc/postgresql | sort -V | tail -1)
  conf=/etc/postgresql/$version/main/pg_hba.conf
  # Test-only trust auth on loopback, as the CI machines have it.
  if ! grep -q "mailboxen-test" "$conf"; then
    sed -i '1i host all all 127.0.0.1/32 trust # mailboxen-test\nhost all all ::1/128 trust # mailboxen-test' "$conf"
  fi
  say "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  wait_for pg_ready || { say "PostgreSQL did not start"; exit 1; }
fi
if ! my_ready >/dev/null 2>&1; then
  if ! command -v mariadbd >/dev/null; then
    say "installing MariaDB"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
  fi
  say "starting MariaDB"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  wait_for my_ready || { say "MariaDB did not start"; exit 1; }
fi

pg_db=${TEST_POSTGRES_URL##*/}; pg_db=${pg_db%%\?*}
my_db=${TEST_MYSQL_URL##*/}; my_db=${my_db%%\?*}
psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1 from pg_database where datname='$pg_db'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -d postgres -qc "create database $pg_db"
mariadb -h 127.0.0.1 -u root -e "create database if not exists $my_db"
say "PostgreSQL ($pg_db) and MariaDB ($my_db) ready"
