//! Generated people: who they are and where they work (drawn first, so total
//! capacity is known), then their disciplines, scores and expertise (drawn
//! after the portfolio, so the discipline mix follows demand).

use super::lists::{
    related, CORPORATIONS, DISCIPLINES, FIELDS, FIRMS, FIRST_NAMES, FIRST_NAMES_2, LAST_NAMES,
    LAST_NAMES_2, MUNICIPALITIES,
};
use super::rng::Rng;
use super::{month_end, month_start, GenPerson};

/// Contract hours and how common they are.
const HOURS: [(u32, f64); 5] = [(16, 0.08), (24, 0.15), (32, 0.35), (36, 0.30), (40, 0.12)];

/// People of municipality `i` number `counts[i]`; disciplines are filled in
/// later by [`profile`].
pub fn base(rng: &mut Rng, counts: &[usize]) -> Vec<GenPerson> {
    let mut people = Vec::with_capacity(counts.iter().sum());
    for (mi, &n) in counts.iter().enumerate() {
        for _ in 0..n {
            let name = name(rng);
            let organisation = organisation(rng, mi);
            let hours = HOURS[rng.weighted(&HOURS.map(|h| h.1))].0;
            // About one in eight joins later or leaves inside the horizon, at
            // the turn of a quarter, like the phases.
            let (from, until) = match rng.below(100) {
                0..=5 => (Some(month_start(3 * rng.range(1, 7))), None),
                6..=11 => (None, Some(month_end(3 * rng.range(2, 11) + 2))),
                _ => (None, None),
            };
            people.push(GenPerson {
                name,
                organisation,
                municipality: mi,
                disciplines: Vec::new(),
                hours,
                from,
                until,
                max_projects: None,
                poolable: false,
                scores: [0.0; 5],
                expertise: Vec::new(),
            });
        }
    }
    people
}

fn name(rng: &mut Rng) -> String {
    // Mostly Dutch names, a fifth from the other lists, sometimes mixed (as
    // in any Dutch office).
    let other_first = rng.chance(0.2);
    let other_last = if rng.chance(0.85) {
        other_first
    } else {
        !other_first
    };
    let first = if other_first {
        pick(rng, &FIRST_NAMES_2)
    } else {
        pick(rng, &FIRST_NAMES)
    };
    let last = if other_last {
        pick(rng, &LAST_NAMES_2)
    } else {
        pick(rng, &LAST_NAMES)
    };
    format!("{first} {last}")
}

fn pick(rng: &mut Rng, list: &[&'static str]) -> &'static str {
    rng.pick(list).copied().unwrap_or("")
}

fn organisation(rng: &mut Rng, municipality: usize) -> String {
    let m = &MUNICIPALITIES[municipality];
    match rng.below(100) {
        0..=9 => CORPORATIONS[municipality % CORPORATIONS.len()].to_string(),
        10..=16 => FIRMS[municipality % FIRMS.len()].to_string(),
        _ => format!("Gemeente {}", m.name),
    }
}

/// Gives every person disciplines, pooling consent, cluster scores,
/// expertise and a project limit. `demand[m][d]` is the mean weekly demand
/// for discipline `d` in municipality `m` (the blue professions already
/// discounted: they are the people the workbook says are missing);
/// `linked(a, b)` says whether people of `a` may serve `b`.
pub fn profile(
    rng: &mut Rng,
    people: &mut [GenPerson],
    demand: &[Vec<f64>],
    linked: impl Fn(usize, usize) -> bool,
) {
    let municipalities = demand.len();
    let mut total = vec![0.0; DISCIPLINES.len()];
    for row in demand {
        for (t, d) in total.iter_mut().zip(row) {
            *t += d;
        }
    }
    if total.iter().all(|&t| t <= 0.0) {
        total = vec![1.0; DISCIPLINES.len()];
    }
    // Each organisation staffs its own projects: the hours per discipline
    // of a municipality follow its own demand (or the whole portfolio's mix
    // where it has no projects). People are placed one by one, in a random
    // order, in the discipline furthest below its share both at home and
    // over all municipalities: what a small municipality cannot round up
    // to a whole person, a larger one picks up, so every discipline in
    // demand is staffed somewhere.
    let mut local: Vec<Vec<f64>> = (0..municipalities)
        .map(|m| {
            let weights = if demand[m].iter().any(|&d| d > 0.0) {
                &demand[m]
            } else {
                &total
            };
            let sum: f64 = weights.iter().sum();
            let hours: f64 = people
                .iter()
                .filter(|p| p.municipality == m)
                .map(|p| f64::from(p.hours))
                .sum();
            weights.iter().map(|w| w / sum * hours).collect()
        })
        .collect();
    let mut global: Vec<f64> = (0..DISCIPLINES.len())
        .map(|d| local.iter().map(|row| row[d]).sum())
        .collect();
    // Full-timers first, so the part-timers fill what is left.
    let mut order: Vec<usize> = (0..people.len()).collect();
    rng.shuffle(&mut order);
    order.sort_by_key(|&i| std::cmp::Reverse(people[i].hours));
    for i in order {
        let (m, hours) = (people[i].municipality, f64::from(people[i].hours));
        // How much closer the municipality and the whole scenario come to
        // their mix (a person larger than the gap overshoots), then the
        // larger gap.
        let closer = |gap: f64| 2.0 * gap.min(hours) - hours;
        let score =
            |d: usize| closer(local[m][d]) + closer(global[d]) + 0.05 * (local[m][d] + global[d]);
        let d = (0..DISCIPLINES.len())
            .max_by(|&a, &b| score(a).total_cmp(&score(b)).then(b.cmp(&a)))
            .unwrap_or(0);
        local[m][d] -= hours;
        global[d] -= hours;
        people[i].disciplines = vec![d];
    }
    // A third hold a related second discipline; rarely a blue one, or the
    // shortage would vanish on paper. The blue professionals themselves
    // keep to their trade: their hours are the scarce ones.
    for p in people.iter_mut() {
        if !DISCIPLINES[p.disciplines[0]].blue && rng.chance(0.35) {
            if let Some(&second) = rng.pick(DISCIPLINES[p.disciplines[0]].related) {
                if !DISCIPLINES[second].blue || rng.chance(0.2) {
                    p.disciplines.push(second);
                }
            }
        }
        let blue = p.disciplines.iter().any(|&d| DISCIPLINES[d].blue);
        p.poolable = rng.chance(if blue { 0.7 } else { 0.5 });
    }
    // Small organisations wear two hats: where fewer than two people in
    // reach (home, or poolable in a pool partner) hold a discipline the
    // municipality's projects ask, someone with a related one takes it on
    // as a second (the jurist who also does permits).
    for m in 0..municipalities {
        for d in 0..DISCIPLINES.len() {
            if demand[m][d] <= 0.0 {
                continue;
            }
            let wanted = if DISCIPLINES[d].blue { 1 } else { 2 };
            let held = people
                .iter()
                .filter(|p| {
                    p.disciplines.contains(&d)
                        && (p.municipality == m || (p.poolable && linked(p.municipality, m)))
                })
                .count();
            if held >= wanted {
                continue;
            }
            // Those with one discipline first; a third only in a pinch.
            let mut candidates: Vec<usize> = (0..people.len())
                .filter(|&i| {
                    let p = &people[i];
                    p.municipality == m
                        && !DISCIPLINES[p.disciplines[0]].blue
                        && p.disciplines.len() <= 2
                        && !p.disciplines.contains(&d)
                        && p.disciplines.iter().any(|&x| related(x, d))
                })
                .collect();
            rng.shuffle(&mut candidates);
            candidates.sort_by_key(|&i| people[i].disciplines.len());
            for &i in candidates.iter().take(wanted - held) {
                people[i].disciplines.push(d);
            }
        }
    }
    for p in people.iter_mut() {
        let disc = &DISCIPLINES[p.disciplines[0]];
        // Job crafting: the core team works in few projects; specialists,
        // with small slots, in more.
        p.max_projects = if disc.specialist {
            match rng.below(100) {
                0..=29 => None,
                30..=59 => Some(3),
                60..=84 => Some(4),
                _ => Some(5),
            }
        } else {
            match rng.below(100) {
                0..=24 => None,
                25..=44 => Some(2),
                45..=79 => Some(3),
                _ => Some(4),
            }
        };
        // A personal tilt plus noise around the discipline's profile; sd of
        // the sum is about 1.5 on the 1–10 scale.
        let tilt = rng.normal() * 0.6;
        for (c, score) in p.scores.iter_mut().enumerate() {
            let s = 5.8 + disc.profile[c] + tilt + rng.normal() * 1.35;
            *score = (s.clamp(1.0, 10.0) * 10.0).round() / 10.0;
        }
        p.expertise = expertise(rng, &p.disciplines);
    }
}

/// One to three fields, mostly from the person's own disciplines; the
/// scarce fields are rarely held outside them.
fn expertise(rng: &mut Rng, disciplines: &[usize]) -> Vec<(usize, u32)> {
    let mut weights: Vec<f64> = FIELDS
        .iter()
        .map(|&(_, scarce)| if scarce { 0.05 } else { 0.25 })
        .collect();
    let mut own = vec![false; FIELDS.len()];
    for (k, &d) in disciplines.iter().enumerate() {
        let factor = if k == 0 { 3.0 } else { 1.5 };
        for &(f, w) in DISCIPLINES[d].fields {
            weights[f] += w * factor;
            own[f] = true;
        }
    }
    let n = 1 + rng.weighted(&[0.35, 0.45, 0.2]);
    let mut out = Vec::new();
    for _ in 0..n {
        let f = rng.weighted(&weights);
        if weights[f] <= 0.0 {
            break;
        }
        weights[f] = 0.0;
        let level = if own[f] {
            2 + rng.weighted(&[0.15, 0.35, 0.35, 0.15]) as u32
        } else {
            1 + rng.weighted(&[0.4, 0.4, 0.2]) as u32
        };
        out.push((f, level));
    }
    out.sort_unstable();
    out
}
