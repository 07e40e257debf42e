//! The output of `ploeg resilience`: key_people.csv, bus_factor.csv,
//! absence.csv, absence_summary.csv, summary.json and the terminal view.

use std::fmt::Write as _;

use anyhow::Result;

use super::num;
use serde::Serialize;

use crate::plan::score::Components;
use crate::pool::verdict::thousands;
use crate::resilience::sample::{distribution, Distribution, Sample};
use crate::resilience::{BusFactor, KeyPerson};

/// Distributions of one way of solving (with or without pooling).
#[derive(Clone, Debug, Serialize)]
pub struct AbsenceFigures {
    pub pooling: &'static str,
    /// Required role-hours over the horizon left open, and blocked phases.
    pub unfilled_required_role_hours: Distribution,
    pub blocked_phases: Distribution,
    /// The same figures of the base plan, nobody absent.
    pub base_unfilled_required_role_hours: f64,
    pub base_blocked_phases: usize,
    /// Stage 1 of the base plan: priority-weighted open role-hours over
    /// the horizon, what the plan is optimised for.
    pub base_weighted_unfilled: f64,
}

/// Everything summary.json holds.
#[derive(Clone, Debug, Serialize)]
pub struct ResilienceSummary {
    pub ploeg_version: &'static str,
    pub scenario: String,
    pub people: usize,
    /// The base plan (nobody absent): open required role-hours, blocked
    /// phases.
    pub base_unfilled_required_role_hours: f64,
    pub base_blocked_phases: usize,
    /// People whose absence blocks a phase more or leaves more than
    /// `key_fte_months` FTE-months of required work open, by a full
    /// re-plan.
    pub key_people: usize,
    /// People re-planned in full after the quick screen.
    pub replanned: usize,
    pub key_fte_months: f64,
    pub top_key_people: Vec<KeyPerson>,
    /// Bus-factor rows flagged `none` or `single`.
    pub fragile: usize,
    pub samples: usize,
    pub absence_chance: f64,
    pub turnover_chance: f64,
    pub seed: u64,
    pub absence: Vec<AbsenceFigures>,
    pub warm_start: bool,
    pub seconds: Seconds,
    pub verdict: Vec<String>,
    /// What the time limit left out, if anything.
    pub notes: Vec<String>,
}

/// Wall time of each part.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Seconds {
    pub base: f64,
    pub n_minus_one: f64,
    pub absence: f64,
}

/// Distributions per pooling way, `with` first.
pub fn absence_figures(
    samples: &[Sample],
    base_with: &Components,
    base_without: &Components,
) -> Vec<AbsenceFigures> {
    [("with", base_with), ("without", base_without)]
        .into_iter()
        .map(|(pooling, c)| {
            let rows: Vec<&Sample> = samples.iter().filter(|x| x.pooling == pooling).collect();
            let role: Vec<f64> = rows
                .iter()
                .map(|x| x.unfilled_required_role_hours)
                .collect();
            let blocked: Vec<f64> = rows.iter().map(|x| x.blocked_phases as f64).collect();
            AbsenceFigures {
                pooling,
                unfilled_required_role_hours: distribution(&role),
                blocked_phases: distribution(&blocked),
                base_unfilled_required_role_hours: c.time.unfilled_required_role_hours,
                base_blocked_phases: c.time.blocked_phases,
                base_weighted_unfilled: c.weighted_unfilled,
            }
        })
        .collect()
}

/// The verdict in plain words.
pub fn verdict(s: &ResilienceSummary, bus: &[BusFactor]) -> Vec<String> {
    let mut lines = Vec::new();
    let top: Vec<String> = s
        .top_key_people
        .iter()
        .filter(|k| k.key)
        .take(3)
        .map(|k| {
            format!(
                "{} ({}, {} role-hours{})",
                k.name,
                k.municipality,
                thousands(k.extra_unfilled_required_role_hours),
                if k.extra_blocked_phases > 0 {
                    format!(", {} more phase(s) blocked", k.extra_blocked_phases)
                } else {
                    String::new()
                }
            )
        })
        .collect();
    let month = if (s.key_fte_months - 1.0).abs() < 1e-9 {
        "one FTE-month".to_string()
    } else {
        format!("{} FTE-months", s.key_fte_months)
    };
    if top.is_empty() {
        lines.push(format!(
            "Nobody is a key person: no single absence blocks a phase or leaves more than {month} of required work open."
        ));
    } else {
        lines.push(format!(
            "{} of the {} people re-planned in full (the first {} of the quick screen of all {}) are key: without them a phase is blocked or more than {month} of required work stays open; most: {}.",
            s.key_people,
            s.replanned,
            s.replanned,
            s.people,
            top.join("; ")
        ));
    }
    let none: Vec<&BusFactor> = bus
        .iter()
        .filter(|b| b.flag == "none" && b.pooled == 0)
        .collect();
    let single: Vec<&BusFactor> = bus.iter().filter(|b| b.alone == 1).collect();
    let rescued = bus.iter().filter(|b| b.alone <= 1 && b.pooled >= 2).count();
    lines.push(format!(
        "{} field(s) or discipline(s) asked for by a municipality have nobody at all, {} hang on one person of its own; pooling gives {} of these a second person.",
        none.len(),
        single.len(),
        rescued
    ));
    if let (Some(w), Some(wo)) = (s.absence.first(), s.absence.get(1)) {
        if s.samples > 0 {
            lines.push(format!(
                "With each person absent at a {:.0}% chance{}, open required role-hours rise from {} to {} on average ({} in 1 of 10 samples) with pooling, and to {} ({}) without.",
                100.0 * s.absence_chance,
                if s.turnover_chance > 0.0 {
                    format!(" and leaving at {:.0}%", 100.0 * s.turnover_chance)
                } else {
                    String::new()
                },
                thousands(w.base_unfilled_required_role_hours),
                thousands(w.unfilled_required_role_hours.mean),
                thousands(w.unfilled_required_role_hours.p90),
                thousands(wo.unfilled_required_role_hours.mean),
                thousands(wo.unfilled_required_role_hours.p90),
            ));
        }
    }
    lines
}

/// Every file of the output folder.
pub fn files(
    summary: &ResilienceSummary,
    key: &[KeyPerson],
    bus: &[BusFactor],
    samples: &[Sample],
) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    let mut w = crate::report::csv_out::writer();
    w.write_record([
        "rank",
        "person_id",
        "name",
        "municipality",
        "assignments",
        "extra_unfilled_required_role_hours",
        "extra_fte_months",
        "extra_blocked_phases",
        "extra_weighted_unfilled",
        "extra_weighted_low",
        "extra_weighted_high",
        "replanned",
        "key",
        "blocked",
        "roles",
        "why",
    ])?;
    for (k, p) in key.iter().enumerate() {
        w.write_record([
            &(k + 1).to_string(),
            &p.person_id,
            &p.name,
            &p.municipality,
            &p.assignments.to_string(),
            &num(p.extra_unfilled_required_role_hours),
            &format!("{:.2}", p.extra_fte_months),
            &p.extra_blocked_phases.to_string(),
            &num(p.extra_weighted_unfilled),
            &p.extra_weighted_low.map(num).unwrap_or_default(),
            &p.extra_weighted_high.map(num).unwrap_or_default(),
            &p.replanned.to_string(),
            &p.key.to_string(),
            &p.newly_blocked.join("|"),
            &p.roles.join("|"),
            &p.why,
        ])?;
    }
    files.push(("key_people.csv".to_string(), w.into_inner()?));

    let mut w = crate::report::csv_out::writer();
    w.write_record([
        "municipality",
        "kind",
        "field",
        "needed_by",
        "alone",
        "pooled",
        "flag",
    ])?;
    for b in bus {
        w.write_record([
            b.municipality.as_str(),
            b.kind,
            b.field.as_str(),
            &b.needed_by.to_string(),
            &b.alone.to_string(),
            &b.pooled.to_string(),
            b.flag,
        ])?;
    }
    files.push(("bus_factor.csv".to_string(), w.into_inner()?));

    let mut w = crate::report::csv_out::writer();
    w.write_record([
        "sample",
        "pooling",
        "absent",
        "left",
        "unfilled_required_role_hours",
        "blocked_phases",
        "absent_ids",
        "left_ids",
    ])?;
    for x in samples {
        w.write_record([
            &x.sample.to_string(),
            x.pooling,
            &x.absent.len().to_string(),
            &x.left.len().to_string(),
            &num(x.unfilled_required_role_hours),
            &x.blocked_phases.to_string(),
            &x.absent.join("|"),
            &x.left.join("|"),
        ])?;
    }
    files.push(("absence.csv".to_string(), w.into_inner()?));

    let mut w = crate::report::csv_out::writer();
    w.write_record([
        "pooling", "metric", "base", "mean", "p50", "p90", "p99", "max",
    ])?;
    for a in &summary.absence {
        for (metric, base, d) in [
            (
                "unfilled_required_role_hours",
                a.base_unfilled_required_role_hours,
                &a.unfilled_required_role_hours,
            ),
            (
                "blocked_phases",
                a.base_blocked_phases as f64,
                &a.blocked_phases,
            ),
        ] {
            w.write_record([
                a.pooling,
                metric,
                &num(base),
                &num(d.mean),
                &num(d.p50),
                &num(d.p90),
                &num(d.p99),
                &num(d.max),
            ])?;
        }
    }
    files.push(("absence_summary.csv".to_string(), w.into_inner()?));
    files.push((
        "summary.json".to_string(),
        serde_json::to_vec_pretty(summary)?,
    ));
    Ok(files)
}

/// The terminal view.
pub fn terminal(s: &ResilienceSummary, bus: &[BusFactor], out: Option<&str>) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "ploeg {} — resilience of {}: {} people\n",
        s.ploeg_version, s.scenario, s.people
    );
    for line in &s.verdict {
        let _ = writeln!(o, "  {line}");
    }
    for n in &s.notes {
        let _ = writeln!(o, "  note: {n}");
    }
    let _ = writeln!(
        o,
        "\n  Key people (N-1: the plan without them re-planned in full; +open: required role-hours; loss: weighted role-hours, between the two optima)\n  {:<4} {:<28} {:<18} {:>10} {:>8} {:>21}  roles left open",
        "rank", "name", "municipality", "+open", "+blocked", "loss [low, high]"
    );
    for (k, p) in s.top_key_people.iter().filter(|p| p.key).enumerate() {
        let interval = match (p.extra_weighted_low, p.extra_weighted_high) {
            (Some(l), Some(h)) => format!("[{}, {}]", thousands(l), thousands(h)),
            (Some(l), None) => format!("[{}, -]", thousands(l)),
            _ => "-".to_string(),
        };
        let _ = writeln!(
            o,
            "  {:<4} {:<28} {:<18} {:>10} {:>8} {:>21}  {}",
            k + 1,
            p.name,
            p.municipality,
            thousands(p.extra_unfilled_required_role_hours),
            p.extra_blocked_phases,
            format!("{} {interval}", thousands(p.extra_weighted_unfilled)),
            p.roles.first().map(String::as_str).unwrap_or("-")
        );
    }
    let fragile: Vec<&BusFactor> = bus.iter().filter(|b| !b.flag.is_empty()).collect();
    if !fragile.is_empty() {
        let _ = writeln!(
            o,
            "\n  Bus factor 0 or 1 (alone → with pooling)\n  {:<18} {:<11} {:<26} {:>6} {:>7}",
            "municipality", "kind", "field", "alone", "pooled"
        );
        for b in fragile.iter().take(15) {
            let _ = writeln!(
                o,
                "  {:<18} {:<11} {:<26} {:>6} {:>7}",
                b.municipality, b.kind, b.field, b.alone, b.pooled
            );
        }
        if fragile.len() > 15 {
            let _ = writeln!(o, "  … and {} more in bus_factor.csv", fragile.len() - 15);
        }
    }
    if s.samples > 0 {
        let _ = writeln!(
            o,
            "\n  Absence over {} samples (required role-hours open; blocked phases)\n  {:<9} {:>8} {:>8} {:>8} {:>8} {:>8}   {:>6} {:>6}",
            s.samples, "pooling", "base", "mean", "p50", "p90", "p99", "mean", "p90"
        );
        for a in &s.absence {
            let u = &a.unfilled_required_role_hours;
            let st = &a.blocked_phases;
            let _ = writeln!(
                o,
                "  {:<9} {:>8} {:>8} {:>8} {:>8} {:>8}   {:>6.1} {:>6}",
                a.pooling,
                thousands(a.base_unfilled_required_role_hours),
                thousands(u.mean),
                thousands(u.p50),
                thousands(u.p90),
                thousands(u.p99),
                st.mean,
                st.p90
            );
        }
    }
    let _ = writeln!(
        o,
        "\n  {:.1} s base plan, {:.1} s N-1, {:.1} s absence samples ({} start)",
        s.seconds.base,
        s.seconds.n_minus_one,
        s.seconds.absence,
        if s.warm_start { "warm" } else { "cold" }
    );
    if let Some(out) = out {
        let _ = writeln!(
            o,
            "  Written to {out}/: key_people.csv, bus_factor.csv, absence.csv, absence_summary.csv, summary.json, and the base plan in {out}/plan/"
        );
    }
    o
}
