//! `ploeg rank`: both rankings over the demo's example candidates, the
//! output folder, repeat runs, and bad candidate files reported at their
//! place.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::*;

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo")
}

/// A copy of the demo whose time limit never cuts the heuristic short, even
/// in a debug build on a busy machine (a cut-short search is not repeatable).
fn demo_copy(to: &Path) -> PathBuf {
    let dir = to.join("demo");
    fs::create_dir_all(&dir).unwrap();
    for e in fs::read_dir(demo()).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    let toml = fs::read_to_string(dir.join("scenario.toml")).unwrap();
    fs::write(
        dir.join("scenario.toml"),
        toml.replace("time_limit = 10", "time_limit = 600"),
    )
    .unwrap();
    dir
}

fn rank(dir: &Path, out: &Path) -> std::process::Output {
    ploeg()
        .arg("rank")
        .arg(dir)
        .arg("--candidates")
        .arg(demo().join("candidates.csv"))
        .args(["--role", "planeconoom", "--municipality", "Oss", "--out"])
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn example_candidates_are_the_generators_output() {
    assert_eq!(
        fs::read_to_string(demo().join("candidates.csv")).unwrap(),
        ploeg::recruit::synthetic::candidates_csv(12, 72).unwrap()
    );
}

#[test]
fn both_rankings_agree_with_the_files_and_repeat_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let dir = demo_copy(tmp.path());
    let o = rank(&dir, &a);
    assert!(o.status.success(), "{}", stderr(&o));
    // No progress bar when stderr is not a terminal.
    assert_eq!(stderr(&o), "");
    let text = stdout(&o);
    assert!(
        text.contains("by profile fit") && text.contains("by marginal value"),
        "{text}"
    );
    assert!(text.contains("why:"), "{text}");
    assert!(rank(&dir, &b).status.success());
    for f in ["ranking.csv", "placements.csv"] {
        assert_eq!(
            fs::read(a.join(f)).unwrap(),
            fs::read(b.join(f)).unwrap(),
            "{f} differs between runs"
        );
    }

    let (h, rows) = read_csv(&a.join("ranking.csv"));
    let col = |n: &str| {
        h.iter()
            .position(|x| x == n)
            .unwrap_or_else(|| panic!("{n}"))
    };
    assert_eq!(rows.len(), 12);
    let mut fit: Vec<usize> = rows
        .iter()
        .map(|r| r[col("fit_rank")].parse().unwrap())
        .collect();
    let value: Vec<usize> = rows
        .iter()
        .map(|r| r[col("value_rank")].parse().unwrap())
        .collect();
    assert_eq!(value, (1..=12).collect::<Vec<_>>(), "rows in value order");
    fit.sort();
    assert_eq!(fit, (1..=12).collect::<Vec<_>>());

    // Profile fit from the files: discipline and expertise of the role profile.
    let (ch, cands) = read_csv(&demo().join("candidates.csv"));
    let cand: BTreeMap<&str, &Vec<String>> = cands.iter().map(|r| (r[0].as_str(), r)).collect();
    let ccol = |n: &str| ch.iter().position(|x| x == n).unwrap();
    for r in &rows {
        let c = cand[r[0].as_str()];
        let planeconoom = c[ccol("disciplines")]
            .split('|')
            .any(|d| d == "planeconoom");
        let exp: BTreeMap<&str, f64> = c[ccol("expertise")]
            .split('|')
            .filter_map(|e| e.split_once(':'))
            .map(|(f, l)| (f, l.parse().unwrap()))
            .collect();
        let has = |f: &str, l: f64| exp.get(f).is_some_and(|&x| x >= l);
        let fills = planeconoom && has("grondexploitatie", 3.0) && has("kostenverhaal", 2.0);
        assert_eq!(r[col("fills")], fills.to_string(), "{}", r[0]);
        // Gap on opgave (need 7) and verbinden (need 5) from the scores.
        for (cluster, need) in [("opgave", 7.0), ("verbinden", 5.0)] {
            let score: f64 = c[ccol(cluster)].parse().unwrap();
            let gap: f64 = r[col(&format!("gap_{cluster}"))].parse().unwrap();
            assert!(
                (gap - (need - score).max(0.0)).abs() < 0.006,
                "{} {cluster}",
                r[0]
            );
        }
    }
    // By fit: those who fill the role first, then smaller total gap.
    let mut by_fit = rows.clone();
    by_fit.sort_by_key(|r| r[col("fit_rank")].parse::<usize>().unwrap());
    for w in by_fit.windows(2) {
        let key = |r: &Vec<String>| {
            (
                r[col("fills")] == "true",
                r[col("total_gap")].parse::<f64>().unwrap(),
            )
        };
        let (x, y) = (key(&w[0]), key(&w[1]));
        assert!(
            (x.0 && !y.0) || (x.0 == y.0 && x.1 <= y.1 + 1e-9),
            "{:?} before {:?}",
            w[0],
            w[1]
        );
    }
    // By value: the first stage (weighted unfilled hours) never rises.
    for w in rows.windows(2) {
        let d = |r: &Vec<String>| r[col("weighted_unfilled_drop")].parse::<f64>().unwrap();
        assert!(d(&w[0]) >= d(&w[1]) - 1e-9);
    }
    assert!(
        rows[0][col("required_role_hours_filled")]
            .parse::<f64>()
            .unwrap()
            > 0.0
    );

    // Placements: only in planeconoom role lines (the vacancy), of the
    // candidate's own disciplines, hours adding up.
    let (_, placements) = read_csv(&a.join("placements.csv"));
    let (rh, roles) = read_csv(&demo().join("roles.csv"));
    let mut placed: BTreeMap<&str, f64> = BTreeMap::new();
    for p in &placements {
        let role = roles
            .iter()
            .find(|r| r[0] == p[1] && r[1] == p[2] && r[2] == p[3])
            .unwrap();
        let disc = &role[rh.iter().position(|x| x == "discipline").unwrap()];
        assert_eq!(p[3], "planeconoom", "{p:?}");
        assert!(
            cand[p[0].as_str()][ccol("disciplines")]
                .split('|')
                .any(|d| d == disc),
            "{p:?}"
        );
        *placed.entry(p[0].as_str()).or_default() += p[4].parse::<f64>().unwrap();
    }
    for r in &rows {
        let h: f64 = r[col("hours_placed")].parse().unwrap();
        assert!(
            (h - placed.get(r[0].as_str()).copied().unwrap_or(0.0)).abs() < 1e-9,
            "{}",
            r[0]
        );
    }

    let json = common::json(&a.join("rank.json"));
    assert_eq!(json["role"], "planeconoom");
    assert_eq!(json["ranking"].as_array().unwrap().len(), 12);
    let first = json["ranking"][0]["candidate_id"].as_str().unwrap();
    assert_eq!(first, rows[0][0]);
    let expl = json["explanations"].as_array().unwrap();
    assert!(expl.len() >= 2);
    let name = |id: &str| cand[id][1].clone();
    assert!(
        expl.iter().any(|e| e
            .as_str()
            .unwrap()
            .contains(&format!("{} ({first}) adds the most", name(first)))
            || e.as_str()
                .unwrap()
                .contains(&format!("{} ({first}) leads both", name(first)))),
        "{expl:?}"
    );
}

#[test]
fn bad_candidates_and_flags_are_input_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let header = "id,name,disciplines,hours_per_week,opgave,omgeving,chaos,eigenaarschap,verbinden,expertise";
    let cases: [(&str, &[&str], &str); 7] = [
        ("c1,A,planeconoom,32,5,5,5,5,5,\nc2,B,econoom,32,5,5,5,5,5,", &[], "candidates.csv:3:3: disciplines = \"econoom\": unknown discipline"),
        ("p001,A,planeconoom,32,5,5,5,5,5,", &[], "candidates.csv:2:1: id = \"p001\": a person in the scenario already has this id"),
        ("c1,A,planeconoom,32,5,5,5,5,12,", &[], "candidates.csv:2:9: verbinden = \"12\": the score is outside the scale"),
        ("c1,A,planeconoom,32,5,5,5,5,5,grondexploitatie:9", &[], "candidates.csv:2:10: expertise = \"grondexploitatie:9\": the level of 'grondexploitatie' is outside"),
        ("c1,A,planeconoom,32,5,5,5,5,5,", &["--role", "econoom"], "--role: role = \"econoom\": no role profile with this name"),
        ("c1,A,planeconoom,32,5,5,5,5,5,", &["--municipality", "Osss"], "--municipality: municipality = \"Osss\""),
        ("c1,A,planeconoom,32,5,5,5,5,5,\nc1,B,planeconoom,32,5,5,5,5,5,", &[], "candidates.csv:3:1: id = \"c1\": duplicate person id"),
    ];
    for (rows, extra, expected) in cases {
        let path = tmp.path().join("candidates.csv");
        fs::write(&path, format!("{header}\n{rows}\n")).unwrap();
        let out = tmp.path().join("out");
        let mut args = vec!["--role", "planeconoom", "--municipality", "Oss"];
        for pair in extra.chunks(2) {
            let i = args.iter().position(|a| *a == pair[0]).unwrap();
            args[i + 1] = pair[1];
        }
        let o = ploeg()
            .arg("rank")
            .arg(demo())
            .arg("--candidates")
            .arg(&path)
            .args(&args)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{expected}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(expected),
            "expected {expected}\n got: {}",
            stderr(&o)
        );
        assert!(!out.exists(), "{expected}: wrote the output");
    }
}
