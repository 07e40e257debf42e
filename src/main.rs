//! The `ploeg` command line: argument parsing and glue only. Each
//! subcommand lives in `src/cmd/<name>.rs`; the engine is the library.
//! Errors are mapped to exit codes here, in one place.

mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // `ploeg … | head` closing the pipe is not an error.
            if err.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            if let Some(input) = err.downcast_ref::<ploeg::input::InputErrors>() {
                eprint!("error: {input}");
                return ExitCode::from(2);
            }
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}
