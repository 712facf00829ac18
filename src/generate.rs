//! A realistic, deterministic generator of work orders with gold labels, for benchmarks and
//! quality measurements at any scale.
//!
//! [`generate`] first invents a city: districts, streets and towns, roads and crossings,
//! residential compounds (小区 / 花园 / 苑 / 府 / 新城 …, some of them phases of one estate),
//! schools, companies and developers, villages, shops and public places, all named from
//! character pools so that a million orders name tens of thousands of distinct places. It then
//! plans *events* — one problem at one place (or one city-wide policy) over a stretch of time —
//! and writes every report of every event afresh, in the style of the channel it came through.
//!
//! What it models, because the matcher must cope with it:
//! - **Heavy-tailed event sizes.** Most events are reported once; sizes follow a power law
//!   (P(size ≥ s) ≈ s^-1.5), so a long tail is reported dozens of times over weeks and, at a
//!   million orders, a few hot events by thousands of people over months.
//! - **Many vocabularies.** About fifty problem types, each with alternative titles, sources,
//!   core statements, details, impacts and demands, most of them with wordings to choose from
//!   inside (`[晚上|夜里]`), and a table of everyday synonyms applied to all template text.
//!   Each event has its own facts (building, hour, duration, side, a named person in charge,
//!   when it happens, how many households, shop or site name) and its own few statements of
//!   each sort, so that its reporters describe the same happenings while another event of
//!   the same problem describes others. Reports recombine these, fill in the facts in varying
//!   forms, and name the place in varying ways (with or without district, street, developer,
//!   estate, "小区"). Two reports of one event therefore share the place, the problem and the
//!   event's details but rarely a long verbatim run, and two events of one problem share
//!   even less. Template words never read as places (no "房价里", "炸街").
//! - **Channel styles.** The hotline operator's third-person summary ("市民来电反映：…要求相关
//!   部门尽快处理。"), terse 110 records, petition letters and mayor's-mailbox letters (some over
//!   1,000 characters, raising several problems), message-board posts with a title and a
//!   greeting, Weibo and Douyin posts with #话题#, @accounts and emoji, Xiaohongshu notes,
//!   WeChat messages and grid workers' inspection notes.
//! - **Reporters who repeat themselves.** Residents of a place complain about several of its
//!   problems under one phone number; some report one event again, as an exact repost, a
//!   near-identical one, or in new words.
//! - **Noise.** Typos and homophones, traditional characters, full-width digits, half-width
//!   punctuation, emoji, boilerplate, very short (about ten characters) and very long texts.
//! - **Hard negatives at every scale.** About a quarter of events are planted next to an
//!   earlier one: the same place with another problem, the same problem at a neighbouring
//!   place of the same kind, the same problem at the same place months later (a new event),
//!   or the opposite demand at the same place (加装电梯 wanted / opposed).
//!
//! The output depends only on the [`GenerateConfig`]: the same configuration gives the same
//! orders, byte for byte, whatever the thread count. Each event writes its reports from its own
//! random stream, so events are written in parallel on the current rayon pool.
//!
//! # Example
//! ```
//! use complaint_dedup::generate::{generate, GenerateConfig};
//!
//! let config = GenerateConfig { orders: 500, seed: 7, ..GenerateConfig::default() };
//! let (orders, gold) = generate(&config);
//! assert_eq!(orders.len(), 500);
//! assert_eq!(gold.len(), 500);
//! assert_eq!(orders[0].id, gold[0].0);
//! assert_eq!(generate(&config).0, orders); // deterministic
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::error::{Error, Result};
use crate::order::{Channel, OrderId, WorkOrder};

/// What to generate.
///
/// # Example
/// ```
/// use complaint_dedup::generate::GenerateConfig;
/// let config = GenerateConfig { orders: 100_000, seed: 42, ..GenerateConfig::default() };
/// assert_eq!(config.days, 365);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateConfig {
    /// How many orders to generate, exactly.
    ///
    /// By default, 10,000.
    pub orders: usize,
    /// The seed of every random choice: equal seeds give equal output.
    ///
    /// By default, 1.
    pub seed: u64,
    /// The first day of the period in which events start.
    ///
    /// By default, 2024-01-01.
    pub start: NaiveDate,
    /// How many days events start over. Hot events go on for weeks or months, so some reports
    /// fall after the period.
    ///
    /// By default, 365.
    pub days: u32,
    /// How much noise (typos, traditional characters, full-width digits, very short texts…) to
    /// add: 0 for none, 1 for the mix real exports show, more for worse.
    ///
    /// By default, 1.0.
    pub noise: f64,
    /// The size of one extra hot event, the first planned, beyond the usual cap on event sizes
    /// (a hundredth of the orders, at least 20); 0 for none. It measures how the batch pass
    /// grows with its largest event: the other events share the orders left.
    ///
    /// By default, 0.
    pub hot_event: usize,
}

impl Default for GenerateConfig {
    fn default() -> Self {
        GenerateConfig {
            orders: 10_000,
            seed: 1,
            start: NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date"),
            days: 365,
            noise: 1.0,
            hot_event: 0,
        }
    }
}

/// Generates `config.orders` orders and their gold labels `(order id, event id)`.
///
/// Orders come sorted by time received; the gold list is in the same order as the orders.
/// Order ids carry a channel prefix (`RX` hotline, `WZ` message board, `WB` Weibo, …) and a
/// running number in time order; event ids are `E` and a number.
pub fn generate(config: &GenerateConfig) -> (Vec<WorkOrder>, Vec<(OrderId, String)>) {
    let lex = lexicon();
    let (city, events) = plan(config, lex);
    let scene_base = SceneBase {
        city: &city,
        lex,
        noise: config.noise.max(0.0),
        start: config.start,
    };
    let drafts: Vec<Vec<Draft>> = events
        .par_iter()
        .enumerate()
        .map(|(i, ev)| {
            let mut rng = Rng::stream(config.seed, 2, i as u64);
            scene_base.write_event(ev, &mut rng)
        })
        .collect();
    let mut keyed: Vec<(i64, u32, u32)> = Vec::with_capacity(config.orders);
    for (e, ds) in drafts.iter().enumerate() {
        for (k, d) in ds.iter().enumerate() {
            keyed.push((d.secs, e as u32, k as u32));
        }
    }
    keyed.par_sort_unstable();
    let base = config.start.and_hms_opt(0, 0, 0).expect("midnight exists");
    let mut drafts = drafts;
    let mut orders = Vec::with_capacity(keyed.len());
    let mut gold = Vec::with_capacity(keyed.len());
    for (i, &(secs, e, k)) in keyed.iter().enumerate() {
        let d = std::mem::take(&mut drafts[e as usize][k as usize]);
        let id = OrderId(format!("{}{}", id_prefix(d.channel), 10_000_000 + i));
        gold.push((id.clone(), format!("E{:07}", e + 1)));
        orders.push(WorkOrder {
            id,
            channel: d.channel,
            received: Some(at(base, secs)),
            title: d.title,
            text: d.text,
            address: d.address,
            reporter: d.reporter,
            category: d.category,
            extra: Default::default(),
        });
    }
    (orders, gold)
}

/// The header of a generated `orders.csv`, as a 12345 platform exports it.
pub const ORDERS_HEADER: [&str; 8] = [
    "工单编号",
    "渠道",
    "受理时间",
    "标题",
    "诉求内容",
    "事发地址",
    "联系电话",
    "诉求类型",
];

/// The label a generated export gives a channel in its 渠道 column ("12345热线", "微博", …).
///
/// Every label reads back as its channel through [`Channel::from_label`].
///
/// # Example
/// ```
/// use complaint_dedup::generate::channel_label;
/// use complaint_dedup::Channel;
/// assert_eq!(channel_label(Channel::Weibo), "微博");
/// assert_eq!(Channel::from_label(channel_label(Channel::GridWorker)), Channel::GridWorker);
/// ```
pub fn channel_label(channel: Channel) -> &'static str {
    match channel {
        Channel::Hotline12345 => "12345热线",
        Channel::Police110 => "110非警务",
        Channel::Petition => "信访",
        Channel::MayorMailbox => "市长信箱",
        Channel::MessageBoard => "网上问政",
        Channel::Weibo => "微博",
        Channel::Douyin => "抖音",
        Channel::Toutiao => "今日头条",
        Channel::Xiaohongshu => "小红书",
        Channel::WeChat => "微信公众号",
        Channel::GridWorker => "网格员",
        _ => "其他",
    }
}

/// Writes orders as CSV with the Chinese headers of [`ORDERS_HEADER`].
///
/// Message-board orders carry their time as `2024/7/2 23:06:51`, the others as
/// `2024-07-02 23:06:51`, as real exports mix them.
///
/// # Example
/// ```
/// use complaint_dedup::generate::{generate, write_orders_csv, GenerateConfig};
/// let (orders, _) = generate(&GenerateConfig { orders: 20, ..GenerateConfig::default() });
/// let mut csv = Vec::new();
/// write_orders_csv(&mut csv, &orders)?;
/// assert!(String::from_utf8(csv)?.starts_with("工单编号,渠道,受理时间,标题,诉求内容"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_orders_csv<W: Write>(out: W, orders: &[WorkOrder]) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(ORDERS_HEADER)?;
    let mut time = String::new();
    for o in orders {
        time.clear();
        if let Some(t) = o.received {
            use std::fmt::Write as _;
            let fmt = if o.channel == Channel::MessageBoard {
                "%Y/%-m/%-d %H:%M:%S"
            } else {
                "%Y-%m-%d %H:%M:%S"
            };
            let _ = write!(time, "{}", t.format(fmt));
        }
        w.write_record([
            o.id.as_str(),
            channel_label(o.channel),
            &time,
            &o.title,
            &o.text,
            o.address.as_deref().unwrap_or(""),
            o.reporter.as_deref().unwrap_or(""),
            o.category.as_deref().unwrap_or(""),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Writes gold labels as CSV: `order_id,event_id`.
pub fn write_gold_csv<W: Write>(out: W, gold: &[(OrderId, String)]) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["order_id", "event_id"])?;
    for (id, event) in gold {
        w.write_record([id.as_str(), event.as_str()])?;
    }
    w.flush()?;
    Ok(())
}

/// Writes `orders.csv` and `gold.csv` into `dir` (created if missing).
pub fn write_dataset(dir: &Path, orders: &[WorkOrder], gold: &[(OrderId, String)]) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::from(e).in_file(dir))?;
    let create = |name: &str| {
        let path = dir.join(name);
        File::create(&path)
            .map(|f| BufWriter::with_capacity(1 << 16, f))
            .map_err(|e| Error::from(e).in_file(&path))
    };
    let orders_path = dir.join("orders.csv");
    write_orders_csv(create("orders.csv")?, orders).map_err(|e| e.in_file(&orders_path))?;
    let gold_path = dir.join("gold.csv");
    write_gold_csv(create("gold.csv")?, gold).map_err(|e| e.in_file(&gold_path))?;
    Ok(())
}

fn id_prefix(channel: Channel) -> &'static str {
    match channel {
        Channel::Hotline12345 => "RX",
        Channel::Police110 => "JQ",
        Channel::Petition => "XF",
        Channel::MayorMailbox => "SZ",
        Channel::MessageBoard => "WZ",
        Channel::Weibo => "WB",
        Channel::Douyin => "DY",
        Channel::Toutiao => "TT",
        Channel::Xiaohongshu => "XH",
        Channel::WeChat => "WX",
        Channel::GridWorker => "WG",
        _ => "QT",
    }
}

fn at(base: NaiveDateTime, secs: i64) -> NaiveDateTime {
    base + TimeDelta::seconds(secs)
}

// ---------------------------------------------------------------------------------------------
// Random numbers: splitmix64, small and the same everywhere.

#[derive(Debug, Clone)]
struct Rng(u64);

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Rng {
    /// An independent stream for item `index` of purpose `stream`.
    fn stream(seed: u64, stream: u64, index: u64) -> Rng {
        Rng(mix(
            mix(seed ^ stream.wrapping_mul(0x9e37_79b9_7f4a_7c15)) ^ index
        ))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    /// Uniform in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len())]
    }

    fn pick_str(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }

    /// An index in `0..n` skewed towards small ones (density ∝ x^-0.4): popular places.
    fn skewed(&mut self, n: usize) -> usize {
        let u = self.unit();
        ((u * u.sqrt() * n as f64) as usize).min(n - 1)
    }

    /// Picks an index by weight.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

/// An event size from a power law, P(size ≥ s) = s^-1.5, at most `cap`.
///
/// The floating-point guess is corrected with exact arithmetic (s³·u² ≤ 1), so the result does
/// not depend on the platform's `powf`.
fn event_size(rng: &mut Rng, cap: usize) -> usize {
    let u = 1.0 - rng.unit(); // (0, 1]
    let guess = u.powf(-2.0 / 3.0);
    if guess >= cap as f64 {
        return cap;
    }
    let fits = |s: f64| s * s * s * u * u <= 1.0;
    let mut s = guess.floor().max(1.0);
    while s + 1.0 <= cap as f64 && fits(s + 1.0) {
        s += 1.0;
    }
    while s > 1.0 && !fits(s) {
        s -= 1.0;
    }
    s as usize
}

// ---------------------------------------------------------------------------------------------
// Templates: literal text with slots filled from an event's facts.

#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    /// {p} the place, named one of its ways.
    Place,
    /// {s} what causes the problem (a site, a shop, a company…), by name or generically.
    Source,
    /// {b} where exactly: a building, a gate, a village group.
    Sub,
    /// {t} a late hour.
    Hour,
    /// {d} how long it has gone on.
    Duration,
    /// {n} a small number.
    Number,
    /// {m} an amount of money.
    Money,
    /// {w} how often.
    Often,
    /// {v} an intensifier.
    Very,
    /// {q} the day it started.
    Date,
    /// {j} some recent day (for chronologies in letters).
    AnyDate,
    /// {r} the road.
    Road,
    /// {y} the crossing road.
    Cross,
    /// {x} the event's own name core (of a site, shop, company).
    Fresh,
    /// {Y} a year.
    Year,
    /// {c} the city.
    City,
    /// {T} a short title phrase of the problem.
    Title,
    /// {C} a core statement of the problem.
    Core,
    /// {o} the side or corner it is on (东侧, 西北角 …), the event's own.
    Side,
    /// {a} a person the reports name: the owner, the foreman, a neighbour (王老板, 李师傅).
    Person,
    /// {k} when it happens: weekends, Friday nights, mornings — the event's own rhythm.
    When,
    /// {h} how many households or people are affected.
    Households,
}

#[derive(Debug, Clone)]
enum Seg {
    Lit(&'static str),
    Slot(Slot),
    /// `[a|b|c]`: one of several wordings, chosen afresh at each use (an empty one makes the
    /// part optional).
    Choice(Vec<Tpl>),
}

type Tpl = Vec<Seg>;

/// Splits `s` at the `|` that are not inside `[…]`.
fn split_top(s: &'static str) -> Vec<&'static str> {
    let mut out = Vec::new();
    let (mut depth, mut from) = (0usize, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth = depth
                    .checked_sub(1)
                    .unwrap_or_else(|| panic!("unopened ] in {s:?}"))
            }
            '|' if depth == 0 => {
                out.push(&s[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    assert_eq!(depth, 0, "unclosed [ in {s:?}");
    out.push(&s[from..]);
    out
}

fn parse_slot(name: &str, s: &str) -> Slot {
    match name {
        "p" => Slot::Place,
        "s" => Slot::Source,
        "b" => Slot::Sub,
        "t" => Slot::Hour,
        "d" => Slot::Duration,
        "n" => Slot::Number,
        "m" => Slot::Money,
        "w" => Slot::Often,
        "v" => Slot::Very,
        "q" => Slot::Date,
        "j" => Slot::AnyDate,
        "r" => Slot::Road,
        "y" => Slot::Cross,
        "x" => Slot::Fresh,
        "Y" => Slot::Year,
        "c" => Slot::City,
        "T" => Slot::Title,
        "C" => Slot::Core,
        "o" => Slot::Side,
        "a" => Slot::Person,
        "k" => Slot::When,
        "h" => Slot::Households,
        other => panic!("unknown slot {{{other}}} in {s:?}"),
    }
}

fn parse_tpl(s: &'static str) -> Tpl {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(['{', '[']) {
        if i > 0 {
            out.push(Seg::Lit(&rest[..i]));
        }
        if rest[i..].starts_with('{') {
            let j = i + rest[i..].find('}').expect("closed slot");
            out.push(Seg::Slot(parse_slot(&rest[i + 1..j], s)));
            rest = &rest[j + 1..];
        } else {
            let mut depth = 0usize;
            let mut end = None;
            for (k, c) in rest[i..].char_indices() {
                match c {
                    '[' => depth += 1,
                    ']' => {
                        depth -= 1;
                        if depth == 0 {
                            end = Some(i + k);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let j = end.unwrap_or_else(|| panic!("unclosed [ in {s:?}"));
            let alternatives = split_top(&rest[i + 1..j])
                .into_iter()
                .map(parse_tpl)
                .collect();
            out.push(Seg::Choice(alternatives));
            rest = &rest[j + 1..];
        }
    }
    if !rest.is_empty() {
        out.push(Seg::Lit(rest));
    }
    out
}

/// Whether `tpl` has `slot` anywhere, inside choices too.
fn has_slot(tpl: &Tpl, slot: Slot) -> bool {
    tpl.iter().any(|seg| match seg {
        Seg::Slot(s) => *s == slot,
        Seg::Choice(alternatives) => alternatives.iter().any(|t| has_slot(t, slot)),
        Seg::Lit(_) => false,
    })
}

fn parse_list(s: &'static str) -> Vec<Tpl> {
    split_top(s)
        .into_iter()
        .map(str::trim)
        .map(parse_tpl)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Vocabulary. Everything a report says comes from here.

/// Kinds of places; `Policy` stands for city-wide events with no place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Residential,
    School,
    Road,
    Village,
    Company,
    Shop,
    Public,
    Policy,
}

const PLACE_KINDS: usize = 7;

impl Kind {
    fn from_letter(c: char) -> Kind {
        match c {
            'R' => Kind::Residential,
            'S' => Kind::School,
            'D' => Kind::Road,
            'V' => Kind::Village,
            'C' => Kind::Company,
            'H' => Kind::Shop,
            'U' => Kind::Public,
            'P' => Kind::Policy,
            _ => panic!("unknown place kind {c}"),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One problem type: `@key|category|other category|targets|weight|night|opposite`, then
/// lines of alternatives: T titles, S named sources, G generic sources, C core statements,
/// D details, I impacts, R demands.
const PROBLEMS: &str = r"
@construction_noise|城乡建设|环境保护|R S|10|night|
T 夜间施工扰民|工地施工噪音|施工噪音扰民|工地半夜打桩|夜间违规施工|工地噪音太大|工地晚上施工
S {x}项目工地|{r}{x}地块工地|地铁{n}号线{x}站施工工地|{x}置业在建工地|{r}道路改造工程|{x}安置房项目
G 旁边的工地|隔壁工地|对面在建的楼盘|小区南侧的工地|附近工地|旁边新开的工地
C {s}{w}施工到{t}，[机器轰鸣|响个不停|轰隆隆的]|{s}[半夜|深更半夜|{t}]还在打桩，[整栋楼都在震|床都在抖|窗户嗡嗡响]|{s}夜间作业，噪音{v}大|{s}晚上不停工，{t}[以后|过后|了]还在[浇混凝土|打灰|浇筑]|{s}[通宵|整夜]施工，[挖机|破碎锤|炮机][响个不停|哐哐哐地敲]|{s}连续多天夜间施工，[吵得根本睡不着|让人没法合眼]|{s}[一到|每到]晚上就[开始运土方|拉渣土]，[轰隆隆的|动静很大]|{s}{t}还在用[切割机|电锯|电焊]
D {t}了还有[泥头车|渣土车|混凝土罐车]进出|白天[施工|干活]我们理解，但[晚上也不停|{k}也不消停]|问过[工人|门卫]说是在赶工期|[施工单位|{a}]说办了夜间施工许可，但[从来没公示过|拿不出来]|打桩声隔着[双层玻璃|两层窗户]都能听到|[每天|{k}]早上五点多就开始[施工|开工]|工地[探照灯|大灯]直射进{o}的卧室|{k}[也从来不休息|照样开工]|工地{o}[那台|的][塔吊|打桩机|破碎锤]最吵|[找过|问过]施工方的{a}，[他说马上就完工|让我们忍一忍]
I 家里老人[心脏不好|有高血压]，被吵得整夜睡不着|孩子[马上要中考|今年高考]，晚上根本没法[学习|复习]|上班族第二天还要[工作|上班]，[天天睡眠不足|白天头昏脑涨]|[小孩|刚满月的宝宝]半夜被吵醒哭闹|{h}业主{v}痛苦，已经持续{d}了|[很多|不少]住户都神经衰弱了
R 要求相关部门查处夜间违规施工|请环保部门到现场检测噪音|希望责令工地晚上十点后停止施工|请核实其是否办理夜间施工许可|请尽快制止夜间施工行为|希望城管部门夜间来现场看看

@square_dance|城市管理|环境保护|R U|5|night|
T 广场舞噪音扰民|广场舞音响太吵|跳舞音乐声太大|广场舞扰民|广场舞音响扰民
S {x}广场|小区中心花园|{x}公园|楼下[的|]空地|{r}边的小广场
G 楼下[的|]空地|小区[的|]广场|附近的广场|小区花园
C {s}{w}有人跳广场舞，音响开得{v}大|{s}的广场舞音乐从[傍晚|七点]放到{t}|一群[大妈|阿姨]在{s}跳舞，音箱声[震耳欲聋|吵死人]|{s}跳广场舞的音响对着[住户楼|{o}的楼]放|{s}{w}[晚上|{k}]都有人放音乐跳操|{s}跳舞的[人越来越多|队伍越来越大]，音响一个比一个大
D [劝说|沟通]过几次，[对方|领头的{a}]说公共场所谁都可以跳|物业说[管不了|没有执法权]|音响还带低音炮，关着窗都[听得到|听得清清楚楚]|{k}[又开始|更厉害]|[有时候|偶尔]还有人[打陀螺、甩鞭子|抽陀螺]|两拨人抢场地，音乐[混在一起|你高我低]|音箱[就放在|摆在]{o}，正对着住户
I 家里有高三学生，晚上没法复习|上夜班的人白天晚上都休息不好|老人被吵得血压升高|{v}影响周边居民正常休息
R 希望限制跳舞时间和音量|请城管或派出所出面管理|建议把跳舞地点调整到远离住宅楼的地方|请相关部门规范广场舞活动

@business_noise|市场监管|环境保护|R D|5|night|
T 酒吧噪音扰民|KTV噪音扰民|商铺音响噪音|夜宵店喧哗扰民|酒吧音乐声太大|清吧驻唱扰民
S {x}酒吧|{x}KTV|{x}清吧|{x}音乐餐吧|{x}量贩KTV|{x}livehouse
G 楼下的酒吧|小区门口的KTV|临街的酒吧|底商的清吧
C {s}{w}营业到{t}，音乐声{v}大|{s}放的音乐[低音震得窗户都在响|咚咚咚地震]|{s}门口的音响对着[马路|住户][放歌|外放]|{s}客人[唱歌喊叫|鬼哭狼嚎]到{t}|{s}[夜里|半夜]散场时客人大声喧哗、按喇叭|{s}请了驻唱，{t}还在唱
D [打过|报过]110，民警来了[声音小一会|消停半小时]，走了又照旧|店里没做任何隔音[处理|措施]|[老板|{a}]态度[很差|蛮横]，说[有执照|手续齐全]|{k}[比平时更严重|最吵]|[门口|{o}]还停满了客人的车|店在{o}，[正对着|紧挨着]住户窗户
I 住在{b}的住户整夜无法入睡|家中婴儿每晚被吵醒|连续{d}没睡过一个好觉|严重影响居民休息
R 请相关部门检测噪音并依法处罚|要求商家加装隔音设施|希望规定营业时间，夜间不得开大音响|请市场监管和环保部门联合执法

@decoration_noise|城乡建设|环境保护|R|3||
T 装修噪音扰民|楼上装修太吵|周末装修扰民|装修时间违规|违规时间装修
S {b}一户业主装修|楼上邻居装修|{b}的装修工人|同单元的装修队
G 楼上装修|隔壁装修|同单元有户在装修
C {s}{w}早上七点不到就开始电钻砸墙|{s}中午午休时间也在施工|{s}周末全天砸墙切割|{s}{t}还在敲敲打打|{s}把承重墙都砸了，整栋楼都在响
D 物业规定的装修时间形同虚设|找物业[沟通过|说过]，物业只是口头提醒|装修已经持续{d}|工人说是赶工，[业主要求的|东家催得紧]|{k}也[砸墙|开电钻]，[一点不讲究|完全不顾邻居]
I 家里有刚出生的宝宝，每天被吵醒|老人午休时间被吵得头疼|在家办公根本没法开会
R 请物业严格执行装修时间规定|希望相关部门督促物业管理|请依法制止违规时间装修|请核查是否破坏承重结构

@traffic_noise|交通运输|环境保护|R|3|night|
T 高架噪音扰民|道路交通噪音大|要求加装隔音屏|车辆噪音扰民|夜间飙车
S {r}高架|{r}快速路|{r}主干道|{r}立交桥
G 小区旁边的高架|门口的主干道|旁边的快速路
C {s}车流量大，夜间大货车轰鸣声不断|{s}上的车辆{w}飙车到{t}|{s}没有隔音屏，车辆噪音直接灌进家里|{s}重型车辆经过时楼都在震
D 靠路一侧的住户[基本都|大多]装了[三层玻璃|隔音窗]也没用|[晚上|{k}]还有改装车轰油门|[测过|用手机测了]噪音[达到七十多分贝|有七八十分贝]|道路建成时承诺过加装[声屏障|隔音墙]|{o}那几栋[受影响最大|最吵]
I 靠路一侧的住户常年睡眠不足|老人孩子身体受到影响|开窗通风都不敢
R 要求在{s}加装隔音屏障|请交警部门夜间限制大货车通行|希望整治夜间飙车行为|请铺设降噪路面

@ac_noise|环境保护|城乡建设|R H|2|night|
T 空调外机噪音扰民|冷却塔噪音|风机噪音扰民|商场外机太吵
S {x}商场的冷却塔|{x}酒店的空调外机|{x}超市的风机|楼下饭店的排风机
G 楼下商铺的空调外机|隔壁商场的冷却塔|对面酒店的外机
C {s}{w}[二十四小时|全天]运转，嗡嗡声不停|{s}正对着[住户窗户|{o}的住户]，噪音{v}大|{s}{t}还在[轰鸣|嗡嗡响]|{s}运转时低频噪音[震得人心慌|让人胸口发闷]
D 外机就装在[离窗户不到三米|{o}离卧室很近]的地方|找过[商家|{a}]，说会处理但一直没动静|[夏天开始以来|入夏以来]一直这样
I 晚上关窗也能听到，{v}影响睡眠|家里老人被低频噪音折磨得头痛|已经连续{d}休息不好
R 要求商家移位或加装降噪设施|请环保部门上门检测噪音|希望督促整改

@cooking_fumes|环境保护|市场监管|R D|5||
T 烧烤油烟扰民|烧烤摊油烟|烧烤店油烟直排|夜宵烧烤扰民|烧烤烟熏火燎
S {x}烧烤|{x}大排档|{x}烤鱼|老{x}烧烤店|{x}烤串|{x}夜宵烧烤
G 楼下的烧烤店|临街的烧烤店|小区门口的烧烤摊|底商的烤串店
C {s}的油烟[直接排到|直往]楼上住户[窗口|家里]|{s}{w}晚上烧烤，[烟雾缭绕|烟熏火燎]|{s}没[装|有安装]油烟净化器，[油烟直排|烟直接往外冒]|{s}[排烟管道|烟道]就在{b}窗户下面|{s}占道烧烤，浓烟[熏人|呛得人直咳嗽]|{s}的排烟口正对着[住户阳台|{o}的阳台]
D 开窗就满屋子[油烟味|烟味]|家里[白墙|窗帘]都被熏黄了|晚上还[摆桌子|在外面摆摊]到{t}|晾在[外面|阳台]的衣服全是烟味|[店家|{a}]说装了净化器，但[根本没开|形同虚设]|[炭火烧烤|用木炭烤]，烟是黑的|{k}[客人最多|烟最大]|排烟口[在|朝着]{o}|一股[孜然味|烤肉味]
I 家里老人有哮喘，被呛得咳嗽|夏天不敢开窗，闷得难受|{v}影响身体健康
R 要求商家安装油烟净化设施|请查处油烟直排行为|希望取缔占道烧烤|请环保和城管部门联合整治

@kitchen_fumes|环境保护|市场监管|R D|3||
T 餐馆油烟直排|楼下饭店油烟|饭店排烟扰民|油烟污染|餐馆炒菜油烟扰民
S {x}小炒|{x}饭店|{x}酒家|{x}餐馆|{x}快餐|{x}私房菜
G 临街的饭店|底商餐馆|楼下的饭店|隔壁的小餐馆
C {s}的油烟[直接排到|直往]楼上住户[窗口|家里]|{s}后厨的[排烟管|排风口]{w}对着{b}直排|{s}炒菜的油烟[呛得人直咳嗽|飘满整个单元]|{s}没[装|有安装]油烟净化器，[油烟直排|烟直接往外冒]|{s}的排烟口正对着[住户阳台|{o}的阳台]|{s}[中午|饭点]炒菜，[油烟|辣椒味]直往楼上[冲|灌]
D 开窗就满屋子[油烟味|辣椒味]|家里[白墙|窗帘|纱窗]上全是油污|[店家|{a}]说装了净化器，但[根本没开|形同虚设]|{k}[生意最好|油烟最大]|排烟口[在|朝着]{o}|爆炒的时候[油烟|辣椒味][最呛|呛得流眼泪]
I 家里老人有哮喘，被呛得咳嗽|夏天不敢开窗，闷得难受|{v}影响身体健康|孩子被呛得直咳嗽
R 要求商家安装油烟净化设施|请查处油烟直排行为|建议餐馆把排烟管接到楼顶|请环保和市场监管部门联合整治

@mixing_plant|环境保护|城乡建设|V R|3||
T 搅拌站污染|搅拌站扬尘噪音|混凝土搅拌站扰民|沥青站异味|搅拌站粉尘
S {x}混凝土搅拌站|{x}商砼站|{x}沥青搅拌站|{x}建材公司搅拌站
G 附近的搅拌站|村里新建的搅拌站|旁边的混凝土站
C {s}{w}生产到深夜，灰尘漫天|{s}罐车进出，路面全是泥浆|{s}散发刺鼻的沥青味|{s}离居民区只有几百米|{s}的粉尘落得到处都是
D 晒的衣服[一收回来|收进来]全是灰|运输车撒漏严重，[路面坑坑洼洼|路被压烂了]|听说[没有环评手续|手续不全]|[村民|{h}村民]多次反映没人处理|{k}[生产最凶|罐车最多]|站的{o}就是[农户|民房]
I 村里好多老人咳嗽不止|庄稼叶子上都是一层灰|小孩上学[途中|的时候]全是罐车，很危险
R 要求核查搅拌站环评手续|请环保部门依法关停|希望搬迁到远离居民区的地方|请加强粉尘治理

@dust|环境保护|城乡建设|R D S|4||
T 工地扬尘污染|扬尘严重|渣土未覆盖|工地灰尘大|拆迁扬尘
S {x}项目工地|{r}道路施工|{x}地块拆迁工地|{x}置业在建工地
G 附近工地|旁边拆迁工地|对面的工地
C {s}土方裸露没有覆盖，风一吹满天灰|{s}{w}扬尘{v}严重|{s}没有洒水降尘，灰尘漫天|{s}拆迁不做防尘措施，灰蒙蒙一片
D [家里|屋内的]地板一天不擦就一层灰|车子停一晚就[落满灰|一层土]|工地[门口|{o}出口]没有洗车设备|雾炮机只有[检查时|领导来]才开|{k}[风大|灰最大]
I 孩子得了过敏性鼻炎|根本不敢开窗|呼吸道疾病的老人{v}难受
R 请督促工地落实扬尘防治措施|要求覆盖裸土、洒水降尘|请依法处罚扬尘违规行为

@garbage_station|城市管理|环境保护|R U|4||
T 垃圾站臭味|垃圾中转站扰民|垃圾堆积发臭|垃圾清运不及时|垃圾房臭气熏天
S {x}垃圾中转站|小区垃圾站|{r}垃圾压缩站|{b}旁的垃圾房
G 小区门口的垃圾站|楼下垃圾房|附近的垃圾中转站
C {s}臭气熏天，[夏天更严重|天一热更厉害]|{s}垃圾{w}堆积成山[没人清运|没人拉走]|{s}污水横流，[蚊蝇乱飞|苍蝇成堆]|{s}[夜里|{k}]压缩作业，又臭又吵|{s}渗滤液流到[路上|路面]，臭味刺鼻
D 垃圾桶满了[好几天|{d}]都没人清|清运车每次来都[撒一路|滴一地脏水]|路过都要[捂着鼻子|屏住呼吸]|物业说是环卫的事，环卫说是物业的事|[站|垃圾房]就在{o}，[挨着|对着]住户
I 一楼住户窗都不敢开|小孩在附近玩{v}不卫生|{v}影响居住环境
R 要求及时清运垃圾|请对垃圾站除臭消杀|希望把垃圾站搬离住宅楼|请落实垃圾清运责任

@livestock_farm|环境保护|农业农村|V|3||
T 养猪场臭味|养殖场污染|养鸡场扰民|养殖粪污直排
S {x}养猪场|{x}养殖场|{x}养鸡场|村里{x}家的猪场|{x}生态养殖基地
G 村里的养猪场|附近的养殖场|隔壁的养鸡场
C {s}粪污直接排进水沟|{s}臭味{v}大，{w}熏得人头晕|{s}规模越来越大，周边臭气熏天|{s}死猪随意丢弃|{s}的粪水流进稻田
D 夏天苍蝇蚊子特别多|离最近的农户只有[几十米|{n}十米]|听说[没有办任何手续|手续不全]|[水沟|沟渠]的水都变黑了|[场主|{a}]说[不影响|是合法的]
I 全村人饮水安全受到威胁|村民晚上关门关窗都挡不住臭味|庄稼被粪水泡死
R 要求依法整治养殖污染|请核查是否在禁养区|希望关停或搬迁养殖场

@industrial_pollution|环境保护|工业信息化|V R C|4|night|
T 工厂偷排废气|企业排污|化工厂异味|工厂污水直排|厂区废气扰民
S {x}化工有限公司|{x}新材料公司|{x}电镀厂|{x}涂料厂|{x}科技有限公司的厂房
G 附近的工厂|旁边的化工厂|园区里的企业
C {s}晚上偷偷排放废气，味道刺鼻|{s}的烟囱{w}冒黄烟|{s}污水直接排到河里|{s}{t}排放有毒气体|{s}的废渣堆在路边
D 白天不排晚上排，明显是[躲避检查|躲着环保]|闻了[喉咙痛|嗓子疼]、眼睛发痒|[河里|下游]已经出现死鱼|环保来查的时候就停产|{k}[味道最重|排得最多]|厂区{o}的[排放口|烟囱]最严重
I 附近居民担心得癌症|孩子经常头晕恶心|周边的菜地都种不了
R 要求环保部门夜间突击检查|请依法查处偷排行为|要求公开企业排放监测数据|希望关停污染企业

@open_burning|环境保护|农业农村|V|2||
T 露天焚烧垃圾|焚烧秸秆|烧垃圾冒黑烟|焚烧废品
S {x}废品收购站|村口空地|{b}的田里|路边的垃圾堆
G 村口|附近空地|田里
C 有人{w}在{s}焚烧垃圾，黑烟滚滚|{s}焚烧塑料电线，味道刺鼻|{s}焚烧秸秆，浓烟呛人|{s}晚上偷偷烧轮胎
D 烧的时候全村都是烟|说过好几次，没人管|烧完的灰到处飘|[{k}|一般在{k}][偷偷烧|点火]
I 老人小孩呛得咳嗽|晾的衣服全是烟味|空气{v}差
R 请相关部门制止露天焚烧|要求依法处罚|希望设置垃圾收集点

@sewage_overflow|城乡建设|住房保障|R|5||
T 化粪池满溢|下水道堵塞|污水外溢|污水管堵塞返水|下水道冒污水
S {b}的化粪池|{b}的下水管道|小区主排污管|{b}门口的污水井
G 楼下的化粪池|单元下水道|小区的排污管
C {s}堵塞，污水[漫到路面上|流得满地都是]|{s}{w}往外冒污水，[臭不可闻|臭得没法走]|{s}返水，[一楼卫生间都是粪水|一楼人家地漏往外冒]|{s}满溢，[污水横流|粪水四溢]
D 找物业多次，物业说要[业主出钱|大家摊钱]疏通|一下雨就更严重|已经{d}没人处理|化粪池[好多年|{n}年]没清掏过|[井|化粪池]在{o}，[靠近|挨着]单元门
I 一楼住户家里被污水淹了|蚊蝇滋生，{v}影响卫生|老人出门都要绕着走
R 要求尽快疏通管道|请督促物业清掏化粪池|要求彻底改造排污管网|请相关部门协调维修资金

@waterlogging|城乡建设|交通运输|D R|4||
T 道路积水|一下雨就积水|内涝严重|排水不畅|路面积水
S {r}下穿通道|{r}与{y}交叉口|{r}{b}路段|{r}辅道
G 门口的路|小区门口|那一段路
C {s}一下雨就积水，[水深到膝盖|水漫过脚踝]|{s}排水不畅，[暴雨后变成一片汪洋|一场大雨就成了河]|{s}{w}积水[好几天不退|很久排不掉]|{s}的雨水倒灌进[地下车库|一楼]
D 雨水井被[堵住了|垃圾堵死了]|路修好之后就一直这样|[有车|好几台车]在这[里|儿]熄火|附近居民只能蹚水出门|[积水|水]最深的地方在{o}
I 上学的孩子只能蹚水走|车库里的车被淹了好几辆|{v}危险，曾有人摔倒
R 要求疏通雨水管网|请尽快改造排水设施|希望在汛期前解决积水问题

@water_outage|城乡建设|住房保障|R|4||
T 停水|突然停水没有通知|供水不正常|水压太低|自来水发黄
S 小区供水|{b}的供水|二次供水设备
G 小区供水|家里的自来水
C 从{q}开始{s}突然中断，没有任何通知|{s}{w}停水，没有提前公告|{s}水压太低，楼上根本没水|{s}断断续续，水里还有黄锈
D 打[自来水公司|水务]电话说是小区内部管网问题|物业说在抢修，但一直没恢复|只能下楼去[接水|提水]|已经停了{n}天|{k}[水压最低|基本没水]
I 家里老人孩子没法洗澡做饭|天气炎热，{v}不方便|上班族只能去外面买水
R 要求尽快恢复供水|请水务部门协调处理|希望今后停水提前通知

@black_river|环境保护|农业农村|V D R|3||
T 河道黑臭|河水发黑发臭|水塘污染|河道垃圾
S {x}河|{x}港|{x}渠|村里的{x}塘|{x}撇洪渠
G 门口的河|附近的河道|村里的水塘
C {s}河水发黑发臭|{s}漂满垃圾和死鱼|{s}{w}有污水排入|{s}水面长满水葫芦，臭气熏天
D 以前能下河游泳，现在不敢靠近|上游有[工厂|作坊][往河道排水|偷排污水]|整治过一次，没多久又反弹|[河|水塘]的{o}[最臭|漂着死鱼]
I 附近居民夏天根本不能开窗|蚊虫{v}多|影响饮水安全
R 要求彻底整治河道|请查找排污源头|希望定期清理河道垃圾

@power_outage|城乡建设|城乡建设|R V|4||
T 频繁停电|停电没有通知|电压不稳|小区断电|经常跳闸停电
S 小区供电|{b}的电路|村里的变压器|小区配电房
G 小区供电|家里的电
C {s}{w}停电，一停就是几个小时|{s}电压不稳，[电器都烧坏了|灯一闪一闪的]|从{q}[以来|到现在]，{s}已经停了{n}次电|{s}负荷不够，一到夏天就跳闸
D 打供电公司电话说是[小区产权设备|不归他们管]|物业推给供电公司，互相推诿|冰箱[的|中的]东西全坏了|{k}[最容易停|必停]
I 家里有病人需要用制氧机，{v}危险|高温天气没法开空调，老人中暑|电梯停运，高层老人出不了门
R 要求尽快增容改造|请供电公司查明原因|希望停电前提前通知

@elevator_fault|市场监管|住房保障|R|4||
T 电梯故障频发|电梯经常坏|电梯困人|电梯安全隐患|电梯停运
S {b}的电梯|小区电梯|{b}{n}号电梯
G 单元电梯|楼里的电梯
C {s}{w}出故障，三天两头[停运|趴窝]|{s}运行中突然[下坠|急停]，把人困在[里面|轿厢]|{s}异响很大，坐着提心吊胆|{s}坏了{d}都没人修
D 物业说维修要动用[维修基金|公共维修资金]|电梯年检标志都过期了|维保公司来了也只是[简单弄一下|重启一下]|维保的{a}说[零件要等|要换主板]
I 高层老人只能爬楼梯，{v}辛苦|孩子被困过一次，吓坏了|住户每天提心吊胆
R 要求特种设备监管部门检查电梯|请督促物业尽快维修|希望更换老旧电梯

@elevator_install|城乡建设|住房保障|R|3||elevator_oppose
T 加装电梯受阻|老旧小区加装电梯|加装电梯审批慢|申请加装电梯|加装电梯被阻挠
S {b}加装电梯项目|{b}的加装电梯
G 单元加装电梯|加装电梯的事
C {s}大部分住户已签字同意，但个别住户阻挠|{s}资金已经筹集，审批迟迟下不来|{s}因一楼住户反对无法推进|{s}方案已经公示，施工队进不了场
D 单元[的|]大多数住户都同意|家里有[八十多岁|{n}十多岁]的老人行动不便|社区协调过几次[没有结果|谈不拢]
I 老人下楼一趟要歇好几次|行动不便的住户常年下不了楼
R 请社区街道协调推进加装电梯|希望简化审批流程|请依法保障多数业主的权利

@elevator_oppose|城乡建设|住房保障|R|2||elevator_install
T 反对加装电梯|加装电梯影响采光|加装电梯侵害低层住户|加装电梯未经同意
S {b}加装电梯项目|{b}的加装电梯
G 单元加装电梯|加装电梯的事
C {s}严重遮挡低层住户采光|{s}没有征得一楼住户同意就开工|{s}井道离窗户太近，侵犯隐私|{s}施工破坏了楼道结构
D 一二楼住户根本用不上电梯却要承受损失|补偿方案没有协商一致|公示时间太短，很多人不知道
I 家里白天都要开灯|房子贬值谁来负责|低层住户的合法权益被忽视
R 要求暂停加装电梯施工|请重新协商补偿方案|希望相关部门充分听取低层住户意见

@property_fee|住房保障|城乡建设|R|6||
T 物业费上涨|物业服务差|物业乱收费|物业不作为|物业费收费不合理
S {x}物业|{x}物业服务有限公司|小区物业公司
G 物业|物业公司|小区物业
C {s}[未经业主大会同意|没开业主大会就]上调物业费|{s}服务越来越差，[收费却越来越高|钱却越收越多]|{s}乱收[停车费和电梯费|各种杂费]|{s}{w}不作为，小区[脏乱差|没人打扫]|{s}[强制收取|硬要收]二次供水费
D 物业费一下涨了[好几毛|{n}毛钱]|公共收益从来不公示|保安形同虚设，外来人员随便进|绿化带全被[踩成了泥地|毁了]|[物业经理|{a}]说[不满意可以不住|有意见去告]
I 业主们{v}不满|小区环境越来越差|交了钱却享受不到服务
R 要求物业公开收支|请住建部门核查物业收费|希望成立业主委员会|要求更换物业公司

@parking_bundle|住房保障|市场监管|R|4||
T 捆绑销售车位|买房必须买车位|车位强卖|车位只售不租|车位价格过高
S {x}置业|开发商{x}地产|{x}房地产开发公司|{x}集团
G 开发商|售楼部|开发商售楼部
C {s}[要求|规定]买房必须[同时买车位|搭配车位]|{s}车位只卖不租，一个要{m}|{s}不买车位就不给[办交房手续|拿钥匙]|{s}把车位[和房子捆在一起|打包]强卖
D [合同|购房合同]根本没有写要买车位|售楼部[口头承诺|当初说]可以租|车位价格比周边高出一大截|置业顾问{a}[说这是公司规定|让我们找领导]
I 业主被迫多花一大笔钱|不买车位只能停在外面马路上
R 请市场监管部门查处捆绑销售|要求开发商开放车位出租|希望有关部门规范车位价格

@delayed_delivery|住房保障|城乡建设|R|3||
T 延期交房|楼盘烂尾|逾期交房|停工烂尾|迟迟不交房
S {x}置业|开发商{x}地产|{x}房地产开发有限公司
G 开发商|开发商
C {s}合同约定{q}交房，至今仍未交付|{s}项目停工{d}，工地没人|{s}资金链断裂，楼盘烂尾|{s}一再推迟交房时间
D 业主每月还着房贷还要付房租|开发商对逾期违约金避而不谈|工地只剩几个看门的|{h}业主[等着收房|还在租房住]
I 几百户业主有家不能回|有的业主已经借钱度日|孩子上学都没着落
R 要求政府介入督促复工|请监管预售资金|要求开发商按合同支付违约金|希望尽快保交楼

@housing_quality|住房保障|市场监管|R|4||
T 房屋质量问题|墙体开裂|外墙渗水|新房漏水|房屋开裂
S {b}|{b}的外墙|{b}的楼板|新交付的房子
G 家里|房子
C {s}墙体多处开裂，裂缝能塞进手指|{s}{w}下雨就渗水漏水|{s}外墙瓷砖大面积脱落|{s}地面空鼓、楼板开裂
D 交房才{n}个月就出现问题|开发商只是简单修补，[没过多久又裂|补了又漏]|找[第三方|检测机构]检测说存在结构隐患|{o}的墙[最严重|裂得最厉害]
I 住在里面{v}担心安全|家具都泡坏了|外墙瓷砖掉下来差点砸到人
R 要求对房屋质量进行鉴定|请督促开发商彻底维修|要求追究施工单位责任

@property_certificate|住房保障|自然资源|R|3||
T 房产证办不下来|不动产证迟迟未办|办证难|无法办理房产证
S {x}置业|开发商|{x}地产
G 开发商
C 交房{d}了，{s}仍未办理不动产证|{s}欠缴土地出让金，导致业主办不了证|{s}一直拖着不给办房产证|小区业主至今拿不到房产证
D 孩子上学需要房产证，急得不行|开发商说在走程序，一拖再拖|{h}业主都没有办证
I 孩子入学、落户都受影响|房子没法出售或抵押
R 请不动产登记中心协调办证|要求查明办证受阻原因|希望尽快为业主办理房产证

@fire_passage|公共安全|城市管理|R|4||
T 消防通道被占用|消防通道堵塞|楼道堆放杂物|占用消防通道停车
S {b}的消防通道|小区消防通道|{b}楼道|{b}的安全出口
G 消防通道|楼道|小区通道
C {s}{w}被[私家车|车]堵死|{s}堆满了[杂物和电动车|旧家具纸箱]|{s}被人[违规上锁|用铁链锁住]|有人在{s}长期停车
D 物业管过一次没两天又[停回来了|恢复原样]|消防车根本开不进来|[楼道|过道]还有人私拉电线充电|{o}那条通道[最堵|被占得最死]
I 万一发生火灾后果不堪设想|老人晚上出门容易被绊倒
R 请消防部门检查|要求物业清理消防通道|希望依法处罚占用消防通道的行为

@road_damage|交通运输|城乡建设|D|5||
T 路面破损|道路坑洼|路面塌陷|道路年久失修|路面坑洞
S {r}|{r}与{y}交叉口附近|{r}{b}路段|{r}辅道
G 这段路|门口的路
C {s}路面坑坑洼洼，[车辆颠簸|开车像坐船]|{s}出现塌陷，[形成一个大坑|陷下去一大块]|{s}路面破损{d}[没人修|都没修]|{s}破损严重，下雨[全是泥水|到处是水坑]
D 电动车晚上经过容易摔倒|已经有人在这[里|儿]摔伤|修了又坏，反复好几次|坑在[路的|]{o}，[有脸盆大|有半米宽]
I 行人和车辆通行{v}危险|附近学生上下学都要经过
R 请尽快修复路面|要求彻底翻修道路|希望设置警示标志

@manhole|城市管理|交通运输|D R|4||
T 井盖缺失|井盖破损|井盖松动|窨井盖异响
S {r}人行道上的井盖|{r}与{y}交叉口的井盖|{b}门口的井盖|{r}{b}的井盖
G 路上的井盖|人行道井盖
C {s}不见了，只剩一个大洞|{s}破损下陷，车轮容易卡进去|{s}松动，车一压就哐当响|{s}缺失，只用一块木板盖着
D [晚上|夜里]光线暗，根本看不见|有[小孩|老人]差点掉进去|车一过就咣咣响到半夜|井盖在{o}[靠人行道|的车道上]
I {v}危险，随时可能伤人|行人晚上经过提心吊胆
R 请尽快补装井盖|要求排查更换破损井盖|请先设置警示围挡

@streetlight|城市管理|城乡建设|D R V|4|night|
T 路灯不亮|路灯损坏|路灯坏了没人修|道路照明不足
S {r}的路灯|{r}{b}的路灯|小区主干道路灯|村道路灯
G 路灯|这一段的路灯
C {s}坏了{d}，晚上一片漆黑|{s}{w}时亮时不亮|{s}大部分都不亮|{s}白天亮晚上不亮
D 晚上下班回家只能[打手电|开手机电筒]|这一段经常有人摔倒|反映过一次修了没几天又坏|{o}[那一片|那几盏]全黑
I 晚上出行{v}不安全|女生晚上经过很害怕
R 请尽快维修路灯|要求排查[这一带|沿线]的照明|希望增设路灯

@traffic_signal|交通运输|公共安全|D S|4||
T 红绿灯设置不合理|路口拥堵|信号灯时间太短|路口需要红绿灯
S {r}与{y}交叉口|{r}{y}路口|{r}人行横道
G 这个路口|路口
C {s}红绿灯时间太短，行人根本走不过去|{s}{w}早晚高峰堵得水泄不通|{s}没有信号灯，车辆抢行|{s}左转绿灯只有几秒
D 附近有学校，学生上下学很危险|这[里|个口子]已经发生过好几次事故|交警只在高峰期偶尔来|{k}[最堵|车最多]
I 行人过马路{v}危险|通勤时间被大大拉长
R 请交警部门优化信号灯配时|希望在路口增设红绿灯|请安排交警疏导交通

@illegal_parking|交通运输|城市管理|D R S|5||
T 乱停车|违停占道|车辆乱停乱放|占用人行道停车|僵尸车占道
S {r}两侧|{r}人行道|{b}门口|小区门口的路
G 路边|门口|人行道
C {s}{w}停满了车，[路都过不去|人都走不了]|{s}被[车辆|私家车]长期占用|{s}违停车辆把[盲道|人行道]都堵了|{s}有人长期[停放|扔着]僵尸车
D [晚上|{k}]更严重，救护车都进不来|交警贴过罚单，第二天照停|有[些|辆]车停了[好几个月|{d}]没动过|{o}[那一段|那一侧]停得最满
I 行人只能走机动车道，{v}危险|居民出行受到严重影响
R 请交警加强巡查|要求清理僵尸车|希望施划停车位规范停车

@bus_route|交通运输|城乡建设|R V S|3||
T 公交线路调整|公交班次太少|要求开通公交|公交站撤销|公交末班车太早
S {n}路公交|{n}路公交车|附近公交站|{r}公交站
G 公交|公交车
C {s}{w}要等半个多小时|{s}线路调整后，附近居民出行很不方便|{s}末班车太早，晚下班的人回不了家|{s}站点被撤销，要走很远才能坐车
D 附近有好几个小区，[几万人出行|{h}住户等着坐车]|老人孩子出门只能靠公交|调整前没有征求意见
I 上班上学都要提前一个小时出门|老人看病{v}不方便
R 希望恢复原有线路|要求增加班次|请开通到{p}的公交线路

@heavy_trucks|交通运输|城市管理|D V|3|night|
T 渣土车扰民|渣土车撒漏|大货车超载|泥头车横冲直撞
S {r}上的渣土车|{r}的大货车|[{x}工地|{x}项目]进出的渣土车
G 渣土车|大货车|泥头车
C {s}{w}半夜成群结队经过|{s}沿路撒漏，路面全是泥|{s}超速超载，横冲直撞|{s}{t}还在轰隆隆开过
D 车斗没有遮盖|[路面|马路]被压得坑坑洼洼|有的车连牌照都看不清|{k}[车最多|最疯狂]
I 晚上被吵得睡不着|孩子上学[走在路边|路过]{v}危险|房子都被震出裂缝
R 请交警查处超载超速|要求渣土车夜间禁行|请城管查处撒漏行为

@street_vendor|城市管理|市场监管|D R S|4|night|
T 占道经营|夜市摊贩扰民|流动摊贩占道|马路市场
S {r}夜市|{b}门口的摊贩|{r}人行道上的流动摊点|{x}菜市场外的马路
G 门口的夜市|路边摊|流动摊贩
C {s}占道摆摊，人车混行|{s}{w}摆到{t}，垃圾遍地|{s}把盲道和人行道全部占满|{s}叫卖声喇叭声不断
D 城管来了就跑，走了又回来|摊子都摆到快车道上了|地上全是[竹签和塑料袋|垃圾]|{k}[摊子最多|最乱]
I 推婴儿车根本过不去|居民出行{v}危险|晚上吵得没法休息
R 请城管部门加强管理|希望规划固定摊区|请清理占道经营

@prepaid_card|市场监管|市场监管|H|3||
T 预付卡跑路|健身房跑路|培训机构退费难|商家关门卷款|会员卡退费
S {p}|{p}老板|{p}的门店
G 这家店|商家|机构
C {s}突然关门，会员卡里的钱退不了|{s}跑路，上百名会员维权无门|{s}以装修为由停业，至今没开门|{s}拒绝退还剩余课时费用
D 卡[上|内]还有{m}没消费|关门前几天还在推销充值|[老板|{a}]电话打不通
I 很多都是老人和学生的钱|消费者损失惨重
R 请市场监管部门介入|要求商家退还预付款|希望公安机关立案调查

@food_safety|市场监管|卫生健康|H|3||
T 食品安全问题|餐馆卫生差|吃了拉肚子|卖过期食品
S {p}|{p}后厨|{p}的门店
G 这家店|那家饭店
C 在{s}吃完饭后全家上吐下泻|{s}脏乱，老鼠乱窜|{s}销售过期变质食品|{s}使用地沟油
D 已经去医院看过，有病历和发票|找[店家|{a}]协商，[店家不承认|对方推卸责任]|同一天还有别人也吃出问题
I 孩子到现在还在输液|{v}影响消费者健康
R 请市场监管部门检查|要求商家赔偿|希望依法查处

@school_places|教育|住房保障|R|4||
T 学位不足|划片入学|小区没有学位|配套学校未建|学区划分不合理
S {x}小学|{x}中学|{x}实验学校|配套学校
G 配套学校|学校
C {p}买房时承诺的{s}至今没建|{p}的孩子被划到很远的学校|{s}学位不足，{p}的孩子上不了|今年{s}[划片|划学区]时[不再包括|没有包括]{p}
D 售楼时宣传是学区房|每天接送要跨好几个区|学校说学位已满|小区有几千户
I 孩子每天上学要一个多小时|家长们{v}焦虑
R 请教育局重新划片|要求尽快建设配套学校|希望保障适龄儿童就近入学

@school_gate_traffic|教育|交通运输|S|2||
T 校门口拥堵|学校门口交通安全|接送孩子车辆乱停|校门口缺乏护学岗
S {p}校门口|{p}门口的路|{p}南门|{p}东门
G 校门口|学校门口
C {s}放学时接送车辆乱停，堵成一锅粥|{s}没有减速带，车辆开得{v}快|{s}没有交警和护学岗|{s}摊贩占道，孩子只能走到马路中间
D 有孩子被电动车撞过|下雨天更严重|学校说门外的事管不了|{o}[那段|路口]最乱
I 孩子上下学{v}危险|家长每天提心吊胆
R 希望设置护学岗|请增设减速带和斑马线|请交警在上下学时段疏导

@wage_arrears|劳动社保|劳动社保|C|5||
T 拖欠工资|拖欠农民工工资|讨薪|工资迟迟不发|欠薪
S {p}|{p}项目部|{p}老板|{p}的包工头
G 公司|老板|项目部|包工头
C {s}拖欠{n}名工人的工资|{s}欠了我们{d}的工资，一直不发|{s}拖欠工资{m}，[老板|{a}]避而不见|{s}[说工程款没结算|以资金困难为由]，拒发工资
D 去公司要了好几次都说再等等|劳动合同都没签|[包工头|{a}]说是总包没给钱|快过年了工资还没着落
I 家里老人看病等着用钱|孩子学费都交不上|工人们生活陷入困境
R 请劳动监察部门介入|要求尽快足额支付工资|希望依法追讨欠薪

@social_insurance|劳动社保|劳动社保|C|3||
T 不缴社保|未缴纳社保|社保断缴|单位未签劳动合同
S {p}|{p}人事部|{p}老板
G 公司|单位|用人单位
C {s}入职{d}都没给员工缴社保|{s}私自停缴社保|{s}不签劳动合同，也不买保险|{s}按最低基数缴纳社保
D 公司说是员工自愿放弃|要求补缴被[公司|{a}]拒绝|[同事们|{n}个同事]都是这种情况
I 员工看病不能报销|影响买房和孩子上学
R 请社保部门责令补缴|要求公司依法签订劳动合同|希望劳动监察查处

@subsidy_unpaid|财政金融|市场监管|P|1||
T 补贴未发放|补贴迟迟不到账|申请补贴没有下文|补贴发放进度
S {Y}家电以旧换新补贴|{Y}新能源汽车购置补贴|{Y}购房契税补贴|{Y}人才租房补贴|{Y}创业补贴|{Y}稳岗补贴|“{x}英才计划”购房补贴|{x}人才安居补贴|“{x}工匠”技能提升补贴
G 补贴|这项补贴
C 申请{s}已经{d}了还没到账|{s}审核通过后迟迟没有发放|{s}打电话问一直说在走流程|{s}的发放进度查不到
D 当时宣传一个月内到账|提交材料都已经齐全|窗口工作人员说[没有资金了|额度用完了]|身边很多人都是这种情况
I 家里经济{v}困难，等着这笔钱|政府公信力受到影响
R 希望尽快发放补贴|请公布补贴发放进度|要求相关部门给个明确答复

@housing_fund|住房保障|财政金融|P|1||
T 公积金提取难|公积金贷款政策|公积金政策调整|公积金提取被拒
S “{x}安居”公积金贷款政策|{Y}公积金新政|公积金租房提取|公积金异地贷款|{x}人才公积金提取政策
G 公积金|公积金政策
C {s}调整后，提取门槛变高了|按{s}申请提取被拒绝|{s}规定不合理，外地职工办不了|{s}办理时间太长，材料反复补交
D 网上办不了，线下要跑好几趟|工作人员解释前后不一|之前的政策是可以的
I 租房的年轻人压力{v}大|买房计划被打乱
R 希望优化公积金提取政策|请给予合理解释|要求简化办理流程

@stray_dogs|城市管理|公共安全|R U|3|night|
T 遛狗不牵绳|流浪狗伤人|小区流浪狗太多|犬只扰民
S 小区里的流浪狗|{b}养的大型犬|小区遛狗不牵绳的人|附近的流浪狗
G 流浪狗|小区的狗
C {s}{w}成群结队追咬行人|{s}半夜狂吠到{t}|{s}咬伤了小孩|{s}随地大小便没人清理
D 物业说管不了，让找城管|有人还在小区[内|中]喂流浪狗|狗主人态度很嚣张|{k}[最多|叫得最凶]
I 孩子放学都不敢一个人走|老人被吓得摔倒
R 请相关部门收容流浪犬|要求依法查处不文明养犬|希望物业加强管理

@illegal_structure|城市管理|自然资源|R V|4||
T 违章搭建|违建|私搭乱建|楼顶违建|侵占绿地搭建
S {b}一楼住户|{b}顶楼住户|{b}的业主|小区有户人家
G 有住户|业主
C {s}私自扩建院子，侵占公共绿地|{s}在楼顶搭建阳光房|{s}把阳台外扩，还开了门面|{s}违规加建一层
D 物业制止无效|施工都是[晚上|{k}]偷偷进行|城管来过贴了通知，但没拆|[搭在|建在]楼的{o}
I 影响楼上住户采光|存在安全隐患|破坏了小区整体环境
R 请城管部门依法拆除|要求恢复原状|请加强巡查制止违建

@ev_charging|公共安全|城乡建设|R|3||
T 电动车充电难|飞线充电|电动车进楼充电|要求安装充电桩
S {b}楼道|{b}|小区车棚
G 楼道|楼里|小区
C {s}有人从楼上拉电线给电动车充电|{s}[电动车推进电梯|有人把电动车推上楼]、放在楼道充电|{p}没有充电桩，只能飞线充电|{s}充电桩太少，排队都充不上
D 物业说装充电桩要[业主出钱|大家集资]|车棚的充电桩坏了[很久|{d}]|之前别的小区就出过火灾|{o}的车棚[早就满了|没有插座]
I 一旦着火整栋楼都危险|晚上下班回家根本没地方充电
R 要求在{p}加装充电桩|请消防部门检查飞线充电|希望物业规范充电管理

@base_station_need|工业信息化|工业信息化|R V|2||base_station_oppose
T 手机信号差|要求建基站|没有5G信号|家里没信号
S {p}|{b}|{p}地下车库
G 家里|小区里
C {s}手机信号{v}差，打电话断断续续|{s}基本没有信号，网络很慢|{s}进了电梯和车库就没信号|{s}一直没有5G覆盖
D 打运营商客服说要建基站，但有人阻挠|家里只能靠wifi打电话|{o}[几栋楼|那几栋]信号最差
I 老人紧急情况电话都打不出去|在家办公{v}不方便
R 希望尽快建设通信基站|请运营商改善信号覆盖|请相关部门协调基站选址

@base_station_oppose|工业信息化|环境保护|R V|2||base_station_need
T 反对安装基站|楼顶装基站|基站辐射|信号塔离住宅太近
S {b}楼顶的基站|{p}旁边的信号塔|{b}天台上的天线|新建的通信铁塔
G 楼顶的基站|附近的信号塔
C {s}离住户窗户只有几米，担心辐射|{s}没有征求业主意见就安装|{s}对着{p}，居民很恐慌|{s}夜里施工装上去的
D 物业收了运营商的钱|没有看到任何环评公示|[楼下|旁边]就是幼儿园
I 家里有孕妇和小孩，{v}担心|老人担心身体健康
R 要求公开基站的辐射检测数据|请拆除或移位|希望相关部门依法审批
";

// Generic pools, shared by all problems: the boilerplate that must weigh nothing.
const OFTEN: &str = "每天|天天|每晚|几乎每天|经常|一到晚上就|隔三差五|最近一直|长期|近期频繁";
const VERY: &str = "非常|特别|十分|实在|太|相当|极其|很";
const SINCE: &str = "这种情况[已经|前后|]持续{d}了|从{q}[开始|起][就这样|就没停过|一直如此]|[已经|都]{d}了|前前后后[有|]{d}了|{q}以来[一直如此|没消停过]|差不多{d}了|[算下来|粗算]有{d}了";
const HISTORY: &str = "[之前|以前|上个月][打过|拨过][12345|市长热线][反映|投诉]，[到现在|至今][没有解决|没个结果|还是老样子]|[已经|][向|找][社区|物业|社区和物业][反映|说]过[多次|好几次|不止一次]，[都没有下文|没人理|石沉大海]|上次[投诉|反映]后[好了两天|消停了几天|安静了一阵]，[现在|这几天][又恢复原样|又开始了|照旧]|工单[回复|答复][说|称]已处理，[实际上|其实][根本没变|一点没改|还是那样]|[多次|几次][反映|投诉][无果|没用]，只能再次求助|[之前|前段时间][在网上留言过|发过帖子]，[也没人回复|没有回音]|找过街道，街道[让找|推给]区里，区里又[推回|推给]街道|[打过|拨过]几次[电话|热线]，[每次都说|都说]会[处理|安排人来]，[结果|最后][没了下文|不了了之]";
const EMOTION: &str = "真的受不了了|有没有人管管|气死了|太离谱了|还让不让人休息了|心累|无语了|求扩散|忍无可忍|天天这样谁受得了|到底有没有人管|希望大家帮忙转发|救救孩子吧|服了|[真的|]崩溃|谁来管管啊|[太|]过分了|[求|]曝光";
const EMOJI: &str = "😡|😤|😭|🙏|😓|💢|😷|🤮|😩|😱|🤬|😰|🥲|❗|‼️|🔥|🚧|🔊|💦|⚠️|😠|🙄";
const NARRATIVE: &str = "这个问题[我们|大家][反映了无数次|说过很多回]，[每次都是|回回都]石沉大海|我们[也|]理解城市[发展|建设][需要建设|要一步步来]，但不能[以牺牲居民的基本生活为代价|不顾居民死活]|作为[普通老百姓|小老百姓]，[我们|我]只[希望|想][过上正常的生活|安安稳稳过日子]|[希望|恳请]领导[能够|]设身处地[为老百姓|替我们][想一想|考虑考虑]|我们不是无理取闹，只是想[讨个说法|要个公道]|[相关|有关]部门之间互相推诿，[让老百姓|我们][求助无门|不知找谁]|[有关单位|他们]每次都说会处理，结果[一拖再拖|拖到现在]|这件事已经[严重|]影响了[周边|附近]{h}居民的生活|很多[居民|邻居]已经忍无可忍，[情绪很大|意见很大]|我们[查阅了|查过][相关规定|有关条文]，认为这种做法[明显不合规|站不住脚]|我们[多次|几次]与对方协商，对方[态度恶劣|不理不睬]，拒不整改|现在大家都很[焦虑|着急]，不知道该找谁|有的邻居已经[考虑搬走了|把房子挂出去卖了]|我们[自己|]也拍了[很多|不少]照片和视频[作为证据|留底]|前几天[有媒体记者|电视台的人][也|]来了解过情况";
const TIMELINE: &str = "{j}，我[第一次|头一回][拨打|打]12345[反映了这个问题|说了这事]|{j}，社区[工作人员|的人][到现场看过|来看了]，说会协调|{j}，我们又在网上[留言|发帖][反映|求助]|{j}[收到回复|接到答复][称|说]已责令整改，但[实际|现实中]没有任何变化|{j}，{h}居民联名[向街道递交了材料|写了联名信]|{j}，[相关部门|有关单位]来人[查看|转了一圈]后就没了下文|{j}我再次打电话[询问|催问]，对方说还在处理中";
const LEGAL: &str = "根据[相关|有关][法律法规|规定]，这种[行为|做法]明显违规|[相关|有关]法律法规对此早有明确规定|依照有关规定，[相关部门|主管部门]有责任依法处理|按照国家有关规定，[企业和单位|经营者]应当依法履行义务";
const HOTLINE_OPEN: &str = "市民来电反映：|来电人反映：|来电人称，|市民反映，|来电反映：|群众来电反映，|来电人来电称：|市民来电称，|来电人表示，";
const HOTLINE_CLOSE: &str = "要求[相关部门|有关部门|职能部门][尽快|及时]处理|希望有关部门[核实处理|核实后处理|尽快核查]|请相关部门处理|来电人要求尽快解决|请职能部门尽快核实并处理|望尽快解决|来电人要求[回复|反馈]处理结果|请相关单位跟进|来电人[希望|要求]尽快[落实|解决]|[请|望][核实|核查]处理";
const HOTLINE_TITLE: &str =
    "关于{p}{T}的反映|关于{p}{T}的投诉|{p}{T}|反映{p}{T}问题|{T}|关于{T}的求助|{p}{T}的问题";
const POLICE_TEXT: &str = "报警人称{p}{b}{C}，请求处理|{p}{C}|报警称：{p}{T}|{p}{b}{T}，报警人要求处理|{p}：{T}|报警人反映{p}{T}，要求出警";
const GRID_OPEN: &str =
    "巡查发现：|网格巡查时发现，|日常巡查中发现，|经网格员巡查，|走访中居民反映，|";
const GRID_CLOSE: &str = "现场已拍照[取证|留存]|已对当事人进行劝导|已上报社区|建议[相关|]职能部门处理|已告知物业整改|需职能部门介入|已[登记|录入]上报";
const PETITION_TITLE: &str = "关于{p}{T}问题的信访件|请求解决{p}{T}问题|关于{T}的反映|{p}居民联名信访：{T}|反映{p}{T}|恳请解决{T}问题";
const PETITION_OPEN: &str = "信访人反映：|信访人称：|尊敬的领导：|";
const PETITION_CLOSE: &str =
    "特此来信，恳请领导[高度|]重视|以上情况属实，恳请予以解决|望领导明察|盼复";
const MAILBOX_TITLE: &str =
    "{p}{T}，恳请领导关注|{T}问题请市长过问|关于{p}{T}的求助|恳请解决{p}{T}问题|{p}{T}何时能解决";
const MAILBOX_OPEN: &str = "尊敬的市长：您好！|尊敬的领导：|市长您好：|尊敬的书记、市长：您好！|";
const MAILBOX_CLOSE: &str =
    "恳请领导[百忙之中|]关注此事|此致\n敬礼！|盼复！|谢谢领导！|期待领导的回复";
const BOARD_TITLE: &str = "{p}{T}问题什么时候能解决？|关于{p}{T}的问题|{p}{T}，有人管吗？|{p}{T}|强烈要求解决{p}{T}|{T}|{p}{T}问题|请求处理{p}{T}";
const BOARD_OPEN: &str = "尊敬的领导您好！|领导您好，|您好！|各位领导好：|领导好！|";
const BOARD_CLOSE: &str = "希望相关部门能[重视|关注|过问][，谢谢|]！|盼回复！|麻烦领导[帮忙|]协调[，谢谢|]。|期待回复。|谢谢！|恳请尽快解决！|[望|请]领导[过问|关注][一下|]！|拜托了！";
const WECHAT_OPEN: &str = "您好，我想反映一下：|你好，|反映个问题，|您好，|";
const TOUTIAO_OPEN: &str = "网友爆料：|有网友反映，|";
const XHS_TITLE: &str = "{p}｜{T}真的受不了了|避雷{p}！！{T}|{p}{T}，有没有人遇到过|{c}{p}｜{T}|{p}的{T}到底有没有人管|住{p}的姐妹注意了";
const XHS_OPEN: &str = "姐妹们，|家人们谁懂啊，|真的会谢，|救命，|";
const CONNECT: &str = "而且|另外|并且|更过分的是|关键是|同时|再加上|最近|现在";
const REPEAT_PREFIX: &str = "再次反映：|第{n}次反映：|又来反映了，|重复反映：|二次来电：|";
const REPEAT_SUFFIX: &str = "至今无人处理！|已经反映过了，还是没人管。|请尽快答复！|问题依旧！|为什么一直没有解决？|[还是|依然]没变化。";
const NOISE_BOILERPLATE: &str = "【转办】|（来电人要求保密）|[图片]|（附照片）|来自{c}12345微信公众号|【重复件】|（已电话回访）";

/// Backgrounds by place kind (R S D V C H U P): who is writing.
const BACKGROUND: [&str; 8] = [
    "我是{p}{b}的业主|本人是{p}的居民，在这里住了好多年|我家住在{p}{b}|我是{p}的一名普通业主，{Y}入住|我们是{p}的住户|我父母住在{p}",
    "我是{p}的学生家长|我家孩子在{p}上学|我是{p}附近的居民|我们是{p}的家长",
    "我家就住在{p}附近|我每天上下班都要经过{p}|我在{p}开了家小店|我们是{p}沿线的居民",
    "我们是{p}的村民|我是{p}{b}的村民|本人家住{p}|我老家在{p}",
    "我是{p}的员工|本人在{p}工作|我们是{p}的工人|我在{p}做了{d}",
    "我在{p}办了会员卡|我是{p}的顾客|我和家人在{p}消费过|我们是{p}的会员",
    "我家在{p}附近|我经常去{p}|我们住在{p}旁边",
    "本人于{q}提交了申请|我是在{c}工作的外地职工|我是{c}的一名普通市民|我{Y}在{c}买了房",
];

/// Inspection notes' sub-locations by place kind (R S D V C H U).
const SUB_OTHER: [&str; 5] = ["门口", "后门", "东侧", "西侧", "南面"];
const SUB_SCHOOL: [&str; 5] = ["南门", "东门", "北门", "教学楼旁", "操场边"];
const SUB_ROAD: [&str; 5] = ["公交站", "加油站", "转角", "菜市场", "红绿灯"];

/// The sides and corners of a place an event happens on, each in its wordings.
const SIDES: [&str; 8] = [
    "东侧|东边|东面",
    "西侧|西边|西面",
    "南侧|南边|南面",
    "北侧|北边|北面",
    "东南角|东南边",
    "西北角|西北边",
    "东北角|东北边",
    "西南角|西南边",
];
/// Roles of the person in charge that reports name.
const ROLES: [&str; 4] = ["老板", "经理", "负责人", "主管"];
/// When a recurring nuisance happens, each in its wordings.
const WHEN: [&str; 8] = [
    "周末|每个周末|星期六星期天",
    "周五周六晚上|每周五晚上|一到周五",
    "工作日|周一到周五|上班的日子",
    "节假日|放假的时候|过节期间",
    "清早|一大早|早上六点多",
    "中午|午休时间|中午一两点",
    "傍晚|天一黑|傍晚六七点",
    "下半夜|后半夜|凌晨两三点",
];

/// Words that templates use and people replace with others of the same sense, as
/// `word=other/other`. Applied to template text only (never to names), so that two reports
/// built from one template still differ word by word. No wording here ends in a place suffix
/// (里, 路, 街, 村, 苑 …).
const SYNONYMS: &str =
    "非常=特别/十分/相当|严重影响=大大影响/极大地影响/明显影响|居民=住户/老百姓/群众|\
晚上=夜里/夜间/晚间|半夜=深夜/大半夜|每天=天天/每日|经常=时常/常常/老是|一直=始终/一直都/总是|\
已经=都已经/早已|没有=没|根本=完全/压根|希望=盼望/期望/恳请|相关部门=有关部门/主管部门/职能部门|\
尽快=尽早/抓紧/早日|没人处理=无人处理/没人管/一直没处理|没人管=没人理/无人过问|孩子=小孩/娃|\
老人=老年人/上了年纪的人|住户=居民/人家|睡不着=无法入睡/没法睡觉/睡不好觉|受不了=吃不消/扛不住|\
到现在=至今/直到现在|至今=到现在/迄今|多次=好几次/反复|好几次=多次/几次三番|附近=周边/周围|\
周边=附近/周围|安全隐患=隐患/安全风险|现在=如今/眼下/目前|最近=近来/这段时间/近期|\
之前=以前/此前/先前|每次=每回|而且=并且/况且|但是=可是/不过|情况=现象/状况|协商=沟通/商量|\
几个小时=好几个钟头/数小时|整夜=一整晚/通宵|噪音=噪声|臭味=臭气/异味|刺鼻=呛人/难闻|\
开窗=打开窗户/开窗户|担心=害怕/担忧|焦虑=着急/发愁|提心吊胆=心惊胆战/胆战心惊|连续=一连/接连|\
路过=经过/走过|出门=出行/外出|上班族=上班的人/打工人|家里=家中|楼道=过道/楼梯间|电动车=电瓶车/电驴|\
工人=工友/工人师傅|工资=工钱/薪水|车位=停车位|交房=交付|房产证=不动产证/产权证|红绿灯=信号灯|\
井盖=窨井盖|停电=断电|停水=断水|反映过=投诉过/说过|投诉后=反映后/举报后|马上=立刻/眼看|\
一大笔钱=好大一笔钱/不少冤枉钱|影响休息=影响睡眠/打扰休息|正常休息=正常作息/休息|\
不方便=不便/麻烦|很多=不少/许多|有人=有住户/有的人|好多年=很多年/十几年|态度很差=态度恶劣/态度蛮横|\
物业说=物业称/物业回复说|只能=只好/只得|越来越=愈发/日益|一到夏天=每到夏天/夏天一来|\
到处都是=四处都是/满地都是|都不敢=不太敢/不敢|看不见=看不清/啥也看不见|走不过去=过不去/来不及过";

/// Traditional forms of common simplified characters (written out here; a tiny subset).
const S2T: &str = "东東区區门門问問题題车車电電话話间間时時这這们們来來说說对對后後还還没沒发發过過开開关關里裏现現进進楼樓园園业業处處应應动動长長为為会會从從当當两兩无無几幾样樣头頭实實点點边邊线線马馬鸟鳥鱼魚乐樂书書买買卖賣达達环環境境垃垃圾圾污污烟煙噪噪声聲扰擾农農场場厂廠广廣庆慶库庫网網络絡视視觉覺设設计計认認识識让讓请請谢謝论論该該诉訴讯訊记記讲講评評证證试試语語调調谈談资資质質费費贵貴贴貼贸貿运運远遠连連选選递遞邮郵铁鐵银銀锁鎖错錯锦錦镇鎮门門闭閉闹鬧阳陽阴陰际際陆陸险險随隨隐隱难難雾霧韩韓顶頂顺順须須顾顧领領频頻风風飞飛饭飯饮飲馆館驾駕验驗鸡雞黄黃齐齊龙龍";

/// Homophone and input-method slips (right, wrong).
const TYPOS: &[(&str, &str)] = &[
    ("噪音", "燥音"),
    ("噪音", "躁音"),
    ("反映", "反应"),
    ("已经", "以经"),
    ("扰民", "绕民"),
    ("部门", "部们"),
    ("投诉", "头诉"),
    ("严重", "严众"),
    ("小区", "小曲"),
    ("油烟", "游烟"),
    ("垃圾", "拉圾"),
    ("井盖", "景盖"),
    ("电梯", "电体"),
    ("工资", "工姿"),
    ("物业", "无业"),
    ("施工", "师工"),
    ("的", "地"),
    ("在", "再"),
    ("再", "在"),
    ("得", "的"),
    ("做", "作"),
    ("象", "像"),
    ("希望", "希忘"),
];

/// Homophones of name characters, for misspelt place names.
const NAME_TYPOS: &str =
    "语雨园圆苑院锦景华化桂贵湾弯庭廷轩宣峰锋澜兰悦月翠萃枫风桥乔雅亚泉全馨新源元城成";

// Name pools.
const NAME_A: &str = "桂锦翠碧金银紫枫梧桐兰芷荷澜湘沁汀溪泉云霞晴岚峰景瑞祥和泰安康宁嘉怡悦雅逸清秀丽华盛荣鑫恒达福禄馨香橙柏松竹梅樱棠芙蓉桃杏柳榕樟楠凤鹤麟龙虹星月阳晨曦旭明光天海江湖滨洲湾山岭林森庭阁轩璟珑琴书墨砚枕梨茗荟蔚蓝青朗御尚雍东南西北新中";
const NAME_B: &str = "语桥池溪湾岸畔韵汇麓境澜园居坊峰谷林轩阁邸台洲岛港庭里湖江河山泉月星辰光华景秀悦雅安和盛荣宁都庄舍墅亭塘渡坪冈岗";
const ROAD_B: &str = "沙堤梓坡湘桥塘湖林园山河岭江港阳华兴安平和丰泰福民新光明建文德";
const FAMOUS_ROADS: &str = "人民|解放|建设|新华|中山|长青|五一|八一|劳动|车站|东风|友谊|文化|体育|学院|工业|迎宾|滨江|环城|站前";
const SURNAMES: &str = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江薛尹段雷黎史陶贺顾毛郝龚邵万钱严覃武";
const GIVEN: &str =
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅辉鑫鹏飞斌波宇浩凯婷雪琳";
const VILLAGE_B: &str =
    "家湾|家冲|家坪|家塘|家岭|家庄|家桥|家铺|家坝|庄|坪|塘|冲|湾|岗|桥|铺|坝|山|岭|田|洲|港";
const RES_SUFFIX: &str = "小区|新城|花园|苑|雅苑|府|家园|公馆|华庭|名苑|嘉园|新村|公寓|湾|里|壹号|山庄|御府|名邸|国际|雅居|花苑|佳园|城";
const ROAD_SUFFIX: &str = "路|路|路|路|大道|街|北路|南路|东路|西路|中路|巷";
const SCHOOL_SUFFIX: &str = "小学|中学|实验小学|实验中学|实验学校|幼儿园|外国语学校|小学|幼儿园";
const INDUSTRY: &str = "置业|房地产开发|建设|建筑工程|混凝土|环保科技|化工|物流|电子科技|食品|物业服务|新材料|机械制造|纺织|教育科技|餐饮管理|汽车销售|医药|包装|建材";
const COMPANY_FORM: &str = "有限公司|有限公司|有限责任公司|集团有限公司|股份有限公司";
const SHOP_TYPE: &str = "烧烤|大排档|火锅|KTV|酒吧|健身|超市|美容美发|培训学校|足浴|网吧|面馆|茶楼|汽修|生鲜超市|早教中心|游泳馆|餐馆|快餐|教育";
const PUBLIC_TYPE: &str =
    "公园|广场|农贸市场|地铁站|医院|社区卫生服务中心|体育馆|图书馆|汽车站|菜市场|湿地公园";
const DISTRICTS: &str = "东湖|西城|南湖|北城|江岸|河西|高新|经开|滨湖|青山|临江|望城";
const CITIES: &str = "江城|湘川|云州|临江|东陵|安澜|青州|南川|白沙|柳城";
const NICK: &str = "小{s}|老{s}|{s}先生|{s}女士|{a}{b}|爱吃{a}的猫|{a}{b}妈妈|{c}业主|路过的{a}{b}|{a}{b}小仙女|一只{a}{b}|{c}打工人|{a}{b}爸爸|{a}{b}不吃香菜";

struct Problem {
    key: &'static str,
    category: &'static str,
    alt_category: &'static str,
    targets: Vec<Kind>,
    weight: u32,
    night: bool,
    /// Whether the named sources are the place itself ("{p}老板"): frames then leave the
    /// place to the core statement instead of naming it twice.
    names_place: bool,
    opposite: Option<usize>,
    titles: Vec<Tpl>,
    sources: Vec<Tpl>,
    generic_sources: Vec<Tpl>,
    cores: Vec<Tpl>,
    details: Vec<Tpl>,
    impacts: Vec<Tpl>,
    demands: Vec<Tpl>,
}

struct Lexicon {
    problems: Vec<Problem>,
    often: Vec<Tpl>,
    very: Vec<Tpl>,
    since: Vec<Tpl>,
    history: Vec<Tpl>,
    emotion: Vec<Tpl>,
    emoji: Vec<&'static str>,
    narrative: Vec<Tpl>,
    timeline: Vec<Tpl>,
    legal: Vec<Tpl>,
    hotline_open: Vec<Tpl>,
    hotline_close: Vec<Tpl>,
    hotline_title: Vec<Tpl>,
    police_text: Vec<Tpl>,
    grid_open: Vec<Tpl>,
    grid_close: Vec<Tpl>,
    petition_title: Vec<Tpl>,
    petition_open: Vec<Tpl>,
    petition_close: Vec<Tpl>,
    mailbox_title: Vec<Tpl>,
    mailbox_open: Vec<Tpl>,
    mailbox_close: Vec<Tpl>,
    board_title: Vec<Tpl>,
    board_open: Vec<Tpl>,
    board_close: Vec<Tpl>,
    wechat_open: Vec<Tpl>,
    toutiao_open: Vec<Tpl>,
    xhs_title: Vec<Tpl>,
    xhs_open: Vec<Tpl>,
    connect: Vec<Tpl>,
    repeat_prefix: Vec<Tpl>,
    repeat_suffix: Vec<Tpl>,
    boilerplate: Vec<Tpl>,
    background: Vec<Vec<Tpl>>,
    s2t: FxHashMap<char, char>,
    name_typos: FxHashMap<char, char>,
    synonyms: Synonyms,
}

/// [`SYNONYMS`], ready to rewrite template text.
struct Synonyms {
    finder: AhoCorasick,
    /// For each word the finder finds: the word and its others.
    wordings: Vec<Vec<&'static str>>,
}

impl Synonyms {
    fn new() -> Synonyms {
        let mut words = Vec::new();
        let mut wordings = Vec::new();
        for entry in SYNONYMS.split('|') {
            let (word, others) = entry.split_once('=').expect("word=others");
            words.push(word);
            wordings.push(std::iter::once(word).chain(others.split('/')).collect());
        }
        let finder = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&words)
            .expect("a small synonym table builds");
        Synonyms { finder, wordings }
    }

    /// Writes `text` with each word of the table in one of its wordings.
    fn rewrite(&self, rng: &mut Rng, text: &str, out: &mut String) {
        let mut at = 0;
        for m in self.finder.find_iter(text) {
            out.push_str(&text[at..m.start()]);
            out.push_str(rng.pick_str(&self.wordings[m.pattern().as_usize()]));
            at = m.end();
        }
        out.push_str(&text[at..]);
    }
}

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

fn words(s: &'static str) -> Vec<&'static str> {
    s.split('|').collect()
}

fn pairs(s: &str) -> FxHashMap<char, char> {
    let c = chars(s);
    c.chunks_exact(2).map(|p| (p[0], p[1])).collect()
}

fn parse_problems(text: &'static str) -> Vec<Problem> {
    let mut problems: Vec<Problem> = Vec::new();
    let mut opposites: Vec<&'static str> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(header) = line.strip_prefix('@') {
            let f: Vec<&'static str> = header.split('|').collect();
            assert_eq!(f.len(), 7, "problem header {line:?}");
            problems.push(Problem {
                key: f[0],
                category: f[1],
                alt_category: f[2],
                targets: f[3]
                    .split_whitespace()
                    .map(|t| Kind::from_letter(t.chars().next().expect("letter")))
                    .collect(),
                weight: f[4].parse().expect("weight"),
                night: f[5] == "night",
                names_place: false,
                opposite: None,
                titles: Vec::new(),
                sources: Vec::new(),
                generic_sources: Vec::new(),
                cores: Vec::new(),
                details: Vec::new(),
                impacts: Vec::new(),
                demands: Vec::new(),
            });
            opposites.push(f[6]);
            continue;
        }
        let p = problems.last_mut().expect("a header first");
        let (tag, list) = line.split_at(1);
        let list = parse_list(list.trim());
        match tag {
            "T" => p.titles = list,
            "S" => {
                p.names_place = list.iter().all(|t| has_slot(t, Slot::Place));
                p.sources = list;
            }
            "G" => p.generic_sources = list,
            "C" => p.cores = list,
            "D" => p.details = list,
            "I" => p.impacts = list,
            "R" => p.demands = list,
            _ => panic!("unknown line {line:?}"),
        }
    }
    for (i, opp) in opposites.iter().enumerate() {
        if !opp.is_empty() {
            problems[i].opposite = Some(
                problems
                    .iter()
                    .position(|p| p.key == *opp)
                    .expect("opposite exists"),
            );
        }
    }
    problems
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| Lexicon {
        problems: parse_problems(PROBLEMS),
        often: parse_list(OFTEN),
        very: parse_list(VERY),
        since: parse_list(SINCE),
        history: parse_list(HISTORY),
        emotion: parse_list(EMOTION),
        emoji: words(EMOJI),
        narrative: parse_list(NARRATIVE),
        timeline: parse_list(TIMELINE),
        legal: parse_list(LEGAL),
        hotline_open: parse_list(HOTLINE_OPEN),
        hotline_close: parse_list(HOTLINE_CLOSE),
        hotline_title: parse_list(HOTLINE_TITLE),
        police_text: parse_list(POLICE_TEXT),
        grid_open: parse_list(GRID_OPEN),
        grid_close: parse_list(GRID_CLOSE),
        petition_title: parse_list(PETITION_TITLE),
        petition_open: parse_list(PETITION_OPEN),
        petition_close: parse_list(PETITION_CLOSE),
        mailbox_title: parse_list(MAILBOX_TITLE),
        mailbox_open: parse_list(MAILBOX_OPEN),
        mailbox_close: parse_list(MAILBOX_CLOSE),
        board_title: parse_list(BOARD_TITLE),
        board_open: parse_list(BOARD_OPEN),
        board_close: parse_list(BOARD_CLOSE),
        wechat_open: parse_list(WECHAT_OPEN),
        toutiao_open: parse_list(TOUTIAO_OPEN),
        xhs_title: parse_list(XHS_TITLE),
        xhs_open: parse_list(XHS_OPEN),
        connect: parse_list(CONNECT),
        repeat_prefix: parse_list(REPEAT_PREFIX),
        repeat_suffix: parse_list(REPEAT_SUFFIX),
        boilerplate: parse_list(NOISE_BOILERPLATE),
        background: BACKGROUND.iter().map(|b| parse_list(b)).collect(),
        s2t: pairs(S2T),
        name_typos: {
            let c = chars(NAME_TYPOS);
            let mut m = FxHashMap::default();
            for p in c.chunks_exact(2) {
                m.insert(p[0], p[1]);
                m.insert(p[1], p[0]);
            }
            m
        },
        synonyms: Synonyms::new(),
    })
}

// ---------------------------------------------------------------------------------------------
// The city.

#[derive(Debug)]
struct Street {
    name: String,
    district: u16,
}

#[derive(Debug)]
struct Road {
    name: String,
    core: String,
    district: u16,
}

#[derive(Debug)]
struct Place {
    kind: Kind,
    /// The distinctive part of the name ("桂语"); empty for numbered schools.
    core: String,
    /// The generic part: 新城, 小学, 村, an industry, a shop or facility type.
    suffix: &'static str,
    /// A company's legal form (有限公司 …).
    form: &'static str,
    /// The estate a residential compound is a phase of ("锦绣江南").
    estate: Option<String>,
    /// The developer's brand a compound is sold under.
    brand: Option<String>,
    /// A numbered school's number (第三中学); 0 otherwise.
    number: u8,
    street: u32,
    road: u32,
    /// How many people could report something here.
    population: u32,
}

#[derive(Debug)]
struct City {
    name: &'static str,
    salt: u64,
    districts: Vec<&'static str>,
    streets: Vec<Street>,
    roads: Vec<Road>,
    roads_by_district: Vec<Vec<u32>>,
    places: Vec<Place>,
    by_kind: [Vec<u32>; PLACE_KINDS],
    by_street: FxHashMap<(u32, usize), Vec<u32>>,
}

struct Namer {
    a: Vec<char>,
    b: Vec<char>,
    used: FxHashSet<String>,
}

impl Namer {
    fn core(&self, rng: &mut Rng) -> String {
        let mut s = String::with_capacity(9);
        s.push(*rng.pick(&self.a));
        if rng.chance(0.25) {
            s.push(*rng.pick(&self.a));
        }
        s.push(*rng.pick(&self.b));
        s
    }

    /// A name no place of the same `tag` has, made by `make`.
    fn unique(
        &mut self,
        rng: &mut Rng,
        tag: &str,
        mut make: impl FnMut(&mut Rng) -> String,
    ) -> String {
        for attempt in 0..60 {
            let mut name = make(rng);
            if attempt >= 30 {
                // Crowded: lengthen the core.
                name.insert(0, *rng.pick(&self.a));
            }
            if self.used.insert(format!("{tag}{name}")) {
                return name;
            }
        }
        let name = format!("{}{}", make(rng), self.used.len());
        self.used.insert(format!("{tag}{name}"));
        name
    }
}

impl City {
    fn build(config: &GenerateConfig, rng: &mut Rng) -> City {
        let n = config.orders.max(1000);
        let mut namer = Namer {
            a: chars(NAME_A),
            b: chars(NAME_B),
            used: FxHashSet::default(),
        };
        let mut district_pool = words(DISTRICTS);
        shuffle(rng, &mut district_pool);
        let n_districts = 6 + 2 * usize::from(n >= 100_000) + 2 * usize::from(n >= 1_000_000);
        let districts: Vec<&'static str> = district_pool.into_iter().take(n_districts).collect();

        let urban_per_district = (4 + n / 40_000).min(30);
        let towns_per_district = (2 + n / 100_000).min(12);
        let mut streets = Vec::new();
        let mut urban: Vec<Vec<u32>> = vec![Vec::new(); n_districts];
        let mut towns: Vec<Vec<u32>> = vec![Vec::new(); n_districts];
        for d in 0..n_districts {
            for i in 0..urban_per_district + towns_per_district {
                let town = i >= urban_per_district;
                let suffix = if !town {
                    "街道"
                } else if rng.chance(0.8) {
                    "镇"
                } else {
                    "乡"
                };
                let core = namer.unique(rng, "街", |r| {
                    let mut s = String::new();
                    s.push(*r.pick(&chars(NAME_A)));
                    s.push(*r.pick(&chars(NAME_B)));
                    s
                });
                let list = if town { &mut towns[d] } else { &mut urban[d] };
                list.push(streets.len() as u32);
                streets.push(Street {
                    name: format!("{core}{suffix}"),
                    district: d as u16,
                });
            }
        }

        let road_b = chars(ROAD_B);
        let mut famous = words(FAMOUS_ROADS);
        shuffle(rng, &mut famous);
        let road_suffixes = words(ROAD_SUFFIX);
        let n_roads = (n / 60).max(40);
        let mut roads = Vec::with_capacity(n_roads);
        let mut roads_by_district: Vec<Vec<u32>> = vec![Vec::new(); n_districts];
        for _ in 0..n_roads {
            let d = rng.below(n_districts);
            let core = if !famous.is_empty() && rng.chance(0.05) {
                famous.pop().expect("not empty").to_string()
            } else {
                let mut s = String::new();
                s.push(*rng.pick(&namer.a));
                if rng.chance(0.15) {
                    s.push(*rng.pick(&namer.a));
                }
                s.push(if rng.chance(0.6) {
                    *rng.pick(&road_b)
                } else {
                    *rng.pick(&namer.b)
                });
                s
            };
            let suffix = rng.pick_str(&road_suffixes);
            let full = namer.unique(rng, "路", |_| format!("{core}{suffix}"));
            let core = full.strip_suffix(suffix).unwrap_or(&full).to_string();
            roads_by_district[d].push(roads.len() as u32);
            roads.push(Road {
                name: full,
                core,
                district: d as u16,
            });
        }
        for (d, list) in roads_by_district.iter_mut().enumerate() {
            if list.is_empty() {
                // Every district has at least one road.
                list.push(d as u32 % roads.len() as u32);
            }
        }

        let mut city = City {
            name: rng.pick_str(&words(CITIES)),
            salt: rng.next_u64(),
            districts,
            streets,
            roads,
            roads_by_district,
            places: Vec::new(),
            by_kind: Default::default(),
            by_street: FxHashMap::default(),
        };

        let res = (n / 30).max(100);
        let res_suffix = words(RES_SUFFIX);
        let brands: Vec<String> = (0..(res / 20).max(5)).map(|_| namer.core(rng)).collect();
        let rbd = city.roads_by_district.clone();
        let place_at = |rng: &mut Rng, town: bool| -> (u32, u32) {
            let d = rng.below(n_districts);
            let list = if town { &towns[d] } else { &urban[d] };
            (*rng.pick(list), *rng.pick(&rbd[d]))
        };

        let mut made = 0;
        while made < res {
            let (street, road) = place_at(rng, false);
            let brand = rng.chance(0.4).then(|| rng.pick(&brands).clone());
            let phases = if rng.chance(0.12) {
                rng.range(2, 3) as usize
            } else {
                1
            };
            let estate = (phases > 1).then(|| {
                namer.unique(rng, "盘", |r| {
                    let a = chars(NAME_A);
                    let b = chars(NAME_B);
                    [*r.pick(&a), *r.pick(&b), *r.pick(&a), *r.pick(&b)]
                        .iter()
                        .collect()
                })
            });
            for _ in 0..phases {
                let suffix = rng.pick_str(&res_suffix);
                let a = namer.a.clone();
                let b = namer.b.clone();
                let name = namer.unique(rng, "区", |r| {
                    loop {
                        let mut s = String::new();
                        s.push(*r.pick(&a));
                        if r.chance(0.2) {
                            s.push(*r.pick(&a));
                        }
                        s.push(*r.pick(&b));
                        // No doubled character at the seam ("雅苑苑").
                        if s.chars().last() != suffix.chars().next() {
                            s.push_str(suffix);
                            return s;
                        }
                    }
                });
                let core = name.strip_suffix(suffix).unwrap_or(&name).to_string();
                city.push(Place {
                    kind: Kind::Residential,
                    core,
                    suffix,
                    form: "",
                    estate: estate.clone(),
                    brand: brand.clone(),
                    number: 0,
                    street,
                    road,
                    population: rng.range(300, 3000),
                });
                made += 1;
            }
        }

        let school_suffix = words(SCHOOL_SUFFIX);
        let mut numbered: FxHashSet<(u16, u8, &'static str)> = FxHashSet::default();
        for _ in 0..res / 8 + 10 {
            let town = rng.chance(0.15);
            let (street, road) = place_at(rng, town);
            let district = city.streets[street as usize].district;
            let (core, suffix, number) = if rng.chance(0.2) {
                let suffix = if rng.chance(0.5) { "中学" } else { "小学" };
                let k = rng.range(1, 40) as u8;
                if numbered.insert((district, k, suffix)) {
                    (String::new(), suffix, k)
                } else {
                    continue;
                }
            } else {
                let suffix = rng.pick_str(&school_suffix);
                let name = namer.unique(rng, "校", |r| {
                    let mut s = String::new();
                    s.push(*r.pick(&chars(NAME_A)));
                    s.push(*r.pick(&chars(NAME_B)));
                    s.push_str(suffix);
                    s
                });
                (
                    name.strip_suffix(suffix).unwrap_or(&name).to_string(),
                    suffix,
                    0,
                )
            };
            city.push(Place {
                kind: Kind::School,
                core,
                suffix,
                form: "",
                estate: None,
                brand: None,
                number,
                street,
                road,
                population: rng.range(200, 1500),
            });
        }

        let industries = words(INDUSTRY);
        let forms = words(COMPANY_FORM);
        for _ in 0..res / 5 + 10 {
            let town = rng.chance(0.3);
            let (street, road) = place_at(rng, town);
            let suffix = rng.pick_str(&industries);
            let name = namer.unique(rng, "司", |r| {
                let mut s = String::new();
                s.push(*r.pick(&chars(NAME_A)));
                s.push(*r.pick(&chars(NAME_B)));
                s.push_str(suffix);
                s
            });
            city.push(Place {
                kind: Kind::Company,
                core: name.strip_suffix(suffix).unwrap_or(&name).to_string(),
                suffix,
                form: rng.pick_str(&forms),
                estate: None,
                brand: None,
                number: 0,
                street,
                road,
                population: rng.range(30, 600),
            });
        }

        let surnames = chars(SURNAMES);
        let village_b = words(VILLAGE_B);
        for _ in 0..res / 5 + 10 {
            let (street, road) = place_at(rng, true);
            let name = namer.unique(rng, "村", |r| {
                let mut s = String::new();
                if r.chance(0.6) {
                    s.push(*r.pick(&surnames));
                    s.push_str(r.pick_str(&village_b));
                } else {
                    s.push(*r.pick(&chars(NAME_A)));
                    s.push(*r.pick(&chars(NAME_B)));
                }
                s
            });
            city.push(Place {
                kind: Kind::Village,
                core: name,
                suffix: "村",
                form: "",
                estate: None,
                brand: None,
                number: 0,
                street,
                road,
                population: rng.range(100, 900),
            });
        }

        let shop_types = words(SHOP_TYPE);
        for _ in 0..res / 4 + 10 {
            let town = rng.chance(0.1);
            let (street, road) = place_at(rng, town);
            let suffix = rng.pick_str(&shop_types);
            let name = namer.unique(rng, "店", |r| {
                let mut s = String::new();
                match r.below(3) {
                    0 => {
                        s.push('老');
                        s.push(*r.pick(&surnames));
                        s.push('家');
                    }
                    1 => {
                        s.push(*r.pick(&surnames));
                        s.push('记');
                    }
                    _ => {
                        s.push(*r.pick(&chars(NAME_A)));
                        s.push(*r.pick(&chars(NAME_B)));
                    }
                }
                s.push_str(suffix);
                s
            });
            city.push(Place {
                kind: Kind::Shop,
                core: name.strip_suffix(suffix).unwrap_or(&name).to_string(),
                suffix,
                form: "",
                estate: None,
                brand: None,
                number: 0,
                street,
                road,
                population: rng.range(50, 800),
            });
        }

        let public_types = words(PUBLIC_TYPE);
        for _ in 0..res / 12 + 10 {
            let town = rng.chance(0.1);
            let (street, road) = place_at(rng, town);
            let suffix = rng.pick_str(&public_types);
            let name = namer.unique(rng, "公", |r| {
                let mut s = String::new();
                s.push(*r.pick(&chars(NAME_A)));
                s.push(*r.pick(&chars(NAME_B)));
                s.push_str(suffix);
                s
            });
            city.push(Place {
                kind: Kind::Public,
                core: name.strip_suffix(suffix).unwrap_or(&name).to_string(),
                suffix,
                form: "",
                estate: None,
                brand: None,
                number: 0,
                street,
                road,
                population: rng.range(300, 3000),
            });
        }

        // Roads are places too (potholes, street lights, crossings).
        for r in 0..city.roads.len() {
            let d = city.roads[r].district as usize;
            let street = *rng.pick(&urban[d]);
            city.push(Place {
                kind: Kind::Road,
                core: city.roads[r].core.clone(),
                suffix: "",
                form: "",
                estate: None,
                brand: None,
                number: 0,
                street,
                road: r as u32,
                population: rng.range(200, 2000),
            });
        }

        // Popular places are not the first made.
        for list in city.by_kind.iter_mut() {
            shuffle(rng, list);
        }
        city
    }

    fn push(&mut self, place: Place) {
        let i = self.places.len() as u32;
        self.by_kind[place.kind.index()].push(i);
        self.by_street
            .entry((place.street, place.kind.index()))
            .or_default()
            .push(i);
        self.places.push(place);
    }

    /// Another place of the same kind on the same street, or failing that in the same
    /// district, or anywhere.
    fn neighbour(&self, place: u32, rng: &mut Rng) -> u32 {
        let p = &self.places[place as usize];
        if let Some(list) = self.by_street.get(&(p.street, p.kind.index())) {
            if list.len() > 1 {
                loop {
                    let q = *rng.pick(list);
                    if q != place {
                        return q;
                    }
                }
            }
        }
        let all = &self.by_kind[p.kind.index()];
        for _ in 0..50 {
            let q = *rng.pick(all);
            let same_district = self.streets[self.places[q as usize].street as usize].district
                == self.streets[p.street as usize].district;
            if q != place && same_district {
                return q;
            }
        }
        *rng.pick(all)
    }

    fn district_of(&self, place: &Place) -> &'static str {
        self.districts[self.streets[place.street as usize].district as usize]
    }
}

fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = rng.below(i + 1);
        items.swap(i, j);
    }
}

// ---------------------------------------------------------------------------------------------
// Events: one problem at one place over a stretch of time.

#[derive(Debug, Clone)]
struct Event {
    problem: u16,
    place: Option<u32>,
    size: u32,
    start_day: u32,
    span_days: u32,
    /// Which named source (of the problem's S list) this event is about.
    source: u8,
    /// The one grievance (core statement) of a policy event; others vary it.
    core: Option<u8>,
    /// A name core of the event's own (a site, a shop, a school to be built).
    fresh: String,
    /// Building (or gate, or village group) and unit.
    sub: (u8, u8),
    /// The late hour it happens at, 21 to 26 (26 is two in the morning).
    hour: u8,
    duration_days: u16,
    number: u8,
    money: u32,
    road: u32,
    cross: u32,
    year: u16,
    /// The side or corner it is on (an index into `SIDES`).
    side: u8,
    /// The person reports name: a surname (index into `SURNAMES`) and a role (`ROLES`).
    person: (u8, u8),
    /// When it happens (an index into `WHEN`).
    when: u8,
    households: u16,
    /// What reports of this event talk about: indices into the problem's core statements,
    /// details, impacts and demands. People describing one event describe the same
    /// happenings; another event of the same problem has others.
    aspects: Aspects,
}

/// Indices of the statements an event's reports draw on (see [`Event::aspects`]).
#[derive(Debug, Clone, Copy)]
struct Aspects {
    cores: [u8; 2],
    details: [u8; 3],
    impacts: [u8; 2],
    demands: [u8; 2],
}

impl Aspects {
    fn draw(p: &Problem, rng: &mut Rng) -> Aspects {
        let mut draw = |n: usize, out: &mut [u8]| {
            let picked = pick_distinct(rng, n, out.len());
            for (slot, i) in out.iter_mut().zip(picked) {
                *slot = i as u8;
            }
            // Fewer statements than slots: repeat the first.
            let k = n.min(out.len());
            for j in k..out.len() {
                out[j] = out[0];
            }
        };
        let mut a = Aspects {
            cores: [0; 2],
            details: [0; 3],
            impacts: [0; 2],
            demands: [0; 2],
        };
        draw(p.cores.len(), &mut a.cores);
        draw(p.details.len(), &mut a.details);
        draw(p.impacts.len(), &mut a.impacts);
        draw(p.demands.len(), &mut a.demands);
        a
    }
}

fn span_for(size: usize) -> u32 {
    if size <= 1 {
        0
    } else {
        (1.0 + 3.0 * (size as f64).sqrt()).min(240.0) as u32
    }
}

struct Planner<'a> {
    config: &'a GenerateConfig,
    city: &'a City,
    lex: &'a Lexicon,
    weights: Vec<u32>,
    by_kind: Vec<Vec<usize>>,
    namer_a: Vec<char>,
    namer_b: Vec<char>,
    surnames: Vec<char>,
}

fn plan(config: &GenerateConfig, lex: &Lexicon) -> (City, Vec<Event>) {
    let mut rng = Rng::stream(config.seed, 1, 0);
    let city = City::build(config, &mut rng);
    let mut by_kind = vec![Vec::new(); PLACE_KINDS + 1];
    for (i, p) in lex.problems.iter().enumerate() {
        for k in &p.targets {
            by_kind[k.index()].push(i);
        }
    }
    let planner = Planner {
        config,
        city: &city,
        lex,
        weights: lex.problems.iter().map(|p| p.weight).collect(),
        by_kind,
        namer_a: chars(NAME_A),
        namer_b: chars(NAME_B),
        surnames: chars(SURNAMES),
    };
    let cap = (config.orders / 100).max(20);
    let mut events: Vec<Event> = Vec::new();
    let mut registry = Registry::default();
    let mut remaining = config.orders;
    while remaining > 0 {
        let size = if events.is_empty() && config.hot_event > 0 {
            config.hot_event.min(remaining)
        } else {
            event_size(&mut rng, cap).min(remaining)
        };
        remaining -= size;
        let mut ev = None;
        if events.len() >= 8 && rng.chance(0.25) {
            let back = rng.below(events.len().min(4096));
            let anchor = &events[events.len() - 1 - back];
            ev = planner
                .sibling(anchor, size, &mut rng)
                .filter(|e| registry.is_free(e, lex));
        }
        // A fresh event must not be a hidden duplicate of another: the same problem at the
        // same place within two months, or the same grievance about the same policy.
        for _ in 0..50 {
            if ev.is_some() {
                break;
            }
            ev = Some(planner.fresh(size, &mut rng)).filter(|e| registry.is_free(e, lex));
        }
        let ev = ev.unwrap_or_else(|| planner.fresh(size, &mut rng));
        registry.add(&ev, lex);
        events.push(ev);
    }
    drop(planner);
    (city, events)
}

/// What events exist, so that planned events stay distinguishable.
#[derive(Default)]
struct Registry {
    /// (place, problem) → the day ranges of its events.
    at_place: FxHashMap<(u32, u16), Vec<(u32, u32)>>,
    /// Policy grievances taken: (problem, source, core, fresh name if the source has one).
    policies: FxHashSet<(u16, u8, u8, String)>,
}

/// Days between two events of one problem at one place, so that the later is a new event.
const RECURRENCE_GAP_DAYS: u32 = 60;

impl Registry {
    fn policy_key(ev: &Event, lex: &Lexicon) -> (u16, u8, u8, String) {
        let p = &lex.problems[ev.problem as usize];
        let named = p
            .sources
            .get(ev.source as usize)
            .is_some_and(|t| has_slot(t, Slot::Fresh));
        (
            ev.problem,
            ev.source,
            ev.core.unwrap_or(0),
            if named {
                ev.fresh.clone()
            } else {
                String::new()
            },
        )
    }

    fn is_free(&self, ev: &Event, lex: &Lexicon) -> bool {
        match ev.place {
            None => !self.policies.contains(&Registry::policy_key(ev, lex)),
            Some(place) => self.at_place.get(&(place, ev.problem)).is_none_or(|spans| {
                let (a0, a1) = (ev.start_day, ev.start_day + ev.span_days);
                spans
                    .iter()
                    .all(|&(b0, b1)| a0 > b1 + RECURRENCE_GAP_DAYS || b0 > a1 + RECURRENCE_GAP_DAYS)
            }),
        }
    }

    fn add(&mut self, ev: &Event, lex: &Lexicon) {
        match ev.place {
            None => {
                self.policies.insert(Registry::policy_key(ev, lex));
            }
            Some(place) => self
                .at_place
                .entry((place, ev.problem))
                .or_default()
                .push((ev.start_day, ev.start_day + ev.span_days)),
        }
    }
}

impl Planner<'_> {
    fn days(&self) -> u32 {
        self.config.days.max(1)
    }

    fn fresh(&self, size: usize, rng: &mut Rng) -> Event {
        let problem = rng.weighted(&self.weights);
        let targets = &self.lex.problems[problem].targets;
        // The first target kind is the usual one.
        let kind = if targets.len() == 1 || rng.chance(0.5) {
            targets[0]
        } else {
            *rng.pick(targets)
        };
        let place = (kind != Kind::Policy).then(|| {
            let list = &self.city.by_kind[kind.index()];
            list[rng.skewed(list.len())]
        });
        let start = rng.below(self.days() as usize) as u32;
        self.event(problem, place, start, size, rng)
    }

    /// A hard negative next to `anchor`, or `None` if none fits.
    fn sibling(&self, anchor: &Event, size: usize, rng: &mut Rng) -> Option<Event> {
        let place = anchor.place?;
        let kind = self.city.places[place as usize].kind;
        let near = |rng: &mut Rng| {
            let shift = rng.range(0, 40) as i64 - 20;
            (anchor.start_day as i64 + shift).clamp(0, self.days() as i64 - 1) as u32
        };
        let problem = anchor.problem as usize;
        let other_problem = |rng: &mut Rng| -> Option<Event> {
            let options = &self.by_kind[kind.index()];
            for _ in 0..20 {
                let q = *rng.pick(options);
                if q != problem && Some(q) != self.lex.problems[problem].opposite {
                    let start = rng.below(self.days() as usize) as u32;
                    return Some(self.event(q, Some(place), start, size, rng));
                }
            }
            None
        };
        match rng.below(10) {
            0..=3 => other_problem(rng),
            4..=6 => {
                let other = self.city.neighbour(place, rng);
                (other != place).then(|| {
                    let start = near(rng);
                    self.event(problem, Some(other), start, size, rng)
                })
            }
            7 | 8 => {
                let gap = rng.range(RECURRENCE_GAP_DAYS + 1, 240);
                let later = anchor.start_day + anchor.span_days + gap;
                let span = span_for(size);
                let start = if later < self.days() {
                    Some(later)
                } else {
                    anchor.start_day.checked_sub(gap + span)
                };
                match start {
                    Some(start) => Some(self.event(problem, Some(place), start, size, rng)),
                    None => other_problem(rng),
                }
            }
            _ => match self.lex.problems[problem].opposite {
                Some(q) => {
                    let start = near(rng);
                    Some(self.event(q, Some(place), start, size, rng))
                }
                None => other_problem(rng),
            },
        }
    }

    fn event(
        &self,
        problem: usize,
        place: Option<u32>,
        start: u32,
        size: usize,
        rng: &mut Rng,
    ) -> Event {
        let p = &self.lex.problems[problem];
        let road = match place {
            Some(pl) => self.city.places[pl as usize].road,
            None => rng.below(self.city.roads.len()) as u32,
        };
        let district = self.city.roads[road as usize].district as usize;
        let crossings = &self.city.roads_by_district[district];
        let mut cross = *rng.pick(crossings);
        if cross == road && crossings.len() > 1 {
            cross = *rng.pick(crossings);
        }
        if cross == road {
            cross = rng.below(self.city.roads.len()) as u32;
        }
        let mut fresh = String::new();
        fresh.push(*rng.pick(&self.namer_a));
        fresh.push(*rng.pick(&self.namer_b));
        let start_year = (self.config.start + TimeDelta::days(start as i64)).format("%Y");
        let start_year: u16 = start_year.to_string().parse().unwrap_or(2024);
        Event {
            problem: problem as u16,
            place,
            size: size as u32,
            start_day: start,
            span_days: span_for(size),
            source: rng.below(p.sources.len().max(1)) as u8,
            core: place
                .is_none()
                .then(|| rng.below(p.cores.len().max(1)) as u8),
            fresh,
            sub: (rng.range(1, 30) as u8, rng.range(1, 4) as u8),
            hour: rng.range(21, 26) as u8,
            duration_days: *rng.pick(&[3u16, 5, 7, 10, 14, 20, 30, 45, 60, 90, 120, 200, 400]),
            number: rng.range(2, 30) as u8,
            money: rng.range(3, 300) * 1000 + rng.below(10) as u32 * 100,
            road,
            cross,
            year: if p.targets.contains(&Kind::Policy) {
                start_year
            } else {
                start_year - rng.range(1, 8) as u16
            },
            side: rng.below(SIDES.len()) as u8,
            person: (
                rng.below(self.surnames.len()) as u8,
                rng.below(ROLES.len()) as u8,
            ),
            when: rng.below(WHEN.len()) as u8,
            households: *rng.pick(&[12u16, 20, 30, 40, 50, 60, 80, 100, 120, 200, 300, 500]),
            aspects: Aspects::draw(p, rng),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Writing the reports of one event.

/// One report before it gets its id.
#[derive(Debug, Clone)]
struct Draft {
    secs: i64,
    channel: Channel,
    title: String,
    text: String,
    address: Option<String>,
    reporter: Option<String>,
    category: Option<String>,
    /// Who wrote it (a resident's identity).
    resident: u64,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            secs: 0,
            channel: Channel::Other,
            title: String::new(),
            text: String::new(),
            address: None,
            reporter: None,
            category: None,
            resident: 0,
        }
    }
}

struct SceneBase<'a> {
    city: &'a City,
    lex: &'a Lexicon,
    noise: f64,
    start: NaiveDate,
}

struct Scene<'a> {
    base: &'a SceneBase<'a>,
    ev: &'a Event,
    p: &'a Problem,
    start: NaiveDate,
}

const CHANNEL_MIX: [(Channel, u32); 11] = [
    (Channel::Hotline12345, 42),
    (Channel::Police110, 5),
    (Channel::Petition, 3),
    (Channel::MayorMailbox, 4),
    (Channel::MessageBoard, 12),
    (Channel::Weibo, 8),
    (Channel::Douyin, 6),
    (Channel::Toutiao, 3),
    (Channel::Xiaohongshu, 4),
    (Channel::WeChat, 7),
    (Channel::GridWorker, 6),
];

/// Channels whose writers would paste each other's text.
fn family(c: Channel) -> u8 {
    match c {
        Channel::Hotline12345 | Channel::Police110 => 0,
        Channel::Petition | Channel::MayorMailbox | Channel::MessageBoard => 1,
        Channel::GridWorker => 2,
        _ => 3,
    }
}

fn is_social(c: Channel) -> bool {
    matches!(
        c,
        Channel::Weibo | Channel::Douyin | Channel::Toutiao | Channel::Xiaohongshu
    )
}

impl SceneBase<'_> {
    fn write_event(&self, ev: &Event, rng: &mut Rng) -> Vec<Draft> {
        let scene = Scene {
            base: self,
            ev,
            p: &self.lex.problems[ev.problem as usize],
            start: self.start,
        };
        scene.write_all(rng)
    }
}

impl Scene<'_> {
    fn place(&self) -> Option<&Place> {
        self.ev.place.map(|p| &self.base.city.places[p as usize])
    }

    fn write_all(&self, rng: &mut Rng) -> Vec<Draft> {
        let size = self.ev.size as usize;
        let span = self.ev.span_days as f64;
        let mut days: Vec<u32> = (0..size)
            .map(|k| {
                if k == 0 {
                    0
                } else {
                    let u = rng.unit();
                    (span * u * u) as u32
                }
            })
            .collect();
        days.sort_unstable();
        let mut drafts: Vec<Draft> = Vec::with_capacity(size);
        for (k, &day) in days.iter().enumerate() {
            let repeat_of = (k > 0 && rng.chance(0.15)).then(|| rng.below(k));
            let channel = match repeat_of {
                Some(j) if rng.chance(0.7) => drafts[j].channel,
                _ => self.channel(rng),
            };
            let mut secs =
                (self.ev.start_day + day) as i64 * 86_400 + self.time_of_day(rng, channel);
            let resident = match repeat_of {
                Some(j) => {
                    if secs <= drafts[j].secs {
                        secs = drafts[j].secs + 600 + rng.below(7200) as i64;
                    }
                    drafts[j].resident
                }
                None => self.resident(rng),
            };
            let mut d = Draft {
                secs,
                channel,
                resident,
                ..Draft::default()
            };
            match repeat_of.map(|j| (j, rng.below(10))) {
                Some((j, mode)) if mode < 4 && drafts[j].channel == channel => {
                    // An exact repost.
                    let prev = &drafts[j];
                    d.title = prev.title.clone();
                    d.text = prev.text.clone();
                    d.address = prev.address.clone();
                    d.category = prev.category.clone();
                }
                Some((j, mode)) if mode < 7 && family(drafts[j].channel) == family(channel) => {
                    // Near-identical: the same text, marked as a repeat.
                    let prev = &drafts[j];
                    d.title = prev.title.clone();
                    d.address = prev.address.clone();
                    d.category = prev.category.clone();
                    let mut text = String::new();
                    if rng.chance(0.6) {
                        self.pick(rng, &self.base.lex.repeat_prefix, &mut text);
                    }
                    text.push_str(&prev.text);
                    if text.len() == prev.text.len() || rng.chance(0.4) {
                        if !text.ends_with(|c: char| "。！？!?.".contains(c)) {
                            text.push(if is_social(channel) { ' ' } else { '。' });
                        }
                        self.pick(rng, &self.base.lex.repeat_suffix, &mut text);
                    }
                    if rng.chance(0.3) {
                        typo(rng, &mut text);
                    }
                    d.text = text;
                }
                _ => self.write(rng, &mut d),
            }
            d.reporter = self.reporter(rng, channel, resident);
            drafts.push(d);
        }
        drafts
    }

    fn channel(&self, rng: &mut Rng) -> Channel {
        let mut weights = [0u32; 11];
        for (i, (c, w)) in CHANNEL_MIX.iter().enumerate() {
            weights[i] = match c {
                Channel::Police110 if self.p.night => w * 3,
                Channel::Police110 | Channel::GridWorker if self.ev.place.is_none() => 0,
                _ => *w,
            };
        }
        CHANNEL_MIX[rng.weighted(&weights)].0
    }

    fn time_of_day(&self, rng: &mut Rng, channel: Channel) -> i64 {
        let night = self.p.night
            && match channel {
                Channel::Police110 => rng.chance(0.7),
                Channel::Hotline12345 => rng.chance(0.3),
                c if is_social(c) => rng.chance(0.5),
                _ => false,
            };
        let hour = if night {
            *rng.pick(&[21, 22, 23, 0, 1, 2])
        } else {
            match channel {
                Channel::Hotline12345 => rng.range(8, 21),
                Channel::Petition | Channel::GridWorker => rng.range(8, 17),
                Channel::Police110 => rng.range(7, 23),
                _ => rng.range(7, 23),
            }
        };
        hour as i64 * 3600 + rng.below(3600) as i64
    }

    fn resident(&self, rng: &mut Rng) -> u64 {
        let (place, population) = match self.place() {
            Some(p) => (self.ev.place.unwrap_or(0) as u64, p.population as usize),
            None => (u64::MAX, 2_000_000),
        };
        let idx = rng.skewed(population) as u64;
        mix(self.base.city.salt ^ mix(place.wrapping_add(1)) ^ idx)
    }

    fn reporter(&self, rng: &mut Rng, channel: Channel, resident: u64) -> Option<String> {
        match channel {
            Channel::Hotline12345 | Channel::Petition | Channel::MayorMailbox => {
                Some(phone(resident))
            }
            Channel::Police110 => rng.chance(0.9).then(|| phone(resident)),
            Channel::WeChat => Some(format!("wx_{:010x}", resident >> 24)),
            Channel::GridWorker => {
                let street = self.place().map_or(0, |p| p.street as u64);
                let worker = mix(self.base.city.salt ^ street.wrapping_mul(31) ^ (resident % 3));
                let surnames = chars(SURNAMES);
                let given = chars(GIVEN);
                let mut s = String::from("网格员");
                s.push(surnames[(worker % surnames.len() as u64) as usize]);
                s.push(given[((worker >> 16) % given.len() as u64) as usize]);
                if worker >> 40 & 1 == 1 {
                    s.push(given[((worker >> 24) % given.len() as u64) as usize]);
                }
                Some(s)
            }
            _ => Some(self.nick(resident)),
        }
    }

    fn nick(&self, resident: u64) -> String {
        let h = mix(resident ^ 0x5eed);
        let a = chars(NAME_A);
        let b = chars(NAME_B);
        let surnames = chars(SURNAMES);
        let patterns = words(NICK);
        let pattern = patterns[(h % patterns.len() as u64) as usize];
        let mut out = String::new();
        let mut it = pattern.chars();
        while let Some(c) = it.next() {
            if c != '{' {
                out.push(c);
                continue;
            }
            let key = it.next().unwrap_or('a');
            let _ = it.next(); // '}'
            match key {
                's' => out.push(surnames[((h >> 8) % surnames.len() as u64) as usize]),
                'a' => out.push(a[((h >> 16) % a.len() as u64) as usize]),
                'b' => out.push(b[((h >> 24) % b.len() as u64) as usize]),
                _ => match self.place() {
                    Some(p) if !p.core.is_empty() => out.push_str(&p.core),
                    _ => out.push_str(self.base.city.name),
                },
            }
        }
        if h >> 40 & 3 != 0 {
            use std::fmt::Write as _;
            let _ = write!(out, "{}", (h >> 44) % 10_000);
        }
        out
    }

    // ---- rendering ----------------------------------------------------------------------

    fn pick(&self, rng: &mut Rng, list: &[Tpl], out: &mut String) {
        if !list.is_empty() {
            let t = rng.pick(list);
            self.render(rng, t, self.p, out);
        }
    }

    fn render(&self, rng: &mut Rng, tpl: &Tpl, p: &Problem, out: &mut String) {
        for seg in tpl {
            match seg {
                Seg::Lit(s) => self.base.lex.synonyms.rewrite(rng, s, out),
                Seg::Slot(slot) => self.slot(rng, *slot, p, out),
                Seg::Choice(alternatives) => {
                    let t = rng.pick(alternatives);
                    self.render(rng, t, p, out);
                }
            }
        }
    }

    fn slot(&self, rng: &mut Rng, slot: Slot, p: &Problem, out: &mut String) {
        let ev = self.ev;
        let lex = self.base.lex;
        match slot {
            Slot::Place => self.place_name(rng, false, out),
            Slot::Source => {
                let own = std::ptr::eq(p, self.p);
                let specific = if p.names_place { 0.85 } else { 0.6 };
                if own
                    && !p.sources.is_empty()
                    && (p.generic_sources.is_empty() || rng.chance(specific))
                {
                    let t = &p.sources[ev.source as usize % p.sources.len()];
                    self.render(rng, t, p, out);
                } else if let Some(t) =
                    (!p.generic_sources.is_empty()).then(|| rng.pick(&p.generic_sources))
                {
                    self.render(rng, t, p, out);
                }
            }
            Slot::Sub => self.sub(rng, out),
            Slot::Hour => hour_text(rng, ev.hour, out),
            Slot::Duration => duration_text(rng, ev.duration_days as u32, out),
            Slot::Number => number_text(rng, ev.number as u32, out),
            Slot::Money => money_text(rng, ev.money, out),
            Slot::Often => self.pick(rng, &lex.often, out),
            Slot::Very => self.pick(rng, &lex.very, out),
            Slot::Date => date_text(rng, self.start + TimeDelta::days(ev.start_day as i64), out),
            Slot::AnyDate => {
                let lo = ev.start_day as i64 - 60;
                let day = lo + rng.below(60 + ev.span_days as usize + 1) as i64;
                date_text(rng, self.start + TimeDelta::days(day), out)
            }
            Slot::Road => out.push_str(&self.base.city.roads[self.road() as usize].name),
            Slot::Cross => out.push_str(&self.base.city.roads[ev.cross as usize].name),
            Slot::Fresh => out.push_str(&ev.fresh),
            Slot::Year => {
                use std::fmt::Write as _;
                let _ = write!(out, "{}年", ev.year);
            }
            Slot::City => out.push_str(self.base.city.name),
            Slot::Side => out.push_str(rng.pick_str(&words(SIDES[ev.side as usize]))),
            Slot::When => out.push_str(rng.pick_str(&words(WHEN[ev.when as usize]))),
            Slot::Person => {
                let surname = chars(SURNAMES)[ev.person.0 as usize];
                let role = ROLES[ev.person.1 as usize];
                match rng.below(4) {
                    0 => {
                        out.push('姓');
                        out.push(surname);
                        out.push('的');
                        out.push_str(role);
                    }
                    1 => {
                        out.push_str(role);
                        out.push(surname);
                        out.push('某');
                    }
                    _ => {
                        out.push(surname);
                        out.push_str(role);
                    }
                }
            }
            Slot::Households => {
                let h = ev.households as u32;
                match rng.below(4) {
                    0 => out.push('近'),
                    1 => out.push_str("差不多"),
                    _ => {}
                }
                number_text(rng, h, out);
                out.push_str(rng.pick_str(&["户", "多户", "来户", "户人家"]));
            }
            Slot::Title => {
                if !p.titles.is_empty() {
                    let t = rng.pick(&p.titles);
                    self.render(rng, t, p, out);
                }
            }
            Slot::Core => {
                if std::ptr::eq(p, self.p) {
                    self.core(rng, out);
                } else if !p.cores.is_empty() {
                    let t = rng.pick(&p.cores);
                    self.render(rng, t, p, out);
                }
            }
        }
    }

    /// A core statement of the event's problem (always the same one for a policy event).
    fn core(&self, rng: &mut Rng, out: &mut String) {
        let cores = &self.p.cores;
        if cores.is_empty() {
            return;
        }
        let t = match self.ev.core {
            Some(i) => &cores[i as usize % cores.len()],
            None => &cores[self.aspect(rng, &self.ev.aspects.cores, cores.len())],
        };
        self.render(rng, t, self.p, out);
    }

    /// One of the event's own statements (`own`, indices into a list of `n`), or now and
    /// then any statement of the problem: reporters mostly tell what this event is about.
    fn aspect(&self, rng: &mut Rng, own: &[u8], n: usize) -> usize {
        if rng.chance(0.85) {
            *rng.pick(own) as usize % n
        } else {
            rng.below(n)
        }
    }

    /// `k` distinct statements out of `n`, the event's own ones first.
    fn aspects(&self, rng: &mut Rng, own: &[u8], n: usize, k: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::with_capacity(k);
        for _ in 0..k * 3 {
            if out.len() >= k.min(n) {
                break;
            }
            let i = self.aspect(rng, own, n);
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }

    fn road(&self) -> u32 {
        self.place().map_or(self.ev.road, |p| p.road)
    }

    /// Names the place: `full` adds district, street or road more often (operators and
    /// letters), otherwise the short forms people use.
    fn place_name(&self, rng: &mut Rng, full: bool, out: &mut String) {
        let city = self.base.city;
        let Some(place) = self.place() else {
            match rng.below(3) {
                0 => out.push_str(city.name),
                1 => out.push_str("我市"),
                _ => {
                    out.push_str(city.name);
                    out.push('市');
                }
            }
            return;
        };
        let district = city.district_of(place);
        let street = &city.streets[place.street as usize].name;
        let road = &city.roads[place.road as usize].name;
        let prefix = rng.below(100);
        let start = out.len();
        match place.kind {
            Kind::Residential => {
                if full {
                    match prefix {
                        0..=34 => push_district(out, district),
                        35..=54 => {
                            push_district(out, district);
                            out.push_str(street);
                        }
                        55..=64 => out.push_str(road),
                        65..=72 => {
                            out.push_str(city.name);
                            out.push('市');
                            push_district(out, district);
                        }
                        _ => {}
                    }
                } else if prefix < 10 {
                    push_district(out, district);
                }
                let name_at = out.len();
                match (&place.estate, rng.below(100)) {
                    (Some(e), 0..=34) => {
                        out.push_str(e);
                        out.push_str(&place.core);
                        out.push_str(place.suffix);
                    }
                    (Some(e), 35..=44) => {
                        out.push_str(e);
                        out.push('·');
                        out.push_str(&place.core);
                        out.push_str(place.suffix);
                    }
                    (Some(e), 45..=54) => out.push_str(e),
                    (_, r) => {
                        if let (Some(b), true) = (&place.brand, r >= 90) {
                            out.push_str(b);
                        }
                        out.push_str(&place.core);
                        out.push_str(place.suffix);
                    }
                }
                if place.suffix != "小区" && rng.chance(if full { 0.3 } else { 0.15 }) {
                    out.push_str("小区");
                }
                if rng.chance(0.01 * self.base.noise) {
                    misspell(rng, &self.base.lex.name_typos, out, name_at);
                }
            }
            Kind::School => {
                if place.number > 0 {
                    if full || rng.chance(0.5) {
                        push_district(out, district);
                        out.push('第');
                        cn_number(place.number as u32, out);
                        out.push_str(place.suffix);
                    } else {
                        out.push_str(district);
                        cn_number(place.number as u32, out);
                        out.push(place.suffix.chars().next().unwrap_or('中'));
                    }
                } else {
                    if full && prefix < 40 || prefix < 10 {
                        push_district(out, district);
                    }
                    out.push_str(&place.core);
                    out.push_str(place.suffix);
                }
            }
            Kind::Road => {
                if full && prefix < 30 {
                    push_district(out, district);
                }
                let cross = &city.roads[self.ev.cross as usize];
                match rng.below(10) {
                    0..=2 => {
                        out.push_str(road);
                        out.push_str(if rng.chance(0.5) { "与" } else { "和" });
                        out.push_str(&cross.name);
                        out.push_str(if rng.chance(0.6) {
                            "交叉口"
                        } else {
                            "交汇处"
                        });
                    }
                    3 | 4 => {
                        out.push_str(road);
                        out.push_str(&cross.core);
                        out.push_str("路口");
                    }
                    5 => {
                        out.push_str(road);
                        self.sub(rng, out);
                    }
                    _ => out.push_str(road),
                }
            }
            Kind::Village => {
                if full && prefix < 20 {
                    push_district(out, district);
                }
                if full && prefix < 60 || prefix < 15 {
                    out.push_str(street);
                }
                out.push_str(&place.core);
                out.push('村');
                if rng.chance(0.25) {
                    self.sub(rng, out);
                }
            }
            Kind::Company => {
                if full && prefix < 20 {
                    push_district(out, district);
                }
                out.push_str(&place.core);
                match rng.below(10) {
                    0..=3 => {
                        out.push_str(place.suffix);
                        out.push_str(place.form);
                    }
                    4..=6 => out.push_str(place.suffix),
                    _ => out.push_str("公司"),
                }
            }
            Kind::Shop => {
                if prefix < 20 {
                    out.push_str(road);
                }
                out.push_str(&place.core);
                out.push_str(place.suffix);
            }
            Kind::Public | Kind::Policy => {
                if full && prefix < 25 {
                    push_district(out, district);
                }
                out.push_str(&place.core);
                out.push_str(place.suffix);
            }
        }
        debug_assert!(out.len() > start);
    }

    /// Where exactly: a building, a gate, a group.
    fn sub(&self, rng: &mut Rng, out: &mut String) {
        let (b, u) = self.ev.sub;
        let kind = self.place().map_or(Kind::Policy, |p| p.kind);
        match kind {
            Kind::Residential => match rng.below(6) {
                0 | 1 => {
                    number_text(rng, b as u32, out);
                    out.push('栋');
                }
                2 => {
                    push_num(out, b as u32);
                    out.push_str("号楼");
                }
                3 => {
                    push_num(out, b as u32);
                    out.push('栋');
                    push_num(out, u as u32);
                    out.push_str("单元");
                }
                4 => {
                    push_num(out, b as u32);
                    out.push('幢');
                }
                _ => {
                    push_num(out, b as u32);
                    out.push('-');
                    push_num(out, u as u32);
                }
            },
            Kind::Village => {
                number_text(rng, (b as u32 % 12) + 1, out);
                out.push('组');
            }
            Kind::School => out.push_str(SUB_SCHOOL[b as usize % 5]),
            Kind::Road => {
                out.push_str(SUB_ROAD[b as usize % 5]);
                out.push_str(if rng.chance(0.5) { "附近" } else { "旁边" });
            }
            _ => out.push_str(SUB_OTHER[b as usize % 5]),
        }
    }

    fn address(&self, rng: &mut Rng) -> Option<String> {
        let place = self.place()?;
        let city = self.base.city;
        let mut s = String::new();
        if rng.chance(0.2) {
            s.push_str(city.name);
            s.push('市');
        }
        push_district(&mut s, city.district_of(place));
        if place.kind != Kind::Road && rng.chance(0.7) {
            s.push_str(&city.streets[place.street as usize].name);
        }
        if place.kind != Kind::Road && rng.chance(0.3) {
            s.push_str(&city.roads[place.road as usize].name);
            push_num(&mut s, 1 + (self.ev.sub.0 as u32 * 7) % 300);
            s.push('号');
        }
        let mut name = String::new();
        self.place_name(rng, false, &mut name);
        // Drop a district the short name repeats.
        let district = format!("{}区", city.district_of(place));
        s.push_str(name.strip_prefix(&district).unwrap_or(&name));
        if place.kind == Kind::Residential && rng.chance(0.6) {
            self.sub(rng, &mut s);
        }
        Some(s)
    }

    // ---- the body of a report --------------------------------------------------------------

    /// Core statement, then details, since-when, history and impacts, as sentences.
    fn body(&self, rng: &mut Rng, shape: Shape, out: &mut String) {
        let lex = self.base.lex;
        self.core(rng, out);
        stop(rng, out, shape.emphatic);
        let own = self.ev.aspects;
        for i in self.aspects(rng, &own.details, self.p.details.len(), shape.details) {
            if rng.chance(0.25) {
                self.pick(rng, &lex.connect, out);
                out.push('，');
            }
            self.render(rng, &self.p.details[i], self.p, out);
            stop(rng, out, shape.emphatic);
        }
        if rng.chance(shape.since) {
            self.pick(rng, &lex.since, out);
            stop(rng, out, shape.emphatic);
        }
        if rng.chance(shape.history) {
            self.pick(rng, &lex.history, out);
            stop(rng, out, shape.emphatic);
        }
        for i in self.aspects(rng, &own.impacts, self.p.impacts.len(), shape.impacts) {
            self.render(rng, &self.p.impacts[i], self.p, out);
            stop(rng, out, shape.emphatic);
        }
    }

    fn demand(&self, rng: &mut Rng, out: &mut String) {
        let demands = &self.p.demands;
        if !demands.is_empty() {
            let i = self.aspect(rng, &self.ev.aspects.demands, demands.len());
            self.render(rng, &demands[i], self.p, out);
        }
    }

    fn detail(&self, rng: &mut Rng, out: &mut String) {
        let details = &self.p.details;
        if !details.is_empty() {
            let i = self.aspect(rng, &self.ev.aspects.details, details.len());
            self.render(rng, &details[i], self.p, out);
        }
    }

    fn category(&self, rng: &mut Rng) -> String {
        if rng.chance(0.85) {
            self.p.category.to_string()
        } else {
            self.p.alt_category.to_string()
        }
    }

    fn write(&self, rng: &mut Rng, d: &mut Draft) {
        let noise = self.base.noise;
        let short_capable = matches!(
            d.channel,
            Channel::Hotline12345
                | Channel::Police110
                | Channel::Weibo
                | Channel::Douyin
                | Channel::GridWorker
                | Channel::WeChat
        );
        if short_capable && rng.chance(0.025 * noise) {
            // Very short: a name and a problem, about ten characters.
            self.place_name(rng, false, &mut d.text);
            self.pick(rng, &self.p.titles, &mut d.text);
            if is_social(d.channel) {
                d.text.push_str(rng.pick_str(&self.base.lex.emoji));
            }
        } else {
            match d.channel {
                Channel::Hotline12345 => self.hotline(rng, d),
                Channel::Police110 => self.police(rng, d),
                Channel::Petition | Channel::MayorMailbox => self.letter(rng, d),
                Channel::MessageBoard => self.board(rng, d),
                Channel::Weibo | Channel::Douyin => self.short_video(rng, d),
                Channel::Xiaohongshu => self.note(rng, d),
                Channel::GridWorker => self.grid(rng, d),
                _ => self.chat(rng, d),
            }
        }
        let (address, category) = match d.channel {
            Channel::Hotline12345 => (0.85, 0.95),
            Channel::Police110 => (0.7, 0.5),
            Channel::GridWorker => (1.0, 0.9),
            Channel::Petition => (0.6, 0.8),
            Channel::MayorMailbox => (0.3, 0.6),
            Channel::MessageBoard => (0.2, 0.5),
            Channel::WeChat => (0.1, 0.0),
            _ => (0.0, 0.0),
        };
        if rng.chance(address) {
            d.address = self.address(rng);
        }
        if rng.chance(category) {
            d.category = Some(self.category(rng));
        }
        self.add_noise(rng, d);
    }

    fn hotline(&self, rng: &mut Rng, d: &mut Draft) {
        let lex = self.base.lex;
        if rng.chance(0.7) {
            self.pick(rng, &lex.hotline_title, &mut d.title);
        }
        let t = &mut d.text;
        self.pick(rng, &lex.hotline_open, t);
        if !self.p.names_place {
            self.place_name(rng, true, t);
            match rng.below(3) {
                0 => {}
                1 => t.push('，'),
                _ => {
                    self.sub(rng, t);
                    t.push('，');
                }
            }
        }
        let mut body = String::new();
        let shape = Shape {
            details: rng.range(0, 3) as usize,
            impacts: rng.below(2),
            since: 0.5,
            history: 0.25,
            emphatic: false,
        };
        self.body(rng, shape, &mut body);
        third_person(&body, t);
        if rng.chance(0.75) {
            let mut demand = String::new();
            self.demand(rng, &mut demand);
            third_person(&demand, t);
            t.push(if rng.chance(0.5) { '，' } else { '。' });
        }
        self.pick(rng, &lex.hotline_close, t);
        t.push('。');
    }

    fn police(&self, rng: &mut Rng, d: &mut Draft) {
        if rng.chance(0.3) {
            self.pick(rng, &self.p.titles, &mut d.title);
        }
        let mut text = String::new();
        if self.p.names_place {
            text.push_str("报警人称");
            self.core(rng, &mut text);
        } else {
            self.pick(rng, &self.base.lex.police_text, &mut text);
        }
        third_person(&text, &mut d.text);
        if rng.chance(0.6) {
            d.text.push('。');
        }
    }

    fn grid(&self, rng: &mut Rng, d: &mut Draft) {
        let lex = self.base.lex;
        if rng.chance(0.5) {
            if rng.chance(0.3) {
                d.title.push_str("网格巡查：");
            }
            self.pick(rng, &self.p.titles, &mut d.title);
        }
        let t = &mut d.text;
        self.pick(rng, &lex.grid_open, t);
        if !self.p.names_place {
            self.place_name(rng, true, t);
            if rng.chance(0.6) {
                self.sub(rng, t);
            }
            t.push('，');
        }
        let mut body = String::new();
        self.core(rng, &mut body);
        if rng.chance(0.5) {
            body.push('，');
            self.detail(rng, &mut body);
        }
        third_person(&body, t);
        t.push('，');
        self.pick(rng, &lex.grid_close, t);
        t.push('。');
    }

    fn letter(&self, rng: &mut Rng, d: &mut Draft) {
        let lex = self.base.lex;
        let petition = d.channel == Channel::Petition;
        let (titles, opens, closes) = if petition {
            (&lex.petition_title, &lex.petition_open, &lex.petition_close)
        } else {
            (&lex.mailbox_title, &lex.mailbox_open, &lex.mailbox_close)
        };
        self.pick(rng, titles, &mut d.title);
        let long = rng.chance(0.15 * self.base.noise.min(2.0));
        let t = &mut d.text;
        self.pick(rng, opens, t);
        self.background(rng, t);
        t.push('。');
        let shape = Shape {
            details: 2 + rng.below(3),
            impacts: 1 + rng.below(2),
            since: 0.9,
            history: 0.8,
            emphatic: false,
        };
        self.body(rng, shape, t);
        t.push('\n');
        if long || rng.chance(0.3) {
            let n = 1 + rng.below(2);
            self.grievances(rng, n, t);
        }
        if long {
            let target = rng.range(1000, 1800) as usize;
            while t.chars().count() < target {
                match rng.below(4) {
                    0 => self.pick(rng, &lex.narrative, t),
                    1 => self.pick(rng, &lex.timeline, t),
                    2 => self.pick(rng, &lex.legal, t),
                    _ => self.grievances(rng, 1, t),
                }
                stop(rng, t, false);
                if rng.chance(0.15) {
                    t.push('\n');
                }
            }
            t.push('\n');
        }
        if petition {
            t.push_str("请求：");
            let k = 1 + rng.below(3);
            let demands = self.aspects(rng, &self.ev.aspects.demands, self.p.demands.len(), k);
            let n = demands.len();
            for (k, i) in demands.into_iter().enumerate() {
                t.push_str(["一、", "二、", "三、"][k.min(2)]);
                self.render(rng, &self.p.demands[i], self.p, t);
                t.push(if k + 1 == n { '。' } else { '；' });
            }
        } else {
            self.demand(rng, t);
            t.push('。');
        }
        t.push('\n');
        self.pick(rng, closes, t);
    }

    /// Other problems of the same place, as long letters raise them.
    fn grievances(&self, rng: &mut Rng, n: usize, out: &mut String) {
        let kind = self.place().map_or(Kind::Policy, |p| p.kind);
        let problems = &self.base.lex.problems;
        for _ in 0..n {
            let q = rng.below(problems.len());
            let other = &problems[q];
            if q == self.ev.problem as usize || !other.targets.contains(&kind) {
                continue;
            }
            out.push_str(rng.pick_str(&["另外，", "此外，", "还有，", "同时，"]));
            self.place_name(rng, false, out);
            out.push_str("还存在");
            if let Some(t) = (!other.titles.is_empty()).then(|| rng.pick(&other.titles)) {
                self.render(rng, t, other, out);
            }
            out.push_str("的问题，");
            if let Some(t) = (!other.cores.is_empty()).then(|| rng.pick(&other.cores)) {
                self.render(rng, t, other, out);
            }
            out.push('。');
        }
    }

    fn background(&self, rng: &mut Rng, out: &mut String) {
        let kind = self.place().map_or(Kind::Policy, |p| p.kind);
        let list = &self.base.lex.background[kind.index()];
        self.pick(rng, list, out);
    }

    fn board(&self, rng: &mut Rng, d: &mut Draft) {
        let lex = self.base.lex;
        self.pick(rng, &lex.board_title, &mut d.title);
        let t = &mut d.text;
        self.pick(rng, &lex.board_open, t);
        self.background(rng, t);
        t.push('，');
        let shape = Shape {
            details: 1 + rng.below(3),
            impacts: 1,
            since: 0.6,
            history: 0.4,
            emphatic: true,
        };
        self.body(rng, shape, t);
        if rng.chance(0.06 * self.base.noise.min(2.0)) {
            let target = rng.range(1000, 1500) as usize;
            while t.chars().count() < target {
                match rng.below(3) {
                    0 => self.pick(rng, &lex.narrative, t),
                    1 => self.pick(rng, &lex.timeline, t),
                    _ => self.grievances(rng, 1, t),
                }
                stop(rng, t, true);
            }
        }
        self.demand(rng, t);
        t.push('，');
        self.pick(rng, &lex.board_close, t);
    }

    fn short_video(&self, rng: &mut Rng, d: &mut Draft) {
        let lex = self.base.lex;
        let city = self.base.city.name;
        let t = &mut d.text;
        let weibo = d.channel == Channel::Weibo;
        if weibo && rng.chance(0.6) {
            t.push('#');
            if rng.chance(0.5) {
                t.push_str(city);
                self.pick(rng, &self.p.titles, t);
            } else {
                self.place_name(rng, false, t);
            }
            t.push_str("# ");
        }
        if !self.p.names_place {
            self.place_name(rng, false, t);
        }
        self.core(rng, t);
        t.push('，');
        if rng.chance(0.4) {
            self.detail(rng, t);
            t.push('，');
        }
        self.pick(rng, &lex.emotion, t);
        for _ in 0..1 + rng.below(3) {
            t.push_str(rng.pick_str(&lex.emoji));
        }
        if !weibo && rng.chance(0.7) {
            t.push_str(" #");
            t.push_str(city);
            t.push_str(" #");
            self.pick(rng, &self.p.titles, t);
        }
        if rng.chance(0.6) {
            t.push_str(" @");
            t.push_str(city);
            t.push_str(rng.pick_str(&["发布", "12345", "城管", "生态环境", "交警", "市政府"]));
        }
        if let Some(p) = self.place() {
            if rng.chance(0.3) {
                t.push_str(" @");
                t.push_str(self.base.city.district_of(p));
                t.push_str("区政务");
            }
        }
        if rng.chance(0.4) {
            t.push_str(if weibo { " [图片]" } else { " [视频]" });
        }
    }

    fn note(&self, rng: &mut Rng, d: &mut Draft) {
        let lex = self.base.lex;
        self.pick(rng, &lex.xhs_title, &mut d.title);
        d.title.push_str(rng.pick_str(&lex.emoji));
        let t = &mut d.text;
        self.pick(rng, &lex.xhs_open, t);
        let shape = Shape {
            details: 1 + rng.below(2),
            impacts: rng.below(2),
            since: 0.4,
            history: 0.2,
            emphatic: true,
        };
        self.body(rng, shape, t);
        self.pick(rng, &lex.emotion, t);
        for _ in 0..1 + rng.below(3) {
            t.push_str(rng.pick_str(&lex.emoji));
        }
        t.push_str("\n#");
        t.push_str(self.base.city.name);
        t.push_str("生活 #");
        self.pick(rng, &self.p.titles, t);
        t.push_str(rng.pick_str(&[" #避雷", " #业主维权", " #吐槽", ""]));
    }

    fn chat(&self, rng: &mut Rng, d: &mut Draft) {
        let lex = self.base.lex;
        let toutiao = d.channel == Channel::Toutiao;
        if toutiao && rng.chance(0.4) {
            self.pick(rng, &lex.board_title, &mut d.title);
        }
        let t = &mut d.text;
        self.pick(
            rng,
            if toutiao {
                &lex.toutiao_open
            } else {
                &lex.wechat_open
            },
            t,
        );
        if rng.chance(0.4) {
            self.background(rng, t);
            t.push('，');
        } else if !self.p.names_place {
            self.place_name(rng, false, t);
        }
        let shape = Shape {
            details: rng.below(2),
            impacts: rng.below(2),
            since: 0.3,
            history: 0.2,
            emphatic: toutiao,
        };
        self.body(rng, shape, t);
        self.demand(rng, t);
        t.push('。');
    }

    fn add_noise(&self, rng: &mut Rng, d: &mut Draft) {
        let n = self.base.noise;
        if n <= 0.0 {
            return;
        }
        let lex = self.base.lex;
        if rng.chance(0.08 * n) {
            for _ in 0..1 + rng.below(2) {
                typo(rng, &mut d.text);
            }
        }
        if rng.chance(0.02 * n) {
            d.text = d
                .text
                .chars()
                .map(|c| *lex.s2t.get(&c).unwrap_or(&c))
                .collect();
            d.title = d
                .title
                .chars()
                .map(|c| *lex.s2t.get(&c).unwrap_or(&c))
                .collect();
        }
        if rng.chance(0.05 * n) {
            d.text = d.text.chars().map(full_width_digit).collect();
        }
        if rng.chance(0.03 * n) {
            d.text = d
                .text
                .chars()
                .map(|c| match c {
                    '，' => ',',
                    '。' => '.',
                    '！' => '!',
                    '：' => ':',
                    '？' => '?',
                    c => c,
                })
                .collect();
        }
        if !is_social(d.channel) && rng.chance(0.02 * n) {
            d.text.push_str(rng.pick_str(&lex.emoji));
        }
        if rng.chance(0.02 * n) {
            let mut b = String::new();
            self.pick(rng, &lex.boilerplate, &mut b);
            if rng.chance(0.5) {
                d.text.insert_str(0, &b);
            } else {
                d.text.push_str(&b);
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Shape {
    details: usize,
    impacts: usize,
    since: f64,
    history: f64,
    emphatic: bool,
}

// ---------------------------------------------------------------------------------------------
// Small text helpers.

fn push_district(out: &mut String, district: &str) {
    out.push_str(district);
    out.push('区');
}

fn push_num(out: &mut String, n: u32) {
    use std::fmt::Write as _;
    let _ = write!(out, "{n}");
}

/// A number in Chinese, for 0 to 99.
fn cn_number(n: u32, out: &mut String) {
    const D: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    match n {
        0..=9 => out.push(D[n as usize]),
        10..=19 => {
            out.push('十');
            if n > 10 {
                out.push(D[(n - 10) as usize]);
            }
        }
        20..=99 => {
            out.push(D[(n / 10) as usize]);
            out.push('十');
            if !n.is_multiple_of(10) {
                out.push(D[(n % 10) as usize]);
            }
        }
        _ => push_num(out, n),
    }
}

/// A count, in digits or in Chinese ("两" for two).
fn number_text(rng: &mut Rng, n: u32, out: &mut String) {
    if rng.chance(0.5) {
        push_num(out, n);
    } else if n == 2 {
        out.push('两');
    } else {
        cn_number(n, out);
    }
}

fn hour_text(rng: &mut Rng, hour: u8, out: &mut String) {
    let h = hour as u32;
    if h < 24 {
        match rng.below(5) {
            0 => {
                out.push_str("晚上");
                cn_number(h - 12, out);
                out.push('点');
            }
            1 => {
                push_num(out, h);
                out.push('点');
            }
            2 => {
                out.push_str("夜里");
                cn_number(h - 12, out);
                out.push_str("点多");
            }
            3 => {
                push_num(out, h);
                out.push_str(":00");
            }
            _ => {
                cn_number(h - 12, out);
                out.push_str("点钟");
            }
        }
    } else {
        let hh = h - 24;
        match (hh, rng.below(4)) {
            (0, 0) => out.push_str("凌晨十二点"),
            (0, 1) => out.push_str("半夜十二点"),
            (0, _) => out.push_str("零点"),
            (_, 0) => {
                out.push_str("凌晨");
                cn_number(hh, out);
                out.push('点');
            }
            (_, 1) => {
                push_num(out, hh);
                out.push('点');
            }
            (_, 2) => {
                out.push_str("半夜");
                cn_number(hh, out);
                out.push('点');
            }
            _ => {
                out.push_str("夜里");
                push_num(out, hh);
                out.push_str("点多");
            }
        }
    }
}

fn duration_text(rng: &mut Rng, days: u32, out: &mut String) {
    let count = |rng: &mut Rng, n: u32, out: &mut String| {
        if n == 2 && rng.chance(0.7) {
            out.push('两');
        } else {
            number_text(rng, n, out);
        }
    };
    match days {
        0..=6 => match rng.below(3) {
            0 => out.push_str("好几天"),
            _ => {
                count(rng, days.max(2), out);
                out.push('天');
            }
        },
        7..=29 => match rng.below(4) {
            0 if (14..=21).contains(&days) => out.push_str("半个多月"),
            1 => {
                count(rng, (days / 7).max(1), out);
                out.push_str("个星期");
            }
            2 => {
                count(rng, (days / 7).max(1), out);
                out.push('周');
            }
            _ => {
                push_num(out, days);
                out.push('天');
            }
        },
        30..=364 => {
            let m = days / 30;
            if m == 1 && rng.chance(0.5) {
                out.push_str("一个多月");
            } else {
                count(rng, m, out);
                out.push_str(if rng.chance(0.5) {
                    "个月"
                } else {
                    "个多月"
                });
            }
        }
        _ => out.push_str(if rng.chance(0.5) {
            "一年多"
        } else {
            "一年多时间"
        }),
    }
}

fn money_text(rng: &mut Rng, yuan: u32, out: &mut String) {
    use std::fmt::Write as _;
    match rng.below(3) {
        0 if yuan >= 10_000 => {
            let _ = write!(out, "{:.1}万元", yuan as f64 / 10_000.0);
        }
        1 => {
            let _ = write!(out, "{yuan}元");
        }
        _ => {
            let _ = write!(out, "{yuan}块");
        }
    }
}

fn date_text(rng: &mut Rng, date: NaiveDate, out: &mut String) {
    use chrono::Datelike;
    let (m, d) = (date.month(), date.day());
    match rng.below(5) {
        0 | 1 => {
            let _ = std::fmt::Write::write_fmt(out, format_args!("{m}月{d}日"));
        }
        2 => {
            let _ = std::fmt::Write::write_fmt(out, format_args!("{m}月{d}号"));
        }
        3 => {
            push_num(out, m);
            out.push('月');
            out.push_str(match d {
                1..=10 => "初",
                11..=20 => "中旬",
                _ => "底",
            });
        }
        _ => {
            out.push_str("今年");
            cn_number(m, out);
            out.push('月');
        }
    }
}

/// Ends a sentence: mostly a full stop, sometimes a comma that runs on, or an exclamation.
fn stop(rng: &mut Rng, out: &mut String, emphatic: bool) {
    let r = rng.below(100);
    out.push(if emphatic && r < 25 {
        '！'
    } else if r < 72 {
        '。'
    } else {
        '，'
    });
}

/// Up to `k` distinct indices below `n`, in random order.
fn pick_distinct(rng: &mut Rng, n: usize, k: usize) -> Vec<usize> {
    let k = k.min(n);
    let mut idx: Vec<usize> = (0..n).collect();
    for i in 0..k {
        let j = i + rng.below(n - i);
        idx.swap(i, j);
    }
    idx.truncate(k);
    idx
}

/// Rewrites a first-person fragment as the operator's third-person summary.
fn third_person(text: &str, out: &mut String) {
    const SWAPS: [(&str, &str); 6] = [
        ("我们小区", "该小区"),
        ("我们村", "该村"),
        ("我们", "居民"),
        ("我家", "其家"),
        ("本人", "来电人"),
        ("我", "来电人"),
    ];
    let mut rest = text;
    'outer: while !rest.is_empty() {
        for (from, to) in SWAPS {
            if let Some(r) = rest.strip_prefix(from) {
                out.push_str(to);
                rest = r;
                continue 'outer;
            }
        }
        let c = rest.chars().next().expect("not empty");
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
}

/// One homophone or input-method slip, if the text has a word to slip on.
fn typo(rng: &mut Rng, text: &mut String) {
    for _ in 0..8 {
        let (right, wrong) = *rng.pick(TYPOS);
        if let Some(at) = text.find(right) {
            text.replace_range(at..at + right.len(), wrong);
            return;
        }
    }
}

/// Misspells one character of a place name written from byte `from` on.
fn misspell(rng: &mut Rng, table: &FxHashMap<char, char>, out: &mut String, from: usize) {
    let candidates: Vec<(usize, char)> = out[from..]
        .char_indices()
        .filter(|(_, c)| table.contains_key(c))
        .map(|(i, c)| (from + i, c))
        .collect();
    if candidates.is_empty() {
        return;
    }
    let (at, c) = *rng.pick(&candidates);
    let mut buf = [0u8; 4];
    out.replace_range(at..at + c.len_utf8(), table[&c].encode_utf8(&mut buf));
}

fn full_width_digit(c: char) -> char {
    if c.is_ascii_digit() {
        char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c)
    } else {
        c
    }
}

fn phone(resident: u64) -> String {
    const SECOND: [char; 5] = ['3', '5', '7', '8', '9'];
    format!(
        "1{}{:09}",
        SECOND[(resident % 5) as usize],
        (resident >> 8) % 1_000_000_000
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashMap, HashSet};

    fn config(orders: usize, seed: u64) -> GenerateConfig {
        GenerateConfig {
            orders,
            seed,
            ..GenerateConfig::default()
        }
    }

    fn sizes(gold: &[(OrderId, String)]) -> Vec<usize> {
        let mut by_event: HashMap<&str, usize> = HashMap::new();
        for (_, e) in gold {
            *by_event.entry(e.as_str()).or_default() += 1;
        }
        let mut s: Vec<usize> = by_event.into_values().collect();
        s.sort_unstable_by(|a, b| b.cmp(a));
        s
    }

    #[test]
    fn same_seed_same_output_and_different_seeds_differ() {
        let a = generate(&config(3000, 11));
        let b = generate(&config(3000, 11));
        assert_eq!(a, b);
        let c = generate(&config(3000, 12));
        assert_ne!(a.0, c.0);
        let texts_a: HashSet<&str> = a.0.iter().map(|o| o.text.as_str()).collect();
        let shared =
            c.0.iter()
                .filter(|o| texts_a.contains(o.text.as_str()))
                .count();
        assert!(shared < 300, "{shared} texts shared between seeds");
    }

    #[test]
    fn thread_count_does_not_change_the_output() {
        let run = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| generate(&config(2000, 5)))
        };
        assert_eq!(run(1), run(2));
    }

    #[test]
    fn requested_count_is_honoured() {
        for n in [0, 1, 2, 17, 999, 4321] {
            let (orders, gold) = generate(&config(n, 3));
            assert_eq!(orders.len(), n);
            assert_eq!(gold.len(), n);
        }
    }

    #[test]
    fn gold_covers_every_order_once_and_orders_are_complete() {
        let (orders, gold) = generate(&config(5000, 2));
        let ids: HashSet<&OrderId> = orders.iter().map(|o| &o.id).collect();
        assert_eq!(ids.len(), orders.len(), "order ids are unique");
        for (o, (id, event)) in orders.iter().zip(&gold) {
            assert_eq!(&o.id, id);
            assert!(event.starts_with('E'));
            assert!(!o.text.trim().is_empty(), "{} has no text", o.id);
            assert!(o.received.is_some());
            assert_ne!(o.channel, Channel::Other);
        }
        assert!(orders.windows(2).all(|w| w[0].received <= w[1].received));
    }

    #[test]
    fn a_hot_event_has_its_size_and_the_rest_share_the_other_orders() {
        let hot = GenerateConfig {
            hot_event: 1500,
            ..config(3000, 5)
        };
        let (orders, gold) = generate(&hot);
        assert_eq!(orders.len(), 3000);
        let s = sizes(&gold);
        // Without it, no event of 3,000 orders is longer than 30 (the cap).
        assert_eq!(s[0], 1500, "{:?}", &s[..3]);
        assert!(s[1] <= 30, "{:?}", &s[..3]);
        // Its reports spread over months, as a hot event's do.
        let mut reports: HashMap<&str, Vec<NaiveDateTime>> = HashMap::new();
        for (o, (_, event)) in orders.iter().zip(&gold) {
            let times = reports.entry(event.as_str()).or_default();
            times.extend(o.received);
        }
        let times = reports
            .values()
            .find(|t| t.len() == 1500)
            .expect("the hot event's reports have times");
        let first = times.iter().min().expect("reports have times");
        let last = times.iter().max().expect("reports have times");
        assert!((*last - *first).num_days() > 60, "{first} .. {last}");
    }

    #[test]
    fn event_sizes_have_singletons_and_a_hot_tail() {
        let (_, gold) = generate(&config(20_000, 4));
        let s = sizes(&gold);
        let singletons = s.iter().filter(|&&n| n == 1).count();
        assert!(
            singletons as f64 > 0.5 * s.len() as f64,
            "{singletons} of {} events are singletons",
            s.len()
        );
        assert!(s[0] >= 100, "largest event {}", s[0]);
        assert!(
            s.iter().filter(|&&n| n >= 50).count() >= 5,
            "{:?}",
            &s[..10]
        );
        assert!(s.iter().filter(|&&n| (5..50).contains(&n)).count() >= 100);
    }

    #[test]
    fn event_size_law_is_a_power_law() {
        let mut rng = Rng::stream(1, 9, 0);
        let draws: Vec<usize> = (0..100_000).map(|_| event_size(&mut rng, 1000)).collect();
        let share = |s: usize| draws.iter().filter(|&&d| d >= s).count() as f64 / 1e5;
        // P(size ≥ s) = s^-1.5.
        assert!((share(2) - 0.354).abs() < 0.01, "{}", share(2));
        assert!((share(10) - 0.0316).abs() < 0.004, "{}", share(10));
        assert!(draws.iter().all(|&d| (1..=1000).contains(&d)));
    }

    #[test]
    fn hard_negatives_are_planted_and_no_duplicate_is_hidden() {
        let cfg = config(20_000, 6);
        let lex = lexicon();
        let (city, events) = plan(&cfg, lex);
        let mut by_place: BTreeMap<u32, Vec<&Event>> = BTreeMap::new();
        for e in &events {
            if let Some(p) = e.place {
                by_place.entry(p).or_default().push(e);
            }
        }
        let (mut other_problem, mut recurrence, mut opposite) = (0, 0, 0);
        for evs in by_place.values() {
            for (i, a) in evs.iter().enumerate() {
                for b in &evs[..i] {
                    if a.problem == b.problem {
                        // Same problem, same place: months apart, never overlapping.
                        let (a0, a1) = (a.start_day, a.start_day + a.span_days);
                        let (b0, b1) = (b.start_day, b.start_day + b.span_days);
                        assert!(a0 > b1 + RECURRENCE_GAP_DAYS || b0 > a1 + RECURRENCE_GAP_DAYS);
                        recurrence += 1;
                    } else if lex.problems[a.problem as usize].opposite == Some(b.problem as usize)
                    {
                        opposite += 1;
                    } else {
                        other_problem += 1;
                    }
                }
            }
        }
        let mut neighbours = 0;
        let mut by_problem_street: HashMap<(u16, u32, usize), HashSet<u32>> = HashMap::new();
        for e in &events {
            if let Some(p) = e.place {
                let pl = &city.places[p as usize];
                by_problem_street
                    .entry((e.problem, pl.street, pl.kind.index()))
                    .or_default()
                    .insert(p);
            }
        }
        for places in by_problem_street.values() {
            neighbours += places.len().saturating_sub(1);
        }
        assert!(
            other_problem > 500,
            "same place, other problem: {other_problem}"
        );
        assert!(recurrence > 20, "recurrences: {recurrence}");
        assert!(opposite > 3, "opposite demands: {opposite}");
        assert!(neighbours > 200, "same problem next door: {neighbours}");
        let policies: Vec<_> = events
            .iter()
            .filter(|e| e.place.is_none())
            .map(|e| Registry::policy_key(e, lex))
            .collect();
        let unique: HashSet<_> = policies.iter().collect();
        assert_eq!(
            unique.len(),
            policies.len(),
            "policy grievances are distinct"
        );
    }

    #[test]
    fn reports_of_one_event_rarely_share_a_long_run() {
        let (orders, gold) = generate(&config(10_000, 8));
        let mut by_event: HashMap<&str, Vec<&WorkOrder>> = HashMap::new();
        for (o, (_, e)) in orders.iter().zip(&gold) {
            by_event.entry(e.as_str()).or_default().push(o);
        }
        let windows = |t: &str| -> HashSet<Vec<char>> {
            let c: Vec<char> = t.chars().collect();
            c.windows(20).map(|w| w.to_vec()).collect()
        };
        let (mut pairs, mut sharing) = (0, 0);
        let mut events: Vec<_> = by_event.into_iter().filter(|(_, v)| v.len() > 1).collect();
        events.sort_by_key(|(e, _)| *e);
        for (_, reports) in events {
            for w in reports.windows(2).take(5) {
                let head: String = w[1].text.chars().take(30).collect();
                if w[0].reporter == w[1].reporter
                    || family(w[0].channel) == family(w[1].channel) && w[0].text.contains(&head)
                {
                    continue; // a reporter repeating themselves
                }
                pairs += 1;
                let a = windows(&w[0].text);
                if windows(&w[1].text).iter().any(|x| a.contains(x)) {
                    sharing += 1;
                }
            }
        }
        assert!(pairs > 1000);
        let share = sharing as f64 / pairs as f64;
        assert!(
            share < 0.12,
            "{sharing} of {pairs} pairs share 20 characters verbatim"
        );
    }

    /// Whether two texts share a verbatim run of at least `n` characters.
    fn share_run(a: &str, b: &str, n: usize) -> bool {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        if a.len() < n || b.len() < n {
            return false;
        }
        let seen: HashSet<&[char]> = a.windows(n).collect();
        b.windows(n).any(|w| seen.contains(w))
    }

    /// Shares of report pairs that share a verbatim run of `n` characters: pairs of one event
    /// (reporters repeating themselves left out) and pairs of two events of one problem type.
    fn verbatim_shares(cfg: &GenerateConfig, n: usize, max_pairs: usize) -> (f64, f64) {
        let (orders, gold) = generate(cfg);
        let (_, events) = plan(cfg, lexicon());
        let mut by_event: BTreeMap<usize, Vec<&WorkOrder>> = BTreeMap::new();
        for (o, (_, e)) in orders.iter().zip(&gold) {
            let e: usize = e[1..].parse().unwrap();
            by_event.entry(e - 1).or_default().push(o);
        }
        let (mut same, mut same_sharing) = (0usize, 0usize);
        for reports in by_event.values() {
            for w in reports.windows(2).take(5) {
                if w[0].reporter == w[1].reporter {
                    continue;
                }
                same += 1;
                same_sharing += usize::from(share_run(&w[0].text, &w[1].text, n));
            }
            if same >= max_pairs {
                break;
            }
        }
        let mut by_problem: BTreeMap<u16, Vec<usize>> = BTreeMap::new();
        for &e in by_event.keys() {
            by_problem.entry(events[e].problem).or_default().push(e);
        }
        let mut rng = Rng::stream(99, 99, 0);
        let (mut other, mut other_sharing) = (0usize, 0usize);
        let lists: Vec<&Vec<usize>> = by_problem.values().filter(|v| v.len() > 1).collect();
        while other < max_pairs {
            let list = rng.pick(&lists);
            let (a, b) = (*rng.pick(list), *rng.pick(list));
            if a == b {
                continue;
            }
            let ra = rng.pick(&by_event[&a]);
            let rb = rng.pick(&by_event[&b]);
            other += 1;
            other_sharing += usize::from(share_run(&ra.text, &rb.text, n));
        }
        (
            same_sharing as f64 / same.max(1) as f64,
            other_sharing as f64 / other.max(1) as f64,
        )
    }

    #[test]
    fn events_of_one_problem_share_less_text_than_reports_of_one_event() {
        // Unrelated events must not read like copies of one another: if the templates gave
        // every event of a problem the same sentences, text similarity would merge them.
        let (same, other) = verbatim_shares(&config(8000, 8), 12, 2000);
        assert!(
            other < 0.2,
            "{other:.3} of pairs of two events share 12 characters"
        );
        assert!(same > other, "one event {same:.3}, two events {other:.3}");
    }

    /// Prints the verbatim-run shares; run with `--ignored --nocapture` to measure.
    #[test]
    #[ignore = "a measurement, not a check"]
    fn measure_verbatim_runs() {
        let cfg = config(20_000, 7);
        for n in [12, 20] {
            let (same, other) = verbatim_shares(&cfg, n, 5000);
            println!(
                "run >= {n} chars: same event {:.3}, other event same problem {:.3}",
                same, other
            );
        }
    }

    /// Prints the place names the analyzer finds in generated text that no place of the
    /// city has: template words that read as places. Run with `--ignored --nocapture`.
    #[test]
    #[ignore = "a measurement, not a check"]
    fn measure_false_places() {
        let cfg = config(20_000, 7);
        let (orders, _) = generate(&cfg);
        let (city, events) = plan(&cfg, lexicon());
        let mut known = String::new();
        for p in &city.places {
            for s in [
                &p.core,
                p.estate.as_ref().unwrap_or(&p.core),
                p.brand.as_ref().unwrap_or(&p.core),
            ] {
                known.push_str(s);
                known.push('|');
            }
        }
        for r in &city.roads {
            known.push_str(&r.name);
            known.push('|');
        }
        for st in &city.streets {
            known.push_str(&st.name);
            known.push('|');
        }
        for e in &events {
            known.push_str(&e.fresh);
            known.push('|');
        }
        let analyzer = crate::fingerprint::Analyzer::new().unwrap();
        let mut false_places: HashMap<String, (usize, String)> = HashMap::new();
        for o in &orders {
            let fp = analyzer.fingerprint(o, "");
            for p in &fp.places {
                if p.core.chars().count() < 2 || !known.contains(p.core.as_str()) {
                    let e = false_places
                        .entry(format!("{:?}:{}", p.kind, p.name))
                        .or_insert((0, o.text.chars().take(60).collect()));
                    e.0 += 1;
                }
            }
        }
        let mut list: Vec<_> = false_places.into_iter().collect();
        list.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
        let total: usize = list.iter().map(|x| x.1 .0).sum();
        println!("{total} false place mentions in {} orders", orders.len());
        for (name, (n, example)) in list.iter().take(60) {
            println!("{n:6} {name}  | {example}");
        }
    }

    #[test]
    fn channel_styles_and_noise_show_up() {
        let (orders, _) = generate(&config(20_000, 9));
        let count = |f: &dyn Fn(&WorkOrder) -> bool| orders.iter().filter(|o| f(o)).count();
        let lex = lexicon();
        let traditional: HashSet<char> = lex
            .s2t
            .values()
            .copied()
            .filter(|c| !lex.s2t.contains_key(c))
            .collect();
        assert!(count(&|o| o.text.chars().any(|c| ('０'..='９').contains(&c))) > 100);
        assert!(count(&|o| o.text.chars().filter(|c| traditional.contains(c)).count() >= 3) > 50);
        assert!(count(&|o| o.text.chars().count() <= 12) > 100);
        assert!(count(&|o| o.text.chars().count() >= 1000) > 50);
        assert!(
            count(&|o| TYPOS
                .iter()
                .any(|(_, wrong)| wrong.chars().count() > 1 && o.text.contains(wrong)))
                > 100
        );
        let hotline = |o: &WorkOrder| o.channel == Channel::Hotline12345;
        assert!(
            count(&|o| hotline(o) && (o.text.starts_with("市民") || o.text.starts_with("来电")))
                > 2000
        );
        assert!(
            count(
                &|o| o.channel == Channel::Weibo && (o.text.contains('#') || o.text.contains('@'))
            ) > 500
        );
        assert!(count(&|o| o.channel == Channel::MessageBoard && !o.title.is_empty()) > 1000);
        assert!(count(&|o| o.channel == Channel::GridWorker && o.address.is_some()) > 500);
        let reporters: HashSet<_> = orders.iter().filter_map(|o| o.reporter.as_ref()).collect();
        assert!(
            reporters.len() < orders.len() * 95 / 100,
            "reporters repeat themselves"
        );
        let texts: HashSet<&str> = orders.iter().map(|o| o.text.as_str()).collect();
        assert!(texts.len() < orders.len(), "some reposts are exact");
        let places: HashSet<&str> = orders.iter().filter_map(|o| o.address.as_deref()).collect();
        assert!(places.len() > 3000, "{} distinct addresses", places.len());
    }

    #[test]
    fn no_noise_means_clean_text() {
        let cfg = GenerateConfig {
            noise: 0.0,
            ..config(3000, 10)
        };
        let (orders, _) = generate(&cfg);
        assert!(orders
            .iter()
            .all(|o| !o.text.chars().any(|c| ('０'..='９').contains(&c))));
        // Terse 110 records stay short; the very short texts of noise are gone.
        let short = orders
            .iter()
            .filter(|o| o.text.chars().count() <= 12)
            .count();
        assert!(short < orders.len() / 100, "{short} short texts");
    }

    #[test]
    fn csv_reads_back_through_the_dump_reader() {
        let (orders, gold) = generate(&config(1500, 13));
        let dir = tempfile::tempdir().unwrap();
        write_dataset(dir.path(), &orders, &gold).unwrap();
        let reader = crate::io::DumpReaderBuilder::new().build().unwrap();
        let read =
            crate::io::read_dumps(&reader, &[dir.path().join("orders.csv")], |_| {}).unwrap();
        assert!(read.rejects.is_empty(), "{:?}", read.rejects.first());
        assert_eq!(read.orders.len(), orders.len());
        for (a, b) in read.orders.iter().zip(&orders) {
            assert_eq!(a.id, b.id);
            assert_eq!(a.channel, b.channel);
            assert_eq!(a.received, b.received);
            assert_eq!(a.text.trim(), b.text.trim());
            assert_eq!(a.title.trim(), b.title.trim());
        }
        let gold_back =
            crate::eval::read_clusters(&dir.path().join("gold.csv"), "event_id").unwrap();
        assert_eq!(gold_back.len(), gold.len());
    }
}
