//! Locals, globals, calls, `select`, `drop` and `nop`.

use wasmparser::Operator;

use super::depth::DEPTH;
use super::emitter::FunctionEmitter;
use super::operand::{Operand, Reads};
use super::runtime::Helper;
use crate::module::ValType;
use crate::Error;

impl FunctionEmitter<'_> {
    pub(super) fn variable(&mut self, op: &Operator<'_>) -> Result<bool, Error> {
        match *op {
            Operator::Nop => {}
            Operator::Drop => {
                let value = self.pop();
                self.temps.release(&value);
            }
            Operator::Select | Operator::TypedSelect { .. } => {
                let cond = self.pop();
                let b = self.pop();
                let a = self.pop();
                let (a_code, b_code, is_bool) = if a.is_bool && b.is_bool {
                    (a.code.clone(), b.code.clone(), true)
                } else {
                    (Operand::int_code(&a), Operand::int_code(&b), false)
                };
                let mut result = Operand::compound(
                    a.ty,
                    format!("({} ? {a_code} : {b_code})", cond.truth()),
                    &[&cond, &a, &b],
                );
                result.is_bool = is_bool;
                self.push(result);
            }
            Operator::LocalGet { local_index } => {
                self.locals.read.insert(local_index);
                let reads = Reads {
                    locals: vec![local_index],
                    ..Reads::default()
                };
                let ty = self.locals.types[local_index as usize];
                self.push(Operand::variable(format!("$l{local_index}"), ty, reads));
            }
            Operator::LocalSet { local_index } | Operator::LocalTee { local_index } => {
                let value = self.pop();
                let var = format!("$l{local_index}");
                self.flush(|o| o.reads.locals.contains(&local_index));
                self.facts.remove(&var);
                if value.code != var && !self.retarget_last(&value, &var) {
                    self.out
                        .line(&format!("{var} = {};", Operand::int_code(&value)));
                    self.temps.release(&value);
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
                let global = &self.ctx.module.globals[global_index as usize];
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
                    self.push(Operand::from_value(global.init));
                }
            }
            Operator::GlobalSet { global_index } => {
                let value = self.pop();
                self.flush(|o| o.reads.globals.contains(&global_index));
                self.out.line(&format!(
                    "$this->g{global_index} = {};",
                    Operand::int_code(&value)
                ));
                self.temps.release(&value);
            }
            Operator::Call { function_index } => {
                self.ctx
                    .module
                    .check_type(self.ctx.module.func_types[function_index as usize])?;
                let ty = self.ctx.module.func_type(function_index).clone();
                let args = self.pop_n(ty.params.len());
                let with_depth = self.ctx.depth.takes(function_index);
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
                self.ctx.module.check_type(type_index)?;
                let sig = self.ctx.module.canonical_type(type_index);
                let ty = self.ctx.module.types[type_index as usize].clone();
                let index = self.pop();
                let args = self.pop_n(ty.params.len());
                self.needs.indirect.insert((table_index, sig));
                let with_depth =
                    self.ctx
                        .depth
                        .indirect_takes(self.ctx.module, table_index, type_index);
                self.needs.helpers.insert(Helper::BadCall);
                // The table for this signature holds only matching entries:
                // one lookup checks bounds, null and type together; the
                // helper sorts out which trap it is.
                let call = format!(
                    "$this->{{self::T{table_index}_{sig}[{i}] ?? self::badCall({table_index}, {i})}}({})",
                    Self::arg_list(&args, with_depth),
                    i = Operand::int_code(&index),
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
            .map(Operand::int_code)
            .chain(with_depth.then(|| format!("{DEPTH} + 1")))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Emits a call statement; the callee may change globals and memory.
    fn call(&mut self, call: &str, inputs: &[Operand], results: &[ValType]) {
        self.flush(|o| !o.reads.globals.is_empty() || o.reads.memory_size || o.reads.memory);
        match results.len() {
            0 => {
                self.out.line(&format!("{call};"));
                for input in inputs {
                    self.temps.release(input);
                }
            }
            1 => {
                let refs: Vec<&Operand> = inputs.iter().collect();
                self.assign_temp(results[0], call, &refs);
            }
            _ => {
                let temps: Vec<u32> = results.iter().map(|_| self.alloc_temp()).collect();
                let list: Vec<String> = temps.iter().map(|t| format!("$t{t}")).collect();
                self.out.line(&format!("[{}] = {call};", list.join(", ")));
                for input in inputs {
                    self.temps.release(input);
                }
                for (t, ty) in temps.into_iter().zip(results) {
                    self.stack.push(Operand::temp(t, *ty, false, true));
                }
            }
        }
    }
}
