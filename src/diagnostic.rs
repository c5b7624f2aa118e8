//! The diagnostic: what every stage of the linter produces and every
//! report format prints.

use crate::span::Span;
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary location that helps explain a diagnostic.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub message: String,
    pub span: Span,
}

/// A machine-applicable edit: replace the bytes of `span` with `replacement`.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    pub span: Span,
    pub replacement: String,
}

/// A text that a diagnostic keeps to the end of the run (a message, a
/// help, a model path), written by `write` in a reused buffer and copied to
/// an allocation of exactly its size: a large file has a hundred thousand
/// of them, which would otherwise carry the slack of growing strings.
pub fn exact_text(write: impl FnOnce(&mut String)) -> String {
    with_scratch(|out| {
        write(out);
        String::from(out.as_str())
    })
}

/// Runs `f` on an empty string buffer that the thread reuses, so a text
/// that is only read (or copied once) costs no allocation of its own.
pub fn with_scratch<R>(f: impl FnOnce(&mut String) -> R) -> R {
    thread_local! {
        static BUFFER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    BUFFER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut out) => {
            out.clear();
            f(&mut out)
        }
        // Asked for while the buffer is in use: a buffer of its own.
        Err(_) => f(&mut String::new()),
    })
}

/// A rule's code or name in a diagnostic: text shared by every diagnostic
/// of the rule (cloning it copies no string). It reads, compares, prints
/// and serializes as the text.
#[derive(Clone, Eq, PartialOrd, Ord, Default)]
pub struct Shared(std::sync::Arc<str>);

/// Two diagnostics of one rule share the text: that is found without
/// reading it (an `Arc<str>` compares its texts otherwise).
impl PartialEq for Shared {
    fn eq(&self, other: &Shared) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

/// As the text, as equality is.
impl std::hash::Hash for Shared {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl Shared {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The same shared text (not only an equal one): a clone of it.
    pub fn is(&self, other: &Shared) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for Shared {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Shared {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Shared {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Shared {
    fn from(s: &str) -> Shared {
        Shared(s.into())
    }
}

impl From<String> for Shared {
    fn from(s: String) -> Shared {
        Shared(s.into())
    }
}

impl From<Shared> for String {
    fn from(s: Shared) -> String {
        s.0.as_ref().to_owned()
    }
}

impl PartialEq<str> for Shared {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Shared {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Shared {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Shared> for str {
    fn eq(&self, other: &Shared) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Shared> for &str {
    fn eq(&self, other: &Shared) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Shared> for String {
    fn eq(&self, other: &Shared) -> bool {
        **self == *other.0
    }
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Shared {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// `SL503`, or a custom rule's code.
    pub code: Shared,
    /// The rule's kebab-case name.
    pub name: Shared,
    pub severity: Severity,
    /// Lowercase, no final period; names the entity and the numbers.
    pub message: String,
    /// What to do, with the computed value where there is one.
    pub help: Option<String>,
    /// The model path of the primary node (`services[api].metrics.cpu`).
    pub path: String,
    pub span: Span,
    pub labels: Vec<Label>,
    /// Boxed: few diagnostics have one, and every one would pay its size.
    pub fix: Option<Box<Fix>>,
    /// The load factor the diagnostic was computed at (1.0 unless projected).
    pub load: f64,
}

impl Diagnostic {
    pub fn new(
        code: &str,
        name: &str,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::shared(code.into(), name.into(), severity, span, message)
    }

    /// [`Diagnostic::new`] with a code and name shared with other diagnostics.
    pub fn shared(
        code: Shared,
        name: Shared,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code,
            name,
            severity,
            message: message.into(),
            help: None,
            path: String::new(),
            span,
            labels: Vec::new(),
            fix: None,
            load: 1.0,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_path(mut self, path: impl Into<String>) -> Diagnostic {
        self.path = path.into();
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            message: message.into(),
            span,
        });
        self
    }

    /// Order of every report: by offset, then code (files are ordered by the caller).
    pub fn sort_key(&self) -> (u32, &str, u32) {
        (self.span.start, self.code.as_str(), self.span.end)
    }
}

/// The loader's own codes: they exist whatever rules are loaded.
pub mod codes {
    pub const INVALID_YAML: (&str, &str) = ("SL000", "invalid-yaml");
    pub const SCHEMA: (&str, &str) = ("SL001", "schema-violation");
    pub const UNRESOLVED: (&str, &str) = ("SL002", "unresolved-reference");
    pub const DUPLICATE_NAME: (&str, &str) = ("SL003", "duplicate-name");
}
