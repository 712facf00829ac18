//! Property tests of the batch pass: invariants that hold for any set of orders.
//!
//! Orders are drawn from small pools of places, problems, channels, reporters and times, so
//! that generated sets hold real duplicates (and ties in time) rather than unrelated noise.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use complaint_dedup::io::parse_timestamp;
use complaint_dedup::{Channel, Deduper, Relation, Ticket, TicketMember, WorkOrder};
use proptest::prelude::*;

const PLACES: &[&str] = &[
    "枫桥雅苑小区",
    "金沙路与江堤路交叉口",
    "砚池新村6栋",
    "桂语新城",
    "荟茗苑小区",
];

/// Each problem in a few wordings, so that duplicates are near, not only exact.
const PROBLEMS: &[&[&str]] = &[
    &[
        "旁边工地每天夜里施工到凌晨，噪音扰民",
        "隔壁工地半夜还在打桩，吵得睡不着",
    ],
    &["井盖缺失，晚上路过很危险", "井盖丢了好几天，已经有人摔倒"],
    &[
        "从昨晚起停水，事先没有任何通知",
        "突然停水一整天，家里有老人",
    ],
    &["物业费上涨太多，物业服务跟不上", "物业涨价但是服务越来越差"],
    &[
        "楼下烧烤店油烟直排，开窗满屋子烟",
        "烧烤店油烟扰民，晚上吵到深夜",
    ],
];

const OPENERS: &[&str] = &["", "市民来电反映：", "#江城发布# ", "网格员巡查发现"];
const CLOSERS: &[&str] = &["", "，要求处理。", "，请尽快解决！😡"];
const CHANNELS: &[Channel] = &[
    Channel::Hotline12345,
    Channel::Weibo,
    Channel::MessageBoard,
    Channel::GridWorker,
];
const REPORTERS: &[Option<&str>] = &[
    None,
    Some("13800000001"),
    Some("13800000002"),
    Some("U1001"),
];
/// Few distinct times, so that ties (broken by id) are common; `None` is an unknown time.
const TIMES: &[Option<&str>] = &[
    None,
    Some("2024-03-01 08:00:00"),
    Some("2024-03-01 09:30:00"),
    Some("2024-03-02 22:10:00"),
    Some("2024-03-05 10:00:00"),
];
const ID_PREFIXES: &[&str] = &["RX", "WB", "WZ", "GZ"];

/// The choices one order is built from, as indices into the pools.
#[derive(Debug, Clone)]
struct OrderSpec {
    prefix: usize,
    place: usize,
    problem: usize,
    wording: usize,
    opener: usize,
    closer: usize,
    channel: usize,
    reporter: usize,
    time: usize,
    titled: bool,
}

fn order_spec() -> impl Strategy<Value = OrderSpec> {
    (
        (0..ID_PREFIXES.len(), 0..PLACES.len(), 0..PROBLEMS.len()),
        (0..2usize, 0..OPENERS.len(), 0..CLOSERS.len()),
        (0..CHANNELS.len(), 0..REPORTERS.len(), 0..TIMES.len()),
        any::<bool>(),
    )
        .prop_map(
            |(
                (prefix, place, problem),
                (wording, opener, closer),
                (channel, reporter, time),
                titled,
            )| OrderSpec {
                prefix,
                place,
                problem,
                wording,
                opener,
                closer,
                channel,
                reporter,
                time,
                titled,
            },
        )
}

fn build_order(i: usize, s: &OrderSpec) -> WorkOrder {
    let problem = PROBLEMS[s.problem];
    let text = format!(
        "{}{}{}{}",
        OPENERS[s.opener],
        PLACES[s.place],
        problem[s.wording % problem.len()],
        CLOSERS[s.closer]
    );
    // The index keeps ids unique; the prefix keeps id order apart from input order.
    let id = format!("{}{:03}", ID_PREFIXES[s.prefix], 100 - i);
    let mut order = WorkOrder::new(&id, &text);
    order.channel = CHANNELS[s.channel];
    order.reporter = REPORTERS[s.reporter].map(str::to_string);
    order.received = TIMES[s.time].map(|t| parse_timestamp(t).expect("valid time"));
    if s.titled {
        order.title = format!("{}问题", PLACES[s.place]);
    }
    order
}

/// 1 to 40 orders with unique ids.
fn orders() -> impl Strategy<Value = Vec<WorkOrder>> {
    prop::collection::vec(order_spec(), 1..=40).prop_map(|specs| {
        specs
            .iter()
            .enumerate()
            .map(|(i, s)| build_order(i, s))
            .collect()
    })
}

/// Orders and a shuffled copy of them.
fn orders_and_shuffled() -> impl Strategy<Value = (Vec<WorkOrder>, Vec<WorkOrder>)> {
    orders().prop_flat_map(|orders| (Just(orders.clone()), Just(orders).prop_shuffle()))
}

/// Building a deduper loads jieba, so each is built once per test binary.
fn deduper(threads: usize) -> &'static Deduper {
    static ONE: OnceLock<Deduper> = OnceLock::new();
    static TWO: OnceLock<Deduper> = OnceLock::new();
    let cell = match threads {
        1 => &ONE,
        2 => &TWO,
        _ => unreachable!("only 1 and 2 threads are tested"),
    };
    cell.get_or_init(|| Deduper::builder().threads(threads).build().unwrap())
}

/// The canonical order of members: time received (unknown last), then id.
fn member_key(m: &TicketMember) -> impl Ord + '_ {
    (m.received.is_none(), m.received, &m.order_id)
}

fn check_invariants(orders: &[WorkOrder], tickets: &[Ticket]) -> Result<(), TestCaseError> {
    let mut placed: BTreeMap<&str, usize> = BTreeMap::new();
    for t in tickets {
        for m in &t.members {
            *placed.entry(m.order_id.as_str()).or_default() += 1;
        }
    }
    prop_assert_eq!(placed.len(), orders.len(), "orders missing or invented");
    for o in orders {
        prop_assert_eq!(
            placed.get(o.id.as_str()),
            Some(&1),
            "{} not placed once",
            o.id
        );
    }

    for t in tickets {
        prop_assert!(!t.members.is_empty(), "{} is empty", t.ticket_id);
        let first = &t.members[0];
        prop_assert_eq!(&first.order_id, &t.canonical);
        prop_assert_eq!(&t.ticket_id, &format!("T-{}", t.canonical));
        prop_assert_eq!(first.relation, Relation::Canonical);
        prop_assert!(first.matched.is_none());
        let earliest = t.members.iter().map(member_key).min().unwrap();
        prop_assert!(
            member_key(first) == earliest,
            "{}: canonical is not the earliest member",
            t.ticket_id
        );
        for m in &t.members {
            prop_assert!(
                !m.score.is_nan() && (0.0..=1.0).contains(&m.score),
                "{}: score {}",
                m.order_id,
                m.score
            );
        }
        for m in &t.members[1..] {
            prop_assert_ne!(m.relation, Relation::Canonical, "{}", m.order_id);
            prop_assert!(m.matched.is_some(), "{} has no match", m.order_id);
        }
        // Members after the canonical one come by time received, then id.
        prop_assert!(
            t.members
                .windows(2)
                .all(|w| member_key(&w[0]) < member_key(&w[1])),
            "{}: members out of order",
            t.ticket_id
        );
    }
    // Tickets come by their canonical order's time received, then id.
    prop_assert!(
        tickets
            .windows(2)
            .all(|w| member_key(&w[0].members[0]) < member_key(&w[1].members[0])),
        "tickets out of order"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn tickets_partition_orders(orders in orders()) {
        let out = deduper(1).run(&orders).unwrap();
        check_invariants(&orders, &out.tickets)?;
    }

    #[test]
    fn thread_count_does_not_change_tickets(orders in orders()) {
        let one = deduper(1).run(&orders).unwrap();
        let two = deduper(2).run(&orders).unwrap();
        prop_assert_eq!(one.tickets, two.tickets);
    }

    #[test]
    fn input_order_does_not_change_tickets((orders, shuffled) in orders_and_shuffled()) {
        let a = deduper(2).run(&orders).unwrap();
        let b = deduper(2).run(&shuffled).unwrap();
        check_invariants(&shuffled, &b.tickets)?;
        prop_assert_eq!(a.tickets, b.tickets);
    }
}

/// The pools above must produce merges, or the properties would hold trivially.
#[test]
fn generated_vocabulary_merges_duplicates() {
    let spec = |place, wording, opener, channel, time| OrderSpec {
        prefix: 0,
        place,
        problem: 0,
        wording,
        opener,
        closer: 1,
        channel,
        reporter: 0,
        time,
        titled: false,
    };
    let orders = vec![
        build_order(0, &spec(0, 0, 1, 0, 1)),
        build_order(1, &spec(0, 1, 2, 1, 2)),
        build_order(2, &spec(1, 0, 0, 0, 3)),
    ];
    let out = deduper(1).run(&orders).unwrap();
    check_invariants(&orders, &out.tickets).unwrap();
    let merged = out
        .tickets
        .iter()
        .find(|t| t.members.len() > 1)
        .expect("the two reports of the night work at one place should merge");
    let ids: Vec<&str> = merged.members.iter().map(|m| m.order_id.as_str()).collect();
    assert_eq!(ids, ["RX100", "RX099"]);
    assert_eq!(merged.members[1].relation, Relation::CrossChannel);
}
