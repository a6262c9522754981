#![no_main]
// Invariants: vietqr_fuzz::checks::payload_parse (tests/fuzz_checks/mod.rs).
libfuzzer_sys::fuzz_target!(|data: &[u8]| vietqr_fuzz::checks::payload_parse(data));
