//! Op inputs read straight from the JSON object.
//!
//! This replaces `#[derive(Deserialize)]` for the op-input structs: serde's
//! visitors are generated again for every struct and every deserializer, and
//! were a third of the WebAssembly module. Here a struct is a table of its
//! fields and one call a field to build it; the checks and conversions are
//! shared per field type. Errors are in the words of [`crate::field`], the
//! one vocabulary of the core's JSON readers (they name the field by its
//! path and never show a value), and come in a fixed order: entry by entry
//! in the object's order, then the first missing field in declaration order.
//! Only JSON's own forms are taken: a struct is an object (also inside a
//! list) and an enum a string.

use crate::error::{Error, Result};
use crate::field::{one_of, Fault, Problem};
use serde_json::{Map, Value};

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

    /// The value, or what is wrong with it (the reader adds the field's key).
    fn from_value(v: Value) -> std::result::Result<Self, Fault>;
}

/// One field of an op-input struct.
pub(crate) struct InputField {
    pub(crate) name: &'static str,
    /// The type check: converts a copy of the value.
    pub(crate) check: fn(&Value) -> std::result::Result<(), Fault>,
    /// The type is an `Option`.
    pub(crate) optional: bool,
    /// The struct gives a default for when the field is left out.
    pub(crate) defaulted: bool,
}

/// [`InputField::check`] for a field of type `T`.
pub(crate) fn check<T: InputValue>(v: &Value) -> std::result::Result<(), Fault> {
    T::from_value(v.clone()).map(drop)
}

/// Reads an op's input: a JSON object, or `null` for `{}`.
///
/// Every value is checked first, so that building the struct cannot fail:
/// that keeps the code of each struct to one call a field.
pub(crate) fn read<T: FromInput>(v: Value) -> Result<T> {
    check_input(T::FIELDS, v).map(T::from_checked)
}

// Not generic, so that each `read::<T>` is two calls.
fn check_input(fields: &[InputField], v: Value) -> Result<Checked> {
    let map = match v {
        Value::Object(map) => map,
        Value::Null => Map::new(),
        _ => return Err(Error::invalid_input("input must be a JSON object")),
    };
    check_object(fields, map).map_err(|f| Error::invalid_input(f.message()))
}

/// A struct inside a list: a JSON object, like the input itself.
fn read_nested<T: FromInput>(v: Value) -> std::result::Result<T, Fault> {
    match v {
        Value::Object(map) => check_object(T::FIELDS, map).map(T::from_checked),
        other => Err(Fault::kind("an object", &other)),
    }
}

/// Checks the entries in the object's own order, then that no field is
/// missing, in declaration order.
fn check_object(
    fields: &[InputField],
    map: Map<String, Value>,
) -> std::result::Result<Checked, Fault> {
    let mut values = vec![None; fields.len()];
    for (key, value) in map {
        let Some(index) = fields.iter().position(|f| f.name == key) else {
            return Err(Fault::at(&key, Problem::Unknown(names(fields))));
        };
        (fields[index].check)(&value).map_err(|f| f.in_key(&key))?;
        values[index] = Some(value);
    }
    let missing = fields
        .iter()
        .zip(&values)
        .find(|(f, v)| v.is_none() && !f.optional && !f.defaulted);
    if let Some((f, _)) = missing {
        return Err(Fault::at(f.name, Problem::Missing));
    }
    Ok(Checked(values.into_iter()))
}

/// The names of `fields`, for an unknown key's message.
fn names(fields: &[InputField]) -> Vec<&'static str> {
    fields.iter().map(|f| f.name).collect()
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
            fn from_value(
                v: serde_json::Value,
            ) -> std::result::Result<Self, $crate::field::Fault> {
                const VARIANTS: &[&str] = &[$($text),+];
                const ALL: &[$name] = &[$($name::$variant),+];
                Ok(ALL[$crate::input::variant(v, VARIANTS)?])
            }
        }
    };
}
pub(crate) use input_enum;

/// The index in `variants` of the variant `v` names.
pub(crate) fn variant(v: Value, variants: &[&str]) -> std::result::Result<usize, Fault> {
    let name = match v {
        Value::String(name) => name,
        other => return Err(Fault::kind("a string", &other)),
    };
    variants
        .iter()
        .position(|v| *v == name)
        .ok_or_else(|| Fault::new(Problem::Range(one_of(variants))))
}

impl InputValue for String {
    fn from_value(v: Value) -> std::result::Result<Self, Fault> {
        match v {
            Value::String(s) => Ok(s),
            other => Err(Fault::kind("a string", &other)),
        }
    }
}

impl InputValue for bool {
    fn from_value(v: Value) -> std::result::Result<Self, Fault> {
        match v {
            Value::Bool(b) => Ok(b),
            other => Err(Fault::kind("true or false", &other)),
        }
    }
}

impl InputValue for Value {
    fn from_value(v: Value) -> std::result::Result<Self, Fault> {
        Ok(v)
    }
}

impl<T: InputValue> InputValue for Option<T> {
    const OPTIONAL: bool = true;

    fn from_value(v: Value) -> std::result::Result<Self, Fault> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

impl<T: FromInput> InputValue for Vec<T> {
    fn from_value(v: Value) -> std::result::Result<Self, Fault> {
        match v {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| read_nested(item).map_err(|f| f.in_item(i)))
                .collect(),
            other => Err(Fault::kind("a list", &other)),
        }
    }
}

/// A JSON integer that `read` takes; out of its range, one from `min` to `max`.
fn whole<T>(
    v: &Value,
    read: fn(&serde_json::Number) -> Option<T>,
    min: i64,
    max: u64,
) -> std::result::Result<T, Fault> {
    match v {
        Value::Number(n) if !n.is_f64() => read(n).ok_or_else(|| {
            Fault::new(Problem::Range(format!(
                "a whole number from {min} to {max}"
            )))
        }),
        _ => Err(Fault::kind("a whole number", v)),
    }
}

macro_rules! impl_unsigned {
    ($($t:ty),+) => {$(
        impl InputValue for $t {
            fn from_value(v: Value) -> std::result::Result<Self, Fault> {
                whole(&v, |n| n.as_u64().and_then(|u| <$t>::try_from(u).ok()), 0, <$t>::MAX as u64)
            }
        }
    )+};
}
impl_unsigned!(u64, u32, u16, usize);

impl InputValue for i64 {
    fn from_value(v: Value) -> std::result::Result<Self, Fault> {
        whole(&v, serde_json::Number::as_i64, i64::MIN, i64::MAX as u64)
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
        assert_eq!(message::<Point>(json!({})), "`x` is missing");
        assert_eq!(message::<Point>(json!(null)), "`x` is missing");
        assert_eq!(message::<Point>(json!({"x": null})), "`x` is missing");
        assert_eq!(message::<Point>(json!([])), "input must be a JSON object");
        assert_eq!(
            message::<Point>(json!({"x": 1, "y": 2})),
            "unknown field `y`: expected one of `x`, `label`, `shown`"
        );
        assert!(read::<Nothing>(json!({})).is_ok());
        assert_eq!(
            read::<Nothing>(json!({"a": 1}))
                .map(|_| ())
                .unwrap_err()
                .message,
            "unknown field `a`: there are no fields"
        );
    }

    #[test]
    fn the_first_entry_in_object_order_decides() {
        // serde_json objects iterate in key order: "label" before "x".
        assert_eq!(
            message::<Point>(json!({"x": -1, "label": 5})),
            "`label` must be a string, not a number"
        );
        assert_eq!(
            message::<Point>(json!({"x": 1.5, "zz": 1})),
            "`x` must be a whole number, not a fraction"
        );
        assert_eq!(
            message::<Point>(json!({"x": 4294967296u64})),
            "`x` must be a whole number from 0 to 4294967295"
        );
        assert_eq!(
            message::<Point>(json!({"x": -1})),
            "`x` must be a whole number from 0 to 4294967295"
        );
        assert_eq!(
            message::<Point>(json!({"x": 1, "shown": "yes"})),
            "`shown` must be true or false, not a string"
        );
    }

    #[test]
    fn values_are_never_shown() {
        for v in [json!("hunter2"), json!(37256497631u64), json!(["hunter2"])] {
            let m = message::<Point>(json!({ "label": v }));
            assert!(!m.contains("hunter2") && !m.contains("37256497631"), "{m}");
        }
    }

    #[test]
    fn structs_in_a_list_are_objects() {
        let p: Plot = read(json!({"points": [{"x": 1}, {"x": 2, "label": "b"}]})).unwrap();
        assert_eq!(p.points[1].label.as_deref(), Some("b"));
        assert_eq!(
            message::<Plot>(json!({"points": [{"x": 1}, [2, "b", false]]})),
            "`points[1]` must be an object, not a list"
        );
        assert_eq!(
            message::<Plot>(json!({"points": ["p"]})),
            "`points[0]` must be an object, not a string"
        );
        assert_eq!(
            message::<Plot>(json!({"points": [{"x": 1}, {}]})),
            "`points[1].x` is missing"
        );
        assert_eq!(
            message::<Plot>(json!({"points": [{"x": 1, "z": 0}]})),
            "unknown field `points[0].z`: expected one of `x`, `label`, `shown`"
        );
        assert_eq!(
            message::<Plot>(json!({"points": {}})),
            "`points` must be a list, not an object"
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
        let err = |v| Side::from_value(v).unwrap_err().in_key("side").message();
        assert_eq!(err(json!("up")), "`side` must be `left` or `right`");
        assert_eq!(
            err(json!({"left": null})),
            "`side` must be a string, not an object"
        );
        assert_eq!(err(json!(null)), "`side` is missing");
    }
}
