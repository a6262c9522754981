//! The four MD5 checksums VietQR.vn checks, and HTTP Basic credentials.
//!
//! Every checksum is lowercase hex: VietQR compares with `String.equals`
//! after `%02x` formatting, so case matters. Inputs are hashed byte for byte,
//! exactly as they will be sent (no trimming, no URL normalisation).

use base64::Engine;
use md5::{Digest, Md5};

fn md5_hex(parts: &[&str]) -> String {
    let mut h = Md5::new();
    for p in parts {
        h.update(p.as_bytes());
    }
    hex(&h.finalize())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// Ecommerce sync: MD5(password + ":" + ecommerce_site + "VietQRAccesskey").
///
/// ```
/// // The example of VietQR.vn's "API Ecommerce Sync" page.
/// assert_eq!(
///     vietqr::checksum::ecommerce_sync("37256497631", "https://www.google.com"),
///     "8a3439ca64d2394713e946f9f3677bb1"
/// );
/// ```
pub fn ecommerce_sync(password: &str, ecommerce_site: &str) -> String {
    md5_hex(&[password, ":", ecommerce_site, "VietQRAccesskey"])
}

/// TID (point of sale) sync: MD5(password + bank_code + bank_account).
pub fn tid_sync(password: &str, bank_code: &str, bank_account: &str) -> String {
    md5_hex(&[password, bank_code, bank_account])
}

/// Check transaction: MD5(bank_account + username).
pub fn check_order(bank_account: &str, username: &str) -> String {
    md5_hex(&[bank_account, username])
}

/// Refund: MD5(secret_key + reference_number + amount + bank_account), with
/// `amount` hashed exactly as it is sent.
pub fn refund(
    secret_key: &str,
    reference_number: &str,
    amount: &str,
    bank_account: &str,
) -> String {
    md5_hex(&[secret_key, reference_number, amount, bank_account])
}

/// `Authorization` header value for HTTP Basic.
///
/// ```
/// assert_eq!(vietqr::checksum::basic_auth("nhatlinh", "37256497631"), "Basic bmhhdGxpbmg6MzcyNTY0OTc2MzE=");
/// ```
pub fn basic_auth(username: &str, password: &str) -> String {
    let raw = format!("{username}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_vectors() {
        assert_eq!(
            check_order("0123456789", "customer-vietqrtest-user2468"),
            "90caab5717418b2cfc799c6ea5b0d6ec"
        );
        assert_eq!(
            tid_sync(
                "Y3VzdG9tZXItdmlldHFydGVzdC11c2VyMjQ2OA==",
                "MB",
                "0123456789"
            ),
            "87d05b21e16a8fc5c2dd5a0629a2cd57"
        );
        assert_eq!(
            refund("mySecretKey", "FT24123456789", "10000", "0123456789"),
            "e9af85f37d1dc617a9eb46cdde562b28"
        );
    }
}
