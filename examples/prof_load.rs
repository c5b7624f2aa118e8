fn main() {
    let p = std::env::args().nth(1).unwrap();
    let s = std::fs::read_to_string(p).unwrap();
    let l = scalelint::load::tree::Limits {
        max_file_bytes: usize::MAX,
    };
    for _ in 0..3 {
        let loaded = scalelint::load::load_with(&s, l);
        let mut d = loaded.diagnostics;
        if let Some(m) = &loaded.model {
            let _ = scalelint::model::derived::Facts::new(m, None, 1.0, &mut d);
        }
    }
}
