//! Structured control flow → PHP loops with numbered `break`/`continue`.
//!
//! - `block` → `do { … } while (false);`, only when something branches to
//!   it (a branch is `break N;`);
//! - `loop` → `while (true) { … break; }`, only when something branches to
//!   it (a branch is `continue N;`);
//! - `if` → `if (…) { … } else { … }`, wrapped in `do { … } while (false);`
//!   when something branches to it;
//! - `br_table` → `switch`, which PHP counts as one more level.
//!
//! Values a branch carries go through variables chosen when the construct
//! opens (block and if results, loop parameters).

use wasmparser::{FunctionBody, Operator};

use super::emitter::FunctionEmitter;
use super::facts::intersect;
use super::frames::{Frame, FrameKind};
use super::operand::Operand;
use crate::module::invalid;
use crate::Error;

impl FunctionEmitter<'_> {
    pub(super) fn control(&mut self, op: &Operator<'_>) -> Result<bool, Error> {
        match op {
            Operator::Block { blockty } => {
                let ty = self.ctx.module.block_type(*blockty)?;
                let targeted = self.next_targeted();
                if targeted {
                    self.enter_scope();
                }
                let label_vars: Vec<u32> = if targeted {
                    ty.results.iter().map(|_| self.alloc_temp()).collect()
                } else {
                    vec![]
                };
                if targeted {
                    self.out.open("do {");
                }
                self.flow.frames.push(Frame {
                    kind: FrameKind::Block,
                    results: ty.results,
                    height: self.stack.len() - ty.params.len(),
                    construct: targeted,
                    targeted,
                    label_vars,
                    reserved: vec![],
                    if_params: vec![],
                    else_seen: false,
                    then_end_reachable: false,
                    entry_facts: self.facts.clone(),
                    exit_facts: None,
                });
            }
            Operator::Loop { blockty } => {
                let ty = self.ctx.module.block_type(*blockty)?;
                let targeted = self.next_targeted();
                let mut params = vec![];
                if targeted {
                    self.enter_scope();
                    let values = self.pop_n(ty.params.len());
                    for value in values {
                        let var = self.alloc_temp();
                        self.out
                            .line(&format!("$t{var} = {};", Operand::int_code(&value)));
                        self.temps.release(&value);
                        self.stack.push(Operand::temp(var, value.ty, false, false));
                        params.push(var);
                    }
                    self.out.open("while (true) {");
                    // The loop head is also reached from the back edges.
                    self.facts.clear();
                }
                self.flow.frames.push(Frame {
                    kind: FrameKind::Loop,
                    results: ty.results,
                    height: self.stack.len() - ty.params.len(),
                    construct: targeted,
                    targeted,
                    label_vars: params.clone(),
                    reserved: params,
                    if_params: vec![],
                    else_seen: false,
                    then_end_reachable: false,
                    entry_facts: self.facts.clone(),
                    exit_facts: None,
                });
            }
            Operator::If { blockty } => {
                let ty = self.ctx.module.block_type(*blockty)?;
                let targeted = self.next_targeted();
                let cond = self.pop();
                self.enter_scope();
                // The parameters are read by both branches: the frame keeps
                // their temporaries until its end.
                let height = self.stack.len() - ty.params.len();
                let mut reserved = vec![];
                for param in &mut self.stack[height..] {
                    reserved.append(&mut param.owned);
                }
                let if_params = self.stack[height..].to_vec();
                let label_vars: Vec<u32> = ty.results.iter().map(|_| self.alloc_temp()).collect();
                if targeted {
                    self.out.open("do {");
                }
                self.out.open(&format!("if ({}) {{", condition(&cond)));
                self.temps.release(&cond);
                self.flow.frames.push(Frame {
                    kind: FrameKind::If,
                    results: ty.results,
                    height,
                    construct: targeted,
                    targeted,
                    label_vars,
                    reserved,
                    if_params,
                    else_seen: false,
                    then_end_reachable: false,
                    entry_facts: self.facts.clone(),
                    exit_facts: None,
                });
            }
            Operator::Else => {
                let frame = self.flow.frames.len() - 1;
                if self.flow.reachable {
                    let vars = self.flow.frames[frame].label_vars.clone();
                    let values = self.pop_n(vars.len());
                    self.assign(&vars, &values);
                    self.temps.release_all(values);
                }
                self.truncate(self.flow.frames[frame].height);
                if self.flow.reachable {
                    self.record_exit(frame);
                }
                self.facts = self.flow.frames[frame].entry_facts.clone();
                self.flow.frames[frame].then_end_reachable = self.flow.reachable;
                self.flow.frames[frame].else_seen = true;
                self.out.close("} else {");
                let params = self.flow.frames[frame].if_params.clone();
                self.stack.extend(params);
                self.flow.reachable = true;
            }
            Operator::End => self.end()?,
            Operator::Br { relative_depth } => {
                let arity = self.label_arity(*relative_depth);
                let values = self.pop_n(arity);
                let lines = self.branch(*relative_depth, &values);
                for line in lines {
                    self.out.line(&line);
                }
                self.temps.release_all(values);
                self.flow.reachable = false;
            }
            Operator::BrIf { relative_depth } => {
                let cond = self.pop();
                let arity = self.label_arity(*relative_depth);
                // The values both leave with the branch and stay for the
                // fall-through: make them cheap to repeat.
                let at = self.stack.len() - arity;
                for i in at..self.stack.len() {
                    let value = self.stack[i].clone();
                    self.stack[i] = self.simple(value);
                }
                let values = self.stack[at..].to_vec();
                let lines = self.branch(*relative_depth, &values);
                if lines.len() == 1 {
                    self.out
                        .line(&format!("if ({}) {}", condition(&cond), lines[0]));
                } else {
                    self.out.open(&format!("if ({}) {{", condition(&cond)));
                    for line in lines {
                        self.out.line(&line);
                    }
                    self.out.close("}");
                }
                self.temps.release(&cond);
            }
            Operator::BrTable { targets } => {
                let index = self.pop();
                let default = targets.default();
                let depths: Vec<u32> = targets
                    .targets()
                    .collect::<Result<_, _>>()
                    .map_err(invalid)?;
                let arity = self.label_arity(default);
                let at = self.stack.len() - arity;
                for i in at..self.stack.len() {
                    let value = self.stack[i].clone();
                    self.stack[i] = self.simple(value);
                }
                let values = self.pop_n(arity);
                if depths.iter().all(|d| *d == default) {
                    // The index is pure: nothing to evaluate.
                    for line in self.branch(default, &values) {
                        self.out.line(&line);
                    }
                } else {
                    self.switch(&index, &depths, default, &values);
                }
                self.temps.release(&index);
                self.temps.release_all(values);
                self.flow.reachable = false;
            }
            Operator::Return => {
                let depth = self.flow.frames.len() as u32 - 1;
                let arity = self.label_arity(depth);
                let values = self.pop_n(arity);
                let lines = self.branch(depth, &values);
                for line in lines {
                    self.out.line(&line);
                }
                self.temps.release_all(values);
                self.flow.reachable = false;
            }
            Operator::Unreachable => {
                let statement = self.needs.trap_statement("unreachable");
                self.out.line(&statement);
                self.flow.reachable = false;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Skips dead code (after a branch, return or trap) up to the `else` or
    /// `end` that makes code reachable again.
    pub(super) fn dead_code(&mut self, op: &Operator<'_>) -> Result<(), Error> {
        match op {
            Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => {
                self.flow.dead_depth += 1;
                self.flow.next_block += 1;
            }
            Operator::Else if self.flow.dead_depth == 0 => {
                self.control(op)?;
            }
            Operator::End if self.flow.dead_depth == 0 => {
                self.control(op)?;
            }
            Operator::End => self.flow.dead_depth -= 1,
            _ => {}
        }
        Ok(())
    }

    fn next_targeted(&mut self) -> bool {
        let targeted = self.flow.targeted[self.flow.next_block];
        self.flow.next_block += 1;
        targeted
    }

    /// Before code that may not run (a branch of an if, a loop body, a block
    /// that can be left early): pending values from outside are computed
    /// now, or they would be undefined on the paths that skip their
    /// computation.
    fn enter_scope(&mut self) {
        self.flush(|_| true);
    }

    fn end(&mut self) -> Result<(), Error> {
        let frame = self
            .flow
            .frames
            .pop()
            .expect("validated module: unbalanced end");
        match frame.kind {
            FrameKind::Function => {
                if self.flow.reachable {
                    let values = self.pop_n(frame.results.len());
                    if !values.is_empty() {
                        let line = return_statement(&values);
                        self.out.line(&line);
                    }
                    self.temps.release_all(values);
                }
                self.flow.reachable = false;
            }
            FrameKind::Block => {
                if frame.targeted {
                    let mut frame = frame;
                    if self.flow.reachable {
                        let values = self.pop_n(frame.results.len());
                        self.assign(&frame.label_vars, &values);
                        self.temps.release_all(values);
                        frame.exit_facts = Some(match &frame.exit_facts {
                            Some(known) => intersect(known, &self.facts),
                            None => self.facts.clone(),
                        });
                    }
                    self.join_facts(&frame);
                    self.truncate(frame.height);
                    self.out.close("} while (false);");
                    for (var, ty) in frame.label_vars.iter().zip(&frame.results) {
                        self.stack.push(Operand::temp(*var, *ty, false, true));
                    }
                    self.flow.reachable = true;
                } else if !self.flow.reachable {
                    self.truncate(frame.height);
                }
            }
            FrameKind::Loop => {
                if self.flow.reachable {
                    // Results flow out as they are, unless they mention the
                    // loop's parameter variables, which are freed here.
                    let at = self.stack.len() - frame.results.len();
                    for i in at..self.stack.len() {
                        if self.stack[i]
                            .temps
                            .iter()
                            .any(|t| frame.reserved.contains(t))
                        {
                            let value = self.stack[i].clone();
                            let temp = self.alloc_temp();
                            self.out
                                .line(&format!("$t{temp} = {};", Operand::int_code(&value)));
                            self.temps.release(&value);
                            self.stack[i] = Operand::temp(temp, value.ty, false, true);
                        }
                    }
                    if frame.construct {
                        self.out.line("break;");
                    }
                } else {
                    self.truncate(frame.height);
                }
                if frame.construct {
                    self.out.close("}");
                }
                for t in &frame.reserved {
                    self.temps.free(*t);
                }
            }
            FrameKind::If => {
                let mut frame = frame;
                if self.flow.reachable {
                    let values = self.pop_n(frame.results.len());
                    self.assign(&frame.label_vars, &values);
                    self.temps.release_all(values);
                    frame.exit_facts = Some(match &frame.exit_facts {
                        Some(known) => intersect(known, &self.facts),
                        None => self.facts.clone(),
                    });
                }
                if !frame.else_seen {
                    // The implicit else: the if's start goes straight to its end.
                    frame.exit_facts = Some(match &frame.exit_facts {
                        Some(known) => intersect(known, &frame.entry_facts),
                        None => frame.entry_facts.clone(),
                    });
                }
                self.join_facts(&frame);
                self.truncate(frame.height);
                let (then_end, else_end) = if frame.else_seen {
                    (frame.then_end_reachable, self.flow.reachable)
                } else {
                    // Without else, the parameters are the results.
                    if !frame.results.is_empty() {
                        self.out.close("} else {");
                        self.assign(&frame.label_vars, &frame.if_params);
                    }
                    (self.flow.reachable, true)
                };
                self.out.close("}");
                if frame.construct {
                    self.out.close("} while (false);");
                }
                for t in &frame.reserved {
                    self.temps.free(*t);
                }
                self.flow.reachable = then_end || else_end || frame.targeted;
                if self.flow.reachable {
                    for (var, ty) in frame.label_vars.iter().zip(&frame.results) {
                        self.stack.push(Operand::temp(*var, *ty, false, true));
                    }
                } else {
                    for var in &frame.label_vars {
                        self.temps.free(*var);
                    }
                }
            }
        }
        Ok(())
    }

    /// A path reaches the end of frame `index` with the current facts.
    fn record_exit(&mut self, index: usize) {
        let frame = &mut self.flow.frames[index];
        if matches!(frame.kind, FrameKind::Block | FrameKind::If) {
            frame.exit_facts = Some(match &frame.exit_facts {
                Some(known) => intersect(known, &self.facts),
                None => self.facts.clone(),
            });
        }
    }

    /// After a join: what all paths to the frame's end know.
    fn join_facts(&mut self, frame: &Frame) {
        self.facts = frame.exit_facts.clone().unwrap_or_default();
    }

    /// Drops operands above `height` (left by code that became dead).
    fn truncate(&mut self, height: usize) {
        while self.stack.len() > height {
            let operand = self.pop();
            self.temps.release(&operand);
        }
    }

    /// How many values a branch to this label carries.
    fn label_arity(&self, depth: u32) -> usize {
        let frame = &self.flow.frames[self.flow.frames.len() - 1 - depth as usize];
        match frame.kind {
            FrameKind::Loop => frame.label_vars.len(),
            _ => frame.results.len(),
        }
    }

    /// `$tN = value;` for each pair, as one parallel assignment.
    fn assign(&mut self, vars: &[u32], values: &[Operand]) {
        for line in self.assignment_lines(vars, values) {
            self.out.line(&line);
        }
    }

    /// The lines of a parallel assignment: a value that reads a variable
    /// assigned before it is first copied aside.
    fn assignment_lines(&mut self, vars: &[u32], values: &[Operand]) -> Vec<String> {
        let mut lines = vec![];
        let mut codes: Vec<String> = values.iter().map(Operand::int_code).collect();
        let mut staged = vec![];
        for j in 1..values.len() {
            if values[j].temps.iter().any(|t| vars[..j].contains(t)) {
                let temp = self.alloc_temp();
                lines.push(format!("$t{temp} = {};", codes[j]));
                codes[j] = format!("$t{temp}");
                staged.push(temp);
            }
        }
        for (var, code) in vars.iter().zip(codes) {
            if code != format!("$t{var}") {
                lines.push(format!("$t{var} = {code};"));
            }
        }
        // Only read by the lines above, which run before anything else.
        for temp in staged {
            self.temps.free(temp);
        }
        lines
    }

    /// The statements that branch to the label at `depth` with `values`.
    fn branch(&mut self, depth: u32, values: &[Operand]) -> Vec<String> {
        let target = self.flow.frames.len() - 1 - depth as usize;
        self.record_exit(target);
        let frame = &self.flow.frames[target];
        if frame.kind == FrameKind::Function {
            return vec![return_statement(values)];
        }
        let vars = frame.label_vars.clone();
        let kind = frame.kind;
        let levels = self.flow.switch_levels
            + self.flow.frames[target..]
                .iter()
                .filter(|f| f.construct)
                .count() as u32;
        let mut lines = self.assignment_lines(&vars, values);
        let keyword = if kind == FrameKind::Loop {
            "continue"
        } else {
            "break"
        };
        lines.push(if levels == 1 {
            format!("{keyword};")
        } else {
            format!("{keyword} {levels};")
        });
        lines
    }

    fn switch(&mut self, index: &Operand, depths: &[u32], default: u32, values: &[Operand]) {
        // Cases grouped by target, in order of first appearance; cases that
        // go where the default goes need no label.
        let mut groups: Vec<(u32, Vec<usize>)> = vec![];
        for (case, depth) in depths.iter().enumerate() {
            if *depth == default {
                continue;
            }
            match groups.iter_mut().find(|(d, _)| d == depth) {
                Some((_, cases)) => cases.push(case),
                None => groups.push((*depth, vec![case])),
            }
        }
        self.out
            .open(&format!("switch ({}) {{", Operand::int_code(index)));
        self.flow.switch_levels += 1;
        for (depth, cases) in &groups {
            let labels: Vec<String> = cases.iter().map(|c| format!("case {c}:")).collect();
            self.out.line(&labels.join(" "));
            for line in self.branch(*depth, values) {
                self.out.line(&line);
            }
        }
        self.out.line("default:");
        for line in self.branch(default, values) {
            self.out.line(&line);
        }
        self.flow.switch_levels -= 1;
        self.out.close("}");
    }
}

/// An i32 as a PHP condition: ints are true when non-zero; one layer of
/// parentheses is dropped, `if` brings its own.
fn condition(operand: &Operand) -> String {
    crate::php::strip_parens(&operand.truth()).to_string()
}

fn return_statement(values: &[Operand]) -> String {
    let codes: Vec<String> = values.iter().map(Operand::int_code).collect();
    match codes.len() {
        0 => "return;".into(),
        1 => format!("return {};", codes[0]),
        _ => format!("return [{}];", codes.join(", ")),
    }
}

/// Which blocks, loops and ifs (numbered in order of appearance) are the
/// target of a reachable branch: only those need a PHP loop.
pub(super) fn branch_targets(
    body: &FunctionBody<'_>,
    check: impl Fn(&Operator<'_>) -> Result<(), Error>,
) -> Result<Vec<bool>, Error> {
    struct Open {
        block: Option<usize>,
        kind: FrameKind,
        else_seen: bool,
        then_end_reachable: bool,
    }
    let mut targeted: Vec<bool> = vec![];
    let mut frames = vec![Open {
        block: None,
        kind: FrameKind::Function,
        else_seen: false,
        then_end_reachable: false,
    }];
    let mut reachable = true;
    let mut dead_depth = 0u32;
    let mut reader = body.get_operators_reader().map_err(invalid)?;
    let mark = |frames: &Vec<Open>, targeted: &mut Vec<bool>, depth: u32| {
        if let Some(block) = frames[frames.len() - 1 - depth as usize].block {
            targeted[block] = true;
        }
    };
    while !reader.eof() {
        let op = reader.read().map_err(invalid)?;
        check(&op)?;
        if !reachable {
            match op {
                Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => {
                    dead_depth += 1;
                    targeted.push(false);
                    continue;
                }
                Operator::End | Operator::Else if dead_depth > 0 => {
                    if let Operator::End = op {
                        dead_depth -= 1;
                    }
                    continue;
                }
                Operator::End | Operator::Else => {}
                _ => continue,
            }
        }
        match op {
            Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => {
                let kind = match op {
                    Operator::Block { .. } => FrameKind::Block,
                    Operator::Loop { .. } => FrameKind::Loop,
                    _ => FrameKind::If,
                };
                frames.push(Open {
                    block: Some(targeted.len()),
                    kind,
                    else_seen: false,
                    then_end_reachable: false,
                });
                targeted.push(false);
            }
            Operator::Else => {
                let frame = frames.last_mut().unwrap();
                frame.then_end_reachable = reachable;
                frame.else_seen = true;
                reachable = true;
            }
            Operator::End => {
                let frame = frames.pop().unwrap();
                let is_target = frame.block.is_some_and(|b| targeted[b]);
                reachable = match frame.kind {
                    FrameKind::Function | FrameKind::Loop => reachable,
                    FrameKind::Block => reachable || is_target,
                    FrameKind::If if frame.else_seen => {
                        frame.then_end_reachable || reachable || is_target
                    }
                    FrameKind::If => true,
                };
            }
            Operator::Br { relative_depth } => {
                mark(&frames, &mut targeted, relative_depth);
                reachable = false;
            }
            Operator::BrIf { relative_depth } => mark(&frames, &mut targeted, relative_depth),
            Operator::BrTable { targets } => {
                for depth in targets.targets() {
                    mark(&frames, &mut targeted, depth.map_err(invalid)?);
                }
                mark(&frames, &mut targeted, targets.default());
                reachable = false;
            }
            Operator::Return | Operator::Unreachable => reachable = false,
            _ => {}
        }
    }
    Ok(targeted)
}
