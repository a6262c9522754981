//! The VietQR.vn API, without the network: `api.NAME.request` builds the
//! exact HTTP request (URL, headers, camelCase body, checksums) for the host
//! to send, and `api.NAME.response` turns what VietQR answered into
//! snake_case fields or an error that says what to do.
//!
//! The builders follow `docs/protocol.md`, which corrects the
//! public docs from VietQR.vn's own server code where they disagree.

pub mod check_order;
pub mod ecommerce_sync;
pub mod errors;
pub mod generate_customer;
pub mod refund;
pub mod test_callback;
pub mod tid_sync;
pub mod token;

use crate::error::{Code, Error, Result};
use crate::field::{Fault, Problem};
use crate::input::{input_enum, input_struct, InputValue};
use crate::rules::ACCOUNT_MAX;
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt;

/// `api.<op>` through the op table, `None` when there is no such op: what
/// the tests of each endpoint call. A request's `body_text` is checked here,
/// once for every endpoint (it is `body` as compact JSON text), and taken
/// out, so each test states the request as VietQR's docs show it.
#[cfg(test)]
pub(crate) fn dispatch(op: &str, input: Value) -> Option<Result<Value>> {
    match crate::ops::run(&format!("api.{op}"), input) {
        Err(e) if e.code == Code::UnknownOp => None,
        Ok(Value::Object(mut request)) if op.ends_with(".request") => {
            let text = request
                .remove("body_text")
                .expect("a request carries body_text");
            assert_eq!(
                text,
                Value::String(request["body"].to_string()),
                "{op}: body_text"
            );
            Some(Ok(Value::Object(request)))
        }
        outcome => Some(outcome),
    }
}

// ---------------------------------------------------------------- requests

/// A request for the host to send as is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: String,
    pub headers: Headers,
    pub body: Value,
    /// `body` as the exact JSON text to send, so that a host posts the
    /// core's bytes instead of encoding the object again.
    pub body_text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headers {
    #[serde(rename = "Content-Type")]
    pub content_type: &'static str,
    #[serde(rename = "Authorization")]
    pub authorization: String,
}

/// A POST of `body` as JSON, which is what every VietQR.vn endpoint takes.
pub(crate) fn post(
    url: String,
    authorization: String,
    body: impl Serialize,
) -> Result<HttpRequest> {
    let body = crate::output::to_value(body)?;
    Ok(HttpRequest {
        method: "POST",
        url,
        headers: Headers {
            content_type: "application/json",
            authorization,
        },
        body_text: body.to_string(),
        body,
    })
}

/// `base_url` + `path`. The base is where VietQR.vn serves the API, with
/// its `/vqr` context path, e.g. `https://dev.vietqr.org/vqr`. The URL is
/// not echoed in errors: it could carry credentials (`user:pass@host`).
pub(crate) fn endpoint(base_url: &str, path: &str) -> Result<String> {
    let base = base_url.trim_end_matches('/');
    let bad = |why: &str| {
        Err(Error::new(
            Code::InvalidBaseUrl,
            format!("base_url {why}, e.g. https://dev.vietqr.org/vqr"),
        ))
    };
    let Some(host) = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"))
    else {
        return bad("must start with https:// or http://");
    };
    if host.is_empty() || host.starts_with('/') {
        return bad("has no host");
    }
    if !base.bytes().all(|b| b.is_ascii_graphic()) || base.contains(['?', '#']) {
        return bad("must not contain spaces, a query (?) or a fragment (#)");
    }
    Ok(format!("{base}{path}"))
}

/// `Authorization` for the endpoints that take the access token.
pub(crate) fn bearer(token: &Secret) -> Result<String> {
    let t = token.0.as_str();
    if t.is_empty() {
        return Err(missing(
            "token",
            "the access_token from api.token.response (or api.ecommerce_sync.response)",
        ));
    }
    if !t.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::new(
            Code::InvalidField,
            "token must be the access_token alone: no spaces and no \"Bearer \" prefix",
        ));
    }
    Ok(format!("Bearer {t}"))
}

/// A password, token or key: never shown, not even when it has the wrong type.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl InputValue for Secret {
    fn from_value(v: Value) -> std::result::Result<Self, Fault> {
        String::from_value(v).map(Secret)
    }
}

/// `field` is required (here) but empty or absent.
pub(crate) fn missing(field: &str, why: &str) -> Error {
    Error::new(Code::MissingField, format!("{field} is required: {why}"))
}

/// Rejects an empty (or all-space) required string.
pub(crate) fn require(field: &str, value: &str, why: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(missing(field, why));
    }
    Ok(())
}

/// An optional string that counts as given only when it is not empty.
pub(crate) fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.trim().is_empty())
}

/// The VietQR bank code for a code or a BIN, as `bankCode` must be.
pub(crate) fn bank_code(field: &str, bank: &str) -> Result<&'static str> {
    require(
        field,
        bank,
        "a VietQR bank code such as MB, or a BIN such as 970422",
    )?;
    crate::banks::lookup(bank.trim())
        .map(|b| b.code)
        .ok_or_else(|| {
            Error::new(
                Code::UnknownBank,
                format!("{field}: no bank has BIN or code {bank:?} (banks.list lists them)"),
            )
        })
}

/// A bank account number: letters and digits, at most 19 (the longest the
/// NAPAS payload carries in tag 38/01/01).
pub(crate) fn bank_account(field: &str, account: &str) -> Result<()> {
    require(field, account, "the receiving account number")?;
    if crate::rules::account(account).is_err() {
        return Err(Error::new(
            Code::InvalidField,
            format!("{field} must be 1 to {ACCOUNT_MAX} letters or digits, got {account:?}"),
        ));
    }
    Ok(())
}

/// A positive whole number of VND no larger than `max` (at most
/// [`crate::rules::AMOUNT_MAX`]).
pub(crate) fn amount(value: i64, max: u64) -> Result<i64> {
    if u64::try_from(value).is_ok_and(|v| (1..=max).contains(&v)) {
        return Ok(value);
    }
    Err(Error::new(
        Code::InvalidAmount,
        format!("amount must be a whole number of VND from 1 to {max}, got {value}"),
    ))
}

/// `transType`: credit (money in, the default) or debit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum TransType {
    #[default]
    C,
    D,
}

input_enum!(TransType { C = "C", D = "D" });

// ----------------------------------------------------------------- replies

input_struct! {
    /// What VietQR answered: the HTTP status and the raw body text.
    #[derive(Debug, Clone)]
    pub struct Reply {
        pub status: u16,
        pub body: String,
    }
}

/// How the request was authenticated, which decides what a 401/403 means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Auth {
    Basic,
    Bearer,
}

/// The JSON of a successful reply, or the error VietQR's answer means.
///
/// VietQR's error envelope is `{"status":"FAILED","message":"E74"}` (HTTP 400
/// almost always); a few paths put the code in `data` instead. It wins over
/// the HTTP status. Spring Security answers 401 (Basic) or 403 (JWT) itself.
pub(crate) fn success_json(reply: &Reply, what: &'static str, auth: Auth) -> Result<Value> {
    let json: Option<Value> = serde_json::from_str(&reply.body).ok();
    if let Some(message) = json.as_ref().and_then(failure_message) {
        return Err(errors::from_failure(message));
    }
    match reply.status {
        200..=299 => json.ok_or_else(|| bad_reply(what, "is not JSON")),
        401 | 403 => Err(errors::unauthorized(reply.status, auth)),
        404 => Err(Error::new(
            Code::VietqrUnavailable,
            format!(
                "VietQR answered HTTP 404 to the {what} request: check base_url (e.g. https://dev.vietqr.org/vqr, with /vqr)"
            ),
        )),
        status => Err(Error::new(
            Code::VietqrUnavailable,
            format!(
                "VietQR answered HTTP {status} to the {what} request without an error code: the service is down or failing, try again in a few minutes"
            ),
        )),
    }
}

/// The text of `{"status":"FAILED", "message"|"data": …}`, if that is the reply.
fn failure_message(json: &Value) -> Option<&str> {
    if json.get("status")?.as_str()? != "FAILED" {
        return None;
    }
    let text = |k| json.get(k).and_then(Value::as_str);
    Some(text("message").or_else(|| text("data")).unwrap_or(""))
}

/// `{"status":"SUCCESS","message":…}` of the command endpoints: the message.
pub(crate) fn success_message(json: &Value, what: &'static str) -> Result<String> {
    let fields = Fields::of(what, json)?;
    if fields.string("status")? != "SUCCESS" {
        return Err(bad_reply(what, "has a status other than SUCCESS or FAILED"));
    }
    Ok(fields.opt_string("message")?.unwrap_or_default())
}

pub(crate) fn bad_reply(what: &str, problem: &str) -> Error {
    Error::new(
        Code::VietqrBadReply,
        format!("VietQR's {what} reply {problem}"),
    )
}

/// A field of VietQR's `what` reply that is missing or wrong, in the words
/// of [`crate::field`]: "VietQR's token reply: `access_token` is missing".
fn bad_field(what: &str, fault: Fault) -> Error {
    Error::new(
        Code::VietqrBadReply,
        format!("VietQR's {what} reply: {}", fault.message()),
    )
}

/// Typed reads of one JSON object of a reply, naming what is missing or wrong.
/// Values are never quoted in errors: a reply can carry a token.
pub(crate) struct Fields<'a> {
    what: &'static str,
    /// The path of this object in the reply: "", "data.", "[0]." …
    prefix: String,
    obj: &'a Map<String, Value>,
}

impl<'a> Fields<'a> {
    pub(crate) fn of(what: &'static str, v: &'a Value) -> Result<Self> {
        Self::at(what, String::new(), v)
    }

    fn at(what: &'static str, prefix: String, v: &'a Value) -> Result<Self> {
        match v.as_object() {
            Some(obj) => Ok(Fields { what, prefix, obj }),
            None if prefix.is_empty() => Err(bad_reply(what, "is not a JSON object")),
            None => Err(bad_field(
                what,
                Fault::kind("an object", v).in_key(prefix.trim_end_matches('.')),
            )),
        }
    }

    /// The object under `key`.
    pub(crate) fn object(&self, key: &str) -> Result<Fields<'a>> {
        let v = self
            .get(key)
            .ok_or_else(|| self.fault(key, Problem::Missing))?;
        Self::at(self.what, format!("{}{key}.", self.prefix), v)
    }

    /// The list under `key`.
    pub(crate) fn list(&self, key: &str) -> Result<&'a Vec<Value>> {
        match self.get(key) {
            Some(Value::Array(items)) => Ok(items),
            Some(v) => Err(self.wrong(key, "a list", v)),
            None => Err(self.fault(key, Problem::Missing)),
        }
    }

    /// Element `i` of an array that is the reply itself or one of its fields.
    pub(crate) fn element(what: &'static str, path: &str, i: usize, v: &'a Value) -> Result<Self> {
        Self::at(what, format!("{path}[{i}]."), v)
    }

    /// Present and not null.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.obj.get(key).filter(|v| !v.is_null())
    }

    pub(crate) fn string(&self, key: &str) -> Result<String> {
        self.opt_string(key)?
            .ok_or_else(|| self.fault(key, Problem::Missing))
    }

    /// A string that must not be empty (an id, a token, a QR payload).
    pub(crate) fn text(&self, key: &str) -> Result<String> {
        let s = self.string(key)?;
        if s.trim().is_empty() {
            return Err(self.fault(key, Problem::Empty));
        }
        Ok(s)
    }

    pub(crate) fn opt_string(&self, key: &str) -> Result<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(self.wrong(key, "a string", v)),
        }
    }

    /// A whole number, sent as a JSON number or as a string of digits.
    pub(crate) fn int(&self, key: &str) -> Result<i64> {
        self.opt_int(key)?
            .ok_or_else(|| self.fault(key, Problem::Missing))
    }

    /// Like [`Fields::int`]; absent, null and `""` are `None`.
    pub(crate) fn opt_int(&self, key: &str) -> Result<Option<i64>> {
        const WHOLE: &str = "a whole number";
        match self.get(key) {
            None => Ok(None),
            Some(v @ Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| self.wrong(key, WHOLE, v)),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => {
                // Digits in a string are taken too: other text is not a number.
                let s = s.trim();
                match s.parse::<i64>() {
                    Ok(n) if s.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(n)),
                    _ => Err(self.fault(key, Problem::Range(WHOLE.into()))),
                }
            }
            Some(v) => Err(self.wrong(key, WHOLE, v)),
        }
    }

    fn fault(&self, key: &str, problem: Problem) -> Error {
        bad_field(
            self.what,
            Fault::at(&format!("{}{key}", self.prefix), problem),
        )
    }

    fn wrong(&self, key: &str, expected: &'static str, v: &Value) -> Error {
        bad_field(
            self.what,
            Fault::kind(expected, v).in_key(&format!("{}{key}", self.prefix)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(r: Result<impl fmt::Debug>) -> (&'static str, String) {
        let e = r.unwrap_err();
        (e.code.as_str(), e.message)
    }

    #[test]
    fn base_url() {
        assert_eq!(
            endpoint("https://dev.vietqr.org/vqr/", "/api/x").unwrap(),
            "https://dev.vietqr.org/vqr/api/x"
        );
        assert_eq!(
            endpoint("http://112.78.1.220:8084/vqr", "/a").unwrap(),
            "http://112.78.1.220:8084/vqr/a"
        );
        assert_eq!(
            err(endpoint("dev.vietqr.org/vqr", "/a")),
            (
                "invalid_base_url",
                "base_url must start with https:// or http://, e.g. https://dev.vietqr.org/vqr"
                    .into()
            )
        );
        assert_eq!(
            err(endpoint("https:///vqr", "/a")),
            (
                "invalid_base_url",
                "base_url has no host, e.g. https://dev.vietqr.org/vqr".into()
            )
        );
        assert_eq!(
            err(endpoint("https://x.vn/vqr?a=1", "/a")),
            (
                "invalid_base_url",
                "base_url must not contain spaces, a query (?) or a fragment (#), e.g. https://dev.vietqr.org/vqr".into()
            )
        );
    }

    #[test]
    fn secrets_are_never_quoted() {
        let e = crate::input::read::<token::TokenRequest>(json!({
            "base_url": "https://dev.vietqr.org/vqr", "username": "u", "password": 37256497631u64
        }))
        .unwrap_err();
        assert_eq!(e.code.as_str(), "invalid_input");
        assert!(!e.message.contains("37256497631"), "{}", e.message);
        assert_eq!(format!("{:?}", Secret("hunter2".into())), "Secret(***)");
        assert_eq!(
            err(bearer(&Secret("Bearer abc".into()))),
            (
                "invalid_field",
                "token must be the access_token alone: no spaces and no \"Bearer \" prefix".into()
            )
        );
        assert_eq!(
            err(bearer(&Secret(String::new()))),
            (
                "missing_field",
                "token is required: the access_token from api.token.response (or api.ecommerce_sync.response)".into()
            )
        );
    }

    #[test]
    fn reply_status_handling() {
        let reply = |status, body: &str| Reply {
            status,
            body: body.into(),
        };
        assert_eq!(
            err(success_json(&reply(502, "<html>Bad Gateway</html>"), "token", Auth::Basic)),
            (
                "vietqr_unavailable",
                "VietQR answered HTTP 502 to the token request without an error code: the service is down or failing, try again in a few minutes".into()
            )
        );
        assert_eq!(
            err(success_json(&reply(404, ""), "refund", Auth::Bearer)),
            (
                "vietqr_unavailable",
                "VietQR answered HTTP 404 to the refund request: check base_url (e.g. https://dev.vietqr.org/vqr, with /vqr)".into()
            )
        );
        assert_eq!(
            err(success_json(&reply(200, "OK"), "refund", Auth::Bearer)),
            (
                "vietqr_bad_reply",
                "VietQR's refund reply is not JSON".into()
            )
        );
        // The FAILED envelope wins over the status, and may use `data`.
        let e = success_json(
            &reply(200, r#"{"status":"FAILED","data":"E153"}"#),
            "TID-sync",
            Auth::Bearer,
        )
        .unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.vietqr.unwrap().code),
            ("vietqr_error", "E153".to_string())
        );
    }

    #[test]
    fn field_reads() {
        let v = json!({"a": "12", "b": 7, "c": "", "d": "x", "e": 1.5, "n": null, "o": {"k": 1}});
        let f = Fields::of("test", &v).unwrap();
        assert_eq!(f.int("a").unwrap(), 12);
        assert_eq!(f.int("b").unwrap(), 7);
        assert_eq!(f.opt_int("c").unwrap(), None);
        assert_eq!(f.opt_string("n").unwrap(), None);
        assert_eq!(
            err(f.int("d")),
            (
                "vietqr_bad_reply",
                "VietQR's test reply: `d` must be a whole number".into()
            )
        );
        assert_eq!(
            err(f.int("e")),
            (
                "vietqr_bad_reply",
                "VietQR's test reply: `e` must be a whole number, not a fraction".into()
            )
        );
        assert_eq!(
            err(f.string("b")),
            (
                "vietqr_bad_reply",
                "VietQR's test reply: `b` must be a string, not a number".into()
            )
        );
        assert_eq!(
            err(f.string("zz")),
            (
                "vietqr_bad_reply",
                "VietQR's test reply: `zz` is missing".into()
            )
        );
        assert_eq!(
            err(f.object("o").unwrap().string("k")),
            (
                "vietqr_bad_reply",
                "VietQR's test reply: `o.k` must be a string, not a number".into()
            )
        );
        assert_eq!(
            err(f.object("a").map(|_| ())),
            (
                "vietqr_bad_reply",
                "VietQR's test reply: `a` must be an object, not a string".into()
            )
        );
        assert_eq!(
            err(Fields::of("test", &json!([])).map(|_| ())),
            (
                "vietqr_bad_reply",
                "VietQR's test reply is not a JSON object".into()
            )
        );
        // "-5" and "+5" are not amounts
        assert!(Fields::of("t", &json!({"x": "-5"}))
            .unwrap()
            .int("x")
            .is_err());
        assert!(Fields::of("t", &json!({"x": "+5"}))
            .unwrap()
            .int("x")
            .is_err());
    }
}
