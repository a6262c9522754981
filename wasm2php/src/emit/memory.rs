//! Linear memory: one PHP string, `$m` in each function being a reference
//! to the instance's property so that byte writes (`$m[$i] = …`) change it
//! in place. Every access checks its last byte against the current length
//! (`\strlen` is a single cheap opcode), so out-of-bounds accesses trap
//! instead of reading PHP's padding or growing the string; a check already
//! made on the same value covers later ones (memory never shrinks).
//!
//! Loads use `unpack()` with an offset (one call for 4 or 8 bytes) or
//! `ord()` for bytes and halves, and are read where their value is used;
//! stores write a byte with `chr()` of its masked value (PHP 8.5 deprecates
//! chr() of anything but 0 to 255), a word from one `pack()`, literal bytes
//! for constants, or the loaded bytes themselves when a load feeds a store
//! of the same width (a struct copy).

use wasmparser::{MemArg, Operator};

use super::emitter::FunctionEmitter;
use super::operand::Operand;
use super::runtime::Helper;
use crate::module::ValType;
use crate::Error;

#[derive(Clone, Copy)]
enum Load {
    I32,
    I64,
    F32,
    F64,
    U8,
    S8,
    U16,
    S16,
    U32,
    S32,
}

impl Load {
    fn width(self) -> u64 {
        match self {
            Load::U8 | Load::S8 => 1,
            Load::U16 | Load::S16 => 2,
            Load::I32 | Load::F32 | Load::U32 | Load::S32 => 4,
            Load::I64 | Load::F64 => 8,
        }
    }
}

/// Where an access lands: `address + offset` and a way to name its bytes.
struct Address {
    operand: Operand,
    offset: u64,
}

impl Address {
    /// PHP code for the byte at `address + offset + k`.
    fn at(&self, k: u64) -> String {
        match self.operand.const_u32() {
            Some(c) => (c as u64 + self.offset + k).to_string(),
            None if self.offset + k == 0 => self.operand.code.clone(),
            None => format!("{} + {}", self.operand.code, self.offset + k),
        }
    }
}

/// `$lN` or `$tN`.
fn is_variable(code: &str) -> bool {
    let digits = code.strip_prefix("$l").or_else(|| code.strip_prefix("$t"));
    digits.is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

impl FunctionEmitter<'_> {
    pub(super) fn memory(&mut self, op: &Operator<'_>) -> Result<bool, Error> {
        use Operator::*;
        match *op {
            I32Load { memarg } => self.load(memarg, Load::I32, ValType::I32),
            I64Load { memarg } => self.load(memarg, Load::I64, ValType::I64),
            F32Load { memarg } => self.load(memarg, Load::F32, ValType::F32),
            F64Load { memarg } => self.load(memarg, Load::F64, ValType::F64),
            I32Load8S { memarg } => self.load(memarg, Load::S8, ValType::I32),
            I32Load8U { memarg } => self.load(memarg, Load::U8, ValType::I32),
            I32Load16S { memarg } => self.load(memarg, Load::S16, ValType::I32),
            I32Load16U { memarg } => self.load(memarg, Load::U16, ValType::I32),
            I64Load8S { memarg } => self.load(memarg, Load::S8, ValType::I64),
            I64Load8U { memarg } => self.load(memarg, Load::U8, ValType::I64),
            I64Load16S { memarg } => self.load(memarg, Load::S16, ValType::I64),
            I64Load16U { memarg } => self.load(memarg, Load::U16, ValType::I64),
            I64Load32S { memarg } => self.load(memarg, Load::S32, ValType::I64),
            I64Load32U { memarg } => self.load(memarg, Load::U32, ValType::I64),
            I32Store { memarg } | I64Store32 { memarg } => self.store(memarg, 4),
            I64Store { memarg } => self.store(memarg, 8),
            F32Store { memarg } => self.store(memarg, 4),
            F64Store { memarg } => self.store(memarg, 8),
            I32Store8 { memarg } | I64Store8 { memarg } => self.store(memarg, 1),
            I32Store16 { memarg } | I64Store16 { memarg } => self.store(memarg, 2),
            MemorySize { .. } => {
                self.needs.uses_memory = true;
                let mut size = Operand::compound(ValType::I32, "(\\strlen($m) >> 16)".into(), &[]);
                size.reads.memory_size = true;
                self.push(size);
            }
            MemoryGrow { .. } => {
                self.needs.uses_memory = true;
                let delta = self.pop();
                self.flush(|o| o.reads.memory_size);
                let max = self
                    .ctx
                    .module
                    .memory
                    .as_ref()
                    .map_or(0, |m| m.maximum_pages);
                let helper = self.needs.helper(Helper::Grow);
                let code = format!("self::{helper}($m, {}, {max})", Operand::int_code(&delta));
                self.assign_temp(ValType::I32, &code, &[&delta]);
            }
            MemoryCopy { .. } => {
                let [d, s, n] = self.pop_3();
                self.bulk(Helper::Copy, &[d, s, n], None);
            }
            MemoryFill { .. } => {
                let [d, v, n] = self.pop_3();
                self.bulk(Helper::Fill, &[d, v, n], None);
            }
            MemoryInit { data_index, .. } => {
                let [d, s, n] = self.pop_3();
                let segment = format!("$this->passive[{data_index}] ?? ''");
                self.bulk(Helper::Init, &[d, s, n], Some(segment));
            }
            DataDrop { data_index } => {
                self.out
                    .line(&format!("$this->passive[{data_index}] = '';"));
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn pop_3(&mut self) -> [Operand; 3] {
        let c = self.pop();
        let b = self.pop();
        let a = self.pop();
        [a, b, c]
    }

    /// Checks `address + offset + width` against the memory's length
    /// (unless an earlier check on the same value already covers it) and
    /// returns the address, made cheap to repeat.
    fn checked_address(&mut self, address: Operand, offset: u64, width: u64) -> Address {
        self.needs.uses_memory = true;
        let address = self.simple(address);
        let code = Operand::int_code(&address);
        let extent = offset + width;
        // Facts are kept for constants and for locals and temporaries, whose
        // changes the emitter sees (not for globals, which calls change).
        let (key, extent) = match address.const_u32() {
            Some(c) => (Some(String::new()), c as u64 + extent),
            None if is_variable(&code) => (Some(code.clone()), extent),
            None => (None, extent),
        };
        let known = key.as_ref().and_then(|k| self.facts.get(k)).copied();
        if known.is_none_or(|known| known < extent) {
            let oob = format!("throw self::{}();", self.needs.helper(Helper::Oob));
            let check = if address.constant.is_some() {
                format!("if (\\strlen($m) < {extent}) {oob}")
            } else {
                format!("if ({code} > \\strlen($m) - {extent}) {oob}")
            };
            self.out.line(&check);
            if let Some(key) = key {
                self.facts.insert(key, extent);
            }
        }
        let mut operand = address;
        operand.code = code;
        Address { operand, offset }
    }

    /// A load is checked now and read later: it stays a pending expression
    /// (flushed before anything writes memory) so that it folds into its
    /// consumer, often straight into a `local.set`.
    fn load(&mut self, memarg: MemArg, load: Load, ty: ValType) {
        let address = self.pop();
        let address = self.checked_address(address, memarg.offset, load.width());
        let byte = |k: u64| format!("\\ord($m[{}])", address.at(k));
        let unpack = |format: &str| format!("\\unpack('{format}', $m, {})[1]", address.at(0));
        let half = format!("({} | ({} << 8))", byte(0), byte(1));
        let code = match load {
            Load::I32 | Load::U32 => unpack("V"),
            Load::I64 => unpack("P"),
            Load::F32 => {
                let helper = self.needs.helper(Helper::F32FromBits);
                format!("self::{helper}({})", unpack("V"))
            }
            Load::F64 => unpack("e"),
            Load::U8 => byte(0),
            Load::U16 => half,
            Load::S8 => format!("(({} ^ 0x80) - 0x80)", byte(0)),
            Load::S16 => format!("(({half} ^ 0x8000) - 0x8000)"),
            Load::S32 => format!("(({} ^ 0x80000000) - 0x80000000)", unpack("V")),
        };
        // Sign-extended loads give a negative int: an i32 keeps 32 bits.
        let code = match (load, ty) {
            (Load::S8 | Load::S16, ValType::I32) => format!("({code} & 0xFFFFFFFF)"),
            _ => code,
        };
        let source = (address.at(0), load.width());
        let source_byte = address.at(0);
        let Address { operand, .. } = address;
        let mut value = Operand::compound(ty, code, &[&operand]);
        value.reads.memory = true;
        value.load = Some(source);
        if let Load::U8 = load {
            value.byte = Some(format!("$m[{}]", source_byte));
        }
        self.push(value);
    }

    fn store(&mut self, memarg: MemArg, width: u64) {
        let value = self.pop();
        let address = self.pop();
        self.flush(|o| o.reads.memory);
        let copy = value
            .load
            .as_ref()
            .filter(|(_, w)| *w == width)
            .map(|(from, _)| from.clone());
        let value = if width > 1 && copy.is_none() {
            self.simple(value)
        } else {
            value
        };
        let address = self.checked_address(address, memarg.offset, width);
        let mut writes = vec![];
        match (value.ty, value.constant, copy) {
            (_, _, Some(from)) if width == 1 => {
                writes.push(format!("$m[{}] = $m[{from}];", address.at(0)));
            }
            (_, _, Some(from)) if width == 8 => {
                let helper = self.needs.helper(Helper::Move8);
                writes.push(format!("self::{helper}($m, {}, {from});", address.at(0)));
            }
            (_, _, Some(from)) => {
                // The same bytes, copied: read them all first, the ranges may
                // overlap.
                let bytes = self.alloc_temp();
                writes.push(format!("$t{bytes} = \\substr($m, {from}, {width});"));
                for k in 0..width {
                    writes.push(format!("$m[{}] = $t{bytes}[{k}];", address.at(k)));
                }
                self.temps.free(bytes);
            }
            (ValType::F32, _, None) => {
                let helper = self.needs.helper(Helper::F32Bits);
                let bytes = self.alloc_temp();
                writes.push(format!(
                    "$t{bytes} = \\pack('V', self::{helper}({}));",
                    value.code
                ));
                for k in 0..width {
                    writes.push(format!("$m[{}] = $t{bytes}[{k}];", address.at(k)));
                }
                self.temps.free(bytes);
            }
            (ValType::F64, _, None) => {
                // Floats are written from their packed bytes.
                let scratch = self.alloc_temp();
                writes.push(format!("$t{scratch} = \\pack('e', {});", value.code));
                for k in 0..width {
                    writes.push(format!("$m[{}] = $t{scratch}[{k}];", address.at(k)));
                }
                self.temps.free(scratch);
            }
            (_, Some(bits), None) => {
                for k in 0..width {
                    let byte = (bits >> (8 * k)) as u8;
                    writes.push(format!(
                        "$m[{}] = {};",
                        address.at(k),
                        crate::php::bytes_literal(&[byte])
                    ));
                }
            }
            (ValType::I64, None, None) if width == 8 => {
                // One pack() and eight byte writes: as fast in a helper and a lot shorter.
                let helper = self.needs.helper(Helper::Store64);
                writes.push(format!(
                    "self::{helper}($m, {}, {});",
                    address.at(0),
                    value.code
                ));
            }
            _ => {
                // Only the low `width` bytes count, so an unmasked i32 sum
                // will do: a byte is masked for chr() (PHP 8.5 deprecates
                // any other argument), a word is packed, which takes the low
                // 16 or 32 bits of any int.
                let v = if value.ty == ValType::I32 {
                    value.unmasked_code().0
                } else {
                    value.code.clone()
                };
                if width == 1 {
                    writes.push(format!("$m[{}] = \\chr(({v}) & 0xFF);", address.at(0)));
                } else {
                    let format = if width == 2 { 'v' } else { 'V' };
                    let bytes = self.alloc_temp();
                    writes.push(format!("$t{bytes} = \\pack('{format}', {v});"));
                    for k in 0..width {
                        writes.push(format!("$m[{}] = $t{bytes}[{k}];", address.at(k)));
                    }
                    self.temps.free(bytes);
                }
            }
        }
        self.out.line(&writes.join(" "));
        self.temps.release(&value);
        self.temps.release(&address.operand);
    }

    /// memory.copy, memory.fill, memory.init: a helper call.
    fn bulk(&mut self, helper: Helper, args: &[Operand], segment: Option<String>) {
        self.needs.uses_memory = true;
        self.flush(|o| o.reads.memory);
        let name = self.needs.helper(helper);
        let mut list: Vec<String> = vec!["$m".into()];
        list.extend(segment);
        list.extend(args.iter().map(Operand::int_code));
        self.out
            .line(&format!("self::{name}({});", list.join(", ")));
        for arg in args {
            self.temps.release(arg);
        }
    }
}
