//! Aligned text tables for the terminal: a header row and rows of cells,
//! each column as wide as its widest cell (counted in characters, so `ë`
//! and `–` take one place), text left-aligned and numbers right-aligned.

/// Renders the table with two spaces of indent and two between columns.
/// `right[i]` right-aligns column `i`.
pub fn aligned(headers: &[&str], rows: &[Vec<String>], right: &[bool]) -> String {
    let n = headers.len();
    let mut width: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            width[i] = width[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::from(" ");
        for (i, c) in cells.iter().enumerate() {
            let pad = width[i].saturating_sub(c.chars().count());
            s.push(' ');
            if right.get(i).copied().unwrap_or(false) {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                if i + 1 < cells.len() {
                    s.push_str(&" ".repeat(pad));
                }
            }
            if i + 1 < cells.len() {
                s.push(' ');
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(headers.to_vec());
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_as_wide_as_their_widest_cell() {
        let t = aligned(
            &["name", "gap"],
            &[
                vec!["Zoë".into(), "1.5".into()],
                vec!["Bas Bos".into(), "12.0".into()],
            ],
            &[false, true],
        );
        assert_eq!(t, "  name      gap\n  Zoë       1.5\n  Bas Bos  12.0\n");
    }
}
