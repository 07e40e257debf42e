//! The output of `ploeg pool`: pool_comparison.csv (mode × municipality),
//! pool_flows.csv, pooled_people.csv, summary.json with the verdict, each
//! mode's full plan in its own folder, and the side-by-side terminal table.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::Result;
use serde::Serialize;

use super::{num, plan_files, Summary};
use crate::pool::verdict::{thousands, verdict};
use crate::pool::{Comparison, ModeResult, Skipped};
use crate::solve::Status;

fn ratio(v: f64) -> String {
    format!("{:.4}", v)
}

/// Totals of one mode, as summary.json lists them.
#[derive(Clone, Debug, Serialize)]
pub struct ModeSummary {
    pub mode: String,
    pub label: String,
    pub status: Status,
    pub backend: &'static str,
    pub seconds: f64,
    /// Gap of the first objective stage, when a bound is known.
    pub gap: Option<f64>,
    /// Required role-hours over the horizon asked, left open, and the
    /// open ones in FTE-years.
    pub required_role_hours: f64,
    pub unfilled_required_role_hours: f64,
    pub unfilled_required_fte_years: f64,
    /// Against the baseline (negative = fewer open role-hours).
    pub unfilled_role_hours_change: Option<f64>,
    pub blocked_phases: usize,
    pub phases_total: usize,
    /// Phases blocked in the baseline that this mode unblocks, as
    /// `project name (id) / phase`.
    pub unblocked: Vec<String>,
    pub balance: f64,
    /// Role-hours worked outside the worker's home municipality.
    pub pooled_role_hours: f64,
    pub people_pooled: usize,
    /// Open required role-hours more than alone, per municipality.
    pub worse_off: BTreeMap<String, f64>,
    pub unmet: Vec<String>,
}

/// Everything the pool summary.json holds.
#[derive(Clone, Debug, Serialize)]
pub struct PoolSummary {
    pub ploeg_version: &'static str,
    pub scenario: String,
    pub verdict: Vec<String>,
    pub baseline: Option<String>,
    pub max_net_lend: Option<f64>,
    pub no_one_loses: bool,
    pub modes: Vec<ModeSummary>,
    pub skipped: Vec<SkippedMode>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SkippedMode {
    pub mode: String,
    pub reason: String,
}

impl From<&Skipped> for SkippedMode {
    fn from(s: &Skipped) -> Self {
        SkippedMode {
            mode: s.mode.clone(),
            reason: s.reason.clone(),
        }
    }
}

fn totals(c: &Comparison, m: &ModeResult) -> ModeSummary {
    let sum = |f: &dyn Fn(&crate::pool::MuniFigures) -> f64| -> f64 {
        m.municipalities.iter().map(f).sum()
    };
    let needs: usize = m.municipalities.iter().map(|f| f.needs_total).sum();
    let covered: usize = m.municipalities.iter().map(|f| f.needs_covered).sum();
    let time = &m.components.time;
    let base_time = c.baseline().map(|b| &b.components.time);
    let s = &m.scenario;
    let unblocked = c
        .baseline()
        .map(|b| {
            b.blocked
                .difference(&m.blocked)
                .map(|&f| s.phase_label(f))
                .collect()
        })
        .unwrap_or_default();
    ModeSummary {
        unfilled_required_role_hours: time.unfilled_required_role_hours,
        unfilled_required_fte_years: time.unfilled_required_role_hours
            / (s.settings.fte_hours * 52.0),
        unfilled_role_hours_change: base_time
            .map(|b| time.unfilled_required_role_hours - b.unfilled_required_role_hours),
        blocked_phases: time.blocked_phases,
        phases_total: time.phases_total,
        unblocked,
        mode: m.name.clone(),
        label: m.label.clone(),
        status: m.solved.report.status,
        backend: m.solved.report.backend,
        seconds: (m.solved.report.seconds * 1000.0).round() / 1000.0,
        gap: m.solved.report.stages.first().and_then(|st| st.gap),
        required_role_hours: sum(&|f| f.required_role_hours),
        balance: if needs == 0 {
            1.0
        } else {
            covered as f64 / needs as f64
        },
        pooled_role_hours: sum(&|f| f.lent_role_hours),
        people_pooled: m.municipalities.iter().map(|f| f.people_lent).sum(),
        worse_off: c.losers(m).into_iter().collect(),
        unmet: m.unmet.iter().map(|v| v.message.clone()).collect(),
    }
}

/// The summary of a comparison.
pub fn summary(c: &Comparison, max_net_lend: Option<f64>, no_one_loses: bool) -> PoolSummary {
    PoolSummary {
        ploeg_version: env!("CARGO_PKG_VERSION"),
        scenario: c
            .modes
            .first()
            .map(|m| m.scenario.settings.name.clone())
            .unwrap_or_default(),
        verdict: verdict(c),
        baseline: c.baseline.clone(),
        max_net_lend,
        no_one_loses,
        modes: c.modes.iter().map(|m| totals(c, m)).collect(),
        skipped: c.skipped.iter().map(SkippedMode::from).collect(),
    }
}

/// Every file of the pool output folder, as (relative path, contents).
pub fn pool_files(c: &Comparison, summary: &PoolSummary) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    let base: BTreeMap<&str, f64> = c
        .baseline()
        .map(|b| {
            b.municipalities
                .iter()
                .map(|f| (f.municipality.as_str(), f.unfilled_required_role_hours))
                .collect()
        })
        .unwrap_or_default();

    let mut w = crate::report::csv_out::writer();
    w.write_record([
        "mode",
        "municipality",
        "people",
        "projects",
        "required_role_hours",
        "unfilled_required_role_hours",
        "unfilled_change",
        "phases",
        "blocked_phases",
        "balance",
        "needs_covered",
        "needs_total",
        "lent_role_hours",
        "borrowed_role_hours",
        "net_lent_role_hours",
        "peak_net_lent_hours_per_week",
        "home_share",
        "people_lent",
        "spread_thin",
    ])?;
    for m in &c.modes {
        for f in &m.municipalities {
            let change = base
                .get(f.municipality.as_str())
                .map(|b| num(f.unfilled_required_role_hours - b))
                .unwrap_or_default();
            w.write_record([
                m.name.as_str(),
                f.municipality.as_str(),
                &f.people.to_string(),
                &f.projects.to_string(),
                &num(f.required_role_hours),
                &num(f.unfilled_required_role_hours),
                &change,
                &f.phases.to_string(),
                &f.blocked_phases.to_string(),
                &ratio(f.balance),
                &f.needs_covered.to_string(),
                &f.needs_total.to_string(),
                &num(f.lent_role_hours),
                &num(f.borrowed_role_hours),
                &num(f.lent_role_hours - f.borrowed_role_hours),
                &num(f.peak_net_lent_hours_per_week),
                &ratio(f.home_share),
                &f.people_lent.to_string(),
                &f.spread_thin.to_string(),
            ])?;
        }
    }
    files.push(("pool_comparison.csv".to_string(), w.into_inner()?));

    let mut w = crate::report::csv_out::writer();
    w.write_record(["mode", "from", "to", "role_hours", "people"])?;
    for m in &c.modes {
        for f in &m.flows {
            w.write_record([
                m.name.as_str(),
                f.from.as_str(),
                f.to.as_str(),
                &num(f.role_hours),
                &f.people.to_string(),
            ])?;
        }
    }
    files.push(("pool_flows.csv".to_string(), w.into_inner()?));

    let mut w = crate::report::csv_out::writer();
    w.write_record([
        "mode",
        "rank",
        "person_id",
        "name",
        "home_municipality",
        "lent_role_hours",
        "serves",
    ])?;
    for m in &c.modes {
        for (k, p) in m.pooled_people.iter().enumerate() {
            w.write_record([
                m.name.as_str(),
                &(k + 1).to_string(),
                p.person_id.as_str(),
                p.name.as_str(),
                p.home.as_str(),
                &num(p.lent_role_hours),
                &p.serves.join("|"),
            ])?;
        }
    }
    files.push(("pooled_people.csv".to_string(), w.into_inner()?));

    for m in &c.modes {
        for (name, data) in plan_files(&m.scenario, &m.solved.plan)? {
            files.push((format!("{}/{name}", m.name), data));
        }
        let mut violations = m.unmet.clone();
        violations.sort_by(|a, b| a.message.cmp(&b.message));
        let s = Summary::new(
            &m.scenario,
            &m.solved.report,
            m.components.clone(),
            violations,
        );
        files.push((
            format!("{}/summary.json", m.name),
            serde_json::to_vec_pretty(&s)?,
        ));
    }
    files.push((
        "summary.json".to_string(),
        serde_json::to_vec_pretty(summary)?,
    ));
    Ok(files)
}

/// Per municipality, per mode: its open required role-hours and, when it
/// lends or borrows, the net role-hours lent in brackets.
fn municipality_cells(c: &Comparison) -> Vec<(String, Vec<String>)> {
    let Some(first) = c.modes.first() else {
        return Vec::new();
    };
    (0..first.municipalities.len())
        .map(|k| {
            let values = c
                .modes
                .iter()
                .map(|m| {
                    let f = &m.municipalities[k];
                    let net = f.lent_role_hours - f.borrowed_role_hours;
                    let open = thousands(f.unfilled_required_role_hours);
                    if net.abs() < 0.5 {
                        open
                    } else {
                        let sign = if net > 0.0 { "+" } else { "" };
                        format!("{open} ({sign}{})", thousands(net))
                    }
                })
                .collect();
            (first.municipalities[k].municipality.clone(), values)
        })
        .collect()
}

fn cell(v: &str, width: usize) -> String {
    format!("{v:>width$}")
}

/// The side-by-side terminal view: the verdict, totals per mode, unfilled
/// hours per municipality and the largest flows.
pub fn terminal(c: &Comparison, summary: &PoolSummary, out: Option<&str>) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "ploeg {} — pooling compared for {}: {} mode(s)\n",
        summary.ploeg_version,
        summary.scenario,
        c.modes.len()
    );
    for line in &summary.verdict {
        let _ = writeln!(o, "  {line}");
    }
    o.push('\n');
    let w = c
        .modes
        .iter()
        .map(|m| m.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(11);
    let mut row = |label: &str, values: Vec<String>| {
        let _ = write!(o, "  {label:<30}");
        for v in values {
            let _ = write!(o, " {}", cell(&v, w));
        }
        o.push('\n');
    };
    row(
        "",
        c.modes.iter().map(|m| m.name.clone()).collect::<Vec<_>>(),
    );
    let ms = &summary.modes;
    row(
        "required role-hours open",
        ms.iter()
            .map(|m| thousands(m.unfilled_required_role_hours))
            .collect(),
    );
    row(
        "  in FTE-years",
        ms.iter()
            .map(|m| format!("{:.1}", m.unfilled_required_fte_years))
            .collect(),
    );
    row(
        "phases blocked",
        ms.iter()
            .map(|m| format!("{} of {}", m.blocked_phases, m.phases_total))
            .collect(),
    );
    row(
        "cluster needs covered",
        ms.iter()
            .map(|m| format!("{:.1}%", 100.0 * m.balance))
            .collect(),
    );
    row(
        "role-hours worked elsewhere",
        ms.iter().map(|m| thousands(m.pooled_role_hours)).collect(),
    );
    row(
        "people pooled",
        ms.iter().map(|m| m.people_pooled.to_string()).collect(),
    );
    row(
        "municipalities worse off",
        ms.iter().map(|m| m.worse_off.len().to_string()).collect(),
    );
    row(
        "status",
        ms.iter()
            .map(|m| match (m.status, m.gap) {
                (Status::Optimal, _) => "optimal".to_string(),
                (_, Some(g)) => format!("gap {:.1}%", 100.0 * g),
                _ => "no bound".to_string(),
            })
            .collect(),
    );
    row(
        "seconds",
        ms.iter().map(|m| format!("{:.1}", m.seconds)).collect(),
    );

    let _ = writeln!(
        o,
        "\n  Open required role-hours per municipality (net lent role-hours)"
    );
    let table = municipality_cells(c);
    let w = table
        .iter()
        .flat_map(|(_, v)| v.iter().map(|x| x.chars().count()))
        .max()
        .unwrap_or(0)
        .max(w);
    for (name, values) in table {
        let _ = write!(o, "  {:<30}", name);
        for v in values {
            let _ = write!(o, " {}", cell(&v, w));
        }
        o.push('\n');
    }
    for m in &c.modes {
        if m.flows.is_empty() {
            continue;
        }
        let _ = writeln!(
            o,
            "\n  Largest flows under {} (from → to: role-hours, people)",
            m.name
        );
        for f in m.flows.iter().take(5) {
            let _ = writeln!(
                o,
                "    {} → {}: {} role-hours, {}",
                f.from,
                f.to,
                thousands(f.role_hours),
                f.people
            );
        }
    }
    if let Some(out) = out {
        let _ = writeln!(
            o,
            "\n  Written to {out}/: pool_comparison.csv, pool_flows.csv, pooled_people.csv, summary.json, and each mode's plan in {out}/<mode>/"
        );
    }
    o
}
