#!/usr/bin/env bash
# Builds the plain-WASM core (feature abi: no imports, no wasm-bindgen) and
# translates it to PHP: php-bridge/core/CoreModule.php (generated, not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/wasm-env.sh

RUSTC="$WASM_RUSTC" RUSTFLAGS="$WASM_RUSTFLAGS" \
  cargo build --release --target wasm32-unknown-unknown --no-default-features --features abi --lib "${WASM_BUILD_STD[@]}"
mkdir -p target/php-core
# Names are kept (no --strip-debug) so that a trap names the Rust function.
wasm-opt -Oz --strip-producers "${WASM_OPT_FEATURES[@]}" \
  target/wasm32-unknown-unknown/release/vietqr.wasm -o target/php-core/core.wasm
cargo run -q --release -p wasm2php -- target/php-core/core.wasm -o php-bridge/core/CoreModule.php \
  --namespace 'VietQR\Generated' --class CoreModule
printf 'php-bridge/core/CoreModule.php: %s bytes from %s bytes of WASM\n' \
  "$(wc -c < php-bridge/core/CoreModule.php)" "$(wc -c < target/php-core/core.wasm)"
