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

/// Serializes an optional time exactly as chrono's own `Serialize` does (`2024-03-05T09:12:33`,
/// ISO 8601 without an offset), for the time fields of tickets. Whole seconds in the years
/// 0–9999, the times dumps hold, are written straight from their fields; any other time goes
/// through chrono, whose `fmt` machinery took 67M of the 232M instructions of serializing the
/// tickets of 20k orders (each order's time and each ticket's first and last).
pub(crate) fn serialize_iso<S: serde::Serializer>(
    time: &Option<NaiveDateTime>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match time {
        None => serializer.serialize_none(),
        Some(t) => match iso_digits(t).as_ref().map(|b| std::str::from_utf8(b)) {
            Some(Ok(text)) => serializer.serialize_some(text),
            _ => serializer.serialize_some(t),
        },
    }
}

/// `t` as `YYYY-MM-DDTHH:MM:SS`, if it is a whole second in the years 0–9999 (the forms chrono
/// writes with four-digit years and no fraction).
fn iso_digits(t: &NaiveDateTime) -> Option<[u8; 19]> {
    use chrono::{Datelike, Timelike};
    let year = u32::try_from(t.year()).ok().filter(|&y| y <= 9999)?;
    if t.nanosecond() != 0 {
        return None;
    }
    let mut b = *b"0000-00-00T00:00:00";
    let mut put = |at: usize, width: usize, mut value: u32| {
        for i in (at..at + width).rev() {
            b[i] = b'0' + (value % 10) as u8;
            value /= 10;
        }
    };
    put(0, 4, year);
    put(5, 2, t.month());
    put(8, 2, t.day());
    put(11, 2, t.hour());
    put(14, 2, t.minute());
    put(17, 2, t.second());
    Some(b)
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

    /// Ticket times as `serialize_iso` writes them and as chrono's `Serialize` writes them.
    fn both_ways(t: Option<NaiveDateTime>) -> (String, String) {
        struct Iso(Option<NaiveDateTime>);
        impl serde::Serialize for Iso {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serialize_iso(&self.0, s)
            }
        }
        let ours = serde_json::to_string(&Iso(t)).expect("a time serializes");
        let chronos = serde_json::to_string(&t).expect("a time serializes");
        (ours, chronos)
    }

    #[test]
    fn ticket_times_are_written_as_chrono_writes_them() {
        use chrono::{NaiveDate, NaiveTime};
        let (ours, chronos) = both_ways(parse_timestamp("2019/2/8 9:05"));
        assert_eq!(ours, r#""2019-02-08T09:05:00""#);
        assert_eq!(ours, chronos);
        assert_eq!(both_ways(None), ("null".into(), "null".into()));
        // Whole seconds over many years, days and times of day, and the forms that go through
        // chrono: fractions, leap seconds, years before 0 and after 9999.
        let mut times = Vec::new();
        for year in [0, 1, 9, 99, 999, 1970, 2019, 2024, 9999] {
            for (month, day) in [(1, 1), (2, 28), (7, 9), (12, 31)] {
                let date = NaiveDate::from_ymd_opt(year, month, day).expect("a real date");
                for secs in (0..86_400).step_by(3_607) {
                    let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, 0);
                    times.push(date.and_time(time.expect("a real time")));
                }
            }
        }
        let day = NaiveDate::from_ymd_opt(2024, 3, 5).expect("a real date");
        for nanos in [
            1,
            250_000_000,
            250_000,
            999_999_999,
            1_000_000_000,
            1_500_000_000,
        ] {
            let time = NaiveTime::from_hms_nano_opt(23, 59, 59, nanos).expect("a real time");
            times.push(day.and_time(time));
        }
        for year in [-1, -2024, 10_000, 200_000] {
            let date = NaiveDate::from_ymd_opt(year, 6, 1).expect("a real date");
            times.push(date.and_hms_opt(8, 0, 0).expect("a real time"));
        }
        for t in times {
            let (ours, chronos) = both_ways(Some(t));
            assert_eq!(ours, chronos, "{t:?}");
        }
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
