//! Each VietQR.vn endpoint of the simulator over real HTTP: its success and
//! its main E-codes, in VietQR's envelopes.

mod common;

use common::*;
use serde_json::{json, Value};

fn url(sim: &vietqr_sim::Sim, path: &str) -> String {
    format!("{}{path}", sim.base_url())
}

#[test]
fn token_generate() {
    let sim = start_sim(config(None, "sandbox"));
    let a = post(
        &url(&sim, "/api/token_generate"),
        Some(&basic(USER, PASSWORD)),
        None,
    );
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json["token_type"], "Bearer");
    assert_eq!(a.json["expires_in"], 300);
    let token = a.json["access_token"].as_str().unwrap();
    assert_eq!(token.split('.').count(), 3, "JWT-like: {token}");
    assert!(token.starts_with("eyJhbGciOiJIUzUxMiJ9."));

    // Wrong password: Spring's 401 with its JSON body and Basic challenge.
    let a = post(
        &url(&sim, "/api/token_generate"),
        Some(&basic(USER, "nope")),
        None,
    );
    assert_eq!(a.status, 401);
    assert_eq!(a.json["status"], 401);
    assert_eq!(a.json["error"], "Unauthorized");
    assert_eq!(a.json["path"], "/vqr/api/token_generate");
    assert_eq!(a.www_authenticate.as_deref(), Some("Basic realm=\"Realm\""));
    // Unknown user, and no credentials at all (empty body).
    assert_eq!(
        post(
            &url(&sim, "/api/token_generate"),
            Some(&basic("who", "x")),
            None
        )
        .status,
        401
    );
    let a = post(&url(&sim, "/api/token_generate"), None, None);
    assert_eq!((a.status, a.text.as_str()), (401, ""));

    // The ecommerce variant: any Basic header, a token that never expires.
    let a = post(
        &url(&sim, "/api/peripheral/ecommerce/token_generate"),
        Some(&basic(USER, "not checked")),
        None,
    );
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json["expires_in"], 0);
    let forever = a.json["access_token"].as_str().unwrap().to_string();
    advance_clock(&sim, 10 * 365 * 86_400);
    let a = generate_raw(&sim, &forever, json!({}));
    assert_eq!(a.status, 200, "{}", a.text);
}

fn generate_body(extra: Value) -> Value {
    let mut body = json!({
        "bankCode": "MB", "bankAccount": ACCOUNT, "userBankName": "Nguyen Van A", "content": "DH1001",
        "qrType": 0, "amount": 150000, "orderId": "DH1001", "transType": "C", "sign": "s1",
        "urlLink": "http://127.0.0.1/thanks", "note": "n"
    });
    for (k, v) in extra.as_object().unwrap() {
        if v.is_null() {
            body.as_object_mut().unwrap().remove(k);
        } else {
            body[k] = v.clone();
        }
    }
    body
}

fn generate_raw(sim: &vietqr_sim::Sim, token: &str, extra: Value) -> Answer {
    post(
        &url(sim, "/api/qr/generate-customer"),
        Some(&bearer(token)),
        Some(&generate_body(extra)),
    )
}

#[test]
fn generate_customer_dynamic() {
    let sim = start_sim(config(None, "sandbox"));
    let token = token(&sim, USER, PASSWORD);
    let a = generate_raw(&sim, &token, json!({}));
    assert_eq!(a.status, 200, "{}", a.text);
    let r = &a.json;
    let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
    for key in [
        "bankCode",
        "bankName",
        "bankAccount",
        "userBankName",
        "amount",
        "content",
        "qrCode",
        "imgId",
        "existing",
        "transactionId",
        "transactionRefId",
        "qrLink",
        "terminalCode",
        "subTerminalCode",
        "serviceCode",
        "orderId",
        "additionalData",
        "vaAccount",
    ] {
        assert!(keys.contains(&key), "{key} missing from {r}");
    }
    assert_eq!(r["bankCode"], "MB");
    assert_eq!(r["bankName"], "Ngân hàng TMCP Quân đội");
    assert_eq!(r["userBankName"], "NGUYEN VAN A");
    assert_eq!(
        r["amount"], "150000",
        "a string, as the server's DTO has it"
    );
    assert_eq!(r["existing"], 1);
    assert_eq!(r["orderId"], "DH1001");
    assert_eq!(r["additionalData"], json!([]));
    // "VQR" + 10 hex + " " + the content, and the QR carries exactly that.
    let content = r["content"].as_str().unwrap();
    assert_eq!(content.len(), 13 + 1 + 6, "{content}");
    assert!(
        content.starts_with("VQR") && content.ends_with(" DH1001"),
        "{content}"
    );
    assert!(
        content[3..13].bytes().all(|b| b.is_ascii_hexdigit()),
        "{content}"
    );
    let ref_id = r["transactionRefId"].as_str().unwrap();
    assert!(!ref_id.is_empty());
    assert_eq!(
        r["qrLink"],
        format!("https://vietqr.vn/test/qr-generated?token={ref_id}")
    );
    // The core parses the payload (CRC included): initiation 11, as VietQR emits.
    let parsed = core("payload.parse", json!({"payload": r["qrCode"]}));
    assert_eq!(parsed["bin"], "970422");
    assert_eq!(parsed["account"], ACCOUNT);
    assert_eq!(parsed["amount"], 150000);
    assert_eq!(parsed["purpose"], content);
    assert_eq!(parsed["initiation"], "static");

    // A BIN is taken for its bank code; reconciliation false keeps the content.
    let a = generate_raw(
        &sim,
        &token,
        json!({"bankCode": "970422", "reconciliation": false}),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(
        (a.json["bankCode"].as_str(), a.json["content"].as_str()),
        (Some("MB"), Some("DH1001"))
    );
}

#[test]
fn generate_customer_static_and_semi_dynamic() {
    let sim = start_sim(config(None, "sandbox"));
    let token = token(&sim, USER, PASSWORD);
    let a = generate_raw(
        &sim,
        &token,
        json!({"qrType": 1, "amount": null, "orderId": null, "terminalCode": "CH01", "content": "Ban 5"}),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json["content"], "SQRCH01 Ban 5");
    assert_eq!(a.json["amount"], "");
    let parsed = core("payload.parse", json!({"payload": a.json["qrCode"]}));
    assert_eq!(
        (parsed["amount"].clone(), parsed["purpose"].clone()),
        (Value::Null, json!("SQRCH01 Ban 5"))
    );

    let a = generate_raw(
        &sim,
        &token,
        json!({"qrType": 3, "orderId": null, "terminalCode": "CH01", "serviceCode": "SP01", "content": "Ly tra"}),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json["content"], "Ly tra");
    let parsed = core("payload.parse", json!({"payload": a.json["qrCode"]}));
    assert_eq!(parsed["purpose"], "SMQRSP01 Ly tra");
    assert_eq!(parsed["amount"], 150000);
}

#[test]
fn generate_customer_errors() {
    let sim = start_sim(config(None, "sandbox"));
    let token = token(&sim, USER, PASSWORD);
    assert_failed(
        &generate_raw(&sim, &token, json!({"bankCode": "XYZ"})),
        "E24",
    );
    assert_failed(
        &generate_raw(&sim, &token, json!({"content": "A".repeat(51)})),
        "E26",
    );
    assert_failed(
        &generate_raw(
            &sim,
            &token,
            json!({"qrType": 1, "terminalCode": "T1", "content": "A".repeat(21)}),
        ),
        "E26",
    );
    assert_failed(&generate_raw(&sim, &token, json!({"qrType": 2})), "E46");
    assert_failed(
        &generate_raw(&sim, &token, json!({"qrType": "dynamic"})),
        "E46",
    );
    assert_failed(
        &generate_raw(&sim, &token, json!({"bankAccount": null})),
        "E46",
    );
    assert_failed(&generate_raw(&sim, &token, json!({"amount": null})), "E46");
    assert_failed(&generate_raw(&sim, &token, json!({"amount": 0})), "E46");
    assert_failed(
        &generate_raw(&sim, &token, json!({"transType": "X"})),
        "E46",
    );
    assert_failed(
        &generate_raw(&sim, &token, json!({"qrType": 1, "terminalCode": null})),
        "E46",
    );
    let a = post_raw(
        &url(&sim, "/api/qr/generate-customer"),
        Some(&bearer(&token)),
        "{not json",
    );
    assert_failed(&a, "E46");

    // Spring Security first: no token, or not a JWT → 403 with its body.
    for auth in [
        None,
        Some(basic(USER, PASSWORD)),
        Some("Bearer not-a-jwt".to_string()),
    ] {
        let a = post(
            &url(&sim, "/api/qr/generate-customer"),
            auth.as_deref(),
            Some(&generate_body(json!({}))),
        );
        assert_eq!(a.status, 403, "{auth:?}: {}", a.text);
        assert_eq!(a.json["error"], "Forbidden");
        assert_eq!(a.json["path"], "/vqr/api/qr/generate-customer");
    }
    // A JWT the simulator never issued, and an expired one: E74.
    assert_failed(
        &generate_raw(&sim, "eyJhbGciOiJIUzUxMiJ9.e30.c2ln", json!({})),
        "E74",
    );
    advance_clock(&sim, 300);
    assert_failed(&generate_raw(&sim, &token, json!({})), "E74");
}

fn ecommerce_sync(sim: &vietqr_sim::Sim, token: &str, site: &str, password: &str) -> Answer {
    let check_sum = core(
        "checksum.ecommerce_sync",
        json!({"password": password, "ecommerce_site": site}),
    );
    post(
        &url(sim, "/api/ecommerce"),
        Some(&bearer(token)),
        Some(
            &json!({"ecommerceSite": site, "checkSum": check_sum, "webhook": format!("{site}/hook")}),
        ),
    )
}

#[test]
fn ecommerce_sync_and_activation() {
    let sim = start_sim(config(None, "sandbox"));
    let token = token(&sim, USER, PASSWORD);
    let site = "http://127.0.0.1:8080/shop";
    let first = ecommerce_sync(&sim, &token, site, PASSWORD);
    assert_eq!(first.status, 200, "{}", first.text);
    let cert = first.json["certificate"].as_str().unwrap();
    assert!(
        cert.starts_with("MER-ECM-MER") && cert.len() == 19,
        "{cert}"
    );
    assert_eq!(first.json["webhook"], format!("{site}/hook"));
    assert_eq!(first.json["token"]["expires_in"], 0);
    assert_eq!(first.json["token"]["token_type"], "Bearer");
    // clientId = Base64url(customerSyncId + "VietQRBoxAccessKey").
    let client_id = first.json["clientId"].as_str().unwrap();
    use base64::Engine;
    let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(client_id)
        .unwrap();
    assert!(String::from_utf8(decoded)
        .unwrap()
        .ends_with("VietQRBoxAccessKey"));

    // The same site gets the same certificate and clientId; another site another.
    let again = ecommerce_sync(&sim, &token, site, PASSWORD);
    assert_eq!(again.json["certificate"], first.json["certificate"]);
    assert_eq!(again.json["clientId"], first.json["clientId"]);
    let other = ecommerce_sync(&sim, &token, "http://127.0.0.1:8080/shop/", PASSWORD);
    assert_ne!(other.json["certificate"], first.json["certificate"]);

    // Wrong checksum E74; not the ecommerce account E05; Basic auth E05.
    assert_failed(&ecommerce_sync(&sim, &token, site, "wrong"), "E74");
    let other_token = token_for(&sim, OTHER_USER, OTHER_PASSWORD);
    assert_failed(
        &ecommerce_sync(&sim, &other_token, site, OTHER_PASSWORD),
        "E05",
    );
    let a = post(
        &url(&sim, "/api/ecommerce"),
        Some(&basic(USER, PASSWORD)),
        Some(&json!({"ecommerceSite": site, "checkSum": "x"})),
    );
    assert_failed(&a, "E05");

    // Activation: unknown certificate E163, unknown account E25, then success.
    let activate = |cert: &str, account: &str, code: &str| {
        post(
            &url(&sim, "/api/ecommerce/active"),
            Some(&bearer(&token)),
            Some(
                &json!({"certificate": cert, "bankAccount": account, "bankCode": code,
                         "fullName": "Nguyen Van A", "businessType": 0, "website": site}),
            ),
        )
    };
    assert_failed(&activate("MER-ECM-MER00000000", ACCOUNT, "MB"), "E163");
    assert_failed(&activate(cert, "999999", "MB"), "E25");
    assert_failed(&activate(cert, ACCOUNT, "VCB"), "E25");
    let a = activate(cert, ACCOUNT, "MB");
    assert_eq!(
        (a.status, &a.json),
        (200, &json!({"status": "SUCCESS", "data": ""})),
        "{}",
        a.text
    );
    let a = get(
        &url(&sim, &format!("/api/ecommerce/active?ecommerceCode={cert}")),
        Some(&bearer(&token)),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(
        (a.json["fullName"].as_str(), a.json["website"].as_str()),
        (Some("Nguyen Van A"), Some(site))
    );
    let a = get(
        &url(&sim, "/api/ecommerce/active?ecommerceCode=MER-ECM-X"),
        Some(&bearer(&token)),
    );
    assert_failed(&a, "E164");
}

fn token_for(sim: &vietqr_sim::Sim, user: &str, password: &str) -> String {
    token(sim, user, password)
}

fn terminal(extra: Value) -> Value {
    let checksum = core(
        "checksum.tid_sync",
        json!({"password": PASSWORD, "bank_code": "MB", "bank_account": ACCOUNT}),
    );
    let mut t = json!({"mid": MID, "terminalName": "Quay 1", "terminalCode": "Q1",
                       "terminalAddress": "1 Le Loi", "bankAccount": ACCOUNT, "bankCode": "MB", "checkSum": checksum});
    for (k, v) in extra.as_object().unwrap() {
        if v.is_null() {
            t.as_object_mut().unwrap().remove(k);
        } else {
            t[k] = v.clone();
        }
    }
    t
}

#[test]
fn tid_synchronize() {
    let sim = start_sim(config(None, "sandbox"));
    let token = token(&sim, USER, PASSWORD);
    let sync = |terminals: Vec<Value>| {
        post(
            &url(&sim, "/api/tid/synchronize/v1"),
            Some(&bearer(&token)),
            Some(&json!({"terminals": terminals})),
        )
    };
    let a = sync(vec![
        terminal(json!({})),
        terminal(json!({"terminalCode": "Q2", "mid": null, "merchantName": "Cua hang A"})),
    ]);
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json["status"], "SUCCESS");
    let data = a.json["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    let tid = data[0]["tid"].as_str().unwrap();
    assert!(tid.starts_with("TER") && tid.len() == 11, "{tid}");
    assert_eq!(data[1]["terminalCode"], "Q2");
    // The same terminal code again: the same tid.
    let a = sync(vec![terminal(json!({}))]);
    assert_eq!(a.json["data"][0]["tid"], tid);

    assert_failed(
        &sync(vec![terminal(json!({"checkSum": "0".repeat(32)}))]),
        "E39",
    );
    assert_failed(&sync(vec![terminal(json!({"terminalName": null}))]), "E46");
    assert_failed(&sync(vec![terminal(json!({"mid": null}))]), "E46");
    assert_failed(&sync(vec![]), "E46");
    assert_failed(&sync(vec![terminal(json!({"mid": "MER00000000"}))]), "E104");
    let dup = sync(vec![terminal(json!({})), terminal(json!({}))]);
    assert_eq!(
        (dup.status, &dup.json),
        (400, &json!({"status": "FAILED", "data": "E153"}))
    );
    let unknown_account = core(
        "checksum.tid_sync",
        json!({"password": PASSWORD, "bank_code": "MB", "bank_account": "555"}),
    );
    let a = sync(vec![terminal(
        json!({"bankAccount": "555", "checkSum": unknown_account}),
    )]);
    assert_eq!(a.json, json!({"status": "FAILED", "data": "E101"}));
    let bad_bank = core(
        "checksum.tid_sync",
        json!({"password": PASSWORD, "bank_code": "XYZ", "bank_account": ACCOUNT}),
    );
    let a = sync(vec![terminal(
        json!({"bankCode": "XYZ", "checkSum": bad_bank}),
    )]);
    assert_eq!(a.json, json!({"status": "FAILED", "data": "E24"}));
    // An account without merchants.
    let other = token_for(&sim, OTHER_USER, OTHER_PASSWORD);
    let a = post(
        &url(&sim, "/api/tid/synchronize/v1"),
        Some(&bearer(&other)),
        Some(&json!({"terminals": [terminal(json!({}))]})),
    );
    assert_failed(&a, "E104");
}

/// A paid order on the main account (through the simulator's buyer): its
/// reference number.
fn paid_order(sim: &vietqr_sim::Sim, token: &str, order_id: &str, amount: i64) -> String {
    let qr = generate(sim, token, order_id, amount, "");
    let paid = pay(sim, json!({"transactionRefId": qr["transactionRefId"]}));
    assert_eq!(paid["matched"], true);
    paid["transaction"]["reference_number"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn check_order() {
    let sim = start_sim(config(Some(&dead_url()), "sandbox"));
    let token = token(&sim, USER, PASSWORD);
    let reference = paid_order(&sim, &token, "DH2001", 50000);
    let check_sum = core(
        "checksum.check_order",
        json!({"bank_account": ACCOUNT, "username": USER}),
    );
    let check =
        |path: &str, body: Value| post(&url(&sim, path), Some(&bearer(&token)), Some(&body));
    let ecommerce = "/api/ecommerce-transactions/check-order";

    let a = check(
        ecommerce,
        json!({"bankAccount": ACCOUNT, "type": 0, "value": "DH2001", "checkSum": check_sum}),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    let row = &a.json[0];
    assert_eq!(a.json.as_array().unwrap().len(), 1);
    assert_eq!(row["referenceNumber"], reference.as_str());
    assert_eq!(
        (
            row["status"].clone(),
            row["type"].clone(),
            row["amount"].clone()
        ),
        (json!(1), json!(0), json!(50000))
    );
    assert_eq!(
        (row["refundCount"].clone(), row["amountRefunded"].clone()),
        (json!(0), json!(0))
    );
    assert!(row["timePaid"].as_u64().unwrap() >= row["timeCreated"].as_u64().unwrap());
    // By reference number, on the regular path, with `type` as a string of digits.
    let a = check(
        "/api/transactions/check-order",
        json!({"bankAccount": ACCOUNT, "type": "1", "value": reference, "checkSum": check_sum}),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json[0]["orderId"], "DH2001");
    // An unpaid QR is listed with status 0 and no reference number yet.
    generate(&sim, &token, "DH2002", 1000, "");
    let a = check(
        ecommerce,
        json!({"bankAccount": ACCOUNT, "type": 0, "value": "DH2002", "checkSum": check_sum}),
    );
    assert_eq!(
        (
            a.json[0]["status"].clone(),
            a.json[0]["referenceNumber"].clone()
        ),
        (json!(0), json!(""))
    );

    assert_failed(
        &check(
            ecommerce,
            json!({"bankAccount": ACCOUNT, "type": 0, "value": "DH2001", "checkSum": "x"}),
        ),
        "E39",
    );
    assert_failed(
        &check(
            ecommerce,
            json!({"bankAccount": ACCOUNT, "type": 0, "value": "", "checkSum": check_sum}),
        ),
        "E46",
    );
    assert_failed(
        &check(
            ecommerce,
            json!({"bankAccount": ACCOUNT, "type": 2, "value": "DH2001", "checkSum": check_sum}),
        ),
        "E95",
    );
    assert_failed(
        &check(
            ecommerce,
            json!({"bankAccount": ACCOUNT, "value": "DH2001", "checkSum": check_sum}),
        ),
        "E95",
    );
    assert_failed(
        &check(
            ecommerce,
            json!({"bankAccount": ACCOUNT, "type": 0, "value": "NOPE", "checkSum": check_sum}),
        ),
        "E96",
    );
    // The regular path wants a merchant with a callback: E77 for one without.
    let other = token_for(&sim, OTHER_USER, OTHER_PASSWORD);
    let other_sum = core(
        "checksum.check_order",
        json!({"bank_account": OTHER_ACCOUNT, "username": OTHER_USER}),
    );
    let body =
        json!({"bankAccount": OTHER_ACCOUNT, "type": 0, "value": "X", "checkSum": other_sum});
    let a = post(
        &url(&sim, "/api/transactions/check-order"),
        Some(&bearer(&other)),
        Some(&body),
    );
    assert_failed(&a, "E77");
    let a = post(&url(&sim, ecommerce), Some(&bearer(&other)), Some(&body));
    assert_failed(&a, "E96");
}

fn refund_body(reference: &str, amount: &str, account: &str, multi_times: bool) -> Value {
    let check_sum = core(
        "checksum.refund",
        json!({"secret_key": SECRET_KEY, "reference_number": reference, "amount": amount, "bank_account": account}),
    );
    json!({"bankAccount": account, "referenceNumber": reference, "amount": amount, "content": "Hoan tien",
           "checkSum": check_sum, "multiTimes": multi_times, "bankCode": "MB"})
}

#[test]
fn refund() {
    let sim = start_sim(config(Some(&dead_url()), "sandbox"));
    let token = token(&sim, USER, PASSWORD);
    let refund = |body: Value| {
        post(
            &url(&sim, "/api/transaction/refund"),
            Some(&bearer(&token)),
            Some(&body),
        )
    };

    let once = paid_order(&sim, &token, "DH3001", 100000);
    let a = refund(refund_body(&once, "40000", ACCOUNT, false));
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json["status"], "SUCCESS");
    let code = a.json["message"].as_str().unwrap();
    assert!(code.starts_with("FT") && code.len() == 14, "{code}");
    // The same reference and account within 30 s: E158, even before the token is read.
    assert_failed(&refund(refund_body(&once, "10000", ACCOUNT, false)), "E158");
    let a = post(
        &url(&sim, "/api/transaction/refund"),
        Some(&bearer("eyJhbGciOiJIUzUxMiJ9.e30.c2ln")),
        Some(&refund_body(&once, "10000", ACCOUNT, false)),
    );
    assert_failed(&a, "E158");
    // After 30 s: the first refund did not allow several (E157).
    advance_clock(&sim, 31);
    let token = token_for(&sim, USER, PASSWORD);
    let refund = |body: Value| {
        post(
            &url(&sim, "/api/transaction/refund"),
            Some(&bearer(&token)),
            Some(&body),
        )
    };
    assert_failed(&refund(refund_body(&once, "10000", ACCOUNT, false)), "E157");
    // check-order shows what was refunded.
    let check_sum = core(
        "checksum.check_order",
        json!({"bank_account": ACCOUNT, "username": USER}),
    );
    let a = post(
        &url(&sim, "/api/ecommerce-transactions/check-order"),
        Some(&bearer(&token)),
        Some(&json!({"bankAccount": ACCOUNT, "type": 1, "value": once, "checkSum": check_sum})),
    );
    assert_eq!(
        (
            a.json[0]["refundCount"].clone(),
            a.json[0]["amountRefunded"].clone()
        ),
        (json!(1), json!(40000))
    );

    // Several partial refunds, up to what was paid (E45 beyond).
    let multi = paid_order(&sim, &token, "DH3002", 100000);
    assert_eq!(
        refund(refund_body(&multi, "60000", ACCOUNT, true)).status,
        200
    );
    advance_clock(&sim, 31);
    let token = token_for(&sim, USER, PASSWORD);
    let refund = |body: Value| {
        post(
            &url(&sim, "/api/transaction/refund"),
            Some(&bearer(&token)),
            Some(&body),
        )
    };
    assert_failed(&refund(refund_body(&multi, "40001", ACCOUNT, true)), "E45");
    advance_clock(&sim, 31);
    let token = token_for(&sim, USER, PASSWORD);
    let refund = |body: Value| {
        post(
            &url(&sim, "/api/transaction/refund"),
            Some(&bearer(&token)),
            Some(&body),
        )
    };
    assert_eq!(
        refund(refund_body(&multi, "40000", ACCOUNT, true)).status,
        200
    );

    assert_failed(
        &refund(refund_body("FT000000000000", "1000", ACCOUNT, false)),
        "E44",
    );
    let mut wrong = refund_body(
        &paid_order(&sim, &token, "DH3003", 1000),
        "1000",
        ACCOUNT,
        false,
    );
    wrong["checkSum"] = json!("0".repeat(32));
    assert_failed(&refund(wrong), "E39");
    assert_failed(
        &refund(refund_body("FT1", "1000", OTHER_ACCOUNT, false)),
        "E77",
    );
    assert_failed(
        &refund(refund_body("FT2", "1000", NO_REFUND_ACCOUNT, false)),
        "E42",
    );
    assert_failed(
        &refund(json!({"bankAccount": ACCOUNT, "referenceNumber": "FT3", "amount": "1"})),
        "E46",
    );
    assert_failed(&refund(refund_body("FT4", "ten", ACCOUNT, false)), "E46");
    // No callback registered for the caller: E104.
    let other = token_for(&sim, OTHER_USER, OTHER_PASSWORD);
    let a = post(
        &url(&sim, "/api/transaction/refund"),
        Some(&bearer(&other)),
        Some(&refund_body("FT5", "1000", OTHER_ACCOUNT, false)),
    );
    assert_failed(&a, "E104");
}

#[test]
fn test_callback_errors() {
    let sim = start_sim(config(Some(&dead_url()), "sandbox"));
    let token = token(&sim, USER, PASSWORD);
    let call = |token: &str, body: Value| {
        post(
            &url(&sim, "/bank/api/test/transaction-callback"),
            Some(&bearer(token)),
            Some(&body),
        )
    };
    let body = |extra: Value| {
        let mut b = json!({"bankAccount": ACCOUNT, "content": "VQR0000000000 X", "amount": 1000, "transType": "C", "bankCode": "MB"});
        for (k, v) in extra.as_object().unwrap() {
            if v.is_null() {
                b.as_object_mut().unwrap().remove(k);
            } else {
                b[k] = v.clone();
            }
        }
        b
    };
    let a = call(&token, body(json!({})));
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json["status"], "SUCCESS");
    assert_eq!(
        a.json["message"].as_str().unwrap().len(),
        36,
        "the transaction id"
    );
    // The amount as a string of digits is fine (Jackson binds it).
    assert_eq!(call(&token, body(json!({"amount": "2000"}))).status, 200);

    assert_failed(
        &call(&token, body(json!({"bankAccount": OTHER_ACCOUNT}))),
        "E77",
    );
    assert_failed(&call(&token, body(json!({"amount": null}))), "E46");
    assert_failed(&call(&token, body(json!({"amount": "1.5"}))), "E46");
    assert_failed(&call(&token, body(json!({"amount": 0}))), "002");
    assert_failed(&call(&token, body(json!({"transType": "X"}))), "003");
    assert_failed(&call(&token, body(json!({"content": null}))), "009");
    let other = token_for(&sim, OTHER_USER, OTHER_PASSWORD);
    assert_failed(
        &call(&other, body(json!({"bankAccount": OTHER_ACCOUNT}))),
        "E76",
    );
    advance_clock(&sim, 301);
    assert_failed(&call(&token, body(json!({}))), "E74");

    // Production has no test callback.
    let prod = start_sim(config(Some(&dead_url()), "production"));
    let token = token_for(&prod, USER, PASSWORD);
    let a = post(
        &format!("{}/bank/api/test/transaction-callback", prod.base_url()),
        Some(&bearer(&token)),
        Some(&body(json!({}))),
    );
    assert_failed(&a, "E75");
}

#[test]
fn unknown_paths_get_springs_404() {
    let sim = start_sim(config(None, "sandbox"));
    let a = post(&url(&sim, "/api/nope"), None, None);
    assert_eq!(a.status, 404);
    assert_eq!(a.json["path"], "/vqr/api/nope");
    assert_eq!(a.json["error"], "Not Found");
}
