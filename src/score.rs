//! Pairwise scoring: how likely two orders report the same problem, and why.
//!
//! The score in [0, 1] starts from text similarity (TF-IDF cosine over content terms, with
//! shared place words counted at 0.6 of their weight where an order has no title, and strsim's
//! normalised Levenshtein over titles) and then weighs the evidence that decides
//! duplicates in this domain: the same place or entity, the same problem, the time between
//! them, the same reporter, the same category. A conflict (two different 小区, two different
//! problems) pulls the score down however similar the wording, because "same problem at the
//! neighbouring 小区" and "same 小区, another problem" are the common false merges.

use serde::{Deserialize, Serialize};
use smol_str::SmolStr;

use crate::fingerprint::{cosine, Fingerprint, TermHash, TermTable};
use crate::text::{place_similarity, PlaceKind, ProblemId, ProblemLexicon};

/// The weights and penalties of the score. `Default` holds the tuned values; deserialising
/// fills missing fields from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScoreWeights {
    /// Weight of the text cosine in the base similarity (the rest goes to the title).
    pub text: f32,
    /// Added, times the place similarity, when both orders name the same place.
    pub place_agree: f32,
    /// Subtracted when both name places of one kind and none of them agree.
    pub place_conflict: f32,
    /// Subtracted when both name identifying places, of different kinds, and none agree.
    /// More than `place_unknown`: two places named are more evidence of two problems than
    /// none, less than two places of one kind (a 小区 can hold the school it complains of).
    pub place_conflict_soft: f32,
    /// Subtracted instead of `place_conflict_soft` where the places of different kinds are a
    /// home and what troubles it (a 小区 or village, and a site, a company or a shop): the
    /// victims name where they live, others name the source.
    pub place_neighbours: f32,
    /// Subtracted when both name cities, districts or towns, none shared, and no place agrees.
    pub admin_conflict: f32,
    /// Subtracted when neither agreement nor conflict of places can be seen.
    pub place_unknown: f32,
    /// Added when the orders share a problem class.
    pub problem_agree: f32,
    /// Subtracted when both titles raise problems and share none.
    pub problem_conflict: f32,
    /// Subtracted when both texts raise problems and share none (titles cannot decide).
    pub problem_conflict_soft: f32,
    /// The share of the score taken away when one order pushes back against what the other
    /// asks for (for or against a lift, a market, a closure). Opposite demands at one place are
    /// two tickets however alike their words and place, so this scales the whole score rather
    /// than subtracting from it.
    pub opposite_stance: f32,
    /// Added when the reporter is the same.
    pub same_reporter: f32,
    /// Subtracted when both have a category and they differ.
    pub category_conflict: f32,
    /// Days within which the time gap costs nothing.
    pub time_free_days: f32,
    /// Subtracted, at most, for a long time gap (reached at four times `time_free_days`):
    /// a problem raised again months later is a recurrence, a new ticket.
    pub time_penalty: f32,
    /// Text cosine from which two orders count as reposts whatever else differs.
    pub repost_cosine: f32,
}

impl Default for ScoreWeights {
    fn default() -> Self {
        ScoreWeights {
            text: 0.75,
            place_agree: 0.3,
            place_conflict: 0.45,
            place_conflict_soft: 0.3,
            place_neighbours: 0.15,
            place_unknown: 0.2,
            admin_conflict: 0.3,
            problem_agree: 0.25,
            problem_conflict: 0.3,
            problem_conflict_soft: 0.25,
            opposite_stance: 0.75,
            same_reporter: 0.05,
            category_conflict: 0.05,
            time_free_days: 30.0,
            time_penalty: 0.8,
            repost_cosine: 0.9,
        }
    }
}

/// Whether and how two orders' places agree. Names are inline strings: most take no
/// allocation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum PlaceEvidence {
    /// Both name this place (as `a` and `b`), with this core similarity.
    Agree {
        /// The name in the first order.
        a: SmolStr,
        /// The name in the second order.
        b: SmolStr,
        /// Similarity of the cores, in [0, 1].
        similarity: f32,
    },
    /// One names this place and the other mentions its name without a suffix.
    Mentioned {
        /// The place as named.
        name: SmolStr,
        /// Strength of the agreement, in [0, 1].
        similarity: f32,
    },
    /// Both use rare words that some order of the batch uses inside a place name.
    SharedNames {
        /// Strength of the agreement, in [0, 1], from how rare the shared words are.
        similarity: f32,
    },
    /// Their addresses are written alike.
    Address {
        /// The first order's address, normalised.
        a: SmolStr,
        /// The second order's address, normalised.
        b: SmolStr,
        /// Normalised Levenshtein similarity.
        similarity: f32,
    },
    /// Both name places of one kind, and none agree.
    Conflict {
        /// A place of the first order.
        a: SmolStr,
        /// A place of the same kind in the second order.
        b: SmolStr,
        /// Whether the places are of one identifying kind (two 小区, one road at two house
        /// numbers); if not, two identifying places of different kinds disagree (a 小区 and a
        /// company), which costs less.
        #[serde(default)]
        firm: bool,
    },
    /// Not enough places to say.
    Unknown,
}

impl PlaceEvidence {
    /// The verdict's name, as `tickets.jsonl` writes it in `"verdict"` (`"agree"`,
    /// `"shared_names"`, `"unknown"`, …).
    pub fn verdict(&self) -> &'static str {
        match self {
            PlaceEvidence::Agree { .. } => "agree",
            PlaceEvidence::Mentioned { .. } => "mentioned",
            PlaceEvidence::SharedNames { .. } => "shared_names",
            PlaceEvidence::Address { .. } => "address",
            PlaceEvidence::Conflict { .. } => "conflict",
            PlaceEvidence::Unknown => "unknown",
        }
    }
}

/// Whether and how two orders' problems agree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum ProblemEvidence {
    /// Both raise these problems.
    Agree {
        /// Labels of the shared problem classes.
        shared: Vec<String>,
        /// Whether the agreement is weak: only generic classes ("noise") or a class one side
        /// merely hints at (a cue word) are shared. It counts half.
        #[serde(default)]
        weak: bool,
    },
    /// Both raise problems and share none.
    Conflict {
        /// Labels of the first order's problems.
        a: Vec<String>,
        /// Labels of the second order's problems.
        b: Vec<String>,
        /// Whether the titles disagree (each names its main problem); if not, problems found
        /// in bodies disagree, which costs less.
        #[serde(default)]
        firm: bool,
    },
    /// At least one order raises no known problem.
    Unknown,
}

impl ProblemEvidence {
    /// The verdict's name, as `tickets.jsonl` writes it in `"verdict"` (`"agree"`,
    /// `"conflict"` or `"unknown"`).
    pub fn verdict(&self) -> &'static str {
        match self {
            ProblemEvidence::Agree { .. } => "agree",
            ProblemEvidence::Conflict { .. } => "conflict",
            ProblemEvidence::Unknown => "unknown",
        }
    }
}

/// Why two orders scored what they did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// TF-IDF cosine of the content terms.
    pub text: f32,
    /// Normalised Levenshtein similarity of the titles, if both have one.
    pub title: Option<f32>,
    /// Place agreement.
    pub place: PlaceEvidence,
    /// Problem agreement.
    pub problem: ProblemEvidence,
    /// Days between the two orders, if both times are known.
    pub days_apart: Option<f32>,
    /// Whether they name different cities, districts or towns (and no place agrees).
    pub admin_conflict: bool,
    /// Whether one order pushes back against what the other asks for.
    pub opposite_stance: bool,
    /// Whether the reporter is the same.
    pub same_reporter: bool,
    /// Whether the categories agree, if both have one.
    pub same_category: Option<bool>,
    /// Whether the normalised content is identical (a repost).
    pub exact_repost: bool,
    /// Content terms both share, most informative first (filled in for outputs). Inline
    /// strings: a term of up to 23 bytes (seven Chinese characters) takes no allocation, and a
    /// million-order pass writes some four to five million of them.
    pub shared_terms: Vec<SmolStr>,
}

/// Scores pairs of fingerprints.
#[derive(Debug, Clone)]
pub struct Scorer {
    weights: ScoreWeights,
}

impl Default for Scorer {
    fn default() -> Self {
        Scorer::new(ScoreWeights::default())
    }
}

/// How a place agreement was found.
#[derive(Debug, Clone, Copy, PartialEq)]
enum PlaceMatch {
    /// Place `i` of the first order and place `j` of the second.
    Named(usize, usize),
    /// Place `i` of the first order, mentioned bare in the second.
    MentionedInB(usize),
    /// Place `j` of the second order, mentioned bare in the first.
    MentionedInA(usize),
    /// Rare name words in common.
    SharedNames,
    /// Addresses alike.
    Address,
}

/// The parts of a score, without the strings an [`Explanation`] carries.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Parts {
    text: f32,
    title: Option<f32>,
    place: Option<(PlaceMatch, f32)>,
    place_conflict: Option<(usize, usize)>,
    place_conflict_soft: bool,
    /// The soft conflict is between a home and a source of trouble.
    place_neighbours: bool,
    admin_conflict: bool,
    problem_shared: usize,
    problem_weak: bool,
    problem_conflict: bool,
    problem_conflict_firm: bool,
    counter_stance: bool,
    days_apart: Option<f32>,
    same_reporter: bool,
    same_category: Option<bool>,
}

impl Scorer {
    /// A scorer with the given weights.
    pub fn new(weights: ScoreWeights) -> Scorer {
        Scorer { weights }
    }

    /// The weights.
    pub fn weights(&self) -> &ScoreWeights {
        &self.weights
    }

    /// The score of a pair, in [0, 1]; never NaN.
    pub fn score(&self, a: &Fingerprint, b: &Fingerprint) -> f32 {
        self.combine(&parts(a, b))
    }

    /// The score of a pair as evidence that one of them belongs with the other's group: as
    /// [`Scorer::score`], but 0 where both raise problems and none agrees (in the titles, or
    /// in the texts where the titles cannot decide). Such a pair is no support, however much
    /// else it shares (two complaints about one 小区, one about its bus line and one about its
    /// refuse station).
    ///
    /// Nor is it docked for the time between the two: members of one group may lie months
    /// apart when reports kept coming all along, and whether a group went quiet for too long
    /// is the idle rule's to say (see [`crate::cluster::IdleRule`]).
    pub fn group_support(&self, a: &Fingerprint, b: &Fingerprint) -> f32 {
        let mut p = parts(a, b);
        p.days_apart = None;
        if p.problem_conflict {
            0.0
        } else {
            self.combine(&p)
        }
    }

    /// The score of a pair, and whether the pair is *anchored*: it agrees on where the problem
    /// is (a place named on both sides or mentioned bare, rare name words shared, addresses
    /// written alike) and its problems do not conflict, or its texts are near copies (cosine at
    /// least [`ScoreWeights::repost_cosine`]).
    ///
    /// The same problem in similar words without an agreeing place says "the same kind of
    /// complaint", not "the same one"; two problems at one place are two complaints there.
    /// Such a pair may pair two single orders, but it does not grow a ticket (see
    /// [`crate::cluster::cluster`]).
    pub fn score_anchored(&self, a: &Fingerprint, b: &Fingerprint) -> (f32, bool) {
        let p = parts(a, b);
        (self.combine(&p), self.anchors(&p))
    }

    /// Whether a pair with these parts is anchored (see [`Scorer::score_anchored`]). On a
    /// generated 1M dump, three in four links between orders that agreed on the place and
    /// conflicted on the problem joined two events.
    fn anchors(&self, p: &Parts) -> bool {
        (p.place.is_some() && !p.problem_conflict) || p.text >= self.weights.repost_cosine
    }

    /// [`Scorer::score_anchored`] of the pair `(a, b)`, one of which is the order `side` was
    /// loaded with and the other `other`: the text cosine and the title similarity come from
    /// what `side` prepared once for all of its pairs, to the bit what
    /// [`Scorer::score_anchored`] computes. `None` when the score is certainly below `floor`.
    ///
    /// Places are the costliest part of a pair (strings compared pairwise, scattered over the
    /// heap), so they are looked at last: the score is first bounded with every other part
    /// exact and the places taken to agree fully, and a pair that cannot reach `floor` even so
    /// is dropped without reading them.
    pub(crate) fn score_anchored_against(
        &self,
        side: &PairSide,
        a: &Fingerprint,
        b: &Fingerprint,
        other: &Fingerprint,
        floor: f32,
    ) -> Option<(f32, bool)> {
        let mut p = parts_beside_places(
            a,
            b,
            |keeps| {
                if keeps {
                    side.terms.cosine(&other.terms)
                } else {
                    let (dot, names_dot) = side
                        .terms
                        .dot_beyond_places(&other.terms, &other.place_words);
                    (dot + PLACE_WORDS_IN_TEXT * names_dot).clamp(0.0, 1.0)
                }
            },
            || {
                side.title
                    .similarity(&other.title)
                    .unwrap_or_else(|| normalized_levenshtein(&a.title, &b.title))
            },
        );
        if self.places_bound_score() {
            let best_case = Parts {
                place: Some((PlaceMatch::Named(0, 0), 1.0)),
                ..p
            };
            if self.combine(&best_case) < floor {
                return None;
            }
        }
        p.add_places(a, b);
        Some((self.combine(&p), self.anchors(&p)))
    }

    /// Whether the score with places agreeing fully (similarity 1, no unit conflict) bounds
    /// the score from above, whatever the places say: true when no place weight is negative and
    /// the opposite-stance factor does not flip the sign. [`Scorer::combine`] is then
    /// non-decreasing in the place similarity (at most 1 for every kind of agreement) and
    /// every other place outcome subtracts from it; each later step (adding or subtracting a
    /// constant, scaling by a non-negative factor, `max`, clamping) keeps that order, rounding
    /// included.
    fn places_bound_score(&self) -> bool {
        let w = &self.weights;
        w.place_agree >= 0.0
            && w.place_unknown >= 0.0
            && w.place_conflict >= 0.0
            && w.place_conflict_soft >= 0.0
            && w.place_neighbours >= 0.0
            && w.admin_conflict >= 0.0
            && w.opposite_stance <= 1.0
    }

    /// The score of a pair and its explanation (without shared terms, which need the text).
    pub fn explain(
        &self,
        a: &Fingerprint,
        b: &Fingerprint,
        lexicon: &ProblemLexicon,
    ) -> (f32, Explanation) {
        let p = parts(a, b);
        let score = self.combine(&p);
        let place = if let Some((m, s)) = p.place {
            let similarity = round3(s);
            match m {
                PlaceMatch::Named(i, j) => PlaceEvidence::Agree {
                    a: SmolStr::new(&a.places[i].name),
                    b: SmolStr::new(&b.places[j].name),
                    similarity,
                },
                PlaceMatch::MentionedInB(i) => PlaceEvidence::Mentioned {
                    name: SmolStr::new(&a.places[i].name),
                    similarity,
                },
                PlaceMatch::MentionedInA(j) => PlaceEvidence::Mentioned {
                    name: SmolStr::new(&b.places[j].name),
                    similarity,
                },
                PlaceMatch::SharedNames => PlaceEvidence::SharedNames { similarity },
                PlaceMatch::Address => PlaceEvidence::Address {
                    a: SmolStr::new(&a.address),
                    b: SmolStr::new(&b.address),
                    similarity,
                },
            }
        } else if let Some((i, j)) = p.place_conflict {
            PlaceEvidence::Conflict {
                a: a.places[i].full_name().into(),
                b: b.places[j].full_name().into(),
                firm: !p.place_conflict_soft,
            }
        } else {
            PlaceEvidence::Unknown
        };
        let labels = |ids: &[u16]| -> Vec<String> {
            ids.iter().map(|p| lexicon.label(*p).to_string()).collect()
        };
        let problem = if p.problem_shared > 0 || p.problem_weak {
            let mut shared: Vec<u16> = if p.problem_shared > 0 {
                a.problems
                    .iter()
                    .copied()
                    .filter(|x| b.problems.binary_search(x).is_ok() && !variants_differ(a, b, *x))
                    .collect()
            } else {
                weakly_shared(a, b).collect()
            };
            shared.sort_unstable();
            shared.dedup();
            ProblemEvidence::Agree {
                shared: labels(&shared),
                weak: p.problem_shared == 0,
            }
        } else if p.problem_conflict {
            // Classes named by kind show their kinds ("烧烤", not "餐饮油烟").
            let named = |fp: &Fingerprint| -> Vec<String> {
                let mut out = Vec::new();
                for &x in &fp.problems {
                    match kinds(fp, x) {
                        [] => out.push(lexicon.label(x).to_string()),
                        ks => out.extend(ks.iter().map(|&(_, v)| lexicon.label(v).to_string())),
                    }
                }
                out
            };
            ProblemEvidence::Conflict {
                a: named(a),
                b: named(b),
                firm: p.problem_conflict_firm,
            }
        } else {
            ProblemEvidence::Unknown
        };
        let explanation = Explanation {
            text: round3(p.text),
            title: p.title.map(round3),
            place,
            problem,
            days_apart: p.days_apart.map(|d| (d * 10.0).round() / 10.0),
            admin_conflict: p.admin_conflict,
            opposite_stance: p.counter_stance,
            same_reporter: p.same_reporter,
            same_category: p.same_category,
            exact_repost: a.content_key == b.content_key,
            shared_terms: Vec::new(),
        };
        (score, explanation)
    }

    fn combine(&self, p: &Parts) -> f32 {
        let w = &self.weights;
        let base = match p.title {
            Some(t) => w.text * p.text + (1.0 - w.text) * t.max(p.text),
            None => p.text,
        };
        let mut s = base;
        if p.admin_conflict {
            s -= w.admin_conflict;
        }
        if let Some((m, sim)) = p.place {
            s += w.place_agree * sim;
            if m == PlaceMatch::SharedNames {
                // Name words shared weakly say little more than nothing about the place.
                s -= w.place_unknown * (1.0 - sim / MENTION_AGREEMENT).max(0.0);
            }
        } else if p.place_conflict.is_none() {
            // Nothing says it is the same place: city-wide topics (入学, 补课) look alike
            // without being one problem, so the text must carry the match.
            s -= w.place_unknown;
        } else if p.place_conflict_soft {
            s -= if p.place_neighbours {
                w.place_neighbours
            } else {
                w.place_conflict_soft
            };
        } else if p.place_conflict.is_some() {
            s -= w.place_conflict;
        }
        if p.problem_shared > 0 {
            s += w.problem_agree;
        } else if p.problem_weak {
            s += w.problem_agree / 2.0;
        } else if p.problem_conflict_firm {
            s -= w.problem_conflict;
        } else if p.problem_conflict {
            s -= w.problem_conflict_soft;
        }
        if p.same_reporter {
            s += w.same_reporter;
        }
        if p.same_category == Some(false) {
            s -= w.category_conflict;
        }
        if let Some(days) = p.days_apart {
            if days > w.time_free_days {
                let over = ((days - w.time_free_days) / (3.0 * w.time_free_days)).min(1.0);
                s -= w.time_penalty * over;
            }
        }
        if p.counter_stance {
            s *= 1.0 - w.opposite_stance;
        }
        if p.text >= w.repost_cosine {
            s = s.max(p.text);
        }
        if s.is_nan() {
            return 0.0;
        }
        s.clamp(0.0, 1.0)
    }
}

/// Whether two administrative unit cores name one unit. Units are read leftwards from their
/// suffix and may take in a word before the name ("老家蓼花镇", "避雷高新区"), so a core that
/// ends with the other (of two characters or more) names the same unit.
fn same_unit(x: &str, y: &str) -> bool {
    let (long, short) = if x.len() >= y.len() { (x, y) } else { (y, x) };
    long.ends_with(short) && (long.len() == short.len() || short.chars().count() >= 2)
}

/// Problem classes two orders share where at least one side's evidence is weak: a generic
/// class both raise, or a class one side only hints at with a cue and the other names.
fn weakly_shared<'f>(a: &'f Fingerprint, b: &'f Fingerprint) -> impl Iterator<Item = u16> + 'f {
    let has = |fp: &Fingerprint, x: u16| {
        fp.generic_problems.binary_search(&x).is_ok() || fp.problems.binary_search(&x).is_ok()
    };
    let from_a = a
        .generic_problems
        .iter()
        .copied()
        .filter(move |&x| has(b, x));
    let from_b = b
        .generic_problems
        .iter()
        .copied()
        .filter(move |&x| a.problems.binary_search(&x).is_ok());
    from_a.chain(from_b)
}

fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

/// Kinds whose names identify one entity: two different ones of these mean two problems.
/// Roads and public places do not: a complaint names the road it is on and the crossing one.
fn is_identifying(kind: PlaceKind) -> bool {
    // Agreeing on a bus line says little, but two lines are two places.
    kind_weight(kind) >= 1.0 || kind == PlaceKind::Route
}

fn parts(a: &Fingerprint, b: &Fingerprint) -> Parts {
    parts_with(
        a,
        b,
        |_| cosine_beyond_places(a, b),
        || normalized_levenshtein(&a.title, &b.title),
    )
}
/// [`parts`], given ways to the pair's text similarity (called with whether place words keep
/// their full weight, see [`keeps_place_words`]) and to its title similarity (called only when
/// both have titles), which a caller may have cheaper (see [`PairSide`]).
fn parts_with(
    a: &Fingerprint,
    b: &Fingerprint,
    text: impl FnOnce(bool) -> f32,
    title: impl FnOnce() -> f32,
) -> Parts {
    let mut p = parts_beside_places(a, b, text, title);
    p.add_places(a, b);
    p
}

/// [`parts_with`] without the evidence of places and administrative units: no place, no
/// conflict. [`Parts::add_places`] adds it.
fn parts_beside_places(
    a: &Fingerprint,
    b: &Fingerprint,
    text: impl FnOnce(bool) -> f32,
    title: impl FnOnce() -> f32,
) -> Parts {
    let text = text(keeps_place_words(a, b));
    let title = (!a.title.is_empty() && !b.title.is_empty()).then(title);

    // The title names the main problem: where both titles raise one, they decide, and a
    // disagreement between them is a firm conflict. Problems found in bodies are looser
    // (letters raise several), so disagreement there costs less.
    let titles_decide = !a.title_problems.is_empty() && !b.title_problems.is_empty();
    let (pa, pb) = if titles_decide {
        (&a.title_problems, &b.title_problems)
    } else {
        (&a.problems, &b.problems)
    };
    // A class both raise is shared unless each names a kind of it and no kind agrees (a
    // barbecue's smoke and a wok kitchen's fumes): that is two problems.
    let agrees = |x: &ProblemId| pb.binary_search(x).is_ok() && !variants_differ(a, b, *x);
    let shared = pa.iter().filter(|x| agrees(x)).count();
    let problem_conflict = shared == 0 && !pa.is_empty() && !pb.is_empty();
    // Where the bodies share problems but none of them is one side's main problem (a letter
    // about street lights that also mentions stray dogs, and a call about the dogs), what they
    // share is a side remark: weak agreement.
    let (la, lb) = (a.lead_problems(), b.lead_problems());
    let off_lead = |lead: &[ProblemId]| {
        !lead.is_empty()
            && !pa
                .iter()
                .any(|x| agrees(x) && lead.binary_search(x).is_ok())
    };
    let side_remark = !titles_decide && shared > 0 && (off_lead(la) || off_lead(lb));
    // Where what they share is a side remark of both, their main problems differ: a letter
    // about school places that lists fire risks among a dozen others, and a call about
    // charging e-bikes in the corridor that names the fire risk.
    let leads_differ = side_remark && off_lead(la) && off_lead(lb);
    let shared = if side_remark { 0 } else { shared };
    let problem_conflict = problem_conflict || leads_differ;
    // A generic class ("noise") agrees only where a specific one cannot decide.
    let problem_weak = side_remark && !leads_differ
        || shared == 0 && !problem_conflict && weakly_shared(a, b).next().is_some();

    Parts {
        text,
        title,
        admin_conflict: false,
        place: None,
        place_conflict: None,
        place_conflict_soft: false,
        place_neighbours: false,
        problem_shared: shared,
        problem_weak,
        problem_conflict,
        problem_conflict_firm: problem_conflict && titles_decide,
        days_apart: match (a.minute, b.minute) {
            (Some(x), Some(y)) => Some((x - y).abs() as f32 / 1440.0),
            _ => None,
        },
        counter_stance: a.counter_stance != b.counter_stance,
        same_reporter: a.reporter.is_some() && a.reporter == b.reporter,
        same_category: match (a.category, b.category) {
            (Some(x), Some(y)) => Some(x == y),
            _ => None,
        },
    }
}

impl Parts {
    /// Fills in what the places and administrative units of `a` and `b` say.
    fn add_places(&mut self, a: &Fingerprint, b: &Fingerprint) {
        // The best agreeing pair of places, and failing that a pair of one kind that disagrees.
        let mut best: Option<(PlaceMatch, f32)> = None;
        let mut conflict: Option<(usize, usize)> = None;
        let mut cross_kind: Option<(usize, usize)> = None;
        let mut neighbours: Option<(usize, usize)> = None;
        // One road at two house numbers: two addresses ("沙湾路88号", "沙湾路126号").
        let mut numbers_differ: Option<(usize, usize)> = None;
        let mut roads_differ: Option<(usize, usize)> = None;
        for (i, pa) in a.places.iter().enumerate() {
            for (j, pb) in b.places.iter().enumerate() {
                let same_kind = pa.kind == pb.kind || compatible(pa.kind, pb.kind);
                let sim = place_similarity(pa, pb);
                if pa.kind == PlaceKind::Road
                    && pb.kind == PlaceKind::Road
                    && sim >= 0.5
                    && matches!((pa.number, pb.number), (Some(x), Some(y)) if x != y)
                {
                    numbers_differ.get_or_insert((i, j));
                    continue;
                }
                // One name under two suffixes (星汉路, 星汉公馆, 星汉中心项目) is one area: it
                // agrees, though less than one name under one suffix.
                let kind_factor = if same_kind { 1.0 } else { CROSS_KIND_AGREEMENT };
                // But two things that each identify a place are two places, whatever name they
                // share: 梨墅小学 is not 梨墅公馆, 芦花村卫生院 not 芦花村.
                let two_things = !same_kind && is_identifying(pa.kind) && is_identifying(pb.kind);
                if (same_kind && sim >= 0.5) || (sim >= 1.0 && !two_things) {
                    let weighted =
                        sim * kind_factor * kind_weight(pa.kind).min(kind_weight(pb.kind));
                    if best.is_none_or(|(_, s)| weighted > s) {
                        best = Some((PlaceMatch::Named(i, j), weighted));
                    }
                } else if pa.kind == pb.kind && is_identifying(pa.kind) {
                    conflict.get_or_insert((i, j));
                } else if is_identifying(pa.kind) && is_identifying(pb.kind) {
                    if home_and_source(pa.kind, pb.kind) {
                        neighbours.get_or_insert((i, j));
                    } else {
                        cross_kind.get_or_insert((i, j));
                    }
                } else if pa.kind == PlaceKind::Road && pb.kind == PlaceKind::Road {
                    roads_differ.get_or_insert((i, j));
                }
            }
        }
        // Two crossings of one road are two spots: "枫阳北路与兰墅路交叉口" and "兰墅路和南辰路
        // 交汇处" share 兰墅路, not the road that crosses it.
        if let Some((PlaceMatch::Named(i, j), _)) = best {
            if let Some(other) = crossing_roads_differ(a, b, i, j) {
                best = None;
                conflict.get_or_insert(other);
            }
        }
        // A road or a park agreeing says little when two 小区 or two companies disagree: two
        // restaurants on one road are two problems.
        if let (Some((PlaceMatch::Named(i, j), _)), Some(_)) = (best, conflict) {
            let weak = |k: usize, fp: &Fingerprint| {
                fp.places.get(k).is_none_or(|p| kind_weight(p.kind) < 1.0)
            };
            if weak(i, a) && weak(j, b) {
                best = None;
            }
        }
        // Different districts or counties (or towns), with no place agreeing, are different
        // problems: "d6县一中补课" and "k7县一中补课".
        fn units<'f>(fp: &'f Fingerprint, kinds: &'f [PlaceKind]) -> impl Iterator<Item = &'f str> {
            fp.admin
                .iter()
                .filter(|p| kinds.contains(&p.kind))
                .map(|p| p.core.as_str())
        }
        // Without collecting: this runs for every candidate pair.
        let disjoint = |kinds: &[PlaceKind]| {
            units(a, kinds).next().is_some()
                && units(b, kinds).next().is_some()
                && !units(a, kinds).any(|x| units(b, kinds).any(|y| same_unit(x, y)))
        };
        // Cities and counties are one level where they are compared as regions: a county-level
        // 市 and a 县 are two places.
        // Only a named entity (not a road) outweighs them: two cities both have a 人民路.
        // A numbered school (第二十九中学) is in every district: its number does not outweigh them.
        // Nor does a village's name: 胜利村 and 新华村 are in many counties.
        let strong_agreement = best.is_some_and(|(m, s)| {
            s >= 1.0
                && !matches!(m, PlaceMatch::Named(i, _) if a.places.get(i).is_some_and(|p| {
                    p.kind == PlaceKind::Village || crate::text::extract::is_numbered(&p.core)
                }))
        });
        let admin_conflict = !strong_agreement
            && (disjoint(&[PlaceKind::District])
                || disjoint(&[PlaceKind::Town])
                || disjoint(&[PlaceKind::City, PlaceKind::District]));
        if admin_conflict {
            best = None;
        }

        if best.is_none() && conflict.is_none() {
            conflict = numbers_differ;
        }
        // Roads alone agree weakly (a road holds many problems), but where both name roads, none
        // in common, and nothing else agrees, they are two places: the lights of 朗堤路 and of 竹林路.
        if best.is_none() && conflict.is_none() {
            conflict = roads_differ;
        }
        // A place named with a suffix on one side and mentioned bare on the other
        // ("金桂坊小区" / "金桂坊北门被锁"). Not where each names its own place of another kind
        // (朗岛花园 and 朗岛实验中学): the name both share is then the other place's. On a
        // generated 1M dump, the links through such mentions were nearly all between two
        // events.
        if best.is_none() && conflict.is_none() && cross_kind.is_none() && !admin_conflict {
            let mention = |x: &Fingerprint, y: &Fingerprint, flip: bool| {
                x.places.iter().enumerate().find_map(|(i, p)| {
                    // A line's number alone is no mention of it.
                    (is_identifying(p.kind)
                        && p.kind != PlaceKind::Route
                        && y.mentions(&x.place_terms[i]))
                    .then(|| {
                        let w = MENTION_AGREEMENT * kind_weight(p.kind);
                        if flip {
                            (PlaceMatch::MentionedInA(i), w)
                        } else {
                            (PlaceMatch::MentionedInB(i), w)
                        }
                    })
                })
            };
            best = mention(a, b, false).or_else(|| mention(b, a, true));
        }
        // Rare name words both share ("澜庭", "润昇") point at one entity even where no suffix
        // names it; how strongly depends on how rare they are in this corpus.
        // Not where each names its own place of another kind (蔡湾村 and 樟江御府): rare words
        // both share then say what happened, not where.
        if best.is_none()
            && conflict.is_none()
            && cross_kind.is_none()
            && neighbours.is_none()
            && !admin_conflict
        {
            let (overlap, smaller_mass) = shared_entity_idf(a, b);
            let strength = shared_names_strength(overlap, smaller_mass);
            if strength > 0.0 {
                best = Some((PlaceMatch::SharedNames, strength * MENTION_AGREEMENT));
            }
        }
        // Two addresses written alike are one place, whatever names they hold.
        if best.is_none() && !a.address.is_empty() && !b.address.is_empty() {
            let sim = normalized_levenshtein(&a.address, &b.address);
            if sim >= ADDRESS_AGREEMENT {
                best = Some((PlaceMatch::Address, sim));
                conflict = None;
            }
        }
        let (place_conflict, place_conflict_soft, place_neighbours) = match (best, conflict) {
            (Some(_), _) => (None, false, false),
            (None, Some(c)) => (Some(c), false, false),
            (None, None) => match (cross_kind, neighbours) {
                (Some(c), _) => (Some(c), true, false),
                (None, Some(n)) => (Some(n), true, true),
                (None, None) => (None, false, false),
            },
        };
        self.place = best;
        self.place_conflict = place_conflict;
        self.place_conflict_soft = place_conflict_soft;
        self.place_neighbours = place_neighbours;
        self.admin_conflict = admin_conflict;
    }
}

/// The kinds of `class` an order names, as `(class, variant)`.
fn kinds(fp: &Fingerprint, class: ProblemId) -> &[(ProblemId, ProblemId)] {
    let at = fp.problem_variants.partition_point(|&(c, _)| c < class);
    let len = fp.problem_variants[at..]
        .iter()
        .take_while(|&&(c, _)| c == class)
        .count();
    &fp.problem_variants[at..at + len]
}

/// Whether both orders name kinds of `class` and none of them agree.
fn variants_differ(a: &Fingerprint, b: &Fingerprint, class: ProblemId) -> bool {
    if a.problem_variants.is_empty() || b.problem_variants.is_empty() {
        return false;
    }
    let (ka, kb) = (kinds(a, class), kinds(b, class));
    !ka.is_empty() && !kb.is_empty() && !ka.iter().any(|k| kb.contains(k))
}

/// The TF-IDF cosine of two orders' words, with the words that name their places counted at
/// [`PLACE_WORDS_IN_TEXT`] of their weight unless both orders have titles.
///
/// Place agreement is scored on its own; left in the words in full, a place's name would count
/// twice, and a short order that is little more than the name ("蓝悦公馆下水道堵塞") would look
/// like every other order about that place, whatever its problem. Shared words that name a
/// place on either side count in part; the vectors are not renormalised, so two orders about
/// different places do not gain from losing their (unshared) names.
fn cosine_beyond_places(a: &Fingerprint, b: &Fingerprint) -> f32 {
    if keeps_place_words(a, b) {
        return cosine(&a.terms, &b.terms);
    }
    let names = |fp: &Fingerprint, h: TermHash| fp.place_words.binary_search(&h).is_ok();
    let (mut i, mut j, mut dot, mut names_dot) = (0, 0, 0.0f32, 0.0f32);
    let (x, y) = (&a.terms, &b.terms);
    while i < x.len() && j < y.len() {
        match x[i].0.cmp(&y[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                let h = x[i].0;
                if !names(a, h) && !names(b, h) {
                    dot += x[i].1 * y[j].1;
                } else {
                    names_dot += x[i].1 * y[j].1;
                }
                i += 1;
                j += 1;
            }
        }
    }
    (dot + PLACE_WORDS_IN_TEXT * names_dot).clamp(0.0, 1.0)
}

/// Whether a pair's text similarity is the plain cosine: both have titles, or neither names
/// a place.
fn keeps_place_words(a: &Fingerprint, b: &Fingerprint) -> bool {
    (a.place_words.is_empty() && b.place_words.is_empty())
        || (!a.title.is_empty() && !b.title.is_empty())
}

/// The share of their weight that shared place words keep in the text similarity of an order
/// without a title. Lower values separate more orders about one place on the generated data
/// and cost recall on the fixture (0.5: fixture pairwise F1 0.946).
const PLACE_WORDS_IN_TEXT: f32 = 0.6;

/// One order's side of the many pairs it is scored in, prepared once: its terms as a
/// [`TermTable`] and its title as a [`TitlePattern`]. The batch pass loads each order in turn
/// and scores it against its candidates with [`Scorer::score_anchored_against`].
#[derive(Debug, Default)]
pub(crate) struct PairSide {
    terms: TermTable,
    title: TitlePattern,
}

impl PairSide {
    /// Prepares `fp`'s side, reusing this one's memory.
    pub(crate) fn load(&mut self, fp: &Fingerprint) {
        self.terms.load(&fp.terms, &fp.place_words);
        self.title.load(&fp.title);
    }
}

/// A title of at most 64 characters as the bit masks of Myers' bit-parallel edit distance
/// (in Hyyrö's formulation): for each of its characters, the positions where it occurs. The
/// distance to another string then costs a few word operations per character of that string,
/// where the dynamic programme of [`normalized_levenshtein`] costs one step per pair of
/// characters. Both compute the exact Levenshtein distance, so the similarity is the same to
/// the bit.
#[derive(Debug, Default)]
struct TitlePattern {
    /// Characters in the pattern (0: none loaded, or too long for one word).
    len: u32,
    /// Open addressing by character: `(char, positions)`, [`TitlePattern::FREE`] marks a free
    /// slot. [`TitlePattern::SLOTS`] slots: at most half full.
    masks: Vec<(u32, u64)>,
}

impl TitlePattern {
    /// Not a Unicode scalar value: marks a free slot.
    const FREE: u32 = u32::MAX;
    const SLOTS: usize = 128;

    fn slot(c: u32) -> usize {
        (c.wrapping_mul(0x9e37_79b1) >> (32 - Self::SLOTS.trailing_zeros())) as usize
    }

    fn load(&mut self, title: &str) {
        self.masks.clear();
        self.masks.resize(Self::SLOTS, (Self::FREE, 0));
        self.len = 0;
        let mut len = 0u32;
        for c in title.chars() {
            if len == 64 {
                self.len = 0;
                return;
            }
            let c = c as u32;
            let mut i = Self::slot(c);
            while self.masks[i].0 != Self::FREE && self.masks[i].0 != c {
                i = (i + 1) % Self::SLOTS;
            }
            self.masks[i].0 = c;
            self.masks[i].1 |= 1 << len;
            len += 1;
        }
        self.len = len;
    }

    #[inline]
    fn mask(&self, c: u32) -> u64 {
        let mut i = Self::slot(c);
        loop {
            let (k, m) = self.masks[i];
            if k == c {
                return m;
            }
            if k == Self::FREE {
                return 0;
            }
            i = (i + 1) % Self::SLOTS;
        }
    }

    /// `normalized_levenshtein(pattern, other)`, or `None` when no pattern of 1 to 64
    /// characters is loaded.
    fn similarity(&self, other: &str) -> Option<f32> {
        let m = self.len;
        if m == 0 {
            return None;
        }
        let last = 1u64 << (m - 1);
        let (mut pv, mut mv) = (!0u64, 0u64);
        let mut distance = m;
        let mut n = 0u32;
        for c in other.chars() {
            n += 1;
            let eq = self.mask(c as u32);
            let xv = eq | mv;
            let xh = ((eq & pv).wrapping_add(pv) ^ pv) | eq;
            let ph = mv | !(xh | pv);
            let mh = pv & xh;
            if ph & last != 0 {
                distance += 1;
            } else if mh & last != 0 {
                distance -= 1;
            }
            // The first row of the distance matrix counts up (the distance from the empty
            // prefix): a +1 enters at the bottom.
            let ph = (ph << 1) | 1;
            let mh = mh << 1;
            pv = mh | !(xv | ph);
            mv = ph & xv;
        }
        Some((1.0 - f64::from(distance) / f64::from(m.max(n))) as f32)
    }
}

/// Characters of the second string that [`normalized_levenshtein`] keeps on the stack.
const STACK_CHARS: usize = 96;

/// Normalised Levenshtein similarity by characters, exactly as
/// `strsim::normalized_levenshtein(a, b) as f32` computes it, without allocating for strings of
/// up to [`STACK_CHARS`] characters (titles and addresses of every candidate pair).
fn normalized_levenshtein(a: &str, b: &str) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let b_len = b.chars().count();
    let mut stack_chars = ['\0'; STACK_CHARS];
    let mut stack_cache = [0u32; STACK_CHARS];
    let (mut heap_chars, mut heap_cache) = (Vec::new(), Vec::new());
    let (bs, cache): (&[char], &mut [u32]) = if b_len <= STACK_CHARS {
        for (slot, c) in stack_chars.iter_mut().zip(b.chars()) {
            *slot = c;
        }
        (&stack_chars[..b_len], &mut stack_cache[..b_len])
    } else {
        heap_chars.extend(b.chars());
        heap_cache.resize(b_len, 0);
        (&heap_chars[..], &mut heap_cache[..])
    };
    for (j, slot) in cache.iter_mut().enumerate() {
        *slot = j as u32 + 1;
    }
    let mut result = b_len as u32;
    let mut a_len = 0usize;
    for (i, ac) in a.chars().enumerate() {
        a_len = i + 1;
        result = i as u32 + 1;
        let mut distance_b = i as u32;
        for (bc, slot) in bs.iter().zip(cache.iter_mut()) {
            let distance_a = distance_b + u32::from(ac != *bc);
            distance_b = *slot;
            result = (result + 1).min(distance_a.min(distance_b + 1));
            *slot = result;
        }
    }
    (1.0 - f64::from(result) / a_len.max(b_len) as f64) as f32
}

/// Summed IDF of shared name words below which they say nothing of the entity.
const ENTITY_IDF_FLOOR: f32 = 2.5;

/// Summed IDF above the floor at which shared name words agree fully.
const ENTITY_IDF_SPAN: f32 = 2.5;

/// Share of the shorter side's name-word IDF mass that, shared, lets shared name words agree
/// fully.
const ENTITY_SHARE_FULL: f32 = 0.5;

/// How strongly shared name words agree on the entity, in [0, 1], from their summed IDF and
/// the smaller of the two orders' summed name-word IDFs.
///
/// One rare word two long letters share is a coincidence; in a short post that names little
/// else it is the entity: the shared words must be rare and also a good share of the names
/// the shorter side holds.
fn shared_names_strength(overlap: f32, smaller_mass: f32) -> f32 {
    if smaller_mass <= 0.0 {
        return 0.0;
    }
    let rarity = ((overlap - ENTITY_IDF_FLOOR) / ENTITY_IDF_SPAN).clamp(0.0, 1.0);
    rarity * (overlap / smaller_mass / ENTITY_SHARE_FULL).min(1.0)
}

/// The summed IDF of the name words two orders share, and the smaller of the two orders'
/// summed name-word IDFs.
fn shared_entity_idf(a: &Fingerprint, b: &Fingerprint) -> (f32, f32) {
    let (x, y) = (&a.entity_terms, &b.entity_terms);
    let mass = |v: &[(crate::fingerprint::TermHash, f32)]| v.iter().map(|(_, w)| w).sum::<f32>();
    let smaller = mass(x).min(mass(y));
    let (mut i, mut j, mut sum) = (0, 0, 0.0f32);
    while i < x.len() && j < y.len() {
        match x[i].0.cmp(&y[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += x[i].1.min(y[j].1);
                i += 1;
                j += 1;
            }
        }
    }
    (sum, smaller)
}

/// Normalised Levenshtein similarity from which two addresses are one place.
const ADDRESS_AGREEMENT: f32 = 0.75;

/// How much a place named on one side and mentioned without a suffix on the other counts.
const MENTION_AGREEMENT: f32 = 0.8;

/// How much a name shared under different suffixes counts against one shared under one.
const CROSS_KIND_AGREEMENT: f32 = 0.6;

/// Where the agreeing places `a.places[i]` and `b.places[j]` are one road and each order names
/// one other road and no other place (a crossing), those two, if they disagree: two crossings
/// of one road.
fn crossing_roads_differ(
    a: &Fingerprint,
    b: &Fingerprint,
    i: usize,
    j: usize,
) -> Option<(usize, usize)> {
    let (ri, rj) = (a.places.get(i)?, b.places.get(j)?);
    if ri.kind != PlaceKind::Road || rj.kind != PlaceKind::Road {
        return None;
    }
    let agree = |x: &crate::text::Place, y: &crate::text::Place| place_similarity(x, y) >= 0.5;
    let others = |fp: &'_ Fingerprint, shared: &crate::text::Place| -> Vec<usize> {
        fp.places
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == PlaceKind::Road && !agree(p, shared))
            .map(|(k, _)| k)
            .collect()
    };
    // A crossing is two roads and nothing else; a letter naming more names a route or an area.
    let only_roads = |fp: &Fingerprint| fp.places.iter().all(|p| p.kind == PlaceKind::Road);
    if !only_roads(a) || !only_roads(b) {
        return None;
    }
    let (oa, ob) = (others(a, rj), others(b, ri));
    let ([x], [y]) = (oa.as_slice(), ob.as_slice()) else {
        return None;
    };
    let (x, y) = (*x, *y);
    (!agree(&a.places[x], &b.places[y])).then_some((x, y))
}

/// How much agreement on a place of this kind says: a road, a park or a bus line holds many
/// problems.
fn kind_weight(kind: PlaceKind) -> f32 {
    match kind {
        PlaceKind::Road | PlaceKind::Public | PlaceKind::Route => 0.5,
        _ => 1.0,
    }
}

/// Whether one kind is a home (a 小区, a village) and the other what troubles homes (a site,
/// a company, a shop).
fn home_and_source(a: PlaceKind, b: PlaceKind) -> bool {
    use PlaceKind::*;
    let home = |k| matches!(k, Residential | Village);
    let source = |k| matches!(k, Site | Company | Business);
    home(a) && source(b) || source(a) && home(b)
}

/// Kinds that name the same sort of thing under different suffixes (a 小区 is often called by
/// its developer's project name, a 工地 by its company).
fn compatible(a: PlaceKind, b: PlaceKind) -> bool {
    use PlaceKind::*;
    matches!(
        (a, b),
        (Residential, Site) | (Site, Residential) | (Company, Site) | (Site, Company)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::{Analyzer, CorpusStats};
    use crate::order::WorkOrder;
    use std::sync::OnceLock;

    fn analyzer() -> &'static Analyzer {
        static A: OnceLock<Analyzer> = OnceLock::new();
        A.get_or_init(|| Analyzer::new().unwrap())
    }

    /// Fingerprints weighed against each other (and a little background text).
    fn fps(texts: &[&str]) -> Vec<Fingerprint> {
        let background = [
            "金沙路路灯不亮",
            "翠湖湾物业费上涨",
            "学校门口乱停车",
            "农民工工资被拖欠",
            "公交站台破损",
            "菜市场占道经营",
        ];
        let mut all: Vec<Fingerprint> = texts
            .iter()
            .chain(background.iter())
            .enumerate()
            .map(|(i, t)| analyzer().fingerprint(&WorkOrder::new(&i.to_string(), t), "s"))
            .collect();
        let mut stats = CorpusStats::default();
        for fp in &all {
            stats.add(fp);
        }
        for fp in &mut all {
            fp.weigh(&stats);
        }
        all.truncate(texts.len());
        all
    }

    /// Fingerprints of `orders`, weighed against each other alone.
    fn weigh_together(orders: impl Iterator<Item = WorkOrder>) -> Vec<Fingerprint> {
        let mut stats = CorpusStats::default();
        let mut f: Vec<Fingerprint> = orders
            .map(|o| analyzer().fingerprint(&o, "s"))
            .inspect(|fp| stats.add(fp))
            .collect();
        for fp in &mut f {
            fp.weigh(&stats);
        }
        f
    }

    #[test]
    fn same_place_same_problem_in_other_words_scores_high() {
        let f = fps(&[
            "市民来电反映：枫桥雅苑小区旁边工地每天夜里施工到凌晨，噪音很大，要求处理。",
            "枫桥雅苑业主：隔壁工地半夜还在打桩，吵得根本睡不着觉！",
        ]);
        let s = Scorer::default();
        let (score, why) = s.explain(&f[0], &f[1], analyzer().problems());
        assert!(score >= 0.5, "{score} {why:?}");
        assert!(matches!(why.place, PlaceEvidence::Agree { .. }), "{why:?}");
        assert!(
            matches!(why.problem, ProblemEvidence::Agree { .. }),
            "{why:?}"
        );
    }

    #[test]
    fn a_short_post_naming_the_place_is_not_a_copy_of_every_order_there() {
        let f = fps(&[
            "来电人反映：经开区桂畔街道蓝悦公馆，旁边新开的工地隔三差五施工到1点，机器轰鸣，要求夜里十点后停止施工。",
            "蓝悦公馆下水道堵塞",
        ]);
        let s = Scorer::default();
        let (score, why) = s.explain(&f[0], &f[1], analyzer().problems());
        assert!(matches!(why.place, PlaceEvidence::Agree { .. }), "{why:?}");
        // The shared name counts as place agreement, and only in part again in the words.
        let full = cosine(&f[0].terms, &f[1].terms);
        assert!(why.text < full, "{} vs {full}", why.text);
        assert!(score < s.weights().place_agree + full, "{score} {why:?}");
        assert!(score < 0.45, "{score} {why:?}");
        // The text may segment the whole name ("溪星湾") where the core alone is "溪星".
        let f = fps(&["经开区溪星湾自来水发黄", "溪星湾：夜间施工扰民"]);
        let (score, why) = s.explain(&f[0], &f[1], analyzer().problems());
        assert!(why.text < 0.5, "{why:?}");
        assert!(score < 0.45, "{score} {why:?}");
    }

    #[test]
    fn numbered_schools_and_villages_in_two_districts_are_two_places() {
        // Every district has a 第二十九中学, and village names repeat from county to county:
        // neither outweighs two units.
        for texts in [
            [
                "临江区第二十九中学门口路边摊天天摆到半夜，垃圾遍地",
                "青山区第二十九中学门口流动摊贩晚上摆摊，垃圾遍地",
                "临江区第二十九中学校门口摊贩占道，满地垃圾",
            ],
            [
                "k9县团头村通组公路还没硬化，下雨全是泥",
                "d6县团头村通组公路一直没硬化，雨天没法走",
                "k9县团头村的通组公路至今没有硬化",
            ],
        ] {
            let f = fps(&texts);
            let s = Scorer::default();
            let (apart, why) = s.explain(&f[0], &f[1], analyzer().problems());
            assert!(why.admin_conflict, "{why:?}");
            let (together, why) = s.explain(&f[0], &f[2], analyzer().problems());
            assert!(!why.admin_conflict, "{why:?}");
            assert!(together > apart, "{together} vs {apart}");
        }
    }

    #[test]
    fn a_school_and_an_estate_sharing_a_name_are_two_places() {
        let f = fps(&[
            "梨墅小学门口放学时接送车辆乱停，堵成一锅粥",
            "梨墅公馆门口被私家车长期占用，乱停车严重",
            "梨墅路上私家车乱停，堵得走不动",
        ]);
        let s = Scorer::default();
        let (_, why) = s.explain(&f[0], &f[1], analyzer().problems());
        assert!(!matches!(why.place, PlaceEvidence::Agree { .. }), "{why:?}");
        // A road of that name is the area both stand in: it still agrees, weakly.
        let (_, why) = s.explain(&f[1], &f[2], analyzer().problems());
        assert!(matches!(why.place, PlaceEvidence::Agree { .. }), "{why:?}");
    }

    #[test]
    fn a_problem_mentioned_in_passing_agrees_only_weakly() {
        let f = fps(&[
            "领导好！峰尚坊佳园的路灯白天亮晚上不亮，晚上回家只能打手电。此外，峰尚坊佳园还存在遛狗不牵绳的问题。",
            "来电反映：峰尚坊佳园2幢，流浪狗咬伤了小孩，物业说管不了。",
            "峰尚坊佳园好多人遛狗不牵绳，狗随地大小便，孩子被吓哭。",
        ]);
        let s = Scorer::default();
        // The letter is about the lights; the dogs are a side remark.
        let (side, why) = s.explain(&f[0], &f[1], analyzer().problems());
        assert!(
            matches!(why.problem, ProblemEvidence::Agree { weak: true, .. }),
            "{why:?}"
        );
        // Two orders that lead with the dogs agree in full, and score higher.
        let (main, why) = s.explain(&f[1], &f[2], analyzer().problems());
        assert!(
            matches!(why.problem, ProblemEvidence::Agree { weak: false, .. }),
            "{why:?}"
        );
        assert!(main > side, "{main} vs {side}");
    }

    #[test]
    fn side_remarks_of_both_are_no_shared_problem() {
        let f = fps(&[
            "澄园里楼道里天天有人给电动车充电，飞线充电。消防安全隐患大，请物业清理",
            "希望澄园里旁边建公办学校，孩子上学难，学位紧张。另外小区消防安全隐患也多，电梯也老化",
            "澄园里电动车在楼道充电，消防安全隐患很大，请物业管一管",
        ]);
        let s = Scorer::default();
        // Each names the fire risk only beside its own main problem: they disagree.
        let (_, why) = s.explain(&f[0], &f[1], analyzer().problems());
        assert!(
            matches!(why.problem, ProblemEvidence::Conflict { firm: false, .. }),
            "{why:?}"
        );
        // Two calls about the charging agree in full.
        let (_, why) = s.explain(&f[0], &f[2], analyzer().problems());
        assert!(
            matches!(why.problem, ProblemEvidence::Agree { weak: false, .. }),
            "{why:?}"
        );
    }

    #[test]
    fn a_home_and_what_troubles_it_conflict_less_than_other_kinds() {
        // Victims name where they live, others the site: that costs less than a school
        // against a 小区, though both are places of different kinds.
        let f = fps(&[
            "芷兰湾小区旁边夜间施工打桩，吵得睡不着",
            "恒澄工地夜间施工打桩，吵得睡不着",
            "禄舍中学夜间施工打桩，吵得睡不着",
        ]);
        let s = Scorer::default();
        let (home_site, why) = s.explain(&f[0], &f[1], analyzer().problems());
        assert!(
            matches!(why.place, PlaceEvidence::Conflict { firm: false, .. }),
            "{why:?}"
        );
        let (home_school, why) = s.explain(&f[0], &f[2], analyzer().problems());
        assert!(
            matches!(why.place, PlaceEvidence::Conflict { firm: false, .. }),
            "{why:?}"
        );
        let w = ScoreWeights::default();
        let gap = w.place_conflict_soft - w.place_neighbours;
        assert!(
            (home_site - home_school - gap).abs() < 0.05,
            "{home_site} vs {home_school}"
        );
    }

    #[test]
    fn a_cue_word_does_not_make_a_problem_conflict() {
        // 外墙 hints at wall defects, but here the building is unfinished: the short post's
        // class is only cued, so it does not conflict with the delayed delivery.
        let f = fps(&[
            "云谷澜庭逾期交房，开发商至今没有书面答复，要求督办",
            "避雷云谷澜庭 说好的五月住新房 现在连外墙都没做完",
            "云谷澜庭外墙开裂渗水，墙体有裂缝",
        ]);
        let (_, why) = Scorer::default().explain(&f[0], &f[1], analyzer().problems());
        assert_eq!(why.problem, ProblemEvidence::Unknown, "{why:?}");
        // The cued class still agrees, weakly, with an order that names it.
        let (_, why) = Scorer::default().explain(&f[1], &f[2], analyzer().problems());
        assert!(
            matches!(&why.problem, ProblemEvidence::Agree { weak: true, shared } if shared == &["房屋质量"]),
            "{why:?}"
        );
        // Named on both sides, the classes conflict as before.
        let (_, why) = Scorer::default().explain(&f[0], &f[2], analyzer().problems());
        assert!(
            matches!(why.problem, ProblemEvidence::Conflict { firm: false, .. }),
            "{why:?}"
        );
    }

    #[test]
    fn opposite_demands_at_one_place_stay_apart_however_alike() {
        let f = fps(&[
            "砚池新村6栋加装电梯受阻 一楼住户阻挠施工，请协调加装电梯",
            "反对砚池新村6栋加装电梯 电梯井挡住一楼采光，请暂停加装电梯",
        ]);
        let (score, why) = Scorer::default().explain(&f[0], &f[1], analyzer().problems());
        assert!(why.opposite_stance, "{why:?}");
        assert!(matches!(why.place, PlaceEvidence::Agree { .. }), "{why:?}");
        assert!(score < crate::DEFAULT_THRESHOLD * 0.6, "{score} {why:?}");
    }

    #[test]
    fn a_unit_read_with_a_word_before_it_is_the_same_unit() {
        // "回老家蓼花镇" reads the town as 老家蓼花镇: still the town of 蓼花镇, no conflict.
        let f = fps(&[
            "回老家蓼花镇过暑假 一下车就被猪场的味道熏回来了",
            "蓼花镇苦楝村养猪场粪水外溢到村道上，臭味很大",
            "青石镇一个养猪场臭味很大",
        ]);
        let (_, why) = Scorer::default().explain(&f[0], &f[1], analyzer().problems());
        assert!(!why.admin_conflict, "{why:?}");
        let (_, why) = Scorer::default().explain(&f[0], &f[2], analyzer().problems());
        assert!(why.admin_conflict, "{why:?}");
        assert!(same_unit("老家蓼花", "蓼花") && same_unit("蓼花", "蓼花"));
        assert!(!same_unit("蓼花", "花") && !same_unit("青石", "蓼花"));
    }

    #[test]
    fn two_kinds_of_one_problem_on_one_road_are_two_problems() {
        let f = fps(&[
            "楼下小炒店一到饭点就爆炒，辣椒油烟呛人，就在桂溪路上，谁来管管",
            "桂溪路老张烧烤每晚炭火烧烤到深夜，烧烤油烟熏得没法开窗",
            "桂溪路一家饭店炒菜油烟直排，辣椒味呛得老人咳嗽",
        ]);
        let s = Scorer::default();
        // A wok kitchen and a barbecue: both cooking fumes, two shops.
        let (apart, why) = s.explain(&f[0], &f[1], analyzer().problems());
        assert!(
            matches!(&why.problem, ProblemEvidence::Conflict { a, b, .. }
                if a == &["炒菜油烟"] && b == &["烧烤油烟"]),
            "{why:?}"
        );
        // Two reports of the wok kitchen agree on the kind.
        let (together, why) = s.explain(&f[0], &f[2], analyzer().problems());
        assert!(
            matches!(why.problem, ProblemEvidence::Agree { weak: false, .. }),
            "{why:?}"
        );
        assert!(
            apart < crate::DEFAULT_THRESHOLD && together > apart,
            "{apart} {together}"
        );
    }

    #[test]
    fn same_place_other_problem_scores_low() {
        let f = fps(&[
            "枫桥雅苑小区旁边工地夜间施工噪音扰民",
            "枫桥雅苑小区地下车库积水，电梯经常故障",
        ]);
        let (score, why) = Scorer::default().explain(&f[0], &f[1], analyzer().problems());
        assert!(score < crate::DEFAULT_THRESHOLD, "{score} {why:?}");
    }

    #[test]
    fn words_shared_by_orders_about_two_named_places_do_not_name_one() {
        let s = Scorer::default();
        let words = "隔壁芙阁饭馆的油烟直排";
        // Other orders, so that the shared words are rare, and one where 芙阁 is a name.
        let pair = |x: &str, y: &str| {
            let mut texts = vec![x.to_string(), y.to_string(), "芙阁小区停水".to_string()];
            texts.extend((0..60).map(|i| format!("{}号楼电梯坏了", i + 1)));
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let f = fps(&texts);
            s.explain(&f[0], &f[1], analyzer().problems()).1
        };
        let why = pair(&format!("蔡湾村{words}"), &format!("樟江御府{words}"));
        assert!(
            matches!(why.place, PlaceEvidence::Conflict { .. }),
            "{why:?}"
        );
        // Where one names no place, the rare words both share may still point at one.
        let why = pair(words, &format!("樟江御府{words}"));
        assert!(
            matches!(why.place, PlaceEvidence::SharedNames { .. }),
            "{why:?}"
        );
    }

    #[test]
    fn orders_raising_two_problems_give_a_group_no_support() {
        let orders = [
            (
                "瑞柳洲小区公交末班车太早",
                "瑞柳洲小区13路公交末班车太早，晚下班的人回不了家",
            ),
            (
                "瑞柳洲小区垃圾站扰民",
                "瑞柳洲小区的垃圾压缩站夜里作业，又臭又吵",
            ),
            (
                "瑞柳洲小区公交班次太少",
                "瑞柳洲小区13路公交调整后班次太少，出行不便",
            ),
        ];
        let f = weigh_together(orders.iter().enumerate().map(|(i, (title, text))| {
            let mut o = WorkOrder::new(&i.to_string(), text);
            o.title = (*title).into();
            o
        }));
        let s = Scorer::default();
        let (score, why) = s.explain(&f[0], &f[1], analyzer().problems());
        assert!(
            matches!(why.problem, ProblemEvidence::Conflict { firm: true, .. }),
            "{why:?}"
        );
        assert!(score > 0.0, "{why:?}");
        assert_eq!(s.group_support(&f[0], &f[1]), 0.0);
        // Otherwise support is the score.
        assert!(s.group_support(&f[0], &f[2]) > 0.0);
        assert_eq!(s.group_support(&f[0], &f[2]), s.score(&f[0], &f[2]));
        // Without titles, the texts' problems decide.
        let g = fps(&[orders[0].1, orders[1].1]);
        let (score, why) = s.explain(&g[0], &g[1], analyzer().problems());
        assert!(
            matches!(why.problem, ProblemEvidence::Conflict { firm: false, .. }),
            "{why:?}"
        );
        assert!(score > 0.0, "{why:?}");
        assert_eq!(s.group_support(&g[0], &g[1]), 0.0);
    }

    #[test]
    fn two_problems_at_one_internet_cafe_conflict() {
        // The café's name is where, not what: its noise and its food are two problems.
        let f = fps(&[
            "来电人反映：老杜家网吧楼下商铺的空调外机全天运转，嗡嗡声不停。",
            "老杜家网吧使用地沟油，吃完全家上吐下泻，请市场监管部门检查。",
        ]);
        let s = Scorer::default();
        let (_, why) = s.explain(&f[0], &f[1], analyzer().problems());
        assert!(
            matches!(why.problem, ProblemEvidence::Conflict { .. }),
            "{why:?}"
        );
        assert_eq!(s.group_support(&f[0], &f[1]), 0.0);
    }

    #[test]
    fn two_problems_at_one_place_do_not_anchor_a_pair() {
        // Agreeing on the place anchors a pair only where the problems do not conflict: a
        // lift and a night market at one 小区 are two tickets, however alike their words.
        let f = fps(&[
            "枫桥雅苑小区3栋电梯又坏了，老人被困在里面半个小时，物业不管",
            "枫桥雅苑小区门口夜市摊贩叫卖到半夜，喇叭声吵得睡不着，物业不管",
            "枫桥雅苑业主反映：3栋电梯故障频繁，昨天又困人了",
        ]);
        let s = Scorer::default();
        let (_, why) = s.explain(&f[0], &f[1], analyzer().problems());
        assert!(matches!(why.place, PlaceEvidence::Agree { .. }), "{why:?}");
        assert!(
            matches!(why.problem, ProblemEvidence::Conflict { .. }),
            "{why:?}"
        );
        assert!(!s.score_anchored(&f[0], &f[1]).1);
        assert!(s.score_anchored(&f[0], &f[2]).1);
        // The batch's pair path agrees with the plain one.
        for (x, y) in [(0, 1), (0, 2)] {
            let mut side = PairSide::default();
            side.load(&f[x]);
            let fast = s.score_anchored_against(&side, &f[x], &f[y], &f[y], 0.0);
            assert_eq!(fast, Some(s.score_anchored(&f[x], &f[y])), "{x} {y}");
        }
    }

    #[test]
    fn a_name_under_another_kind_of_place_is_no_mention() {
        // 朗岛花园 and 朗岛实验中学 share their name, and each side names its own place: a
        // 小区 and a school are two places, so 朗岛 in the school's name is no mention of the
        // 小区 (as shared rare words are not, for two places of two kinds).
        let f = fps(&[
            "朗岛花园24幢楼下餐吧放的音乐低音震得窗户都在响，孩子睡不着",
            "朗岛实验中学门口的餐吧每天放音乐，声音很大",
            "朗岛这边的餐吧天天放音乐到半夜",
        ]);
        let s = Scorer::default();
        let (_, why) = s.explain(&f[0], &f[1], analyzer().problems());
        assert!(
            !matches!(why.place, PlaceEvidence::Mentioned { .. }),
            "{why:?}"
        );
        assert!(!s.score_anchored(&f[0], &f[1]).1, "{why:?}");
        // Where the other side names no place of its own, the bare name is a mention.
        let (_, why) = s.explain(&f[0], &f[2], analyzer().problems());
        assert!(
            matches!(why.place, PlaceEvidence::Mentioned { .. }),
            "{why:?}"
        );
        assert!(s.score_anchored(&f[0], &f[2]).1, "{why:?}");
    }

    #[test]
    fn group_support_leaves_time_gaps_to_the_idle_rule() {
        // Two reports of one long-running problem, five months apart: the pair is penalised
        // for the gap, but as support within a group it is not (whether a group has gone
        // quiet for too long is the idle rule's question).
        let texts = [
            "市民来电反映：枫桥雅苑小区旁边工地每天夜里施工到凌晨，噪音很大，要求处理。",
            "枫桥雅苑业主：隔壁工地半夜还在打桩，吵得根本睡不着觉！",
        ];
        let day = |d: u32| {
            chrono::NaiveDate::from_ymd_opt(2025, 1, 1)
                .and_then(|x| x.checked_add_days(chrono::Days::new(d.into())))
                .and_then(|x| x.and_hms_opt(9, 0, 0))
        };
        let weighed = |days: [u32; 2]| {
            weigh_together(texts.iter().zip(days).enumerate().map(|(i, (text, d))| {
                let mut o = WorkOrder::new(&i.to_string(), text);
                o.received = day(d);
                o
            }))
        };
        let s = Scorer::default();
        let near = weighed([0, 2]);
        let far = weighed([0, 150]);
        assert!(s.score(&near[0], &near[1]) > 0.0);
        assert_eq!(
            s.group_support(&near[0], &near[1]),
            s.score(&near[0], &near[1])
        );
        assert!(s.score(&far[0], &far[1]) < s.score(&near[0], &near[1]) - 0.5);
        assert_eq!(
            s.group_support(&far[0], &far[1]),
            s.score(&near[0], &near[1])
        );
    }

    #[test]
    fn two_crossings_of_one_road_are_two_places() {
        let f = fps(&[
            "枫阳北路与兰墅路交叉口的井盖破损下陷，车轮容易卡进去",
            "兰墅路和南辰路交汇处的井盖破损下陷，有小孩差点掉进去",
            "兰墅路与枫阳北路交叉口井盖下陷，车一过就咣咣响",
        ]);
        let s = Scorer::default();
        let (two, why) = s.explain(&f[0], &f[1], analyzer().problems());
        assert!(
            matches!(&why.place, PlaceEvidence::Conflict { a, b, .. } if a == "枫阳北路" && b == "南辰路"),
            "{why:?}"
        );
        let (one, why) = s.explain(&f[0], &f[2], analyzer().problems());
        assert!(matches!(why.place, PlaceEvidence::Agree { .. }), "{why:?}");
        assert!(two < one - 0.3, "{two} vs {one}");
    }

    #[test]
    fn one_road_at_two_house_numbers_is_two_places() {
        let f = fps(&[
            "沙湾路88号烧烤店油烟扰民，烟味很大",
            "沙湾路126号饭店后厨油烟扰民，烟味很大",
            "沙湾路126号饭店排烟口油烟扰民",
        ]);
        let (score, why) = Scorer::default().explain(&f[0], &f[1], analyzer().problems());
        assert!(
            matches!(&why.place, PlaceEvidence::Conflict { a, b, .. } if a == "沙湾路88号" && b == "沙湾路126号"),
            "{why:?}"
        );
        let (same, why) = Scorer::default().explain(&f[1], &f[2], analyzer().problems());
        assert!(matches!(why.place, PlaceEvidence::Agree { .. }), "{why:?}");
        assert!(score < same - 0.3, "{score} vs {same}");
    }

    #[test]
    fn one_name_word_shared_by_long_letters_is_not_the_place() {
        // A short post whose only name word is shared (IDF 6 of 6) names the entity; two
        // letters that share one name word among many (6 of 40) do not.
        assert_eq!(shared_names_strength(6.0, 6.0), 1.0);
        assert!(shared_names_strength(6.0, 40.0) < 0.4);
        // Rarity still counts: a common shared word says nothing however short the texts.
        assert_eq!(shared_names_strength(2.0, 2.0), 0.0);
        assert_eq!(shared_names_strength(0.0, 0.0), 0.0);
    }

    #[test]
    fn two_bus_lines_are_two_problems() {
        let f = fps(&[
            "F市32路车不按时发车，等了四十分钟",
            "F市52路车不按时发车，等了半小时",
            "32路公交车经常不按时发车",
        ]);
        let (other, why) = Scorer::default().explain(&f[0], &f[1], analyzer().problems());
        assert!(
            matches!(&why.place, PlaceEvidence::Conflict { a, b, .. } if a == "32路" && b == "52路"),
            "{why:?}"
        );
        let (same, why) = Scorer::default().explain(&f[0], &f[2], analyzer().problems());
        assert!(matches!(why.place, PlaceEvidence::Agree { .. }), "{why:?}");
        assert!(
            other < crate::DEFAULT_THRESHOLD && same > other,
            "{other} {same}"
        );
    }

    #[test]
    fn one_problem_on_two_roads_is_two_problems() {
        let f = fps(&[
            "朗堤路的路灯白天亮晚上不亮，修了没几天又坏，女生晚上经过很害怕",
            "竹溪路路灯晚上不亮，说过一次修了没几天又坏，晚上经过很害怕",
            "朗堤路这一段路灯坏了好几天，晚上黑漆漆的",
        ]);
        let s = Scorer::default();
        let (apart, why) = s.explain(&f[0], &f[1], analyzer().problems());
        assert!(
            matches!(why.place, PlaceEvidence::Conflict { .. }),
            "{why:?}"
        );
        let (together, why) = s.explain(&f[0], &f[2], analyzer().problems());
        assert!(matches!(why.place, PlaceEvidence::Agree { .. }), "{why:?}");
        assert!(
            apart < crate::DEFAULT_THRESHOLD && together > apart,
            "{apart} {together}"
        );
    }

    #[test]
    fn same_problem_other_place_scores_low() {
        let f = fps(&[
            "枫桥雅苑小区楼下烧烤店油烟扰民",
            "翠湖湾小区楼下烧烤店油烟扰民",
        ]);
        let (score, why) = Scorer::default().explain(&f[0], &f[1], analyzer().problems());
        assert!(
            matches!(why.place, PlaceEvidence::Conflict { .. }),
            "{why:?}"
        );
        assert!(score < crate::DEFAULT_THRESHOLD, "{score} {why:?}");
    }

    #[test]
    fn levenshtein_matches_strsim() {
        let long = "长".repeat(STACK_CHARS + 5);
        let texts = [
            "",
            "枫桥雅苑",
            "枫桥雅园小区",
            "kitten",
            "sitting",
            "噪音扰民噪音",
            &long,
        ];
        for a in texts {
            for b in texts {
                let want = strsim::normalized_levenshtein(a, b) as f32;
                assert_eq!(normalized_levenshtein(a, b), want, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn bit_parallel_title_similarity_is_the_levenshtein_one_to_the_bit() {
        // Pseudo-random strings over small alphabets (so that they share characters), of 0 to
        // 70 characters: patterns past 64 are refused.
        let mut seed = 11u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let alphabet: Vec<char> = "枫桥雅苑噪音扰民ab1".chars().collect();
        let mut pattern = TitlePattern::default();
        for round in 0..3000 {
            let k = 1 + round % alphabet.len();
            let mut string = |max: usize| -> String {
                let len = next() % (max + 1);
                (0..len).map(|_| alphabet[next() % k]).collect()
            };
            let (a, b) = (string(70), string(40));
            pattern.load(&a);
            let want = normalized_levenshtein(&a, &b);
            match pattern.similarity(&b) {
                Some(got) => assert_eq!(got.to_bits(), want.to_bits(), "{a:?} {b:?}"),
                None => assert!(a.is_empty() || a.chars().count() > 64, "{a:?}"),
            }
        }
    }

    #[test]
    fn a_prepared_side_scores_as_the_plain_scorer() {
        let fps = fps(&[
            "枫桥雅苑小区旁工地夜间施工噪音扰民",
            "枫桥雅苑业主：隔壁工地半夜打桩，吵得睡不着",
            "金沙路井盖缺失很危险",
            "枫桥雅苑物业费上涨",
        ]);
        let mut titled = fps.clone();
        for (i, fp) in titled.iter_mut().enumerate() {
            if i % 2 == 0 {
                fp.title = "枫桥雅苑工地夜间施工".into();
            }
        }
        let scorer = Scorer::default();
        let mut side = PairSide::default();
        for set in [&fps, &titled] {
            for (i, x) in set.iter().enumerate() {
                side.load(x);
                for (j, y) in set.iter().enumerate() {
                    let (a, b) = if i < j { (x, y) } else { (y, x) };
                    let (want, want_anchored) = scorer.score_anchored(a, b);
                    let scored = scorer.score_anchored_against(&side, a, b, y, 0.0);
                    assert_eq!(
                        scored.map(|(s, anchored)| (s.to_bits(), anchored)),
                        Some((want.to_bits(), want_anchored))
                    );
                    // Above a floor, a pair is dropped only when its score is below it.
                    for floor in [0.2f32, 0.35, 0.45, 0.7] {
                        match scorer.score_anchored_against(&side, a, b, y, floor) {
                            Some((s, _)) => assert_eq!(s.to_bits(), want.to_bits()),
                            None => assert!(want < floor, "{want} dropped below {floor}"),
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn reposts_score_one_and_score_is_symmetric_and_bounded() {
        let f = fps(&[
            "枫桥雅苑小区楼下烧烤店油烟扰民",
            "枫桥雅苑小区楼下烧烤店油烟扰民",
        ]);
        let s = Scorer::default();
        assert!((s.score(&f[0], &f[1]) - 1.0).abs() < 1e-4);
        let g = fps(&["枫桥雅苑停车难", "金沙路井盖缺失", ""]);
        for x in &g {
            for y in &g {
                let v = s.score(x, y);
                assert!((0.0..=1.0).contains(&v));
                assert_eq!(v, s.score(y, x));
            }
        }
    }

    #[test]
    fn verdict_names_are_the_ones_tickets_jsonl_writes() {
        let name = SmolStr::new("枫桥雅苑");
        let places = [
            PlaceEvidence::Agree {
                a: name.clone(),
                b: name.clone(),
                similarity: 1.0,
            },
            PlaceEvidence::Mentioned {
                name: name.clone(),
                similarity: 0.8,
            },
            PlaceEvidence::SharedNames { similarity: 0.5 },
            PlaceEvidence::Address {
                a: name.clone(),
                b: name.clone(),
                similarity: 0.9,
            },
            PlaceEvidence::Conflict {
                a: name.clone(),
                b: name,
                firm: true,
            },
            PlaceEvidence::Unknown,
        ];
        let problems = [
            ProblemEvidence::Agree {
                shared: vec!["噪音扰民".into()],
                weak: false,
            },
            ProblemEvidence::Conflict {
                a: vec!["油烟".into()],
                b: vec!["噪音扰民".into()],
                firm: false,
            },
            ProblemEvidence::Unknown,
        ];
        let tag = |v: serde_json::Value| v["verdict"].as_str().unwrap().to_string();
        let mut seen = Vec::new();
        for p in &places {
            assert_eq!(p.verdict(), tag(serde_json::to_value(p).unwrap()));
            seen.push(p.verdict());
        }
        for p in &problems {
            assert_eq!(p.verdict(), tag(serde_json::to_value(p).unwrap()));
        }
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(
            seen.len(),
            places.len(),
            "each place verdict has its own name"
        );
    }
}
