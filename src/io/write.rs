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
    assignments: csv::Writer<BufWriter<File>>,
    score: String,
}

impl ResultWriter {
    /// Creates `dir` (if missing), `tickets.jsonl` and `assignments.csv` (with its header).
    pub fn create(dir: &Path) -> Result<ResultWriter> {
        std::fs::create_dir_all(dir).map_err(|e| Error::from(e).in_file(dir))?;
        let tickets = create(&dir.join("tickets.jsonl"))?;
        let at = dir.join("assignments.csv");
        let mut assignments = csv::Writer::from_writer(create(&at)?);
        assignments
            .write_record(ASSIGNMENTS_HEADER)
            .map_err(|e| Error::from(e).in_file(&at))?;
        Ok(ResultWriter {
            dir: dir.to_path_buf(),
            tickets,
            assignments,
            score: String::new(),
        })
    }

    /// Appends one ticket to `tickets.jsonl` and its members to `assignments.csv`.
    pub fn write(&mut self, ticket: &Ticket) -> Result<()> {
        write_ticket_line(&mut self.tickets, ticket)
            .map_err(|e| e.in_file(self.dir.join("tickets.jsonl")))?;
        write_assignment_rows(&mut self.assignments, ticket, &mut self.score)
            .map_err(|e| e.in_file(self.dir.join("assignments.csv")))
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

/// Writes the three result files into `dir` (created if missing).
pub fn write_results(dir: &Path, tickets: &[Ticket], rejects: &[Reject]) -> Result<()> {
    let mut writer = ResultWriter::create(dir)?;
    for t in tickets {
        writer.write(t)?;
    }
    writer.finish(rejects)
}
