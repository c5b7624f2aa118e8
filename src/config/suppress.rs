//! Inline suppressions: YAML comments that hide findings.
//!
//! ```yaml
//! - name: api   # scalelint: ignore[SL301] sessions move to Redis in Q3
//! # scalelint: ignore[SL103,server-cpu] until=2027-03-31 load test pending
//! # scalelint: ignore-file[SL109] three services on purpose
//! ```
//!
//! A line suppression covers the line it ends, or, alone on its line, the
//! next line that is not a comment. When that line holds an entity's `name`
//! key, it covers the whole entity's mapping. The problems of suppressions
//! are findings of their own (SL090–SL094), pointing at the comment.
//!
//! Comments are found in the text, not the tree (the parser drops them):
//! a `#` counts only where YAML starts a comment, at the start of a line or
//! after a blank, and outside every scalar of the tree, so a `#` inside a
//! quoted string or a block scalar's content is never a directive.

use crate::diagnostic::{Diagnostic, Severity};
use crate::load::model_path;
use crate::load::tree::{NodeKind, Style, Tree};
use crate::model::convert::did_you_mean;
use crate::registry::RuleMeta;
use crate::span::{LineIndex, Span};
use chrono::NaiveDate;

/// A finding about suppressions: code, name, default severity.
pub type Code = (&'static str, &'static str, Severity);

pub const UNUSED: Code = ("SL090", "unused-suppression", Severity::Warning);
pub const NO_REASON: Code = ("SL091", "suppression-without-reason", Severity::Warning);
pub const EXPIRED: Code = ("SL092", "expired-suppression", Severity::Warning);
pub const UNKNOWN_RULE: Code = ("SL093", "unknown-rule-in-suppression", Severity::Warning);
pub const NOT_ALLOWED: Code = ("SL094", "suppression-not-allowed", Severity::Error);

/// The registry's entries for SL090–SL094: they exist whatever rule files
/// are loaded, like the loader's codes.
pub fn rules() -> Vec<RuleMeta> {
    let rule = |(code, name, severity): Code, summary: &str| RuleMeta {
        code: code.into(),
        name: name.into(),
        severity,
        summary: summary.into(),
    };
    vec![
        rule(UNUSED, "a suppression comment that hides nothing"),
        rule(NO_REASON, "a suppression comment with no reason after its codes"),
        rule(EXPIRED, "a suppression whose `until=` date has passed; its findings are reported again"),
        rule(UNKNOWN_RULE, "a suppression comment names a code or name no rule has, or is malformed"),
        rule(NOT_ALLOWED, "a suppression of a rule the config makes unsuppressible (or of any rule, with `suppressions: false`)"),
    ]
}

/// What the config allows to be suppressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// `suppressions: false` turns every suppression off.
    pub allowed: bool,
    /// Codes of the rules listed in `unsuppressible`.
    pub unsuppressible: Vec<String>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            allowed: true,
            unsuppressible: Vec::new(),
        }
    }
}

/// What one file's suppressions need to know.
pub struct Context<'a, 'src> {
    pub source: &'src str,
    pub tree: &'a Tree<'src>,
    /// Every rule the run knows, for resolving codes and names.
    pub rules: &'a [RuleMeta],
    /// Whether a rule ran on this file (selected, not off, stage in range):
    /// a suppression of a rule that did not run is not unused.
    pub ran: &'a dyn Fn(&str) -> bool,
    pub policy: &'a Policy,
    pub today: NaiveDate,
}

/// What applying a file's suppressions did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// How many findings were hidden.
    pub hidden: usize,
    /// SL090–SL094.
    pub findings: Vec<Diagnostic>,
}

/// Hides the findings of `diagnostics` that the file's suppression
/// comments cover, and reports the comments' own problems.
pub fn apply(cx: &Context<'_, '_>, diagnostics: &mut Vec<Diagnostic>) -> Outcome {
    let comments = find_comments(cx.source, cx.tree);
    if comments.is_empty() {
        return Outcome::default();
    }
    let lines = LineIndex::new(cx.source);
    let line_of = |offset: u32| lines.position(cx.source, offset).line;
    let entities = EntityLines::new(cx.tree, &line_of);

    let mut out = Outcome::default();
    let mut entries: Vec<Entry> = Vec::new();
    let mut parsed = Vec::with_capacity(comments.len());
    for (ci, c) in comments.iter().enumerate() {
        let directive = match parse(cx.source, c) {
            Ok(d) => d,
            Err(bad) => {
                out.findings
                    .push(finding(cx, UNKNOWN_RULE, bad.span, bad.message, bad.help));
                continue;
            }
        };
        let scope = if directive.file_wide {
            Scope::File
        } else {
            let target = if c.own_line {
                next_code_line(cx.source, &lines, line_of(c.span.start))
            } else {
                line_of(c.span.start)
            };
            Scope::Line {
                line: target,
                entities: entities.on(target),
            }
        };
        for (text, span) in &directive.codes {
            let Some(rule) = resolve(cx.rules, text) else {
                let help = match did_you_mean_rule(cx.rules, text) {
                    Some(k) => format!("did you mean `{k}`?"),
                    None => "`scalelint rules` lists every rule".into(),
                };
                out.findings.push(finding(
                    cx,
                    UNKNOWN_RULE,
                    *span,
                    format!("no rule has the code or name `{text}`; this code of the suppression hides nothing"),
                    help,
                ));
                continue;
            };
            let state = if !cx.policy.allowed {
                State::NotAllowed("the config turns suppressions off (`suppressions: false`)")
            } else if cx.policy.unsuppressible.contains(&rule.code) {
                State::NotAllowed("the config lists it in `unsuppressible`")
            } else if let Some(until) = directive.until.filter(|d| *d < cx.today) {
                State::Expired(until)
            } else {
                State::Active
            };
            entries.push(Entry {
                comment: ci,
                code: rule.code.clone(),
                written: text.clone(),
                scope: scope.clone(),
                state,
                used: false,
            });
        }
        parsed.push((ci, directive));
    }

    diagnostics.retain(|d| {
        let line = line_of(d.span.start);
        let mut hidden = false;
        for e in entries
            .iter_mut()
            .filter(|e| e.state == State::Active && e.code == d.code)
        {
            if e.scope.covers(line, d.span.start) {
                e.used = true;
                hidden = true;
            }
        }
        out.hidden += usize::from(hidden);
        !hidden
    });

    for e in &entries {
        let c = &comments[e.comment];
        let what = match e.scope {
            Scope::File => "file-wide suppression",
            Scope::Line { .. } => "suppression",
        };
        match e.state {
            State::NotAllowed(why) => out.findings.push(finding(
                cx,
                NOT_ALLOWED,
                c.span,
                format!("`{}` may not be suppressed: {why}", e.written),
                "fix the finding instead, or ask for the config to change".into(),
            )),
            State::Expired(until) => {
                out.findings.push(finding(
                    cx,
                    EXPIRED,
                    c.span,
                    format!(
                        "{what} of `{}` expired on {until}; its findings are reported again",
                        e.written
                    ),
                    "fix the findings, or set a later `until=` with the reason it still holds"
                        .into(),
                ));
            }
            State::Active if !e.used && (cx.ran)(&e.code) => out.findings.push(finding(
                cx,
                UNUSED,
                c.span,
                format!("{what} of `{}` hides nothing", e.written),
                format!("remove `{}` from the comment", e.written),
            )),
            State::Active => {}
        }
    }

    // A missing reason matters only on a comment that does hide something
    // (or would, had its rule run): the others have their own finding.
    for (ci, d) in &parsed {
        let working = entries.iter().any(|e| {
            e.comment == *ci && e.state == State::Active && (e.used || !(cx.ran)(&e.code))
        });
        if d.reason.is_empty() && working {
            let codes: Vec<&str> = d.codes.iter().map(|(t, _)| t.as_str()).collect();
            out.findings.push(finding(
                cx,
                NO_REASON,
                comments[*ci].span,
                format!("suppression of `{}` gives no reason", codes.join(", ")),
                "say why after the codes: `# scalelint: ignore[CODE] why it is fine here`".into(),
            ));
        }
    }
    out
}

fn finding(
    cx: &Context<'_, '_>,
    (code, name, severity): Code,
    span: Span,
    message: String,
    help: String,
) -> Diagnostic {
    Diagnostic::new(code, name, severity, span, message)
        .with_help(help)
        .with_path(model_path(cx.tree, span))
}

/// A rule by exact code (any case) or name.
fn resolve<'r>(rules: &'r [RuleMeta], text: &str) -> Option<&'r RuleMeta> {
    rules
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(text) || r.name == text)
}

fn did_you_mean_rule<'r>(rules: &'r [RuleMeta], text: &str) -> Option<&'r str> {
    let mut known: Vec<&str> = rules.iter().map(|r| r.code.as_str()).collect();
    known.extend(rules.iter().map(|r| r.name.as_str()));
    did_you_mean(&text.to_ascii_uppercase(), &known).or_else(|| did_you_mean(text, &known))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Active,
    /// `until=` is before today: the date.
    Expired(NaiveDate),
    NotAllowed(&'static str),
}

/// One code of one suppression comment.
struct Entry {
    comment: usize,
    /// The rule's code, whether the comment wrote its code or its name.
    code: String,
    /// As the comment writes it.
    written: String,
    scope: Scope,
    state: State,
    used: bool,
}

#[derive(Debug, Clone)]
enum Scope {
    File,
    /// A line (1-based), and the spans of the entities whose `name` is on it.
    Line {
        line: u32,
        entities: Vec<Span>,
    },
}

impl Scope {
    fn covers(&self, line: u32, offset: u32) -> bool {
        match self {
            Scope::File => true,
            Scope::Line { line: l, entities } => {
                *l == line || entities.iter().any(|s| s.start <= offset && offset < s.end)
            }
        }
    }
}

/// The mappings that have a `name` key, by the line of that key.
struct EntityLines {
    by_line: Vec<(u32, Span)>,
}

impl EntityLines {
    fn new(tree: &Tree<'_>, line_of: &dyn Fn(u32) -> u32) -> EntityLines {
        let mut by_line = Vec::new();
        for id in 0..tree.len() as u32 {
            if !matches!(tree.node(id).kind(), NodeKind::Map { .. }) {
                continue;
            }
            if let Some((k, _)) = tree
                .map_entries(id)
                .find(|&(k, _)| tree.scalar_text(k) == Some("name"))
            {
                by_line.push((line_of(tree.node(k).span.start), tree.node(id).span));
            }
        }
        EntityLines { by_line }
    }

    fn on(&self, line: u32) -> Vec<Span> {
        self.by_line
            .iter()
            .filter(|(l, _)| *l == line)
            .map(|(_, s)| *s)
            .collect()
    }
}

/// The first line after `line` that is not only a comment: what an
/// own-line suppression (or a stack of them) applies to.
fn next_code_line(source: &str, lines: &LineIndex, line: u32) -> u32 {
    let mut next = line + 1;
    while let Some(start) = lines.line_start(next) {
        let end = lines.line_start(next + 1).unwrap_or(source.len());
        if !source[start..end].trim_start().starts_with('#') {
            break;
        }
        next += 1;
    }
    next
}

/// A `# scalelint:` comment.
#[derive(Debug, Clone, Copy)]
struct Comment {
    /// From the `#` to the end of the comment's text.
    span: Span,
    /// Nothing but blanks before the `#` on its line.
    own_line: bool,
    /// Where the text after `scalelint:` starts.
    body: usize,
}

const MARKER: &str = "scalelint:";

/// The directive comments of a file, in order.
fn find_comments(source: &str, tree: &Tree<'_>) -> Vec<Comment> {
    let mut found = Vec::new();
    let mut scalars: Option<Vec<(Span, bool)>> = None;
    for at in memchr::memmem::find_iter(source.as_bytes(), MARKER) {
        let line_start = source[..at].rfind(['\n', '\r']).map_or(0, |p| p + 1);
        let before = &source[line_start..at];
        let trimmed = before.trim_end_matches([' ', '\t']);
        let Some(hash) = trimmed.strip_suffix('#').map(|s| line_start + s.len()) else {
            continue;
        };
        let lead = &source[line_start..hash];
        // YAML: a comment starts a line or follows a blank.
        if !(lead.is_empty() || lead.ends_with([' ', '\t'])) {
            continue;
        }
        let scalars = scalars.get_or_insert_with(|| scalar_spans(source, tree));
        if inside_scalar(source, scalars, hash) {
            continue;
        }
        let line_end = source[at..]
            .find(['\n', '\r'])
            .map_or(source.len(), |p| at + p);
        let end = hash + source[hash..line_end].trim_end().len();
        found.push(Comment {
            span: Span::new(hash, end),
            own_line: lead.trim_start_matches(['\u{feff}', ' ', '\t']).is_empty(),
            body: at + MARKER.len(),
        });
    }
    found
}

/// Every scalar's span, sorted, with whether it is a block scalar.
fn scalar_spans(source: &str, tree: &Tree<'_>) -> Vec<(Span, bool)> {
    let mut spans: Vec<(Span, bool)> = (0..tree.len() as u32)
        .filter_map(|id| {
            let span = tree.node(id).span;
            match tree.node(id).kind() {
                // The parser's span of a quoted scalar in block context can
                // run on over a trailing comment: end it at its closing quote.
                NodeKind::Scalar {
                    style: Style::Quoted,
                    ..
                } => {
                    let end = quoted_end(source, span.start as usize).unwrap_or(span.end as usize);
                    Some((Span::new(span.start as usize, end), false))
                }
                NodeKind::Scalar { style, .. } => Some((span, style == Style::Block)),
                _ => None,
            }
        })
        .filter(|(s, _)| !s.is_empty())
        .collect();
    spans.sort_by_key(|(s, _)| s.start);
    spans
}

/// The end (past the closing quote) of the quoted scalar starting at `start`.
fn quoted_end(source: &str, start: usize) -> Option<usize> {
    let bytes = source.as_bytes();
    let quote = *bytes.get(start).filter(|&&b| b == b'"' || b == b'\'')?;
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Whether `at` is text of a scalar rather than a comment. A block
/// scalar's span starts at its `|`/`>` header, and a comment may follow
/// the header on the same line.
fn inside_scalar(source: &str, scalars: &[(Span, bool)], at: usize) -> bool {
    let i = scalars.partition_point(|(s, _)| s.start as usize <= at);
    let Some(&(span, block)) = i.checked_sub(1).and_then(|i| scalars.get(i)) else {
        return false;
    };
    if at >= span.end as usize {
        return false;
    }
    !block || source[span.start as usize..at].contains(['\n', '\r'])
}

/// A parsed directive.
#[derive(Debug)]
struct Directive {
    file_wide: bool,
    /// The codes or names as written, each with its span.
    codes: Vec<(String, Span)>,
    until: Option<NaiveDate>,
    reason: String,
}

/// A comment that starts like a directive but is not one.
#[derive(Debug)]
struct Malformed {
    span: Span,
    message: String,
    help: String,
}

const EXAMPLE: &str =
    "write `# scalelint: ignore[SL301] reason` or `# scalelint: ignore-file[SL109] reason`";

/// A date written exactly as YYYY-MM-DD (chrono alone also takes
/// `2026-1-5`).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    if text.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn parse(source: &str, c: &Comment) -> Result<Directive, Malformed> {
    let end = c.span.end as usize;
    let text = &source[c.body..end.max(c.body)];
    let start = c.body + (text.len() - text.trim_start().len());
    let text = text.trim_start();
    let bad = |message: String| Malformed {
        span: c.span,
        message,
        help: EXAMPLE.into(),
    };
    let word_len = text
        .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'))
        .unwrap_or(text.len());
    let word = &text[..word_len];
    let file_wide = match word {
        "ignore" => false,
        "ignore-file" => true,
        _ => {
            let mut m = bad(if word.is_empty() {
                "a `scalelint:` comment without a directive is not a suppression".into()
            } else {
                format!("`{word}` is not a suppression directive")
            });
            if let Some(k) = did_you_mean(word, &["ignore", "ignore-file"]) {
                m.help = format!("did you mean `{k}`?");
            }
            return Err(m);
        }
    };
    let rest = &text[word_len..];
    let Some(list) = rest.strip_prefix('[') else {
        return Err(bad(format!(
            "`{word}` without rule codes is not accepted: name the rules it hides, as in `{word}[SL301]`"
        )));
    };
    let list_start = start + word_len + 1;
    let Some(close) = list.find(']') else {
        return Err(bad(format!(
            "the code list of `{word}[` is not closed with `]`"
        )));
    };
    let mut codes = Vec::new();
    let mut offset = list_start;
    for part in list[..close].split(',') {
        let lead = part.len() - part.trim_start().len();
        let code = part.trim();
        if !code.is_empty() {
            let at = offset + lead;
            codes.push((code.to_owned(), Span::new(at, at + code.len())));
        }
        offset += part.len() + 1;
    }
    if codes.is_empty() {
        return Err(bad(format!(
            "`{word}[]` names no rule: name the rules it hides, as in `{word}[SL301]`"
        )));
    }
    let after_start = list_start + close + 1;
    let mut after = &source[after_start..end.max(after_start)];
    let mut until = None;
    let trimmed = after.trim_start();
    if let Some(date_text) = trimmed.strip_prefix("until=") {
        let date_len = date_text
            .find(char::is_whitespace)
            .unwrap_or(date_text.len());
        let date = &date_text[..date_len];
        let date_at = after_start + (after.len() - date_text.len());
        match parse_date(date) {
            Some(d) => until = Some(d),
            None => {
                return Err(Malformed {
                    span: Span::new(date_at, date_at + date.len()),
                    message: format!("`until={date}` is not a date: the suppression hides nothing"),
                    help: "write the date as YYYY-MM-DD, as in `until=2027-03-31`".into(),
                })
            }
        }
        after = &date_text[date_len..];
    }
    Ok(Directive {
        file_wide,
        codes,
        until,
        reason: after.trim().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comments(src: &str) -> Vec<String> {
        let tree = crate::load::tree::parse(src).unwrap();
        find_comments(src, &tree)
            .iter()
            .map(|c| src[c.span.range()].to_owned())
            .collect()
    }

    #[test]
    fn only_real_comments_are_directives() {
        let src = "a: \"x # scalelint: ignore[SL1] q\"  # scalelint: ignore[SL2] r\n\
                   b: 'y # scalelint: ignore[SL3]'\n\
                   c: |  # scalelint: ignore[SL4] header\n  # scalelint: ignore[SL5] content\n\
                   d: e#scalelint:ignore[SL6]\n\
                   # scalelint: ignore-file[SL7] own\n\
                   f: [1, # scalelint: ignore[SL8] flow\n  2]\n";
        assert_eq!(
            comments(src),
            [
                "# scalelint: ignore[SL2] r",
                "# scalelint: ignore[SL4] header",
                "# scalelint: ignore-file[SL7] own",
                "# scalelint: ignore[SL8] flow",
            ]
        );
    }

    fn parsed(text: &str) -> Result<Directive, Malformed> {
        let src = format!("a: 1 {text}\n");
        let tree = crate::load::tree::parse(&src).unwrap();
        let c = find_comments(&src, &tree)[0];
        parse(&src, &c)
    }

    #[test]
    fn directives_parse_codes_until_and_reason() {
        let d =
            parsed("# scalelint: ignore[SL301, server-cpu] until=2027-03-31 migration").unwrap();
        let codes: Vec<&str> = d.codes.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(codes, ["SL301", "server-cpu"]);
        assert_eq!(d.until, NaiveDate::from_ymd_opt(2027, 3, 31));
        assert_eq!(d.reason, "migration");
        assert!(!d.file_wide);
        let d = parsed("#scalelint:ignore-file[SL109]").unwrap();
        assert!(d.file_wide);
        assert_eq!(d.reason, "");
    }

    #[test]
    fn malformed_directives_say_why() {
        assert!(parsed("# scalelint: ignore reason")
            .unwrap_err()
            .message
            .contains("without rule codes"));
        assert!(parsed("# scalelint: ignore[] r")
            .unwrap_err()
            .message
            .contains("names no rule"));
        assert!(parsed("# scalelint: ignore[SL1 r")
            .unwrap_err()
            .message
            .contains("not closed"));
        let m = parsed("# scalelint: ingore[SL1] r").unwrap_err();
        assert_eq!(m.help, "did you mean `ignore`?");
        let m = parsed("# scalelint: ignore[SL1] until=2027-02-30 r").unwrap_err();
        assert!(m.message.contains("`until=2027-02-30` is not a date"));
    }
}
