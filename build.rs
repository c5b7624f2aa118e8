//! Embeds the built-in rule files (`rules/*.yaml`) into the binary, each
//! with the parsed tree of the part that compiles on every start, so that
//! no built-in rule is parsed at run time (`src/engine/embed.rs`).

// The loader's modules, compiled here for their tree builder only.
#![allow(dead_code)]

#[path = "src/engine/embed.rs"]
mod embed;
#[path = "src/load/input.rs"]
mod input; // tree.rs finds it as `super::input`
#[path = "src/span.rs"]
mod span;
#[path = "src/load/tree.rs"]
mod tree;

// embed.rs finds the tree builder as `crate::load::tree`.
mod load {
    pub(crate) use super::tree;
}

use std::fmt::Write as _;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    for shared in [
        "span.rs",
        "load/input.rs",
        "load/tree.rs",
        "engine/embed.rs",
    ] {
        println!("cargo:rerun-if-changed=src/{shared}");
    }
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    files.sort();
    let mut out = String::from("&[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .expect("rule file names are UTF-8");
        let text = std::fs::read_to_string(f).expect("rule files are readable UTF-8");
        let docs_at = embed::docs_cut(&text);
        writeln!(
            out,
            "embed::Builtin {{\n    path: {:?},\n    text: include_str!({:?}),\n    docs_at: {docs_at:?},",
            format!("rules/{name}"),
            f.display().to_string()
        )
        .unwrap();
        let source = embed::compiled_source(&text, docs_at);
        match tree::parse(&source) {
            // The run-time compile reports why, and the tests fail.
            Err(_) => out.push_str("    tree: None,\n"),
            Ok(tree) => write_tree(&mut out, &source, &tree.raw()),
        }
        out.push_str("},\n");
    }
    out.push(']');
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("builtin_rules.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}

fn write_tree(out: &mut String, source: &str, raw: &tree::RawTree<'_>) {
    writeln!(
        out,
        "    tree: Some(embed::EmbeddedTree {{\n        source: {source:?},"
    )
    .unwrap();
    out.push_str("        nodes: &[");
    for [start, end, kind] in &raw.nodes {
        write!(out, "[{start}, {end}, {kind}], ").unwrap();
    }
    out.push_str("],\n        children: &[");
    for c in raw.children {
        write!(out, "{c}, ").unwrap();
    }
    out.push_str("],\n        owned: &[");
    for t in raw.owned {
        write!(out, "{t:?}, ").unwrap();
    }
    writeln!(out, "],\n        root: {},\n    }}),", raw.root).unwrap();
}
