//! A portfolio small enough to know the answer: one project whose
//! planeconoom slot is open and whose team lacks `verbinden`.

use std::collections::BTreeMap;

use super::*;
use crate::domain::{Phase, Project, Role};

fn d(s: &str) -> crate::domain::Date {
    s.parse().unwrap()
}

fn person(id: &str, discipline: &str, scores: [f64; 5]) -> Person {
    Person {
        id: id.into(),
        name: id.to_uppercase(),
        organisation: "Oss".into(),
        municipality: "Oss".into(),
        disciplines: vec![discipline.into()],
        hours_per_week: 36.0,
        available_from: None,
        available_until: None,
        max_projects: None,
        poolable: false,
        scores,
        expertise: BTreeMap::new(),
    }
}

fn scenario() -> Scenario {
    let mut s = Scenario::default();
    s.settings.time_limit_s = 5.0;
    s.people = vec![person("p1", "projectleider", [6.0, 6.0, 6.0, 6.0, 5.0])];
    s.projects = vec![Project {
        id: "j1".into(),
        name: "Havenkwartier".into(),
        municipality: "Oss".into(),
        area: String::new(),
        priority: 1.0,
    }];
    s.phases = vec![Phase {
        project: 0,
        name: "visie".into(),
        start: d("2026-01-01"),
        end: d("2026-06-30"),
        needs: [0.0, 0.0, 0.0, 0.0, 8.0],
    }];
    for (name, hours) in [("projectleider", 20.0), ("planeconoom", 16.0)] {
        s.roles.push(Role {
            project: 0,
            phase: 0,
            name: name.into(),
            discipline: name.into(),
            hours_per_week: hours,
            count: 1,
            expertise: None,
            required: true,
        });
    }
    s
}

fn role() -> RoleProfile {
    RoleProfile {
        role: "planeconoom".into(),
        needs: [6.0, 0.0, 0.0, 0.0, 5.0],
        disciplines: vec!["planeconoom".into()],
        expertise: Vec::new(),
    }
}

#[test]
fn profile_fit_and_marginal_value_can_disagree() {
    let s = scenario();
    let base = baseline(&s);
    // The planeconoom slot (16 h/week, 181 days) is open: one phase blocked.
    assert!((base.components.time.unfilled_required_role_hours - 16.0 * 181.0 / 7.0).abs() < 1e-6);
    assert_eq!(base.components.time.blocked_phases, 1);
    let candidates = vec![
        person("a", "jurist", [10.0; 5]),
        person("b", "planeconoom", [3.0, 3.0, 3.0, 3.0, 9.0]),
        person("c", "planeconoom", [6.0, 6.0, 6.0, 6.0, 5.0]),
    ];
    let scope = Scope::of(&role(), false);
    let r = rank(&s, &base, &role(), &scope, "Oss", &candidates, &|| {}).unwrap();
    let ranks: Vec<(usize, usize)> = r
        .candidates
        .iter()
        .map(|c| (c.fit_rank, c.value_rank))
        .collect();
    // Fit: c meets every need; b has a gap of 3 on opgave; a lacks the discipline.
    // Value: b fills 16 h, unblocks j1 and closes verbinden; c only the first two.
    assert_eq!(ranks, vec![(3, 3), (2, 1), (1, 2)]);
    let b = &r.candidates[1].value;
    assert_eq!(b.unblocked, vec!["Havenkwartier (j1) / visie"]);
    assert_eq!(b.closed_by_cluster(), vec![("verbinden", 1)]);
    assert_eq!(b.placements.len(), 1);
    assert_eq!(b.placements[0].role, "planeconoom");
    let a = &r.candidates[0].value;
    assert_eq!((a.eligible_roles, a.role_hours_filled), (0, 0.0));

    let text = explanations(&r);
    assert!(text[0].starts_with("C (c) matches the planeconoom profile best (meets every cluster need and has the discipline)"), "{text:?}");
    // 16 h/week over the 181 days of the phase: 413.7 role-hours.
    assert!((b.required_role_hours_filled - 16.0 * 181.0 / 7.0).abs() < 1e-6);
    assert!(text[1].contains("B (b) adds the most to the portfolio: fills 414 role-hours of required roles that now stay open, closes the verbinden gap in 1 team and unblocks Havenkwartier (j1) / visie"), "{text:?}");
    assert!(
        text.iter().any(|t| t.contains("A (a)")
            && t.contains("but lacks the discipline")
            && t.contains("no role line in the portfolio is open to them")),
        "{text:?}"
    );
}

#[test]
fn a_candidate_never_makes_the_plan_worse_and_runs_repeat_exactly() {
    let s = scenario();
    let base = baseline(&s);
    let c = person("c", "projectleider", [9.0; 5]);
    let m1 = marginal(&s, &base, &c, &Scope::Anything).unwrap();
    let m2 = marginal(&s, &base, &c, &Scope::Anything).unwrap();
    assert_eq!(m1, m2);
    assert!(m1.weighted_unfilled_drop >= 0.0);
    // A better projectleider replaces p1 to cover verbinden.
    assert_eq!(m1.closed_by_cluster(), vec![("verbinden", 1)]);
    assert_eq!(m1.role_hours_filled, 0.0);
}
