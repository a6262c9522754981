//! The TLV layer: two-digit ID, two-digit length, value. Templates (38, 62)
//! nest the same format inside a value.

use crate::error::{Code, Error, Result};
use crate::rules::TLV_VALUE_MAX;

/// One data object: `id` and `value` borrowed from the payload, and the
/// offset of its ID within the string that was parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    pub id: &'a str,
    pub value: &'a str,
    pub offset: usize,
}

/// Appends one data object. Fails when the value is empty or longer than 99
/// characters, since two digits cannot say more.
pub fn write(out: &mut String, id: &str, value: &str, what: &str) -> Result<()> {
    debug_assert!(id.len() == 2 && id.bytes().all(|b| b.is_ascii_digit()));
    let len = value.len();
    if len == 0 {
        return Err(Error::new(
            Code::ValueEmpty,
            format!("{what} (tag {id}) is empty; leave it out instead"),
        ));
    }
    if len > TLV_VALUE_MAX {
        return Err(Error::new(
            Code::ValueTooLong,
            format!(
                "{what} (tag {id}) is {len} characters; a TLV value holds at most {TLV_VALUE_MAX}"
            ),
        ));
    }
    out.push_str(id);
    out.push(char::from(b'0' + (len / 10) as u8));
    out.push(char::from(b'0' + (len % 10) as u8));
    out.push_str(value);
    Ok(())
}

/// Splits `data` into data objects. `base` is the offset of `data` within
/// the whole payload (0 for the payload itself, which alone can be cut short;
/// a template's end is fixed by its own length) and `within` names it.
pub fn parse<'a>(data: &'a str, base: usize, within: &str) -> Result<Vec<Field<'a>>> {
    let bytes = data.as_bytes();
    let mut fields = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let at = base + pos;
        if bytes.len() - pos < 4 {
            return Err(leftover(within, base != 0, at, bytes.len() - pos));
        }
        let head = &bytes[pos..pos + 4];
        if !head.iter().all(u8::is_ascii_digit) {
            return Err(Error::new(
                Code::InvalidTlv,
                format!(
                    "{within} has a field header at offset {at} that is not four digits: {:?}",
                    String::from_utf8_lossy(head)
                ),
            ));
        }
        let id = &data[pos..pos + 2];
        let len = usize::from(head[2] - b'0') * 10 + usize::from(head[3] - b'0');
        if len == 0 {
            return Err(Error::new(
                Code::InvalidTlv,
                format!("{within} field {id} at offset {at} has length 00"),
            ));
        }
        let start = pos + 4;
        let end = start + len;
        if end > bytes.len() {
            let remain = bytes.len() - start;
            let message = format!(
                "{within} field {id} at offset {at} says {len} characters but only {remain} remain"
            );
            return Err(if base == 0 {
                Error::new(Code::Truncated, message)
            } else {
                // Inside a template the outer length fixed the end, so a
                // field running past it means a length in there is wrong.
                Error::new(Code::InvalidLength, message)
            });
        }
        let Some(value) = data.get(start..end) else {
            return Err(Error::new(
                Code::InvalidTlv,
                format!("{within} field {id} at offset {at} cuts a multi-byte character"),
            ));
        };
        if fields.iter().any(|f: &Field| f.id == id) {
            return Err(Error::new(
                Code::DuplicateField,
                format!("{within} has field {id} twice (second at offset {at})"),
            ));
        }
        fields.push(Field {
            id,
            value,
            offset: at,
        });
        pos = end;
    }
    Ok(fields)
}

/// Fewer than four characters left where a field header should start.
fn leftover(within: &str, nested: bool, at: usize, n: usize) -> Error {
    if !nested {
        Error::new(
            Code::Truncated,
            format!("{within} ends in the middle of a field header at offset {at}"),
        )
    } else {
        Error::new(
            Code::InvalidLength,
            format!(
                "{within} has {n} stray character{} at offset {at}; a length inside it is wrong",
                if n == 1 { "" } else { "s" }
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_two_digit_lengths() {
        let mut s = String::new();
        write(&mut s, "58", "VN", "country").unwrap();
        write(&mut s, "08", &"x".repeat(10), "purpose").unwrap();
        assert_eq!(s, "5802VN0810xxxxxxxxxx");
    }

    #[test]
    fn refuses_values_over_99() {
        let err = write(&mut String::new(), "08", &"x".repeat(100), "purpose").unwrap_err();
        assert_eq!(err.code, "value_too_long");
        assert_eq!(
            err.message,
            "purpose (tag 08) is 100 characters; a TLV value holds at most 99"
        );
    }

    #[test]
    fn parse_names_the_truncated_field() {
        let err = parse("000201010212", 0, "payload").unwrap();
        assert_eq!(err.len(), 2);
        let err = parse("00020101051", 0, "payload").unwrap_err();
        assert_eq!(err.code, "truncated");
        assert_eq!(
            err.message,
            "payload field 01 at offset 6 says 5 characters but only 1 remain"
        );
    }
}
