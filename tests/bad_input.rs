//! Bad input, and nothing lost: the CLI over every file of `fixtures/bad/` (written by
//! `fixtures/bad/make.py`).
//!
//! Each test names the orders that must be accepted and, for every reject, its line, its field
//! and a piece of its reason. Every run also checks the accounting: records read = accepted +
//! rejected, every accepted order exactly once in `assignments.csv`, one line of
//! `rejects.jsonl` per rejected record.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_complaint-dedup");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/bad")
        .join(name)
}

/// What a successful `dedup` run left behind.
struct Run {
    out: Output,
    records_read: u64,
    accepted: u64,
    rejected: u64,
    tickets: u64,
    /// `order_id` of every row of `assignments.csv`, in file order.
    assigned: Vec<String>,
    /// `ticket_id` of every row of `assignments.csv`.
    assigned_tickets: Vec<String>,
    rejects: Vec<Value>,
    ticket_lines: Vec<Value>,
}

fn run_cli(inputs: &[PathBuf], extra: &[&str], out_dir: &Path) -> Output {
    Command::new(BIN)
        .arg("dedup")
        .args(inputs)
        .arg("--out")
        .arg(out_dir)
        .arg("-q")
        .args(extra)
        .output()
        .expect("the binary runs")
}

fn summary_number(stdout: &str, label: &str) -> u64 {
    let line = stdout
        .lines()
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("no {label:?} line in:\n{stdout}"));
    line[label.len()..]
        .trim()
        .parse()
        .unwrap_or_else(|e| panic!("{line:?}: {e}"))
}

/// Runs `dedup` over `inputs`, expects success, and checks the accounting invariant.
fn dedup(inputs: &[PathBuf]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let out = run_cli(inputs, &[], dir.path());
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "dedup {inputs:?} failed ({}):\n{stderr}",
        out.status
    );
    let records_read = summary_number(&stdout, "records read");
    let accepted = summary_number(&stdout, "orders accepted");
    let rejected = summary_number(&stdout, "records rejected");
    let tickets = summary_number(&stdout, "tickets ");

    let mut csv = csv::Reader::from_path(dir.path().join("assignments.csv")).unwrap();
    let mut assigned = Vec::new();
    let mut assigned_tickets = Vec::new();
    for row in csv.records() {
        let row = row.unwrap();
        assigned.push(row[0].to_string());
        assigned_tickets.push(row[1].to_string());
    }
    let read_jsonl = |name: &str| -> Vec<Value> {
        std::fs::read_to_string(dir.path().join(name))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{name}: {e}: {l}")))
            .collect()
    };
    let rejects = read_jsonl("rejects.jsonl");
    let ticket_lines = read_jsonl("tickets.jsonl");

    // Nothing lost, nothing doubled.
    assert_eq!(accepted + rejected, records_read, "{stdout}");
    assert_eq!(assigned.len() as u64, accepted, "rows of assignments.csv");
    let distinct: BTreeSet<&String> = assigned.iter().collect();
    assert_eq!(distinct.len(), assigned.len(), "an order assigned twice");
    assert_eq!(rejects.len() as u64, rejected, "lines of rejects.jsonl");
    assert_eq!(ticket_lines.len() as u64, tickets, "lines of tickets.jsonl");
    let members: usize = ticket_lines
        .iter()
        .map(|t| t["members"].as_array().unwrap().len())
        .sum();
    assert_eq!(members as u64, accepted, "members of tickets.jsonl");
    for r in &rejects {
        let file = r["file"].as_str().unwrap();
        assert!(
            inputs.iter().any(|p| Path::new(file) == p),
            "reject names {file}, not one of {inputs:?}"
        );
        assert!(r["line"].as_u64().unwrap() >= 1, "{r}");
    }
    Run {
        out,
        records_read,
        accepted,
        rejected,
        tickets,
        assigned,
        assigned_tickets,
        rejects,
        ticket_lines,
    }
}

/// One expected reject: line, field (column name) and a piece of the reason.
type Rej = (u64, Option<&'static str>, &'static str);

/// Runs `dedup` over one fixture and checks the accepted ids (as a set) and the rejects (in
/// order) exactly.
fn expect(name: &str, accepted: &[&str], rejects: &[Rej]) -> Run {
    expect_files(&[fixture(name)], accepted, rejects)
}

fn expect_files(inputs: &[PathBuf], accepted: &[&str], rejects: &[Rej]) -> Run {
    let run = dedup(inputs);
    let got: BTreeSet<&str> = run.assigned.iter().map(String::as_str).collect();
    let want: BTreeSet<&str> = accepted.iter().copied().collect();
    assert_eq!(got, want, "accepted orders of {inputs:?}");
    assert_eq!(run.accepted, accepted.len() as u64);
    assert_eq!(run.rejected, rejects.len() as u64, "{:#?}", run.rejects);
    assert_eq!(run.records_read, (accepted.len() + rejects.len()) as u64);
    for (got, &(line, field, reason)) in run.rejects.iter().zip(rejects) {
        assert_eq!(got["line"].as_u64(), Some(line), "{got}");
        assert_eq!(got["field"].as_str(), field, "{got}");
        let why = got["reason"].as_str().unwrap();
        assert!(why.contains(reason), "reason {why:?} lacks {reason:?}");
    }
    run
}

/// Runs `dedup` where it must fail, and returns its stderr.
fn expect_fatal(inputs: &[PathBuf]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = run_cli(inputs, &[], dir.path());
    assert!(!out.status.success(), "dedup {inputs:?} succeeded");
    assert_eq!(out.status.code(), Some(2));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn summaries(run: &Run) -> Vec<&str> {
    run.ticket_lines
        .iter()
        .map(|t| t["summary"].as_str().unwrap())
        .collect()
}

fn assert_summaries_contain(run: &Run, pieces: &[&str]) {
    let all = summaries(run).join("\n");
    for p in pieces {
        assert!(all.contains(p), "no summary contains {p:?}:\n{all}");
    }
}

// --- encodings ---------------------------------------------------------------------------

#[test]
fn utf8_with_bom() {
    let run = expect("utf8_bom.csv", &["RX001", "RX002", "RX003"], &[]);
    assert_summaries_contain(&run, &["凤凰路井盖缺失", "枫桥雅苑", "荟茗苑"]);
}

#[test]
fn utf8_without_bom() {
    let run = expect("utf8_no_bom.csv", &["RX001", "RX002", "RX003"], &[]);
    assert_summaries_contain(&run, &["凤凰路井盖缺失"]);
}

#[test]
fn gb18030_with_four_byte_characters() {
    let run = expect("gb18030.csv", &["WZ101", "WZ102", "WZ103"], &[]);
    assert_summaries_contain(&run, &["𠮷祥小区路灯不亮", "䶮湖路占道经营", "物业费上涨"]);
}

#[test]
fn gbk() {
    let run = expect("gbk.csv", &["G1", "G2"], &[]);
    assert_summaries_contain(&run, &["学校门口", "菜市场"]);
}

#[test]
fn utf16le_with_bom_tab_separated_excel_unicode_text() {
    let run = expect("utf16le_bom.txt", &["U1", "U2", "U3"], &[]);
    assert_summaries_contain(&run, &["电梯经常困人", "楼上漏水", "公交站台"]);
}

#[test]
fn utf16be_with_bom() {
    let run = expect("utf16be_bom.tsv", &["B1", "B2"], &[]);
    assert_summaries_contain(&run, &["红绿灯"]);
}

#[test]
fn invalid_byte_sequences_cost_their_own_record_only() {
    expect(
        "invalid_utf8.csv",
        &["V1", "V3", "V6"],
        &[
            (3, Some("内容"), "invalid byte sequence for UTF-8"),
            (5, Some("地址"), "invalid byte sequence for UTF-8"),
            (6, Some("内容"), "invalid byte sequence for UTF-8"),
        ],
    );
}

// --- CSV structure -----------------------------------------------------------------------

#[test]
fn embedded_newlines_and_quotes_keep_line_numbers() {
    let run = expect(
        "embedded_newlines.csv",
        &["E1", "E2", "E3", "E5"],
        &[(10, Some("时间"), "unparseable timestamp \"2024-02-30\"")],
    );
    assert_summaries_contain(&run, &["\"整格引号\""]);
}

#[test]
fn ragged_rows() {
    expect(
        "ragged.csv",
        &["R1", "R5"],
        &[
            (3, None, "row has 2 fields but the header has 3"),
            (4, None, "row has 4 fields but the header has 3"),
            (5, None, "row has 1 fields but the header has 3"),
            (7, None, "row has 4 fields but the header has 3"),
        ],
    );
}

#[test]
fn tsv_does_not_split_on_commas() {
    expect(
        "plain.tsv",
        &["T1", "T3"],
        &[(3, None, "row has 2 fields but the header has 3")],
    );
}

#[test]
fn blank_lines_are_not_records_and_do_not_shift_lines() {
    expect(
        "blank_lines.csv",
        &["B1", "B2"],
        &[(12, None, "row has 3 fields but the header has 2")],
    );
}

#[test]
fn header_only() {
    let run = expect("header_only.csv", &[], &[]);
    assert_eq!(run.tickets, 0);
}

#[test]
fn empty_file() {
    expect("empty.csv", &[], &[]);
}

#[test]
fn bom_only_file() {
    expect("bom_only.csv", &[], &[]);
}

#[test]
fn missing_id_column_is_fatal_and_names_file_and_line() {
    let err = expect_fatal(&[fixture("missing_id.csv")]);
    assert!(err.contains("missing_id.csv:1:"), "{err}");
    assert!(err.contains("no column for id"), "{err}");
}

#[test]
fn missing_text_and_title_columns_is_fatal() {
    let err = expect_fatal(&[fixture("missing_text.csv")]);
    assert!(err.contains("missing_text.csv:1:"), "{err}");
    assert!(err.contains("no column for text"), "{err}");
}

#[test]
fn unterminated_quote_in_header_is_fatal() {
    let err = expect_fatal(&[fixture("unterminated_header.csv")]);
    assert!(err.contains("unterminated_header.csv:1:"), "{err}");
    assert!(err.contains("never closed"), "{err}");
}

#[test]
fn nonexistent_file_is_fatal_and_named() {
    let path = fixture("no_such_file.csv");
    let err = expect_fatal(std::slice::from_ref(&path));
    assert!(err.contains(&path.display().to_string()), "{err}");
}

#[test]
fn a_fatal_file_stops_the_run_even_after_good_ones() {
    let err = expect_fatal(&[fixture("utf8_bom.csv"), fixture("missing_id.csv")]);
    assert!(err.contains("missing_id.csv:1:"), "{err}");
}

#[test]
fn orders_without_text_and_title_or_id() {
    expect(
        "empty_text_title.csv",
        &["N3", "N4"],
        &[
            (2, None, "order has neither title nor text"),
            (3, None, "order has neither title nor text"),
            (7, None, "empty order id"),
        ],
    );
}

#[test]
fn unparseable_and_impossible_timestamps() {
    expect(
        "bad_timestamps.csv",
        &["S5", "S6"],
        &[
            (
                2,
                Some("受理时间"),
                "unparseable timestamp \"2024-02-30 10:00:00\"",
            ),
            (
                3,
                Some("受理时间"),
                "unparseable timestamp \"2024-03-05 25:00\"",
            ),
            (4, Some("受理时间"), "unparseable timestamp \"昨天下午\""),
            (5, Some("受理时间"), "unparseable timestamp \"2023-02-29\""),
            (8, Some("受理时间"), "unparseable timestamp \"2024-13-01\""),
            (
                9,
                Some("受理时间"),
                "unparseable timestamp \"2024-03-05 12:60\"",
            ),
        ],
    );
}

#[test]
fn duplicate_ids_keep_the_first_and_say_whether_content_differs() {
    let run = expect(
        "duplicate_ids.csv",
        &["D1", "D2"],
        &[
            (
                4,
                Some("id"),
                "duplicate order id \"D1\" (same content as the record at line 2",
            ),
            (
                5,
                Some("id"),
                "duplicate order id \"D1\" (different content from the record at line 2",
            ),
            (
                6,
                Some("id"),
                "duplicate order id \"D2\" (same content as the record at line 3",
            ),
        ],
    );
    // The kept D1 is the first one, not the one with other content.
    assert!(
        summaries(&run).contains(&"同一条工单"),
        "{:?}",
        summaries(&run)
    );
}

#[test]
fn duplicate_ids_across_files_name_the_first_file() {
    let a = fixture("cross_file_a.csv");
    let run = expect_files(
        &[a.clone(), fixture("cross_file_b.csv")],
        &["X1", "X2"],
        &[(3, Some("id"), "same content as the record at ")],
    );
    let reason = run.rejects[0]["reason"].as_str().unwrap();
    assert!(reason.contains(&format!("{}:2", a.display())), "{reason}");
    assert!(run.rejects[0]["file"]
        .as_str()
        .unwrap()
        .ends_with("cross_file_b.csv"));
}

#[test]
fn control_characters_inside_fields_are_kept_and_written_safely() {
    let run = expect(
        "control_chars.csv",
        &["C1", "C2", "C3", "C4", "C5", "C6\u{1}"],
        &[],
    );
    // The summaries are raw text; what is compared is normalised, with the controls gone.
    assert!(summaries(&run).iter().any(|s| s.contains('\u{1b}')));
}

#[test]
fn nul_padded_cells_do_not_make_the_file_utf16() {
    let run = expect(
        "nul_padding.csv",
        &[
            &format!("P1{}", "\0".repeat(40)),
            &format!("P2{}", "\0".repeat(40)),
        ],
        &[],
    );
    assert_summaries_contain(&run, &["定长字段"]);
}

#[test]
fn one_megabyte_text_field() {
    let run = expect("huge_field.csv", &["H1", "H2"], &[]);
    assert_eq!(run.tickets, 2);
}

#[test]
fn file_ending_inside_a_quoted_field_rejects_that_record() {
    expect(
        "truncated_quoted.csv",
        &["Q1", "Q2"],
        &[(
            4,
            Some("内容"),
            "unterminated quoted field in column \"内容\"",
        )],
    );
}

#[test]
fn file_ending_mid_record_without_newline() {
    expect(
        "truncated_record.csv",
        &["K1"],
        &[(3, None, "row has 2 fields but the header has 3")],
    );
}

#[test]
fn complete_last_record_without_newline() {
    expect("no_final_newline.csv", &["F1", "F2"], &[]);
}

#[test]
fn stray_quote_does_not_silently_swallow_later_records() {
    let run = expect(
        "stray_quote.csv",
        &["Y1"],
        &[(3, Some("内容"), "unterminated quoted field")],
    );
    // The swallowed records are not lost: they are in the reject, for a person to recover.
    let raw = run.rejects[0]["raw"].as_str().unwrap();
    assert!(
        raw.contains("Y3,被吞掉的一条") && raw.contains("Y4,被吞掉的又一条"),
        "{raw}"
    );
}

// --- JSONL -------------------------------------------------------------------------------

#[test]
fn jsonl_broken_line_in_the_middle() {
    expect(
        "broken_line.jsonl",
        &["J1", "J2", "J4", "J6"],
        &[
            (3, None, "invalid JSON: EOF while parsing a string"),
            (6, None, "invalid JSON: trailing comma"),
        ],
    );
}

#[test]
fn jsonl_lines_that_are_not_objects() {
    expect(
        "non_object.jsonl",
        &["O1", "O3"],
        &[
            (2, None, "JSON line is an array, not an object"),
            (3, None, "JSON line is a number, not an object"),
            (4, None, "JSON line is a string, not an object"),
            (5, None, "JSON line is a boolean, not an object"),
            (6, None, "JSON line is null, not an object"),
            (7, None, "JSON line is an array, not an object"),
        ],
    );
}

#[test]
fn jsonl_numeric_ids_and_null_fields() {
    let run = expect(
        "numeric_null.jsonl",
        &["101", "102.5", "104", "105", "106"],
        &[
            (3, None, "empty order id"),
            (4, None, "order has neither title nor text"),
            (
                6,
                Some("id"),
                "duplicate order id \"101\" (different content from the record at line 1",
            ),
        ],
    );
    assert_summaries_contain(&run, &["只有标题", "[\"数组\",\"内容\"]"]);
}

#[test]
fn jsonl_lines_missing_keys_are_rejected_one_by_one() {
    expect(
        "missing_keys.jsonl",
        &["K1", "K5"],
        &[
            (2, None, "no column for id"),
            (3, None, "no column for text"),
            (4, None, "no column for id"),
        ],
    );
}

#[test]
fn jsonl_with_bom_and_crlf() {
    expect("bom_crlf.jsonl", &["L1", "L2"], &[]);
}

// --- the whole run -----------------------------------------------------------------------

#[test]
fn all_files_at_once_keep_the_accounting() {
    // Every non-fatal fixture in one run: duplicates across files are rejected too.
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(fixture(""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            let fatal = matches!(
                name,
                "missing_id.csv" | "missing_text.csv" | "unterminated_header.csv"
            );
            !fatal && !name.ends_with(".py")
        })
        .collect();
    inputs.sort();
    let run = dedup(&inputs);
    assert!(run.accepted > 50, "{}", run.accepted);
}

#[test]
fn strict_exits_1_with_rejects_and_0_without() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_cli(&[fixture("ragged.csv")], &["--strict"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--strict: 4 records rejected"), "{err}");
    // The results are written all the same.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("rejects.jsonl"))
            .unwrap()
            .lines()
            .count(),
        4
    );

    let dir = tempfile::tempdir().unwrap();
    let out = run_cli(&[fixture("utf8_bom.csv")], &["--strict"], dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run_cli(&[fixture("empty.csv")], &["--strict"], dir.path());
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn hundred_thousand_orders_with_identical_text_make_one_ticket() {
    use std::io::Write;
    const N: usize = 100_000;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("identical.csv");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(w, "工单编号,受理时间,诉求内容").unwrap();
    for i in 0..N {
        writeln!(
            w,
            "ID{i:06},2024-03-05 09:{:02}:00,凤凰路与梧桐街交叉口井盖缺失，夜间行人容易掉落，请尽快处理。",
            i % 60
        )
        .unwrap();
    }
    w.into_inner().unwrap().sync_all().unwrap();
    let run = dedup(&[path]);
    assert_eq!((run.accepted, run.rejected, run.tickets), (N as u64, 0, 1));
    assert_eq!(
        run.ticket_lines[0]["members"].as_array().unwrap().len(),
        N,
        "one ticket with every order"
    );
    assert!(run
        .assigned_tickets
        .iter()
        .all(|t| *t == run.assigned_tickets[0]));
    assert!(run.out.status.success());
}
