//! Prints the places, administrative units and problems the analyzer finds in each argument.
//!
//! ```text
//! cargo run --example places -- "鸬鹚湾路对面澜岸壹号工地夜间施工"
//! ```
//!
//! With `RAW=1` it also prints what the place finder reads before the analyzer cleans the
//! names (drops vocabulary, trims stop words).

use complaint_dedup::fingerprint::Analyzer;
use complaint_dedup::text::PlaceFinder;
use complaint_dedup::WorkOrder;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let analyzer = Analyzer::new()?;
    let raw = std::env::var_os("RAW").is_some();
    for text in std::env::args().skip(1) {
        if raw {
            let mut found = Vec::new();
            PlaceFinder::new().find(&text, &mut found);
            let found: Vec<String> = found
                .iter()
                .map(|p| format!("{:?}:{}({})", p.kind, p.name, p.core))
                .collect();
            println!("  raw {found:?}");
        }
        let fp = analyzer.fingerprint(&WorkOrder::new("x", &text), "");
        let places: Vec<String> = fp
            .places
            .iter()
            .map(|p| format!("{:?}:{}({})", p.kind, p.name, p.core))
            .collect();
        let admin: Vec<&str> = fp.admin.iter().map(|p| p.name.as_str()).collect();
        let problems: Vec<&str> = fp
            .problems
            .iter()
            .map(|p| analyzer.problems().label(*p))
            .collect();
        println!("{text}\n  places {places:?}\n  admin {admin:?}\n  problems {problems:?}");
    }
    Ok(())
}
