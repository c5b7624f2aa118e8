use clap::Parser as _;
use std::process::ExitCode;

fn main() -> ExitCode {
    scalelint::tune_allocator();
    // Panics are caught per file and reported as internal errors; the
    // default hook's message and backtrace would only add noise.
    std::panic::set_hook(Box::new(|_| {}));
    let cli = match scalelint::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // One paragraph, as every exit-2 error: clap's first line.
            let text = e.render().to_string();
            let first = text.lines().next().unwrap_or("invalid arguments");
            eprintln!(
                "scalelint: {}; see `scalelint --help`",
                first.trim_start_matches("error: ")
            );
            return ExitCode::from(2);
        }
    };
    match scalelint::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("scalelint: error: {e}");
            ExitCode::from(2)
        }
    }
}
