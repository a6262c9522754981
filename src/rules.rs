//! The rules every op shares, each written once: the amount ceiling, the
//! account rule, and the length limits. The ops map a broken rule to their
//! own error (code and message), which stay as they were.

/// Tag 54 holds at most 13 characters and VND has no decimals.
pub const AMOUNT_DIGITS: usize = 13;
/// The largest amount a VietQR payload carries (13 nines), in VND. Every
/// amount the core takes or reads is checked against it.
pub const AMOUNT_MAX: u64 = 9_999_999_999_999;

/// Account number or card number: at most 19 characters (NAPAS, tag
/// 38/01/01).
pub const ACCOUNT_MAX: usize = 19;
/// Every sub-field of tag 62 (bill number, purpose) holds at most 25
/// characters (EMVCo).
pub const ADDITIONAL_MAX: usize = 25;
/// Two length digits: a TLV value holds at most 99 characters.
pub const TLV_VALUE_MAX: usize = 99;
/// The longest `content` VietQR.vn documents for generate-customer.
pub const CONTENT_MAX: usize = 19;
/// generate-customer's `orderId`: the docs disagree (13 or 19); the
/// reference keeps to 13 alphanumerics.
pub const ORDER_ID_MAX: usize = 13;
/// A transfer's content: only its first this many words are looked at for
/// an order reference (the rest is the payer's own text).
pub const MATCH_WORDS: usize = 20;

/// A callback secret shorter than this is refused: it would make tokens
/// guessable.
pub const SECRET_MIN: usize = 16;
/// Callback bodies and WebSocket frames larger than this are refused before
/// parsing (a real one is < 1 KiB).
pub const BODY_MAX: usize = 16 * 1024;
/// A callback's ids and codes: transactionid, referencenumber, orderId,
/// terminalCode, subTerminalCode, serviceCode.
pub const CALLBACK_ID_MAX: usize = 64;
/// A callback's `bankaccount` (what VietQR reports, looser than
/// [`ACCOUNT_MAX`]: the check against the shop's own account is exact).
pub const CALLBACK_ACCOUNT_MAX: usize = 32;
/// A callback's `content`, as the payer's bank passes it on.
pub const CALLBACK_CONTENT_MAX: usize = 500;
/// A callback's `sign` (ours is 32 hex digits).
pub const CALLBACK_SIGN_MAX: usize = 256;
/// A callback's `urlLink`.
pub const CALLBACK_URL_MAX: usize = 2048;
/// Each field of an N22 WebSocket message (bank account linked).
pub const WS_FIELD_MAX: usize = 256;

/// Why an account number breaks the account rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountFault {
    /// A character other than an ASCII letter or digit.
    NotAlphanumeric,
    /// Empty, or longer than [`ACCOUNT_MAX`].
    Length,
}

/// The account rule: 1 to [`ACCOUNT_MAX`] ASCII letters and digits (VietQR
/// codes carry both). Characters are judged first, then the length.
///
/// ```
/// use vietqr::rules::{account, AccountFault};
/// assert_eq!(account("0123456789"), Ok(()));
/// assert_eq!(account("0123-456"), Err(AccountFault::NotAlphanumeric));
/// assert_eq!(account(""), Err(AccountFault::Length));
/// assert_eq!(account(&"1".repeat(20)), Err(AccountFault::Length));
/// ```
pub fn account(account: &str) -> Result<(), AccountFault> {
    if !account.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(AccountFault::NotAlphanumeric);
    }
    if account.is_empty() || account.len() > ACCOUNT_MAX {
        return Err(AccountFault::Length);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amount_max_is_thirteen_nines() {
        assert_eq!(AMOUNT_MAX.to_string(), "9".repeat(AMOUNT_DIGITS));
        // The WASM binding checks amounts as f64: the ceiling is exact there.
        assert_eq!(AMOUNT_MAX as f64 as u64, AMOUNT_MAX);
        assert!(i64::try_from(AMOUNT_MAX).is_ok());
    }

    #[test]
    fn account_rule() {
        assert_eq!(account("A1b2"), Ok(()));
        assert_eq!(account(&"9".repeat(ACCOUNT_MAX)), Ok(()));
        assert_eq!(account(" 1"), Err(AccountFault::NotAlphanumeric));
        assert_eq!(account("Số1"), Err(AccountFault::NotAlphanumeric));
        // Characters first: too long and not alphanumeric says the latter.
        assert_eq!(
            account(&"-".repeat(ACCOUNT_MAX + 1)),
            Err(AccountFault::NotAlphanumeric)
        );
    }
}
