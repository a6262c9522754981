//! The VietQR payload: build it from bank details, parse it back.
//!
//! Layout (NAPAS QR Switching v1.5.2 Part IV; EMVCo MPM):
//! `00 01 | 01 11/12 | 38 [00 A000000727, 01 [00 BIN, 01 account], 02 service] |
//! 53 704 | 54 amount | 58 VN | 62 [01 bill, 08 purpose] | 63 CRC`.

use super::{crc, tlv};
use crate::banks;
use crate::error::{Code, Error, Result};
use crate::input::{input_enum, input_struct};
use crate::rules::{self, AccountFault};
use serde::Serialize;

/// NAPAS application identifier in tag 38/00.
pub const NAPAS_GUID: &str = "A000000727";
pub use crate::rules::{ACCOUNT_MAX, ADDITIONAL_MAX, AMOUNT_MAX};

/// Whether the QR may be paid more than once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Initiation {
    /// `11`: the same QR for many payments.
    Static,
    /// `12`: a new QR for each payment.
    Dynamic,
}

input_enum!(Initiation {
    Static = "static",
    Dynamic = "dynamic",
});

impl Initiation {
    fn code(self) -> &'static str {
        match self {
            Initiation::Static => "11",
            Initiation::Dynamic => "12",
        }
    }
}

/// Transfer to an account (`QRIBFTTA`) or to a card number (`QRIBFTTC`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    #[default]
    Account,
    Card,
}

input_enum!(Service {
    Account = "account",
    Card = "card",
});

impl Service {
    fn code(self) -> &'static str {
        match self {
            Service::Account => "QRIBFTTA",
            Service::Card => "QRIBFTTC",
        }
    }
}

input_struct! {
    /// What a payload says: the input of [`build`] and the output of [`parse`].
    #[derive(Debug, Clone, PartialEq, Eq, Default)]
    pub struct PayloadRequest {
        /// BIN (`970416`) or VietQR bank code (`ACB`).
        pub bank: String,
        pub account: String,
        pub service: Service = Service::default(),
        pub amount: Option<u64>,
        pub purpose: Option<String>,
        pub bill_number: Option<String>,
        /// Defaults to dynamic when an amount is given, static otherwise.
        pub initiation: Option<Initiation>,
        /// The `payload.build` op folds `purpose` first (as `text.fold`:
        /// accents removed, what a bank cannot carry dropped) and answers it
        /// beside the payload: a host passing a person's text makes one call.
        pub fold_purpose: bool = false,
    }
}

/// A parsed payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Payload {
    /// `None` when the payload has no tag 01.
    pub initiation: Option<Initiation>,
    pub bin: String,
    /// `None` when the BIN is not in the bank table.
    pub bank_code: Option<&'static str>,
    pub account: String,
    pub service: Service,
    pub amount: Option<u64>,
    pub purpose: Option<String>,
    pub bill_number: Option<String>,
    /// The four hex digits as the payload carries them.
    pub crc: String,
}

/// Builds the payload string, CRC included.
///
/// ```
/// use vietqr::emv::payload::{build, PayloadRequest};
/// let p = build(&PayloadRequest {
///     bank: "ACB".into(),
///     account: "257678859".into(),
///     amount: Some(10000),
///     purpose: Some("Chuyen tien".into()),
///     ..Default::default()
/// })
/// .unwrap();
/// assert_eq!(p, "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811Chuyen tien630453E6");
/// ```
pub fn build(req: &PayloadRequest) -> Result<String> {
    let bin = resolve_bin(&req.bank)?;
    check_account(&req.account)?;
    let initiation = req.initiation.unwrap_or(if req.amount.is_some() {
        Initiation::Dynamic
    } else {
        Initiation::Static
    });

    let mut beneficiary = String::with_capacity(40);
    tlv::write(&mut beneficiary, "00", bin, "bank BIN")?;
    tlv::write(&mut beneficiary, "01", &req.account, "account")?;
    let mut merchant = String::with_capacity(64);
    tlv::write(&mut merchant, "00", NAPAS_GUID, "GUID")?;
    tlv::write(&mut merchant, "01", &beneficiary, "beneficiary")?;
    tlv::write(&mut merchant, "02", req.service.code(), "service")?;

    let mut additional = String::new();
    if let Some(bill) = &req.bill_number {
        check_additional(bill, "bill_number")?;
        tlv::write(&mut additional, "01", bill, "bill_number")?;
    }
    if let Some(purpose) = &req.purpose {
        check_additional(purpose, "purpose")?;
        tlv::write(&mut additional, "08", purpose, "purpose")?;
    }

    let mut out = String::with_capacity(160);
    tlv::write(&mut out, "00", "01", "format")?;
    tlv::write(&mut out, "01", initiation.code(), "initiation")?;
    tlv::write(&mut out, "38", &merchant, "merchant account")?;
    tlv::write(&mut out, "53", "704", "currency")?;
    if let Some(amount) = req.amount {
        if amount == 0 || amount > AMOUNT_MAX {
            return Err(Error::new(
                Code::InvalidAmount,
                format!("amount must be 1 to {AMOUNT_MAX} VND, got {amount}"),
            ));
        }
        tlv::write(&mut out, "54", &amount.to_string(), "amount")?;
    }
    tlv::write(&mut out, "58", "VN", "country")?;
    if !additional.is_empty() {
        tlv::write(&mut out, "62", &additional, "additional data")?;
    }
    out.push_str("6304");
    let sum = crc::crc16_hex(out.as_bytes());
    out.push_str(&sum);
    Ok(out)
}

fn resolve_bin(bank: &str) -> Result<&str> {
    if banks::is_bin(bank) {
        // An unlisted BIN is still a valid payload: the table lags new banks.
        return Ok(bank);
    }
    banks::lookup(bank).map(|b| b.bin).ok_or_else(|| {
        Error::new(
            Code::UnknownBank,
            format!(
                "bank {bank:?} is neither a six-digit BIN nor a VietQR bank code (see banks.list)"
            ),
        )
    })
}

fn check_account(account: &str) -> Result<()> {
    match rules::account(account) {
        Ok(()) => Ok(()),
        Err(AccountFault::NotAlphanumeric) => Err(Error::new(
            Code::InvalidAccount,
            format!("account {account:?} may hold only letters and digits"),
        )),
        Err(AccountFault::Length) => Err(Error::new(
            Code::InvalidAccount,
            format!(
                "account must be 1 to {ACCOUNT_MAX} characters, got {}",
                account.len()
            ),
        )),
    }
}

fn check_additional(value: &str, name: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::new(
            Code::ValueEmpty,
            format!("{name} is empty; leave it out instead"),
        ));
    }
    if !value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(Error::new(
            Code::NotAscii,
            format!("{name} {value:?} has characters outside printable ASCII; fold it first (text.fold)"),
        ));
    }
    if value.len() > ADDITIONAL_MAX {
        return Err(Error::new(
            Code::ValueTooLong,
            format!(
                "{name} is {} characters; at most {ADDITIONAL_MAX} fit in tag 62",
                value.len()
            ),
        ));
    }
    Ok(())
}

/// Parses and validates a payload: every length, the CRC (either case), the
/// NAPAS template and the fields VietQR needs. Unknown tags are tolerated.
///
/// ```
/// let p = vietqr::emv::payload::parse("00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F").unwrap();
/// assert_eq!((p.bin.as_str(), p.account.as_str(), p.amount), ("970416", "257678859", None));
/// ```
pub fn parse(payload: &str) -> Result<Payload> {
    let payload = payload.trim_end_matches(['\r', '\n']);
    if payload.len() < 8 {
        return Err(Error::new(
            Code::Truncated,
            format!(
                "payload is {} characters; too short to hold a CRC",
                payload.len()
            ),
        ));
    }
    let fields = tlv::parse(payload, 0, "payload")?;
    let last = fields.last().expect("non-empty payload has a field");
    if last.id != "63" || last.value.len() != 4 {
        return Err(Error::new(
            Code::MissingCrc,
            "payload does not end with a CRC field (6304 and four hex digits)",
        ));
    }
    let given = last.value;
    let computed = crc::crc16_hex(&payload.as_bytes()[..last.offset + 4]);
    if !given.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::new(
            Code::CrcMismatch,
            format!("CRC {given:?} is not four hex digits; the payload hashes to {computed}"),
        ));
    }
    if !given.eq_ignore_ascii_case(&computed) {
        return Err(Error::new(
            Code::CrcMismatch,
            format!("CRC is {given} but the payload hashes to {computed}"),
        ));
    }
    let first = &fields[0];
    if first.id != "00" || first.value != "01" {
        return Err(Error::new(
            Code::InvalidFormat,
            "payload must start with 000201 (payload format indicator 01)",
        ));
    }
    let get = |id: &str| fields.iter().find(|f| f.id == id);

    let initiation = match get("01").map(|f| f.value) {
        None => None,
        Some("11") => Some(Initiation::Static),
        Some("12") => Some(Initiation::Dynamic),
        Some(v) => {
            return Err(Error::new(
                Code::InvalidInitiation,
                format!("point of initiation (tag 01) is {v:?}; expected 11 or 12"),
            ))
        }
    };

    let merchant = get("38").ok_or_else(|| {
        Error::new(
            Code::NotVietqr,
            "payload has no NAPAS account field (tag 38); it is not a VietQR transfer code",
        )
    })?;
    let sub = tlv::parse(merchant.value, merchant.offset + 4, "tag 38")?;
    let sub_get = |id: &str| sub.iter().find(|f| f.id == id);
    match sub_get("00") {
        Some(f) if f.value.eq_ignore_ascii_case(NAPAS_GUID) => {}
        Some(f) => {
            return Err(Error::new(
                Code::NotVietqr,
                format!("tag 38 GUID is {:?}; VietQR uses {NAPAS_GUID}", f.value),
            ))
        }
        None => return Err(Error::new(Code::NotVietqr, "tag 38 has no GUID (38/00)")),
    }
    let service = match sub_get("02").map(|f| f.value) {
        Some("QRIBFTTA") => Service::Account,
        Some("QRIBFTTC") => Service::Card,
        Some(v) => {
            return Err(Error::new(
                Code::UnsupportedService,
                format!("service code (38/02) is {v:?}; only QRIBFTTA and QRIBFTTC are transfers"),
            ))
        }
        None => {
            return Err(Error::new(
                Code::MissingField,
                "tag 38 has no service code (38/02)",
            ))
        }
    };
    let benef = sub_get("01")
        .ok_or_else(|| Error::new(Code::MissingField, "tag 38 has no beneficiary (38/01)"))?;
    let bsub = tlv::parse(benef.value, benef.offset + 4, "tag 38/01")?;
    let bin = bsub
        .iter()
        .find(|f| f.id == "00")
        .map(|f| f.value)
        .ok_or_else(|| Error::new(Code::MissingField, "beneficiary has no bank BIN (38/01/00)"))?;
    if !banks::is_bin(bin) {
        return Err(Error::new(
            Code::InvalidBin,
            format!("bank BIN (38/01/00) is {bin:?}; expected six digits"),
        ));
    }
    let account = bsub
        .iter()
        .find(|f| f.id == "01")
        .map(|f| f.value)
        .ok_or_else(|| Error::new(Code::MissingField, "beneficiary has no account (38/01/01)"))?;
    check_account(account)?;

    match get("53").map(|f| f.value) {
        Some("704") => {}
        Some(v) => {
            return Err(Error::new(
                Code::InvalidCurrency,
                format!("currency (tag 53) is {v:?}; VietQR transfers are in VND (704)"),
            ))
        }
        None => {
            return Err(Error::new(
                Code::MissingField,
                "payload has no currency (tag 53)",
            ))
        }
    }
    match get("58").map(|f| f.value) {
        Some("VN") => {}
        Some(v) => {
            return Err(Error::new(
                Code::InvalidCountry,
                format!("country (tag 58) is {v:?}; expected VN"),
            ))
        }
        None => {
            return Err(Error::new(
                Code::MissingField,
                "payload has no country (tag 58)",
            ))
        }
    }
    let amount = match get("54") {
        None => None,
        Some(f) => Some(parse_amount(f.value)?),
    };
    let (mut purpose, mut bill_number) = (None, None);
    if let Some(add) = get("62") {
        for f in tlv::parse(add.value, add.offset + 4, "tag 62")? {
            match f.id {
                "01" => bill_number = Some(f.value.to_string()),
                "08" => purpose = Some(f.value.to_string()),
                _ => {}
            }
        }
    }
    Ok(Payload {
        initiation,
        bin: bin.to_string(),
        bank_code: banks::lookup(bin).map(|b| b.code),
        account: account.to_string(),
        service,
        amount,
        purpose,
        bill_number,
        crc: given.to_string(),
    })
}

fn parse_amount(v: &str) -> Result<u64> {
    // VND has no minor unit, but some generators write "10000.00"; accept a
    // zero fraction of one or two digits only. "10.000" is a Vietnamese
    // thousands separator, and reading it as 10 VND would lose money.
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    let ok = !int.is_empty()
        && int.len() <= rules::AMOUNT_DIGITS
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.len() <= 2
        && !v.ends_with('.')
        && frac.bytes().all(|b| b == b'0');
    match int.parse::<u64>() {
        Ok(n) if ok && n > 0 => Ok(n),
        _ => Err(Error::new(
            Code::InvalidAmount,
            format!("amount (tag 54) is {v:?}; expected a positive whole number of VND"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATIC_ACB: &str = "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F";

    #[test]
    fn builds_the_static_example() {
        let p = build(&PayloadRequest {
            bank: "970416".into(),
            account: "257678859".into(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(p, STATIC_ACB);
    }

    #[test]
    fn crc_mismatch_names_both_values() {
        let bad = STATIC_ACB.replace("AE9F", "AE9E");
        let err = parse(&bad).unwrap_err();
        assert_eq!(err.code, "crc_mismatch");
        assert_eq!(err.message, "CRC is AE9E but the payload hashes to AE9F");
        assert!(parse(&STATIC_ACB.replace("AE9F", "ae9f")).is_ok());
    }

    #[test]
    fn builder_limits() {
        let mut req = PayloadRequest {
            bank: "ACB".into(),
            account: "1".repeat(20),
            ..Default::default()
        };
        assert_eq!(
            build(&req).unwrap_err().message,
            "account must be 1 to 19 characters, got 20"
        );
        req.account = "123".into();
        req.purpose = Some("x".repeat(26));
        assert_eq!(
            build(&req).unwrap_err().message,
            "purpose is 26 characters; at most 25 fit in tag 62"
        );
        req.purpose = Some("Tiền".into());
        assert_eq!(build(&req).unwrap_err().code, "not_ascii");
        req.purpose = None;
        req.amount = Some(0);
        assert_eq!(build(&req).unwrap_err().code, "invalid_amount");
        assert_eq!(parse_amount("10000.00"), Ok(10000));
        assert_eq!(
            parse_amount("10.000").unwrap_err().message,
            r#"amount (tag 54) is "10.000"; expected a positive whole number of VND"#
        );
        assert!(parse_amount("10.").is_err());
        req.bank = "XYZ".into();
        assert_eq!(build(&req).unwrap_err().code, "unknown_bank");
    }
}
