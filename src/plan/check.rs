//! The independent plan checker: tests any plan against every hard rule of
//! the scenario and explains each violation in plain words. It reads only
//! the scenario and the plan, walking period by period, and shares no code
//! with the model builder, so a bug there cannot hide here.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{Assignment, Plan};
use crate::domain::{Rule, Scenario};

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Violation {
    /// The rule, as its title.
    pub rule: Rule,
    /// The rule's id, the key to match on.
    pub rule_id: &'static str,
    pub message: String,
    /// Line in the plan file, when the plan came from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

fn slot_name(s: &Scenario, a: &Assignment) -> String {
    let r = &s.roles[a.role];
    format!(
        "{} / {} / {} #{}",
        s.projects[r.project].id, s.phases[r.phase].name, r.name, a.slot
    )
}

/// Hours the scenario asks of this person in this role line.
fn hours_of(s: &Scenario, a: &Assignment) -> f64 {
    s.preference_for(a.person, a.role)
        .and_then(|p| p.hours)
        .unwrap_or(s.roles[a.role].hours_per_week)
}

/// May a poolable person of `home` serve `target`? Written here again, on
/// purpose, so the checker does not lean on the model's pool test.
fn linked(s: &Scenario, home: &str, target: &str) -> bool {
    use crate::domain::PoolingMode;
    match s.settings.pooling {
        PoolingMode::None => false,
        PoolingMode::All => true,
        PoolingMode::Agreements => s
            .pools
            .values()
            .any(|m| m.iter().any(|x| x == home) && m.iter().any(|x| x == target)),
    }
}

/// Checks a plan; an empty list means it keeps every hard rule.
pub fn check(s: &Scenario, plan: &Plan) -> Vec<Violation> {
    let mut out = Vec::new();
    let mut v = |rule: Rule, a: Option<&Assignment>, message: String| {
        out.push(Violation {
            rule,
            rule_id: rule.id(),
            message,
            line: a.and_then(|a| a.line),
        });
    };
    let mut slots: BTreeMap<(usize, u32), &Assignment> = BTreeMap::new();
    let mut in_phase: BTreeMap<(usize, usize), &Assignment> = BTreeMap::new();
    for a in &plan.assignments {
        let r = &s.roles[a.role];
        let p = &s.people[a.person];
        let phase = &s.phases[r.phase];
        let project = &s.projects[r.project];
        let who = format!("{} ({})", p.name, p.id);
        if a.slot == 0 || a.slot > r.count {
            v(
                Rule::SlotExists,
                Some(a),
                format!(
                    "{} has {} slot(s); there is no slot {}",
                    slot_name(s, a).rsplit_once(" #").map(|x| x.0).unwrap_or(""),
                    r.count,
                    a.slot
                ),
            );
        }
        if let Some(first) = slots.insert((a.role, a.slot), a) {
            v(
                Rule::SlotFilledOnce,
                Some(a),
                format!(
                    "{} is filled by both {} and {}",
                    slot_name(s, a),
                    s.people[first.person].id,
                    p.id
                ),
            );
        }
        if let Some(first) = in_phase.insert((a.person, r.phase), a) {
            if first.role != a.role || first.slot != a.slot {
                v(
                    Rule::OneRolePerPhase,
                    Some(a),
                    format!(
                        "{who} has two places in the team of {} / {}: {} and {}",
                        project.id, phase.name, s.roles[first.role].name, r.name
                    ),
                );
            }
        }
        if !p.disciplines.contains(&r.discipline) {
            v(
                Rule::Discipline,
                Some(a),
                format!(
                    "{who} is not a {} (disciplines: {})",
                    r.discipline,
                    p.disciplines.join(", ")
                ),
            );
        }
        if let Some(e) = &r.expertise {
            match p.expertise.get(&e.field) {
                Some(&l) if l >= e.level => {}
                Some(&l) => v(
                    Rule::RequiredExpertise,
                    Some(a),
                    format!(
                        "{} needs {} at level {}; {who} has level {l}",
                        slot_name(s, a),
                        e.field,
                        e.level
                    ),
                ),
                None => v(
                    Rule::RequiredExpertise,
                    Some(a),
                    format!(
                        "{} needs {} at level {}; {who} has no {} expertise",
                        slot_name(s, a),
                        e.field,
                        e.level,
                        e.field
                    ),
                ),
            }
        }
        let from_ok = p.available_from.is_none_or(|d| d <= phase.start);
        let until_ok = p.available_until.is_none_or(|d| d >= phase.end);
        if !from_ok || !until_ok {
            let window = format!(
                "{} to {}",
                p.available_from
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "open".into()),
                p.available_until
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "open".into())
            );
            v(
                Rule::Availability,
                Some(a),
                format!(
                    "{who} is available {window}, but {} runs {} to {}",
                    slot_name(s, a),
                    phase.start,
                    phase.end
                ),
            );
        }
        if s.preference_for(a.person, a.role)
            .is_some_and(|pr| !pr.allowed)
        {
            v(
                Rule::ExcludedPair,
                Some(a),
                format!(
                    "{who} may not work on {} (preferences: allowed = false)",
                    slot_name(s, a)
                ),
            );
        }
        if p.municipality != project.municipality {
            if !p.poolable {
                v(
                    Rule::PoolRule,
                    Some(a),
                    format!(
                        "{who} from {} is not poolable but serves {} in {}",
                        p.municipality, project.id, project.municipality
                    ),
                );
            } else if !linked(s, &p.municipality, &project.municipality) {
                v(
                    Rule::PoolRule,
                    Some(a),
                    format!(
                        "no pool agreement lets {} lend to {} ({who} on {})",
                        p.municipality,
                        project.municipality,
                        slot_name(s, a)
                    ),
                );
            }
        }
        if let Some(h) = a.hours {
            let expected = hours_of(s, a);
            if (h.get() - expected).abs() > 0.01 {
                v(
                    Rule::HoursAsPlanned,
                    Some(a),
                    format!(
                        "{} takes {expected} h/week of {who}, the plan says {}",
                        slot_name(s, a),
                        h.get()
                    ),
                );
            }
        }
    }
    // Period by period: capacity, pool share, concurrent projects.
    let period = s.settings.period;
    let mut by_person: BTreeMap<usize, Vec<&Assignment>> = BTreeMap::new();
    for a in &plan.assignments {
        by_person.entry(a.person).or_default().push(a);
    }
    for (&pi, list) in &by_person {
        let p = &s.people[pi];
        let span = |a: &Assignment| {
            let ph = &s.phases[s.roles[a.role].phase];
            (period.index(ph.start), period.index(ph.end))
        };
        let first = list.iter().map(|a| span(a).0).min().unwrap_or(0);
        let last = list.iter().map(|a| span(a).1).max().unwrap_or(-1);
        let mut reported = BTreeSet::new();
        for t in first..=last {
            let active: Vec<&Assignment> = list
                .iter()
                .copied()
                .filter(|a| span(a).0 <= t && t <= span(a).1)
                .collect();
            let total: f64 = active.iter().map(|a| hours_of(s, a)).sum();
            if total > p.hours_per_week + 1e-6 && reported.insert("cap") {
                v(
                    Rule::WeeklyCapacity,
                    active.first().copied(),
                    format!(
                        "{} ({}) has {} h/week but is planned for {total} h/week in {}",
                        p.name,
                        p.id,
                        p.hours_per_week,
                        period.label(t)
                    ),
                );
            }
            let lent: f64 = active
                .iter()
                .filter(|a| s.projects[s.roles[a.role].project].municipality != p.municipality)
                .map(|a| hours_of(s, a))
                .sum();
            let share = s.settings.max_pool_share * p.hours_per_week;
            if lent > share + 1e-6 && reported.insert("share") {
                v(
                    Rule::PoolShare,
                    active.first().copied(),
                    format!(
                        "{} ({}) is lent out {lent} h/week in {}; the pool share allows {share}",
                        p.name,
                        p.id,
                        period.label(t)
                    ),
                );
            }
            if let Some(max) = p.max_projects {
                let projects: BTreeSet<usize> =
                    active.iter().map(|a| s.roles[a.role].project).collect();
                if projects.len() > max as usize && reported.insert("proj") {
                    v(
                        Rule::ConcurrentProjects,
                        active.first().copied(),
                        format!(
                            "{} ({}) works on {} projects in {}; at most {max}",
                            p.name,
                            p.id,
                            projects.len(),
                            period.label(t)
                        ),
                    );
                }
            }
        }
    }
    if s.settings.keep_home_member {
        let mut teams: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
        for a in &plan.assignments {
            let r = &s.roles[a.role];
            let entry = teams.entry(r.phase).or_default();
            if s.people[a.person].municipality == s.projects[r.project].municipality {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
        }
        for (phase, (home, pooled)) in teams {
            if pooled > 0 && home == 0 {
                let ph = &s.phases[phase];
                let project = &s.projects[ph.project];
                v(
                    Rule::HomeMember,
                    None,
                    format!(
                        "the team of {} / {} has {pooled} pooled member(s) and nobody from {}",
                        project.id, ph.name, project.municipality
                    ),
                );
            }
        }
    }
    if let Some(cap) = s.settings.max_net_lend {
        // Per municipality and planning period: hours a week lent − borrowed.
        let p = s.settings.period;
        let mut net: BTreeMap<(&str, i64), f64> = BTreeMap::new();
        for a in &plan.assignments {
            let home = s.people[a.person].municipality.as_str();
            let host = s.projects[s.roles[a.role].project].municipality.as_str();
            if home != host {
                let ph = &s.phases[s.roles[a.role].phase];
                for t in p.index(ph.start)..=p.index(ph.end) {
                    *net.entry((home, t)).or_default() += hours_of(s, a);
                    *net.entry((host, t)).or_default() -= hours_of(s, a);
                }
            }
        }
        let mut worst: BTreeMap<&str, (f64, i64)> = BTreeMap::new();
        for ((m, t), lent) in net {
            let w = worst.entry(m).or_insert((f64::NEG_INFINITY, t));
            if lent > w.0 {
                *w = (lent, t);
            }
        }
        for (m, (lent, t)) in worst {
            if lent > cap + 1e-6 {
                v(
                    Rule::NetLendingCap,
                    None,
                    format!(
                        "{m} lends out {lent} h/week net in {}; the cap is {cap}",
                        p.label(t)
                    ),
                );
            }
        }
    }
    if !s.unfilled_caps.is_empty() {
        let mut filled: BTreeMap<usize, BTreeSet<u32>> = BTreeMap::new();
        for a in &plan.assignments {
            if a.slot >= 1 && a.slot <= s.roles[a.role].count {
                filled.entry(a.role).or_default().insert(a.slot);
            }
        }
        let mut open: BTreeMap<&str, f64> = BTreeMap::new();
        for (ri, r) in s.roles.iter().enumerate() {
            if !r.required {
                continue;
            }
            let n = filled.get(&ri).map_or(0, BTreeSet::len) as f64;
            *open
                .entry(s.projects[r.project].municipality.as_str())
                .or_default() +=
                r.hours_per_week * s.phases[r.phase].weeks() * (f64::from(r.count) - n);
        }
        for (m, cap) in &s.unfilled_caps {
            let left = open.get(m.as_str()).copied().unwrap_or(0.0);
            if left > cap + 1e-6 {
                v(
                    Rule::UnfilledCap,
                    None,
                    format!(
                        "{m} is left with {left:.1} open required role-hours; the cap is {cap:.1}"
                    ),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::fixture::{assign, small};

    fn lending(cap: f64) -> Vec<Violation> {
        let mut s = small();
        s.settings.max_net_lend = Some(cap);
        // p02 (Oss) works in Bernheze 12 h a week in 2026-03..2026-08 and
        // 8 h a week in 2026-09..2027-03: never more than 12 at a time.
        let plan = Plan {
            assignments: vec![
                assign(&s, "p02", "j02", "verkenning", "projectleider"),
                assign(&s, "p02", "j02", "planuitwerking", "planeconoom"),
            ],
        };
        check(&s, &plan)
            .into_iter()
            .filter(|v| v.rule == Rule::NetLendingCap)
            .collect()
    }

    #[test]
    fn the_net_lending_cap_holds_per_period_not_over_the_sum_of_phases() {
        assert!(lending(12.0).is_empty(), "{:?}", lending(12.0));
        let broken = lending(11.0);
        assert_eq!(broken.len(), 1, "{broken:?}");
        assert!(
            broken[0]
                .message
                .contains("Oss lends out 12 h/week net in 2026-03"),
            "{}",
            broken[0].message
        );
    }
}
