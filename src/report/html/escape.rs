//! HTML escaping. Every string that comes from a file (names, project ids,
//! phase names, reasons) passes through here before it reaches the page,
//! as element text or as a double-quoted attribute value.

use std::fmt;

/// Escapes text for element content and double- or single-quoted
/// attribute values alike. Control characters other than tab and newline
/// are dropped: they have no place in a report and some break parsers; so
/// are bidirectional overrides, which make a name read as another.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            '\t' | '\n' => o.push(c),
            c if c.is_control() || crate::report::csv_out::is_bidi_control(c) => {}
            c => o.push(c),
        }
    }
    o
}

/// A value that displays escaped, for `format!("<td>{}</td>", Esc(name))`.
pub struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&escape(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_overrides_do_not_reach_the_page() {
        assert_eq!(escape("Ann\u{202E}gnirts\u{2066}x"), "Anngnirtsx");
    }

    #[test]
    fn markup_becomes_text() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(escape("a & b"), "a &amp; b");
    }

    #[test]
    fn quotes_cannot_leave_an_attribute() {
        let v = escape("x\" onmouseover=\"alert(1)");
        assert!(!v.contains('"'), "{v}");
        assert_eq!(escape("'"), "&#39;");
    }

    #[test]
    fn plain_and_dutch_text_stays_as_it_is() {
        assert_eq!(escape("'s-Hertogenbosch"), "&#39;s-Hertogenbosch");
        assert_eq!(escape("Jeroen Baëlde — één"), "Jeroen Baëlde — één");
        assert_eq!(escape("a\u{0}b\u{1b}c"), "abc");
    }

    #[test]
    fn display_wrapper_escapes() {
        assert_eq!(format!("{}", Esc("<b>")), "&lt;b&gt;");
    }
}
