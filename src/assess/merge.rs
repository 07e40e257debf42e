//! Writes assessed cluster levels into an existing people.csv: only the
//! five cluster cells of assessed people change (missing cluster columns are
//! added at the end); every other cell, the column order, the delimiter, the
//! decimal mark, the encoding (UTF-8 with or without BOM, or Windows-1252)
//! and the line endings stay as they were.

use std::collections::{HashMap, HashSet};

use super::{fmt_num, Profiles};
use crate::domain::Cluster;
use crate::input::error::{InputError, InputErrors};
use crate::input::table::{decode, Table};

/// A people file read for merging.
#[derive(Debug)]
pub struct PeopleFile {
    pub file: String,
    text: String,
    bom: bool,
    utf8: bool,
    crlf: bool,
    table: Table,
}

impl PeopleFile {
    /// Decodes and parses a people file; it needs an `id` column.
    pub fn read(file: &str, bytes: &[u8]) -> Result<PeopleFile, InputErrors> {
        let text = decode(bytes).map_err(|m| {
            InputErrors::single(InputError::file(
                file,
                m,
                "in Excel: Save As → CSV UTF-8 or CSV (semicolon)",
            ))
        })?;
        let table = Table::parse(file, &text).map_err(InputErrors)?;
        let mut errors = Vec::new();
        if !table.require(&["id"], &mut errors) {
            return Err(InputErrors(errors));
        }
        let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]);
        Ok(PeopleFile {
            file: file.to_string(),
            bom: body.is_some(),
            utf8: std::str::from_utf8(body.unwrap_or(bytes)).is_ok(),
            crlf: text.contains("\r\n"),
            text,
            table,
        })
    }

    /// The person ids in the file.
    pub fn ids(&self) -> HashSet<String> {
        let col = self.table.column("id").unwrap_or(0);
        self.table
            .rows
            .iter()
            .map(|r| r.fields[col].clone())
            .filter(|id| !id.is_empty())
            .collect()
    }

    pub fn delimiter(&self) -> u8 {
        self.table.delimiter
    }

    /// The decimal mark the file already uses in its number columns; with
    /// no evidence, a comma for `;` files (Dutch Excel) and a point otherwise.
    fn decimal_comma(&self) -> bool {
        let mut cols: Vec<usize> = Cluster::ALL
            .iter()
            .filter_map(|c| self.table.column(c.id()))
            .collect();
        cols.extend(self.table.column("hours_per_week"));
        let cells = || {
            self.table
                .rows
                .iter()
                .flat_map(|r| cols.iter().map(move |&c| r.fields[c].as_str()))
        };
        if cells().any(|v| v.contains(',')) {
            return true;
        }
        if cells().any(|v| v.contains('.')) {
            return false;
        }
        self.table.delimiter == b';'
    }
}

/// What a merge did.
#[derive(Debug)]
pub struct Merged {
    pub bytes: Vec<u8>,
    /// Rows whose cluster cells were written.
    pub updated: usize,
    /// People in the file without assessment results (left as they were).
    pub not_assessed: Vec<String>,
    /// Cluster columns the file did not have.
    pub added_columns: Vec<&'static str>,
    /// (person, cluster) left as it was because no item carried it.
    pub kept_cells: Vec<(String, Cluster)>,
}

/// Merges the profiles into the people file.
pub fn merge(people: &PeopleFile, profiles: &Profiles) -> Result<Merged, InputErrors> {
    let delimiter = people.table.delimiter;
    let comma = people.decimal_comma();
    let by_id: HashMap<&str, usize> = profiles
        .profiles
        .iter()
        .enumerate()
        .map(|(i, p)| (p.person_id.as_str(), i))
        .collect();
    let normalised = people.text.replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(normalised.as_bytes());
    let mut builder = csv::WriterBuilder::new();
    builder
        .delimiter(delimiter)
        .flexible(true)
        .terminator(if people.crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        });
    let mut writer = crate::report::csv_out::writer_with(&builder);
    let fail = |e: csv::Error| {
        InputErrors::single(InputError::file(
            &people.file,
            format!("cannot rewrite the file: {e}"),
            "check that it is a valid CSV file",
        ))
    };
    let mut header: Option<(usize, [usize; 5])> = None;
    let mut out = Merged {
        bytes: Vec::new(),
        updated: 0,
        not_assessed: Vec::new(),
        added_columns: Vec::new(),
        kept_cells: Vec::new(),
    };
    for record in reader.records() {
        let record = record.map_err(fail)?;
        let mut fields: Vec<String> = record.iter().map(str::to_string).collect();
        if fields.iter().all(|f| f.trim().is_empty()) {
            writer.write_record(&fields).map_err(fail)?;
            continue;
        }
        match header {
            None => {
                let find = |fields: &[String], name: &str| {
                    fields.iter().position(|h| h.trim().to_lowercase() == name)
                };
                let id = find(&fields, "id").unwrap_or(0);
                let mut cols = [0; 5];
                for c in Cluster::ALL {
                    cols[c.index()] = match find(&fields, c.id()) {
                        Some(i) => i,
                        None => {
                            fields.push(c.id().to_string());
                            out.added_columns.push(c.id());
                            fields.len() - 1
                        }
                    };
                }
                header = Some((id, cols));
            }
            Some((id, cols)) => {
                let width = cols.iter().max().copied().unwrap_or(0) + 1;
                if fields.len() < width {
                    fields.resize(width, String::new());
                }
                let pid = fields[id].trim().to_string();
                match by_id.get(pid.as_str()) {
                    Some(&i) => {
                        let p = &profiles.profiles[i];
                        for c in Cluster::ALL {
                            match p.level(c) {
                                Some(v) => {
                                    let mut s = fmt_num(v);
                                    if comma {
                                        s = s.replace('.', ",");
                                    }
                                    fields[cols[c.index()]] = s;
                                }
                                None => out.kept_cells.push((pid.clone(), c)),
                            }
                        }
                        out.updated += 1;
                    }
                    None => out.not_assessed.push(pid),
                }
            }
        }
        writer.write_record(&fields).map_err(fail)?;
    }
    let bytes = writer.into_inner().map_err(|e| {
        InputErrors::single(InputError::file(
            &people.file,
            format!("cannot rewrite the file: {e}"),
            "",
        ))
    })?;
    let text = String::from_utf8_lossy(&bytes);
    out.bytes = if people.utf8 {
        let mut b = if people.bom {
            vec![0xEF, 0xBB, 0xBF]
        } else {
            Vec::new()
        };
        b.extend_from_slice(text.as_bytes());
        b
    } else {
        encoding_rs::WINDOWS_1252.encode(&text).0.into_owned()
    };
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::{assess, Options};

    fn profiles() -> Profiles {
        let m = Table::parse(
            "map.csv",
            "item,cluster,weight,scale_min,scale_max\na,opgave,1,1,10\nb,verbinden,1,1,10\n",
        )
        .unwrap();
        let i = Table::parse("items.csv", "person_id,a,b\np02,5.5,\n").unwrap();
        assess(&m, &i, &Options::default(), None).unwrap()
    }

    #[test]
    fn only_the_assessed_cells_change_and_the_excel_dialect_survives() {
        // Windows-1252 (ë), semicolons, decimal comma, CRLF, an extra column.
        let original = b"id;name;notitie;opgave;omgeving;chaos;eigenaarschap;verbinden\r\np01;Zo\xEB;x;7;6;5;4;3\r\np02;Bas;\"a;b\";7,5;6;5;4;3\r\n";
        let people = PeopleFile::read("people.csv", original).unwrap();
        let merged = merge(&people, &profiles()).unwrap();
        let expected = b"id;name;notitie;opgave;omgeving;chaos;eigenaarschap;verbinden\r\np01;Zo\xEB;x;7;6;5;4;3\r\np02;Bas;a;b;5,5;6;5;4;3\r\n";
        // The quoted cell keeps its quotes (it holds the delimiter).
        let expected = String::from_utf8_lossy(expected).replace("a;b", "\"a;b\"");
        assert_eq!(
            encoding_rs::WINDOWS_1252.decode(&merged.bytes).0,
            expected.replace('\u{FFFD}', "ë")
        );
        assert_eq!(merged.updated, 1);
        assert_eq!(merged.not_assessed, vec!["p01"]);
        assert_eq!(merged.kept_cells.len(), 4);
        assert!(merged.bytes.windows(3).any(|w| w == b"Zo\xEB"));
    }

    #[test]
    fn missing_cluster_columns_are_added_and_a_bom_is_kept() {
        let original = "\u{FEFF}id,name\np02,Bas\n".as_bytes();
        let people = PeopleFile::read("people.csv", original).unwrap();
        let merged = merge(&people, &profiles()).unwrap();
        assert_eq!(merged.added_columns.len(), 5);
        assert_eq!(
            merged.bytes,
            "\u{FEFF}id,name,opgave,omgeving,chaos,eigenaarschap,verbinden\np02,Bas,5.5,,,,\n"
                .as_bytes()
        );
    }
}
