//! Helpers shared by the end-to-end tests: run the `ploeg` binary, make a
//! generated scenario in a temporary folder, read CSV output.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn ploeg() -> Command {
    Command::cargo_bin("ploeg").expect("the ploeg binary is built")
}

/// A generated scenario in a fresh temporary folder.
pub fn generated(people: usize, municipalities: usize, seed: u64) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("scenario");
    ploeg()
        .args([
            "generate",
            "--people",
            &people.to_string(),
            "--municipalities",
            &municipalities.to_string(),
        ])
        .args(["--seed", &seed.to_string(), "--out"])
        .arg(&dir)
        .assert()
        .success();
    (tmp, dir)
}

/// Header and rows of a CSV file.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

pub fn write_csv(path: &Path, header: &[String], rows: &[Vec<String>]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.flush().unwrap();
}

pub fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string()
}

pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

/// Index of a named column in a CSV header.
pub fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("column {name} missing in {header:?}"))
}

/// A number cell.
pub fn num(v: &str) -> f64 {
    v.parse().unwrap_or_else(|_| panic!("not a number: {v:?}"))
}

/// Days since 1970-01-01 of an ISO date, counted day by day from the year.
#[allow(dead_code)]
pub fn days(d: &str) -> i64 {
    let y: i64 = d[0..4].parse().unwrap();
    let m: usize = d[5..7].parse().unwrap();
    let day: i64 = d[8..10].parse().unwrap();
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let mut n = 0;
    if y >= 1970 {
        for yy in 1970..y {
            n += if leap(yy) { 366 } else { 365 };
        }
    } else {
        for yy in y..1970 {
            n -= if leap(yy) { 366 } else { 365 };
        }
    }
    let lengths = [
        31,
        if leap(y) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    n + lengths[..m - 1].iter().sum::<i64>() + day - 1
}

/// The CSV files of every plan folder.
#[allow(dead_code)]
pub const PLAN_CSVS: [&str; 6] = [
    "assignments.csv",
    "unfilled.csv",
    "teams.csv",
    "load.csv",
    "capacity.csv",
    "projects.csv",
];
