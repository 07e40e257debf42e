//! Section "Unfilled needs": the work left open over the planning horizon
//! (role-hours), by kind of reason, and every open role line with its
//! reason (unfilled.csv), required roles first.

use std::fmt::Write as _;

use super::data::Unfilled;
use super::escape::Esc;
use super::svg::Svg;
use super::{Ctx, Lang, Part};

/// Most role lines listed.
const MAX_ROWS: usize = 200;

/// Kinds of reasons, in the order a reader acts on them: nobody exists,
/// nobody may, people are busy elsewhere, or rules hold them back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    NoDiscipline,
    NotEligible,
    HigherPriority,
    NoHours,
    InTeam,
    HeldBack,
    Other,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::NoDiscipline,
        Kind::NotEligible,
        Kind::HigherPriority,
        Kind::NoHours,
        Kind::InTeam,
        Kind::HeldBack,
        Kind::Other,
    ];

    /// The kind of a reason written by `ploeg solve`.
    pub fn of(reason: &str) -> Kind {
        if reason.contains("nobody in the scenario is a") {
            Kind::NoDiscipline
        } else if reason.starts_with("no eligible person") {
            Kind::NotEligible
        } else if reason.starts_with("lower priority than") {
            Kind::HigherPriority
        } else if reason.starts_with("capacity used up") {
            Kind::NoHours
        } else if reason.contains("already hold another role") {
            Kind::InTeam
        } else if reason.contains("held back by") {
            Kind::HeldBack
        } else {
            Kind::Other
        }
    }

    pub fn label(self, l: Lang) -> &'static str {
        match self {
            Kind::NoDiscipline => l.t(
                "nobody has this discipline",
                "niemand heeft deze discipline",
            ),
            Kind::NotEligible => l.t(
                "nobody qualifies (expertise, availability, pool rules)",
                "niemand komt in aanmerking (expertise, beschikbaarheid, poolregels)",
            ),
            Kind::HigherPriority => l.t(
                "qualified people work on higher-priority projects",
                "geschikte mensen werken op projecten met hogere prioriteit",
            ),
            Kind::NoHours => l.t(
                "qualified people have no hours left",
                "geschikte mensen hebben geen uren meer over",
            ),
            Kind::InTeam => l.t(
                "qualified people already hold another role in this team",
                "geschikte mensen hebben al een andere rol in dit team",
            ),
            Kind::HeldBack => l.t(
                "held back by a limit (projects at once, pool share, home member)",
                "tegengehouden door een grens (projecten tegelijk, pool-aandeel, thuislid)",
            ),
            Kind::Other => l.t("other", "overig"),
        }
    }
}

/// Identical open slots of one role line, counted.
struct Line<'a> {
    u: &'a Unfilled,
    slots: usize,
}

pub fn render(ctx: &Ctx) -> Part {
    let l = ctx.lang;
    let title = l.t("Unfilled needs and why", "Open plekken en waarom");
    let d = ctx.d;
    let mut o = String::new();
    if d.unfilled.is_empty() {
        let _ = write!(
            o,
            "<p class=\"ok\">{}</p>",
            l.t("Every role slot is filled.", "Elke rolplek is ingevuld.")
        );
        return Part {
            id: "unfilled",
            title,
            detail: "no open slots".into(),
            body: Ok(o),
        };
    }
    // Role-hours per kind, required and optional.
    let mut hours = [(0.0, 0.0); 7];
    for u in &d.unfilled {
        let k = Kind::of(&u.reason) as usize;
        if u.required {
            hours[k].0 += u.role_hours;
        } else {
            hours[k].1 += u.role_hours;
        }
    }
    let kinds: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| hours[*k as usize].0 + hours[*k as usize].1 > 0.0)
        .collect();
    let max = hours.iter().map(|(a, b)| a + b).fold(1.0, f64::max);
    let _ = write!(
        o,
        "<p>{}</p>",
        l.t(
            "Open work over the planning horizon (role-hours: hours a week × weeks of the phase) by why it stays open. The reasons come from the solver's own check of who could have filled each slot.",
            "Open werk over de looptijd (rol-uren: uren per week × weken van de fase) naar de reden waarom het open blijft. De redenen komen uit de controle van de solver wie elke plek had kunnen invullen.",
        )
    );
    let (label_w, bar_w, row_h) = (400.0, 420.0, 22.0);
    let mut svg = Svg::new(
        label_w + bar_w + 120.0,
        kinds.len() as f64 * row_h + 6.0,
        l.t("Open role-hours by reason", "Open rol-uren naar reden"),
    );
    for (i, k) in kinds.iter().enumerate() {
        let (req, opt) = hours[*k as usize];
        let y = i as f64 * row_h + 3.0;
        svg.text(label_w - 8.0, y + 14.0, "end", "", k.label(l));
        let wr = req / max * bar_w;
        let wo = opt / max * bar_w;
        svg.rect(label_w, y + 3.0, wr, row_h - 8.0, "#c0392b", None);
        svg.rect(label_w + wr, y + 3.0, wo, row_h - 8.0, "#e8b4ad", None);
        svg.text(
            label_w + wr + wo + 6.0,
            y + 14.0,
            "start",
            "s",
            &format!("{} {}", l.num(req + opt, 0), l.t("role-hours", "rol-uren")),
        );
    }
    o.push_str(&svg.finish());
    let _ = write!(
        o,
        "<p class=\"legend\"><i style=\"background:#c0392b\"></i>{}<i style=\"background:#e8b4ad\"></i>{}</p>",
        l.t("required roles", "verplichte rollen"),
        l.t("optional roles", "optionele rollen")
    );

    // Role lines: identical open slots counted once.
    let mut lines: Vec<Line> = Vec::new();
    for u in &d.unfilled {
        match lines.last_mut() {
            Some(last)
                if last.u.project_id == u.project_id
                    && last.u.phase == u.phase
                    && last.u.role == u.role
                    && last.u.reason == u.reason
                    && last.u.required == u.required =>
            {
                last.slots += 1
            }
            _ => lines.push(Line { u, slots: 1 }),
        }
    }
    let total_lines = lines.len();
    lines.sort_by(|a, b| {
        b.u.required.cmp(&a.u.required).then(
            b.u.priority
                .partial_cmp(&a.u.priority)
                .unwrap_or(std::cmp::Ordering::Equal),
        )
    });
    lines.truncate(MAX_ROWS);
    let _ = write!(o, "<h3>{}</h3>", l.t("Open role lines", "Open rollen"));
    if total_lines > MAX_ROWS {
        let _ = write!(
            o,
            "<p class=\"note\">{}</p>",
            match l {
                Lang::En => format!(
                    "The first {MAX_ROWS} of {total_lines} lines are shown, required roles and high priorities first; all are in unfilled.csv."
                ),
                Lang::Nl => format!(
                    "De eerste {MAX_ROWS} van {total_lines} regels staan hier, verplichte rollen en hoge prioriteit eerst; alle staan in unfilled.csv."
                ),
            }
        );
    }
    let _ = write!(
        o,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        l.t("Project", "Project"),
        l.t("Phase", "Fase"),
        l.t("Role", "Rol"),
        l.t("Slots", "Plekken"),
        l.t("h/week each", "u/week per plek"),
        l.t("Role-hours", "Rol-uren"),
        l.t("Required", "Verplicht"),
        l.t("Why it stays open", "Waarom het open blijft"),
    );
    for line in &lines {
        let u = line.u;
        let _ = write!(
            o,
            "<tr{}><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td><strong>{}</strong><br><span class=\"note\">{}</span></td></tr>",
            if u.required { " class=\"gap\"" } else { "" },
            Esc(&u.project_id),
            Esc(&u.phase),
            Esc(&u.role),
            line.slots,
            l.short(u.hours, 1),
            l.num(u.role_hours * line.slots as f64, 0),
            if u.required { l.t("yes", "ja") } else { l.t("no", "nee") },
            Esc(Kind::of(&u.reason).label(l)),
            Esc(&u.reason)
        );
    }
    o.push_str("</tbody></table>");
    Part {
        id: "unfilled",
        title,
        detail: format!(
            "{} open slots in {total_lines} lines, {} reasons",
            d.unfilled.len(),
            kinds.len()
        ),
        body: Ok(o),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{fixture, render as page, Options};
    use super::*;

    #[test]
    fn open_work_is_counted_in_role_hours() {
        let mut d = fixture::data();
        // A second open jurist slot of the same line: counted once, twice the work.
        let again = d.unfilled[0].clone();
        d.unfilled.insert(1, again);
        let html = page(&d, &Options::default()).html;
        let start = html.find("<section id=\"unfilled\">").unwrap();
        let s = &html[start..start + html[start..].find("</section>").unwrap()];
        assert!(s.contains("Open work over the planning horizon (role-hours"));
        assert!(s.contains(">832 role-hours<"), "{s}");
        assert!(s.contains(">96 role-hours<"));
        assert!(s.contains("<td class=\"n\">2</td><td class=\"n\">16</td><td class=\"n\">832</td>"));
        assert!(!s.contains("hours per week") && !s.contains(" h<"));
    }

    #[test]
    fn reasons_of_the_explainer_fall_into_their_kind() {
        for (reason, kind) in [
            ("no eligible person: nobody in the scenario is a jurist", Kind::NoDiscipline),
            ("no eligible person: of 3 jurist(s), 2 lack KRW ≥ 3", Kind::NotEligible),
            ("lower priority than j05 (priority 2): the 2 eligible person(s) are booked there", Kind::HigherPriority),
            ("capacity used up: 1 of 1 eligible person(s) have no hours left in this phase (booked on j07)", Kind::NoHours),
            ("the 1 eligible person(s) already hold another role in this phase team", Kind::InTeam),
            ("1 eligible person(s) remain, held back by the concurrent-project limit, the pool share or the home-member rule", Kind::HeldBack),
            ("something new", Kind::Other),
        ] {
            assert_eq!(Kind::of(reason), kind, "{reason}");
        }
    }
}
