//! The WebSocket `/vqr/socket?clientId=…` (docs/protocol.md §1f): VietQR pushes
//! JSON objects whose values are all strings, N22 when the owner links a
//! bank account and N05 for each payment to it. What the client sends is
//! only logged; a push to a clientId with no open socket is dropped, as the
//! server does (the simulator still records it).

use crate::state::{App, WsMessage};
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// The open sockets of each clientId: (socket number, its outgoing queue).
type Sockets = HashMap<String, Vec<(u64, mpsc::UnboundedSender<String>)>>;

/// The open sockets, by clientId.
#[derive(Default)]
pub struct WsHub {
    sockets: Mutex<Sockets>,
    next_id: AtomicU64,
}

impl WsHub {
    fn register(&self, client_id: &str) -> (u64, mpsc::UnboundedReceiver<String>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.lock()
            .entry(client_id.to_string())
            .or_default()
            .push((id, tx));
        (id, rx)
    }

    fn unregister(&self, client_id: &str, id: u64) {
        let mut sockets = self.lock();
        if let Some(list) = sockets.get_mut(client_id) {
            list.retain(|(i, _)| *i != id);
            if list.is_empty() {
                sockets.remove(client_id);
            }
        }
    }

    /// Sends a text frame to every socket of `client_id`; how many got it.
    fn send(&self, client_id: &str, text: &str) -> usize {
        let sockets = self.lock();
        sockets.get(client_id).map_or(0, |list| {
            list.iter()
                .filter(|(_, tx)| tx.send(text.to_string()).is_ok())
                .count()
        })
    }

    /// Open sockets per clientId.
    pub fn connections(&self) -> HashMap<String, usize> {
        self.lock()
            .iter()
            .map(|(k, v)| (k.clone(), v.len()))
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Sockets> {
        self.sockets.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Pushes `fields` (all string values, as the server's `Map<String,String>`)
/// to `client_id` and records the push.
pub fn push(app: &App, client_id: &str, fields: &[(&str, String)]) -> usize {
    let message: Map<String, Value> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), Value::String(v.clone())))
        .collect();
    let message = Value::Object(message);
    let connections = app.ws.send(client_id, &message.to_string());
    let at_ms = app.clock.now_ms();
    app.update(|store| {
        store.ws_messages.push(WsMessage {
            at_ms,
            client_id: client_id.to_string(),
            message,
            connections,
        })
    });
    connections
}

#[derive(Deserialize)]
pub struct SocketQuery {
    #[serde(rename = "clientId")]
    client_id: Option<String>,
}

/// `GET /vqr/socket?clientId=…`.
pub async fn socket(
    State(app): State<Arc<App>>,
    Query(query): Query<SocketQuery>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let Some(client_id) = query.client_id.filter(|c| !c.is_empty()) else {
        return (StatusCode::BAD_REQUEST, "clientId is required").into_response();
    };
    // Registered before the handshake completes, so that a push right after
    // the client connected is never lost (tests rely on it).
    let (id, rx) = app.ws.register(&client_id);
    let on_failure = {
        let app = app.clone();
        let client_id = client_id.clone();
        move |_| app.ws.unregister(&client_id, id)
    };
    upgrade
        .on_failed_upgrade(on_failure)
        .on_upgrade(move |socket| serve(app, client_id, id, rx, socket))
}

async fn serve(
    app: Arc<App>,
    client_id: String,
    id: u64,
    mut outgoing: mpsc::UnboundedReceiver<String>,
    mut socket: WebSocket,
) {
    if app.options.log {
        eprintln!("vietqr-sim: socket opened for clientId {client_id}");
    }
    loop {
        tokio::select! {
            text = outgoing.recv() => {
                let Some(text) = text else { break };
                if socket.send(Message::Text(text.into())).await.is_err() {
                    break;
                }
            }
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(Message::Text(text))) if app.options.log => {
                    eprintln!("vietqr-sim: socket {client_id} said {} bytes (ignored)", text.len());
                }
                Some(Ok(_)) => {}
            },
        }
    }
    app.ws.unregister(&client_id, id);
}
