//! The online engine: "is this incoming order a duplicate of an open ticket, which one, and
//! why?", answered one order at a time, from many threads, and kept on disk.
//!
//! ```text
//! order ──fingerprint (no lock)──▶ candidates: tantivy query over the committed index
//!       (no lock)  +  the in-memory postings of orders not yet visible in it (locked)
//!       ──▶ score each candidate ticket, average-link guard, window (locked)
//!       ──▶ Verdict; the order joins the ticket state and the queue for the next commit
//! ```
//!
//! An [`Engine`] lives in a directory: a tantivy index whose body field is tokenized by the
//! crate's jieba tokenizer (registered through tantivy's tokenizer API), `meta.json` (format
//! version, analyzer signature, salt check and settings) and `corpus.bin` (document
//! frequencies). It applies the batch pass's rules to one order at a time: the same
//! fingerprints, the same [`Scorer`], the same threshold and the same average-link guard
//! against a ticket's earliest and latest members. Where the batch pass sees the whole dump,
//! the engine sees the orders before this one; idle or closed tickets stop attracting orders,
//! and an order that matches one starts a new ticket linked to it as a recurrence.
//!
//! Decisions are serialised by one short lock (the expensive segmentation and the index query
//! happen outside it), so concurrent ingestion gives the tickets that ingesting the same orders
//! one at a time, in the order they took the lock, gives ([`Ingested::seq`]).
//!
//! Durability: [`Engine::commit`] writes everything ingested so far; after it returns, a crash
//! loses nothing. Orders ingested since the last commit are matched against at once, but lost if
//! the process dies before the next commit.

mod store;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use smol_str::SmolStr;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term,
};

use crate::batch::{DEFAULT_LINK_RATIO, DEFAULT_THRESHOLD};
use crate::cluster::{REPRESENTATIVES, STRAGGLERS, UNANCHORED_PAIR};
use crate::error::{Error, ErrorKind, Result};
use crate::fingerprint::{cosine, term_hash, Analyzer, CorpusStats, Fingerprint, TermHash};
use crate::order::{OrderId, Relation, Ticket, WorkOrder};
use crate::score::{Explanation, ScoreWeights, Scorer};
use crate::text::Tokenizer;

pub use store::FORMAT_VERSION;
use store::{
    CorpusFile, Fields, Meta, StoredOrder, JIEBA, KIND_CLOSE, KIND_MERGE, KIND_ORDER, NONE_I64,
    NONE_U64,
};

/// Default number of days without a new report after which a ticket stops attracting orders
/// (the batch pass's rule too).
pub use crate::cluster::DEFAULT_IDLE_DAYS;

/// Pseudo-documents of prior document frequencies (see [`CorpusStats::prior_docs`]): they
/// steady term weights while the engine has seen few orders.
const PRIOR_DOCS: u32 = 100;

/// The second look at young tickets ([`Engine::second_look`]) runs when the engine holds a
/// power of two of orders between these counts, over tickets among its first orders.
const SECOND_LOOK_FROM: u64 = 16;
const SECOND_LOOK_UNTIL: u64 = 512;
const SECOND_LOOK_TICKETS: u64 = 256;

/// How many documents the index query returns per order.
const QUERY_DOCS: usize = 20;
/// Bytes per compressed block of the index's document store.
const DOCSTORE_BLOCK: usize = 4096;
/// How many of an order's terms go into its index query (the rarest in the index).
const QUERY_TERMS: usize = 8;
/// How many candidate tickets are scored per order.
pub const CANDIDATE_TICKETS: usize = 10;
/// Raw fingerprints kept in memory for ticket representatives.
const FP_CACHE: usize = 65_536;
/// Orders above which uncommitted ones are committed while seeding.
const SEED_COMMIT_EVERY: usize = 100_000;

/// Configures and opens an [`Engine`].
///
/// # Example
/// ```
/// use complaint_dedup::engine::{Engine, Verdict};
/// use complaint_dedup::WorkOrder;
/// let dir = tempfile::tempdir()?;
/// let engine = Engine::builder().open(dir.path())?;
/// let a = engine.ingest(WorkOrder::new("1", "枫桥雅苑小区旁工地每天夜里施工到凌晨，噪音扰民"))?;
/// let b = engine.ingest(WorkOrder::new("2", "枫桥雅苑业主：隔壁工地半夜还在打桩施工，吵得睡不着"))?;
/// assert!(matches!(a.verdict, Verdict::New { .. }));
/// assert_eq!(b.verdict.ticket(), a.verdict.ticket());
/// engine.commit()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct EngineBuilder {
    threshold: f32,
    link_ratio: f32,
    idle_days: f32,
    salt: String,
    weights: ScoreWeights,
    user_dict: Option<PathBuf>,
    commit_every: usize,
}

impl Default for EngineBuilder {
    fn default() -> Self {
        EngineBuilder {
            threshold: DEFAULT_THRESHOLD,
            link_ratio: DEFAULT_LINK_RATIO,
            idle_days: DEFAULT_IDLE_DAYS,
            salt: "complaint-dedup".to_string(),
            weights: ScoreWeights::default(),
            user_dict: None,
            commit_every: 0,
        }
    }
}

impl EngineBuilder {
    /// The pairwise score from which an order duplicates a ticket's member (as in the batch
    /// pass). Used when the directory is created; an existing one keeps its own.
    ///
    /// By default, [`DEFAULT_THRESHOLD`].
    pub fn threshold(&mut self, threshold: f32) -> &mut EngineBuilder {
        self.threshold = threshold;
        self
    }

    /// The average-link guard's share of the threshold (as in the batch pass). Used when the
    /// directory is created.
    ///
    /// By default, [`DEFAULT_LINK_RATIO`].
    pub fn link_ratio(&mut self, ratio: f32) -> &mut EngineBuilder {
        self.link_ratio = ratio;
        self
    }

    /// Days without a new report after which a ticket stops attracting orders: a later report
    /// of the same problem starts a new ticket that links back as a recurrence. Measured on the
    /// orders' own times, not the clock. Used when the directory is created.
    ///
    /// By default, [`DEFAULT_IDLE_DAYS`].
    pub fn idle_days(&mut self, days: f32) -> &mut EngineBuilder {
        self.idle_days = days;
        self
    }

    /// The reporter-hash salt. The directory remembers a hash of it and refuses another.
    ///
    /// By default, `"complaint-dedup"`.
    pub fn salt(&mut self, salt: &str) -> &mut EngineBuilder {
        self.salt = salt.to_string();
        self
    }

    /// Score weights. Used when the directory is created.
    ///
    /// By default, [`ScoreWeights::default`].
    pub fn weights(&mut self, weights: ScoreWeights) -> &mut EngineBuilder {
        self.weights = weights;
        self
    }

    /// Commit automatically once this many orders are uncommitted (0: only when
    /// [`Engine::commit`] is called). The ingest that reaches the count pays for the commit.
    /// Not stored in the directory.
    ///
    /// By default, 0.
    pub fn commit_every(&mut self, orders: usize) -> &mut EngineBuilder {
        self.commit_every = orders;
        self
    }

    /// A jieba user dictionary (part of the analyzer signature: the directory must be opened
    /// with the same one).
    ///
    /// By default, none.
    pub fn user_dict(&mut self, path: impl Into<PathBuf>) -> &mut EngineBuilder {
        self.user_dict = Some(path.into());
        self
    }

    fn analyzer(&self) -> Result<Analyzer> {
        let mut tokenizer = Tokenizer::builder();
        if let Some(path) = &self.user_dict {
            tokenizer.user_dict(path);
        }
        Ok(Analyzer::with_tokenizer(tokenizer.build()?))
    }

    fn meta(&self, analyzer: &Analyzer) -> Result<Meta> {
        if !(0.0..=1.0).contains(&self.threshold) || !(0.0..=1.0).contains(&self.link_ratio) {
            return Err(Error::new(ErrorKind::Config(
                "threshold and link ratio must be between 0 and 1".into(),
            )));
        }
        if self.idle_days.is_nan() || self.idle_days <= 0.0 {
            return Err(Error::new(ErrorKind::Config(
                "idle days must be positive".into(),
            )));
        }
        Ok(Meta {
            format: FORMAT_VERSION,
            crate_version: env!("CARGO_PKG_VERSION").to_string(),
            analyzer: format!("{:016x}", analyzer.signature()),
            salt: salt_check(&self.salt),
            threshold: self.threshold,
            link_ratio: self.link_ratio,
            idle_days: self.idle_days,
            weights: self.weights.clone(),
        })
    }

    /// Opens the engine in `dir`, creating the directory and an empty engine if there is none.
    ///
    /// Fails with [`ErrorKind::EngineMismatch`] if the directory was written with another
    /// format version, analyzer (dictionaries, normaliser) or salt, and with
    /// [`ErrorKind::Corrupt`] or [`ErrorKind::Index`] if its files are damaged.
    pub fn open(&self, dir: impl AsRef<Path>) -> Result<Engine> {
        let dir = dir.as_ref();
        let analyzer = self.analyzer()?;
        let wanted = self.meta(&analyzer)?;
        let meta = if store::Meta::path(dir).exists() {
            let found = Meta::read(dir)?;
            check_meta(&wanted, &found, dir)?;
            found
        } else {
            std::fs::create_dir_all(dir.join("index")).map_err(|e| Error::from(e).in_file(dir))?;
            if std::fs::read_dir(dir.join("index"))
                .map_err(|e| Error::from(e).in_file(dir))?
                .next()
                .is_some()
            {
                return Err(Error::new(ErrorKind::Corrupt(
                    "index/ exists but meta.json does not".into(),
                ))
                .in_file(dir));
            }
            let (schema, _) = store::schema();
            // Small doc-store blocks: a candidate's fingerprint is read by decompressing its
            // block, and the engine reads dozens per order.
            let settings = tantivy::IndexSettings {
                docstore_blocksize: DOCSTORE_BLOCK,
                ..tantivy::IndexSettings::default()
            };
            Index::builder()
                .schema(schema)
                .settings(settings)
                .create_in_dir(dir.join("index"))
                .map_err(|e| Error::from(e).in_file(dir.join("index")))?;
            wanted.write(dir)?;
            wanted
        };
        Engine::load(dir, analyzer, meta, &self.salt, self.commit_every)
    }

    /// Creates an empty engine in `dir` (which must not hold one) that already knows the
    /// vocabulary of `reference` orders: their document frequencies steady term weights from
    /// the first order on, while none of them is stored or matched against. For a city that
    /// starts with an old dump's vocabulary but not its tickets. (Reopening without
    /// `corpus.bin` forgets the reference.)
    pub fn create_with_vocabulary(
        &self,
        dir: impl AsRef<Path>,
        reference: &[WorkOrder],
    ) -> Result<Engine> {
        let dir = dir.as_ref();
        if Meta::path(dir).exists() {
            return Err(Error::new(ErrorKind::Config(
                "an engine already exists there; use a new directory".into(),
            ))
            .in_file(dir));
        }
        let analyzer = self.analyzer()?;
        let fps: Vec<Fingerprint> = reference
            .par_iter()
            .map(|o| analyzer.fingerprint(o, &self.salt))
            .collect();
        let mut stats = CorpusStats::default();
        let mut keys = FxHashSet::default();
        for fp in &fps {
            if keys.insert(fp.content_key) {
                stats.add(fp);
            }
        }
        drop(self.open(dir)?);
        CorpusFile { upto: None, stats }.write(dir)?;
        self.open(dir)
    }

    /// Creates an engine in `dir` (which must not hold one) from a batch pass's tickets over
    /// `orders`: the engine then answers for new orders as if it had ingested the dump.
    pub fn create_from_batch(
        &self,
        dir: impl AsRef<Path>,
        orders: &[WorkOrder],
        batch: &crate::BatchOutput,
    ) -> Result<Engine> {
        let dir = dir.as_ref();
        if Meta::path(dir).exists() {
            return Err(Error::new(ErrorKind::Config(
                "an engine already exists there; seed into a new directory".into(),
            ))
            .in_file(dir));
        }
        let engine = self.open(dir)?;
        engine.seed(orders, batch)?;
        Ok(engine)
    }
}

fn salt_check(salt: &str) -> String {
    format!("{:016x}", term_hash(&format!("salt-check\u{0}{salt}")))
}

fn check_meta(wanted: &Meta, found: &Meta, dir: &Path) -> Result<()> {
    let path = Meta::path(dir);
    let mismatch = |what, expected: String, found: String| {
        Err(Error::new(ErrorKind::EngineMismatch {
            what,
            expected,
            found,
        })
        .in_file(&path))
    };
    if found.format != wanted.format {
        return mismatch(
            "format version",
            wanted.format.to_string(),
            found.format.to_string(),
        );
    }
    if found.analyzer != wanted.analyzer {
        return mismatch(
            "analyzer signature (dictionaries, normaliser, lexicon)",
            wanted.analyzer.clone(),
            found.analyzer.clone(),
        );
    }
    if found.salt != wanted.salt {
        return mismatch(
            "reporter salt (hash)",
            wanted.salt.clone(),
            found.salt.clone(),
        );
    }
    Ok(())
}

/// What the engine says about an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// The order starts a ticket of its own.
    New {
        /// The new ticket's id (`T-` and the order's id).
        ticket: String,
        /// The closed or idle ticket this order reports again, if it matched one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        recurrence_of: Option<String>,
    },
    /// The order duplicates an open ticket.
    Duplicate {
        /// The ticket it joins.
        ticket: String,
        /// The ticket's canonical order (母单).
        canonical: OrderId,
        /// The member it matched best.
        matched: OrderId,
        /// The score against that member.
        score: f32,
        /// How it relates to the canonical order.
        relation: Relation,
        /// Why it matched.
        explanation: Box<Explanation>,
        /// Tickets that this order showed to be the same problem and that were merged into
        /// `ticket` (their orders now belong to it).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        merged: Vec<String>,
    },
}

impl Verdict {
    /// The ticket the order is in (or would be in, for [`Engine::check`]).
    pub fn ticket(&self) -> &str {
        match self {
            Verdict::New { ticket, .. } | Verdict::Duplicate { ticket, .. } => ticket,
        }
    }

    /// Whether the order duplicates an open ticket.
    pub fn is_duplicate(&self) -> bool {
        matches!(self, Verdict::Duplicate { .. })
    }
}

/// A ticket an order was scored against ([`Engine::candidates`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateTicket {
    /// The ticket.
    pub ticket: String,
    /// Its member that scored best.
    pub matched: OrderId,
    /// That member's score.
    pub score: f32,
}

/// What [`Engine::ingest`] returns: the verdict and the order's place in the arrival order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ingested {
    /// The order's sequence number: the engine decided it after every order with a smaller one.
    pub seq: u64,
    /// The verdict.
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// A ticket as the engine holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketInfo {
    /// The ticket's id.
    pub ticket: String,
    /// Its canonical order.
    pub canonical: OrderId,
    /// Its members in arrival order, the canonical first.
    pub members: Vec<OrderId>,
    /// Whether it was closed.
    pub closed: bool,
    /// The ticket this one reports again, if any.
    pub recurrence_of: Option<String>,
}

/// Counts about an engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineStats {
    /// Orders ingested (committed or not).
    pub orders: u64,
    /// Tickets.
    pub tickets: u64,
    /// Orders ingested since the last commit.
    pub uncommitted: u64,
}

/// The online duplicate checker. `Send + Sync`: share it (`Arc<Engine>`) between threads.
///
/// See the [module documentation](self) for how it decides and what it keeps.
pub struct Engine {
    dir: PathBuf,
    analyzer: Arc<Analyzer>,
    scorer: Scorer,
    meta: Meta,
    salt: String,
    commit_every: usize,
    fields: Fields,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    snapshot: RwLock<Arc<Snapshot>>,
    state: Mutex<State>,
    fingerprints: Mutex<FingerprintCache>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("dir", &self.dir)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

/// A searcher and the last sequence number it shows.
struct Snapshot {
    searcher: Searcher,
    upto: Option<u64>,
}

/// One order's slot in the state, by sequence number.
#[derive(Debug, Clone, Copy)]
struct Slot {
    ticket: u64,
}

#[derive(Debug, Clone)]
struct TicketState {
    /// Members' sequence numbers in arrival order; the first is the canonical order.
    members: Vec<u64>,
    last_minute: Option<i64>,
    closed: bool,
    recurrence_of: Option<u64>,
}

/// An order not yet visible in the index searcher.
struct Pending {
    seq: u64,
    fingerprint: Arc<Fingerprint>,
    order: Arc<WorkOrder>,
}

#[derive(Default)]
struct State {
    ids: FxHashMap<OrderId, u64>,
    slots: Vec<Slot>,
    order_ids: Vec<OrderId>,
    tickets: FxHashMap<u64, TicketState>,
    corpus: CorpusStats,
    content_keys: FxHashMap<u64, u64>,
    /// Orders with a sequence number above `pruned_upto`, in order.
    pending: Vec<Pending>,
    pending_postings: FxHashMap<TermHash, Vec<u64>>,
    pruned_upto: Option<u64>,
    /// Documents waiting for the next commit.
    unsent: Vec<TantivyDocument>,
    max_minute: Option<i64>,
    committed_upto: Option<u64>,
    /// Tickets merged into an earlier one: from → into.
    merged_into: FxHashMap<u64, u64>,
}

/// A candidate order for one incoming order.
struct Candidate {
    seq: u64,
    fingerprint: Arc<Fingerprint>,
    order: Source,
}

/// Where a candidate order itself (not its fingerprint) can be read.
#[derive(Clone)]
enum Source {
    /// Pending: in memory.
    Memory(Arc<WorkOrder>),
    /// Committed: in the index, by sequence number.
    Committed(u64),
}

/// Raw fingerprints of committed orders, by sequence number: two generations, so that a full
/// cache keeps what was used lately instead of starting from nothing.
#[derive(Default)]
struct FingerprintCache {
    young: FxHashMap<u64, Arc<Fingerprint>>,
    old: FxHashMap<u64, Arc<Fingerprint>>,
}

impl FingerprintCache {
    fn get(&mut self, seq: u64) -> Option<Arc<Fingerprint>> {
        if let Some(fp) = self.young.get(&seq) {
            return Some(fp.clone());
        }
        let fp = self.old.remove(&seq)?;
        self.insert(seq, fp.clone());
        Some(fp)
    }

    fn insert(&mut self, seq: u64, fp: Arc<Fingerprint>) {
        if self.young.len() >= FP_CACHE / 2 {
            self.old = std::mem::take(&mut self.young);
        }
        self.young.insert(seq, fp);
    }
}

/// What one decision found, before it is stored.
struct Decision {
    ticket: Option<u64>,
    matched: Option<(u64, f32, Source)>,
    recurrence_of: Option<u64>,
    canonical: Option<Arc<Fingerprint>>,
    weighed: Fingerprint,
    matched_weighed: Option<Fingerprint>,
    /// Tickets merged into `ticket` because the order joins them too.
    merged: Vec<u64>,
    /// The candidate tickets: (ticket, best score, best member), best first.
    ranked: Vec<(u64, f32, u64)>,
}

/// A representative in the guard: the incoming order or a stored one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rep {
    New,
    Seq(u64),
}

impl Engine {
    /// A builder with the defaults.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// Opens (or creates) an engine in `dir` with the default settings.
    pub fn open(dir: impl AsRef<Path>) -> Result<Engine> {
        EngineBuilder::default().open(dir)
    }

    fn load(
        dir: &Path,
        analyzer: Analyzer,
        meta: Meta,
        salt: &str,
        commit_every: usize,
    ) -> Result<Engine> {
        let index_dir = dir.join("index");
        let in_index = |e: tantivy::TantivyError| Error::from(e).in_file(&index_dir);
        let index = Index::open_in_dir(&index_dir).map_err(in_index)?;
        let fields = store::check_schema(&index, &index_dir)?;
        index
            .tokenizers()
            .register(JIEBA, analyzer.tokenizer().tantivy());
        let writer: IndexWriter =
            index
                .writer_with_num_threads(1, 64_000_000)
                .map_err(|e| match e {
                    tantivy::TantivyError::LockFailure(..) => Error::new(ErrorKind::Config(
                        "the engine directory is open in another process".into(),
                    ))
                    .in_file(dir),
                    e => in_index(e),
                })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(in_index)?;
        let searcher = reader.searcher();
        let mut state = State::default();
        let upto = rebuild_state(&searcher, &mut state, dir)?;
        state.committed_upto = upto;
        state.pruned_upto = upto;
        let engine = Engine {
            dir: dir.to_path_buf(),
            scorer: Scorer::new(meta.weights.clone()),
            analyzer: Arc::new(analyzer),
            meta,
            salt: salt.to_string(),
            commit_every,
            fields,
            reader,
            writer: Mutex::new(writer),
            snapshot: RwLock::new(Arc::new(Snapshot { searcher, upto })),
            state: Mutex::new(state),
            fingerprints: Mutex::new(FingerprintCache::default()),
        };
        engine.load_corpus(upto)?;
        Ok(engine)
    }

    /// Document frequencies: `corpus.bin` plus the documents it does not cover.
    fn load_corpus(&self, upto: Option<u64>) -> Result<()> {
        let snapshot = self.snapshot();
        let file = CorpusFile::read(&self.dir).filter(|f| f.upto <= upto);
        let (from, mut stats) = match file {
            Some(f) => (f.upto.map_or(0, |u| u + 1), f.stats),
            None => (0, CorpusStats::default()),
        };
        let Some(upto) = upto else {
            stats.prior_docs = PRIOR_DOCS;
            self.lock_state().corpus = stats;
            return Ok(());
        };
        if from <= upto {
            // Count the documents committed after the file was written (after a crash).
            let mut seen_keys: FxHashSet<u64> = FxHashSet::default();
            let state = self.lock_state();
            for (key, &seq) in &state.content_keys {
                if seq < from {
                    seen_keys.insert(*key);
                }
            }
            drop(state);
            for seq in from..=upto {
                let Some(stored) = self.fetch_by_seq(&snapshot.searcher, seq)? else {
                    continue;
                };
                if seen_keys.insert(stored.fingerprint.content_key) {
                    stats.add(&stored.fingerprint);
                }
            }
        }
        stats.prior_docs = PRIOR_DOCS;
        self.lock_state().corpus = stats;
        Ok(())
    }

    /// The directory the engine lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The analyzer (text pipeline) the engine fingerprints orders with.
    pub fn analyzer(&self) -> &Arc<Analyzer> {
        &self.analyzer
    }

    /// Counts of orders, tickets and uncommitted orders.
    pub fn stats(&self) -> EngineStats {
        let state = self.lock_state();
        let orders = state.slots.len() as u64;
        EngineStats {
            orders,
            tickets: state.tickets.len() as u64,
            uncommitted: orders - state.committed_upto.map_or(0, |u| u + 1),
        }
    }

    /// Decides whether `order` duplicates an open ticket and stores it: it joins that ticket
    /// or starts one. The order's id must be new.
    pub fn ingest(&self, order: WorkOrder) -> Result<Ingested> {
        let (seq, verdict, _) = self.decide(Arc::new(order), true)?;
        if self.commit_every > 0 && self.stats().uncommitted >= self.commit_every as u64 {
            self.commit()?;
        }
        Ok(Ingested {
            seq: seq.expect("stored orders get a sequence number"),
            verdict,
        })
    }

    /// Decides as [`Engine::ingest`] would, without storing anything.
    pub fn check(&self, order: &WorkOrder) -> Result<Verdict> {
        Ok(self.decide(Arc::new(order.clone()), false)?.1)
    }

    /// The tickets an order was scored against, best first (at most [`CANDIDATE_TICKETS`]),
    /// whether or not they pass the threshold; stores nothing. For inspecting decisions and
    /// measuring candidate recall.
    pub fn candidates(&self, order: &WorkOrder) -> Result<Vec<CandidateTicket>> {
        Ok(self.decide(Arc::new(order.clone()), false)?.2)
    }

    /// Closes a ticket: it stops attracting orders (a later report of the same problem starts a
    /// new ticket that links back to it). Closing a closed ticket does nothing.
    pub fn close(&self, ticket: &str) -> Result<()> {
        let mut state = self.lock_state();
        let seq = ticket
            .strip_prefix("T-")
            .and_then(|id| state.ids.get(&OrderId::from(id)).copied())
            .filter(|&seq| state.tickets.contains_key(&seq) || state.merged_into.contains_key(&seq))
            .map(|seq| state.resolve(seq))
            .ok_or_else(|| Error::new(ErrorKind::UnknownTicket(ticket.to_string())))?;
        let t = state.tickets.get_mut(&seq).expect("checked above");
        if !t.closed {
            t.closed = true;
            let mut doc = TantivyDocument::new();
            doc.add_u64(self.fields.kind, KIND_CLOSE);
            doc.add_u64(self.fields.ticket, seq);
            state.unsent.push(doc);
        }
        Ok(())
    }

    /// The ticket with id `ticket`, if there is one.
    pub fn ticket(&self, ticket: &str) -> Option<TicketInfo> {
        let state = self.lock_state();
        let seq = *state.ids.get(&OrderId::from(ticket.strip_prefix("T-")?))?;
        if seq != state.slots[seq as usize].ticket && !state.merged_into.contains_key(&seq) {
            return None; // an order id, but not a ticket's canonical order
        }
        let seq = state.resolve(seq);
        let t = state.tickets.get(&seq)?;
        Some(ticket_info(&state, seq, t))
    }

    /// Every ticket, by canonical order's arrival.
    pub fn tickets(&self) -> Vec<TicketInfo> {
        let state = self.lock_state();
        let mut seqs: Vec<u64> = state.tickets.keys().copied().collect();
        seqs.sort_unstable();
        seqs.iter()
            .map(|s| ticket_info(&state, *s, &state.tickets[s]))
            .collect()
    }

    /// Makes every order ingested and every ticket closed so far durable, and visible to the
    /// index query. After it returns, a crash loses none of them.
    pub fn commit(&self) -> Result<()> {
        let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let (docs, upto, corpus) = {
            let mut state = self.lock_state();
            let upto = state.slots.len().checked_sub(1).map(|u| u as u64);
            if state.unsent.is_empty() && upto == state.committed_upto {
                return Ok(()); // nothing new (another thread committed it)
            }
            let docs = std::mem::take(&mut state.unsent);
            (docs, upto, state.corpus.clone())
        };
        let in_index = |e: tantivy::TantivyError| Error::from(e).in_file(self.dir.join("index"));
        for doc in docs {
            writer.add_document(doc).map_err(in_index)?;
        }
        let mut prepared = writer.prepare_commit().map_err(in_index)?;
        prepared.set_payload(&upto.map_or(String::new(), |u| u.to_string()));
        prepared.commit().map_err(in_index)?;
        self.reader.reload().map_err(in_index)?;
        let searcher = self.reader.searcher();
        *self.snapshot.write().unwrap_or_else(|p| p.into_inner()) =
            Arc::new(Snapshot { searcher, upto });
        {
            let mut state = self.lock_state();
            state.committed_upto = upto;
            state.prune(upto);
        }
        CorpusFile {
            upto,
            stats: corpus,
        }
        .write(&self.dir)?;
        Ok(())
    }

    fn lock_state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn decide(
        &self,
        order: Arc<WorkOrder>,
        store: bool,
    ) -> Result<(Option<u64>, Verdict, Vec<CandidateTicket>)> {
        if order.id.as_str().trim().is_empty() {
            return Err(Error::new(ErrorKind::InvalidOrder("empty order id".into())));
        }
        if order.title.trim().is_empty() && order.text.trim().is_empty() {
            return Err(Error::new(ErrorKind::InvalidOrder(format!(
                "order {:?} has neither title nor text",
                order.id.0
            ))));
        }
        // Outside the lock: segmentation, the index query and fetching the hits.
        let mut terms: Vec<String> = Vec::new();
        let fingerprint = Arc::new(self.analyzer.fingerprint_with_terms(
            &order,
            &self.salt,
            |_, t| terms.push(t.to_string()),
        ));
        let terms = self.query_terms(terms, &fingerprint);
        let priors: Vec<(TermHash, f32)> = terms
            .iter()
            .map(|t| (term_hash(t), self.analyzer.prior_probability(t)))
            .collect();
        let mut snapshot = self.snapshot();
        let mut hits = self.search(&snapshot.searcher, &terms)?;

        let mut state = self.lock_state();
        if store && state.ids.contains_key(&order.id) {
            return Err(Error::new(ErrorKind::DuplicateOrder(order.id.0.clone())));
        }
        if snapshot.upto < state.pruned_upto {
            // A commit pruned orders this snapshot does not show: query the new one.
            snapshot = self.snapshot();
            hits = self.search(&snapshot.searcher, &terms)?;
        }
        for &(h, p) in &priors {
            state.corpus.prior.entry(h).or_insert(p);
        }
        let decision = self.decide_locked(&mut state, &snapshot, &fingerprint, &terms, hits)?;
        // Term weights as of this decision, for the explanation's shared terms.
        let idf: Vec<f32> = if decision.matched.is_some() {
            terms
                .iter()
                .map(|t| state.corpus.idf(term_hash(t)))
                .collect()
        } else {
            Vec::new()
        };
        let seq = if store {
            let seq = self.record(&mut state, &order, &fingerprint, &decision)?;
            let n = seq + 1;
            if n.is_power_of_two() && (SECOND_LOOK_FROM..=SECOND_LOOK_UNTIL).contains(&n) {
                self.second_look(&mut state, &snapshot)?;
            }
            Some(seq)
        } else {
            None
        };
        let verdict_ticket = |s: &State, t: u64| Ticket::id_for(&s.order_ids[t as usize]);
        let candidates: Vec<CandidateTicket> = decision
            .ranked
            .iter()
            .map(|&(t, score, m)| CandidateTicket {
                ticket: verdict_ticket(&state, state.resolve(t)),
                matched: state.order_ids[m as usize].clone(),
                score,
            })
            .collect();
        let verdict = match (&decision.ticket, &decision.matched) {
            (Some(t), Some((mseq, score, source))) => {
                let canonical = state.order_ids[*t as usize].clone();
                let matched = state.order_ids[*mseq as usize].clone();
                let ticket = verdict_ticket(&state, *t);
                let merged = decision
                    .merged
                    .iter()
                    .map(|&m| verdict_ticket(&state, m))
                    .collect();
                let canon_fp = decision.canonical.clone().expect("set with a match");
                drop(state);
                let relation =
                    if canon_fp.reporter.is_some() && canon_fp.reporter == fingerprint.reporter {
                        Relation::RepeatComplaint
                    } else if canon_fp.channel != fingerprint.channel {
                        Relation::CrossChannel
                    } else {
                        Relation::MultipleReporters
                    };
                let other = decision.matched_weighed.as_ref().expect("set with a match");
                let (_, mut why) =
                    self.scorer
                        .explain(&decision.weighed, other, self.analyzer.problems());
                let other = self.order_of(source, &snapshot)?;
                why.shared_terms = self.shared_terms(&terms, &idf, &other);
                Verdict::Duplicate {
                    ticket,
                    canonical,
                    matched,
                    score: (score * 1000.0).round() / 1000.0,
                    relation,
                    explanation: Box::new(why),
                    merged,
                }
            }
            _ => Verdict::New {
                ticket: Ticket::id_for(&order.id),
                recurrence_of: decision.recurrence_of.map(|t| verdict_ticket(&state, t)),
            },
        };
        Ok((seq, verdict, candidates))
    }

    /// The order's distinct content terms (as fingerprinting met them) and place-core words,
    /// sorted, for the index query.
    fn query_terms(&self, mut terms: Vec<String>, fp: &Fingerprint) -> Vec<String> {
        let tok = self.analyzer.tokenizer();
        let mut words = Vec::new();
        for place in &fp.places {
            tok.content_terms(&place.core, &mut words);
        }
        terms.extend(words.into_iter().map(str::to_string));
        terms.sort_unstable();
        terms.dedup();
        terms
    }

    /// The committed orders the index ranks highest for `terms` (its rarest ones).
    fn search(&self, searcher: &Searcher, terms: &[String]) -> Result<Vec<Candidate>> {
        let in_index = |e: tantivy::TantivyError| Error::from(e).in_file(self.dir.join("index"));
        if searcher.num_docs() == 0 || terms.is_empty() {
            return Ok(Vec::new());
        }
        let mut ranked: Vec<(u64, Term)> = Vec::with_capacity(terms.len());
        for t in terms {
            let term = Term::from_field_text(self.fields.body, t);
            let df = searcher.doc_freq(&term).map_err(in_index)?;
            if df > 0 {
                ranked.push((df, term));
            }
        }
        ranked.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        ranked.truncate(QUERY_TERMS);
        if ranked.is_empty() {
            return Ok(Vec::new());
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = ranked
            .into_iter()
            .map(|(_, term)| {
                let q: Box<dyn Query> =
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                (Occur::Should, q)
            })
            .collect();
        let query = BooleanQuery::new(clauses);
        let top = searcher
            .search(&query, &TopDocs::with_limit(QUERY_DOCS).order_by_score())
            .map_err(in_index)?;
        let mut out = Vec::with_capacity(top.len());
        let mut columns: FxHashMap<u32, tantivy::columnar::Column<u64>> = FxHashMap::default();
        for (_, addr) in top {
            let column = match columns.entry(addr.segment_ord) {
                std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => v.insert(
                    searcher
                        .segment_reader(addr.segment_ord)
                        .fast_fields()
                        .u64("seq")
                        .map_err(in_index)?,
                ),
            };
            let seq = column
                .first(addr.doc_id)
                .ok_or_else(|| Error::new(ErrorKind::Corrupt("document without seq".into())))?;
            let cached = self.lock_fingerprints().get(seq);
            let fingerprint = match cached {
                Some(fp) => fp,
                None => {
                    let fp = Arc::new(self.fetch(searcher, addr)?.fingerprint);
                    self.lock_fingerprints().insert(seq, fp.clone());
                    fp
                }
            };
            out.push(Candidate {
                seq,
                fingerprint,
                order: Source::Committed(seq),
            });
        }
        Ok(out)
    }

    fn lock_fingerprints(&self) -> MutexGuard<'_, FingerprintCache> {
        self.fingerprints.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A candidate's order, for explanations.
    fn order_of(&self, source: &Source, snapshot: &Snapshot) -> Result<WorkOrder> {
        match source {
            Source::Memory(o) => Ok((**o).clone()),
            Source::Committed(seq) => self
                .fetch_by_seq(&snapshot.searcher, *seq)?
                .ok_or_else(|| {
                    Error::new(ErrorKind::Corrupt(format!(
                        "order #{seq} is not in the index"
                    )))
                })?
                .order(),
        }
    }

    fn fetch(&self, searcher: &Searcher, addr: DocAddress) -> Result<StoredOrder> {
        let doc: TantivyDocument = searcher
            .doc(addr)
            .map_err(|e| Error::from(e).in_file(self.dir.join("index")))?;
        StoredOrder::from_doc(&doc, &self.fields).map_err(|e| e.in_file(self.dir.join("index")))
    }

    fn fetch_by_seq(&self, searcher: &Searcher, seq: u64) -> Result<Option<StoredOrder>> {
        let query = TermQuery::new(
            Term::from_field_u64(self.fields.seq, seq),
            IndexRecordOption::Basic,
        );
        let top = searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())
            .map_err(|e| Error::from(e).in_file(self.dir.join("index")))?;
        match top.first() {
            Some((_, addr)) => Ok(Some(self.fetch(searcher, *addr)?)),
            None => Ok(None),
        }
    }

    /// A committed or pending order's raw fingerprint, by sequence number.
    fn fingerprint_of(
        &self,
        state: &mut State,
        snapshot: &Snapshot,
        seq: u64,
    ) -> Result<Arc<Fingerprint>> {
        if let Some(p) = state.pending_by_seq(seq) {
            return Ok(p.fingerprint.clone());
        }
        if let Some(fp) = self.lock_fingerprints().get(seq) {
            return Ok(fp);
        }
        let stored = self.fetch_by_seq(&snapshot.searcher, seq)?.ok_or_else(|| {
            Error::new(ErrorKind::Corrupt(format!(
                "order #{seq} is neither committed nor pending"
            )))
        })?;
        let fp = Arc::new(stored.fingerprint);
        self.lock_fingerprints().insert(seq, fp.clone());
        Ok(fp)
    }

    fn decide_locked(
        &self,
        state: &mut State,
        snapshot: &Snapshot,
        fingerprint: &Arc<Fingerprint>,
        terms: &[String],
        hits: Vec<Candidate>,
    ) -> Result<Decision> {
        let mut weighed = (**fingerprint).clone();
        weighed.weigh(&state.corpus);
        let weigh = |fp: &Fingerprint, corpus: &CorpusStats| {
            let mut w = fp.clone();
            w.weigh(corpus);
            w
        };

        // Candidates: the index hits, pending orders sharing a query term, an exact repost.
        let mut candidates = hits;
        candidates.retain(|c| Some(c.seq) <= snapshot.upto);
        let visible = snapshot.upto;
        // Pending orders ranked by the summed IDF of the terms they share, as BM25 would.
        let mut shared: FxHashMap<u64, f32> = FxHashMap::default();
        for t in terms {
            let h = term_hash(t);
            if let Some(seqs) = state.pending_postings.get(&h) {
                let idf = state.corpus.idf(h);
                for &s in seqs {
                    if Some(s) > visible {
                        *shared.entry(s).or_default() += idf;
                    }
                }
            }
        }
        let mut pending: Vec<(f32, u64)> = shared.into_iter().map(|(s, w)| (w, s)).collect();
        pending.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
        pending.truncate(QUERY_DOCS);
        for (_, seq) in pending {
            let p = state
                .pending_by_seq(seq)
                .expect("postings hold pending orders");
            candidates.push(Candidate {
                seq,
                fingerprint: p.fingerprint.clone(),
                order: Source::Memory(p.order.clone()),
            });
        }
        let repost = state.content_keys.get(&fingerprint.content_key).copied();
        if let Some(seq) = repost {
            if !candidates.iter().any(|c| c.seq == seq) {
                let candidate = match state.pending_by_seq(seq) {
                    Some(p) => Candidate {
                        seq,
                        fingerprint: p.fingerprint.clone(),
                        order: Source::Memory(p.order.clone()),
                    },
                    None => Candidate {
                        seq,
                        fingerprint: self.fingerprint_of(state, snapshot, seq)?,
                        order: Source::Committed(seq),
                    },
                };
                candidates.push(candidate);
            }
        }

        // Best member per ticket.
        // Best member per ticket, by score and then by text cosine (scores clamp at 0, and the
        // ranking of the candidates matters for inspection even below the threshold).
        let mut best: FxHashMap<u64, (f32, f32, usize)> = FxHashMap::default();
        let mut scored: Vec<(f32, Fingerprint)> = Vec::with_capacity(candidates.len());
        // Whether each candidate's pair with the order is anchored (agrees on the place, or
        // is a near copy): only such a pair may grow a ticket, as in the batch pass.
        let mut anchored: Vec<bool> = Vec::with_capacity(candidates.len());
        for (i, c) in candidates.iter().enumerate() {
            let w = weigh(&c.fingerprint, &state.corpus);
            let (score, anchor) = if Some(c.seq) == repost {
                (1.0, true)
            } else {
                self.scorer.score_anchored(&weighed, &w)
            };
            anchored.push(anchor);
            let text = cosine(&weighed.terms, &w.terms);
            scored.push((score, w));
            let ticket = state.slots[c.seq as usize].ticket;
            let e = best.entry(ticket).or_insert((score, text, i));
            let better = score
                .total_cmp(&e.0)
                .then(text.total_cmp(&e.1))
                .then(candidates[e.2].seq.cmp(&c.seq));
            if better.is_gt() {
                *e = (score, text, i);
            }
        }
        let mut ranked: Vec<(u64, f32, f32, usize)> = best
            .into_iter()
            .map(|(t, (s, x, i))| (t, s, x, i))
            .collect();
        ranked.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then(b.2.total_cmp(&a.2))
                .then(a.0.cmp(&b.0))
        });
        let ranked: Vec<(u64, f32, usize)> =
            ranked.into_iter().map(|(t, s, _, i)| (t, s, i)).collect();
        let mut ranked = ranked;
        ranked.truncate(CANDIDATE_TICKETS);
        let ranked_out: Vec<(u64, f32, u64)> = ranked
            .iter()
            .map(|&(t, s, i)| (t, s, candidates[i].seq))
            .collect();

        let threshold = self.meta.threshold;
        let link_threshold = threshold * self.meta.link_ratio;
        let idle_minutes = (self.meta.idle_days * 24.0 * 60.0) as i64;
        let now = fingerprint.minute.or(state.max_minute);
        let mut decision = Decision {
            ticket: None,
            matched: None,
            recurrence_of: None,
            canonical: None,
            weighed,
            matched_weighed: None,
            merged: Vec::new(),
            ranked: ranked_out,
        };
        // Open tickets the order may join: above the threshold and through the guard.
        // A ticket's strongest anchored member at the threshold: an order joins a ticket of
        // several members (and a group merges another) only through such a pair, as the
        // batch pass grows a group only on an anchored edge.
        let ticket_of: Vec<u64> = candidates
            .iter()
            .map(|c| state.slots[c.seq as usize].ticket)
            .collect();
        let anchored_best = |ticket: u64| {
            (0..candidates.len())
                .filter(|&j| anchored[j] && scored[j].0 >= threshold && ticket_of[j] == ticket)
                .max_by(|&x, &y| {
                    scored[x]
                        .0
                        .total_cmp(&scored[y].0)
                        .then(candidates[y].seq.cmp(&candidates[x].seq))
                })
        };
        let mut passing: Vec<(u64, f32, usize)> = Vec::new();
        for (ticket, score, i) in ranked {
            if score < threshold {
                break;
            }
            let t = &state.tickets[&ticket];
            let (score, i) = if t.members.len() > 1 && !anchored[i] {
                match anchored_best(ticket) {
                    Some(j) => (scored[j].0, j),
                    None => continue,
                }
            } else if !anchored[i] && score < UNANCHORED_PAIR {
                // A single order pairs on an unanchored edge only at UNANCHORED_PAIR.
                continue;
            } else {
                (score, i)
            };
            let c = &candidates[i];
            let (closed, last_minute) = (t.closed, t.last_minute);
            // The average-link guard, as in the batch pass: the ticket's earliest and latest
            // members and the matched one must agree with the order on average.
            if t.members.len() > 1 {
                let mut reps = representatives(&t.members);
                if !reps.contains(&c.seq) {
                    reps.push(c.seq);
                }
                let mut total = 0.0;
                for &r in &reps {
                    total += if r == c.seq {
                        score
                    } else {
                        let fp = self.fingerprint_of(state, snapshot, r)?;
                        self.scorer
                            .group_support(&decision.weighed, &weigh(&fp, &state.corpus))
                    };
                }
                if total / (reps.len() as f32) < link_threshold {
                    continue;
                }
            }
            let idle = match (now, last_minute) {
                (Some(now), Some(last)) => now - last > idle_minutes,
                _ => false,
            };
            if closed || idle {
                if passing.is_empty() {
                    decision.recurrence_of.get_or_insert(ticket);
                }
                continue;
            }
            passing.push((ticket, score, i));
        }
        let Some(&(first, score, i)) = passing.first() else {
            if decision.recurrence_of.is_none() {
                self.join_as_straggler(
                    state,
                    snapshot,
                    &mut decision,
                    &candidates,
                    &scored,
                    &anchored,
                    now,
                )?;
            }
            return Ok(decision);
        };
        decision.recurrence_of = None;

        // The order joins the best ticket; any other ticket it also joins is merged in when the
        // two groups agree on average (the batch pass's rule for merging two groups).
        let mut group: Vec<u64> = state.tickets[&first].members.clone();
        let mut merged: Vec<u64> = Vec::new();
        for &(other, other_score, j) in &passing[1..] {
            // The order and the first ticket are a group: the link to another ticket must be
            // anchored to merge it in.
            let (other_score, j) = if anchored[j] {
                (other_score, j)
            } else {
                match anchored_best(other) {
                    Some(k) => (scored[k].0, k),
                    None => continue,
                }
            };
            let other_members = state.tickets[&other].members.clone();
            let mut reps_a: Vec<Rep> = representatives(&group).into_iter().map(Rep::Seq).collect();
            reps_a.push(Rep::New);
            let mut reps_b: Vec<Rep> = representatives(&other_members)
                .into_iter()
                .map(Rep::Seq)
                .collect();
            if !reps_b.contains(&Rep::Seq(candidates[j].seq)) {
                reps_b.push(Rep::Seq(candidates[j].seq));
            }
            let mut total = 0.0f32;
            for a in &reps_a {
                for b in &reps_b {
                    total += match (a, b) {
                        (Rep::New, Rep::Seq(s)) if *s == candidates[j].seq => other_score,
                        (Rep::New, Rep::Seq(s)) | (Rep::Seq(s), Rep::New) => {
                            let fp = self.fingerprint_of(state, snapshot, *s)?;
                            self.scorer
                                .group_support(&decision.weighed, &weigh(&fp, &state.corpus))
                        }
                        (Rep::Seq(x), Rep::Seq(y)) => {
                            let fx = self.fingerprint_of(state, snapshot, *x)?;
                            let fy = self.fingerprint_of(state, snapshot, *y)?;
                            self.scorer.group_support(
                                &weigh(&fx, &state.corpus),
                                &weigh(&fy, &state.corpus),
                            )
                        }
                        (Rep::New, Rep::New) => 1.0,
                    };
                }
            }
            if total / ((reps_a.len() * reps_b.len()) as f32) >= link_threshold {
                group.extend_from_slice(&other_members);
                group.sort_unstable();
                merged.push(other);
            }
        }
        let ticket = merged.iter().copied().fold(first, u64::min);
        merged.push(first);
        merged.retain(|&t| t != ticket);
        merged.sort_unstable();
        let c = &candidates[i];
        let canon_fp = if ticket == c.seq {
            c.fingerprint.clone()
        } else {
            self.fingerprint_of(state, snapshot, ticket)?
        };
        decision.ticket = Some(ticket);
        decision.merged = merged;
        decision.canonical = Some(canon_fp);
        decision.matched = Some((c.seq, score, c.order.clone()));
        decision.matched_weighed = Some(scored[i].1.clone());
        Ok(decision)
    }

    /// An order no ticket took may still join one it agrees with as a whole, as the batch
    /// pass attaches stragglers ([`crate::cluster::attach_stragglers`]): an anchored pair
    /// at [`STRAGGLERS`]`.min_pair` with a member of an open ticket of at least
    /// `min_group` members, and scores against its earliest `members` that reach `min_top_mean`
    /// over the best `top` and `min_mean` over all. The best top mean wins (ties: the earlier
    /// ticket).
    #[allow(clippy::too_many_arguments)]
    fn join_as_straggler(
        &self,
        state: &mut State,
        snapshot: &Snapshot,
        decision: &mut Decision,
        candidates: &[Candidate],
        scored: &[(f32, Fingerprint)],
        anchored: &[bool],
        now: Option<i64>,
    ) -> Result<()> {
        let idle_minutes = (self.meta.idle_days * 24.0 * 60.0) as i64;
        // Each tied ticket's best anchored candidate.
        let mut tied: Vec<(u64, usize)> = Vec::new();
        for (j, c) in candidates.iter().enumerate() {
            if !anchored[j] || scored[j].0 < STRAGGLERS.min_pair {
                continue;
            }
            let ticket = state.slots[c.seq as usize].ticket;
            match tied.iter_mut().find(|(t, _)| *t == ticket) {
                Some((_, best)) => {
                    if scored[j].0 > scored[*best].0
                        || (scored[j].0 == scored[*best].0 && c.seq < candidates[*best].seq)
                    {
                        *best = j;
                    }
                }
                None => tied.push((ticket, j)),
            }
        }
        tied.sort_unstable();
        let mut best: Option<(f32, u64, usize)> = None;
        for (ticket, j) in tied {
            let t = &state.tickets[&ticket];
            let idle = match (now, t.last_minute) {
                (Some(now), Some(last)) => now - last > idle_minutes,
                _ => false,
            };
            if t.closed || idle || t.members.len() < STRAGGLERS.min_group {
                continue;
            }
            let earliest: Vec<u64> = t.members.iter().take(STRAGGLERS.members).copied().collect();
            let mut scores: Vec<f32> = Vec::with_capacity(earliest.len());
            for &m in &earliest {
                scores.push(if m == candidates[j].seq {
                    scored[j].0
                } else {
                    let mut fp = (*self.fingerprint_of(state, snapshot, m)?).clone();
                    fp.weigh(&state.corpus);
                    self.scorer.group_support(&decision.weighed, &fp)
                });
            }
            let mean = scores.iter().sum::<f32>() / scores.len() as f32;
            scores.sort_unstable_by(|p, q| q.total_cmp(p));
            let top = STRAGGLERS.top.clamp(1, scores.len());
            let top_mean = scores[..top].iter().sum::<f32>() / top as f32;
            if top_mean >= STRAGGLERS.min_top_mean
                && mean >= STRAGGLERS.min_mean
                && best.is_none_or(|b| top_mean > b.0)
            {
                best = Some((top_mean, ticket, j));
            }
        }
        if let Some((_, ticket, j)) = best {
            let c = &candidates[j];
            decision.canonical = Some(if ticket == c.seq {
                c.fingerprint.clone()
            } else {
                self.fingerprint_of(state, snapshot, ticket)?
            });
            decision.ticket = Some(ticket);
            decision.matched = Some((c.seq, scored[j].0, c.order.clone()));
            decision.matched_weighed = Some(scored[j].1.clone());
        }
        Ok(())
    }

    /// Looks again at the tickets of an engine's first orders, with the document frequencies
    /// it has now: decisions made when it had seen a handful of orders weighed terms badly.
    /// A later ticket whose earliest members agree with an earlier open ticket's (best pair
    /// at the threshold, mean at the link threshold, as in the batch pass) is merged into it.
    /// Runs at fixed counts of orders, so the result depends only on the arrival order.
    fn second_look(&self, state: &mut State, snapshot: &Snapshot) -> Result<()> {
        let threshold = self.meta.threshold;
        let link_threshold = threshold * self.meta.link_ratio;
        let mut young: Vec<u64> = state
            .tickets
            .iter()
            .filter(|(&t, s)| t < SECOND_LOOK_TICKETS && !s.closed)
            .map(|(&t, _)| t)
            .collect();
        young.sort_unstable();
        let mut weighed: FxHashMap<u64, Fingerprint> = FxHashMap::default();
        for &t in &young {
            let reps = representatives(&state.tickets[&t].members);
            for m in reps {
                let mut fp = (*self.fingerprint_of(state, snapshot, m)?).clone();
                fp.weigh(&state.corpus);
                weighed.insert(m, fp);
            }
        }
        for (bi, &b) in young.iter().enumerate() {
            if !state.tickets.contains_key(&b) {
                continue;
            }
            let reps_b = representatives(&state.tickets[&b].members);
            let mut best: Option<(f32, u64)> = None;
            for &a in &young[..bi] {
                let Some(ta) = state.tickets.get(&a) else {
                    continue;
                };
                let reps_a = representatives(&ta.members);
                // Two single orders pair on any edge; a group grows only on an anchored one.
                let singles = ta.members.len() == 1 && state.tickets[&b].members.len() == 1;
                let (mut max, mut total, mut n) = (0.0f32, 0.0f32, 0usize);
                for x in &reps_a {
                    for y in &reps_b {
                        let (Some(fx), Some(fy)) = (weighed.get(x), weighed.get(y)) else {
                            continue;
                        };
                        let (s, anchor) = self.scorer.score_anchored(fx, fy);
                        if anchor || (singles && s >= UNANCHORED_PAIR) {
                            max = max.max(s);
                        }
                        total += self.scorer.group_support(fx, fy);
                        n += 1;
                    }
                }
                if n > 0
                    && max >= threshold
                    && total / n as f32 >= link_threshold
                    && best.is_none_or(|(bs, _)| max > bs)
                {
                    best = Some((max, a));
                }
            }
            if let Some((_, a)) = best {
                self.merge_tickets(state, a, b);
            }
        }
        Ok(())
    }

    /// Merges ticket `from` into the earlier ticket `into` and queues the merge's document.
    fn merge_tickets(&self, state: &mut State, into: u64, from: u64) {
        state.merge(into, from);
        let mut merge = TantivyDocument::new();
        merge.add_u64(self.fields.kind, KIND_MERGE);
        merge.add_u64(self.fields.ticket, into);
        merge.add_u64(self.fields.other, from);
        state.unsent.push(merge);
    }

    /// Stores a decided order in the state and queues its document.
    fn record(
        &self,
        state: &mut State,
        order: &Arc<WorkOrder>,
        fingerprint: &Arc<Fingerprint>,
        decision: &Decision,
    ) -> Result<u64> {
        let seq = state.slots.len() as u64;
        let ticket = decision.ticket.unwrap_or(seq);
        let minute = fingerprint.minute;
        let doc = self.document(seq, ticket, decision.recurrence_of, order, fingerprint)?;
        for &from in &decision.merged {
            self.merge_tickets(state, ticket, from);
        }
        state.push(
            seq,
            ticket,
            minute,
            order.id.clone(),
            decision.recurrence_of,
        );
        state.count_terms(seq, fingerprint);
        for (h, _) in &fingerprint.terms {
            state.pending_postings.entry(*h).or_default().push(seq);
        }
        state.pending.push(Pending {
            seq,
            fingerprint: fingerprint.clone(),
            order: order.clone(),
        });
        state.unsent.push(doc);
        Ok(seq)
    }

    fn document(
        &self,
        seq: u64,
        ticket: u64,
        recurrence_of: Option<u64>,
        order: &WorkOrder,
        fingerprint: &Fingerprint,
    ) -> Result<TantivyDocument> {
        let f = &self.fields;
        let (title, text) = self.analyzer.normalized(order);
        let mut doc = TantivyDocument::new();
        doc.add_text(f.body, format!("{title}\n{text}"));
        doc.add_u64(f.seq, seq);
        doc.add_u64(f.kind, KIND_ORDER);
        doc.add_u64(f.ticket, ticket);
        doc.add_i64(f.minute, fingerprint.minute.unwrap_or(NONE_I64));
        doc.add_u64(f.content_key, fingerprint.content_key);
        doc.add_u64(f.recurrence_of, recurrence_of.unwrap_or(NONE_U64));
        doc.add_text(f.order_id, order.id.as_str());
        doc.add_bytes(f.fingerprint, &postcard::to_stdvec(fingerprint)?);
        doc.add_text(f.order, serde_json::to_string(order)?);
        Ok(doc)
    }

    /// The order's terms (sorted, with their IDF) that the other order shares, most
    /// informative first (at most eight).
    fn shared_terms(&self, terms: &[String], idf: &[f32], other: &WorkOrder) -> Vec<SmolStr> {
        let mut b = self.analyzer.term_strings(other);
        b.sort_unstable();
        b.dedup();
        let mut shared: Vec<(f32, &String)> = terms
            .iter()
            .zip(idf)
            .filter(|(t, _)| b.binary_search(t).is_ok())
            .map(|(t, &w)| (w, t))
            .collect();
        shared.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.cmp(y.1)));
        shared
            .into_iter()
            .take(8)
            .map(|(_, t)| SmolStr::new(t))
            .collect()
    }

    /// Seeds an empty engine with a batch pass's result.
    fn seed(&self, orders: &[WorkOrder], batch: &crate::BatchOutput) -> Result<()> {
        if !self.lock_state().slots.is_empty() {
            return Err(Error::new(ErrorKind::Config(
                "can only seed an empty engine".into(),
            )));
        }
        // Arrival order: as the batch pass orders them (time, unknown last, then id).
        let mut sorted: Vec<usize> = (0..orders.len()).collect();
        sorted.sort_by(|&x, &y| {
            let (a, b) = (&orders[x], &orders[y]);
            (a.received.is_none(), a.received, &a.id).cmp(&(
                b.received.is_none(),
                b.received,
                &b.id,
            ))
        });
        let mut canonical_of: FxHashMap<&OrderId, &OrderId> = FxHashMap::default();
        for t in &batch.tickets {
            for m in &t.members {
                canonical_of.insert(&m.order_id, &t.canonical);
            }
        }
        let mut seq_of: FxHashMap<&OrderId, u64> = FxHashMap::default();
        for chunk in sorted.chunks(SEED_COMMIT_EVERY) {
            let fps: Vec<Fingerprint> = chunk
                .par_iter()
                .map(|&i| self.analyzer.fingerprint(&orders[i], &self.salt))
                .collect();
            let mut state = self.lock_state();
            for (&i, fp) in chunk.iter().zip(fps) {
                let order = &orders[i];
                let seq = state.slots.len() as u64;
                seq_of.insert(&order.id, seq);
                let canonical = canonical_of.get(&order.id).ok_or_else(|| {
                    Error::new(ErrorKind::Config(format!(
                        "order {:?} is in no batch ticket",
                        order.id.0
                    )))
                })?;
                let ticket = *seq_of.get(canonical).ok_or_else(|| {
                    Error::new(ErrorKind::Config(format!(
                        "ticket of {:?} has a canonical order that is not its earliest",
                        order.id.0
                    )))
                })?;
                let fp = Arc::new(fp);
                let doc = self.document(seq, ticket, None, order, &fp)?;
                state.push(seq, ticket, fp.minute, order.id.clone(), None);
                state.count_terms(seq, &fp);
                state.unsent.push(doc);
            }
            drop(state);
            self.commit()?;
        }
        Ok(())
    }
}

/// The members that stand for a ticket in the guard, as in the batch pass: its
/// [`REPRESENTATIVES`] earliest and its latest, each once, from `members` in arrival order.
fn representatives(members: &[u64]) -> Vec<u64> {
    let mut reps: Vec<u64> = members.iter().take(REPRESENTATIVES).copied().collect();
    if members.len() > REPRESENTATIVES {
        reps.extend(members.last());
    }
    reps
}

fn ticket_info(state: &State, seq: u64, t: &TicketState) -> TicketInfo {
    TicketInfo {
        ticket: Ticket::id_for(&state.order_ids[seq as usize]),
        canonical: state.order_ids[seq as usize].clone(),
        members: t
            .members
            .iter()
            .map(|&m| state.order_ids[m as usize].clone())
            .collect(),
        closed: t.closed,
        recurrence_of: t
            .recurrence_of
            .map(|r| Ticket::id_for(&state.order_ids[r as usize])),
    }
}

impl State {
    fn push(
        &mut self,
        seq: u64,
        ticket: u64,
        minute: Option<i64>,
        id: OrderId,
        recurrence_of: Option<u64>,
    ) {
        debug_assert_eq!(seq as usize, self.slots.len());
        self.slots.push(Slot { ticket });
        self.ids.insert(id.clone(), seq);
        self.order_ids.push(id);
        let t = self.tickets.entry(ticket).or_insert_with(|| TicketState {
            members: Vec::new(),
            last_minute: None,
            closed: false,
            recurrence_of,
        });
        t.members.push(seq);
        t.last_minute = t.last_minute.max(minute);
        self.max_minute = self.max_minute.max(minute);
    }

    /// Counts a new order's terms in the document frequencies, unless it repeats the content
    /// of an earlier order (reposts are counted once, as in the batch pass).
    fn count_terms(&mut self, seq: u64, fingerprint: &Fingerprint) {
        if let std::collections::hash_map::Entry::Vacant(v) =
            self.content_keys.entry(fingerprint.content_key)
        {
            v.insert(seq);
            self.corpus.add(fingerprint);
        }
    }

    /// Moves every member of ticket `from` into ticket `into` (an earlier one).
    fn merge(&mut self, into: u64, from: u64) {
        let Some(gone) = self.tickets.remove(&from) else {
            return;
        };
        for &m in &gone.members {
            self.slots[m as usize].ticket = into;
        }
        let t = self
            .tickets
            .get_mut(&into)
            .expect("merge into a live ticket");
        t.members.extend_from_slice(&gone.members);
        t.members.sort_unstable();
        t.last_minute = t.last_minute.max(gone.last_minute);
        self.merged_into.insert(from, into);
    }

    /// The live ticket that ticket `seq` is now part of.
    fn resolve(&self, mut seq: u64) -> u64 {
        while let Some(&next) = self.merged_into.get(&seq) {
            seq = next;
        }
        seq
    }

    fn pending_by_seq(&self, seq: u64) -> Option<&Pending> {
        let first = self.pending.first()?.seq;
        let p = self.pending.get(seq.checked_sub(first)? as usize)?;
        (p.seq == seq).then_some(p)
    }

    /// Drops pending orders up to `upto` (now visible in the index).
    fn prune(&mut self, upto: Option<u64>) {
        let Some(upto) = upto else { return };
        if self.pruned_upto >= Some(upto) {
            return;
        }
        self.pending.retain(|p| p.seq > upto);
        self.pruned_upto = Some(upto);
        self.pending_postings.clear();
        for p in &self.pending {
            for (h, _) in &p.fingerprint.terms {
                self.pending_postings.entry(*h).or_default().push(p.seq);
            }
        }
    }
}

/// Rebuilds the ticket state from the index's fast fields; returns the last sequence number.
fn rebuild_state(searcher: &Searcher, state: &mut State, dir: &Path) -> Result<Option<u64>> {
    let corrupt = |what: String| Error::new(ErrorKind::Corrupt(what)).in_file(dir.join("index"));
    let in_index = |e: tantivy::TantivyError| Error::from(e).in_file(dir.join("index"));
    struct Row {
        seq: u64,
        ticket: u64,
        minute: Option<i64>,
        key: u64,
        recurrence_of: Option<u64>,
        id: String,
    }
    let mut rows: Vec<Row> = Vec::with_capacity(searcher.num_docs() as usize);
    let mut closed: Vec<u64> = Vec::new();
    let mut merges: Vec<(u64, u64)> = Vec::new();
    for segment in searcher.segment_readers() {
        let ff = segment.fast_fields();
        let kind = ff.u64("kind").map_err(in_index)?;
        let seq = ff.u64("seq").map_err(in_index)?;
        let ticket = ff.u64("ticket").map_err(in_index)?;
        let minute = ff.i64("minute").map_err(in_index)?;
        let key = ff.u64("content_key").map_err(in_index)?;
        let recur = ff.u64("recurrence_of").map_err(in_index)?;
        let other = ff.u64("other").map_err(in_index)?;
        let ids = ff
            .str("order_id")
            .map_err(in_index)?
            .ok_or_else(|| corrupt("no order_id column".into()))?;
        // The ids' dictionary in one sequential pass (looking up each ordinal on its own
        // decompresses a block per document).
        let mut names: Vec<String> = Vec::new();
        let mut stream = ids
            .dictionary()
            .stream()
            .map_err(|e| corrupt(format!("order ids: {e}")))?;
        while stream.advance() {
            names.push(String::from_utf8_lossy(stream.key()).into_owned());
        }
        for doc in segment.doc_ids_alive() {
            let t = ticket
                .first(doc)
                .ok_or_else(|| corrupt(format!("document {doc} has no ticket")))?;
            match kind.first(doc) {
                Some(KIND_CLOSE) => {
                    closed.push(t);
                    continue;
                }
                Some(KIND_MERGE) => {
                    let from = other
                        .first(doc)
                        .ok_or_else(|| corrupt(format!("merge document {doc} has no source")))?;
                    merges.push((t, from));
                    continue;
                }
                _ => {}
            }
            let s = seq
                .first(doc)
                .ok_or_else(|| corrupt(format!("document {doc} has no seq")))?;
            let id = ids
                .ords()
                .first(doc)
                .and_then(|ord| names.get(ord as usize))
                .ok_or_else(|| corrupt(format!("order #{s} has no id")))?;
            rows.push(Row {
                seq: s,
                ticket: t,
                minute: minute.first(doc).filter(|&m| m != NONE_I64),
                key: key.first(doc).unwrap_or(0),
                recurrence_of: recur.first(doc).filter(|&r| r != NONE_U64),
                id: id.clone(),
            });
        }
    }
    rows.sort_unstable_by_key(|r| r.seq);
    for (i, r) in rows.iter().enumerate() {
        if r.seq != i as u64 {
            return Err(corrupt(format!(
                "order sequence has a gap or repeat at #{i} (found #{})",
                r.seq
            )));
        }
        if r.ticket > r.seq {
            return Err(corrupt(format!(
                "order #{} is in ticket #{} which comes after it",
                r.seq, r.ticket
            )));
        }
    }
    for r in rows {
        state.content_keys.entry(r.key).or_insert(r.seq);
        state.push(
            r.seq,
            r.ticket,
            r.minute,
            OrderId::from(r.id.as_str()),
            r.recurrence_of,
        );
    }
    merges.sort_unstable_by_key(|&(into, from)| (from, into));
    for (into, from) in merges {
        if into >= from || from as usize >= state.slots.len() {
            return Err(corrupt(format!("bad merge of ticket #{from} into #{into}")));
        }
        let into = state.resolve(into);
        state.merge(into, from);
    }
    for t in closed {
        let t = state.resolve(t);
        if let Some(t) = state.tickets.get_mut(&t) {
            t.closed = true;
        }
    }
    Ok(state.slots.len().checked_sub(1).map(|u| u as u64))
}

#[allow(dead_code)]
fn assert_send_sync() {
    fn is<T: Send + Sync>() {}
    is::<Engine>();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_stands_for_itself_by_its_earliest_and_latest_members() {
        assert_eq!(representatives(&[7]), [7]);
        assert_eq!(representatives(&[1, 2, 3]), [1, 2, 3]);
        assert_eq!(representatives(&[1, 2, 3, 4]), [1, 2, 3, 4]);
        // Members arrive in order: the last one is the latest.
        assert_eq!(representatives(&[1, 2, 3, 9, 12, 40]), [1, 2, 3, 40]);
    }
}
