//! `ploeg generate`: seeded, valid, and careful with existing folders.

mod common;

use common::*;

fn files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        // The output marker holds a run id of its own.
        .filter(|e| e.file_name() != ".ploeg-output")
        .map(|e| {
            (
                e.file_name().to_string_lossy().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn same_seed_same_files_other_seed_other_files() {
    let (_a, da) = generated(50, 3, 42);
    let (_b, db) = generated(50, 3, 42);
    let (_c, dc) = generated(50, 3, 43);
    assert_eq!(files(&da), files(&db));
    assert_ne!(files(&da), files(&dc));
    let names: Vec<String> = files(&da).into_iter().map(|(n, _)| n).collect();
    for f in [
        "scenario.toml",
        "people.csv",
        "expertise.csv",
        "projects.csv",
        "phases.csv",
        "roles.csv",
        "pools.csv",
        "municipalities.csv",
        "preferences.csv",
    ] {
        assert!(names.contains(&f.to_string()), "{f} missing from {names:?}");
    }
}

#[test]
fn generated_scenarios_validate() {
    for (people, municipalities, seed) in [(5, 1, 1), (60, 3, 7), (200, 5, 1)] {
        let (_t, dir) = generated(people, municipalities, seed);
        let run = ploeg().arg("validate").arg(&dir).output().unwrap();
        assert!(
            run.status.success(),
            "{people}/{municipalities}/{seed}: {}",
            stderr(&run)
        );
        assert!(
            stdout(&run).contains(&format!("{people} people")),
            "{}",
            stdout(&run)
        );
    }
}

#[test]
fn zero_people_is_refused_and_an_unrelated_folder_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let run = ploeg()
        .args(["generate", "--people", "0", "--out"])
        .arg(tmp.path().join("x"))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(!tmp.path().join("x").exists());
    let keep = tmp.path().join("keep");
    std::fs::create_dir(&keep).unwrap();
    std::fs::write(keep.join("mine.txt"), "x").unwrap();
    let run = ploeg()
        .args(["generate", "--people", "10", "--out"])
        .arg(&keep)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(keep.join("mine.txt").exists() && !keep.join("people.csv").exists());
}

#[test]
fn generate_json_lists_what_was_written() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("g");
    let run = ploeg()
        .args([
            "generate",
            "--people",
            "12",
            "--municipalities",
            "2",
            "--seed",
            "3",
            "--json",
            "--out",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(run.status.success());
    let j: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(j["people"], 12);
    let files: Vec<&str> = j["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    for f in &files {
        assert!(dir.join(f).is_file(), "{f} listed but not written");
    }
    assert!(files.contains(&"municipalities.csv"));
}
