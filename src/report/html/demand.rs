//! Section "Demand and supply per discipline" (capacity.csv): for each
//! discipline a small chart over the planning periods, all on the same time
//! axis, of the hours a week its roles ask, the part the plan fills and the
//! hours a week of the people who have it. The disciplines with the most
//! open work come first. Left out when capacity.csv is absent.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::data::Demand;
use super::svg::{clip, Svg};
use super::{Ctx, Lang, Part};

/// Panels shown; the rest are named in a note.
pub const MAX_PANELS: usize = 12;

const DEMAND: &str = "#1d2430";
const ASSIGNED: &str = "#8fb8de";
const OPEN: &str = "#f2c4bd";
const SUPPLY: &str = "#2f7d4f";

/// Panel size and the plot area inside it.
const W: f64 = 340.0;
const H: f64 = 166.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 46.0;
const BOTTOM: f64 = 22.0;

/// One discipline over the periods, in hours a week.
pub(crate) struct Series<'a> {
    pub name: &'a str,
    pub demand: Vec<f64>,
    pub assigned: Vec<f64>,
    pub open: Vec<f64>,
    pub supply: Vec<f64>,
}

impl Series<'_> {
    /// Open hours a week added up over the periods: the open work over
    /// the horizon, which orders the panels.
    pub fn total_open(&self) -> f64 {
        self.open.iter().map(|v| v.max(0.0)).sum()
    }

    /// The period with the most open hours a week, and how many.
    fn peak_open(&self) -> Option<(usize, f64)> {
        let mut best: Option<(usize, f64)> = None;
        for (i, v) in self.open.iter().enumerate() {
            if *v > 0.0 && best.is_none_or(|(_, b)| *v > b) {
                best = Some((i, *v));
            }
        }
        best
    }
}

/// The periods in file order and every discipline's series, scarcest
/// first (most open work over the horizon), ties by name.
pub(crate) fn series(rows: &[Demand]) -> (Vec<&str>, Vec<Series<'_>>) {
    let mut periods: Vec<&str> = Vec::new();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows {
        index.entry(&r.period).or_insert_with(|| {
            periods.push(&r.period);
            periods.len() - 1
        });
    }
    let n = periods.len();
    let mut by_name: BTreeMap<&str, Series> = BTreeMap::new();
    for r in rows {
        let s = by_name.entry(&r.discipline).or_insert_with(|| Series {
            name: &r.discipline,
            demand: vec![0.0; n],
            assigned: vec![0.0; n],
            open: vec![0.0; n],
            supply: vec![0.0; n],
        });
        let t = index[r.period.as_str()];
        s.demand[t] += r.demand.max(0.0);
        s.assigned[t] += r.assigned.max(0.0);
        s.open[t] += r.open.max(0.0);
        s.supply[t] += r.supply.max(0.0);
    }
    let mut all: Vec<Series> = by_name.into_values().collect();
    all.sort_by(|a, b| {
        b.total_open()
            .partial_cmp(&a.total_open())
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.name.cmp(b.name))
    });
    (periods, all)
}

/// A round number at or above `v`: a power of ten times one of a few
/// steps whose halves are round too.
fn nice_max(v: f64) -> f64 {
    if !v.is_finite() || v <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|m| *m >= v - 1e-9)
        .unwrap_or(10.0 * p)
}

/// The year of a period label ("2027-03", "2027-Q1", "week-of-2027-03-01").
fn year(label: &str) -> Option<&str> {
    let b = label.as_bytes();
    (0..b.len().saturating_sub(3))
        .find(|&i| b[i..i + 4].iter().all(u8::is_ascii_digit))
        .map(|i| &label[i..i + 4])
}

/// A period label as a tick shows it.
fn tick_label(label: &str) -> &str {
    label.strip_prefix("week-of-").unwrap_or(label)
}

/// The period ticks: the first and last period, and the first period of
/// each year between them where there is room, as (period, label, anchor).
fn ticks<'a>(periods: &[&'a str]) -> Vec<(usize, &'a str, &'static str)> {
    let n = periods.len();
    let Some(last) = n.checked_sub(1) else {
        return Vec::new();
    };
    let step = (W - LEFT - RIGHT) / n as f64;
    let room = (40.0 / step).ceil() as usize;
    let mut out = vec![(0, tick_label(periods[0]), "start")];
    for i in 1..n {
        let new_year = year(periods[i]) != year(periods[i - 1]);
        let free = i >= out.last().map_or(0, |t| t.0) + room && i + room <= last;
        if new_year && free {
            out.push((i, year(periods[i]).unwrap_or(""), "middle"));
        }
    }
    if last > 0 {
        out.push((last, tick_label(periods[last]), "end"));
    }
    out
}

/// Step points of a series: each period a flat stretch of its width.
fn steps(v: &[f64], x: impl Fn(usize) -> f64, y: impl Fn(f64) -> f64) -> Vec<(f64, f64)> {
    v.iter()
        .enumerate()
        .flat_map(|(i, v)| [(x(i), y(*v)), (x(i + 1), y(*v))])
        .collect()
}

/// The panel's two heading lines: the discipline and its open peak.
fn heading(svg: &mut Svg, l: Lang, s: &Series, periods: &[&str]) {
    svg.text(2.0, 13.0, "start", "b", &clip(s.name, 40));
    let peak = match s.peak_open() {
        Some((t, v)) => format!(
            "{} {} {} {}",
            l.t("most open:", "meest open:"),
            l.num(v, 0),
            l.t("h/week in", "u/week in"),
            periods[t]
        ),
        None => l.t("nothing open", "niets open").to_string(),
    };
    svg.text(2.0, 26.0, "start", "s", &peak);
}

/// The hours-a-week scale and the period ticks.
fn axes(svg: &mut Svg, l: Lang, max: f64, periods: &[&str], x: impl Fn(usize) -> f64) {
    let ph = H - TOP - BOTTOM;
    for k in 0..=2 {
        let v = max * k as f64 / 2.0;
        let y = TOP + ph - ph * k as f64 / 2.0;
        svg.line(LEFT, y, W - RIGHT, y, "#e3e7ee", 1.0);
        svg.text(LEFT - 4.0, y + 3.0, "end", "s", &l.short(v, 1));
    }
    svg.text(LEFT, TOP - 10.0, "end", "s", l.t("h/week", "u/week"));
    let base = TOP + ph;
    for (i, label, anchor) in ticks(periods) {
        let at = match anchor {
            "start" => x(i),
            "end" => x(i + 1),
            _ => (x(i) + x(i + 1)) / 2.0,
        };
        svg.line(at, base, at, base + 3.0, "#5b6575", 1.0);
        svg.text(at, base + 13.0, anchor, "s", label);
    }
}

/// One discipline's chart.
fn panel(l: Lang, s: &Series, periods: &[&str]) -> String {
    let n = periods.len().max(1) as f64;
    let pw = W - LEFT - RIGHT;
    let ph = H - TOP - BOTTOM;
    let top = s.demand.iter().chain(&s.supply).chain(&s.assigned);
    let max = nice_max(top.copied().fold(0.0, f64::max));
    let x = |i: usize| LEFT + pw * i as f64 / n;
    let y = |v: f64| TOP + ph - v.max(0.0).min(max) / max * ph;
    let mut svg = Svg::new(
        W,
        H,
        &format!(
            "{}: {}",
            l.t("Demand and supply", "Vraag en aanbod"),
            s.name
        ),
    );
    heading(&mut svg, l, s, periods);
    axes(&mut svg, l, max, periods, x);
    let demand = steps(&s.demand, x, y);
    let assigned = steps(&s.assigned, x, y);
    let mut band = demand.clone();
    band.extend(assigned.iter().rev());
    svg.polygon(&band, OPEN);
    let mut area = vec![(x(0), y(0.0))];
    area.extend(&assigned);
    area.push((x(periods.len()), y(0.0)));
    svg.polygon(&area, ASSIGNED);
    svg.polyline(&demand, DEMAND, 1.5, "");
    svg.polyline(&steps(&s.supply, x, y), SUPPLY, 1.5, "4 3");
    for (t, p) in periods.iter().enumerate() {
        let tip = format!(
            "{} · {p}: {} {}, {} {}, {} {}, {} {} ({})",
            s.name,
            l.t("demand", "vraag"),
            l.short(s.demand[t], 1),
            l.t("assigned", "ingevuld"),
            l.short(s.assigned[t], 1),
            l.t("open", "open"),
            l.short(s.open[t], 1),
            l.t("supply", "aanbod"),
            l.short(s.supply[t], 1),
            l.t("hours a week", "uur per week"),
        );
        svg.rect(x(t), TOP, x(t + 1) - x(t), ph, "transparent", Some(&tip));
    }
    svg.finish()
}

/// The legend, drawn once above the panels.
fn legend(l: Lang) -> String {
    let mut svg = Svg::new(720.0, 18.0, l.t("Legend", "Legenda"));
    let items: [(&str, &str); 4] = [
        (
            "demand",
            l.t("demand (roles active)", "vraag (actieve rollen)"),
        ),
        (
            "assigned",
            l.t("assigned in the plan", "ingevuld in het plan"),
        ),
        ("open", l.t("open", "open")),
        (
            "supply",
            l.t(
                "supply (people with the discipline)",
                "aanbod (mensen met de discipline)",
            ),
        ),
    ];
    let mut x = 2.0;
    for (kind, label) in items {
        match kind {
            "demand" => svg.line(x, 9.0, x + 18.0, 9.0, DEMAND, 1.5),
            "supply" => svg.polyline(&[(x, 9.0), (x + 18.0, 9.0)], SUPPLY, 1.5, "4 3"),
            k => svg.rect(
                x,
                3.0,
                18.0,
                12.0,
                if k == "open" { OPEN } else { ASSIGNED },
                None,
            ),
        }
        svg.text(x + 24.0, 13.0, "start", "", label);
        x += 24.0 + label.chars().count() as f64 * 6.0 + 18.0;
    }
    svg.finish()
}

fn intro(l: Lang) -> &'static str {
    l.t(
        "Per discipline and planning period, in hours a week: what its active roles ask (demand), the part the plan fills (assigned) and leaves open, and the hours of the people who have the discipline (supply). The disciplines with the most open work over the whole horizon come first (open hours a week added up over the periods). The time axis is the same in every panel; each panel has its own hours-a-week scale.",
        "Per discipline en planperiode, in uren per week: wat de actieve rollen vragen (vraag), het deel dat het plan invult (ingevuld) en open laat, en de uren van de mensen met die discipline (aanbod). De disciplines met het meeste open werk over de hele looptijd staan eerst (open uren per week opgeteld over de perioden). De tijdas is in elk paneel dezelfde; elk paneel heeft een eigen schaal in uren per week.",
    )
}

pub fn render(ctx: &Ctx) -> Part {
    let l = ctx.lang;
    let title = l.t(
        "Demand and supply per discipline",
        "Vraag en aanbod per discipline",
    );
    let left_out = |why: &str| Part {
        id: "demand",
        title,
        body: Err(why.to_string()),
        detail: String::new(),
    };
    let Some(rows) = &ctx.d.demand else {
        return left_out("no capacity.csv (written by ploeg solve; older outputs lack it)");
    };
    let (periods, all) = series(rows);
    if all.is_empty() {
        return left_out("capacity.csv has no rows");
    }
    let mut o = String::new();
    let _ = write!(o, "<p>{}</p>", intro(l));
    o.push_str(&legend(l));
    o.push_str("<div class=\"multiples\">");
    for s in all.iter().take(MAX_PANELS) {
        o.push_str(&panel(l, s, &periods));
    }
    o.push_str("</div>");
    let hidden = all.len().saturating_sub(MAX_PANELS);
    if hidden > 0 {
        let _ = write!(
            o,
            "<p class=\"note\">{}</p>",
            match l {
                Lang::En => format!("{hidden} more disciplines with less open work are left out; capacity.csv has them all."),
                Lang::Nl => format!("Nog {hidden} disciplines met minder open werk staan hier niet; capacity.csv bevat ze allemaal."),
            }
        );
    }
    Part {
        id: "demand",
        title,
        detail: format!(
            "{} of {} disciplines × {} periods",
            all.len().min(MAX_PANELS),
            all.len(),
            periods.len()
        ),
        body: Ok(o),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{fixture, render as page, Options, ReportData};
    use super::*;

    fn row(period: &str, discipline: &str, demand: f64, assigned: f64, supply: f64) -> Demand {
        Demand {
            period: period.into(),
            discipline: discipline.into(),
            demand,
            assigned,
            open: demand - assigned,
            supply,
            people: 1.0,
        }
    }

    fn with(rows: Vec<Demand>) -> ReportData {
        let mut d = fixture::data();
        d.demand = Some(rows);
        d
    }

    fn section(html: &str) -> &str {
        let start = html.find("<section id=\"demand\">").expect("the section");
        let end = html[start..].find("</section>").unwrap();
        &html[start..start + end]
    }

    #[test]
    fn the_scarcest_disciplines_come_first_ties_by_name() {
        let mut rows = Vec::new();
        for t in ["2026-01", "2026-02"] {
            rows.push(row(t, "planeconoom", 8.0, 4.0, 40.0)); // 8 open
            rows.push(row(t, "ecoloog", 0.0, 0.0, 16.0)); // nothing open
            rows.push(row(t, "jurist", 24.0, 14.0, 16.0)); // 20 open
            rows.push(row(t, "adviseur", 4.0, 0.0, 0.0)); // 8 open
        }
        let (periods, all) = series(&rows);
        assert_eq!(periods, ["2026-01", "2026-02"]);
        let names: Vec<&str> = all.iter().map(|s| s.name).collect();
        assert_eq!(names, ["jurist", "adviseur", "planeconoom", "ecoloog"]);
        let html = page(&with(rows), &Options::default()).html;
        let s = section(&html);
        let at = |n: &str| {
            s.find(&format!("aria-label=\"Demand and supply: {n}\""))
                .unwrap()
        };
        assert!(at("jurist") < at("adviseur"));
        assert!(at("adviseur") < at("planeconoom"));
        assert!(at("planeconoom") < at("ecoloog"));
        assert!(s.contains("most open: 10 h/week in 2026-01"), "{s}");
        assert!(s.contains("nothing open"));
    }

    #[test]
    fn panels_are_capped_and_the_rest_named_in_a_note() {
        let rows: Vec<Demand> = (0..MAX_PANELS + 3)
            .map(|k| row("2026-01", &format!("d{k:02}"), 10.0 + k as f64, 0.0, 5.0))
            .collect();
        let html = page(&with(rows), &Options::default()).html;
        let s = section(&html);
        assert_eq!(
            s.matches("aria-label=\"Demand and supply: ").count(),
            MAX_PANELS
        );
        // The least scarce are the ones left out.
        assert!(s.contains("Demand and supply: d14\"") && !s.contains("Demand and supply: d02\""));
        assert!(s.contains(
            "3 more disciplines with less open work are left out; capacity.csv has them all."
        ));
        let r = page(&with(Vec::new()), &Options::default());
        let info = r.sections.iter().find(|s| s.id == "demand").unwrap();
        assert!(!info.shown && info.detail.contains("no rows"));
    }

    #[test]
    fn discipline_names_are_escaped() {
        let rows = vec![row("2026-01", "<b>&", 8.0, 0.0, 4.0)];
        let html = page(&with(rows), &Options::default()).html;
        let s = section(&html);
        assert!(s.contains("&lt;b&gt;&amp;"), "{s}");
        assert!(!s.contains("<b>&"));
    }

    #[test]
    fn both_languages() {
        let d = fixture::data();
        let en = page(&d, &Options::default()).html;
        let en = section(&en);
        assert!(en.contains("<h2>Demand and supply per discipline</h2>"));
        assert!(en.contains(">h/week<") && en.contains("supply (people with the discipline)"));
        let nl = page(
            &d,
            &Options {
                lang: Lang::Nl,
                ..Default::default()
            },
        )
        .html;
        let nl = section(&nl);
        assert!(nl.contains("<h2>Vraag en aanbod per discipline</h2>"));
        assert!(nl.contains(">u/week<") && nl.contains("aanbod (mensen met de discipline)"));
        assert!(nl.contains("meest open: 16 u/week in 2026-01"), "{nl}");
        assert!(!nl.contains("h/week") && !nl.contains("supply"));
    }

    #[test]
    fn left_out_without_capacity_csv() {
        let mut d = fixture::data();
        d.demand = None;
        let r = page(&d, &Options::default());
        let info = r.sections.iter().find(|s| s.id == "demand").unwrap();
        assert!(!info.shown);
        assert!(info.detail.contains("no capacity.csv"), "{}", info.detail);
        assert!(!r.html.contains("id=\"demand\""));
    }

    #[test]
    fn period_ticks_first_last_and_years_with_room() {
        let labels: Vec<String> = (0..36)
            .map(|i| format!("{}-{:02}", 2026 + i / 12, i % 12 + 1))
            .collect();
        let periods: Vec<&str> = labels.iter().map(String::as_str).collect();
        let t: Vec<(usize, &str)> = ticks(&periods).iter().map(|t| (t.0, t.1)).collect();
        assert_eq!(
            t,
            [(0, "2026-01"), (12, "2027"), (24, "2028"), (35, "2028-12")]
        );
        // A year that starts just before the end gives way to the last label.
        let t = ticks(&periods[..26]);
        assert_eq!(t.last().unwrap().1, "2028-02");
        assert!(!t.iter().any(|t| t.1 == "2028"));
        assert_eq!(ticks(&["week-of-2027-03-01"]).len(), 1);
        assert_eq!(ticks(&["week-of-2027-03-01"])[0].1, "2027-03-01");
        assert_eq!(year("2027-Q3"), Some("2027"));
    }

    #[test]
    fn scales_end_on_round_numbers() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(7.0), 8.0);
        assert_eq!(nice_max(32.0), 40.0);
        assert_eq!(nice_max(560.0), 600.0);
        assert_eq!(nice_max(9.5), 10.0);
        assert_eq!(nice_max(200.0), 200.0);
        assert_eq!(nice_max(210.0), 250.0);
        assert_eq!(nice_max(f64::NAN), 1.0);
    }
}
