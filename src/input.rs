//! Op inputs read straight from the JSON object.
//!
//! This replaces `#[derive(Deserialize)]` for the op-input structs: serde's
//! visitors are generated again for every struct and every deserializer, and
//! were a third of the WebAssembly module. Here a struct is a table of its
//! fields and one call a field to build it; the checks and conversions are
//! shared per field type. Hosts and the shared vectors assert the error
//! messages, so they keep serde's words and come in the order serde finds
//! them: entry by entry in the object's order, then the first missing field
//! in declaration order. Only JSON's own forms are taken: a struct is an
//! object (also inside a list) and an enum a string; serde's other forms
//! (structs as arrays, `{"variant": null}`) were never sent by any host.

use crate::error::{Error, Result};
use serde_json::{Map, Number, Value};

/// An op's input struct; declare it with [`input_struct!`].
pub(crate) trait FromInput: Sized {
    /// The fields in declaration order.
    const FIELDS: &'static [InputField];

    /// Builds the struct from the values [`read`] has checked.
    fn from_checked(values: Checked) -> Self;
}

/// A type that a field of an op input can have.
pub(crate) trait InputValue: Sized {
    /// May be left out of an object, and then reads as `null` does.
    const OPTIONAL: bool = false;

    fn from_value(v: Value) -> Result<Self>;
}

/// One field of an op-input struct.
pub(crate) struct InputField {
    pub(crate) name: &'static str,
    /// The type check: converts a copy of the value.
    pub(crate) check: fn(&Value) -> Result<()>,
    /// The type is an `Option`.
    pub(crate) optional: bool,
    /// The struct gives a default for when the field is left out.
    pub(crate) defaulted: bool,
}

/// [`InputField::check`] for a field of type `T`.
pub(crate) fn check<T: InputValue>(v: &Value) -> Result<()> {
    T::from_value(v.clone()).map(drop)
}

/// Reads an op's input: a JSON object, or `null` for `{}`.
///
/// Every value is checked first, in serde's order, so that building the
/// struct cannot fail: that keeps the code of each struct to one call a field.
pub(crate) fn read<T: FromInput>(v: Value) -> Result<T> {
    check_input(T::FIELDS, v).map(T::from_checked)
}

// Not generic, so that each `read::<T>` is two calls.
fn check_input(fields: &[InputField], v: Value) -> Result<Checked> {
    match v {
        Value::Object(map) => check_object(fields, map),
        Value::Null => check_object(fields, Map::new()),
        _ => Err(Error::invalid_input("input must be a JSON object")),
    }
}

/// A struct inside a list: a JSON object, like the input itself.
fn read_nested<T: FromInput>(v: Value) -> Result<T> {
    match v {
        Value::Object(map) => check_object(T::FIELDS, map).map(T::from_checked),
        other => Err(invalid_type(&other, "an object")),
    }
}

/// Checks the entries in the object's own order, then that no field is
/// missing, in declaration order.
fn check_object(fields: &[InputField], map: Map<String, Value>) -> Result<Checked> {
    let mut values = vec![None; fields.len()];
    for (key, value) in map {
        let Some(index) = fields.iter().position(|f| f.name == key) else {
            let expected = match fields {
                [] => "there are no fields".to_string(),
                _ => {
                    let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
                    format!("expected {}", one_of(&names))
                }
            };
            return Err(Error::invalid_input(format!(
                "unknown field `{key}`, {expected}"
            )));
        };
        (fields[index].check)(&value)?;
        values[index] = Some(value);
    }
    let missing = fields
        .iter()
        .zip(&values)
        .find(|(f, v)| v.is_none() && !f.optional && !f.defaulted);
    if let Some((f, _)) = missing {
        return Err(Error::invalid_input(format!("missing field `{}`", f.name)));
    }
    Ok(Checked(values.into_iter()))
}

/// The values of one input struct in declaration order, `None` where left
/// out, all of them checked.
pub(crate) struct Checked(std::vec::IntoIter<Option<Value>>);

impl Checked {
    /// The next field's value. One left out reads as `null`, which is `None`
    /// for an `Option`; the checks let no other field out without a default.
    pub(crate) fn take<T: InputValue>(&mut self) -> T {
        let v = self.0.next().flatten().unwrap_or(Value::Null);
        T::from_value(v).expect("checked by check_object")
    }
}

/// Declares an op-input struct and its [`FromInput`]. A field that is not
/// an `Option` may end in `= default`, its value when left out (serde's
/// `#[serde(default)]`); without one it is required.
macro_rules! input_struct {
    (@defaulted) => { false };
    (@defaulted $default:expr) => { true };
    (@take $values:ident) => { $values.take() };
    (@take $values:ident $default:expr) => {
        $values.take::<Option<_>>().unwrap_or_else(|| $default)
    };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {}
    ) => {
        $(#[$meta])*
        $vis struct $name {}

        impl $crate::input::FromInput for $name {
            const FIELDS: &'static [$crate::input::InputField] = &[];

            fn from_checked(_: $crate::input::Checked) -> Self {
                $name {}
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $field_vis:vis $field:ident : $ty:ty $(= $default:expr)?
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $(
                $(#[$field_meta])*
                $field_vis $field: $ty,
            )+
        }

        impl $crate::input::FromInput for $name {
            const FIELDS: &'static [$crate::input::InputField] = &[$(
                $crate::input::InputField {
                    name: stringify!($field),
                    check: $crate::input::check::<$ty>,
                    optional: <$ty as $crate::input::InputValue>::OPTIONAL,
                    defaulted: $crate::input::input_struct!(@defaulted $($default)?),
                },
            )+];

            fn from_checked(mut values: $crate::input::Checked) -> Self {
                $name {
                    $($field: $crate::input::input_struct!(@take values $($default)?),)+
                }
            }
        }
    };
}
pub(crate) use input_struct;

/// Implements [`InputValue`] for a fieldless enum, from the names of its
/// variants (a JSON string).
macro_rules! input_enum {
    ($name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        impl $crate::input::InputValue for $name {
            fn from_value(v: serde_json::Value) -> $crate::error::Result<Self> {
                const VARIANTS: &[&str] = &[$($text),+];
                const ALL: &[$name] = &[$($name::$variant),+];
                Ok(ALL[$crate::input::variant(v, VARIANTS)?])
            }
        }
    };
}
pub(crate) use input_enum;

/// The index in `variants` of the variant `v` names.
pub(crate) fn variant(v: Value, variants: &[&str]) -> Result<usize> {
    let name = match v {
        Value::String(name) => name,
        other => return Err(invalid_type(&other, "a string")),
    };
    variants.iter().position(|v| *v == name).ok_or_else(|| {
        let expected = match variants {
            [] => "there are no variants".to_string(),
            _ => format!("expected {}", one_of(variants)),
        };
        Error::invalid_input(format!("unknown variant `{name}`, {expected}"))
    })
}

impl InputValue for String {
    fn from_value(v: Value) -> Result<Self> {
        match v {
            Value::String(s) => Ok(s),
            other => Err(invalid_type(&other, "a string")),
        }
    }
}

impl InputValue for bool {
    fn from_value(v: Value) -> Result<Self> {
        match v {
            Value::Bool(b) => Ok(b),
            other => Err(invalid_type(&other, "a boolean")),
        }
    }
}

impl InputValue for Value {
    fn from_value(v: Value) -> Result<Self> {
        Ok(v)
    }
}

impl<T: InputValue> InputValue for Option<T> {
    const OPTIONAL: bool = true;

    fn from_value(v: Value) -> Result<Self> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

impl<T: FromInput> InputValue for Vec<T> {
    fn from_value(v: Value) -> Result<Self> {
        match v {
            Value::Array(items) => items.into_iter().map(read_nested).collect(),
            other => Err(invalid_type(&other, "a sequence")),
        }
    }
}

/// A JSON integer that fits `T`; `expected` is the type's name.
fn unsigned<T: TryFrom<u64>>(v: Value, expected: &str) -> Result<T> {
    let n = integer(&v, expected)?;
    n.as_u64()
        .and_then(|u| T::try_from(u).ok())
        .ok_or_else(|| invalid_value(n, expected))
}

fn integer<'a>(v: &'a Value, expected: &str) -> Result<&'a Number> {
    match v {
        Value::Number(n) if !n.is_f64() => Ok(n),
        _ => Err(invalid_type(v, expected)),
    }
}

macro_rules! impl_unsigned {
    ($($t:ty),+) => {$(
        impl InputValue for $t {
            fn from_value(v: Value) -> Result<Self> {
                unsigned(v, stringify!($t))
            }
        }
    )+};
}
impl_unsigned!(u64, u32, u16, usize);

impl InputValue for i64 {
    fn from_value(v: Value) -> Result<Self> {
        let n = integer(&v, "i64")?;
        n.as_i64().ok_or_else(|| invalid_value(n, "i64"))
    }
}

/// serde's words for the kind of value that `v` is.
fn unexpected(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".into(),
        Value::Object(_) => "map".into(),
    }
}

fn invalid_type(v: &Value, expected: &str) -> Error {
    Error::invalid_input(format!(
        "invalid type: {}, expected {expected}",
        unexpected(v)
    ))
}

/// An integer out of the range of `expected`.
fn invalid_value(n: &Number, expected: &str) -> Error {
    Error::invalid_input(format!("invalid value: integer `{n}`, expected {expected}"))
}

/// "`a`", "`a` or `b`", "one of `a`, `b`, `c`".
fn one_of(names: &[&str]) -> String {
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

    input_struct! {
        #[derive(Debug, PartialEq)]
        struct Point {
            x: u32,
            label: Option<String>,
            shown: bool = true,
        }
    }

    input_struct! {
        #[derive(Debug, PartialEq)]
        struct Plot {
            points: Vec<Point>,
        }
    }

    input_struct! {
        struct Nothing {}
    }

    fn message<T: FromInput + std::fmt::Debug>(v: Value) -> String {
        let e = read::<T>(v).unwrap_err();
        assert_eq!(e.code.as_str(), "invalid_input");
        e.message
    }

    #[test]
    fn fields_required_optional_and_defaulted() {
        let p: Point = read(json!({"x": 1, "label": null})).unwrap();
        assert_eq!(
            p,
            Point {
                x: 1,
                label: None,
                shown: true
            }
        );
        assert_eq!(message::<Point>(json!({})), "missing field `x`");
        assert_eq!(message::<Point>(json!(null)), "missing field `x`");
        assert_eq!(message::<Point>(json!([])), "input must be a JSON object");
        assert_eq!(
            message::<Point>(json!({"x": 1, "y": 2})),
            "unknown field `y`, expected one of `x`, `label`, `shown`"
        );
        assert!(read::<Nothing>(json!({})).is_ok());
        assert_eq!(
            read::<Nothing>(json!({"a": 1}))
                .map(|_| ())
                .unwrap_err()
                .message,
            "unknown field `a`, there are no fields"
        );
    }

    #[test]
    fn the_first_entry_in_object_order_decides() {
        // serde_json objects iterate in key order: "label" before "x".
        assert_eq!(
            message::<Point>(json!({"x": -1, "label": 5})),
            "invalid type: integer `5`, expected a string"
        );
        assert_eq!(
            message::<Point>(json!({"x": 1.5, "zz": 1})),
            "invalid type: floating point `1.5`, expected u32"
        );
        assert_eq!(
            message::<Point>(json!({"x": 4294967296u64})),
            "invalid value: integer `4294967296`, expected u32"
        );
        assert_eq!(
            message::<Point>(json!({"x": 1, "shown": "yes"})),
            "invalid type: string \"yes\", expected a boolean"
        );
    }

    #[test]
    fn structs_in_a_list_are_objects() {
        let p: Plot = read(json!({"points": [{"x": 1}, {"x": 2, "label": "b"}]})).unwrap();
        assert_eq!(p.points[1].label.as_deref(), Some("b"));
        assert_eq!(
            message::<Plot>(json!({"points": [[2, "b", false]]})),
            "invalid type: sequence, expected an object"
        );
        assert_eq!(
            message::<Plot>(json!({"points": ["p"]})),
            "invalid type: string \"p\", expected an object"
        );
        assert_eq!(
            message::<Plot>(json!({"points": [{}]})),
            "missing field `x`"
        );
        assert_eq!(
            message::<Plot>(json!({"points": {}})),
            "invalid type: map, expected a sequence"
        );
    }

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Side {
        Left,
        Right,
    }
    input_enum!(Side { Left = "left", Right = "right" });

    #[test]
    fn enums_by_name() {
        assert_eq!(Side::from_value(json!("right")).unwrap(), Side::Right);
        let err = |v| Side::from_value(v).unwrap_err().message;
        assert_eq!(
            err(json!("up")),
            "unknown variant `up`, expected `left` or `right`"
        );
        assert_eq!(
            err(json!({"left": null})),
            "invalid type: map, expected a string"
        );
        assert_eq!(err(json!(null)), "invalid type: null, expected a string");
    }
}
