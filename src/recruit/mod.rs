//! Recruiting: candidates ranked two ways. By profile fit — each against a
//! role profile (cluster gaps, discipline, expertise). And by marginal value
//! — each added as a new hire and the whole portfolio re-planned: how many
//! open hours they fill, which teams' cluster gaps they close, which stalled
//! projects they unblock.
//!
//! The base plan is a heuristic-only solve; each candidate's plan is local
//! search warm-started from it (`solve::heuristic::improve_from`), so a
//! difference between the two can only come from what the candidate makes
//! possible. Candidates are re-planned in parallel.

mod explain;
pub mod synthetic;

pub use explain::explanations;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

use crate::domain::{Cluster, Person, RoleProfile, Scenario, Stage};
use crate::model::{eligible_pairs, Instance};
use crate::plan::score::{score, Components};
use crate::plan::Plan;
use crate::profile::{self, clean, RoleFit};
use crate::solve::heuristic::improve_from;

/// The plan every candidate is compared with.
#[derive(Clone, Debug)]
pub struct Baseline {
    pub plan: Plan,
    pub components: Components,
    pairs: HashSet<(usize, usize)>,
    /// (phase, cluster index) needs left uncovered.
    uncovered: BTreeSet<(usize, usize)>,
    /// Phases with a required slot open.
    blocked: BTreeSet<usize>,
    pub seconds: f64,
    /// The end of the whole ranking: the scenario's time limit holds for
    /// the base plan and every candidate's re-plan together.
    pub deadline: Instant,
}

/// Needs uncovered and phases blocked under a plan.
fn gaps(s: &Scenario, plan: &Plan) -> (BTreeSet<(usize, usize)>, BTreeSet<usize>) {
    let mut team: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for a in &plan.assignments {
        team.entry(s.roles[a.role].phase)
            .or_default()
            .push(a.person);
    }
    let mut uncovered = BTreeSet::new();
    for (f, ph) in s.phases.iter().enumerate() {
        for k in 0..5 {
            let need = ph.needs[k];
            if need > 0.0
                && !team
                    .get(&f)
                    .is_some_and(|m| m.iter().any(|&p| s.people[p].scores[k] >= need))
            {
                uncovered.insert((f, k));
            }
        }
    }
    (uncovered, crate::plan::time::blocked_phases(s, plan))
}

/// The base plan: a heuristic-only solve of the scenario (it repeats
/// exactly, which a MILP cut short by the clock does not).
pub fn baseline(s: &Scenario) -> Baseline {
    let t = Instant::now();
    let deadline = t + Duration::from_secs_f64(s.settings.time_limit_s);
    // Half the time limit for the base plan, the rest for the candidates.
    let mut opts = profile::heuristic_options(s);
    opts.time_limit_s /= 2.0;
    let plan = crate::solve::solve(s, &opts).plan;
    from_plan(s, plan, t.elapsed().as_secs_f64(), deadline)
}

/// Which role lines a candidate may be placed in when valued.
#[derive(Clone, Debug, PartialEq)]
pub enum Scope {
    /// Only role lines of this role (the vacancy).
    Role(String),
    /// Any role line of one of these disciplines (`--any-role`).
    Disciplines(Vec<String>),
    /// Any role line they are eligible for.
    Anything,
}

impl Scope {
    /// The scope of a vacancy for `role`: its role lines, or with
    /// `any_role` every line of the profile's disciplines.
    pub fn of(role: &RoleProfile, any_role: bool) -> Scope {
        if any_role {
            Scope::Disciplines(role.disciplines.clone())
        } else {
            Scope::Role(role.role.clone())
        }
    }

    /// In words, for the terminal and JSON.
    pub fn describe(&self) -> String {
        match self {
            Scope::Role(name) => format!("role lines of {name} only"),
            Scope::Disciplines(ds) => format!("any role line of {}", ds.join(", ")),
            Scope::Anything => "any role line they are eligible for".to_string(),
        }
    }

    fn allows(&self, line: &crate::domain::Role) -> bool {
        match self {
            Scope::Role(name) => line.name == *name,
            Scope::Disciplines(ds) => ds.contains(&line.discipline),
            Scope::Anything => true,
        }
    }
}

fn from_plan(s: &Scenario, plan: Plan, seconds: f64, deadline: Instant) -> Baseline {
    let components = score(s, &plan);
    let pairs = plan
        .assignments
        .iter()
        .map(|a| (a.person, a.role))
        .collect();
    let (uncovered, blocked) = gaps(s, &plan);
    Baseline {
        plan,
        components,
        pairs,
        uncovered,
        blocked,
        seconds,
        deadline,
    }
}

/// One placement of a candidate in the re-planned portfolio.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Placement {
    pub project_id: String,
    pub phase: String,
    pub role: String,
    pub hours_per_week: f64,
}

/// A cluster need of a phase team.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NeedRef {
    pub project_id: String,
    pub phase: String,
    pub cluster: &'static str,
}

/// What one candidate adds to the portfolio.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Marginal {
    /// Required role-hours over the horizon the candidate's plan fills
    /// (base minus new; negative would mean more open work).
    pub required_role_hours_filled: f64,
    /// The same over all roles.
    pub role_hours_filled: f64,
    /// Drop in priority-weighted unfilled hours (objective stage 1).
    pub weighted_unfilled_drop: f64,
    /// Needs uncovered in the base plan and covered now.
    pub needs_closed: Vec<NeedRef>,
    /// Needs covered in the base plan and uncovered now (the re-plan may
    /// move people to fill hours, which ranks first).
    pub needs_lost: Vec<NeedRef>,
    /// Drop in priority-weighted uncovered needs (objective stage 2).
    pub weighted_uncovered_drop: f64,
    /// Phases blocked in the base plan and not any more, as
    /// "project name (id) / phase".
    pub unblocked: Vec<String>,
    /// Change of fit plus preferences (stage 3, higher is better).
    pub fit_gain: f64,
    /// Drop of pooled placements minus continuity (stage 4).
    pub placement_drop: f64,
    pub placements: Vec<Placement>,
    /// Roles lines the candidate is eligible for at all.
    pub eligible_roles: usize,
    /// Every objective component of the re-planned portfolio.
    #[serde(skip)]
    pub components: Components,
    /// False when the time limit had passed before this candidate's
    /// re-plan could search: the figures are then those of the base plan
    /// with the candidate added where they fit as it stands.
    pub complete: bool,
}

impl Marginal {
    /// Needs closed per cluster, in cluster order, without zeros.
    pub fn closed_by_cluster(&self) -> Vec<(&'static str, usize)> {
        Cluster::ALL
            .iter()
            .map(|c| {
                (
                    c.id(),
                    self.needs_closed
                        .iter()
                        .filter(|n| n.cluster == c.id())
                        .count(),
                )
            })
            .filter(|&(_, n)| n > 0)
            .collect()
    }

    pub fn hours_placed(&self) -> f64 {
        self.placements.iter().map(|p| p.hours_per_week).sum()
    }

    /// The improvement per objective stage in the scenario's order, each
    /// oriented so that larger is better.
    fn key(&self, order: &[Stage]) -> Vec<f64> {
        order
            .iter()
            .map(|st| match st {
                Stage::Unfilled => self.weighted_unfilled_drop,
                Stage::Balance => self.weighted_uncovered_drop,
                Stage::Fit => self.fit_gain,
                Stage::Placement => self.placement_drop,
            })
            .collect()
    }
}

fn need_ref(s: &Scenario, (f, k): (usize, usize)) -> NeedRef {
    NeedRef {
        project_id: s.projects[s.phases[f].project].id.clone(),
        phase: s.phases[f].name.clone(),
        cluster: Cluster::ALL[k].id(),
    }
}

/// Re-plans the portfolio with `candidate` as one more person, placed only
/// in role lines `scope` allows, and measures the difference with the base
/// plan. `Err` carries rule violations, which would be a bug.
pub fn marginal(
    s: &Scenario,
    base: &Baseline,
    candidate: &Person,
    scope: &Scope,
) -> Result<Marginal, String> {
    let mut s2 = s.clone();
    s2.people.push(candidate.clone());
    let me = s2.people.len() - 1;
    let order = s2.settings.order.clone();
    let deadline = base.deadline;
    let complete = Instant::now() < deadline;
    let pairs: Vec<_> = eligible_pairs(&s2)
        .into_iter()
        .filter(|p| p.person != me || scope.allows(&s2.roles[p.role]))
        .collect();
    let parts = Instance::split(&s2, pairs);
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    let mut eligible: BTreeSet<usize> = BTreeSet::new();
    for inst in &parts {
        let start: Vec<bool> = inst
            .pairs
            .iter()
            .map(|p| base.pairs.contains(&(p.person, p.role)))
            .collect();
        let touched = inst.pairs.iter().any(|p| p.person == me);
        let result = if touched {
            eligible.extend(inst.pairs.iter().filter(|p| p.person == me).map(|p| p.role));
            improve_from(&s2, inst, &order, &start, deadline)
        } else {
            start
        };
        chosen.extend(
            inst.pairs
                .iter()
                .zip(&result)
                .filter(|(_, &c)| c)
                .map(|(p, _)| (p.person, p.role)),
        );
    }
    let plan = Plan::from_pairs(chosen);
    let violations = crate::plan::check::check(&s2, &plan);
    if !violations.is_empty() {
        return Err(format!(
            "the re-planned portfolio with candidate {} breaks {} rule(s), first: [{}] {}",
            candidate.id,
            violations.len(),
            violations[0].rule,
            violations[0].message
        ));
    }
    let c = score(&s2, &plan);
    let b = &base.components;
    let (uncovered, blocked) = gaps(&s2, &plan);
    let placements = plan
        .assignments
        .iter()
        .filter(|a| a.person == me)
        .map(|a| {
            let r = &s2.roles[a.role];
            Placement {
                project_id: s2.projects[r.project].id.clone(),
                phase: s2.phases[r.phase].name.clone(),
                role: r.name.clone(),
                hours_per_week: Plan::pair_hours(&s2, me, a.role),
            }
        })
        .collect();
    Ok(Marginal {
        required_role_hours_filled: clean(
            b.time.unfilled_required_role_hours - c.time.unfilled_required_role_hours,
        ),
        role_hours_filled: clean(b.time.unfilled_role_hours - c.time.unfilled_role_hours),
        weighted_unfilled_drop: clean(b.weighted_unfilled - c.weighted_unfilled),
        needs_closed: base
            .uncovered
            .difference(&uncovered)
            .map(|&n| need_ref(&s2, n))
            .collect(),
        needs_lost: uncovered
            .difference(&base.uncovered)
            .map(|&n| need_ref(&s2, n))
            .collect(),
        weighted_uncovered_drop: clean(b.weighted_uncovered - c.weighted_uncovered),
        unblocked: base
            .blocked
            .difference(&blocked)
            .map(|&f| s2.phase_label(f))
            .collect(),
        fit_gain: clean((c.fit + c.preference_total) - (b.fit + b.preference_total)),
        placement_drop: (b.pooled_placements as f64 - b.continuity as f64)
            - (c.pooled_placements as f64 - c.continuity as f64)
            + 0.0,
        placements,
        eligible_roles: eligible.len(),
        components: c,
        complete,
    })
}

/// One ranked candidate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranked {
    pub candidate_id: String,
    pub name: String,
    pub municipality: String,
    pub disciplines: Vec<String>,
    /// 1 = best profile fit.
    pub fit_rank: usize,
    /// 1 = largest marginal value.
    pub value_rank: usize,
    pub profile: RoleFit,
    pub value: Marginal,
}

/// Both rankings.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranking {
    pub role: String,
    pub municipality: String,
    /// Where a candidate may be placed when valued, in words.
    pub placed_in: String,
    /// In candidate file order.
    pub candidates: Vec<Ranked>,
}

impl Ranking {
    /// Candidates in order of a rank.
    pub fn by_fit(&self) -> Vec<&Ranked> {
        let mut v: Vec<&Ranked> = self.candidates.iter().collect();
        v.sort_by_key(|r| r.fit_rank);
        v
    }

    pub fn by_value(&self) -> Vec<&Ranked> {
        let mut v: Vec<&Ranked> = self.candidates.iter().collect();
        v.sort_by_key(|r| r.value_rank);
        v
    }
}

/// Ranks candidates for `role` as new hires in `municipality`. `done` is
/// called once per candidate re-planned (for a progress bar).
pub fn rank(
    s: &Scenario,
    base: &Baseline,
    role: &RoleProfile,
    scope: &Scope,
    municipality: &str,
    candidates: &[Person],
    done: &(dyn Fn() + Sync),
) -> Result<Ranking, String> {
    let values: Vec<Marginal> = candidates
        .par_iter()
        .map(|c| {
            let m = marginal(s, base, c, scope);
            done();
            m
        })
        .collect::<Result<_, _>>()?;
    let fits: Vec<RoleFit> = candidates
        .iter()
        .map(|c| profile::role_fit(c, role))
        .collect();
    let n = candidates.len();
    let mut by_fit: Vec<usize> = (0..n).collect();
    by_fit.sort_by(|&a, &b| {
        profile::compare(&fits[a], &fits[b]).then(candidates[a].id.cmp(&candidates[b].id))
    });
    let order = &s.settings.order;
    let mut fit_rank = vec![0; n];
    for (r, &i) in by_fit.iter().enumerate() {
        fit_rank[i] = r + 1;
    }
    let mut by_value: Vec<usize> = (0..n).collect();
    by_value.sort_by(|&a, &b| {
        let (ka, kb) = (values[a].key(order), values[b].key(order));
        let mut o = std::cmp::Ordering::Equal;
        for (x, y) in ka.iter().zip(&kb) {
            if (x - y).abs() > 1e-7 {
                o = y.total_cmp(x);
                break;
            }
        }
        o.then(fit_rank[a].cmp(&fit_rank[b]))
    });
    let mut value_rank = vec![0; n];
    for (r, &i) in by_value.iter().enumerate() {
        value_rank[i] = r + 1;
    }
    let candidates = candidates
        .iter()
        .zip(fits)
        .zip(values)
        .enumerate()
        .map(|(i, ((c, profile), value))| Ranked {
            candidate_id: c.id.clone(),
            name: c.name.clone(),
            municipality: c.municipality.clone(),
            disciplines: c.disciplines.clone(),
            fit_rank: fit_rank[i],
            value_rank: value_rank[i],
            profile,
            value,
        })
        .collect();
    Ok(Ranking {
        role: role.role.clone(),
        municipality: municipality.to_string(),
        placed_in: scope.describe(),
        candidates,
    })
}

#[cfg(test)]
mod tests;
