//! Runaway recursion traps with `call stack exhausted`, a catchable
//! `\RuntimeException`, instead of PHP recursing until `memory_limit` ends
//! the process with an uncatchable fatal error; recursion up to the limit
//! (10,000 nested calls) still runs, under PHP's default 128 MiB.

use std::process::Command;

const RECURSION: &str = r#"(module
  (type $t (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $ping $leaf)
  ;; n nested calls below the export's own, then back up counting
  (func $down (export "down") (param i32) (result i32)
    local.get 0
    i32.eqz
    if (result i32)
      i32.const 0
    else
      local.get 0 i32.const 1 i32.sub call $down
      call $one i32.add
    end)
  (func $forever (export "forever") (param i32) (result i32)
    local.get 0 i32.const 1 i32.add call $forever)
  ;; through the table: the depth goes through call_indirect too
  (func $ping (param i32) (result i32)
    local.get 0 i32.const 0 call_indirect (type $t))
  (func (export "ping") (param i32) (result i32) local.get 0 call $ping)
  ;; no recursion below: no depth
  (func $one (result i32) i32.const 1)
  ;; in the table with $ping, of its type: called alike, so it takes the
  ;; depth too
  (func $leaf (param i32) (result i32) local.get 0 i32.const 1 i32.add)
  (func (export "via_table") (param i32) (result i32)
    local.get 0 i32.const 1 call_indirect (type $t))
  ;; the start function (func 7): no recursion below, no depth
  (func $start)
  (start $start))"#;

const DRIVER: &str = r#"
function attempt(callable $f): string
{
    try {
        return (string) $f();
    } catch (\RuntimeException $e) {
        return 'caught: ' . $e->getMessage();
    }
}
$m = new \Wasm2phpTest\Recursion();
echo attempt(fn () => $m->export_down(100)), "\n";
echo attempt(fn () => $m->export_down(10000)), "\n";
echo attempt(fn () => $m->export_down(10001)), "\n";
echo attempt(fn () => $m->export_forever(0)), "\n";
echo attempt(fn () => $m->export_ping(0)), "\n";
// Nothing to undo after a trap: the same instance recurses as deep again.
echo attempt(fn () => $m->export_down(10000)), "\n";
echo attempt(fn () => $m->export_via_table(41)), "\n";
echo "done\n";
"#;

#[test]
fn runaway_recursion_traps_and_deep_recursion_runs() {
    let wasm = wat::parse_str(RECURSION).unwrap();
    let options = wasm2php::Options {
        namespace: "Wasm2phpTest".into(),
        class: "Recursion".into(),
    };
    let php = wasm2php::translate(&wasm, &options).unwrap();
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("wasm2php-call-depth");
    std::fs::create_dir_all(&dir).unwrap();
    // Functions on a call cycle check the depth; those that can reach one
    // take it; the others neither.
    for (name, signature, checks) in [
        ("down", "($l0, $d)", true),
        ("forever", "($l0, $d)", true),
        ("ping", "($l0, $d)", true),
        ("leaf", "($l0, $d)", false),
        ("one", "()", false),
        ("start", "()", false),
    ] {
        let at = php
            .find(&format!("/** {name} */"))
            .unwrap_or_else(|| panic!("no {name}"));
        let method = &php[at..];
        let method = &method[..method.find("\n    }\n").unwrap()];
        let first_line = method.lines().nth(1).unwrap();
        assert!(first_line.ends_with(signature), "{name}: {first_line}");
        assert_eq!(
            method.contains("call stack exhausted"),
            checks,
            "{name}: {method}"
        );
    }
    assert!(
        php.contains("        $this->f7();\n"),
        "the start function: {php}"
    );
    let class_file = dir.join("Recursion.php");
    std::fs::write(&class_file, php).unwrap();
    let script = dir.join("driver.php");
    let require = format!("<?php\nrequire '{}';\n", class_file.display());
    std::fs::write(&script, require + DRIVER).unwrap();
    let output = Command::new("php")
        .args(["-d", "memory_limit=128M", "-d", "display_errors=stderr"])
        .arg(&script)
        .output()
        .expect("php is installed (PHP 8.2 CLI)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "php failed: {stderr}\n{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "100",
            "10000",
            "caught: wasm trap: call stack exhausted in down",
            "caught: wasm trap: call stack exhausted in forever",
            "caught: wasm trap: call stack exhausted in ping",
            "10000",
            "42",
            "done",
        ],
        "stderr: {stderr}"
    );
}
