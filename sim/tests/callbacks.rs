//! VietQR calling the shop: the token call, then transaction-sync with the
//! 13 lowercase keys, retries on errors other than 400, redelivery of the
//! same transaction, against a test shop that answers through the core.

mod common;

use common::*;
use serde_json::{json, Value};

/// The test callback for a QR from generate-customer, as a shop would send it.
fn test_callback(sim: &vietqr_sim::Sim, token: &str, qr: &Value) -> Answer {
    post(
        &format!("{}/bank/api/test/transaction-callback", sim.base_url()),
        Some(&bearer(token)),
        Some(
            &json!({"bankAccount": ACCOUNT, "content": qr["content"], "amount": qr["amount"],
                     "transType": "C", "bankCode": "MB"}),
        ),
    )
}

#[test]
fn token_then_transaction_sync_with_the_13_keys() {
    let shop = TestShop::start();
    let sim = start_with_shop(&shop);
    let token = token(&sim, USER, PASSWORD);
    let sign = core(
        "callback.sign",
        json!({"secret": SHOP_SECRET, "order_id": "DH5001", "bank_account": ACCOUNT}),
    )["sign"]
        .as_str()
        .unwrap()
        .to_string();
    let qr = generate(&sim, &token, "DH5001", 25000, &sign);
    let a = test_callback(&sim, &token, &qr);
    assert_eq!(a.status, 200, "{}", a.text);
    let transaction_id = a.json["message"].as_str().unwrap().to_string();

    let deliveries = deliveries(&sim);
    assert_eq!(deliveries.len(), 1);
    let d = &deliveries[0];
    assert_eq!(d["status"], "succeeded", "{d}");
    assert_eq!(d["acknowledged"], true);
    assert_eq!(d["attempts"].as_array().unwrap().len(), 1);
    assert_eq!(d["attempts"][0]["token_status"], 200);
    assert_eq!(d["attempts"][0]["status"], 200);
    assert_eq!(d["attempts"][0]["sent_bearer"], true);

    // The token call: Basic with the shop's credentials, body {}.
    let tokens = shop.token_requests();
    assert_eq!(tokens.len(), 1);
    assert_eq!(
        tokens[0].authorization.as_deref(),
        Some(basic(SHOP_USER, SHOP_PASSWORD).as_str())
    );
    assert_eq!(tokens[0].body, "{}");

    // Transaction-sync: the shop's own token, exactly the 13 keys, their types.
    let syncs = shop.sync_requests();
    assert_eq!(syncs.len(), 1);
    assert!(syncs[0]
        .authorization
        .as_deref()
        .unwrap()
        .starts_with("Bearer vqr1."));
    assert_eq!(syncs[0].answered, 200);
    let body: Value = serde_json::from_str(&syncs[0].body).unwrap();
    let mut keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "amount",
            "bankaccount",
            "content",
            "orderId",
            "referencenumber",
            "serviceCode",
            "sign",
            "subTerminalCode",
            "terminalCode",
            "transType",
            "transactionid",
            "transactiontime",
            "urlLink",
        ]
    );
    assert_eq!(body["transactionid"], transaction_id.as_str());
    assert_eq!(body["amount"], 25000, "a JSON number");
    assert!(
        body["transactiontime"].as_u64().unwrap() > 1_000_000_000_000,
        "milliseconds"
    );
    assert!(body["referencenumber"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{USER}-")));
    assert_eq!(body["content"], qr["content"]);
    assert_eq!(body["bankaccount"], ACCOUNT);
    assert_eq!(body["transType"], "C");
    assert_eq!(body["orderId"], "DH5001");
    assert_eq!(body["sign"], sign.as_str());
    for key in ["terminalCode", "urlLink", "subTerminalCode", "serviceCode"] {
        assert_eq!(body[key], "", "{key}");
    }
    // The core accepted it: the shop's answer is in the record.
    let answer: Value = serde_json::from_str(d["attempts"][0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(answer["errorReason"], "000");
    assert_eq!(
        answer["object"]["reftransactionid"],
        transaction_id.as_str()
    );
}

#[test]
fn retries_after_500_then_succeeds() {
    let shop = TestShop::start();
    let sim = start_with_shop(&shop);
    let token = token(&sim, USER, PASSWORD);
    shop.force(&[500, 503]);
    let qr = generate(&sim, &token, "DH5002", 1000, "");
    assert_eq!(test_callback(&sim, &token, &qr).status, 200);
    let d = &deliveries(&sim)[0];
    assert_eq!(d["status"], "succeeded", "{d}");
    let attempts = d["attempts"].as_array().unwrap();
    let statuses: Vec<&Value> = attempts.iter().map(|a| &a["status"]).collect();
    assert_eq!(statuses, [&json!(500), &json!(503), &json!(200)]);
    // VietQR's schedule (0, 1002 ms, 2003 ms) times --retry-scale 0.001.
    let delays: Vec<u64> = attempts
        .iter()
        .map(|a| a["delay_ms"].as_u64().unwrap())
        .collect();
    assert_eq!(delays, [0, 1, 2]);
    // A fresh token for every attempt, as VietQR asks each time.
    assert_eq!(shop.token_requests().len(), 3);
    let ids: Vec<Value> = shop
        .sync_requests()
        .iter()
        .map(|s| serde_json::from_str::<Value>(&s.body).unwrap()["transactionid"].clone())
        .collect();
    assert!(
        ids.iter().all(|id| *id == ids[0]),
        "the same transaction each time"
    );
}

#[test]
fn no_retry_after_400() {
    let shop = TestShop::start();
    let sim = start_with_shop(&shop);
    let token = token(&sim, USER, PASSWORD);
    shop.force(&[400]);
    let qr = generate(&sim, &token, "DH5003", 1000, "");
    assert_eq!(test_callback(&sim, &token, &qr).status, 200);
    let d = &deliveries(&sim)[0];
    assert_eq!(d["status"], "failed");
    assert_eq!(d["attempts"].as_array().unwrap().len(), 1);
    assert_eq!(shop.sync_requests().len(), 1);

    // The core itself answers 400 to a debit: delivered once, not retried.
    let a = post(
        &format!("{}/bank/api/test/transaction-callback", sim.base_url()),
        Some(&bearer(&token)),
        Some(
            &json!({"bankAccount": ACCOUNT, "content": "REFUND", "amount": 500, "transType": "D"}),
        ),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    let all = deliveries(&sim);
    let d = all.last().unwrap();
    assert_eq!(
        (d["status"].clone(), d["attempts"].as_array().unwrap().len()),
        (json!("failed"), 1)
    );
    let answer: Value = serde_json::from_str(d["attempts"][0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(answer["errorReason"], "003");
}

#[test]
fn ten_attempts_then_gives_up() {
    let shop = TestShop::start();
    let sim = start_with_shop(&shop);
    // The shop's token endpoint refuses these credentials: VietQR sends the
    // transaction without a token, the shop answers 401, and that is retried.
    let put_answer = put(
        &format!("{}/sim/accounts/{USER}/callback", sim.root_url()),
        &json!({"base_url": shop.base_url(), "username": SHOP_USER, "password": "wrong"}),
    );
    assert_eq!(put_answer.status, 200, "{}", put_answer.text);
    pay(
        &sim,
        json!({"bankAccount": ACCOUNT, "content": "CK DH5004", "amount": 7000}),
    );
    let d = &deliveries(&sim)[0];
    assert_eq!(d["status"], "failed");
    let attempts = d["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 10);
    assert!(attempts
        .iter()
        .all(|a| a["token_status"] == 401 && a["sent_bearer"] == false && a["status"] == 401));
    let delays: Vec<u64> = attempts
        .iter()
        .map(|a| a["delay_ms"].as_u64().unwrap())
        .collect();
    assert_eq!(delays, [0, 1, 2, 3, 4, 60, 60, 60, 60, 60]);
    assert!(shop
        .sync_requests()
        .iter()
        .all(|s| s.authorization.is_none()));

    // Nobody listening: network errors are retried the same way.
    let dead = dead_url();
    put(
        &format!("{}/sim/accounts/{USER}/callback", sim.root_url()),
        &json!({"base_url": dead, "username": "a", "password": "b"}),
    );
    pay(
        &sim,
        json!({"bankAccount": ACCOUNT, "content": "CK DH5005", "amount": 7000}),
    );
    let all = deliveries(&sim);
    let d = all.last().unwrap();
    assert_eq!(d["status"], "failed");
    assert_eq!(d["attempts"].as_array().unwrap().len(), 10);
    assert!(
        d["attempts"][0]["error"]
            .as_str()
            .unwrap()
            .contains("refused"),
        "{d}"
    );
}

#[test]
fn redelivery_repeats_the_same_transaction() {
    let shop = TestShop::start();
    let sim = start_with_shop(&shop);
    let token = token(&sim, USER, PASSWORD);
    let qr = generate(&sim, &token, "DH5006", 3000, "");
    let paid = pay(&sim, json!({"transactionRefId": qr["transactionRefId"]}));
    assert_eq!(paid["matched"], true);
    assert_eq!(paid["deliveries"], json!([1]));
    deliveries(&sim);

    let a = post(
        &format!("{}/sim/deliveries/1/redeliver?times=5", sim.root_url()),
        None,
        None,
    );
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json["deliveries"], json!([2, 3, 4, 5, 6]));
    let all = deliveries(&sim);
    assert_eq!(all.len(), 6);
    assert!(all
        .iter()
        .all(|d| d["status"] == "succeeded" && d["body"] == all[0]["body"]));
    assert!(all[1..].iter().all(|d| d["redelivery_of"] == 1));
    let syncs = shop.sync_requests();
    assert_eq!(syncs.len(), 6);
    assert!(
        syncs.iter().all(|s| s.body == syncs[0].body),
        "byte-for-byte the same body"
    );

    assert_eq!(
        get(&format!("{}/sim/deliveries/1", sim.root_url()), None).json["id"],
        1
    );
    assert_eq!(
        get(&format!("{}/sim/deliveries/99", sim.root_url()), None).status,
        404
    );
    let a = post(
        &format!("{}/sim/deliveries/1/redeliver?times=0", sim.root_url()),
        None,
        None,
    );
    assert_eq!(a.status, 400);
}

#[test]
fn a_payment_of_another_amount_is_not_matched_to_the_qr() {
    let shop = TestShop::start();
    let sim = start_with_shop(&shop);
    let token = token(&sim, USER, PASSWORD);
    let qr = generate(&sim, &token, "DH5007", 9000, "");
    // Server: the QR is found by trace id AND amount; otherwise the payment
    // is "outside VietQR" (type 2) and carries no orderId.
    let paid = pay(
        &sim,
        json!({"transactionRefId": qr["transactionRefId"], "amount": 8000}),
    );
    assert_eq!(paid["matched"], false);
    assert_eq!(paid["transaction"]["qr_type"], 2);
    let d = &deliveries(&sim)[0];
    assert_eq!(d["body"]["orderId"], "");
    assert_eq!(d["body"]["amount"], 8000);
    assert_eq!(d["body"]["content"], qr["content"]);
    // An upper-cased content still finds the QR (the bank app may do that).
    let upper = qr["content"].as_str().unwrap().to_uppercase();
    let paid = pay(&sim, json!({"content": upper, "amount": 9000}));
    assert_eq!(paid["matched"], true);
    assert_eq!(paid["transaction"]["order_id"], "DH5007");
}
