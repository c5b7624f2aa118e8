//! Finding the description files to check: explicit files as given,
//! directories walked for the include globs, honouring `.gitignore`.

use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};

/// The default include globs (FORMAT.md's default file names).
pub const DEFAULT_INCLUDE: &[&str] = &[
    "**/*.arch.yaml",
    "**/*.arch.yml",
    "**/architecture.yaml",
    "**/architecture.yml",
];

/// Compiles glob patterns, or says which one is malformed.
pub fn globset(patterns: &[String]) -> Result<GlobSet, String> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(Glob::new(p).map_err(|e| format!("invalid glob `{p}`: {e}"))?);
    }
    b.build().map_err(|e| e.to_string())
}

pub struct Discovery {
    pub files: Vec<PathBuf>,
}

/// Expands the paths: files are kept as given (whatever their name), and
/// directories are walked for files matching `include` and not `exclude`.
pub fn discover(
    paths: &[PathBuf],
    include: &GlobSet,
    exclude: &GlobSet,
) -> Result<Discovery, String> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path)
            .map_err(|e| format!("{}: {}", path.display(), io_reason(&e)))?;
        if !meta.is_dir() {
            files.push(path.clone());
            continue;
        }
        let mut found = Vec::new();
        let walker = ignore::WalkBuilder::new(path)
            .hidden(false)
            .require_git(false)
            .filter_entry(|e| e.file_name() != ".git")
            .build();
        for entry in walker {
            let entry = entry.map_err(|e| e.to_string())?;
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let rel = entry.path().strip_prefix(path).unwrap_or(entry.path());
            if include.is_match(rel) && !exclude.is_match(rel) && !exclude.is_match(entry.path()) {
                found.push(clean(entry.path()));
            }
        }
        found.sort();
        files.extend(found);
    }
    Ok(Discovery { files })
}

/// `./a/b.arch.yaml` → `a/b.arch.yaml`: paths found by walking are shown
/// relative to the current directory.
fn clean(p: &Path) -> PathBuf {
    p.strip_prefix(".")
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| p.to_path_buf())
}

pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
