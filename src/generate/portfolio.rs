//! The generated portfolio: projects with names and areas, their
//! deelgebieden (each a phase chain with cluster needs), the role lines of
//! each phase team, the calibration that sizes the portfolio to a target
//! demand/capacity ratio, and the expertise the role lines ask for.

use std::collections::BTreeSet;

use super::lists::{
    DEELGEBIEDEN, DISCIPLINES, FIELDS, MUNICIPALITIES, PHASES, PREFIXES, PROJECTLEIDER, STEMS,
    SUFFIXES, TAILS,
};
use super::rng::Rng;
use super::{apportion, month_end, month_start, GenPerson, GenPhase, GenProject, GenRole};

/// Latest month (index from 2026-01) in which a phase may start: 2028-12.
pub const LAST_START: i64 = 35;

/// Months of 2026–2028, the horizon the demand is calibrated over.
const MONTHS: usize = LAST_START as usize + 1;

/// Fewest months of a phase inside 2026–2028 for it to be in the scenario.
const MIN_IN_VIEW: i64 = 6;

/// Most deelgebieden (phase chains running side by side) per project.
const MAX_TRACKS: usize = 2;

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

/// A role line before the phase is placed.
struct Draft {
    discipline: usize,
    hours: u32,
    count: u32,
    required: bool,
}

/// One deelgebied of a project: its phase chain from the first phase to
/// realisatie (some skip initiatief or visie) with the phase teams drawn.
/// The scenario shows the window of it that falls in 2026–2028, so parts
/// already under way and parts that start late both appear and demand
/// stays level over the horizon.
struct Track {
    project: usize,
    /// The project's first deelgebied: always in the portfolio, with 3–5
    /// phases in view; later ones need only two.
    first: bool,
    kinds: Vec<usize>,
    durations: Vec<i64>,
    /// Start of each phase relative to the chain's start.
    offsets: Vec<i64>,
    /// The phase team of each phase of the chain.
    teams: Vec<Vec<Draft>>,
    /// Hours per week each phase team asks.
    weights: Vec<f64>,
    /// Chain starts (month index) that show the wanted phase count.
    starts: Vec<i64>,
}

impl Track {
    fn draw(rng: &mut Rng, project: usize, first: bool) -> Track {
        // A later deelgebied is still at its beginning.
        let kind = if first {
            rng.weighted(&[0.55, 0.3, 0.15])
        } else {
            rng.weighted(&[0.6, 0.4])
        };
        let kinds: Vec<usize> = (kind..PHASES.len()).collect();
        let n = kinds.len();
        // Whole quarters: a portfolio is planned by the quarter, and
        // phases that start and end on the same grid let people move from
        // one team to the next without idle months in between.
        let durations: Vec<i64> = kinds
            .iter()
            .map(|&k| {
                let (lo, hi) = PHASES[k].months;
                3 * rng.range(lo / 3, hi / 3)
            })
            .collect();
        // Parallel planning: the next phase starts when 40–70 % of the
        // previous one is done (rounded to a quarter).
        let mut offsets = vec![0];
        for i in 1..n {
            let overlap = (durations[i - 1] as f64 / 3.0 * (0.3 + 0.3 * rng.unit())).round() as i64;
            offsets.push(offsets[i - 1] + durations[i - 1] - 3 * overlap);
        }
        let teams: Vec<Vec<Draft>> = kinds.iter().map(|&k| team(rng, k)).collect();
        let weights = teams
            .iter()
            .map(|t| t.iter().map(|d| f64::from(d.hours * d.count)).sum())
            .collect();
        let want = if first {
            (3 + rng.weighted(&[0.25, 0.4, 0.35])).min(n)
        } else {
            2
        };
        let mut track = Track {
            project,
            first,
            kinds,
            durations,
            offsets,
            teams,
            weights,
            starts: Vec::new(),
        };
        let range = -(track.offsets[n - 1] + track.durations[n - 1])..=LAST_START;
        let shows = |t: &Track, s: i64, k: usize| {
            let w = t.window(s).len();
            if first {
                w == k
            } else {
                w >= k
            }
        };
        for k in [want, 3.min(n), 1] {
            track.starts = range
                .clone()
                .filter(|&s| s.rem_euclid(3) == 0 && shows(&track, s, k))
                .collect();
            if !track.starts.is_empty() {
                break;
            }
        }
        track
    }

    /// The phases in view for a start: at least two quarters of them fall
    /// in 2026–2028 (a phase that only just ends or starts inside it asks
    /// little of the people in it, and is left to the plans before or
    /// after). Ends and starts both grow along the chain, so the window is
    /// consecutive.
    fn window(&self, s: i64) -> Vec<usize> {
        (0..self.kinds.len())
            .filter(|&i| {
                let (a, b) = (s + self.offsets[i], s + self.offsets[i] + self.durations[i]);
                b.min(MONTHS as i64) - a.max(0) >= MIN_IN_VIEW
            })
            .collect()
    }

    /// (phase, first, last month in 2026–2028) of each phase in view.
    fn months(&self, s: i64) -> Vec<(usize, i64, i64)> {
        self.window(s)
            .into_iter()
            .map(|i| {
                (
                    i,
                    (s + self.offsets[i]).max(0),
                    (s + self.offsets[i] + self.durations[i] - 1).min(LAST_START),
                )
            })
            .collect()
    }

    fn add(&self, load: &mut Load, s: i64, sign: f64) {
        for (i, a, b) in self.months(s) {
            for line in &self.teams[i] {
                let w = f64::from(line.hours * line.count) * sign;
                for m in a..=b {
                    load.hours[line.discipline][m as usize] += w;
                }
                load.total += w * (b - a + 1) as f64;
            }
        }
    }

    /// What the deelgebied adds to the mean monthly demand over 2026–2028.
    fn mean_demand(&self, s: i64) -> f64 {
        self.months(s)
            .iter()
            .map(|&(i, a, b)| self.weights[i] * (b - a + 1) as f64)
            .sum::<f64>()
            / MONTHS as f64
    }

    /// Starts ordered from most to least levelling: by the load over the
    /// months each line would occupy, discipline by discipline (relative to
    /// the discipline's share, so a quiet month for the plan economists
    /// counts as much as one for the project leaders), as a mean weighted
    /// by the lines' hours: quiet months are filled first without
    /// favouring short windows. Levelling each discipline keeps the people
    /// of every discipline as evenly busy as the portfolio allows.
    fn ranked(&self, load: &Load) -> Vec<i64> {
        let prefix: Vec<Vec<f64>> = load
            .hours
            .iter()
            .map(|months| {
                let mut p = vec![0.0; MONTHS + 1];
                for (m, &l) in months.iter().enumerate() {
                    p[m + 1] = p[m] + l;
                }
                p
            })
            .collect();
        let mut ranked: Vec<(f64, i64)> = self
            .starts
            .iter()
            .map(|&s| {
                let (mut sum, mut weight) = (0.0, 0.0);
                for (i, a, b) in self.months(s) {
                    for line in &self.teams[i] {
                        let d = line.discipline;
                        let w = f64::from(line.hours * line.count).max(1.0) * load.scale[d];
                        sum +=
                            w * load.scale[d] * (prefix[d][b as usize + 1] - prefix[d][a as usize]);
                        weight += w * (b - a + 1) as f64;
                    }
                }
                (sum / weight.max(1e-9), s)
            })
            .collect();
        ranked.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        ranked.into_iter().map(|r| r.1).collect()
    }
}

/// One municipality's demand in hours per week, per discipline and month
/// of 2026–2028.
struct Load {
    hours: Vec<[f64; MONTHS]>,
    /// Over all disciplines and months.
    total: f64,
    /// Per discipline, one over its share of the municipality's demand.
    scale: Vec<f64>,
}

impl Load {
    /// An empty load for the deelgebieden that may be placed in it.
    fn new<'a>(tracks: impl Iterator<Item = &'a Track>) -> Load {
        let mut share = vec![0.0; DISCIPLINES.len()];
        for t in tracks {
            for line in t.teams.iter().flatten() {
                share[line.discipline] += f64::from(line.hours * line.count);
            }
        }
        let sum: f64 = share.iter().sum::<f64>().max(1.0);
        Load {
            hours: vec![[0.0; MONTHS]; DISCIPLINES.len()],
            total: 0.0,
            scale: share.iter().map(|s| 1.0 / (s / sum + 0.01)).collect(),
        }
    }

    fn mean(&self) -> f64 {
        self.total / MONTHS as f64
    }
}

/// A phase team of `kind`: the project leader plus disciplines drawn from
/// the phase template, 4–7 lines by the phase's character.
fn team(rng: &mut Rng, kind: usize) -> Vec<Draft> {
    let (lo, hi) = PHASES[kind].lines;
    let n = rng.range(lo, hi) as usize;
    pick_disciplines(rng, kind, n)
        .into_iter()
        .map(|d| {
            let disc = &DISCIPLINES[d];
            Draft {
                discipline: d,
                hours: rng.pick(disc.slot_hours).copied().unwrap_or(8),
                count: 1 + rng.weighted(&disc.counts) as u32,
                required: d == PROJECTLEIDER || rng.chance(0.78),
            }
        })
        .collect()
}

/// Phase chains and role lines for every project, sized so that the mean
/// monthly demand over 2026–2028 in municipality `m` comes near `goals[m]`
/// (hours per week): every project runs its first deelgebied, and further
/// ones (up to three) are added while its municipality is short of its
/// goal. [`calibrate`] then sets the slot hours to the goal exactly.
pub fn phases_and_roles(
    rng: &mut Rng,
    projects: &[GenProject],
    goals: &[f64],
) -> (Vec<GenPhase>, Vec<GenRole>) {
    let tracks: Vec<Track> = (0..projects.len())
        .flat_map(|j| (0..MAX_TRACKS).map(move |t| (j, t)))
        .map(|(j, t)| Track::draw(rng, j, t == 0))
        .collect();
    // Larger areas split sooner: a project's second deelgebied usually
    // comes before any third one, but not always.
    let mut extra: Vec<(f64, usize)> = (0..tracks.len())
        .filter(|&i| !tracks[i].first)
        .map(|i| ((i % MAX_TRACKS) as f64 + 1.5 * rng.unit(), i))
        .collect();
    extra.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let order: Vec<usize> = (0..tracks.len())
        .filter(|&i| tracks[i].first)
        .chain(extra.into_iter().map(|e| e.1))
        .collect();

    // Hours per week asked in each month of 2026–2028, per municipality
    // (each plans its own portfolio against its own people, as in the
    // half-yearly Bouwoverleg): each deelgebied is placed where it levels
    // this load (one of the three best starts, for variety), then a few
    // passes move each to its best start. Demand then neither bunches by
    // chance in a small portfolio nor ramps up from zero.
    let mut load: Vec<Load> = (0..goals.len())
        .map(|m| {
            Load::new(
                tracks
                    .iter()
                    .filter(|t| projects[t.project].municipality == m),
            )
        })
        .collect();
    let mut starts: Vec<Option<i64>> = vec![None; tracks.len()];
    for i in order {
        let track = &tracks[i];
        let load = &mut load[projects[track.project].municipality];
        let ranked = track.ranked(load);
        let Some(&s) = ranked.get(rng.below(ranked.len().min(3))) else {
            continue;
        };
        if !track.first {
            // Add a deelgebied only while it brings the demand closer to
            // the goal.
            let mean = load.mean();
            if mean + track.mean_demand(s) / 2.0 > goals[projects[track.project].municipality] {
                continue;
            }
        }
        track.add(load, s, 1.0);
        starts[i] = Some(s);
    }
    for _ in 0..3 {
        for (track, start) in tracks.iter().zip(starts.iter_mut()) {
            let Some(s) = start else { continue };
            let load = &mut load[projects[track.project].municipality];
            track.add(load, *s, -1.0);
            *s = track.ranked(load).first().copied().unwrap_or(*s);
            track.add(load, *s, 1.0);
        }
    }

    let mut phases = Vec::new();
    let mut roles = Vec::new();
    for (j, chunk) in tracks.chunks(MAX_TRACKS).enumerate() {
        // Deelgebieden in the order they start.
        let mut shown: Vec<(i64, &Track)> = chunk
            .iter()
            .zip(&starts[j * MAX_TRACKS..])
            .filter_map(|(t, s)| s.map(|s| (s, t)))
            .collect();
        shown.sort_by_key(|&(s, t)| s + t.window(s).first().map_or(0, |&i| t.offsets[i]));
        let mut names: Vec<usize> = (0..DEELGEBIEDEN.len()).collect();
        rng.shuffle(&mut names);
        let named = shown.len() > 1;
        for (k, (start, track)) in shown.into_iter().enumerate() {
            debug_assert_eq!(track.project, j);
            for i in track.window(start) {
                let phase = phases.len();
                let kind = track.kinds[i];
                let s = start + track.offsets[i];
                phases.push(GenPhase {
                    project: j,
                    kind,
                    area: named.then(|| names[k]),
                    start: s.max(0),
                    end: s + track.durations[i] - 1,
                    needs: needs(rng, kind),
                });
                for d in &track.teams[i] {
                    roles.push(GenRole {
                        phase,
                        discipline: d.discipline,
                        hours: d.hours,
                        count: d.count,
                        expertise: None,
                        required: d.required,
                    });
                }
            }
        }
    }
    (phases, roles)
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

/// Role hours (hours × count) per month index of the given lines.
fn demand_by_month(phases: &[GenPhase], roles: &[GenRole], lines: &[usize]) -> Vec<f64> {
    let horizon = phases.iter().map(|p| p.end + 1).max().unwrap_or(0).max(0) as usize;
    let mut demand = vec![0.0; horizon];
    for r in lines.iter().map(|&i| &roles[i]) {
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
fn mean_demand(demand: &[f64]) -> f64 {
    let months = &demand[..demand.len().min(MONTHS)];
    months.iter().sum::<f64>() / months.len().max(1) as f64
}

/// Sizes the given role lines (one municipality's): their mean monthly
/// demand over 2026–2028 becomes `target` × capacity, and no month exceeds
/// `ceiling` × capacity.
///
/// The deelgebieden already bring the demand near the goal; single lines
/// are nudged by four hours (within their discipline's range): down in the
/// peak month while it is above the ceiling, and otherwise down in a busy
/// or up in a quiet month until the mean is on target. Only when no line
/// of that month has hours left to move does a line gain or lose a person
/// (within its discipline's most), so team sizes stay as drawn.
///
/// In between, each discipline's demand is smoothed over the months
/// (see [`smooth`]), and the mean is set once more after it.
pub fn calibrate(
    rng: &mut Rng,
    phases: &[GenPhase],
    roles: &mut [GenRole],
    lines: &[usize],
    capacity: f64,
    target: f64,
    ceiling: f64,
) {
    if lines.is_empty() || capacity <= 0.0 {
        return;
    }
    fit_mean(rng, phases, roles, lines, capacity, target, ceiling);
    for d in 0..DISCIPLINES.len() {
        let of_d: Vec<usize> = lines
            .iter()
            .copied()
            .filter(|&i| roles[i].discipline == d)
            .collect();
        smooth(rng, phases, roles, &of_d);
    }
    fit_mean(rng, phases, roles, lines, capacity, target, ceiling);
}

/// Evens out the demand of one discipline's lines over 2026–2028: four
/// hours at a time move from a line that runs in the discipline's busiest
/// month (and not in its quietest) to one that runs in the quietest (and
/// not in the busiest), while that lowers the sum of squared monthly
/// demand. The people of a discipline are a fixed number; a team that asks
/// them in fits and starts wastes their hours in the quiet months and
/// leaves slots open in the busy ones.
fn smooth(rng: &mut Rng, phases: &[GenPhase], roles: &mut [GenRole], lines: &[usize]) {
    if lines.len() < 2 {
        return;
    }
    let spans: Vec<(i64, i64)> = roles
        .iter()
        .map(|r| {
            let ph = &phases[r.phase];
            (ph.start.max(0), ph.end.min(LAST_START))
        })
        .collect();
    let span = |i: usize| spans[i];
    let mut demand = [0.0; MONTHS];
    for &i in lines {
        let (a, b) = span(i);
        for m in a..=b {
            demand[m as usize] += f64::from(roles[i].hours * roles[i].count);
        }
    }
    for _ in 0..lines.len() * 4 {
        let (mut hi, mut lo) = (0, 0);
        for m in 0..MONTHS {
            if demand[m] > demand[hi] {
                hi = m;
            }
            if demand[m] < demand[lo] {
                lo = m;
            }
        }
        let (hi_m, lo_m) = (hi as i64, lo as i64);
        let runs = |i: usize, m: i64| {
            let (a, b) = span(i);
            a <= m && m <= b
        };
        let down: Vec<usize> = lines
            .iter()
            .copied()
            .filter(|&i| {
                runs(i, hi_m)
                    && !runs(i, lo_m)
                    && roles[i].hours >= DISCIPLINES[roles[i].discipline].min_hours + 4
            })
            .collect();
        let up: Vec<usize> = lines
            .iter()
            .copied()
            .filter(|&i| {
                runs(i, lo_m)
                    && !runs(i, hi_m)
                    && roles[i].hours + 4 <= DISCIPLINES[roles[i].discipline].max_hours
            })
            .collect();
        let (Some(&a), Some(&b)) = (rng.pick(&down), rng.pick(&up)) else {
            break;
        };
        let mut after = demand;
        let (da, db) = (
            4.0 * f64::from(roles[a].count),
            4.0 * f64::from(roles[b].count),
        );
        let (sa, ea) = span(a);
        for m in sa..=ea {
            after[m as usize] -= da;
        }
        let (sb, eb) = span(b);
        for m in sb..=eb {
            after[m as usize] += db;
        }
        let squares = |d: &[f64; MONTHS]| d.iter().map(|x| x * x).sum::<f64>();
        if squares(&after) >= squares(&demand) {
            break;
        }
        demand = after;
        roles[a].hours -= 4;
        roles[b].hours += 4;
    }
}

/// The mean and peak part of [`calibrate`].
fn fit_mean(
    rng: &mut Rng,
    phases: &[GenPhase],
    roles: &mut [GenRole],
    lines: &[usize],
    capacity: f64,
    target: f64,
    ceiling: f64,
) {
    let goal = target * capacity;
    let cap = ceiling * capacity;
    let mut demand = demand_by_month(phases, roles, lines);
    let mut by_month: Vec<Vec<usize>> = vec![Vec::new(); demand.len()];
    for &i in lines {
        let ph = &phases[roles[i].phase];
        for list in &mut by_month[ph.start as usize..=ph.end as usize] {
            list.push(i);
        }
    }
    let tolerance = 0.01 * goal;
    let horizon = demand.len().min(MONTHS);
    for _ in 0..lines.len() * 8 + 100 {
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
        let by_hours = |r: &GenRole| {
            let d = &DISCIPLINES[r.discipline];
            if up {
                r.hours + 4 <= d.max_hours && room(r) >= f64::from(4 * r.count)
            } else {
                r.hours >= d.min_hours + 4
            }
        };
        let by_count = |r: &GenRole| {
            if up {
                r.count < DISCIPLINES[r.discipline].max_count() && f64::from(r.hours) <= room(r)
            } else {
                r.count > 1
            }
        };
        let active = &by_month[month];
        let choice = sample(rng, active, |i| by_hours(&roles[i]))
            .map(|i| (i, false))
            .or_else(|| sample(rng, active, |i| by_count(&roles[i])).map(|i| (i, true)));
        let Some((i, whole_slot)) = choice else {
            if up {
                break;
            }
            continue;
        };
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

/// The expertise a role line asks for, drawn once the people exist, so a
/// phase asks what its network can give: a field of the discipline at
/// level 2–4, lowered to what the second-best available person in reach
/// (home municipality, or poolable in a pool partner) holds, or another
/// field of the discipline that two people in reach hold. When nobody in
/// reach holds any, the line mostly asks no expertise; now and then it
/// keeps the demand anyway — the honest finding "nobody has KRW ≥ 3".
pub fn role_expertise(
    rng: &mut Rng,
    people: &[GenPerson],
    projects: &[GenProject],
    phases: &[GenPhase],
    roles: &mut [GenRole],
    linked: impl Fn(usize, usize) -> bool,
) {
    let municipalities = people.iter().map(|p| p.municipality + 1).max().unwrap_or(0);
    // People by (municipality, discipline).
    let mut holders = vec![vec![Vec::new(); DISCIPLINES.len()]; municipalities];
    for (i, p) in people.iter().enumerate() {
        for &d in &p.disciplines {
            holders[p.municipality][d].push(i);
        }
    }
    for r in roles.iter_mut() {
        let disc = &DISCIPLINES[r.discipline];
        if !rng.chance(disc.role_expertise) {
            continue;
        }
        let weights: Vec<f64> = disc.fields.iter().map(|f| f.1).collect();
        let field = disc.fields[rng.weighted(&weights)].0;
        // Scarce fields are asked at a lower level: there are few experts.
        let level = if FIELDS[field].1 {
            2 + rng.weighted(&[0.6, 0.4])
        } else {
            2 + rng.weighted(&[0.35, 0.45, 0.2])
        } as u32;
        let ph = &phases[r.phase];
        let home = projects[ph.project].municipality;
        let (from, until) = (month_start(ph.start), month_end(ph.end));
        let hours = r.hours;
        let reach: Vec<&GenPerson> = (0..municipalities)
            .filter(|&m| linked(m, home))
            .flat_map(|m| holders[m][r.discipline].iter().map(|&i| &people[i]))
            .filter(|p| {
                (p.municipality == home || (p.poolable && 2 * hours <= p.hours))
                    && p.from.is_none_or(|f| f <= from)
                    && p.until.is_none_or(|u| u >= until)
            })
            .collect();
        // The second-highest level in reach: what two people can give.
        let second = |f: usize| {
            let mut levels: Vec<u32> = reach
                .iter()
                .filter_map(|p| p.expertise.iter().find(|e| e.0 == f).map(|e| e.1))
                .collect();
            levels.sort_unstable_by(|a, b| b.cmp(a));
            levels.get(1).copied().unwrap_or(0)
        };
        let asked = second(field);
        r.expertise = if asked >= level {
            Some((field, level))
        } else if asked >= 2 {
            Some((field, asked))
        } else {
            let other = disc
                .fields
                .iter()
                .map(|&(f, _)| (second(f), f))
                .filter(|&(l, _)| l >= 2)
                .max_by_key(|&(l, f)| (l, std::cmp::Reverse(f)));
            match other {
                Some((l, f)) => Some((f, l.min(level))),
                None if rng.chance(0.25) => Some((field, level)),
                None => None,
            }
        };
    }
}
