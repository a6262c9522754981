//! The state of translating one function, in parts with one concern each,
//! and what every operator group does with it: the value stack and its
//! temporaries.
//!
//! The operator groups (control, variable, memory, numeric) extend
//! [`FunctionEmitter`] from their own modules; they depend on this one,
//! never on each other or on the function driver.

use std::collections::BTreeSet;

use super::depth::CallDepth;
use super::facts::Facts;
use super::frames::ControlStack;
use super::operand::Operand;
use super::output::Output;
use super::runtime::Helper;
use crate::module::{Module, ValType};

/// Expressions nested deeper than this are written to a temporary, so that
/// PHP's compiler never recurses too deep.
const MAX_DEPTH: u32 = 24;

/// Module-level facts, and which function is being translated.
pub(super) struct Context<'m> {
    pub module: &'m Module<'m>,
    /// Which functions take the call depth.
    pub depth: &'m CallDepth,
    pub func: u32,
}

/// The function's locals: parameters first.
pub(super) struct Locals {
    pub types: Vec<ValType>,
    /// Locals some `local.get` reads (the others need no zeroing).
    pub read: BTreeSet<u32>,
}

/// Temporaries `$tN`: freed ones are reused, lowest first.
#[derive(Default)]
pub(super) struct Temps {
    free: BTreeSet<u32>,
    count: u32,
}

impl Temps {
    fn alloc(&mut self) -> u32 {
        if let Some(t) = self.free.pop_first() {
            t
        } else {
            self.count += 1;
            self.count - 1
        }
    }

    pub fn free(&mut self, temp: u32) {
        self.free.insert(temp);
    }

    /// Frees what a consumed operand owned.
    pub fn release(&mut self, operand: &Operand) {
        for t in &operand.owned {
            self.free.insert(*t);
        }
    }

    pub fn release_all(&mut self, operands: Vec<Operand>) {
        for operand in &operands {
            self.release(operand);
        }
    }
}

/// What the function needs from the rest of the class.
#[derive(Default)]
pub(super) struct Needs {
    /// `$m`, the reference to linear memory.
    pub uses_memory: bool,
    pub helpers: BTreeSet<Helper>,
    /// (table, canonical type) pairs used by `call_indirect`.
    pub indirect: BTreeSet<(u32, u32)>,
}

impl Needs {
    pub fn helper(&mut self, helper: Helper) -> &'static str {
        self.helpers.insert(helper);
        helper.name()
    }

    /// `throw self::trap('…');`
    pub fn trap_statement(&mut self, kind: &str) -> String {
        self.helpers.insert(Helper::Trap);
        format!("throw self::trap('{kind}');")
    }
}

pub(super) struct FunctionEmitter<'m> {
    pub ctx: Context<'m>,
    pub locals: Locals,
    /// The simulated value stack.
    pub stack: Vec<Operand>,
    pub temps: Temps,
    /// Bounds already checked (see [`super::facts`]).
    pub facts: Facts,
    pub flow: ControlStack,
    pub out: Output,
    pub needs: Needs,
}

impl FunctionEmitter<'_> {
    // ----- temporaries --------------------------------------------------

    pub fn alloc_temp(&mut self) -> u32 {
        let temp = self.temps.alloc();
        // A new value: what was known about the old one is void.
        self.facts.remove(&format!("$t{temp}"));
        temp
    }

    /// Turns the last line `$tN = EXPR;` into `VAR = EXPR;` when `operand`
    /// is that temporary and nothing was written since.
    pub fn retarget_last(&mut self, operand: &Operand, var: &str) -> bool {
        let Some(temp) = self.out.last_assigned_temp() else {
            return false;
        };
        if operand.owned != [temp] || operand.code != format!("$t{temp}") || operand.is_bool {
            return false;
        }
        self.out.retarget_last(var);
        self.temps.free(temp);
        true
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
        self.out.line(&format!("$t{temp} = {};", operand.code));
        self.temps.release(&operand);
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

    /// Runs a statement that computes a value into a fresh temporary, e.g.
    /// `$t3 = \unpack(…)[1];`, and pushes that temporary.
    pub fn assign_temp(&mut self, ty: ValType, code: &str, inputs: &[&Operand]) {
        let temp = self.alloc_temp();
        self.out.line(&format!("$t{temp} = {code};"));
        for input in inputs {
            self.temps.release(input);
        }
        self.stack.push(Operand::temp(temp, ty, false, true));
    }
}
