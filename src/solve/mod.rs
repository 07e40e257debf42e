//! Solving: split the model into independent parts, plan each part with the
//! heuristic, then optimise the objective stages one after another on a MILP
//! backend — each stage warm-started from the best plan so far and, once
//! solved, held at its value while the next is optimised. Parts run in
//! parallel; their stage values, bounds and statuses add up.

pub mod backend;
#[cfg(feature = "highs")]
pub mod columns;
pub mod heuristic;
pub mod lagrange;
pub mod limit;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use good_lp::{constraint, Constraint};
use rayon::prelude::*;
use serde::Serialize;

pub use backend::{Backend, Status};

use crate::domain::{Scenario, Stage};
use crate::model::milp::Milp;
use crate::model::{eligible_pairs, Instance};
use crate::plan::Plan;

/// Below this many seconds of answer time the MILP always runs: a small
/// part overruns its share by less than that.
const MIN_MILP_COST_S: f64 = 1.0;

/// Share of a part's time its MILP stages can expect: the heuristic and
/// the subgradient bound take 30% before HiGHS's MILP. (Column generation
/// takes more; the stage guard in `solve_part` covers those parts.)
const MILP_SHARE: f64 = 0.7;

/// Share of the time limit a part still gets when it starts at or after
/// the overall limit (queued behind parts that overran theirs).
const LATE_PART_SHARE: f64 = 0.01;

/// With a work budget: the local search's changes per unit of a part's
/// work, the repair after the prices' changes per unit, the rounds of
/// pricing, and the branch-and-bound nodes of each MILP stage per unit of
/// the run's budget (a node of a larger part costs more already, so the
/// nodes do not grow with the part).
const HEURISTIC_CHANGES_PER_UNIT: u64 = 250;
const REPAIR_CHANGES_PER_UNIT: u64 = 200;
/// Pricing rounds per unit of the run's budget, and at most.
const PRICING_ROUNDS_PER_UNIT: f64 = 0.05;
const MAX_PRICING_ROUNDS: u64 = 500;
const NODES_PER_UNIT: f64 = 0.05;
/// Fewest nodes a MILP stage gets, however small its part.
const MIN_NODES: u64 = 20;

/// The stopping rules of one part: by work when the run has a budget,
/// else by its deadlines.
#[derive(Clone)]
struct PartLimits {
    /// The part's work units, with a budget.
    work: Option<u64>,
    /// The run's budget per 1,000 pairs.
    budget: Option<u64>,
    /// Set when a budgeted step stopped at the clock instead.
    cut: Arc<AtomicBool>,
}

impl PartLimits {
    /// `changes_per_unit` × the part's work, or `deadline` alone.
    fn changes(&self, changes_per_unit: u64, deadline: Instant) -> limit::Limit {
        match self.work {
            Some(w) => limit::Limit::work(
                w.saturating_mul(changes_per_unit),
                deadline,
                self.cut.clone(),
            ),
            None => limit::Limit::until(deadline),
        }
    }

    /// Pricing rounds from the run's budget, or `deadline` alone.
    fn rounds(&self, deadline: Instant) -> limit::Limit {
        match self.budget {
            Some(w) => {
                let rounds = ((w as f64 * PRICING_ROUNDS_PER_UNIT).ceil() as u64)
                    .clamp(MIN_NODES, MAX_PRICING_ROUNDS);
                limit::Limit::work(rounds, deadline, self.cut.clone())
            }
            None => limit::Limit::until(deadline),
        }
    }

    /// Nodes for one MILP stage, with a budget.
    fn nodes(&self) -> Option<u64> {
        self.budget
            .map(|w| ((w as f64 * NODES_PER_UNIT).ceil() as u64).max(MIN_NODES))
    }
}

/// Default of [`SolveOptions::max_milp_nonzeros`].
pub const MAX_MILP_NONZEROS: usize = 2_000_000;

/// How to solve.
#[derive(Clone, Debug)]
pub struct SolveOptions {
    pub backend: Backend,
    pub time_limit_s: f64,
    pub mip_gap: f64,
    /// Solve independent parts separately (same optimum, less work).
    pub decompose: bool,
    /// Stop after the heuristic (no MILP): fast, no optimality proof.
    pub heuristic_only: bool,
    /// A plan to start from (person and role indices of this scenario),
    /// e.g. the base plan when one person is taken out or added: what
    /// still fits is kept, the rest is searched around it.
    pub warm_start: Option<std::sync::Arc<Plan>>,
    /// Rounds of the heuristic's perturbation search without improvement
    /// before it stops; fewer is faster (0 = construction and local search
    /// only, for quick re-solves around a warm start).
    pub patience: usize,
    /// Parts whose model has more nonzeros than this keep their heuristic
    /// plan: an LP relaxation this large does not solve within minutes on
    /// a small machine (measured: 5.4 million nonzeros, root LP unfinished
    /// after 5 minutes with HiGHS), and would hold the time limit hostage.
    pub max_milp_nonzeros: usize,
    /// The wall-clock end of the whole command this solve belongs to: a
    /// solve never runs past it, whatever its own time limit.
    pub deadline: Option<Instant>,
    /// A work budget (`[solver] work`, `--work`), in units per 1,000
    /// eligible pairs: the search stops after this much counted work, so
    /// the same input and budget give the same plan on any machine; the
    /// time limit is then the safety net. `None`: the search stops at the
    /// time limit.
    pub work: Option<u64>,
}

impl SolveOptions {
    /// Seconds left before [`SolveOptions::deadline`] (its own time limit
    /// when there is none), at least a hundredth of a second.
    pub fn seconds_left(&self) -> f64 {
        let limit = self.time_limit_s;
        match self.deadline {
            Some(d) => limit
                .min(d.saturating_duration_since(Instant::now()).as_secs_f64())
                .max(0.01),
            None => limit,
        }
    }

    /// True once the command's deadline has passed.
    pub fn past_deadline(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

impl SolveOptions {
    /// The options a scenario's settings ask for.
    pub fn from_scenario(s: &Scenario) -> Result<SolveOptions, String> {
        Ok(SolveOptions {
            backend: Backend::resolve(s.settings.backend)?,
            time_limit_s: s.settings.time_limit_s,
            mip_gap: s.settings.mip_gap,
            decompose: true,
            heuristic_only: false,
            warm_start: None,
            patience: heuristic::PATIENCE,
            max_milp_nonzeros: MAX_MILP_NONZEROS,
            deadline: None,
            work: s.settings.work,
        })
    }
}

/// One objective stage's result, in the user's direction (fit is
/// maximised, the others minimised).
#[derive(Clone, Debug, Serialize)]
pub struct StageReport {
    pub stage: &'static str,
    pub sense: &'static str,
    pub objective: f64,
    /// Best proven bound (for the stage with earlier stages held).
    pub bound: Option<f64>,
    /// Relative gap |objective − bound| / max(|objective|, 1).
    pub gap: Option<f64>,
    pub status: Status,
    pub seconds: f64,
}

/// How the solve went.
#[derive(Clone, Debug, Serialize)]
pub struct SolveReport {
    pub backend: &'static str,
    pub status: Status,
    pub stages: Vec<StageReport>,
    /// Objective values of the heuristic plan, per stage, before the MILP.
    pub heuristic: Vec<(String, f64)>,
    pub seconds: f64,
    pub heuristic_seconds: f64,
    pub parts: usize,
    pub binaries: usize,
    pub rows: usize,
    /// Messages from backends that failed on a stage (the plan found so far
    /// stands).
    pub notes: Vec<String>,
    /// The work budget the run had, if any.
    pub work: Option<u64>,
    /// True when a work budget, not the clock, ended every step: the same
    /// input and budget give this plan on any machine.
    pub deterministic: bool,
}

impl SolveReport {
    /// Each stage's value as the solver minimises it (fit negated): what
    /// the next stage holds.
    pub fn held_values(&self) -> Vec<f64> {
        self.stages
            .iter()
            .map(|st| {
                if st.sense == "maximise" {
                    -st.objective
                } else {
                    st.objective
                }
            })
            .collect()
    }
}

/// A plan and how it was found.
#[derive(Clone, Debug)]
pub struct Solved {
    pub plan: Plan,
    pub report: SolveReport,
}

struct PartStage {
    objective: f64,
    bound: Option<f64>,
    status: Status,
    seconds: f64,
}

struct PartResult {
    pairs: Vec<(usize, usize)>,
    stages: Vec<PartStage>,
    heuristic: Vec<f64>,
    heuristic_seconds: f64,
    binaries: usize,
    rows: usize,
    notes: Vec<String>,
}

fn sense(stage: Stage) -> f64 {
    if stage == Stage::Fit {
        -1.0
    } else {
        1.0
    }
}

/// Share of the remaining time a stage may use.
fn stage_share(k: usize, n: usize) -> f64 {
    if k + 1 == n {
        1.0
    } else if k == 0 {
        0.55
    } else {
        0.5
    }
}

fn solve_part(
    s: &Scenario,
    inst: &Instance,
    opts: &SolveOptions,
    share: f64,
    overall: Instant,
    limits: &PartLimits,
) -> PartResult {
    let order = &s.settings.order;
    // A part gets its share of the time from when it starts, within the
    // overall limit; a part queued behind larger ones still gets 1% (more
    // made a run of many parts end well after its limit).
    let start = Instant::now();
    let limit = Duration::from_secs_f64(opts.time_limit_s);
    // With a work budget the whole time limit is every part's safety net.
    let deadline = if limits.work.is_some() {
        overall + limit
    } else {
        (start + limit.mul_f64(share))
            .min(overall + limit)
            .max(start + limit.mul_f64(LATE_PART_SHARE))
    };
    let mut early_notes = Vec::new();
    let too_large = inst.nonzeros() > opts.max_milp_nonzeros;
    if too_large && !opts.heuristic_only {
        early_notes.push(format!(
            "a part with {} binaries and about {} nonzeros is beyond the MILP within the time limit (the limit is {}): its heuristic plan stands, without a bound",
            inst.binaries(),
            inst.nonzeros(),
            opts.max_milp_nonzeros
        ));
    }
    // A MILP that cannot even answer within the part's share only makes
    // the whole solve late: the heuristic gets the time instead.
    // With a budget the MILP always runs (the skip would depend on the
    // clock); its node limit keeps it to the budget.
    let mut milp_cost = if limits.work.is_some() {
        0.0
    } else {
        opts.backend.seconds_before_answer(inst.nonzeros())
    };
    let part_seconds = deadline.saturating_duration_since(start).as_secs_f64();
    // With a budget the decision follows the model's size alone: a MILP
    // whose backend needs a second or more before it answers at all is
    // left out, as it would run by the clock, not by its nodes.
    let too_slow = !too_large
        && !opts.heuristic_only
        && if limits.work.is_some() {
            opts.backend.seconds_before_answer(inst.nonzeros()) >= MIN_MILP_COST_S
        } else {
            milp_cost >= MIN_MILP_COST_S && milp_cost > MILP_SHARE * part_seconds
        };
    let beyond = too_large || too_slow;
    let how = BoundBy::choose(inst, opts, beyond);
    let h_start = Instant::now();
    let heuristic_deadline = (start
        + Duration::from_secs_f64(
            opts.time_limit_s
                * share
                * if opts.heuristic_only || beyond {
                    1.0
                } else if how == BoundBy::Columns {
                    // Column generation finds better plans than more local
                    // search would.
                    0.1
                } else {
                    0.25
                },
        ))
    .min(deadline);
    let start_pairs: Vec<usize> = match &opts.warm_start {
        Some(plan) => {
            let index: std::collections::HashMap<(usize, usize), usize> = inst
                .pairs
                .iter()
                .enumerate()
                .map(|(i, p)| ((p.person, p.role), i))
                .collect();
            plan.assignments
                .iter()
                .filter_map(|a| index.get(&(a.person, a.role)).copied())
                .collect()
        }
        None => Vec::new(),
    };
    // With a budget the heuristic's safety net is the part's deadline.
    let chosen = heuristic::plan(
        s,
        inst,
        order,
        &start_pairs,
        opts.patience,
        limits.changes(
            HEURISTIC_CHANGES_PER_UNIT,
            if limits.work.is_some() {
                deadline
            } else {
                heuristic_deadline
            },
        ),
    );
    let heuristic_seconds = h_start.elapsed().as_secs_f64();
    let skip_milp = opts.heuristic_only || inst.pairs.is_empty() || too_large;
    // A bound on unfilled hours from the per-person problems: valid for
    // the whole model, and at scale far stronger than the LP relaxation.
    let mut chosen = chosen;
    // The bound's time (column generation included) is stage-1 work: it
    // counts in that stage's seconds.
    let bound_start = Instant::now();
    let lagrange_bound = if opts.heuristic_only || inst.pairs.is_empty() {
        None
    } else {
        let (bound, better) = part_bound(s, inst, opts, &chosen, deadline, how, limits);
        chosen = better;
        Some(bound)
    };
    let bound_seconds = bound_start.elapsed().as_secs_f64();
    // Only the MILP repairs a plan that breaks a municipality row, so a
    // part too slow for it still runs it then, however late.
    let skip_milp = skip_milp || (too_slow && plan_fair_excess(inst, &chosen) <= 1e-9);
    if too_slow && skip_milp && limits.work.is_some() {
        early_notes.push(format!(
            "a part with {} binaries and about {} nonzeros is beyond a MILP run by a work budget ({} needs some {:.0} s before it answers at all): its heuristic plan stands",
            inst.binaries(),
            inst.nonzeros(),
            opts.backend.name(),
            opts.backend.seconds_before_answer(inst.nonzeros()),
        ));
    } else if too_slow && skip_milp {
        early_notes.push(format!(
            "a part with {} binaries and about {} nonzeros needs some {milp_cost:.0} s before the MILP answers at all, more than 70% of its share of the time limit ({part_seconds:.1} s): its heuristic plan stands",
            inst.binaries(),
            inst.nonzeros(),
        ));
    }
    let stage_extra = |stage: Stage| {
        if stage == Stage::Unfilled {
            bound_seconds
        } else {
            0.0
        }
    };
    if skip_milp {
        // No MILP runs on this part: its plan stands, counted without
        // building a model it would not use (at national size that build
        // alone takes longer than the search).
        let values = heuristic::stage_values(s, inst, order, &chosen);
        let status = if inst.pairs.is_empty() {
            Status::Optimal
        } else {
            Status::TimeLimit
        };
        return PartResult {
            pairs: inst
                .pairs
                .iter()
                .zip(&chosen)
                .filter(|(_, &c)| c)
                .map(|(p, _)| (p.person, p.role))
                .collect(),
            stages: values
                .iter()
                .zip(order)
                .map(|(&v, &stage)| {
                    let bound = if inst.pairs.is_empty() {
                        Some(v)
                    } else if stage == Stage::Unfilled {
                        lagrange_bound.map(|b| b.min(v))
                    } else {
                        None
                    };
                    PartStage {
                        objective: v,
                        bound,
                        status: if bound.is_some_and(|b| v - b <= 1e-6 * v.abs().max(1.0)) {
                            Status::Optimal
                        } else {
                            status
                        },
                        seconds: stage_extra(stage),
                    }
                })
                .collect(),
            heuristic: values,
            heuristic_seconds,
            binaries: inst.binaries(),
            rows: inst.rows(s),
            notes: early_notes,
        };
    }
    let milp = Milp::build(s, inst);
    let mut values = milp.complete(inst, &chosen);
    let heuristic_values: Vec<f64> = order.iter().map(|&st| milp.evaluate(st, &values)).collect();
    let mut stages = Vec::new();
    let mut notes = early_notes;
    let mut held: Vec<Constraint> = Vec::new();
    let mut skipped_note = false;
    for (k, &stage) in order.iter().enumerate() {
        let t0 = Instant::now();
        let mut current = milp.evaluate(stage, &values);
        // Parts without pairs returned above, so only the MILP or the
        // per-person bound can prove a stage here.
        let (mut bound, mut status) = (None, Status::TimeLimit);
        // The per-person bound may prove the plan already: then the stage
        // needs no MILP (only when the plan keeps the municipality rows,
        // which that bound leaves out).
        let lagrange = lagrange_bound.filter(|_| stage == Stage::Unfilled);
        let tol = 1e-6 * current.abs().max(1.0);
        if lagrange.is_some_and(|b| current - b <= tol) && fair_excess(inst, &values) <= 1e-9 {
            bound = Some(current);
            status = Status::Optimal;
        } else if milp_cost >= MIN_MILP_COST_S
            && deadline
                .saturating_duration_since(Instant::now())
                .as_secs_f64()
                < milp_cost
            && fair_excess(inst, &values) <= 1e-9
        {
            // Too little time left for the backend to answer: the plan
            // so far stands.
            if !skipped_note {
                skipped_note = true;
                notes.push(format!(
                    "a part with {} binaries had {:.1} s left for stage {} on, less than its MILP needs to answer (some {milp_cost:.0} s): its plan so far stands",
                    inst.binaries(),
                    deadline.saturating_duration_since(Instant::now()).as_secs_f64(),
                    stage.id()
                ));
            }
        } else {
            let remaining = deadline
                .saturating_duration_since(Instant::now())
                .as_secs_f64();
            // Only the rows this stage and the held ones need.
            let mut rows = milp.rows_for(&order[..=k]);
            rows.extend(held.iter().cloned());
            // A plan that breaks a municipality row needs the MILP to
            // answer at all, however late.
            let floor = if fair_excess(inst, &values) > 1e-9 {
                milp_cost.max(0.05)
            } else {
                0.05
            };
            let time_limit_s = (remaining * stage_share(k, order.len())).max(floor);
            let problem = backend::Problem {
                vars: milp.vars.clone(),
                all: &milp.all,
                objective: milp.objective(stage).clone(),
                rows,
                warm: Some(values.clone()),
                time_limit_s,
                node_limit: limits.nodes(),
                mip_gap: opts.mip_gap,
            };
            let asked = Instant::now();
            let solved = backend::solve(opts.backend, problem);
            // What a backend ran past its limit is what it does not
            // stop for (reading, presolve, the root LP): the next stage
            // needs at least that. (Counting the whole time instead
            // skipped the later stages of the region's larger parts and
            // ended that run 8 s early.)
            milp_cost = milp_cost.max(asked.elapsed().as_secs_f64() - time_limit_s);
            if let Ok(out) = &solved {
                // A budgeted stage that stopped at neither its proof nor
                // its nodes stopped at the clock.
                if limits.work.is_some()
                    && out.status == Status::TimeLimit
                    && !out.node_limit_reached
                {
                    limits.cut.store(true, Ordering::Relaxed);
                }
            }
            match solved {
                Ok(out)
                    if out.status != Status::Infeasible && out.values.len() == milp.all.len() =>
                {
                    let candidate = milp.complete(inst, &milp.chosen(&out.values));
                    let value = milp.evaluate(stage, &candidate);
                    let holds = held_ok(&milp, order, k, &candidate, &values);
                    let (was, now) = (fair_excess(inst, &values), fair_excess(inst, &candidate));
                    // A plan that keeps the municipality caps beats one
                    // that breaks them (the heuristic may start outside).
                    let repairs = now < was - 1e-9;
                    let better = value <= current + 1e-7 * current.abs().max(1.0)
                        && holds
                        && now <= was + 1e-9;
                    if repairs || better {
                        values = candidate;
                        current = value;
                    }
                    status = out.status;
                    // Backends drop the objective's constant term; recover
                    // it from the values they returned.
                    let offset = milp.evaluate(stage, &out.values) - out.objective;
                    bound = out.bound.map(|b| (b + offset).min(current));
                }
                Ok(_) => notes.push(format!(
                    "stage {}: the backend found no plan; the heuristic plan stands",
                    stage.id()
                )),
                Err(e) => notes.push(format!(
                    "stage {}: {e}; the best plan so far stands",
                    stage.id()
                )),
            }
        }
        if let Some(lb) = lagrange {
            let best = bound.map_or(lb, |b| b.max(lb)).min(current);
            bound = Some(best);
            if current - best <= 1e-6 * current.abs().max(1.0) && fair_excess(inst, &values) <= 1e-9
            {
                status = Status::Optimal;
            }
        }
        let tol = 1e-6 * current.abs().max(1.0);
        let obj = milp.objective(stage).clone();
        held.push(constraint!(obj <= current + tol));
        stages.push(PartStage {
            objective: current,
            bound,
            status,
            seconds: t0.elapsed().as_secs_f64() + stage_extra(stage),
        });
    }
    let chosen = milp.chosen(&values);
    let pairs = inst
        .pairs
        .iter()
        .zip(&chosen)
        .filter(|(_, &c)| c)
        .map(|(p, _)| (p.person, p.role))
        .collect();
    PartResult {
        pairs,
        stages,
        heuristic: heuristic_values,
        heuristic_seconds,
        binaries: inst.binaries(),
        rows: milp.num_rows(),
        notes,
    }
}

/// How a part's unfilled hours are bounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BoundBy {
    /// Column generation (HiGHS), which also finds plans.
    Columns,
    /// Subgradient prices, then the local search from the people's
    /// choices at the best prices.
    Subgradient,
    /// Subgradient prices for 5% of the time and no repair: HiGHS will
    /// solve the part's MILP and needs the time more.
    SubgradientBeforeHighs,
}

/// Most eligible pairs per person, on average over a part, for column
/// generation. Measured with HiGHS at 60 s: at 43 (1,000 people) the prices
/// settle in 1–8 s a part; at 86 (2,000 people) and above a round of
/// pricing takes 0.2–2 s and they do not, while the MILP and the local
/// search lose the time (5,000 people: 2% more weighted unfilled hours).
const COLUMNS_MAX_PAIRS_PER_PERSON: usize = 64;

impl BoundBy {
    fn choose(inst: &Instance, opts: &SolveOptions, too_large: bool) -> BoundBy {
        let people = inst
            .pairs
            .iter()
            .map(|p| p.person)
            .collect::<std::collections::HashSet<_>>()
            .len()
            .max(1);
        let highs = opts.backend != Backend::Microlp;
        // Column generation runs by the clock; a work budget prices by
        // rounds instead.
        let columns = opts.work.is_none();
        if highs
            && columns
            && !too_large
            && inst.pairs.len() <= COLUMNS_MAX_PAIRS_PER_PERSON * people
        {
            BoundBy::Columns
        } else if highs && !too_large {
            BoundBy::SubgradientBeforeHighs
        } else {
            BoundBy::Subgradient
        }
    }
}

/// A lower bound on the part's weighted unfilled hours, and the better of
/// `chosen` and the plans the bound's work suggests.
fn part_bound(
    s: &Scenario,
    inst: &Instance,
    opts: &SolveOptions,
    chosen: &[bool],
    deadline: Instant,
    how: BoundBy,
    limits: &PartLimits,
) -> (f64, Vec<bool>) {
    let order = &s.settings.order;
    let now = Instant::now();
    let left = deadline.saturating_duration_since(now);
    #[cfg(feature = "highs")]
    if how == BoundBy::Columns {
        // The prices usually settle in well under half of the part's
        // time; the dives and the repairs take at most the rest of stage
        // 1's share. Stages 2 to 4 get what remains.
        let found = columns::unfilled_columns(
            s,
            inst,
            order,
            opts.patience,
            chosen,
            now + left.mul_f64(0.5),
            now + left.mul_f64(0.9),
        );
        return (found.bound, found.plan);
    }
    let share = if how == BoundBy::SubgradientBeforeHighs {
        0.05
    } else {
        0.1
    };
    // With a budget: a fixed number of pricing rounds, the part's deadline
    // as the safety net.
    let prices_until = if limits.work.is_some() {
        deadline
    } else {
        now + left.mul_f64(share)
    };
    let (bound, start) = lagrange::unfilled_bound(s, inst, chosen, limits.rounds(prices_until));
    if how != BoundBy::Subgradient || start.is_empty() {
        return (bound, chosen.to_vec());
    }
    // The per-person choices at the best prices are nearly a plan: repair
    // and improve them, and keep the result if it is better.
    let unfilled = heuristic::stage_values(s, inst, &[Stage::Unfilled], chosen)[0];
    if unfilled - bound > 1e-6 * unfilled.abs().max(1.0) {
        let now = Instant::now();
        let again = if limits.work.is_some() {
            deadline
        } else {
            now + deadline.saturating_duration_since(now).mul_f64(0.1)
        };
        let other = heuristic::plan(
            s,
            inst,
            order,
            &start,
            opts.patience,
            limits.changes(REPAIR_CHANGES_PER_UNIT, again),
        );
        if heuristic::better(s, inst, order, &other, chosen) {
            return (bound, other);
        }
    }
    (bound, chosen.to_vec())
}

/// How far a pair selection breaks the municipality rows in total.
fn plan_fair_excess(inst: &Instance, chosen: &[bool]) -> f64 {
    let values: Vec<f64> = chosen.iter().map(|&c| f64::from(u8::from(c))).collect();
    fair_excess(inst, &values)
}

/// How far values break the municipality rows in total.
fn fair_excess(inst: &Instance, values: &[f64]) -> f64 {
    inst.fair
        .iter()
        .map(|f| {
            let lhs: f64 = f.terms.iter().map(|&(i, c)| c * values[i]).sum();
            (lhs - f.limit).max(0.0)
        })
        .sum()
}

/// A new plan must not be worse on any earlier stage than the plan it replaces.
fn held_ok(milp: &Milp, order: &[Stage], k: usize, candidate: &[f64], current: &[f64]) -> bool {
    order[..k].iter().all(|&st| {
        let before = milp.evaluate(st, current);
        milp.evaluate(st, candidate) <= before + 1e-6 * before.abs().max(1.0) + 1e-9
    })
}

/// Builds the model of a scenario and solves it.
pub fn solve(s: &Scenario, opts: &SolveOptions) -> Solved {
    let start = Instant::now();
    let clamped;
    let opts = if opts.deadline.is_some() {
        let mut o = opts.clone();
        o.time_limit_s = opts.seconds_left();
        clamped = o;
        &clamped
    } else {
        opts
    };
    let pairs = eligible_pairs(s);
    let mut parts = if opts.decompose {
        Instance::split(s, pairs)
    } else {
        drop(pairs);
        vec![Instance::build(s)]
    };
    // Largest parts first so the parallel pool finishes together.
    parts.sort_by_key(|p| std::cmp::Reverse(p.pairs.len()));
    // Each part's share of the limit: its size against the work per core,
    // so the parts together fit the limit on this machine's cores.
    let total: usize = parts.iter().map(|p| p.pairs.len()).sum::<usize>().max(1);
    let cores = rayon::current_num_threads().max(1) as f64;
    let cut = Arc::new(AtomicBool::new(false));
    let results: Vec<PartResult> = parts
        .par_iter()
        .map(|inst| {
            let share = (cores * inst.pairs.len() as f64 / total as f64).clamp(0.02, 1.0);
            // A budget is work per 1,000 eligible pairs: a part's share
            // follows its size alone, never the cores or the clock, so every
            // part does the same work on any machine, and one budget means
            // the same depth of search in a small scenario and a large one.
            let limits = PartLimits {
                work: opts
                    .work
                    .map(|w| ((w as f64 * inst.pairs.len() as f64 / 1000.0).ceil() as u64).max(1)),
                budget: opts.work,
                cut: cut.clone(),
            };
            solve_part(s, inst, opts, share, start, &limits)
        })
        .collect();
    let order = &s.settings.order;
    let mut all_pairs = Vec::new();
    let mut notes = Vec::new();
    for r in &results {
        all_pairs.extend(r.pairs.iter().copied());
        notes.extend(r.notes.iter().cloned());
    }
    let mut stages = Vec::new();
    for (k, &stage) in order.iter().enumerate() {
        let objective: f64 = results.iter().map(|r| r.stages[k].objective).sum();
        let bound: Option<f64> = if opts.heuristic_only {
            None
        } else if matches!(stage, Stage::Unfilled | Stage::Balance) {
            // Unfilled hours and uncovered needs are never negative, so a
            // part without a bound of its own still bounds the sum by 0.
            Some(
                results
                    .iter()
                    .map(|r| r.stages[k].bound.unwrap_or(0.0).max(0.0))
                    .sum(),
            )
        } else {
            results.iter().map(|r| r.stages[k].bound).sum()
        };
        let status = if results
            .iter()
            .all(|r| r.stages[k].status == Status::Optimal)
        {
            Status::Optimal
        } else {
            Status::TimeLimit
        };
        let seconds = results
            .iter()
            .map(|r| r.stages[k].seconds)
            .fold(0.0, f64::max);
        let sg = sense(stage);
        let gap = bound.map(|b| {
            let d = (objective - b).abs();
            if d < 1e-6 {
                0.0
            } else {
                d / objective.abs().max(1.0)
            }
        });
        stages.push(StageReport {
            stage: stage.id(),
            sense: if sg < 0.0 { "maximise" } else { "minimise" },
            objective: clean(sg * objective),
            bound: bound.map(|b| clean(sg * b)),
            gap,
            status,
            seconds,
        });
    }
    let heuristic = order
        .iter()
        .enumerate()
        .map(|(k, &st)| {
            (
                st.id().to_string(),
                clean(sense(st) * results.iter().map(|r| r.heuristic[k]).sum::<f64>()),
            )
        })
        .collect();
    let status = if stages.iter().all(|st| st.status == Status::Optimal) {
        Status::Optimal
    } else {
        Status::TimeLimit
    };
    if opts.work.is_some() && cut.load(Ordering::Relaxed) {
        notes.push(format!(
            "the time limit ({:.0} s) ended a step before its work budget did: this plan depends on the machine's speed and load; raise the time limit or lower the work budget for a plan that repeats",
            opts.time_limit_s
        ));
    }
    let report = SolveReport {
        backend: if opts.heuristic_only {
            "heuristic"
        } else {
            opts.backend.name()
        },
        status,
        stages,
        heuristic,
        seconds: start.elapsed().as_secs_f64(),
        heuristic_seconds: results
            .iter()
            .map(|r| r.heuristic_seconds)
            .fold(0.0, f64::max),
        parts: results.len(),
        binaries: results.iter().map(|r| r.binaries).sum(),
        rows: results.iter().map(|r| r.rows).sum(),
        notes,
        work: opts.work,
        deterministic: opts.work.is_some() && !cut.load(Ordering::Relaxed),
    };
    Solved {
        plan: Plan::from_pairs(all_pairs),
        report,
    }
}

/// Rounds away float noise for reporting (6 decimals).
fn clean(v: f64) -> f64 {
    let r = (v * 1e6).round() / 1e6;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

#[cfg(all(test, feature = "highs"))]
mod tests {
    use super::*;

    /// One generated municipality (one part) of `people` people.
    fn municipality(people: usize) -> Scenario {
        let tmp = tempfile::tempdir().unwrap();
        let g = crate::generate::generate(&crate::generate::GenerateParams {
            people,
            municipalities: 1,
            projects: None,
            seed: 5,
            load: None,
        })
        .unwrap();
        g.write_to(tmp.path()).unwrap();
        crate::input::load(tmp.path()).unwrap()
    }

    #[test]
    fn a_part_whose_milp_cannot_answer_within_its_share_keeps_its_heuristic_plan() {
        let s = municipality(400);
        let parts = Instance::split(&s, eligible_pairs(&s));
        let cost = parts
            .iter()
            .map(|p| Backend::Highs.seconds_before_answer(p.nonzeros()))
            .fold(0.0, f64::max);
        assert!(
            cost >= MIN_MILP_COST_S,
            "the scenario is too small for the rule: {cost:.2} s"
        );
        let mut opts = SolveOptions::from_scenario(&s).unwrap();
        opts.backend = Backend::Highs;
        // Less than the MILP's answer time even for a part with all of it.
        opts.time_limit_s = cost * MILP_SHARE * 0.5;
        let solved = solve(&s, &opts);
        assert!(
            solved
                .report
                .notes
                .iter()
                .any(|n| n.contains("before the MILP answers at all")),
            "{:?}",
            solved.report.notes
        );
        assert!(crate::plan::check::check(&s, &solved.plan).is_empty());
        assert!(!solved.plan.assignments.is_empty());
        // The microlp build keeps its limits and never skips for this.
        assert_eq!(
            Backend::Microlp.seconds_before_answer(parts[0].nonzeros()),
            0.0
        );
    }
}
