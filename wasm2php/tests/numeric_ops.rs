//! Every numeric instruction on edge values (overflow, division by zero,
//! INT_MIN / -1, shift counts past the width, top-bit-set unsigned
//! compares, NaN, ±0, ±INF, conversion limits), through the generated PHP
//! and through wasmi. Each binary integer op is also tried with each
//! operand a constant, which the translation specializes.

mod support;

use std::fmt::Write as _;

use support::{Call, Case};
use wasmi::core::{F32, F64};
use wasmi::Val;

const I32_EDGES: &[i32] = &[
    0,
    1,
    2,
    3,
    -1,
    -2,
    7,
    8,
    31,
    32,
    33,
    63,
    64,
    65,
    0x7f,
    0x80,
    0xff,
    0x100,
    0x7fff,
    0x8000,
    0xffff,
    0x10000,
    0x7fff_ffff,
    i32::MIN,
    i32::MIN + 1,
    0x1234_5678,
    -0x1234_5678,
];

const I64_EDGES: &[i64] = &[
    0,
    1,
    2,
    -1,
    -2,
    31,
    32,
    33,
    63,
    64,
    65,
    0x7f,
    0x80,
    0xffff,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_ffff,
    0x1_0000_0000,
    i64::MAX,
    i64::MIN,
    i64::MIN + 1,
    0x0123_4567_89ab_cdef,
    -0x0123_4567_89ab_cdef,
    1 << 62,
    (1 << 53) + 1,
    -(1 << 53) - 1,
    0x7fff_ffff_ffff_fffe,
];

const F64_EDGES: &[f64] = &[
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    -0.5,
    1.5,
    2.5,
    -2.5,
    3.5,
    0.49999999999999994,
    0.1,
    1e300,
    -1e300,
    5e-324,
    f64::MAX,
    f64::MIN_POSITIVE,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    2147483647.0,
    2147483648.0,
    -2147483648.0,
    -2147483649.0,
    -2147483648.9,
    4294967295.0,
    4294967296.0,
    -0.99,
    9223372036854775807.0,
    -9223372036854775808.0,
    18446744073709551615.0,
    4503599627370497.0,
    16777217.0,
    3.4028235677973366e38,
];

fn f64_edges() -> Vec<f64> {
    let mut values = F64_EDGES.to_vec();
    // NaNs with payloads and a negative one (exact ops must keep them).
    values.push(f64::from_bits(0x7ff4_0000_0000_0001));
    values.push(f64::from_bits(0xfff8_0000_0000_0000));
    values
}

fn f32_edges() -> Vec<f32> {
    let mut values: Vec<f32> = F64_EDGES.iter().map(|v| *v as f32).collect();
    values.extend([f32::MAX, f32::MIN_POSITIVE, 1e-45, 16777217.0, 0.3, -0.0]);
    values.push(f32::from_bits(0xffc0_0000));
    // Signalling NaNs: moves, neg, abs, copysign and reinterpret keep them.
    values.push(f32::from_bits(0x7fa0_0001));
    values.push(f32::from_bits(0xffbf_ffff));
    values
}

#[derive(Clone, Copy, PartialEq)]
enum Ty {
    I32,
    I64,
    F32,
    F64,
}

impl Ty {
    fn wat(self) -> &'static str {
        match self {
            Ty::I32 => "i32",
            Ty::I64 => "i64",
            Ty::F32 => "f32",
            Ty::F64 => "f64",
        }
    }

    fn edges(self) -> Vec<Val> {
        match self {
            Ty::I32 => I32_EDGES.iter().map(|v| Val::I32(*v)).collect(),
            Ty::I64 => I64_EDGES.iter().map(|v| Val::I64(*v)).collect(),
            Ty::F32 => f32_edges()
                .into_iter()
                .map(|v| Val::F32(F32::from(v)))
                .collect(),
            Ty::F64 => f64_edges()
                .into_iter()
                .map(|v| Val::F64(F64::from(v)))
                .collect(),
        }
    }

    /// The value as a WAT constant instruction.
    fn constant(self, value: &Val) -> String {
        match value {
            Val::I32(v) => format!("i32.const {v}"),
            Val::I64(v) => format!("i64.const {v}"),
            Val::F32(v) => format!("f32.const {}", wat_f32(v.to_bits())),
            Val::F64(v) => format!("f64.const {}", wat_f64(v.to_bits())),
            _ => unreachable!(),
        }
    }
}

fn wat_f64(bits: u64) -> String {
    let v = f64::from_bits(bits);
    if v.is_nan() {
        let sign = if bits >> 63 == 1 { "-" } else { "" };
        format!("{sign}nan:0x{:x}", bits & 0x000f_ffff_ffff_ffff)
    } else if v.is_infinite() {
        if v > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        }
    } else {
        format!("{v:e}")
    }
}

fn wat_f32(bits: u32) -> String {
    let v = f32::from_bits(bits);
    if v.is_nan() {
        let sign = if bits >> 31 == 1 { "-" } else { "" };
        format!("{sign}nan:0x{:x}", bits & 0x007f_ffff)
    } else if v.is_infinite() {
        if v > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        }
    } else {
        format!("{v:e}")
    }
}

/// One instruction to test: name, operand types, result type.
struct Op {
    name: String,
    params: Vec<Ty>,
    result: Ty,
}

fn ops() -> Vec<Op> {
    use Ty::*;
    let mut ops = vec![];
    let mut add = |name: String, params: &[Ty], result: Ty| {
        ops.push(Op {
            name,
            params: params.to_vec(),
            result,
        })
    };
    for (t, w) in [(I32, "i32"), (I64, "i64")] {
        for op in [
            "add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor", "shl",
            "shr_s", "shr_u", "rotl", "rotr",
        ] {
            add(format!("{w}.{op}"), &[t, t], t);
        }
        for op in [
            "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u",
        ] {
            add(format!("{w}.{op}"), &[t, t], I32);
        }
        for op in ["clz", "ctz", "popcnt", "extend8_s", "extend16_s"] {
            add(format!("{w}.{op}"), &[t], t);
        }
        add(format!("{w}.eqz"), &[t], I32);
    }
    add("i64.extend32_s".into(), &[I64], I64);
    add("i32.wrap_i64".into(), &[I64], I32);
    add("i64.extend_i32_s".into(), &[I32], I64);
    add("i64.extend_i32_u".into(), &[I32], I64);
    for (t, w) in [(F32, "f32"), (F64, "f64")] {
        for op in ["add", "sub", "mul", "div", "min", "max", "copysign"] {
            add(format!("{w}.{op}"), &[t, t], t);
        }
        for op in ["eq", "ne", "lt", "gt", "le", "ge"] {
            add(format!("{w}.{op}"), &[t, t], I32);
        }
        for op in ["abs", "neg", "ceil", "floor", "trunc", "nearest", "sqrt"] {
            add(format!("{w}.{op}"), &[t], t);
        }
        for (i, iw) in [(I32, "i32"), (I64, "i64")] {
            for sign in ["s", "u"] {
                add(format!("{iw}.trunc_{w}_{sign}"), &[t], i);
                add(format!("{iw}.trunc_sat_{w}_{sign}"), &[t], i);
                add(format!("{w}.convert_{iw}_{sign}"), &[i], t);
            }
        }
    }
    add("f32.demote_f64".into(), &[F64], F32);
    add("f64.promote_f32".into(), &[F32], F64);
    add("i32.reinterpret_f32".into(), &[F32], I32);
    add("f32.reinterpret_i32".into(), &[I32], F32);
    add("i64.reinterpret_f64".into(), &[F64], I64);
    add("f64.reinterpret_i64".into(), &[I64], F64);
    ops
}

/// Instructions whose NaN results may be any NaN (the spec leaves the
/// payload open): the comparison only asks for "a NaN" there.
fn nan_payload_is_open(op: &str) -> bool {
    let arithmetic = [
        ".add", ".sub", ".mul", ".div", ".min", ".max", ".sqrt", ".ceil", ".floor", ".trunc",
        ".nearest", "demote", "promote",
    ];
    (op.starts_with("f32.") || op.starts_with("f64.")) && arithmetic.iter().any(|a| op.contains(a))
}

/// A module per instruction: the op on parameters, and (binary integer
/// ops) the op with either operand a constant.
fn op_case(op: &Op) -> Case {
    let mut wat = String::from("(module\n");
    let params: String = op.params.iter().map(|t| format!(" {}", t.wat())).collect();
    let gets: String = (0..op.params.len())
        .map(|i| format!(" local.get {i}"))
        .collect();
    let _ = writeln!(
        wat,
        "  (func (export \"v\") (param{params}) (result {}){gets} {})",
        op.result.wat(),
        op.name
    );
    let mut calls = vec![];
    let edges: Vec<Vec<Val>> = op.params.iter().map(|t| t.edges()).collect();
    match op.params.len() {
        1 => {
            for a in &edges[0] {
                calls.push(call("v", vec![a.clone()]));
            }
        }
        _ => {
            for a in &edges[0] {
                for b in &edges[1] {
                    calls.push(call("v", vec![a.clone(), b.clone()]));
                }
            }
        }
    }
    let integer = matches!(op.params[0], Ty::I32 | Ty::I64);
    if op.params.len() == 2 && integer {
        let t = op.params[0];
        for (k, c) in edges[1].iter().enumerate() {
            let _ = writeln!(
                wat,
                "  (func (export \"r{k}\") (param {w}) (result {}) local.get 0 {} {})",
                op.result.wat(),
                t.constant(c),
                op.name,
                w = t.wat()
            );
            let _ = writeln!(
                wat,
                "  (func (export \"l{k}\") (param {w}) (result {}) {} local.get 0 {})",
                op.result.wat(),
                t.constant(c),
                op.name,
                w = t.wat()
            );
            for a in &edges[0] {
                calls.push(call(&format!("r{k}"), vec![a.clone()]));
                calls.push(call(&format!("l{k}"), vec![a.clone()]));
            }
        }
    }
    wat.push_str(")\n");
    Case {
        name: op.name.clone(),
        wasm: wat::parse_str(&wat).unwrap_or_else(|e| panic!("{}: {e}\n{wat}", op.name)),
        calls,
        fresh_instances: false,
    }
}

fn call(export: &str, args: Vec<Val>) -> Call {
    Call {
        export: export.into(),
        args,
    }
}

/// Makes every NaN the same, for results whose payload is unspecified.
fn any_nan(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            if let Some(hex) = word.strip_prefix("f64:") {
                let bits = u64::from_str_radix(hex, 16).unwrap_or(0);
                if f64::from_bits(bits).is_nan() {
                    return "f64:nan".to_string();
                }
            } else if let Some(hex) = word.strip_prefix("f32:") {
                let bits = u32::from_str_radix(hex, 16).unwrap_or(0);
                if f32::from_bits(bits).is_nan() {
                    return "f32:nan".to_string();
                }
            }
            word.to_string()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_numeric_instruction_matches_wasmi_on_edge_values() {
    let ops = ops();
    let mut cases: Vec<Case> = ops.iter().map(op_case).collect();
    let calls: usize = cases.iter().map(|c| c.calls.len()).sum();
    let expected: Vec<support::Outcome> = cases.iter_mut().map(support::run_wasmi).collect();
    let dir = support::scratch_dir("numeric_ops");
    let actual = support::run_php(&cases, &dir, 8);
    let mut failures = vec![];
    for (i, op) in ops.iter().enumerate() {
        let normalize = |l: &String| {
            if nan_payload_is_open(&op.name) {
                any_nan(l)
            } else {
                l.clone()
            }
        };
        let want: Vec<String> = expected[i].lines.iter().map(normalize).collect();
        let got: Vec<String> = actual[i].lines.iter().map(normalize).collect();
        for k in 0..want.len().max(got.len()) {
            let (w, g) = (want.get(k), got.get(k));
            if w != g {
                let args = k
                    .checked_sub(1)
                    .and_then(|c| cases[i].calls.get(c))
                    .map(|c| format!("{}({:?})", c.export, c.args))
                    .unwrap_or_default();
                failures.push(format!("{} {args}: wasmi {w:?}, php {g:?}", op.name));
            }
        }
    }
    eprintln!(
        "{} instructions, {calls} calls compared with wasmi",
        ops.len()
    );
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
