fn main() {
    for path in std::env::args().skip(1) {
        let src = std::fs::read_to_string(&path).unwrap();
        let loaded = scalelint::load::load(&src);
        let idx = scalelint::span::LineIndex::new(&src);
        let mut diags = loaded.diagnostics;
        if let Some(m) = &loaded.model {
            let f = scalelint::model::derived::Facts::new(m, None, 1.0, &mut diags);
            println!("{path}: stage {} {:?}", f.stage, f.stage_source);
        }
        for d in diags {
            let p = idx.position(&src, d.span.start);
            let path = loaded
                .tree
                .as_ref()
                .map(|t| scalelint::load::model_path(t, d.span))
                .unwrap_or_default();
            println!(
                "  {}:{} {} {} [{}] {:?}",
                p.line, p.column, d.code, d.message, path, d.help
            );
        }
    }
}
