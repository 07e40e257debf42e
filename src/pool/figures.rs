//! What a plan means for each municipality: work asked and left open,
//! blocked phases, cluster needs covered, work lent and borrowed, the
//! share of its teams' hours from its own people, and who is pooled most.
//! Work is counted in role-hours over the planning horizon (hours a week ×
//! weeks of the phase), as in summary.json; the one weekly figure is the
//! peak net lending, the unit of the net lending cap.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::domain::Scenario;
use crate::plan::{Assignment, Plan};

/// One municipality under one plan.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MuniFigures {
    pub municipality: String,
    pub people: usize,
    pub projects: usize,
    /// Role-hours of the required slots in its projects.
    pub required_role_hours: f64,
    pub unfilled_required_role_hours: f64,
    /// Phases of its projects, and those with a required slot open.
    pub phases: usize,
    pub blocked_phases: usize,
    pub needs_total: usize,
    pub needs_covered: usize,
    /// Share of its teams' cluster needs covered (1 without needs).
    pub balance: f64,
    /// Role-hours its people work for other municipalities.
    pub lent_role_hours: f64,
    /// Role-hours people of other municipalities work in its projects.
    pub borrowed_role_hours: f64,
    /// The most hours a week it lends out net (lent − borrowed) in any
    /// planning period; what the net lending cap limits.
    pub peak_net_lent_hours_per_week: f64,
    /// Share of its teams' role-hours worked by its own people (1 when its
    /// teams have no hours).
    pub home_share: f64,
    /// Its people who work for another municipality.
    pub people_lent: usize,
    /// Its people who work for two or more municipalities besides their own.
    pub spread_thin: usize,
}

/// Role-hours one municipality's people work in another's projects.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flow {
    pub from: String,
    pub to: String,
    pub role_hours: f64,
    pub people: usize,
}

/// A person who works outside their home municipality.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PooledPerson {
    pub person_id: String,
    pub name: String,
    pub home: String,
    pub lent_role_hours: f64,
    /// Municipalities served besides home, sorted.
    pub serves: Vec<String>,
}

fn host<'s>(s: &'s Scenario, a: &Assignment) -> &'s str {
    &s.projects[s.roles[a.role].project].municipality
}

/// Role-hours of one assignment over its phase.
fn role_hours(s: &Scenario, a: &Assignment) -> f64 {
    Plan::pair_hours(s, a.person, a.role) * s.phases[s.roles[a.role].phase].weeks()
}

/// Hours a week each municipality lends out net, per planning period of
/// the plan (only municipalities that lend or borrow appear).
pub fn net_lent_by_period<'s>(
    s: &'s Scenario,
    plan: &Plan,
) -> BTreeMap<&'s str, BTreeMap<i64, f64>> {
    let p = s.settings.period;
    let mut out: BTreeMap<&str, BTreeMap<i64, f64>> = BTreeMap::new();
    for a in &plan.assignments {
        let home = s.people[a.person].municipality.as_str();
        let to = host(s, a);
        if home == to {
            continue;
        }
        let h = Plan::pair_hours(s, a.person, a.role);
        let f = &s.phases[s.roles[a.role].phase];
        for t in p.index(f.start)..=p.index(f.end) {
            *out.entry(home).or_default().entry(t).or_default() += h;
            *out.entry(to).or_default().entry(t).or_default() -= h;
        }
    }
    out
}

/// The figures of every municipality (with people or projects), sorted by name.
pub fn per_municipality(s: &Scenario, plan: &Plan) -> Vec<MuniFigures> {
    let mut out: BTreeMap<String, MuniFigures> = s
        .municipalities()
        .into_iter()
        .map(|m| {
            let f = MuniFigures {
                municipality: m.clone(),
                ..MuniFigures::default()
            };
            (m, f)
        })
        .collect();
    for p in &s.people {
        out.get_mut(&p.municipality).expect("listed").people += 1;
    }
    for p in &s.projects {
        out.get_mut(&p.municipality).expect("listed").projects += 1;
    }
    let team_hours = lending(s, plan, &mut out);
    open_work(s, plan, &mut out);
    needs(s, plan, &mut out);
    for (m, by_period) in net_lent_by_period(s, plan) {
        let peak = by_period.values().copied().fold(0.0, f64::max);
        out.get_mut(m).expect("listed").peak_net_lent_hours_per_week = peak;
    }
    for f in out.values_mut() {
        f.balance = if f.needs_total == 0 {
            1.0
        } else {
            f.needs_covered as f64 / f.needs_total as f64
        };
        f.home_share = match team_hours.get(f.municipality.as_str()) {
            Some(&(home, all)) if all > 0.0 => home / all,
            _ => 1.0,
        };
    }
    out.into_values().collect()
}

/// Lent and borrowed role-hours and people lent; returns per host
/// municipality its teams' (home, all) role-hours.
fn lending<'s>(
    s: &'s Scenario,
    plan: &Plan,
    out: &mut BTreeMap<String, MuniFigures>,
) -> BTreeMap<&'s str, (f64, f64)> {
    let mut team_hours: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    let mut served: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for a in &plan.assignments {
        let h = role_hours(s, a);
        let home = s.people[a.person].municipality.as_str();
        let to = host(s, a);
        let entry = team_hours.entry(to).or_default();
        entry.1 += h;
        if home == to {
            entry.0 += h;
        } else {
            out.get_mut(home).expect("listed").lent_role_hours += h;
            out.get_mut(to).expect("listed").borrowed_role_hours += h;
            served.entry(a.person).or_default().insert(to);
        }
    }
    for (person, to) in &served {
        let m = out
            .get_mut(&s.people[*person].municipality)
            .expect("listed");
        m.people_lent += 1;
        if to.len() >= 2 {
            m.spread_thin += 1;
        }
    }
    team_hours
}

/// Required and open required role-hours, phases and blocked phases.
fn open_work(s: &Scenario, plan: &Plan, out: &mut BTreeMap<String, MuniFigures>) {
    let filled = crate::plan::score::filled_counts(s, plan);
    for ph in &s.phases {
        let m = &s.projects[ph.project].municipality;
        out.get_mut(m).expect("listed").phases += 1;
    }
    for (ri, r) in s.roles.iter().enumerate().filter(|(_, r)| r.required) {
        let m = out
            .get_mut(&s.projects[r.project].municipality)
            .expect("listed");
        let weeks = s.phases[r.phase].weeks();
        m.required_role_hours += r.hours_per_week * weeks * f64::from(r.count);
        let open = r.count.saturating_sub(filled[ri]);
        m.unfilled_required_role_hours += r.hours_per_week * weeks * f64::from(open);
    }
    for f in crate::plan::time::blocked_phases(s, plan) {
        let m = &s.projects[s.phases[f].project].municipality;
        out.get_mut(m).expect("listed").blocked_phases += 1;
    }
}

/// Cluster needs of its teams, and how many the team covers.
fn needs(s: &Scenario, plan: &Plan, out: &mut BTreeMap<String, MuniFigures>) {
    let mut team: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for a in &plan.assignments {
        team.entry(s.roles[a.role].phase)
            .or_default()
            .push(a.person);
    }
    for (pi, ph) in s.phases.iter().enumerate() {
        let m = out
            .get_mut(&s.projects[ph.project].municipality)
            .expect("listed");
        let members = team.get(&pi).map(Vec::as_slice).unwrap_or(&[]);
        for (c, &level) in ph.needs.iter().enumerate() {
            if level > 0.0 {
                m.needs_total += 1;
                if members.iter().any(|&p| s.people[p].scores[c] >= level) {
                    m.needs_covered += 1;
                }
            }
        }
    }
}

/// Role-hours and people per (from, to) pair of municipalities, sorted by
/// role-hours (largest first), then names.
pub fn flows(s: &Scenario, plan: &Plan) -> Vec<Flow> {
    let mut acc: BTreeMap<(&str, &str), (f64, BTreeSet<usize>)> = BTreeMap::new();
    for a in &plan.assignments {
        let home = s.people[a.person].municipality.as_str();
        let to = host(s, a);
        if home != to {
            let e = acc.entry((home, to)).or_default();
            e.0 += role_hours(s, a);
            e.1.insert(a.person);
        }
    }
    let mut out: Vec<Flow> = acc
        .into_iter()
        .map(|((from, to), (role_hours, people))| Flow {
            from: from.to_string(),
            to: to.to_string(),
            role_hours,
            people: people.len(),
        })
        .collect();
    out.sort_by(|a, b| {
        b.role_hours
            .total_cmp(&a.role_hours)
            .then_with(|| a.from.cmp(&b.from))
            .then_with(|| a.to.cmp(&b.to))
    });
    out
}

/// The `top` people who work most role-hours outside their home municipality.
pub fn pooled_people(s: &Scenario, plan: &Plan, top: usize) -> Vec<PooledPerson> {
    let mut acc: BTreeMap<usize, (f64, BTreeSet<String>)> = BTreeMap::new();
    for a in &plan.assignments {
        let home = s.people[a.person].municipality.as_str();
        let to = host(s, a);
        if home != to {
            let e = acc.entry(a.person).or_default();
            e.0 += role_hours(s, a);
            e.1.insert(to.to_string());
        }
    }
    let mut out: Vec<PooledPerson> = acc
        .into_iter()
        .map(|(p, (lent_role_hours, serves))| PooledPerson {
            person_id: s.people[p].id.clone(),
            name: s.people[p].name.clone(),
            home: s.people[p].municipality.clone(),
            lent_role_hours,
            serves: serves.into_iter().collect(),
        })
        .collect();
    out.sort_by(|a, b| {
        b.lent_role_hours
            .total_cmp(&a.lent_role_hours)
            .then_with(|| a.person_id.cmp(&b.person_id))
    });
    out.truncate(top);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::fixture::{assign, small};

    #[test]
    fn lending_borrowing_and_blocking_per_municipality() {
        let s = small();
        // p01 works at home in Oss; p02 (Oss) is lent to Bernheze for 8 h
        // a week (the preference of p03 sets 10 h, p02 works the role's 8 h)
        // in j02 planuitwerking, 2026-09-01..2027-03-31: 212 days.
        let plan = Plan {
            assignments: vec![
                assign(&s, "p01", "j01", "verkenning", "projectleider"),
                assign(&s, "p02", "j02", "planuitwerking", "planeconoom"),
            ],
        };
        let lent = 8.0 * 212.0 / 7.0;
        let f = per_municipality(&s, &plan);
        assert_eq!(f.len(), 2);
        let (bernheze, oss) = (&f[0], &f[1]);
        assert_eq!(bernheze.municipality, "Bernheze");
        assert!((oss.lent_role_hours - lent).abs() < 1e-9);
        assert!((bernheze.borrowed_role_hours - lent).abs() < 1e-9);
        assert_eq!(oss.borrowed_role_hours, 0.0);
        assert_eq!(oss.peak_net_lent_hours_per_week, 8.0);
        assert_eq!(bernheze.peak_net_lent_hours_per_week, 0.0);
        // j01 verkenning, 2026-01-01..2026-06-30: 181 days of 16 h.
        let filled = oss.required_role_hours - oss.unfilled_required_role_hours;
        assert!((filled - 16.0 * 181.0 / 7.0).abs() < 1e-9);
        let filled = bernheze.required_role_hours - bernheze.unfilled_required_role_hours;
        assert!((filled - lent).abs() < 1e-9);
        assert!(oss.blocked_phases >= 1 && oss.blocked_phases <= oss.phases);
        assert_eq!(oss.home_share, 1.0);
        assert_eq!(bernheze.home_share, 0.0);
        assert_eq!((oss.people_lent, oss.spread_thin), (1, 0));
        assert!(oss.needs_covered <= oss.needs_total);
        let fl = flows(&s, &plan);
        assert_eq!(fl.len(), 1);
        assert_eq!(
            (fl[0].from.as_str(), fl[0].to.as_str()),
            ("Oss", "Bernheze")
        );
        assert!((fl[0].role_hours - lent).abs() < 1e-9);
        assert_eq!(fl[0].people, 1);
        let top = pooled_people(&s, &plan, 5);
        assert_eq!(top.len(), 1);
        assert_eq!(top[0].person_id, "p02");
        assert_eq!(top[0].serves, vec!["Bernheze".to_string()]);
    }
}
