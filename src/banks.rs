//! Vietnamese banks: NAPAS BIN (the acquirer ID inside a VietQR payload) and
//! the VietQR.vn `bankCode`. Source: the vietqr.io bank list (two snapshots),
//! cross-checked with vietnam-qr-pay and the SBV BIN list; see
//! `docs/protocol.md` §4.

use serde::Serialize;

/// One bank as VietQR knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Bank {
    /// Six-digit NAPAS BIN, carried in tag 38/01/00 of the payload.
    pub bin: &'static str,
    /// VietQR.vn / vietqr.io `bankCode`, e.g. `MB`.
    pub code: &'static str,
    pub short_name: &'static str,
    /// Legal name in Vietnamese.
    pub name: &'static str,
}

/// Every bank, most used first. Where a BIN was handed to a new bank
/// (970414 Oceanbank → MBV, 970406 DongA → Vikki), the current holder comes
/// first so that lookup by BIN finds it; the old code still resolves.
pub static BANKS: &[Bank] = &[
    Bank {
        bin: "970436",
        code: "VCB",
        short_name: "Vietcombank",
        name: "Ngân hàng TMCP Ngoại Thương Việt Nam",
    },
    Bank {
        bin: "970415",
        code: "ICB",
        short_name: "VietinBank",
        name: "Ngân hàng TMCP Công thương Việt Nam",
    },
    Bank {
        bin: "970418",
        code: "BIDV",
        short_name: "BIDV",
        name: "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam",
    },
    Bank {
        bin: "970405",
        code: "VBA",
        short_name: "Agribank",
        name: "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam",
    },
    Bank {
        bin: "970407",
        code: "TCB",
        short_name: "Techcombank",
        name: "Ngân hàng TMCP Kỹ thương Việt Nam",
    },
    Bank {
        bin: "970432",
        code: "VPB",
        short_name: "VPBank",
        name: "Ngân hàng TMCP Việt Nam Thịnh Vượng",
    },
    Bank {
        bin: "970403",
        code: "STB",
        short_name: "Sacombank",
        name: "Ngân hàng TMCP Sài Gòn Thương Tín",
    },
    Bank {
        bin: "970422",
        code: "MB",
        short_name: "MBBank",
        name: "Ngân hàng TMCP Quân đội",
    },
    Bank {
        bin: "970437",
        code: "HDB",
        short_name: "HDBank",
        name: "Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh",
    },
    Bank {
        bin: "970416",
        code: "ACB",
        short_name: "ACB",
        name: "Ngân hàng TMCP Á Châu",
    },
    Bank {
        bin: "970443",
        code: "SHB",
        short_name: "SHB",
        name: "Ngân hàng TMCP Sài Gòn - Hà Nội",
    },
    Bank {
        bin: "970441",
        code: "VIB",
        short_name: "VIB",
        name: "Ngân hàng TMCP Quốc tế Việt Nam",
    },
    Bank {
        bin: "970423",
        code: "TPB",
        short_name: "TPBank",
        name: "Ngân hàng TMCP Tiên Phong",
    },
    Bank {
        bin: "970448",
        code: "OCB",
        short_name: "OCB",
        name: "Ngân hàng TMCP Phương Đông",
    },
    Bank {
        bin: "970426",
        code: "MSB",
        short_name: "MSB",
        name: "Ngân hàng TMCP Hàng Hải",
    },
    Bank {
        bin: "970449",
        code: "LPB",
        short_name: "LPBank",
        name: "Ngân hàng TMCP Lộc Phát Việt Nam",
    },
    Bank {
        bin: "970428",
        code: "NAB",
        short_name: "NamABank",
        name: "Ngân hàng TMCP Nam Á",
    },
    Bank {
        bin: "970419",
        code: "NCB",
        short_name: "NCB",
        name: "Ngân hàng TMCP Quốc Dân",
    },
    Bank {
        bin: "970412",
        code: "PVCB",
        short_name: "PVcomBank",
        name: "Ngân hàng TMCP Đại Chúng Việt Nam",
    },
    Bank {
        bin: "970429",
        code: "SCB",
        short_name: "SCB",
        name: "Ngân hàng TMCP Sài Gòn",
    },
    Bank {
        bin: "970431",
        code: "EIB",
        short_name: "Eximbank",
        name: "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam",
    },
    Bank {
        bin: "970430",
        code: "PGB",
        short_name: "PGBank",
        name: "Ngân hàng TMCP Thịnh vượng và Phát triển",
    },
    Bank {
        bin: "970425",
        code: "ABB",
        short_name: "ABBANK",
        name: "Ngân hàng TMCP An Bình",
    },
    Bank {
        bin: "970409",
        code: "BAB",
        short_name: "BacABank",
        name: "Ngân hàng TMCP Bắc Á",
    },
    Bank {
        bin: "970438",
        code: "BVB",
        short_name: "BaoVietBank",
        name: "Ngân hàng TMCP Bảo Việt",
    },
    Bank {
        bin: "970406",
        code: "Vikki",
        short_name: "Vikki",
        name: "Ngân hàng TNHH MTV Số Vikki",
    },
    Bank {
        bin: "970406",
        code: "DOB",
        short_name: "DongABank",
        name: "Ngân hàng TMCP Đông Á",
    },
    Bank {
        bin: "970452",
        code: "KLB",
        short_name: "KienLongBank",
        name: "Ngân hàng TMCP Kiên Long",
    },
    Bank {
        bin: "970414",
        code: "MBV",
        short_name: "MBV",
        name: "Ngân hàng TNHH MTV Việt Nam Hiện Đại",
    },
    Bank {
        bin: "970414",
        code: "Oceanbank",
        short_name: "Oceanbank",
        name: "Ngân hàng TM TNHH MTV Đại Dương",
    },
    Bank {
        bin: "970440",
        code: "SEAB",
        short_name: "SeABank",
        name: "Ngân hàng TMCP Đông Nam Á",
    },
    Bank {
        bin: "970400",
        code: "SGICB",
        short_name: "SaigonBank",
        name: "Ngân hàng TMCP Sài Gòn Công Thương",
    },
    Bank {
        bin: "970427",
        code: "VAB",
        short_name: "VietABank",
        name: "Ngân hàng TMCP Việt Á",
    },
    Bank {
        bin: "970454",
        code: "VCCB",
        short_name: "VietCapitalBank",
        name: "Ngân hàng TMCP Bản Việt (BVBank)",
    },
    Bank {
        bin: "970433",
        code: "VIETBANK",
        short_name: "VietBank",
        name: "Ngân hàng TMCP Việt Nam Thương Tín",
    },
    Bank {
        bin: "970408",
        code: "GPB",
        short_name: "GPBank",
        name: "Ngân hàng TM TNHH MTV Dầu Khí Toàn Cầu",
    },
    Bank {
        bin: "970444",
        code: "CBB",
        short_name: "CBBank",
        name: "Ngân hàng TM TNHH MTV Xây dựng Việt Nam",
    },
    Bank {
        bin: "546034",
        code: "CAKE",
        short_name: "CAKE",
        name: "Ngân hàng số CAKE by VPBank",
    },
    Bank {
        bin: "546035",
        code: "Ubank",
        short_name: "Ubank",
        name: "Ngân hàng số Ubank by VPBank",
    },
    Bank {
        bin: "963388",
        code: "TIMO",
        short_name: "Timo",
        name: "Ngân hàng số Timo by Ban Viet Bank",
    },
    Bank {
        bin: "970424",
        code: "SHBVN",
        short_name: "ShinhanBank",
        name: "Ngân hàng TNHH MTV Shinhan Việt Nam",
    },
    Bank {
        bin: "458761",
        code: "HSBC",
        short_name: "HSBC",
        name: "Ngân hàng TNHH MTV HSBC (Việt Nam)",
    },
    Bank {
        bin: "970410",
        code: "SCVN",
        short_name: "StandardChartered",
        name: "Ngân hàng TNHH MTV Standard Chartered Bank Việt Nam",
    },
    Bank {
        bin: "970457",
        code: "WVN",
        short_name: "Woori",
        name: "Ngân hàng TNHH MTV Woori Việt Nam",
    },
    Bank {
        bin: "422589",
        code: "CIMB",
        short_name: "CIMB",
        name: "Ngân hàng TNHH MTV CIMB Việt Nam",
    },
    Bank {
        bin: "970442",
        code: "HLBVN",
        short_name: "HongLeong",
        name: "Ngân hàng TNHH MTV Hong Leong Việt Nam",
    },
    Bank {
        bin: "970439",
        code: "PBVN",
        short_name: "PublicBank",
        name: "Ngân hàng TNHH MTV Public Việt Nam",
    },
    Bank {
        bin: "970434",
        code: "IVB",
        short_name: "IndovinaBank",
        name: "Ngân hàng TNHH Indovina",
    },
    Bank {
        bin: "533948",
        code: "CITIBANK",
        short_name: "Citibank",
        name: "Ngân hàng Citibank, N.A. - CN Hà Nội",
    },
    Bank {
        bin: "796500",
        code: "DBS",
        short_name: "DBSBank",
        name: "DBS Bank Ltd - CN TP. Hồ Chí Minh",
    },
    Bank {
        bin: "970458",
        code: "UOB",
        short_name: "UnitedOverseas",
        name: "Ngân hàng United Overseas - CN TP. Hồ Chí Minh",
    },
    Bank {
        bin: "970455",
        code: "IBK - HN",
        short_name: "IBKHN",
        name: "Ngân hàng Công nghiệp Hàn Quốc - CN Hà Nội",
    },
    Bank {
        bin: "970456",
        code: "IBK - HCM",
        short_name: "IBKHCM",
        name: "Ngân hàng Công nghiệp Hàn Quốc - CN TP. HCM",
    },
    Bank {
        bin: "970466",
        code: "KEBHANAHCM",
        short_name: "KEBHanaHCM",
        name: "Ngân hàng KEB Hana – CN TP. HCM",
    },
    Bank {
        bin: "970467",
        code: "KEBHANAHN",
        short_name: "KEBHANAHN",
        name: "Ngân hàng KEB Hana – CN Hà Nội",
    },
    Bank {
        bin: "970462",
        code: "KBHN",
        short_name: "KookminHN",
        name: "Ngân hàng Kookmin - CN Hà Nội",
    },
    Bank {
        bin: "970463",
        code: "KBHCM",
        short_name: "KookminHCM",
        name: "Ngân hàng Kookmin - CN TP. HCM",
    },
    Bank {
        bin: "801011",
        code: "NHB HN",
        short_name: "Nonghyup",
        name: "Ngân hàng Nonghyup - CN Hà Nội",
    },
    Bank {
        bin: "668888",
        code: "KBank",
        short_name: "KBank",
        name: "Ngân hàng Đại chúng TNHH Kasikornbank",
    },
    Bank {
        bin: "970421",
        code: "VRB",
        short_name: "VRB",
        name: "Ngân hàng Liên doanh Việt - Nga",
    },
    Bank {
        bin: "970446",
        code: "COOPBANK",
        short_name: "COOPBANK",
        name: "Ngân hàng Hợp tác xã Việt Nam",
    },
    Bank {
        bin: "999888",
        code: "VBSP",
        short_name: "VBSP",
        name: "Ngân hàng Chính sách Xã hội",
    },
    Bank {
        bin: "977777",
        code: "MAFC",
        short_name: "MAFC",
        name: "Công ty Tài chính TNHH MTV Mirae Asset (Việt Nam)",
    },
    Bank {
        bin: "971005",
        code: "VTLMONEY",
        short_name: "ViettelMoney",
        name: "Tổng Công ty Dịch vụ số Viettel (Viettel Money)",
    },
    Bank {
        bin: "971011",
        code: "VNPTMONEY",
        short_name: "VNPTMoney",
        name: "VNPT Money",
    },
    Bank {
        bin: "971025",
        code: "momo",
        short_name: "MoMo",
        name: "CTCP Dịch Vụ Di Động Trực Tuyến (MoMo)",
    },
    Bank {
        bin: "971133",
        code: "PVDB",
        short_name: "PVcomBank Pay",
        name: "Ngân hàng số PVcomBank Pay",
    },
];

/// The bank with this six-digit BIN.
///
/// ```
/// assert_eq!(vietqr::banks::by_bin("970422").unwrap().code, "MB");
/// assert_eq!(vietqr::banks::by_bin("970414").unwrap().code, "MBV");
/// ```
pub fn by_bin(bin: &str) -> Option<&'static Bank> {
    BANKS.iter().find(|b| b.bin == bin)
}

/// The bank with this VietQR code, ignoring case (`acb` finds `ACB`).
///
/// ```
/// assert_eq!(vietqr::banks::by_code("vcb").unwrap().bin, "970436");
/// ```
pub fn by_code(code: &str) -> Option<&'static Bank> {
    let code = code.trim();
    BANKS.iter().find(|b| b.code.eq_ignore_ascii_case(code))
}

/// A BIN (six digits) or a code, as users type either: the one way the
/// core resolves a bank (`banks.lookup`, `payload.build`, `payload.parse`'s
/// `bank_code` and every `api.*.request` that takes a bank). A code is
/// matched ignoring case and surrounding spaces; a BIN exactly.
///
/// ```
/// use vietqr::banks::lookup;
/// assert_eq!(lookup("970422").unwrap().code, "MB");
/// assert_eq!(lookup(" mb ").unwrap().bin, "970422");
/// assert!(lookup("999999").is_none());
/// ```
pub fn lookup(bin_or_code: &str) -> Option<&'static Bank> {
    if is_bin(bin_or_code) {
        by_bin(bin_or_code)
    } else {
        by_code(bin_or_code)
    }
}

/// Whether `s` has the shape of a BIN: exactly six ASCII digits.
pub fn is_bin(s: &str) -> bool {
    s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_well_formed() {
        assert!(BANKS.len() >= 60, "{} banks", BANKS.len());
        for (i, b) in BANKS.iter().enumerate() {
            assert!(is_bin(b.bin), "{b:?}");
            assert!(!b.code.is_empty() && !b.short_name.is_empty() && !b.name.is_empty());
            for other in &BANKS[i + 1..] {
                assert!(
                    !b.code.eq_ignore_ascii_case(other.code),
                    "duplicate code {}",
                    b.code
                );
            }
        }
    }

    #[test]
    fn big_banks_match_the_reference() {
        for (code, bin) in [
            ("VCB", "970436"),
            ("ICB", "970415"),
            ("BIDV", "970418"),
            ("VBA", "970405"),
            ("TCB", "970407"),
            ("MB", "970422"),
            ("ACB", "970416"),
            ("VPB", "970432"),
            ("STB", "970403"),
            ("TPB", "970423"),
            ("VCCB", "970454"),
            ("LPB", "970449"),
        ] {
            assert_eq!(by_code(code).unwrap().bin, bin);
        }
        assert_eq!(by_bin("970406").unwrap().code, "Vikki");
        assert_eq!(by_code("DOB").unwrap().bin, "970406");
        assert!(lookup("970499").is_none());
        assert!(lookup("NOPE").is_none());
    }
}
