//! Embeds the online engine in a service loop: work orders arrive one at a time, each is
//! ingested and its verdict printed, and the engine commits every few orders and at the end.
//!
//! ```text
//! cargo run --release --example engine_service                        # demo orders, temp dir
//! cargo run --release --example engine_service -- ENGINE_DIR < orders.jsonl
//! ```
//!
//! With stdin from a file or a pipe, it reads one JSON `WorkOrder` a line; from a terminal, it
//! runs a handful of built-in demo orders and then shows what closing a ticket does.

use std::io::{BufRead, IsTerminal};

use complaint_dedup::engine::{Engine, Verdict};
use complaint_dedup::{Channel, WorkOrder};

/// Orders between commits. Orders are matched against at once, but only durable after a
/// commit; a service would commit every few hundred orders or seconds. Small for the demo.
const COMMIT_EVERY: usize = 3;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let temp = tempfile::tempdir()?;
    let dir = std::env::args_os()
        .nth(1)
        .unwrap_or_else(|| temp.path().into());
    let engine = Engine::open(&dir)?;
    let demo = std::io::stdin().is_terminal();
    let orders: Box<dyn Iterator<Item = Result<WorkOrder, String>>> = if demo {
        Box::new(demo_orders().into_iter().map(Ok))
    } else {
        Box::new(
            std::io::stdin()
                .lock()
                .lines()
                .enumerate()
                .map(|(i, line)| {
                    let line = line.map_err(|e| e.to_string())?;
                    serde_json::from_str(&line).map_err(|e| format!("line {}: {e}", i + 1))
                }),
        )
    };

    let mut since_commit = 0;
    for order in orders {
        // One bad order must not stop the service: report it and go on.
        let order = match order {
            Ok(order) => order,
            Err(e) => {
                eprintln!("skipped: {e}");
                continue;
            }
        };
        let (id, channel) = (order.id.clone(), order.channel);
        match engine.ingest(order) {
            Ok(ingested) => print_verdict(id.as_str(), channel, &ingested.verdict),
            // An id ingested before, say: the sender hears of it, the service goes on.
            Err(e) => {
                eprintln!("{id}: not ingested: {e}");
                continue;
            }
        }
        since_commit += 1;
        if since_commit == COMMIT_EVERY {
            commit(&engine)?;
            since_commit = 0;
        }
    }
    if since_commit > 0 {
        commit(&engine)?;
    }

    if demo {
        // The street office stops the night work and closes the ticket. A later report of the
        // same problem no longer joins it: it starts a new ticket that links back to it.
        engine.close("T-GD-0001")?;
        let ticket = engine.ticket("T-GD-0001").expect("the demo made it");
        let members: Vec<&str> = ticket.members.iter().map(|m| m.as_str()).collect();
        println!("closed {} with {}", ticket.ticket, members.join(" "));
        let later = order(
            "GD-0031",
            Channel::Hotline12345,
            "2026-06-21T23:05:00",
            "锦绣华庭东门工地又开始夜间施工了，噪音扰民，之前反映过已经处理，现在又出现",
        );
        let verdict = engine.ingest(later)?.verdict;
        print_verdict("GD-0031", Channel::Hotline12345, &verdict);
        commit(&engine)?;
    }
    Ok(())
}

fn commit(engine: &Engine) -> complaint_dedup::Result<()> {
    engine.commit()?;
    let stats = engine.stats();
    println!(
        "-- committed (orders: {}, tickets: {})",
        stats.orders, stats.tickets
    );
    Ok(())
}

/// One line about a verdict: the ticket, and for a duplicate the score and shared terms.
fn print_verdict(id: &str, channel: Channel, verdict: &Verdict) {
    let said = match verdict {
        Verdict::New {
            ticket,
            recurrence_of: None,
        } => format!("new ticket {ticket}"),
        Verdict::New {
            ticket,
            recurrence_of: Some(old),
        } => format!("new ticket {ticket}, a recurrence of {old}"),
        Verdict::Duplicate {
            ticket,
            matched,
            score,
            relation,
            explanation,
            merged,
            ..
        } => {
            let mut said = format!(
                "duplicate of {ticket} ({relation}, score {score:.2} against {matched}), \
                 sharing {}",
                explanation.shared_terms.join(" ")
            );
            if !merged.is_empty() {
                said += &format!("; merged {}", merged.join(", "));
            }
            said
        }
    };
    println!("{id:<8} {:<14} {said}", channel.name());
}

fn order(id: &str, channel: Channel, received: &str, text: &str) -> WorkOrder {
    let mut order = WorkOrder::new(id, text);
    order.channel = channel;
    order.received = Some(received.parse().expect("demo times are valid"));
    order
}

/// Night construction noise at one estate through five channels, and a broken street light
/// reported twice.
fn demo_orders() -> Vec<WorkOrder> {
    let mut orders = vec![
        order(
            "GD-0001",
            Channel::Hotline12345,
            "2026-06-03T23:40:00",
            "锦绣华庭小区东门外工地每天晚上施工到凌晨两点，打桩机噪音很大，严重扰民，请相关部门管一管",
        ),
        order(
            "WB-0002",
            Channel::Weibo,
            "2026-06-04T00:15:00",
            "锦绣华庭旁边的工地半夜还在打桩施工，吵得整栋楼睡不着，已经连续一周了 @市城管",
        ),
        order(
            "LY-0003",
            Channel::MessageBoard,
            "2026-06-04T09:12:00",
            "滨江路与解放路路口的路灯坏了半个月，晚上一片漆黑，行人过马路很危险",
        ),
        order(
            "GD-0004",
            Channel::Hotline12345,
            "2026-06-04T22:50:00",
            "再次反映：锦绣华庭东门工地今晚又在夜间施工，噪音扰民问题一直没有解决",
        ),
        order(
            "WG-0005",
            Channel::GridWorker,
            "2026-06-05T08:30:00",
            "网格员巡查：锦绣华庭小区东侧工地存在夜间违规施工，多名居民反映噪音扰民",
        ),
        order(
            "WX-0006",
            Channel::WeChat,
            "2026-06-05T19:20:00",
            "滨江路解放路口的路灯一直不亮，晚上很黑，希望尽快维修",
        ),
    ];
    // The same caller twice: a repeat complaint rather than another reporter.
    orders[0].reporter = Some("13800000001".into());
    orders[3].reporter = Some("13800000001".into());
    orders
}
