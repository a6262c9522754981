//! PHP literals, identifiers and escaping.

use crate::Error;

/// PHP's reserved words, which cannot name a class or namespace segment.
const RESERVED: &[&str] = &[
    "abstract",
    "and",
    "array",
    "as",
    "break",
    "callable",
    "case",
    "catch",
    "class",
    "clone",
    "const",
    "continue",
    "declare",
    "default",
    "do",
    "echo",
    "else",
    "elseif",
    "empty",
    "enddeclare",
    "endfor",
    "endforeach",
    "endif",
    "endswitch",
    "endwhile",
    "enum",
    "eval",
    "exit",
    "extends",
    "final",
    "finally",
    "fn",
    "for",
    "foreach",
    "function",
    "global",
    "goto",
    "if",
    "implements",
    "include",
    "include_once",
    "instanceof",
    "insteadof",
    "interface",
    "isset",
    "list",
    "match",
    "namespace",
    "new",
    "or",
    "print",
    "private",
    "protected",
    "public",
    "readonly",
    "require",
    "require_once",
    "return",
    "static",
    "switch",
    "throw",
    "trait",
    "try",
    "unset",
    "use",
    "var",
    "while",
    "xor",
    "yield",
    "int",
    "float",
    "bool",
    "string",
    "true",
    "false",
    "null",
    "void",
    "iterable",
    "object",
    "mixed",
    "never",
    "self",
    "parent",
];

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && !RESERVED.contains(&name.to_ascii_lowercase().as_str())
}

/// Checks that the namespace (segments separated by `\`, or empty) and the
/// class name are usable PHP names.
pub fn check_names(namespace: &str, class: &str) -> Result<(), Error> {
    let namespace = namespace.trim_start_matches('\\');
    if !namespace.is_empty() && !namespace.split('\\').all(is_identifier) {
        return Err(Error::BadName(format!(
            "`{namespace}` is not a PHP namespace"
        )));
    }
    if !is_identifier(class) {
        return Err(Error::BadName(format!("`{class}` is not a PHP class name")));
    }
    Ok(())
}

/// `export_<name>`, every character but ASCII letters, digits and `_`
/// replaced by `_`.
pub fn export_method(export: &str) -> String {
    let mut method = String::from("export_");
    method.extend(
        export
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }),
    );
    method
}

/// A name made safe for a `/* */` comment: no `*/`, no line breaks, ASCII.
pub fn comment_text(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '?'
            }
        })
        .collect::<String>()
        .replace("*/", "*?")
}

/// A binary-safe single-quoted literal: only `\` and `'` need escaping.
/// Used for text (names, messages) only; binary data goes through base64 so
/// that the file stays ASCII.
pub fn single_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        if c == '\\' || c == '\'' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// A double-quoted literal of arbitrary bytes, with `\xNN` escapes for
/// anything but plain ASCII.
pub fn bytes_literal(bytes: &[u8]) -> String {
    let mut out = String::from("\"");
    for &b in bytes {
        match b {
            b'"' | b'\\' | b'$' => {
                out.push('\\');
                out.push(b as char);
            }
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('"');
    out
}

/// An i64 as a PHP int expression (parenthesised when negative).
pub fn int(value: i64) -> String {
    if value == i64::MIN {
        "\\PHP_INT_MIN".into()
    } else if value < 0 {
        format!("({value})")
    } else {
        value.to_string()
    }
}

/// An f64 (given by its bits) as a PHP float expression with the exact value.
pub fn float(bits: u64) -> String {
    let value = f64::from_bits(bits);
    if value.is_nan() {
        // PHP has no NaN literal with a chosen payload.
        format!("\\unpack('e', {})[1]", bytes_literal(&bits.to_le_bytes()))
    } else if value.is_infinite() {
        if value > 0.0 {
            "\\INF".into()
        } else {
            "(-\\INF)".into()
        }
    } else {
        // Rust's `{:?}` is the shortest text that reads back as the same
        // double, always with `.` or an exponent, so PHP reads a float.
        let text = format!("{value:?}");
        if text.starts_with('-') {
            format!("({text})")
        } else {
            text
        }
    }
}

/// `code` without one layer of enclosing parentheses, when they enclose
/// the whole expression (string literals inside are skipped).
pub fn strip_parens(code: &str) -> &str {
    let bytes = code.as_bytes();
    if bytes.len() < 2 || bytes[0] != b'(' || bytes[bytes.len() - 1] != b')' {
        return code;
    }
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) => {
                if b == b'\\' {
                    i += 1;
                } else if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'\'' | b'"' => quote = Some(b),
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 && i != bytes.len() - 1 {
                        return code;
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    &code[1..code.len() - 1]
}

/// Standard base64 with padding, as PHP's `base64_decode` reads it.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals() {
        assert_eq!(int(5), "5");
        assert_eq!(int(-5), "(-5)");
        assert_eq!(int(i64::MIN), "\\PHP_INT_MIN");
        assert_eq!(float(1.0f64.to_bits()), "1.0");
        assert_eq!(float((-0.0f64).to_bits()), "(-0.0)");
        assert_eq!(float(1e-7f64.to_bits()), "1e-7");
        assert_eq!(float(f64::INFINITY.to_bits()), "\\INF");
        assert_eq!(single_quoted("a'b\\c"), "'a\\'b\\\\c'");
        assert_eq!(bytes_literal(b"a\0\"$"), "\"a\\x00\\\"\\$\"");
        assert_eq!(strip_parens("($a < $b)"), "$a < $b");
        assert_eq!(strip_parens("($a) + ($b)"), "($a) + ($b)");
        assert_eq!(strip_parens("(f(')') + 1)"), "f(')') + 1");
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn names() {
        assert!(check_names("VietQR\\Generated", "CoreModule").is_ok());
        assert!(check_names("", "M1").is_ok());
        assert!(check_names("Viet QR", "M").is_err());
        assert!(check_names("A", "class").is_err());
        assert_eq!(export_method("vqr-call.x"), "export_vqr_call_x");
    }
}
