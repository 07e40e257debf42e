//! The engine against the OR-Library Generalized Assignment Problem
//! instances with known optima (tests/data/gap-orlib, with their sources).
//!
//! Each instance is written as an ordinary scenario folder — agents are
//! people, jobs are one-slot projects, c_ij is a pair preference weight
//! (negated for the minimisation variant) and a_ij a pair hours override —
//! loaded through the public input code, solved, checked with the
//! independent plan checker, and its fit stage compared with bounds.txt.
//!
//! With every cluster need at 0, stage 1 asks that every job is assigned and
//! stage 3 is exactly the GAP objective.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use ploeg::domain::BackendChoice;
use ploeg::solve::{self, Backend, SolveOptions, Status};

fn benchmarks() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/gap-orlib")
}

struct Gap {
    m: usize,
    n: usize,
    cost: Vec<Vec<f64>>,
    resource: Vec<Vec<f64>>,
    capacity: Vec<f64>,
}

fn read_instance(name: &str) -> Gap {
    let text =
        std::fs::read_to_string(benchmarks().join("instances").join(name)).expect("instance file");
    let mut t = text
        .split_whitespace()
        .map(|x| x.parse::<f64>().expect("number"));
    let m = t.next().unwrap() as usize;
    let n = t.next().unwrap() as usize;
    let mut grid = |rows: usize, cols: usize| -> Vec<Vec<f64>> {
        (0..rows)
            .map(|_| (0..cols).map(|_| t.next().unwrap()).collect())
            .collect()
    };
    let cost = grid(m, n);
    let resource = grid(m, n);
    let capacity = (0..m).map(|_| t.next().unwrap()).collect();
    Gap {
        m,
        n,
        cost,
        resource,
        capacity,
    }
}

fn bounds() -> HashMap<String, (f64, f64)> {
    let text = std::fs::read_to_string(benchmarks().join("bounds.txt")).expect("bounds.txt");
    text.lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            Some((
                f.next()?.to_string(),
                (f.next()?.parse().ok()?, f.next()?.parse().ok()?),
            ))
        })
        .collect()
}

/// Writes the instance as a scenario folder. Hours are scaled by a power of
/// two so every capacity is at most 80 h/week and every value stays exact.
fn write_scenario(g: &Gap, maximise: bool, dir: &Path) {
    let max_cap = g.capacity.iter().cloned().fold(0.0, f64::max);
    let mut scale = 1.0;
    while max_cap / scale > 80.0 {
        scale *= 2.0;
    }
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("scenario.toml"),
        "name = \"gap\"\n[pooling]\nmode = \"none\"\n[solver]\ntime_limit = 120\n",
    )
    .unwrap();
    let mut people = String::from("id,name,organisation,municipality,disciplines,hours_per_week,opgave,omgeving,chaos,eigenaarschap,verbinden\n");
    for i in 0..g.m {
        writeln!(
            people,
            "a{i},Agent {i},Org,Stad,agent,{},5,5,5,5,5",
            g.capacity[i] / scale
        )
        .unwrap();
    }
    let mut projects = String::from("id,name,municipality,area,priority\n");
    let mut phases =
        String::from("project_id,phase,start,end,opgave,omgeving,chaos,eigenaarschap,verbinden\n");
    let mut roles = String::from("project_id,phase,role,discipline,hours_per_week,count,expertise,expertise_level,required\n");
    let mut prefs = String::from("person_id,project_id,phase,role,allowed,weight,hours\n");
    for j in 0..g.n {
        writeln!(projects, "j{j},Job {j},Stad,GAP,1").unwrap();
        writeln!(phases, "j{j},work,2026-01-01,2026-01-31,0,0,0,0,0").unwrap();
        writeln!(roles, "j{j},work,job,agent,1,1,,,true").unwrap();
        for i in 0..g.m {
            let w = if maximise {
                g.cost[i][j]
            } else {
                -g.cost[i][j]
            };
            writeln!(prefs, "a{i},j{j},,,true,{w},{}", g.resource[i][j] / scale).unwrap();
        }
    }
    for (f, text) in [
        ("people.csv", people),
        ("projects.csv", projects),
        ("phases.csv", phases),
        ("roles.csv", roles),
        ("preferences.csv", prefs),
    ] {
        std::fs::write(dir.join(f), text).unwrap();
    }
}

/// Solves one instance both ways and asserts the known optima.
fn run(name: &str, backend: BackendChoice) {
    let bounds = bounds();
    let g = read_instance(name);
    for maximise in [true, false] {
        let key = format!("{name}_{}", if maximise { "Max" } else { "Min" });
        let (lb, ub) = bounds[&key];
        assert_eq!(lb, ub, "{key} has no known optimum");
        let dir = tempfile::tempdir().unwrap();
        write_scenario(&g, maximise, dir.path());
        let scenario = ploeg::input::load(dir.path()).unwrap_or_else(|e| panic!("{key}: {e}"));
        let mut opts = SolveOptions::from_scenario(&scenario).unwrap();
        opts.backend = Backend::resolve(backend).unwrap();
        let solved = solve::solve(&scenario, &opts);
        eprintln!(
            "{key}: {:.2}s heur {:.3}s stages {:?}",
            solved.report.seconds,
            solved.report.heuristic_seconds,
            solved
                .report
                .stages
                .iter()
                .map(|s| (s.stage, s.seconds, s.objective))
                .collect::<Vec<_>>()
        );
        let violations = ploeg::plan::check::check(&scenario, &solved.plan);
        assert!(
            violations.is_empty(),
            "{key}: plan breaks rules: {violations:?}"
        );
        let score = ploeg::plan::score::score(&scenario, &solved.plan);
        assert_eq!(score.slots_filled, g.n, "{key}: every job must be assigned");
        let fit = solved
            .report
            .stages
            .iter()
            .find(|s| s.stage == "fit")
            .unwrap();
        let expected = if maximise { lb } else { -lb };
        assert_eq!(fit.status, Status::Optimal, "{key}: {:?}", solved.report);
        assert!(
            (fit.objective - expected).abs() < 1e-6,
            "{key}: expected {expected}, got {}",
            fit.objective
        );
        assert!(
            (score.preference_total - expected).abs() < 1e-6,
            "{key}: checker scores {}",
            score.preference_total
        );
    }
}

fn gap_set(group: &str) -> Vec<String> {
    (1..=5).map(|k| format!("{group}_{k}")).collect()
}

/// gap1–gap12 in OR-Library order.
const GROUPS: [&str; 12] = [
    "c0515", "c0520", "c0525", "c0530", "c0824", "c0832", "c0840", "c0848", "c1030", "c1040",
    "c1050", "c1060",
];

/// The pure-Rust backend proves gap1–gap4 within seconds. Its branch and
/// bound on gap5 (8 × 24) can take over a minute with some warm starts, so
/// gap5 and up are measured in benches/, not asserted here.
#[test]
fn gap1_to_gap4_default_backend_prove_known_optima() {
    for group in &GROUPS[..4] {
        for name in gap_set(group) {
            run(&name, BackendChoice::Microlp);
        }
    }
}

#[cfg(feature = "highs")]
#[test]
fn gap1_to_gap12_and_type_abc_with_highs_prove_known_optima() {
    for group in GROUPS {
        for name in gap_set(group) {
            run(&name, BackendChoice::Highs);
        }
    }
    for name in ["a05100", "b05100", "c05100"] {
        run(name, BackendChoice::Highs);
    }
}
