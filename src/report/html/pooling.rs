//! Section "Pooling" (from `ploeg pool`): the pooling modes side by side per
//! municipality (pool_comparison.csv) and the hours that flow between
//! municipalities under each mode (pool_flows.csv), as a matrix.
//! Left out when neither file is in the output folder.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::data::{Flow, PoolRow};
use super::escape::Esc;
use super::svg::{clip, mix, Svg, SERIES};
use super::{Ctx, Lang, Part};

/// Distinct values in order of first appearance.
fn distinct<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for n in names {
        if !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

fn comparison(o: &mut String, l: Lang, rows: &[PoolRow]) {
    let modes = distinct(rows.iter().map(|r| r.mode.as_str()));
    let munis = distinct(rows.iter().map(|r| r.municipality.as_str()));
    // Totals per mode.
    let _ = write!(
        o,
        "<h3>{}</h3><table><thead><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead><tbody>",
        l.t("Modes side by side", "Varianten naast elkaar"),
        l.t("Mode", "Variant"),
        l.t("Required h/week", "Verplichte u/week"),
        l.t("Unfilled required", "Niet ingevuld verplicht"),
        l.t("Stalled projects", "Stilstaande projecten"),
        l.t("Balance (mean)", "Balans (gemiddeld)"),
        l.t("Hours lent", "Uren uitgeleend"),
        l.t("Home share (mean)", "Thuisaandeel (gemiddeld)"),
    );
    for m in &modes {
        let of: Vec<&PoolRow> = rows.iter().filter(|r| r.mode == *m).collect();
        let k = of.len().max(1) as f64;
        let sum = |f: fn(&PoolRow) -> f64| of.iter().map(|r| f(r)).sum::<f64>();
        let _ = write!(
            o,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            Esc(m),
            l.num(sum(|r| r.required_hours), 0),
            l.num(sum(|r| r.unfilled_required_hours), 0),
            l.num(sum(|r| r.stalled_projects), 0),
            l.pct(sum(|r| r.balance) / k),
            l.num(sum(|r| r.hours_lent), 0),
            l.pct(sum(|r| r.home_share) / k),
        );
    }
    o.push_str("</tbody></table>");

    // Unfilled required hours per municipality, one bar per mode.
    let max = rows
        .iter()
        .map(|r| r.unfilled_required_hours)
        .fold(1.0, f64::max);
    let (label_w, bar_w, bar_h) = (170.0, 560.0, 11.0);
    let group_h = bar_h * modes.len() as f64 + 8.0;
    let mut svg = Svg::new(
        label_w + bar_w + 90.0,
        group_h * munis.len() as f64 + 4.0,
        l.t(
            "Unfilled required hours per municipality and mode",
            "Niet ingevulde verplichte uren per gemeente en variant",
        ),
    );
    for (g, muni) in munis.iter().enumerate() {
        let y0 = g as f64 * group_h + 4.0;
        svg.text(
            label_w - 8.0,
            y0 + group_h / 2.0,
            "end",
            "",
            &clip(muni, 26),
        );
        for (k, m) in modes.iter().enumerate() {
            let v = rows
                .iter()
                .find(|r| r.mode == *m && r.municipality == *muni)
                .map(|r| r.unfilled_required_hours);
            let y = y0 + k as f64 * bar_h;
            if let Some(v) = v {
                svg.rect(
                    label_w,
                    y,
                    v / max * bar_w,
                    bar_h - 2.0,
                    SERIES[k % SERIES.len()],
                    Some(&format!("{muni} · {m}: {} h", l.num(v, 0))),
                );
                svg.text(
                    label_w + v / max * bar_w + 4.0,
                    y + bar_h - 3.0,
                    "start",
                    "s",
                    &l.num(v, 0),
                );
            }
        }
    }
    let _ = write!(
        o,
        "<h3>{}</h3>",
        l.t(
            "Unfilled required hours per week, per municipality",
            "Niet ingevulde verplichte uren per week, per gemeente"
        )
    );
    o.push_str(&svg.finish());
    o.push_str("<p class=\"legend\">");
    for (k, m) in modes.iter().enumerate() {
        let _ = write!(
            o,
            "<i style=\"background:{}\"></i>{}",
            SERIES[k % SERIES.len()],
            Esc(m)
        );
    }
    o.push_str("</p>");
}

fn flows(o: &mut String, l: Lang, flows: &[Flow]) {
    let _ = write!(
        o,
        "<h3>{}</h3><p>{}</p>",
        l.t(
            "Flows between municipalities",
            "Stromen tussen gemeenten"
        ),
        l.t(
            "Hours per week that people from the row's municipality work in the column's municipality (number of people in brackets).",
            "Uren per week die mensen uit de gemeente van de rij werken in de gemeente van de kolom (aantal mensen tussen haakjes).",
        )
    );
    let mut any = false;
    for m in distinct(flows.iter().map(|f| f.mode.as_str())) {
        let of: Vec<&Flow> = flows
            .iter()
            .filter(|f| f.mode == m && f.hours > 0.0)
            .collect();
        if of.is_empty() {
            continue;
        }
        any = true;
        let mut cells: BTreeMap<(&str, &str), (f64, f64)> = BTreeMap::new();
        for f in &of {
            let c = cells.entry((&f.from, &f.to)).or_default();
            c.0 += f.hours;
            c.1 += f.people;
        }
        let names = {
            let mut v: Vec<&str> = of
                .iter()
                .flat_map(|f| [f.from.as_str(), f.to.as_str()])
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let max = cells.values().map(|c| c.0).fold(1.0, f64::max);
        let (label_w, cw, ch, top) = (150.0, 70.0, 24.0, 30.0);
        let width = label_w + cw * names.len() as f64 + 4.0;
        let mut svg = Svg::new(
            width,
            top + ch * names.len() as f64 + 4.0,
            &format!("{} {m}", l.t("Flows under", "Stromen bij")),
        );
        svg.text(
            label_w - 6.0,
            12.0,
            "end",
            "s",
            l.t("from ↓ to →", "van ↓ naar →"),
        );
        for (j, to) in names.iter().enumerate() {
            svg.text(
                label_w + j as f64 * cw + cw / 2.0,
                top - 8.0,
                "middle",
                "b",
                &clip(to, 11),
            );
        }
        for (i, from) in names.iter().enumerate() {
            let y = top + i as f64 * ch;
            svg.text(
                label_w - 6.0,
                y + ch / 2.0 + 4.0,
                "end",
                "b",
                &clip(from, 22),
            );
            for (j, to) in names.iter().enumerate() {
                let x = label_w + j as f64 * cw;
                let (h, p) = cells.get(&(*from, *to)).copied().unwrap_or((0.0, 0.0));
                let t = h / max;
                let fill = if i == j {
                    "#ffffff".to_string()
                } else {
                    mix("#f3f5f8", "#1f5f99", t)
                };
                svg.rect(
                    x + 1.0,
                    y + 1.0,
                    cw - 2.0,
                    ch - 2.0,
                    &fill,
                    Some(&format!(
                        "{from} → {to}: {} h, {} {}",
                        l.num(h, 0),
                        l.num(p, 0),
                        l.t("people", "mensen")
                    )),
                );
                if h > 0.0 {
                    svg.text(
                        x + cw / 2.0,
                        y + ch / 2.0 + 4.0,
                        "middle",
                        if t > 0.55 { "w" } else { "" },
                        &format!("{} ({})", l.num(h, 0), l.num(p, 0)),
                    );
                }
            }
        }
        let _ = write!(o, "<h3>{}: {}</h3>", l.t("Mode", "Variant"), Esc(m));
        o.push_str(&svg.finish());
    }
    if !any {
        let _ = write!(
            o,
            "<p class=\"note\">{}</p>",
            l.t(
                "No hours flow between municipalities in any mode.",
                "In geen enkele variant gaan uren over gemeentegrenzen."
            )
        );
    }
}

pub fn render(ctx: &Ctx) -> Part {
    let l = ctx.lang;
    let title = l.t("Pooling between municipalities", "Poolen tussen gemeenten");
    let d = ctx.d;
    if d.pool_comparison.is_none() && d.pool_flows.is_none() {
        return Part {
            id: "pooling",
            title,
            body: Err("no pool_comparison.csv or pool_flows.csv (made by ploeg pool)".into()),
            detail: String::new(),
        };
    }
    let mut o = String::new();
    let _ = write!(
        o,
        "<p>{}</p>",
        l.t(
            "What each municipality gains or gives when scarce people are shared: the same portfolio planned under each pooling mode.",
            "Wat elke gemeente wint of geeft als schaarse mensen worden gedeeld: dezelfde portefeuille gepland onder elke variant van poolen.",
        )
    );
    let mut detail = Vec::new();
    if let Some(rows) = &d.pool_comparison {
        comparison(&mut o, l, rows);
        detail.push(format!(
            "{} modes",
            distinct(rows.iter().map(|r| r.mode.as_str())).len()
        ));
    }
    if let Some(f) = &d.pool_flows {
        flows(&mut o, l, f);
        detail.push(format!("{} flows", f.len()));
    }
    Part {
        id: "pooling",
        title,
        detail: detail.join(", "),
        body: Ok(o),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{fixture, render as page, Options};
    use super::*;

    fn with_pooling() -> super::super::ReportData {
        let mut d = fixture::data();
        let row = |mode: &str, muni: &str, unfilled: f64, lent: f64| PoolRow {
            mode: mode.into(),
            municipality: muni.into(),
            required_hours: 100.0,
            unfilled_required_hours: unfilled,
            stalled_projects: 1.0,
            balance: 0.8,
            hours_lent: lent,
            hours_borrowed: 0.0,
            home_share: 0.9,
        };
        d.pool_comparison = Some(vec![
            row("none", "Oss", 40.0, 0.0),
            row("none", "<Breda>", 20.0, 0.0),
            row("agreements", "Oss", 10.0, 0.0),
            row("agreements", "<Breda>", 20.0, 16.0),
        ]);
        d.pool_flows = Some(vec![Flow {
            mode: "agreements".into(),
            from: "<Breda>".into(),
            to: "Oss".into(),
            hours: 16.0,
            people: 2.0,
        }]);
        d
    }

    #[test]
    fn modes_side_by_side_and_a_flow_matrix() {
        let r = page(&with_pooling(), &Options::default());
        let s = r.sections.iter().find(|s| s.id == "pooling").unwrap();
        assert!(s.shown);
        assert!(r.html.contains("<section id=\"pooling\">"));
        // Totals per mode: none leaves 60 required hours open, agreements 30.
        assert!(
            r.html
                .contains("<td>none</td><td class=\"n\">200</td><td class=\"n\">60</td>"),
            "{}",
            r.html
        );
        assert!(r
            .html
            .contains("<td>agreements</td><td class=\"n\">200</td><td class=\"n\">30</td>"));
        assert!(r.html.contains("&lt;Breda&gt; → Oss: 16 h, 2 people"));
        assert!(!r.html.contains("<Breda>"));
    }

    #[test]
    fn left_out_without_its_files() {
        let r = page(&fixture::data(), &Options::default());
        assert!(!r.html.contains("id=\"pooling\""));
    }
}
