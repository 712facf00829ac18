//! The data model: work orders as read from a dump, and the tickets they are merged into.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use smol_str::SmolStr;

use crate::score::Explanation;

/// The identifier of a work order (工单编号), unique within a run.
///
/// Ordering is by the identifier's text; it is the tie-breaker that makes every output of
/// the crate deterministic.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OrderId(pub String);

impl OrderId {
    /// The identifier's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl From<&str> for OrderId {
    fn from(s: &str) -> OrderId {
        OrderId(s.to_string())
    }
}

/// The channel an order came in through.
///
/// Serialised as its [`Channel::name`]; deserialised from a name or any label
/// [`Channel::from_label`] knows ("12345热线", "微博", "wechat").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[non_exhaustive]
pub enum Channel {
    /// The 12345 government service hotline (12345热线).
    Hotline12345,
    /// 110 non-emergency calls handed over to the platform (110非警务).
    Police110,
    /// Petitions (信访).
    Petition,
    /// The mayor's or a leader's mailbox (市长信箱 / 领导信箱).
    MayorMailbox,
    /// Online message boards (网上问政, 百姓呼声, 留言板).
    MessageBoard,
    /// Weibo posts watched by staff.
    Weibo,
    /// Douyin videos and comments.
    Douyin,
    /// Toutiao posts.
    Toutiao,
    /// Xiaohongshu notes.
    Xiaohongshu,
    /// WeChat (official accounts, mini programs, groups).
    WeChat,
    /// Grid workers' inspection reports (网格员).
    GridWorker,
    /// Anything else, or no channel column.
    #[default]
    Other,
}

impl Serialize for Channel {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Channel {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Channel, D::Error> {
        let label = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Ok(Channel::from_label(&label))
    }
}

/// The words that name each channel in export labels, lower case. Order matters: the first
/// rule with a word in a label wins, so more specific labels come first ("110" before a
/// generic "热线").
const CHANNEL_LABEL_RULES: &[(&[&str], Channel)] = &[
    (&["110", "非警务", "police"], Channel::Police110),
    (
        &["12345", "热线", "hotline", "电话", "来电"],
        Channel::Hotline12345,
    ),
    (&["信访", "petition", "来访"], Channel::Petition),
    (&["信箱", "mailbox", "书记", "市长"], Channel::MayorMailbox),
    (&["微博", "weibo"], Channel::Weibo),
    (&["抖音", "douyin", "tiktok"], Channel::Douyin),
    (&["头条", "toutiao"], Channel::Toutiao),
    (
        &["小红书", "xiaohongshu", "rednote", "xhs"],
        Channel::Xiaohongshu,
    ),
    (
        &["微信", "wechat", "we_chat", "公众号", "小程序"],
        Channel::WeChat,
    ),
    (&["网格", "grid"], Channel::GridWorker),
    (
        &["问政", "留言", "呼声", "论坛", "board", "网站", "网络"],
        Channel::MessageBoard,
    ),
];

impl Channel {
    /// Every channel, in declaration order.
    pub const ALL: [Channel; 12] = [
        Channel::Hotline12345,
        Channel::Police110,
        Channel::Petition,
        Channel::MayorMailbox,
        Channel::MessageBoard,
        Channel::Weibo,
        Channel::Douyin,
        Channel::Toutiao,
        Channel::Xiaohongshu,
        Channel::WeChat,
        Channel::GridWorker,
        Channel::Other,
    ];

    /// Recognises a channel from the label an export uses ("12345热线", "微博", "hotline", …).
    ///
    /// Unknown or empty labels give [`Channel::Other`].
    ///
    /// # Example
    /// ```
    /// use complaint_dedup::Channel;
    /// assert_eq!(Channel::from_label("12345市民热线"), Channel::Hotline12345);
    /// assert_eq!(Channel::from_label("新浪微博"), Channel::Weibo);
    /// assert_eq!(Channel::from_label("传真"), Channel::Other);
    /// ```
    pub fn from_label(label: &str) -> Channel {
        static LABELS: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
        // One automaton over every rule's words, not a substring search per word: a dump's
        // every record has a label, and forty searches took 3,500 instructions a record.
        let labels = LABELS.get_or_init(|| {
            aho_corasick::AhoCorasick::new(CHANNEL_LABEL_RULES.iter().flat_map(|(words, _)| *words))
                .expect("the channel label words make an automaton")
        });
        let l = label.trim().to_lowercase();
        // The first rule with a word in the label: its words are numbered before later rules'.
        let first = labels.find_overlapping_iter(&l).map(|m| m.pattern()).min();
        let Some(first) = first else {
            return Channel::Other;
        };
        let mut words_before = 0;
        for (words, channel) in CHANNEL_LABEL_RULES {
            words_before += words.len();
            if first.as_usize() < words_before {
                return *channel;
            }
        }
        Channel::Other
    }

    /// The channel's stable machine name, as used in outputs (`hotline12345`, `weibo`, …).
    pub fn name(self) -> &'static str {
        match self {
            Channel::Hotline12345 => "hotline12345",
            Channel::Police110 => "police110",
            Channel::Petition => "petition",
            Channel::MayorMailbox => "mayor_mailbox",
            Channel::MessageBoard => "message_board",
            Channel::Weibo => "weibo",
            Channel::Douyin => "douyin",
            Channel::Toutiao => "toutiao",
            Channel::Xiaohongshu => "xiaohongshu",
            Channel::WeChat => "we_chat",
            Channel::GridWorker => "grid_worker",
            Channel::Other => "other",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// One work order (工单) as read from a dump.
///
/// The reporter is held in memory as given so that repeat complaints can be recognised, but
/// outputs carry only its salted hash (see [`reporter_hash`]).
///
/// As JSON only `id` and `text` are required; `received` takes the forms dumps use
/// ("2024-01-08 09:03:51", "2024/1/8 9:03", RFC 3339, …; see [`crate::io::parse_timestamp`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkOrder {
    /// The order's identifier (工单编号 / 留言编号).
    pub id: OrderId,
    /// The channel it came through.
    #[serde(default)]
    pub channel: Channel,
    /// When it was received, in local (China Standard) time; `None` if the dump left it empty.
    #[serde(default, deserialize_with = "received_from_any_form")]
    pub received: Option<NaiveDateTime>,
    /// The title or subject (标题 / 留言主题); empty if the channel has none.
    #[serde(default)]
    pub title: String,
    /// The complaint text (诉求内容 / 留言详情).
    pub text: String,
    /// Where it happened (事发地址), if the dump has it.
    #[serde(default)]
    pub address: Option<String>,
    /// Who reported it: a phone number or an account.
    #[serde(default)]
    pub reporter: Option<String>,
    /// The category (诉求类型 / 分类), if the dump has it.
    #[serde(default)]
    pub category: Option<String>,
    /// Columns the reader did not map, carried through untouched (column name → value).
    #[serde(default)]
    pub extra: BTreeMap<String, String>,
}

fn received_from_any_form<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDateTime>, D::Error> {
    match Option::<std::borrow::Cow<'de, str>>::deserialize(deserializer)? {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => crate::io::parse_timestamp(&s)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("unreadable time {s:?}"))),
    }
}

impl WorkOrder {
    /// A new order with the given id and text and every other field empty.
    ///
    /// # Example
    /// ```
    /// use complaint_dedup::{Channel, WorkOrder};
    /// let mut order = WorkOrder::new("GD001", "枫桥雅苑小区旁工地夜间施工，噪音扰民");
    /// order.channel = Channel::Hotline12345;
    /// assert_eq!(order.id.as_str(), "GD001");
    /// ```
    pub fn new(id: &str, text: &str) -> WorkOrder {
        WorkOrder {
            id: OrderId::from(id),
            channel: Channel::Other,
            received: None,
            title: String::new(),
            text: text.to_string(),
            address: None,
            reporter: None,
            category: None,
            extra: BTreeMap::new(),
        }
    }
}

/// Every order of `orders` whose id an earlier order has, with the first order of that id:
/// `(later, first)` by index, sorted. See [`repeats_by`].
pub(crate) fn repeated_ids(orders: &[WorkOrder]) -> Vec<(u32, u32)> {
    repeats_by(
        orders.len(),
        |i| {
            let mut h = rustc_hash::FxHasher::default();
            std::hash::Hash::hash(&orders[i].id, &mut h);
            std::hash::Hasher::finish(&h)
        },
        |x, y| orders[x as usize].id.cmp(&orders[y as usize].id),
    )
}

/// Every index below `n` whose item an earlier index's item equals, with the first index of
/// that item: `(later, first)`, sorted. Items are hashed (`hash`) and sorted by hash in
/// parallel (on the current rayon pool), and compared (`cmp`) only where their hashes are
/// equal, so a million items take a few tens of milliseconds and one item repeated many times
/// costs no more than many items. Repeated order ids and the batch's exact reposts (equal
/// content keys) are both found this way.
pub(crate) fn repeats_by(
    n: usize,
    hash: impl Fn(usize) -> u64 + Sync + Send,
    cmp: impl Fn(u32, u32) -> std::cmp::Ordering,
) -> Vec<(u32, u32)> {
    use rayon::prelude::*;
    let mut keyed: Vec<(u64, u32)> = (0..n)
        .into_par_iter()
        .map(|i| (hash(i), i as u32))
        .collect();
    keyed.par_sort_unstable();
    let mut repeats = Vec::new();
    let mut run: Vec<u32> = Vec::new();
    for same_hash in keyed
        .chunk_by(|x, y| x.0 == y.0)
        .filter(|same_hash| same_hash.len() > 1)
    {
        // Equal hashes in index order, sorted (stably) by item: each item's first index leads.
        run.clear();
        run.extend(same_hash.iter().map(|&(_, i)| i));
        run.sort_by(|&x, &y| cmp(x, y));
        for same in run.chunk_by(|&x, &y| cmp(x, y).is_eq()) {
            repeats.extend(same[1..].iter().map(|&later| (later, same[0])));
        }
    }
    repeats.sort_unstable();
    repeats
}

/// The salted hash of a reporter (phone number or account) that outputs carry instead of it.
///
/// The reporter is trimmed before hashing, so " 13800000000" and "13800000000" agree. The result
/// is 16 hex digits of SHA-256 over the salt and the reporter: equal reporters give equal hashes
/// for one salt, and without the salt the number cannot be looked up in a table of phone numbers.
///
/// # Example
/// ```
/// use complaint_dedup::reporter_hash;
/// let a = reporter_hash("city-salt", "13800000000");
/// assert_eq!(a, reporter_hash("city-salt", " 13800000000 "));
/// assert_ne!(a, reporter_hash("other-salt", "13800000000"));
/// assert_eq!(a.len(), 16);
/// ```
pub fn reporter_hash(salt: &str, reporter: &str) -> SmolStr {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(salt.as_bytes());
    hasher.update([0u8]);
    hasher.update(reporter.trim().as_bytes());
    let digest = hasher.finalize();
    // Hex by table, into an inline string: this runs twice for every order of a batch pass.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 16];
    for (pair, b) in out.chunks_exact_mut(2).zip(&digest[..8]) {
        pair[0] = HEX[usize::from(b >> 4)];
        pair[1] = HEX[usize::from(b & 0xf)];
    }
    SmolStr::new(std::str::from_utf8(&out).expect("hex digits are ASCII"))
}

/// How a ticket member relates to the ticket's canonical order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The canonical order itself (母单): the earliest received, ties broken by id.
    Canonical,
    /// The same reporter complaining again (重复投诉), through any channel.
    RepeatComplaint,
    /// Another reporter of the same event through the same channel (多人反映).
    MultipleReporters,
    /// Another reporter of the same event through another channel (跨渠道).
    CrossChannel,
}

impl Relation {
    /// The relation's machine name, as written to `assignments.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Relation::Canonical => "canonical",
            Relation::RepeatComplaint => "repeat_complaint",
            Relation::MultipleReporters => "multiple_reporters",
            Relation::CrossChannel => "cross_channel",
        }
    }
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// One order inside a ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketMember {
    /// The order.
    pub order_id: OrderId,
    /// Its channel.
    pub channel: Channel,
    /// When it was received.
    #[serde(serialize_with = "crate::io::timestamp::serialize_iso")]
    pub received: Option<NaiveDateTime>,
    /// The salted hash of its reporter.
    pub reporter_hash: Option<SmolStr>,
    /// How it relates to the canonical order.
    pub relation: Relation,
    /// The score of the link that brought it into the ticket (1 for the canonical order).
    pub score: f32,
    /// The order it was linked to (`None` for the canonical order).
    pub matched: Option<OrderId>,
    /// Why it was linked (`None` for the canonical order).
    pub explanation: Option<Explanation>,
}

/// A canonical ticket (母单 with its 子单): one problem, however many times it was reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    /// The ticket's identifier, derived from its canonical order's id (`T-<order id>`).
    pub ticket_id: String,
    /// The canonical order (母单).
    pub canonical: OrderId,
    /// The canonical order's title, or the start of its text, for people reading the output.
    pub summary: String,
    /// Every member, the canonical order first, then by time received and id.
    pub members: Vec<TicketMember>,
    /// The channels the problem was reported through, sorted.
    pub channels: Vec<Channel>,
    /// The earliest time received among members.
    #[serde(serialize_with = "crate::io::timestamp::serialize_iso")]
    pub first_seen: Option<NaiveDateTime>,
    /// The latest time received among members.
    #[serde(serialize_with = "crate::io::timestamp::serialize_iso")]
    pub last_seen: Option<NaiveDateTime>,
}

impl Ticket {
    /// The ticket id for a canonical order.
    pub fn id_for(canonical: &OrderId) -> String {
        format!("T-{}", canonical.0)
    }

    /// Whether the ticket merged more than one order.
    pub fn is_merged(&self) -> bool {
        self.members.len() > 1
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn display_respects_width() {
        assert_eq!(format!("[{:<8}]", OrderId::from("A1")), "[A1      ]");
        assert_eq!(format!("[{:>7}]", Channel::Weibo), "[  weibo]");
    }

    #[test]
    fn channels_round_trip_through_json_and_postcard() {
        for c in Channel::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.name()));
            assert_eq!(serde_json::from_str::<Channel>(&json).unwrap(), c);
            let bytes = postcard::to_stdvec(&c).unwrap();
            assert_eq!(postcard::from_bytes::<Channel>(&bytes).unwrap(), c);
        }
        assert_eq!(
            serde_json::from_str::<Channel>("\"12345热线\"").unwrap(),
            Channel::Hotline12345
        );
        assert_eq!(
            serde_json::from_str::<Channel>("\"wechat\"").unwrap(),
            Channel::WeChat
        );
    }

    #[test]
    fn orders_from_json_need_only_id_and_text() {
        let o: WorkOrder = serde_json::from_str(r#"{"id": "A1", "text": "路灯坏了"}"#).unwrap();
        assert_eq!(o, WorkOrder::new("A1", "路灯坏了"));
        let o: WorkOrder = serde_json::from_str(
            r#"{"id": "A2", "text": "x", "channel": "微博", "received": "2024-01-08 09:03:51"}"#,
        )
        .unwrap();
        assert_eq!(o.channel, Channel::Weibo);
        assert_eq!(o.received.unwrap().to_string(), "2024-01-08 09:03:51");
        let back: WorkOrder = serde_json::from_str(&serde_json::to_string(&o).unwrap()).unwrap();
        assert_eq!(back, o);
        let err =
            serde_json::from_str::<WorkOrder>(r#"{"id": "A3", "text": "x", "received": "昨天"}"#)
                .unwrap_err();
        assert!(err.to_string().contains("unreadable time"), "{err}");
    }

    use super::*;

    #[test]
    fn channel_labels_from_real_exports() {
        let cases = [
            ("12345热线", Channel::Hotline12345),
            ("市民热线", Channel::Hotline12345),
            ("110非警务警情", Channel::Police110),
            ("信访", Channel::Petition),
            ("市长信箱", Channel::MayorMailbox),
            ("网上问政", Channel::MessageBoard),
            ("百姓呼声", Channel::MessageBoard),
            ("抖音", Channel::Douyin),
            ("今日头条", Channel::Toutiao),
            ("小红书", Channel::Xiaohongshu),
            ("微信公众号", Channel::WeChat),
            ("网格员", Channel::GridWorker),
            ("Weibo", Channel::Weibo),
            ("", Channel::Other),
        ];
        for (label, want) in cases {
            assert_eq!(Channel::from_label(label), want, "{label}");
        }
    }

    /// A label's channel as the rules define it: the first rule any of whose words the
    /// lower-cased label contains.
    fn channel_by_rules(label: &str) -> Channel {
        let l = label.trim().to_lowercase();
        CHANNEL_LABEL_RULES
            .iter()
            .find(|(words, _)| words.iter().any(|w| l.contains(w)))
            .map_or(Channel::Other, |&(_, channel)| channel)
    }

    #[test]
    fn a_label_gets_the_first_rule_that_names_it() {
        let words: Vec<&str> = CHANNEL_LABEL_RULES
            .iter()
            .flat_map(|(words, _)| words.iter().copied())
            .collect();
        let mut labels = vec!["".to_string(), " 传真 ".to_string(), "WeChat公众号".into()];
        // Every word alone, upper-cased, inside other text, and every pair of words in both
        // orders: a label naming two rules gets the earlier one, wherever its word stands.
        for (i, a) in words.iter().enumerate() {
            labels.push(a.to_string());
            labels.push(a.to_uppercase());
            labels.push(format!("市{a}渠道"));
            for b in &words[i + 1..] {
                labels.push(format!("{a}{b}"));
                labels.push(format!("{b} / {a}"));
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for label in &labels {
            let got = Channel::from_label(label);
            assert_eq!(got, channel_by_rules(label), "{label:?}");
            seen.insert(got);
        }
        assert_eq!(seen.len(), CHANNEL_LABEL_RULES.len() + 1, "{seen:?}");
        assert_eq!(Channel::from_label("微博110"), Channel::Police110);
        assert_eq!(Channel::from_label("网格员电话"), Channel::Hotline12345);
    }

    #[test]
    fn channel_serde_name_matches_name() {
        for c in Channel::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.name()));
        }
    }

    #[test]
    fn reporter_hash_is_stable_and_salted() {
        let h = reporter_hash("s", "13900001111");
        assert_eq!(h, reporter_hash("s", "13900001111"));
        assert_ne!(h, reporter_hash("s", "13900001112"));
        assert!(h.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
