//! wasm-bindgen exports for `pkg/`: `call(op, input)` on plain JS objects,
//! and typed shortcuts for the ops a page uses most.

use wasm_bindgen::prelude::*;

fn to_js(v: &serde_json::Value) -> JsValue {
    // Plain objects, not Maps, so callers can read `out.value.payload`.
    let s = serde_wasm_bindgen::Serializer::json_compatible();
    serde::Serialize::serialize(v, &s).unwrap_or(JsValue::NULL)
}

/// `call(op, input)`: the core's one command interface. Never throws: bad
/// input comes back as `{ok: false, error: {code, message}}`.
#[wasm_bindgen(skip_typescript)]
pub fn call(op: &str, input: JsValue) -> JsValue {
    let input = if input.is_undefined() {
        serde_json::Value::Null
    } else {
        match serde_wasm_bindgen::from_value(input) {
            Ok(v) => v,
            Err(e) => {
                let err = crate::Error::invalid_input(format!("input is not plain JSON data: {e}"));
                return to_js(&serde_json::json!({"ok": false, "error": err}));
            }
        }
    };
    to_js(&crate::call(op, input))
}

/// `call` over JSON text, for hosts that already hold a string.
#[wasm_bindgen(js_name = callJson)]
pub fn call_json(op: &str, input: &str) -> String {
    crate::call_json(op, input)
}

fn unwrap(out: serde_json::Value, field: &str) -> Result<String, JsError> {
    if out["ok"] == true {
        Ok(out["value"][field].as_str().unwrap_or_default().to_string())
    } else {
        Err(JsError::new(
            out["error"]["message"].as_str().unwrap_or("error"),
        ))
    }
}

/// The SVG of a QR code holding `text` (ECL M, quiet zone 4). Throws on error.
#[wasm_bindgen(js_name = qrSvg)]
pub fn qr_svg(text: &str, module_px: Option<u32>) -> Result<String, JsError> {
    unwrap(
        crate::call(
            "qr.svg",
            serde_json::json!({"text": text, "module_px": module_px}),
        ),
        "svg",
    )
}

/// A VietQR payload from bank (BIN or code), account, amount and purpose. Throws on error.
#[wasm_bindgen(js_name = buildPayload)]
pub fn build_payload(
    bank: &str,
    account: &str,
    amount: Option<f64>,
    purpose: Option<String>,
) -> Result<String, JsError> {
    let amount = match amount {
        Some(a) if a.fract() != 0.0 || !(1.0..=9_999_999_999_999.0).contains(&a) => {
            return Err(JsError::new(
                "amount must be a positive whole number of VND",
            ))
        }
        Some(a) => Some(a as u64),
        None => None,
    };
    let input =
        serde_json::json!({"bank": bank, "account": account, "amount": amount, "purpose": purpose});
    unwrap(crate::call("payload.build", input), "payload")
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
