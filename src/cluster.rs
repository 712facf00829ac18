//! Clustering scored pairs into tickets without chaining.
//!
//! Union-find over pairs taken strongest first, with one guard: two groups merge only if their
//! canonical orders (the earliest of each) also score at least the link threshold against each
//! other. Single links through an intermediary ("A ~ B" on the place, "B ~ C" on the problem)
//! therefore cannot pull unrelated orders into one ticket, which is how plain union-find over
//! a low threshold ends in one giant cluster.

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
}

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
/// `(a, b)`, so the result does not depend on the order of `edges`. `canonical_score(x, y)`
/// scores two canonical nodes when a merge needs it; a merge also needs that score to reach
/// `link_threshold`.
pub fn cluster(
    n: usize,
    mut edges: Vec<Edge>,
    threshold: f32,
    link_threshold: f32,
    mut canonical_score: impl FnMut(u32, u32) -> f32,
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
        let direct = (lo, hi) == (e.a, e.b);
        if !direct {
            if refused.contains(&(lo, hi)) {
                continue;
            }
            if canonical_score(lo, hi) < link_threshold {
                refused.insert((lo, hi));
                continue;
            }
        }
        parent[hi as usize] = lo;
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
        Edge { a, b, score }
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
        // 0 ~ 1 and 1 ~ 2 are strong, but 0 and 2 have nothing in common.
        let c = cluster(3, vec![e(0, 1, 0.9), e(1, 2, 0.8)], 0.5, 0.4, |x, y| {
            if (x, y) == (0, 2) {
                0.1
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
    fn below_threshold_edges_are_ignored() {
        let c = cluster(2, vec![e(0, 1, 0.3)], 0.5, 0.0, |_, _| 1.0);
        assert_eq!(c.canonical, vec![0, 1]);
    }
}
