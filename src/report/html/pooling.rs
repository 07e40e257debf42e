//! Section "Pooling" (from `ploeg pool`): the pooling modes side by side per
//! municipality (pool_comparison.csv), the work that flows between
//! municipalities under each mode (pool_flows.csv), as a matrix, and the
//! people lent most (pooled_people.csv). Work is in role-hours over the
//! planning horizon. Left out when none of these files is in the output
//! folder.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::data::{Flow, PoolRow, PooledPerson};
use super::escape::Esc;
use super::svg::{clip, mix, Svg, SERIES};
use super::{Ctx, Lang, Names, Part};

/// People listed per mode in "who is lent most".
const MAX_POOLED: usize = 10;

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

/// A change with its sign: "+12", "-320", "0".
fn signed(l: Lang, v: f64) -> String {
    if v.round() > 0.0 {
        format!("+{}", l.num(v, 0))
    } else {
        l.num(v, 0)
    }
}

/// One row of the modes table: the totals of a mode over its municipalities.
fn mode_row(o: &mut String, l: Lang, mode: &str, of: &[&PoolRow]) {
    let k = of.len().max(1) as f64;
    let sum = |f: fn(&PoolRow) -> f64| of.iter().map(|r| f(r)).sum::<f64>();
    let change = if of.iter().any(|r| r.unfilled_change.is_some()) {
        signed(l, of.iter().filter_map(|r| r.unfilled_change).sum())
    } else {
        "–".to_string()
    };
    let peak = of
        .iter()
        .map(|r| r.peak_net_lent_hours_per_week)
        .fold(0.0, f64::max);
    let _ = write!(
        o,
        "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{} / {}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
        Esc(mode),
        l.num(sum(|r| r.required_role_hours), 0),
        l.num(sum(|r| r.unfilled_required_role_hours), 0),
        change,
        l.num(sum(|r| r.blocked_phases), 0),
        l.num(sum(|r| r.phases), 0),
        l.pct(sum(|r| r.balance) / k),
        l.num(sum(|r| r.lent_role_hours), 0),
        l.num(sum(|r| r.people_lent), 0),
        l.num(peak, 0),
        l.pct(sum(|r| r.home_share) / k),
    );
}

fn modes_table(o: &mut String, l: Lang, rows: &[PoolRow], modes: &[&str]) {
    let _ = write!(
        o,
        "<h3>{}</h3><p>{}</p><table><thead><tr><th>{}</th>",
        l.t("Modes side by side", "Varianten naast elkaar"),
        l.t(
            "Work in role-hours over the planning horizon: a role of h hours a week in a phase of w weeks is h × w role-hours. A phase is blocked while a required role in it is open.",
            "Werk in rol-uren over de looptijd: een rol van h uur per week in een fase van w weken is h × w rol-uren. Een fase is geblokkeerd zolang een verplichte rol erin open is.",
        ),
        l.t("Mode", "Variant"),
    );
    for h in [
        l.t("Required work (role-hours)", "Verplicht werk (rol-uren)"),
        l.t("Open required (role-hours)", "Open verplicht (rol-uren)"),
        l.t("Change against none", "Verschil met none"),
        l.t("Blocked phases", "Geblokkeerde fasen"),
        l.t("Balance (mean)", "Balans (gemiddeld)"),
        l.t("Lent (role-hours)", "Uitgeleend (rol-uren)"),
        l.t("People lent", "Mensen uitgeleend"),
        l.t(
            "Most lent out net (h/week)",
            "Meeste netto uitgeleend (u/week)",
        ),
        l.t("Home share (mean)", "Thuisaandeel (gemiddeld)"),
    ] {
        let _ = write!(o, "<th class=\"n\">{}</th>", Esc(h));
    }
    o.push_str("</tr></thead><tbody>");
    for m in modes {
        let of: Vec<&PoolRow> = rows.iter().filter(|r| r.mode == *m).collect();
        mode_row(o, l, m, &of);
    }
    o.push_str("</tbody></table>");
}

/// Open required role-hours per municipality, one bar per mode, with the
/// phases blocked.
/// Geometry of the open-work chart: label column, bar length, bar height.
const LABEL_W: f64 = 170.0;
const BAR_W: f64 = 500.0;
const BAR_H: f64 = 11.0;

/// One municipality's bar under one mode, with its blocked phases.
fn open_bar(svg: &mut Svg, l: Lang, r: &PoolRow, k: usize, y: f64, max: f64) {
    let v = r.unfilled_required_role_hours;
    let w = v.max(0.0) / max * BAR_W;
    let blocked = format!(
        "{} / {} {}",
        l.num(r.blocked_phases, 0),
        l.num(r.phases, 0),
        l.t("phases blocked", "fasen geblokkeerd")
    );
    let tip = format!(
        "{} · {}: {} {}, {blocked}",
        r.municipality,
        r.mode,
        l.num(v, 0),
        l.t("required role-hours open", "verplichte rol-uren open")
    );
    let colour = SERIES[k % SERIES.len()];
    svg.rect(LABEL_W, y, w, BAR_H - 2.0, colour, Some(&tip));
    let tag = format!("{} · {blocked}", l.num(v, 0));
    svg.text(LABEL_W + w + 4.0, y + BAR_H - 3.0, "start", "s", &tag);
}

/// Open required role-hours per municipality, one bar per mode, with the
/// phases blocked.
fn open_chart(o: &mut String, l: Lang, rows: &[PoolRow], modes: &[&str]) {
    let munis = distinct(rows.iter().map(|r| r.municipality.as_str()));
    let max = rows
        .iter()
        .map(|r| r.unfilled_required_role_hours)
        .fold(1.0, f64::max);
    let group_h = BAR_H * modes.len() as f64 + 8.0;
    let mut svg = Svg::new(
        LABEL_W + BAR_W + 210.0,
        group_h * munis.len() as f64 + 4.0,
        l.t(
            "Open required role-hours per municipality and mode",
            "Open verplichte rol-uren per gemeente en variant",
        ),
    );
    for (g, muni) in munis.iter().enumerate() {
        let y0 = g as f64 * group_h + 4.0;
        let label = clip(muni, 26);
        svg.text(LABEL_W - 8.0, y0 + group_h / 2.0, "end", "", &label);
        for (k, m) in modes.iter().enumerate() {
            let found = rows
                .iter()
                .find(|r| r.mode == *m && r.municipality == *muni);
            if let Some(r) = found {
                open_bar(&mut svg, l, r, k, y0 + k as f64 * BAR_H, max);
            }
        }
    }
    let _ = write!(
        o,
        "<h3>{}</h3>",
        l.t(
            "Open required work over the horizon, per municipality (role-hours)",
            "Open verplicht werk over de looptijd, per gemeente (rol-uren)"
        )
    );
    o.push_str(&svg.finish());
    o.push_str("<p class=\"legend\">");
    for (k, m) in modes.iter().enumerate() {
        let colour = SERIES[k % SERIES.len()];
        let _ = write!(o, "<i style=\"background:{colour}\"></i>{}", Esc(m));
    }
    o.push_str("</p>");
}

fn comparison(o: &mut String, l: Lang, rows: &[PoolRow]) {
    let modes = distinct(rows.iter().map(|r| r.mode.as_str()));
    modes_table(o, l, rows, &modes);
    open_chart(o, l, rows, &modes);
}

/// Geometry of the flow matrix: label column, cell width and height, header.
const FLOW_LABEL_W: f64 = 150.0;
const CELL_W: f64 = 84.0;
const CELL_H: f64 = 24.0;
const FLOW_TOP: f64 = 30.0;

/// One cell of the flow matrix: role-hours and people from `from` to `to`,
/// shaded by the share of the largest flow.
fn flow_cell(
    svg: &mut Svg,
    l: Lang,
    at: (f64, f64),
    from: &str,
    to: &str,
    cell: (f64, f64),
    max: f64,
) {
    let ((x, y), (h, p)) = (at, cell);
    let t = h / max;
    let fill = if from == to {
        "#ffffff".to_string()
    } else {
        mix("#f3f5f8", "#1f5f99", t)
    };
    let tip = format!(
        "{from} → {to}: {} {}, {} {}",
        l.num(h, 0),
        l.t("role-hours", "rol-uren"),
        l.num(p, 0),
        l.t("people", "mensen")
    );
    svg.rect(
        x + 1.0,
        y + 1.0,
        CELL_W - 2.0,
        CELL_H - 2.0,
        &fill,
        Some(&tip),
    );
    if h > 0.0 {
        let class = if t > 0.55 { "w" } else { "" };
        let label = format!("{} ({})", l.num(h, 0), l.num(p, 0));
        svg.text(
            x + CELL_W / 2.0,
            y + CELL_H / 2.0 + 4.0,
            "middle",
            class,
            &label,
        );
    }
}

/// One mode's flows as a from × to matrix of role-hours.
fn flow_matrix(l: Lang, mode: &str, of: &[&Flow]) -> String {
    let mut cells: BTreeMap<(&str, &str), (f64, f64)> = BTreeMap::new();
    for f in of {
        let c = cells.entry((&f.from, &f.to)).or_default();
        c.0 += f.role_hours;
        c.1 += f.people;
    }
    let mut names: Vec<&str> = of
        .iter()
        .flat_map(|f| [f.from.as_str(), f.to.as_str()])
        .collect();
    names.sort_unstable();
    names.dedup();
    let max = cells.values().map(|c| c.0).fold(1.0, f64::max);
    let mut svg = Svg::new(
        FLOW_LABEL_W + CELL_W * names.len() as f64 + 4.0,
        FLOW_TOP + CELL_H * names.len() as f64 + 4.0,
        &format!("{} {mode}", l.t("Flows under", "Stromen bij")),
    );
    let corner = l.t("from ↓ to →", "van ↓ naar →");
    svg.text(FLOW_LABEL_W - 6.0, 12.0, "end", "s", corner);
    for (j, to) in names.iter().enumerate() {
        let x = FLOW_LABEL_W + j as f64 * CELL_W + CELL_W / 2.0;
        svg.text(x, FLOW_TOP - 8.0, "middle", "b", &clip(to, 13));
    }
    for (i, from) in names.iter().enumerate() {
        let y = FLOW_TOP + i as f64 * CELL_H;
        let label = clip(from, 22);
        svg.text(
            FLOW_LABEL_W - 6.0,
            y + CELL_H / 2.0 + 4.0,
            "end",
            "b",
            &label,
        );
        for (j, to) in names.iter().enumerate() {
            let x = FLOW_LABEL_W + j as f64 * CELL_W;
            let cell = cells.get(&(*from, *to)).copied().unwrap_or((0.0, 0.0));
            flow_cell(&mut svg, l, (x, y), from, to, cell, max);
        }
    }
    svg.finish()
}

fn flows(o: &mut String, l: Lang, flows: &[Flow]) {
    let _ = write!(
        o,
        "<h3>{}</h3><p>{}</p>",
        l.t(
            "Flows between municipalities (role-hours)",
            "Stromen tussen gemeenten (rol-uren)"
        ),
        l.t(
            "Role-hours over the planning horizon that people from the row's municipality work in projects of the column's municipality (number of people in brackets).",
            "Rol-uren over de looptijd die mensen uit de gemeente van de rij werken in projecten van de gemeente van de kolom (aantal mensen tussen haakjes).",
        )
    );
    let mut any = false;
    for m in distinct(flows.iter().map(|f| f.mode.as_str())) {
        let of: Vec<&Flow> = flows
            .iter()
            .filter(|f| f.mode == m && f.role_hours > 0.0)
            .collect();
        if of.is_empty() {
            continue;
        }
        any = true;
        let _ = write!(o, "<h3>{}: {}</h3>", l.t("Mode", "Variant"), Esc(m));
        o.push_str(&flow_matrix(l, m, &of));
    }
    if !any {
        let _ = write!(
            o,
            "<p class=\"note\">{}</p>",
            l.t(
                "No work flows between municipalities in any mode.",
                "In geen enkele variant gaat werk over gemeentegrenzen."
            )
        );
    }
}

/// The people lent most under each mode.
fn pooled_people(o: &mut String, l: Lang, names: &Names, rows: &[PooledPerson]) {
    let _ = write!(
        o,
        "<h3>{}</h3><table><thead><tr><th>{}</th><th class=\"n\">#</th><th>{}</th><th>{}</th><th class=\"n\">{}</th><th>{}</th></tr></thead><tbody>",
        l.t("Who is lent most", "Wie het meest wordt uitgeleend"),
        l.t("Mode", "Variant"),
        l.t("Person", "Persoon"),
        l.t("Home", "Thuisgemeente"),
        l.t("Lent (role-hours)", "Uitgeleend (rol-uren)"),
        l.t("Also works for", "Werkt ook voor"),
    );
    let mut cut = false;
    for m in distinct(rows.iter().map(|r| r.mode.as_str())) {
        let mut of: Vec<&PooledPerson> = rows.iter().filter(|r| r.mode == m).collect();
        of.sort_by(|a, b| {
            a.rank
                .partial_cmp(&b.rank)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        cut |= of.len() > MAX_POOLED;
        for r in of.into_iter().take(MAX_POOLED) {
            let _ = write!(
                o,
                "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                Esc(m),
                l.num(r.rank, 0),
                Esc(&names.person(&r.person_id, &r.name)),
                Esc(&r.home_municipality),
                l.num(r.lent_role_hours, 0),
                Esc(&r.serves.join(", ")),
            );
        }
    }
    o.push_str("</tbody></table>");
    if cut {
        let _ = write!(
            o,
            "<p class=\"note\">{}</p>",
            l.t(
                "The ten lent most per mode are shown; pooled_people.csv has everyone.",
                "De tien die per variant het meest worden uitgeleend staan hier; pooled_people.csv bevat iedereen.",
            )
        );
    }
}

pub fn render(ctx: &Ctx) -> Part {
    let l = ctx.lang;
    let title = l.t("Pooling between municipalities", "Poolen tussen gemeenten");
    let d = ctx.d;
    if d.pool_comparison.is_none() && d.pool_flows.is_none() && d.pooled_people.is_none() {
        return Part {
            id: "pooling",
            title,
            body: Err(
                "no pool_comparison.csv, pool_flows.csv or pooled_people.csv (made by ploeg pool)"
                    .into(),
            ),
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
        let modes = distinct(rows.iter().map(|r| r.mode.as_str())).len();
        detail.push(format!("{modes} modes"));
    }
    if let Some(f) = &d.pool_flows {
        flows(&mut o, l, f);
        detail.push(format!("{} flows", f.len()));
    }
    if let Some(p) = d.pooled_people.as_ref().filter(|p| !p.is_empty()) {
        pooled_people(&mut o, l, &ctx.names, p);
        detail.push(format!("{} pooled people", p.len()));
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
    use crate::report::pseudonym::Pseudonymiser;

    fn with_pooling() -> super::super::ReportData {
        let mut d = fixture::data();
        let row = |mode: &str, muni: &str, open: f64, blocked: f64, lent: f64| PoolRow {
            mode: mode.into(),
            municipality: muni.into(),
            required_role_hours: 1200.0,
            unfilled_required_role_hours: open,
            phases: 4.0,
            blocked_phases: blocked,
            balance: 0.8,
            lent_role_hours: lent,
            net_lent_role_hours: lent,
            peak_net_lent_hours_per_week: lent / 26.0,
            home_share: 0.9,
            people_lent: if lent > 0.0 { 1.0 } else { 0.0 },
            ..Default::default()
        };
        let mut rows = vec![
            row("none", "Oss", 416.0, 2.0, 0.0),
            row("none", "<Breda>", 208.0, 1.0, 0.0),
            row("agreements", "Oss", 96.0, 1.0, 0.0),
            row("agreements", "<Breda>", 208.0, 1.0, 416.0),
        ];
        for r in &mut rows {
            r.unfilled_change = Some(if r.mode == "none" {
                0.0
            } else {
                r.unfilled_required_role_hours
                    - if r.municipality == "Oss" {
                        416.0
                    } else {
                        208.0
                    }
            });
        }
        d.pool_comparison = Some(rows);
        d.pool_flows = Some(vec![Flow {
            mode: "agreements".into(),
            from: "<Breda>".into(),
            to: "Oss".into(),
            role_hours: 416.0,
            people: 2.0,
        }]);
        d.pooled_people = Some(vec![PooledPerson {
            mode: "agreements".into(),
            rank: 1.0,
            person_id: "p2".into(),
            name: "Anna de Wit".into(),
            home_municipality: "<Breda>".into(),
            lent_role_hours: 416.0,
            serves: vec!["Oss".into(), "Uden".into()],
        }]);
        d
    }

    fn section(html: &str) -> &str {
        let start = html.find("<section id=\"pooling\">").expect("the section");
        &html[start..start + html[start..].find("</section>").unwrap()]
    }

    #[test]
    fn modes_side_by_side_in_role_hours_and_blocked_phases() {
        let r = page(&with_pooling(), &Options::default());
        let info = r.sections.iter().find(|s| s.id == "pooling").unwrap();
        assert!(info.shown);
        assert!(info.detail.contains("2 modes") && info.detail.contains("1 pooled people"));
        let s = section(&r.html);
        // Totals per mode: none leaves 624 required role-hours open and
        // blocks 3 of 8 phases; agreements 304, 320 fewer, 2 of 8.
        assert!(
            s.contains("<td>none</td><td class=\"n\">2,400</td><td class=\"n\">624</td><td class=\"n\">0</td><td class=\"n\">3 / 8</td>"),
            "{s}"
        );
        assert!(s.contains("<td>agreements</td><td class=\"n\">2,400</td><td class=\"n\">304</td><td class=\"n\">-320</td><td class=\"n\">2 / 8</td>"));
        assert!(s.contains("<th class=\"n\">Open required (role-hours)</th>"));
        assert!(s.contains("<th class=\"n\">Blocked phases</th>"));
        assert!(s.contains("Open required work over the horizon, per municipality (role-hours)"));
        assert!(s.contains("Oss · none: 416 required role-hours open, 2 / 4 phases blocked"));
        assert!(s.contains("&lt;Breda&gt; → Oss: 416 role-hours, 2 people"));
        assert!(s.contains(
            "<td>Anna de Wit</td><td>&lt;Breda&gt;</td><td class=\"n\">416</td><td>Oss, Uden</td>"
        ));
        for old in [
            "stall",
            "Stalled",
            "hours per week",
            "Required h/week",
            "Hours lent",
        ] {
            assert!(!s.contains(old), "{old}");
        }
        assert!(!r.html.contains("<Breda>"));
    }

    #[test]
    fn dutch_captions_say_the_unit() {
        let opts = Options {
            lang: Lang::Nl,
            ..Default::default()
        };
        let html = page(&with_pooling(), &opts).html;
        let s = section(&html);
        assert!(s.contains("Open verplicht werk over de looptijd, per gemeente (rol-uren)"));
        assert!(s.contains("<th class=\"n\">Geblokkeerde fasen</th>"));
        assert!(s.contains("&lt;Breda&gt; → Oss: 416 rol-uren, 2 mensen"));
        assert!(s.contains("2.400") && s.contains("2 / 4 fasen geblokkeerd"));
        assert!(!s.contains("Stilstaande") && !s.contains("uren per week"));
    }

    #[test]
    fn pooled_people_are_pseudonymised() {
        let key = Pseudonymiser::with_key([5; 32]);
        let opts = Options {
            pseudonyms: Some(key.clone()),
            ..Default::default()
        };
        let html = page(&with_pooling(), &opts).html;
        let s = section(&html);
        assert!(!s.contains("Anna"));
        assert!(s.contains(&key.name("p2", "Person")));
    }

    #[test]
    fn left_out_without_its_files() {
        let r = page(&fixture::data(), &Options::default());
        assert!(!r.html.contains("id=\"pooling\""));
    }
}
