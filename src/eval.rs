//! Quality against labelled data: pairwise and B-cubed precision, recall and F1.
//!
//! Pairwise metrics count pairs of orders placed together: precision is the share of
//! predicted same-ticket pairs that share a gold event. B-cubed metrics average, over orders,
//! how much of each order's predicted ticket is its gold event (precision) and how much of its
//! gold event is in its ticket (recall); they weigh every order equally, so one giant wrong
//! cluster cannot hide behind many right singletons. Pair counts come from contingency tables,
//! never from enumerating pairs, so hot events of thousands of orders cost nothing extra.
//!
//! [`audit_links`] goes one step further down: it checks each merge of a run's
//! `tickets.jsonl` against the gold labels and counts the right and wrong ones by the evidence
//! they rested on, so that a drop in precision points at the evidence to look at.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::score::Explanation;

/// Precision, recall and F1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prf {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl Prf {
    fn new(precision: f64, recall: f64) -> Prf {
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

/// The result of an evaluation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalReport {
    /// Orders in both the gold file and the assignments.
    pub orders: usize,
    /// Gold events among them.
    pub gold_events: usize,
    /// Predicted tickets among them.
    pub tickets: usize,
    /// Pairwise metrics.
    pub pairwise: Prf,
    /// B-cubed metrics.
    pub bcubed: Prf,
    /// Gold orders missing from the assignments.
    pub missing: usize,
}

/// Compares predicted clusters with gold ones. Both map order id → cluster id; only orders in
/// both count, and `missing` says how many gold orders the prediction lacks.
///
/// # Example
/// ```
/// use std::collections::BTreeMap;
/// use complaint_dedup::eval::evaluate;
/// let gold: BTreeMap<String, String> =
///     [("1", "e1"), ("2", "e1"), ("3", "e2")].iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
/// let pred = gold.clone();
/// let r = evaluate(&gold, &pred);
/// assert_eq!(r.pairwise.f1, 1.0);
/// assert_eq!(r.bcubed.f1, 1.0);
/// ```
pub fn evaluate(
    gold: &BTreeMap<String, String>,
    predicted: &BTreeMap<String, String>,
) -> EvalReport {
    let mut joint: FxHashMap<(&str, &str), u64> = FxHashMap::default();
    let mut gold_size: FxHashMap<&str, u64> = FxHashMap::default();
    let mut pred_size: FxHashMap<&str, u64> = FxHashMap::default();
    let mut missing = 0usize;
    let mut orders = 0usize;
    for (order, event) in gold {
        let Some(ticket) = predicted.get(order) else {
            missing += 1;
            continue;
        };
        orders += 1;
        *joint.entry((event, ticket)).or_default() += 1;
        *gold_size.entry(event).or_default() += 1;
        *pred_size.entry(ticket).or_default() += 1;
    }
    let pairs = |n: u64| (n * n.saturating_sub(1) / 2) as f64;
    let tp: f64 = joint.values().map(|&n| pairs(n)).sum();
    let pred_pairs: f64 = pred_size.values().map(|&n| pairs(n)).sum();
    let gold_pairs: f64 = gold_size.values().map(|&n| pairs(n)).sum();
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 1.0 };
    let pairwise = Prf::new(ratio(tp, pred_pairs), ratio(tp, gold_pairs));

    // B-cubed: each order in cell (e, t) has precision n/|t| and recall n/|e|.
    let (mut p, mut r) = (0.0f64, 0.0f64);
    for (&(e, t), &n) in &joint {
        let n = n as f64;
        p += n * n / pred_size[t] as f64;
        r += n * n / gold_size[e] as f64;
    }
    let total = orders.max(1) as f64;
    let bcubed = Prf::new(
        if orders == 0 { 1.0 } else { p / total },
        if orders == 0 { 1.0 } else { r / total },
    );
    EvalReport {
        orders,
        gold_events: gold_size.len(),
        tickets: pred_size.len(),
        pairwise,
        bcubed,
        missing,
    }
}

/// Reads a two-column CSV with a header (`order_id,event_id` or `order_id,ticket_id,…`):
/// the first column is the order id, `column` names the cluster column.
pub fn read_clusters(path: &Path, column: &str) -> Result<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| Error::from(e).in_file(path))?;
    let headers = reader
        .headers()
        .map_err(|e| Error::from(e).in_file(path))?
        .clone();
    let idx = headers
        .iter()
        .position(|h| h.trim() == column)
        .ok_or_else(|| {
            Error::new(ErrorKind::Eval(format!(
                "no column {column:?} (columns: {})",
                headers.iter().collect::<Vec<_>>().join(", ")
            )))
            .in_file(path)
        })?;
    let mut map = BTreeMap::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| Error::from(e).in_file(path))?;
        let (Some(order), Some(cluster)) = (rec.get(0), rec.get(idx)) else {
            return Err(Error::new(ErrorKind::Eval("short row".into()))
                .in_file(path)
                .at_line(i as u64 + 2));
        };
        map.insert(order.trim().to_string(), cluster.trim().to_string());
    }
    Ok(map)
}

/// How one kind of merge fared against the gold labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkTally {
    /// What the links have in common: the place and problem verdicts of their explanation
    /// (`"agree / unknown"`), a score band (`"0.5–0.6"`) or a time gap (`"7–14 days"`).
    pub label: String,
    /// Links between two orders of one gold event.
    pub right: u64,
    /// Links between orders of two gold events.
    pub wrong: u64,
}

impl LinkTally {
    /// The share of these links that are right (1 when there are none).
    pub fn precision(&self) -> f64 {
        let all = self.right + self.wrong;
        if all == 0 {
            1.0
        } else {
            self.right as f64 / all as f64
        }
    }
}

/// The merges of a run checked against gold labels, counted by the evidence they rested on.
///
/// Every member of a ticket but its canonical order joined through one link: the order it
/// `matched`, with the explanation of that pair. A link is right when both orders belong to
/// one gold event. Pairwise and B-cubed scores say how good the tickets are; the tallies say
/// which evidence the wrong merges rested on. Built by [`audit_links`].
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct LinkAudit {
    /// Links between two orders of one gold event.
    pub right: u64,
    /// Links between orders of two gold events.
    pub wrong: u64,
    /// Links with an order the gold file lacks; they are counted nowhere else.
    pub unlabelled: u64,
    /// By the place and the problem verdict of the explanation (`"agree / agree"`; `"none"`
    /// for a link without one), most wrong links first, ties by label.
    pub by_evidence: Vec<LinkTally>,
    /// By score, in bands a tenth wide (`"0.4–0.5"`; a score of 1 counts in `"0.9–1.0"`),
    /// ascending; empty bands are left out.
    pub by_score: Vec<LinkTally>,
    /// By the days between the two orders (`"< 1 day"` … `"60+ days"`, then `"unknown"`
    /// where a time is missing), shortest first; empty bands are left out.
    pub by_days: Vec<LinkTally>,
}

/// Upper ends of the bands of [`LinkAudit::by_days`], with their labels; the last band is
/// open.
const DAY_BANDS: [(f32, &str); 7] = [
    (1.0, "< 1 day"),
    (3.0, "1–3 days"),
    (7.0, "3–7 days"),
    (14.0, "7–14 days"),
    (30.0, "14–30 days"),
    (60.0, "30–60 days"),
    (f32::INFINITY, "60+ days"),
];

/// One ticket of `tickets.jsonl`, as far as the audit reads it.
#[derive(Deserialize)]
struct TicketLinks {
    members: Vec<MemberLink>,
}

/// One member of a ticket, as far as the audit reads it.
#[derive(Deserialize)]
struct MemberLink {
    order_id: String,
    matched: Option<String>,
    score: f32,
    explanation: Option<Explanation>,
}

/// Right and wrong counts under each label, before they become [`LinkTally`] rows.
#[derive(Default)]
struct Tallies {
    all: (u64, u64),
    /// By (place verdict, problem verdict); `None` for a link without an explanation.
    evidence: BTreeMap<Option<(&'static str, &'static str)>, (u64, u64)>,
    score: [(u64, u64); 10],
    /// [`DAY_BANDS`], then "unknown".
    days: [(u64, u64); DAY_BANDS.len() + 1],
}

impl Tallies {
    /// Counts one link, right or wrong, under its evidence, score band and time gap.
    fn count(&mut self, score: f32, explanation: Option<&Explanation>, right: bool) {
        let bump = |c: &mut (u64, u64)| {
            if right {
                c.0 += 1;
            } else {
                c.1 += 1;
            }
        };
        bump(&mut self.all);
        let evidence = explanation.map(|e| (e.place.verdict(), e.problem.verdict()));
        bump(self.evidence.entry(evidence).or_default());
        bump(&mut self.score[((score.clamp(0.0, 1.0) * 10.0) as usize).min(9)]);
        let band = match explanation.and_then(|e| e.days_apart) {
            // The last band is open: only NaN would miss every band.
            Some(days) => DAY_BANDS
                .iter()
                .position(|&(end, _)| days < end)
                .unwrap_or(DAY_BANDS.len() - 1),
            None => DAY_BANDS.len(),
        };
        bump(&mut self.days[band]);
    }
}

/// Checks each link of the tickets in `path` (a `tickets.jsonl` written by `dedup`) against
/// `gold` (order id → event id). The file is read a line at a time: the tickets of a dump of
/// millions of orders are never all held, only the counts.
///
/// # Errors
/// When the file cannot be read, or a line is not a ticket (the error names the file and the
/// line).
pub fn audit_links(path: &Path, gold: &BTreeMap<String, String>) -> Result<LinkAudit> {
    let file = File::open(path).map_err(|e| Error::from(e).in_file(path))?;
    audit_reader(BufReader::new(file), path, gold)
}

/// [`audit_links`] over any reader; `path` only names it in errors.
fn audit_reader(
    reader: impl BufRead,
    path: &Path,
    gold: &BTreeMap<String, String>,
) -> Result<LinkAudit> {
    let mut unlabelled = 0;
    let mut tallies = Tallies::default();
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| Error::from(e).in_file(path).at_line(i as u64 + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let ticket: TicketLinks = serde_json::from_str(&line).map_err(|e| {
            Error::new(ErrorKind::Eval(format!("not a ticket: {e}")))
                .in_file(path)
                .at_line(i as u64 + 1)
        })?;
        for member in &ticket.members {
            let Some(matched) = &member.matched else {
                continue;
            };
            match (gold.get(&member.order_id), gold.get(matched)) {
                (Some(a), Some(b)) => {
                    tallies.count(member.score, member.explanation.as_ref(), a == b)
                }
                _ => unlabelled += 1,
            }
        }
    }
    let row = |label: String, (right, wrong): (u64, u64)| LinkTally {
        label,
        right,
        wrong,
    };
    let mut by_evidence: Vec<LinkTally> = tallies
        .evidence
        .into_iter()
        .map(|(evidence, c)| {
            let label = evidence.map_or_else(
                || "none".to_string(),
                |(place, problem)| format!("{place} / {problem}"),
            );
            row(label, c)
        })
        .collect();
    by_evidence.sort_by(|x, y| y.wrong.cmp(&x.wrong).then_with(|| x.label.cmp(&y.label)));
    let by_score = (0..10)
        .filter(|&b| tallies.score[b] != (0, 0))
        .map(|b| {
            row(
                format!("{:.1}–{:.1}", b as f32 / 10.0, (b + 1) as f32 / 10.0),
                tallies.score[b],
            )
        })
        .collect();
    let by_days = DAY_BANDS
        .iter()
        .map(|&(_, label)| label)
        .chain(["unknown"])
        .zip(tallies.days)
        .filter(|&(_, c)| c != (0, 0))
        .map(|(label, c)| row(label.to_string(), c))
        .collect();
    Ok(LinkAudit {
        right: tallies.all.0,
        wrong: tallies.all.1,
        unlabelled,
        by_evidence,
        by_score,
        by_days,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn all_in_one_cluster_has_full_recall_low_precision() {
        let gold = m(&[("1", "a"), ("2", "a"), ("3", "b"), ("4", "b")]);
        let pred = m(&[("1", "x"), ("2", "x"), ("3", "x"), ("4", "x")]);
        let r = evaluate(&gold, &pred);
        assert_eq!(r.pairwise.recall, 1.0);
        assert!((r.pairwise.precision - 2.0 / 6.0).abs() < 1e-9);
        assert!((r.bcubed.precision - 0.5).abs() < 1e-9);
        assert_eq!(r.bcubed.recall, 1.0);
    }

    #[test]
    fn singletons_have_full_precision_low_recall() {
        let gold = m(&[("1", "a"), ("2", "a"), ("3", "a"), ("4", "b")]);
        let pred = m(&[("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")]);
        let r = evaluate(&gold, &pred);
        assert_eq!(r.pairwise.recall, 0.0);
        assert_eq!(r.pairwise.f1, 0.0);
        assert_eq!(r.bcubed.precision, 1.0);
        // Orders of event a each recall 1/3, order 4 recalls 1.
        assert!((r.bcubed.recall - (3.0 * (1.0 / 3.0) + 1.0) / 4.0).abs() < 1e-9);
    }

    #[test]
    fn missing_orders_are_counted() {
        let gold = m(&[("1", "a"), ("2", "a")]);
        let pred = m(&[("1", "x")]);
        assert_eq!(evaluate(&gold, &pred).missing, 1);
    }

    /// A member's line in tickets.jsonl, with an explanation of these verdicts and days.
    fn member(id: &str, matched: &str, score: f32, place: &str, days: Option<f32>) -> String {
        let days = days.map_or("null".to_string(), |d| d.to_string());
        format!(
            r#"{{"order_id":"{id}","matched":"{matched}","score":{score},"explanation":{{"text":0.3,"title":null,"place":{place},"problem":{{"verdict":"unknown"}},"days_apart":{days},"admin_conflict":false,"opposite_stance":false,"same_reporter":false,"same_category":null,"exact_repost":false,"shared_terms":[]}}}}"#
        )
    }

    fn canonical(id: &str) -> String {
        format!(r#"{{"order_id":"{id}","matched":null,"score":1.0,"explanation":null}}"#)
    }

    #[test]
    fn links_are_tallied_by_evidence_score_and_days() {
        let agree = r#"{"verdict":"agree","a":"枫桥雅苑","b":"枫桥雅苑小区","similarity":1.0}"#;
        let unknown = r#"{"verdict":"unknown"}"#;
        let tickets = [
            format!(
                r#"{{"ticket_id":"T-1","members":[{},{},{}]}}"#,
                canonical("1"),
                member("2", "1", 0.95, agree, Some(0.5)),
                member("3", "1", 0.52, agree, Some(20.0)),
            ),
            String::new(),
            format!(
                r#"{{"ticket_id":"T-4","members":[{},{},{}]}}"#,
                canonical("4"),
                member("5", "4", 1.0, unknown, None),
                member("9", "4", 0.7, unknown, Some(1.0)),
            ),
        ]
        .join("\n");
        // Order 3 belongs to another event than 1; order 9 is not labelled.
        let gold = m(&[("1", "a"), ("2", "a"), ("3", "b"), ("4", "c"), ("5", "c")]);
        let audit = audit_reader(tickets.as_bytes(), Path::new("t.jsonl"), &gold).unwrap();
        assert_eq!((audit.right, audit.wrong, audit.unlabelled), (2, 1, 1));
        let rows = |t: &[LinkTally]| -> Vec<(String, u64, u64)> {
            t.iter()
                .map(|r| (r.label.clone(), r.right, r.wrong))
                .collect()
        };
        let row = |l: &str, r, w| (l.to_string(), r, w);
        assert_eq!(
            rows(&audit.by_evidence),
            [row("agree / unknown", 1, 1), row("unknown / unknown", 1, 0)]
        );
        assert_eq!(
            rows(&audit.by_score),
            [row("0.5–0.6", 0, 1), row("0.9–1.0", 2, 0)]
        );
        assert_eq!(
            rows(&audit.by_days),
            [
                row("< 1 day", 1, 0),
                row("14–30 days", 0, 1),
                row("unknown", 1, 0)
            ]
        );
        assert_eq!(audit.by_evidence[0].precision(), 0.5);
    }

    #[test]
    fn a_line_that_is_no_ticket_is_named() {
        let text = format!("{{\"members\":[{}]}}\n{{\"members\": 3}}\n", canonical("1"));
        let err = audit_reader(text.as_bytes(), Path::new("t.jsonl"), &m(&[])).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::Eval(_)), "{err}");
        let at = err.location().expect("the error has a location");
        assert_eq!(
            (at.path.as_path(), at.line),
            (Path::new("t.jsonl"), Some(2))
        );
    }
}
