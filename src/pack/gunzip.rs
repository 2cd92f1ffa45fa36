//! Reads exactly one gzip member (RFC 1952) as a stream: the header is parsed (its CRC-16
//! checked when present), the deflate data inflated, and at its end the trailer's CRC-32 and
//! size are compared with what was inflated. Nothing after the member is read, so the caller
//! can tell whether the file ends there: a second member or trailing bytes are its to report.

use std::io::{self, BufRead, Read};

use flate2::Crc;
use flate2::bufread::DeflateDecoder;

const FHCRC: u8 = 0x02;
const FEXTRA: u8 = 0x04;
const FNAME: u8 = 0x08;
const FCOMMENT: u8 = 0x10;
const RESERVED: u8 = 0xe0;

/// The start of every gzip member.
pub const MAGIC: [u8; 2] = [0x1f, 0x8b];

#[derive(Debug, thiserror::Error)]
pub enum GunzipError {
    #[error("not a gzip file")]
    NotGzip,
    #[error("the gzip header is invalid: {0}")]
    Header(&'static str),
    #[error("the gzip stream ends before its trailer")]
    Truncated,
    #[error("the gzip trailer's CRC-32 does not match the data")]
    Crc,
    #[error("the gzip trailer's size (ISIZE) does not match the data")]
    Size,
}

impl From<GunzipError> for io::Error {
    fn from(e: GunzipError) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, e)
    }
}

/// One gzip member's decompressed bytes; an error once the trailer does not match.
pub struct Member<R> {
    inflate: DeflateDecoder<R>,
    crc: Crc,
    /// The trailer was read and matched: only `Ok(0)` from here on.
    done: bool,
}

impl<R: BufRead> Member<R> {
    /// Parses the member's header from `input`.
    pub fn new(mut input: R) -> Result<Member<R>, GunzipError> {
        read_header(&mut input)?;
        Ok(Member {
            inflate: DeflateDecoder::new(input),
            crc: Crc::new(),
            done: false,
        })
    }

    /// The input, positioned after the member once a read has returned `Ok(0)`.
    pub fn into_inner(self) -> R {
        self.inflate.into_inner()
    }

    fn check_trailer(&mut self) -> io::Result<()> {
        let mut trailer = [0u8; 8];
        read_exact(self.inflate.get_mut(), &mut trailer)?;
        let [c0, c1, c2, c3, s0, s1, s2, s3] = trailer;
        if u32::from_le_bytes([c0, c1, c2, c3]) != self.crc.sum() {
            return Err(GunzipError::Crc.into());
        }
        // ISIZE is the length modulo 2^32, as `Crc::amount` counts it.
        if u32::from_le_bytes([s0, s1, s2, s3]) != self.crc.amount() {
            return Err(GunzipError::Size.into());
        }
        self.done = true;
        Ok(())
    }
}

impl<R: BufRead> Read for Member<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.done || buf.is_empty() {
            return Ok(0);
        }
        let n = self.inflate.read(buf)?;
        if n == 0 {
            self.check_trailer()?;
        }
        self.crc.update(&buf[..n]);
        Ok(n)
    }
}

/// Fills `buf`; the input ending first is a truncated stream.
fn read_exact(input: &mut impl Read, buf: &mut [u8]) -> io::Result<()> {
    input.read_exact(buf).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => GunzipError::Truncated.into(),
        _ => e,
    })
}

/// Reads the header; a header CRC (FHCRC) is checked against the bytes before it.
fn read_header(input: &mut impl BufRead) -> Result<(), GunzipError> {
    let mut fixed = [0u8; 10];
    input
        .read_exact(&mut fixed[..2])
        .map_err(|_| GunzipError::NotGzip)?;
    if fixed[..2] != MAGIC {
        return Err(GunzipError::NotGzip);
    }
    let mut crc = Crc::new();
    crc.update(&fixed[..2]);
    let mut take = |input: &mut dyn BufRead, buf: &mut [u8]| -> Result<(), GunzipError> {
        input
            .read_exact(buf)
            .map_err(|_| GunzipError::Header("it ends early"))?;
        crc.update(buf);
        Ok(())
    };
    take(input, &mut fixed[2..])?;
    let (method, flags) = (fixed[2], fixed[3]);
    if method != 8 {
        return Err(GunzipError::Header("the compression method is not deflate"));
    }
    if flags & RESERVED != 0 {
        return Err(GunzipError::Header("reserved flags are set"));
    }
    if flags & FEXTRA != 0 {
        let mut len = [0u8; 2];
        take(input, &mut len)?;
        let mut skip = vec![0u8; u16::from_le_bytes(len).into()];
        take(input, &mut skip)?;
    }
    for field in [FNAME, FCOMMENT] {
        if flags & field != 0 {
            // A zero-terminated string, read a byte at a time: no length to trust.
            let mut byte = [0u8; 1];
            loop {
                take(input, &mut byte)?;
                if byte[0] == 0 {
                    break;
                }
            }
        }
    }
    if flags & FHCRC != 0 {
        let expected = (crc.sum() & 0xffff) as u16;
        let mut stored = [0u8; 2];
        input
            .read_exact(&mut stored)
            .map_err(|_| GunzipError::Header("it ends early"))?;
        if u16::from_le_bytes(stored) != expected {
            return Err(GunzipError::Header("its CRC-16 does not match"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn gzip(data: &[u8], builder: flate2::GzBuilder) -> Vec<u8> {
        let mut e = builder.write(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    /// The member's data, or the error's message; and what is left of the input.
    fn read(bytes: &[u8]) -> (Result<Vec<u8>, String>, Vec<u8>) {
        let mut m = match Member::new(bytes) {
            Ok(m) => m,
            Err(e) => return (Err(e.to_string()), Vec::new()),
        };
        let mut out = Vec::new();
        let r = m.read_to_end(&mut out).map_err(|e| e.to_string());
        (r.map(|_| out), m.into_inner().to_vec())
    }

    #[test]
    fn one_member_is_read_and_what_follows_is_left_unread() {
        let mut bytes = gzip(b"hello", flate2::GzBuilder::new());
        let second = gzip(b"more", flate2::GzBuilder::new());
        bytes.extend_from_slice(&second);
        assert_eq!(read(&bytes), (Ok(b"hello".to_vec()), second));
    }

    #[test]
    fn optional_header_fields_are_skipped_and_the_header_crc_checked() {
        let builder = || {
            flate2::GzBuilder::new()
                .filename("a.tar")
                .comment("c")
                .extra(vec![1, 2, 3])
        };
        let plain = gzip(b"data", builder());
        assert_eq!(read(&plain), (Ok(b"data".to_vec()), Vec::new()));
        // flate2 writes no FHCRC: set the flag and insert the CRC-16 after the fields.
        let fields_end = plain.len() - gzip(b"data", flate2::GzBuilder::new()).len() + 10;
        let mut with_crc = plain[..fields_end].to_vec();
        with_crc[3] |= FHCRC;
        let mut crc = Crc::new();
        crc.update(&with_crc);
        with_crc.extend_from_slice(&((crc.sum() & 0xffff) as u16).to_le_bytes());
        with_crc.extend_from_slice(&plain[fields_end..]);
        assert_eq!(read(&with_crc), (Ok(b"data".to_vec()), Vec::new()));
        with_crc[fields_end] ^= 1;
        assert_eq!(
            read(&with_crc).0,
            Err("the gzip header is invalid: its CRC-16 does not match".into())
        );
    }

    #[test]
    fn a_wrong_trailer_or_a_truncated_stream_is_an_error() {
        let good = gzip(b"hello", flate2::GzBuilder::new());
        let n = good.len();
        let cases = [
            (n - 8, "the gzip trailer's CRC-32 does not match the data"),
            (
                n - 1,
                "the gzip trailer's size (ISIZE) does not match the data",
            ),
        ];
        for (at, message) in cases {
            let mut bad = good.clone();
            bad[at] ^= 1;
            assert_eq!(read(&bad).0, Err(message.into()));
        }
        assert_eq!(
            read(&good[..n - 3]).0,
            Err("the gzip stream ends before its trailer".into())
        );
        assert_eq!(read(b"plain text").0, Err("not a gzip file".into()));
        assert_eq!(read(b"").0, Err("not a gzip file".into()));
        let mut method = good.clone();
        method[2] = 7;
        assert_eq!(
            read(&method).0,
            Err("the gzip header is invalid: the compression method is not deflate".into())
        );
    }
}
