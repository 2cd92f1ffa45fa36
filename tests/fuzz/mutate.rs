//! A small mutation engine for the stable fuzzer: a seeded random source, and mutations of
//! an input that keep most of it (bit flips, byte edits, cuts and copies, dictionary tokens
//! put in, lines moved, splices with another input of the corpus).

/// xorshift64*: enough randomness for choosing mutations, and replayable from its seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Bytes that parsers treat specially.
const INTERESTING_BYTES: &[u8] = &[
    0, 1, 0x7f, 0x80, 0xff, b'\n', b'\r', b'\t', b' ', b'"', b'\'', b',', b':', b'-', b'[', b']',
    b'{', b'}', b'#', b'\\', b'0', b'9', b'.', b'=',
];

/// Numbers at the edges of what parsers accept.
const INTERESTING_NUMBERS: &[&str] = &[
    "0",
    "-1",
    "-0",
    "1.5",
    "0.000000000001",
    "0.0000000000001",
    "255",
    "256",
    "65536",
    "2147483647",
    "2147483648",
    "-2147483649",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551616",
    "170141183460469231731687303715884105727",
    "99999999999999999999999999",
    "1e308",
    "1e-7",
    "NaN",
    "inf",
];

/// Start offsets of the lines of `data`.
fn line_starts(data: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        data.iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
            .map(|(i, _)| i + 1)
            .filter(|&i| i < data.len()),
    );
    starts
}

/// The line of `data` around `at`, as a range (its `\n` included).
fn line_at(data: &[u8], at: usize) -> std::ops::Range<usize> {
    let start = data[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let end = data[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(data.len(), |i| at + i + 1);
    start..end
}

/// A new input from `input`: one to eight mutations stacked.
pub fn mutate(
    rng: &mut Rng,
    input: &[u8],
    corpus: &[Vec<u8>],
    dictionary: &[&[u8]],
    max_len: usize,
) -> Vec<u8> {
    let mut data = input.to_vec();
    let rounds = 1 << rng.below(4);
    for _ in 0..rounds {
        one(rng, &mut data, corpus, dictionary);
    }
    data.truncate(max_len);
    data
}

fn one(rng: &mut Rng, data: &mut Vec<u8>, corpus: &[Vec<u8>], dictionary: &[&[u8]]) {
    let len = data.len();
    let at = rng.below(len + 1);
    match rng.below(13) {
        0 if len > 0 => {
            let i = rng.below(len);
            data[i] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let i = rng.below(len);
            data[i] = INTERESTING_BYTES[rng.below(INTERESTING_BYTES.len())];
        }
        2 if len > 0 => {
            let i = rng.below(len);
            data[i] = rng.next() as u8;
        }
        3 if len > 0 => {
            let n = 1 + rng.below(len.min(64));
            let from = rng.below(len - n + 1);
            data.drain(from..from + n);
        }
        4 if len > 0 => {
            // A piece of itself copied elsewhere.
            let n = 1 + rng.below(len.min(64));
            let from = rng.below(len - n + 1);
            let piece = data[from..from + n].to_vec();
            data.splice(at..at, piece);
        }
        5 | 6 if !dictionary.is_empty() => {
            let token = dictionary[rng.below(dictionary.len())];
            // Half the time at the start of a line, where most formats start a thing.
            let at = if rng.below(2) == 0 && len > 0 {
                let starts = line_starts(data);
                starts[rng.below(starts.len())]
            } else {
                at
            };
            data.splice(at..at, token.iter().copied());
        }
        7 if !corpus.is_empty() => {
            // The head of this input and the tail of another, cut at lines or anywhere.
            let other = &corpus[rng.below(corpus.len())];
            let cut = rng.below(other.len() + 1);
            let cut = if rng.below(2) == 0 {
                line_at(other, cut.min(other.len().saturating_sub(1))).start
            } else {
                cut
            };
            data.truncate(at);
            data.extend_from_slice(&other[cut.min(other.len())..]);
        }
        8 if len > 0 => {
            // A line repeated.
            let line = line_at(data, at.min(len - 1));
            let copy = data[line.clone()].to_vec();
            data.splice(line.start..line.start, copy);
        }
        9 if len > 0 => {
            let line = line_at(data, at.min(len - 1));
            data.drain(line);
        }
        10 if len > 0 && !corpus.is_empty() => {
            // A line of another input put in.
            let other = &corpus[rng.below(corpus.len())];
            if !other.is_empty() {
                let line = line_at(other, rng.below(other.len()));
                let start = line_at(data, at.min(len - 1)).start;
                data.splice(start..start, other[line].iter().copied());
            }
        }
        11 if len > 0 => {
            // A run of digits replaced by an edge number.
            let i = rng.below(len);
            if let Some(start) = data[i..].iter().position(u8::is_ascii_digit).map(|p| i + p) {
                let end = data[start..]
                    .iter()
                    .position(|b| !b.is_ascii_digit())
                    .map_or(len, |p| start + p);
                let number = INTERESTING_NUMBERS[rng.below(INTERESTING_NUMBERS.len())];
                data.splice(start..end, number.bytes());
            }
        }
        12 if len > 0 => data.truncate(at),
        _ => {
            let n = 1 + rng.below(4);
            data.splice(at..at, (0..n).map(|_| rng.next() as u8));
        }
    }
}
