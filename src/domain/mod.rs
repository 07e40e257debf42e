//! The domain model: people, projects, phases, role slots, pools and pair
//! preferences, as a validated [`Scenario`] that every later stage reads.
//!
//! Everything here is plain data with indices into the scenario's vectors;
//! building it from files (and refusing bad files) is `input`'s job.

mod date;
mod rule;

pub use date::Date;
pub use rule::Rule;

use std::collections::BTreeMap;
use std::fmt;

/// The five competency clusters of "the new developer" (fixed ids).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Cluster {
    Opgave,
    Omgeving,
    Chaos,
    Eigenaarschap,
    Verbinden,
}

impl Cluster {
    pub const ALL: [Cluster; 5] = [
        Cluster::Opgave,
        Cluster::Omgeving,
        Cluster::Chaos,
        Cluster::Eigenaarschap,
        Cluster::Verbinden,
    ];

    /// The id used in files and output.
    pub fn id(self) -> &'static str {
        match self {
            Cluster::Opgave => "opgave",
            Cluster::Omgeving => "omgeving",
            Cluster::Chaos => "chaos",
            Cluster::Eigenaarschap => "eigenaarschap",
            Cluster::Verbinden => "verbinden",
        }
    }

    /// The workbook's name for the cluster.
    pub fn workbook_name(self) -> &'static str {
        match self {
            Cluster::Opgave => "De opgave centraal stellen",
            Cluster::Omgeving => "Omgevingssensitief zijn",
            Cluster::Chaos => "Van chaos houden, creatief en innovatief",
            Cluster::Eigenaarschap => "Eigenaarschap en strategisch leiderschap",
            Cluster::Verbinden => "Disciplines en organisaties verbinden",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_id(id: &str) -> Option<Cluster> {
        Cluster::ALL.into_iter().find(|c| c.id() == id)
    }
}

impl fmt::Display for Cluster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Scores per cluster, indexed by [`Cluster::index`].
pub type ClusterScores = [f64; 5];

/// A member of staff with a competence profile.
#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub organisation: String,
    pub municipality: String,
    pub disciplines: Vec<String>,
    pub hours_per_week: f64,
    pub available_from: Option<Date>,
    pub available_until: Option<Date>,
    /// Most projects this person works on in one period; `None` = no limit.
    pub max_projects: Option<u32>,
    pub poolable: bool,
    pub scores: ClusterScores,
    /// Expertise field → level.
    pub expertise: BTreeMap<String, f64>,
}

impl Person {
    pub fn has_discipline(&self, discipline: &str) -> bool {
        self.disciplines.iter().any(|d| d == discipline)
    }

    pub fn expertise_level(&self, field: &str) -> Option<f64> {
        self.expertise.get(field).copied()
    }

    /// True when the person is available for the whole window.
    pub fn covers(&self, start: Date, end: Date) -> bool {
        self.available_from.is_none_or(|from| from <= start)
            && self.available_until.is_none_or(|until| until >= end)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Project {
    pub id: String,
    pub name: String,
    pub municipality: String,
    pub area: String,
    /// Weight of this project's unfilled hours (> 0, default 1).
    pub priority: f64,
}

/// A project phase with its date window and cluster need profile.
#[derive(Clone, Debug, PartialEq)]
pub struct Phase {
    pub project: usize,
    pub name: String,
    pub start: Date,
    pub end: Date,
    /// Per cluster: at least one team member must score at or above this
    /// level; 0 means no need.
    pub needs: ClusterScores,
}

impl Phase {
    /// Weeks the phase runs: (end − start + 1 days) / 7.
    pub fn weeks(&self) -> f64 {
        (self.end.days() - self.start.days() + 1) as f64 / 7.0
    }
}

/// A role line of a phase: `count` identical slots.
#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    pub project: usize,
    pub phase: usize,
    pub name: String,
    pub discipline: String,
    pub hours_per_week: f64,
    pub count: u32,
    pub expertise: Option<ExpertiseNeed>,
    /// A project with an unfilled required role is stalled.
    pub required: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExpertiseNeed {
    pub field: String,
    pub level: f64,
}

/// A generic role profile from role_profiles.csv: what a role asks of a
/// person, independent of any project. Used to compare people and
/// candidates against a role (`ploeg profile`, `ploeg rank`).
#[derive(Clone, Debug, PartialEq)]
pub struct RoleProfile {
    pub role: String,
    /// Need level per cluster (0 = no need), on the score scale.
    pub needs: ClusterScores,
    /// Disciplines that can fill the role; empty = any.
    pub disciplines: Vec<String>,
    /// Expertise the role asks for, each at a minimum level.
    pub expertise: Vec<ExpertiseNeed>,
}

/// A pair rule between a person and a project (optionally one phase or role).
#[derive(Clone, Debug, PartialEq)]
pub struct Preference {
    pub person: usize,
    pub project: usize,
    pub phase: Option<String>,
    pub role: Option<String>,
    pub allowed: bool,
    pub weight: f64,
    /// Overrides the slot's hours for this person (travel, onboarding).
    pub hours: Option<f64>,
}

impl Preference {
    /// How specific the rule is; the most specific matching rule applies.
    pub fn specificity(&self) -> u8 {
        u8::from(self.phase.is_some()) + u8::from(self.role.is_some()) * 2
    }
}

/// Which municipalities may share poolable people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PoolingMode {
    /// Every municipality alone.
    None,
    /// Municipalities in one pool of pools.csv share.
    Agreements,
    /// All poolable people serve anywhere.
    All,
}

impl PoolingMode {
    pub fn id(self) -> &'static str {
        match self {
            PoolingMode::None => "none",
            PoolingMode::Agreements => "agreements",
            PoolingMode::All => "all",
        }
    }
}

/// The objective stages, optimised in the scenario's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// Priority-weighted unfilled role-hours (minimised).
    Unfilled,
    /// Uncovered cluster needs, then stacked scarce talent (minimised).
    Balance,
    /// Profile fit plus pair preference weights (maximised).
    Fit,
    /// Cross-municipality placements minus continuity (minimised).
    Placement,
}

impl Stage {
    pub const DEFAULT_ORDER: [Stage; 4] = [
        Stage::Unfilled,
        Stage::Balance,
        Stage::Fit,
        Stage::Placement,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Stage::Unfilled => "unfilled",
            Stage::Balance => "balance",
            Stage::Fit => "fit",
            Stage::Placement => "placement",
        }
    }

    pub fn from_id(id: &str) -> Option<Stage> {
        Stage::DEFAULT_ORDER.into_iter().find(|s| s.id() == id)
    }
}

/// Length of a planning period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodKind {
    Week,
    Month,
    Quarter,
}

impl PeriodKind {
    pub fn id(self) -> &'static str {
        match self {
            PeriodKind::Week => "week",
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
        }
    }

    /// A monotone index of the period that holds `date`.
    pub fn index(self, date: Date) -> i64 {
        match self {
            PeriodKind::Week => (date.days() + 3).div_euclid(7),
            PeriodKind::Month => date.year() as i64 * 12 + date.month() as i64 - 1,
            PeriodKind::Quarter => date.year() as i64 * 4 + (date.month() as i64 - 1) / 3,
        }
    }

    /// A label for the period index, e.g. `2026-03`, `2026-Q2`, `2026-W14`.
    pub fn label(self, index: i64) -> String {
        match self {
            PeriodKind::Month => format!(
                "{:04}-{:02}",
                index.div_euclid(12),
                index.rem_euclid(12) + 1
            ),
            PeriodKind::Quarter => {
                format!("{:04}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1)
            }
            PeriodKind::Week => {
                let monday = Date::from_days(index * 7 - 3);
                format!("week-of-{monday}")
            }
        }
    }
}

/// Settings from scenario.toml, already checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub name: String,
    pub score_min: f64,
    pub score_max: f64,
    pub expertise_min: f64,
    pub expertise_max: f64,
    pub period: PeriodKind,
    /// Hours of one full-time equivalent a week, for FTE figures (36 in
    /// the Dutch public sector).
    pub fte_hours: f64,
    pub order: Vec<Stage>,
    pub time_limit_s: f64,
    /// Relative gap at which a stage may stop (0 = prove optimal).
    pub mip_gap: f64,
    /// Work budget of a solve (`[solver] work`); `None`: the time limit.
    pub work: Option<u64>,
    pub backend: BackendChoice,
    pub pooling: PoolingMode,
    /// Largest share of a person's hours that may serve other municipalities.
    pub max_pool_share: f64,
    /// Every team with a pooled member keeps at least one member from the
    /// project's own municipality.
    pub keep_home_member: bool,
    /// Most hours a week a municipality may lend out net (hours its people
    /// give to other municipalities minus hours it borrows) in any planning
    /// period; `None` = no cap.
    pub max_net_lend: Option<f64>,
    /// Chance that a person is absent for the whole planning period
    /// (illness, leave), for absence sampling in `ploeg resilience`.
    pub absence: f64,
    /// Chance that a person leaves at some point in the planning period.
    pub turnover: f64,
    /// Absence samples drawn by `ploeg resilience`.
    pub samples: usize,
    /// A person is key when their absence adds a blocked phase or more than
    /// this many FTE-months of open required work.
    pub key_fte_months: f64,
    /// Weight of unfilled hours of a role marked `required = false`,
    /// relative to a required one.
    pub optional_weight: f64,
    /// Disciplines declared in scenario.toml; empty = whatever the files use.
    pub disciplines: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            name: String::from("scenario"),
            score_min: 1.0,
            score_max: 10.0,
            expertise_min: 1.0,
            expertise_max: 5.0,
            period: PeriodKind::Month,
            fte_hours: 36.0,
            order: Stage::DEFAULT_ORDER.to_vec(),
            time_limit_s: 60.0,
            mip_gap: 0.0,
            work: None,
            backend: BackendChoice::Auto,
            pooling: PoolingMode::Agreements,
            max_pool_share: 0.5,
            keep_home_member: true,
            max_net_lend: None,
            absence: 0.05,
            turnover: 0.0,
            samples: 1000,
            key_fte_months: 1.0,
            optional_weight: 0.5,
            disciplines: Vec::new(),
        }
    }
}

/// Which MILP backend solves the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BackendChoice {
    /// HiGHS when this build has it, otherwise microlp.
    Auto,
    Microlp,
    Highs,
}

/// How well a profile fits a phase's needs: mean over needed clusters of min(1, score / need); 0 without needs.
pub fn profile_fit(scores: &[f64; 5], needs: &[f64; 5]) -> f64 {
    let mut sum = 0.0;
    let mut n = 0;
    for k in 0..5 {
        if needs[k] > 0.0 {
            sum += (scores[k] / needs[k]).min(1.0);
            n += 1;
        }
    }
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

/// A complete, validated scenario.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scenario {
    pub settings: Settings,
    pub people: Vec<Person>,
    pub projects: Vec<Project>,
    pub phases: Vec<Phase>,
    pub roles: Vec<Role>,
    /// Pool name → municipalities.
    pub pools: BTreeMap<String, Vec<String>>,
    pub preferences: Vec<Preference>,
    /// Municipality → province, from the optional municipalities.csv.
    pub provinces: BTreeMap<String, String>,
    /// Most unfilled hours of required roles a municipality's projects may
    /// be left with (h/week). Empty unless a guarantee asks for it, e.g.
    /// "no municipality worse off than alone" in `ploeg pool`.
    pub unfilled_caps: BTreeMap<String, f64>,
    /// Person id → chance of being absent for the whole planning period,
    /// where people.csv overrides the scenario's default.
    pub absence: BTreeMap<String, f64>,
    /// Project id → most planning periods its start may be postponed
    /// (projects.csv `max_delay`), for `ploeg phase`.
    pub max_delay: BTreeMap<String, u32>,
    /// Role profiles (optional role_profiles.csv).
    pub role_profiles: Vec<RoleProfile>,
    /// Expertise field → ESCO skill URI (optional `esco_uri` column of
    /// expertise.csv).
    pub esco: BTreeMap<String, String>,
}

impl Scenario {
    /// True when a person of `home` may serve a project in `target` under the
    /// scenario's pooling mode (the person must also be poolable).
    pub fn pool_links(&self, home: &str, target: &str) -> bool {
        if home == target {
            return true;
        }
        match self.settings.pooling {
            PoolingMode::None => false,
            PoolingMode::All => true,
            PoolingMode::Agreements => self.pools.values().any(|members| {
                members.iter().any(|m| m == home) && members.iter().any(|m| m == target)
            }),
        }
    }

    /// The most specific preference rule for a person and a role, if any.
    pub fn preference_for(&self, person: usize, role: usize) -> Option<&Preference> {
        let r = &self.roles[role];
        let phase_name = &self.phases[r.phase].name;
        self.preferences
            .iter()
            .filter(|p| {
                p.person == person
                    && p.project == r.project
                    && p.phase.as_ref().is_none_or(|ph| ph == phase_name)
                    && p.role.as_ref().is_none_or(|ro| *ro == r.name)
            })
            .max_by_key(|p| p.specificity())
    }

    pub fn project_of_role(&self, role: usize) -> &Project {
        &self.projects[self.roles[role].project]
    }

    pub fn phase_of_role(&self, role: usize) -> &Phase {
        &self.phases[self.roles[role].phase]
    }

    /// A project as a person reads it: "’t Havenkwartier (j01)", or the id
    /// alone when the project has no name.
    pub fn project_label(&self, project: usize) -> String {
        let p = &self.projects[project];
        if p.name.trim().is_empty() || p.name == p.id {
            p.id.clone()
        } else {
            format!("{} ({})", p.name, p.id)
        }
    }

    /// A phase as a person reads it: "’t Havenkwartier (j01) / verkenning".
    pub fn phase_label(&self, phase: usize) -> String {
        let f = &self.phases[phase];
        format!("{} / {}", self.project_label(f.project), f.name)
    }

    /// Stage 1's weight of one open slot of a role line: its priority
    /// weight × hours a week × weeks of the phase, i.e. priority-weighted
    /// role-hours over the horizon. A slot of a phase that runs three years
    /// weighs what that work is, not what one week of it is.
    pub fn line_weight(&self, role: usize) -> f64 {
        let r = &self.roles[role];
        self.unfilled_weight(role) * r.hours_per_week * self.phases[r.phase].weeks()
    }

    /// Weight of one unfilled role-hour of this role in stage 1: the
    /// project's priority, scaled by `optional_weight` for optional roles.
    pub fn unfilled_weight(&self, role: usize) -> f64 {
        let r = &self.roles[role];
        let base = self.projects[r.project].priority;
        if r.required {
            base
        } else {
            base * self.settings.optional_weight
        }
    }

    /// Every municipality that has people or projects, sorted.
    pub fn municipalities(&self) -> Vec<String> {
        let set: std::collections::BTreeSet<&str> = self
            .people
            .iter()
            .map(|p| p.municipality.as_str())
            .chain(self.projects.iter().map(|p| p.municipality.as_str()))
            .collect();
        set.into_iter().map(String::from).collect()
    }

    /// The profile of a role, if role_profiles.csv has one.
    pub fn role_profile(&self, role: &str) -> Option<&RoleProfile> {
        self.role_profiles.iter().find(|r| r.role == role)
    }

    /// Total slots over all role lines.
    pub fn slot_count(&self) -> usize {
        self.roles.iter().map(|r| r.count as usize).sum()
    }
}
