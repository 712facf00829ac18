//! Streaming dump reader: format and encoding detection, header mapping, record validation.

use std::fs::File;
use std::io::{BufRead, BufReader, Chain, Cursor, Read};
use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};
use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::columns::{parse_override, ColumnMap, Field};
use super::timestamp::parse_timestamp;
use crate::error::{Error, ErrorKind, Result};
use crate::order::{Channel, OrderId, WorkOrder};

/// The layout of a dump file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DumpFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// Tab-separated values with a header row.
    Tsv,
    /// One JSON object per line.
    Jsonl,
}

impl DumpFormat {
    /// Parses `csv`, `tsv` or `jsonl` (also `ndjson`, `json`).
    pub fn from_name(name: &str) -> Option<DumpFormat> {
        match name.to_ascii_lowercase().as_str() {
            "csv" => Some(DumpFormat::Csv),
            "tsv" | "tab" => Some(DumpFormat::Tsv),
            "jsonl" | "ndjson" | "json" => Some(DumpFormat::Jsonl),
            _ => None,
        }
    }
}

/// A record that could not become an order, with where it was and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reject {
    /// The file it came from.
    pub file: String,
    /// The 1-based line the record starts on.
    pub line: u64,
    /// The field at fault, if one is.
    pub field: Option<String>,
    /// Why it was rejected.
    pub reason: String,
    /// The record as read (fields joined by the delimiter, or the JSON line).
    pub raw: String,
}

/// One record of a dump as the reader hands it over.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadItem {
    /// A well-formed order and the line it starts on.
    Order {
        /// The order.
        order: WorkOrder,
        /// The 1-based line it starts on.
        line: u64,
    },
    /// A record that could not become an order.
    Reject(Reject),
}

/// Builds a [`DumpReader`].
///
/// # Example
/// ```
/// use complaint_dedup::io::{DumpFormat, DumpReaderBuilder, Field};
/// let reader = DumpReaderBuilder::new()
///     .format(Some(DumpFormat::Csv))
///     .encoding("gb18030")?
///     .map(Field::Text, "群众诉求")
///     .build()?;
/// # let _ = reader;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct DumpReaderBuilder {
    format: Option<DumpFormat>,
    encoding: Option<&'static Encoding>,
    overrides: Vec<(Field, String)>,
    default_channel: Channel,
}

impl Default for DumpReaderBuilder {
    fn default() -> Self {
        DumpReaderBuilder {
            format: None,
            encoding: None,
            overrides: Vec::new(),
            default_channel: Channel::Other,
        }
    }
}

impl DumpReaderBuilder {
    /// A builder with the defaults.
    pub fn new() -> DumpReaderBuilder {
        DumpReaderBuilder::default()
    }

    /// Fixes the format instead of detecting it.
    ///
    /// By default, the format comes from the extension (`.csv`, `.tsv`, `.jsonl`/`.ndjson`) or,
    /// failing that, from the first line: a `{` means JSONL, more tabs than commas mean TSV.
    pub fn format(&mut self, format: Option<DumpFormat>) -> &mut DumpReaderBuilder {
        self.format = format;
        self
    }

    /// Fixes the encoding by its WHATWG label (`utf-8`, `gb18030`, `gbk`, `utf-16le`, …).
    ///
    /// By default, it is detected: a BOM decides; otherwise the first 64 KiB are checked, and
    /// text that is not UTF-8 is read as GB18030 (a superset of GBK and GB2312).
    pub fn encoding(&mut self, label: &str) -> Result<&mut DumpReaderBuilder> {
        let enc = Encoding::for_label(label.trim().as_bytes())
            .ok_or_else(|| Error::new(ErrorKind::UnknownEncoding(label.to_string())))?;
        self.encoding = Some(enc);
        Ok(self)
    }

    /// Reads `field` from the column named `column`, overriding the header aliases.
    ///
    /// By default, columns are recognised by their usual Chinese and English names (see
    /// [`Field::aliases`]).
    pub fn map(&mut self, field: Field, column: &str) -> &mut DumpReaderBuilder {
        self.overrides.push((field, column.to_string()));
        self
    }

    /// Adds an override given as `field=column`, the form `--map` takes.
    pub fn map_arg(&mut self, arg: &str) -> Result<&mut DumpReaderBuilder> {
        let (field, column) = parse_override(arg)?;
        self.overrides.push((field, column));
        Ok(self)
    }

    /// The channel of orders whose dump has no channel column or an empty cell.
    ///
    /// By default, [`Channel::Other`].
    pub fn default_channel(&mut self, channel: Channel) -> &mut DumpReaderBuilder {
        self.default_channel = channel;
        self
    }

    /// Builds the reader.
    pub fn build(&self) -> Result<DumpReader> {
        Ok(DumpReader {
            format: self.format,
            encoding: self.encoding,
            overrides: self.overrides.clone(),
            default_channel: self.default_channel,
        })
    }
}

/// Reads order dumps record by record.
#[derive(Debug, Clone)]
pub struct DumpReader {
    format: Option<DumpFormat>,
    encoding: Option<&'static Encoding>,
    overrides: Vec<(Field, String)>,
    default_channel: Channel,
}

const SNIFF_BYTES: usize = 64 * 1024;

type Decoded = DecodeReaderBytes<Chain<Cursor<Vec<u8>>, File>, Vec<u8>>;

impl DumpReader {
    /// Reads the dump at `path`, handing every record to `sink` in file order.
    ///
    /// Returns the number of records read (blank lines are not records). Records that cannot
    /// become orders reach the sink as [`ReadItem::Reject`]; only problems with the whole file
    /// (it cannot be opened, it has no id or text column) are errors. The records of a CSV or
    /// TSV dump are turned into orders a batch at a time on the current rayon pool; unless
    /// that pool has a single thread, they are parsed on a thread of their own meanwhile.
    pub fn read_path<F: FnMut(ReadItem)>(&self, path: &Path, mut sink: F) -> Result<u64> {
        let (format, decoded, encoding) = self.open(path).map_err(|e| e.in_file(path))?;
        let ctx = RecordContext {
            file: path.display().to_string(),
            encoding_name: encoding.name(),
            default_channel: self.default_channel,
        };
        match format {
            DumpFormat::Csv | DumpFormat::Tsv => {
                let delimiter = if format == DumpFormat::Tsv {
                    b'\t'
                } else {
                    b','
                };
                self.read_delimited(decoded, delimiter, &ctx, &mut sink)
            }
            DumpFormat::Jsonl => self.read_jsonl(decoded, &ctx, &mut sink),
        }
        .map_err(|e| e.in_file(path))
    }

    /// Reads JSON lines (UTF-8) from a stream such as standard input, handing each record to
    /// `sink` as soon as its line arrives. `name` stands for the file in rejects and errors.
    pub fn read_jsonl_stream<R: Read, F: FnMut(ReadItem)>(
        &self,
        name: &str,
        input: R,
        mut sink: F,
    ) -> Result<u64> {
        let ctx = RecordContext {
            file: name.to_string(),
            encoding_name: "UTF-8",
            default_channel: self.default_channel,
        };
        self.read_jsonl(input, &ctx, &mut sink)
            .map_err(|e| e.in_file(name))
    }

    fn open(&self, path: &Path) -> Result<(DumpFormat, Decoded, &'static Encoding)> {
        let mut file = File::open(path)?;
        let mut sample = Vec::with_capacity(SNIFF_BYTES);
        (&mut file)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut sample)?;
        let at_eof = sample.len() < SNIFF_BYTES;
        let encoding = match self.encoding {
            Some(e) => e,
            None => detect_encoding(&sample, at_eof),
        };
        let format = match self.format {
            Some(f) => f,
            None => detect_format(path, &sample, encoding),
        };
        let decoded = DecodeReaderBytesBuilder::new()
            .encoding(Some(encoding))
            .bom_override(true)
            .strip_bom(true)
            .build(Cursor::new(sample).chain(file));
        Ok((format, decoded, encoding))
    }

    fn read_delimited<F: FnMut(ReadItem)>(
        &self,
        input: Decoded,
        delimiter: u8,
        ctx: &RecordContext,
        sink: &mut F,
    ) -> Result<u64> {
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(QuoteTracker::new(input, delimiter));
        let mut record = csv::StringRecord::new();
        // The header is the first record; an empty file has none and holds no orders.
        let header_line = loop {
            match csv.read_record(&mut record) {
                Ok(false) => return Ok(0),
                Ok(true) if record.iter().all(|f| f.trim().is_empty()) => continue,
                Ok(true) => break record.position().map_or(1, |p| p.line()),
                Err(e) => return Err(csv_fatal(e)),
            }
        };
        if csv.get_ref().ended_in_quoted_field() {
            // Every line of the file went into the header: there is nothing to read orders from.
            return Err(Error::from(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "the header row opens a quoted field that is never closed",
            ))
            .in_file(&ctx.file)
            .at_line(header_line));
        }
        let headers: Vec<String> = record.iter().map(|h| h.to_string()).collect();
        let map = ColumnMap::from_headers(&headers, &self.overrides)
            .map_err(|e| e.in_file(&ctx.file).at_line(header_line))?;
        let joiner = (delimiter as char).to_string();
        // Records are read a batch at a time into reused buffers, turned into orders in
        // parallel (the current rayon pool) and handed to the sink in file order.
        let parse = |csv: &mut csv::Reader<QuoteTracker<Decoded>>,
                     buffers: &mut Vec<csv::ByteRecord>,
                     batch: &mut Vec<Pending>,
                     records: &mut u64|
         -> Result<bool> {
            batch.clear();
            while batch.len() < READ_BATCH {
                let at = batch.len();
                if buffers.len() == at {
                    buffers.push(csv::ByteRecord::new());
                }
                let record = &mut buffers[at];
                // Bytes: the decoder hands the parser UTF-8 only, and the fields are made
                // `str`s (checked) on the pool, not here on the one parsing thread.
                match csv.read_byte_record(record) {
                    Ok(false) => return Ok(true),
                    Ok(true) => {
                        let line = record.position().map_or(0, |p| p.line());
                        if record.iter().all(is_blank_field) {
                            continue;
                        }
                        *records += 1;
                        if csv.get_ref().ended_in_quoted_field() {
                            // The CSV parser closes such a field at end of file without a
                            // word; the record holds the rest of the file, so keeping it
                            // would hide the loss.
                            let column = record
                                .len()
                                .checked_sub(1)
                                .and_then(|i| headers.get(i))
                                .map(String::as_str);
                            batch.push(Pending::Reject(ctx.reject(
                                line,
                                column,
                                format!(
                                    "unterminated quoted field{}: the file ends inside it (a \
                                     cut-off export, or a stray quote that swallowed the lines \
                                     after it)",
                                    column
                                        .map(|c| format!(" in column {c:?}"))
                                        .unwrap_or_default()
                                ),
                                joined(record, &joiner),
                            )));
                            continue;
                        }
                        batch.push(Pending::Record(line));
                    }
                    Err(e) => {
                        if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                            return Err(csv_fatal(e));
                        }
                        *records += 1;
                        let line = e.position().map_or(0, |p| p.line());
                        batch.push(Pending::Reject(ctx.reject(
                            line,
                            None,
                            format!("malformed CSV record: {e}"),
                            String::new(),
                        )));
                    }
                }
            }
            Ok(false)
        };
        let mut hand_over = |buffers: &[csv::ByteRecord], batch: &mut Vec<Pending>| {
            let convert = |(record, pending): (&csv::ByteRecord, &mut Pending)| {
                let Pending::Record(line) = *pending else {
                    return;
                };
                let raw = || joined(record, &joiner);
                *pending = if record.len() != headers.len() {
                    Pending::Reject(ctx.reject(
                        line,
                        None,
                        format!(
                            "row has {} fields but the header has {}",
                            record.len(),
                            headers.len()
                        ),
                        raw(),
                    ))
                } else {
                    let cells = (0..headers.len()).map(|i| {
                        (
                            map.field_of(i),
                            headers[i].as_str(),
                            // Not UTF-8 (which the decoder never lets through) reads
                            // as the decoder's replacement: an invalid byte sequence.
                            record.get(i).map_or("", |f| {
                                simdutf8::basic::from_utf8(f).unwrap_or("\u{fffd}")
                            }),
                        )
                    });
                    match ctx.build_order(cells) {
                        Ok(order) => Pending::Order(order, line),
                        Err((field, reason)) => {
                            Pending::Reject(ctx.reject(line, field, reason, raw()))
                        }
                    }
                };
            };
            // Each entry of the batch was read into the buffer at its index (a reject found
            // while reading leaves its buffer unused).
            buffers[..batch.len()]
                .par_iter()
                .zip(batch.par_iter_mut())
                .with_min_len(64)
                .for_each(convert);
            for pending in batch.drain(..) {
                match pending {
                    Pending::Order(order, line) => sink(ReadItem::Order { order, line }),
                    Pending::Reject(reject) => sink(ReadItem::Reject(reject)),
                    Pending::Record(_) => unreachable!("every record of the batch is converted"),
                }
            }
        };
        let mut records = 0u64;
        if rayon::current_num_threads() <= 1 {
            let mut buffers = Vec::new();
            let mut batch = Vec::with_capacity(READ_BATCH);
            loop {
                let at_end = parse(&mut csv, &mut buffers, &mut batch, &mut records)?;
                hand_over(&buffers, &mut batch);
                if at_end {
                    return Ok(records);
                }
            }
        }
        // With more threads, records are parsed on a thread of their own, one batch ahead of
        // the caller, which converts them (on the pool) and runs the sink: parsing, the part
        // no pool can share, overlaps the rest. Batches travel back to be refilled.
        type Batch = (Vec<csv::ByteRecord>, Vec<Pending>);
        std::thread::scope(|scope| {
            let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Batch>(1);
            let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch>();
            let parser = scope.spawn(move || -> Result<u64> {
                let mut records = 0u64;
                loop {
                    let (mut buffers, mut batch) = empty_rx
                        .try_recv()
                        .unwrap_or_else(|_| (Vec::new(), Vec::with_capacity(READ_BATCH)));
                    let at_end = parse(&mut csv, &mut buffers, &mut batch, &mut records)?;
                    // The caller only stops early by panicking; then nothing is left to do.
                    if full_tx.send((buffers, batch)).is_err() || at_end {
                        return Ok(records);
                    }
                }
            });
            for (buffers, mut batch) in full_rx {
                hand_over(&buffers, &mut batch);
                // The parser may have finished: its last batches are not needed back.
                let _ = empty_tx.send((buffers, batch));
            }
            parser
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }

    fn read_jsonl<R: Read, F: FnMut(ReadItem)>(
        &self,
        input: R,
        ctx: &RecordContext,
        sink: &mut F,
    ) -> Result<u64> {
        let mut reader = BufReader::with_capacity(1 << 16, input);
        let mut line_buf = String::new();
        let mut line_no = 0u64;
        let mut records = 0u64;
        // Key sets repeat line after line: map each distinct one once.
        let mut maps: FxHashMap<Vec<String>, std::result::Result<ColumnMap, String>> =
            FxHashMap::default();
        loop {
            line_buf.clear();
            let n = reader.read_line(&mut line_buf)?;
            if n == 0 {
                break;
            }
            line_no += 1;
            let text = line_buf.trim();
            if text.is_empty() {
                continue;
            }
            records += 1;
            let object: serde_json::Map<String, serde_json::Value> =
                match serde_json::from_str(text) {
                    Ok(o) => o,
                    Err(e) => {
                        let reason = if e.classify() == serde_json::error::Category::Data {
                            format!("JSON line is {}, not an object", json_kind(text))
                        } else {
                            format!("invalid JSON: {e}")
                        };
                        sink(ReadItem::Reject(ctx.reject(
                            line_no,
                            None,
                            reason,
                            text.to_string(),
                        )));
                        continue;
                    }
                };
            let keys: Vec<String> = object.keys().cloned().collect();
            let map = maps.entry(keys).or_insert_with_key(|keys| {
                ColumnMap::from_headers(keys, &self.overrides).map_err(|e| e.to_string())
            });
            let map = match map {
                Ok(m) => m,
                Err(reason) => {
                    sink(ReadItem::Reject(ctx.reject(
                        line_no,
                        None,
                        reason.clone(),
                        text.to_string(),
                    )));
                    continue;
                }
            };
            let values: Vec<String> = object.values().map(json_to_text).collect();
            let cells = object
                .keys()
                .enumerate()
                .map(|(i, k)| (map.field_of(i), k.as_str(), values[i].as_str()));
            match ctx.build_order(cells) {
                Ok(order) => sink(ReadItem::Order {
                    order,
                    line: line_no,
                }),
                Err((field, reason)) => sink(ReadItem::Reject(ctx.reject(
                    line_no,
                    field,
                    reason,
                    text.to_string(),
                ))),
            }
        }
        Ok(records)
    }
}

/// Follows the decoded bytes on their way to the CSV parser to see one thing it does not report:
/// input that ends inside a quoted field. csv-core then closes the field at end of file, so a
/// cut-off export, or a stray opening quote that swallowed every line after it, would pass as
/// one well-formed record.
///
/// The states mirror csv-core's with quoting and doubled quotes on and no escape character:
/// a quote opens a quoted field only at the start of a field; inside one, a quote either
/// starts a doubled quote or closes the field.
struct QuoteTracker<R> {
    inner: R,
    delimiter: u8,
    state: QuoteState,
    at_eof: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: the field's end, or the first half of `""`.
    QuotedQuote,
}

impl<R: Read> QuoteTracker<R> {
    fn new(inner: R, delimiter: u8) -> QuoteTracker<R> {
        QuoteTracker {
            inner,
            delimiter,
            state: QuoteState::FieldStart,
            at_eof: false,
        }
    }

    /// Whether the input has ended inside a quoted field. The CSV reader pulls more input
    /// only once it has handed out every complete record, so when this turns true, the record
    /// it hands out next is the last one: the one holding that field.
    fn ended_in_quoted_field(&self) -> bool {
        self.at_eof && self.state == QuoteState::Quoted
    }
}

impl<R: Read> Read for QuoteTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 && !buf.is_empty() {
            self.at_eof = true;
        }
        let mut rest = &buf[..n];
        while let Some((&b, tail)) = rest.split_first() {
            if self.state == QuoteState::Quoted {
                // Only a quote can end quoted text: skip to it in one step.
                match memchr::memchr(b'"', rest) {
                    Some(i) => {
                        self.state = QuoteState::QuotedQuote;
                        rest = &rest[i + 1..];
                        continue;
                    }
                    None => break,
                }
            }
            if self.state == QuoteState::Unquoted {
                // Only a delimiter or a line end can end unquoted text: skip to it in one step.
                match memchr::memchr3(self.delimiter, b'\n', b'\r', rest) {
                    Some(i) => {
                        self.state = QuoteState::FieldStart;
                        rest = &rest[i + 1..];
                        continue;
                    }
                    None => break,
                }
            }
            self.state = match self.state {
                QuoteState::FieldStart | QuoteState::QuotedQuote if b == b'"' => QuoteState::Quoted,
                _ if b == self.delimiter || b == b'\n' || b == b'\r' => QuoteState::FieldStart,
                _ => QuoteState::Unquoted,
            };
            rest = tail;
        }
        Ok(n)
    }
}

fn csv_fatal(e: csv::Error) -> Error {
    // The CSV error's own message carries its position.
    Error::new(ErrorKind::Csv(e))
}

/// What kind of JSON value a line that is not an object holds, for the reject's reason.
fn json_kind(text: &str) -> &'static str {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Array(_)) => "an array",
        Ok(serde_json::Value::Number(_)) => "a number",
        Ok(serde_json::Value::String(_)) => "a string",
        Ok(serde_json::Value::Bool(_)) => "a boolean",
        Ok(serde_json::Value::Null) => "null",
        Ok(serde_json::Value::Object(_)) | Err(_) => "a value",
    }
}

fn json_to_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// How many records of a delimited dump are read before they are turned into orders together.
const READ_BATCH: usize = 4096;

/// A record of a batch on its way to the sink.
enum Pending {
    /// Read into the batch's buffer at the same index, found at this line; not yet looked at.
    Record(u64),
    /// Turned into an order, found at this line.
    Order(WorkOrder, u64),
    /// Rejected, while read or when converted.
    Reject(Reject),
}

struct RecordContext {
    file: String,
    encoding_name: &'static str,
    default_channel: Channel,
}

impl RecordContext {
    fn reject(&self, line: u64, field: Option<&str>, reason: String, raw: String) -> Reject {
        Reject {
            file: self.file.clone(),
            line,
            field: field.map(str::to_string),
            reason,
            raw,
        }
    }

    /// Turns one record's cells (field, column name, value) into an order, or says which
    /// column is at fault and why.
    fn build_order<'a>(
        &self,
        cells: impl Iterator<Item = (Option<Field>, &'a str, &'a str)>,
    ) -> std::result::Result<WorkOrder, (Option<&'a str>, String)> {
        let mut order = WorkOrder::new("", "");
        order.channel = self.default_channel;
        let mut received_raw: Option<(&str, &str)> = None;
        for (field, column, value) in cells {
            if value.contains('\u{fffd}') {
                return Err((
                    Some(column),
                    format!(
                        "invalid byte sequence for {} in column {column:?}",
                        self.encoding_name
                    ),
                ));
            }
            let trimmed = value.trim();
            let opt = || (!trimmed.is_empty()).then(|| trimmed.to_string());
            match field {
                Some(Field::Id) => order.id = OrderId(trimmed.to_string()),
                Some(Field::Channel) => {
                    if !trimmed.is_empty() {
                        order.channel = Channel::from_label(trimmed);
                        if order.channel == Channel::Other {
                            order.extra.insert(column.to_string(), value.to_string());
                        }
                    }
                }
                Some(Field::Received) => received_raw = Some((column, trimmed)),
                Some(Field::Title) => order.title = trimmed.to_string(),
                Some(Field::Text) => order.text = trimmed.to_string(),
                Some(Field::Address) => order.address = opt(),
                Some(Field::Reporter) => order.reporter = opt(),
                Some(Field::Category) => order.category = opt(),
                None => {
                    order.extra.insert(column.to_string(), value.to_string());
                }
            }
        }
        if order.id.0.is_empty() {
            return Err((None, "empty order id".to_string()));
        }
        if order.text.is_empty() && order.title.is_empty() {
            return Err((None, "order has neither title nor text".to_string()));
        }
        if let Some((column, raw)) = received_raw {
            if !raw.is_empty() {
                match parse_timestamp(raw) {
                    Some(t) => order.received = Some(t),
                    None => {
                        return Err((
                            Some(column),
                            format!("unparseable timestamp {raw:?} in column {column:?}"),
                        ))
                    }
                }
            }
        }
        Ok(order)
    }
}

/// Picks the encoding of a file from its first bytes.
fn detect_encoding(sample: &[u8], at_eof: bool) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(sample) {
        return enc;
    }
    // UTF-16 without BOM is rare in exports; CSV headers of ASCII would show NUL bytes, all at
    // even offsets (big-endian) or all at odd ones (little-endian). NULs at both, as in the
    // NUL-padded cells of fixed-width database exports, are not UTF-16.
    let nuls = sample.iter().take(512).filter(|&&b| b == 0).count();
    if nuls > 32 {
        let even_nuls = sample
            .iter()
            .take(512)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count();
        let odd_nuls = nuls - even_nuls;
        if even_nuls * 10 >= nuls * 9 {
            return UTF_16BE;
        }
        if odd_nuls * 10 >= nuls * 9 {
            return UTF_16LE;
        }
    }
    // Count valid multi-byte UTF-8 characters against invalid sequences: GBK text fails UTF-8
    // almost everywhere (and rarely forms a valid sequence), while a UTF-8 file with a stray
    // bad byte fails once among many valid characters.
    let mut valid_multibyte = 0usize;
    let mut invalid = 0usize;
    let mut rest = sample;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid_multibyte += s.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                valid_multibyte += std::str::from_utf8(good)
                    .map(|s| s.chars().filter(|c| !c.is_ascii()).count())
                    .unwrap_or(0);
                match e.error_len() {
                    Some(n) => {
                        invalid += 1;
                        rest = &bad[n..];
                    }
                    None => {
                        // A sequence cut by the sample's end is only an error at end of file.
                        if at_eof {
                            invalid += 1;
                        }
                        break;
                    }
                }
            }
        }
    }
    if invalid == 0 || valid_multibyte >= invalid * 2 {
        UTF_8
    } else {
        GB18030
    }
}

fn detect_format(path: &Path, sample: &[u8], encoding: &'static Encoding) -> DumpFormat {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    if let Some(f) = ext.as_deref().and_then(DumpFormat::from_name) {
        return f;
    }
    let (text, _, _) = encoding.decode(sample);
    let first = text
        .lines()
        .map(|l| l.trim_start_matches('\u{feff}').trim())
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if first.starts_with('{') {
        DumpFormat::Jsonl
    } else if first.matches('\t').count() > first.matches(',').count() {
        DumpFormat::Tsv
    } else {
        DumpFormat::Csv
    }
}

/// Everything read from a set of dumps.
#[derive(Debug, Clone, Default)]
pub struct ReadOutput {
    /// The accepted orders, in input order.
    pub orders: Vec<WorkOrder>,
    /// The rejected records.
    pub rejects: Vec<Reject>,
    /// How many records were read (accepted + rejected).
    pub records_read: u64,
}

/// Reads every dump in `paths` and drops repeated order ids into the rejects.
///
/// An order id seen before is rejected, and its reason says whether it repeats the first
/// record exactly (an export that listed it twice) or with other content (two orders sharing
/// an id, which needs a person to look): the first occurrence is kept either way, because it is
/// the one the export wrote first. `progress` is called with the running record count.
pub fn read_dumps(
    reader: &DumpReader,
    paths: &[PathBuf],
    mut progress: impl FnMut(u64),
) -> Result<ReadOutput> {
    let mut out = ReadOutput::default();
    // Where each order came from (its file by the index of the file's first order, its line)
    // and the place of each order and reject among all records: repeated ids are found once
    // everything is read, and their rejects go where the records were.
    let mut file_starts: Vec<usize> = Vec::with_capacity(paths.len());
    let mut lines: Vec<u64> = Vec::new();
    let mut order_at: Vec<u64> = Vec::new();
    let mut reject_at: Vec<u64> = Vec::new();
    let mut records = 0u64;
    for path in paths {
        let first = out.orders.len();
        file_starts.push(first);
        let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
        let read = reader.read_path(path, |item| {
            match item {
                ReadItem::Order { order, line } => {
                    if out.orders.len() == first + SIZING_SAMPLE {
                        reserve_for_file(&mut out.orders, first, bytes);
                    }
                    out.orders.push(order);
                    lines.push(line);
                    order_at.push(records);
                }
                ReadItem::Reject(r) => {
                    out.rejects.push(r);
                    reject_at.push(records);
                }
            }
            records += 1;
            progress(records);
        })?;
        out.records_read += read;
    }
    let repeats = crate::order::repeated_ids(&out.orders);
    if repeats.is_empty() {
        return Ok(out);
    }
    let file_of = |order: u32| file_starts.partition_point(|&s| s <= order as usize) - 1;
    let mut repeat_rejects: Vec<(u64, Reject)> = repeats
        .iter()
        .map(|&(later, first)| {
            let (order, first_order) = (&out.orders[later as usize], &out.orders[first as usize]);
            let (file, first_file) = (file_of(later), file_of(first));
            let first_line = lines[first as usize];
            // "line 2" alone would point into the wrong file.
            let first_at = if first_file == file {
                format!("line {first_line}")
            } else {
                format!("{}:{first_line}", paths[first_file].display())
            };
            let reject = Reject {
                file: paths[file].display().to_string(),
                line: lines[later as usize],
                field: Some("id".into()),
                reason: format!(
                    "duplicate order id {:?} ({} the record at {first_at}; the first is kept)",
                    order.id.0,
                    if order == first_order {
                        "same content as"
                    } else {
                        "different content from"
                    },
                ),
                raw: serde_json::to_string(order).unwrap_or_default(),
            };
            (order_at[later as usize], reject)
        })
        .collect();
    let mut index = 0u32;
    let mut repeated = repeats.iter().map(|&(later, _)| later).peekable();
    out.orders.retain(|_| {
        let keep = repeated.next_if_eq(&index).is_none();
        index += 1;
        keep
    });
    // Both lists are in reading order: merged, the rejects are too.
    let read_rejects = std::mem::take(&mut out.rejects).into_iter().zip(reject_at);
    let mut repeat_rejects = repeat_rejects.drain(..).peekable();
    for (reject, at) in read_rejects {
        while let Some((_, r)) = repeat_rejects.next_if(|(order_at, _)| *order_at < at) {
            out.rejects.push(r);
        }
        out.rejects.push(reject);
    }
    out.rejects.extend(repeat_rejects.map(|(_, r)| r));
    Ok(out)
}

/// Whether a field holds only white space (as `str::trim` sees it), without making it a `str`
/// unless it starts with a byte beyond ASCII.
fn is_blank_field(field: &[u8]) -> bool {
    // ASCII white space as `char::is_whitespace` has it (with the vertical tab).
    let Some(start) = field
        .iter()
        .position(|&b| b != 0x0b && !b.is_ascii_whitespace())
    else {
        return true;
    };
    !field[start].is_ascii() && String::from_utf8_lossy(&field[start..]).trim().is_empty()
}

/// A record's fields joined by `joiner`, as the raw text of a reject.
fn joined(record: &csv::ByteRecord, joiner: &str) -> String {
    record
        .iter()
        .map(String::from_utf8_lossy)
        .collect::<Vec<_>>()
        .join(joiner)
}

/// Orders read from a file before [`reserve_for_file`] sizes the vector for the rest.
const SIZING_SAMPLE: usize = 1024;

/// Makes room in `orders` for the orders a file of `bytes` bytes likely holds, judged by the
/// ones read from it so far (from index `first`). Grown by doubling, a million orders' vector
/// is copied some twenty times and touches twice its memory, one fresh page at a time, on the
/// thread that reads; room reserved and never written costs address space only.
fn reserve_for_file(orders: &mut Vec<WorkOrder>, first: usize, bytes: u64) {
    let sample = &orders[first..];
    // The fields' text, plus delimiters, time and channel: a little under a record's bytes,
    // so the estimate errs on the side of room.
    let text: usize = sample
        .iter()
        .map(|o| {
            o.id.0.len()
                + o.title.len()
                + o.text.len()
                + o.address.as_deref().map_or(0, str::len)
                + o.reporter.as_deref().map_or(0, str::len)
                + o.category.as_deref().map_or(0, str::len)
                + 16
        })
        .sum();
    let per_order = (text / sample.len().max(1)).max(1) as u64;
    let expected = usize::try_from(bytes / per_order).unwrap_or(usize::MAX);
    // Refused room (an estimate beyond what the system grants) leaves the doubling to it.
    let _ = orders.try_reserve(expected.saturating_sub(sample.len()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn read_bytes(name: &str, bytes: &[u8]) -> (Vec<WorkOrder>, Vec<Reject>, u64) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        File::create(&path).unwrap().write_all(bytes).unwrap();
        let reader = DumpReaderBuilder::new().build().unwrap();
        let out = read_dumps(&reader, &[path], |_| {}).unwrap();
        (out.orders, out.rejects, out.records_read)
    }

    #[test]
    fn csv_utf8_with_bom_and_embedded_newlines() {
        let data = "\u{feff}工单编号,标题,诉求内容,来电时间\nA1,井盖,\"第一行\n第二行，\"\"引号\"\"\",2024-03-05 09:00:00\n\nA2,路灯,不亮,2024/3/6 8:00\n";
        let (orders, rejects, n) = read_bytes("d.csv", data.as_bytes());
        assert_eq!((orders.len(), rejects.len(), n), (2, 0, 2));
        assert_eq!(orders[0].text, "第一行\n第二行，\"引号\"");
        assert_eq!(
            orders[1].received.unwrap().to_string(),
            "2024-03-06 08:00:00"
        );
    }

    #[test]
    fn gb18030_is_detected() {
        let text = "留言编号,留言主题,留言详情\n1,小区噪音扰民,晚上施工吵得睡不着\n";
        let (bytes, _, _) = GB18030.encode(text);
        let (orders, rejects, _) = read_bytes("d.csv", &bytes);
        assert!(rejects.is_empty(), "{rejects:?}");
        assert_eq!(orders[0].title, "小区噪音扰民");
    }

    #[test]
    fn utf16le_with_bom_tsv() {
        let text = "编号\t内容\nX1\t油烟扰民\n";
        let mut bytes = vec![0xff, 0xfe];
        for u in text.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let (orders, rejects, _) = read_bytes("d.txt", &bytes);
        assert!(rejects.is_empty(), "{rejects:?}");
        assert_eq!(orders[0].text, "油烟扰民");
    }

    #[test]
    fn rejects_name_line_field_and_reason() {
        let data = "编号,内容,时间\nA1,正常,2024-01-01\nA2,坏时间,2024-02-30\nA3,少一列\n,无编号,2024-01-01\nA5,,\nA1,重复,2024-01-01\n";
        let (orders, rejects, n) = read_bytes("bad.csv", data.as_bytes());
        assert_eq!(n, 6);
        assert_eq!(orders.len(), 1);
        let summary: Vec<(u64, Option<&str>)> = rejects
            .iter()
            .map(|r| (r.line, r.field.as_deref()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (3, Some("时间")),
                (4, None),
                (5, None),
                (6, None),
                (7, Some("id"))
            ]
        );
        assert!(rejects[0].reason.contains("unparseable timestamp"));
        assert!(rejects[1].reason.contains("2 fields"));
        assert!(rejects[4].reason.contains("different content"));
        assert!(rejects.iter().all(|r| r.file.ends_with("bad.csv")));
    }

    #[test]
    fn jsonl_with_broken_line_and_extras() {
        let data = "{\"id\":\"J1\",\"text\":\"噪音\",\"channel\":\"微博\",\"likes\":3}\n{\"id\":\"J2\",\"text\":\n\n{\"id\":7,\"content\":\"路灯\"}\n";
        let (orders, rejects, n) = read_bytes("d.jsonl", data.as_bytes());
        assert_eq!(n, 3);
        assert_eq!(orders.len(), 2);
        assert_eq!(orders[0].channel, Channel::Weibo);
        assert_eq!(orders[0].extra.get("likes").map(String::as_str), Some("3"));
        assert_eq!(orders[1].id.as_str(), "7");
        assert_eq!(rejects[0].line, 2);
        assert!(rejects[0].reason.starts_with("invalid JSON"));
    }

    #[test]
    fn invalid_bytes_in_utf8_file_reject_one_record() {
        let mut bytes = "编号,内容\nA1,正常的一条投诉内容\nA2,坏"
            .as_bytes()
            .to_vec();
        bytes.extend_from_slice(&[0xff, 0xfe, 0x41]);
        bytes.extend_from_slice("字节\nA3,又一条正常投诉\n".as_bytes());
        let (orders, rejects, n) = read_bytes("d.csv", &bytes);
        assert_eq!((orders.len(), rejects.len(), n), (2, 1, 3));
        assert_eq!(rejects[0].field.as_deref(), Some("内容"));
        assert!(rejects[0].reason.contains("invalid byte sequence"));
    }

    #[test]
    fn empty_and_header_only_files_hold_no_orders() {
        assert_eq!(read_bytes("e.csv", b"").2, 0);
        assert_eq!(read_bytes("h.csv", "编号,内容\n".as_bytes()).2, 0);
    }

    #[test]
    fn unterminated_quoted_field_at_end_of_file_is_rejected() {
        // Regression: csv-core closes the field at end of file, so a cut-off export was
        // accepted, and a stray quote silently swallowed every record after it.
        let cut = "编号,内容\nA1,完整\nA2,\"被截断";
        let (orders, rejects, n) = read_bytes("cut.csv", cut.as_bytes());
        assert_eq!((orders.len(), rejects.len(), n), (1, 1, 2));
        assert_eq!(rejects[0].line, 3);
        assert_eq!(rejects[0].field.as_deref(), Some("内容"));
        assert!(rejects[0].reason.starts_with("unterminated quoted field"));

        let stray = "编号,内容\nA1,正常\nA2,\"没有结束\nA3,被吞掉\nA4,也被吞掉\n";
        let (orders, rejects, n) = read_bytes("stray.csv", stray.as_bytes());
        assert_eq!((orders.len(), rejects.len(), n), (1, 1, 2));
        assert_eq!(rejects[0].line, 3);
        assert!(
            rejects[0].raw.contains("A4,也被吞掉"),
            "{:?}",
            rejects[0].raw
        );

        // Closed quotes, doubled quotes and bare quotes inside unquoted fields are fine, with
        // or without a final newline.
        for ok in [
            "编号,内容\nA1,\"完整\"",
            "编号,内容\nA1,\"带\"\"引号\"\"\"\n",
            "编号,内容\nA1,他说\"你好",
            "编号,内容\nA1,\"a\"b\n",
        ] {
            let (orders, rejects, _) = read_bytes("ok.csv", ok.as_bytes());
            assert_eq!((orders.len(), rejects.len()), (1, 0), "{ok:?}: {rejects:?}");
        }
    }

    #[test]
    fn batches_keep_file_order_across_their_boundaries() {
        // Records are converted a batch at a time in parallel: orders and rejects must still
        // come out in file order, each once, whatever the pool's size.
        let mut dump = String::from("编号,标题,内容\n");
        let rows = 2 * READ_BATCH + 123;
        for i in 0..rows {
            match i % 97 {
                0 => dump.push_str(&format!("B{i},,\n")),
                1 => dump.push_str(&format!("B{i},多一列,内容,多余\n")),
                2 => dump.push('\n'),
                _ => dump.push_str(&format!("A{i},标题{i},内容{i}\n")),
            }
        }
        for threads in [1, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let (orders, rejects, n) = pool.install(|| read_bytes("big.csv", dump.as_bytes()));
            let blank = (0..rows).filter(|i| i % 97 == 2).count();
            assert_eq!(n as usize, rows - blank);
            assert_eq!(orders.len() + rejects.len(), rows - blank);
            let order_rows: Vec<usize> = orders
                .iter()
                .map(|o| o.id.0[1..].parse().unwrap())
                .collect();
            assert!(order_rows.windows(2).all(|w| w[0] < w[1]));
            assert!(orders.iter().all(|o| o.id.0.starts_with('A')));
            assert_eq!(orders[100].text, format!("内容{}", order_rows[100]));
            // The header is line 1, row i is line i + 2.
            let reject_lines: Vec<u64> = rejects.iter().map(|r| r.line).collect();
            let expected: Vec<u64> = (0..rows)
                .filter(|i| i % 97 < 2)
                .map(|i| i as u64 + 2)
                .collect();
            assert_eq!(reject_lines, expected, "{threads} threads");
        }
    }

    #[test]
    fn quote_tracker_skips_to_the_same_states_as_stepping_byte_by_byte() {
        // The tracker jumps over quoted and unquoted text; stepping every byte through the
        // states it documents must end in the same state, whatever the input and however the
        // reads cut it.
        fn stepped(bytes: &[u8], delimiter: u8) -> QuoteState {
            let mut state = QuoteState::FieldStart;
            for &b in bytes {
                state = match state {
                    QuoteState::Quoted if b == b'"' => QuoteState::QuotedQuote,
                    QuoteState::Quoted => QuoteState::Quoted,
                    QuoteState::FieldStart | QuoteState::QuotedQuote if b == b'"' => {
                        QuoteState::Quoted
                    }
                    _ if b == delimiter || b == b'\n' || b == b'\r' => QuoteState::FieldStart,
                    _ => QuoteState::Unquoted,
                };
            }
            state
        }
        /// Hands out its bytes at most `step` at a time.
        struct Chunked<'a>(&'a [u8], usize);
        impl Read for Chunked<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let alphabet = [b'"', b',', b'\t', b'\n', b'\r', b'a', 0xe4, 0xb8, 0xad];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..2000 {
            let len = (next() % 40) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let delimiter = if next() % 2 == 0 { b',' } else { b'\t' };
            let step = 1 + (next() % 7) as usize;
            let mut tracker = QuoteTracker::new(Chunked(&bytes, step), delimiter);
            let mut sink = Vec::new();
            tracker.read_to_end(&mut sink).unwrap();
            assert_eq!(sink, bytes);
            assert_eq!(
                tracker.state,
                stepped(&bytes, delimiter),
                "{:?} read {step} at a time",
                String::from_utf8_lossy(&bytes)
            );
        }
    }

    #[test]
    fn unterminated_quote_in_header_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("head.csv");
        std::fs::write(&path, "编号,\"内容\nA1,第一条\n").unwrap();
        let reader = DumpReaderBuilder::new().build().unwrap();
        let err = reader.read_path(&path, |_| {}).unwrap_err();
        assert!(err.to_string().contains("head.csv:1"), "{err}");
        assert!(err.to_string().contains("never closed"), "{err}");
    }

    #[test]
    fn nul_padded_utf8_is_not_utf16() {
        // Regression: more than 32 NULs in the first 512 bytes made any file UTF-16.
        let pad = "\0".repeat(40);
        let data = format!("编号,内容\nP1{pad},定长字段\nP2{pad},第二条\n");
        assert_eq!(detect_encoding(data.as_bytes(), true), UTF_8);
        let (orders, rejects, _) = read_bytes("pad.csv", data.as_bytes());
        assert_eq!((orders.len(), rejects.len()), (2, 0));
        // ASCII-heavy UTF-16 without BOM is still recognised.
        let text = "id,text\nA1,street light out\nA2,noise at night\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(detect_encoding(&le, true), UTF_16LE);
        assert_eq!(detect_encoding(&be, true), UTF_16BE);
    }

    #[test]
    fn jsonl_lines_that_are_not_objects_say_so() {
        let data = "[1,2]\n42\n\"s\"\nnull\n{\"id\":\"A\",\"text\":\"x\"}\n";
        let (orders, rejects, n) = read_bytes("d.jsonl", data.as_bytes());
        assert_eq!((orders.len(), rejects.len(), n), (1, 4, 5));
        let reasons: Vec<&str> = rejects.iter().map(|r| r.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "JSON line is an array, not an object",
                "JSON line is a number, not an object",
                "JSON line is a string, not an object",
                "JSON line is null, not an object",
            ]
        );
    }

    #[test]
    fn duplicate_across_files_names_the_first_file() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        let b = dir.path().join("b.csv");
        std::fs::write(&a, "编号,内容\nX1,第一份\n").unwrap();
        std::fs::write(&b, "编号,内容\nX2,第二份\nX1,第一份\n").unwrap();
        let reader = DumpReaderBuilder::new().build().unwrap();
        let out = read_dumps(&reader, &[a.clone(), b], |_| {}).unwrap();
        assert_eq!(out.rejects.len(), 1);
        let reason = &out.rejects[0].reason;
        assert!(
            reason.contains(&format!("same content as the record at {}:2", a.display())),
            "{reason}"
        );
    }

    #[test]
    fn repeated_ids_are_rejected_where_they_were_read() {
        // Repeats and other rejects interleave, within a file and across an empty file; a
        // file holds enough orders to size the vector from its first ones.
        let dir = tempfile::tempdir().unwrap();
        let (a, empty, b) = (
            dir.path().join("a.csv"),
            dir.path().join("empty.csv"),
            dir.path().join("b.csv"),
        );
        let mut rows = String::from("编号,内容\n");
        for i in 0..SIZING_SAMPLE + 50 {
            rows.push_str(&format!("A{i},第{i}条\n"));
        }
        rows.push_str("A3,第3条\n,没有编号\nA1,改过的第1条\nA3,第3条\n");
        std::fs::write(&a, &rows).unwrap();
        std::fs::write(&empty, "编号,内容\n").unwrap();
        std::fs::write(&b, "编号,内容\nB1,乙\nA2,第2条\n,又没有编号\nB1,乙\n").unwrap();
        let reader = DumpReaderBuilder::new().build().unwrap();
        let paths = [a.clone(), empty, b.clone()];
        let out = read_dumps(&reader, &paths, |_| {}).unwrap();
        let last = SIZING_SAMPLE as u64 + 51;
        let seen: Vec<(String, u64, &str)> = out
            .rejects
            .iter()
            .map(|r| {
                let file = Path::new(&r.file).file_name().unwrap().to_string_lossy();
                let at = r
                    .reason
                    .find(" the record at ")
                    .map_or("", |i| &r.reason[i..]);
                (file.into_owned(), r.line, at)
            })
            .collect();
        let a_at = |line: u64| format!(" the record at {}:{line}; the first is kept)", a.display());
        let expected: Vec<(String, u64, String)> = vec![
            (
                "a.csv".into(),
                last + 1,
                " the record at line 5; the first is kept)".into(),
            ),
            ("a.csv".into(), last + 2, String::new()),
            (
                "a.csv".into(),
                last + 3,
                " the record at line 3; the first is kept)".into(),
            ),
            (
                "a.csv".into(),
                last + 4,
                " the record at line 5; the first is kept)".into(),
            ),
            ("b.csv".into(), 3, a_at(4)),
            ("b.csv".into(), 4, String::new()),
            (
                "b.csv".into(),
                5,
                " the record at line 2; the first is kept)".into(),
            ),
        ];
        let seen: Vec<(String, u64, String)> = seen
            .into_iter()
            .map(|(f, l, at)| (f, l, at.to_string()))
            .collect();
        assert_eq!(seen, expected);
        assert!(out.rejects[2].reason.contains("different content from"));
        assert!(out.rejects[3].reason.contains("same content as"));
        // Each id once, in reading order, and every record accounted for.
        let ids: Vec<&str> = out.orders.iter().map(|o| o.id.as_str()).collect();
        let mut expected_ids: Vec<String> =
            (0..SIZING_SAMPLE + 50).map(|i| format!("A{i}")).collect();
        expected_ids.push("B1".into());
        assert_eq!(ids, expected_ids);
        assert_eq!(
            out.records_read,
            (out.orders.len() + out.rejects.len()) as u64
        );
    }

    #[test]
    fn blank_fields_are_blank_as_trim_sees_them() {
        for field in [
            "",
            " ",
            "\t\r\n",
            "\u{b}\u{c}",
            "\u{3000}",
            " \u{a0}\u{2003} ",
            "a",
            " a ",
            "\u{3000}井盖",
            "\u{1c}",
            "0",
            "\u{85}",
            "\u{200b}",
        ] {
            assert_eq!(
                is_blank_field(field.as_bytes()),
                field.trim().is_empty(),
                "{field:?}"
            );
        }
    }

    #[test]
    fn missing_column_error_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nocol.csv");
        std::fs::write(&path, "标题,地址\n井盖,路口\n").unwrap();
        let reader = DumpReaderBuilder::new().build().unwrap();
        let err = reader.read_path(&path, |_| {}).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("nocol.csv:1"), "{msg}");
        assert!(msg.contains("no column for id"), "{msg}");
    }
}
