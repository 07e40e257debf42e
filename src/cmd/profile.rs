//! `ploeg profile DIR --person ID` and `ploeg profile DIR --team
//! PROJECT:PHASE`: a person against every role profile of
//! role_profiles.csv, or a phase team (under the current plan) against the
//! phase's cluster needs, as an aligned table or JSON.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use ploeg::domain::{Cluster, Scenario};
use ploeg::input::{InputError, InputErrors};
use ploeg::profile::{self, num, RoleFit, TeamCoverage};
use ploeg::report::columns::aligned;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["person", "team"])))]
pub struct Args {
    /// The scenario folder (with role_profiles.csv for --person).
    dir: PathBuf,
    /// A person id of people.csv: their profile against each role profile.
    #[arg(long)]
    person: Option<String>,
    /// A phase as PROJECT:PHASE (e.g. "j01:besluitvorming Oever"): its team against its needs.
    #[arg(long)]
    team: Option<String>,
    /// The plan: a `ploeg solve` output folder or an assignments file (default: a heuristic solve).
    #[arg(long)]
    plan: Option<PathBuf>,
    /// Print JSON instead of the table.
    #[arg(long)]
    json: bool,
}

/// A problem with a flag's value, reported like an input problem (exit 2).
pub fn flag_error(flag: &str, value: &str, message: String, hint: String) -> anyhow::Error {
    let mut e = InputError::file(flag, message, hint);
    e.value = Some(value.to_string());
    e.field = Some(flag.trim_start_matches('-').to_string());
    InputErrors::single(e).into()
}

pub fn run(a: Args) -> Result<ExitCode> {
    let s = super::load(&a.dir)?;
    if let Some(id) = &a.person {
        person(&s, id, a.json)?;
    } else if let Some(spec) = &a.team {
        let phase = profile::find_phase(&s, spec).map_err(|m| {
            flag_error(
                "--team",
                spec,
                m,
                "quote the phase when it has spaces: --team \"j01:besluitvorming Oever\"".into(),
            )
        })?;
        let (plan, source) = profile::current_plan(&s, a.plan.as_deref())?;
        let t = profile::team(&s, &plan, phase);
        if a.json {
            let v = serde_json::json!({ "plan": source.describe(), "team": t });
            super::print(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
        } else {
            super::print(&team_table(&t, &source.describe()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn person(s: &Scenario, id: &str, json: bool) -> Result<()> {
    let Some(p) = s.people.iter().find(|p| p.id == id) else {
        let near: Vec<&str> = s
            .people
            .iter()
            .filter(|p| {
                p.id.eq_ignore_ascii_case(id) || p.name.to_lowercase().contains(&id.to_lowercase())
            })
            .map(|p| p.id.as_str())
            .take(5)
            .collect();
        let hint = if near.is_empty() {
            "use an id from people.csv".to_string()
        } else {
            format!("did you mean {}?", near.join(", "))
        };
        return Err(flag_error(
            "--person",
            id,
            "no person with this id in people.csv".into(),
            hint,
        ));
    };
    if s.role_profiles.is_empty() {
        return Err(InputErrors::single(InputError::file(
            "role_profiles.csv",
            "the scenario has no role profiles",
            "add role_profiles.csv to the scenario folder (see docs/data-format.md)",
        ))
        .into());
    }
    let fits = profile::person_against_roles(s, p);
    let index = s
        .people
        .iter()
        .position(|x| x.id == p.id)
        .expect("found above");
    let lines: Vec<profile::LinesFit> = fits
        .iter()
        .map(|f| profile::lines_fit(s, index, &f.role))
        .collect();
    if json {
        let roles: Vec<serde_json::Value> = fits
            .iter()
            .zip(&lines)
            .map(|(f, l)| {
                let mut v = serde_json::to_value(f).expect("plain data");
                v["role_lines"] = serde_json::to_value(l).expect("plain data");
                v
            })
            .collect();
        let v = serde_json::json!({
            "person_id": p.id,
            "name": p.name,
            "municipality": p.municipality,
            "disciplines": p.disciplines,
            "scores": Cluster::ALL.iter().map(|c| (c.id(), p.scores[c.index()])).collect::<std::collections::BTreeMap<_, _>>(),
            "expertise": p.expertise,
            "roles": roles,
        });
        super::print(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
        return Ok(());
    }
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} {} · {} ({}) · {} · {} h/week",
        p.id,
        p.name,
        p.municipality,
        p.organisation,
        p.disciplines.join("|"),
        num(p.hours_per_week)
    );
    let scores: Vec<String> = Cluster::ALL
        .iter()
        .map(|c| format!("{} {}", c.id(), num(p.scores[c.index()])))
        .collect();
    let _ = writeln!(o, "scores: {}", scores.join(", "));
    let exp: Vec<String> = p
        .expertise
        .iter()
        .map(|(f, l)| format!("{f} {}", num(*l)))
        .collect();
    let _ = writeln!(
        o,
        "expertise: {}",
        if exp.is_empty() {
            "none recorded".to_string()
        } else {
            exp.join(", ")
        }
    );
    let fillable = fits.iter().filter(|f| f.fills).count();
    let _ = writeln!(
        o,
        "\nagainst {} role profiles ({} the person can fill); per cluster the gap need − score, ok when met, - without need:\n",
        fits.len(),
        fillable
    );
    o.push_str(&roles_table(&fits, &lines));
    let _ = writeln!(
        o,
        "\nfills: the role profile's discipline and expertise met; lines: the role lines of this role in the scenario that the model lets them take (the test every plan uses), of all"
    );
    for (f, l) in fits.iter().zip(&lines) {
        if let (false, Some(first)) = (f.fills, &l.first_eligible) {
            let _ = writeln!(
                o,
                "  {}: short of the profile, but a plan may place them, e.g. in {first} / {}",
                f.role, f.role
            );
        }
    }
    super::print(&o)
}

fn roles_table(fits: &[RoleFit], lines: &[profile::LinesFit]) -> String {
    let mut headers = vec!["role", "fills", "lines", "discipline", "expertise"];
    headers.extend(Cluster::ALL.iter().map(|c| c.id()));
    headers.push("total gap");
    let rows: Vec<Vec<String>> = fits
        .iter()
        .zip(lines)
        .map(|(f, l)| {
            let mut r = vec![
                f.role.clone(),
                yes(f.fills),
                format!("{}/{}", l.eligible, l.lines),
                yes(f.discipline),
                f.expertise_cell(),
            ];
            r.extend(f.clusters.iter().map(|g| g.cell()));
            r.push(format!("{:.1}", f.total_gap));
            r
        })
        .collect();
    let mut right = vec![false, false, true, false, false];
    right.extend([true; 6]);
    aligned(&headers, &rows, &right)
}

fn yes(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

pub fn team_table(t: &TeamCoverage, source: &str) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} {} / {} · {} – {} · {}",
        t.project_id, t.project, t.phase, t.start, t.end, source
    );
    let _ = writeln!(o, "\n{} member(s):\n", t.members.len());
    let mut headers = vec!["person", "name", "role", "municipality"];
    headers.extend(Cluster::ALL.iter().map(|c| c.id()));
    let rows: Vec<Vec<String>> = t
        .members
        .iter()
        .map(|m| {
            let mut r = vec![
                m.person_id.clone(),
                m.name.clone(),
                m.role.clone(),
                m.municipality.clone(),
            ];
            r.extend(m.scores.iter().map(|v| num(*v)));
            r
        })
        .collect();
    let mut right = vec![false; 4];
    right.extend([true; 5]);
    if !rows.is_empty() {
        o.push_str(&aligned(&headers, &rows, &right));
    }
    let _ = writeln!(
        o,
        "\ncovered level (best member) against the phase's needs:\n"
    );
    let rows: Vec<Vec<String>> = t
        .clusters
        .iter()
        .zip(&t.best)
        .map(|(g, best)| {
            vec![
                g.cluster.to_string(),
                if g.need > 0.0 {
                    num(g.need)
                } else {
                    "-".into()
                },
                g.level.map(num).unwrap_or_else(|| "-".into()),
                best.join(" "),
                g.cell(),
            ]
        })
        .collect();
    o.push_str(&aligned(
        &["cluster", "need", "covered", "by", "gap"],
        &rows,
        &[false, true, true, false, true],
    ));
    let short: Vec<String> = t
        .clusters
        .iter()
        .filter(|g| g.gap > 1e-9)
        .map(|g| format!("{} short by {:.1}", g.cluster, g.gap))
        .collect();
    let _ = writeln!(
        o,
        "\n{} of {} cluster needs covered{}",
        t.needs_covered,
        t.needs,
        if short.is_empty() {
            String::new()
        } else {
            format!("; {}", short.join(", "))
        }
    );
    o
}
