//! What the simulator's tests share: a configured simulator on an
//! OS-assigned port, a blocking HTTP client, and a test shop that answers
//! VietQR's callbacks through the `vietqr` core, as the plugin will.

#![allow(dead_code)]

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing;
use axum::Router;
use base64::Engine;
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use vietqr_sim::{Config, Options, Sim};

pub const USER: &str = "shop-user";
pub const PASSWORD: &str = "shop-api-password";
pub const SECRET_KEY: &str = "refund-secret-key";
pub const OTHER_USER: &str = "other-user";
pub const OTHER_PASSWORD: &str = "other-password";
pub const ACCOUNT: &str = "0123456789";
pub const NO_REFUND_ACCOUNT: &str = "257678859";
pub const OTHER_ACCOUNT: &str = "1023456789";
pub const MID: &str = "MER12345678";
pub const SHOP_USER: &str = "vietqr-callback";
pub const SHOP_PASSWORD: &str = "callback-password";
/// The shop's HMAC secret for the bearer tokens it issues (core: ≥ 16 bytes).
pub const SHOP_SECRET: &str = "test-shop-secret-0123456789";

/// The accounts every test uses; `callback_base` is the test shop's URL.
pub fn config(callback_base: Option<&str>, environment: &str) -> Config {
    let callback = callback_base
        .map(|base| json!({"base_url": base, "username": SHOP_USER, "password": SHOP_PASSWORD}));
    let text = json!({
        "environment": environment,
        "seed": 42,
        "accounts": [
            {
                "username": USER, "password": PASSWORD, "secret_key": SECRET_KEY, "ecommerce": true,
                "bank_accounts": [
                    {"bank_code": "MB", "bank_account": ACCOUNT, "user_bank_name": "Nguyen Van A"},
                    {"bank_code": "970416", "bank_account": NO_REFUND_ACCOUNT, "user_bank_name": "NGUYEN VAN A", "refund": false}
                ],
                "merchants": [{"mid": MID, "name": "Cua hang A"}],
                "callback": callback,
            },
            {
                "username": OTHER_USER, "password": OTHER_PASSWORD,
                "bank_accounts": [{"bank_code": "VCB", "bank_account": OTHER_ACCOUNT, "user_bank_name": "TRAN THI B"}]
            }
        ]
    });
    Config::from_json(&text.to_string(), false).expect("test config is valid")
}

/// Options for tests: VietQR's retry schedule shrunk a thousandfold.
pub fn options() -> Options {
    Options {
        retry_scale: 0.001,
        ..Options::default()
    }
}

pub fn start_sim(config: Config) -> Sim {
    Sim::start("127.0.0.1:0".parse().unwrap(), config, options()).expect("simulator starts")
}

/// A simulator whose accounts call `shop` back.
pub fn start_with_shop(shop: &TestShop) -> Sim {
    start_sim(config(Some(&shop.base_url()), "sandbox"))
}

// ------------------------------------------------------------------ HTTP

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

/// An HTTP answer: status, body text, and the body as JSON when it is JSON.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub text: String,
    pub json: Value,
    pub www_authenticate: Option<String>,
}

fn answer(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    let mut response = result.expect("the simulator answers");
    let status = response.status().as_u16();
    let www_authenticate = response
        .headers()
        .get("WWW-Authenticate")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let text = response.body_mut().read_to_string().unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        text,
        json,
        www_authenticate,
    }
}

/// POSTs `body` (JSON, or nothing when `None`) with an optional `Authorization`.
pub fn post(url: &str, authorization: Option<&str>, body: Option<&Value>) -> Answer {
    let mut request = agent().post(url).header("Content-Type", "application/json");
    if let Some(auth) = authorization {
        request = request.header("Authorization", auth);
    }
    answer(match body {
        Some(b) => request.send(b.to_string()),
        None => request.send_empty(),
    })
}

/// POSTs raw bytes as JSON.
pub fn post_raw(url: &str, authorization: Option<&str>, body: &str) -> Answer {
    let mut request = agent().post(url).header("Content-Type", "application/json");
    if let Some(auth) = authorization {
        request = request.header("Authorization", auth);
    }
    answer(request.send(body.to_string()))
}

pub fn put(url: &str, body: &Value) -> Answer {
    answer(
        agent()
            .put(url)
            .header("Content-Type", "application/json")
            .send(body.to_string()),
    )
}

pub fn get(url: &str, authorization: Option<&str>) -> Answer {
    let mut request = agent().get(url);
    if let Some(auth) = authorization {
        request = request.header("Authorization", auth);
    }
    answer(request.call())
}

pub fn basic(username: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"))
    )
}

/// A 300-second token for `username`.
pub fn token(sim: &Sim, username: &str, password: &str) -> String {
    let a = post(
        &format!("{}/api/token_generate", sim.base_url()),
        Some(&basic(username, password)),
        None,
    );
    assert_eq!(a.status, 200, "{}", a.text);
    a.json["access_token"].as_str().unwrap().to_string()
}

pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// Asserts VietQR's FAILED envelope with `code` in `message`, HTTP 400.
#[track_caller]
pub fn assert_failed(a: &Answer, code: &str) {
    assert_eq!(
        (a.status, &a.json),
        (400, &json!({"status": "FAILED", "message": code})),
        "{}",
        a.text
    );
}

/// A dynamic QR for `order_id` on the main account; the generate-customer reply.
pub fn generate(sim: &Sim, token: &str, order_id: &str, amount: i64, sign: &str) -> Value {
    let a = post(
        &format!("{}/api/qr/generate-customer", sim.base_url()),
        Some(&bearer(token)),
        Some(&json!({
            "bankCode": "MB", "bankAccount": ACCOUNT, "userBankName": "NGUYEN VAN A",
            "content": order_id, "qrType": 0, "amount": amount, "orderId": order_id,
            "transType": "C", "sign": sign,
        })),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    a.json
}

/// Pays through `/sim/pay`; what it recorded.
pub fn pay(sim: &Sim, body: Value) -> Value {
    let a = post(&format!("{}/sim/pay", sim.root_url()), None, Some(&body));
    assert_eq!(a.status, 200, "{}", a.text);
    a.json
}

/// Every delivery, once none is under way.
pub fn deliveries(sim: &Sim) -> Vec<Value> {
    let a = get(
        &format!(
            "{}/sim/deliveries?wait=true&timeout_ms=20000",
            sim.root_url()
        ),
        None,
    );
    assert_eq!(a.status, 200, "{}", a.text);
    a.json.as_array().unwrap().clone()
}

pub fn advance_clock(sim: &Sim, seconds: i64) {
    let a = post(
        &format!("{}/sim/clock", sim.root_url()),
        None,
        Some(&json!({"advance_seconds": seconds})),
    );
    assert_eq!(a.status, 200, "{}", a.text);
}

/// A loopback URL where nothing listens (the port was free a moment ago).
pub fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}/shop")
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// `vietqr::call` that must succeed; its value.
#[track_caller]
pub fn core(op: &str, input: Value) -> Value {
    let out = vietqr::call(op, input);
    assert_eq!(out["ok"], true, "{op}: {out}");
    out["value"].clone()
}

// -------------------------------------------------------------- test shop

/// One request the shop received and what it answered.
#[derive(Debug, Clone)]
pub struct Seen {
    pub authorization: Option<String>,
    pub body: String,
    pub answered: u16,
}

#[derive(Default)]
pub struct ShopLog {
    pub token_requests: Vec<Seen>,
    pub sync_requests: Vec<Seen>,
    /// Statuses to answer transaction-sync with before answering normally.
    pub forced: VecDeque<u16>,
}

/// The shop's side of VietQR's callbacks, answered by the core's
/// `callback.token` and `callback.transaction_sync` ops.
pub struct TestShop {
    addr: std::net::SocketAddr,
    pub log: Arc<Mutex<ShopLog>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

type Shared = Arc<Mutex<ShopLog>>;

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

async fn shop_token(
    State(log): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let authorization = header(&headers, "authorization");
    let out = core(
        "callback.token",
        json!({"authorization": authorization.clone().unwrap_or_default(), "username": SHOP_USER,
               "password": SHOP_PASSWORD, "secret": SHOP_SECRET, "now": now()}),
    );
    let status = out["status"].as_u64().unwrap() as u16;
    log.lock().unwrap().token_requests.push(Seen {
        authorization,
        body: String::from_utf8_lossy(&body).into_owned(),
        answered: status,
    });
    (
        StatusCode::from_u16(status).unwrap(),
        axum::Json(out["body"].clone()),
    )
}

async fn shop_sync(
    State(log): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> impl IntoResponse {
    let authorization = header(&headers, "authorization");
    let text = String::from_utf8_lossy(&body).into_owned();
    let forced = log.lock().unwrap().forced.pop_front();
    let (status, reply) = match forced {
        Some(status) => (
            status,
            json!({"error": true, "errorReason": "005", "toastMessage": "forced by the test", "object": null}),
        ),
        None => {
            let out = core(
                "callback.transaction_sync",
                json!({"authorization": authorization.clone().unwrap_or_default(), "body": text,
                       "secret": SHOP_SECRET, "now": now()}),
            );
            (out["status"].as_u64().unwrap() as u16, out["body"].clone())
        }
    };
    log.lock().unwrap().sync_requests.push(Seen {
        authorization,
        body: text,
        answered: status,
    });
    (StatusCode::from_u16(status).unwrap(), axum::Json(reply))
}

impl TestShop {
    pub fn start() -> TestShop {
        let log: Shared = Arc::default();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let router = Router::new()
            .route("/shop/api/token_generate", routing::post(shop_token))
            .route("/shop/bank/api/transaction-sync", routing::post(shop_sync))
            .with_state(log.clone());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                axum::serve(listener, router)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await
                    .unwrap();
            })
        });
        TestShop {
            addr,
            log,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// What the simulator's config calls the shop's base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}/shop", self.addr)
    }

    /// Answer transaction-sync with these statuses first.
    pub fn force(&self, statuses: &[u16]) {
        self.log.lock().unwrap().forced.extend(statuses);
    }

    pub fn sync_requests(&self) -> Vec<Seen> {
        self.log.lock().unwrap().sync_requests.clone()
    }

    pub fn token_requests(&self) -> Vec<Seen> {
        self.log.lock().unwrap().token_requests.clone()
    }
}

impl Drop for TestShop {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
