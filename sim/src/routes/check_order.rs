//! Check Transaction (docs/protocol.md §1h): the payments (and unpaid QR codes) of
//! an order id (`type` 0) or a reference number (`type` 1) on a bank
//! account, as a JSON list.
//!
//! Checks in the server's order: token (E74), body (E46), on the regular
//! path a registered callback (E77), checksum MD5(bankAccount + username)
//! (E39), `value` (E46), `type` (E95), nothing found (E96). The ecommerce
//! path skips the registration check.

use crate::auth;
use crate::body::JsonBody;
use crate::checksum;
use crate::envelope::Reject;
use crate::state::{App, Transaction};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;

pub async fn ecommerce(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Result<Response, Reject> {
    check_order(&app, &headers, &uri, &body, false)
}

pub async fn regular(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Result<Response, Reject> {
    check_order(&app, &headers, &uri, &body, true)
}

fn check_order(
    app: &App,
    headers: &HeaderMap,
    uri: &Uri,
    body: &[u8],
    merchant_only: bool,
) -> Result<Response, Reject> {
    let username = auth::caller(app, headers, uri.path())?;
    let body = JsonBody::parse(body).ok_or(Reject::Failed("E46"))?;
    if merchant_only && app.callback_for(&username).is_none() {
        return Err(Reject::Failed("E77"));
    }
    let malformed = |_| Reject::Failed("E46");
    let bank_account = body.text_or_empty("bankAccount").map_err(malformed)?;
    let sent = body.text_or_empty("checkSum").map_err(malformed)?;
    if sent != checksum::check_order(&bank_account, &username) {
        return Err(Reject::Failed("E39"));
    }
    let value = body.text_or_empty("value").map_err(malformed)?;
    if value.trim().is_empty() {
        return Err(Reject::Failed("E46"));
    }
    let by_order_id = match body.int("type") {
        Ok(Some(0)) => true,
        Ok(Some(1)) => false,
        _ => return Err(Reject::Failed("E95")),
    };
    let (rows, refunds) = app.read(|s| {
        let rows: Vec<Transaction> = s
            .transactions
            .iter()
            .filter(|t| t.bank_account == bank_account)
            .filter(|t| {
                if by_order_id {
                    t.order_id == value
                } else {
                    t.reference_number == value
                }
            })
            .cloned()
            .collect();
        (rows, s.refunds.clone())
    });
    if rows.is_empty() {
        return Err(Reject::Failed("E96"));
    }
    // When every row is a debit the server answers `CheckOrderTransTypeDDTO`.
    let all_debits = rows.iter().all(|t| t.trans_type == "D");
    let list: Vec<Value> = rows
        .iter()
        .map(|t| {
            let mut row = json!({
                "referenceNumber": t.reference_number,
                "orderId": t.order_id,
                "amount": t.amount.unwrap_or(0),
                "content": t.content,
                "transType": t.trans_type,
                "status": t.status,
                "type": t.qr_type,
                "timeCreated": t.time_created,
                "timePaid": t.time_paid,
                "terminalCode": t.terminal_code,
                "note": t.note,
            });
            if all_debits {
                row["refundFrom"] = json!("");
            } else {
                let mine = refunds.iter().filter(|r| {
                    !t.reference_number.is_empty() && r.reference_number == t.reference_number
                });
                row["refundCount"] = json!(mine.clone().count());
                row["amountRefunded"] = json!(mine.map(|r| r.amount).sum::<i64>());
            }
            row
        })
        .collect();
    Ok(Json(Value::Array(list)).into_response())
}
