//! Properties of the engine on small random scenarios:
//! - every plan the solver returns passes the independent checker;
//! - on scenarios small enough to enumerate, the solver's stage values equal
//!   the lexicographic optimum found by brute force over all plans (each
//!   judged by the checker and scored by `plan::score`, not by the model);
//! - solving twice gives the same plan.

use std::collections::BTreeMap;

use proptest::prelude::*;

use ploeg::domain::{
    Date, ExpertiseNeed, Person, Phase, Preference, Project, Role, Scenario, Settings,
};
use ploeg::plan::{check::check, score::score, Plan};
use ploeg::solve::{solve, Backend, SolveOptions};

/// municipality, discipline, hours, poolable, scores, max projects, expertise
type PersonSpec = (u8, u8, u8, bool, [u8; 5], Option<u32>, u8);

#[derive(Clone, Debug)]
struct Spec {
    people: Vec<PersonSpec>,
    roles: Vec<(u8, u8, u8, u8, bool, bool)>,
    needs: Vec<[u8; 5]>,
    overlap: bool,
    pooling: bool,
    keep_home: bool,
    prefs: Vec<(u8, u8, bool, i8, Option<u8>)>,
    priorities: (u8, u8),
    /// Cap on hours a municipality lends out net.
    net_lend: Option<u8>,
    /// Caps on unfilled required hours of the two municipalities.
    caps: Option<(u8, u8)>,
}

fn spec(max_people: usize, max_roles: usize) -> impl Strategy<Value = Spec> {
    let person = (
        0u8..2,
        0u8..2,
        prop::sample::select(vec![8u8, 16, 24]),
        any::<bool>(),
        prop::array::uniform5(1u8..=10),
        prop::option::of(1u32..=2),
        0u8..4,
    );
    let role = (
        0u8..2,
        0u8..4,
        0u8..2,
        prop::sample::select(vec![8u8, 16]),
        any::<bool>(),
        any::<bool>(),
    );
    let need = prop::array::uniform5(prop::sample::select(vec![0u8, 0, 0, 5, 7, 9]));
    let pref = (
        0u8..8,
        0u8..2,
        any::<bool>(),
        -2i8..=3,
        prop::option::of(prop::sample::select(vec![4u8, 12, 20])),
    );
    (
        prop::collection::vec(person, 2..=max_people),
        prop::collection::vec(role, 1..=max_roles),
        prop::collection::vec(need, 4),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(pref, 0..3),
        (1u8..=3, 1u8..=3),
        prop::option::of(prop::sample::select(vec![0u8, 8, 16])),
        prop::option::of((0u8..=4, 0u8..=4)),
    )
        .prop_map(
            |(
                people,
                roles,
                needs,
                overlap,
                pooling,
                keep_home,
                prefs,
                priorities,
                net_lend,
                caps,
            )| Spec {
                people,
                roles,
                needs,
                overlap,
                pooling,
                keep_home,
                prefs,
                priorities,
                net_lend,
                caps,
            },
        )
}

/// Half of the scenarios have no cluster needs at all: then fit ties are
/// everywhere and the placement stage decides.
fn phase_needs(sp: &Spec, k: usize) -> [f64; 5] {
    if sp.keep_home == sp.overlap {
        [0.0; 5]
    } else {
        sp.needs[k].map(f64::from)
    }
}

fn build(sp: &Spec) -> Scenario {
    let d = |y, m, day| Date::new(y, m, day).unwrap();
    let municipalities = ["Oss", "'s-Hertogenbosch"];
    let disciplines = ["planeconoom", "projectleider"];
    let settings = Settings {
        pooling: if sp.pooling {
            ploeg::domain::PoolingMode::Agreements
        } else {
            ploeg::domain::PoolingMode::None
        },
        keep_home_member: sp.keep_home,
        max_net_lend: sp.net_lend.map(f64::from),
        time_limit_s: 20.0,
        ..Settings::default()
    };
    let people = sp
        .people
        .iter()
        .enumerate()
        .map(
            |(i, &(m, disc, hours, poolable, scores, max_projects, exp))| Person {
                id: format!("p{i}"),
                name: format!("Persoon {i}"),
                organisation: format!("Gemeente {}", municipalities[m as usize]),
                municipality: municipalities[m as usize].to_string(),
                disciplines: vec![disciplines[disc as usize].to_string()],
                hours_per_week: f64::from(hours),
                available_from: None,
                available_until: if exp == 3 { Some(d(2026, 4, 30)) } else { None },
                max_projects,
                poolable,
                scores: scores.map(f64::from),
                expertise: if exp > 0 {
                    BTreeMap::from([("kostenverhaal".to_string(), f64::from(exp))])
                } else {
                    BTreeMap::new()
                },
            },
        )
        .collect();
    let projects = (0..2)
        .map(|j| Project {
            id: format!("j{j}"),
            name: format!("Project {j}"),
            municipality: municipalities[j].to_string(),
            area: "Oss-Den Bosch".to_string(),
            priority: f64::from(if j == 0 {
                sp.priorities.0
            } else {
                sp.priorities.1
            }),
        })
        .collect();
    let second = if sp.overlap {
        (d(2026, 3, 1), d(2026, 8, 31))
    } else {
        (d(2026, 5, 1), d(2026, 8, 31))
    };
    let mut phases = Vec::new();
    for j in 0..2 {
        phases.push(Phase {
            project: j,
            name: "visie".into(),
            start: d(2026, 1, 1),
            end: d(2026, 4, 30),
            needs: phase_needs(sp, j * 2),
        });
        phases.push(Phase {
            project: j,
            name: "planvorming".into(),
            start: second.0,
            end: second.1,
            needs: phase_needs(sp, j * 2 + 1),
        });
    }
    let mut roles: Vec<Role> = Vec::new();
    for (k, &(project, phase_sel, disc, hours, expertise, required)) in sp.roles.iter().enumerate()
    {
        let project = project as usize;
        let phase = project * 2 + (phase_sel as usize % 2);
        roles.push(Role {
            project,
            phase,
            name: format!("rol{k}"),
            discipline: disciplines[disc as usize].to_string(),
            hours_per_week: f64::from(hours),
            count: 1 + u32::from(phase_sel >= 2),
            expertise: expertise.then(|| ExpertiseNeed {
                field: "kostenverhaal".into(),
                level: 2.0,
            }),
            required,
        });
    }
    let mut preferences = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for &(person, project, allowed, weight, hours) in &sp.prefs {
        let person = person as usize % sp.people.len();
        if seen.insert((person, project)) {
            preferences.push(Preference {
                person,
                project: project as usize,
                phase: None,
                role: None,
                allowed,
                weight: f64::from(weight),
                hours: hours.map(f64::from),
            });
        }
    }
    let pools = BTreeMap::from([(
        "Noordoost-Brabant".to_string(),
        municipalities.iter().map(|m| m.to_string()).collect(),
    )]);
    Scenario {
        settings,
        people,
        projects,
        phases,
        roles,
        pools,
        preferences,
        unfilled_caps: match sp.caps {
            Some((a, b)) => BTreeMap::from([
                (municipalities[0].to_string(), 8.0 * f64::from(a)),
                (municipalities[1].to_string(), 8.0 * f64::from(b)),
            ]),
            None => BTreeMap::new(),
        },
        ..Scenario::default()
    }
}

/// The objective vector of a plan in stage order, from the plan's score.
fn objective(s: &Scenario, plan: &Plan, eps: f64) -> [f64; 4] {
    let c = score(s, plan);
    [
        c.weighted_unfilled,
        c.weighted_uncovered + eps * c.stacked as f64,
        -(c.fit + c.preference_total),
        c.pooled_placements as f64 - c.continuity as f64,
    ]
}

fn lex_less(a: &[f64; 4], b: &[f64; 4]) -> bool {
    for k in 0..4 {
        if a[k] < b[k] - 1e-7 {
            return true;
        }
        if a[k] > b[k] + 1e-7 {
            return false;
        }
    }
    false
}

/// The lexicographic optimum over every plan that passes the checker, if
/// any does (caps on unfilled hours can rule out every plan).
fn brute_force(s: &Scenario) -> Option<[f64; 4]> {
    let eps = ploeg::model::stack_epsilon(s, ploeg::model::eligible_pairs(s).len());
    let combos: Vec<(usize, usize)> = (0..s.people.len())
        .flat_map(|p| (0..s.roles.len()).map(move |r| (p, r)))
        .filter(|&(p, r)| s.people[p].has_discipline(&s.roles[r].discipline))
        .collect();
    assert!(
        combos.len() <= 16,
        "too many combinations to enumerate: {}",
        combos.len()
    );
    let mut best: Option<[f64; 4]> = None;
    for mask in 0u32..(1 << combos.len()) {
        let pairs: Vec<(usize, usize)> = combos
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, &c)| c)
            .collect();
        let plan = Plan::from_pairs(pairs);
        if !check(s, &plan).is_empty() {
            continue;
        }
        let o = objective(s, &plan, eps);
        if best.as_ref().is_none_or(|b| lex_less(&o, b)) {
            best = Some(o);
        }
    }
    best
}

fn options(backend: Backend) -> SolveOptions {
    SolveOptions {
        backend,
        time_limit_s: 30.0,
        mip_gap: 0.0,
        decompose: true,
        heuristic_only: false,
        warm_start: None,
        patience: ploeg::solve::heuristic::PATIENCE,
        max_milp_nonzeros: ploeg::solve::MAX_MILP_NONZEROS,
        deadline: None,
        work: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, .. ProptestConfig::default() })]

    #[test]
    fn solver_plans_pass_the_checker_and_match_brute_force(sp in spec(5, 4)) {
        let s = build(&sp);
        let combos = (0..s.people.len()).flat_map(|p| (0..s.roles.len()).map(move |r| (p, r))).filter(|&(p, r)| s.people[p].has_discipline(&s.roles[r].discipline)).count();
        prop_assume!(combos <= 14);
        let want = brute_force(&s);
        prop_assume!(want.is_some());
        let want = want.unwrap();
        let solved = solve(&s, &options(Backend::Microlp));
        let violations = check(&s, &solved.plan);
        prop_assert!(violations.is_empty(), "violations: {violations:?}");
        prop_assert_eq!(solved.report.status, ploeg::solve::Status::Optimal);
        let eps = ploeg::model::stack_epsilon(&s, ploeg::model::eligible_pairs(&s).len());
        let got = objective(&s, &solved.plan, eps);
        for k in 0..4 {
            prop_assert!((got[k] - want[k]).abs() < 1e-6, "stage {}: solver {:?} brute force {:?}", k + 1, got, want);
        }
    }

    #[test]
    fn heuristic_plans_pass_the_checker_and_runs_repeat(sp in spec(8, 6)) {
        let mut s = build(&sp);
        // Unfilled caps may rule out every plan; the brute-force test covers them.
        s.unfilled_caps.clear();
        let mut opts = options(Backend::Microlp);
        opts.heuristic_only = true;
        let a = solve(&s, &opts);
        prop_assert!(check(&s, &a.plan).is_empty());
        let b = solve(&s, &opts);
        prop_assert_eq!(&a.plan, &b.plan);
        let full = solve(&s, &options(Backend::Microlp));
        prop_assert!(check(&s, &full.plan).is_empty());
        // The MILP never returns something worse than its warm start.
        let eps = ploeg::model::stack_epsilon(&s, ploeg::model::eligible_pairs(&s).len());
        let (h, m) = (objective(&s, &a.plan, eps), objective(&s, &full.plan, eps));
        prop_assert!(!lex_less(&h, &m), "heuristic {h:?} beats the MILP {m:?}");
    }
}

#[cfg(feature = "highs")]
proptest! {
    #![proptest_config(ProptestConfig { cases: 40, .. ProptestConfig::default() })]

    #[test]
    fn highs_matches_brute_force(sp in spec(5, 4)) {
        let s = build(&sp);
        let combos = (0..s.people.len()).flat_map(|p| (0..s.roles.len()).map(move |r| (p, r))).filter(|&(p, r)| s.people[p].has_discipline(&s.roles[r].discipline)).count();
        prop_assume!(combos <= 14);
        let want = brute_force(&s);
        prop_assume!(want.is_some());
        let want = want.unwrap();
        let solved = solve(&s, &options(Backend::Highs));
        prop_assert!(check(&s, &solved.plan).is_empty());
        let eps = ploeg::model::stack_epsilon(&s, ploeg::model::eligible_pairs(&s).len());
        let got = objective(&s, &solved.plan, eps);
        for k in 0..4 {
            prop_assert!((got[k] - want[k]).abs() < 1e-6, "stage {}: solver {:?} brute force {:?}", k + 1, got, want);
        }
    }
}
