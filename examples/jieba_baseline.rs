//! The floor for the batch pass: bare jieba-rs segmentation of a dump's titles and texts.
//!
//! Reads `DIR/orders.csv` with the crate's reader, cuts every order's title and text with a
//! plain `jieba_rs::Jieba::new()` (HMM on, no domain dictionary, no normalisation) on one
//! thread, and prints the CPU seconds the cutting took. `benches/scale.sh` divides the batch
//! pass's CPU by it.
//!
//! ```text
//! cargo run --release --example jieba_baseline -- DIR
//! ```

use std::path::PathBuf;
use std::time::Instant;

use complaint_dedup::io::read_dumps;
use complaint_dedup::DumpReaderBuilder;

/// CPU time of this thread in seconds, from the kernel's scheduler statistics (Linux); `None`
/// elsewhere.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: jieba_baseline DIR (with DIR/orders.csv)")?,
    );
    let reader = DumpReaderBuilder::new().build()?;
    let read = read_dumps(&reader, &[dir.join("orders.csv")], |_| {})?;

    let load = Instant::now();
    let jieba = jieba_rs::Jieba::new();
    let load_s = load.elapsed().as_secs_f64();

    let wall = Instant::now();
    let cpu0 = thread_cpu_seconds();
    let (mut words, mut bytes) = (0usize, 0usize);
    for o in &read.orders {
        words += jieba.cut(&o.title, true).len();
        words += jieba.cut(&o.text, true).len();
        bytes += o.title.len() + o.text.len();
    }
    let wall_s = wall.elapsed().as_secs_f64();
    let cpu_s = match (cpu0, thread_cpu_seconds()) {
        (Some(a), Some(b)) => b - a,
        _ => wall_s,
    };
    println!("orders {}", read.orders.len());
    println!("bytes {bytes}");
    println!("words {words}");
    println!("jieba_load_s {load_s:.3}");
    println!("jieba_wall_s {wall_s:.3}");
    println!("jieba_cpu_s {cpu_s:.3}");
    println!(
        "jieba_mb_per_cpu_s {:.1}",
        bytes as f64 / 1e6 / cpu_s.max(1e-9)
    );
    Ok(())
}
