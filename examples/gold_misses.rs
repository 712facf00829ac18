//! Why the batch pass splits gold events and merges hard negatives: for each gold event spread
//! over several tickets, the best-scoring pair across the split, with its explanation; for
//! each pair of orders of different events put in one ticket, the pair's score.
//!
//! ```text
//! cargo run --release --example gold_misses -- fixtures/orders.csv fixtures/gold.csv
//! ```
//! Document frequencies are those of the whole dump, as in the batch pass.

use std::collections::BTreeMap;
use std::path::PathBuf;

use complaint_dedup::eval::read_clusters;
use complaint_dedup::io::read_dumps;
use complaint_dedup::{Deduper, DumpReaderBuilder};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dump, gold] = &args[..] else {
        return Err("usage: gold_misses DUMP GOLD".into());
    };
    let read = read_dumps(
        &DumpReaderBuilder::new().build()?,
        &[PathBuf::from(dump)],
        |_| {},
    )?;
    let gold = read_clusters(gold.as_ref(), "event_id")?;
    let deduper = Deduper::builder().build()?;
    let out = deduper.run(&read.orders)?;
    let analyzer = deduper.analyzer();
    let mut fps: Vec<_> = read
        .orders
        .iter()
        .map(|o| analyzer.fingerprint(o, ""))
        .collect();
    let mut stats = complaint_dedup::fingerprint::CorpusStats::default();
    fps.iter().for_each(|f| stats.add(f));
    fps.iter_mut().for_each(|f| f.weigh(&stats));
    let scorer = deduper.scorer();

    let ticket_of: BTreeMap<&str, &str> = out
        .tickets
        .iter()
        .flat_map(|t| {
            t.members
                .iter()
                .map(|m| (m.order_id.as_str(), t.ticket_id.as_str()))
        })
        .collect();
    let index: BTreeMap<&str, usize> = read
        .orders
        .iter()
        .enumerate()
        .map(|(i, o)| (o.id.as_str(), i))
        .collect();
    // event -> ticket -> orders
    let mut events: BTreeMap<&str, BTreeMap<&str, Vec<usize>>> = BTreeMap::new();
    for (order, event) in &gold {
        let (Some(&i), Some(&t)) = (index.get(order.as_str()), ticket_of.get(order.as_str()))
        else {
            continue;
        };
        events
            .entry(event)
            .or_default()
            .entry(t)
            .or_default()
            .push(i);
    }
    let show = |i: usize| {
        let o = &read.orders[i];
        let head: String = format!("{} {}", o.title, o.text).chars().take(50).collect();
        format!("{} [{}] {}", o.id, o.channel, head)
    };
    println!("== split events (best pair across the split)");
    for (event, tickets) in &events {
        if tickets.len() < 2 {
            continue;
        }
        let mut groups: Vec<&Vec<usize>> = tickets.values().collect();
        groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
        let main = groups[0];
        for g in &groups[1..] {
            for &i in g.iter() {
                let best = main
                    .iter()
                    .map(|&j| (scorer.score(&fps[i], &fps[j]), j))
                    .max_by(|x, y| x.0.total_cmp(&y.0));
                let Some((s, j)) = best else { continue };
                let mut all: Vec<f32> = main
                    .iter()
                    .map(|&j| scorer.score(&fps[i], &fps[j]))
                    .collect();
                all.sort_by(|x, y| y.total_cmp(x));
                let top: Vec<String> = all.iter().take(6).map(|x| format!("{x:.2}")).collect();
                println!("  scores against the main group: {}", top.join(" "));
                let (_, why) = scorer.explain(&fps[i], &fps[j], analyzer.problems());
                println!("{event} {s:.3}\n  {}\n  {}", show(i), show(j));
                println!("  {}", serde_json::to_string(&why)?);
            }
        }
    }
    println!("== merged across events");
    let mut by_ticket: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (order, &t) in &ticket_of {
        by_ticket.entry(t).or_default().push(index[order]);
    }
    for members in by_ticket.values() {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in members {
            if let Some(e) = gold.get(read.orders[i].id.as_str()) {
                seen.entry(e).or_insert(i);
            }
        }
        if seen.len() < 2 {
            continue;
        }
        let firsts: Vec<(&str, usize)> = seen.into_iter().collect();
        for (x, &(ea, i)) in firsts.iter().enumerate() {
            for &(eb, j) in &firsts[x + 1..] {
                let (s, why) = scorer.explain(&fps[i], &fps[j], analyzer.problems());
                println!("{ea} + {eb} {s:.3}\n  {}\n  {}", show(i), show(j));
                println!("  {}", serde_json::to_string(&why)?);
            }
        }
    }
    Ok(())
}
