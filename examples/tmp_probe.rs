use complaint_dedup::engine::Engine;
use complaint_dedup::io::read_dumps;
use complaint_dedup::DumpReaderBuilder;
use std::path::PathBuf;
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dump = PathBuf::from(args.next().unwrap());
    let probes: Vec<String> = args.collect();
    let mut orders = read_dumps(&DumpReaderBuilder::new().build()?, &[dump], |_| {})?.orders;
    orders.sort_by(|a, b| {
        (a.received.is_none(), a.received, &a.id).cmp(&(b.received.is_none(), b.received, &b.id))
    });
    let dir = tempfile::tempdir()?;
    let engine = Engine::open(dir.path())?;
    for o in &orders {
        if probes.contains(&o.id.0) {
            let c = engine.candidates(o)?;
            println!(
                "{} (#{}): {:?}",
                o.id,
                engine.stats().orders,
                c.iter()
                    .take(4)
                    .map(|c| (c.ticket.clone(), c.matched.0.clone(), c.score))
                    .collect::<Vec<_>>()
            );
        }
        engine.ingest(o.clone())?;
    }
    Ok(())
}
