//! Quality against labelled data: pairwise and B-cubed precision, recall and F1.
//!
//! Pairwise metrics count pairs of orders placed together: precision is the share of
//! predicted same-ticket pairs that share a gold event. B-cubed metrics average, over orders,
//! how much of each order's predicted ticket is its gold event (precision) and how much of its
//! gold event is in its ticket (recall); they weigh every order equally, so one giant wrong
//! cluster cannot hide behind many right singletons. Pair counts come from contingency tables,
//! never from enumerating pairs, so hot events of thousands of orders cost nothing extra.

use std::collections::BTreeMap;
use std::path::Path;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};

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
}
