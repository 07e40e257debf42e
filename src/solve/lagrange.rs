//! A lower bound on unfilled hours without the LP relaxation: Lagrangian
//! relaxation of the slot counts.
//!
//! Every row that ties two people together (the slot count of a role line,
//! the home-member rule, the municipality guarantees) is dropped or priced;
//! what remains falls apart into one small problem per person — which of
//! their eligible role lines to take, within their hours, pool share,
//! concurrent projects and one role per team, in every period — solved
//! exactly by a sweep over the start of each role line. For any prices
//! λ ≥ 0 on the slot counts,
//!
//!   most weighted hours filled ≤ Σ_r λ_r · count_r + Σ_p best_p(w − λ),
//!
//! so total hours minus that is a lower bound on unfilled hours, valid for
//! the whole model (the dropped rows only make it weaker). The prices are
//! improved by subgradient steps.
//!
//! The per-person problems are far smaller than the model, and this bound
//! equals the best over all mixtures of per-person plans, which is much
//! stronger than the LP relaxation when people hold one or two slots at a
//! time: on the demo the LP relaxation was 1,500 against an optimum of 1,940
//! weighted hours a week (see docs/model.md).

use std::collections::HashMap;
use std::time::Instant;

use super::limit::Limit;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::domain::Scenario;
use crate::model::{phase_periods, Instance};

/// One person's eligible pairs and limits.
struct Person {
    /// Pair indices sorted by (start, end, index).
    pairs: Vec<usize>,
    hours: f64,
    share: f64,
    max_projects: Option<u32>,
}

/// Per pair: (start, end) period, phase, project, hours, pooled, role line.
struct PairInfo {
    start: i64,
    end: i64,
    phase: usize,
    project: usize,
    hours: f64,
    pooled: bool,
    line: usize,
    weight: f64,
}

/// Subgradient steps on the prices of a person's hours per period.
const PRICE_STEPS: usize = 100;

/// Most states a person's sweep keeps before giving up on exactness.
const MAX_STATES: usize = 4_000;

/// The most a person can still add from the pairs after some position,
/// by prices on their hours in each period: with a price π_t ≥ 0 on an
/// hour in period t, a set fitting the hours left in every period is
/// worth at most Σ_t π_t · (hours left at t) plus, per pair, what its
/// reduced weight exceeds the price of its hours. The prices start as
/// those of each period's fractional knapsack over the pairs running then
/// and are improved by up to [`PRICE_STEPS`] subgradient steps.
struct Ahead {
    first: i64,
    hours: f64,
    /// Prefix sums of π over the periods from `first`.
    price_before: Vec<f64>,
    /// Per position: Σ over it and later positions of max(0, rc − price
    /// of the pair's hours).
    excess_from: Vec<f64>,
}

impl Ahead {
    fn new(person: &Person, info: &[PairInfo], rc: &[f64], cand: &[usize], greedy: f64) -> Ahead {
        let first = cand.iter().map(|&j| info[j].start).min().unwrap_or(0);
        let last = cand.iter().map(|&j| info[j].end).max().unwrap_or(first);
        let periods = (last - first + 1).max(0) as usize;
        // Per period: (value per hour and period, hours) of the pairs running.
        let mut running: Vec<Vec<(f64, f64)>> = vec![Vec::new(); periods];
        for &j in cand {
            let p = &info[j];
            let len = (p.end - p.start + 1) as f64;
            for t in p.start..=p.end {
                running[(t - first) as usize].push((rc[j] / (p.hours * len), p.hours));
            }
        }
        let mut pi = vec![0.0; periods];
        for (t, pairs) in running.iter_mut().enumerate() {
            pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
            let mut room = person.hours;
            for &(density, h) in pairs.iter() {
                if h >= room {
                    pi[t] = density;
                    break;
                }
                room -= h;
            }
        }
        // Improve the prices by subgradient steps on the bound they give:
        // H · Σ π + Σ_k max(0, rc_k − h_k · Σ_{t in k} π_t).
        let bound_at = |pi: &[f64], grad: &mut Vec<f64>| -> f64 {
            let mut before = vec![0.0; periods + 1];
            for t in 0..periods {
                before[t + 1] = before[t] + pi[t];
            }
            grad.clear();
            grad.resize(periods + 1, 0.0);
            let mut value = person.hours * before[periods];
            for &j in cand {
                let p = &info[j];
                let (a, b) = ((p.start - first) as usize, (p.end - first) as usize);
                let excess = rc[j] - p.hours * (before[b + 1] - before[a]);
                if excess > 0.0 {
                    value += excess;
                    grad[a] -= p.hours;
                    grad[b + 1] += p.hours;
                }
            }
            // From differences to the gradient H − load of the pairs kept.
            let mut run = 0.0;
            for g in grad.iter_mut().take(periods) {
                run += *g;
                *g = person.hours + run;
            }
            grad.truncate(periods);
            value
        };
        let mut grad = Vec::new();
        let mut best_pi = pi.clone();
        let mut best = bound_at(&pi, &mut grad);
        let mut theta = 1.0;
        for _ in 0..PRICE_STEPS {
            let value = bound_at(&pi, &mut grad);
            if value < best {
                best = value;
                best_pi.clone_from(&pi);
            } else {
                theta *= 0.7;
            }
            let norm: f64 = grad
                .iter()
                .zip(&pi)
                .map(|(g, p)| if *p <= 0.0 && *g > 0.0 { 0.0 } else { g * g })
                .sum();
            if norm <= 1e-12 || value - greedy <= 1e-9 {
                break;
            }
            let step = theta * (value - greedy) / norm;
            for (p, g) in pi.iter_mut().zip(&grad) {
                *p = (*p - step * g).max(0.0);
            }
        }
        let mut price_before = vec![0.0; periods + 1];
        for t in 0..periods {
            price_before[t + 1] = price_before[t] + best_pi[t];
        }
        let mut ahead = Ahead {
            first,
            hours: person.hours,
            price_before,
            excess_from: vec![0.0; cand.len() + 1],
        };
        for pos in (0..cand.len()).rev() {
            let p = &info[cand[pos]];
            let excess = (rc[cand[pos]] - p.hours * ahead.price(p.start, p.end)).max(0.0);
            ahead.excess_from[pos] = ahead.excess_from[pos + 1] + excess;
        }
        ahead
    }

    /// Σ π_t over periods `from..=to`.
    fn price(&self, from: i64, to: i64) -> f64 {
        let at = |t: i64| (t - self.first).clamp(0, self.price_before.len() as i64 - 1) as usize;
        self.price_before[at(to + 1)] - self.price_before[at(from)]
    }

    /// The most the pairs from position `pos` on (starting at `from` or
    /// later) can add to a state whose running pairs are `active`.
    fn at_most(
        &self,
        pos: usize,
        from: i64,
        active: &[u32],
        cand: &[usize],
        info: &[PairInfo],
    ) -> f64 {
        let last = self.first + self.price_before.len() as i64 - 2;
        let taken: f64 = active
            .iter()
            .map(|&a| {
                let p = &info[cand[a as usize]];
                p.hours * self.price(from, p.end)
            })
            .sum();
        self.hours * self.price(from, last) - taken + self.excess_from[pos]
    }
}

/// The value of a set taken greedily, most value per hour and period
/// first: a set the sweep must beat, found before it starts.
fn greedy_value(person: &Person, info: &[PairInfo], rc: &[f64], cand: &[usize]) -> f64 {
    let mut order = cand.to_vec();
    // A short pair leaves room for the next one.
    let density = |j: usize| rc[j] / (info[j].hours * (info[j].end - info[j].start + 1) as f64);
    order.sort_by(|&a, &b| density(b).total_cmp(&density(a)).then(a.cmp(&b)));
    let mut taken: Vec<usize> = Vec::new();
    let mut value = 0.0;
    for j in order {
        let pj = &info[j];
        let mut with = taken.clone();
        with.push(j);
        // The load peaks where some pair starts.
        let fits = with.iter().all(|&k| {
            let at = info[k].start;
            if at < pj.start || at > pj.end {
                return true;
            }
            let running: Vec<&PairInfo> = with
                .iter()
                .map(|&q| &info[q])
                .filter(|q| q.start <= at && at <= q.end)
                .collect();
            let load: f64 = running.iter().map(|q| q.hours).sum();
            let pooled: f64 = running.iter().filter(|q| q.pooled).map(|q| q.hours).sum();
            let mut projects: Vec<usize> = running.iter().map(|q| q.project).collect();
            projects.sort_unstable();
            projects.dedup();
            let phases = running.iter().filter(|q| q.phase == pj.phase).count();
            load <= person.hours + 1e-9
                && pooled <= person.share + 1e-9
                && phases <= 1
                && person
                    .max_projects
                    .is_none_or(|m| projects.len() <= m as usize)
        });
        if fits {
            taken = with;
            value += rc[j];
        }
    }
    value
}

/// A few values kept inline, unused places zero: the pairs a state has
/// running, or what they leave (its key), without an allocation each.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
struct Running<T: Copy + Default> {
    len: u8,
    at: [T; RUNNING_CAP],
}

/// Most pairs running at once in one sweep state; a person who could hold
/// more at once is priced by the relaxed bound instead.
const RUNNING_CAP: usize = 12;

impl<T: Copy + Default> Running<T> {
    fn items(&self) -> &[T] {
        &self.at[..self.len as usize]
    }

    fn push(&mut self, value: T) {
        self.at[self.len as usize] = value;
        self.len += 1;
    }

    fn retain(&mut self, keep: impl Fn(T) -> bool) {
        let mut n = 0;
        for k in 0..self.len as usize {
            if keep(self.at[k]) {
                self.at[n] = self.at[k];
                n += 1;
            }
        }
        for k in n..self.len as usize {
            self.at[k] = T::default();
        }
        self.len = n as u8;
    }
}

/// A person's pairs with a positive reduced weight, in start order.
/// Taking a pair never helps another row, so the others are never needed.
fn worth_taking(person: &Person, rc: &[f64]) -> Vec<usize> {
    person
        .pairs
        .iter()
        .copied()
        .filter(|&i| rc[i] > 1e-9)
        .collect()
}

/// The best weighted hours one person can take at reduced weights `rc`,
/// and the pairs taking them. `None` when the person's sweep grew beyond
/// [`MAX_STATES`] (or more than [`RUNNING_CAP`] pairs at once); the
/// caller then bounds the person by [`relaxed_for_person`].
fn best_for_person(person: &Person, info: &[PairInfo], rc: &[f64]) -> Option<(f64, Vec<usize>)> {
    sweep(person, info, rc, true)
}

/// The sweep behind [`best_for_person`]; `prune` off keeps every state
/// (the tests compare both).
///
/// The sweep visits the pairs by start. A state is what the choices so far
/// leave for the pairs still to come: the chosen pairs still running, each
/// seen only as its end, hours and pooling, plus its project where a pair
/// still to come or still running shares it (one role per team, concurrent
/// projects). Two states that leave the same are one, and the better value
/// wins. A state is dropped when even its most hopeful completion
/// ([`Ahead`]) cannot reach a set already found (greedily, or by another
/// state). Dropping never changes the answer, nor which of two equal sets
/// is returned: a state that beats another goes where it was made.
fn sweep(person: &Person, info: &[PairInfo], rc: &[f64], prune: bool) -> Option<(f64, Vec<usize>)> {
    let cand = worth_taking(person, rc);
    if cand.is_empty() {
        return Some((0.0, Vec::new()));
    }
    // Per position: the last position sharing its project that starts
    // before it ends. Past that its project no longer constrains anything
    // to come (nor its phase: a phase is one project's, in one window).
    let mut by_project: HashMap<usize, Vec<usize>> = HashMap::new();
    for (pos, &j) in cand.iter().enumerate() {
        by_project.entry(info[j].project).or_default().push(pos);
    }
    let project_until: Vec<usize> = cand
        .iter()
        .map(|&j| {
            let same = &by_project[&info[j].project];
            // Positions are in start order: the last one starting by j's end.
            let k = same.partition_point(|&q| info[cand[q]].start <= info[j].end);
            same[k - 1]
        })
        .collect();
    // Per position: the last position of its phase. Before that, a state
    // holding this pair differs from one holding a pair of another phase
    // of the same shape: only the other may still take the phase.
    let mut phase_last: HashMap<usize, usize> = HashMap::new();
    for (pos, &j) in cand.iter().enumerate() {
        phase_last.insert(info[j].phase, pos);
    }
    let phase_until: Vec<usize> = cand.iter().map(|&j| phase_last[&info[j].phase]).collect();
    let mut incumbent = greedy_value(person, info, rc, &cand);
    let ahead = Ahead::new(person, info, rc, &cand, incumbent);
    const NONE: u32 = u32::MAX;
    // Pairs alike in end, hours and pooling share a shape number.
    let mut shapes: Vec<(i64, u64, bool)> = cand
        .iter()
        .map(|&j| (info[j].end, info[j].hours.to_bits(), info[j].pooled))
        .collect();
    shapes.sort_unstable();
    shapes.dedup();
    let shape: Vec<u128> = cand
        .iter()
        .map(|&j| {
            let at = shapes.binary_search(&(info[j].end, info[j].hours.to_bits(), info[j].pooled));
            (at.unwrap_or(0) as u128 + 1) << 64
        })
        .collect();
    // What a state leaves for the pairs after position `pos`: its running
    // pairs' shapes, each with its project and its phase where that still
    // matters.
    let key = |active: &Running<u32>, pos: usize| -> Running<u128> {
        let items = active.items();
        let mut k = Running::<u128>::default();
        for &a in items {
            let pair = &info[cand[a as usize]];
            let shared = project_until[a as usize] > pos
                || items
                    .iter()
                    .any(|&b| b != a && info[cand[b as usize]].project == pair.project);
            let project = if shared { pair.project as u32 } else { NONE };
            let phase = if phase_until[a as usize] > pos {
                pair.phase as u32
            } else {
                NONE
            };
            k.push(shape[a as usize] | (u128::from(project) << 32) | u128::from(phase));
        }
        k.at[..k.len as usize].sort_unstable();
        k
    };
    // A state: the chosen pairs still running (positions in `cand`), its
    // value, and the last choice in `arena` (a chain back through every
    // choice so far, to read the solution back). States live in a vector
    // in the order they were made, and a map finds a state by what it
    // leaves: the sweep visits them in a fixed order, so ties always go to
    // the state made first and the result never depends on hashing.
    #[derive(Clone, Copy)]
    struct State {
        active: Running<u32>,
        value: f64,
        last: u32,
    }
    let mut arena: Vec<(u32, u32)> = Vec::new(); // (position, previous)
    let mut states = vec![State {
        active: Running::default(),
        value: 0.0,
        last: NONE,
    }];
    let mut next: Vec<State> = Vec::new();
    let mut index: FxHashMap<Running<u128>, usize> = FxHashMap::default();
    let max_projects = person.max_projects.map_or(usize::MAX, |m| m as usize);
    for (pos, &j) in cand.iter().enumerate() {
        let pj = &info[j];
        // Pairs running past here still count for the next pair.
        let next_start = cand.get(pos + 1).map(|&q| info[q].start);
        next.clear();
        index.clear();
        let mut keep = |next: &mut Vec<State>, mut state: State| {
            if let Some(s) = next_start {
                state.active.retain(|a| info[cand[a as usize]].end >= s);
            }
            match index.entry(key(&state.active, pos)) {
                std::collections::hash_map::Entry::Occupied(mut at) => {
                    // A better state goes last, where it was made, and the
                    // one it beats is left out.
                    let old = *at.get();
                    if state.value > next[old].value {
                        next[old].value = f64::NEG_INFINITY;
                        at.insert(next.len());
                        next.push(state);
                    }
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(next.len());
                    next.push(state);
                }
            }
        };
        for &state in &states {
            let running = state.active.items();
            let fits = {
                let (mut load, mut pooled) = (pj.hours, if pj.pooled { pj.hours } else { 0.0 });
                let mut same_phase = false;
                let mut projects = 1;
                for (k, &a) in running.iter().enumerate() {
                    let p = &info[cand[a as usize]];
                    load += p.hours;
                    if p.pooled {
                        pooled += p.hours;
                    }
                    same_phase |= p.phase == pj.phase;
                    // Count each project once: at its first running pair.
                    if p.project != pj.project
                        && running[..k]
                            .iter()
                            .all(|&b| info[cand[b as usize]].project != p.project)
                    {
                        projects += 1;
                    }
                }
                load <= person.hours + 1e-9
                    && (!pj.pooled || pooled <= person.share + 1e-9)
                    && !same_phase
                    && projects <= max_projects
            };
            if fits {
                if running.len() == RUNNING_CAP {
                    // More pairs at once than a state holds: not exact.
                    return None;
                }
                let mut with = state.active;
                with.push(pos as u32);
                arena.push((pos as u32, state.last));
                keep(
                    &mut next,
                    State {
                        active: with,
                        value: state.value + rc[j],
                        last: (arena.len() - 1) as u32,
                    },
                );
            }
            keep(&mut next, state);
        }
        // Drop a state when even its most hopeful completion cannot reach
        // a set already found.
        incumbent = next.iter().map(|s| s.value).fold(incumbent, f64::max);
        let floor = if prune {
            incumbent - 1e-9 * incumbent.abs().max(1.0)
        } else {
            f64::NEG_INFINITY
        };
        states.clear();
        states.extend(next.iter().filter(|state| {
            state.value > f64::NEG_INFINITY
                && next_start.is_none_or(|from| {
                    state.value + ahead.at_most(pos + 1, from, state.active.items(), &cand, info)
                        >= floor
                })
        }));
        if states.len() > MAX_STATES {
            return None;
        }
    }
    // The best final state, the first made among equals.
    let best = states
        .iter()
        .enumerate()
        .max_by(|(a, x), (b, y)| x.value.total_cmp(&y.value).then(b.cmp(a)))?
        .1;
    let mut taken = Vec::new();
    let mut at = best.last;
    while at != NONE {
        let (pos, previous) = arena[at as usize];
        taken.push(cand[pos as usize]);
        at = previous;
    }
    taken.reverse();
    Some((best.value, taken))
}

/// An upper bound on [`best_for_person`] when its sweep is too large: the
/// person's hours priced in every period ([`Ahead`] from the first
/// pair). When all the person's role lines share a period, one week of
/// hours holds them all, and the fractional knapsack over it bounds the
/// choice too; the lower of the two counts.
fn relaxed_for_person(person: &Person, info: &[PairInfo], rc: &[f64]) -> f64 {
    let mut cand = worth_taking(person, rc);
    if cand.is_empty() {
        return 0.0;
    }
    let greedy = greedy_value(person, info, rc, &cand);
    let ahead = Ahead::new(person, info, rc, &cand, greedy);
    // Prices of zero give every positive weight: never worse than that.
    let every: f64 = cand.iter().map(|&i| rc[i]).sum();
    let priced = ahead.at_most(0, ahead.first, &[], &cand, info).min(every);
    let latest_start = cand.iter().map(|&i| info[i].start).max();
    let earliest_end = cand.iter().map(|&i| info[i].end).min();
    if latest_start > earliest_end {
        return priced;
    }
    cand.sort_by(|&a, &b| (rc[b] / info[b].hours).total_cmp(&(rc[a] / info[a].hours)));
    let mut room = person.hours;
    let mut value = 0.0;
    for i in cand {
        if room <= 0.0 {
            break;
        }
        let share = (room / info[i].hours).min(1.0);
        value += share * rc[i];
        room -= share * info[i].hours;
    }
    value.min(priced)
}

/// The relaxed model of one part: every pair's period window and weight,
/// every person's pairs and limits, every role line's count. Pricing it at
/// prices λ gives the bound and each person's best choice.
pub(crate) struct Relaxation {
    info: Vec<PairInfo>,
    people: Vec<Person>,
    /// Slot count of each role line (index into `Instance::roles`).
    pub count: Vec<f64>,
    /// Total weighted hours of the part's role lines.
    pub total: f64,
}

/// The relaxation priced at some λ.
pub(crate) struct Priced {
    /// Σ λ·count + Σ best per person: an upper bound on weighted hours
    /// filled.
    pub value: f64,
    /// Per person (in [`Relaxation::person_pairs`] order): the best value
    /// at these prices and the pairs taking it, or `None` when the person's
    /// sweep was too large and a relaxed value stands in.
    pub people: Vec<(f64, Option<Vec<usize>>)>,
}

impl Relaxation {
    pub fn new(s: &Scenario, inst: &Instance) -> Relaxation {
        let periods = phase_periods(s);
        let line_of = inst.line_of();
        let info: Vec<PairInfo> = inst
            .pairs
            .iter()
            .map(|p| {
                let r = &s.roles[p.role];
                let (start, end) = periods[r.phase];
                PairInfo {
                    start,
                    end,
                    phase: r.phase,
                    project: r.project,
                    hours: p.hours,
                    pooled: p.pooled,
                    line: line_of[&p.role],
                    weight: s.line_weight(p.role),
                }
            })
            .collect();
        let mut by_person: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, p) in inst.pairs.iter().enumerate() {
            by_person.entry(p.person).or_default().push(i);
        }
        let mut people: Vec<Person> = by_person
            .into_iter()
            .map(|(person, mut pairs)| {
                pairs.sort_by_key(|&i| (info[i].start, info[i].end, i));
                let p = &s.people[person];
                Person {
                    pairs,
                    hours: p.hours_per_week,
                    share: s.settings.max_pool_share * p.hours_per_week,
                    max_projects: p.max_projects,
                }
            })
            .collect();
        people.sort_by_key(|p| p.pairs[0]);
        let count: Vec<f64> = inst
            .roles
            .iter()
            .map(|&r| f64::from(s.roles[r].count))
            .collect();
        Relaxation {
            info,
            people,
            count,
            total: inst.total_weighted_hours(s),
        }
    }

    // Used by column generation, which only the HiGHS build has.
    #[cfg_attr(not(feature = "highs"), allow(dead_code))]
    /// Weighted hours a pair fills.
    pub fn weight(&self, pair: usize) -> f64 {
        self.info[pair].weight
    }

    // Used by column generation, which only the HiGHS build has.
    #[cfg_attr(not(feature = "highs"), allow(dead_code))]
    /// The role line (index into `Instance::roles`) a pair fills.
    pub fn line(&self, pair: usize) -> usize {
        self.info[pair].line
    }

    /// Weighted hours a plan fills.
    pub fn filled(&self, plan: &[bool]) -> f64 {
        plan.iter()
            .enumerate()
            .filter(|(_, &c)| c)
            .map(|(i, _)| self.info[i].weight)
            .sum()
    }

    // Used by column generation, which only the HiGHS build has.
    #[cfg_attr(not(feature = "highs"), allow(dead_code))]
    /// Each person's pairs, in the order [`Priced::people`] uses.
    pub fn person_pairs(&self) -> impl Iterator<Item = &[usize]> {
        self.people.iter().map(|p| p.pairs.as_slice())
    }

    /// Prices the relaxation at `lambda` (one price per role line, ≥ 0).
    /// Past the deadline the remaining people get their cheap relaxed
    /// value: still a valid bound, and one slow person cannot hold a solve.
    pub fn price(&self, lambda: &[f64], limit: impl Into<Limit>) -> Priced {
        self.price_some(lambda, &[], limit)
    }

    /// [`Relaxation::price`] for the people not marked in `skip` (by
    /// index in [`Relaxation::person_pairs`] order; a shorter mask skips
    /// nobody beyond it). Skipped people count 0 and have no pairs, so the
    /// value bounds nothing unless `skip` marks nobody.
    pub fn price_some(&self, lambda: &[f64], skip: &[bool], limit: impl Into<Limit>) -> Priced {
        let limit = limit.into();
        let rc: Vec<f64> = self
            .info
            .iter()
            .map(|p| p.weight - lambda[p.line])
            .collect();
        let people: Vec<(f64, Option<Vec<usize>>)> = self
            .people
            .par_iter()
            .enumerate()
            .map(|(p, person)| {
                if skip.get(p).copied().unwrap_or(false) {
                    return (0.0, Some(Vec::new()));
                }
                let exact = if !limit.past_deadline() {
                    best_for_person(person, &self.info, &rc)
                } else {
                    None
                };
                match exact {
                    Some((v, pairs)) => (v, Some(pairs)),
                    None => (relaxed_for_person(person, &self.info, &rc), None),
                }
            })
            .collect();
        let value = lambda
            .iter()
            .zip(&self.count)
            .map(|(l, c)| l * c)
            .sum::<f64>()
            + people.iter().map(|(v, _)| v).sum::<f64>();
        Priced { value, people }
    }
}

/// A lower bound on the part's weighted unfilled hours, improved until the
/// limit (rounds of pricing, or the deadline) or until the prices stop
/// helping. `plan` is the best known plan:
/// its filled hours steer the step size.
///
/// Also returns the per-person choices at the best prices, most valuable
/// first: nearly a plan (some role lines taken more often than their
/// count), and a good place for the local search to start from.
pub fn unfilled_bound(
    s: &Scenario,
    inst: &Instance,
    plan: &[bool],
    limit: impl Into<Limit>,
) -> (f64, Vec<usize>) {
    let limit = limit.into();
    if inst.pairs.is_empty() {
        return (inst.total_weighted_hours(s), Vec::new());
    }
    let relax = Relaxation::new(s, inst);
    let (info, count, total) = (&relax.info, &relax.count, relax.total);
    let best_filled = relax.filled(plan);
    // Prices start at zero: every person takes their best, and lines taken
    // too often get dearer. (Starting from the plan's full lines was tried:
    // no better bound, and a worse start for the repair on the demo.)
    let mut lambda = vec![0.0; inst.roles.len()];
    let mut best = f64::INFINITY;
    let mut best_choice: Vec<(f64, usize)> = Vec::new();
    let mut theta = 1.0;
    let mut since_better = 0;
    for round in 0..500 {
        if limit.reached(round) {
            break;
        }
        let rc: Vec<f64> = info.iter().map(|p| p.weight - lambda[p.line]).collect();
        let t_round = Instant::now();
        let priced = relax.price(&lambda, limit.clone());
        let value = priced.value;
        if std::env::var_os("PLOEG_SOLVER_LOG").is_some() {
            let none = priced.people.iter().filter(|p| p.1.is_none()).count();
            eprintln!(
                "subgradient: {} people, {} inexact, value {:.1} total {:.1} best {:.1} in {:.2}s",
                priced.people.len(),
                none,
                value,
                total,
                best,
                t_round.elapsed().as_secs_f64()
            );
        }
        let solved: Vec<(f64, Vec<usize>)> = priced
            .people
            .into_iter()
            .map(|(v, pairs)| (v, pairs.unwrap_or_default()))
            .collect();
        if value < best - 1e-9 * value.abs().max(1.0) {
            best = value;
            best_choice = solved
                .iter()
                .flat_map(|(_, pairs)| pairs.iter().map(|&i| (rc[i], i)))
                .collect();
            since_better = 0;
        } else {
            since_better += 1;
            if since_better >= 10 {
                theta /= 2.0;
                since_better = 0;
            }
        }
        if best <= best_filled + 1e-6 || theta < 1e-3 {
            break;
        }
        // Subgradient: slots taken beyond the count raise the price.
        let mut taken = vec![0.0; inst.roles.len()];
        for (_, pairs) in &solved {
            for &i in pairs {
                taken[info[i].line] += 1.0;
            }
        }
        let g: Vec<f64> = count.iter().zip(&taken).map(|(c, t)| c - t).collect();
        let norm: f64 = g
            .iter()
            .zip(&lambda)
            // A price at zero that would go negative is not a direction.
            .map(|(gi, l)| if *l <= 0.0 && *gi > 0.0 { 0.0 } else { gi * gi })
            .sum();
        if norm <= 1e-12 {
            break;
        }
        let step = theta * (value - best_filled).max(1e-6) / norm;
        for (l, gi) in lambda.iter_mut().zip(&g) {
            *l = (*l - step * gi).max(0.0);
        }
    }
    best_choice.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    // Never above the trivial bound of filling nothing beyond the total.
    (
        (total - best.min(total)).max(0.0),
        best_choice.into_iter().map(|(_, i)| i).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::eligible_pairs;

    #[test]
    fn two_pairs_alike_but_for_their_phase_stay_two_states() {
        // a (16 h, weight 4) and b (16 h, weight 5) look alike to what
        // comes later but are of different phases of one project; c (4 h,
        // weight 2) is in b's phase. Hours 20: a + c (6) beats b alone (5),
        // so the sweep may not keep only the better of a and b.
        let pair = |start, phase, hours, weight| PairInfo {
            start,
            end: 9,
            phase,
            project: 0,
            hours,
            pooled: false,
            line: 0,
            weight,
        };
        let info = vec![
            pair(4, 1, 16.0, 4.0),
            pair(5, 2, 16.0, 5.0),
            pair(5, 2, 4.0, 2.0),
        ];
        let person = Person {
            pairs: vec![0, 1, 2],
            hours: 20.0,
            share: 0.0,
            max_projects: None,
        };
        let rc: Vec<f64> = info.iter().map(|p| p.weight).collect();
        let (value, taken) = best_for_person(&person, &info, &rc).unwrap();
        assert_eq!((value, taken), (6.0, vec![0, 2]));
    }

    #[test]
    fn a_person_takes_the_best_set_that_fits_every_period() {
        // Hours 36. a: 24 h months 0-5, b: 20 h months 3-8, c: 16 h
        // months 6-11. a+b overlap (44 > 36), b+c overlap (36 fits), a and
        // c never meet: best is a + c (weights 5 + 4) or b + c (3 + 4).
        let info: Vec<PairInfo> = [(0, 5, 24.0, 5.0), (3, 8, 20.0, 3.0), (6, 11, 16.0, 4.0)]
            .iter()
            .enumerate()
            .map(|(i, &(start, end, hours, weight))| PairInfo {
                start,
                end,
                phase: i,
                project: i,
                hours,
                pooled: false,
                line: i,
                weight,
            })
            .collect();
        let person = Person {
            pairs: vec![0, 1, 2],
            hours: 36.0,
            share: 18.0,
            max_projects: None,
        };
        let rc: Vec<f64> = info.iter().map(|p| p.weight).collect();
        let (value, mut taken) = best_for_person(&person, &info, &rc).unwrap();
        taken.sort_unstable();
        assert_eq!((value, taken), (9.0, vec![0, 2]));
        // At most one project at a time: b + c no longer both fit, a + c do.
        let one = Person {
            max_projects: Some(1),
            ..person
        };
        assert_eq!(best_for_person(&one, &info, &rc).unwrap().0, 9.0);
        // A price on a makes b + c the better choice.
        let rc = vec![1.0, 3.0, 4.0];
        assert_eq!(best_for_person(&one, &info, &rc).unwrap().0, 5.0);
    }

    /// Every subset of the pairs, checked at every pair's start: the
    /// slow, obvious answer the sweep must match.
    fn best_by_enumeration(person: &Person, info: &[PairInfo], rc: &[f64]) -> f64 {
        let n = person.pairs.len();
        let mut best: f64 = 0.0;
        for mask in 0u32..(1 << n) {
            let set: Vec<&PairInfo> = (0..n)
                .filter(|k| mask & (1 << k) != 0)
                .map(|k| &info[person.pairs[k]])
                .collect();
            let fits = set.iter().all(|at| {
                let running: Vec<&&PairInfo> = set
                    .iter()
                    .filter(|p| p.start <= at.start && at.start <= p.end)
                    .collect();
                let load: f64 = running.iter().map(|p| p.hours).sum();
                let pooled: f64 = running.iter().filter(|p| p.pooled).map(|p| p.hours).sum();
                let mut phases: Vec<usize> = running.iter().map(|p| p.phase).collect();
                let mut projects: Vec<usize> = running.iter().map(|p| p.project).collect();
                phases.sort_unstable();
                phases.dedup();
                projects.sort_unstable();
                projects.dedup();
                load <= person.hours + 1e-9
                    && pooled <= person.share + 1e-9
                    && phases.len() == running.len()
                    && person
                        .max_projects
                        .is_none_or(|m| projects.len() <= m as usize)
            });
            if fits {
                let value: f64 = (0..n)
                    .filter(|k| mask & (1 << k) != 0)
                    .map(|k| rc[person.pairs[k]].max(0.0))
                    .sum();
                best = best.max(value);
            }
        }
        best
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        #[test]
        fn the_sweep_finds_what_enumeration_finds(
            // Per pair: start, length, hours (4 h units), pooled, project,
            // reduced weight (some negative).
            pairs in proptest::collection::vec(
                (0i64..8, 0i64..6, 1u8..6, proptest::bool::ANY, 0usize..4, -3i32..10),
                1..11,
            ),
            hours in 4u8..11,
            share in 0u8..6,
            max_projects in proptest::option::of(1u32..4),
        ) {
            // Pairs of one project and window are one phase.
            let mut info: Vec<PairInfo> = pairs
                .iter()
                .enumerate()
                .map(|(i, &(start, len, h, pooled, project, w))| PairInfo {
                    start,
                    end: start + len,
                    phase: project * 100 + (start * 10 + len) as usize,
                    project,
                    hours: 4.0 * f64::from(h),
                    pooled,
                    line: i,
                    weight: f64::from(w),
                })
                .collect();
            let mut order: Vec<usize> = (0..info.len()).collect();
            order.sort_by_key(|&i| (info[i].start, info[i].end, i));
            let rc: Vec<f64> = info.iter().map(|p| p.weight).collect();
            let person = Person {
                pairs: order,
                hours: 4.0 * f64::from(hours),
                share: 4.0 * f64::from(share),
                max_projects,
            };
            let expected = best_by_enumeration(&person, &info, &rc);
            let (value, taken) = best_for_person(&person, &info, &rc).unwrap();
            // The stand-in for a sweep too large is never below the answer.
            let relaxed = relaxed_for_person(&person, &info, &rc);
            proptest::prop_assert!(relaxed >= expected - 1e-9, "{relaxed} below {expected}");
            // Dropping hopeless states changes neither the value nor the set.
            let every = sweep(&person, &info, &rc, false).unwrap();
            proptest::prop_assert_eq!((value, &taken), (every.0, &every.1));
            proptest::prop_assert!((value - expected).abs() < 1e-9, "{value} vs {expected}");
            // The pairs taken are worth the value and fit on their own.
            let worth: f64 = taken.iter().map(|&i| rc[i]).sum();
            proptest::prop_assert!((worth - value).abs() < 1e-9);
            let only = Person { pairs: taken.clone(), ..person };
            for p in info.iter_mut() {
                p.weight = 1.0;
            }
            let ones = vec![1.0; info.len()];
            proptest::prop_assert_eq!(best_by_enumeration(&only, &info, &ones), taken.len() as f64);
        }
    }

    #[test]
    fn the_bound_never_exceeds_a_plan_and_beats_the_lp_on_the_demo() {
        let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
        let s = crate::input::load(&demo).unwrap();
        let mut total_bound = 0.0;
        for inst in Instance::split(&s, eligible_pairs(&s)) {
            let order = s.settings.order.clone();
            let chosen = crate::solve::heuristic::plan(
                &s,
                &inst,
                &order,
                &[],
                2,
                Instant::now() + std::time::Duration::from_secs(5),
            );
            let values = crate::solve::heuristic::stage_values(
                &s,
                &inst,
                &[crate::domain::Stage::Unfilled],
                &chosen,
            );
            let (bound, start) = unfilled_bound(
                &s,
                &inst,
                &chosen,
                Instant::now() + std::time::Duration::from_secs(20),
            );
            assert!(start.iter().all(|&i| i < inst.pairs.len()));
            assert!(
                bound <= values[0] + 1e-6,
                "bound {bound} above a plan {}",
                values[0]
            );
            total_bound += bound;
        }
        // The demo's stage-1 optimum is 137,322.29 weighted role-hours
        // (HiGHS, proven): the per-person problems must come within 2% of
        // it (its LP relaxation stayed 23% below in the per-week model)
        // and never pass it.
        const OPTIMUM: f64 = 137_322.29;
        assert!(total_bound > 0.98 * OPTIMUM, "bound {total_bound}");
        assert!(total_bound <= OPTIMUM + 0.01, "bound {total_bound}");
    }

    #[test]
    fn skipped_people_take_nothing_and_the_others_price_as_before() {
        let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
        let s = crate::input::load(&demo).unwrap();
        let inst = Instance::split(&s, eligible_pairs(&s)).remove(0);
        let relax = Relaxation::new(&s, &inst);
        let lambda = vec![0.0; relax.count.len()];
        let soon = Instant::now() + std::time::Duration::from_secs(20);
        let all = relax.price(&lambda, soon);
        let mut skip = vec![false; all.people.len()];
        skip[0] = true;
        let some = relax.price_some(&lambda, &skip, soon);
        assert!(all.people[0].0 > 0.0);
        assert_eq!(some.people[0], (0.0, Some(Vec::new())));
        assert_eq!(some.people[1..], all.people[1..]);
        assert!((all.value - some.value - all.people[0].0).abs() < 1e-9);
    }
}
