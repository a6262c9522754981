//! `sim.json`: the VietQR accounts the simulator knows (API credentials,
//! keys, bank accounts, merchants) and, per account, where and how to call
//! the shop back. Plus the command-line options that tune the simulation.

use crate::banks;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Sandbox answers the test callback; production refuses it with E75 and
/// links QR pages to the production host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    #[default]
    Sandbox,
    Production,
}

#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub environment: Environment,
    /// Seeds the id generator: the same seed and requests give the same ids.
    #[serde(default = "default_seed")]
    pub seed: u64,
    pub accounts: Vec<Account>,
}

fn default_seed() -> u64 {
    1
}

/// One VietQR API account ("customer") and what VietQR stores about it.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// Basic username for token_generate; the `user` inside its tokens.
    pub username: String,
    /// Basic password, also the access key of the ecommerce and TID-sync
    /// checksums (VietQR stores one key per username).
    pub password: String,
    /// The refund secret key (refund checksum); refunds answer E39 without it.
    #[serde(default)]
    pub secret_key: Option<String>,
    /// The account VietQR has configured for the WordPress ecommerce flow:
    /// only its tokens may call `/api/ecommerce` (others get E05).
    #[serde(default)]
    pub ecommerce: bool,
    #[serde(default)]
    pub bank_accounts: Vec<BankAccount>,
    /// Merchants (for TID sync's `mid` / `merchantName`).
    #[serde(default)]
    pub merchants: Vec<Merchant>,
    /// The shop's endpoints VietQR calls for each payment. Without it the
    /// account is "not registered" for callbacks (E76, E77, E104).
    #[serde(default)]
    pub callback: Option<Callback>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankAccount {
    /// A VietQR bank code (`MB`) or BIN; stored as the code.
    pub bank_code: String,
    pub bank_account: String,
    #[serde(default)]
    pub user_bank_name: String,
    /// Whether VietQR lets this account refund (E42 when not).
    #[serde(default = "yes")]
    pub refund: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Merchant {
    /// VietQR's merchant id, "MER" + 8 digits.
    pub mid: String,
    pub name: String,
}

/// How VietQR reaches the shop (docs/protocol.md §1d).
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Callback {
    /// `{base_url}/api/token_generate` and `{base_url}/bank/api/transaction-sync`
    /// unless the full URLs below are given.
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default)]
    pub token_url: Option<String>,
    #[serde(default)]
    pub transaction_sync_url: Option<String>,
    /// Basic credentials for the shop's token endpoint.
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    /// A static bearer token instead: the token call is skipped.
    #[serde(default)]
    pub token: Option<String>,
}

impl fmt::Debug for Callback {
    // Credentials stay out of logs and panics.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Callback")
            .field("token_url", &self.token_url())
            .field("transaction_sync_url", &self.transaction_sync_url())
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

impl Callback {
    pub fn token_url(&self) -> String {
        self.token_url.clone().unwrap_or_else(|| {
            join(
                self.base_url.as_deref().unwrap_or(""),
                "/api/token_generate",
            )
        })
    }

    pub fn transaction_sync_url(&self) -> String {
        self.transaction_sync_url.clone().unwrap_or_else(|| {
            join(
                self.base_url.as_deref().unwrap_or(""),
                "/bank/api/transaction-sync",
            )
        })
    }

    /// How the token step authenticates: Basic credentials, a static token, or nothing.
    pub fn has_credentials(&self) -> bool {
        non_empty(&self.username) && non_empty(&self.password)
    }

    pub fn static_token(&self) -> Option<&str> {
        self.token.as_deref().filter(|t| !t.trim().is_empty())
    }

    /// Checks the URLs: plain `http://`, and on a loopback host unless
    /// `allow_remote` (the simulator is a local test tool).
    pub fn validate(&self, allow_remote: bool) -> Result<(), String> {
        if self.base_url.is_none()
            && (self.token_url.is_none() || self.transaction_sync_url.is_none())
        {
            return Err(
                "callback needs base_url, or both token_url and transaction_sync_url".into(),
            );
        }
        if non_empty(&self.username) != non_empty(&self.password) {
            return Err("callback needs both username and password, or neither".into());
        }
        for url in [self.token_url(), self.transaction_sync_url()] {
            check_callback_url(&url, allow_remote)?;
        }
        Ok(())
    }
}

fn non_empty(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| !s.is_empty())
}

fn join(base: &str, path: &str) -> String {
    format!("{}{path}", base.trim_end_matches('/'))
}

/// A callback URL the simulator may call.
pub fn check_callback_url(url: &str, allow_remote: bool) -> Result<(), String> {
    let uri: axum::http::Uri = url
        .parse()
        .map_err(|_| format!("callback URL {url:?} is not a valid URL"))?;
    if uri.scheme_str() != Some("http") {
        return Err(format!(
            "callback URL {url:?} must start with http:// (the simulator speaks plain HTTP)"
        ));
    }
    let host = uri.host().unwrap_or("");
    if !allow_remote && !is_loopback(host) {
        return Err(format!(
            "callback URL {url:?} is not on this machine (127.0.0.1, ::1 or localhost); start with --allow-remote-callbacks to allow it"
        ));
    }
    Ok(())
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl Config {
    pub fn load(path: &Path, allow_remote: bool) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Config::from_json(&text, allow_remote).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parses and checks a config; bank codes given as BINs become codes.
    pub fn from_json(text: &str, allow_remote: bool) -> Result<Config, String> {
        let mut config: Config = serde_json::from_str(text).map_err(|e| e.to_string())?;
        config.validate(allow_remote)?;
        Ok(config)
    }

    fn validate(&mut self, allow_remote: bool) -> Result<(), String> {
        let mut seen = std::collections::BTreeSet::new();
        for account in &mut self.accounts {
            let who = account.username.clone();
            if who.is_empty() || who.contains(':') {
                return Err(format!(
                    "account username {who:?} must be non-empty and without ':'"
                ));
            }
            if !seen.insert(who.clone()) {
                return Err(format!("account {who:?} appears twice"));
            }
            if account.password.is_empty() {
                return Err(format!("account {who:?} has an empty password"));
            }
            for bank in &mut account.bank_accounts {
                let Some(known) = banks::lookup(&bank.bank_code) else {
                    return Err(format!(
                        "account {who:?}: unknown bank_code {:?}",
                        bank.bank_code
                    ));
                };
                bank.bank_code = known.code.to_string();
                if bank.bank_account.is_empty() {
                    return Err(format!("account {who:?}: a bank_account is empty"));
                }
            }
            if let Some(callback) = &account.callback {
                callback
                    .validate(allow_remote)
                    .map_err(|e| format!("account {who:?}: {e}"))?;
            }
        }
        Ok(())
    }

    pub fn account(&self, username: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.username == username)
    }
}

/// Command-line options that tune the simulation.
#[derive(Debug, Clone)]
pub struct Options {
    /// Lifetime of `/api/token_generate` tokens, seconds (VietQR: 300).
    pub token_ttl: u64,
    /// Multiplies the callback retry delays (1.0 = VietQR's schedule;
    /// 0.001 turns the 60 s waits into 60 ms for tests).
    pub retry_scale: f64,
    /// Where state is loaded from at start and saved to on every change.
    pub state_file: Option<PathBuf>,
    /// Allows callback URLs that are not on this machine.
    pub allow_remote_callbacks: bool,
    /// How long one call to the shop may take.
    pub callback_timeout: Duration,
    /// One line per API call and callback attempt on stderr.
    pub log: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            token_ttl: 300,
            retry_scale: 1.0,
            state_file: None,
            allow_remote_callbacks: false,
            callback_timeout: Duration::from_secs(10),
            log: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_config_loads() {
        let text = include_str!("../sim.example.json");
        let config = Config::from_json(text, false).unwrap();
        assert!(!config.accounts.is_empty());
    }

    #[test]
    fn bins_become_codes_and_urls_are_checked() {
        let config = Config::from_json(
            r#"{"accounts":[{"username":"u","password":"p","bank_accounts":[{"bank_code":"970422","bank_account":"1"}],
                "callback":{"base_url":"http://127.0.0.1:9/shop/","username":"a","password":"b"}}]}"#,
            false,
        )
        .unwrap();
        let account = config.account("u").unwrap();
        assert_eq!(account.bank_accounts[0].bank_code, "MB");
        let callback = account.callback.as_ref().unwrap();
        assert_eq!(
            callback.token_url(),
            "http://127.0.0.1:9/shop/api/token_generate"
        );
        assert_eq!(
            callback.transaction_sync_url(),
            "http://127.0.0.1:9/shop/bank/api/transaction-sync"
        );
        let remote = r#"{"accounts":[{"username":"u","password":"p","callback":{"base_url":"http://example.com"}}]}"#;
        let err = Config::from_json(remote, false).err().unwrap();
        assert!(err.contains("not on this machine"), "{err}");
        assert!(Config::from_json(remote, true).is_ok());
        let tls = r#"{"accounts":[{"username":"u","password":"p","callback":{"base_url":"https://127.0.0.1"}}]}"#;
        assert!(Config::from_json(tls, true)
            .err()
            .unwrap()
            .contains("http://"));
        assert!(check_callback_url("http://[::1]:8080/x", false).is_ok());
        assert!(check_callback_url("http://localhost/x", false).is_ok());
    }
}
