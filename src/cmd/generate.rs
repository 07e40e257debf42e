//! `ploeg generate`: a seeded synthetic scenario folder.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use ploeg::generate::{generate, GenerateParams};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of people.
    #[arg(long, default_value_t = 60)]
    people: usize,
    /// Number of municipalities (of the large-scale housing areas).
    #[arg(long, default_value_t = 3)]
    municipalities: usize,
    /// Number of projects (default: derived from the number of people).
    #[arg(long)]
    projects: Option<usize>,
    /// Mean demand as a share of the people's hours (default: drawn between 1.12 and 1.2).
    #[arg(long, value_parser = super::load_share)]
    load: Option<f64>,
    /// Seed: the same seed gives the same scenario.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Folder to write the scenario into.
    #[arg(long)]
    out: PathBuf,
    /// Print what was written as JSON (folder, sizes, seed, files).
    #[arg(long)]
    json: bool,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let params = GenerateParams {
        people: a.people,
        municipalities: a.municipalities,
        projects: a.projects,
        seed: a.seed,
        load: a.load,
    };
    let g = generate(&params).map_err(super::usage_error)?;
    let files: Vec<(&str, Vec<u8>)> = g
        .files
        .iter()
        .map(|(n, c)| (n.as_str(), c.as_bytes().to_vec()))
        .collect();
    ploeg::report::output::write_folder(&a.out, &files, None)
        .with_context(|| format!("writing the scenario to {}", a.out.display()))?;
    if a.json {
        let j = serde_json::json!({
            "out": a.out.display().to_string(),
            "people": a.people,
            "municipalities": a.municipalities,
            "seed": a.seed,
            "files": g.files.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        });
        super::print(&format!("{}\n", serde_json::to_string_pretty(&j)?))?;
        return Ok(ExitCode::SUCCESS);
    }
    super::print(&format!(
        "wrote {} ({} people, {} municipalities, seed {})\n",
        a.out.display(),
        a.people,
        a.municipalities,
        a.seed
    ))?;
    Ok(ExitCode::SUCCESS)
}
