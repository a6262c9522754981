//! Generate VietQR Code (docs/protocol.md §1b): `POST /api/qr/generate-customer`.
//!
//! As the server does: a BIN in `bankCode` is taken for its bank code;
//! `qrType` 0 (default), 1 or 3, anything else E46; an unknown bank E24;
//! content over 50 characters (20 for a static QR) E26. A dynamic QR's
//! content becomes `"VQR" + 10 hex + " " + content` (unless
//! `reconciliation` is false) and the payload is built from it; a static
//! QR's becomes `"SQR" + terminalCode (+ " " + content)`; a semi-dynamic
//! QR carries `"SMQR" + serviceCode + " " + content`. The payload always has
//! point of initiation 11, as VietQR.vn's does.
//!
//! Where the server would fail with an exception (a required field missing)
//! the simulator answers E46, the reference's code for an invalid body.

use crate::auth;
use crate::banks;
use crate::body::{JsonBody, Malformed};
use crate::config::Environment;
use crate::envelope::Reject;
use crate::payload;
use crate::state::{App, Transaction};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use std::sync::Arc;

const DYNAMIC: i64 = 0;
const STATIC: i64 = 1;
const SEMI_DYNAMIC: i64 = 3;

/// The body, bound as `VietQRCreateCustomerDTO`.
struct QrRequest {
    qr_type: i64,
    bank_code: String,
    bank_account: String,
    user_bank_name: Option<String>,
    content: Option<String>,
    amount: Option<i64>,
    order_id: String,
    trans_type: String,
    terminal_code: String,
    sub_terminal_code: String,
    service_code: String,
    sign: String,
    url_link: String,
    note: String,
    reconciliation: bool,
    additional_data: Value,
    customer_bank_account: Option<String>,
    customer_bank_code: Option<String>,
    customer_name: Option<String>,
}

impl QrRequest {
    fn read(b: &JsonBody) -> Result<QrRequest, Malformed> {
        Ok(QrRequest {
            qr_type: b.int("qrType")?.unwrap_or(DYNAMIC),
            bank_code: b.required_text("bankCode")?,
            bank_account: b.required_text("bankAccount")?,
            user_bank_name: b.text("userBankName")?,
            content: b.text("content")?,
            amount: b.int("amount")?,
            order_id: b.text_or_empty("orderId")?,
            trans_type: b.text("transType")?.unwrap_or_else(|| "C".into()),
            terminal_code: b.text_or_empty("terminalCode")?,
            sub_terminal_code: b.text_or_empty("subTerminalCode")?,
            service_code: b.text_or_empty("serviceCode")?,
            sign: b.text_or_empty("sign")?,
            url_link: b.text_or_empty("urlLink")?,
            note: b.text_or_empty("note")?,
            reconciliation: b.boolean("reconciliation")?.unwrap_or(true),
            additional_data: match b.array("additionalData")? {
                Some(items) => Value::Array(items.clone()),
                None => json!([]),
            },
            customer_bank_account: b.text("customerBankAccount")?,
            customer_bank_code: b.text("customerBankCode")?,
            customer_name: b.text("customerName")?,
        })
    }
}

/// What NAPAS's tag 38/01/01 holds: at most 19 letters or digits.
fn valid_account(account: &str) -> bool {
    (1..=19).contains(&account.len()) && account.bytes().all(|b| b.is_ascii_alphanumeric())
}

pub async fn generate_customer(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Result<Response, Reject> {
    let username = auth::caller(&app, &headers, uri.path())?;
    let body = JsonBody::parse(&body).ok_or(Reject::Failed("E46"))?;
    let r = QrRequest::read(&body).map_err(|_| Reject::Failed("E46"))?;
    if ![DYNAMIC, STATIC, SEMI_DYNAMIC].contains(&r.qr_type) {
        return Err(Reject::Failed("E46"));
    }
    let bank = banks::lookup(&r.bank_code).ok_or(Reject::Failed("E24"))?;
    let content = r.content.clone().unwrap_or_default();
    let content_max = if r.qr_type == STATIC { 20 } else { 50 };
    if content.chars().count() > content_max {
        return Err(Reject::Failed("E26"));
    }
    if r.trans_type != "C" && r.trans_type != "D" {
        return Err(Reject::Failed("E46"));
    }

    // A debit QR ("D") pays the customer's account back.
    let (pay_bank, pay_account, holder) = if r.trans_type == "D" {
        let (Some(account), Some(code), Some(name)) = (
            r.customer_bank_account.clone(),
            r.customer_bank_code.clone(),
            r.customer_name.clone(),
        ) else {
            return Err(Reject::Failed("E46"));
        };
        let customer_bank = banks::lookup(&code).ok_or(Reject::Failed("E24"))?;
        (customer_bank, account, name)
    } else {
        // VietQR shows the holder's name it has on file when it knows the account.
        let on_file = app
            .bank_account(&r.bank_account, Some(bank.code))
            .map(|b| b.user_bank_name.clone())
            .filter(|n| !n.trim().is_empty());
        let name = on_file
            .or(r.user_bank_name.clone())
            .filter(|n| !n.trim().is_empty())
            .ok_or(Reject::Failed("E46"))?;
        (bank, r.bank_account.clone(), name)
    };
    if !valid_account(&pay_account) {
        return Err(Reject::Failed("E46"));
    }

    let needs_amount = r.qr_type != STATIC;
    let amount = match r.amount {
        Some(a) if (1..=9_999_999_999_999).contains(&a) => Some(a),
        Some(_) => return Err(Reject::Failed("E46")),
        None if needs_amount => return Err(Reject::Failed("E46")),
        None => None,
    };
    if r.qr_type == DYNAMIC && content.trim().is_empty() {
        return Err(Reject::Failed("E46"));
    }
    if r.qr_type != DYNAMIC && r.terminal_code.trim().is_empty() {
        return Err(Reject::Failed("E46"));
    }
    if r.qr_type == SEMI_DYNAMIC && r.service_code.trim().is_empty() {
        return Err(Reject::Failed("E46"));
    }

    let now = app.clock.now_secs();
    let row = app.update(|store| {
        let id = store.ids.uuid();
        let (trace_id, shown, in_qr, qr_amount) = match r.qr_type {
            DYNAMIC if r.reconciliation => {
                let trace = store.ids.trace_id();
                let text = format!("{trace} {content}");
                (trace, text.clone(), text, amount)
            }
            DYNAMIC => (String::new(), content.clone(), content.clone(), amount),
            STATIC => {
                let text = if content.is_empty() {
                    format!("SQR{}", r.terminal_code)
                } else {
                    format!("SQR{} {content}", r.terminal_code)
                };
                (String::new(), text.clone(), text, None)
            }
            _ => {
                let shown = if content.is_empty() {
                    r.service_code.clone()
                } else {
                    content.clone()
                };
                let in_qr = format!("SMQR{} {}", r.service_code, content)
                    .trim_end()
                    .to_string();
                (String::new(), shown, in_qr, amount)
            }
        };
        let row = Transaction {
            transaction_ref_id: URL_SAFE_NO_PAD.encode(&id),
            id,
            username: username.clone(),
            qr_type: r.qr_type as u8,
            status: 0,
            bank_code: pay_bank.code.to_string(),
            bank_account: pay_account.clone(),
            user_bank_name: holder.trim().to_uppercase(),
            amount,
            content: shown,
            qr_code: payload::transfer(pay_bank.bin, &pay_account, qr_amount, &in_qr),
            qr_content: in_qr,
            trace_id,
            order_id: r.order_id.clone(),
            sign: r.sign.clone(),
            terminal_code: r.terminal_code.clone(),
            sub_terminal_code: r.sub_terminal_code.clone(),
            service_code: r.service_code.clone(),
            url_link: r.url_link.clone(),
            note: r.note.clone(),
            trans_type: r.trans_type.clone(),
            time_created: now,
            time_paid: 0,
            reference_number: String::new(),
            bank_transaction_id: String::new(),
            paid_content: String::new(),
        };
        store.transactions.push(row.clone());
        row
    });

    // A static QR is reusable: no transaction, so no ref id or QR page.
    let (ref_id, qr_link) = if r.qr_type == STATIC {
        (String::new(), String::new())
    } else {
        let page = match app.config.environment {
            Environment::Sandbox => "https://vietqr.vn/test/qr-generated?token=",
            Environment::Production => "https://vietqr.vn/qr-generated?token=",
        };
        (
            row.transaction_ref_id.clone(),
            format!("{page}{}", row.transaction_ref_id),
        )
    };
    Ok(Json(json!({
        "bankCode": pay_bank.code,
        "bankName": pay_bank.name,
        "bankAccount": row.bank_account,
        "userBankName": row.user_bank_name,
        // A string in the server's DTO; "" without an amount.
        "amount": row.amount.map(|a| a.to_string()).unwrap_or_default(),
        "content": row.content,
        "qrCode": row.qr_code,
        "imgId": format!("sim-bank-logo-{}", pay_bank.bin),
        "existing": 1,
        "transactionId": "",
        "transactionRefId": ref_id,
        "qrLink": qr_link,
        "terminalCode": row.terminal_code,
        "subTerminalCode": row.sub_terminal_code,
        "serviceCode": row.service_code,
        "orderId": row.order_id,
        "additionalData": r.additional_data,
        "vaAccount": "",
    }))
    .into_response())
}
