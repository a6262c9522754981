//! The `vietqr-sim` binary and its state file.

mod common;

use common::*;
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use vietqr_sim::{Options, Sim};

/// A fresh directory under the system's temporary directory.
fn temp_dir(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir =
        std::env::temp_dir().join(format!("vietqr-sim-{name}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const BIN: &str = env!("CARGO_BIN_EXE_vietqr-sim");

#[test]
fn the_binary_says_where_it_listens_and_serves() {
    let dir = temp_dir("cli");
    let config = dir.join("sim.json");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/sim.example.json"),
        &config,
    )
    .unwrap();
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--quiet", "--config"])
        .arg(&config)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("vietqr-sim listening on ")
        .unwrap_or_else(|| panic!("first line: {line:?}"))
        .to_string();
    assert!(
        base.starts_with("http://127.0.0.1:") && base.ends_with("/vqr"),
        "{base}"
    );
    let a = post(
        &format!("{base}/api/token_generate"),
        Some(&basic(
            "customer-vietqrtest-user2468",
            "Y3VzdG9tZXItdmlldHFydGVzdC11c2VyMjQ2OA==",
        )),
        None,
    );
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json["expires_in"], 300);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn usage_errors() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("--retry-scale"));
    let out = Command::new(BIN).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--config FILE is required"));
    let out = Command::new(BIN)
        .args(["--config", "/nonexistent/sim.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
}

#[test]
fn state_survives_a_restart() {
    let dir = temp_dir("state");
    let options = Options {
        state_file: Some(dir.join("state.json")),
        ..options()
    };
    let listen = "127.0.0.1:0".parse().unwrap();
    let sim = Sim::start(listen, config(None, "sandbox"), options.clone()).unwrap();
    let token = token(&sim, USER, PASSWORD);
    let qr = generate(&sim, &token, "DH8001", 1000, "");
    sim.stop().unwrap();
    assert!(dir.join("state.json").exists());

    let sim = Sim::start(listen, config(None, "sandbox"), options).unwrap();
    let rows = get(&format!("{}/sim/transactions", sim.root_url()), None).json;
    assert_eq!(rows[0]["transaction_ref_id"], qr["transactionRefId"]);
    // Tokens survive too, and new ids do not repeat old ones.
    let again = generate(&sim, &token, "DH8002", 1000, "");
    assert_ne!(again["content"], qr["content"]);
    let paid = pay(&sim, json!({"transactionRefId": qr["transactionRefId"]}));
    assert_eq!(paid["matched"], true);
    sim.stop().unwrap();
    std::fs::remove_dir_all(dir).unwrap();
}
