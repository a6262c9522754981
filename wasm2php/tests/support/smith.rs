//! Random modules from wasm-smith, with only the features wasm2php
//! supports, no imports, and fuel so that everything terminates; and
//! random arguments for their exports. Shared by `fuzz_wasmi.rs` (fixed
//! seeds) and the cargo-fuzz target `fuzz/fuzz_targets/wasm2php.rs` (and
//! its regression test `fuzz_regressions.rs`), which shape the fuzzer's
//! bytes into a module the same way.

use super::{Call, Case};
use arbitrary::Unstructured;
use wasm_smith::{Config, InstructionKind, InstructionKinds};
use wasmi::core::{F32, F64};
use wasmi::Val;

/// SplitMix64: a tiny deterministic generator for the random bytes that
/// wasm-smith shapes into a module, and for arguments.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }

    /// Mostly edge values: that is where translations go wrong.
    pub fn int(&mut self, bits: u32) -> u64 {
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

    pub fn float(&mut self) -> f64 {
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
pub fn config(allow_traps: bool) -> Config {
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

pub fn random_case(seed: u64) -> Option<Case> {
    let mut rng = Rng(seed);
    let data = rng.bytes(4096);
    module_case(&data, seed % 2 == 0, rng, format!("seed {seed}"))
}

/// A case from a fuzzer's input: the first byte says whether the module may
/// trap, the rest is what wasm-smith shapes into a module, and the
/// arguments come from a generator seeded with a hash of the whole input.
/// `None` when wasm-smith makes no module of it.
pub fn fuzz_case(data: &[u8]) -> Option<Case> {
    let (first, rest) = data.split_first()?;
    let mut seed: u64 = 0xcbf2_9ce4_8422_2325;
    for b in data {
        seed = (seed ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    module_case(
        rest,
        first & 1 == 1,
        Rng(seed),
        format!("fuzz input {}", super::fnv1a64(data)),
    )
}

fn module_case(data: &[u8], allow_traps: bool, mut rng: Rng, name: String) -> Option<Case> {
    let mut u = Unstructured::new(data);
    let mut module = wasm_smith::Module::new(config(allow_traps), &mut u).ok()?;
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
        name,
        wasm,
        calls,
        fresh_instances: true,
    })
}

/// The cargo-fuzz target's invariant, for a batch of its inputs: each
/// module wasm-smith makes of one translates, and its PHP agrees with wasmi
/// on every result, trap and the final memory. Returns how many inputs
/// made a module.
pub fn check_fuzz_inputs(inputs: &[Vec<u8>], dir_name: &str) -> usize {
    let cases: Vec<Case> = inputs.iter().filter_map(|d| fuzz_case(d)).collect();
    let modules = cases.len();
    let failures = super::differential(cases, dir_name, 100);
    assert!(
        failures.is_empty(),
        "{} of {modules} modules disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
    modules
}
