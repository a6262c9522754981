//! Invariants of the core under arbitrary input, shared by the cargo-fuzz
//! targets (`fuzz/fuzz_targets/`, nightly) and the stable regression test
//! (`tests/fuzz_regressions.rs`), which replays every saved corpus and
//! crash file through the same functions.
//!
//! Each check takes the fuzzer's raw bytes, so a saved input replays
//! exactly; the structured ones shape them with `arbitrary`. A broken
//! invariant panics with what was expected. Only the crate's public API is
//! used, and the expected outcomes are worked out here, independently of
//! the code under test, wherever the rule is simple enough to restate.

#![allow(dead_code)]

use arbitrary::{Arbitrary, Unstructured};
use base64::Engine as _;
use serde_json::{json, Map, Value};
use vietqr::banks;
use vietqr::callback::{issue_token, sign};
use vietqr::emv::payload::{self, Initiation, Payload, PayloadRequest, Service};
use vietqr::error::Code;

/// A check: the fuzzer's bytes in, a panic when an invariant breaks.
pub type Check = fn(&[u8]);

/// Every target name and its check, as `fuzz/fuzz_targets/` names them.
pub const TARGETS: &[(&str, Check)] = &[
    ("payload_parse", payload_parse),
    ("payload_roundtrip", payload_roundtrip),
    ("callback", callback),
    ("api_response", api_response),
    ("call_any", call_any),
];

/// Whether `code` is one the core gives: a [`Code`] other than
/// `internal`, which means the core failed to serialise its own output.
pub fn known_error_code(code: &str) -> bool {
    Code::ALL
        .iter()
        .any(|c| *c != Code::Internal && c.as_str() == code)
}

/// What `payload.parse` may refuse a payload with.
pub const PARSE_CODES: &[&str] = &[
    "truncated",
    "invalid_tlv",
    "invalid_length",
    "duplicate_field",
    "missing_crc",
    "crc_mismatch",
    "invalid_format",
    "invalid_initiation",
    "not_vietqr",
    "unsupported_service",
    "missing_field",
    "invalid_bin",
    "invalid_account",
    "invalid_currency",
    "invalid_country",
    "invalid_amount",
    "invalid_input",
];

const AMOUNT_MAX: u64 = 9_999_999_999_999;

/// One output of `call`, checked to be `{ok: true, value}` or
/// `{ok: false, error: {code, message[, vietqr]}}` with a known code.
#[derive(Debug)]
pub enum Outcome<'a> {
    Ok(&'a Value),
    Err {
        code: &'a str,
        message: &'a str,
        vietqr: Option<&'a Map<String, Value>>,
    },
}

/// Checks the envelope of `call`'s output; panics when it is broken.
pub fn envelope(out: &Value) -> Outcome<'_> {
    let obj = out
        .as_object()
        .unwrap_or_else(|| panic!("output is not an object: {out}"));
    let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    match obj.get("ok") {
        Some(Value::Bool(true)) => {
            assert_eq!(keys.len(), 2, "ok output has other keys: {out}");
            Outcome::Ok(
                obj.get("value")
                    .unwrap_or_else(|| panic!("no value: {out}")),
            )
        }
        Some(Value::Bool(false)) => {
            assert_eq!(keys.len(), 2, "error output has other keys: {out}");
            let e = obj
                .get("error")
                .and_then(Value::as_object)
                .unwrap_or_else(|| panic!("no error object: {out}"));
            for k in e.keys() {
                assert!(
                    ["code", "message", "vietqr"].contains(&k.as_str()),
                    "error has key {k}: {out}"
                );
            }
            let code = e["code"]
                .as_str()
                .unwrap_or_else(|| panic!("error code is not a string: {out}"));
            assert!(known_error_code(code), "unknown error code {code:?}: {out}");
            let message = e
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("error message is not a string: {out}"));
            assert!(!message.trim().is_empty(), "empty error message: {out}");
            let vietqr = e.get("vietqr").map(|v| {
                let v = v
                    .as_object()
                    .unwrap_or_else(|| panic!("vietqr is not an object: {out}"));
                let mut names: Vec<&str> = v.keys().map(String::as_str).collect();
                names.sort_unstable();
                assert_eq!(names, ["action", "code", "en", "vi"], "{out}");
                for (k, x) in v {
                    let s = x.as_str().unwrap_or_else(|| panic!("vietqr.{k}: {out}"));
                    assert!(!s.is_empty(), "vietqr.{k} is empty: {out}");
                }
                v
            });
            assert_eq!(
                vietqr.is_some(),
                code == "vietqr_error" || code == "vietqr_unauthorized",
                "vietqr detail goes with exactly the VietQR codes: {out}"
            );
            Outcome::Err {
                code,
                message,
                vietqr,
            }
        }
        _ => panic!("ok is not a boolean: {out}"),
    }
}

/// `call`, envelope-checked, and checked to give the same output twice.
fn call(op: &str, input: Value) -> Value {
    let out = vietqr::call(op, input.clone());
    envelope(&out);
    assert_eq!(out, vietqr::call(op, input), "{op} is not deterministic");
    out
}

fn code_of(out: &Value) -> Option<&str> {
    out["error"]["code"].as_str()
}

// ------------------------------------------------------------ payloads

/// CRC-16/CCITT-FALSE, bit by bit: a second implementation to check the
/// core's table-driven one against.
pub fn crc16(data: &[u8]) -> u16 {
    let mut crc: u16 = 0xffff;
    for &b in data {
        crc ^= u16::from(b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

fn is_bin(s: &str) -> bool {
    s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())
}

/// `payload.parse` on any text: it never panics, refuses with a parse code,
/// and what it accepts is a well-formed VietQR payload whose fields build
/// back into a payload that parses to the same fields.
pub fn payload_parse(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let out = call("payload.parse", json!({ "payload": text }));
    let direct = payload::parse(&text);
    match (envelope(&out), &direct) {
        (Outcome::Ok(v), Ok(p)) => {
            assert_eq!(
                v,
                &serde_json::to_value(p).unwrap(),
                "call and parse differ"
            );
            check_parsed(&text, p);
        }
        (Outcome::Err { code, .. }, Err(e)) => {
            assert_eq!(code, e.code.as_str(), "call and parse differ");
            assert!(PARSE_CODES.contains(&code), "parse refused with {code}");
        }
        (o, d) => panic!("call gave {o:?} but parse gave {d:?}"),
    }
}

fn check_parsed(text: &str, p: &Payload) {
    let t = text.trim_end_matches(['\r', '\n']).as_bytes();
    let n = t.len();
    assert!(t.starts_with(b"000201"), "accepted without 000201");
    assert!(
        n >= 8 && &t[n - 8..n - 4] == b"6304",
        "accepted without 6304"
    );
    let crc = std::str::from_utf8(&t[n - 4..]).unwrap();
    assert!(
        crc.eq_ignore_ascii_case(&format!("{:04X}", crc16(&t[..n - 4]))),
        "accepted a wrong CRC"
    );
    assert_eq!(p.crc, crc);
    assert!(is_bin(&p.bin), "bin {:?}", p.bin);
    assert_eq!(p.bank_code, banks::by_bin(&p.bin).map(|b| b.code));
    assert!(
        (1..=19).contains(&p.account.len()) && p.account.bytes().all(|b| b.is_ascii_alphanumeric()),
        "account {:?}",
        p.account
    );
    if let Some(a) = p.amount {
        assert!((1..=AMOUNT_MAX).contains(&a), "amount {a}");
    }
    // The amount as written in tag 54: the digits, then at most a point
    // and one or two zeros ("10.000" is ten thousand in Vietnamese, not 10).
    let written = top_level_field(t, b"54");
    match (p.amount, written) {
        (None, None) => {}
        (Some(a), Some(w)) => {
            let digits = a.to_string();
            let w = String::from_utf8_lossy(w);
            let tail = w.trim_start_matches('0').strip_prefix(digits.as_str());
            assert!(
                matches!(tail, Some("" | ".0" | ".00")),
                "amount {a} read from {w:?}"
            );
        }
        (a, w) => panic!("amount {a:?} but tag 54 is {w:?}"),
    }
    let text = String::from_utf8_lossy(t);
    for part in [&p.bin, &p.account] {
        assert!(
            text.contains(part.as_str()),
            "{part:?} is not in the payload"
        );
    }

    // Build the fields back: the new payload parses to the same fields.
    let req = PayloadRequest {
        bank: p.bin.clone(),
        account: p.account.clone(),
        service: p.service,
        amount: p.amount,
        purpose: p.purpose.clone(),
        bill_number: p.bill_number.clone(),
        initiation: p.initiation,
        fold_purpose: false,
    };
    match payload::build(&req) {
        Ok(rebuilt) => {
            let q = payload::parse(&rebuilt).expect("a built payload parses");
            let initiation = p.initiation.unwrap_or(if p.amount.is_some() {
                Initiation::Dynamic
            } else {
                Initiation::Static
            });
            assert_eq!(
                (
                    &q.bin,
                    &q.account,
                    q.service,
                    q.amount,
                    &q.purpose,
                    &q.bill_number
                ),
                (
                    &p.bin,
                    &p.account,
                    p.service,
                    p.amount,
                    &p.purpose,
                    &p.bill_number
                )
            );
            assert_eq!(q.initiation, Some(initiation));
        }
        // What parse takes from tag 62 as is, build checks.
        Err(e) => assert!(
            ["value_empty", "not_ascii", "value_too_long"].contains(&e.code.as_str())
                && (p.purpose.is_some() || p.bill_number.is_some()),
            "parsed fields do not build: {e:?}"
        ),
    }
}

/// The value of a top-level TLV field, walked here independently.
fn top_level_field<'a>(t: &'a [u8], id: &[u8]) -> Option<&'a [u8]> {
    let mut pos = 0;
    while pos + 4 <= t.len() {
        let len = usize::from(t[pos + 2] - b'0') * 10 + usize::from(t[pos + 3] - b'0');
        let value = t.get(pos + 4..pos + 4 + len)?;
        if &t[pos..pos + 2] == id {
            return Some(value);
        }
        pos += 4 + len;
    }
    None
}

#[derive(Arbitrary, Debug)]
enum BankIn {
    Listed(u8, bool),
    Bin(u32),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
enum TextIn {
    Digits(u64),
    Printable(Vec<u8>),
    Raw(String),
}

impl TextIn {
    fn text(&self) -> String {
        match self {
            TextIn::Digits(n) => n.to_string(),
            TextIn::Printable(b) => b.iter().map(|b| char::from(0x20 + b % 95)).collect(),
            TextIn::Raw(s) => s.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum AmountIn {
    Small(u32),
    Edge(u8),
    Raw(u64),
}

impl AmountIn {
    fn amount(&self) -> u64 {
        match *self {
            AmountIn::Small(n) => u64::from(n),
            AmountIn::Edge(i) => [1, AMOUNT_MAX, AMOUNT_MAX + 1, 0, u64::MAX][usize::from(i) % 5],
            AmountIn::Raw(n) => n,
        }
    }
}

#[derive(Arbitrary, Debug)]
struct BuildIn {
    bank: BankIn,
    account: TextIn,
    card: bool,
    amount: Option<AmountIn>,
    purpose: Option<TextIn>,
    bill_number: Option<TextIn>,
    initiation: Option<bool>,
    /// Where to change one character of the built payload, and to what.
    change: (u16, u8),
}

/// Why `build` must refuse, worked out from the rules, in the order it
/// checks them.
fn build_refusal(r: &PayloadRequest) -> Option<&'static str> {
    if !is_bin(&r.bank) && banks::by_code(&r.bank).is_none() {
        return Some("unknown_bank");
    }
    if r.account.is_empty()
        || r.account.len() > 19
        || !r.account.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Some("invalid_account");
    }
    for v in [&r.bill_number, &r.purpose].into_iter().flatten() {
        if v.is_empty() {
            return Some("value_empty");
        }
        if !v.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return Some("not_ascii");
        }
        if v.len() > 25 {
            return Some("value_too_long");
        }
    }
    match r.amount {
        Some(a) if a == 0 || a > AMOUNT_MAX => Some("invalid_amount"),
        _ => None,
    }
}

/// `payload.build` on structured input: it refuses exactly what the rules
/// refuse; what it builds parses back to the same fields, and any one
/// character changed in it is refused.
pub fn payload_roundtrip(data: &[u8]) {
    let Ok(i) = BuildIn::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let bank = match &i.bank {
        BankIn::Listed(n, lower) => {
            let code = banks::BANKS[usize::from(*n) % banks::BANKS.len()].code;
            if *lower {
                code.to_ascii_lowercase()
            } else {
                code.to_string()
            }
        }
        BankIn::Bin(n) => format!("{:06}", n % 1_000_000),
        BankIn::Raw(s) => s.clone(),
    };
    let req = PayloadRequest {
        bank,
        account: i.account.text(),
        service: if i.card {
            Service::Card
        } else {
            Service::Account
        },
        amount: i.amount.as_ref().map(AmountIn::amount),
        purpose: i.purpose.as_ref().map(TextIn::text),
        bill_number: i.bill_number.as_ref().map(TextIn::text),
        initiation: i.initiation.map(|d| {
            if d {
                Initiation::Dynamic
            } else {
                Initiation::Static
            }
        }),
        fold_purpose: false,
    };
    let mut input = json!({
        "bank": req.bank,
        "account": req.account,
        "service": if i.card { "card" } else { "account" },
    });
    for (k, v) in [("purpose", &req.purpose), ("bill_number", &req.bill_number)] {
        if let Some(v) = v {
            input[k] = json!(v);
        }
    }
    if let Some(a) = req.amount {
        input["amount"] = json!(a);
    }
    if let Some(d) = i.initiation {
        input["initiation"] = json!(if d { "dynamic" } else { "static" });
    }
    let out = call("payload.build", input);
    let built = payload::build(&req);
    match (&built, envelope(&out)) {
        (Ok(p), Outcome::Ok(v)) => assert_eq!(v, &json!({ "payload": p })),
        (Err(e), Outcome::Err { code, .. }) => assert_eq!(e.code, code),
        (b, o) => panic!("build gave {b:?} but call gave {o:?}"),
    }
    let expected = build_refusal(&req);
    let p = match built {
        Err(e) => {
            assert_eq!(
                Some(e.code.as_str()),
                expected,
                "{req:?} refused with {e:?}"
            );
            return;
        }
        Ok(p) => {
            assert_eq!(expected, None, "{req:?} built {p:?}");
            p
        }
    };
    assert!(p.bytes().all(|b| (0x20..0x7f).contains(&b)), "{p:?}");
    let n = p.len();
    assert_eq!(
        &p[n - 4..],
        format!("{:04X}", crc16(&p.as_bytes()[..n - 4]))
    );
    let q = payload::parse(&p).unwrap_or_else(|e| panic!("built {p:?} does not parse: {e:?}"));
    let bin = if is_bin(&req.bank) {
        req.bank.clone()
    } else {
        banks::by_code(&req.bank).unwrap().bin.to_string()
    };
    let initiation = req.initiation.unwrap_or(if req.amount.is_some() {
        Initiation::Dynamic
    } else {
        Initiation::Static
    });
    assert_eq!(
        (
            &q.bin,
            &q.account,
            q.service,
            q.amount,
            &q.purpose,
            &q.bill_number,
            q.initiation
        ),
        (
            &bin,
            &req.account,
            req.service,
            req.amount,
            &req.purpose,
            &req.bill_number,
            Some(initiation)
        ),
        "{p}"
    );
    assert_eq!(q.bank_code, banks::by_bin(&bin).map(|b| b.code));
    let lower = format!("{}{}", &p[..n - 4], p[n - 4..].to_ascii_lowercase());
    assert_eq!(payload::parse(&lower).map(|l| l.bin), Ok(bin));

    // One character changed: always refused (a CRC-16 catches every burst
    // of up to 16 bits), except a hex letter of the CRC changing case.
    let at = usize::from(i.change.0) % n;
    let to = 0x20 + i.change.1 % 95;
    let mut changed = p.clone().into_bytes();
    if changed[at] != to {
        changed[at] = to;
        let changed = String::from_utf8(changed).unwrap();
        let case_only = at >= n - 4 && changed[at..=at].eq_ignore_ascii_case(&p[at..=at]);
        match payload::parse(&changed) {
            Ok(_) => assert!(case_only, "{changed:?} (changed from {p:?}) was accepted"),
            Err(e) => {
                assert!(!case_only, "{changed:?} refused: {e:?}");
                assert!(PARSE_CODES.contains(&e.code.as_str()), "{e:?}");
            }
        }
    }
}

// ----------------------------------------------------------- callbacks

#[derive(Debug)]
enum SecretIn {
    Good(u64),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
enum NowIn {
    Typical(u32),
    Raw(u64),
    /// A clock at the end of time: what `now + 300` must survive.
    NearMax(u16),
}

#[derive(Arbitrary, Debug)]
enum BasicIn {
    /// `Basic base64(username:password)`, the scheme in lower case or not,
    /// with spaces around or not.
    Right(bool, bool),
    Other(String, String),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
struct TokenCase {
    username: String,
    password: String,
    header: BasicIn,
}

#[derive(Debug)]
enum AuthIn {
    /// A token we issued `offset` seconds from now (negative: earlier).
    Issued(i16, bool),
    OtherSecret(u64),
    Raw(String),
}

/// A required string field of the transaction body.
#[derive(Debug)]
enum TextField {
    Valid(u64),
    Missing,
    Null,
    Empty,
    Number(i64),
    TooLong,
    Control,
    Raw(String),
}

/// A number field, sent as a JSON number or a string of digits.
#[derive(Debug)]
enum NumField {
    Num(u64),
    Str(u64),
    Negative(i64),
    Float(u16),
    Missing,
    Raw(String),
}

#[derive(Debug)]
enum TransTypeIn {
    C,
    D,
    Raw(String),
    Missing,
}

#[derive(Arbitrary, Debug)]
enum SignField {
    Absent,
    Ours,
    Raw(String),
}

#[derive(Arbitrary, Debug)]
enum AccountCheck {
    Same,
    Other(String),
}

#[derive(Arbitrary, Debug)]
struct TxIn {
    transaction_id: TextField,
    reference_number: TextField,
    amount: NumField,
    transaction_time: NumField,
    content: TextField,
    bank_account: TextField,
    trans_type: TransTypeIn,
    order_id: TextField,
    sign: SignField,
    terminal_code: TextField,
    /// Per key: as VietQR spells it, lower case or upper case.
    key_case: u32,
}

#[derive(Arbitrary, Debug)]
enum BodyIn {
    Tx(Box<TxIn>),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
struct SyncCase {
    auth: AuthIn,
    body: BodyIn,
    account: Option<AccountCheck>,
    ref_transaction_id: Option<String>,
}

#[derive(Arbitrary, Debug)]
struct CallbackIn {
    secret: SecretIn,
    now: NowIn,
    token: TokenCase,
    sync: SyncCase,
}

// Mostly the valid variant (and all of them when the input runs out), so
// that the fuzzer reaches an accepted callback, which needs every field.
impl<'a> Arbitrary<'a> for SecretIn {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(if u.ratio(7, 8)? || u.is_empty() {
            SecretIn::Good(u.arbitrary()?)
        } else {
            SecretIn::Raw(u.arbitrary()?)
        })
    }
}

impl<'a> Arbitrary<'a> for AuthIn {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(match u.int_in_range(0..=9u8)? {
            0..=5 => AuthIn::Issued(u.int_in_range(-60..=20)?, u.arbitrary()?),
            6 => AuthIn::Issued(u.arbitrary()?, u.arbitrary()?),
            7 => AuthIn::OtherSecret(u.arbitrary()?),
            _ => AuthIn::Raw(u.arbitrary()?),
        })
    }
}

impl<'a> Arbitrary<'a> for TextField {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(match u.int_in_range(0..=15u8)? {
            0..=8 => TextField::Valid(u.arbitrary()?),
            9 => TextField::Missing,
            10 => TextField::Null,
            11 => TextField::Empty,
            12 => TextField::Number(u.arbitrary()?),
            13 => TextField::TooLong,
            14 => TextField::Control,
            _ => TextField::Raw(u.arbitrary()?),
        })
    }
}

impl<'a> Arbitrary<'a> for NumField {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(match u.int_in_range(0..=11u8)? {
            0..=3 => NumField::Num(u.int_in_range(1..=AMOUNT_MAX)?),
            4..=5 => NumField::Str(u.int_in_range(1..=AMOUNT_MAX)?),
            6 => NumField::Num(u.arbitrary()?),
            7 => NumField::Str(u.arbitrary()?),
            8 => NumField::Negative(u.arbitrary()?),
            9 => NumField::Float(u.arbitrary()?),
            10 => NumField::Missing,
            _ => NumField::Raw(u.arbitrary()?),
        })
    }
}

impl<'a> Arbitrary<'a> for TransTypeIn {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(match u.int_in_range(0..=7u8)? {
            0..=4 => TransTypeIn::C,
            5 => TransTypeIn::D,
            6 => TransTypeIn::Missing,
            _ => TransTypeIn::Raw(u.arbitrary()?),
        })
    }
}

/// What a field of the body is, and whether the core must take it.
enum Field {
    Absent,
    Put(Value),
}

fn text_field(f: &TextField, max: usize) -> (Field, Option<String>) {
    // The second item: the value as the core must read it, None = refused.
    match f {
        TextField::Valid(n) => {
            let s = format!("T{n:x}");
            (Field::Put(json!(s)), Some(s))
        }
        TextField::Missing => (Field::Absent, None),
        TextField::Null => (Field::Put(Value::Null), None),
        TextField::Empty => (Field::Put(json!("")), None),
        TextField::Number(n) => (Field::Put(json!(n)), None),
        TextField::TooLong => (Field::Put(json!("a".repeat(max + 1))), None),
        TextField::Control => (Field::Put(json!("a\u{1}b")), None),
        TextField::Raw(s) => {
            let ok = !s.trim().is_empty() && s.len() <= max && !s.chars().any(char::is_control);
            (Field::Put(json!(s)), ok.then(|| s.clone()))
        }
    }
}

/// An optional string field: absent, null and "" read as "".
fn optional_field(f: &TextField, max: usize) -> (Field, Option<String>) {
    match f {
        TextField::Missing => (Field::Absent, Some(String::new())),
        TextField::Null => (Field::Put(Value::Null), Some(String::new())),
        TextField::Empty => (Field::Put(json!("")), Some(String::new())),
        TextField::Raw(s) => {
            let ok = s.len() <= max && !s.chars().any(char::is_control);
            (Field::Put(json!(s)), ok.then(|| s.clone()))
        }
        other => text_field(other, max),
    }
}

fn num_field(f: &NumField) -> (Field, Option<u64>) {
    match f {
        NumField::Num(n) => (Field::Put(json!(n)), Some(*n)),
        NumField::Str(n) => (Field::Put(json!(n.to_string())), Some(*n)),
        NumField::Negative(n) => (Field::Put(json!(-n.saturating_abs().max(1))), None),
        NumField::Float(n) => (Field::Put(json!(f64::from(*n) + 0.5)), None),
        NumField::Missing => (Field::Absent, None),
        NumField::Raw(s) => {
            let ok = !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit());
            (Field::Put(json!(s)), ok.then(|| s.parse().ok()).flatten())
        }
    }
}

/// The transaction the core must accept, or the errorReason it must give.
struct Expected {
    body: String,
    outcome: Result<Value, &'static str>,
}

fn expected_sync(tx: &TxIn, secret: &str, account: Option<&str>) -> Expected {
    let mut body = Map::new();
    let mut first_error: Option<&'static str> = None;
    let mut fail = |code: &'static str| {
        first_error.get_or_insert(code);
    };
    let mut key_n = 0;
    let mut put = |body: &mut Map<String, Value>, key: &str, f: Field| {
        let key = match (tx.key_case >> (2 * key_n)) & 3 {
            1 => key.to_ascii_lowercase(),
            2 => key.to_ascii_uppercase(),
            _ => key.to_string(),
        };
        key_n += 1;
        if let Field::Put(v) = f {
            body.insert(key, v);
        }
    };
    let (f, transaction_id) = text_field(&tx.transaction_id, 64);
    put(&mut body, "transactionid", f);
    if transaction_id.is_none() {
        fail("007");
    }
    let (f, reference_number) = text_field(&tx.reference_number, 64);
    put(&mut body, "referencenumber", f);
    if reference_number.is_none() {
        fail("008");
    }
    let (f, amount) = num_field(&tx.amount);
    put(&mut body, "amount", f);
    let amount = amount.filter(|a| (1..=AMOUNT_MAX).contains(a));
    if amount.is_none() {
        fail("002");
    }
    let (f, time) = num_field(&tx.transaction_time);
    put(&mut body, "transactiontime", f);
    let time = time.filter(|t| *t > 0);
    if time.is_none() {
        fail("004");
    }
    let (f, content) = match &tx.content {
        TextField::Valid(n) => {
            let s = format!("DH{n}");
            (Field::Put(json!(s)), Some(s))
        }
        TextField::Empty => (Field::Put(json!("")), Some(String::new())),
        TextField::Control => (Field::Put(json!("a\u{1}b")), Some("a\u{1}b".into())),
        TextField::TooLong => (Field::Put(json!("a".repeat(501))), None),
        TextField::Raw(s) => (Field::Put(json!(s)), (s.len() <= 500).then(|| s.clone())),
        TextField::Missing => (Field::Absent, None),
        TextField::Null => (Field::Put(Value::Null), None),
        TextField::Number(n) => (Field::Put(json!(n)), None),
    };
    put(&mut body, "content", f);
    if content.is_none() {
        fail("009");
    }
    let (f, bank_account) = text_field(&tx.bank_account, 32);
    put(&mut body, "bankaccount", f);
    if bank_account.is_none() {
        fail("010");
    }
    let (f, trans_type) = match &tx.trans_type {
        TransTypeIn::C => (Field::Put(json!("C")), Some("C".to_string())),
        TransTypeIn::D => (Field::Put(json!("D")), Some("D".to_string())),
        TransTypeIn::Raw(s) => (
            Field::Put(json!(s)),
            (s == "C" || s == "D").then(|| s.clone()),
        ),
        TransTypeIn::Missing => (Field::Absent, None),
    };
    put(&mut body, "transType", f);
    if trans_type.is_none() {
        fail("003");
    }
    let (f, order_id) = optional_field(&tx.order_id, 64);
    put(&mut body, "orderId", f);
    if order_id.is_none() {
        fail("001");
    }
    let (f, sign_value) = match &tx.sign {
        SignField::Absent => (Field::Absent, Some(String::new())),
        SignField::Ours => {
            let s = sign(
                secret,
                order_id.as_deref().unwrap_or(""),
                bank_account.as_deref().unwrap_or(""),
            );
            (Field::Put(json!(s)), Some(s))
        }
        SignField::Raw(s) => {
            let ok = s.len() <= 256 && !s.chars().any(char::is_control);
            (Field::Put(json!(s)), ok.then(|| s.clone()))
        }
    };
    put(&mut body, "sign", f);
    if sign_value.is_none() {
        fail("001");
    }
    let (f, terminal_code) = optional_field(&tx.terminal_code, 64);
    put(&mut body, "terminalCode", f);
    if terminal_code.is_none() {
        fail("001");
    }
    let body_text = Value::Object(body).to_string();
    if let Some(code) = first_error {
        return Expected {
            body: body_text,
            outcome: Err(code),
        };
    }
    let (bank_account, order_id, sign_value) = (
        bank_account.unwrap(),
        order_id.unwrap(),
        sign_value.unwrap(),
    );
    let outcome = if trans_type.as_deref() != Some("C") {
        Err("003")
    } else if account.is_some_and(|a| a != bank_account) {
        Err("010")
    } else if !sign_value.is_empty() && sign_value != sign(secret, &order_id, &bank_account) {
        Err("011")
    } else {
        let time = time.unwrap();
        Ok(json!({
            "transaction_id": transaction_id,
            "transaction_time": if time >= 100_000_000_000 { time / 1000 } else { time },
            "reference_number": reference_number,
            "amount": amount,
            "content": content,
            "bank_account": bank_account,
            "trans_type": "C",
            "order_id": order_id,
            "sign": sign_value,
            "sign_valid": if sign_value.is_empty() { Value::Null } else { json!(true) },
            "terminal_code": terminal_code,
            "url_link": "",
            "sub_terminal_code": "",
            "service_code": "",
            "candidate_refs": candidate_refs(&order_id, content.as_deref().unwrap_or_default()),
        }))
    };
    Expected {
        body: body_text,
        outcome,
    }
}

/// The oracle for the references a transaction may pay (docs/protocol.md):
/// orderId trimmed and in capitals, then the first 20 runs of ASCII letters
/// and digits in the content that are at most 13 long, in capitals, once each.
fn candidate_refs(order_id: &str, content: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let id = order_id.trim().to_uppercase();
    if !id.is_empty() {
        out.push(id);
    }
    let mut words = Vec::new();
    let mut word = String::new();
    for c in content.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_uppercase());
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    for w in words.into_iter().take(20) {
        if w.len() <= 13 && !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// Whether `token` is one we issued with `secret` that is valid at `now`:
/// not expired, and not issued further ahead than the 30 s of clock skew.
fn token_valid(secret: &str, token: &str, now: u64) -> bool {
    let mut parts = token.split('.');
    let (Some("vqr1"), Some(exp), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let Ok(exp) = exp.parse::<u64>() else {
        return false;
    };
    exp >= 300
        && issue_token(secret, exp - 300) == token
        && now < exp
        && u128::from(exp) <= u128::from(now) + 330
}

const VALID_BODY: &str = r#"{"transactionid":"T1","referencenumber":"R1","amount":1000,"transactiontime":1700000000,"content":"DH1","bankaccount":"0123456789","transType":"C"}"#;

/// `callback.token` and `callback.transaction_sync` on structured input:
/// never a panic; a token only for the right Basic credentials, and one
/// that then opens transaction-sync; a transaction accepted exactly when
/// the bearer token is ours and valid and the body follows the rules, with
/// the errorReason of the first broken rule otherwise.
pub fn callback(data: &[u8]) {
    let Ok(i) = CallbackIn::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let secret = match &i.secret {
        SecretIn::Good(n) => format!("callback-secret-{n:016x}"),
        SecretIn::Raw(s) => s.clone(),
    };
    let weak = secret.len() < 16;
    let now = match i.now {
        NowIn::Typical(n) => 1_600_000_000 + u64::from(n),
        NowIn::Raw(n) => n,
        NowIn::NearMax(n) => u64::MAX - u64::from(n),
    };

    // callback.token
    let t = &i.token;
    let authorization = match &t.header {
        BasicIn::Right(lower, spaces) => {
            let h = vietqr::checksum::basic_auth(&t.username, &t.password);
            let h = if *lower {
                h.replacen("Basic", "basic", 1)
            } else {
                h
            };
            if *spaces {
                format!("  {h} ")
            } else {
                h
            }
        }
        BasicIn::Other(u, p) => vietqr::checksum::basic_auth(u, p),
        BasicIn::Raw(s) => s.clone(),
    };
    let out = call(
        "callback.token",
        json!({"authorization": authorization, "username": t.username, "password": t.password, "secret": secret, "now": now}),
    );
    if weak {
        assert_eq!(code_of(&out), Some("weak_secret"), "{out}");
    } else if t.username.is_empty() || t.password.is_empty() {
        assert_eq!(code_of(&out), Some("missing_credentials"), "{out}");
    } else {
        let v = &out["value"];
        // The credentials the header carries, decoded here.
        let carried = authorization
            .trim()
            .split_once(' ')
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
            .and_then(|(_, b)| {
                base64::engine::general_purpose::STANDARD
                    .decode(b.trim())
                    .ok()
            })
            .and_then(|raw| String::from_utf8(raw).ok());
        let right = carried.as_deref().and_then(|c| c.split_once(':'))
            == Some((t.username.as_str(), t.password.as_str()));
        if let BasicIn::Right(..) = t.header {
            assert_eq!(right, !t.username.contains(':'));
        }
        if right {
            assert_eq!(v["status"], 200, "{out}");
            assert_eq!(v["reason"], "accepted");
            let body = &v["body"];
            assert_eq!(
                (&body["token_type"], &body["expires_in"]),
                (&json!("Bearer"), &json!(300))
            );
            let token = body["access_token"].as_str().expect("access_token");
            let sync = |at: u64| {
                call(
                    "callback.transaction_sync",
                    json!({"authorization": format!("Bearer {token}"), "body": VALID_BODY, "secret": secret, "now": at}),
                )
            };
            if let Some(exp) = now.checked_add(300) {
                assert!(
                    token_valid(&secret, token, now),
                    "{token} is not valid at {now}"
                );
                assert_eq!(
                    sync(now)["value"]["status"],
                    200,
                    "the issued token is refused"
                );
                assert_eq!(sync(exp)["value"]["reason"], "token_expired");
            }
        } else {
            assert_eq!(v["status"], 401, "{out}");
            assert!(v["body"].get("access_token").is_none(), "{out}");
        }
    }

    // callback.transaction_sync
    let s = &i.sync;
    let (authorization, auth_ok) = match &s.auth {
        AuthIn::Issued(offset, lower) => {
            let Some(at) = now.checked_add_signed(i64::from(*offset)) else {
                return;
            };
            if at.checked_add(300).is_none() {
                return;
            }
            let token = issue_token(&secret, at);
            let scheme = if *lower { "bearer" } else { "Bearer" };
            let valid = token_valid(&secret, &token, now);
            // Restated: valid from 30 s before issue until 300 s after.
            assert_eq!(valid, at <= now.saturating_add(30) && now < at + 300);
            (format!("{scheme} {token}"), Some(valid))
        }
        AuthIn::OtherSecret(n) => {
            let other = format!("another-secret-{n:016x}");
            let Some(_) = now.checked_add(300) else {
                return;
            };
            (
                format!("Bearer {}", issue_token(&other, now)),
                Some(other == secret),
            )
        }
        AuthIn::Raw(a) => (a.clone(), None),
    };
    let account = match &s.account {
        None => None,
        Some(AccountCheck::Same) => match &s.body {
            BodyIn::Tx(tx) => match &tx.bank_account {
                TextField::Valid(n) => Some(format!("T{n:x}")),
                _ => Some("0123456789".to_string()),
            },
            BodyIn::Raw(_) => Some("0123456789".to_string()),
        },
        Some(AccountCheck::Other(a)) => Some(a.clone()),
    };
    let expected = match &s.body {
        BodyIn::Tx(tx) => Some(expected_sync(tx, &secret, account.as_deref())),
        BodyIn::Raw(_) => None,
    };
    let body = match (&s.body, &expected) {
        (BodyIn::Raw(b), _) => b.clone(),
        (_, Some(e)) => e.body.clone(),
        _ => unreachable!(),
    };
    let mut input =
        json!({"authorization": authorization, "body": body, "secret": secret, "now": now});
    if let Some(a) = &account {
        input["bank_account"] = json!(a);
    }
    if let Some(r) = &s.ref_transaction_id {
        input["ref_transaction_id"] = json!(r);
    }
    let out = call("callback.transaction_sync", input);
    if weak {
        assert_eq!(code_of(&out), Some("weak_secret"), "{out}");
        return;
    }
    let v = match envelope(&out) {
        Outcome::Ok(v) => v,
        o => panic!("transaction_sync failed: {o:?}"),
    };
    let status = v["status"].as_u64().expect("status");
    let b = &v["body"];
    assert_eq!(b["error"], json!(status != 200), "{out}");
    assert_eq!(v["transaction"].is_null(), status != 200, "{out}");
    let presented = authorization
        .trim()
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim());
    let really_valid = presented.is_some_and(|t| token_valid(&secret, t, now));
    if let Some(ok) = auth_ok {
        assert_eq!(ok, really_valid);
    }
    match status {
        401 => {
            assert!(!really_valid, "a valid token was refused: {out}");
            assert_eq!(b["errorReason"], "012");
            return;
        }
        200 | 400 => assert!(really_valid, "an invalid token got through: {out}"),
        other => panic!("status {other}: {out}"),
    }
    let reason = b["errorReason"].as_str().expect("errorReason");
    if status == 200 {
        assert_eq!(reason, "000");
        let t = &v["transaction"];
        let reference = s
            .ref_transaction_id
            .clone()
            .unwrap_or_else(|| t["transaction_id"].as_str().unwrap().to_string());
        assert_eq!(b["object"], json!({ "reftransactionid": reference }));
        assert_eq!(t["trans_type"], "C");
        let amount = t["amount"].as_u64().unwrap();
        assert!((1..=AMOUNT_MAX).contains(&amount));
        if let Some(a) = &account {
            assert_eq!(t["bank_account"], json!(a));
        }
        let sg = t["sign"].as_str().unwrap();
        if sg.is_empty() {
            assert!(t["sign_valid"].is_null());
        } else {
            assert_eq!(t["sign_valid"], true);
            let want = sign(
                &secret,
                t["order_id"].as_str().unwrap(),
                t["bank_account"].as_str().unwrap(),
            );
            assert_eq!(sg, want, "a wrong sign was accepted");
        }
    } else {
        assert!(
            ["001", "002", "003", "004", "007", "008", "009", "010", "011"].contains(&reason),
            "errorReason {reason}"
        );
        assert!(b["object"].is_null());
    }
    if let Some(e) = expected {
        match e.outcome {
            Ok(t) => {
                assert_eq!(status, 200, "refused a good transaction: {out}");
                assert_eq!(v["transaction"], t);
            }
            Err(code) => assert_eq!(reason, code, "{out}"),
        }
    }
}

// ---------------------------------------------------------- API replies

/// How a field of a reply reads: the snake_case name the core gives, the
/// camelCase name VietQR sends, and its kind.
#[derive(Clone, Copy)]
enum Kind {
    Str,
    OptStr,
    Text,
    Int,
    OptInt,
}

const TOKEN: &[(&str, &str, Kind)] = &[
    ("access_token", "access_token", Kind::Text),
    ("token_type", "token_type", Kind::Str),
    ("expires_in", "expires_in", Kind::Int),
];

const GENERATE_CUSTOMER: &[(&str, &str, Kind)] = &[
    ("bank_code", "bankCode", Kind::Str),
    ("bank_name", "bankName", Kind::OptStr),
    ("bank_account", "bankAccount", Kind::Str),
    ("user_bank_name", "userBankName", Kind::OptStr),
    ("amount", "amount", Kind::OptInt),
    ("content", "content", Kind::Str),
    ("qr_code", "qrCode", Kind::Text),
    ("img_id", "imgId", Kind::OptStr),
    ("existing", "existing", Kind::OptInt),
    ("transaction_id", "transactionId", Kind::OptStr),
    ("transaction_ref_id", "transactionRefId", Kind::OptStr),
    ("qr_link", "qrLink", Kind::OptStr),
    ("terminal_code", "terminalCode", Kind::OptStr),
    ("sub_terminal_code", "subTerminalCode", Kind::OptStr),
    ("service_code", "serviceCode", Kind::OptStr),
    ("order_id", "orderId", Kind::OptStr),
    ("va_account", "vaAccount", Kind::OptStr),
];

const ECOMMERCE_SYNC: &[(&str, &str, Kind)] = &[
    ("webhook", "webhook", Kind::OptStr),
    ("client_id", "clientId", Kind::Text),
    ("certificate", "certificate", Kind::Text),
    ("code", "code", Kind::OptStr),
];

const TERMINAL: &[(&str, &str, Kind)] = &[
    ("tid", "tid", Kind::Text),
    ("terminal_name", "terminalName", Kind::OptStr),
    ("terminal_code", "terminalCode", Kind::OptStr),
    ("bank_account", "bankAccount", Kind::OptStr),
    ("bank_code", "bankCode", Kind::OptStr),
];

const ORDER: &[(&str, &str, Kind)] = &[
    ("order_id", "orderId", Kind::OptStr),
    ("amount", "amount", Kind::Int),
    ("content", "content", Kind::OptStr),
    ("trans_type", "transType", Kind::OptStr),
    ("status", "status", Kind::Int),
    ("type", "type", Kind::Int),
    ("time_created", "timeCreated", Kind::OptInt),
    ("time_paid", "timePaid", Kind::OptInt),
    ("terminal_code", "terminalCode", Kind::OptStr),
    ("note", "note", Kind::OptStr),
    ("refund_count", "refundCount", Kind::OptInt),
    ("amount_refunded", "amountRefunded", Kind::OptInt),
    ("refund_from", "refundFrom", Kind::OptStr),
];

/// The endpoints, in the order the first input byte picks them, with the
/// name their error messages use.
pub const ENDPOINTS: &[(&str, &str)] = &[
    ("token", "token"),
    ("generate_customer", "generate-customer"),
    ("test_callback", "test-callback"),
    ("ecommerce_sync", "ecommerce-sync"),
    ("tid_sync", "TID-sync"),
    ("check_order", "check-order"),
    ("refund", "refund"),
];

const STATUSES: &[u16] = &[
    200, 200, 200, 201, 204, 400, 401, 403, 404, 500, 502, 302, 0,
];

/// An integer field as VietQR may send it: a JSON number, or digits in a
/// string; None for absent, null and "".
fn int_of(v: Option<&Value>) -> Result<Option<i64>, ()> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_i64().map(Some).ok_or(()),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => {
            let s = s.trim();
            if s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse().map(Some).map_err(|_| ())
            } else {
                Err(())
            }
        }
        Some(_) => Err(()),
    }
}

/// Each field of `out` is the reply's field under its camelCase name.
fn mirrors(out: &Value, reply: &Value, spec: &[(&str, &str, Kind)], extra: &[&str]) {
    let out_obj = out
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {out}"));
    let reply_obj = reply
        .as_object()
        .unwrap_or_else(|| panic!("reply not an object: {reply}"));
    for k in out_obj.keys() {
        assert!(
            spec.iter().any(|(s, _, _)| s == k) || extra.contains(&k.as_str()),
            "unexpected {k} in {out}"
        );
    }
    for &(snake, camel, kind) in spec {
        let got = out_obj
            .get(snake)
            .unwrap_or_else(|| panic!("{snake} missing: {out}"));
        let sent = reply_obj.get(camel).filter(|v| !v.is_null());
        match kind {
            Kind::Str | Kind::Text => {
                assert_eq!(Some(got), sent, "{snake}");
                assert!(got.is_string());
                if let Kind::Text = kind {
                    assert!(!got.as_str().unwrap().trim().is_empty(), "{snake} is blank");
                }
            }
            Kind::OptStr => assert_eq!(got, sent.unwrap_or(&Value::Null), "{snake}"),
            Kind::Int | Kind::OptInt => {
                let want = int_of(sent).unwrap_or_else(|_| panic!("{snake} taken from {sent:?}"));
                if let Kind::Int = kind {
                    assert!(want.is_some(), "{snake} absent but taken");
                }
                assert_eq!(got, &json!(want), "{snake}");
            }
        }
    }
}

fn mirror_reply(endpoint: &str, value: &Value, reply: &Value) {
    match endpoint {
        "token" => mirrors(value, reply, TOKEN, &[]),
        "generate_customer" => {
            mirrors(value, reply, GENERATE_CUSTOMER, &["additional_data"]);
            let extra = reply.get("additionalData").filter(|v| !v.is_null());
            assert_eq!(&value["additional_data"], extra.unwrap_or(&json!([])));
        }
        "ecommerce_sync" => {
            mirrors(value, reply, ECOMMERCE_SYNC, &["token"]);
            mirrors(&value["token"], &reply["token"], TOKEN, &[]);
        }
        "test_callback" | "refund" => {
            assert_eq!(reply["status"], "SUCCESS");
            let message = reply.get("message").and_then(Value::as_str).unwrap_or("");
            if endpoint == "refund" {
                assert!(!message.trim().is_empty());
                assert_eq!(value, &json!({ "refund_code": message }));
            } else {
                let id = if message.is_empty() {
                    Value::Null
                } else {
                    json!(message)
                };
                assert_eq!(value, &json!({ "transaction_id": id }));
            }
        }
        "tid_sync" => {
            assert_eq!(reply["status"], "SUCCESS");
            let (got, sent) = (value.as_array().unwrap(), reply["data"].as_array().unwrap());
            assert_eq!(got.len(), sent.len());
            for (g, s) in got.iter().zip(sent) {
                mirrors(g, s, TERMINAL, &[]);
            }
        }
        "check_order" => {
            let (got, sent) = (value.as_array().unwrap(), reply.as_array().unwrap());
            assert_eq!(got.len(), sent.len());
            for (g, s) in got.iter().zip(sent) {
                mirrors(g, s, ORDER, &["reference_number", "transaction"]);
                let r = s
                    .get("referenceNumber")
                    .filter(|r| !r.is_null() && r.as_str() != Some(""));
                assert_eq!(&g["reference_number"], r.unwrap_or(&Value::Null));
                // A paid credit row with a reference and an amount comes as a callback's transaction.
                let paid_credit = g["status"] == 1
                    && matches!(g["trans_type"].as_str(), None | Some("C"))
                    && r.is_some()
                    && g["amount"]
                        .as_i64()
                        .is_some_and(|a| (1..=9_999_999_999_999).contains(&a));
                let t = &g["transaction"];
                assert_eq!(!t.is_null(), paid_credit, "{g}");
                if paid_credit {
                    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
                    assert_eq!(
                        t["transaction_id"],
                        format!("ref:{}", text(&g["reference_number"]))
                    );
                    assert_eq!(t["amount"], g["amount"]);
                    assert_eq!(t["content"], text(&g["content"]));
                    assert_eq!(t["order_id"], text(&g["order_id"]));
                    assert_eq!(
                        t["candidate_refs"],
                        json!(candidate_refs(&text(&g["order_id"]), &text(&g["content"])))
                    );
                }
            }
        }
        other => unreachable!("{other}"),
    }
}

/// The names a `vietqr_bad_reply` message may quote: field names only,
/// never a value (a reply can carry a token).
fn known_name(name: &str) -> bool {
    [TOKEN, GENERATE_CUSTOMER, ECOMMERCE_SYNC, TERMINAL, ORDER]
        .iter()
        .flat_map(|s| s.iter())
        .any(|(_, camel, _)| *camel == name)
        || ["status", "data", "message", "token", "referenceNumber"].contains(&name)
}

fn check_path(path: &str) {
    // `token.access_token`, `data[3].tid`, `[0].amount`.
    for part in path.split(['.', '[', ']']).filter(|p| !p.is_empty()) {
        assert!(
            known_name(part) || part.bytes().all(|b| b.is_ascii_digit()),
            "bad_reply quotes {part:?}"
        );
    }
}

fn check_bad_reply(message: &str, what: &str) {
    if let Some(field) = message.strip_prefix(&format!("VietQR's {what} reply: `")) {
        // The one vocabulary (src/field.rs): "`path` is missing", "… must be X, not Y".
        let (path, problem) = field
            .split_once("` ")
            .unwrap_or_else(|| panic!("bad_reply message {message:?}"));
        let kinds = [
            "null",
            "a boolean",
            "a fraction",
            "a number",
            "a string",
            "a list",
            "an object",
        ];
        let known = ["is missing", "is empty", "must be a whole number"].contains(&problem)
            || [
                "must be a string, not ",
                "must be a whole number, not ",
                "must be an object, not ",
            ]
            .iter()
            .any(|p| problem.strip_prefix(p).is_some_and(|k| kinds.contains(&k)));
        assert!(known, "unexpected bad_reply message {message:?}");
        check_path(path);
        return;
    }
    let problem = message
        .strip_prefix(&format!("VietQR's {what} reply "))
        .unwrap_or_else(|| panic!("bad_reply message {message:?}"));
    let fixed = [
        "is not JSON",
        "is not a JSON object",
        "is not a JSON list",
        "has a status other than SUCCESS or FAILED",
        "has no refund code in \"message\"",
    ];
    assert!(
        fixed.contains(&problem),
        "unexpected bad_reply message {message:?}"
    );
}

/// `api.<endpoint>.response` on any HTTP status and body: never a panic;
/// VietQR's FAILED envelope always wins and gives `vietqr_error`; without
/// it, 401/403 give `vietqr_unauthorized`, other non-2xx
/// `vietqr_unavailable`; on 2xx the value is exactly the reply's fields,
/// and anything else is a `vietqr_bad_reply` that names fields, never
/// values.
pub fn api_response(data: &[u8]) {
    let [e, s, rest @ ..] = data else {
        return;
    };
    let (endpoint, what) = ENDPOINTS[usize::from(*e) % ENDPOINTS.len()];
    let status = match STATUSES.get(usize::from(*s)) {
        Some(st) => *st,
        None => 100 + u16::from(*s) * 2,
    };
    let body = String::from_utf8_lossy(rest);
    let out = call(
        &format!("api.{endpoint}.response"),
        json!({ "status": status, "body": body }),
    );
    let json: Option<Value> = serde_json::from_str(&body).ok();
    let failed = json
        .as_ref()
        .and_then(|j| j.get("status"))
        .and_then(Value::as_str)
        == Some("FAILED");
    match envelope(&out) {
        Outcome::Ok(value) => {
            assert!(!failed && (200..300).contains(&status), "{out}");
            mirror_reply(endpoint, value, json.as_ref().expect("accepted JSON"));
        }
        Outcome::Err {
            code,
            message,
            vietqr,
        } => {
            let expected = if failed {
                "vietqr_error"
            } else if (200..300).contains(&status) {
                "vietqr_bad_reply"
            } else if status == 401 || status == 403 {
                "vietqr_unauthorized"
            } else {
                "vietqr_unavailable"
            };
            assert_eq!(code, expected, "{out}");
            match code {
                "vietqr_bad_reply" => check_bad_reply(message, what),
                "vietqr_unavailable" => {
                    assert!(message.contains(&format!("HTTP {status}")), "{message}")
                }
                "vietqr_unauthorized" => {
                    assert_eq!(vietqr.unwrap()["code"], format!("HTTP {status}"))
                }
                _ => {
                    let c = vietqr.unwrap()["code"].as_str().unwrap();
                    assert!(
                        c == "FAILED"
                            || (!c.is_empty()
                                && c.bytes().all(|b| b.is_ascii_alphanumeric())
                                && c.bytes().skip(1).all(|b| b.is_ascii_digit())),
                        "vietqr.code {c:?}"
                    );
                    assert!(message.starts_with(&format!("VietQR answered {c}: ")));
                }
            }
        }
    }
}

// ---------------------------------------------------------- any call

/// Field names the ops take, so that generated objects reach past the
/// "unknown field" check.
const KEYS: &[&str] = &[
    "payload",
    "bank",
    "account",
    "service",
    "amount",
    "purpose",
    "bill_number",
    "initiation",
    "text",
    "ecl",
    "module_px",
    "quiet_zone",
    "max_len",
    "authorization",
    "username",
    "password",
    "secret",
    "now",
    "body",
    "bank_account",
    "ref_transaction_id",
    "order_id",
    "message",
    "status",
    "code",
    "base_url",
    "token",
    "ecommerce",
    "bank_code",
    "ecommerce_site",
    "reference_number",
    "content",
    "secret_key",
    "terminals",
    "by",
    "value",
    "webhook",
    "user_bank_name",
    "terminal_code",
    "sub_terminal_code",
    "trans_type",
    "sign",
    "url_link",
];

const STRINGS: &[&str] = &[
    "",
    "ACB",
    "970416",
    "0123456789",
    "https://dev.vietqr.org/vqr",
    "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F",
    "static",
    "dynamic",
    "card",
    "L",
    "H",
    "Basic dTpw",
    "Bearer vqr1.1700000300.x",
    "callback-secret-0000000000000000",
    "{\"notificationType\":\"N05\"}",
    "E74",
];

fn any_value(u: &mut Unstructured, depth: u32) -> arbitrary::Result<Value> {
    let top = if depth >= 3 { 6 } else { 8 };
    Ok(match u.int_in_range(0..=top)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => json!(u.arbitrary::<i64>()?),
        3 => json!(u.arbitrary::<u64>()?),
        4 => {
            let f: f64 = u.arbitrary()?;
            if f.is_finite() {
                json!(f)
            } else {
                json!(0.5)
            }
        }
        5 => json!(u.choose(STRINGS)?),
        6 => json!(u.arbitrary::<String>()?),
        7 => {
            let n = u.int_in_range(0..=4)?;
            Value::Array(
                (0..n)
                    .map(|_| any_value(u, depth + 1))
                    .collect::<Result<_, _>>()?,
            )
        }
        _ => any_object(u, depth + 1)?,
    })
}

fn any_object(u: &mut Unstructured, depth: u32) -> arbitrary::Result<Value> {
    let mut m = Map::new();
    for _ in 0..u.int_in_range(0..=6)? {
        let key = if u.ratio(7, 8)? {
            u.choose(KEYS)?.to_string()
        } else {
            u.arbitrary()?
        };
        m.insert(key, any_value(u, depth)?);
    }
    Ok(Value::Object(m))
}

/// `qr.png` draws `qr.svg`'s matrix (which gets the whole range) at
/// `module_px` pixels a module: above 8 it only costs time, up to seconds a
/// call unoptimised, so it is brought down to 1..=8 here. Whether it was.
fn smaller_png(op: &str, input: &mut Value) -> bool {
    if op != "qr.png" {
        return false;
    }
    match input.get_mut("module_px") {
        Some(px) if px.as_u64().is_some_and(|n| (9..=64).contains(&n)) => {
            *px = json!(px.as_u64().unwrap() % 8 + 1);
            true
        }
        _ => false,
    }
}

/// Every op on any JSON: the `{ok, value}` / `{ok: false, error}` envelope
/// with a known code, the same answer twice, and `call_json` agreeing.
pub fn call_any(data: &[u8]) {
    let ops: Vec<&str> = vietqr::ops::NAMES.to_vec();
    let [pick, mode, rest @ ..] = data else {
        return;
    };
    let mut u = Unstructured::new(rest);
    let op = match ops.get(usize::from(*pick) % (ops.len() + 2)) {
        Some(op) => op.to_string(),
        None => u.arbitrary::<String>().unwrap_or_default(),
    };
    // Each op runs twice, once through `call` and once through `call_json`,
    // and the two must agree: that is the determinism check too (and only
    // two runs, because qr.png at 64 px a module is slow unoptimised).
    let json_out = |text: &str| -> Value {
        let out =
            serde_json::from_str(&vietqr::call_json(&op, text)).expect("call_json gives JSON");
        envelope(&out);
        out
    };
    let (input, out) = if mode % 4 == 0 {
        // The bytes as JSON text.
        let mut text = String::from_utf8_lossy(rest).into_owned();
        let mut parsed = serde_json::from_str::<Value>(&text);
        if let Ok(v) = &mut parsed {
            if smaller_png(&op, v) {
                text = v.to_string();
                parsed = serde_json::from_str::<Value>(&text);
            }
        }
        let by_text = json_out(&text);
        let Ok(input) = parsed else {
            assert_eq!(code_of(&by_text), Some("invalid_input"), "{by_text}");
            return;
        };
        let out = vietqr::call(&op, input.clone());
        envelope(&out);
        assert_eq!(out, by_text, "call_json and call differ on {op}");
        (input, out)
    } else {
        let input = if mode % 4 == 1 {
            any_value(&mut u, 0)
        } else {
            any_object(&mut u, 0)
        };
        let Ok(mut input) = input else {
            return;
        };
        smaller_png(&op, &mut input);
        let out = vietqr::call(&op, input.clone());
        envelope(&out);
        let text = input.to_string();
        let by_text = json_out(&text);
        // serde_json reads a float back to within one ulp, not always
        // exactly; then only the outcome's kind is compared.
        if serde_json::from_str::<Value>(&text).unwrap() == input {
            assert_eq!(out, by_text, "call_json and call differ on {op}");
        } else {
            assert_eq!(out["ok"], by_text["ok"], "{op}");
            assert_eq!(code_of(&out), code_of(&by_text), "{op}");
        }
        (input, out)
    };
    if !ops.contains(&op.as_str()) {
        assert_eq!(code_of(&out), Some("unknown_op"));
    }
    // ops.list takes no input and ignores what it is given.
    if !input.is_object() && !input.is_null() && ops.contains(&op.as_str()) && op != "ops.list" {
        assert_eq!(code_of(&out), Some("invalid_input"), "{op} took {input}");
    }
}
