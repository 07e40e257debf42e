//! `ploeg resilience DIR --out OUT`: key people (N-1), bus factors and
//! absence sampling, with one progress bar and its ETA on a terminal.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use ploeg::report::{self, resilience as out};
use ploeg::resilience::{self, sample, Options};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario folder.
    dir: PathBuf,
    /// Folder to write key_people.csv, bus_factor.csv, absence.csv, absence_summary.csv and summary.json into.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Absence samples (overrides [resilience] samples; 0 skips sampling).
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    samples: Option<u32>,
    /// Chance that a person is absent all period (overrides [resilience] absence).
    #[arg(long, value_parser = super::chance)]
    absence: Option<f64>,
    /// Chance that a person leaves part-way (overrides [resilience] turnover).
    #[arg(long, value_parser = super::chance)]
    turnover: Option<f64>,
    /// Seed of the absence samples.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Skip the N-1 analysis.
    #[arg(long)]
    skip_n1: bool,
    /// Start every re-solve from nothing instead of the base plan (to measure the warm start).
    #[arg(long)]
    cold: bool,
    /// Rounds of the re-solves' perturbation search without improvement (more = slower, better repairs).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=1_000))]
    patience: u32,
    #[command(flatten)]
    solve: super::SolveFlags,
    /// Also write OUT/report.html (the page `ploeg report OUT` makes), with the resilience section.
    #[arg(long, requires = "out")]
    report: bool,
    /// Print summary.json to stdout instead of the table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    privacy: super::PrivacyFlags,
}

fn chance(name: &str, v: Option<f64>) -> Result<Option<f64>> {
    match v {
        Some(q) if !(0.0..=1.0).contains(&q) => usage!("--{name} must lie between 0 and 1"),
        _ => Ok(v),
    }
}

pub fn run(a: Args) -> Result<ExitCode> {
    let mut s = a.privacy.apply(super::load(&a.dir)?)?;
    if let Some(q) = chance("absence", a.absence)? {
        s.settings.absence = q;
    }
    if let Some(q) = chance("turnover", a.turnover)? {
        s.settings.turnover = q;
    }
    if let Some(k) = a.samples {
        s.settings.samples = k as usize;
    }
    let mut base_opts = a.solve.options(&s)?;
    // The time limit holds for the whole run: the base plan gets half of
    // it, N-1 and the samples share the rest.
    let limit = base_opts.time_limit_s;
    base_opts.deadline = Some(Instant::now() + Duration::from_secs_f64(limit));
    base_opts.time_limit_s = limit / 2.0;
    let mut quick = base_opts.clone();
    quick.heuristic_only = true;
    quick.patience = a.patience as usize;
    quick.time_limit_s = limit;
    let opts = Options {
        quick,
        warm: !a.cold,
        samples: s.settings.samples,
        seed: a.seed,
    };

    let t0 = Instant::now();
    let solved = ploeg::solve::solve(&s, &base_opts);
    let violations = ploeg::plan::check::check(&s, &solved.plan);
    if !violations.is_empty() {
        bail!(
            "internal error: the base plan breaks {} rule(s); please report this with the scenario",
            violations.len()
        );
    }
    // Polish the base plan with the re-solves' own search, so what N-1 and
    // the samples lose is due to the absence, not to a better search.
    let base_report = solved.report;
    let first = Arc::new(solved.plan);
    let warm = Options {
        warm: true,
        ..opts.clone()
    };
    let base = Arc::new(resilience::resolve(&s, &first, &warm));
    let base = if ploeg::plan::score::score(&s, &base).weighted_unfilled
        <= ploeg::plan::score::score(&s, &first).weighted_unfilled
    {
        base
    } else {
        first
    };
    let alone = resilience::alone(&s);
    let base_alone = Arc::new(resilience::resolve(&alone, &base, &warm));
    let base_seconds = t0.elapsed().as_secs_f64();

    let people = if a.skip_n1 { 0 } else { s.people.len() };
    let replans = people.min(resilience::REPLANNED);
    let total = (people + replans + 2 * opts.samples) as u64;
    let bar = if std::io::stdout().is_terminal() {
        ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{msg:<16} [{bar:40}] {pos}/{len} re-solves, {elapsed} elapsed, ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let tick = || bar.inc(1);

    let t1 = Instant::now();
    bar.set_message("N-1");
    let mut key = if a.skip_n1 {
        Vec::new()
    } else {
        resilience::n_minus_one(&s, &base, &opts, &tick)
    };
    if !key.is_empty() {
        // The first of the screen re-planned in full by the base plan's
        // engine: a third of the time left (three quarters as the safety
        // net of a work budget), the samples get the rest.
        let mut full = base_opts.clone();
        let left = full.deadline.map_or(limit, |d| {
            d.saturating_duration_since(Instant::now()).as_secs_f64()
        });
        full.time_limit_s = if full.work.is_some() {
            left * 0.75
        } else {
            left / 3.0
        };
        full.deadline = Some(Instant::now() + Duration::from_secs_f64(full.time_limit_s));
        let base_bound = base_report.stages.first().and_then(|st| st.bound);
        resilience::replan(&s, &base, base_bound, &mut key, &full, &tick);
    }
    let n1_seconds = t1.elapsed().as_secs_f64();
    let bus = resilience::bus_factors(&s);
    let t2 = Instant::now();
    bar.set_message("absence samples");
    let samples = sample::run(&s, &alone, &base, &base_alone, &opts, &tick);
    let absence_seconds = t2.elapsed().as_secs_f64();
    bar.finish_and_clear();

    let mut notes = Vec::new();
    let skipped = key.iter().filter(|k| !k.evaluated).count();
    if skipped > 0 {
        notes.push(format!(
            "the time limit ({limit} s) ended N-1 before {skipped} of {} people; raise --time-limit to cover them",
            key.len()
        ));
    }
    let drawn = samples.len() / 2;
    if drawn < opts.samples {
        notes.push(format!(
            "the time limit ({limit} s) ended the absence sampling after {drawn} of {} samples",
            opts.samples
        ));
    }
    let base_score = ploeg::plan::score::score(&s, &base);
    let mut summary = out::ResilienceSummary {
        ploeg_version: env!("CARGO_PKG_VERSION"),
        scenario: s.settings.name.clone(),
        people: s.people.len(),
        base_unfilled_required_role_hours: base_score.time.unfilled_required_role_hours,
        base_blocked_phases: base_score.time.blocked_phases,
        key_people: key.iter().filter(|k| k.key).count(),
        replanned: key.iter().filter(|k| k.replanned).count(),
        key_fte_months: s.settings.key_fte_months,
        top_key_people: key.iter().take(10).cloned().collect(),
        fragile: bus.iter().filter(|b| !b.flag.is_empty()).count(),
        samples: drawn,
        absence_chance: s.settings.absence,
        turnover_chance: s.settings.turnover,
        seed: opts.seed,
        absence: out::absence_figures(
            &samples,
            &base_score,
            &ploeg::plan::score::score(&alone, &base_alone),
        ),
        warm_start: opts.warm,
        seconds: out::Seconds {
            base: round3(base_seconds),
            n_minus_one: round3(n1_seconds),
            absence: round3(absence_seconds),
        },
        verdict: Vec::new(),
        notes,
    };
    summary.verdict = out::verdict(&summary, &bus);
    if let Some(dir) = &a.out {
        let mut files = out::files(&summary, &key, &bus, &samples)?;
        // The base plan, as `ploeg solve` writes it, in plan/.
        for (name, data) in report::plan_files(&s, &base)? {
            files.push((format!("plan/{name}"), data));
        }
        let components = ploeg::plan::score::score(&s, &base);
        let plan_summary = report::Summary::new(&s, &base_report, components, Vec::new());
        files.push((
            "plan/summary.json".to_string(),
            serde_json::to_vec_pretty(&plan_summary)?,
        ));
        super::write_with_report(dir, &files, a.report, &a.dir)?;
    }
    if a.json {
        super::print(&format!("{}\n", serde_json::to_string_pretty(&summary)?))?;
    } else {
        let o = a.out.as_ref().map(|o| o.display().to_string());
        super::print(&out::terminal(&summary, &bus, o.as_deref()))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}
