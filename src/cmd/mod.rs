//! Subcommands and their flags (clap derive). Flags are validated here and
//! turned into engine options; the engine never sees raw flags.

mod assess;
mod bank;
mod check;
mod demo;
mod generate;
mod phase;
mod pool;
mod profile;
mod rank;
mod report;
mod resilience;
mod solve;
mod validate;

use std::io::Write;

use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

/// Assess staff competencies and compose balanced teams for large-scale
/// housing development.
#[derive(Debug, Parser)]
#[command(name = "ploeg", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a scenario folder and report every problem with file, line and column.
    Validate(validate::Args),
    /// Compute an optimal staffing plan and explain it.
    Solve(solve::Args),
    /// Check a plan (e.g. one made by hand) against every hard rule and score it.
    Check(check::Args),
    /// Write a synthetic scenario that looks real.
    Generate(generate::Args),
    /// Solve the bundled demo scenario and print the summary.
    Demo(demo::Args),
    /// Compare pooling modes (alone, agreements, per province, everyone) per municipality.
    Pool(pool::Args),
    /// Key people (N-1), bus factors and absence sampling, with and without pooling.
    Resilience(resilience::Args),
    /// Which projects to postpone, and by how much, so fewer required hours go unfilled.
    Phase(phase::Args),
    /// Write a self-contained HTML report of a solve output folder.
    Report(report::Args),
    /// Turn raw assessment item scores into the five cluster levels per person.
    Assess(assess::Args),
    /// A person against the role profiles, or a phase team against its needs.
    Profile(profile::Args),
    /// The competency bank: who has an expertise, at what level, with how much time.
    Bank(bank::Args),
    /// Rank candidates by profile fit and by what each adds to the whole portfolio.
    Rank(rank::Args),
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Validate(a) => validate::run(a),
        Command::Solve(a) => solve::run(a),
        Command::Check(a) => check::run(a),
        Command::Generate(a) => generate::run(a),
        Command::Demo(a) => demo::run(a),
        Command::Pool(a) => pool::run(a),
        Command::Resilience(a) => resilience::run(a),
        Command::Phase(a) => phase::run(a),
        Command::Report(a) => report::run(a),
        Command::Assess(a) => assess::run(a),
        Command::Profile(a) => profile::run(a),
        Command::Bank(a) => bank::run(a),
        Command::Rank(a) => rank::run(a),
    }
}

/// How a command solves its scenario (the base plan, or each mode).
#[derive(Debug, clap::Args)]
struct SolveFlags {
    /// Time limit in seconds (overrides scenario.toml; in `pool`, per mode).
    #[arg(long)]
    time_limit: Option<f64>,
    /// Solver backend: auto, microlp or highs (overrides scenario.toml).
    #[arg(long, value_parser = ["auto", "microlp", "highs"])]
    backend: Option<String>,
    /// Only the construction + local-search plan, no MILP (fast, no proof).
    #[arg(long)]
    heuristic_only: bool,
}

impl SolveFlags {
    fn options(&self, s: &ploeg::domain::Scenario) -> Result<ploeg::solve::SolveOptions> {
        let mut o = solve::options(s, self.time_limit, self.backend.as_deref())?;
        o.heuristic_only = self.heuristic_only;
        Ok(o)
    }
}

/// Writes to stdout, passing a broken pipe up as an error `main` ignores.
fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// The HTML report of output files about to be written (as `ploeg report`
/// makes it from the folder afterwards).
fn html_of(files: &[(&str, Vec<u8>)]) -> Result<Vec<u8>> {
    let data = ploeg::report::html::ReportData::from_files(files)
        .map_err(|e| anyhow::anyhow!("internal error: the report cannot read the output: {e}"))?;
    let opts = ploeg::report::html::Options::default();
    Ok(ploeg::report::html::render(&data, &opts).html.into_bytes())
}

/// Writes output files all-or-nothing into `out`, with `report.html` made
/// from them when asked.
fn write_with_report(
    out: &std::path::Path,
    files: &[(String, Vec<u8>)],
    report: bool,
) -> Result<()> {
    let mut refs: Vec<(&str, Vec<u8>)> =
        files.iter().map(|(n, d)| (n.as_str(), d.clone())).collect();
    if report {
        let html = html_of(&refs)?;
        refs.push(("report.html", html));
    }
    ploeg::report::write_atomically(out, &refs, "summary.json")?;
    Ok(())
}

/// Loads a scenario folder; input errors keep their type for exit code 2.
fn load(dir: &std::path::Path) -> Result<ploeg::domain::Scenario> {
    Ok(ploeg::input::load(dir)?)
}
