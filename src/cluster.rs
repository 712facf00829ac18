//! Clustering scored pairs into tickets without chaining.
//!
//! Union-find over pairs taken strongest first, with one guard: two groups merge only if they
//! also agree *on average*. The pair that links them must reach the threshold, and the mean
//! score between a few representatives of each group (the linking orders, the earliest
//! members, the canonical orders first, and the latest members) must reach the link
//! threshold. Single links through an intermediary ("A ~ B" on the place, "B ~ C" on the
//! problem) therefore cannot pull unrelated orders into one ticket, which is how plain
//! union-find over a low threshold ends in one giant cluster; a group whose canonical order is
//! oddly worded still joins when its other members agree; and a group that has grown for
//! months is judged by its latest report as well as by its first ones.
//!
//! A group also grows only on an *anchored* edge (for complaints: one whose two orders agree
//! on the place without a conflict of problems, or are near copies). Posts that name no place
//! are scored on their problem and wording alone; one such post may pair with another, but it
//! must not be the link through which a ticket about one place takes in reports of the same
//! problem elsewhere. Nor may two problems at one place grow a ticket together.

use rayon::prelude::*;
use rustc_hash::FxHashSet;

/// Default number of days without a new report after which a ticket is done: a later report
/// of the same problem is a recurrence and starts a ticket of its own.
pub const DEFAULT_IDLE_DAYS: f32 = 60.0;

/// When groups are too far apart in time to be one ticket: a group with no report for
/// `idle_minutes` is done, so two groups (or a straggler and a group) whose times leave a gap
/// longer than that never join, however alike they are. The engine applies the same rule to
/// tickets as orders arrive.
#[derive(Debug, Clone, Copy)]
pub struct IdleRule<'m> {
    /// Each node's time in minutes, if known. A node without one leaves its group's gap
    /// unknown, and an unknown gap never stops a merge.
    pub minutes: &'m [Option<i64>],
    /// The longest quiet gap within one ticket.
    pub idle_minutes: i64,
}

/// The span of times of a group: (earliest, latest), `UNKNOWN_SPAN` if no member has one.
type Span = (i64, i64);
const UNKNOWN_SPAN: Span = (i64::MAX, i64::MIN);

/// The quiet gap between two spans (0 if they overlap or either is unknown).
fn gap(x: Span, y: Span) -> i64 {
    if x == UNKNOWN_SPAN || y == UNKNOWN_SPAN {
        return 0;
    }
    (x.0 - y.1).max(y.0 - x.1).max(0)
}

fn join_spans(x: Span, y: Span) -> Span {
    (x.0.min(y.0), x.1.max(y.1))
}

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
    /// place, with no conflict of problems, or as a near copy; see
    /// [`crate::Scorer::score_anchored`]). An edge that is not anchored joins two single nodes
    /// (at [`UNANCHORED_PAIR`] or more) but never grows a group.
    pub anchored: bool,
}

/// How many of a group's earliest members stand for it when a merge is checked (with its
/// latest member and the end of the edge that links it).
pub const REPRESENTATIVES: usize = 3;

/// The least score at which an unanchored pair (same problem in similar words, nothing
/// saying where) joins two single orders; it never grows a group.
///
/// Above the threshold, such pairs were mostly two reports of the same *kind* of complaint:
/// on generated 100k dumps nine in ten of the links they made between orders without a
/// named place were wrong, and raising this from the threshold (0.45) to 0.6 lifted B-cubed
/// F1 by 0.003 on each of three seeds with the fixture unchanged. On the message board it
/// parted two different questions about maternity pay and two about a lawyer's licence, and
/// one true pair (two letters asking for road cameras in one city's towns). At 0.7 it also
/// parted two letters with one title (F8市新市镇大气污染严重).
pub const UNANCHORED_PAIR: f32 = 0.6;

/// No node: pads a group's earliest members (it sorts after every node).
const NONE: u32 = u32::MAX;

/// A side of a merge check: a group's earliest members, its latest member and the edge's end,
/// each once, padded with [`NONE`].
type Reps = [u32; REPRESENTATIVES + 2];

/// What taking an edge comes to, before the groups' mean score is looked at.
enum Take {
    /// Nothing: the ends are in one group already, or the edge may not join them.
    Skip,
    /// The two ends join (two single nodes).
    Join,
    /// The groups join if their representatives agree on average.
    Check(Reps, Reps),
}

/// Edges of [`cluster`] whose merge checks are scored in parallel at a time, ahead of taking
/// them in turn.
const CHECK_WINDOW: usize = 4096;

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
/// Edges below `threshold` are ignored (the caller may keep them for [`attach_stragglers`]);
/// the rest are taken by descending score, ties by `(a, b)`, so the result does not depend on
/// the order of `edges` (they are sorted in parallel, on the current rayon pool). `score(x, y)`
/// scores two nodes in [0, 1] when a merge needs it; a merge needs the mean score between the
/// two groups' representatives (each group's [`REPRESENTATIVES`] earliest members, its latest
/// member and the edge's end) to reach `link_threshold`.
/// Scoring stops once the mean is decided either way, which relies on scores staying within
/// [0, 1]. With an `idle` rule, two groups whose times leave a longer quiet gap never merge.
///
/// Merge checks are scored ahead, in parallel on the current rayon pool (`score` is called
/// from its threads); the result is the one taking the edges in turn on one thread gives.
pub fn cluster(
    n: usize,
    edges: &[Edge],
    threshold: f32,
    link_threshold: f32,
    idle: Option<IdleRule<'_>>,
    score: impl Fn(u32, u32) -> f32 + Sync,
) -> Clustering {
    // The edges to take, as (a, b) with a < b, by index into `edges`.
    let ends = |i: u32| {
        let e = &edges[i as usize];
        (e.a.min(e.b), e.a.max(e.b))
    };
    // Sorted as plain integers: the score in `f32::total_cmp` order, flipped (strongest
    // first), above the smaller end, then the larger end and the index. Comparing integers
    // in place is several times cheaper than comparing indices through `edges`, which at a
    // million orders misses the cache on every comparison; the order is the same.
    let mut order: Vec<(u64, u32, u32)> = edges
        .par_iter()
        .enumerate()
        .filter(|(_, e)| e.score >= threshold && e.a != e.b)
        .map(|(i, e)| {
            let (lo, hi) = (e.a.min(e.b), e.a.max(e.b));
            let bits = e.score.to_bits() as i32;
            let ordered = (bits ^ (((bits >> 31) as u32) >> 1) as i32) as u32 ^ 0x8000_0000;
            ((u64::from(!ordered) << 32) | u64::from(lo), hi, i as u32)
        })
        .collect();
    order.par_sort_unstable();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    // The links taken, both ways round: (node, neighbour, score). Sorted once at the end, they
    // give each node its neighbours in index order without a list per node.
    let mut links: Vec<(u32, u32, f32)> = Vec::new();
    let mut refused: FxHashSet<(u32, u32)> = FxHashSet::default();
    // The earliest members of each group, by root: ascending, padded with NONE (which sorts
    // last), so that no group needs a list of its own.
    let mut early: Vec<[u32; REPRESENTATIVES]> = (0..n as u32)
        .map(|x| {
            let mut first = [NONE; REPRESENTATIVES];
            first[0] = x;
            first
        })
        .collect();
    let single = |early: &[u32; REPRESENTATIVES]| early.get(1).is_none_or(|&x| x == NONE);
    // The latest (largest) member of each group, by root.
    let mut latest: Vec<u32> = (0..n as u32).collect();
    // Each group's span of times, by root (only with an idle rule).
    let mut spans: Vec<Span> = match idle {
        Some(rule) => (0..n)
            .map(|x| match rule.minutes.get(x).copied().flatten() {
                Some(m) => (m, m),
                None => UNKNOWN_SPAN,
            })
            .collect(),
        None => Vec::new(),
    };

    fn find(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            let up = parent[parent[x as usize] as usize];
            parent[x as usize] = up;
            x = up;
        }
        x
    }
    /// [`find`] without shortening paths, for readers of a shared forest.
    fn root(parent: &[u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            x = parent[x as usize];
        }
        x
    }

    // What taking edge `e` between the groups rooted at `ra` and `rb` comes to, before the
    // mean score between them is looked at.
    let verdict = |e: &Edge,
                   ra: u32,
                   rb: u32,
                   early: &[[u32; REPRESENTATIVES]],
                   latest: &[u32],
                   spans: &[Span],
                   refused: &FxHashSet<(u32, u32)>| {
        if ra == rb {
            return Take::Skip;
        }
        let (lo, hi) = (ra.min(rb), ra.max(rb));
        if let Some(rule) = idle {
            if gap(spans[lo as usize], spans[hi as usize]) > rule.idle_minutes {
                return Take::Skip;
            }
        }
        // An unanchored edge joins two single nodes only at UNANCHORED_PAIR, and never grows
        // a group (below).
        if !e.anchored && e.score < UNANCHORED_PAIR {
            return Take::Skip;
        }
        if single(&early[lo as usize]) && single(&early[hi as usize]) {
            return Take::Join;
        }
        // Similar words about the same kind of problem, with nothing saying where, make a pair
        // but not a ticket: a group grows only on an anchored edge. (Another, anchored edge
        // between the same groups may still join them.)
        if !e.anchored || refused.contains(&(lo, hi)) {
            return Take::Skip;
        }
        // A side's representatives: its earliest members, its latest member and the edge's
        // end, each once. The earliest alone would leave a group that began with a report of
        // another problem (or months ago) judged by those reports for ever.
        let side = |root: u32, end: u32| {
            let mut reps: Reps = [NONE; REPRESENTATIVES + 2];
            let mut len = 0;
            let members = early[root as usize].iter().copied();
            for m in members.chain([latest[root as usize], end]) {
                if m != NONE && !reps[..len].contains(&m) {
                    reps[len] = m;
                    len += 1;
                }
            }
            reps
        };
        let (end_lo, end_hi) = if ra == lo { (e.a, e.b) } else { (e.b, e.a) };
        Take::Check(side(lo, end_lo), side(hi, end_hi))
    };
    // Whether the mean score between two groups' representatives reaches the link threshold.
    // The mean over all pairs decides, but scores lie in [0, 1] and float addition is
    // monotone: scoring stops as soon as the sum so far already reaches the link threshold, or
    // could not reach it even if every pair left scored 1. The verdict is the one the full mean
    // gives; most merges need only a few scores.
    let agree = |e: &Edge, reps_lo: &[u32], reps_hi: &[u32]| {
        let reps_lo = &reps_lo[..reps_lo.iter().take_while(|&&m| m != NONE).count()];
        let reps_hi = &reps_hi[..reps_hi.iter().take_while(|&&m| m != NONE).count()];
        let count = reps_lo.len() * reps_hi.len();
        let n = count as f32;
        let (mut total, mut left) = (0.0f32, count);
        for &x in reps_lo {
            for &y in reps_hi {
                total += if (x.min(y), x.max(y)) == (e.a, e.b) {
                    e.score
                } else {
                    score(x.min(y), x.max(y))
                };
                left -= 1;
                if total / n >= link_threshold {
                    return true;
                }
                let mut best = total;
                for _ in 0..left {
                    best += 1.0;
                }
                if best / n < link_threshold {
                    return false;
                }
            }
        }
        true
    };

    // The edges are taken a window at a time. Scoring representatives is most of the work
    // and the rest is one thread's, so the pool first checks, in parallel, every merge of the
    // window as the groups stand before it; taking the edges in turn, a check whose groups
    // have the same representatives by then uses that verdict (the same: the mean depends on
    // nothing else), and the others are scored again.
    let speculate = rayon::current_num_threads() > 1;
    let mut speculated: Vec<Option<(Reps, Reps, bool)>> = Vec::new();
    for window in order.chunks(CHECK_WINDOW) {
        let edge = |i: u32| {
            let (a, b) = ends(i);
            Edge {
                a,
                b,
                ..edges[i as usize]
            }
        };
        speculated.clear();
        if speculate {
            window
                .par_iter()
                .map(|&(_, _, i)| {
                    let e = edge(i);
                    let (ra, rb) = (root(&parent, e.a), root(&parent, e.b));
                    match verdict(&e, ra, rb, &early, &latest, &spans, &refused) {
                        Take::Check(lo, hi) => Some((lo, hi, agree(&e, &lo, &hi))),
                        Take::Skip | Take::Join => None,
                    }
                })
                .collect_into_vec(&mut speculated);
        }
        for (k, &(_, _, i)) in window.iter().enumerate() {
            let e = edge(i);
            // Roots are always the smallest node of their cluster: the canonical one.
            let ra = find(&mut parent, e.a);
            let rb = find(&mut parent, e.b);
            match verdict(&e, ra, rb, &early, &latest, &spans, &refused) {
                Take::Skip => continue,
                Take::Join => {}
                Take::Check(lo, hi) => {
                    let yes = match speculated.get(k) {
                        Some(&Some((was_lo, was_hi, yes))) if (was_lo, was_hi) == (lo, hi) => yes,
                        _ => agree(&e, &lo, &hi),
                    };
                    if !yes {
                        refused.insert((ra.min(rb), ra.max(rb)));
                        continue;
                    }
                }
            }
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            parent[hi as usize] = lo;
            if !spans.is_empty() {
                spans[lo as usize] = join_spans(spans[lo as usize], spans[hi as usize]);
            }
            let mut both = [NONE; 2 * REPRESENTATIVES];
            both[..REPRESENTATIVES].copy_from_slice(&early[lo as usize]);
            both[REPRESENTATIVES..].copy_from_slice(&early[hi as usize]);
            both.sort_unstable();
            early[lo as usize].copy_from_slice(&both[..REPRESENTATIVES]);
            latest[lo as usize] = latest[lo as usize].max(latest[hi as usize]);
            links.push((e.a, e.b, e.score));
            links.push((e.b, e.a, e.score));
        }
    }
    drop(early);
    drop(latest);
    links.par_sort_unstable_by_key(|&(x, y, _)| (x, y));
    // Node x's neighbours are links[start[x]..start[x + 1]], by index.
    let mut start = vec![0u32; n + 1];
    for &(x, _, _) in &links {
        start[x as usize + 1] += 1;
    }
    for x in 0..n {
        start[x + 1] += start[x];
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
            for &(_, y, s) in &links[start[x as usize] as usize..start[x as usize + 1] as usize] {
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

/// When an order the first pass left alone joins a group after all: see [`attach_stragglers`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stragglers {
    /// The least score of the anchored edge that ties a straggler to a group.
    pub min_pair: f32,
    /// The least mean of the straggler's best [`Stragglers::top`] scores against the group's
    /// earliest members: it agrees with several of them.
    pub min_top_mean: f32,
    /// How many best scores [`Stragglers::min_top_mean`] is taken over.
    pub top: usize,
    /// The least mean score of the straggler against all of the group's earliest members:
    /// it does not disagree with most of them.
    pub min_mean: f32,
    /// How many of a group's earliest members the mean is taken over.
    pub members: usize,
    /// The least size of a group a straggler joins: a mean over one or two members says
    /// little about a group as a whole.
    pub min_group: usize,
}

/// Stragglers as the batch pass and the engine use them: an order that scores 0.35 or more
/// with a member of a ticket of three or more (anchored), 0.35 on average with its three best
/// among the ticket's 16 earliest members and 0.15 on average with all of them.
pub const STRAGGLERS: Stragglers = Stragglers {
    min_pair: 0.35,
    min_top_mean: 0.35,
    top: 3,
    min_mean: 0.15,
    members: 16,
    min_group: 3,
};

/// Joins each node [`cluster`] left alone to the group it agrees with as a whole.
///
/// A short post about a place ("澜庭业主今天又去售楼部了") often scores a little under the
/// threshold against every report of its event: its words are few and its problem unclear.
/// One such pair is no evidence; the same moderate score against a whole group is. A single
/// node joins a group of `rules.min_group` or more when an anchored edge in `edges` (scored at least
/// `rules.min_pair`) ties it to a member, and its `score`s against the group's earliest
/// `rules.members` members reach `rules.min_top_mean` on average over the best `rules.top`
/// and `rules.min_mean` over all; of several such groups, the best top mean wins (ties: the
/// earlier group). Every decision is taken against the groups of the first
/// pass, so stragglers never pull in other stragglers, and the result does not depend on the
/// order of `edges`. Stragglers are judged in parallel, on the current rayon pool. A straggler
/// links to its best-scoring member; if it is earlier than the group's canonical node, it
/// becomes the canonical node and the tree is re-rooted. With an `idle` rule, a straggler
/// never joins a group its time is a longer quiet gap away from.
pub fn attach_stragglers(
    clustering: &mut Clustering,
    edges: &[Edge],
    rules: Stragglers,
    idle: Option<IdleRule<'_>>,
    score: impl Fn(u32, u32) -> f32 + Sync,
) {
    let n = clustering.canonical.len();
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (node, &c) in clustering.canonical.iter().enumerate() {
        members[c as usize].push(node as u32);
    }
    // A straggler never joins a group it is too far from in time: each group's span, by
    // canonical node, once.
    let minute = |x: u32| idle.and_then(|rule| rule.minutes.get(x as usize).copied().flatten());
    let mut spans: Vec<Span> = Vec::new();
    if idle.is_some() {
        spans = vec![UNKNOWN_SPAN; n];
        for (node, &c) in clustering.canonical.iter().enumerate() {
            if let Some(m) = minute(node as u32) {
                spans[c as usize] = join_spans(spans[c as usize], (m, m));
            }
        }
    }
    let too_far = |x: u32, group: u32| {
        idle.is_some_and(|rule| {
            let own = minute(x).map_or(UNKNOWN_SPAN, |m| (m, m));
            gap(own, spans[group as usize]) > rule.idle_minutes
        })
    };
    let size = |x: u32, members: &[Vec<u32>], canonical: &[u32]| {
        members[canonical[x as usize] as usize].len()
    };
    // The groups each straggler is tied to, by anchored edges.
    let mut ties: Vec<(u32, u32)> = Vec::new();
    for e in edges {
        if !e.anchored || e.score < rules.min_pair || e.a == e.b {
            continue;
        }
        for (x, y) in [(e.a, e.b), (e.b, e.a)] {
            if size(x, &members, &clustering.canonical) == 1
                && size(y, &members, &clustering.canonical) >= rules.min_group.max(2)
            {
                ties.push((x, clustering.canonical[y as usize]));
            }
        }
    }
    ties.sort_unstable();
    ties.dedup();
    // Each straggler's best group: (straggler, group, best member, its score). Stragglers are
    // judged against the first pass's groups alone, so they are judged in parallel.
    let mut joins: Vec<(u32, u32, u32, f32)> = ties
        .par_chunk_by(|x, y| x.0 == y.0)
        .map_init(Vec::new, |scores: &mut Vec<(f32, u32)>, tied| {
            let x = tied[0].0;
            let mut best: Option<(f32, u32, u32, f32)> = None;
            for &(_, group) in tied {
                if too_far(x, group) {
                    continue;
                }
                let earliest =
                    &members[group as usize][..members[group as usize].len().min(rules.members)];
                scores.clear();
                scores.extend(earliest.iter().map(|&m| (score(x.min(m), x.max(m)), m)));
                let mean = scores.iter().map(|s| s.0).sum::<f32>() / scores.len() as f32;
                // Best first, ties by the earlier member.
                scores.sort_unstable_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)));
                let top = rules.top.clamp(1, scores.len());
                let top_mean = scores[..top].iter().map(|s| s.0).sum::<f32>() / top as f32;
                if top_mean >= rules.min_top_mean
                    && mean >= rules.min_mean
                    && best.is_none_or(|b| top_mean > b.0)
                {
                    best = Some((top_mean, group, scores[0].1, scores[0].0));
                }
            }
            best.map(|(_, group, m, s)| (x, group, m, s))
        })
        .flatten()
        .collect();
    // Apply, earliest straggler of each group first: only the first can be earlier than the
    // group's canonical node.
    joins.sort_unstable_by_key(|&(x, group, _, _)| (group, x));
    for (x, group, m, s) in joins {
        let root = clustering.canonical[m as usize];
        if x < root {
            // Re-root the tree at x: reverse the links on the path from m up to the root.
            let mut node = m;
            let mut up = clustering.link[node as usize];
            clustering.link[node as usize] = Some((x, s));
            while let Some((parent, edge)) = up {
                up = clustering.link[parent as usize];
                clustering.link[parent as usize] = Some((node, edge));
                node = parent;
            }
            for &y in &members[group as usize] {
                clustering.canonical[y as usize] = x;
            }
            clustering.canonical[x as usize] = x;
            clustering.link[x as usize] = None;
            // Later stragglers of the group find its canonical node through its members.
            members[group as usize].push(x);
        } else {
            clustering.canonical[x as usize] = root;
            clustering.link[x as usize] = Some((m, s));
        }
    }
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
        let c = cluster(4, &[e(2, 1, 0.9), e(3, 2, 0.8)], 0.5, 0.0, None, |_, _| 1.0);
        assert_eq!(c.canonical, vec![0, 1, 1, 1]);
        assert_eq!(c.link[1], None);
        assert_eq!(c.link[2], Some((1, 0.9)));
        assert_eq!(c.link[3], Some((2, 0.8)));
    }

    #[test]
    fn chains_through_an_intermediary_are_refused() {
        // 0 ~ 1 and 1 ~ 2 are strong, but 0 and 2 have nothing in common: the mean over
        // {0, 1} x {2} is (0.0 + 0.8) / 2, below the link threshold.
        let c = cluster(3, &[e(0, 1, 0.9), e(1, 2, 0.8)], 0.5, 0.5, None, |x, y| {
            if (x, y) == (0, 2) {
                0.0
            } else {
                1.0
            }
        });
        assert_eq!(c.canonical, vec![0, 0, 2]);
    }

    #[test]
    fn a_group_is_also_represented_by_its_latest_member() {
        // 0..=4 are one group, built in that order; 5 ~ 6 another. The second group agrees
        // with 4, the first group's latest member, but little with its earliest ones (an event
        // that went on for months scores low against its first reports, or a group that began
        // with a report of another problem). The edge 3 ~ 5 links them. Over the earliest
        // members and the edge's ends alone, the mean is (6 x 0.2 + 0.6 + 0.2) / 8 = 0.25;
        // with 4 standing for the first group too, it is (2.0 + 2 x 1.0) / 10 = 0.4.
        let edges = [
            e(0, 1, 0.95),
            e(0, 2, 0.95),
            e(0, 3, 0.95),
            e(0, 4, 0.95),
            e(5, 6, 0.9),
            e(3, 5, 0.6),
        ];
        let score = |x: u32, y: u32| match (x.min(y), x.max(y)) {
            (4, 5 | 6) => 1.0,
            (0..=3, 5 | 6) => 0.2,
            _ => 1.0,
        };
        let c = cluster(7, &edges, 0.5, 0.35, None, score);
        assert_eq!(c.canonical, vec![0; 7]);
        assert_eq!(c.link[5], Some((3, 0.6)));
        // Where the latest member disagrees as well, the groups stay apart.
        let c = cluster(7, &edges, 0.5, 0.35, None, |x, y| {
            match (x.min(y), x.max(y)) {
                (0..=4, 5 | 6) => 0.2,
                _ => 1.0,
            }
        });
        assert_eq!(c.canonical, vec![0, 0, 0, 0, 0, 5, 5]);
    }

    #[test]
    fn edge_order_does_not_matter() {
        let edges = vec![e(0, 1, 0.7), e(1, 2, 0.7), e(2, 3, 0.9), e(0, 3, 0.6)];
        let score = |x: u32, y: u32| if x + y == 3 { 0.9 } else { 0.3 };
        let a = cluster(4, &edges, 0.5, 0.5, None, score);
        let mut rev = edges;
        rev.reverse();
        let b = cluster(4, &rev, 0.5, 0.5, None, score);
        assert_eq!(a, b);
    }

    #[test]
    fn checks_scored_ahead_in_parallel_give_the_one_thread_result() {
        // Groups of one event grow and refuse each other over many windows of edges; the
        // score between two nodes is fixed but arbitrary, so many merge checks go either way.
        let n = 3_000u32;
        let hash = |x: u32, y: u32| {
            let h = (u64::from(x) << 32 | u64::from(y)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            (h >> 40) as f32 / (1u64 << 24) as f32
        };
        let score = |x: u32, y: u32| hash(x.min(y), x.max(y));
        let edges: Vec<Edge> = (0..n)
            .flat_map(|a| (1..=8).map(move |k| (a, (a * 7 + k * 13) % n)))
            .map(|(a, b)| Edge {
                anchored: (a + b) % 5 != 0,
                ..e(a, b, 0.4 + 0.6 * score(a, b))
            })
            .collect();
        assert!(edges.len() > 2 * CHECK_WINDOW, "several windows of edges");
        let run = |threads: usize, link_threshold: f32| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| cluster(n as usize, &edges, 0.5, link_threshold, None, score))
        };
        let alone = run(1, 0.45);
        assert_eq!(run(4, 0.45), alone);
        assert_eq!(run(2, 0.45), alone);
        // The checks decide something: without them the groups come out otherwise.
        assert_ne!(run(1, 0.0).canonical, alone.canonical);
        let groups = |c: &Clustering| {
            (0..n as usize)
                .filter(|&x| c.canonical[x] as usize == x)
                .count()
        };
        assert!(groups(&alone) < n as usize / 2, "{} groups", groups(&alone));
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
        let c = cluster(4, &edges, 0.5, 0.5, None, |_, _| 0.9);
        assert_eq!(c.canonical, vec![0, 0, 2, 2]);
        assert_eq!(c.link[3], Some((2, 0.7)));
        // An anchored edge between the same groups still joins them.
        let edges = vec![
            e(0, 1, 0.9),
            loose(1, 2, 0.8),
            loose(2, 3, 0.7),
            e(0, 3, 0.6),
        ];
        let c = cluster(4, &edges, 0.5, 0.5, None, |_, _| 0.9);
        assert_eq!(c.canonical, vec![0, 0, 0, 0]);
        assert_eq!(c.link[3], Some((0, 0.6)));
        // Two single nodes pair on an unanchored edge only at UNANCHORED_PAIR, threshold or
        // not; an anchored edge of the same score pairs them.
        let under = UNANCHORED_PAIR - 0.05;
        let c = cluster(2, &[loose(0, 1, under)], 0.5, 0.5, None, |_, _| 0.9);
        assert_eq!(c.canonical, vec![0, 1]);
        let c = cluster(2, &[e(0, 1, under)], 0.5, 0.5, None, |_, _| 0.9);
        assert_eq!(c.canonical, vec![0, 0]);
        let c = cluster(
            2,
            &[loose(0, 1, UNANCHORED_PAIR)],
            0.5,
            0.5,
            None,
            |_, _| 0.9,
        );
        assert_eq!(c.canonical, vec![0, 0]);
    }

    #[test]
    fn a_straggler_joins_the_group_it_agrees_with_on_the_whole() {
        // 1, 2, 3 are a group; 0 and 4 score 0.4 with each of them (under the threshold 0.5),
        // 5 scores 0.4 with 3 alone. 0 is earlier than the group: it becomes its canonical.
        let scores = |x: u32, y: u32| -> f32 {
            match (x.min(y), x.max(y)) {
                (1, 2) | (1, 3) | (2, 3) => 0.9,
                (0, 1..=3) | (1..=3, 4) => 0.4,
                (3, 5) => 0.4,
                _ => 0.0,
            }
        };
        let all: Vec<Edge> = (0..6)
            .flat_map(|a| (a + 1..6).map(move |b| (a, b)))
            .map(|(a, b)| e(a, b, scores(a, b)))
            .filter(|e| e.score > 0.0)
            .collect();
        let mut c = cluster(6, &all, 0.5, 0.3, None, scores);
        assert_eq!(c.canonical, vec![0, 1, 1, 1, 4, 5]);
        attach_stragglers(&mut c, &all, STRAGGLERS, None, scores);
        assert_eq!(c.canonical, vec![0, 0, 0, 0, 0, 5]);
        assert_eq!(c.link[0], None);
        assert_eq!(c.link[1], Some((0, 0.4)));
        assert_eq!(c.link[4], Some((1, 0.4)));
        // The tree still reaches every member from the canonical node.
        for x in 1..5u32 {
            let mut y = x;
            while let Some((up, _)) = c.link[y as usize] {
                y = up;
            }
            assert_eq!(y, 0);
        }
        // Without an anchored tie, nothing joins.
        let loose: Vec<Edge> = all
            .iter()
            .map(|e| Edge {
                anchored: false,
                ..*e
            })
            .collect();
        let mut c = cluster(6, &all, 0.5, 0.3, None, scores);
        attach_stragglers(&mut c, &loose, STRAGGLERS, None, scores);
        assert_eq!(c.canonical, vec![0, 1, 1, 1, 4, 5]);
    }

    #[test]
    fn groups_a_quiet_gap_apart_stay_apart() {
        const DAY: i64 = 24 * 60;
        // 0 and 1 ten days apart, 2 a hundred days after 1, 3 without a time.
        let minutes = [Some(0), Some(10 * DAY), Some(110 * DAY), None];
        let idle = IdleRule {
            minutes: &minutes,
            idle_minutes: 60 * DAY,
        };
        let edges = [e(0, 1, 0.9), e(1, 2, 0.9), e(0, 2, 0.8), e(2, 3, 0.7)];
        let c = cluster(4, &edges, 0.5, 0.0, Some(idle), |_, _| 1.0);
        assert_eq!(c.canonical, vec![0, 0, 2, 2]);
        // Without the rule, one group.
        let c = cluster(4, &edges, 0.5, 0.0, None, |_, _| 1.0);
        assert_eq!(c.canonical, vec![0, 0, 0, 0]);
        // A group that reports all along keeps its members, however far apart its ends are.
        let minutes = [Some(0), Some(50 * DAY), Some(100 * DAY)];
        let idle = IdleRule {
            minutes: &minutes,
            idle_minutes: 60 * DAY,
        };
        let c = cluster(
            3,
            &[e(0, 1, 0.9), e(1, 2, 0.8)],
            0.5,
            0.0,
            Some(idle),
            |_, _| 1.0,
        );
        assert_eq!(c.canonical, vec![0, 0, 0]);
    }

    #[test]
    fn a_straggler_does_not_join_a_group_long_quiet() {
        const DAY: i64 = 24 * 60;
        // 0..=2 a group in its first days; 3 and 4 tied to it below the threshold, 3 a week
        // later, 4 half a year later.
        let minutes = [
            Some(0),
            Some(DAY),
            Some(2 * DAY),
            Some(9 * DAY),
            Some(180 * DAY),
        ];
        let idle = IdleRule {
            minutes: &minutes,
            idle_minutes: 60 * DAY,
        };
        let group = [e(0, 1, 0.9), e(1, 2, 0.9), e(0, 2, 0.9)];
        let ties = [e(3, 0, 0.4), e(4, 0, 0.4)];
        let all: Vec<Edge> = group.iter().chain(ties.iter()).copied().collect();
        let scores = |x: u32, y: u32| if x >= 3 || y >= 3 { 0.4 } else { 0.9 };
        let mut c = cluster(5, &all, 0.5, 0.3, Some(idle), scores);
        attach_stragglers(&mut c, &all, STRAGGLERS, Some(idle), scores);
        assert_eq!(c.canonical, vec![0, 0, 0, 0, 4]);
    }

    #[test]
    fn below_threshold_edges_are_ignored() {
        let c = cluster(2, &[e(0, 1, 0.3)], 0.5, 0.0, None, |_, _| 1.0);
        assert_eq!(c.canonical, vec![0, 1]);
    }
}
