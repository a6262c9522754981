#!/usr/bin/env bash
# Builds the plain-WASM core (no imports, no wasm-bindgen) in two builds and
# translates each to its own PHP class (generated, not committed), so that a
# request loads only what its op needs:
#   php-bridge/core/CoreServer.php  feature abi-server: the PhpServer rows of ops::TABLE
#                                   (every op but the QR ones)
#   php-bridge/core/CoreQr.php      feature abi-qr: the PhpQr rows (qr.svg, qr.png),
#                                   loaded only when PHP draws a QR
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/wasm-env.sh

mkdir -p target/php-core php-bridge/core
rm -f php-bridge/core/CoreModule.php # the single class of earlier builds
build() { # feature class
  RUSTC="$WASM_RUSTC" RUSTFLAGS="$WASM_RUSTFLAGS" \
    cargo build --release --target wasm32-unknown-unknown --no-default-features --features "$1" --lib "${WASM_BUILD_STD[@]}"
  # Names are kept (no --strip-debug) so that a trap names the Rust function.
  wasm-opt -Oz --strip-producers "${WASM_OPT_FEATURES[@]}" \
    target/wasm32-unknown-unknown/release/vietqr.wasm -o "target/php-core/$2.wasm"
  cargo run -q --release -p wasm2php -- "target/php-core/$2.wasm" -o "php-bridge/core/$2.php" \
    --namespace 'VietQR\Generated' --class "$2"
  printf 'php-bridge/core/%s.php: %s bytes from %s bytes of WASM\n' \
    "$2" "$(wc -c < "php-bridge/core/$2.php")" "$(wc -c < "target/php-core/$2.wasm")"
}
build abi-server CoreServer
build abi-qr CoreQr
