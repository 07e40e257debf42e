//! The mapping file: which assessment item counts towards which cluster,
//! with what weight (negative for reverse-keyed items), on what scale, and
//! which band labels stand for which numbers.

use std::collections::HashMap;

use super::Scale;
use crate::domain::Cluster;
use crate::input::error::InputError;
use crate::input::table::{parse_number, Cells, Table};

/// One item of the instrument.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// The name as the mapping spells it.
    pub name: String,
    pub scale: Scale,
    /// Band label (lower case) → number on the item's scale.
    pub bands: Vec<(String, f64)>,
    /// Clusters this item counts towards, with signed weights.
    pub clusters: Vec<(Cluster, f64)>,
    /// Line of the item's first row in the mapping file.
    pub line: u64,
}

impl Item {
    /// The number a score cell stands for: a band label or a number within
    /// the item's scale.
    pub fn value(&self, cell: &str) -> Result<f64, (String, String)> {
        if !self.bands.is_empty() {
            let key = cell.trim().to_lowercase();
            if let Some((_, v)) = self.bands.iter().find(|(l, _)| *l == key) {
                return Ok(*v);
            }
        }
        // Plain numbers (the common case) skip the general number parser.
        if cell.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && cell.bytes().any(|b| b.is_ascii_digit())
            && cell.bytes().filter(|&b| b == b'.').count() <= 1
        {
            if let Ok(v) = cell.parse::<f64>() {
                if self.scale.contains(v) {
                    return Ok(v);
                }
            }
        }
        let labels = || {
            self.bands
                .iter()
                .map(|(l, _)| l.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        match parse_number(cell) {
            Some(v) if self.scale.contains(v) => Ok(v),
            Some(_) => Err((
                format!(
                    "the score is outside the scale {} of item '{}'",
                    self.scale, self.name
                ),
                format!(
                    "use a score from {} to {} or correct scale_min/scale_max in the mapping",
                    super::fmt_num(self.scale.min),
                    super::fmt_num(self.scale.max)
                ),
            )),
            None if self.bands.is_empty() => Err((
                "this is not a number".to_string(),
                format!(
                    "write a score from {} to {}; for band labels add a bands column to the mapping (e.g. laag=1|gemiddeld=2|hoog=3)",
                    super::fmt_num(self.scale.min),
                    super::fmt_num(self.scale.max)
                ),
            )),
            None => Err((
                format!("this is not a number or a band of item '{}'", self.name),
                format!(
                    "use one of {} or a number from {} to {}",
                    labels(),
                    super::fmt_num(self.scale.min),
                    super::fmt_num(self.scale.max)
                ),
            )),
        }
    }
}

/// The parsed mapping file.
#[derive(Clone, Debug, PartialEq)]
pub struct Mapping {
    pub file: String,
    pub items: Vec<Item>,
    /// Lower-case item name → index into `items`.
    pub index: HashMap<String, usize>,
}

impl Mapping {
    pub fn get(&self, name: &str) -> Option<usize> {
        self.index.get(&name.trim().to_lowercase()).copied()
    }
}

/// Parses `laag=1|gemiddeld=2,5|hoog=4`.
fn parse_bands(text: &str) -> Result<Vec<(String, f64)>, String> {
    let mut out: Vec<(String, f64)> = Vec::new();
    for part in text.split('|').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((label, value)) = part.split_once('=') else {
            return Err(format!("'{part}' has no '='"));
        };
        let label = label.trim().to_lowercase();
        if label.is_empty() {
            return Err(format!("'{part}' has no label before '='"));
        }
        let Some(v) = parse_number(value) else {
            return Err(format!("'{}' is not a number", value.trim()));
        };
        if out.iter().any(|(l, _)| *l == label) {
            return Err(format!("the label '{label}' appears twice"));
        }
        out.push((label, v));
    }
    if out.is_empty() {
        return Err("no bands given".into());
    }
    Ok(out)
}

/// Bands as parsed, with the cell text and line they came from.
type GivenBands = (Vec<(String, f64)>, String, u64);

struct Pending {
    name: String,
    line: u64,
    /// (scale, line it was given on)
    scale: Option<(Scale, u64)>,
    bands: Option<GivenBands>,
    clusters: Vec<(Cluster, f64, u64)>,
}

/// Reads the mapping table. `default_scale` applies to items whose rows
/// give no scale (`--scale`).
pub fn parse(t: &Table, default_scale: Option<Scale>) -> Result<Mapping, Vec<InputError>> {
    let mut errors = Vec::new();
    if !t.require(&["item", "cluster", "weight"], &mut errors) || !t.require_rows(&mut errors) {
        return Err(errors);
    }
    let mut pending: Vec<Pending> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for row in &t.rows {
        let c = Cells::new(t, row);
        let item = c.required("item", &mut errors);
        let cluster = match c.required("cluster", &mut errors) {
            Some(v) => match Cluster::from_id(&v.to_lowercase()) {
                Some(cl) => Some(cl),
                None => {
                    let near = Cluster::ALL
                        .iter()
                        .find(|k| crate::input::distance(&v.to_lowercase(), k.id()) <= 3);
                    let hint = match near {
                        Some(k) => format!(
                            "did you mean '{}'? The five clusters are opgave, omgeving, chaos, eigenaarschap, verbinden",
                            k.id()
                        ),
                        None => "use one of the five cluster ids: opgave, omgeving, chaos, eigenaarschap, verbinden".to_string(),
                    };
                    errors.push(c.error("cluster", "unknown cluster", hint));
                    None
                }
            },
            None => None,
        };
        let weight = match c.number("weight", &mut errors) {
            Some(w) if w != 0.0 && w.abs() <= 100.0 => Some(w),
            Some(w) if w != 0.0 => {
                errors.push(c.error(
                    "weight",
                    "a weight must lie between -100 and 100",
                    "weights are relative: 1 for an ordinary item, 2 for one that counts double",
                ));
                None
            }
            Some(_) => {
                errors.push(c.error(
                    "weight",
                    "a weight of 0 counts nothing",
                    "use a positive weight, a negative one for a reverse-keyed item, or remove the row",
                ));
                None
            }
            None => None,
        };
        let smin = c.opt_number("scale_min", &mut errors);
        let smax = c.opt_number("scale_max", &mut errors);
        let scale = match (smin, smax) {
            (Some(Some(lo)), Some(Some(hi))) if lo < hi => Some(Scale { min: lo, max: hi }),
            (Some(Some(_)), Some(Some(_))) => {
                errors.push(c.error(
                    "scale_max",
                    "scale_max must be above scale_min",
                    "e.g. scale_min 1 and scale_max 10 for TMA norm scores",
                ));
                None
            }
            (Some(Some(_)), Some(None)) | (Some(Some(_)), None) => {
                errors.push(c.error(
                    "scale_max",
                    "scale_min is given without scale_max",
                    "give both ends of the item's scale, or neither",
                ));
                None
            }
            (Some(None), Some(Some(_))) | (None, Some(Some(_))) => {
                errors.push(c.error(
                    "scale_min",
                    "scale_max is given without scale_min",
                    "give both ends of the item's scale, or neither",
                ));
                None
            }
            _ => None,
        };
        let bands = match c.optional("bands") {
            Some(text) => match parse_bands(&text) {
                Ok(b) => Some((b, text)),
                Err(why) => {
                    errors.push(c.error(
                        "bands",
                        format!("the bands cannot be read: {why}"),
                        "write label=number pairs separated by |, e.g. laag=1|gemiddeld=2|hoog=3",
                    ));
                    None
                }
            },
            None => None,
        };
        let (Some(item), Some(cluster), Some(weight)) = (item, cluster, weight) else {
            continue;
        };
        let key = item.to_lowercase();
        let k = *index.entry(key).or_insert_with(|| {
            pending.push(Pending {
                name: item.clone(),
                line: row.line,
                scale: None,
                bands: None,
                clusters: Vec::new(),
            });
            pending.len() - 1
        });
        let p = &mut pending[k];
        if let Some(&(_, _, first)) = p.clusters.iter().find(|(cl, _, _)| *cl == cluster) {
            errors.push(c.error(
                "cluster",
                format!("item '{item}' is already mapped to {cluster} on line {first}"),
                "give each item and cluster one row; put the combined weight on it",
            ));
            continue;
        }
        p.clusters.push((cluster, weight, row.line));
        if let Some(sc) = scale {
            match p.scale {
                Some((old, l)) if old != sc => errors.push(c.error(
                    "scale_min",
                    format!("item '{item}' has the scale {old} on line {l}"),
                    "one item has one scale; give it once or the same on every row",
                )),
                Some(_) => {}
                None => p.scale = Some((sc, row.line)),
            }
        }
        if let Some((b, text)) = bands {
            match &p.bands {
                Some((old, old_text, l)) if *old != b => errors.push(c.error(
                    "bands",
                    format!("item '{item}' has the bands '{old_text}' on line {l}"),
                    "one item has one set of bands; give it once or the same on every row",
                )),
                Some(_) => {}
                None => p.bands = Some((b, text, row.line)),
            }
        }
    }
    let mut items = Vec::with_capacity(pending.len());
    for p in pending {
        let bands = p
            .bands
            .as_ref()
            .map(|(b, _, _)| b.clone())
            .unwrap_or_default();
        let scale = match (p.scale, default_scale) {
            (Some((s, _)), _) => Some(s),
            (None, Some(s)) => Some(s),
            (None, None) => {
                let lo = bands.iter().map(|b| b.1).fold(f64::INFINITY, f64::min);
                let hi = bands.iter().map(|b| b.1).fold(f64::NEG_INFINITY, f64::max);
                (lo < hi).then_some(Scale { min: lo, max: hi })
            }
        };
        let Some(scale) = scale else {
            errors.push(
                InputError::file(
                    &t.file,
                    format!("item '{}' has no declared scale", p.name),
                    "add scale_min and scale_max columns to the mapping, or give --scale MIN-MAX (e.g. --scale 1-10)",
                )
                .at_line(p.line),
            );
            continue;
        };
        if let Some((b, text, line)) = &p.bands {
            if let Some((label, v)) = b.iter().find(|(_, v)| !scale.contains(*v)) {
                let mut e = InputError::file(
                    &t.file,
                    format!(
                        "the band '{label}' = {} lies outside the item's scale {scale}",
                        fmt(*v)
                    ),
                    "band numbers must lie on the item's scale",
                )
                .at_line(*line);
                if let Some(col) = t.column("bands") {
                    e = e.in_cell(col + 1, "bands", text);
                }
                errors.push(e);
                continue;
            }
        }
        items.push(Item {
            name: p.name,
            scale,
            bands,
            clusters: p.clusters.iter().map(|&(c, w, _)| (c, w)).collect(),
            line: p.line,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let index = items
        .iter()
        .enumerate()
        .map(|(i, it)| (it.name.to_lowercase(), i))
        .collect();
    Ok(Mapping {
        file: t.file.clone(),
        items,
        index,
    })
}

fn fmt(v: f64) -> String {
    super::fmt_num(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        Table::parse("map.csv", text).unwrap()
    }

    #[test]
    fn items_map_to_several_clusters_with_signed_weights() {
        let m = parse(
            &table("item,cluster,weight,scale_min,scale_max\nA,opgave,1,1,10\nA,verbinden,0.5,,\nb,Chaos,-1,1,5\n"),
            None,
        )
        .unwrap();
        assert_eq!(m.items.len(), 2);
        let a = &m.items[m.get("a").unwrap()];
        assert_eq!(
            a.clusters,
            vec![(Cluster::Opgave, 1.0), (Cluster::Verbinden, 0.5)]
        );
        assert_eq!(
            a.scale,
            Scale {
                min: 1.0,
                max: 10.0
            }
        );
        let b = &m.items[m.get("B").unwrap()];
        assert_eq!(b.clusters, vec![(Cluster::Chaos, -1.0)]);
        assert_eq!(b.scale, Scale { min: 1.0, max: 5.0 });
    }

    #[test]
    fn an_item_without_a_scale_needs_the_default_or_bands() {
        let t = table("item,cluster,weight\nA,opgave,1\n");
        let errs = parse(&t, None).unwrap_err();
        assert!(errs[0].message.contains("no declared scale"), "{errs:?}");
        let m = parse(&t, Some(Scale { min: 0.0, max: 4.0 })).unwrap();
        assert_eq!(m.items[0].scale.max, 4.0);
        let m = parse(
            &table("item,cluster,weight,bands\nA,opgave,1,laag=1|gemiddeld=2|hoog=3\n"),
            None,
        )
        .unwrap();
        assert_eq!(m.items[0].scale, Scale { min: 1.0, max: 3.0 });
        assert_eq!(m.items[0].value("Hoog"), Ok(3.0));
        assert_eq!(m.items[0].value("2,5"), Ok(2.5));
        assert!(m.items[0].value("zeer hoog").is_err());
        assert!(m.items[0].value("4").is_err());
    }

    #[test]
    fn unknown_cluster_zero_weight_and_duplicates_are_errors_with_their_cell() {
        let errs = parse(
            &table("item,cluster,weight,scale_min,scale_max\nA,verbinding,1,1,10\nB,opgave,0,1,10\nC,opgave,1,1,10\nC,opgave,2,1,10\n"),
            None,
        )
        .unwrap_err();
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert_eq!((errs[0].line, errs[0].column), (Some(2), Some(2)));
        assert!(errs[0].hint.contains("verbinden"));
        assert_eq!((errs[1].line, errs[1].column), (Some(3), Some(3)));
        assert_eq!(errs[2].line, Some(5));
        assert!(errs[2].message.contains("line 4"));
    }

    #[test]
    fn conflicting_scales_and_bands_outside_the_scale_are_errors() {
        let errs = parse(
            &table("item,cluster,weight,scale_min,scale_max\nA,opgave,1,1,10\nA,chaos,1,1,5\n"),
            None,
        )
        .unwrap_err();
        assert!(
            errs[0].message.contains("has the scale 1–10 on line 2"),
            "{errs:?}"
        );
        let errs = parse(
            &table("item,cluster,weight,scale_min,scale_max,bands\nA,opgave,1,1,5,laag=1|hoog=6\n"),
            None,
        )
        .unwrap_err();
        assert!(errs[0].message.contains("outside"), "{errs:?}");
        assert_eq!(errs[0].column, Some(6));
    }
}
