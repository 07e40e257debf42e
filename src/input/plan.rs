//! Reads a plan file with the columns of assignments.csv (for example one
//! HR made by hand) into a [`Plan`]. References that do not exist are input
//! errors; rule breaking is the checker's business, not this reader's.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::error::{InputError, InputErrors};
use super::table::{self, Cells, Table};
use crate::domain::Scenario;
use crate::plan::ordered::Hours;
use crate::plan::{Assignment, Plan};

pub fn load_plan(s: &Scenario, path: &Path) -> Result<Plan, InputErrors> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| path.display().to_string());
    let bytes = super::read_file(path, &name).map_err(|e| InputErrors::single(*e))?;
    let text = table::decode(&bytes)
        .map_err(|m| InputErrors::single(InputError::file(&name, m, "save the plan as CSV")))?;
    let t = Table::parse(&name, &text).map_err(InputErrors)?;
    parse_plan(s, &t)
}

pub fn parse_plan(s: &Scenario, t: &Table) -> Result<Plan, InputErrors> {
    let mut errors = Vec::new();
    if !t.require(&["project_id", "phase", "role", "person_id"], &mut errors) {
        return Err(InputErrors(errors));
    }
    let people: HashMap<&str, usize> = s
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let mut roles: HashMap<(&str, &str, &str), usize> = HashMap::new();
    for (i, r) in s.roles.iter().enumerate() {
        roles.insert(
            (
                s.projects[r.project].id.as_str(),
                s.phases[r.phase].name.as_str(),
                r.name.as_str(),
            ),
            i,
        );
    }
    let mut next_slot: BTreeMap<usize, u32> = BTreeMap::new();
    let mut plan = Plan::default();
    for row in &t.rows {
        let c = Cells::new(t, row);
        let (Some(project), Some(phase), Some(role), Some(person)) = (
            c.required("project_id", &mut errors),
            c.required("phase", &mut errors),
            c.required("role", &mut errors),
            c.required("person_id", &mut errors),
        ) else {
            continue;
        };
        let Some(&pi) = people.get(person.as_str()) else {
            errors.push(c.error(
                "person_id",
                "no person with this id in the scenario",
                "use an id from people.csv",
            ));
            continue;
        };
        let Some(&ri) = roles.get(&(project.as_str(), phase.as_str(), role.as_str())) else {
            errors.push(c.error(
                "role",
                format!("the scenario has no role '{role}' in {project} / {phase}"),
                "use project_id, phase and role as in roles.csv",
            ));
            continue;
        };
        let slot = match c.opt_number("slot", &mut errors) {
            Some(Some(n)) if n >= 1.0 && n.fract() == 0.0 => n as u32,
            Some(Some(_)) => {
                errors.push(c.error(
                    "slot",
                    "the slot must be a whole number from 1",
                    "number the slots of a role 1, 2, …",
                ));
                continue;
            }
            Some(None) => {
                let n = next_slot.entry(ri).or_insert(0);
                *n += 1;
                *n
            }
            None => continue,
        };
        let hours = match c.opt_number("hours_per_week", &mut errors) {
            Some(h) => h.map(Hours::from_f64),
            None => continue,
        };
        plan.assignments.push(Assignment {
            role: ri,
            slot,
            person: pi,
            hours,
            line: Some(row.line),
        });
    }
    if errors.is_empty() {
        Ok(plan)
    } else {
        Err(InputErrors(errors))
    }
}
