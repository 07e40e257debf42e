//! Resilience: which people the portfolio hangs on and how a plan holds up
//! when people are absent or leave.
//!
//! - **N-1**: every person taken out in turn, the plan repaired around the
//!   gap; what stays open that was filled, ranked.
//! - **Bus factor**: per municipality, how many people can serve each
//!   expertise field and each discipline its role lines ask for, alone and
//!   with the scenario's pooling.
//! - **Absence sampling**: seeded samples in which each person is absent for
//!   the whole period with a chance (scenario default or per person) and may
//!   leave part-way (turnover); the distribution of unfilled required hours
//!   and stalled projects, with and without pooling.
//!
//! Every re-solve starts from the base plan (a warm start: what still fits
//! is kept and only the gap is searched), which is what makes thousands of
//! re-solves affordable; `warm = false` starts each from nothing, to measure
//! what the warm start saves.

pub mod sample;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::domain::{Date, PoolingMode, Scenario};
use crate::plan::score::open_required;
use crate::plan::Plan;
use crate::report::explain::Explainer;
use crate::solve::{self, SolveOptions};

/// How to run.
#[derive(Clone, Debug)]
pub struct Options {
    /// The options of each re-solve (typically the heuristic only, with
    /// little perturbation search). Its `deadline` ends the whole analysis:
    /// re-solves not started by then are left out and counted.
    pub quick: SolveOptions,
    /// Start every re-solve from the base plan.
    pub warm: bool,
    pub samples: usize,
    pub seed: u64,
}

/// The scenario with these people unavailable for the whole period.
pub fn without(s: &Scenario, gone: &[usize]) -> Scenario {
    let mut t = s.clone();
    let never = Date::new(1900, 1, 1).expect("valid date");
    for &p in gone {
        t.people[p].available_from = Some(never);
        t.people[p].available_until = Some(never);
    }
    t
}

/// The scenario with these people leaving on the given dates.
pub fn leaving(s: &mut Scenario, left: &[(usize, Date)]) {
    for &(p, date) in left {
        let until = &mut s.people[p].available_until;
        if until.is_none_or(|u| u > date) {
            *until = Some(date);
        }
    }
}

/// Re-solves a changed scenario, warm-started from `base` when asked.
pub fn resolve(s: &Scenario, base: &Arc<Plan>, opts: &Options) -> Plan {
    let mut o = opts.quick.clone();
    o.warm_start = opts.warm.then(|| base.clone());
    solve::solve(s, &o).plan
}

/// One person's weight in the plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyPerson {
    pub person_id: String,
    pub name: String,
    pub municipality: String,
    /// Slots this person fills in the base plan.
    pub assignments: usize,
    /// Required role-hours over the horizon left open without them that the
    /// base plan fills.
    pub extra_unfilled_required_role_hours: f64,
    /// The same in FTE-months (`fte_hours` × 52 / 12 role-hours each).
    pub extra_fte_months: f64,
    /// Phases blocked without them that the base plan does not block.
    pub extra_blocked_phases: i64,
    /// Priority-weighted open role-hours (stage 1) the plan without them
    /// leaves more than the base plan.
    pub extra_weighted_unfilled: f64,
    /// After a full re-plan: the loss between the two optima lies in
    /// [low, high] (from the two solves' bounds and plans).
    pub extra_weighted_low: Option<f64>,
    pub extra_weighted_high: Option<f64>,
    /// The figures come from a full re-plan by the engine that made the
    /// base plan, not from the quick repair of the screen.
    pub replanned: bool,
    /// Key: after a full re-plan, their absence blocks a phase more, or
    /// leaves more than `[resilience] key_fte_months` FTE-months of
    /// required work open.
    pub key: bool,
    /// Phases blocked without them, as "project name (id) / phase".
    pub newly_blocked: Vec<String>,
    /// Required role lines left open without them that the base plan
    /// fills, as "project name (id) / phase / role".
    pub roles: Vec<String>,
    /// Why nobody else fills the first of those roles.
    pub why: String,
    /// False when the time limit ended the analysis before this person.
    pub evaluated: bool,
}

/// The base scenario split into its independent parts, so that taking one
/// person out re-solves only the part they belong to: the other parts'
/// plans cannot change (nothing links them to that person).
pub struct Prepared {
    parts: Vec<crate::model::Instance>,
    /// Person → index of the part holding their pairs.
    part_of: BTreeMap<usize, usize>,
    eps: f64,
}

impl Prepared {
    pub fn new(s: &Scenario) -> Prepared {
        let pairs = crate::model::eligible_pairs(s);
        let eps = crate::model::stack_epsilon(s, pairs.len());
        let parts = crate::model::Instance::split(s, pairs);
        let mut part_of = BTreeMap::new();
        for (k, inst) in parts.iter().enumerate() {
            for p in &inst.pairs {
                part_of.insert(p.person, k);
            }
        }
        Prepared {
            parts,
            part_of,
            eps,
        }
    }

    /// The plan repaired without person `p`: their part rebuilt without
    /// their pairs and searched again from the base plan (or from nothing
    /// with `warm = false`); every other part keeps its base plan.
    pub fn without_person(&self, s: &Scenario, base: &Plan, p: usize, opts: &Options) -> Plan {
        let Some(&k) = self.part_of.get(&p) else {
            return base.clone();
        };
        let part = &self.parts[k];
        let t = without(s, &[p]);
        let pairs: Vec<crate::model::Pair> = part
            .pairs
            .iter()
            .filter(|x| x.person != p)
            .cloned()
            .collect();
        let inst = crate::model::Instance::from_pairs(&t, pairs, part.roles.clone(), &[], self.eps);
        let in_part: BTreeSet<usize> = part.roles.iter().copied().collect();
        let index: BTreeMap<(usize, usize), usize> = inst
            .pairs
            .iter()
            .enumerate()
            .map(|(i, x)| ((x.person, x.role), i))
            .collect();
        let start: Vec<usize> = if opts.warm {
            base.assignments
                .iter()
                .filter_map(|a| index.get(&(a.person, a.role)).copied())
                .collect()
        } else {
            Vec::new()
        };
        let deadline = std::time::Instant::now()
            + std::time::Duration::from_secs_f64(opts.quick.seconds_left());
        let chosen = crate::solve::heuristic::plan(
            &t,
            &inst,
            &t.settings.order,
            &start,
            opts.quick.patience,
            deadline,
        );
        let mut all: Vec<(usize, usize)> = base
            .assignments
            .iter()
            .filter(|a| !in_part.contains(&a.role))
            .map(|a| (a.person, a.role))
            .collect();
        all.extend(
            inst.pairs
                .iter()
                .zip(&chosen)
                .filter(|(_, &c)| c)
                .map(|(x, _)| (x.person, x.role)),
        );
        Plan::from_pairs(all)
    }
}

/// The base plan's figures each person's absence is measured against.
struct Before {
    open: BTreeMap<usize, u32>,
    time: crate::plan::time::TimeFigures,
    blocked: BTreeSet<usize>,
    weighted: f64,
    /// Role-hours of one FTE-month, and the key threshold in role-hours.
    fte_month: f64,
    threshold: f64,
}

impl Before {
    fn new(s: &Scenario, base: &Plan) -> Before {
        // One FTE-month: a full-time week's hours over a twelfth of a year.
        let fte_month = s.settings.fte_hours * 52.0 / 12.0;
        Before {
            open: open_required(s, base),
            time: crate::plan::time::time_figures(s, base),
            blocked: crate::plan::time::blocked_phases(s, base),
            weighted: crate::plan::score::score(s, base).weighted_unfilled,
            fte_month,
            threshold: s.settings.key_fte_months * fte_month,
        }
    }

    /// Fills `k`'s figures from `plan`, the plan of `t` (the scenario
    /// without the person).
    fn measure(&self, k: &mut KeyPerson, t: &Scenario, plan: &Plan) {
        let after = open_required(t, plan);
        let after_time = crate::plan::time::time_figures(t, plan);
        k.extra_unfilled_required_role_hours =
            after_time.unfilled_required_role_hours - self.time.unfilled_required_role_hours;
        k.extra_fte_months = k.extra_unfilled_required_role_hours / self.fte_month;
        k.extra_blocked_phases = after_time.blocked_phases as i64 - self.time.blocked_phases as i64;
        k.extra_weighted_unfilled =
            crate::plan::score::score(t, plan).weighted_unfilled - self.weighted;
        k.key = k.extra_blocked_phases > 0
            || k.extra_unfilled_required_role_hours > self.threshold + 1e-9;
        k.newly_blocked = crate::plan::time::blocked_phases(t, plan)
            .difference(&self.blocked)
            .map(|&f| t.phase_label(f))
            .collect();
        let newly_open: Vec<usize> = after
            .iter()
            .filter(|(r, n)| self.open.get(r).copied().unwrap_or(0) < **n)
            .map(|(&r, _)| r)
            .collect();
        k.roles = newly_open
            .iter()
            .map(|&r| {
                let role = &t.roles[r];
                format!(
                    "{} / {} / {}",
                    t.project_label(role.project),
                    t.phases[role.phase].name,
                    role.name
                )
            })
            .collect();
        k.why = newly_open
            .first()
            .map(|&r| Explainer::new(t, plan).unfilled(r))
            .unwrap_or_default();
    }
}

/// N-1 screening: every person with an assignment in the base plan taken
/// out in turn and the plan quickly repaired (only their part re-solved);
/// people without one cost nothing and are listed with zeros. Key people
/// first, then by extra open required role-hours, then extra blocked
/// phases, then id. The repair is an upper estimate of the loss: see
/// [`replan`] for the figures that are reported.
pub fn n_minus_one(
    s: &Scenario,
    base: &Arc<Plan>,
    opts: &Options,
    tick: &(dyn Fn() + Sync),
) -> Vec<KeyPerson> {
    let prepared = Prepared::new(s);
    let before = Before::new(s, base);
    let mut busy: BTreeMap<usize, usize> = BTreeMap::new();
    for a in &base.assignments {
        *busy.entry(a.person).or_default() += 1;
    }
    let mut out: Vec<KeyPerson> = (0..s.people.len())
        .into_par_iter()
        .map(|p| {
            let person = &s.people[p];
            let mut k = KeyPerson {
                person_id: person.id.clone(),
                name: person.name.clone(),
                municipality: person.municipality.clone(),
                assignments: busy.get(&p).copied().unwrap_or(0),
                extra_unfilled_required_role_hours: 0.0,
                extra_fte_months: 0.0,
                extra_blocked_phases: 0,
                extra_weighted_unfilled: 0.0,
                extra_weighted_low: None,
                extra_weighted_high: None,
                replanned: false,
                key: false,
                newly_blocked: Vec::new(),
                roles: Vec::new(),
                why: String::new(),
                evaluated: true,
            };
            if k.assignments > 0 && opts.quick.past_deadline() {
                k.evaluated = false;
            } else if k.assignments > 0 {
                let t = without(s, &[p]);
                let plan = prepared.without_person(s, base, p, opts);
                before.measure(&mut k, &t, &plan);
            }
            tick();
            k
        })
        .collect();
    sort_key_people(&mut out);
    out
}

/// Key people first, then by extra open required role-hours, then extra
/// blocked phases, then id.
fn sort_key_people(out: &mut [KeyPerson]) {
    out.sort_by(|a, b| {
        b.key
            .cmp(&a.key)
            .then(
                b.extra_unfilled_required_role_hours
                    .total_cmp(&a.extra_unfilled_required_role_hours),
            )
            .then(b.extra_blocked_phases.cmp(&a.extra_blocked_phases))
            .then_with(|| a.person_id.cmp(&b.person_id))
    });
}

/// People re-planned in full after the screen: the first of its ranking.
pub const REPLANNED: usize = 5;

/// Re-plans the first [`REPLANNED`] people of the screen who hold slots,
/// in full: the scenario without them solved by the same engine and
/// options as the base plan (`full`), from the base plan. Their figures
/// become the difference of the two plans, with an interval for the loss
/// in priority-weighted open role-hours between the two optima: at least
/// the re-plan's bound minus the base plan, at most the re-plan minus the
/// base's bound (`base_bound`). Only re-planned people can be key; the
/// others keep the screen's figures as an upper estimate.
pub fn replan(
    s: &Scenario,
    base: &Arc<Plan>,
    base_bound: Option<f64>,
    key: &mut [KeyPerson],
    full: &SolveOptions,
    tick: &(dyn Fn() + Sync),
) {
    let before = Before::new(s, base);
    let chosen: Vec<usize> = (0..key.len())
        .filter(|&i| key[i].assignments > 0 && key[i].evaluated)
        .take(REPLANNED)
        .collect();
    for (n, &i) in chosen.iter().enumerate() {
        if full.past_deadline() {
            break;
        }
        let Some(p) = s.people.iter().position(|x| x.id == key[i].person_id) else {
            continue;
        };
        let t = without(s, &[p]);
        let mut o = full.clone();
        o.warm_start = Some(base.clone());
        // The time left shared by the re-plans still to come; with a work
        // budget all of it is each one's safety net.
        o.time_limit_s = if full.work.is_some() {
            full.seconds_left()
        } else {
            full.seconds_left() / (chosen.len() - n) as f64
        };
        let solved = solve::solve(&t, &o);
        if !crate::plan::check::check(&t, &solved.plan).is_empty() {
            continue;
        }
        let k = &mut key[i];
        before.measure(k, &t, &solved.plan);
        k.replanned = true;
        let after_bound = solved.report.stages.first().and_then(|st| st.bound);
        k.extra_weighted_low = Some(after_bound.map_or(0.0, |b| (b - before.weighted).max(0.0)));
        k.extra_weighted_high = base_bound.map(|b| before.weighted + k.extra_weighted_unfilled - b);
        tick();
    }
    for k in key.iter_mut().filter(|k| !k.replanned) {
        k.key = false;
    }
    sort_key_people(key);
}

/// How many people can serve one expertise field or discipline in one
/// municipality.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BusFactor {
    pub municipality: String,
    /// `expertise` or `discipline`.
    pub kind: &'static str,
    pub field: String,
    /// Role lines of the municipality's projects that ask for it.
    pub needed_by: usize,
    /// Its own people who have it (expertise at the level asked, or the
    /// discipline).
    pub alone: usize,
    /// Adding the poolable people of municipalities linked to it under the
    /// scenario's pooling.
    pub pooled: usize,
    /// `none` (0 people), `single` (1) or empty.
    pub flag: &'static str,
}

/// Bus factors for every expertise field and discipline the role lines of
/// each municipality ask for. An expertise field counts people at or above
/// the lowest level asked in that municipality.
pub fn bus_factors(s: &Scenario) -> Vec<BusFactor> {
    let mut asked: BTreeMap<(String, &'static str, String), (usize, f64)> = BTreeMap::new();
    for r in &s.roles {
        let m = s.projects[r.project].municipality.clone();
        let e = asked
            .entry((m.clone(), "discipline", r.discipline.clone()))
            .or_insert((0, 0.0));
        e.0 += 1;
        if let Some(x) = &r.expertise {
            let e = asked
                .entry((m, "expertise", x.field.clone()))
                .or_insert((0, f64::INFINITY));
            e.0 += 1;
            e.1 = e.1.min(x.level);
        }
    }
    let linked = |home: &str, target: &str| {
        home == target || (s.settings.pooling != PoolingMode::None && s.pool_links(home, target))
    };
    asked
        .into_iter()
        .map(|((m, kind, field), (needed_by, level))| {
            let has = |p: &crate::domain::Person| match kind {
                "discipline" => p.has_discipline(&field),
                _ => p.expertise_level(&field).is_some_and(|l| l >= level),
            };
            let alone = s
                .people
                .iter()
                .filter(|p| p.municipality == m && has(p))
                .count();
            let pooled = alone
                + s.people
                    .iter()
                    .filter(|p| {
                        p.municipality != m && p.poolable && linked(&p.municipality, &m) && has(p)
                    })
                    .count();
            let flag = match alone {
                0 => "none",
                1 => "single",
                _ => "",
            };
            BusFactor {
                municipality: m,
                kind,
                field,
                needed_by,
                alone,
                pooled,
                flag,
            }
        })
        .collect()
}

/// The scenario without pooling (each municipality alone).
pub fn alone(s: &Scenario) -> Scenario {
    let mut t = s.clone();
    t.settings.pooling = PoolingMode::None;
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Scenario {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/small");
        crate::input::load(&dir).expect("the small scenario loads")
    }

    #[test]
    fn without_makes_people_ineligible_everywhere() {
        let s = small();
        let t = without(&s, &[0]);
        let pairs = crate::model::eligible_pairs(&t);
        assert!(pairs.iter().all(|p| p.person != 0));
        assert!(crate::model::eligible_pairs(&s)
            .iter()
            .any(|p| p.person == 0));
    }

    #[test]
    fn bus_factor_counts_own_and_linked_poolable_people() {
        let s = small();
        let b = bus_factors(&s);
        // Oss asks for a planeconoom with kostenverhaal ≥ 3: only p02 (Oss,
        // level 4) has it; p03 of Bernheze has grondexploitatie, not this.
        let k = b
            .iter()
            .find(|x| {
                x.municipality == "Oss" && x.kind == "expertise" && x.field == "kostenverhaal"
            })
            .expect("row");
        assert_eq!((k.alone, k.pooled, k.flag), (1, 1, "single"));
        // Planeconomen for Bernheze: p03 at home; p02 and p07 of Oss, of
        // whom only p02 is poolable (Maasland pool).
        let d = b
            .iter()
            .find(|x| {
                x.municipality == "Bernheze" && x.kind == "discipline" && x.field == "planeconoom"
            })
            .expect("row");
        assert_eq!((d.alone, d.pooled), (1, 2));
        let mut none = s.clone();
        none.settings.pooling = PoolingMode::None;
        let d = bus_factors(&none)
            .into_iter()
            .find(|x| x.municipality == "Bernheze" && x.field == "planeconoom")
            .expect("row");
        assert_eq!(d.pooled, d.alone);
    }

    #[test]
    fn repair_without_a_person_keeps_every_rule_and_drops_them() {
        let s = small();
        let mut o = crate::solve::SolveOptions::from_scenario(&s).unwrap();
        o.heuristic_only = true;
        let base = crate::solve::solve(&s, &o).plan;
        let opts = Options {
            quick: o,
            warm: true,
            samples: 0,
            seed: 1,
        };
        let prepared = Prepared::new(&s);
        for p in 0..s.people.len() {
            let t = without(&s, &[p]);
            let plan = prepared.without_person(&s, &base, p, &opts);
            assert!(plan.assignments.iter().all(|a| a.person != p));
            let v = crate::plan::check::check(&t, &plan);
            assert!(v.is_empty(), "without {p}: {v:?}");
            // The repair never leaves more open (priority-weighted, the
            // first objective stage) than just dropping them.
            let dropped = Plan::from_pairs(
                base.assignments
                    .iter()
                    .filter(|a| a.person != p)
                    .map(|a| (a.person, a.role))
                    .collect(),
            );
            let w = |x: &Plan| crate::plan::score::score(&t, x).weighted_unfilled;
            assert!(w(&plan) <= w(&dropped) + 1e-9);
        }
    }

    #[test]
    fn open_required_lists_every_required_line_of_an_empty_plan() {
        let s = small();
        let o = open_required(&s, &Plan::default());
        let want: Vec<(usize, u32)> = s
            .roles
            .iter()
            .enumerate()
            .filter(|(_, r)| r.required)
            .map(|(i, r)| (i, r.count))
            .collect();
        assert_eq!(o.into_iter().collect::<Vec<_>>(), want);
    }
}
