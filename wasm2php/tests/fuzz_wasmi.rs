//! Random modules from wasm-smith (fixed seeds, only features wasm2php
//! supports, no imports, fuel so that everything terminates), run through
//! the generated PHP and through wasmi with random arguments: every result,
//! every trap and the final memory must agree.
//!
//! `WASM2PHP_FUZZ_MODULES=N` and `WASM2PHP_FUZZ_SEED=S` change how many
//! modules and from which seed.

mod support;

use arbitrary::Unstructured;
use support::{Call, Case};
use wasm_smith::{Config, InstructionKind, InstructionKinds};
use wasmi::core::{F32, F64};
use wasmi::Val;

/// SplitMix64: a tiny deterministic generator for the random bytes that
/// wasm-smith shapes into a module, and for arguments.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }

    /// Mostly edge values: that is where translations go wrong.
    fn int(&mut self, bits: u32) -> u64 {
        const EDGES: [u64; 12] = [
            0,
            1,
            2,
            u64::MAX,
            u64::MAX - 1,
            0x7fff_ffff,
            0x8000_0000,
            0xffff_ffff,
            0x7fff_ffff_ffff_ffff,
            0x8000_0000_0000_0000,
            31,
            64,
        ];
        let value = match self.next() % 4 {
            0 => EDGES[(self.next() % EDGES.len() as u64) as usize],
            1 => self.next() % 256,
            _ => self.next(),
        };
        if bits == 32 {
            value & 0xffff_ffff
        } else {
            value
        }
    }

    fn float(&mut self) -> f64 {
        const EDGES: [f64; 12] = [
            0.0,
            -0.0,
            1.0,
            -1.5,
            0.5,
            2.5,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            4294967296.0,
            -2147483649.0,
            9.3e18,
        ];
        match self.next() % 3 {
            0 => EDGES[(self.next() % EDGES.len() as u64) as usize],
            1 => (self.next() as i64 % 100_000) as f64 / 8.0,
            _ => f64::from_bits(self.next()),
        }
    }
}

/// Half the modules may trap anywhere; in the other half wasm-smith guards
/// every trapping instruction, so that calls run to the end and results
/// (not just traps) get compared.
fn config(allow_traps: bool) -> Config {
    Config {
        disallow_traps: !allow_traps,
        max_imports: 0,
        min_funcs: 1,
        max_funcs: 8,
        export_everything: true,
        max_instructions: 150,
        max_memories: 1,
        max_memory32_bytes: 2 * 65536,
        memory_max_size_required: true,
        max_tables: 1,
        max_table_elements: 20,
        max_data_segments: 4,
        max_element_segments: 4,
        canonicalize_nans: true,
        simd_enabled: false,
        relaxed_simd_enabled: false,
        threads_enabled: false,
        exceptions_enabled: false,
        gc_enabled: false,
        tail_call_enabled: false,
        reference_types_enabled: false,
        memory64_enabled: false,
        custom_page_sizes_enabled: false,
        wide_arithmetic_enabled: false,
        shared_everything_threads_enabled: false,
        bulk_memory_enabled: true,
        multi_value_enabled: true,
        saturating_float_to_int_enabled: true,
        sign_extension_ops_enabled: true,
        extended_const_enabled: true,
        allowed_instructions: InstructionKinds::new(&[
            InstructionKind::Numeric,
            InstructionKind::Parametric,
            InstructionKind::Variable,
            InstructionKind::Memory,
            InstructionKind::Control,
        ]),
        ..Config::default()
    }
}

fn random_case(seed: u64) -> Option<Case> {
    let mut rng = Rng(seed);
    let data = rng.bytes(4096);
    let mut u = Unstructured::new(&data);
    let mut module = wasm_smith::Module::new(config(seed % 2 == 0), &mut u).ok()?;
    module.ensure_termination(1000).ok()?;
    let wasm = module.to_bytes();
    let exports = wasm2php::exported_functions(&wasm).expect("valid module");
    let mut calls = vec![];
    for _ in 0..3 {
        for export in &exports {
            let args = export
                .params
                .iter()
                .map(|t| match *t {
                    "i32" => Val::I32(rng.int(32) as u32 as i32),
                    "i64" => Val::I64(rng.int(64) as i64),
                    "f32" => Val::F32(F32::from(rng.float() as f32)),
                    _ => Val::F64(F64::from(rng.float())),
                })
                .collect();
            calls.push(Call {
                export: export.export.clone(),
                args,
            });
        }
    }
    Some(Case {
        name: format!("seed {seed}"),
        wasm,
        calls,
        fresh_instances: true,
    })
}

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
