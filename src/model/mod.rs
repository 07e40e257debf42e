//! The optimisation model in domain terms: which person may fill which role
//! line (eligible pairs, pruned before any variable exists), the rows that
//! tie pairs together (capacity per period, pool share, concurrent projects,
//! one role per team, home member), the objective coefficients of every
//! stage, and the split into independent parts.
//!
//! `milp` turns an [`Instance`] into good_lp rows; the heuristic reads the
//! same rows. The plan checker in `plan::check` does *not* use this module.

pub mod export;
pub mod milp;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;

use crate::domain::{Cluster, Scenario};

/// A person who may fill one slot of a role line.
#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    pub person: usize,
    pub role: usize,
    /// Hours per week this person spends in the slot (pair override or the
    /// role's hours).
    pub hours: f64,
    /// The person serves a municipality other than their own.
    pub pooled: bool,
    /// Profile fit in [0, 1]: mean over the phase's needed clusters of
    /// min(1, score / need). 0 when the phase needs nothing.
    pub fit: f64,
    /// Pair preference weight.
    pub weight: f64,
}

/// A set of pairs whose hours share one budget (a person's week in the
/// periods where exactly these pairs are active together).
#[derive(Clone, Debug, PartialEq)]
pub struct BudgetRow {
    pub person: usize,
    /// First period of the overlap, for naming the row.
    pub period: i64,
    pub pairs: Vec<usize>,
    pub limit: f64,
}

/// At most `limit` distinct projects among these pairs' projects.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectsRow {
    pub person: usize,
    pub period: i64,
    /// Pairs grouped by project.
    pub groups: Vec<Vec<usize>>,
    pub limit: u32,
}

/// One cluster need of one phase, with the pairs whose person reaches it.
#[derive(Clone, Debug, PartialEq)]
pub struct Need {
    pub phase: usize,
    pub cluster: Cluster,
    pub level: f64,
    /// Weight of leaving it uncovered (the project's priority).
    pub weight: f64,
    pub qualifying: Vec<usize>,
}

/// A person's possible membership of two consecutive phases of a project.
#[derive(Clone, Debug, PartialEq)]
pub struct Continuity {
    pub person: usize,
    pub first: Vec<usize>,
    pub second: Vec<usize>,
}

/// A team that may take pooled members: each pooled pair needs a home pair.
#[derive(Clone, Debug, PartialEq)]
pub struct HomeRule {
    pub phase: usize,
    pub pooled: Vec<usize>,
    pub home: Vec<usize>,
}

/// Why a municipality row exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FairKind {
    /// Hours a week lent out minus hours borrowed ≤ `max_net_lend`, in one
    /// planning period.
    NetLend,
    /// Open role-hours of the municipality's required roles ≤ its cap.
    UnfilledCap,
}

/// A guarantee to one municipality as a linear row over pairs:
/// Σ coefficient · x ≤ limit.
#[derive(Clone, Debug)]
pub struct FairRow {
    pub kind: FairKind,
    pub municipality: String,
    /// The first planning period a net lending row holds for.
    pub period: Option<String>,
    pub terms: Vec<(usize, f64)>,
    pub limit: f64,
}

/// The rows of one person, built apart from everyone else's.
struct PersonRows {
    capacity: Vec<BudgetRow>,
    pool_share: Vec<BudgetRow>,
    projects: Vec<ProjectsRow>,
    one_role: Vec<(usize, usize, Vec<usize>)>,
    continuity: Vec<Continuity>,
}

/// The model of one scenario (or one independent part of it).
#[derive(Clone, Debug)]
pub struct Instance {
    pub pairs: Vec<Pair>,
    /// Role lines of this instance (indices into the scenario's roles).
    pub roles: Vec<usize>,
    /// Pair indices per role line, keyed by scenario role index.
    pub by_role: BTreeMap<usize, Vec<usize>>,
    pub capacity: Vec<BudgetRow>,
    pub pool_share: Vec<BudgetRow>,
    pub projects: Vec<ProjectsRow>,
    /// Pairs of one person in one phase: at most one may be chosen.
    pub one_role: Vec<(usize, usize, Vec<usize>)>,
    pub home: Vec<HomeRule>,
    pub needs: Vec<Need>,
    pub continuity: Vec<Continuity>,
    /// Guarantees to municipalities (net lending cap, unfilled cap).
    pub fair: Vec<FairRow>,
    /// Weight of one stacked qualifier relative to one uncovered need; small
    /// enough that stacking never outweighs covering a need.
    pub stack_epsilon: f64,
}

/// Period range [first, last] of each phase.
pub fn phase_periods(s: &Scenario) -> Vec<(i64, i64)> {
    s.phases
        .iter()
        .map(|ph| {
            (
                s.settings.period.index(ph.start),
                s.settings.period.index(ph.end),
            )
        })
        .collect()
}

/// The reason a person may not fill a role line, or `None` when eligible.
/// Used for pruning and, in words, for explanations.
#[derive(Clone, Debug, PartialEq)]
pub enum Ineligible {
    Discipline,
    Expertise {
        field: String,
        needed: f64,
        has: Option<f64>,
    },
    Availability,
    Excluded,
    NotPoolable,
    NoPoolLink,
    HoursExceedWeek {
        hours: f64,
        week: f64,
    },
    HoursExceedShare {
        hours: f64,
        share: f64,
    },
}

impl Ineligible {
    /// The rule that makes the pair ineligible.
    pub fn rule(&self) -> crate::domain::Rule {
        use crate::domain::Rule;
        match self {
            Ineligible::Discipline => Rule::Discipline,
            Ineligible::Expertise { .. } => Rule::RequiredExpertise,
            Ineligible::Availability => Rule::Availability,
            Ineligible::Excluded => Rule::ExcludedPair,
            Ineligible::NotPoolable | Ineligible::NoPoolLink => Rule::PoolRule,
            Ineligible::HoursExceedWeek { .. } => Rule::WeeklyCapacity,
            Ineligible::HoursExceedShare { .. } => Rule::PoolShare,
        }
    }

    /// The rule in a word or two, as explanations count them.
    pub fn key(&self) -> &'static str {
        match self {
            Ineligible::Discipline => "discipline",
            Ineligible::Expertise { .. } => "expertise",
            Ineligible::Availability => "availability",
            Ineligible::Excluded => "excluded",
            Ineligible::NotPoolable => "not poolable",
            Ineligible::NoPoolLink => "no pool agreement",
            Ineligible::HoursExceedWeek { .. } => "too few hours",
            Ineligible::HoursExceedShare { .. } => "pool share",
        }
    }
}

/// Checks one person against one role line.
pub fn eligibility(
    s: &Scenario,
    prefs: &PreferenceIndex,
    person: usize,
    role: usize,
) -> Result<Pair, Ineligible> {
    if !s.people[person].has_discipline(&s.roles[role].discipline) {
        return Err(Ineligible::Discipline);
    }
    eligibility_beyond_discipline(s, prefs, person, role)
}

/// [`eligibility`] for a person already known to have the discipline.
fn eligibility_beyond_discipline(
    s: &Scenario,
    prefs: &PreferenceIndex,
    person: usize,
    role: usize,
) -> Result<Pair, Ineligible> {
    let p = &s.people[person];
    let r = &s.roles[role];
    let phase = &s.phases[r.phase];
    if let Some(e) = &r.expertise {
        let has = p.expertise_level(&e.field);
        if has.is_none_or(|l| l < e.level) {
            return Err(Ineligible::Expertise {
                field: e.field.clone(),
                needed: e.level,
                has,
            });
        }
    }
    if !p.covers(phase.start, phase.end) {
        return Err(Ineligible::Availability);
    }
    let pref = prefs.get(s, person, role);
    if pref.is_some_and(|pr| !pr.allowed) {
        return Err(Ineligible::Excluded);
    }
    let (home, target) = (prefs.person_muni[person], prefs.project_muni[r.project]);
    let pooled = home != target;
    if pooled {
        if !p.poolable {
            return Err(Ineligible::NotPoolable);
        }
        if !prefs.linked[home * prefs.munis + target] {
            return Err(Ineligible::NoPoolLink);
        }
    }
    let hours = pref.and_then(|pr| pr.hours).unwrap_or(r.hours_per_week);
    if hours > p.hours_per_week + 1e-9 {
        return Err(Ineligible::HoursExceedWeek {
            hours,
            week: p.hours_per_week,
        });
    }
    if pooled && hours > s.settings.max_pool_share * p.hours_per_week + 1e-9 {
        return Err(Ineligible::HoursExceedShare {
            hours,
            share: s.settings.max_pool_share * p.hours_per_week,
        });
    }
    Ok(Pair {
        person,
        role,
        hours,
        pooled,
        fit: profile_fit(&p.scores, &phase.needs),
        weight: pref.map(|pr| pr.weight).unwrap_or(0.0),
    })
}

pub use crate::domain::profile_fit;

/// What eligibility looks up for every pair, indexed once: preferences by
/// (person, project), so lookups do not scan the whole list, and the pool
/// links between municipalities by number instead of by name.
pub struct PreferenceIndex {
    map: HashMap<(usize, usize), Vec<usize>>,
    munis: usize,
    person_muni: Vec<usize>,
    project_muni: Vec<usize>,
    /// `linked[home * munis + target]`: the scenario's pool rules.
    linked: Vec<bool>,
}

impl PreferenceIndex {
    pub fn new(s: &Scenario) -> PreferenceIndex {
        let mut map: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
        for (i, p) in s.preferences.iter().enumerate() {
            map.entry((p.person, p.project)).or_default().push(i);
        }
        let names = s.municipalities();
        let number = |m: &str| names.binary_search_by(|x| x.as_str().cmp(m)).unwrap_or(0);
        let munis = names.len();
        let mut linked = vec![false; munis * munis];
        for (a, home) in names.iter().enumerate() {
            for (b, target) in names.iter().enumerate() {
                linked[a * munis + b] = s.pool_links(home, target);
            }
        }
        PreferenceIndex {
            map,
            munis,
            person_muni: s.people.iter().map(|p| number(&p.municipality)).collect(),
            project_muni: s.projects.iter().map(|p| number(&p.municipality)).collect(),
            linked,
        }
    }

    /// The most specific rule matching a person and a role line.
    pub fn get<'s>(
        &self,
        s: &'s Scenario,
        person: usize,
        role: usize,
    ) -> Option<&'s crate::domain::Preference> {
        let r = &s.roles[role];
        let phase = &s.phases[r.phase].name;
        self.map
            .get(&(person, r.project))?
            .iter()
            .map(|&i| &s.preferences[i])
            .filter(|p| {
                p.phase.as_ref().is_none_or(|ph| ph == phase)
                    && p.role.as_ref().is_none_or(|ro| *ro == r.name)
            })
            .max_by_key(|p| p.specificity())
    }
}

/// Eligible pairs of the whole scenario, in (role, person) order.
pub fn eligible_pairs(s: &Scenario) -> Vec<Pair> {
    let prefs = PreferenceIndex::new(s);
    let munis = prefs.munis;
    // Index people by discipline and municipality: most pairs fail on
    // discipline or on the pool rules, so never look at them. Only the
    // poolable are listed for other municipalities.
    let mut by_discipline: HashMap<&str, Vec<Vec<usize>>> = HashMap::new();
    let mut poolable: HashMap<&str, Vec<Vec<usize>>> = HashMap::new();
    for (i, p) in s.people.iter().enumerate() {
        let m = prefs.person_muni[i];
        for d in &p.disciplines {
            by_discipline
                .entry(d.as_str())
                .or_insert_with(|| vec![Vec::new(); munis])[m]
                .push(i);
            if p.poolable {
                poolable
                    .entry(d.as_str())
                    .or_insert_with(|| vec![Vec::new(); munis])[m]
                    .push(i);
            }
        }
    }
    // Role lines are independent; collecting in role order, each role's
    // candidates in person order, keeps the result the same whatever the
    // thread count.
    let per_role: Vec<Vec<Pair>> = s
        .roles
        .par_iter()
        .enumerate()
        .map(|(ri, r)| {
            let target = prefs.project_muni[r.project];
            let mut candidates: Vec<usize> = Vec::new();
            if let Some(home) = by_discipline.get(r.discipline.as_str()) {
                candidates.extend(&home[target]);
            }
            if let Some(lists) = poolable.get(r.discipline.as_str()) {
                for (m, list) in lists.iter().enumerate() {
                    if m != target && prefs.linked[m * munis + target] {
                        candidates.extend(list);
                    }
                }
            }
            candidates.sort_unstable();
            candidates
                .iter()
                .filter_map(|&pi| eligibility_beyond_discipline(s, &prefs, pi, ri).ok())
                .collect()
        })
        .collect();
    per_role.concat()
}

/// Maximal sets of simultaneously active items, given each item's period
/// range: the maximal cliques of an interval graph. Sweeping the distinct
/// start points in order, the set active at a start is maximal exactly when
/// one of its items ends before the next start (otherwise the next start's
/// set contains it); the last start's set is always maximal.
fn overlap_sets(items: &[(usize, (i64, i64))]) -> Vec<(i64, Vec<usize>)> {
    let mut by_start: Vec<(i64, i64, usize)> = items.iter().map(|&(i, (a, b))| (a, b, i)).collect();
    by_start.sort_unstable();
    let mut starts: Vec<i64> = by_start.iter().map(|x| x.0).collect();
    starts.dedup();
    let mut sets = Vec::new();
    // Active items as (end, item); ended ones are dropped at each start.
    let mut active: Vec<(i64, usize)> = Vec::new();
    let mut next = 0;
    for (k, &t) in starts.iter().enumerate() {
        active.retain(|&(b, _)| b >= t);
        while next < by_start.len() && by_start[next].0 == t {
            active.push((by_start[next].1, by_start[next].2));
            next += 1;
        }
        let maximal = match starts.get(k + 1) {
            Some(&u) => active.iter().any(|&(b, _)| b < u),
            None => true,
        };
        if maximal && !active.is_empty() {
            let mut set: Vec<usize> = active.iter().map(|&(_, i)| i).collect();
            set.sort_unstable();
            sets.push((t, set));
        }
    }
    sets
}

impl Instance {
    /// Builds the model of a whole scenario.
    pub fn build(s: &Scenario) -> Instance {
        let pairs = eligible_pairs(s);
        let roles = (0..s.roles.len()).collect();
        let eps = stack_epsilon(s, pairs.len());
        Instance::from_pairs(s, pairs, roles, &phases_without_roles(s), eps)
    }

    /// Builds the rows for a given set of pairs and role lines.
    pub fn from_pairs(
        s: &Scenario,
        pairs: Vec<Pair>,
        roles: Vec<usize>,
        extra_phases: &[usize],
        stack_epsilon: f64,
    ) -> Instance {
        let periods = phase_periods(s);
        let mut by_role: BTreeMap<usize, Vec<usize>> =
            roles.iter().map(|&r| (r, Vec::new())).collect();
        let mut by_person: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, p) in pairs.iter().enumerate() {
            by_role.entry(p.role).or_default().push(i);
            by_person.entry(p.person).or_default().push(i);
        }
        // Each person's rows depend on that person's pairs only: build them
        // side by side, then join in person order (the same rows whatever
        // the thread count).
        let phase_order = phase_orders(s);
        let per_person: Vec<PersonRows> = by_person
            .par_iter()
            .map(|(&person, list)| {
                let mut capacity = Vec::new();
                let mut pool_share = Vec::new();
                let mut projects = Vec::new();
                let mut one_role = Vec::new();
                let mut continuity = Vec::new();
                let p = &s.people[person];
                let items: Vec<(usize, (i64, i64))> = list
                    .iter()
                    .map(|&i| (i, periods[s.roles[pairs[i].role].phase]))
                    .collect();
                for (t, set) in overlap_sets(&items) {
                    let total: f64 = set.iter().map(|&i| pairs[i].hours).sum();
                    if total > p.hours_per_week + 1e-9 {
                        capacity.push(BudgetRow {
                            person,
                            period: t,
                            pairs: set.clone(),
                            limit: p.hours_per_week,
                        });
                    }
                    let pooled: Vec<usize> =
                        set.iter().copied().filter(|&i| pairs[i].pooled).collect();
                    let share = s.settings.max_pool_share * p.hours_per_week;
                    if pooled.iter().map(|&i| pairs[i].hours).sum::<f64>() > share + 1e-9 {
                        pool_share.push(BudgetRow {
                            person,
                            period: t,
                            pairs: pooled,
                            limit: share,
                        });
                    }
                    if let Some(limit) = p.max_projects {
                        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
                        for &i in &set {
                            groups
                                .entry(s.roles[pairs[i].role].project)
                                .or_default()
                                .push(i);
                        }
                        if groups.len() > limit as usize {
                            projects.push(ProjectsRow {
                                person,
                                period: t,
                                groups: groups.into_values().collect(),
                                limit,
                            });
                        }
                    }
                }
                let mut by_phase: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
                for &i in list {
                    by_phase
                        .entry(s.roles[pairs[i].role].phase)
                        .or_default()
                        .push(i);
                }
                for (&phase, ps) in &by_phase {
                    if ps.len() > 1 {
                        one_role.push((person, phase, ps.clone()));
                    }
                }
                // Consecutive phases of a project (by start date) the person may join.
                let mut by_project: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
                for &phase in by_phase.keys() {
                    by_project
                        .entry(s.phases[phase].project)
                        .or_default()
                        .push(phase);
                }
                for (&project, _) in by_project.iter() {
                    let order = &phase_order[project];
                    for w in order.windows(2) {
                        if let (Some(a), Some(b)) = (by_phase.get(&w[0]), by_phase.get(&w[1])) {
                            continuity.push(Continuity {
                                person,
                                first: a.clone(),
                                second: b.clone(),
                            });
                        }
                    }
                }
                PersonRows {
                    capacity,
                    pool_share,
                    projects,
                    one_role,
                    continuity,
                }
            })
            .collect();
        let mut capacity = Vec::new();
        let mut pool_share = Vec::new();
        let mut projects = Vec::new();
        let mut one_role = Vec::new();
        let mut continuity = Vec::new();
        for r in per_person {
            capacity.extend(r.capacity);
            pool_share.extend(r.pool_share);
            projects.extend(r.projects);
            one_role.extend(r.one_role);
            continuity.extend(r.continuity);
        }
        let mut home = Vec::new();
        let mut needs = Vec::new();
        let mut phases_in: BTreeSet<usize> = BTreeSet::new();
        for &r in &roles {
            phases_in.insert(s.roles[r].phase);
        }
        let mut phase_pairs: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, p) in pairs.iter().enumerate() {
            phase_pairs
                .entry(s.roles[p.role].phase)
                .or_default()
                .push(i);
        }
        phases_in.extend(extra_phases.iter().copied());
        for &phase in &phases_in {
            let ph = &s.phases[phase];
            let list = phase_pairs.get(&phase).cloned().unwrap_or_default();
            if s.settings.keep_home_member {
                let pooled: Vec<usize> =
                    list.iter().copied().filter(|&i| pairs[i].pooled).collect();
                if !pooled.is_empty() {
                    let homes = list.iter().copied().filter(|&i| !pairs[i].pooled).collect();
                    home.push(HomeRule {
                        phase,
                        pooled,
                        home: homes,
                    });
                }
            }
            for c in Cluster::ALL {
                let level = ph.needs[c.index()];
                if level > 0.0 {
                    let qualifying: Vec<usize> = list
                        .iter()
                        .copied()
                        .filter(|&i| s.people[pairs[i].person].scores[c.index()] >= level)
                        .collect();
                    let weight = s.projects[ph.project].priority;
                    needs.push(Need {
                        phase,
                        cluster: c,
                        level,
                        weight,
                        qualifying,
                    });
                }
            }
        }
        let fair = fair_rows(s, &pairs, &roles);
        Instance {
            pairs,
            roles,
            by_role,
            capacity,
            pool_share,
            projects,
            one_role,
            home,
            needs,
            continuity,
            fair,
            stack_epsilon,
        }
    }

    /// Splits the instance into parts that share no person and no phase;
    /// each part can be solved alone and the optima add up.
    pub fn split(s: &Scenario, pairs: Vec<Pair>) -> Vec<Instance> {
        let eps = stack_epsilon(s, pairs.len());
        let np = s.people.len();
        let munis = s.municipalities();
        let muni_node = |m: &str| {
            np + s.phases.len() + munis.binary_search_by(|x| x.as_str().cmp(m)).unwrap_or(0)
        };
        let mut parent: Vec<usize> = (0..np + s.phases.len() + munis.len()).collect();
        fn find(parent: &mut [usize], x: usize) -> usize {
            let mut r = x;
            while parent[r] != r {
                r = parent[r];
            }
            let mut y = x;
            while parent[y] != r {
                let next = parent[y];
                parent[y] = r;
                y = next;
            }
            r
        }
        let union = |parent: &mut Vec<usize>, x: usize, y: usize| {
            let a = find(parent, x);
            let b = find(parent, y);
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        };
        for p in &pairs {
            union(&mut parent, p.person, np + s.roles[p.role].phase);
            // A net lending cap ties everything a municipality lends or
            // borrows into one row.
            if p.pooled && s.settings.max_net_lend.is_some() {
                let phase = np + s.roles[p.role].phase;
                union(
                    &mut parent,
                    phase,
                    muni_node(&s.people[p.person].municipality),
                );
                union(
                    &mut parent,
                    phase,
                    muni_node(&s.project_of_role(p.role).municipality),
                );
            }
        }
        // An unfilled cap ties the municipality's required role lines.
        for r in &s.roles {
            let m = &s.projects[r.project].municipality;
            if r.required && s.unfilled_caps.contains_key(m) {
                union(&mut parent, np + r.phase, muni_node(m));
            }
        }
        let mut part_pairs: BTreeMap<usize, Vec<Pair>> = BTreeMap::new();
        for p in pairs {
            let root = find(&mut parent, np + s.roles[p.role].phase);
            part_pairs.entry(root).or_default().push(p);
        }
        let mut part_roles: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        let mut orphan_roles = Vec::new();
        for (ri, r) in s.roles.iter().enumerate() {
            let root = find(&mut parent, np + r.phase);
            if part_pairs.contains_key(&root) {
                part_roles.entry(root).or_default().push(ri);
            } else {
                orphan_roles.push(ri);
            }
        }
        let jobs: Vec<(Vec<Pair>, Vec<usize>)> = part_pairs
            .into_iter()
            .map(|(root, ps)| (ps, part_roles.remove(&root).unwrap_or_default()))
            .collect();
        // Parts are independent: build their rows side by side.
        let mut parts: Vec<Instance> = jobs
            .into_par_iter()
            .map(|(ps, roles)| Instance::from_pairs(s, ps, roles, &[], eps))
            .collect();
        let bare = phases_without_roles(s);
        if !orphan_roles.is_empty() || !bare.is_empty() {
            // Role lines nobody can fill and phases without role lines: no
            // decision, but their hours and needs count.
            parts.push(Instance::from_pairs(
                s,
                Vec::new(),
                orphan_roles,
                &bare,
                eps,
            ));
        }
        parts
    }

    /// Position of each role line in `roles`, by role index.
    pub fn line_of(&self) -> HashMap<usize, usize> {
        self.roles
            .iter()
            .enumerate()
            .map(|(l, &r)| (r, l))
            .collect()
    }

    /// Total priority-weighted role-hours (over the horizon) of this
    /// instance's slots.
    pub fn total_weighted_hours(&self, s: &Scenario) -> f64 {
        self.roles
            .iter()
            .map(|&r| s.line_weight(r) * f64::from(s.roles[r].count))
            .sum()
    }

    /// Rows of the MILP of this instance, counted without building it
    /// (`milp::Milp::build` makes exactly these).
    pub fn rows(&self, s: &Scenario) -> usize {
        let fill = self
            .by_role
            .iter()
            .filter(|(&r, list)| list.len() > s.roles[r].count as usize)
            .count();
        // Concurrent projects: one row per period, plus the links of each
        // busy flag, made once per person and set of overlapping phases.
        let mut busy: BTreeSet<(usize, Vec<usize>)> = BTreeSet::new();
        let mut links = 0;
        for r in &self.projects {
            for g in &r.groups {
                let phases: BTreeSet<usize> = g
                    .iter()
                    .map(|&i| s.roles[self.pairs[i].role].phase)
                    .collect();
                if phases.len() > 1 && busy.insert((r.person, phases.iter().copied().collect())) {
                    links += phases.len();
                }
            }
        }
        let home: usize = self.home.iter().map(|h| h.pooled.len()).sum();
        let fair = self.fair.iter().filter(|f| !f.terms.is_empty()).count();
        let needs: usize = self
            .needs
            .iter()
            .filter(|n| !n.qualifying.is_empty())
            .map(|n| 1 + usize::from(n.qualifying.len() > 1 && self.stack_epsilon > 0.0))
            .sum();
        fill + self.capacity.len()
            + self.pool_share.len()
            + self.one_role.len()
            + self.projects.len()
            + links
            + home
            + fair
            + needs
            + 2 * self.continuity.len()
    }

    /// Number of binary decisions.
    pub fn binaries(&self) -> usize {
        self.pairs.len()
    }

    /// Nonzeros of the hard rows and the coverage rows, counted without
    /// building the model: a measure of how hard its LP relaxation is.
    pub fn nonzeros(&self) -> usize {
        let budget: usize = self
            .capacity
            .iter()
            .chain(&self.pool_share)
            .map(|r| r.pairs.len())
            .sum();
        let projects: usize = self
            .projects
            .iter()
            .map(|r| r.groups.iter().map(Vec::len).sum::<usize>() + r.groups.len())
            .sum();
        let one: usize = self.one_role.iter().map(|r| r.2.len()).sum();
        let home: usize = self
            .home
            .iter()
            .map(|h| h.pooled.len() * (h.home.len() + 1))
            .sum();
        let needs: usize = self
            .needs
            .iter()
            .map(|n| 2 * (n.qualifying.len() + 1))
            .sum();
        let fair: usize = self.fair.iter().map(|f| f.terms.len()).sum();
        self.pairs.len() + budget + projects + one + home + needs + fair
    }
}

/// The municipality rows over a set of pairs and role lines: a net lending
/// cap (when the scenario sets one) and the unfilled caps. A row is written
/// only when it can bind.
fn fair_rows(s: &Scenario, pairs: &[Pair], roles: &[usize]) -> Vec<FairRow> {
    let mut rows = Vec::new();
    if let Some(cap) = s.settings.max_net_lend {
        rows.extend(net_lend_rows(s, pairs, cap));
    }
    if !s.unfilled_caps.is_empty() {
        rows.extend(unfilled_cap_rows(s, pairs, roles));
    }
    rows
}

/// One row per municipality and planning period in which its pooled pairs
/// could lend more than `cap` hours a week net. Periods with the same
/// active pairs give the same row; it is written once, named by the first.
fn net_lend_rows(s: &Scenario, pairs: &[Pair], cap: f64) -> Vec<FairRow> {
    let p = s.settings.period;
    type Terms = Vec<(usize, f64)>;
    let mut terms: BTreeMap<(&str, i64), Terms> = BTreeMap::new();
    for (i, pair) in pairs.iter().enumerate().filter(|(_, p)| p.pooled) {
        let home = s.people[pair.person].municipality.as_str();
        let host = s.project_of_role(pair.role).municipality.as_str();
        let f = &s.phases[s.roles[pair.role].phase];
        for t in p.index(f.start)..=p.index(f.end) {
            terms.entry((home, t)).or_default().push((i, pair.hours));
            terms.entry((host, t)).or_default().push((i, -pair.hours));
        }
    }
    // A pair's coefficient in a municipality's row is fixed, so the pair
    // indices identify the row.
    let mut seen: BTreeSet<(&str, Vec<usize>)> = BTreeSet::new();
    let mut rows = Vec::new();
    for ((m, t), terms) in terms {
        let most: f64 = terms.iter().map(|t| t.1.max(0.0)).sum();
        if most <= cap + 1e-9 {
            continue;
        }
        if !seen.insert((m, terms.iter().map(|t| t.0).collect())) {
            continue;
        }
        rows.push(FairRow {
            kind: FairKind::NetLend,
            municipality: m.to_string(),
            period: Some(p.label(t)),
            terms,
            limit: cap,
        });
    }
    rows
}

/// One row per capped municipality: its open required role-hours over the
/// horizon stay within its cap.
fn unfilled_cap_rows(s: &Scenario, pairs: &[Pair], roles: &[usize]) -> Vec<FairRow> {
    let mut by_role: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, p) in pairs.iter().enumerate() {
        by_role.entry(p.role).or_default().push(i);
    }
    // Municipality → (required role-hours, terms).
    type Row = (f64, Vec<(usize, f64)>);
    let mut per_muni: BTreeMap<&str, Row> = BTreeMap::new();
    for &r in roles {
        let role = &s.roles[r];
        let m = s.projects[role.project].municipality.as_str();
        if !role.required || !s.unfilled_caps.contains_key(m) {
            continue;
        }
        let slot = role.hours_per_week * s.phases[role.phase].weeks();
        let entry = per_muni.entry(m).or_default();
        entry.0 += slot * f64::from(role.count);
        for &i in by_role.get(&r).map(Vec::as_slice).unwrap_or(&[]) {
            entry.1.push((i, -slot));
        }
    }
    let mut rows = Vec::new();
    for (m, (total, terms)) in per_muni {
        let cap = s.unfilled_caps[m];
        if total > cap + 1e-9 {
            rows.push(FairRow {
                kind: FairKind::UnfilledCap,
                municipality: m.to_string(),
                period: None,
                terms,
                limit: cap - total,
            });
        }
    }
    rows
}

/// Phases that have no role lines at all (their needs stay uncovered).
pub fn phases_without_roles(s: &Scenario) -> Vec<usize> {
    let mut has = vec![false; s.phases.len()];
    for r in &s.roles {
        has[r.phase] = true;
    }
    (0..s.phases.len()).filter(|&f| !has[f]).collect()
}

/// Weight of one stacked qualifier in the balance stage. Uncovered needs are
/// weighted by priorities, so two plans' uncovered totals differ by at least
/// the priorities' decimal granularity g (1, 0.1, 0.01 or 0.001); all
/// stacking together (at most one per pair) is kept below g, so it only
/// breaks ties and never trades away a covered need.
pub fn stack_epsilon(s: &Scenario, pairs: usize) -> f64 {
    let grain = [1.0, 0.1, 0.01, 0.001]
        .into_iter()
        .find(|g| {
            s.projects.iter().all(|p| {
                let q = p.priority / g;
                (q - q.round()).abs() < 1e-9 * q.abs().max(1.0)
            })
        })
        .unwrap_or(1e-4);
    grain / (pairs as f64 + 1.0)
}

/// Phases of a project ordered by start date (then end, then name).
pub fn project_phase_order(s: &Scenario, project: usize) -> Vec<usize> {
    let mut v: Vec<usize> = (0..s.phases.len())
        .filter(|&f| s.phases[f].project == project)
        .collect();
    sort_phases(s, &mut v);
    v
}

/// [`project_phase_order`] of every project at once, by project index.
pub fn phase_orders(s: &Scenario) -> Vec<Vec<usize>> {
    let mut by_project = vec![Vec::new(); s.projects.len()];
    for (f, ph) in s.phases.iter().enumerate() {
        by_project[ph.project].push(f);
    }
    for v in &mut by_project {
        sort_phases(s, v);
    }
    by_project
}

fn sort_phases(s: &Scenario, v: &mut [usize]) {
    v.sort_by(|&a, &b| {
        let (pa, pb) = (&s.phases[a], &s.phases[b]);
        (pa.start, pa.end, &pa.name).cmp(&(pb.start, pb.end, &pb.name))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_sets_keep_only_maximal_sets() {
        // a: 1-3, b: 2-5, c: 4-6 → {a,b} at 2 and {b,c} at 4; {a} at 1 is implied.
        let sets = overlap_sets(&[(0, (1, 3)), (1, (2, 5)), (2, (4, 6))]);
        let only: Vec<Vec<usize>> = sets.into_iter().map(|(_, s)| s).collect();
        assert_eq!(only, vec![vec![0, 1], vec![1, 2]]);
    }

    #[test]
    fn the_sweep_finds_the_same_sets_as_comparing_every_pair_of_sets() {
        let mut seed = 12345_u64;
        let mut draw = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % n) as i64
        };
        for _ in 0..300 {
            let n = 1 + draw(9) as usize;
            let items: Vec<(usize, (i64, i64))> = (0..n)
                .map(|i| {
                    let a = draw(12);
                    (i, (a, a + draw(6)))
                })
                .collect();
            // Every start's active set, without those inside another.
            let mut all: Vec<(i64, Vec<usize>)> = Vec::new();
            let mut starts: Vec<i64> = items.iter().map(|x| x.1 .0).collect();
            starts.sort_unstable();
            starts.dedup();
            for t in starts {
                let set: Vec<usize> = items
                    .iter()
                    .filter(|(_, (a, b))| *a <= t && t <= *b)
                    .map(|x| x.0)
                    .collect();
                all.push((t, set));
            }
            let brute: Vec<(i64, Vec<usize>)> = all
                .iter()
                .filter(|(t, set)| {
                    !all.iter()
                        .any(|(u, other)| u != t && set.iter().all(|x| other.contains(x)))
                })
                .cloned()
                .collect();
            assert_eq!(overlap_sets(&items), brute, "{items:?}");
        }
    }

    #[test]
    fn identical_windows_give_one_set() {
        let sets = overlap_sets(&[(0, (1, 3)), (1, (1, 3))]);
        assert_eq!(sets.len(), 1);
        assert_eq!(sets[0].1, vec![0, 1]);
    }

    #[test]
    fn profile_fit_is_capped_and_vanishes_without_needs() {
        assert_eq!(profile_fit(&[10.0; 5], &[0.0; 5]), 0.0);
        assert_eq!(
            profile_fit(&[10.0, 4.0, 1.0, 1.0, 1.0], &[5.0, 8.0, 0.0, 0.0, 0.0]),
            0.75
        );
    }
}
