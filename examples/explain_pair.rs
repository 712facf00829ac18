//! Explains how two orders of a dump score against each other.
//!
//! ```text
//! cargo run --release --example explain_pair -- fixtures/orders.csv RX10000231 WB10001203 [...]
//! ```
//! Ids come in pairs; each pair prints its score and the explanation as JSON. Document
//! frequencies are computed over the whole dump, as the batch pass does.
//!
//! With `--all` instead of ids it prints every pair of the dump as one JSON line
//! (`{"a", "b", "score", "why"}`), orders taken in canonical order (time received, then id),
//! for studying the score offline; a dump of n orders gives n(n-1)/2 lines.

use std::io::Write;
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
    // The words by hash of each order asked about, to name their shared name words below
    // (none are kept for the others, nor for --all).
    let asked: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
    let mut words: Vec<std::collections::HashMap<u64, String>> = Vec::new();
    let mut fps: Vec<_> = read
        .orders
        .iter()
        .map(|o| {
            let mut seen = std::collections::HashMap::new();
            let keep = asked.contains(o.id.as_str());
            let fp = analyzer.fingerprint_with_terms(o, "", |h, w| {
                if keep {
                    seen.insert(h, w.to_owned());
                }
            });
            words.push(seen);
            fp
        })
        .collect();
    let mut stats = CorpusStats::default();
    fps.iter().for_each(|f| stats.add(f));
    fps.iter_mut().for_each(|f| f.weigh(&stats));
    if ids.first().map(String::as_str) == Some("--all") {
        let scorer = Scorer::default();
        let mut nodes: Vec<usize> = (0..read.orders.len()).collect();
        nodes.sort_by(|&x, &y| {
            let (a, b) = (&read.orders[x], &read.orders[y]);
            (a.received.is_none(), a.received, &a.id).cmp(&(
                b.received.is_none(),
                b.received,
                &b.id,
            ))
        });
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        for (k, &i) in nodes.iter().enumerate() {
            for &j in &nodes[k + 1..] {
                let (score, why) = scorer.explain(&fps[i], &fps[j], analyzer.problems());
                let line = serde_json::json!({
                    "a": read.orders[i].id.as_str(),
                    "b": read.orders[j].id.as_str(),
                    "score": score,
                    "why": why,
                });
                writeln!(out, "{line}")?;
            }
        }
        return Ok(());
    }
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
        let shared_names: Vec<&str> = fps[i]
            .entity_terms
            .iter()
            .filter(|(h, _)| fps[j].entity_terms.iter().any(|(k, _)| k == h))
            .filter_map(|(h, _)| words[i].get(h).map(String::as_str))
            .collect();
        println!("  shared name words {shared_names:?}");
        let labels = |ps: &[complaint_dedup::text::extract::ProblemId]| -> Vec<String> {
            ps.iter()
                .map(|p| analyzer.problems().label(*p).to_owned())
                .collect()
        };
        println!(
            "  problems {:?} lead {:?} | {:?} lead {:?}",
            labels(&fps[i].problems),
            labels(fps[i].lead_problems()),
            labels(&fps[j].problems),
            labels(fps[j].lead_problems())
        );
        println!("  {}", serde_json::to_string(&why)?);
    }
    Ok(())
}
