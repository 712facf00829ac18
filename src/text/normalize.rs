//! Text normalisation: what is compared is not what was written.
//!
//! Folds full-width forms to half-width, traditional characters to simplified, ASCII to lower
//! case and every run of white space or control characters to one space; removes URLs,
//! @mentions, bracketed media tags (`[图片]`, `【视频】`), emoji and channel boilerplate
//! ("市民来电反映", "尊敬的领导您好"); keeps the words of `#话题#` but drops the marks; and masks
//! phone, ID and other long numbers, which identify people, not problems.

use std::sync::OnceLock;

use daachorse::MatchKind;
use regex::Regex;
use rustc_hash::FxHashMap;

use crate::text::automaton::CharAutomaton;

const T2S_TABLE: &str = include_str!("../../dict/t2s.txt");
const BOILERPLATE: &str = include_str!("../../dict/boilerplate.txt");

/// The shipped tables the normaliser is built from (for [`crate::fingerprint::Analyzer::signature`]).
pub(crate) const TABLES_SIGNATURE_SOURCES: [&str; 2] = [T2S_TABLE, BOILERPLATE];

/// Normalises order text for comparison. Build one and share it: construction compiles the
/// boilerplate automaton and the traditional→simplified table.
///
/// # Example
/// ```
/// use complaint_dedup::text::Normalizer;
/// let n = Normalizer::new();
/// assert_eq!(
///     n.normalize("市民来电反映：東湖區１２号樓夜間施工，電話13812345678 [图片]😡"),
///     "东湖区12号楼夜间施工,电话"
/// );
/// ```
#[derive(Debug, Clone)]
pub struct Normalizer {
    t2s: CharMap,
    boilerplate: CharAutomaton,
    patterns: &'static Patterns,
}

#[derive(Debug)]
struct Patterns {
    url: Regex,
    mention: Regex,
    media_tag: Regex,
    topic: Regex,
    number: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| Patterns {
        url: Regex::new(r"(?:https?://|www\.)[!-~]*").expect("valid regex"),
        mention: Regex::new(r"@[^\s@#,.!?:;，。！？：；、]{1,20}").expect("valid regex"),
        media_tag: Regex::new(r"\[[^\[\]\s]{1,8}\]").expect("valid regex"),
        topic: Regex::new(r"#([^#\s]{1,40})#").expect("valid regex"),
        number: Regex::new(r"[0-9][0-9-]{5,}[0-9x]").expect("valid regex"),
    })
}

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer::new()
    }
}

impl Normalizer {
    /// A normaliser with the shipped traditional→simplified table and boilerplate list.
    pub fn new() -> Normalizer {
        Normalizer::with_boilerplate(std::iter::empty::<&str>())
    }

    /// A normaliser that also removes the given phrases (after folding them like the text).
    pub fn with_boilerplate<I, S>(extra: I) -> Normalizer
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let t2s = CharMap::new(parse_t2s(T2S_TABLE));
        let shipped = BOILERPLATE
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(str::to_string);
        let extra = extra.into_iter().map(|s| s.as_ref().to_string());
        let mut phrases: Vec<String> = shipped
            .chain(extra)
            .map(|l| {
                let mut out = String::new();
                fold_chars(l.trim(), &t2s, &mut out);
                out.trim().to_string()
            })
            .filter(|l| !l.is_empty())
            .collect();
        phrases.sort();
        phrases.dedup();
        // Distinct and none empty, as the automaton needs.
        let boilerplate = CharAutomaton::new(&phrases, MatchKind::LeftmostLongest)
            .expect("boilerplate automaton builds");
        Normalizer {
            t2s,
            boilerplate,
            patterns: patterns(),
        }
    }

    /// Normalises `text` into a new string.
    pub fn normalize(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        self.normalize_into(text, &mut out);
        out
    }

    /// Normalises `text` into `out` (cleared first), reusing its allocation.
    pub fn normalize_into(&self, text: &str, out: &mut String) {
        out.clear();
        fold_chars(text, &self.t2s, out);
        let p = self.patterns;
        let mut s = std::mem::take(out);
        // Each pattern needs a byte most texts lack: those are spared the regex search.
        let has = |s: &str, b: u8| memchr::memchr(b, s.as_bytes()).is_some();
        if s.contains("http") || s.contains("www.") {
            if let std::borrow::Cow::Owned(o) = p.url.replace_all(&s, " ") {
                s = o;
            }
        }
        for (re, b) in [(&p.mention, b'@'), (&p.media_tag, b'[')] {
            if has(&s, b) {
                if let std::borrow::Cow::Owned(o) = re.replace_all(&s, " ") {
                    s = o;
                }
            }
        }
        if has(&s, b'#') {
            if let std::borrow::Cow::Owned(o) = p.topic.replace_all(&s, " $1 ") {
                s = o;
            }
        }
        // Only runs of 7 or more digits are masked: a text with fewer digits keeps them all,
        // and most texts are spared the scan for runs.
        if s.bytes().filter(u8::is_ascii_digit).count() >= 7 {
            if let std::borrow::Cow::Owned(o) = p.number.replace_all(&s, |c: &regex::Captures| {
                let m = &c[0];
                let digits = m.bytes().filter(u8::is_ascii_digit).count();
                // Phone numbers (7+ digits), ID numbers (18), bank cards: identifying, not
                // evidence. Shorter runs (dates, amounts, building numbers) stay.
                if digits >= 7 {
                    " ".to_string()
                } else {
                    m.to_string()
                }
            }) {
                s = o;
            }
        }
        // Phrases are matched with single spaces ("此致 敬礼"), but the steps above leave runs
        // of them ("此致\r\n敬礼", an emoji or a masked phone number in between), and removing
        // one phrase can join the halves of another: collapse and remove until nothing is
        // left to remove, so that normalising normalised text changes nothing.
        let mut scratch = String::with_capacity(s.len());
        loop {
            collapse_spaces(&s, out);
            // One scan both finds and removes phrases; most texts hold one or none.
            scratch.clear();
            let mut kept = 0;
            for m in self.boilerplate.0.leftmost_find_iter(out.as_str()) {
                scratch.push_str(&out[kept..m.start()]);
                scratch.push(' ');
                kept = m.end();
            }
            // Every phrase is non-empty, so a match ends past 0: `kept` is 0 only if none was found.
            if kept == 0 {
                break;
            }
            scratch.push_str(&out[kept..]);
            std::mem::swap(&mut s, &mut scratch);
        }
    }
}

/// Character-level folding: width, script, case, white space and symbols.
fn fold_chars(text: &str, t2s: &CharMap, out: &mut String) {
    out.reserve(text.len());
    // Most characters come out as they went in: runs of them are copied whole.
    let mut kept = 0;
    for (i, c) in text.char_indices() {
        let folded = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '【' | '〔' => '[',
            '】' | '〕' => ']',
            _ => c,
        };
        let folded = t2s.get(folded).unwrap_or(folded);
        let folded = if folded.is_ascii_uppercase() {
            folded.to_ascii_lowercase()
        } else if folded.is_whitespace() || folded.is_control() || is_decoration(folded) {
            ' '
        } else {
            folded
        };
        if folded != c {
            out.push_str(&text[kept..i]);
            out.push(folded);
            kept = i + c.len_utf8();
        }
    }
    out.push_str(&text[kept..]);
}

/// Emoji, pictographs, dingbats, variation selectors and joiners: mood, not content.
fn is_decoration(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0xFE00..=0xFE0F
        | 0x200B..=0x200F | 0x2060..=0x206F | 0xE000..=0xF8FF | 0xFEFF | 0xE0000..=0xE007F)
}

fn collapse_spaces(s: &str, out: &mut String) {
    out.clear();
    out.reserve(s.len());
    // Copies each run of non-spaces whole, with one space before it unless it starts `out`.
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// The traditional→simplified table, with a bit per character of the Basic Multilingual Plane
/// saying whether the table holds it: most characters of an order are not traditional, and
/// a bit test spares them the hash lookup.
#[derive(Debug, Clone)]
struct CharMap {
    map: FxHashMap<char, char>,
    /// Bit `c % 64` of word `c / 64`: whether `map` holds `c` (for `c` below U+10000).
    held: Vec<u64>,
}

impl CharMap {
    fn new(map: FxHashMap<char, char>) -> CharMap {
        let mut held = vec![0u64; 0x10000 / 64];
        for &c in map.keys() {
            let c = c as usize;
            if c < 0x10000 {
                held[c / 64] |= 1 << (c % 64);
            }
        }
        CharMap { map, held }
    }

    #[inline]
    fn get(&self, c: char) -> Option<char> {
        let i = c as usize;
        if i < 0x10000 && self.held[i / 64] & (1 << (i % 64)) == 0 {
            return None;
        }
        self.map.get(&c).copied()
    }
}

fn parse_t2s(table: &str) -> FxHashMap<char, char> {
    table
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut it = l.split('\t');
            let from = it.next()?.chars().next()?;
            let to = it.next()?.chars().next()?;
            Some((from, to))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_script_case_and_space() {
        let n = Normalizer::new();
        assert_eq!(n.normalize("ＡＢＣ　１２３號樓"), "abc 123号楼");
        assert_eq!(n.normalize("  第一行\n\t\t第二行\r\n "), "第一行 第二行");
        assert_eq!(n.normalize("開發商還沒有交房"), "开发商还没有交房");
    }

    #[test]
    fn social_media_noise_is_removed() {
        let n = Normalizer::new();
        let got =
            n.normalize("@江城发布 #枫桥雅苑噪音# 太吵了😡😡 [图片] 【视频】 https://t.cn/abc 👍🏻");
        assert_eq!(got, "枫桥雅苑噪音 太吵了");
    }

    #[test]
    fn identifying_numbers_are_masked_short_numbers_kept() {
        let n = Normalizer::new();
        let got = n.normalize("电话13812345678，座机0731-88886666");
        assert!(!got.chars().any(|c| c.is_ascii_digit()), "{got}");
        assert!(got.starts_with("电话") && got.contains("座机"), "{got}");
        assert_eq!(n.normalize("身份证43010219900101123x"), "身份证");
        assert_eq!(n.normalize("3栋1202室，2024年3月"), "3栋1202室,2024年3月");
    }

    #[test]
    fn boilerplate_is_removed() {
        let n = Normalizer::new();
        let got = n.normalize("市民来电反映：凤凰路井盖缺失。");
        assert!(!got.contains("市民来电反映"), "{got}");
        assert!(got.contains("凤凰路井盖缺失"), "{got}");
    }

    #[test]
    fn normalising_twice_changes_nothing() {
        // Regression (found by tests/fuzz.rs): a phrase with a space in it survived the first
        // pass when the space came out doubled, and went in the second.
        let n = Normalizer::new();
        for s in [
            "此致\r\n敬礼",
            "此致👍🏻敬礼",
            "此致 13812345678 敬礼",
            "此致 [图片] 敬礼",
            "此致 市民来电 敬礼",
            "凤凰路井盖缺失。此致\u{3000}\u{3000}敬礼",
        ] {
            let once = n.normalize(s);
            assert!(!once.contains("此致"), "{s:?} -> {once:?}");
            assert_eq!(n.normalize(&once), once, "{s:?}");
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        let n = Normalizer::new();
        for s in [
            "",
            " ",
            "\u{0}\u{1}",
            "##",
            "@",
            "[",
            "]]",
            "\u{FEFF}",
            "𠀀𠀁",
            "a\u{FFFD}b",
        ] {
            let _ = n.normalize(s);
        }
    }
}
