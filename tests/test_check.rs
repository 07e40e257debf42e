//! `ploeg check`: a hand-edited plan is judged rule by rule, in plain words,
//! with the exit code telling scripts whether it keeps every rule.

mod common;

use common::*;

fn solved() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    Vec<String>,
    Vec<Vec<String>>,
) {
    let (tmp, dir) = generated(30, 2, 21);
    let out = tmp.path().join("out");
    ploeg()
        .arg("solve")
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .arg("--heuristic-only")
        .assert()
        .success();
    let (header, rows) = read_csv(&out.join("assignments.csv"));
    (tmp, dir, header, rows)
}

fn check(dir: &std::path::Path, plan: &std::path::Path) -> std::process::Output {
    ploeg()
        .arg("check")
        .arg(dir)
        .arg("--plan")
        .arg(plan)
        .output()
        .unwrap()
}

#[test]
fn a_slot_filled_twice_is_reported_with_its_line() {
    let (tmp, dir, header, mut rows) = solved();
    let mut dup = rows[0].clone();
    let other = rows.iter().find(|r| r[4] != rows[0][4]).unwrap().clone();
    dup[4] = other[4].clone();
    rows.push(dup);
    let plan = tmp.path().join("manual.csv");
    write_csv(&plan, &header, &rows);
    let run = check(&dir, &plan);
    assert_eq!(run.status.code(), Some(1));
    let text = stdout(&run);
    assert!(text.contains("[Slot filled once]"), "{text}");
    assert!(text.contains(&format!("line {}", rows.len() + 1)), "{text}");
}

#[test]
fn a_person_without_the_discipline_breaks_the_discipline_rule() {
    let (tmp, dir, header, mut rows) = solved();
    let (ph, people) = read_csv(&dir.join("people.csv"));
    let col = |h: &[String], n: &str| h.iter().position(|x| x == n).unwrap();
    let disciplines: std::collections::HashMap<String, String> = people
        .iter()
        .map(|r| {
            (
                r[col(&ph, "id")].clone(),
                r[col(&ph, "disciplines")].clone(),
            )
        })
        .collect();
    let (rh, roles) = read_csv(&dir.join("roles.csv"));
    let role_discipline = |r: &[String]| {
        roles
            .iter()
            .find(|x| {
                x[col(&rh, "project_id")] == r[0]
                    && x[col(&rh, "phase")] == r[1]
                    && x[col(&rh, "role")] == r[2]
            })
            .map(|x| x[col(&rh, "discipline")].clone())
            .unwrap()
    };
    // Put a person into a role whose discipline they do not have.
    let (i, j) = (0..rows.len())
        .flat_map(|i| (0..rows.len()).map(move |j| (i, j)))
        .find(|&(i, j)| {
            !disciplines[&rows[j][4]]
                .split('|')
                .any(|d| d == role_discipline(&rows[i]))
        })
        .expect("a person outside a role's discipline");
    rows[i][4] = rows[j][4].clone();
    let plan = tmp.path().join("manual.csv");
    write_csv(&plan, &header, &rows);
    let run = check(&dir, &plan);
    assert_eq!(run.status.code(), Some(1));
    assert!(stdout(&run).contains("[Discipline]"), "{}", stdout(&run));
}

#[test]
fn the_solved_plan_keeps_every_rule_and_a_minimal_plan_reads_too() {
    let (tmp, dir, header, rows) = solved();
    let plan = tmp.path().join("same.csv");
    write_csv(&plan, &header, &rows);
    let run = check(&dir, &plan);
    assert!(run.status.success(), "{}", stdout(&run));
    assert!(stdout(&run).contains("keeps every hard rule"));
    // Only the four key columns, slots numbered automatically, `;` separated.
    let minimal: String = std::iter::once("project_id;phase;role;person_id".to_string())
        .chain(
            rows.iter()
                .take(3)
                .map(|r| format!("{};{};{};{}", r[0], r[1], r[2], r[4])),
        )
        .collect::<Vec<_>>()
        .join("\n");
    let plan = tmp.path().join("minimal.csv");
    std::fs::write(&plan, minimal).unwrap();
    let run = ploeg()
        .arg("check")
        .arg(&dir)
        .arg("--plan")
        .arg(&plan)
        .arg("--json")
        .output()
        .unwrap();
    assert_ne!(run.status.code(), Some(2), "{}", stderr(&run));
    let v: serde_json::Value = serde_json::from_str(&stdout(&run)).unwrap();
    assert_eq!(v["components"]["slots_filled"], 3, "all three rows read");
    // Part of a plan that keeps every rule can only lose a team's home
    // member (the rows left out may hold them).
    for x in v["violations"].as_array().unwrap() {
        assert_eq!(x["rule_id"], "home_member", "{x}");
    }
    assert_eq!(
        run.status.code(),
        Some(if v["valid"] == true { 0 } else { 1 })
    );
}

#[test]
fn overbooking_a_person_breaks_weekly_capacity() {
    let (tmp, dir, header, mut rows) = solved();
    // Give every slot of a role that the plan fills more than once to the
    // first person holding it.
    let first = rows
        .iter()
        .find(|r| rows.iter().filter(|x| x[2] == r[2]).count() > 1)
        .expect("a role filled more than once")
        .clone();
    let (person, role) = (first[4].clone(), first[2].clone());
    for r in rows.iter_mut().filter(|r| r[2] == role) {
        r[4] = person.clone();
    }
    let plan = tmp.path().join("overbooked.csv");
    write_csv(&plan, &header, &rows);
    let run = check(&dir, &plan);
    let text = stdout(&run);
    assert_eq!(run.status.code(), Some(1), "{text}");
    assert!(
        text.contains("[Weekly capacity]")
            || text.contains("[One role per phase team]")
            || text.contains("[Concurrent projects]"),
        "{text}"
    );
}
