//! The project's own core, built for wasm32 with the `abi` feature and
//! translated to PHP, against the native `vietqr::call_json`: every op and
//! input of the shared vectors (tests/vectors/*.json) plus malformed input
//! must give the same JSON text, through vqr_alloc / vqr_call / vqr_free.
//!
//! The test builds the module itself (a no-op when it is fresh), with the
//! flags of scripts/wasm-env.sh when present so that it checks what ships
//! and does not fight the release build over target/; `WASM2PHP_CORE_WASM`
//! points it at an already built module instead.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

const WASM_OPT_FEATURES: &str = "--enable-bulk-memory --enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int --enable-multivalue";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Builds the core's plain-WASM module and shrinks it like the release.
fn build_core_wasm() -> PathBuf {
    if let Ok(path) = std::env::var("WASM2PHP_CORE_WASM") {
        return PathBuf::from(path);
    }
    let root = workspace();
    let out_dir = root.join("target/wasm2php-test");
    std::fs::create_dir_all(&out_dir).unwrap();
    let out = out_dir.join("core.wasm");
    let script = format!(
        r#"set -euo pipefail
if [ -f scripts/wasm-env.sh ]; then
  . scripts/wasm-env.sh
  export RUSTC="$WASM_RUSTC" RUSTFLAGS="$WASM_RUSTFLAGS"
  build_std=("${{WASM_BUILD_STD[@]}}"); opt=("${{WASM_OPT_FEATURES[@]}}")
else
  export RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort"
  build_std=(-Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size); opt=({WASM_OPT_FEATURES})
fi
"$CARGO" build -q --release --target wasm32-unknown-unknown -p vietqr --no-default-features --features abi --lib "${{build_std[@]}}"
wasm-opt -Oz --strip-producers "${{opt[@]}}" target/wasm32-unknown-unknown/release/vietqr.wasm -o '{}'
"#,
        out.display()
    );
    let output = Command::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(&root)
        .env("CARGO", env!("CARGO"))
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "building the core's WASM failed (needs rust-src and wasm-opt, see scripts/setup.sh):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

/// (op, input JSON) pairs: every shared vector, then malformed input.
fn requests() -> Vec<(String, String)> {
    let mut requests = vec![];
    let mut files: Vec<PathBuf> = std::fs::read_dir(workspace().join("tests/vectors"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    for file in files {
        let doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        for vector in doc["vectors"].as_array().into_iter().flatten() {
            if let (Some(op), Some(input)) = (vector["op"].as_str(), vector.get("input")) {
                requests.push((op.to_string(), input.to_string()));
            }
        }
    }
    for (op, input) in [
        ("ops.list", "{}"),
        ("banks.list", "{}"),
        ("banks.lookup", r#"{"bin": "970436"}"#),
        (
            "text.fold",
            r#"{"text": "Thanh toán đơn hàng #123 — Nguyễn Văn A"}"#,
        ),
        ("no.such_op", "{}"),
        ("checksum.check_order", "{not json"),
        ("checksum.check_order", ""),
        (
            "qr.svg",
            r#"{"text": "00020101021238570010A000000727012700069704030113001101234567890208QRIBFTTA53037045405100005802VN62150811THANHTOAN016304ABCD"}"#,
        ),
    ] {
        requests.push((op.to_string(), input.to_string()));
    }
    requests
}

const DRIVER: &str = r#"<?php
declare(strict_types=1);
set_error_handler(function (int $no, string $msg, string $file, int $line): bool {
    throw new \ErrorException($msg, 0, $no, $file, $line);
});
require $argv[1];
$m = new \VietQR\Generated\CoreModule();
foreach (json_decode(file_get_contents($argv[2]), true) as [$op, $input]) {
    try {
        $opPtr = $m->export_vqr_alloc(strlen($op)) & 0xFFFFFFFF;
        $m->writeMemory($opPtr, $op);
        $inPtr = $m->export_vqr_alloc(strlen($input)) & 0xFFFFFFFF;
        $m->writeMemory($inPtr, $input);
        $packed = $m->export_vqr_call($opPtr, strlen($op), $inPtr, strlen($input));
        $outPtr = ($packed >> 32) & 0xFFFFFFFF;
        $outLen = $packed & 0xFFFFFFFF;
        $out = $m->readMemory($outPtr, $outLen);
        $m->export_vqr_free($outPtr, $outLen);
        $m->export_vqr_free($inPtr, strlen($input));
        $m->export_vqr_free($opPtr, strlen($op));
    } catch (\Throwable $e) {
        $out = get_class($e) . ': ' . $e->getMessage();
    }
    echo base64_encode($out), "\n";
}
"#;

#[test]
fn the_core_in_php_answers_like_the_native_core() {
    let wasm = std::fs::read(build_core_wasm()).expect("core.wasm");
    let php = wasm2php::translate(
        &wasm,
        &wasm2php::Options {
            namespace: "VietQR\\Generated".into(),
            class: "CoreModule".into(),
        },
    )
    .expect("the core translates");
    let dir = support::scratch_dir("core");
    let module_path = dir.join("CoreModule.php");
    std::fs::write(&module_path, &php).unwrap();
    let requests = requests();
    let requests_path = dir.join("requests.json");
    std::fs::write(&requests_path, serde_json::to_string(&requests).unwrap()).unwrap();
    let driver = dir.join("driver.php");
    std::fs::write(&driver, DRIVER).unwrap();

    let output = Command::new("php")
        .args(["-d", "memory_limit=512M", "-d", "display_errors=stderr"])
        .arg(&driver)
        .arg(&module_path)
        .arg(&requests_path)
        .output()
        .expect("php is installed");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let answers: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        answers.len(),
        requests.len(),
        "PHP stopped early: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut failures = vec![];
    for ((op, input), answer) in requests.iter().zip(answers) {
        let php_out = base64_decode(answer);
        let native = vietqr::call_json(op, input);
        if php_out != native.as_bytes() {
            failures.push(format!(
                "{op} {input}\n  native: {native}\n  php:    {}",
                String::from_utf8_lossy(&php_out)
            ));
        }
    }
    eprintln!(
        "{} core calls compared; generated PHP {} bytes from {} bytes of WASM",
        requests.len(),
        php.len(),
        wasm.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} differ:\n{}",
        failures.len(),
        requests.len(),
        failures.join("\n")
    );
}

fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    } as u32;
    let bytes: Vec<u8> = text.bytes().filter(|c| *c != b'=').collect();
    let mut out = vec![];
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c) << (18 - 6 * i);
        }
        for i in 0..chunk.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}
