//! The output of `ploeg phase`: delays.csv, summary.json with the verdict,
//! the plan with the delays, and the terminal view.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use super::{num, plan_files};
use crate::domain::{PeriodKind, Scenario};
use crate::phase::{self, Phasing};
use crate::pool::verdict::thousands;

/// Everything the phase summary.json holds.
#[derive(Serialize)]
pub struct PhaseSummary<'a> {
    pub ploeg_version: &'static str,
    pub scenario: &'a str,
    pub verdict: Vec<String>,
    pub before: Figures,
    pub after: Figures,
    pub delays: &'a [phase::Delay],
    pub evaluations: usize,
    /// What the time limit cut short, if anything.
    pub notes: Vec<String>,
}

/// Before or after the delays.
#[derive(Serialize)]
pub struct Figures {
    pub weighted_unfilled: f64,
    pub unfilled_required_role_hours: f64,
    pub blocked_phases: usize,
    pub total_delay: u32,
}

/// The figures of one set of delays.
pub fn figures(e: &phase::Evaluated) -> Figures {
    Figures {
        weighted_unfilled: e.weighted_unfilled,
        unfilled_required_role_hours: e.unfilled_required_role_hours,
        blocked_phases: e.blocked_phases,
        total_delay: e.delays.values().sum(),
    }
}

fn unit(s: &Scenario, n: u32) -> String {
    let word = match s.settings.period {
        PeriodKind::Week => "week",
        PeriodKind::Month => "month",
        PeriodKind::Quarter => "quarter",
    };
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The verdict in plain words for the building consultation.
pub fn verdict(s: &Scenario, p: &Phasing) -> Vec<String> {
    let mut lines = Vec::new();
    if p.delays.is_empty() {
        lines.push(format!(
            "Postponing does not help: every project keeps its start. {} required role-hours stay open.",
            thousands(p.before.unfilled_required_role_hours)
        ));
        return lines;
    }
    let list: Vec<String> = p
        .delays
        .iter()
        .map(|d| format!("{} ({}) by {}", d.name, d.project_id, unit(s, d.delay)))
        .collect();
    let (before, after) = (
        p.before.unfilled_required_role_hours,
        p.after.unfilled_required_role_hours,
    );
    let gain = before - after;
    let pct = if before > 0.0 {
        format!(" (−{:.0}%)", 100.0 * gain / before)
    } else {
        String::new()
    };
    let fte = |v: f64| v / (s.settings.fte_hours * 52.0);
    let blocked = p.before.blocked_phases as i64 - p.after.blocked_phases as i64;
    lines.push(format!(
        "Postpone {}: {} fewer required role-hours ({:.1} FTE-years) stay open{pct}{}.",
        list.join(", "),
        thousands(gain),
        fte(gain),
        match blocked {
            0 => String::new(),
            n if n > 0 => format!(" and {n} fewer phase(s) are blocked"),
            n => format!(", but {} more phase(s) are blocked", -n),
        }
    ));
    let others = if p.delays.len() > 1 {
        " (the other delays kept)"
    } else {
        ""
    };
    for d in &p.delays {
        lines.push(format!(
            "{} starts {} instead of {}; starting it on time{others} would leave {} more required role-hours open.",
            d.project_id,
            d.new_start,
            d.start,
            thousands(d.buys_required_role_hours)
        ));
    }
    lines
}

/// The summary of a phasing.
pub fn summary<'a>(s: &'a Scenario, p: &'a Phasing) -> PhaseSummary<'a> {
    PhaseSummary {
        ploeg_version: env!("CARGO_PKG_VERSION"),
        scenario: &s.settings.name,
        verdict: verdict(s, p),
        before: figures(&p.before),
        after: figures(&p.after),
        delays: &p.delays,
        evaluations: p.evaluations,
        notes: if p.cut_short {
            vec![format!(
                "the time limit ended the search after {} delay combinations; the delays shown are the best found by then",
                p.evaluations
            )]
        } else {
            Vec::new()
        },
    }
}

/// Every file of the output folder.
pub fn files(p: &Phasing, summary: &PhaseSummary) -> Result<Vec<(&'static str, Vec<u8>)>> {
    let mut w = crate::report::csv_out::writer();
    w.write_record([
        "project_id",
        "name",
        "municipality",
        "priority",
        "max_delay",
        "delay",
        "start",
        "new_start",
        "buys_weighted_unfilled",
        "buys_required_role_hours",
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
            &num(d.buys_weighted_unfilled),
            &num(d.buys_required_role_hours),
        ])?;
    }
    let mut files: Vec<(&'static str, Vec<u8>)> = vec![("delays.csv", w.into_inner()?)];
    files.extend(plan_files(&p.scenario, &p.after.plan)?);
    files.push(("summary.json", serde_json::to_vec_pretty(summary)?));
    Ok(files)
}

/// The terminal view.
pub fn terminal(summary: &PhaseSummary, out: Option<&Path>) -> String {
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
        "required role-hours open",
        thousands(summary.before.unfilled_required_role_hours),
        thousands(summary.after.unfilled_required_role_hours),
        "phases blocked",
        summary.before.blocked_phases,
        summary.after.blocked_phases,
        "total delay (periods)",
        summary.before.total_delay,
        summary.after.total_delay
    );
    let _ = writeln!(o, "\n  {} delay combinations tried", summary.evaluations);
    for n in &summary.notes {
        let _ = writeln!(o, "  note: {n}");
    }
    if let Some(out) = out {
        let _ = writeln!(
            o,
            "  Written to {}/: delays.csv, summary.json, and the plan with the delays (assignments.csv, unfilled.csv, teams.csv, load.csv, capacity.csv, projects.csv)",
            out.display()
        );
    }
    o
}
