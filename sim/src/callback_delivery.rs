//! VietQR calling the shop for each payment (docs/protocol.md §1d, server
//! `pushNewTransactionToCustomerSync`): on every attempt it asks the shop's
//! token endpoint for a token with Basic credentials, then posts the 13-key
//! body to transaction-sync with that bearer token. A 2xx answer ends it,
//! so does HTTP 400; any other 4xx/5xx, or no answer, is tried again, up to
//! 10 attempts: the first at once, then about 1, 2, 3, 4 s, then 60 s
//! between each (all multiplied by `--retry-scale`).
//!
//! As the server does, a failed token call does not stop the attempt: the
//! transaction-sync call then goes out without `Authorization`.

use crate::config::Callback;
use crate::state::{App, Attempt, Delivery, DeliveryStatus};
use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const MAX_ATTEMPTS: u32 = 10;

/// VietQR's wait before attempt `n` (1-based): none before the first,
/// `1000·(n−1) + n` ms before attempts 2–5, 60 s before attempts 6–10.
pub fn delay_before(attempt: u32) -> Duration {
    match attempt {
        0 | 1 => Duration::ZERO,
        2..=5 => Duration::from_millis(1000 * u64::from(attempt - 1) + u64::from(attempt)),
        _ => Duration::from_secs(60),
    }
}

/// Plain-HTTP client for the shop's endpoints.
pub struct ShopClient {
    client: Client<HttpConnector, Full<Bytes>>,
    timeout: Duration,
}

/// The longest answer kept for inspection.
const ANSWER_MAX: usize = 64 * 1024;

impl ShopClient {
    pub fn new(timeout: Duration) -> Self {
        ShopClient {
            client: Client::builder(TokioExecutor::new()).build_http(),
            timeout,
        }
    }

    /// POSTs JSON; the status and body text of the answer, or why there was none.
    pub async fn post_json(
        &self,
        url: &str,
        authorization: Option<&str>,
        body: &Value,
    ) -> Result<(u16, String), String> {
        let mut request = axum::http::Request::post(url).header("Content-Type", "application/json");
        if let Some(auth) = authorization {
            request = request.header("Authorization", auth);
        }
        let request = request
            .body(Full::new(Bytes::from(body.to_string())))
            .map_err(|e| format!("cannot build the request: {e}"))?;
        let call = async {
            let response = self
                .client
                .request(request)
                .await
                .map_err(|e| format!("no answer: {}", error_chain(&e)))?;
            let status = response.status().as_u16();
            let bytes = response
                .into_body()
                .collect()
                .await
                .map_err(|e| format!("answer cut off: {e}"))?
                .to_bytes();
            let text = String::from_utf8_lossy(&bytes[..bytes.len().min(ANSWER_MAX)]).into_owned();
            Ok((status, text))
        };
        tokio::time::timeout(self.timeout, call)
            .await
            .unwrap_or_else(|_| Err(format!("no answer within {:?}", self.timeout)))
    }
}

/// "connection refused" rather than hyper's outer "client error (Connect)".
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        text = format!("{text}: {inner}");
        source = inner.source();
    }
    text
}

/// Where and how one delivery calls the shop, fixed when it starts.
#[derive(Clone)]
pub struct Target {
    pub username: String,
    pub token_url: Option<String>,
    pub transaction_sync_url: String,
    auth: TokenSource,
}

#[derive(Clone)]
enum TokenSource {
    /// Ask the token endpoint with these Basic credentials.
    Basic(String),
    /// The merchant record's static token.
    Static(String),
    /// Neither: transaction-sync goes out without `Authorization`.
    None,
}

impl Target {
    pub fn new(username: &str, callback: &Callback) -> Target {
        use base64::Engine;
        let (token_url, auth) = if callback.has_credentials() {
            let pair = format!(
                "{}:{}",
                callback.username.as_deref().unwrap_or(""),
                callback.password.as_deref().unwrap_or("")
            );
            let header = format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair)
            );
            (Some(callback.token_url()), TokenSource::Basic(header))
        } else if let Some(token) = callback.static_token() {
            (None, TokenSource::Static(token.to_string()))
        } else {
            (None, TokenSource::None)
        };
        Target {
            username: username.to_string(),
            token_url,
            transaction_sync_url: callback.transaction_sync_url(),
            auth,
        }
    }
}

/// Creates a delivery record of `body` to `target` and starts delivering it.
pub fn start(
    app: &Arc<App>,
    transaction: &str,
    body: Value,
    target: Target,
    redelivery_of: Option<u64>,
) -> u64 {
    let id = app.update(|store| {
        let id = store.deliveries.last().map_or(1, |d| d.id + 1);
        store.deliveries.push(Delivery {
            id,
            transaction: transaction.to_string(),
            username: target.username.clone(),
            redelivery_of,
            token_url: target.token_url.clone(),
            transaction_sync_url: target.transaction_sync_url.clone(),
            body: body.clone(),
            status: DeliveryStatus::InProgress,
            acknowledged: false,
            attempts: Vec::new(),
        });
        id
    });
    app.delivery_started();
    let app = app.clone();
    tokio::spawn(async move {
        run(&app, id, &target, &body).await;
        app.delivery_finished();
    });
    id
}

/// What one attempt's answer means for the delivery.
enum Verdict {
    Succeeded { acknowledged: bool },
    Failed,
    Retry,
}

fn verdict(result: &Result<(u16, String), String>) -> Verdict {
    match result {
        Ok((200..=299, body)) => Verdict::Succeeded {
            acknowledged: has_ref_transaction_id(body),
        },
        Ok((400, _)) => Verdict::Failed,
        Ok((401..=599, _)) | Err(_) => Verdict::Retry,
        // 1xx/3xx: the server treats them like 400.
        Ok(_) => Verdict::Failed,
    }
}

fn has_ref_transaction_id(body: &str) -> bool {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v.get("object")?.get("reftransactionid").cloned())
        .is_some_and(|r| !r.is_null())
}

async fn run(app: &Arc<App>, id: u64, target: &Target, body: &Value) {
    for attempt in 1..=MAX_ATTEMPTS {
        let delay = delay_before(attempt).mul_f64(app.options.retry_scale.max(0.0));
        tokio::time::sleep(delay).await;
        let at_ms = app.clock.now_ms();
        let started = Instant::now();

        let (token, token_status, token_error) = fetch_token(app, target).await;
        let authorization = token.map(|t| format!("Bearer {t}"));
        let result = app
            .shop
            .post_json(&target.transaction_sync_url, authorization.as_deref(), body)
            .await;

        let verdict = verdict(&result);
        let (status, answer, error) = match result {
            Ok((status, text)) => (Some(status), Some(text), None),
            Err(e) => (None, None, Some(e)),
        };
        if app.options.log {
            eprintln!(
                "vietqr-sim: delivery {id} attempt {attempt}: token {}, transaction-sync {}",
                token_status.map_or_else(
                    || token_error.clone().unwrap_or("skipped".into()),
                    |s| s.to_string()
                ),
                status.map_or_else(|| error.clone().unwrap_or_default(), |s| s.to_string()),
            );
        }
        let record = Attempt {
            attempt,
            delay_ms: delay.as_millis() as u64,
            at_ms,
            token_status,
            token_error,
            sent_bearer: authorization.is_some(),
            status,
            body: answer,
            error,
            duration_ms: started.elapsed().as_millis() as u64,
        };
        let finished = match verdict {
            Verdict::Succeeded { acknowledged } => Some((DeliveryStatus::Succeeded, acknowledged)),
            Verdict::Failed => Some((DeliveryStatus::Failed, false)),
            Verdict::Retry if attempt == MAX_ATTEMPTS => Some((DeliveryStatus::Failed, false)),
            Verdict::Retry => None,
        };
        app.update(|store| {
            if let Some(delivery) = store.delivery_mut(id) {
                delivery.attempts.push(record);
                if let Some((status, acknowledged)) = finished {
                    delivery.status = status;
                    delivery.acknowledged = acknowledged;
                }
            }
        });
        if finished.is_some() {
            return;
        }
    }
}

/// The token for this attempt: `(token, status of the token call, why none)`.
async fn fetch_token(app: &App, target: &Target) -> (Option<String>, Option<u16>, Option<String>) {
    let header = match &target.auth {
        TokenSource::Static(token) => return (Some(token.clone()), None, None),
        TokenSource::None => return (None, None, None),
        TokenSource::Basic(header) => header,
    };
    let url = target.token_url.as_deref().unwrap_or_default();
    match app
        .shop
        .post_json(url, Some(header), &Value::Object(Default::default()))
        .await
    {
        Ok((status @ 200..=299, text)) => {
            let token = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| v.get("access_token")?.as_str().map(str::to_string))
                .filter(|t| !t.is_empty());
            match token {
                Some(token) => (Some(token), Some(status), None),
                None => (
                    None,
                    Some(status),
                    Some("the answer has no access_token".into()),
                ),
            }
        }
        Ok((status, _)) => (None, Some(status), Some(format!("HTTP {status}"))),
        Err(e) => (None, None, Some(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietqr_schedule() {
        let ms: Vec<u128> = (1..=10).map(|n| delay_before(n).as_millis()).collect();
        assert_eq!(
            ms,
            [0, 1002, 2003, 3004, 4005, 60_000, 60_000, 60_000, 60_000, 60_000]
        );
    }

    #[test]
    fn verdicts() {
        let v = |r: Result<(u16, String), String>| match verdict(&r) {
            Verdict::Succeeded { acknowledged } => format!("ok {acknowledged}"),
            Verdict::Failed => "failed".into(),
            Verdict::Retry => "retry".into(),
        };
        assert_eq!(
            v(Ok((200, r#"{"object":{"reftransactionid":"x"}}"#.into()))),
            "ok true"
        );
        assert_eq!(v(Ok((204, String::new()))), "ok false");
        assert_eq!(v(Ok((400, String::new()))), "failed");
        assert_eq!(v(Ok((401, String::new()))), "retry");
        assert_eq!(v(Ok((503, String::new()))), "retry");
        assert_eq!(v(Err("refused".into())), "retry");
        assert_eq!(v(Ok((302, String::new()))), "failed");
    }
}
