//! Test Callback (docs/protocol.md §1c): `POST /bank/api/test/transaction-callback`,
//! sandbox only (E75 in production). The caller must have a callback
//! registered (E76) for the bank account (E77). The simulated payment gets
//! `transactionid` = a UUID and `referencenumber` = username + "-" + a UUID,
//! as on the server, and then goes the way of every payment (see
//! `payments`). The answer's `message` is the transaction id, as the docs show.
//!
//! Bad bodies: E46 where the server could not bind or parse the body (the
//! amount goes through `Integer.parseInt`); its transaction validation's own
//! codes where it would give them: `002` amount 0 or less, `003` transType
//! other than C/D, `009` no content.

use crate::auth;
use crate::body::JsonBody;
use crate::config::Environment;
use crate::envelope::{success_message, Reject};
use crate::payments::{self, Payment};
use crate::state::App;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use std::sync::Arc;

pub async fn test_callback(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Result<Response, Reject> {
    let token = auth::require_jwt(&headers, uri.path())?;
    if app.config.environment == Environment::Production {
        return Err(Reject::Failed("E75"));
    }
    let username = auth::token_user(&app, token)?;
    let body = JsonBody::parse(&body).ok_or(Reject::Failed("E46"))?;
    let callback_registered = app.callback_for(&username).is_some();
    if !callback_registered {
        return Err(Reject::Failed("E76"));
    }
    let bank_account = body
        .text_or_empty("bankAccount")
        .map_err(|_| Reject::Failed("E46"))?;
    let owns_account = app.account(&username).is_some_and(|a| {
        a.bank_accounts
            .iter()
            .any(|b| b.bank_account == bank_account)
    });
    if !owns_account {
        return Err(Reject::Failed("E77"));
    }
    let amount = match body.int("amount") {
        Ok(Some(a)) if i32::try_from(a).is_ok() => a,
        _ => return Err(Reject::Failed("E46")),
    };
    if amount <= 0 {
        return Err(Reject::Failed("002"));
    }
    let trans_type = body
        .text_or_empty("transType")
        .map_err(|_| Reject::Failed("E46"))?;
    if trans_type != "C" && trans_type != "D" {
        return Err(Reject::Failed("003"));
    }
    let content = body
        .text("content")
        .map_err(|_| Reject::Failed("E46"))?
        .ok_or(Reject::Failed("009"))?;

    let uuid = app.update(|s| s.ids.uuid());
    let recorded = payments::record(
        &app,
        Payment {
            bank_account,
            content,
            amount,
            trans_type,
            reference_number: format!("{username}-{uuid}"),
        },
    );
    Ok(success_message(&recorded.transaction.bank_transaction_id))
}
