#!/usr/bin/env bash
# Builds pkg/ (wasm-pack --target web; every op, for Node and the vectors) and
# the plugin's php-bridge/assets/pkg/ (the `page` feature: only the ops shop
# pages call, the op table's `Page` rows, so buyers download less), each shrunk with
# Debian's wasm-opt.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/wasm-env.sh

build() { # out-dir feature
  RUSTC="$WASM_RUSTC" RUSTFLAGS="$WASM_RUSTFLAGS" \
    wasm-pack build . --target web --release --out-dir "$1" --no-default-features --features "$2" "${WASM_BUILD_STD[@]}"
  wasm-opt -Oz --strip-debug --strip-producers "${WASM_OPT_FEATURES[@]}" "$1/vietqr_bg.wasm" -o "$1/vietqr_bg.wasm"
  rm -f "$1/.gitignore"
  printf '%s/vietqr_bg.wasm: %s bytes, %s gzipped\n' "$1" "$(wc -c < "$1/vietqr_bg.wasm")" "$(gzip -9c "$1/vietqr_bg.wasm" | wc -c)"
}
build pkg wasm
# The plugin ships the page build with it (php-bridge/assets/pkg, generated).
page=target/wasm-page
build "$page" page
mkdir -p php-bridge/assets/pkg
cp "$page/vietqr.js" "$page/vietqr_bg.wasm" php-bridge/assets/pkg/
