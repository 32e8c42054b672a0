#!/usr/bin/env bash
# `scripts/mailservers.sh start|stop|status|env`: Dovecot (IMAP) and Postfix (submission) on
# loopback for the IMAP/SMTP tests (issue 23), from Debian's packages (installed when
# missing). Each runs as its own instance with its config, state, mail and logs under
# $MAILSERVERS_DIR; the system's own Dovecot and Postfix configuration is never used or
# changed, and the package's system services are not started.
#
#   IMAP, implicit TLS     127.0.0.1:$IMAPS_PORT        (default 10993)
#   IMAP, STARTTLS or none 127.0.0.1:$IMAP_PORT         (default 10143)
#   SMTP submission        127.0.0.1:$SUBMISSION_PORT   (default 10587, STARTTLS, AUTH only after it)
#   SMTP, implicit TLS     127.0.0.1:$SUBMISSIONS_PORT  (default 10465)
#
# Postfix authenticates through Dovecot (SASL) and delivers over LMTP into Dovecot. Users are
# in a passwd file: alice@example.test and bob@example.test, password `geheim`. Mail to
# user+folder@example.test lands in that user's folder `folder` (created on delivery), so
# each test has a mailbox of its own. The certificate is for `localhost`, signed by a CA made
# here; the app trusts it through MAIL_EXTRA_CA_FILE=$MAILSERVERS_DIR/tls/ca.pem.
# Start is idempotent; stop ends only the instances this script started.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
say() { echo "[mailservers] $*"; }

# Outside $HOME: the servers' unprivileged users must reach it (root's home is 0700).
DIR="${MAILSERVERS_DIR:-${TMPDIR:-/tmp}/mailboxen-mailservers}"
IMAPS_PORT="${IMAPS_PORT:-10993}"
IMAP_PORT="${IMAP_PORT:-10143}"
SUBMISSION_PORT="${SUBMISSION_PORT:-10587}"
SUBMISSIONS_PORT="${SUBMISSIONS_PORT:-10465}"
LMTP_PORT="${LMTP_PORT:-10024}"
AUTH_PORT="${AUTH_PORT:-10025}"
# IMAP on this address shows an expired certificate (loopback answers all of 127/8).
EXPIRED_ADDRESS=127.0.0.2
USERS=(alice bob)
PASSWORD=geheim

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for_port() { for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.25; done; return 1; }
dovecot_running() { [ -f "$DIR/dovecot/run/master.pid" ] && kill -0 "$(cat "$DIR/dovecot/run/master.pid")" 2>/dev/null; }
postfix_running() { [ -f "$DIR/postfix-queue/pid/master.pid" ] && kill -0 "$(tr -d ' ' <"$DIR/postfix-queue/pid/master.pid")" 2>/dev/null; }

install_packages() {
  if command -v dovecot >/dev/null && [ -x /usr/lib/dovecot/lmtp ] && [ -x /usr/lib/dovecot/imap ] \
    && command -v postfix >/dev/null; then
    return
  fi
  [ "$(id -u)" = 0 ] || { say "dovecot-imapd, dovecot-lmtpd and postfix are missing; install them as root"; exit 1; }
  say "installing dovecot-imapd dovecot-lmtpd postfix"
  # The packages' own services are not started: RUNLEVEL=1 keeps invoke-rc.d from starting
  # them where no policy-rc.d already does.
  export DEBIAN_FRONTEND=noninteractive RUNLEVEL=1
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends dovecot-imapd dovecot-lmtpd postfix >/dev/null
}

make_certificate() {
  local tls="$DIR/tls"
  [ -f "$tls/cert.pem" ] && return
  mkdir -p "$tls"
  say "making a CA and a certificate for localhost"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Mailboxen test CA" \
    -keyout "$tls/ca.key" -out "$tls/ca.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$tls/key.pem" -out "$tls/cert.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$tls/ext.cnf"
  openssl x509 -req -in "$tls/cert.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial \
    -days 3650 -extfile "$tls/ext.cnf" -out "$tls/cert.pem" 2>/dev/null
  chmod 0644 "$tls/cert.pem" "$tls/ca.pem"
}

# A certificate of the same CA for 127.0.0.2 that expired in 2021: Dovecot shows it to
# connections on that address (the expired-certificate test). `openssl x509` of Debian 12
# cannot set dates in the past; `openssl ca` can.
make_expired_certificate() {
  local tls="$DIR/tls" db="$DIR/tls/ca-db"
  [ -f "$tls/expired.pem" ] && return
  say "making an expired certificate for $EXPIRED_ADDRESS"
  mkdir -p "$db"
  : >"$db/index.txt"
  echo 1000 >"$db/serial"
  cat >"$db/ca.cnf" <<EOF
[ ca ]
default_ca = test
[ test ]
database = $db/index.txt
new_certs_dir = $db
serial = $db/serial
default_md = sha256
policy = any
x509_extensions = server
[ any ]
commonName = supplied
[ server ]
subjectAltName = IP:$EXPIRED_ADDRESS
basicConstraints = CA:FALSE
extendedKeyUsage = serverAuth
EOF
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$EXPIRED_ADDRESS" \
    -keyout "$tls/expired-key.pem" -out "$db/expired.csr" 2>/dev/null
  openssl ca -batch -notext -config "$db/ca.cnf" -cert "$tls/ca.pem" -keyfile "$tls/ca.key" \
    -startdate 20200101000000Z -enddate 20210101000000Z \
    -in "$db/expired.csr" -out "$tls/expired.pem" 2>/dev/null
  chmod 0644 "$tls/expired.pem"
}

write_dovecot() {
  local d="$DIR/dovecot" uid gid
  mkdir -p "$d/run" "$d/state" "$DIR/mail"
  uid=$(id -u dovecot); gid=$(id -g dovecot)
  chown dovecot:dovecot "$DIR/mail"
  : >"$d/users"
  for user in "${USERS[@]}"; do
    echo "$user@example.test:{PLAIN}$PASSWORD::::::" >>"$d/users"
  done
  local dh=""
  [ -f /usr/share/dovecot/dh.pem ] && dh="ssl_dh = </usr/share/dovecot/dh.pem"
  cat >"$d/dovecot.conf" <<EOF
# Written by scripts/mailservers.sh: a test instance, nothing of /etc/dovecot.
instance_name = mailboxen-test-dovecot
base_dir = $d/run
state_dir = $d/state
log_path = $d/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1, $EXPIRED_ADDRESS
ssl = yes
ssl_cert = <$DIR/tls/cert.pem
ssl_key = <$DIR/tls/key.pem
local $EXPIRED_ADDRESS {
  ssl_cert = <$DIR/tls/expired.pem
  ssl_key = <$DIR/tls/expired-key.pem
}
$dh
# The tests also try a connection without encryption (the form offers it).
disable_plaintext_auth = no
auth_mechanisms = plain login
# The tests refuse logins on purpose, many at once: no 2 s delay per refusal, which under
# load made Postfix answer 454 (temporary) instead of 535 (refused).
auth_failure_delay = 0
first_valid_uid = 1
mail_location = maildir:$DIR/mail/%u
mail_uid = $uid
mail_gid = $gid
# user+folder@example.test is delivered into the folder (each test has its own).
recipient_delimiter = +
lmtp_save_to_detail_mailbox = yes
lda_mailbox_autocreate = yes
namespace inbox {
  inbox = yes
  separator = /
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN $d/users
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$DIR/mail/%u
}
service imap-login {
  inet_listener imap {
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = $IMAPS_PORT
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
}
service auth {
  inet_listener {
    address = 127.0.0.1
    port = $AUTH_PORT
  }
}
EOF
}

write_postfix() {
  # The queue and data live beside the configuration, not in it: Postfix checks that
  # everything under its configuration directory belongs to root.
  local p="$DIR/postfix" q="$DIR/postfix-queue"
  mkdir -p "$p" "$q" "$DIR/postfix-data"
  chown root:root "$p" "$q"
  chown postfix:postfix "$DIR/postfix-data"
  cat >"$p/main.cf" <<EOF
# Written by scripts/mailservers.sh: a test instance, nothing of /etc/postfix.
compatibility_level = 3.6
queue_directory = $q
data_directory = $DIR/postfix-data
maillog_file = $p/postfix.log
maillog_file_prefixes = $p
myhostname = localhost
mydomain = example.test
myorigin = example.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.1/32
alias_maps =
alias_database =
local_recipient_maps =
relayhost =
# Every address of example.test is accepted; Dovecot's LMTP refuses unknown users.
virtual_mailbox_domains = example.test
virtual_transport = lmtp:inet:127.0.0.1:$LMTP_PORT
recipient_delimiter = +
# A 25 MB attachment is about 34 MB in base64.
message_size_limit = 80000000
mailbox_size_limit = 0
smtpd_tls_cert_file = $DIR/tls/cert.pem
smtpd_tls_key_file = $DIR/tls/key.pem
smtpd_tls_security_level = may
smtpd_sasl_type = dovecot
smtpd_sasl_path = inet:127.0.0.1:$AUTH_PORT
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_recipient_restrictions = permit_sasl_authenticated, reject
biff = no
EOF
  cat >"$p/master.cf" <<EOF
# Written by scripts/mailservers.sh. Nothing chrooted; only loopback.
127.0.0.1:$SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_tls_auth_only=yes
127.0.0.1:$SUBMISSIONS_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submissions
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n -  0 cleanup
qmgr      unix  n - n 300 1 qmgr
tlsmgr    unix  - - n 1000? 1 tlsmgr
rewrite   unix  - - n -  - trivial-rewrite
bounce    unix  - - n -  0 bounce
defer     unix  - - n -  0 bounce
trace     unix  - - n -  0 bounce
verify    unix  - - n -  1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -  - proxymap
proxywrite unix - - n -  1 proxymap
smtp      unix  - - n -  - smtp
relay     unix  - - n -  - smtp
showq     unix  n - n -  - showq
error     unix  - - n -  - error
retry     unix  - - n -  - error
discard   unix  - - n -  - discard
lmtp      unix  - - n -  - lmtp
anvil     unix  - - n -  1 anvil
scache    unix  - - n -  1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
}

start() {
  install_packages
  make_certificate
  make_expired_certificate
  # A running instance with another configuration (an older version of this script) is
  # restarted with this one.
  if dovecot_running && ! config_current dovecot; then
    say "Dovecot's configuration changed: restarting it"
    stop_dovecot
  fi
  if ! dovecot_running; then
    write_dovecot
    say "starting Dovecot (IMAP $IMAPS_PORT TLS, $IMAP_PORT STARTTLS)"
    dovecot -c "$DIR/dovecot/dovecot.conf" </dev/null >/dev/null 2>&1
  fi
  wait_for_port "$IMAPS_PORT" || { say "Dovecot did not start; see $DIR/dovecot/dovecot.log"; tail -20 "$DIR/dovecot/dovecot.log" >&2 || true; exit 1; }
  wait_for_port "$AUTH_PORT" || { say "Dovecot's auth did not start"; exit 1; }
  if ! postfix_running; then
    write_postfix
    say "starting Postfix (submission $SUBMISSION_PORT STARTTLS, $SUBMISSIONS_PORT TLS)"
    postfix -c "$DIR/postfix" start >"$DIR/postfix/start.err" 2>&1 \
      || { cat "$DIR/postfix/start.err" >&2; exit 1; }
  fi
  wait_for_port "$SUBMISSION_PORT" || { say "Postfix did not start; see $DIR/postfix/postfix.log"; exit 1; }
  say "ready in $DIR; MAIL_EXTRA_CA_FILE=$DIR/tls/ca.pem"
}

stop() {
  if postfix_running; then
    say "stopping Postfix"
    postfix -c "$DIR/postfix" stop >/dev/null 2>&1 || true
    for _ in $(seq 1 40); do postfix_running || break; sleep 0.25; done
  fi
  stop_dovecot
}

stop_dovecot() {
  if dovecot_running; then
    say "stopping Dovecot"
    kill "$(cat "$DIR/dovecot/run/master.pid")" 2>/dev/null || true
    for _ in $(seq 1 40); do dovecot_running || break; sleep 0.25; done
  fi
}

# Whether the running instance's configuration is the one this script writes now.
config_current() {
  local file="$DIR/$1/$1.conf"
  [ -f "$file" ] || return 1
  cp "$file" "$file.running"
  "write_$1"
  if cmp -s "$file" "$file.running"; then rm -f "$file.running"; return 0; fi
  rm -f "$file.running"
  return 1
}

# What the tests read to find the servers (sourced by scripts/test.sh).
print_env() {
  cat <<EOF
export TEST_MAIL_HOST=localhost
export TEST_IMAPS_PORT=$IMAPS_PORT
export TEST_IMAP_PORT=$IMAP_PORT
export TEST_SUBMISSION_PORT=$SUBMISSION_PORT
export TEST_SUBMISSIONS_PORT=$SUBMISSIONS_PORT
export TEST_MAIL_CA_FILE=$DIR/tls/ca.pem
export TEST_MAIL_EXPIRED_HOST=$EXPIRED_ADDRESS
EOF
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) dovecot_running && postfix_running && say "running in $DIR" || { say "not running"; exit 1; } ;;
  env) print_env ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
