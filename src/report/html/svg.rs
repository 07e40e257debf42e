//! A tiny SVG writer for the report's charts: rectangles, lines and text in
//! user units, every text and title escaped. Coordinates are written with at
//! most one decimal to keep large charts small.

use std::fmt::Write as _;

use super::escape::escape;

/// A coordinate or length: integers without a decimal point, others with one.
pub fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0 + 0.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

pub struct Svg {
    buf: String,
}

impl Svg {
    /// An SVG of `width` × `height` user units that scales to the page width;
    /// `label` is read out by screen readers.
    pub fn new(width: f64, height: f64, label: &str) -> Svg {
        let mut buf = String::new();
        let _ = write!(
            buf,
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{l}">"#,
            w = n(width),
            h = n(height),
            l = escape(label)
        );
        Svg { buf }
    }

    /// A filled rectangle; with a title, hovering shows it.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: &str, title: Option<&str>) {
        let _ = write!(
            self.buf,
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}""#,
            n(x),
            n(y),
            n(w.max(0.0)),
            n(h.max(0.0)),
            escape(fill)
        );
        match title {
            Some(t) => {
                let _ = write!(self.buf, "><title>{}</title></rect>", escape(t));
            }
            None => self.buf.push_str("/>"),
        }
    }

    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, width: f64) {
        let _ = write!(
            self.buf,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"/>"#,
            n(x1),
            n(y1),
            n(x2),
            n(y2),
            escape(stroke),
            n(width)
        );
    }

    /// A line through the points; `dash` as in stroke-dasharray ("" for solid).
    pub fn polyline(&mut self, points: &[(f64, f64)], stroke: &str, width: f64, dash: &str) {
        let _ = write!(
            self.buf,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="{}""#,
            point_list(points),
            escape(stroke),
            n(width)
        );
        if !dash.is_empty() {
            let _ = write!(self.buf, r#" stroke-dasharray="{}""#, escape(dash));
        }
        self.buf.push_str("/>");
    }

    /// A filled shape through the points.
    pub fn polygon(&mut self, points: &[(f64, f64)], fill: &str) {
        let _ = write!(
            self.buf,
            r#"<polygon points="{}" fill="{}"/>"#,
            point_list(points),
            escape(fill)
        );
    }

    /// Text with its baseline at `y`; `anchor` is start, middle or end.
    pub fn text(&mut self, x: f64, y: f64, anchor: &str, class: &str, content: &str) {
        let _ = write!(
            self.buf,
            r#"<text x="{}" y="{}" text-anchor="{}" class="{}">{}</text>"#,
            n(x),
            n(y),
            escape(anchor),
            escape(class),
            escape(content)
        );
    }

    pub fn finish(mut self) -> String {
        self.buf.push_str("</svg>");
        self.buf
    }
}

/// Points as "x,y x,y …".
fn point_list(points: &[(f64, f64)]) -> String {
    points
        .iter()
        .map(|(x, y)| format!("{},{}", n(*x), n(*y)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A colour between two `#rrggbb` colours, `t` in [0, 1].
pub fn mix(a: &str, b: &str, t: f64) -> String {
    let parse = |c: &str| -> [f64; 3] {
        let v = u32::from_str_radix(c.trim_start_matches('#'), 16).unwrap_or(0);
        [
            f64::from((v >> 16) & 0xff),
            f64::from((v >> 8) & 0xff),
            f64::from(v & 0xff),
        ]
    };
    let (a, b) = (parse(a), parse(b));
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let c: Vec<u8> = (0..3)
        .map(|i| (a[i] + (b[i] - a[i]) * t).round() as u8)
        .collect();
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// Colours for series (pooling modes), distinct in print and for most
/// colour-blind readers.
pub const SERIES: [&str; 6] = [
    "#1f5f99", "#d98c1f", "#2f7d4f", "#8e44ad", "#7f8c8d", "#c0392b",
];

/// Cuts a label to `max` characters, with an ellipsis when cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut o: String = s.chars().take(max.saturating_sub(1)).collect();
        o.push('…');
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(n(3.0), "3");
        assert_eq!(n(2.46), "2.5");
        assert_eq!(n(-0.01), "0");
    }

    #[test]
    fn text_and_titles_are_escaped() {
        let mut s = Svg::new(10.0, 10.0, "a \"chart\"");
        s.text(0.0, 5.0, "start", "lbl", "<script>x</script>");
        s.rect(0.0, 0.0, 1.0, 1.0, "#fff", Some("</title><script>"));
        let out = s.finish();
        assert!(!out.contains("<script"), "{out}");
        assert!(out.contains("&lt;script&gt;x&lt;/script&gt;"));
        assert!(out.contains("aria-label=\"a &quot;chart&quot;\""));
    }

    #[test]
    fn lines_and_shapes_through_points() {
        let mut s = Svg::new(10.0, 10.0, "x");
        s.polyline(&[(0.0, 1.25), (2.0, 3.0)], "#123456", 1.5, "4 3");
        s.polyline(&[(1.0, 1.0)], "\"red", 1.0, "");
        s.polygon(&[(0.0, 0.0), (1.0, 0.0), (1.0, 2.04)], "#abcdef");
        let out = s.finish();
        assert!(out.contains(r##"<polyline points="0,1.3 2,3" fill="none" stroke="#123456" stroke-width="1.5" stroke-dasharray="4 3"/>"##), "{out}");
        assert!(
            out.contains(r#"stroke="&quot;red" stroke-width="1"/>"#),
            "{out}"
        );
        assert!(out.contains(r##"<polygon points="0,0 1,0 1,2" fill="#abcdef"/>"##));
    }

    #[test]
    fn mixing_colours() {
        assert_eq!(mix("#000000", "#ffffff", 0.0), "#000000");
        assert_eq!(mix("#000000", "#ffffff", 1.0), "#ffffff");
        assert_eq!(mix("#000000", "#ffffff", 0.5), "#808080");
        assert_eq!(mix("#000000", "#ffffff", f64::NAN), "#000000");
    }

    #[test]
    fn clip_counts_characters_not_bytes() {
        assert_eq!(clip("één twee", 4), "één…");
        assert_eq!(clip("kort", 10), "kort");
    }
}
