//! The chunk cutter: CSV text cut into pieces of about a megabyte at record boundaries, so
//! that two threads can parse a file at once ([`super::csv`]), each piece knowing the line
//! its first record starts on.

use std::io::Read;

/// Raw CSV cut at a record boundary (after the cutter's lead, for a chunk after the first),
/// with the line its first byte is on.
pub(super) struct Chunk {
    pub(super) index: usize,
    pub(super) line: u64,
    pub(super) bytes: Vec<u8>,
}

/// About how much CSV text a chunk holds (tests cut at a few bytes, to put boundaries
/// everywhere).
pub(super) const CHUNK: usize = 1 << 20;

/// Cuts CSV text into [`Chunk`]s at record boundaries: after a newline outside quotes (in
/// CSV a quote inside a quoted field is doubled, so "outside" is an even count of quotes
/// since the last boundary).
pub(super) struct Cutter<R> {
    inner: R,
    /// How much text each read adds to a chunk: [`CHUNK`] outside tests.
    size: usize,
    carry: Vec<u8>,
    /// The line the next chunk starts on.
    pub(super) line: u64,
    index: usize,
    done: bool,
    /// Lines put before the text of each chunk after the first ([`Cutter::with_lead`]).
    lead: &'static [u8],
    /// Emptied chunk buffers, to reuse: a fresh megabyte each time cost a page fault per
    /// 4 KiB.
    spare: Vec<Vec<u8>>,
}

impl<R: Read> Cutter<R> {
    pub(super) fn new(inner: R, size: usize) -> Self {
        Cutter {
            inner,
            size,
            carry: Vec::new(),
            line: 1,
            index: 0,
            done: false,
            lead: b"",
            spare: Vec::new(),
        }
    }

    /// Starts each chunk after the first with `lead`, whole lines that belong to no record
    /// (counted before the chunk's first line), so that a parser reads the chunk's first
    /// record as one that follows another, as it would in the whole text.
    pub(super) fn with_lead(mut self, lead: &'static [u8]) -> Self {
        debug_assert!(lead.ends_with(b"\n") && !lead.contains(&b'"'));
        self.lead = lead;
        self
    }

    /// The length of the lead of the chunk with `index`.
    pub(super) fn lead_len(&self, index: usize) -> usize {
        if index == 0 { 0 } else { self.lead.len() }
    }

    /// Takes back a chunk's buffer once it has been parsed.
    pub(super) fn recycle(&mut self, buf: Vec<u8>) {
        if self.spare.len() < 8 {
            self.spare.push(buf);
        }
    }

    pub(super) fn next_chunk(&mut self) -> std::io::Result<Option<Chunk>> {
        loop {
            if self.done {
                return Ok(None);
            }
            // The buffer is filled in place: `read_to_end` would zero it again each time.
            let lead = &self.lead[..self.lead_len(self.index)];
            let mut buf = self.spare.pop().unwrap_or_default();
            buf.clear();
            buf.extend_from_slice(lead);
            buf.extend_from_slice(&self.carry);
            let kept = buf.len();
            buf.resize(kept + self.size, 0);
            self.carry.clear();
            let mut filled = kept;
            while filled < buf.len() {
                match self.inner.read(&mut buf[filled..]) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            let eof = filled < buf.len();
            buf.truncate(filled);
            let cut = if eof {
                self.done = true;
                if buf.len() == lead.len() {
                    return Ok(None);
                }
                buf.len()
            } else {
                match last_boundary(&buf[lead.len()..]) {
                    Some(cut) => lead.len() + cut,
                    // One record longer than the buffer: read on.
                    None => {
                        self.carry = buf.split_off(lead.len());
                        continue;
                    }
                }
            };
            self.carry.extend_from_slice(&buf[cut..]);
            buf.truncate(cut);
            let lead_lines = bytecount::count(lead, b'\n') as u64;
            let chunk = Chunk {
                index: self.index,
                line: self.line - lead_lines,
                bytes: buf,
            };
            self.index += 1;
            // bytecount: SIMD chosen at run time (a byte-by-byte count is a real share of the pass).
            self.line += bytecount::count(&chunk.bytes[lead.len()..], b'\n') as u64;
            return Ok(Some(chunk));
        }
    }
}

/// Where the last record of `buf` (which starts at a record boundary) ends: just after its
/// last newline outside quotes.
fn last_boundary(buf: &[u8]) -> Option<usize> {
    let quotes = bytecount::count(buf, b'"');
    let mut outside = quotes.is_multiple_of(2);
    for (i, &b) in buf.iter().enumerate().rev() {
        match b {
            b'\n' if outside => return Some(i + 1),
            b'"' => outside = !outside,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_boundary_is_a_newline_outside_quotes() {
        assert_eq!(last_boundary(b"a,b\nc,d\ne"), Some(8));
        // The last newline is inside a quoted field: the boundary is the one before it.
        assert_eq!(last_boundary(b"a,b\nc,\"x\ny"), Some(4));
        // Doubled quotes inside a field do not end it.
        assert_eq!(last_boundary(b"a,\"say \"\"hi\"\"\nthere\"\nz"), Some(21));
        assert_eq!(last_boundary(b"a,\"open\nfield"), None);
    }

    #[test]
    fn chunks_hold_whole_records_and_count_their_lines() {
        // Records with quoted newlines and doubled quotes, several chunks' worth.
        let mut text = Vec::new();
        for i in 0..60_000 {
            text.extend_from_slice(
                format!(
                    "{i},\"line one\nline \"\"two\"\"\",{}\n",
                    "x".repeat(i % 50)
                )
                .as_bytes(),
            );
        }
        let whole: Vec<csv::ByteRecord> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&text[..])
            .byte_records()
            .map(Result::unwrap)
            .collect();
        let mut cutter = Cutter::new(&text[..], CHUNK);
        let mut records = Vec::new();
        let mut chunks = 0;
        let mut expected_line = 1;
        while let Some(chunk) = cutter.next_chunk().unwrap() {
            assert_eq!(chunk.index, chunks);
            assert_eq!(chunk.line, expected_line);
            assert_eq!(chunk.bytes.last(), Some(&b'\n'));
            expected_line += chunk.bytes.iter().filter(|&&b| b == b'\n').count() as u64;
            records.extend(
                csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_reader(&chunk.bytes[..])
                    .byte_records()
                    .map(Result::unwrap),
            );
            chunks += 1;
        }
        assert!(chunks > 2, "{chunks} chunks");
        assert_eq!(records, whole);
    }
}
