//! YAML text to a spanned node tree, built from the parser's event stream.
//!
//! The tree is an arena: nodes live in one `Vec`, children in another, so a
//! file costs a handful of allocations however many values it has. Building
//! is iterative (an explicit stack of open collections), so no input can
//! overflow the call stack, and the input limits of the CLI contract are
//! checked while the events stream in: nesting depth as collections open,
//! alias expansion as a running count, so a "billion laughs" file is refused
//! without ever being expanded. Aliases stay aliases in the tree: a value
//! reached through one knows both the use site and the anchored node.

use crate::span::Span;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};
use std::borrow::Cow;

/// Input limits (CLI.md "Input limits").
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
pub const MAX_DEPTH: usize = 128;
pub const MAX_EXPANDED_NODES: u64 = 1_000_000;

/// The limits a parse enforces. `check` always uses the defaults; the
/// benchmarks raise the file size to measure files past 16 MiB.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_file_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: MAX_FILE_BYTES,
        }
    }
}

pub type NodeId = u32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
    Block,
}

/// Where a scalar's text is: as written in the source (the node's span, or
/// inside its quotes), which holds for most scalars, or else one of the
/// tree's own strings (escapes, folded lines, block scalars). A node keeps
/// it in 28 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text(pub(super) u32);

impl Text {
    pub(super) const AS_WRITTEN: Text = Text(u32::MAX);
}

#[derive(Debug, Clone, Copy)]
pub enum NodeKind {
    Scalar {
        text: Text,
        style: Style,
    },
    /// `children[start]` is the number of items; they follow it.
    Seq {
        start: u32,
    },
    /// `children[start]` is the number of entries; their keys and values
    /// follow it, alternating.
    Map {
        start: u32,
    },
    /// `*name`: the node's span is the use site; `target` is the anchored node.
    Alias {
        target: NodeId,
    },
}

#[derive(Clone, Copy)]
pub struct Node {
    pub span: Span,
    /// The kind in the top two bits, a scalar's style in the next two, and
    /// the kind's number (text, children start or alias target) below.
    packed: u32,
}

// A file of N values costs 12·N bytes of nodes (plus 4·N of children).
const _: () = assert!(std::mem::size_of::<Node>() == 12);

/// The largest number a node holds: a tree has fewer nodes and children
/// than this (a file of hundreds of megabytes would have more).
const MAX_NUMBER: u32 = (1 << 28) - 2;
const NUMBER: u32 = (1 << 28) - 1;

impl Node {
    /// `None` when the kind's number does not fit.
    pub(super) fn new(span: Span, kind: NodeKind) -> Option<Node> {
        let fits = |n: u32| (n <= MAX_NUMBER).then_some(n);
        let (tag, style, n) = match kind {
            NodeKind::Scalar { text, style } => {
                let n = if text == Text::AS_WRITTEN {
                    NUMBER
                } else {
                    fits(text.0)?
                };
                let style = match style {
                    Style::Plain => 0,
                    Style::Quoted => 1,
                    Style::Block => 2,
                };
                (0, style, n)
            }
            NodeKind::Seq { start } => (1, 0, fits(start)?),
            NodeKind::Map { start } => (2, 0, fits(start)?),
            NodeKind::Alias { target } => (3, 0, fits(target)?),
        };
        Some(Node {
            span,
            packed: tag << 30 | style << 28 | n,
        })
    }

    pub fn kind(&self) -> NodeKind {
        let n = self.packed & NUMBER;
        match self.packed >> 30 {
            0 => NodeKind::Scalar {
                text: if n == NUMBER {
                    Text::AS_WRITTEN
                } else {
                    Text(n)
                },
                style: match self.packed >> 28 & 3 {
                    0 => Style::Plain,
                    1 => Style::Quoted,
                    _ => Style::Block,
                },
            },
            1 => NodeKind::Seq { start: n },
            2 => NodeKind::Map { start: n },
            _ => NodeKind::Alias { target: n },
        }
    }
}

impl std::fmt::Debug for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Node")
            .field("span", &self.span)
            .field("kind", &self.kind())
            .finish()
    }
}

/// Why a file could not be turned into a tree (reported as SL000).
#[derive(Debug, Clone, PartialEq)]
pub struct TreeError {
    pub message: String,
    pub span: Span,
}

#[derive(Debug)]
pub struct Tree<'src> {
    pub(super) source: &'src str,
    pub(super) nodes: Vec<Node>,
    pub(super) children: Vec<NodeId>,
    /// Scalar texts that differ from their source bytes.
    pub(super) owned: Vec<Box<str>>,
    /// The document's root node.
    pub root: NodeId,
}

impl<'src> Tree<'src> {
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Follows aliases to the node that holds the value.
    pub fn resolve(&self, mut id: NodeId) -> NodeId {
        // Aliases can only point backwards at finished nodes, so this ends.
        while let NodeKind::Alias { target } = self.nodes[id as usize].kind() {
            id = target;
        }
        id
    }

    pub fn seq_items(&self, id: NodeId) -> &[NodeId] {
        match self.nodes[id as usize].kind() {
            NodeKind::Seq { start } => self.counted(start, 1),
            _ => &[],
        }
    }

    /// Key/value pairs of a mapping, as written (merge keys not applied).
    pub fn map_entries(&self, id: NodeId) -> impl ExactSizeIterator<Item = (NodeId, NodeId)> + '_ {
        self.map_children(id)
            .chunks_exact(2)
            .map(|kv| (kv[0], kv[1]))
    }

    /// A mapping's keys and values, alternating (`[k0, v0, k1, v1, …]`),
    /// for random access.
    pub fn map_children(&self, id: NodeId) -> &[NodeId] {
        match self.nodes[id as usize].kind() {
            NodeKind::Map { start } => self.counted(start, 2),
            _ => &[],
        }
    }

    /// `children[start + 1..]`, as many as `children[start]` says (times
    /// `per` entries).
    fn counted(&self, start: u32, per: usize) -> &[NodeId] {
        let start = start as usize;
        let len = self.children[start] as usize * per;
        &self.children[start + 1..start + 1 + len]
    }

    /// A scalar's text: its value before resolution (escapes applied,
    /// lines folded).
    pub fn scalar_text(&self, id: NodeId) -> Option<&str> {
        let node = &self.nodes[id as usize];
        let NodeKind::Scalar { text, style } = node.kind() else {
            return None;
        };
        if text != Text::AS_WRITTEN {
            return Some(&self.owned[text.0 as usize]);
        }
        let r = node.span.range();
        Some(match style {
            Style::Quoted => &self.source[r.start + 1..r.end - 1],
            _ => &self.source[r],
        })
    }
}

/// A tree as plain numbers, which `build.rs` writes into the binary for
/// the built-in rules so that they need no parse at run time: each node as
/// `[span start, span end, kind]`, the children, the texts that differ from
/// the source, and the root.
pub struct RawTree<'a> {
    pub nodes: Vec<[u32; 3]>,
    pub children: &'a [NodeId],
    pub owned: &'a [Box<str>],
    pub root: NodeId,
}

impl<'src> Tree<'src> {
    /// The tree as plain numbers.
    #[allow(dead_code)] // used by build.rs, which compiles this module, and the tests
    pub fn raw(&self) -> RawTree<'_> {
        RawTree {
            nodes: self
                .nodes
                .iter()
                .map(|n| [n.span.start, n.span.end, n.packed])
                .collect(),
            children: &self.children,
            owned: &self.owned,
            root: self.root,
        }
    }

    /// The tree that [`Tree::raw`] gave, over the same source.
    pub fn from_raw(
        source: &'src str,
        nodes: &[[u32; 3]],
        children: &[NodeId],
        owned: &[&str],
        root: NodeId,
    ) -> Tree<'src> {
        Tree {
            source,
            nodes: nodes
                .iter()
                .map(|&[start, end, packed]| Node {
                    span: Span { start, end },
                    packed,
                })
                .collect(),
            children: children.to_vec(),
            owned: owned.iter().map(|&t| t.into()).collect(),
            root,
        }
    }
}

/// Parses one YAML document into a tree, enforcing the input limits.
pub fn parse(source: &str) -> Result<Tree<'_>, TreeError> {
    parse_with(source, Limits::default())
}

/// As [`parse`], with the given limits, in one piece (`load` parses a large
/// description in pieces, `load::split`).
pub fn parse_with(source: &str, limits: Limits) -> Result<Tree<'_>, TreeError> {
    if source.len() > limits.max_file_bytes {
        return Err(TreeError {
            message: format!(
                "file is {} bytes, over the input limit of {} bytes (16 MiB)",
                source.len(),
                limits.max_file_bytes
            ),
            span: Span::empty(0),
        });
    }
    let built = build(source, 0..source.len(), MAX_DEPTH)?;
    Ok(Tree {
        source,
        nodes: shrunk(built.nodes),
        children: shrunk(built.children),
        owned: built.owned,
        root: built.root,
    })
}

/// The tree of `source[range]` (one whole document), with spans into
/// `source`, refusing collections nested deeper than `max_depth`.
pub(super) fn build(
    source: &str,
    range: std::ops::Range<usize>,
    max_depth: usize,
) -> Result<Built, TreeError> {
    Builder::new(source, range, max_depth).run()
}

/// A tree's parts as the builder leaves them: the root is the last node.
pub(super) struct Built {
    pub nodes: Vec<Node>,
    pub children: Vec<NodeId>,
    pub owned: Vec<Box<str>>,
    pub root: NodeId,
    /// Nodes the aliases would add if expanded.
    pub alias_expansion: u64,
}

/// Gives back the capacity that the up-front guess left unused.
fn shrunk<T>(mut v: Vec<T>) -> Vec<T> {
    v.shrink_to_fit();
    v
}

struct OpenCollection {
    is_map: bool,
    span: Span,
    flow: bool,
    anchor: usize,
    /// Where this collection's children start on the scratch stack.
    scratch_start: usize,
    /// Nodes this collection expands to once aliases are expanded.
    expanded: u64,
}

struct Builder<'src> {
    /// The whole file; spans are offsets into it.
    source: &'src str,
    /// The part of it being parsed.
    range: std::ops::Range<usize>,
    max_depth: usize,
    offsets: OffsetMap,
    nodes: Vec<Node>,
    children: Vec<NodeId>,
    owned: Vec<Box<str>>,
    scratch: Vec<NodeId>,
    open: Vec<OpenCollection>,
    /// Anchor id → the anchored node and its size once aliases are expanded.
    anchors: Vec<(NodeId, u64)>,
    /// Nodes that the aliases seen so far would add if expanded.
    alias_expansion: u64,
    documents: usize,
    root: Option<NodeId>,
}

impl<'src> Builder<'src> {
    fn new(source: &'src str, range: std::ops::Range<usize>, max_depth: usize) -> Self {
        // A rough guess: one node per 8 bytes of YAML avoids most regrowth.
        let guess = range.len() / 8;
        Builder {
            source,
            offsets: OffsetMap::new(&source[range.clone()]),
            range,
            max_depth,
            nodes: Vec::with_capacity(guess),
            children: Vec::with_capacity(guess),
            owned: Vec::new(),
            scratch: Vec::new(),
            open: Vec::new(),
            anchors: Vec::new(),
            alias_expansion: 0,
            documents: 0,
            root: None,
        }
    }

    fn span(&self, sp: saphyr_parser::Span) -> Span {
        Span::new(
            self.range.start + self.offsets.byte(sp.start.index()),
            self.range.start + self.offsets.byte(sp.end.index()),
        )
    }

    fn run(mut self) -> Result<Built, TreeError> {
        let mut parser = Parser::new(super::input::SourceInput::new(
            &self.source[self.range.clone()],
        ));
        while let Some(next) = parser.next_event() {
            let (event, sp) = match next {
                Ok(next) => next,
                Err(e) => return Err(self.scan_error(&e)),
            };
            let span = self.span(sp);
            match event {
                Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
                Event::StreamEnd => break,
                Event::DocumentStart(_) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        // The marker `---`, or the first character of a bare
                        // document after `...`; never past the end of the file.
                        let at = span.start as usize;
                        let rest = &self.source[at..];
                        let len = match rest.chars().next() {
                            _ if rest.starts_with("---") => 3,
                            Some(c) => c.len_utf8(),
                            None => 0,
                        };
                        return Err(TreeError {
                            message: "a second YAML document starts here; a description file holds exactly one".into(),
                            span: Span::new(at, at + len),
                        });
                    }
                }
                Event::Scalar(text, style, anchor, tag) => {
                    let span = if anchor != 0 || tag.is_some() {
                        self.skip_properties(span)
                    } else {
                        span
                    };
                    let (span, style) = match style {
                        ScalarStyle::Plain => (span, Style::Plain),
                        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                            (self.quoted_span(span), Style::Quoted)
                        }
                        ScalarStyle::Literal | ScalarStyle::Folded => {
                            (self.block_scalar_span(span), Style::Block)
                        }
                    };
                    let text = self.text(text, span, style);
                    self.add_node(span, NodeKind::Scalar { text, style }, anchor, 1)?;
                }
                Event::Alias(anchor) => {
                    let Some(&(target, size)) = self.anchors.get(anchor).filter(|a| a.1 > 0) else {
                        return Err(TreeError {
                            message: "alias to an unknown anchor".into(),
                            span,
                        });
                    };
                    self.alias_expansion = self.alias_expansion.saturating_add(size);
                    if self.alias_expansion > MAX_EXPANDED_NODES {
                        return Err(TreeError {
                            message: format!(
                                "aliases would expand this document by more than the input limit of {MAX_EXPANDED_NODES} nodes"
                            ),
                            span,
                        });
                    }
                    self.add_node(span, NodeKind::Alias { target }, 0, size)?;
                }
                Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                    if self.open.len() >= self.max_depth {
                        return Err(TreeError {
                            message: format!(
                                "nested deeper than the input limit of {MAX_DEPTH} levels"
                            ),
                            span,
                        });
                    }
                    let is_map = matches!(event, Event::MappingStart(..));
                    // A flow collection's start event covers its anchor, tag and
                    // opening bracket; a block collection's is empty.
                    let flow = !span.is_empty();
                    let span = if flow {
                        Span::new(span.end as usize - 1, span.end as usize)
                    } else {
                        span
                    };
                    self.open.push(OpenCollection {
                        is_map,
                        span,
                        flow,
                        anchor,
                        scratch_start: self.scratch.len(),
                        expanded: 1,
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => self.close(span)?,
            }
        }
        match self.root {
            Some(root) => Ok(Built {
                nodes: self.nodes,
                children: self.children,
                owned: self.owned,
                root,
                alias_expansion: self.alias_expansion,
            }),
            None => Err(TreeError {
                message: "the file holds no YAML document (it is empty or only comments)".into(),
                span: Span::empty(0),
            }),
        }
    }

    fn close(&mut self, end_span: Span) -> Result<(), TreeError> {
        let Some(c) = self.open.pop() else {
            return Ok(());
        };
        let items = &self.scratch[c.scratch_start..];
        let start = self.children.len() as u32;
        let mut end = if c.flow { end_span.end } else { c.span.end };
        for &id in items {
            end = end.max(self.nodes[id as usize].span.end);
        }
        let count = items.len() as u32;
        self.children.push(if c.is_map { count / 2 } else { count });
        self.children.extend_from_slice(items);
        self.scratch.truncate(c.scratch_start);
        let kind = if c.is_map {
            NodeKind::Map { start }
        } else {
            NodeKind::Seq { start }
        };
        let span = Span {
            start: c.span.start,
            end,
        };
        self.add_node(span, kind, c.anchor, c.expanded)
    }

    fn add_node(
        &mut self,
        span: Span,
        kind: NodeKind,
        anchor: usize,
        size: u64,
    ) -> Result<(), TreeError> {
        let id = self.nodes.len() as NodeId;
        let node = Node::new(span, kind).ok_or_else(|| TreeError {
            message: "the file holds more values than a description can".into(),
            span,
        })?;
        self.nodes.push(node);
        if anchor != 0 {
            if self.anchors.len() <= anchor {
                self.anchors.resize(anchor + 1, (0, 0));
            }
            // Every node counts at least itself, so a size of 0 marks "unset".
            self.anchors[anchor] = (id, size.max(1));
        }
        match self.open.last_mut() {
            Some(parent) => {
                parent.expanded = parent.expanded.saturating_add(size);
                self.scratch.push(id);
            }
            None => self.root = Some(id),
        }
        Ok(())
    }

    /// Where a scalar's text lives: as written when the source reads the
    /// same there (a plain scalar on one line, a quoted one without
    /// escapes), else in the tree's own strings. The parser's copy is
    /// dropped here.
    fn text(&mut self, text: Cow<'src, str>, span: Span, style: Style) -> Text {
        let r = span.range();
        let written = match style {
            Style::Plain => self.source.get(r),
            Style::Quoted if r.len() >= 2 => self.source.get(r.start + 1..r.end - 1),
            Style::Quoted | Style::Block => None,
        };
        if written == Some(&*text) {
            return Text::AS_WRITTEN;
        }
        self.owned.push(text.into_owned().into_boxed_str());
        Text(self.owned.len() as u32 - 1)
    }

    /// A quoted scalar's event can run on past its closing quote (over the
    /// spaces and comment after it); the value ends at the closing quote.
    fn quoted_span(&self, span: Span) -> Span {
        let text = self.source.as_bytes();
        let (start, end) = (span.start as usize, (span.end as usize).min(text.len()));
        let Some(&quote) = text.get(start).filter(|&&q| q == b'"' || q == b'\'') else {
            return span;
        };
        let mut i = start + 1;
        while i < end {
            match text[i] {
                b'\\' if quote == b'"' => i += 2,
                b'\'' if quote == b'\'' && text.get(i + 1) == Some(&b'\'') => i += 2,
                q if q == quote => return Span::new(start, i + 1),
                _ => i += 1,
            }
        }
        span
    }

    /// A scalar's event covers its anchor and tag (`&c !!str 72`); the
    /// value starts after them.
    fn skip_properties(&self, span: Span) -> Span {
        let text = self.source.as_bytes();
        let (mut i, end) = (span.start as usize, span.end as usize);
        while i < end && (text[i] == b'&' || text[i] == b'!') {
            while i < end && !text[i].is_ascii_whitespace() {
                i += 1;
            }
            while i < end && text[i].is_ascii_whitespace() {
                i += 1;
            }
        }
        Span::new(i, end)
    }

    /// A block scalar's event starts at its first content character; the
    /// value as written starts at its `|` or `>` indicator.
    fn block_scalar_span(&self, span: Span) -> Span {
        let text = self.source.as_bytes();
        let mut end = span.end as usize;
        while end > span.start as usize && text[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        // Back over the content's indentation and blank lines to the header line.
        let mut i = span.start as usize;
        while i > 0 && text[i - 1].is_ascii_whitespace() {
            i -= 1;
        }
        let header_end = i;
        let header_start = self.source[..header_end]
            .rfind(['\n', '\r'])
            .map_or(0, |p| p + 1);
        let header = &self.source[header_start..header_end];
        let header = match header.find(" #") {
            Some(c) => &header[..c],
            None => header,
        };
        match header.rfind(['|', '>']) {
            Some(p) if header_end <= span.start as usize => {
                Span::new(header_start + p, end.max(header_start + p + 1))
            }
            _ => Span::new(span.start as usize, end),
        }
    }

    fn scan_error(&self, e: &ScanError) -> TreeError {
        let mut at = (self.range.start + self.offsets.byte(e.marker().index())).min(self.range.end);
        // A tab in indentation is reported after it; point at the tabs.
        if e.info().contains("tab") {
            while at > 0 && self.source.as_bytes()[at - 1] == b'\t' {
                at -= 1;
            }
        }
        let end = self.source[at..]
            .chars()
            .next()
            .map_or(at, |c| at + c.len_utf8());
        // The scanner refuses flow nesting past 255 levels before the
        // parser hands us the events that would cross our own limit.
        let message = if e.info() == "recursion limit exceeded" {
            format!("nested deeper than the input limit of {MAX_DEPTH} levels")
        } else {
            format!("invalid YAML: {}", e.info())
        };
        TreeError {
            message,
            span: Span::new(at, end),
        }
    }
}

/// Translates the parser's character indices into byte offsets.
///
/// For ASCII text the two are equal. Otherwise the map keeps, after each
/// non-ASCII character, the (character, byte) index pair; between two such
/// points every character is one byte.
struct OffsetMap {
    points: Vec<(u32, u32)>,
    len: usize,
    /// The index into `points` of the last lookup: the parser asks in
    /// nearly increasing order, so most lookups move a step or two.
    cursor: std::cell::Cell<usize>,
}

impl OffsetMap {
    fn new(source: &str) -> OffsetMap {
        let mut points = Vec::new();
        let bytes = source.as_bytes();
        // Continuation bytes before `i`: its character index is `i - continuation`.
        let (mut i, mut continuation) = (0, 0);
        while i < bytes.len() {
            if bytes[i].is_ascii() {
                // Skip ASCII a block at a time: most text is ASCII.
                let block = &bytes[i..bytes.len().min(i + 32)];
                i += if block.is_ascii() {
                    block.len()
                } else {
                    block
                        .iter()
                        .position(|b| !b.is_ascii())
                        .unwrap_or(block.len())
                };
                continue;
            }
            let width = match bytes[i] {
                0xF0.. => 4,
                0xE0.. => 3,
                _ => 2,
            };
            points.push(((i - continuation + 1) as u32, (i + width) as u32));
            continuation += width - 1;
            i += width;
        }
        OffsetMap {
            points,
            len: source.len(),
            cursor: std::cell::Cell::new(0),
        }
    }

    /// Called twice for every event: the common cases stay inline.
    #[inline]
    fn byte(&self, char_index: usize) -> usize {
        // Past the last non-ASCII character (all of an ASCII file, and most
        // of a file whose only one is in its heading comment), bytes and
        // characters advance together.
        match self.points.last() {
            None => char_index.min(self.len),
            Some(&(c, b)) if char_index >= c as usize => {
                (b as usize + (char_index - c as usize)).min(self.len)
            }
            Some(_) => self.byte_before_last(char_index),
        }
    }

    /// [`OffsetMap::byte`] of a character before the last non-ASCII one.
    #[inline(never)]
    fn byte_before_last(&self, char_index: usize) -> usize {
        // `i` is the number of points at or before `char_index`.
        let at = |i: usize| self.points[i].0 as usize <= char_index;
        let mut i = self.cursor.get();
        if i > 0 && !at(i - 1) {
            i = self
                .points
                .partition_point(|&(c, _)| c as usize <= char_index);
        } else {
            while i < self.points.len() && at(i) {
                i += 1;
            }
        }
        self.cursor.set(i);
        let byte = match i {
            0 => char_index,
            _ => {
                let (c, b) = self.points[i - 1];
                b as usize + (char_index - c as usize)
            }
        };
        byte.min(self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_map_points_are_the_non_ascii_characters() {
        let mut rng = fastrand::Rng::with_seed(5);
        let alphabet = ['a', ' ', '\n', 'é', '–', '🦀', 'ü', '東'];
        for _ in 0..2000 {
            let text: String = (0..rng.usize(0..120))
                .map(|_| alphabet[rng.usize(0..alphabet.len())])
                .collect();
            let want: Vec<(u32, u32)> = text
                .char_indices()
                .enumerate()
                .filter(|(_, (_, c))| !c.is_ascii())
                .map(|(n, (byte, c))| ((n + 1) as u32, (byte + c.len_utf8()) as u32))
                .collect();
            let map = OffsetMap::new(&text);
            assert_eq!(map.points, want, "{text:?}");
            for (n, (byte, _)) in text.char_indices().enumerate() {
                assert_eq!(map.byte(n), byte, "{text:?} char {n}");
            }
        }
    }

    fn scalar_at<'a>(tree: &'a Tree, source: &'a str, text: &str) -> &'a str {
        for id in 0..tree.len() as NodeId {
            if tree.scalar_text(id) == Some(text) {
                return &source[tree.node(id).span.range()];
            }
        }
        panic!("no scalar {text:?}");
    }

    #[test]
    fn scalar_texts_are_kept_only_where_they_differ_from_the_source() {
        let src = "a: plain é\nb: 'single'\nc: \"esc\\tx\"\nd: 'it''s'\ne: two\n  lines\nf: |\n  lit\ng: \"\"\nh: ~\n";
        let tree = parse(src).unwrap();
        let texts: Vec<&str> = (0..tree.len() as NodeId)
            .filter_map(|id| tree.scalar_text(id))
            .collect();
        for t in [
            "plain é",
            "single",
            "esc\tx",
            "it's",
            "two lines",
            "lit\n",
            "",
            "~",
        ] {
            assert!(texts.contains(&t), "{t:?} in {texts:?}");
        }
        // The escaped, doubled-quote, folded and block scalars are the only copies.
        assert_eq!(tree.owned.len(), 4, "{:?}", tree.owned);
    }

    #[test]
    fn nodes_pack_their_kind() {
        let span = Span::new(3, 9);
        let kinds = [
            NodeKind::Scalar {
                text: Text::AS_WRITTEN,
                style: Style::Plain,
            },
            NodeKind::Scalar {
                text: Text(0),
                style: Style::Quoted,
            },
            NodeKind::Scalar {
                text: Text(MAX_NUMBER),
                style: Style::Block,
            },
            NodeKind::Seq { start: 0 },
            NodeKind::Map { start: MAX_NUMBER },
            NodeKind::Alias { target: 7 },
        ];
        for kind in kinds {
            let node = Node::new(span, kind).expect("fits");
            assert_eq!(format!("{:?}", node.kind()), format!("{kind:?}"));
            assert_eq!(node.span, span);
        }
        let too_large = [
            NodeKind::Seq {
                start: MAX_NUMBER + 1,
            },
            NodeKind::Scalar {
                text: Text(NUMBER),
                style: Style::Plain,
            },
            NodeKind::Alias { target: u32::MAX },
        ];
        for kind in too_large {
            assert!(Node::new(span, kind).is_none(), "{kind:?}");
        }
    }

    #[test]
    fn spans_are_byte_exact() {
        let src = "\u{feff}a: 1\r\nbé: [x, {y: \"zé\"}]\r\nc: |  # note\r\n  lit\r\n  two\r\n\r\nd: &A {k: v}\r\ne: *A\r\n";
        let tree = parse(src).unwrap();
        assert_eq!(scalar_at(&tree, src, "a"), "a");
        assert_eq!(scalar_at(&tree, src, "bé"), "bé");
        assert_eq!(scalar_at(&tree, src, "x"), "x");
        assert_eq!(scalar_at(&tree, src, "zé"), "\"zé\"");
        assert_eq!(
            scalar_at(&tree, src, "lit\ntwo\n"),
            "|  # note\r\n  lit\r\n  two"
        );
        assert_eq!(scalar_at(&tree, src, "k"), "k");
    }

    #[test]
    fn quoted_scalars_end_at_their_closing_quote() {
        let src = "a: \"web\"   # note\nb: 'x''y'  # c\nc: \"q\\\"z\" # d\n";
        let tree = parse(src).unwrap();
        assert_eq!(scalar_at(&tree, src, "web"), "\"web\"");
        assert_eq!(scalar_at(&tree, src, "x'y"), "'x''y'");
        assert_eq!(scalar_at(&tree, src, "q\"z"), "\"q\\\"z\"");
    }

    #[test]
    fn flow_and_block_collection_spans() {
        let src = "m: &A {k: v, n: [1, 2]}\nb:\n  - x\n  - y: z\n";
        let tree = parse(src).unwrap();
        let root = tree.root;
        let entries: Vec<_> = tree.map_entries(root).collect();
        assert_eq!(
            &src[tree.node(entries[0].1).span.range()],
            "{k: v, n: [1, 2]}"
        );
        assert_eq!(&src[tree.node(entries[1].1).span.range()], "- x\n  - y: z");
    }

    #[test]
    fn alias_keeps_use_site_and_target() {
        let src = "a: &X {k: v}\nb: *X\n";
        let tree = parse(src).unwrap();
        let entries: Vec<_> = tree.map_entries(tree.root).collect();
        let alias = entries[1].1;
        assert_eq!(&src[tree.node(alias).span.range()], "*X");
        assert_eq!(tree.resolve(alias), entries[0].1);
    }

    #[test]
    fn limits() {
        let deep = "[".repeat(100_000);
        let e = parse(&deep).unwrap_err();
        assert!(e.message.contains("128 levels"), "{}", e.message);

        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            let p = (b'a' + i) as char;
            let n = (b'a' + i + 1) as char;
            bomb.push_str(&format!(
                "{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
            ));
        }
        let e = parse(&bomb).unwrap_err();
        assert!(e.message.contains("1000000 nodes"), "{}", e.message);
        assert!(e.message.contains("aliases"));

        let e = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(e.message.contains("second YAML document"));
        assert_eq!(
            parse("# only a comment\n").unwrap_err().span,
            Span::empty(0)
        );
    }

    #[test]
    fn syntax_error_points_at_the_error() {
        let src = "a: [1, 2\nb: 3\n";
        let e = parse(src).unwrap_err();
        assert!(e.message.starts_with("invalid YAML"));
    }
}
