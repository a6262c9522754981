//! Host-to-Client (docs/protocol.md §1e–§1g).
//!
//! `POST /api/ecommerce` registers a shop site: the caller's token must be
//! the configured ecommerce account's (E05 otherwise, and E05 for anything
//! but a Bearer token, as the reference says); the checksum is
//! MD5(password + ":" + site + "VietQRAccesskey") (E74 when wrong). The
//! same site, byte for byte, gets the same clientId and certificate again.
//!
//! `POST /api/ecommerce/active` is what the VietQR app sends when the owner
//! scans the certificate and picks a bank account: E163 for an unknown
//! certificate, E25 for a bank account VietQR does not know; then N22 goes
//! to the site's clientId and payments to that account are pushed as N05.
//! `GET /api/ecommerce/active?ecommerceCode=…` reads the profile back (E164).

use crate::auth;
use crate::banks;
use crate::body::JsonBody;
use crate::checksum;
use crate::config::BankAccount;
use crate::envelope::{success_data, Reject};
use crate::state::{App, Registration};
use crate::ws;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

pub async fn sync(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Reject> {
    // The controller reads the user out of the token itself and answers
    // E05 when it cannot.
    let token = auth::bearer_token(&headers).ok_or(Reject::Failed("E05"))?;
    let username = auth::token_user(&app, token)?;
    let account = app
        .account(&username)
        .filter(|a| a.ecommerce)
        .ok_or(Reject::Failed("E05"))?;
    let body = JsonBody::parse(&body).ok_or(Reject::Failed("E46"))?;
    let read = |key| body.text(key).map_err(|_| Reject::Failed("E46"));
    // A missing site or checksum cannot match: the server's checksum test fails.
    let site = read("ecommerceSite")?.ok_or(Reject::Failed("E74"))?;
    let sent = read("checkSum")?.ok_or(Reject::Failed("E74"))?;
    let webhook = read("webhook")?.unwrap_or_default();
    if sent != checksum::ecommerce_sync(&account.password, &site) {
        return Err(Reject::Failed("E74"));
    }

    let registration = app.update(|store| {
        if let Some(existing) = store
            .registrations
            .iter()
            .find(|r| r.ecommerce_site == site)
        {
            return existing.clone();
        }
        let id = store.ids.uuid();
        let publish_id = format!("MER{}", store.ids.digits(8));
        let registration = Registration {
            client_id: URL_SAFE_NO_PAD.encode(format!("{id}VietQRBoxAccessKey")),
            id,
            username: username.clone(),
            ecommerce_site: site.clone(),
            webhook: webhook.clone(),
            certificate: format!("MER-ECM-{publish_id}"),
            publish_id,
            active: false,
            profile: json!({}),
            bank_accounts: Vec::new(),
        };
        store.registrations.push(registration.clone());
        registration
    });
    let token = auth::issue_token(&app, &username, None);
    Ok(Json(json!({
        "webhook": webhook,
        "clientId": registration.client_id,
        "certificate": registration.certificate,
        "code": "",
        "token": {"access_token": token, "token_type": "Bearer", "expires_in": 0},
    }))
    .into_response())
}

/// The profile fields of `EcommerceActiveDTO`, kept as sent.
const PROFILE_FIELDS: [&str; 10] = [
    "fullName",
    "name",
    "nationalId",
    "email",
    "phoneNo",
    "address",
    "webhook",
    "career",
    "businessType",
    "website",
];

pub async fn activate(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Result<Response, Reject> {
    auth::caller(&app, &headers, uri.path())?;
    let body = JsonBody::parse(&body).ok_or(Reject::Failed("E46"))?;
    let read = |key| body.text_or_empty(key).map_err(|_| Reject::Failed("E46"));
    let certificate = read("certificate")?;
    let bank_account = read("bankAccount")?;
    let bank_code = read("bankCode")?;

    let found = app.read(|s| {
        s.registrations
            .iter()
            .find(|r| r.certificate == certificate)
            .cloned()
    });
    let registration = found.ok_or(Reject::Failed("E163"))?;
    let bank = banks::lookup(&bank_code).ok_or(Reject::Failed("E25"))?;
    let known = app
        .bank_account(&bank_account, Some(bank.code))
        .cloned()
        .ok_or(Reject::Failed("E25"))?;

    let profile: serde_json::Map<String, Value> = PROFILE_FIELDS
        .iter()
        .filter_map(|k| body.value(k).map(|v| (k.to_string(), v.clone())))
        .collect();
    app.update(|store| {
        if let Some(r) = store
            .registrations
            .iter_mut()
            .find(|r| r.certificate == certificate)
        {
            r.active = true;
            r.profile = Value::Object(profile);
            let linked = r
                .bank_accounts
                .iter()
                .any(|b| b.bank_account == known.bank_account && b.bank_code == known.bank_code);
            if !linked {
                r.bank_accounts.push(BankAccount {
                    bank_code: known.bank_code.clone(),
                    bank_account: known.bank_account.clone(),
                    user_bank_name: known.user_bank_name.clone(),
                    refund: known.refund,
                });
            }
        }
    });
    ws::push(
        &app,
        &registration.client_id,
        &[
            ("notificationType", "N22".into()),
            ("bankAccount", known.bank_account.clone()),
            ("userBankName", known.user_bank_name.clone()),
            ("bankCode", known.bank_code.clone()),
            ("ecommerceSite", registration.ecommerce_site.clone()),
        ],
    );
    Ok(success_data(json!("")))
}

#[derive(Deserialize)]
pub struct ProfileQuery {
    #[serde(rename = "ecommerceCode")]
    ecommerce_code: Option<String>,
}

pub async fn profile(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<ProfileQuery>,
) -> Result<Response, Reject> {
    auth::caller(&app, &headers, uri.path())?;
    let code = query.ecommerce_code.unwrap_or_default();
    let registration = app
        .read(|s| {
            s.registrations
                .iter()
                .find(|r| r.certificate == code)
                .cloned()
        })
        .ok_or(Reject::Failed("E164"))?;
    let field = |k: &str| {
        registration
            .profile
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let business_type = registration
        .profile
        .get("businessType")
        .and_then(|v| v.as_i64().or_else(|| v.as_str()?.parse().ok()))
        .unwrap_or(0);
    Ok(Json(json!({
        "fullName": field("fullName"),
        "website": registration.ecommerce_site,
        "name": field("name"),
        "bankAccount": "",
        "bankCode": "",
        "certificate": registration.certificate,
        "nationalId": field("nationalId"),
        "email": field("email"),
        "phoneNo": field("phoneNo"),
        "address": field("address"),
        "webhook": field("webhook"),
        "career": field("career"),
        "businessType": business_type,
    }))
    .into_response())
}
