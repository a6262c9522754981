//! EMVCo merchant-presented QR payloads as NAPAS defines them for VietQR.

pub mod crc;
pub mod payload;
pub mod tlv;
