//! Candidate pairs without comparing every order with every other.
//!
//! Each order is keyed by its heaviest TF-IDF terms and by the cores of the places it names.
//! An inverted index maps keys to orders; an order's candidates are the orders that share the
//! most key weight with it, at most [`CandidateConfig::max_candidates`] of them. Whole-text
//! near-duplicate methods (MinHash at Jaccard 0.5) miss most real duplicates, which share a
//! place and a problem rather than wording; ranking by shared *rare* keys finds them.
//!
//! Work stays near-linear: a key held by more than `2 × window` orders (a hot event, or a
//! common word) is only followed to the `window` orders on either side of the order in time,
//! so an event reported 5,000 times costs 5,000 × window visits, not 5,000².

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::fingerprint::{term_hash, Fingerprint, TermHash};

/// How candidates are chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateConfig {
    /// How many of an order's heaviest terms key it.
    pub key_terms: usize,
    /// The weight a shared place core adds to a candidate.
    pub place_weight: f32,
    /// How many candidates an order keeps, at most.
    pub max_candidates: usize,
    /// How far in time order a long posting list is followed on each side of an order.
    pub window: usize,
}

impl Default for CandidateConfig {
    fn default() -> Self {
        CandidateConfig {
            key_terms: 10,
            place_weight: 0.5,
            max_candidates: 12,
            window: 16,
        }
    }
}

/// How many of its rarest name pieces key a short post that names no place.
const NAME_PIECE_KEYS: usize = 3;

/// Marks a place key, apart from the same word as a content term.
const PLACE_KEY: TermHash = 0x9e37_79b9_7f4a_7c15;

fn place_key(core: &str) -> TermHash {
    term_hash(core) ^ PLACE_KEY
}

/// The keys (and their weights) an order is indexed under.
pub fn keys_of(fp: &Fingerprint, config: &CandidateConfig) -> Vec<(TermHash, f32)> {
    let mut keys = Vec::new();
    push_keys(fp, config, &mut keys);
    keys
}

/// Appends the keys of [`keys_of`] to `out` (sorted by key, distinct), reusing its memory.
fn push_keys(fp: &Fingerprint, config: &CandidateConfig, out: &mut Vec<(TermHash, f32)>) {
    let from = out.len();
    out.extend_from_slice(&fp.terms);
    // The heaviest terms, ties by hash: the same as `Fingerprint::key_terms`, without sorting
    // all of them.
    let heaviest =
        |a: &(TermHash, f32), b: &(TermHash, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    let k = config.key_terms;
    if out.len() - from > k {
        if k == 0 {
            out.truncate(from);
        } else {
            out[from..].select_nth_unstable_by(k - 1, heaviest);
            out.truncate(from + k);
        }
    }
    out[from..].sort_unstable_by(heaviest);
    for p in &fp.places {
        out.push((place_key(&p.core), config.place_weight));
    }
    // A short post (no title) that names no place ("枫桥这边工地还在打桩") often names one bare:
    // it is keyed by its rarest name pieces under the place key they would have as a whole
    // core (枫桥 of 枫桥雅苑), so it meets the reports that name the place even when those
    // words are not among its heaviest. A piece that is only part of a core (梧桐 of 梧桐汇)
    // does not meet it. (After weighing, entity terms are only words some place name of the
    // batch uses.) Letters with titles are left as they are: keyed this way, message-board
    // letters met many more letters about other matters of one town or policy, and the
    // scorer took some of them.
    if fp.places.is_empty() && fp.title.is_empty() && !fp.entity_terms.is_empty() {
        let start = out.len();
        out.extend_from_slice(&fp.entity_terms);
        let rarest =
            |a: &(TermHash, f32), b: &(TermHash, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        out[start..].sort_unstable_by(rarest);
        out.truncate(start + NAME_PIECE_KEYS.min(out.len() - start));
        for key in &mut out[start..] {
            *key = (key.0 ^ PLACE_KEY, config.place_weight);
        }
    }
    let keys = &mut out[from..];
    keys.sort_unstable_by_key(|(k, _)| *k);
    let mut kept = from;
    for i in from..out.len() {
        if i == from || out[i].0 != out[kept - 1].0 {
            out[kept] = out[i];
            kept += 1;
        }
    }
    out.truncate(kept);
}

/// Candidate pairs `(i, j)` with `i < j` among `fps`, sorted and unique.
///
/// `fps` must be in time order (the batch pass sorts orders by time received, then id), so
/// that posting lists are in time order too. Runs on the current rayon pool. The batch pass
/// uses [`CandidateLists`] instead, which holds the same pairs in half the memory.
pub fn candidate_pairs(fps: &[&Fingerprint], config: &CandidateConfig) -> Vec<(u32, u32)> {
    let lists = CandidateLists::build(fps, config);
    let mut pairs: Vec<(u32, u32)> = (0..fps.len() as u32)
        .into_par_iter()
        .flat_map_iter(|doc| lists.pairs_of(doc))
        .collect();
    pairs.par_sort_unstable();
    pairs
}

/// Each order's candidates, as flat arrays of sorted lists: a pair `(i, j)` is a candidate
/// when either order lists the other. Four bytes a listed candidate, where a vector of pairs
/// takes eight and more while it grows; the batch pass scores the pairs order by order with
/// [`CandidateLists::pairs_of`] and never holds them all.
#[derive(Debug, Clone, Default)]
pub struct CandidateLists {
    /// The lists of [`LIST_CHUNK`] orders at a time (as found, in parallel): where each
    /// order's list starts in the chunk's array (and, last, where the last one ends), and
    /// the candidates, sorted by index within each list.
    chunks: Vec<(Vec<u32>, Vec<u32>)>,
}

/// Orders whose candidates one rayon work item finds.
const LIST_CHUNK: usize = 2048;

impl CandidateLists {
    /// The candidates of every order of `fps`, which must be in time order (see
    /// [`candidate_pairs`]). Runs on the current rayon pool.
    pub fn build(fps: &[&Fingerprint], config: &CandidateConfig) -> CandidateLists {
        let n = fps.len();
        let KeyIndex {
            doc_start,
            doc_keys,
            post_start,
            postings,
        } = index_keys(fps, config);
        let doc_keys_of =
            |doc: usize| &doc_keys[doc_start[doc] as usize..doc_start[doc + 1] as usize];
        let docs: Vec<u32> = (0..n as u32).collect();
        let chunks = docs
            .par_chunks(LIST_CHUNK)
            .map_init(Scratch::default, |scratch, chunk| {
                let mut start = Vec::with_capacity(chunk.len() + 1);
                let mut others = Vec::new();
                for &doc in chunk {
                    start.push(others.len() as u32);
                    // The part of each key's posting list that is followed, and how many
                    // orders they hold at most (which sizes the accumulator).
                    scratch.slices.clear();
                    let mut visits = 0;
                    for key in doc_keys_of(doc as usize) {
                        let (first, end) =
                            (post_start[key.id as usize], post_start[key.id as usize + 1]);
                        let (from, to) = if (end - first) as usize <= 2 * config.window {
                            (first, end)
                        } else {
                            let window = config.window as u32;
                            (
                                key.at.saturating_sub(window).max(first),
                                key.at.saturating_add(window + 1).min(end),
                            )
                        };
                        scratch.slices.push((from, to, key.weight));
                        visits += (to - from) as usize;
                    }
                    scratch.reset(visits);
                    for i in 0..scratch.slices.len() {
                        let (from, to, w) = scratch.slices[i];
                        for &other in &postings[from as usize..to as usize] {
                            if other != doc {
                                scratch.add(other, w);
                            }
                        }
                    }
                    let from = others.len();
                    scratch.take_top(config.max_candidates, |other| others.push(other));
                    others[from..].sort_unstable();
                }
                start.push(others.len() as u32);
                others.shrink_to_fit();
                (start, others)
            })
            .collect();
        CandidateLists { chunks }
    }

    /// The orders `doc` lists as candidates, sorted.
    pub fn of(&self, doc: u32) -> &[u32] {
        let (start, others) = &self.chunks[doc as usize / LIST_CHUNK];
        let i = doc as usize % LIST_CHUNK;
        &others[start[i] as usize..start[i + 1] as usize]
    }

    /// The candidate pairs `(i, j)`, `i < j`, that `doc` owns: every pair is owned by exactly
    /// one of its orders (the one that lists the other, the earlier one if both do), so the
    /// pairs of all orders are all candidate pairs, each once. In increasing order of the
    /// other order.
    pub fn pairs_of(&self, doc: u32) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.of(doc)
            .iter()
            .copied()
            .filter(move |&other| other > doc || self.of(other).binary_search(&doc).is_err())
            .map(move |other| (doc.min(other), doc.max(other)))
    }
}

/// One key of one order in a [`KeyIndex`].
#[derive(Debug, Clone, Copy)]
struct DocKey {
    /// The key's dense id.
    id: u32,
    /// The key's weight in this order.
    weight: f32,
    /// Where this order sits in the postings array, inside the key's posting list: the
    /// middle of the window followed in a long list, known without searching the list.
    at: u32,
}

/// Every order's keys and every key's posting list, as flat arrays (CSR).
struct KeyIndex {
    /// Where each order's keys start in `doc_keys` (and, last, where the last one's end).
    doc_start: Vec<u32>,
    /// The keys of all orders.
    doc_keys: Vec<DocKey>,
    /// Where each key's posting list starts in `postings` (and, last, where the last ends).
    post_start: Vec<u32>,
    /// The posting lists: orders by index, each list in time order.
    postings: Vec<u32>,
}

/// The keys of a chunk of orders: how many keys each order has, then all their keys.
type ChunkKeys = (Vec<u32>, Vec<(TermHash, f32)>);

/// Keys every order, makes keys dense ids and builds posting lists as one flat array (CSR):
/// no hash lookups and no per-key vectors in the hot loop. Orders are added in index order,
/// so every posting list is sorted by time.
fn index_keys(fps: &[&Fingerprint], config: &CandidateConfig) -> KeyIndex {
    let n = fps.len();
    // Keys a chunk of orders at a time, flat: (how many keys each order has, the keys).
    let keys: Vec<ChunkKeys> = fps
        .par_chunks(LIST_CHUNK)
        .map(|chunk| {
            let mut lens = Vec::with_capacity(chunk.len());
            let mut keys = Vec::new();
            for fp in chunk {
                let from = keys.len();
                push_keys(fp, config, &mut keys);
                lens.push((keys.len() - from) as u32);
            }
            (lens, keys)
        })
        .collect();
    let mut id_of: FxHashMap<TermHash, u32> = FxHashMap::default();
    let unset = DocKey {
        id: 0,
        weight: 0.0,
        at: 0,
    };
    let mut doc_keys = touched_on_pool(unset, keys.iter().map(|(_, k)| k.len()).sum());
    let mut doc_start: Vec<u32> = Vec::with_capacity(n + 1);
    let mut df: Vec<u32> = Vec::new();
    let mut next_key = 0;
    // Each chunk's keys are freed as soon as they are converted.
    for (lens, chunk_keys) in keys {
        let mut at = 0;
        for len in lens {
            doc_start.push(next_key as u32);
            for &(k, weight) in &chunk_keys[at..at + len as usize] {
                let next = id_of.len() as u32;
                let id = *id_of.entry(k).or_insert(next);
                if id == next {
                    df.push(0);
                }
                df[id as usize] += 1;
                doc_keys[next_key] = DocKey { id, weight, at: 0 };
                next_key += 1;
            }
            at += len as usize;
        }
    }
    doc_start.push(next_key as u32);
    drop(id_of);
    let mut post_start: Vec<u32> = Vec::with_capacity(df.len() + 1);
    let mut total = 0u32;
    for &d in &df {
        post_start.push(total);
        total += d;
    }
    post_start.push(total);
    let mut fill: Vec<u32> = post_start[..df.len()].to_vec();
    let mut postings = touched_on_pool(0u32, total as usize);
    for doc in 0..n {
        for key in &mut doc_keys[doc_start[doc] as usize..doc_start[doc + 1] as usize] {
            let at = &mut fill[key.id as usize];
            postings[*at as usize] = doc as u32;
            key.at = *at;
            *at += 1;
        }
    }
    KeyIndex {
        doc_start,
        doc_keys,
        post_start,
        postings,
    }
}

/// A vector of `len` copies of `value`, written on the pool. Its memory is fresh from the OS,
/// and the first touch of a page costs more than the loops that fill it: at a million orders
/// (160 MB of keys, 80 MB of postings), one thread spent about half a second in page faults
/// while the other waited.
fn touched_on_pool<T: Copy + Send + Sync>(value: T, len: usize) -> Vec<T> {
    let mut v = Vec::with_capacity(len);
    v.par_extend(rayon::iter::repeat_n(value, len));
    v
}

/// One rayon task's accumulator of shared key weight: a small open-addressing table from
/// order to weight, sized for the order at hand (at most a few thousand orders are touched).
/// A dense array over all orders would do without hashing, but at a million orders it
/// outgrows the cache and each visit misses it: the table stays in the first levels.
#[derive(Default)]
struct Scratch {
    /// The parts of posting lists followed for the current order: (from, to, key weight),
    /// as ranges of the postings array, in key order.
    slices: Vec<(u32, u32, f32)>,
    /// `(order, weight)`, [`Scratch::FREE`] for a free slot; its first `mask + 1` slots are
    /// in use, the rest are free.
    table: Vec<(u32, f32)>,
    /// The table's size in use, minus one (a power of two minus one).
    mask: usize,
    /// The slots taken for the current order, in the order first taken.
    touched: Vec<u32>,
    /// Scratch of [`Scratch::take_top`].
    ranked: Vec<u64>,
}

impl Scratch {
    /// Not an order (orders are counted in `u32` and never reach it): a free slot.
    const FREE: u32 = u32::MAX;

    /// Makes room for up to `visits` orders (the table at most half full), all slots free.
    fn reset(&mut self, visits: usize) {
        let size = (2 * visits).next_power_of_two().max(16);
        if self.table.len() < size {
            self.table.resize(size, (Self::FREE, 0.0));
        }
        self.mask = size - 1;
    }

    /// Adds `w` to `other`'s weight for the current order. Sums are made in the same order
    /// (keys by hash, posting lists by time) whatever holds them: results are exact.
    #[inline]
    fn add(&mut self, other: u32, w: f32) {
        let mut i = (other.wrapping_mul(0x9e37_79b1) as usize) & self.mask;
        loop {
            let slot = &mut self.table[i];
            if slot.0 == other {
                slot.1 += w;
                return;
            }
            if slot.0 == Self::FREE {
                *slot = (other, 0.0);
                slot.1 += w;
                self.touched.push(i as u32);
                return;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Calls `emit` on the `k` heaviest orders touched (ties by index), then forgets them.
    fn take_top(&mut self, k: usize, mut emit: impl FnMut(u32)) {
        // Each order as one integer that sorts heaviest first, then by index: the weight's
        // bits in `f32::total_cmp` order, flipped, above the index. Selecting among integers
        // is cheaper than among pairs compared by a closure; the set chosen is the same.
        self.ranked.clear();
        for &i in &self.touched {
            let (other, w) = std::mem::replace(&mut self.table[i as usize], (Self::FREE, 0.0));
            if k == 0 {
                continue;
            }
            let w = w.to_bits() as i32;
            let ordered = (w ^ (((w >> 31) as u32) >> 1) as i32) as u32 ^ 0x8000_0000;
            self.ranked
                .push((u64::from(!ordered) << 32) | u64::from(other));
        }
        self.touched.clear();
        if self.ranked.len() > k && k > 0 {
            self.ranked.select_nth_unstable(k - 1);
            self.ranked.truncate(k);
        }
        for &r in &self.ranked {
            emit(r as u32);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::{Analyzer, CorpusStats};
    use crate::order::WorkOrder;

    #[test]
    fn orders_sharing_rare_keys_become_candidates() {
        let analyzer = Analyzer::new().unwrap();
        let texts = [
            "枫桥雅苑小区旁工地夜间施工噪音",
            "金沙路井盖缺失很危险",
            "枫桥雅苑工地半夜打桩吵死了",
            "翠湖湾物业费上涨",
            "金沙路上井盖没了",
        ];
        let mut fps: Vec<Fingerprint> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| analyzer.fingerprint(&WorkOrder::new(&i.to_string(), t), ""))
            .collect();
        let mut stats = CorpusStats::default();
        fps.iter().for_each(|f| stats.add(f));
        fps.iter_mut().for_each(|f| f.weigh(&stats));
        let refs: Vec<&Fingerprint> = fps.iter().collect();
        let config = CandidateConfig {
            max_candidates: 1,
            ..CandidateConfig::default()
        };
        let pairs = candidate_pairs(&refs, &config);
        assert!(pairs.contains(&(0, 2)), "{pairs:?}");
        assert!(pairs.contains(&(1, 4)), "{pairs:?}");
        assert!(pairs.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn a_short_post_is_keyed_by_the_name_pieces_of_places() {
        let analyzer = Analyzer::new().unwrap();
        let mut titled = WorkOrder::new("2", "枫桥这边工地晚上十一点还在打桩，吵得睡不着");
        titled.title = "工地夜间施工扰民".into();
        let orders = [
            WorkOrder::new("0", "枫桥小区旁边工地夜间施工噪音很大"),
            WorkOrder::new("1", "枫桥这边工地晚上十一点还在打桩，吵得睡不着"),
            titled,
        ];
        let mut fps: Vec<Fingerprint> =
            orders.iter().map(|o| analyzer.fingerprint(o, "")).collect();
        let mut stats = CorpusStats::default();
        fps.iter().for_each(|f| stats.add(f));
        fps.iter_mut().for_each(|f| f.weigh(&stats));
        let config = CandidateConfig::default();
        let has = |fp: &Fingerprint| {
            keys_of(fp, &config)
                .iter()
                .any(|(k, _)| *k == place_key("枫桥"))
        };
        assert!(has(&fps[0]), "the place itself");
        assert!(
            has(&fps[1]),
            "a post without title or place, by its name piece"
        );
        assert!(!has(&fps[2]), "a titled letter is keyed as before");
    }

    #[test]
    fn the_key_index_of_many_chunks_is_the_one_built_key_by_key() {
        // Orders spread over several chunks, with keys shared within and across chunks (some
        // in almost every order): the index must be what numbering the keys one at a time, in
        // order, and appending each order to its keys' lists gives.
        let analyzer = Analyzer::new().unwrap();
        let template = analyzer.fingerprint(&WorkOrder::new("0", "噪音"), "");
        let n = 2 * LIST_CHUNK + 777;
        let fps: Vec<Fingerprint> = (0..n as u64)
            .map(|i| {
                let mut fp = template.clone();
                fp.places.clear();
                let mut terms: Vec<(TermHash, f32)> = [i % 3, 10 + i % 97, 200 + i * 7 % 1009]
                    .iter()
                    .map(|&k| (k.wrapping_mul(0x9E37_79B9_7F4A_7C15), 0.1 + (k % 5) as f32))
                    .collect();
                terms.sort_unstable_by_key(|t| t.0);
                terms.dedup_by_key(|t| t.0);
                fp.terms = terms;
                fp
            })
            .collect();
        let refs: Vec<&Fingerprint> = fps.iter().collect();
        let config = CandidateConfig::default();
        let index = index_keys(&refs, &config);

        let mut id_of: FxHashMap<TermHash, u32> = FxHashMap::default();
        let mut lists: Vec<Vec<u32>> = Vec::new();
        for (doc, fp) in refs.iter().enumerate() {
            let keys = keys_of(fp, &config);
            let got =
                &index.doc_keys[index.doc_start[doc] as usize..index.doc_start[doc + 1] as usize];
            assert_eq!(got.len(), keys.len(), "order {doc}");
            for (key, (hash, weight)) in got.iter().zip(keys) {
                let next = id_of.len() as u32;
                let id = *id_of.entry(hash).or_insert(next);
                if id == next {
                    lists.push(Vec::new());
                }
                assert_eq!((key.id, key.weight), (id, weight), "order {doc}");
                let list = &mut lists[id as usize];
                assert_eq!(key.at, index.post_start[id as usize] + list.len() as u32);
                list.push(doc as u32);
            }
        }
        assert_eq!(index.post_start.len(), lists.len() + 1);
        for (id, list) in lists.iter().enumerate() {
            let (from, to) = (index.post_start[id], index.post_start[id + 1]);
            assert_eq!(
                &index.postings[from as usize..to as usize],
                list,
                "key {id}"
            );
        }
    }

    #[test]
    fn hot_keys_are_followed_only_within_the_window() {
        let analyzer = Analyzer::new().unwrap();
        let orders: Vec<WorkOrder> = (0..300)
            .map(|i| WorkOrder::new(&format!("{i:04}"), "枫桥雅苑搅拌站噪音扰民"))
            .collect();
        let fps: Vec<Fingerprint> = orders.iter().map(|o| analyzer.fingerprint(o, "")).collect();
        let refs: Vec<&Fingerprint> = fps.iter().collect();
        let config = CandidateConfig {
            window: 5,
            max_candidates: 100,
            ..CandidateConfig::default()
        };
        let pairs = candidate_pairs(&refs, &config);
        // Each order sees at most 2 × window others: linear, not quadratic.
        assert!(pairs.len() <= 300 * 5, "{}", pairs.len());
        assert!(pairs.iter().all(|(a, b)| b - a <= 5));
    }
}
