//! `ploeg solve DIR --out OUT`: the main job. Solves, checks the plan with
//! the independent checker, writes the output folder all-or-nothing and
//! prints the summary.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Result};
use ploeg::domain::{BackendChoice, Scenario};
use ploeg::report::{self, Summary};
use ploeg::solve::{self, Backend, SolveOptions, Solved};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario folder.
    dir: PathBuf,
    /// Folder to write assignments.csv, unfilled.csv, teams.csv, load.csv and summary.json into.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Time limit in seconds (overrides scenario.toml).
    #[arg(long)]
    time_limit: Option<f64>,
    /// Solver backend: auto, microlp or highs (overrides scenario.toml).
    #[arg(long, value_parser = ["auto", "microlp", "highs"])]
    backend: Option<String>,
    /// Only the construction + local-search plan, no MILP (fast, no proof).
    #[arg(long)]
    heuristic_only: bool,
    /// Solve as one model instead of independent parts.
    #[arg(long)]
    no_decompose: bool,
    /// Print summary.json to stdout instead of the table.
    #[arg(long)]
    json: bool,
}

pub fn options(
    s: &Scenario,
    time_limit: Option<f64>,
    backend: Option<&str>,
) -> Result<SolveOptions> {
    let mut opts = SolveOptions::from_scenario(s).map_err(anyhow::Error::msg)?;
    if let Some(t) = time_limit {
        if !(t > 0.0 && t.is_finite()) {
            bail!("--time-limit must be a positive number of seconds");
        }
        opts.time_limit_s = t;
    }
    if let Some(b) = backend {
        let choice = match b {
            "microlp" => BackendChoice::Microlp,
            "highs" => BackendChoice::Highs,
            _ => BackendChoice::Auto,
        };
        opts.backend = Backend::resolve(choice).map_err(anyhow::Error::msg)?;
    }
    Ok(opts)
}

/// Solves, checks and writes; returns the summary.
pub fn solve_and_write(
    s: &Scenario,
    opts: &SolveOptions,
    out: Option<&Path>,
) -> Result<(Solved, Summary)> {
    let solved = solve::solve(s, opts);
    let violations = ploeg::plan::check::check(s, &solved.plan);
    let components = ploeg::plan::score::score(s, &solved.plan);
    if !violations.is_empty() {
        let list: Vec<String> = violations
            .iter()
            .map(|v| format!("[{}] {}", v.rule, v.message))
            .collect();
        bail!(
            "internal error: the plan breaks {} rule(s), nothing was written; please report this with the scenario:\n  {}",
            violations.len(),
            list.join("\n  ")
        );
    }
    let summary = Summary::new(s, &solved.report, components, violations);
    if let Some(out) = out {
        let mut files = report::plan_files(s, &solved.plan)?;
        files.push(("summary.json", serde_json::to_vec_pretty(&summary)?));
        report::write_atomically(out, &files, "summary.json")?;
    }
    Ok((solved, summary))
}

pub fn run(a: Args) -> Result<ExitCode> {
    let s = super::load(&a.dir)?;
    let mut opts = options(&s, a.time_limit, a.backend.as_deref())?;
    opts.heuristic_only = a.heuristic_only;
    opts.decompose = !a.no_decompose;
    let (_, summary) = solve_and_write(&s, &opts, a.out.as_deref())?;
    if a.json {
        super::print(&format!("{}\n", serde_json::to_string_pretty(&summary)?))?;
    } else {
        let out = a.out.as_ref().map(|o| o.display().to_string());
        super::print(&report::terminal::solve_summary(&summary, out.as_deref()))?;
    }
    Ok(ExitCode::SUCCESS)
}
