//! The invariants the targets assert live with the stable tests that replay
//! the saved corpus, and are included from there.

#[path = "../../tests/fuzz_checks/mod.rs"]
pub mod checks;

#[path = "../../wasm2php/tests/support/mod.rs"]
pub mod wasm2php_support;
