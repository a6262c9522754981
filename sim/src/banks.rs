//! The banks VietQR.vn knows: VietQR bank code, NAPAS BIN (acquirer id)
//! and legal name, from docs/protocol.md §4. `bankCode` in requests is
//! one of these codes, or a BIN, which the server maps to the code.

/// One bank of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bank {
    pub bin: &'static str,
    pub code: &'static str,
    pub name: &'static str,
}

const fn bank(bin: &'static str, code: &'static str, name: &'static str) -> Bank {
    Bank { bin, code, name }
}

/// docs/protocol.md §4, in its order. Where a BIN was reassigned (970414, 970406)
/// the older code comes first, so a BIN maps to the code VietQR.vn used in 2024.
static BANKS: &[Bank] = &[
    bank("970436", "VCB", "Ngân hàng TMCP Ngoại Thương Việt Nam"),
    bank("970415", "ICB", "Ngân hàng TMCP Công thương Việt Nam"),
    bank(
        "970418",
        "BIDV",
        "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam",
    ),
    bank(
        "970405",
        "VBA",
        "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam",
    ),
    bank("970407", "TCB", "Ngân hàng TMCP Kỹ thương Việt Nam"),
    bank("970432", "VPB", "Ngân hàng TMCP Việt Nam Thịnh Vượng"),
    bank("970403", "STB", "Ngân hàng TMCP Sài Gòn Thương Tín"),
    bank("970422", "MB", "Ngân hàng TMCP Quân đội"),
    bank(
        "970437",
        "HDB",
        "Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh",
    ),
    bank("970416", "ACB", "Ngân hàng TMCP Á Châu"),
    bank("970443", "SHB", "Ngân hàng TMCP Sài Gòn - Hà Nội"),
    bank("970441", "VIB", "Ngân hàng TMCP Quốc tế Việt Nam"),
    bank("970423", "TPB", "Ngân hàng TMCP Tiên Phong"),
    bank("970448", "OCB", "Ngân hàng TMCP Phương Đông"),
    bank("970426", "MSB", "Ngân hàng TMCP Hàng Hải"),
    bank("970449", "LPB", "Ngân hàng TMCP Lộc Phát Việt Nam"),
    bank("970428", "NAB", "Ngân hàng TMCP Nam Á"),
    bank("970419", "NCB", "Ngân hàng TMCP Quốc Dân"),
    bank("970412", "PVCB", "Ngân hàng TMCP Đại Chúng Việt Nam"),
    bank("970429", "SCB", "Ngân hàng TMCP Sài Gòn"),
    bank("970431", "EIB", "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam"),
    bank("970430", "PGB", "Ngân hàng TMCP Xăng dầu Petrolimex"),
    bank("970425", "ABB", "Ngân hàng TMCP An Bình"),
    bank("970409", "BAB", "Ngân hàng TMCP Bắc Á"),
    bank("970438", "BVB", "Ngân hàng TMCP Bảo Việt"),
    bank("970406", "DOB", "Ngân hàng TMCP Đông Á"),
    bank("970452", "KLB", "Ngân hàng TMCP Kiên Long"),
    bank("970414", "Oceanbank", "Ngân hàng TM TNHH MTV Đại Dương"),
    bank("970440", "SEAB", "Ngân hàng TMCP Đông Nam Á"),
    bank("970400", "SGICB", "Ngân hàng TMCP Sài Gòn Công Thương"),
    bank("970427", "VAB", "Ngân hàng TMCP Việt Á"),
    bank("970454", "VCCB", "Ngân hàng TMCP Bản Việt"),
    bank("970433", "VIETBANK", "Ngân hàng TMCP Việt Nam Thương Tín"),
    bank("970408", "GPB", "Ngân hàng TM TNHH MTV Dầu Khí Toàn Cầu"),
    bank("970444", "CBB", "Ngân hàng TM TNHH MTV Xây dựng Việt Nam"),
    bank("546034", "CAKE", "Ngân hàng số CAKE by VPBank"),
    bank("546035", "Ubank", "Ngân hàng số Ubank by VPBank"),
    bank("963388", "TIMO", "Ngân hàng số Timo by Ban Viet Bank"),
    bank("970424", "SHBVN", "Ngân hàng TNHH MTV Shinhan Việt Nam"),
    bank("458761", "HSBC", "Ngân hàng TNHH MTV HSBC (Việt Nam)"),
    bank(
        "970410",
        "SCVN",
        "Ngân hàng TNHH MTV Standard Chartered Bank Việt Nam",
    ),
    bank("970457", "WVN", "Ngân hàng TNHH MTV Woori Việt Nam"),
    bank("422589", "CIMB", "Ngân hàng TNHH MTV CIMB Việt Nam"),
    bank("970442", "HLBVN", "Ngân hàng TNHH MTV Hong Leong Việt Nam"),
    bank("970439", "PBVN", "Ngân hàng TNHH MTV Public Việt Nam"),
    bank("970434", "IVB", "Ngân hàng TNHH Indovina"),
    bank("533948", "CITIBANK", "Ngân hàng Citibank, N.A. - CN Hà Nội"),
    bank("796500", "DBS", "DBS Bank Ltd - CN TP. Hồ Chí Minh"),
    bank(
        "970458",
        "UOB",
        "Ngân hàng United Overseas - CN TP. Hồ Chí Minh",
    ),
    bank(
        "970455",
        "IBK - HN",
        "Ngân hàng Công nghiệp Hàn Quốc - CN Hà Nội",
    ),
    bank(
        "970456",
        "IBK - HCM",
        "Ngân hàng Công nghiệp Hàn Quốc - CN TP. HCM",
    ),
    bank("970466", "KEBHANAHCM", "Ngân hàng KEB Hana – CN TP. HCM"),
    bank("970467", "KEBHANAHN", "Ngân hàng KEB Hana – CN Hà Nội"),
    bank("970462", "KBHN", "Ngân hàng Kookmin - CN Hà Nội"),
    bank("970463", "KBHCM", "Ngân hàng Kookmin - CN TP. HCM"),
    bank("801011", "NHB HN", "Ngân hàng Nonghyup - CN Hà Nội"),
    bank("668888", "KBank", "Ngân hàng Đại chúng TNHH Kasikornbank"),
    bank("970421", "VRB", "Ngân hàng Liên doanh Việt - Nga"),
    bank("970446", "COOPBANK", "Ngân hàng Hợp tác xã Việt Nam"),
    bank("999888", "VBSP", "Ngân hàng Chính sách Xã hội"),
    bank(
        "977777",
        "MAFC",
        "Công ty Tài chính TNHH MTV Mirae Asset (Việt Nam)",
    ),
    bank(
        "971005",
        "VTLMONEY",
        "Tổng Công ty Dịch vụ số Viettel (Viettel Money)",
    ),
    bank("971011", "VNPTMONEY", "VNPT Money"),
    bank("970414", "MBV", "Ngân hàng TNHH MTV Việt Nam Hiện Đại"),
    bank("970406", "Vikki", "Ngân hàng TNHH MTV Số Vikki"),
    bank("971025", "momo", "CTCP Dịch Vụ Di Động Trực Tuyến (MoMo)"),
    bank("971133", "PVDB", "Ngân hàng số PVcomBank Pay"),
];

/// The bank for a VietQR code (any case, as the server's database compares)
/// or, when `code_or_bin` is all digits, for a BIN.
pub fn lookup(code_or_bin: &str) -> Option<&'static Bank> {
    let key = code_or_bin.trim();
    if !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit()) {
        return BANKS.iter().find(|b| b.bin == key);
    }
    BANKS.iter().find(|b| b.code.eq_ignore_ascii_case(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_bins() {
        assert_eq!(lookup("MB").unwrap().bin, "970422");
        assert_eq!(lookup("mb").unwrap().code, "MB");
        assert_eq!(lookup("970422").unwrap().code, "MB");
        assert_eq!(lookup("970414").unwrap().code, "Oceanbank");
        assert_eq!(lookup("MBV").unwrap().bin, "970414");
        assert_eq!(lookup("IBK - HN").unwrap().bin, "970455");
        assert!(lookup("XYZ").is_none());
        assert!(lookup("").is_none());
        assert_eq!(BANKS.len(), 67);
    }
}
