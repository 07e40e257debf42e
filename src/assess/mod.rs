//! Assessment results → cluster profiles. Raw results of an instrument (a
//! TMA-style talent and competency analysis, a 360° review, …) come as item
//! scores per person; a mapping file says which item counts towards which of
//! the five clusters, with what weight, on what scale. Each cluster level is
//! the weighted mean of its items, each item first placed on 0–1 of its own
//! scale (reverse-keyed items mirrored), converted linearly to the
//! scenario's score scale.
//!
//! [`mapping`] reads the mapping, [`items`] the results (long or wide),
//! [`profiles`] computes the levels with their provenance, [`merge`] writes
//! them into an existing people.csv, [`synthetic`] makes fictional result
//! files of any size.

pub mod items;
pub mod mapping;
pub mod merge;
pub mod synthetic;

use std::collections::HashSet;
use std::fmt;

use crate::domain::Cluster;
use crate::input::error::InputErrors;
use crate::input::table::{parse_number, Table};
pub use items::{Form, ItemScores};
pub use mapping::Mapping;

/// A closed score range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    pub min: f64,
    pub max: f64,
}

impl Scale {
    /// The TMA norm-score range and ploeg's default cluster scale.
    pub const DEFAULT: Scale = Scale {
        min: 1.0,
        max: 10.0,
    };

    /// Parses `MIN-MAX` (`1-10`, `0-100`, `0,5-4,5`, `-3-3`).
    pub fn parse(text: &str) -> Result<Scale, String> {
        let t = text.trim();
        let err = || format!("'{text}' is not a scale: write MIN-MAX, e.g. 1-10");
        // The separating dash is the first one after the first character.
        let split = t
            .char_indices()
            .skip(1)
            .find(|&(_, c)| c == '-')
            .map(|(i, _)| i)
            .ok_or_else(err)?;
        let lo = parse_number(&t[..split]).ok_or_else(err)?;
        let hi = parse_number(&t[split + 1..]).ok_or_else(err)?;
        if lo >= hi {
            return Err(format!("the scale {text} must have MIN below MAX"));
        }
        Ok(Scale { min: lo, max: hi })
    }

    pub fn contains(&self, v: f64) -> bool {
        v >= self.min - 1e-9 && v <= self.max + 1e-9
    }

    /// Where `v` lies on the scale, 0 at min and 1 at max.
    pub fn position(&self, v: f64) -> f64 {
        (v - self.min) / (self.max - self.min)
    }

    pub fn at(&self, position: f64) -> f64 {
        self.min + position * (self.max - self.min)
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}", fmt_num(self.min), fmt_num(self.max))
    }
}

/// A number with at most two decimals and no trailing zeros.
pub(crate) fn fmt_num(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0 + 0.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        let s = format!("{r:.2}");
        s.trim_end_matches('0').to_string()
    }
}

/// How `assess` turns item scores into levels.
#[derive(Clone, Debug)]
pub struct Options {
    /// The scale of the cluster levels (the scenario's `[scale]`).
    pub target: Scale,
    /// Scale of items whose mapping rows declare none (`--scale`).
    pub default_scale: Option<Scale>,
    /// Fewer items than this on a cluster flags it `too_few_items`.
    pub min_items: usize,
    /// Items missing from the mapping are left out instead of refused.
    pub ignore_unmapped: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            target: Scale::DEFAULT,
            default_scale: None,
            min_items: 2,
            ignore_unmapped: false,
        }
    }
}

/// Whether a cluster level rests on enough items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    Ok,
    TooFewItems,
    NoItems,
}

impl Flag {
    pub fn id(self) -> &'static str {
        match self {
            Flag::Ok => "",
            Flag::TooFewItems => "too_few_items",
            Flag::NoItems => "no_items",
        }
    }
}

/// One person's result on one cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct ClusterLevel {
    /// The derived level on the target scale; `None` without items.
    pub level: Option<f64>,
    /// The weighted mean of the (reverse-keyed) item scores in the items'
    /// own unit; `None` when they use different scales or there are none.
    pub raw: Option<f64>,
    /// Answered items that carried the cluster.
    pub items: usize,
    pub flag: Flag,
}

/// One person's profile.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub person_id: String,
    pub clusters: [ClusterLevel; 5],
}

impl Profile {
    pub fn level(&self, c: Cluster) -> Option<f64> {
        self.clusters[c.index()].level
    }
}

/// The result of an assessment run.
#[derive(Clone, Debug, PartialEq)]
pub struct Profiles {
    pub profiles: Vec<Profile>,
    /// Provenance written in the `source` column.
    pub source: String,
    pub form: Form,
    pub ignored_items: Vec<String>,
    pub target: Scale,
}

impl Profiles {
    /// People with at least one cluster flagged.
    pub fn flagged(&self) -> usize {
        self.profiles
            .iter()
            .filter(|p| p.clusters.iter().any(|c| c.flag != Flag::Ok))
            .count()
    }
}

/// Cluster levels of one person's answers.
pub fn profile(m: &Mapping, a: &items::Answers, opts: &Options) -> Profile {
    // Per cluster: Σ|w|·position, Σ|w|·score, Σ|w|, count, common scale.
    let mut pos = [0.0; 5];
    let mut raw = [0.0; 5];
    let mut wsum = [0.0; 5];
    let mut count = [0usize; 5];
    let mut scale: [Option<Scale>; 5] = [None; 5];
    let mut mixed = [false; 5];
    for (k, item) in m.items.iter().enumerate() {
        let v = a.values[k];
        if v.is_nan() {
            continue;
        }
        for &(c, w) in &item.clusters {
            let i = c.index();
            // A reverse-keyed item counts as max + min − score.
            let s = if w < 0.0 {
                item.scale.max + item.scale.min - v
            } else {
                v
            };
            let aw = w.abs();
            pos[i] += aw * item.scale.position(s);
            raw[i] += aw * s;
            wsum[i] += aw;
            count[i] += 1;
            match scale[i] {
                None => scale[i] = Some(item.scale),
                Some(sc) if sc != item.scale => mixed[i] = true,
                Some(_) => {}
            }
        }
    }
    let clusters = std::array::from_fn(|i| {
        if count[i] == 0 {
            return ClusterLevel {
                level: None,
                raw: None,
                items: 0,
                flag: Flag::NoItems,
            };
        }
        ClusterLevel {
            level: Some(opts.target.at(pos[i] / wsum[i])),
            raw: (!mixed[i]).then(|| raw[i] / wsum[i]),
            items: count[i],
            flag: if count[i] < opts.min_items {
                Flag::TooFewItems
            } else {
                Flag::Ok
            },
        }
    });
    Profile {
        person_id: a.person_id.clone(),
        clusters,
    }
}

/// Reads the mapping and the items tables and computes every profile.
/// `known` (file name, ids) makes unknown person ids an error. All
/// problems are returned together.
pub fn assess(
    mapping: &Table,
    items: &Table,
    opts: &Options,
    known: Option<(&str, &HashSet<String>)>,
) -> Result<Profiles, InputErrors> {
    let m = mapping::parse(mapping, opts.default_scale).map_err(InputErrors)?;
    let scores = items::parse(items, &m, opts.ignore_unmapped, known).map_err(|mut es| {
        es.sort_by_key(|e| e.line.unwrap_or(u64::MAX));
        InputErrors(es)
    })?;
    let profiles = scores
        .answers
        .iter()
        .map(|a| profile(&m, a, opts))
        .collect();
    Ok(Profiles {
        profiles,
        source: format!("{} ({}) via {}", scores.file, scores.form.id(), m.file),
        form: scores.form,
        ignored_items: scores.ignored_items,
        target: opts.target,
    })
}

/// The columns of PROFILES.csv.
pub fn columns() -> Vec<String> {
    let mut h = vec!["person_id".to_string()];
    h.extend(Cluster::ALL.iter().map(|c| c.id().to_string()));
    for c in Cluster::ALL {
        for suffix in ["items", "raw", "flag"] {
            h.push(format!("{}_{suffix}", c.id()));
        }
    }
    h.push("source".into());
    h
}

/// PROFILES.csv: person_id and the five levels (usable as people.csv
/// columns), then per cluster the item count, raw mean and flag, then the
/// source. Levels and raw means have two decimals at most.
pub fn to_csv(p: &Profiles) -> Vec<u8> {
    let mut w = crate::report::csv_out::writer();
    let opt = |v: Option<f64>| v.map(fmt_num).unwrap_or_default();
    // Writing to memory cannot fail.
    let _ = w.write_record(columns());
    for pr in &p.profiles {
        let mut rec = vec![pr.person_id.clone()];
        rec.extend(pr.clusters.iter().map(|c| opt(c.level)));
        for c in &pr.clusters {
            rec.push(c.items.to_string());
            rec.push(opt(c.raw));
            rec.push(c.flag.id().to_string());
        }
        rec.push(p.source.clone());
        let _ = w.write_record(&rec);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(map: &str, items: &str, opts: &Options) -> Result<Profiles, InputErrors> {
        let m = Table::parse("map.csv", map).unwrap();
        let i = Table::parse("items.csv", items).unwrap();
        assess(&m, &i, opts, None)
    }

    const MAP: &str = "item,cluster,weight,scale_min,scale_max\n\
        a,opgave,1,1,5\n\
        b,opgave,3,1,5\n\
        c,verbinden,-1,1,5\n\
        d,verbinden,1,1,10\n";

    #[test]
    fn scale_parses_min_dash_max() {
        assert_eq!(
            Scale::parse("1-10"),
            Ok(Scale {
                min: 1.0,
                max: 10.0
            })
        );
        assert_eq!(Scale::parse("0,5-4,5"), Ok(Scale { min: 0.5, max: 4.5 }));
        assert_eq!(
            Scale::parse("-3-3"),
            Ok(Scale {
                min: -3.0,
                max: 3.0
            })
        );
        assert!(Scale::parse("10-1").is_err());
        assert!(Scale::parse("1 to 10").is_err());
    }

    #[test]
    fn weighted_mean_is_converted_linearly_and_reverse_keyed_items_mirror() {
        // opgave: a = 5 (top, position 1), b = 1 (bottom, 0); weights 1 and 3
        // → position 0.25 → 1 + 0.25 × 9 = 3.25; raw (5 + 3·1) / 4 = 2.
        // verbinden: c = 2 reversed is 4 (position 0.75), d = 10 (1); mean
        // 0.875 → 8.875; mixed scales → no raw mean.
        let p = run(
            MAP,
            "person_id,item,score\nx,a,5\nx,b,1\nx,c,2\nx,d,10\n",
            &Options::default(),
        )
        .unwrap();
        let x = &p.profiles[0];
        assert_eq!(p.form, Form::Long);
        assert_eq!(x.level(Cluster::Opgave), Some(3.25));
        assert_eq!(x.clusters[0].raw, Some(2.0));
        assert_eq!(x.clusters[0].items, 2);
        assert_eq!(x.level(Cluster::Verbinden), Some(8.875));
        assert_eq!(x.clusters[4].raw, None);
        assert_eq!(x.clusters[1].flag, Flag::NoItems);
        assert_eq!(x.level(Cluster::Omgeving), None);
    }

    #[test]
    fn wide_form_gives_the_same_profile_as_long_form() {
        let long = run(
            MAP,
            "person_id,item,score\nx,a,4\nx,b,2\nx,c,3\ny,a,1\n",
            &Options::default(),
        )
        .unwrap();
        let wide = run(
            MAP,
            "person_id,name,A,b,c,d\nx,Xandra,4,2,3,\ny,Yusuf,1,,,\n",
            &Options::default(),
        )
        .unwrap();
        assert_eq!(wide.form, Form::Wide);
        assert_eq!(long.profiles, wide.profiles);
        assert_eq!(wide.profiles[1].clusters[0].flag, Flag::TooFewItems);
    }

    #[test]
    fn target_scale_and_min_items_apply() {
        let opts = Options {
            target: Scale {
                min: 0.0,
                max: 100.0,
            },
            min_items: 1,
            ..Options::default()
        };
        let p = run(MAP, "person_id,item,score\nx,a,3\n", &opts).unwrap();
        assert_eq!(p.profiles[0].level(Cluster::Opgave), Some(50.0));
        assert_eq!(p.profiles[0].clusters[0].flag, Flag::Ok);
    }

    #[test]
    fn bad_scores_duplicates_and_unmapped_items_are_reported_at_their_cell() {
        let e = run(
            MAP,
            "person_id,item,score\nx,a,6\nx,b,hoog\nx,a,2\nx,zz,1\nx,zz,2\n",
            &Options::default(),
        )
        .unwrap_err();
        let at: Vec<(Option<u64>, Option<usize>)> =
            e.0.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(
            at,
            vec![
                (Some(2), Some(3)),
                (Some(3), Some(3)),
                (Some(4), Some(2)),
                (Some(5), Some(2))
            ],
            "{e}"
        );
        assert!(e.0[0].message.contains("outside the scale 1–5"));
        assert!(e.0[2].message.contains("line 2"));
        assert!(e.0[3].message.contains("(2 rows)"));
        let ok = run(
            MAP,
            "person_id,item,score\nx,a,2\nx,zz,1\n",
            &Options {
                ignore_unmapped: true,
                ..Options::default()
            },
        )
        .unwrap();
        assert_eq!(ok.ignored_items, vec!["zz"]);
    }

    #[test]
    fn csv_has_levels_first_then_provenance() {
        let p = run(
            MAP,
            "person_id,item,score\nx,a,5\nx,b,5\n",
            &Options::default(),
        )
        .unwrap();
        let text = String::from_utf8(to_csv(&p)).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next().unwrap(),
            "person_id,opgave,omgeving,chaos,eigenaarschap,verbinden,opgave_items,opgave_raw,opgave_flag,omgeving_items,omgeving_raw,omgeving_flag,chaos_items,chaos_raw,chaos_flag,eigenaarschap_items,eigenaarschap_raw,eigenaarschap_flag,verbinden_items,verbinden_raw,verbinden_flag,source"
        );
        assert_eq!(
            lines.next().unwrap(),
            "x,10,,,,,2,5,,0,,no_items,0,,no_items,0,,no_items,0,,no_items,items.csv (long) via map.csv"
        );
    }
}
