//! Hostile input, shared output folders and interrupted runs: one
//! regression test per defect, named after it. Nothing the user did not
//! let ploeg write is removed, no formula cell or control character leaves
//! the program, and every bad number or file is an input error (exit 2).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo")
}

fn small() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/small")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fn run(args: &[&str], dirs: &[&Path]) -> Output {
    let mut c = ploeg();
    let mut d = dirs.iter();
    for a in args {
        if *a == "{}" {
            c.arg(d.next().expect("a path for each {}"));
        } else {
            c.arg(a);
        }
    }
    c.output().unwrap()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

/// Every file under `dir`, recursively.
fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(all_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn out_folder_with_summary_json_and_a_thesis_is_refused_and_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("withsum");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("summary.json"), "{}").unwrap();
    fs::write(out.join("thesis.docx"), "four years of work").unwrap();
    let r = run(
        &["solve", "{}", "--heuristic-only", "--out", "{}"],
        &[&small(), &out],
    );
    assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
    assert!(stderr(&r).contains("did not write"), "{}", stderr(&r));
    assert_eq!(names(&out), ["summary.json", "thesis.docx"]);
    assert_eq!(
        fs::read(out.join("thesis.docx")).unwrap(),
        b"four years of work"
    );
    assert_eq!(names(tmp.path()), ["withsum"], "nothing beside the folder");
}

#[test]
fn out_dot_is_refused_and_the_current_folder_kept() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("summary.json"), "{}").unwrap();
    fs::write(tmp.path().join("thesis.docx"), "mine").unwrap();
    let r = ploeg()
        .current_dir(tmp.path())
        .arg("solve")
        .arg(small())
        .args(["--heuristic-only", "--out", "."])
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
    assert!(stderr(&r).contains("current folder"), "{}", stderr(&r));
    assert_eq!(names(tmp.path()), ["summary.json", "thesis.docx"]);
}

#[test]
fn out_equal_to_or_above_the_scenario_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let scen = tmp.path().join("s");
    copy_dir(&small(), &scen);
    let before = names(&scen);
    for out in [scen.clone(), tmp.path().to_path_buf()] {
        let r = run(
            &["solve", "{}", "--heuristic-only", "--out", "{}"],
            &[&scen, &out],
        );
        assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
        assert!(stderr(&r).contains("scenario folder"), "{}", stderr(&r));
    }
    assert_eq!(names(&scen), before);
}

#[test]
fn rank_out_with_a_foreign_ranking_csv_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("ranking.csv"), "mine").unwrap();
    fs::write(out.join("cv.pdf"), "mine").unwrap();
    let r = run(
        &[
            "rank",
            "{}",
            "--candidates",
            "{}",
            "--role",
            "projectleider",
            "--municipality",
            "Oss",
            "--out",
            "{}",
        ],
        &[&demo(), &demo().join("candidates.csv"), &out],
    );
    assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
    assert_eq!(names(&out), ["cv.pdf", "ranking.csv"]);
    assert_eq!(fs::read(out.join("ranking.csv")).unwrap(), b"mine");
}

#[test]
fn replacing_an_earlier_output_keeps_what_the_user_added() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let solve = || {
        run(
            &["solve", "{}", "--heuristic-only", "--out", "{}"],
            &[&small(), &out],
        )
    };
    assert!(solve().status.success());
    fs::write(out.join("notes.txt"), "my notes").unwrap();
    let r = solve();
    assert!(r.status.success(), "{}", stderr(&r));
    assert!(names(&out).contains(&"notes.txt".to_string()));
    assert!(names(&out).contains(&".ploeg-output".to_string()));
    assert_eq!(fs::read(out.join("notes.txt")).unwrap(), b"my notes");
    assert_eq!(names(tmp.path()), ["out"]);
}

#[test]
fn a_run_killed_mid_write_leaves_debris_the_next_run_removes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // What a SIGKILL can leave: a half-written folder and a lock of a
    // process that no longer runs.
    let debris = tmp.path().join(".out.ploeg-new-4000000-00aa");
    fs::create_dir(&debris).unwrap();
    fs::write(debris.join("load.csv"), "half").unwrap();
    fs::write(tmp.path().join(".out.ploeg-lock"), "4000000\n").unwrap();
    let r = run(
        &["solve", "{}", "--heuristic-only", "--out", "{}"],
        &[&small(), &out],
    );
    assert!(r.status.success(), "{}", stderr(&r));
    assert_eq!(names(tmp.path()), ["out"]);
}

#[test]
fn two_solves_to_one_out_both_finish_and_leave_no_temp_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let children: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_ploeg"))
                .arg("solve")
                .arg(small())
                .args(["--heuristic-only", "--out"])
                .arg(&out)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(names(tmp.path()), ["out"]);
    let mut want = vec![
        ".ploeg-output",
        "assignments.csv",
        "capacity.csv",
        "load.csv",
        "projects.csv",
        "summary.json",
        "teams.csv",
        "unfilled.csv",
    ];
    want.sort();
    assert_eq!(names(&out), want);
}

#[cfg(unix)]
#[test]
fn sigint_during_a_run_removes_its_temporary_files() {
    let (tmp, dir) = generated(200, 3, 4);
    let out = tmp.path().join("out");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ploeg"))
        .arg("solve")
        .arg(&dir)
        .args(["--time-limit", "30", "--out"])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(!out.exists());
    assert_eq!(names(tmp.path()), ["scenario"]);
}

/// The demo with names, a project and a candidate that a spreadsheet would
/// run as formulas.
fn hostile_demo(root: &Path) -> PathBuf {
    let dir = root.join("hostile");
    copy_dir(&demo(), &dir);
    let people = fs::read_to_string(dir.join("people.csv")).unwrap();
    let people = people
        .replacen(
            "Rajesh Maas",
            "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
            1,
        )
        .replacen(",Bas Bos,", ",\"\t=1+1\",", 1)
        .replacen(",Pieter Post,", ",@SUM(A1),", 1)
        .replacen(",Willemijn Jacobs,", ",\"=cmd|' /C calc'!A0\",", 1);
    fs::write(dir.join("people.csv"), people).unwrap();
    let projects = fs::read_to_string(dir.join("projects.csv")).unwrap();
    fs::write(
        dir.join("projects.csv"),
        projects.replacen("Oss Kanaalzone", "+Kanaalzone", 1),
    )
    .unwrap();
    let cands = fs::read_to_string(dir.join("candidates.csv")).unwrap();
    fs::write(
        dir.join("candidates.csv"),
        cands.replacen("Petra de Vries", "-2+3+cmd|' /C calc'!A0", 1),
    )
    .unwrap();
    dir
}

/// Every command that writes names to files, on scenario `dir`, each
/// into its own output under `root`; `report_flag` is added to the
/// commands that can write a report. Arguments `{}` take the paths in turn.
fn writing_commands(
    dir: &Path,
    root: &Path,
    report_flag: &[&'static str],
) -> Vec<(Vec<&'static str>, Vec<PathBuf>)> {
    let o = |n: &str| root.join(n);
    let quick: [&str; 5] = ["--heuristic-only", "--time-limit", "3", "--out", "{}"];
    let with = |cmd: &'static str, extra: &[&'static str], report: bool| {
        let mut v = vec![cmd, "{}"];
        v.extend_from_slice(extra);
        if report {
            v.extend_from_slice(report_flag);
        }
        v.extend_from_slice(&quick);
        v
    };
    vec![
        (
            with("solve", &[], true),
            vec![dir.to_path_buf(), o("solve")],
        ),
        (with("pool", &[], true), vec![dir.to_path_buf(), o("pool")]),
        (
            with("resilience", &["--samples", "5"], true),
            vec![dir.to_path_buf(), o("res")],
        ),
        (
            with("phase", &["--patience", "0"], false),
            vec![dir.to_path_buf(), o("phase")],
        ),
        (
            vec!["bank", "{}", "--field", "stikstof", "--out", "{}"],
            vec![dir.to_path_buf(), o("bank.csv")],
        ),
        (
            vec![
                "rank",
                "{}",
                "--candidates",
                "{}",
                "--role",
                "vergunningspecialist",
                "--municipality",
                "Oss",
                "--out",
                "{}",
            ],
            vec![dir.to_path_buf(), dir.join("candidates.csv"), o("rank")],
        ),
    ]
}

fn is_plain_number(v: &str) -> bool {
    v.replace(',', ".").parse::<f64>().is_ok_and(f64::is_finite)
}

/// Cells of every CSV under `dir` that a spreadsheet would run.
fn formula_cells(dir: &Path) -> Vec<String> {
    let mut bad = Vec::new();
    for f in all_files(dir) {
        if f.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(&f)
            .unwrap();
        for rec in r.records() {
            for cell in rec.unwrap().iter() {
                if cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\n'])
                    && !is_plain_number(cell)
                {
                    bad.push(format!("{}: {cell:?}", f.display()));
                }
            }
        }
    }
    bad
}

#[test]
fn formula_names_are_neutralised_in_every_csv_of_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = hostile_demo(tmp.path());
    let runs = writing_commands(&dir, tmp.path(), &[]);
    for (args, paths) in &runs {
        let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
        let r = run(args, &refs);
        assert!(r.status.success(), "{args:?}: {}", stderr(&r));
    }
    fs::remove_dir_all(&dir).unwrap();
    let bad = formula_cells(tmp.path());
    assert!(
        bad.is_empty(),
        "{} formula cells:\n{}",
        bad.len(),
        bad.join("\n")
    );
    // The names are there, made safe.
    let assignments = fs::read_to_string(tmp.path().join("solve/assignments.csv")).unwrap();
    assert!(assignments.contains("'=HYPERLINK"), "{assignments}");
}

#[test]
fn escape_sequences_in_names_do_not_reach_the_terminal() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    copy_dir(&demo(), &dir);
    let people = fs::read_to_string(dir.join("people.csv")).unwrap();
    let people = people.replacen(
        "Rajesh Maas",
        "Rajesh\u{1b}[2J\u{1b}]0;PWNED\u{7}\u{202E}",
        1,
    );
    fs::write(dir.join("people.csv"), people).unwrap();
    let r = run(&["bank", "{}", "--field", "stikstof"], &[&dir]);
    assert!(r.status.success(), "{}", stderr(&r));
    let text = stdout(&r);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202E}'));
    let out = tmp.path().join("out");
    let r = run(
        &["solve", "{}", "--heuristic-only", "--out", "{}"],
        &[&dir, &out],
    );
    assert!(r.status.success());
    for f in all_files(&out) {
        let t = fs::read_to_string(&f).unwrap();
        assert!(
            !t.contains('\u{1b}') && !t.contains('\u{202E}'),
            "{}",
            f.display()
        );
    }
}

#[test]
fn time_limits_of_1e19_and_1e20_are_usage_errors_not_panics() {
    for cmd in ["solve", "pool", "resilience", "phase"] {
        for t in ["1e19", "1e20", "NaN", "inf", "0", "-1"] {
            let r = run(&[cmd, "{}", "--time-limit", t], &[&demo()]);
            assert_eq!(
                r.status.code(),
                Some(2),
                "{cmd} --time-limit {t}: {}",
                stderr(&r)
            );
        }
    }
}

#[test]
fn bad_flag_values_exit_2_in_every_command() {
    let cases: Vec<Vec<&str>> = vec![
        vec!["bank", "{}", "--field", "stikstof", "--min-level", "NaN"],
        vec!["resilience", "{}", "--patience", "1000000000"],
        vec!["resilience", "{}", "--samples", "-3"],
        vec!["resilience", "{}", "--absence", "2"],
        vec!["phase", "{}", "--patience", "1e9"],
        vec!["pool", "{}", "--max-net-lend", "inf"],
        vec!["solve", "{}", "--backend", "cplex"],
        vec!["generate", "--people", "0", "--out", "{}"],
    ];
    let tmp = tempfile::tempdir().unwrap();
    for args in cases {
        let path = if args[0] == "generate" {
            tmp.path().join("g")
        } else {
            demo()
        };
        let r = run(&args, &[&path]);
        assert_eq!(r.status.code(), Some(2), "{args:?}: {}", stderr(&r));
    }
}

#[test]
fn export_model_into_a_missing_folder_is_refused_before_solving() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let r = run(
        &[
            "solve",
            "{}",
            "--heuristic-only",
            "--out",
            "{}",
            "--export-model",
            "{}",
        ],
        &[&small(), &out, &tmp.path().join("nowhere/m.lp")],
    );
    assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
    assert!(!out.exists(), "nothing is written when the model cannot be");
}

#[cfg(unix)]
#[test]
fn a_fifo_as_people_csv_is_refused_by_kind_not_waited_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    copy_dir(&small(), &dir);
    fs::remove_file(dir.join("people.csv")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("people.csv"))
        .status()
        .unwrap();
    assert!(made.success());
    let r = run(&["validate", "{}"], &[&dir]);
    assert_eq!(r.status.code(), Some(2));
    assert!(stderr(&r).contains("named pipe"), "{}", stderr(&r));
}

#[cfg(unix)]
#[test]
fn devices_as_input_are_refused_by_kind() {
    for device in ["/dev/zero", "/dev/urandom"] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("s");
        copy_dir(&small(), &dir);
        std::os::unix::fs::symlink(device, dir.join("expertise.csv")).unwrap_or_else(|_| {
            fs::remove_file(dir.join("expertise.csv")).unwrap();
            std::os::unix::fs::symlink(device, dir.join("expertise.csv")).unwrap();
        });
        let r = run(&["validate", "{}"], &[&dir]);
        assert_eq!(r.status.code(), Some(2));
        assert!(stderr(&r).contains("a device"), "{device}: {}", stderr(&r));
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_named_as_such() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    copy_dir(&small(), &dir);
    fs::remove_file(dir.join("roles.csv")).unwrap();
    std::os::unix::fs::symlink(dir.join("roles.csv"), dir.join("roles.csv")).unwrap();
    let r = run(&["validate", "{}"], &[&dir]);
    assert_eq!(r.status.code(), Some(2));
    assert!(
        stderr(&r).contains("loop of symbolic links"),
        "{}",
        stderr(&r)
    );
}

#[test]
fn a_file_over_the_size_cap_is_refused_before_it_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    copy_dir(&small(), &dir);
    let mut people = fs::read(dir.join("people.csv")).unwrap();
    people.resize(2 * 1024 * 1024, b'\n');
    fs::write(dir.join("people.csv"), people).unwrap();
    let r = ploeg()
        .env("PLOEG_MAX_INPUT_MIB", "1")
        .arg("validate")
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(2));
    assert!(stderr(&r).contains("more than the 1 MiB"), "{}", stderr(&r));
}

#[test]
fn a_1mb_cell_is_cut_in_the_message() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    copy_dir(&small(), &dir);
    let people = fs::read_to_string(dir.join("people.csv")).unwrap();
    let huge = "9".repeat(1_000_000);
    fs::write(
        dir.join("people.csv"),
        people.replacen(",32,", &format!(",{huge}x,"), 1),
    )
    .unwrap();
    let r = run(&["validate", "{}"], &[&dir]);
    assert_eq!(r.status.code(), Some(2));
    let err = stderr(&r);
    assert!(err.len() < 2_000, "{} bytes of message", err.len());
    assert!(err.contains("(1000001 characters)"), "{err}");
}

#[test]
fn an_unreadable_people_file_does_not_bury_the_real_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    copy_dir(&demo(), &dir);
    fs::remove_file(dir.join("people.csv")).unwrap();
    let r = run(&["validate", "{}"], &[&dir]);
    assert_eq!(r.status.code(), Some(2));
    let err = stderr(&r);
    // The missing file, and one line each for expertise.csv and
    // preferences.csv, which refer to people and were not checked.
    assert!(err.starts_with("error: 3 problems"), "{err}");
    assert!(err.contains("expertise.csv: not checked"), "{err}");
    assert!(err.contains("people.csv: the file is missing"), "{err}");
    assert!(!err.contains("no person with this id"), "{err}");
}

#[test]
fn a_scenario_whose_load_table_is_too_large_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    copy_dir(&small(), &dir);
    let mut people = fs::read_to_string(dir.join("people.csv")).unwrap();
    for i in 0..7000 {
        people.push_str(&format!(
            "x{i},X {i},Gemeente Oss,Oss,projectleider,32,,,,nee,5,5,5,5,5\n"
        ));
    }
    fs::write(dir.join("people.csv"), people).unwrap();
    let phases = fs::read_to_string(dir.join("phases.csv")).unwrap();
    fs::write(
        dir.join("phases.csv"),
        phases.replacen("2026-06-30", "2055-06-30", 1),
    )
    .unwrap();
    let toml = fs::read_to_string(dir.join("scenario.toml")).unwrap();
    fs::write(
        dir.join("scenario.toml"),
        toml.replace("period = \"month\"", "period = \"week\""),
    )
    .unwrap();
    let r = run(&["validate", "{}"], &[&dir]);
    assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
    assert!(
        stderr(&r).contains("more than the 10000000"),
        "{}",
        stderr(&r)
    );
}

#[test]
fn assess_mapping_weights_of_1e308_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let map = tmp.path().join("map.csv");
    fs::write(
        &map,
        "item,cluster,weight,scale_min,scale_max\nA,opgave,1e308,1,10\nB,opgave,1e308,1,10\n",
    )
    .unwrap();
    let items = tmp.path().join("items.csv");
    fs::write(&items, "person_id,item,score\np1,A,5\np1,B,6\n").unwrap();
    let r = run(
        &["assess", "--items", "{}", "--mapping", "{}"],
        &[&items, &map],
    );
    assert_eq!(r.status.code(), Some(2), "{}", stderr(&r));
    assert!(
        stderr(&r).contains("between -100 and 100"),
        "{}",
        stderr(&r)
    );
}

/// Name tokens of every person (and candidate) in a scenario's files, and
/// their ids; Dutch name particles are left out, being ordinary words.
fn personal_tokens(dir: &Path) -> Vec<String> {
    let particles = ["van", "de", "der", "den", "het", "ter", "ten", "te"];
    let mut tokens = std::collections::BTreeSet::new();
    for file in ["people.csv", "candidates.csv"] {
        let (h, rows) = read_csv(&dir.join(file));
        let (id, name) = (col(&h, "id"), col(&h, "name"));
        for r in rows {
            tokens.insert(r[id].clone());
            for t in r[name].split_whitespace() {
                if !particles.contains(&t.to_lowercase().as_str()) {
                    tokens.insert(t.to_string());
                }
            }
        }
    }
    tokens.into_iter().collect()
}

fn holds_token(text: &str, token: &str) -> bool {
    text.match_indices(token).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + token.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })
}

#[test]
fn pseudonymised_runs_leave_no_name_or_id_in_any_file() {
    let tmp = tempfile::tempdir().unwrap();
    let key = tmp.path().join("key");
    fs::create_dir(tmp.path().join("out")).unwrap();
    let runs = writing_commands(&demo(), &tmp.path().join("out"), &["--report"]);
    for (args, paths) in &runs {
        let mut args = args.clone();
        args.extend(["--pseudonymise", "--pseudonym-key", "{}"]);
        let mut refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
        refs.push(&key);
        let r = run(&args, &refs);
        assert!(r.status.success(), "{args:?}: {}", stderr(&r));
        let terminal = stdout(&r);
        for t in personal_tokens(&demo()) {
            assert!(!holds_token(&terminal, &t), "{args:?} printed {t}");
        }
    }
    let tokens = personal_tokens(&demo());
    // The same run without pseudonyms does name people (so the scan below
    // can find a leak).
    let plain = tempfile::tempdir().unwrap();
    let r = run(
        &["solve", "{}", "--heuristic-only", "--out", "{}"],
        &[&demo(), &plain.path().join("o")],
    );
    assert!(r.status.success());
    let named = fs::read_to_string(plain.path().join("o/assignments.csv")).unwrap();
    assert!(tokens.iter().filter(|t| holds_token(&named, t)).count() > 50);
    let mut leaks = Vec::new();
    for f in all_files(&tmp.path().join("out")) {
        let text = String::from_utf8_lossy(&fs::read(&f).unwrap()).to_string();
        for t in &tokens {
            if holds_token(&text, t) {
                leaks.push(format!("{}: {t}", f.display()));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "{} leaks:\n{}",
        leaks.len(),
        leaks.join("\n")
    );
}
