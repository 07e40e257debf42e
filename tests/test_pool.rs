//! `ploeg pool`: modes side by side, the guarantees a director can ask for,
//! the output files and bad flags.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

use common::{col, generated, json, num, ploeg, read_csv, stderr, stdout, PLAN_CSVS};

/// Runs `ploeg pool DIR ARGS…`.
fn pool(dir: &Path, args: &[&str]) -> Output {
    ploeg().arg("pool").arg(dir).args(args).output().unwrap()
}

type Rows = BTreeMap<(String, String), Vec<String>>;

/// (mode, municipality) → row of pool_comparison.csv.
fn comparison(out: &Path) -> (Vec<String>, Rows) {
    let (h, rows) = read_csv(&out.join("pool_comparison.csv"));
    let (m, mu) = (col(&h, "mode"), col(&h, "municipality"));
    let map = rows
        .into_iter()
        .map(|r| ((r[m].clone(), r[mu].clone()), r))
        .collect();
    (h, map)
}

#[test]
fn four_modes_side_by_side_with_consistent_files() {
    let (tmp, dir) = generated(36, 4, 3);
    let out = tmp.path().join("pool-out");
    let run = pool(
        &dir,
        &[
            "--out",
            out.to_str().unwrap(),
            "--heuristic-only",
            "--time-limit",
            "5",
            "--report",
        ],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    // The report shows the pooling section and a mode's plan.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for id in ["summary", "coverage", "pooling", "run"] {
        assert!(html.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    let text = stdout(&run);
    assert!(text.contains("Alone, the municipalities leave"), "{text}");
    for mode in ["none", "agreements", "region", "all"] {
        for f in PLAN_CSVS.iter().copied().chain(["summary.json"]) {
            assert!(out.join(mode).join(f).is_file(), "{mode}/{f} missing");
        }
    }
    let (h, rows) = comparison(&out);
    let lent = col(&h, "lent_role_hours");
    let borrowed = col(&h, "borrowed_role_hours");
    // Alone, nobody lends or borrows.
    for ((mode, _), r) in &rows {
        if mode == "none" {
            assert_eq!(num(&r[lent]), 0.0);
            assert_eq!(num(&r[borrowed]), 0.0);
        }
    }
    // Per mode, role-hours lent = borrowed = the sum of the flows.
    let (fh, flows) = read_csv(&out.join("pool_flows.csv"));
    for mode in ["none", "agreements", "region", "all"] {
        let l: f64 = rows
            .iter()
            .filter(|((m, _), _)| m == mode)
            .map(|(_, r)| num(&r[lent]))
            .sum();
        let b: f64 = rows
            .iter()
            .filter(|((m, _), _)| m == mode)
            .map(|(_, r)| num(&r[borrowed]))
            .sum();
        let f: f64 = flows
            .iter()
            .filter(|r| r[col(&fh, "mode")] == mode)
            .map(|r| num(&r[col(&fh, "role_hours")]))
            .sum();
        // Each figure is written to two decimals: the sums may differ by
        // half a cent per term.
        let terms = rows.len() + flows.len();
        let tol = 0.005 * terms as f64 + 1e-6;
        assert!(
            (l - b).abs() <= tol && (l - f).abs() <= tol,
            "{mode}: {l} {b} {f}"
        );
    }
    // Everyone poolable sharing is never more restricted than the agreements.
    let s = json(&out.join("summary.json"));
    // Blocked phases per mode follow from the mode's own unfilled.csv, and
    // the phases a mode unblocks are those blocked alone and not in it,
    // named "project name (id) / phase".
    let (ph, projects) = read_csv(&dir.join("projects.csv"));
    let names: BTreeMap<String, String> = projects
        .iter()
        .map(|r| (r[col(&ph, "id")].clone(), r[col(&ph, "name")].clone()))
        .collect();
    let blocked = |mode: &str| -> std::collections::BTreeSet<String> {
        let (h, rows) = read_csv(&out.join(mode).join("unfilled.csv"));
        rows.iter()
            .filter(|r| r[col(&h, "required")] == "true")
            .map(|r| {
                let id = &r[col(&h, "project_id")];
                format!("{} ({id}) / {}", names[id], r[col(&h, "phase")])
            })
            .collect()
    };
    let alone = blocked("none");
    for m in s["modes"].as_array().unwrap() {
        let mode = m["mode"].as_str().unwrap();
        let here = blocked(mode);
        assert_eq!(
            m["blocked_phases"].as_u64().unwrap() as usize,
            here.len(),
            "{mode}"
        );
        let named: std::collections::BTreeSet<String> = m["unblocked"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        let want: std::collections::BTreeSet<String> = alone.difference(&here).cloned().collect();
        assert_eq!(named, want, "{mode}");
    }
    let modes = s["modes"].as_array().unwrap();
    assert_eq!(modes.len(), 4);
    assert_eq!(s["baseline"], "none");
    assert!(s["verdict"].as_array().unwrap().len() >= 4);
    // The per-mode summary agrees with the mode's own folder.
    for m in modes {
        let name = m["mode"].as_str().unwrap();
        let own = json(&out.join(name).join("summary.json"));
        assert_eq!(
            m["unfilled_required_role_hours"].as_f64().unwrap(),
            own["unfilled_required_role_hours"].as_f64().unwrap(),
            "{name}"
        );
    }
}

#[test]
fn no_one_loses_and_the_net_lending_cap_hold() {
    let (tmp, dir) = generated(40, 4, 11);
    let out = tmp.path().join("pool-out");
    let run = pool(
        &dir,
        &[
            "--out",
            out.to_str().unwrap(),
            "--heuristic-only",
            "--time-limit",
            "5",
            "--no-one-loses",
            "--max-net-lend",
            "12",
        ],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let (h, rows) = comparison(&out);
    let unfilled = col(&h, "unfilled_required_role_hours");
    let net = col(&h, "peak_net_lent_hours_per_week");
    for ((mode, muni), r) in &rows {
        let alone = num(&rows[&("none".to_string(), muni.clone())][unfilled]);
        assert!(
            num(&r[unfilled]) <= alone + 1e-6,
            "{muni} is worse off under {mode}: {} > {alone}",
            r[unfilled]
        );
        assert!(
            num(&r[net]) <= 12.0 + 1e-6,
            "{muni} lends {} h/week net in some period under {mode}",
            r[net]
        );
    }
    let s = json(&out.join("summary.json"));
    assert_eq!(s["no_one_loses"], true);
    assert_eq!(s["max_net_lend"], 12.0);
    for m in s["modes"].as_array().unwrap() {
        assert!(m["worse_off"].as_object().unwrap().is_empty(), "{m}");
        assert!(m["unmet"].as_array().unwrap().is_empty(), "{m}");
    }
}

#[test]
fn an_extra_pools_file_is_a_mode_named_after_it() {
    let (tmp, dir) = generated(30, 3, 5);
    let extra = tmp.path().join("brabant-breed.csv");
    std::fs::write(
        &extra,
        "pool;municipality\nBrabant;Oss\nBrabant;Eindhoven\n",
    )
    .unwrap();
    let out = tmp.path().join("pool-out");
    let run = pool(
        &dir,
        &[
            "--modes",
            "none",
            "--pools",
            extra.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--heuristic-only",
            "--time-limit",
            "3",
            "--json",
        ],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let s: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let names: Vec<&str> = s["modes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["mode"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["none", "brabant-breed"]);
    // Only Oss and Eindhoven may exchange people under this file.
    let (fh, flows) = read_csv(&out.join("pool_flows.csv"));
    for r in flows {
        let pair = [r[col(&fh, "from")].as_str(), r[col(&fh, "to")].as_str()];
        assert!(
            pair == ["Oss", "Eindhoven"] || pair == ["Eindhoven", "Oss"],
            "unexpected flow {pair:?}"
        );
    }
}

#[test]
fn region_mode_is_left_out_without_provinces() {
    let (tmp, dir) = generated(24, 3, 2);
    std::fs::remove_file(dir.join("municipalities.csv")).unwrap();
    let run = pool(&dir, &["--heuristic-only", "--time-limit", "2", "--json"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let s: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(s["skipped"][0]["mode"], "region");
    assert!(s["verdict"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l.as_str().unwrap().contains("municipalities.csv")));
    drop(tmp);
}

#[test]
fn bad_flags_and_bad_pools_files_write_nothing() {
    let (tmp, dir) = generated(24, 3, 2);
    let out = tmp.path().join("pool-out");
    let run = pool(
        &dir,
        &["--modes", "none,everywhere", "--out", out.to_str().unwrap()],
    );
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("unknown mode \"everywhere\""),
        "{}",
        stderr(&run)
    );
    assert!(!out.exists());

    let bad = tmp.path().join("wide.csv");
    std::fs::write(&bad, "pool,municipality\nWide,Oss\nWide,Atlantis\n").unwrap();
    let run = pool(
        &dir,
        &[
            "--pools",
            bad.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.status.code(), Some(2));
    let err = stderr(&run);
    assert!(err.contains("wide.csv:3"), "{err}");
    assert!(err.contains("Atlantis"), "{err}");
    assert!(!out.exists());

    let run = pool(&dir, &["--max-net-lend=-5"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("--max-net-lend"));
}

/// Without the guarantee, the same scenario leaves some municipality worse
/// off than alone (so the test above checks something real), and the
/// verdict names it.
#[test]
fn without_the_guarantee_the_verdict_names_who_loses() {
    let (_tmp, dir) = generated(40, 4, 11);
    let run = pool(&dir, &["--heuristic-only", "--time-limit", "5", "--json"]);
    assert!(run.status.success(), "{}", stderr(&run));
    let s: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let losers: Vec<&serde_json::Value> = s["modes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| !m["worse_off"].as_object().unwrap().is_empty())
        .collect();
    assert!(
        !losers.is_empty(),
        "nobody loses: the guarantee test proves nothing"
    );
    assert!(s["verdict"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l.as_str().unwrap().contains("worse off than alone")));
}

/// Independent parts solved separately give the single model's optimum,
/// stage by stage, on generated scenarios without pooling.
#[test]
fn decomposed_solve_equals_the_single_model() {
    use ploeg::solve::{solve, Backend, SolveOptions, Status};
    for seed in [1, 2] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("s");
        ploeg()
            .args(["generate", "--people", "12", "--municipalities", "4"])
            .args(["--projects", "4", "--seed", &seed.to_string(), "--out"])
            .arg(&dir)
            .assert()
            .success();
        let mut s = ploeg::input::load(&dir).unwrap();
        s.settings.pooling = ploeg::domain::PoolingMode::None;
        let opts = SolveOptions {
            backend: Backend::Microlp,
            time_limit_s: 120.0,
            mip_gap: 0.0,
            decompose: true,
            heuristic_only: false,
            warm_start: None,
            patience: ploeg::solve::heuristic::PATIENCE,
            max_milp_nonzeros: ploeg::solve::MAX_MILP_NONZEROS,
            deadline: None,
            work: None,
        };
        let parts = solve(&s, &opts);
        let single = solve(
            &s,
            &SolveOptions {
                decompose: false,
                ..opts.clone()
            },
        );
        assert!(
            parts.report.parts >= 4,
            "seed {seed}: {} parts",
            parts.report.parts
        );
        assert_eq!(single.report.parts, 1);
        assert_eq!(parts.report.status, Status::Optimal, "seed {seed}");
        assert_eq!(single.report.status, Status::Optimal, "seed {seed}");
        for (a, b) in parts.report.stages.iter().zip(&single.report.stages) {
            assert!(
                (a.objective - b.objective).abs() < 1e-6 * b.objective.abs().max(1.0),
                "seed {seed}, stage {}: parts {} single {}",
                a.stage,
                a.objective,
                b.objective
            );
        }
    }
}

/// Weighted open work (stage 1) of a mode's own plan folder.
fn weighted(out: &Path, mode: &str) -> f64 {
    json(&out.join(mode).join("summary.json"))["weighted_unfilled"]
        .as_f64()
        .unwrap()
}

#[test]
fn more_pooling_never_leaves_more_weighted_open_work() {
    // Every mode's links include none's, and `all` includes every mode's:
    // the mode allowing more starts from the plan of the one allowing less.
    for (people, municipalities, seed, extra) in
        [(40, 4, 11, &["--heuristic-only"][..]), (36, 3, 7, &[][..])]
    {
        let (tmp, dir) = generated(people, municipalities, seed);
        let out = tmp.path().join("pool-out");
        let args = [
            &["--out", out.to_str().unwrap(), "--time-limit", "6"][..],
            extra,
        ]
        .concat();
        let run = pool(&dir, &args);
        assert!(run.status.success(), "{}", stderr(&run));
        let none = weighted(&out, "none");
        let all = weighted(&out, "all");
        for mode in ["agreements", "region", "all"] {
            let w = weighted(&out, mode);
            assert!(w <= none + 1e-6, "seed {seed}: {mode} {w} > none {none}");
            assert!(all <= w + 1e-6, "seed {seed}: all {all} > {mode} {w}");
        }
    }
}
