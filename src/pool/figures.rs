//! What a plan means for each municipality: hours asked and left open,
//! stalled projects, cluster needs covered, hours lent and borrowed, the
//! share of its teams' hours from its own people, and who is pooled most.
//! Hours are hours per week, summed over slots (as everywhere in ploeg).

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
    /// Hours of required slots in its projects.
    pub required_hours: f64,
    pub unfilled_required_hours: f64,
    /// Its projects with a required slot unfilled.
    pub stalled_projects: usize,
    pub needs_total: usize,
    pub needs_covered: usize,
    /// Share of its teams' cluster needs covered (1 without needs).
    pub balance: f64,
    /// Hours its people work for other municipalities.
    pub hours_lent: f64,
    /// Hours people of other municipalities work in its projects.
    pub hours_borrowed: f64,
    /// Share of its teams' hours worked by its own people (1 when its
    /// teams have no hours).
    pub home_share: f64,
    /// Its people who work for another municipality.
    pub people_lent: usize,
    /// Its people who work for two or more municipalities besides their own.
    pub spread_thin: usize,
}

/// Hours one municipality's people work in another's projects.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flow {
    pub from: String,
    pub to: String,
    pub hours: f64,
    pub people: usize,
}

/// A person who works outside their home municipality.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PooledPerson {
    pub person_id: String,
    pub name: String,
    pub home: String,
    pub hours_lent: f64,
    /// Municipalities served besides home, sorted.
    pub serves: Vec<String>,
}

fn host<'s>(s: &'s Scenario, a: &Assignment) -> &'s str {
    &s.projects[s.roles[a.role].project].municipality
}

/// The figures of every municipality (with people or projects), sorted by name.
pub fn per_municipality(s: &Scenario, plan: &Plan) -> Vec<MuniFigures> {
    let mut out: BTreeMap<String, MuniFigures> = s
        .municipalities()
        .into_iter()
        .map(|m| {
            (
                m.clone(),
                MuniFigures {
                    municipality: m,
                    ..MuniFigures::default()
                },
            )
        })
        .collect();
    for p in &s.people {
        out.get_mut(&p.municipality).expect("listed").people += 1;
    }
    for p in &s.projects {
        out.get_mut(&p.municipality).expect("listed").projects += 1;
    }
    let filled = crate::plan::score::filled_counts(s, plan);
    let mut team: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut team_hours: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    let mut served: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for a in &plan.assignments {
        let r = &s.roles[a.role];
        team.entry(r.phase).or_default().push(a.person);
        let h = Plan::pair_hours(s, a.person, a.role);
        let home = s.people[a.person].municipality.as_str();
        let to = host(s, a);
        let entry = team_hours.entry(to).or_default();
        entry.1 += h;
        if home == to {
            entry.0 += h;
        } else {
            out.get_mut(home).expect("listed").hours_lent += h;
            out.get_mut(to).expect("listed").hours_borrowed += h;
            served.entry(a.person).or_default().insert(to);
        }
    }
    let mut stalled: BTreeSet<usize> = BTreeSet::new();
    for (ri, r) in s.roles.iter().enumerate() {
        if !r.required {
            continue;
        }
        let m = out
            .get_mut(&s.projects[r.project].municipality)
            .expect("listed");
        let n = filled[ri];
        m.required_hours += r.hours_per_week * f64::from(r.count);
        if n < r.count {
            m.unfilled_required_hours += r.hours_per_week * f64::from(r.count - n);
            stalled.insert(r.project);
        }
    }
    for project in stalled {
        out.get_mut(&s.projects[project].municipality)
            .expect("listed")
            .stalled_projects += 1;
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
    for (person, to) in &served {
        let m = out
            .get_mut(&s.people[*person].municipality)
            .expect("listed");
        m.people_lent += 1;
        if to.len() >= 2 {
            m.spread_thin += 1;
        }
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

/// Hours and people per (from, to) pair of municipalities, sorted by hours
/// (largest first), then names.
pub fn flows(s: &Scenario, plan: &Plan) -> Vec<Flow> {
    let mut acc: BTreeMap<(&str, &str), (f64, BTreeSet<usize>)> = BTreeMap::new();
    for a in &plan.assignments {
        let home = s.people[a.person].municipality.as_str();
        let to = host(s, a);
        if home != to {
            let e = acc.entry((home, to)).or_default();
            e.0 += Plan::pair_hours(s, a.person, a.role);
            e.1.insert(a.person);
        }
    }
    let mut out: Vec<Flow> = acc
        .into_iter()
        .map(|((from, to), (hours, people))| Flow {
            from: from.to_string(),
            to: to.to_string(),
            hours,
            people: people.len(),
        })
        .collect();
    out.sort_by(|a, b| {
        b.hours
            .total_cmp(&a.hours)
            .then_with(|| a.from.cmp(&b.from))
            .then_with(|| a.to.cmp(&b.to))
    });
    out
}

/// The `top` people who work most hours outside their home municipality.
pub fn pooled_people(s: &Scenario, plan: &Plan, top: usize) -> Vec<PooledPerson> {
    let mut acc: BTreeMap<usize, (f64, BTreeSet<String>)> = BTreeMap::new();
    for a in &plan.assignments {
        let home = s.people[a.person].municipality.as_str();
        let to = host(s, a);
        if home != to {
            let e = acc.entry(a.person).or_default();
            e.0 += Plan::pair_hours(s, a.person, a.role);
            e.1.insert(to.to_string());
        }
    }
    let mut out: Vec<PooledPerson> = acc
        .into_iter()
        .map(|(p, (hours_lent, serves))| PooledPerson {
            person_id: s.people[p].id.clone(),
            name: s.people[p].name.clone(),
            home: s.people[p].municipality.clone(),
            hours_lent,
            serves: serves.into_iter().collect(),
        })
        .collect();
    out.sort_by(|a, b| {
        b.hours_lent
            .total_cmp(&a.hours_lent)
            .then_with(|| a.person_id.cmp(&b.person_id))
    });
    out.truncate(top);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Scenario {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/small");
        crate::input::load(&dir).expect("the small scenario loads")
    }

    fn assign(s: &Scenario, person: &str, project: &str, phase: &str, role: &str) -> Assignment {
        let role = s
            .roles
            .iter()
            .position(|r| {
                s.projects[r.project].id == project
                    && s.phases[r.phase].name == phase
                    && r.name == role
            })
            .expect("role exists");
        Assignment {
            role,
            slot: 1,
            person: s
                .people
                .iter()
                .position(|p| p.id == person)
                .expect("person"),
            hours: None,
            line: None,
        }
    }

    #[test]
    fn lending_borrowing_and_stalling_per_municipality() {
        let s = small();
        // p01 works at home in Oss; p02 (Oss) is lent to Bernheze for 10 h
        // (the preference of p03 sets 10 h, p02 works the role's 8 h).
        let plan = Plan {
            assignments: vec![
                assign(&s, "p01", "j01", "verkenning", "projectleider"),
                assign(&s, "p02", "j02", "planuitwerking", "planeconoom"),
            ],
        };
        let f = per_municipality(&s, &plan);
        assert_eq!(f.len(), 2);
        let (bernheze, oss) = (&f[0], &f[1]);
        assert_eq!(bernheze.municipality, "Bernheze");
        assert_eq!(oss.hours_lent, 8.0);
        assert_eq!(bernheze.hours_borrowed, 8.0);
        assert_eq!(oss.hours_borrowed, 0.0);
        assert_eq!(oss.required_hours - oss.unfilled_required_hours, 16.0);
        assert_eq!(
            bernheze.required_hours - bernheze.unfilled_required_hours,
            8.0
        );
        assert_eq!(oss.stalled_projects, 1);
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
        assert_eq!((fl[0].hours, fl[0].people), (8.0, 1));
        let top = pooled_people(&s, &plan, 5);
        assert_eq!(top.len(), 1);
        assert_eq!(top[0].person_id, "p02");
        assert_eq!(top[0].serves, vec!["Bernheze".to_string()]);
    }
}
