//! The baseline (docs/baseline.md): today's findings, recorded so that
//! later checks report only new ones.
//!
//! A finding is keyed by its file, its rule code and the model path of its
//! primary node (`services[api].metrics.cpu`), never by line or column, so
//! edits elsewhere in a file leave the baseline valid; a count per key
//! covers findings that share one. File paths are stored relative to the
//! baseline file's directory, so a check run from another directory still
//! matches them.

use crate::report::Report;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The version of the baseline file's shape.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

/// One recorded key and how many findings it stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub file: String,
    pub code: String,
    pub path: String,
    pub count: usize,
}

type Key = (String, String, String);

/// A baseline in memory: counts by (file, code, model path).
#[derive(Debug, Clone)]
pub struct Baseline {
    /// The absolute directory the file keys are relative to.
    dir: PathBuf,
    counts: BTreeMap<Key, usize>,
}

impl Baseline {
    /// Reads a baseline file; `cwd` is what relative paths start from.
    pub fn read(path: &Path, cwd: &Path) -> Result<Baseline, String> {
        let shown = path.display();
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "{shown}: cannot read the baseline: {}",
                crate::discover::io_reason(&e)
            )
        })?;
        let file: BaselineFile = serde_json::from_str(&text).map_err(|e| {
            let message = e.to_string();
            let message = message
                .rfind(" at line ")
                .map_or(message.as_str(), |i| &message[..i]);
            format!(
                "{shown}:{}:{}: not a scalelint baseline: {message}; write one with `scalelint baseline FILE… -o {shown}`",
                e.line(),
                e.column()
            )
        })?;
        if file.version != FORMAT_VERSION {
            return Err(format!(
                "{shown}: baseline version {} is not supported (this scalelint reads version {FORMAT_VERSION})",
                file.version
            ));
        }
        let mut counts = BTreeMap::new();
        for e in file.findings {
            *counts.entry((e.file, e.code, e.path)).or_insert(0) += e.count;
        }
        Ok(Baseline {
            dir: dir_of(path, cwd),
            counts,
        })
    }

    /// Records every finding of a report, for a baseline to be written at `path`.
    pub fn record(report: &Report, path: &Path, cwd: &Path) -> Baseline {
        let mut b = Baseline {
            dir: dir_of(path, cwd),
            counts: BTreeMap::new(),
        };
        for (key, n) in b.current(report, cwd) {
            b.counts.insert(key, n);
        }
        b
    }

    /// The baseline file's text: pretty JSON, entries sorted, a final newline.
    pub fn to_json(&self) -> String {
        let file = BaselineFile {
            version: FORMAT_VERSION,
            findings: self.entries(),
        };
        let mut out = serde_json::to_string_pretty(&file).expect("strings and integers only");
        out.push('\n');
        out
    }

    pub fn entries(&self) -> Vec<Entry> {
        self.counts
            .iter()
            .filter(|(_, &n)| n > 0)
            .map(|((file, code, path), &count)| Entry {
                file: file.clone(),
                code: code.clone(),
                path: path.clone(),
                count,
            })
            .collect()
    }

    /// The total number of findings recorded.
    pub fn len(&self) -> usize {
        self.counts.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Hides the report's findings that the baseline records (counting
    /// them in each file's `baselined`), and returns the entries of the
    /// checked files that matched nothing, with the count left over.
    pub fn apply(&self, report: &mut Report, cwd: &Path) -> Vec<Entry> {
        let mut left = self.counts.clone();
        let mut checked = BTreeSet::new();
        for f in &mut report.files {
            let file = self.file_key(&f.path, cwd);
            let before = f.diagnostics.len();
            f.diagnostics.retain(|d| {
                let key = (file.clone(), d.code.to_string(), d.path.clone());
                match left.get_mut(&key) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        false
                    }
                    _ => true,
                }
            });
            f.baselined += before - f.diagnostics.len();
            checked.insert(file);
        }
        left.into_iter()
            .filter(|((file, _, _), n)| *n > 0 && checked.contains(file))
            .map(|((file, code, path), count)| Entry {
                file,
                code,
                path,
                count,
            })
            .collect()
    }

    /// The baseline without what no longer matches: for each key of a
    /// checked file, the smaller of the recorded and the current count.
    /// Keys of files not checked are kept; nothing is added.
    pub fn prune(&self, report: &Report, cwd: &Path) -> Baseline {
        let current = self.current(report, cwd);
        let checked: BTreeSet<String> = report
            .files
            .iter()
            .map(|f| self.file_key(&f.path, cwd))
            .collect();
        let counts = self
            .counts
            .iter()
            .filter_map(|(key, &n)| {
                let n = if checked.contains(&key.0) {
                    n.min(current.get(key).copied().unwrap_or(0))
                } else {
                    n
                };
                (n > 0).then(|| (key.clone(), n))
            })
            .collect();
        Baseline {
            dir: self.dir.clone(),
            counts,
        }
    }

    /// The report's findings, counted by key.
    fn current(&self, report: &Report, cwd: &Path) -> BTreeMap<Key, usize> {
        let mut counts = BTreeMap::new();
        for f in &report.files {
            let file = self.file_key(&f.path, cwd);
            for d in &f.diagnostics {
                *counts
                    .entry((file.clone(), d.code.to_string(), d.path.clone()))
                    .or_insert(0) += 1;
            }
        }
        counts
    }

    /// A reported file path as the baseline keys it: relative to the
    /// baseline's directory, `/`-separated.
    fn file_key(&self, reported: &str, cwd: &Path) -> String {
        let abs = super::normalize(&cwd.join(reported));
        super::relative_to(&self.dir, &abs)
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }
}

fn dir_of(path: &Path, cwd: &Path) -> PathBuf {
    let abs = super::normalize(&cwd.join(path));
    abs.parent().map(Path::to_path_buf).unwrap_or(abs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Severity};
    use crate::report::FileResult;
    use crate::span::{LineIndex, Span};

    /// A report of one file with `n` findings that share a key.
    fn report(n: usize) -> Report {
        let d = Diagnostic::new(
            "SL503",
            "replica-count",
            Severity::Error,
            Span::empty(0),
            "m",
        )
        .with_path("databases[db].replicas.count");
        Report {
            files: vec![FileResult {
                path: "shop.arch.yaml".into(),
                source: String::new(),
                lines: LineIndex::new(""),
                diagnostics: vec![d; n],
                suppressed: 0,
                baselined: 0,
            }],
        }
    }

    #[test]
    fn findings_that_share_a_key_are_counted() {
        let cwd = Path::new("/repo");
        let b = Baseline::record(&report(2), Path::new("bl.json"), cwd);
        assert_eq!(b.entries()[0].count, 2);
        let text = b.to_json();
        assert!(text.contains("\"count\": 2"), "{text}");

        // A third finding with the same key is new: it stays visible.
        let mut now = report(3);
        assert!(b.apply(&mut now, cwd).is_empty());
        assert_eq!(
            (now.files[0].diagnostics.len(), now.files[0].baselined),
            (1, 2)
        );

        // One left: one entry is stale, and pruning keeps a count of 1.
        let mut now = report(1);
        let stale = b.apply(&mut now, cwd);
        assert_eq!(stale.len(), 1);
        assert_eq!(stale[0].count, 1);
        assert_eq!(b.prune(&report(1), cwd).entries()[0].count, 1);
        assert!(b.prune(&report(0), cwd).is_empty());
    }
}
