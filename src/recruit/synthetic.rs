//! Fictional candidates for examples and benchmarks: the people of a
//! generated scenario (`generate`), renumbered `c001`, …, without home
//! municipality, organisation or availability window (a new hire starts
//! wherever `ploeg rank --municipality` says, and is available throughout),
//! with their expertise in the `expertise` column. Deterministic.

use std::collections::BTreeMap;

use crate::generate::{generate, GenerateParams};
use crate::input::table::Table;

/// candidates.csv for `n` candidates drawn with `seed`.
pub fn candidates_csv(n: usize, seed: u64) -> Result<String, String> {
    let g = generate(&GenerateParams {
        people: n,
        municipalities: 3,
        projects: None,
        seed,
        load: None,
    })?;
    let people = Table::parse("people.csv", g.file("people.csv").unwrap_or(""))
        .map_err(|e| format!("{e:?}"))?;
    let expertise = Table::parse("expertise.csv", g.file("expertise.csv").unwrap_or(""))
        .map_err(|e| format!("{e:?}"))?;
    let mut fields: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for r in &expertise.rows {
        fields
            .entry(r.fields[0].as_str())
            .or_default()
            .push(format!("{}:{}", r.fields[1], r.fields[2]));
    }
    let blank = [
        "organisation",
        "municipality",
        "available_from",
        "available_until",
    ];
    let keep: Vec<usize> = (0..people.headers.len())
        .filter(|&i| !blank.contains(&people.headers[i].as_str()))
        .collect();
    let mut w = crate::report::csv_out::writer();
    let mut header: Vec<&str> = keep.iter().map(|&i| people.headers[i].as_str()).collect();
    header.push("expertise");
    w.write_record(&header).map_err(|e| e.to_string())?;
    for (k, r) in people.rows.iter().enumerate() {
        let mut rec: Vec<String> = keep.iter().map(|&i| r.fields[i].clone()).collect();
        rec[0] = format!("c{:03}", k + 1);
        rec.push(
            fields
                .get(r.fields[0].as_str())
                .map(|f| f.join("|"))
                .unwrap_or_default(),
        );
        w.write_record(&rec).map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_are_renumbered_and_carry_their_expertise() {
        let text = candidates_csv(20, 3).unwrap();
        assert_eq!(text, candidates_csv(20, 3).unwrap());
        let t = Table::parse("c.csv", &text).unwrap();
        assert_eq!(t.rows.len(), 20);
        assert_eq!(t.rows[0].fields[0], "c001");
        assert!(t.column("municipality").is_none());
        let e = t.column("expertise").unwrap();
        assert!(t.rows.iter().any(|r| r.fields[e].contains(':')));
    }
}
