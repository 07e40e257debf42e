//! The generated portfolio: projects with names and areas, their phase
//! chains with cluster needs, the role lines of each phase, and the
//! calibration that sizes the role lines to a target demand/capacity ratio.

use std::collections::BTreeSet;

use super::lists::{
    DISCIPLINES, FIELDS, MUNICIPALITIES, PHASES, PREFIXES, PROJECTLEIDER, STEMS, SUFFIXES, TAILS,
};
use super::rng::Rng;
use super::{apportion, GenPhase, GenProject, GenRole};

/// Latest month (index from 2026-01) in which a phase may start: 2028-12.
pub const LAST_START: i64 = 35;

/// Projects spread over municipalities in proportion to their people.
pub fn projects(rng: &mut Rng, people_per_municipality: &[usize], n: usize) -> Vec<GenProject> {
    let weights: Vec<f64> = people_per_municipality.iter().map(|&c| c as f64).collect();
    let per = apportion(&weights, n, 0);
    let mut used = BTreeSet::new();
    let mut out = Vec::with_capacity(n);
    for (mi, &k) in per.iter().enumerate() {
        for _ in 0..k {
            let name = project_name(rng, mi, &mut used);
            let priority = 1 + rng.weighted(&[0.65, 0.25, 0.10]) as u32;
            out.push(GenProject {
                name,
                municipality: mi,
                priority,
            });
        }
    }
    out
}

fn project_name(rng: &mut Rng, municipality: usize, used: &mut BTreeSet<String>) -> String {
    let short = MUNICIPALITIES[municipality].short;
    let word =
        |rng: &mut Rng, list: &[&str]| rng.pick(list).copied().unwrap_or("Noord").to_string();
    let mut candidate = String::new();
    for _ in 0..24 {
        candidate = match rng.below(100) {
            0..=29 => format!("{short} {}", word(rng, &SUFFIXES)),
            30..=49 => format!("{} {short}", word(rng, &PREFIXES)),
            50..=79 => compound(rng),
            _ => format!("{} {short}", compound(rng)),
        };
        if !used.contains(&candidate) {
            break;
        }
    }
    // Large portfolios run out of fresh names: number the follow-ups the way
    // real programmes do ("fase 2").
    let mut name = candidate.clone();
    let mut k = 2;
    while used.contains(&name) {
        name = format!("{candidate} fase {k}");
        k += 1;
    }
    used.insert(name.clone());
    name
}

fn compound(rng: &mut Rng) -> String {
    loop {
        let stem = rng.pick(&STEMS).copied().unwrap_or("Molen");
        let tail = rng.pick(&TAILS).copied().unwrap_or("kwartier");
        // "Kadekade" and the like read as typos.
        if !stem.to_lowercase().ends_with(tail) && !tail.starts_with(&stem.to_lowercase()) {
            return format!("{stem}{tail}");
        }
    }
}

/// A project's life cycle from its first phase to realisatie (some skip
/// initiatief or visie); the scenario shows the window of it that falls in
/// 2026–2028, so projects already under way and projects that start late
/// both appear and demand stays level over the horizon.
struct Life {
    kinds: Vec<usize>,
    durations: Vec<i64>,
    /// Start of each phase relative to the life cycle's start.
    offsets: Vec<i64>,
    /// Role lines over the phases in view.
    lines: usize,
    /// Life-cycle starts (month index) that show the wanted phase count.
    starts: Vec<i64>,
}

impl Life {
    fn draw(rng: &mut Rng) -> Life {
        let first = rng.weighted(&[0.7, 0.2, 0.1]);
        let kinds: Vec<usize> = (first..PHASES.len()).collect();
        let n = kinds.len();
        let durations: Vec<i64> = kinds
            .iter()
            .map(|&k| {
                let (lo, hi) = PHASES[k].months;
                rng.range(lo, hi)
            })
            .collect();
        // Parallel planning: the next phase starts 0–2 months before the
        // previous one ends.
        let mut offsets = vec![0];
        for i in 1..n {
            let overlap = rng.weighted(&[0.4, 0.35, 0.25]) as i64;
            offsets.push(offsets[i - 1] + durations[i - 1] - overlap);
        }
        // 3–5 phases in view, 12–18 role lines over them (2–5 per phase).
        let want = (3 + rng.weighted(&[0.25, 0.4, 0.35])).min(n);
        let lines = rng.range(12.max(2 * want as i64), 18.min(5 * want as i64)) as usize;
        let mut life = Life {
            kinds,
            durations,
            offsets,
            lines,
            starts: Vec::new(),
        };
        let range = -(life.offsets[n - 1] + life.durations[n - 1])..=LAST_START;
        life.starts = range
            .clone()
            .filter(|&s| life.window(s).len() == want)
            .collect();
        if life.starts.is_empty() {
            life.starts = range.filter(|&s| life.window(s).len() >= 3).collect();
        }
        life
    }

    /// The phases in view for a start: at least 3 of their months fall in
    /// 2026 or later and they start by 2028-12. Ends and starts both grow
    /// along the chain, so the window is consecutive.
    fn window(&self, s: i64) -> Vec<usize> {
        (0..self.kinds.len())
            .filter(|&i| {
                s + self.offsets[i] + self.durations[i] >= 3 && s + self.offsets[i] <= LAST_START
            })
            .collect()
    }

    /// (first, last) month in 2026–2028 of each phase in view.
    fn months(&self, s: i64) -> Vec<(i64, i64)> {
        self.window(s)
            .into_iter()
            .map(|i| {
                (
                    (s + self.offsets[i]).max(0),
                    (s + self.offsets[i] + self.durations[i] - 1).min(LAST_START),
                )
            })
            .collect()
    }

    /// Role lines per phase in view: the load a start puts on a month.
    fn weight(&self, s: i64) -> f64 {
        let k = self.window(s).len().max(1);
        self.lines.clamp(2 * k, 5 * k) as f64 / k as f64
    }

    fn add(&self, load: &mut [f64], s: i64, sign: f64) {
        let w = self.weight(s) * sign;
        for (a, b) in self.months(s) {
            for m in a..=b {
                load[m as usize] += w;
            }
        }
    }

    /// Mean load over the months the project would occupy: quiet months
    /// are filled first, without favouring shorter windows.
    fn cost(&self, load: &[f64], s: i64) -> f64 {
        let (mut sum, mut months) = (0.0, 0usize);
        for (a, b) in self.months(s) {
            for m in a..=b {
                sum += load[m as usize];
                months += 1;
            }
        }
        sum / months.max(1) as f64
    }

    /// Starts ordered from most to least levelling.
    fn ranked(&self, load: &[f64]) -> Vec<i64> {
        let mut ranked: Vec<(f64, i64)> = self
            .starts
            .iter()
            .map(|&s| (self.cost(load, s), s))
            .collect();
        ranked.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        ranked.into_iter().map(|r| r.1).collect()
    }
}

/// Phase chains and role lines for every project; role counts are 1 here
/// and sized by [`calibrate`].
pub fn phases_and_roles(rng: &mut Rng, projects: &[GenProject]) -> (Vec<GenPhase>, Vec<GenRole>) {
    let lives: Vec<Life> = projects.iter().map(|_| Life::draw(rng)).collect();
    // Role lines per month of 2026–2028: each project is placed where it
    // levels this load (one of the three best starts, for variety), then
    // a few passes move projects to their best start. Demand then neither
    // bunches by chance in a small portfolio nor ramps up from zero.
    let mut load = vec![0.0; LAST_START as usize + 1];
    let mut starts = Vec::with_capacity(lives.len());
    for life in &lives {
        let ranked = life.ranked(&load);
        let s = ranked
            .get(rng.below(ranked.len().min(3)))
            .copied()
            .unwrap_or(0);
        life.add(&mut load, s, 1.0);
        starts.push(s);
    }
    for _ in 0..3 {
        for (life, s) in lives.iter().zip(starts.iter_mut()) {
            life.add(&mut load, *s, -1.0);
            *s = life.ranked(&load).first().copied().unwrap_or(*s);
            life.add(&mut load, *s, 1.0);
        }
    }
    let mut phases = Vec::new();
    let mut roles = Vec::new();
    for (pi, (life, &start)) in lives.iter().zip(&starts).enumerate() {
        let shown = life.window(start);
        let k = shown.len().max(1);
        let per_phase = spread(rng, life.lines.clamp(2 * k, 5 * k), k);
        for (j, &i) in shown.iter().enumerate() {
            let phase = phases.len();
            let kind = life.kinds[i];
            let s = start + life.offsets[i];
            let end = s + life.durations[i] - 1;
            phases.push(GenPhase {
                project: pi,
                kind,
                start: s.max(0),
                end,
                needs: needs(rng, kind),
            });
            for d in pick_disciplines(rng, kind, per_phase[j]) {
                roles.push(role_line(rng, phase, d));
            }
        }
    }
    (phases, roles)
}

/// `total` split over `n` parts of 2–5, as evenly as chance allows.
fn spread(rng: &mut Rng, total: usize, n: usize) -> Vec<usize> {
    let mut parts = vec![total / n; n];
    let mut left = total - parts.iter().sum::<usize>();
    while left > 0 {
        let i = rng.below(n);
        if parts[i] < 5 {
            parts[i] += 1;
            left -= 1;
        }
    }
    parts
}

/// 1–3 needed clusters at level 5–9, the phase's characteristic ones first.
fn needs(rng: &mut Rng, kind: usize) -> [u32; 5] {
    let mut out = [0; 5];
    let k = 1 + rng.weighted(&[0.25, 0.5, 0.25]);
    let mut order: Vec<usize> = PHASES[kind].clusters.to_vec();
    rng.shuffle(&mut order);
    let mut others: Vec<usize> = (0..5).filter(|c| !order.contains(c)).collect();
    rng.shuffle(&mut others);
    order.extend(others);
    for &c in order.iter().take(k) {
        out[c] = 5 + rng.weighted(&[0.15, 0.3, 0.3, 0.17, 0.08]) as u32;
    }
    out
}

/// The project leader plus `n - 1` disciplines drawn from the phase template.
fn pick_disciplines(rng: &mut Rng, kind: usize, n: usize) -> Vec<usize> {
    let template = PHASES[kind].roles;
    let mut weights: Vec<f64> = template.iter().map(|r| r.1).collect();
    let mut out = vec![PROJECTLEIDER];
    while out.len() < n && weights.iter().any(|w| *w > 0.0) {
        let i = rng.weighted(&weights);
        weights[i] = 0.0;
        out.push(template[i].0);
    }
    out
}

fn role_line(rng: &mut Rng, phase: usize, d: usize) -> GenRole {
    let disc = &DISCIPLINES[d];
    let hours = rng.pick(disc.slot_hours).copied().unwrap_or(8);
    let expertise = if rng.chance(disc.role_expertise) {
        let weights: Vec<f64> = disc.fields.iter().map(|f| f.1).collect();
        let field = disc.fields[rng.weighted(&weights)].0;
        // Scarce fields are asked at a lower level: there are few experts.
        let level = if FIELDS[field].1 {
            2 + rng.weighted(&[0.6, 0.4])
        } else {
            2 + rng.weighted(&[0.35, 0.45, 0.2])
        };
        Some((field, level as u32))
    } else {
        None
    };
    let required = d == PROJECTLEIDER || rng.chance(0.78);
    GenRole {
        phase,
        discipline: d,
        hours,
        count: 1,
        expertise,
        required,
    }
}

/// Role hours (hours × count) per month index.
pub fn demand_by_month(phases: &[GenPhase], roles: &[GenRole]) -> Vec<f64> {
    let horizon = phases.iter().map(|p| p.end + 1).max().unwrap_or(0).max(0) as usize;
    let mut demand = vec![0.0; horizon];
    for r in roles {
        let ph = &phases[r.phase];
        for slot in &mut demand[ph.start.max(0) as usize..=ph.end.max(0) as usize] {
            *slot += f64::from(r.hours * r.count);
        }
    }
    demand
}

/// The first month with the highest demand, and that demand.
fn peak(demand: &[f64]) -> (usize, f64) {
    demand.iter().enumerate().fold(
        (0, 0.0),
        |best, (m, &d)| if d > best.1 { (m, d) } else { best },
    )
}

/// Mean monthly demand over 2026–2028 (the months that exist).
pub fn mean_demand(demand: &[f64]) -> f64 {
    let months = &demand[..demand.len().min(LAST_START as usize + 1)];
    months.iter().sum::<f64>() / months.len().max(1) as f64
}

/// Sizes the role lines: mean monthly demand over 2026–2028 becomes
/// `target` × capacity, and no month exceeds `ceiling` × capacity.
///
/// Every line gets a base team size (its discipline's size, ±40 %); the
/// sizes are scaled as a whole (stochastic rounding keeps the mean, the
/// discipline caps the count). Then single lines are nudged by one slot or
/// four hours: down in the peak month while it is above the ceiling, and
/// otherwise down in a busy or up in a quiet month until the mean is on
/// target.
pub fn calibrate(
    rng: &mut Rng,
    phases: &[GenPhase],
    roles: &mut [GenRole],
    capacity: f64,
    target: f64,
    ceiling: f64,
) {
    if roles.is_empty() || capacity <= 0.0 {
        return;
    }
    let base: Vec<f64> = roles
        .iter()
        .map(|r| DISCIPLINES[r.discipline].size * (0.6 + 0.8 * rng.unit()))
        .collect();
    let jitter: Vec<f64> = roles.iter().map(|_| rng.unit()).collect();
    let goal = target * capacity;
    let cap = ceiling * capacity;
    let mut scale = 1.0_f64;
    for _ in 0..16 {
        for ((r, b), u) in roles.iter_mut().zip(&base).zip(&jitter) {
            let x = (b * scale + u)
                .floor()
                .clamp(1.0, f64::from(DISCIPLINES[r.discipline].max_count));
            r.count = x as u32;
        }
        let mean = mean_demand(&demand_by_month(phases, roles));
        if mean <= 0.0 || (mean / goal - 1.0).abs() < 0.01 {
            break;
        }
        scale = (scale * goal / mean).clamp(0.0, 1000.0);
    }
    let mut demand = demand_by_month(phases, roles);
    let mut by_month: Vec<Vec<usize>> = vec![Vec::new(); demand.len()];
    for (i, r) in roles.iter().enumerate() {
        let ph = &phases[r.phase];
        for list in &mut by_month[ph.start as usize..=ph.end as usize] {
            list.push(i);
        }
    }
    let tolerance = 0.015 * goal;
    let horizon = demand.len().min(LAST_START as usize + 1);
    for _ in 0..roles.len() * 4 + 100 {
        let (hi, p) = peak(&demand);
        let mean = mean_demand(&demand);
        let (month, up) = if p > cap {
            (hi, false)
        } else if mean > goal + tolerance {
            (
                pick_month(rng, &demand[..horizon], |d| d > goal).unwrap_or(hi),
                false,
            )
        } else if mean < goal - tolerance {
            let Some(m) = pick_month(rng, &demand[..horizon], |d| d < goal) else {
                break;
            };
            (m, true)
        } else {
            break;
        };
        // Room under the ceiling over a line's whole phase.
        let room = |r: &GenRole| {
            let ph = &phases[r.phase];
            cap - demand[ph.start as usize..=ph.end as usize]
                .iter()
                .copied()
                .fold(0.0, f64::max)
        };
        let by_count = |r: &GenRole| {
            if up {
                r.count < DISCIPLINES[r.discipline].max_count && f64::from(r.hours) <= room(r)
            } else {
                r.count > 1
            }
        };
        let by_hours = |r: &GenRole| {
            if up {
                r.hours < DISCIPLINES[r.discipline].max_hours && room(r) >= 4.0
            } else {
                r.hours > 4
            }
        };
        let active = &by_month[month];
        let choice = sample(rng, active, |i| by_count(&roles[i]))
            .map(|i| (i, true))
            .or_else(|| sample(rng, active, |i| by_hours(&roles[i])).map(|i| (i, false)));
        let Some((i, whole_slot)) = choice else { break };
        let r = &mut roles[i];
        let before = f64::from(r.hours * r.count);
        match (whole_slot, up) {
            (true, false) => r.count -= 1,
            (true, true) => r.count += 1,
            (false, false) => r.hours -= 4,
            (false, true) => r.hours += 4,
        }
        let delta = f64::from(r.hours * r.count) - before;
        let ph = &phases[r.phase];
        for d in &mut demand[ph.start as usize..=ph.end as usize] {
            *d += delta;
        }
    }
}

/// A random month whose demand passes `ok`.
fn pick_month(rng: &mut Rng, demand: &[f64], ok: impl Fn(f64) -> bool) -> Option<usize> {
    let months: Vec<usize> = (0..demand.len()).filter(|&m| ok(demand[m])).collect();
    rng.pick(&months).copied()
}

/// A random element of `items` that passes `ok`: a few blind draws first
/// (cheap on large portfolios), then a full scan.
fn sample(rng: &mut Rng, items: &[usize], ok: impl Fn(usize) -> bool) -> Option<usize> {
    for _ in 0..16 {
        let &i = rng.pick(items)?;
        if ok(i) {
            return Some(i);
        }
    }
    let passing: Vec<usize> = items.iter().copied().filter(|&i| ok(i)).collect();
    rng.pick(&passing).copied()
}
