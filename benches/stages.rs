//! One criterion group per stage of the batch pass, over generated orders, plus the whole pass.
//!
//! Every stage runs single-threaded (inside a one-thread rayon pool) so that throughputs add
//! up and compare across machines; `jieba_cut` in the `tokenize` group is bare
//! `jieba_rs::Jieba::cut` over the same normalised texts, so the cost of the crate's own
//! segmentation can be read as a ratio. Inputs are built once, outside the timed loops, and
//! checked, so that a stage that silently stops working does not look fast.
//!
//! Run with `cargo bench --bench stages`; `cargo bench --bench stages -- normalise` picks one
//! group. Without `BENCH_100K=1` the whole file takes about two minutes on two cores; with it,
//! the 100k-order pass adds about five.

use std::hint::black_box;
use std::time::Duration;

use complaint_dedup::candidates::{candidate_pairs, CandidateConfig};
use complaint_dedup::cluster::{cluster, Edge};
use complaint_dedup::fingerprint::{Analyzer, CorpusStats, Fingerprint};
use complaint_dedup::generate::{generate, GenerateConfig};
use complaint_dedup::text::Normalizer;
use complaint_dedup::{Deduper, Scorer, WorkOrder, DEFAULT_THRESHOLD};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const SALT: &str = "bench";
/// Orders for the per-stage groups.
const STAGE_ORDERS: usize = 10_000;

fn orders(n: usize) -> Vec<WorkOrder> {
    generate(&GenerateConfig {
        orders: n,
        seed: 2024,
        ..GenerateConfig::default()
    })
    .0
}

fn one_thread() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a one-thread pool")
}

/// Title and text of each order, as the analyzer reads them.
fn raw_texts(orders: &[WorkOrder]) -> Vec<String> {
    orders
        .iter()
        .map(|o| format!("{}\n{}", o.title, o.text))
        .collect()
}

fn bytes(texts: &[String]) -> u64 {
    texts.iter().map(|t| t.len() as u64).sum()
}

/// Fingerprints weighed against the corpus, as the batch pass hands them to `candidates`.
fn weighed(analyzer: &Analyzer, orders: &[WorkOrder]) -> Vec<Fingerprint> {
    let mut fps: Vec<Fingerprint> = orders
        .iter()
        .map(|o| analyzer.fingerprint(o, SALT))
        .collect();
    let mut corpus = CorpusStats::default();
    for fp in &fps {
        corpus.add(fp);
    }
    for fp in &mut fps {
        fp.weigh(&corpus);
    }
    fps
}

fn stages(c: &mut Criterion) {
    let pool = one_thread();
    let orders = orders(STAGE_ORDERS);
    let analyzer = Analyzer::new().expect("shipped dictionaries load");
    let raw = raw_texts(&orders);
    let raw_bytes = bytes(&raw);

    let normalizer = Normalizer::new();
    let mut group = c.benchmark_group("normalise");
    group.throughput(Throughput::Bytes(raw_bytes));
    group.sample_size(40);
    group.bench_function("normalizer", |b| {
        let mut out = String::new();
        b.iter(|| {
            for t in &raw {
                normalizer.normalize_into(black_box(t), &mut out);
                black_box(&out);
            }
        })
    });
    group.finish();

    let normalised: Vec<String> = raw.iter().map(|t| normalizer.normalize(t)).collect();
    let norm_bytes = bytes(&normalised);
    let tokenizer = analyzer.tokenizer();
    let mut terms = Vec::new();
    let total_terms: usize = normalised
        .iter()
        .map(|t| {
            terms.clear();
            tokenizer.content_terms(t, &mut terms);
            terms.len()
        })
        .sum();
    assert!(
        total_terms > STAGE_ORDERS * 5,
        "{total_terms} content terms"
    );
    let jieba = jieba_rs::Jieba::new();
    let mut group = c.benchmark_group("tokenize");
    group.throughput(Throughput::Bytes(norm_bytes));
    group.sample_size(20);
    group.bench_function("content_terms", |b| {
        let mut terms = Vec::new();
        b.iter(|| {
            for t in &normalised {
                terms.clear();
                tokenizer.content_terms(black_box(t), &mut terms);
                black_box(&terms);
            }
        })
    });
    group.bench_function("jieba_cut", |b| {
        b.iter(|| {
            for t in &normalised {
                black_box(jieba.cut(black_box(t), true));
            }
        })
    });
    group.finish();

    let mut group = c.benchmark_group("fingerprint");
    group.throughput(Throughput::Elements(orders.len() as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("analyzer", |b| {
        b.iter(|| {
            for o in &orders {
                black_box(analyzer.fingerprint(black_box(o), SALT));
            }
        })
    });
    group.finish();

    let fps = weighed(&analyzer, &orders);
    let refs: Vec<&Fingerprint> = fps.iter().collect();
    let config = CandidateConfig::default();
    let pairs = pool.install(|| candidate_pairs(&refs, &config));
    assert!(
        pairs.len() > STAGE_ORDERS && pairs.len() < STAGE_ORDERS * config.max_candidates,
        "{} candidate pairs",
        pairs.len()
    );
    let mut group = c.benchmark_group("candidates");
    group.throughput(Throughput::Elements(orders.len() as u64));
    group.sample_size(10);
    group.bench_function("candidate_pairs", |b| {
        b.iter(|| pool.install(|| black_box(candidate_pairs(black_box(&refs), &config))))
    });
    group.finish();

    let scorer = Scorer::default();
    let edges: Vec<Edge> = pairs
        .iter()
        .map(|&(a, b)| {
            let (score, anchored) = scorer.score_anchored(refs[a as usize], refs[b as usize]);
            Edge {
                a,
                b,
                score,
                anchored,
            }
        })
        .filter(|e| e.score >= DEFAULT_THRESHOLD)
        .collect();
    assert!(!edges.is_empty() && edges.len() < pairs.len());
    let mut group = c.benchmark_group("score");
    group.throughput(Throughput::Elements(pairs.len() as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(6));
    group.bench_function("scorer", |b| {
        b.iter(|| {
            for &(x, y) in &pairs {
                black_box(scorer.score(refs[x as usize], refs[y as usize]));
            }
        })
    });
    group.finish();

    let mut group = c.benchmark_group("cluster");
    group.throughput(Throughput::Elements(edges.len() as u64));
    group.sample_size(40);
    group.bench_function("cluster", |b| {
        b.iter(|| {
            black_box(cluster(
                refs.len(),
                &edges,
                DEFAULT_THRESHOLD,
                DEFAULT_THRESHOLD * 0.8,
                None,
                |x, y| scorer.score(refs[x as usize], refs[y as usize]),
            ))
        })
    });
    group.finish();
}

fn end_to_end(c: &mut Criterion) {
    let deduper = Deduper::builder()
        .threads(1)
        .build()
        .expect("default configuration builds");
    let mut group = c.benchmark_group("end_to_end");
    // One single-threaded pass over 100k orders takes about half a minute here, so ten samples
    // take five minutes: that size runs only when asked for.
    let large = std::env::var_os("BENCH_100K").is_some_and(|v| v != "0");
    if !large {
        eprintln!("end_to_end/100000 skipped: set BENCH_100K=1 to run it (about 5 minutes)");
    }
    let sizes = [(10_000usize, 10, 25u64), (100_000, 10, 30)];
    for (n, samples, seconds) in sizes.into_iter().filter(|&(n, ..)| large || n < 100_000) {
        let orders = orders(n);
        let out = deduper.run(&orders).expect("ids are unique");
        let placed: usize = out.tickets.iter().map(|t| t.members.len()).sum();
        assert_eq!(placed, n, "every order lands in one ticket");
        assert!(out.tickets.len() < n, "some orders merge");
        eprintln!("end_to_end/{n}: stage ms {:?}", out.stats.stage_ms);
        group.throughput(Throughput::Elements(n as u64));
        group.sample_size(samples);
        group.measurement_time(Duration::from_secs(seconds));
        group.warm_up_time(Duration::from_secs(1));
        group.bench_with_input(BenchmarkId::new("deduper_run", n), &orders, |b, orders| {
            b.iter(|| black_box(deduper.run(black_box(orders)).expect("runs")))
        });
    }
    group.finish();
}

criterion_group!(benches, stages, end_to_end);
criterion_main!(benches);
