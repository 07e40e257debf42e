//! Subcommands and their flags (clap derive). Flags are validated here and
//! turned into engine options; the engine never sees raw flags.

/// Returns a usage error (exit code 2) from the current function.
macro_rules! usage {
    ($($arg:tt)*) => {
        return Err(ploeg::input::UsageError(format!($($arg)*)).into())
    };
}

/// A usage error (exit code 2) as a value.
fn usage_error(message: impl std::fmt::Display) -> anyhow::Error {
    ploeg::input::UsageError(message.to_string()).into()
}

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

/// The most seconds a time limit may be: seven days.
pub const MAX_SECONDS: f64 = 7.0 * 24.0 * 3600.0;

/// A number from the command line: finite (NaN and infinity refused), in
/// `[lo, hi]`.
fn number_in(v: &str, lo: f64, hi: f64, what: &str) -> std::result::Result<f64, String> {
    let x: f64 = v
        .trim()
        .parse()
        .map_err(|_| format!("'{v}' is not a number"))?;
    if !x.is_finite() || x < lo || x > hi {
        return Err(format!("{what} must lie between {lo} and {hi}"));
    }
    Ok(x)
}

/// Seconds for a time limit: more than 0, at most seven days.
fn seconds(v: &str) -> std::result::Result<f64, String> {
    let x = number_in(v, 0.0, MAX_SECONDS, "a time limit in seconds")?;
    if x <= 0.0 {
        return Err("a time limit must be more than 0 seconds".into());
    }
    Ok(x)
}

/// A chance from 0 to 1.
fn chance(v: &str) -> std::result::Result<f64, String> {
    number_in(v, 0.0, 1.0, "a chance")
}

/// Hours per week, 0 to 100,000 (a municipality's total).
fn hours(v: &str) -> std::result::Result<f64, String> {
    number_in(v, 0.0, 100_000.0, "hours per week")
}

/// A level on an expertise or score scale.
fn level(v: &str) -> std::result::Result<f64, String> {
    number_in(v, -1_000.0, 1_000.0, "a level")
}

/// A share of the people's hours for generated demand.
fn load_share(v: &str) -> std::result::Result<f64, String> {
    number_in(v, 0.01, 10.0, "the load")
}

/// How a command solves its scenario (the base plan, or each mode).
#[derive(Debug, clap::Args)]
struct SolveFlags {
    /// Time limit in seconds, more than 0 and at most 604800 (7 days);
    /// overrides scenario.toml. It holds for the whole run of the command.
    #[arg(long, value_parser = seconds)]
    time_limit: Option<f64>,
    /// Solver backend: auto, microlp or highs (overrides scenario.toml).
    #[arg(long, value_parser = ["auto", "microlp", "highs"])]
    backend: Option<String>,
    /// Only the construction + local-search plan, no MILP (fast, no proof).
    #[arg(long)]
    heuristic_only: bool,
    /// Work budget: the search stops after this much counted work, so the
    /// same scenario and budget give the same plan on any machine (the time
    /// limit stays the safety net); overrides scenario.toml's [solver] work.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    work: Option<u64>,
}

impl SolveFlags {
    fn options(&self, s: &ploeg::domain::Scenario) -> Result<ploeg::solve::SolveOptions> {
        let mut o = solve::options(s, self.time_limit, self.backend.as_deref())?;
        o.heuristic_only = self.heuristic_only;
        if self.work.is_some() {
            o.work = self.work;
        }
        Ok(o)
    }
}

/// Pseudonymised output, the same flags in every command that writes names.
#[derive(Debug, clap::Args)]
struct PrivacyFlags {
    /// Replace every person's id and name in all output (files, terminal,
    /// report) by keyed pseudonyms that cannot be reversed by hashing ids.
    #[arg(long)]
    pseudonymise: bool,
    /// Key file for pseudonyms that stay the same across runs (created with
    /// a random key when missing; keep it secret). Without it every run
    /// draws a new key.
    #[arg(long, value_name = "FILE", requires = "pseudonymise")]
    pseudonym_key: Option<std::path::PathBuf>,
}

impl PrivacyFlags {
    fn pseudonymiser(&self) -> Result<Option<ploeg::report::pseudonym::Pseudonymiser>> {
        use ploeg::report::pseudonym::Pseudonymiser;
        if !self.pseudonymise {
            return Ok(None);
        }
        Ok(Some(match &self.pseudonym_key {
            Some(path) => Pseudonymiser::from_key_file(path)?,
            None => Pseudonymiser::random()?,
        }))
    }

    /// The scenario as the run's output shows it: with pseudonyms when asked.
    fn apply(&self, s: ploeg::domain::Scenario) -> Result<ploeg::domain::Scenario> {
        Ok(match self.pseudonymiser()? {
            Some(mut p) => p.scenario(&s),
            None => s,
        })
    }
}

/// Text for the terminal: control and bidi characters from user text are
/// dropped, and escape sequences other than ploeg's own colours
/// (`ESC [ digits ; … m`) lose their ESC, so a name cannot clear the
/// screen or retitle the window.
pub fn terminal_safe(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut o = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\u{1b}' {
            let mut j = i + 1;
            let colour = chars.get(j) == Some(&'[') && {
                j += 1;
                while chars
                    .get(j)
                    .is_some_and(|c| c.is_ascii_digit() || *c == ';')
                {
                    j += 1;
                }
                chars.get(j) == Some(&'m')
            };
            if colour {
                o.extend(&chars[i..=j]);
                i = j + 1;
                continue;
            }
        } else if !ploeg::report::csv_out::is_stray_control(c) {
            o.push(c);
        }
        i += 1;
    }
    o
}

/// Writes to stdout, passing a broken pipe up as an error `main` ignores.
fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(terminal_safe(text).as_bytes())?;
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
    scenario: &std::path::Path,
) -> Result<()> {
    let mut refs: Vec<(&str, Vec<u8>)> =
        files.iter().map(|(n, d)| (n.as_str(), d.clone())).collect();
    if report {
        let html = html_of(&refs)?;
        refs.push(("report.html", html));
    }
    ploeg::report::output::write_folder(out, &refs, Some(scenario))?;
    Ok(())
}

/// Loads a scenario folder; input errors keep their type for exit code 2.
fn load(dir: &std::path::Path) -> Result<ploeg::domain::Scenario> {
    Ok(ploeg::input::load(dir)?)
}

#[cfg(test)]
mod tests {
    use super::terminal_safe;

    #[test]
    fn names_cannot_drive_the_terminal_but_colours_stay() {
        assert_eq!(
            terminal_safe("Rajesh\u{1b}[2J\u{1b}]0;PWNED\u{7}"),
            "Rajesh[2J]0;PWNED"
        );
        assert_eq!(
            terminal_safe("\u{1b}[32myes\u{1b}[0m"),
            "\u{1b}[32myes\u{1b}[0m"
        );
        assert_eq!(terminal_safe("a\u{202E}b\n"), "ab\n");
    }
}
