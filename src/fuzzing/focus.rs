//! The FOCUS readers (`cost:ingest`): the input is read as a FOCUS CSV, and as JSON lines.
//!
//! Invariants, for any bytes:
//! - sums are preserved: the file's billed and effective totals are the sums of its daily
//!   rollups and of its monthly ones, its charges (all but credits) the sums of its service
//!   and resource drivers; its row counts
//!   add up (every row allocated, unallocated or skipped);
//! - cutting the CSV into chunks (two threads, boundaries anywhere) changes nothing: the
//!   same totals, rollups, drivers and rows left out as one chunk;
//! - `--skip-bad` changes only what happens to a bad row: without it the read fails at the
//!   first row it leaves out, with that row's line and problem; with no bad row, the same
//!   totals;
//! - the CSV's rows written as JSON lines (every field a string) add up to the same totals,
//!   and leave out the same rows for the same reasons.

use std::sync::OnceLock;

use super::{Features, pick, shape};
use crate::config::{Config, CostConfig};
use crate::cost::Format;
use crate::cost::focus_fuzz::{Summary, read_file};
use crate::input::InputError;
use crate::model::money::Money;

/// The attribution of `../shared/data/focus` (its README), and one mapped tag value.
fn config() -> &'static CostConfig {
    static CONFIG: OnceLock<CostConfig> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let text = "[cost]\ntenant_tag = \"business_unit\"\nservice_tag = \"application\"\n\
                    env_tag = \"environment\"\n[cost.tenants]\nViennaAI = \"vienna\"\n";
        Config::parse(text, std::path::Path::new("fuzz.toml"))
            .expect("the fuzz config parses")
            .cost
    })
}

pub fn focus(bytes: &[u8]) -> Features {
    let mut seen = Features::default();
    let config = config();
    for format in [Format::Csv, Format::Jsonl] {
        let name = format!("{format:?}");
        let lenient = read_file(format, bytes, None, config, true);
        let strict = read_file(format, bytes, None, config, false);
        check_strict(&lenient, &strict);
        match &lenient {
            Err(e) => seen.add(&[&name, "error", &shape(&e.to_string())]),
            Ok(summary) => {
                seen.add(&[&name, "rows", &summary.counts.rows.min(4).to_string()]);
                for (_, problem) in &summary.skipped {
                    seen.add(&[&name, "skipped", &shape(problem)]);
                }
                check_sums(summary);
            }
        }
        if format == Format::Csv {
            // Chunks from a byte to a few hundred: about 256 chunks at most, so that a run
            // stays quick on a long input.
            let least = bytes.len() / 256;
            for salt in 0..2 {
                let size = least + 1 + pick(bytes, salt, 300);
                let chunked = read_file(format, bytes, Some(size), config, true);
                assert_eq!(
                    show(&chunked),
                    show(&lenient),
                    "read in chunks of {size} bytes, then whole"
                );
            }
            if let Ok(summary) = &lenient {
                check_as_json_lines(bytes, summary, config);
            }
        }
    }
    seen
}

/// Whether every quote of `bytes` is where RFC 4180 puts one: opening a field, doubled inside
/// a quoted field, or closing one before a delimiter or the end of a record.
fn quoted_properly(bytes: &[u8]) -> bool {
    #[derive(PartialEq)]
    enum In {
        FieldStart,
        Plain,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = In::FieldStart;
    for &b in bytes {
        let ends_field = matches!(b, b',' | b'\n' | b'\r');
        state = match state {
            In::FieldStart | In::Plain if ends_field => In::FieldStart,
            In::FieldStart if b == b'"' => In::Quoted,
            In::FieldStart | In::Plain if b == b'"' => return false,
            In::FieldStart | In::Plain => In::Plain,
            In::Quoted if b == b'"' => In::QuoteInQuoted,
            In::Quoted => In::Quoted,
            In::QuoteInQuoted if b == b'"' => In::Quoted,
            In::QuoteInQuoted if ends_field => In::FieldStart,
            In::QuoteInQuoted => return false,
        };
    }
    state != In::Quoted
}

/// A read's outcome, comparable (`InputError` is not `PartialEq`).
fn show(read: &Result<Summary, InputError>) -> Result<&Summary, String> {
    read.as_ref().map_err(ToString::to_string)
}

/// Without `--skip-bad`: the first row left out stops the read, named by its line; no row left
/// out, the same totals.
fn check_strict(lenient: &Result<Summary, InputError>, strict: &Result<Summary, InputError>) {
    match (lenient, strict) {
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (Ok(l), Ok(s)) => {
            assert!(
                l.skipped.is_empty(),
                "skipped {:?}, yet a strict read passed",
                l.skipped
            );
            assert_eq!(l, s, "--skip-bad with nothing to skip changed the totals");
        }
        (Ok(l), Err(InputError::Row { line, detail, .. })) => {
            let first = l.skipped.first();
            assert_eq!(
                first,
                Some(&(*line, detail.clone())),
                "the strict read stopped elsewhere than the first row left out"
            );
        }
        (l, s) => panic!(
            "with --skip-bad: {:?}; without: {:?}",
            l.as_ref().err().map(ToString::to_string),
            s.as_ref().err().map(ToString::to_string)
        ),
    }
}

/// The file's totals are the sums of its rollups and drivers.
fn check_sums(s: &Summary) {
    let c = &s.counts;
    let accepted: u64 = s.daily.iter().map(|(_, sums)| sums.rows).sum();
    assert_eq!(
        c.allocated + c.unallocated,
        accepted,
        "rows allocated or not"
    );
    assert_eq!(c.rows, accepted + c.skipped, "rows read");
    assert_eq!(c.skipped, s.skipped.len() as u64, "rows skipped");
    let allocated: u64 = s
        .daily
        .iter()
        .filter(|(k, _)| k.tenant_id.is_some())
        .map(|(_, sums)| sums.rows)
        .sum();
    assert_eq!(c.allocated, allocated, "rows allocated");
    for (grain, rows) in [("daily", &s.daily), ("monthly", &s.monthly)] {
        let billed: Money = rows.iter().map(|(_, sums)| sums.billed).sum();
        let effective: Money = rows.iter().map(|(_, sums)| sums.effective).sum();
        let counted: u64 = rows.iter().map(|(_, sums)| sums.rows).sum();
        assert_eq!(billed, c.billed, "billed: the {grain} rollups and the file");
        assert_eq!(
            effective, c.effective,
            "effective: the {grain} rollups and the file"
        );
        assert_eq!(counted, accepted, "rows: the {grain} rollups and the file");
    }
    // Drivers are the charges: every row's effective cost but the credits'.
    let credits: Money = s.daily.iter().map(|(_, sums)| sums.credit_effective).sum();
    for (grain, drivers) in [("daily", &s.drivers_daily), ("monthly", &s.drivers_monthly)] {
        for kind in ["service", "resource"] {
            let total: Money = drivers
                .iter()
                .filter(|(k, _)| k.kind == kind)
                .map(|(_, m)| *m)
                .sum();
            assert_eq!(
                total,
                c.effective - credits,
                "effective: the {grain} {kind} drivers and the file's charges"
            );
        }
    }
}

/// The CSV's records as JSON lines (the columns the reader takes, every field a string) add
/// up to the same totals. A record of the wrong width becomes a line that is not an object:
/// left out in both, for reasons that differ.
fn check_as_json_lines(bytes: &[u8], csv: &Summary, config: &CostConfig) {
    // Text that is not UTF-8 cannot be written as JSON as it is; a row with a quote out of
    // place is refused by the CSV reader for a reason JSON lines do not have.
    if std::str::from_utf8(bytes).is_err() || !quoted_properly(bytes) {
        return;
    }
    let mut reader = simd_csv::TotalReaderBuilder::new()
        .has_headers(true)
        .from_bytes(bytes);
    let header = reader.byte_headers().clone();
    let index: Vec<Option<usize>> = crate::cost::focus_fuzz::COLUMNS
        .iter()
        .map(|name| header.iter().position(|h| h == name.as_bytes()))
        .collect();
    if index[..crate::cost::focus_fuzz::REQUIRED]
        .iter()
        .any(Option::is_none)
    {
        return;
    }
    let mut lines = String::new();
    let mut wrong_width = Vec::new();
    let mut record = simd_csv::ByteRecord::new();
    while reader.read_byte_record(&mut record) {
        if record.len() != header.len() {
            wrong_width.push(true);
            lines.push_str("[]\n");
            continue;
        }
        wrong_width.push(false);
        let mut object = serde_json::Map::new();
        for (name, i) in crate::cost::focus_fuzz::COLUMNS.iter().zip(&index) {
            // An optional column the file lacks is left out of the object too.
            let Some(i) = *i else { continue };
            let field = String::from_utf8_lossy(record.get(i).unwrap_or_default());
            object.insert((*name).to_string(), field.into_owned().into());
        }
        lines.push_str(&serde_json::Value::Object(object).to_string());
        lines.push('\n');
    }
    let json = read_file(Format::Jsonl, lines.as_bytes(), None, config, true)
        .unwrap_or_else(|e| panic!("the CSV's rows as JSON lines: {e}\n{lines}"));
    let (mut a, mut b) = (csv.clone(), json);
    // The rows left out, in file order in both: the same rows, for the same reasons but
    // for the width. (The lines differ: a CSV record may span lines; a JSON line's number is
    // its record's.)
    let (skipped_csv, skipped_json) = (
        std::mem::take(&mut a.skipped),
        std::mem::take(&mut b.skipped),
    );
    assert_eq!(
        skipped_csv.len(),
        skipped_json.len(),
        "rows left out: {skipped_csv:?} from the CSV, {skipped_json:?} from JSON lines"
    );
    for ((_, in_csv), (line, in_json)) in skipped_csv.iter().zip(&skipped_json) {
        if !wrong_width[*line as usize - 1] {
            assert_eq!(
                in_csv, in_json,
                "a row left out for other reasons: CSV, JSON lines"
            );
        }
    }
    assert_eq!(
        a, b,
        "the CSV's rows as JSON lines add up differently:\n{lines}"
    );
}
