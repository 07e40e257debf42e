//! `scenario.toml`: scales, planning period, objective order, solver and
//! pooling settings, and the names of the data files.

use serde::Deserialize;

use super::error::InputError;
use crate::domain::{BackendChoice, PeriodKind, PoolingMode, Settings, Stage};

pub const FILE: &str = "scenario.toml";

/// Largest work budget accepted.
pub const MAX_WORK: u64 = 1_000_000_000;

/// The longest time limit a scenario may set: seven days.
pub const MAX_TIME_LIMIT_S: f64 = 7.0 * 24.0 * 3600.0;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    name: Option<String>,
    disciplines: Option<Vec<String>>,
    #[serde(default)]
    scale: RawScale,
    #[serde(default)]
    planning: RawPlanning,
    #[serde(default)]
    objective: RawObjective,
    #[serde(default)]
    solver: RawSolver,
    #[serde(default)]
    pooling: RawPooling,
    #[serde(default)]
    resilience: RawResilience,
    #[serde(default)]
    files: Files,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResilience {
    absence: Option<f64>,
    turnover: Option<f64>,
    samples: Option<i64>,
    key_fte_months: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    min: Option<f64>,
    max: Option<f64>,
    expertise_min: Option<f64>,
    expertise_max: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlanning {
    period: Option<String>,
    fte_hours: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawObjective {
    order: Option<Vec<String>>,
    optional_weight: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSolver {
    time_limit: Option<f64>,
    backend: Option<String>,
    mip_gap: Option<f64>,
    work: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPooling {
    mode: Option<String>,
    max_share: Option<f64>,
    keep_home_member: Option<bool>,
    max_net_lend: Option<f64>,
}

/// Names of the data files inside the scenario folder.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Files {
    pub people: String,
    pub expertise: String,
    pub projects: String,
    pub phases: String,
    pub roles: String,
    pub pools: String,
    pub preferences: String,
    pub municipalities: String,
    pub role_profiles: String,
}

impl Default for Files {
    fn default() -> Self {
        Files {
            people: "people.csv".into(),
            expertise: "expertise.csv".into(),
            projects: "projects.csv".into(),
            phases: "phases.csv".into(),
            roles: "roles.csv".into(),
            pools: "pools.csv".into(),
            preferences: "preferences.csv".into(),
            municipalities: "municipalities.csv".into(),
            role_profiles: "role_profiles.csv".into(),
        }
    }
}

/// Line and column (1-based, in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (u64, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u64 + 1;
    let start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, before[start..].chars().count() + 1)
}

/// Line (1-based) of `key = …` inside `[section]` (top level when empty).
fn key_line(text: &str, section: &str, key: &str) -> Option<u64> {
    let mut current = String::new();
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if let Some(name) = l.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            current = name.trim().to_string();
        } else if current == section {
            let k = l.split('=').next().unwrap_or("").trim();
            if k == key {
                return Some(i as u64 + 1);
            }
        }
    }
    None
}

/// Reads scenario.toml text into settings and file names.
pub fn parse(text: &str) -> Result<(Settings, Files), Vec<InputError>> {
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let mut err = InputError::file(
            FILE,
            e.message().to_string(),
            "see docs/data-format.md for the keys scenario.toml takes",
        );
        if let Some(span) = e.span() {
            let (line, col) = line_col(text, span.start);
            err = err.at_line(line);
            err.column = Some(col);
            err.value = Some(text[span.clone()].to_string());
        }
        vec![err]
    })?;
    let mut errors = Vec::new();
    let mut s = Settings::default();
    // `key` is "section.key" (or a top-level key); the error points at its line.
    let bad = |key: &str, value: String, message: &str, hint: &str| {
        let mut e = InputError::file(FILE, message, hint).field(key);
        e.value = Some(value);
        let (section, name) = key.rsplit_once('.').unwrap_or(("", key));
        if let Some(line) = key_line(text, section, name) {
            e = e.at_line(line);
        }
        e
    };
    if let Some(name) = raw.name {
        s.name = name;
    }
    if let Some(d) = raw.disciplines {
        s.disciplines = d.into_iter().map(|d| d.trim().to_string()).collect();
    }
    s.score_min = raw.scale.min.unwrap_or(s.score_min);
    s.score_max = raw.scale.max.unwrap_or(s.score_max);
    s.expertise_min = raw.scale.expertise_min.unwrap_or(s.expertise_min);
    s.expertise_max = raw.scale.expertise_max.unwrap_or(s.expertise_max);
    for (key, v) in [
        ("scale.min", s.score_min),
        ("scale.max", s.score_max),
        ("scale.expertise_min", s.expertise_min),
        ("scale.expertise_max", s.expertise_max),
    ] {
        if !(-1000.0..=1000.0).contains(&v) {
            errors.push(bad(
                key,
                v.to_string(),
                "a scale bound must lie between -1000 and 1000",
                "TMA norm scores run from 1 to 10",
            ));
        }
    }
    if s.score_min >= s.score_max {
        errors.push(bad(
            "scale.max",
            format!("{}", s.score_max),
            "the score scale's max must be above its min",
            "for TMA norm scores use min = 1, max = 10",
        ));
    }
    if s.expertise_min >= s.expertise_max {
        errors.push(bad(
            "scale.expertise_max",
            format!("{}", s.expertise_max),
            "the expertise scale's max must be above its min",
            "the default expertise scale is 1 to 5",
        ));
    }
    if let Some(p) = raw.planning.period {
        match p.as_str() {
            "week" => s.period = PeriodKind::Week,
            "month" => s.period = PeriodKind::Month,
            "quarter" => s.period = PeriodKind::Quarter,
            _ => errors.push(bad(
                "planning.period",
                p,
                "unknown planning period",
                "use week, month or quarter",
            )),
        }
    }
    if let Some(h) = raw.planning.fte_hours {
        if !(1.0..=80.0).contains(&h) {
            errors.push(bad(
                "planning.fte_hours",
                h.to_string(),
                "fte_hours must lie between 1 and 80",
                "the hours of one full-time equivalent a week, e.g. 36 (Dutch public sector) or 40",
            ));
        }
        s.fte_hours = h;
    }
    if let Some(order) = raw.objective.order {
        let mut stages = Vec::new();
        for o in &order {
            match Stage::from_id(o) {
                Some(st) if !stages.contains(&st) => stages.push(st),
                Some(_) => errors.push(bad(
                    "objective.order",
                    o.clone(),
                    "this stage is listed twice",
                    "list each stage once",
                )),
                None => errors.push(bad(
                    "objective.order",
                    o.clone(),
                    "unknown objective stage",
                    "the stages are unfilled, balance, fit and placement",
                )),
            }
        }
        if stages.len() == 4 {
            s.order = stages;
        } else if errors.is_empty() {
            errors.push(bad(
                "objective.order",
                order.join(", "),
                "the objective order must list all four stages",
                "e.g. order = [\"unfilled\", \"balance\", \"fit\", \"placement\"]",
            ));
        }
    }
    if let Some(w) = raw.objective.optional_weight {
        if !(0.0..=1.0).contains(&w) {
            errors.push(bad(
                "objective.optional_weight",
                w.to_string(),
                "optional_weight must lie between 0 and 1",
                "it scales unfilled hours of roles with required = false",
            ));
        }
        s.optional_weight = w;
    }
    if let Some(t) = raw.solver.time_limit {
        if !(t > 0.0 && t <= MAX_TIME_LIMIT_S) {
            errors.push(bad(
                "solver.time_limit",
                t.to_string(),
                "the time limit must be more than 0 and at most 604800 seconds (7 days)",
                "seconds, e.g. 60",
            ));
        }
        s.time_limit_s = t;
    }
    if let Some(w) = raw.solver.work {
        if !(1..=MAX_WORK).contains(&w) {
            errors.push(bad(
                "solver.work",
                w.to_string(),
                "the work budget must be a whole number from 1 to 1000000000",
                "e.g. 2000; more work finds better plans and takes longer",
            ));
        }
        s.work = Some(w);
    }
    if let Some(g) = raw.solver.mip_gap {
        if !(0.0..1.0).contains(&g) {
            errors.push(bad(
                "solver.mip_gap",
                g.to_string(),
                "mip_gap must lie in [0, 1)",
                "0 proves optimality",
            ));
        }
        s.mip_gap = g;
    }
    if let Some(b) = raw.solver.backend {
        match b.as_str() {
            "auto" => s.backend = BackendChoice::Auto,
            "microlp" => s.backend = BackendChoice::Microlp,
            "highs" => s.backend = BackendChoice::Highs,
            _ => errors.push(bad(
                "solver.backend",
                b,
                "unknown solver backend",
                "use auto, microlp or highs",
            )),
        }
    }
    if let Some(m) = raw.pooling.mode {
        match m.as_str() {
            "none" => s.pooling = PoolingMode::None,
            "agreements" => s.pooling = PoolingMode::Agreements,
            "all" => s.pooling = PoolingMode::All,
            _ => errors.push(bad(
                "pooling.mode",
                m,
                "unknown pooling mode",
                "use none, agreements or all",
            )),
        }
    }
    if let Some(share) = raw.pooling.max_share {
        if !(0.0..=1.0).contains(&share) {
            errors.push(bad(
                "pooling.max_share",
                share.to_string(),
                "max_share must lie between 0 and 1",
                "it is the largest share of a person's weekly hours lent to other municipalities",
            ));
        }
        s.max_pool_share = share;
    }
    if let Some(k) = raw.pooling.keep_home_member {
        s.keep_home_member = k;
    }
    for (key, value, target) in [
        ("resilience.absence", raw.resilience.absence, &mut s.absence),
        (
            "resilience.turnover",
            raw.resilience.turnover,
            &mut s.turnover,
        ),
    ] {
        if let Some(q) = value {
            if !(0.0..=1.0).contains(&q) {
                errors.push(bad(
                    key,
                    q.to_string(),
                    "a chance must lie between 0 and 1",
                    "e.g. 0.05 for one in twenty",
                ));
            }
            *target = q;
        }
    }
    if let Some(k) = raw.resilience.samples {
        if !(1..=1_000_000).contains(&k) {
            errors.push(bad(
                "resilience.samples",
                k.to_string(),
                "samples must be a whole number from 1 to 1,000,000",
                "e.g. 1000",
            ));
        } else {
            s.samples = k as usize;
        }
    }
    if let Some(m) = raw.resilience.key_fte_months {
        if !(0.0..=120.0).contains(&m) {
            errors.push(bad(
                "resilience.key_fte_months",
                m.to_string(),
                "key_fte_months must lie between 0 and 120",
                "e.g. 1: a person is key when their absence leaves more than one FTE-month of required work open",
            ));
        }
        s.key_fte_months = m;
    }
    if let Some(cap) = raw.pooling.max_net_lend {
        if !(0.0..=100_000.0).contains(&cap) {
            errors.push(bad(
                "pooling.max_net_lend",
                cap.to_string(),
                "max_net_lend must be zero or more hours per week",
                "it caps the hours a municipality lends out minus the hours it borrows; leave it out for no cap",
            ));
        }
        s.max_net_lend = Some(cap);
    }
    if errors.is_empty() {
        Ok((s, raw.files))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_defaults() {
        let (s, f) = parse("").unwrap();
        assert_eq!(s, Settings::default());
        assert_eq!(f.people, "people.csv");
    }

    #[test]
    fn unknown_key_names_its_line() {
        let errs = parse("name = \"x\"\n[solver]\ntime_limt = 5\n").unwrap_err();
        assert_eq!(errs[0].line, Some(3));
        assert!(errs[0].message.contains("time_limt"), "{}", errs[0].message);
    }

    #[test]
    fn order_must_hold_all_four_known_stages() {
        let errs = parse("[objective]\norder = [\"unfilled\", \"speed\"]\n").unwrap_err();
        assert!(errs.iter().any(|e| e.value.as_deref() == Some("speed")));
        let (s, _) =
            parse("[objective]\norder = [\"fit\", \"unfilled\", \"balance\", \"placement\"]\n")
                .unwrap();
        assert_eq!(s.order[0], Stage::Fit);
    }
}
