#!/usr/bin/env bash
# Runs the shipped nginx site as a private nginx of a test or benchmark: writes, into DIR,
# a self-signed certificate for 127.0.0.1, the site (SITE: deploy/nginx-mailboxen.conf or
# the tarball's copy) templated only where an installation differs — ports, paths, the
# certificate — and a minimal nginx.conf of its own (its prefix, pid and logs in DIR). Used
# by scripts/deploy-test.sh and the benchmark's row 9, so both run the same configuration.
#
#   scripts/nginx-conf.sh SITE DIR HTTPS_PORT HTTP_PORT INSTANCE_PORT [SECOND_INSTANCE_PORT]
#   nginx -p DIR -c DIR/nginx.conf -g 'daemon off;'
#
# Without SECOND_INSTANCE_PORT the upstream has the one instance.
set -euo pipefail
site=$1 dir=$2 https=$3 http=$4 first=$5 second=${6:-}

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$dir/privkey.pem" -out "$dir/fullchain.pem" 2>/dev/null
if [ -n "$second" ]; then
  second_instance="s|127.0.0.1:3002|127.0.0.1:$second|"
else
  second_instance='/127.0.0.1:3002/d'
fi
sed -e "s|127.0.0.1:3000|127.0.0.1:$first|" -e "$second_instance" \
  -e "s|listen 80;|listen 127.0.0.1:$http;|; s|listen 443 |listen 127.0.0.1:$https |" \
  -e '/listen \[::\]/d' \
  -e "s|/etc/ssl/mailboxen/|$dir/|" \
  -e "s|/var/log/nginx/|$dir/|" \
  "$site" >"$dir/site.conf"
user=""
if [ "$(id -u)" = 0 ]; then user="user root;"; fi
cat >"$dir/nginx.conf" <<CONF
$user
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 256; }
http {
    access_log $dir/nginx-default.log;
    client_body_temp_path $dir/nginx-body;
    proxy_temp_path $dir/nginx-proxy;
    fastcgi_temp_path $dir/nginx-fastcgi;
    uwsgi_temp_path $dir/nginx-uwsgi;
    scgi_temp_path $dir/nginx-scgi;
    include $dir/site.conf;
}
CONF
