//! Get Token (docs/protocol.md §1a): Basic credentials in, a Bearer JWT out.
//!
//! `/api/token_generate` checks the credentials (Spring httpBasic: wrong ones
//! give HTTP 401) and its token lasts 300 s. The `ecommerce` variant,
//! `/api/peripheral/ecommerce/token_generate`, gives a token that never
//! expires (`expires_in` 0) for the Host-to-Client flow.

use super::{endpoint, post, success_json, Auth, Fields, HttpRequest, Reply, Secret};
use crate::checksum::basic_auth;
use crate::error::{Code, Error, Result};
use crate::input::input_struct;
use serde::Serialize;
use serde_json::json;

input_struct! {
    #[derive(Debug, Clone)]
    pub struct TokenRequest {
        pub base_url: String,
        pub username: String,
        pub password: Secret,
        /// The non-expiring ecommerce token instead of the 300-second one.
        pub ecommerce: bool = false,
    }
}

pub fn request(i: TokenRequest) -> Result<HttpRequest> {
    let path = if i.ecommerce {
        "/api/peripheral/ecommerce/token_generate"
    } else {
        "/api/token_generate"
    };
    let url = endpoint(&i.base_url, path)?;
    super::require("username", &i.username, "the API username VietQR gave you")?;
    if i.username.contains(':') {
        // Basic auth joins username and password with ':'
        return Err(Error::new(
            Code::InvalidField,
            "username must not contain ':'",
        ));
    }
    if i.password.0.is_empty() {
        return Err(super::missing(
            "password",
            "the API password VietQR gave you",
        ));
    }
    post(url, basic_auth(&i.username, &i.password.0), json!({}))
}

/// VietQR's `TokenDTO`, as the token endpoints and ecommerce sync send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Token {
    pub access_token: String,
    /// Always "Bearer".
    pub token_type: String,
    /// Seconds; 0 means the token does not expire.
    pub expires_in: i64,
}

pub fn response(reply: Reply) -> Result<Token> {
    let json = success_json(&reply, "token", Auth::Basic)?;
    read(&Fields::of("token", &json)?)
}

/// A `TokenDTO` object. `expires_in` is a JSON number; some doc pages call
/// it a string, so digits in a string are taken too.
pub(crate) fn read(f: &Fields) -> Result<Token> {
    Ok(Token {
        access_token: f.text("access_token")?,
        token_type: f.string("token_type")?,
        expires_in: f.int("expires_in")?,
    })
}

#[cfg(test)]
mod tests {
    use crate::api::dispatch;
    use serde_json::{json, Value};

    fn ok(op: &str, input: Value) -> Value {
        dispatch(op, input).unwrap().unwrap()
    }

    fn err(op: &str, input: Value) -> (&'static str, String) {
        let e = dispatch(op, input).unwrap().unwrap_err();
        (e.code.as_str(), e.message)
    }

    #[test]
    fn request_uses_basic_auth_of_the_docs_sample() {
        // docs/protocol.md §1a / §3.2: the Get Token page's curl.
        let r = ok(
            "token.request",
            json!({"base_url": "https://dev.vietqr.org/vqr/", "username": "customer-vietqrtest-user2468",
                   "password": "Y3VzdG9tZXItdmlldHFydGVzdC11c2VyMjQ2OA=="}),
        );
        assert_eq!(
            r,
            json!({"method": "POST", "url": "https://dev.vietqr.org/vqr/api/token_generate",
                   "headers": {"Content-Type": "application/json",
                               "Authorization": "Basic Y3VzdG9tZXItdmlldHFydGVzdC11c2VyMjQ2ODpZM1Z6ZEc5dFpYSXRkbWxsZEhGeWRHVnpkQzExYzJWeU1qUTJPQT09"},
                   "body": {}})
        );
    }

    #[test]
    fn ecommerce_token_path() {
        let r = ok(
            "token.request",
            json!({"base_url": "https://api.vietqr.org/vqr", "username": "nhatlinh", "password": "37256497631", "ecommerce": true}),
        );
        assert_eq!(
            r["url"],
            "https://api.vietqr.org/vqr/api/peripheral/ecommerce/token_generate"
        );
        assert_eq!(
            r["headers"]["Authorization"],
            "Basic bmhhdGxpbmg6MzcyNTY0OTc2MzE="
        );
    }

    #[test]
    fn request_errors() {
        let base = "https://dev.vietqr.org/vqr";
        assert_eq!(
            err(
                "token.request",
                json!({"base_url": base, "username": "", "password": "p"})
            ),
            (
                "missing_field",
                "username is required: the API username VietQR gave you".into()
            )
        );
        assert_eq!(
            err(
                "token.request",
                json!({"base_url": base, "username": "a:b", "password": "p"})
            ),
            ("invalid_field", "username must not contain ':'".into())
        );
        assert_eq!(
            err(
                "token.request",
                json!({"base_url": base, "username": "u", "password": ""})
            ),
            (
                "missing_field",
                "password is required: the API password VietQR gave you".into()
            )
        );
        let (code, message) = err(
            "token.request",
            json!({"base_url": base, "username": "u", "password": "p", "pwd": "x"}),
        );
        assert_eq!(code, "invalid_input");
        assert!(message.starts_with("unknown field `pwd`"), "{message}");
    }

    #[test]
    fn response_ok() {
        let body = r#"{"access_token":"eyJhbGciOiJIUzUxMiJ9.e30.sig","token_type":"Bearer","expires_in":300}"#;
        assert_eq!(
            ok("token.response", json!({"status": 200, "body": body})),
            json!({"access_token": "eyJhbGciOiJIUzUxMiJ9.e30.sig", "token_type": "Bearer", "expires_in": 300})
        );
        // some doc pages type expires_in as a string
        let body = r#"{"access_token":"t","token_type":"Bearer","expires_in":"300"}"#;
        assert_eq!(
            ok("token.response", json!({"status": 200, "body": body}))["expires_in"],
            300
        );
    }

    #[test]
    fn response_401_is_wrong_credentials() {
        let spring = r#"{"timestamp":"2024-05-01T01:02:03.000+00:00","status":401,"error":"Unauthorized","message":"","path":"/vqr/api/token_generate"}"#;
        for body in [spring, ""] {
            let e = dispatch("token.response", json!({"status": 401, "body": body}))
                .unwrap()
                .unwrap_err();
            assert_eq!(e.code.as_str(), "vietqr_unauthorized");
            assert_eq!(
                e.message,
                "VietQR answered HTTP 401: wrong API username or password. Check the API username and password VietQR gave you; sandbox (dev.vietqr.org) and production (api.vietqr.org) have different ones."
            );
            let v = e.vietqr.unwrap();
            assert_eq!(
                (v.code.as_str(), v.vi.as_str()),
                ("HTTP 401", "Sai tên đăng nhập hoặc mật khẩu API")
            );
        }
    }

    #[test]
    fn response_bad_replies() {
        assert_eq!(
            err(
                "token.response",
                json!({"status": 200, "body": r#"{"token_type":"Bearer","expires_in":300}"#})
            ),
            (
                "vietqr_bad_reply",
                "VietQR's token reply: `access_token` is missing".into()
            )
        );
        assert_eq!(
            err(
                "token.response",
                json!({"status": 200, "body": r#"{"access_token":"","token_type":"Bearer","expires_in":300}"#})
            ),
            (
                "vietqr_bad_reply",
                "VietQR's token reply: `access_token` is empty".into()
            )
        );
        assert_eq!(
            err(
                "token.response",
                json!({"status": 200, "body": r#"{"access_token":"t","token_type":"Bearer","expires_in":"soon"}"#})
            ),
            (
                "vietqr_bad_reply",
                "VietQR's token reply: `expires_in` must be a whole number".into()
            )
        );
    }
}
