//! `scalelint graph` against real renderers: Graphviz's `dot -Tsvg` renders
//! every fixture's dot output, and the Mermaid output parses with the real
//! mermaid parser (tests/graph/, installed with `npm install` by .ci/run).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/examples"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(".arch.yaml"))
            .collect();
    out.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/SL006/fail.arch.yaml"));
    out.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/SL308/fail.arch.yaml"));
    out.sort();
    out
}

fn graph(file: &Path, format: &str) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_scalelint"))
        .args(["graph", "--today", "2026-11-28", "--format", format])
        .arg(file)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn dot_output_renders_with_graphviz() {
    if !common::client("dot", &["-V"], "apt-get install graphviz") {
        return;
    }
    for f in fixtures() {
        let text = graph(&f, "dot");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.dot");
        std::fs::write(&path, &text).unwrap();
        let o = Command::new("dot")
            .arg("-Tsvg")
            .arg(&path)
            .output()
            .expect("Graphviz's `dot` is installed (Debian package graphviz)");
        assert!(
            o.status.success(),
            "{}: dot failed: {}\n{text}",
            f.display(),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("<svg"),
            "{}",
            f.display()
        );
    }
}

#[test]
fn mermaid_output_parses_with_the_mermaid_parser() {
    let installed = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/graph/node_modules/mermaid");
    if !common::client(
        "test",
        &["-d", installed.to_str().unwrap()],
        "npm ci in tests/graph",
    ) {
        return;
    }
    let parser = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/graph");
    assert!(
        parser.join("node_modules/mermaid").is_dir(),
        "the mermaid parser is not installed: run `npm install` in tests/graph"
    );
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, f) in fixtures().iter().enumerate() {
        let path = dir.path().join(format!("g{i}.mmd"));
        std::fs::write(&path, graph(f, "mermaid")).unwrap();
        files.push(path);
    }
    let o = Command::new("node")
        .arg(parser.join("parse.mjs"))
        .args(&files)
        .output()
        .expect("node runs");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}");
    assert_eq!(
        out.lines()
            .filter(|l| l.contains("\"ok\":true") && l.contains("flowchart"))
            .count(),
        files.len(),
        "{out}"
    );
}

#[test]
fn edges_and_findings_are_marked() {
    let cycle =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/examples/stage3-problems.arch.yaml");
    let dot = graph(&cycle, "dot");
    // accounts → profiles → accounts is the SL006 cycle: both edges highlighted.
    let names: Vec<&str> = dot.lines().filter(|l| l.contains("label=")).collect();
    let id = |name: &str| {
        let line = names
            .iter()
            .find(|l| l.contains(&format!("label=\"{name}\"")))
            .unwrap();
        line.trim().split(' ').next().unwrap().to_owned()
    };
    let (accounts, profiles) = (id("accounts"), id("profiles"));
    for (a, b) in [(&accounts, &profiles), (&profiles, &accounts)] {
        let edge = dot
            .lines()
            .find(|l| l.trim().starts_with(&format!("{a} -> {b} ")))
            .unwrap();
        assert!(edge.contains("color=\"#d62728\""), "{edge}");
    }
    // Async edges are dashed; services with errors are red.
    assert!(dot.contains("style=dashed"));
    let checkout = names
        .iter()
        .find(|l| l.contains("label=\"checkout\""))
        .unwrap();
    assert!(checkout.contains("color=\"#d62728\""), "{checkout}");
    let mermaid = graph(&cycle, "mermaid");
    assert!(
        mermaid.contains("-.->") && mermaid.contains("linkStyle") && mermaid.contains("class ")
    );
}
