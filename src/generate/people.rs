//! Generated people: who they are and where they work (drawn first, so total
//! capacity is known), then their disciplines, scores and expertise (drawn
//! after the portfolio, so the discipline mix follows demand).

use super::lists::{
    CORPORATIONS, DISCIPLINES, FIELDS, FIRMS, FIRST_NAMES, FIRST_NAMES_2, LAST_NAMES, LAST_NAMES_2,
    MUNICIPALITIES,
};
use super::rng::Rng;
use super::{apportion, month_end, month_start, GenPerson};

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
            // About one in eight joins later or leaves inside the horizon.
            let (from, until) = match rng.below(100) {
                0..=5 => (Some(month_start(rng.range(1, 23))), None),
                6..=11 => (None, Some(month_end(rng.range(5, 35)))),
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

/// Gives every person disciplines (in proportion to `weights`, the scarce
/// ones already discounted), pooling consent, cluster scores, expertise and
/// a project limit.
pub fn profile(rng: &mut Rng, people: &mut [GenPerson], weights: &[f64]) {
    // Apportion rather than sample, so small scenarios still get the mix,
    // and give every discipline in demand at least one person when there
    // are enough people (a role nobody could ever fill teaches nothing).
    let mut wanted: Vec<usize> = (0..weights.len()).filter(|&d| weights[d] > 0.0).collect();
    if wanted.is_empty() {
        wanted = (0..DISCIPLINES.len()).collect();
    }
    let w: Vec<f64> = wanted
        .iter()
        .map(|&d| weights.get(d).copied().unwrap_or(1.0))
        .collect();
    let per_discipline = apportion(&w, people.len(), 1);
    let mut primaries: Vec<usize> = wanted
        .iter()
        .zip(&per_discipline)
        .flat_map(|(&d, &n)| std::iter::repeat_n(d, n))
        .collect();
    rng.shuffle(&mut primaries);
    for (p, &d) in people.iter_mut().zip(&primaries) {
        let disc = &DISCIPLINES[d];
        p.disciplines = vec![d];
        if rng.chance(0.25) {
            if let Some(&second) = rng.pick(disc.related) {
                p.disciplines.push(second);
            }
        }
        let blue = p.disciplines.iter().any(|&d| DISCIPLINES[d].blue);
        p.poolable = rng.chance(if blue { 0.7 } else { 0.35 });
        p.max_projects = match rng.below(100) {
            0..=19 => None,
            20..=54 => Some(2),
            55..=84 => Some(3),
            _ => Some(4),
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
