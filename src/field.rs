//! One vocabulary for what is wrong with a field of a JSON object.
//!
//! Three readers use it: op inputs ([`crate::input`]), VietQR's replies
//! (`api::Fields`) and VietQR's callback bodies (`callback`). Each puts its
//! own context around the message ("VietQR's token reply: …"); the words for
//! the field and its problem are these. A message names the field by its
//! path (`amount`, `data.qrCode`, `[0].amount`, `items[2].account`) and
//! never shows the value: an input, a reply or a callback can carry a
//! password, a token or a secret.

use serde_json::Value;

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// Absent, or `null` where a value is required.
    Missing,
    /// Another kind of JSON value than `expected` ("a string", "a whole number").
    Type {
        expected: &'static str,
        found: &'static str,
    },
    /// Nothing but spaces where text is required.
    Empty,
    /// More than this many bytes.
    TooLong(usize),
    /// A control character (a line break, a tab, …) where one line of text is required.
    Control,
    /// The right kind of value, outside what is allowed ("from 1 to 100", "`C` or `D`").
    Range(String),
    /// A key the object does not take; the keys it takes.
    Unknown(Vec<&'static str>),
}

/// A problem and the path of the field it is in, relative to the object
/// being read. Nested readers add their key in front as the fault goes up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fault {
    path: String,
    problem: Problem,
}

impl Fault {
    /// A problem with the value itself; the caller adds the key.
    pub(crate) fn new(problem: Problem) -> Self {
        Fault {
            path: String::new(),
            problem,
        }
    }

    /// A problem with the field `key`.
    pub(crate) fn at(key: &str, problem: Problem) -> Self {
        Fault::new(problem).in_key(key)
    }

    /// A wrong kind of value: `expected` and what `found` is. `null` is
    /// no value at all: missing.
    pub(crate) fn kind(expected: &'static str, found: &Value) -> Self {
        Fault::new(match found {
            Value::Null => Problem::Missing,
            found => Problem::Type {
                expected,
                found: kind_of(found),
            },
        })
    }

    /// The fault as seen from the object that holds it under `key`.
    pub(crate) fn in_key(self, key: &str) -> Self {
        self.within(key)
    }

    /// The fault as seen from the list that holds it at `index`.
    pub(crate) fn in_item(self, index: usize) -> Self {
        self.within(&format!("[{index}]"))
    }

    /// `head` in front of the path: "x", "[0]", then "x.y", "x[0]", "[0].y".
    fn within(mut self, head: &str) -> Self {
        if !self.path.is_empty() && !self.path.starts_with('[') {
            self.path.insert(0, '.');
        }
        self.path.insert_str(0, head);
        self
    }

    /// The message: "`amount` is missing", "`data.qrCode` must be a string, not a number".
    pub(crate) fn message(&self) -> String {
        let p = &self.path;
        match &self.problem {
            Problem::Missing => format!("`{p}` is missing"),
            Problem::Type { expected, found } => format!("`{p}` must be {expected}, not {found}"),
            Problem::Empty => format!("`{p}` is empty"),
            Problem::TooLong(max) => format!("`{p}` is longer than {max} bytes"),
            Problem::Control => format!("`{p}` has a control character"),
            Problem::Range(allowed) => format!("`{p}` must be {allowed}"),
            Problem::Unknown(known) if known.is_empty() => {
                format!("unknown field `{p}`: there are no fields")
            }
            Problem::Unknown(known) => {
                format!("unknown field `{p}`: expected {}", one_of(known))
            }
        }
    }
}

/// The kind of JSON value `v` is, as the messages say it.
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a fraction",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// "`a`", "`a` or `b`", "one of `a`, `b`, `c`".
pub(crate) fn one_of(names: &[&str]) -> String {
    match names {
        [a] => format!("`{a}`"),
        [a, b] => format!("`{a}` or `{b}`"),
        _ => {
            let mut out = String::from("one of ");
            for (i, name) in names.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push('`');
                out.push_str(name);
                out.push('`');
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(f: Fault) -> String {
        f.message()
    }

    #[test]
    fn every_problem_in_words() {
        assert_eq!(
            message(Fault::at("amount", Problem::Missing)),
            "`amount` is missing"
        );
        assert_eq!(
            message(
                Fault::kind("a string", &json!(5))
                    .in_key("qrCode")
                    .in_key("data")
            ),
            "`data.qrCode` must be a string, not a number"
        );
        assert_eq!(
            message(Fault::at("content", Problem::Empty)),
            "`content` is empty"
        );
        assert_eq!(
            message(Fault::at("sign", Problem::TooLong(64))),
            "`sign` is longer than 64 bytes"
        );
        assert_eq!(
            message(Fault::at("orderid", Problem::Control)),
            "`orderid` has a control character"
        );
        assert_eq!(
            message(Fault::at("transtype", Problem::Range(one_of(&["C", "D"])))),
            "`transtype` must be `C` or `D`"
        );
        assert_eq!(
            message(Fault::at(
                "y",
                Problem::Unknown(vec!["x", "label", "shown"])
            )),
            "unknown field `y`: expected one of `x`, `label`, `shown`"
        );
        assert_eq!(
            message(Fault::at("y", Problem::Unknown(vec![]))),
            "unknown field `y`: there are no fields"
        );
    }

    #[test]
    fn paths_through_objects_and_lists() {
        let f = Fault::at("account", Problem::Missing)
            .in_item(2)
            .in_key("items");
        assert_eq!(f.message(), "`items[2].account` is missing");
        let f = Fault::at("amount", Problem::Missing).in_item(0);
        assert_eq!(f.message(), "`[0].amount` is missing");
        let f = Fault::kind("an object", &json!("x")).in_item(1).in_item(0);
        assert_eq!(f.message(), "`[0][1]` must be an object, not a string");
    }

    #[test]
    fn kinds_never_show_the_value() {
        for (v, kind) in [
            (json!(null), "null"),
            (json!(true), "a boolean"),
            (json!(1.5), "a fraction"),
            (json!(-3), "a number"),
            (json!("hunter2"), "a string"),
            (json!([1]), "a list"),
            (json!({"a": 1}), "an object"),
        ] {
            assert_eq!(kind_of(&v), kind);
        }
    }
}
