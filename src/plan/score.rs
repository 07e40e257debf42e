//! Objective components of any plan, measured directly on the scenario:
//! open work over time, cluster coverage and stacking, fit,
//! preferences, pooled placements and continuity. The solver's summary and
//! `ploeg check` report the same numbers.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::Plan;
use crate::domain::{profile_fit, Scenario};

/// Every objective component by name.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Components {
    /// Stage 1: open role-hours over the horizon weighted by project
    /// priority (optional roles scaled by `optional_weight`).
    pub weighted_unfilled: f64,
    pub slots_total: usize,
    pub slots_filled: usize,
    /// Share of cluster needs covered by at least one team member (1 when
    /// there are none).
    pub balance: f64,
    pub needs_total: usize,
    pub needs_covered: usize,
    /// Stage 2: priority-weighted uncovered needs.
    pub weighted_uncovered: f64,
    /// Team members beyond the first who reach a need already covered.
    pub stacked: usize,
    /// Sum of profile fit over assignments.
    pub fit: f64,
    /// Sum of pair preference weights over assignments.
    pub preference_total: f64,
    /// Assignments of people outside their home municipality.
    pub pooled_placements: usize,
    /// A person staying on from one phase of a project to the next.
    pub continuity: usize,
    /// Open work over time: role-hours over the horizon, FTE-years, the
    /// peak and mean open hours a week, blocked phases and project-months.
    #[serde(flatten)]
    pub time: super::time::TimeFigures,
}

/// Distinct slots filled in each role line (indexed by role); slot numbers
/// outside the line's count do not count.
pub fn filled_counts(s: &Scenario, plan: &Plan) -> Vec<u32> {
    let mut filled: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); s.roles.len()];
    for a in &plan.assignments {
        if a.slot >= 1 && a.slot <= s.roles[a.role].count {
            filled[a.role].insert(a.slot);
        }
    }
    filled.iter().map(|f| f.len() as u32).collect()
}

/// Required role lines with open slots: role index → open slots.
pub fn open_required(s: &Scenario, plan: &Plan) -> BTreeMap<usize, u32> {
    let filled = filled_counts(s, plan);
    s.roles
        .iter()
        .enumerate()
        .filter(|(ri, r)| r.required && filled[*ri] < r.count)
        .map(|(ri, r)| (ri, r.count - filled[ri]))
        .collect()
}

pub fn score(s: &Scenario, plan: &Plan) -> Components {
    let mut c = Components::default();
    let filled = filled_counts(s, plan);
    let mut team: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for a in &plan.assignments {
        let r = &s.roles[a.role];
        team.entry(r.phase).or_default().insert(a.person);
        let phase = &s.phases[r.phase];
        c.fit += profile_fit(&s.people[a.person].scores, &phase.needs);
        c.preference_total += s
            .preference_for(a.person, a.role)
            .map(|p| p.weight)
            .unwrap_or(0.0);
        if s.people[a.person].municipality != s.projects[r.project].municipality {
            c.pooled_placements += 1;
        }
    }
    for (i, r) in s.roles.iter().enumerate() {
        let n = filled[i];
        c.slots_total += r.count as usize;
        c.slots_filled += n as usize;
        c.weighted_unfilled += f64::from(r.count - n) * s.line_weight(i);
    }
    c.time = super::time::time_figures(s, plan);
    let empty = BTreeSet::new();
    for (f, phase) in s.phases.iter().enumerate() {
        let members = team.get(&f).unwrap_or(&empty);
        for k in 0..5 {
            let level = phase.needs[k];
            if level <= 0.0 {
                continue;
            }
            c.needs_total += 1;
            let reach = members
                .iter()
                .filter(|&&p| s.people[p].scores[k] >= level)
                .count();
            if reach > 0 {
                c.needs_covered += 1;
                c.stacked += reach - 1;
            } else {
                c.weighted_uncovered += s.projects[phase.project].priority;
            }
        }
    }
    c.balance = if c.needs_total == 0 {
        1.0
    } else {
        c.needs_covered as f64 / c.needs_total as f64
    };
    // Continuity: the same person in consecutive phases of a project.
    let mut by_project: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (f, ph) in s.phases.iter().enumerate() {
        by_project.entry(ph.project).or_default().push(f);
    }
    for phases in by_project.values_mut() {
        phases.sort_by(|&a, &b| {
            let (x, y) = (&s.phases[a], &s.phases[b]);
            (x.start, x.end, &x.name).cmp(&(y.start, y.end, &y.name))
        });
        for w in phases.windows(2) {
            if let (Some(a), Some(b)) = (team.get(&w[0]), team.get(&w[1])) {
                c.continuity += a.intersection(b).count();
            }
        }
    }
    c
}
