//! Clustering scored pairs into tickets without chaining.
//!
//! Union-find over pairs taken strongest first, with one guard: two groups merge only if they
//! also agree *on average*. The pair that links them must reach the threshold, and the mean
//! score between a few representatives of each group (the linking orders, the canonical
//! orders, and the earliest members) must reach the link threshold. Single links through an
//! intermediary ("A ~ B" on the place, "B ~ C" on the problem) therefore cannot pull unrelated
//! orders into one ticket, which is how plain union-find over a low threshold ends in one
//! giant cluster; and a group whose canonical order is oddly worded still joins when its
//! other members agree.
//!
//! A group also grows only on an *anchored* edge (for complaints: one whose two orders agree
//! on the place, or are near copies). Posts that name no place are scored on their problem and
//! wording alone; one such post may pair with another, but it must not be the link through
//! which a ticket about one place takes in reports of the same problem elsewhere.

use rustc_hash::FxHashSet;

/// A scored pair of nodes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    /// One node.
    pub a: u32,
    /// The other node.
    pub b: u32,
    /// Its score.
    pub score: f32,
    /// Whether the pair agrees on more than problem and wording (for complaints: on the
    /// place, or as a near copy). An edge that is not anchored joins two single nodes but
    /// never grows a group.
    pub anchored: bool,
}

/// How many of a group's earliest members stand for it when a merge is checked.
pub const REPRESENTATIVES: usize = 3;

/// The result of clustering `n` nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Clustering {
    /// For each node, its cluster's canonical node (the smallest index in the cluster).
    pub canonical: Vec<u32>,
    /// For each node, the node it was linked to and the link's score; `None` for canonicals.
    /// The links form a tree rooted at each canonical node.
    pub link: Vec<Option<(u32, f32)>>,
}

/// Clusters nodes `0..n` (in canonical order: a smaller index is earlier) over `edges`.
///
/// Edges below `threshold` are ignored; the rest are taken by descending score, ties by
/// `(a, b)`, so the result does not depend on the order of `edges`. `score(x, y)` scores two
/// nodes in [0, 1] when a merge needs it; a merge needs the mean score between the two groups'
/// representatives (at most [`REPRESENTATIVES`] each) to reach `link_threshold`. Scoring stops
/// once the mean is decided either way, which relies on scores staying within [0, 1].
pub fn cluster(
    n: usize,
    mut edges: Vec<Edge>,
    threshold: f32,
    link_threshold: f32,
    mut score: impl FnMut(u32, u32) -> f32,
) -> Clustering {
    edges.retain(|e| e.score >= threshold && e.a != e.b);
    for e in &mut edges {
        if e.a > e.b {
            std::mem::swap(&mut e.a, &mut e.b);
        }
    }
    edges.sort_unstable_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut tree: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n];
    let mut refused: FxHashSet<(u32, u32)> = FxHashSet::default();
    // The earliest members of each group, by root (kept sorted, at most REPRESENTATIVES).
    let mut early: Vec<Vec<u32>> = (0..n as u32).map(|x| vec![x]).collect();

    fn find(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            let up = parent[parent[x as usize] as usize];
            parent[x as usize] = up;
            x = up;
        }
        x
    }

    for e in edges {
        // Roots are always the smallest node of their cluster: the canonical one.
        let ra = find(&mut parent, e.a);
        let rb = find(&mut parent, e.b);
        if ra == rb {
            continue;
        }
        let (lo, hi) = (ra.min(rb), ra.max(rb));
        let single = early[lo as usize].len() == 1 && early[hi as usize].len() == 1;
        if !single {
            // Similar words about the same kind of problem, with nothing saying where, make
            // a pair but not a ticket: a group grows only on an anchored edge. (Another,
            // anchored edge between the same groups may still join them.)
            if !e.anchored {
                continue;
            }
            if refused.contains(&(lo, hi)) {
                continue;
            }
            let side = |root: u32, end: u32, early: &[Vec<u32>]| {
                let mut reps = early[root as usize].clone();
                if !reps.contains(&end) {
                    reps.push(end);
                }
                reps
            };
            let (end_lo, end_hi) = if find(&mut parent, e.a) == lo {
                (e.a, e.b)
            } else {
                (e.b, e.a)
            };
            let reps_lo = side(lo, end_lo, &early);
            let reps_hi = side(hi, end_hi, &early);
            // The mean over all pairs decides, but scores lie in [0, 1] and float addition is
            // monotone: stop scoring as soon as the sum so far already reaches the link
            // threshold, or could not reach it even if every pair left scored 1. The verdict
            // is the one the full mean gives; most merges need only a few scores.
            let count = reps_lo.len() * reps_hi.len();
            let n = count as f32;
            let (mut total, mut left) = (0.0f32, count);
            let mut accept = true;
            'pairs: for &x in &reps_lo {
                for &y in &reps_hi {
                    total += if (x.min(y), x.max(y)) == (e.a, e.b) {
                        e.score
                    } else {
                        score(x.min(y), x.max(y))
                    };
                    left -= 1;
                    if total / n >= link_threshold {
                        break 'pairs;
                    }
                    let mut best = total;
                    for _ in 0..left {
                        best += 1.0;
                    }
                    if best / n < link_threshold {
                        accept = false;
                        break 'pairs;
                    }
                }
            }
            if !accept {
                refused.insert((lo, hi));
                continue;
            }
        }
        parent[hi as usize] = lo;
        let moved = std::mem::take(&mut early[hi as usize]);
        let keep = &mut early[lo as usize];
        keep.extend(moved);
        keep.sort_unstable();
        keep.truncate(REPRESENTATIVES);
        tree[e.a as usize].push((e.b, e.score));
        tree[e.b as usize].push((e.a, e.score));
    }

    let mut canonical = vec![0u32; n];
    let mut link = vec![None; n];
    let mut seen = vec![false; n];
    let mut stack = Vec::new();
    for root in 0..n as u32 {
        if seen[root as usize] {
            continue;
        }
        // Nodes are visited in index order, so the first unseen node of a cluster is its root.
        seen[root as usize] = true;
        stack.push(root);
        while let Some(x) = stack.pop() {
            canonical[x as usize] = root;
            let mut next = tree[x as usize].clone();
            next.sort_unstable_by_key(|(y, _)| *y);
            for (y, s) in next {
                if !seen[y as usize] {
                    seen[y as usize] = true;
                    link[y as usize] = Some((x, s));
                    stack.push(y);
                }
            }
        }
    }
    Clustering { canonical, link }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(a: u32, b: u32, score: f32) -> Edge {
        Edge {
            a,
            b,
            score,
            anchored: true,
        }
    }

    #[test]
    fn canonical_is_smallest_and_links_form_a_tree() {
        let c = cluster(4, vec![e(2, 1, 0.9), e(3, 2, 0.8)], 0.5, 0.0, |_, _| 1.0);
        assert_eq!(c.canonical, vec![0, 1, 1, 1]);
        assert_eq!(c.link[1], None);
        assert_eq!(c.link[2], Some((1, 0.9)));
        assert_eq!(c.link[3], Some((2, 0.8)));
    }

    #[test]
    fn chains_through_an_intermediary_are_refused() {
        // 0 ~ 1 and 1 ~ 2 are strong, but 0 and 2 have nothing in common: the mean over
        // {0, 1} x {2} is (0.0 + 0.8) / 2, below the link threshold.
        let c = cluster(3, vec![e(0, 1, 0.9), e(1, 2, 0.8)], 0.5, 0.5, |x, y| {
            if (x, y) == (0, 2) {
                0.0
            } else {
                1.0
            }
        });
        assert_eq!(c.canonical, vec![0, 0, 2]);
    }

    #[test]
    fn edge_order_does_not_matter() {
        let edges = vec![e(0, 1, 0.7), e(1, 2, 0.7), e(2, 3, 0.9), e(0, 3, 0.6)];
        let score = |x: u32, y: u32| if x + y == 3 { 0.9 } else { 0.3 };
        let a = cluster(4, edges.clone(), 0.5, 0.5, score);
        let mut rev = edges;
        rev.reverse();
        let b = cluster(4, rev, 0.5, 0.5, score);
        assert_eq!(a, b);
    }

    #[test]
    fn unanchored_edges_pair_singles_but_do_not_grow_groups() {
        // 0 ~ 1 agree on the place; 2 shares only problem and wording with 1 (a strong but
        // unanchored edge), and 3 only with 2. The guard alone would let 2 in (every score
        // is 0.9), but nothing says 2 is at the place of 0 and 1.
        let loose = |a, b, score| Edge {
            anchored: false,
            ..e(a, b, score)
        };
        let edges = vec![e(0, 1, 0.9), loose(1, 2, 0.8), loose(2, 3, 0.7)];
        let c = cluster(4, edges, 0.5, 0.5, |_, _| 0.9);
        assert_eq!(c.canonical, vec![0, 0, 2, 2]);
        assert_eq!(c.link[3], Some((2, 0.7)));
        // An anchored edge between the same groups still joins them.
        let edges = vec![
            e(0, 1, 0.9),
            loose(1, 2, 0.8),
            loose(2, 3, 0.7),
            e(0, 3, 0.6),
        ];
        let c = cluster(4, edges, 0.5, 0.5, |_, _| 0.9);
        assert_eq!(c.canonical, vec![0, 0, 0, 0]);
        assert_eq!(c.link[3], Some((0, 0.6)));
    }

    #[test]
    fn below_threshold_edges_are_ignored() {
        let c = cluster(2, vec![e(0, 1, 0.3)], 0.5, 0.0, |_, _| 1.0);
        assert_eq!(c.canonical, vec![0, 1]);
    }
}
