//! The native CLI host: `vietqr call OP JSON` answers like `call`, and the
//! friendly subcommands do what `--help` says.

use serde_json::Value;
use std::process::{Command, Output};

fn vietqr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vietqr"))
        .args(args)
        .output()
        .expect("vietqr runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

const ACB_DYNAMIC: &str = "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811Chuyen tien630453E6";

#[test]
fn call_agrees_with_the_library_on_every_payload_vector() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/payloads.json"
    ))
    .unwrap();
    let file: Value = serde_json::from_str(&text).unwrap();
    for v in file["vectors"].as_array().unwrap() {
        let o = vietqr(&["call", v["op"].as_str().unwrap(), &v["input"].to_string()]);
        let got: Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(got, v["expect"], "{}", v["name"]);
        assert_eq!(
            o.status.code(),
            Some(if v["expect"]["ok"] == true { 0 } else { 1 })
        );
    }
}

#[test]
fn call_reads_stdin_and_refuses_bad_json() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vietqr"))
        .args(["call", "text.fold", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all("{\"text\":\"Đơn hàng 42\"}".as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        stdout(&o).trim(),
        r#"{"ok":true,"value":{"text":"Don hang 42"}}"#
    );
    let o = vietqr(&["call", "text.fold", "{nope"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains(r#""code":"invalid_input""#));
}

#[test]
fn payload_subcommand_folds_and_draws() {
    let o = vietqr(&[
        "payload",
        "--bank",
        "ACB",
        "--account",
        "257678859",
        "--amount",
        "10000",
        "--purpose",
        "Chuyển tiền",
    ]);
    assert!(o.status.success());
    let out = stdout(&o);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some(ACB_DYNAMIC));
    assert!(lines.count() > 20, "the terminal QR follows");
    assert!(String::from_utf8_lossy(&o.stderr).contains("purpose folded to ASCII"));
}

#[test]
fn decode_names_what_is_wrong() {
    let o = vietqr(&["decode", ACB_DYNAMIC]);
    assert!(o.status.success());
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["bank_code"], "ACB");
    assert_eq!(v["amount"], 10000);
    let o = vietqr(&["decode", &ACB_DYNAMIC.replace("53E6", "53E7")]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim(),
        "vietqr: CRC is 53E7 but the payload hashes to 53E6 (crc_mismatch)"
    );
}

#[test]
fn qr_subcommand_writes_svg_and_png() {
    let dir = std::env::temp_dir().join(format!("vietqr-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg = dir.join("c.svg");
    let png = dir.join("c.png");
    assert!(
        vietqr(&["qr", "MER-ECM-MER37695058", "-o", svg.to_str().unwrap()])
            .status
            .success()
    );
    assert!(vietqr(&[
        "qr",
        "MER-ECM-MER37695058",
        "-o",
        png.to_str().unwrap(),
        "--px",
        "4"
    ])
    .status
    .success());
    assert!(std::fs::read_to_string(&svg).unwrap().starts_with("<svg "));
    assert!(std::fs::read(&png)
        .unwrap()
        .starts_with(b"\x89PNG\r\n\x1a\n"));
    let o = vietqr(&["qr", "x", "-o", dir.join("c.gif").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(vietqr(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(vietqr(&["payload", "--bank", "ACB"]).status.code(), Some(2));
    assert!(stdout(&vietqr(&["--help"])).contains("vietqr call OP"));
}
