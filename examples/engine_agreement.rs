//! Ingests a dump into a fresh engine in time order and compares its tickets with the batch
//! pass's (pairwise and B-cubed F1) and, given gold labels, with the truth; also reports how
//! often a duplicate order's true ticket was among the engine's candidate tickets.
//!
//! ```text
//! cargo run --release --example engine_agreement -- fixtures/orders.csv [fixtures/gold.csv]
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use complaint_dedup::engine::Engine;
use complaint_dedup::eval::{evaluate, read_clusters};
use complaint_dedup::io::read_dumps;
use complaint_dedup::{Deduper, DumpReaderBuilder};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dump = PathBuf::from(args.next().ok_or("usage: engine_agreement DUMP [GOLD]")?);
    let gold = args.next().map(PathBuf::from);
    let read = read_dumps(&DumpReaderBuilder::new().build()?, &[dump], |_| {})?;
    let mut orders = read.orders;
    orders.sort_by(|a, b| {
        (a.received.is_none(), a.received, &a.id).cmp(&(b.received.is_none(), b.received, &b.id))
    });

    let batch = Deduper::builder().build()?.run(&orders)?;
    let mut by_batch = BTreeMap::new();
    for t in &batch.tickets {
        for m in &t.members {
            by_batch.insert(m.order_id.0.clone(), t.ticket_id.clone());
        }
    }

    let dir = tempfile::tempdir()?;
    let mut builder = Engine::builder();
    if let Ok(days) = std::env::var("IDLE_DAYS") {
        builder.idle_days(days.parse()?);
    }
    // WARM=1: the engine starts knowing the dump's vocabulary (not its tickets).
    let engine = if std::env::var_os("WARM").is_some() {
        builder.create_with_vocabulary(dir.path().join("engine"), &orders)?
    } else {
        builder.open(dir.path())?
    };
    let start = Instant::now();
    let mut by_engine = BTreeMap::new();
    for o in &orders {
        engine.ingest(o.clone())?;
    }
    let elapsed = start.elapsed();
    // The final tickets: a later order may have merged tickets that earlier verdicts named.
    for t in engine.tickets() {
        for m in t.members {
            by_engine.insert(m.0, t.ticket.clone());
        }
    }
    engine.commit()?;
    let vs_batch = evaluate(&by_batch, &by_engine);
    println!(
        "{} orders in {:.2?} ({:.2} ms/order); engine {} tickets, batch {}",
        orders.len(),
        elapsed,
        elapsed.as_secs_f64() * 1000.0 / orders.len() as f64,
        vs_batch.tickets,
        vs_batch.gold_events
    );
    println!(
        "engine vs batch: pairwise F1 {:.4} (P {:.4} R {:.4}), B-cubed F1 {:.4}",
        vs_batch.pairwise.f1,
        vs_batch.pairwise.precision,
        vs_batch.pairwise.recall,
        vs_batch.bcubed.f1
    );
    if std::env::var("SPLITS").is_ok() {
        let mut groups: BTreeMap<&String, Vec<(&String, &String)>> = BTreeMap::new();
        for (id, t) in &by_batch {
            groups.entry(t).or_default().push((id, &by_engine[id]));
        }
        for (t, members) in groups {
            let mut engine_tickets: Vec<&String> = members.iter().map(|m| m.1).collect();
            engine_tickets.sort();
            engine_tickets.dedup();
            if engine_tickets.len() > 1 {
                println!("batch {t}: {members:?}");
            }
        }
    }
    if let Some(gold) = gold {
        let gold = read_clusters(&gold, "event_id")?;
        let e = evaluate(&gold, &by_engine);
        let b = evaluate(&gold, &by_batch);
        println!(
            "vs gold: engine pairwise F1 {:.4} B-cubed {:.4}; batch pairwise F1 {:.4} B-cubed {:.4}",
            e.pairwise.f1, e.bcubed.f1, b.pairwise.f1, b.bcubed.f1
        );
    }
    Ok(())
}
