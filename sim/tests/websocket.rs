//! The WebSocket `/vqr/socket?clientId=…`: N22 when the owner links a bank
//! account to the site, N05 for each payment to it, all values strings.

mod common;

use common::*;
use serde_json::{json, Value};
use std::net::TcpStream;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

fn connect(sim: &vietqr_sim::Sim, client_id: &str) -> Socket {
    let url = format!("ws://{}/vqr/socket?clientId={client_id}", sim.addr());
    let (socket, response) = tungstenite::connect(url).expect("WebSocket connects");
    assert_eq!(response.status().as_u16(), 101);
    if let MaybeTlsStream::Plain(stream) = socket.get_ref() {
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
    }
    socket
}

/// The next JSON text frame.
fn next_message(socket: &mut Socket) -> Value {
    loop {
        match socket.read().expect("a message within 10 s") {
            Message::Text(text) => return serde_json::from_str(&text).unwrap(),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected frame {other:?}"),
        }
    }
}

fn assert_all_strings(message: &Value) {
    for (key, value) in message.as_object().unwrap() {
        assert!(value.is_string(), "{key} is not a string in {message}");
    }
}

#[test]
fn n22_on_activation_then_n05_for_payments() {
    let sim = start_sim(config(None, "sandbox"));
    let token = token(&sim, USER, PASSWORD);
    let site = "http://127.0.0.1:8080/wp";
    let check_sum = core(
        "checksum.ecommerce_sync",
        json!({"password": PASSWORD, "ecommerce_site": site}),
    );
    let synced = post(
        &format!("{}/api/ecommerce", sim.base_url()),
        Some(&bearer(&token)),
        Some(&json!({"ecommerceSite": site, "checkSum": check_sum})),
    );
    assert_eq!(synced.status, 200, "{}", synced.text);
    let client_id = synced.json["clientId"].as_str().unwrap();
    let certificate = synced.json["certificate"].as_str().unwrap();
    let mut socket = connect(&sim, client_id);
    let mut bystander = connect(&sim, "someone-else");

    // The owner scans the certificate in the VietQR app.
    let a = post(
        &format!("{}/api/ecommerce/active", sim.base_url()),
        Some(&bearer(&token)),
        Some(&json!({"certificate": certificate, "bankAccount": ACCOUNT, "bankCode": "MB"})),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    let n22 = next_message(&mut socket);
    assert_eq!(
        n22,
        json!({"notificationType": "N22", "bankAccount": ACCOUNT, "userBankName": "Nguyen Van A",
               "bankCode": "MB", "ecommerceSite": site})
    );
    // The core reads it.
    let parsed = core("ws.parse", json!({"message": n22.to_string()}));
    assert_eq!(
        (parsed["type"].as_str(), parsed["bank_account"].as_str()),
        (Some("N22"), Some(ACCOUNT))
    );

    // A payment to the linked account: N05, with the order of its QR.
    let qr = generate(&sim, &token, "DH6001", 42000, "secret-sign");
    pay(&sim, json!({"transactionRefId": qr["transactionRefId"]}));
    let n05 = next_message(&mut socket);
    assert_all_strings(&n05);
    let mut keys: Vec<&str> = n05
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
            "notificationType",
            "orderId",
            "referencenumber",
            "serviceCode",
            "subTerminalCode",
            "terminalCode",
            "transType",
            "transactionid",
            "transactiontime",
        ],
        "no sign, no urlLink on the socket"
    );
    assert_eq!(n05["notificationType"], "N05");
    assert_eq!(n05["amount"], "42000");
    assert_eq!(n05["orderId"], "DH6001");
    assert_eq!(n05["content"], qr["content"]);
    let seconds: u64 = n05["transactiontime"].as_str().unwrap().parse().unwrap();
    assert!(seconds < 100_000_000_000, "seconds on this path");
    let parsed = core("ws.parse", json!({"message": n05.to_string()}));
    assert_eq!(parsed["transaction"]["amount"], 42000);
    assert_eq!(parsed["transaction"]["order_id"], "DH6001");

    // A payment to an account not linked to the site: nothing.
    pay(
        &sim,
        json!({"bankAccount": OTHER_ACCOUNT, "content": "CK", "amount": 1000}),
    );
    // Every push is on record, with how many sockets got it; the bystander got none.
    let log = get(&format!("{}/sim/ws-messages", sim.root_url()), None).json;
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 2);
    assert!(log
        .iter()
        .all(|m| m["client_id"] == client_id && m["connections"] == 1));
    socket.close(None).unwrap();
    bystander.close(None).unwrap();
    while socket.read().is_ok() {}
    while bystander.read().is_ok() {}
}

#[test]
fn a_socket_needs_a_client_id() {
    let sim = start_sim(config(None, "sandbox"));
    let url = format!("ws://{}/vqr/socket", sim.addr());
    let err = tungstenite::connect(url).expect_err("refused");
    match err {
        tungstenite::Error::Http(response) => assert_eq!(response.status().as_u16(), 400),
        other => panic!("unexpected {other:?}"),
    }
}
