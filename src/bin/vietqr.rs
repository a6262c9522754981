//! `vietqr`: the core on the command line. `vietqr call OP JSON` is the
//! native host of `call(op, input)`; the other subcommands are shortcuts.

use lexopt::prelude::*;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::process::ExitCode;

const HELP: &str = "vietqr: VietQR payloads, QR codes and VietQR.vn API helpers

USAGE:
  vietqr call OP [JSON|-]         run one core op; prints {\"ok\":…} (JSON from stdin with - or none)
  vietqr payload --bank B --account A [--amount N] [--purpose TEXT] [--bill NO]
                 [--card] [--static|--dynamic] [--no-qr]
                                  build a VietQR payload and show its QR in the terminal
  vietqr decode PAYLOAD           check a payload (lengths, CRC) and print its fields
  vietqr qr TEXT [-o FILE.svg|FILE.png] [--ecl L|M|Q|H] [--px N]
                                  draw any text as a QR code (terminal without -o)
  vietqr banks                    list banks: BIN, code, short name
  vietqr ops                      list every op name

Exit status: 0 on success, 1 when the core refused the input, 2 on a usage error.";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("vietqr: {e}\n\nRun `vietqr --help` for usage.");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode, lexopt::Error> {
    let mut p = lexopt::Parser::from_env();
    let cmd = match p.next()? {
        Some(Value(v)) => v.string()?,
        Some(Long("help") | Short('h')) | None => {
            println!("{HELP}");
            return Ok(ExitCode::SUCCESS);
        }
        Some(Long("version") | Short('V')) => {
            println!("vietqr {}", env!("CARGO_PKG_VERSION"));
            return Ok(ExitCode::SUCCESS);
        }
        Some(other) => return Err(other.unexpected()),
    };
    match cmd.as_str() {
        "call" => cmd_call(&mut p),
        "payload" => cmd_payload(&mut p),
        "decode" => {
            let payload = p.value()?.string()?;
            no_more(&mut p)?;
            Ok(finish(
                vietqr::call("payload.parse", json!({"payload": payload})),
                |v| serde_json::to_string_pretty(v).unwrap_or_default(),
            ))
        }
        "qr" => cmd_qr(&mut p),
        "banks" => {
            no_more(&mut p)?;
            Ok(finish(vietqr::call("banks.list", json!({})), |v| {
                let rows = v.as_array().map(Vec::as_slice).unwrap_or_default();
                rows.iter()
                    .map(|b| {
                        format!(
                            "{}  {:<11} {}",
                            s(&b["bin"]),
                            s(&b["code"]),
                            s(&b["short_name"])
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            }))
        }
        "ops" => {
            no_more(&mut p)?;
            Ok(finish(vietqr::call("ops.list", json!({})), |v| {
                let ops = v.as_array().map(Vec::as_slice).unwrap_or_default();
                ops.iter().map(s).collect::<Vec<_>>().join("\n")
            }))
        }
        other => Err(format!("unknown command {other:?}").into()),
    }
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn no_more(p: &mut lexopt::Parser) -> Result<(), lexopt::Error> {
    match p.next()? {
        None => Ok(()),
        Some(arg) => Err(arg.unexpected()),
    }
}

/// Prints a core output: the value through `show`, or the error on stderr.
fn finish(out: Value, show: impl Fn(&Value) -> String) -> ExitCode {
    if out["ok"] == true {
        println!("{}", show(&out["value"]));
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "vietqr: {} ({})",
            s(&out["error"]["message"]),
            s(&out["error"]["code"])
        );
        ExitCode::from(1)
    }
}

fn cmd_call(p: &mut lexopt::Parser) -> Result<ExitCode, lexopt::Error> {
    let op = p.value()?.string()?;
    let input = match p.next()? {
        None => read_stdin()?,
        Some(Value(v)) if v == "-" => read_stdin()?,
        Some(Value(v)) => v.string()?,
        Some(other) => return Err(other.unexpected()),
    };
    no_more(p)?;
    let out = vietqr::call_json(&op, &input);
    println!("{out}");
    let ok = serde_json::from_str::<Value>(&out).is_ok_and(|v| v["ok"] == true);
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn read_stdin() -> Result<String, lexopt::Error> {
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .map_err(|e| format!("reading stdin: {e}"))?;
    Ok(s)
}

fn cmd_payload(p: &mut lexopt::Parser) -> Result<ExitCode, lexopt::Error> {
    let mut input = serde_json::Map::new();
    let mut show_qr = true;
    while let Some(arg) = p.next()? {
        match arg {
            Long("bank") => _ = input.insert("bank".into(), p.value()?.string()?.into()),
            Long("account") => _ = input.insert("account".into(), p.value()?.string()?.into()),
            Long("amount") => _ = input.insert("amount".into(), p.value()?.parse::<u64>()?.into()),
            Long("purpose") => {
                let raw = p.value()?.string()?;
                // Shop owners type Vietnamese; the payload takes ASCII.
                let folded = vietqr::text::fold(&raw, None);
                if folded != raw {
                    eprintln!("vietqr: purpose folded to ASCII: {folded:?}");
                }
                input.insert("purpose".into(), folded.into());
            }
            Long("bill") => _ = input.insert("bill_number".into(), p.value()?.string()?.into()),
            Long("card") => _ = input.insert("service".into(), "card".into()),
            Long("static") => _ = input.insert("initiation".into(), "static".into()),
            Long("dynamic") => _ = input.insert("initiation".into(), "dynamic".into()),
            Long("no-qr") => show_qr = false,
            other => return Err(other.unexpected()),
        }
    }
    for required in ["bank", "account"] {
        if !input.contains_key(required) {
            return Err(format!("--{required} is required").into());
        }
    }
    let out = vietqr::call("payload.build", Value::Object(input));
    if out["ok"] != true {
        return Ok(finish(out, |_| String::new()));
    }
    let payload = s(&out["value"]["payload"]);
    println!("{payload}");
    if show_qr {
        match vietqr::qr::terminal(&qr_opts(&payload, None, None)) {
            Ok(t) => print!("{t}"),
            Err(e) => eprintln!("vietqr: {e}"),
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn qr_opts(text: &str, ecl: Option<String>, px: Option<u32>) -> vietqr::qr::QrOptions {
    vietqr::qr::QrOptions {
        text: text.into(),
        ecl,
        module_px: px,
        quiet_zone: None,
    }
}

fn cmd_qr(p: &mut lexopt::Parser) -> Result<ExitCode, lexopt::Error> {
    let (mut text, mut out, mut ecl, mut px) = (None, None, None, None);
    while let Some(arg) = p.next()? {
        match arg {
            Short('o') | Long("output") => out = Some(p.value()?.string()?),
            Long("ecl") => ecl = Some(p.value()?.string()?),
            Long("px") => px = Some(p.value()?.parse::<u32>()?),
            Value(v) if text.is_none() => text = Some(v.string()?),
            other => return Err(other.unexpected()),
        }
    }
    let text = text.ok_or("TEXT is required")?;
    let o = qr_opts(&text, ecl, px);
    let bytes = match out.as_deref() {
        None => vietqr::qr::terminal(&o).map(String::into_bytes),
        Some(f) if f.ends_with(".svg") => vietqr::qr::svg(&o).map(String::into_bytes),
        Some(f) if f.ends_with(".png") => vietqr::qr::png(&o),
        Some(f) => return Err(format!("{f}: the output file must end in .svg or .png").into()),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            eprintln!("vietqr: {} ({})", e.message, e.code);
            return Ok(ExitCode::from(1));
        }
    };
    let written = match out {
        None => std::io::stdout().write_all(&bytes),
        Some(f) => std::fs::write(&f, &bytes),
    };
    written.map_err(|e| format!("writing the QR code: {e}"))?;
    Ok(ExitCode::SUCCESS)
}
