#!/usr/bin/env bash
# Builds pkg/ (wasm-pack --target web) and shrinks it with Debian's wasm-opt.
set -euo pipefail
cd "$(dirname "$0")/.."

# std is rebuilt from source either way (see scripts/setup.sh): from
# rustup's rust-src, or with Debian's rustc-web and its std source.
if rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
  compiler=$(rustup which rustc)
else
  compiler=/usr/bin/rustc
fi
# immediate-abort drops panic strings and unwinding glue (the core never
# panics on input); without reference-types, Debian's binaryen 108 can
# optimise the module safely; sha2's compact backend is 7 KB smaller and its
# speed does not matter for inputs this short.
RUSTC_BOOTSTRAP=1 RUSTC="$compiler" \
RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Ctarget-feature=-reference-types --cfg sha2_backend_soft=\"compact\"" \
  wasm-pack build . --target web --release --out-dir pkg --no-default-features --features wasm \
    -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size
wasm-opt -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
  --enable-nontrapping-float-to-int --enable-multivalue --enable-reference-types \
  pkg/vietqr_bg.wasm -o pkg/vietqr_bg.wasm
rm -f pkg/.gitignore
printf 'pkg/vietqr_bg.wasm: %s bytes, %s gzipped\n' "$(wc -c < pkg/vietqr_bg.wasm)" "$(gzip -9c pkg/vietqr_bg.wasm | wc -c)"
