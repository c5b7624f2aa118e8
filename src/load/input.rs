//! The parser's input: a `&str` reader that gives the results of
//! saphyr-parser's `StrInput`, with a smaller read-ahead and ASCII read
//! byte by byte.
//!
//! The scanner builds every plain scalar in a `String` made with room for
//! 32 bytes, then, after its first character, reserves room for as many
//! more as the input says it reads ahead at once (`bufmaxlen`, 128 for
//! `StrInput`). So every plain scalar, however short, is reallocated once
//! to 160 bytes: about a tenth of all the work of `check` on a corpus of
//! typical files. With a read-ahead of 31 the first reservation fits in
//! the 32 bytes already there, and a longer scalar grows as any string
//! does.
//!
//! The read-ahead of a `&str` input is only a count: every character is
//! already in memory, and `lookahead` only records the largest count asked
//! for. The scanner reads it in two places: the plain scalar loop above,
//! which takes `bufmaxlen() - 1` characters per round (30 here, any number
//! from 1 up gives the same scalar), and the indentation of a block scalar,
//! whose two branches differ only for an input that really buffers.
//!
//! The scanner asks for the next character or two several times for each
//! character it reads (`peek`, `peek_nth(1)`, `skip`), and `StrInput`
//! decodes UTF-8 for each ask. Every character the scanner tests for is
//! ASCII, and in UTF-8 a byte below 0x80 is always a whole character while
//! no byte of a wider character is below 0x80, so these methods read the
//! byte and decode only when it starts a wider character. Each method
//! gives what `StrInput`'s gives, counts included
//! (`fetch_while_is_yaml_non_space` counts bytes where the trait speaks of
//! characters, and the scanner's marks depend on it); the tests below
//! compare the event streams, spans and errors of the two inputs on every
//! fixture and rule file and on generated text.

use saphyr_parser::input::SkipTabs;
use saphyr_parser::Input;

/// How many characters the scanner is told it may read ahead at once: the
/// 32 bytes a plain scalar's string starts with, less its first character
/// (one byte when it is ASCII).
const READ_AHEAD: usize = 31;
// The plain scalar loop takes `READ_AHEAD - 1` characters a round: with
// fewer than 2 it would take none and never end.
const _: () = assert!(READ_AHEAD >= 2);

/// The byte order mark, which ends a run of non-break characters.
const BOM: &[u8] = "\u{FEFF}".as_bytes();

/// A `&str` input with a read-ahead of [`READ_AHEAD`] characters.
#[derive(Clone, Copy)]
pub struct SourceInput<'a> {
    /// What is left to read.
    rest: &'a str,
    /// The largest read-ahead asked for.
    lookahead: usize,
}

impl<'a> SourceInput<'a> {
    pub fn new(source: &'a str) -> Self {
        SourceInput {
            rest: source,
            lookahead: 0,
        }
    }

    /// The next byte, 0 at the end (where `StrInput` reads `'\0'`).
    #[inline]
    fn byte(&self) -> u8 {
        self.rest.as_bytes().first().copied().unwrap_or(0)
    }

    /// The byte length of the next character (0 at the end).
    #[inline]
    fn char_len(&self) -> usize {
        match self.rest.as_bytes().first() {
            None => 0,
            Some(&b) if b < 0x80 => 1,
            Some(&b) if b < 0xE0 => 2,
            Some(&b) if b < 0xF0 => 3,
            Some(_) => 4,
        }
    }

    /// Skips `len` bytes, a whole number of characters.
    #[inline]
    fn advance(&mut self, len: usize) {
        self.rest = &self.rest[len..];
    }

    /// How many bytes from the start are non-break characters (not a line
    /// break, NUL or byte order mark), and how many characters they make.
    fn non_break_run(text: &str) -> (usize, usize) {
        let bytes = text.as_bytes();
        let mut chars = 0;
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'\n' | b'\r' | 0 => return (i, chars),
                0xEF if bytes[i..].starts_with(BOM) => return (i, chars),
                // A continuation byte is part of the character before it.
                0x80..=0xBF => {}
                _ => chars += 1,
            }
        }
        (bytes.len(), chars)
    }
}

/// Whether `b` is a space or tab, a line break or NUL.
#[inline]
fn is_blank_or_breakz(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0)
}

/// Whether `b` is a digit, an ASCII letter, `_` or `-`.
#[inline]
fn is_alpha(b: u8) -> bool {
    matches!(b, b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'-')
}

/// Whether `b` is one of the flow indicators `,[]{}`.
#[inline]
fn is_flow(b: u8) -> bool {
    matches!(b, b',' | b'[' | b']' | b'{' | b'}')
}

impl Input for SourceInput<'_> {
    #[inline]
    fn lookahead(&mut self, count: usize) {
        // Rarely more than before: a compare, and seldom a store.
        if count > self.lookahead {
            self.lookahead = count;
        }
    }

    #[inline]
    fn buflen(&self) -> usize {
        self.lookahead
    }

    #[inline]
    fn bufmaxlen(&self) -> usize {
        READ_AHEAD
    }

    #[inline]
    fn raw_read_ch(&mut self) -> char {
        let c = self.peek();
        self.advance(self.char_len());
        c
    }

    #[inline]
    fn raw_read_non_breakz_ch(&mut self) -> Option<char> {
        let c = self.peek_opt()?;
        if matches!(c, '\n' | '\r' | '\0' | '\u{FEFF}') {
            return None;
        }
        self.advance(c.len_utf8());
        Some(c)
    }

    #[inline(always)]
    fn skip(&mut self) {
        self.advance(self.char_len());
    }

    #[inline]
    fn skip_n(&mut self, count: usize) {
        for _ in 0..count {
            if self.rest.is_empty() {
                break;
            }
            self.skip();
        }
    }

    #[inline(always)]
    fn peek(&self) -> char {
        match self.rest.as_bytes().first() {
            Some(&b) if b < 0x80 => char::from(b),
            Some(_) => self.rest.chars().next().unwrap_or('\0'),
            None => '\0',
        }
    }

    #[inline(always)]
    fn peek_nth(&self, n: usize) -> char {
        let bytes = self.rest.as_bytes();
        // The common case: the character after an ASCII one.
        if n == 1 && bytes.first().is_some_and(|&b| b < 0x80) {
            return match bytes.get(1) {
                Some(&b) if b < 0x80 => char::from(b),
                Some(_) => self.rest[1..].chars().next().unwrap_or('\0'),
                None => '\0',
            };
        }
        self.rest.chars().nth(n).unwrap_or('\0')
    }

    #[inline]
    fn peek_opt(&self) -> Option<char> {
        match self.rest.as_bytes().first() {
            Some(&b) if b < 0x80 => Some(char::from(b)),
            Some(_) => self.rest.chars().next(),
            None => None,
        }
    }

    #[inline]
    fn next_2_are(&self, c1: char, c2: char) -> bool {
        let mut chars = self.rest.chars();
        chars.next() == Some(c1) && chars.next() == Some(c2)
    }

    #[inline]
    fn next_3_are(&self, c1: char, c2: char, c3: char) -> bool {
        let mut chars = self.rest.chars();
        chars.next() == Some(c1) && chars.next() == Some(c2) && chars.next() == Some(c3)
    }

    #[inline]
    fn next_is_document_indicator(&self) -> bool {
        matches!(self.rest.as_bytes(), [a @ (b'-' | b'.'), b, c, rest @ ..]
            if a == b && b == c && rest.first().is_none_or(|&d| is_blank_or_breakz(d)))
    }

    #[inline]
    fn next_is_document_start(&self) -> bool {
        matches!(self.rest.as_bytes(), [b'-', b'-', b'-', rest @ ..]
            if rest.first().is_none_or(|&d| is_blank_or_breakz(d)))
    }

    #[inline]
    fn next_is_document_end(&self) -> bool {
        matches!(self.rest.as_bytes(), [b'.', b'.', b'.', rest @ ..]
            if rest.first().is_none_or(|&d| is_blank_or_breakz(d)))
    }

    fn skip_ws_to_eol(&mut self, skip_tabs: SkipTabs) -> (usize, Result<SkipTabs, &'static str>) {
        assert!(!matches!(skip_tabs, SkipTabs::Result(..)));
        let bytes = self.rest.as_bytes();
        let (mut spaces, mut tab) = (false, false);
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            match b {
                b' ' => spaces = true,
                b'\t' if skip_tabs == SkipTabs::Yes => tab = true,
                _ => break,
            }
            i += 1;
        }
        // Spaces and tabs are one byte each.
        let mut consumed = i;
        if bytes.get(i) == Some(&b'#') {
            if !tab && !spaces {
                return (
                    consumed,
                    Err("comments must be separated from other tokens by whitespace"),
                );
            }
            let (len, chars) = Self::non_break_run(&self.rest[i..]);
            i += len;
            consumed += chars;
        }
        self.advance(i);
        (consumed, Ok(SkipTabs::Result(tab, spaces)))
    }

    #[inline(always)]
    fn next_can_be_plain_scalar(&self, in_flow: bool) -> bool {
        let bytes = self.rest.as_bytes();
        match bytes.first() {
            // A `:` ends a plain scalar before a blank, a break or the end,
            // and in flow before a flow indicator. The byte after it starts
            // the next character, which is one of those only if ASCII.
            Some(b':') => match bytes.get(1) {
                Some(&next) => !(is_blank_or_breakz(next) || (in_flow && is_flow(next))),
                None => false,
            },
            Some(0xEF) if bytes.starts_with(BOM) => false,
            Some(&b) => !(in_flow && is_flow(b)),
            None => true,
        }
    }

    #[inline]
    fn next_is_blank_or_break(&self) -> bool {
        matches!(
            self.rest.as_bytes().first(),
            Some(b' ' | b'\t' | b'\n' | b'\r')
        )
    }

    #[inline]
    fn next_is_blank_or_breakz(&self) -> bool {
        is_blank_or_breakz(self.byte())
    }

    #[inline]
    fn next_is_blank(&self) -> bool {
        matches!(self.byte(), b' ' | b'\t')
    }

    #[inline]
    fn next_is_break(&self) -> bool {
        matches!(self.byte(), b'\n' | b'\r')
    }

    #[inline]
    fn next_is_breakz(&self) -> bool {
        matches!(self.byte(), b'\n' | b'\r' | 0)
    }

    #[inline]
    fn next_is_z(&self) -> bool {
        self.byte() == 0
    }

    #[inline]
    fn next_is_flow(&self) -> bool {
        is_flow(self.byte())
    }

    #[inline]
    fn next_is_digit(&self) -> bool {
        self.byte().is_ascii_digit()
    }

    #[inline]
    fn next_is_alpha(&self) -> bool {
        is_alpha(self.byte())
    }

    fn skip_while_non_breakz(&mut self) -> usize {
        let (len, chars) = Self::non_break_run(self.rest);
        self.advance(len);
        chars
    }

    fn skip_while_blank(&mut self) -> usize {
        let n = self
            .rest
            .bytes()
            .take_while(|&b| b == b' ' || b == b'\t')
            .count();
        self.advance(n);
        n
    }

    /// Returns the bytes taken, as `StrInput` does (all of them ASCII).
    fn fetch_while_is_alpha(&mut self, out: &mut String) -> usize {
        let n = self.rest.bytes().take_while(|&b| is_alpha(b)).count();
        out.push_str(&self.rest[..n]);
        self.advance(n);
        n
    }

    /// Returns the bytes taken, as `StrInput` does, not the characters.
    fn fetch_while_is_yaml_non_space(&mut self, out: &mut String) -> usize {
        let bytes = self.rest.as_bytes();
        let n = bytes
            .iter()
            .enumerate()
            .find(|&(i, &b)| match b {
                b' ' | b'\t' | b'\n' | b'\r' | 0 => true,
                0xEF => bytes[i..].starts_with(BOM),
                _ => false,
            })
            .map_or(bytes.len(), |(i, _)| i);
        out.push_str(&self.rest[..n]);
        self.advance(n);
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use saphyr_parser::{Parser, StrInput};

    /// The whole event stream, errors included, as text.
    fn events<'a, T: Input>(mut parser: Parser<'a, T>) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(next) = parser.next_event() {
            let failed = next.is_err();
            out.push(format!("{next:?}"));
            if failed {
                break;
            }
        }
        out
    }

    fn assert_same_events(text: &str) {
        assert_eq!(
            events(Parser::new(SourceInput::new(text))),
            events(Parser::new(StrInput::new(text))),
            "{text:?}"
        );
    }

    fn yaml_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                yaml_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_fixture_gives_the_events_of_the_plain_str_input() {
        let mut files = Vec::new();
        yaml_files(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
            &mut files,
        );
        yaml_files(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"),
            &mut files,
        );
        assert!(files.len() > 100, "only {} YAML files", files.len());
        for file in files {
            // Some fixtures are not UTF-8 on purpose.
            if let Ok(text) = std::fs::read_to_string(&file) {
                assert_same_events(&text);
            }
        }
    }

    /// The constructs where the read-ahead is read: plain scalars shorter
    /// and longer than one round of it, over several lines, starting with
    /// a wide character; block scalars indented past it; and errors.
    #[test]
    fn scalars_around_the_read_ahead_give_the_same_events() {
        let long = "x".repeat(200);
        let wide = "é".repeat(40);
        let mut texts = vec![
            format!("a: {long}\nb: {wide}\nc: é{long}\n"),
            format!("a: {long}\n  {long}\n\n  {wide} tail\n"),
            format!("- {}\n- {}\n", "y".repeat(30), "y".repeat(31)),
            format!("- {}\n- {}\n", "y".repeat(32), "y".repeat(62)),
            format!("[{long}, {wide}, {}]\n", "z".repeat(31)),
            format!("k: {long} # comment\n"),
            format!("k: {long}: v\n"),
            "k: [a, -,]\n".to_owned(),
            "k: {a: b\n".to_owned(),
        ];
        for indent in [1, 2, 27, 28, 29, 30, 31, 32, 60, 130] {
            let pad = " ".repeat(indent);
            let deeper = " ".repeat(indent + 2);
            for header in ["|", ">", "|+", ">-", "|2", "|9"] {
                texts.push(format!(
                    "{pad}k: {header}\n{deeper}one {long}\n\n{deeper}\n{deeper}  two\n{pad}n: 1\n"
                ));
                texts.push(format!("{pad}k: {header}\n\n   \n{deeper}x\n"));
                texts.push(format!("{pad}k: {header}"));
            }
            texts.push(format!("{pad}k:\n{deeper}- {long}\n{deeper}  {long}\n"));
        }
        for text in &texts {
            assert_same_events(text);
            assert_same_events(&text.replace('\n', "\r\n"));
        }
    }

    /// Text made of the pieces the scanner tells apart (indicators, blanks,
    /// breaks, NUL, the byte order mark, characters of 2, 3 and 4 bytes,
    /// comments, tags, anchors, directives, document markers), in random
    /// order, so that the scanner's ways through the input meet each other
    /// and the end of the text.
    #[test]
    fn generated_text_gives_the_same_events() {
        const PIECES: &[&str] = &[
            "a",
            "key",
            "9",
            "-",
            "_",
            " ",
            "  ",
            "\t",
            "\n",
            "\r\n",
            "\r",
            "\0",
            ":",
            ": ",
            "- ",
            "? ",
            ",",
            "[",
            "]",
            "{",
            "}",
            "#",
            " # note é\n",
            "'",
            "\"",
            "\\",
            "&x ",
            "*x",
            "!t ",
            "!!str ",
            "!<tag:x> ",
            "|",
            ">-",
            "%YAML 1.2\n",
            "---",
            "--- ",
            "...",
            "\n...\n",
            "é",
            "€",
            "𝄞",
            "\u{FEFF}",
            "\u{85}",
            "x:\u{FEFF}",
            "k: v\n",
            "  - ",
        ];
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..20_000 {
            let len = rng.usize(1..24);
            let text: String = (0..len)
                .map(|_| PIECES[rng.usize(..PIECES.len())])
                .collect();
            assert_same_events(&text);
        }
    }
}
