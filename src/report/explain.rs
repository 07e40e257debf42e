//! Why: a reason in plain words for every assignment and every unfilled
//! slot — who could have filled it and what stopped them (discipline,
//! expertise, availability, pool rule, capacity taken by other projects).

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::Scenario;
use crate::model::{eligibility, phase_periods, Ineligible, PreferenceIndex};
use crate::plan::{Assignment, Plan};

/// Reasons for a plan, computed once.
pub struct Explainer<'a> {
    s: &'a Scenario,
    prefs: PreferenceIndex,
    periods: Vec<(i64, i64)>,
    /// Assignments per person.
    by_person: BTreeMap<usize, Vec<&'a Assignment>>,
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

impl<'a> Explainer<'a> {
    pub fn new(s: &'a Scenario, plan: &'a Plan) -> Explainer<'a> {
        let mut by_person: BTreeMap<usize, Vec<&Assignment>> = BTreeMap::new();
        for a in &plan.assignments {
            by_person.entry(a.person).or_default().push(a);
        }
        Explainer {
            s,
            prefs: PreferenceIndex::new(s),
            periods: phase_periods(s),
            by_person,
        }
    }

    /// Why this person holds this slot.
    pub fn assignment(&self, a: &Assignment) -> String {
        let s = self.s;
        let r = &s.roles[a.role];
        let p = &s.people[a.person];
        let phase = &s.phases[r.phase];
        let project = &s.projects[r.project];
        let mut parts = vec![r.discipline.clone()];
        if let Some(e) = &r.expertise {
            let has = p.expertise.get(&e.field).copied().unwrap_or(0.0);
            parts.push(format!(
                "{} {} ≥ {}",
                e.field,
                fmt_num(has),
                fmt_num(e.level)
            ));
        }
        let covers: Vec<String> = crate::domain::Cluster::ALL
            .iter()
            .filter(|c| {
                phase.needs[c.index()] > 0.0 && p.scores[c.index()] >= phase.needs[c.index()]
            })
            .map(|c| {
                format!(
                    "{} {} ≥ {}",
                    c.id(),
                    fmt_num(p.scores[c.index()]),
                    fmt_num(phase.needs[c.index()])
                )
            })
            .collect();
        if !covers.is_empty() {
            parts.push(format!("reaches {}", covers.join(", ")));
        }
        if p.municipality != project.municipality {
            let pool = s
                .pools
                .iter()
                .find(|(_, m)| m.contains(&p.municipality) && m.contains(&project.municipality))
                .map(|(name, _)| format!("pool {name}"))
                .unwrap_or_else(|| "pooling of all municipalities".to_string());
            parts.push(format!("pooled from {} under {pool}", p.municipality));
        }
        if let Some(pref) = s.preference_for(a.person, a.role) {
            if pref.weight != 0.0 {
                parts.push(format!("preference {:+}", pref.weight));
            }
            if let Some(h) = pref.hours {
                parts.push(format!("{} h/week for this person", fmt_num(h)));
            }
        }
        parts.join("; ")
    }

    fn pair_hours(&self, person: usize, role: usize) -> f64 {
        self.prefs
            .get(self.s, person, role)
            .and_then(|p| p.hours)
            .unwrap_or(self.s.roles[role].hours_per_week)
    }

    /// Why a slot of this role line stays open.
    pub fn unfilled(&self, role: usize) -> String {
        let s = self.s;
        let r = &s.roles[role];
        let window = self.periods[r.phase];
        let mut eligible = Vec::new();
        let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
        let mut expertise_note = String::new();
        let mut with_discipline = 0;
        for (pi, p) in s.people.iter().enumerate() {
            if !p.has_discipline(&r.discipline) {
                continue;
            }
            with_discipline += 1;
            match eligibility(s, &self.prefs, pi, role) {
                Ok(_) => eligible.push(pi),
                Err(why) => {
                    if let Ineligible::Expertise { field, needed, .. } = &why {
                        expertise_note = format!("{field} ≥ {}", fmt_num(*needed));
                    }
                    *counts.entry(why.key()).or_default() += 1;
                }
            }
        }
        if with_discipline == 0 {
            return format!(
                "no eligible person: nobody in the scenario is a {}",
                r.discipline
            );
        }
        if eligible.is_empty() {
            let list: Vec<String> = counts
                .iter()
                .map(|(k, n)| match *k {
                    "expertise" => format!("{n} lack {expertise_note}"),
                    "availability" => format!("{n} not available for the whole phase"),
                    "excluded" => format!("{n} excluded for this project"),
                    "not poolable" => format!("{n} in other municipalities and not poolable"),
                    "no pool agreement" => {
                        format!("{n} in municipalities without a pool agreement")
                    }
                    "too few hours" => format!("{n} with fewer weekly hours than the role asks"),
                    "pool share" => format!("{n} would exceed their pool share"),
                    _ => format!("{n} {k}"),
                })
                .collect();
            return format!(
                "no eligible person: of {with_discipline} {}(s), {}",
                r.discipline,
                list.join(", ")
            );
        }
        // Eligible people exist: what holds each of them?
        let mut taken_by: BTreeMap<usize, f64> = BTreeMap::new();
        let mut in_team = 0;
        let mut busy = 0;
        for &pi in &eligible {
            let list = self.by_person.get(&pi).cloned().unwrap_or_default();
            if list.iter().any(|a| a.role == role) {
                continue; // already in another slot of this line
            }
            if list.iter().any(|a| s.roles[a.role].phase == r.phase) {
                in_team += 1;
                continue;
            }
            let need = self.pair_hours(pi, role);
            let overlapping: Vec<&&Assignment> = list
                .iter()
                .filter(|a| {
                    let w = self.periods[s.roles[a.role].phase];
                    w.0 <= window.1 && window.0 <= w.1
                })
                .collect();
            let used: f64 = overlapping
                .iter()
                .map(|a| self.pair_hours(a.person, a.role))
                .sum();
            if used + need > s.people[pi].hours_per_week + 1e-9 {
                busy += 1;
                for a in overlapping {
                    *taken_by.entry(s.roles[a.role].project).or_default() += 1.0;
                }
            }
        }
        let priority = s.projects[r.project].priority;
        let higher: BTreeSet<usize> = taken_by
            .keys()
            .copied()
            .filter(|&j| s.projects[j].priority > priority)
            .collect();
        if busy > 0 && !higher.is_empty() {
            let names: Vec<String> = higher
                .iter()
                .map(|&j| {
                    format!(
                        "{} (priority {})",
                        s.project_label(j),
                        fmt_num(s.projects[j].priority)
                    )
                })
                .collect();
            return format!(
                "lower priority than {}: the {} eligible person(s) are booked there",
                names.join(", "),
                eligible.len()
            );
        }
        if busy > 0 {
            let mut names: Vec<String> = taken_by.keys().map(|&j| s.project_label(j)).collect();
            names.truncate(5);
            return format!(
                "capacity used up: {busy} of {} eligible person(s) have no hours left in this phase (booked on {})",
                eligible.len(),
                names.join(", ")
            );
        }
        if in_team > 0 {
            return format!(
                "the {} eligible person(s) already hold another role in this phase team",
                eligible.len()
            );
        }
        format!(
            "{} eligible person(s) remain, held back by the concurrent-project limit, the pool share or the home-member rule",
            eligible.len()
        )
    }
}
