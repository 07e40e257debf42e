//! Fictional assessment data: an example TMA-style instrument (item names
//! invented for ploeg, not those of any real instrument), numbered
//! instruments of any size, and item scores drawn around given cluster
//! profiles. Deterministic: the same arguments give the same bytes.

use std::fmt::Write as _;

use super::{fmt_num, Form, Scale};
use crate::domain::Cluster;
use crate::generate::rng::Rng;

/// One item of a synthetic instrument.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntheticItem {
    pub name: String,
    pub clusters: Vec<(Cluster, f64)>,
    pub scale: Scale,
    /// Band labels with their numbers, lowest first; empty for numeric items.
    pub bands: Vec<(String, f64)>,
}

const TALENT: Scale = Scale {
    min: 1.0,
    max: 10.0,
};
const REVIEW: Scale = Scale { min: 1.0, max: 5.0 };
const REVIEW_BANDS: [&str; 5] = ["zelden", "soms", "regelmatig", "vaak", "altijd"];

/// The example instrument of `data/assess`: 18 talents and competencies on
/// a 1–10 norm scale (two reverse-keyed) and five statements of a 360°
/// review answered in bands (zelden … altijd = 1 … 5).
pub fn example_instrument() -> Vec<SyntheticItem> {
    use Cluster::*;
    let talents: [(&str, &[(Cluster, f64)]); 18] = [
        ("maatschappelijke gedrevenheid", &[(Opgave, 1.0)]),
        ("resultaatgerichtheid", &[(Opgave, 1.0)]),
        ("doorzettingsvermogen", &[(Opgave, 1.0)]),
        ("zelfprofilering", &[(Opgave, -1.0)]),
        ("nieuwsgierigheid naar anderen", &[(Omgeving, 1.0)]),
        ("netwerken", &[(Omgeving, 1.0), (Verbinden, 0.5)]),
        ("luisteren", &[(Omgeving, 1.0)]),
        (
            "overtuigingskracht",
            &[(Omgeving, 0.5), (Eigenaarschap, 0.5)],
        ),
        ("flexibiliteit", &[(Chaos, 1.0)]),
        ("behoefte aan structuur", &[(Chaos, -1.0)]),
        ("creativiteit", &[(Chaos, 1.0)]),
        ("helikopterview", &[(Chaos, 0.5), (Eigenaarschap, 0.5)]),
        ("moed", &[(Eigenaarschap, 1.0)]),
        ("ondernemerschap", &[(Eigenaarschap, 1.0)]),
        ("vertrouwen geven", &[(Eigenaarschap, 1.0)]),
        ("coalities bouwen", &[(Verbinden, 1.0)]),
        ("vertalen tussen fysiek en sociaal", &[(Verbinden, 1.0)]),
        ("samenwerken over grenzen", &[(Verbinden, 1.0)]),
    ];
    let review: [(&str, Cluster); 5] = [
        ("360 houdt het doel voor ogen", Opgave),
        ("360 zoekt de omgeving op", Omgeving),
        ("360 blijft kalm bij onverwachte wendingen", Chaos),
        ("360 neemt eigenaarschap", Eigenaarschap),
        ("360 verbindt partijen", Verbinden),
    ];
    let mut items: Vec<SyntheticItem> = talents
        .iter()
        .map(|(name, cl)| SyntheticItem {
            name: name.to_string(),
            clusters: cl.to_vec(),
            scale: TALENT,
            bands: Vec::new(),
        })
        .collect();
    items.extend(review.iter().map(|&(name, c)| {
        SyntheticItem {
            name: name.to_string(),
            clusters: vec![(c, 1.0)],
            scale: REVIEW,
            bands: REVIEW_BANDS
                .iter()
                .enumerate()
                .map(|(i, l)| (l.to_string(), i as f64 + 1.0))
                .collect(),
        }
    }));
    items
}

/// `n` numeric items `item001`, … on 1–10, cycling through the clusters;
/// every seventh is reverse-keyed.
pub fn numbered_instrument(n: usize) -> Vec<SyntheticItem> {
    (0..n)
        .map(|i| SyntheticItem {
            name: format!("item{:03}", i + 1),
            clusters: vec![(Cluster::ALL[i % 5], if i % 7 == 6 { -1.0 } else { 1.0 })],
            scale: TALENT,
            bands: Vec::new(),
        })
        .collect()
}

/// The mapping file of an instrument.
pub fn mapping_csv(items: &[SyntheticItem]) -> String {
    let mut o = String::from("item,cluster,weight,scale_min,scale_max,bands\n");
    for it in items {
        let bands = it
            .bands
            .iter()
            .map(|(l, v)| format!("{l}={}", fmt_num(*v)))
            .collect::<Vec<_>>()
            .join("|");
        for (c, w) in &it.clusters {
            let _ = writeln!(
                o,
                "{},{},{},{},{},{}",
                it.name,
                c.id(),
                fmt_num(*w),
                fmt_num(it.scale.min),
                fmt_num(it.scale.max),
                bands
            );
        }
    }
    o
}

/// `n` fictional profiles `a00001`, … with cluster levels on `scale`.
pub fn random_profiles(n: usize, scale: Scale, seed: u64) -> Vec<(String, [f64; 5])> {
    let mut rng = Rng::new(seed, 11);
    (0..n)
        .map(|i| {
            let levels = std::array::from_fn(|_| {
                let u = (0.5 + 0.17 * rng.normal()).clamp(0.0, 1.0);
                (scale.at(u) * 10.0).round() / 10.0
            });
            (format!("a{:05}", i + 1), levels)
        })
        .collect()
}

/// Item scores around each person's profile (levels on `scale`): the
/// item's position is the weighted mean of its clusters' positions, mirrored
/// for a reverse-keyed item, plus noise; numeric items are rounded to whole
/// numbers, band items written as their nearest band label.
pub fn items_csv(
    items: &[SyntheticItem],
    people: &[(String, [f64; 5])],
    scale: Scale,
    seed: u64,
    form: Form,
) -> String {
    let mut rng = Rng::new(seed, 12);
    let mut o = String::new();
    match form {
        Form::Long => o.push_str("person_id,item,score\n"),
        Form::Wide => {
            o.push_str("person_id");
            for it in items {
                o.push(',');
                o.push_str(&it.name);
            }
            o.push('\n');
        }
    }
    for (id, levels) in people {
        if form == Form::Wide {
            o.push_str(id);
        }
        for it in items {
            let wsum: f64 = it.clusters.iter().map(|(_, w)| w.abs()).sum();
            let target: f64 = it
                .clusters
                .iter()
                .map(|&(c, w)| {
                    let p = scale.position(levels[c.index()]);
                    w.abs() * if w < 0.0 { 1.0 - p } else { p }
                })
                .sum::<f64>()
                / wsum;
            let u = (target + 0.06 * rng.normal()).clamp(0.0, 1.0);
            let v = it.scale.at(u).round();
            let cell = match it
                .bands
                .iter()
                .min_by(|a, b| (a.1 - v).abs().total_cmp(&(b.1 - v).abs()))
            {
                Some((label, _)) => label.clone(),
                None => fmt_num(v),
            };
            match form {
                Form::Long => {
                    let _ = writeln!(o, "{id},{},{cell}", it.name);
                }
                Form::Wide => {
                    o.push(',');
                    o.push_str(&cell);
                }
            }
        }
        if form == Form::Wide {
            o.push('\n');
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::{assess, Options};
    use crate::input::table::Table;

    #[test]
    fn assessing_generated_items_recovers_the_profiles_roughly() {
        let items = example_instrument();
        let people = random_profiles(40, Scale::DEFAULT, 3);
        for form in [Form::Long, Form::Wide] {
            let m = Table::parse("map.csv", &mapping_csv(&items)).unwrap();
            let text = items_csv(&items, &people, Scale::DEFAULT, 5, form);
            let t = Table::parse("items.csv", &text).unwrap();
            let p = assess(&m, &t, &Options::default(), None).unwrap();
            assert_eq!(p.form, form);
            assert_eq!(p.profiles.len(), 40);
            let mut err = 0.0;
            for (pr, (id, levels)) in p.profiles.iter().zip(&people) {
                assert_eq!(&pr.person_id, id);
                for c in Cluster::ALL {
                    err += (pr.level(c).unwrap() - levels[c.index()]).abs();
                }
            }
            let mean = err / 200.0;
            assert!(mean < 0.8, "mean absolute error {mean}");
        }
    }

    #[test]
    fn generation_is_deterministic() {
        let items = numbered_instrument(12);
        let people = random_profiles(5, Scale::DEFAULT, 1);
        assert_eq!(
            items_csv(&items, &people, Scale::DEFAULT, 2, Form::Wide),
            items_csv(&items, &people, Scale::DEFAULT, 2, Form::Wide)
        );
        assert_eq!(items[6].clusters[0].1, -1.0);
    }
}
