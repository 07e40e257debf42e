//! The readable terminal summary of a solve or a check: status, every stage
//! with bound and gap, the objective components, and the open slots that
//! matter most.

use std::fmt::Write as _;

use super::Summary;
use crate::plan::check::Violation;
use crate::plan::score::Components;
use crate::pool::verdict::thousands;

fn opt(v: Option<f64>) -> String {
    v.map(|b| format!("{b:.2}"))
        .unwrap_or_else(|| "-".to_string())
}

fn pct(v: Option<f64>) -> String {
    v.map(|g| format!("{:.2}%", g * 100.0))
        .unwrap_or_else(|| "unknown".to_string())
}

/// Open work over time, first: role-hours over the horizon and FTE, then
/// the month where it peaks.
fn over_time(c: &Components) -> String {
    let t = &c.time;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "  {:<20} {} role-hours over the horizon = {:.1} FTE-years (required: {})",
        "open work",
        thousands(t.unfilled_role_hours),
        t.unfilled_fte_years,
        thousands(t.unfilled_required_role_hours)
    );
    let _ = writeln!(
        o,
        "  {:<20} {} h/week in {} (mean {} h/week over the periods with demand)",
        "peak open",
        thousands(t.peak_open_hours_per_week),
        t.peak_open_period.as_deref().unwrap_or("-"),
        thousands(t.mean_open_hours_per_week)
    );
    let _ = writeln!(
        o,
        "  {:<20} {} of {} ({} blocked project-{}s)",
        "blocked phases",
        t.blocked_phases,
        t.phases_total,
        t.blocked_project_months,
        t.planning_period
    );
    o
}

/// The objective components in aligned lines.
pub fn components(c: &Components) -> String {
    let mut o = over_time(c);
    let rows: [(&str, String); 7] = [
        (
            "weighted open work",
            format!(
                "{} priority-weighted role-hours (stage 1)",
                thousands(c.weighted_unfilled)
            ),
        ),
        (
            "slots filled",
            format!("{} of {}", c.slots_filled, c.slots_total),
        ),
        (
            "balance",
            format!(
                "{:.3} ({} of {} cluster needs covered; {} stacked)",
                c.balance, c.needs_covered, c.needs_total, c.stacked
            ),
        ),
        ("fit", format!("{:.3}", c.fit)),
        ("preference total", format!("{:.2}", c.preference_total)),
        ("pooled placements", c.pooled_placements.to_string()),
        ("continuity", c.continuity.to_string()),
    ];
    for (k, v) in rows {
        let _ = writeln!(o, "  {k:<20} {v}");
    }
    o
}

/// The summary after `ploeg solve`.
pub fn solve_summary(s: &Summary, out: Option<&str>) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "ploeg {} — {}: {} people, {} projects",
        s.ploeg_version, s.scenario, s.people, s.projects
    );
    let _ = writeln!(
        o,
        "status {} · backend {} · {:.2} s (heuristic {:.2} s) · {} part(s), {} binaries, {} rows",
        s.status.id(),
        s.backend,
        s.seconds,
        s.heuristic_seconds,
        s.parts,
        s.binaries,
        s.rows
    );
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "  {:<3} {:<10} {:<9} {:>12} {:>12} {:>9}  status",
        "#", "stage", "sense", "objective", "bound", "gap"
    );
    for (i, st) in s.stages.iter().enumerate() {
        let _ = writeln!(
            o,
            "  {:<3} {:<10} {:<9} {:>12.2} {:>12} {:>9}  {}",
            i + 1,
            st.stage,
            st.sense,
            st.objective,
            opt(st.bound),
            pct(st.gap),
            st.status.id()
        );
    }
    let _ = writeln!(o);
    o.push_str(&components(&s.components));
    for n in &s.notes {
        let _ = writeln!(o, "  note: {n}");
    }
    if !s.violations.is_empty() {
        let _ = writeln!(
            o,
            "  WARNING: the plan breaks {} rule(s); see summary.json",
            s.violations.len()
        );
    }
    if let Some(out) = out {
        let _ = writeln!(
            o,
            "\nwritten to {out}/: assignments.csv unfilled.csv teams.csv load.csv capacity.csv projects.csv summary.json"
        );
    }
    o
}

/// The verdict of `ploeg check`.
pub fn check_summary(violations: &[Violation], c: &Components) -> String {
    let mut o = String::new();
    if violations.is_empty() {
        let _ = writeln!(o, "the plan keeps every hard rule");
    } else {
        let _ = writeln!(o, "the plan breaks {} rule(s):", violations.len());
        for v in violations {
            match v.line {
                Some(l) => {
                    let _ = writeln!(o, "  line {l}: [{}] {}", v.rule, v.message);
                }
                None => {
                    let _ = writeln!(o, "  [{}] {}", v.rule, v.message);
                }
            }
        }
    }
    let _ = writeln!(o);
    o.push_str(&components(c));
    o
}

/// Whether to colour terminal output: only on a terminal, and never when
/// NO_COLOR is set (to anything non-empty, see no-color.org).
pub fn colour_wanted(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// `text` in an ANSI colour (`32` green, `33` yellow, `2` dim) when `on`.
pub fn paint(text: &str, code: &str, on: bool) -> String {
    if on {
        format!("\u{1b}[{code}m{text}\u{1b}[0m")
    } else {
        text.to_string()
    }
}

/// What `ploeg report` wrote: the file and, in an aligned table, each
/// section shown or left out with why.
pub fn report_summary(
    path: &str,
    bytes: usize,
    lang: &str,
    sections: &[super::html::SectionInfo],
    colour: bool,
) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "wrote {path} ({bytes} bytes, language {lang})");
    let _ = writeln!(o);
    let width = sections
        .iter()
        .map(|s| s.id.len())
        .max()
        .unwrap_or(0)
        .max(7);
    let _ = writeln!(o, "  {:<width$}  {:<7}  content", "section", "shown");
    for s in sections {
        // Pad before painting: escape codes have no width on screen.
        let (shown, detail) = if s.shown {
            (
                paint(&format!("{:<7}", "yes"), "32", colour),
                s.detail.clone(),
            )
        } else {
            (
                paint(&format!("{:<7}", "no"), "2", colour),
                paint(&s.detail, "2", colour),
            )
        };
        let _ = writeln!(o, "  {:<width$}  {shown}  {detail}", s.id);
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::html::SectionInfo;

    fn sections() -> Vec<SectionInfo> {
        vec![
            SectionInfo {
                id: "summary",
                title: "The plan in brief",
                detail: "8 stalled".into(),
                shown: true,
            },
            SectionInfo {
                id: "resilience",
                title: "Resilience",
                detail: "no key_people.csv".into(),
                shown: false,
            },
        ]
    }

    #[test]
    fn report_table_is_aligned_and_plain_without_colour() {
        let t = report_summary("out/report.html", 1234, "en", &sections(), false);
        assert!(!t.contains('\u{1b}'), "{t}");
        let lines: Vec<&str> = t.lines().skip(2).collect();
        let col = |l: &str, w: &str| l.find(w).unwrap();
        assert_eq!(col(lines[0], "shown"), col(lines[1], "yes"));
        assert_eq!(col(lines[1], "yes"), col(lines[2], "no"));
        assert_eq!(col(lines[1], "8 stalled"), col(lines[2], "no key_people"));
    }

    #[test]
    fn colour_only_when_asked() {
        let t = report_summary("r.html", 1, "en", &sections(), true);
        assert!(t.contains("\u{1b}[32myes"), "{t}");
        assert!(!colour_wanted(false));
    }
}
