//! The report's two languages: English (default) and Dutch. Labels stand
//! beside their use as `lang.t("English", "Nederlands")`; numbers follow the
//! language (1,234.5 or 1.234,5); cluster names are the workbook's.

use crate::domain::Cluster;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    En,
    Nl,
}

impl Lang {
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "nl" => Some(Lang::Nl),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }

    /// The label in this language.
    pub fn t(self, en: &'static str, nl: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Nl => nl,
        }
    }

    /// A number with `decimals` decimals and grouped thousands.
    pub fn num(self, v: f64, decimals: usize) -> String {
        let v = if v.is_finite() { v } else { 0.0 };
        let s = format!("{:.*}", decimals, v + 0.0);
        let (sign, s) = match s.strip_prefix('-') {
            Some(rest) if rest.chars().any(|c| c.is_ascii_digit() && c != '0') => ("-", rest),
            Some(rest) => ("", rest),
            None => ("", s.as_str()),
        };
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (s, None),
        };
        let (group, point) = match self {
            Lang::En => (',', '.'),
            Lang::Nl => ('.', ','),
        };
        let mut out = String::from(sign);
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(group);
            }
            out.push(c);
        }
        if let Some(f) = frac {
            out.push(point);
            out.push_str(f);
        }
        out
    }

    /// A number with up to `decimals` decimals, trailing zeros dropped.
    pub fn short(self, v: f64, decimals: usize) -> String {
        let s = self.num(v, decimals);
        let point = self.t(".", ",");
        if s.contains(point) {
            s.trim_end_matches('0').trim_end_matches(point).to_string()
        } else {
            s
        }
    }

    /// A share in [0, 1] as a whole percentage.
    pub fn pct(self, share: f64) -> String {
        format!("{}%", self.num(share * 100.0, 0))
    }

    /// The cluster's full name: the workbook's in Dutch, a translation in English.
    pub fn cluster(self, c: Cluster) -> &'static str {
        match self {
            Lang::Nl => c.workbook_name(),
            Lang::En => match c {
                Cluster::Opgave => "Putting the task first",
                Cluster::Omgeving => "Being sensitive to the surroundings",
                Cluster::Chaos => "Loving chaos, creative and innovative",
                Cluster::Eigenaarschap => "Ownership and strategic leadership",
                Cluster::Verbinden => "Connecting disciplines and organisations",
            },
        }
    }

    /// A one-word label for a chart axis.
    pub fn cluster_short(self, c: Cluster) -> &'static str {
        match c {
            Cluster::Opgave => self.t("Task", "Opgave"),
            Cluster::Omgeving => self.t("Surroundings", "Omgeving"),
            Cluster::Chaos => "Chaos",
            Cluster::Eigenaarschap => self.t("Ownership", "Eigenaarschap"),
            Cluster::Verbinden => self.t("Connecting", "Verbinden"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(Lang::En.num(1484.0, 1), "1,484.0");
        assert_eq!(Lang::Nl.num(1484.0, 1), "1.484,0");
        assert_eq!(Lang::En.num(1234567.891, 2), "1,234,567.89");
        assert_eq!(Lang::Nl.num(-2500.0, 0), "-2.500");
        assert_eq!(Lang::En.num(-0.001, 1), "0.0");
        assert_eq!(Lang::En.num(999.0, 0), "999");
        assert_eq!(Lang::Nl.short(2.50, 2), "2,5");
        assert_eq!(Lang::En.short(1000.0, 2), "1,000");
        assert_eq!(Lang::Nl.pct(0.767), "77%");
    }

    #[test]
    fn dutch_cluster_names_are_the_workbooks() {
        assert_eq!(
            Lang::Nl.cluster(Cluster::Opgave),
            "De opgave centraal stellen"
        );
        assert_eq!(
            Lang::Nl.cluster(Cluster::Verbinden),
            Cluster::Verbinden.workbook_name()
        );
        assert_ne!(
            Lang::En.cluster(Cluster::Chaos),
            Lang::Nl.cluster(Cluster::Chaos)
        );
    }
}
