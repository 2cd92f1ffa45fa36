//! gzip on every core, as pigz does: the input is cut into fixed 1 MiB chunks, each deflated
//! on its own (primed with the 32 KiB before it, so the ratio stays close to one stream) and
//! ended with a sync flush so that the pieces join into one deflate stream; the CRC-32s of the
//! chunks are combined. The output depends only on the input and the level, never on how many
//! threads ran: a pack stays byte-identical.

use std::io::{self, Write};
use std::sync::atomic::{AtomicUsize, Ordering};

use flate2::{Compress, Compression, Crc, FlushCompress, Status};

const CHUNK: usize = 1 << 20;
const WINDOW: usize = 32 * 1024;

/// A gzip member header: no name, mtime 0, OS unknown (what `GzBuilder::new().mtime(0)` writes).
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

/// A chunk deflated, and the CRC-32 of its input.
type Piece = io::Result<(Vec<u8>, Crc)>;

/// Deflates chunk `i` of `data`.
fn chunk(data: &[u8], i: usize, level: Compression) -> Piece {
    let start = i * CHUNK;
    let end = (start + CHUNK).min(data.len());
    let input = &data[start..end];
    let last = end == data.len();
    let mut c = Compress::new(level, false);
    if start > 0 {
        c.set_dictionary(&data[start.saturating_sub(WINDOW)..start])
            .map_err(io::Error::other)?;
    }
    let mut out = Vec::with_capacity(input.len() / 2 + 64);
    let flush = if last {
        FlushCompress::Finish
    } else {
        FlushCompress::Sync
    };
    loop {
        let consumed = c.total_in() as usize;
        if out.capacity() - out.len() < 64 {
            out.reserve(out.capacity().max(4096));
        }
        let status = c
            .compress_vec(&input[consumed..], &mut out, flush)
            .map_err(io::Error::other)?;
        let done = c.total_in() as usize == input.len() && out.len() < out.capacity();
        if status == Status::StreamEnd || (!last && done) {
            break;
        }
    }
    let mut crc = Crc::new();
    crc.update(input);
    Ok((out, crc))
}

/// Writes `data` gzip-compressed at `level` to `out`, calling `done` with the length of each
/// piece of `data` once it is compressed (from the compressing threads).
pub fn write(
    data: &[u8],
    level: Compression,
    out: &mut impl Write,
    done: &(dyn Fn(u64) + Sync),
) -> io::Result<()> {
    let chunks = data.len().div_ceil(CHUNK).max(1);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(chunks);
    let next = AtomicUsize::new(0);
    let mut pieces: Vec<(usize, Piece)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= chunks {
                            return mine;
                        }
                        let piece = chunk(data, i, level);
                        done((data.len() - i * CHUNK).min(CHUNK) as u64);
                        mine.push((i, piece));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    if pieces.len() != chunks {
        return Err(io::Error::other("a compression thread stopped"));
    }
    pieces.sort_by_key(|(i, _)| *i);
    out.write_all(&HEADER)?;
    let mut crc = Crc::new();
    for (_, piece) in pieces {
        let (bytes, piece_crc) = piece?;
        out.write_all(&bytes)?;
        crc.combine(&piece_crc);
    }
    out.write_all(&crc.sum().to_le_bytes())?;
    out.write_all(&(data.len() as u32).to_le_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn many_chunks_read_back_as_one_gzip_stream() {
        let mut data = Vec::new();
        let mut x: u64 = 7;
        while data.len() < 3 * CHUNK + 12_345 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
            data.extend_from_slice(
                format!("{{\"seq\":{},\"v\":\"{}\"}}\n", data.len(), x >> 40).as_bytes(),
            );
        }
        let mut gz = Vec::new();
        write(&data, Compression::default(), &mut gz, &|_| {}).unwrap();
        assert_eq!(gunzip(&gz), data);
        assert!(gz.len() < data.len() / 2, "{} of {}", gz.len(), data.len());
        let mut again = Vec::new();
        write(&data, Compression::default(), &mut again, &|_| {}).unwrap();
        assert_eq!(gz, again, "deterministic");
    }

    #[test]
    fn empty_and_small_inputs_are_valid_gzip() {
        for data in [&b""[..], b"x", b"hello hello hello"] {
            let mut gz = Vec::new();
            write(data, Compression::default(), &mut gz, &|_| {}).unwrap();
            assert_eq!(gunzip(&gz), data);
        }
    }
}
