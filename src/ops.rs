//! `call(op, input)`: the one command interface every host uses.
//!
//! Input and output are JSON objects. Output is `{"ok": true, "value": …}` or
//! `{"ok": false, "error": {"code", "message"}}`; nothing here panics on bad
//! input. [`TABLE`] is the interface every host calls (README, "One
//! interface, every host"): checksums, payloads, QR codes, banks, text, the
//! callbacks, and the `api.*`, `ws.*` and helper ops. One row an op: its
//! name, how it runs (the input struct its handler takes is the input
//! reader), and the builds that answer it. The dispatch, `ops.list` and
//! each build's op list all come from the table.

use crate::error::{Code, Error, Result};
use crate::input::{input_struct, read};
use crate::output::{envelope, to_value};
use crate::{api, banks, callback, checksum, deeplink, emv, qr, reconcile, text};
use serde_json::{json, Value};
use Build::{Full, Page, PhpQr, PhpServer};

/// A build of the core: each answers the ops whose row names it. Adding a
/// build is one variant here, one arm in [`BUILD`] and its name in the rows
/// it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Build {
    /// Every op: the CLI, `pkg/` and the PHP core.
    Full,
    /// The plugin's `assets/pkg/` (feature `page`): what shop pages call,
    /// the buyer's QR and the admin's link-shop page, so that the rest of
    /// the core stays out of what a buyer downloads.
    Page,
    /// The PHP core's everyday class (feature `abi-server`,
    /// php-bridge/core/CoreServer.php): every op but the QR ones, so that
    /// callbacks, checkout and the API never load the QR encoder.
    PhpServer,
    /// The PHP core's QR class (feature `abi-qr`, core/CoreQr.php), loaded
    /// only when PHP draws a QR (e-mail, no-JS fallback).
    PhpQr,
}

impl Build {
    const fn name(self) -> &'static str {
        match self {
            Full => "full",
            Page => "page",
            PhpServer => "php-server",
            PhpQr => "php-qr",
        }
    }
}

/// The build this crate is compiled as (by feature; `abi-server` and
/// `abi-qr` together add up to the full build).
#[cfg(feature = "page")]
pub const BUILD: Build = Page;
/// The build this crate is compiled as (by feature).
#[cfg(all(not(feature = "page"), feature = "abi-server", not(feature = "abi-qr")))]
pub const BUILD: Build = PhpServer;
/// The build this crate is compiled as (by feature).
#[cfg(all(not(feature = "page"), feature = "abi-qr", not(feature = "abi-server")))]
pub const BUILD: Build = PhpQr;
/// The build this crate is compiled as (by feature).
#[cfg(not(any(
    feature = "page",
    all(feature = "abi-server", not(feature = "abi-qr")),
    all(feature = "abi-qr", not(feature = "abi-server"))
)))]
pub const BUILD: Build = Full;

/// One op: its name, its handler (reading its input and giving its value),
/// and the builds that answer it.
#[derive(Clone, Copy)]
pub struct Op {
    pub name: &'static str,
    run: fn(Value) -> Result<Value>,
    pub builds: &'static [Build],
}

const fn op(name: &'static str, run: fn(Value) -> Result<Value>, builds: &'static [Build]) -> Op {
    Op { name, run, builds }
}

/// Every op of every build, in the order `ops.list` gives them.
pub const TABLE: &[Op] = &[
    op(
        "checksum.ecommerce_sync",
        |v| checksum_ecommerce_sync(read(v)?),
        &[Full, PhpServer],
    ),
    op(
        "checksum.tid_sync",
        |v| checksum_tid_sync(read(v)?),
        &[Full, PhpServer],
    ),
    op(
        "checksum.check_order",
        |v| checksum_check_order(read(v)?),
        &[Full, PhpServer],
    ),
    op(
        "checksum.refund",
        |v| checksum_refund(read(v)?),
        &[Full, PhpServer],
    ),
    op("auth.basic", |v| auth_basic(read(v)?), &[Full, PhpServer]),
    op(
        "payload.build",
        |v| payload_build(read(v)?),
        &[Full, PhpServer],
    ),
    op(
        "payload.parse",
        |v| payload_parse(read(v)?),
        &[Full, PhpServer],
    ),
    op("qr.svg", |v| qr_svg(read(v)?), &[Full, Page, PhpQr]),
    op("qr.png", |v| qr_png(read(v)?), &[Full, PhpQr]),
    op("banks.list", |v| banks_list(read(v)?), &[Full, PhpServer]),
    op(
        "banks.lookup",
        |v| banks_lookup(read(v)?),
        &[Full, PhpServer],
    ),
    op(
        "deeplinks.list",
        |v| deeplinks_list(read(v)?),
        &[Full, PhpServer],
    ),
    op("text.fold", |v| text_fold(read(v)?), &[Full, PhpServer]),
    op(
        "callback.token",
        |v| callback::token_op(read(v)?),
        &[Full, PhpServer],
    ),
    op(
        "callback.transaction_sync",
        |v| callback::transaction_sync_op(read(v)?),
        &[Full, PhpServer],
    ),
    op(
        "callback.sign",
        |v| callback::sign_op(read(v)?),
        &[Full, PhpServer],
    ),
    op(
        "ws.parse",
        |v| callback::ws_parse_op(read(v)?),
        &[Full, Page, PhpServer],
    ),
    op(
        "reconcile.rank",
        |v| to_value(reconcile::rank(&read(v)?)?),
        &[Full, PhpServer],
    ),
    op("ops.list", ops_list, &[Full, Page, PhpServer]),
    op(
        "api.token.request",
        |v| to_value(api::token::request(read(v)?)?),
        &[Full, PhpServer],
    ),
    op(
        "api.token.response",
        |v| to_value(api::token::response(read(v)?)?),
        &[Full, PhpServer],
    ),
    op(
        "api.generate_customer.request",
        |v| to_value(api::generate_customer::request(read(v)?)?),
        &[Full, PhpServer],
    ),
    op(
        "api.generate_customer.response",
        |v| to_value(api::generate_customer::response(read(v)?)?),
        &[Full, PhpServer],
    ),
    op(
        "api.test_callback.request",
        |v| to_value(api::test_callback::request(read(v)?)?),
        &[Full, PhpServer],
    ),
    op(
        "api.test_callback.response",
        |v| to_value(api::test_callback::response(read(v)?)?),
        &[Full, PhpServer],
    ),
    op(
        "api.ecommerce_sync.request",
        |v| to_value(api::ecommerce_sync::request(read(v)?)?),
        &[Full, PhpServer],
    ),
    op(
        "api.ecommerce_sync.response",
        |v| to_value(api::ecommerce_sync::response(read(v)?)?),
        &[Full, PhpServer],
    ),
    op(
        "api.tid_sync.request",
        |v| to_value(api::tid_sync::request(read(v)?)?),
        &[Full, PhpServer],
    ),
    op(
        "api.tid_sync.response",
        |v| to_value(api::tid_sync::response(read(v)?)?),
        &[Full, PhpServer],
    ),
    op(
        "api.check_order.request",
        |v| to_value(api::check_order::request(read(v)?)?),
        &[Full, PhpServer],
    ),
    op(
        "api.check_order.response",
        |v| to_value(api::check_order::response(read(v)?)?),
        &[Full, PhpServer],
    ),
    op(
        "api.refund.request",
        |v| to_value(api::refund::request(read(v)?)?),
        &[Full, PhpServer],
    ),
    op(
        "api.refund.response",
        |v| to_value(api::refund::response(read(v)?)?),
        &[Full, PhpServer],
    ),
    op(
        "api.errors",
        |v| to_value(api::errors::list(read(v)?)?),
        &[Full, PhpServer],
    ),
    op(
        "api.error",
        |v| to_value(api::errors::lookup_op(read(v)?)?),
        &[Full, PhpServer],
    ),
];

/// The rows of [`TABLE`] that `build` answers (worked out while compiling,
/// so a build's code holds only its own handlers).
const fn count(build: Build) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < TABLE.len() {
        if TABLE[i].answered_by(build) {
            n += 1;
        }
        i += 1;
    }
    n
}

const fn select<const N: usize>(build: Build) -> [Op; N] {
    let mut out = [TABLE[0]; N];
    let (mut i, mut n) = (0, 0);
    while i < TABLE.len() {
        if TABLE[i].answered_by(build) {
            out[n] = TABLE[i];
            n += 1;
        }
        i += 1;
    }
    out
}

impl Op {
    /// Whether `build` answers this op.
    pub const fn answered_by(&self, build: Build) -> bool {
        let mut i = 0;
        while i < self.builds.len() {
            if self.builds[i] as u8 == build as u8 {
                return true;
            }
            i += 1;
        }
        false
    }
}

const LEN: usize = count(BUILD);

/// The ops this build answers, in table order.
pub const OPS: [Op; LEN] = select(BUILD);

/// Their names: what `ops.list` gives.
pub const NAMES: [&str; LEN] = {
    let mut out = [""; LEN];
    let mut i = 0;
    while i < LEN {
        out[i] = OPS[i].name;
        i += 1;
    }
    out
};

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
    envelope(run(op, input))
}

/// [`call`] over JSON text, for the CLI and both ABIs. Input that is not
/// JSON gives `invalid_input`.
pub fn call_json(op: &str, input: &str) -> String {
    let outcome = serde_json::from_str::<Value>(input)
        .map_err(|e| Error::invalid_input(format!("input is not JSON: {e}")))
        .and_then(|v| run(op, v));
    envelope(outcome).to_string()
}

/// One op's outcome, without the envelope.
pub fn run(op: &str, input: Value) -> Result<Value> {
    match OPS.iter().find(|o| o.name == op) {
        Some(o) => (o.run)(input),
        None => Err(unknown(op)),
    }
}

fn unknown(op: &str) -> Error {
    let message = match BUILD {
        // PHP's Core sends every op but the QR ones to the server build, so
        // its unknown ops are unknown to the PHP host as a whole.
        Full | PhpServer => format!("no op named {op:?} (ops.list names them all)"),
        build => format!(
            "no op named {op:?} in the {} build of the core (it has {NAMES:?})",
            build.name()
        ),
    };
    Error::new(Code::UnknownOp, message)
}

// ---------------------------------------------------------------- handlers

/// `ops.list` takes any input: it is how a host finds out what there is.
fn ops_list(_: Value) -> Result<Value> {
    if let PhpServer = BUILD {
        // PHP's Core sends each op to the class that answers it, so the
        // PHP host answers the ops of both its builds.
        return Ok(json!(&PHP_NAMES[..]));
    }
    Ok(json!(&NAMES[..]))
}

const fn answered_in_php(o: &Op) -> bool {
    o.answered_by(PhpServer) || o.answered_by(PhpQr)
}

const PHP_LEN: usize = {
    let (mut n, mut i) = (0, 0);
    while i < TABLE.len() {
        if answered_in_php(&TABLE[i]) {
            n += 1;
        }
        i += 1;
    }
    n
};

/// The names the PHP host answers, worked out while compiling (so that the
/// server build does not hold the QR handlers that [`TABLE`] points to).
const PHP_NAMES: [&str; PHP_LEN] = {
    let mut out = [""; PHP_LEN];
    let (mut i, mut n) = (0, 0);
    while i < TABLE.len() {
        if answered_in_php(&TABLE[i]) {
            out[n] = TABLE[i].name;
            n += 1;
        }
        i += 1;
    }
    out
};

fn checksum_ecommerce_sync(i: EcommerceSyncIn) -> Result<Value> {
    Ok(checksum::ecommerce_sync(&i.password, &i.ecommerce_site).into())
}

fn checksum_tid_sync(i: TidSyncIn) -> Result<Value> {
    Ok(checksum::tid_sync(&i.password, &i.bank_code, &i.bank_account).into())
}

fn checksum_check_order(i: CheckOrderIn) -> Result<Value> {
    Ok(checksum::check_order(&i.bank_account, &i.username).into())
}

fn checksum_refund(i: RefundIn) -> Result<Value> {
    let sum = checksum::refund(
        &i.secret_key,
        &i.reference_number,
        &i.amount,
        &i.bank_account,
    );
    Ok(sum.into())
}

fn auth_basic(i: BasicIn) -> Result<Value> {
    Ok(json!({"header": checksum::basic_auth(&i.username, &i.password)}))
}

fn payload_build(mut req: emv::payload::PayloadRequest) -> Result<Value> {
    if !req.fold_purpose {
        return Ok(json!({"payload": emv::payload::build(&req)?}));
    }
    // Folded to nothing is no purpose: the host sees "" and can say why.
    req.purpose = req
        .purpose
        .map(|p| text::fold(&p, None))
        .filter(|p| !p.is_empty());
    let payload = emv::payload::build(&req)?;
    Ok(json!({"payload": payload, "purpose": req.purpose.unwrap_or_default()}))
}

fn payload_parse(i: ParseIn) -> Result<Value> {
    to_value(emv::payload::parse(&i.payload)?)
}

fn qr_svg(o: qr::QrOptions) -> Result<Value> {
    Ok(json!({"svg": qr::svg(&o)?}))
}

fn qr_png(o: qr::QrOptions) -> Result<Value> {
    Ok(json!({"png_base64": qr::png_base64(&o)?}))
}

fn banks_list(_: Empty) -> Result<Value> {
    to_value(banks::BANKS)
}

fn banks_lookup(i: LookupIn) -> Result<Value> {
    match banks::lookup(&i.bank) {
        Some(b) => to_value(b),
        None => Err(Error::new(
            Code::UnknownBank,
            format!("no bank has BIN or code {:?}", i.bank),
        )),
    }
}

fn deeplinks_list(i: DeeplinksIn) -> Result<Value> {
    to_value(deeplink::links(&deeplink::Transfer {
        bank: &i.bank,
        account: &i.account,
        amount: i.amount,
        content: &i.content,
        holder: i.holder.as_deref().unwrap_or(""),
        return_url: &i.return_url,
    })?)
}

fn text_fold(i: FoldIn) -> Result<Value> {
    Ok(json!({"text": text::fold(&i.text, i.max_len)}))
}

// ------------------------------------------------------------------ inputs

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
    struct DeeplinksIn {
        bank: String,
        account: String,
        amount: u64,
        content: String,
        holder: Option<String>,
        return_url: String,
    }
}

input_struct! {
    struct FoldIn {
        text: String,
        max_len: Option<usize>,
    }
}

input_struct! {
    struct Empty {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_every_op_is_in_the_full_build() {
        for (i, o) in TABLE.iter().enumerate() {
            assert!(o.answered_by(Full), "{}", o.name);
            assert!(
                TABLE[..i].iter().all(|p| p.name != o.name),
                "{} twice",
                o.name
            );
        }
        assert_eq!(NAMES.len(), TABLE.len());
    }

    #[test]
    fn the_php_builds_answer_every_op_once_and_only_qr_draws() {
        for o in TABLE {
            let server = o.answered_by(PhpServer);
            let qr = o.answered_by(PhpQr);
            assert!(server != qr, "{}: one PHP class answers it", o.name);
            assert_eq!(qr, o.name.starts_with("qr."), "{}", o.name);
        }
    }

    #[test]
    fn every_op_dispatches() {
        for name in NAMES {
            let e = run(name, json!({"no_such_field": 1}));
            assert!(
                !matches!(e, Err(ref e) if e.code == Code::UnknownOp),
                "{name}"
            );
        }
    }
}
