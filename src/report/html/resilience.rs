//! Section "Resilience" (from `ploeg resilience`): the people whose absence
//! hurts most (key_people.csv), how many people hold each expertise per
//! municipality alone and with pooling (bus_factor.csv), and the spread of
//! outcomes over simulated absences (absence_summary.csv). Left out when
//! none of these files is in the output folder.

use std::fmt::Write as _;

use super::data::{Absence, BusFactor, KeyPerson};
use super::escape::Esc;
use super::svg::{clip, Svg, SERIES};
use super::{Ctx, Lang, Names, Part};

const MAX_KEY_PEOPLE: usize = 25;
/// Phases named per key person; the rest are counted.
const MAX_BLOCKED_NAMED: usize = 3;

/// What a person's absence does, in a few words: "+416 role-hours (2.7
/// FTE-months), +2 phases blocked".
fn impact(l: Lang, r: &KeyPerson) -> String {
    format!(
        "+{} {} ({} {}), +{} {}",
        l.num(r.extra_unfilled_required_role_hours, 0),
        l.t("role-hours", "rol-uren"),
        l.short(r.extra_fte_months, 1),
        l.t("FTE-months", "fte-maanden"),
        l.num(r.extra_blocked_phases, 0),
        l.t("phases blocked", "fasen geblokkeerd"),
    )
}

/// The phases a person's absence blocks, the first few by name.
fn blocked_list(l: Lang, r: &KeyPerson) -> String {
    let mut out = r
        .blocked
        .iter()
        .take(MAX_BLOCKED_NAMED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let more = r.blocked.len().saturating_sub(MAX_BLOCKED_NAMED);
    if more > 0 {
        let _ = write!(out, " {} {more} {}", l.t("and", "en"), l.t("more", "meer"));
    }
    out
}

fn key_chart(l: Lang, names: &Names, rows: &[&KeyPerson]) -> String {
    let max = rows
        .iter()
        .map(|r| r.extra_unfilled_required_role_hours)
        .fold(1.0, f64::max);
    let (label_w, bar_w, row_h) = (230.0, 440.0, 18.0);
    let mut svg = Svg::new(
        label_w + bar_w + 290.0,
        rows.len() as f64 * row_h + 6.0,
        l.t(
            "Extra open required role-hours per key person",
            "Extra open verplichte rol-uren per sleutelfiguur",
        ),
    );
    for (i, r) in rows.iter().enumerate() {
        let y = i as f64 * row_h + 3.0;
        let who = names.person(&r.person_id, &r.name);
        let label = if r.municipality.is_empty() {
            who
        } else {
            format!("{who} · {}", r.municipality)
        };
        svg.text(label_w - 6.0, y + 12.0, "end", "", &clip(&label, 36));
        let w = r.extra_unfilled_required_role_hours.max(0.0) / max * bar_w;
        let colour = if r.key { "#c0392b" } else { "#e8b4ad" };
        svg.rect(label_w, y + 2.0, w, row_h - 5.0, colour, None);
        svg.text(label_w + w + 6.0, y + 12.0, "start", "s", &impact(l, r));
    }
    svg.finish()
}

fn key_table(o: &mut String, l: Lang, names: &Names, rows: &[&KeyPerson]) {
    let _ = write!(
        o,
        "<table><thead><tr><th class=\"n\">#</th><th>{}</th><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        l.t("Person", "Persoon"),
        l.t("Municipality", "Gemeente"),
        l.t("Extra open required (role-hours)", "Extra open verplicht (rol-uren)"),
        l.t("FTE-months", "Fte-maanden"),
        l.t("Extra blocked phases", "Extra geblokkeerde fasen"),
        l.t("Phases blocked", "Geblokkeerde fasen"),
        l.t("Roles", "Rollen"),
    );
    for r in rows {
        let _ = write!(
            o,
            "<tr{}><td class=\"n\">{}</td><td title=\"{}\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
            if r.key { " class=\"gap\"" } else { "" },
            l.num(r.rank, 0),
            Esc(&r.why),
            Esc(&names.person(&r.person_id, &r.name)),
            Esc(&r.municipality),
            l.num(r.extra_unfilled_required_role_hours, 0),
            l.short(r.extra_fte_months, 1),
            l.num(r.extra_blocked_phases, 0),
            Esc(&blocked_list(l, r)),
            Esc(&r.roles.replace('|', ", ")),
        );
    }
    o.push_str("</tbody></table>");
}

fn key_people(o: &mut String, l: Lang, names: &Names, rows: &[KeyPerson]) {
    let mut rows: Vec<&KeyPerson> = rows.iter().collect();
    rows.sort_by(|a, b| {
        a.rank
            .partial_cmp(&b.rank)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let hidden = rows.len().saturating_sub(MAX_KEY_PEOPLE);
    rows.truncate(MAX_KEY_PEOPLE);
    let _ = write!(
        o,
        "<h3>{}</h3><p>{}</p>",
        l.t("Key people", "Sleutelfiguren"),
        l.t(
            "If this person were absent, this much more required work over the planning horizon would stay open (in role-hours, and in FTE-months: months of one full-time person's work) and this many more phases would be blocked, each with a required role nobody fills. Key people (in red) are those whose absence blocks a phase or opens work above the threshold of ploeg resilience.",
            "Als deze persoon zou uitvallen, blijft er zoveel meer verplicht werk over de looptijd open (in rol-uren, en in fte-maanden: maanden werk van één voltijder) en raken er zoveel meer fasen geblokkeerd, elk met een verplichte rol die niemand invult. Sleutelfiguren (rood) zijn wie door uitval een fase blokkeert of werk boven de drempel van ploeg resilience open laat.",
        )
    );
    o.push_str(&key_chart(l, names, &rows));
    key_table(o, l, names, &rows);
    if hidden > 0 {
        let _ = write!(
            o,
            "<p class=\"note\">{} {hidden} {}</p>",
            l.t("The", "De"),
            l.t(
                "further people are in key_people.csv.",
                "overige mensen staan in key_people.csv."
            )
        );
    }
}

fn colour(people: f64) -> &'static str {
    if people < 1.0 {
        "#7f1d1d"
    } else if people < 2.0 {
        "#c0392b"
    } else if people < 3.0 {
        "#e8a33d"
    } else {
        "#2f7d4f"
    }
}

fn bus_factor(o: &mut String, l: Lang, rows: &[BusFactor]) {
    let mut munis: Vec<&str> = rows.iter().map(|r| r.municipality.as_str()).collect();
    munis.sort_unstable();
    munis.dedup();
    let mut fields: Vec<&str> = rows.iter().map(|r| r.field.as_str()).collect();
    fields.sort_unstable();
    fields.dedup();
    let _ = write!(
        o,
        "<h3>{}</h3><p>{}</p>",
        l.t("Bus factor per expertise", "Busfactor per expertise"),
        l.t(
            "How many people with each expertise a municipality can call on: alone → with pooling. Red means one person or nobody: if they leave, the expertise is gone.",
            "Op hoeveel mensen met elke expertise een gemeente kan rekenen: alleen → met poolen. Rood is één persoon of niemand: als die vertrekt, is de expertise weg.",
        )
    );
    let (label_w, cw, ch, top) = (160.0, 92.0, 24.0, 30.0);
    let mut svg = Svg::new(
        label_w + cw * fields.len() as f64 + 4.0,
        top + ch * munis.len() as f64 + 4.0,
        l.t(
            "People per expertise and municipality, alone and pooled",
            "Mensen per expertise en gemeente, alleen en gepoold",
        ),
    );
    for (j, f) in fields.iter().enumerate() {
        svg.text(
            label_w + j as f64 * cw + cw / 2.0,
            top - 8.0,
            "middle",
            "b",
            &clip(f, 14),
        );
    }
    for (i, m) in munis.iter().enumerate() {
        let y = top + i as f64 * ch;
        svg.text(label_w - 6.0, y + ch / 2.0 + 4.0, "end", "b", &clip(m, 24));
        for (j, f) in fields.iter().enumerate() {
            let Some(r) = rows.iter().find(|r| r.municipality == *m && r.field == *f) else {
                continue;
            };
            let x = label_w + j as f64 * cw;
            let tip = format!(
                "{m} · {f}: {} {}, {} {}{}",
                l.num(r.alone, 0),
                l.t("alone", "alleen"),
                l.num(r.pooled, 0),
                l.t("pooled", "gepoold"),
                if r.flag.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", r.flag)
                }
            );
            svg.rect(
                x + 1.0,
                y + 1.0,
                cw / 2.0 - 1.0,
                ch - 2.0,
                colour(r.alone),
                Some(&tip),
            );
            svg.rect(
                x + cw / 2.0,
                y + 1.0,
                cw / 2.0 - 1.0,
                ch - 2.0,
                colour(r.pooled),
                Some(&tip),
            );
            svg.text(
                x + cw / 2.0,
                y + ch / 2.0 + 4.0,
                "middle",
                "w",
                &format!("{} → {}", l.num(r.alone, 0), l.num(r.pooled, 0)),
            );
        }
    }
    o.push_str(&svg.finish());
    let _ = write!(
        o,
        "<p class=\"legend\"><i style=\"background:#7f1d1d\"></i>{}<i style=\"background:#c0392b\"></i>1<i style=\"background:#e8a33d\"></i>2<i style=\"background:#2f7d4f\"></i>3+</p>",
        l.t("nobody", "niemand")
    );
    let flagged: Vec<&BusFactor> = rows.iter().filter(|r| !r.flag.is_empty()).collect();
    if !flagged.is_empty() {
        let _ = write!(
            o,
            "<table><thead><tr><th>{}</th><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th>{}</th></tr></thead><tbody>",
            l.t("Municipality", "Gemeente"),
            l.t("Expertise", "Expertise"),
            l.t("Alone", "Alleen"),
            l.t("Pooled", "Gepoold"),
            l.t("Flag", "Signaal"),
        );
        for r in flagged {
            let _ = write!(
                o,
                "<tr class=\"gap\"><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                Esc(&r.municipality),
                Esc(&r.field),
                l.num(r.alone, 0),
                l.num(r.pooled, 0),
                Esc(&r.flag)
            );
        }
        o.push_str("</tbody></table>");
    }
}

/// The measures of absence_summary.csv this report shows, with their names.
const MEASURES: [&str; 2] = ["unfilled_required_role_hours", "blocked_phases"];

fn measure(l: Lang, metric: &str) -> &'static str {
    match metric {
        "blocked_phases" => l.t("Blocked phases", "Geblokkeerde fasen"),
        _ => l.t(
            "Open required work over the horizon (role-hours)",
            "Open verplicht werk over de looptijd (rol-uren)",
        ),
    }
}

fn pooling_name(l: Lang, pooling: &str) -> String {
    match pooling {
        "with" => l.t("with pooling", "met poolen").to_string(),
        "without" => l.t("without pooling", "zonder poolen").to_string(),
        p => p.to_string(),
    }
}

/// One measure over the poolings: p50 to p99 as a line, p90 as a tick,
/// the mean as a square, the value without absences as a thin line.
fn absence_chart(l: Lang, metric: &str, of: &[&Absence], poolings: &[&str]) -> String {
    let max = of
        .iter()
        .map(|r| r.p99.max(r.mean).max(r.p90).max(r.base))
        .fold(1e-9, f64::max);
    let (label_w, bar_w, row_h) = (170.0, 560.0, 20.0);
    let mut svg = Svg::new(
        label_w + bar_w + 110.0,
        of.len() as f64 * row_h + 8.0,
        &format!(
            "{}: {}",
            l.t("Absence outcomes", "Uitkomsten bij uitval"),
            measure(l, metric)
        ),
    );
    for (i, r) in of.iter().enumerate() {
        let y = i as f64 * row_h + 4.0 + row_h / 2.0;
        let k = poolings.iter().position(|p| *p == r.pooling).unwrap_or(0);
        let c = SERIES[k % SERIES.len()];
        let x = |v: f64| label_w + v.max(0.0) / max * bar_w;
        let name = pooling_name(l, &r.pooling);
        svg.text(label_w - 6.0, y + 4.0, "end", "", &clip(&name, 26));
        svg.line(label_w, y, label_w + bar_w, y, "#eef0f4", 1.0);
        svg.line(x(r.base), y - 8.0, x(r.base), y + 8.0, "#7f8c8d", 1.0);
        svg.line(x(r.p50), y, x(r.p99), y, c, 4.0);
        svg.line(x(r.p90), y - 6.0, x(r.p90), y + 6.0, "#1d2430", 1.5);
        let tip = format!(
            "{name}: {} {}, {} {}, p50 {}, p90 {}, p99 {}, max {}",
            l.t("without absences", "zonder uitval"),
            l.short(r.base, 2),
            l.t("mean", "gemiddeld"),
            l.short(r.mean, 2),
            l.short(r.p50, 2),
            l.short(r.p90, 2),
            l.short(r.p99, 2),
            l.short(r.max, 2),
        );
        svg.rect(x(r.mean) - 4.0, y - 4.0, 8.0, 8.0, "#1d2430", Some(&tip));
        let p99 = format!("p99 {}", l.short(r.p99, 1));
        svg.text(x(r.p99) + 8.0, y + 4.0, "start", "s", &p99);
    }
    svg.finish()
}

fn absence_table(o: &mut String, l: Lang, rows: &[&Absence]) {
    let _ = write!(
        o,
        "<table><thead><tr><th>{}</th><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">p50</th><th class=\"n\">p90</th><th class=\"n\">p99</th><th class=\"n\">max</th></tr></thead><tbody>",
        l.t("Pooling", "Poolen"),
        l.t("Measure", "Maat"),
        l.t("Without absences", "Zonder uitval"),
        l.t("Mean", "Gemiddeld"),
    );
    for r in rows {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            Esc(&pooling_name(l, &r.pooling)),
            Esc(measure(l, &r.metric)),
            l.short(r.base, 2),
            l.short(r.mean, 2),
            l.short(r.p50, 2),
            l.short(r.p90, 2),
            l.short(r.p99, 2),
            l.short(r.max, 2),
        );
    }
    o.push_str("</tbody></table>");
}

fn absence(o: &mut String, l: Lang, rows: &[Absence]) {
    let _ = write!(
        o,
        "<h3>{}</h3><p>{}</p>",
        l.t("Outcomes under absence", "Uitkomsten bij uitval"),
        l.t(
            "Over many simulated absences: the line runs from the median (p50) to the 1-in-100 worst case (p99); the tick marks p90, the square the mean, the thin grey line the plan without absences.",
            "Over veel gesimuleerde uitval: de lijn loopt van de mediaan (p50) tot het slechtste geval van 1 op 100 (p99); het streepje is p90, het blokje het gemiddelde, de dunne grijze lijn het plan zonder uitval.",
        )
    );
    let shown: Vec<&Absence> = rows
        .iter()
        .filter(|r| MEASURES.contains(&r.metric.as_str()))
        .collect();
    if shown.is_empty() {
        let _ = write!(
            o,
            "<p class=\"note\">{}</p>",
            l.t(
                "absence_summary.csv has neither open required role-hours nor blocked phases; run ploeg resilience again to get them.",
                "absence_summary.csv bevat geen open verplichte rol-uren of geblokkeerde fasen; draai ploeg resilience opnieuw om ze te krijgen.",
            )
        );
        return;
    }
    let mut poolings: Vec<&str> = Vec::new();
    for r in &shown {
        if !poolings.contains(&r.pooling.as_str()) {
            poolings.push(&r.pooling);
        }
    }
    for m in MEASURES {
        let of: Vec<&Absence> = shown.iter().copied().filter(|r| r.metric == m).collect();
        if !of.is_empty() {
            let _ = write!(o, "<h3>{}</h3>", Esc(measure(l, m)));
            o.push_str(&absence_chart(l, m, &of, &poolings));
        }
    }
    absence_table(o, l, &shown);
}

pub fn render(ctx: &Ctx) -> Part {
    let l = ctx.lang;
    let title = l.t("Resilience", "Weerbaarheid");
    let d = ctx.d;
    if d.key_people.is_none() && d.bus_factor.is_none() && d.absence.is_none() {
        return Part {
            id: "resilience",
            title,
            body: Err(
                "no key_people.csv, bus_factor.csv or absence_summary.csv (made by ploeg resilience)"
                    .into(),
            ),
            detail: String::new(),
        };
    }
    let mut o = String::new();
    let mut detail = Vec::new();
    if let Some(rows) = &d.key_people {
        key_people(&mut o, l, &ctx.names, rows);
        detail.push(format!(
            "{} key people",
            rows.iter().filter(|r| r.key).count()
        ));
    }
    if let Some(rows) = &d.bus_factor {
        bus_factor(&mut o, l, rows);
        detail.push(format!(
            "{} expertise flags",
            rows.iter().filter(|r| !r.flag.is_empty()).count()
        ));
    }
    if let Some(rows) = &d.absence {
        absence(&mut o, l, rows);
        detail.push(format!("{} absence rows", rows.len()));
    }
    Part {
        id: "resilience",
        title,
        detail: detail.join(", "),
        body: Ok(o),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{fixture, render as page, Options};
    use super::*;
    use crate::report::pseudonym::Pseudonymiser;

    fn with_resilience() -> super::super::ReportData {
        let mut d = fixture::data();
        d.key_people = Some(vec![
            KeyPerson {
                rank: 1.0,
                person_id: "p7".into(),
                name: "Kees \"de planeconoom\" Jansen".into(),
                municipality: "Oss".into(),
                extra_unfilled_required_role_hours: 416.0,
                extra_fte_months: 2.67,
                extra_blocked_phases: 5.0,
                blocked: [
                    "j1 / plan",
                    "j2 / bouw",
                    "j3 / plan",
                    "j4 / <plan>",
                    "j5 / plan",
                ]
                .map(String::from)
                .to_vec(),
                roles: "planeconoom|jurist".into(),
                why: "the only planeconoom <in Oss>".into(),
                key: true,
            },
            KeyPerson {
                rank: 2.0,
                person_id: "p8".into(),
                name: "Ria".into(),
                municipality: "Oss".into(),
                extra_unfilled_required_role_hours: 4.0,
                extra_fte_months: 0.03,
                roles: "jurist".into(),
                key: false,
                ..Default::default()
            },
        ]);
        d.bus_factor = Some(vec![
            BusFactor {
                municipality: "Oss".into(),
                field: "stikstof".into(),
                alone: 1.0,
                pooled: 3.0,
                flag: "single point of failure".into(),
            },
            BusFactor {
                municipality: "Veldhoven".into(),
                field: "KRW".into(),
                alone: 4.0,
                pooled: 6.0,
                flag: String::new(),
            },
        ]);
        let absence = |pooling: &str, metric: &str, base: f64, p99: f64| Absence {
            pooling: pooling.into(),
            metric: metric.into(),
            base,
            mean: base * 2.0,
            p50: base * 1.5,
            p90: p99 * 0.8,
            p99,
            max: p99 * 1.5,
        };
        d.absence = Some(vec![
            absence("with", "unfilled_required_role_hours", 96.0, 1040.0),
            absence("without", "unfilled_required_role_hours", 416.0, 1664.0),
            absence("with", "blocked_phases", 1.0, 4.0),
            // An older measure the report no longer shows.
            absence("with", "stalled_projects", 1.0, 77.0),
        ]);
        d
    }

    fn section(html: &str) -> &str {
        let start = html
            .find("<section id=\"resilience\">")
            .expect("the section");
        &html[start..start + html[start..].find("</section>").unwrap()]
    }

    #[test]
    fn key_people_bus_factor_and_absence_are_shown() {
        let r = page(&with_resilience(), &Options::default());
        assert!(r.sections.iter().any(|s| s.id == "resilience" && s.shown));
        // Only those key_people.csv marks key are counted as key.
        let detail = &r
            .sections
            .iter()
            .find(|s| s.id == "resilience")
            .unwrap()
            .detail;
        assert!(detail.contains("1 key people"), "{detail}");
        let s = section(&r.html);
        assert!(s.contains("Kees &quot;de planeconoom&quot; Jansen"));
        assert!(s.contains("planeconoom, jurist"));
        assert!(s.contains("single point of failure"));
        assert!(s.contains("1 → 3"));
        assert!(s.contains("p99 1,040"), "{s}");
    }

    #[test]
    fn key_people_in_role_hours_and_blocked_phases() {
        let html = page(&with_resilience(), &Options::default()).html;
        let s = section(&html);
        assert!(s.contains(
            "this much more required work over the planning horizon would stay open (in role-hours"
        ));
        assert!(s.contains("this many more phases would be blocked"));
        assert!(
            s.contains("+416 role-hours (2.7 FTE-months), +5 phases blocked"),
            "{s}"
        );
        assert!(s.contains(
            "<tr class=\"gap\"><td class=\"n\">1</td><td title=\"the only planeconoom &lt;in Oss&gt;\">"
        ));
        assert!(s.contains("<td class=\"n\">416</td><td class=\"n\">2.7</td><td class=\"n\">5</td><td>j1 / plan, j2 / bouw, j3 / plan and 2 more</td>"));
        assert!(s.contains("<th class=\"n\">Extra blocked phases</th>"));
        for old in ["stall", "hours per week", "h/week"] {
            assert!(!s.contains(old), "{old}");
        }
    }

    #[test]
    fn absence_outcomes_use_role_hours_and_blocked_phases_only() {
        let html = page(&with_resilience(), &Options::default()).html;
        let s = section(&html);
        assert!(s.contains("<h3>Open required work over the horizon (role-hours)</h3>"));
        assert!(s.contains("<h3>Blocked phases</h3>"));
        assert!(s.contains("<tr><td>without pooling</td><td>Open required work over the horizon (role-hours)</td><td class=\"n\">416</td><td class=\"n\">832</td>"), "{s}");
        assert!(!s.contains("stalled") && !s.contains("p99 77"));
        let mut d = with_resilience();
        d.absence = Some(vec![Absence {
            pooling: "with".into(),
            metric: "unfilled_required_hours".into(),
            ..d.absence.unwrap()[0].clone()
        }]);
        let html = page(&d, &Options::default()).html;
        assert!(section(&html).contains("has neither open required role-hours nor blocked phases"));
    }

    #[test]
    fn dutch_key_people_and_absence() {
        let opts = Options {
            lang: Lang::Nl,
            ..Default::default()
        };
        let html = page(&with_resilience(), &opts).html;
        let s = section(&html);
        assert!(
            s.contains("blijft er zoveel meer verplicht werk over de looptijd open (in rol-uren")
        );
        assert!(s.contains("zoveel meer fasen geblokkeerd"));
        assert!(
            s.contains("+416 rol-uren (2,7 fte-maanden), +5 fasen geblokkeerd"),
            "{s}"
        );
        assert!(s.contains("j3 / plan en 2 meer"));
        assert!(s.contains("<h3>Open verplicht werk over de looptijd (rol-uren)</h3>"));
        assert!(s.contains("<td>met poolen</td>"));
        assert!(!s.contains("stil") && !s.contains("uren per week"));
    }

    #[test]
    fn key_people_are_pseudonymised_too() {
        let key = Pseudonymiser::with_key([3; 32]);
        let opts = Options {
            pseudonyms: Some(key.clone()),
            ..Default::default()
        };
        let r = page(&with_resilience(), &opts);
        assert!(!r.html.contains("Kees"));
        assert!(r.html.contains(&key.name("p7", "Person")));
    }
}
