//! Absence sampling: in each seeded sample every person is absent for the
//! whole planning period with their chance, and otherwise may leave at a
//! random month (turnover); the plan is repaired and measured, with and
//! without pooling, on the same draw.

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::{leaving, resolve, without, Options};
use crate::domain::{Date, Scenario};
use crate::plan::Plan;

/// One draw, solved one way.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sample {
    pub sample: usize,
    /// `with` (the scenario's pooling) or `without` (each municipality alone).
    pub pooling: &'static str,
    /// Ids of the people absent all period.
    pub absent: Vec<String>,
    /// Ids of the people who leave part-way.
    pub left: Vec<String>,
    /// Required role-hours over the horizon left open.
    pub unfilled_required_role_hours: f64,
    pub blocked_phases: usize,
}

/// Mean and percentiles of one figure over the samples.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Distribution {
    pub mean: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
}

/// Nearest-rank percentiles (p in 0..=100) of `values`.
pub fn distribution(values: &[f64]) -> Distribution {
    if values.is_empty() {
        return Distribution::default();
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = |p: f64| {
        let k = ((p / 100.0) * v.len() as f64).ceil() as usize;
        v[k.clamp(1, v.len()) - 1]
    };
    Distribution {
        mean: v.iter().sum::<f64>() / v.len() as f64,
        p50: rank(50.0),
        p90: rank(90.0),
        p99: rank(99.0),
        max: v[v.len() - 1],
    }
}

/// A small deterministic generator (SplitMix64): the same seed and sample
/// number give the same draw, whatever the thread order.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, sample: usize) -> Rng {
        Rng(seed ^ (sample as u64).wrapping_mul(0xD1B5_4A32_D192_ED03))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The first and last day any phase runs.
fn horizon(s: &Scenario) -> Option<(Date, Date)> {
    let start = s.phases.iter().map(|p| p.start).min()?;
    let end = s.phases.iter().map(|p| p.end).max()?;
    Some((start, end))
}

/// Who is absent and who leaves (and when) in sample `k`.
pub fn draw(s: &Scenario, seed: u64, k: usize) -> (Vec<usize>, Vec<(usize, Date)>) {
    let mut rng = Rng::new(seed, k);
    let span = horizon(s);
    let mut absent = Vec::new();
    let mut left = Vec::new();
    for (i, p) in s.people.iter().enumerate() {
        let q = s.absence.get(&p.id).copied().unwrap_or(s.settings.absence);
        // Two draws per person always, so one person's chance does not
        // shift everyone else's draw.
        let (a, b, c) = (rng.unit(), rng.unit(), rng.unit());
        if a < q {
            absent.push(i);
        } else if b < s.settings.turnover {
            if let Some((start, end)) = span {
                let days = end.days() - start.days();
                let day = start.add_days((c * days as f64) as i64);
                left.push((i, day));
            }
        }
    }
    (absent, left)
}

/// Runs `samples` draws, each solved with the scenario's pooling (from
/// `base`) and without pooling (from `base_alone`). Results are in sample
/// order, `with` before `without`.
pub fn run(
    s: &Scenario,
    alone: &Scenario,
    base: &Arc<Plan>,
    base_alone: &Arc<Plan>,
    opts: &Options,
    tick: &(dyn Fn() + Sync),
) -> Vec<Sample> {
    (0..opts.samples)
        .into_par_iter()
        .flat_map_iter(|k| {
            // Past the command's time limit the remaining draws are left out.
            if opts.quick.past_deadline() {
                return Vec::new();
            }
            let (absent, left) = draw(s, opts.seed, k);
            let ids = |list: &mut dyn Iterator<Item = usize>| -> Vec<String> {
                list.map(|i| s.people[i].id.clone()).collect()
            };
            let absent_ids = ids(&mut absent.iter().copied());
            let left_ids = ids(&mut left.iter().map(|&(i, _)| i));
            let mut out = Vec::with_capacity(2);
            for (pooling, sc, b) in [("with", s, base), ("without", alone, base_alone)] {
                let mut t = without(sc, &absent);
                leaving(&mut t, &left);
                let plan = resolve(&t, b, opts);
                let time = crate::plan::time::time_figures(&t, &plan);
                out.push(Sample {
                    sample: k + 1,
                    pooling,
                    absent: absent_ids.clone(),
                    left: left_ids.clone(),
                    unfilled_required_role_hours: time.unfilled_required_role_hours,
                    blocked_phases: time.blocked_phases,
                });
                tick();
            }
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        let d = distribution(&v);
        assert_eq!((d.p50, d.p90, d.p99, d.max), (50.0, 90.0, 99.0, 100.0));
        assert!((d.mean - 50.5).abs() < 1e-12);
        let d = distribution(&[3.0]);
        assert_eq!((d.p50, d.p99, d.mean), (3.0, 3.0, 3.0));
        assert_eq!(distribution(&[]), Distribution::default());
    }

    #[test]
    fn draws_repeat_and_follow_the_chance() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/small");
        let mut s = crate::input::load(&dir).unwrap();
        s.settings.absence = 0.5;
        assert_eq!(draw(&s, 7, 3), draw(&s, 7, 3));
        let total: usize = (0..400).map(|k| draw(&s, 7, k).0.len()).sum();
        let share = total as f64 / (400.0 * s.people.len() as f64);
        assert!((share - 0.5).abs() < 0.05, "absent share {share}");
        s.settings.absence = 0.0;
        s.settings.turnover = 1.0;
        let (absent, left) = draw(&s, 7, 0);
        assert!(absent.is_empty());
        assert_eq!(left.len(), s.people.len());
        // A per-person chance overrides the default.
        s.settings.turnover = 0.0;
        s.absence.insert(s.people[0].id.clone(), 1.0);
        assert_eq!(draw(&s, 1, 0).0, vec![0]);
    }
}
