//! One WASM function → one PHP method.
//!
//! The value stack is simulated at translation time. Pure values (locals,
//! constants, arithmetic on them) stay pending as PHP expression trees and
//! are folded into the instruction that consumes them, so `a + b * c` costs
//! one PHP statement, not three. Anything that can trap or has an effect
//! (loads, stores, calls, division, …) is emitted at its place, its result
//! kept in a temporary `$tN`. A pending value is written to a temporary
//! ("materialized") before anything changes what it reads: a local it
//! reads is set, a global it reads may change, or control flow splits.

use std::collections::BTreeSet;

use wasmparser::{FunctionBody, Operator};

use super::control::{self, Frame};
use super::depth::{CallDepth, DEPTH, MAX_CALL_DEPTH};
use super::operators::{self, Emitter};
use super::runtime::Helper;
use crate::module::{Module, ValType};
use crate::{opcode, Error};

/// Expressions nested deeper than this are written to a temporary, so that
/// PHP's compiler never recurses too deep.
const MAX_DEPTH: u32 = 24;

/// Deepest indentation written, in spaces.
const MAX_INDENT: usize = 8;

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
            None => (FunctionEmitter::int_code(self), 32),
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

/// The translated method and what it needs from the rest of the class.
pub(super) struct FunctionCode {
    pub code: String,
    pub helpers: BTreeSet<Helper>,
    /// (table, canonical type) pairs used by `call_indirect`.
    pub indirect: BTreeSet<(u32, u32)>,
}

pub(super) struct FunctionEmitter<'m> {
    pub module: &'m Module<'m>,
    /// Which functions take the call depth.
    depth: &'m CallDepth,
    pub func: u32,
    pub locals: Vec<ValType>,
    body: String,
    indent: usize,
    pub stack: Vec<Operand>,
    pub frames: Vec<Frame>,
    free_temps: BTreeSet<u32>,
    temp_count: u32,
    pub reachable: bool,
    /// Blocks opened inside dead code, to find the `end` that matters.
    pub dead_depth: u32,
    /// Per block/loop/if in order: whether some branch targets it.
    pub targeted: Vec<bool>,
    pub next_block: usize,
    pub uses_memory: bool,
    pub helpers: BTreeSet<Helper>,
    pub indirect: BTreeSet<(u32, u32)>,
    /// PHP `switch` levels open around the code being written (br_table).
    pub switch_levels: u32,
    /// Bounds already checked: for a variable, the largest
    /// `offset + width` proven in bounds for its current value. Memory
    /// never shrinks, so a fact holds until the variable changes or
    /// control flow joins paths that did not establish it.
    pub facts: Facts,
    /// The last line written, when it is `$tN = …;`, with N and where the
    /// line starts: a `local.set` of `$tN` right after can retarget it.
    last_assignment: Option<(u32, usize)>,
    /// Locals some `local.get` reads (the others need no zeroing).
    locals_read: BTreeSet<u32>,
}

/// Bounds facts: variable code → checked extent (`""` for constant
/// addresses).
pub(super) type Facts = std::collections::BTreeMap<String, u64>;

/// Facts that hold on every path: the smaller extent of each variable
/// known on both.
pub(super) fn intersect(a: &Facts, b: &Facts) -> Facts {
    a.iter()
        .filter_map(|(k, v)| b.get(k).map(|w| (k.clone(), (*v).min(*w))))
        .collect()
}

pub(super) fn translate<'m>(
    module: &'m Module<'m>,
    depth: &'m CallDepth,
    func: u32,
) -> Result<FunctionCode, Error> {
    let body: &FunctionBody<'_> = &module.bodies[func as usize];
    // First pass: branch targets, and every instruction is one we support.
    let targeted = control::branch_targets(body, |op| {
        if operators::emitter(op).is_some() {
            Ok(())
        } else {
            Err(Error::UnsupportedInstruction {
                opcode: opcode::name(op),
                function: super::function_label(module, func),
            })
        }
    })?;
    module.check_type(module.func_types[func as usize])?;
    let ty = module.func_type(func);
    let mut locals = ty.params.clone();
    for entry in body.get_locals_reader().map_err(invalid)? {
        let (count, local_ty) = entry.map_err(invalid)?;
        let local_ty = match local_ty {
            wasmparser::ValType::I32 => ValType::I32,
            wasmparser::ValType::I64 => ValType::I64,
            wasmparser::ValType::F32 => ValType::F32,
            wasmparser::ValType::F64 => ValType::F64,
            other => return Err(Error::Unsupported(format!("value type `{other}`"))),
        };
        locals.extend(std::iter::repeat_n(local_ty, count as usize));
    }

    let mut emitter = FunctionEmitter {
        module,
        depth,
        func,
        locals,
        body: String::new(),
        indent: 2,
        stack: vec![],
        frames: vec![Frame::function(ty.results.clone())],
        free_temps: BTreeSet::new(),
        temp_count: 0,
        reachable: true,
        dead_depth: 0,
        targeted,
        next_block: 0,
        uses_memory: false,
        helpers: BTreeSet::new(),
        indirect: BTreeSet::new(),
        switch_levels: 0,
        facts: Facts::new(),
        last_assignment: None,
        locals_read: BTreeSet::new(),
    };
    let mut reader = body.get_operators_reader().map_err(invalid)?;
    while !reader.eof() {
        let op = reader.read().map_err(invalid)?;
        emitter.operator(&op)?;
    }
    Ok(emitter.finish())
}

pub(super) fn invalid(e: wasmparser::BinaryReaderError) -> Error {
    Error::Invalid(e.to_string())
}

impl<'m> FunctionEmitter<'m> {
    fn operator(&mut self, op: &Operator<'_>) -> Result<(), Error> {
        if !self.reachable {
            return self.dead_code(op);
        }
        // The first pass refused what the table does not list.
        let emitter = operators::emitter(op).expect("a supported operator");
        let handled = match emitter {
            Emitter::Control => self.control(op)?,
            Emitter::Variable => self.variable(op)?,
            Emitter::Memory => self.memory(op)?,
            Emitter::Numeric => self.numeric(op)?,
        };
        assert!(
            handled,
            "the operator table sends {op:?} to the {emitter:?} emitter, which does not handle it"
        );
        Ok(())
    }

    fn finish(mut self) -> FunctionCode {
        let ty = self.module.func_type(self.func);
        let mut params: Vec<String> = (0..ty.params.len()).map(|i| format!("$l{i}")).collect();
        if self.depth.takes(self.func) {
            params.push(DEPTH.into());
        }
        let name = super::function_label(self.module, self.func);
        let mut code = format!(
            "    /** {} */\n    private function f{}({})\n    {{\n",
            crate::php::comment_text(&name),
            self.func,
            params.join(", ")
        );
        if self.depth.checks(self.func) {
            self.helpers.insert(Helper::Trap);
            code.push_str(&format!(
                "  if ({DEPTH} > {MAX_CALL_DEPTH}) {{ throw self::trap('call stack exhausted'); }}\n"
            ));
        }
        if self.uses_memory {
            // A reference, so that byte writes change the property's string
            // in place instead of copying it.
            code.push_str("  $m = &$this->mem;\n");
        }
        // WASM zeroes locals; PHP needs those it reads defined first.
        let mut ints = vec![];
        let mut floats = vec![];
        for (i, ty) in self.locals.iter().enumerate().skip(ty.params.len()) {
            if self.locals_read.contains(&(i as u32)) {
                match ty {
                    ValType::I32 | ValType::I64 => ints.push(format!("$l{i}")),
                    ValType::F32 | ValType::F64 => floats.push(format!("$l{i}")),
                }
            }
        }
        for (vars, zero) in [(ints, "0"), (floats, "0.0")] {
            for chunk in vars.chunks(16) {
                code.push_str(&format!("  {} = {zero};\n", chunk.join(" = ")));
            }
        }
        code.push_str(&self.body);
        code.push_str("    }\n");
        FunctionCode {
            code,
            helpers: self.helpers,
            indirect: self.indirect,
        }
    }

    // ----- output -------------------------------------------------------

    /// Writes a statement, one space of indentation per level up to
    /// [`MAX_INDENT`]: compiled Rust nests twenty blocks deep, and the file
    /// is parsed on every cold start, so indentation costs load time.
    pub fn line(&mut self, text: &str) {
        let indent = self.indent.min(MAX_INDENT);
        let start = self.body.len() + indent;
        for _ in 0..indent {
            self.body.push(' ');
        }
        self.body.push_str(text);
        self.body.push('\n');
        self.last_assignment = None;
        // Only a line that is one statement `$tN = …;` can be retargeted.
        if let Some(rest) = text.strip_prefix("$t").filter(|_| !text.contains("; ")) {
            if let Some((number, _)) = rest.split_once(" = ") {
                if let Ok(temp) = number.parse() {
                    self.last_assignment = Some((temp, start));
                }
            }
        }
    }

    /// Turns the last line `$tN = EXPR;` into `VAR = EXPR;` when `operand`
    /// is that temporary and nothing was written since.
    pub fn retarget_last(&mut self, operand: &Operand, var: &str) -> bool {
        let Some((temp, at)) = self.last_assignment else {
            return false;
        };
        if operand.owned != [temp] || operand.code != format!("$t{temp}") || operand.is_bool {
            return false;
        }
        let old = format!("$t{temp}");
        self.body.replace_range(at..at + old.len(), var);
        self.last_assignment = None;
        self.free_temp(temp);
        true
    }

    pub fn open(&mut self, text: &str) {
        self.line(text);
        self.indent += 1;
    }

    pub fn close(&mut self, text: &str) {
        self.indent -= 1;
        self.line(text);
    }

    pub fn open_level(&mut self) {
        self.indent += 1;
    }

    pub fn close_level(&mut self) {
        self.indent -= 1;
    }

    pub fn helper(&mut self, helper: Helper) -> &'static str {
        self.helpers.insert(helper);
        helper.name()
    }

    /// `throw self::trap('…');`
    pub fn trap_statement(&mut self, kind: &str) -> String {
        self.helpers.insert(Helper::Trap);
        format!("throw self::trap('{kind}');")
    }

    // ----- temporaries --------------------------------------------------

    pub fn alloc_temp(&mut self) -> u32 {
        let temp = if let Some(t) = self.free_temps.pop_first() {
            t
        } else {
            self.temp_count += 1;
            self.temp_count - 1
        };
        // A new value: what was known about the old one is void.
        self.facts.remove(&format!("$t{temp}"));
        temp
    }

    pub fn free_temp(&mut self, temp: u32) {
        self.free_temps.insert(temp);
    }

    /// Frees what a consumed operand owned.
    pub fn release(&mut self, operand: &Operand) {
        for t in &operand.owned {
            self.free_temps.insert(*t);
        }
    }

    // ----- the stack ----------------------------------------------------

    pub fn push(&mut self, operand: Operand) {
        let operand = if operand.depth > MAX_DEPTH {
            self.materialize(operand)
        } else {
            operand
        };
        self.stack.push(operand);
    }

    pub fn pop(&mut self) -> Operand {
        self.stack.pop().expect("validated module: stack underflow")
    }

    /// The top `n` operands, bottom first.
    pub fn pop_n(&mut self, n: usize) -> Vec<Operand> {
        let at = self.stack.len() - n;
        self.stack.split_off(at)
    }

    /// Writes a pending expression into a fresh temporary.
    pub fn materialize(&mut self, operand: Operand) -> Operand {
        if operand.is_stable() {
            return operand;
        }
        let temp = self.alloc_temp();
        self.line(&format!("$t{temp} = {};", operand.code));
        self.release(&operand);
        Operand::temp(temp, operand.ty, operand.is_bool, true)
    }

    /// An operand that can be written twice in one expression.
    pub fn simple(&mut self, operand: Operand) -> Operand {
        if operand.atom {
            operand
        } else {
            self.materialize(operand)
        }
    }

    /// Materializes every pending operand for which `pred` holds.
    pub fn flush(&mut self, pred: impl Fn(&Operand) -> bool) {
        for i in 0..self.stack.len() {
            if !self.stack[i].is_stable() && pred(&self.stack[i]) {
                let operand = self.stack[i].clone();
                self.stack[i] = self.materialize(operand);
            }
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

    /// Runs a statement that computes a value into a fresh temporary, e.g.
    /// `$t3 = \unpack(…)[1];`, and pushes that temporary.
    pub fn assign_temp(&mut self, ty: ValType, code: &str, inputs: &[&Operand]) {
        let temp = self.alloc_temp();
        self.line(&format!("$t{temp} = {code};"));
        for input in inputs {
            self.release(input);
        }
        self.stack.push(Operand::temp(temp, ty, false, true));
    }

    // ----- locals, globals, calls, select, drop -------------------------

    fn variable(&mut self, op: &Operator<'_>) -> Result<bool, Error> {
        match *op {
            Operator::Nop => {}
            Operator::Drop => {
                let value = self.pop();
                self.release(&value);
            }
            Operator::Select | Operator::TypedSelect { .. } => {
                let cond = self.pop();
                let b = self.pop();
                let a = self.pop();
                let (a_code, b_code, is_bool) = if a.is_bool && b.is_bool {
                    (a.code.clone(), b.code.clone(), true)
                } else {
                    (Self::int_code(&a), Self::int_code(&b), false)
                };
                let mut result = Self::compound(
                    a.ty,
                    format!("({} ? {a_code} : {b_code})", cond.truth()),
                    &[&cond, &a, &b],
                );
                result.is_bool = is_bool;
                self.push(result);
            }
            Operator::LocalGet { local_index } => {
                self.locals_read.insert(local_index);
                let reads = Reads {
                    locals: vec![local_index],
                    ..Reads::default()
                };
                let ty = self.locals[local_index as usize];
                self.push(Operand::variable(format!("$l{local_index}"), ty, reads));
            }
            Operator::LocalSet { local_index } | Operator::LocalTee { local_index } => {
                let value = self.pop();
                let var = format!("$l{local_index}");
                self.flush(|o| o.reads.locals.contains(&local_index));
                self.facts.remove(&var);
                if value.code != var && !self.retarget_last(&value, &var) {
                    self.line(&format!("{var} = {};", Self::int_code(&value)));
                    self.release(&value);
                }
                if let Operator::LocalTee { .. } = op {
                    let reads = Reads {
                        locals: vec![local_index],
                        ..Reads::default()
                    };
                    self.stack.push(Operand::variable(var, value.ty, reads));
                }
            }
            Operator::GlobalGet { global_index } => {
                let global = &self.module.globals[global_index as usize];
                if global.mutable {
                    let reads = Reads {
                        globals: vec![global_index],
                        ..Reads::default()
                    };
                    self.push(Operand::variable(
                        format!("$this->g{global_index}"),
                        global.ty,
                        reads,
                    ));
                } else {
                    self.push(super::constant_operand(global.init));
                }
            }
            Operator::GlobalSet { global_index } => {
                let value = self.pop();
                self.flush(|o| o.reads.globals.contains(&global_index));
                self.line(&format!(
                    "$this->g{global_index} = {};",
                    Self::int_code(&value)
                ));
                self.release(&value);
            }
            Operator::Call { function_index } => {
                self.module
                    .check_type(self.module.func_types[function_index as usize])?;
                let ty = self.module.func_type(function_index).clone();
                let args = self.pop_n(ty.params.len());
                let with_depth = self.depth.takes(function_index);
                let call = format!(
                    "$this->f{function_index}({})",
                    Self::arg_list(&args, with_depth)
                );
                self.call(&call, &args, &ty.results);
            }
            Operator::CallIndirect {
                type_index,
                table_index,
            } => {
                self.module.check_type(type_index)?;
                let sig = self.module.canonical_type(type_index);
                let ty = self.module.types[type_index as usize].clone();
                let index = self.pop();
                let args = self.pop_n(ty.params.len());
                self.indirect.insert((table_index, sig));
                let with_depth = self
                    .depth
                    .indirect_takes(self.module, table_index, type_index);
                self.helpers.insert(Helper::BadCall);
                // The table for this signature holds only matching entries:
                // one lookup checks bounds, null and type together; the
                // helper sorts out which trap it is.
                let call = format!(
                    "$this->{{self::T{table_index}_{sig}[{i}] ?? self::badCall({table_index}, {i})}}({})",
                    Self::arg_list(&args, with_depth),
                    i = Self::int_code(&index),
                );
                let mut inputs = args;
                inputs.push(index);
                self.call(&call, &inputs, &ty.results);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The arguments of a call, then the callee's call depth if it takes it.
    fn arg_list(args: &[Operand], with_depth: bool) -> String {
        args.iter()
            .map(Self::int_code)
            .chain(with_depth.then(|| format!("{DEPTH} + 1")))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Emits a call statement; the callee may change globals and memory.
    fn call(&mut self, call: &str, inputs: &[Operand], results: &[ValType]) {
        self.flush(|o| !o.reads.globals.is_empty() || o.reads.memory_size || o.reads.memory);
        match results.len() {
            0 => {
                self.line(&format!("{call};"));
                for input in inputs {
                    self.release(input);
                }
            }
            1 => {
                let refs: Vec<&Operand> = inputs.iter().collect();
                self.assign_temp(results[0], call, &refs);
            }
            _ => {
                let temps: Vec<u32> = results.iter().map(|_| self.alloc_temp()).collect();
                let list: Vec<String> = temps.iter().map(|t| format!("$t{t}")).collect();
                self.line(&format!("[{}] = {call};", list.join(", ")));
                for input in inputs {
                    self.release(input);
                }
                for (t, ty) in temps.into_iter().zip(results) {
                    self.stack.push(Operand::temp(t, *ty, false, true));
                }
            }
        }
    }
}
