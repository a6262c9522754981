//! The simulator's own endpoints, for tests and demos (not VietQR's):
//! inspection of what it recorded and did, and controls to pay a QR code as
//! a buyer would, re-deliver a callback, move the clock, change a shop's
//! callback and start afresh. Errors are `{"error": "…"}`.

use crate::callback_delivery::{self, Target};
use crate::config::Callback;
use crate::payments::{self, Payment};
use crate::state::{App, Store};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({"error": message.into()}))).into_response()
}

/// The body as JSON (`{}` when empty), or why not.
fn json_body(bytes: &[u8]) -> Result<Value, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(bytes).map_err(|e| format!("body is not JSON: {e}"))
}

/// `GET /sim/state`: configuration (without secrets) and counts.
pub async fn state(State(app): State<Arc<App>>) -> Response {
    let accounts: Vec<Value> = app
        .config
        .accounts
        .iter()
        .map(|a| {
            let callback = app.callback_for(&a.username);
            json!({
                "username": a.username,
                "ecommerce": a.ecommerce,
                "refund_key": a.secret_key.is_some(),
                "bank_accounts": a.bank_accounts,
                "merchants": a.merchants,
                "callback": callback.map(|c| json!({
                    "token_url": c.has_credentials().then(|| c.token_url()),
                    "transaction_sync_url": c.transaction_sync_url(),
                    "auth": if c.has_credentials() { "basic" } else if c.static_token().is_some() { "static_token" } else { "none" },
                })),
            })
        })
        .collect();
    let connections = app.ws.connections();
    let summary = app.read(|s| {
        json!({
            "transactions": s.transactions.len(),
            "deliveries": s.deliveries.len(),
            "refunds": s.refunds.len(),
            "tokens": s.tokens.len(),
            "ws_messages": s.ws_messages.len(),
            "registrations": s.registrations,
            "terminals": s.terminals,
        })
    });
    Json(json!({
        "environment": app.config.environment,
        "clock_offset_ms": app.clock.offset_ms(),
        "options": {
            "token_ttl": app.options.token_ttl,
            "retry_scale": app.options.retry_scale,
            "state_file": app.options.state_file,
        },
        "accounts": accounts,
        "ws_connections": connections,
        "store": summary,
    }))
    .into_response()
}

/// `GET /sim/transactions`: every QR code and payment.
pub async fn transactions(State(app): State<Arc<App>>) -> Response {
    Json(app.read(|s| json!(s.transactions))).into_response()
}

/// `GET /sim/refunds`.
pub async fn refunds(State(app): State<Arc<App>>) -> Response {
    Json(app.read(|s| json!(s.refunds))).into_response()
}

/// `GET /sim/ws-messages`: every push, delivered or dropped.
pub async fn ws_messages(State(app): State<Arc<App>>) -> Response {
    Json(app.read(|s| json!(s.ws_messages))).into_response()
}

#[derive(Deserialize)]
pub struct WaitQuery {
    /// Wait until no delivery is under way before answering.
    #[serde(default)]
    wait: bool,
    /// How long to wait at most (default 10 s).
    timeout_ms: Option<u64>,
}

/// `GET /sim/deliveries[?wait=true&timeout_ms=…]`: every delivery with its
/// attempts; with `wait`, once none is under way (504 if that takes too long).
pub async fn deliveries(State(app): State<Arc<App>>, Query(q): Query<WaitQuery>) -> Response {
    if q.wait {
        let timeout = Duration::from_millis(q.timeout_ms.unwrap_or(10_000));
        if !app.wait_for_deliveries(timeout).await {
            return error(
                StatusCode::GATEWAY_TIMEOUT,
                "deliveries still under way; try again or raise timeout_ms",
            );
        }
    }
    Json(app.read(|s| json!(s.deliveries))).into_response()
}

/// `GET /sim/deliveries/{id}`.
pub async fn delivery(State(app): State<Arc<App>>, Path(id): Path<u64>) -> Response {
    match app.read(|s| s.deliveries.iter().find(|d| d.id == id).cloned()) {
        Some(d) => Json(json!(d)).into_response(),
        None => error(StatusCode::NOT_FOUND, format!("no delivery {id}")),
    }
}

#[derive(Deserialize)]
pub struct RedeliverQuery {
    /// How many copies to send at once (default 1, at most 100).
    times: Option<u32>,
}

/// `POST /sim/deliveries/{id}/redeliver[?times=N]`: sends the same body
/// (same `transactionid`) again, N times concurrently, as VietQR's
/// duplicates would arrive; to the account's current callback.
pub async fn redeliver(
    State(app): State<Arc<App>>,
    Path(id): Path<u64>,
    Query(q): Query<RedeliverQuery>,
) -> Response {
    let times = q.times.unwrap_or(1);
    if !(1..=100).contains(&times) {
        return error(StatusCode::BAD_REQUEST, "times must be from 1 to 100");
    }
    let Some(original) = app.read(|s| s.deliveries.iter().find(|d| d.id == id).cloned()) else {
        return error(StatusCode::NOT_FOUND, format!("no delivery {id}"));
    };
    let Some(callback) = app.callback_for(&original.username) else {
        return error(
            StatusCode::CONFLICT,
            format!("account {:?} has no callback any more", original.username),
        );
    };
    let target = Target::new(&original.username, &callback);
    let ids: Vec<u64> = (0..times)
        .map(|_| {
            callback_delivery::start(
                &app,
                &original.transaction,
                original.body.clone(),
                target.clone(),
                Some(id),
            )
        })
        .collect();
    Json(json!({"deliveries": ids})).into_response()
}

/// `POST /sim/pay`: a buyer pays, as the bank would report it; then the
/// same as the test callback (delivery to the shops, N05). Body:
/// `transactionRefId` (a QR from generate-customer) or `content`, and
/// optionally `amount` (default: the QR's), `bankAccount` (default: the
/// QR's), `transType` ("C").
pub async fn pay(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let body = match json_body(&body) {
        Ok(v) => v,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    let text = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_string);
    let qr = if let Some(ref_id) = text("transactionRefId") {
        match app.read(|s| {
            s.transactions
                .iter()
                .find(|t| t.transaction_ref_id == ref_id)
                .cloned()
        }) {
            Some(t) => Some(t),
            None => {
                return error(
                    StatusCode::NOT_FOUND,
                    format!("no QR code with transactionRefId {ref_id:?}"),
                )
            }
        }
    } else if let Some(content) = text("content") {
        payments::trace_id(&content).and_then(|trace| {
            app.read(|s| {
                s.transactions
                    .iter()
                    .find(|t| t.trace_id.eq_ignore_ascii_case(&trace))
                    .cloned()
            })
        })
    } else {
        return error(StatusCode::BAD_REQUEST, "give transactionRefId or content");
    };
    let content = text("content").or_else(|| qr.as_ref().map(|t| t.qr_content.clone()));
    let bank_account = text("bankAccount").or_else(|| qr.as_ref().map(|t| t.bank_account.clone()));
    let amount = match body.get("amount") {
        Some(v) => v.as_i64().or_else(|| v.as_str()?.parse().ok()),
        None => qr.as_ref().and_then(|t| t.amount),
    };
    let (Some(content), Some(bank_account)) = (content, bank_account) else {
        return error(
            StatusCode::BAD_REQUEST,
            "bankAccount is needed when content matches no QR code",
        );
    };
    let Some(amount) = amount.filter(|a| *a > 0) else {
        return error(
            StatusCode::BAD_REQUEST,
            "amount must be a positive whole number of VND",
        );
    };
    let trans_type = text("transType").unwrap_or_else(|| "C".into());
    if trans_type != "C" && trans_type != "D" {
        return error(StatusCode::BAD_REQUEST, "transType must be C or D");
    }
    let reference_number = app.update(|s| format!("FT{}", s.ids.digits(12)));
    let recorded = payments::record(
        &app,
        Payment {
            bank_account,
            content,
            amount,
            trans_type,
            reference_number,
        },
    );
    Json(json!(recorded)).into_response()
}

/// `POST /sim/clock {"advance_seconds": N}`: moves the simulator's clock
/// (token expiry, refund locks, transaction times) forward by N seconds.
pub async fn clock(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let body = match json_body(&body) {
        Ok(v) => v,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    let Some(seconds) = body.get("advance_seconds").and_then(Value::as_i64) else {
        return error(
            StatusCode::BAD_REQUEST,
            "give advance_seconds, a whole number",
        );
    };
    app.clock.advance(seconds.saturating_mul(1000));
    Json(json!({"offset_ms": app.clock.offset_ms(), "now_ms": app.clock.now_ms()})).into_response()
}

/// `PUT /sim/accounts/{username}/callback`: sets (a `callback` object as in
/// sim.json) or removes (`null`) where VietQR calls this account's shop.
pub async fn set_callback(
    State(app): State<Arc<App>>,
    Path(username): Path<String>,
    body: Bytes,
) -> Response {
    if app.account(&username).is_none() {
        return error(StatusCode::NOT_FOUND, format!("no account {username:?}"));
    }
    let callback: Option<Callback> = match serde_json::from_slice(&body) {
        Ok(c) => c,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("not a callback object or null: {e}"),
            )
        }
    };
    if let Some(c) = &callback {
        if let Err(e) = c.validate(app.options.allow_remote_callbacks) {
            return error(StatusCode::BAD_REQUEST, e);
        }
    }
    let set = callback.is_some();
    app.update(|s| s.callback_overrides.insert(username.clone(), callback));
    Json(json!({"username": username, "callback": set})).into_response()
}

/// `POST /sim/reset`: forgets tokens, transactions, deliveries, refunds,
/// registrations, terminals and pushes (not the configuration).
pub async fn reset(State(app): State<Arc<App>>) -> Response {
    if !app.wait_for_deliveries(Duration::ZERO).await {
        return error(
            StatusCode::CONFLICT,
            "deliveries are under way; wait for them first",
        );
    }
    let seed = app.config.seed;
    app.update(|s| *s = Store::new(seed));
    Json(json!({"reset": true})).into_response()
}
