//! `ploeg bank DIR --field FIELD`: the competency bank — who in the network
//! has the expertise, at what level, with how many free hours per week in a
//! window under the current plan, poolable or not, and where they are based.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use ploeg::bank::{self, Bank, Query, QueryError};
use ploeg::domain::Date;
use ploeg::profile::{self, num};
use ploeg::report::columns::aligned;

use super::profile::flag_error;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario folder.
    dir: PathBuf,
    /// The expertise field, e.g. stikstof, KRW, netcongestie, kostenverhaal (any case).
    #[arg(long)]
    field: String,
    /// Only people with at least this level.
    #[arg(long, value_parser = super::level)]
    min_level: Option<f64>,
    /// Only people who can serve this municipality (based there, or poolable with a pool link).
    #[arg(long)]
    municipality: Option<String>,
    /// First day of the window, YYYY-MM-DD (default: the first phase start).
    #[arg(long, value_parser = parse_date)]
    from: Option<Date>,
    /// Last day of the window, YYYY-MM-DD (default: the last phase end).
    #[arg(long, value_parser = parse_date)]
    until: Option<Date>,
    /// Only people who may be pooled.
    #[arg(long)]
    poolable: bool,
    /// The plan: a `ploeg solve` output folder or an assignments file (default: a heuristic solve).
    #[arg(long)]
    plan: Option<PathBuf>,
    /// Print JSON instead of the table.
    #[arg(long)]
    json: bool,
    /// Also write the list as CSV to this file.
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    privacy: super::PrivacyFlags,
}

fn parse_date(v: &str) -> Result<Date, String> {
    let d: Date = v
        .parse()
        .map_err(|()| format!("'{v}' is not a date; write YYYY-MM-DD"))?;
    if !(1900..=2200).contains(&d.year()) {
        return Err(format!("'{v}': dates must lie between 1900 and 2200"));
    }
    Ok(d)
}

pub fn run(a: Args) -> Result<ExitCode> {
    let s = super::load(&a.dir)?;
    if let Some(m) = &a.municipality {
        let known = s.people.iter().any(|p| &p.municipality == m)
            || s.projects.iter().any(|p| &p.municipality == m);
        if !known {
            return Err(flag_error(
                "--municipality",
                m,
                "no person or project is in this municipality".into(),
                "check the spelling against people.csv and projects.csv".into(),
            ));
        }
    }
    let q = Query {
        field: a.field.clone(),
        min_level: a.min_level,
        municipality: a.municipality.clone(),
        from: a.from,
        until: a.until,
        poolable_only: a.poolable,
    };
    // The field and window are checked before any solve.
    let checked = bank::search(&s, &ploeg::plan::Plan::default(), &q);
    if let Err(e) = checked {
        return Err(query_error(&a, e));
    }
    let (plan, source) = profile::current_plan(&s, a.plan.as_deref())?;
    // Pseudonyms only after the plan file's person ids are matched.
    let s = a.privacy.apply(s)?;
    let b = bank::search(&s, &plan, &q).map_err(|e| query_error(&a, e))?;
    if let Some(out) = &a.out {
        let csv = bank::to_csv(&b);
        let header = String::from_utf8_lossy(&csv)
            .lines()
            .next()
            .unwrap_or("")
            .to_string();
        ploeg::report::output::write_files(&[(
            out.as_path(),
            csv,
            Some(ploeg::report::output::Written::CsvHeader(&header)),
        )])?;
    }
    if a.json {
        let v = serde_json::json!({
            "plan": source.describe(),
            "min_level": a.min_level,
            "municipality": a.municipality,
            "poolable_only": a.poolable,
            "bank": b,
        });
        super::print(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
    } else {
        super::print(&table(&b, &source.describe(), &a))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn query_error(a: &Args, e: QueryError) -> anyhow::Error {
    match e {
        QueryError::UnknownField(near) => {
            let shown: Vec<&str> = near.iter().take(12).map(String::as_str).collect();
            flag_error(
                "--field",
                &a.field,
                "nobody in the network has expertise in this field".into(),
                if shown.is_empty() {
                    "expertise.csv records no expertise at all".into()
                } else {
                    format!(
                        "the fields in expertise.csv, closest first: {}",
                        shown.join(", ")
                    )
                },
            )
        }
        QueryError::EmptyWindow => flag_error(
            "--until",
            &a.until.map(|d| d.to_string()).unwrap_or_default(),
            "the window ends before it starts".into(),
            "--until must be on or after --from".into(),
        ),
        QueryError::NoWindow => flag_error(
            "--from",
            "",
            "the scenario has no phases to take a window from".into(),
            "give --from and --until".into(),
        ),
    }
}

fn table(b: &Bank, source: &str, a: &Args) -> String {
    let mut o = String::new();
    let mut filters = Vec::new();
    if let Some(l) = a.min_level {
        filters.push(format!("level ≥ {}", num(l)));
    }
    if let Some(m) = &a.municipality {
        filters.push(format!("can serve {m}"));
    }
    if a.poolable {
        filters.push("poolable".into());
    }
    let _ = writeln!(
        o,
        "{}{} — {} of {} people with this expertise{}",
        b.field,
        b.esco_uri
            .as_ref()
            .map(|u| format!(" ({u})"))
            .unwrap_or_default(),
        b.people.len(),
        b.with_field,
        if filters.is_empty() {
            String::new()
        } else {
            format!(" ({})", filters.join(", "))
        }
    );
    let _ = writeln!(
        o,
        "window {} – {} ({} to {}) · {source}\n",
        b.from, b.until, b.periods.0, b.periods.1
    );
    if b.people.is_empty() {
        let _ = writeln!(o, "  nobody matches");
        return o;
    }
    let rows: Vec<Vec<String>> = b
        .people
        .iter()
        .map(|e| {
            vec![
                e.person_id.clone(),
                e.name.clone(),
                e.home_municipality.clone(),
                num(e.level),
                num(e.free_hours_per_week),
                format!("{:.1}", e.free_hours_avg),
                num(e.hours_per_week),
                if e.poolable { "yes" } else { "no" }.into(),
                if e.available { "yes" } else { "no" }.into(),
                if e.projects.is_empty() {
                    "-".into()
                } else {
                    e.projects.join(" ")
                },
            ]
        })
        .collect();
    o.push_str(&aligned(
        &[
            "person",
            "name",
            "based in",
            "level",
            "free h/wk",
            "avg free",
            "h/wk",
            "poolable",
            "available",
            "projects in window",
        ],
        &rows,
        &[
            false, false, false, true, true, true, true, false, false, false,
        ],
    ));
    let _ = writeln!(
        o,
        "\nfree h/wk: free in every period of the window (the least); avg free: the mean over its periods; available: for the whole window"
    );
    if let Some(out) = &a.out {
        let _ = writeln!(o, "written to {}", out.display());
    }
    o
}
