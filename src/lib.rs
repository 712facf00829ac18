//! Find near-duplicate Chinese citizen complaints and merge them into canonical tickets.
//!
//! # Brief overview
//! Cities route complaints through one platform: the 12345 hotline, 110 non-emergency calls,
//! petitions (信访), the mayor's mailbox, online message boards, grid workers and social media.
//! One problem is reported many times, by different people, in different words, and each report
//! becomes a work order (工单). complaint-dedup reads those orders, normalises and segments the
//! text (jieba-rs with a domain dictionary), pulls out the places and problems they name, finds
//! candidate pairs through an inverted index of rare terms and place names, scores each pair with
//! an [`Explanation`], and clusters duplicates into [`Ticket`]s: a canonical order (母单) with its
//! duplicates (子单), each labelled 重复投诉, 多人反映 or cross-channel.
//!
//! The data flow, one module per stage: [`io`] (read) → [`text`] (normalise, tokenize,
//! extract) → [`fingerprint`] → [`candidates`] → [`score`] → [`cluster`] → [`batch`] →
//! [`io::write`]. [`eval`] measures the result against labelled data.
//! [`generate`] writes realistic synthetic orders with gold labels, for benchmarks and tests.
//!
//! # Quickstart
//! ```
//! use complaint_dedup::{Channel, Deduper, WorkOrder};
//!
//! let mut a = WorkOrder::new("RX001", "市民来电反映：桂语新城小区南侧工地夜间施工，噪音扰民，要求处理。");
//! a.channel = Channel::Hotline12345;
//! let mut b = WorkOrder::new("WB002", "#桂语新城# 隔壁工地半夜还在打桩，吵得根本睡不着😡 @江城发布");
//! b.channel = Channel::Weibo;
//! let c = WorkOrder::new("WZ003", "桂语新城小区物业费上涨太多，物业服务跟不上");
//!
//! let deduper = Deduper::builder().threads(1).build()?;
//! let out = deduper.run(&[a, b, c])?;
//! assert_eq!(out.tickets.len(), 2); // the night-work noise, and the property fee
//! let noise = out.tickets.iter().find(|t| t.members.len() == 2).unwrap();
//! assert_eq!(noise.canonical.as_str(), "RX001");
//! let why = noise.members[1].explanation.as_ref().unwrap();
//! println!("{}", serde_json::to_string_pretty(why)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod batch;
pub mod candidates;
pub mod cluster;
pub mod engine;
mod error;
pub mod eval;
pub mod fingerprint;
pub mod generate;
pub mod io;
mod order;
pub mod score;
pub mod text;

pub use batch::{
    BatchOutput, BatchStats, Deduper, DeduperBuilder, DEFAULT_LINK_RATIO, DEFAULT_THRESHOLD,
};
pub use error::{Error, ErrorKind, Location, Result};
pub use io::{DumpReader, DumpReaderBuilder, Reject};
pub use order::{reporter_hash, Channel, OrderId, Relation, Ticket, TicketMember, WorkOrder};
pub use score::{Explanation, PlaceEvidence, ProblemEvidence, ScoreWeights, Scorer};
/// The inline string of explanations' terms and place names and of reporter hashes.
pub use smol_str::SmolStr;
