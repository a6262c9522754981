//! The call-depth limit: runaway recursion traps with `call stack
//! exhausted` (as wasmi does) instead of PHP recursing until
//! `memory_limit` ends the process with an uncatchable fatal error.
//!
//! The depth is a parameter, `$d` (0 from an export or the start function,
//! `$d + 1` at a call): nothing to undo when a call returns or throws. Only
//! recursion is unbounded, so only the functions on a cycle of the call
//! graph check it, and only the functions that can reach one take it: the
//! leaves the core calls most (memcpy, the allocator) pay nothing.

use std::collections::BTreeSet;

use wasmparser::Operator;

use crate::module::{invalid, Module};
use crate::Error;

/// The depth parameter's PHP name.
pub(super) const DEPTH: &str = "$d";

/// Past this many nested WASM calls, a function on a call cycle traps.
///
/// Generous for real code: the VietQR core nests at most 137 calls deep
/// over every shared vector (PHPUnit, measured), and serde_json stops
/// nesting at 128 levels of JSON. Affordable for PHP: a frame is about 16
/// bytes a variable, the core's largest function has 64 variables, so
/// 10,000 of its frames take about 20 MiB, under PHP's default 128 MiB
/// `memory_limit` (tests/call_depth.rs runs 10,000 under it). Far above
/// wasmi's own limit (1,024 frames), so the differential tests see the
/// same results wherever wasmi completes.
pub(super) const MAX_CALL_DEPTH: u32 = 10_000;

/// Which functions take and check the depth.
pub(super) struct CallDepth {
    /// Can reach a call cycle: takes `$d` (its callers pass it).
    takes: Vec<bool>,
    /// On a call cycle: traps when `$d` passes the limit.
    checks: Vec<bool>,
}

impl CallDepth {
    pub fn new(module: &Module<'_>) -> Result<Self, Error> {
        let n = module.bodies.len();
        // Callees of each function; call_indirect may reach every table
        // entry of its signature.
        let mut callees: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); n];
        let mut groups: BTreeSet<Vec<u32>> = BTreeSet::new();
        for (func, body) in module.bodies.iter().enumerate() {
            let mut reader = body.get_operators_reader().map_err(invalid)?;
            while !reader.eof() {
                match reader.read().map_err(invalid)? {
                    Operator::Call { function_index } => {
                        callees[func].insert(function_index);
                    }
                    Operator::CallIndirect {
                        type_index,
                        table_index,
                    } => {
                        let group = indirect_targets(module, table_index, type_index);
                        callees[func].extend(&group);
                        groups.insert(group);
                    }
                    _ => {}
                }
            }
        }
        // On a cycle: reaches itself.
        let checks: Vec<bool> = (0..n as u32)
            .map(|func| reachable(&callees, func).contains(&func))
            .collect();
        // Takes the depth: on a cycle, or calls a function that takes it;
        // the entries of one call_indirect signature all alike.
        let mut takes = checks.clone();
        let mut changed = true;
        while changed {
            changed = false;
            for func in 0..n {
                if !takes[func] && callees[func].iter().any(|c| takes[*c as usize]) {
                    takes[func] = true;
                    changed = true;
                }
            }
            for group in &groups {
                if group.iter().any(|f| takes[*f as usize]) {
                    for f in group {
                        if !takes[*f as usize] {
                            takes[*f as usize] = true;
                            changed = true;
                        }
                    }
                }
            }
        }
        Ok(Self { takes, checks })
    }

    /// Whether `func` takes `$d` as its last parameter.
    pub fn takes(&self, func: u32) -> bool {
        self.takes[func as usize]
    }

    /// Whether `func` starts with the depth check.
    pub fn checks(&self, func: u32) -> bool {
        self.checks[func as usize]
    }

    /// Whether a call_indirect of this table and type passes `$d + 1`.
    pub fn indirect_takes(&self, module: &Module<'_>, table: u32, ty: u32) -> bool {
        indirect_targets(module, table, ty)
            .iter()
            .any(|f| self.takes(*f))
    }
}

/// The table entries a call_indirect of this type may call (the emitter's
/// `T{table}_{sig}` constant).
fn indirect_targets(module: &Module<'_>, table: u32, ty: u32) -> Vec<u32> {
    let sig = module.canonical_type(ty);
    let mut targets: Vec<u32> = module.tables[table as usize]
        .entries
        .values()
        .copied()
        .filter(|f| module.canonical_type(module.func_types[*f as usize]) == sig)
        .collect();
    targets.sort_unstable();
    targets.dedup();
    targets
}

/// The functions some call chain from `func` reaches (itself only through
/// a cycle).
fn reachable(callees: &[BTreeSet<u32>], func: u32) -> BTreeSet<u32> {
    let mut seen = BTreeSet::new();
    let mut pending: Vec<u32> = callees[func as usize].iter().copied().collect();
    while let Some(f) = pending.pop() {
        if seen.insert(f) {
            pending.extend(&callees[f as usize]);
        }
    }
    seen
}
