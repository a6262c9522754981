//! The simulator's own endpoints under `/sim`.

mod common;

use common::*;
use serde_json::json;

#[test]
fn state_shows_no_secrets() {
    let shop = TestShop::start();
    let sim = start_with_shop(&shop);
    let token = token(&sim, USER, PASSWORD);
    let a = get(&format!("{}/sim/state", sim.root_url()), None);
    assert_eq!(a.status, 200, "{}", a.text);
    for secret in [
        PASSWORD,
        SECRET_KEY,
        SHOP_PASSWORD,
        OTHER_PASSWORD,
        token.as_str(),
    ] {
        assert!(!a.text.contains(secret), "/sim/state shows a secret");
    }
    let user = &a.json["accounts"][0];
    assert_eq!(user["username"], USER);
    assert_eq!(user["callback"]["auth"], "basic");
    assert_eq!(
        user["callback"]["transaction_sync_url"],
        format!("{}/bank/api/transaction-sync", shop.base_url())
    );
    assert_eq!(a.json["accounts"][1]["callback"], json!(null));
    assert_eq!(a.json["options"]["retry_scale"], 0.001);
    assert_eq!(a.json["store"]["tokens"], 1);
}

#[test]
fn pay_callback_clock_and_reset() {
    let shop = TestShop::start();
    let sim = start_with_shop(&shop);
    let root = sim.root_url();

    // /sim/pay needs something to pay.
    let a = post(&format!("{root}/sim/pay"), None, Some(&json!({})));
    assert_eq!(a.status, 400);
    let a = post(
        &format!("{root}/sim/pay"),
        None,
        Some(&json!({"transactionRefId": "nope"})),
    );
    assert_eq!(a.status, 404);
    let a = post(
        &format!("{root}/sim/pay"),
        None,
        Some(&json!({"content": "CK"})),
    );
    assert_eq!(a.status, 400, "no QR, so the account and amount are needed");
    let paid = pay(
        &sim,
        json!({"bankAccount": ACCOUNT, "content": "CK tien hang", "amount": 1234}),
    );
    assert_eq!(paid["matched"], false);
    assert!(paid["transaction"]["reference_number"]
        .as_str()
        .unwrap()
        .starts_with("FT"));
    assert_eq!(deliveries(&sim)[0]["status"], "succeeded");
    let rows = get(&format!("{root}/sim/transactions"), None).json;
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["bank_code"], "MB");

    // Callbacks are checked when set: plain HTTP, on this machine.
    let url = format!("{root}/sim/accounts/{USER}/callback");
    assert_eq!(
        put(&url, &json!({"base_url": "http://example.com"})).status,
        400
    );
    assert_eq!(
        put(&url, &json!({"base_url": "https://127.0.0.1"})).status,
        400
    );
    assert_eq!(
        put(
            &url,
            &json!({"base_url": "http://127.0.0.1:1", "username": "a"})
        )
        .status,
        400
    );
    assert_eq!(
        put(
            &format!("{root}/sim/accounts/nobody/callback"),
            &json!(null)
        )
        .status,
        404
    );
    // Removing it: the account is no longer registered for callbacks.
    assert_eq!(put(&url, &json!(null)).status, 200);
    let token = token(&sim, USER, PASSWORD);
    let a = post(
        &format!("{}/bank/api/test/transaction-callback", sim.base_url()),
        Some(&bearer(&token)),
        Some(&json!({"bankAccount": ACCOUNT, "content": "X", "amount": 1, "transType": "C"})),
    );
    assert_failed(&a, "E76");

    let a = post(
        &format!("{root}/sim/clock"),
        None,
        Some(&json!({"advance_seconds": 60})),
    );
    assert_eq!(a.json["offset_ms"], 60_000);
    assert_eq!(
        post(&format!("{root}/sim/clock"), None, Some(&json!({}))).status,
        400
    );

    let a = post(&format!("{root}/sim/reset"), None, None);
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(
        get(&format!("{root}/sim/transactions"), None).json,
        json!([])
    );
    assert_eq!(get(&format!("{root}/sim/deliveries"), None).json, json!([]));
    assert_eq!(get(&format!("{root}/sim/refunds"), None).json, json!([]));
    // Tokens are forgotten too.
    let a = generate_with(&sim, &token);
    assert_failed(&a, "E74");
}

fn generate_with(sim: &vietqr_sim::Sim, token: &str) -> Answer {
    post(
        &format!("{}/api/qr/generate-customer", sim.base_url()),
        Some(&bearer(token)),
        Some(
            &json!({"bankCode": "MB", "bankAccount": ACCOUNT, "userBankName": "A", "content": "X", "amount": 1}),
        ),
    )
}
