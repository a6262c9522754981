//! CRC-16/CCITT-FALSE, the checksum of tag 63 (EMVCo: ISO/IEC 13239,
//! polynomial 0x1021, initial value 0xFFFF, no reflection, no final xor).

const fn table() -> [u16; 256] {
    let mut t = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = (i as u16) << 8;
        let mut b = 0;
        while b < 8 {
            c = if c & 0x8000 != 0 {
                (c << 1) ^ 0x1021
            } else {
                c << 1
            };
            b += 1;
        }
        t[i] = c;
        i += 1;
    }
    t
}

static TABLE: [u16; 256] = table();

/// CRC-16/CCITT-FALSE of `data`.
///
/// ```
/// assert_eq!(vietqr::emv::crc::crc16(b"123456789"), 0x29B1);
/// assert_eq!(vietqr::emv::crc::crc16(b""), 0xFFFF);
/// ```
pub fn crc16(data: &[u8]) -> u16 {
    data.iter().fold(0xFFFF, |crc, &b| {
        (crc << 8) ^ TABLE[((crc >> 8) as u8 ^ b) as usize]
    })
}

/// The four uppercase hex digits that tag 63 carries, leading zeros kept.
///
/// ```
/// assert_eq!(vietqr::emv::crc::crc16_hex(b"A"), "B915");
/// ```
pub fn crc16_hex(data: &[u8]) -> String {
    format!("{:04X}", crc16(data))
}
