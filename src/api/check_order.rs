//! Check Transaction (docs/protocol.md §1h): find the payments of an order id or
//! a bank reference number. The reply is a list: several payments can carry
//! the same order id.
//!
//! Each paid credit row also comes as the transaction a callback would
//! have reported (`transaction`, callback.transaction_sync's shape), so the
//! host applies what check-order finds exactly as it applies a callback.
//!
//! `type` is sent as a JSON integer (the server's `Integer`; the docs say
//! String). The ecommerce path skips the "account belongs to the merchant"
//! check and is the default; `ecommerce: false` uses the refund/regular one.

use super::{bearer, endpoint, post, success_json, Auth, Fields, HttpRequest, Reply, Secret};
use crate::callback::{epoch_seconds, references, Transaction};
use crate::checksum;
use crate::error::Result;
use crate::input::{input_enum, input_struct};
use crate::rules::AMOUNT_MAX;
use serde::Serialize;
use serde_json::Value;

input_struct! {
    #[derive(Debug, Clone)]
    pub struct CheckOrderRequest {
        pub base_url: String,
        pub token: Secret,
        /// The API username inside the token: the checksum is made with it.
        pub username: String,
        pub bank_account: String,
        pub by: LookupBy,
        /// The order id or the reference number.
        pub value: String,
        pub ecommerce: bool = true,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupBy {
    OrderId,
    ReferenceNumber,
}

input_enum!(LookupBy {
    OrderId = "order_id",
    ReferenceNumber = "reference_number",
});

/// Server `TransactionCheckOrderInputDTO`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    bank_account: &'a str,
    #[serde(rename = "type")]
    kind: u8,
    value: &'a str,
    check_sum: String,
}

pub fn request(i: CheckOrderRequest) -> Result<HttpRequest> {
    let path = if i.ecommerce {
        "/api/ecommerce-transactions/check-order"
    } else {
        "/api/transactions/check-order"
    };
    let url = endpoint(&i.base_url, path)?;
    let authorization = bearer(&i.token)?;
    super::require(
        "username",
        &i.username,
        "the API username the token was issued to",
    )?;
    super::bank_account("bank_account", &i.bank_account)?;
    let (kind, what) = match i.by {
        LookupBy::OrderId => (0, "the order id to look up"),
        LookupBy::ReferenceNumber => (1, "the reference number to look up"),
    };
    super::require("value", &i.value, what)?;
    let body = Body {
        bank_account: &i.bank_account,
        kind,
        value: &i.value,
        check_sum: checksum::check_order(&i.bank_account, &i.username),
    };
    post(url, authorization, body)
}

/// One payment (server `TransReceiveResponseCheckOrderDTO`, or
/// `CheckOrderTransTypeDDTO` when every row is a debit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderTransaction {
    /// The bank's FT code; `None` on an unpaid row (status 0): the server
    /// lists every QR of the order, paid or not.
    pub reference_number: Option<String>,
    pub order_id: Option<String>,
    pub amount: i64,
    pub content: Option<String>,
    /// "C" or "D".
    pub trans_type: Option<String>,
    /// 0 unpaid, 1 paid (2 seen in server code as cancelled).
    pub status: i64,
    /// 0 dynamic, 1 static, 2 outside VietQR, 3 semi-dynamic, 6 refund.
    pub r#type: i64,
    /// Epoch time as VietQR sends it (seconds, probably).
    pub time_created: Option<i64>,
    pub time_paid: Option<i64>,
    pub terminal_code: Option<String>,
    pub note: Option<String>,
    pub refund_count: Option<i64>,
    pub amount_refunded: Option<i64>,
    /// Debit rows only: the reference number the refund came from.
    pub refund_from: Option<String>,
    /// A paid credit row as a callback reports it (`transaction_id` is
    /// `ref:` and the reference number: check-order has no transaction id,
    /// and the bank's reference is unique too); `None` for a row that is
    /// unpaid, a debit, or without a reference number or an amount.
    pub transaction: Option<Transaction>,
}

input_struct! {
    /// What VietQR answered to check-order, and the account asked about
    /// (the rows do not carry it; the transactions do).
    #[derive(Debug, Clone)]
    pub struct CheckOrderReply {
        pub status: u16,
        pub body: String,
        pub bank_account: String = String::new(),
    }
}

/// The row as a callback would report it, when it is a paid credit.
fn as_transaction(row: &OrderTransaction, bank_account: &str) -> Option<Transaction> {
    let reference = row.reference_number.as_deref()?;
    let credit = row.trans_type.as_deref().unwrap_or("C") == "C";
    let amount = u64::try_from(row.amount)
        .ok()
        .filter(|a| (1..=AMOUNT_MAX).contains(a))?;
    if row.status != 1 || !credit {
        return None;
    }
    let order_id = row.order_id.clone().unwrap_or_default();
    let content = row.content.clone().unwrap_or_default();
    Some(Transaction {
        transaction_id: format!("ref:{reference}"),
        transaction_time: epoch_seconds(
            row.time_paid
                .and_then(|t| u64::try_from(t).ok())
                .unwrap_or(0),
        ),
        reference_number: reference.to_string(),
        amount,
        candidate_refs: references(&order_id, &content),
        content,
        bank_account: bank_account.to_string(),
        trans_type: "C".to_string(),
        order_id,
        sign: String::new(),
        sign_valid: None,
        terminal_code: row.terminal_code.clone().unwrap_or_default(),
        url_link: String::new(),
        sub_terminal_code: String::new(),
        service_code: String::new(),
    })
}

const WHAT: &str = "check-order";

pub fn response(i: CheckOrderReply) -> Result<Vec<OrderTransaction>> {
    let reply = Reply {
        status: i.status,
        body: i.body,
    };
    let json = success_json(&reply, WHAT, Auth::Bearer)?;
    let Value::Array(rows) = &json else {
        return Err(super::bad_reply(WHAT, "is not a JSON list"));
    };
    rows.iter()
        .enumerate()
        .map(|(n, v)| {
            let f = Fields::element(WHAT, "", n, v)?;
            let mut row = OrderTransaction {
                reference_number: f.opt_string("referenceNumber")?.filter(|r| !r.is_empty()),
                order_id: f.opt_string("orderId")?,
                amount: f.int("amount")?,
                content: f.opt_string("content")?,
                trans_type: f.opt_string("transType")?,
                status: f.int("status")?,
                r#type: f.int("type")?,
                time_created: f.opt_int("timeCreated")?,
                time_paid: f.opt_int("timePaid")?,
                terminal_code: f.opt_string("terminalCode")?,
                note: f.opt_string("note")?,
                refund_count: f.opt_int("refundCount")?,
                amount_refunded: f.opt_int("amountRefunded")?,
                refund_from: f.opt_string("refundFrom")?,
                transaction: None,
            };
            row.transaction = as_transaction(&row, &i.bank_account);
            Ok(row)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::api::dispatch;
    use serde_json::{json, Value};

    fn run(op: &str, input: Value) -> Result<Value, crate::Error> {
        dispatch(op, input).unwrap()
    }

    fn input() -> Value {
        json!({"base_url": "https://dev.vietqr.org/vqr", "token": "jwt", "username": "customer-vietqrtest-user2468",
               "bank_account": "0123456789", "by": "order_id", "value": "DH1234"})
    }

    #[test]
    fn request_with_the_reference_checksum() {
        // docs/protocol.md §3.2: MD5("0123456789" + "customer-vietqrtest-user2468").
        assert_eq!(
            run("check_order.request", input()).unwrap(),
            json!({"method": "POST", "url": "https://dev.vietqr.org/vqr/api/ecommerce-transactions/check-order",
                   "headers": {"Content-Type": "application/json", "Authorization": "Bearer jwt"},
                   "body": {"bankAccount": "0123456789", "type": 0, "value": "DH1234",
                            "checkSum": "90caab5717418b2cfc799c6ea5b0d6ec"}})
        );
        let mut i = input();
        i["by"] = json!("reference_number");
        i["value"] = json!("FT24123456789");
        i["ecommerce"] = json!(false);
        let r = run("check_order.request", i).unwrap();
        assert_eq!(
            r["url"],
            "https://dev.vietqr.org/vqr/api/transactions/check-order"
        );
        assert_eq!(
            (r["body"]["type"].clone(), r["body"]["value"].clone()),
            (json!(1), json!("FT24123456789"))
        );
    }

    #[test]
    fn request_errors() {
        let mut i = input();
        i["value"] = json!("");
        let e = run("check_order.request", i).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "missing_field",
                "value is required: the order id to look up"
            )
        );
        let mut i = input();
        i["by"] = json!(0);
        assert_eq!(
            run("check_order.request", i).unwrap_err().code,
            "invalid_input"
        );
        let mut i = input();
        i["username"] = json!("");
        let e = run("check_order.request", i).unwrap_err();
        assert_eq!(
            e.message,
            "username is required: the API username the token was issued to"
        );
    }

    #[test]
    fn response() {
        let body = json!([
            {"referenceNumber": "FT24123456789", "orderId": "DH1234", "amount": 10000, "content": "VQR1a2b3c4d5e DH1234",
             "transType": "C", "status": 1, "type": 0, "timeCreated": 1714000000, "timePaid": 1714000060,
             "terminalCode": "", "note": "", "refundCount": 0, "amountRefunded": 0},
            {"referenceNumber": "FT24123456790", "orderId": "DH1234", "amount": 5000, "content": "x",
             "transType": "C", "status": 0, "type": 0, "timeCreated": 1714000100, "timePaid": null,
             "terminalCode": null, "note": null, "refundCount": null, "amountRefunded": null}
        ]);
        // The paid credit row also comes as a callback reports it; the unpaid one does not.
        assert_eq!(
            run(
                "check_order.response",
                json!({"status": 200, "body": body.to_string(), "bank_account": "0123456789"})
            )
            .unwrap(),
            json!([
                {"reference_number": "FT24123456789", "order_id": "DH1234", "amount": 10000, "content": "VQR1a2b3c4d5e DH1234",
                 "trans_type": "C", "status": 1, "type": 0, "time_created": 1714000000, "time_paid": 1714000060,
                 "terminal_code": "", "note": "", "refund_count": 0, "amount_refunded": 0, "refund_from": null,
                 "transaction": {"transaction_id": "ref:FT24123456789", "transaction_time": 1714000060,
                    "reference_number": "FT24123456789", "amount": 10000, "content": "VQR1a2b3c4d5e DH1234",
                    "bank_account": "0123456789", "trans_type": "C", "order_id": "DH1234", "sign": "", "sign_valid": null,
                    "terminal_code": "", "url_link": "", "sub_terminal_code": "", "service_code": "",
                    "candidate_refs": ["DH1234", "VQR1A2B3C4D5E"]}},
                {"reference_number": "FT24123456790", "order_id": "DH1234", "amount": 5000, "content": "x",
                 "trans_type": "C", "status": 0, "type": 0, "time_created": 1714000100, "time_paid": null,
                 "terminal_code": null, "note": null, "refund_count": null, "amount_refunded": null, "refund_from": null,
                 "transaction": null}
            ])
        );
        // In milliseconds, time_paid is read as the callback reads transactiontime.
        let ms = json!([{"referenceNumber": "FT1", "amount": 1, "status": 1, "type": 0, "timePaid": 1714000060123u64}]);
        let rows = run(
            "check_order.response",
            json!({"status": 200, "body": ms.to_string()}),
        )
        .unwrap();
        assert_eq!(rows[0]["transaction"]["transaction_time"], 1714000060);
        assert_eq!(rows[0]["transaction"]["trans_type"], "C");
        let e = run(
            "check_order.response",
            json!({"status": 200, "body": r#"[{"referenceNumber":"FT1","status":1,"type":0}]"#}),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "VietQR's check-order reply: `[0].amount` is missing"
        );
        let e = run(
            "check_order.response",
            json!({"status": 200, "body": r#"{"referenceNumber":"FT1"}"#}),
        )
        .unwrap_err();
        assert_eq!(e.message, "VietQR's check-order reply is not a JSON list");
        let e = run(
            "check_order.response",
            json!({"status": 400, "body": r#"{"status":"FAILED","message":"E96"}"#}),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "VietQR answered E96: no matching transaction found. Check the order id or reference number and the bank account; the payment may not have arrived yet."
        );
    }
}
