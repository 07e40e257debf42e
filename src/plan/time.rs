//! A plan's open work over time, in the units a director reads: role-hours
//! over the planning horizon (a slot of h hours a week in a phase of w
//! weeks is h × w role-hours), FTE-years, the open hours a week in each
//! planning period (and the period where they peak), capacity against
//! demand per period and discipline, and which phases and projects are
//! blocked and for how long.
//!
//! Everything here is measured on the scenario and the plan alone, like
//! the rest of `plan::score`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::score::filled_counts;
use super::Plan;
use crate::domain::Scenario;

/// The headline figures over time.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TimeFigures {
    /// Role-hours over the horizon left open: Σ over open slots of hours a
    /// week × weeks of the phase.
    pub unfilled_role_hours: f64,
    /// The same for roles marked required.
    pub unfilled_required_role_hours: f64,
    /// Unfilled role-hours / (fte_hours × 52).
    pub unfilled_fte_years: f64,
    /// The most open hours a week in any planning period, and that period.
    pub peak_open_hours_per_week: f64,
    pub peak_open_period: Option<String>,
    /// Open hours a week, averaged over the periods that have any demand.
    pub mean_open_hours_per_week: f64,
    pub phases_total: usize,
    /// Phases with a required slot open.
    pub blocked_phases: usize,
    /// Σ over projects of the planning periods in which an active phase of
    /// the project has a required slot open.
    pub blocked_project_months: usize,
    /// The planning period the per-period figures count in (`month`,
    /// `week` or `quarter`).
    pub planning_period: &'static str,
}

/// One planning period of one discipline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CapacityRow {
    pub period: String,
    pub discipline: String,
    /// Hours a week of the role lines of this discipline active then.
    pub demand_hours_per_week: f64,
    /// Of those, the hours of the slots the plan fills.
    pub assigned_hours_per_week: f64,
    pub open_hours_per_week: f64,
    /// Weekly hours of the people with the discipline available in the
    /// period (a person with several disciplines counts in each).
    pub supply_hours_per_week: f64,
    pub people: usize,
}

/// One project's blocked work.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProjectRow {
    pub project_id: String,
    pub name: String,
    pub municipality: String,
    pub phases: usize,
    pub blocked_phases: usize,
    pub first_blocked_period: Option<String>,
    pub open_required_role_hours: f64,
}

/// The period range of the whole horizon, if there are phases.
fn horizon(s: &Scenario) -> Option<(i64, i64)> {
    let p = s.settings.period;
    let first = s.phases.iter().map(|f| p.index(f.start)).min()?;
    let last = s.phases.iter().map(|f| p.index(f.end)).max()?;
    Some((first, last))
}

/// Open slots of each role line.
fn open_slots(s: &Scenario, plan: &Plan) -> Vec<u32> {
    let filled = filled_counts(s, plan);
    s.roles
        .iter()
        .zip(filled)
        .map(|(r, n)| r.count.saturating_sub(n))
        .collect()
}

/// Open hours a week per period of the horizon (all roles), and whether
/// the period has any demand.
fn open_by_period(s: &Scenario, open: &[u32], (lo, hi): (i64, i64)) -> Vec<(f64, bool)> {
    let p = s.settings.period;
    let mut v = vec![(0.0, false); (hi - lo + 1) as usize];
    for (ri, r) in s.roles.iter().enumerate() {
        let f = &s.phases[r.phase];
        for t in p.index(f.start)..=p.index(f.end) {
            let cell = &mut v[(t - lo) as usize];
            cell.0 += r.hours_per_week * f64::from(open[ri]);
            cell.1 = true;
        }
    }
    v
}

pub fn time_figures(s: &Scenario, plan: &Plan) -> TimeFigures {
    let open = open_slots(s, plan);
    let mut t = TimeFigures {
        phases_total: s.phases.len(),
        planning_period: s.settings.period.id(),
        ..TimeFigures::default()
    };
    for (ri, r) in s.roles.iter().enumerate() {
        let hours = r.hours_per_week * s.phases[r.phase].weeks() * f64::from(open[ri]);
        t.unfilled_role_hours += hours;
        if r.required {
            t.unfilled_required_role_hours += hours;
        }
    }
    t.unfilled_fte_years = t.unfilled_role_hours / (s.settings.fte_hours * 52.0);
    let Some((lo, hi)) = horizon(s) else {
        return t;
    };
    let by_period = open_by_period(s, &open, (lo, hi));
    let mut demand_periods = 0;
    let mut total = 0.0;
    for (k, &(h, any)) in by_period.iter().enumerate() {
        if any {
            demand_periods += 1;
            total += h;
        }
        if h > t.peak_open_hours_per_week {
            t.peak_open_hours_per_week = h;
            t.peak_open_period = Some(s.settings.period.label(lo + k as i64));
        }
    }
    t.mean_open_hours_per_week = if demand_periods > 0 {
        total / f64::from(demand_periods)
    } else {
        0.0
    };
    let blocked = blocked_periods(s, &open);
    t.blocked_phases = blocked.phases.len();
    t.blocked_project_months = blocked.periods.values().map(BTreeSet::len).sum();
    t
}

/// Phases with a required slot open, and per project the periods in
/// which one of its active phases has.
struct Blocked {
    phases: BTreeSet<usize>,
    periods: BTreeMap<usize, BTreeSet<i64>>,
}

fn blocked_periods(s: &Scenario, open: &[u32]) -> Blocked {
    let p = s.settings.period;
    let mut b = Blocked {
        phases: BTreeSet::new(),
        periods: BTreeMap::new(),
    };
    for (ri, r) in s.roles.iter().enumerate() {
        if r.required && open[ri] > 0 {
            b.phases.insert(r.phase);
            let f = &s.phases[r.phase];
            b.periods
                .entry(r.project)
                .or_default()
                .extend(p.index(f.start)..=p.index(f.end));
        }
    }
    b
}

/// The phases (indices) with a required slot open.
pub fn blocked_phases(s: &Scenario, plan: &Plan) -> BTreeSet<usize> {
    blocked_periods(s, &open_slots(s, plan)).phases
}

/// Capacity against demand per period and discipline, periods in order and
/// disciplines by name within a period.
pub fn capacity(s: &Scenario, plan: &Plan) -> Vec<CapacityRow> {
    let Some((lo, hi)) = horizon(s) else {
        return Vec::new();
    };
    let p = s.settings.period;
    let open = open_slots(s, plan);
    let n = (hi - lo + 1) as usize;
    // discipline → per period (demand, assigned, supply, people)
    let mut table: BTreeMap<&str, Vec<(f64, f64, f64, usize)>> = BTreeMap::new();
    for (ri, r) in s.roles.iter().enumerate() {
        let f = &s.phases[r.phase];
        let row = table
            .entry(r.discipline.as_str())
            .or_insert_with(|| vec![(0.0, 0.0, 0.0, 0); n]);
        let demand = r.hours_per_week * f64::from(r.count);
        let assigned = r.hours_per_week * f64::from(r.count - open[ri]);
        for t in p.index(f.start)..=p.index(f.end) {
            let cell = &mut row[(t - lo) as usize];
            cell.0 += demand;
            cell.1 += assigned;
        }
    }
    for person in &s.people {
        let from = person.available_from.map_or(lo, |d| p.index(d).max(lo));
        let until = person.available_until.map_or(hi, |d| p.index(d).min(hi));
        for d in &person.disciplines {
            let Some(row) = table.get_mut(d.as_str()) else {
                continue;
            };
            for t in from..=until {
                let cell = &mut row[(t - lo) as usize];
                cell.2 += person.hours_per_week;
                cell.3 += 1;
            }
        }
    }
    let mut rows = Vec::new();
    for k in 0..n {
        for (d, cells) in &table {
            let (demand, assigned, supply, people) = cells[k];
            rows.push(CapacityRow {
                period: p.label(lo + k as i64),
                discipline: d.to_string(),
                demand_hours_per_week: demand,
                assigned_hours_per_week: assigned,
                open_hours_per_week: demand - assigned,
                supply_hours_per_week: supply,
                people,
            });
        }
    }
    rows
}

/// Blocked work per project, in project order.
pub fn projects(s: &Scenario, plan: &Plan) -> Vec<ProjectRow> {
    let open = open_slots(s, plan);
    let blocked = blocked_periods(s, &open);
    let mut open_hours = vec![0.0; s.projects.len()];
    for (ri, r) in s.roles.iter().enumerate() {
        if r.required {
            open_hours[r.project] +=
                r.hours_per_week * s.phases[r.phase].weeks() * f64::from(open[ri]);
        }
    }
    s.projects
        .iter()
        .enumerate()
        .map(|(j, pr)| ProjectRow {
            project_id: pr.id.clone(),
            name: pr.name.clone(),
            municipality: pr.municipality.clone(),
            phases: s.phases.iter().filter(|f| f.project == j).count(),
            blocked_phases: blocked
                .phases
                .iter()
                .filter(|&&f| s.phases[f].project == j)
                .count(),
            first_blocked_period: blocked
                .periods
                .get(&j)
                .and_then(|ps| ps.first())
                .map(|&t| s.settings.period.label(t)),
            open_required_role_hours: open_hours[j],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Scenario {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/small");
        crate::input::load(&dir).unwrap()
    }

    #[test]
    fn an_empty_plan_leaves_every_role_hour_open_and_every_phase_with_required_roles_blocked() {
        let s = small();
        let t = time_figures(&s, &Plan::default());
        let want: f64 = s
            .roles
            .iter()
            .map(|r| r.hours_per_week * f64::from(r.count) * s.phases[r.phase].weeks())
            .sum();
        assert!((t.unfilled_role_hours - want).abs() < 1e-9);
        assert!((t.unfilled_fte_years - want / (36.0 * 52.0)).abs() < 1e-12);
        let with_required: BTreeSet<usize> = s
            .roles
            .iter()
            .filter(|r| r.required)
            .map(|r| r.phase)
            .collect();
        assert_eq!(t.blocked_phases, with_required.len());
        assert!(t.peak_open_hours_per_week >= t.mean_open_hours_per_week);
        assert!(t.peak_open_period.is_some());
    }

    #[test]
    fn a_six_week_phase_counts_six_weeks() {
        let d = |s: &str| s.parse().unwrap();
        let f = crate::domain::Phase {
            project: 0,
            name: "x".into(),
            start: d("2026-01-05"),
            end: d("2026-02-15"),
            needs: [0.0; 5],
        };
        assert_eq!(f.weeks(), 6.0);
    }

    #[test]
    fn capacity_open_hours_add_up_to_the_open_hours_of_each_period() {
        let s = small();
        let plan = Plan::default();
        let rows = capacity(&s, &plan);
        let (lo, hi) = horizon(&s).unwrap();
        let open = open_by_period(&s, &open_slots(&s, &plan), (lo, hi));
        for (k, &(h, _)) in open.iter().enumerate() {
            let label = s.settings.period.label(lo + k as i64);
            let sum: f64 = rows
                .iter()
                .filter(|r| r.period == label)
                .map(|r| r.open_hours_per_week)
                .sum();
            assert!((sum - h).abs() < 1e-9, "{label}: {sum} against {h}");
        }
    }
}
