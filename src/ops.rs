//! `call(op, input)`: the one command interface every host uses.
//!
//! Input and output are JSON objects. Output is `{"ok": true, "value": …}` or
//! `{"ok": false, "error": {"code", "message"}}`; nothing here panics on bad
//! input. The op table is the floor of `shared/spec/core-abi.md`, plus the
//! `api.*`, `ws.*` and helper ops this crate adds.

use crate::error::{Error, Result};
use crate::{api, banks, callback, checksum, emv, qr, text};
use serde::de::DeserializeOwned;
use serde::Deserialize;
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
    "ops.list",
];

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

/// Deserialises an op's input, naming the field that is wrong.
pub(crate) fn input<T: DeserializeOwned>(v: Value) -> Result<T> {
    let v = if v.is_null() { json!({}) } else { v };
    if !v.is_object() {
        return Err(Error::invalid_input("input must be a JSON object"));
    }
    serde_json::from_value(v).map_err(|e| Error::invalid_input(e.to_string()))
}

fn to_value<T: serde::Serialize>(v: T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| Error::new("internal", e.to_string()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EcommerceSyncIn {
    password: String,
    ecommerce_site: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TidSyncIn {
    password: String,
    bank_code: String,
    bank_account: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckOrderIn {
    bank_account: String,
    username: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RefundIn {
    secret_key: String,
    reference_number: String,
    amount: String,
    bank_account: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BasicIn {
    username: String,
    password: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParseIn {
    payload: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LookupIn {
    bank: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FoldIn {
    text: String,
    max_len: Option<usize>,
}

fn dispatch(op: &str, v: Value) -> Result<Value> {
    match op {
        "checksum.ecommerce_sync" => {
            let i: EcommerceSyncIn = input(v)?;
            Ok(checksum::ecommerce_sync(&i.password, &i.ecommerce_site).into())
        }
        "checksum.tid_sync" => {
            let i: TidSyncIn = input(v)?;
            Ok(checksum::tid_sync(&i.password, &i.bank_code, &i.bank_account).into())
        }
        "checksum.check_order" => {
            let i: CheckOrderIn = input(v)?;
            Ok(checksum::check_order(&i.bank_account, &i.username).into())
        }
        "checksum.refund" => {
            let i: RefundIn = input(v)?;
            Ok(checksum::refund(
                &i.secret_key,
                &i.reference_number,
                &i.amount,
                &i.bank_account,
            )
            .into())
        }
        "auth.basic" => {
            let i: BasicIn = input(v)?;
            Ok(json!({"header": checksum::basic_auth(&i.username, &i.password)}))
        }
        "payload.build" => {
            let req: emv::payload::PayloadRequest = input(v)?;
            Ok(json!({"payload": emv::payload::build(&req)?}))
        }
        "payload.parse" => {
            let i: ParseIn = input(v)?;
            to_value(emv::payload::parse(&i.payload)?)
        }
        "qr.svg" => {
            let o: qr::QrOptions = input(v)?;
            Ok(json!({"svg": qr::svg(&o)?}))
        }
        "qr.png" => {
            let o: qr::QrOptions = input(v)?;
            Ok(json!({"png_base64": qr::png_base64(&o)?}))
        }
        "banks.list" => {
            let _: Empty = input(v)?;
            to_value(banks::BANKS)
        }
        "banks.lookup" => {
            let i: LookupIn = input(v)?;
            match banks::lookup(&i.bank) {
                Some(b) => to_value(b),
                None => Err(Error::new(
                    "unknown_bank",
                    format!("no bank has BIN or code {:?}", i.bank),
                )),
            }
        }
        "text.fold" => {
            let i: FoldIn = input(v)?;
            Ok(json!({"text": text::fold(&i.text, i.max_len)}))
        }
        "callback.token" => callback::token_op(input(v)?),
        "callback.transaction_sync" => callback::transaction_sync_op(input(v)?),
        "callback.sign" => callback::sign_op(input(v)?),
        "ws.parse" => callback::ws_parse_op(input(v)?),
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Empty {}

fn unknown(op: &str) -> Error {
    Error::new(
        "unknown_op",
        format!("no op named {op:?} (ops.list names them all)"),
    )
}
