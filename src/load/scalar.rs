//! Resolution of plain YAML scalars to typed values (the YAML 1.2 core schema).
//!
//! Quoted and block scalars are always strings; plain ones may be null, a
//! boolean, an integer or a float.

/// A resolved scalar value, borrowed from the node tree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A string: quoted, block, or plain text that is not one of the above.
    Str(&'a str),
}

impl<'a> Scalar<'a> {
    /// Resolves a plain scalar by the core schema; `plain == false` keeps it a string.
    pub fn resolve(text: &'a str, plain: bool) -> Scalar<'a> {
        if !plain {
            return Scalar::Str(text);
        }
        match text {
            "" | "~" | "null" | "Null" | "NULL" => return Scalar::Null,
            "true" | "True" | "TRUE" => return Scalar::Bool(true),
            "false" | "False" | "FALSE" => return Scalar::Bool(false),
            ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
                return Scalar::Float(f64::INFINITY)
            }
            "-.inf" | "-.Inf" | "-.INF" => return Scalar::Float(f64::NEG_INFINITY),
            ".nan" | ".NaN" | ".NAN" => return Scalar::Float(f64::NAN),
            _ => {}
        }
        let bytes = text.as_bytes();
        let first = bytes[0];
        if !(first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.') {
            return Scalar::Str(text);
        }
        if let Some(hex) = text.strip_prefix("0x") {
            if let Ok(v) = i64::from_str_radix(hex, 16) {
                return Scalar::Int(v);
            }
        }
        if let Some(oct) = text.strip_prefix("0o") {
            if let Ok(v) = i64::from_str_radix(oct, 8) {
                return Scalar::Int(v);
            }
        }
        if is_core_int(bytes) {
            return match text.parse::<i64>() {
                Ok(v) => Scalar::Int(v),
                // Too large for i64: still a number, kept as a float.
                Err(_) => text.parse::<f64>().map_or(Scalar::Str(text), Scalar::Float),
            };
        }
        if is_core_float(bytes) {
            if let Ok(v) = text.parse::<f64>() {
                return Scalar::Float(v);
            }
        }
        Scalar::Str(text)
    }

    /// The value as a number, when it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Scalar::Int(v) => Some(v as f64),
            Scalar::Float(v) => Some(v),
            _ => None,
        }
    }

    /// A short name of the value's type, for messages ("a string", "a number").
    pub fn type_name(&self) -> &'static str {
        match self {
            Scalar::Null => "null",
            Scalar::Bool(_) => "a boolean",
            Scalar::Int(_) => "an integer",
            Scalar::Float(_) => "a number",
            Scalar::Str(_) => "a string",
        }
    }
}

/// `[-+]?[0-9]+`
fn is_core_int(b: &[u8]) -> bool {
    let digits = match b.first() {
        Some(b'-' | b'+') => &b[1..],
        _ => b,
    };
    !digits.is_empty() && digits.iter().all(u8::is_ascii_digit)
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_core_float(b: &[u8]) -> bool {
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - s;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == s {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::Scalar;

    #[test]
    fn core_schema() {
        assert_eq!(Scalar::resolve("", true), Scalar::Null);
        assert_eq!(Scalar::resolve("~", true), Scalar::Null);
        assert_eq!(Scalar::resolve("true", true), Scalar::Bool(true));
        assert_eq!(Scalar::resolve("yes", true), Scalar::Str("yes"));
        assert_eq!(Scalar::resolve("42", true), Scalar::Int(42));
        assert_eq!(Scalar::resolve("-0", true), Scalar::Int(0));
        assert_eq!(Scalar::resolve("0x1F", true), Scalar::Int(31));
        assert_eq!(Scalar::resolve("0.72", true), Scalar::Float(0.72));
        assert_eq!(Scalar::resolve("1e3", true), Scalar::Float(1000.0));
        assert_eq!(Scalar::resolve("1e400", true), Scalar::Float(f64::INFINITY));
        assert!(matches!(Scalar::resolve(".nan", true), Scalar::Float(v) if v.is_nan()));
        assert_eq!(Scalar::resolve("72%", true), Scalar::Str("72%"));
        assert_eq!(Scalar::resolve("250ms", true), Scalar::Str("250ms"));
        assert_eq!(Scalar::resolve("42", false), Scalar::Str("42"));
        assert_eq!(Scalar::resolve(".", true), Scalar::Str("."));
        assert_eq!(Scalar::resolve("1.", true), Scalar::Float(1.0));
    }
}
