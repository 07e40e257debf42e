//! `ploeg assess`: the example instrument on the demo people, long and wide
//! forms, merging into people.csv, and bad input reported at its place with
//! exit code 2 and nothing written.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

const CLUSTERS: [&str; 5] = ["opgave", "omgeving", "chaos", "eigenaarschap", "verbinden"];

#[test]
fn example_instrument_gives_every_demo_person_five_levels_with_provenance() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("profiles.csv");
    let o = ploeg()
        .arg("assess")
        .arg("--items")
        .arg(repo("data/assess/tma_items.csv"))
        .arg("--mapping")
        .arg(repo("data/assess/tma_mapping.csv"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("assessed 60 people"), "{}", stdout(&o));
    let (header, rows) = read_csv(&out);
    assert_eq!(
        &header[..6],
        [
            "person_id",
            "opgave",
            "omgeving",
            "chaos",
            "eigenaarschap",
            "verbinden"
        ]
    );
    for c in CLUSTERS {
        for s in ["items", "raw", "flag"] {
            assert!(
                header.contains(&format!("{c}_{s}")),
                "{c}_{s} in {header:?}"
            );
        }
    }
    assert_eq!(header.last().unwrap(), "source");
    assert_eq!(rows.len(), 60);
    let (_, people) = read_csv(&repo("data/demo/people.csv"));
    let col = |h: &str| header.iter().position(|x| x == h).unwrap();
    let mut total_error = 0.0;
    for (r, p) in rows.iter().zip(&people) {
        assert_eq!(r[0], p[0], "same order as the items file");
        for (k, c) in CLUSTERS.iter().enumerate() {
            let level: f64 = r[1 + k].parse().unwrap();
            assert!((1.0..=10.0).contains(&level), "{c} = {level}");
            // The example items were drawn around the demo scores.
            total_error += (level - p[10 + k].parse::<f64>().unwrap()).abs();
            let items: usize = r[col(&format!("{c}_items"))].parse().unwrap();
            assert!(items >= 5, "{c}_items = {items}");
            assert_eq!(r[col(&format!("{c}_flag"))], "");
            // 1–10 talents and 1–5 review statements: no common unit.
            assert_eq!(r[col(&format!("{c}_raw"))], "");
        }
        assert!(r[col("source")].contains("tma_items.csv"));
    }
    assert!(
        total_error / 300.0 < 0.8,
        "mean error {}",
        total_error / 300.0
    );
}

#[test]
fn merge_writes_only_the_five_columns_and_the_scenario_stays_valid() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    fs::create_dir(&dir).unwrap();
    for e in fs::read_dir(repo("data/demo")).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    let before = read_csv(&dir.join("people.csv"));
    let o = ploeg()
        .arg("assess")
        .arg("--items")
        .arg(repo("data/assess/tma_items.csv"))
        .arg("--mapping")
        .arg(repo("data/assess/tma_mapping.csv"))
        .arg("--merge")
        .arg(dir.join("people.csv"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("60 rows updated"), "{}", stdout(&o));
    let after = read_csv(&dir.join("people.csv"));
    assert_eq!(before.0, after.0);
    let mut changed = 0;
    for (b, a) in before.1.iter().zip(&after.1) {
        assert_eq!(b[..10], a[..10], "non-cluster cells are kept");
        changed += usize::from(b[10..] != a[10..]);
    }
    assert!(changed > 50, "{changed} rows changed");
    ploeg().arg("validate").arg(&dir).assert().success();
}

#[test]
fn wide_semicolon_file_with_bands_equals_the_long_file() {
    let tmp = tempfile::tempdir().unwrap();
    let map = tmp.path().join("map.csv");
    fs::write(
        &map,
        "item;cluster;weight;scale_min;scale_max;bands\n\
         Ambitie;opgave;1;1;10;\n\
         Structuur;chaos;-1;1;10;\n\
         Netwerk;omgeving;1;;;laag=1|gemiddeld=3|hoog=5\n\
         Netwerk;verbinden;0,5;;;\n",
    )
    .unwrap();
    let wide = tmp.path().join("wide.csv");
    fs::write(
        &wide,
        "person_id;name;ambitie;structuur;netwerk\nx1;Xandra;7,5;2;Hoog\nx2;Yusuf;3;;laag\n",
    )
    .unwrap();
    let long = tmp.path().join("long.csv");
    fs::write(
        &long,
        "person_id,item,score\nx1,Ambitie,7.5\nx1,Structuur,2\nx1,Netwerk,hoog\nx2,ambitie,3\nx2,netwerk,1\n",
    )
    .unwrap();
    let run = |items: &Path, out: &Path| {
        let o = ploeg()
            .arg("assess")
            .arg("--items")
            .arg(items)
            .arg("--mapping")
            .arg(&map)
            .arg("--out")
            .arg(out)
            .args(["--min-items", "2"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        o
    };
    let (a, b) = (tmp.path().join("a.csv"), tmp.path().join("b.csv"));
    let o = run(&wide, &a);
    assert!(
        stderr(&o).contains("fewer than 2 item(s)"),
        "{}",
        stderr(&o)
    );
    run(&long, &b);
    let (ha, ra) = read_csv(&a);
    let (_, rb) = read_csv(&b);
    assert_eq!(
        ra.iter().map(|r| r[..21].to_vec()).collect::<Vec<_>>(),
        rb.iter().map(|r| r[..21].to_vec()).collect::<Vec<_>>()
    );
    // x1: ambitie 7.5 → 7.5; structuur 2 reversed → 9; netwerk hoog = 5 of 1–5.
    assert_eq!(&ra[0][..6], ["x1", "7.5", "10", "9", "", "10"]);
    let flag = |c: &str| ha.iter().position(|h| h == &format!("{c}_flag")).unwrap();
    assert_eq!(ra[0][flag("opgave")], "too_few_items");
    assert_eq!(ra[1][flag("chaos")], "no_items");
    // Without --out the profiles go to stdout.
    let o = ploeg()
        .arg("assess")
        .arg("--items")
        .arg(&long)
        .arg("--mapping")
        .arg(&map)
        .output()
        .unwrap();
    assert!(
        stdout(&o).starts_with("person_id,opgave,"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn target_scale_comes_from_the_flag_or_the_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let map = tmp.path().join("map.csv");
    fs::write(&map, "item,cluster,weight\na,opgave,1\n").unwrap();
    let items = tmp.path().join("items.csv");
    fs::write(&items, "person_id,a\np1,4\n").unwrap();
    let scen = tmp.path().join("s");
    fs::create_dir(&scen).unwrap();
    fs::write(scen.join("scenario.toml"), "[scale]\nmin = 0\nmax = 5\n").unwrap();
    let level = |extra: &[&str]| {
        let o = ploeg()
            .arg("assess")
            .arg("--items")
            .arg(&items)
            .arg("--mapping")
            .arg(&map)
            .args(["--scale", "1-7"])
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
            .lines()
            .nth(1)
            .unwrap()
            .split(',')
            .nth(1)
            .unwrap()
            .to_string()
    };
    // 4 on 1–7 is halfway.
    assert_eq!(level(&[]), "5.5");
    assert_eq!(level(&["--target-scale", "0-100"]), "50");
    assert_eq!(level(&["--scenario", scen.to_str().unwrap()]), "2.5");
}

/// One bad-input case: files, the place the error must name and a fragment.
struct Case {
    name: &'static str,
    mapping: &'static str,
    items: &'static str,
    people: Option<&'static str>,
    extra: &'static [&'static str],
    at: &'static str,
    fragment: &'static str,
}

const MAP: &str = "item,cluster,weight,scale_min,scale_max\nA,opgave,1,1,10\nB,verbinden,-1,1,10\n";
const PEOPLE: &str = "id,name\np1,Anna\np2,Bert\n";

const CASES: &[Case] = &[
    Case {
        name: "unknown person when merging",
        mapping: MAP,
        items: "person_id,item,score\np1,A,5\np3,A,5\n",
        people: Some(PEOPLE),
        extra: &[],
        at: "items.csv:3:1: person_id = \"p3\"",
        fragment: "no person with this id in people.csv",
    },
    Case {
        name: "score above the scale",
        mapping: MAP,
        items: "person_id,item,score\np1,A,5\np1,B,11\n",
        people: None,
        extra: &[],
        at: "items.csv:3:3: score = \"11\"",
        fragment: "outside the scale 1–10",
    },
    Case {
        name: "score below the scale in a wide file",
        mapping: MAP,
        items: "person_id,a,b\np1,0,4\n",
        people: None,
        extra: &[],
        at: "items.csv:2:2: a = \"0\"",
        fragment: "outside the scale",
    },
    Case {
        name: "score that is no number",
        mapping: MAP,
        items: "person_id,item,score\np1,A,hoog\n",
        people: None,
        extra: &[],
        at: "items.csv:2:3: score = \"hoog\"",
        fragment: "not a number",
    },
    Case {
        name: "cluster not one of the five",
        mapping: "item,cluster,weight,scale_min,scale_max\nA,opgave,1,1,10\nB,samenwerken,1,1,10\n",
        items: "person_id,item,score\np1,A,5\n",
        people: None,
        extra: &[],
        at: "map.csv:3:2: cluster = \"samenwerken\"",
        fragment: "unknown cluster",
    },
    Case {
        name: "duplicate item per person",
        mapping: MAP,
        items: "person_id,item,score\np1,A,5\np1,B,5\np1,a,6\n",
        people: None,
        extra: &[],
        at: "items.csv:4:2: item = \"a\"",
        fragment: "already has a score for this item on line 2",
    },
    Case {
        name: "duplicate person row in a wide file",
        mapping: MAP,
        items: "person_id,A,B\np1,5,5\np2,5,5\np1,6,6\n",
        people: None,
        extra: &[],
        at: "items.csv:4:1: person_id = \"p1\"",
        fragment: "already has a row on line 2",
    },
    Case {
        name: "empty items file",
        mapping: MAP,
        items: "",
        people: None,
        extra: &[],
        at: "items.csv: the file is empty",
        fragment: "empty",
    },
    Case {
        name: "mapping with a header only",
        mapping: "item,cluster,weight\n",
        items: "person_id,item,score\np1,A,5\n",
        people: None,
        extra: &[],
        at: "map.csv: the file has a header but no rows",
        fragment: "no rows",
    },
    Case {
        name: "item missing from the mapping",
        mapping: MAP,
        items: "person_id,item,score\np1,A,5\np1,C,5\n",
        people: None,
        extra: &[],
        at: "items.csv:3:2: item = \"C\"",
        fragment: "not in the mapping",
    },
    Case {
        name: "no declared scale",
        mapping: "item,cluster,weight\nA,opgave,1\n",
        items: "person_id,item,score\np1,A,5\n",
        people: None,
        extra: &[],
        at: "map.csv:2: item 'A' has no declared scale",
        fragment: "scale",
    },
    Case {
        name: "weight zero",
        mapping: "item,cluster,weight,scale_min,scale_max\nA,opgave,0,1,10\n",
        items: "person_id,item,score\np1,A,5\n",
        people: None,
        extra: &[],
        at: "map.csv:2:3: weight = \"0\"",
        fragment: "counts nothing",
    },
    Case {
        name: "missing person_id column",
        mapping: MAP,
        items: "persoon,item,score\np1,A,5\n",
        people: None,
        extra: &[],
        at: "items.csv:1: person_id",
        fragment: "required column 'person_id' is missing",
    },
    Case {
        name: "unknown person with --people",
        mapping: MAP,
        items: "person_id,A\np9,5\n",
        people: Some(PEOPLE),
        extra: &["--people-only"],
        at: "items.csv:2:1: person_id = \"p9\"",
        fragment: "no person with this id",
    },
];

#[test]
fn bad_input_is_reported_at_its_place_with_exit_2_and_nothing_is_written() {
    let mut failures = Vec::new();
    for case in CASES {
        let tmp = tempfile::tempdir().unwrap();
        let map = tmp.path().join("map.csv");
        let items = tmp.path().join("items.csv");
        fs::write(&map, case.mapping).unwrap();
        fs::write(&items, case.items).unwrap();
        let out = tmp.path().join("profiles.csv");
        let mut cmd = ploeg();
        cmd.arg("assess")
            .arg("--items")
            .arg(&items)
            .arg("--mapping")
            .arg(&map)
            .arg("--out")
            .arg(&out);
        let people = tmp.path().join("people.csv");
        if let Some(p) = case.people {
            fs::write(&people, p).unwrap();
            let flag = if case.extra.contains(&"--people-only") {
                "--people"
            } else {
                "--merge"
            };
            cmd.arg(flag).arg(&people);
        }
        let o = cmd.output().unwrap();
        let err = stderr(&o);
        let mut why = Vec::new();
        if o.status.code() != Some(2) {
            why.push(format!("exit code {:?}", o.status.code()));
        }
        if !err.contains(case.at) {
            why.push(format!("no `{}`", case.at));
        }
        if !err.to_lowercase().contains(&case.fragment.to_lowercase()) {
            why.push(format!("no `{}`", case.fragment));
        }
        if out.exists() {
            why.push("wrote profiles.csv".into());
        }
        if let Some(p) = case.people {
            if fs::read_to_string(&people).unwrap() != p {
                why.push("changed people.csv".into());
            }
        }
        let left = fs::read_dir(tmp.path()).unwrap().count();
        let expected = 2 + usize::from(case.people.is_some());
        if left != expected {
            why.push(format!("left {} files in the folder", left));
        }
        if err.contains("panicked") {
            why.push("panicked".into());
        }
        if !why.is_empty() {
            failures.push(format!("{}: {}\nstderr:\n{err}", case.name, why.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn many_bad_rows_are_summarised_not_listed_one_by_one() {
    let tmp = tempfile::tempdir().unwrap();
    let map = tmp.path().join("map.csv");
    fs::write(&map, MAP).unwrap();
    let items = tmp.path().join("items.csv");
    let mut text = String::from("person_id,item,score\n");
    for i in 0..200 {
        text.push_str(&format!("p{i},A,99\n"));
    }
    fs::write(&items, text).unwrap();
    let o = ploeg()
        .arg("assess")
        .arg("--items")
        .arg(&items)
        .arg("--mapping")
        .arg(&map)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("more problems are not shown"), "{err}");
    assert!(err.lines().count() < 120, "{err}");
}

#[test]
fn example_files_are_the_generators_output_for_the_demo_people() {
    use ploeg::assess::synthetic::{example_instrument, items_csv, mapping_csv};
    use ploeg::assess::{Form, Scale};
    let s = ploeg::input::load(&repo("data/demo")).unwrap();
    let people: Vec<(String, [f64; 5])> =
        s.people.iter().map(|p| (p.id.clone(), p.scores)).collect();
    let inst = example_instrument();
    assert_eq!(
        fs::read_to_string(repo("data/assess/tma_mapping.csv")).unwrap(),
        mapping_csv(&inst)
    );
    assert_eq!(
        fs::read_to_string(repo("data/assess/tma_items.csv")).unwrap(),
        items_csv(&inst, &people, Scale::DEFAULT, 7, Form::Long)
    );
}

#[test]
fn merge_takes_the_scale_of_the_scenario_next_to_people_csv() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("scenario.toml"), "[scale]\nmin = 0\nmax = 5\n").unwrap();
    fs::write(dir.join("people.csv"), "id;name;opgave\r\np1;Anna;1,5\r\n").unwrap();
    let map = tmp.path().join("map.csv");
    fs::write(
        &map,
        "item,cluster,weight,scale_min,scale_max\na,opgave,1,1,10\nb,opgave,1,1,10\n",
    )
    .unwrap();
    let items = tmp.path().join("items.csv");
    fs::write(&items, "person_id,a,b\np1,10,9\n").unwrap();
    let o = ploeg()
        .arg("assess")
        .arg("--items")
        .arg(&items)
        .arg("--mapping")
        .arg(&map)
        .arg("--merge")
        .arg(dir.join("people.csv"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("onto the cluster scale 0–5"),
        "{}",
        stdout(&o)
    );
    // Position (1 + 8/9) / 2 = 0.944… of 0–5 → 4.72; the other clusters
    // are added empty and reported.
    assert_eq!(
        fs::read_to_string(dir.join("people.csv")).unwrap(),
        "id;name;opgave;omgeving;chaos;eigenaarschap;verbinden\r\np1;Anna;4,72;;;;\r\n"
    );
    assert!(
        stderr(&o).contains("4 cluster cell(s) had no items"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn json_summary_counts_people_per_cluster() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("profiles.csv");
    let o = ploeg()
        .arg("assess")
        .arg("--items")
        .arg(repo("data/assess/tma_items.csv"))
        .arg("--mapping")
        .arg(repo("data/assess/tma_mapping.csv"))
        .arg("--out")
        .arg(&out)
        .arg("--json")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["people"], 60);
    let clusters = j["clusters"].as_array().unwrap();
    assert_eq!(clusters.len(), 5);
    for c in clusters {
        assert_eq!(c["people"], 60, "{c}");
        let mean = c["mean_level"].as_f64().unwrap();
        assert!((1.0..=10.0).contains(&mean), "{c}");
    }
    assert!(out.is_file());
}
