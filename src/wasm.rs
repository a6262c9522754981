//! wasm-bindgen exports for `pkg/`: `call(op, input)` on plain JS objects,
//! and typed shortcuts for the ops a page uses most.

use wasm_bindgen::prelude::*;

/// `call(op, input)`: the core's one command interface. Never throws: bad
/// input comes back as `{ok: false, error: {code, message}}`.
///
/// Input and output cross as JSON text (one `JSON.stringify`, one
/// `JSON.parse`) rather than value by value through serde-wasm-bindgen:
/// measured 24 KB less WASM and faster per call, and the interface is plain
/// JSON data by contract.
#[wasm_bindgen(skip_typescript)]
pub fn call(op: &str, input: JsValue) -> JsValue {
    let text = if input.is_undefined() {
        Some("null".to_string())
    } else {
        // undefined for functions and symbols; an exception for BigInt and cycles
        js_sys::JSON::stringify(&input)
            .ok()
            .and_then(|s| s.as_string())
    };
    let out = match text {
        Some(t) => crate::call_json(op, &t),
        None => {
            let e = crate::Error::invalid_input("input is not plain JSON data");
            crate::output::envelope(Err(e)).to_string()
        }
    };
    js_sys::JSON::parse(&out).unwrap_or(JsValue::NULL)
}

/// `call` over JSON text, for hosts that already hold a string. The `page`
/// build (feature `page`, the plugin's assets/pkg) answers only its rows of
/// the op table, which leaves the rest of the core out of its WASM.
#[wasm_bindgen(js_name = callJson)]
pub fn call_json(op: &str, input: &str) -> String {
    crate::call_json(op, input)
}

/// The SVG of a QR code holding `text` (ECL M, quiet zone 4). Throws on error.
#[wasm_bindgen(js_name = qrSvg)]
pub fn qr_svg(text: &str, module_px: Option<u32>) -> Result<String, JsError> {
    let o = crate::qr::QrOptions {
        text: text.into(),
        ecl: None,
        module_px,
        quiet_zone: None,
    };
    crate::qr::svg(&o).map_err(|e| JsError::new(&e.message))
}

/// A VietQR payload from bank (BIN or code), account, amount and purpose.
/// Throws on error.
#[cfg(not(feature = "page"))]
#[wasm_bindgen(js_name = buildPayload)]
pub fn build_payload(
    bank: &str,
    account: &str,
    amount: Option<f64>,
    purpose: Option<String>,
) -> Result<String, JsError> {
    let amount = match amount {
        Some(a) if a.fract() != 0.0 || !(1.0..=crate::rules::AMOUNT_MAX as f64).contains(&a) => {
            return Err(JsError::new(
                "amount must be a positive whole number of VND",
            ))
        }
        Some(a) => Some(a as u64),
        None => None,
    };
    let req = crate::emv::payload::PayloadRequest {
        bank: bank.into(),
        account: account.into(),
        amount,
        purpose,
        ..Default::default()
    };
    crate::emv::payload::build(&req).map_err(|e| JsError::new(&e.message))
}

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** The core's answer: a value, or an error with a stable code. */
export type CallResult<T = unknown> =
  | { ok: true; value: T }
  | { ok: false; error: { code: string; message: string; vietqr?: { code: string; en: string; vi: string; action: string } } };

export interface PayloadParsed {
  initiation: "static" | "dynamic" | null;
  bin: string;
  bank_code: string | null;
  account: string;
  service: "account" | "card";
  amount: number | null;
  purpose: string | null;
  bill_number: string | null;
  crc: string;
}

export interface Bank { bin: string; code: string; short_name: string; name: string }

export function call(op: "payload.build", input: { bank: string; account: string; service?: "account" | "card"; amount?: number; purpose?: string; bill_number?: string; initiation?: "static" | "dynamic" }): CallResult<{ payload: string }>;
export function call(op: "payload.parse", input: { payload: string }): CallResult<PayloadParsed>;
export function call(op: "qr.svg", input: { text: string; ecl?: "L" | "M" | "Q" | "H"; module_px?: number; quiet_zone?: number }): CallResult<{ svg: string }>;
export function call(op: "qr.png", input: { text: string; ecl?: "L" | "M" | "Q" | "H"; module_px?: number; quiet_zone?: number }): CallResult<{ png_base64: string }>;
export function call(op: "banks.list", input?: {}): CallResult<Bank[]>;
export function call(op: "text.fold", input: { text: string; max_len?: number }): CallResult<{ text: string }>;
export function call(op: string, input?: object): CallResult;
"#;
