//! Per-order fingerprints: what the matcher knows of an order once its text has been read.
//!
//! [`Analyzer`] runs the text pipeline on one order (normalise → segment → extract) and keeps
//! only what scoring needs: hashed content terms with their counts, places, problems, the
//! normalised title and address, and a hash of the whole normalised content that spots exact
//! reposts. Terms are identified by a 64-bit hash, so that fingerprints can be built in
//! parallel without a shared vocabulary; [`CorpusStats`] then counts document frequencies and
//! [`Fingerprint::weigh`] turns counts into unit-length TF-IDF vectors.

use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

use chrono::NaiveDateTime;
use rustc_hash::{FxHashMap, FxHasher};
use smol_str::SmolStr;

use crate::error::Result;
use crate::order::{reporter_hash, Channel, WorkOrder};
use crate::text::{
    Normalizer, Place, PlaceFinder, PlaceKind, ProblemId, ProblemLexicon, Tokenizer,
};

/// A term's identity: a stable 64-bit hash of its text.
pub type TermHash = u64;

/// Hashes a term (stable across runs and platforms).
pub fn term_hash(term: &str) -> TermHash {
    let mut h = FxHasher::default();
    term.hash(&mut h);
    h.finish()
}

/// How many times a title term counts against a text term: titles name the main problem.
const TITLE_TERM_WEIGHT: f32 = 2.0;

/// Bumped whenever a code change alters what fingerprints hold, so stored ones are rebuilt.
const ANALYZER_REVISION: u32 = 17;

/// Cap on the characters of text used for matching; the full text is kept in outputs.
pub const DEFAULT_MAX_MATCH_CHARS: usize = 4000;

/// What the matcher keeps of one order.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Fingerprint {
    /// Content terms (hash, weight), sorted by hash. Raw counts until [`Fingerprint::weigh`],
    /// a unit-length TF-IDF vector after.
    pub terms: Vec<(TermHash, f32)>,
    /// Places and entities named in the title, text or address.
    pub places: Vec<Place>,
    /// Administrative units named: city, districts and counties, towns.
    pub admin: Vec<Place>,
    /// For each place, the hashes of the content terms of its core: a text holding all of
    /// them mentions the place even without its suffix ("枫桥的邻居们" for 枫桥雅苑).
    pub place_terms: Vec<Vec<TermHash>>,
    /// The content terms of all places' cores and full names, sorted: the words of the text
    /// that only name a place (a text may segment "溪星湾" whole, its core "溪星" apart).
    #[serde(default)]
    pub place_words: Vec<TermHash>,
    /// Content terms that may be parts of names ("澜庭", "润昇", "胖叔"): not complaint
    /// vocabulary. Weighing keeps those that some order of the corpus uses inside a place name
    /// (so "枫桥" counts once "枫桥雅苑" was seen) and sets their IDF.
    pub entity_terms: Vec<(TermHash, f32)>,
    /// Specific problem classes some full lexicon term names anywhere in the order.
    pub problems: Vec<ProblemId>,
    /// Weak problem evidence: generic classes ("noise", "smell") raised anywhere in the order,
    /// and specific classes only cue terms hint at (横幅, 救护车). They agree weakly and never
    /// conflict.
    pub generic_problems: Vec<ProblemId>,
    /// Specific problem classes full terms name in the title (the main problem, for long
    /// letters).
    pub title_problems: Vec<ProblemId>,
    /// Specific problem classes of the first sentence of the text that raises any: the main
    /// problem of an order without a title, where a letter lists others after it ("此外，…还存在
    /// …问题"). See [`Fingerprint::lead_problems`].
    #[serde(default)]
    pub opening_problems: Vec<ProblemId>,
    /// Variants of problem classes full terms name anywhere in the order, as `(class,
    /// variant)`, sorted: the kind of its problem ("烧烤" or "炒菜" cooking fumes). Two orders
    /// that name only different variants of a class they share disagree on it.
    #[serde(default)]
    pub problem_variants: Vec<(ProblemId, ProblemId)>,
    /// The normalised title without its template words ("关于…的投诉"); empty if none.
    pub title: String,
    /// Whether the order speaks for the side being complained about or against the usual
    /// demand ("反对加装电梯", "养殖场被要求关停"): its title (or opening) has a counter cue.
    pub counter_stance: bool,
    /// The normalised address (empty if none).
    pub address: String,
    /// Hash of the normalised title, text and address: equal for exact reposts.
    pub content_key: u64,
    /// Minutes since the Unix epoch, if the time received is known.
    pub minute: Option<i64>,
    /// The channel.
    pub channel: Channel,
    /// Hash of the trimmed reporter, if known.
    pub reporter: Option<u64>,
    /// Hash of the category, if known.
    pub category: Option<u64>,
}

/// Runs the text pipeline on orders. Build one per process and share it (`Send + Sync`).
#[derive(Debug, Clone)]
pub struct Analyzer {
    normalizer: Normalizer,
    tokenizer: Tokenizer,
    problems: ProblemLexicon,
    places: PlaceFinder,
    max_match_chars: usize,
    /// [`OPPOSED_FACILITIES`] as classes of `problems`, sorted.
    opposed_facilities: Vec<ProblemId>,
    /// [`PROBLEM_COUNTER_CUES`] by class of `problems`.
    problem_counter_cues: Vec<(ProblemId, &'static [&'static str])>,
}

impl Analyzer {
    /// An analyzer with the shipped dictionaries.
    pub fn new() -> Result<Analyzer> {
        Ok(Analyzer::with_tokenizer(Tokenizer::new()?))
    }

    /// An analyzer around a tokenizer built elsewhere (with a user dictionary, say).
    pub fn with_tokenizer(tokenizer: Tokenizer) -> Analyzer {
        let problems = ProblemLexicon::shipped();
        let mut opposed_facilities: Vec<ProblemId> = OPPOSED_FACILITIES
            .iter()
            .filter_map(|id| problems.class(id))
            .collect();
        opposed_facilities.sort_unstable();
        let problem_counter_cues = PROBLEM_COUNTER_CUES
            .iter()
            .filter_map(|(id, cues)| Some((problems.class(id)?, *cues)))
            .collect();
        Analyzer {
            normalizer: Normalizer::new(),
            tokenizer,
            problems,
            places: PlaceFinder::new(),
            max_match_chars: DEFAULT_MAX_MATCH_CHARS,
            opposed_facilities,
            problem_counter_cues,
        }
    }

    /// Sets how many characters of an order's text are used for matching.
    pub fn set_max_match_chars(&mut self, chars: usize) {
        self.max_match_chars = chars.max(1);
    }

    /// The normaliser.
    pub fn normalizer(&self) -> &Normalizer {
        &self.normalizer
    }

    /// The tokenizer.
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// The problem lexicon.
    pub fn problems(&self) -> &ProblemLexicon {
        &self.problems
    }

    /// A signature of everything that decides what a fingerprint holds: the dictionaries,
    /// stop words, normaliser tables, problem lexicon and the text cap. Fingerprints made by
    /// analyzers with different signatures must not be compared (on-disk state keeps it).
    pub fn signature(&self) -> u64 {
        let mut h = FxHasher::default();
        ANALYZER_REVISION.hash(&mut h);
        self.tokenizer.fingerprint().hash(&mut h);
        crate::text::normalize::TABLES_SIGNATURE_SOURCES.hash(&mut h);
        crate::text::extract::LEXICON_SOURCE.hash(&mut h);
        self.max_match_chars.hash(&mut h);
        h.finish()
    }

    /// How likely a document of ordinary Chinese is to hold `word`, from jieba's dictionary
    /// frequency (about sixty words a document); rare for words it does not hold. A prior for
    /// document frequencies while a corpus is small (see [`CorpusStats::prior_docs`]).
    pub fn prior_probability(&self, word: &str) -> f32 {
        const TOTAL_FREQ: f32 = 60_000_000.0;
        const WORDS_PER_DOC: f32 = 60.0;
        match self.tokenizer.word_freq(word) {
            Some(f) if f > 0 => {
                (1.0 - (-(WORDS_PER_DOC * f as f32) / TOTAL_FREQ).exp()).clamp(RARE_PRIOR, 0.5)
            }
            _ => RARE_PRIOR,
        }
    }

    /// The normalised title and (capped) text of an order.
    pub fn normalized(&self, order: &WorkOrder) -> (String, String) {
        let title = self.normalizer.normalize(&order.title);
        let text = self
            .normalizer
            .normalize(cap_chars(&order.text, self.max_match_chars));
        (title, text)
    }

    /// The content terms of an order's title and text, as strings (for explanations).
    pub fn term_strings(&self, order: &WorkOrder) -> Vec<String> {
        let (title, text) = self.normalized(order);
        let mut terms = Vec::new();
        self.tokenizer.content_terms(&title, &mut terms);
        self.tokenizer.content_terms(&text, &mut terms);
        terms.into_iter().map(str::to_string).collect()
    }

    /// Fingerprints one order. `salt` is the reporter-hash salt.
    pub fn fingerprint(&self, order: &WorkOrder, salt: &str) -> Fingerprint {
        self.fingerprint_with_terms(order, salt, |_, _| {})
    }

    /// Fingerprints one order and calls `on_term` with every content term of its title and
    /// text (hash and text, once per distinct term): the batch pass keeps a vocabulary from
    /// it, so that explanations can name shared terms without segmenting the text again.
    pub fn fingerprint_with_terms(
        &self,
        order: &WorkOrder,
        salt: &str,
        on_term: impl FnMut(TermHash, &str),
    ) -> Fingerprint {
        self.fingerprint_memoized(order, salt, &mut FingerprintMemo::default(), on_term)
    }

    /// [`Analyzer::fingerprint_with_terms`], looking up in `memo` (and adding to it) what
    /// earlier orders taught about their words and places: the same result, with each distinct
    /// word and place judged once per memo. `on_term` hears of each term once per memo.
    pub(crate) fn fingerprint_memoized(
        &self,
        order: &WorkOrder,
        salt: &str,
        memo: &mut FingerprintMemo,
        mut on_term: impl FnMut(TermHash, &str),
    ) -> Fingerprint {
        let (title, text) = self.normalized(order);
        let address = order
            .address
            .as_deref()
            .map(|a| self.normalizer.normalize(a))
            .unwrap_or_default();

        // The memo's map, empty but with the capacity earlier orders gave it.
        let mut counts = std::mem::take(&mut memo.counts);
        let mut entity_terms: Vec<(TermHash, f32)> = Vec::new();
        // Each word is hashed once, and what it is (a stop word or a content term, a possible
        // part of a name) is looked up by that hash: terms are known by their hash anyway.
        let words = &mut memo.words;
        let mut add = |w: &str, weight: f32| {
            let h = term_hash(w);
            let facts = words.get_or_insert(h, || {
                let content = !self.tokenizer.is_stopword(w);
                WordFacts {
                    content,
                    entity: content && self.is_entity_word(w),
                    announced: false,
                }
            });
            if !facts.content {
                return;
            }
            let count = counts.entry(h).or_default();
            if *count == 0.0 {
                if !facts.announced {
                    words.announce(h);
                    on_term(h, w);
                }
                if facts.entity {
                    entity_terms.push((h, 0.0));
                }
            }
            *count += weight;
        };
        self.tokenizer
            .lettered_words(&title, |w| add(w, TITLE_TERM_WEIGHT));
        self.tokenizer.lettered_words(&text, |w| add(w, 1.0));
        entity_terms.sort_unstable_by_key(|(h, _)| *h);
        let mut terms: Vec<(TermHash, f32)> = counts.drain().collect();
        terms.sort_unstable_by_key(|(h, _)| *h);
        memo.counts = counts;

        let mut places = Vec::new();
        self.places.find(&title, &mut places);
        self.places.find(&text, &mut places);
        self.places.find(&address, &mut places);
        places.retain_mut(|p| memo.clean_place(p, |p| self.clean_place(p)));
        let mut admin = Vec::new();
        self.places.find_admin(&title, &mut admin);
        self.places.find_admin(&text, &mut admin);
        self.places.find_admin(&address, &mut admin);
        admin.sort();
        admin.dedup();
        places.sort();
        places.dedup_by(crate::text::extract::same_place_keeping_number);
        let place_terms: Vec<Vec<TermHash>> = places
            .iter()
            .map(|p| memo.core_terms(&p.core, |core| self.core_term_hashes(core)))
            .collect();

        let mut place_words: Vec<TermHash> = place_terms.iter().flatten().copied().collect();
        for p in &places {
            place_words.extend(memo.core_terms(&p.name, |name| self.core_term_hashes(name)));
        }
        place_words.sort_unstable();
        place_words.dedup();
        place_words.shrink_to_fit();

        let (mut title_problems, mut title_cued) = (Vec::new(), Vec::new());
        let mut problem_variants = Vec::new();
        self.problems.find_graded_with_variants(
            &title,
            &mut title_problems,
            &mut title_cued,
            &mut problem_variants,
        );
        let (mut problems, mut cued) = (Vec::new(), Vec::new());
        let mut opening_problems = Vec::new();
        // Without a title, the first sentence that raises a specific problem names the main
        // one: found in the same scan of the text (no lexicon term spans two sentences).
        let opening = title_problems
            .iter()
            .all(|p| self.problems.is_generic(*p))
            .then_some(&mut opening_problems);
        self.problems.find_graded_opening(
            &text,
            &mut problems,
            &mut cued,
            &mut problem_variants,
            opening,
        );
        problem_variants.sort_unstable();
        problem_variants.dedup();
        problem_variants.shrink_to_fit();
        problems.extend_from_slice(&title_problems);
        problems.sort_unstable();
        problems.dedup();
        let (mut generic_problems, problems): (Vec<ProblemId>, Vec<ProblemId>) = problems
            .into_iter()
            .partition(|p| self.problems.is_generic(*p));
        // Classes only cues hint at are weak evidence, like the generic ones.
        generic_problems.extend(
            cued.iter()
                .chain(&title_cued)
                .filter(|p| problems.binary_search(p).is_err()),
        );
        generic_problems.sort_unstable();
        generic_problems.dedup();
        title_problems.retain(|p| !self.problems.is_generic(*p));

        let mut key = FxHasher::default();
        title.hash(&mut key);
        text.hash(&mut key);
        address.hash(&mut key);

        let lead_problems = if title_problems.is_empty() {
            &opening_problems
        } else {
            &title_problems
        };
        let counter_stance = {
            // Against a base station or a refuse station, opposing is the complaint itself.
            let opposing_is_the_complaint = lead_problems
                .iter()
                .any(|p| self.opposed_facilities.binary_search(p).is_ok());
            let head: &str = if title.is_empty() {
                cap_chars(&text, 60)
            } else {
                &title
            };
            // One scan for every cue (none overlaps itself, so every occurrence of each is
            // seen, as searching for each in turn sees them).
            counter_cues().find_overlapping_iter(head).any(|m| {
                let at = m.start();
                let cue = m.pattern().as_usize();
                if cue < COUNTER_STANCE_CUES.len() {
                    if opposing_is_the_complaint && cue < OPPOSITION_CUES {
                        return false;
                    }
                    let after = &head[m.end()..];
                    let undone = COUNTER_CUES_UNDONE.iter().any(|(c, next)| {
                        *c == COUNTER_STANCE_CUES[cue] && next.iter().any(|w| after.starts_with(w))
                    });
                    if undone {
                        return false;
                    }
                    // "一楼反对就办不成吗", "个别住户反对": others push back, the writer
                    // asks for the thing.
                    let start = head[..at].char_indices().rev().nth(3).map_or(0, |(i, _)| i);
                    !THIRD_PARTIES.iter().any(|t| head[start..at].contains(t))
                } else {
                    let after = cap_chars(&head[m.end()..], 12);
                    ENFORCEMENT_WORDS.iter().any(|w| after.contains(w))
                }
            })
            // Some problems have two sides whose letters say which they are on without
            // saying 反对: a lift's neighbours write of their light and privacy. Only where
            // the order is about that problem (its title or opening raises it), not where a
            // long letter mentions it among others.
            || self.problem_counter_cues.iter().any(|(class, cues)| {
                lead_problems.contains(class)
                    && cues.iter().any(|c| title.contains(c) || text.contains(c))
            })
        };
        let title = strip_title_template(&title);
        // Fingerprints live for the whole batch pass, a million at a time: no spare capacity.
        let mut place_terms: Vec<Vec<TermHash>> = place_terms;
        let (mut problems, mut generic_problems) = (problems, generic_problems);
        for p in places.iter_mut().chain(admin.iter_mut()) {
            p.name.shrink_to_fit();
            p.core.shrink_to_fit();
        }
        for t in &mut place_terms {
            t.shrink_to_fit();
        }
        places.shrink_to_fit();
        admin.shrink_to_fit();
        place_terms.shrink_to_fit();
        entity_terms.shrink_to_fit();
        problems.shrink_to_fit();
        generic_problems.shrink_to_fit();
        title_problems.shrink_to_fit();
        opening_problems.shrink_to_fit();
        Fingerprint {
            address: address.clone(),
            counter_stance,
            terms,
            places,
            admin,
            place_terms,
            place_words,
            entity_terms,
            problems,
            generic_problems,
            title_problems,
            opening_problems,
            problem_variants,
            title,
            content_key: key.finish(),
            minute: order.received.map(minute_of),
            channel: order.channel,
            reporter: order
                .reporter
                .as_deref()
                .map(|r| term_hash(&reporter_hash(salt, r))),
            category: order.category.as_deref().map(|c| {
                // Orders share a few categories: each is normalised once per memo.
                if let Some(&h) = memo.category.get(c) {
                    return h;
                }
                let h = term_hash(&self.normalizer.normalize(c));
                memo.category.insert(c.into(), h);
                h
            }),
        }
    }
}

/// A place's kind and core as found (its name is the key) and its cleaned name and core, if any.
type CleanedPlace = (PlaceKind, SmolStr, Option<(String, String)>);

/// What fingerprinting learnt about words and place names, whichever order held them: whether a
/// word may be part of a name, what a found place is once cleaned, which terms a place core
/// holds. Those answers depend on the word or place alone, and segmenting a place core again
/// or testing a word against every lexicon costs more than a lookup; the batch pass keeps one
/// memo per rayon task.
#[derive(Debug, Default)]
pub(crate) struct FingerprintMemo {
    /// What each word seen is, by its hash: terms are known by their hash everywhere else
    /// too, and a hash is cheaper to look up than the word.
    words: WordTable,
    /// [`Analyzer::clean_place`], by the name as found, then kind and core as found: the
    /// cleaned name and core, or `None` if it is no place.
    clean: FxHashMap<SmolStr, Vec<CleanedPlace>>,
    /// The content-term hashes of a place core, sorted and distinct.
    core_terms: FxHashMap<SmolStr, Vec<TermHash>>,
    /// Scratch: one order's term counts (empty between orders; kept for its capacity).
    counts: FxHashMap<TermHash, f32>,
    /// The hash of each category as written, once normalised.
    category: FxHashMap<SmolStr, u64>,
}

/// What a memo knows of a word (with a letter in it).
#[derive(Debug, Clone, Copy)]
struct WordFacts {
    /// A content term: not a stop word.
    content: bool,
    /// [`Analyzer::is_entity_word`].
    entity: bool,
    /// Whether the caller's `on_term` was told of it already.
    announced: bool,
}

/// What a memo knows of each word, by its hash: a map, and once the map is large, the facts of
/// recently seen words copied into a small array in front of it.
///
/// Every word of every order is looked up, and at a million orders the map holds about 65k
/// words per thread, scattered over a megabyte: in a profile of such a pass, three quarters of
/// the samples of the code that looks words up waited for the map's memory. The words that
/// make up most text are few, and the array keeps them in 64 KB. A memo for one order (see
/// [`Analyzer::fingerprint`]) never grows that large and never pays for the array.
#[derive(Debug, Default)]
struct WordTable {
    /// Slot [`WordTable::slot`] of a hash: the last word seen there and its facts. Empty
    /// until `all` holds as many words as it has slots.
    recent: Box<[Option<(TermHash, WordFacts)>]>,
    /// Every word seen.
    all: FxHashMap<TermHash, WordFacts>,
}

/// The number of slots of [`WordTable::recent`], as a power of two.
const RECENT_WORD_BITS: u32 = 12;

impl WordTable {
    fn slot(h: TermHash) -> usize {
        // Fibonacci hashing: the high bits of the product depend on every bit of the hash.
        (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (u64::BITS - RECENT_WORD_BITS)) as usize
    }

    /// The facts of the word hashed `h`, made by `make` if it is new.
    #[inline]
    fn get_or_insert(&mut self, h: TermHash, make: impl FnOnce() -> WordFacts) -> WordFacts {
        let slot = Self::slot(h);
        if let Some(&Some((known, facts))) = self.recent.get(slot) {
            if known == h {
                return facts;
            }
        }
        let facts = *self.all.entry(h).or_insert_with(make);
        if self.recent.is_empty() && self.all.len() >= 1 << RECENT_WORD_BITS {
            self.recent = vec![None; 1 << RECENT_WORD_BITS].into_boxed_slice();
        }
        if let Some(recent) = self.recent.get_mut(slot) {
            *recent = Some((h, facts));
        }
        facts
    }

    /// Notes that the caller was told of the word hashed `h` (which must be known).
    fn announce(&mut self, h: TermHash) {
        if let Some(facts) = self.all.get_mut(&h) {
            facts.announced = true;
        }
        if let Some(Some((known, facts))) = self.recent.get_mut(Self::slot(h)) {
            if *known == h {
                facts.announced = true;
            }
        }
    }
}

impl FingerprintMemo {
    fn clean_place(&mut self, place: &mut Place, clean: impl FnOnce(&mut Place) -> bool) -> bool {
        let known = self.clean.get(place.name.as_str()).and_then(|v| {
            v.iter()
                .find(|(kind, core, _)| *kind == place.kind && **core == *place.core)
        });
        if let Some((_, _, cleaned)) = known {
            // Into the place's own strings: most places come out as they went in.
            return match cleaned {
                Some((name, core)) => {
                    place.name.clone_from(name);
                    place.core.clone_from(core);
                    true
                }
                None => false,
            };
        }
        let mut p = place.clone();
        let cleaned = clean(&mut p).then_some((p.name, p.core));
        self.clean
            .entry(place.name.as_str().into())
            .or_default()
            .push((place.kind, place.core.as_str().into(), cleaned.clone()));
        match cleaned {
            Some((name, core)) => {
                place.name = name;
                place.core = core;
                true
            }
            None => false,
        }
    }

    fn core_terms(
        &mut self,
        core: &str,
        terms: impl FnOnce(&str) -> Vec<TermHash>,
    ) -> Vec<TermHash> {
        if let Some(t) = self.core_terms.get(core) {
            return t.clone();
        }
        let t = terms(core);
        self.core_terms.insert(core.into(), t.clone());
        t
    }
}

impl Analyzer {
    /// The hashes of the content terms of a place's core or name, sorted and deduplicated
    /// (one function for both: the memo caches them by string, whichever asks first).
    fn core_term_hashes(&self, core: &str) -> Vec<TermHash> {
        let mut words = Vec::new();
        self.tokenizer.content_terms(core, &mut words);
        let mut hashes: Vec<TermHash> = words.into_iter().map(term_hash).collect();
        hashes.sort_unstable();
        hashes.dedup();
        hashes
    }

    /// Whether a word may be part of a name: two or more characters, not only ASCII, not a
    /// stop word, domain term, problem term or administrative unit.
    fn is_entity_word(&self, w: &str) -> bool {
        let tok = &self.tokenizer;
        w.chars().count() >= 2
            && !w.is_ascii()
            && !w.ends_with(['区', '县', '市', '镇', '乡', '省'])
            && !tok.is_stopword(w)
            && !tok.is_domain_word(w)
            && !GENERIC_CORE_WORDS.contains(&w)
            && !self.problems.mentions_any(w)
            && !is_time_word(w)
            && !is_direction_word(w)
    }

    /// Trims a found place to its name and says whether it is one.
    ///
    /// Words of the complaint's vocabulary (燃气, 混凝土, 培训机构) and stop words at either end
    /// of the core are cut off ("求燃气公司" has no name left; "开发商江城" keeps 江城); a
    /// one-character core survives only if core and suffix are not an ordinary word together
    /// (澜庭 yes, 果园 no).
    fn clean_place(&self, place: &mut Place) -> bool {
        if place.kind == PlaceKind::Route {
            return true;
        }
        // 人民路, 解放东路, 五一大道: the ordinary words that name roads in city after city are
        // names there, though vocabulary anywhere else.
        if place.kind == PlaceKind::Road && COMMON_ROAD_NAMES.contains(&place.core.as_str()) {
            return true;
        }
        let suffix = place.name[place.core.len()..].to_string();
        let words = self.tokenizer.segment(&place.core);
        let tok = &self.tokenizer;
        // Vocabulary, not a name: stop words, domain terms, common words (jieba counts 施工,
        // 实验, 项目 in the thousands, 枫桥 or 砚池 in the tens) and a few words that name
        // kinds of places in this domain.
        let generic = |w: &str| {
            tok.is_stopword(w)
                || tok.is_domain_word(w)
                || GENERIC_CORE_WORDS.contains(&w)
                || is_time_word(w)
                || !w.chars().any(|c| c.is_alphabetic())
                || tok.word_freq(w).is_some_and(|f| f >= COMMON_WORD_FREQ)
        };
        // Two characters that jieba leaves single and that make no common word together ("洲和",
        // "晨都", "新岛" of residential compounds, "湘和" of a company): a name, whatever each
        // character means alone. A company's trade after them is no part of its name
        // ("湘和建筑工程有限公司").
        let mut named = &words[..];
        if place.kind == PlaceKind::Company {
            while let [head @ .., last] = named {
                if head.len() < 2 || last.chars().count() < 2 || !generic(last) {
                    break;
                }
                named = head;
            }
        }
        if matches!(
            place.kind,
            PlaceKind::Residential
                | PlaceKind::Company
                | PlaceKind::Road
                | PlaceKind::School
                | PlaceKind::Village
        ) && named.len() == 2
            && named
                .iter()
                .all(|w| w.chars().count() == 1 && w.chars().all(char::is_alphabetic))
        {
            let core = named.concat();
            if tok.word_freq(&core).is_none_or(|f| f < RARE_WORD_FREQ) {
                place.name = [core.as_str(), suffix.as_str()].concat();
                place.core = core;
                return true;
            }
        }
        // At the end, a single character is only cut when it is a stop word: it is often a
        // suffix the core already holds ("鸬鹚湾" of the road 鸬鹚湾路), and never where the
        // names of residential compounds often end with it (盛世华都).
        let generic_end = |w: &str| {
            if w.chars().count() == 1 {
                tok.is_stopword(w)
                    && !(matches!(
                        place.kind,
                        PlaceKind::Residential | PlaceKind::Company | PlaceKind::Road
                    ) && w
                        .chars()
                        .next()
                        .is_some_and(crate::text::extract::is_weak_name_boundary))
            } else {
                generic(w)
            }
        };
        let start = words.iter().position(|w| !generic(w));
        let end = words.iter().rposition(|w| !generic_end(w));
        let (Some(start), Some(end)) = (start, end) else {
            return false;
        };
        let core: String = words[start..=end].concat();
        let chars = core.chars().count();
        if chars == 0 {
            return false;
        }
        // "五组村口": a village's group by its number, not a village.
        if core
            .strip_suffix('组')
            .is_some_and(|n| !n.is_empty() && crate::text::extract::is_numbered(n))
        {
            return false;
        }
        // Functional suffixes (公司, 工地, 医院) follow ordinary words as often as names
        // ("劳务公司", "供电公司"): there the core needs a rare word to be a name.
        // 学校 too: "暑假学校", "这所民办学校".
        if (matches!(
            place.kind,
            PlaceKind::Company
                | PlaceKind::Site
                | PlaceKind::Business
                | PlaceKind::Hospital
                | PlaceKind::Public
        ) || suffix == "学校")
            && words[start..=end].iter().all(|w| {
                // Single characters say nothing either way: jieba counts each of them high.
                w.chars().count() >= 2 && tok.word_freq(w).is_some_and(|f| f >= RARE_WORD_FREQ)
            })
        {
            return false;
        }
        // "里" ends lane names (蕉窗里) but far more often means "inside" (天井里, 房价里,
        // 井里, 往屋里): after an ordinary word, or where it makes a word with the character
        // before it (屋里, 村里, 夜里), it is not a place.
        if suffix == "里" {
            let last = words[end];
            let last_char = core.chars().next_back().unwrap_or_default();
            let ordinary = if tok.knows_word(&format!("{last_char}里")) {
                true
            } else if chars == 1 {
                tok.word_freq(last)
                    .is_some_and(|f| f >= COMMON_WORD_FREQ / 2)
            } else {
                last.chars().count() >= 2
                    && tok.word_freq(last).is_some_and(|f| f >= RARE_WORD_FREQ)
            };
            if ordinary {
                return false;
            }
        }
        if chars == 1 {
            let name = [core.as_str(), suffix.as_str()].concat();
            if suffix.chars().count() != 1 || suffix == "城" || tok.knows_word(&name) {
                return false;
            }
        }
        place.name = [core.as_str(), suffix.as_str()].concat();
        place.core = core;
        true
    }
}

/// jieba frequency from which a word is ordinary vocabulary rather than part of a name.
const COMMON_WORD_FREQ: usize = 2000;

/// Ordinary words that name roads in most Chinese cities (人民路, 解放路, 中山路, 五一大道,
/// 长江北路). As a road's core they are its name, where the vocabulary rule of
/// [`Analyzer::clean_place`] would drop them. Words that also run before 路上 in a figure of
/// speech (前进, 发展) are left out.
const COMMON_ROAD_NAMES: &[&str] = &[
    "人民", "解放", "中山", "胜利", "和平", "光明", "幸福", "文化", "新华", "友谊", "青年", "工业",
    "科技", "学院", "车站", "劳动", "迎宾", "朝阳", "五一", "五四", "长江", "黄河", "东风", "红旗",
    "团结", "建国", "民主", "复兴", "振兴", "繁荣", "富强", "育才", "体育", "环城", "滨江", "滨河",
    "沿江", "沿河", "府前", "北京", "南京", "上海", "延安", "中华", "新民", "跃进", "东方", "世纪",
    "太平", "长安", "永安",
];

/// jieba frequency below which a word is rare enough to name a company or site.
const RARE_WORD_FREQ: usize = 100;

/// Whether a word is a direction with a road or position ("东路", "北门", "南侧"): the end
/// of many names, the name of none.
fn is_direction_word(w: &str) -> bool {
    let mut chars = w.chars();
    matches!(
        (chars.next(), chars.next(), chars.next()),
        (
            Some('东' | '西' | '南' | '北' | '中'),
            Some('路' | '街' | '门' | '面' | '侧' | '边' | '段' | '区'),
            None
        )
    )
}

/// Whether a word only says when: a month, day or part of one, with or without its number
/// ("十一月", "中旬", "月初", "今年", "三天"). Letters are full of them ("十二月小区门口又…"),
/// and one read as a name makes every letter written that month look like one place.
fn is_time_word(w: &str) -> bool {
    const UNITS: &[&str] = &[
        "月", "日", "年", "天", "周", "月份", "年份", "月初", "月底", "月中", "月末", "年初",
        "年底", "年末", "星期", "上旬", "中旬", "下旬",
    ];
    // Not 上/中/下: "中天" is a developer's name as often as a time.
    let rest = w.trim_start_matches(|c: char| {
        c.is_ascii_digit() || "零一二三四五六七八九十两几今去前本每半".contains(c)
    });
    rest.len() < w.len() && UNITS.contains(&rest) || UNITS.contains(&w) && w.chars().count() >= 2
}

/// Words that often stand before a place suffix without being a name ("老旧小区", "公交公司").
const GENERIC_CORE_WORDS: &[&str] = &[
    "水泥",
    "泥巴",
    "柏油",
    "高档",
    "高端",
    "知名",
    "大型",
    "普通",
    "必经",
    "老旧",
    "公办",
    "公立",
    "民办",
    "私立",
    "普惠",
    "普惠性",
    "优质",
    "正规",
    "非法",
    "无证",
    "混凝土",
    "公交",
    "维保",
    "物业",
    "开发",
    "建筑",
    "施工",
    "房地产",
    "置业",
    "商品",
    "安置",
    "回迁",
    "保障",
    "廉租",
    "公租",
    "拆迁",
    "农民",
    "同班",
    "附属",
    "配套",
    "新建",
    "在建",
    "周边",
    "相关",
    "涉事",
    "该",
    "本",
    "此",
    "某",
    "全",
    "各",
    "多个",
    "一些",
    "农贸",
    "批发",
    "建材",
    "农产品",
    "综合",
    // Trades in company names: "樱景建筑工程有限公司" is named 樱景.
    "科技",
    "电子",
    "电子科技",
    "环保科技",
    "教育科技",
    "信息技术",
    "建筑工程",
    "建筑",
    "工程",
    "建设",
    "化工",
    "食品",
    "新材料",
    "材料",
    "机械",
    "机械制造",
    "制造",
    "纺织",
    "服装",
    "餐饮",
    "餐饮管理",
    "管理",
    "汽车",
    "汽车销售",
    "销售",
    "医药",
    "包装",
    "实业",
    "贸易",
    "商贸",
    "投资",
    "集团",
    "股份",
    "控股",
    "能源",
    "文化",
    "传媒",
    "咨询",
    "劳务",
    // Kinds of eateries: "夜宵烧烤" names no shop.
    "夜宵",
    "宵夜",
    // Where, not which: "交汇处烧烤", "服务中心广场", "壹号小区".
    "交汇处",
    "交叉口",
    "路口",
    "服务中心",
    "壹号",
];

/// Cues in a title or opening that an order pushes back against a demand or an enforcement
/// rather than raising the complaint itself. The first [`OPPOSITION_CUES`] only say "against".
const COUNTER_STANCE_CUES: &[&str] = &[
    "反对",
    "不同意",
    "抵制",
    "不让跳",
    "不让摆",
    "不让经营",
    "被禁止",
    "被关停",
    "被取缔",
    "被拆除",
    "被勒令",
    "禁止跳舞",
    "不让我们",
    "要求恢复",
    "不能牺牲",
];

/// Per problem class, what only its counter side writes, anywhere in the order: those who
/// live beside a retrofitted lift shaft write of their light, their privacy and their losses;
/// those who want the lift write of old neighbours and blocked approvals.
const PROBLEM_COUNTER_CUES: &[(&str, &[&str])] = &[(
    "elevator_retrofit",
    &[
        "采光",
        "隐私",
        "用不上电梯",
        "承受损失",
        "暂停加装",
        "未经同意",
        "没有征得",
        "未征得",
        "侵害低层",
        "权益被",
        "楼道结构",
        "贬值",
    ],
)];

/// How many of [`COUNTER_STANCE_CUES`], from the first, only say "against": no counter cue
/// where being against is the complaint ([`OPPOSED_FACILITIES`]).
const OPPOSITION_CUES: usize = 3;

/// Problem classes whose complaint is to oppose a facility (反对安装基站, 反对建垃圾站): there
/// "反对" is the usual demand, not its counter.
const OPPOSED_FACILITIES: &[&str] = &["radiation_facility", "garbage_facility"];

/// Counter cues undone by what follows them: "要求恢复原状" of an illegal building is the
/// complaint's own demand, not a plea for what was taken away.
const COUNTER_CUES_UNDONE: &[(&str, &[&str])] = &[("要求恢复", &["原状", "原貌"])];

/// Who, just before a counter cue, makes it someone else's pushing back ("一楼反对").
const THIRD_PARTIES: &[&str] = &[
    "一楼", "低层", "个别", "少数", "有人", "部分", "一户", "几户",
];

/// "被要求", a counter cue only when an enforcement follows it: "养殖场被要求月底前关停"
/// pushes back, "买房被要求必须房车同签" complains.
const PASSIVE_DEMAND: &str = "被要求";

/// Enforcements that, after [`PASSIVE_DEMAND`], make an order push back.
const ENFORCEMENT_WORDS: &[&str] = &[
    "关停", "拆除", "搬迁", "停业", "停产", "腾退", "取缔", "停工",
];

/// Words that frame a title rather than say anything ("关于…的投诉"): removed before titles
/// are compared, or every templated title would look alike.
const TITLE_TEMPLATE: &[&str] = &[
    "关于",
    "的投诉",
    "的反映",
    "的问题",
    "的求助",
    "的建议",
    "的咨询",
    "的举报",
    "的诉求",
    "投诉",
    "反映",
    "问题",
    "求助",
    "建议",
    "咨询",
    "举报",
    "诉求",
    "请求",
    "恳请",
    "再次",
];

/// The counter-stance cues, then [`PASSIVE_DEMAND`], as one automaton.
fn counter_cues() -> &'static AhoCorasick {
    static CUES: OnceLock<AhoCorasick> = OnceLock::new();
    CUES.get_or_init(|| {
        let cues = COUNTER_STANCE_CUES.iter().chain([&PASSIVE_DEMAND]);
        AhoCorasick::new(cues).expect("counter-cue automaton builds")
    })
}

/// [`TITLE_TEMPLATE`] as one automaton: most titles are checked in one scan.
fn title_template() -> &'static AhoCorasick {
    static WORDS: OnceLock<AhoCorasick> = OnceLock::new();
    WORDS.get_or_init(|| AhoCorasick::new(TITLE_TEMPLATE).expect("template automaton builds"))
}

fn strip_title_template(title: &str) -> String {
    if !title_template().is_match(title) {
        return title.trim().to_string();
    }
    let mut t = title.to_string();
    for w in TITLE_TEMPLATE {
        if t.contains(w) {
            t = t.replace(w, "");
        }
    }
    t.trim().to_string()
}

fn minute_of(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp().div_euclid(60)
}

fn cap_chars(s: &str, max: usize) -> &str {
    // No more bytes than the cap, so no more characters: most texts are spared the count.
    if s.len() <= max {
        return s;
    }
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The prior document probability of a word jieba's dictionaries do not hold.
const RARE_PRIOR: f32 = 0.0002;

/// The longest place core whose words count as name words ([`CorpusStats::name_terms`]).
///
/// Names are mostly two to four characters (翠微, 桂语, 湘和). A longer core is most often two
/// names run together (a district and a compound, 明辰旭谷岭逸港) or a clause the finder read
/// back into where a typo hid the boundary ("买房时承诺地荷辰学校", 地 for 的). Such a core
/// still names a place for matching, but its words are not made name words of the batch: 买房
/// had become one that way, and tied the social-insurance complaints of different companies
/// that all say "影响买房". On generated 100k dumps (seeds 1, 3 and 7) this lifted B-cubed F1
/// by 0.002 to 0.003 each, with the fixture unchanged; a limit of 3 cost fixture recall.
pub const NAME_CORE_CHARS: usize = 4;

/// Document frequencies of terms over a set of fingerprints.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct CorpusStats {
    /// How many documents were counted.
    pub docs: u32,
    /// In how many documents each term occurs.
    pub df: FxHashMap<TermHash, u32>,
    /// Terms that occur inside the core of some place name of at most [`NAME_CORE_CHARS`]
    /// characters.
    pub name_terms: rustc_hash::FxHashSet<TermHash>,
    /// Hashes of the names of the cities, districts and counties some order names with their
    /// suffix (云州 of 云州市).
    #[serde(default)]
    pub unit_names: rustc_hash::FxHashSet<TermHash>,
    /// A prior for small corpora: this many pseudo-documents (0 = none, as in the batch
    /// pass) in which each term occurs with its [`CorpusStats::prior`] probability.
    #[serde(default)]
    pub prior_docs: u32,
    /// Each term's prior document probability, from jieba's general-language frequencies
    /// (see [`Analyzer::prior_probability`]); terms not listed count as rare.
    #[serde(default)]
    pub prior: FxHashMap<TermHash, f32>,
}

impl CorpusStats {
    /// Counts the terms of one fingerprint (raw, before weighing).
    pub fn add(&mut self, fp: &Fingerprint) {
        self.docs += 1;
        for (h, _) in &fp.terms {
            *self.df.entry(*h).or_default() += 1;
        }
        for (terms, place) in fp.place_terms.iter().zip(&fp.places) {
            if place.core.chars().count() <= NAME_CORE_CHARS {
                self.name_terms.extend(terms.iter().copied());
            }
        }
        for unit in &fp.admin {
            if matches!(unit.kind, PlaceKind::City | PlaceKind::District) {
                self.unit_names.insert(term_hash(&unit.core));
            }
        }
    }

    /// Adds another set of counts (for parallel reduction).
    pub fn merge(mut self, other: CorpusStats) -> CorpusStats {
        let (mut big, small) = if self.df.len() >= other.df.len() {
            (std::mem::take(&mut self), other)
        } else {
            (other, self)
        };
        big.docs += small.docs;
        for (h, n) in small.df {
            *big.df.entry(h).or_default() += n;
        }
        big.name_terms.extend(small.name_terms);
        big.unit_names.extend(small.unit_names);
        big.prior.extend(small.prior);
        big.prior_docs = big.prior_docs.max(small.prior_docs);
        big
    }

    /// Inverse document frequency: `ln((N + 1) / (df + 0.5))`, at least a small floor so that a
    /// term in every document still counts a little.
    pub fn idf(&self, term: TermHash) -> f32 {
        let mut df = self.df.get(&term).copied().unwrap_or(0) as f32;
        let mut docs = self.docs as f32;
        if self.prior_docs > 0 {
            let k = self.prior_docs as f32;
            df += k * self.prior.get(&term).copied().unwrap_or(RARE_PRIOR);
            docs += k;
        }
        (((docs + 1.0) / (df + 0.5)).ln()).max(0.05)
    }
}

impl Fingerprint {
    /// Turns raw term counts into a unit-length vector of `(1 + ln tf) · idf`, keeps the
    /// entity terms the corpus uses in names, and drops entities (not roads, public places or
    /// villages) named by a city or district of the corpus alone ([`CorpusStats::unit_names`]).
    pub fn weigh(&mut self, stats: &CorpusStats) {
        // "云州烧烤" of a post's topic "#云州烧烤店油烟直排#" is the city's barbecue smoke, not a
        // shop, and "云州学校" of "#云州配套学校未建#" no school: an entity named by a city or
        // district of the batch alone is no place. (Roads and parks are: 东湖路.)
        if !stats.unit_names.is_empty() {
            let mut i = 0;
            while i < self.places.len() {
                let p = &self.places[i];
                if !matches!(
                    p.kind,
                    PlaceKind::Road | PlaceKind::Public | PlaceKind::Village | PlaceKind::Route
                ) && !crate::text::extract::is_unit_named_school(p)
                    && stats.unit_names.contains(&term_hash(&p.core))
                {
                    self.places.remove(i);
                    if i < self.place_terms.len() {
                        self.place_terms.remove(i);
                    }
                } else {
                    i += 1;
                }
            }
        }
        let mut norm = 0.0f32;
        for (h, w) in &mut self.terms {
            *w = (1.0 + w.ln()) * stats.idf(*h);
            norm += *w * *w;
        }
        self.entity_terms
            .retain(|(h, _)| stats.name_terms.contains(h));
        // Most go: a batch holds a million fingerprints through scoring.
        self.entity_terms.shrink_to_fit();
        for (h, idf) in &mut self.entity_terms {
            *idf = stats.idf(*h);
        }
        let norm = norm.sqrt();
        if norm > 0.0 {
            for (_, w) in &mut self.terms {
                *w /= norm;
            }
        }
    }

    /// The order's main problems: the title's, or where the title raises none, the opening
    /// sentence's ([`Fingerprint::opening_problems`]). Empty when neither raises one.
    pub fn lead_problems(&self) -> &[ProblemId] {
        if self.title_problems.is_empty() {
            &self.opening_problems
        } else {
            &self.title_problems
        }
    }

    /// Whether this order's terms include every term of `core_terms` (and there is one).
    pub fn mentions(&self, core_terms: &[TermHash]) -> bool {
        !core_terms.is_empty()
            && core_terms
                .iter()
                .all(|h| self.terms.binary_search_by_key(h, |(t, _)| *t).is_ok())
    }

    /// The `k` heaviest terms (after weighing), heaviest first, ties by hash.
    pub fn key_terms(&self, k: usize) -> Vec<(TermHash, f32)> {
        let mut v = self.terms.clone();
        v.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(k);
        v
    }
}

/// Cosine of two unit-length sparse vectors sorted by hash.
pub fn cosine(a: &[(TermHash, f32)], b: &[(TermHash, f32)]) -> f32 {
    // Branch-free merge: which side advances is unpredictable, and this runs for every
    // candidate pair. Products are added in the same order as a branching merge would.
    let (mut i, mut j, mut dot) = (0, 0, 0.0f32);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        if x.0 == y.0 {
            dot += x.1 * y.1;
        }
        i += usize::from(x.0 <= y.0);
        j += usize::from(y.0 <= x.0);
    }
    dot.clamp(0.0, 1.0)
}

/// One order's term vector as a small open-addressing table, so that its cosine with many
/// others (the batch pass scores each order against its candidates one after another) looks
/// each of their terms up instead of merging two sorted lists step by step. Each slot also
/// says whether the term names one of the order's places (is in its
/// [`Fingerprint::place_words`]), for the cosine without place words.
#[derive(Debug, Default)]
pub(crate) struct TermTable {
    /// Terms by slot; a key of [`TermTable::EMPTY`] marks a free slot. Key, weight and place
    /// mark share a slot: a lookup touches one cache line.
    slots: Vec<TermSlot>,
    /// The weight and place mark of the term whose hash is [`TermTable::EMPTY`], if the order
    /// has it.
    empty_key: Option<(f32, bool)>,
    /// `64 - log2(slots)`: a hash's slot is its top bits after mixing.
    shift: u32,
}

/// One slot of a [`TermTable`].
#[derive(Debug, Clone, Copy)]
struct TermSlot {
    key: TermHash,
    weight: f32,
    /// Whether the term is one of the order's place words.
    place: bool,
}

impl TermSlot {
    const FREE: TermSlot = TermSlot {
        key: TermTable::EMPTY,
        weight: 0.0,
        place: false,
    };
}

impl TermTable {
    const EMPTY: TermHash = 0;

    /// Holds `terms` (distinct hashes), marking those in `place_words` (sorted), from now on,
    /// reusing the table's memory.
    pub(crate) fn load(&mut self, terms: &[(TermHash, f32)], place_words: &[TermHash]) {
        // At most a quarter full: probes stay short.
        let slots = (terms.len() * 4).next_power_of_two().max(16);
        self.slots.clear();
        self.slots.resize(slots, TermSlot::FREE);
        self.empty_key = None;
        self.shift = 64 - slots.trailing_zeros();
        let mask = slots - 1;
        for &(h, w) in terms {
            let place = place_words.binary_search(&h).is_ok();
            if h == Self::EMPTY {
                self.empty_key = Some((w, place));
                continue;
            }
            let mut i = self.slot(h);
            while self.slots[i].key != Self::EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = TermSlot {
                key: h,
                weight: w,
                place,
            };
        }
    }

    fn slot(&self, h: TermHash) -> usize {
        (h.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    /// The weight and place mark of `h`, if the loaded order has it.
    #[inline]
    fn get(&self, h: TermHash) -> Option<(f32, bool)> {
        if h == Self::EMPTY {
            return self.empty_key;
        }
        // The table is at most a quarter full: the first slot looked at nearly always holds
        // the term or is free.
        let mask = self.slots.len() - 1;
        let mut i = self.slot(h);
        loop {
            let s = self.slots[i];
            if s.key == h {
                return Some((s.weight, s.place));
            }
            if s.key == Self::EMPTY {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// [`cosine`] of the loaded terms and `other` (sorted by hash), to the bit: the products
    /// of shared terms are added in the same order, by ascending hash.
    pub(crate) fn cosine(&self, other: &[(TermHash, f32)]) -> f32 {
        let mut dot = 0.0f32;
        for &(h, w) in other {
            if let Some((v, _)) = self.get(h) {
                dot += v * w;
            }
        }
        dot.clamp(0.0, 1.0)
    }

    /// The dot product of the loaded terms and `other` (sorted by hash) split in two: over
    /// shared terms that name no place on either side, and over shared terms that name a place
    /// on one side at least (the loaded order's marks, or `other_place_words`, sorted). Sums
    /// are made by ascending hash, as a merge of the two sorted lists makes them.
    pub(crate) fn dot_beyond_places(
        &self,
        other: &[(TermHash, f32)],
        other_place_words: &[TermHash],
    ) -> (f32, f32) {
        let (mut dot, mut names_dot) = (0.0f32, 0.0f32);
        for &(h, w) in other {
            if let Some((v, place)) = self.get(h) {
                if place || other_place_words.binary_search(&h).is_ok() {
                    names_dot += v * w;
                } else {
                    dot += v * w;
                }
            }
        }
        (dot, names_dot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    pub(crate) fn analyzer() -> &'static Analyzer {
        static A: OnceLock<Analyzer> = OnceLock::new();
        A.get_or_init(|| Analyzer::new().unwrap())
    }

    fn order(id: &str, title: &str, text: &str) -> WorkOrder {
        let mut o = WorkOrder::new(id, text);
        o.title = title.into();
        o
    }

    /// The names of the places the analyzer keeps from an order of this text.
    fn place_names(text: &str) -> Vec<String> {
        let fp = analyzer().fingerprint(&order("1", "", text), "s");
        fp.places.into_iter().map(|p| p.name).collect()
    }

    /// The cores of the places the analyzer keeps from an order of this text.
    fn place_cores(text: &str) -> Vec<String> {
        let fp = analyzer().fingerprint(&order("1", "", text), "s");
        fp.places.into_iter().map(|p| p.core).collect()
    }

    #[test]
    fn a_word_table_remembers_what_it_was_told_whichever_word_holds_the_slot() {
        let facts = |content| WordFacts {
            content,
            entity: false,
            announced: false,
        };
        // Two hashes of one slot, and a third of another.
        let a: TermHash = 0xABC0_0000_0000_0001;
        let b = (a + 1..)
            .find(|&h| WordTable::slot(h) == WordTable::slot(a))
            .unwrap();
        let c = (a + 1..)
            .find(|&h| WordTable::slot(h) != WordTable::slot(a))
            .unwrap();
        let mut table = WordTable::default();
        // A one-order memo keeps no array; a memo of many words does.
        table.get_or_insert(1, || facts(true));
        assert!(table.recent.is_empty());
        for h in 2..=1 << RECENT_WORD_BITS {
            table.get_or_insert(h, || facts(true));
        }
        assert!(!table.recent.is_empty());
        assert!(table.get_or_insert(a, || facts(true)).content);
        let known = |_| -> WordFacts { panic!("made again") };
        assert!(table.get_or_insert(a, || known(())).content);
        table.announce(a);
        assert!(table.get_or_insert(a, || known(())).announced);
        // b takes a's slot; a, looked up again, comes from the map as it was left.
        assert!(!table.get_or_insert(b, || facts(false)).content);
        let again = table.get_or_insert(a, || known(()));
        assert!(again.content && again.announced);
        assert!(!table.get_or_insert(b, || known(())).announced);
        assert!(!table.get_or_insert(c, || facts(true)).announced);
    }

    #[test]
    fn a_shared_memo_gives_the_fingerprints_of_fresh_ones_and_names_each_term_once() {
        use crate::generate::{generate, GenerateConfig};
        let (orders, _) = generate(&GenerateConfig {
            orders: 400,
            seed: 5,
            ..GenerateConfig::default()
        });
        let a = analyzer();
        let mut memo = FingerprintMemo::default();
        let mut announced: Vec<TermHash> = Vec::new();
        let mut fresh_terms: Vec<TermHash> = Vec::new();
        for o in &orders {
            let shared = a.fingerprint_memoized(o, "s", &mut memo, |h, _| announced.push(h));
            let mut own: Vec<TermHash> = Vec::new();
            let fresh = a.fingerprint_with_terms(o, "s", |h, _| own.push(h));
            assert_eq!(shared, fresh, "order {}", o.id);
            // A fresh memo names each term of the order once; the shared one, once in all.
            let mut distinct = own.clone();
            distinct.sort_unstable();
            distinct.dedup();
            assert_eq!(distinct.len(), own.len(), "order {}", o.id);
            assert_eq!(own.len(), fresh.terms.len());
            fresh_terms.extend(own);
        }
        fresh_terms.sort_unstable();
        fresh_terms.dedup();
        let mut once = announced.clone();
        once.sort_unstable();
        once.dedup();
        assert_eq!(once.len(), announced.len(), "a term named twice");
        assert_eq!(once, fresh_terms);
    }

    #[test]
    fn times_and_directions_are_not_names() {
        let a = analyzer();
        for text in [
            "十二月小区门口又堆满垃圾",
            "中旬小区又停水了",
            "今年一月以来工地一直施工",
        ] {
            let fp = a.fingerprint(&order("x", "", text), "");
            assert!(fp.places.is_empty(), "{text}: {:?}", fp.places);
        }
        for w in ["十一月", "中旬", "月初", "今年", "三天", "11月"] {
            assert!(is_time_word(w), "{w}");
        }
        for w in ["中天", "明月", "江山", "一号", "月湖"] {
            assert!(!is_time_word(w), "{w}");
        }
        // Nor are directions with a road or a side.
        for w in ["东路", "北门", "南侧"] {
            assert!(is_direction_word(w), "{w}");
            assert!(!a.is_entity_word(w), "{w}");
        }
        assert!(!is_direction_word("东湖") && a.is_entity_word("东湖"));
    }

    #[test]
    fn ordinary_words_before_suffixes_are_not_names() {
        assert_eq!(place_names("天井里全是积水"), Vec::<String>::new());
        assert_eq!(place_names("周边都是高档小区"), Vec::<String>::new());
        // Kinds of kindergartens: 普惠性 says what, not which.
        assert_eq!(place_names("农村普惠性幼儿园换证"), Vec::<String>::new());
        assert_eq!(place_names("马家组能否修通水泥路"), Vec::<String>::new());
        assert_eq!(
            place_names("开发商把车位捆绑在房价里"),
            Vec::<String>::new()
        );
        assert_eq!(
            place_names("蕉窗里小区门口"),
            vec!["蕉窗里小区".to_string()]
        );
        // Single characters that make no word together are a name, and 都 ends names.
        assert_eq!(
            place_names("住在洲和花园的业主"),
            vec!["洲和花园".to_string()]
        );
        assert_eq!(
            place_names("临江区新岛国际小区"),
            vec!["新岛国际小区".to_string()]
        );
        assert_eq!(place_names("橙汇名邸周边"), vec!["橙汇名邸".to_string()]);
        assert_eq!(place_names("廖岭村五组村口"), vec!["廖岭村".to_string()]);
        assert_eq!(place_names("路边的夜宵烧烤扰民"), Vec::<String>::new());
        // A company is named by what comes before its trade and legal form.
        assert_eq!(
            place_names("樱景建筑工程有限公司拖欠工资"),
            vec!["樱景有限公司".to_string()]
        );
        assert_eq!(
            place_names("橙境纺织股份有限公司拖欠工资"),
            vec!["橙境股份有限公司".to_string()]
        );
        assert_eq!(
            place_names("盛世华都小区门口"),
            vec!["盛世华都小区".to_string()]
        );
        // 屋里 is a word: the 里 belongs to it.
        assert_eq!(place_names("每晚烟顺着窗户往屋里灌"), Vec::<String>::new());
        assert_eq!(
            place_names("新美多农贸市场门口"),
            vec!["新美多市场".to_string()]
        );
        // 学校 after an ordinary word is no school's name either.
        assert_eq!(place_names("暑假学校组织补课"), Vec::<String>::new());
        assert_eq!(
            place_names("楚英实验学校补课"),
            vec!["楚英实验学校".to_string()]
        );
    }

    #[test]
    fn others_pushing_back_is_no_counter_stance() {
        let a = analyzer();
        let counter = |title: &str| {
            a.fingerprint(&order("x", title, "加装电梯"), "")
                .counter_stance
        };
        assert!(counter("反对砚池新村6栋加装电梯"));
        assert!(counter("加装电梯不能牺牲一楼住户的权益"));
        assert!(!counter("老旧小区加装电梯一楼反对就办不成吗"));
        assert!(!counter("个别住户反对加装电梯怎么办"));
    }

    #[test]
    fn a_lifts_neighbours_are_its_counter_side_without_saying_so() {
        let a = analyzer();
        let counter =
            |title: &str, text: &str| a.fingerprint(&order("x", title, text), "").counter_stance;
        assert!(counter(
            "",
            "3号楼加装电梯井道离窗户太近，侵犯隐私，请求处理"
        ));
        assert!(counter("加装电梯影响采光", "电梯井挡在卧室窗前"));
        assert!(counter("", "23栋加装电梯项目施工破坏了楼道结构"));
        assert!(!counter(
            "加装电梯受阻",
            "单元大多数住户都同意，家里有八十多岁的老人行动不便"
        ));
        // A letter about a blocked sewer that also mentions a lift's shade is about the sewer.
        assert!(!counter(
            "下水道堵塞",
            "二十栋的下水管道堵塞，污水漫到路面上。另外，加装电梯挡住了采光。"
        ));
    }

    #[test]
    fn stance_tables_name_classes_of_the_lexicon() {
        // A renamed class would silently switch its stance rule off.
        let a = analyzer();
        assert_eq!(a.opposed_facilities.len(), OPPOSED_FACILITIES.len());
        assert_eq!(a.problem_counter_cues.len(), PROBLEM_COUNTER_CUES.len());
    }

    #[test]
    fn opposing_a_facility_or_restoring_a_building_is_the_complaint_itself() {
        let a = analyzer();
        let counter =
            |title: &str, text: &str| a.fingerprint(&order("x", title, text), "").counter_stance;
        // Residents against a base station complain; they do not push back.
        assert!(!counter("反对安装基站", "楼顶的基站没有征求业主意见就安装"));
        // Asking that an illegal roof room be taken down is the complaint's own demand.
        assert!(!counter("", "七栋一楼居民在楼顶搭建阳光房，要求恢复原状"));
        // Asking for the dancing ground back pushes back against closing it.
        assert!(counter("要求恢复广场舞场地", "广场被围起来了"));
        // 反对 still marks the counter side of a lift.
        assert!(counter("反对加装电梯", "电梯井挡在窗前"));
    }

    #[test]
    fn a_passive_demand_pushes_back_only_before_an_enforcement() {
        let a = analyzer();
        let fp = |title: &str| a.fingerprint(&order("x", title, "正文"), "").counter_stance;
        assert!(fp("关于丰穰养殖场被要求月底前关停的诉求"));
        assert!(!fp("买房被要求必须房车同签，合理吗"));
        assert!(fp("反对砚池新村6栋加装电梯"));
    }

    #[test]
    fn reposts_share_a_content_key_and_other_texts_do_not() {
        let a = analyzer().fingerprint(&order("1", "", "枫桥雅苑夜间施工噪音"), "s");
        let b = analyzer().fingerprint(&order("2", "", " 楓橋雅苑夜間施工噪音 😡"), "s");
        let c = analyzer().fingerprint(&order("3", "", "枫桥雅苑停车难"), "s");
        assert_eq!(a.content_key, b.content_key);
        assert_ne!(a.content_key, c.content_key);
    }

    #[test]
    fn fingerprint_has_places_problems_and_terms() {
        let fp = analyzer().fingerprint(
            &order(
                "1",
                "枫桥雅苑旁搅拌站噪音扰民",
                "每天晚上搅拌站机器轰鸣，吵得睡不着",
            ),
            "s",
        );
        assert!(
            fp.places.iter().any(|p| p.core == "枫桥"),
            "{:?}",
            fp.places
        );
        assert!(!fp.problems.is_empty());
        assert!(!fp.title_problems.is_empty());
        assert!(fp.terms.iter().any(|(h, _)| *h == term_hash("搅拌站")));
    }

    #[test]
    fn two_common_characters_name_a_road_or_a_school() {
        // jieba counts 芙 and 湘 each in the thousands; together they are no word.
        let fp = analyzer().fingerprint(&order("1", "", "芙湘南路临街的饭店油烟直排"), "s");
        let cores: Vec<&str> = fp.places.iter().map(|p| p.core.as_str()).collect();
        assert_eq!(cores, ["芙湘"]);
        // And a school: 湾 and 河 are common alone.
        let fp = analyzer().fingerprint(&order("2", "湾河中学校门口缺乏护学岗", ""), "s");
        let cores: Vec<&str> = fp.places.iter().map(|p| p.core.as_str()).collect();
        assert_eq!(cores, ["湾河"]);
    }

    #[test]
    fn the_roads_every_city_has_keep_their_ordinary_names() {
        assert_eq!(place_names("人民路上的井盖松动"), ["人民路"]);
        assert_eq!(
            place_names("解放东路和长江北路交叉口的红绿灯坏了"),
            ["解放东路", "长江北路"]
        );
        assert_eq!(place_names("五一大道施工噪音"), ["五一大道"]);
        // The same words elsewhere are still no names, nor is a way home.
        assert!(place_names("人民群众的出行安全").is_empty());
        assert!(place_names("上班路上堵车，回家路上也堵").is_empty());
    }

    #[test]
    fn a_company_is_named_without_its_trade() {
        assert_eq!(
            place_cores("来电称，湘和建筑工程有限责任公司拖欠工资"),
            ["湘和"]
        );
        assert_eq!(place_cores("湘和公司的包工头拖欠三名工人的工资"), ["湘和"]);
        // A trade with no name before it names no company.
        assert!(place_cores("来电称，建筑工程有限公司拖欠工资").is_empty());
    }

    #[test]
    fn a_business_named_by_a_unit_of_the_batch_is_no_place() {
        let texts = [
            "云州烧烤店油烟直排 丽平东路老瑞汇烧烤天天烟雾缭绕",
            "云州市东湖区丽平东路的烧烤店油烟很大",
            "云州小区物业乱收费，东湖路的路灯不亮",
        ];
        let mut fps: Vec<Fingerprint> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| analyzer().fingerprint(&order(&i.to_string(), "", t), "s"))
            .collect();
        let cores = |fp: &Fingerprint| -> Vec<String> {
            fp.places.iter().map(|p| p.core.clone()).collect()
        };
        // Alone, the post reads 云州烧烤 as a shop.
        assert!(
            cores(&fps[0]).contains(&"云州".to_string()),
            "{:?}",
            fps[0].places
        );
        let mut stats = CorpusStats::default();
        for fp in &fps {
            stats.add(fp);
        }
        for fp in &mut fps {
            fp.weigh(&stats);
        }
        // The batch names the city 云州市: the "shop" goes, the real one stays.
        let left = cores(&fps[0]);
        assert!(!left.contains(&"云州".to_string()), "{left:?}");
        assert!(left.contains(&"老瑞汇".to_string()), "{left:?}");
        assert_eq!(fps[0].places.len(), fps[0].place_terms.len());
        // Any kind of entity, but not a road named after the district.
        let third = cores(&fps[2]);
        assert!(!third.contains(&"云州".to_string()), "{third:?}");
        assert!(third.contains(&"东湖".to_string()), "{third:?}");
    }

    #[test]
    fn hiring_a_property_company_names_none() {
        // Message board: two 小区 in different cities matched on "选聘物业".
        for text in [
            "请求指导监督小区选聘物业公司",
            "业主大会决定另行选聘新物业",
            "业委会擅自解聘物业",
            "小区聘请物业要公开招标",
        ] {
            assert!(
                place_cores(text).is_empty(),
                "{text}: {:?}",
                place_cores(text)
            );
        }
        assert_eq!(place_cores("国色天香小区选聘物业受阻"), ["国色天香"]);
    }

    #[test]
    fn words_of_long_cores_are_no_name_words() {
        // 地 for 的 hides the boundary: the finder reads the clause into the school's core.
        let fp = analyzer().fingerprint(
            &order("1", "", "锦绣花苑买房时承诺地荷辰实验学校至今没建"),
            "s",
        );
        let long = fp
            .places
            .iter()
            .find(|p| p.core.contains("买房"))
            .expect("the clause is read into a core");
        assert!(long.core.chars().count() > NAME_CORE_CHARS, "{long:?}");
        let mut stats = CorpusStats::default();
        stats.add(&fp);
        assert!(!stats.name_terms.contains(&term_hash("买房")));
        assert!(stats.name_terms.contains(&term_hash("锦绣")));
    }

    #[test]
    fn weighing_gives_unit_vectors_and_cosine_is_bounded() {
        let mut stats = CorpusStats::default();
        let mut fps: Vec<Fingerprint> = ["枫桥雅苑噪音扰民", "枫桥雅苑停车难", "金沙路井盖缺失"]
            .iter()
            .enumerate()
            .map(|(i, t)| analyzer().fingerprint(&order(&i.to_string(), "", t), "s"))
            .collect();
        for fp in &fps {
            stats.add(fp);
        }
        for fp in &mut fps {
            fp.weigh(&stats);
            let n: f32 = fp.terms.iter().map(|(_, w)| w * w).sum();
            assert!((n - 1.0).abs() < 1e-4);
        }
        assert!((cosine(&fps[0].terms, &fps[0].terms) - 1.0).abs() < 1e-4);
        assert!(cosine(&fps[0].terms, &fps[1].terms) > cosine(&fps[0].terms, &fps[2].terms));
    }

    #[test]
    fn a_term_table_gives_the_cosine_to_the_bit() {
        // Pseudo-random sparse vectors over a small hash range, so that they share terms,
        // with the hash 0 (the table's free-slot mark) among them now and then.
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            seed >> 33
        };
        let mut vector = |len: u64| {
            let mut v: Vec<(TermHash, f32)> = (0..len)
                .map(|_| (next() % 200, (next() % 1000) as f32 / 997.0))
                .collect();
            v.sort_unstable_by_key(|(h, _)| *h);
            v.dedup_by_key(|(h, _)| *h);
            v
        };
        let mut table = TermTable::default();
        for round in 0..200 {
            let (a, b) = (vector(round % 90), vector((round * 7) % 130));
            table.load(&a, &[]);
            assert_eq!(
                table.cosine(&b).to_bits(),
                cosine(&a, &b).to_bits(),
                "{a:?} {b:?}"
            );
            assert_eq!(table.cosine(&b).to_bits(), cosine(&b, &a).to_bits());
        }
    }

    #[test]
    fn match_text_is_capped_on_char_boundaries() {
        assert_eq!(cap_chars("噪音扰民", 2), "噪音");
        assert_eq!(cap_chars("噪音", 10), "噪音");
    }
}
