//! `ploeg report`: the page from a solve output folder, its sections, the
//! JSON summary, names that try to be markup, pseudonyms, Dutch, the pool
//! and resilience sections from their files, and bad folders refused with
//! nothing written.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// A generated scenario solved with the heuristic into `out`.
fn solved(people: usize, seed: u64) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (tmp, dir) = generated(people, 2, seed);
    let out = tmp.path().join("out");
    ploeg()
        .arg("solve")
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .arg("--heuristic-only")
        .assert()
        .success();
    (tmp, dir, out)
}

fn html(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// Renames the first person of a scenario and returns their id.
fn rename_first_person(dir: &Path, name: &str) -> String {
    let (header, mut rows) = read_csv(&dir.join("people.csv"));
    let col = header.iter().position(|h| h == "name").unwrap();
    rows[0][col] = name.to_string();
    write_csv(&dir.join("people.csv"), &header, &rows);
    rows[0][0].clone()
}

#[test]
fn writes_one_page_with_every_section_and_says_what_it_holds() {
    let (_tmp, _dir, out) = solved(20, 1);
    let run = ploeg().arg("report").arg(&out).output().unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let page = html(&out.join("report.html"));
    assert!(page.starts_with("<!DOCTYPE html>"));
    for id in [
        "summary", "coverage", "capacity", "demand", "unfilled", "run",
    ] {
        assert!(page.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    assert!(!page.contains("id=\"pooling\"") && !page.contains("id=\"resilience\""));
    assert!(page.matches("<svg").count() >= 4, "charts are inline SVG");
    assert!(!page.to_lowercase().contains("<script"));
    assert!(!page.contains(" src=") && !page.contains("<link"));
    let text = stdout(&run);
    assert!(text.contains("report.html"), "{text}");
    assert!(text.contains("pooling") && text.contains("no "), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no colour when not on a terminal: {text}"
    );
}

#[test]
fn json_names_the_file_its_size_and_sections() {
    let (tmp, _dir, out) = solved(20, 2);
    let target = tmp.path().join("for-the-board.html");
    let run = ploeg()
        .arg("report")
        .arg(&out)
        .arg("--output")
        .arg(&target)
        .arg("--json")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let v: serde_json::Value = serde_json::from_str(&stdout(&run)).unwrap();
    assert_eq!(v["path"], target.display().to_string());
    assert_eq!(
        v["bytes"].as_u64(),
        Some(std::fs::metadata(&target).unwrap().len())
    );
    assert_eq!(
        v["sections"],
        serde_json::json!(["summary", "coverage", "capacity", "demand", "unfilled", "run"])
    );
    assert!(v["skipped"]["pooling"].is_string());
    assert_eq!(v["lang"], "en");
    assert_eq!(v["pseudonymised"], false);
    assert!(
        !out.join("report.html").exists(),
        "--output is the only file"
    );
}

#[test]
fn solve_report_is_the_same_page_with_checksums_of_the_scenario() {
    let (tmp, dir) = generated(20, 1, 3);
    let out = tmp.path().join("out");
    let run = ploeg()
        .arg("solve")
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .args(["--heuristic-only", "--report"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let written = html(&out.join("report.html"));
    // The summary records the run, so `ploeg report` finds the scenario too.
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["scenario_dir"], dir.display().to_string());
    assert!(summary["command"]
        .as_str()
        .unwrap()
        .starts_with("ploeg solve "));
    let again = tmp.path().join("again.html");
    ploeg()
        .arg("report")
        .arg(&out)
        .arg("--output")
        .arg(&again)
        .assert()
        .success();
    assert_eq!(written, html(&again), "solve --report equals report");
    let people = std::fs::read(dir.join("people.csv")).unwrap();
    assert!(written.contains(&ploeg::report::pseudonym::sha256_hex(&people)));
    assert!(written.contains("--heuristic-only --report"));
}

#[test]
fn a_name_that_is_markup_is_shown_as_text() {
    let (tmp, dir) = generated(20, 1, 4);
    rename_first_person(&dir, "<script>alert(1)</script>\" onload=\"x");
    let out = tmp.path().join("out");
    ploeg()
        .arg("solve")
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .args(["--heuristic-only", "--report"])
        .assert()
        .success();
    let page = html(&out.join("report.html"));
    assert!(!page.to_lowercase().contains("<script"));
    assert!(!page.contains("\" onload=\""));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot; onload=&quot;x"));
}

#[test]
fn pseudonyms_replace_every_name() {
    let (tmp, _dir, out) = solved(20, 5);
    let (_, load) = read_csv(&out.join("load.csv"));
    let target = tmp.path().join("pseudo.html");
    let key = tmp.path().join("key");
    for (lang, word) in [("en", "Person "), ("nl", "Persoon ")] {
        ploeg()
            .arg("report")
            .arg(&out)
            .args(["--pseudonymise", "--lang", lang, "--pseudonym-key"])
            .arg(&key)
            .arg("--output")
            .arg(&target)
            .assert()
            .success();
        let page = html(&target);
        for row in &load {
            assert!(!page.contains(&row[1]), "{} is in the report", row[1]);
        }
        // The key file the first run made gives the same pseudonyms again.
        let p = ploeg::report::pseudonym::Pseudonymiser::from_key_file(&key).unwrap();
        let first = p.name(&load[0][0], word.trim());
        assert!(page.contains(&first), "{first}");
    }
}

#[test]
fn dutch_report_speaks_dutch() {
    let (_tmp, _dir, out) = solved(20, 6);
    ploeg()
        .arg("report")
        .arg(&out)
        .args(["--lang", "nl"])
        .assert()
        .success();
    let page = html(&out.join("report.html"));
    assert!(page.contains("<html lang=\"nl\">"));
    assert!(page.contains("Het plan in het kort"));
    assert!(page.contains("De opgave centraal stellen"));
    assert!(page.contains("Omgevingssensitief zijn"));
    assert!(!page.contains("The plan in brief"));
}

#[test]
fn pool_and_resilience_files_add_their_sections() {
    let (_tmp, _dir, out) = solved(20, 7);
    // Written as Dutch Excel would: semicolons and decimal commas.
    let files = [
        (
            "pool_comparison.csv",
            "mode;municipality;people;projects;required_role_hours;unfilled_required_role_hours;unfilled_change;phases;blocked_phases;balance;needs_covered;needs_total;lent_role_hours;borrowed_role_hours;net_lent_role_hours;peak_net_lent_hours_per_week;home_share;people_lent;spread_thin\n\
             none;Oss;5;2;1200;480;;4;2;0,7;7;10;0;0;0;0;1;0;0\n\
             none;Breda;4;1;800;160;;2;1;0,8;8;10;0;0;0;0;1;0;0\n\
             agreements;Oss;5;2;1200;200;-280;4;1;0,8;8;10;0;120;-120;0;0,9;0;0\n\
             agreements;Breda;4;1;800;160;0;2;1;0,8;8;10;120;0;120;12;0,95;1;0\n",
        ),
        (
            "pool_flows.csv",
            "mode,from,to,role_hours,people\nagreements,Breda,Oss,120,1\nnone,Breda,Oss,0,0\n",
        ),
        (
            "key_people.csv",
            "rank,person_id,name,municipality,assignments,extra_unfilled_required_role_hours,extra_fte_months,extra_blocked_phases,key,blocked,roles,why\n1,p001,Piet <b>Plan</b>,Oss,2,320,2.05,2,true,Oost (j01) / visie,Oost (j01) / visie / planeconoom,nobody else has the discipline\n",
        ),
        (
            "bus_factor.csv",
            "municipality,field,alone,pooled,flag\nOss,stikstof,1,2,single point of failure\n",
        ),
        (
            "absence_summary.csv",
            "pooling,metric,base,mean,p50,p90,p99,max\nwith,unfilled_required_role_hours,300,405,360,640,880,900\nwithout,unfilled_required_role_hours,400,520,500,700,910,950\nwith,blocked_phases,2,3,3,4,5,5\nwithout,blocked_phases,3,4,4,5,6,6\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(out.join(name), text).unwrap();
    }
    let run = ploeg()
        .arg("report")
        .arg(&out)
        .arg("--json")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let v: serde_json::Value = serde_json::from_str(&stdout(&run)).unwrap();
    let sections: Vec<&str> = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(sections.contains(&"pooling") && sections.contains(&"resilience"));
    let page = html(&out.join("report.html"));
    // Modes side by side, summed over municipalities: none leaves 640
    // required role-hours open and 3 of 6 phases blocked, agreements 360
    // and 2, with Breda lending at most 12 h a week net.
    assert!(page.contains(
        "<td>none</td><td class=\"n\">2,000</td><td class=\"n\">640</td><td class=\"n\">–</td><td class=\"n\">3 / 6</td>"
    ));
    assert!(page.contains(
        "<td>agreements</td><td class=\"n\">2,000</td><td class=\"n\">360</td><td class=\"n\">-280</td><td class=\"n\">2 / 6</td>"
    ));
    assert!(page.contains("<td class=\"n\">1</td><td class=\"n\">12</td>"));
    assert!(page.contains("Breda → Oss: 120 role-hours, 1 people"));
    assert!(page.contains("Piet &lt;b&gt;Plan&lt;/b&gt;"));
    assert!(page.contains("<td class=\"n\">320</td><td class=\"n\">2</td><td class=\"n\">2</td><td>Oost (j01) / visie</td>"));
    assert!(page.contains("single point of failure"));
    assert!(
        page.contains("<td class=\"n\">640</td><td class=\"n\">880</td><td class=\"n\">900</td>")
    );
    assert!(!page.contains("h/week unfilled") && !page.contains("stalled"));
}

#[test]
fn a_broken_folder_is_refused_and_the_old_report_stays() {
    let (_tmp, _dir, out) = solved(20, 8);
    std::fs::write(out.join("report.html"), "old").unwrap();
    let (header, mut rows) = read_csv(&out.join("load.csv"));
    rows[1][5] = "veel".into();
    write_csv(&out.join("load.csv"), &header, &rows);
    std::fs::remove_file(out.join("teams.csv")).unwrap();
    let run = ploeg().arg("report").arg(&out).output().unwrap();
    assert_eq!(run.status.code(), Some(2), "{}", stderr(&run));
    let err = stderr(&run);
    assert!(err.contains("teams.csv: the file is missing"), "{err}");
    assert!(
        err.contains("load.csv:3:6: utilisation = \"veel\""),
        "{err}"
    );
    assert_eq!(html(&out.join("report.html")), "old");

    let missing = ploeg()
        .arg("report")
        .arg(out.join("nope"))
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("this folder does not exist"));
}

#[test]
fn a_scenario_folder_that_is_not_there_is_an_error() {
    let (tmp, _dir, out) = solved(20, 9);
    let run = ploeg()
        .arg("report")
        .arg(&out)
        .arg("--scenario")
        .arg(tmp.path().join("elsewhere"))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(stderr(&run).contains("is not a folder"), "{}", stderr(&run));
    assert!(!out.join("report.html").exists());
}
