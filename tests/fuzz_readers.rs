//! Every reader against hostile bytes: arbitrary byte strings and mutated
//! copies of valid files (bytes flipped, quotes, separators, line breaks
//! and invalid UTF-8 inserted, lines dropped or doubled, files cut short)
//! go into the scenario reader (one file at a time, scenario.toml
//! included), the plan reader, the assessment items and mapping readers
//! and the candidates reader. None may panic or take long, and every
//! rejection must name the file it comes from.
//!
//! 100,000 cases in all on every `cargo test` (the counts are below);
//! proptest keeps failing cases in `tests/fuzz_readers.proptest-regressions`.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use ploeg::input::table::{decode, Table};
use ploeg::input::{InputError, InputErrors};
use proptest::prelude::*;

/// Per half of the scenario's files (two tests, so they run side by side).
const SCENARIO_CASES: u32 = 13_000;
const PLAN_CASES: u32 = 20_000;
const ITEMS_CASES: u32 = 19_000;
const MAPPING_CASES: u32 = 20_000;
const CANDIDATES_CASES: u32 = 15_000;

/// Longest a single case may take, far above what a reader needs.
const CASE_LIMIT: Duration = Duration::from_secs(2);

fn small_files() -> BTreeMap<String, Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/small");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            (
                e.file_name().to_string_lossy().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The small scenario's files, read once.
fn scenario_files() -> &'static BTreeMap<String, Vec<u8>> {
    static FILES: std::sync::OnceLock<BTreeMap<String, Vec<u8>>> = std::sync::OnceLock::new();
    FILES.get_or_init(small_files)
}

/// The small scenario, read once.
fn small() -> &'static ploeg::domain::Scenario {
    static S: std::sync::OnceLock<ploeg::domain::Scenario> = std::sync::OnceLock::new();
    S.get_or_init(|| {
        ploeg::input::load_from_memory(scenario_files()).expect("the small scenario is valid")
    })
}

const PLAN: &str = "project_id,phase,role,slot,person_id,hours_per_week\n\
j01,verkenning,projectleider,1,p01,16\n\
j01,verkenning,planeconoom,1,p02,8\n\
j02,planuitwerking,planeconoom,1,p03,10\n";

const ITEMS: &str = "person_id,item,score\np1,A,5\np1,B,laag\np2,A,9\np2,B,hoog\n";

const MAPPING: &str = "item,cluster,weight,scale_min,scale_max,bands\n\
A,opgave,1,1,10,\nA,verbinden,-0.5,1,10,\nB,chaos,1,,,laag=1|gemiddeld=2|hoog=3\n";

const CANDIDATES: &str = "id,name,disciplines,hours_per_week,poolable,opgave,omgeving,chaos,eigenaarschap,verbinden,expertise\n\
c01,Kandidaat Een,planeconoom,32,ja,6,7,5,8,6,kostenverhaal:4\n\
c02,Kandidaat Twee,projectleider,24,nee,7,6,6,6,7,\n";

/// One edit of a file's bytes.
#[derive(Clone, Debug)]
enum Edit {
    Flip(usize, u8),
    Insert(usize, u8),
    InsertText(usize, &'static str),
    Delete(usize, usize),
    DoubleLine(usize),
    Cut(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let special = prop::sample::select(vec![
        "\"",
        ";",
        ",",
        "\t",
        "\n",
        "\r\n",
        "\u{0}",
        "\u{feff}",
        "\u{202E}",
        "=",
        "-1e309",
        "NaN",
        "9999-12-31",
        "0001-01-01",
        "\u{1b}[2J",
        "é",
        "\"\"",
        "|",
        ":",
        "1e20",
    ]);
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Flip(i, b)),
        (
            any::<usize>(),
            prop::sample::select(vec![0xFFu8, 0xEB, 0xC3, 0x80, 0x00, b'"'])
        )
            .prop_map(|(i, b)| Edit::Insert(i, b)),
        (any::<usize>(), special).prop_map(|(i, t)| Edit::InsertText(i, t)),
        (any::<usize>(), 1usize..40).prop_map(|(i, n)| Edit::Delete(i, n)),
        any::<usize>().prop_map(Edit::DoubleLine),
        any::<usize>().prop_map(Edit::Cut),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let n = bytes.len().max(1);
        match e {
            Edit::Flip(i, b) => {
                if !bytes.is_empty() {
                    let k = i % bytes.len();
                    bytes[k] ^= b | 1;
                }
            }
            Edit::Insert(i, b) => bytes.insert(i % n, *b),
            Edit::InsertText(i, t) => {
                let k = (i % n).min(bytes.len());
                bytes.splice(k..k, t.bytes());
            }
            Edit::Delete(i, len) => {
                let k = (i % n).min(bytes.len());
                let end = (k + len).min(bytes.len());
                bytes.drain(k..end);
            }
            Edit::DoubleLine(i) => {
                let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
                let k = i % lines.len();
                let mut out = Vec::new();
                for (j, l) in lines.iter().enumerate() {
                    out.extend_from_slice(l);
                    out.push(b'\n');
                    if j == k {
                        out.extend_from_slice(l);
                        out.push(b'\n');
                    }
                }
                bytes = out;
            }
            Edit::Cut(i) => bytes.truncate(i % n),
        }
    }
    bytes
}

/// A file's bytes: either arbitrary, or a valid file edited.
fn hostile(seed: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..400),
        4 => prop::collection::vec(edit(), 1..6).prop_map(move |edits| apply(seed.clone(), &edits)),
    ]
}

fn names_only(errors: &[InputError], allowed: &[&str]) -> Result<(), TestCaseError> {
    prop_assert!(!errors.is_empty(), "a rejection without a problem");
    for e in errors {
        prop_assert!(
            allowed.iter().any(|a| e.file == *a),
            "a problem that names no input file: {e}"
        );
    }
    Ok(())
}

fn table(name: &str, bytes: &[u8]) -> Result<Table, Vec<InputError>> {
    let text = decode(bytes).map_err(|m| vec![InputError::file(name, m, "")])?;
    Table::parse(name, &text)
}

fn timed<T>(f: impl FnOnce() -> T) -> Result<T, TestCaseError> {
    let t = Instant::now();
    let v = f();
    prop_assert!(t.elapsed() < CASE_LIMIT, "a case took {:?}", t.elapsed());
    Ok(v)
}

/// One of the named files of the small scenario, with hostile bytes.
fn scenario_file(names: &'static [&'static str]) -> impl Strategy<Value = (String, Vec<u8>)> {
    let files = small_files();
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    prop::sample::select(names).prop_flat_map(move |name| {
        let seed = files[&name].clone();
        hostile(seed).prop_map(move |bytes| (name.clone(), bytes))
    })
}

fn scenario_case(name: String, bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let files = scenario_files();
    let mut changed = files.clone();
    changed.insert(name, bytes);
    let result = timed(|| ploeg::input::load_from_memory(&changed))?;
    if let Err(InputErrors(errors)) = result {
        let allowed: Vec<&str> = files.keys().map(String::as_str).collect();
        names_only(&errors, &allowed)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: SCENARIO_CASES, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn the_scenario_reader_survives_any_people_expertise_project_or_phase_file(
        (name, bytes) in scenario_file(&["people.csv", "expertise.csv", "projects.csv", "phases.csv"])
    ) {
        scenario_case(name, bytes)?;
    }

    #[test]
    fn the_scenario_reader_survives_any_role_pool_preference_or_toml_file(
        (name, bytes) in scenario_file(&["roles.csv", "pools.csv", "preferences.csv", "scenario.toml"])
    ) {
        scenario_case(name, bytes)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: PLAN_CASES, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn the_plan_reader_survives_any_file(bytes in hostile(PLAN.as_bytes().to_vec())) {
        let s = small();
        let result = timed(|| table("plan.csv", &bytes).map_err(InputErrors).and_then(|t| ploeg::input::plan::parse_plan(s, &t)))?;
        if let Err(InputErrors(errors)) = result {
            names_only(&errors, &["plan.csv"])?;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: ITEMS_CASES, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn the_items_reader_survives_any_file(bytes in hostile(ITEMS.as_bytes().to_vec())) {
        let m = ploeg::assess::mapping::parse(&table("mapping.csv", MAPPING.as_bytes()).unwrap(), None).unwrap();
        let result = timed(|| table("items.csv", &bytes).and_then(|t| ploeg::assess::items::parse(&t, &m, false, None)))?;
        if let Err(errors) = result {
            names_only(&errors, &["items.csv"])?;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: MAPPING_CASES, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn the_mapping_reader_survives_any_file(bytes in hostile(MAPPING.as_bytes().to_vec())) {
        let result = timed(|| table("mapping.csv", &bytes).and_then(|t| ploeg::assess::mapping::parse(&t, None)))?;
        if let Err(errors) = result {
            names_only(&errors, &["mapping.csv"])?;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CANDIDATES_CASES, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn the_candidates_reader_survives_any_file(bytes in hostile(CANDIDATES.as_bytes().to_vec())) {
        let s = small();
        let result = timed(|| table("candidates.csv", &bytes).map_err(InputErrors).and_then(|t| ploeg::input::candidates::parse_candidates(t, s, "Oss")))?;
        if let Err(InputErrors(errors)) = result {
            names_only(&errors, &["candidates.csv"])?;
        }
    }
}
