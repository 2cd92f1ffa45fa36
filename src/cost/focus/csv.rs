//! The FOCUS CSV reader: the text cut into chunks ([`super::chunk`]) parsed with `simd-csv`
//! on both cores, each thread adding up into its own totals, merged at the end.

use std::io::Read;

use super::chunk::{CHUNK, Chunk, Cutter};
use super::quotes;
use super::{COLUMNS, REQUIRED, take_row};
use crate::config::CostConfig;
use crate::cost::rollup::Totals;
use crate::ingest::Skipped;
use crate::input::InputError;

/// What a thread found wrong in the chunks it took, by chunk: rows left out (`--skip-bad`) and
/// the first row that stops the ingest.
#[derive(Default)]
struct Problems {
    skipped: Vec<(usize, Vec<Skipped>)>,
    failed: Option<(usize, u64, String)>,
}

/// Parses and adds up one chunk. Each starts with a line that is no row: the first chunk
/// with the header (already read), the others with [`LEAD`].
fn take_chunk(
    chunk: &Chunk,
    width: usize,
    index: &[usize; COLUMNS.len()],
    config: &CostConfig,
    skip_bad: bool,
    totals: &mut Totals,
    problems: &mut Problems,
) {
    // Rows with a quote out of place are left out before parsing (see `quotes`).
    let cleaned;
    let mut misquoted = Vec::new();
    let bytes = if quotes::in_place(&chunk.bytes) {
        &chunk.bytes[..]
    } else {
        let (text, lines) = quotes::blank_misplaced(&chunk.bytes, chunk.line);
        cleaned = text;
        misquoted = lines;
        &cleaned[..]
    };
    let mut csv = simd_csv::TotalReaderBuilder::new()
        .has_headers(true)
        .from_bytes(bytes);
    // The header (read and checked by the caller) or the lead: skipped.
    let _ = csv.byte_headers();
    // One check for the whole chunk; a chunk that fails it is checked record by record, to
    // name the row and column.
    let utf8 = simdutf8::basic::from_utf8(bytes).is_ok();
    let mut lines = Lines {
        at: 0,
        line: chunk.line,
    };
    let mut record = simd_csv::ByteRecord::new();
    let mut skipped = Vec::new();
    loop {
        let at = csv.position() as usize;
        if !csv.read_byte_record(&mut record) {
            break;
        }
        let outcome = if record.len() != width {
            Err(format!(
                "{} fields where the header has {width}",
                record.len()
            ))
        } else if !utf8 && let Some(column) = (0..width).find(|&c| !is_utf8(record.get(c))) {
            Err(format!("column {} is not UTF-8", column + 1))
        } else {
            take_row(
                std::array::from_fn(|c| record.get(index[c]).unwrap_or_default()),
                config,
                totals,
            )
        };
        totals.counts.rows += 1;
        match outcome {
            Ok(()) => {}
            Err(problem) if skip_bad => {
                totals.counts.skipped += 1;
                skipped.push(Skipped {
                    line: lines.of(bytes, at),
                    problem,
                });
            }
            Err(detail) => {
                problems.failed = Some((chunk.index, lines.of(bytes, at), detail));
                break;
            }
        }
    }
    if let Some(&line) = misquoted.first() {
        if !skip_bad {
            // The first refused row stops the read: a misquoted one may come first.
            if problems.failed.as_ref().is_none_or(|(_, at, _)| line < *at) {
                problems.failed = Some((chunk.index, line, quotes::PROBLEM.into()));
            }
            return;
        }
        totals.counts.rows += misquoted.len() as u64;
        totals.counts.skipped += misquoted.len() as u64;
        skipped.extend(misquoted.into_iter().map(|line| Skipped {
            line,
            problem: quotes::PROBLEM.into(),
        }));
        skipped.sort_by_key(|s| s.line);
    }
    if !skipped.is_empty() {
        problems.skipped.push((chunk.index, skipped));
    }
}

fn is_utf8(field: Option<&[u8]>) -> bool {
    simdutf8::basic::from_utf8(field.unwrap_or_default()).is_ok()
}

/// Line numbers of a chunk's records, counted only for the rows that need one (a row left
/// out or refused), from the last one counted.
struct Lines {
    at: usize,
    line: u64,
}

impl Lines {
    /// The line of the record read from byte `at` on (past any blank lines, which the
    /// reader skips).
    fn of(&mut self, bytes: &[u8], at: usize) -> u64 {
        let start = at
            + bytes[at..]
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
        self.line += bytecount::count(&bytes[self.at..start], b'\n') as u64;
        self.at = start;
        self.line
    }
}

/// The line before the text of each chunk after the first, read as its header and skipped.
/// Without it `simd_csv` would read the chunk's first record as a file's first: a byte order
/// mark at its start dropped, a quote out of place read otherwise than after a record. Then
/// the totals would depend on where the chunks were cut.
const LEAD: &[u8] = b"-\n";

/// The streaming pass, on both cores: this thread reads (and hashes) the text and cuts it
/// into chunks at record boundaries, which a second thread parses and adds up; when that one
/// has chunks waiting, this one takes the next chunk itself. Chunks are taken on this thread
/// alone until one row has been taken, so that the file's currency is known to both. Each thread adds up
/// into its own totals, merged at the end; problems are reported in file order.
pub(super) fn read_rows(
    reader: Box<dyn Read + Send + '_>,
    shown: &str,
    config: &CostConfig,
    skip_bad: bool,
) -> Result<(Totals, Vec<Skipped>), InputError> {
    read_rows_in_chunks(reader, CHUNK, shown, config, skip_bad)
}

/// [`read_rows`] with chunks of about `chunk_size` bytes of text.
pub(super) fn read_rows_in_chunks(
    reader: Box<dyn Read + Send + '_>,
    chunk_size: usize,
    shown: &str,
    config: &CostConfig,
    skip_bad: bool,
) -> Result<(Totals, Vec<Skipped>), InputError> {
    let file_err = |detail: String| InputError::File {
        path: shown.to_string(),
        detail,
    };
    let mut cutter = Cutter::new(reader, chunk_size).with_lead(LEAD);
    let mut first = cutter
        .next_chunk()
        .map_err(|e| file_err(format!("cannot read the header: {e}")))?
        .unwrap_or(Chunk {
            index: 0,
            line: 1,
            bytes: Vec::new(),
        });
    // The header is the first record: past any blank lines, which may fill whole chunks.
    let blank = |bytes: &[u8]| {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        bytes.iter().all(|b| matches!(b, b'\r' | b'\n'))
    };
    while blank(&first.bytes) {
        let next = cutter
            .next_chunk()
            .map_err(|e| file_err(format!("cannot read the header: {e}")))?;
        let Some(next) = next else { break };
        first
            .bytes
            .extend_from_slice(&next.bytes[cutter.lead_len(next.index)..]);
    }
    // Read by the same reader as the rows (`take_chunk`).
    let headers = simd_csv::TotalReaderBuilder::new()
        .from_bytes(&first.bytes)
        .byte_headers()
        .clone();
    // An optional column the file lacks reads as empty (no field has that index).
    let mut index = [usize::MAX; COLUMNS.len()];
    for (c, (slot, name)) in index.iter_mut().zip(COLUMNS).enumerate() {
        match headers.iter().position(|h| h == name.as_bytes()) {
            Some(at) => *slot = at,
            None if c >= REQUIRED => {}
            None => {
                return Err(file_err(format!(
                    "no `{name}` column: not a FOCUS 1.0 file (needs {})",
                    COLUMNS[..REQUIRED].join(", ")
                )));
            }
        }
    }
    let width = headers.len();
    let mut totals = Totals::default();
    let mut problems = Problems::default();
    // Chunks after the first failing one are not needed.
    let stop = std::sync::atomic::AtomicUsize::new(usize::MAX);
    let wanted = |chunk: &Chunk| chunk.index < stop.load(std::sync::atomic::Ordering::Relaxed);
    // Takes a chunk; a failure stops the chunks after it.
    let take = |chunk: &Chunk, totals: &mut Totals, problems: &mut Problems| {
        take_chunk(chunk, width, &index, config, skip_bad, totals, problems);
        if let Some((chunk, ..)) = problems.failed {
            stop.fetch_min(chunk, std::sync::atomic::Ordering::Relaxed);
        }
    };
    take(&first, &mut totals, &mut problems);
    let mut read_error = None;
    // Until a row sets the file's currency, on this thread alone: each thread would take
    // the first currency it meets, and a row in another one would be refused or not
    // depending on which thread took which chunk.
    while totals.counts.currency.is_none()
        && stop.load(std::sync::atomic::Ordering::Relaxed) == usize::MAX
    {
        match cutter.next_chunk() {
            Ok(Some(chunk)) => {
                take(&chunk, &mut totals, &mut problems);
                cutter.recycle(chunk.bytes);
            }
            Ok(None) => break,
            Err(e) => {
                read_error = Some(e);
                break;
            }
        }
    }
    let currency = totals.counts.currency.clone();
    let helper = std::thread::scope(|scope| {
        let (to_helper, chunks) = std::sync::mpsc::sync_channel::<Chunk>(4);
        let (to_cutter, emptied) = std::sync::mpsc::channel::<Vec<u8>>();
        let helper = scope.spawn(move || {
            let mut totals = Totals::default();
            totals.counts.currency = currency;
            let mut problems = Problems::default();
            for chunk in chunks {
                if wanted(&chunk) {
                    take(&chunk, &mut totals, &mut problems);
                }
                let _ = to_cutter.send(chunk.bytes);
            }
            (totals, problems)
        });
        while read_error.is_none() && stop.load(std::sync::atomic::Ordering::Relaxed) == usize::MAX
        {
            for buf in emptied.try_iter() {
                cutter.recycle(buf);
            }
            let chunk = match cutter.next_chunk() {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(e) => {
                    read_error = Some(e);
                    break;
                }
            };
            let chunk = match to_helper.try_send(chunk) {
                Ok(()) => continue,
                Err(std::sync::mpsc::TrySendError::Full(c))
                | Err(std::sync::mpsc::TrySendError::Disconnected(c)) => c,
            };
            take(&chunk, &mut totals, &mut problems);
            cutter.recycle(chunk.bytes);
        }
        drop(to_helper);
        helper.join()
    });
    let (helper_totals, helper_problems) =
        helper.map_err(|_| file_err("the CSV reader failed".into()))?;
    let mut all = [problems, helper_problems];
    let first_failure = all
        .iter_mut()
        .filter_map(|p| p.failed.take())
        .min_by_key(|(chunk, line, _)| (*chunk, *line));
    if let Some((_, line, detail)) = first_failure {
        return Err(InputError::Row {
            path: shown.to_string(),
            line,
            detail,
        });
    }
    if let Some(e) = read_error {
        return Err(file_err(format!("after line {}: {e}", cutter.line)));
    }
    totals.merge(helper_totals).map_err(file_err)?;
    let mut skipped: Vec<(usize, Vec<Skipped>)> = all.into_iter().flat_map(|p| p.skipped).collect();
    skipped.sort_by_key(|(chunk, _)| *chunk);
    Ok((totals, skipped.into_iter().flat_map(|(_, s)| s).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simd_reader_reads_records_and_lines_as_the_csv_crate_does() {
        // Quoted delimiters, doubled quotes, quoted newlines, CRLF, blank lines, empty fields.
        let text = b"a,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\r\n\r\n2,\"multi\nline\",\n3,,\"{\"\"k\"\": \"\"v\"\"}\"\n\n4,last,row";
        // Each record's fields as the csv crate reads them, and the line it starts on.
        let expected: Vec<(u64, Vec<Vec<u8>>)> = [2, 4, 6, 8]
            .into_iter()
            .zip(
                csv::ReaderBuilder::new()
                    .has_headers(true)
                    .from_reader(&text[..])
                    .byte_records()
                    .map(|r| r.unwrap().iter().map(<[u8]>::to_vec).collect()),
            )
            .collect();
        let mut simd = simd_csv::TotalReaderBuilder::new()
            .has_headers(true)
            .from_bytes(text);
        let _ = simd.byte_headers();
        let mut lines = Lines { at: 0, line: 1 };
        let mut got = Vec::new();
        let mut record = simd_csv::ByteRecord::new();
        loop {
            let at = simd.position() as usize;
            if !simd.read_byte_record(&mut record) {
                break;
            }
            let fields: Vec<Vec<u8>> = record.iter().map(<[u8]>::to_vec).collect();
            got.push((lines.of(text, at), fields));
        }
        assert_eq!(expected.len(), 4);
        assert_eq!(got, expected);
    }
}
