//! Replays what the cargo-fuzz target `wasm2php` saved: every file of
//! `fuzz/corpus/wasm2php/` and `fuzz/regressions/wasm2php/` is shaped into
//! a module the way the target does it (`support::smith::fuzz_case`), and
//! its PHP translation must agree with wasmi. Runs on stable, all modules
//! in one PHP process.

mod support;

use std::path::Path;

#[test]
fn saved_fuzz_inputs_agree_with_wasmi() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut inputs = vec![];
    for dir in ["corpus/wasm2php", "regressions/wasm2php"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files.into_iter().filter(|f| f.is_file()) {
            inputs.push(std::fs::read(&f).unwrap());
        }
    }
    let modules = support::smith::check_fuzz_inputs(&inputs, "fuzz-regressions");
    eprintln!(
        "wasm2php fuzz regressions: {} saved inputs, {modules} modules agree with wasmi",
        inputs.len()
    );
}
