//! Replays what the cargo-fuzz targets saved (`fuzz/`, nightly) on stable:
//! every file of `fuzz/corpus/<target>/` and `fuzz/regressions/<target>/`
//! goes through the same invariant check as the target
//! (`tests/fuzz_checks/`). The `wasm2php` target has its own replay in
//! `wasm2php/tests/fuzz_regressions.rs`.

#[path = "fuzz_checks/mod.rs"]
mod fuzz_checks;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

#[test]
fn saved_fuzz_inputs_keep_their_invariants() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut failures = vec![];
    let mut counts = vec![];
    for (target, check) in fuzz_checks::TARGETS {
        let mut n = 0;
        let started = std::time::Instant::now();
        for dir in ["corpus", "regressions"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
                continue;
            };
            let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            files.sort();
            for f in files.into_iter().filter(|f| f.is_file()) {
                let data = std::fs::read(&f).unwrap();
                n += 1;
                if let Err(e) = catch_unwind(AssertUnwindSafe(|| check(&data))) {
                    let why = e
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    failures.push(format!("{}: {why}", f.display()));
                }
            }
        }
        assert!(
            n > 0,
            "no saved inputs for {target} in fuzz/corpus/{target}/"
        );
        counts.push(format!("{target} {n} ({:.1?})", started.elapsed()));
    }
    eprintln!(
        "fuzz regressions, saved inputs per target: {}",
        counts.join(", ")
    );
    assert!(
        failures.is_empty(),
        "{} saved inputs break an invariant:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn parse_codes_are_error_codes() {
    for code in fuzz_checks::PARSE_CODES {
        assert!(fuzz_checks::known_error_code(code), "{code}");
    }
}
