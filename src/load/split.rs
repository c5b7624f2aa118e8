//! Parsing a large file in pieces, on every core, and joining the pieces'
//! trees into the tree that parsing the file whole gives.
//!
//! YAML cannot in general be parsed from the middle, but a description is a
//! block mapping at column 0 whose sections (`services:`, `databases:`, …)
//! hold block collections. A line that starts a top-level key, or an item of
//! a section's collection at that collection's indentation, begins text
//! that parses on its own into the same nodes. The plan cuts only at such
//! lines, and the join checks that every piece parsed into what its cut
//! assumed: a block mapping at column 0, or a collection of the section's
//! kind at its indentation, ending where the piece ends. Anything else (an
//! error in any piece, an alias to an anchor in another piece, a document
//! marker, a quoted scalar or flow collection running over a cut, which
//! leaves the piece before it unterminated) makes the caller parse the file
//! whole, so the answer, errors included, is always the whole parse's.

use super::tree::{
    build, Built, Node, NodeId, NodeKind, Text, Tree, MAX_DEPTH, MAX_EXPANDED_NODES,
};
use crate::span::Span;
use rayon::prelude::*;
use std::ops::Range;

/// Smaller files parse whole: `check` runs files in parallel already.
pub(super) const MIN_SPLIT: usize = 1 << 20;

/// No piece is planned smaller than this.
const MIN_PIECE: usize = 256 << 10;

/// How many pieces a file of `len` bytes is cut into: a few per thread, so
/// that uneven pieces still keep every core busy.
pub(super) fn pieces_for(len: usize) -> usize {
    (rayon::current_num_threads() * 4)
        .min(len / MIN_PIECE)
        .max(2)
}

/// The tree of `source` parsed in about `pieces` pieces, or `None` when the
/// file cannot be cut or a piece did not parse into what its cut assumed.
pub(super) fn parse(source: &str, pieces: usize) -> Option<Tree<'_>> {
    let plan = plan(source.as_bytes(), pieces)?;
    let built: Vec<Built> = plan
        .par_iter()
        .map(|p| {
            // A continuing piece's root is one level down in the whole file.
            let depth = MAX_DEPTH - usize::from(p.continues.is_some());
            build(source, p.range.clone(), depth).ok()
        })
        .collect::<Option<_>>()?;
    join(source, &plan, built)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Seq,
    Map,
}

/// A section's block collection: its items start at column `indent`, the
/// first on the line at `first`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Items {
    indent: usize,
    kind: Kind,
    first: usize,
}

#[derive(Debug)]
struct Piece {
    range: Range<usize>,
    /// The section collection whose items this piece continues; `None` for
    /// a piece of top-level keys (the first piece starts the file).
    continues: Option<Items>,
    /// The collection this piece leaves open for the next to continue.
    open: Option<Items>,
}

/// Where to cut: at most `pieces - 1` lines, each a top-level key or an
/// item of a section's collection, as near as they come after even shares.
fn plan(bytes: &[u8], pieces: usize) -> Option<Vec<Piece>> {
    let sections = sections(bytes)?;
    let first = *sections.first()?;
    let len = bytes.len();
    let section_end = |s: usize| sections.get(s + 1).copied().unwrap_or(len);
    // Each cut: its offset, and the collection it continues (None for a
    // top-level key).
    let mut cuts: Vec<(usize, Option<Items>)> = Vec::new();
    for i in 1..pieces {
        let target = i * len / pieces;
        let next = sections.partition_point(|&s| s <= target);
        let inner = next.checked_sub(1).and_then(|s| {
            let items = items(bytes, sections[s], section_end(s))?;
            let at = item_line(bytes, items, target, section_end(s))?;
            Some((at, Some(items)))
        });
        if let Some(cut) = inner.or_else(|| sections.get(next).map(|&s| (s, None))) {
            cuts.push(cut);
        }
    }
    // A section cut inside ends a piece: the next top-level key is a cut.
    for pair in sections.windows(2) {
        let (start, end) = (pair[0], pair[1]);
        if cuts
            .iter()
            .any(|&(at, c)| c.is_some() && start < at && at < end)
        {
            cuts.push((end, None));
        }
    }
    cuts.sort_by_key(|c| c.0);
    cuts.dedup_by_key(|c| c.0);
    // The first key belongs to the first piece, with what comes before it.
    cuts.retain(|c| c.0 > first);
    if cuts.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut start = (0, None);
    for &end in cuts.iter().chain([&(len, None)]) {
        out.push(Piece {
            range: start.0..end.0,
            continues: start.1,
            open: end.1,
        });
        start = end;
    }
    Some(out)
}

/// The offsets of the lines that start top-level keys, or `None` when a
/// line at column 0 is anything but such a key, an item of a sequence at
/// column 0, a comment, a blank, or a first `---`.
fn sections(bytes: &[u8]) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    let mut at = if bytes.starts_with("\u{feff}".as_bytes()) {
        3
    } else {
        0
    };
    let mut content = false;
    while at < bytes.len() {
        let end = line_end(bytes, at);
        let line = &bytes[at..end];
        match line.first() {
            None | Some(b' ' | b'\r' | b'#') => {}
            Some(b'-') if is_item(line) => content = true,
            Some(b'-') if !content && line.starts_with(b"---") && is_blank(&line[3..]) => {}
            Some(&c) if is_key_start(c) => {
                out.push(at);
                content = true;
            }
            _ => return None,
        }
        at = end + 1;
    }
    Some(out)
}

/// The block collection that the section at `start` holds, when its header
/// is a bare `key:` (no anchor, tag or value on the line).
fn items(bytes: &[u8], start: usize, end: usize) -> Option<Items> {
    let header = &bytes[start..line_end(bytes, start)];
    let colon = header.iter().position(|&b| b == b':')?;
    let key_ok = header[..colon]
        .iter()
        .all(|&b| is_key_start(b) || b == b'-');
    let rest = &header[colon + 1..];
    if !key_ok || !(rest.is_empty() || rest[0] == b' ' || rest[0] == b'\r') || !is_blank(rest) {
        return None;
    }
    let mut at = start + header.len() + 1;
    while at < end {
        let line = &bytes[at..line_end(bytes, at)];
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        match line.get(indent) {
            None | Some(b'\r' | b'#') => at += line.len() + 1,
            Some(b'-') if is_item(&line[indent..]) => {
                return Some(Items {
                    indent,
                    kind: Kind::Seq,
                    first: at,
                })
            }
            Some(&c) if indent > 0 && is_key_start(c) => {
                return Some(Items {
                    indent,
                    kind: Kind::Map,
                    first: at,
                })
            }
            _ => return None,
        }
    }
    None
}

/// The first line at or after `from` (and after the collection's first
/// item) that starts one of its items, before `end`.
fn item_line(bytes: &[u8], items: Items, from: usize, end: usize) -> Option<usize> {
    let from = from.max(items.first + 1);
    let mut at = match from {
        _ if bytes[from - 1] == b'\n' => from,
        _ => line_end(bytes, from) + 1,
    };
    while at < end {
        let line = &bytes[at..line_end(bytes, at)];
        let n = items.indent;
        let starts = line.len() > n
            && line[..n].iter().all(|&b| b == b' ')
            && match items.kind {
                Kind::Seq => is_item(&line[n..]),
                Kind::Map => is_key_start(line[n]),
            };
        if starts {
            return Some(at);
        }
        at += line.len() + 1;
    }
    None
}

/// Where the line at `at` ends (its `\n`, or the end of the text).
fn line_end(bytes: &[u8], at: usize) -> usize {
    memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i)
}

/// `-` followed by a space or the end of the line: a block sequence item.
fn is_item(line: &[u8]) -> bool {
    line.first() == Some(&b'-') && matches!(line.get(1), None | Some(b' ' | b'\r'))
}

/// A plain key's first character, of the kind the cuts accept.
fn is_key_start(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Only spaces, then nothing or a comment.
fn is_blank(rest: &[u8]) -> bool {
    let rest = rest.trim_ascii_start();
    rest.is_empty() || rest[0] == b'#'
}

/// The pieces' trees as one, in the node order of the whole parse
/// (post-order), or `None` when a piece is not what its cut assumed.
fn join<'src>(source: &'src str, plan: &[Piece], built: Vec<Built>) -> Option<Tree<'src>> {
    let mut out = Joined {
        nodes: Vec::with_capacity(built.iter().map(|b| b.nodes.len()).sum()),
        children: Vec::with_capacity(built.iter().map(|b| b.children.len()).sum()),
        owned: Vec::with_capacity(built.iter().map(|b| b.owned.len()).sum()),
    };
    // The root's keys and values; an open collection's slot is filled when
    // it closes.
    let mut root_children: Vec<NodeId> = Vec::new();
    let mut root_span: Option<Span> = None;
    let mut open: Option<Open> = None;
    let mut expansion = 0u64;
    let bytes = source.as_bytes();
    for (piece, mut b) in plan.iter().zip(built) {
        expansion = expansion.saturating_add(b.alias_expansion);
        let root = *b.nodes.last()?;
        if b.root as usize != b.nodes.len() - 1 {
            return None;
        }
        let at = root.span.start as usize;
        match piece.continues {
            None => {
                // Top-level keys: a block mapping from a line's start.
                let line_start = at == 0
                    || bytes[at - 1] == b'\n'
                    || at == 3 && bytes.starts_with("\u{feff}".as_bytes());
                let NodeKind::Map { start } = root.kind() else {
                    return None;
                };
                if !line_start
                    || !is_key_start(bytes[at])
                    || piece.range.start > 0 && at != piece.range.start
                {
                    return None;
                }
                if let Some(o) = open.take() {
                    close_open(&mut out, o, &mut root_children, &mut root_span)?;
                }
                // The last value stays open when the next piece continues it.
                let kept = b.nodes.len() - 1 - usize::from(piece.open.is_some());
                let base = out.nodes.len() as NodeId;
                out.copy(&mut b, kept)?;
                let entries = block(&b, start, 2);
                if let Some(items) = piece.open {
                    let value = *entries.last()? as usize;
                    let c = b.nodes[value];
                    // An indentless sequence (`key:` then `- x` at the
                    // key's column) starts at its first item's value.
                    let on_first_line = items.kind == Kind::Seq
                        && (items.first..line_end(bytes, items.first))
                            .contains(&(c.span.start as usize));
                    if value != kept
                        || !is_kind(&c, items.kind)
                        || !(on_first_line || at_column(bytes, c.span.start, items.indent))
                    {
                        return None;
                    }
                    let (NodeKind::Seq { start } | NodeKind::Map { start }) = c.kind() else {
                        return None;
                    };
                    let per = if items.kind == Kind::Map { 2 } else { 1 };
                    open = Some(Open {
                        span: c.span,
                        kind: c.kind(),
                        items: out.mapped(block(&b, start, per), kept, base)?,
                    });
                }
                // Every id but the open value's is below `kept`.
                for &id in entries {
                    root_children.push(if (id as usize) < kept { id + base } else { id });
                }
                root_span = Some(match root_span {
                    None => root.span,
                    Some(s) => Span {
                        start: s.start,
                        end: s.end.max(root.span.end),
                    },
                });
            }
            Some(items) => {
                let o = open.as_mut()?;
                if at != piece.range.start + items.indent || !is_kind(&root, items.kind) {
                    return None;
                }
                let (NodeKind::Seq { start } | NodeKind::Map { start }) = root.kind() else {
                    return None;
                };
                let kept = b.nodes.len() - 1;
                let base = out.nodes.len() as NodeId;
                out.copy(&mut b, kept)?;
                let per = if items.kind == Kind::Map { 2 } else { 1 };
                let more = out.mapped(block(&b, start, per), kept, base)?;
                o.items.extend(more);
                o.span.end = o.span.end.max(root.span.end);
            }
        }
    }
    if let Some(o) = open.take() {
        close_open(&mut out, o, &mut root_children, &mut root_span)?;
    }
    if expansion > MAX_EXPANDED_NODES {
        return None;
    }
    let root = out.close(Open {
        span: root_span?,
        kind: NodeKind::Map { start: 0 },
        items: root_children,
    })?;
    Some(Tree {
        source,
        nodes: out.nodes,
        children: out.children,
        owned: out.owned,
        root,
    })
}

/// Adds the collection that pieces continued, in the slot of the root's
/// last value, which it ends.
fn close_open(
    out: &mut Joined,
    o: Open,
    root_children: &mut [NodeId],
    root_span: &mut Option<Span>,
) -> Option<()> {
    if let Some(s) = root_span {
        s.end = s.end.max(o.span.end);
    }
    *root_children.last_mut()? = out.close(o)?;
    Some(())
}

fn is_kind(node: &Node, kind: Kind) -> bool {
    matches!(
        (node.kind(), kind),
        (NodeKind::Seq { .. }, Kind::Seq) | (NodeKind::Map { .. }, Kind::Map)
    )
}

/// Whether `at` is `n` spaces into its line.
fn at_column(bytes: &[u8], at: u32, n: usize) -> bool {
    let at = at as usize;
    at >= n
        && bytes[at - n..at].iter().all(|&b| b == b' ')
        && (at == n || bytes[at - n - 1] == b'\n')
}

/// A collection's children in a piece: `per` ids an entry.
fn block(b: &Built, start: u32, per: usize) -> &[NodeId] {
    let start = start as usize;
    let len = b.children[start] as usize * per;
    &b.children[start + 1..start + 1 + len]
}

/// A collection that pieces continue: its span so far and its items' ids
/// in the joined tree.
struct Open {
    span: Span,
    kind: NodeKind,
    items: Vec<NodeId>,
}

struct Joined {
    nodes: Vec<Node>,
    children: Vec<NodeId>,
    owned: Vec<Box<str>>,
}

impl Joined {
    /// Appends a piece's first `kept` nodes, renumbered.
    fn copy(&mut self, b: &mut Built, kept: usize) -> Option<()> {
        let base = self.nodes.len() as NodeId;
        let owned = self.owned.len() as u32;
        for node in &b.nodes[..kept] {
            let kind = match node.kind() {
                NodeKind::Scalar { text, style } if text != Text::AS_WRITTEN => NodeKind::Scalar {
                    text: Text(text.0 + owned),
                    style,
                },
                k @ NodeKind::Scalar { .. } => k,
                NodeKind::Alias { target } if (target as usize) < kept => NodeKind::Alias {
                    target: target + base,
                },
                NodeKind::Alias { .. } => return None,
                NodeKind::Seq { start } => NodeKind::Seq {
                    start: self.block(b, start, 1, kept, base)?,
                },
                NodeKind::Map { start } => NodeKind::Map {
                    start: self.block(b, start, 2, kept, base)?,
                },
            };
            self.nodes.push(Node::new(node.span, kind)?);
        }
        self.owned.append(&mut b.owned);
        Some(())
    }

    /// Copies a collection's children block, renumbered; its new start.
    fn block(
        &mut self,
        b: &Built,
        start: u32,
        per: usize,
        kept: usize,
        base: NodeId,
    ) -> Option<u32> {
        let at = self.children.len() as u32;
        self.children.push(b.children[start as usize]);
        for &id in block(b, start, per) {
            if id as usize >= kept {
                return None;
            }
            self.children.push(id + base);
        }
        Some(at)
    }

    /// A piece's ids, renumbered; all must be below `kept`.
    fn mapped(&self, ids: &[NodeId], kept: usize, base: NodeId) -> Option<Vec<NodeId>> {
        ids.iter()
            .map(|&id| ((id as usize) < kept).then_some(id + base))
            .collect()
    }

    /// Adds the collection as a node, after everything in it; its id.
    fn close(&mut self, o: Open) -> Option<NodeId> {
        let start = self.children.len() as u32;
        let count = o.items.len() as u32;
        let kind = match o.kind {
            NodeKind::Map { .. } => {
                self.children.push(count / 2);
                NodeKind::Map { start }
            }
            _ => {
                self.children.push(count);
                NodeKind::Seq { start }
            }
        };
        self.children.extend(o.items);
        self.nodes.push(Node::new(o.span, kind)?);
        Some(self.nodes.len() as NodeId - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::tree::{self, Style};
    /// The same nodes, in the same order, as the whole parse.
    fn assert_same(whole: &Tree<'_>, split: &Tree<'_>, source: &str) {
        assert_eq!(whole.len(), split.len(), "node count of {source:?}");
        assert_eq!(whole.root, split.root, "root of {source:?}");
        for id in 0..whole.len() as NodeId {
            let (a, b) = (whole.node(id), split.node(id));
            assert_eq!(a.span, b.span, "span of node {id} in {source:?}");
            assert_eq!(whole.scalar_text(id), split.scalar_text(id));
            let same = match (a.kind(), b.kind()) {
                (NodeKind::Scalar { style: x, .. }, NodeKind::Scalar { style: y, .. }) => x == y,
                (NodeKind::Alias { target: x }, NodeKind::Alias { target: y }) => x == y,
                (NodeKind::Seq { .. }, NodeKind::Seq { .. }) => {
                    whole.seq_items(id) == split.seq_items(id)
                }
                (NodeKind::Map { .. }, NodeKind::Map { .. }) => {
                    whole.map_children(id) == split.map_children(id)
                }
                _ => false,
            };
            assert!(same, "node {id} of {source:?}: {a:?} / {b:?}");
        }
    }

    /// Splits `source` every way the plan allows for the piece counts and
    /// checks each joined tree against the whole parse; how many split.
    fn check(source: &str) -> usize {
        let whole = tree::parse(source);
        let mut split = 0;
        for pieces in [2, 3, 4, 7, 16, 50] {
            if let Some(t) = parse(source, pieces) {
                let whole = whole.as_ref().unwrap_or_else(|e| {
                    panic!("pieces joined where the whole parse fails ({e:?}): {source:?}")
                });
                assert_same(whole, &t, source);
                split += 1;
            }
        }
        split
    }

    #[test]
    fn every_fixture_splits_into_the_whole_parse() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let (mut files, mut split) = (0, 0);
        for entry in ignore::Walk::new(root).filter_map(Result::ok) {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "yaml") {
                let Ok(source) = std::fs::read_to_string(path) else {
                    continue;
                };
                files += 1;
                split += usize::from(check(&source) > 0);
            }
        }
        assert!(files > 100, "{files} fixtures");
        assert!(split * 2 > files, "only {split} of {files} fixtures split");
    }

    #[test]
    fn cuts_at_keys_and_items_of_sequences_and_mappings() {
        let cases = [
            "a: 1\nb:\n  - x: 1\n    y: [1,\n      2]\n  - x: 2\n  - x: 3\nc: 3\n",
            // A sequence at the key's own column.
            "a:\n- 1\n- 2\n- 3\nb: 2\n",
            // Sections holding mappings, comments and blank lines between.
            "s:\n  api:\n    cpu: 1\n\n  # note\n  web:\n    cpu: 2\n  db: {x: 1}\nt: 1\n",
            // A byte-order mark, CRLF, non-ASCII text, a document start.
            "\u{feff}---\r\nname: é\r\nl:\r\n  - é1\r\n  - 'ü'\r\n  - \"ß\\t\"\r\n",
            // Block scalars that keep their trailing lines.
            "l:\n  - |+\n    one\n\n  - >-\n    two\n    three\n\n  - x\n",
            // Anchors and aliases inside one piece.
            "l:\n  - &a {k: v}\n  - *a\n  - [&b 1, *b]\n",
            // A multi-line plain scalar.
            "l:\n  - one\n    two\n  - three\n",
        ];
        for c in cases {
            assert!(check(c) > 0, "{c:?} does not split");
        }
    }

    #[test]
    fn falls_back_where_a_piece_is_not_what_its_cut_assumed() {
        let cases = [
            // A second document after an end marker.
            "a: 1\n...\nb: 2\n",
            "a: 1\n---\nb: 2\n",
            // An alias to an anchor in another piece.
            "a: &x 1\nb: *x\nc: *x\n",
            "l:\n  - &x 1\n  - *x\n  - *x\n  - *x\n",
            // A quoted scalar and a flow sequence over a cut.
            "a: \"one\nb: two\"\nc: 3\n",
            "a: [1,\nb, 2]\nc: 3\n",
            // A top-level sequence or flow mapping.
            "- a\n- b\n- c\n",
            "{a: 1,\nb: 2}\n",
            // Directives, tags on the section, wrong indentation.
            "%YAML 1.2\n---\na: 1\nb: 2\n",
            "l: !!seq\n  - 1\n  - 2\n  - 3\n",
            "l:\n    - 1\n  - 2\n  - 3\n",
        ];
        for c in cases {
            for pieces in [2, 3, 4, 7] {
                if let Some(t) = parse(c, pieces) {
                    let whole = tree::parse(c).expect("joined pieces where the whole fails");
                    assert_same(&whole, &t, c);
                }
            }
        }
        // The whole parse still reports what it reported.
        assert!(tree::parse("a: 1\n...\nb: 2\n").is_err());
    }

    /// Random descriptions made of the constructs that could run over a
    /// cut: whenever pieces join, the whole parse succeeds with the same
    /// nodes.
    #[test]
    fn random_texts_split_into_the_whole_parse_or_not_at_all() {
        const VALUES: &[&str] = &[
            "1",
            "plain text",
            "'single'",
            "\"double\\n\"",
            "\"two\n  lines\"",
            "\"runs\nover\"",
            "[1, 2]",
            "[1,\n  2]",
            "{a: 1,\nb: 2}",
            "|\n      block\n\n",
            "|+\n      kept\n\n",
            ">-\n      folded\n      text\n",
            "&anc 7",
            "*anc",
            "!!str 5",
            "é ü",
            "one\n      more",
            "x # comment",
            "",
        ];
        const LINES: &[&str] = &[
            "",
            "# comment",
            "  # indented comment",
            "...",
            "---",
            "\tt: 1",
            "   odd: 1",
            "- stray",
        ];
        let mut rng = fastrand::Rng::with_seed(8);
        let (mut total, mut split) = (0, 0);
        for _ in 0..3000 {
            let mut s = String::new();
            if rng.u8(..10) == 0 {
                s.push('\u{feff}');
            }
            for sec in 0..rng.usize(1..5) {
                let seq = rng.bool();
                let compact = seq && rng.u8(..4) == 0;
                let pad = if compact { "" } else { "  " };
                s.push_str(&format!("s{sec}:\n"));
                for i in 0..rng.usize(0..8) {
                    let v = VALUES[rng.usize(..VALUES.len())];
                    if seq {
                        s.push_str(&format!("{pad}- k: {v}\n{pad}  n: {i}\n"));
                    } else {
                        s.push_str(&format!("{pad}e{i}: {v}\n"));
                    }
                    if rng.u8(..5) == 0 {
                        s.push_str(LINES[rng.usize(..LINES.len())]);
                        s.push('\n');
                    }
                }
            }
            if rng.u8(..8) == 0 {
                s = s.replace('\n', "\r\n");
            }
            total += usize::from(tree::parse(&s).is_ok());
            split += usize::from(check(&s) > 0);
        }
        // Most texts that parse have a cut; those without have one item.
        assert!(
            split * 2 > total,
            "only {split} of {total} good texts split"
        );
    }

    #[test]
    fn scalar_styles_survive_the_join() {
        let src = "a:\n  - \"q\"\n  - |\n    b\n  - c\n";
        let t = parse(src, 3).expect("splits");
        let styles: Vec<Style> = (0..t.len() as NodeId)
            .filter_map(|id| match t.node(id).kind() {
                NodeKind::Scalar { style, .. } => Some(style),
                _ => None,
            })
            .collect();
        assert_eq!(
            styles,
            [Style::Plain, Style::Quoted, Style::Block, Style::Plain]
        );
    }
}
