//! VietQR.vn's MD5 checksums, written straight from the documented
//! formulas (docs/protocol.md §1e, §1h, §1i, §1j) and not from the core, so that a
//! mistake in the core's request builders shows up as a refusal here.
//! All are lowercase hex; the server compares them case-sensitively.

use md5::{Digest, Md5};

fn md5_hex(parts: &[&str]) -> String {
    let mut hasher = Md5::new();
    for part in parts {
        hasher.update(part.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Ecommerce sync: MD5(accessKey + ":" + ecommerceSite + "VietQRAccesskey").
pub fn ecommerce_sync(access_key: &str, ecommerce_site: &str) -> String {
    md5_hex(&[access_key, ":", ecommerce_site, "VietQRAccesskey"])
}

/// Check order: MD5(bankAccount + username).
pub fn check_order(bank_account: &str, username: &str) -> String {
    md5_hex(&[bank_account, username])
}

/// TID sync, per terminal: MD5(accessKey + bankCode + bankAccount).
pub fn tid_sync(access_key: &str, bank_code: &str, bank_account: &str) -> String {
    md5_hex(&[access_key, bank_code, bank_account])
}

/// Refund: MD5(secretKey + referenceNumber + amount + bankAccount), with
/// `amount` exactly the string that was sent.
pub fn refund(
    secret_key: &str,
    reference_number: &str,
    amount: &str,
    bank_account: &str,
) -> String {
    md5_hex(&[secret_key, reference_number, amount, bank_account])
}

#[cfg(test)]
mod tests {
    use super::*;

    // docs/protocol.md §3.2.
    #[test]
    fn reference_vectors() {
        assert_eq!(
            ecommerce_sync("37256497631", "https://www.google.com"),
            "8a3439ca64d2394713e946f9f3677bb1"
        );
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
