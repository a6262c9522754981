//! Numeric instructions as PHP expressions.
//!
//! Representation (PHP ints are signed 64-bit; `+ - *` turn into floats on
//! overflow, which must never happen):
//! - i32: the unsigned value, 0 ..= 0xFFFFFFFF. Sums and differences of two
//!   such values cannot overflow, and are wrapped with one `& 0xFFFFFFFF`;
//!   unsigned compares and addresses need no conversion (the common case in
//!   compiled Rust). Signed views are `($x ^ 0x80000000) - 0x80000000`.
//! - i64: the PHP int itself (two's complement). `+ - *` take a fast path
//!   when PHP's result is still an int and a wrapping helper otherwise.
//! - f64: a PHP float. f32: a PHP float holding an exact f32 value, each
//!   result rounded through `pack('g')`; an f32 NaN is the f64 NaN with
//!   the same sign and payload (so a signalling one stays signalling).
//! - Comparison results stay PHP bools until an int is needed.

use wasmparser::Operator;

use super::emitter::FunctionEmitter;
use super::operand::Operand;
use super::runtime::Helper;
use crate::module::ValType;
use crate::Error;

const MASK32: &str = "0xFFFFFFFF";

/// `x` (an i32 as u32) seen as signed, as PHP code.
fn signed32(operand: &Operand, code: &str) -> String {
    match operand.const_u32() {
        Some(c) => crate::php::int(c as i32 as i64),
        None => format!("(({code} ^ 0x80000000) - 0x80000000)"),
    }
}

/// Rounds a PHP float to the nearest f32 value.
fn round_f32(code: &str) -> String {
    format!("\\unpack('g', \\pack('g', {code}))[1]")
}

impl FunctionEmitter<'_> {
    pub(super) fn numeric(&mut self, op: &Operator<'_>) -> Result<bool, Error> {
        use Operator::*;
        use ValType::*;
        match *op {
            I32Const { value } => self.push(Operand::i32(value as u32)),
            I64Const { value } => self.push(Operand::i64(value)),
            F32Const { value } => self.push(Operand::f32_bits(value.bits())),
            F64Const { value } => self.push(Operand::f64_bits(value.bits())),

            // ----- i32 -----
            I32Eqz | I64Eqz => {
                let a = self.pop();
                let result = if let Some(byte) = &a.byte {
                    Operand::compound_bool(format!("({byte} === \"\\x00\")"), &[&a])
                } else if a.is_bool {
                    Operand::compound_bool(format!("(!{})", a.code), &[&a])
                } else {
                    Operand::compound_bool(format!("({} == 0)", a.code), &[&a])
                };
                self.push(result);
            }
            I32Eq | I64Eq => self.compare("==", false),
            I32Ne | I64Ne => self.compare("!=", false),
            I32LtU => self.compare("<", false),
            I32GtU => self.compare(">", false),
            I32LeU => self.compare("<=", false),
            I32GeU => self.compare(">=", false),
            I32LtS | I64LtU => self.compare("<", true),
            I32GtS | I64GtU => self.compare(">", true),
            I32LeS | I64LeU => self.compare("<=", true),
            I32GeS | I64GeU => self.compare(">=", true),
            I64LtS => self.compare("<", false),
            I64GtS => self.compare(">", false),
            I64LeS => self.compare("<=", false),
            I64GeS => self.compare(">=", false),

            I32Clz => self.unary_helper(I32, Helper::Clz32),
            I32Ctz => self.unary_helper(I32, Helper::Ctz32),
            I32Popcnt => self.unary_helper(I32, Helper::Popcnt32),
            I32Add => self.i32_sum(true),
            I32Sub => self.i32_sum(false),
            I32Mul => self.i32_mul(),
            I32DivU | I32RemU | I32DivS | I32RemS => self.i32_division(op),
            I32And => self.i32_and(),
            I32Or => self.binary(I32, |a, b| format!("({a} | {b})"), |a, b| a | b),
            I32Xor => self.binary(I32, |a, b| format!("({a} ^ {b})"), |a, b| a ^ b),
            I32Shl | I32ShrU | I32ShrS | I32Rotl | I32Rotr => self.i32_shift(op),
            I32Extend8S => self.unary(I32, |a| format!("((({a} << 56) >> 56) & {MASK32})")),
            I32Extend16S => self.unary(I32, |a| format!("((({a} << 48) >> 48) & {MASK32})")),
            I32WrapI64 => self.unary(I32, |a| format!("({a} & {MASK32})")),

            // ----- i64 -----
            I64Clz => self.unary_helper(I64, Helper::Clz64),
            I64Ctz => self.unary_helper(I64, Helper::Ctz64),
            I64Popcnt => self.unary_helper(I64, Helper::Popcnt64),
            I64Add => self.i64_arith("+", Helper::Add64, |a, b| a.wrapping_add(b)),
            I64Sub => self.i64_arith("-", Helper::Sub64, |a, b| a.wrapping_sub(b)),
            I64Mul => self.i64_arith("*", Helper::Mul64, |a, b| a.wrapping_mul(b)),
            I64DivS | I64DivU | I64RemS | I64RemU => self.i64_division(op),
            I64And => self.binary(I64, |a, b| format!("({a} & {b})"), |a, b| a & b),
            I64Or => self.binary(I64, |a, b| format!("({a} | {b})"), |a, b| a | b),
            I64Xor => self.binary(I64, |a, b| format!("({a} ^ {b})"), |a, b| a ^ b),
            I64Shl | I64ShrU | I64ShrS | I64Rotl | I64Rotr => self.i64_shift(op),
            I64Extend8S => self.unary(I64, |a| format!("(({a} << 56) >> 56)")),
            I64Extend16S => self.unary(I64, |a| format!("(({a} << 48) >> 48)")),
            I64Extend32S | I64ExtendI32S => self.unary(I64, |a| format!("(({a} << 32) >> 32)")),
            I64ExtendI32U => {
                // The u32 is already the i64's value.
                let mut a = self.pop();
                if a.is_bool {
                    a.code = Operand::int_code(&a);
                    a.is_bool = false;
                    a.atom = false;
                }
                a.ty = I64;
                a.unmasked = None;
                self.push(a);
            }

            // ----- floats -----
            F32Eq | F64Eq => self.compare("==", false),
            F32Ne | F64Ne => self.compare("!=", false),
            F32Lt | F64Lt => self.compare("<", false),
            F32Gt | F64Gt => self.compare(">", false),
            F32Le | F64Le => self.compare("<=", false),
            F32Ge | F64Ge => self.compare(">=", false),
            F64Add => self.binary_float(F64, |a, b| format!("({a} + {b})")),
            F64Sub => self.binary_float(F64, |a, b| format!("({a} - {b})")),
            F64Mul => self.binary_float(F64, |a, b| format!("({a} * {b})")),
            F32Add => self.binary_float(F32, |a, b| round_f32(&format!("{a} + {b}"))),
            F32Sub => self.binary_float(F32, |a, b| round_f32(&format!("{a} - {b}"))),
            F32Mul => self.binary_float(F32, |a, b| round_f32(&format!("{a} * {b}"))),
            F64Div | F32Div => {
                let b = self.pop();
                let a = self.pop();
                // PHP throws on division by zero: only a non-zero constant
                // divisor may use `/` directly.
                let nonzero = b.constant.is_some_and(|bits| {
                    let v = if b.ty == F32 {
                        f32::from_bits(bits as u32) as f64
                    } else {
                        f64::from_bits(bits)
                    };
                    v != 0.0 && !v.is_nan()
                });
                let quotient = if nonzero {
                    format!("{} / {}", a.code, b.code)
                } else {
                    let helper = self.needs.helper(Helper::FloatDiv);
                    format!("self::{helper}({}, {})", a.code, b.code)
                };
                let code = if op == &F32Div {
                    round_f32(&quotient)
                } else {
                    format!("({quotient})")
                };
                self.push(Operand::compound(a.ty, code, &[&a, &b]));
            }
            F32Min | F64Min => self.binary_helper(Helper::FloatMin),
            F32Max | F64Max => self.binary_helper(Helper::FloatMax),
            F32Copysign | F64Copysign => self.binary_helper(Helper::Copysign),
            F32Abs | F64Abs => self.unary_float(|a| format!("\\abs({a})")),
            // `-$x` multiplies by -1, which keeps a NaN's sign: flip the bit.
            F32Neg | F64Neg => self.unary_float(|a| {
                format!("\\unpack('e', \\pack('e', {a}) ^ \"\\0\\0\\0\\0\\0\\0\\0\\x80\")[1]")
            }),
            F32Ceil | F64Ceil => self.unary_float(|a| format!("\\ceil({a})")),
            F32Floor | F64Floor => self.unary_float(|a| format!("\\floor({a})")),
            F32Trunc | F64Trunc => {
                let a = self.pop();
                let a = self.simple(a);
                let code = format!("({a} < 0 ? \\ceil({a}) : \\floor({a}))", a = a.code);
                self.push(Operand::compound(a.ty, code, &[&a]));
            }
            F32Nearest | F64Nearest => {
                let a = self.pop();
                let helper = self.needs.helper(Helper::Nearest);
                self.push(Operand::compound(
                    a.ty,
                    format!("self::{helper}({})", a.code),
                    &[&a],
                ));
            }
            F64Sqrt => self.unary_float(|a| format!("\\sqrt({a})")),
            F32Sqrt => self.unary_float(|a| round_f32(&format!("\\sqrt({a})"))),

            // ----- conversions -----
            F64ConvertI32S => self.unary(F64, |a| {
                format!("((float)(({a} ^ 0x80000000) - 0x80000000))")
            }),
            F64ConvertI32U | F64ConvertI64S => self.unary(F64, |a| format!("((float){a})")),
            F64ConvertI64U => {
                let a = self.pop();
                let a = self.simple(a);
                let helper = self.needs.helper(Helper::U64ToF64);
                let code = format!("({a} >= 0 ? (float){a} : self::{helper}({a}))", a = a.code);
                self.push(Operand::compound(F64, code, &[&a]));
            }
            F32ConvertI32S => self.unary(F32, |a| {
                round_f32(&format!("(float)(({a} ^ 0x80000000) - 0x80000000)"))
            }),
            F32ConvertI32U => self.unary(F32, |a| round_f32(&format!("(float){a}"))),
            F32ConvertI64S => self.unary_helper(F32, Helper::I64ToF32),
            F32ConvertI64U => self.unary_helper(F32, Helper::U64ToF32),
            F32DemoteF64 => self.unary(F32, round_f32),
            F64PromoteF32 => {
                let mut a = self.pop();
                a.ty = F64;
                a.constant = None;
                self.push(a);
            }
            // Through helpers: C's float/double casts behind pack('g') quiet
            // a signalling NaN, and these must keep every bit.
            I32ReinterpretF32 => self.unary_helper(I32, Helper::F32Bits),
            I64ReinterpretF64 => self.unary(I64, |a| format!("\\unpack('P', \\pack('e', {a}))[1]")),
            F32ReinterpretI32 => self.unary_helper(F32, Helper::F32FromBits),
            F64ReinterpretI64 => self.unary(F64, |a| format!("\\unpack('e', \\pack('P', {a}))[1]")),
            I32TruncF32S | I32TruncF64S => self.trapping_helper(I32, Helper::TruncI32S),
            I32TruncF32U | I32TruncF64U => self.trapping_helper(I32, Helper::TruncI32U),
            I64TruncF32S | I64TruncF64S => self.trapping_helper(I64, Helper::TruncI64S),
            I64TruncF32U | I64TruncF64U => self.trapping_helper(I64, Helper::TruncI64U),
            I32TruncSatF32S | I32TruncSatF64S => self.unary_helper(I32, Helper::SatI32S),
            I32TruncSatF32U | I32TruncSatF64U => self.unary_helper(I32, Helper::SatI32U),
            I64TruncSatF32S | I64TruncSatF64S => self.unary_helper(I64, Helper::SatI64S),
            I64TruncSatF32U | I64TruncSatF64U => self.unary_helper(I64, Helper::SatI64U),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// A comparison; `flip_sign` compares i32 as signed or i64 as unsigned
    /// by flipping the top bit of both sides.
    fn compare(&mut self, operator: &str, flip_sign: bool) {
        let b = self.pop();
        let a = self.pop();
        if let Some(code) =
            Self::byte_equality(operator, &a, &b).or_else(|| Self::byte_equality(operator, &b, &a))
        {
            self.push(Operand::compound_bool(code, &[&a, &b]));
            return;
        }
        let side = |o: &Operand| -> String {
            let code = Operand::int_code(o);
            if !flip_sign {
                return code;
            }
            match (o.ty, o.constant) {
                (ValType::I32, Some(c)) => ((c as u32) ^ 0x8000_0000).to_string(),
                (ValType::I32, None) => format!("({code} ^ 0x80000000)"),
                (_, Some(c)) => crate::php::int(c as i64 ^ i64::MIN),
                (_, None) => format!("({code} ^ \\PHP_INT_MIN)"),
            }
        };
        let code = format!("({} {operator} {})", side(&a), side(&b));
        self.push(Operand::compound_bool(code, &[&a, &b]));
    }

    /// `==`/`!=` of a byte load with another byte load or a constant below
    /// 256, as a comparison of 1-char strings.
    fn byte_equality(operator: &str, a: &Operand, b: &Operand) -> Option<String> {
        let identical = match operator {
            "==" => "===",
            "!=" => "!==",
            _ => return None,
        };
        let left = a.byte.as_ref()?;
        let right = match (&b.byte, b.constant) {
            (Some(byte), _) => byte.clone(),
            (None, Some(c)) if c < 256 => crate::php::bytes_literal(&[c as u8]),
            _ => return None,
        };
        Some(format!("({left} {identical} {right})"))
    }

    /// An integer operation on two ints, folded when both are constants.
    fn binary(
        &mut self,
        ty: ValType,
        php: impl Fn(&str, &str) -> String,
        fold: impl Fn(u64, u64) -> u64,
    ) {
        let b = self.pop();
        let a = self.pop();
        if let (Some(x), Some(y)) = (a.constant, b.constant) {
            let value = fold(x, y);
            self.push(match ty {
                ValType::I32 => Operand::i32(value as u32),
                _ => Operand::i64(value as i64),
            });
            return;
        }
        let code = php(&Operand::int_code(&a), &Operand::int_code(&b));
        self.push(Operand::compound(ty, code, &[&a, &b]));
    }

    fn binary_float(&mut self, ty: ValType, php: impl Fn(&str, &str) -> String) {
        let b = self.pop();
        let a = self.pop();
        let code = php(&a.code, &b.code);
        self.push(Operand::compound(ty, code, &[&a, &b]));
    }

    fn binary_helper(&mut self, helper: Helper) {
        let b = self.pop();
        let a = self.pop();
        let name = self.needs.helper(helper);
        let code = format!("self::{name}({}, {})", a.code, b.code);
        self.push(Operand::compound(a.ty, code, &[&a, &b]));
    }

    fn unary(&mut self, ty: ValType, php: impl Fn(&str) -> String) {
        let a = self.pop();
        let code = php(&Operand::int_code(&a));
        self.push(Operand::compound(ty, code, &[&a]));
    }

    fn unary_float(&mut self, php: impl Fn(&str) -> String) {
        let a = self.pop();
        let code = php(&a.code);
        self.push(Operand::compound(a.ty, code, &[&a]));
    }

    fn unary_helper(&mut self, ty: ValType, helper: Helper) {
        let a = self.pop();
        let name = self.needs.helper(helper);
        let code = format!("self::{name}({})", Operand::int_code(&a));
        self.push(Operand::compound(ty, code, &[&a]));
    }

    /// A helper that may trap: runs now, into a temporary.
    fn trapping_helper(&mut self, ty: ValType, helper: Helper) {
        let a = self.pop();
        let name = self.needs.helper(helper);
        let code = format!("self::{name}({})", a.code);
        self.assign_temp(ty, &code, &[&a]);
    }

    /// i32 `+`/`-`: the sum stays unmasked for the next sum, mask or
    /// store, which all only need it modulo 2^32.
    fn i32_sum(&mut self, add: bool) {
        let b = self.pop();
        let a = self.pop();
        if let (Some(x), Some(y)) = (a.const_u32(), b.const_u32()) {
            self.push(Operand::i32(if add {
                x.wrapping_add(y)
            } else {
                x.wrapping_sub(y)
            }));
            return;
        }
        let (ua, bits_a) = a.unmasked_code();
        let (ub, bits_b) = b.unmasked_code();
        let bits = bits_a.max(bits_b) + 1;
        let (ua, ub, bits) = if bits > 60 {
            (Operand::int_code(&a), Operand::int_code(&b), 33)
        } else {
            (ua, ub, bits)
        };
        // A constant above 2^31 reads better (and shorter) the other way.
        let sum = match b.const_u32() {
            Some(c) if c >= 0x8000_0000 => {
                let (op, c) = if add {
                    ("-", c.wrapping_neg())
                } else {
                    ("+", c.wrapping_neg())
                };
                format!("({ua} {op} {c})")
            }
            _ => format!("({ua} {} {ub})", if add { "+" } else { "-" }),
        };
        let mut result = Operand::compound(ValType::I32, format!("({sum} & {MASK32})"), &[&a, &b]);
        result.unmasked = Some((sum, bits));
        self.push(result);
    }

    /// i32 `&`: with a constant, the other side needs no masking first.
    fn i32_and(&mut self) {
        let b = self.pop();
        let a = self.pop();
        if let (Some(x), Some(y)) = (a.const_u32(), b.const_u32()) {
            self.push(Operand::i32(x & y));
            return;
        }
        let (a, b) = if a.constant.is_some() { (b, a) } else { (a, b) };
        let x = if b.constant.is_some() {
            a.unmasked_code().0
        } else {
            Operand::int_code(&a)
        };
        let code = format!("({x} & {})", Operand::int_code(&b));
        self.push(Operand::compound(ValType::I32, code, &[&a, &b]));
    }

    fn i32_mul(&mut self) {
        let b = self.pop();
        let a = self.pop();
        if let (Some(x), Some(y)) = (a.const_u32(), b.const_u32()) {
            self.push(Operand::i32(x.wrapping_mul(y)));
            return;
        }
        // u32 × signed i32 stays within ±2^63: no overflow to float.
        let (a, b) = if a.constant.is_some() { (b, a) } else { (a, b) };
        let code = format!(
            "(({} * {}) & {MASK32})",
            Operand::int_code(&a),
            signed32(&b, &Operand::int_code(&b))
        );
        self.push(Operand::compound(ValType::I32, code, &[&a, &b]));
    }

    fn i32_division(&mut self, op: &Operator<'_>) {
        let b = self.pop();
        let a = self.pop();
        let b = self.simple(b);
        let a = self.simple(a);
        let (x, y) = (Operand::int_code(&a), Operand::int_code(&b));
        if b.const_u32() != Some(0) && b.constant.is_some() {
            // Constant non-zero divisor: no check.
        } else {
            let trap = self.needs.trap_statement("integer divide by zero");
            self.out.line(&format!("if ({y} == 0) {trap}"));
        }
        let code = match *op {
            Operator::I32DivU => match b.const_u32() {
                Some(c) if c.is_power_of_two() => format!("({x} >> {})", c.trailing_zeros()),
                _ => format!("\\intdiv({x}, {y})"),
            },
            Operator::I32RemU => match b.const_u32() {
                Some(c) if c.is_power_of_two() => format!("({x} & {})", c - 1),
                _ => format!("({x} % {y})"),
            },
            Operator::I32DivS => {
                if b.const_u32().is_none_or(|c| c == u32::MAX)
                    && a.const_u32().is_none_or(|c| c == 0x8000_0000)
                {
                    let trap = self.needs.trap_statement("integer overflow");
                    self.out.line(&format!(
                        "if ({x} == 0x80000000 && {y} == 0xFFFFFFFF) {trap}"
                    ));
                }
                format!(
                    "(\\intdiv({}, {}) & {MASK32})",
                    signed32(&a, &x),
                    signed32(&b, &y)
                )
            }
            // PHP's `%` gives 0 for a divisor of -1, like WASM.
            _ => format!("(({} % {}) & {MASK32})", signed32(&a, &x), signed32(&b, &y)),
        };
        self.push(Operand::compound(ValType::I32, code, &[&a, &b]));
    }

    /// i32 shifts and rotations; the count is taken modulo 32.
    fn i32_shift(&mut self, op: &Operator<'_>) {
        let b = self.pop();
        let a = self.pop();
        if let (Some(x), Some(y)) = (a.const_u32(), b.const_u32()) {
            let value = match *op {
                Operator::I32Shl => x.wrapping_shl(y),
                Operator::I32ShrU => x.wrapping_shr(y),
                Operator::I32ShrS => (x as i32).wrapping_shr(y) as u32,
                Operator::I32Rotl => x.rotate_left(y),
                _ => x.rotate_right(y),
            };
            self.push(Operand::i32(value));
            return;
        }
        let x = Operand::int_code(&a);
        if let Some(count) = b.const_u32() {
            let k = count & 31;
            let code = match *op {
                _ if k == 0 => {
                    self.push(a);
                    return;
                }
                Operator::I32Shl => {
                    let (u, bits) = a.unmasked_code();
                    let shifted = format!("({u} << {k})");
                    let mut result =
                        Operand::compound(ValType::I32, format!("({shifted} & {MASK32})"), &[&a]);
                    if bits + k <= 60 {
                        result.unmasked = Some((shifted, bits + k));
                    }
                    self.push(result);
                    return;
                }
                Operator::I32ShrU => format!("({x} >> {k})"),
                Operator::I32ShrS => format!("((({x} << 32) >> {}) & {MASK32})", 32 + k),
                Operator::I32Rotl | Operator::I32Rotr => {
                    let k = if *op == Operator::I32Rotl { k } else { 32 - k };
                    let a = self.simple(a);
                    let x = Operand::int_code(&a);
                    let code = format!("((({x} << {k}) & {MASK32}) | ({x} >> {}))", 32 - k);
                    self.push(Operand::compound(ValType::I32, code, &[&a]));
                    return;
                }
                _ => unreachable!(),
            };
            self.push(Operand::compound(ValType::I32, code, &[&a]));
            return;
        }
        let (a, b) = match *op {
            Operator::I32Rotl | Operator::I32Rotr => {
                let a = self.simple(a);
                let b = self.simple(b);
                (a, b)
            }
            _ => (a, b),
        };
        let x = Operand::int_code(&a);
        let k = format!("({} & 31)", Operand::int_code(&b));
        let code = match *op {
            Operator::I32Shl => format!("(({x} << {k}) & {MASK32})"),
            Operator::I32ShrU => format!("({x} >> {k})"),
            Operator::I32ShrS => format!("((({x} << 32) >> (32 + {k})) & {MASK32})"),
            // A count of 0 shifts the other half by 32, which gives 0.
            Operator::I32Rotl => format!("((({x} << {k}) & {MASK32}) | ({x} >> (32 - {k})))"),
            _ => format!("(({x} >> {k}) | (({x} << (32 - {k})) & {MASK32}))"),
        };
        self.push(Operand::compound(ValType::I32, code, &[&a, &b]));
    }

    /// i64 `+ - *`: PHP's result when it is still an int, else the helper
    /// that wraps (PHP gives a float on overflow).
    fn i64_arith(&mut self, operator: &str, slow: Helper, fold: impl Fn(i64, i64) -> i64) {
        let b = self.pop();
        let a = self.pop();
        if let (Some(x), Some(y)) = (a.const_i64(), b.const_i64()) {
            self.push(Operand::i64(fold(x, y)));
            return;
        }
        let a = self.simple(a);
        let b = self.simple(b);
        let helper = self.needs.helper(slow);
        let scratch = self.alloc_temp();
        let code = format!(
            "(\\is_int($t{scratch} = {x} {operator} {y}) ? $t{scratch} : self::{helper}({x}, {y}))",
            x = a.code,
            y = b.code
        );
        let mut result = Operand::compound(ValType::I64, code, &[&a, &b]);
        result.temps.push(scratch);
        result.owned.push(scratch);
        self.push(result);
    }

    fn i64_division(&mut self, op: &Operator<'_>) {
        let b = self.pop();
        let a = self.pop();
        let b = self.simple(b);
        let a = self.simple(a);
        let (x, y) = (a.code.clone(), b.code.clone());
        if b.const_i64().is_none_or(|c| c == 0) {
            let trap = self.needs.trap_statement("integer divide by zero");
            self.out.line(&format!("if ({y} == 0) {trap}"));
        }
        let code = match *op {
            Operator::I64DivS => {
                if b.const_i64().is_none_or(|c| c == -1)
                    && a.const_i64().is_none_or(|c| c == i64::MIN)
                {
                    let trap = self.needs.trap_statement("integer overflow");
                    self.out
                        .line(&format!("if ({x} == \\PHP_INT_MIN && {y} == -1) {trap}"));
                }
                format!("\\intdiv({x}, {y})")
            }
            Operator::I64RemS => format!("({x} % {y})"),
            Operator::I64DivU => {
                let helper = self.needs.helper(Helper::DivU64);
                format!("self::{helper}({x}, {y})")
            }
            _ => {
                let helper = self.needs.helper(Helper::RemU64);
                format!("self::{helper}({x}, {y})")
            }
        };
        self.push(Operand::compound(ValType::I64, code, &[&a, &b]));
    }

    /// i64 shifts and rotations; the count is taken modulo 64.
    fn i64_shift(&mut self, op: &Operator<'_>) {
        let b = self.pop();
        let a = self.pop();
        if let (Some(x), Some(y)) = (a.const_i64(), b.const_i64()) {
            let y = y as u32;
            let value = match *op {
                Operator::I64Shl => x.wrapping_shl(y),
                Operator::I64ShrU => (x as u64).wrapping_shr(y) as i64,
                Operator::I64ShrS => x.wrapping_shr(y),
                Operator::I64Rotl => x.rotate_left(y),
                _ => x.rotate_right(y),
            };
            self.push(Operand::i64(value));
            return;
        }
        let x = a.code.clone();
        if let Some(count) = b.const_i64() {
            let k = (count & 63) as u32;
            if k == 0 {
                self.push(a);
                return;
            }
            // `>>` is arithmetic in PHP: a logical shift masks the sign copies.
            let logical = |x: &str, k: u32| {
                format!(
                    "(({x} >> {k}) & {})",
                    crate::php::int((u64::MAX >> k) as i64)
                )
            };
            let code = match *op {
                Operator::I64Shl => format!("({x} << {k})"),
                Operator::I64ShrS => format!("({x} >> {k})"),
                Operator::I64ShrU => logical(&x, k),
                _ => {
                    let k = if *op == Operator::I64Rotl { k } else { 64 - k };
                    let a = self.simple(a);
                    let code = format!("(({x} << {k}) | {})", logical(&a.code, 64 - k), x = a.code);
                    self.push(Operand::compound(ValType::I64, code, &[&a]));
                    return;
                }
            };
            self.push(Operand::compound(ValType::I64, code, &[&a]));
            return;
        }
        let y = b.code.clone();
        let code = match *op {
            Operator::I64Shl => format!("({x} << ({y} & 63))"),
            Operator::I64ShrS => format!("({x} >> ({y} & 63))"),
            _ => {
                let helper = self.needs.helper(match *op {
                    Operator::I64ShrU => Helper::ShrU64,
                    Operator::I64Rotl => Helper::Rotl64,
                    _ => Helper::Rotr64,
                });
                format!("self::{helper}({x}, {y})")
            }
        };
        self.push(Operand::compound(ValType::I64, code, &[&a, &b]));
    }
}
