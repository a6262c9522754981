//! Hand-written modules for what the random ones reach rarely: memory at
//! its edges (unaligned, out of bounds, offsets, growth, bulk operations),
//! control flow carrying values, indirect calls, globals, multi-value and
//! instantiation. Each runs on wasmi and through the generated PHP, call
//! by call on one instance, final memory included.

mod support;

use support::{Call, Case};
use wasmi::core::F64;
use wasmi::Val;

fn call(export: &str, args: &[i64]) -> Call {
    Call {
        export: export.into(),
        args: args.iter().map(|v| Val::I32(*v as i32)).collect(),
    }
}

fn case(name: &str, wat: &str, calls: Vec<Call>) -> Case {
    Case {
        name: name.into(),
        wasm: wat::parse_str(wat).unwrap_or_else(|e| panic!("{name}: {e}")),
        calls,
        fresh_instances: false,
    }
}

const MEMORY: &str = r#"(module
  (memory (export "memory") 1 3)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10\80\81\fe\ff")
  (data (i32.const 65530) "\aa\bb\cc\dd\ee\ff")
  (func (export "load8_s") (param i32) (result i32) local.get 0 i32.load8_s)
  (func (export "load8_u") (param i32) (result i32) local.get 0 i32.load8_u)
  (func (export "load16_s") (param i32) (result i32) local.get 0 i32.load16_s)
  (func (export "load16_u") (param i32) (result i32) local.get 0 i32.load16_u)
  (func (export "load32") (param i32) (result i32) local.get 0 i32.load)
  (func (export "load32_off1") (param i32) (result i32) local.get 0 i32.load offset=1)
  (func (export "load32_off_big") (param i32) (result i32) local.get 0 i32.load offset=65532)
  (func (export "load32_off_max") (param i32) (result i32) local.get 0 i32.load offset=4294967295)
  (func (export "load64") (param i32) (result i64) local.get 0 i64.load)
  (func (export "load64_8s") (param i32) (result i64) local.get 0 i64.load8_s)
  (func (export "load64_16s") (param i32) (result i64) local.get 0 i64.load16_s)
  (func (export "load64_32s") (param i32) (result i64) local.get 0 i64.load32_s)
  (func (export "load64_32u") (param i32) (result i64) local.get 0 i64.load32_u)
  (func (export "loadf64") (param i32) (result f64) local.get 0 f64.load)
  (func (export "loadf32") (param i32) (result f32) local.get 0 f32.load)
  (func (export "store8") (param i32 i32) local.get 0 local.get 1 i32.store8)
  (func (export "store16") (param i32 i32) local.get 0 local.get 1 i32.store16 offset=1)
  (func (export "store32") (param i32 i32) local.get 0 local.get 1 i32.store)
  (func (export "store64") (param i32 i32) local.get 0 local.get 1 i64.extend_i32_s i64.const 0x0102030405060708 i64.mul i64.store)
  (func (export "store64_32") (param i32 i32) local.get 0 local.get 1 i64.extend_i32_s i64.store32 offset=3)
  (func (export "store_const") (param i32) local.get 0 i64.const -0x0123456789abcdf0 i64.store offset=2)
  (func (export "storef64") (param i32 i32) local.get 0 local.get 1 f64.convert_i32_s f64.const 0.1 f64.mul f64.store)
  ;; a load and a store of the same width: the bytes are copied, the
  ;; ranges may overlap
  (func (export "move64") (param i32 i32) local.get 1 local.get 0 i64.load i64.store)
  (func (export "move32") (param i32 i32) local.get 1 local.get 0 i32.load offset=1 i32.store offset=2)
  (func (export "move8") (param i32 i32) local.get 1 local.get 0 i32.load8_s i32.store8)
  (func (export "movef32") (param i32 i32) local.get 1 local.get 0 f32.load f32.store)
  ;; a load kept pending across a store to the same place must read first
  (func (export "load_then_store") (param i32) (result i32)
    local.get 0 i32.load
    local.get 0 i32.const 0x11223344 i32.store
    local.get 0 i32.load i32.add)
  ;; the same address checked twice, then a wider access
  (func (export "rechecks") (param i32) (result i32)
    local.get 0 i32.load offset=8 local.get 0 i32.load offset=4 i32.add
    local.get 0 i32.load offset=12 i32.add)
  ;; an address from a global: a check proves nothing once the global or
  ;; a call changes it
  (global $p (mut i32) (i32.const 0))
  (func $move_p (global.set $p (i32.const 70000)))
  (func (export "global_address") (param i32) (result i32)
    (global.set $p (local.get 0))
    global.get $p i32.load
    call $move_p
    global.get $p i32.load
    i32.add)
  (func (export "global_address2") (param i32) (result i32)
    (global.set $p (local.get 0))
    global.get $p i32.load
    (global.set $p (i32.add (global.get $p) (i32.const 65533)))
    global.get $p i32.load
    i32.add)
  ;; a comparison result as an address, checked, then changed
  (func (export "bool_address") (param i32 i32) (result i32) (local i32)
    (i32.load8_u (i32.lt_u (local.get 0) (local.get 1)))
    (local.set 2 (i32.load offset=65532 (i32.gt_u (local.get 0) (local.get 1))))
    (i32.add (local.get 2)))
  (func (export "size") (result i32) memory.size)
  (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
  (func (export "copy") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.copy)
  (func (export "fill") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.fill)
)"#;

fn memory_calls() -> Vec<Call> {
    let mut calls = vec![];
    let addresses: &[i64] = &[
        0,
        1,
        2,
        3,
        5,
        7,
        15,
        16,
        17,
        18,
        65527,
        65528,
        65529,
        65530,
        65531,
        65532,
        65533,
        65534,
        65535,
        65536,
        -1,
        -2,
        -4,
        -8,
        0x7fff_ffff,
        0x8000_0000,
    ];
    for export in [
        "load8_s",
        "load8_u",
        "load16_s",
        "load16_u",
        "load32",
        "load32_off1",
        "load32_off_big",
        "load32_off_max",
        "load64",
        "load64_8s",
        "load64_16s",
        "load64_32s",
        "load64_32u",
        "loadf64",
        "loadf32",
        "rechecks",
    ] {
        for a in addresses {
            calls.push(call(export, &[*a]));
        }
    }
    for (export, value) in [
        ("store8", 0x1ff),
        ("store16", -2),
        ("store32", 0x7654_3210),
        ("store64", -3),
        ("store64_32", -5),
        ("storef64", 7),
    ] {
        for a in [1, 4097, 65528, 65531, 65533, 65535, 65536, -1, -3] {
            calls.push(call(export, &[a, value]));
            calls.push(call("load64", &[a]));
        }
    }
    for a in [10, 65526, 65535] {
        calls.push(call("store_const", &[a]));
    }
    for (from, to) in [
        (0, 100),
        (0, 3),
        (3, 0),
        (0, 0),
        (65528, 0),
        (0, 65529),
        (65529, 8),
        (1, 65534),
    ] {
        for export in ["move64", "move32", "move8", "movef32"] {
            calls.push(call(export, &[from, to]));
            calls.push(call("load64", &[to]));
        }
    }
    for a in [0, 8, 65532] {
        calls.push(call("global_address", &[a]));
        calls.push(call("global_address2", &[a]));
    }
    for (a, b) in [(1, 2), (2, 1), (3, 3)] {
        calls.push(call("bool_address", &[a, b]));
    }
    calls.push(call("load_then_store", &[200]));
    calls.push(call("load_then_store", &[65534]));
    // Bulk memory: overlapping both ways, zero length at the end, out of
    // bounds (nothing written), then large ranges after growing.
    for (d, s, n) in [
        (1, 0, 16),
        (0, 1, 16),
        (100, 0, 20),
        (65536, 0, 0),
        (65530, 0, 7),
        (0, 65530, 7),
        (-1, 0, 1),
        (5, 5, 3),
    ] {
        calls.push(call("copy", &[d, s, n]));
        calls.push(call("load64", &[d]));
    }
    for (d, v, n) in [
        (3, 0x1ab, 5),
        (65530, 7, 6),
        (65530, 7, 7),
        (65536, 1, 0),
        (65537, 1, 0),
    ] {
        calls.push(call("fill", &[d, v, n]));
        calls.push(call("load64", &[d]));
    }
    calls.push(call("size", &[]));
    calls.push(call("grow", &[0]));
    calls.push(call("grow", &[1]));
    calls.push(call("size", &[]));
    calls.push(call("load32", &[65536]));
    calls.push(call("load32", &[131068]));
    calls.push(call("load32", &[131069]));
    calls.push(call("grow", &[2]));
    calls.push(call("grow", &[-1]));
    calls.push(call("grow", &[1]));
    calls.push(call("size", &[]));
    calls.push(call("fill", &[1000, 0x5a, 150_000]));
    calls.push(call("copy", &[7, 1001, 120_000]));
    calls.push(call("copy", &[120_001, 3, 70_000]));
    calls.push(call("load64", &[120_003]));
    calls.push(call("fill", &[196_600, 1, 100]));
    calls
}

const CONTROL: &str = r#"(module
  (type $ii (func (param i32) (result i32)))
  (table 6 funcref)
  (elem (i32.const 1) $double $square $pair_sum)
  (global $counter (mut i32) (i32.const 0))
  (global $wide (mut i64) (i64.const -1))
  (global $float (mut f64) (f64.const 1.5))
  (global $fixed i32 (i32.const 42))
  (func $double (param i32) (result i32) local.get 0 i32.const 2 i32.mul)
  (func $square (param i32) (result i32) local.get 0 local.get 0 i32.mul)
  (func $pair_sum (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  ;; br_table carrying a value to blocks, the default included
  (func (export "table") (param i32) (result i32)
    (block (result i32)
      (block (result i32)
        (block (result i32)
          (block (result i32)
            i32.const 100 local.get 0
            br_table 0 1 2 1 3 0)
          i32.const 1 i32.add)
        i32.const 10 i32.add)
      i32.const 1000 i32.add))
  ;; br_table to a loop: count down, summing
  (func (export "table_loop") (param i32) (result i32) (local i32)
    (block $out
      (loop $again
        local.get 0 i32.eqz br_if $out
        local.get 1 local.get 0 i32.add local.set 1
        local.get 0 i32.const 1 i32.sub local.tee 0
        i32.const 3 i32.rem_u
        br_table $again $again $out))
    local.get 1)
  ;; a loop with parameters and results (multi-value): Fibonacci
  (func (export "fib") (param i32) (result i64) (local i64 i64)
    i64.const 0 i64.const 1 local.get 0
    (loop $l (param i64 i64 i32) (result i64)
      local.set 0
      local.get 0 i32.eqz
      (if (param i64 i64) (result i64)
        (then drop)
        (else
          local.set 1 local.get 1 i64.add local.set 2
          local.get 1 local.get 2 local.get 0 i32.const 1 i32.sub
          br $l))))
  (func $swap (param i32 i32) (result i32 i32) local.get 1 local.get 0)
  (func (export "swap") (param i32 i32) (result i32 i32) local.get 0 local.get 1 call $swap)
  (func (export "divmod") (param i32 i32) (result i32 i32 i64)
    local.get 0 local.get 1 i32.div_s local.get 0 local.get 1 i32.rem_s local.get 0 i64.extend_i32_u)
  ;; if with parameters, without else, blocks with parameters
  (func (export "if_params") (param i32 i32) (result i32)
    local.get 1
    local.get 0
    (if (param i32) (result i32) (then i32.const 7 i32.add))
    (block (param i32) (result i32) i32.const 3 i32.mul))
  ;; nested branches out of an if, a block and a loop at once
  (func (export "nested") (param i32) (result i32) (local i32)
    (block $a (result i32)
      (loop $l
        (block $b
          local.get 1 i32.const 1 i32.add local.tee 1
          local.get 0 i32.ge_u
          (if (then local.get 1 i32.const 100 i32.mul br $a))
          local.get 1 i32.const 5 i32.eq br_if $b
          br $l)
        i32.const -1 return)
      i32.const 0))
  (func (export "indirect") (param i32 i32) (result i32)
    local.get 1 local.get 0 call_indirect (type $ii))
  (func (export "indirect2") (param i32 i32) (result i32)
    local.get 1 local.get 1 local.get 0 call_indirect (param i32 i32) (result i32))
  (func (export "globals") (param i32) (result i64)
    global.get $counter local.get 0 i32.add global.set $counter
    global.get $wide i64.const 3 i64.mul global.set $wide
    global.get $float f64.const 2 f64.mul global.set $float
    global.get $counter i64.extend_i32_u global.get $wide i64.add
    global.get $float i64.trunc_f64_s i64.add global.get $fixed i64.extend_i32_s i64.add)
  ;; a pending global.get must be read before a call that changes it
  (func $bump (result i32) global.get $counter i32.const 1 i32.add global.set $counter i32.const 0)
  (func (export "global_order") (result i32) global.get $counter call $bump i32.add global.get $counter i32.sub)
  ;; a pending local.get must be read before local.set changes it
  (func (export "local_order") (param i32) (result i32)
    local.get 0 local.get 0 i32.const 5 i32.add local.set 0 local.get 0 i32.sub)
  (func (export "select") (param i32 i64 i64) (result i64) local.get 1 local.get 2 local.get 0 select)
  (func (export "trap_unreachable") unreachable)
  (func (export "float_arg") (param f64) (result f64) local.get 0 f64.const 3 f64.div)
)"#;

fn control_calls() -> Vec<Call> {
    let mut calls = vec![];
    for i in [0, 1, 2, 3, 4, 5, 6, -1] {
        calls.push(call("table", &[i]));
    }
    for n in [0, 1, 2, 3, 4, 7, 10] {
        calls.push(call("table_loop", &[n]));
        calls.push(call("fib", &[n]));
        calls.push(call("nested", &[n]));
    }
    calls.push(call("swap", &[1, -2]));
    for (a, b) in [(7, 2), (-7, 2), (7, 0), (i32::MIN as i64, -1)] {
        calls.push(call("divmod", &[a, b]));
    }
    calls.push(call("if_params", &[0, 5]));
    calls.push(call("if_params", &[1, 5]));
    for i in 0..7 {
        calls.push(call("indirect", &[i, 6]));
        calls.push(call("indirect2", &[i, 6]));
    }
    calls.push(call("indirect", &[-1, 6]));
    calls.push(call("indirect", &[100, 6]));
    for i in [1, 2, 3] {
        calls.push(call("globals", &[i]));
        calls.push(call("global_order", &[]));
    }
    calls.push(call("local_order", &[9]));
    calls.push(Call {
        export: "select".into(),
        args: vec![Val::I32(0), Val::I64(1), Val::I64(-2)],
    });
    calls.push(Call {
        export: "select".into(),
        args: vec![Val::I32(7), Val::I64(1), Val::I64(-2)],
    });
    calls.push(call("trap_unreachable", &[]));
    calls.push(Call {
        export: "float_arg".into(),
        args: vec![Val::F64(F64::from(1.0))],
    });
    calls
}

/// Instantiation: a start function that writes memory and a global; a
/// data segment out of bounds; an element segment out of bounds.
fn instantiation_cases() -> Vec<Case> {
    vec![
        case(
            "start function",
            r#"(module (memory (export "memory") 1) (global $g (mut i32) (i32.const 1))
                (func $start i32.const 8 i32.const 77 i32.store global.get $g i32.const 41 i32.add global.set $g)
                (start $start)
                (func (export "get") (result i32) global.get $g i32.const 8 i32.load i32.add))"#,
            vec![call("get", &[])],
        ),
        case(
            "start function that traps",
            r#"(module (func $start unreachable) (start $start) (func (export "f")))"#,
            vec![call("f", &[])],
        ),
        case(
            "data out of bounds",
            r#"(module (memory 1) (data (i32.const 65535) "ab") (func (export "f")))"#,
            vec![call("f", &[])],
        ),
        case(
            "elements out of bounds",
            r#"(module (table 2 funcref) (func $f) (elem (i32.const 1) $f $f) (func (export "f")))"#,
            vec![call("f", &[])],
        ),
        case(
            "passive data",
            r#"(module (memory (export "memory") 1) (data $d "hello world")
                (func (export "init") (param i32 i32 i32) local.get 0 local.get 1 local.get 2 memory.init $d)
                (func (export "drop") data.drop $d))"#,
            vec![
                call("init", &[10, 0, 11]),
                call("init", &[20, 6, 5]),
                call("init", &[30, 6, 6]),
                call("init", &[65530, 0, 7]),
                call("drop", &[]),
                call("init", &[40, 0, 0]),
                call("init", &[40, 0, 1]),
            ],
        ),
    ]
}

#[test]
fn hand_written_modules_agree_with_wasmi() {
    let mut cases = vec![
        case("memory", MEMORY, memory_calls()),
        case("control", CONTROL, control_calls()),
    ];
    cases.extend(instantiation_cases());
    let calls: usize = cases.iter().map(|c| c.calls.len()).sum();
    let failures = support::differential(cases, "programs_by_hand", 10);
    eprintln!("{calls} calls compared with wasmi");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Traps name the WASM function (from the name section, else `func[N]`)
/// and the kind; the message is the whole API a host sees.
#[test]
fn trap_messages_name_the_function_and_the_kind() {
    let wat = r#"(module
      (memory 1)
      (func $named_function (export "boom") unreachable)
      (func (export "div") (param i32) (result i32) i32.const 1 local.get 0 i32.div_u)
      (func (export "oob") (result i32) i32.const 65535 i32.load)
      (func (export "conv") (result i32) f64.const nan i32.trunc_f64_s)
      (func (export "overflow") (result i32) f64.const 1e10 i32.trunc_f64_s)
      (func (export "deep") (result i32) call $named_function i32.const 0))"#;
    let mut wasm = wat::parse_str(wat).unwrap();
    // The same module without its name section names functions by index.
    let unnamed = strip_name_section(&wasm);
    let dir = support::scratch_dir("traps");
    let mut script = String::from("<?php\n");
    for (class, bytes) in [("Named", &mut wasm), ("Unnamed", &mut unnamed.clone())] {
        let php = wasm2php::translate(
            bytes,
            &wasm2php::Options {
                namespace: String::new(),
                class: class.into(),
            },
        )
        .unwrap();
        std::fs::write(dir.join(format!("{class}.php")), php).unwrap();
        script.push_str(&format!(
            "require __DIR__ . '/{class}.php';\n$m = new {class}();\n"
        ));
        for call in [
            "export_boom()",
            "export_div(0)",
            "export_oob()",
            "export_conv()",
            "export_overflow()",
            "export_deep()",
            "readMemory(65530, 7)",
            "writeMemory(-1, 'x')",
        ] {
            script.push_str(&format!(
                "try {{ $m->{call}; echo \"no trap\\n\"; }} catch (\\RuntimeException $e) {{ echo get_class($e), ': ', $e->getMessage(), \"\\n\"; }}\n"
            ));
        }
    }
    std::fs::write(dir.join("traps.php"), script).unwrap();
    let (out, err) = support::run_php_file(&dir.join("traps.php"));
    assert_eq!(err, "");
    let expected = "\
RuntimeException: wasm trap: unreachable in named_function
RuntimeException: wasm trap: integer divide by zero in func[1]
RuntimeException: wasm trap: out of bounds memory access in func[2]
RuntimeException: wasm trap: invalid conversion to integer in func[3]
RuntimeException: wasm trap: integer overflow in func[4]
RuntimeException: wasm trap: unreachable in named_function
RuntimeException: wasm trap: out of bounds memory access in readMemory
RuntimeException: wasm trap: out of bounds memory access in writeMemory
RuntimeException: wasm trap: unreachable in func[0]
RuntimeException: wasm trap: integer divide by zero in func[1]
RuntimeException: wasm trap: out of bounds memory access in func[2]
RuntimeException: wasm trap: invalid conversion to integer in func[3]
RuntimeException: wasm trap: integer overflow in func[4]
RuntimeException: wasm trap: unreachable in func[0]
RuntimeException: wasm trap: out of bounds memory access in readMemory
RuntimeException: wasm trap: out of bounds memory access in writeMemory
";
    assert_eq!(out, expected);
}

/// The module without its custom sections (the name section among them).
fn strip_name_section(wasm: &[u8]) -> Vec<u8> {
    let mut out = wasm[..8].to_vec();
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        let (size, len_bytes) = leb128(&wasm[at + 1..]);
        let end = at + 1 + len_bytes + size as usize;
        if id != 0 {
            out.extend_from_slice(&wasm[at..end]);
        }
        at = end;
    }
    out
}

fn leb128(bytes: &[u8]) -> (u32, usize) {
    let mut value = 0u32;
    for (i, b) in bytes.iter().enumerate() {
        value |= ((b & 0x7f) as u32) << (7 * i);
        if b & 0x80 == 0 {
            return (value, i + 1);
        }
    }
    (value, bytes.len())
}
