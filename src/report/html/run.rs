//! Section "The run": the model's status, every objective stage with bound
//! and gap, the objective components (summary.json), and how to reproduce
//! the run: command line, ploeg version and SHA-256 of the scenario files.

use std::fmt::Write as _;
use std::path::Path;

use super::data::RunSummary;
use super::escape::Esc;
use super::{Ctx, Lang, Part};

/// A scenario file and its checksum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSum {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

/// Checksums of the regular files directly in `dir` (hidden files left
/// out), by name.
pub fn scenario_checksums(dir: &Path) -> std::io::Result<Vec<FileSum>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') || !entry.file_type()?.is_file() {
            continue;
        }
        let data = std::fs::read(entry.path())?;
        out.push(FileSum {
            name,
            bytes: data.len() as u64,
            sha256: crate::report::pseudonym::sha256_hex(&data),
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The objective components and the open work over time, as label and value.
fn components(l: Lang, s: &RunSummary) -> Vec<(&'static str, String)> {
    let periods = match s.planning_period.as_str() {
        "week" => l.t("blocked project-weeks", "geblokkeerde projectweken"),
        "quarter" => l.t("blocked project-quarters", "geblokkeerde projectkwartalen"),
        _ => l.t("blocked project-months", "geblokkeerde projectmaanden"),
    };
    let peak = match &s.peak_open_period {
        Some(p) => format!("{} ({p})", l.num(s.peak_open_hours_per_week, 0)),
        None => l.num(s.peak_open_hours_per_week, 0),
    };
    vec![
        (
            l.t("required role-hours open", "verplichte rol-uren open"),
            l.num(s.unfilled_required_role_hours, 0),
        ),
        (
            l.t("role-hours open (all roles)", "rol-uren open (alle rollen)"),
            l.num(s.unfilled_role_hours, 0),
        ),
        (
            l.t("FTE-years open (all roles)", "fte-jaren open (alle rollen)"),
            l.num(s.unfilled_fte_years, 2),
        ),
        (
            l.t(
                "peak open hours a week (period)",
                "meeste open uren per week (periode)",
            ),
            peak,
        ),
        (
            l.t("mean open hours a week", "gemiddeld open uren per week"),
            l.num(s.mean_open_hours_per_week, 1),
        ),
        (
            l.t("phases blocked", "fasen geblokkeerd"),
            format!("{} / {}", s.blocked_phases, s.phases_total),
        ),
        (periods, s.blocked_project_months.to_string()),
        (
            l.t("weighted unfilled (objective 1)", "gewogen open (doel 1)"),
            l.num(s.weighted_unfilled, 1),
        ),
        (
            l.t("slots filled", "plekken ingevuld"),
            format!("{} / {}", s.slots_filled, s.slots_total),
        ),
        (
            l.t("balance", "balans"),
            format!(
                "{} ({} / {})",
                l.num(s.balance, 3),
                s.needs_covered,
                s.needs_total
            ),
        ),
        (
            l.t(
                "weighted uncovered (objective 2)",
                "gewogen ongedekt (doel 2)",
            ),
            l.num(s.weighted_uncovered, 2),
        ),
        (
            l.t("stacked talent", "gestapeld talent"),
            s.stacked.to_string(),
        ),
        (l.t("fit (objective 3)", "fit (doel 3)"), l.num(s.fit, 2)),
        (
            l.t("preference total", "voorkeuren totaal"),
            l.num(s.preference_total, 2),
        ),
        (
            l.t("pooled placements", "gepoolde plaatsingen"),
            s.pooled_placements.to_string(),
        ),
        (l.t("continuity", "continuïteit"), s.continuity.to_string()),
    ]
}

/// A command line as one string a POSIX shell reads back the same way.
pub fn shell_line<S: AsRef<str>>(words: &[S]) -> String {
    words
        .iter()
        .map(|w| shell_word(w.as_ref()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Quotes a word for a POSIX shell when it needs it.
fn shell_word(w: &str) -> String {
    if !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c))
    {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

pub fn render(ctx: &Ctx) -> Part {
    let l = ctx.lang;
    let title = l.t(
        "The run and how to reproduce it",
        "De run en hoe je die herhaalt",
    );
    let s = &ctx.d.summary;
    let mut o = String::new();

    let _ = write!(
        o,
        "<p>{} <strong>{}</strong> · {} <strong>{}</strong> · {} {} s</p>",
        l.t("Status", "Status"),
        Esc(&s.status),
        l.t("backend", "backend"),
        Esc(&s.backend),
        l.t("time", "tijd"),
        l.short(s.seconds, 2),
    );
    if !s.stages.is_empty() {
        let _ = write!(
            o,
            "<table class=\"keep\"><thead><tr><th>#</th><th>{}</th><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">gap</th><th>{}</th></tr></thead><tbody>",
            l.t("Objective", "Doel"),
            l.t("Sense", "Richting"),
            l.t("Value", "Waarde"),
            l.t("Bound", "Grens"),
            l.t("Status", "Status"),
        );
        for (i, st) in s.stages.iter().enumerate() {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                i + 1,
                Esc(&st.stage),
                Esc(&st.sense),
                l.num(st.objective, 2),
                st.bound.map(|b| l.num(b, 2)).unwrap_or_else(|| "–".into()),
                st.gap.map(|g| format!("{}%", l.num(g * 100.0, 2))).unwrap_or_else(|| "–".into()),
                Esc(&st.status),
            );
        }
        o.push_str("</tbody></table>");
    }

    let _ = write!(
        o,
        "<h3>{}</h3><table class=\"keep kv\"><tbody>",
        l.t("Objective components", "Onderdelen van het doel")
    );
    let rows = components(l, s);
    for (k, v) in rows {
        let _ = write!(
            o,
            "<tr><th>{}</th><td class=\"n\">{}</td></tr>",
            Esc(k),
            Esc(&v)
        );
    }
    o.push_str("</tbody></table>");
    for note in &s.notes {
        let _ = write!(o, "<p class=\"note\">{}</p>", Esc(note));
    }

    // Reproduce.
    let scenario_dir = ctx
        .opts
        .scenario
        .as_ref()
        .map(|f| f.dir.clone())
        .or_else(|| s.scenario_dir.clone());
    let command = match &s.command {
        Some(c) => c.clone(),
        None => {
            let mut words = vec![
                "ploeg".to_string(),
                "solve".into(),
                shell_word(scenario_dir.as_deref().unwrap_or("SCENARIO")),
                "--out".into(),
                "OUT".into(),
            ];
            if s.backend == "heuristic" {
                words.push("--heuristic-only".into());
            }
            words.join(" ")
        }
    };
    let _ = write!(
        o,
        "<h3>{}</h3><p>{}</p><pre>{}</pre><p>ploeg {}</p>",
        l.t("Reproduce", "Herhalen"),
        if s.command.is_some() {
            l.t(
                "The command that made this plan:",
                "Het commando waarmee dit plan is gemaakt:",
            )
        } else {
            l.t(
                "The run did not record its command line; this makes the same kind of plan:",
                "De run heeft de opdrachtregel niet vastgelegd; dit maakt hetzelfde soort plan:",
            )
        },
        Esc(&command),
        Esc(&s.ploeg_version),
    );
    let mut files = 0;
    match &ctx.opts.scenario {
        Some(sf) => match &sf.files {
            Ok(list) => {
                files = list.len();
                let _ = write!(
                    o,
                    "<p>{} <code>{}</code>:</p><table><thead><tr><th>{}</th><th class=\"n\">{}</th><th>SHA-256</th></tr></thead><tbody>",
                    l.t("Scenario files in", "Scenariobestanden in"),
                    Esc(&sf.dir),
                    l.t("File", "Bestand"),
                    l.t("Bytes", "Bytes"),
                );
                for f in list {
                    let _ = write!(
                        o,
                        "<tr><td>{}</td><td class=\"n\">{}</td><td><code>{}</code></td></tr>",
                        Esc(&f.name),
                        l.num(f.bytes as f64, 0),
                        Esc(&f.sha256)
                    );
                }
                o.push_str("</tbody></table>");
            }
            Err(e) => {
                let _ = write!(
                    o,
                    "<p class=\"note\">{} {}: {}</p>",
                    l.t(
                        "The scenario files could not be read in",
                        "De scenariobestanden konden niet gelezen worden in"
                    ),
                    Esc(&sf.dir),
                    Esc(e)
                );
            }
        },
        None => {
            let _ = write!(
                o,
                "<p class=\"note\">{}</p>",
                l.t(
                    "No checksums: the scenario folder is not known (give it with --scenario DIR).",
                    "Geen controlegetallen: de scenariomap is niet bekend (geef die met --scenario DIR).",
                )
            );
        }
    }
    Part {
        id: "run",
        title,
        detail: format!(
            "status {}, {} stages, {files} files checksummed",
            s.status,
            s.stages.len()
        ),
        body: Ok(o),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{fixture, render as page, Options, ScenarioFiles};
    use super::*;

    #[test]
    fn shell_words_are_quoted_when_needed() {
        assert_eq!(shell_word("data/demo"), "data/demo");
        assert_eq!(shell_word("my data"), "'my data'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
    }

    #[test]
    fn checksums_of_the_scenario_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.csv"), "abc").unwrap();
        std::fs::write(dir.path().join("a.csv"), "").unwrap();
        std::fs::write(dir.path().join(".hidden"), "x").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let sums = scenario_checksums(dir.path()).unwrap();
        let names: Vec<&str> = sums.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a.csv", "b.csv"]);
        assert_eq!(
            sums[1].sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );

        let opts = Options {
            scenario: Some(ScenarioFiles::read(dir.path())),
            ..Default::default()
        };
        let html = page(&fixture::data(), &opts).html;
        assert!(html.contains("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    #[test]
    fn open_work_over_time_and_no_stalled_projects() {
        let mut d = fixture::data();
        let html = page(&d, &Options::default()).html;
        let start = html.find("<section id=\"run\">").unwrap();
        let s = &html[start..];
        assert!(s.contains("<th>required role-hours open</th><td class=\"n\">416</td>"));
        assert!(s.contains("<th>role-hours open (all roles)</th><td class=\"n\">512</td>"));
        assert!(
            s.contains("<th>peak open hours a week (period)</th><td class=\"n\">16 (2026-03)</td>")
        );
        assert!(s.contains("<th>blocked project-months</th><td class=\"n\">6</td>"));
        assert!(!s.contains("stalled"));
        d.summary.planning_period = "quarter".into();
        let opts = Options {
            lang: crate::report::html::Lang::Nl,
            ..Default::default()
        };
        let html = page(&d, &opts).html;
        assert!(html.contains("<th>geblokkeerde projectkwartalen</th><td class=\"n\">6</td>"));
        assert!(!html.contains("stilstaande"));
    }

    #[test]
    fn the_recorded_command_or_a_reconstructed_one() {
        let mut d = fixture::data();
        let html = page(&d, &Options::default()).html;
        assert!(
            html.contains("<pre>ploeg solve SCENARIO --out OUT</pre>"),
            "{html}"
        );
        d.summary.command = Some("ploeg solve 'my <data>' --out out".into());
        let html = page(&d, &Options::default()).html;
        assert!(html.contains("<pre>ploeg solve &#39;my &lt;data&gt;&#39; --out out</pre>"));
    }
}
