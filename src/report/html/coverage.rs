//! Section "Team coverage": per project phase, the level each of the five
//! clusters needs against the best level in the team (teams.csv), gaps in
//! red; and per cluster, how many needs are covered.

use std::fmt::Write as _;

use super::data::{Covered, TeamNeed};
use super::escape::Esc;
use super::svg::{n, Svg};
use super::{Ctx, Part};
use crate::domain::Cluster;

/// With more phases than this, only phases with a gap are listed.
const ALL_PHASES_UP_TO: usize = 120;
/// Most phase rows listed.
const MAX_ROWS: usize = 150;

const OK: &str = "#2f7d4f";
const GAP: &str = "#c0392b";
const NONE: &str = "#b8bfca";

/// One phase team: its rows of teams.csv, by cluster.
struct Team<'a> {
    project: &'a str,
    phase: &'a str,
    members: u32,
    cells: [Option<&'a TeamNeed>; 5],
}

impl Team<'_> {
    fn gaps(&self) -> usize {
        self.cells
            .iter()
            .flatten()
            .filter(|c| c.covered == Covered::No)
            .count()
    }
}

/// A mini bar: track up to `max`, best level as a bar, need as a tick.
fn cell(t: Option<&TeamNeed>, max: f64, title: &str) -> String {
    let w = 100.0;
    let Some(t) = t else {
        return String::from("<td></td>");
    };
    let colour = match t.covered {
        Covered::Yes => OK,
        Covered::No => GAP,
        Covered::NoNeed => NONE,
    };
    let best = t.best.unwrap_or(0.0).max(0.0);
    let mut o = format!(
        "<td class=\"cell\" title=\"{}\"><svg viewBox=\"0 0 {w} 14\" width=\"{w}\" height=\"14\"><rect x=\"0\" y=\"3\" width=\"{w}\" height=\"8\" fill=\"#eef0f4\"/><rect x=\"0\" y=\"3\" width=\"{}\" height=\"8\" fill=\"{colour}\"/>",
        Esc(title),
        n(best / max * w)
    );
    if t.need > 0.0 {
        let x = n(t.need / max * w);
        let _ = write!(
            o,
            "<line x1=\"{x}\" y1=\"0\" x2=\"{x}\" y2=\"14\" stroke=\"#1d2430\" stroke-width=\"2\"/>"
        );
    }
    o.push_str("</svg></td>");
    o
}

pub fn render(ctx: &Ctx) -> Part {
    let l = ctx.lang;
    let title = l.t("Team coverage per phase", "Teamdekking per fase");
    let d = ctx.d;
    if d.teams.is_empty() {
        return Part {
            id: "coverage",
            title,
            body: Err("teams.csv has no rows".into()),
            detail: String::new(),
        };
    }
    let mut teams: Vec<Team> = Vec::new();
    for t in &d.teams {
        let same = teams
            .last()
            .is_some_and(|x| x.project == t.project_id && x.phase == t.phase);
        if !same {
            teams.push(Team {
                project: &t.project_id,
                phase: &t.phase,
                members: t.members,
                cells: [None; 5],
            });
        }
        if let Some(last) = teams.last_mut() {
            last.cells[t.cluster.index()] = Some(t);
        }
    }
    let max = d
        .teams
        .iter()
        .map(|t| t.need.max(t.best.unwrap_or(0.0)))
        .fold(10.0, f64::max);

    let mut o = String::new();
    let _ = write!(
        o,
        "<p>{}</p>",
        l.t(
            "Each phase team needs some of the five competency clusters at a level (the black tick). The bar is the best level among the team's members: green when someone reaches the need, red when nobody does.",
            "Elk fase-team heeft sommige van de vijf competentieclusters nodig op een niveau (het zwarte streepje). De balk is het hoogste niveau in het team: groen als iemand het nodig niveau haalt, rood als niemand dat doet.",
        )
    );

    // Per cluster: needs covered and gaps.
    let mut per = [(0usize, 0usize); 5];
    for t in &d.teams {
        match t.covered {
            Covered::Yes => per[t.cluster.index()].0 += 1,
            Covered::No => per[t.cluster.index()].1 += 1,
            Covered::NoNeed => {}
        }
    }
    let most = per.iter().map(|(a, b)| a + b).max().unwrap_or(0).max(1) as f64;
    let (label_w, bar_w, row_h) = (300.0, 520.0, 24.0);
    let mut svg = Svg::new(
        label_w + bar_w + 170.0,
        5.0 * row_h + 6.0,
        l.t(
            "Competency needs covered per cluster",
            "Gedekte competentiebehoeften per cluster",
        ),
    );
    for c in Cluster::ALL {
        let (yes, no) = per[c.index()];
        let y = c.index() as f64 * row_h + 4.0;
        svg.text(label_w - 8.0, y + 14.0, "end", "", l.cluster(c));
        let wy = yes as f64 / most * bar_w;
        let wn = no as f64 / most * bar_w;
        svg.rect(label_w, y + 3.0, wy, row_h - 8.0, OK, None);
        svg.rect(label_w + wy, y + 3.0, wn, row_h - 8.0, GAP, None);
        let text = match l {
            super::Lang::En => format!("{yes} of {} covered", yes + no),
            super::Lang::Nl => format!("{yes} van {} gedekt", yes + no),
        };
        svg.text(label_w + wy + wn + 6.0, y + 14.0, "start", "s", &text);
    }
    o.push_str(&svg.finish());
    let _ = write!(
        o,
        "<p class=\"legend\"><i style=\"background:{OK}\"></i>{}<i style=\"background:{GAP}\"></i>{}<i style=\"background:{NONE}\"></i>{}</p>",
        l.t("covered", "gedekt"),
        l.t("gap", "tekort"),
        l.t("not needed in this phase", "niet nodig in deze fase")
    );

    let total_gaps: usize = teams.iter().map(Team::gaps).sum();
    let with_gap = teams.iter().filter(|t| t.gaps() > 0).count();
    let only_gaps = teams.len() > ALL_PHASES_UP_TO;
    let mut shown: Vec<&Team> = teams
        .iter()
        .filter(|t| !only_gaps || t.gaps() > 0)
        .collect();
    let cut = shown.len().saturating_sub(MAX_ROWS);
    shown.truncate(MAX_ROWS);

    let _ = write!(o, "<h3>{}</h3>", l.t("Per phase team", "Per fase-team"));
    if only_gaps || cut > 0 {
        o.push_str("<p class=\"note\">");
        if only_gaps {
            let _ = write!(
                o,
                "{} ",
                match l {
                    super::Lang::En => format!(
                        "Of {} phase teams, the {with_gap} with a gap are listed.",
                        teams.len()
                    ),
                    super::Lang::Nl => format!(
                        "Van de {} fase-teams staan de {with_gap} met een tekort hier.",
                        teams.len()
                    ),
                }
            );
        }
        if cut > 0 {
            let _ = write!(
                o,
                "{}",
                match l {
                    super::Lang::En =>
                        format!("The first {MAX_ROWS} are shown; {cut} more are in teams.csv."),
                    super::Lang::Nl =>
                        format!("De eerste {MAX_ROWS} staan hier; nog {cut} staan in teams.csv."),
                }
            );
        }
        o.push_str("</p>");
    }
    let _ = write!(
        o,
        "<table><thead><tr><th>{}</th><th>{}</th><th class=\"n\">{}</th>",
        l.t("Project", "Project"),
        l.t("Phase", "Fase"),
        l.t("Team", "Team"),
    );
    for c in Cluster::ALL {
        let _ = write!(
            o,
            "<th title=\"{}\">{}</th>",
            Esc(l.cluster(c)),
            Esc(l.cluster_short(c))
        );
    }
    o.push_str("</tr></thead><tbody>");
    for t in shown {
        let _ = write!(
            o,
            "<tr{}><td>{}</td><td>{}</td><td class=\"n\">{}</td>",
            if t.gaps() > 0 { " class=\"gap\"" } else { "" },
            Esc(t.project),
            Esc(t.phase),
            t.members
        );
        for c in Cluster::ALL {
            let need = t.cells[c.index()];
            let title = match need {
                Some(x) => format!(
                    "{}: {} {} · {} {}",
                    l.cluster(c),
                    l.t("need", "nodig"),
                    if x.need > 0.0 {
                        l.short(x.need, 1)
                    } else {
                        "–".into()
                    },
                    l.t("best", "hoogste"),
                    x.best.map(|b| l.short(b, 1)).unwrap_or_else(|| "–".into())
                ),
                None => String::new(),
            };
            o.push_str(&cell(need, max, &title));
        }
        o.push_str("</tr>");
    }
    o.push_str("</tbody></table>");
    Part {
        id: "coverage",
        title,
        detail: format!(
            "{} phase teams, {total_gaps} gaps in {with_gap} teams",
            teams.len()
        ),
        body: Ok(o),
    }
}
