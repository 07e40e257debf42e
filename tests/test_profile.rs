//! `ploeg profile`: a person against the role profiles (gaps recomputed
//! here from the files), a phase team under a given plan against its needs,
//! and flag values that name nothing.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo")
}

const CLUSTERS: [&str; 5] = ["opgave", "omgeving", "chaos", "eigenaarschap", "verbinden"];

#[test]
fn person_against_every_role_profile_with_gaps_from_the_files() {
    let o = ploeg()
        .arg("profile")
        .arg(demo())
        .args(["--person", "p003", "--json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let (ph, people) = read_csv(&demo().join("people.csv"));
    let p = people.iter().find(|r| r[0] == "p003").unwrap();
    let score = |c: &str| -> f64 { p[ph.iter().position(|h| h == c).unwrap()].parse().unwrap() };
    let (rh, roles) = read_csv(&demo().join("role_profiles.csv"));
    let roles_json = v["roles"].as_array().unwrap();
    assert_eq!(roles_json.len(), roles.len());
    let mut last = (true, f64::NEG_INFINITY);
    for r in roles_json {
        let row = roles.iter().find(|x| x[0] == r["role"]).unwrap();
        let mut total = 0.0;
        for (k, c) in CLUSTERS.iter().enumerate() {
            let need: f64 = row[rh.iter().position(|h| h == c).unwrap()]
                .parse()
                .unwrap();
            let gap = if need > 0.0 {
                (need - score(c)).max(0.0)
            } else {
                0.0
            };
            let got = r["clusters"][k]["gap"].as_f64().unwrap();
            assert!(
                (got - gap).abs() < 1e-9,
                "{} {c}: {got} vs {gap}",
                r["role"]
            );
            total += gap;
        }
        assert!((r["total_gap"].as_f64().unwrap() - total).abs() < 1e-9);
        // Roles the person can fill first, then by total gap.
        let fills = r["fills"].as_bool().unwrap();
        assert!(last.0 || !fills, "order: fills first");
        if fills == last.0 {
            assert!(total >= last.1 - 1e-9, "order: smaller gap first");
        }
        last = (fills, total);
        let disc = row[6].split('|').any(|d| p[4].split('|').any(|x| x == d));
        assert_eq!(r["discipline"].as_bool().unwrap(), disc, "{}", r["role"]);
    }

    let o = ploeg()
        .arg("profile")
        .arg(demo())
        .args(["--person", "p003"])
        .output()
        .unwrap();
    let text = stdout(&o);
    assert!(
        text.contains("total gap") && text.contains("eigenaarschap"),
        "{text}"
    );
    for r in &roles {
        assert!(text.contains(&r[0]), "{} in\n{text}", r[0]);
    }
}

#[test]
fn team_under_a_plan_folder_shows_members_best_levels_and_gaps() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    ploeg()
        .arg("solve")
        .arg(demo())
        .arg("--heuristic-only")
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let (ah, assignments) = read_csv(&out.join("assignments.csv"));
    let phase = "besluitvorming Oever";
    let members: std::collections::BTreeSet<&str> = assignments
        .iter()
        .filter(|r| r[0] == "j01" && r[1] == phase)
        .map(|r| r[ah.iter().position(|h| h == "person_id").unwrap()].as_str())
        .collect();
    assert!(!members.is_empty());
    let o = ploeg()
        .arg("profile")
        .arg(demo())
        .args(["--team", &format!("j01:{phase}"), "--json", "--plan"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let t = &v["team"];
    let got: std::collections::BTreeSet<&str> = t["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["person_id"].as_str().unwrap())
        .collect();
    assert_eq!(got, members);
    assert!(v["plan"].as_str().unwrap().contains("assignments.csv"));
    // The covered level is the best member's score; needs from phases.csv.
    let (ph, people) = read_csv(&demo().join("people.csv"));
    let (fh, phases) = read_csv(&demo().join("phases.csv"));
    let prow = phases
        .iter()
        .find(|r| r[0] == "j01" && r[1] == phase)
        .unwrap();
    for (k, c) in CLUSTERS.iter().enumerate() {
        let col = ph.iter().position(|h| h == c).unwrap();
        let best = people
            .iter()
            .filter(|r| members.contains(r[0].as_str()))
            .map(|r| r[col].parse::<f64>().unwrap())
            .fold(f64::NEG_INFINITY, f64::max);
        let g = &t["clusters"][k];
        assert_eq!(g["level"].as_f64().unwrap(), best, "{c}");
        let need: f64 = prow[fh.iter().position(|h| h == c).unwrap()]
            .parse()
            .unwrap();
        assert_eq!(g["need"].as_f64().unwrap(), need, "{c}");
        let gap = if need > 0.0 {
            (need - best).max(0.0)
        } else {
            0.0
        };
        assert!((g["gap"].as_f64().unwrap() - gap).abs() < 1e-9, "{c}");
    }
    // The table view, with the heuristic plan when no --plan is given.
    let o = ploeg()
        .arg("profile")
        .arg(demo())
        .args(["--team", &format!("j01:{phase}")])
        .output()
        .unwrap();
    let text = stdout(&o);
    assert!(text.contains("heuristic plan"), "{text}");
    assert!(text.contains("covered level (best member)"), "{text}");
    assert!(text.contains("cluster needs covered"), "{text}");
}

#[test]
fn unknown_person_phase_or_missing_role_profiles_are_input_errors() {
    let cases: [(&[&str], &str); 4] = [
        (
            &["--person", "p999"],
            "--person: person = \"p999\": no person with this id",
        ),
        (
            &["--team", "j01:bestaat niet"],
            "has no phase 'bestaat niet'",
        ),
        (&["--team", "j99:visie"], "no project 'j99'"),
        (&["--team", "j01"], "is not PROJECT:PHASE"),
    ];
    for (args, fragment) in cases {
        let o = ploeg()
            .arg("profile")
            .arg(demo())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(fragment), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty());
    }
    // A scenario without role_profiles.csv.
    let small = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/small");
    let o = ploeg()
        .arg("profile")
        .arg(&small)
        .args(["--person", "p01"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("role_profiles.csv: the scenario has no role profiles"),
        "{}",
        stderr(&o)
    );
    // One of --person and --team is required.
    let o = ploeg().arg("profile").arg(&small).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn every_placement_of_a_plan_is_a_line_profile_calls_eligible() {
    // profile judges role lines with the model's own test, so a person the
    // solver places is never told they cannot take that line.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = ploeg()
        .arg("solve")
        .arg(demo())
        .args(["--heuristic-only", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let (h, rows) = read_csv(&out.join("assignments.csv"));
    let c = |n: &str| col(&h, n);
    let mut people: Vec<&str> = rows.iter().map(|r| r[c("person_id")].as_str()).collect();
    people.sort_unstable();
    people.dedup();
    let (profiles_h, profiles) = read_csv(&demo().join("role_profiles.csv"));
    let profiled: Vec<&str> = profiles
        .iter()
        .map(|r| r[col(&profiles_h, "role")].as_str())
        .collect();
    let mut checked = 0;
    for person in people.iter().take(12) {
        let o = ploeg()
            .arg("profile")
            .arg(demo())
            .args(["--person", person, "--json"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        for r in rows.iter().filter(|r| r[c("person_id")] == *person) {
            let role = r[c("role")].as_str();
            if !profiled.contains(&role) {
                continue;
            }
            let judged = v["roles"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["role"] == role)
                .unwrap();
            let eligible = judged["role_lines"]["eligible_lines"].as_array().unwrap();
            assert!(
                eligible
                    .iter()
                    .any(|l| l["project_id"] == r[c("project_id")].as_str()
                        && l["phase"] == r[c("phase")].as_str()),
                "{person} is placed in {role} of {} / {} but profile does not list it: {judged}",
                r[c("project_id")],
                r[c("phase")]
            );
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} placements checked");
}
