#!/usr/bin/env bash
# `make dist`: the release tarball an operator installs (DEPLOY.md): the server binary (with
# the hash file that names the bundle's hashed files), the site (each bundle file beside its
# .br and .gz), an example environment file with every variable, a systemd unit, an nginx
# site with TLS, README.md and DEPLOY.md. Written to dist/mailboxen-<version>-<arch>.tar.gz.
#
# DIST_PROFILE=debug packages, in the same layout, what `make test` has already built
# (`cargo leptos build`, debug, bundle not precompressed) without compiling anything: the
# deploy test (scripts/deploy-test.sh) installs that tarball, so CI builds no second profile.
# DIST_DIR (default dist/) is where the tarball goes.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${DIST_PROFILE:-release}"
case "$profile" in
  release)
    scripts/setup.sh
    . scripts/env.sh
    # cargo-leptos adds each build's hashed files beside the earlier ones: start from an
    # empty pkg/ so the tarball holds this bundle only (not the debug builds' before it).
    rm -rf target/site/pkg
    # shellcheck disable=SC2086
    cargo leptos build --release --precompress $LEPTOS_BUILD_ARGS
    suffix=""
    compress="gzip"
    ;;
  debug)
    . scripts/env.sh
    if [ ! -x "$CARGO_TARGET_DIR/debug/server" ] || [ ! -d target/site/pkg ]; then
      echo "DIST_PROFILE=debug packages the debug build: run \`cargo leptos build\` first" >&2
      exit 1
    fi
    suffix="-debug"
    # A debug binary is large and the tarball is unpacked once, at once: fast over small.
    compress="gzip -1"
    ;;
  *)
    echo "DIST_PROFILE must be release or debug, not '$profile'" >&2
    exit 1
    ;;
esac
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
arch="$(uname -m)"
name="mailboxen-$version-$arch$suffix"
out="${DIST_DIR:-dist}"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
mkdir -p "$root/bin" "$root/site"
cp "$CARGO_TARGET_DIR/$profile/server" "$root/bin/server"
# Leptos reads the hashed names from beside the binary.
if [ -f "$CARGO_TARGET_DIR/$profile/hash.txt" ]; then
  cp "$CARGO_TARGET_DIR/$profile/hash.txt" "$root/bin/hash.txt"
fi
cp -a target/site/. "$root/site/"
cp deploy/mailboxen.env.example deploy/mailboxen.service deploy/nginx-mailboxen.conf \
  README.md DEPLOY.md "$root/"
mkdir -p "$out"
tar -C "$stage" -I "$compress" -cf "$out/$name.tar.gz" "$name"
echo "$out/$name.tar.gz"
tar -tzf "$out/$name.tar.gz" | sed 's/^/  /'
