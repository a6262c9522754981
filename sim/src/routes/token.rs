//! Get Token (docs/protocol.md §1a): `POST /api/token_generate` checks the Basic
//! credentials (Spring httpBasic: 401 when wrong) and issues a token for
//! `--token-ttl` seconds (VietQR: 300). The ecommerce variant
//! `/api/peripheral/ecommerce/token_generate` is open to anyone with a
//! Basic header (the server does not check the password) and issues a token
//! that never expires, `expires_in: 0`.

use crate::auth::{self, Basic};
use crate::envelope::spring_error;
use crate::state::App;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use std::sync::Arc;

/// 401 with an empty body: what Spring answers to a request with no credentials.
fn unauthorized_empty() -> Response {
    let mut response = StatusCode::UNAUTHORIZED.into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Basic realm=\"Realm\""),
    );
    response
}

fn token_body(token: String, expires_in: u64) -> Response {
    Json(json!({"access_token": token, "token_type": "Bearer", "expires_in": expires_in}))
        .into_response()
}

pub async fn token_generate(State(app): State<Arc<App>>, headers: HeaderMap, uri: Uri) -> Response {
    let (username, password) = match auth::basic(&headers) {
        Basic::Missing => return unauthorized_empty(),
        Basic::Malformed => return spring_error(StatusCode::UNAUTHORIZED, uri.path()),
        Basic::Given { username, password } => (username, password),
    };
    let valid = app
        .account(&username)
        .is_some_and(|a| a.password == password);
    if !valid {
        return spring_error(StatusCode::UNAUTHORIZED, uri.path());
    }
    let ttl = app.options.token_ttl;
    token_body(auth::issue_token(&app, &username, Some(ttl)), ttl)
}

pub async fn ecommerce_token_generate(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    match auth::basic(&headers) {
        Basic::Missing => unauthorized_empty(),
        Basic::Malformed => spring_error(StatusCode::UNAUTHORIZED, uri.path()),
        Basic::Given { username, .. } => token_body(auth::issue_token(&app, &username, None), 0),
    }
}
