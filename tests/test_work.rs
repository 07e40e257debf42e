//! A work budget makes a solve repeat exactly: the same scenario and
//! budget give byte-identical plan files whatever the number of threads,
//! and summary.json says the run was deterministic.

mod common;

use std::path::{Path, PathBuf};

use common::*;

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo")
}

fn solve(out: &Path, threads: &str, extra: &[&str]) -> serde_json::Value {
    let run = ploeg()
        .env("RAYON_NUM_THREADS", threads)
        .arg("solve")
        .arg(demo())
        .args(["--work", "1000", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let mut v = json(&out.join("summary.json"));
    let o = v.as_object_mut().unwrap();
    for k in ["seconds", "heuristic_seconds", "command"] {
        o.remove(k);
    }
    for st in o["stages"].as_array_mut().unwrap() {
        st.as_object_mut().unwrap().remove("seconds");
    }
    v
}

#[test]
fn a_work_budget_gives_the_same_plan_on_one_thread_and_on_two() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("one"), tmp.path().join("two"));
    let sa = solve(&a, "1", &[]);
    let sb = solve(&b, "2", &[]);
    assert_eq!(sa["deterministic"], true, "{sa}");
    assert_eq!(sa["work"], 1000);
    for f in PLAN_CSVS {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs"
        );
    }
    assert_eq!(sa, sb);
}

#[test]
fn without_a_budget_a_run_is_not_called_deterministic_and_bad_budgets_are_refused() {
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
    let v = json(&out.join("summary.json"));
    assert_eq!(v["deterministic"], false);
    assert!(v["work"].is_null());
    for bad in ["0", "-3", "lots", "1000000001"] {
        let run = ploeg()
            .arg("solve")
            .arg(demo())
            .args(["--work", bad])
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(2), "--work {bad}: {}", stderr(&run));
    }
}
