//! VietQR calling the shop: the token endpoint, the transaction-sync
//! endpoint, and the WebSocket messages (N05, N22).
//!
//! The core decides everything and the host only answers with what comes
//! back, so every host rejects the same forgeries for the same reason.
//! VietQR computes no signature of its own (docs/protocol.md §1l): security rests on
//! the shop's Basic credentials, the bearer token we issue (HMAC-SHA256 over
//! the host's secret, 300 s), our own `sign` echoed back, and the host's
//! amount/order matching.

use crate::checksum::hex;
use crate::error::{Code, Error, Result};
use crate::field::{one_of, Fault, Problem};
use crate::input::input_struct;
use crate::rules::{
    AMOUNT_MAX, CALLBACK_ACCOUNT_MAX, CALLBACK_CONTENT_MAX, CALLBACK_ID_MAX, CALLBACK_SIGN_MAX,
    CALLBACK_URL_MAX, MATCH_WORDS, ORDER_ID_MAX, WS_FIELD_MAX,
};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use serde::Serialize;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Lifetime of the bearer tokens we issue; VietQR expects 300.
pub const TOKEN_TTL: u64 = 300;
pub use crate::rules::{BODY_MAX, SECRET_MIN};
/// Clock skew tolerated between token issue and use, in seconds.
const SKEW: u64 = 30;
const TOKEN_PREFIX: &str = "vqr1";

type HmacSha256 = Hmac<Sha256>;

/// Declares [`Reason`] from one table: variant, wire name, HTTP status, and
/// VietQR's `errorReason` code, with a doc line saying when it is given.
macro_rules! reasons {
    ($($(#[doc = $doc:literal])+ $name:ident = $wire:literal, $status:literal, $code:expr;)+) => {
        /// Why a call from VietQR was answered as it was: the `reason` of
        /// `callback.token` and `callback.transaction_sync`. Hosts log it;
        /// the status and code are what VietQR sees.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Reason {
            $($(#[doc = $doc])+ $name,)+
        }

        impl Reason {
            /// Every reason, in the order of the table.
            pub const ALL: &'static [Reason] = &[$(Reason::$name,)+];

            /// The reason as hosts see it, e.g. `sign_mismatch`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Reason::$name => $wire,)+
                }
            }

            /// The HTTP status to answer with.
            pub const fn status(self) -> u16 {
                match self {
                    $(Reason::$name => $status,)+
                }
            }

            /// VietQR's `errorReason` for the transaction-sync reply; `None`
            /// for the token endpoint's refusals, whose body has none.
            pub const fn code(self) -> Option<&'static str> {
                match self {
                    $(Reason::$name => $code,)+
                }
            }
        }
    };
}

// 401 tells VietQR to fetch a fresh token and retry; 400 tells it not to
// retry, since the same body will fail the same way.
reasons! {
    /// The call is answered: a token issued, or a transaction taken.
    Accepted = "accepted", 200, Some("000");
    /// Token endpoint: no `Authorization` header.
    NoCredentials = "no_credentials", 401, None;
    /// Token endpoint: `Authorization` is not `Basic …`.
    NotBasic = "not_basic", 401, None;
    /// Token endpoint: the Basic credentials are not base64 of `user:pass`.
    MalformedBasic = "malformed_basic", 401, None;
    /// Token endpoint: the username or password is wrong.
    BadCredentials = "bad_credentials", 401, None;
    /// Transaction sync: no `Authorization` header.
    NoToken = "no_token", 401, Some("012");
    /// Transaction sync: `Authorization` is not `Bearer …`.
    NotBearer = "not_bearer", 401, Some("012");
    /// Transaction sync: the bearer token is not one of ours in form.
    TokenMalformed = "token_malformed", 401, Some("012");
    /// Transaction sync: the token's MAC is not ours (another secret, or
    /// an edited expiry).
    TokenForged = "token_forged", 401, Some("012");
    /// Transaction sync: the token has expired.
    TokenExpired = "token_expired", 401, Some("012");
    /// Transaction sync: the token expires further ahead than we issue
    /// tokens for (beyond the TTL and the clock skew allowed).
    TokenNotYetValid = "token_not_yet_valid", 401, Some("012");
    /// The body is larger than [`BODY_MAX`].
    BodyTooLarge = "body_too_large", 400, Some("001");
    /// The body is not JSON.
    BodyNotJson = "body_not_json", 400, Some("001");
    /// The body is JSON but not an object.
    BodyNotObject = "body_not_object", 400, Some("001");
    /// An optional field (orderId, sign, terminalCode, …) is not a string
    /// of the length it takes.
    InvalidField = "invalid_field", 400, Some("001");
    /// `amount` is not a whole number of VND from 1 to the ceiling.
    InvalidAmount = "invalid_amount", 400, Some("002");
    /// `transType` is neither C nor D.
    InvalidTransType = "invalid_trans_type", 400, Some("003");
    /// `transType` is D: money out does not pay an order.
    NotCredit = "not_credit", 400, Some("003");
    /// `transactiontime` is not a positive epoch time.
    InvalidTransactionTime = "invalid_transaction_time", 400, Some("004");
    /// `transactionid` is missing, empty or too long.
    InvalidTransactionId = "invalid_transaction_id", 400, Some("007");
    /// `referencenumber` is missing, empty or too long.
    InvalidReferenceNumber = "invalid_reference_number", 400, Some("008");
    /// `content` is missing, not a string, or too long.
    InvalidContent = "invalid_content", 400, Some("009");
    /// `bankaccount` is missing, empty or too long.
    InvalidBankAccount = "invalid_bank_account", 400, Some("010");
    /// `bankaccount` is not the shop's account the host asked for.
    WrongAccount = "wrong_account", 400, Some("010");
    /// `sign` is present but not ours for orderId and bankaccount.
    SignMismatch = "sign_mismatch", 400, Some("011");
}

fn mac(secret: &str, purpose: &str, message: &str) -> Vec<u8> {
    let mut m = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    // The purpose keeps a token from passing as a sign and vice versa.
    m.update(purpose.as_bytes());
    m.update(b"\n");
    m.update(message.as_bytes());
    m.finalize().into_bytes().to_vec()
}

/// Constant-time equality of two strings of any length: both are hashed
/// first so that neither content nor length leaks through timing.
pub fn secure_eq(a: &str, b: &str) -> bool {
    let ha = Sha256::digest(a.as_bytes());
    let hb = Sha256::digest(b.as_bytes());
    bool::from(ha.ct_eq(&hb))
}

pub(crate) fn check_secret(secret: &str) -> Result<()> {
    if secret.len() < SECRET_MIN {
        return Err(Error::new(
            Code::WeakSecret,
            format!("the callback secret must be at least {SECRET_MIN} bytes"),
        ));
    }
    Ok(())
}

/// Issues a bearer token valid until `now + TOKEN_TTL`. The clock is the
/// host's input: one at the end of `u64` saturates rather than overflows
/// (found by fuzzing; `fuzz/regressions/callback/`).
pub fn issue_token(secret: &str, now: u64) -> String {
    let exp = now.saturating_add(TOKEN_TTL);
    let tag = URL_SAFE_NO_PAD.encode(mac(secret, "token", &format!("{TOKEN_PREFIX}.{exp}")));
    format!("{TOKEN_PREFIX}.{exp}.{tag}")
}

/// Why a bearer token was refused.
pub fn verify_token(secret: &str, token: &str, now: u64) -> std::result::Result<(), Reason> {
    let mut parts = token.split('.');
    let (Some(prefix), Some(exp), Some(tag), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Reason::TokenMalformed);
    };
    if prefix != TOKEN_PREFIX
        || exp.is_empty()
        || exp.len() > 20
        || !exp.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(Reason::TokenMalformed);
    }
    let expected = URL_SAFE_NO_PAD.encode(mac(secret, "token", &format!("{TOKEN_PREFIX}.{exp}")));
    if !secure_eq(&expected, tag) {
        return Err(Reason::TokenForged);
    }
    let exp: u64 = exp.parse().map_err(|_| Reason::TokenMalformed)?;
    if now >= exp {
        return Err(Reason::TokenExpired);
    }
    if exp > now.saturating_add(TOKEN_TTL + SKEW) {
        return Err(Reason::TokenNotYetValid);
    }
    Ok(())
}

/// Our `sign` for generate-customer: binds an order id to the receiving
/// account. VietQR stores it and echoes it in the callback. The paid amount
/// is left out on purpose: a partial payment must still verify.
pub fn sign(secret: &str, order_id: &str, bank_account: &str) -> String {
    hex(&mac(secret, "sign", &format!("{order_id}|{bank_account}"))[..16])
}

input_struct! {
    pub(crate) struct TokenIn {
        authorization: String,
        username: String,
        password: String,
        secret: String,
        now: u64,
    }
}

/// `callback.token`: VietQR asks for a token with Basic credentials.
pub(crate) fn token_op(i: TokenIn) -> Result<Value> {
    check_secret(&i.secret)?;
    if i.username.is_empty() || i.password.is_empty() {
        return Err(Error::new(
            Code::MissingCredentials,
            "set the username and password VietQR uses to call this shop",
        ));
    }
    let (user, pass) = match parse_basic(&i.authorization) {
        Ok(up) => up,
        Err(reason) => return Ok(token_refusal(reason)),
    };
    // Both compared, always, so timing does not say which one was wrong.
    let ok = secure_eq(&user, &i.username) & secure_eq(&pass, &i.password);
    if !ok {
        return Ok(token_refusal(Reason::BadCredentials));
    }
    Ok(json!({
        "status": Reason::Accepted.status(),
        "reason": Reason::Accepted.as_str(),
        "body": {"access_token": issue_token(&i.secret, i.now), "token_type": "Bearer", "expires_in": TOKEN_TTL},
    }))
}

fn token_refusal(reason: Reason) -> Value {
    let (status, reason) = (reason.status(), reason.as_str());
    json!({"status": status, "reason": reason, "body": {"error": "unauthorized", "reason": reason}})
}

fn parse_basic(header: &str) -> std::result::Result<(String, String), Reason> {
    let header = header.trim();
    if header.is_empty() {
        return Err(Reason::NoCredentials);
    }
    let Some((scheme, rest)) = header.split_once(' ') else {
        return Err(Reason::NotBasic);
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(Reason::NotBasic);
    }
    let raw = STANDARD
        .decode(rest.trim())
        .map_err(|_| Reason::MalformedBasic)?;
    let text = String::from_utf8(raw).map_err(|_| Reason::MalformedBasic)?;
    let (u, p) = text.split_once(':').ok_or(Reason::MalformedBasic)?;
    Ok((u.to_string(), p.to_string()))
}

/// A transaction as VietQR reports it, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transaction {
    pub transaction_id: String,
    /// Unix seconds (VietQR sends milliseconds on one path, seconds on another).
    pub transaction_time: u64,
    pub reference_number: String,
    pub amount: u64,
    pub content: String,
    pub bank_account: String,
    /// `C` credit (money in) or `D` debit.
    pub trans_type: String,
    pub order_id: String,
    pub sign: String,
    /// `true` when `sign` was present and ours; `null` when absent.
    pub sign_valid: Option<bool>,
    pub terminal_code: String,
    pub url_link: String,
    pub sub_terminal_code: String,
    pub service_code: String,
    /// The references this transaction may pay, best first
    /// ([`references`]): what the host looks its payments up by.
    pub candidate_refs: Vec<String>,
}

/// The references a transaction may pay, best first: VietQR's orderId (the
/// shop's reference, which VietQR echoes from the QR it made), then each
/// word of the content that could be one (ASCII letters and digits, at most
/// [`ORDER_ID_MAX`]), in upper case, once each. Bank apps add their own
/// words around the code and may drop the spaces between; only the first
/// [`MATCH_WORDS`] words count.
pub fn references(order_id: &str, content: &str) -> Vec<String> {
    let mut refs: Vec<String> = Vec::new();
    let order_id = order_id.trim().to_ascii_uppercase();
    if !order_id.is_empty() {
        refs.push(order_id);
    }
    let words = content
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(MATCH_WORDS)
        .filter(|w| w.len() <= ORDER_ID_MAX)
        .map(str::to_ascii_uppercase);
    for word in words {
        if !refs.contains(&word) {
            refs.push(word);
        }
    }
    refs
}

/// Unix seconds from an epoch time VietQR sends in seconds on one path and
/// in milliseconds on another (no date in seconds reaches 10^11 before 5138).
pub(crate) fn epoch_seconds(t: u64) -> u64 {
    if t >= 100_000_000_000 {
        t / 1000
    } else {
        t
    }
}

input_struct! {
    pub(crate) struct SyncIn {
        authorization: String,
        body: String,
        secret: String,
        now: u64,
        /// When set, a callback for any other account is refused (010).
        bank_account: Option<String>,
        /// Our id for the transaction, echoed as `object.reftransactionid`;
        /// defaults to VietQR's transaction id.
        ref_transaction_id: Option<String>,
    }
}

/// A refusal: our named reason (which gives the HTTP status and VietQR's
/// error code) and what is wrong, for VietQR's `toastMessage`.
struct Refusal {
    reason: Reason,
    message: String,
}

fn refuse(reason: Reason, message: impl Into<String>) -> Refusal {
    Refusal {
        reason,
        message: message.into(),
    }
}

impl Refusal {
    /// VietQR's `errorReason`: every refusal of a transaction has one.
    fn code(&self) -> &'static str {
        self.reason.code().unwrap_or_default()
    }
}

/// `callback.transaction_sync`: VietQR reports a transaction.
pub(crate) fn transaction_sync_op(i: SyncIn) -> Result<Value> {
    check_secret(&i.secret)?;
    match verify_sync(&i) {
        Ok(t) => {
            let reference = i
                .ref_transaction_id
                .clone()
                .unwrap_or_else(|| t.transaction_id.clone());
            let accepted = Reason::Accepted;
            Ok(json!({
                "status": accepted.status(),
                "reason": accepted.as_str(),
                "body": {"error": false, "errorReason": accepted.code(), "toastMessage": "", "object": {"reftransactionid": reference}},
                "transaction": t,
            }))
        }
        Err(r) => Ok(json!({
            "status": r.reason.status(),
            "reason": r.reason.as_str(),
            "body": {"error": true, "errorReason": r.code(), "toastMessage": r.message, "object": null},
            "transaction": null,
        })),
    }
}

fn verify_sync(i: &SyncIn) -> std::result::Result<Transaction, Refusal> {
    let auth = i.authorization.trim();
    let token = match auth.split_once(' ') {
        Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") => t.trim(),
        _ if auth.is_empty() => return Err(auth_refusal(Reason::NoToken)),
        _ => return Err(auth_refusal(Reason::NotBearer)),
    };
    verify_token(&i.secret, token, i.now).map_err(auth_refusal)?;

    if i.body.len() > BODY_MAX {
        return Err(refuse(
            Reason::BodyTooLarge,
            format!("body is {} bytes; at most {BODY_MAX}", i.body.len()),
        ));
    }
    let v: Value = serde_json::from_str(&i.body)
        .map_err(|_| refuse(Reason::BodyNotJson, "body is not JSON"))?;
    let Value::Object(obj) = v else {
        return Err(refuse(Reason::BodyNotObject, "body is not a JSON object"));
    };
    let fields = Fields::new(obj);
    let t = fields.transaction()?;
    if t.trans_type != "C" {
        // Only money in can pay an order; a debit is acknowledged as invalid.
        return Err(refuse(
            Reason::NotCredit,
            format!(
                "transType is {:?}; only C (credit) pays an order",
                t.trans_type
            ),
        ));
    }
    if let Some(expected) = &i.bank_account {
        if t.bank_account != *expected {
            return Err(refuse(
                Reason::WrongAccount,
                "bankaccount is not this shop's account",
            ));
        }
    }
    let mut t = t;
    if !t.sign.is_empty() {
        if !secure_eq(&sign(&i.secret, &t.order_id, &t.bank_account), &t.sign) {
            return Err(refuse(
                Reason::SignMismatch,
                "sign does not match orderId and bankaccount",
            ));
        }
        t.sign_valid = Some(true);
    }
    Ok(t)
}

fn auth_refusal(reason: Reason) -> Refusal {
    refuse(reason, "invalid or expired bearer token")
}

/// The body's keys, looked up whatever their case. What is wrong with a
/// field is said in the words of [`crate::field`], for VietQR's toastMessage.
struct Fields(Map<String, Value>);

/// A refusal for `reason` of the field `key`.
fn refuse_field(reason: Reason, key: &str, fault: Fault) -> Refusal {
    refuse(reason, fault.in_key(key).message())
}

impl Fields {
    fn new(obj: Map<String, Value>) -> Self {
        Fields(
            obj.into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
        )
    }

    fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    /// A string of at most `max` bytes on one line; `required` ones must
    /// hold more than spaces, and absent optional ones read as "".
    fn string(&self, key: &str, max: usize, required: bool) -> std::result::Result<String, Fault> {
        match self.get(key) {
            None if required => Err(Fault::new(Problem::Missing)),
            None => Ok(String::new()),
            Some(Value::String(s)) if required && s.trim().is_empty() => {
                Err(Fault::new(Problem::Empty))
            }
            Some(Value::String(s)) if s.len() > max => Err(Fault::new(Problem::TooLong(max))),
            Some(Value::String(s)) if s.chars().any(char::is_control) => {
                Err(Fault::new(Problem::Control))
            }
            Some(Value::String(s)) => Ok(s.clone()),
            Some(v) => Err(Fault::kind("a string", v)),
        }
    }

    /// A required non-empty string of printable characters, at most `max` long.
    fn text(&self, key: &str, reason: Reason, max: usize) -> std::result::Result<String, Refusal> {
        self.string(key, max, true)
            .map_err(|f| refuse_field(reason, key, f))
    }

    /// An optional string; absent or null gives "".
    fn optional(&self, key: &str, max: usize) -> std::result::Result<String, Refusal> {
        self.string(key, max, false)
            .map_err(|f| refuse_field(Reason::InvalidField, key, f))
    }

    /// A whole number from `min` to `max`, sent as a JSON number or a
    /// string of digits; `allowed` says the range in the message.
    fn number(
        &self,
        key: &str,
        min: u64,
        max: u64,
        allowed: &str,
    ) -> std::result::Result<u64, Fault> {
        let out_of_range = || Fault::new(Problem::Range(allowed.to_string()));
        let n = match self.get(key) {
            None => return Err(Fault::new(Problem::Missing)),
            Some(v @ Value::Number(n)) if n.is_f64() => {
                return Err(Fault::kind("a whole number", v))
            }
            Some(Value::Number(n)) => n.as_u64().ok_or_else(out_of_range)?,
            Some(Value::String(s)) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                s.parse().map_err(|_| out_of_range())?
            }
            // Digits in a string are taken too: other text is not a number.
            Some(Value::String(_)) => {
                return Err(Fault::new(Problem::Range("a whole number".into())))
            }
            Some(v) => return Err(Fault::kind("a whole number", v)),
        };
        if (min..=max).contains(&n) {
            Ok(n)
        } else {
            Err(out_of_range())
        }
    }

    fn transaction(&self) -> std::result::Result<Transaction, Refusal> {
        let transaction_id = self.text(
            "transactionid",
            Reason::InvalidTransactionId,
            CALLBACK_ID_MAX,
        )?;
        let reference_number = self.text(
            "referencenumber",
            Reason::InvalidReferenceNumber,
            CALLBACK_ID_MAX,
        )?;
        let amount = self
            .number(
                "amount",
                1,
                AMOUNT_MAX,
                &format!("a whole number of VND from 1 to {AMOUNT_MAX}"),
            )
            .map_err(|f| refuse_field(Reason::InvalidAmount, "amount", f))?;
        let transaction_time = self
            .number("transactiontime", 1, u64::MAX, "a positive epoch time")
            .map_err(|f| refuse_field(Reason::InvalidTransactionTime, "transactiontime", f))?;
        // Milliseconds on the legacy path, seconds on the newer one.
        let transaction_time = epoch_seconds(transaction_time);
        // The payer's text: may be empty, and may span lines.
        let content = match self.get("content") {
            Some(Value::String(s)) if s.len() <= CALLBACK_CONTENT_MAX => Ok(s.clone()),
            Some(Value::String(_)) => Err(Fault::new(Problem::TooLong(CALLBACK_CONTENT_MAX))),
            Some(v) => Err(Fault::kind("a string", v)),
            None => Err(Fault::new(Problem::Missing)),
        }
        .map_err(|f| refuse_field(Reason::InvalidContent, "content", f))?;
        let bank_account = self.text(
            "bankaccount",
            Reason::InvalidBankAccount,
            CALLBACK_ACCOUNT_MAX,
        )?;
        let trans_type = match self.get("transtype") {
            Some(Value::String(s)) if s == "C" || s == "D" => Ok(s.clone()),
            Some(Value::String(_)) => Err(Fault::new(Problem::Range(one_of(&["C", "D"])))),
            Some(v) => Err(Fault::kind("a string", v)),
            None => Err(Fault::new(Problem::Missing)),
        }
        .map_err(|f| refuse_field(Reason::InvalidTransType, "transtype", f))?;
        let order_id = self.optional("orderid", CALLBACK_ID_MAX)?;
        Ok(Transaction {
            candidate_refs: references(&order_id, &content),
            transaction_id,
            transaction_time,
            reference_number,
            amount,
            content,
            bank_account,
            trans_type,
            order_id,
            sign: self.optional("sign", CALLBACK_SIGN_MAX)?,
            sign_valid: None,
            terminal_code: self.optional("terminalcode", CALLBACK_ID_MAX)?,
            url_link: self.optional("urllink", CALLBACK_URL_MAX)?,
            sub_terminal_code: self.optional("subterminalcode", CALLBACK_ID_MAX)?,
            service_code: self.optional("servicecode", CALLBACK_ID_MAX)?,
        })
    }
}

input_struct! {
    pub(crate) struct SignIn {
        secret: String,
        order_id: String,
        bank_account: String,
    }
}

/// `callback.sign`: the `sign` to send with generate-customer.
pub(crate) fn sign_op(i: SignIn) -> Result<Value> {
    check_secret(&i.secret)?;
    Ok(json!({"sign": sign(&i.secret, &i.order_id, &i.bank_account)}))
}

input_struct! {
    pub(crate) struct WsIn {
        message: String,
    }
}

/// `ws.parse`: one text frame from `wss://…/vqr/socket?clientId=…`.
/// N05 = a transaction (values are all strings, no `sign`); N22 = the owner
/// linked a bank account. Other types are named and otherwise ignored.
pub(crate) fn ws_parse_op(i: WsIn) -> Result<Value> {
    if i.message.len() > BODY_MAX {
        return Err(Error::new(
            Code::InvalidWsMessage,
            format!("message is {} bytes; at most {BODY_MAX}", i.message.len()),
        ));
    }
    let v: Value = serde_json::from_str(&i.message)
        .map_err(|_| Error::new(Code::InvalidWsMessage, "message is not JSON"))?;
    let Value::Object(obj) = v else {
        return Err(Error::new(
            Code::InvalidWsMessage,
            "message is not a JSON object",
        ));
    };
    let fields = Fields::new(obj);
    let kind = match fields.get("notificationtype") {
        Some(Value::String(s)) => s.clone(),
        _ => {
            return Err(Error::new(
                Code::InvalidWsMessage,
                "message has no notificationType",
            ))
        }
    };
    match kind.as_str() {
        "N05" => {
            let t = fields.transaction().map_err(|r| {
                Error::new(
                    Code::InvalidWsMessage,
                    format!("N05 {} ({}): {}", r.reason.as_str(), r.code(), r.message),
                )
            })?;
            Ok(json!({"type": "N05", "transaction": t}))
        }
        "N22" => {
            let get = |k: &str| {
                fields
                    .optional(k, WS_FIELD_MAX)
                    .map_err(|r| Error::new(Code::InvalidWsMessage, format!("N22: {}", r.message)))
            };
            let bank_account = get("bankaccount")?;
            if bank_account.is_empty() {
                return Err(Error::new(Code::InvalidWsMessage, "N22 has no bankAccount"));
            }
            Ok(json!({
                "type": "N22",
                "bank_account": bank_account,
                "user_bank_name": get("userbankname")?,
                "bank_code": get("bankcode")?,
                "ecommerce_site": get("ecommercesite")?,
            }))
        }
        _ => Ok(json!({"type": "unknown", "notification_type": kind})),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_best_first() {
        // orderId first, then the content's words that could be a reference.
        assert_eq!(
            references(" dh123 ", "VQR4eb3454adf DH123 - Nguyen Van A"),
            ["DH123", "VQR4EB3454ADF", "NGUYEN", "VAN", "A"]
        );
        // A bank app that glued the words: too long to be a reference.
        assert_eq!(references("", "CHUYENKHOANTIENHANG DH7"), ["DH7"]);
        // Letters outside ASCII separate words, as any other sign does.
        assert_eq!(
            references("", "Thanh toán DH9"),
            ["THANH", "TO", "N", "DH9"]
        );
        assert!(references("", "—").is_empty());
        // Only the first MATCH_WORDS words count.
        let many: Vec<String> = (1..=100).map(|n| n.to_string()).collect();
        assert_eq!(
            references("", &many.join(" ")),
            many[..MATCH_WORDS].to_vec()
        );
    }

    const SECRET: &str = "0123456789abcdef-test-secret";

    #[test]
    fn token_round_trip_and_expiry() {
        let t = issue_token(SECRET, 1_700_000_000);
        assert_eq!(verify_token(SECRET, &t, 1_700_000_000), Ok(()));
        assert_eq!(verify_token(SECRET, &t, 1_700_000_299), Ok(()));
        assert_eq!(
            verify_token(SECRET, &t, 1_700_000_300),
            Err(Reason::TokenExpired)
        );
        assert_eq!(
            verify_token("another-secret-of-16+", &t, 1_700_000_000),
            Err(Reason::TokenForged)
        );
        let forged_exp = t.replacen("1700000300", "1700009999", 1);
        assert_eq!(
            verify_token(SECRET, &forged_exp, 1_700_000_000),
            Err(Reason::TokenForged)
        );
        assert_eq!(
            verify_token(SECRET, "vqr1.x.y", 0),
            Err(Reason::TokenMalformed)
        );
    }

    #[test]
    fn token_at_the_end_of_time() {
        // The host's clock is input: near u64::MAX it saturates, no panic.
        let t = issue_token(SECRET, u64::MAX - 100);
        assert!(t.starts_with("vqr1.18446744073709551615."), "{t}");
        assert_eq!(verify_token(SECRET, &t, u64::MAX - 100), Ok(()));
        assert_eq!(
            verify_token(SECRET, &t, u64::MAX),
            Err(Reason::TokenExpired)
        );
        let t = issue_token(SECRET, u64::MAX - 400);
        assert_eq!(verify_token(SECRET, &t, u64::MAX - 350), Ok(()));
    }

    #[test]
    fn sign_binds_order_and_account() {
        let s = sign(SECRET, "DH1234", "0123456789");
        assert_eq!(s.len(), 32);
        assert_ne!(s, sign(SECRET, "DH1235", "0123456789"));
        assert_ne!(s, sign(SECRET, "DH1234", "0123456788"));
    }

    #[test]
    fn reasons_are_one_table() {
        let mut names: Vec<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Reason::ALL.len(), "a reason repeats");
        for r in Reason::ALL {
            match (r.status(), r.code()) {
                (200, Some("000")) => assert_eq!(*r, Reason::Accepted),
                // The token endpoint's refusals carry no VietQR code.
                (401, None) => {}
                (401, Some(code)) => assert_eq!(code, "012", "{r:?}"),
                (400, Some(code)) => assert!(("001".."012").contains(&code), "{r:?}"),
                other => panic!("{r:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn secure_eq_compares_exactly() {
        assert!(secure_eq("abc", "abc"));
        assert!(!secure_eq("abc", "abd"));
        assert!(!secure_eq("abc", "abcd"));
    }
}
