//! Section "The plan in brief": one paragraph in plain words, the headline
//! figures, and per project the role-hours left open over the planning
//! horizon and the phases they block.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::data::RunSummary;
use super::escape::Esc;
use super::lang::Lang;
use super::svg::{clip, Svg};
use super::{Ctx, Part};

/// Projects shown in the chart; the rest are summed in a note.
const MAX_PROJECTS: usize = 30;

/// A project's open work, in role-hours over the horizon.
#[derive(Default)]
struct ProjectOpen<'a> {
    municipality: String,
    required: f64,
    optional: f64,
    filled: usize,
    /// Phases with a required slot open.
    blocked: BTreeSet<&'a str>,
}

/// The status of the run in one sentence.
pub fn status_sentence(l: Lang, status: &str, backend: &str, gap: Option<f64>) -> String {
    if status == "optimal" {
        return l
            .t(
                "The solver proved this plan optimal on every objective.",
                "De solver heeft bewezen dat dit plan op elk doel optimaal is.",
            )
            .to_string();
    }
    if backend == "heuristic" {
        return l
            .t(
                "It comes from the fast heuristic only: a good plan, with no proof of how close it is to the best possible.",
                "Het komt alleen uit de snelle heuristiek: een goed plan, zonder bewijs hoe dicht het bij het best mogelijke ligt.",
            )
            .to_string();
    }
    match gap {
        Some(g) => format!(
            "{} {} {}",
            l.t(
                "The solver stopped at its time limit; on the first objective the plan is at most",
                "De solver stopte bij de tijdslimiet; op het eerste doel zit het plan er hooguit",
            ),
            l.pct(g),
            l.t(
                "from the best possible.",
                "naast ten opzichte van het best mogelijke.",
            )
        ),
        None => l
            .t(
                "This is the best plan found within the time limit; how far it is from the best possible is not known.",
                "Dit is het beste plan dat binnen de tijdslimiet is gevonden; hoe ver het van het best mogelijke af zit, is niet bekend.",
            )
            .to_string(),
    }
}

/// The required role-hours open in FTE-years. summary.json gives the
/// FTE-years of all open role-hours; the same factor converts the required.
fn required_fte_years(s: &RunSummary) -> f64 {
    if s.unfilled_role_hours > 0.0 {
        s.unfilled_fte_years * s.unfilled_required_role_hours / s.unfilled_role_hours
    } else {
        s.unfilled_fte_years
    }
}

pub fn render(ctx: &Ctx) -> Part {
    let l = ctx.lang;
    let s = &ctx.d.summary;
    let title = l.t("The plan in brief", "Het plan in het kort");
    let share = |a: u64, b: u64| if b == 0 { 1.0 } else { a as f64 / b as f64 };

    let mut projects: BTreeMap<&str, ProjectOpen> = BTreeMap::new();
    for a in &ctx.d.assignments {
        let p = projects.entry(&a.project_id).or_default();
        p.municipality = a.project_municipality.clone();
        p.filled += 1;
    }
    for u in &ctx.d.unfilled {
        let p = projects.entry(&u.project_id).or_default();
        if u.required {
            p.required += u.role_hours;
            p.blocked.insert(&u.phase);
        } else {
            p.optional += u.role_hours;
        }
    }
    for t in &ctx.d.teams {
        projects.entry(&t.project_id).or_default();
    }
    let mut o = String::new();
    let filled = format!(
        "{} {} {} {} ({})",
        l.num(s.slots_filled as f64, 0),
        l.t("of", "van de"),
        l.num(s.slots_total as f64, 0),
        l.t("role slots", "rolplekken"),
        l.pct(share(s.slots_filled, s.slots_total))
    );
    let peak = s.peak_open_period.as_deref().unwrap_or("-");
    let fte_years = required_fte_years(s);
    let blocked = if s.blocked_phases == 0 {
        l.t(
            "No phase is blocked: every required role is filled.",
            "Geen fase is geblokkeerd: elke verplichte rol is ingevuld.",
        )
        .to_string()
    } else {
        match l {
            Lang::En => format!(
                "{} required role-hours stay open over the planning horizon ({} FTE-years), most in {peak} with {} hours a week open; {} of {} phases are blocked: each has a required role that nobody fills.",
                l.num(s.unfilled_required_role_hours, 0),
                l.num(fte_years, 1),
                l.num(s.peak_open_hours_per_week, 0),
                s.blocked_phases,
                s.phases_total
            ),
            Lang::Nl => format!(
                "{} verplichte rol-uren blijven open over de looptijd ({} fte-jaren), de meeste in {peak} met {} uur per week open; {} van de {} fasen zijn geblokkeerd: elk heeft een verplichte rol die niemand invult.",
                l.num(s.unfilled_required_role_hours, 0),
                l.num(fte_years, 1),
                l.num(s.peak_open_hours_per_week, 0),
                s.blocked_phases,
                s.phases_total
            ),
        }
    };
    let balance = match l {
        Lang::En => format!(
            "Phase teams cover {} of {} competency needs ({}).",
            s.needs_covered,
            s.needs_total,
            l.pct(share(s.needs_covered, s.needs_total))
        ),
        Lang::Nl => format!(
            "De fase-teams dekken {} van de {} competentiebehoeften ({}).",
            s.needs_covered,
            s.needs_total,
            l.pct(share(s.needs_covered, s.needs_total))
        ),
    };
    let pooled = match (l, s.pooled_placements) {
        (Lang::En, 0) => "Nobody works outside their own municipality.".to_string(),
        (Lang::Nl, 0) => "Niemand werkt buiten de eigen gemeente.".to_string(),
        (Lang::En, n) => format!("{n} placements use people from another municipality."),
        (Lang::Nl, n) => format!("{n} plaatsingen gebruiken mensen uit een andere gemeente."),
    };
    let _ = writeln!(
        o,
        "<p class=\"lead\">{} {filled}. {} {} {} {}</p>",
        l.t("This plan fills", "Dit plan vult",),
        Esc(&blocked),
        Esc(&balance),
        Esc(&pooled),
        Esc(&status_sentence(l, &s.status, &s.backend, s.gap)),
    );
    if !s.violations.is_empty() {
        let _ = write!(
            o,
            "<p class=\"bad\"><strong>{} {}</strong></p>",
            l.t(
                "Warning: the independent checker found broken rules:",
                "Let op: de onafhankelijke controle vond overtreden regels:",
            ),
            s.violations.len()
        );
    }

    let gap_text = match (s.status.as_str(), s.gap) {
        ("optimal", _) => l.t("optimal", "optimaal").to_string(),
        (_, Some(g)) => format!("{} {}", l.t("gap", "gap"), l.pct(g)),
        _ => l.t("no proof", "geen bewijs").to_string(),
    };
    o.push_str("<div class=\"figures\">");
    let mut fig = |v: String, k: &str, class: &str| {
        let _ = write!(
            o,
            "<div class=\"figure {class}\"><span class=\"v\">{}</span><span class=\"k\">{}</span></div>",
            Esc(&v),
            Esc(k)
        );
    };
    fig(
        l.num(s.unfilled_required_role_hours, 0),
        l.t("required role-hours open", "verplichte rol-uren open"),
        if s.unfilled_required_role_hours > 0.0 {
            "bad"
        } else {
            "good"
        },
    );
    fig(
        format!("{} / {}", s.blocked_phases, s.phases_total),
        l.t("phases blocked", "fasen geblokkeerd"),
        if s.blocked_phases > 0 { "bad" } else { "good" },
    );
    fig(
        format!(
            "{} / {}",
            l.num(s.slots_filled as f64, 0),
            l.num(s.slots_total as f64, 0)
        ),
        l.t("role slots filled", "rolplekken ingevuld"),
        "",
    );
    fig(
        l.pct(s.balance),
        l.t(
            "balance: competency needs covered",
            "balans: competentiebehoeften gedekt",
        ),
        if s.balance < 1.0 { "bad" } else { "good" },
    );
    fig(
        s.pooled_placements.to_string(),
        l.t(
            "placements across municipalities",
            "plaatsingen over gemeentegrenzen",
        ),
        "",
    );
    fig(
        gap_text,
        l.t("solver status", "status van de solver"),
        if s.status == "optimal" { "good" } else { "" },
    );
    o.push_str("</div>\n");

    // Per project: open required and optional hours.
    let mut rows: Vec<(&str, &ProjectOpen)> = projects.iter().map(|(k, v)| (*k, v)).collect();
    rows.sort_by(|a, b| {
        (b.1.required, b.1.optional)
            .partial_cmp(&(a.1.required, a.1.optional))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.0.cmp(b.0))
    });
    let hidden = rows.len().saturating_sub(MAX_PROJECTS);
    rows.truncate(MAX_PROJECTS);
    let max = rows
        .iter()
        .map(|r| r.1.required + r.1.optional)
        .fold(1.0, f64::max);
    let _ = write!(
        o,
        "<h3>{}</h3>",
        l.t(
            "Open work per project over the horizon (role-hours)",
            "Open werk per project over de looptijd (rol-uren)"
        )
    );
    let (label_w, bar_w, row_h) = (190.0, 600.0, 18.0);
    let mut svg = Svg::new(
        label_w + bar_w + 150.0,
        rows.len() as f64 * row_h + 8.0,
        l.t("Open role-hours per project", "Open rol-uren per project"),
    );
    for (i, (id, p)) in rows.iter().enumerate() {
        let y = i as f64 * row_h + 4.0;
        let label = if p.municipality.is_empty() {
            id.to_string()
        } else {
            format!("{id} · {}", p.municipality)
        };
        svg.text(label_w - 6.0, y + 12.0, "end", "", &clip(&label, 30));
        let wr = p.required / max * bar_w;
        let wo = p.optional / max * bar_w;
        svg.rect(
            label_w,
            y + 2.0,
            wr,
            row_h - 5.0,
            "#c0392b",
            Some(&format!(
                "{id}: {} {}",
                l.num(p.required, 0),
                l.t("required role-hours open", "verplichte rol-uren open")
            )),
        );
        svg.rect(
            label_w + wr,
            y + 2.0,
            wo,
            row_h - 5.0,
            "#e8b4ad",
            Some(&format!(
                "{id}: {} {}",
                l.num(p.optional, 0),
                l.t("optional role-hours open", "optionele rol-uren open")
            )),
        );
        let tag = if !p.blocked.is_empty() {
            let k = p.blocked.len();
            let phases = match (l, k) {
                (Lang::En, 1) => "1 phase blocked".to_string(),
                (Lang::En, k) => format!("{k} phases blocked"),
                (Lang::Nl, 1) => "1 fase geblokkeerd".to_string(),
                (Lang::Nl, k) => format!("{k} fasen geblokkeerd"),
            };
            format!("{} · {phases}", l.num(p.required, 0))
        } else if p.optional > 0.0 {
            l.num(p.optional, 0)
        } else {
            l.t("complete", "volledig").to_string()
        };
        svg.text(label_w + wr + wo + 6.0, y + 12.0, "start", "s", &tag);
    }
    o.push_str(&svg.finish());
    let _ = write!(
        o,
        "<p class=\"legend\"><i style=\"background:#c0392b\"></i>{}<i style=\"background:#e8b4ad\"></i>{}</p>",
        l.t("required roles", "verplichte rollen"),
        l.t("optional roles", "optionele rollen")
    );
    if hidden > 0 {
        let _ = write!(
            o,
            "<p class=\"note\">{} {hidden} {}</p>",
            l.t(
                "The projects with the most open role-hours are shown;",
                "De projecten met de meeste open rol-uren staan hier;",
            ),
            l.t("more are in unfilled.csv.", "meer staan in unfilled.csv."),
        );
    }
    Part {
        id: "summary",
        title,
        detail: format!(
            "{} of {} phases blocked, {} required role-hours open",
            s.blocked_phases,
            s.phases_total,
            Lang::En.num(s.unfilled_required_role_hours, 0)
        ),
        body: Ok(o),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{fixture, render as page, Options};
    use super::*;

    #[test]
    fn status_in_words() {
        assert!(status_sentence(Lang::En, "optimal", "highs", Some(0.0)).contains("optimal"));
        assert!(status_sentence(Lang::En, "time_limit", "microlp", Some(0.2865)).contains("29%"));
        assert!(status_sentence(Lang::Nl, "time_limit", "heuristic", None).contains("heuristiek"));
        assert!(status_sentence(Lang::En, "time_limit", "microlp", None).contains("not known"));
    }

    fn section(html: &str) -> &str {
        let start = html.find("<section id=\"summary\">").unwrap();
        let end = html[start..].find("</section>").unwrap();
        &html[start..start + end]
    }

    #[test]
    fn open_work_per_project_in_role_hours_and_blocked_phases() {
        let html = page(&fixture::data(), &Options::default()).html;
        let s = section(&html);
        assert!(s.contains("Open work per project over the horizon (role-hours)"));
        // j1 leaves its required jurist open in phase plan: 416 role-hours.
        assert!(s.contains("416 · 1 phase blocked"), "{s}");
        assert!(s.contains("j1: 416 required role-hours open"));
        assert!(s.contains("j2: 96 optional role-hours open"));
        // 416 of 512 open role-hours are required: 0.4 × 416 / 512 FTE-years.
        assert!(s.contains("(0.3 FTE-years)"), "{s}");
        for old in ["stall", "hours per week", "Stil"] {
            assert!(!s.contains(old), "{old}");
        }
        let nl = page(
            &fixture::data(),
            &Options {
                lang: Lang::Nl,
                ..Default::default()
            },
        )
        .html;
        let s = section(&nl);
        assert!(s.contains("Open werk per project over de looptijd (rol-uren)"));
        assert!(s.contains("416 · 1 fase geblokkeerd"));
        assert!(!s.contains("staat stil") && !s.contains("uren per week"));
    }
}
