//! Everything the simulator remembers, in memory and optionally in a JSON
//! file: issued tokens, QR codes and payments (VietQR's
//! `transaction_receive` rows), callback deliveries and their attempts,
//! refunds, ecommerce registrations, synced terminals and WebSocket pushes.

use crate::callback_delivery::ShopClient;
use crate::clock::Clock;
use crate::config::{Account, BankAccount, Callback, Config, Options};
use crate::ids::IdGenerator;
use crate::ws::WsHub;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::{watch, Notify};

/// A bearer token the simulator issued.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IssuedToken {
    pub username: String,
    pub issued_at_ms: u64,
    /// `None`: the ecommerce kind, which never expires.
    pub expires_at_ms: Option<u64>,
}

/// One `transaction_receive` row: a generated QR code (status 0 until paid)
/// or a payment that matched no QR code.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Transaction {
    /// VietQR's internal id.
    pub id: String,
    /// `transactionRefId` of generate-customer: Base64url of `id`.
    pub transaction_ref_id: String,
    /// The API user that generated the QR ("" for a payment without one).
    pub username: String,
    /// check-order's `type`: 0 dynamic, 1 static, 2 outside VietQR, 3 semi-dynamic.
    pub qr_type: u8,
    /// 0 unpaid, 1 paid.
    pub status: u8,
    pub bank_code: String,
    pub bank_account: String,
    pub user_bank_name: String,
    /// The QR's amount, or what was paid for a payment row.
    pub amount: Option<i64>,
    /// `content` as generate-customer returned it (with the trace id).
    pub content: String,
    /// What the QR carries in tag 62/08 (differs for semi-dynamic QRs).
    pub qr_content: String,
    /// "VQR" + 10 hex digits for a dynamic QR, "" otherwise.
    pub trace_id: String,
    pub qr_code: String,
    pub order_id: String,
    pub sign: String,
    pub terminal_code: String,
    pub sub_terminal_code: String,
    pub service_code: String,
    pub url_link: String,
    pub note: String,
    pub trans_type: String,
    /// Epoch seconds.
    pub time_created: u64,
    /// Epoch seconds; 0 until paid.
    pub time_paid: u64,
    /// The bank's reference of the payment; "" until paid.
    pub reference_number: String,
    /// `transactionid` of the callbacks; "" until paid.
    pub bank_transaction_id: String,
    /// The content the bank reported with the payment.
    pub paid_content: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    InProgress,
    /// The shop answered 2xx (VietQR records "S").
    Succeeded,
    /// HTTP 400, another status VietQR does not retry, or ten failed attempts ("R").
    Failed,
    /// The simulator stopped while it was being delivered.
    Interrupted,
}

/// One push of one transaction to one shop, with its retries.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivery {
    pub id: u64,
    /// The `transaction_receive` row delivered.
    pub transaction: String,
    /// The API account whose callback is called.
    pub username: String,
    /// Set on a redelivery: the delivery it repeats.
    pub redelivery_of: Option<u64>,
    /// `None` when no token was asked for (static token, or no credentials).
    pub token_url: Option<String>,
    pub transaction_sync_url: String,
    /// Exactly the 13 keys VietQR sends.
    pub body: Value,
    pub status: DeliveryStatus,
    /// The shop's answer had `object.reftransactionid` (VietQR logs SUCCESS only then).
    pub acknowledged: bool,
    pub attempts: Vec<Attempt>,
}

/// One try: the token call (if any), then the transaction-sync call.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attempt {
    pub attempt: u32,
    /// How long VietQR's schedule waited before this attempt (scaled).
    pub delay_ms: u64,
    pub at_ms: u64,
    /// HTTP status of the token call; `None` if it was skipped or failed.
    pub token_status: Option<u16>,
    /// Why no token was obtained, when one was asked for.
    pub token_error: Option<String>,
    /// Whether the transaction-sync call carried `Authorization: Bearer`.
    pub sent_bearer: bool,
    /// HTTP status of the transaction-sync call.
    pub status: Option<u16>,
    /// The shop's answer to transaction-sync (cut to 64 KiB).
    pub body: Option<String>,
    /// Network error or timeout of the transaction-sync call.
    pub error: Option<String>,
    pub duration_ms: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Refund {
    /// The "FT…" code of the refund transfer, as refund's `message`.
    pub refund_code: String,
    pub reference_number: String,
    pub bank_account: String,
    pub amount: i64,
    pub content: String,
    pub multi_times: bool,
    pub username: String,
    pub time: u64,
}

/// A site registered by ecommerce sync (`customer_sync` + `merchant_sync`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Registration {
    /// The customer-sync id, inside `client_id`.
    pub id: String,
    pub username: String,
    pub ecommerce_site: String,
    pub webhook: String,
    /// "MER" + 8 digits.
    pub publish_id: String,
    /// "MER-ECM-" + publish id.
    pub certificate: String,
    pub client_id: String,
    /// Set by `/api/ecommerce/active`.
    pub active: bool,
    /// The owner's profile sent with `/api/ecommerce/active`.
    pub profile: Value,
    pub bank_accounts: Vec<BankAccount>,
}

/// A point of sale synced by TID sync.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Terminal {
    /// VietQR's public id, "TER" + 8 digits.
    pub tid: String,
    pub username: String,
    pub mid: String,
    pub terminal_code: String,
    pub terminal_name: String,
    pub terminal_address: String,
    pub bank_account: String,
    pub bank_code: String,
}

/// One WebSocket push.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WsMessage {
    pub at_ms: u64,
    pub client_id: String,
    pub message: Value,
    /// How many open sockets of that clientId got it (VietQR drops it at 0).
    pub connections: usize,
}

/// What is saved to the state file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Store {
    pub ids: IdGenerator,
    pub tokens: BTreeMap<String, IssuedToken>,
    pub transactions: Vec<Transaction>,
    pub deliveries: Vec<Delivery>,
    pub refunds: Vec<Refund>,
    /// Refund idempotency keys ("referenceNumber|bankAccount") and until when they hold.
    pub refund_locks: BTreeMap<String, u64>,
    pub registrations: Vec<Registration>,
    pub terminals: Vec<Terminal>,
    pub ws_messages: Vec<WsMessage>,
    /// Callbacks set at run time (`PUT /sim/accounts/{username}/callback`);
    /// `None` removes the configured one.
    pub callback_overrides: BTreeMap<String, Option<Callback>>,
}

impl Store {
    pub fn new(seed: u64) -> Self {
        Store {
            ids: IdGenerator::new(seed),
            tokens: BTreeMap::new(),
            transactions: Vec::new(),
            deliveries: Vec::new(),
            refunds: Vec::new(),
            refund_locks: BTreeMap::new(),
            registrations: Vec::new(),
            terminals: Vec::new(),
            ws_messages: Vec::new(),
            callback_overrides: BTreeMap::new(),
        }
    }

    /// Reads a state file; deliveries that were under way are marked interrupted.
    pub fn load(path: &Path) -> Result<Store, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read state file {}: {e}", path.display()))?;
        let mut store: Store = serde_json::from_str(&text)
            .map_err(|e| format!("state file {} is not valid: {e}", path.display()))?;
        for delivery in &mut store.deliveries {
            if delivery.status == DeliveryStatus::InProgress {
                delivery.status = DeliveryStatus::Interrupted;
            }
        }
        Ok(store)
    }

    /// Writes the state file atomically (temporary file, then rename).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, json)?;
        std::fs::rename(&tmp, path)
    }

    pub fn delivery_mut(&mut self, id: u64) -> Option<&mut Delivery> {
        self.deliveries.iter_mut().find(|d| d.id == id)
    }
}

/// The simulator: configuration, clock, state and the connections it holds.
pub struct App {
    pub config: Config,
    pub options: Options,
    pub clock: Clock,
    store: Mutex<Store>,
    pub ws: WsHub,
    pub shop: ShopClient,
    /// Deliveries under way, for `GET /sim/deliveries?wait=true`.
    in_flight: watch::Sender<usize>,
    /// Wakes the autosave task.
    pub changed: Notify,
}

impl App {
    pub fn new(config: Config, options: Options, store: Store) -> Arc<App> {
        let shop = ShopClient::new(options.callback_timeout);
        Arc::new(App {
            config,
            options,
            clock: Clock::default(),
            store: Mutex::new(store),
            ws: WsHub::default(),
            shop,
            in_flight: watch::Sender::new(0),
            changed: Notify::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock leaves consistent-enough data for a
        // test tool; keep serving rather than poisoning every later request.
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Changes the state (and schedules a save).
    pub fn update<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        let result = f(&mut self.lock());
        self.changed.notify_one();
        result
    }

    /// Reads the state.
    pub fn read<R>(&self, f: impl FnOnce(&Store) -> R) -> R {
        f(&self.lock())
    }

    /// The callback VietQR uses for `username`: set at run time, else configured.
    pub fn callback_for(&self, username: &str) -> Option<Callback> {
        let over = self.read(|s| s.callback_overrides.get(username).cloned());
        match over {
            Some(set) => set,
            None => self.config.account(username)?.callback.clone(),
        }
    }

    pub fn account(&self, username: &str) -> Option<&Account> {
        self.config.account(username)
    }

    /// The configured bank account with this number (and code, when given).
    pub fn bank_account(
        &self,
        bank_account: &str,
        bank_code: Option<&str>,
    ) -> Option<&BankAccount> {
        self.config
            .accounts
            .iter()
            .flat_map(|a| &a.bank_accounts)
            .find(|b| {
                b.bank_account == bank_account
                    && bank_code.is_none_or(|code| b.bank_code.eq_ignore_ascii_case(code))
            })
    }

    pub fn delivery_started(&self) {
        self.in_flight.send_modify(|n| *n += 1);
    }

    pub fn delivery_finished(&self) {
        self.in_flight.send_modify(|n| *n = n.saturating_sub(1));
    }

    /// Waits until no delivery is under way; `false` on timeout.
    pub async fn wait_for_deliveries(&self, timeout: std::time::Duration) -> bool {
        let mut rx = self.in_flight.subscribe();
        let done = tokio::time::timeout(timeout, rx.wait_for(|n| *n == 0)).await;
        done.is_ok()
    }
}

/// Saves the state file whenever the state changed, a burst of changes at a time.
pub async fn autosave(app: Arc<App>, path: std::path::PathBuf) {
    loop {
        app.changed.notified().await;
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let result = app.read(|s| s.save(&path));
        if let Err(e) = result {
            eprintln!("vietqr-sim: cannot save state to {}: {e}", path.display());
        }
    }
}
