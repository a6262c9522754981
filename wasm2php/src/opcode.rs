//! The text-format name of any operator, for refusals that name the opcode.

use wasmparser::Operator;

macro_rules! define_visit_name {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        /// wasmparser's visitor method name of the operator, e.g. `visit_i32_add`.
        fn visit_name(op: &Operator<'_>) -> &'static str {
            match op {
                $( Operator::$op { .. } => stringify!($visit), )*
                #[allow(unreachable_patterns)]
                _ => "visit_unknown",
            }
        }
    };
}
wasmparser::for_each_operator!(define_visit_name);

/// Instructions whose text name has no dot (`br_table`, `return_call`, …).
const UNDOTTED: &[&str] = &[
    "unreachable",
    "nop",
    "block",
    "loop",
    "if",
    "else",
    "end",
    "br",
    "br_if",
    "br_table",
    "return",
    "call",
    "call_indirect",
    "drop",
    "select",
    "typed_select",
    "typed_select_multi",
    "return_call",
    "return_call_indirect",
    "call_ref",
    "return_call_ref",
    "br_on_null",
    "br_on_non_null",
    "br_on_cast",
    "br_on_cast_fail",
    "try",
    "catch",
    "throw",
    "rethrow",
    "delegate",
    "catch_all",
    "try_table",
    "throw_ref",
];

/// The WAT name of an operator, e.g. `i32.trunc_sat_f64_s`, `table.get`,
/// `i32.atomic.rmw8.add_u`.
pub fn name(op: &Operator<'_>) -> String {
    let visit = visit_name(op).trim_start_matches("visit_");
    match visit {
        "typed_select" | "typed_select_multi" => return "select".into(),
        "atomic_fence" => return "atomic.fence".into(),
        _ if UNDOTTED.contains(&visit) => return visit.into(),
        _ => {}
    }
    let Some((prefix, rest)) = visit.split_once('_') else {
        return visit.into();
    };
    // Atomic instructions separate their parts with dots too.
    let mut rest = rest.replacen("atomic_", "atomic.", 1);
    for rmw in ["rmw8_", "rmw16_", "rmw32_", "rmw_"] {
        if let Some(at) = rest.find(rmw) {
            let dot = at + rmw.len() - 1;
            rest.replace_range(dot..dot + 1, ".");
            break;
        }
    }
    format!("{prefix}.{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmparser::{Ieee32, MemArg};

    #[test]
    fn names_follow_the_text_format() {
        let memarg = MemArg {
            align: 0,
            max_align: 0,
            offset: 0,
            memory: 0,
        };
        assert_eq!(name(&Operator::I32Add), "i32.add");
        assert_eq!(name(&Operator::I32TruncSatF64S), "i32.trunc_sat_f64_s");
        assert_eq!(name(&Operator::TableGet { table: 0 }), "table.get");
        assert_eq!(name(&Operator::BrIf { relative_depth: 0 }), "br_if");
        assert_eq!(
            name(&Operator::ReturnCall { function_index: 0 }),
            "return_call"
        );
        assert_eq!(
            name(&Operator::I32AtomicRmw8AddU { memarg }),
            "i32.atomic.rmw8.add_u"
        );
        assert_eq!(
            name(&Operator::MemoryAtomicNotify { memarg }),
            "memory.atomic.notify"
        );
        assert_eq!(
            name(&Operator::F32Const {
                value: Ieee32::from(0.0f32)
            }),
            "f32.const"
        );
        assert_eq!(name(&Operator::I8x16Add), "i8x16.add");
        assert_eq!(name(&Operator::V128Load { memarg }), "v128.load");
    }
}
