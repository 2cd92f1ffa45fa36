//! Reading an input file once while hashing it: its sha256 is its identity (a file is ingested
//! once), and `.gz` files are decompressed on the way.

use std::io::{BufReader, Read};
use std::path::Path;

use sha2::{Digest, Sha256};

/// Passes bytes through while hashing them.
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// Reads what is left (so the hash covers the whole file) and returns the hex sha256.
    pub fn finish(mut self) -> std::io::Result<String> {
        std::io::copy(&mut self, &mut std::io::sink())?;
        Ok(crate::audit::hex(&self.hasher.finalize()))
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
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

/// The decompressed text of the hashed raw bytes: gzip when `path` ends in `.gz`.
pub fn text<'a, R: Read>(path: &Path, raw: &'a mut HashingReader<R>) -> Box<dyn Read + 'a> {
    if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(raw))
    } else {
        Box::new(raw)
    }
}
