# Sourced by the WASM build scripts: how this machine builds for wasm32.
# std is rebuilt from source (-Zbuild-std) either way (see scripts/setup.sh):
# from rustup's rust-src, or with Debian's rustc-web and its std source.
if rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
  WASM_RUSTC=$(rustup which rustc)
else
  WASM_RUSTC=/usr/bin/rustc
fi
# immediate-abort drops panic strings and unwinding glue (the core never
# panics on input); without reference-types, Debian's binaryen 108 can
# optimise the module safely; sha2's compact backend is 7 KB smaller and its
# speed does not matter for inputs this short.
WASM_RUSTFLAGS='-Zunstable-options -Cpanic=immediate-abort -Ctarget-feature=-reference-types --cfg sha2_backend_soft="compact"'
WASM_BUILD_STD=(-Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size)
WASM_OPT_FEATURES=(--enable-bulk-memory --enable-sign-ext --enable-mutable-globals
  --enable-nontrapping-float-to-int --enable-multivalue --enable-reference-types)
export RUSTC_BOOTSTRAP=1
