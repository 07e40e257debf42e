//! `ploeg solve`: the output folder, its columns and keys, determinism,
//! all-or-nothing writing, and that the plan passes `ploeg check`.

mod common;

use common::*;

const ASSIGNMENT_COLUMNS: [&str; 15] = [
    "project_id",
    "phase",
    "role",
    "slot",
    "person_id",
    "name",
    "home_municipality",
    "project_municipality",
    "pooled",
    "hours_per_week",
    "start",
    "end",
    "role_hours",
    "fit",
    "reason",
];

#[test]
fn writes_every_output_with_the_documented_columns_and_keys() {
    let (tmp, dir) = generated(40, 2, 3);
    let out = tmp.path().join("out");
    let run = ploeg()
        .arg("solve")
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .args(["--time-limit", "20"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let text = stdout(&run);
    assert!(
        text.contains("unfilled") && text.contains("balance") && text.contains("placement"),
        "{text}"
    );

    let (header, rows) = read_csv(&out.join("assignments.csv"));
    assert_eq!(header, ASSIGNMENT_COLUMNS);
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|r| !r[14].is_empty()),
        "every assignment has a reason"
    );
    let (header, open) = read_csv(&out.join("unfilled.csv"));
    assert_eq!(
        &header[..10],
        [
            "project_id",
            "phase",
            "role",
            "slot",
            "hours_per_week",
            "start",
            "end",
            "weeks",
            "role_hours",
            "required"
        ]
    );
    assert!(header.contains(&"reason".to_string()));
    assert!(
        open.iter().all(|r| !r.last().unwrap().is_empty()),
        "every open slot has a reason"
    );
    let (header, teams) = read_csv(&out.join("teams.csv"));
    assert_eq!(
        &header[..5],
        ["project_id", "phase", "cluster", "need", "best_level"]
    );
    assert!(teams.len() % 5 == 0, "one row per phase and cluster");
    let (header, _) = read_csv(&out.join("load.csv"));
    assert_eq!(
        &header[..6],
        [
            "person_id",
            "name",
            "period",
            "assigned_hours",
            "hours_per_week",
            "utilisation"
        ]
    );

    let summary = json(&out.join("summary.json"));
    for key in [
        "status",
        "backend",
        "seconds",
        "bound",
        "gap",
        "unfilled_role_hours",
        "unfilled_required_role_hours",
        "unfilled_fte_years",
        "peak_open_hours_per_week",
        "peak_open_period",
        "mean_open_hours_per_week",
        "blocked_phases",
        "blocked_project_months",
        "balance",
        "fit",
        "preference_total",
        "pooled_placements",
        "stages",
    ] {
        assert!(
            summary.get(key).is_some(),
            "summary.json lacks {key}: {summary}"
        );
    }
    assert_eq!(summary["stages"].as_array().unwrap().len(), 4);
    let filled = summary["slots_filled"].as_u64().unwrap() as usize;
    assert_eq!(filled, rows.len());
    assert_eq!(
        summary["slots_total"].as_u64().unwrap() as usize,
        rows.len() + open.len()
    );
}

#[test]
fn the_plan_passes_check_with_the_same_components() {
    let (tmp, dir) = generated(30, 2, 11);
    let out = tmp.path().join("out");
    ploeg()
        .arg("solve")
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .args(["--time-limit", "10"])
        .assert()
        .success();
    let run = ploeg()
        .arg("check")
        .arg(&dir)
        .arg("--plan")
        .arg(out.join("assignments.csv"))
        .arg("--json")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}{}", stdout(&run), stderr(&run));
    let checked: serde_json::Value = serde_json::from_str(&stdout(&run)).unwrap();
    assert_eq!(checked["valid"], true);
    let summary = json(&out.join("summary.json"));
    for key in [
        "unfilled_role_hours",
        "weighted_unfilled",
        "balance",
        "fit",
        "preference_total",
        "pooled_placements",
        "continuity",
        "blocked_phases",
    ] {
        let (a, b) = (
            checked["components"][key].as_f64().unwrap(),
            summary[key].as_f64().unwrap(),
        );
        assert!(
            (a - b).abs() < 1e-9,
            "{key}: check says {a}, solve says {b}"
        );
    }
}

#[test]
fn same_input_gives_the_same_plan() {
    let (tmp, dir) = generated(25, 2, 5);
    let mut plans = Vec::new();
    for k in 0..2 {
        let out = tmp.path().join(format!("out{k}"));
        ploeg()
            .arg("solve")
            .arg(&dir)
            .arg("--out")
            .arg(&out)
            .arg("--heuristic-only")
            .assert()
            .success();
        plans.push(std::fs::read(out.join("assignments.csv")).unwrap());
    }
    assert_eq!(plans[0], plans[1]);
}

#[test]
fn refuses_to_overwrite_a_folder_that_is_not_an_earlier_output() {
    let (tmp, dir) = generated(20, 1, 2);
    let out = tmp.path().join("precious");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "keep me").unwrap();
    let run = ploeg()
        .arg("solve")
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .arg("--heuristic-only")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("holds files ploeg did not write (notes.txt)"),
        "{}",
        stderr(&run)
    );
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "keep me"
    );
    assert!(!out.join("summary.json").exists());
    // An earlier output is replaced file by file: what ploeg wrote there is
    // replaced, a file the user added stays.
    let earlier = tmp.path().join("earlier");
    ploeg()
        .arg("solve")
        .arg(&dir)
        .arg("--out")
        .arg(&earlier)
        .arg("--heuristic-only")
        .assert()
        .success();
    std::fs::write(earlier.join("stale.txt"), "old").unwrap();
    ploeg()
        .arg("solve")
        .arg(&dir)
        .arg("--out")
        .arg(&earlier)
        .arg("--heuristic-only")
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(earlier.join("stale.txt")).unwrap(),
        "old"
    );
}

#[test]
fn json_output_is_the_summary() {
    let (_tmp, dir) = generated(20, 1, 4);
    let run = ploeg()
        .arg("solve")
        .arg(&dir)
        .arg("--json")
        .arg("--heuristic-only")
        .output()
        .unwrap();
    assert!(run.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&run)).unwrap();
    assert_eq!(v["backend"], "heuristic");
    assert!(v["unfilled_role_hours"].is_number());
    // The per-week sums, which added up phases that never run together,
    // are gone.
    for gone in [
        "unfilled_hours",
        "unfilled_required_hours",
        "stalled_projects",
    ] {
        assert!(v.get(gone).is_none(), "{gone}");
    }
}

#[cfg(not(feature = "highs"))]
#[test]
fn asking_for_highs_without_it_says_how_to_get_it() {
    let (_tmp, dir) = generated(10, 1, 1);
    let run = ploeg()
        .arg("solve")
        .arg(&dir)
        .args(["--backend", "highs"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("--features highs"),
        "{}",
        stderr(&run)
    );
}

#[cfg(feature = "highs")]
#[test]
fn highs_proves_a_generated_scenario_optimal() {
    let (_tmp, dir) = generated(60, 3, 7);
    let run = ploeg()
        .arg("solve")
        .arg(&dir)
        .args(["--backend", "highs", "--json"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let v: serde_json::Value = serde_json::from_str(&stdout(&run)).unwrap();
    assert_eq!(v["status"], "optimal", "{v}");
    assert_eq!(v["gap"].as_f64(), Some(0.0));
}
