//! `ploeg demo`: the bundled demo scenario solves and its plan checks out.

mod common;

use common::*;

#[test]
fn demo_solves_into_the_given_folder_and_the_plan_checks() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("demo-out");
    let run = ploeg().arg("demo").arg("--out").arg(&out).output().unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let text = stdout(&run);
    assert!(
        text.contains("status") && text.contains("unfilled"),
        "{text}"
    );
    for f in PLAN_CSVS.iter().copied().chain(["summary.json"]) {
        assert!(out.join(f).exists(), "{f} missing");
    }
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
    ploeg()
        .arg("check")
        .arg(&demo)
        .arg("--plan")
        .arg(out.join("assignments.csv"))
        .assert()
        .success();
    let summary = json(&out.join("summary.json"));
    assert_eq!(
        summary["people"].as_u64(),
        Some(read_csv(&demo.join("people.csv")).1.len() as u64)
    );
}
