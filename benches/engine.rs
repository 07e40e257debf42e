//! Criterion benchmarks of the engine's steps on generated scenarios and the
//! OR-Library GAP instances gap1–gap12:
//! reading + validation, the domain model (eligible pairs, rows, parts) at
//! municipality, region and national size, the good_lp model and the
//! heuristic at the first two, the full solve of the demo, and the GAP suite.
//!
//! `cargo bench --bench engine` (default build) or
//! `cargo bench --bench engine --features highs`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use ploeg::generate::{generate, GenerateParams};
use ploeg::model::{eligible_pairs, milp::Milp, Instance};
use ploeg::solve::{solve, SolveOptions};

fn scenario_dir(people: usize, municipalities: usize, seed: u64) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let g = generate(&GenerateParams {
        people,
        municipalities,
        projects: None,
        seed,
        load: None,
    })
    .unwrap();
    g.write_to(&dir).unwrap();
    (tmp, dir)
}

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo")
}

fn input_and_model(c: &mut Criterion) {
    let mut g = c.benchmark_group("input_and_model");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    for (name, people, municipalities) in [
        ("municipality_60", 60, 3),
        ("region_1000", 1000, 17),
        ("nation_10000", 10_000, 40),
    ] {
        let (_t, dir) = scenario_dir(people, municipalities, 1);
        g.bench_function(format!("read_validate/{name}"), |b| {
            b.iter(|| ploeg::input::load(&dir).unwrap())
        });
        let s = ploeg::input::load(&dir).unwrap();
        // The domain model alone (eligible pairs, rows, parts): what a
        // solve builds before any solver runs.
        g.bench_function(format!("model/{name}"), |b| {
            b.iter(|| Instance::split(&s, eligible_pairs(&s)).len())
        });
        if people > 1000 {
            // The good_lp model and a national solve take minutes:
            // benches/scale.sh measures the solve.
            continue;
        }
        g.bench_function(format!("pairs_and_model/{name}"), |b| {
            b.iter(|| {
                let parts = Instance::split(&s, eligible_pairs(&s));
                parts
                    .iter()
                    .map(|p| Milp::build(&s, p).num_rows())
                    .sum::<usize>()
            })
        });
        g.bench_function(format!("heuristic/{name}"), |b| {
            b.iter(|| {
                let mut opts = SolveOptions::from_scenario(&s).unwrap();
                opts.heuristic_only = true;
                solve(&s, &opts).plan.assignments.len()
            })
        });
    }
    g.finish();
}

fn demo_solve(c: &mut Criterion) {
    let s = ploeg::input::load(&demo_dir()).unwrap();
    let opts = SolveOptions::from_scenario(&s).unwrap();
    let mut g = c.benchmark_group("solve");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function(format!("demo/{}", opts.backend.name()), |b| {
        b.iter(|| solve(&s, &opts).report.status)
    });
    g.finish();
}

/// gap1–gap12 (60 instances, maximisation) through the scenario format.
fn gap_suite(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/gap-orlib/instances");
    let groups = [
        "c0515", "c0520", "c0525", "c0530", "c0824", "c0832", "c0840", "c0848", "c1030", "c1040",
        "c1050", "c1060",
    ];
    let tmp = tempfile::tempdir().unwrap();
    let mut scenarios = Vec::new();
    for group in groups {
        for k in 1..=5 {
            let name = format!("{group}_{k}");
            let dir = tmp.path().join(&name);
            gap_scenario(&root.join(&name), &dir);
            scenarios.push(ploeg::input::load(&dir).unwrap());
        }
    }
    let mut g = c.benchmark_group("gap");
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    let opts = SolveOptions::from_scenario(&scenarios[0]).unwrap();
    g.bench_function(
        format!("gap1_to_gap12_total/{}", opts.backend.name()),
        |b| {
            b.iter(|| {
                scenarios
                    .iter()
                    .map(|s| solve(s, &opts).report.stages[2].objective)
                    .sum::<f64>()
            })
        },
    );
    g.finish();
}

/// Writes a GAP instance as a scenario folder (maximise profit), as in tests/gap.rs.
fn gap_scenario(file: &Path, dir: &Path) {
    use std::fmt::Write as _;
    let text = std::fs::read_to_string(file).unwrap();
    let v: Vec<f64> = text
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    let (m, n) = (v[0] as usize, v[1] as usize);
    let cost = &v[2..2 + m * n];
    let res = &v[2 + m * n..2 + 2 * m * n];
    let cap = &v[2 + 2 * m * n..2 + 2 * m * n + m];
    let mut scale = 1.0;
    while cap.iter().cloned().fold(0.0, f64::max) / scale > 80.0 {
        scale *= 2.0;
    }
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("scenario.toml"),
        "[pooling]\nmode = \"none\"\n[solver]\ntime_limit = 120\n",
    )
    .unwrap();
    let mut people = String::from("id,name,organisation,municipality,disciplines,hours_per_week,opgave,omgeving,chaos,eigenaarschap,verbinden\n");
    for (i, c) in cap.iter().enumerate() {
        writeln!(
            people,
            "a{i},Agent {i},Org,Stad,agent,{},5,5,5,5,5",
            c / scale
        )
        .unwrap();
    }
    let (mut projects, mut phases, mut roles, mut prefs) = (
        String::from("id,name,municipality\n"),
        String::from("project_id,phase,start,end,opgave,omgeving,chaos,eigenaarschap,verbinden\n"),
        String::from("project_id,phase,role,discipline,hours_per_week\n"),
        String::from("person_id,project_id,weight,hours\n"),
    );
    for j in 0..n {
        writeln!(projects, "j{j},Job {j},Stad").unwrap();
        writeln!(phases, "j{j},work,2026-01-01,2026-01-31,0,0,0,0,0").unwrap();
        writeln!(roles, "j{j},work,job,agent,1").unwrap();
        for i in 0..m {
            writeln!(
                prefs,
                "a{i},j{j},{},{}",
                cost[i * n + j],
                res[i * n + j] / scale
            )
            .unwrap();
        }
    }
    for (f, t) in [
        ("people.csv", people),
        ("projects.csv", projects),
        ("phases.csv", phases),
        ("roles.csv", roles),
        ("preferences.csv", prefs),
    ] {
        std::fs::write(dir.join(f), t).unwrap();
    }
}

/// Independent parts solved separately vs as one model: a generated
/// scenario of 6 municipalities without pooling (6 parts), each solve to
/// proven optimality.
fn decompose(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    generate(&GenerateParams {
        people: 18,
        municipalities: 6,
        projects: Some(6),
        seed: 1,
        load: None,
    })
    .unwrap()
    .write_to(&dir)
    .unwrap();
    let mut s = ploeg::input::load(&dir).unwrap();
    s.settings.pooling = ploeg::domain::PoolingMode::None;
    let mut opts = SolveOptions::from_scenario(&s).unwrap();
    opts.time_limit_s = 120.0;
    let parts = solve(&s, &opts).report.parts;
    let mut g = c.benchmark_group("decompose");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    for (name, split) in [("parts", true), ("single_model", false)] {
        let mut o = opts.clone();
        o.decompose = split;
        g.bench_function(
            format!("{name}/{}_parts/{}", parts, o.backend.name()),
            |b| b.iter(|| solve(&s, &o).report.stages[0].objective),
        );
    }
    g.finish();
}

criterion_group!(benches, input_and_model, demo_solve, gap_suite, decompose);
criterion_main!(benches);
