//! The bad-input corpus: every folder under `tests/bad_input/` is a copy of
//! `tests/data/small` with one defect, plus an `expect.txt`:
//!
//! ```text
//! line 1  the file the error must name          people.csv
//! line 2  its line number, or - for none         4
//! line 3  its column number, or - for none       15
//! line 4  a fragment of the message (any case)   outside the scale
//! line 5  optional: known-bug: why it fails now
//! ```
//!
//! `ploeg validate CASE` and `ploeg solve CASE --out OUT` must exit with
//! code 2, report that problem (file, line and column exactly as given, the
//! fragment in the same problem) and write nothing. Cases marked
//! `known-bug:` are counted but not asserted; the test says whether the bug
//! is still there.
//!
//! Also here: the valid scenarios `tests/data/small`, its Excel copy
//! (Windows-1252, `;`, decimal comma, CRLF) and its UTF-8-with-BOM copy, and
//! `ploeg check` with bad and rule-breaking plans.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

const OUTPUT_FILES: [&str; 5] = [
    "assignments.csv",
    "unfilled.csv",
    "teams.csv",
    "load.csv",
    "summary.json",
];

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn corpus_dir() -> PathBuf {
    tests_dir().join("bad_input")
}

fn data(name: &str) -> PathBuf {
    tests_dir().join("data").join(name)
}

fn ploeg() -> Command {
    Command::cargo_bin("ploeg").expect("the ploeg binary is built")
}

/// What a case's `expect.txt` asks for.
#[derive(Debug)]
struct Expect {
    file: String,
    line: Option<u64>,
    column: Option<usize>,
    fragment: String,
    known_bug: Option<String>,
}

impl Expect {
    fn location(&self) -> String {
        let mut s = self.file.clone();
        if let Some(l) = self.line {
            s.push_str(&format!(":{l}"));
            if let Some(c) = self.column {
                s.push_str(&format!(":{c}"));
            }
        }
        s
    }
}

impl std::fmt::Display for Expect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: …{}…", self.location(), self.fragment)
    }
}

fn parse_number_or_dash<T: std::str::FromStr>(case: &str, what: &str, v: &str) -> Option<T> {
    let v = v.trim();
    if v == "-" {
        return None;
    }
    Some(
        v.parse().unwrap_or_else(|_| {
            panic!("{case}/expect.txt: {what} must be a number or -, not {v:?}")
        }),
    )
}

fn read_expect(case: &str, dir: &Path) -> Expect {
    let path = dir.join("expect.txt");
    let text = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{case}: cannot read {}: {e}", path.display()));
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.len() >= 4,
        "{case}/expect.txt needs 4 lines (file, line, column, message fragment), has {}",
        lines.len()
    );
    let file = lines[0].trim().to_string();
    let fragment = lines[3].trim().to_string();
    assert!(
        !file.is_empty(),
        "{case}/expect.txt: line 1 (file) is empty"
    );
    assert!(
        !fragment.is_empty(),
        "{case}/expect.txt: line 4 (message fragment) is empty"
    );
    let known_bug = lines.get(4).map(|l| {
        let l = l.trim();
        l.strip_prefix("known-bug:")
            .unwrap_or_else(|| panic!("{case}/expect.txt: line 5 must start with 'known-bug:'"))
            .trim()
            .to_string()
    });
    let line = parse_number_or_dash(case, "line 2 (line number)", lines[1]);
    let column = parse_number_or_dash(case, "line 3 (column number)", lines[2]);
    assert!(
        line.is_some() || column.is_none(),
        "{case}/expect.txt: a column needs a line"
    );
    Expect {
        file,
        line,
        column,
        fragment,
        known_bug,
    }
}

/// Every case folder, sorted by name.
fn cases() -> Vec<(String, PathBuf, Expect)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(corpus_dir()).expect("tests/bad_input exists") {
        let dir = entry.expect("readable entry").path();
        if !dir.is_dir() {
            continue;
        }
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let expect = read_expect(&name, &dir);
        out.push((name, dir, expect));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// One reported problem: `  FILE[:LINE[:COLUMN]]: rest` up to its hint.
#[derive(Debug)]
struct Problem {
    file: String,
    line: Option<u64>,
    column: Option<usize>,
    /// Everything after the location (field, value and message), with any
    /// continuation lines of a multi-line value.
    text: String,
}

fn parse_location(loc: &str) -> (String, Option<u64>, Option<usize>) {
    let parts: Vec<&str> = loc.split(':').collect();
    let nums: Vec<&str> = parts[1..].to_vec();
    if nums.is_empty() || nums.len() > 2 || nums.iter().any(|n| n.parse::<u64>().is_err()) {
        return (loc.to_string(), None, None);
    }
    (
        parts[0].to_string(),
        nums.first().and_then(|n| n.parse().ok()),
        nums.get(1).and_then(|n| n.parse().ok()),
    )
}

/// The problems in ploeg's stderr (`error: N problem(s) in the input:` and
/// then one block per problem).
fn problems(stderr: &str) -> Vec<Problem> {
    let mut out: Vec<Problem> = Vec::new();
    let mut in_problem = false;
    for l in stderr.lines() {
        if l.starts_with("    hint: ") {
            in_problem = false;
        } else if l.starts_with("  ") && !l.starts_with("   ") {
            let body = &l[2..];
            let (loc, rest) = body.split_once(": ").unwrap_or((body, ""));
            let (file, line, column) = parse_location(loc);
            out.push(Problem {
                file,
                line,
                column,
                text: rest.to_string(),
            });
            in_problem = true;
        } else if in_problem {
            if let Some(p) = out.last_mut() {
                p.text.push('\n');
                p.text.push_str(l);
            }
        }
    }
    out
}

fn reported(stderr: &str, e: &Expect) -> bool {
    let fragment = e.fragment.to_lowercase();
    problems(stderr).iter().any(|p| {
        p.file == e.file
            && p.line == e.line
            && p.column == e.column
            && p.text.to_lowercase().contains(&fragment)
    })
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs validate and solve on one case; `Err` describes the first failure.
fn check_case(name: &str, dir: &Path, e: &Expect) -> Result<(), String> {
    let fail = |cmd: &str, why: String, code: Option<i32>, stdout: &str, stderr: &str| {
        format!(
            "case {name}: `ploeg {cmd}` {why}\n  expected: exit 2 and {e}\n  exit code: {code:?}\n  stdout:\n{stdout}\n  stderr:\n{stderr}"
        )
    };

    let o = ploeg().arg("validate").arg(dir).output().expect("runs");
    let (stdout, stderr) = (text(&o.stdout), text(&o.stderr));
    let code = o.status.code();
    if code != Some(2) {
        return Err(fail(
            "validate",
            "did not exit with code 2".into(),
            code,
            &stdout,
            &stderr,
        ));
    }
    if stderr.contains("panicked") {
        return Err(fail("validate", "panicked".into(), code, &stdout, &stderr));
    }
    if !stderr.starts_with("error: ") || !stderr.contains(" in the input:") {
        return Err(fail(
            "validate",
            "did not start stderr with `error: N problem(s) in the input:`".into(),
            code,
            &stdout,
            &stderr,
        ));
    }
    if !stdout.is_empty() {
        return Err(fail(
            "validate",
            "printed to stdout".into(),
            code,
            &stdout,
            &stderr,
        ));
    }
    if !reported(&stderr, e) {
        return Err(fail(
            "validate",
            format!("did not report {e}"),
            code,
            &stdout,
            &stderr,
        ));
    }

    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("out");
    let o = ploeg()
        .arg("solve")
        .arg(dir)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    let (stdout, stderr) = (text(&o.stdout), text(&o.stderr));
    let code = o.status.code();
    let solve = format!("solve {name} --out TMP/out");
    if code != Some(2) {
        return Err(fail(
            &solve,
            "did not exit with code 2".into(),
            code,
            &stdout,
            &stderr,
        ));
    }
    if stderr.contains("panicked") {
        return Err(fail(&solve, "panicked".into(), code, &stdout, &stderr));
    }
    if !reported(&stderr, e) {
        return Err(fail(
            &solve,
            format!("did not report {e}"),
            code,
            &stdout,
            &stderr,
        ));
    }
    if out.exists() {
        return Err(fail(
            &solve,
            "created the output folder".into(),
            code,
            &stdout,
            &stderr,
        ));
    }
    let left: Vec<String> = fs::read_dir(tmp.path())
        .expect("temp dir readable")
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    if !left.is_empty() {
        return Err(fail(
            &solve,
            format!("left files next to the output folder: {left:?}"),
            code,
            &stdout,
            &stderr,
        ));
    }
    Ok(())
}

#[test]
fn every_bad_input_case_is_reported_at_its_place_and_writes_nothing() {
    let mut failures = Vec::new();
    let mut known = Vec::new();
    let all = cases();
    for (name, dir, e) in &all {
        let result = check_case(name, dir, e);
        match (&e.known_bug, result) {
            (None, Ok(())) => {}
            (None, Err(f)) => failures.push(f),
            (Some(bug), Ok(())) => known.push(format!(
                "{name}: marked known-bug but now passes; remove line 5 of expect.txt ({bug})"
            )),
            (Some(bug), Err(_)) => known.push(format!("{name}: known bug still present: {bug}")),
        }
    }
    for k in &known {
        eprintln!("note: {k}");
    }
    eprintln!(
        "{} cases: {} checked, {} known bugs skipped, {} failed",
        all.len(),
        all.len() - known.len(),
        known.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} bad-input cases failed:\n\n{}",
        failures.len(),
        all.len(),
        failures.join("\n\n")
    );
}

#[test]
fn corpus_has_at_least_30_cases_each_differing_from_small() {
    let all = cases();
    let asserted = all.iter().filter(|c| c.2.known_bug.is_none()).count();
    assert!(
        all.len() >= 30,
        "only {} cases in tests/bad_input",
        all.len()
    );
    assert!(
        asserted >= 30,
        "only {asserted} cases without a known-bug mark"
    );
    let small = data("small");
    for (name, dir, _) in &all {
        let mut names: Vec<PathBuf> = fs::read_dir(&small)
            .unwrap()
            .chain(fs::read_dir(dir).unwrap())
            .map(|e| PathBuf::from(e.unwrap().file_name()))
            .filter(|n| n != Path::new("expect.txt"))
            .collect();
        names.sort();
        names.dedup();
        let differs = names
            .iter()
            .any(|n| fs::read(small.join(n)).ok() != fs::read(dir.join(n)).ok());
        assert!(
            differs,
            "case {name} is an unchanged copy of tests/data/small"
        );
    }
}

#[test]
fn no_case_makes_ploeg_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = tmp.path().join("plan.csv");
    fs::write(
        &plan,
        "project_id,phase,role,slot,person_id\nj01,verkenning,projectleider,1,p01\n",
    )
    .unwrap();
    let mut panics = Vec::new();
    for (name, dir, e) in cases() {
        if e.known_bug.as_deref().is_some_and(|b| b.contains("panic")) {
            continue;
        }
        let runs: [Vec<&std::ffi::OsStr>; 4] = [
            vec!["validate".as_ref(), dir.as_os_str()],
            vec!["validate".as_ref(), "--json".as_ref(), dir.as_os_str()],
            vec!["solve".as_ref(), dir.as_os_str()],
            vec![
                "check".as_ref(),
                dir.as_os_str(),
                "--plan".as_ref(),
                plan.as_os_str(),
            ],
        ];
        for args in runs {
            let o = ploeg().args(&args).output().expect("runs");
            let stderr = text(&o.stderr);
            if stderr.contains("panicked") || o.status.code() == Some(101) {
                panics.push(format!(
                    "case {name}: `ploeg {}` panicked (exit {:?}):\n{stderr}",
                    args.iter()
                        .map(|a| a.to_string_lossy())
                        .collect::<Vec<_>>()
                        .join(" "),
                    o.status.code()
                ));
            }
        }
    }
    assert!(panics.is_empty(), "{}", panics.join("\n\n"));
}

/// Validates and solves a valid scenario; returns the output folder's files.
fn solve_valid(name: &str) -> Vec<(String, Vec<u8>)> {
    let dir = data(name);
    let o = ploeg().arg("validate").arg(&dir).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "ploeg validate {name}:\n{}",
        text(&o.stderr)
    );
    let stdout = text(&o.stdout);
    assert!(
        stdout.starts_with("valid: Klein Maasland — 8 people, 2 projects, 5 phases, 8 role lines (9 slots), 1 pools, 3 preferences"),
        "ploeg validate {name} printed:\n{stdout}"
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = ploeg()
        .arg("solve")
        .arg(&dir)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "ploeg solve {name}:\n{}",
        text(&o.stderr)
    );
    OUTPUT_FILES
        .iter()
        .map(|f| {
            let p = out.join(f);
            assert!(p.is_file(), "ploeg solve {name} did not write {f}");
            (f.to_string(), fs::read(p).unwrap())
        })
        .collect()
}

#[test]
fn small_scenario_validates_and_solves() {
    let files = solve_valid("small");
    let assignments = text(&files[0].1);
    // Nine slots, all of them filled, with the Windows-1252-sensitive names intact.
    assert_eq!(assignments.lines().count(), 1 + 9, "{assignments}");
    assert!(assignments.contains("Zoë van Dongen"), "{assignments}");
    let unfilled = text(&files[1].1);
    assert_eq!(unfilled.lines().count(), 1, "{unfilled}");
}

#[test]
fn excel_and_bom_copies_of_small_are_valid_and_solve_the_same() {
    let small = solve_valid("small");
    for variant in ["small_excel", "small_bom"] {
        let files = solve_valid(variant);
        // summary.json holds timings; the four CSV files must be identical.
        for ((name, a), (_, b)) in small.iter().zip(&files).take(4) {
            assert!(
                a == b,
                "{variant}/{name} differs from small/{name}:\n--- small\n{}\n--- {variant}\n{}",
                text(a),
                text(b)
            );
        }
    }
}

#[test]
fn excel_copy_really_is_windows_1252_semicolon_and_decimal_comma() {
    let people = fs::read(data("small_excel").join("people.csv")).unwrap();
    assert!(!people.starts_with(&[0xEF, 0xBB, 0xBF]), "no BOM");
    assert!(std::str::from_utf8(&people).is_err(), "not valid UTF-8");
    assert!(people.windows(3).any(|w| w == b"Zo\xEB"), "ë as 0xEB");
    let text = String::from_utf8_lossy(&people);
    assert!(text.starts_with("id;name;"), "semicolons");
    assert!(text.contains(";7,5;"), "decimal comma");
    for f in ["people.csv", "roles.csv", "projects.csv"] {
        let b = fs::read(data("small_bom").join(f)).unwrap();
        assert!(
            b.starts_with(&[0xEF, 0xBB, 0xBF]),
            "small_bom/{f} has a BOM"
        );
    }
}

#[test]
fn check_with_unknown_person_in_plan_is_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = tmp.path().join("plan.csv");
    fs::write(
        &plan,
        "project_id,phase,role,slot,person_id\n\
         j01,verkenning,projectleider,1,p01\n\
         j01,verkenning,planeconoom,1,p99\n",
    )
    .unwrap();
    let o = ploeg()
        .arg("check")
        .arg(data("small"))
        .arg("--plan")
        .arg(&plan)
        .output()
        .unwrap();
    let stderr = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(o.stdout.is_empty(), "stdout:\n{}", text(&o.stdout));
    assert!(
        stderr.contains("plan.csv:3:5: person_id = \"p99\""),
        "stderr:\n{stderr}"
    );
    assert!(
        stderr.to_lowercase().contains("no person with this id"),
        "stderr:\n{stderr}"
    );
}

#[test]
fn check_with_person_lacking_the_discipline_breaks_a_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = tmp.path().join("plan.csv");
    // Bas Hendriks (p02) is a planeconoom, not a projectleider.
    fs::write(
        &plan,
        "project_id,phase,role,slot,person_id\nj01,verkenning,projectleider,1,p02\n",
    )
    .unwrap();
    let o = ploeg()
        .arg("check")
        .arg(data("small"))
        .arg("--plan")
        .arg(&plan)
        .output()
        .unwrap();
    let stdout = text(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "stdout:\n{stdout}\nstderr:\n{}",
        text(&o.stderr)
    );
    assert!(stdout.contains("Discipline"), "stdout:\n{stdout}");
    assert!(stdout.contains("line 2"), "stdout:\n{stdout}");
}

#[test]
fn check_accepts_the_solvers_own_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    ploeg()
        .arg("solve")
        .arg(data("small"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let o = ploeg()
        .arg("check")
        .arg(data("small"))
        .arg("--plan")
        .arg(out.join("assignments.csv"))
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "stdout:\n{}\nstderr:\n{}",
        text(&o.stdout),
        text(&o.stderr)
    );
}

#[test]
fn problem_lines_are_parsed() {
    let stderr = "error: 3 problems in the input:\n  roles.csv: the file is missing\n    hint: x\n  people.csv:1: verbinden: the required column 'verbinden' is missing\n    hint: y\n  people.csv:3:15: verbinden = \"5\np03,a\": this is not a number\n    hint: z\n";
    let p = problems(stderr);
    assert_eq!(p.len(), 3);
    assert_eq!(
        (p[0].file.as_str(), p[0].line, p[0].column),
        ("roles.csv", None, None)
    );
    assert_eq!(
        (p[1].file.as_str(), p[1].line, p[1].column),
        ("people.csv", Some(1), None)
    );
    assert_eq!(
        (p[2].file.as_str(), p[2].line, p[2].column),
        ("people.csv", Some(3), Some(15))
    );
    assert!(p[2].text.ends_with("this is not a number"));
}
