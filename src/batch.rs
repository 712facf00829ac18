//! The batch pass: from a whole dump's orders to canonical tickets.
//!
//! ```text
//! orders ──sort by (time, id)──▶ fingerprint (parallel) ──▶ exact reposts folded
//!        ──▶ document frequencies (parallel reduce) ──▶ TF-IDF weighing (parallel)
//!        ──▶ candidate pairs (inverted index, parallel) ──▶ scores (parallel)
//!        ──▶ clustering (sequential; stragglers in parallel) ──▶ tickets with explanations
//!        (parallel)
//! ```
//!
//! Every parallel step runs on a pool the [`Deduper`] owns (or one the caller sizes with
//! [`DeduperBuilder::threads`]); the host's global pool is left alone. The result does not
//! depend on the thread count or the input order: orders are put in canonical order first,
//! reductions are order-independent, and every sort has a total order.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use smol_str::SmolStr;

use crate::candidates::{CandidateConfig, CandidateLists};
use crate::cluster::{attach_stragglers, cluster, Edge, IdleRule, DEFAULT_IDLE_DAYS, STRAGGLERS};
use crate::error::{Error, ErrorKind, Result};
use crate::fingerprint::{Analyzer, CorpusStats, Fingerprint, FingerprintMemo, TermHash};
use crate::order::{reporter_hash, Relation, Ticket, TicketMember, WorkOrder};
use crate::score::{PairSide, ScoreWeights, Scorer};
use crate::text::Tokenizer;

/// Default share of the threshold that two groups must score on average before they merge.
pub const DEFAULT_LINK_RATIO: f32 = 0.6;

/// Default pairwise score from which two orders are duplicates.
pub const DEFAULT_THRESHOLD: f32 = 0.45;

/// Configures a [`Deduper`].
///
/// # Example
/// ```
/// use complaint_dedup::{Deduper, WorkOrder};
/// let deduper = Deduper::builder().threshold(0.5).threads(2).build()?;
/// let orders = vec![
///     WorkOrder::new("1", "枫桥雅苑小区旁工地每天夜里施工到凌晨，噪音扰民"),
///     WorkOrder::new("2", "枫桥雅苑业主：隔壁工地半夜还在打桩，吵得睡不着"),
///     WorkOrder::new("3", "金沙路与江堤路交叉口井盖缺失，很危险"),
/// ];
/// let out = deduper.run(&orders)?;
/// assert_eq!(out.tickets.len(), 2);
/// assert_eq!(out.tickets[0].members.len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct DeduperBuilder {
    threshold: f32,
    link_ratio: f32,
    idle_days: f32,
    threads: Option<usize>,
    salt: String,
    weights: ScoreWeights,
    candidates: CandidateConfig,
    user_dict: Option<PathBuf>,
    max_match_chars: usize,
    explain: bool,
}

impl Default for DeduperBuilder {
    fn default() -> Self {
        DeduperBuilder {
            threshold: DEFAULT_THRESHOLD,
            link_ratio: DEFAULT_LINK_RATIO,
            idle_days: DEFAULT_IDLE_DAYS,
            threads: None,
            salt: "complaint-dedup".to_string(),
            weights: ScoreWeights::default(),
            candidates: CandidateConfig::default(),
            user_dict: None,
            max_match_chars: crate::fingerprint::DEFAULT_MAX_MATCH_CHARS,
            explain: true,
        }
    }
}

impl DeduperBuilder {
    /// The pairwise score (0 to 1) from which two orders are duplicates.
    ///
    /// By default, 0.45.
    pub fn threshold(&mut self, threshold: f32) -> &mut DeduperBuilder {
        self.threshold = threshold;
        self
    }

    /// The share of the threshold that the representatives of two groups must score against
    /// each other on average before the groups merge (the guard against chaining; see
    /// [`crate::cluster`]).
    ///
    /// By default, 0.6.
    pub fn link_ratio(&mut self, ratio: f32) -> &mut DeduperBuilder {
        self.link_ratio = ratio;
        self
    }

    /// Days without a report after which a ticket is done: orders whose times leave a longer
    /// quiet gap are never one ticket, however alike (a problem raised again months later is
    /// a recurrence). Orders without a time are not held to it. The engine's rule (see
    /// [`crate::engine::EngineBuilder::idle_days`]).
    ///
    /// By default, [`DEFAULT_IDLE_DAYS`] (60).
    pub fn idle_days(&mut self, days: f32) -> &mut DeduperBuilder {
        self.idle_days = days;
        self
    }

    /// How many threads the batch pass uses.
    ///
    /// By default, as many as rayon would (one per core).
    pub fn threads(&mut self, threads: usize) -> &mut DeduperBuilder {
        self.threads = Some(threads);
        self
    }

    /// The salt of reporter hashes in outputs. Use a secret of your own in production.
    ///
    /// By default, `"complaint-dedup"`.
    pub fn salt(&mut self, salt: &str) -> &mut DeduperBuilder {
        self.salt = salt.to_string();
        self
    }

    /// Score weights.
    ///
    /// By default, [`ScoreWeights::default`].
    pub fn weights(&mut self, weights: ScoreWeights) -> &mut DeduperBuilder {
        self.weights = weights;
        self
    }

    /// How candidates are chosen.
    ///
    /// By default, [`CandidateConfig::default`].
    pub fn candidates(&mut self, config: CandidateConfig) -> &mut DeduperBuilder {
        self.candidates = config;
        self
    }

    /// A jieba user dictionary to add to the shipped ones.
    ///
    /// By default, none.
    pub fn user_dict(&mut self, path: impl Into<PathBuf>) -> &mut DeduperBuilder {
        self.user_dict = Some(path.into());
        self
    }

    /// How many characters of an order's text are used for matching (outputs keep all).
    ///
    /// By default, 4,000.
    pub fn max_match_chars(&mut self, chars: usize) -> &mut DeduperBuilder {
        self.max_match_chars = chars;
        self
    }

    /// Whether tickets carry an explanation for every merge.
    ///
    /// By default, yes.
    pub fn explain(&mut self, yes: bool) -> &mut DeduperBuilder {
        self.explain = yes;
        self
    }

    /// Loads the dictionaries and builds the thread pool.
    pub fn build(&self) -> Result<Deduper> {
        if !(0.0..=1.0).contains(&self.threshold) {
            return Err(Error::new(ErrorKind::Config(format!(
                "threshold {} is not between 0 and 1",
                self.threshold
            ))));
        }
        if !(0.0..=1.0).contains(&self.link_ratio) {
            return Err(Error::new(ErrorKind::Config(format!(
                "link ratio {} is not between 0 and 1",
                self.link_ratio
            ))));
        }
        if self.idle_days.is_nan() || self.idle_days <= 0.0 {
            return Err(Error::new(ErrorKind::Config(format!(
                "idle days {} must be positive",
                self.idle_days
            ))));
        }
        if self.threads == Some(0) {
            return Err(Error::new(ErrorKind::Config(
                "threads must be at least 1".into(),
            )));
        }
        let mut tokenizer = Tokenizer::builder();
        if let Some(path) = &self.user_dict {
            tokenizer.user_dict(path);
        }
        let mut analyzer = Analyzer::with_tokenizer(tokenizer.build()?);
        analyzer.set_max_match_chars(self.max_match_chars);
        let mut pool = rayon::ThreadPoolBuilder::new().thread_name(|i| format!("dedup-{i}"));
        if let Some(n) = self.threads {
            pool = pool.num_threads(n);
        }
        let pool = pool
            .build()
            .map_err(|e| Error::new(ErrorKind::ThreadPool(e.to_string())))?;
        Ok(Deduper {
            analyzer: Arc::new(analyzer),
            scorer: Scorer::new(self.weights.clone()),
            config: self.clone(),
            pool,
        })
    }
}

/// The batch deduplicator: turns a whole set of orders into tickets.
#[derive(Debug)]
pub struct Deduper {
    analyzer: Arc<Analyzer>,
    scorer: Scorer,
    config: DeduperBuilder,
    pool: rayon::ThreadPool,
}

/// Counts and timings of one batch run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct BatchStats {
    /// Orders deduplicated.
    pub orders: usize,
    /// Tickets produced.
    pub tickets: usize,
    /// Orders merged into another order's ticket.
    pub duplicates: usize,
    /// Orders folded as exact reposts before scoring.
    pub exact_reposts: usize,
    /// Candidate pairs scored.
    pub candidate_pairs: usize,
    /// Pairs at or above the threshold.
    pub edges: usize,
    /// Milliseconds per stage, in order.
    pub stage_ms: Vec<(String, u128)>,
    /// Memory at the end of each stage, in order: the resident set and the process's peak
    /// resident set so far, in MiB. Empty where the system does not report them (Linux does).
    pub stage_rss_mib: Vec<(String, u64, u64)>,
}

/// What a batch run returns.
#[derive(Debug, Clone)]
pub struct BatchOutput {
    /// The tickets, by their canonical order's time received, then id.
    pub tickets: Vec<Ticket>,
    /// Counts and timings.
    pub stats: BatchStats,
}

impl Deduper {
    /// A builder with the defaults.
    pub fn builder() -> DeduperBuilder {
        DeduperBuilder::default()
    }

    /// The analyzer (text pipeline) this deduper uses.
    pub fn analyzer(&self) -> &Arc<Analyzer> {
        &self.analyzer
    }

    /// The scorer this deduper uses.
    pub fn scorer(&self) -> &Scorer {
        &self.scorer
    }

    /// Deduplicates `orders` (ids must be unique; [`crate::io::read_dumps`] sees to that).
    pub fn run(&self, orders: &[WorkOrder]) -> Result<BatchOutput> {
        let mut tickets = Vec::new();
        let stats = self.run_with_sink(orders, |ticket| {
            tickets.push(ticket);
            Ok(())
        })?;
        Ok(BatchOutput { tickets, stats })
    }

    /// [`Deduper::run`], handing each ticket to `sink` as soon as it is built, in the same
    /// order, instead of collecting them: a million orders' tickets and explanations are
    /// never all in memory at once (see [`crate::io::write::ResultWriter`]). Stops at the
    /// first error `sink` returns and returns it.
    ///
    /// # Example
    /// ```
    /// use complaint_dedup::{Deduper, WorkOrder};
    /// let deduper = Deduper::builder().threads(1).build()?;
    /// let orders = vec![
    ///     WorkOrder::new("1", "枫桥雅苑小区旁工地每天夜里施工到凌晨，噪音扰民"),
    ///     WorkOrder::new("2", "枫桥雅苑业主：隔壁工地半夜还在打桩，吵得睡不着"),
    /// ];
    /// let mut sizes = Vec::new();
    /// let stats = deduper.run_with_sink(&orders, |ticket| {
    ///     sizes.push(ticket.members.len());
    ///     Ok(())
    /// })?;
    /// assert_eq!((stats.tickets, sizes), (1, vec![2]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn run_with_sink<F>(&self, orders: &[WorkOrder], mut sink: F) -> Result<BatchStats>
    where
        F: FnMut(Ticket) -> Result<()> + Send,
    {
        if let Some(id) = self.pool.install(|| repeated_id(orders)) {
            return Err(Error::new(ErrorKind::Config(format!(
                "order id {:?} appears twice",
                id.0
            ))));
        }
        self.pool.install(|| self.run_in_pool(orders, &mut sink))
    }

    fn run_in_pool(
        &self,
        orders: &[WorkOrder],
        sink: &mut (dyn FnMut(Ticket) -> Result<()> + Send),
    ) -> Result<BatchStats> {
        let mut stats = BatchStats {
            orders: orders.len(),
            ..BatchStats::default()
        };
        if let Some((rss, peak)) = resident_mib() {
            stats.stage_rss_mib.push(("start".to_string(), rss, peak));
        }
        let mut clock = Instant::now();
        let mut lap = |stats: &mut BatchStats, name: &str| {
            stats
                .stage_ms
                .push((name.to_string(), clock.elapsed().as_millis()));
            if let Some((rss, peak)) = resident_mib() {
                stats.stage_rss_mib.push((name.to_string(), rss, peak));
            }
            clock = Instant::now();
        };

        // Canonical order: by time received (unknown last), then id. Node i is sorted[i].
        let mut sorted: Vec<u32> = (0..orders.len() as u32).collect();
        sorted.par_sort_unstable_by(|&x, &y| {
            let (a, b) = (&orders[x as usize], &orders[y as usize]);
            (a.received.is_none(), a.received, &a.id).cmp(&(
                b.received.is_none(),
                b.received,
                &b.id,
            ))
        });
        let salt = &self.config.salt;
        // Fingerprints in chunks, each thread of the pool keeping one vocabulary of the terms
        // it saw (for explanations), merged at the end. rayon collects them straight into
        // their node's place in one vector, written by the thread that computed them:
        // collecting chunks and concatenating them would leave a million fingerprints' worth of
        // freed chunk vectors behind in the heap, and filling a vector of slots first cost a
        // pass over 376 MB on the pool and another on one thread (at 1M orders).
        let explain = self.config.explain;
        // Each thread also keeps a memo of what it learnt about words and places, whichever
        // chunks it takes (dropped here). Memos by thread, not by rayon task, let every chunk
        // be a task of its own: with tasks of rayon's own size one thread was left
        // fingerprinting alone for most of a second at the end of a 1M pass. Each lock is only
        // ever taken by its own thread.
        let threads = rayon::current_num_threads();
        let memos: Vec<std::sync::Mutex<(Vocabulary, FingerprintMemo)>> =
            (0..threads).map(|_| Default::default()).collect();
        let mut fps: Vec<Fingerprint> = Vec::new();
        sorted
            .par_iter()
            .with_min_len(FINGERPRINT_CHUNK)
            .with_max_len(FINGERPRINT_CHUNK)
            .map(|&i| {
                let thread = rayon::current_thread_index().unwrap_or(0) % threads;
                let mut memo = memos[thread]
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let (vocab, memo) = &mut *memo;
                self.analyzer
                    .fingerprint_memoized(&orders[i as usize], salt, memo, |h, w| {
                        if explain {
                            vocab.insert(h, w);
                        }
                    })
            })
            .collect_into_vec(&mut fps);
        let (vocabs, memos): (Vec<Vocabulary>, Vec<FingerprintMemo>) = memos
            .into_iter()
            .map(|m| {
                m.into_inner()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
            })
            .unzip();
        // The memos hold millions of small allocations: the pool frees them while this thread
        // merges the vocabularies (freed on one thread, they kept the other idle for 0.4 s at
        // a million orders).
        let (vocab, ()) = rayon::join(
            || {
                vocabs
                    .into_iter()
                    .reduce(Vocabulary::merge)
                    .unwrap_or_default()
            },
            || memos.into_par_iter().for_each(drop),
        );
        lap(&mut stats, "fingerprint");

        // Exact reposts: the first node with a content key represents the rest (found as
        // repeated ids are, by a parallel sort rather than one thread filling a map).
        let mut repost_of: Vec<Option<u32>> = vec![None; fps.len()];
        let reposts = crate::order::repeats_by(
            fps.len(),
            |node| fps[node].content_key,
            |_, _| std::cmp::Ordering::Equal,
        );
        for (later, first) in reposts {
            repost_of[later as usize] = Some(first);
        }
        let reps: Vec<u32> = (0..fps.len() as u32)
            .into_par_iter()
            .filter(|&node| repost_of[node as usize].is_none())
            .collect();
        stats.exact_reposts = fps.len() - reps.len();

        let corpus = reps
            .par_iter()
            .fold(CorpusStats::default, |mut s, &r| {
                s.add(&fps[r as usize]);
                s
            })
            .reduce(CorpusStats::default, CorpusStats::merge);
        fps.par_iter_mut().for_each(|fp| fp.weigh(&corpus));
        lap(&mut stats, "weigh");

        let rep_fps: Vec<&Fingerprint> = reps.iter().map(|&r| &fps[r as usize]).collect();
        let lists = CandidateLists::build(&rep_fps, &self.config.candidates);
        lap(&mut stats, "candidates");

        // Each pair is scored by the order that owns it, as the lists are walked: the pairs
        // are never held all at once (they outnumber edges several times).
        let threshold = self.config.threshold;
        // Edges at the threshold, and anchored pairs a little under it: those may still tie
        // a straggler to its group (cluster::attach_stragglers). One list serves both.
        let floor = threshold.min(STRAGGLERS.min_pair);
        let walk = locality_order(&rep_fps);
        let (edges, pair_count) = walk
            .par_iter()
            .copied()
            .with_min_len(256)
            .with_max_len(SCORE_TASK)
            .fold(
                || (Vec::new(), 0usize, PairSide::default(), Vec::new()),
                |(mut edges, mut count, mut side, mut pairs): ScoreState, doc| {
                    // The order's terms as a table and its title as a pattern: each pair
                    // looks the other's terms up and runs its title against the pattern.
                    side.load(rep_fps[doc as usize]);
                    pairs.clear();
                    pairs.extend(lists.pairs_of(doc));
                    // The other orders' fingerprints are scattered over the heap: each is
                    // touched a few pairs ahead, so that its memory is on the way while
                    // earlier pairs are scored; its own lines first, what they point to two
                    // pairs later (score stage at 1M, two threads: 5.3 / 5.8 s → 4.9 / 5.1 s).
                    let mut touched = 0u64;
                    for (k, &(a, b)) in pairs.iter().enumerate() {
                        if let Some(&(x, y)) = pairs.get(k + 2 * TOUCH_AHEAD) {
                            touched ^= touch_struct(rep_fps[(x ^ y ^ doc) as usize]);
                        }
                        if let Some(&(x, y)) = pairs.get(k + TOUCH_AHEAD) {
                            touched ^= touch(rep_fps[(x ^ y ^ doc) as usize]);
                        }
                        count += 1;
                        let other = if a == doc { b } else { a };
                        // Pairs scoring under `floor` are neither edges nor straggler ties:
                        // the scorer may drop them without reading their places.
                        let Some((score, anchored)) = self.scorer.score_anchored_against(
                            &side,
                            rep_fps[a as usize],
                            rep_fps[b as usize],
                            rep_fps[other as usize],
                            floor,
                        ) else {
                            continue;
                        };
                        if score >= threshold || (anchored && score >= STRAGGLERS.min_pair) {
                            edges.push(Edge {
                                a,
                                b,
                                score,
                                anchored,
                            });
                        }
                    }
                    std::hint::black_box(touched);
                    (edges, count, side, pairs)
                },
            )
            .map(|(edges, count, _, _)| (edges, count))
            .reduce(
                || (Vec::new(), 0),
                |(mut a, n), (mut b, m)| {
                    a.append(&mut b);
                    (a, n + m)
                },
            );
        stats.candidate_pairs = pair_count;
        stats.edges = edges.iter().filter(|e| e.score >= threshold).count();
        drop(lists);
        lap(&mut stats, "score");

        let link_threshold = threshold * self.config.link_ratio;
        let minutes: Vec<Option<i64>> = rep_fps.iter().map(|fp| fp.minute).collect();
        let idle = Some(IdleRule {
            minutes: &minutes,
            idle_minutes: (f64::from(self.config.idle_days) * 24.0 * 60.0) as i64,
        });
        let mut clustering = cluster(
            rep_fps.len(),
            &edges,
            threshold,
            link_threshold,
            idle,
            |x, y| {
                self.scorer
                    .group_support(rep_fps[x as usize], rep_fps[y as usize])
            },
        );
        attach_stragglers(&mut clustering, &edges, STRAGGLERS, idle, |x, y| {
            self.scorer
                .group_support(rep_fps[x as usize], rep_fps[y as usize])
        });
        drop(minutes);
        drop(edges);
        lap(&mut stats, "cluster");

        // Back from representatives to every node.
        let mut canonical_node = vec![0u32; fps.len()];
        let mut link: Vec<Option<(u32, f32)>> = vec![None; fps.len()];
        for (ri, &node) in reps.iter().enumerate() {
            canonical_node[node as usize] = reps[clustering.canonical[ri] as usize];
            link[node as usize] = clustering.link[ri].map(|(to, s)| (reps[to as usize], s));
        }
        for node in 0..fps.len() {
            if let Some(rep) = repost_of[node] {
                canonical_node[node] = canonical_node[rep as usize];
                link[node] = Some((rep, 1.0));
            }
        }

        // Every ticket's members as one slice of the nodes sorted by ticket (a stable sort:
        // each ticket's nodes stay in time order, the canonical one first), tickets in the
        // order of their canonical nodes. A map of a vector per ticket, filled on one thread,
        // took a third of a second at a million orders while the other thread waited.
        let mut by_ticket: Vec<u32> = (0..fps.len() as u32).collect();
        by_ticket.par_sort_by_key(|&node| canonical_node[node as usize]);
        let tickets: Vec<&[u32]> = by_ticket
            .chunk_by(|&x, &y| canonical_node[x as usize] == canonical_node[y as usize])
            .collect();
        // Tickets are built in parallel a chunk at a time and handed over in order. The sink
        // (writing them, in the CLI) takes a chunk on this thread while the pool builds the
        // next: at a million orders each took about 1.7 s, one after the other.
        let terms = TermTexts {
            corpus: &corpus,
            vocab: &vocab,
        };
        let build = |chunk: &[&[u32]]| -> Vec<Ticket> {
            chunk
                .par_iter()
                .map(|members| self.build_ticket(orders, &sorted, &fps, terms, members, &link))
                .collect()
        };
        let mut chunks = tickets.chunks(TICKET_CHUNK).peekable();
        let mut ready = chunks.next().map(build).unwrap_or_default();
        while chunks.peek().is_some() {
            let (sent, next) = rayon::join(
                || ready.drain(..).try_for_each(&mut *sink),
                || chunks.next().map(build).unwrap_or_default(),
            );
            sent?;
            ready = next;
        }
        // With nothing left to build, the pool frees the fingerprints while the sink takes the
        // last chunk: a million of them are some twelve million allocations, half a second
        // of one thread.
        let (sent, ()) = rayon::join(
            || ready.drain(..).try_for_each(&mut *sink),
            move || {
                fps.into_par_iter()
                    .with_min_len(FINGERPRINT_CHUNK)
                    .for_each(drop)
            },
        );
        sent?;
        stats.tickets = tickets.len();
        stats.duplicates = orders.len() - tickets.len();
        lap(&mut stats, "tickets");
        Ok(stats)
    }

    fn build_ticket(
        &self,
        orders: &[WorkOrder],
        sorted: &[u32],
        fps: &[Fingerprint],
        terms: TermTexts<'_>,
        members: &[u32],
        link: &[Option<(u32, f32)>],
    ) -> Ticket {
        let order_of = |node: u32| &orders[sorted[node as usize] as usize];
        let canon = order_of(members[0]);
        let salt = &self.config.salt;
        let hash = |o: &WorkOrder| o.reporter.as_deref().map(|r| reporter_hash(salt, r));
        // The canonical order comes first: its reporter's hash is taken there, once.
        let mut canon_reporter = None;
        let mut out = Vec::with_capacity(members.len());
        for &node in members {
            let order = order_of(node);
            let reporter = hash(order);
            let relation = if node == members[0] {
                canon_reporter.clone_from(&reporter);
                Relation::Canonical
            } else if reporter.is_some() && reporter == canon_reporter {
                Relation::RepeatComplaint
            } else if order.channel != canon.channel {
                Relation::CrossChannel
            } else {
                Relation::MultipleReporters
            };
            let (matched, score, explanation) = match link[node as usize] {
                None => (None, 1.0, None),
                Some((to, score)) => {
                    let explanation = self.config.explain.then(|| {
                        let (_, mut why) = self.scorer.explain(
                            &fps[node as usize],
                            &fps[to as usize],
                            self.analyzer.problems(),
                        );
                        why.shared_terms =
                            shared_terms(&fps[node as usize], &fps[to as usize], terms);
                        why
                    });
                    (Some(order_of(to).id.clone()), score, explanation)
                }
            };
            out.push(TicketMember {
                order_id: order.id.clone(),
                channel: order.channel,
                received: order.received,
                reporter_hash: reporter,
                relation,
                score: (score * 1000.0).round() / 1000.0,
                matched,
                explanation,
            });
        }
        let mut channels: Vec<_> = out.iter().map(|m| m.channel).collect();
        channels.sort_unstable();
        channels.dedup();
        let times = out.iter().filter_map(|m| m.received);
        let summary_source = if canon.title.trim().is_empty() {
            &canon.text
        } else {
            &canon.title
        };
        Ticket {
            ticket_id: Ticket::id_for(&canon.id),
            canonical: canon.id.clone(),
            summary: mask_digits(summary_source.trim().chars().take(60)),
            first_seen: times.clone().min(),
            last_seen: times.max(),
            channels,
            members: out,
        }
    }
}

/// The process's resident set and its peak so far, in MiB (`VmRSS`, `VmHWM`), on Linux.
fn resident_mib() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kib: u64 = line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kib / 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// The first id of `orders` (by its second occurrence) that appears twice, if any.
fn repeated_id(orders: &[WorkOrder]) -> Option<&crate::order::OrderId> {
    let (later, _) = *crate::order::repeated_ids(orders).first()?;
    Some(&orders[later as usize].id)
}

/// What each rayon task of the score stage carries: its edges, its count of pairs, the side of
/// the order being scored, and that order's pairs.
type ScoreState = (Vec<Edge>, usize, PairSide, Vec<(u32, u32)>);

/// The orders in the order the score stage walks them: grouped by the place they name first
/// (else by their heaviest term), then by index. Orders about one place are each other's
/// candidates; walked together, their fingerprints are still in the cache when the next one's
/// pairs need them, where in index order a million orders' candidates lie too far apart in
/// time for the cache to hold them. Which order owns a pair, and its score, do not change.
fn locality_order(fps: &[&Fingerprint]) -> Vec<u32> {
    let mut keyed: Vec<(u64, u32)> = fps
        .par_iter()
        .enumerate()
        .map(|(doc, fp)| {
            let key = match fp.places.first() {
                Some(p) => crate::fingerprint::term_hash(&p.core),
                None => fp
                    .terms
                    .iter()
                    .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                    .map_or(0, |t| t.0),
            };
            (key, doc as u32)
        })
        .collect();
    keyed.par_sort_unstable();
    keyed.into_iter().map(|(_, doc)| doc).collect()
}

/// How many pairs ahead of the one being scored the score stage touches the other order.
const TOUCH_AHEAD: usize = 2;

/// Reads the lengths of `fp`'s parts: the fingerprint's own cache lines, not the memory its
/// parts point to (which [`touch`] reads once these lines are in).
fn touch_struct(fp: &Fingerprint) -> u64 {
    (fp.terms.len()
        ^ fp.places.len()
        ^ fp.place_words.len()
        ^ fp.title.len()
        ^ fp.admin.len()
        ^ fp.entity_terms.len()
        ^ fp.problems.len()
        ^ fp.generic_problems.len()
        ^ fp.title_problems.len()
        ^ fp.address.len()) as u64
}

/// Reads a word from each part of `fp` that scoring reads (terms, places and the text of the
/// first, place words, title, units, name words, problems, address), so that the cache misses
/// on them are taken early and together, overlapped with other work.
fn touch(fp: &Fingerprint) -> u64 {
    let first_byte = |s: &str| s.bytes().next().map_or(0, u64::from);
    fp.terms.first().map_or(0, |t| t.0)
        ^ fp.places
            .first()
            .map_or(0, |p| first_byte(&p.core) ^ first_byte(&p.name))
        ^ fp.place_words.first().copied().unwrap_or(0)
        ^ first_byte(&fp.title)
        ^ fp.admin.first().map_or(0, |p| p.core.len() as u64)
        ^ fp.entity_terms.first().map_or(0, |t| t.0)
        ^ fp.problems.first().map_or(0, |&p| u64::from(p))
        ^ fp.generic_problems.first().map_or(0, |&p| u64::from(p))
        ^ fp.title_problems.first().map_or(0, |&p| u64::from(p))
        ^ first_byte(&fp.address)
}

/// Tickets built (in parallel) before they are handed to the sink.
const TICKET_CHUNK: usize = 4096;

/// The most orders one rayon task of the score stage walks. Left to itself, rayon splits the
/// walk into a few long runs and splits further only where a thread steals: at a million
/// orders one thread scored the last run alone for most of a second.
const SCORE_TASK: usize = 4096;

/// Orders fingerprinted per rayon work item.
const FINGERPRINT_CHUNK: usize = 256;

/// The text of every content term seen, by hash: one string arena, so that explanations can
/// name the terms two orders share without segmenting their texts again.
#[derive(Debug, Default)]
struct Vocabulary {
    span: FxHashMap<TermHash, (u32, u32)>,
    text: String,
}

impl Vocabulary {
    fn insert(&mut self, h: TermHash, term: &str) {
        if let std::collections::hash_map::Entry::Vacant(v) = self.span.entry(h) {
            v.insert((self.text.len() as u32, term.len() as u32));
            self.text.push_str(term);
        }
    }

    fn get(&self, h: TermHash) -> Option<&str> {
        let &(start, len) = self.span.get(&h)?;
        self.text.get(start as usize..(start + len) as usize)
    }

    /// Both vocabularies in one (a term's text is the same whichever side saw it).
    fn merge(self, other: Vocabulary) -> Vocabulary {
        let (mut big, small) = if self.span.len() >= other.span.len() {
            (self, other)
        } else {
            (other, self)
        };
        for &h in small.span.keys() {
            if let Some(term) = small.get(h) {
                big.insert(h, term);
            }
        }
        big
    }
}

/// What naming shared terms needs: their texts and how informative they are.
#[derive(Debug, Clone, Copy)]
struct TermTexts<'a> {
    corpus: &'a CorpusStats,
    vocab: &'a Vocabulary,
}

/// Content terms two orders share, most informative first (at most eight), ties by text.
fn shared_terms(a: &Fingerprint, b: &Fingerprint, terms: TermTexts<'_>) -> Vec<SmolStr> {
    let TermTexts { corpus, vocab } = terms;
    let (x, y) = (&a.terms, &b.terms);
    let (mut i, mut j) = (0, 0);
    let mut shared: Vec<(f32, &str)> = Vec::new();
    while i < x.len() && j < y.len() {
        match x[i].0.cmp(&y[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                if let Some(t) = vocab.get(x[i].0) {
                    shared.push((corpus.idf(x[i].0), t));
                }
                i += 1;
                j += 1;
            }
        }
    }
    shared.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.cmp(y.1)));
    shared
        .into_iter()
        .take(8)
        .map(|(_, t)| SmolStr::new(t))
        .collect()
}

/// The summary shown to people: long digit runs (phone and ID numbers) become `*`.
fn mask_digits(chars: impl Iterator<Item = char>) -> String {
    let chars: Vec<char> = chars.collect();
    let mut out = String::with_capacity(chars.len() * 3);
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || ('０'..='９').contains(*c))
            .count();
        if run >= 7 {
            out.extend(std::iter::repeat_n('*', run));
            i += run;
        } else if run > 0 {
            out.extend(&chars[i..i + run]);
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_mask_phone_numbers() {
        assert_eq!(
            mask_digits("我是13912345678的机主，3栋".chars()),
            "我是***********的机主，3栋"
        );
    }

    fn orders() -> Vec<WorkOrder> {
        let texts = [
            (
                "a1",
                "2024-03-01 22:10:00",
                "枫桥雅苑小区旁工地每天夜里施工到凌晨，噪音扰民",
            ),
            (
                "a2",
                "2024-03-02 08:00:00",
                "枫桥雅苑业主：隔壁工地半夜还在打桩，吵得睡不着",
            ),
            (
                "a3",
                "2024-03-03 09:00:00",
                "枫桥雅苑小区旁工地每天夜里施工到凌晨，噪音扰民",
            ),
            (
                "b1",
                "2024-03-01 10:00:00",
                "金沙路与江堤路交叉口井盖缺失，很危险",
            ),
            (
                "c1",
                "2024-03-04 10:00:00",
                "枫桥雅苑小区物业费上涨，物业服务差",
            ),
        ];
        texts
            .iter()
            .map(|(id, t, text)| {
                let mut o = WorkOrder::new(id, text);
                o.received = crate::io::parse_timestamp(t);
                o
            })
            .collect()
    }

    fn assignment(out: &BatchOutput) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = out
            .tickets
            .iter()
            .flat_map(|t| {
                t.members
                    .iter()
                    .map(|m| (m.order_id.0.clone(), t.ticket_id.clone()))
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn duplicates_merge_and_others_stay_apart() {
        let d = Deduper::builder().threads(1).build().unwrap();
        let out = d.run(&orders()).unwrap();
        let a = assignment(&out);
        let ticket = |id: &str| a.iter().find(|(o, _)| o == id).unwrap().1.clone();
        assert_eq!(ticket("a1"), ticket("a2"));
        assert_eq!(ticket("a1"), ticket("a3"));
        assert_ne!(ticket("a1"), ticket("b1"));
        assert_ne!(ticket("a1"), ticket("c1"));
        assert_eq!(ticket("a1"), "T-a1");
        assert_eq!(out.stats.exact_reposts, 1);
        // Tickets come in canonical time order.
        assert_eq!(out.tickets[0].canonical.as_str(), "b1");
    }

    #[test]
    fn members_relate_to_the_canonical_order_by_reporter_and_channel() {
        use crate::order::Channel;
        // a1 is the canonical order; a2 has a1's reporter (written with spaces), a3 another
        // reporter on a1's channel, and a4 has no reporter and came in on another channel.
        let mut orders = orders();
        orders[0].reporter = Some("13800138000".into());
        orders[0].channel = Channel::Hotline12345;
        orders[1].reporter = Some(" 13800138000 ".into());
        orders[1].channel = Channel::Weibo;
        orders[2].reporter = Some("13900139000".into());
        orders[2].channel = Channel::Hotline12345;
        let mut a4 = WorkOrder::new("a4", "枫桥雅苑旁边工地夜里一直施工，噪音吵得人睡不着觉");
        a4.received = crate::io::parse_timestamp("2024-03-05 21:00:00");
        a4.channel = Channel::Douyin;
        orders.push(a4);
        let out = Deduper::builder()
            .threads(1)
            .build()
            .unwrap()
            .run(&orders)
            .unwrap();
        let ticket = out
            .tickets
            .iter()
            .find(|t| t.canonical.as_str() == "a1")
            .unwrap();
        let member = |id: &str| {
            let m = ticket.members.iter().find(|m| m.order_id.as_str() == id);
            m.unwrap_or_else(|| panic!("{id} is in a1's ticket"))
        };
        assert_eq!(member("a1").relation, Relation::Canonical);
        assert_eq!(member("a2").relation, Relation::RepeatComplaint);
        assert_eq!(member("a3").relation, Relation::MultipleReporters);
        assert_eq!(member("a4").relation, Relation::CrossChannel);
        let hashes: Vec<_> = ["a1", "a2", "a3"]
            .iter()
            .map(|id| member(id).reporter_hash.clone())
            .collect();
        assert!(hashes[0].is_some() && hashes[0] == hashes[1] && hashes[0] != hashes[2]);
    }

    #[test]
    fn result_is_independent_of_threads_and_input_order() {
        let one = Deduper::builder().threads(1).build().unwrap();
        let two = Deduper::builder().threads(2).build().unwrap();
        let mut reversed = orders();
        reversed.reverse();
        let a = one.run(&orders()).unwrap();
        let b = two.run(&reversed).unwrap();
        assert_eq!(a.tickets, b.tickets);
    }

    #[test]
    fn duplicate_ids_and_bad_config_are_errors() {
        let d = Deduper::builder().build().unwrap();
        let mut o = orders();
        o.push(o[0].clone());
        assert!(d.run(&o).is_err());
        assert!(Deduper::builder().threshold(1.5).build().is_err());
        assert!(Deduper::builder().threads(0).build().is_err());
    }

    #[test]
    fn sink_gets_every_ticket_in_order_and_its_error_stops_the_run() {
        // More tickets than one chunk builds at a time: reports 100 days apart never merge (and
        // no two are exact reposts, which would).
        let start = chrono::NaiveDate::from_ymd_opt(2000, 1, 1)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap();
        let orders: Vec<WorkOrder> = (0..TICKET_CHUNK as i64 + 300)
            .map(|i| {
                let text = format!("枫桥雅苑{i}号楼门口路灯不亮，晚上很黑");
                let mut o = WorkOrder::new(&format!("W{i}"), &text);
                o.received = Some(start + chrono::Duration::days(100 * i));
                o
            })
            .collect();
        let d = Deduper::builder().threads(2).build().unwrap();
        let all = d.run(&orders).unwrap().tickets;
        assert_eq!(all.len(), orders.len());
        let mut seen = Vec::new();
        d.run_with_sink(&orders, |t| {
            seen.push(t);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, all);
        // An error from the sink, in the second chunk, is returned, and no ticket follows it.
        let stop_at = TICKET_CHUNK + 7;
        let mut calls = 0;
        let err = d
            .run_with_sink(&orders, |_| {
                calls += 1;
                if calls == stop_at {
                    return Err(Error::new(ErrorKind::Config("sink full".into())));
                }
                Ok(())
            })
            .unwrap_err();
        assert!(err.to_string().contains("sink full"), "{err}");
        assert_eq!(calls, stop_at);
    }

    #[test]
    fn the_first_repeated_id_is_named() {
        let ids = |ids: &[&str]| -> Vec<WorkOrder> {
            ids.iter().map(|id| WorkOrder::new(id, "内容")).collect()
        };
        // B's second occurrence comes after A's: A is the one named.
        let o = ids(&["B", "A", "C", "A", "B"]);
        assert_eq!(repeated_id(&o).map(|id| id.0.as_str()), Some("A"));
        let o = ids(&["B", "A", "C", "B", "A"]);
        assert_eq!(repeated_id(&o).map(|id| id.0.as_str()), Some("B"));
        let o = ids(&["A", "B", "C"]);
        assert_eq!(repeated_id(&o), None);
        // Thousands of distinct ids, then one repeat at the end.
        let mut many: Vec<String> = (0..5000).map(|i| format!("X{i}")).collect();
        many.push("X1234".into());
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(
            repeated_id(&ids(&refs)).map(|id| id.0.as_str()),
            Some("X1234")
        );
        let err = Deduper::builder()
            .build()
            .unwrap()
            .run(&ids(&refs))
            .unwrap_err();
        assert!(err.to_string().contains("\"X1234\" appears twice"), "{err}");
    }
}
