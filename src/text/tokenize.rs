//! Segmentation: the only module that calls jieba-rs.
//!
//! [`Tokenizer`] loads jieba's embedded dictionary once, adds the shipped domain dictionary
//! (urban management, housing, labour, education, traffic terms) and an optional user
//! dictionary, and filters stop words. [`TantivyJieba`] plugs the same segmentation into
//! tantivy's tokenizer API while sharing the dictionary (tantivy clones tokenizers per use, so
//! the `Jieba` sits behind an `Arc`).

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jieba_rs::Jieba;
use rustc_hash::FxHashSet;

use crate::error::{Error, ErrorKind, Result};

const DOMAIN_DICT: &str = include_str!("../../dict/domain.txt");
const STOPWORDS: &str = include_str!("../../dict/stopwords.txt");

/// Dictionary text without `#` comments and blank lines, which jieba does not accept.
/// Whether `word` holds a letter or CJK character (not only digits, punctuation or space).
fn has_letter(word: &str) -> bool {
    // Common CJK ideographs (all letters) answer without Unicode tables.
    word.chars()
        .any(|c| matches!(c, '\u{4E00}'..='\u{9FA5}') || c.is_alphabetic() && !c.is_ascii_digit())
}

fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let t = line.trim();
        if !t.is_empty() && !t.starts_with('#') {
            out.push_str(t);
            out.push('\n');
        }
    }
    out
}

/// Builds a [`Tokenizer`].
#[derive(Debug, Clone, Default)]
pub struct TokenizerBuilder {
    user_dict: Option<PathBuf>,
    extra_stopwords: Vec<String>,
    no_hmm: bool,
}

impl TokenizerBuilder {
    /// Adds a user dictionary file in jieba's format (`word [freq] [tag]` per line), for local
    /// place names, company names and jargon.
    ///
    /// By default, only jieba's dictionary and the shipped domain dictionary are used.
    pub fn user_dict(&mut self, path: impl AsRef<Path>) -> &mut TokenizerBuilder {
        self.user_dict = Some(path.as_ref().to_path_buf());
        self
    }

    /// Adds stop words to the shipped list.
    ///
    /// By default, only the shipped list is used.
    pub fn stopwords<I: IntoIterator<Item = S>, S: Into<String>>(
        &mut self,
        words: I,
    ) -> &mut TokenizerBuilder {
        self.extra_stopwords
            .extend(words.into_iter().map(Into::into));
        self
    }

    /// Turns jieba's HMM for unknown words on or off.
    ///
    /// By default, it is on: it keeps unknown place names ("桂语") in one piece.
    pub fn hmm(&mut self, yes: bool) -> &mut TokenizerBuilder {
        self.no_hmm = !yes;
        self
    }

    /// Loads the dictionaries. Costs about 0.2 s and 35 MiB: build one and share it.
    pub fn build(&self) -> Result<Tokenizer> {
        let mut jieba = Jieba::new();
        let mut fingerprint = rustc_hash::FxHasher::default();
        DOMAIN_DICT.hash(&mut fingerprint);
        STOPWORDS.hash(&mut fingerprint);
        jieba
            .load_dict(&mut without_comments(DOMAIN_DICT).as_bytes())
            .map_err(|e| Error::new(ErrorKind::Dictionary(format!("domain.txt: {e}"))))?;
        if let Some(path) = &self.user_dict {
            let text = std::fs::read_to_string(path).map_err(|e| Error::from(e).in_file(path))?;
            text.hash(&mut fingerprint);
            jieba
                .load_dict(&mut without_comments(&text).as_bytes())
                .map_err(|e| Error::new(ErrorKind::Dictionary(e.to_string())).in_file(path))?;
        }
        let mut stopwords: FxHashSet<String> = STOPWORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        for w in &self.extra_stopwords {
            w.hash(&mut fingerprint);
            stopwords.insert(w.clone());
        }
        self.no_hmm.hash(&mut fingerprint);
        let domain_words = without_comments(DOMAIN_DICT)
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .map(str::to_string)
            .collect();
        Ok(Tokenizer {
            inner: Arc::new(Inner {
                jieba,
                stopwords,
                domain_words,
                hmm: !self.no_hmm,
                fingerprint: fingerprint.finish(),
            }),
        })
    }
}

/// Segments normalised Chinese text into words and picks the content terms among them.
///
/// Cheap to clone (the dictionary is shared) and `Send + Sync`.
///
/// # Example
/// ```
/// use complaint_dedup::text::Tokenizer;
/// let tok = Tokenizer::new()?;
/// let mut terms = Vec::new();
/// tok.content_terms("小区旁边的搅拌站夜间施工噪音扰民", &mut terms);
/// assert!(terms.contains(&"搅拌站"));
/// assert!(!terms.contains(&"的"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Tokenizer {
    inner: Arc<Inner>,
}

struct Inner {
    jieba: Jieba,
    stopwords: FxHashSet<String>,
    domain_words: FxHashSet<String>,
    hmm: bool,
    fingerprint: u64,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokenizer")
            .field("stopwords", &self.stopwords.len())
            .field("hmm", &self.hmm)
            .finish_non_exhaustive()
    }
}

impl Tokenizer {
    /// A tokenizer with the shipped dictionaries.
    pub fn new() -> Result<Tokenizer> {
        TokenizerBuilder::default().build()
    }

    /// A builder for a tokenizer with a user dictionary or extra stop words.
    pub fn builder() -> TokenizerBuilder {
        TokenizerBuilder::default()
    }

    /// Every word of `text` as jieba cuts it, punctuation and spaces included.
    pub fn segment<'a>(&self, text: &'a str) -> Vec<&'a str> {
        self.inner
            .jieba
            .cut(text, self.inner.hmm)
            .into_iter()
            .map(|t| t.word)
            .collect()
    }

    /// Appends to `out` the content terms of `text`: words that are not stop words,
    /// punctuation, white space or bare numbers.
    pub fn content_terms<'a>(&self, text: &'a str, out: &mut Vec<&'a str>) {
        self.lettered_words(text, |word| {
            if !self.is_stopword(word) {
                out.push(word);
            }
        });
    }

    /// Calls `each` with every word of `text` that holds a letter or CJK character, in order:
    /// the words that are content terms unless they are stop words ([`Tokenizer::is_content`]).
    pub(crate) fn lettered_words<'a>(&self, text: &'a str, mut each: impl FnMut(&'a str)) {
        for token in self.inner.jieba.cut(text, self.inner.hmm) {
            if has_letter(token.word) {
                each(token.word);
            }
        }
    }

    /// Whether `word` carries content: not a stop word, and with at least one letter or
    /// CJK character.
    pub fn is_content(&self, word: &str) -> bool {
        has_letter(word) && !self.inner.stopwords.contains(word)
    }

    /// Whether `word` is a stop word.
    pub fn is_stopword(&self, word: &str) -> bool {
        self.inner.stopwords.contains(word)
    }

    /// Whether `word` is in the shipped domain dictionary: vocabulary of complaints (燃气,
    /// 混凝土, 物业), never a name.
    pub fn is_domain_word(&self, word: &str) -> bool {
        self.inner.domain_words.contains(word)
    }

    /// How often jieba's dictionaries count `word` (a proxy for how ordinary it is), or `None`
    /// if they do not hold it.
    pub fn word_freq(&self, word: &str) -> Option<usize> {
        let jieba = &self.inner.jieba;
        // For a word jieba keeps whole, suggest_freq is its own frequency plus one.
        jieba
            .has_word(word)
            .then(|| jieba.suggest_freq(word).saturating_sub(1))
    }

    /// Whether jieba's dictionaries (built-in, domain or user) hold `word`.
    pub fn knows_word(&self, word: &str) -> bool {
        self.inner.jieba.has_word(word)
    }

    /// A fingerprint of the dictionaries, stop words and settings: two tokenizers with the same
    /// fingerprint segment alike (used to version on-disk state).
    pub fn fingerprint(&self) -> u64 {
        self.inner.fingerprint
    }

    /// This tokenizer as a tantivy tokenizer, sharing its dictionary.
    pub fn tantivy(&self) -> TantivyJieba {
        TantivyJieba {
            tokenizer: self.clone(),
        }
    }
}

/// The tokenizer plugged into tantivy (`index.tokenizers().register("jieba", tok.tantivy())`).
///
/// Emits content terms with their byte offsets; cloning it (as tantivy does for every field
/// it tokenizes) copies an `Arc`, not the dictionary.
#[derive(Debug, Clone)]
pub struct TantivyJieba {
    tokenizer: Tokenizer,
}

/// The token stream of [`TantivyJieba`].
#[derive(Debug)]
pub struct TantivyJiebaStream {
    tokens: Vec<tantivy::tokenizer::Token>,
    index: usize,
}

impl tantivy::tokenizer::Tokenizer for TantivyJieba {
    type TokenStream<'a> = TantivyJiebaStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TantivyJiebaStream {
        let inner = &self.tokenizer.inner;
        let mut tokens = Vec::new();
        for t in inner.jieba.cut(text, inner.hmm) {
            if self.tokenizer.is_content(t.word) {
                tokens.push(tantivy::tokenizer::Token {
                    offset_from: t.byte_start,
                    offset_to: t.byte_end,
                    position: tokens.len(),
                    text: t.word.to_string(),
                    position_length: 1,
                });
            }
        }
        TantivyJiebaStream { tokens, index: 0 }
    }
}

impl tantivy::tokenizer::TokenStream for TantivyJiebaStream {
    fn advance(&mut self) -> bool {
        if self.index < self.tokens.len() {
            self.index += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &tantivy::tokenizer::Token {
        &self.tokens[self.index - 1]
    }

    fn token_mut(&mut self) -> &mut tantivy::tokenizer::Token {
        &mut self.tokens[self.index - 1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    pub(crate) fn shared() -> &'static Tokenizer {
        static TOK: OnceLock<Tokenizer> = OnceLock::new();
        TOK.get_or_init(|| Tokenizer::new().unwrap())
    }

    #[test]
    fn domain_terms_stay_whole() {
        let tok = shared();
        let words = tok.segment("开发商捆绑销售车位，物业费太高，夜间施工扰民");
        for w in ["捆绑销售", "物业费", "夜间施工"] {
            assert!(words.contains(&w), "{w} not in {words:?}");
        }
    }

    #[test]
    fn stopwords_punctuation_and_numbers_are_not_content() {
        let tok = shared();
        let mut terms = Vec::new();
        tok.content_terms("我们 希望 12 ，。 井盖", &mut terms);
        assert_eq!(terms, vec!["井盖"]);
    }

    #[test]
    fn user_dictionary_joins_unknown_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("user.txt");
        std::fs::write(&path, "翠微澜庭 100 ns\n").unwrap();
        let plain = shared().segment("翠微澜庭漏水");
        let tok = Tokenizer::builder().user_dict(&path).build().unwrap();
        assert!(tok.segment("翠微澜庭漏水").contains(&"翠微澜庭"));
        assert_ne!(tok.fingerprint(), shared().fingerprint());
        let _ = plain;
    }

    #[test]
    fn missing_user_dictionary_names_the_file() {
        let err = Tokenizer::builder()
            .user_dict("/nonexistent/user.dict")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("/nonexistent/user.dict"), "{err}");
    }

    #[test]
    fn tantivy_adapter_indexes_and_finds_chinese() {
        use tantivy::collector::TopDocs;
        use tantivy::query::QueryParser;
        use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
        use tantivy::{doc, Index, TantivyDocument};

        let mut schema = Schema::builder();
        let opts = TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("jieba")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let text = schema.add_text_field("text", opts);
        let index = Index::create_in_ram(schema.build());
        index.tokenizers().register("jieba", shared().tantivy());
        let mut writer = index.writer(15_000_000).unwrap();
        writer
            .add_document(doc!(text => "搅拌站夜间施工噪音扰民"))
            .unwrap();
        writer
            .add_document(doc!(text => "小区停车位捆绑销售"))
            .unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let query = QueryParser::for_index(&index, vec![text])
            .parse_query("搅拌站")
            .unwrap();
        let hits = searcher
            .search(&query, &TopDocs::with_limit(5).order_by_score())
            .unwrap();
        assert_eq!(hits.len(), 1);
        let found: TantivyDocument = searcher.doc(hits[0].1).unwrap();
        use tantivy::schema::Value;
        let stored = found.get_first(text).and_then(|v| v.as_str());
        assert_eq!(stored, Some("搅拌站夜间施工噪音扰民"));
    }
}
