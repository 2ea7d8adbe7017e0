#!/usr/bin/env bash
# Installs everything the build, the tests and `make run` need, idempotently:
# Debian packages, wasm-bindgen-cli at exactly the version in Cargo.lock, npm packages from
# package-lock.json. Safe to run again; does nothing when all is in place.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }

# 1. Debian packages: Debian's Rust 1.96 with its std source (wasm std via build-std),
#    the linkers it uses, Chromium and its driver for browser tests, a CJK font for screenshots,
#    openssl for the bench's local HTTPS certificate.
PKGS=(rustc-web cargo-web rust-web-src rust-web-clippy lld lld-22 chromium chromium-driver fonts-noto-cjk openssl)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  say "apt-get install ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
fi

# 2. wasm-bindgen-cli matching the wasm-bindgen crate in Cargo.lock (the two must agree).
#    Not --locked: its own lockfile pins a crate release this registry does not serve.
export PATH="$HOME/.cargo/bin:$PATH"
want=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "cargo install wasm-bindgen-cli $want (have: ${have:-none})"
  cargo install wasm-bindgen-cli --version "$want" --force
fi

# 3. Node tools (playwright-core, pouchdb-server, binaryen's wasm-opt, pouchdb-browser for
#    the bench baseline), exactly as package-lock.json says.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.doorstep-lock; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.doorstep-lock
fi
say "ready"
