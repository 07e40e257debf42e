//! `ploeg assess --items ITEMS.csv --mapping MAP.csv --out PROFILES.csv`:
//! raw assessment results → the five cluster levels per person, with item
//! counts, raw means, flags and provenance; optionally merged into an
//! existing people.csv. Every file is checked before anything is written.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use ploeg::assess::merge::{self, PeopleFile};
use ploeg::assess::{self, Flag, Options, Profiles, Scale};
use ploeg::domain::Cluster;
use ploeg::input::{self, InputErrors};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Item scores: long (person_id,item,score) or wide (person_id and one column per item).
    #[arg(long)]
    items: PathBuf,
    /// Item → cluster mapping (item,cluster,weight; optional scale_min,scale_max,bands).
    #[arg(long)]
    mapping: PathBuf,
    /// Where to write PROFILES.csv (without --out and --merge it goes to stdout).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Write the five levels into this people.csv (all other cells kept).
    #[arg(long)]
    merge: Option<PathBuf>,
    /// Check the person ids against this people.csv without changing it.
    #[arg(long, conflicts_with = "merge")]
    people: Option<PathBuf>,
    /// Scale of items whose mapping rows declare none, as MIN-MAX (e.g. 1-10).
    #[arg(long, value_parser = parse_scale)]
    scale: Option<Scale>,
    /// Scale of the cluster levels, as MIN-MAX (default 1-10, or the scenario's).
    #[arg(long, value_parser = parse_scale)]
    target_scale: Option<Scale>,
    /// Take the cluster scale from this scenario folder's scenario.toml.
    #[arg(long, conflicts_with = "target_scale")]
    scenario: Option<PathBuf>,
    /// A cluster carried by fewer answered items is flagged too_few_items.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    min_items: u32,
    /// Leave items that are not in the mapping out instead of refusing them.
    #[arg(long)]
    ignore_unmapped: bool,
    /// Print a JSON summary (per cluster: people, items per person, mean
    /// level, flagged; files written) instead of the table; with neither
    /// --out nor --merge the profiles still go to stdout as CSV.
    #[arg(long)]
    json: bool,
}

fn parse_scale(v: &str) -> Result<Scale, String> {
    Scale::parse(v)
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| p.display().to_string())
}

fn read_people(path: &Path) -> Result<PeopleFile, InputErrors> {
    let name = file_name(path);
    let bytes = ploeg::input::read_file(path, &name).map_err(|e| InputErrors::single(*e))?;
    PeopleFile::read(&name, &bytes)
}

/// The cluster scale: the flag, the named scenario, the scenario next to
/// the merged people.csv, or 1–10.
fn target_scale(a: &Args) -> Result<Scale> {
    if let Some(s) = a.target_scale {
        return Ok(s);
    }
    let dir = match (&a.scenario, &a.merge) {
        (Some(d), _) => Some(d.clone()),
        (None, Some(m)) => m
            .parent()
            .map(|p| {
                if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                }
            })
            .filter(|p| p.join("scenario.toml").is_file())
            .map(Path::to_path_buf),
        _ => None,
    };
    match dir {
        Some(d) => {
            let s = input::load_settings(&d)?;
            Ok(Scale {
                min: s.score_min,
                max: s.score_max,
            })
        }
        None => Ok(Scale::DEFAULT),
    }
}

pub fn run(a: Args) -> Result<ExitCode> {
    if a.min_items == 0 {
        usage!("--min-items must be at least 1");
    }
    let opts = Options {
        target: target_scale(&a)?,
        default_scale: a.scale,
        min_items: a.min_items as usize,
        ignore_unmapped: a.ignore_unmapped,
    };
    let mapping = input::read_table(&a.mapping);
    let items = input::read_table(&a.items);
    let people = a
        .merge
        .as_ref()
        .or(a.people.as_ref())
        .map(|p| read_people(p));
    let mut errors = Vec::new();
    for r in [&mapping, &items] {
        if let Err(e) = r {
            errors.extend(e.0.iter().cloned());
        }
    }
    if let Some(Err(e)) = &people {
        errors.extend(e.0.iter().cloned());
    }
    if !errors.is_empty() {
        return Err(InputErrors(errors).into());
    }
    let (mapping, items) = (mapping?, items?);
    let people = people.transpose()?;
    let ids = people.as_ref().map(|p| (p.file.clone(), p.ids()));
    let profiles = assess::assess(
        &mapping,
        &items,
        &opts,
        ids.as_ref().map(|(f, ids)| (f.as_str(), ids)),
    )?;
    let csv = assess::to_csv(&profiles);
    let merged = match (&a.merge, &people) {
        (Some(_), Some(p)) => Some(merge::merge(p, &profiles)?),
        _ => None,
    };
    use ploeg::report::output::Written;
    let header = String::from_utf8_lossy(&csv)
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    let mut files: Vec<(&Path, Vec<u8>, Option<Written>)> = Vec::new();
    if let Some(out) = &a.out {
        files.push((
            out.as_path(),
            csv.clone(),
            Some(Written::CsvHeader(&header)),
        ));
    }
    if let (Some(path), Some(m)) = (&a.merge, &merged) {
        // The people file the user asked to merge into is meant to change.
        files.push((path.as_path(), m.bytes.clone(), None));
    }
    if files.is_empty() {
        super::print(&String::from_utf8_lossy(&csv))?;
    } else {
        ploeg::report::output::write_files(&files)?;
        if a.json {
            let j = json_summary(&a, &profiles, merged.as_ref());
            super::print(&format!("{}\n", serde_json::to_string_pretty(&j)?))?;
        } else {
            super::print(&summary(&a, &profiles, merged.as_ref()))?;
        }
    }
    for w in warnings(&profiles, merged.as_ref(), a.min_items as usize) {
        eprintln!("note: {w}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Per cluster: people with a level, answered items per person, mean level
/// and people flagged.
fn cluster_rows(p: &Profiles) -> Vec<(Cluster, usize, f64, f64, usize)> {
    Cluster::ALL
        .iter()
        .map(|&c| {
            let with: Vec<&assess::ClusterLevel> = p
                .profiles
                .iter()
                .map(|pr| &pr.clusters[c.index()])
                .filter(|l| l.level.is_some())
                .collect();
            let n = with.len();
            let items = with.iter().map(|l| l.items).sum::<usize>() as f64 / n.max(1) as f64;
            let mean = with.iter().filter_map(|l| l.level).sum::<f64>() / n.max(1) as f64;
            let flagged = p
                .profiles
                .iter()
                .filter(|pr| pr.clusters[c.index()].flag != Flag::Ok)
                .count();
            (c, n, items, mean, flagged)
        })
        .collect()
}

fn json_summary(a: &Args, p: &Profiles, merged: Option<&merge::Merged>) -> serde_json::Value {
    let clusters: Vec<serde_json::Value> = cluster_rows(p)
        .into_iter()
        .map(|(c, n, items, mean, flagged)| {
            serde_json::json!({
                "cluster": c.id(),
                "people": n,
                "items_per_person": (items * 10.0).round() / 10.0,
                "mean_level": (mean * 100.0).round() / 100.0,
                "flagged": flagged,
            })
        })
        .collect();
    serde_json::json!({
        "people": p.profiles.len(),
        "source": p.source.to_string(),
        "target_scale": p.target.to_string(),
        "clusters": clusters,
        "out": a.out.as_ref().map(|o| o.display().to_string()),
        "merged_into": a.merge.as_ref().map(|o| o.display().to_string()),
        "rows_updated": merged.map(|m| m.updated),
    })
}

fn summary(a: &Args, p: &Profiles, merged: Option<&merge::Merged>) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "assessed {} people from {} onto the cluster scale {}",
        p.profiles.len(),
        p.source,
        p.target
    );
    let _ = writeln!(
        o,
        "\n  {:<14} {:>6} {:>13} {:>11} {:>8}",
        "cluster", "people", "items/person", "mean level", "flagged"
    );
    for (c, n, items, mean, flagged) in cluster_rows(p) {
        let _ = writeln!(
            o,
            "  {:<14} {:>6} {:>13.1} {:>11.2} {:>8}",
            c.id(),
            n,
            items,
            mean,
            flagged
        );
    }
    let _ = writeln!(o);
    if let Some(out) = &a.out {
        let _ = writeln!(o, "wrote {}", out.display());
    }
    if let (Some(path), Some(m)) = (&a.merge, merged) {
        let added = if m.added_columns.is_empty() {
            String::new()
        } else {
            format!("; added the columns {}", m.added_columns.join(", "))
        };
        let _ = writeln!(
            o,
            "merged into {}: {} rows updated{added}",
            path.display(),
            m.updated
        );
    }
    o
}

fn warnings(p: &Profiles, merged: Option<&merge::Merged>, min_items: usize) -> Vec<String> {
    let mut w = Vec::new();
    let flagged = p.flagged();
    if flagged > 0 {
        w.push(format!(
            "{flagged} of {} people have a cluster carried by fewer than {min_items} item(s) or by none (see the *_flag columns)",
            p.profiles.len()
        ));
    }
    if !p.ignored_items.is_empty() {
        w.push(format!(
            "left out {} item(s) not in the mapping: {}",
            p.ignored_items.len(),
            p.ignored_items.join(", ")
        ));
    }
    if let Some(m) = merged {
        if !m.not_assessed.is_empty() {
            w.push(format!(
                "{} people in the people file have no results and were left as they were: {}",
                m.not_assessed.len(),
                list(&m.not_assessed)
            ));
        }
        if !m.kept_cells.is_empty() {
            let cells: Vec<String> = m
                .kept_cells
                .iter()
                .map(|(p, c)| format!("{p}/{c}"))
                .collect();
            w.push(format!(
                "{} cluster cell(s) had no items and kept their old value: {}",
                cells.len(),
                list(&cells)
            ));
        }
    }
    w
}

fn list(v: &[String]) -> String {
    if v.len() <= 8 {
        v.join(", ")
    } else {
        format!("{}, … ({} more)", v[..8].join(", "), v.len() - 8)
    }
}
