#![no_main]
// wasm-smith module from the input (wasm2php/tests/support/smith.rs), then
// its PHP translation run with `php` against wasmi: every result, trap and
// the final memory must agree. One PHP process an input: slow, run briefly.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vietqr_fuzz::wasm2php_support::smith::check_fuzz_inputs(&[data.to_vec()], "fuzz-target");
});
