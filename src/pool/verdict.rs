//! The director's verdict: one sentence per mode, in plain words, against
//! each municipality working alone.

use super::{Comparison, ModeResult};
use crate::solve::Status;

/// A whole number with thousands separators: 1240 → "1,240".
pub fn thousands(v: f64) -> String {
    let n = v.round() as i64;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// Required role-hours over the horizon a mode's plan leaves open.
fn total_unfilled(m: &ModeResult) -> f64 {
    m.components.time.unfilled_required_role_hours
}

/// Role-hours with their FTE-years, e.g. "12,345 role-hours (6.6 FTE-years)".
fn role_hours(m: &ModeResult, v: f64) -> String {
    format!(
        "{} required role-hours ({:.1} FTE-years)",
        thousands(v),
        v / (m.scenario.settings.fte_hours * 52.0)
    )
}

/// The phases a mode unblocks against the baseline, named (at most five).
fn unblocked_phases(b: &ModeResult, m: &ModeResult) -> String {
    let s = &m.scenario;
    let names: Vec<String> = b
        .blocked
        .difference(&m.blocked)
        .map(|&f| s.phase_label(f))
        .collect();
    if names.is_empty() {
        return String::new();
    }
    let mut shown: Vec<String> = names.iter().take(5).cloned().collect();
    if names.len() > 5 {
        shown.push(format!("{} more", names.len() - 5));
    }
    format!(": {}", shown.join(", "))
}

fn quality(m: &ModeResult) -> String {
    match (m.solved.report.status, m.solved.report.stages.first()) {
        (Status::Optimal, _) => String::new(),
        (_, Some(st)) => match st.gap {
            Some(g) => format!(" (not proven optimal: gap {:.1}%)", 100.0 * g),
            None => " (not proven optimal: no bound within the time limit)".to_string(),
        },
        _ => String::new(),
    }
}

fn capitalised(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// One sentence per mode; the baseline first.
pub fn verdict(c: &Comparison) -> Vec<String> {
    let mut lines = Vec::new();
    let base = c.baseline();
    if let Some(b) = base {
        lines.push(format!(
            "Alone, the municipalities leave {} open and {} of {} phases blocked{}.",
            role_hours(b, total_unfilled(b)),
            b.blocked.len(),
            b.scenario.phases.len(),
            quality(b)
        ));
    }
    for m in &c.modes {
        if Some(m.name.as_str()) == c.baseline.as_deref() {
            continue;
        }
        let mut parts = Vec::new();
        match base {
            Some(b) => {
                let before = total_unfilled(b);
                let gain = before - total_unfilled(m);
                let pct = if before > 0.0 {
                    format!(" (−{:.0}%)", 100.0 * gain / before)
                } else {
                    String::new()
                };
                let first = if gain > 0.5 {
                    format!(
                        "{} fills {} more{pct}",
                        capitalised(&m.label),
                        role_hours(m, gain)
                    )
                } else if gain < -0.5 {
                    format!(
                        "{} leaves {} more open",
                        capitalised(&m.label),
                        role_hours(m, -gain)
                    )
                } else {
                    format!("{} fills no more required work", capitalised(&m.label))
                };
                let unblocked = b.blocked.difference(&m.blocked).count();
                let newly = m.blocked.difference(&b.blocked).count();
                let mut stall = format!(
                    "unblocks {unblocked} of {} blocked phases{}",
                    b.blocked.len(),
                    unblocked_phases(b, m)
                );
                if newly > 0 {
                    stall.push_str(&format!(" ({newly} other(s) blocked instead)"));
                }
                parts.push(format!("{first} and {stall}"));
            }
            None => parts.push(format!(
                "{} leaves {} open and {} phases blocked",
                capitalised(&m.label),
                role_hours(m, total_unfilled(m)),
                m.blocked.len()
            )),
        }
        if let Some(top) = m
            .municipalities
            .iter()
            .filter(|f| f.lent_role_hours > 0.0)
            .max_by(|a, b| {
                a.lent_role_hours
                    .total_cmp(&b.lent_role_hours)
                    .then_with(|| b.municipality.cmp(&a.municipality))
            })
        {
            parts.push(format!(
                "{} lends {} role-hours, borrows {} (at most {} h/week net at a time)",
                top.municipality,
                thousands(top.lent_role_hours),
                thousands(top.borrowed_role_hours),
                thousands(top.peak_net_lent_hours_per_week)
            ));
        } else {
            parts.push("nobody works outside their municipality".to_string());
        }
        if base.is_some() {
            let losers = c.losers(m);
            if losers.is_empty() {
                parts.push("no municipality is worse off".to_string());
            } else {
                let list: Vec<String> = losers
                    .iter()
                    .map(|(name, h)| format!("{name} by {} required role-hours", thousands(*h)))
                    .collect();
                parts.push(format!(
                    "worse off than alone: {} (--no-one-loses prevents this)",
                    list.join(", ")
                ));
            }
        }
        for v in &m.unmet {
            parts.push(format!("not met: {}", v.message));
        }
        lines.push(format!("{}{}.", parts.join("; "), quality(m)));
    }
    for sk in &c.skipped {
        lines.push(format!("Mode {} was left out: {}.", sk.mode, sk.reason));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0.0), "0");
        assert_eq!(thousands(999.4), "999");
        assert_eq!(thousands(1240.0), "1,240");
        assert_eq!(thousands(1234567.0), "1,234,567");
        assert_eq!(thousands(-1500.0), "-1,500");
    }

    #[test]
    fn capitalises_the_first_letter_only() {
        assert_eq!(capitalised("pooling per province"), "Pooling per province");
        assert_eq!(capitalised(""), "");
    }
}
