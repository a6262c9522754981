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
    /// Stable identifier, e.g. `crc_mismatch`.
    pub code: &'static str,
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
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            vietqr: None,
        }
    }

    /// The input is not of the shape the op takes.
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Error::new("invalid_input", message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
