//! Postponing and phasing: which projects to start later, and by how much,
//! so that fewer required hours go unfilled — for the half-yearly building
//! consultation where the portfolio meets capacity.
//!
//! Each project with a `max_delay` may start 0 … max_delay planning periods
//! later (all its phases move together). The search minimises the
//! priority-weighted unfilled hours first and the total delay second:
//! improving moves (one project's delay changed) are tried in parallel and
//! the best is applied until none improves; then every delay is shortened
//! while that costs nothing. Each candidate is judged by re-solving the
//! plan around the shift, warm-started from the current plan.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::domain::{Date, PeriodKind, Scenario};
use crate::plan::score::score;
use crate::plan::Plan;
use crate::solve::{self, SolveOptions};

/// Moves a date by `n` planning periods. Months keep the day (a month end
/// stays a month end); quarters are three months; weeks seven days.
pub fn shift(date: Date, period: PeriodKind, n: i64) -> Date {
    let months = match period {
        PeriodKind::Week => return date.add_days(7 * n),
        PeriodKind::Month => n,
        PeriodKind::Quarter => 3 * n,
    };
    let total = i64::from(date.year()) * 12 + i64::from(date.month() - 1) + months;
    let (year, month) = (total.div_euclid(12) as i32, total.rem_euclid(12) as u32 + 1);
    let last = |y: i32, m: u32| {
        (28..=31)
            .rev()
            .find_map(|d| Date::new(y, m, d))
            .expect("every month has a 28th")
    };
    if date == last(date.year(), date.month()) {
        last(year, month)
    } else {
        Date::new(year, month, date.day()).unwrap_or_else(|| last(year, month))
    }
}

/// The scenario with each project's phases moved by its delay (periods).
pub fn delayed(s: &Scenario, delays: &BTreeMap<usize, u32>) -> Scenario {
    let mut t = s.clone();
    for ph in &mut t.phases {
        if let Some(&d) = delays.get(&ph.project) {
            if d > 0 {
                ph.start = shift(ph.start, s.settings.period, i64::from(d));
                ph.end = shift(ph.end, s.settings.period, i64::from(d));
            }
        }
    }
    t
}

/// What a set of delays gives.
#[derive(Clone, Debug)]
pub struct Evaluated {
    pub delays: BTreeMap<usize, u32>,
    pub plan: Arc<Plan>,
    pub weighted_unfilled: f64,
    /// Required role-hours over the horizon left open.
    pub unfilled_required_role_hours: f64,
    pub blocked_phases: usize,
}

impl Evaluated {
    fn total_delay(&self) -> u32 {
        self.delays.values().sum()
    }

    /// Better: less weighted unfilled, then less total delay.
    fn better_than(&self, other: &Evaluated) -> bool {
        let tol = 1e-6 * other.weighted_unfilled.abs().max(1.0);
        self.weighted_unfilled < other.weighted_unfilled - tol
            || (self.weighted_unfilled <= other.weighted_unfilled + tol
                && self.total_delay() < other.total_delay())
    }
}

fn evaluate(
    s: &Scenario,
    delays: BTreeMap<usize, u32>,
    from: &Arc<Plan>,
    opts: &SolveOptions,
) -> Evaluated {
    let t = delayed(s, &delays);
    let mut o = opts.clone();
    o.warm_start = Some(from.clone());
    let plan = solve::solve(&t, &o).plan;
    let c = score(&t, &plan);
    Evaluated {
        delays,
        plan: Arc::new(plan),
        weighted_unfilled: c.weighted_unfilled,
        unfilled_required_role_hours: c.time.unfilled_required_role_hours,
        blocked_phases: c.time.blocked_phases,
    }
}

/// One project's delay in the result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Delay {
    pub project_id: String,
    pub name: String,
    pub municipality: String,
    pub priority: f64,
    pub max_delay: u32,
    pub delay: u32,
    /// First phase start before and after.
    pub start: String,
    pub new_start: String,
    /// Priority-weighted open role-hours (stage 1) the plan with this
    /// project on time (the others keeping their delays) leaves more than
    /// the plan with every delay: always more than zero, or the delay
    /// would have been dropped.
    pub buys_weighted_unfilled: f64,
    /// Required role-hours over the horizon that would go unfilled again if
    /// this project started on time (the others keeping their delays).
    pub buys_required_role_hours: f64,
}

/// The outcome of the search.
#[derive(Clone, Debug)]
pub struct Phasing {
    pub before: Evaluated,
    pub after: Evaluated,
    pub delays: Vec<Delay>,
    /// The scenario with the chosen delays applied.
    pub scenario: Scenario,
    pub evaluations: usize,
    /// The command's time limit ended the search before it was done.
    pub cut_short: bool,
}

/// For each delay of `current`, the plan with that project on time and the
/// other delays kept (re-planned from `current`'s plan), in project order.
fn on_time_plans(
    s: &Scenario,
    current: &Evaluated,
    opts: &SolveOptions,
    tick: &(dyn Fn() + Sync),
) -> Vec<(usize, Evaluated)> {
    current
        .delays
        .keys()
        .map(|&j| {
            let mut on_time = current.delays.clone();
            on_time.remove(&j);
            let undo = evaluate(s, on_time, &current.plan, opts);
            tick();
            (j, undo)
        })
        .collect()
}

/// One delay as reported: what it is and what the plan without it leaves.
fn delay_row(s: &Scenario, j: usize, current: &Evaluated, undo: &Evaluated) -> Delay {
    let p = &s.projects[j];
    let d = current.delays[&j];
    let first = s
        .phases
        .iter()
        .filter(|ph| ph.project == j)
        .map(|ph| ph.start)
        .min();
    Delay {
        project_id: p.id.clone(),
        name: p.name.clone(),
        municipality: p.municipality.clone(),
        priority: p.priority,
        max_delay: s.max_delay.get(&p.id).copied().unwrap_or(0),
        delay: d,
        start: first.map(|f| f.to_string()).unwrap_or_default(),
        new_start: first
            .map(|f| shift(f, s.settings.period, i64::from(d)).to_string())
            .unwrap_or_default(),
        buys_weighted_unfilled: undo.weighted_unfilled - current.weighted_unfilled,
        buys_required_role_hours: undo.unfilled_required_role_hours
            - current.unfilled_required_role_hours,
    }
}

/// Chooses delays. `opts` are the options of each re-solve; `base` is the
/// plan of the scenario as given; `tick` is called per evaluation.
pub fn choose(
    s: &Scenario,
    base: Arc<Plan>,
    opts: &SolveOptions,
    tick: &(dyn Fn() + Sync),
) -> Phasing {
    let movable: Vec<(usize, u32)> = s
        .projects
        .iter()
        .enumerate()
        .filter_map(|(j, p)| s.max_delay.get(&p.id).map(|&d| (j, d)))
        .collect();
    let before = evaluate(s, BTreeMap::new(), &base, opts);
    tick();
    let mut current = before.clone();
    let mut evaluations = 1;
    let mut cut_short = false;
    loop {
        if opts.past_deadline() {
            cut_short = true;
            break;
        }
        let candidates: Vec<BTreeMap<usize, u32>> = movable
            .iter()
            .flat_map(|&(j, max)| {
                let now = current.delays.get(&j).copied().unwrap_or(0);
                let cur = current.delays.clone();
                (0..=max).filter(move |&d| d != now).map(move |d| {
                    let mut next = cur.clone();
                    if d == 0 {
                        next.remove(&j);
                    } else {
                        next.insert(j, d);
                    }
                    next
                })
            })
            .collect();
        if candidates.is_empty() {
            break;
        }
        evaluations += candidates.len();
        let from = current.plan.clone();
        let results: Vec<Evaluated> = candidates
            .into_par_iter()
            .map(|d| {
                let e = evaluate(s, d, &from, opts);
                tick();
                e
            })
            .collect();
        // The best move; ties go to the first in project and delay order.
        let best = results
            .into_iter()
            .fold(None::<Evaluated>, |best, e| match best {
                Some(b) if !e.better_than(&b) => Some(b),
                _ => Some(e),
            });
        match best {
            Some(b) if b.better_than(&current) => current = b,
            _ => break,
        }
    }
    // A delay stays only when the plan without it, by the same engine, is
    // worse: a re-plan around "this one on time" that does as well drops it.
    let mut undos = on_time_plans(s, &current, opts, tick);
    evaluations += undos.len();
    while let Some(k) = undos.iter().position(|(_, u)| !current.better_than(u)) {
        current = undos.swap_remove(k).1;
        undos = on_time_plans(s, &current, opts, tick);
        evaluations += undos.len();
    }
    // With one delay left, its "on time" plan and `before` are both plans
    // without delays: the better one is both the baseline and the delay's
    // "on time", so the total and the delay's own gain are one difference.
    let mut before = before;
    if let [(_, undo)] = undos.as_mut_slice() {
        if undo.better_than(&before) {
            before = undo.clone();
        } else {
            *undo = before.clone();
        }
        if !current.better_than(&before) {
            current = before.clone();
            undos.clear();
        }
    }
    let scenario = delayed(s, &current.delays);
    let delays = undos
        .iter()
        .map(|(j, undo)| delay_row(s, *j, &current, undo))
        .collect::<Vec<_>>();
    Phasing {
        before,
        after: current,
        delays,
        scenario,
        evaluations,
        cut_short,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn shifting_keeps_month_ends_and_days() {
        assert_eq!(shift(d(2026, 1, 31), PeriodKind::Month, 1), d(2026, 2, 28));
        assert_eq!(shift(d(2026, 1, 15), PeriodKind::Month, 13), d(2027, 2, 15));
        assert_eq!(shift(d(2026, 1, 1), PeriodKind::Month, 2), d(2026, 3, 1));
        assert_eq!(
            shift(d(2026, 11, 30), PeriodKind::Quarter, 1),
            d(2027, 2, 28)
        );
        assert_eq!(shift(d(2026, 3, 31), PeriodKind::Month, 1), d(2026, 4, 30));
        assert_eq!(shift(d(2026, 1, 5), PeriodKind::Week, 2), d(2026, 1, 19));
        assert_eq!(
            shift(d(2027, 12, 31), PeriodKind::Month, 0),
            d(2027, 12, 31)
        );
    }

    #[test]
    fn delays_move_every_phase_of_the_project_only() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/small");
        let s = crate::input::load(&dir).unwrap();
        let t = delayed(&s, &BTreeMap::from([(0, 2)]));
        for (a, b) in s.phases.iter().zip(&t.phases) {
            if a.project == 0 {
                assert_eq!(b.start, shift(a.start, s.settings.period, 2));
                assert_eq!(b.end, shift(a.end, s.settings.period, 2));
            } else {
                assert_eq!((a.start, a.end), (b.start, b.end));
            }
        }
    }
}
