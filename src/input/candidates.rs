//! candidates.csv for `ploeg rank`: the columns of people.csv (the
//! municipality and organisation may be left out: they default to the
//! municipality the candidate would be hired in) plus an optional
//! `expertise` column of `field:level|…`. Checked with the same rules as
//! people.csv, against the scenario's scales and disciplines.

use std::collections::HashSet;
use std::path::Path;

use super::error::InputErrors;
use super::table::{parse_number, split_list, Cells, Table};
use super::{read_table, Builder};
use crate::domain::{Person, Scenario};

/// Reads candidates for a scenario; `municipality` fills empty or missing
/// municipality cells.
pub fn load_candidates(
    path: &Path,
    s: &Scenario,
    municipality: &str,
) -> Result<Vec<Person>, InputErrors> {
    let t = read_table(path)?;
    parse_candidates(t, s, municipality)
}

pub fn parse_candidates(
    mut t: Table,
    s: &Scenario,
    municipality: &str,
) -> Result<Vec<Person>, InputErrors> {
    // Missing columns are added with their default, so the people rules apply.
    for (col, value) in [("municipality", municipality), ("organisation", "")] {
        match t.column(col) {
            Some(i) => {
                if col == "municipality" {
                    for r in &mut t.rows {
                        if r.fields[i].is_empty() {
                            r.fields[i] = value.to_string();
                        }
                    }
                }
            }
            None => {
                t.headers.push(col.to_string());
                for r in &mut t.rows {
                    r.fields.push(value.to_string());
                }
            }
        }
    }
    let mut b = Builder {
        s: Scenario {
            settings: s.settings.clone(),
            ..Scenario::default()
        },
        errors: Vec::new(),
    };
    b.people(&t);
    let mut errors = b.errors;
    let mut people = b.s.people;
    let existing: HashSet<&str> = s.people.iter().map(|p| p.id.as_str()).collect();
    let (emin, emax) = (s.settings.expertise_min, s.settings.expertise_max);
    for row in &t.rows {
        let c = Cells::new(&t, row);
        let id = c.text("id");
        if existing.contains(id) {
            errors.push(c.error(
                "id",
                "a person in the scenario already has this id",
                "give candidates ids of their own, e.g. c01, c02, …",
            ));
        }
        let Some(person) = people.iter_mut().find(|p| p.id == id) else {
            continue;
        };
        for part in split_list(c.text("expertise")) {
            let (field, level) = match part.split_once(':') {
                Some((f, l)) => (f.trim().to_string(), parse_number(l)),
                None => (part.clone(), Some(emin)),
            };
            match level {
                _ if field.is_empty() => errors.push(c.error(
                    "expertise",
                    format!("'{part}' has no field before ':'"),
                    "write expertise as field:level, e.g. stikstof:3|KRW:2",
                )),
                Some(l) if l >= emin && l <= emax => {
                    if person.expertise.insert(field.clone(), l).is_some() {
                        errors.push(c.error(
                            "expertise",
                            format!("the field '{field}' is listed twice"),
                            "list each field once",
                        ));
                    }
                }
                Some(_) => errors.push(c.error(
                    "expertise",
                    format!("the level of '{field}' is outside the expertise scale {emin}–{emax}"),
                    "use a level on the expertise scale of scenario.toml",
                )),
                None => errors.push(c.error(
                    "expertise",
                    format!("'{part}' is not field:level"),
                    "write expertise as field:level, e.g. stikstof:3|KRW:2",
                )),
            }
        }
    }
    if errors.is_empty() {
        Ok(std::mem::take(&mut people))
    } else {
        errors.sort_by_key(|e| e.line.unwrap_or(u64::MAX));
        Err(InputErrors(errors))
    }
}
