//! Source positions: compact byte spans, and their translation to the
//! 1-based line and column (in Unicode scalar values) that reports show.
//!
//! A [`Span`] is two `u32` byte offsets: the loader attaches one to every key
//! and value, so it must stay small. Lines and columns are computed only when
//! a diagnostic is printed, through a [`LineIndex`] built once per file.

use serde::Serialize;

/// A half-open byte range `[start, end)` in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    pub fn empty(at: usize) -> Span {
        Span::new(at, at)
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One end of a span as users see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in Unicode scalar values.
    pub column: u32,
    /// 0-based byte offset.
    pub offset: u32,
}

/// A span resolved to line and column positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineSpan {
    pub start: Position,
    pub end: Position,
}

/// Byte offsets of line starts. `\n`, `\r\n` and a lone `\r` all end a line,
/// as in YAML. A leading byte order mark is not part of line 1's columns.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let first = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
        starts.push(first);
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i as u32 + 1);
            }
        }
        LineIndex { starts }
    }

    /// The position of a byte offset; offsets inside a multi-byte character
    /// or past the end are clamped to the nearest boundary before them.
    pub fn position(&self, text: &str, offset: u32) -> Position {
        let offset = (offset as usize).min(text.len());
        let offset = floor_char_boundary(text, offset);
        let line = self
            .starts
            .partition_point(|&s| s as usize <= offset)
            .max(1);
        let line_start = (self.starts[line - 1] as usize).min(offset);
        let column = text[line_start..offset].chars().count() + 1;
        Position {
            line: line as u32,
            column: column as u32,
            offset: offset as u32,
        }
    }

    pub fn line_span(&self, text: &str, span: Span) -> LineSpan {
        let start = self.position(text, span.start);
        // Most spans end on the line they start on: count on from the start.
        let next_line = self
            .starts
            .get(start.line as usize)
            .map_or(text.len() + 1, |&s| s as usize);
        let line_start = self.starts[start.line as usize - 1] as usize;
        let end_offset = floor_char_boundary(text, (span.end as usize).min(text.len()));
        let from = start.offset as usize;
        // (Not from before line 1's start: a byte order mark is no column.)
        let end = if from >= line_start && end_offset >= from && end_offset < next_line {
            let counted = text[from..end_offset].chars().count();
            Position {
                line: start.line,
                column: start.column + counted as u32,
                offset: end_offset as u32,
            }
        } else {
            self.position(text, span.end)
        };
        LineSpan { start, end }
    }

    /// Byte offset where a 1-based line starts, if the line exists.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        self.starts
            .get(line.checked_sub(1)? as usize)
            .map(|&s| s as usize)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let text = "a: 1\r\nbé: x\rc\n";
        let idx = LineIndex::new(text);
        assert_eq!(
            idx.position(text, 0),
            Position {
                line: 1,
                column: 1,
                offset: 0
            }
        );
        // `x` after the two-byte `é`: byte 11, column 5.
        let x = text.find('x').unwrap() as u32;
        assert_eq!(
            idx.position(text, x),
            Position {
                line: 2,
                column: 5,
                offset: x
            }
        );
        let c = text.find('c').unwrap() as u32;
        assert_eq!(
            idx.position(text, c),
            Position {
                line: 3,
                column: 1,
                offset: c
            }
        );
    }

    #[test]
    fn line_starts_follow_every_kind_of_line_break() {
        let mut rng = fastrand::Rng::with_seed(11);
        let pieces = ["a", "é", "\n", "\r", "\r\n", "\n\r", " "];
        for _ in 0..2000 {
            let text: String = (0..rng.usize(0..30))
                .map(|_| pieces[rng.usize(0..pieces.len())])
                .collect();
            let bytes = text.as_bytes();
            let mut want = vec![0];
            for (i, &b) in bytes.iter().enumerate() {
                if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                    want.push(i as u32 + 1);
                }
            }
            assert_eq!(LineIndex::new(&text).starts, want, "{text:?}");
        }
    }

    #[test]
    fn line_spans_are_their_two_positions() {
        let mut rng = fastrand::Rng::with_seed(12);
        let pieces = ["a", "é", "\n", "\r", "\r\n", " ", "\u{feff}", "🦀"];
        for _ in 0..500 {
            let text: String = (0..rng.usize(0..30))
                .map(|_| pieces[rng.usize(0..pieces.len())])
                .collect();
            let index = LineIndex::new(&text);
            for start in 0..=text.len() + 2 {
                for end in start..=text.len() + 2 {
                    let span = Span::new(start, end);
                    let want = LineSpan {
                        start: index.position(&text, span.start),
                        end: index.position(&text, span.end),
                    };
                    assert_eq!(index.line_span(&text, span), want, "{text:?} {span:?}");
                }
            }
        }
    }

    #[test]
    fn bom_is_not_a_column() {
        let text = "\u{feff}a: 1";
        let idx = LineIndex::new(text);
        assert_eq!(
            idx.position(text, 3),
            Position {
                line: 1,
                column: 1,
                offset: 3
            }
        );
    }
}
