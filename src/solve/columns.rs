//! Column generation for stage 1 on HiGHS: the per-person relaxation of
//! [`super::lagrange`], with its prices taken from a linear programme
//! instead of subgradient steps.
//!
//! The master programme chooses, for every person, a mixture of whole
//! per-person plans (columns), within every role line's slot count:
//!
//!   max Σ_c v_c z_c  s.t.  Σ_c a_rc z_c ≤ count_r (every line r),
//!                          Σ_{c of p} z_c ≤ 1     (every person p), z ≥ 0.
//!
//! Its row prices λ_r price the slot counts; the best per-person plan at
//! those prices either improves the master (a new column) or proves that
//! the master is as good as the relaxation gets. At any prices λ ≥ 0 the
//! priced relaxation bounds the filled hours of every plan, so the bound
//! stays valid whenever the time runs out. Prices are smoothed towards the
//! best prices seen (Wentges), which keeps them from swinging between
//! rounds; a round that finds no column at the smoothed prices prices
//! again at the master's own.
//!
//! Plans come from the master too. Its last LP solution is rounded (the
//! pairs of the columns it takes most fully first) and the local search
//! repairs that against every row of the model, the ones the relaxation
//! leaves out included; a better plan enters the master as columns of its
//! own. Then the master dives: it fixes the columns its LP takes (the whole
//! ones, and a share of the fullest fractional ones that still fit every
//! line's count), the other people answer the new prices with new columns,
//! and that repeats until the LP takes whole columns only; the result is
//! repaired the same way. Each later dive fixes half as many fractional
//! columns a step, while time is left. (Rounding every few rounds was
//! tried: the repairs took the time the prices needed, and the region's
//! bound fell from 22,600 to 19,300. Solving the master with whole columns
//! as a MILP, and the model itself on only the pairs the columns hold,
//! were tried instead of diving: on the region they improved 3 and 1 of
//! 11 parts, by at most 110 weighted hours; docs/model.md, section 7.)

use std::collections::HashMap;
use std::time::Instant;

use ::highs::{Col, ColProblem, HighsModelStatus, Model, Row, Sense};

use super::heuristic;
use super::lagrange::{Priced, Relaxation};
use crate::domain::{Scenario, Stage};
use crate::model::Instance;

/// Weight of the best prices so far in the prices priced next.
const SMOOTHING: f64 = 0.5;

/// A first round slower than this fraction of the prices' time (1/20)
/// ends column generation.
const SLOW_FIRST_ROUND: u32 = 20;

/// What column generation found.
pub struct Columns {
    /// Lower bound on the part's weighted unfilled hours.
    pub bound: f64,
    /// The best plan found, never worse than the plan it started from.
    pub plan: Vec<bool>,
}

fn log_enabled() -> bool {
    std::env::var_os("PLOEG_SOLVER_LOG").is_some()
}

/// A quiet, single-threaded HiGHS model (parts use the cores).
fn quiet(mut model: Model, seconds: f64) -> Model {
    if !log_enabled() {
        model.make_quiet();
    }
    let _ = model.try_set_option("threads", 1);
    let _ = model.try_set_option("time_limit", seconds.max(0.01));
    model
}

/// One column: a person (index in the relaxation's order) and their pairs.
struct Column {
    person: usize,
    pairs: Vec<usize>,
    value: f64,
}

/// A solved master LP.
struct LpSolution {
    value: f64,
    /// Row prices of the role lines and of the people, both ≥ 0.
    lambda: Vec<f64>,
    mu: Vec<f64>,
    /// Column values.
    z: Vec<f64>,
}

/// The master LP and its columns, kept between rounds so HiGHS restarts
/// from its basis.
struct Master<'a> {
    relax: &'a Relaxation,
    /// Person (relaxation order) of every pair.
    owner: Vec<usize>,
    line_rows: Vec<Row>,
    person_rows: Vec<Row>,
    /// Gone when HiGHS failed on it.
    model: Option<Model>,
    handles: Vec<Col>,
    columns: Vec<Column>,
    index: HashMap<(usize, Vec<usize>), usize>,
}

impl<'a> Master<'a> {
    fn new(relax: &'a Relaxation, pairs: usize) -> Master<'a> {
        let mut owner = vec![0; pairs];
        for (p, mine) in relax.person_pairs().enumerate() {
            for &i in mine {
                owner[i] = p;
            }
        }
        let mut rows = ColProblem::default();
        let line_rows: Vec<Row> = relax.count.iter().map(|&c| rows.add_row(..=c)).collect();
        let person_rows: Vec<Row> = relax.person_pairs().map(|_| rows.add_row(..=1.0)).collect();
        // Without presolve HiGHS restarts each round from the last basis,
        // which new columns leave primal feasible.
        let model = rows.try_optimise(Sense::Minimise).ok().map(|m| {
            let mut m = quiet(m, 1.0);
            let _ = m.try_set_option("presolve", "off");
            // Primal simplex: measured 5 ms a round at 3,700 columns
            // against 300 ms with the default dual simplex.
            let _ = m.try_set_option("simplex_strategy", 4);
            m
        });
        Master {
            relax,
            owner,
            line_rows,
            person_rows,
            model,
            handles: Vec::new(),
            columns: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// Adds a person's column unless it is already there; true when added.
    fn add(&mut self, person: usize, mut pairs: Vec<usize>) -> bool {
        if pairs.is_empty() {
            return false;
        }
        pairs.sort_unstable();
        if self.index.contains_key(&(person, pairs.clone())) {
            return false;
        }
        let Some(model) = self.model.as_mut() else {
            return false;
        };
        let value: f64 = pairs.iter().map(|&i| self.relax.weight(i)).sum();
        let factors = pairs
            .iter()
            .map(|&i| (self.line_rows[self.relax.line(i)], 1.0))
            .chain(std::iter::once((self.person_rows[person], 1.0)));
        match model.try_add_column(-value, 0.0.., factors) {
            Ok(col) => {
                self.handles.push(col);
                self.index
                    .insert((person, pairs.clone()), self.columns.len());
                self.columns.push(Column {
                    person,
                    pairs,
                    value,
                });
                true
            }
            Err(_) => {
                self.model = None;
                false
            }
        }
    }

    /// Adds the priced people's plans that improve the master at its own
    /// prices `lambda` and `mu`; returns how many were added.
    fn add_improving(&mut self, priced: Priced, lambda: &[f64], mu: &[f64]) -> usize {
        let mut added = 0;
        for (p, (_, pairs)) in priced.people.into_iter().enumerate() {
            let Some(pairs) = pairs else { continue };
            let reduced: f64 = pairs
                .iter()
                .map(|&i| self.relax.weight(i) - lambda[self.relax.line(i)])
                .sum();
            if reduced > mu[p] + 1e-6 && self.add(p, pairs) {
                added += 1;
            }
        }
        added
    }

    /// Every person's part of a plan, as columns (added unless already
    /// there).
    fn add_plan(&mut self, plan: &[bool]) {
        let mut mine: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, &c) in plan.iter().enumerate() {
            if c {
                mine.entry(self.owner[i]).or_default().push(i);
            }
        }
        let mut mine: Vec<(usize, Vec<usize>)> = mine.into_iter().collect();
        mine.sort_unstable();
        for (person, pairs) in mine {
            self.add(person, pairs);
        }
    }

    /// Solves the master LP.
    fn solve(&mut self, deadline: Instant) -> Option<LpSolution> {
        let mut model = self.model.take()?;
        let left = deadline.saturating_duration_since(Instant::now());
        let _ = model.try_set_option("time_limit", left.as_secs_f64().max(0.01));
        let solved = model.try_solve().ok()?;
        if solved.status() != HighsModelStatus::Optimal {
            if log_enabled() {
                eprintln!("columns: master LP ended {:?}", solved.status());
            }
            // Kept: a later solve (fewer fixings, more time) may succeed.
            self.model = Some(solved.into());
            return None;
        }
        let value = -solved.objective_value();
        let solution = solved.get_solution();
        let z = solution.columns().to_vec();
        // HiGHS's row duals of a minimisation are ≤ 0 on ≤ rows.
        let duals = solution.dual_rows();
        let lines = self.line_rows.len();
        let lambda: Vec<f64> = duals[..lines].iter().map(|y| (-y).max(0.0)).collect();
        let mu: Vec<f64> = duals[lines..].iter().map(|y| (-y).max(0.0)).collect();
        self.model = Some(solved.into());
        Some(LpSolution {
            value,
            lambda,
            mu,
            z,
        })
    }

    /// Holds column `k` in every later solve (its person takes exactly it).
    fn fix(&mut self, k: usize) {
        if let Some(model) = self.model.as_mut() {
            model.change_column_bounds(self.handles[k], 1.0..);
        }
    }

    /// Frees column `k` again.
    fn unfix(&mut self, k: usize) {
        if let Some(model) = self.model.as_mut() {
            model.change_column_bounds(self.handles[k], 0.0..);
        }
    }

    /// The pairs of the columns an LP solution takes, the most fully taken
    /// (then the most valuable) first: a start for the local search.
    fn rounded(&self, z: &[f64]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..z.len().min(self.columns.len()))
            .filter(|&k| z[k] > 1e-6)
            .collect();
        order.sort_by(|&a, &b| {
            z[b].total_cmp(&z[a])
                .then(self.columns[b].value.total_cmp(&self.columns[a].value))
                .then(a.cmp(&b))
        });
        order
            .iter()
            .flat_map(|&k| self.columns[k].pairs.iter().copied())
            .collect()
    }
}

/// Column generation until `lp_deadline`, then dives until `ip_deadline`,
/// each start repaired by the local search (with `patience`
/// as in the heuristic) and kept when better in `order`. `plan` (the best
/// plan so far) gives the first columns.
pub fn unfilled_columns(
    s: &Scenario,
    inst: &Instance,
    order: &[Stage],
    patience: usize,
    plan: &[bool],
    lp_deadline: Instant,
    ip_deadline: Instant,
) -> Columns {
    let began = Instant::now();
    let relax = Relaxation::new(s, inst);
    let mut master = Master::new(&relax, inst.pairs.len());
    let mut best_plan = plan.to_vec();
    master.add_plan(&best_plan);
    // Repairs a start against every row; a better plan replaces the best
    // and joins the master. True when the repaired start fills more
    // weighted hours than the best plan did.
    let try_start = |master: &mut Master, best_plan: &mut Vec<bool>, start: &[usize]| {
        if start.is_empty() {
            return false;
        }
        let now = Instant::now();
        let until = now + ip_deadline.saturating_duration_since(now).mul_f64(0.1);
        let candidate = heuristic::plan(s, inst, order, start, patience, until);
        if log_enabled() {
            let relax = master.relax;
            let taken: f64 = start.iter().map(|&i| relax.weight(i)).sum();
            eprintln!(
                "columns: start fills {taken:.1}, repaired {:.1}, best {:.1}",
                relax.filled(&candidate),
                relax.filled(best_plan)
            );
        }
        let fills_more = master.relax.filled(&candidate) > master.relax.filled(best_plan) + 1e-6;
        if heuristic::better(s, inst, order, &candidate, best_plan) {
            master.add_plan(&candidate);
            *best_plan = candidate;
        }
        fills_more
    };

    let mut best = f64::INFINITY;
    let mut stable = vec![0.0; relax.count.len()];
    let mut rounds = 0;
    let mut last_z: Vec<f64> = Vec::new();
    while Instant::now() < lp_deadline {
        let lp_began = Instant::now();
        let Some(LpSolution {
            value: lp_value,
            lambda,
            mu,
            z,
        }) = master.solve(lp_deadline)
        else {
            break;
        };
        let lp_seconds = lp_began.elapsed().as_secs_f64();
        last_z = z;
        if lp_value >= best - 1e-6 * best.abs().max(1.0) || best <= relax.filled(&best_plan) + 1e-6
        {
            break;
        }
        rounds += 1;
        let mut alpha = if best.is_finite() { SMOOTHING } else { 0.0 };
        let mut added = 0;
        let mut price_seconds = 0.0;
        loop {
            let prices: Vec<f64> = stable
                .iter()
                .zip(&lambda)
                .map(|(s, l)| alpha * s + (1.0 - alpha) * l)
                .collect();
            let price_began = Instant::now();
            let priced = relax.price(&prices, lp_deadline);
            price_seconds += price_began.elapsed().as_secs_f64();
            if priced.value < best {
                best = priced.value;
                stable.clone_from(&prices);
            }
            added += master.add_improving(priced, &lambda, &mu);
            if added > 0 || alpha == 0.0 || Instant::now() >= lp_deadline {
                break;
            }
            // Nothing at the smoothed prices: try the master's own.
            alpha = 0.0;
        }
        if log_enabled() {
            eprintln!(
                "columns: {:.2} s (LP {lp_seconds:.3} s, pricing {price_seconds:.3} s) round {rounds}: master {lp_value:.1}, bound {best:.1}, plan {:.1}, +{added} ({} columns)",
                began.elapsed().as_secs_f64(),
                relax.filled(&best_plan),
                master.columns.len()
            );
        }
        if added == 0 {
            // No column improves the master: its value is the relaxation's
            // (already in `best` from pricing at the master's own prices).
            break;
        }
        // The prices need some 30–40 rounds to settle. When the first
        // round alone takes a twentieth of their time (people with a
        // hundred eligible pairs or more), they will not: the part's MILP
        // gets the time instead, and the plan stays as it was.
        let budget = lp_deadline.saturating_duration_since(began);
        if rounds == 1 && began.elapsed() * SLOW_FIRST_ROUND > budget {
            if log_enabled() {
                eprintln!(
                    "columns: first round took {:.2} s of {:.2} s: given up",
                    began.elapsed().as_secs_f64(),
                    budget.as_secs_f64()
                );
            }
            return Columns {
                bound: (relax.total - best.min(relax.total)).max(0.0),
                plan: best_plan,
            };
        }
    }
    let proved = |plan: &[bool]| best <= relax.filled(plan) + 1e-6;
    if !proved(&best_plan) {
        let start = master.rounded(&last_z);
        try_start(&mut master, &mut best_plan, &start);
    }
    // Dives fix fewer columns at a time while they find better plans and
    // time is left. (Diving on to the deadline took the time the MILP of a
    // municipality needs to prove its four stages.)
    let mut step = DIVE_FIRST_STEP;
    while !proved(&best_plan) && Instant::now() < ip_deadline {
        let start = dive(&mut master, step, ip_deadline);
        if start.is_empty() || !try_start(&mut master, &mut best_plan, &start) {
            break;
        }
        step = step.saturating_mul(2);
    }
    if log_enabled() {
        eprintln!(
            "columns: {:.2} s, {rounds} rounds, {} columns: plan leaves {:.1} unfilled (from {:.1}), bound {:.1}",
            began.elapsed().as_secs_f64(),
            master.columns.len(),
            relax.total - relax.filled(&best_plan),
            relax.total - relax.filled(plan),
            relax.total - best
        );
    }
    Columns {
        bound: (relax.total - best.min(relax.total)).max(0.0),
        plan: best_plan,
    }
}

/// The first dive fixes one in this many fractional columns a step; each
/// later dive half as many.
const DIVE_FIRST_STEP: usize = 10;

/// Most pricing rounds after each fixing step of a dive.
const DIVE_ROUNDS: usize = 5;

/// Diving: fixes the columns the master LP takes (fully, then the fullest
/// fractional ones that still fit every line's count), lets the other
/// people answer with new columns at the new prices, and repeats until
/// the LP takes whole columns only. Each step fixes one in `step` of the
/// fractional columns (at least one). Returns their pairs, the fullest
/// first; the master is freed of its fixings again.
fn dive(master: &mut Master, step: usize, deadline: Instant) -> Vec<usize> {
    let relax = master.relax;
    let people = master.person_rows.len();
    let mut fixed = vec![false; people];
    let mut room: Vec<f64> = relax.count.clone();
    let began = Instant::now();
    let mut steps = 0;
    let mut last: Option<Vec<f64>> = None;
    let mut held = Vec::new();
    while Instant::now() < deadline {
        let Some(LpSolution {
            mut lambda,
            mut mu,
            mut z,
            ..
        }) = master.solve(deadline)
        else {
            break;
        };
        // Let the people not yet fixed answer the new prices.
        for _ in 0..DIVE_ROUNDS {
            // Fixed people are not priced: they add nothing.
            let priced = relax.price_some(&lambda, &fixed, deadline);
            let added = master.add_improving(priced, &lambda, &mu);
            if added == 0 || Instant::now() >= deadline {
                break;
            }
            let Some(again) = master.solve(deadline) else {
                break;
            };
            (z, lambda, mu) = (again.z, again.lambda, again.mu);
        }
        steps += 1;
        let frac = |v: f64| v > 1e-6 && v < 1.0 - 1e-6;
        // Columns of people not yet fixed, the fullest first.
        let mut order: Vec<usize> = (0..z.len().min(master.columns.len()))
            .filter(|&k| z[k] > 1e-6 && !fixed[master.columns[k].person])
            .collect();
        if order.iter().all(|&k| !frac(z[k])) {
            last = Some(z);
            break;
        }
        order.sort_by(|&a, &b| {
            z[b].total_cmp(&z[a])
                .then(master.columns[b].value.total_cmp(&master.columns[a].value))
                .then(a.cmp(&b))
        });
        let fractional = order.iter().filter(|&&k| frac(z[k])).count();
        let mut budget = fractional.div_ceil(step).max(1);
        for k in order {
            let whole = z[k] >= 1.0 - 1e-6;
            if !whole && budget == 0 {
                break;
            }
            let c = &master.columns[k];
            if fixed[c.person] || c.pairs.iter().any(|&i| room[relax.line(i)] < 1.0 - 1e-9) {
                continue;
            }
            for &i in &c.pairs {
                room[relax.line(i)] -= 1.0;
            }
            fixed[c.person] = true;
            held.push(k);
            master.fix(k);
            if !whole {
                budget -= 1;
            }
        }
        last = Some(z);
    }
    if log_enabled() {
        eprintln!(
            "columns: dive (1 in {step}) of {steps} steps in {:.2} s, {} of {people} people fixed",
            began.elapsed().as_secs_f64(),
            fixed.iter().filter(|&&f| f).count()
        );
    }
    for k in held {
        master.unfix(k);
    }
    last.map(|z| master.rounded(&z)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::eligible_pairs;
    use std::time::Duration;

    #[test]
    fn the_columns_bound_the_demo_tightly_and_never_lose_the_plan() {
        let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
        let s = crate::input::load(&demo).unwrap();
        let order = s.settings.order.clone();
        let (mut total_bound, mut total_plan) = (0.0, 0.0);
        for inst in Instance::split(&s, eligible_pairs(&s)) {
            let soon = |secs| Instant::now() + Duration::from_secs(secs);
            let start = heuristic::plan(&s, &inst, &order, &[], 2, soon(5));
            let before = heuristic::stage_values(&s, &inst, &order, &start);
            let found = unfilled_columns(&s, &inst, &order, 2, &start, soon(20), soon(30));
            let after = heuristic::stage_values(&s, &inst, &order, &found.plan);
            // Never worse in the stage order than the plan it was given.
            assert!(
                !heuristic::better(&s, &inst, &order, &start, &found.plan),
                "{before:?} became {after:?}"
            );
            assert!(
                found.bound <= after[0] + 1e-6,
                "bound {} above a plan {}",
                found.bound,
                after[0]
            );
            total_bound += found.bound;
            total_plan += after[0];
        }
        // The demo's stage-1 optimum is 137,322.29 weighted role-hours
        // (HiGHS proves it); subgradient prices reach 137,313–137,315.
        const OPTIMUM: f64 = 137_322.29;
        assert!(total_bound <= OPTIMUM + 0.01, "bound {total_bound}");
        assert!(total_bound >= 0.999 * OPTIMUM, "bound {total_bound}");
        assert!(
            total_plan >= OPTIMUM - 0.01,
            "plan {total_plan} below the optimum"
        );
    }

    #[test]
    fn a_rounded_master_takes_its_fullest_columns_first() {
        let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
        let s = crate::input::load(&demo).unwrap();
        let inst = Instance::split(&s, eligible_pairs(&s)).remove(0);
        let relax = Relaxation::new(&s, &inst);
        let mut master = Master::new(&relax, inst.pairs.len());
        let people: Vec<Vec<usize>> = relax.person_pairs().map(<[usize]>::to_vec).collect();
        // Two one-pair columns of different people, and a repeat that
        // must not be added twice.
        assert!(master.add(0, vec![people[0][0]]));
        assert!(master.add(1, vec![people[1][0]]));
        assert!(!master.add(0, vec![people[0][0]]));
        assert_eq!(
            master.rounded(&[0.25, 0.75]),
            vec![people[1][0], people[0][0]]
        );
        let LpSolution {
            value,
            lambda,
            mu,
            z,
        } = master
            .solve(Instant::now() + Duration::from_secs(5))
            .unwrap();
        assert_eq!(
            (z.len(), lambda.len(), mu.len()),
            (2, relax.count.len(), people.len())
        );
        let both = relax.weight(people[0][0]) + relax.weight(people[1][0]);
        // Both columns fit unless they fill the same single slot.
        assert!(value <= both + 1e-6 && value > 0.0);
    }

    #[test]
    fn a_dive_ends_in_whole_columns_within_every_count_and_frees_the_master() {
        let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
        let s = crate::input::load(&demo).unwrap();
        let order = s.settings.order.clone();
        let inst = Instance::split(&s, eligible_pairs(&s)).remove(0);
        let relax = Relaxation::new(&s, &inst);
        let mut master = Master::new(&relax, inst.pairs.len());
        let soon = || Instant::now() + Duration::from_secs(20);
        let plan = heuristic::plan(&s, &inst, &order, &[], 2, soon());
        master.add_plan(&plan);
        let before = master.solve(soon()).unwrap().value;
        let pairs = dive(&mut master, DIVE_FIRST_STEP, soon());
        assert!(!pairs.is_empty());
        // Every line within its count.
        let mut used = vec![0.0; relax.count.len()];
        for &i in &pairs {
            used[relax.line(i)] += 1.0;
        }
        for (line, (u, c)) in used.iter().zip(&relax.count).enumerate() {
            assert!(u <= c, "line {line} taken {u} times, count {c}");
        }
        // Each person's pairs are exactly one of their columns.
        let mut mine: HashMap<usize, Vec<usize>> = HashMap::new();
        for &i in &pairs {
            mine.entry(master.owner[i]).or_default().push(i);
        }
        for (person, mut taken) in mine {
            taken.sort_unstable();
            assert!(master.index.contains_key(&(person, taken)));
        }
        // Freed of its fixings, with the dive's columns added, the master
        // is at least as good as before and as the dive's plan.
        let after = master.solve(soon()).unwrap().value;
        let dived: f64 = pairs.iter().map(|&i| relax.weight(i)).sum();
        assert!(after >= before - 1e-6 && after >= dived - 1e-6);
    }
}
