//! The competency bank: "whom in the network do I call for stikstof, KRW,
//! netcongestie, kostenverhaal?" Everyone with a level in a field, with
//! their free hours per week in a date window under the current plan,
//! whether they may be pooled and where they are based; best level first,
//! then most free hours.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::domain::{Date, Scenario};
use crate::model::phase_periods;
use crate::plan::Plan;

/// What the user asks for.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    /// The expertise field (matched case-insensitively).
    pub field: String,
    pub min_level: Option<f64>,
    /// Only people who can serve this municipality: based there, or
    /// poolable with a pool link to it.
    pub municipality: Option<String>,
    pub from: Option<Date>,
    pub until: Option<Date>,
    pub poolable_only: bool,
}

/// One person in the bank.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    pub person_id: String,
    pub name: String,
    pub organisation: String,
    pub home_municipality: String,
    pub field: String,
    pub level: f64,
    pub esco_uri: Option<String>,
    pub poolable: bool,
    pub hours_per_week: f64,
    /// The most hours planned in any period of the window.
    pub assigned_hours_max: f64,
    /// Free hours per week in every period of the window (the minimum);
    /// periods outside the person's availability count as 0.
    pub free_hours_per_week: f64,
    /// Mean free hours per week over the window's periods.
    pub free_hours_avg: f64,
    /// Available for the whole window.
    pub available: bool,
    /// Projects the person works on in the window.
    pub projects: Vec<String>,
}

/// The answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bank {
    /// The field as recorded in expertise.csv.
    pub field: String,
    pub esco_uri: Option<String>,
    pub from: String,
    pub until: String,
    /// Labels of the first and last planning period of the window.
    pub periods: (String, String),
    /// Everyone with the field before the filters.
    pub with_field: usize,
    pub people: Vec<Entry>,
}

/// Why a query cannot be answered.
#[derive(Clone, Debug, PartialEq)]
pub enum QueryError {
    /// Nobody has this field; the fields that exist, closest first.
    UnknownField(Vec<String>),
    /// `until` before `from`.
    EmptyWindow,
    /// No phase in the scenario and no window given.
    NoWindow,
}

/// Every field recorded in the scenario, sorted.
pub fn fields(s: &Scenario) -> Vec<String> {
    let set: BTreeSet<&str> = s
        .people
        .iter()
        .flat_map(|p| p.expertise.keys().map(String::as_str))
        .collect();
    set.into_iter().map(str::to_string).collect()
}

/// The bank's answer to `q` under `plan`.
pub fn search(s: &Scenario, plan: &Plan, q: &Query) -> Result<Bank, QueryError> {
    let all = fields(s);
    let wanted = q.field.trim().to_lowercase();
    let Some(field) = all.iter().find(|f| f.to_lowercase() == wanted).cloned() else {
        let mut near = all.clone();
        near.sort_by_key(|f| {
            let lf = f.to_lowercase();
            let contains = lf.contains(&wanted) || wanted.contains(&lf);
            (!contains, crate::input::distance(&lf, &wanted), f.clone())
        });
        return Err(QueryError::UnknownField(near));
    };
    let first = s.phases.iter().map(|f| f.start).min();
    let last = s.phases.iter().map(|f| f.end).max();
    let from = q.from.or(first).ok_or(QueryError::NoWindow)?;
    let until = q.until.or(last).ok_or(QueryError::NoWindow)?;
    if until < from {
        return Err(QueryError::EmptyWindow);
    }
    let kind = s.settings.period;
    let (t0, t1) = (kind.index(from), kind.index(until));
    let periods = phase_periods(s);
    let mut people = Vec::new();
    let mut with_field = 0;
    for (pi, p) in s.people.iter().enumerate() {
        let Some(level) = p.expertise_level(&field) else {
            continue;
        };
        with_field += 1;
        if q.min_level.is_some_and(|m| level < m)
            || (q.poolable_only && !p.poolable)
            || q.municipality.as_ref().is_some_and(|m| {
                *m != p.municipality && !(p.poolable && s.pool_links(&p.municipality, m))
            })
        {
            continue;
        }
        let mine: Vec<usize> = plan
            .assignments
            .iter()
            .filter(|a| a.person == pi)
            .map(|a| a.role)
            .collect();
        let mut projects = BTreeSet::new();
        let (mut min_free, mut sum_free, mut max_assigned) = (f64::INFINITY, 0.0, 0.0f64);
        for t in t0..=t1 {
            let mut assigned = 0.0;
            for &r in &mine {
                let (a, b) = periods[s.roles[r].phase];
                if a <= t && t <= b {
                    assigned += Plan::pair_hours(s, pi, r);
                    projects.insert(s.projects[s.roles[r].project].id.clone());
                }
            }
            let available = p.available_from.is_none_or(|d| kind.index(d) <= t)
                && p.available_until.is_none_or(|d| kind.index(d) >= t);
            let free = if available {
                (p.hours_per_week - assigned).max(0.0)
            } else {
                0.0
            };
            min_free = min_free.min(free);
            sum_free += free;
            max_assigned = max_assigned.max(assigned);
        }
        let n = (t1 - t0 + 1) as f64;
        people.push(Entry {
            person_id: p.id.clone(),
            name: p.name.clone(),
            organisation: p.organisation.clone(),
            home_municipality: p.municipality.clone(),
            field: field.clone(),
            level,
            esco_uri: s.esco.get(&field).cloned(),
            poolable: p.poolable,
            hours_per_week: p.hours_per_week,
            assigned_hours_max: max_assigned,
            free_hours_per_week: min_free,
            free_hours_avg: sum_free / n,
            available: p.covers(from, until),
            projects: projects.into_iter().collect(),
        });
    }
    people.sort_by(|a, b| {
        b.level
            .total_cmp(&a.level)
            .then(b.free_hours_per_week.total_cmp(&a.free_hours_per_week))
            .then(b.free_hours_avg.total_cmp(&a.free_hours_avg))
            .then(a.person_id.cmp(&b.person_id))
    });
    Ok(Bank {
        esco_uri: s.esco.get(&field).cloned(),
        field,
        from: from.to_string(),
        until: until.to_string(),
        periods: (kind.label(t0), kind.label(t1)),
        with_field,
        people,
    })
}

/// The bank as CSV (decimal point, hours with at most two decimals).
pub fn to_csv(b: &Bank) -> Vec<u8> {
    let mut w = crate::report::csv_out::writer();
    let num = crate::assess::fmt_num;
    let _ = w.write_record([
        "person_id",
        "name",
        "organisation",
        "home_municipality",
        "field",
        "level",
        "esco_uri",
        "poolable",
        "hours_per_week",
        "assigned_hours_max",
        "free_hours_per_week",
        "free_hours_avg",
        "available",
        "projects",
    ]);
    for e in &b.people {
        let _ = w.write_record([
            e.person_id.as_str(),
            e.name.as_str(),
            e.organisation.as_str(),
            e.home_municipality.as_str(),
            e.field.as_str(),
            &num(e.level),
            e.esco_uri.as_deref().unwrap_or(""),
            if e.poolable { "true" } else { "false" },
            &num(e.hours_per_week),
            &num(e.assigned_hours_max),
            &num(e.free_hours_per_week),
            &num(e.free_hours_avg),
            if e.available { "true" } else { "false" },
            &e.projects.join("|"),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{PeriodKind, Person, Phase, Project, Role};
    use crate::plan::Assignment;
    use std::collections::BTreeMap;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn person(id: &str, m: &str, level: f64, poolable: bool) -> Person {
        Person {
            id: id.into(),
            name: id.to_uppercase(),
            organisation: m.into(),
            municipality: m.into(),
            disciplines: vec!["milieuadviseur".into()],
            hours_per_week: 32.0,
            available_from: None,
            available_until: None,
            max_projects: None,
            poolable,
            scores: [5.0; 5],
            expertise: BTreeMap::from([("stikstof".to_string(), level)]),
        }
    }

    fn scenario() -> Scenario {
        let mut s = Scenario::default();
        s.settings.period = PeriodKind::Month;
        s.people = vec![
            person("a", "Oss", 3.0, false),
            person("b", "Oss", 4.0, true),
            person("c", "Breda", 4.0, true),
            person("e", "Eindhoven", 5.0, true),
        ];
        s.people[1].available_until = Some(d("2026-02-28"));
        s.pools
            .insert("P".into(), vec!["Oss".into(), "Breda".into()]);
        s.projects = vec![Project {
            id: "j1".into(),
            name: "J".into(),
            municipality: "Oss".into(),
            area: String::new(),
            priority: 1.0,
        }];
        s.phases = vec![Phase {
            project: 0,
            name: "f".into(),
            start: d("2026-01-01"),
            end: d("2026-02-28"),
            needs: [0.0; 5],
        }];
        s.roles = vec![Role {
            project: 0,
            phase: 0,
            name: "m".into(),
            discipline: "milieuadviseur".into(),
            hours_per_week: 12.0,
            count: 1,
            expertise: None,
            required: true,
        }];
        s
    }

    #[test]
    fn free_hours_count_the_plan_and_availability() {
        let s = scenario();
        let plan = Plan {
            assignments: vec![Assignment {
                role: 0,
                slot: 1,
                person: 2,
                hours: None,
                line: None,
            }],
        };
        let q = Query {
            field: "Stikstof".into(),
            until: Some(d("2026-03-31")),
            ..Query::default()
        };
        let b = search(&s, &plan, &q).unwrap();
        let ids: Vec<&str> = b.people.iter().map(|e| e.person_id.as_str()).collect();
        // Level first, then free hours: c (4, busy Jan–Feb) after b? b is
        // unavailable in March (free 0 there), c has 20 free in Jan–Feb.
        assert_eq!(ids, vec!["e", "c", "b", "a"]);
        let c = &b.people[1];
        assert_eq!((c.free_hours_per_week, c.assigned_hours_max), (20.0, 12.0));
        assert!((c.free_hours_avg - (20.0 + 20.0 + 32.0) / 3.0).abs() < 1e-9);
        assert_eq!(c.projects, vec!["j1"]);
        assert_eq!(b.people[2].free_hours_per_week, 0.0);
        assert!(!b.people[2].available);
        assert_eq!(b.periods, ("2026-01".to_string(), "2026-03".to_string()));
    }

    #[test]
    fn filters_level_municipality_and_poolable() {
        let s = scenario();
        let plan = Plan::default();
        let q = |m: Option<&str>, min: Option<f64>, pool: bool| Query {
            field: "stikstof".into(),
            min_level: min,
            municipality: m.map(str::to_string),
            poolable_only: pool,
            ..Query::default()
        };
        let ids = |q: Query| -> Vec<String> {
            search(&s, &plan, &q)
                .unwrap()
                .people
                .into_iter()
                .map(|e| e.person_id)
                .collect()
        };
        // Oss: its own people and Breda's poolable one (pool link), not Eindhoven's.
        assert_eq!(ids(q(Some("Oss"), None, false)), vec!["b", "c", "a"]);
        assert_eq!(ids(q(None, Some(4.0), false)), vec!["e", "b", "c"]);
        assert_eq!(ids(q(None, None, true)), vec!["e", "b", "c"]);
        match search(&s, &plan, &q(None, None, false).clone_with("stikstoff")) {
            Err(QueryError::UnknownField(near)) => assert_eq!(near[0], "stikstof"),
            other => panic!("{other:?}"),
        }
    }

    impl Query {
        fn clone_with(&self, field: &str) -> Query {
            Query {
                field: field.into(),
                ..self.clone()
            }
        }
    }
}
