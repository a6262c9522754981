//! The control-flow stack: the blocks, loops and ifs open around the code
//! being translated, and whether that code is reachable.

use super::facts::Facts;
use super::operand::Operand;
use crate::module::ValType;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum FrameKind {
    Function,
    Block,
    Loop,
    If,
}

pub(super) struct Frame {
    pub kind: FrameKind,
    pub results: Vec<ValType>,
    /// Stack height below the frame's parameters.
    pub height: usize,
    /// Whether the frame opened a PHP loop (`do`/`while`), which counts as
    /// a level for `break N`/`continue N`.
    pub construct: bool,
    pub targeted: bool,
    /// Where branches to this frame put their values: a loop's parameters,
    /// a block's or if's results.
    pub label_vars: Vec<u32>,
    /// Temporaries the frame holds until its end.
    pub reserved: Vec<u32>,
    /// An if's parameters, for the else branch.
    pub if_params: Vec<Operand>,
    pub else_seen: bool,
    pub then_end_reachable: bool,
    /// Bounds facts where the frame starts (an if's else branch starts there
    /// too) and where it ends (what every path to the end knows).
    pub entry_facts: Facts,
    pub exit_facts: Option<Facts>,
}

impl Frame {
    pub fn function(results: Vec<ValType>) -> Self {
        Frame {
            kind: FrameKind::Function,
            results,
            height: 0,
            construct: false,
            targeted: false,
            label_vars: vec![],
            reserved: vec![],
            if_params: vec![],
            else_seen: false,
            then_end_reachable: false,
            entry_facts: Facts::new(),
            exit_facts: None,
        }
    }
}

pub(super) struct ControlStack {
    pub frames: Vec<Frame>,
    pub reachable: bool,
    /// Blocks opened inside dead code, to find the `end` that matters.
    pub dead_depth: u32,
    /// Per block/loop/if in order: whether some branch targets it.
    pub targeted: Vec<bool>,
    pub next_block: usize,
    /// PHP `switch` levels open around the code being written (br_table).
    pub switch_levels: u32,
}

impl ControlStack {
    /// The function's own frame, with `targeted` from the first pass.
    pub fn new(results: Vec<ValType>, targeted: Vec<bool>) -> Self {
        ControlStack {
            frames: vec![Frame::function(results)],
            reachable: true,
            dead_depth: 0,
            targeted,
            next_block: 0,
            switch_levels: 0,
        }
    }
}
