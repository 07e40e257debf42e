//! The one place that reads CSV: encoding (UTF-8 with or without BOM, or
//! Windows-1252 as Dutch Excel writes it), delimiter (`,` `;` or tab, sniffed
//! from the header), decimal comma or point, and typed cell access that
//! records every problem with its file, line and column.

use super::error::InputError;
use crate::domain::Date;

/// A CSV file read into memory with its header and source line numbers.
#[derive(Debug)]
pub struct Table {
    pub file: String,
    /// 1-based line of the header row.
    pub header_line: u64,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
    pub delimiter: u8,
}

#[derive(Debug)]
pub struct Row {
    /// 1-based line where the record starts.
    pub line: u64,
    pub fields: Vec<String>,
}

/// Decodes bytes as UTF-8 (dropping a BOM) or as Windows-1252, without
/// guessing: Windows-1252 only when the file holds no valid UTF-8
/// multi-byte sequence at all. A file that is UTF-8 but for some bytes
/// mixes encodings, and is refused with the place of the first bad byte.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("the file is UTF-16; save it as CSV UTF-8 or plain CSV".into());
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(
            "this is a workbook (.xlsx or .ods), not a CSV file; in Excel: Save As → CSV UTF-8"
                .into(),
        );
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(
            "this is an old Excel workbook (.xls), not a CSV file; in Excel: Save As → CSV UTF-8"
                .into(),
        );
    }
    if bytes.contains(&0) {
        return Err("the file holds NUL bytes: it looks like UTF-16 (Excel's \"Unicode text\") or a binary file; save it as CSV UTF-8 or plain CSV".into());
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let (multibyte, first_bad) = utf8_status(bytes);
    match first_bad {
        None => Ok(String::from_utf8_lossy(bytes).into_owned()),
        Some(at) if multibyte => {
            let before = &bytes[..at];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
            Err(format!(
                "this file mixes encodings: it is UTF-8, but line {line}, column {column} holds the byte 0x{:02X}, which is not; save it again as CSV UTF-8",
                bytes[at]
            ))
        }
        Some(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Ok(text.into_owned())
        }
    }
}

/// Whether the bytes hold a valid UTF-8 multi-byte sequence, and where the
/// first byte that is not UTF-8 is.
fn utf8_status(bytes: &[u8]) -> (bool, Option<usize>) {
    let mut multibyte = false;
    let mut first_bad = None;
    let mut i = 0;
    while i < bytes.len() {
        match std::str::from_utf8(&bytes[i..]) {
            Ok(rest) => {
                multibyte |= !rest.is_ascii();
                break;
            }
            Err(e) => {
                let valid = &bytes[i..i + e.valid_up_to()];
                multibyte |= !valid.is_ascii();
                first_bad.get_or_insert(i + e.valid_up_to());
                i += e.valid_up_to() + e.error_len().unwrap_or(1);
            }
        }
    }
    (multibyte, first_bad)
}

/// The line where a double-quoted field opens and never closes, if any.
fn unclosed_quote(text: &str, delimiter: u8) -> Option<u64> {
    let mut line = 1u64;
    let mut quoted_since: Option<u64> = None;
    let mut at_field_start = true;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quoted_since {
            Some(_) if b == b'"' => {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted_since = None;
                }
            }
            Some(_) => {}
            None if b == b'"' && at_field_start => quoted_since = Some(line),
            None => {}
        }
        if b == b'\n' {
            line += 1;
        }
        if quoted_since.is_none() {
            at_field_start = b == delimiter || b == b'\n' || (at_field_start && b == b' ');
        }
        i += 1;
    }
    quoted_since
}

/// Picks the delimiter that occurs most often outside quotes on the first line.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

impl Table {
    /// Parses CSV text. `file` is the name used in messages.
    pub fn parse(file: &str, text: &str) -> Result<Table, Vec<InputError>> {
        // Excel writes CRLF; csv's line positions are off by one with it.
        let normalised;
        let text = if text.contains("\r\n") {
            normalised = text.replace("\r\n", "\n");
            normalised.as_str()
        } else {
            text
        };
        let delimiter = sniff_delimiter(text);
        if let Some(line) = unclosed_quote(text, delimiter) {
            return Err(vec![InputError::file(
                file,
                format!("a double quote opened on line {line} is never closed"),
                "close the quoted value with a second \" or remove the quote",
            )
            .at_line(line)]);
        }
        // Cells are trimmed here rather than by csv's Trim::All, which
        // rebuilds every record and makes large files several times slower.
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut headers: Option<Vec<String>> = None;
        let mut header_line = 1;
        let mut rows = Vec::new();
        let mut errors = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    errors.push(
                        InputError::file(
                            file,
                            format!("this line is not valid CSV: {e}"),
                            "check for an unclosed double quote",
                        )
                        .at_line(line),
                    );
                    break;
                }
            }
            let line = record.position().map(|p| p.line()).unwrap_or(0);
            if record.iter().all(|f| f.trim().is_empty()) {
                continue; // blank lines and Excel's trailing ";;;;" rows
            }
            // Control and bidi-override characters are never data: they
            // would reach terminals, spreadsheets and the report.
            let fields: Vec<String> = record
                .iter()
                .map(|f| crate::report::csv_out::strip_controls(f).trim().to_string())
                .collect();
            match &headers {
                None => {
                    // csv does not count blank lines before the first record.
                    header_line = text
                        .lines()
                        .position(|l| {
                            l.chars()
                                .any(|c| !c.is_whitespace() && c as u32 != u32::from(delimiter))
                        })
                        .map(|i| i as u64 + 1)
                        .unwrap_or(line);
                    headers = Some(fields.iter().map(|h| h.to_lowercase()).collect());
                }
                Some(h) => {
                    if fields.len() != h.len() {
                        // A trailing empty cell from a spreadsheet is harmless.
                        let extra_empty = fields.len() > h.len()
                            && fields[h.len()..].iter().all(|f| f.is_empty());
                        if !extra_empty {
                            errors.push(
                                InputError::file(
                                    file,
                                    format!(
                                        "this row has {} columns but the header has {}",
                                        fields.len(),
                                        h.len()
                                    ),
                                    format!(
                                        "every row needs one value per header column, separated by '{}'; \
                                         quote values that contain the separator",
                                        delimiter as char
                                    ),
                                )
                                .at_line(line),
                            );
                            continue;
                        }
                    }
                    let mut fields = fields;
                    fields.truncate(h.len());
                    rows.push(Row { line, fields });
                }
            }
        }
        let Some(headers) = headers else {
            errors.push(InputError::file(
                file,
                "the file is empty",
                "the first line must be the header row; see docs/data-format.md",
            ));
            return Err(errors);
        };
        let mut seen = std::collections::BTreeSet::new();
        for (i, h) in headers.iter().enumerate() {
            if !h.is_empty() && !seen.insert(h.clone()) {
                errors.push(
                    InputError::file(
                        file,
                        "this column appears twice in the header",
                        "remove one of them",
                    )
                    .at_line(header_line)
                    .in_cell(i + 1, h, h),
                );
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Table {
            file: file.to_string(),
            header_line,
            headers,
            rows,
            delimiter,
        })
    }

    /// Index of a column by header name (headers are compared lower-case).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// Checks the required columns, reporting each missing one once.
    pub fn require(&self, columns: &[&str], errors: &mut Vec<InputError>) -> bool {
        let mut ok = true;
        for c in columns {
            if self.column(c).is_none() {
                ok = false;
                errors.push(
                    InputError::file(
                        &self.file,
                        format!("the required column '{c}' is missing"),
                        format!(
                            "the header must contain: {}; it has: {}",
                            columns.join(", "),
                            self.headers.join(", ")
                        ),
                    )
                    .at_line(self.header_line)
                    .field(c),
                );
            }
        }
        ok
    }

    /// Error for a file with a header but no data rows.
    pub fn require_rows(&self, errors: &mut Vec<InputError>) -> bool {
        if self.rows.is_empty() {
            errors.push(InputError::file(
                &self.file,
                "the file has a header but no rows",
                "add at least one row below the header",
            ));
            return false;
        }
        true
    }
}

/// Typed access to one row; every failure becomes an [`InputError`].
pub struct Cells<'a> {
    pub table: &'a Table,
    pub row: &'a Row,
}

impl<'a> Cells<'a> {
    pub fn new(table: &'a Table, row: &'a Row) -> Cells<'a> {
        Cells { table, row }
    }

    pub fn line(&self) -> u64 {
        self.row.line
    }

    /// The trimmed text of a column, "" when the column is absent.
    pub fn text(&self, name: &str) -> &'a str {
        match self.table.column(name) {
            Some(i) => self.row.fields.get(i).map(String::as_str).unwrap_or(""),
            None => "",
        }
    }

    /// An error located at this row's cell of `name`.
    pub fn error(
        &self,
        name: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> InputError {
        let e = InputError::file(&self.table.file, message, hint).at_line(self.row.line);
        match self.table.column(name) {
            Some(i) => e.in_cell(i + 1, name, self.text(name)),
            None => e.field(name),
        }
    }

    /// A non-empty text value.
    pub fn required(&self, name: &str, errors: &mut Vec<InputError>) -> Option<String> {
        let v = self.text(name);
        if v.is_empty() {
            errors.push(self.error(name, "this cell is empty", format!("fill in '{name}'")));
            None
        } else {
            Some(v.to_string())
        }
    }

    pub fn optional(&self, name: &str) -> Option<String> {
        let v = self.text(name);
        (!v.is_empty()).then(|| v.to_string())
    }

    /// A number (decimal comma or point); `None` for an empty cell.
    pub fn opt_number(&self, name: &str, errors: &mut Vec<InputError>) -> Option<Option<f64>> {
        let v = self.text(name);
        if v.is_empty() {
            return Some(None);
        }
        match parse_number(v) {
            Some(n) => Some(Some(n)),
            None => {
                errors.push(self.error(
                    name,
                    "this is not a number",
                    "write a number such as 32 or 3,5 (decimal comma or point)",
                ));
                None
            }
        }
    }

    /// A required number.
    pub fn number(&self, name: &str, errors: &mut Vec<InputError>) -> Option<f64> {
        match self.opt_number(name, errors)? {
            Some(n) => Some(n),
            None => {
                errors.push(self.error(
                    name,
                    "this cell is empty",
                    format!("fill in a number for '{name}'"),
                ));
                None
            }
        }
    }

    /// A yes/no value; `default` for an empty cell.
    pub fn boolean(&self, name: &str, default: bool, errors: &mut Vec<InputError>) -> Option<bool> {
        let v = self.text(name);
        if v.is_empty() {
            return Some(default);
        }
        match parse_bool(v) {
            Some(b) => Some(b),
            None => {
                errors.push(self.error(
                    name,
                    "this is not yes or no",
                    "write true/false, yes/no, ja/nee or 1/0",
                ));
                None
            }
        }
    }

    /// An ISO date; `None` inside for an empty cell.
    pub fn opt_date(&self, name: &str, errors: &mut Vec<InputError>) -> Option<Option<Date>> {
        let v = self.text(name);
        if v.is_empty() {
            return Some(None);
        }
        match v.parse::<Date>() {
            Ok(d) if !(1900..=2200).contains(&d.year()) => {
                errors.push(self.error(
                    name,
                    "dates must lie between 1900 and 2200",
                    "check the year",
                ));
                None
            }
            Ok(d) => Some(Some(d)),
            Err(()) => {
                errors.push(self.error(
                    name,
                    "this is not a valid date",
                    "write dates as YYYY-MM-DD, e.g. 2026-03-01 (set the column to text in Excel)",
                ));
                None
            }
        }
    }

    pub fn date(&self, name: &str, errors: &mut Vec<InputError>) -> Option<Date> {
        match self.opt_date(name, errors)? {
            Some(d) => Some(d),
            None => {
                errors.push(self.error(name, "this cell is empty", "write a date as YYYY-MM-DD"));
                None
            }
        }
    }
}

/// Parses `3.5`, `3,5`, `1.234,5` and `1,234.5`.
pub fn parse_number(v: &str) -> Option<f64> {
    let v = v.trim();
    let normalised = match (v.rfind(','), v.rfind('.')) {
        (Some(c), Some(p)) if c > p => v.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => v.replace(',', ""),
        (Some(_), None) => {
            if v.matches(',').count() > 1 {
                return None;
            }
            v.replace(',', ".")
        }
        _ => v.to_string(),
    };
    if normalised.is_empty()
        || !normalised
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
    {
        return None;
    }
    normalised.parse::<f64>().ok().filter(|n| n.is_finite())
}

pub fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_lowercase().as_str() {
        "true" | "yes" | "ja" | "j" | "y" | "1" | "waar" | "x" => Some(true),
        "false" | "no" | "nee" | "n" | "0" | "onwaar" => Some(false),
        _ => None,
    }
}

/// Splits a `|`-separated list cell, dropping empty entries.
pub fn split_list(v: &str) -> Vec<String> {
    v.split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_with_decimal_comma_or_point() {
        assert_eq!(parse_number("3,5"), Some(3.5));
        assert_eq!(parse_number("3.5"), Some(3.5));
        assert_eq!(parse_number("1.234,5"), Some(1234.5));
        assert_eq!(parse_number("1,234.5"), Some(1234.5));
        assert_eq!(parse_number("-2"), Some(-2.0));
        assert_eq!(parse_number("12 uur"), None);
        assert_eq!(parse_number("1,2,3"), None);
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("inf"), None);
    }

    #[test]
    fn semicolon_file_with_bom_and_windows_1252() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice(b"id;name;hours\np1;Jo;32,5\n");
        let t = Table::parse("x.csv", &decode(&bytes).unwrap()).unwrap();
        assert_eq!(t.delimiter, b';');
        assert_eq!(t.headers, vec!["id", "name", "hours"]);
        assert_eq!(t.rows[0].fields[2], "32,5");
        assert_eq!(t.rows[0].line, 2);

        // "Zoë" in Windows-1252: ë = 0xEB, not valid UTF-8.
        let latin = b"id,name\np1,Zo\xEB\n";
        let t = Table::parse("x.csv", &decode(latin).unwrap()).unwrap();
        assert_eq!(t.rows[0].fields[1], "Zoë");
    }

    #[test]
    fn wrong_column_count_is_reported_with_its_line() {
        let errs = Table::parse("x.csv", "a,b,c\n1,2,3\n1,2\n").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, Some(3));
        assert!(errs[0].message.contains("2 columns but the header has 3"));
    }

    #[test]
    fn empty_file_is_an_error_and_trailing_separators_are_not() {
        assert!(Table::parse("x.csv", "").is_err());
        let t = Table::parse("x.csv", "a;b\n1;2;\n;;\n").unwrap();
        assert_eq!(t.rows.len(), 1);
    }

    #[test]
    fn booleans_in_dutch_and_english() {
        assert_eq!(parse_bool("Ja"), Some(true));
        assert_eq!(parse_bool("ONWAAR"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }
}

#[cfg(test)]
mod crlf_tests {
    use super::*;

    #[test]
    fn line_numbers_hold_with_windows_line_endings() {
        let t = Table::parse("x.csv", "a;b\r\n1;2\r\n3;4\r\n").unwrap();
        assert_eq!(
            t.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![2, 3]
        );
        assert_eq!(t.header_line, 1);
    }
}
