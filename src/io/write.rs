//! Writing results: `tickets.jsonl`, `assignments.csv` and `rejects.jsonl`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

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
        serde_json::to_writer(&mut out, t)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// Writes one row per order: `order_id,ticket_id,canonical_id,score,relation`, in ticket order.
pub fn write_assignments_csv<W: Write>(out: W, tickets: &[Ticket]) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(ASSIGNMENTS_HEADER)?;
    for t in tickets {
        for m in &t.members {
            w.write_record([
                m.order_id.as_str(),
                &t.ticket_id,
                t.canonical.as_str(),
                &format!("{:.3}", m.score),
                m.relation.name(),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
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
    std::fs::create_dir_all(dir).map_err(|e| Error::from(e).in_file(dir))?;
    let at = |name: &str| dir.join(name);
    write_tickets_jsonl(create(&at("tickets.jsonl"))?, tickets)
        .map_err(|e| e.in_file(at("tickets.jsonl")))?;
    write_assignments_csv(create(&at("assignments.csv"))?, tickets)
        .map_err(|e| e.in_file(at("assignments.csv")))?;
    write_rejects_jsonl(create(&at("rejects.jsonl"))?, rejects)
        .map_err(|e| e.in_file(at("rejects.jsonl")))?;
    Ok(())
}
