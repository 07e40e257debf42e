//! What a report is made of: the files of a `ploeg solve --out OUT` folder
//! (and, when present, those of `ploeg pool` and `ploeg resilience`) read
//! into typed rows. Files are read the way every ploeg CSV is read
//! (`input::table`), so a file edited in Excel still works, and a broken
//! one is reported with file, line and column.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::domain::Cluster;
use crate::input::table::{decode, parse_bool, Cells, Table};
use crate::input::{InputError, InputErrors};

#[derive(Clone, Debug)]
pub struct Assignment {
    pub project_id: String,
    pub phase: String,
    pub role: String,
    pub person_id: String,
    pub name: String,
    pub home_municipality: String,
    pub project_municipality: String,
    pub pooled: bool,
    pub hours: f64,
}

#[derive(Clone, Debug)]
pub struct Unfilled {
    pub project_id: String,
    pub phase: String,
    pub role: String,
    pub hours: f64,
    pub required: bool,
    pub priority: f64,
    pub reason: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Covered {
    NoNeed,
    Yes,
    No,
}

#[derive(Clone, Debug)]
pub struct TeamNeed {
    pub project_id: String,
    pub phase: String,
    pub cluster: Cluster,
    pub need: f64,
    pub best: Option<f64>,
    pub covered: Covered,
    pub members: u32,
}

#[derive(Clone, Debug)]
pub struct Load {
    pub person_id: String,
    pub name: String,
    pub period: String,
    pub assigned: f64,
    pub capacity: f64,
    pub utilisation: f64,
    pub projects: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Stage {
    pub stage: String,
    pub sense: String,
    pub objective: f64,
    pub bound: Option<f64>,
    pub gap: Option<f64>,
    pub status: String,
}

/// summary.json as far as the report uses it; keys it lacks take defaults
/// so that summaries of older or newer versions still make a report.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RunSummary {
    pub ploeg_version: String,
    pub scenario: String,
    pub status: String,
    pub backend: String,
    pub seconds: f64,
    pub bound: Option<f64>,
    pub gap: Option<f64>,
    pub stages: Vec<Stage>,
    pub unfilled_hours: f64,
    pub unfilled_required_hours: f64,
    pub weighted_unfilled: f64,
    pub slots_total: u64,
    pub slots_filled: u64,
    pub stalled_projects: u64,
    pub balance: f64,
    pub needs_total: u64,
    pub needs_covered: u64,
    pub weighted_uncovered: f64,
    pub stacked: u64,
    pub fit: f64,
    pub preference_total: f64,
    pub pooled_placements: u64,
    pub continuity: u64,
    pub people: u64,
    pub projects: u64,
    pub violations: Vec<serde_json::Value>,
    pub notes: Vec<String>,
    /// The command line of the run, when the summary records it.
    pub command: Option<String>,
    /// The scenario folder, as given on the command line.
    pub scenario_dir: Option<String>,
    /// Open work over time (absent in summaries of older versions).
    pub unfilled_required_role_hours: f64,
    pub unfilled_fte_years: f64,
    pub peak_open_hours_per_week: f64,
    pub peak_open_period: Option<String>,
    pub blocked_phases: u64,
    pub phases_total: u64,
}

/// pool_comparison.csv: one row per pooling mode and municipality.
#[derive(Clone, Debug)]
pub struct PoolRow {
    pub mode: String,
    pub municipality: String,
    pub required_hours: f64,
    pub unfilled_required_hours: f64,
    pub stalled_projects: f64,
    pub balance: f64,
    pub hours_lent: f64,
    pub hours_borrowed: f64,
    pub home_share: f64,
}

/// pool_flows.csv: hours that people of `from` work in `to` under a mode.
#[derive(Clone, Debug)]
pub struct Flow {
    pub mode: String,
    pub from: String,
    pub to: String,
    pub hours: f64,
    pub people: f64,
}

#[derive(Clone, Debug)]
pub struct KeyPerson {
    pub rank: f64,
    pub person_id: String,
    pub name: String,
    pub municipality: String,
    pub extra_unfilled_required_hours: f64,
    pub extra_stalled_projects: f64,
    pub roles: String,
    /// The `key` column; outputs of versions without it count everyone
    /// whose absence opens required hours.
    pub key: bool,
}

#[derive(Clone, Debug)]
pub struct BusFactor {
    pub municipality: String,
    pub field: String,
    pub alone: f64,
    pub pooled: f64,
    pub flag: String,
}

#[derive(Clone, Debug)]
pub struct Absence {
    pub pooling: String,
    pub metric: String,
    pub mean: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
}

/// Everything a report shows. The optional parts are `None` when their
/// files are absent, and their sections are left out.
#[derive(Clone, Debug, Default)]
pub struct ReportData {
    pub summary: RunSummary,
    pub assignments: Vec<Assignment>,
    pub unfilled: Vec<Unfilled>,
    pub teams: Vec<TeamNeed>,
    pub load: Vec<Load>,
    pub pool_comparison: Option<Vec<PoolRow>>,
    pub pool_flows: Option<Vec<Flow>>,
    pub key_people: Option<Vec<KeyPerson>>,
    pub bus_factor: Option<Vec<BusFactor>>,
    pub absence: Option<Vec<Absence>>,
}

/// Where the plan of a `ploeg pool` or `ploeg resilience` output folder is,
/// in the order tried.
pub const PLAN_FOLDERS: [&str; 5] = ["agreements", "region", "all", "none", "plan"];

/// Files a report needs; all written by `ploeg solve --out`.
pub const REQUIRED_FILES: [&str; 5] = [
    "summary.json",
    "assignments.csv",
    "unfilled.csv",
    "teams.csv",
    "load.csv",
];

impl ReportData {
    /// Reads an output folder.
    pub fn read(dir: &Path) -> Result<ReportData, InputErrors> {
        if !dir.is_dir() {
            return Err(InputErrors::single(InputError::file(
                &dir.display().to_string(),
                "this folder does not exist",
                "give the folder written by `ploeg solve SCENARIO --out OUT`",
            )));
        }
        ReportData::parse(
            |name| dir.join(name).is_file(),
            |name| {
                let path = dir.join(name);
                if !path.is_file() {
                    return Ok(None);
                }
                crate::input::read_file(&path, name).map(Some)
            },
        )
    }

    /// Reads files held in memory, as (file name, contents): how
    /// `ploeg solve --report` makes the report from what it is about to write.
    pub fn from_files(files: &[(&str, Vec<u8>)]) -> Result<ReportData, InputErrors> {
        let map: BTreeMap<&str, &Vec<u8>> = files.iter().map(|(n, d)| (*n, d)).collect();
        ReportData::parse(
            |name| map.contains_key(name),
            |name| Ok(map.get(name).map(|d| d.to_vec())),
        )
    }

    /// `has` tells whether a file is there without reading it; `fetch`
    /// reads it.
    fn parse(
        has: impl Fn(&str) -> bool,
        fetch: impl Fn(&str) -> Result<Option<Vec<u8>>, Box<InputError>>,
    ) -> Result<ReportData, InputErrors> {
        let mut errors = Vec::new();
        let mut text = |name: &str, required: bool| -> Option<String> {
            match fetch(name) {
                Ok(Some(bytes)) => match decode(&bytes) {
                    Ok(t) => Some(t),
                    Err(m) => {
                        errors.push(InputError::file(name, m, "save it as UTF-8"));
                        None
                    }
                },
                Ok(None) => {
                    if required {
                        errors.push(InputError::file(
                            name,
                            "the file is missing",
                            "give the folder written by `ploeg solve SCENARIO --out OUT`",
                        ));
                    }
                    None
                }
                Err(e) => {
                    errors.push(*e);
                    None
                }
            }
        };
        // The output of `ploeg pool` keeps each mode's plan in a folder of
        // its own, that of `ploeg resilience` its base plan in plan/: the
        // plan sections then show the first of these that is there.
        let prefix =
            if !has("assignments.csv") && (has("pool_comparison.csv") || has("key_people.csv")) {
                PLAN_FOLDERS
                    .iter()
                    .find(|p| has(&format!("{p}/assignments.csv")))
                    .map(|p| format!("{p}/"))
                    .unwrap_or_default()
            } else {
                String::new()
            };
        let plan = |name: &str| format!("{prefix}{name}");
        let summary = text(&plan("summary.json"), true);
        let assignments = text(&plan("assignments.csv"), true);
        let unfilled = text(&plan("unfilled.csv"), true);
        let teams = text(&plan("teams.csv"), true);
        let load = text(&plan("load.csv"), true);
        let pool_comparison = text("pool_comparison.csv", false);
        let pool_flows = text("pool_flows.csv", false);
        let key_people = text("key_people.csv", false);
        let bus_factor = text("bus_factor.csv", false);
        let absence = text("absence_summary.csv", false);

        let mut d = ReportData::default();
        if let Some(t) = summary {
            match read_summary(&t) {
                Ok(s) => d.summary = s,
                Err(e) => errors.push(*e),
            }
        }
        if let Some(t) = assignments {
            d.assignments = rows(&t, "assignments.csv", &ASSIGNMENT, &mut errors, |c, e| {
                Some(Assignment {
                    project_id: c.required("project_id", e)?,
                    phase: c.text("phase").to_string(),
                    role: c.text("role").to_string(),
                    person_id: c.required("person_id", e)?,
                    name: c.text("name").to_string(),
                    home_municipality: c.text("home_municipality").to_string(),
                    project_municipality: c.text("project_municipality").to_string(),
                    pooled: boolean(c, "pooled", e)?,
                    hours: c.number("hours_per_week", e)?,
                })
            });
        }
        if let Some(t) = unfilled {
            d.unfilled = rows(&t, "unfilled.csv", &UNFILLED, &mut errors, |c, e| {
                Some(Unfilled {
                    project_id: c.required("project_id", e)?,
                    phase: c.text("phase").to_string(),
                    role: c.text("role").to_string(),
                    hours: c.number("hours_per_week", e)?,
                    required: boolean(c, "required", e)?,
                    priority: c.number("priority", e)?,
                    reason: c.text("reason").to_string(),
                })
            });
        }
        if let Some(t) = teams {
            d.teams = rows(&t, "teams.csv", &TEAMS, &mut errors, |c, e| {
                let cluster = match Cluster::from_id(c.text("cluster")) {
                    Some(k) => k,
                    None => {
                        e.push(c.error(
                            "cluster",
                            "unknown cluster",
                            "the five clusters are opgave, omgeving, chaos, eigenaarschap, verbinden",
                        ));
                        return None;
                    }
                };
                let covered = match c.text("covered") {
                    "no need" => Covered::NoNeed,
                    v => match parse_bool(v) {
                        Some(true) => Covered::Yes,
                        Some(false) => Covered::No,
                        None => {
                            e.push(c.error("covered", "expected true, false or 'no need'", ""));
                            return None;
                        }
                    },
                };
                let members = c.number("members", e)?;
                Some(TeamNeed {
                    project_id: c.required("project_id", e)?,
                    phase: c.text("phase").to_string(),
                    cluster,
                    need: c.number("need", e)?,
                    best: c.opt_number("best_level", e)?,
                    covered,
                    members: members.max(0.0) as u32,
                })
            });
        }
        if let Some(t) = load {
            d.load = rows(&t, "load.csv", &LOAD, &mut errors, |c, e| {
                Some(Load {
                    person_id: c.required("person_id", e)?,
                    name: c.text("name").to_string(),
                    period: c.required("period", e)?,
                    assigned: c.number("assigned_hours", e)?,
                    capacity: c.number("hours_per_week", e)?,
                    utilisation: c.number("utilisation", e)?,
                    projects: c.text("projects").to_string(),
                })
            });
        }
        if let Some(t) = pool_comparison {
            d.pool_comparison = Some(rows(
                &t,
                "pool_comparison.csv",
                &POOL_COMPARISON,
                &mut errors,
                |c, e| {
                    Some(PoolRow {
                        mode: c.required("mode", e)?,
                        municipality: c.required("municipality", e)?,
                        required_hours: c.number("required_hours", e)?,
                        unfilled_required_hours: c.number("unfilled_required_hours", e)?,
                        stalled_projects: c.number("stalled_projects", e)?,
                        balance: c.number("balance", e)?,
                        hours_lent: c.number("hours_lent", e)?,
                        hours_borrowed: c.number("hours_borrowed", e)?,
                        home_share: c.number("home_share", e)?,
                    })
                },
            ));
        }
        if let Some(t) = pool_flows {
            d.pool_flows = Some(rows(
                &t,
                "pool_flows.csv",
                &POOL_FLOWS,
                &mut errors,
                |c, e| {
                    Some(Flow {
                        mode: c.required("mode", e)?,
                        from: c.required("from", e)?,
                        to: c.required("to", e)?,
                        hours: c.number("hours", e)?,
                        people: c.number("people", e)?,
                    })
                },
            ));
        }
        if let Some(t) = key_people {
            d.key_people = Some(rows(
                &t,
                "key_people.csv",
                &KEY_PEOPLE,
                &mut errors,
                |c, e| {
                    let extra = c.number("extra_unfilled_required_hours", e)?;
                    Some(KeyPerson {
                        rank: c.number("rank", e)?,
                        person_id: c.required("person_id", e)?,
                        name: c.text("name").to_string(),
                        municipality: c.text("municipality").to_string(),
                        extra_unfilled_required_hours: extra,
                        extra_stalled_projects: c.number("extra_stalled_projects", e)?,
                        roles: c.text("roles").to_string(),
                        key: crate::input::table::parse_bool(c.text("key")).unwrap_or(extra > 0.0),
                    })
                },
            ));
        }
        if let Some(t) = bus_factor {
            d.bus_factor = Some(rows(
                &t,
                "bus_factor.csv",
                &BUS_FACTOR,
                &mut errors,
                |c, e| {
                    Some(BusFactor {
                        municipality: c.required("municipality", e)?,
                        field: c.required("field", e)?,
                        alone: c.number("alone", e)?,
                        pooled: c.number("pooled", e)?,
                        flag: c.text("flag").to_string(),
                    })
                },
            ));
        }
        if let Some(t) = absence {
            d.absence = Some(rows(
                &t,
                "absence_summary.csv",
                &ABSENCE,
                &mut errors,
                |c, e| {
                    Some(Absence {
                        pooling: c.required("pooling", e)?,
                        metric: c.required("metric", e)?,
                        mean: c.number("mean", e)?,
                        p50: c.number("p50", e)?,
                        p90: c.number("p90", e)?,
                        p99: c.number("p99", e)?,
                    })
                },
            ));
        }
        if errors.is_empty() {
            Ok(d)
        } else {
            Err(InputErrors(errors))
        }
    }
}

const ASSIGNMENT: [&str; 8] = [
    "project_id",
    "phase",
    "role",
    "person_id",
    "name",
    "home_municipality",
    "pooled",
    "hours_per_week",
];
const UNFILLED: [&str; 7] = [
    "project_id",
    "phase",
    "role",
    "hours_per_week",
    "required",
    "priority",
    "reason",
];
const TEAMS: [&str; 7] = [
    "project_id",
    "phase",
    "cluster",
    "need",
    "best_level",
    "covered",
    "members",
];
const LOAD: [&str; 6] = [
    "person_id",
    "name",
    "period",
    "assigned_hours",
    "hours_per_week",
    "utilisation",
];
const POOL_COMPARISON: [&str; 9] = [
    "mode",
    "municipality",
    "required_hours",
    "unfilled_required_hours",
    "stalled_projects",
    "balance",
    "hours_lent",
    "hours_borrowed",
    "home_share",
];
const POOL_FLOWS: [&str; 5] = ["mode", "from", "to", "hours", "people"];
const KEY_PEOPLE: [&str; 7] = [
    "rank",
    "person_id",
    "name",
    "municipality",
    "extra_unfilled_required_hours",
    "extra_stalled_projects",
    "roles",
];
const BUS_FACTOR: [&str; 5] = ["municipality", "field", "alone", "pooled", "flag"];
const ABSENCE: [&str; 6] = ["pooling", "metric", "mean", "p50", "p90", "p99"];

/// Parses a table, checks its columns and turns each row into a `T`;
/// rows with problems are reported and skipped.
fn rows<T>(
    text: &str,
    file: &str,
    columns: &[&str],
    errors: &mut Vec<InputError>,
    each: impl Fn(&Cells, &mut Vec<InputError>) -> Option<T>,
) -> Vec<T> {
    let table = match Table::parse(file, text) {
        Ok(t) => t,
        Err(e) => {
            errors.extend(e);
            return Vec::new();
        }
    };
    if !table.require(columns, errors) {
        return Vec::new();
    }
    table
        .rows
        .iter()
        .filter_map(|r| each(&Cells::new(&table, r), errors))
        .collect()
}

fn boolean(c: &Cells, name: &str, e: &mut Vec<InputError>) -> Option<bool> {
    match parse_bool(c.text(name)) {
        Some(b) => Some(b),
        None => {
            e.push(c.error(name, "this is not true or false", "write true or false"));
            None
        }
    }
}

fn read_summary(text: &str) -> Result<RunSummary, Box<InputError>> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Box::new(
            InputError::file(
                "summary.json",
                format!("this is not valid JSON: {e}"),
                "use the summary.json written by `ploeg solve`",
            )
            .at_line(e.line() as u64),
        )
    })?;
    if value.get("status").and_then(|s| s.as_str()).is_none() {
        return Err(Box::new(
            InputError::file(
                "summary.json",
                "it has no \"status\"; this is not a summary written by ploeg solve",
                "use the summary.json written by `ploeg solve`",
            )
            .field("status"),
        ));
    }
    serde_json::from_value(value).map_err(|e| {
        Box::new(InputError::file(
            "summary.json",
            format!("a value has the wrong type: {e}"),
            "use the summary.json written by `ploeg solve`",
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal() -> Vec<(&'static str, Vec<u8>)> {
        vec![
            ("summary.json", br#"{"status":"optimal","slots_total":2}"#.to_vec()),
            (
                "assignments.csv",
                b"project_id,phase,role,slot,person_id,name,home_municipality,project_municipality,pooled,hours_per_week\nj1,start,pl,1,p1,An,Oss,Oss,false,16\n".to_vec(),
            ),
            (
                "unfilled.csv",
                b"project_id,phase,role,slot,hours_per_week,required,priority,reason\nj1,start,jurist,1,8,true,1,nobody\n".to_vec(),
            ),
            (
                "teams.csv",
                b"project_id,phase,cluster,need,best_level,covered,reached_by,members\nj1,start,chaos,6,5,false,,1\nj1,start,opgave,0,,no need,,1\n".to_vec(),
            ),
            (
                "load.csv",
                b"person_id;name;period;assigned_hours;hours_per_week;utilisation;projects\np1;An;2026-01;16;32;0,5;j1\n".to_vec(),
            ),
        ]
    }

    #[test]
    fn reads_the_solve_output_in_either_dialect() {
        let d = ReportData::from_files(&minimal()).unwrap();
        assert_eq!(d.summary.status, "optimal");
        assert_eq!(d.summary.slots_total, 2);
        assert_eq!(d.assignments[0].hours, 16.0);
        assert!(d.unfilled[0].required);
        assert_eq!(d.teams[0].cluster, Cluster::Chaos);
        assert_eq!(d.teams[0].covered, Covered::No);
        assert_eq!(d.teams[1].covered, Covered::NoNeed);
        assert_eq!(d.teams[1].best, None);
        assert_eq!(d.load[0].utilisation, 0.5);
        assert!(d.pool_comparison.is_none() && d.key_people.is_none());
    }

    #[test]
    fn every_problem_is_reported_with_its_place() {
        let mut files = minimal();
        files.retain(|(n, _)| *n != "load.csv");
        files[3].1 =
            b"project_id,phase,cluster,need,best_level,covered,members\nj1,start,verbinding,x,,true,1\n"
                .to_vec();
        files.push(("bus_factor.csv", b"municipality,field\nOss,KRW\n".to_vec()));
        let e = ReportData::from_files(&files).unwrap_err().to_string();
        assert!(e.contains("load.csv: the file is missing"), "{e}");
        assert!(e.contains("teams.csv:2:3: cluster = \"verbinding\""), "{e}");
        assert!(
            e.contains("bus_factor.csv:1: alone: the required column"),
            "{e}"
        );
    }

    #[test]
    fn a_summary_that_is_not_ours_is_refused() {
        let mut files = minimal();
        files[0].1 = b"{\"people\": 3}".to_vec();
        let e = ReportData::from_files(&files).unwrap_err().to_string();
        assert!(e.contains("summary.json: status: it has no"), "{e}");
        files[0].1 = b"{\n\"status\": \n".to_vec();
        let e = ReportData::from_files(&files).unwrap_err().to_string();
        assert!(e.contains("summary.json:3: this is not valid JSON"), "{e}");
    }
}
