//! What VietQR.vn answers, in its own envelopes: `{"status":"FAILED",
//! "message":"E46"}` (or `"data"` on a few paths) with HTTP 400 from its
//! controllers, and Spring's `{"timestamp","status","error","message",
//! "path"}` when Spring Security refuses a request before they run.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// A refusal, in the shape the real server gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reject {
    /// `{"status":"FAILED","message":code}`, HTTP 400.
    Failed(&'static str),
    /// `{"status":"FAILED","data":code}`, HTTP 400 (`ResponseObjectDTO`,
    /// which TID sync uses for some of its checks).
    FailedData(&'static str),
    /// Spring Security's own JSON error for `path` (403 for a missing or
    /// malformed JWT, 401 for wrong Basic credentials).
    Spring { status: StatusCode, path: String },
}

impl IntoResponse for Reject {
    fn into_response(self) -> Response {
        match self {
            Reject::Failed(code) => (
                StatusCode::BAD_REQUEST,
                Json(json!({"status": "FAILED", "message": code})),
            )
                .into_response(),
            Reject::FailedData(code) => (
                StatusCode::BAD_REQUEST,
                Json(json!({"status": "FAILED", "data": code})),
            )
                .into_response(),
            Reject::Spring { status, path } => spring_error(status, &path),
        }
    }
}

/// `{"status":"SUCCESS","message":message}`, HTTP 200.
pub fn success_message(message: &str) -> Response {
    Json(json!({"status": "SUCCESS", "message": message})).into_response()
}

/// `{"status":"SUCCESS","data":data}`, HTTP 200.
pub fn success_data(data: Value) -> Response {
    Json(json!({"status": "SUCCESS", "data": data})).into_response()
}

/// Spring Boot's default error body for `status` at `path` (the full path,
/// with the `/vqr` context).
pub fn spring_error(status: StatusCode, path: &str) -> Response {
    let body = json!({
        "timestamp": iso_timestamp(crate::clock::system_now_ms()),
        "status": status.as_u16(),
        "error": status.canonical_reason().unwrap_or(""),
        "message": "",
        "path": path,
    });
    let mut response = (status, Json(body)).into_response();
    if status == StatusCode::UNAUTHORIZED {
        // httpBasic's challenge, as Spring sends it.
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"Realm\""),
        );
    }
    response
}

/// Epoch milliseconds as `2024-05-01T01:02:03.000+00:00` (Spring's format).
pub fn iso_timestamp(ms: u64) -> String {
    let secs = ms / 1000;
    let (year, month, day) = civil_from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}+00:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms % 1000
    )
}

/// Days since 1970-01-01 to (year, month, day), Howard Hinnant's algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(iso_timestamp(0), "1970-01-01T00:00:00.000+00:00");
        assert_eq!(
            iso_timestamp(1_714_525_323_004),
            "2024-05-01T01:02:03.004+00:00"
        );
        assert_eq!(
            iso_timestamp(951_782_400_000),
            "2000-02-29T00:00:00.000+00:00"
        );
    }
}
