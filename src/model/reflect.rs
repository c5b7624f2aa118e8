//! A read-only, by-name view of the model, for rules that are data: a rule
//! file names a field (`metrics.cpu`) and the engine reads it through here.

use super::units::{Availability, Bytes, Count, Date, Duration, Number, Rate, Ratio};
use super::Spanned;
use crate::span::Span;

/// What a quantity measures; decides how it is compared and printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A fraction (0.72 is 72%).
    Ratio,
    /// Milliseconds.
    Duration,
    /// Bytes.
    Size,
    /// Per second.
    Rate,
    Count,
    Number,
    /// Percent (99.95).
    Availability,
}

#[derive(Clone, Copy)]
pub enum Value<'a> {
    Quantity(f64, Unit),
    Bool(bool),
    Str(&'a str),
    Date(chrono::NaiveDate),
    Record(&'a dyn Record),
    List(&'a dyn List),
}

impl std::fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Quantity(v, u) => write!(f, "{v} {u:?}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Str(s) => write!(f, "{s:?}"),
            Value::Date(d) => write!(f, "{d}"),
            Value::Record(_) => f.write_str("{…}"),
            Value::List(l) => write!(f, "[{} items]", l.len()),
        }
    }
}

impl<'a> Value<'a> {
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::Quantity(v, _) => Some(v),
            _ => None,
        }
    }
}

/// A field as read: its value and where it is written.
#[derive(Debug, Clone, Copy)]
pub struct Field<'a> {
    pub value: Value<'a>,
    pub span: Span,
    pub key: Span,
    /// When the value came through an alias or merge key: where it is
    /// written. `span` is then the alias use, so no fix may target it.
    pub origin: Option<Span>,
}

/// A mapping of the model (an entity or a section); `Sync`, as rules of
/// a large file read the model on several threads.
pub trait Record: Sync {
    fn field_names(&self) -> &'static [&'static str];
    /// The field named `field_names()[i]`.
    fn field_at(&self, i: usize) -> Option<Field<'_>>;
    /// The field of that name.
    fn field(&self, name: &str) -> Option<Field<'_>> {
        let i = self.field_names().iter().position(|n| *n == name)?;
        self.field_at(i)
    }
}

/// A list of the model.
pub trait List {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn item(&self, i: usize) -> Option<Field<'_>>;
}

/// A model value that can be read by name.
pub trait Reflect {
    fn reflect(&self) -> Value<'_>;
}

impl<T: Reflect> Spanned<T> {
    pub fn as_field(&self) -> Field<'_> {
        Field {
            value: self.value.reflect(),
            span: self.span,
            key: self.key,
            origin: self.origin.span(),
        }
    }
}

impl<T: Reflect> List for Vec<Spanned<T>> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn item(&self, i: usize) -> Option<Field<'_>> {
        self.get(i).map(Spanned::as_field)
    }
}

impl<T: Reflect> Reflect for Vec<Spanned<T>> {
    fn reflect(&self) -> Value<'_> {
        Value::List(self)
    }
}

macro_rules! reflect_quantity {
    ($($ty:ty => $unit:ident, |$v:ident| $get:expr;)*) => {$(
        impl Reflect for $ty {
            fn reflect(&self) -> Value<'_> {
                let $v = self;
                Value::Quantity($get, Unit::$unit)
            }
        }
    )*};
}

reflect_quantity! {
    Ratio => Ratio, |v| v.0;
    Duration => Duration, |v| v.ms;
    Bytes => Size, |v| v.0;
    Rate => Rate, |v| v.0;
    Count => Count, |v| v.0 as f64;
    Number => Number, |v| v.0;
    Availability => Availability, |v| v.0;
}

impl Reflect for bool {
    fn reflect(&self) -> Value<'_> {
        Value::Bool(*self)
    }
}

impl Reflect for String {
    fn reflect(&self) -> Value<'_> {
        Value::Str(self)
    }
}

impl Reflect for Date {
    fn reflect(&self) -> Value<'_> {
        Value::Date(self.0)
    }
}

/// Reads a dotted path (`metrics.cpu`) from a record.
pub fn lookup<'a>(record: &'a dyn Record, path: &str) -> Option<Field<'a>> {
    // Paths are short: a byte scan finds the dots faster than a searcher.
    let (mut part, mut rest) = split_dot(path);
    let mut field = record.field(part)?;
    while let Some(path) = rest {
        (part, rest) = split_dot(path);
        match field.value {
            Value::Record(r) => field = r.field(part)?,
            _ => return None,
        }
    }
    Some(field)
}

/// A dotted path of a rule (`metrics.cpu`) that notes the positions of its
/// fields the first time it is read through to its end, so that later
/// reads skip matching names. A path is always read from records of one
/// type (a rule's entities, or the file's root), and positions depend on
/// the type alone.
#[derive(Debug, Clone, Default)]
pub struct FieldPath {
    text: String,
    at: std::sync::OnceLock<Box<[u8]>>,
}

impl FieldPath {
    pub fn new(text: String) -> FieldPath {
        FieldPath {
            text,
            at: std::sync::OnceLock::new(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Reads `rel`, this path's text or its part after a leading `/`, from
    /// `record`: what [`lookup`] reads.
    pub fn read<'a>(&self, record: &'a dyn Record, rel: &str) -> Option<Field<'a>> {
        if let Some(at) = self.at.get() {
            let (&first, rest) = at.split_first()?;
            let mut field = record.field_at(usize::from(first))?;
            for &i in rest {
                match field.value {
                    Value::Record(r) => field = r.field_at(usize::from(i))?,
                    _ => return None,
                }
            }
            return Some(field);
        }
        // By name; the positions are noted once every part is present (and
        // each fits a byte, as in every record of the format).
        let mut at = Some(Vec::new());
        let mut current = record;
        let mut parts = rel.split('.').peekable();
        while let Some(part) = parts.next() {
            let i = current.field_names().iter().position(|n| *n == part)?;
            let field = current.field_at(i)?;
            match (at.as_mut(), u8::try_from(i)) {
                (Some(at), Ok(i)) => at.push(i),
                _ => at = None,
            }
            match (parts.peek(), field.value) {
                (None, _) => {
                    if let Some(at) = at {
                        let _ = self.at.set(at.into_boxed_slice());
                    }
                    return Some(field);
                }
                (Some(_), Value::Record(r)) => current = r,
                (Some(_), _) => return None,
            }
        }
        None
    }
}

/// `metrics.cpu` → (`metrics`, Some(`cpu`)); `cpu` → (`cpu`, None).
fn split_dot(path: &str) -> (&str, Option<&str>) {
    match path.bytes().position(|b| b == b'.') {
        Some(i) => (&path[..i], Some(&path[i + 1..])),
        None => (path, None),
    }
}
