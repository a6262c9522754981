//! VietQR.vn's error codes: what each means (English, Vietnamese) and what
//! the shop owner can do about it.
//!
//! Codes and meanings: the API table of `api.vietqr.vn/en/vn/bang-ma-loi`
//! (docs/protocol.md §1k), plus codes only VietQR.vn's server code returns, read
//! from where it returns them (docs/protocol.md §1b, §1g, §1i, §1j; controllers
//! `VietQRController`, `TerminalSyncController`, `TransactionMMSController`).
//! The same page's second table (app codes, where E05 means "session
//! expired") is not about the API and is left out.

use super::Auth;
use crate::error::{Code, Error, Result, VietqrError};
use crate::input::input_struct;
use serde::Serialize;

/// One error code of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ErrorCode {
    pub code: &'static str,
    pub en: &'static str,
    pub vi: &'static str,
    pub action: &'static str,
}

const fn e(
    code: &'static str,
    en: &'static str,
    vi: &'static str,
    action: &'static str,
) -> ErrorCode {
    ErrorCode {
        code,
        en,
        vi,
        action,
    }
}

/// Every known code, in numeric order.
pub static CODES: &[ErrorCode] = &[
    e("E02", "Invalid amount", "Số tiền không hợp lệ",
      "Send the amount as a whole number of VND greater than 0."),
    e("E03", "Invalid transaction type (transType)", "Loại giao dịch (transType) không hợp lệ",
      "Send transType \"C\" (money in) or \"D\" (money out)."),
    e("E05", "Unknown error", "Lỗi không xác định",
      "Try again in a few minutes. If it keeps happening, contact VietQR support with the time of the request (for ecommerce sync, E05 also means the token is not from your ecommerce account)."),
    e("E09", "Invalid content", "Nội dung chuyển khoản không hợp lệ",
      "Use at most 19 letters, digits and spaces, without Vietnamese accents or symbols."),
    e("E10", "Invalid account number", "Số tài khoản không hợp lệ",
      "Check the bank account number in your VietQR settings."),
    e("E24", "No bank found for the given bankCode", "Không tìm thấy ngân hàng theo mã bankCode",
      "Use a VietQR bank code such as MB, VCB, ICB or BIDV."),
    e("E25", "Bank account not found in VietQR for this bank", "Không tìm thấy tài khoản ngân hàng trên hệ thống VietQR",
      "Check the account number and bank, and link the account to your VietQR merchant in the VietQR app or portal."),
    e("E26", "Content too long", "Nội dung chuyển khoản quá dài",
      "Shorten the content to at most 19 letters, digits and spaces."),
    e("E34", "Invalid request data (amount, content or bank code)", "Dữ liệu yêu cầu không hợp lệ (số tiền, nội dung hoặc mã ngân hàng)",
      "Check the amount, content and bank code of the request."),
    e("E35", "The bank account has no terminal at the bank", "Tài khoản ngân hàng chưa có điểm bán (terminal) tại ngân hàng",
      "Ask VietQR support to finish registering this account for QR payments."),
    e("E36", "Bank account not found in VietQR", "Tài khoản ngân hàng không tồn tại trên hệ thống VietQR",
      "Link the account in the VietQR app or portal first, then try again."),
    e("E39", "Invalid checksum (checkSum)", "Mã kiểm tra (checkSum) không hợp lệ",
      "Check the key the checksum is made with (API password or access key, API username, refund secret key) and that it is the one for this environment."),
    e("E42", "The partner account has no refund permission", "Tài khoản đối tác không có quyền hoàn tiền",
      "Ask VietQR to enable refunds for your account."),
    e("E43", "Refund failed", "Hoàn tiền thất bại",
      "Check the transaction with check-order, then try again later or contact VietQR support."),
    e("E44", "Transaction (referenceNumber) does not exist", "Giao dịch (referenceNumber) không tồn tại",
      "Check the reference number (FT code) of the payment with check-order."),
    e("E45", "Invalid refund amount (more than the transaction total)", "Số tiền hoàn không hợp lệ (vượt quá tổng số tiền giao dịch)",
      "Refund at most the amount paid minus what was already refunded."),
    e("E46", "Invalid request body or parameter", "Dữ liệu yêu cầu hoặc tham số không hợp lệ",
      "Check that every required field is filled in; qrType must be 0, 1 or 3."),
    e("E51", "Invalid bank code (bankCode)", "Mã ngân hàng (bankCode) không hợp lệ",
      "Use a VietQR bank code such as MB, VCB, ICB or BIDV."),
    e("E58", "Incorrect type (the default is 0)", "Loại (type) không đúng (mặc định là 0)",
      "Check the type field of the request; leave it at 0 unless VietQR told you otherwise."),
    e("E67", "User information not found", "Không tìm thấy thông tin người dùng",
      "Check the VietQR account you connected; contact VietQR support if it is correct."),
    e("E74", "Invalid token", "Token không hợp lệ",
      "Get a new token and try again. If it keeps happening, check that the API username and password are for this environment (sandbox or production); for ecommerce sync, E74 also means the checksum is wrong, so check the ecommerce password."),
    e("E75", "Test callback is not available (called on production)", "Dịch vụ test callback không khả dụng (đang gọi môi trường production)",
      "Send test callbacks to the sandbox (https://dev.vietqr.org/vqr) only."),
    e("E76", "The partner is not registered in the system", "Đối tác chưa được đăng ký trên hệ thống",
      "Register your API connection with VietQR first."),
    e("E77", "The bank account does not match the partner's information", "Tài khoản ngân hàng không khớp với thông tin đối tác",
      "Use a bank account that is linked to your VietQR API connection."),
    e("E95", "Invalid lookup type (type)", "Loại tra cứu (type) không hợp lệ",
      "Look up by order id (type 0) or by reference number (type 1)."),
    e("E96", "No matching transaction found", "Không tìm thấy giao dịch tương ứng",
      "Check the order id or reference number and the bank account; the payment may not have arrived yet."),
    e("E101", "The bank account is not linked to VietQR", "Tài khoản ngân hàng chưa được liên kết với VietQR",
      "Link and authenticate the account in the VietQR app, then sync again."),
    e("E104", "The partner's merchant registration was not found", "Không tìm thấy thông tin đăng ký đại lý (merchant) của đối tác",
      "Check the merchant id (mid) or merchant name, or ask VietQR to register your merchant."),
    e("E151", "Static QR codes are not available for this bank through the API", "Ngân hàng này chưa hỗ trợ tạo mã QR tĩnh qua API",
      "Use a dynamic QR code, or an account at a bank that supports static QR (MB)."),
    e("E152", "No terminal found for this bank account", "Không tìm thấy điểm bán (terminal) của tài khoản ngân hàng",
      "Sync the point of sale first (TID sync) and check the terminal code."),
    e("E153", "The same terminal code appears twice in the request", "Mã điểm bán (terminalCode) bị trùng trong yêu cầu",
      "Send each terminal code only once."),
    e("E155", "The bank account already belongs to another merchant", "Tài khoản ngân hàng đã thuộc về đại lý (merchant) khác",
      "Use another bank account, or ask VietQR support to move it to this merchant."),
    e("E157", "The transaction can only be refunded once", "Giao dịch chỉ được hoàn tiền một lần",
      "The first refund did not allow several refunds (multiTimes); refund the rest another way."),
    e("E158", "A request is waiting to be processed", "Có yêu cầu đang chờ xử lý",
      "Wait about 30 seconds and check the transaction with check-order before trying again."),
    e("E163", "Certificate not found", "Không tìm thấy mã chứng thực (certificate)",
      "Run ecommerce sync again to get a valid certificate."),
    e("E164", "The terminal code does not match the transaction (or the certificate is unknown)", "Mã điểm bán không khớp với giao dịch gốc (hoặc mã chứng thực không tồn tại)",
      "Send the terminal code and sub-terminal code of the original payment, or leave them out."),
    e("E215", "The connection to the bank timed out", "Kết nối tới ngân hàng bị quá thời gian chờ",
      "Check with check-order whether the refund went through before trying again."),
    e("E216", "Invalid account or card number", "Số tài khoản hoặc số thẻ không hợp lệ",
      "Check the account of the original payment; contact VietQR support if it is correct."),
    e("E217", "The beneficiary bank has not joined the service", "Ngân hàng thụ hưởng chưa tham gia dịch vụ",
      "Refund the customer another way."),
    e("E218", "The payment was not found at the bank", "Không tìm thấy giao dịch thanh toán tại ngân hàng",
      "Check the reference number; contact VietQR support if it is correct."),
];

/// A code VietQR sent that this table does not know.
const UNKNOWN: (&str, &str, &str) = (
    "Unknown error code",
    "Mã lỗi không xác định",
    "Note the code and the time of the request and contact VietQR support.",
);

/// The entry for `code` (`e74` finds `E74`).
pub fn lookup(code: &str) -> Option<&'static ErrorCode> {
    let code = code.trim();
    CODES.iter().find(|c| c.code.eq_ignore_ascii_case(code))
}

/// `api.errors`: the whole table.
pub(crate) fn list(_: NoInput) -> Result<&'static [ErrorCode]> {
    Ok(CODES)
}

input_struct! {
    pub(crate) struct NoInput {}
}

input_struct! {
    pub(crate) struct CodeInput {
        code: String,
    }
}

/// `api.error`: one entry.
pub(crate) fn lookup_op(i: CodeInput) -> Result<&'static ErrorCode> {
    lookup(&i.code).ok_or_else(|| {
        Error::new(
            Code::UnknownErrorCode,
            format!(
                "no VietQR error code {:?} is known (api.errors lists them all)",
                i.code
            ),
        )
    })
}

/// The error for VietQR's `{"status":"FAILED","message": message}`.
/// `message` is `E74`, or `E05 - <exception text>`: the code is the prefix
/// and the rest is quoted (cut short) as VietQR's own words. The test
/// callback also passes on transaction-sync codes such as `006`.
pub(crate) fn from_failure(message: &str) -> Error {
    let message = message.trim();
    let end = message
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(message.len());
    let (code, rest) = message.split_at(end);
    let digits = code.strip_prefix(['E', 'e']).unwrap_or(code);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        // VietQR always sends a code; text without one is still a refusal.
        let entry = VietqrError {
            code: "FAILED".into(),
            en: "The request was refused without an error code".into(),
            vi: "Yêu cầu bị từ chối nhưng không kèm mã lỗi".into(),
            action: "Check the request; if it keeps happening, contact VietQR support with the time of the request."
                .into(),
        };
        return vietqr_error(Code::VietqrError, entry, message);
    }
    let detail = rest.trim_start_matches([' ', '-', ':']).trim();
    vietqr_error(Code::VietqrError, describe(code), detail)
}

/// The meaning of `code`, generic when the table does not know it.
pub fn describe(code: &str) -> VietqrError {
    match lookup(code) {
        Some(c) => VietqrError {
            code: c.code.into(),
            en: c.en.into(),
            vi: c.vi.into(),
            action: c.action.into(),
        },
        None => VietqrError {
            code: code.into(),
            en: UNKNOWN.0.into(),
            vi: UNKNOWN.1.into(),
            action: UNKNOWN.2.into(),
        },
    }
}

/// HTTP 401/403 from Spring Security, before VietQR's code runs: wrong
/// Basic credentials on token_generate, or a missing, malformed or expired JWT.
pub(crate) fn unauthorized(status: u16, auth: Auth) -> Error {
    let (en, vi, action) = match auth {
        Auth::Basic => (
            "Wrong API username or password",
            "Sai tên đăng nhập hoặc mật khẩu API",
            "Check the API username and password VietQR gave you; sandbox (dev.vietqr.org) and production (api.vietqr.org) have different ones.",
        ),
        Auth::Bearer => (
            "The access token is missing, invalid or expired",
            "Access token bị thiếu, không hợp lệ hoặc đã hết hạn",
            "Get a new token and try again; tokens from token_generate expire after 300 seconds.",
        ),
    };
    let entry = VietqrError {
        code: format!("HTTP {status}"),
        en: en.into(),
        vi: vi.into(),
        action: action.into(),
    };
    vietqr_error(Code::VietqrUnauthorized, entry, "")
}

/// "VietQR answered E74: invalid token. <action>", with VietQR's own words
/// after the meaning when it sent any.
fn vietqr_error(code: Code, entry: VietqrError, detail: &str) -> Error {
    let said = if detail.is_empty() {
        String::new()
    } else {
        format!(" (VietQR said: {:?})", shorten(detail, 200))
    };
    let message = format!(
        "VietQR answered {}: {}{said}. {}",
        entry.code,
        lower_first(&entry.en),
        entry.action
    );
    Error {
        code,
        message,
        vietqr: Some(Box::new(entry)),
    }
}

/// "Invalid token" → "invalid token", but "HTTP …" and "VietQR …" stay.
/// The English texts are ASCII: Unicode case mapping would add 11 KiB of
/// tables to the WebAssembly module.
fn lower_first(s: &str) -> String {
    let first_word = s.split(' ').next().unwrap_or("");
    if first_word.chars().skip(1).any(|c| c.is_ascii_uppercase()) {
        return s.to_string();
    }
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_ascii_lowercase().to_string() + chars.as_str()
    })
}

fn shorten(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_covers_the_reference() {
        // docs/protocol.md §1k, then the server-only codes §1b/§1g/§1j name.
        for code in [
            "E02", "E03", "E05", "E09", "E10", "E24", "E39", "E42", "E43", "E44", "E45", "E46",
            "E51", "E58", "E67", "E74", "E75", "E76", "E77", "E95", "E96", "E104", "E158", "E25",
            "E26", "E34", "E35", "E36", "E151", "E152", "E163", "E164",
        ] {
            assert!(lookup(code).is_some(), "{code}");
        }
        let number = |c: &ErrorCode| c.code[1..].parse::<u32>().unwrap();
        for pair in CODES.windows(2) {
            assert!(
                number(&pair[0]) < number(&pair[1]),
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        for c in CODES {
            assert!(c.code.starts_with('E'));
            assert!(
                !c.en.is_empty() && !c.vi.is_empty() && c.action.ends_with('.'),
                "{}",
                c.code
            );
            assert!(!c.en.ends_with('.') && !c.vi.ends_with('.'), "{}", c.code);
            // lower_first maps ASCII only
            assert!(c.en.is_ascii(), "{}", c.code);
            // Vietnamese is written with its diacritics, not folded
            assert!(!c.vi.is_ascii(), "{}", c.code);
        }
    }

    #[test]
    fn failure_messages() {
        let e = from_failure("E74");
        assert_eq!(e.code.as_str(), "vietqr_error");
        assert_eq!(
            e.message,
            "VietQR answered E74: invalid token. Get a new token and try again. If it keeps happening, check that the API username and password are for this environment (sandbox or production); for ecommerce sync, E74 also means the checksum is wrong, so check the ecommerce password."
        );
        let v = e.vietqr.unwrap();
        assert_eq!(
            (v.code.as_str(), v.en.as_str(), v.vi.as_str()),
            ("E74", "Invalid token", "Token không hợp lệ")
        );

        let e = from_failure("E05 - java.lang.NumberFormatException: For input string: \"1x\"");
        assert_eq!(
            e.message,
            "VietQR answered E05: unknown error (VietQR said: \"java.lang.NumberFormatException: For input string: \\\"1x\\\"\"). Try again in a few minutes. If it keeps happening, contact VietQR support with the time of the request (for ecommerce sync, E05 also means the token is not from your ecommerce account)."
        );

        let e = from_failure("E999");
        assert_eq!(
            e.message,
            "VietQR answered E999: unknown error code. Note the code and the time of the request and contact VietQR support."
        );
        assert_eq!(e.vietqr.unwrap().vi, "Mã lỗi không xác định");

        // The test callback passes on transaction-sync codes such as "006".
        assert_eq!(from_failure("006").vietqr.unwrap().code, "006");

        let e = from_failure("");
        assert_eq!(
            e.message,
            "VietQR answered FAILED: the request was refused without an error code. Check the request; if it keeps happening, contact VietQR support with the time of the request."
        );
        let e = from_failure("Invalid token");
        assert_eq!(
            e.message,
            "VietQR answered FAILED: the request was refused without an error code (VietQR said: \"Invalid token\"). Check the request; if it keeps happening, contact VietQR support with the time of the request."
        );
    }

    #[test]
    fn lowercasing_keeps_acronyms() {
        assert_eq!(lower_first("Invalid token"), "invalid token");
        assert_eq!(lower_first("HTTP thing"), "HTTP thing");
        assert_eq!(lower_first("VietQR thing"), "VietQR thing");
        assert_eq!(lower_first("TID"), "TID");
        assert_eq!(lower_first("A request is waiting"), "a request is waiting");
        assert_eq!(shorten("abcdef", 3), "abc…");
        assert_eq!(shorten("ab", 3), "ab");
    }

    #[test]
    fn unauthorized_by_auth() {
        let e = unauthorized(401, Auth::Basic);
        assert_eq!(e.code.as_str(), "vietqr_unauthorized");
        assert_eq!(
            e.message,
            "VietQR answered HTTP 401: wrong API username or password. Check the API username and password VietQR gave you; sandbox (dev.vietqr.org) and production (api.vietqr.org) have different ones."
        );
        let e = unauthorized(403, Auth::Bearer);
        assert_eq!(
            e.message,
            "VietQR answered HTTP 403: the access token is missing, invalid or expired. Get a new token and try again; tokens from token_generate expire after 300 seconds."
        );
        assert_eq!(e.vietqr.unwrap().code, "HTTP 403");
    }

    #[test]
    fn lookup_op_errors() {
        assert_eq!(
            lookup_op(CodeInput {
                code: "e158".into()
            })
            .unwrap()
            .code,
            "E158"
        );
        let e = lookup_op(CodeInput {
            code: "E999".into(),
        })
        .unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "unknown_error_code",
                "no VietQR error code \"E999\" is known (api.errors lists them all)"
            )
        );
    }
}
