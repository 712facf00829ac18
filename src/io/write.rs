//! Writing results: `tickets.jsonl`, `assignments.csv` and `rejects.jsonl`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::io::Reject;
use crate::order::Ticket;

/// The header of `assignments.csv`.
pub const ASSIGNMENTS_HEADER: [&str; 5] =
    ["order_id", "ticket_id", "canonical_id", "score", "relation"];

fn create(path: &Path) -> Result<BufWriter<File>> {
    let file = File::create(path).map_err(|e| Error::from(e).in_file(path))?;
    Ok(BufWriter::with_capacity(1 << 16, file))
}

/// Writes one ticket per line as JSON.
pub fn write_tickets_jsonl<W: Write>(mut out: W, tickets: &[Ticket]) -> Result<()> {
    for t in tickets {
        write_ticket_line(&mut out, t)?;
    }
    out.flush()?;
    Ok(())
}

fn write_ticket_line<W: Write>(mut out: W, ticket: &Ticket) -> Result<()> {
    serde_json::to_writer(&mut out, ticket)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// Writes one row per order: `order_id,ticket_id,canonical_id,score,relation`, in ticket order.
pub fn write_assignments_csv<W: Write>(out: W, tickets: &[Ticket]) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(ASSIGNMENTS_HEADER)?;
    let mut score = String::new();
    for t in tickets {
        write_assignment_rows(&mut w, t, &mut score)?;
    }
    w.flush()?;
    Ok(())
}

/// The rows of one ticket's members; `score` is a reused buffer.
fn write_assignment_rows<W: Write>(
    w: &mut csv::Writer<W>,
    ticket: &Ticket,
    score: &mut String,
) -> Result<()> {
    use std::fmt::Write as _;
    for m in &ticket.members {
        score.clear();
        write!(score, "{:.3}", m.score).expect("writing to a String cannot fail");
        w.write_record([
            m.order_id.as_str(),
            &ticket.ticket_id,
            ticket.canonical.as_str(),
            score.as_str(),
            m.relation.name(),
        ])?;
    }
    Ok(())
}

/// Writes the result files one ticket at a time, as a batch pass hands them over (see
/// [`crate::Deduper::run_with_sink`]): `tickets.jsonl` and `assignments.csv` grow with each
/// ticket, and [`ResultWriter::finish`] writes `rejects.jsonl`. The files hold what
/// [`write_results`] writes for the same tickets.
///
/// # Example
/// ```
/// use complaint_dedup::io::write::ResultWriter;
/// use complaint_dedup::{Deduper, WorkOrder};
/// let dir = tempfile::tempdir()?;
/// let orders = vec![WorkOrder::new("1", "金沙路井盖缺失，很危险")];
/// let mut writer = ResultWriter::create(dir.path())?;
/// let stats = Deduper::builder()
///     .threads(1)
///     .build()?
///     .run_with_sink(&orders, |ticket| writer.write(&ticket))?;
/// writer.finish(&[])?;
/// assert_eq!(stats.tickets, 1);
/// let csv = std::fs::read_to_string(dir.path().join("assignments.csv"))?;
/// assert!(csv.ends_with("1,T-1,1,1.000,canonical\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct ResultWriter {
    dir: PathBuf,
    tickets: BufWriter<File>,
    assignments: BufWriter<File>,
}

/// Tickets whose lines and rows one rayon task encodes in [`ResultWriter::write_all`].
const ENCODE_CHUNK: usize = 16;

/// The JSON lines (`tickets.jsonl`) and CSV rows (`assignments.csv`) of `tickets`, in order;
/// errors name the file in `dir` they were for.
fn encode(tickets: &[Ticket], dir: &Path) -> Result<(Vec<u8>, Vec<u8>)> {
    let lines_at = || dir.join("tickets.jsonl");
    let rows_at = || dir.join("assignments.csv");
    let mut lines = Vec::with_capacity(1024 * tickets.len());
    let mut rows = csv::WriterBuilder::new()
        .buffer_capacity(4096)
        .from_writer(Vec::with_capacity(128 * tickets.len()));
    let mut score = String::new();
    for t in tickets {
        write_ticket_line(&mut lines, t).map_err(|e| e.in_file(lines_at()))?;
        write_assignment_rows(&mut rows, t, &mut score).map_err(|e| e.in_file(rows_at()))?;
    }
    let rows = rows
        .into_inner()
        .map_err(|e| Error::from(e.into_error()).in_file(rows_at()))?;
    Ok((lines, rows))
}

impl ResultWriter {
    /// Creates `dir` (if missing), `tickets.jsonl` and `assignments.csv` (with its header).
    pub fn create(dir: &Path) -> Result<ResultWriter> {
        std::fs::create_dir_all(dir).map_err(|e| Error::from(e).in_file(dir))?;
        let tickets = create(&dir.join("tickets.jsonl"))?;
        let at = dir.join("assignments.csv");
        let mut header = csv::Writer::from_writer(create(&at)?);
        header
            .write_record(ASSIGNMENTS_HEADER)
            .map_err(|e| Error::from(e).in_file(&at))?;
        let assignments = header
            .into_inner()
            .map_err(|e| Error::from(e.into_error()).in_file(&at))?;
        Ok(ResultWriter {
            dir: dir.to_path_buf(),
            tickets,
            assignments,
        })
    }

    /// Appends one ticket to `tickets.jsonl` and its members to `assignments.csv`.
    pub fn write(&mut self, ticket: &Ticket) -> Result<()> {
        let encoded = encode(std::slice::from_ref(ticket), &self.dir)?;
        self.append(encoded)
    }

    /// Appends tickets as [`ResultWriter::write`] does one at a time, in order, encoding
    /// their JSON lines and CSV rows in parallel on the current rayon pool (at a million
    /// orders the tickets file runs to hundreds of megabytes, and encoding it is most of the
    /// writing): only copying the bytes into the files is left to this thread.
    pub fn write_all(&mut self, tickets: &[Ticket]) -> Result<()> {
        use rayon::prelude::*;
        let encoded: Vec<Result<(Vec<u8>, Vec<u8>)>> = tickets
            .par_chunks(ENCODE_CHUNK)
            .map(|chunk| encode(chunk, &self.dir))
            .collect();
        for chunk in encoded {
            self.append(chunk?)?;
        }
        Ok(())
    }

    /// Appends encoded lines and rows to their files.
    fn append(&mut self, (lines, rows): (Vec<u8>, Vec<u8>)) -> Result<()> {
        self.tickets
            .write_all(&lines)
            .map_err(|e| Error::from(e).in_file(self.dir.join("tickets.jsonl")))?;
        self.assignments
            .write_all(&rows)
            .map_err(|e| Error::from(e).in_file(self.dir.join("assignments.csv")))
    }

    /// Flushes both files and writes `rejects.jsonl`.
    pub fn finish(mut self, rejects: &[Reject]) -> Result<()> {
        let at = |name: &str| self.dir.join(name);
        self.tickets
            .flush()
            .map_err(|e| Error::from(e).in_file(at("tickets.jsonl")))?;
        self.assignments
            .flush()
            .map_err(|e| Error::from(e).in_file(at("assignments.csv")))?;
        write_rejects_jsonl(create(&at("rejects.jsonl"))?, rejects)
            .map_err(|e| e.in_file(at("rejects.jsonl")))
    }
}

/// Writes one reject per line as JSON (`file`, `line`, `field`, `reason`, `raw`).
pub fn write_rejects_jsonl<W: Write>(mut out: W, rejects: &[Reject]) -> Result<()> {
    for r in rejects {
        serde_json::to_writer(&mut out, r)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// Writes the three result files into `dir` (created if missing), encoding on the current
/// rayon pool as [`ResultWriter::write_all`] does.
pub fn write_results(dir: &Path, tickets: &[Ticket], rejects: &[Reject]) -> Result<()> {
    let mut writer = ResultWriter::create(dir)?;
    // All at once: encoded in parallel, without a pair of buffers per ticket.
    writer.write_all(tickets)?;
    writer.finish(rejects)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Deduper, WorkOrder};

    #[test]
    fn tickets_written_in_batches_match_tickets_written_one_by_one() {
        // Seven reports, told again in six spells 100 days apart (which never merge, unless
        // word for word: exact reposts): more tickets than one rayon task encodes. Some ids
        // need quoting in CSV.
        let texts = [
            "金沙路井盖缺失，很危险",
            "金沙路的井盖没了，晚上看不见",
            "翠微澜庭小区夜间施工噪音扰民",
            "澜庭旁边工地半夜打桩，吵得睡不着",
            "物业费上涨没有公示",
            "公交站牌被撞坏了",
            "楼上漏水到我家，物业不管",
        ];
        let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap();
        let orders: Vec<WorkOrder> = (0..6i64)
            .flat_map(|spell| {
                texts.iter().enumerate().map(move |(k, text)| {
                    let id = if k % 3 == 0 {
                        format!("{spell},\"{k}\"")
                    } else {
                        format!("{spell}-{k}")
                    };
                    let mut o = WorkOrder::new(&id, &format!("{text}，{}号楼", spell + 1));
                    o.received = Some(
                        start
                            + chrono::Duration::days(100 * spell)
                            + chrono::Duration::minutes(k as i64),
                    );
                    o
                })
            })
            .collect();
        let out = Deduper::builder()
            .threads(2)
            .build()
            .unwrap()
            .run(&orders)
            .unwrap();
        assert!(
            out.tickets.len() > ENCODE_CHUNK + 2,
            "{}",
            out.tickets.len()
        );
        let one = tempfile::tempdir().unwrap();
        let mut writer = ResultWriter::create(one.path()).unwrap();
        for t in &out.tickets {
            writer.write(t).unwrap();
        }
        writer.finish(&[]).unwrap();
        let batched = tempfile::tempdir().unwrap();
        let mut writer = ResultWriter::create(batched.path()).unwrap();
        for batch in out.tickets.chunks(ENCODE_CHUNK + 2) {
            writer.write_all(batch).unwrap();
        }
        writer.finish(&[]).unwrap();
        for name in ["tickets.jsonl", "assignments.csv", "rejects.jsonl"] {
            let a = std::fs::read(one.path().join(name)).unwrap();
            let b = std::fs::read(batched.path().join(name)).unwrap();
            assert_eq!(a, b, "{name}");
        }
        let lines = std::fs::read_to_string(batched.path().join("tickets.jsonl")).unwrap();
        assert_eq!(lines.lines().count(), out.tickets.len());
    }
}
