//! `ploeg phase`: which projects to postpone; the plan it writes keeps every
//! rule of the scenario with the delays applied.

mod common;

use std::path::Path;

use common::{col, generated, json, num, ploeg, read_csv, stderr, write_csv};

/// YYYY-MM-DD moved by `n` months, month ends kept.
fn add_months(date: &str, n: i64) -> String {
    let (y, m, d): (i64, i64, i64) = (
        date[0..4].parse().unwrap(),
        date[5..7].parse().unwrap(),
        date[8..10].parse().unwrap(),
    );
    let days_in = |y: i64, m: i64| match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let total = y * 12 + (m - 1) + n;
    let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let nd = if d == days_in(y, m) {
        days_in(ny, nm)
    } else {
        d.min(days_in(ny, nm))
    };
    format!("{ny:04}-{nm:02}-{nd:02}")
}

fn with_max_delay(dir: &Path, delays: &[&str]) {
    let (mut h, mut rows) = read_csv(&dir.join("projects.csv"));
    h.push("max_delay".into());
    for (k, r) in rows.iter_mut().enumerate() {
        r.push(delays[k % delays.len()].to_string());
    }
    write_csv(&dir.join("projects.csv"), &h, &rows);
}

#[test]
fn delays_stay_within_their_bounds_help_and_the_plan_checks_out() {
    let (tmp, dir) = generated(40, 2, 5);
    with_max_delay(&dir, &["6", "", "3"]);
    let out = tmp.path().join("phase-out");
    let run = ploeg()
        .arg("phase")
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .args(["--heuristic-only", "--time-limit", "5", "--patience", "2"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let s = json(&out.join("summary.json"));
    let before = s["before"]["weighted_unfilled"].as_f64().unwrap();
    let after = s["after"]["weighted_unfilled"].as_f64().unwrap();
    assert!(
        after <= before + 1e-6,
        "delays made it worse: {before} → {after}"
    );

    let (ph, projects) = read_csv(&dir.join("projects.csv"));
    let (dh, delays) = read_csv(&out.join("delays.csv"));
    assert!(!delays.is_empty(), "in a tight scenario some delay helps");
    let mut shift = std::collections::BTreeMap::new();
    for d in &delays {
        let id = &d[col(&dh, "project_id")];
        let delay: i64 = d[col(&dh, "delay")].parse().unwrap();
        let p = projects.iter().find(|p| &p[col(&ph, "id")] == id).unwrap();
        let max: i64 = p[col(&ph, "max_delay")]
            .parse()
            .expect("a delayed project has a max_delay");
        assert!(
            delay >= 1 && delay <= max,
            "{id}: delay {delay} of at most {max}"
        );
        assert_eq!(
            d[col(&dh, "new_start")],
            add_months(&d[col(&dh, "start")], delay)
        );
        shift.insert(id.clone(), delay);
        // Kept only because the plan with this project on time, by the
        // same engine, is worse.
        let buys = num(&d[col(&dh, "buys_weighted_unfilled")]);
        assert!(
            buys > 0.0,
            "{id} is kept although on time is as good: {buys}"
        );
    }
    // With one delay, its gain and the total compare the same two plans.
    if delays.len() == 1 {
        let total = s["before"]["unfilled_required_role_hours"]
            .as_f64()
            .unwrap()
            - s["after"]["unfilled_required_role_hours"].as_f64().unwrap();
        let own = num(&delays[0][col(&dh, "buys_required_role_hours")]);
        assert!(
            (total - own).abs() < 0.01,
            "total {total} vs the delay's own {own}"
        );
    }
    // The written plan keeps every rule of the scenario with the phases moved.
    let moved = tmp.path().join("moved");
    std::fs::create_dir(&moved).unwrap();
    for f in std::fs::read_dir(&dir).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, moved.join(f.file_name().unwrap())).unwrap();
    }
    let (fh, mut phases) = read_csv(&dir.join("phases.csv"));
    for r in &mut phases {
        if let Some(&d) = shift.get(&r[col(&fh, "project_id")]) {
            for c in ["start", "end"] {
                let k = col(&fh, c);
                r[k] = add_months(&r[k], d);
            }
        }
    }
    write_csv(&moved.join("phases.csv"), &fh, &phases);
    let check = ploeg()
        .arg("check")
        .arg(&moved)
        .arg("--plan")
        .arg(out.join("assignments.csv"))
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}{}",
        common::stdout(&check),
        stderr(&check)
    );
}

#[test]
fn without_max_delay_there_is_nothing_to_choose() {
    let (_tmp, dir) = generated(12, 1, 1);
    let run = ploeg().arg("phase").arg(&dir).output().unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("max_delay"), "{}", stderr(&run));
}
