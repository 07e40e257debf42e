//! `ploeg demo`: solves the bundled demo scenario (data/demo) into a given
//! or temporary folder and prints the summary.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the output (default: a new temporary folder).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The demo scenario folder (default: data/demo).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Print summary.json to stdout instead of the table.
    #[arg(long)]
    json: bool,
}

fn demo_dir() -> Option<PathBuf> {
    [
        PathBuf::from("data/demo"),
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/demo"),
    ]
    .into_iter()
    .find(|p| p.join("people.csv").exists())
}

pub fn run(a: Args) -> Result<ExitCode> {
    let Some(dir) = a.data.or_else(demo_dir) else {
        usage!("cannot find data/demo; run from the ploeg folder or give --data DIR");
    };
    let s = super::load(&dir)?;
    let opts = super::solve::options(&s, None, None)?;
    let out = match a.out {
        Some(o) => o,
        None => tempfile::Builder::new()
            .prefix("ploeg-demo-")
            .tempdir()?
            .keep()
            .join("out"),
    };
    let (_, summary) = super::solve::solve_and_write(&s, &opts, Some(&out))?;
    if a.json {
        super::print(&format!("{}\n", serde_json::to_string_pretty(&summary)?))?;
        return Ok(ExitCode::SUCCESS);
    }
    super::print(&ploeg::report::terminal::solve_summary(
        &summary,
        Some(&out.display().to_string()),
    ))?;
    Ok(ExitCode::SUCCESS)
}
