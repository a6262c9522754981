//! Sync TID (docs/protocol.md §1i): `POST /api/tid/synchronize/v1` registers
//! points of sale. In the server's order: token (E74), a merchant for the
//! caller (E104), per terminal the checksum MD5(password + bankCode +
//! bankAccount) (E39) and the required fields (E46), no terminal code twice
//! (E153), known bank codes (E24) and accounts (E101), known merchants
//! (E104), and no bank account already tied to another merchant (E155).
//! E153/E24/E101 come as `{"status":"FAILED","data":…}`, as the server's
//! `ResponseObjectDTO` sends them. Syncing a terminal code again returns its
//! existing `tid`.

use crate::auth;
use crate::banks;
use crate::body::{JsonBody, Malformed};
use crate::checksum;
use crate::envelope::{success_data, Reject};
use crate::state::{App, Terminal};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::Arc;

/// One element of `terminals` (server `TidSynchronizeDTO`).
struct TerminalRequest {
    mid: String,
    merchant_name: String,
    terminal_name: Option<String>,
    terminal_code: Option<String>,
    terminal_address: Option<String>,
    bank_account: Option<String>,
    bank_code: Option<String>,
    check_sum: String,
}

impl TerminalRequest {
    fn read(v: &Value) -> Result<TerminalRequest, Malformed> {
        let Value::Object(map) = v else {
            return Err(Malformed);
        };
        let b = JsonBody::from_map(map.clone());
        Ok(TerminalRequest {
            mid: b.text_or_empty("mid")?,
            merchant_name: b.text_or_empty("merchantName")?,
            terminal_name: b.text("terminalName")?,
            terminal_code: b.text("terminalCode")?,
            terminal_address: b.text("terminalAddress")?,
            bank_account: b.text("bankAccount")?,
            bank_code: b.text("bankCode")?,
            check_sum: b.text_or_empty("checkSum")?,
        })
    }
}

pub async fn synchronize(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Result<Response, Reject> {
    let username = auth::caller(&app, &headers, uri.path())?;
    let account = app.account(&username);
    let merchants = account.map(|a| a.merchants.clone()).unwrap_or_default();
    if merchants.is_empty() {
        return Err(Reject::Failed("E104"));
    }
    let access_key = account.map(|a| a.password.clone()).unwrap_or_default();
    let body = JsonBody::parse(&body).ok_or(Reject::Failed("E46"))?;
    let items = match body.array("terminals") {
        Ok(Some(items)) if !items.is_empty() => items,
        _ => return Err(Reject::Failed("E46")),
    };
    let terminals: Vec<TerminalRequest> = items
        .iter()
        .map(TerminalRequest::read)
        .collect::<Result<_, _>>()
        .map_err(|_| Reject::Failed("E46"))?;

    // What each terminal must carry; checked after its checksum, as the server does.
    struct Checked {
        merchant: String,
        by_mid: bool,
        name: String,
        code: String,
        address: String,
        bank_account: String,
        bank_code: String,
    }
    let mut checked = Vec::with_capacity(terminals.len());
    for t in &terminals {
        let bank_code = t.bank_code.clone().unwrap_or_default();
        let bank_account = t.bank_account.clone().unwrap_or_default();
        if t.check_sum != checksum::tid_sync(&access_key, &bank_code, &bank_account) {
            return Err(Reject::Failed("E39"));
        }
        let (Some(name), Some(code), Some(address), Some(_), Some(_)) = (
            &t.terminal_name,
            &t.terminal_code,
            &t.terminal_address,
            &t.bank_account,
            &t.bank_code,
        ) else {
            return Err(Reject::Failed("E46"));
        };
        let (merchant, by_mid) = match (t.mid.is_empty(), t.merchant_name.is_empty()) {
            (false, _) => (t.mid.clone(), true),
            (true, false) => (t.merchant_name.clone(), false),
            (true, true) => return Err(Reject::Failed("E46")),
        };
        checked.push(Checked {
            merchant,
            by_mid,
            name: name.clone(),
            code: code.clone(),
            address: address.clone(),
            bank_account,
            bank_code,
        });
    }
    let codes: BTreeSet<&str> = checked.iter().map(|t| t.code.as_str()).collect();
    if codes.len() != checked.len() {
        return Err(Reject::FailedData("E153"));
    }
    for t in &checked {
        let bank = banks::lookup(&t.bank_code)
            .filter(|b| b.code.eq_ignore_ascii_case(&t.bank_code))
            .ok_or(Reject::FailedData("E24"))?;
        if app.bank_account(&t.bank_account, Some(bank.code)).is_none() {
            return Err(Reject::FailedData("E101"));
        }
    }
    let mut mids = Vec::with_capacity(checked.len());
    for t in &checked {
        let merchant = merchants
            .iter()
            .find(|m| {
                if t.by_mid {
                    m.mid == t.merchant
                } else {
                    m.name == t.merchant
                }
            })
            .ok_or(Reject::Failed("E104"))?;
        mids.push(merchant.mid.clone());
    }

    app.update(|store| {
        for (t, mid) in checked.iter().zip(&mids) {
            let taken = store.terminals.iter().any(|o| {
                o.bank_account == t.bank_account
                    && o.bank_code.eq_ignore_ascii_case(&t.bank_code)
                    && &o.mid != mid
            });
            if taken {
                return Err(Reject::Failed("E155"));
            }
        }
        let mut data = Vec::with_capacity(checked.len());
        for (t, mid) in checked.iter().zip(mids) {
            let existing = store
                .terminals
                .iter()
                .find(|o| o.username == username && o.terminal_code == t.code)
                .map(|o| o.tid.clone());
            let tid = match existing {
                Some(tid) => tid,
                None => {
                    let tid = format!("TER{}", store.ids.digits(8));
                    store.terminals.push(Terminal {
                        tid: tid.clone(),
                        username: username.clone(),
                        mid,
                        terminal_code: t.code.clone(),
                        terminal_name: t.name.clone(),
                        terminal_address: t.address.clone(),
                        bank_account: t.bank_account.clone(),
                        bank_code: t.bank_code.clone(),
                    });
                    tid
                }
            };
            data.push(json!({
                "tid": tid,
                "terminalName": t.name,
                "terminalCode": t.code,
                "bankAccount": t.bank_account,
                "bankCode": t.bank_code,
            }));
        }
        Ok(success_data(Value::Array(data)))
    })
}
