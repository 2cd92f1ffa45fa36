//! Quotes where RFC 4180 puts them. A field is plain (no quote in it) or quoted whole: a quote
//! first, a quote last, every quote inside doubled. `simd_csv` reads a quote out of place
//! one way or another depending on what came before it, so the same row could add up
//! differently with the chunks cut elsewhere; such a row is refused instead, the same
//! wherever it stands. Only the quotes are looked at (found with `memchr`): well-formed text
//! costs one search.

/// Why a row with a quote out of place is left out.
pub(super) const PROBLEM: &str = "a quote out of place or never closed: a field is either quoted whole, its inner quotes doubled, or holds no quote (RFC 4180)";

/// Whether every quote of `bytes` (whole records, starting at a field) is in its place.
pub(super) fn in_place(bytes: &[u8]) -> bool {
    let ends_field = |at: usize| {
        bytes
            .get(at)
            .is_none_or(|b| matches!(b, b',' | b'\n' | b'\r'))
    };
    let mut quoted = false;
    let mut quotes = memchr::memchr_iter(b'"', bytes);
    while let Some(at) = quotes.next() {
        if !quoted {
            // Opening: the field's first byte.
            if at > 0 && !matches!(bytes[at - 1], b',' | b'\n' | b'\r') {
                return false;
            }
            quoted = true;
        } else if bytes.get(at + 1) == Some(&b'"') {
            // Doubled: one quote inside the field.
            quotes.next();
        } else if ends_field(at + 1) {
            quoted = false;
        } else {
            return false;
        }
    }
    !quoted
}

/// `bytes` (records cut where [`super::chunk`] cuts them: at a newline after an even number
/// of quotes) with each record after the first one that is not blank (the header, or the
/// lead line) whose quotes are out of place reduced to its line breaks (a reader skips blank
/// lines, and the lines after it keep their numbers), and the lines those records started
/// on, counted from `first_line`.
pub(super) fn blank_misplaced(bytes: &[u8], first_line: u64) -> (Vec<u8>, Vec<u64>) {
    let mut out = Vec::with_capacity(bytes.len());
    let mut lines = Vec::new();
    let mut line = first_line;
    let mut start = 0;
    let mut even = true;
    let mut header_seen = false;
    let mut record = |range: std::ops::Range<usize>, out: &mut Vec<u8>, line: &mut u64| {
        let text = &bytes[range.clone()];
        // Blank lines (the first after a byte order mark, which the reader drops), and the
        // first record after them (the header, or the lead line): kept as they are, the
        // header however it is quoted (the caller has read it already).
        let unmarked = match range.start {
            0 => text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text),
            _ => text,
        };
        let blank = unmarked.iter().all(|b| matches!(b, b'\r' | b'\n'));
        if !header_seen || blank || in_place(text) {
            header_seen |= !blank;
            out.extend_from_slice(text);
        } else {
            lines.push(*line);
            out.extend(text.iter().filter(|&&b| b == b'\n'));
        }
        *line += bytecount::count(text, b'\n') as u64;
    };
    for (at, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => even = !even,
            b'\n' if even => {
                record(start..at + 1, &mut out, &mut line);
                start = at + 1;
            }
            _ => {}
        }
    }
    if start < bytes.len() {
        record(start..bytes.len(), &mut out, &mut line);
    }
    (out, lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_in_place_and_out_of_it() {
        for good in [
            &b"a,b\n"[..],
            b"\"a\",\"b,c\"\r\n",
            b"\"say \"\"hi\"\"\",x\n",
            b"\"multi\nline\",\"\"\n",
            b"",
        ] {
            assert!(in_place(good), "{:?}", String::from_utf8_lossy(good));
        }
        for bad in [
            &b"a\"b,c\n"[..],
            b"\"\"r2\",5\n",
            b"\"x\"y,z\n",
            b"\"open,field\n",
            b"x,\"\xef\xbb\xbf\"\"\"h\"\n",
        ] {
            assert!(!in_place(bad), "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn the_header_is_kept_after_blank_lines_however_it_is_quoted() {
        let text = b"\r\n\nh\"1\"x,h2\n1\"x\"\n";
        let (out, lines) = blank_misplaced(text, 1);
        assert_eq!(out, b"\r\n\nh\"1\"x,h2\n\n");
        assert_eq!(lines, [4]);
        // A byte order mark before a blank line: still a blank line.
        let text = b"\xef\xbb\xbf\r\nh\"1\"x,h2\n1\"x\"\n";
        let (out, lines) = blank_misplaced(text, 1);
        assert_eq!(out, b"\xef\xbb\xbf\r\nh\"1\"x,h2\n\n");
        assert_eq!(lines, [3]);
    }

    #[test]
    fn a_misquoted_record_becomes_its_line_breaks() {
        let text = b"h1,h2\n1,2\n3\"x\"y,4\n\"5\n6\",7\n8,9\n";
        let (out, lines) = blank_misplaced(text, 10);
        assert_eq!(out, b"h1,h2\n1,2\n\n\"5\n6\",7\n8,9\n");
        assert_eq!(lines, [12]);
    }
}
