//! One error type for the whole core.
//!
//! `code` is a stable snake_case identifier that hosts branch on; `message`
//! says what is wrong in words an admin can act on. Both are API: tests assert
//! them exactly. A VietQR.vn rejection carries the E-code's meaning in `vietqr`.

use serde::Serialize;
use std::fmt;

/// What went wrong, as every host sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Error {
    /// Stable identifier, e.g. `crc_mismatch` ([`Code`] lists them all).
    pub code: Code,
    /// Human-readable explanation for logs and admins.
    pub message: String,
    /// Present when VietQR.vn answered with an error code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vietqr: Option<Box<VietqrError>>,
}

/// A VietQR.vn error code with its meaning in English and Vietnamese, and
/// what the shop owner can do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VietqrError {
    /// `E74`, or `HTTP 401` when VietQR answered without an E-code.
    pub code: String,
    pub en: String,
    pub vi: String,
    pub action: String,
}

impl Error {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            vietqr: None,
        }
    }

    /// The input is not of the shape the op takes.
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Error::new(Code::InvalidInput, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// Declares [`Code`] from one table: variant, wire string, and a doc line
/// saying when the core gives it. The wire strings are API.
macro_rules! codes {
    ($($(#[doc = $doc:literal])+ $name:ident = $wire:literal,)+) => {
        /// Every error `code` the core gives, one variant each. Hosts see the
        /// snake_case string ([`Code::as_str`]); it never changes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($(#[doc = $doc])+ $name,)+
        }

        impl Code {
            /// Every code, in the order declared (alphabetical by wire string).
            pub const ALL: &'static [Code] = &[$(Code::$name,)+];

            /// The code as hosts see it, e.g. `crc_mismatch`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$name => $wire,)+
                }
            }
        }
    };
}

codes! {
    /// `payload.parse`: the CRC (tag 63) is not four hex digits, or is not
    /// the CRC-16 of the payload.
    CrcMismatch = "crc_mismatch",
    /// `payload.parse`: one TLV field id appears twice at the same level.
    DuplicateField = "duplicate_field",
    /// `qr.svg`, `qr.png`: the text to encode is empty.
    EmptyText = "empty_text",
    /// The core failed on its own output (serialising it, or a PNG too
    /// large to describe); no input is meant to cause it.
    Internal = "internal",
    /// `payload.build`, `payload.parse`: the account is not 1 to 19 letters
    /// and digits ([`crate::rules::account`]).
    InvalidAccount = "invalid_account",
    /// An amount outside 1 to [`crate::rules::AMOUNT_MAX`] VND (or the
    /// endpoint's own smaller ceiling), or a tag 54 that is not an amount.
    InvalidAmount = "invalid_amount",
    /// `api.*.request`: `base_url` is not `http(s)://host…` without spaces,
    /// query or fragment.
    InvalidBaseUrl = "invalid_base_url",
    /// `payload.parse`: the bank BIN (38/01/00) is not six digits.
    InvalidBin = "invalid_bin",
    /// `api.generate_customer.request`: `content` is not 1 to 19 letters,
    /// digits and spaces.
    InvalidContent = "invalid_content",
    /// `payload.parse`: the country (tag 58) is not `VN`.
    InvalidCountry = "invalid_country",
    /// `payload.parse`: the currency (tag 53) is not `704` (VND).
    InvalidCurrency = "invalid_currency",
    /// `qr.svg`, `qr.png`: `ecl` is not L, M, Q or H.
    InvalidEcl = "invalid_ecl",
    /// `api.*.request`: a given field has the wrong form (a bank account
    /// that is not 1 to 19 letters and digits, a token with spaces, …).
    InvalidField = "invalid_field",
    /// `payload.parse`: the payload does not start with `000201`.
    InvalidFormat = "invalid_format",
    /// `payload.parse`: the point of initiation (tag 01) is not 11 or 12.
    InvalidInitiation = "invalid_initiation",
    /// The input is not JSON, or not the shape the op takes (a missing or
    /// unknown key, a value of the wrong type or range).
    InvalidInput = "invalid_input",
    /// `payload.parse`: a field inside a template runs past the template.
    InvalidLength = "invalid_length",
    /// `qr.svg`, `qr.png`: `module_px` is out of range.
    InvalidModulePx = "invalid_module_px",
    /// `api.generate_customer.request`: `order_id` is not 1 to 13 letters
    /// and digits.
    InvalidOrderId = "invalid_order_id",
    /// `qr.svg`, `qr.png`: `quiet_zone` is out of range.
    InvalidQuietZone = "invalid_quiet_zone",
    /// `payload.parse`: a TLV header that is not digits, a length of 00, or
    /// a field that cuts a multi-byte character.
    InvalidTlv = "invalid_tlv",
    /// `ws.parse`: the frame is too large, not a JSON object, has no
    /// `notificationType`, or an N05/N22 with bad fields.
    InvalidWsMessage = "invalid_ws_message",
    /// `payload.parse`: the payload does not end with `6304` and four
    /// characters.
    MissingCrc = "missing_crc",
    /// `callback.token`: the host has no username or password set for
    /// VietQR to call the shop with.
    MissingCredentials = "missing_credentials",
    /// A required field is empty or absent: in an `api.*.request` input, or
    /// in a payload (service code, beneficiary, BIN, account, tags 53/58).
    MissingField = "missing_field",
    /// `payload.build`: `purpose` or `bill_number` has characters outside
    /// printable ASCII.
    NotAscii = "not_ascii",
    /// `payload.parse`: no NAPAS account field (tag 38) or a GUID other
    /// than NAPAS's.
    NotVietqr = "not_vietqr",
    /// `qr.svg`, `qr.png`: the text does not fit a QR code at that ECL.
    QrTooLong = "qr_too_long",
    /// `payload.parse`: the payload ends in the middle of a field, or is too
    /// short to hold a CRC.
    Truncated = "truncated",
    /// A bank that is neither a known VietQR code nor a BIN (a six-digit
    /// BIN where the op takes any).
    UnknownBank = "unknown_bank",
    /// `api.error`: VietQR has no error code by that name in the table.
    UnknownErrorCode = "unknown_error_code",
    /// No op by that name (in this build).
    UnknownOp = "unknown_op",
    /// `payload.parse`: the service code (38/02) is not QRIBFTTA or QRIBFTTC.
    UnsupportedService = "unsupported_service",
    /// `payload.build`: a value that must be left out rather than empty.
    ValueEmpty = "value_empty",
    /// `payload.build`: a value longer than its tag holds (25 in tag 62, 99
    /// in any TLV field).
    ValueTooLong = "value_too_long",
    /// `api.*.response`: VietQR's reply is not what the endpoint answers
    /// (not JSON, a field missing or of the wrong type, an odd status).
    VietqrBadReply = "vietqr_bad_reply",
    /// `api.*.response`: VietQR refused with an error code; `vietqr` says
    /// what it means.
    VietqrError = "vietqr_error",
    /// `api.*.response`: HTTP 401/403, wrong credentials or token.
    VietqrUnauthorized = "vietqr_unauthorized",
    /// `api.*.response`: HTTP 404 or another status without an error code.
    VietqrUnavailable = "vietqr_unavailable",
    /// `callback.*`: the callback secret is shorter than
    /// [`crate::callback::SECRET_MIN`] bytes.
    WeakSecret = "weak_secret",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
