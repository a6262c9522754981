//! Vietnamese text folded to the ASCII that transfer content must be.
//!
//! Bank apps and VietQR.vn take content of `[A-Za-z0-9 ]` only (VietQR.vn
//! docs: at most 19 characters, no diacritics, no special characters), and a
//! TLV length counts bytes, so every character must be one byte.

pub use crate::rules::CONTENT_MAX;

// Each run of precomposed letters folds to the ASCII letter that follows it.
// Covers every Vietnamese vowel with every tone (a ă â e ê i o ô ơ u ư y) and đ.
const FOLDS: &[(&str, char)] = &[
    ("àáạảãâầấậẩẫăằắặẳẵ", 'a'),
    ("ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴ", 'A'),
    ("èéẹẻẽêềếệểễ", 'e'),
    ("ÈÉẸẺẼÊỀẾỆỂỄ", 'E'),
    ("ìíịỉĩ", 'i'),
    ("ÌÍỊỈĨ", 'I'),
    ("òóọỏõôồốộổỗơờớợởỡ", 'o'),
    ("ÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠ", 'O'),
    ("ùúụủũưừứựửữ", 'u'),
    ("ÙÚỤỦŨƯỪỨỰỬỮ", 'U'),
    ("ỳýỵỷỹ", 'y'),
    ("ỲÝỴỶỸ", 'Y'),
    ("đ", 'd'),
    ("Đ", 'D'),
];

/// The ASCII letter a Vietnamese letter folds to, if it is one.
fn fold_char(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    FOLDS
        .iter()
        .find(|(set, _)| set.contains(c))
        .map(|&(_, base)| base)
}

/// Folds `text` to `[A-Za-z0-9 ]`: tone marks and đ/Đ become plain letters,
/// combining marks (decomposed input) vanish, any other character is dropped,
/// runs of whitespace become one space, ends are trimmed, and the result is
/// cut to `max_len` characters (then trimmed again).
///
/// ```
/// use vietqr::text::fold;
/// assert_eq!(fold("Thanh toán đơn hàng #1234", None), "Thanh toan don hang 1234");
/// assert_eq!(fold("  Đặng   Thị Ưng ", Some(9)), "Dang Thi");
/// ```
pub fn fold(text: &str, max_len: Option<usize>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        let Some(f) = fold_char(c) else { continue };
        if !f.is_ascii_alphanumeric() {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(f);
    }
    if let Some(max) = max_len {
        out.truncate(max);
        out.truncate(out.trim_end().len());
    }
    out
}

/// Whether `text` already satisfies VietQR's content rules: non-empty,
/// `[A-Za-z0-9 ]` only, at most `max_len` characters.
pub fn is_clean_content(text: &str, max_len: usize) -> bool {
    !text.is_empty()
        && text.len() <= max_len
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_every_tone_of_every_vowel() {
        assert_eq!(fold("àáạảãâầấậẩẫăằắặẳẵ", None), "a".repeat(17));
        assert_eq!(fold("ÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠ", None), "O".repeat(17));
        assert_eq!(fold("ừứựửữ ỳýỵỷỹ", None), "uuuuu yyyyy");
        assert_eq!(fold("Nguyễn Văn Đức", None), "Nguyen Van Duc");
    }

    #[test]
    fn drops_combining_marks_and_symbols() {
        // "Việt" decomposed: e + U+0323 (dot below) + U+0302 (circumflex)
        assert_eq!(fold("Vie\u{0323}\u{0302}t-Nam!", None), "VietNam");
        assert_eq!(fold("a\tb\n\nc", None), "a b c");
        assert_eq!(fold("", Some(5)), "");
        assert_eq!(fold("😀 x", None), "x");
    }

    #[test]
    fn clean_content_rule() {
        assert!(is_clean_content("DH1234 ABC", CONTENT_MAX));
        assert!(!is_clean_content("DH-1234", CONTENT_MAX));
        assert!(!is_clean_content(&"A".repeat(20), CONTENT_MAX));
        assert!(!is_clean_content("", CONTENT_MAX));
    }
}
