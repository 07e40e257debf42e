//! The report a director reads: one self-contained HTML page (inline CSS
//! and SVG, no script, nothing fetched from the network) made from the
//! output folder of `ploeg solve`, and from those of `ploeg pool` and
//! `ploeg resilience` when present. It prints to PDF with a section per page.
//!
//! One file per section; [`escape`] and [`svg`] are the only ways text
//! reaches the page, so every name from a file is escaped.

pub mod data;
pub mod escape;
pub mod lang;
pub mod svg;

mod capacity;
mod coverage;
mod demand;
mod page;
mod pooling;
mod resilience;
mod run;
mod summary;
mod unfilled;

use std::fmt::Write as _;
use std::path::Path;

pub use data::ReportData;
pub use lang::Lang;
pub use run::{scenario_checksums, shell_line, FileSum};

use crate::report::pseudonym::Pseudonymiser;

/// How to render.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub lang: Lang,
    /// Replace person names by keyed pseudonyms of the person id.
    pub pseudonyms: Option<Pseudonymiser>,
    /// The scenario folder and its files' checksums, for reproducing the run.
    pub scenario: Option<ScenarioFiles>,
}

#[derive(Clone, Debug)]
pub struct ScenarioFiles {
    /// The folder as the user gave it.
    pub dir: String,
    /// The files and their checksums, or why they could not be read.
    pub files: Result<Vec<FileSum>, String>,
}

impl ScenarioFiles {
    pub fn read(dir: &Path) -> ScenarioFiles {
        ScenarioFiles {
            dir: dir.display().to_string(),
            files: scenario_checksums(dir).map_err(|e| e.to_string()),
        }
    }
}

/// One section of the report: shown, or left out with the reason.
#[derive(Clone, Debug)]
pub struct SectionInfo {
    pub id: &'static str,
    pub title: &'static str,
    /// What it shows (when shown) or why it was left out.
    pub detail: String,
    pub shown: bool,
}

/// A rendered report.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub html: String,
    pub sections: Vec<SectionInfo>,
}

/// Person names as the report shows them: as they are, or pseudonyms.
#[derive(Clone, Debug)]
pub struct Names {
    pub pseudonyms: Option<Pseudonymiser>,
    pub lang: Lang,
}

impl Names {
    /// The name to show for a person; with pseudonyms, "Person 7F3A1C0D",
    /// a keyed code of the person id.
    pub fn person(&self, id: &str, name: &str) -> String {
        if let Some(p) = &self.pseudonyms {
            p.name(id, self.lang.t("Person", "Persoon"))
        } else if name.is_empty() {
            id.to_string()
        } else {
            name.to_string()
        }
    }

    /// The name with its id, for a tooltip; the pseudonym alone when pseudonymised.
    pub fn person_long(&self, id: &str, name: &str) -> String {
        if self.pseudonyms.is_some() {
            self.person(id, name)
        } else {
            format!("{} ({id})", self.person(id, name))
        }
    }
}

/// What every section reads.
pub(crate) struct Ctx<'a> {
    pub d: &'a ReportData,
    pub lang: Lang,
    pub names: Names,
    pub opts: &'a Options,
}

/// A section's output: its HTML, or `None` with the reason it is left out.
pub(crate) struct Part {
    pub id: &'static str,
    pub title: &'static str,
    pub body: Result<String, String>,
    /// What the section shows, in a few words for the terminal.
    pub detail: String,
}

/// Renders the whole report.
pub fn render(d: &ReportData, opts: &Options) -> Rendered {
    let lang = opts.lang;
    let ctx = Ctx {
        d,
        lang,
        names: Names {
            pseudonyms: opts.pseudonyms.clone(),
            lang,
        },
        opts,
    };
    let parts = [
        summary::render(&ctx),
        coverage::render(&ctx),
        capacity::render(&ctx),
        demand::render(&ctx),
        unfilled::render(&ctx),
        pooling::render(&ctx),
        resilience::render(&ctx),
        run::render(&ctx),
    ];
    let mut body = String::new();
    let mut sections = Vec::new();
    for p in parts {
        match p.body {
            Ok(html) => {
                let _ = write!(
                    body,
                    "<section id=\"{}\"><h2>{}</h2>\n{html}</section>\n",
                    p.id,
                    escape::escape(p.title)
                );
                sections.push(SectionInfo {
                    id: p.id,
                    title: p.title,
                    detail: p.detail,
                    shown: true,
                });
            }
            Err(why) => sections.push(SectionInfo {
                id: p.id,
                title: p.title,
                detail: why,
                shown: false,
            }),
        }
    }
    let html = page::document(&ctx, &sections, &body);
    Rendered { html, sections }
}

#[cfg(test)]
pub(crate) mod fixture {
    //! A small report data set built in code, for the section tests.
    use super::data::*;
    use crate::domain::Cluster;

    pub fn data() -> ReportData {
        let mut d = ReportData {
            summary: RunSummary {
                ploeg_version: "0.1.0".into(),
                scenario: "Proef <Oss>".into(),
                status: "time_limit".into(),
                backend: "microlp".into(),
                gap: Some(0.25),
                bound: Some(6.0),
                weighted_unfilled: 8.0,
                slots_total: 4,
                slots_filled: 2,
                unfilled_role_hours: 512.0,
                unfilled_required_role_hours: 416.0,
                unfilled_fte_years: 0.4,
                peak_open_hours_per_week: 16.0,
                peak_open_period: Some("2026-03".into()),
                mean_open_hours_per_week: 12.0,
                blocked_phases: 1,
                blocked_project_months: 6,
                phases_total: 2,
                planning_period: "month".into(),
                balance: 0.5,
                needs_total: 2,
                needs_covered: 1,
                people: 2,
                projects: 2,
                ..Default::default()
            },
            ..Default::default()
        };
        d.assignments = vec![
            Assignment {
                project_id: "j1".into(),
                phase: "plan".into(),
                role: "projectleider".into(),
                person_id: "p1".into(),
                name: "<script>alert(1)</script>".into(),
                home_municipality: "Oss".into(),
                project_municipality: "Oss".into(),
                pooled: false,
                hours: 16.0,
            },
            Assignment {
                project_id: "j2".into(),
                phase: "bouw".into(),
                role: "planeconoom".into(),
                person_id: "p2".into(),
                name: "Anna de Wit".into(),
                home_municipality: "Breda".into(),
                project_municipality: "Oss".into(),
                pooled: true,
                hours: 8.0,
            },
        ];
        d.unfilled = vec![
            Unfilled {
                project_id: "j1".into(),
                phase: "plan".into(),
                role: "jurist".into(),
                hours: 16.0,
                role_hours: 416.0,
                required: true,
                priority: 2.0,
                reason: "no eligible person: of 1 jurist(s), 1 lack stikstof ≥ 3".into(),
            },
            Unfilled {
                project_id: "j2".into(),
                phase: "bouw".into(),
                role: "adviseur".into(),
                hours: 8.0,
                role_hours: 96.0,
                required: false,
                priority: 1.0,
                reason: "capacity used up: 1 of 1 eligible person(s) have no hours left in this phase (booked on j1)".into(),
            },
        ];
        for (pj, ph, c, need, best) in [
            ("j1", "plan", Cluster::Chaos, 6.0, Some(7.0)),
            ("j1", "plan", Cluster::Omgeving, 0.0, Some(4.0)),
            ("j2", "bouw", Cluster::Verbinden, 8.0, Some(5.0)),
        ] {
            d.teams.push(TeamNeed {
                project_id: pj.into(),
                phase: ph.into(),
                cluster: c,
                need,
                best,
                covered: if need == 0.0 {
                    Covered::NoNeed
                } else if best.unwrap_or(0.0) >= need {
                    Covered::Yes
                } else {
                    Covered::No
                },
                members: 1,
            });
        }
        for (id, name, u) in [
            ("p1", "<script>alert(1)</script>", [0.5, 1.0]),
            ("p2", "Anna de Wit", [0.0, 0.25]),
        ] {
            for (t, u) in ["2026-01", "2026-02"].iter().zip(u) {
                d.load.push(Load {
                    person_id: id.into(),
                    name: name.into(),
                    period: t.to_string(),
                    assigned: 32.0 * u,
                    capacity: 32.0,
                    utilisation: u,
                    projects: "j1".into(),
                });
            }
        }
        let mut demand = Vec::new();
        for (t, jurist, adviseur) in [
            ("2026-01", [16.0, 0.0, 32.0], [8.0, 8.0, 32.0]),
            ("2026-02", [16.0, 0.0, 32.0], [8.0, 0.0, 32.0]),
        ] {
            for (discipline, [demand_h, assigned, supply]) in
                [("jurist", jurist), ("adviseur", adviseur)]
            {
                demand.push(Demand {
                    period: t.into(),
                    discipline: discipline.into(),
                    demand: demand_h,
                    assigned,
                    open: demand_h - assigned,
                    supply,
                    people: 1.0,
                });
            }
        }
        d.demand = Some(demand);
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_has_no_script_and_escapes_every_name() {
        let r = render(&fixture::data(), &Options::default());
        assert!(!r.html.to_lowercase().contains("<script"), "a script tag");
        assert!(r.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(r.html.contains("Proef &lt;Oss&gt;"));
        // Nothing is fetched: no src, no stylesheet link, no external href.
        assert!(!r.html.contains(" src="));
        assert!(!r.html.contains("<link"));
        assert!(!r.html.contains("href=\"http"));
        for id in [
            "summary", "coverage", "capacity", "demand", "unfilled", "run",
        ] {
            assert!(
                r.html.contains(&format!("<section id=\"{id}\">")),
                "section {id}"
            );
        }
        let skipped: Vec<&str> = r
            .sections
            .iter()
            .filter(|s| !s.shown)
            .map(|s| s.id)
            .collect();
        assert_eq!(skipped, ["pooling", "resilience"]);
    }

    #[test]
    fn demand_follows_the_people_heatmap_before_the_open_slots() {
        let r = render(&fixture::data(), &Options::default());
        let ids: Vec<&str> = r.sections.iter().map(|s| s.id).collect();
        assert_eq!(
            ids,
            [
                "summary",
                "coverage",
                "capacity",
                "demand",
                "unfilled",
                "pooling",
                "resilience",
                "run"
            ]
        );
        let at = |id: &str| r.html.find(&format!("<section id=\"{id}\">")).unwrap();
        assert!(at("capacity") < at("demand") && at("demand") < at("unfilled"));
    }

    #[test]
    fn pseudonymised_reports_hold_no_name() {
        let key = Pseudonymiser::with_key([7; 32]);
        let opts = Options {
            pseudonyms: Some(key.clone()),
            ..Default::default()
        };
        let r = render(&fixture::data(), &opts);
        assert!(!r.html.contains("Anna"), "a real name slipped through");
        assert!(!r.html.contains("alert(1)"));
        assert!(r.html.contains(&key.name("p2", "Person")));
    }

    #[test]
    fn the_same_data_gives_the_same_bytes() {
        let d = fixture::data();
        let a = render(&d, &Options::default()).html;
        let b = render(&d, &Options::default()).html;
        assert_eq!(a, b);
    }

    #[test]
    fn dutch_labels_with_dutch() {
        let opts = Options {
            lang: Lang::Nl,
            ..Default::default()
        };
        let html = render(&fixture::data(), &opts).html;
        assert!(html.contains("<html lang=\"nl\">"));
        assert!(html.contains("Disciplines en organisaties verbinden"));
        assert!(html.contains("Niet ingevulde behoefte") || html.contains("Open plekken"));
    }
}
