//! `ploeg resilience`: key people (N-1), bus factors and absence sampling.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{col, days, generated, json, num, ploeg, read_csv, stderr};

fn run(dir: &Path, out: &Path, extra: &[&str]) {
    let r = ploeg()
        .arg("resilience")
        .arg(dir)
        .arg("--out")
        .arg(out)
        .args(["--heuristic-only", "--time-limit", "5"])
        .args(extra)
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", stderr(&r));
}

#[test]
fn key_people_are_ranked_keyed_and_explained() {
    let (tmp, dir) = generated(30, 2, 4);
    let out = tmp.path().join("res");
    run(&dir, &out, &["--samples", "0"]);
    let (kh, key) = read_csv(&out.join("key_people.csv"));
    assert_eq!(key.len(), 30, "one row per person");
    let extra = col(&kh, "extra_unfilled_required_role_hours");
    let values: Vec<f64> = key.iter().map(|r| num(&r[extra])).collect();
    // Key people first, each group by the required role-hours they leave
    // open; key means a phase more blocked or more than one FTE-month
    // (36 × 52 / 12 = 156 role-hours) of required work open.
    let role_hours = col(&kh, "extra_unfilled_required_role_hours");
    let ranked: Vec<(bool, f64)> = key
        .iter()
        .map(|r| (r[col(&kh, "key")] == "true", num(&r[role_hours])))
        .collect();
    assert!(
        ranked
            .windows(2)
            .all(|w| (w[0].0 && !w[1].0) || (w[0].0 == w[1].0 && w[0].1 >= w[1].1)),
        "not ranked: {ranked:?}"
    );
    // Only people re-planned in full can be key; at most five are, and
    // their loss lies in the interval the two solves' bounds give.
    let replanned = key
        .iter()
        .filter(|r| r[col(&kh, "replanned")] == "true")
        .count();
    assert!((1..=5).contains(&replanned), "{replanned} re-planned");
    for r in &key {
        let blocked: i64 = r[col(&kh, "extra_blocked_phases")].parse().unwrap();
        let full = r[col(&kh, "replanned")] == "true";
        let is_key = full && (blocked > 0 || num(&r[role_hours]) > 156.0 + 1e-9);
        assert_eq!(r[col(&kh, "key")] == "true", is_key, "{r:?}");
        if full {
            let low = num(&r[col(&kh, "extra_weighted_low")]);
            let loss = num(&r[col(&kh, "extra_weighted_unfilled")]);
            assert!(low >= 0.0 && low <= loss + 0.01, "{r:?}");
            let high = &r[col(&kh, "extra_weighted_high")];
            if !high.is_empty() {
                assert!(loss <= num(high) + 0.01, "{r:?}");
            }
        } else {
            assert!(r[col(&kh, "extra_weighted_low")].is_empty(), "{r:?}");
        }
    }
    for (k, r) in key.iter().enumerate() {
        assert_eq!(r[col(&kh, "rank")], (k + 1).to_string());
        if r[col(&kh, "assignments")] == "0" {
            assert_eq!(num(&r[extra]), 0.0);
        }
        // (The re-plan minimises priority-weighted open work and may trade
        // a long required slot of a low-priority project for others, so
        // the required role-hours it opens are not bounded by those the
        // person held; the weighted bound is a unit test of resilience.)
        if num(&r[extra]) > 0.0 {
            assert!(
                !r[col(&kh, "roles")].is_empty(),
                "hours open but no role named"
            );
            assert!(!r[col(&kh, "why")].is_empty(), "no reason given");
        }
    }
    let s = json(&out.join("summary.json"));
    let keys = ranked.iter().filter(|k| k.0).count();
    assert_eq!(s["key_people"].as_u64().unwrap() as usize, keys);
    assert!(
        values.iter().any(|&v| v > 0.0) && keys > 0,
        "a tight scenario has at least one key person"
    );
}

#[test]
fn nobody_absent_means_the_base_plan_and_everybody_absent_means_nothing_filled() {
    let (tmp, dir) = generated(24, 2, 6);
    let out = tmp.path().join("none-absent");
    run(
        &dir,
        &out,
        &[
            "--skip-n1",
            "--samples",
            "5",
            "--absence",
            "0",
            "--turnover",
            "0",
        ],
    );
    let s = json(&out.join("summary.json"));
    for a in s["absence"].as_array().unwrap() {
        let base = a["base_unfilled_required_role_hours"].as_f64().unwrap();
        let d = &a["unfilled_required_role_hours"];
        assert_eq!(d["mean"].as_f64().unwrap(), base, "{a}");
        assert_eq!(d["max"].as_f64().unwrap(), base, "{a}");
    }
    // Pooling can only help on the same draw's base plan, in what the plan
    // is optimised for (stage 1: weighted role-hours over the horizon).
    let with = s["absence"][0]["base_weighted_unfilled"].as_f64().unwrap();
    let without = s["absence"][1]["base_weighted_unfilled"].as_f64().unwrap();
    assert!(with <= without + 1e-9, "with {with} > without {without}");

    let out = tmp.path().join("all-absent");
    run(
        &dir,
        &out,
        &["--skip-n1", "--samples", "3", "--absence", "1"],
    );
    let (h, rows) = read_csv(&out.join("absence.csv"));
    // Everyone absent: every required role-hour is open (hours a week ×
    // count × weeks of the phase, from the files) and every phase with a
    // required role line is blocked.
    let (fh, phases) = read_csv(&dir.join("phases.csv"));
    let weeks: BTreeMap<(String, String), f64> = phases
        .iter()
        .map(|r| {
            let d = days(&r[col(&fh, "end")]) - days(&r[col(&fh, "start")]) + 1;
            let key = (
                r[col(&fh, "project_id")].clone(),
                r[col(&fh, "phase")].clone(),
            );
            (key, d as f64 / 7.0)
        })
        .collect();
    let (rh, roles) = read_csv(&dir.join("roles.csv"));
    let required_lines: Vec<&Vec<String>> = roles
        .iter()
        .filter(|r| r[col(&rh, "required")] == "true")
        .collect();
    let phase_of = |r: &Vec<String>| {
        (
            r[col(&rh, "project_id")].clone(),
            r[col(&rh, "phase")].clone(),
        )
    };
    let required: f64 = required_lines
        .iter()
        .map(|r| {
            num(&r[col(&rh, "hours_per_week")]) * num(&r[col(&rh, "count")]) * weeks[&phase_of(r)]
        })
        .sum();
    let blocked: std::collections::BTreeSet<(String, String)> =
        required_lines.iter().map(|r| phase_of(r)).collect();
    assert_eq!(rows.len(), 6, "3 samples, with and without pooling");
    for r in rows {
        assert_eq!(r[col(&h, "absent")], "24");
        let open = num(&r[col(&h, "unfilled_required_role_hours")]);
        assert!(
            (open - required).abs() < 1e-3 * required.max(1.0),
            "{open} vs {required}"
        );
        assert_eq!(r[col(&h, "blocked_phases")], blocked.len().to_string());
    }
}

#[test]
fn samples_repeat_for_a_seed_and_change_with_it() {
    let (tmp, dir) = generated(24, 2, 8);
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let c = tmp.path().join("c");
    let flags = ["--skip-n1", "--samples", "20", "--absence", "0.2"];
    run(&dir, &a, &flags);
    run(&dir, &b, &flags);
    run(&dir, &c, &[&flags[..], &["--seed", "2"]].concat());
    let read = |p: &Path| std::fs::read_to_string(p.join("absence.csv")).unwrap();
    assert_eq!(read(&a), read(&b));
    assert_ne!(read(&a), read(&c));
    let (h, rows) = read_csv(&a.join("absence.csv"));
    // The same draw is solved with and without pooling.
    let mut draws: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in &rows {
        draws
            .entry(r[col(&h, "sample")].clone())
            .or_default()
            .push(r[col(&h, "absent_ids")].clone());
    }
    assert_eq!(draws.len(), 20);
    assert!(draws.values().all(|v| v.len() == 2 && v[0] == v[1]));
    let (sh, summary) = read_csv(&a.join("absence_summary.csv"));
    // Two ways of solving × two metrics: required role-hours and blocked
    // phases.
    assert_eq!(summary.len(), 4);
    for r in summary {
        let (p50, p90, p99) = (
            num(&r[col(&sh, "p50")]),
            num(&r[col(&sh, "p90")]),
            num(&r[col(&sh, "p99")]),
        );
        assert!(p50 <= p90 && p90 <= p99, "{r:?}");
    }
}

#[test]
fn bus_factor_flags_match_the_counts() {
    let (tmp, dir) = generated(30, 3, 2);
    let out = tmp.path().join("res");
    run(&dir, &out, &["--samples", "4", "--report"]);
    // The base plan is in plan/, and the report shows it with the
    // resilience section.
    assert!(out.join("plan/assignments.csv").is_file());
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for id in ["summary", "coverage", "resilience", "run"] {
        assert!(html.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    let (h, rows) = read_csv(&out.join("bus_factor.csv"));
    assert!(!rows.is_empty());
    for r in rows {
        let (alone, pooled) = (num(&r[col(&h, "alone")]), num(&r[col(&h, "pooled")]));
        assert!(pooled >= alone);
        let want = match alone as u32 {
            0 => "none",
            1 => "single",
            _ => "",
        };
        assert_eq!(r[col(&h, "flag")], want, "{r:?}");
    }
}

#[test]
fn bad_flags_are_refused() {
    let (_tmp, dir) = generated(12, 1, 1);
    let r = ploeg()
        .arg("resilience")
        .arg(&dir)
        .args(["--absence", "2"])
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert!(
        stderr(&r).contains("a chance must lie between 0 and 1"),
        "{}",
        stderr(&r)
    );
}
