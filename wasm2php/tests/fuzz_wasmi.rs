//! Random modules from wasm-smith (fixed seeds, only features wasm2php
//! supports, no imports, fuel so that everything terminates), run through
//! the generated PHP and through wasmi with random arguments: every result,
//! every trap and the final memory must agree.
//!
//! `WASM2PHP_FUZZ_MODULES=N` and `WASM2PHP_FUZZ_SEED=S` change how many
//! modules and from which seed.

mod support;

use support::smith::random_case;
use support::Case;

#[test]
fn random_modules_agree_with_wasmi() {
    let count: u64 = std::env::var("WASM2PHP_FUZZ_MODULES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let first: u64 = std::env::var("WASM2PHP_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let cases: Vec<Case> = (first..first + count).filter_map(random_case).collect();
    let calls: usize = cases.iter().map(|c| c.calls.len()).sum();
    assert!(
        cases.len() as u64 >= count * 9 / 10,
        "wasm-smith made only {} modules",
        cases.len()
    );
    let modules = cases.len();
    let failures = support::differential(cases, "fuzz", 100);
    eprintln!("{modules} random modules, {calls} calls compared with wasmi");
    assert!(
        failures.is_empty(),
        "{} of {modules} modules disagree:\n{}",
        failures.len(),
        failures
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
