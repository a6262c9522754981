//! Refund (docs/protocol.md §1j): `POST /api/transaction/refund`.
//!
//! `amount` goes out as a string of digits (server `RefundRequestDTO`) and
//! the checksum hashes that same string. A second refund of the same
//! reference number within about 30 s is refused with E158.

use super::{bearer, endpoint, given, post, success_json, Auth, HttpRequest, Reply, Secret};
use crate::checksum;
use crate::error::Result;
use crate::input::input_struct;
use serde::Serialize;

input_struct! {
    #[derive(Debug, Clone)]
    pub struct RefundRequest {
        pub base_url: String,
        pub token: Secret,
        /// The refund key VietQR gave you.
        pub secret_key: Secret,
        /// Code or BIN; the docs require `bankCode` (the 2024 server ignores it).
        pub bank_code: String,
        pub bank_account: String,
        /// The FT code of the paid transaction.
        pub reference_number: String,
        pub amount: i64,
        pub content: String,
        /// Allow later partial refunds; only the first refund can set it.
        pub multi_times: Option<bool>,
        /// Must match the original payment's, or be left out (else E164).
        pub terminal_code: Option<String>,
        pub sub_terminal_code: Option<String>,
        pub order_id: Option<String>,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    bank_account: &'a str,
    reference_number: &'a str,
    amount: String,
    content: &'a str,
    check_sum: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    multi_times: Option<bool>,
    bank_code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    terminal_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_terminal_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order_id: Option<&'a str>,
}

pub fn request(i: RefundRequest) -> Result<HttpRequest> {
    let url = endpoint(&i.base_url, "/api/transaction/refund")?;
    let authorization = bearer(&i.token)?;
    if i.secret_key.0.is_empty() {
        return Err(super::missing(
            "secret_key",
            "the refund key VietQR gave you",
        ));
    }
    let bank_code = super::bank_code("bank_code", &i.bank_code)?;
    super::bank_account("bank_account", &i.bank_account)?;
    super::require(
        "reference_number",
        &i.reference_number,
        "the FT code of the payment to refund",
    )?;
    let amount = super::amount(i.amount, crate::rules::AMOUNT_MAX)?.to_string();
    super::require("content", &i.content, "a description of the refund")?;
    let body = Body {
        bank_account: &i.bank_account,
        reference_number: &i.reference_number,
        check_sum: checksum::refund(
            &i.secret_key.0,
            &i.reference_number,
            &amount,
            &i.bank_account,
        ),
        amount,
        content: &i.content,
        multi_times: i.multi_times,
        bank_code,
        terminal_code: given(&i.terminal_code),
        sub_terminal_code: given(&i.sub_terminal_code),
        order_id: given(&i.order_id),
    };
    post(url, authorization, body)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefundResult {
    /// The bank's reference (FT code) of the refund transfer.
    pub refund_code: String,
}

pub fn response(reply: Reply) -> Result<RefundResult> {
    let json = success_json(&reply, "refund", Auth::Bearer)?;
    let refund_code = super::success_message(&json, "refund")?;
    if refund_code.trim().is_empty() {
        return Err(super::bad_reply(
            "refund",
            "has no refund code in \"message\"",
        ));
    }
    Ok(RefundResult { refund_code })
}

#[cfg(test)]
mod tests {
    use crate::api::dispatch;
    use serde_json::{json, Value};

    fn run(op: &str, input: Value) -> Result<Value, crate::Error> {
        dispatch(op, input).unwrap()
    }

    fn input() -> Value {
        json!({"base_url": "https://dev.vietqr.org/vqr", "token": "jwt", "secret_key": "mySecretKey",
               "bank_code": "MB", "bank_account": "0123456789", "reference_number": "FT24123456789",
               "amount": 10000, "content": "Hoan tien DH1234"})
    }

    #[test]
    fn request_with_the_reference_checksum() {
        // docs/protocol.md §3.2: MD5("mySecretKey" + "FT24123456789" + "10000" + "0123456789").
        assert_eq!(
            run("refund.request", input()).unwrap(),
            json!({"method": "POST", "url": "https://dev.vietqr.org/vqr/api/transaction/refund",
                   "headers": {"Content-Type": "application/json", "Authorization": "Bearer jwt"},
                   "body": {"bankAccount": "0123456789", "referenceNumber": "FT24123456789", "amount": "10000",
                            "content": "Hoan tien DH1234", "checkSum": "e9af85f37d1dc617a9eb46cdde562b28",
                            "bankCode": "MB"}})
        );
        let mut i = input();
        i["multi_times"] = json!(true);
        i["terminal_code"] = json!("CH01");
        i["order_id"] = json!("DH1234");
        let body = run("refund.request", i).unwrap()["body"].clone();
        assert_eq!(
            (body["multiTimes"].clone(), body["terminalCode"].clone()),
            (json!(true), json!("CH01"))
        );
        assert_eq!(body["orderId"], "DH1234");
    }

    #[test]
    fn request_errors() {
        let mut i = input();
        i["amount"] = json!(-5);
        let e = run("refund.request", i).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "invalid_amount",
                "amount must be a whole number of VND from 1 to 9999999999999, got -5"
            )
        );
        let mut i = input();
        i["amount"] = json!("10000");
        assert_eq!(run("refund.request", i).unwrap_err().code, "invalid_input");
        let mut i = input();
        i["secret_key"] = json!("");
        let e = run("refund.request", i).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "missing_field",
                "secret_key is required: the refund key VietQR gave you"
            )
        );
        let mut i = input();
        i["secret_key"] = json!(12345);
        let e = run("refund.request", i).unwrap_err();
        assert!(!e.message.contains("12345"), "{}", e.message);
    }

    #[test]
    fn response() {
        let ok = |status: u16, body: &str| {
            run("refund.response", json!({"status": status, "body": body}))
        };
        assert_eq!(
            ok(200, r#"{"status":"SUCCESS","message":"FT24999999999"}"#).unwrap(),
            json!({"refund_code": "FT24999999999"})
        );
        let e = ok(200, r#"{"status":"SUCCESS","message":""}"#).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "vietqr_bad_reply",
                "VietQR's refund reply has no refund code in \"message\""
            )
        );
        let e = ok(400, r#"{"status":"FAILED","message":"E158"}"#).unwrap_err();
        assert_eq!(
            e.message,
            "VietQR answered E158: a request is waiting to be processed. Wait about 30 seconds and check the transaction with check-order before trying again."
        );
        assert_eq!(e.vietqr.unwrap().vi, "Có yêu cầu đang chờ xử lý");
        let e = ok(500, "").unwrap_err();
        assert_eq!(e.code.as_str(), "vietqr_unavailable");
    }
}
