//! The `complaint-dedup` command: a thin layer over the library.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use complaint_dedup::eval::{evaluate, read_clusters};
use complaint_dedup::io::{read_dumps, write::write_results, DumpFormat};
use complaint_dedup::{Channel, Deduper, DumpReaderBuilder, Ticket};
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Parser)]
#[command(
    name = "complaint-dedup",
    version,
    about = "Merge duplicate Chinese citizen complaints into canonical tickets"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Deduplicate order dumps (CSV/TSV/JSONL; UTF-8, UTF-16 or GB18030) into tickets.
    Dedup(DedupArgs),
    /// Score assignments against a gold file (order_id,event_id).
    Eval(EvalArgs),
    /// Generate realistic synthetic orders with gold labels: DIR/orders.csv and DIR/gold.csv.
    Generate(GenerateArgs),
}

#[derive(clap::Args)]
struct GenerateArgs {
    /// How many orders to generate.
    #[arg(long, default_value_t = 10_000)]
    orders: usize,
    /// Seed of every random choice: equal seeds give equal files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Directory for orders.csv and gold.csv (created if missing).
    #[arg(long)]
    out: PathBuf,
}

#[derive(clap::Args)]
struct DedupArgs {
    /// Dump files to read.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Directory for tickets.jsonl, assignments.csv and rejects.jsonl.
    #[arg(long)]
    out: PathBuf,
    /// Pairwise score (0..1) from which two orders are duplicates.
    #[arg(long, default_value_t = complaint_dedup::DEFAULT_THRESHOLD)]
    threshold: f32,
    /// Share of the threshold that the canonical orders of two groups must score against each
    /// other before the groups merge (the guard against chaining; 0 turns it off).
    #[arg(long, default_value_t = complaint_dedup::DEFAULT_LINK_RATIO)]
    link_ratio: f32,
    /// Threads for the batch pass (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Override a column mapping, as FIELD=COLUMN (fields: id, channel, received, title, text,
    /// address, reporter, category). Repeatable.
    #[arg(long = "map", value_name = "FIELD=COLUMN")]
    maps: Vec<String>,
    /// Input encoding (utf-8, gb18030, gbk, utf-16le, …); detected by default.
    #[arg(long)]
    encoding: Option<String>,
    /// Input format (csv, tsv, jsonl); detected by default.
    #[arg(long)]
    format: Option<String>,
    /// Channel of orders whose dump has no channel column (e.g. 网上问政, 12345热线).
    #[arg(long)]
    channel: Option<String>,
    /// Extra jieba user dictionary (word [freq] [tag] per line).
    #[arg(long)]
    user_dict: Option<PathBuf>,
    /// Score weights as JSON (any subset of the fields of ScoreWeights; the rest default).
    #[arg(long, value_name = "FILE")]
    weights: Option<PathBuf>,
    /// Salt for reporter hashes in outputs.
    #[arg(
        long,
        env = "COMPLAINT_DEDUP_SALT",
        default_value = "complaint-dedup",
        hide_env_values = true
    )]
    salt: String,
    /// Exit non-zero if any record was rejected.
    #[arg(long)]
    strict: bool,
    /// How many of the largest tickets to print after the summary.
    #[arg(long, default_value_t = 5)]
    show: usize,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(clap::Args)]
struct EvalArgs {
    /// Gold labels: CSV with order_id,event_id.
    #[arg(long)]
    gold: PathBuf,
    /// assignments.csv written by `dedup`.
    #[arg(long)]
    assignments: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    match try_main() {
        Ok(code) => code,
        Err(err) => {
            if err
                .chain()
                .filter_map(|e| e.downcast_ref::<std::io::Error>())
                .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("complaint-dedup: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn try_main() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Dedup(args) => dedup(args),
        Command::Eval(args) => eval(args),
        Command::Generate(args) => generate(args),
    }
}

fn dedup(args: DedupArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let mut reader = DumpReaderBuilder::new();
    if let Some(enc) = &args.encoding {
        reader.encoding(enc)?;
    }
    if let Some(f) = &args.format {
        match DumpFormat::from_name(f) {
            Some(f) => reader.format(Some(f)),
            None => bail!("unknown format {f:?} (csv, tsv, jsonl)"),
        };
    }
    if let Some(c) = &args.channel {
        reader.default_channel(Channel::from_label(c));
    }
    for m in &args.maps {
        reader.map_arg(m)?;
    }
    let reader = reader.build()?;
    // Settings are checked before any input is read.
    let mut builder = Deduper::builder();
    builder
        .threshold(args.threshold)
        .link_ratio(args.link_ratio)
        .salt(&args.salt);
    if let Some(n) = args.threads {
        builder.threads(n);
    }
    if let Some(d) = &args.user_dict {
        builder.user_dict(d);
    }
    if let Some(path) = &args.weights {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading weights {}", path.display()))?;
        let weights: complaint_dedup::ScoreWeights = serde_json::from_str(&text)
            .with_context(|| format!("parsing weights {}", path.display()))?;
        builder.weights(weights);
    }
    let deduper = builder.build()?;

    let progress = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new_spinner()
    };
    progress.set_style(
        ProgressStyle::with_template("{spinner} {elapsed} {msg} {pos} records")
            .expect("valid template"),
    );
    progress.enable_steady_tick(Duration::from_millis(200));
    progress.set_message("reading");
    let read = read_dumps(&reader, &args.inputs, |n| {
        if n % 1024 == 0 {
            progress.set_position(n);
        }
    })?;
    progress.set_position(read.records_read);

    progress.set_message(format!("deduplicating {} orders;", read.orders.len()));
    let out = deduper.run(&read.orders)?;
    progress.set_message("writing");
    write_results(&args.out, &out.tickets, &read.rejects)?;
    progress.finish_and_clear();

    // The accounting invariant: nothing lost, nothing doubled.
    let accepted = read.orders.len() as u64;
    let rejected = read.rejects.len() as u64;
    let mut placed: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &out.tickets {
        for m in &t.members {
            *placed.entry(m.order_id.as_str()).or_default() += 1;
        }
    }
    if accepted + rejected != read.records_read {
        bail!(
            "accounting error: {} records read but {accepted} accepted + {rejected} rejected",
            read.records_read
        );
    }
    if placed.len() as u64 != accepted || placed.values().any(|&n| n != 1) {
        bail!("accounting error: accepted orders are not each in exactly one ticket");
    }

    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    print_summary(
        &mut w,
        &read.orders,
        &out.tickets,
        read.records_read,
        rejected,
        started.elapsed(),
    )?;
    writeln!(w, "results in {}", args.out.display())?;
    print_largest(&mut w, &out.tickets, args.show)?;
    if args.strict && rejected > 0 {
        eprintln!(
            "complaint-dedup: --strict: {rejected} records rejected (see {})",
            args.out.join("rejects.jsonl").display()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn print_summary(
    w: &mut impl Write,
    orders: &[complaint_dedup::WorkOrder],
    tickets: &[Ticket],
    records: u64,
    rejected: u64,
    elapsed: Duration,
) -> anyhow::Result<()> {
    let merged: usize = tickets.iter().map(|t| t.members.len() - 1).sum();
    writeln!(w, "records read      {records}")?;
    writeln!(w, "orders accepted   {}", orders.len())?;
    writeln!(w, "records rejected  {rejected}")?;
    writeln!(w, "tickets           {}", tickets.len())?;
    writeln!(w, "duplicates merged {merged}")?;
    writeln!(
        w,
        "multi-order tickets {}",
        tickets.iter().filter(|t| t.is_merged()).count()
    )?;
    let mut by_channel: BTreeMap<Channel, (usize, usize)> = BTreeMap::new();
    for t in tickets {
        for m in &t.members {
            let e = by_channel.entry(m.channel).or_default();
            e.0 += 1;
            if m.matched.is_some() {
                e.1 += 1;
            }
        }
    }
    writeln!(w, "by channel        orders  merged")?;
    for (c, (n, d)) in by_channel {
        writeln!(w, "  {:<15} {n:>6}  {d:>6}", c.name())?;
    }
    writeln!(w, "elapsed           {:.2} s", elapsed.as_secs_f64())?;
    Ok(())
}

fn print_largest(w: &mut impl Write, tickets: &[Ticket], n: usize) -> anyhow::Result<()> {
    if n == 0 {
        return Ok(());
    }
    let mut largest: Vec<&Ticket> = tickets.iter().filter(|t| t.is_merged()).collect();
    largest.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then(a.ticket_id.cmp(&b.ticket_id))
    });
    if largest.is_empty() {
        return Ok(());
    }
    writeln!(w, "\nlargest tickets:")?;
    for t in largest.into_iter().take(n) {
        let channels: Vec<&str> = t.channels.iter().map(|c| c.name()).collect();
        writeln!(
            w,
            "{}  {} orders  [{}]  {}",
            t.ticket_id,
            t.members.len(),
            channels.join(","),
            t.summary
        )?;
        for m in t.members.iter().skip(1).take(4) {
            let why = m
                .explanation
                .as_ref()
                .map(|e| e.shared_terms.join("/"))
                .unwrap_or_default();
            writeln!(
                w,
                "    {} {:.2} {}  shared: {}",
                m.order_id, m.score, m.relation, why
            )?;
        }
    }
    Ok(())
}

fn eval(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let gold = read_clusters(&args.gold, "event_id")
        .with_context(|| format!("reading gold file {}", args.gold.display()))?;
    let predicted = read_clusters(&args.assignments, "ticket_id")
        .with_context(|| format!("reading assignments {}", args.assignments.display()))?;
    let report = evaluate(&gold, &predicted);
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    if args.json {
        serde_json::to_writer_pretty(&mut w, &report)?;
        writeln!(w)?;
    } else {
        writeln!(
            w,
            "orders {}  gold events {}  tickets {}  missing {}",
            report.orders, report.gold_events, report.tickets, report.missing
        )?;
        writeln!(
            w,
            "pairwise  precision {:.4}  recall {:.4}  F1 {:.4}",
            report.pairwise.precision, report.pairwise.recall, report.pairwise.f1
        )?;
        writeln!(
            w,
            "B-cubed   precision {:.4}  recall {:.4}  F1 {:.4}",
            report.bcubed.precision, report.bcubed.recall, report.bcubed.f1
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn generate(args: GenerateArgs) -> anyhow::Result<ExitCode> {
    use complaint_dedup::generate::{generate, write_dataset, GenerateConfig};
    let started = Instant::now();
    let config = GenerateConfig {
        orders: args.orders,
        seed: args.seed,
        ..GenerateConfig::default()
    };
    let (orders, gold) = generate(&config);
    write_dataset(&args.out, &orders, &gold)?;
    let events: std::collections::HashSet<&str> = gold.iter().map(|(_, e)| e.as_str()).collect();
    println!(
        "{} orders from {} events in {} ({:.2} s)",
        orders.len(),
        events.len(),
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
