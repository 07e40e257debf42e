//! `ploeg bank`: the list is everyone with the field (filters applied),
//! sorted by level then free hours, and the free hours agree with the
//! load.csv that `ploeg solve` writes for the same plan; ESCO URIs are
//! shown; an unknown field is an input error.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use common::*;

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo")
}

fn copy_demo(to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(demo()).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[test]
fn free_hours_agree_with_the_plans_load_and_the_order_is_level_then_free_hours() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plan");
    ploeg()
        .arg("solve")
        .arg(demo())
        .arg("--heuristic-only")
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let csv = tmp.path().join("bank.csv");
    let o = ploeg()
        .arg("bank")
        .arg(demo())
        .args([
            "--field",
            "participatie",
            "--from",
            "2026-03-01",
            "--until",
            "2026-12-31",
        ])
        .arg("--plan")
        .arg(&out)
        .arg("--out")
        .arg(&csv)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("participatie — "), "{}", stdout(&o));
    let (h, rows) = read_csv(&csv);
    assert_eq!(
        h,
        [
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
            "projects"
        ]
    );
    // Everyone with the field, nobody else.
    let (_, expertise) = read_csv(&demo().join("expertise.csv"));
    let with: BTreeSet<&str> = expertise
        .iter()
        .filter(|r| r[1] == "participatie")
        .map(|r| r[0].as_str())
        .collect();
    let got: BTreeSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(got, with);
    // Level desc, then free hours desc.
    let key = |r: &Vec<String>| (r[5].parse::<f64>().unwrap(), r[10].parse::<f64>().unwrap());
    for w in rows.windows(2) {
        let (a, b) = (key(&w[0]), key(&w[1]));
        assert!(
            a.0 > b.0 || (a.0 == b.0 && a.1 >= b.1),
            "{:?} before {:?}",
            w[0],
            w[1]
        );
    }
    // load.csv: per person and month, the hours of the plan.
    let (lh, load) = read_csv(&out.join("load.csv"));
    let col = |n: &str| lh.iter().position(|x| x == n).unwrap();
    let mut assigned: BTreeMap<(&str, &str), f64> = BTreeMap::new();
    for r in &load {
        assigned.insert(
            (r[col("person_id")].as_str(), r[col("period")].as_str()),
            r[col("assigned_hours")].parse().unwrap(),
        );
    }
    let months: Vec<String> = (3..=12).map(|m| format!("2026-{m:02}")).collect();
    for r in &rows {
        if r[12] != "true" {
            continue; // periods outside the availability count as 0
        }
        let hours: f64 = r[8].parse().unwrap();
        let free: Vec<f64> = months
            .iter()
            .map(|m| (hours - assigned[&(r[0].as_str(), m.as_str())]).max(0.0))
            .collect();
        let min = free.iter().cloned().fold(f64::INFINITY, f64::min);
        let avg = free.iter().sum::<f64>() / free.len() as f64;
        assert!(
            (r[10].parse::<f64>().unwrap() - min).abs() < 0.01,
            "{r:?}: min {min}"
        );
        assert!(
            (r[11].parse::<f64>().unwrap() - avg).abs() < 0.01,
            "{r:?}: avg {avg}"
        );
    }
}

#[test]
fn municipality_level_and_poolable_filters() {
    let (ph, people) = read_csv(&demo().join("people.csv"));
    let col = |n: &str| ph.iter().position(|x| x == n).unwrap();
    let home: BTreeMap<&str, (&str, bool)> = people
        .iter()
        .map(|r| {
            (
                r[0].as_str(),
                (
                    r[col("municipality")].as_str(),
                    r[col("poolable")] == "true",
                ),
            )
        })
        .collect();
    let o = ploeg()
        .arg("bank")
        .arg(demo())
        .args([
            "--field",
            "OMGEVINGSWET",
            "--municipality",
            "Oss",
            "--min-level",
            "3",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["plan"].as_str().unwrap().contains("heuristic"));
    let b = &v["bank"];
    assert_eq!(b["field"], "omgevingswet");
    let list = b["people"].as_array().unwrap();
    assert!(!list.is_empty());
    for e in list {
        let (m, pool) = home[e["person_id"].as_str().unwrap()];
        assert!(e["level"].as_f64().unwrap() >= 3.0);
        // Oss and 's-Hertogenbosch share a pool; Eindhoven has none.
        assert!(m == "Oss" || (pool && m == "'s-Hertogenbosch"), "{e}");
    }
    let o = ploeg()
        .arg("bank")
        .arg(demo())
        .args(["--field", "omgevingswet", "--poolable", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for e in v["bank"]["people"].as_array().unwrap() {
        assert_eq!(e["poolable"], true);
    }
}

#[test]
fn esco_uris_are_shown_and_bad_flags_are_input_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    copy_demo(&dir);
    let text = fs::read_to_string(dir.join("expertise.csv")).unwrap();
    let mut lines = text.lines();
    let mut with = format!("{},esco_uri\n", lines.next().unwrap());
    for l in lines {
        let uri = if l.contains(",stikstof,") {
            "https://example.org/esco/skill/stikstof"
        } else {
            ""
        };
        with.push_str(&format!("{l},{uri}\n"));
    }
    fs::write(dir.join("expertise.csv"), with).unwrap();
    let csv = tmp.path().join("bank.csv");
    let o = ploeg()
        .arg("bank")
        .arg(&dir)
        .args(["--field", "stikstof", "--out"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("stikstof (https://example.org/esco/skill/stikstof)"),
        "{}",
        stdout(&o)
    );
    let (_, rows) = read_csv(&csv);
    assert!(!rows.is_empty());
    assert!(rows
        .iter()
        .all(|r| r[6] == "https://example.org/esco/skill/stikstof"));

    let cases: [(&[&str], &str); 4] = [
        (
            &["--field", "stiksof"],
            "--field: field = \"stiksof\": nobody in the network has expertise in this field",
        ),
        (
            &["--field", "stikstof", "--municipality", "Osss"],
            "no person or project is in this municipality",
        ),
        (
            &[
                "--field",
                "stikstof",
                "--from",
                "2027-01-01",
                "--until",
                "2026-01-01",
            ],
            "ends before it starts",
        ),
        (&["--field", "stikstof", "--from", "1-1-2026"], "not a date"),
    ];
    for (args, fragment) in cases {
        let out = tmp.path().join("x.csv");
        let o = ploeg()
            .arg("bank")
            .arg(&dir)
            .args(args)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(fragment), "{args:?}: {}", stderr(&o));
        assert!(!out.exists());
    }
    let o = ploeg()
        .arg("bank")
        .arg(&dir)
        .args(["--field", "stiksof"])
        .output()
        .unwrap();
    assert!(
        stderr(&o).contains("closest first: stikstof"),
        "{}",
        stderr(&o)
    );
}
