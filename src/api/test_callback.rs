//! Test Callback (docs/protocol.md §1c), sandbox only: VietQR simulates a payment
//! and calls the shop's transaction-sync endpoint as for a real one.
//! Production answers E75.

use super::{bearer, endpoint, post, success_json, Auth, HttpRequest, Reply, Secret, TransType};
use crate::error::Result;
use crate::input::input_struct;
use serde::Serialize;

input_struct! {
    #[derive(Debug, Clone)]
    pub struct TestCallbackRequest {
        pub base_url: String,
        pub token: Secret,
        /// Code or BIN; the docs require `bankCode` (the 2024 server ignores it).
        pub bank_code: String,
        pub bank_account: String,
        /// Exactly the `content` generate-customer returned, trace id included.
        pub content: String,
        pub amount: i64,
        pub trans_type: TransType = TransType::default(),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    bank_account: &'a str,
    content: &'a str,
    // Docs: Long; server DTO: String. Jackson reads a number into either.
    amount: i64,
    trans_type: TransType,
    bank_code: &'static str,
}

/// The server parses the amount with `Integer.parseInt`.
const AMOUNT_MAX: u64 = i32::MAX as u64;

pub fn request(i: TestCallbackRequest) -> Result<HttpRequest> {
    let url = endpoint(&i.base_url, "/bank/api/test/transaction-callback")?;
    let authorization = bearer(&i.token)?;
    let bank_code = super::bank_code("bank_code", &i.bank_code)?;
    super::bank_account("bank_account", &i.bank_account)?;
    super::require(
        "content",
        &i.content,
        "the content that generate-customer returned",
    )?;
    let body = Body {
        bank_account: &i.bank_account,
        content: &i.content,
        amount: super::amount(i.amount, AMOUNT_MAX)?,
        trans_type: i.trans_type,
        bank_code,
    };
    post(url, authorization, body)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestCallbackResult {
    /// The simulated transaction's id; `null` when VietQR sends `""`
    /// (the 2024 server does; the docs show an id).
    pub transaction_id: Option<String>,
}

pub fn response(reply: Reply) -> Result<TestCallbackResult> {
    let json = success_json(&reply, "test-callback", Auth::Bearer)?;
    let message = super::success_message(&json, "test-callback")?;
    Ok(TestCallbackResult {
        transaction_id: Some(message).filter(|m| !m.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use crate::api::dispatch;
    use serde_json::{json, Value};

    fn run(op: &str, input: Value) -> Result<Value, crate::Error> {
        dispatch(op, input).unwrap()
    }

    fn input() -> Value {
        json!({"base_url": "https://dev.vietqr.org/vqr", "token": "jwt", "bank_code": "970422",
               "bank_account": "0123456789", "content": "VQR1a2b3c4d5e DH1234", "amount": 10000})
    }

    #[test]
    fn request() {
        assert_eq!(
            run("test_callback.request", input()).unwrap(),
            json!({"method": "POST", "url": "https://dev.vietqr.org/vqr/bank/api/test/transaction-callback",
                   "headers": {"Content-Type": "application/json", "Authorization": "Bearer jwt"},
                   "body": {"bankAccount": "0123456789", "content": "VQR1a2b3c4d5e DH1234", "amount": 10000,
                            "transType": "C", "bankCode": "MB"}})
        );
    }

    #[test]
    fn request_errors() {
        let mut i = input();
        i["amount"] = json!(3_000_000_000i64);
        let e = run("test_callback.request", i).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "invalid_amount",
                "amount must be a whole number of VND from 1 to 2147483647, got 3000000000"
            )
        );
        let mut i = input();
        i["content"] = json!("");
        let e = run("test_callback.request", i).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "missing_field",
                "content is required: the content that generate-customer returned"
            )
        );
        let mut i = input();
        i.as_object_mut().unwrap().remove("amount");
        let e = run("test_callback.request", i).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("invalid_input", "`amount` is missing")
        );
    }

    #[test]
    fn response() {
        let ok = |body: &str| {
            run(
                "test_callback.response",
                json!({"status": 200, "body": body}),
            )
        };
        assert_eq!(
            ok(r#"{"status":"SUCCESS","message":"9b2c6f0e-1c1a-4a57-9f83-5d7c2c3f0a11"}"#).unwrap(),
            json!({"transaction_id": "9b2c6f0e-1c1a-4a57-9f83-5d7c2c3f0a11"})
        );
        assert_eq!(
            ok(r#"{"status":"SUCCESS","message":""}"#).unwrap(),
            json!({"transaction_id": null})
        );
        let e = run(
            "test_callback.response",
            json!({"status": 400, "body": r#"{"status":"FAILED","message":"E75"}"#}),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "VietQR answered E75: test callback is not available (called on production). Send test callbacks to the sandbox (https://dev.vietqr.org/vqr) only."
        );
        let e = ok(r#"{"status":"PENDING"}"#).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "vietqr_bad_reply",
                "VietQR's test-callback reply has a status other than SUCCESS or FAILED"
            )
        );
    }
}
