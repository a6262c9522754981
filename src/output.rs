//! What an op answers: its value as JSON, and the one `ok` envelope every
//! host reads (`{"ok": true, "value": …}` or `{"ok": false, "error": …}`).

use crate::error::{Code, Error, Result};
use serde_json::{json, Value};

/// An op's output as JSON.
pub(crate) fn to_value<T: serde::Serialize>(v: T) -> Result<Value> {
    serde_json::to_value(v).map_err(internal)
}

// Not a closure in `to_value`, which would be one more copy for every `T`.
fn internal(e: serde_json::Error) -> Error {
    Error::new(Code::Internal, e.to_string())
}

/// The envelope around an op's outcome: the only place it is built.
pub fn envelope(outcome: Result<Value>) -> Value {
    match outcome {
        Ok(value) => json!({"ok": true, "value": value}),
        Err(error) => json!({"ok": false, "error": error}),
    }
}
