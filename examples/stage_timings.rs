//! Where the batch pass spends its time and memory: runs `Deduper::run_with_sink` over
//! `DIR/orders.csv` and prints `BatchStats` (counts, milliseconds and resident MiB per stage)
//! as JSON, one line.
//!
//! ```text
//! cargo run --release --example stage_timings -- DIR [THREADS]
//! ```

use std::path::PathBuf;
use std::time::Instant;

use complaint_dedup::io::read_dumps;
use complaint_dedup::{Deduper, DumpReaderBuilder};

/// The CLI's allocator, so that the stages cost here what they cost in `complaint-dedup
/// dedup` (with glibc's malloc the tickets stage of a 1M pass takes three times as long).
#[cfg(feature = "cli")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // As `complaint-dedup dedup` does: freed memory is kept for reuse, not purged (option 15
    // is mimalloc's purge delay; see `keep_freed_memory` in src/main.rs).
    #[cfg(feature = "cli")]
    // SAFETY: stores an integer in mimalloc's option table.
    unsafe {
        libmimalloc_sys::mi_option_set(15, -1)
    };
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or("usage: stage_timings DIR [THREADS] (with DIR/orders.csv)")?,
    );
    let threads: usize = args.next().map_or(Ok(1), |t| t.parse())?;
    // The reader converts records on the global pool: as many threads as the pass, as in the
    // CLI.
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()?;
    let started = Instant::now();
    let reader = DumpReaderBuilder::new().build()?;
    let read = read_dumps(&reader, &[dir.join("orders.csv")], |_| {})?;
    let read_ms = started.elapsed().as_millis() as u64;
    let deduper = Deduper::builder().threads(threads).build()?;
    // Tickets are dropped as they come, as the CLI drops them once written.
    let stats = deduper.run_with_sink(&read.orders, |_| Ok(()))?;
    let mut stats = serde_json::to_value(&stats)?;
    stats["read_ms"] = read_ms.into();
    stats["threads"] = threads.into();
    println!("{stats}");
    Ok(())
}
