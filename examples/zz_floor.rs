fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let texts: Vec<String> = files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let n: usize = texts
        .iter()
        .map(|s| {
            saphyr_parser::Parser::new_from_str(s)
                .filter(Result::is_ok)
                .count()
        })
        .sum();
    println!("{n}");
}
