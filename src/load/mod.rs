//! The loader: description text → spanned node tree → typed model, with
//! every problem on the way reported as SL000–SL001 (SL002/SL003 come from
//! the model's derived facts).

pub mod input;
pub mod scalar;
mod split;
pub mod tree;

use crate::diagnostic::{codes, Diagnostic, Severity};
use crate::model::convert::{Cx, FromNode};
use crate::model::Architecture;
use crate::span::Span;
use tree::{NodeId, NodeKind, Tree};

/// A file after loading: the tree (when the YAML parsed), the model (when
/// the top level is a mapping), and the problems found.
pub struct Loaded<'src> {
    pub tree: Option<Tree<'src>>,
    pub model: Option<Architecture>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Decodes a file's bytes, or says where it stops being UTF-8 (SL000).
pub fn decode(bytes: &[u8]) -> Result<&str, Box<Diagnostic>> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let (code, name) = codes::INVALID_YAML;
        Diagnostic::new(
            code,
            name,
            Severity::Error,
            Span::new(at, at + e.error_len().unwrap_or(1)),
            format!(
                "the file is not UTF-8: invalid byte 0x{:02x} at offset {at}",
                bytes[at]
            ),
        )
        .with_help("save the file as UTF-8")
        .into()
    })
}

/// Loads one description from text.
pub fn load(source: &str) -> Loaded<'_> {
    load_with(source, tree::Limits::default())
}

/// The tree of a description: a large one is parsed in pieces on every
/// core ([`split`]), else whole.
pub fn parse_tree(source: &str, limits: tree::Limits) -> Result<tree::Tree<'_>, tree::TreeError> {
    let fits = source.len() <= limits.max_file_bytes;
    if fits && source.len() >= split::MIN_SPLIT && rayon::current_num_threads() > 1 {
        if let Some(tree) = split::parse(source, split::pieces_for(source.len())) {
            return Ok(tree);
        }
    }
    tree::parse_with(source, limits)
}

pub fn load_with(source: &str, limits: tree::Limits) -> Loaded<'_> {
    let (code, name) = codes::INVALID_YAML;
    let tree = match parse_tree(source, limits) {
        Ok(t) => t,
        Err(e) => {
            let d = Diagnostic::new(code, name, Severity::Error, e.span, e.message);
            return Loaded {
                tree: None,
                model: None,
                diagnostics: vec![d],
            };
        }
    };
    let mut cx = Cx::new(&tree);
    let model = Architecture::from_node(&mut cx, tree.resolve(tree.root));
    let diagnostics = cx.diagnostics;
    Loaded {
        model,
        diagnostics,
        tree: Some(tree),
    }
}

/// The model path of the node at `span` (CLI.md: `services[api].metrics.cpu`,
/// entities by name, other list items by index), found by descending the
/// tree. A span on a key gives the key's path.
pub fn model_path(tree: &Tree<'_>, span: Span) -> String {
    crate::diagnostic::exact_text(|out| write_model_path(tree, span, out))
}

fn write_model_path(tree: &Tree<'_>, span: Span, out: &mut String) {
    use std::fmt::Write as _;
    let mut id = tree.root;
    let at = span.start;
    loop {
        match tree.node(id).kind() {
            NodeKind::Map { .. } => {
                // Entries are in source order: skip by bisection those that
                // end before `at` (a mapping may hold thousands of keys, and
                // every diagnostic asks), then take the first that holds it.
                let kv = tree.map_children(id);
                let (mut lo, mut hi) = (0, kv.len() / 2);
                while lo < hi {
                    let mid = (lo + hi) / 2;
                    if last(tree, kv[2 * mid]).max(last(tree, kv[2 * mid + 1])) < at {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                let Some((k, v)) = kv[2 * lo..]
                    .chunks_exact(2)
                    .map(|e| (e[0], e[1]))
                    .take_while(|&(k, _)| tree.node(k).span.start <= at)
                    .find(|&(k, v)| contains(tree, k, at) || contains(tree, v, at))
                else {
                    break;
                };
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(tree.scalar_text(k).unwrap_or("?"));
                if contains(tree, k, at) {
                    break;
                }
                id = v;
            }
            NodeKind::Seq { .. } => {
                let items = tree.seq_items(id);
                let i = items.partition_point(|&c| tree.node(c).span.end <= at);
                let Some(&item) = items.get(i).filter(|&&c| contains(tree, c, at)) else {
                    break;
                };
                match entity_name(tree, item) {
                    Some(name) => {
                        out.push('[');
                        out.push_str(name);
                        out.push(']');
                    }
                    None => {
                        let _ = write!(out, "[{i}]");
                    }
                }
                id = item;
            }
            _ => break,
        }
    }
}

fn contains(tree: &Tree<'_>, id: NodeId, at: u32) -> bool {
    let s = tree.node(id).span;
    s.start <= at && (at < s.end || (s.is_empty() && at == s.start))
}

/// The last offset that [`contains`] accepts for the node.
fn last(tree: &Tree<'_>, id: NodeId) -> u32 {
    let s = tree.node(id).span;
    s.end.saturating_sub(1).max(s.start)
}

/// A list item known by its `name` (services, databases, regions, …).
fn entity_name<'t>(tree: &'t Tree<'_>, item: NodeId) -> Option<&'t str> {
    let item = tree.resolve(item);
    let own = |map: NodeId| {
        tree.map_entries(map)
            .find(|&(k, _)| tree.scalar_text(k) == Some("name"))
            .and_then(|(_, v)| tree.scalar_text(tree.resolve(v)))
    };
    // An explicit name wins; else the first merged mapping that has one.
    own(item).or_else(|| {
        tree.map_entries(item)
            .filter(|&(k, _)| tree.scalar_text(k) == Some("<<"))
            .flat_map(|(_, v)| {
                let v = tree.resolve(v);
                match tree.node(v).kind() {
                    NodeKind::Seq { .. } => tree.seq_items(v).to_vec(),
                    _ => vec![v],
                }
            })
            .find_map(|m| own(tree.resolve(m)))
    })
}
