//! The crate's error type.
//!
//! An [`Error`] says *what* went wrong ([`ErrorKind`]) and, where it is known, *where*: the file,
//! the line and the field. Problems with single records in a dump are not errors: they become
//! [`Reject`](crate::Reject)s and the run goes on. Errors are for what stops a run: a file that
//! cannot be opened, a dump without the columns an order needs, a broken dictionary.

use std::fmt;
use std::path::{Path, PathBuf};

/// A specialised `Result` for this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error with its location, if it has one.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    location: Option<Location>,
}

/// Where an error happened: a file and, when known, a line and a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file being read or written.
    pub path: PathBuf,
    /// The 1-based line in that file.
    pub line: Option<u64>,
    /// The field (column) name.
    pub field: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, " (field {field:?})")?;
        }
        Ok(())
    }
}

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading or writing a file failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The CSV layer failed in a way that is not about one record.
    #[error("CSV error: {0}")]
    Csv(#[from] csv::Error),
    /// JSON could not be written or read where it had to be.
    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),
    /// The dump has no column for a field every order needs.
    #[error("no column for {field}: looked for {tried}; use --map {field}=COLUMN")]
    MissingColumn {
        /// The order field that has no column.
        field: &'static str,
        /// The header names that were looked for.
        tried: String,
    },
    /// A `--map` override names a column the dump does not have, or a field that does not exist.
    #[error("bad column mapping: {0}")]
    BadMapping(String),
    /// An encoding name that is not known.
    #[error("unknown encoding {0:?}")]
    UnknownEncoding(String),
    /// A dictionary or lexicon file could not be used.
    #[error("bad dictionary: {0}")]
    Dictionary(String),
    /// A configuration value is out of range.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The thread pool could not be built.
    #[error("thread pool: {0}")]
    ThreadPool(String),
    /// The gold file or assignments file given to evaluation is not usable.
    #[error("evaluation input: {0}")]
    Eval(String),
}

impl Error {
    /// Creates an error of `kind` with no location.
    pub fn new(kind: ErrorKind) -> Error {
        Error {
            kind,
            location: None,
        }
    }

    /// Attaches the file an error happened in (keeps a location already set).
    pub fn in_file(mut self, path: impl AsRef<Path>) -> Error {
        if self.location.is_none() {
            self.location = Some(Location {
                path: path.as_ref().to_path_buf(),
                line: None,
                field: None,
            });
        }
        self
    }

    /// Attaches a line number to an error that already names its file.
    pub fn at_line(mut self, line: u64) -> Error {
        if let Some(loc) = &mut self.location {
            loc.line = Some(line);
        }
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Where it went wrong, if known.
    pub fn location(&self) -> Option<&Location> {
        self.location.as_ref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(loc) => write!(f, "{loc}: {}", self.kind),
            None => write!(f, "{}", self.kind),
        }
    }
}

// The message already carries the inner error's text, so `source` stays `None`: error
// reporters that walk the chain would otherwise print it twice.
impl std::error::Error for Error {}

impl<T: Into<ErrorKind>> From<T> for Error {
    fn from(kind: T) -> Error {
        Error::new(kind.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_field() {
        let mut err = Error::new(ErrorKind::Config("x".into()))
            .in_file("dump.csv")
            .at_line(7);
        err.location.as_mut().unwrap().field = Some("内容".into());
        assert_eq!(
            err.to_string(),
            "dump.csv:7 (field \"内容\"): invalid configuration: x"
        );
    }

    #[test]
    fn in_file_keeps_first_location() {
        let err = Error::new(ErrorKind::Config("x".into()))
            .in_file("a.csv")
            .in_file("b.csv");
        assert_eq!(err.location().unwrap().path, PathBuf::from("a.csv"));
    }
}
