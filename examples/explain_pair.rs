//! Explains how two orders of a dump score against each other.
//!
//! ```text
//! cargo run --release --example explain_pair -- fixtures/orders.csv RX10000231 WB10001203 [...]
//! ```
//! Ids come in pairs; each pair prints its score and the explanation as JSON. Document
//! frequencies are computed over the whole dump, as the batch pass does.

use std::path::PathBuf;

use complaint_dedup::fingerprint::{Analyzer, CorpusStats};
use complaint_dedup::io::read_dumps;
use complaint_dedup::{DumpReaderBuilder, Scorer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dump = PathBuf::from(
        args.next()
            .ok_or("usage: explain_pair DUMP ID ID [ID ID ...]")?,
    );
    let ids: Vec<String> = args.collect();
    let read = read_dumps(&DumpReaderBuilder::new().build()?, &[dump], |_| {})?;
    let analyzer = Analyzer::new()?;
    let mut fps: Vec<_> = read
        .orders
        .iter()
        .map(|o| analyzer.fingerprint(o, ""))
        .collect();
    let mut stats = CorpusStats::default();
    fps.iter().for_each(|f| stats.add(f));
    fps.iter_mut().for_each(|f| f.weigh(&stats));
    let find = |id: &str| read.orders.iter().position(|o| o.id.as_str() == id);
    let scorer = Scorer::default();
    for pair in ids.chunks(2) {
        let [a, b] = pair else {
            return Err("ids come in pairs".into());
        };
        let (Some(i), Some(j)) = (find(a), find(b)) else {
            println!("{a} {b}: not both in the dump");
            continue;
        };
        let (score, why) = scorer.explain(&fps[i], &fps[j], analyzer.problems());
        println!("{a} ~ {b}: {score:.3}");
        println!(
            "  places {:?} | {:?}",
            fps[i].places.iter().map(|p| &p.name).collect::<Vec<_>>(),
            fps[j].places.iter().map(|p| &p.name).collect::<Vec<_>>()
        );
        println!(
            "  admin {:?} | {:?}",
            fps[i].admin.iter().map(|p| &p.name).collect::<Vec<_>>(),
            fps[j].admin.iter().map(|p| &p.name).collect::<Vec<_>>()
        );
        println!("  {}", serde_json::to_string(&why)?);
    }
    Ok(())
}
