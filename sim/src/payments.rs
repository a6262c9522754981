//! A payment arriving at a bank account (test callback or `/sim/pay`): it is
//! matched to its QR code by the `VQR…` trace id and amount, as VietQR does,
//! recorded, delivered to every shop registered for that account (HTTP
//! callback) and pushed as N05 to every ecommerce site linked to it.

use crate::callback_delivery::{self, Target};
use crate::state::{App, Transaction};
use crate::ws;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Serialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// A credit or debit as the bank reports it.
pub struct Payment {
    pub bank_account: String,
    pub content: String,
    pub amount: i64,
    /// "C" or "D".
    pub trans_type: String,
    /// The bank's reference (FT code, or `username-UUID` for the test callback).
    pub reference_number: String,
}

/// What recording a payment did.
#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    pub transaction: Transaction,
    /// It paid a QR code the simulator generated.
    pub matched: bool,
    pub deliveries: Vec<u64>,
    /// N05 pushes made, and how many open sockets got them.
    pub ws_pushes: usize,
    pub ws_connections: usize,
}

/// The trace id in a bank's transfer content, found as the server's
/// `getTraceId` does: "VQR" and the next 10 characters, even when the bank
/// split them with a space, dot or dash.
pub fn trace_id(content: &str) -> Option<String> {
    let cleaned = content.replace(['.', '-'], " ");
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    for (i, word) in words.iter().enumerate() {
        let Some(start) = word.find("VQR") else {
            continue;
        };
        let mut trace: String = word[start..].to_string();
        for next in &words[i + 1..] {
            if trace.chars().count() >= 13 {
                break;
            }
            trace.push_str(next);
        }
        if trace.chars().count() >= 13 {
            return Some(trace.chars().take(13).collect());
        }
    }
    None
}

/// The code after `prefix` ("SQR"/"SMQR") up to the next space.
fn code_after<'a>(content: &'a str, prefix: &str) -> Option<&'a str> {
    content
        .split_whitespace()
        .find_map(|w| w.strip_prefix(prefix))
        .filter(|c| !c.is_empty())
}

/// Records `payment`, then starts its deliveries and N05 pushes.
pub fn record(app: &Arc<App>, payment: Payment) -> Recorded {
    let now_ms = app.clock.now_ms();
    let known = app.bank_account(&payment.bank_account, None).cloned();
    let (transaction, matched) = app.update(|store| {
        let bank_transaction_id = store.ids.uuid();
        let trace = trace_id(&payment.content);
        // The server looks the QR up by trace id and amount (MySQL compares
        // case-insensitively, so an upper-cased content still matches).
        let qr = trace.as_ref().and_then(|trace| {
            store.transactions.iter_mut().find(|t| {
                t.status == 0
                    && t.qr_type == 0
                    && t.trace_id.eq_ignore_ascii_case(trace)
                    && t.amount == Some(payment.amount)
                    && t.trans_type == payment.trans_type
            })
        });
        if let Some(row) = qr {
            row.status = 1;
            row.time_paid = now_ms / 1000;
            row.reference_number = payment.reference_number.clone();
            row.bank_transaction_id = bank_transaction_id;
            row.paid_content = payment.content.clone();
            return (row.clone(), true);
        }
        // A payment outside any dynamic QR: a static or semi-dynamic QR of
        // this account if its code is in the content, else "outside VietQR".
        let template = store
            .transactions
            .iter()
            .filter(|t| t.bank_account == payment.bank_account && t.status == 0)
            .find(|t| match t.qr_type {
                1 => code_after(&payment.content, "SQR") == Some(t.terminal_code.as_str()),
                3 => code_after(&payment.content, "SMQR") == Some(t.service_code.as_str()),
                _ => false,
            })
            .cloned();
        let id = store.ids.uuid();
        let mut row = Transaction {
            transaction_ref_id: URL_SAFE_NO_PAD.encode(&id),
            id,
            username: String::new(),
            qr_type: 2,
            status: 1,
            bank_code: known
                .as_ref()
                .map(|b| b.bank_code.clone())
                .unwrap_or_default(),
            bank_account: payment.bank_account.clone(),
            user_bank_name: known
                .as_ref()
                .map(|b| b.user_bank_name.clone())
                .unwrap_or_default(),
            amount: Some(payment.amount),
            content: payment.content.clone(),
            qr_content: String::new(),
            trace_id: String::new(),
            qr_code: String::new(),
            order_id: String::new(),
            sign: String::new(),
            terminal_code: String::new(),
            sub_terminal_code: String::new(),
            service_code: String::new(),
            url_link: String::new(),
            note: String::new(),
            trans_type: payment.trans_type.clone(),
            time_created: now_ms / 1000,
            time_paid: now_ms / 1000,
            reference_number: payment.reference_number.clone(),
            bank_transaction_id,
            paid_content: payment.content.clone(),
        };
        if let Some(t) = template {
            row.qr_type = t.qr_type;
            row.username = t.username;
            row.bank_code = t.bank_code;
            row.user_bank_name = t.user_bank_name;
            row.terminal_code = t.terminal_code;
            row.sub_terminal_code = t.sub_terminal_code;
            row.service_code = t.service_code;
        }
        store.transactions.push(row.clone());
        (row, false)
    });

    let body = callback_body(&transaction);
    let mut deliveries = Vec::new();
    for account in &app.config.accounts {
        if !account
            .bank_accounts
            .iter()
            .any(|b| b.bank_account == transaction.bank_account)
        {
            continue;
        }
        if let Some(callback) = app.callback_for(&account.username) {
            let target = Target::new(&account.username, &callback);
            deliveries.push(callback_delivery::start(
                app,
                &transaction.id,
                body.clone(),
                target,
                None,
            ));
        }
    }

    let sites: Vec<String> = app.read(|store| {
        store
            .registrations
            .iter()
            .filter(|r| {
                r.active
                    && r.bank_accounts
                        .iter()
                        .any(|b| b.bank_account == transaction.bank_account)
            })
            .map(|r| r.client_id.clone())
            .collect()
    });
    let mut ws_connections = 0;
    for client_id in &sites {
        ws_connections += ws::push(app, client_id, &n05_fields(&transaction));
    }
    Recorded {
        transaction,
        matched,
        deliveries,
        ws_pushes: sites.len(),
        ws_connections,
    }
}

/// The transaction-sync body: exactly the 13 keys VietQR sends, with
/// `transactiontime` in milliseconds and `amount` a number.
pub fn callback_body(t: &Transaction) -> Value {
    json!({
        "transactionid": t.bank_transaction_id,
        "transactiontime": t.time_paid * 1000,
        "referencenumber": t.reference_number,
        "amount": t.amount.unwrap_or(0),
        "content": t.paid_content,
        "bankaccount": t.bank_account,
        "transType": t.trans_type,
        "orderId": t.order_id,
        "sign": t.sign,
        "terminalCode": t.terminal_code,
        "urlLink": t.url_link,
        "subTerminalCode": t.sub_terminal_code,
        "serviceCode": t.service_code,
    })
}

/// N05: the same transaction as strings, time in seconds, no `sign`/`urlLink`.
fn n05_fields(t: &Transaction) -> Vec<(&'static str, String)> {
    vec![
        ("notificationType", "N05".into()),
        ("transactionid", t.bank_transaction_id.clone()),
        ("transactiontime", t.time_paid.to_string()),
        ("referencenumber", t.reference_number.clone()),
        ("amount", t.amount.unwrap_or(0).to_string()),
        ("content", t.paid_content.clone()),
        ("bankaccount", t.bank_account.clone()),
        ("transType", t.trans_type.clone()),
        ("orderId", t.order_id.clone()),
        ("terminalCode", t.terminal_code.clone()),
        ("serviceCode", t.service_code.clone()),
        ("subTerminalCode", t.sub_terminal_code.clone()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trace_ids_as_the_server_finds_them() {
        assert_eq!(
            trace_id("VQR1a2b3c4d5e DH1234").as_deref(),
            Some("VQR1a2b3c4d5e")
        );
        assert_eq!(
            trace_id("CK VQR1A2B3C4D5E DH1234").as_deref(),
            Some("VQR1A2B3C4D5E")
        );
        // Split by the bank app.
        assert_eq!(
            trace_id("VQR1a2b3 c4d5e DH").as_deref(),
            Some("VQR1a2b3c4d5e")
        );
        assert_eq!(trace_id("VQR1a2b3-c4d5e").as_deref(), Some("VQR1a2b3c4d5e"));
        assert_eq!(trace_id("DH1234"), None);
        assert_eq!(trace_id("VQR12"), None);
        assert_eq!(trace_id("vqr1a2b3c4d5e"), None);
    }
}
