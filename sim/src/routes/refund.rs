//! Refund (docs/protocol.md §1j): `POST /api/transaction/refund`.
//!
//! In the server's order: the required fields (E46); a refund of the same
//! referenceNumber + bankAccount accepted in the last 30 s (E158, checked
//! before the token); token (E74); a registered callback (E104); the bank
//! account is the caller's (E77); checksum MD5(secretKey, referenceNumber,
//! amount, bankAccount concatenated) with `amount` as sent (E39); then the 30-second
//! lock is taken; terminal codes that differ from the payment's (E164); no
//! refund permission (E42); a second refund when the first did not allow
//! several (E157); an unknown reference (E44) or more than is left (E45).
//! Success: `{"status":"SUCCESS","message":"FT…"}`.

use crate::auth;
use crate::body::{JsonBody, Malformed};
use crate::checksum;
use crate::envelope::{success_message, Reject};
use crate::state::{App, Refund};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use std::sync::Arc;

/// How long a refund key stays locked.
const LOCK_MS: u64 = 30_000;

/// The body, bound as `RefundRequestDTO` (`@NotBlank` on the first five).
struct RefundRequest {
    bank_account: String,
    reference_number: String,
    amount: String,
    content: String,
    check_sum: String,
    multi_times: Option<bool>,
    terminal_code: String,
    sub_terminal_code: String,
}

impl RefundRequest {
    fn read(b: &JsonBody) -> Result<RefundRequest, Malformed> {
        Ok(RefundRequest {
            bank_account: b.required_text("bankAccount")?,
            reference_number: b.required_text("referenceNumber")?,
            amount: b.required_text("amount")?,
            content: b.required_text("content")?,
            check_sum: b.required_text("checkSum")?,
            multi_times: b.boolean("multiTimes")?,
            terminal_code: b.text_or_empty("terminalCode")?,
            sub_terminal_code: b.text_or_empty("subTerminalCode")?,
        })
    }
}

pub async fn refund(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Result<Response, Reject> {
    let token = auth::require_jwt(&headers, uri.path())?;
    let body = JsonBody::parse(&body).ok_or(Reject::Failed("E46"))?;
    let r = RefundRequest::read(&body).map_err(|_| Reject::Failed("E46"))?;
    // The server parses the amount only when it refunds (Long.parseLong).
    let amount: i64 = r.amount.trim().parse().map_err(|_| Reject::Failed("E46"))?;

    let key = format!("{}|{}", r.reference_number, r.bank_account);
    let now = app.clock.now_ms();
    let locked = app.read(|s| s.refund_locks.get(&key).is_some_and(|until| now < *until));
    if locked {
        return Err(Reject::Failed("E158"));
    }
    let username = auth::token_user(&app, token)?;
    if app.callback_for(&username).is_none() {
        return Err(Reject::Failed("E104"));
    }
    let account = app.account(&username).ok_or(Reject::Failed("E104"))?;
    let bank = account
        .bank_accounts
        .iter()
        .find(|b| b.bank_account == r.bank_account)
        .ok_or(Reject::Failed("E77"))?;
    let secret_key = account.secret_key.clone().unwrap_or_default();
    let expected = checksum::refund(&secret_key, &r.reference_number, &r.amount, &r.bank_account);
    if secret_key.is_empty() || r.check_sum != expected {
        return Err(Reject::Failed("E39"));
    }
    let refund_allowed = bank.refund;

    app.update(|store| {
        let now = app.clock.now_ms();
        // Taken between the read above and here by a concurrent request: E158 too.
        if store
            .refund_locks
            .get(&key)
            .is_some_and(|until| now < *until)
        {
            return Err(Reject::Failed("E158"));
        }
        store.refund_locks.retain(|_, until| now < *until);
        store.refund_locks.insert(key.clone(), now + LOCK_MS);

        let paid = store.transactions.iter().find(|t| {
            t.reference_number == r.reference_number && t.trans_type == "C" && t.status == 1
        });
        if let Some(paid) = paid {
            let terminals_given = !r.terminal_code.is_empty() || !r.sub_terminal_code.is_empty();
            if terminals_given
                && (paid.terminal_code != r.terminal_code
                    || paid.sub_terminal_code != r.sub_terminal_code)
            {
                return Err(Reject::Failed("E164"));
            }
        }
        if !refund_allowed {
            return Err(Reject::Failed("E42"));
        }
        let earlier: Vec<&Refund> = store
            .refunds
            .iter()
            .filter(|f| {
                f.reference_number == r.reference_number && f.bank_account == r.bank_account
            })
            .collect();
        // Only the first refund decides whether more may follow.
        let multi_times = match earlier.first() {
            Some(first) if !first.multi_times => return Err(Reject::Failed("E157")),
            Some(_) => true,
            None => r.multi_times.unwrap_or(false),
        };
        let refunded: i64 = earlier.iter().map(|f| f.amount).sum();
        let paid_amount = paid
            .filter(|t| t.bank_account == r.bank_account)
            .ok_or(Reject::Failed("E44"))?
            .amount
            .unwrap_or(0);
        if amount <= 0 || amount > paid_amount - refunded {
            return Err(Reject::Failed("E45"));
        }
        let refund_code = format!("FT{}", store.ids.digits(12));
        store.refunds.push(Refund {
            refund_code: refund_code.clone(),
            reference_number: r.reference_number.clone(),
            bank_account: r.bank_account.clone(),
            amount,
            content: r.content.clone(),
            multi_times,
            username: username.clone(),
            time: now / 1000,
        });
        Ok(success_message(&refund_code))
    })
}
