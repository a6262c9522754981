//! Reading request bodies the way the server's Jackson does: unknown fields
//! are ignored, a number is accepted where a string is expected and digits
//! in a string where a number is, `""` counts as absent for numbers. What
//! Jackson could not bind is a malformed body, which the handlers answer
//! with the endpoint's invalid-body code (E46).

use serde_json::{Map, Value};

/// The body did not have the shape the endpoint binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed;

/// A JSON object body.
pub struct JsonBody(Map<String, Value>);

impl JsonBody {
    /// `None` when the bytes are not a JSON object.
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        match serde_json::from_slice(bytes) {
            Ok(Value::Object(map)) => Some(JsonBody(map)),
            _ => None,
        }
    }

    pub fn from_map(map: Map<String, Value>) -> Self {
        JsonBody(map)
    }

    fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    /// A string field; numbers and booleans are taken as their text.
    pub fn text(&self, key: &str) -> Result<Option<String>, Malformed> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(Value::Bool(b)) => Ok(Some(b.to_string())),
            Some(_) => Err(Malformed),
        }
    }

    /// A string field that must be present and not blank (`@NotBlank`, or
    /// a field the server would otherwise fail on).
    pub fn required_text(&self, key: &str) -> Result<String, Malformed> {
        match self.text(key)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(Malformed),
        }
    }

    /// A string field, `""` when absent.
    pub fn text_or_empty(&self, key: &str) -> Result<String, Malformed> {
        Ok(self.text(key)?.unwrap_or_default())
    }

    /// A whole-number field: a JSON integer or a string of digits.
    pub fn int(&self, key: &str) -> Result<Option<i64>, Malformed> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or(Malformed),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| Malformed),
            Some(_) => Err(Malformed),
        }
    }

    pub fn boolean(&self, key: &str) -> Result<Option<bool>, Malformed> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) if s == "true" => Ok(Some(true)),
            Some(Value::String(s)) if s == "false" => Ok(Some(false)),
            Some(_) => Err(Malformed),
        }
    }

    /// An array field (`None` when absent).
    pub fn array(&self, key: &str) -> Result<Option<&Vec<Value>>, Malformed> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(_) => Err(Malformed),
        }
    }

    /// The raw value of a field.
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.get(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn body(v: Value) -> JsonBody {
        JsonBody::parse(v.to_string().as_bytes()).unwrap()
    }

    #[test]
    fn jackson_like_coercions() {
        let b = body(
            json!({"s": "x", "n": 10000, "ns": "10000", "e": "", "f": 1.5, "o": {}, "t": true}),
        );
        assert_eq!(b.text("s"), Ok(Some("x".into())));
        assert_eq!(b.text("n"), Ok(Some("10000".into())));
        assert_eq!(b.text("o"), Err(Malformed));
        assert_eq!(b.int("n"), Ok(Some(10000)));
        assert_eq!(b.int("ns"), Ok(Some(10000)));
        assert_eq!(b.int("e"), Ok(None));
        assert_eq!(b.int("f"), Err(Malformed));
        assert_eq!(b.int("s"), Err(Malformed));
        assert_eq!(b.int("missing"), Ok(None));
        assert_eq!(b.boolean("t"), Ok(Some(true)));
        assert_eq!(b.required_text("e"), Err(Malformed));
        assert!(JsonBody::parse(b"[1]").is_none());
        assert!(JsonBody::parse(b"{").is_none());
    }
}
