//! Generate VietQR Code (docs/protocol.md §1b): `POST /api/qr/generate-customer`.
//!
//! The reply's `content` and `qrCode` differ from what was sent (VietQR
//! prefixes a `VQR…` trace id for dynamic QRs): show the returned `qr_code`
//! and use the returned `content` for the sandbox test callback.

use super::{
    bearer, endpoint, given, missing, post, success_json, Auth, Fields, HttpRequest, Reply, Secret,
    TransType,
};
use crate::error::{Code, Error, Result};
use crate::input::{input_enum, input_struct};
use crate::rules::{AMOUNT_MAX, CONTENT_MAX, ORDER_ID_MAX};
use crate::text::is_clean_content;
use serde::Serialize;
use serde_json::Value;

input_struct! {
    #[derive(Debug, Clone)]
    pub struct GenerateRequest {
        pub base_url: String,
        pub token: Secret,
        /// A VietQR bank code (`MB`) or a BIN (`970422`); the code is sent.
        pub bank_code: String,
        pub bank_account: String,
        /// Account holder, as the shop wrote it: folded here (text.fold, at
        /// most 50 characters) and sent upper-cased.
        pub user_bank_name: String,
        pub content: String,
        pub qr_type: QrType = QrType::default(),
        pub amount: Option<i64>,
        pub order_id: Option<String>,
        pub terminal_code: Option<String>,
        pub sub_terminal_code: Option<String>,
        pub service_code: Option<String>,
        pub trans_type: TransType = TransType::default(),
        pub sign: Option<String>,
        /// The shop's callback secret: when given, `sign` is made here
        /// (callback.sign of order_id and bank_account) instead of in a
        /// call of its own. Never sent, never shown.
        pub callback_secret: Option<Secret>,
        pub url_link: Option<String>,
        pub note: Option<String>,
    }
}

/// The longest holder name sent (after folding): what the plugin has
/// always sent, well inside the server's column.
pub const USER_BANK_NAME_MAX: usize = 50;

/// `qrType`: 0 dynamic (one payment), 1 static (reusable, per terminal),
/// 3 semi-dynamic (per terminal and service, with an amount).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QrType {
    #[default]
    Dynamic,
    Static,
    SemiDynamic,
}

input_enum!(QrType {
    Dynamic = "dynamic",
    Static = "static",
    SemiDynamic = "semi_dynamic",
});

impl QrType {
    fn number(self) -> u8 {
        match self {
            QrType::Dynamic => 0,
            QrType::Static => 1,
            QrType::SemiDynamic => 3,
        }
    }

    fn name(self) -> &'static str {
        match self {
            QrType::Dynamic => "a dynamic",
            QrType::Static => "a static",
            QrType::SemiDynamic => "a semi_dynamic",
        }
    }
}

/// The body, in VietQR's field names (server `VietQRCreateCustomerDTO`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    bank_code: &'static str,
    bank_account: &'a str,
    user_bank_name: String,
    content: &'a str,
    qr_type: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order_id: Option<&'a str>,
    trans_type: TransType,
    #[serde(skip_serializing_if = "Option::is_none")]
    terminal_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_terminal_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    service_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sign: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url_link: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

pub fn request(i: GenerateRequest) -> Result<HttpRequest> {
    let url = endpoint(&i.base_url, "/api/qr/generate-customer")?;
    let authorization = bearer(&i.token)?;
    let bank_code = super::bank_code("bank_code", &i.bank_code)?;
    super::bank_account("bank_account", &i.bank_account)?;
    let user_bank_name = user_bank_name(&i.user_bank_name)?;
    if !is_clean_content(&i.content, CONTENT_MAX) {
        return Err(Error::new(
            Code::InvalidContent,
            format!(
                "content {:?} must be 1 to {CONTENT_MAX} letters, digits and spaces without accents; pass it through text.fold with max_len {CONTENT_MAX} first",
                i.content
            ),
        ));
    }
    let kind = i.qr_type.name();
    let amount = match i.amount {
        Some(a) => Some(super::amount(a, AMOUNT_MAX)?),
        None if i.qr_type == QrType::Static => None,
        None => return Err(missing("amount", &format!("{kind} QR is for one amount"))),
    };
    let order_id = given(&i.order_id);
    match order_id {
        Some(id) if id.len() > ORDER_ID_MAX || !id.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            return Err(Error::new(
                Code::InvalidOrderId,
                format!("order_id must be 1 to {ORDER_ID_MAX} letters or digits, got {id:?}"),
            ));
        }
        None if i.qr_type == QrType::Dynamic => {
            return Err(missing(
                "order_id",
                "a dynamic QR is matched to its order by it in the callback",
            ));
        }
        _ => {}
    }
    let terminal_code = given(&i.terminal_code);
    if terminal_code.is_none() && i.qr_type != QrType::Dynamic {
        return Err(missing(
            "terminal_code",
            &format!("{kind} QR belongs to a point of sale"),
        ));
    }
    let service_code = given(&i.service_code);
    if service_code.is_none() && i.qr_type == QrType::SemiDynamic {
        return Err(missing(
            "service_code",
            "a semi_dynamic QR is for one product or service",
        ));
    }
    let signed = match (&i.callback_secret, given(&i.sign)) {
        (None, _) => None,
        (Some(_), Some(_)) => {
            return Err(Error::new(
                Code::InvalidField,
                "give sign or callback_secret, not both",
            ))
        }
        (Some(secret), None) => {
            let order_id = order_id.ok_or_else(|| {
                missing("order_id", "the sign made from callback_secret covers it")
            })?;
            crate::callback::check_secret(&secret.0)?;
            Some(crate::callback::sign(&secret.0, order_id, &i.bank_account))
        }
    };
    let body = Body {
        bank_code,
        bank_account: &i.bank_account,
        user_bank_name,
        content: &i.content,
        qr_type: i.qr_type.number(),
        amount,
        order_id,
        trans_type: i.trans_type,
        terminal_code,
        sub_terminal_code: given(&i.sub_terminal_code),
        service_code,
        sign: signed.as_deref().or(given(&i.sign)),
        url_link: given(&i.url_link),
        note: given(&i.note),
    };
    post(url, authorization, body)
}

/// The server upper-cases the name; folded to ASCII first so that the bank
/// app shows what the shop expects.
fn user_bank_name(name: &str) -> Result<String> {
    let name = crate::text::fold(name, Some(USER_BANK_NAME_MAX));
    if name.is_empty() {
        return Err(missing(
            "user_bank_name",
            "the account holder's name, e.g. NGUYEN VAN A",
        ));
    }
    Ok(name.to_ascii_uppercase())
}

/// The reply, from server `VietQRDTO` (+ `vaAccount` of the current docs).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeneratedQr {
    pub bank_code: String,
    pub bank_name: Option<String>,
    pub bank_account: String,
    pub user_bank_name: Option<String>,
    /// `null` for a QR without amount (the server sends `""`).
    pub amount: Option<i64>,
    /// What the payer's bank app will show; may differ from what was sent.
    pub content: String,
    /// The EMV payload to show as a QR code.
    pub qr_code: String,
    pub img_id: Option<String>,
    pub existing: Option<i64>,
    pub transaction_id: Option<String>,
    pub transaction_ref_id: Option<String>,
    pub qr_link: Option<String>,
    pub terminal_code: Option<String>,
    pub sub_terminal_code: Option<String>,
    pub service_code: Option<String>,
    pub order_id: Option<String>,
    pub additional_data: Value,
    pub va_account: Option<String>,
}

const WHAT: &str = "generate-customer";

pub fn response(reply: Reply) -> Result<GeneratedQr> {
    let json = success_json(&reply, WHAT, Auth::Bearer)?;
    let f = Fields::of(WHAT, &json)?;
    Ok(GeneratedQr {
        bank_code: f.string("bankCode")?,
        bank_name: f.opt_string("bankName")?,
        bank_account: f.string("bankAccount")?,
        user_bank_name: f.opt_string("userBankName")?,
        // The server DTO has a string, the docs a number.
        amount: f.opt_int("amount")?,
        content: f.string("content")?,
        qr_code: f.text("qrCode")?,
        img_id: f.opt_string("imgId")?,
        existing: f.opt_int("existing")?,
        transaction_id: f.opt_string("transactionId")?,
        transaction_ref_id: f.opt_string("transactionRefId")?,
        qr_link: f.opt_string("qrLink")?,
        terminal_code: f.opt_string("terminalCode")?,
        sub_terminal_code: f.opt_string("subTerminalCode")?,
        service_code: f.opt_string("serviceCode")?,
        order_id: f.opt_string("orderId")?,
        additional_data: f
            .get("additionalData")
            .cloned()
            .unwrap_or_else(|| Value::Array(vec![])),
        va_account: f.opt_string("vaAccount")?,
    })
}

#[cfg(test)]
mod tests {
    use crate::api::dispatch;
    use serde_json::{json, Value};

    fn input(extra: Value) -> Value {
        let mut v = json!({
            "base_url": "https://dev.vietqr.org/vqr", "token": "jwt", "bank_code": "MB",
            "bank_account": "0123456789", "user_bank_name": "Nguyen Van A", "content": "DH1234",
            "amount": 10000, "order_id": "DH1234"
        });
        for (k, x) in extra.as_object().unwrap() {
            if x.is_null() {
                v.as_object_mut().unwrap().remove(k);
            } else {
                v[k] = x.clone();
            }
        }
        v
    }

    fn ok(extra: Value) -> Value {
        dispatch("generate_customer.request", input(extra))
            .unwrap()
            .unwrap()
    }

    fn err(extra: Value) -> (&'static str, String) {
        let e = dispatch("generate_customer.request", input(extra))
            .unwrap()
            .unwrap_err();
        (e.code.as_str(), e.message)
    }

    #[test]
    fn dynamic_request() {
        assert_eq!(
            ok(json!({"bank_code": "970422", "sign": "abc", "note": ""})),
            json!({"method": "POST", "url": "https://dev.vietqr.org/vqr/api/qr/generate-customer",
                   "headers": {"Content-Type": "application/json", "Authorization": "Bearer jwt"},
                   "body": {"bankCode": "MB", "bankAccount": "0123456789", "userBankName": "NGUYEN VAN A",
                            "content": "DH1234", "qrType": 0, "amount": 10000, "orderId": "DH1234",
                            "transType": "C", "sign": "abc"}})
        );
    }

    #[test]
    fn static_and_semi_dynamic_requests() {
        let r = ok(
            json!({"qr_type": "static", "amount": null, "order_id": null, "terminal_code": "CH01"}),
        );
        assert_eq!(
            r["body"],
            json!({"bankCode": "MB", "bankAccount": "0123456789", "userBankName": "NGUYEN VAN A",
                   "content": "DH1234", "qrType": 1, "transType": "C", "terminalCode": "CH01"})
        );
        let r = ok(
            json!({"qr_type": "semi_dynamic", "order_id": null, "terminal_code": "CH01",
                          "service_code": "SP01", "sub_terminal_code": "Q1", "trans_type": "D", "url_link": "https://shop.vn/ok"}),
        );
        assert_eq!(
            r["body"],
            json!({"bankCode": "MB", "bankAccount": "0123456789", "userBankName": "NGUYEN VAN A",
                   "content": "DH1234", "qrType": 3, "amount": 10000, "transType": "D", "terminalCode": "CH01",
                   "subTerminalCode": "Q1", "serviceCode": "SP01", "urlLink": "https://shop.vn/ok"})
        );
    }

    #[test]
    fn rule_errors() {
        assert_eq!(
            err(json!({"content": "Thanh toán #1"})),
            ("invalid_content", "content \"Thanh toán #1\" must be 1 to 19 letters, digits and spaces without accents; pass it through text.fold with max_len 19 first".into())
        );
        assert_eq!(err(json!({"content": "A".repeat(20)})).0, "invalid_content");
        assert_eq!(
            err(json!({"amount": null})),
            (
                "missing_field",
                "amount is required: a dynamic QR is for one amount".into()
            )
        );
        assert_eq!(
            err(json!({"qr_type": "semi_dynamic", "amount": null})),
            (
                "missing_field",
                "amount is required: a semi_dynamic QR is for one amount".into()
            )
        );
        assert_eq!(
            err(json!({"amount": 0})),
            (
                "invalid_amount",
                "amount must be a whole number of VND from 1 to 9999999999999, got 0".into()
            )
        );
        assert_eq!(
            err(json!({"order_id": null})),
            (
                "missing_field",
                "order_id is required: a dynamic QR is matched to its order by it in the callback"
                    .into()
            )
        );
        assert_eq!(
            err(json!({"order_id": "DH-1234"})),
            (
                "invalid_order_id",
                "order_id must be 1 to 13 letters or digits, got \"DH-1234\"".into()
            )
        );
        assert_eq!(
            err(json!({"order_id": "A12345678901234"})).0,
            "invalid_order_id"
        );
        assert_eq!(
            err(json!({"qr_type": "static"})),
            (
                "missing_field",
                "terminal_code is required: a static QR belongs to a point of sale".into()
            )
        );
        assert_eq!(
            err(json!({"qr_type": "semi_dynamic", "terminal_code": "CH01"})),
            (
                "missing_field",
                "service_code is required: a semi_dynamic QR is for one product or service".into()
            )
        );
        // A holder name with accents is folded, not refused.
        assert_eq!(
            ok(json!({"user_bank_name": "Nguyễn Văn A"}))["body"]["userBankName"],
            "NGUYEN VAN A"
        );
        assert_eq!(
            err(json!({"sign": "abc", "callback_secret": "0123456789abcdef"})),
            (
                "invalid_field",
                "give sign or callback_secret, not both".into()
            )
        );
        assert_eq!(err(json!({"callback_secret": "short"})).0, "weak_secret");
        assert_eq!(
            err(
                json!({"callback_secret": "0123456789abcdef", "order_id": null, "qr_type": "static", "terminal_code": "CH01"})
            ),
            (
                "missing_field",
                "order_id is required: the sign made from callback_secret covers it".into()
            )
        );
        assert_eq!(
            err(json!({"user_bank_name": "  "})),
            (
                "missing_field",
                "user_bank_name is required: the account holder's name, e.g. NGUYEN VAN A".into()
            )
        );
        assert_eq!(
            err(json!({"bank_code": "XYZ"})),
            (
                "unknown_bank",
                "bank_code: no bank has BIN or code \"XYZ\" (banks.list lists them)".into()
            )
        );
        assert_eq!(
            err(json!({"bank_account": "0123-456"})),
            (
                "invalid_field",
                "bank_account must be 1 to 19 letters or digits, got \"0123-456\"".into()
            )
        );
        let (code, message) = err(json!({"qr_type": "dynamik"}));
        assert_eq!(code, "invalid_input");
        assert!(
            message.starts_with("`qr_type` must be one of `dynamic`, `static`, `semi_dynamic`"),
            "{message}"
        );
        let (code, message) = err(json!({"trans_type": "X"}));
        assert_eq!(code, "invalid_input");
        assert!(message == "`trans_type` must be `C` or `D`", "{message}");
    }

    fn reply(status: u16, body: Value) -> Result<Value, crate::Error> {
        dispatch(
            "generate_customer.response",
            json!({"status": status, "body": body.to_string()}),
        )
        .unwrap()
    }

    #[test]
    fn response_amount_string_or_number() {
        let body = json!({
            "bankCode": "MB", "bankName": "Ngân hàng TMCP Quân đội", "bankAccount": "0123456789",
            "userBankName": "NGUYEN VAN A", "amount": "10000", "content": "VQR1a2b3c4d5e DH1234",
            "qrCode": "000201010211", "imgId": "img", "existing": 1, "transactionId": "",
            "transactionRefId": "ref", "qrLink": "https://vietqr.vn/ref", "terminalCode": "", "subTerminalCode": "",
            "serviceCode": "", "orderId": "DH1234", "additionalData": []
        });
        let out = reply(200, body.clone()).unwrap();
        assert_eq!(
            out,
            json!({"bank_code": "MB", "bank_name": "Ngân hàng TMCP Quân đội", "bank_account": "0123456789",
                   "user_bank_name": "NGUYEN VAN A", "amount": 10000, "content": "VQR1a2b3c4d5e DH1234",
                   "qr_code": "000201010211", "img_id": "img", "existing": 1, "transaction_id": "",
                   "transaction_ref_id": "ref", "qr_link": "https://vietqr.vn/ref", "terminal_code": "",
                   "sub_terminal_code": "", "service_code": "", "order_id": "DH1234", "additional_data": [],
                   "va_account": null})
        );
        let mut docs = body;
        docs["amount"] = json!(10000);
        docs["vaAccount"] = json!("VQRQACYEK5606");
        let out = reply(200, docs).unwrap();
        assert_eq!(
            (out["amount"].clone(), out["va_account"].clone()),
            (json!(10000), json!("VQRQACYEK5606"))
        );
    }

    #[test]
    fn response_errors() {
        let e = reply(400, json!({"status": "FAILED", "message": "E24"})).unwrap_err();
        assert_eq!(e.code.as_str(), "vietqr_error");
        assert_eq!(e.message, "VietQR answered E24: no bank found for the given bankCode. Use a VietQR bank code such as MB, VCB, ICB or BIDV.");
        let e = reply(
            200,
            json!({"bankCode": "MB", "bankAccount": "1", "content": "x"}),
        )
        .unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            (
                "vietqr_bad_reply",
                "VietQR's generate-customer reply: `qrCode` is missing"
            )
        );
        let e = reply(200, json!({"bankCode": "MB", "bankAccount": "1", "content": "x", "qrCode": "q", "amount": "10.000"})).unwrap_err();
        assert_eq!(
            e.message,
            "VietQR's generate-customer reply: `amount` must be a whole number"
        );
        let e = reply(403, json!({"status": 403, "error": "Forbidden"})).unwrap_err();
        assert_eq!(e.code.as_str(), "vietqr_unauthorized");
    }
}
