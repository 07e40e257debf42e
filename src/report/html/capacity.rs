//! Section "Capacity": a heatmap of people × planning periods, coloured by
//! utilisation (load.csv). Large scenarios show the busiest people and a
//! row for everyone's mean, and merge periods into wider columns, so the
//! chart stays one page whatever the size.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::data::Load;
use super::svg::{clip, Svg};
use super::{Ctx, Lang, Part};

/// People shown one by one; beyond this, the busiest.
pub const MAX_PEOPLE: usize = 60;
/// Columns; beyond this, periods are merged (each column shows the peak).
const MAX_COLUMNS: usize = 72;

/// Utilisation bands: upper limit (inclusive) and colour.
const BANDS: [(f64, &str); 6] = [
    (0.0, "#f3f5f8"),
    (0.5, "#cfe0f1"),
    (0.8, "#8fb8de"),
    (0.95, "#4a88c7"),
    (1.0001, "#1f5f99"),
    (f64::INFINITY, "#c0392b"),
];

fn band(u: f64) -> usize {
    BANDS
        .iter()
        .position(|(hi, _)| u <= *hi)
        .unwrap_or(BANDS.len() - 1)
}

fn band_label(l: Lang, b: usize) -> String {
    match b {
        0 => l.t("free", "vrij").to_string(),
        1 => "< 50%".into(),
        2 => "50–80%".into(),
        3 => "80–95%".into(),
        4 => "95–100%".into(),
        _ => l.t("over capacity", "boven capaciteit").into(),
    }
}

struct Row {
    label: String,
    tooltip: String,
    values: Vec<f64>,
    mean: f64,
}

pub fn render(ctx: &Ctx) -> Part {
    let l = ctx.lang;
    let title = l.t("Capacity over time", "Capaciteit in de tijd");
    let d = ctx.d;
    if d.load.is_empty() {
        return Part {
            id: "capacity",
            title,
            body: Err("load.csv has no rows".into()),
            detail: String::new(),
        };
    }
    // Periods in file order; people in file order.
    let mut periods: Vec<&str> = Vec::new();
    let mut period_index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut people: Vec<(&Load, Vec<f64>)> = Vec::new();
    let mut person_index: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &d.load {
        let t = *period_index.entry(&r.period).or_insert_with(|| {
            periods.push(&r.period);
            periods.len() - 1
        });
        let p = *person_index.entry(&r.person_id).or_insert_with(|| {
            people.push((r, Vec::new()));
            people.len() - 1
        });
        let v = &mut people[p].1;
        if v.len() <= t {
            v.resize(t + 1, 0.0);
        }
        v[t] = v[t].max(r.utilisation);
    }
    let cols = periods.len();
    for p in &mut people {
        p.1.resize(cols, 0.0);
    }
    let per_col = cols.div_ceil(MAX_COLUMNS).max(1);
    let merged = |v: &[f64]| -> Vec<f64> {
        v.chunks(per_col)
            .map(|c| c.iter().copied().fold(0.0, f64::max))
            .collect()
    };
    let labels: Vec<&str> = periods.iter().step_by(per_col).copied().collect();
    let mean_of = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;

    let mut everyone = vec![0.0; cols];
    for (_, v) in &people {
        for (e, x) in everyone.iter_mut().zip(v) {
            *e += x / people.len() as f64;
        }
    }
    let mut rows = vec![Row {
        label: l.t("Everyone (mean)", "Iedereen (gemiddeld)").to_string(),
        tooltip: l.t("Everyone (mean)", "Iedereen (gemiddeld)").to_string(),
        values: merged(&everyone),
        mean: mean_of(&everyone),
    }];
    let mut chosen: Vec<&(&Load, Vec<f64>)> = people.iter().collect();
    let busiest = chosen.len() > MAX_PEOPLE;
    if busiest {
        chosen.sort_by(|a, b| {
            mean_of(&b.1)
                .partial_cmp(&mean_of(&a.1))
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.0.person_id.cmp(&b.0.person_id))
        });
        chosen.truncate(MAX_PEOPLE);
    }
    for (r, v) in chosen {
        rows.push(Row {
            label: ctx.names.person(&r.person_id, &r.name),
            tooltip: ctx.names.person_long(&r.person_id, &r.name),
            values: merged(v),
            mean: mean_of(v),
        });
    }

    let n_cols = labels.len();
    let (label_w, right_w, row_h) = (170.0, 46.0, 12.0);
    let cw = (820.0 / n_cols as f64).clamp(5.0, 26.0);
    let top = 16.0;
    let width = label_w + cw * n_cols as f64 + right_w;
    let height = top + rows.len() as f64 * row_h + 4.0;
    let mut svg = Svg::new(
        width,
        height,
        l.t(
            "Utilisation per person and period",
            "Bezetting per persoon en periode",
        ),
    );
    // Period labels, spaced so they do not overlap.
    let every = (52.0 / cw).ceil().max(1.0) as usize;
    for (i, p) in labels.iter().enumerate().step_by(every) {
        svg.text(label_w + i as f64 * cw, 11.0, "start", "s", &clip(p, 12));
    }
    svg.text(width - 2.0, 11.0, "end", "s", l.t("mean", "gem."));
    for (k, row) in rows.iter().enumerate() {
        let y = top + k as f64 * row_h;
        svg.text(
            label_w - 6.0,
            y + row_h - 2.5,
            "end",
            if k == 0 { "b" } else { "" },
            &clip(&row.label, 26),
        );
        // Runs of one band become one rectangle.
        let mut start = 0;
        while start < n_cols {
            let b = band(row.values[start]);
            let mut end = start + 1;
            while end < n_cols && band(row.values[end]) == b {
                end += 1;
            }
            let tip = format!(
                "{}: {}{}: {}",
                row.tooltip,
                labels[start],
                if end - start > 1 {
                    format!(" – {}", labels[end - 1])
                } else {
                    String::new()
                },
                band_label(l, b)
            );
            svg.rect(
                label_w + start as f64 * cw,
                y + 0.5,
                (end - start) as f64 * cw,
                row_h - 1.0,
                BANDS[b].1,
                Some(&tip),
            );
            start = end;
        }
        svg.text(width - 2.0, y + row_h - 2.5, "end", "s", &l.pct(row.mean));
        if k == 0 {
            svg.line(0.0, y + row_h, width, y + row_h, "#1d2430", 0.6);
        }
    }
    let mut o = String::new();
    let _ = write!(
        o,
        "<p>{}</p>",
        l.t(
            "How much of each person's weekly hours the plan uses in each period. Dark blue is fully booked; red would be more than the person has.",
            "Hoeveel van de uren per week van elke persoon het plan in elke periode gebruikt. Donkerblauw is volledig bezet; rood zou meer zijn dan iemand heeft.",
        )
    );
    if busiest || per_col > 1 {
        o.push_str("<p class=\"note\">");
        if busiest {
            let _ = write!(
                o,
                "{} ",
                match l {
                    Lang::En => format!(
                        "The {MAX_PEOPLE} busiest of {} people are shown (by mean utilisation); the first row is everyone's mean.",
                        people.len()
                    ),
                    Lang::Nl => format!(
                        "De {MAX_PEOPLE} drukst bezette van {} mensen staan hier (naar gemiddelde bezetting); de eerste rij is het gemiddelde van iedereen.",
                        people.len()
                    ),
                }
            );
        }
        if per_col > 1 {
            let _ = write!(
                o,
                "{}",
                match l {
                    Lang::En => format!(
                        "Each column spans {per_col} periods and shows the highest utilisation in them."
                    ),
                    Lang::Nl => format!(
                        "Elke kolom beslaat {per_col} perioden en toont de hoogste bezetting daarin."
                    ),
                }
            );
        }
        o.push_str("</p>");
    }
    o.push_str(&svg.finish());
    o.push_str("<p class=\"legend\">");
    for (b, (_, colour)) in BANDS.iter().enumerate() {
        let _ = write!(
            o,
            "<i style=\"background:{colour}\"></i>{}",
            band_label(l, b)
        );
    }
    o.push_str("</p>");
    Part {
        id: "capacity",
        title,
        detail: format!(
            "{} of {} people × {} periods{}",
            rows.len() - 1,
            people.len(),
            cols,
            if per_col > 1 {
                format!(" in {n_cols} columns")
            } else {
                String::new()
            }
        ),
        body: Ok(o),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_split_where_the_legend_says() {
        assert_eq!(band(0.0), 0);
        assert_eq!(band(0.3), 1);
        assert_eq!(band(0.5), 1);
        assert_eq!(band(0.79), 2);
        assert_eq!(band(1.0), 4);
        assert_eq!(band(1.2), 5);
    }
}
