//! Ecommerce Sync (docs/protocol.md §1e): registers a shop site for the
//! Host-to-Client flow and returns its WebSocket `clientId`, the
//! `certificate` to show as a QR for bank-account sync, and a token that
//! does not expire.
//!
//! The docs say Basic auth; the server reads a Bearer JWT (and answers E05
//! to anything else), so this sends Bearer.

use super::token::{self, Token};
use super::{
    bearer, endpoint, given, post, success_json, Auth, Fields, HttpRequest, Reply, Secret,
};
use crate::checksum;
use crate::error::{Code, Error, Result};
use crate::input::input_struct;
use serde::Serialize;

input_struct! {
    #[derive(Debug, Clone)]
    pub struct EcommerceSyncRequest {
        pub base_url: String,
        pub token: Secret,
        /// The ecommerce password (access key) the checksum is made with.
        pub password: Secret,
        /// Hashed and stored byte for byte, so it is sent exactly as given.
        pub ecommerce_site: String,
        pub webhook: Option<String>,
        /// Bitrix only.
        pub code: Option<String>,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    ecommerce_site: &'a str,
    check_sum: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    webhook: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
}

pub fn request(i: EcommerceSyncRequest) -> Result<HttpRequest> {
    let url = endpoint(&i.base_url, "/api/ecommerce")?;
    let authorization = bearer(&i.token)?;
    if i.password.0.is_empty() {
        return Err(super::missing(
            "password",
            "the ecommerce password the checksum is made with",
        ));
    }
    let site = i.ecommerce_site.as_str();
    super::require(
        "ecommerce_site",
        site,
        "the shop's address, e.g. https://shop.example",
    )?;
    if site.trim() != site {
        return Err(Error::new(
            Code::InvalidField,
            "ecommerce_site has spaces at its ends; remove them (the site is hashed and stored exactly as sent)",
        ));
    }
    let body = Body {
        ecommerce_site: site,
        check_sum: checksum::ecommerce_sync(&i.password.0, site),
        webhook: given(&i.webhook),
        code: given(&i.code),
    };
    post(url, authorization, body)
}

/// Server `MerchantSyncEcommerceDTO`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EcommerceSync {
    pub webhook: Option<String>,
    /// For `wss://…/vqr/socket?clientId=…`; opaque.
    pub client_id: String,
    /// `MER-ECM-MER` + 8 digits; shown as a QR to link a bank account.
    pub certificate: String,
    pub code: Option<String>,
    pub token: Token,
}

const WHAT: &str = "ecommerce-sync";

pub fn response(reply: Reply) -> Result<EcommerceSync> {
    let json = success_json(&reply, WHAT, Auth::Bearer)?;
    let f = Fields::of(WHAT, &json)?;
    Ok(EcommerceSync {
        webhook: f.opt_string("webhook")?,
        client_id: f.text("clientId")?,
        certificate: f.text("certificate")?,
        code: f.opt_string("code")?,
        token: token::read(&f.object("token")?)?,
    })
}

#[cfg(test)]
mod tests {
    use crate::api::dispatch;
    use serde_json::{json, Value};

    fn run(op: &str, input: Value) -> Result<Value, crate::Error> {
        dispatch(op, input).unwrap()
    }

    #[test]
    fn request_with_the_docs_checksum() {
        // docs/protocol.md §1e / §3.2: MD5("37256497631:https://www.google.comVietQRAccesskey").
        let r = run(
            "ecommerce_sync.request",
            json!({"base_url": "https://api.vietqr.org/vqr", "token": "jwt", "password": "37256497631",
                   "ecommerce_site": "https://www.google.com", "webhook": "https://www.google.com/hook"}),
        )
        .unwrap();
        assert_eq!(
            r,
            json!({"method": "POST", "url": "https://api.vietqr.org/vqr/api/ecommerce",
                   "headers": {"Content-Type": "application/json", "Authorization": "Bearer jwt"},
                   "body": {"ecommerceSite": "https://www.google.com", "checkSum": "8a3439ca64d2394713e946f9f3677bb1",
                            "webhook": "https://www.google.com/hook"}})
        );
    }

    #[test]
    fn request_errors() {
        let base = json!({"base_url": "https://api.vietqr.org/vqr", "token": "jwt", "password": "k", "ecommerce_site": "https://shop.vn "});
        let e = run("ecommerce_sync.request", base.clone()).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("invalid_field", "ecommerce_site has spaces at its ends; remove them (the site is hashed and stored exactly as sent)")
        );
        let mut i = base;
        i["password"] = json!("");
        let e = run("ecommerce_sync.request", i).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "missing_field",
                "password is required: the ecommerce password the checksum is made with"
            )
        );
    }

    #[test]
    fn response() {
        let body = json!({"webhook": "", "clientId": "ZTk2NjVmMTgtM2I3MC00YTUwLTkxZTItM2ZiMjAwOGNiMTM2VmlldFFSQm94QWNjZXNzS2V5",
                          "certificate": "MER-ECM-MER37695058", "code": "",
                          "token": {"access_token": "eyJ.x.y", "token_type": "Bearer", "expires_in": 0}});
        assert_eq!(
            run(
                "ecommerce_sync.response",
                json!({"status": 200, "body": body.to_string()})
            )
            .unwrap(),
            json!({"webhook": "", "client_id": "ZTk2NjVmMTgtM2I3MC00YTUwLTkxZTItM2ZiMjAwOGNiMTM2VmlldFFSQm94QWNjZXNzS2V5",
                   "certificate": "MER-ECM-MER37695058", "code": "",
                   "token": {"access_token": "eyJ.x.y", "token_type": "Bearer", "expires_in": 0}})
        );
        let e = run(
            "ecommerce_sync.response",
            json!({"status": 200, "body": r#"{"clientId":"c","certificate":"MER-ECM-MER1","token":{"token_type":"Bearer","expires_in":0}}"#}),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "VietQR's ecommerce-sync reply: `token.access_token` is missing"
        );
        let e = run(
            "ecommerce_sync.response",
            json!({"status": 400, "body": r#"{"status":"FAILED","message":"E74"}"#}),
        )
        .unwrap_err();
        assert_eq!(e.vietqr.unwrap().code, "E74");
    }
}
