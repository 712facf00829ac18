//! Measures the online engine on a labelled dump: reopen time, `ingest` latency with one and
//! two threads (and CPU time per order), and candidate recall.
//!
//! ```text
//! cargo run --release --example engine_bench -- DUMP GOLD ENGINE_DIR [HOLDOUT]
//! ```
//! The dump is put in arrival order (time received, then id) and split: the last `HOLDOUT`
//! orders (default 2,000) are ingested, the rest seed the engine through the batch pass (as
//! `complaint-dedup index` does) unless `ENGINE_DIR` already holds an engine, which is then
//! reused. Measured runs never commit, so the directory is left as it was and can be reused.
//!
//! Candidate recall: for each held-out order whose gold event already has an earlier order,
//! whether one of the engine's candidate tickets ([`Engine::candidates`]) holds such an order.
//! With `HOLDOUT` 0 the whole dump is ingested into a fresh engine (for small dumps).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use complaint_dedup::engine::Engine;
use complaint_dedup::eval::read_clusters;
use complaint_dedup::io::read_dumps;
use complaint_dedup::{Deduper, DumpReaderBuilder, WorkOrder};

/// Process CPU seconds (user + system) from /proc/self/stat (Linux).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the line: 11 and 12 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dump, gold, dir, rest @ ..] = args.as_slice() else {
        return Err("usage: engine_bench DUMP GOLD ENGINE_DIR [HOLDOUT]".into());
    };
    let holdout: usize = rest.first().map(|h| h.parse()).transpose()?.unwrap_or(2000);
    let dir = PathBuf::from(dir);
    let gold = read_clusters(Path::new(gold), "event_id")?;
    let read = read_dumps(
        &DumpReaderBuilder::new().build()?,
        &[PathBuf::from(dump)],
        |_| {},
    )?;
    let mut orders = read.orders;
    orders.sort_by(|a, b| {
        (a.received.is_none(), a.received, &a.id).cmp(&(b.received.is_none(), b.received, &b.id))
    });
    let split = if holdout == 0 {
        0
    } else {
        orders.len().saturating_sub(holdout)
    };
    let (seed, probe) = orders.split_at(split);
    println!(
        "{} orders: {} seed the engine, {} are ingested",
        orders.len(),
        seed.len(),
        probe.len()
    );

    if holdout == 0 && dir.exists() {
        return Err("with HOLDOUT 0 the engine directory must not exist".into());
    }
    if !dir.join("meta.json").exists() && !seed.is_empty() {
        let t = Instant::now();
        let batch = Deduper::builder().explain(false).build()?.run(seed)?;
        let batch_s = t.elapsed().as_secs_f64();
        let engine = Engine::builder().create_from_batch(&dir, seed, &batch)?;
        println!(
            "built {}: batch pass {:.1} s, engine {:.1} s, {} tickets",
            dir.display(),
            batch_s,
            t.elapsed().as_secs_f64() - batch_s,
            engine.stats().tickets
        );
    }

    // Reopen.
    let t = Instant::now();
    let engine = Engine::open(&dir)?;
    println!(
        "reopen: {:.2} s ({} orders, {} tickets)",
        t.elapsed().as_secs_f64(),
        engine.stats().orders,
        engine.stats().tickets
    );

    // Candidate recall and one-thread latency, order by order.
    let event = |o: &WorkOrder| gold.get(o.id.as_str()).cloned();
    let mut seen_events: HashMap<String, usize> = HashMap::new();
    for o in seed {
        if let Some(e) = event(o) {
            *seen_events.entry(e).or_default() += 1;
        }
    }
    let mut ticket_events: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let (mut dup_orders, mut found) = (0usize, 0usize);
    for o in probe {
        let e = event(o);
        let is_dup = e.as_ref().is_some_and(|e| seen_events.contains_key(e));
        if is_dup {
            dup_orders += 1;
            let e = e.as_ref().unwrap();
            let candidates = engine.candidates(o)?;
            let hit = candidates.iter().any(|c| {
                let events = ticket_events.entry(c.ticket.clone()).or_insert_with(|| {
                    engine
                        .ticket(&c.ticket)
                        .map(|t| {
                            t.members
                                .iter()
                                .filter_map(|m| gold.get(m.as_str()).cloned())
                                .collect()
                        })
                        .unwrap_or_default()
                });
                events.contains(e)
            });
            if hit {
                found += 1;
            } else if std::env::var_os("SHOW_MISSES").is_some() {
                println!("miss: {} (event {e}); candidates {:?}", o.id, candidates);
            }
        }
        let got = engine.ingest(o.clone())?;
        ticket_events.remove(got.verdict.ticket());
        if let complaint_dedup::engine::Verdict::Duplicate { merged, .. } = &got.verdict {
            for m in merged {
                ticket_events.remove(m);
            }
        }
        if let Some(e) = e {
            *seen_events.entry(e).or_default() += 1;
        }
    }
    println!(
        "candidate recall: {found} of {dup_orders} duplicate orders had their event's ticket among the top candidates ({:.2}%)",
        100.0 * found as f64 / dup_orders.max(1) as f64
    );
    drop(engine);
    if holdout == 0 {
        return Ok(());
    }

    // One thread, on the directory as it was (nothing was committed), caches cold.
    let engine = Engine::open(&dir)?;
    let mut latencies = Vec::with_capacity(probe.len());
    let mut cpu_ingest = 0.0;
    for o in probe {
        let cpu = cpu_seconds();
        let t = Instant::now();
        engine.ingest(o.clone())?;
        latencies.push(t.elapsed());
        cpu_ingest += cpu_seconds() - cpu;
    }
    drop(engine);
    latencies.sort();
    let mean =
        latencies.iter().map(Duration::as_secs_f64).sum::<f64>() / latencies.len().max(1) as f64;
    println!(
        "ingest, 1 thread: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms, mean {:.2} ms; CPU {:.3} ms/order",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.9),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0),
        mean * 1000.0,
        cpu_ingest * 1000.0 / probe.len().max(1) as f64
    );

    // Two threads ingesting at once, on the directory as it was (nothing was committed).
    let engine = Engine::open(&dir)?;
    let next = AtomicUsize::new(0);
    let lat2 = Mutex::new(Vec::with_capacity(probe.len()));
    let cpu = cpu_seconds();
    let t = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(o) = probe.get(i) else { break };
                let t = Instant::now();
                engine.ingest(o.clone()).expect("ingest");
                lat2.lock().unwrap().push(t.elapsed());
            });
        }
    });
    let wall = t.elapsed().as_secs_f64();
    let cpu2 = cpu_seconds() - cpu;
    let mut lat2 = lat2.into_inner().unwrap();
    lat2.sort();
    println!(
        "ingest, 2 threads: p50 {:.2} ms, p99 {:.2} ms; {:.0} orders/s; CPU {:.3} ms/order ({:.2}x one thread)",
        percentile(&lat2, 0.5),
        percentile(&lat2, 0.99),
        probe.len() as f64 / wall,
        cpu2 * 1000.0 / probe.len() as f64,
        cpu2 / cpu_ingest.max(1e-9)
    );
    Ok(())
}
