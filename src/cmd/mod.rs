//! Subcommands and their flags (clap derive). Flags are validated here and
//! turned into engine options; the engine never sees raw flags.

mod assess;
mod bank;
mod check;
mod demo;
mod generate;
mod profile;
mod rank;
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
        Command::Assess(a) => assess::run(a),
        Command::Profile(a) => profile::run(a),
        Command::Bank(a) => bank::run(a),
        Command::Rank(a) => rank::run(a),
    }
}

/// Writes to stdout, passing a broken pipe up as an error `main` ignores.
fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Loads a scenario folder; input errors keep their type for exit code 2.
fn load(dir: &std::path::Path) -> Result<ploeg::domain::Scenario> {
    Ok(ploeg::input::load(dir)?)
}
