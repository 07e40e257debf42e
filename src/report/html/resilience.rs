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
            "If this person were absent, this many more required hours per week would stay open and this many more projects would stall.",
            "Als deze persoon zou uitvallen, blijven er zoveel meer verplichte uren per week open en komen er zoveel meer projecten stil te staan.",
        )
    );
    let max = rows
        .iter()
        .map(|r| r.extra_unfilled_required_hours)
        .fold(1.0, f64::max);
    let (label_w, bar_w, row_h) = (230.0, 520.0, 18.0);
    let mut svg = Svg::new(
        label_w + bar_w + 150.0,
        rows.len() as f64 * row_h + 6.0,
        l.t(
            "Extra unfilled required hours per key person",
            "Extra niet ingevulde verplichte uren per sleutelfiguur",
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
        let w = r.extra_unfilled_required_hours.max(0.0) / max * bar_w;
        svg.rect(label_w, y + 2.0, w, row_h - 5.0, "#c0392b", None);
        let tag = match l {
            Lang::En => format!(
                "+{} h, +{} stalled",
                l.num(r.extra_unfilled_required_hours, 0),
                l.num(r.extra_stalled_projects, 0)
            ),
            Lang::Nl => format!(
                "+{} u, +{} stil",
                l.num(r.extra_unfilled_required_hours, 0),
                l.num(r.extra_stalled_projects, 0)
            ),
        };
        svg.text(label_w + w + 6.0, y + 12.0, "start", "s", &tag);
    }
    o.push_str(&svg.finish());
    let _ = write!(
        o,
        "<table><thead><tr><th class=\"n\">#</th><th>{}</th><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th>{}</th></tr></thead><tbody>",
        l.t("Person", "Persoon"),
        l.t("Municipality", "Gemeente"),
        l.t("Extra unfilled required h/week", "Extra open verplichte u/week"),
        l.t("Extra stalled projects", "Extra stilstaande projecten"),
        l.t("Roles", "Rollen"),
    );
    for r in &rows {
        let _ = write!(
            o,
            "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            l.num(r.rank, 0),
            Esc(&names.person(&r.person_id, &r.name)),
            Esc(&r.municipality),
            l.num(r.extra_unfilled_required_hours, 0),
            l.num(r.extra_stalled_projects, 0),
            Esc(&r.roles.replace('|', ", ")),
        );
    }
    o.push_str("</tbody></table>");
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

fn absence(o: &mut String, l: Lang, rows: &[Absence]) {
    let _ = write!(
        o,
        "<h3>{}</h3><p>{}</p>",
        l.t("Outcomes under absence", "Uitkomsten bij uitval"),
        l.t(
            "Over many simulated absences: the line runs from the median (p50) to the 1-in-100 worst case (p99); the tick marks p90, the square the mean.",
            "Over veel gesimuleerde uitval: de lijn loopt van de mediaan (p50) tot het slechtste geval van 1 op 100 (p99); het streepje is p90, het blokje het gemiddelde.",
        )
    );
    let mut metrics: Vec<&str> = Vec::new();
    let mut poolings: Vec<&str> = Vec::new();
    for r in rows {
        if !metrics.contains(&r.metric.as_str()) {
            metrics.push(&r.metric);
        }
        if !poolings.contains(&r.pooling.as_str()) {
            poolings.push(&r.pooling);
        }
    }
    for m in &metrics {
        let of: Vec<&Absence> = rows.iter().filter(|r| r.metric == *m).collect();
        let max = of
            .iter()
            .map(|r| r.p99.max(r.mean).max(r.p90))
            .fold(1e-9, f64::max);
        let (label_w, bar_w, row_h) = (170.0, 560.0, 20.0);
        let mut svg = Svg::new(
            label_w + bar_w + 110.0,
            of.len() as f64 * row_h + 8.0,
            &format!("{}: {m}", l.t("Absence outcomes", "Uitkomsten bij uitval")),
        );
        for (i, r) in of.iter().enumerate() {
            let y = i as f64 * row_h + 4.0 + row_h / 2.0;
            let k = poolings.iter().position(|p| *p == r.pooling).unwrap_or(0);
            let c = SERIES[k % SERIES.len()];
            let x = |v: f64| label_w + v.max(0.0) / max * bar_w;
            svg.text(label_w - 6.0, y + 4.0, "end", "", &clip(&r.pooling, 26));
            svg.line(label_w, y, label_w + bar_w, y, "#eef0f4", 1.0);
            svg.line(x(r.p50), y, x(r.p99), y, c, 4.0);
            svg.line(x(r.p90), y - 6.0, x(r.p90), y + 6.0, "#1d2430", 1.5);
            svg.rect(
                x(r.mean) - 4.0,
                y - 4.0,
                8.0,
                8.0,
                "#1d2430",
                Some(&format!(
                    "{}: {} {}, p50 {}, p90 {}, p99 {}",
                    r.pooling,
                    l.t("mean", "gemiddeld"),
                    l.short(r.mean, 2),
                    l.short(r.p50, 2),
                    l.short(r.p90, 2),
                    l.short(r.p99, 2)
                )),
            );
            svg.text(
                x(r.p99) + 8.0,
                y + 4.0,
                "start",
                "s",
                &format!("p99 {}", l.short(r.p99, 1)),
            );
        }
        let _ = write!(o, "<h3>{}</h3>", Esc(m));
        o.push_str(&svg.finish());
    }
    let _ = write!(
        o,
        "<table><thead><tr><th>{}</th><th>{}</th><th class=\"n\">{}</th><th class=\"n\">p50</th><th class=\"n\">p90</th><th class=\"n\">p99</th></tr></thead><tbody>",
        l.t("Pooling", "Poolen"),
        l.t("Metric", "Maat"),
        l.t("Mean", "Gemiddeld"),
    );
    for r in rows {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            Esc(&r.pooling),
            Esc(&r.metric),
            l.short(r.mean, 2),
            l.short(r.p50, 2),
            l.short(r.p90, 2),
            l.short(r.p99, 2)
        );
    }
    o.push_str("</tbody></table>");
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
                extra_unfilled_required_hours: 24.0,
                extra_stalled_projects: 3.0,
                roles: "planeconoom|jurist".into(),
                key: true,
            },
            KeyPerson {
                rank: 2.0,
                person_id: "p8".into(),
                name: "Ria".into(),
                municipality: "Oss".into(),
                extra_unfilled_required_hours: 4.0,
                extra_stalled_projects: 0.0,
                roles: "jurist".into(),
                key: false,
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
        d.absence = Some(vec![Absence {
            pooling: "agreements".into(),
            metric: "unfilled_required_hours".into(),
            mean: 30.0,
            p50: 24.0,
            p90: 60.0,
            p99: 96.0,
        }]);
        d
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
        assert!(r.html.contains("Kees &quot;de planeconoom&quot; Jansen"));
        assert!(r.html.contains("planeconoom, jurist"));
        assert!(r.html.contains("single point of failure"));
        assert!(r.html.contains("1 → 3"));
        assert!(r.html.contains("p99 96"));
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
