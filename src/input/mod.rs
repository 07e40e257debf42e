//! Input → validated scenario: reads a scenario folder (scenario.toml and the
//! CSV files), checks every row and cross-reference, and either returns a
//! [`Scenario`] or every problem found, each with file, line, column, value
//! and a hint.

pub mod candidates;
pub mod config;
pub mod error;
pub mod plan;
pub mod table;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use crate::domain::{
    Cluster, ExpertiseNeed, Person, Phase, Preference, Project, Role, RoleProfile, Scenario,
    Settings,
};
pub use error::{InputError, InputErrors, UsageError};
use table::{split_list, Cells, Table};

/// Reads and validates a scenario folder.
pub fn load(dir: &Path) -> Result<Scenario, InputErrors> {
    if !dir.is_dir() {
        return Err(InputErrors::single(InputError::file(
            &dir.display().to_string(),
            "this is not a folder",
            "give the scenario folder that holds scenario.toml and the CSV files",
        )));
    }
    load_from(&|name: &str| {
        let path = dir.join(name);
        // A broken link or a link loop is there, and says so when read.
        if std::fs::symlink_metadata(&path).is_err() {
            return None;
        }
        Some(read_file(&path, name))
    })
}

/// Where a scenario's files come from: the bytes of a file by its name, or
/// `None` when there is no such file.
pub type Source<'a> = dyn Fn(&str) -> Option<Result<Vec<u8>, Box<InputError>>> + 'a;

/// Reads and validates a scenario from files in memory (file name →
/// bytes), as from a folder.
pub fn load_from_memory(files: &BTreeMap<String, Vec<u8>>) -> Result<Scenario, InputErrors> {
    load_from(&|name: &str| files.get(name).map(|b| Ok(b.clone())))
}

/// Reads and validates a scenario from any source of files.
pub fn load_from(source: &Source) -> Result<Scenario, InputErrors> {
    let text_of = |name: &str| -> Option<Result<String, Box<InputError>>> {
        source(name).map(|bytes| {
            bytes.and_then(|b| {
                table::decode(&b).map_err(|m| {
                    Box::new(InputError::file(
                        name,
                        m,
                        "in Excel: Save As → CSV UTF-8 or CSV (semicolon)",
                    ))
                })
            })
        })
    };
    let mut errors = Vec::new();
    let (settings, files) = match text_of(config::FILE) {
        Some(Ok(text)) => match config::parse(&text) {
            Ok(v) => v,
            Err(es) => return Err(InputErrors(es)),
        },
        Some(Err(e)) => return Err(InputErrors::single(*e)),
        None => (Settings::default(), config::Files::default()),
    };
    let mut read = |name: &str, required: bool| -> Option<Table> {
        let text = match text_of(name) {
            None => {
                if required {
                    errors.push(InputError::file(
                        name,
                        "the file is missing",
                        format!("create {name} in the scenario folder (see docs/data-format.md) or name another file in scenario.toml [files]"),
                    ));
                }
                return None;
            }
            Some(Err(e)) => {
                errors.push(*e);
                return None;
            }
            Some(Ok(t)) => t,
        };
        match Table::parse(name, &text) {
            Ok(t) => Some(t),
            Err(es) => {
                errors.extend(es);
                None
            }
        }
    };
    let people_t = read(&files.people, true);
    let expertise_t = read(&files.expertise, false);
    let projects_t = read(&files.projects, true);
    let phases_t = read(&files.phases, true);
    let roles_t = read(&files.roles, true);
    let pools_t = read(&files.pools, false);
    let prefs_t = read(&files.preferences, false);
    let munis_t = read(&files.municipalities, false);
    let profiles_t = read(&files.role_profiles, false);

    let mut b = Builder {
        s: Scenario {
            settings,
            ..Scenario::default()
        },
        errors,
    };
    // A file that refers to one that could not be read is not checked
    // row by row: every row would only repeat that one problem.
    let skipped = |b: &mut Builder, file: &str, missing: &str| {
        b.errors.push(InputError::file(
            file,
            format!("not checked: it refers to {missing}, which could not be read"),
            format!("fix {missing} first"),
        ));
    };
    if let Some(t) = &people_t {
        b.people(t);
    }
    match (&expertise_t, &people_t) {
        (Some(t), Some(_)) => b.expertise(t),
        (Some(_), None) => skipped(&mut b, &files.expertise, &files.people),
        _ => {}
    }
    if let Some(t) = &projects_t {
        b.projects(t);
    }
    match (&phases_t, &projects_t) {
        (Some(t), Some(_)) => b.phases(t),
        (Some(_), None) => skipped(&mut b, &files.phases, &files.projects),
        _ => {}
    }
    let phases_read = phases_t.is_some() && projects_t.is_some();
    match (&roles_t, phases_read) {
        (Some(t), true) => b.roles(t),
        (Some(_), false) => skipped(&mut b, &files.roles, &files.phases),
        _ => {}
    }
    if let Some(t) = &munis_t {
        b.municipalities(t);
    }
    if let Some(t) = &pools_t {
        b.pools(t);
    }
    match (&prefs_t, &people_t, &roles_t) {
        (Some(t), Some(_), Some(_)) => b.preferences(t),
        (Some(_), None, _) => skipped(&mut b, &files.preferences, &files.people),
        (Some(_), _, None) => skipped(&mut b, &files.preferences, &files.roles),
        _ => {}
    }
    if let Some(t) = &profiles_t {
        b.role_profiles(t);
    }
    if b.errors.is_empty() {
        b.load_table_fits();
    }
    if b.errors.is_empty() {
        Ok(b.s)
    } else {
        Err(InputErrors(b.errors))
    }
}

/// Reads only the settings of a scenario folder (its scenario.toml, or the
/// defaults when there is none).
pub fn load_settings(dir: &Path) -> Result<Settings, InputErrors> {
    let path = dir.join(config::FILE);
    if !path.exists() {
        return Ok(Settings::default());
    }
    let text = read_text(&path, config::FILE).map_err(|e| InputErrors::single(*e))?;
    config::parse(&text).map(|(s, _)| s).map_err(InputErrors)
}

/// Reads one CSV file outside a scenario folder (an items file, a mapping,
/// a candidates list); messages name it by its file name.
pub fn read_table(path: &Path) -> Result<Table, InputErrors> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| path.display().to_string());
    let text = read_text(path, &name).map_err(|e| InputErrors::single(*e))?;
    Table::parse(&name, &text).map_err(InputErrors)
}

/// Reads an extra pools file (columns pool, municipality, as pools.csv)
/// for a loaded scenario: pool name → member municipalities.
pub fn load_pools(s: &Scenario, path: &Path) -> Result<BTreeMap<String, Vec<String>>, InputErrors> {
    let t = read_table(path)?;
    let mut b = Builder {
        s: s.clone(),
        errors: Vec::new(),
    };
    b.pools(&t);
    if b.errors.is_empty() {
        Ok(b.s.pools)
    } else {
        Err(InputErrors(b.errors))
    }
}

/// Largest input file read, in bytes, unless `PLOEG_MAX_INPUT_MIB` says
/// otherwise: far above any real staff list, far below what exhausts a
/// laptop.
pub const DEFAULT_MAX_INPUT_MIB: u64 = 256;

/// The size cap on one input file: `PLOEG_MAX_INPUT_MIB` (a whole number
/// of MiB) or [`DEFAULT_MAX_INPUT_MIB`].
pub fn max_input_bytes() -> u64 {
    std::env::var("PLOEG_MAX_INPUT_MIB")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&m| m > 0)
        .unwrap_or(DEFAULT_MAX_INPUT_MIB)
        .saturating_mul(1024 * 1024)
}

/// Reads one input file: a regular file (a FIFO, device or socket is
/// refused by kind before anything is read) of at most
/// [`max_input_bytes`]. Errors say what went wrong in the user's words:
/// missing, permission denied, a symbolic-link loop, too large.
pub fn read_file(path: &Path, name: &str) -> Result<Vec<u8>, Box<InputError>> {
    use std::io::Read;
    let fail = |message: String, hint: &str| Box::new(InputError::file(name, message, hint));
    let meta = std::fs::metadata(path).map_err(|e| io_problem(name, &e))?;
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(fail(
            "this is a folder, not a file".into(),
            "give the path of a file",
        ));
    }
    if !kind.is_file() {
        return Err(fail(
            format!("this is not a regular file but {}", special_kind(&kind)),
            "give the path of an ordinary file saved from a spreadsheet",
        ));
    }
    let cap = max_input_bytes();
    let too_large = |size: u64| {
        fail(
            format!(
                "the file is {} MiB, more than the {} MiB ploeg reads",
                size / (1024 * 1024),
                cap / (1024 * 1024)
            ),
            "check that this is the right file; set PLOEG_MAX_INPUT_MIB to read larger files",
        )
    };
    if meta.len() > cap {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| io_problem(name, &e))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The cap holds even for a file that grows while it is read.
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_problem(name, &e))?;
    if bytes.len() as u64 > cap {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn special_kind(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    let _ = kind;
    "a special file"
}

/// An I/O error in the user's words.
fn io_problem(name: &str, e: &std::io::Error) -> Box<InputError> {
    let (message, hint) = match e.kind() {
        std::io::ErrorKind::NotFound => (
            "the file is missing".to_string(),
            "check the name and the folder",
        ),
        std::io::ErrorKind::PermissionDenied => (
            "permission denied: ploeg may not read this file".to_string(),
            "check the file's permissions (and those of its folder)",
        ),
        // ELOOP on Linux.
        _ if cfg!(target_os = "linux") && e.raw_os_error() == Some(40) => (
            "a loop of symbolic links: the path never reaches a file".to_string(),
            "point the link at the real file",
        ),
        _ => (
            format!("cannot read the file: {e}"),
            "check that it is readable",
        ),
    };
    Box::new(InputError::file(name, message, hint))
}

fn read_text(path: &Path, name: &str) -> Result<String, Box<InputError>> {
    let bytes = read_file(path, name)?;
    table::decode(&bytes).map_err(|m| {
        Box::new(InputError::file(
            name,
            m,
            "in Excel: Save As → CSV UTF-8 or CSV (semicolon)",
        ))
    })
}

/// Most identical slots on one role line: beyond any real team, small
/// enough that the output stays readable.
const MAX_COUNT: u32 = 1_000;

/// Longest phase: thirty years of (at most 366-day) years.
const MAX_PHASE_DAYS: i64 = 30 * 366;

/// Most cells of the load table (people × periods of the horizon).
pub const MAX_LOAD_CELLS: u64 = 10_000_000;

const PEOPLE_COLUMNS: [&str; 6] = [
    "id",
    "name",
    "organisation",
    "municipality",
    "disciplines",
    "hours_per_week",
];
const PEOPLE_OPTIONAL: [&str; 5] = [
    "available_from",
    "available_until",
    "max_projects",
    "poolable",
    "absence",
];

struct Builder {
    s: Scenario,
    errors: Vec<InputError>,
}

/// Levenshtein distance, for "did you mean" hints.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            cur.push(
                (prev[j] + usize::from(ca != *cb))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1),
            );
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A municipality column naming a municipality nobody is in.
fn unknown_municipality(c: &Cells) -> InputError {
    c.error(
        "municipality",
        "no person or project is in this municipality",
        "check the spelling against people.csv and projects.csv",
    )
}

impl Builder {
    fn err(&mut self, e: InputError) {
        self.errors.push(e);
    }

    /// The load table (every person × every period of the horizon) must
    /// stay below [`MAX_LOAD_CELLS`]: beyond that its output alone is
    /// gigabytes.
    fn load_table_fits(&mut self) {
        let period = self.s.settings.period;
        let first = self.s.phases.iter().map(|p| period.index(p.start)).min();
        let last = self.s.phases.iter().map(|p| period.index(p.end)).max();
        let (Some(first), Some(last)) = (first, last) else {
            return;
        };
        let periods = (last - first + 1).max(0) as u64;
        let cells = periods.saturating_mul(self.s.people.len() as u64);
        if cells > MAX_LOAD_CELLS {
            self.err(InputError::file(
                "phases.csv",
                format!(
                    "the phases span {periods} planning periods ({} to {}); with {} people that is {cells} cells of load per person and period, more than the {MAX_LOAD_CELLS} ploeg writes",
                    period.label(first),
                    period.label(last),
                    self.s.people.len()
                ),
                "check the dates of the earliest and latest phases, or plan in longer periods ([planning] period = \"quarter\")",
            ));
        }
    }

    /// Columns that look like a misspelt cluster id are errors; other extra
    /// columns are kept for the user's own use and ignored.
    fn check_cluster_columns(&mut self, t: &Table, known: &[&str]) {
        for (i, h) in t.headers.iter().enumerate() {
            if known.contains(&h.as_str()) || Cluster::from_id(h).is_some() {
                continue;
            }
            if let Some(c) = Cluster::ALL.iter().find(|c| distance(h, c.id()) <= 2) {
                self.err(
                    InputError::file(
                        &t.file,
                        "unknown cluster column",
                        format!(
                            "did you mean '{}'? The five clusters are opgave, omgeving, chaos, eigenaarschap, verbinden",
                            c.id()
                        ),
                    )
                    .at_line(t.header_line)
                    .in_cell(i + 1, h, h),
                );
            }
        }
    }

    fn discipline_known(&self, d: &str) -> bool {
        self.s.settings.disciplines.is_empty() || self.s.settings.disciplines.iter().any(|k| k == d)
    }

    fn score(&mut self, c: &Cells, name: &str, allow_zero: bool) -> f64 {
        let (min, max) = (self.s.settings.score_min, self.s.settings.score_max);
        match c.number(name, &mut self.errors) {
            Some(v) if allow_zero && v == 0.0 => 0.0,
            Some(v) if v >= min && v <= max => v,
            Some(_) => {
                let zero = if allow_zero { "0 (no need) or " } else { "" };
                self.err(c.error(
                    name,
                    format!("the score is outside the scale {min}–{max}"),
                    format!("use {zero}a value from {min} to {max} (scenario.toml [scale])"),
                ));
                0.0
            }
            None => 0.0,
        }
    }

    fn positive_hours(&mut self, c: &Cells, name: &str, value: Option<f64>) -> f64 {
        match value {
            Some(h) if h > 0.0 && h <= 80.0 => h,
            Some(h) => {
                let msg = if h <= 0.0 {
                    "hours must be more than 0"
                } else {
                    "more than 80 hours per week"
                };
                self.err(c.error(name, msg, "write hours per week, e.g. 32 (0 < hours ≤ 80)"));
                0.0
            }
            None => 0.0,
        }
    }

    /// A whole number from 1 to `max`.
    fn whole(&mut self, c: &Cells, name: &str, default: Option<u32>, max: u32) -> Option<u32> {
        match c.opt_number(name, &mut self.errors) {
            Some(Some(n)) if n >= 1.0 && n.fract() == 0.0 && n <= f64::from(max) => Some(n as u32),
            Some(Some(_)) => {
                self.err(c.error(
                    name,
                    format!("this must be a whole number from 1 to {max}"),
                    "e.g. 1, 2 or 3",
                ));
                default
            }
            _ => default,
        }
    }

    fn people(&mut self, t: &Table) {
        let mut cols: Vec<&str> = PEOPLE_COLUMNS.to_vec();
        cols.extend(Cluster::ALL.iter().map(|c| c.id()));
        let ok = t.require(&cols, &mut self.errors);
        let mut known = cols.clone();
        known.extend(PEOPLE_OPTIONAL);
        self.check_cluster_columns(t, &known);
        if !ok || !t.require_rows(&mut self.errors) {
            return;
        }
        let mut seen = HashMap::new();
        for row in &t.rows {
            let c = Cells::new(t, row);
            let e = &mut self.errors;
            let id = c.required("id", e);
            let name = c.required("name", e);
            let municipality = c.required("municipality", e);
            let organisation = c
                .optional("organisation")
                .or_else(|| municipality.clone())
                .unwrap_or_default();
            let disciplines = split_list(c.text("disciplines"));
            if disciplines.is_empty() {
                self.err(c.error(
                    "disciplines",
                    "a person needs at least one discipline",
                    "list disciplines separated by |, e.g. planeconoom|projectleider",
                ));
            }
            for d in &disciplines {
                if !self.discipline_known(d) {
                    let hint = format!(
                        "declared disciplines: {}",
                        self.s.settings.disciplines.join(", ")
                    );
                    self.err(c.error("disciplines", format!("unknown discipline '{d}'"), hint));
                }
            }
            let hours_v = c.number("hours_per_week", &mut self.errors);
            let hours = self.positive_hours(&c, "hours_per_week", hours_v);
            let from = c.opt_date("available_from", &mut self.errors).flatten();
            let until = c.opt_date("available_until", &mut self.errors).flatten();
            if let (Some(f), Some(u)) = (from, until) {
                if u < f {
                    self.err(c.error(
                        "available_until",
                        format!("availability ends before it starts ({f})"),
                        "available_until must be on or after available_from",
                    ));
                }
            }
            let max_projects = self.whole(&c, "max_projects", None, 1_000);
            let poolable = c
                .boolean("poolable", false, &mut self.errors)
                .unwrap_or(false);
            let mut scores = [0.0; 5];
            for cl in Cluster::ALL {
                scores[cl.index()] = self.score(&c, cl.id(), false);
            }
            let absence = match c.opt_number("absence", &mut self.errors) {
                Some(Some(q)) if (0.0..=1.0).contains(&q) => Some(q),
                Some(Some(_)) => {
                    self.err(c.error(
                        "absence",
                        "absence must lie between 0 and 1",
                        "it is the chance that this person is absent for the planning period, e.g. 0.05; leave it empty for the scenario's default",
                    ));
                    None
                }
                _ => None,
            };
            let Some(id) = id else { continue };
            if let Some(q) = absence {
                self.s.absence.insert(id.clone(), q);
            }
            if let Some(first) = seen.insert(id.clone(), row.line) {
                self.err(c.error(
                    "id",
                    format!("duplicate person id (first on line {first})"),
                    "give every person a unique id",
                ));
                continue;
            }
            self.s.people.push(Person {
                id,
                name: name.unwrap_or_default(),
                organisation,
                municipality: municipality.unwrap_or_default(),
                disciplines,
                hours_per_week: hours,
                available_from: from,
                available_until: until,
                max_projects,
                poolable,
                scores,
                expertise: BTreeMap::new(),
            });
        }
    }

    fn person_index(&self) -> HashMap<String, usize> {
        self.s
            .people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect()
    }

    fn project_index(&self) -> HashMap<String, usize> {
        self.s
            .projects
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect()
    }

    fn unknown(&mut self, c: &Cells, col: &str, what: &str, file: &str) {
        self.err(c.error(
            col,
            format!("no {what} with this id"),
            format!("use an id that appears in {file}"),
        ));
    }

    fn expertise(&mut self, t: &Table) {
        if !t.require(&["person_id", "field", "level"], &mut self.errors) {
            return;
        }
        let people = self.person_index();
        let (min, max) = (self.s.settings.expertise_min, self.s.settings.expertise_max);
        let mut seen = HashMap::new();
        let mut esco_lines: HashMap<String, (String, u64)> = HashMap::new();
        for row in &t.rows {
            let c = Cells::new(t, row);
            let pid = c.required("person_id", &mut self.errors);
            let field = c.required("field", &mut self.errors);
            let level = c.number("level", &mut self.errors);
            if let Some(l) = level {
                if l < min || l > max {
                    self.err(c.error(
                        "level",
                        format!("the level is outside the expertise scale {min}–{max}"),
                        "set [scale] expertise_min/expertise_max in scenario.toml or correct the level",
                    ));
                    continue;
                }
            }
            let uri = c.optional("esco_uri");
            if let Some(u) = &uri {
                if let Err(why) = check_uri(u) {
                    self.err(c.error(
                        "esco_uri",
                        format!("this is not a URI: {why}"),
                        "write the ESCO skill's full URI, e.g. http://data.europa.eu/esco/skill/<id>, or leave the cell empty",
                    ));
                    continue;
                }
            }
            let (Some(pid), Some(field), Some(level)) = (pid, field, level) else {
                continue;
            };
            let Some(&p) = people.get(&pid) else {
                self.unknown(&c, "person_id", "person", "people.csv");
                continue;
            };
            if let Some(u) = uri {
                match esco_lines.get(&field) {
                    Some((known, line)) if *known != u => {
                        self.err(c.error(
                            "esco_uri",
                            format!("'{field}' is linked to another ESCO skill on line {line} ({known})"),
                            "one field has one ESCO skill; use the same URI on every row of the field",
                        ));
                        continue;
                    }
                    Some(_) => {}
                    None => {
                        esco_lines.insert(field.clone(), (u.clone(), row.line));
                        self.s.esco.insert(field.clone(), u);
                    }
                }
            }
            if let Some(first) = seen.insert((p, field.clone()), row.line) {
                self.err(c.error(
                    "field",
                    format!("this person's '{field}' level is already given on line {first}"),
                    "keep one row per person and field",
                ));
                continue;
            }
            self.s.people[p].expertise.insert(field, level);
        }
    }

    fn projects(&mut self, t: &Table) {
        if !t.require(&["id", "name", "municipality"], &mut self.errors)
            || !t.require_rows(&mut self.errors)
        {
            return;
        }
        let mut seen = HashMap::new();
        for row in &t.rows {
            let c = Cells::new(t, row);
            let id = c.required("id", &mut self.errors);
            let municipality = c.required("municipality", &mut self.errors);
            let priority = match c.opt_number("priority", &mut self.errors) {
                Some(Some(p)) if p > 0.0 && p <= 1_000.0 => p,
                Some(Some(_)) => {
                    self.err(c.error(
                        "priority",
                        "priority must be more than 0 and at most 1000",
                        "use e.g. 1 (normal) to 5 (urgent)",
                    ));
                    1.0
                }
                _ => 1.0,
            };
            let max_delay = match c.opt_number("max_delay", &mut self.errors) {
                Some(Some(d)) if d >= 0.0 && d.fract() == 0.0 && d <= 120.0 => Some(d as u32),
                Some(Some(_)) => {
                    self.err(c.error(
                        "max_delay",
                        "max_delay must be a whole number of periods from 0 to 120",
                        "e.g. 3 (the project may start up to three planning periods later); leave it empty for none",
                    ));
                    None
                }
                _ => None,
            };
            let Some(id) = id else { continue };
            if let Some(d) = max_delay.filter(|&d| d > 0) {
                self.s.max_delay.insert(id.clone(), d);
            }
            if let Some(first) = seen.insert(id.clone(), row.line) {
                self.err(c.error(
                    "id",
                    format!("duplicate project id (first on line {first})"),
                    "give every project a unique id",
                ));
                continue;
            }
            self.s.projects.push(Project {
                name: c.optional("name").unwrap_or_else(|| id.clone()),
                id,
                municipality: municipality.unwrap_or_default(),
                area: c.optional("area").unwrap_or_default(),
                priority,
            });
        }
    }

    fn phases(&mut self, t: &Table) {
        let mut cols = vec!["project_id", "phase", "start", "end"];
        cols.extend(Cluster::ALL.iter().map(|c| c.id()));
        let ok = t.require(&cols, &mut self.errors);
        self.check_cluster_columns(t, &cols);
        if !ok || !t.require_rows(&mut self.errors) {
            return;
        }
        let projects = self.project_index();
        let mut seen = HashMap::new();
        for row in &t.rows {
            let c = Cells::new(t, row);
            let pid = c.required("project_id", &mut self.errors);
            let name = c.required("phase", &mut self.errors);
            let start = c.date("start", &mut self.errors);
            let end = c.date("end", &mut self.errors);
            if let (Some(s), Some(e)) = (start, end) {
                if e < s {
                    self.err(c.error(
                        "end",
                        format!("the phase ends before it starts ({s})"),
                        "end must be on or after start",
                    ));
                } else if e.days() - s.days() > MAX_PHASE_DAYS {
                    self.err(c.error(
                        "end",
                        format!("the phase runs more than 30 years (from {s})"),
                        "check the dates; split a programme this long into phases",
                    ));
                }
            }
            let mut needs = [0.0; 5];
            for cl in Cluster::ALL {
                needs[cl.index()] = self.score(&c, cl.id(), true);
            }
            let (Some(pid), Some(name), Some(start), Some(end)) = (pid, name, start, end) else {
                continue;
            };
            let Some(&project) = projects.get(&pid) else {
                self.unknown(&c, "project_id", "project", "projects.csv");
                continue;
            };
            if let Some(first) = seen.insert((project, name.clone()), row.line) {
                self.err(c.error(
                    "phase",
                    format!("this project already has this phase (line {first})"),
                    "give each phase of a project its own name",
                ));
                continue;
            }
            self.s.phases.push(Phase {
                project,
                name,
                start,
                end,
                needs,
            });
        }
    }

    fn roles(&mut self, t: &Table) {
        let cols = [
            "project_id",
            "phase",
            "role",
            "discipline",
            "hours_per_week",
        ];
        if !t.require(&cols, &mut self.errors) || !t.require_rows(&mut self.errors) {
            return;
        }
        let projects = self.project_index();
        let phases: HashMap<(usize, String), usize> = self
            .s
            .phases
            .iter()
            .enumerate()
            .map(|(i, p)| ((p.project, p.name.clone()), i))
            .collect();
        let mut seen = HashMap::new();
        let (emin, emax) = (self.s.settings.expertise_min, self.s.settings.expertise_max);
        for row in &t.rows {
            let c = Cells::new(t, row);
            let pid = c.required("project_id", &mut self.errors);
            let phase = c.required("phase", &mut self.errors);
            let role = c.required("role", &mut self.errors);
            let discipline = c.required("discipline", &mut self.errors);
            if let Some(d) = &discipline {
                if !self.discipline_known(d) {
                    let hint = format!(
                        "declared disciplines: {}",
                        self.s.settings.disciplines.join(", ")
                    );
                    self.err(c.error("discipline", format!("unknown discipline '{d}'"), hint));
                }
            }
            let hours_v = c.number("hours_per_week", &mut self.errors);
            let hours = self.positive_hours(&c, "hours_per_week", hours_v);
            let count = self.whole(&c, "count", Some(1), MAX_COUNT).unwrap_or(1);
            let required = c
                .boolean("required", true, &mut self.errors)
                .unwrap_or(true);
            let expertise = match c.optional("expertise") {
                None => {
                    if c.optional("expertise_level").is_some() {
                        self.err(c.error(
                            "expertise",
                            "an expertise level is given without an expertise field",
                            "fill in the field, e.g. stikstof, or clear the level",
                        ));
                    }
                    None
                }
                Some(field) => match c.opt_number("expertise_level", &mut self.errors) {
                    Some(Some(l)) if l >= emin && l <= emax => {
                        Some(ExpertiseNeed { field, level: l })
                    }
                    Some(Some(_)) => {
                        self.err(c.error(
                            "expertise_level",
                            format!("the level is outside the expertise scale {emin}–{emax}"),
                            "use a level on the expertise scale of scenario.toml",
                        ));
                        None
                    }
                    Some(None) => Some(ExpertiseNeed { field, level: emin }),
                    None => None,
                },
            };
            let (Some(pid), Some(phase), Some(role), Some(discipline)) =
                (pid, phase, role, discipline)
            else {
                continue;
            };
            let Some(&project) = projects.get(&pid) else {
                self.unknown(&c, "project_id", "project", "projects.csv");
                continue;
            };
            let Some(&ph) = phases.get(&(project, phase.clone())) else {
                self.err(c.error(
                    "phase",
                    format!("project '{pid}' has no phase with this name"),
                    "use a phase listed for this project in phases.csv",
                ));
                continue;
            };
            if let Some(first) = seen.insert((ph, role.clone()), row.line) {
                self.err(c.error(
                    "role",
                    format!("this role is already listed for this phase (line {first})"),
                    "use one row with count > 1 for several identical slots",
                ));
                continue;
            }
            self.s.roles.push(Role {
                project,
                phase: ph,
                name: role,
                discipline,
                hours_per_week: hours,
                count,
                expertise,
                required,
            });
        }
    }

    fn pools(&mut self, t: &Table) {
        if !t.require(&["pool", "municipality"], &mut self.errors) {
            return;
        }
        let known: BTreeSet<String> = self.s.municipalities().into_iter().collect();
        let mut pools: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut errs = Vec::new();
        for row in &t.rows {
            let c = Cells::new(t, row);
            let pool = c.required("pool", &mut errs);
            let m = c.required("municipality", &mut errs);
            let (Some(pool), Some(m)) = (pool, m) else {
                continue;
            };
            if !known.contains(&m) {
                errs.push(unknown_municipality(&c));
                continue;
            }
            let members = pools.entry(pool).or_default();
            if members.contains(&m) {
                errs.push(c.error(
                    "municipality",
                    "this municipality is already in this pool",
                    "list each municipality once per pool",
                ));
                continue;
            }
            members.push(m);
        }
        self.errors.extend(errs);
        self.s.pools = pools;
    }

    /// municipalities.csv: the province of each municipality, which the
    /// `region` pooling mode of `ploeg pool` groups by.
    fn municipalities(&mut self, t: &Table) {
        if !t.require(&["municipality", "province"], &mut self.errors) {
            return;
        }
        let known: BTreeSet<String> = self.s.municipalities().into_iter().collect();
        let mut provinces = BTreeMap::new();
        let mut errs = Vec::new();
        for row in &t.rows {
            let c = Cells::new(t, row);
            let m = c.required("municipality", &mut errs);
            let province = c.required("province", &mut errs);
            let (Some(m), Some(province)) = (m, province) else {
                continue;
            };
            if !known.contains(&m) {
                errs.push(unknown_municipality(&c));
                continue;
            }
            if provinces.insert(m, province).is_some() {
                errs.push(c.error(
                    "municipality",
                    "this municipality is listed twice",
                    "give each municipality one row",
                ));
            }
        }
        self.errors.extend(errs);
        self.s.provinces = provinces;
    }

    /// role_profiles.csv: one generic profile per role.
    fn role_profiles(&mut self, t: &Table) {
        let mut cols = vec!["role"];
        cols.extend(Cluster::ALL.iter().map(|c| c.id()));
        let ok = t.require(&cols, &mut self.errors);
        let mut known = cols.clone();
        known.extend(["disciplines", "expertise"]);
        self.check_cluster_columns(t, &known);
        if !ok {
            return;
        }
        let (emin, emax) = (self.s.settings.expertise_min, self.s.settings.expertise_max);
        let mut seen = HashMap::new();
        for row in &t.rows {
            let c = Cells::new(t, row);
            let role = c.required("role", &mut self.errors);
            let mut needs = [0.0; 5];
            for cl in Cluster::ALL {
                needs[cl.index()] = self.score(&c, cl.id(), true);
            }
            let disciplines = split_list(c.text("disciplines"));
            for d in &disciplines {
                if !self.discipline_known(d) {
                    let hint = format!(
                        "declared disciplines: {}",
                        self.s.settings.disciplines.join(", ")
                    );
                    self.err(c.error("disciplines", format!("unknown discipline '{d}'"), hint));
                }
            }
            let mut expertise: Vec<ExpertiseNeed> = Vec::new();
            for part in split_list(c.text("expertise")) {
                let (field, level) = match part.split_once(':') {
                    Some((f, l)) => (f.trim().to_string(), Some(l.trim())),
                    None => (part.clone(), None),
                };
                let level = match level.map(table::parse_number) {
                    None => Some(emin),
                    Some(Some(l)) if l >= emin && l <= emax => Some(l),
                    Some(Some(_)) => {
                        self.err(c.error(
                            "expertise",
                            format!("the level of '{field}' is outside the expertise scale {emin}–{emax}"),
                            "write field:level with a level on the expertise scale of scenario.toml",
                        ));
                        None
                    }
                    Some(None) => {
                        self.err(c.error(
                            "expertise",
                            format!("'{part}' is not field:level"),
                            "write expertise as field:level separated by |, e.g. stikstof:3|KRW:2",
                        ));
                        None
                    }
                };
                if field.is_empty() {
                    self.err(c.error(
                        "expertise",
                        format!("'{part}' has no field before ':'"),
                        "write expertise as field:level, e.g. stikstof:3",
                    ));
                    continue;
                }
                let Some(level) = level else { continue };
                if expertise.iter().any(|e| e.field == field) {
                    self.err(c.error(
                        "expertise",
                        format!("the field '{field}' is listed twice"),
                        "list each field once",
                    ));
                    continue;
                }
                expertise.push(ExpertiseNeed { field, level });
            }
            let Some(role) = role else { continue };
            if let Some(first) = seen.insert(role.clone(), row.line) {
                self.err(c.error(
                    "role",
                    format!("this role already has a profile on line {first}"),
                    "give each role one row",
                ));
                continue;
            }
            self.s.role_profiles.push(RoleProfile {
                role,
                needs,
                disciplines,
                expertise,
            });
        }
    }

    fn preferences(&mut self, t: &Table) {
        if !t.require(&["person_id", "project_id"], &mut self.errors) {
            return;
        }
        let people = self.person_index();
        let projects = self.project_index();
        let mut seen = HashMap::new();
        for row in &t.rows {
            let c = Cells::new(t, row);
            let pid = c.required("person_id", &mut self.errors);
            let jid = c.required("project_id", &mut self.errors);
            let phase = c.optional("phase");
            let role = c.optional("role");
            let allowed = c.boolean("allowed", true, &mut self.errors).unwrap_or(true);
            let weight = match c.opt_number("weight", &mut self.errors).flatten() {
                Some(w) if w.abs() <= 1_000.0 => w,
                Some(_) => {
                    self.err(c.error(
                        "weight",
                        "a preference weight must lie between -1000 and 1000",
                        "e.g. 1 for a mild preference, -1 for a mild objection",
                    ));
                    0.0
                }
                None => 0.0,
            };
            let hours = match c.opt_number("hours", &mut self.errors).flatten() {
                Some(h) if h > 0.0 && h <= 80.0 => Some(h),
                Some(_) => {
                    self.err(c.error(
                        "hours",
                        "hours must be more than 0 and at most 80",
                        "leave empty to keep the slot's hours",
                    ));
                    None
                }
                None => None,
            };
            let (Some(pid), Some(jid)) = (pid, jid) else {
                continue;
            };
            let Some(&person) = people.get(&pid) else {
                self.unknown(&c, "person_id", "person", "people.csv");
                continue;
            };
            let Some(&project) = projects.get(&jid) else {
                self.unknown(&c, "project_id", "project", "projects.csv");
                continue;
            };
            if let Some(ph) = &phase {
                if !self
                    .s
                    .phases
                    .iter()
                    .any(|p| p.project == project && &p.name == ph)
                {
                    self.err(c.error(
                        "phase",
                        format!("project '{jid}' has no phase with this name"),
                        "use a phase from phases.csv or leave it empty",
                    ));
                    continue;
                }
            }
            if let Some(ro) = &role {
                let exists = self.s.roles.iter().any(|r| {
                    r.project == project
                        && &r.name == ro
                        && phase
                            .as_ref()
                            .is_none_or(|ph| self.s.phases[r.phase].name == *ph)
                });
                if !exists {
                    self.err(c.error(
                        "role",
                        format!("project '{jid}' has no role with this name here"),
                        "use a role from roles.csv or leave it empty",
                    ));
                    continue;
                }
            }
            if let Some(first) =
                seen.insert((person, project, phase.clone(), role.clone()), row.line)
            {
                self.err(c.error(
                    "person_id",
                    format!("this pair rule is already given on line {first}"),
                    "keep one row per person, project, phase and role",
                ));
                continue;
            }
            self.s.preferences.push(Preference {
                person,
                project,
                phase,
                role,
                allowed,
                weight,
                hours,
            });
        }
    }
}

/// The shape of an absolute http(s) URI: scheme, a host with a dot, no
/// spaces or quotes. Enough to catch a label or a broken paste in the cell.
fn check_uri(u: &str) -> Result<(), &'static str> {
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .ok_or("it must start with http:// or https://")?;
    if u.chars()
        .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>')
    {
        return Err("it contains a space or a quote");
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let valid_host = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if !valid_host {
        return Err("it has no valid host name");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_shape() {
        assert!(check_uri("http://data.europa.eu/esco/skill/0a1b2c3d-4e5f").is_ok());
        assert!(check_uri("https://example.org").is_ok());
        assert!(check_uri("data.europa.eu/esco/skill/x").is_err());
        assert!(check_uri("http://data europa.eu/x").is_err());
        assert!(check_uri("http://localhost/x").is_err());
        assert!(check_uri("stikstof").is_err());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn io_problems_are_named_in_the_users_words() {
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert!(io_problem("people.csv", &denied)
            .message
            .starts_with("permission denied"));
        let looped = std::io::Error::from_raw_os_error(40);
        assert!(io_problem("roles.csv", &looped)
            .message
            .contains("loop of symbolic links"));
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!(io_problem("x.csv", &missing).message, "the file is missing");
    }

    #[test]
    fn distance_finds_near_misses() {
        assert_eq!(distance("verbinding", "verbinden"), 2);
        assert_eq!(distance("chaos", "chaos"), 0);
        assert!(distance("email", "omgeving") > 2);
    }
}
