//! The parser's input: saphyr-parser's `StrInput`, with a smaller read-ahead.
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
//! whose two branches differ only for an input that really buffers. Every
//! other method is `StrInput`'s own, so the events, spans and errors are
//! those of `Parser::new_from_str`; the tests below compare the two on
//! every fixture and rule file.

use saphyr_parser::input::SkipTabs;
use saphyr_parser::{Input, StrInput};

/// How many characters the scanner is told it may read ahead at once: the
/// 32 bytes a plain scalar's string starts with, less its first character
/// (one byte when it is ASCII).
const READ_AHEAD: usize = 31;
// The plain scalar loop takes `READ_AHEAD - 1` characters a round: with
// fewer than 2 it would take none and never end.
const _: () = assert!(READ_AHEAD >= 2);

/// A `&str` input with a read-ahead of [`READ_AHEAD`] characters.
#[derive(Clone, Copy)]
pub struct SourceInput<'a>(StrInput<'a>);

impl<'a> SourceInput<'a> {
    pub fn new(source: &'a str) -> Self {
        SourceInput(StrInput::new(source))
    }
}

/// `StrInput`'s own methods, passed through unchanged.
macro_rules! pass_through {
    (
        reading { $(fn $name:ident(&self $(, $arg:ident: $ty:ty)*) -> $ret:ty;)* }
        moving { $(fn $mut_name:ident(&mut self $(, $mut_arg:ident: $mut_ty:ty)*) $(-> $mut_ret:ty)?;)* }
    ) => {
        $(
            #[inline]
            fn $name(&self $(, $arg: $ty)*) -> $ret {
                self.0.$name($($arg),*)
            }
        )*
        $(
            #[inline]
            fn $mut_name(&mut self $(, $mut_arg: $mut_ty)*) $(-> $mut_ret)? {
                self.0.$mut_name($($mut_arg),*)
            }
        )*
    };
}

impl Input for SourceInput<'_> {
    #[inline]
    fn bufmaxlen(&self) -> usize {
        READ_AHEAD
    }

    pass_through! {
        reading {
            fn buflen(&self) -> usize;
            fn buf_is_empty(&self) -> bool;
            fn peek(&self) -> char;
            fn peek_nth(&self, n: usize) -> char;
            fn peek_opt(&self) -> Option<char>;
            fn next_char_is(&self, c: char) -> bool;
            fn nth_char_is(&self, n: usize, c: char) -> bool;
            fn next_2_are(&self, c1: char, c2: char) -> bool;
            fn next_3_are(&self, c1: char, c2: char, c3: char) -> bool;
            fn next_is_document_indicator(&self) -> bool;
            fn next_is_document_start(&self) -> bool;
            fn next_is_document_end(&self) -> bool;
            fn next_can_be_plain_scalar(&self, in_flow: bool) -> bool;
            fn next_is_blank_or_break(&self) -> bool;
            fn next_is_blank_or_breakz(&self) -> bool;
            fn next_is_blank(&self) -> bool;
            fn next_is_break(&self) -> bool;
            fn next_is_breakz(&self) -> bool;
            fn next_is_z(&self) -> bool;
            fn next_is_flow(&self) -> bool;
            fn next_is_digit(&self) -> bool;
            fn next_is_alpha(&self) -> bool;
        }
        moving {
            fn lookahead(&mut self, count: usize);
            fn skip(&mut self);
            fn skip_n(&mut self, count: usize);
            fn raw_read_ch(&mut self) -> char;
            fn raw_read_non_breakz_ch(&mut self) -> Option<char>;
            fn look_ch(&mut self) -> char;
            fn skip_ws_to_eol(&mut self, skip_tabs: SkipTabs) -> (usize, Result<SkipTabs, &'static str>);
            fn skip_while_non_breakz(&mut self) -> usize;
            fn skip_while_blank(&mut self) -> usize;
            fn fetch_while_is_alpha(&mut self, out: &mut String) -> usize;
            fn fetch_while_is_yaml_non_space(&mut self, out: &mut String) -> usize;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use saphyr_parser::Parser;

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
            events(Parser::new_from_str(text)),
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
}
