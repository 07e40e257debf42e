//! The items file: raw assessment results, long (`person_id,item,score`,
//! one row per answer) or wide (`person_id` and one column per item). The
//! form is recognised from the header. Every score is checked against its
//! item in the mapping; problems are collected with file, line and column.

use std::collections::{HashMap, HashSet};

use super::mapping::Mapping;
use crate::input::error::InputError;
use crate::input::table::{Cells, Table};

/// Past this many problems only a count is reported: a file with one
/// systematic mistake would otherwise print thousands of lines. With the
/// count's own line, a message lists at most `MAX_LISTED` problems.
const MAX_ERRORS: usize = crate::input::error::MAX_LISTED - 1;

/// How the items file is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `person_id,item,score`: one row per person and item.
    Long,
    /// `person_id` plus one column per item: one row per person.
    Wide,
}

impl Form {
    pub fn id(self) -> &'static str {
        match self {
            Form::Long => "long",
            Form::Wide => "wide",
        }
    }

    /// Long when the header has `item` and `score`, else wide.
    pub fn of(t: &Table) -> Form {
        if t.column("item").is_some() && t.column("score").is_some() {
            Form::Long
        } else {
            Form::Wide
        }
    }
}

/// One person's answers: a value per mapping item (`NaN` = not answered).
#[derive(Clone, Debug, PartialEq)]
pub struct Answers {
    pub person_id: String,
    /// Line where the person first appears.
    pub line: u64,
    pub values: Vec<f64>,
}

/// What the items file holds, per person in order of first appearance.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemScores {
    pub file: String,
    pub form: Form,
    pub answers: Vec<Answers>,
    /// Items the mapping does not know (kept out with `--ignore-unmapped`).
    pub ignored_items: Vec<String>,
}

struct Collector {
    errors: Vec<InputError>,
    more: usize,
}

impl Collector {
    fn push(&mut self, e: InputError) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(e);
        } else {
            self.more += 1;
        }
    }

    fn finish(mut self, file: &str) -> Vec<InputError> {
        if self.more > 0 {
            self.errors.push(InputError::file(
                file,
                format!("{} more problems are not shown", self.more),
                "fix the problems above and run again",
            ));
        }
        self.errors
    }
}

/// Reads the items table against the mapping. `known` (file name, ids)
/// makes person ids missing from that people file an error.
pub fn parse(
    t: &Table,
    m: &Mapping,
    ignore_unmapped: bool,
    known: Option<(&str, &HashSet<String>)>,
) -> Result<ItemScores, Vec<InputError>> {
    let mut errs = Vec::new();
    if !t.require(&["person_id"], &mut errs) || !t.require_rows(&mut errs) {
        return Err(errs);
    }
    let form = Form::of(t);
    let mut c = Collector {
        errors: errs,
        more: 0,
    };
    let pid_col = t.column("person_id").unwrap_or(0);
    let n = m.items.len();
    let mut people: HashMap<String, usize> = HashMap::new();
    let mut answers: Vec<Answers> = Vec::new();
    // Line of each answer, to name the first of a duplicate (0 = none).
    let mut lines: Vec<Vec<u32>> = Vec::new();
    let mut ignored: Vec<String> = Vec::new();
    let mut unknown_people: HashSet<String> = HashSet::new();
    let mut person = |pid: &str,
                      line: u64,
                      answers: &mut Vec<Answers>,
                      lines: &mut Vec<Vec<u32>>|
     -> (usize, bool) {
        match people.get(pid) {
            Some(&i) => (i, false),
            None => {
                people.insert(pid.to_string(), answers.len());
                answers.push(Answers {
                    person_id: pid.to_string(),
                    line,
                    values: vec![f64::NAN; n],
                });
                lines.push(if form == Form::Long {
                    vec![0; n]
                } else {
                    Vec::new()
                });
                (answers.len() - 1, true)
            }
        }
    };
    let mut check_known = |cells: &Cells, pid: &str, c: &mut Collector| {
        if let Some((file, ids)) = known {
            if !ids.contains(pid) && unknown_people.insert(pid.to_string()) {
                c.push(cells.error(
                    "person_id",
                    format!("no person with this id in {file}"),
                    format!("use the ids of {file}, or add the person there first"),
                ));
            }
        }
    };
    match form {
        Form::Long => {
            let item_col = t.column("item").unwrap_or(0);
            let score_col = t.column("score").unwrap_or(0);
            // Unmapped item → (first line, rows).
            let mut unmapped: Vec<(String, u64, usize)> = Vec::new();
            let mut unmapped_at: HashMap<String, usize> = HashMap::new();
            // Item names repeat on every person's rows: look each spelling up once.
            let mut lookup: HashMap<&str, Option<usize>> = HashMap::new();
            for row in &t.rows {
                let cells = Cells::new(t, row);
                let pid = row.fields[pid_col].as_str();
                let item = row.fields[item_col].as_str();
                let score = row.fields[score_col].as_str();
                if pid.is_empty() {
                    c.push(cells.error(
                        "person_id",
                        "this cell is empty",
                        "fill in the person's id",
                    ));
                    continue;
                }
                if item.is_empty() {
                    c.push(cells.error("item", "this cell is empty", "fill in the item name"));
                    continue;
                }
                check_known(&cells, pid, &mut c);
                let Some(k) = *lookup.entry(item).or_insert_with(|| m.get(item)) else {
                    let key = item.to_lowercase();
                    match unmapped_at.get(&key) {
                        Some(&u) => unmapped[u].2 += 1,
                        None => {
                            unmapped_at.insert(key, unmapped.len());
                            unmapped.push((item.to_string(), row.line, 1));
                        }
                    }
                    continue;
                };
                let (p, _) = person(pid, row.line, &mut answers, &mut lines);
                if score.is_empty() {
                    continue; // not answered
                }
                let first = lines[p][k];
                if first != 0 {
                    c.push(cells.error(
                        "item",
                        format!("person '{pid}' already has a score for this item on line {first}"),
                        "keep one score per person and item",
                    ));
                    continue;
                }
                lines[p][k] = row.line.min(u64::from(u32::MAX)) as u32;
                match m.items[k].value(score) {
                    Ok(v) => answers[p].values[k] = v,
                    Err((msg, hint)) => c.push(cells.error("score", msg, hint)),
                }
            }
            for (item, line, rows) in unmapped {
                if ignore_unmapped {
                    ignored.push(item);
                    continue;
                }
                let rows_note = if rows > 1 {
                    format!(" ({rows} rows)")
                } else {
                    String::new()
                };
                let e = InputError::file(
                    &t.file,
                    format!("the item is not in the mapping {}{rows_note}", m.file),
                    "add it to the mapping, correct its name, or pass --ignore-unmapped to leave it out",
                )
                .at_line(line)
                .in_cell(item_col + 1, "item", &item);
                c.push(e);
            }
        }
        Form::Wide => {
            // Column → mapping item.
            let mut cols: Vec<(usize, usize)> = Vec::new();
            for (i, h) in t.headers.iter().enumerate() {
                if i == pid_col || h.is_empty() {
                    continue;
                }
                match m.get(h) {
                    Some(k) => cols.push((i, k)),
                    None if h == "name" => {}
                    None if ignore_unmapped => ignored.push(h.clone()),
                    None => c.push(
                        InputError::file(
                            &t.file,
                            format!("the item column is not in the mapping {}", m.file),
                            "add the item to the mapping, correct the column name, or pass --ignore-unmapped to leave it out",
                        )
                        .at_line(t.header_line)
                        .in_cell(i + 1, h, h),
                    ),
                }
            }
            let mut seen_row: HashMap<String, u64> = HashMap::new();
            for row in &t.rows {
                let cells = Cells::new(t, row);
                let pid = row.fields[pid_col].as_str();
                if pid.is_empty() {
                    c.push(cells.error(
                        "person_id",
                        "this cell is empty",
                        "fill in the person's id",
                    ));
                    continue;
                }
                if let Some(first) = seen_row.insert(pid.to_string(), row.line) {
                    c.push(cells.error(
                        "person_id",
                        format!("this person already has a row on line {first}: every item would be scored twice"),
                        "keep one row per person in a wide items file",
                    ));
                    continue;
                }
                check_known(&cells, pid, &mut c);
                let (p, _) = person(pid, row.line, &mut answers, &mut lines);
                for &(col, k) in &cols {
                    let cell = row.fields[col].as_str();
                    if cell.is_empty() {
                        continue;
                    }
                    match m.items[k].value(cell) {
                        Ok(v) => answers[p].values[k] = v,
                        Err((msg, hint)) => {
                            let h = &t.headers[col];
                            c.push(
                                InputError::file(&t.file, msg, hint)
                                    .at_line(row.line)
                                    .in_cell(col + 1, h, cell),
                            )
                        }
                    }
                }
            }
        }
    }
    if !c.errors.is_empty() || c.more > 0 {
        return Err(c.finish(&t.file));
    }
    Ok(ItemScores {
        file: t.file.clone(),
        form,
        answers,
        ignored_items: ignored,
    })
}
