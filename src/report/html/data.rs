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

/// One open slot of unfilled.csv.
#[derive(Clone, Debug)]
pub struct Unfilled {
    pub project_id: String,
    pub phase: String,
    pub role: String,
    /// Hours a week of the slot while its phase runs.
    pub hours: f64,
    /// Hours a week × weeks of the phase: the work the slot leaves open.
    pub role_hours: f64,
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
    pub weighted_unfilled: f64,
    pub slots_total: u64,
    pub slots_filled: u64,
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
    /// Open work over the planning horizon, in role-hours (hours a week ×
    /// weeks of the phase), and in FTE-years.
    pub unfilled_role_hours: f64,
    pub unfilled_required_role_hours: f64,
    pub unfilled_fte_years: f64,
    /// The most open hours a week in one planning period, and that period.
    pub peak_open_hours_per_week: f64,
    pub peak_open_period: Option<String>,
    pub mean_open_hours_per_week: f64,
    pub phases_total: u64,
    /// Phases with a required slot open.
    pub blocked_phases: u64,
    /// Planning periods in which a project has a blocked phase, summed.
    pub blocked_project_months: u64,
    /// What one planning period is: "month", "week" or "quarter".
    pub planning_period: String,
}

/// pool_comparison.csv: one row per pooling mode and municipality. Work
/// is in role-hours over the planning horizon.
#[derive(Clone, Debug, Default)]
pub struct PoolRow {
    pub mode: String,
    pub municipality: String,
    pub people: f64,
    pub projects: f64,
    pub required_role_hours: f64,
    pub unfilled_required_role_hours: f64,
    /// Open required role-hours against the `none` mode's; `None` without
    /// a `none` mode.
    pub unfilled_change: Option<f64>,
    pub phases: f64,
    pub blocked_phases: f64,
    pub balance: f64,
    pub lent_role_hours: f64,
    pub borrowed_role_hours: f64,
    pub net_lent_role_hours: f64,
    /// The most hours a week lent out net in one planning period.
    pub peak_net_lent_hours_per_week: f64,
    pub home_share: f64,
    pub people_lent: f64,
    pub spread_thin: f64,
}

/// pool_flows.csv: role-hours that people of `from` work in projects of
/// `to` under a mode.
#[derive(Clone, Debug)]
pub struct Flow {
    pub mode: String,
    pub from: String,
    pub to: String,
    pub role_hours: f64,
    pub people: f64,
}

/// pooled_people.csv: the people who work most outside their own
/// municipality under a mode.
#[derive(Clone, Debug)]
pub struct PooledPerson {
    pub mode: String,
    pub rank: f64,
    pub person_id: String,
    pub name: String,
    pub home_municipality: String,
    pub lent_role_hours: f64,
    /// The municipalities served besides home.
    pub serves: Vec<String>,
}

/// key_people.csv: what one person's absence does to the plan.
#[derive(Clone, Debug, Default)]
pub struct KeyPerson {
    pub rank: f64,
    pub person_id: String,
    pub name: String,
    pub municipality: String,
    /// Required role-hours over the horizon that their absence leaves open.
    pub extra_unfilled_required_role_hours: f64,
    /// The same in FTE-months.
    pub extra_fte_months: f64,
    pub extra_blocked_phases: f64,
    /// The phases their absence blocks, as "project_id / phase".
    pub blocked: Vec<String>,
    pub roles: String,
    pub why: String,
    /// The `key` column; outputs of versions without it count everyone
    /// whose absence opens required work or blocks a phase.
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
    /// The value without absences.
    pub base: f64,
    pub mean: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
}

/// capacity.csv: one planning period of one discipline, in hours a week.
#[derive(Clone, Debug)]
pub struct Demand {
    pub period: String,
    pub discipline: String,
    /// Hours a week of the roles of this discipline active in the period.
    pub demand: f64,
    /// Of those, the hours of the slots the plan fills.
    pub assigned: f64,
    pub open: f64,
    /// Weekly hours of the people with the discipline available then.
    pub supply: f64,
    pub people: f64,
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
    /// capacity.csv; older outputs lack it.
    pub demand: Option<Vec<Demand>>,
    pub pool_comparison: Option<Vec<PoolRow>>,
    pub pool_flows: Option<Vec<Flow>>,
    pub pooled_people: Option<Vec<PooledPerson>>,
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
        let demand = text(&plan("capacity.csv"), false);
        let pool_comparison = text("pool_comparison.csv", false);
        let pool_flows = text("pool_flows.csv", false);
        let pooled_people = text("pooled_people.csv", false);
        let key_people = text("key_people.csv", false);
        let bus_factor = text("bus_factor.csv", false);
        let absence = text("absence_summary.csv", false);

        let e = &mut errors;
        let mut d = ReportData::default();
        if let Some(t) = summary {
            match read_summary(&t) {
                Ok(s) => d.summary = s,
                Err(x) => e.push(*x),
            }
        }
        d.assignments = assignments
            .map(|t| read_assignments(&t, e))
            .unwrap_or_default();
        d.unfilled = unfilled.map(|t| read_unfilled(&t, e)).unwrap_or_default();
        d.teams = teams.map(|t| read_teams(&t, e)).unwrap_or_default();
        d.load = load.map(|t| read_load(&t, e)).unwrap_or_default();
        d.demand = demand.map(|t| read_demand(&t, e));
        d.pool_comparison = pool_comparison.map(|t| read_pool_comparison(&t, e));
        d.pool_flows = pool_flows.map(|t| read_pool_flows(&t, e));
        d.pooled_people = pooled_people.map(|t| read_pooled_people(&t, e));
        d.key_people = key_people.map(|t| read_key_people(&t, e));
        d.bus_factor = bus_factor.map(|t| read_bus_factor(&t, e));
        d.absence = absence.map(|t| read_absence(&t, e));
        if errors.is_empty() {
            Ok(d)
        } else {
            Err(InputErrors(errors))
        }
    }
}

fn read_assignments(t: &str, errors: &mut Vec<InputError>) -> Vec<Assignment> {
    rows(t, "assignments.csv", &ASSIGNMENT, errors, |c, e| {
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
    })
}

fn read_unfilled(t: &str, errors: &mut Vec<InputError>) -> Vec<Unfilled> {
    rows(t, "unfilled.csv", &UNFILLED, errors, |c, e| {
        Some(Unfilled {
            project_id: c.required("project_id", e)?,
            phase: c.text("phase").to_string(),
            role: c.text("role").to_string(),
            hours: c.number("hours_per_week", e)?,
            role_hours: c.number("role_hours", e)?,
            required: boolean(c, "required", e)?,
            priority: c.number("priority", e)?,
            reason: c.text("reason").to_string(),
        })
    })
}

fn read_teams(t: &str, errors: &mut Vec<InputError>) -> Vec<TeamNeed> {
    rows(t, "teams.csv", &TEAMS, errors, |c, e| {
        let Some(cluster) = Cluster::from_id(c.text("cluster")) else {
            e.push(c.error(
                "cluster",
                "unknown cluster",
                "the five clusters are opgave, omgeving, chaos, eigenaarschap, verbinden",
            ));
            return None;
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
    })
}

fn read_load(t: &str, errors: &mut Vec<InputError>) -> Vec<Load> {
    rows(t, "load.csv", &LOAD, errors, |c, e| {
        Some(Load {
            person_id: c.required("person_id", e)?,
            name: c.text("name").to_string(),
            period: c.required("period", e)?,
            assigned: c.number("assigned_hours", e)?,
            capacity: c.number("hours_per_week", e)?,
            utilisation: c.number("utilisation", e)?,
            projects: c.text("projects").to_string(),
        })
    })
}

fn read_demand(t: &str, errors: &mut Vec<InputError>) -> Vec<Demand> {
    rows(t, "capacity.csv", &CAPACITY, errors, |c, e| {
        Some(Demand {
            period: c.required("period", e)?,
            discipline: c.required("discipline", e)?,
            demand: c.number("demand_hours_per_week", e)?,
            assigned: c.number("assigned_hours_per_week", e)?,
            open: c.number("open_hours_per_week", e)?,
            supply: c.number("supply_hours_per_week", e)?,
            people: c.opt_number("people", e)?.unwrap_or(0.0),
        })
    })
}

fn read_pool_comparison(t: &str, errors: &mut Vec<InputError>) -> Vec<PoolRow> {
    rows(
        t,
        "pool_comparison.csv",
        &POOL_COMPARISON,
        errors,
        |c, e| {
            let extra = |name: &str, e: &mut Vec<InputError>| c.opt_number(name, e);
            Some(PoolRow {
                mode: c.required("mode", e)?,
                municipality: c.required("municipality", e)?,
                people: extra("people", e)?.unwrap_or(0.0),
                projects: extra("projects", e)?.unwrap_or(0.0),
                required_role_hours: c.number("required_role_hours", e)?,
                unfilled_required_role_hours: c.number("unfilled_required_role_hours", e)?,
                unfilled_change: extra("unfilled_change", e)?,
                phases: c.number("phases", e)?,
                blocked_phases: c.number("blocked_phases", e)?,
                balance: c.number("balance", e)?,
                lent_role_hours: c.number("lent_role_hours", e)?,
                borrowed_role_hours: c.number("borrowed_role_hours", e)?,
                net_lent_role_hours: c.number("net_lent_role_hours", e)?,
                peak_net_lent_hours_per_week: extra("peak_net_lent_hours_per_week", e)?
                    .unwrap_or(0.0),
                home_share: c.number("home_share", e)?,
                people_lent: extra("people_lent", e)?.unwrap_or(0.0),
                spread_thin: extra("spread_thin", e)?.unwrap_or(0.0),
            })
        },
    )
}

fn read_pool_flows(t: &str, errors: &mut Vec<InputError>) -> Vec<Flow> {
    rows(t, "pool_flows.csv", &POOL_FLOWS, errors, |c, e| {
        Some(Flow {
            mode: c.required("mode", e)?,
            from: c.required("from", e)?,
            to: c.required("to", e)?,
            role_hours: c.number("role_hours", e)?,
            people: c.number("people", e)?,
        })
    })
}

fn read_pooled_people(t: &str, errors: &mut Vec<InputError>) -> Vec<PooledPerson> {
    rows(t, "pooled_people.csv", &POOLED_PEOPLE, errors, |c, e| {
        Some(PooledPerson {
            mode: c.required("mode", e)?,
            rank: c.number("rank", e)?,
            person_id: c.required("person_id", e)?,
            name: c.text("name").to_string(),
            home_municipality: c.text("home_municipality").to_string(),
            lent_role_hours: c.number("lent_role_hours", e)?,
            serves: list(c.text("serves")),
        })
    })
}

fn read_key_people(t: &str, errors: &mut Vec<InputError>) -> Vec<KeyPerson> {
    rows(t, "key_people.csv", &KEY_PEOPLE, errors, |c, e| {
        let extra = c.number("extra_unfilled_required_role_hours", e)?;
        let blocks = c.number("extra_blocked_phases", e)?;
        Some(KeyPerson {
            rank: c.number("rank", e)?,
            person_id: c.required("person_id", e)?,
            name: c.text("name").to_string(),
            municipality: c.text("municipality").to_string(),
            extra_unfilled_required_role_hours: extra,
            extra_fte_months: c.number("extra_fte_months", e)?,
            extra_blocked_phases: blocks,
            blocked: list(c.text("blocked")),
            roles: c.text("roles").to_string(),
            why: c.text("why").to_string(),
            key: parse_bool(c.text("key")).unwrap_or(extra > 0.0 || blocks > 0.0),
        })
    })
}

fn read_bus_factor(t: &str, errors: &mut Vec<InputError>) -> Vec<BusFactor> {
    rows(t, "bus_factor.csv", &BUS_FACTOR, errors, |c, e| {
        Some(BusFactor {
            municipality: c.required("municipality", e)?,
            field: c.required("field", e)?,
            alone: c.number("alone", e)?,
            pooled: c.number("pooled", e)?,
            flag: c.text("flag").to_string(),
        })
    })
}

fn read_absence(t: &str, errors: &mut Vec<InputError>) -> Vec<Absence> {
    rows(t, "absence_summary.csv", &ABSENCE, errors, |c, e| {
        Some(Absence {
            pooling: c.required("pooling", e)?,
            metric: c.required("metric", e)?,
            base: c.number("base", e)?,
            mean: c.number("mean", e)?,
            p50: c.number("p50", e)?,
            p90: c.number("p90", e)?,
            p99: c.number("p99", e)?,
            max: c.number("max", e)?,
        })
    })
}

/// A `|`-separated list, empty items dropped.
fn list(v: &str) -> Vec<String> {
    v.split('|')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
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
const UNFILLED: [&str; 8] = [
    "project_id",
    "phase",
    "role",
    "hours_per_week",
    "role_hours",
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
const CAPACITY: [&str; 6] = [
    "period",
    "discipline",
    "demand_hours_per_week",
    "assigned_hours_per_week",
    "open_hours_per_week",
    "supply_hours_per_week",
];
const POOL_COMPARISON: [&str; 11] = [
    "mode",
    "municipality",
    "required_role_hours",
    "unfilled_required_role_hours",
    "phases",
    "blocked_phases",
    "balance",
    "lent_role_hours",
    "borrowed_role_hours",
    "net_lent_role_hours",
    "home_share",
];
const POOL_FLOWS: [&str; 5] = ["mode", "from", "to", "role_hours", "people"];
const POOLED_PEOPLE: [&str; 6] = [
    "mode",
    "rank",
    "person_id",
    "name",
    "home_municipality",
    "lent_role_hours",
];
const KEY_PEOPLE: [&str; 8] = [
    "rank",
    "person_id",
    "name",
    "municipality",
    "extra_unfilled_required_role_hours",
    "extra_fte_months",
    "extra_blocked_phases",
    "roles",
];
const BUS_FACTOR: [&str; 5] = ["municipality", "field", "alone", "pooled", "flag"];
const ABSENCE: [&str; 8] = [
    "pooling", "metric", "base", "mean", "p50", "p90", "p99", "max",
];

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
                b"project_id,phase,role,slot,hours_per_week,start,end,weeks,role_hours,required,priority,reason\nj1,start,jurist,1,8,2026-01-05,2026-03-29,12,96,true,1,nobody\n".to_vec(),
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
        assert_eq!(d.unfilled[0].role_hours, 96.0);
        assert_eq!(d.teams[0].cluster, Cluster::Chaos);
        assert_eq!(d.teams[0].covered, Covered::No);
        assert_eq!(d.teams[1].covered, Covered::NoNeed);
        assert_eq!(d.teams[1].best, None);
        assert_eq!(d.load[0].utilisation, 0.5);
        assert!(d.pool_comparison.is_none() && d.key_people.is_none());
        assert!(d.demand.is_none() && d.pooled_people.is_none());
    }

    /// The files of `ploeg pool`, `ploeg resilience` and capacity.csv as
    /// they are written now.
    fn optional_files() -> Vec<(&'static str, Vec<u8>)> {
        vec![
            (
                "capacity.csv",
                b"period,discipline,demand_hours_per_week,assigned_hours_per_week,open_hours_per_week,supply_hours_per_week,people\n2026-01,jurist,24,16,8,32,1\n2026-02,jurist,24,24,0,32,1\n".to_vec(),
            ),
            (
                "pool_comparison.csv",
                b"mode;municipality;people;projects;required_role_hours;unfilled_required_role_hours;unfilled_change;phases;blocked_phases;balance;needs_covered;needs_total;lent_role_hours;borrowed_role_hours;net_lent_role_hours;peak_net_lent_hours_per_week;home_share;people_lent;spread_thin\nnone;Oss;3;2;1200;416;0;5;2;0,8;4;5;0;0;0;0;1;0;0\nall;Oss;3;2;1200;96;-320;5;1;0,8;4;5;0;208;-208;0;0,85;0;0\n".to_vec(),
            ),
            (
                "pool_flows.csv",
                b"mode,from,to,role_hours,people\nall,Breda,Oss,208,1\n".to_vec(),
            ),
            (
                "pooled_people.csv",
                b"mode,rank,person_id,name,home_municipality,lent_role_hours,serves\nall,1,p2,Anna,Breda,208,Oss|Uden\n".to_vec(),
            ),
            (
                "key_people.csv",
                b"rank,person_id,name,municipality,assignments,extra_unfilled_required_role_hours,extra_fte_months,extra_blocked_phases,key,blocked,roles,why\n1,p1,An,Oss,2,416,2.7,2,true,j1 / start|j2 / bouw,jurist,only jurist\n".to_vec(),
            ),
            (
                "absence_summary.csv",
                b"pooling,metric,base,mean,p50,p90,p99,max\nwith,unfilled_required_role_hours,96,180,160,320,416,512\nwith,blocked_phases,1,1.5,1,3,4,5\n".to_vec(),
            ),
        ]
    }

    #[test]
    fn reads_the_new_columns_of_every_optional_file() {
        let mut files = minimal();
        files.extend(optional_files());
        let d = ReportData::from_files(&files).unwrap();
        let demand = d.demand.unwrap();
        assert_eq!(demand.len(), 2);
        assert_eq!((demand[0].open, demand[0].supply), (8.0, 32.0));
        let pool = d.pool_comparison.unwrap();
        assert_eq!(pool[1].unfilled_required_role_hours, 96.0);
        assert_eq!(pool[1].unfilled_change, Some(-320.0));
        assert_eq!((pool[0].phases, pool[0].blocked_phases), (5.0, 2.0));
        assert_eq!(pool[1].net_lent_role_hours, -208.0);
        assert_eq!(pool[1].home_share, 0.85);
        assert_eq!(d.pool_flows.unwrap()[0].role_hours, 208.0);
        let pooled = d.pooled_people.unwrap();
        assert_eq!(pooled[0].serves, ["Oss", "Uden"]);
        let key = &d.key_people.unwrap()[0];
        assert_eq!(key.extra_unfilled_required_role_hours, 416.0);
        assert_eq!(key.extra_fte_months, 2.7);
        assert_eq!(key.blocked, ["j1 / start", "j2 / bouw"]);
        assert!(key.key);
        let absence = d.absence.unwrap();
        assert_eq!((absence[0].base, absence[0].max), (96.0, 512.0));
        assert_eq!(absence[1].metric, "blocked_phases");
    }

    #[test]
    fn a_file_without_a_required_new_column_is_refused() {
        for (file, column) in [
            ("capacity.csv", "supply_hours_per_week"),
            ("pool_comparison.csv", "unfilled_required_role_hours"),
            ("pool_comparison.csv", "blocked_phases"),
            ("pool_flows.csv", "role_hours"),
            ("pooled_people.csv", "lent_role_hours"),
            ("key_people.csv", "extra_unfilled_required_role_hours"),
            ("key_people.csv", "extra_blocked_phases"),
            ("absence_summary.csv", "base"),
        ] {
            let mut files = minimal();
            for (name, data) in optional_files() {
                let data = if name == file {
                    let text = String::from_utf8(data).unwrap();
                    // The header is the first line; the cells stay.
                    let (head, rest) = text.split_once('\n').unwrap();
                    let head = head
                        .split([',', ';'])
                        .map(|h| if h == column { "other" } else { h })
                        .collect::<Vec<_>>()
                        .join(if head.contains(';') { ";" } else { "," });
                    format!("{head}\n{rest}").into_bytes()
                } else {
                    data
                };
                files.push((name, data));
            }
            let e = ReportData::from_files(&files).unwrap_err().to_string();
            assert!(
                e.contains(&format!("{file}:1: {column}: the required column")),
                "{file} {column}: {e}"
            );
        }
    }

    #[test]
    fn old_outputs_without_the_key_column_count_by_the_work_opened() {
        let mut files = minimal();
        files.push((
            "key_people.csv",
            b"rank,person_id,name,municipality,extra_unfilled_required_role_hours,extra_fte_months,extra_blocked_phases,roles\n1,p1,An,Oss,0,0,1,jurist\n2,p2,Bo,Oss,0,0,0,jurist\n3,p3,Cas,Oss,8,0.1,0,jurist\n".to_vec(),
        ));
        let key: Vec<bool> = ReportData::from_files(&files)
            .unwrap()
            .key_people
            .unwrap()
            .iter()
            .map(|k| k.key)
            .collect();
        assert_eq!(key, [true, false, true]);
    }

    #[test]
    fn open_slots_need_their_role_hours() {
        let mut files = minimal();
        files[2].1 = b"project_id,phase,role,slot,hours_per_week,required,priority,reason\nj1,start,jurist,1,8,true,1,nobody\n".to_vec();
        let e = ReportData::from_files(&files).unwrap_err().to_string();
        assert!(
            e.contains("unfilled.csv:1: role_hours: the required column"),
            "{e}"
        );
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
