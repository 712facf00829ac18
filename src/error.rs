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

/// An error with its location, if it has one. One pointer wide, so `Result`s stay small.
#[derive(Debug)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Debug)]
struct Inner {
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
    /// The search index failed (tantivy).
    #[error("index error: {0}")]
    Index(String),
    /// An engine directory was written by another format version, dictionary, normaliser or
    /// salt than the one opening it: its fingerprints would not compare with new ones.
    #[error("engine directory mismatch: {what} is {found}, this build expects {expected}; rebuild it with `complaint-dedup index`")]
    EngineMismatch {
        /// What differs (format version, analyzer signature, salt).
        what: &'static str,
        /// What this build expects.
        expected: String,
        /// What the directory holds.
        found: String,
    },
    /// An engine directory's files are damaged or incomplete.
    #[error("engine directory is damaged: {0}")]
    Corrupt(String),
    /// The engine directory is open (for writing) in another process or another `Engine`.
    #[error("the engine directory is in use by another process")]
    Locked,
    /// An order id that the engine has already stored.
    #[error("order {0:?} was already ingested")]
    DuplicateOrder(String),
    /// A ticket id that the engine does not know.
    #[error("no ticket {0:?}")]
    UnknownTicket(String),
    /// An order that cannot be matched (empty id, say).
    #[error("invalid order: {0}")]
    InvalidOrder(String),
}

impl Error {
    /// Creates an error of `kind` with no location.
    pub fn new(kind: ErrorKind) -> Error {
        Error {
            inner: Box::new(Inner {
                kind,
                location: None,
            }),
        }
    }

    /// Attaches the file an error happened in (keeps a location already set).
    pub fn in_file(mut self, path: impl AsRef<Path>) -> Error {
        if self.inner.location.is_none() {
            self.inner.location = Some(Location {
                path: path.as_ref().to_path_buf(),
                line: None,
                field: None,
            });
        }
        self
    }

    /// Attaches a line number to an error that already names its file.
    pub fn at_line(mut self, line: u64) -> Error {
        if let Some(loc) = &mut self.inner.location {
            loc.line = Some(line);
        }
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.inner.kind
    }

    /// Where it went wrong, if known.
    pub fn location(&self) -> Option<&Location> {
        self.inner.location.as_ref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner.location {
            Some(loc) => write!(f, "{loc}: {}", self.inner.kind),
            None => write!(f, "{}", self.inner.kind),
        }
    }
}

// The message already carries the inner error's text, so `source` stays `None`: error
// reporters that walk the chain would otherwise print it twice.
impl std::error::Error for Error {}

impl From<tantivy::TantivyError> for ErrorKind {
    fn from(err: tantivy::TantivyError) -> ErrorKind {
        ErrorKind::Index(err.to_string())
    }
}

impl From<postcard::Error> for ErrorKind {
    fn from(err: postcard::Error) -> ErrorKind {
        ErrorKind::Corrupt(err.to_string())
    }
}

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
        err.inner.location.as_mut().unwrap().field = Some("内容".into());
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
