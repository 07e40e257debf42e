//! Profiles against needs: a person (or a candidate) against the generic
//! role profiles of role_profiles.csv — per-cluster gap, discipline and
//! expertise match — and a phase team's covered level (the best member per
//! cluster) against the phase's needs. Also where "the current plan" comes
//! from when a command needs one: a plan file, or a heuristic solve.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::domain::{Cluster, Person, RoleProfile, Scenario};
use crate::input::{InputError, InputErrors};
use crate::plan::Plan;
use crate::solve::{self, Backend, SolveOptions};

/// One cluster: what is needed, what is there, and the shortfall.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClusterGap {
    pub cluster: &'static str,
    /// Need level; 0 = no need.
    pub need: f64,
    /// The person's score, or the team's best score (`None` for an empty team).
    pub level: Option<f64>,
    /// max(0, need − level) when there is a need, else 0.
    pub gap: f64,
}

/// Rounds away float noise (6 decimals) so that 7 − 5.7 reads 1.3.
pub fn clean(v: f64) -> f64 {
    (v * 1e6).round() / 1e6 + 0.0
}

impl ClusterGap {
    pub fn new(c: Cluster, need: f64, level: Option<f64>) -> ClusterGap {
        let gap = if need > 0.0 {
            clean((need - level.unwrap_or(0.0)).max(0.0))
        } else {
            0.0
        };
        ClusterGap {
            cluster: c.id(),
            need,
            level,
            gap,
        }
    }

    /// `-` for no need, `ok` when met, else the gap.
    pub fn cell(&self) -> String {
        if self.need <= 0.0 {
            "-".into()
        } else if self.gap <= 1e-9 {
            "ok".into()
        } else {
            format!("{:.1}", self.gap)
        }
    }
}

/// One expertise field a role asks for.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExpertiseMatch {
    pub field: String,
    pub need: f64,
    pub has: Option<f64>,
    pub met: bool,
}

/// A person against one role profile.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoleFit {
    pub role: String,
    /// The person has one of the role's disciplines (true when it names none).
    pub discipline: bool,
    pub expertise: Vec<ExpertiseMatch>,
    pub clusters: Vec<ClusterGap>,
    /// Sum of the cluster gaps.
    pub total_gap: f64,
    /// Sum over expertise fields of max(0, need − level), a missing field
    /// counting as its full need.
    pub expertise_shortfall: f64,
    /// Discipline and every expertise field met: the person can fill the role.
    pub fills: bool,
}

impl RoleFit {
    pub fn expertise_met(&self) -> usize {
        self.expertise.iter().filter(|e| e.met).count()
    }

    /// `2/2`, or `1/2 (missing kostenverhaal)`; `-` when none is asked.
    pub fn expertise_cell(&self) -> String {
        if self.expertise.is_empty() {
            return "-".into();
        }
        let missing: Vec<String> = self
            .expertise
            .iter()
            .filter(|e| !e.met)
            .map(|e| match e.has {
                Some(h) => format!("{} {}<{}", e.field, num(h), num(e.need)),
                None => e.field.clone(),
            })
            .collect();
        let base = format!("{}/{}", self.expertise_met(), self.expertise.len());
        if missing.is_empty() {
            base
        } else {
            format!("{base} (short: {})", missing.join(", "))
        }
    }
}

/// A number with at most two decimals, as in the reports.
pub fn num(v: f64) -> String {
    crate::assess::fmt_num(v)
}

/// A person's profile against a role profile.
pub fn role_fit(person: &Person, role: &RoleProfile) -> RoleFit {
    let discipline =
        role.disciplines.is_empty() || role.disciplines.iter().any(|d| person.has_discipline(d));
    let expertise: Vec<ExpertiseMatch> = role
        .expertise
        .iter()
        .map(|e| {
            let has = person.expertise_level(&e.field);
            ExpertiseMatch {
                field: e.field.clone(),
                need: e.level,
                has,
                met: has.is_some_and(|h| h >= e.level),
            }
        })
        .collect();
    let clusters: Vec<ClusterGap> = Cluster::ALL
        .iter()
        .map(|&c| ClusterGap::new(c, role.needs[c.index()], Some(person.scores[c.index()])))
        .collect();
    let total_gap = clean(clusters.iter().map(|g| g.gap).sum());
    let expertise_shortfall = clean(
        expertise
            .iter()
            .map(|e| (e.need - e.has.unwrap_or(0.0)).max(0.0))
            .sum(),
    );
    let fills = discipline && expertise.iter().all(|e| e.met);
    RoleFit {
        role: role.role.clone(),
        discipline,
        expertise,
        clusters,
        total_gap,
        expertise_shortfall,
        fills,
    }
}

/// Best first: roles the person can fill, then smaller cluster gap, then
/// smaller expertise shortfall, then name.
pub fn compare(a: &RoleFit, b: &RoleFit) -> std::cmp::Ordering {
    b.fills
        .cmp(&a.fills)
        .then(a.total_gap.total_cmp(&b.total_gap))
        .then(a.expertise_shortfall.total_cmp(&b.expertise_shortfall))
        .then(a.role.cmp(&b.role))
}

/// How the model itself judges a person for the role lines of one role:
/// the test every plan is built with, so a line it calls eligible is one a
/// plan may give them.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LinesFit {
    /// Role lines of this role in the scenario.
    pub lines: usize,
    /// Of those, the lines the person may take.
    pub eligible: usize,
    /// The first line they may take, "project name (id) / phase".
    pub first_eligible: Option<String>,
    /// Every line they may take, by project id and phase.
    pub eligible_lines: Vec<LineRef>,
    /// The first line they may not take, and the rule that stops them.
    pub first_refused: Option<(String, &'static str)>,
}

/// A role line's phase, by ids.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LineRef {
    pub project_id: String,
    pub phase: String,
}

/// The model's eligibility test for person `person` (an index of
/// `s.people`) on every role line named `role`.
pub fn lines_fit(s: &Scenario, person: usize, role: &str) -> LinesFit {
    let prefs = crate::model::PreferenceIndex::new(s);
    let mut f = LinesFit::default();
    for (ri, r) in s.roles.iter().enumerate().filter(|(_, r)| r.name == role) {
        f.lines += 1;
        let line = s.phase_label(r.phase);
        match crate::model::eligibility(s, &prefs, person, ri) {
            Ok(_) => {
                f.eligible += 1;
                f.first_eligible.get_or_insert(line);
                f.eligible_lines.push(LineRef {
                    project_id: s.projects[r.project].id.clone(),
                    phase: s.phases[r.phase].name.clone(),
                });
            }
            Err(why) => {
                f.first_refused.get_or_insert((line, why.key()));
            }
        }
    }
    f
}

/// A person against every role profile of the scenario, best first.
pub fn person_against_roles(s: &Scenario, person: &Person) -> Vec<RoleFit> {
    let mut v: Vec<RoleFit> = s
        .role_profiles
        .iter()
        .map(|r| role_fit(person, r))
        .collect();
    v.sort_by(compare);
    v
}

/// A member of a phase team.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Member {
    pub person_id: String,
    pub name: String,
    pub role: String,
    pub municipality: String,
    pub scores: [f64; 5],
}

/// A phase team against the phase's needs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TeamCoverage {
    pub project_id: String,
    pub project: String,
    pub phase: String,
    pub start: String,
    pub end: String,
    pub members: Vec<Member>,
    /// Per cluster: need, best member score, gap.
    pub clusters: Vec<ClusterGap>,
    /// Per cluster: the member(s) with the best score.
    pub best: Vec<Vec<String>>,
    pub total_gap: f64,
    pub needs: usize,
    pub needs_covered: usize,
}

/// The team of phase `phase` under `plan`, against its needs.
pub fn team(s: &Scenario, plan: &Plan, phase: usize) -> TeamCoverage {
    let ph = &s.phases[phase];
    let project = &s.projects[ph.project];
    let mut seen = BTreeSet::new();
    let mut members = Vec::new();
    let mut assignments: Vec<_> = plan
        .assignments
        .iter()
        .filter(|a| s.roles[a.role].phase == phase)
        .collect();
    assignments.sort_by_key(|a| (a.role, a.slot));
    for a in assignments {
        if !seen.insert(a.person) {
            continue;
        }
        let p = &s.people[a.person];
        members.push(Member {
            person_id: p.id.clone(),
            name: p.name.clone(),
            role: s.roles[a.role].name.clone(),
            municipality: p.municipality.clone(),
            scores: p.scores,
        });
    }
    let mut clusters = Vec::new();
    let mut best = Vec::new();
    for c in Cluster::ALL {
        let k = c.index();
        let top = members
            .iter()
            .map(|m| m.scores[k])
            .fold(None, |acc: Option<f64>, v| {
                Some(acc.map_or(v, |a| a.max(v)))
            });
        clusters.push(ClusterGap::new(c, ph.needs[k], top));
        best.push(
            members
                .iter()
                .filter(|m| Some(m.scores[k]) == top)
                .map(|m| m.person_id.clone())
                .collect(),
        );
    }
    let needs = clusters.iter().filter(|g| g.need > 0.0).count();
    let needs_covered = clusters
        .iter()
        .filter(|g| g.need > 0.0 && g.gap <= 1e-9)
        .count();
    TeamCoverage {
        project_id: project.id.clone(),
        project: project.name.clone(),
        phase: ph.name.clone(),
        start: ph.start.to_string(),
        end: ph.end.to_string(),
        total_gap: clean(clusters.iter().map(|g| g.gap).sum()),
        members,
        clusters,
        best,
        needs,
        needs_covered,
    }
}

/// Finds `PROJECT:PHASE` (split at the first colon; ids and names exact).
pub fn find_phase(s: &Scenario, spec: &str) -> Result<usize, String> {
    let Some((pid, name)) = spec.split_once(':') else {
        return Err(format!(
            "'{spec}' is not PROJECT:PHASE (e.g. j01:verkenning)"
        ));
    };
    let (pid, name) = (pid.trim(), name.trim());
    let Some(project) = s.projects.iter().position(|p| p.id == pid) else {
        let ids: Vec<&str> = s.projects.iter().map(|p| p.id.as_str()).collect();
        return Err(format!(
            "no project '{pid}'; the projects are {}",
            ids.join(", ")
        ));
    };
    s.phases
        .iter()
        .position(|f| f.project == project && f.name == name)
        .ok_or_else(|| {
            let names: Vec<&str> = s
                .phases
                .iter()
                .filter(|f| f.project == project)
                .map(|f| f.name.as_str())
                .collect();
            format!(
                "project '{pid}' has no phase '{name}'; its phases are {}",
                names.join(", ")
            )
        })
}

/// Options for a heuristic-only solve (construction and local search, no
/// MILP): fast and deterministic unless the scenario's time limit cuts it.
pub fn heuristic_options(s: &Scenario) -> SolveOptions {
    SolveOptions {
        backend: Backend::Microlp,
        time_limit_s: s.settings.time_limit_s,
        mip_gap: s.settings.mip_gap,
        decompose: true,
        heuristic_only: true,
        warm_start: None,
        patience: crate::solve::heuristic::PATIENCE,
        max_milp_nonzeros: crate::solve::MAX_MILP_NONZEROS,
        deadline: None,
        work: None,
    }
}

/// Where a command's "current plan" came from.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanSource {
    /// A plan file (assignments.csv of `ploeg solve` or one made by hand).
    File(String),
    /// A heuristic-only solve of the scenario.
    Heuristic,
}

impl PlanSource {
    pub fn describe(&self) -> String {
        match self {
            PlanSource::File(f) => format!("plan {f}"),
            PlanSource::Heuristic => "heuristic plan (no --plan given)".into(),
        }
    }
}

/// The plan in `path` (a folder holding assignments.csv, or a plan file),
/// or a heuristic solve of the scenario when there is none.
pub fn current_plan(s: &Scenario, path: Option<&Path>) -> Result<(Plan, PlanSource), InputErrors> {
    match path {
        Some(p) => {
            let file: PathBuf = if p.is_dir() {
                p.join("assignments.csv")
            } else {
                p.to_path_buf()
            };
            if !file.is_file() {
                return Err(InputErrors::single(InputError::file(
                    &file.display().to_string(),
                    "the plan does not exist",
                    "give the --out folder of `ploeg solve` or a CSV with the columns of assignments.csv",
                )));
            }
            let plan = crate::input::plan::load_plan(s, &file)?;
            Ok((plan, PlanSource::File(file.display().to_string())))
        }
        None => Ok((
            solve::solve(s, &heuristic_options(s)).plan,
            PlanSource::Heuristic,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ExpertiseNeed;
    use std::collections::BTreeMap;

    fn person(scores: [f64; 5], disciplines: &[&str], expertise: &[(&str, f64)]) -> Person {
        Person {
            id: "p1".into(),
            name: "Anna".into(),
            organisation: "Oss".into(),
            municipality: "Oss".into(),
            disciplines: disciplines.iter().map(|d| d.to_string()).collect(),
            hours_per_week: 32.0,
            available_from: None,
            available_until: None,
            max_projects: None,
            poolable: false,
            scores,
            expertise: expertise
                .iter()
                .map(|(f, l)| (f.to_string(), *l))
                .collect::<BTreeMap<_, _>>(),
        }
    }

    fn role() -> RoleProfile {
        RoleProfile {
            role: "planeconoom".into(),
            needs: [7.0, 0.0, 5.0, 6.0, 8.0],
            disciplines: vec!["planeconoom".into()],
            expertise: vec![
                ExpertiseNeed {
                    field: "grondexploitatie".into(),
                    level: 3.0,
                },
                ExpertiseNeed {
                    field: "kostenverhaal".into(),
                    level: 2.0,
                },
            ],
        }
    }

    #[test]
    fn gaps_count_only_shortfalls_on_needed_clusters() {
        let p = person(
            [6.0, 2.0, 9.0, 6.0, 5.5],
            &["planeconoom"],
            &[("grondexploitatie", 4.0), ("kostenverhaal", 1.0)],
        );
        let f = role_fit(&p, &role());
        let gaps: Vec<f64> = f.clusters.iter().map(|g| g.gap).collect();
        assert_eq!(gaps, vec![1.0, 0.0, 0.0, 0.0, 2.5]);
        assert_eq!(f.total_gap, 3.5);
        assert!(f.discipline);
        assert!(!f.fills, "kostenverhaal 1 < 2");
        assert_eq!(f.expertise_shortfall, 1.0);
        assert_eq!(f.expertise_cell(), "1/2 (short: kostenverhaal 1<2)");
        assert_eq!(
            f.clusters.iter().map(ClusterGap::cell).collect::<Vec<_>>(),
            vec!["1.0", "-", "ok", "ok", "2.5"]
        );
    }

    #[test]
    fn roles_the_person_can_fill_come_first() {
        let p = person([9.0; 5], &["jurist"], &[]);
        let mut other = role();
        other.role = "jurist".into();
        other.disciplines = vec!["jurist".into()];
        other.expertise.clear();
        other.needs = [10.0; 5];
        let mut fits = [role_fit(&p, &role()), role_fit(&p, &other)];
        fits.sort_by(compare);
        assert_eq!(fits[0].role, "jurist");
        assert!(fits[0].fills && fits[0].total_gap == 5.0);
        assert!(!fits[1].fills && fits[1].total_gap == 0.0);
    }
}
