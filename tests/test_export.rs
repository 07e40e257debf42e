//! `ploeg solve --export-model`: the stage models in LP and MPS files that
//! other solvers read. The plan ploeg found must be a solution of the
//! exported stage-1 model with the same objective value.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use common::{json, ploeg, read_csv};

/// One `name: terms <= rhs` row of an LP file.
struct LpRow {
    name: String,
    terms: Vec<(f64, String)>,
    equal: bool,
    rhs: f64,
}

struct Lp {
    constant: f64,
    objective: Vec<(f64, String)>,
    rows: Vec<LpRow>,
    binaries: Vec<String>,
}

fn parse_terms(text: &str) -> Vec<(f64, String)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .chunks(3)
        .map(|c| {
            assert_eq!(c.len(), 3, "a term is sign, coefficient, column: {c:?}");
            let sign = if c[0] == "-" { -1.0 } else { 1.0 };
            (sign * c[1].parse::<f64>().unwrap(), c[2].to_string())
        })
        .collect()
}

fn parse_lp(path: &Path) -> Lp {
    let text = std::fs::read_to_string(path).unwrap();
    let constant = text
        .lines()
        .find_map(|l| l.strip_prefix("\\ objective constant "))
        .and_then(|l| l.split_whitespace().next())
        .expect("the constant is recorded")
        .parse()
        .unwrap();
    let mut section = "";
    let mut lp = Lp {
        constant,
        objective: Vec::new(),
        rows: Vec::new(),
        binaries: Vec::new(),
    };
    for line in text.lines() {
        if line.starts_with('\\') {
            continue;
        }
        if !line.starts_with(' ') {
            section = line;
            continue;
        }
        match section {
            "Minimize" => {
                let body = line.trim().strip_prefix("obj:").unwrap();
                lp.objective = parse_terms(body);
            }
            "Subject To" => {
                let (name, body) = line.trim().split_once(':').unwrap();
                let (lhs, sense, rhs) = if let Some((l, r)) = body.split_once(" <= ") {
                    (l, false, r)
                } else {
                    let (l, r) = body.split_once(" = ").unwrap();
                    (l, true, r)
                };
                lp.rows.push(LpRow {
                    name: name.to_string(),
                    terms: parse_terms(lhs),
                    equal: sense,
                    rhs: rhs.trim().parse().unwrap(),
                });
            }
            "Binaries" => lp.binaries.push(line.trim().to_string()),
            _ => {}
        }
    }
    lp
}

fn solve_with_export(file: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    ploeg()
        .args([
            "solve",
            "data/demo",
            "--heuristic-only",
            "--time-limit",
            "2",
        ])
        .arg("--out")
        .arg(&out)
        .arg("--export-model")
        .arg(tmp.path().join(file))
        .assert()
        .success();
    (tmp, out)
}

#[test]
fn the_plan_solves_the_exported_stage_one_model_with_its_own_value() {
    let (tmp, out) = solve_with_export("model.lp");
    for name in [
        "model.lp",
        "model.2-balance.lp",
        "model.3-fit.lp",
        "model.4-placement.lp",
    ] {
        assert!(tmp.path().join(name).is_file(), "{name} written");
    }
    let lp = parse_lp(&tmp.path().join("model.lp"));
    assert!(!lp.binaries.is_empty());

    // The plan's pairs as exported column names.
    let (header, rows) = read_csv(&out.join("assignments.csv"));
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let mut value: HashMap<String, f64> = HashMap::new();
    for r in &rows {
        let name = format!(
            "x({}@{}/{}/{})",
            r[col("person_id")],
            r[col("project_id")],
            r[col("phase")],
            r[col("role")]
        )
        .replace(' ', "_");
        assert!(
            lp.binaries.contains(&name),
            "{name} is a column of the exported model"
        );
        value.insert(name, 1.0);
    }
    // Auxiliaries of stage 1 are the busy flags, at least each linked sum.
    let mut busy: BTreeMap<String, f64> = BTreeMap::new();
    for r in lp.rows.iter().filter(|r| r.name.starts_with("busy_link")) {
        let (aux, xs): (Vec<_>, Vec<_>) = r.terms.iter().partition(|(c, _)| *c < 0.0);
        assert_eq!(aux.len(), 1, "{}: one busy flag", r.name);
        let sum: f64 = xs
            .iter()
            .map(|(c, n)| c * value.get(n).unwrap_or(&0.0))
            .sum();
        let e = busy.entry(aux[0].1.clone()).or_default();
        *e = e.max(sum);
    }
    value.extend(busy);
    let eval = |terms: &[(f64, String)]| -> f64 {
        terms
            .iter()
            .map(|(c, n)| c * value.get(n).unwrap_or(&0.0))
            .sum()
    };
    let mut kinds = std::collections::BTreeSet::new();
    for r in &lp.rows {
        let lhs = eval(&r.terms);
        kinds.insert(r.name.split('(').next().unwrap().to_string());
        if r.equal {
            assert!((lhs - r.rhs).abs() < 1e-6, "{}: {lhs} = {}", r.name, r.rhs);
        } else {
            assert!(lhs <= r.rhs + 1e-6, "{}: {lhs} <= {}", r.name, r.rhs);
        }
    }
    for k in ["capacity", "fill", "one_role", "max_projects", "busy_link"] {
        assert!(kinds.contains(k), "rows named {k}");
    }
    let summary = json(&out.join("summary.json"));
    let stage1 = summary["stages"][0]["objective"].as_f64().unwrap();
    assert_eq!(summary["stages"][0]["stage"], "unfilled");
    let exported = eval(&lp.objective) + lp.constant;
    assert!(
        (exported - stage1).abs() < 1e-6,
        "exported objective {exported} against the solve's {stage1}"
    );

    // Stage 2 holds stage 1 at the value found.
    let lp2 = parse_lp(&tmp.path().join("model.2-balance.lp"));
    let hold = lp2
        .rows
        .iter()
        .find(|r| r.name == "hold_unfilled")
        .expect("stage 2 holds stage 1");
    let held = eval(&hold.terms) + lp.constant;
    assert!(held <= hold.rhs + lp.constant + 1e-6);
    assert!((hold.rhs + lp.constant - stage1).abs() < 1e-3 * stage1.max(1.0));
    assert!(lp2.rows.iter().any(|r| r.name.starts_with("cover(")));
}

#[test]
fn mps_holds_the_same_model_as_lp() {
    let (tmp, _) = solve_with_export("model.mps");
    let lp_dir = solve_with_export("model.lp").0;
    let mps = std::fs::read_to_string(tmp.path().join("model.mps")).unwrap();
    let lp = parse_lp(&lp_dir.path().join("model.lp"));
    let section = |name: &str| -> Vec<&str> {
        mps.lines()
            .skip_while(|l| *l != name)
            .skip(1)
            .take_while(|l| l.starts_with(' '))
            .collect()
    };
    let rows = section("ROWS");
    assert_eq!(rows.len(), lp.rows.len() + 1, "one N row plus every row");
    assert_eq!(rows[0].trim(), "N obj");
    let bv = section("BOUNDS")
        .iter()
        .filter(|l| l.trim_start().starts_with("BV "))
        .count();
    assert_eq!(bv, lp.binaries.len());
    assert!(mps.contains("'MARKER' 'INTORG'"));
    assert!(mps.trim_end().ends_with("ENDATA"));
}

#[test]
fn a_wrong_extension_is_refused_before_solving_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = ploeg()
        .args(["solve", "data/demo", "--export-model"])
        .arg(tmp.path().join("model.txt"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = common::stderr(&o);
    assert!(err.contains(".lp") && err.contains(".mps"), "{err}");
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}
