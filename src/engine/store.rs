//! The engine's files: `meta.json` (format version, analyzer signature, settings), the tantivy
//! index under `index/`, and `corpus.bin` (document frequencies as of a commit).
//!
//! The tantivy index is the durable record. Every ingested order is one document holding its
//! sequence number, ticket, time, content key, the order itself (JSON) and its raw fingerprint
//! (postcard); closing a ticket adds a small "close" document. Ticket state is rebuilt from the
//! fast fields on open, so a commit of the index is a commit of everything. `corpus.bin` is
//! written after each commit and only saves work on open: documents it does not cover are
//! counted again from their stored fingerprints.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::{Index, TantivyDocument};

use crate::error::{Error, ErrorKind, Result};
use crate::fingerprint::{CorpusStats, Fingerprint};
use crate::order::WorkOrder;
use crate::score::ScoreWeights;

/// The on-disk format version; bumped on any incompatible change to the files (2: channels
/// are stored by name; 3: places in fingerprints carry house numbers).
pub const FORMAT_VERSION: u32 = 3;

/// The name the jieba tokenizer is registered under in the index.
pub(crate) const JIEBA: &str = "complaint_dedup_jieba";

/// Document kinds.
pub(crate) const KIND_ORDER: u64 = 0;
pub(crate) const KIND_CLOSE: u64 = 1;
pub(crate) const KIND_MERGE: u64 = 2;

/// "No value" in u64 fast fields (recurrence, minute).
pub(crate) const NONE_U64: u64 = u64::MAX;
pub(crate) const NONE_I64: i64 = i64::MIN;

/// The settings an engine directory keeps, with the versions it was built with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Meta {
    pub format: u32,
    pub crate_version: String,
    /// [`crate::fingerprint::Analyzer::signature`], hex.
    pub analyzer: String,
    /// A hash of the reporter salt, hex (the salt itself is not written).
    pub salt: String,
    pub threshold: f32,
    pub link_ratio: f32,
    pub idle_days: f32,
    pub weights: ScoreWeights,
}

impl Meta {
    pub(crate) fn path(dir: &Path) -> PathBuf {
        dir.join("meta.json")
    }

    pub(crate) fn read(dir: &Path) -> Result<Meta> {
        let path = Meta::path(dir);
        let text = fs::read_to_string(&path).map_err(|e| Error::from(e).in_file(&path))?;
        serde_json::from_str(&text)
            .map_err(|e| Error::new(ErrorKind::Corrupt(format!("meta.json: {e}"))).in_file(&path))
    }

    pub(crate) fn write(&self, dir: &Path) -> Result<()> {
        let path = Meta::path(dir);
        let text = serde_json::to_string_pretty(self)?;
        write_atomically(&path, text.as_bytes())
    }
}

/// Writes `bytes` to `path` through a temporary file, a sync and a rename.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    let io = |e: std::io::Error| Error::from(e).in_file(path);
    let mut f = fs::File::create(&tmp).map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    f.sync_all().map_err(io)?;
    fs::rename(&tmp, path).map_err(io)?;
    if let Some(parent) = path.parent() {
        // Make the rename itself durable.
        if let Ok(d) = fs::File::open(parent) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// Document frequencies as of sequence number `upto` (inclusive; `None` = no document).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct CorpusFile {
    pub upto: Option<u64>,
    pub stats: CorpusStats,
}

impl CorpusFile {
    pub(crate) fn path(dir: &Path) -> PathBuf {
        dir.join("corpus.bin")
    }

    /// Reads the file; a missing or unreadable one is `None` (it is only a cache).
    pub(crate) fn read(dir: &Path) -> Option<CorpusFile> {
        let bytes = fs::read(CorpusFile::path(dir)).ok()?;
        postcard::from_bytes(&bytes).ok()
    }

    pub(crate) fn write(&self, dir: &Path) -> Result<()> {
        let bytes = postcard::to_stdvec(self)?;
        write_atomically(&CorpusFile::path(dir), &bytes)
    }
}

/// The index schema's fields.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    pub body: Field,
    pub seq: Field,
    pub kind: Field,
    pub ticket: Field,
    pub minute: Field,
    pub content_key: Field,
    pub recurrence_of: Field,
    /// For merge documents: the ticket merged into `ticket`.
    pub other: Field,
    pub order_id: Field,
    pub fingerprint: Field,
    pub order: Field,
}

pub(crate) fn schema() -> (Schema, Fields) {
    let mut sb = Schema::builder();
    let body = sb.add_text_field(
        "body",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(JIEBA)
                .set_index_option(IndexRecordOption::WithFreqs),
        ),
    );
    let fields = Fields {
        body,
        seq: sb.add_u64_field("seq", INDEXED | FAST),
        kind: sb.add_u64_field("kind", FAST),
        ticket: sb.add_u64_field("ticket", FAST),
        minute: sb.add_i64_field("minute", FAST),
        content_key: sb.add_u64_field("content_key", FAST),
        recurrence_of: sb.add_u64_field("recurrence_of", FAST),
        other: sb.add_u64_field("other", FAST),
        order_id: sb.add_text_field("order_id", STRING | FAST),
        fingerprint: sb.add_bytes_field("fingerprint", STORED),
        order: sb.add_text_field("order", STORED),
    };
    (sb.build(), fields)
}

/// Checks that an opened index has this build's schema.
pub(crate) fn check_schema(index: &Index, path: &Path) -> Result<Fields> {
    let (expected, fields) = schema();
    if index.schema() != expected {
        return Err(Error::new(ErrorKind::EngineMismatch {
            what: "index schema",
            expected: "this build's schema".into(),
            found: "another".into(),
        })
        .in_file(path));
    }
    Ok(fields)
}

/// One stored order document, as the engine reads it back.
#[derive(Debug, Clone)]
pub(crate) struct StoredOrder {
    pub fingerprint: Fingerprint,
    pub order_json: String,
}

impl StoredOrder {
    pub(crate) fn from_doc(doc: &TantivyDocument, fields: &Fields) -> Result<StoredOrder> {
        use tantivy::schema::Value;
        let bytes = doc
            .get_first(fields.fingerprint)
            .and_then(|v| v.as_bytes())
            .ok_or_else(|| Error::new(ErrorKind::Corrupt("document without fingerprint".into())))?;
        let fingerprint = postcard::from_bytes(bytes)?;
        let order_json = doc
            .get_first(fields.order)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        Ok(StoredOrder {
            fingerprint,
            order_json,
        })
    }

    pub(crate) fn order(&self) -> Result<WorkOrder> {
        serde_json::from_str(&self.order_json)
            .map_err(|e| Error::new(ErrorKind::Corrupt(format!("stored order: {e}"))))
    }
}
