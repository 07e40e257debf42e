//! `ploeg pool DIR --out OUT`: the scenario under several pooling modes,
//! side by side, with the director's verdict. Modes run in parallel, one
//! progress line each on a terminal.

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use ploeg::pool::{self, PoolOptions};
use ploeg::report::pool as pool_report;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario folder.
    dir: PathBuf,
    /// Folder to write pool_comparison.csv, pool_flows.csv, pooled_people.csv, summary.json and one folder per mode into.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Modes to compare, comma-separated: none, agreements, region (provinces from municipalities.csv), all.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "none,agreements,region,all"
    )]
    modes: Vec<String>,
    /// An extra pools file (columns pool, municipality), compared as a mode named after the file. Repeatable.
    #[arg(long = "pools", value_name = "FILE")]
    pools: Vec<PathBuf>,
    /// Most hours per week a municipality may lend out net (lent minus borrowed).
    #[arg(long, value_name = "HOURS", value_parser = super::hours)]
    max_net_lend: Option<f64>,
    /// No municipality may be left with more unfilled required hours than alone.
    #[arg(long)]
    no_one_loses: bool,
    #[command(flatten)]
    solve: super::SolveFlags,
    /// Also write OUT/report.html (the page `ploeg report OUT` makes), with the pooling section.
    #[arg(long, requires = "out")]
    report: bool,
    /// Print summary.json to stdout instead of the table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    privacy: super::PrivacyFlags,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let s = a.privacy.apply(super::load(&a.dir)?)?;
    let solve = a.solve.options(&s)?;
    if let Some(cap) = a.max_net_lend {
        if !(cap >= 0.0 && cap.is_finite()) {
            usage!("--max-net-lend must be zero or more hours per week");
        }
    }
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for m in &a.modes {
        if !pool::BUILT_IN.contains(&m.as_str()) {
            usage!(
                "unknown mode {m:?} in --modes; use {} (extra pools come with --pools FILE)",
                pool::BUILT_IN.join(", ")
            );
        }
        if !seen.insert(m.clone()) {
            usage!("mode {m} is listed twice in --modes");
        }
    }
    if a.no_one_loses && !seen.contains("none") {
        usage!("--no-one-loses compares with each municipality alone: add none to --modes");
    }
    let mut extra: Vec<(String, BTreeMap<String, Vec<String>>)> = Vec::new();
    for path in &a.pools {
        let name = path
            .file_stem()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if name.is_empty() || name.starts_with('.') {
            usage!("cannot name a mode after {}", path.display());
        }
        if pool::BUILT_IN.contains(&name.as_str()) || !seen.insert(name.clone()) {
            usage!(
                "the pools file {} would give a second mode named {name}; rename the file",
                path.display()
            );
        }
        let pools = ploeg::input::load_pools(&s, path)?;
        extra.push((name, pools));
    }
    let (modes, skipped) = pool::modes(&s, &a.modes, &extra);
    if modes.is_empty() {
        usage!("no mode left to compare: {}", {
            let r: Vec<String> = skipped
                .iter()
                .map(|k| format!("{}: {}", k.mode, k.reason))
                .collect();
            r.join("; ")
        });
    }
    let opts = PoolOptions {
        solve,
        max_net_lend: a.max_net_lend,
        no_one_loses: a.no_one_loses,
    };

    // One spinner per mode, on stderr, only when stdout is a terminal.
    let multi = MultiProgress::new();
    if !std::io::stdout().is_terminal() {
        multi.set_draw_target(ProgressDrawTarget::hidden());
    }
    let style = ProgressStyle::with_template("{spinner} {prefix:<12} {elapsed:>4} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    let bars: BTreeMap<String, (ProgressBar, String)> = modes
        .iter()
        .map(|m| {
            let bar = multi.add(ProgressBar::new_spinner());
            bar.set_style(style.clone());
            bar.set_prefix(m.name.clone());
            bar.set_message(format!("waiting ({})", m.label));
            (m.name.clone(), (bar, m.label.clone()))
        })
        .collect();
    let progress = |name: &str, done: bool| {
        if let Some((bar, label)) = bars.get(name) {
            if done {
                bar.finish_with_message("done");
            } else {
                bar.reset_elapsed();
                bar.enable_steady_tick(Duration::from_millis(200));
                bar.set_message(format!("solving ({label})"));
            }
        }
    };
    let comparison = pool::compare(modes, skipped, &opts, &progress)?;
    for (bar, _) in bars.values() {
        bar.finish_and_clear();
    }
    let summary = pool_report::summary(&comparison, a.max_net_lend, a.no_one_loses);
    if let Some(out) = &a.out {
        let files = pool_report::pool_files(&comparison, &summary)?;
        super::write_with_report(out, &files, a.report, &a.dir)?;
    }
    if a.json {
        super::print(&format!("{}\n", serde_json::to_string_pretty(&summary)?))?;
    } else {
        let out = a.out.as_ref().map(|o| o.display().to_string());
        super::print(&pool_report::terminal(
            &comparison,
            &summary,
            out.as_deref(),
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
