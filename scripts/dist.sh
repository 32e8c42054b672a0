#!/usr/bin/env bash
# `make dist`: the release tarball an operator installs (DEPLOY.md): the server binary (with
# the hash file that names the bundle's hashed files), the site (each bundle file beside its
# .br and .gz), an example environment file with every variable, a systemd unit, an nginx
# site with TLS, README.md and DEPLOY.md. Written to dist/mailboxen-<version>-<arch>.tar.gz.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
# shellcheck disable=SC2086
cargo leptos build --release --precompress $LEPTOS_BUILD_ARGS
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
arch="$(uname -m)"
name="mailboxen-$version-$arch"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
mkdir -p "$root/bin" "$root/site"
cp "$CARGO_TARGET_DIR/release/server" "$root/bin/server"
# Leptos reads the hashed names from beside the binary.
if [ -f "$CARGO_TARGET_DIR/release/hash.txt" ]; then
  cp "$CARGO_TARGET_DIR/release/hash.txt" "$root/bin/hash.txt"
fi
cp -a target/site/. "$root/site/"
cp deploy/mailboxen.env.example deploy/mailboxen.service deploy/nginx-mailboxen.conf \
  README.md DEPLOY.md "$root/"
mkdir -p dist
tar -C "$stage" -czf "dist/$name.tar.gz" "$name"
echo "dist/$name.tar.gz"
tar -tzf "dist/$name.tar.gz" | sed 's/^/  /'
