//! Input errors as values: where (file, line, column, field), what (value,
//! message) and how to fix it (hint). Validation collects all of them.

use std::fmt;

/// One problem found in the input files.
#[derive(Clone, Debug, PartialEq)]
pub struct InputError {
    pub file: String,
    /// 1-based line in the file, when the problem is on one line.
    pub line: Option<u64>,
    /// 1-based column number, when the problem is in one cell.
    pub column: Option<usize>,
    /// The column's header or the setting's key.
    pub field: Option<String>,
    pub value: Option<String>,
    pub message: String,
    pub hint: String,
}

impl InputError {
    pub fn file(file: &str, message: impl Into<String>, hint: impl Into<String>) -> InputError {
        InputError {
            file: file.to_string(),
            line: None,
            column: None,
            field: None,
            value: None,
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn at_line(mut self, line: u64) -> InputError {
        self.line = Some(line);
        self
    }

    pub fn in_cell(mut self, column: usize, field: &str, value: &str) -> InputError {
        self.column = Some(column);
        self.field = Some(field.to_string());
        self.value = Some(shorten(value));
        self
    }

    pub fn field(mut self, field: &str) -> InputError {
        self.field = Some(field.to_string());
        self
    }
}

/// Most characters of a value echoed in a message.
pub const MAX_ECHO: usize = 80;

/// Most problems listed at once; the rest are counted.
pub const MAX_LISTED: usize = 50;

/// A value as a message echoes it: at most [`MAX_ECHO`] characters.
pub fn shorten(value: &str) -> String {
    let n = value.chars().count();
    if n <= MAX_ECHO {
        value.to_string()
    } else {
        let head: String = value.chars().take(MAX_ECHO).collect();
        format!("{head}… ({n} characters)")
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": ")?;
        match (&self.field, &self.value) {
            (Some(field), Some(value)) => write!(f, "{field} = \"{value}\": ")?,
            (Some(field), None) => write!(f, "{field}: ")?,
            _ => {}
        }
        write!(f, "{}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, "\n    hint: {}", self.hint)?;
        }
        Ok(())
    }
}

/// A command used in a way it cannot run: a flag value out of range, an
/// output folder that may not be written. Exit code 2, like input errors;
/// nothing was written.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Every problem found in a scenario folder, in file and line order.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct InputErrors(pub Vec<InputError>);

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "{n} problem{} in the input:",
            if n == 1 { "" } else { "s" }
        )?;
        for e in self.0.iter().take(MAX_LISTED) {
            writeln!(f, "  {e}")?;
        }
        if n > MAX_LISTED {
            writeln!(
                f,
                "  … and {} more; fix these first, the rest may follow from them",
                n - MAX_LISTED
            )?;
        }
        Ok(())
    }
}

impl InputErrors {
    pub fn single(e: InputError) -> InputErrors {
        InputErrors(vec![e])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_column_field_value_and_hint() {
        let e = InputError::file(
            "people.csv",
            "hours must be more than 0",
            "use weekly hours, e.g. 32",
        )
        .at_line(4)
        .in_cell(6, "hours_per_week", "-8");
        assert_eq!(
            e.to_string(),
            "people.csv:4:6: hours_per_week = \"-8\": hours must be more than 0\n    hint: use weekly hours, e.g. 32"
        );
    }
}
