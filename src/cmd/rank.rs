//! `ploeg rank DIR --candidates CANDIDATES.csv --role ROLE --municipality
//! M`: candidates ranked by profile fit against a role profile and by
//! marginal value — each added as a new hire in M and the portfolio
//! re-planned — side by side, with the top differences in words.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{anyhow, Result};
use indicatif::{ProgressBar, ProgressStyle};
use ploeg::domain::Cluster;
use ploeg::input::{InputError, InputErrors};
use ploeg::pool::verdict::thousands;
use ploeg::profile::num;
use ploeg::recruit::{self, Baseline, Ranked, Ranking};
use ploeg::report::columns::aligned;

use super::profile::flag_error;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario folder (with role_profiles.csv).
    dir: PathBuf,
    /// Candidates: the columns of people.csv plus an optional expertise column (field:level|…).
    #[arg(long)]
    candidates: PathBuf,
    /// The role profile (a role of role_profiles.csv) to rank against.
    #[arg(long)]
    role: String,
    /// The municipality the candidate would be hired in (default for their municipality).
    #[arg(long)]
    municipality: String,
    /// Folder to write ranking.csv, placements.csv and rank.json into.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print JSON instead of the tables.
    #[arg(long)]
    json: bool,
    /// Value a candidate in any role line of the role profile's
    /// disciplines, not only in lines of the role itself.
    #[arg(long)]
    any_role: bool,
    /// Rows shown per ranking in the table.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    top: u32,
    #[command(flatten)]
    privacy: super::PrivacyFlags,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let s = super::load(&a.dir)?;
    if s.role_profiles.is_empty() {
        return Err(InputErrors::single(InputError::file(
            "role_profiles.csv",
            "the scenario has no role profiles",
            "add role_profiles.csv to the scenario folder (see docs/data-format.md)",
        ))
        .into());
    }
    let Some(role) = s.role_profile(&a.role).cloned() else {
        let roles: Vec<&str> = s.role_profiles.iter().map(|r| r.role.as_str()).collect();
        return Err(flag_error(
            "--role",
            &a.role,
            "no role profile with this name in role_profiles.csv".into(),
            format!("the role profiles are {}", roles.join(", ")),
        ));
    };
    let known = s.people.iter().any(|p| p.municipality == a.municipality)
        || s.projects.iter().any(|p| p.municipality == a.municipality);
    if !known {
        return Err(flag_error(
            "--municipality",
            &a.municipality,
            "no person or project is in this municipality".into(),
            "check the spelling against people.csv and projects.csv".into(),
        ));
    }
    let candidates = ploeg::input::candidates::load_candidates(&a.candidates, &s, &a.municipality)?;
    // Pseudonyms only after candidate ids are checked against the people's.
    let (s, candidates) = match a.privacy.pseudonymiser()? {
        Some(mut p) => {
            let ids: Vec<&str> = s
                .people
                .iter()
                .chain(&candidates)
                .map(|x| x.id.as_str())
                .collect();
            p.fit(&ids);
            let c: Vec<_> = candidates.iter().map(|c| p.person(c)).collect();
            (p.scenario(&s), c)
        }
        None => (s, candidates),
    };
    let start = Instant::now();
    let base = recruit::baseline(&s);
    let bar = if std::io::stderr().is_terminal() {
        let b = ProgressBar::new(candidates.len() as u64);
        if let Ok(style) =
            ProgressStyle::with_template("re-planning {bar:30} {pos}/{len} candidates ({eta} left)")
        {
            b.set_style(style);
        }
        b
    } else {
        ProgressBar::hidden()
    };
    let scope = recruit::Scope::of(&role, a.any_role);
    let ranking = recruit::rank(
        &s,
        &base,
        &role,
        &scope,
        &a.municipality,
        &candidates,
        &|| bar.inc(1),
    )
    .map_err(|e| anyhow!("internal error: {e}; please report this with the scenario"))?;
    bar.finish_and_clear();
    let seconds = start.elapsed().as_secs_f64();
    let explanations = recruit::explanations(&ranking);
    let json = to_json(&ranking, &base, &explanations, seconds);
    if let Some(out) = &a.out {
        let files = vec![
            ("ranking.csv", ranking_csv(&ranking)?),
            ("placements.csv", placements_csv(&ranking)?),
            ("rank.json", serde_json::to_vec_pretty(&json)?),
        ];
        ploeg::report::output::write_folder(out, &files, Some(&a.dir))?;
    }
    if a.json {
        super::print(&format!("{}\n", serde_json::to_string_pretty(&json)?))?;
    } else {
        let mut text = tables(&ranking, &base, a.top as usize, seconds);
        let _ = writeln!(text, "\nwhy:");
        for e in &explanations {
            let _ = writeln!(text, "  - {e}");
        }
        let late = ranking
            .candidates
            .iter()
            .filter(|c| !c.value.complete)
            .count();
        if late > 0 {
            let _ = writeln!(
                text,
                "\nnote: the time limit ([solver] time_limit) passed before {late} candidate(s) were re-planned; their value is that of the base plan with them added where they fit"
            );
        }
        if let Some(out) = &a.out {
            let _ = writeln!(
                text,
                "\nwritten to {}/: ranking.csv placements.csv rank.json",
                out.display()
            );
        }
        super::print(&text)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn to_json(
    r: &Ranking,
    base: &Baseline,
    explanations: &[String],
    seconds: f64,
) -> serde_json::Value {
    let c = &base.components;
    serde_json::json!({
        "candidates_not_replanned": r.candidates.iter().filter(|c| !c.value.complete).count(),
        "role": r.role,
        "placed_in": r.placed_in,
        "municipality": r.municipality,
        "candidates": r.candidates.len(),
        "seconds": (seconds * 1000.0).round() / 1000.0,
        "base": {
            "plan": "heuristic",
            "seconds": (base.seconds * 1000.0).round() / 1000.0,
            "unfilled_role_hours": c.time.unfilled_role_hours,
            "unfilled_required_role_hours": c.time.unfilled_required_role_hours,
            "blocked_phases": c.time.blocked_phases,
            "weighted_unfilled": c.weighted_unfilled,
            "needs_total": c.needs_total,
            "needs_covered": c.needs_covered,
        },
        "ranking": r.by_value(),
        "explanations": explanations,
    })
}

fn label(r: &Ranked) -> String {
    format!("{} {}", r.candidate_id, r.name)
}

fn tables(r: &Ranking, base: &Baseline, top: usize, seconds: f64) -> String {
    let mut o = String::new();
    let c = &base.components;
    let _ = writeln!(
        o,
        "{} candidates for {} as a new hire in {} · re-planned in {:.1} s · valued in {}",
        r.candidates.len(),
        r.role,
        r.municipality,
        seconds,
        r.placed_in
    );
    let _ = writeln!(
        o,
        "base plan (heuristic): {} role-hours open ({} of required roles), {} of {} cluster needs covered, {} of {} phases blocked\n",
        thousands(c.time.unfilled_role_hours),
        thousands(c.time.unfilled_required_role_hours),
        c.needs_covered,
        c.needs_total,
        c.time.blocked_phases,
        c.time.phases_total
    );
    let fit_rows: Vec<Vec<String>> = r
        .by_fit()
        .iter()
        .take(top)
        .map(|x| {
            vec![
                x.fit_rank.to_string(),
                label(x),
                if x.profile.fills { "yes" } else { "no" }.into(),
                format!("{:.1}", x.profile.total_gap),
            ]
        })
        .collect();
    let value_rows: Vec<Vec<String>> = r
        .by_value()
        .iter()
        .take(top)
        .map(|x| {
            let v = &x.value;
            vec![
                x.value_rank.to_string(),
                label(x),
                thousands(v.required_role_hours_filled),
                thousands(v.role_hours_filled),
                v.needs_closed.len().to_string(),
                v.unblocked.len().to_string(),
            ]
        })
        .collect();
    let left = aligned(
        &["#", "by profile fit", "fills", "gap"],
        &fit_rows,
        &[true, false, false, true],
    );
    let right = aligned(
        &[
            "#",
            "by marginal value",
            "req role-h",
            "all role-h",
            "needs",
            "unblocked",
        ],
        &value_rows,
        &[true, false, true, true, true, true],
    );
    let width = left.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    let (ll, rl): (Vec<&str>, Vec<&str>) = (left.lines().collect(), right.lines().collect());
    for i in 0..ll.len().max(rl.len()) {
        let l = ll.get(i).copied().unwrap_or("");
        let pad = width - l.chars().count();
        let _ = writeln!(
            o,
            "{l}{}   {}",
            " ".repeat(pad),
            rl.get(i)
                .map(|s| s.strip_prefix("  ").unwrap_or(s))
                .unwrap_or("")
        );
    }
    let _ = writeln!(
        o,
        "\ngap: total cluster gap to the role profile; fills: discipline and expertise met\nreq role-h / all role-h: open role-hours over the horizon the hire fills (required roles / all); needs: cluster needs of teams newly covered; unblocked: phases no longer blocked (a required slot open)"
    );
    o
}

fn ranking_csv(r: &Ranking) -> Result<Vec<u8>> {
    let mut w = ploeg::report::csv_out::writer();
    let mut header: Vec<String> = [
        "candidate_id",
        "name",
        "fit_rank",
        "value_rank",
        "fills",
        "discipline",
        "expertise_met",
        "expertise_asked",
        "expertise_shortfall",
        "total_gap",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(Cluster::ALL.iter().map(|c| format!("gap_{}", c.id())));
    header.extend(
        [
            "required_role_hours_filled",
            "role_hours_filled",
            "weighted_unfilled_drop",
            "needs_closed",
            "needs_closed_by_cluster",
            "needs_lost",
            "weighted_uncovered_drop",
            "unblocked_phases",
            "fit_gain",
            "hours_placed",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    w.write_record(&header)?;
    let b = |v: bool| if v { "true" } else { "false" }.to_string();
    for x in r.by_value() {
        let (p, v) = (&x.profile, &x.value);
        let mut rec = vec![
            x.candidate_id.clone(),
            x.name.clone(),
            x.fit_rank.to_string(),
            x.value_rank.to_string(),
            b(p.fills),
            b(p.discipline),
            p.expertise_met().to_string(),
            p.expertise.len().to_string(),
            num(p.expertise_shortfall),
            num(p.total_gap),
        ];
        rec.extend(p.clusters.iter().map(|g| num(g.gap)));
        rec.extend([
            num(v.required_role_hours_filled),
            num(v.role_hours_filled),
            num(v.weighted_unfilled_drop),
            v.needs_closed.len().to_string(),
            v.closed_by_cluster()
                .iter()
                .map(|(c, n)| format!("{c}:{n}"))
                .collect::<Vec<_>>()
                .join("|"),
            v.needs_lost.len().to_string(),
            num(v.weighted_uncovered_drop),
            v.unblocked.join("|"),
            format!("{:.3}", v.fit_gain + 0.0),
            num(v.hours_placed()),
        ]);
        w.write_record(&rec)?;
    }
    Ok(w.into_inner()?)
}

fn placements_csv(r: &Ranking) -> Result<Vec<u8>> {
    let mut w = ploeg::report::csv_out::writer();
    w.write_record([
        "candidate_id",
        "project_id",
        "phase",
        "role",
        "hours_per_week",
    ])?;
    for x in r.by_value() {
        for p in &x.value.placements {
            w.write_record([
                x.candidate_id.as_str(),
                p.project_id.as_str(),
                p.phase.as_str(),
                p.role.as_str(),
                &num(p.hours_per_week),
            ])?;
        }
    }
    Ok(w.into_inner()?)
}
