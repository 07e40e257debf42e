//! The rankings in words: who leads each and why, and why the candidates at
//! the top of either ranking stand where they do in the other.

use super::{Marginal, Ranked, Ranking};
use crate::profile::{num, RoleFit};

fn who(r: &Ranked) -> String {
    format!("{} ({})", r.name, r.candidate_id)
}

fn and_list(parts: &[String]) -> String {
    match parts.len() {
        0 => String::new(),
        1 => parts[0].clone(),
        n => format!("{} and {}", parts[..n - 1].join(", "), parts[n - 1]),
    }
}

/// Why a candidate stands where they do against the role profile.
pub fn fit_phrase(f: &RoleFit) -> String {
    let mut gaps: Vec<_> = f.clusters.iter().filter(|g| g.gap > 1e-9).collect();
    gaps.sort_by(|a, b| b.gap.total_cmp(&a.gap));
    let clusters = if gaps.is_empty() {
        "meets every cluster need".to_string()
    } else {
        let list: Vec<String> = gaps
            .iter()
            .take(3)
            .map(|g| format!("{} {:.1}", g.cluster, g.gap))
            .collect();
        format!(
            "falls {:.1} short on the clusters ({})",
            f.total_gap,
            list.join(", ")
        )
    };
    let mut lacks = Vec::new();
    if !f.discipline {
        lacks.push("the discipline".to_string());
    }
    for e in f.expertise.iter().filter(|e| !e.met) {
        lacks.push(match e.has {
            Some(h) => format!("{} {} (has {})", e.field, num(e.need), num(h)),
            None => format!("{} {}", e.field, num(e.need)),
        });
    }
    if !lacks.is_empty() {
        format!("{clusters} but lacks {}", and_list(&lacks))
    } else if !f.expertise.is_empty() {
        format!("{clusters} and has the discipline and expertise")
    } else {
        format!("{clusters} and has the discipline")
    }
}

fn teams(n: usize) -> String {
    if n == 1 {
        "1 team".into()
    } else {
        format!("{n} teams")
    }
}

/// What a candidate adds to the portfolio, in words.
pub fn value_phrase(m: &Marginal) -> String {
    let mut parts = Vec::new();
    let thousands = crate::pool::verdict::thousands;
    if m.required_role_hours_filled > 1e-6 {
        parts.push(format!(
            "fills {} role-hours of required roles that now stay open",
            thousands(m.required_role_hours_filled)
        ));
        let optional = m.role_hours_filled - m.required_role_hours_filled;
        if optional > 1e-6 {
            parts.push(format!("{} of optional ones", thousands(optional)));
        }
    } else if m.role_hours_filled > 1e-6 {
        parts.push(format!(
            "fills {} role-hours of optional roles that now stay open",
            thousands(m.role_hours_filled)
        ));
    }
    let closed = m.closed_by_cluster();
    if !closed.is_empty() {
        let list: Vec<String> = closed
            .iter()
            .enumerate()
            .map(|(i, (c, n))| {
                if i == 0 {
                    format!("closes the {c} gap in {}", teams(*n))
                } else {
                    format!("the {c} gap in {}", teams(*n))
                }
            })
            .collect();
        parts.push(and_list(&list));
    }
    if !m.unblocked.is_empty() {
        parts.push(format!("unblocks {}", m.unblocked.join(", ")));
    }
    if parts.is_empty() {
        if m.eligible_roles == 0 {
            return "adds nothing: no role line in the portfolio is open to them (discipline, expertise, availability or hours)".into();
        }
        if m.placements.is_empty() {
            return format!(
                "adds nothing: the {} role line(s) they could take are filled at least as well now",
                m.eligible_roles
            );
        }
        if m.fit_gain > 1e-6 {
            return format!(
                "fills no open hours but improves the fit of {} by {:.2}",
                place_list(m),
                m.fit_gain
            );
        }
        return "adds nothing the current plan lacks".into();
    }
    let mut s = and_list(&parts);
    if !m.needs_lost.is_empty() {
        s.push_str(&format!(
            " (while {} other cluster need(s) lose cover as people move)",
            m.needs_lost.len()
        ));
    }
    s
}

fn place_list(m: &Marginal) -> String {
    let v: Vec<String> = m
        .placements
        .iter()
        .take(3)
        .map(|p| format!("{} / {}", p.project_id, p.phase))
        .collect();
    v.join(", ")
}

/// A few sentences on the two rankings: the leaders, then every other
/// candidate in the top three of either ranking.
pub fn explanations(r: &Ranking) -> Vec<String> {
    let (fit, value) = (r.by_fit(), r.by_value());
    let (Some(a), Some(b)) = (fit.first(), value.first()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if a.candidate_id == b.candidate_id {
        out.push(format!(
            "{} leads both rankings: against the {} profile {}; in the portfolio the hire {}.",
            who(a),
            r.role,
            fit_phrase(&a.profile),
            value_phrase(&a.value)
        ));
    } else {
        out.push(format!(
            "{} matches the {} profile best ({}), but as a hire in {} {} (value rank {}).",
            who(a),
            r.role,
            fit_phrase(&a.profile),
            r.municipality,
            value_phrase(&a.value),
            a.value_rank
        ));
        out.push(format!(
            "{} adds the most to the portfolio: {} (profile rank {}: {}).",
            who(b),
            value_phrase(&b.value),
            b.fit_rank,
            fit_phrase(&b.profile)
        ));
    }
    let mut seen = vec![a.candidate_id.clone(), b.candidate_id.clone()];
    for c in fit.iter().take(3).chain(value.iter().take(3)) {
        if seen.contains(&c.candidate_id) {
            continue;
        }
        seen.push(c.candidate_id.clone());
        out.push(format!(
            "{} — profile rank {}, value rank {}: {}; {}.",
            who(c),
            c.fit_rank,
            c.value_rank,
            fit_phrase(&c.profile),
            value_phrase(&c.value)
        ));
    }
    out
}
