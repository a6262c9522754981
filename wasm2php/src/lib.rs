//! `wasm2php`: translates a WebAssembly module ahead of time into one plain
//! PHP class, for hosts that have PHP (7.4 to 8.3) and nothing else: no
//! WASM runtime, no extension, no FFI.
//!
//! The generated class:
//!
//! ```php
//! $core = new CoreModule();                 // memory, data, globals, start
//! $ptr = $core->export_vqr_alloc(16);       // one method per exported function
//! $core->writeMemory($ptr, $bytes);         // bounds-checked
//! $bytes = $core->readMemory($ptr, 16);
//! ```
//!
//! i32 values cross the API as signed 32-bit PHP ints, i64 as signed 64-bit
//! ints, f32/f64 as floats; a function without results returns `null`, one
//! with several an array. A trap throws `\RuntimeException` whose message
//! starts with `wasm trap: ` and names the trap and the WASM function.

mod emit;
mod module;
mod opcode;
mod php;

use std::fmt;

/// How to name the generated class.
#[derive(Clone, Debug)]
pub struct Options {
    /// PHP namespace, e.g. `VietQR\Generated`; empty for the global one.
    pub namespace: String,
    /// Class name, e.g. `CoreModule`.
    pub class: String,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            namespace: String::new(),
            class: "WasmModule".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Not a valid WebAssembly module.
    Invalid(String),
    /// Valid, but uses something the translation does not support.
    Unsupported(String),
    /// An instruction the translation does not support, with the function.
    UnsupportedInstruction { opcode: String, function: String },
    /// The namespace or class name is not a PHP identifier.
    BadName(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(msg) => write!(f, "invalid WebAssembly module: {msg}"),
            Error::Unsupported(what) => write!(f, "unsupported: {what}"),
            Error::UnsupportedInstruction { opcode, function } => {
                write!(f, "unsupported instruction `{opcode}` in {function}")
            }
            Error::BadName(msg) => write!(f, "{msg}"),
        }
    }
}

impl std::error::Error for Error {}

/// Translates a WebAssembly binary into the source of one PHP file holding
/// one class. The same input always gives the same bytes.
pub fn translate(wasm: &[u8], options: &Options) -> Result<String, Error> {
    php::check_names(&options.namespace, &options.class)?;
    let module = module::Module::read(wasm)?;
    emit::module(&module, options)
}

/// An exported function and the PHP method that runs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportedFunction {
    /// The export's name in the module.
    pub export: String,
    /// The public method of the generated class, `export_<name>`.
    pub method: String,
    /// Parameter and result types, as WAT names (`i32`, `f64`, …).
    pub params: Vec<&'static str>,
    pub results: Vec<&'static str>,
}

/// The exported functions of a module and their methods, in export order.
pub fn exported_functions(wasm: &[u8]) -> Result<Vec<ExportedFunction>, Error> {
    let module = module::Module::read(wasm)?;
    Ok(emit::exported_functions(&module))
}
