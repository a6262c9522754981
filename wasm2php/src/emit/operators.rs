//! The operator table: which emitter translates each WebAssembly operator
//! this translation supports. The first pass refuses, by name, any
//! operator the table does not list (before any PHP is written); the
//! translation sends each operator to the emitter the table names, and an
//! emitter that does not handle what the table sends it is a bug caught
//! there (`FunctionEmitter::operator`), with the emitter named.

use wasmparser::{Operator, ValType};

/// The part of `FunctionEmitter` that translates an operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Emitter {
    /// Blocks, branches, `return`, `unreachable` (control.rs).
    Control,
    /// Locals, globals, calls, `select`, `drop`, `nop` (function.rs).
    Variable,
    /// Loads, stores, `memory.*`, `data.drop` (memory.rs).
    Memory,
    /// Constants, arithmetic, comparisons, conversions (numeric.rs).
    Numeric,
}

/// The emitter of an operator, or `None` when the translation refuses it.
pub(super) fn emitter(op: &Operator<'_>) -> Option<Emitter> {
    use Operator::*;
    Some(match op {
        Unreachable
        | Block { .. }
        | Loop { .. }
        | If { .. }
        | Else
        | End
        | Br { .. }
        | BrIf { .. }
        | BrTable { .. }
        | Return => Emitter::Control,
        Nop
        | Drop
        | Select
        | LocalGet { .. }
        | LocalSet { .. }
        | LocalTee { .. }
        | GlobalGet { .. }
        | GlobalSet { .. }
        | Call { .. } => Emitter::Variable,
        // `select` with a type: numeric types only (no references).
        TypedSelect {
            ty: ValType::I32 | ValType::I64 | ValType::F32 | ValType::F64,
        } => Emitter::Variable,
        CallIndirect { .. } => Emitter::Variable,
        I32Load { .. }
        | I64Load { .. }
        | F32Load { .. }
        | F64Load { .. }
        | I32Load8S { .. }
        | I32Load8U { .. }
        | I32Load16S { .. }
        | I32Load16U { .. }
        | I64Load8S { .. }
        | I64Load8U { .. }
        | I64Load16S { .. }
        | I64Load16U { .. }
        | I64Load32S { .. }
        | I64Load32U { .. }
        | I32Store { .. }
        | I64Store { .. }
        | F32Store { .. }
        | F64Store { .. }
        | I32Store8 { .. }
        | I32Store16 { .. }
        | I64Store8 { .. }
        | I64Store16 { .. }
        | I64Store32 { .. }
        | MemorySize { .. }
        | MemoryGrow { .. }
        | MemoryCopy { .. }
        | MemoryFill { .. }
        | MemoryInit { .. }
        | DataDrop { .. } => Emitter::Memory,
        I32Const { .. }
        | I64Const { .. }
        | F32Const { .. }
        | F64Const { .. }
        | I32Eqz
        | I32Eq
        | I32Ne
        | I32LtS
        | I32LtU
        | I32GtS
        | I32GtU
        | I32LeS
        | I32LeU
        | I32GeS
        | I32GeU
        | I64Eqz
        | I64Eq
        | I64Ne
        | I64LtS
        | I64LtU
        | I64GtS
        | I64GtU
        | I64LeS
        | I64LeU
        | I64GeS
        | I64GeU
        | F32Eq
        | F32Ne
        | F32Lt
        | F32Gt
        | F32Le
        | F32Ge
        | F64Eq
        | F64Ne
        | F64Lt
        | F64Gt
        | F64Le
        | F64Ge
        | I32Clz
        | I32Ctz
        | I32Popcnt
        | I32Add
        | I32Sub
        | I32Mul
        | I32DivS
        | I32DivU
        | I32RemS
        | I32RemU
        | I32And
        | I32Or
        | I32Xor
        | I32Shl
        | I32ShrS
        | I32ShrU
        | I32Rotl
        | I32Rotr
        | I64Clz
        | I64Ctz
        | I64Popcnt
        | I64Add
        | I64Sub
        | I64Mul
        | I64DivS
        | I64DivU
        | I64RemS
        | I64RemU
        | I64And
        | I64Or
        | I64Xor
        | I64Shl
        | I64ShrS
        | I64ShrU
        | I64Rotl
        | I64Rotr
        | F32Abs
        | F32Neg
        | F32Ceil
        | F32Floor
        | F32Trunc
        | F32Nearest
        | F32Sqrt
        | F32Add
        | F32Sub
        | F32Mul
        | F32Div
        | F32Min
        | F32Max
        | F32Copysign
        | F64Abs
        | F64Neg
        | F64Ceil
        | F64Floor
        | F64Trunc
        | F64Nearest
        | F64Sqrt
        | F64Add
        | F64Sub
        | F64Mul
        | F64Div
        | F64Min
        | F64Max
        | F64Copysign
        | I32WrapI64
        | I32TruncF32S
        | I32TruncF32U
        | I32TruncF64S
        | I32TruncF64U
        | I64ExtendI32S
        | I64ExtendI32U
        | I64TruncF32S
        | I64TruncF32U
        | I64TruncF64S
        | I64TruncF64U
        | F32ConvertI32S
        | F32ConvertI32U
        | F32ConvertI64S
        | F32ConvertI64U
        | F32DemoteF64
        | F64ConvertI32S
        | F64ConvertI32U
        | F64ConvertI64S
        | F64ConvertI64U
        | F64PromoteF32
        | I32ReinterpretF32
        | I64ReinterpretF64
        | F32ReinterpretI32
        | F64ReinterpretI64
        | I32Extend8S
        | I32Extend16S
        | I64Extend8S
        | I64Extend16S
        | I64Extend32S
        | I32TruncSatF32S
        | I32TruncSatF32U
        | I32TruncSatF64S
        | I32TruncSatF64U
        | I64TruncSatF32S
        | I64TruncSatF32U
        | I64TruncSatF64S
        | I64TruncSatF64U => Emitter::Numeric,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// Every operator the table lists, once, in reachable code.
    const ALL_OPERATORS: &str = include_str!("../../tests/all_operators.wat");

    macro_rules! define_variants {
        ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
            /// Every variant of wasmparser's `Operator`, by name.
            const VARIANTS: &[&str] = &[$( stringify!($op), )*];

            fn variant(op: &Operator<'_>) -> &'static str {
                match op {
                    $( Operator::$op { .. } => stringify!($op), )*
                    #[allow(unreachable_patterns)]
                    _ => "unknown",
                }
            }
        };
    }
    wasmparser::for_each_operator!(define_variants);

    /// The operators this file's table names (source words that are
    /// `Operator` variants).
    fn table_operators() -> BTreeSet<&'static str> {
        let source = include_str!("operators.rs");
        let table = &source[source.find("Some(match op {").unwrap()
            ..source.find("_ => return None,\n    })").unwrap()];
        table
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter_map(|word| VARIANTS.iter().copied().find(|v| *v == word))
            .collect()
    }

    #[test]
    fn the_module_uses_exactly_the_operators_of_the_table() {
        let wasm = wat::parse_str(ALL_OPERATORS).unwrap();
        let mut used = BTreeSet::new();
        for payload in wasmparser::Parser::new(0).parse_all(&wasm) {
            if let wasmparser::Payload::CodeSectionEntry(body) = payload.unwrap() {
                let mut reader = body.get_operators_reader().unwrap();
                while !reader.eof() {
                    let op = reader.read().unwrap();
                    assert!(emitter(&op).is_some(), "{op:?} is refused");
                    used.insert(variant(&op));
                }
            }
        }
        let table = table_operators();
        let unused: Vec<_> = table.difference(&used).collect();
        assert!(unused.is_empty(), "all_operators.wat misses {unused:?}");
        let unlisted: Vec<_> = used.difference(&table).collect();
        assert!(unlisted.is_empty(), "the table does not name {unlisted:?}");
        assert_eq!(used.len(), 190);
    }

    #[test]
    fn every_operator_of_the_table_is_translated_by_its_emitter() {
        // `FunctionEmitter::operator` panics when the emitter the table
        // names does not handle the operator.
        let wasm = wat::parse_str(ALL_OPERATORS).unwrap();
        let php = crate::translate(&wasm, &crate::Options::default()).unwrap();
        for export in ["control", "variable", "memory", "numeric"] {
            assert!(php.contains(&format!("function export_{export}(")));
        }
    }
}
