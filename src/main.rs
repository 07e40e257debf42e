//! The `ploeg` command line: argument parsing and glue only. Each
//! subcommand lives in `src/cmd/<name>.rs`; the engine is the library.
//! Errors are mapped to exit codes here, in one place.

mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Ctrl-C or SIGTERM: remove this run's temporary files and locks (after
    // any move into place has finished), so an interrupted run leaves the
    // earlier output as it was and nothing half-written beside it.
    let _ = ctrlc::set_handler(|| {
        ploeg::report::output::clean_up_pending();
        eprintln!("interrupted: nothing was written");
        std::process::exit(130);
    });
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
                eprint!("error: {}", cmd::terminal_safe(&input.to_string()));
                return ExitCode::from(2);
            }
            let usage = err.downcast_ref::<ploeg::input::UsageError>().is_some();
            eprintln!("error: {}", cmd::terminal_safe(&format!("{err:#}")));
            // 2: the input or the command line; 3: anything else (a failed
            // write, an internal error). 1 is only `check`'s broken plan.
            ExitCode::from(if usage { 2 } else { 3 })
        }
    }
}
