//! `scalelint lsp`: a Language Server on standard input/output (CLI.md).
//!
//! Full document sync; every open, change and save lints the editor's text
//! with the rules and the config that `check` would use for a file in the
//! document's directory. Positions are in UTF-16 code units, LSP's default
//! encoding, converted from the linter's byte offsets here. Hover shows the
//! docs of the rules reported under the cursor; code actions offer a
//! diagnostic's fix and a suppression comment.

use crate::config::{self, Plan};
use crate::diagnostic::{Diagnostic, Severity};
use crate::report::{rule_url, FileResult};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types as lsp;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What the command line gives the server.
pub struct Options {
    /// Directories of custom rules (`--rules`), added to every document's run.
    pub rules: Vec<PathBuf>,
    /// `--today`; default: the date when each document is linted.
    pub today: Option<chrono::NaiveDate>,
}

/// Runs the server until the client shuts it down or closes the stream.
pub fn run(options: Options) -> Result<(), String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let rules: Vec<PathBuf> = options.rules.iter().map(|d| cwd.join(d)).collect();
    // A broken `--rules` directory fails the start, not every document.
    Plan::new(None, &cli_options(&rules, options.today, &cwd))?;

    let (connection, io_threads) = Connection::stdio();
    let (id, _params) = connection
        .initialize_start()
        .map_err(|e| format!("LSP initialize: {e}"))?;
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": {"name": "scalelint", "version": env!("CARGO_PKG_VERSION")},
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| format!("LSP initialize: {e}"))?;
    let mut server = Server {
        connection,
        rules,
        today: options.today,
        cwd,
        docs: HashMap::new(),
        shown_errors: HashSet::new(),
    };
    server.main_loop()?;
    drop(server);
    io_threads.join().map_err(|e| format!("LSP transport: {e}"))
}

fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::FULL),
                save: Some(lsp::TextDocumentSyncSaveOptions::SaveOptions(
                    lsp::SaveOptions {
                        include_text: Some(true),
                    },
                )),
                ..Default::default()
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..Default::default()
            },
        )),
        ..Default::default()
    }
}

fn cli_options<'a>(
    rules: &'a [PathBuf],
    today: Option<chrono::NaiveDate>,
    cwd: &'a Path,
) -> config::CliOptions<'a> {
    config::CliOptions {
        select: &[],
        ignore: &[],
        rules,
        stage: None,
        load: 1.0,
        today: today.unwrap_or_else(|| chrono::Local::now().date_naive()),
        cwd,
    }
}

/// An open document and what its last lint found.
struct Document {
    uri: lsp::Uri,
    version: Option<i32>,
    /// The linter's diagnostics, each with its LSP form.
    diagnostics: Vec<(Diagnostic, lsp::Diagnostic)>,
    /// Fixes and suppression edits need the text's lines.
    result: Option<FileResult>,
    /// Hover text per rule code reported in the document.
    rule_docs: HashMap<String, String>,
}

struct Server {
    connection: Connection,
    rules: Vec<PathBuf>,
    today: Option<chrono::NaiveDate>,
    cwd: PathBuf,
    docs: HashMap<lsp::Uri, Document>,
    /// Config errors already shown to the user, so each is shown once.
    shown_errors: HashSet<String>,
}

impl Server {
    fn main_loop(&mut self) -> Result<(), String> {
        while let Ok(message) = self.connection.receiver.recv() {
            match message {
                Message::Request(req) => {
                    match self.connection.handle_shutdown(&req) {
                        Ok(true) => return Ok(()),
                        Ok(false) => {}
                        // No `exit` after `shutdown`: stop all the same.
                        Err(_) => return Ok(()),
                    }
                    let response = self.request(req);
                    self.send(Message::Response(response));
                }
                Message::Notification(n) if n.method == "exit" => return Ok(()),
                Message::Notification(n) => self.notification(n),
                Message::Response(_) => {}
            }
        }
        Ok(())
    }

    fn send(&self, message: Message) {
        // The client went away: the receiving loop ends on its own.
        let _ = self.connection.sender.send(message);
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let result = match req.method.as_str() {
            "textDocument/hover" => parse(req.params).map(|p| to_value(self.hover(p))),
            "textDocument/codeAction" => parse(req.params).map(|p| to_value(self.code_actions(p))),
            _ => {
                return Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("scalelint does not handle `{}`", req.method),
                )
            }
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err(message) => Response::new_err(id, ErrorCode::InvalidParams as i32, message),
        }
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            "textDocument/didOpen" => {
                if let Ok(p) = parse::<lsp::DidOpenTextDocumentParams>(n.params) {
                    let d = p.text_document;
                    self.update(d.uri, Some(d.version), d.text);
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = parse::<lsp::DidChangeTextDocumentParams>(n.params) {
                    // Full sync: the last change holds the whole text.
                    if let Some(change) = p.content_changes.into_iter().last() {
                        let d = p.text_document;
                        self.update(d.uri, Some(d.version), change.text);
                    }
                }
            }
            "textDocument/didSave" => {
                if let Ok(p) = parse::<lsp::DidSaveTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    let version = self.docs.get(&uri).and_then(|d| d.version);
                    let text = p.text.or_else(|| {
                        self.docs
                            .get(&uri)
                            .and_then(|d| d.result.as_ref().map(|r| r.source.clone()))
                    });
                    if let Some(text) = text {
                        self.update(uri, version, text);
                    }
                }
            }
            "textDocument/didClose" => {
                if let Ok(p) = parse::<lsp::DidCloseTextDocumentParams>(n.params) {
                    let uri = p.text_document.uri;
                    self.docs.remove(&uri);
                    self.publish(uri, Vec::new(), None);
                }
            }
            _ => {}
        }
    }

    /// Lints a document's text and publishes its diagnostics.
    fn update(&mut self, uri: lsp::Uri, version: Option<i32>, text: String) {
        let doc = self.lint(uri.clone(), version, text);
        let lsp_diagnostics = doc.diagnostics.iter().map(|(_, d)| d.clone()).collect();
        self.docs.insert(uri.clone(), doc);
        self.publish(uri, lsp_diagnostics, version);
    }

    fn publish(&self, uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>, version: Option<i32>) {
        let params = lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Message::Notification(Notification::new(
            "textDocument/publishDiagnostics".into(),
            params,
        )));
    }

    fn show_error(&mut self, message: String) {
        if !self.shown_errors.insert(message.clone()) {
            return;
        }
        let params = lsp::ShowMessageParams {
            typ: lsp::MessageType::WARNING,
            message: format!("scalelint: {message}"),
        };
        self.send(Message::Notification(Notification::new(
            "window/showMessage".into(),
            params,
        )));
    }

    /// The plan `check` would make in `dir`: its config, or none when
    /// there is none or it is broken (the error is shown once).
    fn plan(&mut self, dir: &Path) -> Option<Plan> {
        let cli = cli_options(&self.rules, self.today, dir);
        match crate::cli::plan(dir, None, false, &cli) {
            Ok(plan) => Some(plan),
            Err(e) => {
                let fallback = crate::cli::plan(dir, None, true, &cli);
                self.show_error(format!("{e}; checking without the config"));
                match fallback {
                    Ok(plan) => Some(plan),
                    Err(e) => {
                        self.show_error(e.to_string());
                        None
                    }
                }
            }
        }
    }

    fn lint(&mut self, uri: lsp::Uri, version: Option<i32>, text: String) -> Document {
        let mut doc = Document {
            uri,
            version,
            diagnostics: Vec::new(),
            result: None,
            rule_docs: HashMap::new(),
        };
        let path = file_path(&doc.uri);
        let dir = path
            .as_deref()
            .and_then(Path::parent)
            .filter(|d| d.is_dir())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.cwd.clone());
        let Some(plan) = self.plan(&dir) else {
            return doc;
        };
        let name = match &path {
            Some(p) => p.display().to_string(),
            None => doc.uri.as_str().to_owned(),
        };
        let linters = match plan.linters(std::slice::from_ref(&name)) {
            Ok(l) => l,
            Err(e) => {
                self.show_error(e);
                return doc;
            }
        };
        let (linters, which) = linters;
        let linter = &linters[which[0]];
        // A panic (a bug) loses this lint only, not the server.
        let result = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            linter.check_source(name.clone(), text)
        })) {
            Ok(r) => r,
            Err(_) => {
                self.show_error(format!(
                    "internal error while checking {name}. Please report this with the file."
                ));
                return doc;
            }
        };
        for d in &result.diagnostics {
            let converted = to_lsp(&doc.uri, &result, d);
            doc.diagnostics.push((d.clone(), converted));
            if !doc.rule_docs.contains_key(d.code.as_str()) {
                doc.rule_docs
                    .insert(d.code.to_string(), rule_markdown(plan.rule_set(), &d.code));
            }
        }
        doc.result = Some(result);
        doc
    }

    fn hover(&self, p: lsp::HoverParams) -> Option<lsp::Hover> {
        let at = p.text_document_position_params.position;
        let doc = self
            .docs
            .get(&p.text_document_position_params.text_document.uri)?;
        let mut seen = HashSet::new();
        let mut parts = Vec::new();
        let mut range = None;
        for (d, l) in &doc.diagnostics {
            if contains(l.range, at) && seen.insert(d.code.as_str()) {
                range.get_or_insert(l.range);
                parts.push(doc.rule_docs.get(d.code.as_str())?.clone());
            }
        }
        if parts.is_empty() {
            return None;
        }
        Some(lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: parts.join("\n\n---\n\n"),
            }),
            range,
        })
    }

    fn code_actions(&self, p: lsp::CodeActionParams) -> Vec<lsp::CodeActionOrCommand> {
        let mut out = Vec::new();
        if let Some(only) = &p.context.only {
            if !only.iter().any(|k| {
                lsp::CodeActionKind::QUICKFIX
                    .as_str()
                    .starts_with(k.as_str())
            }) {
                return out;
            }
        }
        let Some(doc) = self.docs.get(&p.text_document.uri) else {
            return out;
        };
        let Some(result) = &doc.result else {
            return out;
        };
        let action = |title: String, edit: lsp::TextEdit, d: &lsp::Diagnostic, preferred| {
            lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title,
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(lsp::WorkspaceEdit::new(HashMap::from([(
                    doc.uri.clone(),
                    vec![edit],
                )]))),
                is_preferred: Some(preferred),
                ..Default::default()
            })
        };
        for (d, l) in &doc.diagnostics {
            if !overlaps(l.range, p.range) {
                continue;
            }
            if let Some(fix) = &d.fix {
                let edit = lsp::TextEdit {
                    range: lsp::Range::new(
                        position(result, fix.span.start),
                        position(result, fix.span.end),
                    ),
                    new_text: fix.replacement.clone(),
                };
                let title = format!("{}: replace with `{}`", d.code, fix.replacement);
                out.push(action(title, edit, l, true));
            }
            let end = line_end(result, l.range.start.line);
            let edit = lsp::TextEdit {
                range: lsp::Range::new(end, end),
                new_text: format!(" # scalelint: ignore[{}] reason", d.code),
            };
            let title = format!("{}: suppress with a reason", d.code);
            out.push(action(title, edit, l, false));
        }
        out
    }
}

fn parse<T: serde::de::DeserializeOwned>(params: serde_json::Value) -> Result<T, String> {
    serde_json::from_value(params).map_err(|e| format!("invalid params: {e}"))
}

fn to_value<T: serde::Serialize>(value: T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// Whether `at` is in `range` (an empty range contains its one position).
fn contains(range: lsp::Range, at: lsp::Position) -> bool {
    range.start <= at && (at < range.end || range.start == range.end && at == range.start)
}

fn overlaps(a: lsp::Range, b: lsp::Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The diagnostic as LSP sends it: ranges in UTF-16 code units, the help
/// on a line of its own, the labels as related information.
fn to_lsp(uri: &lsp::Uri, file: &FileResult, d: &Diagnostic) -> lsp::Diagnostic {
    let range = |span: crate::span::Span| {
        lsp::Range::new(position(file, span.start), position(file, span.end))
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push('\n');
        message.push_str(help);
    }
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .map(|l| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), range(l.span)),
            message: l.message.clone(),
        })
        .collect();
    lsp::Diagnostic {
        range: range(d.span),
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        }),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        code_description: rule_url(&d.code)
            .parse()
            .ok()
            .map(|href| lsp::CodeDescription { href }),
        source: Some("scalelint".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        // CLI.md "Fixes": the LSP output includes the fix.
        data: d.fix.as_ref().map(
            |f| serde_json::json!({"fix": {"range": range(f.span), "replacement": f.replacement}}),
        ),
    }
}

/// The byte offset where a 0-based line starts in the text as the client
/// has it (a byte order mark, if sent, is part of line 0).
fn line_start(file: &FileResult, line: u32) -> usize {
    if line == 0 {
        return 0;
    }
    file.lines
        .line_start(line + 1)
        .unwrap_or(file.source.len())
        .min(file.source.len())
}

/// A byte offset as an LSP position: 0-based line, UTF-16 code units
/// into the line.
pub fn position(file: &FileResult, offset: u32) -> lsp::Position {
    let text = &file.source;
    // `position` clamps to the text and to a character boundary.
    let p = file.lines.position(text, offset);
    let line = p.line - 1;
    let start = line_start(file, line).min(p.offset as usize);
    let character = text[start..p.offset as usize].encode_utf16().count();
    lsp::Position::new(line, character as u32)
}

/// The end of a 0-based line, before its line break.
fn line_end(file: &FileResult, line: u32) -> lsp::Position {
    let text = &file.source;
    let start = line_start(file, line);
    let next = if (line as usize + 1) < file.lines.line_count() {
        line_start(file, line + 1)
    } else {
        text.len()
    };
    let content = text[start..next.max(start)].trim_end_matches(['\n', '\r']);
    lsp::Position::new(line, content.encode_utf16().count() as u32)
}

/// A rule's documentation for a hover: `scalelint explain`'s text.
fn rule_markdown(set: &crate::engine::RuleSet, code: &str) -> String {
    let url = rule_url(code);
    if let Some(rule) = set.get(code) {
        return format!(
            "**{} {}** ([docs]({url}))\n\n```text\n{}\n```",
            rule.code,
            rule.name,
            crate::engine::docs::explain(rule).trim_end()
        );
    }
    match crate::registry::loader_rules()
        .into_iter()
        .find(|r| r.code == code)
    {
        Some(r) => format!(
            "**{} {}** ({}, stages: all) ([docs]({url}))\n\n{}",
            r.code, r.name, r.severity, r.summary
        ),
        None => format!("**{code}** ([docs]({url}))"),
    }
}

/// The local path of a `file:` URI, percent-decoded.
fn file_path(uri: &lsp::Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file:///p` and `file://localhost/p`; other hosts are not local.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let bytes = rest.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                decoded.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        decoded.push(bytes[i]);
        i += 1;
    }
    let path = String::from_utf8(decoded).ok()?;
    // Windows: `/C:/dir` is `C:/dir`.
    let path = match path.as_bytes() {
        [b'/', d, b':', ..] if cfg!(windows) && d.is_ascii_alphabetic() => path[1..].to_owned(),
        _ => path,
    };
    Some(PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> FileResult {
        FileResult {
            path: "t.yaml".into(),
            source: text.into(),
            lines: crate::span::LineIndex::new(text),
            diagnostics: Vec::new(),
            suppressed: 0,
            baselined: 0,
        }
    }

    #[test]
    fn utf16_positions() {
        // `日本` is 6 bytes and 2 UTF-16 units; `𝄞` is 4 bytes and 2 units:
        // `x` is at byte 14 of its line, character 7, UTF-16 unit 8.
        let text = "a: 1\n# 日本 𝄞 x: 2\r\nlast";
        let f = file(text);
        let x = text.find('x').unwrap() as u32;
        assert_eq!(position(&f, x), lsp::Position::new(1, 8));
        assert_eq!(position(&f, 0), lsp::Position::new(0, 0));
        let last = text.find("last").unwrap() as u32;
        assert_eq!(position(&f, last + 4), lsp::Position::new(2, 4));
        assert_eq!(line_end(&f, 1), lsp::Position::new(1, 12));
        assert_eq!(line_end(&f, 2), lsp::Position::new(2, 4));
    }

    #[test]
    fn file_uris() {
        let uri: lsp::Uri = "file:///tmp/caf%C3%A9%20x/a.yaml".parse().unwrap();
        assert_eq!(file_path(&uri), Some(PathBuf::from("/tmp/café x/a.yaml")));
        let uri: lsp::Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(file_path(&uri), None);
    }
}
