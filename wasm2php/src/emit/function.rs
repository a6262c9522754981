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
//!
//! This module drives one function: the first pass (branch targets, every
//! instruction supported), the dispatch of each operator to its group
//! (`control`, `variable`, `memory`, `numeric`, which share the state in
//! `emitter`), and the method's head.

use std::collections::BTreeSet;

use wasmparser::{FunctionBody, Operator};

use super::control;
use super::depth::{CallDepth, DEPTH, MAX_CALL_DEPTH};
use super::emitter::{Context, FunctionEmitter, Locals, Needs, Temps};
use super::facts::Facts;
use super::frames::ControlStack;
use super::operators::{self, Emitter};
use super::output::Output;
use super::runtime::Helper;
use crate::module::{invalid, Module, ValType};
use crate::{opcode, Error};

/// The translated method and what it needs from the rest of the class.
pub(super) struct FunctionCode {
    pub code: String,
    pub helpers: BTreeSet<Helper>,
    /// (table, canonical type) pairs used by `call_indirect`.
    pub indirect: BTreeSet<(u32, u32)>,
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
                function: module.function_label(func),
            })
        }
    })?;
    module.check_type(module.func_types[func as usize])?;
    let ty = module.func_type(func);
    let mut locals = ty.params.clone();
    for entry in body.get_locals_reader().map_err(invalid)? {
        let (count, local_ty) = entry.map_err(invalid)?;
        locals.extend(std::iter::repeat_n(
            ValType::from_wasm(local_ty)?,
            count as usize,
        ));
    }

    let mut emitter = FunctionEmitter {
        ctx: Context {
            module,
            depth,
            func,
        },
        locals: Locals {
            types: locals,
            read: BTreeSet::new(),
        },
        stack: vec![],
        temps: Temps::default(),
        facts: Facts::new(),
        flow: ControlStack::new(ty.results.clone(), targeted),
        out: Output::new(),
        needs: Needs::default(),
    };
    let mut reader = body.get_operators_reader().map_err(invalid)?;
    while !reader.eof() {
        let op = reader.read().map_err(invalid)?;
        emitter.operator(&op)?;
    }
    Ok(emitter.finish())
}

impl FunctionEmitter<'_> {
    fn operator(&mut self, op: &Operator<'_>) -> Result<(), Error> {
        if !self.flow.reachable {
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
        let Context {
            module,
            depth,
            func,
        } = self.ctx;
        let ty = module.func_type(func);
        let mut params: Vec<String> = (0..ty.params.len()).map(|i| format!("$l{i}")).collect();
        if depth.takes(func) {
            params.push(DEPTH.into());
        }
        let name = module.function_label(func);
        let mut code = format!(
            "    /** {} */\n    private function f{}({})\n    {{\n",
            crate::php::comment_text(&name),
            func,
            params.join(", ")
        );
        if depth.checks(func) {
            self.needs.helpers.insert(Helper::Trap);
            code.push_str(&format!(
                "  if ({DEPTH} > {MAX_CALL_DEPTH}) {{ throw self::trap('call stack exhausted'); }}\n"
            ));
        }
        if self.needs.uses_memory {
            // A reference, so that byte writes change the property's string
            // in place instead of copying it.
            code.push_str("  $m = &$this->mem;\n");
        }
        // WASM zeroes locals; PHP needs those it reads defined first.
        let mut ints = vec![];
        let mut floats = vec![];
        for (i, ty) in self.locals.types.iter().enumerate().skip(ty.params.len()) {
            if self.locals.read.contains(&(i as u32)) {
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
        code.push_str(&self.out.body);
        code.push_str("    }\n");
        FunctionCode {
            code,
            helpers: self.needs.helpers,
            indirect: self.needs.indirect,
        }
    }
}
