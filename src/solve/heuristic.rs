//! A fast construction + local-search plan on the model's rows, in pure
//! Rust. It warm-starts every MILP stage and stands as the answer when the
//! MILP runs out of time. Moves: add a person to an open slot, replace a
//! person in a slot, and eject one of a busy person's assignments (refilling
//! it with someone else) so they can take a slot that matters more. Every
//! move keeps every row of the model; moves are accepted only when they
//! improve the objective vector in the scenario's stage order.

use super::limit::Limit;
use std::collections::HashMap;

use crate::domain::{Scenario, Stage};
use crate::model::Instance;

const EPS: f64 = 1e-9;

/// Stage values in [`Stage::DEFAULT_ORDER`] positions, all minimised.
pub type Objective = [f64; 4];

fn stage_pos(st: Stage) -> usize {
    match st {
        Stage::Unfilled => 0,
        Stage::Balance => 1,
        Stage::Fit => 2,
        Stage::Placement => 3,
    }
}

/// Negative when `delta` is a lexicographic improvement in `order`.
fn compare(order: &[Stage], delta: &Objective) -> std::cmp::Ordering {
    for &st in order {
        let d = delta[stage_pos(st)];
        if d < -1e-7 {
            return std::cmp::Ordering::Less;
        }
        if d > 1e-7 {
            return std::cmp::Ordering::Greater;
        }
    }
    std::cmp::Ordering::Equal
}

#[derive(Default, Clone)]
struct Memberships {
    cap: Vec<usize>,
    share: Vec<usize>,
    proj: Vec<(usize, usize)>,
    one: Vec<usize>,
    /// (home rule, pair is pooled)
    home: Vec<(usize, bool)>,
    need: Vec<usize>,
    /// (continuity, in first phase)
    cont: Vec<(usize, bool)>,
    /// (municipality row, coefficient)
    fair: Vec<(usize, f64)>,
}

/// The search state over one instance.
pub struct Search<'a> {
    s: &'a Scenario,
    inst: &'a Instance,
    order: Vec<Stage>,
    pub chosen: Vec<bool>,
    member: Vec<Memberships>,
    role_local: HashMap<usize, usize>,
    role_filled: Vec<u32>,
    role_count: Vec<u32>,
    cap_load: Vec<f64>,
    share_load: Vec<f64>,
    proj_counts: Vec<Vec<u32>>,
    one_count: Vec<u32>,
    home_counts: Vec<(u32, u32)>,
    need_count: Vec<u32>,
    cont_counts: Vec<(u32, u32)>,
    fair_load: Vec<f64>,
    /// Loads of the municipality rows before the move being tried: a move
    /// may not push a row over its limit, but may leave an already broken
    /// row no worse (so a plan can be repaired towards it).
    fair_mark: Vec<f64>,
    /// Whether the first construction has run.
    constructed: bool,
    /// Chosen pairs per person, for ejection moves.
    by_person: HashMap<usize, Vec<usize>>,
    /// Every change since the journal was opened, to undo a failed round.
    journal: Option<Vec<(usize, bool)>>,
    /// Work done: pairs added or removed, tried or kept. What a work
    /// budget counts.
    pub work: u64,
}

impl<'a> Search<'a> {
    pub fn new(s: &'a Scenario, inst: &'a Instance, order: &[Stage]) -> Search<'a> {
        let n = inst.pairs.len();
        let mut member = vec![Memberships::default(); n];
        for (r, row) in inst.capacity.iter().enumerate() {
            for &i in &row.pairs {
                member[i].cap.push(r);
            }
        }
        for (r, row) in inst.pool_share.iter().enumerate() {
            for &i in &row.pairs {
                member[i].share.push(r);
            }
        }
        for (r, row) in inst.projects.iter().enumerate() {
            for (g, group) in row.groups.iter().enumerate() {
                for &i in group {
                    member[i].proj.push((r, g));
                }
            }
        }
        for (r, (_, _, list)) in inst.one_role.iter().enumerate() {
            for &i in list {
                member[i].one.push(r);
            }
        }
        for (r, rule) in inst.home.iter().enumerate() {
            for &i in &rule.pooled {
                member[i].home.push((r, true));
            }
            for &i in &rule.home {
                member[i].home.push((r, false));
            }
        }
        for (r, need) in inst.needs.iter().enumerate() {
            for &i in &need.qualifying {
                member[i].need.push(r);
            }
        }
        for (r, c) in inst.continuity.iter().enumerate() {
            for &i in &c.first {
                member[i].cont.push((r, true));
            }
            for &i in &c.second {
                member[i].cont.push((r, false));
            }
        }
        for (r, f) in inst.fair.iter().enumerate() {
            for &(i, c) in &f.terms {
                member[i].fair.push((r, c));
            }
        }
        let role_local = inst.line_of();
        Search {
            s,
            inst,
            order: order.to_vec(),
            chosen: vec![false; n],
            member,
            role_count: inst.roles.iter().map(|&r| s.roles[r].count).collect(),
            role_filled: vec![0; inst.roles.len()],
            role_local,
            cap_load: vec![0.0; inst.capacity.len()],
            share_load: vec![0.0; inst.pool_share.len()],
            proj_counts: inst
                .projects
                .iter()
                .map(|r| vec![0; r.groups.len()])
                .collect(),
            one_count: vec![0; inst.one_role.len()],
            home_counts: vec![(0, 0); inst.home.len()],
            need_count: vec![0; inst.needs.len()],
            cont_counts: vec![(0, 0); inst.continuity.len()],
            fair_load: vec![0.0; inst.fair.len()],
            fair_mark: vec![0.0; inst.fair.len()],
            constructed: false,
            work: 0,
            by_person: HashMap::new(),
            journal: None,
        }
    }

    /// Adds or removes pair `i`; returns the change of the objective vector.
    fn apply(&mut self, i: usize, add: bool) -> Objective {
        self.work += 1;
        let inst = self.inst;
        let p = &inst.pairs[i];
        let sign = if add { 1.0 } else { -1.0 };
        let step: i64 = if add { 1 } else { -1 };
        let bump = |c: &mut u32| *c = (*c as i64 + step) as u32;
        self.chosen[i] = add;
        if let Some(j) = &mut self.journal {
            j.push((i, add));
        }
        let mut d = [0.0; 4];
        d[0] -= sign * self.s.line_weight(p.role);
        let m = std::mem::take(&mut self.member[i]);
        bump(&mut self.role_filled[self.role_local[&p.role]]);
        for &r in &m.cap {
            self.cap_load[r] += sign * p.hours;
        }
        for &r in &m.share {
            self.share_load[r] += sign * p.hours;
        }
        for &(r, c) in &m.fair {
            self.fair_load[r] += sign * c;
        }
        for &(r, g) in &m.proj {
            bump(&mut self.proj_counts[r][g]);
        }
        for &r in &m.one {
            bump(&mut self.one_count[r]);
        }
        for &(r, pooled) in &m.home {
            if pooled {
                bump(&mut self.home_counts[r].1);
            } else {
                bump(&mut self.home_counts[r].0);
            }
        }
        for &n in &m.need {
            let before = self.need_count[n];
            bump(&mut self.need_count[n]);
            let after = self.need_count[n];
            let need = &inst.needs[n];
            let cover = |c: u32| if c > 0 { 1.0 } else { 0.0 };
            let stack = |c: u32| c.saturating_sub(1) as f64;
            d[1] += -need.weight * (cover(after) - cover(before))
                + inst.stack_epsilon * (stack(after) - stack(before));
        }
        d[2] -= sign * (p.fit + p.weight);
        if p.pooled {
            d[3] += sign;
        }
        for &(c, first) in &m.cont {
            let (a, b) = self.cont_counts[c];
            let before = a.min(b).min(1);
            if first {
                bump(&mut self.cont_counts[c].0);
            } else {
                bump(&mut self.cont_counts[c].1);
            }
            let (a, b) = self.cont_counts[c];
            d[3] -= f64::from(a.min(b).min(1)) - f64::from(before);
        }
        self.member[i] = m;
        let list = self.by_person.entry(p.person).or_default();
        if add {
            list.push(i);
        } else {
            list.retain(|&j| j != i);
        }
        d
    }

    /// True when every row that pair `i` belongs to holds.
    fn rows_hold(&self, i: usize) -> bool {
        let inst = self.inst;
        let p = &inst.pairs[i];
        let m = &self.member[i];
        if self.role_filled[self.role_local[&p.role]] > self.role_count[self.role_local[&p.role]] {
            return false;
        }
        m.cap
            .iter()
            .all(|&r| self.cap_load[r] <= inst.capacity[r].limit + EPS)
            && m.share
                .iter()
                .all(|&r| self.share_load[r] <= inst.pool_share[r].limit + EPS)
            && m.proj.iter().all(|&(r, _)| {
                self.proj_counts[r].iter().filter(|&&c| c > 0).count()
                    <= inst.projects[r].limit as usize
            })
            && m.one.iter().all(|&r| self.one_count[r] <= 1)
            && m.home.iter().all(|&(r, _)| {
                let (home, pooled) = self.home_counts[r];
                pooled == 0 || home > 0
            })
            && m.fair
                .iter()
                .all(|&(r, _)| self.fair_load[r] <= inst.fair[r].limit.max(self.fair_mark[r]) + EPS)
    }

    /// Remembers the municipality rows' loads before a move.
    fn mark(&mut self) {
        self.fair_mark.copy_from_slice(&self.fair_load);
    }

    /// How far the plan breaks the municipality rows in total (0 when they
    /// all hold).
    pub fn fair_excess(&self) -> f64 {
        self.fair_load
            .iter()
            .zip(&self.inst.fair)
            .map(|(&l, f)| (l - f.limit).max(0.0))
            .sum()
    }

    /// Starts from a given plan (pair indices), taking each pair only when
    /// every row still holds; pairs that no longer fit are left out.
    pub fn seed(&mut self, start: &[usize]) {
        for &i in start {
            if i >= self.chosen.len() || self.chosen[i] {
                continue;
            }
            self.mark();
            self.apply(i, true);
            if !self.rows_hold(i) {
                self.apply(i, false);
            }
        }
    }

    /// Applies a move (removals then additions); keeps it if it is feasible
    /// and improves, otherwise undoes it. Returns whether it was kept.
    fn try_move(&mut self, remove: &[usize], add: &[usize]) -> bool {
        self.mark();
        let mut delta = [0.0; 4];
        let mut done: Vec<(usize, bool)> = Vec::new();
        let mut ok = true;
        for &i in remove {
            let d = self.apply(i, false);
            done.push((i, false));
            (0..4).for_each(|k| delta[k] += d[k]);
        }
        for &i in add {
            if self.chosen[i] {
                ok = false;
                break;
            }
            let d = self.apply(i, true);
            done.push((i, true));
            (0..4).for_each(|k| delta[k] += d[k]);
        }
        if ok {
            ok = done.iter().all(|&(i, _)| self.rows_hold(i))
                && compare(&self.order, &delta).is_lt();
        }
        if !ok {
            for &(i, added) in done.iter().rev() {
                self.apply(i, !added);
            }
        }
        ok
    }

    /// The full objective vector of the current plan.
    pub fn objective(&self) -> Objective {
        let inst = self.inst;
        let mut o = [0.0; 4];
        o[0] = inst.total_weighted_hours(self.s);
        for (i, p) in inst.pairs.iter().enumerate() {
            if self.chosen[i] {
                o[0] -= self.s.line_weight(p.role);
                o[2] -= p.fit + p.weight;
                if p.pooled {
                    o[3] += 1.0;
                }
            }
        }
        for (n, need) in inst.needs.iter().enumerate() {
            let c = self.need_count[n];
            o[1] += if c > 0 { 0.0 } else { need.weight }
                + inst.stack_epsilon * c.saturating_sub(1) as f64;
        }
        for &(a, b) in &self.cont_counts {
            o[3] -= f64::from(a.min(b).min(1));
        }
        o
    }

    /// Greedy construction: role lines by weighted hours (scarcest first on
    /// ties), each slot to the candidate that improves the objective most.
    pub fn construct(&mut self, limit: &Limit) {
        let inst = self.inst;
        let mut roles: Vec<usize> = inst.by_role.keys().copied().collect();
        roles.sort_by(|&a, &b| {
            let wa = self.s.line_weight(a);
            let wb = self.s.line_weight(b);
            wb.total_cmp(&wa)
                .then(inst.by_role[&a].len().cmp(&inst.by_role[&b].len()))
                .then(a.cmp(&b))
        });
        // The first construction always completes: a cut-short plan would
        // leave slots open for no reason. Rebuilds stop at the deadline.
        let first = !self.constructed;
        self.constructed = true;
        for r in roles {
            if !first && limit.reached(self.work) {
                return;
            }
            for _ in 0..self.s.roles[r].count {
                self.mark();
                let mut best: Option<(usize, Objective)> = None;
                for &i in &inst.by_role[&r] {
                    if self.chosen[i] {
                        continue;
                    }
                    let d = self.apply(i, true);
                    let feasible = self.rows_hold(i);
                    self.apply(i, false);
                    if feasible
                        && best
                            .as_ref()
                            .is_none_or(|(_, bd)| compare(&self.order, &sub(&d, bd)).is_lt())
                    {
                        best = Some((i, d));
                    }
                }
                match best {
                    Some((i, d)) if compare(&self.order, &d).is_lt() => {
                        self.apply(i, true);
                    }
                    _ => break,
                }
            }
        }
    }

    /// Local search until no move improves or the limit is reached.
    pub fn improve(&mut self, limit: &Limit) {
        let inst = self.inst;
        let roles: Vec<usize> = inst.by_role.keys().copied().collect();
        loop {
            let mut improved = false;
            for &r in &roles {
                if limit.reached(self.work) {
                    return;
                }
                let list = &inst.by_role[&r];
                // Add to an open slot.
                for &j in list {
                    if !self.chosen[j] && self.try_move(&[], &[j]) {
                        improved = true;
                    }
                }
                // Replace a member by another candidate.
                for &i in list {
                    if !self.chosen[i] {
                        continue;
                    }
                    for &j in list {
                        if self.chosen[i] && !self.chosen[j] && i != j && self.try_move(&[i], &[j])
                        {
                            improved = true;
                        }
                    }
                }
                // Eject: free a candidate's hours by moving one of their
                // other assignments to someone else (or dropping it).
                let open =
                    self.role_filled[self.role_local[&r]] < self.role_count[self.role_local[&r]];
                if open {
                    for &j in list {
                        if self.chosen[j] {
                            continue;
                        }
                        let person = inst.pairs[j].person;
                        let current = self.by_person.get(&person).cloned().unwrap_or_default();
                        for i in current {
                            if self.chosen[j] || !self.chosen[i] {
                                continue;
                            }
                            let other_role = inst.pairs[i].role;
                            let mut kept = false;
                            for &k in &inst.by_role[&other_role] {
                                if k != i
                                    && !self.chosen[k]
                                    && inst.pairs[k].person != person
                                    && self.try_move(&[i], &[j, k])
                                {
                                    kept = true;
                                    break;
                                }
                            }
                            if !kept && self.try_move(&[i], &[j]) {
                                kept = true;
                            }
                            improved |= kept;
                        }
                    }
                }
            }
            if !improved {
                return;
            }
        }
    }
}

fn sub(a: &Objective, b: &Objective) -> Objective {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3]]
}

/// Rounds of perturbation without improvement before the search stops.
pub const PATIENCE: usize = 60;

/// A small deterministic generator (SplitMix64) for perturbations.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Search<'_> {
    /// Removes pair `i` and, when that leaves a team with pooled members
    /// but no home member, those pooled members too (keeps every row).
    fn remove_keeping_rows(&mut self, i: usize) {
        if !self.chosen[i] {
            return;
        }
        self.apply(i, false);
        let rules: Vec<usize> = self.member[i]
            .home
            .iter()
            .filter(|(_, pooled)| !pooled)
            .map(|&(r, _)| r)
            .collect();
        for r in rules {
            if self.home_counts[r].0 == 0 && self.home_counts[r].1 > 0 {
                for k in self.inst.home[r].pooled.clone() {
                    if self.chosen[k] {
                        self.apply(k, false);
                    }
                }
            }
        }
    }
}

/// Local search from a given plan instead of an empty one: the pairs of
/// `start` are taken in order (each only while every row still holds), then
/// improved until no move helps or the deadline passes. What-if runs use it
/// so that the result differs from a known plan only by what the change
/// makes possible.
pub fn improve_from(
    s: &Scenario,
    inst: &Instance,
    order: &[Stage],
    start: &[bool],
    limit: impl Into<Limit>,
) -> Vec<bool> {
    let limit = limit.into();
    let mut search = Search::new(s, inst, order);
    let chosen: Vec<usize> = (0..start.len()).filter(|&i| start[i]).collect();
    search.seed(&chosen);
    search.improve(&limit);
    search.chosen
}

/// A search holding exactly the pairs of a plan, to read its values.
fn holding<'a>(
    s: &'a Scenario,
    inst: &'a Instance,
    order: &[Stage],
    chosen: &[bool],
) -> Search<'a> {
    let mut search = Search::new(s, inst, order);
    for (i, &c) in chosen.iter().enumerate() {
        if c {
            search.apply(i, true);
        }
    }
    search
}

/// The stage values of a plan (pair choices), in `order`, counted the way
/// the model counts them but without building it.
pub fn stage_values(s: &Scenario, inst: &Instance, order: &[Stage], chosen: &[bool]) -> Vec<f64> {
    let o = holding(s, inst, order, chosen).objective();
    order.iter().map(|&st| o[stage_pos(st)]).collect()
}

/// True when plan `a` is better than plan `b`: closer to keeping the
/// municipality rows, then lexicographically better in `order`.
pub fn better(s: &Scenario, inst: &Instance, order: &[Stage], a: &[bool], b: &[bool]) -> bool {
    let (a, b) = (holding(s, inst, order, a), holding(s, inst, order, b));
    let (ea, eb) = (a.fair_excess(), b.fair_excess());
    if (ea - eb).abs() > 1e-9 {
        return ea < eb;
    }
    let (oa, ob) = (a.objective(), b.objective());
    let delta: Objective = std::array::from_fn(|k| oa[k] - ob[k]);
    compare(order, &delta).is_lt()
}

/// Runs construction and local search, then iterated local search: drop a
/// seeded random sixth of the plan, rebuild, improve, and keep the result
/// only when it is better. Deterministic unless a deadline cuts it short
/// (with a work budget, the same input gives the same plan).
///
/// `start` (pair indices, e.g. a plan of a similar scenario) seeds the
/// search: what still fits is kept and the rest is built around it.
pub fn plan(
    s: &Scenario,
    inst: &Instance,
    order: &[Stage],
    start: &[usize],
    patience: usize,
    limit: impl Into<Limit>,
) -> Vec<bool> {
    let limit = limit.into();
    let mut search = Search::new(s, inst, order);
    search.seed(start);
    search.construct(&limit);
    search.improve(&limit);
    let mut best = search.objective();
    let mut best_excess = search.fair_excess();
    let mut rng = 0x5EED_u64 ^ inst.pairs.len() as u64;
    let mut idle = 0;
    while idle < patience && !limit.reached(search.work) {
        let chosen: Vec<usize> = (0..inst.pairs.len())
            .filter(|&i| search.chosen[i])
            .collect();
        if chosen.is_empty() {
            break;
        }
        search.journal = Some(Vec::new());
        let open: Vec<usize> = inst
            .roles
            .iter()
            .enumerate()
            .filter(|&(l, r)| {
                search.role_filled[l] < search.role_count[l] && !inst.by_role[r].is_empty()
            })
            .map(|(_, &r)| r)
            .collect();
        if idle % 2 == 0 && !open.is_empty() {
            // Free everyone who could take a random open slot, so the
            // rebuild can reconsider where they matter most.
            let r = open[(next(&mut rng) % open.len() as u64) as usize];
            for &j in &inst.by_role[&r] {
                let person = inst.pairs[j].person;
                for i in search.by_person.get(&person).cloned().unwrap_or_default() {
                    search.remove_keeping_rows(i);
                }
            }
        } else {
            let k = (chosen.len() / 6).clamp(1, chosen.len());
            for _ in 0..k {
                let i = chosen[(next(&mut rng) % chosen.len() as u64) as usize];
                search.remove_keeping_rows(i);
            }
        }
        search.construct(&limit);
        search.improve(&limit);
        let now = search.objective();
        let excess = search.fair_excess();
        let journal = search.journal.take().unwrap_or_default();
        if excess <= best_excess + EPS && compare(order, &sub(&now, &best)).is_lt() {
            best = now;
            best_excess = excess;
            idle = 0;
        } else {
            for &(i, added) in journal.iter().rev() {
                search.apply(i, !added);
            }
            idle += 1;
        }
    }
    search.chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_is_lexicographic_in_the_given_order() {
        let order = Stage::DEFAULT_ORDER;
        assert!(compare(&order, &[-1.0, 5.0, 5.0, 5.0]).is_lt());
        assert!(compare(&order, &[0.0, 1.0, -9.0, 0.0]).is_gt());
        assert!(compare(
            &[
                Stage::Fit,
                Stage::Unfilled,
                Stage::Balance,
                Stage::Placement
            ],
            &[1.0, 0.0, -1.0, 0.0]
        )
        .is_lt());
        assert!(compare(&order, &[0.0; 4]).is_eq());
    }
}
