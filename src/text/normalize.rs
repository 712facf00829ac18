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
        let seen = fold_chars(text, &self.t2s, out);
        let p = self.patterns;
        let mut s = std::mem::take(out);
        // Each pattern needs a character most texts lack (folding noted which ones the text
        // holds): those texts are spared the regex search.
        let mut replaced = false;
        let mut replace = |s: &mut String, re: &Regex, with: &str| {
            if let std::borrow::Cow::Owned(o) = re.replace_all(s, with) {
                *s = o;
                replaced = true;
            }
        };
        if seen.url_letter && (s.contains("http") || s.contains("www.")) {
            replace(&mut s, &p.url, " ");
        }
        if seen.at_sign {
            replace(&mut s, &p.mention, " ");
        }
        if seen.bracket {
            replace(&mut s, &p.media_tag, " ");
        }
        if seen.hash {
            replace(&mut s, &p.topic, " $1 ");
        }
        // Only runs of 7 or more digits are masked: a text with fewer digits keeps them all,
        // and most texts are spared the scan for runs. (The steps above only remove digits:
        // folding's count is recounted only where one of them changed the text.)
        let digits = |s: &str| s.bytes().filter(u8::is_ascii_digit).count();
        if seen.digits >= 7 && (!replaced || digits(&s) >= 7) {
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
        let mut scratch = String::new();
        loop {
            if has_loose_spaces(&s) {
                collapse_spaces(&s, out);
            } else {
                // Already collapsed (most texts): the buffer itself becomes the output.
                std::mem::swap(out, &mut s);
                s.clear();
            }
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

/// What [`fold_chars`] noted of the folded text: the characters the later steps look for.
#[derive(Debug, Default)]
struct Seen {
    /// ASCII digits.
    digits: usize,
    /// An 'h' or a 'w' (of "http" or "www.").
    url_letter: bool,
    /// An '@' (of a mention).
    at_sign: bool,
    /// A '[' (of a media tag).
    bracket: bool,
    /// A '#' (of a topic).
    hash: bool,
}

impl Seen {
    #[inline]
    fn note(&mut self, b: u8) {
        match b {
            b'0'..=b'9' => self.digits += 1,
            b'h' | b'w' => self.url_letter = true,
            b'@' => self.at_sign = true,
            b'[' => self.bracket = true,
            b'#' => self.hash = true,
            _ => {}
        }
    }
}

/// Character-level folding: width, script, case, white space and symbols ([`fold_char`] of
/// every character), noting what the folded text holds.
fn fold_chars(text: &str, t2s: &CharMap, out: &mut String) -> Seen {
    out.reserve(text.len());
    let mut seen = Seen::default();
    let bytes = text.as_bytes();
    // Most characters come out as they went in: runs of them are copied whole.
    let mut kept = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII and the common CJK ideographs take short paths, each the same as `fold_char`:
        // ASCII changes only in case, spaces and control characters (the table holds none of
        // it), an ideograph only by the traditional→simplified table.
        let (c, len, folded) = if b < 0x80 {
            let folded = if b.is_ascii_uppercase() {
                b.to_ascii_lowercase()
            } else if b <= b' ' || b == 0x7f {
                b' '
            } else {
                b
            };
            seen.note(folded);
            if folded == b {
                i += 1;
                continue;
            }
            (char::from(b), 1, char::from(folded))
        } else {
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            let len = c.len_utf8();
            let folded = if ('\u{4E00}'..='\u{9FFF}').contains(&c) && t2s.get(c).is_none() {
                c
            } else {
                fold_char(c, t2s)
            };
            if folded.is_ascii() {
                seen.note(folded as u8);
            }
            (c, len, folded)
        };
        if folded != c {
            out.push_str(&text[kept..i]);
            out.push(folded);
            kept = i + len;
        }
        i += len;
    }
    out.push_str(&text[kept..]);
    seen
}

/// One character folded: full-width forms to ASCII, traditional to simplified, ASCII to lower
/// case, white space, control characters and decorations to a space.
fn fold_char(c: char, t2s: &CharMap) -> char {
    let folded = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '【' | '〔' => '[',
        '】' | '〕' => ']',
        _ => c,
    };
    let folded = t2s.get(folded).unwrap_or(folded);
    if folded.is_ascii_uppercase() {
        folded.to_ascii_lowercase()
    } else if folded.is_whitespace() || folded.is_control() || is_decoration(folded) {
        ' '
    } else {
        folded
    }
}

/// Emoji, pictographs, dingbats, variation selectors and joiners: mood, not content.
fn is_decoration(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0xFE00..=0xFE0F
        | 0x200B..=0x200F | 0x2060..=0x206F | 0xE000..=0xF8FF | 0xFEFF | 0xE0000..=0xE007F)
}

/// Whether `s` has a space at either end or two in a row: what [`collapse_spaces`] changes.
fn has_loose_spaces(s: &str) -> bool {
    s.starts_with(' ') || s.ends_with(' ') || memchr::memmem::find(s.as_bytes(), b"  ").is_some()
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
    fn folding_a_text_folds_each_character_and_notes_what_it_holds() {
        // Every character there is, in runs that put each next to ASCII, ideographs and
        // characters of other lengths: the short paths of `fold_chars` must agree with
        // `fold_char` everywhere, and what it notes with the folded text.
        let t2s = CharMap::new(parse_t2s(T2S_TABLE));
        let all: Vec<char> = (0..=0x10FFFFu32).filter_map(char::from_u32).collect();
        for chunk in all.chunks(997) {
            let text: String = chunk.iter().flat_map(|&c| [c, 'A', '國', '7', c]).collect();
            let mut out = String::new();
            let seen = fold_chars(&text, &t2s, &mut out);
            let expected: String = text.chars().map(|c| fold_char(c, &t2s)).collect();
            assert_eq!(out, expected, "from U+{:04X}", chunk[0] as u32);
            let has = |b: u8| out.as_bytes().contains(&b);
            assert_eq!(seen.digits, out.bytes().filter(u8::is_ascii_digit).count());
            assert_eq!(seen.url_letter, has(b'h') || has(b'w'));
            assert_eq!(seen.at_sign, has(b'@'));
            assert_eq!(seen.bracket, has(b'['));
            assert_eq!(seen.hash, has(b'#'));
        }
        assert_eq!(fold_char('國', &t2s), '国');
        assert_eq!(fold_char('Ｗ', &t2s), 'w');
        assert_eq!(fold_char('\u{FE0F}', &t2s), ' ');
    }

    #[test]
    fn a_text_without_loose_spaces_comes_out_as_it_was_collapsed() {
        for s in ["", "a", "a b", " a", "a ", "a  b", "枫桥 雅苑"] {
            let mut collapsed = String::new();
            collapse_spaces(s, &mut collapsed);
            assert_eq!(!has_loose_spaces(s), collapsed == s, "{s:?}");
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
