//! The stage models of a scenario in the two files every MILP solver reads:
//! CPLEX LP (`.lp`) and free MPS (`.mps`).
//!
//! The whole scenario is written as one model (its independent parts side
//! by side), so any solver sees exactly the problem ploeg solves. Stage 1
//! is the model as it stands; stage k adds one row per earlier stage that
//! holds that stage's objective at the value found (`hold_<stage>`).
//! Variable and row names are the model's own (`x[person@project/phase/role]`,
//! `capacity[person@period]`, …) with the characters a format does not allow
//! replaced, so every column maps back to a person and a role line.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use good_lp::{Constraint, Expression, IntoAffineExpression, Variable};

use super::milp::Milp;
use super::Instance;
use crate::domain::{Scenario, Stage};

/// A file format for a model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// CPLEX LP format.
    Lp,
    /// Free-format MPS.
    Mps,
}

impl Format {
    /// The format a file name asks for (`.lp` or `.mps`, any case).
    pub fn from_path(path: &Path) -> Result<Format, String> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "lp" => Ok(Format::Lp),
            "mps" => Ok(Format::Mps),
            _ => Err(format!(
                "{}: the model file must end in .lp (CPLEX LP) or .mps (free MPS)",
                path.display()
            )),
        }
    }
}

/// The file of stage `k` (0-based) of `order`: the given path for the first
/// stage, `NAME.<k+1>-<stage>.EXT` beside it for the others.
pub fn stage_path(path: &Path, order: &[Stage], k: usize) -> PathBuf {
    if k == 0 {
        return path.to_path_buf();
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    path.with_file_name(format!("{stem}.{}-{}.{ext}", k + 1, order[k].id()))
}

/// One row in `Σ coef · var (sense) rhs` form.
struct Row {
    name: String,
    terms: Vec<(usize, f64)>,
    equal: bool,
    rhs: f64,
}

/// A stage model ready to print.
pub struct StageModel {
    title: String,
    columns: Vec<Column>,
    objective: Vec<(usize, f64)>,
    /// The objective's constant, which neither format carries portably.
    offset: f64,
    rows: Vec<Row>,
}

struct Column {
    name: String,
    integer: bool,
    lower: f64,
    upper: f64,
}

fn index_of(milp: &Milp) -> HashMap<Variable, usize> {
    milp.all.iter().enumerate().map(|(i, &v)| (v, i)).collect()
}

/// Terms sorted by column, so the same model always prints the same bytes.
fn terms(e: &Expression, index: &HashMap<Variable, usize>) -> Vec<(usize, f64)> {
    let mut merged: BTreeMap<usize, f64> = BTreeMap::new();
    for (v, c) in e.linear_coefficients() {
        *merged.entry(index[&v]).or_default() += c;
    }
    merged.into_iter().filter(|&(_, c)| c != 0.0).collect()
}

fn row(name: String, c: &Constraint, index: &HashMap<Variable, usize>) -> Row {
    // good_lp keeps every row as `expression ≤ 0` (or `= 0`).
    let e = c.expression();
    Row {
        name,
        terms: terms(e, index),
        equal: c.is_equality(),
        rhs: -e.constant(),
    }
}

impl StageModel {
    /// Stage `k` of `order`: minimise its objective over the hard rows and
    /// the rows of stages up to `k`, with each earlier stage `j` held at
    /// `held[j]` (a value in the minimised sense, as the solver sees it).
    pub fn new(milp: &Milp, order: &[Stage], k: usize, held: &[f64], title: &str) -> StageModel {
        let index = index_of(milp);
        let defs: HashMap<Variable, (bool, f64, f64)> = milp
            .vars
            .iter_variables_with_def()
            .map(|(v, d)| (v, (d.is_integer(), d.get_min(), d.get_max())))
            .collect();
        let columns: Vec<Column> = milp
            .all
            .iter()
            .zip(&milp.var_names)
            .map(|(v, name)| {
                let (integer, lower, upper) = defs[v];
                Column {
                    name: name.clone(),
                    integer,
                    lower,
                    upper,
                }
            })
            .collect();
        let objective = milp.objective(order[k]);
        let objective_terms = terms(objective, &index);
        let mut rows: Vec<Row> = milp
            .rows_named_for(&order[..=k])
            .into_iter()
            .map(|(c, name)| row(name.to_string(), c, &index))
            .collect();
        for (j, &stage) in order[..k].iter().enumerate() {
            let e = milp.objective(stage);
            let value = held[j];
            let tol = 1e-6 * value.abs().max(1.0);
            rows.push(Row {
                name: format!("hold_{}", stage.id()),
                terms: terms(e, &index),
                equal: false,
                rhs: value + tol - e.constant(),
            });
        }
        // Auxiliaries of later stages appear in no row of this one.
        let mut used = vec![false; milp.all.len()];
        for &(j, _) in objective_terms
            .iter()
            .chain(rows.iter().flat_map(|r| &r.terms))
        {
            used[j] = true;
        }
        let mut renumber = vec![usize::MAX; used.len()];
        let mut kept = Vec::new();
        for (j, c) in columns.into_iter().enumerate() {
            if used[j] {
                renumber[j] = kept.len();
                kept.push(c);
            }
        }
        let remap = |t: &mut Vec<(usize, f64)>| t.iter_mut().for_each(|e| e.0 = renumber[e.0]);
        for r in &mut rows {
            remap(&mut r.terms);
        }
        let mut objective_terms = objective_terms;
        remap(&mut objective_terms);
        StageModel {
            title: format!(
                "{title}, stage {} of {}: minimise {}",
                k + 1,
                order.len(),
                order[k].id()
            ),
            columns: kept,
            objective: objective_terms,
            offset: objective.constant(),
            rows,
        }
    }

    pub fn columns(&self) -> usize {
        self.columns.len()
    }

    pub fn rows(&self) -> usize {
        self.rows.len()
    }

    /// The constant left out of the written objective: the stage's value is
    /// the solver's objective plus this.
    pub fn offset(&self) -> f64 {
        self.offset
    }

    /// The model in `format`.
    pub fn write(&self, format: Format) -> String {
        match format {
            Format::Lp => self.lp(),
            Format::Mps => self.mps(),
        }
    }

    fn lp(&self) -> String {
        let cols = unique(self.columns.iter().map(|c| lp_name(&c.name)));
        let rows = unique(self.rows.iter().map(|r| lp_name(&r.name)));
        let mut out = String::new();
        let _ = writeln!(out, "\\ {}", self.title);
        let _ = writeln!(
            out,
            "\\ objective constant {} (not written: add it to the objective value)",
            num(self.offset)
        );
        out.push_str("Minimize\n obj:");
        lp_terms(&mut out, &self.objective, &cols);
        out.push_str("\nSubject To\n");
        for (r, name) in self.rows.iter().zip(&rows) {
            let _ = write!(out, " {name}:");
            lp_terms(&mut out, &r.terms, &cols);
            let _ = writeln!(out, " {} {}", if r.equal { "=" } else { "<=" }, num(r.rhs));
        }
        out.push_str("Bounds\n");
        for (c, name) in self.columns.iter().zip(&cols) {
            if c.integer && c.lower == 0.0 && c.upper == 1.0 {
                continue;
            }
            let lower = if c.lower.is_finite() {
                num(c.lower)
            } else {
                "-inf".to_string()
            };
            if c.upper.is_finite() {
                let _ = writeln!(out, " {lower} <= {name} <= {}", num(c.upper));
            } else {
                let _ = writeln!(out, " {name} >= {lower}");
            }
        }
        let binaries: Vec<&String> = self
            .columns
            .iter()
            .zip(&cols)
            .filter(|(c, _)| c.integer && c.lower == 0.0 && c.upper == 1.0)
            .map(|(_, n)| n)
            .collect();
        let generals: Vec<&String> = self
            .columns
            .iter()
            .zip(&cols)
            .filter(|(c, _)| c.integer && !(c.lower == 0.0 && c.upper == 1.0))
            .map(|(_, n)| n)
            .collect();
        for (head, list) in [("Binaries", binaries), ("Generals", generals)] {
            if !list.is_empty() {
                let _ = writeln!(out, "{head}");
                for n in list {
                    let _ = writeln!(out, " {n}");
                }
            }
        }
        out.push_str("End\n");
        out
    }

    fn mps(&self) -> String {
        let cols = unique(self.columns.iter().map(|c| mps_name(&c.name)));
        let rows = unique(self.rows.iter().map(|r| mps_name(&r.name)));
        // Column-wise entries, in column order.
        let mut by_col: Vec<Vec<(usize, f64)>> = vec![Vec::new(); self.columns.len()];
        for (i, r) in self.rows.iter().enumerate() {
            for &(j, c) in &r.terms {
                by_col[j].push((i, c));
            }
        }
        let objective: HashMap<usize, f64> = self.objective.iter().copied().collect();
        let mut out = String::new();
        let _ = writeln!(out, "* {}", self.title);
        let _ = writeln!(
            out,
            "* objective constant {} (not written: add it to the objective value)",
            num(self.offset)
        );
        out.push_str("NAME ploeg\nOBJSENSE\n    MIN\nROWS\n N obj\n");
        for (r, name) in self.rows.iter().zip(&rows) {
            let _ = writeln!(out, " {} {name}", if r.equal { "E" } else { "L" });
        }
        out.push_str("COLUMNS\n");
        let mut in_marker = false;
        let mut markers = 0;
        for (j, (c, name)) in self.columns.iter().zip(&cols).enumerate() {
            if c.integer != in_marker {
                let _ = writeln!(
                    out,
                    "    M{markers} 'MARKER' '{}'",
                    if c.integer { "INTORG" } else { "INTEND" }
                );
                markers += 1;
                in_marker = c.integer;
            }
            let obj = objective.get(&j).copied().unwrap_or(0.0);
            // A column with no entry at all still has to appear.
            if obj != 0.0 || by_col[j].is_empty() {
                let _ = writeln!(out, "    {name} obj {}", num(obj));
            }
            for &(i, v) in &by_col[j] {
                let _ = writeln!(out, "    {name} {} {}", rows[i], num(v));
            }
        }
        if in_marker {
            let _ = writeln!(out, "    M{markers} 'MARKER' 'INTEND'");
        }
        out.push_str("RHS\n");
        for (r, name) in self.rows.iter().zip(&rows) {
            if r.rhs != 0.0 {
                let _ = writeln!(out, "    rhs {name} {}", num(r.rhs));
            }
        }
        out.push_str("BOUNDS\n");
        for (c, name) in self.columns.iter().zip(&cols) {
            if c.integer && c.lower == 0.0 && c.upper == 1.0 {
                let _ = writeln!(out, " BV bnd {name}");
                continue;
            }
            if c.lower != 0.0 {
                if c.lower.is_finite() {
                    let _ = writeln!(out, " LO bnd {name} {}", num(c.lower));
                } else {
                    let _ = writeln!(out, " MI bnd {name}");
                }
            }
            if c.upper.is_finite() {
                let _ = writeln!(out, " UP bnd {name} {}", num(c.upper));
            }
        }
        out.push_str("ENDATA\n");
        out
    }
}

/// Writes every stage model of the whole scenario: stage 1 to `path`, the
/// others beside it (see [`stage_path`]). `held[j]` is stage `j`'s value in
/// the minimised sense; the last stage's value is not needed. Nothing is
/// left behind when a file cannot be written. Returns (file, columns, rows)
/// per stage.
pub fn write_stages(
    s: &Scenario,
    held: &[f64],
    path: &Path,
) -> Result<Vec<(PathBuf, usize, usize)>, String> {
    let format = Format::from_path(path)?;
    let inst = Instance::build(s);
    let milp = Milp::build(s, &inst);
    let order = &s.settings.order;
    let title = format!("ploeg model of \"{}\"", s.settings.name.replace('\n', " "));
    let mut models = Vec::new();
    for k in 0..order.len() {
        let model = StageModel::new(&milp, order, k, held, &title);
        models.push((stage_path(path, order, k), model));
    }
    let texts: Vec<Vec<u8>> = models
        .iter()
        .map(|(_, m)| m.write(format).into_bytes())
        .collect();
    // A model file ploeg wrote names itself in its first line.
    let rule = Some(crate::report::output::Written::Holding("ploeg model of"));
    let files: Vec<(&Path, Vec<u8>, _)> = models
        .iter()
        .zip(texts)
        .map(|((target, _), text)| (target.as_path(), text, rule))
        .collect();
    crate::report::output::write_files(&files).map_err(|e| format!("{e:#}"))?;
    Ok(models
        .into_iter()
        .map(|(target, m)| (target, m.columns(), m.rows()))
        .collect())
}

fn lp_terms(out: &mut String, terms: &[(usize, f64)], cols: &[String]) {
    if terms.is_empty() {
        // An empty expression is written as zero times the first column.
        if let Some(c) = cols.first() {
            let _ = write!(out, " 0 {c}");
        }
        return;
    }
    for &(j, c) in terms {
        let sign = if c < 0.0 { '-' } else { '+' };
        let _ = write!(out, " {sign} {} {}", num(c.abs()), cols[j]);
    }
}

/// Shortest text that reads back as the same f64.
fn num(v: f64) -> String {
    if v == v.trunc() && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:?}")
    }
}

/// A name LP readers accept: letters, digits and `!"#$%&()/,.;?@_'{}|~`,
/// not starting with a digit or a period, at most 255 characters.
fn lp_name(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| match c {
            '[' => '(',
            ']' => ')',
            ':' => ';',
            c if c.is_ascii_alphanumeric() => c,
            '!' | '"' | '#' | '$' | '%' | '&' | '(' | ')' | '/' | ',' | '.' | ';' | '?' | '@'
            | '_' | '\'' | '{' | '}' | '|' | '~' => c,
            _ => '_',
        })
        .collect();
    if s.starts_with(|c: char| c.is_ascii_digit() || c == '.') || s.is_empty() {
        s.insert(0, '_');
    }
    s.truncate(240);
    s
}

/// A name free MPS accepts: no blanks, ASCII.
fn mps_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '$' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() {
        "_".to_string()
    } else {
        s
    }
}

/// Makes names distinct where replacing characters made two equal.
fn unique(names: impl Iterator<Item = String>) -> Vec<String> {
    let names: Vec<String> = names.collect();
    let mut seen: HashSet<String> = HashSet::with_capacity(names.len());
    names
        .into_iter()
        .map(|n| {
            if seen.insert(n.clone()) {
                return n;
            }
            let mut k = 2;
            loop {
                let candidate = format!("{n}~{k}");
                if seen.insert(candidate.clone()) {
                    return candidate;
                }
                k += 1;
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_their_meaning_and_become_legal() {
        assert_eq!(
            lp_name("x[P001@OSS-01/visie/sociaal makelaar]"),
            "x(P001@OSS_01/visie/sociaal_makelaar)"
        );
        assert_eq!(lp_name("cover[A/b:chaos]"), "cover(A/b;chaos)");
        assert_eq!(lp_name("1abc"), "_1abc");
        assert_eq!(mps_name("x[P 1]"), "x[P_1]");
    }

    #[test]
    fn names_made_equal_are_told_apart() {
        let u = unique(["a b", "a_b", "a b"].iter().map(|s| lp_name(s)));
        assert_eq!(u, vec!["a_b", "a_b~2", "a_b~3"]);
    }

    #[test]
    fn numbers_print_exactly() {
        assert_eq!(num(3.0), "3");
        assert_eq!(num(-2.0), "-2");
        assert_eq!(num(0.1), "0.1");
        assert_eq!(num(1.0 / 3.0).parse::<f64>().unwrap(), 1.0 / 3.0);
    }

    #[test]
    fn formats_follow_the_extension() {
        assert_eq!(Format::from_path(Path::new("m.LP")), Ok(Format::Lp));
        assert_eq!(Format::from_path(Path::new("a/m.mps")), Ok(Format::Mps));
        assert!(Format::from_path(Path::new("m.txt")).is_err());
        let order = [Stage::Unfilled, Stage::Balance];
        assert_eq!(
            stage_path(Path::new("d/m.lp"), &order, 0),
            Path::new("d/m.lp")
        );
        assert_eq!(
            stage_path(Path::new("d/m.lp"), &order, 1),
            Path::new("d/m.2-balance.lp")
        );
    }
}
