//! The staffing plan: who fills which slot. Independent of how it was made
//! (solver, heuristic or by hand); [`check`] tests it against every hard rule
//! and [`score`] measures it with the objective components.

pub mod check;
pub mod score;
pub mod time;

use crate::domain::Scenario;

/// One person in one slot of a role line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Assignment {
    pub role: usize,
    /// 1-based slot number within the role line's count.
    pub slot: u32,
    pub person: usize,
    /// Hours per week as written in the plan, when read from a file.
    pub hours: Option<ordered::Hours>,
    /// Line in the plan file, when read from one.
    pub line: Option<u64>,
}

pub mod ordered {
    //! Hours as an orderable value (hundredths of an hour).
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub struct Hours(pub i64);

    impl Hours {
        pub fn from_f64(h: f64) -> Hours {
            Hours((h * 100.0).round() as i64)
        }

        pub fn get(self) -> f64 {
            self.0 as f64 / 100.0
        }
    }
}

/// A staffing plan.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    pub assignments: Vec<Assignment>,
}

impl Plan {
    /// Builds a plan from (person, role) choices, numbering slots per role
    /// line in a stable order.
    pub fn from_pairs(mut pairs: Vec<(usize, usize)>) -> Plan {
        pairs.sort_by_key(|&(p, r)| (r, p));
        let mut assignments = Vec::with_capacity(pairs.len());
        let mut last_role = usize::MAX;
        let mut slot = 0;
        for (person, role) in pairs {
            if role != last_role {
                last_role = role;
                slot = 0;
            }
            slot += 1;
            assignments.push(Assignment {
                role,
                slot,
                person,
                hours: None,
                line: None,
            });
        }
        Plan { assignments }
    }

    /// Sorted by role line and slot.
    pub fn normalise(&mut self) {
        self.assignments.sort();
    }

    /// The hours a person spends in a role line: the pair override, else the
    /// role's hours.
    pub fn pair_hours(s: &Scenario, person: usize, role: usize) -> f64 {
        s.preference_for(person, role)
            .and_then(|p| p.hours)
            .unwrap_or(s.roles[role].hours_per_week)
    }
}

/// Small plans by name, for the unit tests of the modules that read plans.
#[cfg(test)]
pub mod fixture {
    use super::Assignment;
    use crate::domain::Scenario;

    /// tests/data/small: two municipalities, two projects.
    pub fn small() -> Scenario {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/small");
        crate::input::load(&dir).expect("the small scenario loads")
    }

    /// Slot 1 of the role line `project / phase / role` for `person`.
    pub fn assign(
        s: &Scenario,
        person: &str,
        project: &str,
        phase: &str,
        role: &str,
    ) -> Assignment {
        let role = s
            .roles
            .iter()
            .position(|r| {
                s.projects[r.project].id == project
                    && s.phases[r.phase].name == phase
                    && r.name == role
            })
            .expect("role exists");
        let person = s
            .people
            .iter()
            .position(|p| p.id == person)
            .expect("person");
        Assignment {
            role,
            slot: 1,
            person,
            hours: None,
            line: None,
        }
    }
}
