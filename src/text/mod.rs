//! The text pipeline: normalise, segment, and pull out places and problems.

mod automaton;
pub mod extract;
pub mod normalize;
pub mod tokenize;

pub use extract::{
    core_similarity, place_similarity, Place, PlaceFinder, PlaceKind, ProblemId, ProblemLexicon,
};
pub use normalize::Normalizer;
pub use tokenize::{TantivyJieba, TantivyJiebaStream, Tokenizer, TokenizerBuilder};
