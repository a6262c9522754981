//! The core's request builders (`api.*.request`) talking to the simulator,
//! their replies read by `api.*.response`: every endpoint succeeds, and a
//! wrong checksum, an expired token and a bad body each come back as the
//! right E-code. The simulator's checksums are its own, so this checks the
//! core against an independent implementation.

mod common;

use common::*;
use serde_json::{json, Value};

/// Sends what `api.*.request` built; the reply as `api.*.response` takes it.
fn send(request: &Value) -> Value {
    assert_eq!(request["method"], "POST");
    assert_eq!(request["headers"]["Content-Type"], "application/json");
    let a = post(
        request["url"].as_str().unwrap(),
        request["headers"]["Authorization"].as_str(),
        Some(&request["body"]),
    );
    json!({"status": a.status, "body": a.text})
}

/// Builds, sends and reads one call: the `vietqr::call` output of the response op.
fn api(endpoint: &str, input: Value) -> Value {
    let request = core(&format!("api.{endpoint}.request"), input);
    vietqr::call(&format!("api.{endpoint}.response"), send(&request))
}

#[track_caller]
fn ok(out: Value) -> Value {
    assert_eq!(out["ok"], true, "{out}");
    out["value"].clone()
}

/// The E-code (or "HTTP 403"…) of a refusal the core read.
#[track_caller]
fn refusal(out: &Value) -> (String, String) {
    assert_eq!(out["ok"], false, "{out}");
    (
        out["error"]["code"].as_str().unwrap().to_string(),
        out["error"]["vietqr"]["code"]
            .as_str()
            .unwrap_or("")
            .to_string(),
    )
}

fn e(code: &str) -> (String, String) {
    ("vietqr_error".into(), code.into())
}

#[test]
fn every_endpoint_through_the_core() {
    let shop = TestShop::start();
    let sim = start_with_shop(&shop);
    let base = sim.base_url();

    let token = ok(api(
        "token",
        json!({"base_url": base, "username": USER, "password": PASSWORD}),
    ));
    assert_eq!(
        (token["token_type"].as_str(), token["expires_in"].as_i64()),
        (Some("Bearer"), Some(300))
    );
    let token = token["access_token"].as_str().unwrap().to_string();

    // Generate a dynamic QR with the shop's own sign, pay it by test callback.
    let sign = core(
        "callback.sign",
        json!({"secret": SHOP_SECRET, "order_id": "DH7001", "bank_account": ACCOUNT}),
    )["sign"]
        .clone();
    let qr = ok(api(
        "generate_customer",
        json!({"base_url": base, "token": token, "bank_code": "970422", "bank_account": ACCOUNT,
               "user_bank_name": "Nguyen Van A", "content": "DH7001", "amount": 120000,
               "order_id": "DH7001", "sign": sign}),
    ));
    assert_eq!(qr["amount"], 120000);
    assert_eq!(qr["bank_code"], "MB");
    let content = qr["content"].as_str().unwrap().to_string();
    assert!(
        content.starts_with("VQR") && content.ends_with(" DH7001"),
        "{content}"
    );
    assert_eq!(
        core("payload.parse", json!({"payload": qr["qr_code"]}))["purpose"],
        content.as_str()
    );

    let paid = ok(api(
        "test_callback",
        json!({"base_url": base, "token": token, "bank_code": "MB", "bank_account": ACCOUNT,
               "content": content, "amount": 120000}),
    ));
    let transaction_id = paid["transaction_id"].as_str().unwrap().to_string();
    let delivered = deliveries(&sim);
    assert_eq!(delivered[0]["status"], "succeeded");
    assert_eq!(
        delivered[0]["body"]["transactionid"],
        transaction_id.as_str()
    );

    // Check the order (both paths), then refund part of it.
    let rows = ok(api(
        "check_order",
        json!({"base_url": base, "token": token, "username": USER, "bank_account": ACCOUNT,
               "by": "order_id", "value": "DH7001"}),
    ));
    assert_eq!(rows.as_array().unwrap().len(), 1);
    let row = &rows[0];
    assert_eq!(
        (
            row["status"].as_i64(),
            row["amount"].as_i64(),
            row["type"].as_i64()
        ),
        (Some(1), Some(120000), Some(0))
    );
    let reference = row["reference_number"].as_str().unwrap().to_string();
    let by_reference = ok(api(
        "check_order",
        json!({"base_url": base, "token": token, "username": USER, "bank_account": ACCOUNT,
               "by": "reference_number", "value": reference, "ecommerce": false}),
    ));
    assert_eq!(by_reference[0]["order_id"], "DH7001");

    let refunded = ok(api(
        "refund",
        json!({"base_url": base, "token": token, "secret_key": SECRET_KEY, "bank_code": "MB",
               "bank_account": ACCOUNT, "reference_number": reference, "amount": 20000,
               "content": "Hoan tien DH7001", "multi_times": true}),
    ));
    assert!(refunded["refund_code"].as_str().unwrap().starts_with("FT"));

    // Points of sale.
    let terminals = ok(api(
        "tid_sync",
        json!({"base_url": base, "token": token, "password": PASSWORD,
               "terminals": [{"mid": MID, "terminal_name": "Quay 1", "terminal_code": "Q1",
                              "terminal_address": "1 Le Loi", "bank_account": ACCOUNT, "bank_code": "MB"}]}),
    ));
    assert!(terminals[0]["tid"].as_str().unwrap().starts_with("TER"));

    // Host-to-Client: the ecommerce token, then ecommerce sync; its token
    // generates QR codes too.
    let forever = ok(api(
        "token",
        json!({"base_url": base, "username": USER, "password": PASSWORD, "ecommerce": true}),
    ));
    assert_eq!(forever["expires_in"], 0);
    let synced = ok(api(
        "ecommerce_sync",
        json!({"base_url": base, "token": forever["access_token"], "password": PASSWORD,
               "ecommerce_site": "http://127.0.0.1:8080/wp", "webhook": "http://127.0.0.1:8080/wp/hook"}),
    ));
    assert!(synced["certificate"]
        .as_str()
        .unwrap()
        .starts_with("MER-ECM-MER"));
    assert_eq!(synced["token"]["expires_in"], 0);
    let again = ok(api(
        "generate_customer",
        json!({"base_url": base, "token": synced["token"]["access_token"], "bank_code": "MB",
               "bank_account": ACCOUNT, "user_bank_name": "NGUYEN VAN A", "content": "DH7002",
               "amount": 5000, "order_id": "DH7002"}),
    ));
    assert_eq!(again["order_id"], "DH7002");
}

#[test]
fn wrong_checksums_expired_tokens_and_bad_bodies() {
    let sim = start_sim(config(Some(&dead_url()), "sandbox"));
    let base = sim.base_url();
    let token = token(&sim, USER, PASSWORD);

    // Wrong checksums: each endpoint's own code.
    let out = api(
        "check_order",
        json!({"base_url": base, "token": token, "username": "not-the-token-user", "bank_account": ACCOUNT,
               "by": "order_id", "value": "DH1"}),
    );
    assert_eq!(refusal(&out), e("E39"));
    let out = api(
        "ecommerce_sync",
        json!({"base_url": base, "token": token, "password": "wrong-password", "ecommerce_site": "http://127.0.0.1/wp"}),
    );
    assert_eq!(refusal(&out), e("E74"));
    let out = api(
        "tid_sync",
        json!({"base_url": base, "token": token, "password": "wrong-password",
               "terminals": [{"mid": MID, "terminal_name": "Q", "terminal_code": "Q9",
                              "terminal_address": "A", "bank_account": ACCOUNT, "bank_code": "MB"}]}),
    );
    assert_eq!(refusal(&out), e("E39"));
    let out = api(
        "refund",
        json!({"base_url": base, "token": token, "secret_key": "wrong-key", "bank_code": "MB",
               "bank_account": ACCOUNT, "reference_number": "FT123", "amount": 1000, "content": "x"}),
    );
    assert_eq!(refusal(&out), e("E39"));

    // A bad body (what the core would never build): E46.
    let generate = json!({"base_url": base, "token": token, "bank_code": "MB", "bank_account": ACCOUNT,
                          "user_bank_name": "NGUYEN VAN A", "content": "DH1", "amount": 1000, "order_id": "DH1"});
    let mut request = core("api.generate_customer.request", generate.clone());
    request["body"]["qrType"] = json!(2);
    let out = vietqr::call("api.generate_customer.response", send(&request));
    assert_eq!(refusal(&out), e("E46"));
    let mut request = core("api.generate_customer.request", generate.clone());
    request["body"]
        .as_object_mut()
        .unwrap()
        .remove("bankAccount");
    let out = vietqr::call("api.generate_customer.response", send(&request));
    assert_eq!(refusal(&out), e("E46"));
    let mut request = core(
        "api.check_order.request",
        json!({"base_url": base, "token": token,
        "username": USER, "bank_account": ACCOUNT, "by": "order_id", "value": "DH1"}),
    );
    request["body"]["type"] = json!(5);
    let out = vietqr::call("api.check_order.response", send(&request));
    assert_eq!(refusal(&out), e("E95"));

    // Not a JWT at all: Spring's 403, which the core reads as unauthorized.
    let mut bad_token = generate.clone();
    bad_token["token"] = json!("not-a-jwt");
    assert_eq!(
        refusal(&api("generate_customer", bad_token)),
        ("vietqr_unauthorized".into(), "HTTP 403".into())
    );
    // Wrong API password: 401.
    let out = api(
        "token",
        json!({"base_url": base, "username": USER, "password": "nope"}),
    );
    assert_eq!(
        refusal(&out),
        ("vietqr_unauthorized".into(), "HTTP 401".into())
    );

    // An expired token: E74 everywhere.
    advance_clock(&sim, 300);
    assert_eq!(refusal(&api("generate_customer", generate)), e("E74"));
    let out = api(
        "test_callback",
        json!({"base_url": base, "token": token, "bank_code": "MB", "bank_account": ACCOUNT,
               "content": "VQR0123456789 DH1", "amount": 1000}),
    );
    assert_eq!(refusal(&out), e("E74"));
    let out = api(
        "check_order",
        json!({"base_url": base, "token": token, "username": USER, "bank_account": ACCOUNT,
               "by": "order_id", "value": "DH1"}),
    );
    assert_eq!(refusal(&out), e("E74"));
}
