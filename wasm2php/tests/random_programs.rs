//! Random programs that mostly run to the end: nested expressions of every
//! numeric type, `local.tee` inside expressions, loads and stores, blocks
//! left early with values, `br_table`, if/else with results and bounded
//! loops. Where wasm-smith's modules tend to trap early, these reach their
//! results, so expression folding, operator precedence and the order of
//! effects get compared with wasmi value by value.
//!
//! `WASM2PHP_PROGRAMS=N` and `WASM2PHP_PROGRAMS_SEED=S` change how many
//! programs and from which seed.

mod support;

use std::fmt::Write as _;

use support::{Call, Case};
use wasmi::core::{F32, F64};
use wasmi::Val;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Ty {
    I32,
    I64,
    F32,
    F64,
}

use Ty::*;

impl Ty {
    fn wat(self) -> &'static str {
        match self {
            I32 => "i32",
            I64 => "i64",
            F32 => "f32",
            F64 => "f64",
        }
    }
}

/// Locals: 0..=4 are parameters, 5..=8 declared; 9..=11 count the loops
/// at nesting depth 0..=2, 12 the loop with a parameter.
const LOCALS: [Ty; 9] = [I32, I32, I64, F64, F32, I32, I64, F64, F32];
const COUNTER: usize = 9;
const PARAM_LOOP_COUNTER: usize = 12;

/// Which NaN an arithmetic instruction returns is up to the engine (wasmi
/// commutes some operations): like wasm-smith's `canonicalize_nans`, any
/// NaN result is replaced by the canonical one before it can be seen.
fn canonical_nan(ty: Ty, expr: &str) -> String {
    let (w, scratch) = match ty {
        F32 => ("f32", 13),
        _ => ("f64", 14),
    };
    format!("(select ({w}.const nan) (local.tee {scratch} {expr}) ({w}.ne (local.get {scratch}) (local.get {scratch})))")
}

struct Generator {
    rng: Rng,
    /// Labels open around the current point (for br_if to a block).
    depth: usize,
}

impl Generator {
    fn local_of(&mut self, ty: Ty) -> usize {
        let candidates: Vec<usize> = (0..LOCALS.len()).filter(|i| LOCALS[*i] == ty).collect();
        *self.rng.pick(&candidates)
    }

    fn constant(&mut self, ty: Ty) -> String {
        const INTS: [i64; 14] = [
            0,
            1,
            2,
            -1,
            7,
            31,
            32,
            63,
            255,
            0x7fff_ffff,
            -0x8000_0000,
            0xffff,
            1 << 40,
            i64::MIN,
        ];
        let v = *self.rng.pick(&INTS);
        match ty {
            I32 => format!("(i32.const {})", v as i32),
            I64 => format!("(i64.const {v})"),
            F32 => format!(
                "(f32.const {})",
                *self
                    .rng
                    .pick(&["0", "-0", "1.5", "-2.5", "3e9", "inf", "0.1"])
            ),
            F64 => format!(
                "(f64.const {})",
                *self
                    .rng
                    .pick(&["0", "-0", "1.5", "-2.5", "3e18", "-inf", "0.1", "1e300"])
            ),
        }
    }

    /// An address that is in bounds most of the time.
    fn address(&mut self, depth: usize) -> String {
        let inner = self.expr(I32, depth + 1);
        if self.rng.below(16) == 0 {
            inner
        } else {
            format!("(i32.and {inner} (i32.const 0x7ff7))")
        }
    }

    fn expr(&mut self, ty: Ty, depth: usize) -> String {
        if depth > 5 || self.rng.below(10) < 2 {
            return if self.rng.below(3) == 0 {
                self.constant(ty)
            } else {
                format!("(local.get {})", self.local_of(ty))
            };
        }
        let w = ty.wat();
        match (ty, self.rng.below(12)) {
            (_, 0) => {
                let l = self.local_of(ty);
                format!("(local.tee {l} {})", self.expr(ty, depth + 1))
            }
            (_, 1) => format!(
                "(select {} {} {})",
                self.expr(ty, depth + 1),
                self.expr(ty, depth + 1),
                self.expr(I32, depth + 1)
            ),
            (I32 | I64, 2) => {
                let op = self
                    .rng
                    .pick(&["load", "load8_s", "load8_u", "load16_s", "load16_u"]);
                let offset = if self.rng.below(40) == 0 {
                    65535
                } else {
                    *self.rng.pick(&[0, 1, 3, 8])
                };
                format!("({w}.{op} offset={offset} {})", self.address(depth))
            }
            (F32 | F64, 2) => {
                let offset = self.rng.pick(&[0, 4, 9]);
                format!("({w}.load offset={offset} {})", self.address(depth))
            }
            (I32 | I64, 3..=6) => {
                let op = self.rng.pick(&[
                    "add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl",
                    "rotr", "add", "sub", "div_u", "rem_s",
                ]);
                let (a, b) = (self.expr(ty, depth + 1), self.expr(ty, depth + 1));
                if op.starts_with("div") || op.starts_with("rem") {
                    // Mostly a non-zero divisor, so that calls get to the end.
                    if self.rng.below(8) != 0 {
                        return format!("({w}.{op} {a} ({w}.or {b} ({w}.const 1)))");
                    }
                }
                format!("({w}.{op} {a} {b})")
            }
            (I32, 7) => {
                let t = *self.rng.pick(&[I32, I64, F32, F64]);
                let op = match t {
                    I32 | I64 => *self
                        .rng
                        .pick(&["eq", "ne", "lt_s", "lt_u", "gt_u", "ge_s", "le_u"]),
                    _ => *self.rng.pick(&["eq", "ne", "lt", "gt", "le", "ge"]),
                };
                format!(
                    "({}.{op} {} {})",
                    t.wat(),
                    self.expr(t, depth + 1),
                    self.expr(t, depth + 1)
                )
            }
            (I32, 8) => {
                let op = self
                    .rng
                    .pick(&["clz", "ctz", "popcnt", "eqz", "extend8_s", "extend16_s"]);
                format!("(i32.{op} {})", self.expr(I32, depth + 1))
            }
            (I32, _) => match self.rng.below(4) {
                0 => format!("(i32.wrap_i64 {})", self.expr(I64, depth + 1)),
                1 => format!("(i64.eqz {})", self.expr(I64, depth + 1)),
                2 => format!("(i32.trunc_sat_f64_s {})", self.expr(F64, depth + 1)),
                _ => format!("(i32.reinterpret_f32 {})", self.expr(F32, depth + 1)),
            },
            (I64, 7 | 8) => {
                let op = self.rng.pick(&[
                    "clz",
                    "ctz",
                    "popcnt",
                    "extend8_s",
                    "extend16_s",
                    "extend32_s",
                ]);
                format!("(i64.{op} {})", self.expr(I64, depth + 1))
            }
            (I64, _) => match self.rng.below(4) {
                0 => format!("(i64.extend_i32_s {})", self.expr(I32, depth + 1)),
                1 => format!("(i64.extend_i32_u {})", self.expr(I32, depth + 1)),
                2 => format!("(i64.trunc_sat_f64_u {})", self.expr(F64, depth + 1)),
                _ => format!("(i64.reinterpret_f64 {})", self.expr(F64, depth + 1)),
            },
            (F32 | F64, 3..=6) => {
                let op = *self
                    .rng
                    .pick(&["add", "sub", "mul", "div", "min", "max", "copysign"]);
                let e = format!(
                    "({w}.{op} {} {})",
                    self.expr(ty, depth + 1),
                    self.expr(ty, depth + 1)
                );
                if op == "copysign" {
                    e
                } else {
                    canonical_nan(ty, &e)
                }
            }
            (F32 | F64, 7 | 8) => {
                let op = *self
                    .rng
                    .pick(&["abs", "neg", "ceil", "floor", "trunc", "nearest", "sqrt"]);
                let e = format!("({w}.{op} {})", self.expr(ty, depth + 1));
                if op == "abs" || op == "neg" {
                    e
                } else {
                    canonical_nan(ty, &e)
                }
            }
            (F32, _) => match self.rng.below(3) {
                0 => canonical_nan(
                    F32,
                    &format!("(f32.demote_f64 {})", self.expr(F64, depth + 1)),
                ),
                1 => format!("(f32.convert_i64_s {})", self.expr(I64, depth + 1)),
                _ => format!("(f32.convert_i32_u {})", self.expr(I32, depth + 1)),
            },
            (F64, _) => match self.rng.below(3) {
                0 => canonical_nan(
                    F64,
                    &format!("(f64.promote_f32 {})", self.expr(F32, depth + 1)),
                ),
                1 => format!("(f64.convert_i64_u {})", self.expr(I64, depth + 1)),
                _ => format!("(f64.convert_i32_s {})", self.expr(I32, depth + 1)),
            },
        }
    }

    fn statements(&mut self, n: usize, depth: usize, out: &mut String) {
        for _ in 0..n {
            self.statement(depth, out);
        }
    }

    fn statement(&mut self, depth: usize, out: &mut String) {
        let ty = *self.rng.pick(&[I32, I32, I64, F64, F32]);
        let l = self.local_of(ty);
        let w = ty.wat();
        let choice = if depth > 2 {
            self.rng.below(2)
        } else {
            self.rng.below(9)
        };
        match choice {
            0 => {
                let e = self.expr(ty, 0);
                let _ = writeln!(out, "(local.set {l} {e})");
            }
            1 => {
                let width = match ty {
                    I32 => *self.rng.pick(&["store", "store8", "store16"]),
                    I64 => *self.rng.pick(&["store", "store8", "store16", "store32"]),
                    _ => "store",
                };
                let offset = self.rng.pick(&[0, 1, 2, 5, 8]);
                let a = self.address(1);
                let v = self.expr(ty, 1);
                let _ = writeln!(out, "({w}.{width} offset={offset} {a} {v})");
            }
            2 => {
                let cond = self.expr(I32, 1);
                let _ = writeln!(out, "(local.set {l} (if (result {w}) {cond} (then");
                self.depth += 1;
                self.statements(2, depth + 1, out);
                let then_value = self.expr(ty, 1);
                let _ = writeln!(out, "{then_value}) (else");
                self.statements(1, depth + 1, out);
                let else_value = self.expr(ty, 1);
                self.depth -= 1;
                let _ = writeln!(out, "{else_value})))");
            }
            3 => {
                // A block left early with a value.
                let _ = writeln!(out, "(local.set {l} (block (result {w})");
                self.depth += 1;
                self.statements(1, depth + 1, out);
                let early = self.expr(ty, 1);
                let cond = self.expr(I32, 1);
                let _ = writeln!(out, "(drop (br_if 0 {early} {cond}))");
                self.statements(1, depth + 1, out);
                let value = self.expr(ty, 1);
                self.depth -= 1;
                let _ = writeln!(out, "{value}))");
            }
            4 => {
                // A bounded loop: its counter goes down to zero.
                let counter = COUNTER + depth;
                let n = 1 + self.rng.below(4);
                let _ = writeln!(out, "(local.set {counter} (i32.const {n}))\n(loop");
                self.depth += 1;
                self.statements(2, depth + 1, out);
                self.depth -= 1;
                let _ = writeln!(
                    out,
                    "(br_if 0 (local.tee {counter} (i32.sub (local.get {counter}) (i32.const 1)))))"
                );
            }
            5 => {
                // br_table carrying a value to one of three blocks.
                let value = self.expr(ty, 1);
                let index = self.expr(I32, 1);
                let e1 = self.expr(ty, 2);
                let e2 = self.expr(ty, 2);
                let _ = writeln!(
                    out,
                    "(local.set {l} (block (result {w}) (block (result {w}) (block (result {w}) {value} {index} (br_table 0 1 2 1 0)) (local.set {l}) {e1}) (local.set {l}) {e2}))"
                );
            }
            6 => {
                let cond = self.expr(I32, 1);
                let _ = writeln!(out, "(if {cond} (then");
                self.statements(2, depth + 1, out);
                let _ = writeln!(out, ") (else (return (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4))))");
            }
            7 => {
                // A loop with a parameter, left with a value within four turns.
                let init = self.expr(I32, 1);
                let value = self.expr(ty, 1);
                let c = PARAM_LOOP_COUNTER;
                let _ = writeln!(
                    out,
                    "(local.set {l} (block (result {w}) {init} (loop (param i32) (result {w})\n local.tee {c} {value} local.get {c} i32.const 3 i32.and i32.eqz br_if 1 drop local.get {c} i32.const 1 i32.sub br 0)))"
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    "(local.set {l} (call $helper{} {}))",
                    w,
                    self.expr(ty, 1)
                );
            }
        }
    }
}

fn program(seed: u64) -> Case {
    let mut generator = Generator {
        rng: Rng(seed),
        depth: 0,
    };
    let mut body = String::new();
    let n = 4 + generator.rng.below(8);
    generator.statements(n, 0, &mut body);
    let mut wat = String::from("(module\n (memory (export \"memory\") 1)\n");
    wat.push_str(" (global $g (mut i64) (i64.const 5))\n");
    for ty in [I32, I64, F32, F64] {
        let w = ty.wat();
        // A callee that also changes a global and memory: calls must not
        // reorder around pending reads.
        let _ = writeln!(
            wat,
            " (func $helper{w} (param {w}) (result {w}) (global.set $g (i64.add (global.get $g) (i64.const 3))) (i64.store (i32.const 16) (global.get $g)) (local.get 0))"
        );
    }
    let _ = writeln!(
        wat,
        " (func (export \"run\") (param i32 i32 i64 f64 f32) (result i32 i32 i64 f64 f32)\n  (local i32 i64 f64 f32 i32 i32 i32 i32 f32 f64)\n{body}  (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4))"
    );
    wat.push_str(" (func (export \"g\") (result i64) (global.get $g)))\n");
    let wasm = wat::parse_str(&wat).unwrap_or_else(|e| panic!("seed {seed}: {e}\n{wat}"));
    let mut calls = vec![];
    for k in 0..4u64 {
        let mut rng = Rng(seed ^ (k << 32));
        let ints = [0i64, 1, -1, 5, 0x7fff_ffff, i64::MIN, 12345, 0x8000];
        let i = |rng: &mut Rng| {
            *rng.pick(&ints)
                ^ if rng.below(2) == 0 {
                    0
                } else {
                    rng.next() as i64
                }
        };
        let args = vec![
            Val::I32(i(&mut rng) as i32),
            Val::I32(i(&mut rng) as i32),
            Val::I64(i(&mut rng)),
            Val::F64(F64::from(*rng.pick(&[
                0.0,
                -1.5,
                1e10,
                3.25,
                f64::INFINITY,
                -0.0,
            ]))),
            Val::F32(F32::from(*rng.pick(&[
                0.0f32,
                -1.5,
                1e10,
                3.25,
                f32::NEG_INFINITY,
            ]))),
        ];
        calls.push(Call {
            export: "run".into(),
            args,
        });
        calls.push(Call {
            export: "g".into(),
            args: vec![],
        });
    }
    Case {
        name: format!("program {seed}"),
        wasm,
        calls,
        fresh_instances: false,
    }
}

#[test]
fn random_programs_agree_with_wasmi() {
    let count: u64 = std::env::var("WASM2PHP_PROGRAMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500);
    let first: u64 = std::env::var("WASM2PHP_PROGRAMS_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let cases: Vec<Case> = (first..first + count).map(program).collect();
    let failures = support::differential(cases, "programs", 50);
    eprintln!("{count} random programs compared with wasmi");
    assert!(
        failures.is_empty(),
        "{} of {count} programs disagree:\n{}",
        failures.len(),
        failures
            .iter()
            .take(8)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
