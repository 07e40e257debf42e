//! `ploeg solve DIR --out OUT`: the main job. Solves, checks the plan with
//! the independent checker, writes the output folder all-or-nothing and
//! prints the summary.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Result};
use ploeg::domain::{BackendChoice, Scenario};
use ploeg::report::{self, html, Summary};
use ploeg::solve::{self, Backend, SolveOptions, Solved};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario folder.
    dir: PathBuf,
    /// Folder to write assignments.csv, unfilled.csv, teams.csv, load.csv and summary.json into.
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    solve: super::SolveFlags,
    #[command(flatten)]
    privacy: super::PrivacyFlags,
    /// Solve as one model instead of independent parts.
    #[arg(long)]
    no_decompose: bool,
    /// Print summary.json to stdout instead of the table.
    #[arg(long)]
    json: bool,
    /// Also write OUT/report.html, the page `ploeg report OUT` makes.
    #[arg(long, requires = "out")]
    report: bool,
    /// Write each stage model as CPLEX LP (FILE.lp) or free MPS (FILE.mps):
    /// stage 1 to FILE, stage k to FILE.<k>-<stage>.<ext> with the earlier
    /// stages held at the values found. The folder must exist.
    #[arg(long, value_name = "FILE")]
    export_model: Option<PathBuf>,
}

pub fn options(
    s: &Scenario,
    time_limit: Option<f64>,
    backend: Option<&str>,
) -> Result<SolveOptions> {
    let mut opts = SolveOptions::from_scenario(s).map_err(super::usage_error)?;
    if let Some(t) = time_limit {
        if !(t > 0.0 && t.is_finite()) {
            usage!("--time-limit must be a positive number of seconds");
        }
        opts.time_limit_s = t;
    }
    if let Some(b) = backend {
        let choice = match b {
            "microlp" => BackendChoice::Microlp,
            "highs" => BackendChoice::Highs,
            _ => BackendChoice::Auto,
        };
        opts.backend = Backend::resolve(choice).map_err(super::usage_error)?;
    }
    Ok(opts)
}

/// What a run records beside the plan.
#[derive(Default)]
pub struct Extras<'a> {
    /// The scenario folder, recorded in summary.json and checksummed in the report.
    pub scenario_dir: Option<&'a Path>,
    /// The command line, recorded in summary.json.
    pub command: Option<String>,
    /// Also write report.html.
    pub report: bool,
}

/// Solves, checks and writes; returns the summary.
pub fn solve_and_write(
    s: &Scenario,
    opts: &SolveOptions,
    out: Option<&Path>,
) -> Result<(Solved, Summary)> {
    solve_and_write_with(s, opts, out, &Extras::default())
}

/// [`solve_and_write`] that also records the run and can add the report.
pub fn solve_and_write_with(
    s: &Scenario,
    opts: &SolveOptions,
    out: Option<&Path>,
    extras: &Extras,
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
    let mut summary = Summary::new(s, &solved.report, components, violations);
    summary.command = extras.command.clone();
    summary.scenario_dir = extras.scenario_dir.map(|d| d.display().to_string());
    if let Some(out) = out {
        let mut files = report::plan_files(s, &solved.plan)?;
        files.push(("summary.json", serde_json::to_vec_pretty(&summary)?));
        if extras.report {
            // Made from the very bytes written, so it equals `ploeg report OUT`.
            let data = html::ReportData::from_files(&files).map_err(|e| {
                anyhow::anyhow!("internal error: the report cannot read the output: {e}")
            })?;
            let opts = html::Options {
                scenario: extras.scenario_dir.map(html::ScenarioFiles::read),
                ..Default::default()
            };
            files.push(("report.html", html::render(&data, &opts).html.into_bytes()));
        }
        report::output::write_folder(out, &files, extras.scenario_dir)?;
    }
    Ok((solved, summary))
}

pub fn run(a: Args) -> Result<ExitCode> {
    let s = a.privacy.apply(super::load(&a.dir)?)?;
    if let Some(path) = &a.export_model {
        // Refuse a wrong name before minutes of solving, not after.
        ploeg::model::export::Format::from_path(path).map_err(super::usage_error)?;
        ploeg::report::output::check_files(&[(
            path.as_path(),
            Some(ploeg::report::output::Written::Holding("ploeg model of")),
        )])?;
    }
    let mut opts = a.solve.options(&s)?;
    opts.decompose = !a.no_decompose;
    // The program as `ploeg`, not the path it was started from.
    let words: Vec<String> = std::iter::once("ploeg".to_string())
        .chain(
            std::env::args_os()
                .skip(1)
                .map(|w| w.to_string_lossy().to_string()),
        )
        .collect();
    let extras = Extras {
        scenario_dir: Some(&a.dir),
        // A pseudonymised run does not record a command line that may name people.
        command: (!a.privacy.pseudonymise).then(|| html::shell_line(&words)),
        report: a.report,
    };
    let (solved, summary) = solve_and_write_with(&s, &opts, a.out.as_deref(), &extras)?;
    let mut exported = String::new();
    if let Some(path) = &a.export_model {
        let files = ploeg::model::export::write_stages(&s, &solved.report.held_values(), path)
            .map_err(anyhow::Error::msg)?;
        for (file, columns, rows) in files {
            exported.push_str(&format!(
                "model: {} ({columns} columns, {rows} rows)\n",
                file.display()
            ));
        }
    }
    if a.json {
        super::print(&format!("{}\n", serde_json::to_string_pretty(&summary)?))?;
    } else {
        let out = a.out.as_ref().map(|o| o.display().to_string());
        let mut text = report::terminal::solve_summary(&summary, out.as_deref());
        if let (true, Some(out)) = (a.report, &out) {
            text.push_str(&format!("report: {out}/report.html\n"));
        }
        text.push_str(&exported);
        super::print(&text)?;
    }
    Ok(ExitCode::SUCCESS)
}
