//! A value on the simulated stack: the PHP expression that computes it and
//! what is known about it (its type, constant value, what it reads, which
//! temporaries it holds).

use crate::module::{ValType, Value};

/// What a pending expression reads, to know when it must be materialized.
#[derive(Clone, Debug, Default)]
pub(super) struct Reads {
    pub locals: Vec<u32>,
    pub globals: Vec<u32>,
    pub memory_size: bool,
    /// Memory contents (a pending load, its bounds already checked).
    pub memory: bool,
}

impl Reads {
    fn merge(&mut self, other: &Reads) {
        for l in &other.locals {
            if !self.locals.contains(l) {
                self.locals.push(*l);
            }
        }
        for g in &other.globals {
            if !self.globals.contains(g) {
                self.globals.push(*g);
            }
        }
        self.memory_size |= other.memory_size;
        self.memory |= other.memory;
    }

    fn is_empty(&self) -> bool {
        self.locals.is_empty() && self.globals.is_empty() && !self.memory_size && !self.memory
    }
}

/// A value on the simulated stack: a PHP expression and its type.
#[derive(Clone, Debug)]
pub(super) struct Operand {
    pub code: String,
    pub ty: ValType,
    /// A PHP bool standing for an i32 0/1 (comparison results), turned into
    /// an int only where an int is needed.
    pub is_bool: bool,
    /// A variable or a literal: can be repeated in code without cost.
    pub atom: bool,
    /// The value when known: i32 as u32, i64 as its bits, floats as bits.
    pub constant: Option<u64>,
    pub reads: Reads,
    /// Temporaries this expression mentions.
    pub temps: Vec<u32>,
    /// Temporaries freed once this value is consumed.
    pub owned: Vec<u32>,
    pub depth: u32,
    /// An i32 before its final `& 0xFFFFFFFF`: equal to the value modulo
    /// 2^32 and below 2^bits in magnitude. Sums and masks consume it and
    /// save the intermediate masking.
    pub unmasked: Option<(String, u32)>,
    /// A pending plain load: where its bytes are (PHP code of the first
    /// byte's offset) and how many. A store of the same width copies the
    /// bytes instead of decoding and re-encoding the value.
    pub load: Option<(String, u64)>,
    /// A pending unsigned byte load as the 1-char string `$m[…]`: equality
    /// and truth tests compare the strings and spare the `ord()` call.
    pub byte: Option<String>,
}

impl Operand {
    pub fn constant(ty: ValType, bits: u64, code: String) -> Self {
        Operand {
            code,
            ty,
            is_bool: false,
            atom: true,
            constant: Some(bits),
            reads: Reads::default(),
            temps: vec![],
            owned: vec![],
            depth: 0,
            unmasked: None,
            load: None,
            byte: None,
        }
    }

    pub fn i32(value: u32) -> Self {
        Self::constant(ValType::I32, value as u64, value.to_string())
    }

    pub fn i64(value: i64) -> Self {
        Self::constant(ValType::I64, value as u64, crate::php::int(value))
    }

    pub fn f64_bits(bits: u64) -> Self {
        Self::constant(ValType::F64, bits, crate::php::float(bits))
    }

    pub fn f32_bits(bits: u32) -> Self {
        let widened = (f32::from_bits(bits) as f64).to_bits();
        // A NaN's payload is kept by the widening; its quiet bit is what
        // PHP would give anyway.
        let widened = if f32::from_bits(bits).is_nan() {
            f32_nan_as_f64(bits)
        } else {
            widened
        };
        Self::constant(ValType::F32, bits as u64, crate::php::float(widened))
    }

    /// A temporary (or other variable) holding a value.
    pub fn temp(temp: u32, ty: ValType, is_bool: bool, owned: bool) -> Self {
        Operand {
            code: format!("$t{temp}"),
            ty,
            is_bool,
            atom: true,
            constant: None,
            reads: Reads::default(),
            temps: vec![temp],
            owned: if owned { vec![temp] } else { vec![] },
            depth: 0,
            unmasked: None,
            load: None,
            byte: None,
        }
    }

    /// A local or global variable.
    pub fn variable(code: String, ty: ValType, reads: Reads) -> Self {
        Operand {
            code,
            ty,
            is_bool: false,
            atom: true,
            constant: None,
            reads,
            temps: vec![],
            owned: vec![],
            depth: 0,
            unmasked: None,
            load: None,
            byte: None,
        }
    }

    /// A constant as an operand (immutable globals are inlined).
    pub fn from_value(value: Value) -> Self {
        match value {
            Value::I32(v) => Self::i32(v),
            Value::I64(v) => Self::i64(v),
            Value::F32(bits) => Self::f32_bits(bits),
            Value::F64(bits) => Self::f64_bits(bits),
            Value::FuncRef(_) => Self::i32(0),
        }
    }

    /// An i32 operand as a PHP int expression (comparison results are bools).
    pub fn int_code(operand: &Operand) -> String {
        if operand.is_bool {
            format!("((int){})", operand.code)
        } else {
            operand.code.clone()
        }
    }

    /// A new pending expression built from consumed operands.
    pub fn compound(ty: ValType, code: String, inputs: &[&Operand]) -> Operand {
        let mut result = Operand {
            code,
            ty,
            is_bool: false,
            atom: false,
            constant: None,
            reads: Reads::default(),
            temps: vec![],
            owned: vec![],
            depth: 0,
            unmasked: None,
            load: None,
            byte: None,
        };
        for input in inputs {
            result.reads.merge(&input.reads);
            result.temps.extend(&input.temps);
            result.owned.extend(&input.owned);
            result.depth = result.depth.max(input.depth + 1);
        }
        result
    }

    /// A boolean (i32 0/1) pending expression.
    pub fn compound_bool(code: String, inputs: &[&Operand]) -> Operand {
        let mut result = Self::compound(ValType::I32, code, inputs);
        result.is_bool = true;
        result
    }

    /// PHP code true when this i32 is not zero (for `if`, `br_if`, `select`).
    pub fn truth(&self) -> String {
        match &self.byte {
            Some(byte) => format!("({byte} !== \"\\x00\")"),
            None => self.code.clone(),
        }
    }

    /// The i32 code for consumers that mask anyway, with its magnitude bound.
    pub fn unmasked_code(&self) -> (String, u32) {
        match &self.unmasked {
            Some(u) => u.clone(),
            None => (Self::int_code(self), 32),
        }
    }

    /// Literal or temporary: stays valid whatever runs next.
    pub fn is_stable(&self) -> bool {
        self.atom && self.reads.is_empty()
    }

    pub fn const_u32(&self) -> Option<u32> {
        self.constant.map(|c| c as u32)
    }

    pub fn const_i64(&self) -> Option<i64> {
        self.constant.map(|c| c as i64)
    }
}

/// The f64 whose conversion to f32 gives back this f32 NaN (as C's
/// float/double conversions move the payload).
fn f32_nan_as_f64(bits: u32) -> u64 {
    let sign = ((bits >> 31) as u64) << 63;
    let payload = ((bits & 0x007f_ffff) as u64) << 29;
    sign | 0x7ff0_0000_0000_0000 | payload
}
