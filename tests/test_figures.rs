//! The figures over time, recomputed from the input files and the written
//! plan by code of this test alone, must match what `ploeg solve` wrote:
//! role-hours over the horizon, FTE-years, the peak and mean open hours a
//! week, blocked phases and project-months in summary.json, capacity.csv
//! and projects.csv. On the demo and two generated scenarios.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;

fn month(d: &str) -> i64 {
    d[0..4].parse::<i64>().unwrap() * 12 + d[5..7].parse::<i64>().unwrap() - 1
}

fn label(m: i64) -> String {
    format!("{:04}-{:02}", m / 12, m % 12 + 1)
}

struct Table {
    h: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(p: &Path) -> Table {
        let (h, rows) = read_csv(p);
        Table { h, rows }
    }
    fn get<'a>(&self, r: &'a [String], name: &str) -> &'a str {
        &r[col(&self.h, name)]
    }
}

fn yes(v: &str) -> bool {
    matches!(
        v.to_lowercase().as_str(),
        "true" | "ja" | "yes" | "1" | "waar" | "j" | "y" | "x"
    ) || v.is_empty()
}

fn check_scenario(dir: &Path) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let r = ploeg()
        .arg("solve")
        .arg(dir)
        .args(["--heuristic-only", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", stderr(&r));
    let phases = Table::read(&dir.join("phases.csv"));
    let roles = Table::read(&dir.join("roles.csv"));
    let people = Table::read(&dir.join("people.csv"));
    let unfilled = Table::read(&out.join("unfilled.csv"));
    // (project, phase) → (start, end)
    let mut span: BTreeMap<(String, String), (String, String)> = BTreeMap::new();
    for r in &phases.rows {
        span.insert(
            (
                phases.get(r, "project_id").into(),
                phases.get(r, "phase").into(),
            ),
            (phases.get(r, "start").into(), phases.get(r, "end").into()),
        );
    }
    let weeks = |k: &(String, String)| {
        let (a, b) = &span[k];
        (days(b) - days(a) + 1) as f64 / 7.0
    };
    // (project, phase, role) → (discipline, required)
    let mut line: BTreeMap<(String, String, String), (String, bool)> = BTreeMap::new();
    let mut demand: BTreeMap<(i64, String), f64> = BTreeMap::new();
    let mut active: BTreeSet<i64> = BTreeSet::new();
    for r in &roles.rows {
        let key = (
            roles.get(r, "project_id").to_string(),
            roles.get(r, "phase").to_string(),
        );
        let disc = roles.get(r, "discipline").to_string();
        let count: f64 =
            if roles.h.iter().any(|h| h == "count") && !roles.get(r, "count").is_empty() {
                num(roles.get(r, "count"))
            } else {
                1.0
            };
        let required = !roles.h.iter().any(|h| h == "required") || yes(roles.get(r, "required"));
        let hours = num(&roles.get(r, "hours_per_week").replace(',', "."));
        let (a, b) = &span[&key];
        for m in month(a)..=month(b) {
            *demand.entry((m, disc.clone())).or_default() += hours * count;
            active.insert(m);
        }
        line.insert(
            (key.0, key.1, roles.get(r, "role").to_string()),
            (disc, required),
        );
    }
    let mut role_hours = 0.0;
    let mut required_hours = 0.0;
    let mut open_by_month: BTreeMap<i64, f64> = BTreeMap::new();
    let mut open_by_cell: BTreeMap<(i64, String), f64> = BTreeMap::new();
    let mut blocked: BTreeSet<(String, String)> = BTreeSet::new();
    let mut blocked_months: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
    let mut open_required_by_project: BTreeMap<String, f64> = BTreeMap::new();
    for r in &unfilled.rows {
        let key = (
            unfilled.get(r, "project_id").to_string(),
            unfilled.get(r, "phase").to_string(),
        );
        let hours = num(unfilled.get(r, "hours_per_week"));
        let w = weeks(&key);
        let (disc, required) = line[&(
            key.0.clone(),
            key.1.clone(),
            unfilled.get(r, "role").to_string(),
        )]
            .clone();
        role_hours += hours * w;
        let (a, b) = span[&key].clone();
        for m in month(&a)..=month(&b) {
            *open_by_month.entry(m).or_default() += hours;
            *open_by_cell.entry((m, disc.clone())).or_default() += hours;
        }
        if required {
            required_hours += hours * w;
            *open_required_by_project.entry(key.0.clone()).or_default() += hours * w;
            blocked_months
                .entry(key.0.clone())
                .or_default()
                .extend(month(&a)..=month(&b));
            blocked.insert(key);
        }
    }
    let peak = open_by_month.values().copied().fold(0.0, f64::max);
    let mean = open_by_month.values().sum::<f64>() / active.len() as f64;
    let s = json(&out.join("summary.json"));
    let close = |key: &str, want: f64| {
        let got = s[key].as_f64().unwrap_or_else(|| panic!("{key} missing"));
        assert!(
            (got - want).abs() <= 1e-6 * want.abs().max(1.0),
            "{key}: {got} against {want}"
        );
    };
    close("unfilled_role_hours", role_hours);
    close("unfilled_required_role_hours", required_hours);
    close("unfilled_fte_years", role_hours / (36.0 * 52.0));
    close("peak_open_hours_per_week", peak);
    close("mean_open_hours_per_week", mean);
    let peak_month = open_by_month
        .iter()
        .find(|(_, &h)| h == peak)
        .map(|(&m, _)| label(m));
    assert_eq!(s["peak_open_period"].as_str().map(String::from), peak_month);
    assert_eq!(
        s["blocked_phases"].as_u64().unwrap() as usize,
        blocked.len()
    );
    assert_eq!(
        s["phases_total"].as_u64().unwrap() as usize,
        phases.rows.len()
    );
    assert_eq!(
        s["blocked_project_months"].as_u64().unwrap() as usize,
        blocked_months.values().map(BTreeSet::len).sum::<usize>()
    );
    // capacity.csv, cell by cell.
    let lo = *active.first().unwrap();
    let hi = *active.last().unwrap();
    let cap = Table::read(&out.join("capacity.csv"));
    let mut seen = 0;
    for r in &cap.rows {
        let m = month(&format!("{}-01", cap.get(r, "period")));
        let disc = cap.get(r, "discipline").to_string();
        let d = demand.get(&(m, disc.clone())).copied().unwrap_or(0.0);
        let o = open_by_cell.get(&(m, disc.clone())).copied().unwrap_or(0.0);
        let near = |name: &str, want: f64| {
            let got = num(cap.get(r, name));
            assert!(
                (got - want).abs() < 0.01,
                "{} {disc} {name}: {got} against {want}",
                cap.get(r, "period")
            );
        };
        near("demand_hours_per_week", d);
        near("open_hours_per_week", o);
        near("assigned_hours_per_week", d - o);
        let mut supply = 0.0;
        let mut n = 0;
        for p in &people.rows {
            let has = people
                .get(p, "disciplines")
                .split('|')
                .any(|x| x.trim() == disc);
            let from = people.get(p, "available_from");
            let until = people.get(p, "available_until");
            let a = if from.is_empty() {
                lo
            } else {
                month(from).max(lo)
            };
            let b = if until.is_empty() {
                hi
            } else {
                month(until).min(hi)
            };
            if has && a <= m && m <= b {
                supply += num(&people.get(p, "hours_per_week").replace(',', "."));
                n += 1;
            }
        }
        near("supply_hours_per_week", supply);
        assert_eq!(num(cap.get(r, "people")) as usize, n);
        seen += 1;
    }
    let disciplines: BTreeSet<&String> = demand.keys().map(|(_, d)| d).collect();
    assert_eq!(seen, (hi - lo + 1) as usize * disciplines.len());
    // projects.csv
    let projects = Table::read(&out.join("projects.csv"));
    for r in &projects.rows {
        let id = projects.get(r, "project_id");
        let want = open_required_by_project.get(id).copied().unwrap_or(0.0);
        let got = num(projects.get(r, "open_required_role_hours"));
        assert!((got - want).abs() < 0.01, "{id}: {got} against {want}");
        let first = blocked_months
            .get(id)
            .and_then(|m| m.first())
            .map(|&m| label(m));
        assert_eq!(
            Some(projects.get(r, "first_blocked_period").to_string()).filter(|v| !v.is_empty()),
            first
        );
    }
}

#[test]
fn the_demo_figures_follow_from_its_files() {
    check_scenario(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo"));
}

#[test]
fn generated_figures_follow_from_their_files() {
    for (people, munis, seed) in [(40, 2, 3), (90, 4, 8)] {
        let (_tmp, dir) = generated(people, munis, seed);
        check_scenario(&dir);
    }
}
