//! Pooling compared: the same scenario solved under several pooling modes
//! (each municipality alone, the pool agreements as given, per province,
//! everyone poolable, or pools from extra files), then per mode and per
//! municipality what pooling buys and what it costs, the flows of hours
//! between municipalities, and a verdict in plain words.
//!
//! Guarantees a director can ask for: a cap on the hours a week a
//! municipality lends out net in any planning period (`max_net_lend`), and
//! "no one loses": no municipality is left with more open required
//! role-hours than when it works alone. The
//! second is always feasible, because the plan of the `none` mode keeps
//! every rule of every pooled mode; it seeds their search, so the
//! guarantee holds from the first plan on.

pub mod figures;
pub mod verdict;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::domain::{PoolingMode, Scenario};
use crate::plan::check::{self, Violation};
use crate::plan::score::{self, Components};
use crate::plan::Plan;
use crate::solve::{self, SolveOptions, Solved};
pub use figures::{Flow, MuniFigures, PooledPerson};

/// The built-in modes, in the order they are compared.
pub const BUILT_IN: [&str; 4] = ["none", "agreements", "region", "all"];

/// One pooling mode: its name and the scenario as that mode sees it.
#[derive(Clone, Debug)]
pub struct Mode {
    pub name: String,
    /// What the mode means, for tables and the verdict.
    pub label: String,
    pub scenario: Scenario,
}

/// Why a mode could not be set up.
#[derive(Clone, Debug, PartialEq)]
pub struct Skipped {
    pub mode: String,
    pub reason: String,
}

/// The modes to compare: the built-in ones that apply (the `region` mode
/// needs provinces from municipalities.csv) and one per extra pools file,
/// in that order.
pub fn modes(
    s: &Scenario,
    wanted: &[String],
    extra: &[(String, BTreeMap<String, Vec<String>>)],
) -> (Vec<Mode>, Vec<Skipped>) {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for name in wanted {
        let mut sc = s.clone();
        let label = match name.as_str() {
            "none" => {
                sc.settings.pooling = PoolingMode::None;
                "each municipality alone".to_string()
            }
            "agreements" => {
                sc.settings.pooling = PoolingMode::Agreements;
                if s.pools.is_empty() {
                    skipped.push(Skipped {
                        mode: name.clone(),
                        reason: "pools.csv holds no pool agreements".into(),
                    });
                    continue;
                }
                "pooling under the agreements".to_string()
            }
            "region" => {
                if s.provinces.is_empty() {
                    skipped.push(Skipped {
                        mode: name.clone(),
                        reason: "no municipalities.csv with provinces in the scenario folder"
                            .into(),
                    });
                    continue;
                }
                sc.settings.pooling = PoolingMode::Agreements;
                sc.pools = region_pools(s);
                "pooling per province".to_string()
            }
            "all" => {
                sc.settings.pooling = PoolingMode::All;
                "pooling everyone poolable".to_string()
            }
            other => {
                skipped.push(Skipped {
                    mode: other.to_string(),
                    reason: "unknown mode".into(),
                });
                continue;
            }
        };
        out.push(Mode {
            name: name.clone(),
            label,
            scenario: sc,
        });
    }
    for (name, pools) in extra {
        let mut sc = s.clone();
        sc.settings.pooling = PoolingMode::Agreements;
        sc.pools = pools.clone();
        out.push(Mode {
            name: name.clone(),
            label: format!("pooling under {name}"),
            scenario: sc,
        });
    }
    (out, skipped)
}

/// One pool per province, holding its municipalities; a municipality
/// without a province stays alone.
pub fn region_pools(s: &Scenario) -> BTreeMap<String, Vec<String>> {
    let mut pools: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (m, province) in &s.provinces {
        pools.entry(province.clone()).or_default().push(m.clone());
    }
    pools
}

/// How to compare.
#[derive(Clone, Debug)]
pub struct PoolOptions {
    pub solve: SolveOptions,
    /// Cap on the hours a week a municipality lends out net, in every
    /// planning period.
    pub max_net_lend: Option<f64>,
    /// No municipality may end with more open required role-hours than in
    /// the `none` mode.
    pub no_one_loses: bool,
}

/// One mode solved, with its figures.
#[derive(Clone, Debug)]
pub struct ModeResult {
    pub name: String,
    pub label: String,
    pub scenario: Scenario,
    pub solved: Solved,
    pub components: Components,
    pub municipalities: Vec<MuniFigures>,
    pub flows: Vec<Flow>,
    pub pooled_people: Vec<PooledPerson>,
    /// Phases (indices, the same in every mode) with a required slot open.
    pub blocked: std::collections::BTreeSet<usize>,
    /// Guarantees the plan does not meet (net lending cap, no-one-loses):
    /// reported, not fatal.
    pub unmet: Vec<Violation>,
}

/// All modes solved.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub modes: Vec<ModeResult>,
    pub skipped: Vec<Skipped>,
    /// Name of the mode the others are compared with (`none` when run).
    pub baseline: Option<String>,
}

/// A plan broke a hard rule that is not a guarantee: a bug, not a result.
#[derive(Debug)]
pub struct BrokenPlan {
    pub mode: String,
    pub violations: Vec<Violation>,
}

impl std::fmt::Display for BrokenPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "internal error: the plan of mode {} breaks {} rule(s)",
            self.mode,
            self.violations.len()
        )?;
        for v in &self.violations {
            write!(f, "\n  [{}] {}", v.rule, v.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for BrokenPlan {}

fn finish(mode: Mode, solved: Solved) -> Result<ModeResult, BrokenPlan> {
    let violations = check::check(&mode.scenario, &solved.plan);
    let (unmet, broken): (Vec<Violation>, Vec<Violation>) =
        violations.into_iter().partition(|v| v.rule.is_guarantee());
    if !broken.is_empty() {
        return Err(BrokenPlan {
            mode: mode.name,
            violations: broken,
        });
    }
    let s = &mode.scenario;
    let components = score::score(s, &solved.plan);
    let municipalities = figures::per_municipality(s, &solved.plan);
    let flows = figures::flows(s, &solved.plan);
    let pooled_people = figures::pooled_people(s, &solved.plan, 10);
    let blocked = crate::plan::time::blocked_phases(s, &solved.plan);
    Ok(ModeResult {
        blocked,
        name: mode.name,
        label: mode.label,
        scenario: mode.scenario,
        solved,
        components,
        municipalities,
        flows,
        pooled_people,
        unmet,
    })
}

/// Solves every mode, one after the other in the order given (`none`,
/// `agreements`, `region`, `all`, then the extra files), each with an equal
/// share of the time left. Every mode starts from the best plan of the
/// modes before it that keeps all of its rules: a plan of a mode whose
/// links are a subset of this one's is always such a plan, so a mode that
/// allows more pooling never ends with more weighted open work than one
/// that allows less (the search only improves on its start). The `none`
/// plan keeps every rule of every pooled mode, and with `no_one_loses` its
/// open required role-hours per municipality are their caps. `progress`
/// is told when a mode starts (`false`) and ends (`true`).
pub fn compare(
    modes: Vec<Mode>,
    skipped: Vec<Skipped>,
    opts: &PoolOptions,
    progress: &(dyn Fn(&str, bool) + Sync),
) -> Result<Comparison, BrokenPlan> {
    let baseline = modes
        .iter()
        .find(|m| m.name == "none")
        .map(|m| m.name.clone());
    let mut modes: Vec<Mode> = modes
        .into_iter()
        .map(|mut m| {
            if opts.max_net_lend.is_some() {
                m.scenario.settings.max_net_lend = opts.max_net_lend;
            }
            m
        })
        .collect();
    // `none` first: its plan is every other mode's fallback start.
    modes.sort_by_key(|m| m.name != "none");
    let mut o = opts.solve.clone();
    o.deadline = Some(opts.solve.deadline.unwrap_or_else(|| {
        std::time::Instant::now() + std::time::Duration::from_secs_f64(opts.solve.time_limit_s)
    }));
    let mut caps: BTreeMap<String, f64> = BTreeMap::new();
    let mut results: Vec<ModeResult> = Vec::new();
    let total = modes.len();
    for (k, mut m) in modes.into_iter().enumerate() {
        if m.name != "none" {
            m.scenario.unfilled_caps = caps.clone();
        }
        let mut mo = o.clone();
        // With a work budget the budget ends each mode; the time left is
        // only the safety net, so a mode may use all of it.
        mo.time_limit_s = if o.work.is_some() {
            o.seconds_left()
        } else {
            o.seconds_left() / (total - k) as f64
        };
        mo.warm_start = best_start(&m.scenario, &results).map(Arc::new);
        progress(&m.name, false);
        let solved = solve::solve(&m.scenario, &mo);
        let r = finish(m, solved)?;
        progress(&r.name, true);
        if r.name == "none" && opts.no_one_loses {
            caps = r
                .municipalities
                .iter()
                .map(|f| (f.municipality.clone(), f.unfilled_required_role_hours))
                .collect();
        }
        results.push(r);
    }
    // `none` first, then the others in the order asked for.
    Ok(Comparison {
        modes: results,
        skipped,
        baseline,
    })
}

/// The plan with the least weighted open work among the modes solved so
/// far whose plan keeps every rule of scenario `s` (guarantees apart: the
/// search may only lower a guarantee row that a start breaks).
fn best_start(s: &Scenario, solved: &[ModeResult]) -> Option<Plan> {
    solved
        .iter()
        .filter(|r| {
            check::check(s, &r.solved.plan)
                .iter()
                .all(|v| v.rule.is_guarantee())
        })
        .min_by(|a, b| {
            a.components
                .weighted_unfilled
                .total_cmp(&b.components.weighted_unfilled)
        })
        .map(|r| r.solved.plan.clone())
}

impl Comparison {
    pub fn baseline(&self) -> Option<&ModeResult> {
        let name = self.baseline.as_ref()?;
        self.modes.iter().find(|m| &m.name == name)
    }

    /// Municipalities that end worse off (more open required role-hours)
    /// than alone in mode `m`, with by how much.
    pub fn losers(&self, m: &ModeResult) -> Vec<(String, f64)> {
        let Some(base) = self.baseline() else {
            return Vec::new();
        };
        let alone: BTreeMap<&str, f64> = base
            .municipalities
            .iter()
            .map(|f| (f.municipality.as_str(), f.unfilled_required_role_hours))
            .collect();
        m.municipalities
            .iter()
            .filter_map(|f| {
                let before = alone.get(f.municipality.as_str()).copied().unwrap_or(0.0);
                let worse = f.unfilled_required_role_hours - before;
                (worse > 1e-6).then(|| (f.municipality.clone(), worse))
            })
            .collect()
    }
}
