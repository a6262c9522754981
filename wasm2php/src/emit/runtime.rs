//! The PHP helpers behind the rare or complex operations, emitted as
//! private static methods of the generated class, only when used.
//!
//! Their source is `runtime.php` (a PHP file, checked by `php -l` in the
//! tests): each method follows a `// @helper name` line and, when it calls
//! other helpers, a `// @needs a b` line; it ends at its closing `    }`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The helpers, as one PHP file.
const RUNTIME_PHP: &str = include_str!("runtime.php");

/// One helper method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Helper {
    Trap,
    Oob,
    BadCall,
    Clz32,
    Ctz32,
    Popcnt32,
    Clz64,
    Ctz64,
    Popcnt64,
    Add64,
    Sub64,
    Mul64,
    DivU64,
    RemU64,
    ShrU64,
    Rotl64,
    Rotr64,
    FloatDiv,
    FloatMin,
    FloatMax,
    Copysign,
    Nearest,
    U64ToF64,
    I64ToF32,
    U64ToF32,
    TruncI32S,
    TruncI32U,
    TruncI64S,
    TruncI64U,
    SatI32S,
    SatI32U,
    SatI64S,
    SatI64U,
    F32Bits,
    F32FromBits,
    Store64,
    Move8,
    Grow,
    Copy,
    Fill,
    Init,
}

impl Helper {
    /// Every helper, in emission order.
    pub const ALL: [Helper; 41] = [
        Helper::Trap,
        Helper::Oob,
        Helper::BadCall,
        Helper::Clz32,
        Helper::Ctz32,
        Helper::Popcnt32,
        Helper::Clz64,
        Helper::Ctz64,
        Helper::Popcnt64,
        Helper::Add64,
        Helper::Sub64,
        Helper::Mul64,
        Helper::DivU64,
        Helper::RemU64,
        Helper::ShrU64,
        Helper::Rotl64,
        Helper::Rotr64,
        Helper::FloatDiv,
        Helper::FloatMin,
        Helper::FloatMax,
        Helper::Copysign,
        Helper::Nearest,
        Helper::U64ToF64,
        Helper::I64ToF32,
        Helper::U64ToF32,
        Helper::TruncI32S,
        Helper::TruncI32U,
        Helper::TruncI64S,
        Helper::TruncI64U,
        Helper::SatI32S,
        Helper::SatI32U,
        Helper::SatI64S,
        Helper::SatI64U,
        Helper::F32Bits,
        Helper::F32FromBits,
        Helper::Store64,
        Helper::Move8,
        Helper::Grow,
        Helper::Copy,
        Helper::Fill,
        Helper::Init,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Helper::Trap => "trap",
            Helper::Oob => "oob",
            Helper::BadCall => "badCall",
            Helper::Clz32 => "clz32",
            Helper::Ctz32 => "ctz32",
            Helper::Popcnt32 => "popcnt32",
            Helper::Clz64 => "clz64",
            Helper::Ctz64 => "ctz64",
            Helper::Popcnt64 => "popcnt64",
            Helper::Add64 => "add64",
            Helper::Sub64 => "sub64",
            Helper::Mul64 => "mul64",
            Helper::DivU64 => "divU64",
            Helper::RemU64 => "remU64",
            Helper::ShrU64 => "shrU64",
            Helper::Rotl64 => "rotl64",
            Helper::Rotr64 => "rotr64",
            Helper::FloatDiv => "fdiv",
            Helper::FloatMin => "fmin",
            Helper::FloatMax => "fmax",
            Helper::Copysign => "copysign",
            Helper::Nearest => "nearest",
            Helper::U64ToF64 => "u64ToF64",
            Helper::I64ToF32 => "i64ToF32",
            Helper::U64ToF32 => "u64ToF32",
            Helper::TruncI32S => "truncI32S",
            Helper::TruncI32U => "truncI32U",
            Helper::TruncI64S => "truncI64S",
            Helper::TruncI64U => "truncI64U",
            Helper::SatI32S => "satI32S",
            Helper::SatI32U => "satI32U",
            Helper::SatI64S => "satI64S",
            Helper::SatI64U => "satI64U",
            Helper::F32Bits => "f32Bits",
            Helper::F32FromBits => "f32FromBits",
            Helper::Store64 => "store64",
            Helper::Move8 => "move8",
            Helper::Grow => "grow",
            Helper::Copy => "copy",
            Helper::Fill => "fill",
            Helper::Init => "init",
        }
    }

    /// Helpers this one calls (its `// @needs` line).
    pub fn needs(self) -> &'static [Helper] {
        &section(self).needs
    }

    /// The method's PHP source, indented for the class body: a newline,
    /// then the lines from its doc comment to its closing brace.
    pub fn source(self) -> &'static str {
        section(self).source
    }
}

/// One helper's part of `runtime.php`.
#[derive(Debug)]
struct Section {
    needs: Vec<Helper>,
    source: &'static str,
}

fn section(helper: Helper) -> &'static Section {
    static SECTIONS: OnceLock<BTreeMap<Helper, Section>> = OnceLock::new();
    let sections =
        SECTIONS.get_or_init(|| parse(RUNTIME_PHP).unwrap_or_else(|e| panic!("runtime.php: {e}")));
    &sections[&helper]
}

/// Cuts `runtime.php` into helpers; every helper must be there once.
fn parse(php: &'static str) -> Result<BTreeMap<Helper, Section>, String> {
    let by_name = |name: &str| {
        Helper::ALL
            .iter()
            .copied()
            .find(|h| h.name() == name)
            .ok_or_else(|| format!("unknown helper `{name}`"))
    };
    let mut sections = BTreeMap::new();
    let mut rest = php;
    while let Some(at) = rest.find("    // @helper ") {
        let after = &rest[at + "    // @helper ".len()..];
        let line_end = after.find('\n').ok_or("marker without a method")?;
        let helper = by_name(after[..line_end].trim())?;
        // `source` starts with the newline that ends the last marker line.
        let mut body = &after[line_end..];
        let mut needs = vec![];
        while let Some(line) = body.strip_prefix("\n    // @needs ") {
            let end = line.find('\n').ok_or("marker without a method")?;
            for name in line[..end].split_whitespace() {
                needs.push(by_name(name)?);
            }
            body = &line[end..];
        }
        let end = body
            .find("\n    }\n")
            .ok_or_else(|| format!("`{}` has no closing `    }}`", helper.name()))?
            + "\n    }".len();
        let source = &body[..end];
        if sections.insert(helper, Section { needs, source }).is_some() {
            return Err(format!("`{}` twice", helper.name()));
        }
        rest = &body[end..];
    }
    if let Some(missing) = Helper::ALL.iter().find(|h| !sections.contains_key(h)) {
        return Err(format!("no `// @helper {}`", missing.name()));
    }
    Ok(sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_helper_has_its_method_and_names_what_it_calls() {
        let sections = parse(RUNTIME_PHP).unwrap();
        assert_eq!(sections.len(), Helper::ALL.len());
        for helper in Helper::ALL {
            let source = helper.source();
            assert!(source.starts_with("\n    "), "{source}");
            assert!(source.ends_with("\n    }"), "{source}");
            assert!(
                source.contains(&format!(" static function {}(", helper.name())),
                "`// @helper {}` is followed by another method",
                helper.name()
            );
            // `@needs` lists exactly the helpers the body calls.
            let mut calls: Vec<Helper> = Helper::ALL
                .into_iter()
                .filter(|h| *h != helper && source.contains(&format!("self::{}(", h.name())))
                .collect();
            let mut needs = helper.needs().to_vec();
            calls.sort();
            needs.sort();
            assert_eq!(needs, calls, "`// @needs` of {}", helper.name());
        }
    }

    #[test]
    fn markers_are_checked() {
        assert!(parse("    // @helper nope\n    }\n")
            .unwrap_err()
            .contains("unknown helper `nope`"));
        assert!(parse("").unwrap_err().contains("no `// @helper trap`"));
    }
}
