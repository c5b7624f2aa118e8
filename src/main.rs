use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Panics are caught per file and reported as internal errors; the
    // default hook's message and backtrace would only add noise.
    std::panic::set_hook(Box::new(|_| {}));
    let cli = scalelint::cli::Cli::parse();
    match scalelint::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("scalelint: error: {e}");
            ExitCode::from(2)
        }
    }
}
