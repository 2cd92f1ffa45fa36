//! The JSON lines reader: one object per line, keyed by FOCUS column names.

use std::collections::BTreeMap;
use std::io::Read;

use super::{COLUMNS, take_row};
use crate::config::CostConfig;
use crate::cost::rollup::Totals;
use crate::ingest::Skipped;
use crate::input::InputError;

/// JSON lines: each object's FOCUS columns become a record in `COLUMNS` order (numbers as
/// their exact text, `null` as `NULL`, `Tags` as its JSON), then go through the same checks.
pub(super) fn read_json_lines(
    reader: Box<dyn Read + Send + '_>,
    shown: &str,
    config: &CostConfig,
    skip_bad: bool,
) -> Result<(Totals, Vec<Skipped>), InputError> {
    use std::io::BufRead;
    // Raw values: a number keeps its exact decimal text (no trip through f64).
    type Object = BTreeMap<String, Box<serde_json::value::RawValue>>;
    let mut totals = Totals::default();
    let mut skipped = Vec::new();
    let mut record = csv::ByteRecord::new();
    for (i, line) in std::io::BufReader::new(reader).split(b'\n').enumerate() {
        let line_no = i as u64 + 1;
        let line = line.map_err(|e| InputError::File {
            path: shown.to_string(),
            detail: format!("line {line_no}: {e}"),
        })?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        totals.counts.rows += 1;
        let outcome = match serde_json::from_slice::<Object>(&line) {
            Err(e) => Err(format!("not a JSON object: {e}")),
            Ok(object) => {
                record.clear();
                let mut problem = None;
                for name in COLUMNS {
                    let raw = object.get(*name).map(|r| r.get()).unwrap_or("null");
                    if raw == "null" {
                        record.push_field(b"NULL");
                    } else if raw.starts_with('"') {
                        match serde_json::from_str::<String>(raw) {
                            Ok(text) => record.push_field(text.as_bytes()),
                            Err(e) => problem = Some(format!("{name}: {e}")),
                        }
                    } else {
                        record.push_field(raw.as_bytes());
                    }
                }
                match problem {
                    Some(p) => Err(p),
                    None => take_row(
                        std::array::from_fn(|c| record.get(c).unwrap_or_default()),
                        config,
                        &mut totals,
                    ),
                }
            }
        };
        match outcome {
            Ok(()) => {}
            Err(problem) if skip_bad => {
                totals.counts.skipped += 1;
                skipped.push(Skipped {
                    line: line_no,
                    problem,
                });
            }
            Err(detail) => {
                return Err(InputError::Row {
                    path: shown.to_string(),
                    line: line_no,
                    detail,
                });
            }
        }
    }
    Ok((totals, skipped))
}
