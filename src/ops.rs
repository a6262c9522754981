//! `call(op, input)`: the one command interface every host uses.
//!
//! Input and output are JSON objects. Output is `{"ok": true, "value": …}` or
//! `{"ok": false, "error": {"code", "message"}}`; nothing here panics on bad
//! input. The op table is the interface every host calls (README, "One
//! interface, every host"): checksums, payloads, QR codes, banks, text, the
//! callbacks, and the `api.*`, `ws.*` and helper ops.

use crate::error::{Code, Error, Result};
use crate::input::{input_struct, read};
use crate::{api, banks, callback, checksum, emv, qr, reconcile, text};
use serde_json::{json, Value};

/// Every op name, in the order `ops.list` gives them.
pub const OPS: &[&str] = &[
    "checksum.ecommerce_sync",
    "checksum.tid_sync",
    "checksum.check_order",
    "checksum.refund",
    "auth.basic",
    "payload.build",
    "payload.parse",
    "qr.svg",
    "qr.png",
    "banks.list",
    "banks.lookup",
    "text.fold",
    "callback.token",
    "callback.transaction_sync",
    "callback.sign",
    "ws.parse",
    "reconcile.rank",
    "ops.list",
];

/// The ops a shop's pages call in the browser: the buyer's QR and the
/// admin's link-shop page. The `page` build of the WASM (the plugin's
/// `assets/pkg/`) answers only these, so the rest of the core stays out of
/// what a buyer downloads.
pub const PAGE_OPS: &[&str] = &["qr.svg", "ws.parse", "ops.list"];

/// Runs one op and wraps the outcome in the `ok` envelope.
///
/// ```
/// use serde_json::json;
/// let out = vietqr::call("checksum.check_order", json!({"bank_account": "0123456789", "username": "customer-vietqrtest-user2468"}));
/// assert_eq!(out, json!({"ok": true, "value": "90caab5717418b2cfc799c6ea5b0d6ec"}));
/// let out = vietqr::call("no.such_op", json!({}));
/// assert_eq!(out["error"]["code"], "unknown_op");
/// ```
pub fn call(op: &str, input: Value) -> Value {
    match dispatch(op, input) {
        Ok(value) => json!({"ok": true, "value": value}),
        Err(error) => json!({"ok": false, "error": error}),
    }
}

/// [`call`] over JSON text, for the CLI and the raw ABI. Input that is not
/// JSON gives `invalid_input`.
pub fn call_json(op: &str, input: &str) -> String {
    let out = match serde_json::from_str::<Value>(input) {
        Ok(v) => call(op, v),
        Err(e) => {
            json!({"ok": false, "error": Error::invalid_input(format!("input is not JSON: {e}"))})
        }
    };
    out.to_string()
}

/// [`call_json`] for the `page` build: [`PAGE_OPS`] answer exactly as in
/// [`call_json`]; every other op is `unknown_op`. It never reaches the full
/// op table, so a build that calls only this leaves the table out.
///
/// ```
/// let full = vietqr::call_json("qr.svg", r#"{"text":"A"}"#);
/// assert_eq!(vietqr::ops::call_page_json("qr.svg", r#"{"text":"A"}"#), full);
/// assert!(vietqr::ops::call_page_json("payload.build", "{}").contains("unknown_op"));
/// ```
pub fn call_page_json(op: &str, input: &str) -> String {
    let out = match serde_json::from_str::<Value>(input) {
        Ok(v) => match page_dispatch(op, v) {
            Ok(value) => json!({"ok": true, "value": value}),
            Err(error) => json!({"ok": false, "error": error}),
        },
        Err(e) => {
            json!({"ok": false, "error": Error::invalid_input(format!("input is not JSON: {e}"))})
        }
    };
    out.to_string()
}

fn page_dispatch(op: &str, v: Value) -> Result<Value> {
    match op {
        "qr.svg" => qr_svg(v),
        "ws.parse" => callback::ws_parse_op(read(v)?),
        "ops.list" => Ok(json!(PAGE_OPS)),
        _ => Err(Error::new(
            Code::UnknownOp,
            format!("no op named {op:?} in the page build of the core (it has {PAGE_OPS:?})"),
        )),
    }
}

fn qr_svg(v: Value) -> Result<Value> {
    let o: qr::QrOptions = read(v)?;
    Ok(json!({"svg": qr::svg(&o)?}))
}

/// An op's output as JSON.
pub(crate) fn to_value<T: serde::Serialize>(v: T) -> Result<Value> {
    serde_json::to_value(v).map_err(internal)
}

// Not a closure in `to_value`, which would be one more copy for every `T`.
fn internal(e: serde_json::Error) -> Error {
    Error::new(Code::Internal, e.to_string())
}

input_struct! {
    struct EcommerceSyncIn {
        password: String,
        ecommerce_site: String,
    }
}

input_struct! {
    struct TidSyncIn {
        password: String,
        bank_code: String,
        bank_account: String,
    }
}

input_struct! {
    struct CheckOrderIn {
        bank_account: String,
        username: String,
    }
}

input_struct! {
    struct RefundIn {
        secret_key: String,
        reference_number: String,
        amount: String,
        bank_account: String,
    }
}

input_struct! {
    struct BasicIn {
        username: String,
        password: String,
    }
}

input_struct! {
    struct ParseIn {
        payload: String,
    }
}

input_struct! {
    struct LookupIn {
        bank: String,
    }
}

input_struct! {
    struct FoldIn {
        text: String,
        max_len: Option<usize>,
    }
}

fn dispatch(op: &str, v: Value) -> Result<Value> {
    match op {
        "checksum.ecommerce_sync" => {
            let i: EcommerceSyncIn = read(v)?;
            Ok(checksum::ecommerce_sync(&i.password, &i.ecommerce_site).into())
        }
        "checksum.tid_sync" => {
            let i: TidSyncIn = read(v)?;
            Ok(checksum::tid_sync(&i.password, &i.bank_code, &i.bank_account).into())
        }
        "checksum.check_order" => {
            let i: CheckOrderIn = read(v)?;
            Ok(checksum::check_order(&i.bank_account, &i.username).into())
        }
        "checksum.refund" => {
            let i: RefundIn = read(v)?;
            Ok(checksum::refund(
                &i.secret_key,
                &i.reference_number,
                &i.amount,
                &i.bank_account,
            )
            .into())
        }
        "auth.basic" => {
            let i: BasicIn = read(v)?;
            Ok(json!({"header": checksum::basic_auth(&i.username, &i.password)}))
        }
        "payload.build" => {
            let req: emv::payload::PayloadRequest = read(v)?;
            Ok(json!({"payload": emv::payload::build(&req)?}))
        }
        "payload.parse" => {
            let i: ParseIn = read(v)?;
            to_value(emv::payload::parse(&i.payload)?)
        }
        "qr.svg" => qr_svg(v),
        "qr.png" => {
            let o: qr::QrOptions = read(v)?;
            Ok(json!({"png_base64": qr::png_base64(&o)?}))
        }
        "banks.list" => {
            let _: Empty = read(v)?;
            to_value(banks::BANKS)
        }
        "banks.lookup" => {
            let i: LookupIn = read(v)?;
            match banks::lookup(&i.bank) {
                Some(b) => to_value(b),
                None => Err(Error::new(
                    Code::UnknownBank,
                    format!("no bank has BIN or code {:?}", i.bank),
                )),
            }
        }
        "text.fold" => {
            let i: FoldIn = read(v)?;
            Ok(json!({"text": text::fold(&i.text, i.max_len)}))
        }
        "callback.token" => callback::token_op(read(v)?),
        "callback.transaction_sync" => callback::transaction_sync_op(read(v)?),
        "callback.sign" => callback::sign_op(read(v)?),
        "ws.parse" => callback::ws_parse_op(read(v)?),
        "reconcile.rank" => to_value(reconcile::rank(&read(v)?)?),
        "ops.list" => {
            let mut all: Vec<&str> = OPS.to_vec();
            all.extend(api::OPS);
            Ok(json!(all))
        }
        _ => match op.strip_prefix("api.") {
            Some(rest) => api::dispatch(rest, v).unwrap_or_else(|| Err(unknown(op))),
            None => Err(unknown(op)),
        },
    }
}

input_struct! {
    struct Empty {}
}

fn unknown(op: &str) -> Error {
    Error::new(
        Code::UnknownOp,
        format!("no op named {op:?} (ops.list names them all)"),
    )
}
