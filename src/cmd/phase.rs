//! `ploeg phase DIR --out OUT`: which projects to postpone, and by how
//! much, so that fewer required hours go unfilled; in plain words for the
//! building consultation.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use ploeg::phase;
use ploeg::report::{self, phase as phase_report};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario folder (projects.csv with a max_delay column).
    dir: PathBuf,
    /// Folder to write delays.csv, summary.json and the plan with the delays (assignments.csv, …) into.
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    solve: super::SolveFlags,
    /// Rounds of each re-solve's perturbation search without improvement.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(0..=1_000))]
    patience: u32,
    /// Print summary.json to stdout instead of the table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    privacy: super::PrivacyFlags,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let s = a.privacy.apply(super::load(&a.dir)?)?;
    if s.max_delay.is_empty() {
        usage!(
            "no project may be postponed: add a max_delay column to projects.csv (planning periods a project may start later)"
        );
    }
    let mut base_opts = a.solve.options(&s)?;
    // The time limit holds for the whole run: the plan as given gets a
    // third of it, the search for delays the rest.
    let limit = base_opts.time_limit_s;
    base_opts.deadline =
        Some(std::time::Instant::now() + std::time::Duration::from_secs_f64(limit));
    base_opts.time_limit_s = limit / 3.0;
    let mut quick = base_opts.clone();
    quick.heuristic_only = true;
    quick.patience = a.patience as usize;
    quick.time_limit_s = limit;
    let base = ploeg::solve::solve(&s, &base_opts).plan;

    let bar = if std::io::stdout().is_terminal() {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} delay combinations tried, {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let tick = || bar.inc(1);
    let p = phase::choose(&s, Arc::new(base), &quick, &tick);
    bar.finish_and_clear();

    let violations = ploeg::plan::check::check(&p.scenario, &p.after.plan);
    if !violations.is_empty() {
        bail!(
            "internal error: the plan breaks {} rule(s), nothing was written; please report this with the scenario",
            violations.len()
        );
    }
    let summary = phase_report::summary(&s, &p);
    if let Some(out) = &a.out {
        report::output::write_folder(out, &phase_report::files(&p, &summary)?, Some(&a.dir))?;
    }
    if a.json {
        super::print(&format!("{}\n", serde_json::to_string_pretty(&summary)?))?;
    } else {
        super::print(&phase_report::terminal(&summary, a.out.as_deref()))?;
    }
    Ok(ExitCode::SUCCESS)
}
