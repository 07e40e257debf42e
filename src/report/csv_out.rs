//! The one place that writes CSV, so that no cell ploeg writes is run by a
//! spreadsheet: a text cell that starts with `=`, `+`, `-`, `@`, a tab, CR
//! or LF is written with a leading `'` (OWASP's advice on CSV injection),
//! while numbers, negative ones included, stay numbers. Control characters
//! and bidirectional-override characters are removed from every cell.

use std::borrow::Cow;

/// Characters that reorder text on screen (U+202A–U+202E, U+2066–U+2069)
/// and the invisible direction marks, which can make a name read as
/// something else.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Control characters that have no place in a cell or on a terminal: C0
/// (but tab, CR and LF), DEL and C1.
pub fn is_stray_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_bidi_control(c)
}

/// `v` without stray control and bidi characters.
pub fn strip_controls(v: &str) -> Cow<'_, str> {
    if v.chars().any(is_stray_control) {
        Cow::Owned(v.chars().filter(|&c| !is_stray_control(c)).collect())
    } else {
        Cow::Borrowed(v)
    }
}

/// A plain number as ploeg and spreadsheets write it: optional sign,
/// digits, one decimal point or comma, optional exponent.
fn is_plain_number(v: &str) -> bool {
    let body = v.strip_prefix(['-', '+']).unwrap_or(v);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let mut seen_sep = false;
    let mut digits = 0;
    for c in mantissa.chars() {
        match c {
            '0'..='9' => digits += 1,
            '.' | ',' if !seen_sep => seen_sep = true,
            _ => return false,
        }
    }
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    digits > 0 && exponent_ok
}

/// The cell as it is safe to write.
pub fn safe_cell(v: &str) -> Cow<'_, str> {
    let v = strip_controls(v);
    let risky = v.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']);
    if risky && !is_plain_number(&v) {
        Cow::Owned(format!("'{v}"))
    } else {
        v
    }
}

/// A CSV writer into memory whose every cell goes through [`safe_cell`].
pub struct Writer {
    inner: csv::Writer<Vec<u8>>,
}

/// A comma-separated writer (the output default).
pub fn writer() -> Writer {
    Writer {
        inner: csv::Writer::from_writer(Vec::new()),
    }
}

/// A writer with the caller's dialect (delimiter, quoting).
pub fn writer_with(builder: &csv::WriterBuilder) -> Writer {
    Writer {
        inner: builder.from_writer(Vec::new()),
    }
}

impl Writer {
    pub fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        let cells: Vec<String> = record
            .into_iter()
            .map(|c| safe_cell(c.as_ref()).into_owned())
            .collect();
        self.inner.write_record(&cells)
    }

    /// The written bytes (writing into memory fails only on a bug).
    pub fn into_inner(self) -> Result<Vec<u8>, std::io::Error> {
        self.inner
            .into_inner()
            .map_err(|e| std::io::Error::other(e.error().to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_get_a_quote_and_numbers_stay_numbers() {
        for (cell, written) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+31 6 1234", "'+31 6 1234"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("-x", "'-x"),
            ("\t=1+1", "'\t=1+1"),
            ("-3", "-3"),
            ("-0.25", "-0.25"),
            ("+5", "+5"),
            ("1e-5", "1e-5"),
            ("-1,5", "-1,5"),
            ("Bas Bos", "Bas Bos"),
            ("'s-Hertogenbosch", "'s-Hertogenbosch"),
        ] {
            assert_eq!(safe_cell(cell), written, "{cell:?}");
        }
    }

    #[test]
    fn controls_and_bidi_overrides_are_removed() {
        assert_eq!(safe_cell("Rajesh\u{1b}[2J\u{7}"), "Rajesh[2J");
        assert_eq!(safe_cell("abc\u{202E}fed"), "abcfed");
        assert_eq!(safe_cell("a\u{85}b"), "ab");
    }

    #[test]
    fn the_writer_escapes_every_cell() {
        let mut w = writer();
        w.write_record(["=1+1", "-2"]).unwrap();
        assert_eq!(w.into_inner().unwrap(), b"'=1+1,-2\n");
    }
}
