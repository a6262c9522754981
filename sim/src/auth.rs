//! Who is calling: Basic credentials on the token endpoints, bearer tokens
//! everywhere else, checked the way VietQR.vn's Spring server does.
//!
//! Tokens look like the server's HS512 JWTs (header, claims with `user` =
//! Base64(username), signature) but are opaque to the simulator: it keeps
//! every token it issued and looks them up, so nothing needs signing.
//!
//! Refusals: no `Authorization: Bearer …` or something that is not a JWT →
//! HTTP 403 from Spring Security; a well-formed token the simulator never
//! issued, or one that expired → E74 "invalid token" (HTTP 400), the code
//! the reference gives for an invalid token on every Bearer endpoint.

use crate::envelope::Reject;
use crate::state::{App, IssuedToken};
use axum::http::{header, HeaderMap, StatusCode};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::json;

/// Basic credentials of a request.
pub enum Basic {
    /// No `Authorization` header, or not Basic.
    Missing,
    /// Basic, but not Base64 of `user:password`.
    Malformed,
    Given {
        username: String,
        password: String,
    },
}

pub fn basic(headers: &HeaderMap) -> Basic {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return Basic::Missing;
    };
    // The server checks the scheme case-insensitively.
    let (scheme, rest) = value.split_at_checked(5).unwrap_or_default();
    if !scheme.eq_ignore_ascii_case("basic") {
        return Basic::Missing;
    }
    let decoded = STANDARD
        .decode(rest.trim())
        .ok()
        .and_then(|raw| String::from_utf8(raw).ok());
    match decoded.as_deref().and_then(|text| text.split_once(':')) {
        Some((username, password)) => Basic::Given {
            username: username.to_string(),
            password: password.to_string(),
        },
        None => Basic::Malformed,
    }
}

/// Issues a token for `username`; `ttl_secs` `None` never expires.
pub fn issue_token(app: &App, username: &str, ttl_secs: Option<u64>) -> String {
    let now = app.clock.now_ms();
    let expires_at_ms = ttl_secs.map(|ttl| now + ttl * 1000);
    app.update(|store| {
        let mut claims = json!({
            "authorities": ["ROLE_USER"],
            "user": STANDARD.encode(username),
            "iat": now / 1000,
        });
        if let Some(exp) = expires_at_ms {
            claims["exp"] = json!(exp / 1000);
        }
        // `jti` keeps two tokens issued in the same second distinct.
        claims["jti"] = json!(store.ids.uuid());
        let token = format!(
            "{}.{}.{}",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"HS512"}"#),
            URL_SAFE_NO_PAD.encode(claims.to_string()),
            URL_SAFE_NO_PAD.encode(store.ids.bytes(64)),
        );
        store.tokens.insert(
            token.clone(),
            IssuedToken {
                username: username.to_string(),
                issued_at_ms: now,
                expires_at_ms,
            },
        );
        token
    })
}

/// The token of `Authorization: Bearer <token>`, if that header is there.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    // Spring's filter matches the prefix exactly.
    value.strip_prefix("Bearer ")
}

/// Three non-empty Base64url parts: what the JWT parser accepts as a JWT.
fn looks_like_jwt(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Spring Security's part: a JWT must be there (else 403 at `path`).
pub fn require_jwt<'h>(headers: &'h HeaderMap, path: &str) -> Result<&'h str, Reject> {
    match bearer_token(headers) {
        Some(token) if looks_like_jwt(token) => Ok(token),
        _ => Err(Reject::Spring {
            status: StatusCode::FORBIDDEN,
            path: path.to_string(),
        }),
    }
}

/// The controller's part: the user of a token the simulator issued and
/// that has not expired (else E74).
pub fn token_user(app: &App, token: &str) -> Result<String, Reject> {
    let now = app.clock.now_ms();
    app.read(|store| match store.tokens.get(token) {
        Some(t) if t.expires_at_ms.is_none_or(|exp| now < exp) => Ok(t.username.clone()),
        _ => Err(Reject::Failed("E74")),
    })
}

/// Both parts: the caller of a Bearer endpoint.
pub fn caller(app: &App, headers: &HeaderMap, path: &str) -> Result<String, Reject> {
    let token = require_jwt(headers, path)?;
    token_user(app, token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(auth: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_str(auth).unwrap());
        h
    }

    #[test]
    fn basic_parsing() {
        // docs/protocol.md §3.2: the Host-to-Client doc's example.
        match basic(&headers("Basic bmhhdGxpbmg6MzcyNTY0OTc2MzE=")) {
            Basic::Given { username, password } => {
                assert_eq!(
                    (username.as_str(), password.as_str()),
                    ("nhatlinh", "37256497631")
                )
            }
            _ => panic!("not parsed"),
        }
        assert!(matches!(basic(&HeaderMap::new()), Basic::Missing));
        assert!(matches!(basic(&headers("Bearer x")), Basic::Missing));
        assert!(matches!(basic(&headers("Basic !!!")), Basic::Malformed));
        assert!(matches!(
            basic(&headers("basic bm9jb2xvbg==")),
            Basic::Malformed
        ));
    }

    #[test]
    fn jwt_shape() {
        assert!(looks_like_jwt("eyJhbGciOiJIUzUxMiJ9.e30.c2ln"));
        assert!(!looks_like_jwt("abc"));
        assert!(!looks_like_jwt("a..b"));
        assert!(!looks_like_jwt("a.b.c d"));
    }
}
