//! Reads and validates a module into the few facts the emitter needs. Every
//! module-level feature the PHP runtime cannot provide is refused here, so
//! that the emitter only ever sees functions, one memory, funcref tables
//! fixed at instantiation, globals and data.

use std::collections::BTreeMap;

use wasmparser::{
    BlockType, CompositeInnerType, ConstExpr, CustomSectionReader, DataKind, DataSectionReader,
    ElementItems, ElementKind, ElementSectionReader, ExportSectionReader, ExternalKind,
    FunctionBody, FunctionSectionReader, GlobalSectionReader, ImportSectionReader, KnownCustom,
    MemorySectionReader, Name, Operator, Parser, Payload, RefType, TableInit, TableSectionReader,
    TypeSectionReader, Validator, WasmFeatures,
};

use crate::Error;

/// The value types the translation supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ValType {
    I32,
    I64,
    F32,
    F64,
}

impl ValType {
    pub(crate) fn from_wasm(ty: wasmparser::ValType) -> Result<Self, Error> {
        match ty {
            wasmparser::ValType::I32 => Ok(Self::I32),
            wasmparser::ValType::I64 => Ok(Self::I64),
            wasmparser::ValType::F32 => Ok(Self::F32),
            wasmparser::ValType::F64 => Ok(Self::F64),
            other => Err(Error::Unsupported(format!("value type `{other}`"))),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FuncType {
    pub params: Vec<ValType>,
    pub results: Vec<ValType>,
}

/// A constant from a constant expression: i32 as its unsigned bits, floats
/// as their bits.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    I32(u32),
    I64(i64),
    F32(u32),
    F64(u64),
    FuncRef(Option<u32>),
}

pub struct Global {
    pub ty: ValType,
    pub mutable: bool,
    pub init: Value,
}

pub struct Memory {
    pub initial_pages: u64,
    /// The declared maximum, capped at the 65,536 pages of a 32-bit memory.
    pub maximum_pages: u64,
}

/// A funcref table after its active element segments: an instance's table
/// never changes, as no instruction that writes tables is supported.
pub struct Table {
    pub size: u64,
    pub entries: BTreeMap<u32, u32>,
}

pub enum ExportKind {
    Func(u32),
    Other,
}

pub struct Export {
    pub name: String,
    pub kind: ExportKind,
}

pub struct DataSegment<'a> {
    pub bytes: &'a [u8],
    /// `Some(offset)` for an active segment.
    pub offset: Option<u32>,
}

/// What instantiation does when a segment does not fit: it traps, after the
/// segments before it were written (which no one can observe, as the
/// instance is never created).
pub enum Instantiation {
    Ok,
    Trap(&'static str),
}

pub struct Module<'a> {
    pub types: Vec<FuncType>,
    /// Per type: the value type the translation lacks, if any. Refused only
    /// when a function uses the type, so that an instruction it also uses
    /// gets named first.
    pub type_errors: Vec<Option<String>>,
    /// Type index of each function (no imports, so function index = index here).
    pub func_types: Vec<u32>,
    pub bodies: Vec<FunctionBody<'a>>,
    pub memory: Option<Memory>,
    pub tables: Vec<Table>,
    pub globals: Vec<Global>,
    pub exports: Vec<Export>,
    pub start: Option<u32>,
    pub data: Vec<DataSegment<'a>>,
    pub func_names: BTreeMap<u32, String>,
    pub instantiation: Instantiation,
    pub wasm_size: usize,
}

impl<'a> Module<'a> {
    /// How a trap message names a function: its name-section name, else
    /// `func[N]`.
    pub fn function_label(&self, func: u32) -> String {
        match self.func_names.get(&func) {
            Some(name) => name.clone(),
            None => format!("func[{func}]"),
        }
    }

    pub fn func_type(&self, func: u32) -> &FuncType {
        &self.types[self.func_types[func as usize] as usize]
    }

    /// Refuses a type with a value type the translation lacks.
    pub fn check_type(&self, ty: u32) -> Result<(), Error> {
        match &self.type_errors[ty as usize] {
            Some(what) => Err(Error::Unsupported(what.clone())),
            None => Ok(()),
        }
    }

    /// The parameters and results of a block.
    pub fn block_type(&self, ty: BlockType) -> Result<FuncType, Error> {
        Ok(match ty {
            BlockType::Empty => FuncType {
                params: vec![],
                results: vec![],
            },
            BlockType::Type(t) => FuncType {
                params: vec![],
                results: vec![ValType::from_wasm(t)?],
            },
            BlockType::FuncType(idx) => {
                self.check_type(idx)?;
                self.types[idx as usize].clone()
            }
        })
    }

    /// The index of the first type structurally equal to `ty`: what
    /// `call_indirect` compares.
    pub fn canonical_type(&self, ty: u32) -> u32 {
        let wanted = &self.types[ty as usize];
        self.types.iter().position(|t| t == wanted).unwrap_or(0) as u32
    }

    /// Reads a validated module, one section at a time, then instantiates
    /// its tables and checks its data segments.
    pub fn read(wasm: &'a [u8]) -> Result<Self, Error> {
        // Validate with every standard feature on: a module that uses one the
        // translation lacks gets a precise refusal from the emitter or below
        // instead of a validation error.
        Validator::new_with_features(WasmFeatures::all())
            .validate_all(wasm)
            .map_err(|e| Error::Invalid(e.to_string()))?;

        let mut module = Module::empty(wasm.len());
        let mut pending = Pending::default();
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.map_err(invalid)? {
                Payload::TypeSection(reader) => module.read_types(reader)?,
                Payload::ImportSection(reader) => read_imports(reader)?,
                Payload::FunctionSection(reader) => module.read_functions(reader)?,
                Payload::TableSection(reader) => module.read_tables(reader, &mut pending)?,
                Payload::MemorySection(reader) => module.read_memories(reader)?,
                Payload::TagSection(_) => {
                    return Err(Error::Unsupported("exception tags".into()));
                }
                Payload::GlobalSection(reader) => module.read_globals(reader)?,
                Payload::ExportSection(reader) => module.read_exports(reader)?,
                Payload::StartSection { func, .. } => module.read_start(func),
                Payload::ElementSection(reader) => module.read_elements(reader, &mut pending)?,
                Payload::DataSection(reader) => module.read_data(reader)?,
                Payload::CodeSectionEntry(body) => module.read_code(body),
                Payload::CustomSection(section) => module.read_custom(&section),
                Payload::Version {
                    encoding: wasmparser::Encoding::Component,
                    ..
                } => {
                    return Err(Error::Unsupported("components".into()));
                }
                _ => {}
            }
        }
        module.instantiate(pending)?;
        Ok(module)
    }

    fn empty(wasm_size: usize) -> Self {
        Module {
            types: vec![],
            type_errors: vec![],
            func_types: vec![],
            bodies: vec![],
            memory: None,
            tables: vec![],
            globals: vec![],
            exports: vec![],
            start: None,
            data: vec![],
            func_names: BTreeMap::new(),
            instantiation: Instantiation::Ok,
            wasm_size,
        }
    }

    /// Function types; a type with a value type the translation lacks is
    /// kept (empty) with its error, refused only when a function uses it.
    fn read_types(&mut self, reader: TypeSectionReader<'_>) -> Result<(), Error> {
        for group in reader {
            for sub in group.map_err(invalid)?.types() {
                let CompositeInnerType::Func(f) = &sub.composite_type.inner else {
                    return Err(Error::Unsupported("GC types".into()));
                };
                let params: Result<Vec<_>, _> =
                    f.params().iter().map(|t| ValType::from_wasm(*t)).collect();
                let results: Result<Vec<_>, _> =
                    f.results().iter().map(|t| ValType::from_wasm(*t)).collect();
                match (params, results) {
                    (Ok(params), Ok(results)) => {
                        self.types.push(FuncType { params, results });
                        self.type_errors.push(None);
                    }
                    (Err(Error::Unsupported(what)), _) | (_, Err(Error::Unsupported(what))) => {
                        self.types.push(FuncType {
                            params: vec![],
                            results: vec![],
                        });
                        self.type_errors.push(Some(what));
                    }
                    (Err(e), _) | (_, Err(e)) => return Err(e),
                }
            }
        }
        Ok(())
    }

    /// The type index of each function.
    fn read_functions(&mut self, reader: FunctionSectionReader<'_>) -> Result<(), Error> {
        for ty in reader {
            self.func_types.push(ty.map_err(invalid)?);
        }
        Ok(())
    }

    /// Table types and initial values; the tables are built at
    /// instantiation, once the element segments are known.
    fn read_tables(
        &self,
        reader: TableSectionReader<'_>,
        pending: &mut Pending,
    ) -> Result<(), Error> {
        for table in reader {
            let table = table.map_err(invalid)?;
            if table.ty.table64 || table.ty.shared {
                return Err(Error::Unsupported("64-bit or shared tables".into()));
            }
            let init = match table.init {
                TableInit::RefNull => None,
                TableInit::Expr(expr) => eval_const(&expr, &self.globals)?.func_ref(),
            };
            pending
                .tables
                .push((table.ty.element_type, table.ty.initial, init));
        }
        Ok(())
    }

    /// At most one 32-bit memory with the standard page size.
    fn read_memories(&mut self, reader: MemorySectionReader<'_>) -> Result<(), Error> {
        for memory in reader {
            let memory = memory.map_err(invalid)?;
            if self.memory.is_some() {
                return Err(Error::Unsupported("multiple memories".into()));
            }
            if memory.memory64 || memory.shared || memory.page_size_log2.is_some() {
                return Err(Error::Unsupported(
                    "64-bit, shared or custom-page-size memories".into(),
                ));
            }
            self.memory = Some(Memory {
                initial_pages: memory.initial,
                maximum_pages: memory.maximum.unwrap_or(65536).min(65536),
            });
        }
        Ok(())
    }

    fn read_globals(&mut self, reader: GlobalSectionReader<'_>) -> Result<(), Error> {
        for global in reader {
            let global = global.map_err(invalid)?;
            if global.ty.shared {
                return Err(Error::Unsupported("shared globals".into()));
            }
            let ty = ValType::from_wasm(global.ty.content_type)?;
            let init = eval_const(&global.init_expr, &self.globals)?;
            self.globals.push(Global {
                ty,
                mutable: global.ty.mutable,
                init,
            });
        }
        Ok(())
    }

    fn read_exports(&mut self, reader: ExportSectionReader<'_>) -> Result<(), Error> {
        for export in reader {
            let export = export.map_err(invalid)?;
            self.exports.push(Export {
                name: export.name.to_string(),
                kind: match export.kind {
                    ExternalKind::Func => ExportKind::Func(export.index),
                    _ => ExportKind::Other,
                },
            });
        }
        Ok(())
    }

    fn read_start(&mut self, func: u32) {
        self.start = Some(func);
    }

    /// Active element segments, applied at instantiation.
    fn read_elements(
        &self,
        reader: ElementSectionReader<'_>,
        pending: &mut Pending,
    ) -> Result<(), Error> {
        for element in reader {
            let element = element.map_err(invalid)?;
            let ElementKind::Active {
                table_index,
                offset_expr,
            } = element.kind
            else {
                // Passive and declared segments only matter to table.init
                // and ref.func, which are refused.
                continue;
            };
            let offset = match eval_const(&offset_expr, &self.globals)? {
                Value::I32(v) => v,
                _ => return Err(Error::Unsupported("64-bit table offsets".into())),
            };
            let mut items = vec![];
            match element.items {
                ElementItems::Functions(funcs) => {
                    for f in funcs {
                        items.push(Some(f.map_err(invalid)?));
                    }
                }
                ElementItems::Expressions(_, exprs) => {
                    for expr in exprs {
                        items.push(eval_const(&expr.map_err(invalid)?, &self.globals)?.func_ref());
                    }
                }
            }
            pending
                .elements
                .push((table_index.unwrap_or(0), offset, items));
        }
        Ok(())
    }

    fn read_data(&mut self, reader: DataSectionReader<'a>) -> Result<(), Error> {
        for data in reader {
            let data = data.map_err(invalid)?;
            let offset = match data.kind {
                DataKind::Passive => None,
                DataKind::Active { offset_expr, .. } => {
                    match eval_const(&offset_expr, &self.globals)? {
                        Value::I32(v) => Some(v),
                        _ => return Err(Error::Unsupported("64-bit data offsets".into())),
                    }
                }
            };
            self.data.push(DataSegment {
                bytes: data.data,
                offset,
            });
        }
        Ok(())
    }

    /// One function body (the code section comes entry by entry).
    fn read_code(&mut self, body: FunctionBody<'a>) {
        self.bodies.push(body);
    }

    /// Function names from the name section; a malformed one is ignored,
    /// as engines do.
    fn read_custom(&mut self, section: &CustomSectionReader<'_>) {
        if let KnownCustom::Name(names) = section.as_known() {
            for name in names.flatten() {
                if let Name::Function(map) = name {
                    for naming in map.into_iter().flatten() {
                        // `{:#}` leaves out the hash suffix; names that are
                        // not Rust symbols stay as they are.
                        let name = format!("{:#}", rustc_demangle::demangle(naming.name));
                        self.func_names.insert(naming.index, name);
                    }
                }
            }
        }
    }

    /// Instantiation, as the spec orders it: tables get their elements,
    /// then memory its data; the first segment out of bounds traps.
    fn instantiate(&mut self, pending: Pending) -> Result<(), Error> {
        for (element_type, initial, init) in pending.tables {
            if !element_type.is_func_ref() {
                return Err(Error::Unsupported(format!("tables of `{element_type}`")));
            }
            let mut entries = BTreeMap::new();
            if let Some(f) = init {
                for i in 0..initial.min(u32::MAX as u64) {
                    entries.insert(i as u32, f);
                }
            }
            self.tables.push(Table {
                size: initial,
                entries,
            });
        }
        for (table, offset, items) in pending.elements {
            let table = &mut self.tables[table as usize];
            if offset as u64 + items.len() as u64 > table.size {
                self.instantiation = Instantiation::Trap("out of bounds table access");
                break;
            }
            for (i, item) in items.into_iter().enumerate() {
                let at = offset + i as u32;
                match item {
                    Some(f) => table.entries.insert(at, f),
                    None => table.entries.remove(&at),
                };
            }
        }
        if matches!(self.instantiation, Instantiation::Ok) {
            let memory_size = self.memory.as_ref().map_or(0, |m| m.initial_pages * 65536);
            for segment in &self.data {
                if let Some(offset) = segment.offset {
                    if offset as u64 + segment.bytes.len() as u64 > memory_size {
                        self.instantiation = Instantiation::Trap("out of bounds memory access");
                        break;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Sections whose effect waits for instantiation.
#[derive(Default)]
struct Pending {
    /// Element type, initial size and initial value of each table.
    tables: Vec<(RefType, u64, Option<u32>)>,
    /// Active element segments: table, offset, items.
    elements: Vec<(u32, u32, Vec<Option<u32>>)>,
}

/// The module must not have imports.
fn read_imports(reader: ImportSectionReader<'_>) -> Result<(), Error> {
    if let Some(import) = reader.into_imports().next() {
        let import = import.map_err(invalid)?;
        return Err(Error::Unsupported(format!(
            "import `{}`.`{}` (the module must not have imports)",
            import.module, import.name
        )));
    }
    Ok(())
}

impl Value {
    fn func_ref(self) -> Option<u32> {
        match self {
            Value::FuncRef(f) => f,
            _ => None,
        }
    }
}

pub(crate) fn invalid(e: wasmparser::BinaryReaderError) -> Error {
    Error::Invalid(e.to_string())
}

/// Evaluates a constant expression: constants, `global.get` of an earlier
/// global, the extended-const arithmetic, `ref.null` and `ref.func`.
fn eval_const(expr: &ConstExpr<'_>, globals: &[Global]) -> Result<Value, Error> {
    let mut stack: Vec<Value> = vec![];
    let mut reader = expr.get_operators_reader();
    while !reader.eof() {
        let op = reader.read().map_err(invalid)?;
        let value = match op {
            Operator::I32Const { value } => Value::I32(value as u32),
            Operator::I64Const { value } => Value::I64(value),
            Operator::F32Const { value } => Value::F32(value.bits()),
            Operator::F64Const { value } => Value::F64(value.bits()),
            Operator::GlobalGet { global_index } => globals[global_index as usize].init,
            Operator::RefNull { .. } => Value::FuncRef(None),
            Operator::RefFunc { function_index } => Value::FuncRef(Some(function_index)),
            Operator::I32Add | Operator::I32Sub | Operator::I32Mul => {
                let (Some(Value::I32(b)), Some(Value::I32(a))) = (stack.pop(), stack.pop()) else {
                    return Err(Error::Invalid("ill-typed constant expression".into()));
                };
                Value::I32(match op {
                    Operator::I32Add => a.wrapping_add(b),
                    Operator::I32Sub => a.wrapping_sub(b),
                    _ => a.wrapping_mul(b),
                })
            }
            Operator::I64Add | Operator::I64Sub | Operator::I64Mul => {
                let (Some(Value::I64(b)), Some(Value::I64(a))) = (stack.pop(), stack.pop()) else {
                    return Err(Error::Invalid("ill-typed constant expression".into()));
                };
                Value::I64(match op {
                    Operator::I64Add => a.wrapping_add(b),
                    Operator::I64Sub => a.wrapping_sub(b),
                    _ => a.wrapping_mul(b),
                })
            }
            Operator::End => break,
            other => {
                return Err(Error::Unsupported(format!(
                    "instruction `{}` in a constant expression",
                    crate::opcode::name(&other)
                )))
            }
        };
        stack.push(value);
    }
    stack
        .pop()
        .ok_or_else(|| Error::Invalid("empty constant expression".into()))
}
