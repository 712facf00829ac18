//! Features pulled from an order's normalised text: the places and entities it names, and the
//! problems it raises.
//!
//! Duplicates share a place or entity *and* a problem while their wording differs (DOMAIN.md).
//! Places are found by their suffixes (小区, 花园, 新城, 中学, 村, 路, 公司, 工地, …) and the
//! name before them, cut at administrative units and function words: "天心区桂语新城小区" and
//! "桂语新城" both give the core "桂语". Problems come from the shipped lexicon
//! (`dict/problems.txt`), matched as substrings so that segmentation cannot hide them.

use aho_corasick::AhoCorasick;
use daachorse::MatchKind;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::text::automaton::CharAutomaton;

const PROBLEMS: &str = include_str!("../../dict/problems.txt");

/// The shipped problem lexicon's source (for [`crate::fingerprint::Analyzer::signature`]).
pub(crate) const LEXICON_SOURCE: &str = PROBLEMS;

/// What kind of place or entity a [`Place`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// A residential compound: 小区, 花园, 新城, 苑, 府, 公寓, …
    Residential,
    /// A school or kindergarten.
    School,
    /// A road, street, bridge or crossing.
    Road,
    /// A village or hamlet.
    Village,
    /// A company, developer, factory or plant.
    Company,
    /// A construction site or project.
    Site,
    /// A market, mall, shop, restaurant or hotel.
    Business,
    /// A hospital or clinic.
    Hospital,
    /// A park, square, station or other public facility.
    Public,
    /// A bus or metro line ("32路", "3号线"): two different lines are two problems.
    Route,
    /// A city (市): found by [`PlaceFinder::find_admin`], never among places.
    City,
    /// A district or county (区, 县).
    District,
    /// A town, township or sub-district (镇, 乡, 街道).
    Town,
}

/// A place or entity named in an order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Place {
    /// Its kind, from the suffix.
    pub kind: PlaceKind,
    /// The distinctive part of the name, without district prefix or generic suffix ("桂语").
    pub core: String,
    /// The name as found, core and suffix ("桂语新城小区").
    pub name: String,
    /// For a road, the house number written right after it ("沙湾路88号" has 88): two
    /// different numbers on one road are two addresses.
    pub number: Option<u32>,
}

impl Place {
    /// The name with its house number, if it has one ("沙湾路88号").
    pub fn full_name(&self) -> String {
        match self.number {
            Some(n) => format!("{}{n}号", self.name),
            None => self.name.clone(),
        }
    }
}

/// Index of a problem class in the [`ProblemLexicon`].
pub type ProblemId = u16;

/// The problem classes and the substrings that signal them.
#[derive(Debug, Clone)]
pub struct ProblemLexicon {
    ids: Vec<String>,
    labels: Vec<String>,
    /// The distinct terms (a term listed twice is one pattern); a match of distinct term `v`
    /// stands for the patterns `listed[first_listed[v]..first_listed[v + 1]]`.
    matcher: CharAutomaton,
    listed: Vec<u32>,
    first_listed: Vec<u32>,
    pattern_problem: Vec<ProblemId>,
    /// For each pattern, whether it is a cue (`~term`): a hint of its class, not proof of it.
    pattern_cue: Vec<bool>,
    /// For each class, the class it is a variant of (`parent.variant` ids).
    parents: Vec<Option<ProblemId>>,
    /// Every substring of two or more characters of every term.
    term_parts: rustc_hash::FxHashSet<String>,
    /// Whether some term holds a [`SENTENCE_ENDS`] character (and may span two sentences).
    spans_sentences: bool,
}

/// Characters that end a sentence in normalised text (full-width 。 stays; ！？； are folded).
pub(crate) const SENTENCE_ENDS: &[char] = &['。', '!', '?', ';', '\n', '！', '？', '；'];

impl ProblemLexicon {
    /// The shipped lexicon.
    pub fn shipped() -> ProblemLexicon {
        ProblemLexicon::parse(PROBLEMS).expect("the shipped problem lexicon is valid")
    }

    /// Parses a lexicon: `id<TAB>label<TAB>term|term|…` per line, `#` comments.
    ///
    /// A term written `~term` is a cue: a word that often names the class but as often
    /// appears beside other problems (横幅 of a protest, 外墙 of an unfinished building, 救护车
    /// that cannot get through a blocked lane). See [`ProblemLexicon::find_graded`].
    ///
    /// A class whose id is `parent.variant` is a variant of the earlier class `parent`: one
    /// kind of its problem that excludes the other variants (a barbecue's smoke and a wok
    /// kitchen's fumes are both cooking fumes, from two different shops). Its terms raise the
    /// parent class; see [`ProblemLexicon::find_graded_with_variants`].
    pub fn parse(text: &str) -> Result<ProblemLexicon> {
        let mut ids: Vec<String> = Vec::new();
        let mut parents: Vec<Option<ProblemId>> = Vec::new();
        let mut labels = Vec::new();
        let mut terms = Vec::new();
        let mut pattern_problem = Vec::new();
        let mut pattern_cue = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end();
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split('\t');
            let (Some(id), Some(label), Some(list)) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(Error::new(ErrorKind::Dictionary(format!(
                    "problem lexicon line {}: expected id<TAB>label<TAB>terms",
                    n + 1
                ))));
            };
            let pid = ProblemId::try_from(ids.len())
                .map_err(|_| Error::new(ErrorKind::Dictionary("too many problems".into())))?;
            let id = id.trim();
            let parent = match id.rsplit_once('.') {
                None => None,
                Some((parent, _)) => {
                    let found = ids
                        .iter()
                        .position(|known| known == parent)
                        .filter(|&i| parents[i].is_none());
                    let Some(found) = found else {
                        return Err(Error::new(ErrorKind::Dictionary(format!(
                            "problem lexicon line {}: variant {id} of no earlier top-level class",
                            n + 1
                        ))));
                    };
                    Some(found as ProblemId)
                }
            };
            ids.push(id.to_string());
            parents.push(parent);
            labels.push(label.trim().to_string());
            for term in list.split('|').map(str::trim).filter(|t| !t.is_empty()) {
                let (term, cue) = match term.strip_prefix('~') {
                    Some(t) => (t, true),
                    None => (term, false),
                };
                if term.is_empty() {
                    return Err(Error::new(ErrorKind::Dictionary(format!(
                        "problem lexicon line {}: empty cue term",
                        n + 1
                    ))));
                }
                terms.push(term.to_lowercase());
                pattern_problem.push(pid);
                pattern_cue.push(cue);
            }
        }
        let mut term_parts = rustc_hash::FxHashSet::default();
        for t in &terms {
            let chars: Vec<char> = t.chars().collect();
            for i in 0..chars.len() {
                for j in i + 2..=chars.len() {
                    term_parts.insert(chars[i..j].iter().collect::<String>());
                }
            }
        }
        let spans_sentences = terms.iter().any(|t| t.contains(SENTENCE_ENDS));
        // The automaton takes each term once: the listings of a term, grouped.
        let mut listed: Vec<u32> = (0..terms.len() as u32).collect();
        listed.sort_by(|&a, &b| terms[a as usize].cmp(&terms[b as usize]).then(a.cmp(&b)));
        let mut distinct: Vec<&str> = Vec::new();
        let mut first_listed: Vec<u32> = Vec::new();
        for (at, &i) in listed.iter().enumerate() {
            if distinct.last() != Some(&terms[i as usize].as_str()) {
                distinct.push(&terms[i as usize]);
                first_listed.push(at as u32);
            }
        }
        first_listed.push(listed.len() as u32);
        let matcher = CharAutomaton::new(&distinct, MatchKind::Standard)
            .map_err(|e| Error::new(ErrorKind::Dictionary(format!("problem lexicon: {e}"))))?;
        Ok(ProblemLexicon {
            ids,
            labels,
            matcher,
            listed,
            first_listed,
            pattern_problem,
            pattern_cue,
            parents,
            term_parts,
            spans_sentences,
        })
    }

    /// The number of problem classes.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the lexicon has no classes.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The machine id of a problem class (`construction_noise`).
    pub fn id(&self, p: ProblemId) -> &str {
        &self.ids[p as usize]
    }

    /// The class with machine id `id`, if the lexicon has one.
    pub fn class(&self, id: &str) -> Option<ProblemId> {
        self.ids
            .iter()
            .position(|x| x == id)
            .and_then(|i| ProblemId::try_from(i).ok())
    }

    /// The Chinese label of a problem class (`施工噪音`).
    pub fn label(&self, p: ProblemId) -> &str {
        &self.labels[p as usize]
    }

    /// Whether a class is generic: a general nuisance ("noise", "smell", ids ending in
    /// `_generic`) or a procedural or catch-all class that rides along with many problems
    /// (calling the police, a developer's misconduct, the property company). Generic classes
    /// agree weakly and never conflict.
    pub fn is_generic(&self, p: ProblemId) -> bool {
        let id = self.ids[p as usize].as_str();
        id.ends_with("_generic") || BROAD_PROBLEMS.contains(&id)
    }

    /// Whether `text` holds any problem term (or is part of one, for words: 补课 of 有偿补课).
    pub fn mentions_any(&self, text: &str) -> bool {
        self.matcher.0.find_overlapping_iter(text).next().is_some()
            || self.term_parts.contains(text)
    }

    /// Every listed term found in `text`, overlaps included: (its pattern index, where the
    /// match starts).
    fn matches<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
        self.matcher
            .0
            .find_overlapping_iter(text)
            .flat_map(move |m| {
                let v = m.value() as usize;
                let (from, to) = (self.first_listed[v], self.first_listed[v + 1]);
                self.listed[from as usize..to as usize]
                    .iter()
                    .map(move |&i| (i as usize, m.start()))
            })
    }

    /// The class `p` is a variant of, if it is one.
    pub fn parent(&self, p: ProblemId) -> Option<ProblemId> {
        self.parents[p as usize]
    }

    /// The problem classes `text` raises, sorted, each once (cues included; a variant's terms
    /// raise its parent).
    pub fn find(&self, text: &str, out: &mut Vec<ProblemId>) {
        out.clear();
        for (i, _) in self.matches(text) {
            let p = self.pattern_problem[i];
            out.push(self.parents[p as usize].unwrap_or(p));
        }
        out.sort_unstable();
        out.dedup();
    }

    /// The problem classes `text` raises, split by evidence: `firm` gets the classes at least
    /// one full term names, `cued` the classes only cue terms hint at. Both come sorted, each
    /// class once, and no class is in both. A variant's terms raise its parent.
    pub fn find_graded(&self, text: &str, firm: &mut Vec<ProblemId>, cued: &mut Vec<ProblemId>) {
        self.scan(text, firm, cued, None, None);
    }

    /// [`ProblemLexicon::find_graded`], and `variants` gets the variants any term names (cues
    /// included: a variant's cue names the kind, and only hints at the parent class), as
    /// `(parent, variant)`, sorted, each once (appended: it is not cleared).
    pub fn find_graded_with_variants(
        &self,
        text: &str,
        firm: &mut Vec<ProblemId>,
        cued: &mut Vec<ProblemId>,
        variants: &mut Vec<(ProblemId, ProblemId)>,
    ) {
        self.scan(text, firm, cued, Some(variants), None);
    }

    /// The one scan behind the `find_graded*` methods: classes (variants lifted to their
    /// parents), variants if asked, and the opening sentence's specific classes if asked
    /// (see [`ProblemLexicon::find_graded_opening`]; the caller has ruled out terms that span
    /// sentences).
    fn scan(
        &self,
        text: &str,
        firm: &mut Vec<ProblemId>,
        cued: &mut Vec<ProblemId>,
        mut variants: Option<&mut Vec<(ProblemId, ProblemId)>>,
        mut opening: Option<&mut Vec<ProblemId>>,
    ) {
        firm.clear();
        cued.clear();
        if let Some(o) = opening.as_deref_mut() {
            o.clear();
        }
        // Where each sentence but the first starts: after an end character.
        let mut ends: Vec<usize> = Vec::new();
        let mut first_sentence = usize::MAX;
        for (i, start) in self.matches(text) {
            let mut problem = self.pattern_problem[i];
            if let Some(parent) = self.parents[problem as usize] {
                if let Some(v) = variants.as_deref_mut() {
                    v.push((parent, problem));
                }
                problem = parent;
            }
            if self.pattern_cue[i] {
                cued.push(problem);
                continue;
            }
            firm.push(problem);
            let Some(opening) = opening.as_deref_mut() else {
                continue;
            };
            if self.is_generic(problem) {
                continue;
            }
            if ends.is_empty() {
                ends.extend(text.match_indices(SENTENCE_ENDS).map(|(at, _)| at));
                // A sentinel past every match: the list is never empty once built.
                ends.push(usize::MAX);
            }
            let sentence = ends.partition_point(|&at| at < start);
            if sentence < first_sentence {
                first_sentence = sentence;
                opening.clear();
            }
            if sentence == first_sentence {
                opening.push(problem);
            }
        }
        if let Some(v) = variants {
            v.sort_unstable();
            v.dedup();
        }
        firm.sort_unstable();
        firm.dedup();
        cued.sort_unstable();
        cued.dedup();
        cued.retain(|p| firm.binary_search(p).is_err());
        if let Some(o) = opening {
            o.sort_unstable();
            o.dedup();
        }
    }
}

impl ProblemLexicon {
    /// [`ProblemLexicon::find_graded_with_variants`] of `text`, and, if `opening` is given,
    /// the specific (not generic) classes full terms name in the first sentence of `text`
    /// (split at [`SENTENCE_ENDS`]) that names any, sorted, each once; empty if none does.
    /// One scan serves both: a match lies in one sentence when no term holds a sentence end
    /// (else each sentence is scanned again, in order, until one names a specific class).
    pub(crate) fn find_graded_opening(
        &self,
        text: &str,
        firm: &mut Vec<ProblemId>,
        cued: &mut Vec<ProblemId>,
        variants: &mut Vec<(ProblemId, ProblemId)>,
        opening: Option<&mut Vec<ProblemId>>,
    ) {
        let Some(opening) = opening else {
            self.scan(text, firm, cued, Some(variants), None);
            return;
        };
        if self.spans_sentences {
            self.scan(text, firm, cued, Some(variants), None);
            opening.clear();
            let (mut sentence_firm, mut sentence_cued) = (Vec::new(), Vec::new());
            for sentence in text.split(SENTENCE_ENDS) {
                self.find_graded(sentence, &mut sentence_firm, &mut sentence_cued);
                sentence_firm.retain(|p| !self.is_generic(*p));
                if !sentence_firm.is_empty() {
                    opening.append(&mut sentence_firm);
                    break;
                }
            }
            return;
        }
        self.scan(text, firm, cued, Some(variants), Some(opening));
    }
}

/// Problem classes that accompany many others rather than name one (see
/// [`ProblemLexicon::is_generic`]).
const BROAD_PROBLEMS: &[&str] = &[
    "law_case",
    "admin_service",
    "official_misconduct",
    "developer_violation",
    "property_service",
    "owners_committee",
    "price_charges",
    "consumer_dispute",
    "labour_dispute",
    "school_management",
];

/// Suffixes that end a place name, with their kind. `None` marks words that contain a suffix
/// but are not places (政府 ends in 府, 城管 starts with 城): matching them first keeps them
/// from being read as names.
const SUFFIXES: &[(&str, Option<PlaceKind>)] = {
    use PlaceKind::*;
    &[
        ("小区", Some(Residential)),
        ("花园", Some(Residential)),
        ("家园", Some(Residential)),
        ("公寓", Some(Residential)),
        ("新城", Some(Residential)),
        ("新村", Some(Residential)),
        ("华庭", Some(Residential)),
        ("公馆", Some(Residential)),
        ("山庄", Some(Residential)),
        ("名苑", Some(Residential)),
        ("雅苑", Some(Residential)),
        ("花苑", Some(Residential)),
        ("佳园", Some(Residential)),
        ("名都", Some(Residential)),
        ("豪庭", Some(Residential)),
        ("雅居", Some(Residential)),
        ("雅筑", Some(Residential)),
        ("名邸", Some(Residential)),
        ("壹号", Some(Residential)),
        ("国际", Some(Residential)),
        ("苑", Some(Residential)),
        ("府", Some(Residential)),
        ("湾", Some(Residential)),
        ("庭", Some(Residential)),
        ("郡", Some(Residential)),
        ("园", Some(Residential)),
        ("城", Some(Residential)),
        ("里", Some(Residential)),
        ("幼儿园", Some(School)),
        ("小学", Some(School)),
        ("中学", Some(School)),
        ("学校", Some(School)),
        ("学院", Some(School)),
        ("大学", Some(School)),
        ("一中", Some(School)),
        ("二中", Some(School)),
        ("三中", Some(School)),
        ("实验学校", Some(School)),
        ("外国语学校", Some(School)),
        ("路", Some(Road)),
        ("大道", Some(Road)),
        ("大街", Some(Road)),
        ("街", Some(Road)),
        ("巷", Some(Road)),
        ("桥", Some(Road)),
        ("立交", Some(Road)),
        ("隧道", Some(Road)),
        ("高速", Some(Road)),
        ("路口", Some(Road)),
        // A direction belongs to the road's name: 曦湖北路 is not 曦 + 湖北 + 路.
        ("东路", Some(Road)),
        ("西路", Some(Road)),
        ("南路", Some(Road)),
        ("北路", Some(Road)),
        ("中路", Some(Road)),
        ("号线", Some(Route)),
        ("村", Some(Village)),
        // 有 ends names read leftwards ("有人", "有个"): the legal forms are suffixes whole.
        ("股份有限公司", Some(Company)),
        ("有限责任公司", Some(Company)),
        ("有限公司", Some(Company)),
        ("公司", Some(Company)),
        ("集团", Some(Company)),
        ("厂", Some(Company)),
        ("搅拌站", Some(Company)),
        ("养殖场", Some(Company)),
        ("物业", Some(Company)),
        ("置业", Some(Company)),
        ("地产", Some(Company)),
        ("房地产", Some(Company)),
        // Training centres go by their brand: "启睿未来教育", "智趣方舟教育".
        ("教育", Some(Company)),
        ("工地", Some(Site)),
        ("项目", Some(Site)),
        ("市场", Some(Business)),
        ("商场", Some(Business)),
        ("超市", Some(Business)),
        ("酒店", Some(Business)),
        ("饭店", Some(Business)),
        ("餐馆", Some(Business)),
        ("餐厅", Some(Business)),
        ("广场", Some(Business)),
        ("大厦", Some(Business)),
        ("ktv", Some(Business)),
        ("小厨", Some(Business)),
        ("烧烤", Some(Business)),
        ("火锅", Some(Business)),
        ("酒楼", Some(Business)),
        ("大排档", Some(Business)),
        ("面馆", Some(Business)),
        ("茶楼", Some(Business)),
        ("网吧", Some(Business)),
        ("棋牌室", Some(Business)),
        ("足浴", Some(Business)),
        ("会所", Some(Business)),
        ("4s店", Some(Business)),
        ("酒吧", Some(Business)),
        ("清吧", Some(Business)),
        ("健身房", Some(Business)),
        ("健身", Some(Business)),
        ("游泳馆", Some(Business)),
        ("汽修", Some(Business)),
        ("美容美发", Some(Business)),
        ("理发店", Some(Business)),
        ("早教中心", Some(Business)),
        ("快餐", Some(Business)),
        ("宾馆", Some(Business)),
        ("药店", Some(Business)),
        ("药房", Some(Business)),
        ("医院", Some(Hospital)),
        ("卫生院", Some(Hospital)),
        ("诊所", Some(Hospital)),
        ("公园", Some(Public)),
        ("车站", Some(Public)),
        ("地铁站", Some(Public)),
        ("公交站", Some(Public)),
        ("高铁站", Some(Public)),
        ("客运站", Some(Public)),
        ("汽车站", Some(Public)),
        ("火车站", Some(Public)),
        ("垃圾站", Some(Public)),
        // Words holding a suffix that are not places.
        ("政府", None),
        ("城管", None),
        ("城市", None),
        ("城乡", None),
        ("县城", None),
        ("城中村", None),
        ("园区", None),
        ("园林", None),
        ("庭院", None),
        ("家庭", None),
        ("法庭", None),
        ("开庭", None),
        ("这里", None),
        ("那里", None),
        ("哪里", None),
        ("家里", None),
        ("夜里", None),
        ("心里", None),
        ("公里", None),
        ("里面", None),
        ("里程", None),
        ("邻里", None),
        ("村民", None),
        ("村委", None),
        ("村里", None),
        ("农村", None),
        ("组织", None),
        ("小组", None),
        ("组长", None),
        ("路灯", None),
        ("跑路", None),
        ("上路", None),
        ("一路", None),
        ("走路", None),
        ("出路", None),
        ("半路", None),
        ("套路", None),
        ("电路", None),
        ("水路", None),
        ("路面", None),
        ("路段", None),
        ("路边", None),
        ("道路", None),
        ("马路", None),
        ("线路", None),
        ("街道", None),
        ("街头", None),
        ("街面", None),
        ("沿街", None),
        ("临街", None),
        ("厂家", None),
        ("厂房", None),
        ("项目部", None),
        ("物业费", None),
        ("物业公司", Some(Company)),
        ("开发公司", Some(Company)),
        ("港湾", None),
        ("城镇", None),
        ("城建", None),
        ("进城", None),
        ("全城", None),
        ("义务教育", None),
        ("学前教育", None),
        ("职业教育", None),
        ("素质教育", None),
        ("家庭教育", None),
        ("继续教育", None),
        ("高等教育", None),
        ("思想教育", None),
        ("安全教育", None),
        ("批评教育", None),
        ("教育局", None),
        ("教育厅", None),
        ("教育部", None),
        ("教育部门", None),
        ("教育机构", None),
        // Words that hold a suffix without naming a place: "空地跳广场舞", "三组工厂".
        ("广场舞", None),
        ("工厂", None),
        ("教育培训", None),
        ("教育资源", None),
    ]
};

/// One-character suffixes that may follow a one-character core ("澜庭", "鹭府").
const SHORT_NAME_SUFFIXES: &[&str] = &["苑", "府", "湾", "庭", "郡", "园", "里"];

/// Boundary characters that are also common in names (万和城, 名都花园, 景枕和路, 湘和公司):
/// right before a residential or road suffix, or where they begin the name (after a
/// boundary: "住在和亭公寓"), they belong to it; in a company's name only as its second
/// character; between words they end it ("庄稼和果园", "员工和公司"). (Before 市场, 和 is
/// "and": "环保和市场监管部门".)
pub(crate) fn is_weak_name_boundary(c: char) -> bool {
    matches!(c, '和' | '都' | '前' | '后' | '外' | '内' | '来')
}

/// Whether `before`, the text before a weak boundary character, ends with exactly one
/// character that can begin a name: a character that is no boundary, with a boundary (or
/// nothing) before it.
fn second_of_name(before: &str) -> bool {
    let mut rest = before.chars().rev();
    let first = rest.next();
    first.is_some_and(|c| is_cjk(c) && !is_name_boundary(c))
        && rest.next().is_none_or(is_name_boundary)
}

/// Characters at which a place name stops when read leftwards from its suffix: administrative
/// units, function words, pronouns and positions.
fn is_name_boundary(c: char) -> bool {
    matches!(
        c,
        '市' | '区'
            | '县'
            | '镇'
            | '乡'
            | '省'
            | '道'
            | '的'
            | '了'
            | '在'
            | '是'
            | '和'
            | '与'
            | '及'
            | '对'
            | '向'
            | '到'
            | '从'
            | '把'
            | '被'
            | '给'
            | '我'
            | '你'
            | '他'
            | '她'
            | '们'
            | '住'
            | '于'
            | '这'
            | '那'
            | '该'
            | '本'
            | '个'
            | '旁'
            | '边'
            | '近'
            | '附'
            | '内'
            | '外'
            | '前'
            | '后'
            | '栋'
            | '楼'
            | '有'
            | '为'
            | '都'
            | '就'
            | '也'
            | '还'
            | '又'
            | '很'
            | '太'
            | '让'
            | '去'
            | '来'
            | '说'
            | '要'
            | '请'
            | '将'
            | '等'
            | '或'
            | '并'
            | '而'
            | '但'
            | '却'
            | '各'
            | '此'
            | '其'
            | '某'
            | '隔'
            | '壁'
    ) || !(is_cjk(c) || c.is_ascii_alphanumeric())
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2FA1F)
}

/// Words that end a name when read leftwards: times, positions, people and verbs that sit
/// right before a place in running text ("每天晚上搅拌站", "投诉旁边工地", "选聘物业"), and
/// who speaks ("报警人称湾河中学", "来电人称楠冈雅苑").
const CORE_STOP_WORDS: &[&str] = &[
    "每天",
    "晚上",
    "早上",
    "凌晨",
    "半夜",
    "夜间",
    "夜里",
    "白天",
    "天天",
    "经常",
    "一直",
    "现在",
    "目前",
    "最近",
    "附近",
    "周边",
    "旁边",
    "门口",
    "对面",
    "隔壁",
    "楼下",
    "楼上",
    "一个",
    "这个",
    "那个",
    "整个",
    "我们",
    "你们",
    "他们",
    "业主",
    "居民",
    "市民",
    "大家",
    "没有",
    "不是",
    "已经",
    "还是",
    "就是",
    "发现",
    "反映",
    "投诉",
    "举报",
    "希望",
    "要求",
    "导致",
    "造成",
    "由于",
    "因为",
    "所以",
    "但是",
    "而且",
    "位于",
    "靠近",
    "紧邻",
    "关于",
    "整改",
    "处理",
    "解决",
    "建设",
    "修建",
    "新建",
    "所在",
    "所属",
    "周围",
    "小区",
    "沿线",
    "家住",
    "住户",
    "租户",
    "商户",
    "请问",
    "咨询",
    "请求",
    "强烈",
    "严重",
    "责令",
    "修通",
    "修好",
    "能否",
    "上班",
    "下班",
    "回家",
    "上学",
    "放学",
    "人称",
    "报警称",
    "来电称",
    "选聘",
    "解聘",
    "聘请",
];

fn core_stops() -> &'static AhoCorasick {
    static STOPS: std::sync::OnceLock<AhoCorasick> = std::sync::OnceLock::new();
    STOPS.get_or_init(|| AhoCorasick::new(CORE_STOP_WORDS).expect("stop-word automaton builds"))
}

/// Cuts a candidate name after the last stop word in it.
fn trim_core(core: &str) -> &str {
    match core_stops().find_iter(core).last() {
        Some(m) => &core[m.end()..],
        None => core,
    }
}

/// Longest core kept, in characters: names are short, and a long run is a sentence.
const MAX_CORE_CHARS: usize = 8;

/// Administrative suffixes, and words that end in one without naming a unit.
const ADMIN_SUFFIXES: &[(&str, Option<PlaceKind>)] = {
    use PlaceKind::*;
    &[
        ("市", Some(City)),
        ("区", Some(District)),
        ("县", Some(District)),
        ("镇", Some(Town)),
        ("乡", Some(Town)),
        ("街道", Some(Town)),
        ("小区", None),
        ("园区", None),
        ("社区", None),
        ("景区", None),
        ("校区", None),
        ("片区", None),
        ("辖区", None),
        ("市区", None),
        ("郊区", None),
        ("山区", None),
        ("开发区", None),
        ("保护区", None),
        ("商业区", None),
        ("住宅区", None),
        ("生活区", None),
        ("居住区", None),
        ("城市", None),
        ("超市", None),
        ("菜市", None),
        ("都市", None),
        ("门市", None),
        ("夜市", None),
        ("上市", None),
        ("集市", None),
        ("城乡", None),
        ("家乡", None),
        ("老乡", None),
        ("下乡", None),
        ("乡镇", None),
        ("城镇", None),
        ("村镇", None),
        ("县城", None),
    ]
};

/// Whether `before` ends in exactly one character that may begin a name: a CJK character that
/// is no boundary and no ordinary adjective or pronoun ("大", "这"), after the start of the
/// text, a boundary or anything not CJK.
fn one_name_char_before(before: &str) -> bool {
    let mut rev = before.chars().rev();
    let Some(c) = rev.next() else {
        return false;
    };
    is_cjk(c)
        && !is_name_boundary(c)
        && !"大小新老中各全本该此那哪外内整两一每某多个".contains(c)
        && rev.next().is_none_or(|p| !is_cjk(p) || is_name_boundary(p))
}

/// Finds places in normalised text.
#[derive(Debug, Clone)]
pub struct PlaceFinder {
    matcher: CharAutomaton,
    admin: CharAutomaton,
}

impl Default for PlaceFinder {
    fn default() -> Self {
        PlaceFinder::new()
    }
}

impl PlaceFinder {
    /// A finder with the built-in suffixes.
    pub fn new() -> PlaceFinder {
        let matcher =
            CharAutomaton::new(SUFFIXES.iter().map(|(s, _)| s), MatchKind::LeftmostLongest)
                .expect("suffix automaton builds");
        let admin = CharAutomaton::new(
            ADMIN_SUFFIXES.iter().map(|(s, _)| s),
            MatchKind::LeftmostLongest,
        )
        .expect("admin automaton builds");
        PlaceFinder { matcher, admin }
    }

    /// Appends the administrative units named in `text` (a city, districts and counties,
    /// towns) to `out`, duplicates removed. Anonymised codes count ("a5区" has core "a5").
    ///
    /// # Example
    /// ```
    /// use complaint_dedup::text::{PlaceFinder, PlaceKind};
    /// let mut units = Vec::new();
    /// PlaceFinder::new().find_admin("a市东湖区翠微街道枫桥雅苑", &mut units);
    /// let cores: Vec<&str> = units.iter().map(|u| u.core.as_str()).collect();
    /// assert_eq!(cores, ["a", "东湖", "翠微"]);
    /// assert_eq!(units[1].kind, PlaceKind::District);
    /// ```
    pub fn find_admin(&self, text: &str, out: &mut Vec<Place>) {
        let start_len = out.len();
        let mut prev_end = 0usize;
        for m in self.admin.0.leftmost_find_iter(text) {
            let (suffix, kind) = ADMIN_SUFFIXES[m.value() as usize];
            // "山区" is a mountain area ("偏远山区"), but after a name character it ends a
            // district named after a hill (青山区, 岳麓山区).
            let (suffix, kind, start) = match kind {
                None if suffix == "山区"
                    && text[prev_end..m.start()]
                        .chars()
                        .next_back()
                        .is_some_and(|c| {
                            is_cjk(c) && !is_name_boundary(c) && !"远困穷深大边老入".contains(c)
                        }) =>
                {
                    ("区", Some(PlaceKind::District), m.start() + "山".len())
                }
                // "城市" is a city in general ("大城市", "文明城市"), but after one name
                // character standing alone it ends a city named with 城 (柳城市, 盐城市), unless
                // it is 城 before a market (龙城市场).
                None if suffix == "城市"
                    && one_name_char_before(&text[prev_end..m.start()])
                    && !text[m.end()..].starts_with('场') =>
                {
                    ("市", Some(PlaceKind::City), m.start() + "城".len())
                }
                _ => (suffix, kind, m.start()),
            };
            let Some(kind) = kind else {
                prev_end = m.end();
                continue;
            };
            let before = &text[prev_end..start];
            let mut core_start = m.start();
            for (n, (i, c)) in before.char_indices().rev().enumerate() {
                let stop = n == 4
                    || !(is_cjk(c) || c.is_ascii_alphanumeric())
                    || (is_name_boundary(c) && !c.is_ascii_alphanumeric());
                if stop {
                    break;
                }
                core_start = prev_end + i;
            }
            prev_end = m.end();
            let core = trim_core(&text[core_start..start]);
            // Anonymised exports write units as codes: "a市", "a5区".
            let ascii_code = !core.is_empty()
                && core.starts_with(|c: char| c.is_ascii_alphabetic())
                && core.is_ascii();
            if core.chars().filter(|c| is_cjk(*c)).count() < 2 && !ascii_code {
                continue;
            }
            out.push(Place {
                kind,
                core: core.to_string(),
                name: [core, suffix].concat(),
                number: None,
            });
        }
        let mut found: Vec<Place> = out.drain(start_len..).collect();
        let mut seen = std::collections::BTreeSet::new();
        found.retain(|p| seen.insert((p.kind, p.core.clone())));
        out.extend(found);
    }

    /// Appends the places named in `text` to `out` (duplicates removed, sorted).
    ///
    /// # Example
    /// ```
    /// use complaint_dedup::text::{PlaceFinder, PlaceKind};
    /// let mut places = Vec::new();
    /// PlaceFinder::new().find("天心区桂语新城小区旁边的工地夜间施工", &mut places);
    /// assert_eq!(places[0].core, "桂语");
    /// assert_eq!(places[0].kind, PlaceKind::Residential);
    /// ```
    pub fn find(&self, text: &str, out: &mut Vec<Place>) {
        let start_len = out.len();
        // End (byte offset) of the previous suffix match: a name never reaches back over it.
        let mut prev_end = 0usize;
        // The place the previous suffix ended, to fold "雅苑" + "小区" into one name.
        let mut prev_place_end: Option<usize> = None;
        for m in self.matcher.0.leftmost_find_iter(text) {
            let (suffix, kind) = SUFFIXES[m.value() as usize];
            let Some(kind) = kind else {
                prev_end = m.end();
                prev_place_end = None;
                continue;
            };
            // "怡湾街道", "桂园镇": a street office or town, whose name ends like a 小区's.
            if kind == PlaceKind::Residential
                && ["街道", "镇", "乡"]
                    .iter()
                    .any(|unit| text[m.end()..].starts_with(unit))
            {
                prev_end = m.end();
                prev_place_end = None;
                continue;
            }
            let before = &text[prev_end..m.start()];
            let mut core_start = m.start();
            for (chars, (i, c)) in before.char_indices().rev().enumerate() {
                let stops = if matches!(kind, PlaceKind::Residential | PlaceKind::Road)
                    && is_weak_name_boundary(c)
                {
                    // Right before the suffix it is the name's (洲和花园); further left only
                    // where it begins the name (住在和亭公寓), not between words (庄稼和果园).
                    chars > 0
                        && !text[..prev_end + i]
                            .chars()
                            .next_back()
                            .is_none_or(|p| is_name_boundary(p) && !is_weak_name_boundary(p))
                } else if kind == PlaceKind::Company && is_weak_name_boundary(c) {
                    // A company's name holds it only as its second character, after one that
                    // begins the name: "湘和公司", "，湘和建筑工程有限公司"; not "员工和公司"
                    // or "社区和物业".
                    !second_of_name(&text[..prev_end + i])
                } else {
                    is_name_boundary(c)
                };
                if stops || chars == MAX_CORE_CHARS {
                    break;
                }
                core_start = prev_end + i;
            }
            let mut core = after_house_number(trim_core(&text[core_start..m.start()]));
            let mut suffix = suffix;
            // "雍雅苑": the suffix 雅苑 leaves one character; 苑 leaves the name 雍雅. (Not
            // "上幼儿园": only residential names.)
            if kind == PlaceKind::Residential
                && core.chars().count() == 1
                && suffix.chars().count() >= 2
            {
                let last = suffix.char_indices().next_back().map_or(0, |(i, _)| i);
                if SHORT_NAME_SUFFIXES.contains(&&suffix[last..]) {
                    let split = m.start() + last;
                    core = &text[m.start() - core.len()..split];
                    suffix = &suffix[last..];
                }
            }
            if core.is_empty() && prev_place_end == Some(m.start()) {
                // "枫桥雅苑小区": the second suffix belongs to the place just found. A road
                // suffix names a road after it ("鸬鹚湾路" is a road, not the 小区 鸬鹚湾).
                if kind == PlaceKind::Residential
                    && out
                        .last()
                        .is_some_and(|last| ends_residential_name(last, suffix))
                {
                    // "庭景公馆小区里", "香麟宁国际小区花园": in the 小区, its garden.
                    prev_end = m.end();
                    prev_place_end = None;
                    continue;
                }
                if let Some(last) = out.last_mut() {
                    if kind == PlaceKind::Road && last.kind == PlaceKind::Residential {
                        last.kind = PlaceKind::Road;
                        last.core = last.name.clone();
                        last.number = house_number(&text[m.end()..]);
                    } else if kind == PlaceKind::Site
                        && last.kind == PlaceKind::Residential
                        && last.name.ends_with("壹号")
                    {
                        // "澜岸壹号工地": a site named after the compound it builds; 壹号 is
                        // no suffix of a compound's name here.
                        last.kind = PlaceKind::Site;
                        last.core = last.name.clone();
                    } else if last.core.chars().count() == 1 {
                        // A one-character core before a one-character suffix was a guess:
                        // with another suffix after it, that suffix is part of the name
                        // ("璟湾公寓小区" is 璟湾, "碧园村" the village 碧园).
                        last.core = last.name.clone();
                        if kind == PlaceKind::Village {
                            last.kind = kind;
                        }
                    }
                    last.name.push_str(suffix);
                }
                prev_end = m.end();
                prev_place_end = Some(m.end());
                continue;
            }
            // A number before 路 is a bus line ("32路"), before 号线 a metro line ("地铁3号线"
            // is line 3).
            let digits = core.len() - core.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            let line = &core[core.len() - digits..];
            if kind == PlaceKind::Route && digits == 0 {
                prev_place_end = None;
                continue;
            }
            let numbered =
                (1..=4).contains(&digits) && (digits == core.len() || kind == PlaceKind::Route);
            if numbered && (suffix == "路" || kind == PlaceKind::Route) {
                // Bus 3 and metro line 3 are two lines: the suffix stays in the core.
                let core = [line, suffix].concat();
                prev_end = m.end();
                out.push(Place {
                    kind: PlaceKind::Route,
                    name: core.clone(),
                    core,
                    number: None,
                });
                prev_place_end = None;
                continue;
            }
            // "k9县二中", "宁乡一中": a numbered school is named by the unit before it.
            if core.is_empty() && UNIT_NAMED_SCHOOLS.contains(&suffix) {
                if let Some(unit) = unit_before(before) {
                    prev_end = m.end();
                    out.push(Place {
                        kind,
                        core: unit.to_string(),
                        name: [unit, suffix].concat(),
                        number: None,
                    });
                    prev_place_end = Some(m.end());
                    continue;
                }
            }
            let cjk = core.chars().filter(|c| is_cjk(*c)).count();
            // A name needs two characters, or one before a one-character residential suffix
            // ("澜庭" for 云谷澜庭; the analyzer drops those that are ordinary words, like 果园).
            // A rejected suffix leaves its text to the next one: in "枫桥雅苑" the 桥 of 枫桥
            // is not a bridge.
            let short_ok = cjk == 1 && SHORT_NAME_SUFFIXES.contains(&suffix);
            if cjk < 2 && !short_ok {
                prev_place_end = None;
                continue;
            }
            prev_end = m.end();
            out.push(Place {
                kind,
                core: core.to_string(),
                name: [core, suffix].concat(),
                number: (kind == PlaceKind::Road)
                    .then(|| house_number(&text[m.end()..]))
                    .flatten(),
            });
            prev_place_end = Some(m.end());
        }
        let found = &mut out[start_len..];
        found.sort();
        let mut deduped: Vec<Place> = out.drain(start_len..).collect();
        deduped.dedup_by(same_place_keeping_number);
        out.extend(deduped);
    }
}

/// Whether a residential `place` just found is complete before another residential `suffix`
/// right after it: nothing follows 小区, and a one-character suffix after a longer one is a
/// word of the sentence ("公馆里" is "in the 公馆", "新村湾" no name). A one-character suffix
/// still takes a longer one after it ("璟湾公寓").
fn ends_residential_name(place: &Place, suffix: &str) -> bool {
    if place.kind != PlaceKind::Residential {
        return false;
    }
    if place.name.ends_with("小区") {
        return true;
    }
    suffix.chars().nth(1).is_none()
        && residential_suffix(&place.name).is_some_and(|s| s.chars().nth(1).is_some())
}

/// The residential suffix a name ends with, 小区 aside: "花园" of "溪邸花园小区", "府" of
/// "溪邸府"; the longest one that fits.
fn residential_suffix(name: &str) -> Option<&'static str> {
    let name = name.strip_suffix("小区").unwrap_or(name);
    SUFFIXES
        .iter()
        .filter(|(s, kind)| *kind == Some(PlaceKind::Residential) && *s != "小区")
        .map(|(s, _)| *s)
        .filter(|s| name.ends_with(s) && name.len() > s.len())
        .max_by_key(|s| s.len())
}

/// Whether two residential names end in suffixes that tell two compounds apart: 溪邸府 and
/// 溪邸花园, 峰悦公馆 and 峰悦华庭. A shorter form of one suffix is the same (雅苑 and 苑,
/// 花园 and 园), and so is a name without a suffix of its own.
fn residential_suffixes_differ(a: &Place, b: &Place) -> bool {
    match (residential_suffix(&a.name), residential_suffix(&b.name)) {
        (Some(x), Some(y)) => !x.ends_with(y) && !y.ends_with(x),
        _ => false,
    }
}

/// Whether `later` names the place `kept` names; if so, `kept` takes a house number only
/// `later` has (the title says "沙湾路", the text "沙湾路126号"). For `Vec::dedup_by`.
pub(crate) fn same_place_keeping_number(later: &mut Place, kept: &mut Place) -> bool {
    let same = later.kind == kept.kind && later.core == kept.core;
    if same && kept.number.is_none() {
        kept.number = later.number;
    }
    same
}

/// The administrative unit `before` ends with, suffix included ("k9县", "宁乡市"): one to
/// four letters, digits or characters before 县, 市 or 区.
fn unit_before(before: &str) -> Option<&str> {
    let head = before.strip_suffix(['县', '市', '区'])?;
    // An anonymised code ("k9") is all letters and digits; a name is characters.
    let code = head.ends_with(|c: char| c.is_ascii_alphanumeric());
    let mut start = head.len();
    for (n, (i, c)) in head.char_indices().rev().enumerate() {
        let fits = if code {
            c.is_ascii_alphanumeric()
        } else {
            // 乡 and 镇 end units but also sit inside names (宁乡).
            is_cjk(c) && (!is_name_boundary(c) || matches!(c, '乡' | '镇'))
        };
        if n == 4 || !fits {
            break;
        }
        start = i;
    }
    let name = trim_core(&head[start..]);
    let unit = &before[head.len() - name.len()..];
    (!name.is_empty()).then_some(unit)
}

/// The part of a candidate name after a house number in it ("12号橙峰" gives 橙峰; 澜岸壹号
/// keeps its 号).
fn after_house_number(core: &str) -> &str {
    match core.rfind('号') {
        Some(at) if core[..at].ends_with(|c: char| c.is_ascii_digit()) => {
            &core[at + '号'.len_utf8()..]
        }
        _ => core,
    }
}

/// The house number at the start of `rest` ("88号…" gives 88), if there is one.
fn house_number(rest: &str) -> Option<u32> {
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 5 || !rest[digits..].starts_with('号') {
        return None;
    }
    rest[..digits].parse().ok()
}

/// How well two places agree, in [0, 1]: their cores by [`core_similarity`], or 1 when one
/// full name contains the other ("澜庭" in "云谷澜庭"); 0 for two compounds whose suffixes
/// differ (溪邸府, 溪邸花园).
pub fn place_similarity(a: &Place, b: &Place) -> f32 {
    if a.kind == PlaceKind::Route || b.kind == PlaceKind::Route {
        // Lines agree only by number: 32路 and 52路 are two lines.
        return if a.name == b.name { 1.0 } else { 0.0 };
    }
    let (na, nb) = (&a.name, &b.name);
    if has_two_chars(na) && has_two_chars(nb) && one_contains_other(na, nb) {
        return 1.0;
    }
    // "c市三中" and "c市二中": schools named by their unit and number, two numbers.
    let numbered = |n: &str| UNIT_NAMED_SCHOOLS.iter().find(|s| n.ends_with(*s));
    if let (Some(x), Some(y)) = (numbered(na), numbered(nb)) {
        if x != y {
            return 0.0;
        }
    }
    let sim = core_similarity(&a.core, &b.core);
    if sim > 0.0
        && a.kind == PlaceKind::Residential
        && b.kind == PlaceKind::Residential
        && residential_suffixes_differ(a, b)
    {
        return 0.0;
    }
    sim
}

/// Whether a place's core is only a number or an ordinal ("第二十九", "二", "12"; true for "").
pub(crate) fn is_numbered(core: &str) -> bool {
    core.trim_start_matches('第')
        .chars()
        .all(|c| c.is_ascii_digit() || "零一二三四五六七八九十百".contains(c))
}

/// Suffixes of schools named by the unit before them and their number ("宁乡一中").
const UNIT_NAMED_SCHOOLS: &[&str] = &["一中", "二中", "三中"];

/// Whether a place is a school named by its unit and number ("k9县二中"): its core is the unit
/// by design.
pub(crate) fn is_unit_named_school(place: &Place) -> bool {
    place.kind == PlaceKind::School && UNIT_NAMED_SCHOOLS.iter().any(|s| place.name.ends_with(s))
}

/// Whether `s` holds two characters or more (without counting them all: this runs for every
/// pair of places of every candidate pair).
fn has_two_chars(s: &str) -> bool {
    s.chars().nth(1).is_some()
}

/// `a.contains(b) || b.contains(a)`, searching only the longer one: a shorter string cannot
/// contain a longer one, and of two equally long strings each contains the other if they are
/// equal.
fn one_contains_other(a: &str, b: &str) -> bool {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    if long.len() == short.len() {
        return long == short;
    }
    // Names are a few dozen bytes: a plain scan beats setting up a substring searcher, and a
    // byte match of UTF-8 in UTF-8 is a match of characters.
    let (long, short) = (long.as_bytes(), short.as_bytes());
    match short.split_first() {
        None => true,
        Some((&first, rest)) => long
            .windows(short.len())
            .any(|w| w[0] == first && &w[1..] == rest),
    }
}

/// How well two place cores agree, in [0, 1]: 1 when equal or one contains the other (both at
/// least two characters), else the Dice coefficient of their character bigrams.
pub fn core_similarity(a: &str, b: &str) -> f32 {
    if a == b {
        return 1.0;
    }
    if has_two_chars(a) && has_two_chars(b) && one_contains_other(a, b) {
        return 1.0;
    }
    // Most pairs of places share no character, so no bigram: their coefficient is 0.
    if !a.chars().any(|x| b.chars().any(|y| x == y)) {
        return 0.0;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    // Bigrams on the stack: this runs for every pair of places of every candidate pair.
    let mut buf_a = [('\0', '\0'); STACK_BIGRAMS];
    let mut buf_b = [('\0', '\0'); STACK_BIGRAMS];
    let (mut heap_a, mut heap_b) = (Vec::new(), Vec::new());
    let ba = bigrams(a, la, &mut buf_a, &mut heap_a);
    let bb = bigrams(b, lb, &mut buf_b, &mut heap_b);
    if ba.is_empty() || bb.is_empty() {
        return 0.0;
    }
    let shared = ba.iter().filter(|x| bb.binary_search(x).is_ok()).count();
    if shared == 0 && la == lb && la >= 3 && swapped_once(a, b) {
        // "盛华世都" for 盛世华都: two characters typed the wrong way round.
        return TRANSPOSED_SIMILARITY;
    }
    2.0 * shared as f32 / (ba.len() + bb.len()) as f32
}

/// The similarity of two cores that differ by two neighbouring characters swapped.
const TRANSPOSED_SIMILARITY: f32 = 0.8;

/// Whether `b` is `a` with one pair of neighbouring characters swapped (same length).
fn swapped_once(a: &str, b: &str) -> bool {
    let mut xa = a.chars();
    let mut xb = b.chars();
    loop {
        match (xa.next(), xb.next()) {
            (Some(p), Some(q)) if p == q => continue,
            (Some(p), Some(q)) => {
                return match (xa.next(), xb.next()) {
                    (Some(p2), Some(q2)) => p == q2 && p2 == q && xa.eq(xb),
                    _ => false,
                };
            }
            _ => return false,
        }
    }
}

/// Bigrams held on the stack by [`core_similarity`]; longer cores use the heap.
const STACK_BIGRAMS: usize = 32;

/// The distinct character bigrams of `s` (`chars` characters long), sorted, in `stack` if they
/// fit, else in `heap`.
fn bigrams<'b>(
    s: &str,
    chars: usize,
    stack: &'b mut [(char, char); STACK_BIGRAMS],
    heap: &'b mut Vec<(char, char)>,
) -> &'b [(char, char)] {
    let n = chars.saturating_sub(1);
    let pairs = s.chars().zip(s.chars().skip(1));
    let v: &mut [(char, char)] = if n <= STACK_BIGRAMS {
        for (slot, p) in stack.iter_mut().zip(pairs) {
            *slot = p;
        }
        &mut stack[..n]
    } else {
        heap.extend(pairs);
        &mut heap[..]
    };
    v.sort_unstable();
    let mut kept = 0;
    for i in 0..v.len() {
        if i == 0 || v[i] != v[kept - 1] {
            v[kept] = v[i];
            kept += 1;
        }
    }
    &v[..kept]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<Place> {
        let mut out = Vec::new();
        PlaceFinder::new().find(text, &mut out);
        out
    }

    fn cores(text: &str) -> Vec<(PlaceKind, String)> {
        found(text).into_iter().map(|p| (p.kind, p.core)).collect()
    }

    #[test]
    fn names_are_cut_at_admin_units_and_function_words() {
        use PlaceKind::*;
        assert_eq!(
            cores("天心区桂语新城小区"),
            vec![(Residential, "桂语".into())]
        );
        assert_eq!(
            cores("东湖区翠微街道枫桥雅苑5栋"),
            vec![(Residential, "枫桥".into())]
        );
        assert_eq!(
            cores("我住在锦绣江南滨江苑，旁边的金沙路上有个搅拌站"),
            vec![(Residential, "锦绣江南滨江".into()), (Road, "金沙".into())]
        );
    }

    #[test]
    fn house_numbers_follow_roads() {
        let mut out = Vec::new();
        PlaceFinder::new().find("沙湾路88号烧烤店门口，隔壁沙湾路口", &mut out);
        let numbered: Vec<(&str, Option<u32>)> =
            out.iter().map(|p| (p.name.as_str(), p.number)).collect();
        assert!(numbered.contains(&("沙湾路", Some(88))), "{numbered:?}");
        out.clear();
        PlaceFinder::new().find("鸬鹚湾路1200号", &mut out);
        assert_eq!(out[0].number, Some(1200));
        assert_eq!(out[0].full_name(), "鸬鹚湾路1200号");
        assert_eq!(house_number("88栋"), None);
        assert_eq!(house_number("号"), None);
        assert_eq!(house_number("1234567号"), None);
    }

    #[test]
    fn brands_of_training_centres_are_names_and_education_words_are_not() {
        assert_eq!(
            cores("家长们在智趣方舟教育门口"),
            vec![(PlaceKind::Company, "智趣方舟".into())]
        );
        assert!(cores("区教育局说义务教育阶段不收费").is_empty());
        assert_eq!(
            cores("汀兰雅居2栋"),
            vec![(PlaceKind::Residential, "汀兰".into())]
        );
    }

    #[test]
    fn street_offices_directions_and_numbers_do_not_garble_names() {
        assert_eq!(
            cores("临江区怡湾街道曦湖北路12号橙峰小学"),
            vec![
                (PlaceKind::School, "橙峰".into()),
                (PlaceKind::Road, "曦湖".into())
            ]
        );
        assert_eq!(
            cores("澜岸壹号工地"),
            vec![(PlaceKind::Site, "澜岸壹号".into())]
        );
        // Elsewhere 壹号 ends a compound's name.
        assert_eq!(
            cores("泉橙江壹号27-2楼顶装了基站"),
            vec![(PlaceKind::Residential, "泉橙江".into())]
        );
        assert_eq!(
            cores("江城外国语学校门口"),
            vec![(PlaceKind::School, "江城".into())]
        );
    }

    #[test]
    fn numbered_schools_are_named_by_their_unit() {
        assert_eq!(
            cores("投诉k9县二中重点班强制补课"),
            vec![(PlaceKind::School, "k9县".into())]
        );
        assert_eq!(
            cores("宁乡市一中收费"),
            vec![(PlaceKind::School, "宁乡市".into())]
        );
        assert!(cores("二中门口").is_empty());
        // One unit's second and third schools are two schools.
        let (mut second, mut third) = (Vec::new(), Vec::new());
        PlaceFinder::new().find("投诉k9县二中补课", &mut second);
        PlaceFinder::new().find("投诉k9县三中补课", &mut third);
        assert_eq!(place_similarity(&second[0], &third[0]), 0.0);
        assert_eq!(place_similarity(&second[0], &second[0]), 1.0);
    }

    #[test]
    fn numbered_lines_are_routes() {
        assert_eq!(
            cores("F市32路车不按时发车，地铁3号线也挤"),
            vec![
                (PlaceKind::Route, "32路".into()),
                (PlaceKind::Route, "3号线".into())
            ]
        );
        assert!(cores("双向2车道").is_empty());
    }

    #[test]
    fn a_road_suffix_after_a_name_makes_a_road() {
        assert_eq!(
            cores("鸬鹚湾路北段"),
            vec![(PlaceKind::Road, "鸬鹚湾".into())]
        );
    }

    /// The administrative units `find_admin` reads in `text`, by name.
    fn admin(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        PlaceFinder::new().find_admin(text, &mut out);
        out.into_iter().map(|p| p.name).collect()
    }

    #[test]
    fn districts_named_after_hills_are_not_mountain_areas() {
        assert_eq!(admin("青山区第二十九中学门口"), vec!["青山区".to_string()]);
        assert!(admin("偏远山区的孩子上学难").is_empty());
        assert!(admin("去山区支教").is_empty());
    }

    #[test]
    fn cities_named_with_cheng_are_not_cities_in_general() {
        // LeftmostLongest reads 城市 before 市: 柳城市 had been 柳 and a city in general, so
        // the batch never learnt that 柳城 is its city ("#柳城搅拌站粉尘#" kept a place).
        assert_eq!(
            admin("柳城市西城区紫塘街道"),
            ["柳城市", "西城区", "紫塘街道"]
        );
        assert_eq!(admin("家住盐城市亭湖区"), ["盐城市", "亭湖区"]);
        for general in [
            "在大城市打工",
            "创建全国文明城市",
            "这个城市太堵",
            "龙城市场门口",
        ] {
            assert!(admin(general).is_empty(), "{general}: {:?}", admin(general));
        }
    }

    #[test]
    fn nothing_after_a_finished_residential_name_joins_it() {
        let names = |text: &str| found(text).into_iter().map(|p| p.name).collect::<Vec<_>>();
        assert_eq!(names("我住在庭景公馆小区里，电梯坏了"), ["庭景公馆小区"]);
        assert_eq!(names("香麟宁国际小区花园的树被砍了"), ["香麟宁国际小区"]);
        assert_eq!(names("麟岸新村湾里有人钓鱼"), ["麟岸新村"]);
        // A short suffix still takes a longer one after it.
        assert_eq!(names("璟湾公寓小区家里"), ["璟湾公寓小区"]);
    }

    #[test]
    fn compounds_with_different_suffixes_are_different_places() {
        let place = |text: &str| found(text).remove(0);
        let sim = |a: &str, b: &str| place_similarity(&place(a), &place(b));
        assert_eq!(sim("溪邸府小区停水", "溪邸花园停水"), 0.0);
        assert_eq!(sim("峰悦公馆墙体开裂", "峰悦华庭墙体开裂"), 0.0);
        // The same suffix, a shorter form of it, or 小区 alone: one compound.
        assert_eq!(sim("溪邸花园小区停水", "溪邸花园停水"), 1.0);
        assert_eq!(sim("枫桥雅苑停水", "住枫桥苑的业主"), 1.0);
        assert_eq!(sim("彩虹都家园停水", "彩虹都小区停水"), 1.0);
    }

    #[test]
    fn short_aliases_before_residential_suffixes_are_kept() {
        assert_eq!(
            cores("澜庭二期业主"),
            vec![(PlaceKind::Residential, "澜".into())]
        );
        assert!(cores("江城的夜").is_empty());
        // Another suffix after the short one makes it part of the name.
        assert_eq!(
            cores("璟湾公寓小区家里地面空鼓"),
            vec![(PlaceKind::Residential, "璟湾".into())]
        );
        assert_eq!(
            cores("我老家在碧园村三组"),
            vec![(PlaceKind::Village, "碧园".into())]
        );
        assert_eq!(
            cores("家住澜庭小区"),
            vec![(PlaceKind::Residential, "澜庭".into())]
        );
    }

    #[test]
    fn residential_names_may_hold_function_characters_and_short_suffixes() {
        // 和 and 都 right before the suffix belong to the name; further left, 和 is "and".
        assert_eq!(
            cores("住在洲和花园的业主"),
            vec![(PlaceKind::Residential, "洲和".into())]
        );
        assert_eq!(
            cores("盛世华都小区作为起点站"),
            vec![(PlaceKind::Residential, "盛世华都".into())]
        );
        assert_eq!(
            cores("枫桥雅苑和金桂坊小区"),
            vec![
                (PlaceKind::Residential, "枫桥".into()),
                (PlaceKind::Residential, "金桂坊".into())
            ]
        );
        // Not before other suffixes: "环保和市场监管部门" names no market.
        assert!(cores("请环保和市场监管部门联合整治").is_empty());
        assert_eq!(
            cores("住在和亭公寓"),
            vec![(PlaceKind::Residential, "和亭".into())]
        );
        assert!(!cores("庄稼和果园都旱死了")
            .iter()
            .any(|(_, c)| c.contains('和')));
        // 雅苑 would leave one character: 雍雅 before 苑 is the name.
        assert_eq!(
            cores("我是雍雅苑的业主"),
            vec![(PlaceKind::Residential, "雍雅".into())]
        );
    }

    #[test]
    fn who_speaks_is_no_part_of_the_name() {
        assert_eq!(
            cores("报警人称湾河中学南门没减速带"),
            vec![(PlaceKind::School, "湾河".into())]
        );
        assert_eq!(
            cores("来电人称楠冈雅苑小区3号楼"),
            vec![(PlaceKind::Residential, "楠冈".into())]
        );
    }

    #[test]
    fn road_names_may_hold_function_characters() {
        assert_eq!(
            cores("景枕和路公交站旁边的路灯"),
            vec![(PlaceKind::Road, "景枕和".into())]
        );
        assert_eq!(
            cores("站前中路转角附近的路灯"),
            vec![(PlaceKind::Road, "站前".into())]
        );
        // Between two roads, 和 is "and".
        assert_eq!(
            cores("枫阳北路和兰墅路交叉口"),
            vec![
                (PlaceKind::Road, "兰墅".into()),
                (PlaceKind::Road, "枫阳".into())
            ]
        );
        // The way to work is no road.
        assert!(cores("每天上班路过那里").is_empty());
    }

    #[test]
    fn company_names_hold_function_characters_only_as_their_second() {
        assert_eq!(
            cores("湘和公司的包工头拖欠工资"),
            vec![(PlaceKind::Company, "湘和".into())]
        );
        assert_eq!(
            cores("来电称，湘和建筑工程有限公司拖欠工资"),
            vec![(PlaceKind::Company, "湘和建筑工程".into())]
        );
        // Between words, 和 is "and".
        for text in ["员工和公司签了合同", "找了社区和物业", "业主和物业协商"]
        {
            assert!(
                !cores(text).iter().any(|(_, c)| c.contains('和')),
                "{text}: {:?}",
                cores(text)
            );
        }
    }

    #[test]
    fn words_that_only_contain_a_suffix_are_not_places() {
        assert!(cores("区政府和城管局都不管，这里的路灯不亮").is_empty());
        assert!(cores("我们小区").is_empty());
        assert!(cores("农村道路").is_empty());
        assert!(cores("楼下空地跳广场舞").is_empty());
        assert!(cores("十二组工厂偷排废气").is_empty());
        assert!(cores("楼下的酒吧太吵，楼下酒吧又开到半夜").is_empty());
    }

    #[test]
    fn shops_are_named_by_their_trade() {
        assert_eq!(
            cores("雷记游泳馆卖过期食品"),
            vec![(PlaceKind::Business, "雷记".into())]
        );
        assert_eq!(
            cores("董记汽修拒绝退卡"),
            vec![(PlaceKind::Business, "董记".into())]
        );
    }

    #[test]
    fn core_similarity_handles_aliases() {
        assert_eq!(core_similarity("桂语", "桂语"), 1.0);
        assert_eq!(core_similarity("锦绣江南滨江", "滨江"), 1.0);
        assert!(core_similarity("枫桥", "翠湖") < 0.1);
        assert!(core_similarity("金沙洲", "金沙湾") > 0.4);
        // Two neighbouring characters typed the wrong way round.
        assert_eq!(
            core_similarity("盛华世都", "盛世华都"),
            TRANSPOSED_SIMILARITY
        );
        assert_eq!(core_similarity("盛世华都", "都华世盛"), 0.0);
        assert_eq!(core_similarity("华世都", "世华都"), TRANSPOSED_SIMILARITY);
        // Same as sorting and deduplicating bigram vectors, on the stack or not.
        let reference = |a: &str, b: &str| {
            let bigrams = |s: &str| {
                let cs: Vec<char> = s.chars().collect();
                let mut v: Vec<(char, char)> = cs.windows(2).map(|w| (w[0], w[1])).collect();
                v.sort_unstable();
                v.dedup();
                v
            };
            let (ba, bb) = (bigrams(a), bigrams(b));
            let shared = ba.iter().filter(|x| bb.binary_search(x).is_ok()).count();
            2.0 * shared as f32 / (ba.len() + bb.len()) as f32
        };
        let long = "金沙洲湾".repeat(12);
        for (a, b) in [
            ("金沙洲", "金沙湾"),
            ("枫桥枫桥林", "桥林枫"),
            (long.as_str(), "沙洲湾路"),
        ] {
            assert_eq!(core_similarity(a, b), reference(a, b), "{a} {b}");
        }
    }

    #[test]
    fn problems_are_found_by_substring() {
        let lex = ProblemLexicon::shipped();
        assert!(lex.len() >= 40);
        let mut found = Vec::new();
        lex.find("半夜还在打桩，吵得睡不着", &mut found);
        assert!(!found.is_empty());
        let noise: Vec<&str> = found.iter().map(|p| lex.id(*p)).collect();
        lex.find("开发商捆绑销售车位", &mut found);
        let parking: Vec<&str> = found.iter().map(|p| lex.id(*p)).collect();
        assert!(
            noise.iter().all(|p| !parking.contains(p)),
            "{noise:?} {parking:?}"
        );
    }

    #[test]
    fn related_problems_that_are_different_jobs_are_different_classes() {
        let lex = ProblemLexicon::shipped();
        let ids = |text: &str| {
            let mut found = Vec::new();
            lex.find(text, &mut found);
            found
                .iter()
                .map(|p| lex.id(*p).to_owned())
                .collect::<Vec<_>>()
        };
        // Fixing a lift and adding one; closing a gate to outsiders and a locked fire lane.
        assert_eq!(ids("电梯故障困人"), vec!["elevator".to_string()]);
        assert_eq!(ids("老楼加装电梯"), vec!["elevator_retrofit".to_string()]);
        assert!(ids("建议北门加装门禁，外来车辆穿行").contains(&"gate_access".to_string()));
        assert!(!ids("消防通道被锁死").contains(&"gate_access".to_string()));
        // A shop's air conditioner is its own job, not just "noise".
        assert!(ids("楼下商铺的空调外机噪音太大").contains(&"equipment_noise".to_string()));
    }

    #[test]
    fn no_shipped_term_names_two_classes() {
        let mut seen = std::collections::HashMap::new();
        for line in PROBLEMS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let mut parts = line.split('\t');
            let id = parts.next().unwrap();
            let terms = parts.nth(1).unwrap();
            for term in terms.split('|').map(|t| t.trim_start_matches('~')) {
                if let Some(other) = seen.insert(term, id) {
                    assert_eq!(other, id, "{term} is in {other} and {id}");
                }
            }
        }
    }

    #[test]
    fn the_opening_sentence_comes_from_the_same_scan() {
        let lex = ProblemLexicon::shipped();
        let naive = |text: &str| {
            let (mut firm, mut cued) = (Vec::new(), Vec::new());
            let mut opening = Vec::new();
            for sentence in text.split(SENTENCE_ENDS) {
                lex.find_graded(sentence, &mut opening, &mut cued);
                opening.retain(|p| !lex.is_generic(*p));
                if !opening.is_empty() {
                    break;
                }
            }
            let mut variants = Vec::new();
            lex.find_graded_with_variants(text, &mut firm, &mut cued, &mut variants);
            (firm, cued, opening, variants)
        };
        for text in [
            "",
            "噪音扰民",
            "小区物业很差。半夜还在打桩,吵得睡不着!此外,路灯不亮",
            "天气很好。工人拉横幅讨薪;开发商捆绑销售车位？夜间施工",
            "物业费上涨。物业服务差。电梯故障困人。",
            "。。;！",
            "楼下小炒店爆炒。隔壁烧烤炭火熏人，油烟直排",
        ] {
            let (mut firm, mut cued, mut opening) = (vec![9], vec![9], vec![9]);
            let mut variants = Vec::new();
            lex.find_graded_opening(
                text,
                &mut firm,
                &mut cued,
                &mut variants,
                Some(&mut opening),
            );
            assert_eq!((firm, cued, opening, variants), naive(text), "{text}");
        }
    }

    #[test]
    fn a_term_listed_twice_stands_for_every_listing() {
        // The automaton holds each term once; a term in two classes raises both, and a term
        // that is a cue in one class and a full term in another counts as both.
        let lex = ProblemLexicon::parse("a\t甲\t井盖|路灯\nb\t乙\t井盖|~路灯\n").unwrap();
        let mut found = Vec::new();
        lex.find("金沙路井盖缺失", &mut found);
        assert_eq!(found, [0, 1]);
        let (mut firm, mut cued) = (Vec::new(), Vec::new());
        lex.find_graded("路灯不亮", &mut firm, &mut cued);
        assert_eq!((firm.as_slice(), cued.as_slice()), (&[0][..], &[1][..]));
        assert!(lex.mentions_any("井盖"));
    }

    #[test]
    fn bad_lexicon_line_is_an_error() {
        assert!(ProblemLexicon::parse("only_one_field\n").is_err());
        let lex = ProblemLexicon::parse("# c\nnoise\t噪音\t噪音|扰民\n").unwrap();
        assert_eq!(lex.len(), 1);
        assert_eq!(lex.label(0), "噪音");
        assert!(ProblemLexicon::parse("ad\t广告\t广告|~\n").is_err());
    }

    #[test]
    fn variant_terms_raise_their_parent() {
        let lex = ProblemLexicon::parse(
            "fumes\t油烟\t油烟\nfumes.bbq\t烧烤\t烧烤|孜然\nfumes.wok\t炒菜\t炒菜\nad\t广告\t小广告\n",
        )
        .unwrap();
        assert_eq!(
            (lex.parent(1), lex.parent(2), lex.parent(0)),
            (Some(0), Some(0), None)
        );
        let (mut firm, mut cued, mut variants) = (Vec::new(), Vec::new(), Vec::new());
        lex.find_graded_with_variants("烧烤孜然味，炒菜油烟", &mut firm, &mut cued, &mut variants);
        assert_eq!(firm, vec![0]);
        assert_eq!(variants, vec![(0, 1), (0, 2)]);
        lex.find("小广告和孜然", &mut firm);
        assert_eq!(firm, vec![0, 3]);
        // A variant needs a top-level parent defined before it.
        assert!(ProblemLexicon::parse("fumes.bbq\t烧烤\t烧烤\n").is_err());
        assert!(ProblemLexicon::parse("a\tA\tx\na.b\tB\ty\na.b.c\tC\tz\n").is_err());
    }

    #[test]
    fn a_venue_only_hints_at_vice() {
        // Internet cafés, mahjong rooms and foot-massage shops are where many problems
        // happen: their names alone raise gambling and vice as a cue, what is done there as
        // a full term.
        let lex = ProblemLexicon::shipped();
        let vice = lex.class("gambling_vice").unwrap();
        let (mut firm, mut cued) = (Vec::new(), Vec::new());
        for text in [
            "老杜家网吧使用地沟油，吃完全家上吐下泻",
            "楼下麻将馆的空调外机整夜运转",
            "足浴店门口占道经营",
        ] {
            lex.find_graded(text, &mut firm, &mut cued);
            assert!(!firm.contains(&vice), "{text}");
            assert!(cued.contains(&vice), "{text}");
        }
        for text in ["幸运星网吧允许未成年人上网", "麻将馆聚众赌博"] {
            lex.find_graded(text, &mut firm, &mut cued);
            assert!(firm.contains(&vice), "{text}");
        }
    }

    #[test]
    fn cue_terms_only_hint_at_their_class() {
        let lex = ProblemLexicon::parse("ad\t广告\t小广告|~横幅\nwage\t欠薪\t讨薪|欠薪\n").unwrap();
        let (mut firm, mut cued) = (Vec::new(), Vec::new());
        lex.find_graded("工人拉横幅讨薪", &mut firm, &mut cued);
        assert_eq!((firm.as_slice(), cued.as_slice()), (&[1][..], &[0][..]));
        // A class some full term names is firm, whatever cues it also has.
        lex.find_graded("横幅和小广告贴满墙", &mut firm, &mut cued);
        assert_eq!((firm.as_slice(), cued.as_slice()), (&[0][..], &[][..]));
        // `find` does not grade.
        lex.find("工人拉横幅讨薪", &mut firm);
        assert_eq!(firm, vec![0, 1]);
    }
}
