//! The EMV (NAPAS VietQR) payload VietQR.vn puts in `qrCode`, built the way
//! its server builds it (docs/protocol.md §2, `VietQRUtil.generateTransactionQR`):
//! point of initiation `11` even with an amount, tag 38 with the NAPAS GUID,
//! the BIN and the account, `QRIBFTTA`, tag 62/08 for the content, and a
//! CRC-16/CCITT-FALSE over everything up to and including `6304`.

/// CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no xorout.
pub fn crc16(data: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &byte in data {
        crc ^= u16::from(byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// One data object: id, two-digit length, value. Values longer than 99
/// characters cannot be encoded; callers keep content short (the API
/// refuses content over 50 characters before it gets here).
fn tlv(id: &str, value: &str) -> String {
    debug_assert!(value.chars().count() <= 99, "TLV value too long");
    format!("{id}{:02}{value}", value.chars().count())
}

/// The payload for a transfer to `account` at the bank with `bin`, with an
/// optional amount (VND) and content.
pub fn transfer(bin: &str, account: &str, amount: Option<i64>, content: &str) -> String {
    let beneficiary = tlv("00", bin) + &tlv("01", account);
    let merchant_account =
        tlv("00", "A000000727") + &tlv("01", &beneficiary) + &tlv("02", "QRIBFTTA");
    let mut payload = tlv("00", "01") + &tlv("01", "11") + &tlv("38", &merchant_account);
    payload += &tlv("53", "704");
    if let Some(amount) = amount {
        payload += &tlv("54", &amount.to_string());
    }
    payload += &tlv("58", "VN");
    if !content.is_empty() {
        payload += &tlv("62", &tlv("08", content));
    }
    payload += "6304";
    let crc = crc16(payload.as_bytes());
    format!("{payload}{crc:04X}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_check_values() {
        // docs/protocol.md §2: the CCITT-FALSE check value and two edge cases.
        assert_eq!(crc16(b"123456789"), 0x29B1);
        assert_eq!(crc16(b""), 0xFFFF);
        assert_eq!(crc16(b"A"), 0xB915);
    }

    #[test]
    fn payload_vectors() {
        // docs/protocol.md §3.1 (static vector), but with initiation 11 as VietQR.vn emits.
        assert_eq!(
            transfer("970416", "257678859", None, ""),
            "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F"
        );
        // The dynamic vector of docs/protocol.md §3.1 has initiation 12; the
        // same payload with 11 differs only there and in the CRC, which must
        // still verify.
        let p = transfer("970416", "257678859", Some(10000), "Chuyen tien");
        assert_eq!(
            &p[..p.len() - 4],
            "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811Chuyen tien6304"
        );
        assert_eq!(
            format!("{:04X}", crc16(&p.as_bytes()[..p.len() - 4])),
            &p[p.len() - 4..]
        );
    }
}
