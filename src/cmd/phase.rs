//! `ploeg phase DIR --out OUT`: which projects to postpone, and by how
//! much, so that fewer required hours go unfilled; in plain words for the
//! building consultation.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use ploeg::phase::{self, Phasing};
use ploeg::pool::verdict::thousands;
use ploeg::report;
use serde::Serialize;

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
    #[arg(long, default_value_t = 5)]
    patience: usize,
    /// Print summary.json to stdout instead of the table.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct PhaseSummary<'a> {
    ploeg_version: &'static str,
    scenario: &'a str,
    verdict: Vec<String>,
    before: Figures,
    after: Figures,
    delays: &'a [phase::Delay],
    evaluations: usize,
}

#[derive(Serialize)]
struct Figures {
    weighted_unfilled: f64,
    unfilled_required_hours: f64,
    stalled_projects: usize,
    total_delay: u32,
}

fn figures(e: &phase::Evaluated) -> Figures {
    Figures {
        weighted_unfilled: e.weighted_unfilled,
        unfilled_required_hours: e.unfilled_required_hours,
        stalled_projects: e.stalled_projects,
        total_delay: e.delays.values().sum(),
    }
}

fn unit(s: &ploeg::domain::Scenario, n: u32) -> String {
    let word = match s.settings.period {
        ploeg::domain::PeriodKind::Week => "week",
        ploeg::domain::PeriodKind::Month => "month",
        ploeg::domain::PeriodKind::Quarter => "quarter",
    };
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn verdict(s: &ploeg::domain::Scenario, p: &Phasing) -> Vec<String> {
    let mut lines = Vec::new();
    if p.delays.is_empty() {
        lines.push(format!(
            "Postponing does not help: every project keeps its start. {} required hours a week stay unfilled.",
            thousands(p.before.unfilled_required_hours)
        ));
        return lines;
    }
    let list: Vec<String> = p
        .delays
        .iter()
        .map(|d| format!("{} ({}) by {}", d.project_id, d.name, unit(s, d.delay)))
        .collect();
    let gain = p.before.unfilled_required_hours - p.after.unfilled_required_hours;
    let pct = if p.before.unfilled_required_hours > 0.0 {
        format!(
            " (−{:.0}%)",
            100.0 * gain / p.before.unfilled_required_hours
        )
    } else {
        String::new()
    };
    let stall = p.before.stalled_projects as i64 - p.after.stalled_projects as i64;
    lines.push(format!(
        "Postpone {}: {} fewer required hours a week go unfilled{pct}{}.",
        list.join(", "),
        thousands(gain),
        match stall {
            0 => String::new(),
            n if n > 0 => format!(" and {n} fewer project(s) stall"),
            n => format!(", but {} more project(s) stall", -n),
        }
    ));
    for d in &p.delays {
        lines.push(format!(
            "{} starts {} instead of {}; starting on time would leave {} more required hours a week open.",
            d.project_id,
            d.new_start,
            d.start,
            thousands(d.buys_required_hours)
        ));
    }
    lines
}

pub fn run(a: Args) -> Result<ExitCode> {
    let s = super::load(&a.dir)?;
    if s.max_delay.is_empty() {
        bail!(
            "no project may be postponed: add a max_delay column to projects.csv (planning periods a project may start later)"
        );
    }
    let base_opts = a.solve.options(&s)?;
    let mut quick = base_opts.clone();
    quick.heuristic_only = true;
    quick.patience = a.patience;
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
    let summary = PhaseSummary {
        ploeg_version: env!("CARGO_PKG_VERSION"),
        scenario: &s.settings.name,
        verdict: verdict(&s, &p),
        before: figures(&p.before),
        after: figures(&p.after),
        delays: &p.delays,
        evaluations: p.evaluations,
    };
    if let Some(out) = &a.out {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "project_id",
            "name",
            "municipality",
            "priority",
            "max_delay",
            "delay",
            "start",
            "new_start",
            "buys_required_hours",
        ])?;
        for d in &p.delays {
            w.write_record([
                d.project_id.as_str(),
                d.name.as_str(),
                d.municipality.as_str(),
                &d.priority.to_string(),
                &d.max_delay.to_string(),
                &d.delay.to_string(),
                d.start.as_str(),
                d.new_start.as_str(),
                &format!("{}", (d.buys_required_hours * 100.0).round() / 100.0),
            ])?;
        }
        let mut files: Vec<(&str, Vec<u8>)> = vec![("delays.csv", w.into_inner()?)];
        files.extend(report::plan_files(&p.scenario, &p.after.plan)?);
        files.push(("summary.json", serde_json::to_vec_pretty(&summary)?));
        report::write_atomically(out, &files, "summary.json")?;
    }
    if a.json {
        super::print(&format!("{}\n", serde_json::to_string_pretty(&summary)?))?;
    } else {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "ploeg {} — postponing and phasing for {}\n",
            summary.ploeg_version, summary.scenario
        );
        for line in &summary.verdict {
            let _ = writeln!(o, "  {line}");
        }
        let _ = writeln!(
            o,
            "\n  {:<26} {:>14} {:>14}\n  {:<26} {:>14} {:>14}\n  {:<26} {:>14} {:>14}\n  {:<26} {:>14} {:>14}",
            "",
            "as planned",
            "with delays",
            "required h/week unfilled",
            thousands(summary.before.unfilled_required_hours),
            thousands(summary.after.unfilled_required_hours),
            "projects stalled",
            summary.before.stalled_projects,
            summary.after.stalled_projects,
            "total delay (periods)",
            0,
            summary.after.total_delay
        );
        let _ = writeln!(o, "\n  {} delay combinations tried", summary.evaluations);
        if let Some(out) = &a.out {
            let _ = writeln!(
                o,
                "  Written to {}/: delays.csv, summary.json, and the plan with the delays (assignments.csv, unfilled.csv, teams.csv, load.csv)",
                out.display()
            );
        }
        super::print(&o)?;
    }
    Ok(ExitCode::SUCCESS)
}
