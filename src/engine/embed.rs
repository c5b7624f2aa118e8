//! The built-in rules as the binary carries them. `build.rs` compiles this
//! module too: for each file of `rules/` it writes a [`Builtin`], with the
//! parsed tree of the part that compiles on every start, so that starting
//! up parses no YAML (the parse was most of a small check's work).

use crate::load::tree::{NodeId, Tree};
use std::borrow::Cow;

/// A built-in rule file.
pub struct Builtin {
    /// As shown in diagnostics and listings (`rules/SL101-….yaml`).
    pub path: &'static str,
    /// The whole file.
    pub text: &'static str,
    /// Where its `docs` start when they are its last top-level key
    /// ([`docs_cut`]): the rule compiles without them, and they are parsed
    /// when first read.
    pub docs_at: Option<usize>,
    /// The tree of [`compiled_source`]; `None` when it did not parse at
    /// build time (the tests rule that out), and the text is then parsed at
    /// run time, to report why.
    pub tree: Option<EmbeddedTree>,
}

/// A tree as [`Tree::raw`] gives it, with its source.
pub struct EmbeddedTree {
    pub source: &'static str,
    pub nodes: &'static [[u32; 3]],
    pub children: &'static [NodeId],
    pub owned: &'static [&'static str],
    pub root: NodeId,
}

impl EmbeddedTree {
    pub fn tree(&self) -> Tree<'static> {
        Tree::from_raw(
            self.source,
            self.nodes,
            self.children,
            self.owned,
            self.root,
        )
    }
}

/// What stands in for a built-in rule's `docs` when it compiles without
/// them: the keys the format requires, empty.
pub const DOCS_LATER: &str = "docs: {source: '', what: '', why: '', fix: '', fail: '', pass: ''}\n";

/// Where a rule file's `docs` start, when they are its last top-level key:
/// the text before is the whole rule but its documentation.
pub fn docs_cut(text: &str) -> Option<usize> {
    let cut = if text.starts_with("docs:") {
        0
    } else {
        text.find("\ndocs:")? + 1
    };
    let mut after = text[cut..].split_inclusive('\n').skip(1);
    let last = after.all(|line| line.starts_with([' ', '#', '\n', '\r']));
    last.then_some(cut)
}

/// The text a built-in rule compiles from: the file up to its docs, with
/// [`DOCS_LATER`] in their place, or the whole file.
pub fn compiled_source(text: &str, docs_at: Option<usize>) -> Cow<'_, str> {
    match docs_at {
        Some(cut) => Cow::Owned(format!("{}{DOCS_LATER}", &text[..cut])),
        None => Cow::Borrowed(text),
    }
}
