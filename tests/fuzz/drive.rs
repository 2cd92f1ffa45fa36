//! Running targets: one input with its panic caught (and not printed), a bounded mutation
//! run over a corpus that keeps the inputs reaching new features, and the shrinking of a
//! failing input.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::Once;
use std::time::{Duration, Instant};

use maestro_cli::fuzzing::{Features, Target};

use crate::mutate::{Rng, mutate};

thread_local! {
    /// Whether this thread's panics are caught by `run_quietly` (and so not printed).
    static QUIET: Cell<bool> = const { Cell::new(false) };
    /// The last caught panic's message and place.
    static CAUGHT: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Runs `t` on `input`: its features, or the message of the invariant it broke.
pub fn run_quietly(t: &Target, input: &[u8]) -> Result<Features, String> {
    run_fn(|| (t.run)(input))
}

/// Runs `f`: what it returns, or the message it panicked with (not printed).
pub fn run_fn<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.with(Cell::get) {
                let message = info
                    .payload()
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| info.payload().downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic".into());
                let place = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                CAUGHT.with(|c| *c.borrow_mut() = format!("[{place}] {message}"));
            } else {
                default(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    outcome.map_err(|_| CAUGHT.with(|c| c.borrow().clone()))
}

/// A failure's kind: where it panicked (`[file:line]`, which invariant broke), else the first
/// line of its message without numbers (they change as the input shrinks).
pub fn kind(message: &str) -> String {
    if let Some(place) = message.strip_prefix('[').and_then(|m| m.split_once(']')) {
        return place.0.to_string();
    }
    let first = message.lines().next().unwrap_or_default();
    first
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .take(100)
        .collect()
}

/// What a mutation run did.
pub struct Stats {
    pub execs: u64,
    pub elapsed: Duration,
    pub seeds: usize,
    pub corpus: usize,
    /// One line per new kind of failure: the message and the files it was written to.
    pub failures: Vec<String>,
    /// Inputs that failed as a known bug does (`tests/fuzz/known/`).
    pub known: u64,
}

impl Stats {
    pub fn line(&self, name: &str) -> String {
        let secs = self.elapsed.as_secs_f64();
        format!(
            "{name:<9} {} execs in {secs:.0} s ({:.0} execs/s), corpus {} -> {}, {} failures \
             ({} inputs hit a known bug)",
            self.execs,
            self.execs as f64 / secs.max(1e-9),
            self.seeds,
            self.corpus,
            self.failures.len(),
            self.known
        )
    }
}

/// Mutates the corpus for `secs` seconds; an input that reaches a feature none before it
/// did joins the corpus. Each new kind of failure (not in `known`) is kept once, minimised
/// after the run and written to `out` (`<n>.input` as found, `<n>.min` shrunk).
pub fn fuzz(
    t: &Target,
    seeds: Vec<Vec<u8>>,
    dictionary: &[&[u8]],
    known_bugs: &HashSet<String>,
    (secs, seed): (u64, u64),
    out: &Path,
) -> Stats {
    let mut rng = Rng::new(seed ^ t.name.bytes().fold(0, |h, b| h * 31 + u64::from(b)));
    let mut known = HashSet::new();
    let mut failures: BTreeMap<String, (String, Vec<u8>)> = BTreeMap::new();
    let mut corpus = Vec::new();
    let n_seeds = seeds.len();
    let started = Instant::now();
    let mut execs = 0u64;
    let mut known_hits = 0;
    // `MAESTRO_FUZZ_LABELS=1`: each new feature as it is reached.
    let show_labels = std::env::var_os("MAESTRO_FUZZ_LABELS").is_some();
    for input in seeds {
        execs += 1;
        match run_quietly(t, &input) {
            Ok(f) => known.extend(f.labels().iter().cloned()),
            Err(m) if known_bugs.contains(&kind(&m)) => known_hits += 1,
            Err(m) => {
                failures.entry(kind(&m)).or_insert((m, input.clone()));
            }
        }
        corpus.push(input);
    }
    let deadline = started + Duration::from_secs(secs);
    while Instant::now() < deadline {
        let parent = &corpus[rng.below(corpus.len())];
        let input = mutate(&mut rng, parent, &corpus, dictionary, t.max_len);
        execs += 1;
        match run_quietly(t, &input) {
            Ok(f) => {
                let new: Vec<&String> = f.labels().iter().filter(|l| !known.contains(*l)).collect();
                if !new.is_empty() {
                    if show_labels {
                        println!("{}: {new:?}", t.name);
                    }
                    known.extend(f.labels().iter().cloned());
                    corpus.push(input);
                }
            }
            Err(m) if known_bugs.contains(&kind(&m)) => known_hits += 1,
            Err(m) => {
                let entry = failures.entry(kind(&m)).or_insert((m, input.clone()));
                if input.len() < entry.1.len() {
                    entry.1 = input;
                }
            }
        }
    }
    let elapsed = started.elapsed();
    let mut lines = Vec::new();
    for (n, (_, (message, input))) in failures.into_iter().enumerate() {
        std::fs::create_dir_all(out).unwrap();
        let small = minimise(t, &input, &message);
        let found = out.join(format!("{n}.input"));
        let min = out.join(format!("{n}.min"));
        std::fs::write(&found, &input).unwrap();
        std::fs::write(&min, &small).unwrap();
        let shown = run_quietly(t, &small).err().unwrap_or(message);
        lines.push(format!(
            "{shown}\n  -> {} ({} bytes)",
            min.display(),
            small.len()
        ));
    }
    Stats {
        execs,
        elapsed,
        seeds: n_seeds,
        corpus: corpus.len(),
        failures: lines,
        known: known_hits,
    }
}

/// The smallest input found in a minute that fails the same way: whole lines taken out,
/// then bytes.
pub fn minimise(t: &Target, input: &[u8], message: &str) -> Vec<u8> {
    let want = kind(message);
    let deadline = Instant::now() + Duration::from_secs(60);
    let fails = |c: &[u8]| matches!(run_quietly(t, c), Err(m) if kind(&m) == want);
    // Lines first: most inputs are line-based text.
    let mut lines: Vec<Vec<u8>> = input
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    let mut chunk = lines.len() / 2;
    while chunk >= 1 && Instant::now() < deadline {
        let mut i = 0;
        while i < lines.len() && Instant::now() < deadline {
            let mut candidate = lines.clone();
            candidate.drain(i..(i + chunk).min(lines.len()));
            if fails(&candidate.concat()) {
                lines = candidate;
            } else {
                i += chunk;
            }
        }
        chunk /= 2;
    }
    let mut bytes = lines.concat();
    let mut chunk = bytes.len() / 2;
    while chunk >= 1 && Instant::now() < deadline {
        let mut i = 0;
        while i < bytes.len() && Instant::now() < deadline {
            let mut candidate = bytes.clone();
            candidate.drain(i..(i + chunk).min(bytes.len()));
            if fails(&candidate) {
                bytes = candidate;
            } else {
                i += chunk;
            }
        }
        chunk /= 2;
    }
    bytes
}
