//! Reports: the output folder of `ploeg solve` (assignments, unfilled slots,
//! team coverage, load per period, summary.json), written all-or-nothing,
//! and the terminal summary.

pub mod columns;
pub mod csv_out;
pub mod explain;
pub mod html;
pub mod output;
pub mod phase;
pub mod pool;
pub mod pseudonym;
pub mod resilience;
pub mod terminal;

use anyhow::Result;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

use crate::domain::{Cluster, Scenario};
use crate::model::phase_periods;
use crate::plan::check::Violation;
use crate::plan::score::Components;
use crate::plan::Plan;
use crate::solve::{SolveReport, StageReport, Status};
use explain::Explainer;

/// Everything summary.json holds.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub ploeg_version: &'static str,
    pub scenario: String,
    pub status: Status,
    pub backend: &'static str,
    /// Wall time of the whole solve, seconds.
    pub seconds: f64,
    pub heuristic_seconds: f64,
    /// Best bound and gap of the first objective stage.
    pub bound: Option<f64>,
    pub gap: Option<f64>,
    pub objective_order: Vec<&'static str>,
    pub stages: Vec<StageReport>,
    #[serde(flatten)]
    pub components: Components,
    pub people: usize,
    pub projects: usize,
    pub parts: usize,
    pub binaries: usize,
    pub rows: usize,
    pub violations: Vec<Violation>,
    pub notes: Vec<String>,
    /// The work budget (`[solver] work`, `--work`), when the run had one.
    pub work: Option<u64>,
    /// True when the work budget ended every step of the search, so the
    /// plan is the same on any machine; false when the time limit ended
    /// some step (or the run had no budget).
    pub deterministic: bool,
    /// The command line of the run, for reproducing it (`ploeg solve` sets it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// The scenario folder as given on the command line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario_dir: Option<String>,
}

impl Summary {
    pub fn new(
        s: &Scenario,
        report: &SolveReport,
        components: Components,
        violations: Vec<Violation>,
    ) -> Summary {
        let first = report.stages.first();
        Summary {
            ploeg_version: env!("CARGO_PKG_VERSION"),
            scenario: s.settings.name.clone(),
            status: report.status,
            backend: report.backend,
            seconds: (report.seconds * 1000.0).round() / 1000.0,
            heuristic_seconds: (report.heuristic_seconds * 1000.0).round() / 1000.0,
            bound: first.and_then(|st| st.bound),
            gap: first.and_then(|st| st.gap),
            objective_order: s.settings.order.iter().map(|st| st.id()).collect(),
            stages: report.stages.clone(),
            components,
            people: s.people.len(),
            projects: s.projects.len(),
            parts: report.parts,
            binaries: report.binaries,
            rows: report.rows,
            violations,
            notes: report.notes.clone(),
            work: report.work,
            deterministic: report.deterministic,
            command: None,
            scenario_dir: None,
        }
    }
}

pub(crate) fn num(v: f64) -> String {
    // `+ 0.0` turns a negative zero from an empty sum into 0.
    let r = (v * 100.0).round() / 100.0 + 0.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r}")
    }
}

/// The CSV files of a plan, as (file name, contents).
pub fn plan_files(s: &Scenario, plan: &Plan) -> Result<Vec<(&'static str, Vec<u8>)>> {
    let ex = Explainer::new(s, plan);
    let mut files = Vec::new();

    let mut w = crate::report::csv_out::writer();
    w.write_record([
        "project_id",
        "phase",
        "role",
        "slot",
        "person_id",
        "name",
        "home_municipality",
        "project_municipality",
        "pooled",
        "hours_per_week",
        "start",
        "end",
        "role_hours",
        "fit",
        "reason",
    ])?;
    for a in &plan.assignments {
        let r = &s.roles[a.role];
        let p = &s.people[a.person];
        let project = &s.projects[r.project];
        let phase = &s.phases[r.phase];
        let hours = Plan::pair_hours(s, a.person, a.role);
        w.write_record([
            project.id.as_str(),
            phase.name.as_str(),
            r.name.as_str(),
            &a.slot.to_string(),
            p.id.as_str(),
            p.name.as_str(),
            p.municipality.as_str(),
            project.municipality.as_str(),
            if p.municipality != project.municipality {
                "true"
            } else {
                "false"
            },
            &num(hours),
            &phase.start.to_string(),
            &phase.end.to_string(),
            &num(hours * phase.weeks()),
            &format!("{:.3}", crate::domain::profile_fit(&p.scores, &phase.needs)),
            &ex.assignment(a),
        ])?;
    }
    files.push(("assignments.csv", w.into_inner()?));

    let mut filled: BTreeMap<usize, BTreeSet<u32>> = BTreeMap::new();
    for a in &plan.assignments {
        filled.entry(a.role).or_default().insert(a.slot);
    }
    let mut w = crate::report::csv_out::writer();
    w.write_record([
        "project_id",
        "phase",
        "role",
        "slot",
        "hours_per_week",
        "start",
        "end",
        "weeks",
        "role_hours",
        "required",
        "priority",
        "reason",
    ])?;
    let open: Vec<(usize, Vec<u32>)> = s
        .roles
        .iter()
        .enumerate()
        .map(|(ri, r)| {
            let taken = filled.get(&ri);
            let slots = (1..=r.count)
                .filter(|k| taken.is_none_or(|t| !t.contains(k)))
                .collect();
            (ri, slots)
        })
        .filter(|(_, slots): &(usize, Vec<u32>)| !slots.is_empty())
        .collect();
    // Each reason looks at every person: at national size (17,000 open
    // slots, 10,000 people) this is seconds, so the lines share the cores.
    let reasons: Vec<String> = {
        use rayon::prelude::*;
        open.par_iter().map(|(ri, _)| ex.unfilled(*ri)).collect()
    };
    for ((ri, slots), reason) in open.into_iter().zip(reasons) {
        let r = &s.roles[ri];
        let phase = &s.phases[r.phase];
        for k in slots {
            w.write_record([
                s.projects[r.project].id.as_str(),
                phase.name.as_str(),
                r.name.as_str(),
                &k.to_string(),
                &num(r.hours_per_week),
                &phase.start.to_string(),
                &phase.end.to_string(),
                &num(phase.weeks()),
                &num(r.hours_per_week * phase.weeks()),
                if r.required { "true" } else { "false" },
                &num(s.projects[r.project].priority),
                &reason,
            ])?;
        }
    }
    files.push(("unfilled.csv", w.into_inner()?));

    let mut team: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for a in &plan.assignments {
        team.entry(s.roles[a.role].phase)
            .or_default()
            .insert(a.person);
    }
    let mut w = crate::report::csv_out::writer();
    w.write_record([
        "project_id",
        "phase",
        "cluster",
        "need",
        "best_level",
        "covered",
        "reached_by",
        "members",
    ])?;
    for (f, ph) in s.phases.iter().enumerate() {
        let members: Vec<usize> = team
            .get(&f)
            .map(|t| t.iter().copied().collect())
            .unwrap_or_default();
        for c in Cluster::ALL {
            let need = ph.needs[c.index()];
            let best = members
                .iter()
                .map(|&p| s.people[p].scores[c.index()])
                .fold(f64::NAN, f64::max);
            let reached: Vec<&str> = members
                .iter()
                .filter(|&&p| need > 0.0 && s.people[p].scores[c.index()] >= need)
                .map(|&p| s.people[p].id.as_str())
                .collect();
            let covered = if need <= 0.0 {
                "no need"
            } else if reached.is_empty() {
                "false"
            } else {
                "true"
            };
            w.write_record([
                s.projects[ph.project].id.as_str(),
                ph.name.as_str(),
                c.id(),
                &num(need),
                &if best.is_nan() {
                    String::new()
                } else {
                    num(best)
                },
                covered,
                &reached.join("|"),
                &members.len().to_string(),
            ])?;
        }
    }
    files.push(("teams.csv", w.into_inner()?));

    let periods = phase_periods(s);
    let mut w = crate::report::csv_out::writer();
    w.write_record([
        "person_id",
        "name",
        "period",
        "assigned_hours",
        "hours_per_week",
        "utilisation",
        "projects",
    ])?;
    let mut by_person: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for a in &plan.assignments {
        by_person.entry(a.person).or_default().push(a.role);
    }
    let (lo, hi) = periods
        .iter()
        .fold((i64::MAX, i64::MIN), |(lo, hi), &(a, b)| {
            (lo.min(a), hi.max(b))
        });
    for (pi, p) in s.people.iter().enumerate() {
        let roles = by_person.get(&pi).cloned().unwrap_or_default();
        for t in lo..=hi {
            let active: Vec<usize> = roles
                .iter()
                .copied()
                .filter(|&r| {
                    let (a, b) = periods[s.roles[r].phase];
                    a <= t && t <= b
                })
                .collect();
            let hours: f64 = active.iter().map(|&r| Plan::pair_hours(s, pi, r)).sum();
            let projects: BTreeSet<&str> = active
                .iter()
                .map(|&r| s.projects[s.roles[r].project].id.as_str())
                .collect();
            w.write_record([
                p.id.as_str(),
                p.name.as_str(),
                &s.settings.period.label(t),
                &num(hours),
                &num(p.hours_per_week),
                &format!("{:.3}", hours / p.hours_per_week + 0.0),
                &projects.into_iter().collect::<Vec<_>>().join("|"),
            ])?;
        }
    }
    files.push(("load.csv", w.into_inner()?));
    files.push(("capacity.csv", capacity_csv(s, plan)?));
    files.push(("projects.csv", projects_csv(s, plan)?));
    Ok(files)
}

/// Capacity against demand per planning period and discipline.
fn capacity_csv(s: &Scenario, plan: &Plan) -> Result<Vec<u8>> {
    let mut w = crate::report::csv_out::writer();
    w.write_record([
        "period",
        "discipline",
        "demand_hours_per_week",
        "assigned_hours_per_week",
        "open_hours_per_week",
        "supply_hours_per_week",
        "people",
    ])?;
    for r in crate::plan::time::capacity(s, plan) {
        w.write_record([
            r.period.as_str(),
            r.discipline.as_str(),
            &num(r.demand_hours_per_week),
            &num(r.assigned_hours_per_week),
            &num(r.open_hours_per_week),
            &num(r.supply_hours_per_week),
            &r.people.to_string(),
        ])?;
    }
    Ok(w.into_inner()?)
}

/// Blocked phases and open required role-hours per project.
fn projects_csv(s: &Scenario, plan: &Plan) -> Result<Vec<u8>> {
    let mut w = crate::report::csv_out::writer();
    w.write_record([
        "project_id",
        "name",
        "municipality",
        "phases",
        "blocked_phases",
        "first_blocked_period",
        "open_required_role_hours",
    ])?;
    for p in crate::plan::time::projects(s, plan) {
        w.write_record([
            p.project_id.as_str(),
            p.name.as_str(),
            p.municipality.as_str(),
            &p.phases.to_string(),
            &p.blocked_phases.to_string(),
            p.first_blocked_period.as_deref().unwrap_or(""),
            &num(p.open_required_role_hours),
        ])?;
    }
    Ok(w.into_inner()?)
}
