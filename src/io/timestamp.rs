//! Parsing the timestamps work-order exports use.

use std::sync::OnceLock;

use chrono::format::{parse, Item, Parsed, StrftimeItems};
use chrono::{DateTime, FixedOffset, NaiveDateTime, ParseResult};

/// strftime formats parsed into chrono's items once, not once per timestamp (as
/// `parse_from_str` does): a million-order dump has a million timestamps.
type Compiled = OnceLock<Vec<Vec<Item<'static>>>>;

/// The value of the first of `formats` that parses all of `s` into something `finish` accepts:
/// what trying `parse_from_str` with each format in turn gives, with the formats parsed once.
fn first_parse<T>(
    cell: &Compiled,
    formats: &[&'static str],
    s: &str,
    finish: impl Fn(&Parsed) -> ParseResult<T>,
) -> Option<T> {
    let compiled = cell.get_or_init(|| {
        formats
            .iter()
            .map(|f| {
                StrftimeItems::new(f)
                    .parse()
                    .expect("a valid strftime format")
            })
            .collect()
    });
    compiled.iter().find_map(|items| {
        let mut parsed = Parsed::new();
        parse(&mut parsed, s, items.iter()).ok()?;
        finish(&parsed).ok()
    })
}

/// Parses a timestamp in the forms exports use, as local (China Standard) time.
///
/// Accepted: `2019/2/28 11:25:05`, `2019-11-13 11:20:21`, either without seconds or with
/// fractional seconds, `2019-11-13T11:20:21`, ISO 8601 / RFC 3339 with an offset (converted to
/// UTC+8), `2019年2月28日 11:25`, and dates alone (`2019-02-28`, `2019/2/28`, `2019年2月28日`,
/// read as midnight). Impossible dates such as `2019-02-30` give `None`.
///
/// # Example
/// ```
/// use complaint_dedup::io::parse_timestamp;
/// let t = parse_timestamp("2019/2/28 11:25:05").unwrap();
/// assert_eq!(t.to_string(), "2019-02-28 11:25:05");
/// let t = parse_timestamp("2019-02-28T03:25:05Z").unwrap();
/// assert_eq!(t.to_string(), "2019-02-28 11:25:05");
/// assert!(parse_timestamp("2019-02-30 10:00:00").is_none());
/// ```
pub fn parse_timestamp(raw: &str) -> Option<NaiveDateTime> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 40 {
        return None;
    }
    const DATETIME_FORMATS: &[&str] = &[
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y/%m/%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y年%m月%d日 %H:%M:%S",
        "%Y年%m月%d日 %H:%M",
        "%Y年%m月%d日%H:%M:%S",
        "%Y年%m月%d日%H:%M",
        "%Y.%m.%d %H:%M:%S",
        "%Y%m%d %H:%M:%S",
    ];
    static DATETIMES: Compiled = OnceLock::new();
    if let Some(t) = first_parse(&DATETIMES, DATETIME_FORMATS, s, |p| {
        p.to_naive_datetime_with_offset(0)
    }) {
        return Some(t);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(to_china_time(t));
    }
    if let Ok(t) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%z") {
        return Some(to_china_time(t));
    }
    const DATE_FORMATS: &[&str] = &["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d", "%Y%m%d"];
    static DATES: Compiled = OnceLock::new();
    first_parse(&DATES, DATE_FORMATS, s, Parsed::to_naive_date)?.and_hms_opt(0, 0, 0)
}

fn to_china_time(t: DateTime<FixedOffset>) -> NaiveDateTime {
    let cst = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    t.with_timezone(&cst).naive_local()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        parse_timestamp(s)
            .map(|t| t.to_string())
            .unwrap_or_else(|| "none".into())
    }

    #[test]
    fn forms_seen_in_exports() {
        assert_eq!(p("2019/2/28 11:25:05"), "2019-02-28 11:25:05");
        assert_eq!(p("2019-11-13 11:20:21"), "2019-11-13 11:20:21");
        assert_eq!(p(" 2019/2/8 9:05 "), "2019-02-08 09:05:00");
        assert_eq!(p("2024-03-05T09:12:33.250"), "2024-03-05 09:12:33.250");
        assert_eq!(p("2024-03-05T09:12:33+08:00"), "2024-03-05 09:12:33");
        assert_eq!(p("2024-03-05T01:12:33Z"), "2024-03-05 09:12:33");
        assert_eq!(p("2024-03-05"), "2024-03-05 00:00:00");
        assert_eq!(p("2024/3/5"), "2024-03-05 00:00:00");
        assert_eq!(p("2024年3月5日 14:30"), "2024-03-05 14:30:00");
        assert_eq!(p("2024年3月5日"), "2024-03-05 00:00:00");
    }

    #[test]
    fn rejects_impossible_and_garbage() {
        for s in [
            "",
            "昨天下午",
            "2019-02-30 10:00:00",
            "2019-13-01",
            "2019/2/28 25:00:00",
            "12345",
        ] {
            assert_eq!(p(s), "none", "{s:?}");
        }
    }
}
