//! Sync TID / points of sale (docs/protocol.md §1i): `POST /api/tid/synchronize/v1`.
//!
//! Each terminal carries its own checksum, MD5(password + bankCode +
//! bankAccount). The merchant is named by `mid` (what the server reads;
//! most doc pages say `merchantId`) or by `merchantName`.

use super::{
    bearer, endpoint, given, post, success_json, Auth, Fields, HttpRequest, Reply, Secret,
};
use crate::checksum;
use crate::error::{Code, Error, Result};
use crate::input::input_struct;
use serde::Serialize;

input_struct! {
    #[derive(Debug, Clone)]
    pub struct TidSyncRequest {
        pub base_url: String,
        pub token: Secret,
        /// The API password (access key) the checksums are made with.
        pub password: Secret,
        pub terminals: Vec<Terminal>,
    }
}

input_struct! {
    #[derive(Debug, Clone)]
    pub struct Terminal {
        /// VietQR's merchant id; this or `merchant_name` is required.
        pub mid: Option<String>,
        pub merchant_name: Option<String>,
        pub terminal_name: String,
        /// The shop's own code for the point of sale.
        pub terminal_code: String,
        pub terminal_address: String,
        pub bank_account: String,
        /// Code or BIN; the code is sent and hashed.
        pub bank_code: String,
    }
}

/// Server `TidSynchronizeDTO`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TerminalBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    mid: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    merchant_name: Option<&'a str>,
    terminal_name: &'a str,
    terminal_code: &'a str,
    terminal_address: &'a str,
    bank_account: &'a str,
    bank_code: &'static str,
    check_sum: String,
}

#[derive(Serialize)]
struct Body<'a> {
    terminals: Vec<TerminalBody<'a>>,
}

pub fn request(i: TidSyncRequest) -> Result<HttpRequest> {
    let url = endpoint(&i.base_url, "/api/tid/synchronize/v1")?;
    let authorization = bearer(&i.token)?;
    if i.password.0.is_empty() {
        return Err(super::missing(
            "password",
            "the API password the checksums are made with",
        ));
    }
    if i.terminals.is_empty() {
        return Err(super::missing("terminals", "at least one point of sale"));
    }
    let mut terminals = Vec::with_capacity(i.terminals.len());
    for (n, t) in i.terminals.iter().enumerate() {
        let field = |name: &str| format!("terminals[{n}].{name}");
        let (mid, merchant_name) = (given(&t.mid), given(&t.merchant_name));
        if mid.is_none() && merchant_name.is_none() {
            return Err(super::missing(
                &field("mid"),
                "the merchant id, or else merchant_name",
            ));
        }
        super::require(
            &field("terminal_name"),
            &t.terminal_name,
            "the point of sale's name",
        )?;
        super::require(
            &field("terminal_code"),
            &t.terminal_code,
            "the shop's code for the point of sale",
        )?;
        super::require(
            &field("terminal_address"),
            &t.terminal_address,
            "the point of sale's address",
        )?;
        super::bank_account(&field("bank_account"), &t.bank_account)?;
        let bank_code = super::bank_code(&field("bank_code"), &t.bank_code)?;
        // VietQR answers E153 to a repeated code; say which one it is.
        if let Some(first) = i.terminals[..n]
            .iter()
            .position(|o| o.terminal_code == t.terminal_code)
        {
            return Err(Error::new(
                Code::InvalidField,
                format!(
                    "{} {:?} repeats terminals[{first}].terminal_code",
                    field("terminal_code"),
                    t.terminal_code
                ),
            ));
        }
        terminals.push(TerminalBody {
            mid,
            merchant_name,
            terminal_name: &t.terminal_name,
            terminal_code: &t.terminal_code,
            terminal_address: &t.terminal_address,
            bank_account: &t.bank_account,
            bank_code,
            check_sum: checksum::tid_sync(&i.password.0, bank_code, &t.bank_account),
        });
    }
    post(url, authorization, Body { terminals })
}

/// One element of the reply's `data` (server `TidSyncResponseDTO`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncedTerminal {
    /// VietQR's public id for the terminal.
    pub tid: String,
    pub terminal_name: Option<String>,
    pub terminal_code: Option<String>,
    pub bank_account: Option<String>,
    pub bank_code: Option<String>,
}

const WHAT: &str = "TID-sync";

pub fn response(reply: Reply) -> Result<Vec<SyncedTerminal>> {
    let json = success_json(&reply, WHAT, Auth::Bearer)?;
    let f = Fields::of(WHAT, &json)?;
    if f.string("status")? != "SUCCESS" {
        return Err(super::bad_reply(
            WHAT,
            "has a status other than SUCCESS or FAILED",
        ));
    }
    f.list("data")?
        .iter()
        .enumerate()
        .map(|(n, v)| {
            let t = Fields::element(WHAT, "data", n, v)?;
            Ok(SyncedTerminal {
                tid: t.text("tid")?,
                terminal_name: t.opt_string("terminalName")?,
                terminal_code: t.opt_string("terminalCode")?,
                bank_account: t.opt_string("bankAccount")?,
                bank_code: t.opt_string("bankCode")?,
            })
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

    fn terminal(code: &str) -> Value {
        json!({"mid": "MER12345678", "terminal_name": "Cua hang 1", "terminal_code": code,
               "terminal_address": "1 Le Loi, Q1", "bank_account": "0123456789", "bank_code": "970422"})
    }

    fn input(terminals: Value) -> Value {
        json!({"base_url": "https://dev.vietqr.org/vqr", "token": "jwt",
               "password": "Y3VzdG9tZXItdmlldHFydGVzdC11c2VyMjQ2OA==", "terminals": terminals})
    }

    #[test]
    fn request_with_the_reference_checksum() {
        // docs/protocol.md §3.2: MD5("Y3Vz…OA==" + "MB" + "0123456789"); the BIN
        // is sent as its code.
        let mut named = terminal("CH02");
        named.as_object_mut().unwrap().remove("mid");
        named["merchant_name"] = json!("Shop A");
        assert_eq!(
            run("tid_sync.request", input(json!([terminal("CH01"), named]))).unwrap(),
            json!({"method": "POST", "url": "https://dev.vietqr.org/vqr/api/tid/synchronize/v1",
                   "headers": {"Content-Type": "application/json", "Authorization": "Bearer jwt"},
                   "body": {"terminals": [
                       {"mid": "MER12345678", "terminalName": "Cua hang 1", "terminalCode": "CH01",
                        "terminalAddress": "1 Le Loi, Q1", "bankAccount": "0123456789", "bankCode": "MB",
                        "checkSum": "87d05b21e16a8fc5c2dd5a0629a2cd57"},
                       {"merchantName": "Shop A", "terminalName": "Cua hang 1", "terminalCode": "CH02",
                        "terminalAddress": "1 Le Loi, Q1", "bankAccount": "0123456789", "bankCode": "MB",
                        "checkSum": "87d05b21e16a8fc5c2dd5a0629a2cd57"}]}})
        );
    }

    #[test]
    fn request_errors() {
        let e = run(
            "tid_sync.request",
            input(json!([terminal("CH01"), terminal("CH01")])),
        )
        .unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "invalid_field",
                "terminals[1].terminal_code \"CH01\" repeats terminals[0].terminal_code"
            )
        );
        let mut t = terminal("CH01");
        t["mid"] = json!("");
        let e = run("tid_sync.request", input(json!([t]))).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "missing_field",
                "terminals[0].mid is required: the merchant id, or else merchant_name"
            )
        );
        let mut t = terminal("CH01");
        t["terminal_address"] = json!(" ");
        let e = run("tid_sync.request", input(json!([t]))).unwrap_err();
        assert_eq!(
            e.message,
            "terminals[0].terminal_address is required: the point of sale's address"
        );
        let e = run("tid_sync.request", input(json!([]))).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "missing_field",
                "terminals is required: at least one point of sale"
            )
        );
        let mut t = terminal("CH01");
        t["merchantId"] = json!("MER1");
        let e = run("tid_sync.request", input(json!([t]))).unwrap_err();
        assert!(
            e.message
                .starts_with("unknown field `terminals[0].merchantId`: expected one of"),
            "{}",
            e.message
        );
    }

    #[test]
    fn response() {
        let body = r#"{"status":"SUCCESS","data":[{"tid":"TER12345678","terminalName":"Cua hang 1","terminalCode":"CH01","bankAccount":"0123456789","bankCode":"MB"}]}"#;
        assert_eq!(
            run("tid_sync.response", json!({"status": 200, "body": body})).unwrap(),
            json!([{"tid": "TER12345678", "terminal_name": "Cua hang 1", "terminal_code": "CH01",
                    "bank_account": "0123456789", "bank_code": "MB"}])
        );
        let e = run("tid_sync.response", json!({"status": 200, "body": r#"{"status":"SUCCESS","data":[{"terminalCode":"CH01"}]}"#}))
            .unwrap_err();
        assert_eq!(
            e.message,
            "VietQR's TID-sync reply: `data[0].tid` is missing"
        );
        let e = run(
            "tid_sync.response",
            json!({"status": 200, "body": r#"{"status":"SUCCESS"}"#}),
        )
        .unwrap_err();
        assert_eq!(e.message, "VietQR's TID-sync reply: `data` is missing");
        let e = run(
            "tid_sync.response",
            json!({"status": 400, "body": r#"{"status":"FAILED","message":"E104"}"#}),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "VietQR answered E104: the partner's merchant registration was not found. Check the merchant id (mid) or merchant name, or ask VietQR to register your merchant."
        );
    }
}
