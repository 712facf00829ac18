//! The `complaint-dedup` command: a thin layer over the library.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use complaint_dedup::eval::{
    audit_links, evaluate, read_clusters, EvalReport, LinkAudit, LinkTally,
};
use complaint_dedup::io::{read_dumps, write::ResultWriter, DumpFormat};
use complaint_dedup::{Channel, Deduper, DumpReaderBuilder, Ticket};
use indicatif::{ProgressBar, ProgressStyle};
use mimalloc::MiMalloc;

/// mimalloc instead of the system allocator. On a generated 1M-order dump, after a million
/// fingerprints' worth of small allocations had been made and freed, glibc's malloc took half
/// the ticket stage's samples: with mimalloc preloaded, `examples/stage_timings` (one thread)
/// built the tickets in 4.6 s instead of 17.3 s and clustered in 10.9 s instead of 12.7 s.
/// Outputs do not depend on the allocator.
#[global_allocator]
static ALLOCATOR: MiMalloc = MiMalloc;

/// Tells mimalloc to keep the memory a batch pass frees rather than hand it back to the OS
/// (mimalloc "purges" memory unused for a second by default).
///
/// A batch pass frees memory between stages and allocates again in the next, and on this kind
/// of machine a page the OS hands out again costs far more than reusing one: on a generated
/// 100k dump with one thread, purging took 10.9k page faults and 1.34 s of system time, not
/// purging 1.2k faults and 0.57 s, with a peak resident size 3% higher. The memory goes back
/// when the process exits. The long-running `check` command keeps the default.
fn keep_freed_memory() {
    /// `mi_option_purge_delay`'s place in mimalloc's `mi_option_t` (libmimalloc-sys has no
    /// constant for it); -1 turns purging off.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: `mi_option_set` stores an integer in mimalloc's option table; -1 is a
    // documented value of this option and it may be changed at any time.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
}

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
    /// Build an online engine directory from dumps (through the batch pass).
    Index(IndexArgs),
    /// Read orders as JSON lines on stdin and print a verdict for each (JSON lines) from an
    /// engine directory; with --ingest, store them too.
    Check(CheckArgs),
}

/// What the text analysis and reporter hashes depend on (an engine directory must always be
/// opened with the same values it was built with).
#[derive(clap::Args)]
struct AnalysisArgs {
    /// Extra jieba user dictionary (word [freq] [tag] per line).
    #[arg(long)]
    user_dict: Option<PathBuf>,
    /// Salt for reporter hashes.
    #[arg(
        long,
        env = "COMPLAINT_DEDUP_SALT",
        default_value = "complaint-dedup",
        hide_env_values = true
    )]
    salt: String,
}

/// How dumps are read (shared by dedup and index).
#[derive(clap::Args)]
struct ReaderArgs {
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
}

impl ReaderArgs {
    fn builder(&self) -> anyhow::Result<DumpReaderBuilder> {
        let mut reader = DumpReaderBuilder::new();
        if let Some(enc) = &self.encoding {
            reader.encoding(enc)?;
        }
        if let Some(f) = &self.format {
            match DumpFormat::from_name(f) {
                Some(f) => reader.format(Some(f)),
                None => bail!("unknown format {f:?} (csv, tsv, jsonl)"),
            };
        }
        if let Some(c) = &self.channel {
            reader.default_channel(Channel::from_label(c));
        }
        for m in &self.maps {
            reader.map_arg(m)?;
        }
        Ok(reader)
    }
}

#[derive(clap::Args)]
struct IndexArgs {
    /// Dump files to read.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// The engine directory to create (must not hold an engine); rejects.jsonl goes there too.
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    reader: ReaderArgs,
    /// Pairwise score (0..1) from which two orders are duplicates.
    #[arg(long, default_value_t = complaint_dedup::DEFAULT_THRESHOLD)]
    threshold: f32,
    /// Share of the threshold two groups must score on average before they merge.
    #[arg(long, default_value_t = complaint_dedup::DEFAULT_LINK_RATIO)]
    link_ratio: f32,
    /// Days without a new report after which a ticket stops attracting orders.
    #[arg(long, default_value_t = complaint_dedup::engine::DEFAULT_IDLE_DAYS)]
    idle_days: f32,
    /// Threads for reading and the batch pass (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    analysis: AnalysisArgs,
    /// No progress output.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// The engine directory (created if missing).
    #[arg(long)]
    index: PathBuf,
    /// Store each order (ingest) instead of only checking it.
    #[arg(long)]
    ingest: bool,
    /// With --ingest, commit after this many orders (and always at the end of input).
    #[arg(long, default_value_t = 1000)]
    commit_every: usize,
    #[command(flatten)]
    analysis: AnalysisArgs,
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
    /// Make the first event this many reports long, beyond the usual cap (for measuring how
    /// the pass grows with its largest event; see benches/hot_event.sh).
    #[arg(long, default_value_t = 0)]
    hot_event: usize,
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
    /// Days without a report after which a ticket is done: a later report of the same problem
    /// starts a new ticket.
    #[arg(long, default_value_t = complaint_dedup::engine::DEFAULT_IDLE_DAYS)]
    idle_days: f32,
    /// Threads for reading and the batch pass (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    reader: ReaderArgs,
    #[command(flatten)]
    analysis: AnalysisArgs,
    /// Score weights as JSON (any subset of the fields of ScoreWeights; the rest default).
    #[arg(long, value_name = "FILE")]
    weights: Option<PathBuf>,
    /// Exit non-zero if any record was rejected.
    #[arg(long)]
    strict: bool,
    /// How many of the largest tickets to print after the summary.
    #[arg(long, default_value_t = 5)]
    show: usize,
    /// Write the run's counts, and its time and memory by stage, to FILE as JSON.
    #[arg(long, value_name = "FILE")]
    stats: Option<PathBuf>,
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
    /// tickets.jsonl written by the same run: also check each merge against the gold labels
    /// and count the right and wrong ones by evidence, score and days apart.
    #[arg(long, value_name = "TICKETS")]
    links: Option<PathBuf>,
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
        Command::Index(args) => index(args),
        Command::Check(args) => check(args),
    }
}

/// How many tickets are written at a time.
const WRITE_BATCH: usize = 2048;

/// The reader turns records into orders on rayon's global pool: `--threads` sizes it as it
/// sizes the batch pass's own pool.
fn read_threads(threads: Option<usize>) -> anyhow::Result<()> {
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("starting the reader's threads")?;
    }
    Ok(())
}

fn dedup(args: DedupArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    keep_freed_memory();
    let reader = args.reader.builder()?.build()?;
    read_threads(args.threads)?;
    // Settings are checked before any input is read.
    let mut builder = Deduper::builder();
    builder
        .threshold(args.threshold)
        .link_ratio(args.link_ratio)
        .idle_days(args.idle_days)
        .salt(&args.analysis.salt);
    if let Some(n) = args.threads {
        builder.threads(n);
    }
    if let Some(d) = &args.analysis.user_dict {
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
    // Created before anything is read: a path that cannot be written fails the run at once,
    // not after the pass.
    let stats_file = args
        .stats
        .as_ref()
        .map(|path| {
            std::fs::File::create(path)
                .map(|file| (path, file))
                .with_context(|| format!("creating stats file {}", path.display()))
        })
        .transpose()?;

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
    let read_elapsed = started.elapsed();

    progress.set_message(format!("deduplicating {} orders;", read.orders.len()));
    // Tickets are written as the pass hands them over, a batch at a time (encoded in
    // parallel), never all held; the summary and the accounting check keep only counts, a
    // hash of each placed order's id and the largest tickets.
    let mut writer = ResultWriter::create(&args.out)?;
    let mut summary = Summary::new(read.orders.len(), args.show);
    let mut pending: Vec<Ticket> = Vec::with_capacity(WRITE_BATCH);
    let write = |pending: &mut Vec<Ticket>,
                 writer: &mut ResultWriter,
                 summary: &mut Summary|
     -> complaint_dedup::Result<()> {
        use rayon::prelude::*;
        writer.write_all(pending)?;
        for ticket in pending.iter() {
            summary.add(ticket);
        }
        // Freed on the pool: a batch's tickets hold tens of thousands of small allocations.
        pending.par_drain(..).for_each(drop);
        Ok(())
    };
    let pass = deduper.run_with_sink(&read.orders, |ticket| {
        pending.push(ticket);
        if pending.len() == WRITE_BATCH {
            write(&mut pending, &mut writer, &mut summary)?;
        }
        Ok(())
    })?;
    let pass_elapsed = started.elapsed();
    write(&mut pending, &mut writer, &mut summary)?;
    writer.finish(&read.rejects)?;
    progress.finish_and_clear();

    // The accounting invariant: nothing lost, nothing doubled.
    let accepted = read.orders.len() as u64;
    let rejected = read.rejects.len() as u64;
    if accepted + rejected != read.records_read {
        bail!(
            "accounting error: {} records read but {accepted} accepted + {rejected} rejected",
            read.records_read
        );
    }
    if !summary.places_each_once(&read.orders) {
        bail!("accounting error: accepted orders are not each in exactly one ticket");
    }

    if let Some((path, file)) = stats_file {
        let elapsed = started.elapsed();
        let stats = RunStats {
            records_read: read.records_read,
            rejected,
            threads: rayon::current_num_threads(),
            read_ms: read_elapsed.as_millis(),
            pass: &pass,
            finish_ms: (elapsed - pass_elapsed).as_millis(),
            elapsed_ms: elapsed.as_millis(),
        };
        stats
            .write(file)
            .with_context(|| format!("writing stats file {}", path.display()))?;
    }

    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    summary.print(&mut w, read.records_read, rejected, started.elapsed())?;
    writeln!(w, "results in {}", args.out.display())?;
    summary.print_largest(&mut w)?;
    drop(summary);
    // The process ends here: freeing a million orders one string at a time would keep it
    // a third of a second longer, and the system takes the memory back whole.
    std::mem::forget(read);
    if args.strict && rejected > 0 {
        eprintln!(
            "complaint-dedup: --strict: {rejected} records rejected (see {})",
            args.out.join("rejects.jsonl").display()
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// What `dedup --stats` writes: the run's counts, and where its time and memory went.
#[derive(serde::Serialize)]
struct RunStats<'a> {
    /// Records read from all inputs, accepted or rejected.
    records_read: u64,
    /// Records rejected (see rejects.jsonl).
    rejected: u64,
    /// Threads of the pool that read and deduplicated.
    threads: usize,
    /// Milliseconds from the start until every input was read (settings, dictionaries and
    /// reading).
    read_ms: u128,
    /// The batch pass's counts and stages. Tickets are written as the pass hands them over,
    /// so its last stage, "tickets", includes writing them.
    #[serde(flatten)]
    pass: &'a complaint_dedup::BatchStats,
    /// Milliseconds after the pass: the last tickets, rejects.jsonl and the accounting check.
    finish_ms: u128,
    /// Milliseconds from the start until these statistics were written.
    elapsed_ms: u128,
}

impl RunStats<'_> {
    /// Writes these statistics to `file` as one line of JSON.
    fn write(&self, file: std::fs::File) -> anyhow::Result<()> {
        let mut out = std::io::BufWriter::new(file);
        serde_json::to_writer(&mut out, self)?;
        writeln!(out)?;
        out.flush()?;
        Ok(())
    }
}

/// What the summary after a run shows, gathered ticket by ticket as they are written.
struct Summary {
    /// A hash of the id of every order a ticket placed, in the order they came: checked
    /// against the accepted orders once all are written ([`Summary::places_each_once`]).
    placed: Vec<u64>,
    orders: usize,
    tickets: usize,
    merged: usize,
    multi_order: usize,
    by_channel: BTreeMap<Channel, (usize, usize)>,
    /// The largest merged tickets, largest first, ties by id; at most `show`.
    largest: Vec<Ticket>,
    show: usize,
}

/// The hash [`Summary`] keeps of an order id: SipHash with fixed keys, the same in every run.
fn id_hash(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

impl Summary {
    fn new(orders: usize, show: usize) -> Summary {
        Summary {
            placed: Vec::with_capacity(orders),
            orders,
            tickets: 0,
            merged: 0,
            multi_order: 0,
            by_channel: BTreeMap::new(),
            largest: Vec::new(),
            show,
        }
    }

    fn add(&mut self, ticket: &Ticket) {
        self.tickets += 1;
        self.merged += ticket.members.len() - 1;
        for m in &ticket.members {
            self.placed.push(id_hash(m.order_id.as_str()));
            let e = self.by_channel.entry(m.channel).or_default();
            e.0 += 1;
            if m.matched.is_some() {
                e.1 += 1;
            }
        }
        if ticket.is_merged() {
            self.multi_order += 1;
            let larger = |a: &Ticket, b: &Ticket| {
                b.members
                    .len()
                    .cmp(&a.members.len())
                    .then(a.ticket_id.cmp(&b.ticket_id))
            };
            let full = self.largest.len() >= self.show;
            if self.show > 0
                && (!full || larger(ticket, &self.largest[self.largest.len() - 1]).is_lt())
            {
                self.largest.push(ticket.clone());
                self.largest.sort_by(larger);
                self.largest.truncate(self.show);
            }
        }
    }

    /// Whether the tickets placed every accepted order exactly once and nothing else: the
    /// placed ids and the accepted ones are the same multiset. Compared as sorted 64-bit
    /// hashes, sorted on the pool after the pass. A set of a million ids built before the pass
    /// cost a fifth of a second of the main thread; two ids sharing a hash (odds of about
    /// 10^-8 at a million) could only hide a fault of the pass, never cause one.
    fn places_each_once(&mut self, orders: &[complaint_dedup::WorkOrder]) -> bool {
        use rayon::prelude::*;
        let mut accepted: Vec<u64> = orders.par_iter().map(|o| id_hash(o.id.as_str())).collect();
        accepted.par_sort_unstable();
        self.placed.par_sort_unstable();
        accepted == self.placed
    }

    fn print(
        &self,
        w: &mut impl Write,
        records: u64,
        rejected: u64,
        elapsed: Duration,
    ) -> anyhow::Result<()> {
        writeln!(w, "records read      {records}")?;
        writeln!(w, "orders accepted   {}", self.orders)?;
        writeln!(w, "records rejected  {rejected}")?;
        writeln!(w, "tickets           {}", self.tickets)?;
        writeln!(w, "duplicates merged {}", self.merged)?;
        writeln!(w, "multi-order tickets {}", self.multi_order)?;
        writeln!(w, "by channel        orders  merged")?;
        for (c, (n, d)) in &self.by_channel {
            writeln!(w, "  {:<15} {n:>6}  {d:>6}", c.name())?;
        }
        writeln!(w, "elapsed           {:.2} s", elapsed.as_secs_f64())?;
        Ok(())
    }

    fn print_largest(&self, w: &mut impl Write) -> anyhow::Result<()> {
        if self.largest.is_empty() {
            return Ok(());
        }
        writeln!(w, "\nlargest tickets:")?;
        for t in &self.largest {
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
}

fn eval(args: EvalArgs) -> anyhow::Result<ExitCode> {
    let gold = read_clusters(&args.gold, "event_id")
        .with_context(|| format!("reading gold file {}", args.gold.display()))?;
    let predicted = read_clusters(&args.assignments, "ticket_id")
        .with_context(|| format!("reading assignments {}", args.assignments.display()))?;
    let report = evaluate(&gold, &predicted);
    let links = match &args.links {
        Some(path) => Some(
            audit_links(path, &gold)
                .with_context(|| format!("reading tickets {}", path.display()))?,
        ),
        None => None,
    };
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    if args.json {
        /// The report, with the link audit beside its fields when asked for.
        #[derive(serde::Serialize)]
        struct Output<'a> {
            #[serde(flatten)]
            report: &'a EvalReport,
            #[serde(skip_serializing_if = "Option::is_none")]
            links: Option<&'a LinkAudit>,
        }
        let output = Output {
            report: &report,
            links: links.as_ref(),
        };
        serde_json::to_writer_pretty(&mut w, &output)?;
        writeln!(w)?;
        return Ok(ExitCode::SUCCESS);
    }
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
    if let Some(audit) = &links {
        writeln!(
            w,
            "links     right {}  wrong {}  unlabelled {}",
            audit.right, audit.wrong, audit.unlabelled
        )?;
        let tables: [(&str, &[LinkTally]); 3] = [
            ("evidence (place / problem)", &audit.by_evidence),
            ("score", &audit.by_score),
            ("days apart", &audit.by_days),
        ];
        for (title, rows) in tables {
            writeln!(
                w,
                "\nby {title:28} {:>8} {:>8}  precision",
                "wrong", "right"
            )?;
            for t in rows {
                writeln!(
                    w,
                    "  {:30} {:>8} {:>8}  {:.3}",
                    t.label,
                    t.wrong,
                    t.right,
                    t.precision()
                )?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn generate(args: GenerateArgs) -> anyhow::Result<ExitCode> {
    use complaint_dedup::generate::{generate, write_dataset, GenerateConfig};
    let started = Instant::now();
    let config = GenerateConfig {
        orders: args.orders,
        seed: args.seed,
        hot_event: args.hot_event,
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

fn index(args: IndexArgs) -> anyhow::Result<ExitCode> {
    use complaint_dedup::engine::Engine;
    let started = Instant::now();
    keep_freed_memory();
    let reader = args.reader.builder()?.build()?;
    read_threads(args.threads)?;
    let mut batch = Deduper::builder();
    batch
        .threshold(args.threshold)
        .link_ratio(args.link_ratio)
        .salt(&args.analysis.salt)
        .explain(false);
    let mut engine = Engine::builder();
    engine
        .threshold(args.threshold)
        .link_ratio(args.link_ratio)
        .idle_days(args.idle_days)
        .salt(&args.analysis.salt);
    if let Some(n) = args.threads {
        batch.threads(n);
    }
    if let Some(d) = &args.analysis.user_dict {
        batch.user_dict(d);
        engine.user_dict(d);
    }
    let deduper = batch.build()?;
    let note = |msg: &str| {
        if !args.quiet {
            eprintln!("[{:>7.1} s] {msg}", started.elapsed().as_secs_f64());
        }
    };
    note("reading");
    let read = read_dumps(&reader, &args.inputs, |_| {})?;
    note(&format!(
        "{} orders accepted, {} rejected; batch pass",
        read.orders.len(),
        read.rejects.len()
    ));
    let out = deduper.run(&read.orders)?;
    note(&format!(
        "{} tickets; building the engine",
        out.tickets.len()
    ));
    let engine = engine.create_from_batch(&args.out, &read.orders, &out)?;
    let rejects_path = args.out.join("rejects.jsonl");
    let rejects = std::fs::File::create(&rejects_path)
        .with_context(|| format!("creating {}", rejects_path.display()))?;
    complaint_dedup::io::write::write_rejects_jsonl(
        std::io::BufWriter::new(rejects),
        &read.rejects,
    )?;
    let stats = engine.stats();
    println!(
        "engine {}: {} orders, {} tickets, {} rejected ({:.2} s)",
        args.out.display(),
        stats.orders,
        stats.tickets,
        read.rejects.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

fn check(args: CheckArgs) -> anyhow::Result<ExitCode> {
    use complaint_dedup::engine::Engine;
    use complaint_dedup::io::ReadItem;
    let mut builder = Engine::builder();
    builder.salt(&args.analysis.salt);
    if args.ingest {
        builder.commit_every(args.commit_every.max(1));
    }
    if let Some(d) = &args.analysis.user_dict {
        builder.user_dict(d);
    }
    let engine = builder.open(&args.index)?;
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    let mut failure: Option<anyhow::Error> = None;
    let mut rejected = 0u64;
    let stdin = std::io::stdin();
    DumpReaderBuilder::new()
        .build()?
        .read_jsonl_stream("<stdin>", stdin.lock(), |item| {
            if failure.is_some() {
                return;
            }
            let result: anyhow::Result<()> = (|| {
                match item {
                    ReadItem::Order { order, line } => {
                        let value = if args.ingest {
                            // commit_every (set above) commits before ingest returns.
                            let ingested = engine
                                .ingest(order)
                                .with_context(|| format!("<stdin>:{line}"))?;
                            serde_json::to_value(&ingested)?
                        } else {
                            serde_json::to_value(engine.check(&order)?)?
                        };
                        serde_json::to_writer(&mut w, &value)?;
                        writeln!(w)?;
                        w.flush()?;
                    }
                    ReadItem::Reject(reject) => {
                        rejected += 1;
                        let field = reject.field.as_deref().unwrap_or("-");
                        eprintln!(
                            "complaint-dedup: {}:{} (field {field}): rejected: {}",
                            reject.file, reject.line, reject.reason
                        );
                    }
                }
                Ok(())
            })();
            if let Err(e) = result {
                failure = Some(e);
            }
        })?;
    if args.ingest {
        engine.commit()?;
    }
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(if rejected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use complaint_dedup::{OrderId, Relation, TicketMember, WorkOrder};

    fn ticket(ids: &[&str]) -> Ticket {
        let member = |id: &str| TicketMember {
            order_id: OrderId(id.into()),
            channel: Channel::Hotline12345,
            received: None,
            reporter_hash: None,
            relation: Relation::Canonical,
            score: 1.0,
            matched: None,
            explanation: None,
        };
        Ticket {
            ticket_id: Ticket::id_for(&OrderId(ids[0].into())),
            canonical: OrderId(ids[0].into()),
            summary: String::new(),
            members: ids.iter().map(|id| member(id)).collect(),
            channels: vec![Channel::Hotline12345],
            first_seen: None,
            last_seen: None,
        }
    }

    /// Runs the accounting check over tickets of the given members for orders a, b, c, d.
    fn places_each_once(tickets: &[&[&str]]) -> bool {
        let orders: Vec<WorkOrder> = ["a", "b", "c", "d"]
            .iter()
            .map(|id| WorkOrder::new(id, "井盖塌陷"))
            .collect();
        let mut summary = Summary::new(orders.len(), 3);
        for ids in tickets {
            summary.add(&ticket(ids));
        }
        summary.places_each_once(&orders)
    }

    #[test]
    fn the_accounting_check_finds_lost_doubled_and_foreign_orders() {
        // Members in any order across tickets: accounted for.
        assert!(places_each_once(&[&["c", "a"], &["d"], &["b"]]));
        // d in no ticket.
        assert!(!places_each_once(&[&["c", "a"], &["b"]]));
        // a in two tickets.
        assert!(!places_each_once(&[&["c", "a"], &["d", "a"], &["b"]]));
        // e was never accepted, and takes d's place in the count.
        assert!(!places_each_once(&[&["c", "a"], &["e"], &["b"]]));
    }
}
