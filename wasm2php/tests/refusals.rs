//! What the translation does not support is refused when translating, with
//! the instruction (or feature) named, never translated into wrong PHP.

fn translate(wat: &str) -> Result<String, String> {
    let wasm = wat::parse_str(wat).expect("valid WAT");
    wasm2php::translate(&wasm, &wasm2php::Options::default()).map_err(|e| e.to_string())
}

#[test]
fn unsupported_instructions_are_named() {
    let cases = [
        (
            "(module (func (result v128) v128.const i32x4 1 2 3 4))",
            "unsupported instruction `v128.const` in func[0]",
        ),
        (
            "(module (func $simd (param v128) (result v128) local.get 0 local.get 0 i32x4.add))",
            "unsupported instruction `i32x4.add` in simd",
        ),
        ("(module (func $p (param v128)))", "unsupported: value type `v128`"),
        (
            "(module (table 1 funcref) (func $get (result funcref) i32.const 0 table.get 0))",
            "unsupported instruction `table.get` in get",
        ),
        (
            "(module (table 1 funcref) (func $grow (result i32) ref.null func i32.const 1 table.grow 0))",
            "unsupported instruction `ref.null` in grow",
        ),
        (
            "(module (func $f) (func $tail return_call $f))",
            "unsupported instruction `return_call` in tail",
        ),
        (
            "(module (memory 1 1 shared) (func))",
            "unsupported: 64-bit, shared or custom-page-size memories",
        ),
        (
            "(module (memory i64 1) (func))",
            "unsupported: 64-bit, shared or custom-page-size memories",
        ),
        (
            "(module (import \"env\" \"log\" (func (param i32))))",
            "unsupported: import `env`.`log` (the module must not have imports)",
        ),
        (
            "(module (memory 1) (func $atomic (result i32) i32.const 0 i32.atomic.load))",
            "unsupported instruction `i32.atomic.load` in atomic",
        ),
        (
            "(module (func $dead unreachable i64.const 0 i64.const 0 i64.add128 drop drop))",
            "unsupported instruction `i64.add128` in dead",
        ),
    ];
    for (wat, message) in cases {
        assert_eq!(translate(wat).unwrap_err(), message, "{wat}");
    }
}

#[test]
fn invalid_modules_and_names_are_refused() {
    let err =
        wasm2php::translate(b"\0asm\x01\0\0\0\x01", &wasm2php::Options::default()).unwrap_err();
    assert!(
        err.to_string().starts_with("invalid WebAssembly module: "),
        "{err}"
    );
    let bad_class = wasm2php::Options {
        namespace: "Vendor\\Generated".into(),
        class: "2fast".into(),
    };
    let wasm = wat::parse_str("(module)").unwrap();
    assert_eq!(
        wasm2php::translate(&wasm, &bad_class)
            .unwrap_err()
            .to_string(),
        "`2fast` is not a PHP class name"
    );
}

#[test]
fn output_is_deterministic() {
    let wasm = wat::parse_str(
        r#"(module (memory 1) (data (i32.const 9) "xyz") (global (mut i32) (i32.const 3))
           (func (export "f") (param i32) (result i32) local.get 0 global.get 0 i32.add))"#,
    )
    .unwrap();
    let options = wasm2php::Options {
        namespace: "A\\B".into(),
        class: "C".into(),
    };
    let first = wasm2php::translate(&wasm, &options).unwrap();
    for _ in 0..3 {
        assert_eq!(wasm2php::translate(&wasm, &options).unwrap(), first);
    }
}
