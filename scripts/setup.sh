#!/usr/bin/env bash
# Installs what building and testing need, on a fresh Debian 12 machine or a
# normal one, and skips whatever is already there at the right version.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"/\1/p;}' Cargo.lock)
WASM_PACK_VERSION=0.15.1

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_missing=()
need_pkg() { dpkg -s "$1" >/dev/null 2>&1 || apt_missing+=("$1"); }
# A command that is already on PATH, from whatever source, is left alone.
need_cmd() { command -v "$1" >/dev/null 2>&1 || apt_missing+=("$2"); }
need_cmd wasm-opt binaryen
need_cmd node nodejs
need_cmd npm npm
need_cmd zbarimg zbar-tools   # decodes QR images in tests/vectors/tools
need_cmd php php-cli
need_cmd phpunit phpunit
need_pkg php-mbstring
need_pkg php-xml              # PHPUnit's XML configuration
need_pkg php-bacon-qr-code    # benchmark peers of the PHP core
need_pkg phpqrcode
need_pkg php-mysql            # the plugin's tests: a real WordPress ...
need_pkg php-curl
need_pkg wordpress            # ... from Debian (WordPress 6.1)
need_pkg mariadb-server       # ... on a real MariaDB
need_pkg chromium             # what a person sees, driven by playwright-core
need_pkg redis-server         # ... with a persistent object cache (the suites' Redis runs)
need_pkg php-redis            # ... through the Redis Object Cache plugin's fast client
need_cmd msgfmt gettext       # compiles the plugin's translations
need_cmd zip zip              # packs the plugin (make plugin)
need_cmd unzip unzip          # ... and installs it in the tests

# `./scripts/setup.sh load` (make load) also installs the multi-process PHP
# server the load run puts WordPress behind; `make test` does not need it.
if [ "${1:-}" = load ]; then
  php_version=$(php -r 'echo PHP_MAJOR_VERSION . "." . PHP_MINOR_VERSION;' 2>/dev/null || true)
  need_pkg nginx
  need_pkg "php${php_version}-fpm"
fi
# The tests start their own nginx, php-fpm and redis-server; keep apt from
# starting the packages' system services (port 80, 6379) while it installs them.
if [ ${#apt_missing[@]} -gt 0 ] && [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | sudo_ tee /usr/sbin/policy-rc.d >/dev/null
  sudo_ chmod +x /usr/sbin/policy-rc.d
  trap 'sudo_ rm -f /usr/sbin/policy-rc.d' EXIT
fi

# The wasm32 standard library is built from source (-Zbuild-std: smaller
# output, no panic strings). The source comes from rustup's rust-src where it
# can be had, otherwise from Debian's rustc-web + rust-web-src
# (shared/toolchain.md).
if rustup component list --installed 2>/dev/null | grep -q '^rust-src' \
   || rustup component add rust-src >/dev/null 2>&1; then
  say "std source from rustup (rust-src)"
else
  say "no rust-src from rustup: using Debian's rustc-web"
  need_pkg rustc-web; need_pkg rust-web-src; need_pkg lld-22
fi

if [ ${#apt_missing[@]} -gt 0 ]; then
  say "apt-get install ${apt_missing[*]}"
  sudo_ apt-get update -qq
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_missing[@]}" >/dev/null
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
if [ "$(wasm-pack --version 2>/dev/null)" != "wasm-pack $WASM_PACK_VERSION" ]; then
  say "cargo install wasm-pack $WASM_PACK_VERSION"
  cargo install -q wasm-pack --version "$WASM_PACK_VERSION"
fi

if [ ! -d tests/node/node_modules ] || [ tests/node/package-lock.json -nt tests/node/node_modules ]; then
  say "npm ci (tests/node: benchmark peers)"
  (cd tests/node && npm ci --no-audit --no-fund --silent)
fi
if [ ! -d tests/php-versions/node_modules ] || [ tests/php-versions/package-lock.json -nt tests/php-versions/node_modules ]; then
  say "npm ci (tests/php-versions: PHP 7.4 to 8.5 on php-wasm)"
  (cd tests/php-versions && npm ci --no-audit --no-fund --silent)
fi
if [ ! -d tests/wp/node_modules ] || [ tests/wp/package-lock.json -nt tests/wp/node_modules ]; then
  say "npm ci (tests/wp: playwright-core for the browser tests)"
  (cd tests/wp && npm ci --no-audit --no-fund --silent)
fi
# The WordPress + WooCommerce pairs the plugin suites run on (cached).
./scripts/stacks.sh prepare
say "ready"
