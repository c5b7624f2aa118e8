//! Applying fixes: each fix replaces one value's bytes; everything else in
//! the file (comments, key order, quoting, blank lines) stays byte for byte.

use crate::diagnostic::Diagnostic;

/// The source with every fix applied. Fixes are applied in file order; a
/// fix that overlaps one already applied is skipped (it will be offered
/// again on the next run). Returns the new text and how many were applied.
pub fn apply(source: &str, diagnostics: &[Diagnostic]) -> (String, usize) {
    let mut fixes: Vec<_> = diagnostics.iter().filter_map(|d| d.fix.as_ref()).collect();
    fixes.sort_by_key(|f| (f.span.start, f.span.end));
    let mut out = String::with_capacity(source.len());
    let mut at = 0usize;
    let mut applied = 0;
    for f in fixes {
        let (start, end) = (f.span.start as usize, f.span.end as usize);
        let valid = start >= at
            && end <= source.len()
            && source.is_char_boundary(start)
            && source.is_char_boundary(end);
        if !valid {
            continue;
        }
        if source[start..end] == f.replacement {
            continue;
        }
        out.push_str(&source[at..start]);
        out.push_str(&f.replacement);
        at = end;
        applied += 1;
    }
    out.push_str(&source[at..]);
    (out, applied)
}

/// A unified diff of one file, as `diff -u` and `patch` read it.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Fix, Severity};
    use crate::span::Span;

    fn with_fix(start: usize, end: usize, text: &str) -> Diagnostic {
        let mut d = Diagnostic::new(
            "SL503",
            "replica-count",
            Severity::Error,
            Span::new(start, end),
            "m",
        );
        d.fix = Some(Box::new(Fix {
            span: Span::new(start, end),
            replacement: text.into(),
        }));
        d
    }

    #[test]
    fn replaces_only_the_fixed_bytes() {
        let src = "a: 2  # keep\nb: \"x\"\n";
        let (out, n) = apply(src, &[with_fix(3, 4, "4")]);
        assert_eq!(out, "a: 4  # keep\nb: \"x\"\n");
        assert_eq!(n, 1);
        // Idempotent: the same fix on the new text changes nothing.
        let (again, n) = apply(&out, &[with_fix(3, 4, "4")]);
        assert_eq!((again.as_str(), n), (out.as_str(), 0));
    }

    #[test]
    fn overlapping_fixes_apply_once() {
        let (out, n) = apply("abcdef", &[with_fix(1, 3, "X"), with_fix(2, 4, "Y")]);
        assert_eq!((out.as_str(), n), ("aXdef", 1));
    }

    #[test]
    fn diff_is_unified() {
        let d = unified_diff("s.arch.yaml", "a: 2\nb: 1\n", "a: 4\nb: 1\n");
        assert!(
            d.starts_with(
                "--- a/s.arch.yaml\n+++ b/s.arch.yaml\n@@ -1,2 +1,2 @@\n-a: 2\n+a: 4\n b: 1\n"
            ),
            "{d}"
        );
    }
}
