//! Reading order dumps and writing results.
//!
//! [`DumpReader`] streams CSV, TSV and JSONL exports in UTF-8 (with or without BOM), UTF-16
//! (with BOM) or GB18030/GBK, maps their (often Chinese) column headers onto [`WorkOrder`]
//! fields, and hands each record to the caller as an order or a [`Reject`]. The writers in
//! [`write`](mod@write) produce `tickets.jsonl`, `assignments.csv` and `rejects.jsonl`.
//!
//! [`WorkOrder`]: crate::WorkOrder

mod columns;
mod read;
pub(crate) mod timestamp;
pub mod write;

pub use columns::{ColumnMap, Field};
pub use read::{
    read_dumps, DumpFormat, DumpReader, DumpReaderBuilder, ReadItem, ReadOutput, Reject,
};
pub use timestamp::parse_timestamp;
