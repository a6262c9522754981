#!/usr/bin/env bash
# Builds pkg/ (wasm-pack --target web) and shrinks it with Debian's wasm-opt.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/wasm-env.sh

RUSTC="$WASM_RUSTC" RUSTFLAGS="$WASM_RUSTFLAGS" \
  wasm-pack build . --target web --release --out-dir pkg --no-default-features --features wasm "${WASM_BUILD_STD[@]}"
wasm-opt -Oz --strip-debug --strip-producers "${WASM_OPT_FEATURES[@]}" pkg/vietqr_bg.wasm -o pkg/vietqr_bg.wasm
rm -f pkg/.gitignore
printf 'pkg/vietqr_bg.wasm: %s bytes, %s gzipped\n' "$(wc -c < pkg/vietqr_bg.wasm)" "$(gzip -9c pkg/vietqr_bg.wasm | wc -c)"
# The plugin ships the browser build with it (php-bridge/assets/pkg, generated).
mkdir -p php-bridge/assets/pkg
cp pkg/vietqr.js pkg/vietqr_bg.wasm php-bridge/assets/pkg/
