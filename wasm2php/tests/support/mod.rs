//! Differential testing: run the same calls on `wasmi` and on the PHP that
//! wasm2php generates, and compare every result, trap and the final memory.
//!
//! Many modules go into one PHP process (distinct class names), and
//! batches run in parallel, so thousands of modules take seconds.

#![allow(dead_code)]

pub mod smith;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use wasmi::{Engine, Linker, Module, Store, Val};

/// One module and the calls to make on one instance of it, in order.
pub struct Case {
    pub name: String,
    pub wasm: Vec<u8>,
    pub calls: Vec<Call>,
    /// A new instance for every call (for modules whose fuel runs out).
    pub fresh_instances: bool,
}

pub struct Call {
    pub export: String,
    pub args: Vec<Val>,
}

/// What both sides printed for a case, line by line.
pub struct Outcome {
    pub lines: Vec<String>,
}

/// A trap as the generated PHP names it.
fn trap_kind(code: wasmi::core::TrapCode) -> &'static str {
    use wasmi::core::TrapCode::*;
    match code {
        UnreachableCodeReached => "unreachable",
        MemoryOutOfBounds => "out of bounds memory access",
        TableOutOfBounds => "undefined element",
        IndirectCallToNull => "uninitialized element",
        IntegerDivisionByZero => "integer divide by zero",
        IntegerOverflow => "integer overflow",
        BadConversionToInteger => "invalid conversion to integer",
        StackOverflow => "call stack exhausted",
        BadSignature => "indirect call type mismatch",
        OutOfFuel => "out of fuel",
        GrowthOperationLimited => "growth operation limited",
    }
}

pub fn format_val(val: &Val) -> String {
    match val {
        Val::I32(v) => v.to_string(),
        Val::I64(v) => v.to_string(),
        Val::F32(v) => format!("f32:{:08x}", v.to_bits()),
        Val::F64(v) => format!("f64:{:016x}", v.to_bits()),
        other => format!("unsupported:{other:?}"),
    }
}

/// FNV-1a 64, as PHP's `hash('fnv1a64', …)`.
pub fn fnv1a64(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= *b as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The expected lines, from wasmi. Calls after one that overflows wasmi's
/// call stack are dropped from the case (the PHP limit is 10,000 calls,
/// wasmi's 1,024 frames), so the PHP side only runs comparable calls.
pub fn run_wasmi(case: &mut Case) -> Outcome {
    let engine = Engine::default();
    let module = Module::new(&engine, &case.wasm[..]).expect("wasmi accepts the module");
    let mut lines = vec![];
    let mut instance = None;
    let mut store = Store::new(&engine, ());
    let mut i = 0;
    while i < case.calls.len() || instance.is_none() {
        if instance.is_none() || case.fresh_instances {
            store = Store::new(&engine, ());
            match instantiate(&module, &mut store) {
                Ok(new) => {
                    lines.push("init ok".to_string());
                    instance = Some(new);
                }
                Err(line) => {
                    case.calls.clear();
                    lines.push(line);
                    break;
                }
            }
        }
        let Some(call) = case.calls.get(i) else { break };
        let instance = instance.unwrap();
        let func = instance
            .get_func(&store, &call.export)
            .unwrap_or_else(|| panic!("{}: no export {}", case.name, call.export));
        let ty = func.ty(&store);
        let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default(*t)).collect();
        let line = match func.call(&mut store, &call.args, &mut results) {
            Ok(()) if results.is_empty() => "-".to_string(),
            Ok(()) => results.iter().map(format_val).collect::<Vec<_>>().join(" "),
            Err(e) => match e.as_trap_code() {
                Some(wasmi::core::TrapCode::StackOverflow) => {
                    if case.fresh_instances {
                        lines.pop();
                    }
                    case.calls.truncate(i);
                    break;
                }
                Some(code) => format!("trap:{}", trap_kind(code)),
                None => format!("wasmi error: {e}"),
            },
        };
        lines.push(format!("call {i}: {line}"));
        if case.fresh_instances || i + 1 == case.calls.len() {
            if let Some(memory) = instance.exports(&store).find_map(|e| e.into_memory()) {
                let data = memory.data(&store);
                lines.push(format!("mem {} {}", data.len(), fnv1a64(data)));
            }
        }
        i += 1;
    }
    Outcome { lines }
}

fn instantiate(module: &Module, store: &mut Store<()>) -> Result<wasmi::Instance, String> {
    let linker = Linker::<()>::new(module.engine());
    match linker.instantiate(&mut *store, module) {
        Err(_) => Err("init trap".to_string()),
        Ok(pre) => pre.start(&mut *store).map_err(|e| {
            let kind = e.as_trap_code().map_or("instantiation", trap_kind);
            format!("init trap:{kind}")
        }),
    }
}

/// Whether the module exports a memory (the PHP side then hashes it too).
fn exports_memory(wasm: &[u8]) -> bool {
    wasmparser::Parser::new(0).parse_all(wasm).any(|p| {
        matches!(p, Ok(wasmparser::Payload::ExportSection(reader))
            if reader.clone().into_iter().any(|e| matches!(e, Ok(e) if e.kind == wasmparser::ExternalKind::Memory)))
    })
}

fn php_arg(val: &Val) -> String {
    match val {
        Val::I32(v) => v.to_string(),
        Val::I64(v) if *v == i64::MIN => "\\PHP_INT_MIN".into(),
        Val::I64(v) => v.to_string(),
        Val::F32(v) => {
            let f = f32::from_bits(v.to_bits());
            let widened = if f.is_nan() {
                let bits = v.to_bits();
                ((bits as u64 >> 31) << 63)
                    | 0x7ff0_0000_0000_0000
                    | (((bits & 0x007f_ffff) as u64) << 29)
            } else {
                (f as f64).to_bits()
            };
            format!("\\unpack('E', \\hex2bin('{widened:016x}'))[1]")
        }
        Val::F64(v) => format!("\\unpack('E', \\hex2bin('{:016x}'))[1]", v.to_bits()),
        other => panic!("unsupported argument {other:?}"),
    }
}

const DRIVER_PRELUDE: &str = r#"<?php
declare(strict_types=1);
// Any PHP warning is a translation bug: make it an exception.
set_error_handler(function (int $no, string $msg, string $file, int $line): bool {
    throw new \ErrorException($msg, 0, $no, $file, $line);
});
function v($x, string $t): string {
    switch ($t) {
        case 'i32':
            return is_int($x) && $x >= -2147483648 && $x <= 2147483647 ? (string) $x : 'bad:' . var_export($x, true);
        case 'i64':
            return is_int($x) ? (string) $x : 'bad:' . var_export($x, true);
        case 'f32':
            if (!is_float($x)) return 'bad:' . var_export($x, true);
            if ($x != $x) {
                // An f32 NaN travels as the f64 NaN with its sign and payload.
                $d = unpack('J', pack('E', $x))[1];
                return sprintf('f32:%08x', (($d >> 32) & 0x80000000) | 0x7F800000 | (($d >> 29) & 0x7FFFFF));
            }
            $back = unpack('G', pack('G', $x))[1];
            if ($back != $x) return 'bad f32:' . var_export($x, true);
            return 'f32:' . bin2hex(pack('G', $x));
        default:
            return is_float($x) ? 'f64:' . bin2hex(pack('E', $x)) : 'bad:' . var_export($x, true);
    }
}
function r($result, array $types): string {
    if (count($types) === 0) return $result === null ? '-' : 'bad:' . var_export($result, true);
    if (count($types) === 1) return v($result, $types[0]);
    if (!is_array($result) || count($result) !== count($types)) return 'bad:' . var_export($result, true);
    return implode(' ', array_map('v', $result, $types));
}
function e(\Throwable $e): string {
    $msg = $e->getMessage();
    if (get_class($e) === 'RuntimeException' && strpos($msg, 'wasm trap: ') === 0) {
        return 'trap:' . preg_replace('/ in .*$/s', '', substr($msg, 11));
    }
    return 'error:' . get_class($e) . ': ' . $msg . ' @' . $e->getLine();
}
function mem($instance): string {
    $p = new \ReflectionProperty($instance, 'mem');
    $p->setAccessible(true);
    $m = $p->getValue($instance);
    return 'mem ' . strlen($m) . ' ' . hash('fnv1a64', $m);
}
"#;

/// Translates every case, runs them in PHP (batched, in parallel) and
/// returns the PHP lines of each case.
pub fn run_php(cases: &[Case], dir: &Path, batch: usize) -> Vec<Outcome> {
    std::fs::create_dir_all(dir).unwrap();
    let mut drivers = vec![];
    for (b, chunk) in cases.chunks(batch).enumerate() {
        let mut driver = String::from(DRIVER_PRELUDE);
        for (k, case) in chunk.iter().enumerate() {
            let index = b * batch + k;
            let class = format!("M{index}");
            let options = wasm2php::Options {
                namespace: "Wasm2phpTest".into(),
                class: class.clone(),
            };
            let php = wasm2php::translate(&case.wasm, &options)
                .unwrap_or_else(|e| panic!("{}: translation failed: {e}", case.name));
            let file = dir.join(format!("{class}.php"));
            std::fs::write(&file, php).unwrap();
            std::fs::write(dir.join(format!("{class}.wasm")), &case.wasm).unwrap();
            let exports = wasm2php::exported_functions(&case.wasm).unwrap();
            let _ = writeln!(driver, "echo \"== {index}\\n\";");
            let _ = writeln!(driver, "require {};", php_string(&file.to_string_lossy()));
            let new_instance = format!(
                "$i = null; try {{ $i = new \\Wasm2phpTest\\{class}(); echo \"init ok\\n\"; }} catch (\\Throwable $x) {{ $k = e($x); echo strpos($k, 'trap:') === 0 ? 'init ' . $k : $k, \"\\n\"; }}\n"
            );
            let with_memory = exports_memory(&case.wasm);
            driver.push_str(&new_instance);
            for (c, call) in case.calls.iter().enumerate() {
                if case.fresh_instances && c > 0 {
                    driver.push_str(&new_instance);
                }
                let export = exports
                    .iter()
                    .find(|e| e.export == call.export)
                    .expect("export exists");
                let args: Vec<String> = call.args.iter().map(php_arg).collect();
                let types: Vec<String> = export.results.iter().map(|t| format!("'{t}'")).collect();
                let _ = writeln!(
                    driver,
                    "if ($i !== null) {{ try {{ $o = r($i->{}({}), [{}]); }} catch (\\Throwable $x) {{ $o = e($x); }}\necho 'call {c}: ', $o, \"\\n\";",
                    export.method,
                    args.join(", "),
                    types.join(", ")
                );
                if with_memory && (case.fresh_instances || c + 1 == case.calls.len()) {
                    driver.push_str("echo mem($i), \"\\n\";\n");
                }
                driver.push_str("}\n");
            }
            driver.push_str("$i = null;\n");
        }
        let path = dir.join(format!("driver{b}.php"));
        std::fs::write(&path, driver).unwrap();
        drivers.push(path);
    }

    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let outputs: Vec<(usize, String, String)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let drivers = &drivers;
                let next = &next;
                scope.spawn(move || {
                    let mut done = vec![];
                    loop {
                        let b = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        if b >= drivers.len() {
                            break;
                        }
                        let (out, err) = run_php_file(&drivers[b]);
                        done.push((b, out, err));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });

    let mut results: Vec<Outcome> = cases.iter().map(|_| Outcome { lines: vec![] }).collect();
    for (b, out, err) in outputs {
        let mut current: Option<usize> = None;
        for line in out.lines() {
            if let Some(index) = line.strip_prefix("== ") {
                current = index.parse().ok();
            } else if let Some(index) = current {
                results[index].lines.push(line.to_string());
            }
        }
        if !err.trim().is_empty() {
            // A fatal error stops the batch: blame the case that was running.
            let index = current.unwrap_or(b * batch);
            results[index]
                .lines
                .push(format!("php stderr: {}", err.trim()));
        }
    }
    results
}

fn php_string(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

pub fn run_php_file(path: &Path) -> (String, String) {
    let output = Command::new("php")
        .args([
            "-d",
            "memory_limit=1G",
            "-d",
            "display_errors=stderr",
            "-d",
            "error_reporting=-1",
        ])
        .arg(path)
        .output()
        .expect("php is installed (PHP 8.2 CLI)");
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A scratch directory under the target directory (the system's temporary
/// directory outside `cargo test`, e.g. in the fuzz targets), emptied first.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = option_env!("CARGO_TARGET_TMPDIR")
        .map_or_else(std::env::temp_dir, PathBuf::from)
        .join("wasm2php")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs every case on both sides; returns a report of the mismatches.
pub fn differential(mut cases: Vec<Case>, dir_name: &str, batch: usize) -> Vec<String> {
    let expected: Vec<Outcome> = cases.iter_mut().map(run_wasmi).collect();
    let dir = scratch_dir(dir_name);
    let mut actual = run_php(&cases, &dir, batch);
    for (want, got) in expected.iter().zip(&mut actual) {
        // wasmi reports a segment that does not fit as an instantiation
        // error, not a trap code: only the fact is compared.
        if want.lines.first().is_some_and(|l| l == "init trap") {
            if let Some(first) = got.lines.first_mut() {
                if first.starts_with("init trap:") {
                    *first = "init trap".into();
                }
            }
        }
    }
    let mut failures = vec![];
    for (i, case) in cases.iter().enumerate() {
        if expected[i].lines != actual[i].lines {
            let mut report = format!(
                "{} (module {}):\n",
                case.name,
                dir.join(format!("M{i}.wasm")).display()
            );
            let n = expected[i].lines.len().max(actual[i].lines.len());
            for k in 0..n {
                let want = expected[i].lines.get(k).map_or("<none>", |s| s.as_str());
                let got = actual[i].lines.get(k).map_or("<none>", |s| s.as_str());
                if want != got {
                    let _ = writeln!(report, "  wasmi: {want}\n  php:   {got}");
                    if let Some(c) = want.strip_prefix("call ").and_then(|s| s.split(':').next()) {
                        if let Some(call) = c.parse::<usize>().ok().and_then(|c| case.calls.get(c))
                        {
                            let _ = writeln!(report, "  call:  {}({:?})", call.export, call.args);
                        }
                    }
                }
            }
            failures.push(report);
        }
    }
    failures
}
