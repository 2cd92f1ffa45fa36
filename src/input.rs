//! Input files: reading one once while hashing it: its sha256 is its identity (a file is
//! ingested once, see [`crate::ingest`]), and `.gz` files are decompressed on the way. The hash
//! is computed by whichever thread reads (in `cost:ingest`, the one that cuts the CSV into
//! chunks, which both threads add up).

use std::io::{BufReader, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::model::Diagnostic;
use crate::model::progress::Sink;

/// What is wrong with an input file (billing export, request log): the file, or one of its
/// lines; exit 1, nothing stored.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("`{path}`: {detail}")]
    File { path: String, detail: String },
    #[error("{path}:{line}: {detail}")]
    Row {
        path: String,
        line: u64,
        detail: String,
    },
    #[error("invalid {what} `{value}`: expected a date such as `2026-11-01`")]
    BadDate { what: &'static str, value: String },
}

impl Diagnostic for InputError {
    fn help(&self) -> Option<String> {
        match self {
            InputError::Row { .. } => Some(
                "nothing was stored; fix the line, or pass --skip-bad to leave such lines out (they are counted and listed)"
                    .into(),
            ),
            _ => None,
        }
    }
}

/// Checks that the value of option `what` (`--from`) is a date such as `2026-11-01`.
pub fn check_day(what: &'static str, value: &str) -> Result<(), InputError> {
    value
        .parse::<jiff::civil::Date>()
        .map(|_| ())
        .map_err(|_| InputError::BadDate {
            what,
            value: value.to_string(),
        })
}

/// Passes bytes through while hashing them.
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    /// Advanced by the bytes read (a bar the CLI shows on a terminal).
    progress: Sink,
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
            progress: None,
        }
    }

    /// Advances `progress` by the raw bytes read.
    pub fn with_progress(mut self, progress: Sink) -> Self {
        self.progress = progress;
        self
    }

    /// Reads what is left (so the hash covers the whole file) and returns the hex sha256.
    pub fn finish(mut self) -> std::io::Result<String> {
        std::io::copy(&mut self, &mut std::io::sink())?;
        if let Some(bar) = &self.progress {
            bar.finish();
        }
        Ok(crate::model::audit::hex(&self.hasher.finalize()))
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        if let Some(bar) = &self.progress {
            bar.advance(n as u64);
        }
        Ok(n)
    }
}

/// Opens `path` for hashing (buffered).
pub fn open(path: &Path) -> std::io::Result<HashingReader<BufReader<std::fs::File>>> {
    let file = std::fs::File::open(path)?;
    Ok(HashingReader::new(BufReader::with_capacity(
        256 * 1024,
        file,
    )))
}

/// A file's two identities: the sha256 of its bytes on disk, and of its content (what is
/// left once `.gz` is decompressed; the same hash for a plain file). The same billing data
/// ingested once as `.csv` and once as `.csv.gz` has one content hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digests {
    pub raw: String,
    /// `None` when the gzip stream cannot be read to its end (the parse's error says why).
    pub content: Option<String>,
}

impl Digests {
    /// The two hashes as the store records them.
    pub fn keys(&self) -> (&str, Option<&str>) {
        (&self.raw, self.content.as_deref())
    }
}

/// Reads `path` once with `parse`, given its text (`.gz` decompressed on the way), while
/// hashing its bytes and its content; the rest of the file is read after `parse` returns, so
/// both hashes cover it whole.
pub fn read_hashed<T>(
    path: &Path,
    progress: Sink,
    parse: impl FnOnce(Box<dyn Read + Send + '_>) -> T,
) -> std::io::Result<(T, Digests)> {
    let mut raw = open(path)?.with_progress(progress);
    if path.extension().is_none_or(|e| e != "gz") {
        let parsed = parse(Box::new(&mut raw));
        let raw = raw.finish()?;
        let content = Some(raw.clone());
        return Ok((parsed, Digests { raw, content }));
    }
    let mut text = HashingReader::new(flate2::read::MultiGzDecoder::new(&mut raw));
    let parsed = parse(Box::new(&mut text));
    let content = text.finish().ok();
    let raw = raw.finish()?;
    Ok((parsed, Digests { raw, content }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_the_files_sha256_however_it_was_read() {
        let data: Vec<u8> = (0..1_000_000u32).flat_map(|i| i.to_le_bytes()).collect();
        let mut r = HashingReader::new(&data[..]);
        let mut first = vec![0u8; 1000];
        r.read_exact(&mut first).unwrap();
        assert_eq!(
            r.finish().unwrap(),
            crate::model::audit::hex(&Sha256::digest(&data))
        );
    }
}
