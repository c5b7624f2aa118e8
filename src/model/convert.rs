//! Node tree → typed model. Every problem found on the way is an SL001
//! diagnostic; the conversion never stops early, so one pass reports them all
//! and the valid parts of the file still reach the rules.

use super::units::{FromScalar, UnitError};
use super::{Origin, Spanned};
use crate::diagnostic::{codes, Diagnostic, Severity};
use crate::load::scalar::Scalar;
use crate::load::tree::{NodeId, NodeKind, Style, Tree};
use crate::span::Span;
use std::collections::HashMap;

/// A type the loader builds from a node.
pub trait FromNode: Sized {
    /// How messages name what was expected: "a ratio", "a service".
    const EXPECTED: &'static str;
    /// Converts the node (aliases already resolved), reporting problems on `cx`.
    fn from_node(cx: &mut Cx<'_, '_>, id: NodeId) -> Option<Self>;
    /// A JSON Schema fragment of the accepted forms.
    fn json_schema() -> serde_json::Value;
}

impl<T: FromScalar> FromNode for T {
    const EXPECTED: &'static str = T::EXPECTED;

    fn from_node(cx: &mut Cx<'_, '_>, id: NodeId) -> Option<Self> {
        let node = cx.tree.node(id);
        let NodeKind::Scalar { style, .. } = node.kind() else {
            let found = if matches!(node.kind(), NodeKind::Seq { .. }) {
                "a list"
            } else {
                "a mapping"
            };
            cx.type_error(
                id,
                &format!("expected {}, found {found}", T::EXPECTED),
                None,
            );
            return None;
        };
        let text = cx.tree.scalar_text(id).unwrap_or_default();
        let scalar = Scalar::resolve(text, style == Style::Plain);
        match T::from_scalar(scalar) {
            Ok(v) => Some(v),
            Err(UnitError { mut message, hint }) => {
                // `1e400` reads as infinity; name it as written, not `.inf`.
                if matches!(scalar, Scalar::Float(f) if f.is_infinite())
                    && !text.to_ascii_lowercase().ends_with("inf")
                {
                    message = format!(
                        "expected {}, found `{text}`, a number too large to hold",
                        T::EXPECTED
                    );
                }
                cx.type_error(id, &message, hint.as_deref());
                None
            }
        }
    }

    fn json_schema() -> serde_json::Value {
        T::json_schema()
    }
}

/// Lists longer than this (a large file's services) are converted on all
/// cores, at least this many items a task; shorter ones, the common case,
/// stay on the calling thread.
const PARALLEL_CHUNK: usize = 1024;

impl<T: FromNode + Send> FromNode for Vec<Spanned<T>> {
    const EXPECTED: &'static str = "a list";

    fn from_node(cx: &mut Cx<'_, '_>, id: NodeId) -> Option<Self> {
        let tree = cx.tree;
        if !matches!(tree.node(id).kind(), NodeKind::Seq { .. }) {
            let found = describe(tree, id);
            cx.type_error(
                id,
                &format!("expected a list of {}, found {found}", T::EXPECTED),
                None,
            );
            return None;
        }
        Some(cx.list(tree.seq_items(id), PARALLEL_CHUNK))
    }

    fn json_schema() -> serde_json::Value {
        serde_json::json!({"type": "array", "items": T::json_schema()})
    }
}

impl Cx<'_, '_> {
    /// Converts list items: on all cores, at least `chunk` items a task,
    /// when there are more than `chunk`.
    fn list<T: FromNode + Send>(&mut self, items: &[NodeId], chunk: usize) -> Vec<Spanned<T>> {
        if items.len() <= chunk {
            return self.items(items);
        }
        let tree = self.tree;
        let (alias_site, current_key) = (self.alias_site, self.current_key);
        // Items convert independently, each with its own context, and are
        // collected in source order, values and diagnostics alike: the
        // result is the same as converting them one by one. The values are
        // written in place, and an `Option<Spanned<T>>` is as large as a
        // `Spanned<T>` (see `Origin`), so dropping the failed ones reuses
        // that buffer: a large list is never held twice.
        use rayon::prelude::*;
        let mut values: Vec<Option<Spanned<T>>> = Vec::new();
        let mut found: Vec<Vec<Diagnostic>> = Vec::new();
        items
            .par_iter()
            .with_min_len(chunk)
            .map(|&item| {
                let mut part = Cx {
                    tree,
                    diagnostics: Vec::new(),
                    alias_site,
                    current_key,
                    entry_pool: Vec::new(),
                };
                let value = part.item::<T>(item);
                (value, part.diagnostics)
            })
            .unzip_into_vecs(&mut values, &mut found);
        self.diagnostics.extend(found.into_iter().flatten());
        // `filter_map` collects into the same buffer; `flatten` does not.
        #[allow(clippy::filter_map_identity)]
        values.into_iter().filter_map(|v| v).collect()
    }
}

/// Finds a key among a mapping's entries so far: a scan while they are
/// few (most mappings), a hash index once they are many (a mapping may
/// hold many thousands of keys, where only an index keeps this linear).
struct Seen<'t> {
    index: Option<HashMap<&'t str, NodeId>>,
}

impl<'t> Seen<'t> {
    const SCAN: usize = 16;

    fn new(capacity: usize) -> Self {
        Seen {
            index: (capacity > Self::SCAN).then(|| HashMap::with_capacity(capacity)),
        }
    }

    /// The key node of the entry named `key`.
    fn get(&self, entries: &[Entry<'t>], key: &str) -> Option<NodeId> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => entries.iter().find(|e| e.key == key).map(|e| e.key_id),
        }
    }

    /// Adds an entry whose key is not among `entries` yet.
    fn push(&mut self, entries: &mut Vec<Entry<'t>>, entry: Entry<'t>) {
        match &mut self.index {
            Some(index) => {
                index.insert(entry.key, entry.key_id);
            }
            None if entries.len() >= Self::SCAN => {
                let mut index: HashMap<&'t str, NodeId> =
                    entries.iter().map(|e| (e.key, e.key_id)).collect();
                index.insert(entry.key, entry.key_id);
                self.index = Some(index);
            }
            None => {}
        }
        entries.push(entry);
    }
}

/// A mapping entry after merge keys are applied.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'t> {
    pub key: &'t str,
    pub key_id: NodeId,
    pub value: NodeId,
    /// The alias use (`<<: *defaults`) that brought a merged entry here.
    pub merged_via: Option<Span>,
}

/// The conversion context: the tree, the diagnostics so far, where we are.
pub struct Cx<'t, 'src> {
    pub tree: &'t Tree<'src>,
    pub diagnostics: Vec<Diagnostic>,
    /// Set while converting values reached through an alias: the use site.
    alias_site: Option<Span>,
    /// The key whose value is being converted: where an empty value points.
    pub(crate) current_key: Span,
    /// Emptied entry lists, for [`Cx::entries`] to fill again (see
    /// [`Cx::recycle`]): a file has a mapping per entity and section.
    entry_pool: Vec<Vec<Entry<'t>>>,
}

impl<'t, 'src> Cx<'t, 'src> {
    pub fn new(tree: &'t Tree<'src>) -> Self {
        Cx {
            tree,
            diagnostics: Vec::new(),
            alias_site: None,
            current_key: Span::default(),
            entry_pool: Vec::new(),
        }
    }

    /// Gives back a list that [`Cx::entries`] returned, for reuse.
    pub fn recycle(&mut self, mut entries: Vec<Entry<'t>>) {
        entries.clear();
        self.entry_pool.push(entries);
    }

    /// Converts list items one by one, skipping those that do not convert.
    fn items<T: FromNode>(&mut self, items: &[NodeId]) -> Vec<Spanned<T>> {
        let mut out = Vec::with_capacity(items.len());
        for &item in items {
            if let Some(v) = self.item(item) {
                out.push(v);
            }
        }
        out
    }

    /// One list item, keyed by itself.
    fn item<T: FromNode>(&mut self, item: NodeId) -> Option<Spanned<T>> {
        let span = self.tree.node(item).span;
        self.current_key = span;
        self.convert::<T>(item, span)
    }

    /// Converts a node (following an alias) and wraps it with its spans.
    pub fn convert<T: FromNode>(&mut self, id: NodeId, key: Span) -> Option<Spanned<T>> {
        let written = self.tree.node(id).span;
        let target = self.tree.resolve(id);
        let outer = self.alias_site;
        if target != id && self.alias_site.is_none() {
            self.alias_site = Some(written);
        }
        let value = T::from_node(self, target);
        self.alias_site = outer;
        let real = self.tree.node(target).span;
        let value = value?;
        Some(match outer {
            // Inside an aliased subtree: point at the outer alias use.
            Some(site) => Spanned {
                value,
                span: site,
                key: site,
                origin: Origin::new(Some(real)),
            },
            None if target != id => Spanned {
                value,
                span: written,
                key,
                origin: Origin::new(Some(real)),
            },
            None => Spanned {
                value,
                span: written,
                key,
                origin: Origin::NONE,
            },
        })
    }

    /// The entries of a mapping node with merge keys applied (explicit keys
    /// win over merged ones, earlier merges over later ones), or an SL001
    /// when the node is not a mapping. Duplicate explicit keys are reported.
    pub fn entries(&mut self, id: NodeId, what: &str) -> Option<Vec<Entry<'t>>> {
        let tree = self.tree;
        if !matches!(tree.node(id).kind(), NodeKind::Map { .. }) {
            let found = describe(tree, id);
            self.type_error(
                id,
                &format!("expected {what} (a mapping), found {found}"),
                None,
            );
            return None;
        }
        let mut out = self.entry_pool.pop().unwrap_or_default();
        out.reserve(tree.map_entries(id).len());
        let mut seen = Seen::new(tree.map_entries(id).len());
        let mut merges: Vec<(NodeId, Span)> = Vec::new();
        for (k, v) in tree.map_entries(id) {
            let key_node = tree.resolve(k);
            let Some(key) = tree.scalar_text(key_node) else {
                self.error_at(
                    tree.node(k).span,
                    "a mapping key must be a plain string",
                    None,
                );
                continue;
            };
            if key == "<<"
                && matches!(
                    tree.node(key_node).kind(),
                    NodeKind::Scalar {
                        style: Style::Plain,
                        ..
                    }
                )
            {
                merges.push((v, tree.node(v).span));
                continue;
            }
            if let Some(first) = seen.get(&out, key) {
                let first = tree.node(first).span;
                let d = self
                    .diag(tree.node(k).span, format!("duplicate key `{key}`"))
                    .with_help("remove one of the two entries")
                    .with_label(first, "first defined here");
                self.diagnostics.push(d);
                continue;
            }
            let entry = Entry {
                key,
                key_id: k,
                value: v,
                merged_via: None,
            };
            seen.push(&mut out, entry);
        }
        for (merge, site) in merges {
            let target = tree.resolve(merge);
            let sources: Vec<NodeId> = match tree.node(target).kind() {
                NodeKind::Map { .. } => vec![target],
                NodeKind::Seq { .. } => tree
                    .seq_items(target)
                    .iter()
                    .map(|&i| tree.resolve(i))
                    .collect(),
                _ => {
                    self.error_at(
                        site,
                        "a merge key `<<` takes a mapping or a list of mappings",
                        None,
                    );
                    continue;
                }
            };
            for src in sources {
                if !matches!(tree.node(src).kind(), NodeKind::Map { .. }) {
                    self.error_at(
                        site,
                        "a merge key `<<` takes a mapping or a list of mappings",
                        None,
                    );
                    continue;
                }
                for (k, v) in tree.map_entries(src) {
                    let Some(key) = tree.scalar_text(tree.resolve(k)) else {
                        continue;
                    };
                    if seen.get(&out, key).is_none() {
                        let entry = Entry {
                            key,
                            key_id: k,
                            value: v,
                            merged_via: Some(site),
                        };
                        seen.push(&mut out, entry);
                    }
                }
            }
        }
        Some(out)
    }

    /// Converts a mapping entry's value into `slot`.
    pub fn field<T: FromNode>(&mut self, slot: &mut Option<Spanned<T>>, e: &Entry<'t>) {
        let key_span = self.tree.node(e.key_id).span;
        let outer = self.alias_site;
        self.current_key = key_span;
        if let Some(site) = e.merged_via {
            self.alias_site.get_or_insert(site);
        }
        *slot = self.convert::<T>(e.value, key_span);
        self.alias_site = outer;
    }

    pub fn unknown_key(&mut self, e: &Entry<'t>, known: &[&str], what: &str) {
        let span = self.tree.node(e.key_id).span;
        let outer = self.alias_site;
        if let Some(site) = e.merged_via {
            self.alias_site.get_or_insert(site);
        }
        let mut d = self.diag(span, format!("unknown key `{}` in {what}", e.key));
        self.alias_site = outer;
        d = match did_you_mean(e.key, known) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_help(format!(
                "known keys: {}; extension keys start with `x-`",
                known.join(", ")
            )),
        };
        self.diagnostics.push(d);
    }

    pub fn missing_key(&mut self, map: NodeId, key: &str, what: &str) {
        // Point at the mapping's first line: its first key, or the whole of `{}`.
        let span = match self.tree.map_entries(map).next() {
            Some((k, _)) => self.tree.node(k).span,
            None => self.tree.node(map).span,
        };
        let d = self
            .diag(span, format!("{what} is missing the required key `{key}`"))
            .with_help(format!("add `{key}:`"));
        self.diagnostics.push(d);
    }

    pub fn type_error(&mut self, id: NodeId, message: &str, hint: Option<&str>) {
        let span = self.tree.node(id).span;
        let span = if span.is_empty() {
            self.empty_value_span(span)
        } else {
            span
        };
        self.error_at(span, message, hint);
    }

    pub fn error_at(&mut self, span: Span, message: &str, hint: Option<&str>) {
        let mut d = self.diag(span, message.to_owned());
        if let Some(h) = hint {
            d = d.with_help(h.to_owned());
        }
        self.diagnostics.push(d);
    }

    /// An SL001 at `span` (or at the alias use when inside an aliased value,
    /// with a label on the anchored text).
    fn diag(&self, span: Span, message: String) -> Diagnostic {
        let (code, name) = codes::SCHEMA;
        match self.alias_site {
            Some(site) => Diagnostic::new(code, name, Severity::Error, site, message)
                .with_label(span, "the value comes from this anchor"),
            None => Diagnostic::new(code, name, Severity::Error, span, message),
        }
    }

    /// An empty value (`key:` with nothing after it) has an empty span at
    /// the parser's next token; point at its key instead.
    fn empty_value_span(&self, span: Span) -> Span {
        if self.current_key.is_empty() {
            span
        } else {
            self.current_key
        }
    }
}

/// How a message names a node's type.
pub fn describe(tree: &Tree<'_>, id: NodeId) -> String {
    let id = tree.resolve(id);
    match tree.node(id).kind() {
        NodeKind::Seq { .. } => "a list".into(),
        NodeKind::Map { .. } => "a mapping".into(),
        NodeKind::Scalar { style, .. } => {
            let text = tree.scalar_text(id).unwrap_or_default();
            let s = Scalar::resolve(text, style == Style::Plain);
            match s {
                Scalar::Null => "null".into(),
                Scalar::Str(t) => format!("the string {:?}", truncate(t)),
                _ => format!("{} `{}`", s.type_name(), truncate(text)),
            }
        }
        NodeKind::Alias { .. } => "an alias".into(),
    }
}

fn truncate(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

/// The closest known word, when it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    // The largest edit distance accepted for a known word.
    let accepted = |k: &str| 2.max(k.len() / 4);
    let letters = Letters::of(word);
    known
        .iter()
        // Names whose lengths or letters differ by more than any accepted
        // distance cannot be close: skip the edit distance for them (a file
        // with thousands of broken references asks about every name).
        .filter(|k| k.len().abs_diff(word.len()) <= accepted(k))
        .filter(|k| {
            letters
                .as_ref()
                .is_none_or(|l| l.distance_at_least(k) <= accepted(k))
        })
        .map(|k| (strsim::damerau_levenshtein(word, k), *k))
        .filter(|&(d, k)| d <= accepted(k) && d < k.len().max(word.len()))
        // Ties go to the alphabetically first, so the hint never depends
        // on the order a caller's names came in.
        .min_by_key(|&(d, k)| (d, k))
        .map(|(_, k)| k)
}

/// How many times each ASCII character occurs in a word: a cheap lower
/// bound of its edit distance to another word (the "bag distance"). Every
/// edit, transposition included, adds or removes at most one character,
/// or both, so the distance is at least the larger of the characters one
/// word has in excess and those the other has.
struct Letters([i16; 128]);

impl Letters {
    /// `None` for a word that is not ASCII (a character is then several
    /// bytes, and byte counts bound nothing).
    fn of(word: &str) -> Option<Letters> {
        if !word.is_ascii() || word.len() > i16::MAX as usize {
            return None;
        }
        let mut counts = [0i16; 128];
        for b in word.bytes() {
            counts[b as usize] += 1;
        }
        Some(Letters(counts))
    }

    /// A lower bound of the edit distance from the word to `other` (0, which
    /// bounds nothing, when `other` is not ASCII).
    fn distance_at_least(&self, other: &str) -> usize {
        if !other.is_ascii() || other.len() > i16::MAX as usize {
            return 0;
        }
        let mut counts = self.0;
        for b in other.bytes() {
            counts[b as usize] -= 1;
        }
        let (mut excess, mut missing) = (0usize, 0usize);
        for c in counts {
            if c > 0 {
                excess += c as usize;
            } else {
                missing += c.unsigned_abs() as usize;
            }
        }
        excess.max(missing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Service;

    /// Entries and duplicate-key findings around the size where key lookup
    /// turns from a scan into a hash index, with merged keys: as a plain
    /// first-wins list gives them.
    #[test]
    fn entries_keep_the_first_of_each_key_at_every_size() {
        let mut rng = fastrand::Rng::with_seed(9);
        for _ in 0..300 {
            let (n, merged) = (rng.usize(1..40), rng.usize(0..30));
            let keys: Vec<String> = (0..n).map(|_| format!("k{}", rng.usize(0..n))).collect();
            let extra: Vec<String> = (0..merged)
                .map(|_| format!("k{}", rng.usize(0..2 * n)))
                .collect();
            let mut yaml = String::from("base: &m {");
            for (i, k) in extra.iter().enumerate() {
                yaml.push_str(&format!("{}{k}: {i}", if i > 0 { ", " } else { "" }));
            }
            yaml.push_str("}\nmap:\n  <<: *m\n");
            for k in &keys {
                yaml.push_str(&format!("  {k}: 1\n"));
            }
            let tree = crate::load::tree::parse(&yaml).unwrap();
            let map = tree.map_entries(tree.root).nth(1).unwrap().1;
            let mut cx = Cx::new(&tree);
            let entries = cx.entries(map, "a mapping").unwrap();
            let mut want: Vec<&str> = Vec::new();
            let mut duplicates = 0;
            for k in &keys {
                if want.contains(&k.as_str()) {
                    duplicates += 1;
                } else {
                    want.push(k);
                }
            }
            for k in &extra {
                if !want.contains(&k.as_str()) {
                    want.push(k);
                }
            }
            let got: Vec<&str> = entries.iter().map(|e| e.key).collect();
            assert_eq!(got, want, "{yaml}");
            assert_eq!(cx.diagnostics.len(), duplicates, "{yaml}");
        }
    }

    /// The letter bound never exceeds the edit distance, so skipping by it
    /// never changes a hint.
    #[test]
    fn letter_bound_is_below_the_edit_distance() {
        let mut rng = fastrand::Rng::with_seed(3);
        let alphabet = b"ab-1c";
        let word = |rng: &mut fastrand::Rng| -> String {
            (0..rng.usize(0..9))
                .map(|_| alphabet[rng.usize(..alphabet.len())] as char)
                .collect()
        };
        for _ in 0..20_000 {
            let (a, b) = (word(&mut rng), word(&mut rng));
            let bound = Letters::of(&a).expect("ASCII").distance_at_least(&b);
            let distance = strsim::damerau_levenshtein(&a, &b);
            assert!(bound <= distance, "{a:?} {b:?}: {bound} > {distance}");
        }
        assert_eq!(
            did_you_mean("paymnets", &["payments", "orders"]),
            Some("payments")
        );
        assert_eq!(
            did_you_mean("ordres-db", &["orders-db", "é-db"]),
            Some("orders-db")
        );
        assert!(Letters::of("café").is_none());
    }

    /// Chunked conversion on all cores gives the same values and the same
    /// diagnostics, in the same order, as converting one item at a time.
    #[test]
    fn chunked_list_is_the_same_as_one_by_one() {
        let mut src = String::from("- &base {name: s0, instances: 2}\n");
        for i in 1..3000 {
            match i % 7 {
                0 => src.push_str(&format!("- {{name: s{i}, metrics: {{cpu: high}}}}\n")),
                3 => src.push_str(&format!("- {{<<: *base, name: s{i}, bogus: 1}}\n")),
                5 => src.push_str("- *base\n"),
                _ => src.push_str(&format!("- {{name: s{i}, instances: {i}}}\n")),
            }
        }
        let tree = crate::load::tree::parse(&src).unwrap();
        let items = tree.seq_items(tree.root);
        let mut one = Cx::new(&tree);
        let a: Vec<Spanned<Service>> = one.list(items, usize::MAX);
        let mut many = Cx::new(&tree);
        let b: Vec<Spanned<Service>> = many.list(items, 100);
        assert_eq!(a.len(), 3000);
        assert_eq!(a, b);
        assert!(one.diagnostics.len() > 800, "{}", one.diagnostics.len());
        assert_eq!(one.diagnostics, many.diagnostics);
    }
}
